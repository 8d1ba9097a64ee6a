//! Median and p99 of the time from call to durable decision, next to a raw fsync,
//! on the disk that holds target/.
//!
//! Run: `cargo run --release --example decision_latency`

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use thamdinh::Points;
use thamdinh::appraisal::Change;
use thamdinh::session::Session;

fn percentiles(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[v.len() * 99 / 100])
}

fn main() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir_in(root.join("target"))?;
    let c = thamdinh::load::load(&root.join("tests/fixtures/mini"))
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    let mut s = Session::open(&dir.path().join("session.db"), true)?;
    let n = 1000;
    let mut decide = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        s.decide(
            &c,
            "an",
            "xa-a",
            "1.1.2",
            &Change::Points(Points((i as i64 % 9) * 25)),
            "đo",
        )?;
        decide.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let mut f = std::fs::File::create(dir.path().join("raw"))?;
    let mut fsync = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f.write_all(&[0u8; 128])?;
        f.sync_data()?;
        fsync.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let (dm, dp) = percentiles(decide);
    let (fm, fp) = percentiles(fsync);
    println!("durable decision ({n}): median {dm:.0} µs, p99 {dp:.0} µs");
    println!("raw write+fsync  ({n}): median {fm:.0} µs, p99 {fp:.0} µs");
    Ok(())
}
