//! The session in a SQLite file: opening it (refusing what is not a session, newer or
//! damaged), its schema, creation made whole and upgrade, and its answers to the store's interface.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use super::error::{FileSystemRefused, refused_by_file_system, sqlite_codes, store_error};
use super::postgres;
use super::store::{Log, Previous, Write, cleaned};
use super::{APP, Event, SCHEMA_VERSION, Session, Store, chain, fsck, lone_wal, utc_now};
use crate::i18n::fill;

impl Session {
    /// Opens the session at `path`, creating it if `create` and it does not exist.
    /// Refuses (never overwrites) a file that is not a thamdinh session, is newer
    /// than this program, or is damaged.
    pub fn open(path: &Path, create: bool) -> Result<Session> {
        if let Some(url) = postgres::url(path) {
            return Session::on_server(url, create, true);
        }
        let exists = path.exists();
        if !exists {
            refuse_missing(path, create)?;
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !exists {
                std::fs::create_dir_all(dir).with_context(|| {
                    crate::i18n::say(|w| fill(w.er_creating_session_folder, &[&dir.display()]))
                })?;
            }
            if let Some(fs) = fsck::network_fs(dir) {
                bail!(
                    "{}",
                    crate::i18n::say(|w| fill(
                        w.er_network_file_system_sqlite,
                        &[&dir.display(), &fs]
                    ))
                );
            }
        }
        if !exists && !Self::create_whole(path)? {
            bail!(
                "{}",
                crate::i18n::say(|w| fill(w.er_creating_session, &[&path.display()]))
            );
        }
        refuse_empty(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).with_context(|| {
            crate::i18n::say(|w| fill(w.er_opening_session, &[&path.display()]))
        })?;
        conn.busy_timeout(Duration::from_secs(10))
            .context(crate::i18n::say(|w| w.er_setting_busy_timeout.to_string()))?;
        let refused = match first_read(&conn) {
            Err(e) => Some(e).filter(refused_by_file_system),
            Ok(_) if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) => {
                Some(anyhow::anyhow!("read-only"))
            }
            Ok(_) => None,
        };
        if let Some(e) = refused {
            return Err(FileSystemRefused(crate::i18n::say(|w| {
                fill(w.er_session_fs_refused, &[&path.display(), &e])
            }))
            .into());
        }
        let mut conn = conn;
        let version = check_existing(&conn, path)?;
        // Foreign keys are off while the tables are rebuilt (SQLite's own
        // procedure for changing a table's schema), on for everything else.
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;",
        )
        .with_context(|| crate::i18n::say(|w| fill(w.er_setting_up, &[&path.display()])))?;
        upgrade(&mut conn, path, version)?;
        conn.execute_batch("PRAGMA foreign_keys=ON;")
            .with_context(|| crate::i18n::say(|w| fill(w.er_setting_up, &[&path.display()])))?;
        let mut s = Session::on(Store::Sqlite(conn), path, FileId::of(path));
        s.writing = true;
        s.check_chain()?;
        s.data_version = s.data_version()?;
        Ok(s)
    }

    /// Opens an existing session for reading only: nothing is written, not even
    /// SQLite's shared-memory index when the file system refuses it (a read-only
    /// mount, a full disk): the file is then read as immutable, unless a `-wal`
    /// beside it still holds decisions, which is refused with both names.
    pub fn open_reading(path: &Path) -> Result<Session> {
        if let Some(url) = postgres::url(path) {
            return Session::on_server(url, false, false);
        }
        if !path.exists() {
            refuse_missing(path, false)?;
        }
        refuse_empty(path)?;
        let attempt = |uri: Option<String>| -> Result<Session> {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = match uri {
                Some(uri) => Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI),
                None => Connection::open_with_flags(path, flags),
            }
            .with_context(|| {
                crate::i18n::say(|w| fill(w.er_opening_session, &[&path.display()]))
            })?;
            conn.busy_timeout(Duration::from_secs(10))
                .context(crate::i18n::say(|w| w.er_setting_busy_timeout.to_string()))?;
            first_read(&conn).with_context(|| {
                crate::i18n::say(|w| fill(w.er_opening_session, &[&path.display()]))
            })?;
            let version = check_existing(&conn, path)?;
            quick_check(&conn, path)?;
            let mut s = Session::on(Store::Sqlite(conn), path, FileId::of(path));
            s.version = version;
            s.check_chain()?;
            s.data_version = s.data_version()?;
            Ok(s)
        };
        match attempt(None) {
            Ok(s) => Ok(s),
            Err(e) if refused_by_file_system(&e) => {
                let mut wal = path.as_os_str().to_owned();
                wal.push("-wal");
                let wal = PathBuf::from(wal);
                if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                    bail!(
                        "{}",
                        crate::i18n::say(|w| fill(
                            w.er_session_unreadable_wal,
                            &[&path.display(), &wal.display()]
                        ))
                    );
                }
                attempt(Some(immutable_uri(path)))
            }
            Err(e) => Err(e),
        }
    }

    /// Creates a new session whole or not at all: its schema is written to a
    /// file of its own beside `path`, which is then linked into place only if
    /// nothing is there yet. A kill at any moment leaves either no session or a
    /// complete empty one (never an empty file that every later command
    /// refuses); two first decisions at once both end up in the same session.
    /// Returns whether a session now stands at `path`.
    pub(super) fn create_whole(path: &Path) -> Result<bool> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "session.db".into());
        let tmp = path.with_file_name(format!(".{name}.new-{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let made = (|| -> Result<()> {
            let conn = Connection::open_with_flags(
                &tmp,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .with_context(|| {
                crate::i18n::say(|w| fill(w.er_creating_session, &[&path.display()]))
            })?;
            let mut conn = conn;
            create(&mut conn, path)?;
            conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
                .with_context(|| crate::i18n::say(|w| fill(w.er_setting_up, &[&path.display()])))?;
            drop(conn);
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .with_context(|| crate::i18n::say(|w| fill(w.er_syncing, &[&tmp.display()])))?;
            // A hard link never replaces what another process put there first.
            match std::fs::hard_link(&tmp, path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                // A file system without hard links: a rename, unless one appeared meanwhile.
                Err(_) if !path.exists() => std::fs::rename(&tmp, path).with_context(|| {
                    crate::i18n::say(|w| fill(w.er_creating_session, &[&path.display()]))
                }),
                Err(_) => Ok(()),
            }
        })();
        let _ = std::fs::remove_file(&tmp);
        made?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::sync_dir(dir)?;
        }
        Ok(path.exists())
    }
}

