//! The screen's state and the one `update` that changes it: every key becomes an `Action`.
//!
//! Nothing here draws or touches the terminal; tests play a session as a list
//! of actions. Decisions go through the library's session like `thamdinh decide`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use crate::appraisal::{Change, Decided};
use crate::i18n::Lang;
use crate::model::{Council, Rule};
use crate::points::Points;
use crate::score::{Score, Standings, Value};
use crate::session::{DecideError, Event, Session, State};
use crate::tui::keymap::{Key, KeyMap, Mode};
use crate::tui::theme::Theme;

/// Everything the keyboard can ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    FocusNext,
    FocusPrev,
    Open,
    Fold,
    NextLook,
    PrevLook,
    Accept,
    StepUp,
    StepDown,
    TypePoints,
    PickLevel,
    ToggleNa,
    Comment,
    Undo,
    Redo,
    Member,
    NextGroup,
    PrevGroup,
    OpenEvidence,
    Presenter,
    Search,
    Across,
    Overview,
    Language,
    SignOff,
    Export,
    Save,
    Cancel,
    NextField,
    Choose,
    Close,
    Yes,
    No,
    /// A key typed into a text field (the value or the comment editor).
    Input(KeyEvent),
    /// Text pasted into a text field.
    Paste(String),
    /// Another process wrote to the session.
    Refresh,
}

impl Action {
    pub fn from_name(name: &str) -> Option<Action> {
        Some(match name {
            "quit" => Action::Quit,
            "help" => Action::Help,
            "up" => Action::Up,
            "down" => Action::Down,
            "page_up" => Action::PageUp,
            "page_down" => Action::PageDown,
            "top" => Action::Top,
            "bottom" => Action::Bottom,
            "focus_next" => Action::FocusNext,
            "focus_prev" => Action::FocusPrev,
            "open" => Action::Open,
            "fold" => Action::Fold,
            "next_look" => Action::NextLook,
            "prev_look" => Action::PrevLook,
            "accept" => Action::Accept,
            "step_up" => Action::StepUp,
            "step_down" => Action::StepDown,
            "type_points" => Action::TypePoints,
            "pick_level" => Action::PickLevel,
            "toggle_na" => Action::ToggleNa,
            "comment" => Action::Comment,
            "undo" => Action::Undo,
            "redo" => Action::Redo,
            "member" => Action::Member,
            "next_group" => Action::NextGroup,
            "prev_group" => Action::PrevGroup,
            "open_evidence" => Action::OpenEvidence,
            "presenter" => Action::Presenter,
            "search" => Action::Search,
            "across" => Action::Across,
            "overview" => Action::Overview,
            "language" => Action::Language,
            "sign_off" => Action::SignOff,
            "export" => Action::Export,
            "save" => Action::Save,
            "cancel" => Action::Cancel,
            "next_field" => Action::NextField,
            "choose" => Action::Choose,
            "close" => Action::Close,
            "yes" => Action::Yes,
            "no" => Action::No,
            _ => return None,
        })
    }
}

/// What the middle of the screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The selected unit's criteria.
    Unit,
    /// One leaf for every unit of the group, to rule alike down the column.
    Across,
    /// Every unit's component index per field, and the group's indexes as bars.
    Overview,
}

/// A search result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Unit(usize),
    /// A leaf of the shown unit's framework.
    Leaf(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Ranking,
    Tree,
}

/// A row of the criteria tree: a field heading or a leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    Field(usize),
    Leaf(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogField {
    Value,
    Comment,
}

/// The decision being prepared for one leaf.
pub struct Dialog {
    pub unit: usize,
    pub leaf: usize,
    /// The value to record: points or not applicable.
    pub value: Decided,
    /// What is typed in the value field (when typing).
    pub typed: Option<String>,
    pub field: DialogField,
    pub comment: TextArea<'static>,
    pub error: Option<String>,
}

/// A layer above the main screen; it takes the keys first.
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Decide(Box<Dialog>),
    /// Choosing one of the leaf's allowed values.
    Levels {
        choices: Vec<(Points, String)>,
        sel: usize,
    },
    Members {
        sel: usize,
    },
    ConfirmSignoff {
        flagged: Vec<String>,
    },
    /// Searching units and criteria.
    Search {
        query: String,
        sel: usize,
    },
}

impl Overlay {
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::Help { .. } => Mode::Help,
            Overlay::Decide(_) => Mode::Dialog,
            Overlay::Levels { .. } | Overlay::Members { .. } => Mode::List,
            Overlay::ConfirmSignoff { .. } => Mode::Confirm,
            Overlay::Search { .. } => Mode::Dialog,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

/// What the sign-off from the screen needs beyond the state: done by the loop
/// (it may ask for a password), then reported back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    SignOff,
    OpenFile(PathBuf),
}

/// The whole state of the screen.
pub struct App {
    pub council: Council,
    pub folder: PathBuf,
    pub session_path: PathBuf,
    session: Option<Session>,
    pub state: State,
    /// Every event of the session, oldest first (for the leaf history).
    pub events: Vec<Event>,
    pub standings: Standings,
    /// Per unit: how many places it moved at the last change (+ up).
    pub moves: Vec<i64>,
    /// The unit the last change touched, with its index before it.
    pub last_change: Option<(usize, Score)>,
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: KeyMap,
    pub member: String,
    pub group: usize,
    /// The selected unit (roster index) and tree row.
    pub unit: usize,
    pub row: Row,
    pub folded: HashSet<(usize, usize)>,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    pub presenter: bool,
    pub view: View,
    pub quit: bool,
    /// Work for the loop that `update` cannot do itself.
    pub request: Option<Request>,
    /// Rows shown by the last frame's panes (for paging).
    pub page: usize,
}

