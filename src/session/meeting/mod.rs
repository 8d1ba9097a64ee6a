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

mod record;

use std::collections::HashMap;

use super::event::{Event, leaf_at};
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
    /// Who recorded it on the member's behalf (the chair or the secretary at the meeting).
    #[serde(default)]
    pub recorder: Option<String>,
}

/// A member's vote on the result.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Vote {
    pub approve: bool,
    pub comment: String,
    pub at: String,
    pub event: i64,
    /// Who recorded it on the member's behalf.
    #[serde(default)]
    pub recorder: Option<String>,
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
    /// Whether the meeting went past the agenda's last item.
    pub fn finished(&self) -> bool {
        !self.agenda.is_empty() && self.now >= self.agenda.len()
    }

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
    pub fn of(council: &Council, state: &impl AsRef<Meeting>) -> Approval {
        let m = state.as_ref();
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
                        recorder: a.recorder.clone(),
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
        let mut out = String::from(
            "member,name,attendance,written,vote,comment,at,event,counted,recorded_by\n",
        );
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
            // Who recorded the vote on the member's behalf, if anyone did.
            let by = s
                .vote
                .as_ref()
                .and_then(|v| v.recorder.as_deref())
                .unwrap_or_default();
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
                by,
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

/// The items of an agenda, one per line: `unit` or `unit code` (blank lines
/// and `#` comments skipped).
pub(super) fn parse_items(text: &str) -> Vec<Item> {
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

pub(super) fn check_item(council: &Council, item: &Item) -> Result<(), Refusal> {
    match &item.code {
        Some(code) => leaf_at(council, &item.unit, code).map(|_| ()),
        None => council
            .unit_index(&item.unit)
            .map(|_| ())
            .ok_or_else(|| Refusal::UnknownUnit(item.unit.clone())),
    }
}

/// The chair or the secretary, else the refusal naming the member.
pub(super) fn leads(council: &Council, member: &str) -> Result<(), Refusal> {
    let m = council
        .member(member)
        .ok_or_else(|| Refusal::UnknownMember(member.into()))?;
    if m.leads() {
        Ok(())
    } else {
        Err(Refusal::AgendaNotAllowed(member.into()))
    }
}
