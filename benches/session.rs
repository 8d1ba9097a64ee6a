//! Time from the call to a durable decision (one write under the council's
//! lock, the event linked into the log's hash chain, committed) next to the
//! raw cost of an fsync on the same disk; first the percentiles (median, p99)
//! of each on a 200-unit council's log of 100 and of 100,000 events, on a
//! SQLite file (WAL, synchronous=FULL) and on a local PostgreSQL server (a
//! throwaway one on a Unix socket, fsync on, when PostgreSQL is installed),
//! with the time another connection takes to hear of a decision; then divan's figures.
//!
//! Run: `cargo bench --bench session`

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use divan::Bencher;

#[allow(dead_code)]
#[path = "../tests/common/pg.rs"]
mod pg;
use thamdinh::Points;
use thamdinh::appraisal::Change;
use thamdinh::session::{Ask, Session};

fn main() {
    if std::env::args().any(|a| a == "--bench") {
        percentiles();
    }
    divan::main();
}

/// Median and 99th percentile of `samples` (sorted here), in milliseconds.
fn median_p99(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at =
        |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
    (at(0.5), at(0.99))
}

/// Decision latency with the chain, beside a raw fsync, as percentiles, on a
/// 200-unit council with 100 and with 100,000 earlier events; then opening it.
fn percentiles() {
    const N: usize = 300;
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let folder = thamdinh::synth::cached_council(&target, 200).expect("the bench council");
    let c = thamdinh::load::load(&folder).expect("it loads");
    let leaves = two_valued(&c);
    let dir = scratch();
    let mut f = std::fs::File::create(dir.path().join("f")).expect("file");
    let fsync: Vec<Duration> = (0..N)
        .map(|_| {
            let t = Instant::now();
            f.write_all(&[0u8; 128]).expect("write");
            f.sync_data().expect("fsync");
            t.elapsed()
        })
        .collect();
    let (m, p) = median_p99(fsync);
    println!("raw fsync (128 bytes)                          median {m:6.2} ms   p99 {p:6.2} ms");
    let server = pg::server();
    processes(&folder, &c, &leaves, server);
    for earlier in [100usize, 100_000] {
        let dir = scratch();
        let mut places = vec![("SQLite", dir.path().join("session.db"))];
        if let Some(server) = server {
            places.push(("PostgreSQL", server.database().into()));
        }
        for (store, path) in places {
            on_store(&c, &leaves, store, &path, earlier, N, None);
        }
        // The same with every event signed by its recorder (the chair's key).
        let (keyed, recorder) = signed(&c);
        let dir = scratch();
        let mut places = vec![("SQLite+sig", dir.path().join("session.db"))];
        if let Some(server) = server {
            places.push(("PG+sig", server.database().into()));
        }
        for (store, path) in places {
            on_store(&keyed, &leaves, store, &path, earlier, N, Some(&recorder));
        }
    }
}

/// The council with a key for its chair `an`, and her recorder.
fn signed(
    c: &thamdinh::model::Council,
) -> (
    thamdinh::model::Council,
    thamdinh::session::acting::Recorder,
) {
    let kp = minisign::KeyPair::generate_unencrypted_keypair().expect("a key pair");
    let mut keyed = c.clone();
    let an = keyed
        .members
        .iter_mut()
        .find(|m| m.id == "an")
        .expect("the chair an");
    an.pubkey = Some(kp.pk.to_base64());
    let r = thamdinh::session::acting::Recorder::new(&keyed, "an", kp.sk).expect("her key");
    (keyed, r)
}

