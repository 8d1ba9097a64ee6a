//! The Word papers printed to PDF by LibreOffice (`soffice --headless --convert-to pdf`), where it is installed.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// Whether LibreOffice's `soffice` can be run.
pub fn available() -> bool {
    std::process::Command::new("soffice")
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Prints each paper to `<name>.pdf` in `dir`, with a LibreOffice profile of
/// its own (so that an office suite open on the desktop is left alone);
/// returns the PDFs written.
pub fn print(papers: &[PathBuf], dir: &Path) -> Result<Vec<PathBuf>> {
    if papers.is_empty() {
        return Ok(Vec::new());
    }
    let profile = std::env::temp_dir().join(format!("thamdinh-soffice-{}", std::process::id()));
    let out = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            std::path::absolute(&profile)?.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .args(papers)
        .output();
    let _ = std::fs::remove_dir_all(&profile);
    let out = out?;
    let pdfs: Vec<PathBuf> = papers
        .iter()
        .filter_map(|p| p.file_stem())
        .map(|s| dir.join(s).with_extension("pdf"))
        .collect();
    if !out.status.success() || pdfs.iter().any(|p| !p.is_file()) {
        bail!(
            "soffice --convert-to pdf: {}",
            crate::text::line(&String::from_utf8_lossy(&out.stderr))
        );
    }
    Ok(pdfs)
}
