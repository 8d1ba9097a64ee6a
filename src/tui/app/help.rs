//! The help overlay's state: how far it is scrolled.

use super::Flow;
use crate::tui::action::Action;

#[derive(Default)]
pub struct Help {
    pub scroll: u16,
}

impl Help {
    pub fn update(&mut self, action: Action) -> Flow {
        match action {
            Action::Close => return Flow::Close,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::PageDown => self.scroll = self.scroll.saturating_add(10),
            _ => {}
        }
        Flow::Stay
    }
}
