//! Loading a 10,000-unit council (≈550,000 leaf items, ≈70 MB of TOML) against
//! the floor of parsing the same files with the toml crate alone, and
//! re-ranking after one changed leaf.
//!
//! Run: `cargo bench --bench load`

use std::path::{Path, PathBuf};

use divan::Bencher;
use thamdinh::Points;
use thamdinh::load::{load, par_map};
use thamdinh::score::{self, Score, Value};

const UNITS: usize = 10_000;

fn main() {
    divan::main();
}

/// The generated council, written once into target/ and reused.
fn council_dir() -> PathBuf {
    thamdinh::synth::cached_council(&Path::new(env!("CARGO_MANIFEST_DIR")).join("target"), UNITS)
        .expect("the bench council")
}

/// The floor: read every file and parse it into a `toml::Table`, on every core.
#[divan::bench(sample_count = 10)]
fn parse_only(bencher: Bencher) {
    let dir = council_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(dir.join("council.toml"));
    files.push(dir.join("surveys/sipas.toml"));
    bencher.bench(|| {
        par_map(&files, |p| {
            let text = std::fs::read_to_string(p).unwrap();
            toml::from_str::<toml::Table>(&text).unwrap().len()
        })
    });
}

/// Load + validate + rank: what `thamdinh rank` does.
#[divan::bench(sample_count = 10)]
fn load_validate_rank(bencher: Bencher) {
    let dir = council_dir();
    bencher.bench(|| {
        let c = load(&dir).unwrap();
        score::self_standings(&c).order.len()
    });
}

/// One leaf of one unit changes: its score is recomputed and its group re-ranked.
#[divan::bench]
fn rerank_after_one_leaf(bencher: Bencher) {
    let c = load(&council_dir()).unwrap();
    let mut standings = score::self_standings(&c);
    let unit = 4_321;
    let fw = c.framework_of(unit);
    let mut values: Vec<Value> = c.assessments[unit]
        .claims
        .iter()
        .map(|x| Value {
            points: x.points,
            na: x.na,
        })
        .collect();
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        values[0].points = if flip { Points::ZERO } else { Points::whole(2) };
        let s = Score::of(fw, values.iter().copied());
        standings.set_score(&c, unit, s);
        standings.units[unit].rank
    });
}

/// One assessment with 100,000 and 1,000,000 items that name no leaf: every
/// problem located and the listing rendered (capped per file), in time that
/// grows with the file, not with its square.
#[divan::bench(sample_count = 3, args = [100_000, 1_000_000])]
fn one_file_with_many_problems(bencher: Bencher, problems: usize) {
    let dir = tempfile::tempdir().expect("scratch");
    copy_mini(dir.path());
    let mut text = std::fs::read_to_string(dir.path().join("assessments/a.toml")).expect("mini");
    for i in 0..problems {
        text += &format!("\n[[item]]\ncode = \"9.9.{i}\"\npoints = 1\n");
    }
    std::fs::write(dir.path().join("assessments/a.toml"), text).expect("write");
    bencher.bench(|| {
        let d = load(dir.path()).expect_err("refused");
        d.render(thamdinh::i18n::Lang::Vi).len()
    });
}

fn copy_mini(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    for sub in ["", "assessments", "frameworks", "surveys", "evidence"] {
        std::fs::create_dir_all(to.join(sub)).expect("folder");
        let Ok(entries) = std::fs::read_dir(from.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().is_file() {
                std::fs::copy(e.path(), to.join(sub).join(e.file_name())).expect("copy");
            }
        }
    }
}
