//! The council meeting in the log: the agenda, attendance, the vote and its approval, and two-person confirmation.
//!
//! Each is an event like a decision, so the chain, the signed `log.csv` and
//! every screen following the session see them:
//!
//! - `agenda` (chair or secretary): the items to discuss, one per line of its
//!   comment (`unit` or `unit code`); `agenda_at`: the item now discussed (its
//!   unit and code, and its number from 1 in `after`).
//! - `attend`: the member it names is `present`, `absent`, or absent and
//!   approving in `written` form (the document's reference in the comment).
//!   The first one opens the meeting: assigned fields no longer restrict.
//! - `vote`: the member approves (`approve`) or objects (`object`) to the
//!   result as it stands. A later change of any leaf's value makes it stale.
//! - `confirm` (with `confirm = true`): a second member confirms the decision
//!   named in `target`, which only then counts.

use std::collections::HashMap;

use super::error::{DecideError, store};
use super::state::{State, bounded, leaf_at, leaf_of, set_leaf};
use super::write::insert;
use super::{Event, Kind, Session};
use crate::appraisal::Refusal;
use crate::model::Council;

/// How a member took part in the meeting.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Attendance {
    Present,
    Absent,
    /// Absent, approving in writing: the document's reference.
    Written(String),
}

/// A member's attendance as last recorded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attended {
    pub how: Attendance,
    pub at: String,
    pub event: i64,
}

/// A member's vote on the result.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Vote {
    pub approve: bool,
    pub comment: String,
    pub at: String,
    pub event: i64,
}

/// One item of the agenda: a unit, or one leaf of it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    pub unit: String,
    pub code: Option<String>,
}

impl Item {
    /// As written in an agenda file and in the `agenda` event: `unit` or `unit code`.
    pub fn line(&self) -> String {
        match &self.code {
            Some(c) => format!("{} {c}", self.unit),
            None => self.unit.clone(),
        }
    }

    /// As a council reads it: the unit's name, and the leaf's code and name.
    pub fn name(&self, c: &Council) -> String {
        let Some(u) = c.unit_index(&self.unit) else {
            return self.line();
        };
        let name = &c.units[u].name;
        match self
            .code
            .as_deref()
            .and_then(|code| c.framework_of(u).leaf(code))
        {
            Some((_, l)) => format!("{name} · {} {}", l.code, l.name),
            None => name.clone(),
        }
    }

    /// The members in conflict with the item's unit, by name (they step out).
    pub fn conflicted(&self, c: &Council) -> Vec<String> {
        c.members
            .iter()
            .filter(|m| m.conflicts_with(&self.unit))
            .map(|m| m.name.clone())
            .collect()
    }
}

/// What the meeting's events add up to.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Meeting {
    pub attendance: HashMap<String, Attended>,
    pub votes: HashMap<String, Vote>,
    /// The last event that changed a leaf's counted value: votes and written
    /// approvals before it are stale.
    pub changed: i64,
    pub agenda: Vec<Item>,
    /// The item now discussed (an index into `agenda`).
    pub now: usize,
    /// The last event that set the agenda or moved the meeting on (0: none).
    pub moved: i64,
    /// Under two-person confirmation: per leaf, the decision waiting for a
    /// second member (its event), while the leaf keeps its counted value.
    pub pending: HashMap<(usize, usize), Event>,
}

impl Meeting {
    /// The agenda's item now discussed and the two after it.
    pub fn now_next_then(&self) -> [Option<&Item>; 3] {
        [0, 1, 2].map(|i| self.agenda.get(self.now + i))
    }
}

/// A voting member's standing on the result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub member: String,
    pub name: String,
    pub attendance: Option<Attended>,
    /// The vote (a written approval counts as one), if any.
    pub vote: Option<Vote>,
    /// Whether a leaf changed after the vote, so that it no longer counts.
    pub stale: bool,
}

/// Whether the result is approved, and by whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    /// Every voting member, in council.toml order.
    pub members: Vec<Standing>,
    pub approve: usize,
    pub object: usize,
    /// Votes that a later decision made stale.
    pub stale: usize,
    /// Approvals needed: more than the threshold's share of all voting members.
    pub needed: usize,
    pub approved: bool,
    /// The threshold as written (`0.5`).
    pub share: String,
}

