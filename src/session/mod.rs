//! The council's session: an append-only event log, the state it adds up to, undo/redo, reconciliation; kept in a SQLite file or on a PostgreSQL server.
//!
//! Every change is one `IMMEDIATE` transaction that appends one event; the
//! current state is what the events add up to ([`Session::replay`]). WAL mode
//! with `synchronous=FULL` makes an acknowledged decision survive a crash, and
//! lets several processes work on one session at once.

pub mod acting;
pub mod chain;
pub mod copy;
mod error;
mod event;
mod fsck;
mod inputs;
pub mod meeting;
mod owner;
pub mod postgres;
mod snapshot;
mod sqlite;
mod state;
mod store;
pub mod time;
mod write;

use crate::i18n::fill;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, TransactionBehavior};
use store::{Log, Write, cleaned, events_after};

use error::store_error;
pub use error::{
    BatchError, BrokenChain, DecideError, FileSystemRefused, is_broken_chain,
    refused_by_file_system,
};
use sqlite::ensure_here;
pub use sqlite::{FileId, is_busy};
use state::apply_events;
pub use state::{ByRound, Orphan, Request, State, Unfit, may_sign};
use write::current_of;
pub use write::{Ask, Batch, Requested};

use crate::model::Council;

pub use event::{Event, Kind};
pub use time::utc_now;

/// The schema this program writes; older ones are upgraded in place, newer ones refused.
/// 1: the event log; 2: each event carries its hash in the log's chain;
/// 3: each event carries its recorder and signature.
pub const SCHEMA_VERSION: i64 = 3;
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
    /// The council (by its load's stamp) found to be the one this session
    /// belongs to, and whether the session records it yet.
    owner_checked: Option<(u64, bool)>,
    /// The member whose key records (and signs) what this connection writes.
    recorder: Option<std::sync::Arc<acting::Recorder>>,
    /// The council (by its load's stamp) whose members' login roles this
    /// connection bound (a server's session).
    roles_bound: Option<u64>,
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
            Store::Sqlite(c) => Ok(Box::new(sqlite::SqliteWrite(
                c.transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(store_error)?,
            ))),
            Store::Postgres(p) => Ok(Box::new(postgres::PgWrite::begin(p)?)),
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

/// Whether a dropped session leaves its state to the process's end (see
/// [`Session::leave_state_at_exit`]).
static LEAVE_STATE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl Drop for Session {
    fn drop(&mut self) {
        if LEAVE_STATE.load(std::sync::atomic::Ordering::Relaxed)
            && let Some(kept) = self.kept.take()
        {
            std::mem::forget(kept);
        }
    }
}

impl Session {
    /// A session on a PostgreSQL server (see [`postgres`]).
    fn on_server(url: &str, create: bool, writing: bool) -> Result<Session> {
        let pg = postgres::Pg::open(url, create)?;
        let shown = PathBuf::from(pg.shown());
        let mut s = Session::on(Store::Postgres(Box::new(pg)), &shown, None);
        s.writing = writing;
        s.check_chain()?;
        Ok(s)
    }

    /// The round the session is in (1 before any round was closed).
    pub fn round(&self) -> Result<i64> {
        self.store.log().round()
    }

