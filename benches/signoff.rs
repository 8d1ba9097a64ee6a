//! Signing off a 10,000-unit council and verifying its signed folder, as whole
//! processes of the release binary (what a secretary runs): the median time of
//! three of each and the peak memory of each process (its maximum resident
//! set, from the system's accounting of the finished child). Between two
//! sign-offs the chair reopens and both members approve again, untimed.
//!
//! Run: `cargo bench --bench signoff`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const UNITS: usize = 10_000;
const RUNS: usize = 3;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let cached = thamdinh::synth::cached_council(&target, UNITS).expect("the bench council");
    let scratch = tempfile::tempdir_in(&target).expect("scratch");
    let folder = scratch.path().join("council");
    copy(&cached, &folder);
    let keys = scratch.path().join("keys");
    std::fs::create_dir_all(&keys).expect("keys");
    // Both members with keys, as a council that signs has them.
    let mut council = std::fs::read_to_string(folder.join("council.toml")).expect("council");
    for m in ["an", "binh"] {
        let pubkey =
            thamdinh::keys::generate(m, &keys.join(format!("{m}.key")), None).expect("a key");
        council = council.replacen(
            &format!("id = \"{m}\"\n"),
            &format!("id = \"{m}\"\npubkey = \"{pubkey}\"\n"),
            1,
        );
    }
    std::fs::write(folder.join("council.toml"), council).expect("council");
    let exe = env!("CARGO_BIN_EXE_thamdinh");
    let key = |m: &str| keys.join(format!("{m}.key")).display().to_string();
    let quiet = |args: &[&str]| {
        let out = Command::new(exe)
            .args(args)
            .output()
            .expect("thamdinh runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let f = folder.display().to_string();
    quiet(&["attend", &f, "--member", "an", "--key", &key("an")]);
    let written = ["--written", "Công văn số 1"];
    let binh = key("binh");
    quiet(
        &[
            &["attend", &f, "--member", "binh", "--key", &binh][..],
            &written[..],
        ]
        .concat(),
    );
    let mut signoffs = Vec::new();
    let mut verifies = Vec::new();
    for run in 0..RUNS {
        if run > 0 {
            quiet(&[
                "reopen",
                &f,
                "--member",
                "an",
                "--reason",
                "đo lại",
                "--key",
                &key("an"),
            ]);
        }
        for m in ["an", "binh"] {
            quiet(&["vote", &f, "--member", m, "--approve", "--key", &key(m)]);
        }
        signoffs.push(timed(
            exe,
            &["signoff", &f, "--member", "an", "--key", &key("an")],
        ));
        let signed = newest(&folder.join("signed"));
        verifies.push(timed(exe, &["verify", &signed.display().to_string()]));
    }
    report("a sign-off", signoffs);
    report("verify of its folder", verifies);
}

/// One process: its time and peak resident memory in bytes.
fn timed(exe: &str, args: &[&str]) -> (Duration, u64) {
    let t = Instant::now();
    // Reaped by wait4 below, which also gives its peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(exe)
        .args(args)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("thamdinh runs");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 waits for our own child and fills the two values given.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let took = t.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{args:?} failed"
    );
    (took, usage.ru_maxrss as u64 * 1024)
}

fn report(what: &str, mut runs: Vec<(Duration, u64)>) {
    let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
    runs.sort();
    let median = runs[runs.len() / 2].0;
    println!(
        "{UNITS} units, {what} (whole process): median {:.2} s of {}, peak {:.0} MB",
        median.as_secs_f64(),
        runs.len(),
        peak as f64 / 1e6
    );
}

/// The newest folder under `signed/`.
fn newest(signed: &Path) -> PathBuf {
    std::fs::read_dir(signed)
        .expect("signed/")
        .flatten()
        .map(|e| e.path())
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .expect("a signed folder")
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for e in std::fs::read_dir(from).expect("council").flatten() {
        let path = e.path();
        if path.is_dir() {
            copy(&path, &to.join(e.file_name()));
        } else {
            std::fs::copy(&path, to.join(e.file_name())).expect("copy");
        }
    }
}
