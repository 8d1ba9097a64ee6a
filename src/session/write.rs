//! The session's writes: decisions one or many, undo and redo, requests, rounds, sign-off
//! and reopening, each one event appended under the council's lock.

use anyhow::Result;

use super::error::{BatchError, BrokenChain, DecideError, store, store_error};
use super::event::{bounded, leaf_at};
use super::sqlite::quick_check;
use super::state::{apply_events, may_sign};
use super::store::{Log, Write, cleaned, events_after};
use super::{Event, Kind, Session, State, Store, acts_break, chain, snapshot, utc_now, write_on};
use super::{acting, owner};
use crate::appraisal::{Act, Appraisal, Change, Decided, Refusal, check_change};
use crate::model::Council;

impl Session {
    /// Starts a write (`BEGIN IMMEDIATE`) and reads the state inside it, so that
    /// the rules see every other writer's decisions.
    /// The state is the one kept from this connection's last write with only
    /// the events since applied (all of them the first time, or for another
    /// council), so a write costs the same on a long log as on a short one.
    pub(super) fn begin(
        &mut self,
        council: &Council,
    ) -> Result<(Box<dyn Write + '_>, &State), DecideError> {
        let recorded = self
            .refuse_other_council(council)
            .map_err(DecideError::Store)?;
        let Session {
            store: rows,
            path,
            file,
            head,
            broken,
            kept,
            owner_checked,
            recorder,
            roles_bound,
            ..
        } = self;
        let tx = write_on(rows, path, *file, head, broken, recorder.clone())
            .map_err(DecideError::Store)?;
        if !recorded {
            owner::claim(tx.log(), council).map_err(store)?;
            *owner_checked = Some((council.stamp, true));
        }
        if *roles_bound != Some(council.stamp) {
            tx.log().bind_roles(council).map_err(store)?;
            *roles_bound = Some(council.stamp);
        }
        if kept
            .as_ref()
            .is_none_or(|(stamp, _)| *stamp != council.stamp)
        {
            let key = snapshot::council_key(council);
            let from = snapshot::load(tx.log(), &key).map_err(store)?;
            *kept = Some((council.stamp, from.unwrap_or_default()));
        }
        let Some((_, state)) = kept.as_mut() else {
            unreachable!("set just above");
        };
        let new = events_after(tx.log(), state.last_event).map_err(store)?;
        if let Some(b) = acts_break(tx.log(), council, &state.signed, &new).map_err(store)? {
            let said = b.said(path);
            *broken = Some(b);
            return Err(DecideError::Store(BrokenChain(said).into()));
        }
        apply_events(council, state, &new);
        // A writer that only ever writes (a command deciding in a loop, the
        // screen between reads) keeps the snapshot as a reading open does,
        // in this same transaction, so its next open reads as little.
        if new.len() >= snapshot::EVERY
            && let Some(at) = snapshot::checked_at(head.as_ref(), broken.is_some(), state)
        {
            let key = snapshot::council_key(council);
            if let Err(e) = snapshot::keep(tx.log(), &key, at, state) {
                tracing::warn!("keeping a snapshot of the state: {e:#}");
            }
        }
        Ok((tx, state))
    }

    /// Records a decision on one leaf, after checking every rule, in one transaction.
    pub fn decide(
        &mut self,
        council: &Council,
        member: &str,
        unit_id: &str,
        code: &str,
        change: &Change,
        comment: &str,
    ) -> Result<Event, DecideError> {
        let ask = Ask {
            unit: unit_id.into(),
            code: code.into(),
            change: change.clone(),
            comment: comment.into(),
            seen: None,
        };
        self.decide_ask(council, member, &ask)
    }

    /// Records one asked decision (checked as stale when it says what it saw).
    pub fn decide_ask(
        &mut self,
        council: &Council,
        member: &str,
        ask: &Ask,
    ) -> Result<Event, DecideError> {
        match self.decide_all(council, member, std::slice::from_ref(ask)) {
            Ok(mut events) => events.pop().ok_or_else(|| {
                DecideError::Store(anyhow::anyhow!(
                    "{}",
                    crate::i18n::say(|w| w.er_decision_was_recorded.to_string())
                ))
            }),
            Err(BatchError::Refused(mut r)) => Err(r.swap_remove(0).1.into()),
            Err(BatchError::Store(e)) => Err(DecideError::Store(e)),
        }
    }