/// Which file a path names (device and inode on Unix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileId(u64, u64);

impl FileId {
    pub fn of(path: &Path) -> Option<FileId> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId(meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            Some(FileId(0, 0))
        }
    }
}

/// Refuses a session path with nothing there: a `-wal` left alone is named,
/// else, unless the session may be created, there is no session.
pub(super) fn refuse_missing(path: &Path, create: bool) -> Result<()> {
    if let Some(wal) = lone_wal(path) {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.cli_lone_wal, &[&wal.display(), &path.display()]))
        );
    }
    if !create {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.er_no_session_at, &[&path.display()]))
        );
    }
    Ok(())
}

/// Refuses an empty file as a session (never taken for a new one).
pub(super) fn refuse_empty(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&path.display()])))?;
    if meta.len() == 0 {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.er_empty_file_thamdinh_session, &[&path.display()]))
        );
    }
    Ok(())
}

/// The first read, which opens the file: a refusal by the file system keeps
/// SQLite's code in the error (see [`refused_by_file_system`]).
pub(super) fn first_read(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))
        .map(|_| ())
        .map_err(anyhow::Error::new)
}

/// Refuses to write through a connection whose file is no longer the one at its path.
pub(super) fn ensure_here(path: &Path, file: Option<FileId>) -> Result<()> {
    if file.is_some() && FileId::of(path) != file {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.er_session_moved, &[&path.display()]))
        );
    }
    Ok(())
}

/// Whether an error is SQLite's "another connection holds the write lock".
pub fn is_busy(e: &anyhow::Error) -> bool {
    use rusqlite::ErrorCode::*;
    sqlite_codes(e).any(|c| matches!(c, DatabaseBusy | DatabaseLocked)) || postgres::is_busy(e)
}

