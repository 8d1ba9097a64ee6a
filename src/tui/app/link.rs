//! All the screen's traffic with the session: opening it (at the first
//! decision), recording, undoing, signing, and hearing of other processes.

use std::path::{Path, PathBuf};

use crate::appraisal::{Appraisal, Change, Decided};
use crate::model::Council;
use crate::session::{Ask, BatchError, DecideError, Event, Kind, Session, State, Whereabouts};

/// How long a write from the screen waits for another process's lock before it
/// is refused as busy (and said so), so that the screen never freezes.
const WRITE_WAIT: std::time::Duration = std::time::Duration::from_millis(300);

/// One past change of a leaf, as the detail pane lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Past {
    /// RFC 3339, UTC.
    pub at: String,
    pub member: String,
    pub kind: PastKind,
    /// `None`: the self-assessment.
    pub before: Option<Decided>,
    pub after: Option<Decided>,
    pub comment: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PastKind {
    Decide,
    Undo,
    Redo,
}

/// A leaf (unit id, code) as the log stood at an event.
type LeafAt = (String, String, i64);

/// The session as the screen sees it: what its log adds up to, and the events read last.
pub struct Link {
    session: Option<Session>,
    /// The council folder (its signed folders anchor the log).
    folder: PathBuf,
    path: PathBuf,
    state: State,
    /// The events the last read brought (for saying who changed what).
    fresh: Vec<Event>,
    /// The time of the last event read (the exports' date).
    last_at: Option<String>,
    /// One leaf's history, as the detail pane last asked for it (unit, code, last event then).
    history: std::cell::RefCell<Option<(LeafAt, Vec<Past>)>>,
    /// Why the session could only be opened for reading (a read-only or full disk).
    read_only: Option<String>,
    /// Where the session's file stood at the last look.
    whereabouts: Whereabouts,
    /// The member whose key, unlocked when the screen opened, records its writes.
    recorder: Option<crate::session::acting::Recorder>,
    /// What finishing an interrupted sign-off did as the session opened, in words.
    settled: Option<String>,
}

/// Opens an existing session for writing, else (when the file system refuses
/// writing, or the log's chain is broken) for reading, with the reason.
fn open_existing(
    council: &Council,
    folder: &Path,
    path: &Path,
) -> anyhow::Result<(Session, Option<String>)> {
    // A server's session is made on opening; a file's at the first decision.
    let create = crate::session::postgres::url(path).is_some();
    match open_writing(council, folder, path, create) {
        Ok(s) => {
            let why = s.chain_broken();
            Ok((s, why))
        }
        Err(e)
            if crate::session::refused_by_file_system(&e)
                || crate::session::is_broken_chain(&e) =>
        {
            Ok((Session::open_reading(path)?, Some(format!("{e:#}"))))
        }
        Err(e) => Err(e),
    }
}

/// Opens (or creates) the session for the screen's writes: checked against
/// the signed folders' heads, inputs reconciled, and another writer's lock
/// waited for only briefly.
fn open_writing(
    council: &Council,
    folder: &Path,
    path: &Path,
    create: bool,
) -> anyhow::Result<Session> {
    let mut s = Session::open(path, create)?;
    crate::signoff::anchor(folder, &mut s)?;
    s.reconcile(council)?;
    s.set_busy_wait(WRITE_WAIT)?;
    // A round closed by a process that stopped before its notices were moved into place.
    crate::export::notice::settle(folder, s.round()?)?;
    Ok(s)
}

impl Link {
    /// Reads the session at `path` when it exists (it is created at the first decision).
    pub fn open(council: &Council, folder: &Path, path: &Path) -> anyhow::Result<Link> {
        let (session, read_only) = if crate::session::exists(path) {
            let (s, why) = open_existing(council, folder, path)?;
            (Some(s), why)
        } else {
            (None, None)
        };
        let mut link = Link {
            session,
            folder: folder.to_path_buf(),
            path: path.to_path_buf(),
            state: State::default(),
            fresh: Vec::new(),
            last_at: None,
            history: std::cell::RefCell::new(None),
            read_only,
            whereabouts: Whereabouts::Here,
            recorder: None,
            settled: None,
        };
        // An interrupted sign-off finished first, so that the state taken
        // below holds what it recorded.
        link.settled = link.settle_now(council);
        // The screen keeps its own state up to date from the log's new
        // events: the session's is handed over, not copied.
        if let Some(s) = &mut link.session {
            link.state = s.take_state(council)?;
            if link.state.last_event() > 0 {
                link.last_at = s
                    .events_since(link.state.last_event() - 1)?
                    .pop()
                    .map(|e| e.at);
            }
        }
        Ok(link)
    }

    /// Records (and signs) this screen's writes with a member's key.
    pub fn set_recorder(&mut self, recorder: Option<crate::session::acting::Recorder>) {
        self.recorder = recorder;
    }

