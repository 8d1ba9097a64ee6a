//! What a session asks of the place its log is kept, and SQLite's answers.
//!
//! A [`Log`] reads and appends events and keeps the inputs last seen; a
//! [`Write`] lends one under the council's lock, kept only when
//! committed. The rules, the chain and the state are the session's; a store
//! only keeps rows. SQLite answers here (on a connection, and on an
//! `IMMEDIATE` transaction); PostgreSQL in [`super::postgres`].

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

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
    /// id and its link in the chain (from the event before it).
    fn append(&self, e: &mut Event) -> Result<()>;
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
}

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
    }
}

pub(crate) const SELECT_EVENT: &str = "SELECT id, at, member, kind, unit, code, before, after, comment, target, hash, round FROM event";

/// A log written before the chain (schema 1), read where it cannot be upgraded.
pub(crate) const SELECT_EVENT_V1: &str =
    "SELECT id, at, member, kind, unit, code, before, after, comment, target, '', 1 FROM event";

/// An event exactly as SQLite keeps it.
fn raw_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    let empty = |v: Option<String>| v.filter(|v| !v.is_empty());
    Ok(Event {
        id: r.get(0)?,
        at: r.get(1)?,
        member: r.get(2)?,
        kind: r.get(3)?,
        unit: empty(r.get(4)?),
        code: empty(r.get(5)?),
        before: empty(r.get(6)?),
        after: empty(r.get(7)?),
        comment: r.get(8)?,
        target: r.get(9)?,
        round: r.get(11)?,
        hash: r.get(10)?,
    })
}

/// Events after `after_id` read with `select` (which names the columns of
/// [`SELECT_EVENT`]), cleaned: how a log of schema 1 is read.
pub(crate) fn read_as(conn: &Connection, select: &str, after_id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(&format!("{select} WHERE id > ?1 ORDER BY id"))?;
    let rows = stmt.query_map([after_id], raw_row)?;
    Ok(rows
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(cleaned)
        .collect())
}

impl Log for Connection {
    fn raw(&self, after: i64, limit: i64) -> Result<Vec<Event>> {
        let mut stmt = self.prepare(&format!(
            "{SELECT_EVENT} WHERE id > ?1 ORDER BY id LIMIT ?2"
        ))?;
        let rows = stmt.query_map([after, limit], raw_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn head_before(&self, id: i64) -> Result<Option<chain::Head>> {
        Ok(self
            .query_row(
                "SELECT id, hash FROM event WHERE id < ?1 ORDER BY id DESC LIMIT 1",
                [id],
                |r| {
                    Ok(chain::Head {
                        id: r.get(0)?,
                        hash: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    fn event(&self, id: i64) -> Result<Event> {
        Ok(self.query_row(&format!("{SELECT_EVENT} WHERE id = ?1"), [id], raw_row)?)
    }

    fn current_of(&self, unit: &str, code: &str) -> Result<Option<Event>> {
        let id: Option<i64> = self
            .query_row(
                "SELECT max(id) FROM event WHERE unit = ?1 AND code = ?2 AND kind IN ('decide','undo','redo')",
                params![unit, code],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        id.map(|id| self.event(id)).transpose()
    }

    fn leaf(&self, unit: &str, code: &str) -> Result<Vec<Event>> {
        let mut stmt = self.prepare(&format!(
            "{SELECT_EVENT} WHERE unit = ?1 AND code = ?2 AND kind IN ('decide','undo','redo') ORDER BY id"
        ))?;
        let rows = stmt.query_map([unit, code], raw_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn comment_before(&self, target: &Event) -> Result<String> {
        Ok(self
            .query_row(
                "SELECT comment FROM event WHERE unit = ?1 AND code = ?2 AND kind IN ('decide','undo','redo') AND id < ?3 ORDER BY id DESC LIMIT 1",
                params![target.unit, target.code, target.id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_default())
    }

    fn round(&self) -> Result<i64> {
        Ok(
            self.query_row("SELECT coalesce(max(round), 1) FROM event", [], |r| {
                r.get(0)
            })?,
        )
    }

    fn append(&self, e: &mut Event) -> Result<()> {
        self.execute(
            "INSERT INTO event(at, member, kind, unit, code, before, after, comment, target, round, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '')",
            params![e.at, e.member, e.kind, e.unit, e.code, e.before, e.after, e.comment, e.target, e.round],
        )?;
        e.id = self.last_insert_rowid();
        let previous = self.head_before(e.id)?.map(|h| h.hash).unwrap_or_default();
        e.hash = chain::link(&previous, &chain::record(e));
        self.execute(
            "UPDATE event SET hash = ?1 WHERE id = ?2",
            params![e.hash, e.id],
        )?;
        Ok(())
    }

    fn put(&self, e: &Event) -> Result<()> {
        self.execute(
            "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, target, round, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![e.id, e.at, e.member, e.kind, e.unit, e.code, e.before, e.after, e.comment, e.target, e.round, e.hash],
        )?;
        Ok(())
    }

    fn inputs(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self.prepare("SELECT unit, leaves FROM input")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
            [key, value],
        )?;
        Ok(())
    }

    fn see_inputs(&self, now: &[(String, String)], fingerprint: &str) -> Result<()> {
        self.execute("DELETE FROM input", [])?;
        let mut ins = self.prepare("INSERT INTO input(unit, leaves) VALUES (?1, ?2)")?;
        for (u, leaves) in now {
            ins.execute(params![u, leaves])?;
        }
        self.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('inputs', ?1)",
            [fingerprint],
        )?;
        Ok(())
    }
}

/// An `IMMEDIATE` transaction: SQLite's write lock, held to the commit.
pub(crate) struct SqliteWrite<'c>(pub rusqlite::Transaction<'c>);

impl Write for SqliteWrite<'_> {
    fn log(&self) -> &dyn Log {
        &*self.0
    }

    fn commit(self: Box<Self>) -> Result<()> {
        Ok(self.0.commit()?)
    }
}
