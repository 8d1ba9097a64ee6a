//! The main screen under the layers: what is selected and shown, moving about,
//! and the actions that start a decision, record one, or open a layer.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::confirm::{Confirm, Confirming};
use super::decide::{BoxField, DecisionBox};
use super::help::Help;
use super::link::{Link, change_of};
use super::password::Password;
use super::pick::{Levels, Members};
use super::search::Search;
use super::{Flow, Layer};
use crate::appraisal::{Decided, Refusal};
use crate::i18n::{Lang, Words, fill};
use crate::model::{Council, Rule};
use crate::points::Points;
use crate::score::{Score, Standings, Value};
use crate::session::{Ask, BatchError, DecideError, Whereabouts};
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

/// The main screen's state.
pub struct Screen {
    pub council: Council,
    pub folder: PathBuf,
    /// The input files as they were when the council was loaded (then as last said).
    inputs: crate::load::watch::InputsWatch,
    pub link: Link,
    pub standings: Standings,
    /// Per unit: how many places it moved at the last change (+ up).
    pub moves: Vec<i64>,
    /// The unit the last change touched, with its index before it.
    pub last_change: Option<(usize, Score)>,
    /// Per unit: the name shown where room is short (roster `short`, else automatic).
    pub short: Vec<String>,
    pub lang: Lang,
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
    pub folded: HashSet<(usize, usize)>,
    pub focus: Focus,
    pub status: Option<Status>,
    pub presenter: bool,
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
    pub view: View,
    /// Lines the detail pane is scrolled down by.
    pub detail_scroll: u16,
    /// Rows of the last known terminal size (for paging).
    pub page: usize,
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
        let settled = link.settle(&council);
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
            last_change: None,
            lang,
            theme: Theme::from_env(),
            zone: crate::session::time::shown_zone(),
            member,
            key: None,
            group: 0,
            unit,
            row: Row::Leaf(0),
            folded: HashSet::new(),
            focus: Focus::Ranking,
            status: None,
            presenter: false,
            follow: false,
            agenda_seen: 0,
            staled: 0,
            down: false,
            changed_seen: 0,
            view: View::Unit,
            detail_scroll: 0,
            page: 10,
            inputs: crate::load::watch::InputsWatch::new(folder),
        };
        s.changed_seen = s.link.state().meeting.changed;
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

    pub fn words(&self) -> &'static Words {
        self.lang.words()
    }

    fn error(&mut self, text: impl Into<String>) {
        self.staled = 0;
        self.status = Some(Status::Error(text.into()));
    }

    /// Says what happened, and that it made earlier votes stale if it did.
    fn info(&mut self, text: impl Into<String>) {
        let mut text = text.into();
        if self.staled > 0 {
            text += &fill(self.words().votes_now_stale, &[&self.staled]);
            self.staled = 0;
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
        self.page = (h as usize).saturating_sub(8).max(1);
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
        if down.is_some() != self.down {
            self.down = down.is_some();
            match down {
                Some(why) => self.error(why),
                None => self.info(fill(self.words().server_back, &[&self.link_path()])),
            }
        }
        if self.follow && self.link.state().meeting.moved != self.agenda_seen {
            self.go_to_agenda();
        }
        if new && moved.is_none() {
            self.announce();
        }
        if new || moved == Some(Whereabouts::Replaced) {
            self.changed_seen = self.link.state().meeting.changed;
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
        let changed = self.inputs.changed();
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

    pub fn update(&mut self, action: Action) -> Flow {
        if matches!(self.view, View::Queue | View::Pending) {
            let list = if self.view == View::Queue {
                self.queue()
            } else {
                self.pending()
            };
            match action {
                Action::Up | Action::Down => {
                    self.list_step(&list, action == Action::Down);
                    return Flow::Stay;
                }
                Action::Open if self.view == View::Queue => {
                    self.view = View::Unit;
                    return Flow::Stay;
                }
                Action::Open => {
                    self.confirm_selected();
                    return Flow::Stay;
                }
                _ => {}
            }
        }
        match action {
            Action::Quit => return Flow::Do(Effect::Quit),
            Action::Help => return Flow::Push(Layer::Help(Help::default())),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.page as i64)),
            Action::PageDown => self.move_by(self.page as i64),
            Action::Top => self.move_by(i64::MIN / 2),
            Action::Bottom => self.move_by(i64::MAX / 2),
            Action::FocusNext | Action::FocusPrev => {
                self.focus = match self.focus {
                    Focus::Ranking => Focus::Tree,
                    Focus::Tree => Focus::Ranking,
                };
            }
            Action::Open => match (self.focus, self.row) {
                (Focus::Ranking, _) => {
                    self.focus = Focus::Tree;
                    self.set_row(Row::Leaf(0));
                }
                (Focus::Tree, Row::Field(_)) => self.toggle_fold(),
                (Focus::Tree, Row::Leaf(_)) => return self.open_box(None, BoxField::Points),
            },
            Action::Fold => self.toggle_fold(),
            Action::NextLook => self.jump_look(true),
            Action::PrevLook => self.jump_look(false),
            Action::Accept => self.accept(),
            Action::AcceptProven => return self.accept_proven(),
            Action::StepUp | Action::StepDown => {
                if let Some(l) = self.decidable_leaf() {
                    let stepped = self.step(l, &self.start_value(l), action == Action::StepUp);
                    return self.open_box(Some(stepped), BoxField::Reason);
                }
            }
            Action::TypePoints => return self.open_box(None, BoxField::Points),
            Action::PickLevel => {
                if let Some(l) = self.decidable_leaf() {
                    let choices = self.choices(l);
                    if choices.is_empty() {
                        self.error(self.words().no_levels);
                    } else {
                        let current = self.value(self.unit, l).points;
                        let sel = choices.iter().position(|(p, _)| *p == current).unwrap_or(0);
                        return Flow::Push(Layer::Levels(Levels { choices, sel }));
                    }
                }
            }
            Action::ToggleNa => {
                if let Some(l) = self.decidable_leaf() {
                    let next = match self.start_value(l) {
                        Decided::Na => Decided::Points(self.own_points(l)),
                        _ => {
                            if let Err(r) = crate::appraisal::may_rule_na(
                                &self.council,
                                self.link.appraisal(),
                                self.unit,
                                l,
                            ) {
                                self.error(self.refusal(&r));
                                return Flow::Stay;
                            }
                            Decided::Na
                        }
                    };
                    return self.open_box(Some(next), BoxField::Reason);
                }
            }
            Action::Comment => return self.open_box(None, BoxField::Reason),
            Action::Undo | Action::Redo => self.undo_redo(action == Action::Undo),
            Action::Member => {
                let sel = self
                    .council
                    .members
                    .iter()
                    .position(|m| m.id == self.member)
                    .unwrap_or(0);
                return Flow::Push(Layer::Members(Members { sel }));
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
                self.set_row(Row::Leaf(0));
            }
            Action::OpenEvidence => return self.open_evidence(),
            Action::Export => self.export(),
            Action::Presenter => self.presenter = !self.presenter,
            Action::Search => return Flow::Push(Layer::Search(Search::default())),
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
                self.lang = match self.lang {
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
            Action::Votes => return Flow::Push(Layer::Votes(super::Votes::default())),
            Action::Agenda => {
                let sel = self.link.state().meeting.now;
                return Flow::Push(Layer::Agenda(super::AgendaList { sel }));
            }
            Action::Ask => {
                if let Some(l) = self.decidable_leaf() {
                    let asking = super::Asking::Explanation {
                        unit: self.unit,
                        leaf: l,
                    };
                    return Flow::Push(Layer::Request(super::Request::new(asking)));
                }
            }
            Action::CloseRound if self.refused_on_broken_log() => {}
            Action::CloseRound => return self.confirm_close_round(),
            Action::SignOff if self.refused_on_broken_log() => {}
            Action::SignOff => match self.link.locked_by() {
                Some((by, at)) => {
                    let text = fill(self.words().already_signed, &[&by, &self.time(at)]);
                    self.error(text);
                }
                None => {
                    // Not approved, or decisions waiting: said before the password is asked.
                    if let Err(r) = crate::session::may_sign(&self.council, self.link.state()) {
                        self.error(self.refusal(&r));
                        return Flow::Stay;
                    }
                    return Flow::Push(Layer::Confirm(Confirm::new(Confirming::SignOff {
                        flagged: self.flagged(),
                    })));
                }
            },
            Action::AgendaNext if self.refused_on_broken_log() => {}
            Action::AgendaNext => {
                let member = self.member.clone();
                match self.link.agenda_next(&self.council, &member) {
                    Ok(_) => self.go_to_agenda(),
                    Err(e) => self.error(self.decide_error(&e)),
                }
            }
            Action::AgendaMark if self.refused_on_broken_log() => {}
            Action::AgendaMark => self.agenda_mark(),
            Action::DetailUp => self.detail_scroll = self.detail_scroll.saturating_sub(3),
            Action::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(3),
            Action::Opened(Ok(path)) => self.info(path.display().to_string()),
            Action::Opened(Err(e)) => self.error(e),
            _ => {}
        }
        Flow::Stay
    }

    /// Opens the decision box on the selected leaf, unless the decision is bound
    /// to be refused (then the status says why and no box opens).
    fn open_box(&mut self, value: Option<Decided>, field: BoxField) -> Flow {
        let Some(l) = self.decidable_leaf() else {
            return Flow::Stay;
        };
        let value = value.unwrap_or_else(|| self.start_value(l));
        Flow::Push(Layer::Decide(Box::new(DecisionBox::new(
            self, self.unit, l, value, field,
        ))))
    }

    /// The value a box starts from: the council's decision, else the unit's own.
    pub fn start_value(&self, leaf: usize) -> Decided {
        match self.link.appraisal().decisions.get(&(self.unit, leaf)) {
            Some(d) => d.value.clone(),
            None => Self::decided(crate::appraisal::self_value(&self.council, self.unit, leaf)),
        }
    }

    fn decided(v: Value) -> Decided {
        if v.na {
            Decided::Na
        } else {
            Decided::Points(v.points)
        }
    }

    pub fn own_points(&self, leaf: usize) -> Points {
        let own = crate::appraisal::self_value(&self.council, self.unit, leaf);
        if own.na { Points::ZERO } else { own.points }
    }

    /// The next allowed value up or down from `from` (the scoring rules' step).
    pub fn step(&self, leaf: usize, from: &Decided, up: bool) -> Decided {
        let fw = self.council.framework_of(self.unit);
        let l = &fw.leaves[leaf];
        match from {
            Decided::Na => Decided::Points(self.own_points(leaf)),
            d => Decided::Points(crate::score::step(l, fw.step, d.value(l).points, up)),
        }
    }

    /// The allowed values of a levels or ratio leaf as its rule lists them, with labels.
    pub fn choices(&self, leaf: usize) -> Vec<(Points, String)> {
        let l = &self.council.framework_of(self.unit).leaves[leaf];
        crate::score::choices(l)
            .into_iter()
            .map(|p| {
                let label = match &l.rule {
                    Rule::Levels(levels) => levels
                        .iter()
                        .find(|x| x.points == p)
                        .map(|x| x.label.clone()),
                    Rule::Ratio(bands) => bands
                        .iter()
                        .find(|b| b.points == p)
                        .map(|b| format!("≥ {}%", b.min.short())),
                    _ => None,
                };
                (
                    p,
                    label.unwrap_or_else(|| self.words().below_every_band.into()),
                )
            })
            .collect()
    }

    /// Units of every group and leaves of the shown unit that match a query, by
    /// name, short name or code, with or without diacritics (at most 50).
    pub fn search_hits(&self, query: &str) -> Vec<Hit> {
        let q = query.trim();
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .council
            .units
            .iter()
            .enumerate()
            .filter(|(i, u)| {
                crate::text::matches(&u.name, query)
                    || crate::text::matches(&self.short[*i], query)
                    || u.id.contains(q)
            })
            .map(|(i, _)| Hit::Unit(i))
            .collect();
        let fw = self.council.framework_of(self.unit);
        hits.extend(
            fw.leaves
                .iter()
                .enumerate()
                .filter(|(_, l)| l.code.starts_with(q) || crate::text::matches(&l.name, query))
                .map(|(i, _)| Hit::Leaf(i)),
        );
        hits.truncate(50);
        hits
    }

    /// The member's work queue in roster order: every leaf of their fields
    /// (any leaf, for a member without fields) of every unit they may decide,
    /// not yet decided in this round.
    pub fn queue(&self) -> Vec<(usize, usize)> {
        crate::work::queue(&self.council, self.link.state(), &self.member)
    }

    /// The leaves with a decision waiting for a second member, oldest first.
    pub fn pending(&self) -> Vec<(usize, usize)> {
        let mut waiting: Vec<(&(usize, usize), i64)> = self
            .link
            .state()
            .meeting
            .pending
            .iter()
            .map(|(at, e)| (at, e.id))
            .collect();
        waiting.sort_by_key(|&(_, id)| id);
        waiting.into_iter().map(|(&at, _)| at).collect()
    }

    /// Shows (or leaves) a list of leaves across units (the work queue, the
    /// decisions waiting), selecting its first item unless the selected leaf is in it.
    fn toggle_list(&mut self, view: View) {
        self.view = if self.view == view { View::Unit } else { view };
        if self.view != view {
            return;
        }
        self.focus = Focus::Tree;
        let here = self.selected_leaf().map(|l| (self.unit, l));
        let list = if view == View::Queue {
            self.queue()
        } else {
            self.pending()
        };
        if here.is_none_or(|h| !list.contains(&h))
            && let Some(&(u, l)) = list.first()
        {
            self.group = self.council.units[u].group;
            self.show_leaf(u, l);
        }
    }

    /// Moves to the next (or previous) item of a list after the selected leaf
    /// (the work queue is in roster order, the waiting decisions in their order).
    fn list_step(&mut self, list: &[(usize, usize)], forward: bool) {
        let here = (self.unit, self.selected_leaf().unwrap_or(0));
        let next = match list.iter().position(|&q| q == here) {
            Some(at) if forward => list.get(at + 1),
            Some(at) => at.checked_sub(1).and_then(|a| list.get(a)),
            None if forward => list.iter().find(|&&q| q > here),
            None => list.iter().rev().find(|&&q| q < here),
        };
        if let Some(&(u, l)) = next {
            self.group = self.council.units[u].group;
            self.show_leaf(u, l);
        }
    }

    /// Confirms the selected leaf's waiting decision as the recording member.
    fn confirm_selected(&mut self) {
        if self.refused_on_broken_log() {
            return;
        }
        let Some(l) = self.selected_leaf() else {
            return;
        };
        let u = self.unit;
        let Some(proposal) = self.link.state().meeting.pending.get(&(u, l)).cloned() else {
            self.info(self.words().pending_empty);
            return;
        };
        let (unit_id, code) = (
            self.council.units[u].id.clone(),
            self.council.framework_of(u).leaves[l].code.clone(),
        );
        let member = self.member.clone();
        let council = &self.council;
        match self
            .link
            .write(council, |s| s.confirm(council, &member, &unit_id, &code))
        {
            Ok(_) => {
                self.after_change(u);
                let leaf = &self.council.framework_of(u).leaves[l];
                let value = self.show_stored(proposal.after.as_deref(), leaf);
                let text = fill(
                    self.words().pending_confirmed,
                    &[
                        &self.short[u],
                        &code,
                        &value,
                        &self.member_name(&proposal.member),
                        &self.member_name(&member),
                    ],
                );
                self.info(text);
                // On to the next one waiting, if any.
                let list = self.pending();
                if let Some(&(nu, nl)) = list.iter().find(|&&q| q > (u, l)).or(list.first()) {
                    self.group = self.council.units[nu].group;
                    self.show_leaf(nu, nl);
                }
            }
            Err(e) => self.error(self.decide_error(&e)),
        }
    }

    /// Records a member's attendance (present, absent, or absent approving in
    /// writing with the document's reference); a refusal is said and returned.
    pub fn attend(
        &mut self,
        member: &str,
        present: bool,
        written: Option<&str>,
    ) -> Result<(), String> {
        let council = &self.council;
        match self
            .link
            .write(council, |s| s.attend(council, member, present, written))
        {
            Ok(_) => {
                let w = self.words();
                let how = match (written, present) {
                    (Some(r), _) => fill(w.ap_written, &[&crate::text::line(r)]),
                    (None, true) => w.ap_present.to_string(),
                    (None, false) => w.ap_absent.to_string(),
                };
                let text = fill(w.votes_recorded, &[&self.member_name(member), &how]);
                self.info(text);
                Ok(())
            }
            Err(e) => {
                let e = self.decide_error(&e);
                self.error(e.clone());
                Err(e)
            }
        }
    }

    /// Records a voting member's approval of or objection to the result as it stands.
    pub fn vote(&mut self, member: &str, approve: bool) {
        if self.refused_on_broken_log() {
            return;
        }
        let council = &self.council;
        match self
            .link
            .write(council, |s| s.vote(council, member, approve, ""))
        {
            Ok(_) => {
                let w = self.words();
                let how = if approve { w.ap_approve } else { w.ap_object };
                let text = fill(w.votes_recorded, &[&self.member_name(member), &how]);
                self.info(text);
            }
            Err(e) => self.error(self.decide_error(&e)),
        }
    }
    /// Shows a search result.
    pub fn go_to(&mut self, hit: Hit) {
        match hit {
            Hit::Unit(u) => {
                self.unit = u;
                self.group = self.council.units[u].group;
                self.focus = Focus::Ranking;
                self.clamp_row();
            }
            Hit::Leaf(l) => {
                self.focus = Focus::Tree;
                self.show_leaf(self.unit, l);
            }
        }
    }

    /// Selects a leaf of a unit, unfolding its field.
    fn show_leaf(&mut self, unit: usize, leaf: usize) {
        self.unit = unit;
        let fw_index = self.council.groups[self.council.units[unit].group].framework;
        self.folded.remove(&(
            fw_index,
            self.council.frameworks[fw_index].leaves[leaf].field,
        ));
        self.set_row(Row::Leaf(leaf));
    }

    /// Says so when the session's log was changed behind the program's back:
    /// nothing more is recorded in it.
    fn refused_on_broken_log(&mut self) -> bool {
        let Some(event) = self.link.log_broken() else {
            return false;
        };
        self.error(fill(self.words().log_broken_refused, &[&event]));
        true
    }

    /// The selected leaf when a decision on it could be recorded; says why not otherwise.
    fn decidable_leaf(&mut self) -> Option<usize> {
        let l = self.selected_leaf()?;
        if self.refused_on_broken_log() {
            return None;
        }
        let refused = if self.link.locked_by().is_some() {
            Some(Refusal::Locked)
        } else {
            crate::appraisal::may_decide(
                &self.council,
                &self.member,
                self.unit,
                l,
                self.link.appraisal().meeting,
            )
            .err()
        };
        match refused {
            Some(r) => {
                self.error(self.refusal(&r));
                None
            }
            None => Some(l),
        }
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

    fn set_row(&mut self, row: Row) {
        if row != self.row {
            self.detail_scroll = 0;
        }
        self.row = row;
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
        self.set_row(Row::Field(f));
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
                    self.detail_scroll = 0;
                    self.clamp_row();
                }
            }
            Focus::Tree => {
                let rows = self.rows();
                let at = rows.iter().position(|r| *r == self.row).unwrap_or(0) as i64;
                let to = (at + delta).clamp(0, rows.len() as i64 - 1) as usize;
                self.set_row(rows[to]);
            }
        }
    }

    /// Whether a leaf still needs the council's look: not survey, and not yet reviewed.
    /// A leaf nobody decided yet, or (after round 1) one the unit explained
    /// that this round has not decided again.
    pub fn needs_look(&self, unit: usize, leaf: usize) -> bool {
        crate::work::needs_look(&self.council, self.link.state(), unit, leaf)
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
                    self.focus = Focus::Tree;
                    self.show_leaf(u, l);
                    return;
                }
            }
        }
        self.info(self.words().all_reviewed);
    }

    fn open_evidence(&mut self) -> Flow {
        let Some(l) = self.selected_leaf() else {
            return Flow::Stay;
        };
        let claim = &self.council.assessments[self.unit].claims[l];
        match claim
            .evidence
            .iter()
            .find(|e| e.file_exists)
            .and_then(|e| e.file.as_ref())
        {
            Some(f) => Flow::Do(Effect::OpenFile(self.folder.join(f))),
            None => {
                self.error(self.words().no_evidence_file);
                Flow::Stay
            }
        }
    }

    /// Writes the workbook, the minutes and the CSV of the current state into
    /// `<council>/export/` and says where.
    fn export(&mut self) {
        let dir = self.folder.join("export");
        let w = self.words();
        let state = self.link.state();
        let snap = crate::export::Snapshot::at(&self.council, state, self.link.last_at());
        match crate::export::write_all(&dir, &snap) {
            Ok(paths) => {
                let names: Vec<String> = paths
                    .iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
                    .collect();
                self.info(fill(w.exported, &[&dir.display(), &names.join(", ")]));
            }
            Err(e) => self.error(fill(w.export_failed, &[&format!("{e:#}")])),
        }
    }

    /// What is still flagged, for the sign-off confirmation: units not submitted
    /// first, then units with flagged leaves the council has not decided.
    pub fn flagged(&self) -> Vec<String> {
        crate::work::unsettled(&self.council, self.link.state()).lines(&self.council, self.words())
    }

    /// Starts the sign-off: asks for the key's password when it has one.
    pub fn begin_signoff(&mut self) -> Flow {
        let path = match &self.key {
            Some(k) => k.clone(),
            None => match crate::keys::secret_key_path(&self.member) {
                Ok(p) => p,
                Err(e) => {
                    self.error(format!("{e:#}"));
                    return Flow::Close;
                }
            },
        };
        match crate::keys::needs_password(&path) {
            Ok(true) => Flow::Swap(Layer::Password(Password::new(path))),
            Ok(false) => {
                if let Err(e) = self.sign_with(&path, None) {
                    self.error(e);
                }
                Flow::Close
            }
            Err(e) => {
                self.error(format!("{e:#}"));
                Flow::Close
            }
        }
    }

    /// Signs with the key at `path`; an error about the password goes back to the prompt.
    pub fn sign_with(&mut self, path: &Path, password: Option<&str>) -> Result<(), String> {
        let sk = match crate::keys::open_secret(path, password) {
            Ok(sk) => sk,
            Err(e) if password.is_some() => return Err(format!("{e:#}")),
            Err(e) => {
                self.error(format!("{e:#}"));
                return Ok(());
            }
        };
        self.sign_off(&sk);
        Ok(())
    }

    /// Signs off with a loaded key; reports in the status line.
    pub fn sign_off(&mut self, sk: &minisign::SecretKey) {
        let (folder, member) = (self.folder.clone(), self.member.clone());
        match self.link.sign_off(&folder, &self.council, &member, sk) {
            Ok(dir) => self.info(fill(self.words().signed_off, &[&dir.display()])),
            Err(e) => self.error(self.decide_error(&e)),
        }
        tracing::info!(status = ?self.status, "sign-off from the screen");
    }

    pub fn refusal(&self, r: &Refusal) -> String {
        crate::i18n::refusal(self.lang, r)
    }

    pub fn decide_error(&self, e: &DecideError) -> String {
        match e {
            DecideError::Refused(r) => self.refusal(r),
            DecideError::Store(e) if crate::session::is_busy(e) => {
                fill(self.words().session_busy, &[&self.link_path()])
            }
            DecideError::Store(e) => fill(self.words().not_recorded, &[&format!("{e:#}")]),
        }
    }

    /// Records a decision on a leaf through the session; the status says what moved.
    /// The leaf's last change as this screen knows it (what a decision begun now saw).
    pub fn seen(&self, unit: usize, leaf: usize) -> i64 {
        let code = &self.council.framework_of(unit).leaves[leaf].code;
        self.link.last_change_of(&self.council.units[unit].id, code)
    }

    /// Records a decision begun when the leaf's last change was `seen`; refused
    /// (with who changed it, to what and when) when another change came since.
    pub fn record(
        &mut self,
        unit: usize,
        leaf: usize,
        value: &Decided,
        comment: &str,
        seen: i64,
    ) -> Result<(), String> {
        let now = self.value(unit, leaf);
        let ask = Ask {
            unit: self.council.units[unit].id.clone(),
            code: self.council.framework_of(unit).leaves[leaf].code.clone(),
            change: change_of(value, now.na),
            comment: comment.to_string(),
            seen: Some(seen),
        };
        let member = self.member.clone();
        match self.link.decide(&self.council, &member, &ask) {
            Ok(e)
                if self
                    .link
                    .state()
                    .meeting
                    .pending
                    .get(&(unit, leaf))
                    .map(|p| p.id)
                    == Some(e.id) =>
            {
                let l = &self.council.framework_of(unit).leaves[leaf];
                let text = fill(
                    self.words().recorded_pending,
                    &[
                        &e.id,
                        &self.short[unit],
                        &l.code,
                        &self.show_stored(e.after.as_deref(), l),
                    ],
                );
                self.info(text);
                Ok(())
            }
            Ok(e) => {
                self.after_change(unit);
                let st = &self.standings.units[unit];
                let before = self
                    .last_change
                    .map(|(_, s)| s.index_text())
                    .unwrap_or_default();
                let text = fill(
                    self.words().recorded,
                    &[
                        &e.id,
                        &self.council.units[unit].name,
                        &before,
                        &st.score.index_text(),
                        &moved(self.moves[unit]),
                    ],
                );
                self.info(text);
                Ok(())
            }
            Err(DecideError::Refused(Refusal::Stale(c))) => {
                self.after_change(unit);
                let the_leaf = &self.council.framework_of(unit).leaves[leaf];
                let value = self.show_stored(Some(&c.value), the_leaf);
                Err(fill(
                    self.words().stale_box,
                    &[
                        &self.short[unit],
                        &self.council.framework_of(unit).leaves[leaf].code,
                        &self.member_name(&c.by),
                        &value,
                        &self.time(&c.at),
                    ],
                ))
            }
            Err(DecideError::Refused(r)) => {
                let l = &self.council.framework_of(unit).leaves[leaf];
                Err(crate::i18n::refusal_on(
                    self.lang,
                    &r,
                    Some((&l.rule, l.max)),
                ))
            }
            Err(e) => Err(self.decide_error(&e)),
        }
    }

    /// After this screen changed a unit: rescore that unit and note the moves.
    fn after_change(&mut self, unit: usize) {
        // Votes counted until this change (cast since the last change this
        // screen knew of) are stale now: said with what was recorded.
        let changed = self.link.state().meeting.changed;
        let counted_since = self.changed_seen;
        self.staled = crate::session::meeting::Approval::of(&self.council, self.link.state())
            .members
            .iter()
            .filter_map(|s| s.vote.as_ref())
            .filter(|v| v.event >= counted_since && v.event < changed)
            .count();
        self.changed_seen = changed;
        let before: Vec<(usize, u32)> = self.standings.order[self.council.units[unit].group]
            .iter()
            .map(|&u| (u, self.standings.units[u].rank))
            .collect();
        let old_score = self.standings.units[unit].score;
        let score = self.link.appraisal().score(&self.council, unit);
        self.standings.set_score(&self.council, unit, score);
        self.moves.iter_mut().for_each(|m| *m = 0);
        for (u, old) in before {
            self.moves[u] = old as i64 - self.standings.units[u].rank as i64;
        }
        self.last_change = Some((unit, old_score));
    }

    fn undo_redo(&mut self, undo: bool) {
        let member = self.member.clone();
        match self.link.undo_redo(&self.council, &member, undo) {
            Ok(e) => {
                if let Some(u) = e.unit.as_deref().and_then(|u| self.council.unit_index(u)) {
                    self.after_change(u);
                }
                let w = self.words();
                let what = if undo { w.undone } else { w.redone };
                let name = e
                    .unit
                    .as_deref()
                    .and_then(|u| self.council.unit_index(u))
                    .map_or(String::new(), |u| self.short[u].clone());
                self.info(format!("{what}: {name} {}", e.code.unwrap_or_default()));
            }
            Err(e) => self.error(self.decide_error(&e)),
        }
    }

    /// Records the unit's own value as the council's (the leaf is reviewed) and
    /// moves to the next leaf that needs a look.
    fn accept(&mut self) {
        let Some(l) = self.decidable_leaf() else {
            return;
        };
        let own = Self::decided(crate::appraisal::self_value(&self.council, self.unit, l));
        let seen = self.seen(self.unit, l);
        match self.record(self.unit, l, &own, "", seen) {
            Ok(()) => {
                let status = self.status.take();
                if self.view == View::Across {
                    self.next_unit_down_the_column(l);
                } else {
                    self.jump_look(true);
                }
                // What was recorded stays in the status line, unless the group is done.
                if self.status.is_none() {
                    self.status = status;
                }
            }
            Err(e) => self.error(e),
        }
    }

    /// In the across view: the next unit of the group (in rank order) whose
    /// same leaf still needs a look.
    fn next_unit_down_the_column(&mut self, leaf: usize) {
        let order = &self.standings.order[self.group];
        let at = order.iter().position(|&u| u == self.unit).unwrap_or(0);
        let next = order[at + 1..]
            .iter()
            .chain(&order[..at])
            .copied()
            .find(|&u| {
                leaf < self.council.framework_of(u).leaves.len() && self.needs_look(u, leaf)
            });
        match next {
            Some(u) => {
                self.unit = u;
                self.detail_scroll = 0;
            }
            None => self.info(self.words().column_reviewed),
        }
    }

    /// Opens the confirmation of accepting every proven leaf of the unit.
    fn accept_proven(&mut self) -> Flow {
        if self.refused_on_broken_log() {
            return Flow::Stay;
        }
        if self.link.locked_by().is_some() {
            self.error(self.refusal(&Refusal::Locked));
            return Flow::Stay;
        }
        let leaves: Vec<usize> = self
            .link
            .appraisal()
            .proven(&self.council, self.unit)
            .collect();
        if leaves.is_empty() {
            self.info(self.words().nothing_proven);
            return Flow::Stay;
        }
        if let Some(l) = leaves.first()
            && let Err(r) = crate::appraisal::may_decide(
                &self.council,
                &self.member,
                self.unit,
                *l,
                self.link.appraisal().meeting,
            )
        {
            self.error(self.refusal(&r));
            return Flow::Stay;
        }
        Flow::Push(Layer::Confirm(Confirm::new(Confirming::AcceptProven {
            unit: self.unit,
            leaves,
        })))
    }

    /// Accepts, in one transaction, exactly the listed leaves of a unit as claimed.
    /// Records a request for an explanation of a leaf; a refusal goes back to the prompt.
    pub fn ask(&mut self, unit: usize, leaf: usize, text: &str) -> Result<(), String> {
        let (unit_id, code) = (
            self.council.units[unit].id.clone(),
            self.council.framework_of(unit).leaves[leaf].code.clone(),
        );
        let member = self.member.clone();
        match self.link.ask(&self.council, &member, &unit_id, &code, text) {
            Ok(_) => {
                let round = self.link.state().round();
                self.info(fill(
                    self.words().asked_recorded,
                    &[&code, &unit_id, &round],
                ));
                Ok(())
            }
            Err(DecideError::Refused(r)) => Err(self.refusal(&r)),
            Err(DecideError::Store(e)) => Err(format!("{e:#}")),
        }
    }

    /// Opens the confirmation of closing the round, listing the units that get
    /// a notice; refused at once for a member who may not close it.
    fn confirm_close_round(&mut self) -> Flow {
        let member = self.council.member(&self.member);
        if !member.is_some_and(|m| m.chair || m.secretary) {
            let r = crate::appraisal::Refusal::RoundNotAllowed(self.member.clone());
            self.error(self.refusal(&r));
            return Flow::Stay;
        }
        if self.link.locked_by().is_some() {
            self.error(self.refusal(&crate::appraisal::Refusal::Locked));
            return Flow::Stay;
        }
        let round = self.link.state().round();
        let units = (0..self.council.units.len())
            .filter(|&u| {
                !crate::export::notice::lines(&self.council, self.link.state(), u, round).is_empty()
            })
            .map(|u| self.council.units[u].name.clone())
            .collect();
        Flow::Push(Layer::Confirm(Confirm::new(Confirming::CloseRound {
            round,
            units,
        })))
    }

    /// Goes to the agenda's item now discussed (its unit, and its leaf if it names one).
    pub fn go_to_agenda(&mut self) {
        let m = &self.link.state().meeting;
        let (now, len, item) = (m.now, m.agenda.len(), m.agenda.get(m.now).cloned());
        self.agenda_seen = m.moved;
        let Some(item) = item else {
            return;
        };
        let Some(u) = self.council.unit_index(&item.unit) else {
            return;
        };
        self.group = self.council.units[u].group;
        match item
            .code
            .as_deref()
            .and_then(|c| self.council.framework_of(u).leaf(c))
        {
            Some((l, _)) => self.show_leaf(u, l),
            None => {
                self.unit = u;
                self.focus = Focus::Ranking;
                self.set_row(Row::Leaf(0));
            }
        }
        let text = fill(
            self.words().agenda_moved,
            &[&(now + 1), &len, &item.name(&self.council)],
        );
        self.info(text);
    }

    /// Puts the selected unit (or the selected leaf, from the tree) on the
    /// agenda at its end, or takes it off when it is there.
    fn agenda_mark(&mut self) {
        use crate::session::meeting::Item;
        let unit = self.council.units[self.unit].id.clone();
        let code = match (self.focus, self.row) {
            (Focus::Tree, Row::Leaf(l)) => {
                Some(self.council.framework_of(self.unit).leaves[l].code.clone())
            }
            _ => None,
        };
        let item = Item { unit, code };
        let mut items = self.link.state().meeting.agenda.clone();
        let (said, n) = match items.iter().position(|i| *i == item) {
            Some(at) => {
                items.remove(at);
                (self.words().agenda_unmarked, at + 1)
            }
            None => {
                items.push(item.clone());
                (self.words().agenda_marked, items.len())
            }
        };
        if self.write_agenda(&items) {
            let text = fill(said, &[&item.name(&self.council), &n, &items.len()]);
            self.info(text);
        }
    }

    /// Records the agenda's items in a new order; whether it was recorded
    /// (else the status says why).
    fn write_agenda(&mut self, items: &[crate::session::meeting::Item]) -> bool {
        if self.refused_on_broken_log() {
            return false;
        }
        let member = self.member.clone();
        match self.link.set_agenda(&self.council, &member, items) {
            Ok(_) => true,
            Err(e) => {
                self.error(self.decide_error(&e));
                false
            }
        }
    }

    /// Moves the agenda's item `from` to the place `to`; whether it moved.
    pub fn move_agenda_item(&mut self, from: usize, to: usize) -> bool {
        let mut items = self.link.state().meeting.agenda.clone();
        if from >= items.len() || to >= items.len() {
            return false;
        }
        let item = items.remove(from);
        items.insert(to, item.clone());
        let moved = self.write_agenda(&items);
        if moved {
            let text = fill(
                self.words().agenda_reordered,
                &[&item.name(&self.council), &(to + 1), &items.len()],
            );
            self.info(text);
        }
        moved
    }

    /// Takes the agenda's item `at` off.
    pub fn remove_agenda_item(&mut self, at: usize) {
        let mut items = self.link.state().meeting.agenda.clone();
        if at >= items.len() {
            return;
        }
        let item = items.remove(at);
        if self.write_agenda(&items) {
            let text = fill(
                self.words().agenda_unmarked,
                &[&item.name(&self.council), &(at + 1), &items.len()],
            );
            self.info(text);
        }
    }

    /// Moves the meeting to the agenda's item `at` and goes to it; whether it did.
    pub fn agenda_go(&mut self, at: usize) -> bool {
        if self.refused_on_broken_log() {
            return false;
        }
        let member = self.member.clone();
        let council = &self.council;
        match self
            .link
            .write(council, |s| s.agenda_at(council, &member, at))
        {
            Ok(_) => {
                self.go_to_agenda();
                true
            }
            Err(e) => {
                self.error(self.decide_error(&e));
                false
            }
        }
    }

    /// Closes the round and writes its notices.
    pub fn close_round(&mut self) {
        let member = self.member.clone();
        match self.link.close_round(&self.council, &self.folder, &member) {
            Ok(closed) => match closed.notices {
                Ok(files) => {
                    let text = fill(
                        self.words().round_closed,
                        &[
                            &closed.round,
                            &closed.event.round,
                            &(files.len() / 2),
                            &closed.dir.display(),
                        ],
                    );
                    self.info(text);
                }
                Err(err) => self.error(format!("{err:#}")),
            },
            Err(e) => self.error(self.decide_error(&e)),
        }
    }

    pub fn accept_all(&mut self, unit: usize, leaves: &[usize]) {
        let fw = self.council.framework_of(unit);
        let asks: Vec<Ask> = leaves
            .iter()
            .map(|&l| Ask {
                unit: self.council.units[unit].id.clone(),
                code: fw.leaves[l].code.clone(),
                change: change_of(
                    &Self::decided(crate::appraisal::self_value(&self.council, unit, l)),
                    self.value(unit, l).na,
                ),
                comment: String::new(),
                seen: Some(self.seen(unit, l)),
            })
            .collect();
        let member = self.member.clone();
        match self.link.decide_all(&self.council, &member, &asks) {
            Ok(events) => {
                self.after_change(unit);
                let text = fill(
                    self.words().accepted_many,
                    &[&events.len(), &self.council.units[unit].name],
                );
                self.info(text);
            }
            Err(BatchError::Refused(r)) => {
                let text = r
                    .iter()
                    .map(|(_, r)| self.refusal(r))
                    .collect::<Vec<_>>()
                    .join("; ");
                self.error(text);
            }
            Err(BatchError::Store(e)) => self.error(self.decide_error(&DecideError::Store(e))),
        }
    }

    /// The appraised value of a leaf.
    pub fn value(&self, unit: usize, leaf: usize) -> Value {
        self.link.appraisal().value(&self.council, unit, leaf)
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