    /// Records several decisions by one member in one transaction: all of them,
    /// or none when any is refused (every refusal is returned with its position).
    pub fn decide_all(
        &mut self,
        council: &Council,
        member: &str,
        asks: &[Ask],
    ) -> Result<Vec<Event>, BatchError> {
        self.record_batch(council, member, asks, &[], false)
            .map(|b| b.decided)
    }

    /// Records decisions and explanation requests by one member in one
    /// transaction, all or none: a refused request is returned at its position
    /// after the decisions (`asks.len() + i`). What is already so is not
    /// recorded again: a decision that sets a leaf to the value it has, by the
    /// same member with the same comment, and a request identical to one asked
    /// this round on that leaf (counted in `already`).
    pub fn decide_batch(
        &mut self,
        council: &Council,
        member: &str,
        asks: &[Ask],
        requests: &[Requested],
    ) -> Result<Batch, BatchError> {
        self.record_batch(council, member, asks, requests, true)
    }

    fn record_batch(
        &mut self,
        council: &Council,
        member: &str,
        asks: &[Ask],
        requests: &[Requested],
        once: bool,
    ) -> Result<Batch, BatchError> {
        let acts = [
            (!asks.is_empty(), Act::Decide),
            (!requests.is_empty(), Act::Ask),
        ];
        for (_, act) in acts.iter().filter(|(any, _)| *any) {
            self.may_act(council, member, *act)
                .map_err(|r| BatchError::Refused(vec![(0, r)]))?;
        }
        let (tx, state) = self.begin(council).map_err(BatchError::from)?;
        if state.locked() {
            return Err(BatchError::Refused(vec![(0, Refusal::Locked)]));
        }
        // The rows after the first are checked against the ones before them:
        // a copy of the appraisal is made only when there are such rows.
        let mut appraisal = std::borrow::Cow::Borrowed(&state.appraisal);
        let mut refused = Vec::new();
        let mut skipped = 0;
        let mut rows = Vec::with_capacity(asks.len());
        for (i, ask) in asks.iter().enumerate() {
            if let Some(seen) = ask.seen {
                let now = current_of(tx.log(), &ask.unit, &ask.code)
                    .map_err(|e| BatchError::Store(store_error(e)))?;
                if let Some(e) = now.filter(|e| e.id != seen) {
                    refused.push((
                        i,
                        Refusal::Stale(Box::new(crate::appraisal::Changed {
                            unit: ask.unit.clone(),
                            code: ask.code.clone(),
                            by: e.member.clone(),
                            value: e.after.clone().unwrap_or_else(|| "self".into()),
                            at: e.at.clone(),
                            event: e.id,
                        })),
                    ));
                    continue;
                }
            }
            match check_ask(council, &appraisal, member, ask) {
                Ok((unit, leaf, decided, comment)) => {
                    let already = appraisal.decisions.get(&(unit, leaf)).is_some_and(|d| {
                        d.value == decided && d.comment == comment && d.member == member
                    });
                    if once && already {
                        skipped += 1;
                        continue;
                    }
                    let before = appraisal
                        .decisions
                        .get(&(unit, leaf))
                        .map(|d| d.value.encode());
                    if i + 1 < asks.len() {
                        appraisal.to_mut().decisions.insert(
                            (unit, leaf),
                            crate::appraisal::Decision {
                                value: decided.clone(),
                                comment: comment.clone(),
                                member: member.into(),
                                at: String::new(),
                                event: 0,
                                confirmed_by: None,
                            },
                        );
                    }
                    rows.push((ask, before, decided.encode(), comment));
                }
                Err(r) => refused.push((i, r)),
            }
        }
        let mut requested = Vec::with_capacity(requests.len());
        for (i, r) in requests.iter().enumerate() {
            if once && asked_already(council, state, r) {
                skipped += 1;
                continue;
            }
            // A locked session was refused above.
            match ask_in(
                tx.log(),
                council,
                (false, appraisal.meeting),
                member,
                &r.unit,
                &r.code,
                &r.text,
            ) {
                Ok(e) => requested.push(e),
                Err(DecideError::Refused(why)) => refused.push((asks.len() + i, why)),
                Err(DecideError::Store(e)) => return Err(BatchError::Store(e)),
            }
        }
        if !refused.is_empty() {
            return Err(BatchError::Refused(refused));
        }
        let mut events = Vec::with_capacity(rows.len());
        for (ask, before, after, comment) in rows {
            let e = insert(
                tx.log(),
                member,
                Kind::Decide,
                Some(&ask.unit),
                Some(&ask.code),
                before,
                Some(after),
                &comment,
                None,
            )
            .map_err(|e| BatchError::Store(store_error(e)))?;
            events.push(e);
        }
        tx.commit().map_err(|e| BatchError::Store(store_error(e)))?;
        self.wrote(events.iter().chain(&requested).max_by_key(|e| e.id));
        Ok(Batch {
            decided: events,
            asked: requested,
            already: skipped,
        })
    }

