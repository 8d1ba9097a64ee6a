//! Loading a 10,000-unit council (≈550,000 leaf items, ≈70 MB of TOML) against
//! the floor of parsing the same files with the toml crate alone, and
//! re-ranking after one changed leaf; first, councils of 1,000, 10,000 and
//! 20,000 units against the same floor in the same run: the median time of
//! seven runs each, alternated, the median of their pairs' ratios, and the
//! peak of bytes allocated at once (counted by this benchmark's allocator).
//!
//! Run: `cargo bench --bench load`

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use divan::Bencher;
use thamdinh::Points;
use thamdinh::load::load;
use thamdinh::score::{self, Score, Value};

const UNITS: usize = 10_000;

fn main() {
    if std::env::args().any(|a| a == "--bench") {
        against_the_floor();
    }
    divan::main();
}

/// Counts the bytes allocated at once, and their peak since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(now, Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let now = LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
            PEAK.fetch_max(now, Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Seconds and the peak of bytes held at once, of one run of `f`.
fn once(f: impl Fn() -> usize) -> (f64, usize) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let t = Instant::now();
    std::hint::black_box(f());
    let took = t.elapsed().as_secs_f64();
    (took, PEAK.load(Relaxed) - base)
}

/// The middle of a list of figures.
fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// The load (kept until it is measured) against the floor, at three sizes:
/// seven pairs of runs, the floor and the load in turn, so that the ratio is
/// taken pair by pair while the machine's speed drifts.
fn against_the_floor() {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    for units in [1_000, 10_000, 20_000] {
        let dir = thamdinh::synth::cached_council(&target, units).expect("the bench council");
        let (mut floor, mut loaded, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        let (mut fm, mut lm) = (0, 0);
        for _ in 0..7 {
            let (ft, fp) = once(|| thamdinh::synth::parse_floor(&dir));
            let (lt, lp) = once(|| load(&dir).map_or(0, |c| c.units.len()));
            // The council's claims are freed on a thread of their own
            // (nobody waits for them): not during the next run.
            thamdinh::model::wait_freed();
            (fm, lm) = (fm.max(fp), lm.max(lp));
            floor.push(ft);
            loaded.push(lt);
            ratios.push(lt / ft);
        }
        let mb = |b: usize| b as f64 / (1024.0 * 1024.0);
        println!(
            "{units:>6} units: floor {:6.3} s {:7.1} MiB | load {:6.3} s {:7.1} MiB | {:.2}x time (median of the pairs), {:.2}x memory",
            median(floor),
            mb(fm),
            median(loaded),
            mb(lm),
            median(ratios),
            lm as f64 / fm as f64
        );
    }
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
    bencher.bench(|| thamdinh::synth::parse_floor(&dir));
}

/// Load + validate + rank: what `thamdinh rank` does.
#[divan::bench(sample_count = 10)]
fn load_validate_rank(bencher: Bencher) {
    let dir = council_dir();
    bencher
        .with_inputs(thamdinh::model::wait_freed)
        .bench_values(|()| {
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
