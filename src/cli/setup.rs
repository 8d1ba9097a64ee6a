//! The commands that set a year up without writing TOML: `framework import|export`, `roster import`, `init --from`.

use std::path::Path;
use std::process::ExitCode;

use super::forms::{check_after, problems_text};
use super::{Failure, print, words};
use crate::i18n::fill;
use crate::setup;
use crate::text;

pub(super) fn framework_import(
    folder: &Path,
    file: Option<&Path>,
    id: &str,
    name: Option<&str>,
    replace: bool,
) -> Result<ExitCode, Failure> {
    let w = words();
    let Some(file) = file else {
        return Err(Failure::Usage(w.cli_framework_file_needed.to_string()));
    };
    let shown = text::line(&file.display().to_string());
    match setup::import_framework(folder, file, id, name, replace) {
        Ok(done) => {
            let fw = &done.framework;
            let criteria: usize = fw.fields.iter().map(|f| f.criteria.len()).sum();
            let kept = done
                .backup
                .map_or(String::new(), |b| fill(w.cli_old_kept, &[&b]));
            print(&fill(
                w.cli_framework_imported,
                &[
                    &shown,
                    &done.path,
                    &fw.fields.len(),
                    &criteria,
                    &fw.leaves.len(),
                    &fw.full_max().short(),
                    &kept,
                ],
            ));
            Ok(checked(folder))
        }
        Err(problems) => Err(refused(&problems, &shown)),
    }
}

pub(super) fn framework_export(
    folder: &Path,
    id: &str,
    output: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let w = words();
    let Some(output) = output else {
        return Err(Failure::Usage(w.cli_framework_output_needed.to_string()));
    };
    let bytes = setup::export_framework(folder, id)
        .map_err(|m| Failure::Refused(m.get(super::lang()).to_string()))?;
    crate::files::write_atomic(output, &bytes)?;
    print(&fill(
        w.cli_framework_exported,
        &[&text::line(&output.display().to_string()), &text::line(id)],
    ));
    Ok(ExitCode::SUCCESS)
}

pub(super) fn roster_import(folder: &Path, file: &Path) -> Result<ExitCode, Failure> {
    let w = words();
    let shown = text::line(&file.display().to_string());
    match setup::roster::import(folder, file) {
        Ok(done) => {
            let removed = if done.removed.is_empty() {
                String::new()
            } else {
                fill(w.cli_roster_removed, &[&done.removed.join(", ")])
            };
            print(&fill(
                w.cli_roster_imported,
                &[
                    &shown,
                    &done.units,
                    &done.added.len(),
                    &done.changed,
                    &done.removed.len(),
                    &removed,
                ],
            ));
            Ok(checked(folder))
        }
        Err(problems) => Err(refused(&problems, &shown)),
    }
}

pub(super) fn new_year(folder: &Path, last: &Path) -> Result<ExitCode, Failure> {
    let w = words();
    let done = setup::new_year::new_year(folder, last)?;
    let mut s = fill(
        w.cli_new_year,
        &[
            &text::line(&folder.display().to_string()),
            &done.year,
            &text::line(&last.display().to_string()),
            &done.units,
        ],
    );
    for f in &done.written {
        s += &format!("  {f}\n");
    }
    s += &match &done.previous {
        Some(p) => fill(w.cli_new_year_previous, &[&text::line(p)]),
        None => w.cli_new_year_no_previous.to_string(),
    };
    s += &fill(
        w.cli_new_year_next,
        &[&text::line(&folder.display().to_string())],
    );
    print(&s);
    Ok(ExitCode::SUCCESS)
}

/// The folder checked after a write, as `thamdinh check` does: exit 0 when it loads.
fn checked(folder: &Path) -> ExitCode {
    if check_after(folder, 0, 1) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A spreadsheet refused: its problems, then that nothing was written.
fn refused(problems: &[crate::forms::Problem], shown: &str) -> Failure {
    Failure::Refused(fill(
        words().cli_file_refused,
        &[&problems_text(problems), &shown],
    ))
}