    /// Undoes the member's last decision that is not undone yet.
    pub fn undo(&mut self, council: &Council, member: &str) -> Result<Event, DecideError> {
        self.undo_redo(council, member, true)
    }

    /// Redoes the member's last undone decision.
    pub fn redo(&mut self, council: &Council, member: &str) -> Result<Event, DecideError> {
        self.undo_redo(council, member, false)
    }

    pub(super) fn undo_redo(
        &mut self,
        council: &Council,
        member: &str,
        undo: bool,
    ) -> Result<Event, DecideError> {
        self.may_act(council, member, Act::Decide)?;
        self.one_event(council, member, |tx, state| {
            let stack = if undo {
                state.undo.get(member)
            } else {
                state.redo.get(member)
            };
            let Some(&target) = stack.and_then(|s| s.last()) else {
                return Err(if undo {
                    Refusal::NothingToUndo(member.into())
                } else {
                    Refusal::NothingToRedo(member.into())
                }
                .into());
            };
            let t = event_by_id(tx, target).map_err(store)?;
            let (unit, code) = (
                t.unit.clone().unwrap_or_default(),
                t.code.clone().unwrap_or_default(),
            );
            // Undo expects the leaf as the decision left it; redo as it was before.
            let current = current_of(tx, &unit, &code).map_err(store)?;
            let expected = if undo {
                t.after.clone()
            } else {
                t.before.clone()
            };
            if current.as_ref().map(|c| &c.after) != Some(&expected)
                && !(current.is_none() && expected.is_none())
            {
                let by = current.map(|c| c.member).unwrap_or_default();
                return Err(Refusal::ChangedSince { unit, code, by }.into());
            }
            let (after, comment) = if undo {
                (t.before.clone(), tx.comment_before(&t).map_err(store)?)
            } else {
                (t.after.clone(), t.comment.clone())
            };
            let kind = if undo { Kind::Undo } else { Kind::Redo };
            insert(
                tx,
                member,
                kind,
                Some(&unit),
                Some(&code),
                expected,
                after,
                &comment,
                Some(target),
            )
            .map_err(store)
        })
    }

    /// Signs off under the write lock, in one transaction: refuses a locked
    /// session, names the signed folder from the log (`name`), appends the
    /// `signoff` event naming it, lets `write` make the folder from the state
    /// and the log (both with that event, so the folder's log ends with it),
    /// and commits only when the folder is written.
    pub fn lock_with(
        &mut self,
        council: &Council,
        member: &str,
        name: impl FnOnce(&[Event]) -> Result<String>,
        write: impl FnOnce(&State, &[Event]) -> Result<()>,
    ) -> Result<Event, DecideError> {
        self.may_act(council, member, Act::Signoff)?;
        let path = self.path.clone();
        if let Store::Sqlite(conn) = &self.store {
            quick_check(conn, &path).map_err(DecideError::Store)?;
        }
        let tx = self.write_tx().map_err(DecideError::Store)?;
        // What is signed is checked whole, from the first event.
        let raw = tx.log().raw(0, i64::MAX).map_err(store)?;
        let from = tx.log().signed_from().map_err(store)?;
        if let Err(b) = chain::check(None, &raw)
            .and_then(|_| acting::check(council, &mut Default::default(), from, &raw))
        {
            return Err(DecideError::Store(BrokenChain(b.said(&path)).into()));
        }
        let mut events: Vec<Event> = raw.into_iter().map(cleaned).collect();
        let state = State::of(council, &events);
        if let Some((by, at)) = state.locked_by.clone() {
            return Err(Refusal::AlreadySigned { by, at }.into());
        }
        may_sign(council, &state)?;
        let folder = name(&events).map_err(DecideError::Store)?;
        let event = insert(
            tx.log(),
            member,
            Kind::Signoff,
            None,
            None,
            None,
            None,
            &folder,
            None,
        )
        .map_err(store)?;
        events.push(event.clone());
        write(&State::of(council, &events), &events).map_err(DecideError::Store)?;
        tx.commit().map_err(store)?;
        self.wrote(Some(&event));
        Ok(event)
    }

