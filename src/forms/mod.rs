//! Excel forms in: the self-assessment form out to the units, filled forms and survey results back in, a new council folder.
//!
//! The council folder of `data-format.md` stays the one source of truth: a
//! form is made from it, and a filled form becomes `assessments/<unit>.toml`
//! only after every cell passed the same rules as a hand-written file.

pub mod batch;
pub mod cells;
pub mod explain;
pub mod init;
pub mod layout;
pub mod read;
pub mod sheet;
pub mod survey;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::diag::Said;
pub use crate::files::write_atomic;
use crate::i18n::fill;
use crate::load;
use crate::model::Council;
use crate::text;
pub use cells::Problem;

/// What one `import` did.
#[derive(Debug, Default)]
pub struct Report {
    /// Forms written, in the order given.
    pub imported: Vec<Imported>,
    /// Every problem of every refused form.
    pub problems: Vec<Problem>,
    /// The forms that wrote nothing, as named in messages.
    pub refused: Vec<String>,
}

#[derive(Debug)]
pub struct Imported {
    /// The form, as named in messages.
    pub form: String,
    pub unit: String,
    /// The assessment written, relative to the council folder.
    pub path: String,
    /// Where the assessment it replaced was kept, relative to the council folder.
    pub backup: Option<String>,
    /// Leaves the unit filled.
    pub items: usize,
}

/// Imports filled forms into `folder/assessments/`: each form with no problem
/// becomes its unit's assessment; a form with any problem writes nothing.
/// An existing assessment is replaced only with `replace`, and kept as `.bak`.
pub fn import(
    folder: &Path,
    files: &[PathBuf],
    replace: bool,
) -> Result<Report, crate::Diagnostics> {
    let council = load::load_roster(folder)?;
    let mut report = Report::default();
    // Explanation forms (a round's notice, filled) become explanations/.
    let (explained, files): (Vec<PathBuf>, Vec<PathBuf>) =
        files.iter().cloned().partition(|f| explain::is_form(f));
    for f in &explained {
        import_explanation(&council, folder, f, replace, &mut report);
    }
    let existing = existing_assessments(folder);
    let read = load::par_map(&files, |f| {
        let shown = f.display().to_string();
        let result = read::read(&council, f, &shown).and_then(|form| {
            let toml = assessment_toml(&council, &form, &shown);
            let unit = &council.units[form.unit].id;
            let rel = existing
                .get(unit.as_str())
                .cloned()
                .unwrap_or_else(|| format!("assessments/{unit}.toml"));
            match load::check_assessment(&council, folder, &rel, &toml) {
                Ok(_) => Ok((form, toml, rel)),
                Err(d) => Err(refused_made(&shown, &d, |w| w.fm_assessment_made_from_this)),
            }
        });
        (shown, result)
    });
    let mut taken: HashMap<usize, String> = HashMap::new();
    for (shown, result) in read {
        let refuse = |report: &mut Report, message: Said| {
            report.problems.push(Problem::whole(&shown, message));
            report.refused.push(shown.clone());
        };
        let (form, toml, rel) = match result {
            Ok(x) => x,
            Err(problems) => {
                report.problems.extend(problems);
                report.refused.push(shown.clone());
                continue;
            }
        };
        let unit = council.units[form.unit].id.clone();
        if let Some(first) = taken.get(&form.unit) {
            refuse(
                &mut report,
                Said::of(|w| fill(w.fm_unit_already_comes_this, &[&unit, &first])),
            );
            continue;
        }
        let is_existing = existing.contains_key(unit.as_str());
        if is_existing && !replace {
            refuse(
                &mut report,
                Said::of(|w| fill(w.fm_unit_already_self_assessment, &[&unit, &rel])),
            );
            continue;
        }
        if !is_existing && folder.join(&rel).exists() {
            refuse(
                &mut report,
                Said::of(|w| fill(w.fm_exists_unit_assessment_rename, &[&rel, &unit])),
            );
            continue;
        }
        let target = folder.join(&rel);
        let backup = if is_existing {
            match keep_backup(&target) {
                Ok(b) => Some(b),
                Err(e) => {
                    refuse(&mut report, Said::same(format!("{e:#}")));
                    continue;
                }
            }
        } else {
            None
        };
        if let Err(e) = write_atomic(&target, toml.as_bytes()) {
            refuse(&mut report, Said::same(format!("{e:#}")));
            continue;
        }
        taken.insert(form.unit, shown.clone());
        report.imported.push(Imported {
            form: shown,
            unit,
            path: rel,
            backup: backup.map(|b| relative(folder, &b)),
            items: form.items.len(),
        });
    }
    Ok(report)
}

