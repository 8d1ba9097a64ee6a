//! The screen's answers to the layers' handles (each one a call into the part of the
//! screen that owns it).

use std::path::Path;

use super::Screen;
use crate::appraisal::Decided;
use crate::i18n::Words;
use crate::model::Member;
use crate::points::Points;
use crate::tui::app::handle::{Closing, Deciding, Finding, Hit, Meeting, Say};
use crate::tui::app::{Flow, Status};

impl Say for Screen {
    fn words(&self) -> &'static Words {
        Screen::words(self)
    }

    fn tell(&mut self, text: &str) {
        self.status = Some(Status::Info(text.into()));
    }
}

impl Deciding for Screen {
    fn selected(&self) -> Option<(usize, usize)> {
        self.selected_leaf().map(|l| (self.unit, l))
    }

    fn own_points(&self, leaf: usize) -> Points {
        Screen::own_points(self, leaf)
    }

    fn step(&self, leaf: usize, from: &Decided, up: bool) -> Decided {
        Screen::step(self, leaf, from, up)
    }

    fn may_rule_na(&self, unit: usize, leaf: usize) -> Result<(), String> {
        crate::appraisal::may_rule_na(&self.council, self.link.appraisal(), unit, leaf)
            .map_err(|r| self.refusal(&r))
    }

    fn seen(&self, unit: usize, leaf: usize) -> i64 {
        Screen::seen(self, unit, leaf)
    }

    fn record(
        &mut self,
        unit: usize,
        leaf: usize,
        value: &Decided,
        reason: &str,
        seen: i64,
    ) -> Result<(), String> {
        Screen::record(self, unit, leaf, value, reason, seen)
    }

    fn accept_all(&mut self, unit: usize, leaves: &[usize]) {
        Screen::accept_all(self, unit, leaves)
    }

    fn ask(&mut self, unit: usize, leaf: usize, text: &str) -> Result<(), String> {
        Screen::ask(self, unit, leaf, text)
    }

    fn members(&self) -> &[Member] {
        &self.council.members
    }

    fn record_as(&mut self, member: &str) {
        self.member = member.to_string();
    }
}

impl Meeting for Screen {
    fn members(&self) -> &[Member] {
        &self.council.members
    }

    fn agenda_len(&self) -> usize {
        self.link.state().meeting.agenda.len()
    }

    fn attend(&mut self, member: &str, present: bool, written: Option<&str>) -> Result<(), String> {
        Screen::attend(self, member, present, written)
    }

    fn vote(&mut self, member: &str, approve: bool) {
        Screen::vote(self, member, approve)
    }

    fn move_agenda_item(&mut self, from: usize, to: usize) -> bool {
        Screen::move_agenda_item(self, from, to)
    }

    fn remove_agenda_item(&mut self, at: usize) {
        Screen::remove_agenda_item(self, at)
    }

    fn agenda_go(&mut self, at: usize) -> bool {
        Screen::agenda_go(self, at)
    }
}

impl Closing for Screen {
    fn begin_signoff(&mut self) -> Flow {
        Screen::begin_signoff(self)
    }

    fn sign_with(&mut self, path: &Path, password: Option<&str>) -> Result<(), String> {
        Screen::sign_with(self, path, password)
    }

    fn close_round(&mut self) {
        Screen::close_round(self)
    }
}

impl Finding for Screen {
    fn search_hits(&self, query: &str) -> Vec<Hit> {
        Screen::search_hits(self, query)
    }

    fn go_to(&mut self, hit: Hit) {
        Screen::go_to(self, hit)
    }
}