/// Checks that a SQLite file is a thamdinh session this program can read: its schema version.
pub(super) fn check_existing(conn: &Connection, path: &Path) -> Result<i64> {
    let p = path.display().to_string();
    let damaged = |e: rusqlite::Error| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_readable_sqlite_database_was, &[&p, &e]))
        )
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(damaged)?;
    let has_meta: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(damaged)?
        > 0;
    let app: Option<String> = if has_meta {
        conn.query_row("SELECT value FROM meta WHERE key='app'", [], |r| r.get(0))
            .optional()
            .map_err(damaged)?
    } else {
        None
    };
    if app.as_deref() != Some(APP) {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.er_sqlite_database_another_program, &[&p]))
        );
    }
    if version > SCHEMA_VERSION {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.er_was_written_by_newer, &[&p, &version, &SCHEMA_VERSION]))
        );
    }
    Ok(version)
}

/// SQLite's own check of every page of the file (it reads the whole file):
/// asked where the whole log is read or signed, not at every open.
pub(super) fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let p = path.display().to_string();
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| {
            anyhow::anyhow!(
                "{}",
                crate::i18n::say(|w| fill(w.er_readable_sqlite_database_was, &[&p, &e]))
            )
        })?;
    if check != "ok" {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.er_damaged_was_left_untouched, &[&p, &check]))
        );
    }
    Ok(())
}

pub(super) fn create(conn: &mut Connection, path: &Path) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(&format!(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         {}
         {EVENT_INDEXES}
         CREATE TABLE input (unit TEXT PRIMARY KEY, leaves TEXT NOT NULL);",
        event_table("event")
    ))?;
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('app', ?1), ('created', ?2), (?3, '1')",
        params![APP, utc_now(), super::store::SIGNED_FROM],
    )?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()
        .with_context(|| crate::i18n::say(|w| fill(w.er_creating_session, &[&path.display()])))
}

/// Upgrades a session written by an older schema, in place and once, in
/// one transaction: every event is kept, with its id.
/// 1 → 2: the event table gains each event's hash (sealed in id order) and
/// no longer restricts its kinds to those of schema 1.
/// 2 → 3: each event gains its recorder and signature; the events from the
/// next on are checked under the rules of who acts.
pub(super) fn upgrade(conn: &mut Connection, path: &Path, version: i64) -> Result<()> {
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    let path = path.display().to_string();
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(store_error)?;
    // Another program may have upgraded it meanwhile.
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version < 2 {
        let seq: Option<i64> = tx
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'event'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute_batch(&format!(
            "{}
             INSERT INTO event_v2 (id, at, member, kind, unit, code, before, after, comment, target, round, hash)
                 SELECT id, at, member, kind, unit, code, before, after, comment, target, 1, '' FROM event;
             DROP TABLE event;
             ALTER TABLE event_v2 RENAME TO event;
             {EVENT_INDEXES}",
            event_table("event_v2")
        ))?;
        if let Some(seq) = seq {
            tx.execute(
                "UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'event'",
                [seq],
            )?;
        }
        let mut events = Log::raw(&*tx, 0, i64::MAX)?;
        chain::seal(None, &mut events);
        {
            let mut set = tx.prepare("UPDATE event SET hash = ?1 WHERE id = ?2")?;
            for e in &events {
                set.execute(params![e.hash, e.id])?;
            }
        }
        tracing::info!(
            "{path}: upgraded from schema {version}, {} events chained",
            events.len()
        );
    }
    if version == 2 {
        // (A log of schema 1 was rebuilt above with these columns.)
        tx.execute_batch(
            "ALTER TABLE event ADD COLUMN recorder TEXT;
             ALTER TABLE event ADD COLUMN sig TEXT;",
        )?;
    }
    if version < 3 {
        tx.execute(
            "INSERT OR IGNORE INTO meta(key, value) SELECT ?1, coalesce(max(id), 0) + 1 FROM event",
            [super::store::SIGNED_FROM],
        )?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit().with_context(|| {
        crate::i18n::say(|w| fill(w.er_upgrading_session, &[&path, &version, &SCHEMA_VERSION]))
    })?;
    Ok(())
}

/// A `file:` URI that opens `path` as immutable (no locks, no shared memory).
pub(super) fn immutable_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &b in abs.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// The event table of schema 2, under a name (the upgrade builds it beside the old one).
pub(super) fn event_table(name: &str) -> String {
    format!(
        "CREATE TABLE {name} (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             at TEXT NOT NULL,
             member TEXT NOT NULL,
             kind TEXT NOT NULL,
             unit TEXT,
             code TEXT,
             before TEXT,
             after TEXT,
             comment TEXT NOT NULL DEFAULT '',
             target INTEGER REFERENCES event(id),
             round INTEGER NOT NULL DEFAULT 1,
             hash TEXT NOT NULL,
             recorder TEXT,
             sig TEXT
         );"
    )
}

