//! The meeting from the screen: attendance and votes, the agenda and its current item, confirming a decision that waits.

use super::{Focus, Row, Screen};
use crate::i18n::fill;
use crate::tui::action::Action;
use crate::tui::app::{Flow, Layer};

impl Screen {
    /// The meeting: votes, the agenda and its current item; `None` for an action that is not one of them.
    pub(super) fn on_meeting(&mut self, action: &Action) -> Option<Flow> {
        match action.clone() {
            Action::Votes => {
                return Some(Flow::Push(Layer::Votes(crate::tui::app::Votes::default())));
            }
            Action::Agenda => {
                let sel = self.link.state().meeting.now;
                return Some(Flow::Push(Layer::Agenda(crate::tui::app::AgendaList {
                    sel,
                })));
            }
            Action::AgendaNext if self.refused_on_broken_log() => {}
            Action::AgendaNext => {
                let member = self.member.clone();
                match self.link.agenda_next(&self.council, &member) {
                    Ok(_) => self.go_to_agenda(),
                    Err(e) => self.error(self.decide_error(&e)),
                }
            }
            Action::AgendaMark if self.refused_on_broken_log() => {}
            Action::AgendaMark => self.agenda_mark(),
            _ => return None,
        }
        Some(Flow::Stay)
    }

    /// Confirms the selected leaf's waiting decision as the recording member.
    pub(super) fn confirm_selected(&mut self) {
        if self.refused_on_broken_log() {
            return;
        }
        let Some(l) = self.selected_leaf() else {
            return;
        };
        let u = self.unit;
        let Some(proposal) = self.link.state().meeting.pending.get(&(u, l)).cloned() else {
            self.info(self.words().pending_empty);
            return;
        };
        let (unit_id, code) = (
            self.council.units[u].id.clone(),
            self.council.framework_of(u).leaves[l].code.clone(),
        );
        let member = self.member.clone();
        let council = &self.council;
        match self
            .link
            .write(council, |s| s.confirm(council, &member, &unit_id, &code))
        {
            Ok(_) => {
                self.after_change(u);
                let leaf = &self.council.framework_of(u).leaves[l];
                let value = self.show_stored(proposal.after.as_deref(), leaf);
                let text = fill(
                    self.words().pending_confirmed,
                    &[
                        &self.short[u],
                        &code,
                        &value,
                        &self.member_name(&proposal.member),
                        &self.member_name(&member),
                    ],
                );
                self.info(text);
                // On to the next one waiting, if any.
                let list = self.pending();
                if let Some(&(nu, nl)) = list.iter().find(|&&q| q > (u, l)).or(list.first()) {
                    self.group = self.council.units[nu].group;
                    self.show_leaf(nu, nl);
                }
            }
            Err(e) => self.error(self.decide_error(&e)),
        }
    }

    /// Records a member's attendance (present, absent, or absent approving in
    /// writing with the document's reference); a refusal is said and returned.
    pub fn attend(
        &mut self,
        member: &str,
        present: bool,
        written: Option<&str>,
    ) -> Result<(), String> {
        let council = &self.council;
        match self
            .link
            .write(council, |s| s.attend(council, member, present, written))
        {
            Ok(_) => {
                let w = self.words();
                let how = match (written, present) {
                    (Some(r), _) => fill(w.ap_written, &[&crate::text::line(r)]),
                    (None, true) => w.ap_present.to_string(),
                    (None, false) => w.ap_absent.to_string(),
                };
                let text = fill(w.votes_recorded, &[&self.member_name(member), &how]);
                self.info(text);
                Ok(())
            }
            Err(e) => {
                let e = self.decide_error(&e);
                self.error(e.clone());
                Err(e)
            }
        }
    }

    /// Records a voting member's approval of or objection to the result as it stands.
    pub fn vote(&mut self, member: &str, approve: bool) {
        if self.refused_on_broken_log() {
            return;
        }
        let council = &self.council;
        match self
            .link
            .write(council, |s| s.vote(council, member, approve, ""))
        {
            Ok(_) => {
                let w = self.words();
                let how = if approve { w.ap_approve } else { w.ap_object };
                let text = fill(w.votes_recorded, &[&self.member_name(member), &how]);
                self.info(text);
            }
            Err(e) => self.error(self.decide_error(&e)),
        }
    }

