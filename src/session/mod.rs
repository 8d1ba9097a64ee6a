//! The council's session in SQLite: an append-only event log, the state it adds up to, undo/redo, reconciliation.
//!
//! Every change is one `IMMEDIATE` transaction that appends one event; the
//! current state is what the events add up to ([`Session::replay`]). WAL mode
//! with `synchronous=FULL` makes an acknowledged decision survive a crash, and
//! lets several processes work on one session at once.

pub mod chain;
mod event;
pub mod copy;
mod fsck;
pub mod meeting;
pub mod postgres;
mod snapshot;
mod store;
pub mod time;

use crate::i18n::fill;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use store::{Log, SqliteWrite, Write, cleaned, events_after};

use crate::appraisal::{Appraisal, Change, Decided, Decision, Refusal, check_change};
use crate::model::Council;

pub use event::{Event, Kind};
pub use time::utc_now;

/// The schema this program writes; older ones are upgraded in place, newer ones refused.
/// 1: the event log; 2: each event carries its hash in the log's chain.
pub const SCHEMA_VERSION: i64 = 2;
const APP: &str = "thamdinh-session";

/// Whether a session is there to read: a file that exists (or a `-wal` left
/// alone, which opening names), or a server, which opening asks.
pub fn exists(place: &Path) -> bool {
    postgres::url(place).is_some() || place.exists()
}

/// Where a council's session is when no `--session` names it: the
/// `THAMDINH_SESSION` variable's file or URL, else the default file.
pub fn place_of(council_folder: &Path) -> PathBuf {
    match std::env::var_os("THAMDINH_SESSION").filter(|v| !v.is_empty()) {
        Some(v) => PathBuf::from(v),
        None => default_path(council_folder),
    }
}

/// The default place of a council's session.
pub fn default_path(council_folder: &Path) -> PathBuf {
    council_folder.join(".thamdinh").join("session.db")
}

/// The `-wal` of a session whose main file is gone, if one is there.
pub fn lone_wal(path: &Path) -> Option<PathBuf> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    (!path.exists() && wal.exists()).then_some(wal)
}

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
    undo: HashMap<String, Vec<i64>>,
    redo: HashMap<String, Vec<i64>>,
    last_event: i64,
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
}

/// Per leaf (unit index, leaf index): its value as each round that changed it
/// left it (`None`: back to the self-assessment).
pub type ByRound = HashMap<(usize, usize), BTreeMap<i64, Option<Decision>>>;

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
            .and_then(|m| m.range(..=round).next_back())
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

/// An open session database.
pub struct Session {
    store: Store,
    path: PathBuf,
    data_version: i64,
    /// The file opened, to notice it moved or replaced under this connection.
    file: Option<FileId>,
    /// The schema of the file (older ones only when opened for reading).
    version: i64,
    /// The last event whose place in the chain was checked.
    head: Option<chain::Head>,
    /// Where the chain was found broken: nothing is written to it any more.
    broken: Option<chain::Break>,
    /// The state the log added up to at this connection's last write, for the
    /// council of that stamp: a write applies only the events after it.
    kept: Option<(u64, State)>,
    /// Opened for writing (a snapshot of the state may be kept).
    writing: bool,
}

/// Where a session's rows are kept.
enum Store {
    Sqlite(Connection),
    Postgres(Box<postgres::Pg>),
}

impl Store {
    fn log(&self) -> &dyn Log {
        match self {
            Store::Sqlite(c) => c,
            Store::Postgres(p) => &**p,
        }
    }

    /// A write holding the council's lock (SQLite's `BEGIN IMMEDIATE`).
    fn write(&mut self) -> Result<Box<dyn Write + '_>> {
        match self {
            Store::Sqlite(c) => Ok(Box::new(SqliteWrite(
                c.transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(store_error)?,
            ))),
            Store::Postgres(p) => Ok(Box::new(postgres::PgWrite::begin(p)?)),
        }
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

/// Where an open session's file stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whereabouts {
    /// Still the file at its path.
    Here,
    /// Nothing at its path any more (moved away or deleted).
    Gone,
    /// Another file stands at its path.
    Replaced,
}