    /// Reopens a signed-off session, with a reason; itself an event.
    pub fn reopen(
        &mut self,
        council: &Council,
        member: &str,
        reason: &str,
    ) -> Result<Event, DecideError> {
        self.may_act(council, member, Act::Reopen)?;
        let reason = crate::text::para(reason);
        if reason.trim().is_empty() {
            return Err(Refusal::ReasonNeeded.into());
        }
        bounded(&reason)?;
        let (tx, state) = self.begin(council)?;
        let Some((signer, _)) = &state.locked_by else {
            return Err(Refusal::NotLocked.into());
        };
        let chair = council.member(member).is_some_and(|m| m.chair);
        if !chair && signer != member {
            return Err(Refusal::ReopenNotAllowed {
                member: member.into(),
                signer: signer.clone(),
            }
            .into());
        }
        let event = insert(
            tx.log(),
            member,
            Kind::Reopen,
            None,
            None,
            None,
            None,
            &reason,
            None,
        )
        .map_err(store)?;
        tx.commit().map_err(store)?;
        self.wrote(Some(&event));
        Ok(event)
    }

    /// Closes the current round and opens the next (the chair or the
    /// secretary; not on a locked session). It cannot be undone: the closed
    /// round's decisions stay as they are. Returns the `round` event, whose
    /// `round` is the round opened.
    pub fn close_round(&mut self, council: &Council, member: &str) -> Result<Event, DecideError> {
        self.close_round_until(council, member, None)
    }

    /// [`Session::close_round`], the explanations due by `deadline` (an ISO
    /// date, kept in the event: the notices say it whenever they are written).
    pub fn close_round_until(
        &mut self,
        council: &Council,
        member: &str,
        deadline: Option<&str>,
    ) -> Result<Event, DecideError> {
        crate::appraisal::may_close_round(council, member)?;
        self.may_act(council, member, Act::Round)?;
        self.one_event(council, member, |tx, state| {
            let closed = state.round();
            insert(
                tx,
                member,
                Kind::Round,
                None,
                None,
                None,
                deadline.map(str::to_string),
                &closed.to_string(),
                None,
            )
            .map_err(store)
        })
    }

    /// Asks the unit to explain a leaf in the current round (under the same
    /// rules as a decision on it: an assigned field, no conflict, not locked).
    pub fn ask(
        &mut self,
        council: &Council,
        member: &str,
        unit_id: &str,
        code: &str,
        text: &str,
    ) -> Result<Event, DecideError> {
        self.may_act(council, member, Act::Ask)?;
        self.one_event(council, member, |tx, state| {
            // A locked session is refused before `make` runs.
            let open = (false, state.appraisal.meeting);
            ask_in(tx, council, open, member, unit_id, code, text)
        })
    }

    /// One event under the write lock, refused for an unknown member and on a
    /// locked session: `make` checks the state read inside the transaction
    /// and inserts; committed, it is the head the next write checks for.
    pub(super) fn one_event(
        &mut self,
        council: &Council,
        member: &str,
        make: impl FnOnce(&dyn Log, &State) -> Result<Event, DecideError>,
    ) -> Result<Event, DecideError> {
        if council.member(member).is_none() {
            return Err(Refusal::UnknownMember(member.into()).into());
        }
        let (tx, state) = self.begin(council)?;
        if state.locked() {
            return Err(Refusal::Locked.into());
        }
        let event = make(tx.log(), state)?;
        tx.commit().map_err(store)?;
        self.wrote(Some(&event));
        Ok(event)
    }

    /// Appends an event that is not a decision on a leaf (sign-off, reopen, inputs).
    pub fn record(&mut self, member: &str, kind: impl Into<Kind>, comment: &str) -> Result<Event> {
        let tx = self.write_tx()?;
        let e = insert(
            tx.log(),
            member,
            kind.into(),
            None,
            None,
            None,
            None,
            comment,
            None,
        )?;
        tx.commit()?;
        self.wrote(Some(&e));
        Ok(e)
    }
}