    /// The round the session at `place` is in, 1 where there is none yet: an
    /// explanation answers a round closed before it.
    pub fn round_at(place: &Path) -> Result<i64> {
        if !exists(place) {
            return Ok(1);
        }
        Session::open_reading(place)?.round()
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
        // A server's session has no file to be moved: its reachability is
        // said apart (`unreachable`).
        if let Store::Postgres(_) = self.store {
            return Whereabouts::Here;
        }
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
            recorder,
            ..
        } = self;
        write_on(store, path, *file, head, broken, recorder.clone())
    }

    /// Records (and signs) what this connection writes with the member's key
    /// (see [`acting`]); `None`: nothing is signed.
    pub fn set_recorder(&mut self, recorder: Option<acting::Recorder>) {
        self.recorder = recorder.map(std::sync::Arc::new);
    }

    /// The member whose key records what this connection writes.
    pub fn recorder(&self) -> Option<&acting::Recorder> {
        self.recorder.as_deref()
    }

    /// Refused unless this connection's recorder may record `act` for `member`.
    pub(crate) fn may_act(
        &self,
        council: &Council,
        member: &str,
        act: crate::appraisal::Act,
    ) -> Result<(), crate::appraisal::Refusal> {
        acting::may_act(council, self.recorder.as_deref(), member, act)
    }

    /// Checks events about to be applied to a state against the rules of who
    /// acts; where one breaks them, the log is broken from there on.
    fn check_acts(
        &mut self,
        council: &Council,
        signed: &std::collections::BTreeSet<String>,
        events: &[Event],
    ) -> Result<()> {
        if self.broken.is_none() {
            self.broken = acts_break(self.store.log(), council, signed, events)?;
        }
        Ok(())
    }

    /// Where `events` (the whole log, as a reading command read it) break the
    /// rules of who acts, signatures aside (see [`acting::check_rules`]).
    pub fn acts_broken(&self, council: &Council, events: &[Event]) -> Result<Option<chain::Break>> {
        let from = self.store.log().signed_from()?;
        Ok(acting::check_rules(council, from, events).err())
    }

    /// Every event checked against council.toml's keys and the rules of who
    /// acts, from the first; the first event from which every event is
    /// signed, or where the rules break.
    pub fn verify_acts(&self, council: &Council) -> Result<Result<Option<i64>, chain::Break>> {
        let events = self.events()?;
        let from = self.store.log().signed_from()?;
        Ok(
            acting::check(council, &mut Default::default(), from, &events)
                .map(|()| acting::signed_since(&events)),
        )
    }

    /// Sessions dropped from now on leave their kept state to the process's
    /// end instead of freeing it: for a command whose process ends with it,
    /// where freeing a council's every decision one by one is time for nothing.
    pub fn leave_state_at_exit() {
        LEAVE_STATE.store(true, std::sync::atomic::Ordering::Relaxed);
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
            owner_checked: None,
            recorder: None,
            roles_bound: None,
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

    /// [`Session::state`], handed over rather than copied: for a caller that
    /// keeps the state up to date itself (the screen). The session reads its
    /// kept snapshot again at its next write.
    pub fn take_state(&mut self, council: &Council) -> Result<State> {
        self.fresh(council)?;
        Ok(self.kept.take().map(|(_, state)| state).unwrap_or_default())
    }

    /// [`Session::state`], lent rather than copied: the state this
    /// connection keeps, brought up to the log's last event.
    pub fn fresh(&mut self, council: &Council) -> Result<&State> {
        let _ = self.refuse_other_council(council)?;
        let mut state = match self.kept.take() {
            Some((stamp, kept)) if stamp == council.stamp => kept,
            _ => snapshot::load(self.store.log(), &snapshot::council_key(council))
                .unwrap_or(None)
                .unwrap_or_default(),
        };
        let new = self.events_since(state.last_event)?;
        self.check_acts(council, &state.signed, &new)?;
        apply_events(council, &mut state, &new);
        if self.writing && new.len() >= snapshot::EVERY {
            self.keep_snapshot(&snapshot::council_key(council), &state);
        }
        Ok(&self.kept.insert((council.stamp, state)).1)
    }

    /// Refuses a council that is not the one this session belongs to (see
    /// [`owner`]), before anything is read into its state or written.
    /// Whether the session records its council yet.
    pub(super) fn refuse_other_council(&mut self, council: &Council) -> Result<bool> {
        if let Some((stamp, recorded)) = self.owner_checked
            && stamp == council.stamp
        {
            return Ok(recorded);
        }
        let recorded =
            owner::refuse_other(self.store.log(), council, &self.path.display().to_string())?;
        self.owner_checked = Some((council.stamp, recorded));
        Ok(recorded)
    }

    /// Keeps `state` as the session's snapshot, when its last event was
    /// checked in the chain; a failure only means the next open reads more.
    fn keep_snapshot(&mut self, key: &str, state: &State) {
        let Some(at) =
            snapshot::checked_at(self.head.as_ref(), self.broken.is_some(), state).cloned()
        else {
            return;
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
            // At the same event, the signed folder's account is the more telling.
            if self.broken.as_ref().is_none_or(|old| b.event <= old.event) {
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
                sqlite::read_as(c, sqlite::SELECT_EVENT_V1, id - 1).map(|e| e.into_iter().next())
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
                sqlite::read_as(c, sqlite::SELECT_EVENT_V1, after_id)
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
}

/// Checks the events from a head checked earlier (which must still be there,
/// as it was) to the last one: the new head, or where the chain breaks.
fn chain_from(
    log: &dyn Log,
    head: Option<&chain::Head>,
) -> Result<Result<Option<chain::Head>, chain::Break>> {
    let mut checked = chain_to_last(log, head)?;
    // Outside a write, another process may commit between reading the events
    // and reading the head kept apart, which is then ahead: read on from the
    // last event checked. Only a tail that stays gone is named.
    let mut tries = 0;
    loop {
        let last = match checked {
            Ok(last) => last,
            broken => return Ok(broken),
        };
        let kept = log.kept_head()?;
        match chain::against_kept(last.as_ref(), kept.as_ref()) {
            Err(b) if matches!(b.why, chain::Why::TailGone { .. }) && tries < 5 => {
                tries += 1;
                checked = chain_to_last(log, last.as_ref())?;
            }
            result => return Ok(result.map(|()| last)),
        }
    }
}

/// The chain checked from `head` (or from the first event) to the last event.
fn chain_to_last(
    log: &dyn Log,
    head: Option<&chain::Head>,
) -> Result<Result<Option<chain::Head>, chain::Break>> {
    let from = log.ids_from()?;
    let Some(head) = head else {
        let events = log.raw(0, i64::MAX)?;
        return Ok(
            chain::ids_follow(from, None, &events).and_then(|()| chain::check(None, &events))
        );
    };
    let events = log.raw(head.id - 1, i64::MAX)?;
    match events.first() {
        Some(e) if e.id == head.id && e.hash == head.hash => {
            let after = &events[1..];
            Ok(chain::ids_follow(from, Some(head.id), after)
                .and_then(|()| chain::check(Some(head), after))
                .map(|h| h.or(Some(head.clone()))))
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

/// A write on `store` (see `Session::write_tx`).
/// Where events about to be applied to a state (whose members who signed
/// their own are `signed`) break the rules of who acts, signatures checked;
/// nothing to check where the council lists no key.
fn acts_break(
    log: &dyn Log,
    council: &Council,
    signed: &std::collections::BTreeSet<String>,
    events: &[Event],
) -> Result<Option<chain::Break>> {
    if events.is_empty() || !acting::uses_keys(council) {
        return Ok(None);
    }
    let from = log.signed_from()?;
    Ok(acting::check(council, &mut signed.clone(), from, events).err())
}

fn write_on<'c>(
    store: &'c mut Store,
    path: &Path,
    file: Option<FileId>,
    head: &mut Option<chain::Head>,
    broken: &mut Option<chain::Break>,
    recorder: Option<std::sync::Arc<acting::Recorder>>,
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
    Ok(match recorder {
        Some(recorder) => Box::new(acting::Signing { tx, recorder }),
        None => tx,
    })
}
