//! One-line prompts: a request for an explanation of the selected leaf (yêu
//! cầu giải trình), or the reference of an absent member's written approval.

use super::Flow;
use super::handle::Prompts;
use crate::tui::action::Action;

/// What a prompt's line is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Asking {
    /// A request to the unit to explain a leaf.
    Explanation { unit: usize, leaf: usize },
    /// The document by which an absent member approves in writing.
    Written { member: String },
}

pub struct Request {
    pub asking: Asking,
    pub text: String,
    pub error: Option<String>,
}

impl Request {
    pub fn new(asking: Asking) -> Request {
        Request {
            asking,
            text: String::new(),
            error: None,
        }
    }

    pub fn update(&mut self, s: &mut dyn Prompts, action: Action) -> Flow {
        if super::edit_line(&mut self.text, &action, crate::load::MAX_NOTE, false) {
            return Flow::Stay;
        }
        match action {
            Action::Cancel => {
                let said = match self.asking {
                    Asking::Explanation { .. } => s.words().nothing_asked,
                    Asking::Written { .. } => s.words().nothing_written,
                };
                s.tell(said);
                Flow::Close
            }
            Action::Choose => {
                let done = match &self.asking {
                    Asking::Explanation { unit, leaf } => s.ask(*unit, *leaf, &self.text),
                    Asking::Written { member } => {
                        super::handle::Meeting::attend(s, member, false, Some(&self.text))
                    }
                };
                match done {
                    Ok(()) => Flow::Close,
                    Err(e) => {
                        self.error = Some(e);
                        Flow::Stay
                    }
                }
            }
            _ => Flow::Stay,
        }
    }
}
