//! The main screen under the layers: what is selected and shown, moving about,
//! and the actions that start a decision, record one, or open a layer.

mod closing;
mod decisions;
mod handles;
mod meeting;
mod moves;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::help::Help;
use super::link::Link;
use super::{Flow, Layer};
use crate::appraisal::Decided;
use crate::i18n::{Lang, Words, fill};
use crate::model::Council;
use crate::score::{Score, Standings};
use crate::session::Whereabouts;
use crate::tui::action::{Action, Effect};
use crate::tui::theme::Theme;

/// What the middle of the screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The selected unit's criteria.
    Unit,
    /// One leaf for every unit of the group, to rule alike down the column.
    Across,
    /// Every unit's component index per field, and the group's indexes as bars.
    Overview,
    /// The member's work queue: their fields, every unit, not yet decided this round.
    Queue,
    /// The round's progress per member with fields, per field and per unit.
    Progress,
    /// The decisions waiting for a second member's confirmation.
    Pending,
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

/// The main screen's state.
pub struct Screen {
    pub council: Council,
    pub folder: PathBuf,
    pub link: Link,
    pub standings: Standings,
    /// Per unit: how many places it moved at the last change (+ up).
    pub moves: Vec<i64>,
    /// Per unit: the name shown where room is short (roster `short`, else automatic).
    pub short: Vec<String>,
    pub theme: Theme,
    /// The time zone times are shown in.
    pub zone: jiff::tz::TimeZone,
    pub member: String,
    /// The signing key for a sign-off from the screen (else the member's own).
    pub key: Option<PathBuf>,
    pub group: usize,
    /// The selected unit (roster index) and tree row.
    pub unit: usize,
    pub row: Row,
    pub focus: Focus,
    pub status: Option<Status>,
    pub view: View,
    /// Lines the detail pane is scrolled down by.
    pub detail_scroll: u16,
    pub look: Look,
    pub watch: Watch,
    /// Last year's signed result (`previous` in council.toml), once it verified.
    pub previous: Option<crate::compare::Previous>,
}

/// How the screen shows what it shows.
pub struct Look {
    pub lang: Lang,
    pub presenter: bool,
    /// Rows of the last known terminal size (for paging).
    pub page: usize,
    pub folded: HashSet<(usize, usize)>,
    /// The unit the last change touched, with its index before it.
    pub last_change: Option<(usize, Score)>,
    /// The ranking ordered by the self-assessment gap, largest first (`s`).
    pub by_gap: bool,
}

/// What the screen watches for: the inputs on disk and what others did in the session.
pub struct Watch {
    /// The input files as they were when the council was loaded (then as last said).
    inputs: crate::load::watch::InputsWatch,
    /// A projector's screen that only follows the session (`open --follow`):
    /// it goes where the agenda goes and has no key that changes anything.
    pub follow: bool,
    /// The agenda's last move this screen went to.
    agenda_seen: i64,
    /// Votes this screen's last change made stale, said with what it recorded.
    staled: usize,
    /// Whether the session's server was out of reach at the last look.
    down: bool,
    /// The last change of a counted value this screen knew of (votes cast
    /// before it were already stale).
    changed_seen: i64,
}

impl Screen {
    pub fn new(
        council: Council,
        folder: &Path,
        session_path: &Path,
        member: Option<&str>,
        lang: Lang,
    ) -> anyhow::Result<Screen> {
        let mut link = Link::open(&council, folder, session_path)?;
        // An explanation of a round the session never closed answers a
        // result nobody sent: refused as by every command, at its `round`.
        let early = crate::load::explanation::of_open_rounds(&council, link.state().round());
        if !early.is_empty() {
            let lines: Vec<String> = early.iter().map(|d| d.render(lang)).collect();
            anyhow::bail!("{}", lines.join("\n"));
        }
        let settled = link.settle();
        let member = match member {
            Some(m) if council.member(m).is_some() => m.to_string(),
            Some(m) => anyhow::bail!("{}", fill(lang.words().no_member, &[&m])),
            None => council
                .members
                .iter()
                .find(|m| m.chair)
                .unwrap_or(&council.members[0])
                .id
                .clone(),
        };
        let standings = link.appraisal().standings(&council);
        let unit = standings.order[0].first().copied().unwrap_or(0);
        let short = council.short_names();
        let mut s = Screen {
            moves: vec![0; council.units.len()],
            short,
            council,
            folder: folder.to_path_buf(),
            link,
            standings,
            theme: Theme::from_env(),
            zone: crate::session::time::shown_zone(),
            member,
            key: None,
            group: 0,
            unit,
            row: Row::Leaf(0),
            focus: Focus::Ranking,
            status: None,
            view: View::Unit,
            detail_scroll: 0,
            look: Look {
                lang,
                presenter: false,
                page: 10,
                folded: HashSet::new(),
                last_change: None,
                by_gap: false,
            },
            watch: Watch {
                inputs: crate::load::watch::InputsWatch::new(folder),
                follow: false,
                agenda_seen: 0,
                staled: 0,
                down: false,
                changed_seen: 0,
            },
            previous: None,
        };
        // Last year's result, read once it verifies; said when it does not.
        if let Some(dir) = s.council.previous.clone() {
            match crate::compare::previous(&dir) {
                Ok(p) => s.previous = Some(p),
                Err(said) => s.status = Some(Status::Error(said.get(lang).to_string())),
            }
        }
        s.watch.changed_seen = s.link.state().meeting.changed;
        let n = s.link.orphans();
        if n > 0 {
            s.status = Some(Status::Error(fill(s.words().orphans, &[&n])));
        }
        if let Some(why) = s.link.read_only() {
            s.status = Some(Status::Error(why.to_string()));
        }
        if let Some(event) = s.link.log_broken() {
            s.status = Some(Status::Error(fill(s.words().log_broken_refused, &[&event])));
        }
        if let Some(done) = settled {
            s.status = Some(Status::Info(done));
        }
        Ok(s)
    }

