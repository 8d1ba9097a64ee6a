//! The commands that read: `check`, `rank`, `progress`, `log` (and `--verify`), `session copy`.

use std::path::Path;
use std::process::ExitCode;

use super::args::{Command, Format, SessionAction};
use super::{
    Failure, council_folder, existing_session, lang, load_council, print, read_council, words,
};
use crate::i18n::{Lang, fill};
use crate::model::{Council, Rule};
use crate::session::{self, Kind, Session};
use crate::{report, signoff};

pub(super) fn run(cmd: Command, lang: Lang) -> Result<ExitCode, Failure> {
    let w = words();
    match cmd {
        Command::Check { council } => check(&council_folder(council)?),
        Command::Rank {
            council,
            format,
            session,
        } => {
            let (_, c, state) = read_council(council, &session)?;
            let standings = state.appraisal.standings(&c);
            let rows = report::rows(&c, &standings);
            match format {
                Format::Csv => print(&report::csv(&rows)),
                Format::Table => print(&report::table(&c, &rows, &lang.table())),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare {
            council,
            previous,
            format,
            session,
        } => {
            let (_, c, state) = read_council(council, &session)?;
            let last = match previous.or_else(|| c.previous.clone()) {
                Some(dir) => Some(
                    crate::compare::previous(&dir)
                        .map_err(|said| Failure::Refused(said.get(lang).to_string()))?,
                ),
                None => None,
            };
            let standings = state.appraisal.standings(&c);
            let rows = crate::compare::rows(&c, &standings, last.as_ref());
            if let Some(p) = &last {
                for (old, now) in crate::compare::splits(&c, p) {
                    super::warn(fill(w.cmp_split, &[&old, &now.join(", ")]).trim_end());
                }
            } else if format == Format::Table {
                super::warn(w.cmp_no_previous.trim_end());
            }
            match format {
                Format::Csv => print(&crate::compare::csv(&c, &rows)),
                Format::Table => print(&crate::compare::table(&c, &rows, w)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Progress { council, session } => {
            let (_, c, state) = read_council(council, &session)?;
            let p = crate::progress::of(&c, &state);
            print(&crate::progress::table(
                &p,
                &crate::progress::Labels::of(w, false),
            ));
            // The round before: who was sent a notice, and who replied.
            let before = state.round() - 1;
            if before >= 1 {
                let replies = crate::work::replies(&c, &state, before);
                let today = crate::work::today();
                print(&crate::work::replies_text(&c, &replies, before, w, &today));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Session {
            action: SessionAction::Copy,
            from,
            to,
        } => {
            let done = session::copy::copy(&from, &to)?;
            let (id, hash) = done.head.map_or((0, String::new()), |h| (h.id, h.hash));
            let shown = |p: &Path| match session::postgres::url(p) {
                Some(url) => session::postgres::shown(url),
                None => p.display().to_string(),
            };
            print(&fill(
                w.cli_copied,
                &[&done.events, &shown(&from), &shown(&to), &id, &hash],
            ));
            Ok(ExitCode::SUCCESS)
        }
        Command::Log {
            council,
            format,
            verify,
            session,
        } => {
            let folder = council_folder(council)?;
            if verify {
                let c = load_council(&folder)?;
                return verify_log(&c, &folder, &session.reading(&folder)?);
            }
            let c = load_council(&folder)?;
            let (_, events) = existing_session(&c, &folder, &session.reading(&folder)?)?;
            match format {
                Format::Csv => print(&report::log_csv(&events)),
                Format::Table => print(&log_table(&c, &events)),
            }
            Ok(ExitCode::SUCCESS)
        }
        _ => unreachable!("only these commands are dispatched here"),
    }
}

/// `log --verify`: the whole chain checked, and against the signed folders' heads.
pub(super) fn verify_log(c: &Council, folder: &Path, path: &Path) -> Result<ExitCode, Failure> {
    let w = words();
    if !session::exists(path) && session::lone_wal(path).is_none() {
        print(&fill(w.cli_chain_no_session, &[&path.display()]));
        return Ok(ExitCode::SUCCESS);
    }
    let mut s = Session::open_reading(path)?;
    signoff::anchor(folder, &mut s)?;
    match s.verify_chain() {
        None => print(&fill(w.cli_chain_unchained, &[&path.display()])),
        Some(Ok(head)) => {
            let since = match s.verify_acts(c)? {
                Ok(since) => since,
                Err(b) => return Err(Failure::Refused(b.said(path))),
            };
            let (n, hash) = head.map_or((0, String::new()), |h| (h.id, h.hash));
            let mut out = fill(w.cli_chain_whole, &[&path.display(), &n, &hash]);
            out += &match since {
                Some(id) => fill(w.cli_chain_signed_from, &[&id]),
                None => w.cli_chain_none_signed.to_string(),
            };
            print(&out);
        }
        Some(Err(b)) => return Err(Failure::Refused(b.said(path))),
    }
    Ok(ExitCode::SUCCESS)
}

/// One event in words: `xa-a 1.1.1: 1 → 0.5 by an ("Kế hoạch ban hành chậm")`.
pub fn describe(c: &Council, e: &session::Event) -> String {
    let w = words();
    // The member, and who recorded it on their behalf if someone did.
    let who = match &e.recorder {
        Some(r) if !e.member.is_empty() => fill(w.recorded_by, &[&e.member, r]),
        Some(r) => r.clone(),
        None => e.member.clone(),
    };
    let show = |v: &Option<String>| -> String {
        match v {
            None => w.self_word.into(),
            Some(v) => crate::appraisal::Decided::decode(v).map_or(v.clone(), |d| {
                if d == crate::appraisal::Decided::Na {
                    return w.na_short.into();
                }
                match (&e.unit, &e.code) {
                    (Some(u), Some(code)) => c
                        .unit_index(u)
                        .and_then(|u| c.framework_of(u).leaf(code).map(|(_, l)| d.show(l)))
                        .unwrap_or(v.clone()),
                    _ => v.clone(),
                }
            }),
        }
    };
    let kind = match e.kind() {
        Kind::Decide => w.kind_decide,
        Kind::Undo => w.kind_undo,
        Kind::Redo => w.kind_redo,
        Kind::Signoff => w.cli_kind_signoff,
        Kind::Reopen => w.cli_kind_reopen,
        Kind::Inputs => w.cli_kind_inputs,
        Kind::Confirm => w.kind_confirm,
        _ => e.kind.as_str(),
    };
    let said = |c: &str| {
        if c.is_empty() {
            String::new()
        } else {
            format!(" (\"{}\")", c.replace('\n', " "))
        }
    };
    match (&e.unit, &e.code) {
        (Some(u), Some(code)) if e.kind() == Kind::Ask => fill(
            w.cli_event_ask,
            &[u, code, &who, &e.comment.replace('\n', " ")],
        ),
        _ if e.kind() == Kind::Round => fill(w.cli_event_round, &[&e.comment, &e.round, &who]),
        _ if e.kind() == Kind::Attend => {
            let how = match e.after.as_deref() {
                Some("present") => w.ap_present.to_string(),
                Some("written") => fill(w.ap_written, &[&e.comment]),
                _ => w.ap_absent.to_string(),
            };
            fill(w.cli_event_attend, &[&who, &how])
        }
        _ if e.kind() == Kind::Vote => {
            let how = if e.after.as_deref() == Some("approve") {
                w.ap_approve
            } else {
                w.ap_object
            };
            fill(w.cli_event_vote, &[&who, &how]) + &said(&e.comment)
        }
        _ if e.kind() == Kind::Agenda => {
            fill(w.cli_event_agenda, &[&e.comment.lines().count(), &who])
        }
        _ if e.kind() == Kind::AgendaAt => {
            let item = crate::session::meeting::Item {
                unit: e.unit.clone().unwrap_or_default(),
                code: e.code.clone(),
            };
            fill(
                w.cli_event_agenda_at,
                &[&e.after.as_deref().unwrap_or("?"), &item.line(), &who],
            )
        }
        (Some(u), Some(code)) => {
            let mut s = fill(
                w.cli_event_leaf,
                &[&kind, u, code, &show(&e.before), &show(&e.after), &who],
            );
            if !e.comment.is_empty() {
                s += &format!(" (\"{}\")", e.comment.replace('\n', " "));
            }
            s
        }
        _ => fill(
            w.cli_event_other,
            &[
                &kind,
                &if who.is_empty() { "-" } else { &who },
                &e.comment.replace('\n', "; "),
            ],
        ),
    }
}

pub(super) fn log_table(c: &Council, events: &[session::Event]) -> String {
    if events.is_empty() {
        return words().cli_no_decisions.into();
    }
    let zone = session::time::shown_zone();
    let keyed = session::acting::uses_keys(c);
    events
        .iter()
        .map(|e| {
            // Where the council lists keys, an event without a signature says so.
            let unsigned = if keyed && e.sig.is_none() {
                format!(" [{}]", words().unsigned_mark)
            } else {
                String::new()
            };
            format!(
                "#{} {} {} {}{unsigned}\n",
                e.id,
                session::time::local_second(&e.at, &zone),
                fill(words().cli_round_mark, &[&e.round]),
                describe(c, e)
            )
        })
        .collect()
}

/// `thamdinh check`: the summary when the folder loads, else every problem.
pub(super) fn check(folder: &Path) -> Result<ExitCode, Failure> {
    print(&checked(folder)?);
    Ok(ExitCode::SUCCESS)
}

/// What `check` prints, or the problems that fail it.
pub(super) fn checked(folder: &Path) -> Result<String, Failure> {
    let c = load_council(folder)?;
    // An explanation of a round the session never closed fails every other
    // command: it fails the check too, at its `round`.
    let now = Session::round_at(&session::place_of(folder))?;
    let early = crate::load::explanation::of_open_rounds(&c, now);
    if !early.is_empty() {
        let lines: Vec<String> = early.iter().map(|d| d.render(lang())).collect();
        return Err(Failure::Refused(lines.join("\n")));
    }
    Ok(check_summary(folder, &c))
}

/// What `check` prints when the folder loads.
pub fn check_summary(folder: &Path, c: &Council) -> String {
    let w = words();
    let lang = lang();
    let mut s = fill(w.cli_check_head, &[&folder.display(), &c.name, &c.year]);
    for f in &c.frameworks {
        let criteria: usize = f.fields.iter().map(|x| x.criteria.len()).sum();
        let kinds = ["levels", "range", "ratio", "deduction", "bonus", "survey"]
            .iter()
            .filter_map(|k| {
                let of_kind: Vec<_> = f.leaves.iter().filter(|l| l.rule.kind() == *k).collect();
                let first = of_kind.first()?;
                Some(format!(
                    "{} {}",
                    of_kind.len(),
                    crate::i18n::rule_kind(lang, &first.rule)
                ))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let kinds = match f.max_index {
            Some(cap) => format!("{kinds}; {}", fill(w.cli_check_capped, &[&cap.short()])),
            None => kinds,
        };
        s += &fill(
            w.cli_check_framework,
            &[
                &f.id,
                &f.fields.len(),
                &criteria,
                &f.leaves.len(),
                &kinds,
                &f.full_max().short(),
            ],
        );
    }
    for (g, group) in c.groups.iter().enumerate() {
        let units: Vec<usize> = c.units_of_group(g).collect();
        let missing = units.iter().filter(|&&u| !c.submitted(u)).count();
        s += &fill(
            w.cli_check_group,
            &[&group.id, &group.name, &units.len(), &missing],
        );
    }
    let mut no_evidence = 0;
    let mut not_assessed = 0;
    let mut no_survey = 0;
    let mut na = 0;
    for (u, a) in c.assessments.iter().enumerate() {
        if a.file.is_none() {
            continue;
        }
        let fw = c.framework_of(u);
        for (claim, leaf) in a.claims.iter().zip(&fw.leaves) {
            no_evidence += claim.flags.no_evidence as usize;
            not_assessed += claim.flags.not_assessed as usize;
            no_survey += (claim.flags.no_survey && leaf.rule == Rule::Survey) as usize;
            na += claim.na as usize;
        }
    }
    s += &fill(
        w.cli_check_flags,
        &[
            &c.surveys.len(),
            &no_evidence,
            &not_assessed,
            &no_survey,
            &na,
        ],
    );
    // Last year's units continued by two of this year's (a split): said, not refused.
    if let Some(previous) = &c.previous {
        let ids = crate::compare::last_year_ids(previous);
        for (old, now) in crate::compare::splits_among(c, &|id| ids.contains(id)) {
            s += &format!("  {}", fill(w.cmp_split, &[&old, &now.join(", ")]));
        }
    }
    s += w.cli_check_ok;
    s
}
