//! What the log adds up to: the state, and the replay that is the one place events become it.

use std::collections::{BTreeMap, HashMap};

use super::event::leaf_of;
use super::meeting::{self, Attendance, Attended, Item, Meeting, Vote, parse_items};
use super::{Event, Kind};
use crate::appraisal::{Appraisal, Decided, Decision, Refusal};
use crate::model::Council;

/// A decision that no longer applies to the inputs (its unit or leaf is gone, or
/// its value no longer fits the leaf's rule). It stays in the log and is listed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Orphan {
    pub event: i64,
    pub unit: String,
    pub code: String,
    pub value: String,
    pub why: Unfit,
}

/// Why a decision no longer applies to the inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Unfit {
    /// Its unit is no longer in the roster.
    Unit,
    /// Its leaf is no longer in the unit's framework.
    Leaf,
    /// Its value no longer fits the leaf's rule.
    Value,
}

/// What the events add up to.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct State {
    pub appraisal: Appraisal,
    pub orphans: Vec<Orphan>,
    /// Who signed off, when the session is locked.
    pub locked_by: Option<(String, String)>,
    /// Per member: decision events that can be undone (last on top) and
    /// redone, in the current round only (a closed round cannot be undone).
    #[serde(with = "runs")]
    pub(crate) undo: HashMap<String, Vec<i64>>,
    #[serde(with = "runs")]
    pub(crate) redo: HashMap<String, Vec<i64>>,
    pub(crate) last_event: i64,
    /// The round the session is in (from 1).
    pub round: i64,
    /// Per leaf (unit index, leaf index): its value as each round left it
    /// (`None`: back to the self-assessment), for rounds where it changed.
    pub by_round: ByRound,
    /// Per leaf: the explanations asked of the unit, oldest first.
    pub asks: HashMap<(usize, usize), Vec<Request>>,
    /// The meeting: agenda, attendance, votes, decisions waiting for confirmation.
    pub meeting: meeting::Meeting,
    /// The `signoff` event that locked the session, while it is locked.
    pub sign_off: Option<i64>,
    /// Per closed round, the day its explanations are due (ISO date), when one was set.
    pub deadlines: BTreeMap<i64, String>,
    /// The members who signed an event of their own (every later one of
    /// theirs is signed; see [`super::acting::check`]).
    pub signed: std::collections::BTreeSet<String>,
}

/// Per leaf (unit index, leaf index): its value as each round that changed it
/// left it (`None`: back to the self-assessment).
pub type ByRound = HashMap<(usize, usize), Rounds>;

/// A member's undo and redo stacks kept as runs of equal steps between
/// event ids (`(step, count)`, the first step from 0): a member deciding leaf
/// after leaf makes one run, two members in turn one each, so what a kept
/// state holds of them does not grow with the log's length; ids in no order
/// take two small numbers each.
mod runs {
    use std::collections::HashMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        stacks: &HashMap<String, Vec<i64>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut out: Vec<(&str, Vec<(i64, u64)>)> = stacks
            .iter()
            .map(|(member, ids)| {
                let mut runs: Vec<(i64, u64)> = Vec::new();
                let mut previous = 0;
                for &id in ids {
                    let step = id - previous;
                    previous = id;
                    match runs.last_mut() {
                        Some((s, count)) if *s == step => *count += 1,
                        _ => runs.push((step, 1)),
                    }
                }
                (member.as_str(), runs)
            })
            .collect();
        out.sort();
        out.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<HashMap<String, Vec<i64>>, D::Error> {
        let stored: Vec<(String, Vec<(i64, u64)>)> = Vec::deserialize(d)?;
        Ok(stored
            .into_iter()
            .map(|(member, runs)| {
                let mut ids = Vec::new();
                let mut at = 0i64;
                for (step, count) in runs {
                    for _ in 0..count {
                        at += step;
                        ids.push(at);
                    }
                }
                (member, ids)
            })
            .collect())
    }
}

/// One leaf's values, per round that changed it, in round order. A leaf
/// changes in a round or two: a list sized to them, not a tree whose every
/// node holds room for eleven (on a council whose every leaf is decided that
/// room was most of the state a command reads back). Stored as the map it
/// replaces was: the same bytes in a kept snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Rounds(Vec<(i64, Option<Decision>)>);

