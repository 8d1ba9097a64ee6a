//! Importing a province's forms: 150 filled self-assessment forms (xlsx) read,
//! every cell checked, written as assessments and the folder checked again.
//!
//! Run: `cargo bench --bench forms`

use std::path::{Path, PathBuf};

use divan::Bencher;

const UNITS: usize = 150;

fn main() {
    divan::main();
}

/// A generated 150-unit council and one pre-filled form per unit, made once.
fn setup() -> (tempfile::TempDir, PathBuf, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let council = dir.path().join("council");
    thamdinh::synth::write_council(&council, UNITS, 7).unwrap();
    let files = thamdinh::synth::write_forms(&council, &dir.path().join("forms")).unwrap();
    (dir, council, files)
}

/// A council folder like `from` with no assessments yet.
fn empty_copy(from: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    std::fs::copy(from.join("council.toml"), to.path().join("council.toml")).unwrap();
    for sub in ["frameworks", "surveys"] {
        std::fs::create_dir_all(to.path().join(sub)).unwrap();
        for e in std::fs::read_dir(from.join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.path().join(sub).join(e.file_name())).unwrap();
        }
    }
    std::fs::create_dir_all(to.path().join("assessments")).unwrap();
    to
}

/// The whole `thamdinh import`: read and check 150 forms, write 150 assessments, check the folder.
#[divan::bench(sample_count = 10)]
fn import_150_forms(bencher: Bencher) {
    let (_dir, council, files) = setup();
    bencher
        .with_inputs(|| empty_copy(&council))
        .bench_values(|target| {
            let report = thamdinh::forms::import(target.path(), &files, false).unwrap();
            assert_eq!(report.imported.len(), UNITS);
            thamdinh::load::load(target.path()).unwrap();
            target
        });
}

/// Reading and checking the 150 forms alone (no file written).
#[divan::bench(sample_count = 10)]
fn read_150_forms(bencher: Bencher) {
    let (_dir, council, files) = setup();
    let c = thamdinh::load::load_roster(&council).unwrap();
    bencher.bench(|| {
        thamdinh::load::par_map(&files, |f| {
            thamdinh::forms::read::read(&c, f, "form")
                .unwrap()
                .items
                .len()
        })
    });
}
