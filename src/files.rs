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

/// Creates every file of a new folder with its bytes, then waits until all
/// of them are on the disk: one flush of the file system for the lot where
/// the system has it (a signed folder holds a file per unit), else one per file.
pub fn write_all_synced<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<()> {
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        std::fs::write(&path, bytes)
            .with_context(|| crate::i18n::say(|w| fill(w.er_writing, &[&path.display()])))?;
        written.push(path);
    }
    sync_written(dir, written)
}

/// Waits until the files written in `dir` are on the disk: one flush of the
/// file system for the lot where the system has it, else one per file.
fn sync_written(dir: &Path, written: Vec<std::path::PathBuf>) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let folder = std::fs::File::open(dir)
            .with_context(|| crate::i18n::say(|w| fill(w.er_syncing_folder, &[&dir.display()])))?;
        // SAFETY: syncfs only reads the descriptor, which lives until after the call.
        if unsafe { libc::syncfs(folder.as_raw_fd()) } == 0 {
            return Ok(());
        }
    }
    for path in written {
        std::fs::File::open(&path)
            .and_then(|f| f.sync_all())
            .with_context(|| crate::i18n::say(|w| fill(w.er_syncing, &[&path.display()])))?;
    }
    Ok(())
}

/// A new folder's files written as they are made, on a thread of their own,
/// each file's SHA-256 taken there, while the next file is made;
/// [`Writer::finish`] waits until every one is on the disk, as
/// [`write_all_synced`] does (one flush for the lot: starting each file's
/// writing at once was slower, the disk taking many small writes one by one).
pub struct Writer {
    dir: std::path::PathBuf,
    send: Option<std::sync::mpsc::SyncSender<(String, Vec<u8>)>>,
    thread: Option<std::thread::JoinHandle<Result<Written>>>,
    /// Files written into the folder by their maker ([`Writer::written`]).
    apart: Written,
}

/// Each file written, by its path inside the folder: its SHA-256.
pub type Written = std::collections::BTreeMap<String, [u8; 32]>;

impl Writer {
    pub fn new(dir: &Path) -> Writer {
        // A thousand files wait at most: a fast maker never holds them all.
        let (send, receive) = std::sync::mpsc::sync_channel::<(String, Vec<u8>)>(1024);
        let root = dir.to_path_buf();
        let thread = std::thread::spawn(move || -> Result<Written> {
            use sha2::Digest as _;
            let mut written = Written::new();
            for (rel, bytes) in receive {
                let path = root.join(&rel);
                let mut f = std::fs::File::create(&path).with_context(|| {
                    crate::i18n::say(|w| fill(w.er_creating, &[&path.display()]))
                })?;
                f.write_all(&bytes).with_context(|| {
                    crate::i18n::say(|w| fill(w.er_writing, &[&path.display()]))
                })?;
                written.insert(rel, sha2::Sha256::digest(&bytes).into());
            }
            Ok(written)
        });
        Writer {
            dir: dir.to_path_buf(),
            send: Some(send),
            thread: Some(thread),
            apart: Written::new(),
        }
    }

    /// Makes `rel` inside the folder by writing it through `make` (buffered),
    /// for a file too big to hold whole; its SHA-256 is taken from the disk's
    /// copy once it is written. Returns what it is, to be counted with
    /// [`Writer::written`].
    pub fn write_apart(
        dir: &Path,
        rel: &str,
        make: impl FnOnce(
            std::io::BufWriter<std::fs::File>,
        ) -> Result<std::io::BufWriter<std::fs::File>>,
    ) -> Result<[u8; 32]> {
        use sha2::Digest as _;
        let path = dir.join(rel);
        let file = std::fs::File::create(&path)
            .with_context(|| crate::i18n::say(|w| fill(w.er_creating, &[&path.display()])))?;
        let sink = std::io::BufWriter::with_capacity(1 << 20, file);
        make(sink)?
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .with_context(|| crate::i18n::say(|w| fill(w.er_writing, &[&path.display()])))?;
        let mut hash = sha2::Sha256::new();
        std::fs::File::open(&path)
            .and_then(|mut f| std::io::copy(&mut f, &mut hash))
            .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&path.display()])))?;
        Ok(hash.finalize().into())
    }

    /// Counts `rel`, made by [`Writer::write_apart`], among the folder's files.
    pub fn written(&mut self, rel: impl Into<String>, sha256: [u8; 32]) {
        self.apart.insert(rel.into(), sha256);
    }

    /// Writes `bytes` as `rel` inside the folder (its subfolders made already).
    pub fn add(&mut self, rel: impl Into<String>, bytes: Vec<u8>) -> Result<()> {
        let sent = self.send.as_ref().map(|s| s.send((rel.into(), bytes)));
        if matches!(sent, Some(Ok(()))) {
            return Ok(());
        }
        // The writer stopped: its error says why.
        self.stop().and_then(|_| Err(self.stopped()))
    }

    fn stop(&mut self) -> Result<Written> {
        self.send = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(self.stopped()),
        }
    }

    /// The folder could not be written, with no error of the writer's to say why.
    fn stopped(&self) -> anyhow::Error {
        anyhow::anyhow!(crate::i18n::say(|w| fill(
            w.er_writing,
            &[&self.dir.display()]
        )))
    }

    /// Waits for every file, then until all are on the disk; what was written.
    pub fn finish(mut self) -> Result<Written> {
        let mut written = self.stop()?;
        written.append(&mut self.apart);
        let paths: Vec<_> = written.keys().map(|rel| self.dir.join(rel)).collect();
        sync_written(&self.dir, paths)?;
        Ok(written)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.stop();
    }
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
    clear_stale(dir, &name);
    sync_dir(dir)
}

/// Removes what a process killed while it wrote `name` left beside it: its
/// temporary file, which no process that still runs is writing.
fn clear_stale(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether a process of this id runs (Unix); elsewhere every writer is taken to run.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: kill with signal 0 only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}