    /// The member whose key records this screen's writes.
    pub fn recorder(&self) -> Option<&crate::session::acting::Recorder> {
        self.recorder.as_ref()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What finishing a sign-off interrupted between its event and its
    /// folder did as the session opened (see `signoff::settle`), in words; once.
    pub fn settle(&mut self) -> Option<String> {
        self.settled.take()
    }

    /// Finishes a sign-off interrupted between its event and its folder.
    fn settle_now(&mut self, council: &Council) -> Option<String> {
        if self.read_only.is_some() {
            return None;
        }
        match crate::signoff::settle(&self.folder, council, self.session.as_mut()?) {
            Err(e) if crate::session::is_broken_chain(&e) => {
                self.read_only = Some(format!("{e:#}"));
                None
            }
            Ok(done) => done,
            Err(e) => Some(format!("{e:#}")),
        }
    }

    /// The first event that does not fit, when the session's log was changed
    /// behind the program's back (then nothing more is recorded in it).
    pub fn log_broken(&self) -> Option<i64> {
        self.session.as_ref().and_then(Session::broken_at)
    }

    /// Why the session's server cannot be reached now (decisions are refused until it is back).
    pub fn unreachable(&self) -> Option<String> {
        self.session.as_ref().and_then(Session::unreachable)
    }

    /// Why decisions cannot be recorded for now (the session opened for reading only).
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    pub fn appraisal(&self) -> &Appraisal {
        &self.state.appraisal
    }

    /// Who signed off and when, while the session is locked.
    pub fn locked_by(&self) -> Option<(&str, &str)> {
        self.state
            .locked_by
            .as_ref()
            .map(|(m, at)| (m.as_str(), at.as_str()))
    }

    /// How many decisions no longer apply to the inputs.
    pub fn orphans(&self) -> usize {
        self.state.orphans.len()
    }

    /// Every change of one leaf, oldest first (read from the session when
    /// the log moved since the last time this leaf was asked for).
    pub fn history(&self, unit_id: &str, code: &str) -> Vec<Past> {
        let key = (
            unit_id.to_string(),
            code.to_string(),
            self.state.last_event(),
        );
        if let Some((k, past)) = &*self.history.borrow()
            && *k == key
        {
            return past.clone();
        }
        let events = match &self.session {
            Some(s) => s.leaf_events(unit_id, code).unwrap_or_else(|e| {
                tracing::warn!("a leaf's history could not be read: {e:#}");
                Vec::new()
            }),
            None => Vec::new(),
        };
        let past: Vec<Past> = events
            .iter()
            .filter_map(|e| {
                let kind = match e.kind() {
                    Kind::Decide => PastKind::Decide,
                    Kind::Undo => PastKind::Undo,
                    Kind::Redo => PastKind::Redo,
                    _ => return None,
                };
                // A decision recorded on the member's behalf names both.
                let member = match &e.recorder {
                    Some(r) => {
                        crate::i18n::say(|w| crate::i18n::fill(w.recorded_by, &[&e.member, r]))
                    }
                    None => e.member.clone(),
                };
                Some(Past {
                    at: e.at.clone(),
                    member,
                    kind,
                    before: e.before.as_deref().and_then(Decided::decode),
                    after: e.after.as_deref().and_then(Decided::decode),
                    // A session edited by hand may hold any length: shown bounded.
                    comment: crate::text::shorten(&e.comment, crate::load::MAX_NOTE),
                })
            })
            .collect();
        *self.history.borrow_mut() = Some((key, past.clone()));
        past
    }

    /// The last event that changed a leaf (0: none yet), as a decision begun now sees it.
    pub fn last_change_of(&self, unit_id: &str, code: &str) -> i64 {
        self.session
            .as_ref()
            .and_then(|s| s.last_change(unit_id, code).ok().flatten())
            .map_or(0, |e| e.id)
    }

    /// The events the last read brought, oldest first.
    pub fn fresh(&self) -> &[Event] {
        &self.fresh
    }

    /// The time of the last event (the exports' date).
    pub fn last_at(&self) -> Option<&str> {
        self.last_at.as_deref()
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// The session to write to: opened (created at the first decision) for
    /// writing, or opened again when it could only be read so far.
    fn session(&mut self, council: &Council) -> Result<&mut Session, DecideError> {
        if self.session.is_none() || self.read_only.is_some() {
            let s = open_writing(council, &self.folder, &self.path, true)
                .map_err(DecideError::Store)?;
            self.session = Some(s);
            self.read_only = None;
        }
        let recorder = self.recorder.clone();
        if let Some(s) = self.session.as_mut() {
            s.set_recorder(recorder);
        }
        self.session.as_mut().ok_or_else(|| {
            DecideError::Store(anyhow::anyhow!(
                "{}",
                crate::i18n::say(|w| w.er_session_did_open.to_string())
            ))
        })
    }

    /// One write through the session (opened at need), then what it and any
    /// other writer added read back, whether the write was recorded or refused
    /// (a refusal may come from a change made elsewhere: shown at once).
    pub fn write<T>(
        &mut self,
        council: &Council,
        f: impl FnOnce(&mut Session) -> Result<T, DecideError>,
    ) -> Result<T, DecideError> {
        let e = f(self.session(council)?);
        self.read_new(council);
        e
    }

    /// Records one decision and reads it back.
    pub fn decide(
        &mut self,
        council: &Council,
        member: &str,
        ask: &Ask,
    ) -> Result<Event, DecideError> {
        self.write(council, |s| s.decide_ask(council, member, ask))
    }

    /// Records several decisions, all or none.
    pub fn decide_all(
        &mut self,
        council: &Council,
        member: &str,
        asks: &[Ask],
    ) -> Result<Vec<Event>, BatchError> {
        let s = self.session(council).map_err(BatchError::from)?;
        let events = s.decide_all(council, member, asks)?;
        self.read_new(council);
        Ok(events)
    }

    pub fn undo_redo(
        &mut self,
        council: &Council,
        member: &str,
        undo: bool,
    ) -> Result<Event, DecideError> {
        let s = self.session(council)?;
        let e = if undo {
            s.undo(council, member)?
        } else {
            s.redo(council, member)?
        };
        self.read_new(council);
        Ok(e)
    }

    /// Asks the unit to explain a leaf, and reads it back.
    pub fn ask(
        &mut self,
        council: &Council,
        member: &str,
        unit_id: &str,
        code: &str,
        text: &str,
    ) -> Result<Event, DecideError> {
        self.write(council, |s| s.ask(council, member, unit_id, code, text))
    }

    /// Closes the current round and writes its notices.
    pub fn close_round(
        &mut self,
        council: &Council,
        folder: &std::path::Path,
        member: &str,
    ) -> Result<crate::work::Closed, DecideError> {
        self.write(council, |s| {
            crate::work::close_round(s, council, folder, member, None)
        })
    }

    /// Moves the meeting on to the agenda's next item.
    pub fn agenda_next(&mut self, council: &Council, member: &str) -> Result<Event, DecideError> {
        self.write(council, |s| s.agenda_next(council, member))
    }

    /// Records a new agenda.
    pub fn set_agenda(
        &mut self,
        council: &Council,
        member: &str,
        items: &[crate::session::meeting::Item],
    ) -> Result<Event, DecideError> {
        self.write(council, |s| s.set_agenda(council, member, items))
    }

    /// Signs off with a loaded key; the signed folder's path.
    pub fn sign_off(
        &mut self,
        folder: &Path,
        council: &Council,
        member: &str,
        sk: &minisign::SecretKey,
    ) -> Result<PathBuf, DecideError> {
        let s = self.session(council)?;
        let dir = crate::signoff::signoff(folder, council, s, member, sk)?;
        self.read_new(council);
        Ok(dir)
    }

    /// Reads the events written since the last read (by this screen or another
    /// process) into the state; whether there were any.
    pub fn read_new(&mut self, council: &Council) -> bool {
        if self.session.is_none() && crate::session::exists(&self.path) {
            match open_existing(council, &self.folder, &self.path) {
                Ok((s, why)) => {
                    self.session = Some(s);
                    self.read_only = why;
                }
                Err(e) => tracing::warn!("the session could not be opened: {e:#}"),
            }
        }
        let Some(s) = &self.session else {
            return false;
        };
        match s.refresh(council, &mut self.state) {
            Ok(new) if !new.is_empty() => {
                self.last_at = new.last().map(|e| e.at.clone());
                self.fresh = new;
                true
            }
            Ok(_) => false,
            Err(e) => {
                tracing::warn!("the session could not be read: {e:#}");
                false
            }
        }
    }

    /// A change in where the session's file stands since the last look: moved
    /// away or deleted (writes are refused until it is back), back, or replaced
    /// by another file (then read afresh from that file).
    pub fn whereabouts_changed(&mut self, council: &Council) -> Option<Whereabouts> {
        let now = self.session.as_ref()?.whereabouts();
        if now == self.whereabouts {
            return None;
        }
        self.whereabouts = now;
        if now != Whereabouts::Here
            && let Some(s) = &self.session
        {
            s.settle_moved();
        }
        if now == Whereabouts::Replaced {
            self.session = None;
            self.read_only = None;
            self.state = State::default();
            self.fresh.clear();
            self.last_at = None;
            self.read_new(council);
            self.whereabouts = Whereabouts::Here;
        }
        Some(now)
    }

    /// Whether another process wrote to the session (cheap; for the loop's timer).
    pub fn changed_elsewhere(&mut self) -> bool {
        match &mut self.session {
            Some(s) => s.changed_elsewhere().unwrap_or(false),
            None => crate::session::exists(&self.path),
        }
    }
}

/// A change as the session records it, from the box's value and the leaf's current value.
pub fn change_of(value: &Decided, now_na: bool) -> Change {
    match *value {
        Decided::Na => Change::Na,
        Decided::Points(p) if now_na => Change::Applicable(Some(p)),
        Decided::Points(p) => Change::Points(p),
        Decided::Ratio(n, den) => Change::Ratio(n, den),
    }
}
