//! Time from the call to a durable decision (one IMMEDIATE transaction, WAL,
//! synchronous=FULL) next to the raw cost of an fsync on the same disk.
//!
//! Run: `cargo bench --bench session`

use std::io::Write;
use std::path::Path;

use divan::Bencher;
use thamdinh::Points;
use thamdinh::appraisal::Change;
use thamdinh::session::Session;

fn main() {
    divan::main();
}

/// A scratch folder on the same disk as the project (target/), not /tmp (often tmpfs).
fn scratch() -> tempfile::TempDir {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    tempfile::tempdir_in(base).expect("a scratch folder in target/")
}

#[divan::bench(sample_count = 300)]
fn decide_durably(bencher: Bencher) {
    let dir = scratch();
    let mini = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let c = thamdinh::load::load(&mini).expect("mini loads");
    let mut s = Session::open(&dir.path().join("session.db"), true).expect("session");
    let mut i = 0i64;
    bencher.bench_local(|| {
        i += 1;
        let h = (i % 9) * 25;
        s.decide(
            &c,
            "an",
            "xa-a",
            "1.1.2",
            &Change::Points(Points(h)),
            "bench",
        )
        .expect("recorded")
    });
}

#[divan::bench(sample_count = 300)]
fn raw_fsync(bencher: Bencher) {
    let dir = scratch();
    let mut f = std::fs::File::create(dir.path().join("f")).expect("file");
    bencher.bench_local(|| {
        f.write_all(&[0u8; 128]).expect("write");
        f.sync_data().expect("fsync");
    });
}
