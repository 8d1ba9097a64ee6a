//! A request for an explanation of the selected leaf, typed on one line (yêu cầu giải trình).

use super::Flow;
use super::screen::Screen;
use crate::tui::action::Action;

pub struct Request {
    pub unit: usize,
    pub leaf: usize,
    pub text: String,
    pub error: Option<String>,
}

impl Request {
    pub fn new(unit: usize, leaf: usize) -> Request {
        Request {
            unit,
            leaf,
            text: String::new(),
            error: None,
        }
    }

    pub fn update(&mut self, s: &mut Screen, action: Action) -> Flow {
        if super::edit_line(&mut self.text, &action, crate::load::MAX_NOTE, false) {
            return Flow::Stay;
        }
        match action {
            Action::Cancel => {
                s.status = Some(super::Status::Info(s.words().nothing_asked.into()));
                Flow::Close
            }
            Action::Choose => match s.ask(self.unit, self.leaf, &self.text) {
                Ok(()) => Flow::Close,
                Err(e) => {
                    self.error = Some(e);
                    Flow::Stay
                }
            },
            _ => Flow::Stay,
        }
    }
}