    /// The shown group's units in the ranking's order: by rank, or by the
    /// self-assessment gap (largest first, then by rank).
    pub fn order(&self) -> std::borrow::Cow<'_, [usize]> {
        let order = &self.standings.order[self.group];
        if !self.look.by_gap {
            return std::borrow::Cow::Borrowed(order);
        }
        let mut by_gap = order.clone();
        by_gap.sort_by_key(|&u| {
            let st = &self.standings.units[u];
            std::cmp::Reverse(st.self_score.index_diff_hundredths(&st.score))
        });
        std::borrow::Cow::Owned(by_gap)
    }

    pub fn words(&self) -> &'static Words {
        self.look.lang.words()
    }

    fn error(&mut self, text: impl Into<String>) {
        self.watch.staled = 0;
        self.status = Some(Status::Error(text.into()));
    }

    /// Says what happened, and that it made earlier votes stale if it did.
    fn info(&mut self, text: impl Into<String>) {
        let mut text = text.into();
        if self.watch.staled > 0 {
            text += &fill(self.words().votes_now_stale, &[&self.watch.staled]);
            self.watch.staled = 0;
        }
        self.status = Some(Status::Info(text));
    }

    /// A time as shown: local, to the minute.
    pub fn time(&self, at: &str) -> String {
        crate::session::time::local_minute(at, &self.zone)
    }

    /// A member's name (their id when unknown).
    pub fn member_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.council.member(id).map_or(id, |m| m.name.as_str())
    }

    pub fn resize(&mut self, _w: u16, h: u16) {
        self.look.page = (h as usize).saturating_sub(8).max(1);
    }

    /// The loop's timer: another process may have written.
    pub fn tick(&mut self) {
        self.look_at_inputs();
        let moved = self.link.whereabouts_changed(&self.council);
        if let Some(m) = moved {
            let path = self.link_path();
            match m {
                Whereabouts::Gone => self.error(fill(self.words().session_gone, &[&path])),
                Whereabouts::Here => self.info(fill(self.words().session_back, &[&path])),
                Whereabouts::Replaced => self.info(fill(self.words().session_replaced, &[&path])),
            }
        }
        let new = self.link.changed_elsewhere() && self.link.read_new(&self.council);
        let down = self.link.unreachable();
        if down.is_some() != self.watch.down {
            self.watch.down = down.is_some();
            match down {
                Some(why) => self.error(why),
                None => self.info(fill(self.words().server_back, &[&self.link_path()])),
            }
        }
        if self.watch.follow && self.link.state().meeting.moved != self.watch.agenda_seen {
            self.go_to_agenda();
        }
        if new && moved.is_none() {
            self.announce();
        }
        if new || moved == Some(Whereabouts::Replaced) {
            self.watch.changed_seen = self.link.state().meeting.changed;
            let old: Vec<u32> = self.standings.units.iter().map(|s| s.rank).collect();
            self.standings = self.link.appraisal().standings(&self.council);
            for (u, o) in old.into_iter().enumerate() {
                self.moves[u] = o as i64 - self.standings.units[u].rank as i64;
            }
        }
    }

    /// Says when input files changed on disk since the council was loaded
    /// (sign-off, which reads them again, refuses until the screen is restarted).
    fn look_at_inputs(&mut self) {
        let changed = self.watch.inputs.changed();
        if changed.is_empty() {
            return;
        }
        let names = crate::text::line(&changed.join(", "));
        self.error(fill(self.words().inputs_changed_on_disk, &[&names]));
    }

    /// Says who changed what elsewhere: the last change to a leaf among the
    /// events the last read brought, and how many others came with it.
    fn announce(&mut self) {
        let changes: Vec<_> = self
            .link
            .fresh()
            .iter()
            .filter(|e| e.kind().on_value())
            .cloned()
            .collect();
        let Some(e) = changes.last() else {
            return;
        };
        let Some(u) = e.unit.as_deref().and_then(|u| self.council.unit_index(u)) else {
            return;
        };
        let code = e.code.clone().unwrap_or_default();
        let Some((l, _)) = self.council.framework_of(u).leaf(&code) else {
            return;
        };
        let leaf = &self.council.framework_of(u).leaves[l];
        let w = self.words();
        let show = |v: &Option<String>| self.show_stored(v.as_deref(), leaf);
        let mut text = fill(
            w.changed_elsewhere,
            &[
                &self.member_name(&e.member),
                &self.short[u],
                &code,
                &show(&e.before),
                &show(&e.after),
            ],
        );
        if changes.len() > 1 {
            text += &fill(w.changed_elsewhere_more, &[&(changes.len() - 1)]);
        }
        self.info(text);
    }

    /// A value as a person reads it, in the screen's language (`None`: the
    /// unit's own, "self").
    pub fn show_value(&self, v: Option<&Decided>, leaf: &crate::model::Leaf) -> String {
        match v {
            None => self.words().self_word.to_string(),
            Some(Decided::Na) => self.words().na_short.to_string(),
            Some(d) => d.show(leaf),
        }
    }

    /// A value as the session stores it (`1.50`, `96/100`, `na`, nothing or
    /// `self` for the unit's own), as a person reads it.
    fn show_stored(&self, stored: Option<&str>, leaf: &crate::model::Leaf) -> String {
        self.show_value(stored.and_then(Decided::decode).as_ref(), leaf)
    }

    /// The session file's path as shown.
    fn link_path(&self) -> String {
        crate::text::line(&self.link.path().display().to_string())
    }

    /// What the screen shows: the views, the language, presenter mode, help, quitting; `None` for an action that is not one of them.
    fn on_views(&mut self, action: &Action) -> Option<Flow> {
        match action.clone() {
            Action::Quit => return Some(Flow::Do(Effect::Quit)),
            Action::Help => return Some(Flow::Push(Layer::Help(Help::default()))),
            Action::Presenter => self.look.presenter = !self.look.presenter,
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
            Action::SortGap => {
                self.look.by_gap = !self.look.by_gap;
            }
            Action::Overview => {
                self.view = if self.view == View::Overview {
                    View::Unit
                } else {
                    View::Overview
                }
            }
            Action::Language => {
                self.look.lang = match self.look.lang {
                    Lang::Vi => Lang::En,
                    Lang::En => Lang::Vi,
                }
            }
            Action::Progress => {
                self.view = if self.view == View::Progress {
                    View::Unit
                } else {
                    View::Progress
                };
            }
            Action::Queue => self.toggle_list(View::Queue),
            Action::Pending => self.toggle_list(View::Pending),
            _ => return None,
        }
        Some(Flow::Stay)
    }

    pub fn update(&mut self, action: Action) -> Flow {
        if let Some(flow) = self.on_list(&action) {
            return flow;
        }
        let handlers: [fn(&mut Screen, &Action) -> Option<Flow>; 5] = [
            Screen::on_moves,
            Screen::on_views,
            Screen::on_decisions,
            Screen::on_meeting,
            Screen::on_closing,
        ];
        handlers
            .iter()
            .find_map(|on| on(self, &action))
            .unwrap_or(Flow::Stay)
    }

    /// In the queue or the list of decisions waiting: moving along it and opening.
    fn on_list(&mut self, action: &Action) -> Option<Flow> {
        if matches!(self.view, View::Queue | View::Pending) {
            let list = if self.view == View::Queue {
                self.queue()
            } else {
                self.pending()
            };
            match action {
                Action::Up | Action::Down => {
                    self.list_step(&list, *action == Action::Down);
                    return Some(Flow::Stay);
                }
                Action::Open if self.view == View::Queue => {
                    self.view = View::Unit;
                    return Some(Flow::Stay);
                }
                Action::Open => {
                    self.confirm_selected();
                    return Some(Flow::Stay);
                }
                _ => {}
            }
        }
        None
    }
}

/// A rank move as shown: ` ▲2`, ` ▼1`, or nothing.
pub fn moved(m: i64) -> String {
    match m {
        m if m > 0 => format!(" ▲{m}"),
        m if m < 0 => format!(" ▼{}", -m),
        _ => String::new(),
    }
}
