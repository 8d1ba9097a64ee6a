//! How a session's operations fail: a refusal, the store, a broken chain, the file system.

use crate::appraisal::Refusal;

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

pub(super) fn store(e: impl Into<anyhow::Error>) -> DecideError {
    DecideError::Store(store_error(e))
}

/// The file system refuses to let the session be written (read-only, full).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FileSystemRefused(pub(super) String);

/// Whether an error comes from the file system refusing (read-only, full, no
/// room for SQLite's shared-memory index), not from a bad file: the session
/// can still be read.
pub fn refused_by_file_system(e: &anyhow::Error) -> bool {
    use rusqlite::ErrorCode::*;
    e.chain().any(|c| c.is::<FileSystemRefused>())
        || sqlite_codes(e).any(|c| matches!(c, CannotOpen | ReadOnly | DiskFull | SystemIoFailure))
}

pub(super) fn store_error(e: impl Into<anyhow::Error>) -> anyhow::Error {
    e.into()
        .context(crate::i18n::say(|w| w.er_writing_session.to_string()))
}

/// A write refused because the log's chain is broken.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BrokenChain(pub(super) String);

/// Whether an error is a write refused on a broken chain.
pub fn is_broken_chain(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<BrokenChain>())
}

/// The SQLite result codes in an error's chain.
pub(super) fn sqlite_codes(e: &anyhow::Error) -> impl Iterator<Item = rusqlite::ErrorCode> + '_ {
    e.chain()
        .filter_map(|c| match c.downcast_ref::<rusqlite::Error>() {
            Some(rusqlite::Error::SqliteFailure(f, _)) => Some(f.code),
            _ => None,
        })
}