fn tr(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
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
        let session = if session_path.exists() {
            let mut s = Session::open(session_path, false)?;
            s.reconcile(&council)?;
            Some(s)
        } else {
            None
        };
        let (state, events) = match &session {
            Some(s) => {
                let events = s.events()?;
                (State::of(&council, &events), events)
            }
            None => (State::default(), Vec::new()),
        };
        let member = match member {
            Some(m) if council.member(m).is_some() => m.to_string(),
            Some(m) => anyhow::bail!("no member `{m}` in council.toml"),
            None => council
                .members
                .iter()
                .find(|m| m.chair)
                .unwrap_or(&council.members[0])
                .id
                .clone(),
        };
        let standings = state.appraisal.standings(&council);
        let group = 0;
        let unit = standings.order[group].first().copied().unwrap_or(0);
        let mut app = App {
            moves: vec![0; council.units.len()],
            council,
            folder: folder.to_path_buf(),
            session_path: session_path.to_path_buf(),
            session,
            state,
            events,
            standings,
            last_change: None,
            lang,
            theme: Theme::from_env(),
            keymap,
            member,
            group,
            unit,
            row: Row::Leaf(0),
            folded: HashSet::new(),
            focus: Focus::Ranking,
            overlay: None,
            status: None,
            presenter: false,
            view: View::Unit,
            quit: false,
            request: None,
            page: 10,
        };
        if let Some(s) = app.startup_notes() {
            app.status = Some(s);
        }
        Ok(app)
    }

    fn startup_notes(&self) -> Option<Status> {
        let n = self.state.orphans.len();
        (n > 0).then(|| {
            Status::Error(match self.lang {
                Lang::Vi => format!("{n} quyết định không còn áp dụng (đơn vị hoặc tiêu chí đã bị xoá); xem `thamdinh log`"),
                Lang::En => format!("{n} decisions no longer apply (their unit or leaf is gone); see `thamdinh log`"),
            })
        })
    }

    fn t(&self, vi: &str, en: &str) -> String {
        tr(self.lang, vi, en)
    }

    /// The layer that takes keys now.
    pub fn mode(&self) -> Mode {
        self.overlay.as_ref().map_or(Mode::Main, Overlay::mode)
    }

    /// Turns a key into an action for the top layer, or text for a text field.
    pub fn key(&mut self, ev: KeyEvent) {
        // The search box takes every key as text or its own navigation.
        if matches!(self.overlay, Some(Overlay::Search { .. })) {
            self.update(Action::Input(ev));
            return;
        }
        let mode = self.mode();
        let key = Key::of(&ev);
        let action = self.keymap.action(mode, key).and_then(Action::from_name);
        let in_comment =
            matches!(&self.overlay, Some(Overlay::Decide(d)) if d.field == DialogField::Comment);
        let action =
            match action {
                // In the comment editor, only saving, cancelling and leaving the field are keys;
                // everything else is text.
                Some(
                    a @ (Action::Save | Action::Cancel | Action::NextField | Action::ToggleNa),
                ) if in_comment => Some(a),
                Some(_) if in_comment => Some(Action::Input(ev)),
                None if mode == Mode::Dialog => Some(Action::Input(ev)),
                other => other,
            };
        if let Some(a) = action {
            self.update(a);
        }
    }

    /// The one place where the state changes.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Input(_) | Action::Refresh) {
            self.status = None;
        }
        match self.overlay.take() {
            Some(o) => self.overlay_update(o, action),
            None => self.main_update(action),
        }
    }

    fn main_update(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.page.max(1) as i64)),
            Action::PageDown => self.move_by(self.page.max(1) as i64),
            Action::Top => self.move_by(i64::MIN / 2),
            Action::Bottom => self.move_by(i64::MAX / 2),
            Action::FocusNext | Action::FocusPrev => {
                self.focus = if self.focus == Focus::Ranking {
                    Focus::Tree
                } else {
                    Focus::Ranking
                };
            }
            Action::Open => match (self.focus, self.row) {
                (Focus::Ranking, _) => {
                    self.focus = Focus::Tree;
                    self.first_leaf_row();
                }
                (Focus::Tree, Row::Field(_)) => self.toggle_fold(),
                (Focus::Tree, Row::Leaf(l)) => self.open_dialog(l, None, DialogField::Value),
            },
            Action::Fold => self.toggle_fold(),
            Action::NextLook => self.jump_look(true),
            Action::PrevLook => self.jump_look(false),
            Action::Accept => self.accept(),
            Action::StepUp | Action::StepDown => {
                if let Some(l) = self.decidable_leaf() {
                    let current = self.dialog_start(l);
                    let stepped = self.step(l, &current, action == Action::StepUp);
                    self.open_dialog(l, Some(stepped), DialogField::Value);
                }
            }
            Action::TypePoints => {
                if let Some(l) = self.decidable_leaf() {
                    self.open_dialog(l, None, DialogField::Value);
                    if let Some(Overlay::Decide(d)) = &mut self.overlay {
                        d.typed = Some(String::new());
                    }
                }
            }
            Action::PickLevel => {
                if let Some(l) = self.decidable_leaf() {
                    let choices = self.choices(l);
                    if choices.is_empty() {
                        self.status = Some(Status::Error(self.t(
                            "tiêu chí này chấm theo khoảng: dùng + / - hoặc nhập điểm",
                            "this leaf is scored in a range: use + / - or type the points",
                        )));
                    } else {
                        let current = self
                            .state
                            .appraisal
                            .value(&self.council, self.unit, l)
                            .points;
                        let sel = choices.iter().position(|(p, _)| *p == current).unwrap_or(0);
                        self.overlay = Some(Overlay::Levels { choices, sel });
                    }
                }
            }
            Action::ToggleNa => {
                if let Some(l) = self.decidable_leaf() {
                    let current = self.dialog_start(l);
                    let next = match current {
                        Decided::Na => Decided::Points(self.own_points(l)),
                        _ => Decided::Na,
                    };
                    self.open_dialog(l, Some(next), DialogField::Comment);
                }
            }
            Action::Comment => {
                if let Some(l) = self.decidable_leaf() {
                    self.open_dialog(l, None, DialogField::Comment);
                }
            }
            Action::Undo | Action::Redo => self.undo_redo(action == Action::Undo),
            Action::Member => {
                let sel = self
                    .council
                    .members
                    .iter()
                    .position(|m| m.id == self.member)
                    .unwrap_or(0);
                self.overlay = Some(Overlay::Members { sel });
            }
            Action::NextGroup | Action::PrevGroup => {
                let n = self.council.groups.len();
                self.group = if action == Action::NextGroup {
                    (self.group + 1) % n
                } else {
                    (self.group + n - 1) % n
                };
                self.unit = self.standings.order[self.group]
                    .first()
                    .copied()
                    .unwrap_or(self.unit);
                self.first_leaf_row();
            }
            Action::OpenEvidence => self.open_evidence(),
            Action::Export => self.export(),
            Action::Presenter => self.presenter = !self.presenter,
            Action::Search => {
                self.overlay = Some(Overlay::Search {
                    query: String::new(),
                    sel: 0,
                })
            }
            Action::Across => {
                self.view = if self.view == View::Across {
                    View::Unit
                } else {
                    View::Across
                };
                if self.view == View::Across {
                    self.focus = Focus::Tree;
                    if let Row::Field(f) = self.row {
                        let fw = self.council.framework_of(self.unit);
                        self.row = Row::Leaf(fw.fields[f].leaves.start);
                    }
                }
            }
            Action::Overview => {
                self.view = if self.view == View::Overview {
                    View::Unit
                } else {
                    View::Overview
                }
            }
            Action::Language => {
                self.lang = if self.lang == Lang::Vi {
                    Lang::En
                } else {
                    Lang::Vi
                }
            }
            Action::SignOff => {
                if let Some((by, at)) = &self.state.locked_by {
                    self.status = Some(Status::Error(match self.lang {
                        Lang::Vi => {
                            format!("đã ký duyệt bởi {by} lúc {at}; cần `thamdinh reopen` để sửa")
                        }
                        Lang::En => format!(
                            "already signed off by {by} at {at}; `thamdinh reopen` to change it"
                        ),
                    }));
                } else {
                    self.overlay = Some(Overlay::ConfirmSignoff {
                        flagged: self.flagged(),
                    });
                }
            }
            Action::Refresh => self.refresh(),
            _ => {}
        }
    }

    fn overlay_update(&mut self, overlay: Overlay, action: Action) {
        match overlay {
            Overlay::Help { scroll } => match action {
                Action::Close | Action::Cancel | Action::Quit | Action::Help => {}
                Action::Up => {
                    self.overlay = Some(Overlay::Help {
                        scroll: scroll.saturating_sub(1),
                    })
                }
                Action::Down => {
                    self.overlay = Some(Overlay::Help {
                        scroll: scroll.saturating_add(1),
                    })
                }
                Action::Refresh => {
                    self.refresh();
                    self.overlay = Some(Overlay::Help { scroll });
                }
                _ => self.overlay = Some(Overlay::Help { scroll }),
            },
            Overlay::Levels { choices, sel } => match action {
                Action::Up => {
                    self.overlay = Some(Overlay::Levels {
                        sel: sel.saturating_sub(1),
                        choices,
                    })
                }
                Action::Down => {
                    let sel = (sel + 1).min(choices.len().saturating_sub(1));
                    self.overlay = Some(Overlay::Levels { choices, sel });
                }
                Action::Choose => {
                    if let (Some(l), Some((p, _))) = (self.selected_leaf(), choices.get(sel)) {
                        self.open_dialog(l, Some(Decided::Points(*p)), DialogField::Value);
                    }
                }
                Action::Cancel => {}
                Action::Refresh => {
                    self.refresh();
                    self.overlay = Some(Overlay::Levels { choices, sel });
                }
                _ => self.overlay = Some(Overlay::Levels { choices, sel }),
            },
            Overlay::Members { sel } => match action {
                Action::Up => {
                    self.overlay = Some(Overlay::Members {
                        sel: sel.saturating_sub(1),
                    })
                }
                Action::Down => {
                    self.overlay = Some(Overlay::Members {
                        sel: (sel + 1).min(self.council.members.len().saturating_sub(1)),
                    })
                }
                Action::Choose => {
                    self.member = self.council.members[sel].id.clone();
                    self.status = Some(Status::Info(match self.lang {
                        Lang::Vi => format!(
                            "quyết định được ghi thay mặt {}",
                            self.council.members[sel].name
                        ),
                        Lang::En => format!(
                            "decisions are recorded on behalf of {}",
                            self.council.members[sel].name
                        ),
                    }));
                }
                Action::Cancel => {}
                Action::Refresh => {
                    self.refresh();
                    self.overlay = Some(Overlay::Members { sel });
                }
                _ => self.overlay = Some(Overlay::Members { sel }),
            },
            Overlay::ConfirmSignoff { flagged } => match action {
                Action::Yes => self.request = Some(Request::SignOff),
                Action::No | Action::Cancel => {
                    self.status = Some(Status::Info(self.t("chưa ký duyệt", "not signed off")));
                }
                Action::Refresh => {
                    self.refresh();
                    self.overlay = Some(Overlay::ConfirmSignoff { flagged });
                }
                _ => self.overlay = Some(Overlay::ConfirmSignoff { flagged }),
            },
            Overlay::Search { mut query, mut sel } => {
                use ratatui::crossterm::event::{KeyCode, KeyModifiers};
                match action {
                    Action::Input(ev) => match ev.code {
                        KeyCode::Esc => return,
                        KeyCode::Enter => {
                            if let Some(hit) = self.search_hits(&query).get(sel).copied() {
                                self.go_to(hit);
                            }
                            return;
                        }
                        KeyCode::Up => sel = sel.saturating_sub(1),
                        KeyCode::Down => {
                            sel = (sel + 1).min(self.search_hits(&query).len().saturating_sub(1))
                        }
                        KeyCode::Backspace => {
                            query.pop();
                            sel = 0;
                        }
                        KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                            query.push(c);
                            sel = 0;
                        }
                        _ => {}
                    },
                    Action::Paste(text) => query.push_str(&crate::text::line(&text)),
                    Action::Refresh => self.refresh(),
                    _ => {}
                }
                self.overlay = Some(Overlay::Search { query, sel });
            }
            Overlay::Decide(mut d) => {
                match action {
                    Action::Cancel => return,
                    Action::Save => {
                        if let Err(e) = self.commit_typed(&mut d) {
                            d.error = Some(e);
                        } else {
                            match self.record(&d) {
                                Ok(()) => return,
                                Err(e) => d.error = Some(e),
                            }
                        }
                    }
                    Action::NextField => {
                        if let Err(e) = self.commit_typed(&mut d) {
                            d.error = Some(e);
                        } else {
                            d.field = if d.field == DialogField::Value {
                                DialogField::Comment
                            } else {
                                DialogField::Value
                            };
                        }
                    }
                    Action::StepUp | Action::StepDown if self.commit_typed(&mut d).is_ok() => {
                        d.value = self.step(d.leaf, &d.value, action == Action::StepUp);
                        d.error = None;
                    }
                    Action::ToggleNa => {
                        d.value = match d.value {
                            Decided::Na => Decided::Points(self.own_points(d.leaf)),
                            _ => Decided::Na,
                        };
                        d.typed = None;
                    }
                    Action::Input(ev) => self.dialog_input(&mut d, ev),
                    Action::Paste(text) if d.field == DialogField::Comment => {
                        d.comment.insert_str(crate::text::para(&text));
                    }
                    Action::Refresh => self.refresh(),
                    _ => {}
                }
                self.overlay = Some(Overlay::Decide(d));
            }
        }
    }

    fn dialog_input(&mut self, d: &mut Dialog, ev: KeyEvent) {
        use ratatui::crossterm::event::KeyCode;
        match d.field {
            DialogField::Comment => {
                d.comment.input(ev);
            }
            DialogField::Value => {
                let typed = d.typed.get_or_insert_with(String::new);
                match ev.code {
                    KeyCode::Char(c)
                        if c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '/') =>
                    {
                        typed.push(if c == ',' { '.' } else { c });
                    }
                    KeyCode::Backspace => {
                        typed.pop();
                    }
                    KeyCode::Enter => {
                        if let Err(e) = self.commit_typed(d) {
                            d.error = Some(e);
                        } else {
                            d.field = DialogField::Comment;
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Turns what was typed in the value field into the dialog's value.
    fn commit_typed(&self, d: &mut Dialog) -> Result<(), String> {
        let Some(text) = d.typed.take() else {
            return Ok(());
        };
        if text.trim().is_empty() {
            return Ok(());
        }
        // Corrected figures of a ratio leaf: `numerator/denominator`.
        if let Some((n, den)) = text.split_once('/') {
            return match (n.trim().parse::<u64>(), den.trim().parse::<u64>()) {
                (Ok(n), Ok(den)) => {
                    d.value = Decided::Ratio(n, den);
                    d.error = None;
                    Ok(())
                }
                _ => {
                    d.typed = Some(text.clone());
                    Err(format!(
                        "{text}: {}",
                        self.t(
                            "số liệu phải là hai số nguyên, ví dụ 96/100",
                            "figures are two whole numbers, e.g. 96/100"
                        )
                    ))
                }
            };
        }
        match Points::parse(&text) {
            Ok(p) => {
                d.value = Decided::Points(p);
                d.error = None;
                Ok(())
            }
            Err(e) => {
                d.typed = Some(text.clone());
                Err(format!("{text} {e}"))
            }
        }
    }

    /// Records the dialog's decision through the session.
    fn record(&mut self, d: &Dialog) -> Result<(), String> {
        let comment = d.comment.lines().join("\n");
        let leaf = &self.council.framework_of(d.unit).leaves[d.leaf];
        let now = self.state.appraisal.value(&self.council, d.unit, d.leaf);
        let change = match d.value {
            Decided::Na => Change::Na,
            Decided::Points(p) if now.na => Change::Applicable(Some(p)),
            Decided::Points(p) => Change::Points(p),
            Decided::Ratio(n, den) => Change::Ratio(n, den),
        };
        let unit_id = self.council.units[d.unit].id.clone();
        let code = leaf.code.clone();
        let member = self.member.clone();
        self.ensure_session()?;
        let Some(s) = self.session.as_mut() else {
            return Err("no session".into());
        };
        let result = s.decide(&self.council, &member, &unit_id, &code, &change, &comment);
        match result {
            Ok(e) => {
                self.after_change(d.unit);
                let st = &self.standings.units[d.unit];
                let before = self
                    .last_change
                    .map(|(_, s)| s.index_text())
                    .unwrap_or_default();
                let mv = match self.moves[d.unit] {
                    m if m > 0 => format!(" ▲{m}"),
                    m if m < 0 => format!(" ▼{}", -m),
                    _ => String::new(),
                };
                self.status = Some(Status::Info(format!(
                    "#{} {}: {} {before} → {}{mv}",
                    e.id,
                    self.t("đã ghi", "recorded"),
                    self.council.units[d.unit].name,
                    st.score.index_text()
                )));
                Ok(())
            }
            Err(DecideError::Refused(r)) => Err(self.refusal_text(&r)),
            Err(DecideError::Store(e)) => Err(format!("{e:#}")),
        }
    }

    fn refusal_text(&self, r: &crate::appraisal::Refusal) -> String {
        use crate::appraisal::Refusal;
        match (self.lang, r) {
            (Lang::Vi, Refusal::CommentNeeded(code)) => {
                format!("{code}: điểm khác điểm tự chấm, cần ghi nhận xét lý do")
            }
            (Lang::Vi, Refusal::Conflict { member, unit }) => {
                format!(
                    "{member} không được quyết định đối với {unit} (xung đột lợi ích); nhấn m để chọn thành viên khác"
                )
            }
            (Lang::Vi, Refusal::Locked) => {
                "kết quả đã ký duyệt và bị khoá; cần `thamdinh reopen`".into()
            }
            (Lang::Vi, Refusal::NaNotAllowed(code)) => {
                format!("{code} không được phép đánh giá là không áp dụng")
            }
            (Lang::Vi, Refusal::Rule { code, why }) => format!("{code}: không hợp lệ ({why})"),
            (Lang::Vi, Refusal::NothingToUndo(_)) => "không còn gì để hoàn tác".into(),
            (Lang::Vi, Refusal::NothingToRedo(_)) => "không còn gì để làm lại".into(),
            (Lang::Vi, Refusal::ChangedSince { code, by, .. }) => {
                format!("{code} đã được {by} thay đổi sau đó; hãy quyết định lại")
            }
            _ => r.to_string(),
        }
    }

    /// Opens the session, creating it at the first decision.
    fn ensure_session(&mut self) -> Result<(), String> {
        if self.session.is_none() {
            let mut s = Session::open(&self.session_path, true).map_err(|e| format!("{e:#}"))?;
            s.reconcile(&self.council).map_err(|e| format!("{e:#}"))?;
            self.session = Some(s);
        }
        Ok(())
    }

    /// After this screen changed a unit: read the new events, rescore that unit, note the moves.
    fn after_change(&mut self, unit: usize) {
        let before: Vec<(usize, u32)> = self.standings.order[self.council.units[unit].group]
            .iter()
            .map(|&u| (u, self.standings.units[u].rank))
            .collect();
        let old_score = self.standings.units[unit].score;
        self.refresh_own();
        let score = self.state.appraisal.score(&self.council, unit);
        self.standings.set_score(&self.council, unit, score);
        for m in self.moves.iter_mut() {
            *m = 0;
        }
        for (u, old) in before {
            self.moves[u] = old as i64 - self.standings.units[u].rank as i64;
        }
        self.last_change = Some((unit, old_score));
    }

    /// Another process wrote: read its events and re-rank everything.
    pub fn refresh(&mut self) {
        let Some(s) = &mut self.session else {
            if self.session_path.exists()
                && let Ok(s) = Session::open(&self.session_path, false)
            {
                self.session = Some(s);
                self.refresh();
            }
            return;
        };
        if let Ok(new) = s.refresh(&self.council, &mut self.state)
            && !new.is_empty()
        {
            self.events.extend(new);
            let old: Vec<u32> = self.standings.units.iter().map(|s| s.rank).collect();
            self.standings = self.state.appraisal.standings(&self.council);
            for (u, o) in old.into_iter().enumerate() {
                self.moves[u] = o as i64 - self.standings.units[u].rank as i64;
            }
        }
    }

    /// Whether the session was changed by another process (cheap; for the loop's timer).
    pub fn changed_elsewhere(&mut self) -> bool {
        match &mut self.session {
            Some(s) => s.changed_elsewhere().unwrap_or(false),
            None => self.session_path.exists(),
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let member = self.member.clone();
        if let Err(e) = self.ensure_session() {
            self.status = Some(Status::Error(e));
            return;
        }
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let result = if undo {
            s.undo(&self.council, &member)
        } else {
            s.redo(&self.council, &member)
        };
        match result {
            Ok(e) => {
                if let Some(u) = e.unit.as_deref().and_then(|u| self.council.unit_index(u)) {
                    self.after_change(u);
                }
                let what = if undo {
                    self.t("đã hoàn tác", "undone")
                } else {
                    self.t("đã làm lại", "redone")
                };
                self.status = Some(Status::Info(format!(
                    "{what}: {} {}",
                    e.unit.unwrap_or_default(),
                    e.code.unwrap_or_default()
                )));
            }
            Err(DecideError::Refused(r)) => {
                self.status = Some(Status::Error(self.refusal_text(&r)))
            }
            Err(DecideError::Store(e)) => self.status = Some(Status::Error(format!("{e:#}"))),
        }
    }

    /// Records the unit's own value as the council's: the leaf is reviewed.
    fn accept(&mut self) {
        let Some(l) = self.decidable_leaf() else {
            return;
        };
        let own = crate::appraisal::self_value(&self.council, self.unit, l);
        let value = if own.na {
            Decided::Na
        } else {
            Decided::Points(own.points)
        };
        let mut d = self.dialog_for(l, Some(value), DialogField::Value);
        if let Some(dec) = self.state.appraisal.decisions.get(&(self.unit, l)) {
            d.comment = TextArea::new(dec.comment.lines().map(str::to_string).collect());
        }
        if let Err(e) = self.record(&d) {
            self.status = Some(Status::Error(e));
        }
    }

    fn dialog_for(&self, leaf: usize, value: Option<Decided>, field: DialogField) -> Dialog {
        let value = value.unwrap_or_else(|| self.dialog_start(leaf));
        let comment = self
            .state
            .appraisal
            .decisions
            .get(&(self.unit, leaf))
            .map(|d| d.comment.lines().map(str::to_string).collect())
            .unwrap_or_default();
        let mut comment = TextArea::new(comment);
        comment.set_placeholder_text(self.t(
            "Lý do (bắt buộc khi điểm khác điểm tự chấm)…",
            "Why (needed when the points differ from the unit's)…",
        ));
        comment.move_cursor(ratatui_textarea::CursorMove::Bottom);
        comment.move_cursor(ratatui_textarea::CursorMove::End);
        Dialog {
            unit: self.unit,
            leaf,
            value,
            typed: None,
            field,
            comment,
            error: None,
        }
    }

    fn open_dialog(&mut self, leaf: usize, value: Option<Decided>, field: DialogField) {
        if self.state.locked() {
            self.status = Some(Status::Error(self.t(
                "kết quả đã ký duyệt và bị khoá",
                "the result is signed off and locked",
            )));
            return;
        }
        let d = self.dialog_for(leaf, value, field);
        self.overlay = Some(Overlay::Decide(Box::new(d)));
    }

    /// The value a dialog starts from: the council's decision, else the unit's own.
    fn dialog_start(&self, leaf: usize) -> Decided {
        match self.state.appraisal.decisions.get(&(self.unit, leaf)) {
            Some(d) => d.value.clone(),
            None => {
                let v = crate::appraisal::self_value(&self.council, self.unit, leaf);
                if v.na {
                    Decided::Na
                } else {
                    Decided::Points(v.points)
                }
            }
        }
    }

    fn own_points(&self, leaf: usize) -> Points {
        let own = crate::appraisal::self_value(&self.council, self.unit, leaf);
        if own.na { Points::ZERO } else { own.points }
    }

    /// The next allowed value up or down from `from`.
    fn step(&self, leaf: usize, from: &Decided, up: bool) -> Decided {
        let fw = self.council.framework_of(self.unit);
        let l = &fw.leaves[leaf];
        let current = match from {
            Decided::Na => return Decided::Points(self.own_points(leaf)),
            d => d.value(l).points,
        };
        let choices: Vec<Points> = self.choices(leaf).into_iter().map(|(p, _)| p).collect();
        if !choices.is_empty() {
            let mut sorted = choices;
            sorted.sort();
            let next = if up {
                sorted.iter().find(|&&p| p > current)
            } else {
                sorted.iter().rev().find(|&&p| p < current)
            };
            return Decided::Points(next.copied().unwrap_or(current));
        }
        let (lo, hi) = match l.rule {
            Rule::Deduction { min } => (min, Points::ZERO),
            _ => (Points::ZERO, l.max),
        };
        let step = fw.step;
        let p = if up { current + step } else { current - step };
        Decided::Points(p.max(lo).min(hi))
    }

    /// The allowed values of a levels or ratio leaf, highest first, with labels.
    pub fn choices(&self, leaf: usize) -> Vec<(Points, String)> {
        let l = &self.council.framework_of(self.unit).leaves[leaf];
        match &l.rule {
            Rule::Levels(levels) => levels.iter().map(|x| (x.points, x.label.clone())).collect(),
            Rule::Ratio(bands) => {
                let mut v: Vec<(Points, String)> = bands
                    .iter()
                    .map(|b| (b.points, format!("≥ {}%", b.min.short())))
                    .collect();
                if !bands.iter().any(|b| b.points == Points::ZERO) {
                    v.push((Points::ZERO, self.t("dưới mọi ngưỡng", "below every band")));
                }
                v
            }
            _ => Vec::new(),
        }
    }

    /// Units of every group and leaves of the shown unit that match a query, by
    /// name or code, with or without diacritics (at most 50).
    pub fn search_hits(&self, query: &str) -> Vec<Hit> {
        if query.trim().is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .council
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| crate::text::matches(&u.name, query) || u.id.contains(query.trim()))
            .map(|(i, _)| Hit::Unit(i))
            .collect();
        let fw = self.council.framework_of(self.unit);
        hits.extend(
            fw.leaves
                .iter()
                .enumerate()
                .filter(|(_, l)| {
                    l.code.starts_with(query.trim()) || crate::text::matches(&l.name, query)
                })
                .map(|(i, _)| Hit::Leaf(i)),
        );
        hits.truncate(50);
        hits
    }

    /// Shows a search result.
    fn go_to(&mut self, hit: Hit) {
        match hit {
            Hit::Unit(u) => {
                self.unit = u;
                self.group = self.council.units[u].group;
                self.focus = Focus::Ranking;
                self.clamp_row();
            }
            Hit::Leaf(l) => {
                let fw_index = self.council.groups[self.council.units[self.unit].group].framework;
                self.folded
                    .remove(&(fw_index, self.council.frameworks[fw_index].leaves[l].field));
                self.row = Row::Leaf(l);
                self.focus = Focus::Tree;
            }
        }
    }

    /// The selected leaf when it can be decided; says why not otherwise.
    fn decidable_leaf(&mut self) -> Option<usize> {
        let l = self.selected_leaf()?;
        if self.council.framework_of(self.unit).leaves[l].rule == Rule::Survey {
            self.status = Some(Status::Error(self.t(
                "tiêu chí khảo sát: điểm lấy từ kết quả điều tra, Hội đồng không chấm",
                "a survey leaf: its points come from the survey and are read-only",
            )));
            return None;
        }
        if self.state.locked() {
            self.status = Some(Status::Error(self.t(
                "kết quả đã ký duyệt và bị khoá",
                "the result is signed off and locked",
            )));
            return None;
        }
        Some(l)
    }

    pub fn selected_leaf(&self) -> Option<usize> {
        match self.row {
            Row::Leaf(l) => Some(l),
            Row::Field(_) => None,
        }
    }

    /// The visible rows of the selected unit's criteria (folded fields show only their heading).
    pub fn rows(&self) -> Vec<Row> {
        let fw_index = self.council.groups[self.council.units[self.unit].group].framework;
        let fw = &self.council.frameworks[fw_index];
        let mut rows = Vec::with_capacity(fw.leaves.len() + fw.fields.len());
        for (f, field) in fw.fields.iter().enumerate() {
            rows.push(Row::Field(f));
            if !self.folded.contains(&(fw_index, f)) {
                rows.extend(field.leaves.clone().map(Row::Leaf));
            }
        }
        rows
    }

    fn first_leaf_row(&mut self) {
        self.row = Row::Leaf(0);
        self.clamp_row();
    }

    /// Keeps the selected row valid after any change (folds, unit, group).
    fn clamp_row(&mut self) {
        let rows = self.rows();
        if !rows.contains(&self.row) {
            let fw = self.council.framework_of(self.unit);
            self.row = match self.row {
                Row::Leaf(l) if l < fw.leaves.len() => Row::Field(fw.leaves[l].field),
                _ => rows.first().copied().unwrap_or(Row::Field(0)),
            };
        }
    }

    fn toggle_fold(&mut self) {
        let fw_index = self.council.groups[self.council.units[self.unit].group].framework;
        let f = match self.row {
            Row::Field(f) => f,
            Row::Leaf(l) => self.council.frameworks[fw_index].leaves[l].field,
        };
        if !self.folded.remove(&(fw_index, f)) {
            self.folded.insert((fw_index, f));
        }
        self.row = Row::Field(f);
        self.clamp_row();
    }

    fn move_by(&mut self, delta: i64) {
        let focus = if self.view == View::Unit {
            self.focus
        } else {
            Focus::Ranking
        };
        match focus {
            Focus::Ranking => {
                let order = &self.standings.order[self.group];
                if order.is_empty() {
                    return;
                }
                let at = order.iter().position(|&u| u == self.unit).unwrap_or(0) as i64;
                let to = (at + delta).clamp(0, order.len() as i64 - 1) as usize;
                if order[to] != self.unit {
                    self.unit = order[to];
                    self.clamp_row();
                }
            }
            Focus::Tree => {
                let rows = self.rows();
                let at = rows.iter().position(|r| *r == self.row).unwrap_or(0) as i64;
                let to = (at + delta).clamp(0, rows.len() as i64 - 1) as usize;
                self.row = rows[to];
            }
        }
    }

    /// Whether a leaf still needs the council's look: not survey, and not yet reviewed.
    pub fn needs_look(&self, unit: usize, leaf: usize) -> bool {
        let l = &self.council.framework_of(unit).leaves[leaf];
        l.rule != Rule::Survey && !self.state.appraisal.decisions.contains_key(&(unit, leaf))
    }

    /// Moves to the next (or previous) leaf that needs a look, continuing into the
    /// next units of the group in ranking order.
    fn jump_look(&mut self, forward: bool) {
        let order = self.standings.order[self.group].clone();
        if order.is_empty() {
            return;
        }
        let start_pos = order.iter().position(|&u| u == self.unit).unwrap_or(0);
        let current = self.selected_leaf();
        for k in 0..=order.len() {
            let pos = if forward {
                (start_pos + k) % order.len()
            } else {
                (start_pos + order.len() - k % order.len()) % order.len()
            };
            let u = order[pos];
            let n = self.council.framework_of(u).leaves.len();
            let candidates: Vec<usize> = if forward {
                (0..n).collect()
            } else {
                (0..n).rev().collect()
            };
            for l in candidates {
                if k == 0
                    && let Some(c) = current
                    && ((forward && l <= c) || (!forward && l >= c))
                {
                    continue;
                }
                if self.needs_look(u, l) {
                    self.unit = u;
                    self.focus = Focus::Tree;
                    let fw_index = self.council.groups[self.council.units[u].group].framework;
                    self.folded
                        .remove(&(fw_index, self.council.frameworks[fw_index].leaves[l].field));
                    self.row = Row::Leaf(l);
                    return;
                }
            }
        }
        self.status = Some(Status::Info(self.t(
            "mọi tiêu chí của nhóm đã được xem xét",
            "every leaf of the group has been reviewed",
        )));
    }

    fn open_evidence(&mut self) {
        let Some(l) = self.selected_leaf() else {
            return;
        };
        let claim = &self.council.assessments[self.unit].claims[l];
        match claim.evidence.iter().find(|e| e.file_exists) {
            Some(e) => {
                if let Some(f) = &e.file {
                    self.request = Some(Request::OpenFile(self.folder.join(f)));
                }
            }
            None => {
                self.status = Some(Status::Error(self.t(
                    "không có tệp kiểm chứng trong thư mục",
                    "no evidence file in the folder",
                )))
            }
        }
    }

    /// Writes the workbook, the minutes and the CSV of the current state into
    /// `<council>/export/` and says where.
    fn export(&mut self) {
        let dir = self.folder.join("export");
        let snap = crate::export::Snapshot::new(&self.council, &self.state, &self.events);
        self.status = Some(match crate::export::write_all(&dir, &snap) {
            Ok(paths) => {
                let names: Vec<String> = paths
                    .iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
                    .collect();
                Status::Info(match self.lang {
                    Lang::Vi => format!("đã xuất vào {}: {}", dir.display(), names.join(", ")),
                    Lang::En => format!("exported to {}: {}", dir.display(), names.join(", ")),
                })
            }
            Err(e) => Status::Error(match self.lang {
                Lang::Vi => format!("không xuất được: {e:#}"),
                Lang::En => format!("export failed: {e:#}"),
            }),
        });
    }

    /// What is still flagged, for the sign-off confirmation: units not submitted
    /// first, then units with undecided leaves that cite no evidence.
    pub fn flagged(&self) -> Vec<String> {
        let mut out = Vec::new();
        let missing: Vec<&str> = (0..self.council.units.len())
            .filter(|&u| !self.council.submitted(u))
            .map(|u| self.council.units[u].name.as_str())
            .collect();
        if !missing.is_empty() {
            out.push(match self.lang {
                Lang::Vi => format!("chưa nộp: {}", missing.join(", ")),
                Lang::En => format!("not submitted: {}", missing.join(", ")),
            });
        }
        for (u, unit) in self.council.units.iter().enumerate() {
            let n = self.council.assessments[u]
                .claims
                .iter()
                .enumerate()
                .filter(|(l, c)| {
                    c.flags.no_evidence && !self.state.appraisal.decisions.contains_key(&(u, *l))
                })
                .count();
            if n > 0 {
                out.push(match self.lang {
                    Lang::Vi => format!("{}: {n} tiêu chí thiếu tài liệu kiểm chứng", unit.name),
                    Lang::En => format!("{}: {n} leaves without evidence", unit.name),
                });
            }
        }
        out
    }

    /// Signs off with a loaded key (the loop asks for the password); reports in the status line.
    pub fn sign_off(&mut self, sk: &minisign::SecretKey) {
        let member = self.member.clone();
        let folder = self.folder.clone();
        if let Err(e) = self.ensure_session() {
            self.status = Some(Status::Error(e));
            return;
        }
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let result = crate::signoff::signoff(&folder, &self.council, s, &member, sk);
        match result {
            Ok(dir) => {
                self.refresh_own();
                self.status = Some(Status::Info(match self.lang {
                    Lang::Vi => format!("đã ký duyệt: {}", dir.display()),
                    Lang::En => format!("signed off: {}", dir.display()),
                }));
            }
            Err(DecideError::Refused(r)) => {
                self.status = Some(Status::Error(self.refusal_text(&r)))
            }
            Err(DecideError::Store(e)) => self.status = Some(Status::Error(format!("{e:#}"))),
        }
    }

    fn refresh_own(&mut self) {
        if let Some(s) = &self.session
            && let Ok(new) = s.refresh(&self.council, &mut self.state)
        {
            self.events.extend(new);
        }
    }

    /// The appraised value of a leaf of the selected unit.
    pub fn value(&self, unit: usize, leaf: usize) -> Value {
        self.state.appraisal.value(&self.council, unit, leaf)
    }
}
