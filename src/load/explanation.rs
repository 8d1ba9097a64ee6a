//! Checking the units' explanations (`explanations/*.toml`): the unit, the round explained, each leaf's text and evidence.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use super::{assessment, raw};
use crate::diag::{Diagnostic, Said, Source};
use crate::i18n::fill;
use crate::model::{Council, Explained, Explanation};
use crate::text;

/// Checks one explanation file against the council.
pub(super) fn check(
    src: &mut Source<'_>,
    raw: raw::Explanation,
    council: &Council,
    folder: &Path,
) -> Option<Explanation> {
    let before = src.out.len();
    let uid = raw.unit.get_ref();
    let Some(unit) = council.unit_index(uid) else {
        let uid = text::line(uid);
        src.say(raw.unit.span(), |w| {
            fill(w.ld_explanation_unit_unknown, &[&uid])
        });
        return None;
    };
    let round = *raw.round.get_ref();
    if round < 1 {
        src.say(raw.round.span(), |w| {
            fill(w.ld_explanation_round, &[&round])
        });
    }
    let submitted = raw.submitted.as_ref().and_then(|d| {
        let date = d.get_ref();
        if date.date.is_none() || date.time.is_some() || date.offset.is_some() {
            src.say(d.span(), |w| w.ld_submitted_must_date_such.to_string());
            return None;
        }
        Some(date.to_string())
    });
    let fw = council.framework_of(unit);
    let mut seen: HashMap<usize, Range<usize>> = HashMap::new();
    let mut items = Vec::new();
    for item in raw.item {
        let Some((leaf, l)) = fw.leaf(item.code.get_ref()) else {
            assessment::unknown_code(src, fw, &item.code);
            continue;
        };
        if seen.insert(leaf, item.code.span()).is_some() {
            let code = l.code.clone();
            src.say(item.code.span(), |w| {
                fill(w.ld_explanation_code_twice, &[&code])
            });
            continue;
        }
        let words = text::para(item.text.get_ref());
        if words.trim().is_empty() {
            let code = l.code.clone();
            src.say(item.text.span(), |w| {
                fill(w.ld_explanation_text_empty, &[&code])
            });
            continue;
        }
        let evidence = item
            .evidence
            .into_iter()
            .filter_map(|e| assessment::evidence(src, e, folder))
            .collect();
        items.push(Explained {
            code: l.code.clone(),
            leaf,
            text: words,
            evidence,
        });
    }
    if src.out.len() > before {
        return None;
    }
    Some(Explanation {
        unit,
        round,
        submitted,
        items,
        path: src.path.to_string(),
        round_at: src.line_col(raw.round.span().start),
    })
}

/// Refuses a second explanation of the same unit and round, at its `unit`.
pub(super) fn one_per_round(
    explanations: Vec<Explanation>,
    council: &Council,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Explanation> {
    let mut first: HashMap<(usize, i64), String> = HashMap::new();
    let mut out = Vec::with_capacity(explanations.len());
    for e in explanations {
        if let Some(other) = first.get(&(e.unit, e.round)) {
            let (unit, round, other) = (council.units[e.unit].id.clone(), e.round, other.clone());
            diags.push(Diagnostic {
                path: e.path.clone(),
                line: e.round_at.0,
                column: e.round_at.1,
                message: Said::of(|w| fill(w.ld_explanation_twice, &[&unit, &round, &other])),
            });
            continue;
        }
        first.insert((e.unit, e.round), e.path.clone());
        out.push(e);
    }
    out
}

/// Explanations of a round that was never closed (the session is still in
/// it, or before it), each named at its `round`.
pub fn of_open_rounds(council: &Council, round_now: i64) -> Vec<Diagnostic> {
    council
        .explanations
        .iter()
        .filter(|e| e.round >= round_now)
        .map(|e| {
            let round = e.round;
            Diagnostic {
                path: e.path.clone(),
                line: e.round_at.0,
                column: e.round_at.1,
                message: Said::of(|w| fill(w.ld_explanation_round_open, &[&round, &round_now])),
            }
        })
        .collect()
}