impl Rounds {
    /// Sets the value a round left the leaf with.
    pub fn insert(&mut self, round: i64, value: Option<Decision>) {
        match self.0.binary_search_by_key(&round, |(r, _)| *r) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => {
                self.0.reserve_exact(1);
                self.0.insert(i, (round, value));
            }
        }
    }

    /// The value a round left the leaf with, when that round changed it.
    pub fn get(&self, round: &i64) -> Option<&Option<Decision>> {
        self.0
            .binary_search_by_key(round, |(r, _)| *r)
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Whether the round changed the leaf.
    pub fn contains_key(&self, round: &i64) -> bool {
        self.get(round).is_some()
    }

    /// The latest round at or before `round` that changed the leaf, with its value.
    pub fn until(&self, round: i64) -> Option<(&i64, &Option<Decision>)> {
        self.0
            .iter()
            .rev()
            .find(|(r, _)| *r <= round)
            .map(|(r, d)| (r, d))
    }

    /// The last round that changed the leaf.
    pub fn last_round(&self) -> Option<i64> {
        self.0.last().map(|(r, _)| *r)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&i64, &Option<Decision>)> {
        self.0.iter().map(|(r, d)| (r, d))
    }
}

impl<'a> IntoIterator for &'a Rounds {
    type Item = (&'a i64, &'a Option<Decision>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (i64, Option<Decision>)>,
        fn(&'a (i64, Option<Decision>)) -> (&'a i64, &'a Option<Decision>),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(r, d)| (r, d))
    }
}

/// An explanation asked of a unit on one leaf (yêu cầu giải trình).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Request {
    pub round: i64,
    pub text: String,
    pub member: String,
    pub at: String,
    pub event: i64,
}

impl State {
    /// The day a closed round's explanations are due (ISO date), when one was set.
    pub fn deadline(&self, round: i64) -> Option<&str> {
        self.deadlines.get(&round).map(String::as_str)
    }

    /// The last event this state includes (0: none).
    pub fn last_event(&self) -> i64 {
        self.last_event
    }

    pub fn locked(&self) -> bool {
        self.locked_by.is_some()
    }

    /// The round a session with this state is in (1 before any is closed).
    pub fn round(&self) -> i64 {
        self.round.max(1)
    }

    /// A leaf's value as round `round` left it: that round's decision, else
    /// the latest earlier round's, else the self-assessment.
    pub fn value_after(
        &self,
        council: &Council,
        unit: usize,
        leaf: usize,
        round: i64,
    ) -> crate::score::Value {
        match self
            .by_round
            .get(&(unit, leaf))
            .and_then(|m| m.until(round))
        {
            Some((_, Some(d))) => d.value.value(&council.framework_of(unit).leaves[leaf]),
            _ => crate::appraisal::self_value(council, unit, leaf),
        }
    }

    /// Whether the unit was asked to explain a leaf in a round.
    pub fn asked(&self, unit: usize, leaf: usize, round: i64) -> bool {
        self.asks
            .get(&(unit, leaf))
            .is_some_and(|a| a.iter().any(|r| r.round == round))
    }

    /// What a list of events (oldest first) adds up to on this council.
    pub fn of(council: &Council, events: &[Event]) -> State {
        let mut state = State::default();
        apply_events(council, &mut state, events);
        state
    }
}

