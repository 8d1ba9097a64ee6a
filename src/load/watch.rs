//! Noticing that a loaded council's input files changed on disk, without walking the folder at every look.
//!
//! The file system says when something in the council folder, `frameworks/`,
//! `assessments/` or `surveys/` changed (inotify, on Linux): a look with no
//! news reads one non-blocking descriptor and stats nothing. Only news (or a
//! system without such notices) walks the folders and compares names, sizes
//! and modification times with the last walk, so a touched file that did not
//! change is not reported.

use std::path::{Path, PathBuf};

/// What the input files look like on disk: name, size, modification time.
type Stamp = Vec<(String, u64, Option<std::time::SystemTime>)>;

/// The folders whose files are inputs, besides the council folder itself.
const INPUTS: [&str; 3] = ["frameworks", "assessments", "surveys"];

/// Watches a council folder's input files from the moment it is made.
pub struct InputsWatch {
    folder: PathBuf,
    last: Stamp,
    notices: Option<Notices>,
}

impl InputsWatch {
    pub fn new(folder: &Path) -> InputsWatch {
        // Watching starts before the first walk, so nothing falls between them.
        let notices = Notices::start(folder);
        InputsWatch {
            folder: folder.to_path_buf(),
            last: stamp(folder),
            notices,
        }
    }

    /// The input files (relative names) that changed, appeared or went away
    /// since the last look that found some; empty when none did.
    pub fn changed(&mut self) -> Vec<String> {
        if let Some(n) = &mut self.notices
            && !n.news(&self.folder)
        {
            return Vec::new();
        }
        let now = stamp(&self.folder);
        if now == self.last {
            return Vec::new();
        }
        let mut changed: Vec<String> = now
            .iter()
            .filter(|f| !self.last.contains(f))
            .map(|f| f.0.clone())
            .collect();
        changed.extend(
            self.last
                .iter()
                .filter(|f| !now.iter().any(|n| n.0 == f.0))
                .map(|f| f.0.clone()),
        );
        self.last = now;
        changed
    }
}

/// What the input files look like on disk (name, size, modification time),
/// sorted by name within each folder.
fn stamp(folder: &Path) -> Stamp {
    let mut out = Vec::new();
    let mut look = |rel: String| {
        if let Ok(m) = std::fs::metadata(folder.join(&rel)) {
            out.push((rel, m.len(), m.modified().ok()));
        }
    };
    look("council.toml".into());
    for sub in INPUTS {
        let mut names: Vec<String> = std::fs::read_dir(folder.join(sub))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| format!("{sub}/{}", e.file_name().to_string_lossy()))
            .collect();
        names.sort();
        for rel in names {
            look(rel);
        }
    }
    out
}

#[cfg(target_os = "linux")]
struct Notices(inotify::Inotify);

#[cfg(target_os = "linux")]
impl Notices {
    /// Notices on the council folder and its input folders; none when the
    /// system refuses them (then every look walks the folders).
    fn start(folder: &Path) -> Option<Notices> {
        let mut n = Notices(inotify::Inotify::init().ok()?);
        n.0.watches().add(folder, Self::mask()).ok()?;
        n.watch_inputs(folder);
        Some(n)
    }

    fn mask() -> inotify::WatchMask {
        use inotify::WatchMask as M;
        M::MODIFY
            | M::ATTRIB
            | M::CREATE
            | M::DELETE
            | M::MOVED_FROM
            | M::MOVED_TO
            | M::DELETE_SELF
            | M::MOVE_SELF
    }

    /// Watches each input folder that exists (again: one made or replaced
    /// since is watched from now on).
    fn watch_inputs(&mut self, folder: &Path) {
        for sub in INPUTS {
            let _ = self.0.watches().add(folder.join(sub), Self::mask());
        }
    }

    /// Whether anything happened in the watched folders since the last look
    /// (read without waiting; an unreadable queue counts as news).
    fn news(&mut self, folder: &Path) -> bool {
        let mut buffer = [0u8; 4096];
        let mut any = false;
        loop {
            match self.0.read_events(&mut buffer) {
                Ok(events) => {
                    if events.count() == 0 {
                        break;
                    }
                    any = true;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(_) => return true,
            }
        }
        if any {
            self.watch_inputs(folder);
        }
        any
    }
}

#[cfg(not(target_os = "linux"))]
struct Notices;

#[cfg(not(target_os = "linux"))]
impl Notices {
    fn start(_: &Path) -> Option<Notices> {
        None
    }

    fn news(&mut self, _: &Path) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_added_or_removed_input_is_named_once_and_other_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path();
        std::fs::create_dir(f.join("assessments")).unwrap();
        std::fs::write(f.join("council.toml"), "a").unwrap();
        std::fs::write(f.join("assessments/a.toml"), "a").unwrap();
        let mut w = InputsWatch::new(f);
        assert!(w.changed().is_empty());
        std::fs::write(f.join("assessments/a.toml"), "ab").unwrap();
        assert_eq!(w.changed(), ["assessments/a.toml"]);
        assert!(w.changed().is_empty(), "said once");
        // A folder made after the watch began is watched too.
        std::fs::create_dir(f.join("surveys")).unwrap();
        std::fs::write(f.join("surveys/s.toml"), "s").unwrap();
        assert_eq!(w.changed(), ["surveys/s.toml"]);
        std::fs::write(f.join("surveys/s.toml"), "st").unwrap();
        assert_eq!(w.changed(), ["surveys/s.toml"]);
        std::fs::remove_file(f.join("assessments/a.toml")).unwrap();
        assert_eq!(w.changed(), ["assessments/a.toml"]);
        // The session, exports and evidence are not inputs.
        std::fs::create_dir(f.join(".thamdinh")).unwrap();
        std::fs::write(f.join(".thamdinh/session.db"), "x").unwrap();
        std::fs::create_dir(f.join("export")).unwrap();
        std::fs::write(f.join("export/x.csv"), "x").unwrap();
        assert!(w.changed().is_empty());
    }
}
