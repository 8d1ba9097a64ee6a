//! The meeting's commands: `agenda`, `attend`, `vote`, `approval`, `confirm`, `pending`.

use std::process::ExitCode;

use super::{
    Command, Failure, Format, acting_council, print, read_council, refused, refused_on, words,
};
use crate::appraisal::{Act, Decided};
use crate::i18n::{Words, fill};
use crate::model::Council;
use crate::session;
use crate::session::meeting::{Approval, Attendance, Meeting};

pub(super) fn run(cmd: Command) -> Result<ExitCode, Failure> {
    let w = words();
    match cmd {
        Command::Agenda {
            council,
            member,
            from,
            next,
            at,
            acting,
            session,
        } => {
            let Some(member) = member else {
                let (_, c, state) = read_council(council, &session)?;
                print(&agenda_text(&c, &state.meeting, w));
                return Ok(ExitCode::SUCCESS);
            };
            if from.is_none() && !next && at.is_none() {
                return Err(Failure::Usage(w.cli_agenda_say_what.into()));
            }
            let (_, c, mut s) = acting_council(council, &session, &member, &acting, Act::Agenda)?;
            if let Some(file) = from {
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    Failure::Refused(fill(w.cli_cannot_read_agenda, &[&file.display(), &e]))
                })?;
                let items = crate::session::meeting::read_agenda(&c, &text).map_err(|bad| {
                    let lang = super::lang();
                    let lines: Vec<String> = bad
                        .iter()
                        .map(|(n, r)| {
                            format!(
                                "{}:{n}: {}",
                                file.display(),
                                crate::i18n::refusal_on(lang, r, None)
                            )
                        })
                        .collect();
                    Failure::Refused(lines.join("\n"))
                })?;
                s.set_agenda(&c, &member, &items).map_err(refused)?;
            } else if next {
                s.agenda_next(&c, &member).map_err(refused)?;
            } else if let Some(n) = at {
                s.agenda_at(&c, &member, n.saturating_sub(1))
                    .map_err(refused)?;
            }
            let state = s.replay(&c)?;
            print(&agenda_text(&c, &state.meeting, w));
            Ok(ExitCode::SUCCESS)
        }
        Command::Attend {
            council,
            member,
            absent,
            written,
            acting,
            session,
        } => {
            let act = if written.is_some() {
                Act::Written
            } else {
                Act::Attend
            };
            let (_, c, mut s) = acting_council(council, &session, &member, &acting, act)?;
            s.attend(
                &c,
                &member,
                !absent && written.is_none(),
                written.as_deref(),
            )
            .map_err(refused)?;
            print(&approval_text(&c, &Approval::of(&c, &s.replay(&c)?), w));
            Ok(ExitCode::SUCCESS)
        }
        Command::Vote {
            council,
            member,
            approve,
            object,
            comment,
            acting,
            session,
        } => {
            let (_, c, mut s) = acting_council(council, &session, &member, &acting, Act::Vote)?;
            s.vote(
                &c,
                &member,
                approve && !object,
                comment.as_deref().unwrap_or(""),
            )
            .map_err(refused)?;
            print(&approval_text(&c, &Approval::of(&c, &s.replay(&c)?), w));
            Ok(ExitCode::SUCCESS)
        }
        Command::Approval {
            council,
            format,
            session,
        } => {
            let (_, c, state) = read_council(council, &session)?;
            let a = Approval::of(&c, &state);
            match format {
                Format::Csv => print(&a.csv()),
                Format::Table => print(&approval_text(&c, &a, w)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Confirm {
            council,
            member,
            unit,
            code,
            acting,
            session,
        } => {
            let (_, c, mut s) = acting_council(council, &session, &member, &acting, Act::Confirm)?;
            let e = s
                .confirm(&c, &member, &unit, &code)
                .map_err(|e| refused_on(e, &c, &unit, &code))?;
            let u = c.unit_index(&unit).unwrap_or_default();
            let leaf = c.framework_of(u).leaf(&code).map(|(_, l)| l);
            let value = leaf.map_or_else(String::new, |l| shown(e.after.as_deref(), l, w));
            print(&fill(w.cli_confirmed, &[&code, &unit, &value]));
            Ok(ExitCode::SUCCESS)
        }
        Command::Pending {
            council,
            format,
            session,
        } => {
            let (_, c, state) = read_council(council, &session)?;
            print(&pending_text(&c, &state, format, w));
            Ok(ExitCode::SUCCESS)
        }
        _ => unreachable!("only the meeting's commands are dispatched here"),
    }
}

/// A stored value as said to the council (the self points when none).
fn shown(v: Option<&str>, leaf: &crate::model::Leaf, w: &Words) -> String {
    match v.and_then(Decided::decode) {
        Some(d) => d.show(leaf),
        None => w.self_word.to_string(),
    }
}

fn agenda_text(c: &Council, m: &Meeting, w: &Words) -> String {
    if m.agenda.is_empty() {
        return w.cli_agenda_empty.to_string();
    }
    let mut out = fill(w.cli_agenda_head, &[&(m.now + 1), &m.agenda.len()]);
    for (i, item) in m.agenda.iter().enumerate() {
        let mark = if i == m.now { "▶" } else { " " };
        out += &format!("{mark} {:>3}  {}\n", i + 1, item.name(c));
    }
    if let Some(now) = m.agenda.get(m.now) {
        let names = now.conflicted(c);
        if !names.is_empty() {
            out += &fill(w.cli_agenda_conflicts, &[&names.join(", ")]);
        }
    }
    out
}

fn approval_text(c: &Council, a: &Approval, w: &Words) -> String {
    let rows: Vec<Vec<String>> = a
        .members
        .iter()
        .map(|s| {
            let attendance = match s.attendance.as_ref().map(|x| &x.how) {
                Some(Attendance::Present) => w.ap_present.to_string(),
                Some(Attendance::Absent) => w.ap_absent.to_string(),
                Some(Attendance::Written(r)) => fill(w.ap_written, &[&r]),
                None => "—".into(),
            };
            let vote = match &s.vote {
                None => "—".to_string(),
                Some(v) => {
                    let how = if v.approve { w.ap_approve } else { w.ap_object };
                    if s.stale {
                        fill(w.ap_stale, &[&how])
                    } else {
                        how.to_string()
                    }
                }
            };
            vec![s.member.clone(), s.name.clone(), attendance, vote]
        })
        .collect();
    let mut out = crate::report::aligned(
        &[
            w.ap_col_member,
            w.ap_col_name,
            w.ap_col_attendance,
            w.ap_col_vote,
        ],
        &rows,
        &[false, false, false, false],
    );
    let others = c.members.iter().filter(|m| !m.voting).count();
    if others > 0 {
        out += &fill(w.ap_not_voting, &[&others]);
    }
    out += &fill(
        if a.approved {
            w.ap_approved
        } else {
            w.ap_not_approved
        },
        &[&a.approve, &a.members.len(), &a.share, &a.needed, &a.object],
    );
    out
}

fn pending_text(c: &Council, state: &session::State, format: Format, w: &Words) -> String {
    let mut waiting: Vec<_> = state.meeting.pending.iter().collect();
    waiting.sort_by_key(|(_, e)| e.id);
    let rows: Vec<Vec<String>> = waiting
        .iter()
        .map(|&(&(u, l), e)| {
            let counted = state.appraisal.decisions.get(&(u, l));
            let leaf = &c.framework_of(u).leaves[l];
            vec![
                c.units[u].id.clone(),
                c.framework_of(u).leaves[l].code.clone(),
                shown(e.after.as_deref(), leaf, w),
                counted.map_or(w.self_word.to_string(), |d| d.value.show(leaf)),
                e.member.clone(),
                e.at.clone(),
                crate::text::line(&e.comment),
            ]
        })
        .collect();
    match format {
        Format::Csv => {
            let mut out = String::from("unit,code,proposed,counted,member,at,comment\n");
            for r in &rows {
                let cells: Vec<String> = r.iter().map(|x| crate::text::csv_field(x)).collect();
                out += &cells.join(",");
                out.push('\n');
            }
            out
        }
        Format::Table if rows.is_empty() => w.cli_nothing_pending.to_string(),
        Format::Table => crate::report::aligned(
            &[
                w.ap_col_unit,
                w.ap_col_code,
                w.ap_col_proposed,
                w.ap_col_counted,
                w.ap_col_member,
                w.ap_col_at,
                w.ap_col_comment,
            ],
            &rows,
            &[false, false, true, true, false, false, false],
        ),
    }
}