/// Adds events (in id order) to a state: the one place where the log becomes state.
pub(super) fn apply_events(council: &Council, state: &mut State, events: &[Event]) {
    // Leaf state by ids, so that decisions on leaves that are gone are kept aside.
    for e in events {
        state.last_event = state.last_event.max(e.id);
        if super::acting::signs_own(e) {
            state.signed.insert(e.member.clone());
        }
        match e.kind() {
            Kind::Round => {
                state.round = e.round;
                if let Some(day) = &e.after {
                    state.deadlines.insert(e.round - 1, day.clone());
                }
                // A closed round's decisions cannot be undone or redone.
                state.undo.clear();
                state.redo.clear();
            }
            Kind::Ask => {
                if let Some(at) = leaf_of(council, e) {
                    state.asks.entry(at).or_default().push(Request {
                        round: e.round,
                        text: e.comment.clone(),
                        member: e.member.clone(),
                        at: e.at.clone(),
                        event: e.id,
                    });
                }
            }
            Kind::Signoff => {
                state.locked_by = Some((e.member.clone(), e.at.clone()));
                state.sign_off = Some(e.id);
            }
            Kind::Reopen => {
                state.locked_by = None;
                state.sign_off = None;
            }
            Kind::Decide | Kind::Undo | Kind::Redo => {
                match e.kind() {
                    Kind::Decide => {
                        state.undo.entry(e.member.clone()).or_default().push(e.id);
                        state.redo.entry(e.member.clone()).or_default().clear();
                    }
                    Kind::Undo => {
                        let t = e.target.unwrap_or_default();
                        state
                            .undo
                            .entry(e.member.clone())
                            .or_default()
                            .retain(|&x| x != t);
                        state.redo.entry(e.member.clone()).or_default().push(t);
                    }
                    _ => {
                        let t = e.target.unwrap_or_default();
                        state
                            .redo
                            .entry(e.member.clone())
                            .or_default()
                            .retain(|&x| x != t);
                        state.undo.entry(e.member.clone()).or_default().push(t);
                    }
                }
                if council.confirm {
                    propose(council, state, e);
                    continue;
                }
                state.meeting.changed = e.id;
                set_leaf(council, state, e);
                if let Some(at) = leaf_of(council, e) {
                    let now = state.appraisal.decisions.get(&at).cloned();
                    state.by_round.entry(at).or_default().insert(e.round, now);
                }
            }
            _ => apply(council, state, e),
        }
    }
}

/// Whether the result may be signed as it stands: no decision waits for
/// confirmation, and the council approved it since its last change.
pub fn may_sign(council: &Council, state: &State) -> Result<(), Refusal> {
    let pending = state.meeting.pending.len();
    if pending > 0 {
        return Err(Refusal::PendingLeft(pending));
    }
    let approval = meeting::Approval::of(council, state);
    if !approval.approved {
        return Err(approval.refusal());
    }
    Ok(())
}

pub(super) fn set_leaf(council: &Council, state: &mut State, e: &Event) {
    let (Some(unit_id), Some(code)) = (&e.unit, &e.code) else {
        return;
    };
    state
        .orphans
        .retain(|o| !(&o.unit == unit_id && &o.code == code));
    let orphan = |why: Unfit| Orphan {
        event: e.id,
        unit: unit_id.clone(),
        code: code.clone(),
        value: e.after.clone().unwrap_or_default(),
        why,
    };
    let Some(unit) = council.unit_index(unit_id) else {
        if e.after.is_some() {
            state.orphans.push(orphan(Unfit::Unit));
        }
        return;
    };
    let fw = council.framework_of(unit);
    let Some((leaf, l)) = fw.leaf(code) else {
        if e.after.is_some() {
            state.orphans.push(orphan(Unfit::Leaf));
        }
        return;
    };
    let Some(after) = &e.after else {
        state.appraisal.decisions.remove(&(unit, leaf));
        return;
    };
    let fits = match Decided::decode(after) {
        Some(Decided::Points(p)) => crate::score::check_points(l, p)
            .is_ok()
            .then_some(Decided::Points(p)),
        Some(Decided::Na) => l.na.then_some(Decided::Na),
        Some(Decided::Ratio(n, d)) => {
            matches!(l.rule, crate::model::Rule::Ratio(_)).then_some(Decided::Ratio(n, d))
        }
        None => None,
    };
    match fits {
        Some(value) => {
            state.appraisal.decisions.insert(
                (unit, leaf),
                Decision {
                    value,
                    comment: e.comment.clone(),
                    member: e.member.clone(),
                    at: e.at.clone(),
                    event: e.id,
                    confirmed_by: None,
                },
            );
        }
        None => {
            state.appraisal.decisions.remove(&(unit, leaf));
            state.orphans.push(orphan(Unfit::Value));
        }
    }
}

