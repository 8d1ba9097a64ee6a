//! The round's work, asked alike by the screen, the command line and the progress table:
//! which leaves are a member's to decide, which were decided this round, which still need
//! the council's look, what is left unsettled before a sign-off, and closing a round with
//! its notices.

use std::path::{Path, PathBuf};

use crate::export::notice;
use crate::i18n::{Words, fill};
use crate::model::{Council, Member, Rule};
use crate::session::{DecideError, Event, Session, State};

/// Whether the leaf's value was set (decided, undone or redone) in the current round.
pub fn decided_this_round(state: &State, unit: usize, leaf: usize) -> bool {
    state
        .by_round
        .get(&(unit, leaf))
        .is_some_and(|r| r.contains_key(&state.round()))
}

/// Whether the leaf is the member's to decide: not a survey leaf, a unit they
/// are not in conflict with, a field assigned to them (any field, for the
/// chair, the secretary and a member without assignments).
pub fn is_theirs(council: &Council, member: &Member, unit: usize, leaf: usize) -> bool {
    let fw = council.framework_of(unit);
    let l = &fw.leaves[leaf];
    l.rule != Rule::Survey
        && !member.conflicts_with(&council.units[unit].id)
        && member.assigned_to(&fw.id, &fw.fields[l.field].code)
}

/// Every leaf that is the member's to decide, in roster order.
pub fn theirs<'a>(
    council: &'a Council,
    member: &'a Member,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    (0..council.units.len()).flat_map(move |u| {
        (0..council.framework_of(u).leaves.len())
            .filter(move |&l| is_theirs(council, member, u, l))
            .map(move |l| (u, l))
    })
}

/// The member's work queue in roster order: their leaves not yet decided in
/// this round (nothing for a member not in the council).
pub fn queue(council: &Council, state: &State, member: &str) -> Vec<(usize, usize)> {
    let Some(m) = council.member(member) else {
        return Vec::new();
    };
    theirs(council, m)
        .filter(|&(u, l)| !decided_this_round(state, u, l))
        .collect()
}

/// Whether a leaf still needs the council's look: not a survey leaf, and
/// nobody decided it yet, or (after round 1) the unit explained it and this
/// round has not decided it again.
pub fn needs_look(council: &Council, state: &State, unit: usize, leaf: usize) -> bool {
    let l = &council.framework_of(unit).leaves[leaf];
    if l.rule == Rule::Survey {
        return false;
    }
    let round = state.round();
    let explained = round > 1
        && council.explained(unit, &l.code, round - 1)
        && !decided_this_round(state, unit, leaf);
    explained || !state.appraisal.decisions.contains_key(&(unit, leaf))
}

/// A unit sent a closed round's notice, and whether it replied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub unit: usize,
    /// `None`: no explanation yet; else its `submitted` date, if it gives one.
    pub replied: Option<Option<String>>,
    /// The day its explanation was due (ISO), when the round's close set one.
    pub due: Option<String>,
}

impl Reply {
    /// Whether it came after the due day, or has not come and `today` (ISO) is past it.
    pub fn late(&self, today: &str) -> bool {
        let Some(due) = &self.due else {
            return false;
        };
        match &self.replied {
            None => today > due.as_str(),
            Some(Some(on)) => on.get(..10).unwrap_or(on) > due.as_str(),
            Some(None) => false,
        }
    }
}

/// The units a closed round's notices went to (a leaf that differs, or a
/// request), in roster order, each with its reply.
pub fn replies(council: &Council, state: &State, round: i64) -> Vec<Reply> {
    (0..council.units.len())
        .filter(|&u| !notice::lines(council, state, u, round).is_empty())
        .map(|u| Reply {
            unit: u,
            replied: council
                .explanations
                .iter()
                .find(|e| e.unit == u && e.round == round)
                .map(|e| e.submitted.clone()),
            due: state.deadline(round).map(str::to_string),
        })
        .collect()
}

/// Today's date in Vietnam, ISO (`2026-01-15`): what a due day is compared with.
pub fn today() -> String {
    crate::session::time::vietnam(&crate::session::utc_now())
        .map(|(y, m, d, ..)| format!("{y:04}-{m:02}-{d:02}"))
        .unwrap_or_default()
}

