//! Selection and moves: rows and folds, panes, groups, the next leaf to look at, lists across units, search.

use super::{Focus, Row, Screen, View};
use crate::tui::action::Action;
use crate::tui::app::{BoxField, Flow, Layer, Search};

use crate::tui::app::Hit;

impl Screen {
    /// Moves of the selection: rows, panes, groups, the next leaf to look at, search, the detail's scroll; `None` for an action that is not one of them.
    pub(super) fn on_moves(&mut self, action: &Action) -> Option<Flow> {
        match action.clone() {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.look.page as i64)),
            Action::PageDown => self.move_by(self.look.page as i64),
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
                (Focus::Tree, Row::Leaf(_)) => return Some(self.open_box(None, BoxField::Points)),
            },
            Action::Fold => self.toggle_fold(),
            Action::NextLook => self.jump_look(true),
            Action::PrevLook => self.jump_look(false),
            Action::NextGroup | Action::PrevGroup => {
                let n = self.council.groups.len();
                self.group = if *action == Action::NextGroup {
                    (self.group + 1) % n
                } else {
                    (self.group + n - 1) % n
                };
                self.unit = self.order().first().copied().unwrap_or(self.unit);
                self.set_row(Row::Leaf(0));
            }
            Action::Search => return Some(Flow::Push(Layer::Search(Search::default()))),
            Action::DetailUp => self.detail_scroll = self.detail_scroll.saturating_sub(3),
            Action::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(3),
            _ => return None,
        }
        Some(Flow::Stay)
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
    pub(super) fn toggle_list(&mut self, view: View) {
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
    pub(super) fn list_step(&mut self, list: &[(usize, usize)], forward: bool) {
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
    pub(super) fn show_leaf(&mut self, unit: usize, leaf: usize) {
        self.unit = unit;
        let fw_index = self.council.groups[self.council.units[unit].group].framework;
        self.look.folded.remove(&(
            fw_index,
            self.council.frameworks[fw_index].leaves[leaf].field,
        ));
        self.set_row(Row::Leaf(leaf));
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
            if !self.look.folded.contains(&(fw_index, f)) {
                rows.extend(field.leaves.clone().map(Row::Leaf));
            }
        }
        rows
    }

    pub(super) fn set_row(&mut self, row: Row) {
        if row != self.row {
            self.detail_scroll = 0;
        }
        self.row = row;
        self.clamp_row();
    }

    /// Keeps the selected row valid after any change (folds, unit, group).
    pub(super) fn clamp_row(&mut self) {
        let rows = self.rows();
        if !rows.contains(&self.row) {
            let fw = self.council.framework_of(self.unit);
            self.row = match self.row {
                Row::Leaf(l) if l < fw.leaves.len() => Row::Field(fw.leaves[l].field),
                _ => rows.first().copied().unwrap_or(Row::Field(0)),
            };
        }
    }

    pub(super) fn toggle_fold(&mut self) {
        let fw_index = self.council.groups[self.council.units[self.unit].group].framework;
        let f = match self.row {
            Row::Field(f) => f,
            Row::Leaf(l) => self.council.frameworks[fw_index].leaves[l].field,
        };
        if !self.look.folded.remove(&(fw_index, f)) {
            self.look.folded.insert((fw_index, f));
        }
        self.set_row(Row::Field(f));
    }

    pub(super) fn move_by(&mut self, delta: i64) {
        let focus = if self.view == View::Unit {
            self.focus
        } else {
            Focus::Ranking
        };
        match focus {
            Focus::Ranking => {
                let order = self.order();
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
    pub(super) fn jump_look(&mut self, forward: bool) {
        let order = self.order().into_owned();
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

    /// In the across view: the next unit of the group (in rank order) whose
    /// same leaf still needs a look.
    pub(super) fn next_unit_down_the_column(&mut self, leaf: usize) {
        let order = self.order();
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
}
