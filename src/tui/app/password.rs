//! The signing key's password, typed into the screen (never shown).

use std::path::PathBuf;

use super::Flow;
use super::handle::Closing;
use crate::tui::action::Action;

pub struct Password {
    pub path: PathBuf,
    input: String,
    pub error: Option<String>,
}

impl Password {
    pub fn new(path: PathBuf) -> Password {
        Password {
            path,
            input: String::new(),
            error: None,
        }
    }

    /// How many characters are typed (the prompt shows dots).
    pub fn typed(&self) -> usize {
        self.input.chars().count()
    }

    pub fn update(&mut self, s: &mut dyn Closing, action: Action) -> Flow {
        if super::edit_line(&mut self.input, &action, 1024, true) {
            return Flow::Stay;
        }
        match action {
            Action::Cancel => {
                s.tell(s.words().not_signed);
                Flow::Close
            }
            Action::Choose => {
                let pw = std::mem::take(&mut self.input);
                match s.sign_with(&self.path.clone(), Some(&pw)) {
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
