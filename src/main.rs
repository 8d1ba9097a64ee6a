//! The `thamdinh` binary: parses the command line and hands it to the library.

fn main() -> std::process::ExitCode {
    match thamdinh::cli::parse(std::env::args_os().collect()) {
        Ok(cli) => thamdinh::cli::run(cli),
        Err(code) => code,
    }
}
