//! The `thamdinh` binary: parses the command line and hands it to the library.

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args
        .get(1)
        .is_some_and(|a| a == thamdinh::forms::sheet::CHILD)
    {
        return thamdinh::forms::sheet::child(&args[2..]);
    }
    match thamdinh::cli::parse(args) {
        Ok(cli) => thamdinh::cli::run(cli),
        Err(code) => code,
    }
}
