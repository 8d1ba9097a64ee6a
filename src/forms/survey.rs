//! Survey results (SIPAS) from a spreadsheet or a CSV into `surveys/<name>.toml`, refusing bad rows by their row.

use std::collections::HashMap;
use std::path::Path;

use calamine::Data;

use super::cells::{self, Problem, address};
use super::{toml_str, write_atomic};
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

/// A table read from a file: its rows of cells, and how a cell is named in messages.
struct Table {
    rows: Vec<Vec<Data>>,
    /// (row, column) 0-based → `Sheet!C5` or `5:3`.
    locate: Box<dyn Fn(usize, usize) -> String>,
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
    let whole = |m: String| {
        vec![Problem {
            file: shown.clone(),
            at: String::new(),
            message: m,
        }]
    };
    let name = text::line(name).trim().to_string();
    let slug = slug(&name);
    if slug.is_empty() {
        return Ok(Err(whole(
            "--name is empty; give the survey's name, e.g. \"Khảo sát sự hài lòng (SIPAS) 2025\""
                .into(),
        )));
    }
    let table = match read_table(file) {
        Ok(t) => t,
        Err(m) => return Ok(Err(whole(m))),
    };
    let mut problems = Vec::new();
    let mut at = |r: usize, c: usize, message: String| {
        problems.push(Problem {
            file: shown.clone(),
            at: (table.locate)(r, c),
            message,
        })
    };
    let Some(header) = table
        .rows
        .iter()
        .position(|r| r.iter().any(|c| !cells::is_blank(c)))
    else {
        return Ok(Err(whole(
            "holds no rows; give a header row (unit, code, points) and one row per result".into(),
        )));
    };
    let titles: Vec<String> = table.rows[header]
        .iter()
        .map(|c| cells::text_line(c).unwrap_or_default().to_lowercase())
        .collect();
    let find = |names: [&str; 2]| titles.iter().position(|t| names.contains(&t.as_str()));
    let (Some(cu), Some(cc), Some(cp)) = (find(UNIT), find(CODE), find(POINTS)) else {
        return Ok(Err(vec![Problem {
            file: shown.clone(),
            at: (table.locate)(header, 0),
            message: "the header row needs the columns unit, code and points (or Mã đơn vị, Mã tiêu chí, Điểm)".into(),
        }]));
    };
    let mut seen: HashMap<(usize, String), usize> = HashMap::new();
    let mut results = Vec::new();
    for (r, row) in table.rows.iter().enumerate().skip(header + 1) {
        let get = |c: usize| row.get(c).unwrap_or(&Data::Empty);
        if row.iter().all(cells::is_blank) {
            continue;
        }
        let Some(uid) = cells::text_line(get(cu)) else {
            at(r, cu, "the unit's id is empty".into());
            continue;
        };
        let Some(unit) = council.unit_index(&uid) else {
            at(
                r,
                cu,
                format!("unit `{uid}` is not in the roster of council.toml"),
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
                    format!(
                        "`{code}` is not a survey leaf of framework `{}` (unit `{uid}`); its survey leaves are {}",
                        fw.id,
                        survey.join(", ")
                    ),
                );
                continue;
            }
        };
        let p = match cells::points(get(cp)) {
            Ok(Some(p)) => p,
            Ok(None) => {
                at(r, cp, format!("{code}: the points are empty"));
                continue;
            }
            Err(m) => {
                at(r, cp, m);
                continue;
            }
        };
        if let Err(why) = score::check_survey_points(leaf, p) {
            at(r, cp, format!("{code}: {why}"));
            continue;
        }
        if let Some(first) = seen.insert((unit, code.clone()), r) {
            at(
                r,
                cu,
                format!(
                    "unit `{uid}`, {code} is given twice (first at {})",
                    (table.locate)(first, cu)
                ),
            );
            continue;
        }
        results.push((uid, code, p));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    if results.is_empty() {
        return Ok(Err(whole("holds no results under its header row".into())));
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
    let rel = format!("surveys/{slug}.toml");
    let target = folder.join(&rel);
    let mut backup = None;
    if target.exists() {
        if !replace {
            return Ok(Err(whole(format!(
                "{rel} exists; give --replace to replace it (the old file is kept as a .bak)"
            ))));
        }
        match super::keep_backup(&target) {
            Ok(b) => backup = Some(super::relative(folder, &b)),
            Err(e) => return Ok(Err(whole(format!("{e:#}")))),
        }
    }
    if let Err(e) = write_atomic(&target, s.as_bytes()) {
        return Ok(Err(whole(format!("{e:#}"))));
    }
    Ok(Ok(Written {
        path: rel,
        backup,
        results: results.len(),
    }))
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

fn read_table(file: &Path) -> Result<Table, String> {
    let is_csv = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        let (sheet, range) = cells::open_sheet(file, None)?;
        let start = range.start().unwrap_or((0, 0));
        let rows = range.rows().map(|r| r.to_vec()).collect();
        return Ok(Table {
            rows,
            locate: Box::new(move |r, c| {
                format!(
                    "{sheet}!{}",
                    address(start.0 + r as u32, start.1 + c as u32)
                )
            }),
        });
    }
    let meta = std::fs::metadata(file).map_err(|e| format!("cannot read the file: {e}"))?;
    if !meta.is_file() || meta.len() > cells::MAX_BYTES {
        return Err(
            "is not a regular file of a reasonable size; give the CSV of survey results".into(),
        );
    }
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read the file: {e}"))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let textual = std::str::from_utf8(bytes).map_err(|_| {
        "is not UTF-8; save it as \"CSV UTF-8\" (in Excel: Save As → CSV UTF-8)".to_string()
    })?;
    // Spreadsheets set to a decimal comma write `;` between fields.
    let first = textual.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') && !first.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(textual.as_bytes());
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| format!("is not a valid CSV: {e}"))?;
        lines.push(rec.position().map_or(0, |p| p.line()));
        rows.push(rec.iter().map(|f| Data::String(f.to_string())).collect());
    }
    Ok(Table {
        rows,
        locate: Box::new(move |r, c| format!("{}:{}", lines.get(r).copied().unwrap_or(0), c + 1)),
    })
}
