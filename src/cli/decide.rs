//! The commands that record decisions: `decide` (one, or many `--from` a spreadsheet), `undo`, `redo`, `round close`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::{ActingArg, Command, RoundAction, SessionArg};
use super::show::describe;
use super::{
    Failure, acting_council, council_folder, existing_session, lang, load_council, open_session_as,
    print, recorder_for, refused, refused_on, words,
};
use crate::appraisal::{Act, Change};
use crate::i18n::fill;
use crate::model::Council;
use crate::session::{self, DecideError};

pub(super) fn run(cmd: Command) -> Result<ExitCode, Failure> {
    let w = words();
    match cmd {
        Command::Decide {
            council,
            member,
            unit,
            code,
            points,
            numerator,
            denominator,
            na,
            applicable,
            comment,
            ask,
            from,
            acting,
            session,
        } => {
            let folder = council_folder(council)?;
            let c = load_council(&folder)?;
            let act = if ask.is_some()
                && from.is_none()
                && points.is_none()
                && !na
                && !applicable
                && numerator.is_none()
            {
                Act::Ask
            } else {
                Act::Decide
            };
            let recorder = recorder_for(&c, &member, &acting, act)?;
            if let Some(file) = from {
                return decide_from(&c, &folder, &member, &file, &session, recorder);
            }
            let (unit, code) = (unit.unwrap_or_default(), code.unwrap_or_default());
            let points = match points {
                Some(p) => Some(crate::Points::parse(&p).map_err(|_| {
                    Failure::Refused(format!(
                        "thamdinh: {}",
                        fill(
                            w.bad_points,
                            &[&format!("--points {}", crate::text::line(&p))]
                        )
                    ))
                })?),
                None => None,
            };
            let change = match (points, numerator.zip(denominator), na, applicable) {
                (_, _, true, _) => Some(Change::Na),
                (p, _, _, true) => Some(Change::Applicable(p)),
                (_, Some((n, d)), _, _) => Some(Change::Ratio(n, d)),
                (Some(p), _, _, _) => Some(Change::Points(p)),
                _ if ask.is_some() => None,
                _ => return Err(Failure::Usage(w.cli_say_what.into())),
            };
            let mut s = open_session_as(&c, &folder, &session.resolve(&folder), true, recorder)?;
            let asks: Vec<session::Ask> = change
                .into_iter()
                .map(|change| session::Ask {
                    unit: unit.clone(),
                    code: code.clone(),
                    change,
                    comment: comment.clone(),
                    seen: None,
                })
                .collect();
            let requests: Vec<session::Requested> = ask
                .into_iter()
                .map(|text| session::Requested {
                    unit: unit.clone(),
                    code: code.clone(),
                    text,
                })
                .collect();
            let batch = s
                .decide_batch(&c, &member, &asks, &requests)
                .map_err(|e| match e {
                    session::BatchError::Refused(mut r) => {
                        refused_on(DecideError::Refused(r.swap_remove(0).1), &c, &unit, &code)
                    }
                    session::BatchError::Store(e) => refused(DecideError::Store(e)),
                })?;
            for e in batch.decided.iter().chain(&batch.asked) {
                print(&fill(w.cli_recorded, &[&e.id, &describe(&c, e)]));
            }
            if batch.already > 0 {
                print(w.cli_already_recorded);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Undo {
            council,
            member,
            acting,
            session,
        } => undo_redo(council, &member, &acting, &session, true),
        Command::Redo {
            council,
            member,
            acting,
            session,
        } => undo_redo(council, &member, &acting, &session, false),
        Command::Round {
            action: RoundAction::Close,
            council,
            member,
            deadline,
            acting,
            session,
        } => {
            let (folder, c, mut s) =
                acting_council(council, &session, &member, &acting, Act::Round)?;
            let closed =
                crate::work::close_round(&mut s, &c, &folder, &member, deadline.as_deref())
                    .map_err(refused)?;
            print(&fill(
                w.cli_round_closed,
                &[&closed.round, &closed.event.round],
            ));
            let written = closed.notices?;
            print(&fill(
                w.cli_notices_written,
                &[
                    &(written.len() / crate::export::notice::FILES_PER_UNIT),
                    &closed.dir.display(),
                ],
            ));
            Ok(ExitCode::SUCCESS)
        }
        Command::Notices {
            council,
            round,
            session,
        } => {
            let folder = council_folder(council)?;
            let c = load_council(&folder)?;
            let (state, _) = existing_session(&c, &folder, &session.reading(&folder)?)?;
            if round < 1 || round >= state.round() {
                return Err(Failure::Refused(fill(
                    w.cli_round_not_closed,
                    &[&round, &state.round()],
                )));
            }
            let written = crate::export::notice::write(&folder, &c, &state, round)?;
            print(&fill(
                w.cli_notices_written,
                &[
                    &(written.len() / crate::export::notice::FILES_PER_UNIT),
                    &crate::export::notice::folder_of(&folder, round).display(),
                ],
            ));
            Ok(ExitCode::SUCCESS)
        }
        _ => unreachable!("only these commands are dispatched here"),
    }
}

pub(super) fn undo_redo(
    council: Option<PathBuf>,
    member: &str,
    acting: &ActingArg,
    session: &SessionArg,
    undo: bool,
) -> Result<ExitCode, Failure> {
    let folder = council_folder(council)?;
    let c = load_council(&folder)?;
    let recorder = recorder_for(&c, member, acting, Act::Decide)?;
    let path = session.resolve(&folder);
    let w = words();
    if !session::exists(&path) {
        let what = if undo {
            w.cli_undo_word
        } else {
            w.cli_redo_word
        };
        return Err(Failure::Refused(fill(
            w.cli_nothing_yet,
            &[&what, &path.display()],
        )));
    }
    let mut s = open_session_as(&c, &folder, &path, false, recorder)?;
    let e = if undo {
        s.undo(&c, member)
    } else {
        s.redo(&c, member)
    }
    .map_err(refused)?;
    print(&fill(w.cli_recorded, &[&e.id, &describe(&c, &e)]));
    Ok(ExitCode::SUCCESS)
}

/// `decide --from`: every row of a spreadsheet recorded in one transaction,
/// or none, every refused row named by its place with its reason.
pub(super) fn decide_from(
    c: &Council,
    folder: &Path,
    member: &str,
    file: &Path,
    session: &SessionArg,
    recorder: Option<session::acting::Recorder>,
) -> Result<ExitCode, Failure> {
    let w = words();
    let lang = lang();
    let rows = crate::forms::batch::read(file).map_err(|problems| {
        let lines = crate::forms::cells::render_all(&problems, lang);
        Failure::Refused(format!("{lines}{}", w.cli_batch_nothing))
    })?;
    let mut s = open_session_as(c, folder, &session.resolve(folder), true, recorder)?;
    let state = s.state(c)?;
    let mut asks = Vec::new();
    let mut requests = Vec::new();
    // Each ask and request, by position, back to its row.
    let mut ask_rows = Vec::new();
    let mut request_rows = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(change) = &r.change {
            let now_na = c.unit_index(&r.unit).is_some_and(|u| {
                c.framework_of(u)
                    .leaf(&r.code)
                    .is_some_and(|(l, _)| state.appraisal.value(c, u, l).na)
            });
            asks.push(session::Ask {
                unit: r.unit.clone(),
                code: r.code.clone(),
                change: crate::forms::batch::resolve(change, now_na),
                comment: r.comment.clone(),
                seen: None,
            });
            ask_rows.push(i);
        }
        if let Some(text) = &r.ask {
            requests.push(session::Requested {
                unit: r.unit.clone(),
                code: r.code.clone(),
                text: text.clone(),
            });
            request_rows.push(i);
        }
    }
    match s.decide_batch(c, member, &asks, &requests) {
        Ok(b) => {
            print(&fill(
                w.cli_batch_recorded,
                &[
                    &b.decided.len(),
                    &b.asked.len(),
                    &crate::text::line(&file.display().to_string()),
                    &(b.decided.len() + b.asked.len()),
                    &b.already,
                ],
            ));
            Ok(ExitCode::SUCCESS)
        }
        Err(session::BatchError::Refused(refusals)) => {
            let shown = crate::text::line(&file.display().to_string());
            let mut lines = Vec::new();
            for (k, why) in refusals {
                let row = if k < asks.len() {
                    ask_rows[k]
                } else {
                    request_rows[k - asks.len()]
                };
                let r = &rows[row];
                let rule = c
                    .unit_index(&r.unit)
                    .and_then(|u| c.framework_of(u).leaf(&r.code))
                    .map(|(_, l)| (&l.rule, l.max));
                let line = format!(
                    "{shown}:{}: {} {}: {}",
                    r.at,
                    crate::text::shown(&r.unit, 60),
                    crate::text::shown(&r.code, 60),
                    crate::i18n::refusal_on(lang, &why, rule)
                );
                lines.push(crate::text::shown(&line, 3 * crate::text::SHOWN));
            }
            Err(Failure::Refused(format!(
                "{}\n{}",
                lines.join("\n"),
                w.cli_batch_nothing
            )))
        }
        Err(session::BatchError::Store(e)) => Err(refused(DecideError::Store(e))),
    }
}