pub(super) const EVENT_INDEXES: &str = "CREATE INDEX event_leaf ON event(unit, code);
     CREATE INDEX event_kind ON event(kind);
     CREATE INDEX event_round ON event(round);";

/// An event exactly as SQLite keeps it.
pub(super) fn raw_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
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
        recorder: empty(r.get(12)?),
        sig: empty(r.get(13)?),
    })
}

/// Events after `after_id` read with `select` (which names the columns of
/// [`SELECT_EVENT`]), cleaned: how a log of schema 1 is read.
pub(crate) fn read_as(conn: &Connection, select: &str, after_id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(&format!("{select} WHERE id > ?1 ORDER BY id"))?;
    let rows = stmt.query_map([after_id], raw_row)?;
    Ok(rows
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(cleaned)
        .collect())
}

/// The log's statements kept prepared on their connection: each is parsed
/// once per connection, not once per event written or read.
trait Cached {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn one<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn one<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

impl Log for Connection {
    fn raw(&self, after: i64, limit: i64) -> Result<Vec<Event>> {
        let mut stmt = self.prepare_cached(&format!(
            "{} WHERE id > ?1 ORDER BY id LIMIT ?2",
            select_event(self)
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
        Ok(self.one(
            &format!("{} WHERE id = ?1", select_event(self)),
            [id],
            raw_row,
        )?)
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
        let mut stmt = self.prepare_cached(&format!(
            "{} WHERE unit = ?1 AND code = ?2 AND kind IN ('decide','undo','redo') ORDER BY id",
            select_event(self)
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
            self.one("SELECT coalesce(max(round), 1) FROM event", [], |r| {
                r.get(0)
            })?,
        )
    }

    fn append(&self, e: &mut Event, seal: &dyn Fn(&mut Event) -> Result<()>) -> Result<()> {
        // Ids follow each other: the next after the last, never a number
        // SQLite's sequence skipped to.
        let previous = self.previous()?;
        let (hash, id) = previous.follow();
        e.id = id;
        e.hash = chain::link(&hash, &chain::record(e));
        seal(e)?;
        self.run(
            "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, target, round, hash, recorder, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![e.id, e.at, e.member, e.kind, e.unit, e.code, e.before, e.after, e.comment, e.target, e.round, e.hash, e.recorder, e.sig],
        )?;
        self.keep_head(e, &previous)
    }

    fn put(&self, e: &Event) -> Result<()> {
        self.run(
            "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, target, round, hash, recorder, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![e.id, e.at, e.member, e.kind, e.unit, e.code, e.before, e.after, e.comment, e.target, e.round, e.hash, e.recorder, e.sig],
        )?;
        self.keep_head(e, &Previous::Kept(chain::Head::default()))
    }

    fn inputs(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self.prepare_cached("SELECT unit, leaves FROM input")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.run(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
            [key, value],
        )?;
        Ok(())
    }

    fn see_inputs(&self, now: &[(String, String)], fingerprint: &str) -> Result<()> {
        self.run("DELETE FROM input", [])?;
        let mut ins = self.prepare_cached("INSERT INTO input(unit, leaves) VALUES (?1, ?2)")?;
        for (u, leaves) in now {
            ins.execute(params![u, leaves])?;
        }
        self.run(
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

pub(crate) const SELECT_EVENT: &str = "SELECT id, at, member, kind, unit, code, before, after, comment, target, hash, round, recorder, sig FROM event";

/// How events are read on this connection: a file of schema 2 opened for
/// reading (never upgraded then) has no recorder or signature.
fn select_event(conn: &Connection) -> &'static str {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap_or(SCHEMA_VERSION);
    if version >= 3 {
        SELECT_EVENT
    } else {
        SELECT_EVENT_V2
    }
}

/// A log written before events were signed (schema 2), read where it cannot be upgraded.
pub(crate) const SELECT_EVENT_V2: &str = "SELECT id, at, member, kind, unit, code, before, after, comment, target, hash, round, NULL, NULL FROM event";

/// A log written before the chain (schema 1), read where it cannot be upgraded.
pub(crate) const SELECT_EVENT_V1: &str = "SELECT id, at, member, kind, unit, code, before, after, comment, target, '', 1, NULL, NULL FROM event";