/// The percentiles of one store with `earlier` events before.
fn on_store(
    c: &thamdinh::model::Council,
    leaves: &[(String, String, [Points; 2])],
    store: &str,
    path: &Path,
    earlier: usize,
    n: usize,
    recorder: Option<&thamdinh::session::acting::Recorder>,
) {
    let mut s = Session::open(path, true).expect("session");
    s.set_recorder(recorder.cloned());
    // The earlier events, a thousand to a transaction, over many leaves.
    let ask = |i: usize| ask(leaves, i);
    for from in (0..earlier).step_by(1000) {
        let asks: Vec<Ask> = (from..(from + 1000).min(earlier)).map(ask).collect();
        s.decide_all(c, "an", &asks).expect("earlier events");
    }
    drop(s);
    // The first writing open after them reads them all once, and keeps a
    // snapshot of the state they add up to.
    let t = Instant::now();
    let mut s = Session::open(path, false).expect("session");
    s.state(c).expect("state");
    let once = t.elapsed().as_secs_f64() * 1e3;
    println!("{store:<10} first open after them (keeps a snapshot)       {once:6.2} ms");
    // A fresh connection, as a new process would have.
    drop(s);
    let mut s = Session::open(path, false).expect("session");
    s.set_recorder(recorder.cloned());
    // The first write of a connection reads the whole log once.
    let a = ask(earlier);
    let t = Instant::now();
    s.decide(c, "an", &a.unit, &a.code, &a.change, "bench")
        .expect("recorded");
    let first = t.elapsed().as_secs_f64() * 1e3;
    println!("{store:<10} first decision of a connection, {earlier:>6} earlier  {first:6.2} ms");
    let took: Vec<Duration> = (1..=n)
        .map(|i| {
            let a = ask(earlier + i);
            let t = Instant::now();
            s.decide(c, "an", &a.unit, &a.code, &a.change, "bench")
                .expect("recorded");
            t.elapsed()
        })
        .collect();
    let (m, p) = median_p99(took);
    println!(
        "{store:<10} decision, {earlier:>6} earlier events                median {m:6.2} ms   p99 {p:6.2} ms"
    );
    // Another connection (a screen) hears of a decision: the time from the
    // call to its first look that sees it, looking every millisecond.
    let mut other = Session::open(path, false).expect("session");
    while other.changed_elsewhere().expect("look") {}
    let heard: Vec<Duration> = (0..50)
        .map(|i| {
            let a = ask(earlier + n + 1 + i);
            let t = Instant::now();
            s.decide(c, "an", &a.unit, &a.code, &a.change, "bench")
                .expect("recorded");
            while !other.changed_elsewhere().expect("look") {
                std::thread::sleep(Duration::from_millis(1));
            }
            t.elapsed()
        })
        .collect();
    let (m, p) = median_p99(heard);
    println!(
        "{store:<10} heard by another connection, {earlier:>6} earlier median {m:6.2} ms   p99 {p:6.2} ms"
    );
    drop(s);
    drop(other);
    // A screen's start: open for writing (the chain checked from the
    // snapshot's event) and the state (the snapshot and the events after it).
    let opens: Vec<Duration> = (0..10)
        .map(|_| {
            let t = Instant::now();
            let mut s = Session::open(path, false).expect("session");
            assert!(s.chain_broken().is_none());
            s.state(c).expect("state");
            t.elapsed()
        })
        .collect();
    let (m, p) = median_p99(opens);
    let total = earlier + n + 51;
    println!(
        "{store:<10} opening it with its state, {total:>6} events    median {m:6.2} ms   p99 {p:6.2} ms"
    );
    // A reading command's open checks the whole chain and reads every event.
    let reads: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let s = Session::open_reading(path).expect("session");
            let events = s.events().expect("events");
            thamdinh::session::State::of(c, &events);
            t.elapsed()
        })
        .collect();
    let (m, p) = median_p99(reads);
    println!(
        "{store:<10} reading it whole (rank, log),  {total:>6} events  median {m:6.2} ms   p99 {p:6.2} ms"
    );
    // `log --verify`'s check of every event against the council's keys.
    let s = Session::open_reading(path).expect("session");
    let t = Instant::now();
    let since = s
        .verify_acts(c)
        .expect("read")
        .expect("every signature fits");
    let took = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "{store:<10} every event's signature checked, {total:>6} events  {took:8.1} ms (signed from {since:?})"
    );
}

