//! Searching units and criteria by name or code, with or without diacritics.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::Flow;
use super::handle::Finding;
use crate::tui::action::Action;

#[derive(Default)]
pub struct Search {
    pub query: String,
    pub sel: usize,
}

impl Search {
    pub fn update(&mut self, s: &mut dyn Finding, action: Action) -> Flow {
        match action {
            Action::Cancel => return Flow::Close,
            Action::Choose => {
                if let Some(hit) = s.search_hits(&self.query).get(self.sel).copied() {
                    s.go_to(hit);
                }
                return Flow::Close;
            }
            Action::Up => self.sel = self.sel.saturating_sub(1),
            Action::Down => {
                self.sel = (self.sel + 1).min(s.search_hits(&self.query).len().saturating_sub(1))
            }
            Action::Input(ev) => match ev.code {
                KeyCode::Backspace => {
                    self.query.pop();
                    self.sel = 0;
                }
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.query.push(c);
                    self.sel = 0;
                }
                _ => {}
            },
            Action::Paste(text) => {
                self.query.push_str(&crate::text::line(&text));
                self.sel = 0;
            }
            _ => {}
        }
        Flow::Stay
    }
}
