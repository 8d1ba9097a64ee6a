//! The screen's state and the one `update` that changes it: the main screen
//! (`screen`) under a stack of layers (one file each), every key an `Action`.
//!
//! Nothing here draws or touches the terminal; tests play a session as a list
//! of actions. Decisions go through `link`, the one part that talks to the
//! session, like `thamdinh decide`.

mod confirm;
mod decide;
mod handle;
mod help;
mod link;
mod meeting;
mod password;
mod pick;
mod request;
mod screen;
mod search;

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyEvent;

pub use confirm::{Confirm, Confirming};
pub use decide::{BoxField, DecisionBox};
pub use handle::{Closing, Confirms, Deciding, Finding, Hit, Meeting, Prompts, Say};
pub use help::Help;
pub use link::{Link, Past, PastKind};
pub use meeting::{AgendaList, Votes};
pub use password::Password;
pub use pick::{Levels, Members};
pub use request::{Asking, Request};
pub use screen::{Focus, Row, Screen, Status, View};
pub use search::Search;

use crate::i18n::Lang;
use crate::model::Council;
pub use crate::tui::action::{Action, Effect};
use crate::tui::keymap::{Key, KeyMap, Mode};

/// A layer above the main screen; the top one takes the keys first.
pub enum Layer {
    Help(Help),
    Decide(Box<DecisionBox>),
    Levels(Levels),
    Members(Members),
    Search(Search),
    Confirm(Confirm),
    Password(Password),
    Request(Request),
    Votes(Votes),
    Agenda(AgendaList),
}

impl Layer {
    pub fn mode(&self) -> Mode {
        match self {
            Layer::Help(_) => Mode::Help,
            Layer::Decide(d) => match d.field {
                BoxField::Points => Mode::Points,
                BoxField::Reason => Mode::Reason,
            },
            Layer::Levels(_) | Layer::Members(_) => Mode::List,
            Layer::Search(_) => Mode::Search,
            Layer::Confirm(_) => Mode::Confirm,
            Layer::Password(_) | Layer::Request(_) => Mode::Prompt,
            Layer::Votes(_) => Mode::Meeting,
            Layer::Agenda(_) => Mode::Agenda,
        }
    }

    fn update(&mut self, s: &mut Screen, action: Action) -> Flow {
        match self {
            Layer::Help(l) => l.update(action),
            Layer::Decide(l) => l.update(s, action),
            Layer::Levels(l) => l.update(s, action),
            Layer::Members(l) => l.update(s, action),
            Layer::Search(l) => l.update(s, action),
            Layer::Confirm(l) => l.update(s, action),
            Layer::Password(l) => l.update(s, action),
            Layer::Request(l) => l.update(s, action),
            Layer::Votes(l) => l.update(s, action),
            Layer::Agenda(l) => l.update(s, action),
        }
    }
}

/// Edits a one-line text field by a typed key or a paste (at most `max`
/// characters in all; a paste cleaned unless `raw`, as a password must stay);
/// whether the action was one of them.
pub(crate) fn edit_line(text: &mut String, action: &Action, max: usize, raw: bool) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    match action {
        Action::Input(ev) => {
            match ev.code {
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char(c)
                    if !ev.modifiers.contains(KeyModifiers::CONTROL)
                        && text.chars().count() < max =>
                {
                    text.push(c)
                }
                _ => {}
            }
            true
        }
        Action::Paste(pasted) => {
            let room = max.saturating_sub(text.chars().count());
            let pasted = pasted.trim_end_matches(['\n', '\r']);
            if raw {
                text.extend(pasted.chars().take(room));
            } else {
                text.extend(crate::text::line(pasted).chars().take(room));
            }
            true
        }
        _ => false,
    }
}

/// Moves a position in a list of `len` by an arrow or a page key; whether the
/// action was one of them.
pub(crate) fn nudge(pos: &mut usize, len: usize, action: &Action) -> bool {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => *pos = pos.saturating_sub(1),
        Action::Down => *pos = (*pos + 1).min(last),
        Action::PageUp => *pos = pos.saturating_sub(10),
        Action::PageDown => *pos = (*pos + 10).min(last),
        _ => return false,
    }
    true
}

/// What an update asks for next.
pub enum Flow {
    /// Nothing more: the layer (if any) stays.
    Stay,
    /// Close the top layer.
    Close,
    /// Put a layer on top.
    Push(Layer),
    /// Replace the top layer with another (a pick list becomes the decision box).
    Swap(Layer),
    /// Something only the loop can do.
    Do(Effect),
}

/// The whole state of the screen: the main screen, the layers over it, the keys.
pub struct App {
    pub main: Screen,
    pub layers: Vec<Layer>,
    pub keymap: KeyMap,
}

impl App {
    /// Opens the screen's state on a loaded council; reads the session if it exists.
    pub fn new(
        council: Council,
        folder: &Path,
        session_path: &Path,
        member: Option<&str>,
        lang: Lang,
        keymap: KeyMap,
    ) -> anyhow::Result<App> {
        Ok(App {
            main: Screen::new(council, folder, session_path, member, lang)?,
            layers: Vec::new(),
            keymap,
        })
    }

    /// The signing key used for a sign-off from the screen (else the member's own).
    pub fn with_key(mut self, key: Option<PathBuf>) -> App {
        self.main.key = key;
        self
    }

    /// The layer that takes keys now.
    pub fn mode(&self) -> Mode {
        self.layers.last().map_or(Mode::Main, Layer::mode)
    }

    /// The top layer, if any.
    pub fn top(&self) -> Option<&Layer> {
        self.layers.last()
    }

    /// Turns a key into an action for the top layer (or text for a text field) and applies it.
    pub fn key(&mut self, ev: KeyEvent) -> Option<Effect> {
        let mode = self.mode();
        if self.main.watch.follow && mode == Mode::Main {
            // A following screen only shows: quit, help, language, presenter.
            return match self.keymap.action(mode, Key::of(&ev)) {
                Some(a @ (Action::Quit | Action::Help | Action::Language | Action::Presenter)) => {
                    self.update(a.clone())
                }
                _ => None,
            };
        }
        match self.keymap.action(mode, Key::of(&ev)) {
            Some(a) => self.update(a.clone()),
            None if mode.takes_text() => self.update(Action::Input(ev)),
            None => None,
        }
    }

    /// The one place where the state changes.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        match &action {
            Action::Tick => {
                self.main.tick();
                return None;
            }
            Action::Resize(w, h) => {
                self.main.resize(*w, *h);
                return None;
            }
            Action::Input(_) | Action::Paste(_) => {}
            _ => self.main.status = None,
        }
        let flow = match self.layers.last_mut() {
            Some(layer) => layer.update(&mut self.main, action),
            None => self.main.update(action),
        };
        match flow {
            Flow::Stay => None,
            Flow::Close => {
                self.layers.pop();
                None
            }
            Flow::Push(l) => {
                self.layers.push(l);
                None
            }
            Flow::Swap(l) => {
                self.layers.pop();
                self.layers.push(l);
                None
            }
            Flow::Do(e) => Some(e),
        }
    }
}
