//! Loads a council folder once and prints its size; for profiling the loader.
//!
//! Run: `cargo run --release --example load_once -- <council-folder>`

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data/demo".into());
    let t = std::time::Instant::now();
    match thamdinh::load::load(std::path::Path::new(&dir)) {
        Ok(c) => println!("{} units loaded in {:?}", c.units.len(), t.elapsed()),
        Err(d) => eprintln!("{d}"),
    }
}