/// Checks and appends an explanation request inside a write.
pub(super) fn ask_in(
    log: &dyn Log,
    council: &Council,
    (locked, meeting): (bool, bool),
    member: &str,
    unit_id: &str,
    code: &str,
    text: &str,
) -> Result<Event, DecideError> {
    if locked {
        return Err(Refusal::Locked.into());
    }
    let (unit, leaf) = leaf_at(council, unit_id, code)?;
    crate::appraisal::may_decide(council, member, unit, leaf, meeting)?;
    let text = crate::text::para(text);
    if text.trim().is_empty() {
        return Err(Refusal::RequestNeeded(code.into()).into());
    }
    bounded(&text)?;
    insert(
        log,
        member,
        Kind::Ask,
        Some(unit_id),
        Some(code),
        None,
        None,
        &text,
        None,
    )
    .map_err(store)
}

/// What a batch recorded: the decisions' events, the requests', and how many
/// rows were already so and not recorded again.
#[derive(Debug)]
pub struct Batch {
    pub decided: Vec<Event>,
    pub asked: Vec<Event>,
    pub already: usize,
}

/// Whether the same request is already open on its leaf: asked this round with the same text.
fn asked_already(council: &Council, state: &State, r: &Requested) -> bool {
    leaf_at(council, &r.unit, &r.code).is_ok_and(|at| {
        state.asks.get(&at).is_some_and(|asks| {
            asks.iter()
                .any(|a| a.round == state.round() && a.text == crate::text::para(&r.text))
        })
    })
}

/// An explanation asked of a unit, in a batch (`Session::decide_batch`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requested {
    pub unit: String,
    pub code: String,
    pub text: String,
}

/// One decision asked of `Session::decide_all`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ask {
    pub unit: String,
    pub code: String,
    pub change: Change,
    pub comment: String,
    /// The leaf's last event (`decide`, `undo`, `redo`; 0: none) when the
    /// decision was begun: refused as stale when another came since. `None`:
    /// not checked (the command line decides on what is there).
    pub seen: Option<i64>,
}

/// Resolves and checks one asked decision against the appraisal so far.
pub(super) fn check_ask(
    council: &Council,
    appraisal: &Appraisal,
    member: &str,
    ask: &Ask,
) -> Result<(usize, usize, Decided, String), Refusal> {
    let (unit, leaf) = leaf_at(council, &ask.unit, &ask.code)?;
    let comment = crate::text::para(&ask.comment);
    bounded(&comment)?;
    let decided = check_change(
        council,
        appraisal,
        member,
        unit,
        leaf,
        &ask.change,
        &comment,
    )?;
    Ok((unit, leaf, decided, comment))
}

/// Appends one event, linked to the last one in the chain. Its texts are
/// stored cleaned, as they are read back, so that the hash written is the one
/// any reader (and a signed `log.csv`) recomputes.
#[allow(clippy::too_many_arguments)]
pub(super) fn insert(
    log: &dyn Log,
    member: &str,
    kind: Kind,
    unit: Option<&str>,
    code: Option<&str>,
    before: Option<String>,
    after: Option<String>,
    comment: &str,
    target: Option<i64>,
) -> Result<Event> {
    let line = |v: Option<String>| v.map(|v| crate::text::line(&v));
    let now = log.round()?;
    let mut e = Event {
        id: 0,
        at: utc_now(),
        member: crate::text::line(member),
        kind: kind.as_str().into(),
        unit: line(unit.map(Into::into)),
        code: line(code.map(Into::into)),
        before: line(before),
        after: line(after),
        comment: crate::text::para(comment),
        target,
        round: if kind == Kind::Round { now + 1 } else { now },
        hash: String::new(),
        recorder: None,
        sig: None,
    };
    log.append(&mut e, &|_| Ok(()))?;
    Ok(e)
}

pub(super) fn event_by_id(log: &dyn Log, id: i64) -> Result<Event> {
    Ok(cleaned(log.event(id)?))
}

/// The last event that set this leaf (a decision, undo or redo).
pub(super) fn current_of(log: &dyn Log, unit: &str, code: &str) -> Result<Option<Event>> {
    Ok(log.current_of(unit, code)?.map(cleaned))
}
