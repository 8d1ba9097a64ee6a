//! Pick lists: a level of the leaf's rule, or the member on whose behalf decisions are recorded.

use super::decide::{BoxField, DecisionBox};
use super::screen::Screen;
use super::{Flow, Layer, nudge};
use crate::appraisal::Decided;
use crate::i18n::fill;
use crate::points::Points;
use crate::tui::action::Action;

/// Choosing one of the leaf's allowed values; the choice opens the decision box.
pub struct Levels {
    pub choices: Vec<(Points, String)>,
    pub sel: usize,
}

impl Levels {
    pub fn update(&mut self, s: &mut Screen, action: Action) -> Flow {
        if nudge(&mut self.sel, self.choices.len(), &action) {
            return Flow::Stay;
        }
        match action {
            Action::Choose => match (s.selected_leaf(), self.choices.get(self.sel)) {
                (Some(l), Some((p, _))) => Flow::Swap(Layer::from(DecisionBox::new(
                    s,
                    s.unit,
                    l,
                    Decided::Points(*p),
                    BoxField::Reason,
                ))),
                _ => Flow::Close,
            },
            Action::Cancel => Flow::Close,
            _ => Flow::Stay,
        }
    }
}

/// Choosing the recording member.
pub struct Members {
    pub sel: usize,
}

impl Members {
    pub fn update(&mut self, s: &mut Screen, action: Action) -> Flow {
        if nudge(&mut self.sel, s.council.members.len(), &action) {
            return Flow::Stay;
        }
        match action {
            Action::Choose => {
                if let Some(m) = s.council.members.get(self.sel) {
                    s.member = m.id.clone();
                    s.status = Some(super::Status::Info(fill(
                        s.words().recording_for,
                        &[&m.name],
                    )));
                }
                Flow::Close
            }
            Action::Cancel => Flow::Close,
            _ => Flow::Stay,
        }
    }
}
