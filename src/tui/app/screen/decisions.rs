//! Decisions from the screen: the box opened or refused before it opens, steps and levels, accepting, undo and redo, requests, recording through the link.

use super::{Screen, View, moved};
use crate::appraisal::{Decided, Refusal};
use crate::i18n::fill;
use crate::model::Rule;
use crate::points::Points;
use crate::score::Value;
use crate::session::{Ask, BatchError, DecideError};
use crate::tui::action::Action;
use crate::tui::app::link::change_of;
use crate::tui::app::{BoxField, Confirm, Confirming, DecisionBox, Flow, Layer, Levels, Members};

impl Screen {
    /// Starting decisions: the box, steps, levels, not applicable, accepting, undo, the member, requests; `None` for an action that is not one of them.
    pub(super) fn on_decisions(&mut self, action: &Action) -> Option<Flow> {
        match action.clone() {
            Action::Accept => self.accept(),
            Action::AcceptProven => return Some(self.accept_proven()),
            Action::StepUp | Action::StepDown => {
                if let Some(l) = self.decidable_leaf() {
                    let stepped = self.step(l, &self.start_value(l), *action == Action::StepUp);
                    return Some(self.open_box(Some(stepped), BoxField::Reason));
                }
            }
            Action::TypePoints => return Some(self.open_box(None, BoxField::Points)),
            Action::PickLevel => {
                if let Some(l) = self.decidable_leaf() {
                    let choices = self.choices(l);
                    if choices.is_empty() {
                        self.error(self.words().no_levels);
                    } else {
                        let current = self.value(self.unit, l).points;
                        let sel = choices.iter().position(|(p, _)| *p == current).unwrap_or(0);
                        return Some(Flow::Push(Layer::Levels(Levels { choices, sel })));
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
                                return Some(Flow::Stay);
                            }
                            Decided::Na
                        }
                    };
                    return Some(self.open_box(Some(next), BoxField::Reason));
                }
            }
            Action::Comment => return Some(self.open_box(None, BoxField::Reason)),
            Action::Undo | Action::Redo => self.undo_redo(*action == Action::Undo),
            Action::Member => {
                let sel = self
                    .council
                    .members
                    .iter()
                    .position(|m| m.id == self.member)
                    .unwrap_or(0);
                return Some(Flow::Push(Layer::Members(Members { sel })));
            }
            Action::Ask => {
                if let Some(l) = self.decidable_leaf() {
                    let asking = crate::tui::app::Asking::Explanation {
                        unit: self.unit,
                        leaf: l,
                    };
                    return Some(Flow::Push(Layer::Request(crate::tui::app::Request::new(
                        asking,
                    ))));
                }
            }
            _ => return None,
        }
        Some(Flow::Stay)
    }

    /// Opens the decision box on the selected leaf, unless the decision is bound
    /// to be refused (then the status says why and no box opens).
    pub(super) fn open_box(&mut self, value: Option<Decided>, field: BoxField) -> Flow {
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

    pub(super) fn decided(v: Value) -> Decided {
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

    /// Says so when the session's log was changed behind the program's back:
    /// nothing more is recorded in it.
    pub(super) fn refused_on_broken_log(&mut self) -> bool {
        let Some(event) = self.link.log_broken() else {
            return false;
        };
        self.error(fill(self.words().log_broken_refused, &[&event]));
        true
    }

    /// The selected leaf when a decision on it could be recorded; says why not otherwise.
    pub(super) fn decidable_leaf(&mut self) -> Option<usize> {
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

    pub fn refusal(&self, r: &Refusal) -> String {
        crate::i18n::refusal(self.look.lang, r)
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
                    .look
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
                    self.look.lang,
                    &r,
                    Some((&l.rule, l.max)),
                ))
            }
            Err(e) => Err(self.decide_error(&e)),
        }
    }

    /// After this screen changed a unit: rescore that unit and note the moves.
    pub(super) fn after_change(&mut self, unit: usize) {
        // Votes counted until this change (cast since the last change this
        // screen knew of) are stale now: said with what was recorded.
        let changed = self.link.state().meeting.changed;
        let counted_since = self.watch.changed_seen;
        self.watch.staled = crate::session::meeting::Approval::of(&self.council, self.link.state())
            .members
            .iter()
            .filter_map(|s| s.vote.as_ref())
            .filter(|v| v.event >= counted_since && v.event < changed)
            .count();
        self.watch.changed_seen = changed;
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
        self.look.last_change = Some((unit, old_score));
    }

    pub(super) fn undo_redo(&mut self, undo: bool) {
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
    pub(super) fn accept(&mut self) {
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

    /// Opens the confirmation of accepting every proven leaf of the unit.
    pub(super) fn accept_proven(&mut self) -> Flow {
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
