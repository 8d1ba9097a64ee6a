//! The `thamdinh` binary: parses the command line and hands it to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    thamdinh::cli::run(thamdinh::cli::Cli::parse())
}
