//! Loads a council folder once and prints its size; for profiling the loader
//! and for timing it as a whole process against the floor of parsing the same
//! files into generic TOML tables.
//!
//! Run: `cargo run --release --example load_once -- <council-folder>`;
//! `-- --units 10000` loads (first writing) the generated council of that size
//! under `target/`; `--floor` only reads and parses its files with the toml
//! crate, on every core, and keeps nothing. Time either with
//! `/usr/bin/time -v target/release/examples/load_once …`.

use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let floor = args.iter().any(|a| a == "--floor");
    let dir = match args.iter().position(|a| a == "--units") {
        Some(i) => {
            let units = args
                .get(i + 1)
                .and_then(|n| n.parse().ok())
                .expect("--units takes a number");
            let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
            thamdinh::synth::cached_council(&target, units).expect("the generated council")
        }
        None => PathBuf::from(
            args.iter()
                .find(|a| !a.starts_with("--"))
                .map_or("data/demo", String::as_str),
        ),
    };
    let t = std::time::Instant::now();
    if floor {
        let n = thamdinh::synth::parse_floor(&dir);
        println!("{n} files parsed in {:?}", t.elapsed());
        return;
    }
    match thamdinh::load::load(&dir) {
        Ok(c) => {
            println!(
                "{} units loaded in {:?}{}",
                c.units.len(),
                t.elapsed(),
                memory()
            );
            // Left to the process's end, as the command line leaves it.
            std::mem::forget(c);
        }
        Err(d) => eprintln!("{d}"),
    }
}

/// The process's resident and peak memory, where Linux tells them.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?".to_string(), |v| v.trim().to_string())
    };
    format!("; resident {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