/// Refuses a session path with nothing there: a `-wal` left alone is named,
/// else, unless the session may be created, there is no session.
fn refuse_missing(path: &Path, create: bool) -> Result<()> {
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
fn refuse_empty(path: &Path) -> Result<()> {
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
fn first_read(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))
        .map(|_| ())
        .map_err(anyhow::Error::new)
}

/// The SQLite result codes in an error's chain.
fn sqlite_codes(e: &anyhow::Error) -> impl Iterator<Item = rusqlite::ErrorCode> + '_ {
    e.chain()
        .filter_map(|c| match c.downcast_ref::<rusqlite::Error>() {
            Some(rusqlite::Error::SqliteFailure(f, _)) => Some(f.code),
            _ => None,
        })
}

/// Refuses to write through a connection whose file is no longer the one at its path.
fn ensure_here(path: &Path, file: Option<FileId>) -> Result<()> {
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

    /// A session on a PostgreSQL server (see [`postgres`]).
    fn on_server(url: &str, create: bool, writing: bool) -> Result<Session> {
        let pg = postgres::Pg::open(url, create)?;
        let shown = PathBuf::from(pg.shown());
        let mut s = Session::on(Store::Postgres(Box::new(pg)), &shown, None);
        s.writing = writing;
        s.check_chain()?;
        Ok(s)
    }

    /// Where the session is: its file, or its server's URL without the password.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the session's server cannot be reached now (always `None` for a file).
    pub fn unreachable(&self) -> Option<String> {
        match &self.store {
            Store::Sqlite(_) => None,
            Store::Postgres(p) => p.lost(),
        }
    }

    /// Waits at most this long for another writer's lock before a write is refused as busy.
    pub fn set_busy_wait(&self, wait: Duration) -> Result<()> {
        match &self.store {
            Store::Sqlite(c) => Ok(c.busy_timeout(wait)?),
            Store::Postgres(p) => p.set_lock_wait(wait),
        }
    }

    /// After the file was moved or replaced under this connection: merges the
    /// write-ahead log into the file opened (wherever it is now) and empties it,
    /// so that the file now at the path never has these pages laid over it.
    pub fn settle_moved(&self) {
        let Store::Sqlite(c) = &self.store else {
            return;
        };
        if let Err(e) = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())) {
            tracing::warn!("merging the log of a moved session: {e}");
        }
    }

    /// Whether the file at the session's path is still the one opened.
    pub fn whereabouts(&self) -> Whereabouts {
        match FileId::of(&self.path) {
            None => Whereabouts::Gone,
            now if now == self.file => Whereabouts::Here,
            _ => Whereabouts::Replaced,
        }
    }

    /// Starts a write (`BEGIN IMMEDIATE`), refused when the file was moved or
    /// replaced since it was opened (the write would land where nobody reads).
    /// Also refused on a broken chain: the events written since the last
    /// check (by anyone) are checked first, from the head checked then.
    fn write_tx(&mut self) -> Result<Box<dyn Write + '_>> {
        let Session {
            store,
            path,
            file,
            head,
            broken,
            ..
        } = self;
        write_on(store, path, *file, head, broken)
    }

    /// After a commit: the last event written is the head the next write
    /// checks for (so that deleting it is noticed, not silently built on).
    fn wrote(&mut self, last: Option<&Event>) {
        if let Some(e) = last {
            self.head = Some(chain::Head {
                id: e.id,
                hash: e.hash.clone(),
            });
        }
    }

    /// A connection on the file at `path` (`file`: the file opened, if any).
    fn on(store: Store, path: &Path, file: Option<FileId>) -> Session {
        Session {
            store,
            path: path.to_path_buf(),
            data_version: 0,
            file,
            version: SCHEMA_VERSION,
            head: None,
            broken: None,
            kept: None,
            writing: false,
        }
    }

    /// Checks the chain: a session opened for writing from the event its kept
    /// snapshot stands at (when that event is still as it was; the state
    /// before it is the snapshot's, not the log's), else the whole chain, from
    /// the first event: an edit before the last sign-off would change what
    /// every later replay adds up to, so it is looked for too. Where it breaks
    /// is kept, and every later write refused.
    fn check_chain(&mut self) -> Result<()> {
        if self.version < 2 {
            return Ok(());
        }
        let log = self.store.log();
        let from = if self.writing {
            snapshot::head(log).unwrap_or(None)
        } else {
            None
        };
        let checked = chain_from(log, from.as_ref()).with_context(|| {
            crate::i18n::say(|w| fill(w.er_reading_events, &[&self.path.display()]))
        })?;
        match checked {
            Ok(h) => self.head = h,
            Err(b) => self.broken = Some(b),
        }
        Ok(())
    }

    /// The state the log adds up to on this council: the kept snapshot's
    /// (when it was made on this council) with the events after it applied,
    /// or the whole log's. A session opened for writing keeps a newer
    /// snapshot when many events came after the last (at a checked event).
    pub fn state(&mut self, council: &Council) -> Result<State> {
        self.fresh(council).cloned()
    }

    /// [`Session::state`], lent rather than copied: the state this
    /// connection keeps, brought up to the log's last event.
    pub fn fresh(&mut self, council: &Council) -> Result<&State> {
        let mut state = match self.kept.take() {
            Some((stamp, kept)) if stamp == council.stamp => kept,
            _ => snapshot::load(self.store.log(), &snapshot::council_key(council))
                .unwrap_or(None)
                .unwrap_or_default(),
        };
        let new = self.events_since(state.last_event)?;
        apply_events(council, &mut state, &new);
        if self.writing && new.len() >= snapshot::EVERY {
            self.keep_snapshot(&snapshot::council_key(council), &state);
        }
        Ok(&self.kept.insert((council.stamp, state)).1)
    }

    /// Keeps `state` as the session's snapshot, when its last event was
    /// checked in the chain; a failure only means the next open reads more.
    fn keep_snapshot(&mut self, key: &str, state: &State) {
        let at = match &self.head {
            Some(h) if h.id == state.last_event && self.broken.is_none() => h.clone(),
            _ => return,
        };
        let kept = (|| -> Result<()> {
            let tx = self.store.write()?;
            snapshot::keep(tx.log(), key, &at, state)?;
            tx.commit()
        })();
        if let Err(e) = kept {
            tracing::warn!("keeping a snapshot of the state: {e:#}");
        }
    }

    /// Where the log's chain was found broken (since the last sign-off, or
    /// against a signed folder), in words naming the first event that does not fit.
    pub fn chain_broken(&self) -> Option<String> {
        self.broken.as_ref().map(|b| b.said(&self.path))
    }

    /// The first event that does not fit, when the log's chain was found broken.
    pub fn broken_at(&self) -> Option<i64> {
        self.broken.as_ref().map(|b| b.event)
    }

    /// Refuses, with where it breaks, when the log's chain is broken.
    pub fn refuse_if_broken(&self) -> Result<()> {
        match self.chain_broken() {
            Some(said) => Err(BrokenChain(said).into()),
            None => Ok(()),
        }
    }

    /// The chain as checked when the session was opened (and against the
    /// signed folders' heads, when they were given): its head, or the first
    /// event that does not fit; `None` for a log written before the chain
    /// (schema 1) that could not be upgraded here.
    pub fn verify_chain(&self) -> Option<Result<Option<chain::Head>, chain::Break>> {
        if self.version < 2 {
            return None;
        }
        Some(match &self.broken {
            Some(b) => Err(b.clone()),
            None => Ok(self.head.clone()),
        })
    }

    /// Checks the log against the heads that signed folders keep: a folder of
    /// this session (its log starts with this log's first event) whose last
    /// event the log lost, or holds with another content, breaks the chain.
    pub fn check_anchors(&mut self, anchors: &[chain::Anchor]) -> Result<()> {
        for a in anchors {
            let Some(held) = self.held(&a.first_at, &a.head)? else {
                continue;
            };
            if held.as_ref().is_some_and(|e| e.hash == a.head.hash) {
                continue;
            }
            let folder = a.folder.clone();
            let b = chain::Break {
                event: a.head.id,
                about: held.as_ref().map(chain::about).unwrap_or_default(),
                why: match held {
                    Some(_) => chain::Why::NotAsSigned { folder },
                    None => chain::Why::GoneSinceSigned { folder },
                },
            };
            if self.broken.as_ref().is_none_or(|old| b.event < old.event) {
                self.broken = Some(b);
            }
        }
        Ok(())
    }

    /// Whether this log holds an event as a signed folder keeps it (`first_at`:
    /// the time of the folder's first event, which tells the session); `None`
    /// when it cannot tell (another session's folder, or a log written before
    /// the chain).
    pub fn holds(&self, first_at: &str, head: &chain::Head) -> Result<Option<bool>> {
        Ok(self
            .held(first_at, head)?
            .map(|e| e.is_some_and(|e| e.hash == head.hash)))
    }

    /// The event this log holds with a signed head's id (`Some(None)`: none);
    /// `None` when the head is not this log's to hold (see [`Session::holds`]).
    fn held(&self, first_at: &str, head: &chain::Head) -> Result<Option<Option<Event>>> {
        if self.version < 2 {
            return Ok(None);
        }
        let log = self.store.log();
        let first = log.raw(0, 1).map_err(store_error)?;
        if first.first().is_none_or(|e| e.at != first_at) {
            return Ok(None);
        }
        let held = log.raw(head.id - 1, 1).map_err(store_error)?;
        Ok(Some(held.into_iter().next().filter(|e| e.id == head.id)))
    }

    /// Creates a new session whole or not at all: its schema is written to a
    /// file of its own beside `path`, which is then linked into place only if
    /// nothing is there yet. A kill at any moment leaves either no session or a
    /// complete empty one (never an empty file that every later command
    /// refuses); two first decisions at once both end up in the same session.
    /// Returns whether a session now stands at `path`.
    fn create_whole(path: &Path) -> Result<bool> {
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

    /// SQLite's counter that moves when another connection commits: cheap to poll.
    pub fn data_version(&self) -> Result<i64> {
        match &self.store {
            Store::Sqlite(c) => Ok(c.query_row("PRAGMA data_version", [], |r| r.get(0))?),
            Store::Postgres(_) => Ok(0),
        }
    }

    /// Whether another process has written since the last look.
    pub fn changed_elsewhere(&mut self) -> Result<bool> {
        if let Store::Postgres(p) = &self.store {
            return Ok(p.changed());
        }
        let v = self.data_version()?;
        let changed = v != self.data_version;
        self.data_version = v;
        Ok(changed)
    }

    /// Every event that set one leaf (decisions, undos, redos), oldest first.
    pub fn leaf_events(&self, unit: &str, code: &str) -> Result<Vec<Event>> {
        Ok(self
            .store
            .log()
            .leaf(unit, code)?
            .into_iter()
            .map(cleaned)
            .collect())
    }

    /// The last event that set one leaf (a decision, undo or redo).
    pub fn last_change(&self, unit: &str, code: &str) -> Result<Option<Event>> {
        current_of(self.store.log(), unit, code)
    }

    /// One event, as stored (texts cleaned), when the log holds it.
    pub fn event(&self, id: i64) -> Result<Option<Event>> {
        let read = match &self.store {
            // A log of the first schema is read as that schema.
            Store::Sqlite(c) if self.version < 2 => {
                store::read_as(c, store::SELECT_EVENT_V1, id - 1).map(|e| e.into_iter().next())
            }
            other => other
                .log()
                .raw(id - 1, 1)
                .map(|e| e.into_iter().next().map(cleaned)),
        };
        read.map(|e| e.filter(|e| e.id == id)).with_context(|| {
            crate::i18n::say(|w| fill(w.er_reading_events, &[&self.path.display()]))
        })
    }

    /// Every event, oldest first.
    pub fn events(&self) -> Result<Vec<Event>> {
        self.events_since(0)
    }

    pub fn events_since(&self, after_id: i64) -> Result<Vec<Event>> {
        let read = match &self.store {
            Store::Sqlite(c) if self.version < 2 => {
                store::read_as(c, store::SELECT_EVENT_V1, after_id)
            }
            other => events_after(other.log(), after_id),
        };
        read.with_context(|| {
            crate::i18n::say(|w| fill(w.er_reading_events, &[&self.path.display()]))
        })
    }

    /// The state the whole log adds up to, on this council.
    pub fn replay(&self, council: &Council) -> Result<State> {
        Ok(State::of(council, &self.events()?))
    }

    /// Brings a state up to date with events written since it was made; returns them.
    pub fn refresh(&self, council: &Council, state: &mut State) -> Result<Vec<Event>> {
        let new = self.events_since(state.last_event)?;
        apply_events(council, state, &new);
        Ok(new)
    }

    /// Starts a write (`BEGIN IMMEDIATE`) and reads the state inside it, so that
    /// the rules see every other writer's decisions.
    /// The state is the one kept from this connection's last write with only
    /// the events since applied (all of them the first time, or for another
    /// council), so a write costs the same on a long log as on a short one.
    fn begin(&mut self, council: &Council) -> Result<(Box<dyn Write + '_>, &State), DecideError> {
        let Session {
            store: rows,
            path,
            file,
            head,
            broken,
            kept,
            ..
        } = self;
        let tx = write_on(rows, path, *file, head, broken).map_err(DecideError::Store)?;
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
        apply_events(council, state, &new);
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
        self.decide_batch(council, member, asks, &[])
            .map(|(events, _)| events)
    }

    /// Records decisions and explanation requests by one member in one
    /// transaction, all or none: a refused request is returned at its position
    /// after the decisions (`asks.len() + i`). Returns the decisions' events,
    /// then the requests'.
    pub fn decide_batch(
        &mut self,
        council: &Council,
        member: &str,
        asks: &[Ask],
        requests: &[Requested],
    ) -> Result<(Vec<Event>, Vec<Event>), BatchError> {
        let (tx, state) = self.begin(council).map_err(BatchError::from)?;
        if state.locked() {
            return Err(BatchError::Refused(vec![(0, Refusal::Locked)]));
        }
        // The rows after the first are checked against the ones before them:
        // a copy of the appraisal is made only when there are such rows.
        let mut appraisal = std::borrow::Cow::Borrowed(&state.appraisal);
        let mut refused = Vec::new();
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
        Ok((events, requested))
    }

    /// Undoes the member's last decision that is not undone yet.
    pub fn undo(&mut self, council: &Council, member: &str) -> Result<Event, DecideError> {
        self.undo_redo(council, member, true)
    }

    /// Redoes the member's last undone decision.
    pub fn redo(&mut self, council: &Council, member: &str) -> Result<Event, DecideError> {
        self.undo_redo(council, member, false)
    }

    fn undo_redo(
        &mut self,
        council: &Council,
        member: &str,
        undo: bool,
    ) -> Result<Event, DecideError> {
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
        if council.member(member).is_none() {
            return Err(Refusal::UnknownMember(member.into()).into());
        }
        let path = self.path.clone();
        if let Store::Sqlite(conn) = &self.store {
            quick_check(conn, &path).map_err(DecideError::Store)?;
        }
        let tx = self.write_tx().map_err(DecideError::Store)?;
        // What is signed is checked whole, from the first event.
        let raw = tx.log().raw(0, i64::MAX).map_err(store)?;
        if let Err(b) = chain::check(None, &raw) {
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
        if council.member(member).is_none() {
            return Err(Refusal::UnknownMember(member.into()).into());
        }
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
        let m = council
            .member(member)
            .ok_or_else(|| Refusal::UnknownMember(member.into()))?;
        if !(m.chair || m.secretary) {
            return Err(Refusal::RoundNotAllowed(member.into()).into());
        }
        self.one_event(council, member, |tx, state| {
            let closed = state.round();
            insert(
                tx,
                member,
                Kind::Round,
                None,
                None,
                None,
                None,
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
        self.one_event(council, member, |tx, state| {
            // A locked session is refused before `make` runs.
            let open = (false, state.appraisal.meeting);
            ask_in(tx, council, open, member, unit_id, code, text)
        })
    }

    /// One event under the write lock, refused for an unknown member and on a
    /// locked session: `make` checks the state read inside the transaction
    /// and inserts; committed, it is the head the next write checks for.
    fn one_event(
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

    /// What changed in the inputs since the session last saw them, without
    /// recording it (for reading commands); empty when nothing did.
    pub fn inputs_changed(&self, council: &Council) -> Result<Vec<String>> {
        let now = snapshot(council);
        if self.inputs_fingerprint()?.as_deref() == Some(fingerprint(&now).as_str()) {
            return Ok(Vec::new());
        }
        let old = self.store.log().inputs()?;
        Ok(if old.is_empty() {
            Vec::new()
        } else {
            diff(&old, &now)
        })
    }

    /// The fingerprint of the inputs the session last saw.
    fn inputs_fingerprint(&self) -> Result<Option<String>> {
        self.store.log().inputs_seen()
    }

    /// Compares the inputs with those the session last saw; records and returns
    /// what changed (empty when nothing did). The first call only takes a snapshot.
    pub fn reconcile(&mut self, council: &Council) -> Result<Vec<String>> {
        let now = snapshot(council);
        let fingerprint = fingerprint(&now);
        if self.inputs_fingerprint()?.as_deref() == Some(fingerprint.as_str()) {
            return Ok(Vec::new());
        }
        let tx = self.write_tx()?;
        // Read under the lock: another writer may have recorded them meanwhile.
        let old = tx.log().inputs()?;
        let changes = if old.is_empty() {
            Vec::new()
        } else {
            diff(&old, &now)
        };
        tx.log().see_inputs(&now, &fingerprint)?;
        let mut recorded = None;
        if !changes.is_empty() {
            recorded = Some(insert(
                tx.log(),
                "",
                Kind::Inputs,
                None,
                None,
                None,
                None,
                &changes.join("\n"),
                None,
            )?);
        }
        tx.commit().with_context(|| {
            crate::i18n::say(|w| fill(w.er_recording_inputs, &[&self.path.display()]))
        })?;
        self.wrote(recorded.as_ref());
        Ok(changes)
    }
}

/// Checks that a SQLite file is a thamdinh session this program can read: its schema version.
fn check_existing(conn: &Connection, path: &Path) -> Result<i64> {
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
fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
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

fn create(conn: &mut Connection, path: &Path) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(&format!(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         {}
         {EVENT_INDEXES}
         CREATE TABLE input (unit TEXT PRIMARY KEY, leaves TEXT NOT NULL);",
        event_table("event")
    ))?;
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('app', ?1), ('created', ?2)",
        params![APP, utc_now()],
    )?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()
        .with_context(|| crate::i18n::say(|w| fill(w.er_creating_session, &[&path.display()])))
}

/// Upgrades a session written by an older schema, in place and once, in
/// one transaction: every event is kept, with its id.
/// 1 → 2: the event table gains each event's hash (sealed in id order) and
/// no longer restricts its kinds to those of schema 1.
fn upgrade(conn: &mut Connection, path: &Path, version: i64) -> Result<()> {
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
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tracing::info!(
            "{path}: upgraded from schema {version} to {SCHEMA_VERSION}, {} events chained",
            events.len()
        );
    }
    tx.commit().with_context(|| {
        crate::i18n::say(|w| fill(w.er_upgrading_session, &[&path, &version, &SCHEMA_VERSION]))
    })?;
    Ok(())
}

/// Checks and appends an explanation request inside a write.
fn ask_in(
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
fn check_ask(
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

/// Decisions that were not recorded together: refused (each with its position
/// in the list), or the store failed. Nothing of the batch is recorded either way.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("{} refused", .0.len())]
    Refused(Vec<(usize, Refusal)>),
    #[error("{0:#}")]
    Store(anyhow::Error),
}

impl From<DecideError> for BatchError {
    fn from(e: DecideError) -> BatchError {
        match e {
            DecideError::Refused(r) => BatchError::Refused(vec![(0, r)]),
            DecideError::Store(e) => BatchError::Store(e),
        }
    }
}

/// A decision that was not recorded: refused by a rule, or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("{0:#}")]
    Store(anyhow::Error),
}

fn store(e: impl Into<anyhow::Error>) -> DecideError {
    DecideError::Store(store_error(e))
}

/// The file system refuses to let the session be written (read-only, full).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FileSystemRefused(String);

/// Whether an error comes from the file system refusing (read-only, full, no
/// room for SQLite's shared-memory index), not from a bad file: the session
/// can still be read.
pub fn refused_by_file_system(e: &anyhow::Error) -> bool {
    use rusqlite::ErrorCode::*;
    e.chain().any(|c| c.is::<FileSystemRefused>())
        || sqlite_codes(e).any(|c| matches!(c, CannotOpen | ReadOnly | DiskFull | SystemIoFailure))
}

/// A `file:` URI that opens `path` as immutable (no locks, no shared memory).
fn immutable_uri(path: &Path) -> String {
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

fn store_error(e: impl Into<anyhow::Error>) -> anyhow::Error {
    e.into()
        .context(crate::i18n::say(|w| w.er_writing_session.to_string()))
}

/// The event table of schema 2, under a name (the upgrade builds it beside the old one).
fn event_table(name: &str) -> String {
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
             hash TEXT NOT NULL
         );"
    )
}

const EVENT_INDEXES: &str = "CREATE INDEX event_leaf ON event(unit, code);
     CREATE INDEX event_kind ON event(kind);
     CREATE INDEX event_round ON event(round);";

/// Appends one event, linked to the last one in the chain. Its texts are
/// stored cleaned, as they are read back, so that the hash written is the one
/// any reader (and a signed `log.csv`) recomputes.
#[allow(clippy::too_many_arguments)]
fn insert(
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
    };
    log.append(&mut e)?;
    Ok(e)
}

/// Checks the events from a head checked earlier (which must still be there,
/// as it was) to the last one: the new head, or where the chain breaks.
fn chain_from(
    log: &dyn Log,
    head: Option<&chain::Head>,
) -> Result<Result<Option<chain::Head>, chain::Break>> {
    let Some(head) = head else {
        return Ok(chain::check(None, &log.raw(0, i64::MAX)?));
    };
    let events = log.raw(head.id - 1, i64::MAX)?;
    match events.first() {
        Some(e) if e.id == head.id && e.hash == head.hash => {
            Ok(chain::check(Some(head), &events[1..]).map(|h| h.or(Some(head.clone()))))
        }
        Some(e) if e.id == head.id => Ok(Err(chain::Break {
            event: e.id,
            about: chain::about(e),
            why: chain::Why::DoesNotFit,
        })),
        next => Ok(Err(chain::Break {
            event: next.map_or(head.id, |e| e.id),
            about: next.map(chain::about).unwrap_or_default(),
            why: chain::Why::Deleted {
                from: head.id,
                to: next.map_or(head.id, |e| e.id - 1),
            },
        })),
    }
}

/// A write refused because the log's chain is broken.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BrokenChain(String);

/// Whether an error is a write refused on a broken chain.
pub fn is_broken_chain(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<BrokenChain>())
}

