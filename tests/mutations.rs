//! Never panic on input: hundreds of deterministic corruptions of a valid council
//! each either load or are refused with located messages.

use crate::common;

use std::path::Path;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const FILES: [&str; 5] = [
    "council.toml",
    "frameworks/fw.toml",
    "assessments/a.toml",
    "assessments/b.toml",
    "surveys/s.toml",
];
const PIECES: [&[u8]; 12] = [
    b"\"",
    b"=",
    b"[[item]]\n",
    b"\n",
    b"0.125",
    b"-1",
    b"1e400",
    b"\xff",
    b"\x1b[2J",
    b"na = true\n",
    b"]",
    b"\"\"\"\n",
];

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    if bytes.is_empty() {
        bytes.extend_from_slice(PIECES[rng.below(PIECES.len())]);
        return;
    }
    let at = rng.below(bytes.len());
    match rng.below(5) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => {
            let end = (at + 1 + rng.below(40)).min(bytes.len());
            bytes.drain(at..end);
        }
        2 => {
            let piece = PIECES[rng.below(PIECES.len())];
            bytes.splice(at..at, piece.iter().copied());
        }
        3 => {
            // Duplicate a line.
            let start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let end = bytes[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| at + i + 1);
            let line = bytes[start..end].to_vec();
            bytes.splice(end..end, line);
        }
        _ => bytes.truncate(at),
    }
}

#[test]
fn corrupted_councils_never_panic_and_every_message_is_located() {
    let mini = common::root().join("tests/fixtures/mini");
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let (mut loaded, mut refused) = (0, 0);
    for round in 0..400 {
        let dir = tempfile::tempdir().unwrap();
        common::copy(&mini, dir.path());
        for _ in 0..1 + rng.below(3) {
            let file = dir.path().join(FILES[rng.below(FILES.len())]);
            let mut bytes = std::fs::read(&file).unwrap();
            mutate(&mut rng, &mut bytes);
            std::fs::write(&file, bytes).unwrap();
        }
        let result = std::panic::catch_unwind(|| thamdinh::load::load(dir.path()));
        match result {
            Err(_) => panic!(
                "round {round}: the loader panicked on {}",
                dir.keep().display()
            ),
            Ok(Ok(c)) => {
                loaded += 1;
                // What loads also ranks.
                thamdinh::score::self_standings(&c);
            }
            Ok(Err(diags)) => {
                refused += 1;
                assert!(!diags.is_empty());
                for d in &diags.0 {
                    assert!(d.line >= 1 && d.column >= 1, "round {round}: {d}");
                    assert!(
                        Path::new(&d.path).is_relative() || d.path.starts_with('/'),
                        "{d}"
                    );
                    assert!(
                        !d.to_string().contains('\u{1b}'),
                        "round {round}: an escape sequence reached a message: {d:?}"
                    );
                }
            }
        }
    }
    assert!(
        refused > 200,
        "most corruptions are refused ({refused} refused, {loaded} loaded)"
    );
}

/// What a careless office or a hostile zip does to a file's name or kind.
#[cfg(unix)]
fn mutate_kind(rng: &mut Rng, dir: &Path, rel: &str, outside: &Path) -> String {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;
    let path = dir.join(rel);
    let parent = path.parent().unwrap().to_path_buf();
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let rename = |to: &OsStr| std::fs::rename(&path, parent.join(to)).unwrap();
    let replace = |make: &dyn Fn(&Path)| {
        std::fs::remove_file(&path).unwrap();
        make(&path);
    };
    let fifo = common::mkfifo;
    let how = rng.below(13);
    match how {
        0 => rename(OsStr::from_bytes(
            &[stem.as_bytes(), b"\xff\xfe.toml"].concat(),
        )),
        1 => rename(OsStr::new(&format!("{}.TOML", stem.to_uppercase()))),
        2 => rename(OsStr::new(&format!("{stem}.toml "))),
        3 => rename(OsStr::new(&format!("\u{1b}[2J{stem}\u{7}.toml"))),
        4 => rename(OsStr::new(&format!("{}{stem}.toml", "x".repeat(240)))),
        5 => replace(&fifo),
        6 => replace(&|p| symlink("/dev/zero", p).unwrap()),
        7 => replace(&|p| {
            let f = p.with_extension("fifo");
            fifo(&f);
            symlink(&f, p).unwrap();
        }),
        8 => {
            let copy = outside.join(path.file_name().unwrap());
            std::fs::copy(&path, &copy).unwrap();
            replace(&|p| symlink(&copy, p).unwrap());
        }
        9 => replace(&|p| symlink(p.with_extension("gone"), p).unwrap()),
        10 => replace(&|p| std::fs::create_dir(p).unwrap()),
        11 => replace(&|p| symlink(p, p).unwrap()),
        _ => replace(&|p| std::fs::write(p, b"").unwrap()),
    }
    format!("{rel} #{how}")
}

/// Renamed, replaced by pipes, links, folders or empty files, and corrupted as
/// well: each council loads with every unit's self-assessment as before, or is
/// refused with located messages that carry no escape sequence. Never a panic,
/// never a hang, never a file skipped without a word.
#[cfg(unix)]
#[test]
fn file_names_and_kinds_changed_are_never_skipped_silently() {
    let mini = common::root().join("tests/fixtures/mini");
    let expected: Vec<String> = {
        let c = thamdinh::load::load(&mini).unwrap();
        let st = thamdinh::score::self_standings(&c);
        st.units.iter().map(|u| u.score.index_text()).collect()
    };
    let targets = [
        "council.toml",
        "frameworks/fw.toml",
        "assessments/a.toml",
        "assessments/b.toml",
        "surveys/s.toml",
        "evidence/kh-12.pdf",
    ];
    let mut rng = Rng(0x0bad_c0de_5eed_1234);
    let (mut loaded, mut refused) = (0, 0);
    for round in 0..200 {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        common::copy(&mini, dir.path());
        let mut done = Vec::new();
        let mut left: Vec<&str> = targets.to_vec();
        for _ in 0..1 + rng.below(2) {
            let rel = left.remove(rng.below(left.len()));
            done.push(mutate_kind(&mut rng, dir.path(), rel, outside.path()));
        }
        if rng.below(3) == 0 {
            // And a corruption of a file's text on top.
            let file = dir.path().join(FILES[rng.below(FILES.len())]);
            if std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file())
                && let Ok(mut bytes) = std::fs::read(&file)
            {
                mutate(&mut rng, &mut bytes);
                std::fs::write(&file, bytes).unwrap();
                done.push(format!("{} corrupted", file.display()));
            }
        }
        match common::load_within(dir.path()) {
            Ok(c) => {
                loaded += 1;
                let st = thamdinh::score::self_standings(&c);
                let now: Vec<String> = st.units.iter().map(|u| u.score.index_text()).collect();
                assert_eq!(
                    now, expected,
                    "round {round} ({done:?}): loaded, so every unit must count as before"
                );
            }
            Err(diags) => {
                refused += 1;
                assert!(!diags.is_empty());
                for d in &diags.0 {
                    assert!(d.line >= 1 && d.column >= 1, "round {round}: {d}");
                    let shown = d.to_string();
                    assert!(
                        !shown.contains(['\u{1b}', '\u{7}']),
                        "round {round} ({done:?}): a control character reached a message: {shown:?}"
                    );
                }
            }
        }
    }
    assert!(
        refused > 100 && loaded > 0,
        "{refused} refused, {loaded} loaded"
    );
}