/// The replies in words, a line per unit: `id  replied DATE`, `id  not yet`,
/// each saying the due day and whether it is late, `today` (ISO) being the day.
pub fn replies_text(
    council: &Council,
    replies: &[Reply],
    round: i64,
    w: &Words,
    today: &str,
) -> String {
    if replies.is_empty() {
        return String::new();
    }
    let mut s = format!("\n{}\n", fill(w.pg_replies_title, &[&round]));
    for r in replies {
        let late = r.late(today);
        let due = r.due.as_deref().unwrap_or_default();
        let said = match (&r.replied, &r.due) {
            (None, Some(_)) if late => fill(w.pg_late_not_yet, &[&due]),
            (None, Some(_)) => fill(w.pg_not_yet_due, &[&due]),
            (None, None) => w.pg_not_yet.to_string(),
            (Some(Some(date)), _) if late => {
                fill(w.pg_replied_late, &[&crate::text::line(date), &due])
            }
            (Some(Some(date)), _) => fill(w.pg_replied_on, &[&crate::text::line(date)]),
            (Some(None), _) => w.pg_replied.to_string(),
        };
        s += &format!("  {}  {said}\n", council.units[r.unit].id);
    }
    s
}

/// What is left unsettled when the result is signed off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unsettled {
    /// Units that did not submit, in roster order.
    pub not_submitted: Vec<usize>,
    /// Submitted units with flagged leaves the council has not decided: (unit, how many).
    pub open_flags: Vec<(usize, usize)>,
}

impl Unsettled {
    pub fn is_empty(&self) -> bool {
        self.not_submitted.is_empty() && self.open_flags.is_empty()
    }

    /// In words, one line each: the units not submitted, then each unit's
    /// flagged leaves not yet decided (the screen's confirmation and the
    /// command line's warning say the same).
    pub fn lines(&self, council: &Council, w: &Words) -> Vec<String> {
        let mut out = Vec::new();
        if !self.not_submitted.is_empty() {
            let names: Vec<&str> = self
                .not_submitted
                .iter()
                .map(|&u| council.units[u].name.as_str())
                .collect();
            out.push(fill(w.flag_not_submitted, &[&names.join(", ")]));
        }
        for &(u, n) in &self.open_flags {
            out.push(fill(w.flag_open, &[&council.units[u].name, &n]));
        }
        out
    }
}

/// What a sign-off would leave unsettled (warned of, not refused).
pub fn unsettled(council: &Council, state: &State) -> Unsettled {
    let mut out = Unsettled::default();
    for u in 0..council.units.len() {
        if !council.submitted(u) {
            out.not_submitted.push(u);
            continue;
        }
        let n = state.appraisal.open_flags(council, u).count();
        if n > 0 {
            out.open_flags.push((u, n));
        }
    }
    out
}

/// A round closed.
pub struct Closed {
    /// The event that opened the next round.
    pub event: Event,
    /// The round closed.
    pub round: i64,
    /// Where its notices go.
    pub dir: PathBuf,
    /// The notices written (HTML and xlsx per unit with something to explain),
    /// or why they could not be: the round is closed either way.
    pub notices: anyhow::Result<Vec<PathBuf>>,
}

/// Closes the current round with its notices, as one step: the notices are
/// staged from the state the round leaves, then the round's event is
/// committed, then the notices are moved into place. Notices that cannot be
/// staged close nothing (running it again closes the same round); a process
/// that stops after the event leaves them staged, and the next command (or
/// the screen) moves them into place ([`crate::export::notice::settle`]).
pub fn close_round(
    session: &mut Session,
    council: &Council,
    folder: &Path,
    member: &str,
    deadline: Option<&str>,
) -> Result<Closed, DecideError> {
    // Asked before anything is staged: a member who may not close it stages nothing.
    crate::appraisal::may_close_round(council, member)?;
    let due = notice::deadline(council, deadline, &crate::session::utc_now())?;
    let state = session.fresh(council).map_err(DecideError::Store)?;
    let round = state.round();
    let staged = notice::stage_until(folder, council, state, round, due.as_deref())
        .map_err(DecideError::Store)?;
    let event = match session.close_round_until(council, member, due.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            let _ = std::fs::remove_dir_all(notice::staging_of(folder, round));
            return Err(e);
        }
    };
    let closed = event.round - 1;
    let notices = if closed == round {
        notice::place(folder, round).map(|dir| staged.iter().map(|n| dir.join(n)).collect())
    } else {
        // Another writer closed a round meanwhile: these notices are its own.
        let _ = std::fs::remove_dir_all(notice::staging_of(folder, round));
        session
            .fresh(council)
            .and_then(|state| notice::write(folder, council, state, closed))
    };
    Ok(Closed {
        event,
        round: closed,
        dir: notice::folder_of(folder, closed),
        notices,
    })
}
