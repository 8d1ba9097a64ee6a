//! Survey results (SIPAS) from a spreadsheet or a CSV into `surveys/<name>.toml`, refusing bad rows by their row.

use std::collections::HashMap;
use std::path::Path;

use calamine::Data;

use super::cells::{self, Problem, read_table};
use super::{toml_str, write_atomic};
use crate::diag::Said;
use crate::i18n::fill;
use crate::load;
use crate::model::Rule;
use crate::score;
use crate::text;

/// Column titles accepted, English or Vietnamese (compared without case).
const UNIT: [&str; 2] = ["unit", "mã đơn vị"];
const CODE: [&str; 2] = ["code", "mã tiêu chí"];
const POINTS: [&str; 2] = ["points", "điểm"];

/// What an import of survey results wrote.
#[derive(Debug)]
pub struct Written {
    /// Relative to the council folder.
    pub path: String,
    pub backup: Option<String>,
    pub results: usize,
}

/// Reads `file` (xlsx, ods or csv), checks every row against the council and
/// writes `surveys/<slug of name>.toml`. Nothing is written when any row is bad.
pub fn import(
    folder: &Path,
    file: &Path,
    name: &str,
    replace: bool,
) -> Result<Result<Written, Vec<Problem>>, crate::Diagnostics> {
    let council = load::load_roster(folder)?;
    let shown = file.display().to_string();
    let whole = |m: Said| vec![Problem::whole(&shown, m)];
    let name = text::line(name).trim().to_string();
    let slug = slug(&name);
    if slug.is_empty() {
        return Ok(Err(whole(Said::word(|w| w.fm_name_empty_give_survey))));
    }
    let table = match read_table(file) {
        Ok(t) => t,
        Err(m) => return Ok(Err(whole(m))),
    };
    let mut problems = Vec::new();
    let mut at = |r: usize, c: usize, message: Said| {
        problems.push(Problem {
            file: shown.clone(),
            at: (table.locate)(r, c),
            message,
        })
    };
    let Some((header, titles)) = cells::titles(&table) else {
        return Ok(Err(whole(Said::word(|w| w.fm_holds_rows_give_header))));
    };
    let find = |names: [&str; 2]| titles.iter().position(|t| names.contains(&t.as_str()));
    let (Some(cu), Some(cc), Some(cp)) = (find(UNIT), find(CODE), find(POINTS)) else {
        return Ok(Err(vec![Problem {
            file: shown.clone(),
            at: (table.locate)(header, 0),
            message: Said::word(|w| w.fm_header_row_needs_columns),
        }]));
    };
    let mut seen: HashMap<(usize, String), usize> = HashMap::new();
    // What the other survey files give: a result given twice fails the whole folder.
    let rel = format!("surveys/{slug}.toml");
    let elsewhere = given_elsewhere(folder, &rel);
    let mut results = Vec::new();
    for (r, row) in table.rows.iter().enumerate().skip(header + 1) {
        let get = |c: usize| row.get(c).unwrap_or(&Data::Empty);
        if row.iter().all(cells::is_blank) {
            continue;
        }
        let Some(uid) = cells::text_line(get(cu)) else {
            at(r, cu, Said::word(|w| w.fm_unit_id_empty));
            continue;
        };
        let Some(unit) = council.unit_index(&uid) else {
            at(
                r,
                cu,
                Said::of(|w| fill(w.fm_unit_roster_council_toml_2, &[&uid])),
            );
            continue;
        };
        let fw = council.framework_of(unit);
        let code = cells::text_line(get(cc)).unwrap_or_default();
        let leaf = match fw.leaf(&code) {
            Some((_, l)) if l.rule == Rule::Survey => l,
            _ => {
                let survey: Vec<&str> = fw
                    .leaves
                    .iter()
                    .filter(|l| l.rule == Rule::Survey)
                    .map(|l| l.code.as_str())
                    .collect();
                at(
                    r,
                    cc,
                    Said::of(|w| {
                        fill(
                            w.fm_survey_leaf_framework_unit,
                            &[&code, &fw.id, &uid, &survey.join(", ")],
                        )
                    }),
                );
                continue;
            }
        };
        let p = match cells::points(get(cp)) {
            Ok(Some(p)) => p,
            Ok(None) => {
                at(r, cp, Said::of(|w| fill(w.fm_points_are_empty, &[&code])));
                continue;
            }
            Err(m) => {
                at(r, cp, m);
                continue;
            }
        };
        if let Err(why) = score::check_survey_points(leaf, p) {
            at(
                r,
                cp,
                Said::of(|w| format!("{code}: {}", crate::i18n::not_allowed(w, &why))),
            );
            continue;
        }
        if let Some(first) = seen.insert((unit, code.clone()), r) {
            at(
                r,
                cu,
                Said::of(|w| {
                    fill(
                        w.fm_unit_given_twice_first,
                        &[&uid, &code, &(table.locate)(first, cu)],
                    )
                }),
            );
            continue;
        }
        if let Some(other) = elsewhere.get(&(uid.clone(), code.clone())) {
            let other = other.clone();
            at(
                r,
                cu,
                Said::of(|w| fill(w.fm_survey_given_elsewhere, &[&uid, &code, &other])),
            );
            continue;
        }
        results.push((uid, code, p));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    if results.is_empty() {
        return Ok(Err(whole(Said::word(|w| w.fm_holds_results_under_header))));
    }
    let mut s = format!(
        "# Kết quả điều tra xã hội học, nhập từ {}\nname = {}\n",
        text::line(
            &file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ),
        toml_str(&name)
    );
    for (u, c, p) in &results {
        s += &format!(
            "\n[[result]]\nunit = {}\ncode = {}\npoints = {}\n",
            toml_str(u),
            toml_str(c),
            p.short()
        );
    }
    let target = folder.join(&rel);
    let mut backup = None;
    if target.exists() {
        if !replace {
            return Ok(Err(whole(Said::of(|w| {
                fill(w.fm_exists_give_replace_replace, &[&rel])
            }))));
        }
        match super::keep_backup(&target) {
            Ok(b) => backup = Some(super::relative(folder, &b)),
            Err(e) => return Ok(Err(whole(Said::same(format!("{e:#}"))))),
        }
    }
    if let Err(e) = write_atomic(&target, s.as_bytes()) {
        return Ok(Err(whole(Said::same(format!("{e:#}")))));
    }
    Ok(Ok(Written {
        path: rel,
        backup,
        results: results.len(),
    }))
}

/// The results the council's other survey files give (read leniently: a file
/// that does not parse is the loader's to name), each with its file.
fn given_elsewhere(folder: &Path, except: &str) -> HashMap<(String, String), String> {
    let mut given = HashMap::new();
    let Ok(entries) = std::fs::read_dir(folder.join("surveys")) else {
        return given;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("surveys/{name}");
        if !name.ends_with(".toml") || name.starts_with('.') || rel == except {
            continue;
        }
        let text = match entry.metadata() {
            Ok(m) if m.is_file() && m.len() <= load::MAX_FILE => {
                std::fs::read_to_string(entry.path()).unwrap_or_default()
            }
            _ => continue,
        };
        let Ok(table) = text.parse::<toml::Table>() else {
            continue;
        };
        let results = table.get("result").and_then(|r| r.as_array());
        for r in results.into_iter().flatten() {
            if let (Some(unit), Some(code)) = (
                r.get("unit").and_then(|v| v.as_str()),
                r.get("code").and_then(|v| v.as_str()),
            ) {
                given
                    .entry((text::line(unit), text::line(code)))
                    .or_insert_with(|| rel.clone());
            }
        }
    }
    given
}

/// A file name from a survey's name: `Khảo sát SIPAS 2025` → `khao-sat-sipas-2025`.
pub fn slug(name: &str) -> String {
    let folded = text::fold(name);
    let mut s = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').chars().take(80).collect()
}