    /// Goes to the agenda's item now discussed (its unit, and its leaf if it names one).
    pub fn go_to_agenda(&mut self) {
        let m = &self.link.state().meeting;
        let (now, len, item) = (m.now, m.agenda.len(), m.agenda.get(m.now).cloned());
        self.watch.agenda_seen = m.moved;
        let Some(item) = item else {
            return;
        };
        let Some(u) = self.council.unit_index(&item.unit) else {
            return;
        };
        self.group = self.council.units[u].group;
        match item
            .code
            .as_deref()
            .and_then(|c| self.council.framework_of(u).leaf(c))
        {
            Some((l, _)) => self.show_leaf(u, l),
            None => {
                self.unit = u;
                self.focus = Focus::Ranking;
                self.set_row(Row::Leaf(0));
            }
        }
        let text = fill(
            self.words().agenda_moved,
            &[&(now + 1), &len, &item.name(&self.council)],
        );
        self.info(text);
    }

    /// Puts the selected unit (or the selected leaf, from the tree) on the
    /// agenda at its end, or takes it off when it is there.
    pub(super) fn agenda_mark(&mut self) {
        use crate::session::meeting::Item;
        let unit = self.council.units[self.unit].id.clone();
        let code = match (self.focus, self.row) {
            (Focus::Tree, Row::Leaf(l)) => {
                Some(self.council.framework_of(self.unit).leaves[l].code.clone())
            }
            _ => None,
        };
        let item = Item { unit, code };
        let mut items = self.link.state().meeting.agenda.clone();
        let (said, n) = match items.iter().position(|i| *i == item) {
            Some(at) => {
                items.remove(at);
                (self.words().agenda_unmarked, at + 1)
            }
            None => {
                items.push(item.clone());
                (self.words().agenda_marked, items.len())
            }
        };
        if self.write_agenda(&items) {
            let text = fill(said, &[&item.name(&self.council), &n, &items.len()]);
            self.info(text);
        }
    }

    /// Records the agenda's items in a new order; whether it was recorded
    /// (else the status says why).
    pub(super) fn write_agenda(&mut self, items: &[crate::session::meeting::Item]) -> bool {
        if self.refused_on_broken_log() {
            return false;
        }
        let member = self.member.clone();
        match self.link.set_agenda(&self.council, &member, items) {
            Ok(_) => true,
            Err(e) => {
                self.error(self.decide_error(&e));
                false
            }
        }
    }

    /// Moves the agenda's item `from` to the place `to`; whether it moved.
    pub fn move_agenda_item(&mut self, from: usize, to: usize) -> bool {
        let mut items = self.link.state().meeting.agenda.clone();
        if from >= items.len() || to >= items.len() {
            return false;
        }
        let item = items.remove(from);
        items.insert(to, item.clone());
        let moved = self.write_agenda(&items);
        if moved {
            let text = fill(
                self.words().agenda_reordered,
                &[&item.name(&self.council), &(to + 1), &items.len()],
            );
            self.info(text);
        }
        moved
    }

    /// Takes the agenda's item `at` off.
    pub fn remove_agenda_item(&mut self, at: usize) {
        let mut items = self.link.state().meeting.agenda.clone();
        if at >= items.len() {
            return;
        }
        let item = items.remove(at);
        if self.write_agenda(&items) {
            let text = fill(
                self.words().agenda_unmarked,
                &[&item.name(&self.council), &(at + 1), &items.len()],
            );
            self.info(text);
        }
    }

    /// Moves the meeting to the agenda's item `at` and goes to it; whether it did.
    pub fn agenda_go(&mut self, at: usize) -> bool {
        if self.refused_on_broken_log() {
            return false;
        }
        let member = self.member.clone();
        let council = &self.council;
        match self
            .link
            .write(council, |s| s.agenda_at(council, &member, at))
        {
            Ok(_) => {
                self.go_to_agenda();
                true
            }
            Err(e) => {
                self.error(self.decide_error(&e));
                false
            }
        }
    }
}