impl Approval {
    pub fn of(council: &Council, state: &State) -> Approval {
        let m = &state.meeting;
        let members: Vec<Standing> = council
            .members
            .iter()
            .filter(|x| x.voting)
            .map(|x| {
                let attendance = m.attendance.get(&x.id).cloned();
                let written = attendance.as_ref().and_then(|a| match &a.how {
                    Attendance::Written(r) => Some(Vote {
                        approve: true,
                        comment: r.clone(),
                        at: a.at.clone(),
                        event: a.event,
                    }),
                    _ => None,
                });
                let vote = match (m.votes.get(&x.id).cloned(), written) {
                    (Some(v), Some(w)) => Some(if w.event > v.event { w } else { v }),
                    (v, w) => v.or(w),
                };
                let stale = vote.as_ref().is_some_and(|v| v.event < m.changed);
                Standing {
                    member: x.id.clone(),
                    name: x.name.clone(),
                    attendance,
                    vote,
                    stale,
                }
            })
            .collect();
        let current = |approve: bool| {
            members
                .iter()
                .filter(|s| !s.stale && s.vote.as_ref().is_some_and(|v| v.approve == approve))
                .count()
        };
        let (approve, object) = (current(true), current(false));
        let stale = members.iter().filter(|s| s.stale).count();
        let voting = members.len() as i64;
        let needed = (council.approval * voting / 1_000_000 + 1) as usize;
        Approval {
            approved: !members.is_empty() && approve >= needed,
            members,
            approve,
            object,
            stale,
            needed,
            share: share_text(council.approval),
        }
    }

    /// The refusal of a sign-off while the result is not approved.
    pub fn refusal(&self) -> Refusal {
        Refusal::NotApproved {
            approve: self.approve,
            voting: self.members.len(),
            needed: self.needed,
            share: self.share.clone(),
        }
    }

    /// `approval.csv` of a signed folder: one row per voting member.
    pub fn csv(&self) -> String {
        let mut out =
            String::from("member,name,attendance,written,vote,comment,at,event,counted\n");
        for s in &self.members {
            let (attendance, written) = match s.attendance.as_ref().map(|a| &a.how) {
                Some(Attendance::Present) => ("present", ""),
                Some(Attendance::Absent) => ("absent", ""),
                Some(Attendance::Written(r)) => ("absent", r.as_str()),
                None => ("", ""),
            };
            let (vote, comment, at, event) = match &s.vote {
                Some(v) => (
                    if v.approve { "approve" } else { "object" },
                    v.comment.as_str(),
                    v.at.as_str(),
                    v.event.to_string(),
                ),
                None => ("", "", "", String::new()),
            };
            let counted = if s.vote.is_some() && !s.stale {
                "yes"
            } else {
                "no"
            };
            let row = [
                s.member.as_str(),
                &s.name,
                attendance,
                written,
                vote,
                comment,
                at,
                &event,
                counted,
            ];
            out += &row.map(crate::text::csv_field).join(",");
            out.push('\n');
        }
        out += &format!(
            "# approve {} of {} voting, {} needed (more than {}): {}\n",
            self.approve,
            self.members.len(),
            self.needed,
            self.share,
            if self.approved {
                "approved"
            } else {
                "not approved"
            }
        );
        out
    }
}

/// A threshold in millionths as written: `0.5`, `0.6667`.
fn share_text(millionths: i64) -> String {
    let s = format!("0.{millionths:06}");
    s.trim_end_matches('0').to_string()
}