/// Whole `thamdinh decide` processes (load the council, open the session,
/// one decision, exit) on a log of 100 and of 100,000 earlier events, on each
/// store, run in turn (100, 100,000, 100, …) so that the machine's drift
/// weighs on both alike: the median and p99 of 20 runs of each, and the
/// median of the pairs' ratios; then a screen's start to its first frame, the same way.
fn processes(
    folder: &Path,
    c: &thamdinh::model::Council,
    leaves: &[(String, String, [Points; 2])],
    server: Option<&'static pg::Server>,
) {
    const RUNS: usize = 20;
    const LENGTHS: [usize; 2] = [100, 100_000];
    // Another build can be timed on the same logs: THAMDINH_BENCH_EXE=<its binary>.
    let exe = std::env::var("THAMDINH_BENCH_EXE")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_thamdinh").to_string());
    let mut stores: Vec<&str> = vec!["SQLite"];
    if server.is_some() {
        stores.push("PostgreSQL");
    }
    for store in stores {
        // Both logs first, each with `earlier` events (their folders kept until the runs end).
        let mut dirs = Vec::new();
        let mut paths = Vec::new();
        for earlier in LENGTHS {
            let dir = scratch();
            let path = match (store, server) {
                ("PostgreSQL", Some(server)) => server.database(),
                _ => dir.path().join("session.db").display().to_string(),
            };
            let mut s = Session::open(Path::new(&path), true).expect("session");
            for from in (0..earlier).step_by(1000) {
                let asks: Vec<Ask> = (from..(from + 1000).min(earlier))
                    .map(|i| ask(leaves, i))
                    .collect();
                s.decide_all(c, "an", &asks).expect("earlier events");
            }
            drop(s);
            dirs.push(dir);
            paths.push(path);
        }
        let run = |which: usize, i: usize| {
            let a = ask(leaves, LENGTHS[which] + i);
            let Change::Points(p) = a.change else {
                unreachable!("levels leaves")
            };
            let t = Instant::now();
            let out = std::process::Command::new(&exe)
                .arg("decide")
                .arg(folder)
                .args([
                    "--session",
                    &paths[which],
                    "--member",
                    "an",
                    "--unit",
                    &a.unit,
                ])
                .args(["--code", &a.code, "--points", &p.to_string()])
                .args(["--comment", "bench"])
                .output()
                .expect("thamdinh runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            t.elapsed()
        };
        // The first of each keeps the snapshot of the state the earlier events add up to.
        run(0, 0);
        run(1, 0);
        let mut took: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
        for i in 1..=RUNS {
            for (which, runs) in took.iter_mut().enumerate() {
                runs.push(run(which, i));
            }
        }
        let mut starts: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
        for _ in 0..10 {
            for (runs, path) in starts.iter_mut().zip(&paths) {
                runs.push(first_frame(&exe, folder, path));
            }
        }
        for which in 0..2 {
            let (m, p) = median_p99(took[which].clone());
            println!(
                "{store:<10} a decide process, {:>6} earlier events  median {m:7.1} ms   p99 {p:7.1} ms",
                LENGTHS[which]
            );
            let (m, p) = median_p99(starts[which].clone());
            println!(
                "{store:<10} a screen's start (process, to its first frame), {:>6} earlier  median {m:7.1} ms   p99 {p:7.1} ms",
                LENGTHS[which]
            );
        }
        println!(
            "{store:<10} at 100,000 events against 100 (median of the pairs' ratios): a decide process {:.2}x, a screen's start {:.2}x",
            pair_ratio(&took),
            pair_ratio(&starts)
        );
    }
}

/// The median of the ratios of runs made in turn: the second length's over the first's.
fn pair_ratio(runs: &[Vec<Duration>; 2]) -> f64 {
    let mut r: Vec<f64> = runs[0]
        .iter()
        .zip(&runs[1])
        .map(|(a, b)| b.as_secs_f64() / a.as_secs_f64())
        .collect();
    r.sort_by(f64::total_cmp);
    r[r.len() / 2]
}

/// The time from starting `thamdinh open` in a 120×40 pseudo-terminal to the
/// first byte of its first frame; the screen is then closed.
fn first_frame(exe: &str, folder: &Path, session: &str) -> Duration {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(exe);
    cmd.arg("open");
    cmd.arg(folder);
    cmd.args(["--session", session]);
    cmd.env("TERM", "xterm-256color");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("thamdinh starts");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _keep = pair.master;
        let mut buf = [0u8; 65536];
        // The screen's first output is the switch to the alternate screen,
        // before anything is loaded: the first frame draws the header's name.
        let mut seen = Vec::new();
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&seen).contains("Xếp hạng") {
                let _ = tx.send(Instant::now());
                break;
            }
        }
    });
    let at = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("a first frame");
    let _ = child.kill();
    let _ = child.wait();
    at - started
}

