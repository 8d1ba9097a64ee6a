//! The command `export`: the workbook, the minutes and the per-leaf CSV of the council's current result.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use super::{Failure, SessionArg, existing_session, load_council, print};
use crate::export::{self, Kind, Snapshot};
use crate::i18n::fill;

/// One export's format on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The workbook: a ranking sheet per group, the published annex, a sheet per unit.
    Xlsx,
    /// The minutes of the meeting (biên bản), printable on A4, with the annex.
    Html,
    /// One row per unit and leaf, for Excel (UTF-8 with a BOM).
    Csv,
    /// The minutes as a Word document (bien-ban.docx), per Nghị định 30.
    Docx,
    /// The draft decision publishing the result, with its annex (du-thao-quyet-dinh.docx).
    Decision,
}

impl ExportFormat {
    fn kind(self) -> Kind {
        match self {
            ExportFormat::Xlsx => Kind::Xlsx,
            ExportFormat::Html => Kind::Html,
            ExportFormat::Csv => Kind::Csv,
            ExportFormat::Docx => Kind::Minutes,
            ExportFormat::Decision => Kind::Decision,
        }
    }
}

/// The default folder of the exports: `<council>/export/`.
pub fn default_dir(folder: &Path) -> PathBuf {
    folder.join("export")
}

pub(super) fn export(
    folder: &Path,
    format: Option<ExportFormat>,
    output: Option<PathBuf>,
    pdf: bool,
    session: &SessionArg,
) -> Result<ExitCode, Failure> {
    let w = super::words();
    if pdf && !crate::export::pdf::available() {
        return Err(Failure::Refused(w.cli_pdf_needs_libreoffice.into()));
    }
    let wrote = |p: &Path| fill(w.cli_wrote, &[&p.display()]);
    let c = load_council(folder)?;
    let (state, events) = existing_session(&c, folder, &session.reading(folder)?)?;
    // Last year's result, compared in the workbook, once it verifies.
    let last = c
        .previous
        .as_ref()
        .and_then(|p| match crate::compare::previous(p) {
            Ok(last) => Some(last),
            Err(said) => {
                super::warn(said.get(super::lang()));
                None
            }
        });
    let snap = Snapshot::new(&c, &state, &events).with_previous(last.as_ref());
    let Some(format) = format else {
        if output.as_ref().is_some_and(|o| o.as_os_str() == "-") {
            return Err(Failure::Usage(w.cli_three_to_stdout.into()));
        }
        let dir = output.unwrap_or_else(|| default_dir(folder));
        let mut written = export::write_all(&dir, &snap)?;
        if pdf {
            let papers: Vec<PathBuf> = written
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "docx"))
                .cloned()
                .collect();
            written.extend(crate::export::pdf::print(&papers, &dir)?);
        }
        let mut s = String::new();
        for p in written {
            s += &wrote(&p);
        }
        print(&s);
        return Ok(ExitCode::SUCCESS);
    };
    let kind = format.kind();
    let bytes = export::render(kind, &snap)?;
    let out = output.unwrap_or_else(|| default_dir(folder).join(kind.file_name()));
    if out.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        if kind == Kind::Xlsx && stdout.is_terminal() {
            return Err(Failure::Usage(w.cli_xlsx_terminal.into()));
        }
        stdout
            .write_all(&bytes)
            .and_then(|()| stdout.flush())
            .map_err(|e| Failure::Refused(fill(w.cli_stdout_failed, &[&e])))?;
        return Ok(ExitCode::SUCCESS);
    }
    if out.is_dir() {
        let (dir, file) = (out.display(), out.join(kind.file_name()));
        return Err(Failure::Usage(fill(
            w.cli_output_is_dir,
            &[&dir, &file.display()],
        )));
    }
    crate::files::write_atomic(&out, &bytes)?;
    let mut s = wrote(&out);
    if pdf && out.extension().is_some_and(|e| e == "docx") {
        let dir = out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        for p in crate::export::pdf::print(std::slice::from_ref(&out), dir)? {
            s += &wrote(&p);
        }
    }
    print(&s);
    Ok(ExitCode::SUCCESS)
}
