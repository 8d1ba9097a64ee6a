//! Writing files whole or not at all: data fsynced, a temporary renamed over, the folder synced.

use crate::i18n::fill;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Creates `path` with `bytes` and waits until they are on the disk.
pub fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::File::create(path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_creating, &[&path.display()])))?;
    f.write_all(bytes)
        .with_context(|| crate::i18n::say(|w| fill(w.er_writing, &[&path.display()])))?;
    f.sync_all()
        .with_context(|| crate::i18n::say(|w| fill(w.er_syncing, &[&path.display()])))
}

/// Makes a folder's entries (a rename, a new file) durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| crate::i18n::say(|w| fill(w.er_syncing_folder, &[&dir.display()])))
}

/// Writes a whole file or nothing: a hidden temporary beside it, synced, renamed
/// over `path`, the folder synced. The folder is made if missing; the temporary
/// is removed when anything fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    // A bare file name lies in the current folder.
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| crate::i18n::say(|w| fill(w.er_creating, &[&dir.display()])))?;
    let name = path.file_name().context("a file name")?.to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = write_synced(&tmp, bytes).and_then(|_| {
        std::fs::rename(&tmp, path)
            .with_context(|| crate::i18n::say(|w| fill(w.er_writing, &[&path.display()])))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_dir(dir)
}
