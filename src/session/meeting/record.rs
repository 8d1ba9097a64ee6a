//! The meeting's writes: the agenda and its current item, attendance, votes, a decision confirmed; each one event under the council's lock.

use super::{Attendance, Item, Meeting, check_item, leads};
use crate::appraisal::{Act, Refusal};
use crate::model::Council;
use crate::session::error::{DecideError, store};
use crate::session::event::{bounded, leaf_at};
use crate::session::write::insert;
use crate::session::{Event, Kind, Session, acting};

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
        self.may_act(council, member, Act::Agenda)?;
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
        self.move_to(council, member, |_| Ok(index))
    }

    /// Moves the meeting on to the agenda's next item.
    pub fn agenda_next(&mut self, council: &Council, member: &str) -> Result<Event, DecideError> {
        // Past the last item the meeting stays at the agenda's end (a
        // finished agenda's `now` is its length already).
        self.move_to(council, member, |m| {
            Ok(m.now.min(m.agenda.len().saturating_sub(1)) + 1)
        })
    }

    /// Moves the meeting to the item `pick` chooses from the meeting as the
    /// log has it inside the write (so two moves at once never skip one).
    fn move_to(
        &mut self,
        council: &Council,
        member: &str,
        pick: impl FnOnce(&Meeting) -> Result<usize, Refusal>,
    ) -> Result<Event, DecideError> {
        leads(council, member)?;
        self.may_act(council, member, Act::Agenda)?;
        self.one_event(council, member, |tx, state| {
            let index = pick(&state.meeting)?;
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
        let act = if written.is_some() {
            Act::Written
        } else {
            Act::Attend
        };
        self.may_act(council, member, act)?;
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
        self.may_act(council, member, Act::Vote)?;
        let on_behalf = self.recorder().is_some_and(|r| r.member() != member);
        self.one_event(council, member, |tx, state| {
            let attended = state.meeting.attendance.get(member).map(|a| &a.how);
            if attended == Some(&Attendance::Absent) {
                return Err(Refusal::VoterAbsent(member.into()).into());
            }
            if on_behalf && attended != Some(&Attendance::Present) {
                return Err(Refusal::AbsentOnBehalf(member.into()).into());
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
        self.may_act(council, member, Act::Confirm)?;
        let recorder = self.recorder().map_or(member, |r| r.member()).to_string();
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
            let decided_by = p.recorder.as_deref().unwrap_or(&p.member);
            if acting::uses_keys(council) && decided_by == recorder {
                return Err(Refusal::SameRecorder(recorder.clone()).into());
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
