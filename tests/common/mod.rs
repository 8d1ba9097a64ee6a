//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
pub mod xlsx;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder tree (a council) into `to`.
pub fn copy(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A fresh copy of tests/fixtures/mini.
#[allow(dead_code)]
pub fn mini_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&root().join("tests/fixtures/mini"), dir.path());
    dir
}

/// Whether a real program the tests check against is installed. In CI (`CI`
/// set) its absence fails the test, since `.ci/run` installs it; elsewhere the
/// check is skipped with a message naming the package that brings it.
#[allow(dead_code)]
pub fn program_available(program: &str, probe: &str, package: &str, skipped: &str) -> bool {
    let here = std::process::Command::new(program)
        .arg(probe)
        .output()
        .is_ok();
    if !here {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is missing; .ci/run installs it (apt-get install {package})"
        );
        eprintln!(
            "{program} is not installed: {skipped} are skipped (apt-get install {package} to run them)"
        );
    }
    here
}

/// LibreOffice (headless, with its profile in `profile`) converts `files` to
/// `to` (`xlsx:Calc MS Excel 2007 XML`, `ods`, …) into `outdir`.
#[allow(dead_code)]
pub fn soffice_convert(profile: &Path, to: &str, outdir: &Path, files: &[PathBuf]) {
    let o = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(outdir)
        .args(files)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
