//! The meeting's layers: attendance and vote (every member, present or absent,
//! written approvals, votes), and the agenda's order.

use super::handle::Meeting;
use super::{Flow, Layer, nudge};
use crate::tui::action::Action;

/// The attendance and vote dialog: one line per member of the council.
#[derive(Default)]
pub struct Votes {
    pub sel: usize,
}

impl Votes {
    pub fn update(&mut self, s: &mut dyn Meeting, action: Action) -> Flow {
        if nudge(&mut self.sel, s.members().len(), &action) {
            return Flow::Stay;
        }
        let Some(id) = s.members().get(self.sel).map(|m| m.id.clone()) else {
            return Flow::Close;
        };
        match action {
            Action::Present | Action::Absent => {
                let _ = s.attend(&id, action == Action::Present, None);
            }
            Action::Written => {
                let asking = super::Asking::Written { member: id };
                return Flow::Push(Layer::Request(super::Request::new(asking)));
            }
            Action::Approve | Action::Object => s.vote(&id, action == Action::Approve),
            Action::Close => return Flow::Close,
            _ => {}
        }
        Flow::Stay
    }
}

/// The agenda's items, to order, take off or go to.
pub struct AgendaList {
    pub sel: usize,
}

impl AgendaList {
    pub fn update(&mut self, s: &mut dyn Meeting, action: Action) -> Flow {
        let len = s.agenda_len();
        if nudge(&mut self.sel, len, &action) {
            return Flow::Stay;
        }
        match action {
            Action::MoveUp | Action::MoveDown if len > 1 => {
                let to = if action == Action::MoveUp {
                    self.sel.checked_sub(1)
                } else {
                    Some(self.sel + 1).filter(|&t| t < len)
                };
                if let Some(to) = to
                    && s.move_agenda_item(self.sel, to)
                {
                    self.sel = to;
                }
            }
            Action::Remove if self.sel < len => {
                s.remove_agenda_item(self.sel);
                self.sel = self.sel.min(len.saturating_sub(2));
            }
            Action::Choose if self.sel < len && s.agenda_go(self.sel) => return Flow::Close,
            Action::Close => return Flow::Close,
            _ => {}
        }
        Flow::Stay
    }
}