/// Applies one meeting event to the state (the others are applied by the session).
pub(super) fn apply(council: &Council, state: &mut State, e: &Event) {
    let m = &mut state.meeting;
    match e.kind() {
        Kind::Attend => {
            let how = match e.after.as_deref() {
                Some("present") => Attendance::Present,
                Some("written") => Attendance::Written(e.comment.clone()),
                _ => Attendance::Absent,
            };
            m.attendance.insert(
                e.member.clone(),
                Attended {
                    how,
                    at: e.at.clone(),
                    event: e.id,
                },
            );
            state.appraisal.meeting = true;
        }
        Kind::Vote => {
            m.votes.insert(
                e.member.clone(),
                Vote {
                    approve: e.after.as_deref() == Some("approve"),
                    comment: e.comment.clone(),
                    at: e.at.clone(),
                    event: e.id,
                },
            );
        }
        Kind::Agenda => {
            let now = m.agenda.get(m.now).cloned();
            m.agenda = parse_items(&e.comment);
            // The item discussed stays the current one when it is still listed.
            m.now = now
                .and_then(|n| m.agenda.iter().position(|i| *i == n))
                .unwrap_or(0);
            m.moved = e.id;
        }
        Kind::AgendaAt => {
            m.now = e
                .after
                .as_deref()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(1)
                .saturating_sub(1);
            m.moved = e.id;
        }
        Kind::Confirm => {
            let Some(at) = leaf_of(council, e) else {
                return;
            };
            if m.pending.get(&at).map(|p| p.id) != e.target {
                return;
            }
            if let Some(proposal) = m.pending.remove(&at) {
                m.changed = e.id;
                set_leaf(council, state, &proposal);
                if let Some(d) = state.appraisal.decisions.get_mut(&at) {
                    d.confirmed_by = Some(e.member.clone());
                }
                let now = state.appraisal.decisions.get(&at).cloned();
                state.by_round.entry(at).or_default().insert(e.round, now);
            }
        }
        _ => {}
    }
}

/// Under two-person confirmation: a decision, undo or redo proposes the
/// leaf's new value; it waits for a second member unless it brings the leaf
/// back to its counted value (a withdrawal).
pub(super) fn propose(council: &Council, state: &mut State, e: &Event) {
    let Some(at) = leaf_of(council, e) else {
        set_leaf(council, state, e);
        return;
    };
    let counted = state.appraisal.decisions.get(&at).map(|d| d.value.encode());
    if e.after == counted {
        state.meeting.pending.remove(&at);
    } else {
        state.meeting.pending.insert(at, e.clone());
    }
}

/// The items of an agenda, one per line: `unit` or `unit code` (blank lines
/// and `#` comments skipped).
fn parse_items(text: &str) -> Vec<Item> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.split_whitespace();
            Item {
                unit: parts.next().unwrap_or_default().to_string(),
                code: parts.next().map(str::to_string),
            }
        })
        .collect()
}

/// Reads an agenda (a file's text): every line a unit of the roster, or a
/// unit and one of its leaves; each line that is not, with its number.
pub fn read_agenda(council: &Council, text: &str) -> Result<Vec<Item>, Vec<(usize, Refusal)>> {
    let mut items = Vec::new();
    let mut refused = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let found = parse_items(line);
        let Some(item) = found.into_iter().next() else {
            continue;
        };
        match check_item(council, &item) {
            Ok(()) => items.push(item),
            Err(r) => refused.push((n + 1, r)),
        }
    }
    if refused.is_empty() {
        Ok(items)
    } else {
        Err(refused)
    }
}

fn check_item(council: &Council, item: &Item) -> Result<(), Refusal> {
    match &item.code {
        Some(code) => leaf_at(council, &item.unit, code).map(|_| ()),
        None => council
            .unit_index(&item.unit)
            .map(|_| ())
            .ok_or_else(|| Refusal::UnknownUnit(item.unit.clone())),
    }
}

/// The chair or the secretary, else the refusal naming the member.
fn leads(council: &Council, member: &str) -> Result<(), Refusal> {
    let m = council
        .member(member)
        .ok_or_else(|| Refusal::UnknownMember(member.into()))?;
    if m.chair || m.secretary {
        Ok(())
    } else {
        Err(Refusal::AgendaNotAllowed(member.into()))
    }
}

impl Session {
    /// Records the agenda (chair or secretary); the item discussed stays
    /// current when it is still listed, else the meeting starts at the first.
    pub fn set_agenda(
        &mut self,
        council: &Council,
        member: &str,
        items: &[Item],
    ) -> Result<Event, DecideError> {
        leads(council, member)?;
        for item in items {
            check_item(council, item)?;
        }
        let text: Vec<String> = items.iter().map(Item::line).collect();
        self.one_event(council, member, |tx, _| {
            insert(
                tx,
                member,
                Kind::Agenda,
                None,
                None,
                None,
                None,
                &text.join("\n"),
                None,
            )
            .map_err(store)
        })
    }

    /// Moves the meeting to the agenda's item `index` (from 0; chair or secretary).
    pub fn agenda_at(
        &mut self,
        council: &Council,
        member: &str,
        index: usize,
    ) -> Result<Event, DecideError> {
        self.move_to(council, member, |_| index)
    }