/// One filled explanation form into `explanations/<unit>-<round>.toml`,
/// checked as a hand-written explanation; an existing one is replaced only
/// with `replace`, and kept as `.bak`.
fn import_explanation(
    council: &Council,
    folder: &Path,
    file: &Path,
    replace: bool,
    report: &mut Report,
) {
    let shown = file.display().to_string();
    let whole = |message: Said| vec![Problem::whole(&shown, message)];
    let done = (|| -> Result<Imported, Vec<Problem>> {
        let filled = explain::read(council, file, &shown)?;
        // Only a closed round is explained: the session must be past it.
        let now = crate::session::Session::round_at(&crate::session::place_of(folder))
            .map_err(|e| whole(Said::same(format!("{e:#}"))))?;
        if filled.round >= now {
            let round = filled.round;
            return Err(vec![Problem {
                file: shown.clone(),
                at: format!(
                    "{}!{}",
                    crate::export::notice::FORM_SHEET,
                    cells::address(1, 1)
                ),
                message: Said::of(|w| fill(w.ld_explanation_round_open, &[&round, &now])),
            }]);
        }
        let unit = council.units[filled.unit].id.clone();
        let rel = format!("explanations/{unit}-{}.toml", filled.round);
        load::check_explanation(council, folder, &rel, &filled.toml)
            .map_err(|d| refused_made(&shown, &d, |w| w.fm_explanation_made_from_this))?;
        let target = folder.join(&rel);
        let backup = match (target.exists(), replace) {
            (false, _) => None,
            (true, false) => {
                return Err(whole(Said::of(|w| fill(w.fm_explanation_exists, &[&rel]))));
            }
            (true, true) => Some(relative(
                folder,
                &keep_backup(&target).map_err(|e| whole(Said::same(format!("{e:#}"))))?,
            )),
        };
        write_atomic(&target, filled.toml.as_bytes())
            .map_err(|e| whole(Said::same(format!("{e:#}"))))?;
        Ok(Imported {
            form: shown.clone(),
            unit,
            path: rel,
            backup,
            items: filled.items,
        })
    })();
    match done {
        Ok(imported) => report.imported.push(imported),
        Err(problems) => {
            report.problems.extend(problems);
            report.refused.push(shown);
        }
    }
}

/// Unit id → the assessment file that names it (read leniently: a broken file
/// elsewhere in the folder must not stop a new form from coming in).
fn existing_assessments(folder: &Path) -> HashMap<String, String> {
    /// Only the `unit` a file names: nothing else of it is kept.
    #[derive(serde::Deserialize)]
    struct Names {
        unit: String,
    }
    // A missing or unreadable assessments/ simply holds no assessment yet.
    let files = load::read_dir_toml(folder, "assessments", &mut Vec::new());
    let units = load::par_map(&files, |rel| {
        // Only what the loader itself would read (never a pipe or a link out).
        let text = load::read_quietly(folder, rel)?;
        let names: Names = toml::from_str(text.trim_start_matches('\u{feff}')).ok()?;
        Some(names.unit)
    });
    let mut out = HashMap::new();
    for (rel, unit) in files.into_iter().zip(units) {
        if let Some(unit) = unit {
            out.entry(unit).or_insert(rel);
        }
    }
    out
}

/// Copies `path` to the first free `<name>.bak`, `<name>.bak.2`, … beside it.
pub(crate) fn keep_backup(path: &Path) -> Result<PathBuf> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .context(crate::i18n::say(|w| w.er_assessment_file_name.to_string()))?;
    let mut n = 1;
    let backup = loop {
        let candidate = if n == 1 {
            path.with_file_name(format!("{name}.bak"))
        } else {
            path.with_file_name(format!("{name}.bak.{n}"))
        };
        if !candidate.exists() {
            break candidate;
        }
        n += 1;
    };
    let bytes = std::fs::read(path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&path.display()])))?;
    write_atomic(&backup, &bytes)?;
    Ok(backup)
}

fn relative(folder: &Path, p: &Path) -> String {
    p.strip_prefix(folder)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The file a form's checked content became, refused by the loader's checks:
/// each of its problems said as one of the form's, in `template`'s words.
fn refused_made(
    shown: &str,
    d: &crate::Diagnostics,
    template: fn(&crate::i18n::Words) -> &'static str,
) -> Vec<Problem> {
    d.0.iter()
        .map(|d| {
            let message = Said::of(|w| fill(template(w), &[&d.render(crate::i18n::lang_of(w))]));
            Problem::whole(shown, message)
        })
        .collect()
}

/// One evidence document as an inline TOML table (`{ ref = "…", title = "…", file = "…" }`).
pub(crate) fn evidence_toml(e: &layout::EvidenceParts) -> String {
    let mut parts = vec![format!("ref = {}", toml_str(&e.reference))];
    if let Some(t) = &e.title {
        parts.push(format!("title = {}", toml_str(t)));
    }
    if let Some(f) = &e.file {
        parts.push(format!("file = {}", toml_str(f)));
    }
    if let Some(u) = &e.url {
        parts.push(format!("url = {}", toml_str(u)));
    }
    format!("{{ {} }}", parts.join(", "))
}

/// A TOML string literal, escaped.
pub fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The self-assessment file a checked form becomes, in the format of `data-format.md`.
pub fn assessment_toml(council: &Council, form: &read::Form, source: &str) -> String {
    let u = &council.units[form.unit];
    let fw = council.framework_of(form.unit);
    let source = Path::new(source)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut s = format!(
        "# Tự đánh giá Chỉ số CCHC năm {} — {} (nhập từ biểu mẫu {})\n",
        council.year,
        text::line(&u.name),
        text::line(&source)
    );
    s += &format!("unit = {}\n", toml_str(&u.id));
    s += &format!("framework = {}\n", toml_str(&fw.id));
    s += &format!("submitted = {}\n", form.submitted);
    if let Some(by) = &form.signed_by {
        s += &format!("signed_by = {}\n", toml_str(by));
    }
    for it in &form.items {
        s += &format!("\n[[item]]\ncode = {}\n", toml_str(&it.code));
        match (it.ratio, it.na) {
            (Some((n, d)), _) => s += &format!("numerator = {n}\ndenominator = {d}\n"),
            (None, true) => s += "na = true\n",
            (None, false) => {
                if let Some(p) = it.points {
                    s += &format!("points = {}\n", p.short());
                }
            }
        }
        if let Some(n) = &it.note {
            s += &format!("note = {}\n", toml_str(n));
        }
        if !it.evidence.is_empty() {
            s += "evidence = [\n";
            for e in &it.evidence {
                s += &format!("  {},\n", evidence_toml(e));
            }
            s += "]\n";
        }
    }
    s
}
