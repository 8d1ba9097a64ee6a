//! The comparison with last year at a province's scale: 10,000 units this
//! year against a previous result of 10,000 units (each unit continuing the
//! one of its id, every tenth a merger of two), the self-assessment gap and
//! the change, exact then rounded.
//!
//! Run: `cargo bench --bench compare`

use divan::Bencher;
use thamdinh::Points;
use thamdinh::compare::{LastYear, Previous};

const UNITS: usize = 10_000;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn compare_10000_against_10000(bencher: Bencher) {
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let folder = thamdinh::synth::cached_council(&target, UNITS).expect("the bench council");
    let mut c = thamdinh::load::load(&folder).expect("it loads");
    // Every tenth unit continues two of last year's.
    for (i, u) in c.units.iter_mut().enumerate() {
        if i % 10 == 0 {
            u.formerly = vec![u.id.clone(), format!("{}-old", u.id)];
        }
    }
    let mut previous = Previous::default();
    for (i, u) in c.units.iter().enumerate() {
        for id in [u.id.clone(), format!("{}-old", u.id)] {
            previous.units.insert(
                id.clone(),
                LastYear {
                    id,
                    name: u.name.clone(),
                    points: Points(7_000 + (i as i64 * 37) % 2_900),
                    max: Points(10_000),
                    band: "Tốt".into(),
                    rank: (i % 97) as u32 + 1,
                    cap: None,
                },
            );
        }
    }
    let standings = thamdinh::appraisal::Appraisal::default().standings(&c);
    bencher.bench(|| {
        let rows = thamdinh::compare::rows(&c, &standings, Some(&previous));
        thamdinh::compare::csv(&c, &rows).len()
    });
}
