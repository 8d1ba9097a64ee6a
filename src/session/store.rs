//! What a session asks of the place its log is kept, and SQLite's answers.
//!
//! A [`Log`] reads and appends events and keeps the inputs last seen; a
//! [`Write`] lends one under the council's lock, kept only when
//! committed. The rules, the chain and the state are the session's; a store
//! only keeps rows. SQLite answers here (on a connection, and on an
//! `IMMEDIATE` transaction); PostgreSQL in [`super::postgres`].

use std::collections::HashMap;

use anyhow::Result;

use super::{Event, chain};

/// The rows of a council's session, as one store keeps them.
pub(crate) trait Log {
    /// At most `limit` events after `after`, exactly as stored, oldest first.
    fn raw(&self, after: i64, limit: i64) -> Result<Vec<Event>>;
    /// The last event before `id`, as a head of the chain.
    fn head_before(&self, id: i64) -> Result<Option<chain::Head>>;
    /// One event as stored.
    fn event(&self, id: i64) -> Result<Event>;
    /// The last event that set this leaf (a decision, undo or redo), as stored.
    fn current_of(&self, unit: &str, code: &str) -> Result<Option<Event>>;
    /// Every event that set this leaf (decisions, undos, redos), as stored, oldest first.
    fn leaf(&self, unit: &str, code: &str) -> Result<Vec<Event>>;
    /// The comment in force on the target's leaf just before the target event.
    fn comment_before(&self, target: &Event) -> Result<String>;
    /// The round the last event was recorded in (1 for an empty log).
    fn round(&self) -> Result<i64>;
    /// Appends an event whose texts and round are set: the store gives its
    /// id and its link in the chain (from the event before it), then `seal`
    /// signs it before it is kept.
    fn append(&self, e: &mut Event, seal: &dyn Fn(&mut Event) -> Result<()>) -> Result<()>;
    /// Keeps an event exactly as given, id and link included (a copy of another log).
    fn put(&self, e: &Event) -> Result<()>;
    /// The inputs the session last saw, unit by unit (unit id → its leaves' self points).
    fn inputs(&self) -> Result<HashMap<String, String>>;
    /// The fingerprint of the inputs the session last saw.
    fn inputs_seen(&self) -> Result<Option<String>> {
        self.meta("inputs")
    }
    /// A value the session keeps beside its log (`meta`).
    fn meta(&self, key: &str) -> Result<Option<String>>;
    /// Keeps a value beside the log.
    fn set_meta(&self, key: &str, value: &str) -> Result<()>;
    /// Keeps the inputs now seen, and their fingerprint.
    fn see_inputs(&self, now: &[(String, String)], fingerprint: &str) -> Result<()>;
    /// Binds the members' login roles where the store has them (a server).
    fn bind_roles(&self, _council: &crate::model::Council) -> Result<()> {
        Ok(())
    }
    /// The head kept apart from the event rows (the last event the program
    /// appended), when one is kept.
    fn kept_head(&self) -> Result<Option<chain::Head>> {
        Ok(self.meta(HEAD)?.as_deref().and_then(chain::head_of))
    }
    /// The first id from which ids follow each other (see [`chain::ids_follow`]).
    fn ids_from(&self) -> Result<i64> {
        Ok(self
            .meta(IDS_FROM)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(i64::MAX))
    }
    /// The first event recorded under the rules of who acts.
    fn signed_from(&self) -> Result<i64> {
        Ok(self
            .meta(SIGNED_FROM)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(1))
    }
    /// The head an append follows: the one kept apart (checked against the
    /// log when the write began), else the last event of a log that keeps
    /// none yet, whose next event starts keeping it.
    fn previous(&self) -> Result<Previous> {
        if let Some(h) = self.kept_head()? {
            return Ok(Previous::Kept(h));
        }
        Ok(Previous::Unkept(self.head_before(i64::MAX)?))
    }
    /// Keeps `e` as the head, in the transaction that appends it (and, where
    /// no head was kept before, its id as where ids follow each other from).
    fn keep_head(&self, e: &Event, previous: &Previous) -> Result<()> {
        if matches!(previous, Previous::Unkept(_)) {
            self.set_meta(IDS_FROM, &e.id.to_string())?;
        }
        let head = chain::Head {
            id: e.id,
            hash: e.hash.clone(),
        };
        self.set_meta(HEAD, &chain::head_text(&head))
    }
}

/// The event an append follows.
pub(crate) enum Previous {
    /// The head kept apart.
    Kept(chain::Head),
    /// The last event (if any) of a log that keeps no head yet.
    Unkept(Option<chain::Head>),
}

impl Previous {
    /// The previous event's hash (empty before the first) and the next id.
    pub(crate) fn follow(&self) -> (String, i64) {
        match self {
            Previous::Kept(h) | Previous::Unkept(Some(h)) => (h.hash.clone(), h.id + 1),
            Previous::Unkept(None) => (String::new(), 1),
        }
    }
}

/// The meta keys of the head kept apart, of the first id from which ids
/// follow each other, and of the first event recorded under the rules of who
/// acts (the events before it were recorded before events were signed).
const HEAD: &str = "head";
pub(super) const IDS_FROM: &str = "ids_from";
pub(super) const SIGNED_FROM: &str = "signed_from";

/// A write in progress, holding the council's lock: rolled back unless committed.
pub(crate) trait Write {
    /// The log as this write sees it (its own rows included).
    fn log(&self) -> &dyn Log;
    /// Makes the write durable; a decision is acknowledged only after this.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// Events after `after_id`, cleaned as they are read back.
pub(crate) fn events_after(log: &dyn Log, after_id: i64) -> Result<Vec<Event>> {
    Ok(log
        .raw(after_id, i64::MAX)?
        .into_iter()
        .map(cleaned)
        .collect())
}

/// An event as stored, its texts cleaned again on the way out, since a
/// session can be edited by other tools (which the chain then shows).
pub(crate) fn cleaned(e: Event) -> Event {
    let line = |s: String| crate::text::clean_owned(s, crate::text::Lines::One);
    let opt = |v: Option<String>| v.map(line);
    Event {
        id: e.id,
        at: line(e.at),
        member: line(e.member),
        kind: line(e.kind),
        unit: opt(e.unit),
        code: opt(e.code),
        before: opt(e.before),
        after: opt(e.after),
        comment: crate::text::clean_owned(e.comment, crate::text::Lines::Many),
        target: e.target,
        round: e.round,
        hash: line(e.hash),
        recorder: opt(e.recorder),
        sig: opt(e.sig),
    }
}
