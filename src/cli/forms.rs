//! The commands that bring the units' forms in: `init`, `form`, `import`, `import-survey`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Failure, listed, print, words};
use crate::forms::{self, Problem};
use crate::i18n::fill;
use crate::model::Council;
use crate::text;
use crate::{Diagnostics, load};

/// A refusal that lists the council's own problems (council.toml, frameworks).
fn roster_refused(folder: &Path, d: Diagnostics) -> Failure {
    listed(folder, &d, words().cli_nothing_written_roster)
}

pub(super) fn problems_text(problems: &[Problem]) -> String {
    crate::forms::cells::render_all(problems, super::lang())
}

pub(super) fn init(folder: &Path) -> Result<ExitCode, Failure> {
    let written = forms::init::init(folder)?;
    let w = words();
    let mut s = fill(w.cli_init, &[&folder.display()]);
    for f in written {
        s += &format!("  {f}\n");
    }
    s += &fill(w.cli_init_next, &[&folder.display(), &folder.display()]);
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
                super::warn(&fill(words().cli_forms_blank, &[&folder.display()]));
                (c, false)
            }
            Err(d) => return Err(roster_refused(&folder, d)),
        },
    };
    let units: Vec<(usize, PathBuf)> = match &unit {
        Some(id) => {
            let u = council.unit_index(id).ok_or_else(|| {
                Failure::Refused(fill(words().cli_not_in_roster, &[&text::line(id)]))
            })?;
            vec![(u, output.to_path_buf())]
        }
        None => (0..council.units.len())
            .map(|u| (u, output.join(format!("{}.xlsx", council.units[u].id))))
            .collect(),
    };
    if !force && let Some((_, p)) = units.iter().find(|(_, p)| p.exists()) {
        return Err(Failure::Refused(fill(
            words().cli_form_exists,
            &[&p.display()],
        )));
    }
    let mut out = String::new();
    for (u, path) in units {
        let bytes = forms::write::form(&council, u, prefilled.then(|| &council.assessments[u]))?;
        forms::write_atomic(&path, &bytes)?;
        out += &fill(
            words().cli_wrote_form,
            &[&path.display(), &describe(&council, u, prefilled)],
        );
    }
    print(&out);
    Ok(ExitCode::SUCCESS)
}

fn describe(c: &Council, u: usize, prefilled: bool) -> String {
    let w = words();
    let fw = c.framework_of(u);
    let from = c.assessments[u]
        .file
        .as_ref()
        .filter(|_| prefilled)
        .map_or(w.cli_form_blank.to_string(), |f| {
            fill(w.cli_form_prefilled, &[&f.path])
        });
    fill(
        w.cli_form_what,
        &[&c.units[u].name, &fw.leaves.len(), &fw.id, &from],
    )
}

pub(super) fn import(folder: &Path, files: &[PathBuf], replace: bool) -> Result<ExitCode, Failure> {
    let report = forms::import(folder, files, replace).map_err(|d| roster_refused(folder, d))?;
    let w = words();
    let mut out = String::new();
    for i in &report.imported {
        out += &fill(
            w.cli_imported,
            &[
                &text::line(&i.form),
                &i.path,
                &i.unit,
                &i.items,
                &i.backup
                    .as_ref()
                    .map_or(String::new(), |b| fill(w.cli_old_kept, &[b])),
            ],
        );
    }
    print(&out);
    let mut failed = false;
    if !report.problems.is_empty() {
        let mut err = problems_text(&report.problems);
        for r in &report.refused {
            err += &fill(w.cli_form_refused, &[&text::line(r)]);
        }
        eprint!("{err}");
        failed = true;
    }
    failed |= !check_after(
        folder,
        report.refused.len(),
        report.refused.len() + report.imported.len(),
    );
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
    let words = words();
    match written {
        Ok(w) => {
            print(&fill(
                words.cli_imported_survey,
                &[
                    &text::line(&file.display().to_string()),
                    &w.path,
                    &w.results,
                    &w.backup
                        .map_or(String::new(), |b| fill(words.cli_old_kept, &[&b])),
                ],
            ));
            Ok(if check_after(folder, 0, 1) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Err(problems) => Err(Failure::Refused(fill(
            words.cli_file_refused,
            &[
                &problems_text(&problems),
                &text::line(&file.display().to_string()),
            ],
        ))),
    }
}

/// The folder checked after an import, printing what `thamdinh check` prints; whether it loads.
/// The folder checked after an import, as `thamdinh check` does; its "ok"
/// said only when every file of the call came in.
pub(super) fn check_after(folder: &Path, refused: usize, given: usize) -> bool {
    let summary = match super::show::checked(folder) {
        Ok(s) => s,
        Err(Failure::Refused(listing) | Failure::Usage(listing)) => {
            super::warn(&listing);
            return false;
        }
    };
    if refused == 0 {
        print(&summary);
        return true;
    }
    let w = words();
    let head = summary.strip_suffix(w.cli_check_ok).unwrap_or(&summary);
    print(head);
    print(&fill(
        w.cli_import_some_refused,
        &[&(given - refused), &refused, &given],
    ));
    true
}
