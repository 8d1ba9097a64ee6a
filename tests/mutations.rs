//! Never panic on input: hundreds of deterministic corruptions of a valid council
//! each either load or are refused with located messages.

mod common;

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