/// The `i`th decision of a run over the council's levels leaves, alternating values.
fn ask(leaves: &[(String, String, [Points; 2])], i: usize) -> Ask {
    let (unit, code, values) = &leaves[i % leaves.len()];
    Ask {
        unit: unit.clone(),
        code: code.clone(),
        change: Change::Points(values[(i / leaves.len()) % 2]),
        comment: "earlier".into(),
        seen: None,
    }
}

/// Every levels leaf the council may decide, with two of its allowed values
/// (a decision alternates between them).
fn two_valued(c: &thamdinh::model::Council) -> Vec<(String, String, [Points; 2])> {
    use thamdinh::model::Rule;
    let mut out = Vec::new();
    for (u, unit) in c.units.iter().enumerate() {
        for (l, leaf) in c.framework_of(u).leaves.iter().enumerate() {
            if let Rule::Levels(levels) = &leaf.rule
                && levels.len() >= 2
                && !c.assessments[u].claims[l].na
            {
                let values = [levels[0].points, levels[1].points];
                out.push((unit.id.clone(), leaf.code.clone(), values));
            }
        }
    }
    assert!(out.len() > 1000, "the bench council has many levels leaves");
    out
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

/// `decide --from` a spreadsheet of 10,000 rows: read, checked row by row
/// against the council, and recorded in one transaction (a fresh session each
/// time), on a generated council of 200 units.
#[divan::bench(sample_count = 5)]
fn decide_from_10000_rows(bencher: Bencher) {
    use thamdinh::model::Rule;
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let folder = thamdinh::synth::cached_council(&target, 200).expect("the bench council");
    let c = thamdinh::load::load(&folder).expect("it loads");
    let mut csv = String::from("unit,code,points,comment\n");
    let mut rows = 0;
    'units: for (u, unit) in c.units.iter().enumerate() {
        for (l, leaf) in c.framework_of(u).leaves.iter().enumerate() {
            let points = match &leaf.rule {
                Rule::Survey => continue,
                Rule::Levels(levels) => levels.last().map_or(Points(0), |x| x.points),
                _ => Points(0),
            };
            if c.assessments[u].claims[l].na {
                continue;
            }
            csv += &format!("{},{},{points},Kiểm tra theo bảng\n", unit.id, leaf.code);
            rows += 1;
            if rows == 10_000 {
                break 'units;
            }
        }
    }
    assert_eq!(rows, 10_000, "the council has 10,000 decidable leaves");
    let dir = scratch();
    let file = dir.path().join("rows.csv");
    std::fs::write(&file, csv).expect("the spreadsheet");
    let mut n = 0;
    bencher
        .with_inputs(|| {
            n += 1;
            Session::open(&dir.path().join(format!("s{n}.db")), true).expect("session")
        })
        .bench_local_values(|mut s| {
            let rows = thamdinh::forms::batch::read(&file).expect("rows read");
            let asks: Vec<Ask> = rows
                .into_iter()
                .map(|r| Ask {
                    unit: r.unit,
                    code: r.code,
                    change: r.change.expect("a value"),
                    comment: r.comment,
                    seen: None,
                })
                .collect();
            s.decide_all(&c, "an", &asks).expect("all recorded").len()
        });
}
