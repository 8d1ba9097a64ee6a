//! A signed unit file: one unit's appraisal as TOML, every figure a leaf was scored from.

use std::fmt::Write as _;

use crate::appraisal::Appraisal;
use crate::model::Council;

/// One unit's appraisal as TOML, every number exact with two decimals.
/// A decided leaf keeps the value each round left it with in
/// `[[item.round]]` (the round, the points, N/A, and the decision's comment,
/// member and time; a round that brought it back to the self-assessment says
/// `self = true`).
pub fn unit_toml(
    council: &Council,
    appraisal: &Appraisal,
    by_round: &crate::session::ByRound,
    standings: &crate::score::Standings,
    u: usize,
) -> String {
    let unit = &council.units[u];
    let group = &council.groups[unit.group];
    let fw = council.framework_of(u);
    let st = &standings.units[u];
    let mut s = String::new();
    let _ = writeln!(s, "id = {}", q(&unit.id));
    let _ = writeln!(s, "name = {}", q(&unit.name));
    let _ = writeln!(s, "group = {}", q(&group.id));
    let _ = writeln!(s, "framework = {}", q(&fw.id));
    let _ = writeln!(s, "submitted = {}", council.submitted(u));
    let _ = writeln!(s, "self_points = {}", st.self_score.total);
    let _ = writeln!(s, "points = {}", st.score.total);
    let _ = writeln!(s, "self_max = {}", st.self_score.max);
    let _ = writeln!(s, "max = {}", st.score.max);
    if let Some(cap) = fw.max_index {
        let _ = writeln!(s, "max_index = {cap}");
    }
    let _ = writeln!(s, "self_index = {}", st.self_score.index_text());
    let _ = writeln!(s, "index = {}", st.score.index_text());
    let _ = writeln!(s, "band = {}", q(&fw.bands[st.band].name));
    let _ = writeln!(s, "rank = {}", st.rank);
    for (l, leaf) in fw.leaves.iter().enumerate() {
        let claim = &council.assessments[u].claims[l];
        let value = appraisal.value(council, u, l);
        let decision = appraisal.decisions.get(&(u, l));
        let _ = writeln!(s, "\n[[item]]");
        let _ = writeln!(s, "code = {}", q(&leaf.code));
        let _ = writeln!(s, "name = {}", q(&leaf.name));
        let _ = writeln!(s, "max = {}", leaf.max);
        if leaf.rule == crate::model::Rule::Bonus {
            // Its max is not part of the unit's.
            let _ = writeln!(s, "bonus = true");
        }
        // A leaf the unit did not self-assess has no self points: a blank is
        // not a zero.
        if crate::appraisal::self_assessed(council, u, l) {
            let _ = writeln!(s, "self_points = {}", claim.points);
            let _ = writeln!(s, "self_na = {}", claim.na);
        } else {
            let _ = writeln!(s, "self_assessed = false");
        }
        // The figures a ratio leaf was scored from: the unit's, and the ones
        // the council's value follows from (corrected, or the unit's kept).
        if let Some((n, d)) = claim.ratio {
            let _ = writeln!(s, "self_numerator = {n}");
            let _ = writeln!(s, "self_denominator = {d}");
        }
        let figures = match decision.map(|d| &d.value) {
            Some(crate::appraisal::Decided::Ratio(n, d)) => Some((*n, *d)),
            None => claim.ratio,
            Some(_) => None,
        };
        let _ = writeln!(s, "points = {}", value.points);
        let _ = writeln!(s, "na = {}", value.na);
        if let Some((n, d)) = figures {
            let _ = writeln!(s, "numerator = {n}");
            let _ = writeln!(s, "denominator = {d}");
        }
        if let Some(d) = decision {
            let _ = writeln!(s, "comment = {}", q(&d.comment));
            let _ = writeln!(s, "decided_by = {}", q(&d.member));
            let _ = writeln!(s, "decided_at = {}", q(&d.at));
            if let Some(by) = &d.confirmed_by {
                let _ = writeln!(s, "confirmed_by = {}", q(by));
            }
        }
        let refs: Vec<String> = claim.evidence.iter().map(|e| q(e.reference())).collect();
        let _ = writeln!(s, "evidence = [{}]", refs.join(", "));
        for (round, d) in by_round.get(&(u, l)).into_iter().flatten() {
            let _ = writeln!(s, "\n[[item.round]]");
            let _ = writeln!(s, "round = {round}");
            match d {
                Some(d) => {
                    let v = d.value.value(leaf);
                    let _ = writeln!(s, "points = {}", v.points);
                    let _ = writeln!(s, "na = {}", v.na);
                    if let crate::appraisal::Decided::Ratio(n, den) = d.value {
                        let _ = writeln!(s, "numerator = {n}");
                        let _ = writeln!(s, "denominator = {den}");
                    }
                    let _ = writeln!(s, "comment = {}", q(&d.comment));
                    let _ = writeln!(s, "decided_by = {}", q(&d.member));
                    let _ = writeln!(s, "decided_at = {}", q(&d.at));
                    if let Some(by) = &d.confirmed_by {
                        let _ = writeln!(s, "confirmed_by = {}", q(by));
                    }
                }
                None => {
                    let _ = writeln!(s, "self = true");
                    let _ = writeln!(s, "points = {}", claim.points);
                    let _ = writeln!(s, "na = {}", claim.na);
                }
            }
        }
    }
    s
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    // Most texts need no escape: copied whole.
    if !s
        .bytes()
        .any(|b| b == b'"' || b == b'\\' || b < 0x20 || b == 0x7f || b == 0xc2)
    {
        out.push_str(s);
        out.push('"');
        return out;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
