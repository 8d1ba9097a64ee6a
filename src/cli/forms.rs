//! The commands that bring the units' forms in: `init`, `form`, `import`, `import-survey`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Failure, listed, print};
use crate::forms::{self, Problem};
use crate::model::Council;
use crate::text;
use crate::{Diagnostics, load};

/// A refusal that lists the council's own problems (council.toml, frameworks).
fn roster_refused(folder: &Path, d: Diagnostics) -> Failure {
    listed(
        folder,
        &d,
        "found in council.toml or frameworks/; nothing was written",
    )
}

fn problems_text(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{p}\n")).collect()
}

pub(super) fn init(folder: &Path) -> Result<ExitCode, Failure> {
    let written = forms::init::init(folder)?;
    let mut s = format!("started a council folder at {}:\n", folder.display());
    for w in written {
        s += &format!("  {w}\n");
    }
    s += &format!(
        "next: edit council.toml and frameworks/, then `thamdinh check {0}` and `thamdinh form {0} --all -o bieu-mau` (README.txt says the rest)\n",
        folder.display()
    );
    print(&s);
    Ok(ExitCode::SUCCESS)
}

pub(super) fn form(
    folder: PathBuf,
    unit: Option<String>,
    output: &Path,
    force: bool,
) -> Result<ExitCode, Failure> {
    // Forms are pre-filled from the assessments when the whole folder loads;
    // a broken assessment elsewhere still lets blank forms be made.
    let (council, prefilled) = match load::load(&folder) {
        Ok(c) => (c, true),
        Err(_) => match load::load_roster(&folder) {
            Ok(c) => {
                eprintln!(
                    "thamdinh: the assessments of {} do not all load (see `thamdinh check`); the forms are written blank",
                    folder.display()
                );
                (c, false)
            }
            Err(d) => return Err(roster_refused(&folder, d)),
        },
    };
    let units: Vec<(usize, PathBuf)> = match &unit {
        Some(id) => {
            let u = council.unit_index(id).ok_or_else(|| {
                Failure::Refused(format!(
                    "thamdinh: unit `{}` is not in the roster of council.toml",
                    text::line(id)
                ))
            })?;
            vec![(u, output.to_path_buf())]
        }
        None => (0..council.units.len())
            .map(|u| (u, output.join(format!("{}.xlsx", council.units[u].id))))
            .collect(),
    };
    if !force && let Some((_, p)) = units.iter().find(|(_, p)| p.exists()) {
        return Err(Failure::Refused(format!(
            "thamdinh: {} exists (it may be a form a unit already filled); give --force to replace it, or another -o",
            p.display()
        )));
    }
    let mut out = String::new();
    for (u, path) in units {
        let bytes = forms::write::form(&council, u, prefilled.then(|| &council.assessments[u]))?;
        forms::write_atomic(&path, &bytes)?;
        out += &format!(
            "wrote {}: {}\n",
            path.display(),
            describe(&council, u, prefilled)
        );
    }
    print(&out);
    Ok(ExitCode::SUCCESS)
}

fn describe(c: &Council, u: usize, prefilled: bool) -> String {
    let fw = c.framework_of(u);
    let from = c.assessments[u]
        .file
        .as_ref()
        .filter(|_| prefilled)
        .map_or("blank".to_string(), |f| {
            format!("pre-filled from {}", f.path)
        });
    format!(
        "{} ({} leaves of {}, {from})",
        c.units[u].name,
        fw.leaves.len(),
        fw.id
    )
}

pub(super) fn import(folder: &Path, files: &[PathBuf], replace: bool) -> Result<ExitCode, Failure> {
    let report = forms::import(folder, files, replace).map_err(|d| roster_refused(folder, d))?;
    let mut out = String::new();
    for i in &report.imported {
        out += &format!(
            "imported {} → {} ({}: {} leaves filled{})\n",
            text::line(&i.form),
            i.path,
            i.unit,
            i.items,
            i.backup
                .as_ref()
                .map_or(String::new(), |b| format!("; the old file kept as {b}"))
        );
    }
    print(&out);
    let mut failed = false;
    if !report.problems.is_empty() {
        let mut err = problems_text(&report.problems);
        for r in &report.refused {
            err += &format!(
                "{}: refused; nothing was written for this form\n",
                text::line(r)
            );
        }
        eprint!("{err}");
        failed = true;
    }
    failed |= !check_after(folder);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(super) fn import_survey(
    folder: &Path,
    file: &Path,
    name: &str,
    replace: bool,
) -> Result<ExitCode, Failure> {
    let written = forms::survey::import(folder, file, name, replace)
        .map_err(|d| roster_refused(folder, d))?;
    match written {
        Ok(w) => {
            print(&format!(
                "imported {} → {} ({} results{})\n",
                text::line(&file.display().to_string()),
                w.path,
                w.results,
                w.backup
                    .map_or(String::new(), |b| format!("; the old file kept as {b}"))
            ));
            Ok(if check_after(folder) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Err(problems) => Err(Failure::Refused(format!(
            "{}{}: refused; nothing was written\n",
            problems_text(&problems),
            text::line(&file.display().to_string())
        ))),
    }
}

/// The folder checked after an import, printing what `thamdinh check` prints; whether it loads.
fn check_after(folder: &Path) -> bool {
    match super::check(folder) {
        Ok(_) => true,
        Err(Failure::Refused(listing) | Failure::Usage(listing)) => {
            eprint!("{listing}");
            false
        }
    }
}