fn event_by_id(log: &dyn Log, id: i64) -> Result<Event> {
    Ok(cleaned(log.event(id)?))
}

/// The last event that set this leaf (a decision, undo or redo).
fn current_of(log: &dyn Log, unit: &str, code: &str) -> Result<Option<Event>> {
    Ok(log.current_of(unit, code)?.map(cleaned))
}

/// A write on `store` (see `Session::write_tx`).
fn write_on<'c>(
    store: &'c mut Store,
    path: &Path,
    file: Option<FileId>,
    head: &mut Option<chain::Head>,
    broken: &mut Option<chain::Break>,
) -> Result<Box<dyn Write + 'c>> {
    let tx = store.write()?;
    ensure_here(path, file)?;
    if broken.is_none() {
        match chain_from(tx.log(), head.as_ref()).map_err(store_error)? {
            Ok(h) => *head = h,
            Err(b) => *broken = Some(b),
        }
    }
    if let Some(b) = broken {
        return Err(BrokenChain(b.said(path)).into());
    }
    Ok(tx)
}

/// Adds events (in id order) to a state: the one place where the log becomes state.
fn apply_events(council: &Council, state: &mut State, events: &[Event]) {
    // Leaf state by ids, so that decisions on leaves that are gone are kept aside.
    for e in events {
        state.last_event = state.last_event.max(e.id);
        match e.kind() {
            Kind::Round => {
                state.round = e.round;
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
                    meeting::propose(council, state, e);
                    continue;
                }
                state.meeting.changed = e.id;
                set_leaf(council, state, e);
                if let Some(at) = leaf_of(council, e) {
                    let now = state.appraisal.decisions.get(&at).cloned();
                    state.by_round.entry(at).or_default().insert(e.round, now);
                }
            }
            _ => meeting::apply(council, state, e),
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

/// A unit id and a leaf code as indexes, else the refusal naming what is not there.
pub(crate) fn leaf_at(
    council: &Council,
    unit_id: &str,
    code: &str,
) -> Result<(usize, usize), Refusal> {
    let unit = council
        .unit_index(unit_id)
        .ok_or_else(|| Refusal::UnknownUnit(unit_id.into()))?;
    let fw = council.framework_of(unit);
    let (leaf, _) = fw.leaf(code).ok_or_else(|| Refusal::UnknownLeaf {
        unit: unit_id.into(),
        code: code.into(),
        framework: fw.id.clone(),
    })?;
    Ok((unit, leaf))
}

/// Refuses a reason, request or vote comment longer than a note holds.
pub(crate) fn bounded(text: &str) -> Result<(), Refusal> {
    let chars = text.chars().count();
    if chars > crate::load::MAX_NOTE {
        return Err(Refusal::ReasonTooLong(chars, crate::load::MAX_NOTE));
    }
    Ok(())
}

/// The leaf an event is about, when its unit and leaf are in the inputs.
fn leaf_of(council: &Council, e: &Event) -> Option<(usize, usize)> {
    let unit = council.unit_index(e.unit.as_deref()?)?;
    let (leaf, _) = council.framework_of(unit).leaf(e.code.as_deref()?)?;
    Some((unit, leaf))
}

fn set_leaf(council: &Council, state: &mut State, e: &Event) {
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

/// Per unit (in roster order), its leaves' own values as `code=value` lines.
fn snapshot(council: &Council) -> Vec<(String, String)> {
    council
        .units
        .iter()
        .enumerate()
        .map(|(u, unit)| {
            let fw = council.framework_of(u);
            let mut text = String::new();
            for (leaf, c) in fw.leaves.iter().zip(&council.assessments[u].claims) {
                text.push_str(&leaf.code);
                text.push('=');
                if c.na {
                    text.push_str("na");
                } else {
                    text.push_str(&c.points.to_string());
                }
                text.push('\n');
            }
            (unit.id.clone(), text)
        })
        .collect()
}

/// FNV-1a (64 bits) of a snapshot: a cheap, stable fingerprint of the inputs.
fn fingerprint(snapshot: &[(String, String)]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (u, leaves) in snapshot {
        for b in u.bytes().chain([0]).chain(leaves.bytes()).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// What changed between two snapshots, as sentences.
fn diff(old: &HashMap<String, String>, now: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let now_units: HashMap<&str, &str> =
        now.iter().map(|(u, l)| (u.as_str(), l.as_str())).collect();
    for (u, leaves) in now {
        match old.get(u) {
            None => out.push(format!("unit {u} was added")),
            Some(before) if before != leaves => {
                let parse = |t: &str| -> Vec<(String, String)> {
                    t.lines()
                        .filter_map(|l| l.split_once('='))
                        .map(|(c, v)| (c.to_string(), v.to_string()))
                        .collect()
                };
                let (a, b) = (parse(before), parse(leaves));
                let a_map: HashMap<&str, &str> =
                    a.iter().map(|(c, v)| (c.as_str(), v.as_str())).collect();
                let b_map: HashMap<&str, &str> =
                    b.iter().map(|(c, v)| (c.as_str(), v.as_str())).collect();
                for (c, v) in &b {
                    match a_map.get(c.as_str()) {
                        None => out.push(format!("{u}: leaf {c} was added")),
                        Some(old_v) if old_v != v => out.push(format!(
                            "{u}: self points of {c} changed from {old_v} to {v}"
                        )),
                        _ => {}
                    }
                }
                for (c, _) in &a {
                    if !b_map.contains_key(c.as_str()) {
                        out.push(format!("{u}: leaf {c} was removed"));
                    }
                }
            }
            _ => {}
        }
    }
    let mut removed: Vec<&String> = old
        .keys()
        .filter(|u| !now_units.contains_key(u.as_str()))
        .collect();
    removed.sort();
    out.extend(removed.into_iter().map(|u| format!("unit {u} was removed")));
    out
}
