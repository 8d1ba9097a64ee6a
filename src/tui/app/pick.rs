//! Pick lists: a level of the leaf's rule, or the member on whose behalf decisions are recorded.

use super::decide::{BoxField, DecisionBox};
use super::handle::Deciding;
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
    pub fn update(&mut self, s: &mut dyn Deciding, action: Action) -> Flow {
        if nudge(&mut self.sel, self.choices.len(), &action) {
            return Flow::Stay;
        }
        match action {
            Action::Choose => match (s.selected(), self.choices.get(self.sel)) {
                (Some((unit, l)), Some((p, _))) => Flow::Swap(Layer::from(DecisionBox::new(
                    s,
                    unit,
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
    pub fn update(&mut self, s: &mut dyn Deciding, action: Action) -> Flow {
        if nudge(&mut self.sel, s.members().len(), &action) {
            return Flow::Stay;
        }
        match action {
            Action::Choose => {
                if let Some(m) = s.members().get(self.sel) {
                    let (id, name) = (m.id.clone(), m.name.clone());
                    s.record_as(&id);
                    s.tell(&fill(s.words().recording_for, &[&name]));
                }
                Flow::Close
            }
            Action::Cancel => Flow::Close,
            _ => Flow::Stay,
        }
    }
}
