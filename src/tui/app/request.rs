//! A request for an explanation of the selected leaf, typed on one line (yêu cầu giải trình).

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

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
            Action::Input(ev) => {
                match ev.code {
                    KeyCode::Backspace => {
                        self.text.pop();
                    }
                    KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                        self.text.push(c)
                    }
                    _ => {}
                }
                Flow::Stay
            }
            Action::Paste(text) => {
                let room = crate::load::MAX_NOTE.saturating_sub(self.text.chars().count());
                self.text
                    .extend(crate::text::line(&text).chars().take(room));
                Flow::Stay
            }
            _ => Flow::Stay,
        }
    }
}