/// Applies one meeting event to the state (the others are applied by the session).
fn apply(council: &Council, state: &mut State, e: &Event) {
    let m = &mut state.meeting;
    match e.kind() {
        Kind::Attend => {
            let how = match e.after.as_deref() {
                Some("present") => Attendance::Present,
                Some("written") => Attendance::Written(e.comment.clone()),
                _ => Attendance::Absent,
            };
            m.attendance.insert(
                e.member.clone(),
                Attended {
                    how,
                    at: e.at.clone(),
                    event: e.id,
                    recorder: e.recorder.clone(),
                },
            );
            state.appraisal.meeting = true;
        }
        Kind::Vote => {
            m.votes.insert(
                e.member.clone(),
                Vote {
                    approve: e.after.as_deref() == Some("approve"),
                    comment: e.comment.clone(),
                    at: e.at.clone(),
                    event: e.id,
                    recorder: e.recorder.clone(),
                },
            );
        }
        Kind::Agenda => {
            let old = std::mem::take(&mut m.agenda);
            m.agenda = parse_items(&e.comment);
            // The item discussed stays the current one when it is still
            // listed; taken off, the meeting goes on to the first item after
            // it that is still listed (never back); past the last one, the
            // agenda is finished (`now` at its end).
            let at = |i: &Item| m.agenda.iter().position(|x| x == i);
            m.now = if old.is_empty() {
                0
            } else {
                old.get(m.now..)
                    .unwrap_or_default()
                    .iter()
                    .find_map(at)
                    .unwrap_or(m.agenda.len())
            };
            m.moved = e.id;
        }
        Kind::AgendaAt => {
            m.now = e
                .after
                .as_deref()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(1)
                .saturating_sub(1);
            m.moved = e.id;
        }
        Kind::Confirm => {
            let Some(at) = leaf_of(council, e) else {
                return;
            };
            if m.pending.get(&at).map(|p| p.id) != e.target {
                return;
            }
            if let Some(proposal) = m.pending.remove(&at) {
                m.changed = e.id;
                set_leaf(council, state, &proposal);
                if let Some(d) = state.appraisal.decisions.get_mut(&at) {
                    d.confirmed_by = Some(e.member.clone());
                }
                let now = state.appraisal.decisions.get(&at).cloned();
                state.by_round.entry(at).or_default().insert(e.round, now);
            }
        }
        _ => {}
    }
}

/// Under two-person confirmation: a decision, undo or redo proposes the
/// leaf's new value; it waits for a second member unless it brings the leaf
/// back to its counted value (a withdrawal).
fn propose(council: &Council, state: &mut State, e: &Event) {
    let Some(at) = leaf_of(council, e) else {
        set_leaf(council, state, e);
        return;
    };
    let counted = state.appraisal.decisions.get(&at).map(|d| d.value.encode());
    if e.after == counted {
        state.meeting.pending.remove(&at);
    } else {
        state.meeting.pending.insert(at, e.clone());
    }
}

impl AsRef<Meeting> for State {
    fn as_ref(&self) -> &Meeting {
        &self.meeting
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_stacks_are_kept_as_runs_and_read_back_as_they_were() {
        let mut state = State::default();
        let long: Vec<i64> = (1..=100_000).collect();
        state.undo.insert("an".into(), long.clone());
        state.undo.insert("binh".into(), vec![7, 3, 4, 5, 12, 11]);
        state.redo.insert("an".into(), vec![]);
        // Two members deciding in turn: one run each.
        state
            .redo
            .insert("chi".into(), (2..=200_000).step_by(2).collect());
        let bytes = postcard::to_allocvec(&state).unwrap();
        assert!(bytes.len() < 120, "{} bytes", bytes.len());
        let back: State = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.undo, state.undo);
        assert_eq!(back.redo, state.redo);
        assert_eq!(back.undo["an"], long);
    }

    #[test]
    fn a_leafs_rounds_are_kept_as_the_map_they_replace_was() {
        let d = Decision {
            value: Decided::Points(crate::Points(150)),
            comment: "Đúng hạn".into(),
            member: "an".into(),
            at: "2026-01-20T02:00:00Z".into(),
            event: 7,
            confirmed_by: None,
        };
        let mut map: BTreeMap<i64, Option<Decision>> = BTreeMap::new();
        map.insert(1, Some(d.clone()));
        map.insert(3, None);
        let mut rounds = Rounds::default();
        rounds.insert(3, Some(d.clone()));
        rounds.insert(1, Some(d.clone()));
        rounds.insert(3, None);
        assert_eq!(
            postcard::to_allocvec(&rounds).unwrap(),
            postcard::to_allocvec(&map).unwrap(),
            "a snapshot kept before reads the same"
        );
        assert_eq!(rounds.until(2), Some((&1, &Some(d.clone()))));
        assert_eq!(rounds.until(0), None);
        assert_eq!(rounds.last_round(), Some(3));
        assert!(rounds.contains_key(&1) && !rounds.contains_key(&2));
        let back: Rounds = postcard::from_bytes(&postcard::to_allocvec(&map).unwrap()).unwrap();
        assert_eq!(back, rounds);
    }
}