    /// Moves the meeting on to the agenda's next item.
    pub fn agenda_next(&mut self, council: &Council, member: &str) -> Result<Event, DecideError> {
        self.move_to(council, member, |m| m.now + 1)
    }

    /// Moves the meeting to the item `pick` chooses from the meeting as the
    /// log has it inside the write (so two moves at once never skip one).
    fn move_to(
        &mut self,
        council: &Council,
        member: &str,
        pick: impl FnOnce(&Meeting) -> usize,
    ) -> Result<Event, DecideError> {
        leads(council, member)?;
        self.one_event(council, member, |tx, state| {
            let index = pick(&state.meeting);
            let len = state.meeting.agenda.len();
            if index >= len {
                return Err(Refusal::NoAgendaItem(index + 1, len).into());
            }
            let item = &state.meeting.agenda[index];
            insert(
                tx,
                member,
                Kind::AgendaAt,
                Some(&item.unit),
                item.code.as_deref(),
                None,
                Some((index + 1).to_string()),
                "",
                None,
            )
            .map_err(store)
        })
    }

    /// Records a member present or absent, or absent and approving in writing
    /// (`written`: the document's reference).
    pub fn attend(
        &mut self,
        council: &Council,
        member: &str,
        present: bool,
        written: Option<&str>,
    ) -> Result<Event, DecideError> {
        if council.member(member).is_none() {
            return Err(Refusal::UnknownMember(member.into()).into());
        }
        let written = written.map(crate::text::line);
        if written.as_ref().is_some_and(|w| w.trim().is_empty()) {
            return Err(Refusal::WrittenNeedsReference.into());
        }
        if written.is_some() && !council.member(member).is_some_and(|m| m.voting) {
            return Err(Refusal::NotVoting(member.into()).into());
        }
        let (how, reference) = match (&written, present) {
            (Some(r), _) => ("written", r.as_str()),
            (None, true) => ("present", ""),
            (None, false) => ("absent", ""),
        };
        bounded(reference)?;
        self.one_event(council, member, |tx, _| {
            insert(
                tx,
                member,
                Kind::Attend,
                None,
                None,
                None,
                Some(how.into()),
                reference,
                None,
            )
            .map_err(store)
        })
    }

    /// Records a voting member's approval of or objection to the result as it stands.
    pub fn vote(
        &mut self,
        council: &Council,
        member: &str,
        approve: bool,
        comment: &str,
    ) -> Result<Event, DecideError> {
        let m = council
            .member(member)
            .ok_or_else(|| Refusal::UnknownMember(member.into()))?;
        if !m.voting {
            return Err(Refusal::NotVoting(member.into()).into());
        }
        let comment = crate::text::para(comment);
        bounded(&comment)?;
        self.one_event(council, member, |tx, state| {
            if state
                .meeting
                .attendance
                .get(member)
                .is_some_and(|a| a.how == Attendance::Absent)
            {
                return Err(Refusal::VoterAbsent(member.into()).into());
            }
            let how = if approve { "approve" } else { "object" };
            insert(
                tx,
                member,
                Kind::Vote,
                None,
                None,
                None,
                Some(how.into()),
                &comment,
                None,
            )
            .map_err(store)
        })
    }

    /// Confirms the decision waiting on a leaf (another member than its
    /// author, under the rules of a decision on that leaf).
    pub fn confirm(
        &mut self,
        council: &Council,
        member: &str,
        unit_id: &str,
        code: &str,
    ) -> Result<Event, DecideError> {
        let (unit, leaf) = leaf_at(council, unit_id, code)?;
        self.one_event(council, member, |tx, state| {
            let Some(p) = state.meeting.pending.get(&(unit, leaf)) else {
                return Err(Refusal::NothingPending {
                    unit: unit_id.into(),
                    code: code.into(),
                }
                .into());
            };
            if p.member == member {
                return Err(Refusal::SelfConfirm(member.into()).into());
            }
            crate::appraisal::may_decide(council, member, unit, leaf, state.appraisal.meeting)?;
            let counted = state
                .appraisal
                .decisions
                .get(&(unit, leaf))
                .map(|d| d.value.encode());
            insert(
                tx,
                member,
                Kind::Confirm,
                Some(unit_id),
                Some(code),
                counted,
                p.after.clone(),
                "",
                Some(p.id),
            )
            .map_err(store)
        })
    }
}
