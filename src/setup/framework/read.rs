//! Reading a framework's workbook: its header found wherever it stands, each row's cells as written, the bands' sheet, every problem by its cell.

use std::path::Path;

use calamine::{Data, Range};

use super::rules;
use super::toml::framework_toml;
use super::{
    BANDS, CODE, COLUMNS, EVIDENCE, GUIDE, KIND, MAX, MAX_INDEX, NA, NAME, RULE, SHEET, STEP,
    kind_of,
};
use crate::diag::Said;
use crate::forms::cells::{self, Problem};
use crate::forms::sheet::address;
use crate::i18n::fill;
use crate::model::{Band, Framework};
use crate::points::Points;

/// A sheet's cells and how one is named in a message.
pub(super) struct Grid<'a> {
    file: &'a str,
    sheet: String,
    range: Range<Data>,
}

impl Grid<'_> {
    pub(super) fn at(&self, r: u32, c: u32) -> String {
        format!("{}!{}", self.sheet, address(r, c))
    }

    pub(super) fn cell(&self, r: u32, c: u32) -> &Data {
        cells::cell(&self.range, r, c)
    }

    pub(super) fn problem(&self, r: u32, c: u32, message: Said) -> Problem {
        Problem {
            file: self.file.to_string(),
            at: self.at(r, c),
            message,
        }
    }

    /// The first row (from the top) whose cells name every title of `needed`:
    /// its index and each wanted column's place.
    fn header(&self, wanted: &[&[&str]], needed: &[usize]) -> Option<(u32, Vec<Option<u32>>)> {
        let (start, end) = (self.range.start()?, self.range.end()?);
        for r in start.0..=end.0 {
            let mut found = vec![None; wanted.len()];
            for c in start.1..=end.1 {
                let Some(t) = cells::text_line(self.cell(r, c)) else {
                    continue;
                };
                let t = t.to_lowercase();
                if let Some(i) = wanted.iter().position(|names| names.contains(&t.as_str())) {
                    found[i].get_or_insert(c);
                }
            }
            if needed.iter().all(|&i| found[i].is_some()) {
                return Some((r, found));
            }
        }
        None
    }
}

/// One row of the criteria sheet as written.
#[derive(Clone)]
pub(super) struct RowIn {
    pub(super) r: u32,
    pub(super) code: String,
    /// The code was a number in the sheet (a trailing zero may be lost).
    pub(super) typed_as_number: bool,
    pub(super) name: String,
    pub(super) max: Option<Points>,
    pub(super) kind: Option<&'static str>,
    pub(super) rule: Option<String>,
    pub(super) na: bool,
    pub(super) guide: Option<String>,
    pub(super) evidence: Option<String>,
}

/// What an import reads: the framework, checked, and its file's text.
#[derive(Debug)]
pub struct Imported {
    pub framework: Framework,
    pub toml: String,
}

/// Reads a framework from `file` (xlsx, ods): its criteria sheet and its bands'
/// sheet, every problem listed by its cell; the framework takes `id`, `year`
/// and, given, `name` (else the text above the header row).
pub fn import(
    file: &Path,
    id: &str,
    name: Option<&str>,
    year: i64,
) -> Result<Imported, Vec<Problem>> {
    let shown = file.display().to_string();
    let whole = |m: Said| vec![Problem::whole(&shown, m)];
    let (sheet, range) = cells::open_sheet(file, Some(SHEET)).map_err(whole)?;
    let grid = Grid {
        file: &shown,
        sheet,
        range,
    };
    let mut problems = Vec::new();
    let Some((header, columns)) = grid.header(&COLUMNS, &[CODE, NAME]) else {
        return Err(whole(Said::word(|w| w.su_no_header)));
    };
    let col = |i: usize| columns[i];
    let name = match name {
        Some(n) => Some(crate::text::line(n).trim().to_string()),
        None => title_above(&grid, header),
    }
    .filter(|n| !n.is_empty());
    if name.is_none() {
        problems.push(Problem::whole(&shown, Said::word(|w| w.su_no_name)));
    }
    let rows = read_rows(&grid, header, &col, &mut problems);
    if rows.is_empty() && problems.is_empty() {
        problems.push(grid.problem(header, 0, Said::word(|w| w.su_no_rows)));
    }
    let shape = rules::shape(&grid, &rows, &col, &mut problems);
    let (bands, max_index, step) = bands(file, &shown, &mut problems);
    let fw = rules::build(&grid, shape, &col, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let (fields, leaves) = fw;
    let framework = Framework {
        id: id.to_string(),
        name: name.unwrap_or_default(),
        year,
        step,
        bands,
        leaf_index: leaves
            .iter()
            .enumerate()
            .map(|(i, l)| (l.code.clone(), i))
            .collect(),
        fields,
        leaves,
        max_index,
        path: format!("frameworks/{id}.toml"),
    };
    let toml = framework_toml(&framework);
    // The file must load as the loader reads it: anything the checks above
    // missed is said, and nothing is written.
    match crate::load::framework_text(&framework.path, &toml) {
        Ok(_) => Ok(Imported { framework, toml }),
        Err(d) => Err(d
            .0
            .iter()
            .map(|d| Problem::whole(&shown, d.message.clone()))
            .collect()),
    }
}

/// The first text above the header row: the framework's name.
fn title_above(grid: &Grid<'_>, header: u32) -> Option<String> {
    let (start, end) = (grid.range.start()?, grid.range.end()?);
    (start.0..header)
        .find_map(|r| (start.1..=end.1).find_map(|c| cells::text_line(grid.cell(r, c))))
}

fn read_rows(
    grid: &Grid<'_>,
    header: u32,
    col: &dyn Fn(usize) -> Option<u32>,
    problems: &mut Vec<Problem>,
) -> Vec<RowIn> {
    let end = grid.range.end().map_or(header, |e| e.0);
    let get = |r: u32, i: usize| col(i).map_or(&Data::Empty, |c| grid.cell(r, c));
    let mut rows = Vec::new();
    for r in header + 1..=end {
        if (0..COLUMNS.len()).all(|i| cells::is_blank(get(r, i))) {
            continue;
        }
        let code_cell = get(r, CODE);
        let Some(code) = cells::text_line(code_cell) else {
            problems.push(grid.problem(r, col(CODE).unwrap_or(0), Said::word(|w| w.su_code_empty)));
            continue;
        };
        let name = cells::text_line(get(r, NAME)).unwrap_or_default();
        if name.is_empty() {
            let c = code.clone();
            problems.push(grid.problem(
                r,
                col(NAME).unwrap_or(0),
                Said::of(|w| fill(w.su_name_empty, &[&c])),
            ));
        }
        let max = match cells::points(get(r, MAX)) {
            Ok(m) => m,
            Err(m) => {
                problems.push(grid.problem(r, col(MAX).unwrap_or(0), m));
                None
            }
        };
        let kind = match cells::text_line(get(r, KIND)) {
            None => None,
            Some(k) => match kind_of(&k) {
                Some(k) => Some(k),
                None => {
                    let c = code.clone();
                    problems.push(grid.problem(
                        r,
                        col(KIND).unwrap_or(0),
                        Said::of(|w| fill(w.su_kind_unknown, &[&c, &k])),
                    ));
                    None
                }
            },
        };
        let na = match cells::text_line(get(r, NA)) {
            None => false,
            Some(x) if x.eq_ignore_ascii_case("x") => true,
            Some(other) => {
                let c = code.clone();
                problems.push(grid.problem(
                    r,
                    col(NA).unwrap_or(0),
                    Said::of(|w| fill(w.su_na_mark, &[&c, &other])),
                ));
                false
            }
        };
        rows.push(RowIn {
            r,
            typed_as_number: matches!(code_cell, Data::Float(_) | Data::Int(_)),
            code,
            name,
            max,
            kind,
            rule: cells::text_para(get(r, RULE)),
            na,
            guide: cells::text_para(get(r, GUIDE)),
            evidence: cells::text_para(get(r, EVIDENCE)),
        });
    }
    rows
}

/// The bands' sheet: the bands from the highest, the last from 0, then the
/// index's cap and the step where given.
fn bands(
    file: &Path,
    shown: &str,
    problems: &mut Vec<Problem>,
) -> (Vec<Band>, Option<Points>, Points) {
    let mut step = Points(25);
    let read = cells::open_sheet(file, Some(BANDS));
    let grid = match read {
        Ok((sheet, range))
            if crate::text::line(&sheet).trim().to_lowercase() == BANDS.to_lowercase() =>
        {
            Grid {
                file: shown,
                sheet,
                range,
            }
        }
        Ok(_) => {
            problems.push(Problem::whole(shown, Said::word(|w| w.su_no_band_sheet)));
            return (Vec::new(), None, step);
        }
        Err(m) => {
            problems.push(Problem::whole(shown, m));
            return (Vec::new(), None, step);
        }
    };
    let Some((header, cols)) = grid.header(&[&["xếp loại", "band"], &["từ", "min"]], &[0, 1])
    else {
        problems.push(Problem::whole(shown, Said::word(|w| w.su_band_header)));
        return (Vec::new(), None, step);
    };
    let (cn, cm) = (cols[0].unwrap_or(0), cols[1].unwrap_or(1));
    let end = grid.range.end().map_or(header, |e| e.0);
    let mut bands: Vec<Band> = Vec::new();
    let mut max_index = None;
    for r in header + 1..=end {
        let name = cells::text_line(grid.cell(r, cn));
        let value = grid.cell(r, cm);
        if name.is_none() && cells::is_blank(value) {
            continue;
        }
        let name = name.unwrap_or_default();
        let folded = name.to_lowercase();
        let figure = match cells::points(value) {
            Ok(v) => v,
            Err(m) => {
                problems.push(grid.problem(r, cm, m));
                continue;
            }
        };
        if MAX_INDEX.contains(&folded.as_str()) {
            match figure {
                Some(cap) if cap >= Points::whole(100) => max_index = Some(cap),
                Some(cap) => problems.push(grid.problem(
                    r,
                    cm,
                    Said::of(|w| fill(w.ld_max_index_below_100, &[&cap.short()])),
                )),
                None => problems.push(grid.problem(
                    r,
                    cm,
                    Said::of(|w| fill(w.su_setting_empty, &[&name])),
                )),
            }
            continue;
        }
        if STEP.contains(&folded.as_str()) {
            match figure {
                Some(s) if s > Points::ZERO => step = s,
                _ => problems.push(grid.problem(
                    r,
                    cm,
                    Said::of(|w| fill(w.su_setting_empty, &[&name])),
                )),
            }
            continue;
        }
        if name.is_empty() {
            problems.push(grid.problem(r, cn, Said::word(|w| w.su_band_name_empty)));
            continue;
        }
        let Some(min) = figure else {
            problems.push(grid.problem(
                r,
                cm,
                Said::of(|w| fill(w.su_band_from_missing, &[&name])),
            ));
            continue;
        };
        if min < Points::ZERO || min > Points::whole(100) {
            problems.push(grid.problem(
                r,
                cm,
                Said::of(|w| fill(w.su_band_from, &[&name, &min.short()])),
            ));
        }
        if let Some(prev) = bands.last()
            && min >= prev.min
        {
            let prev = prev.min.short();
            problems.push(grid.problem(
                r,
                cm,
                Said::of(|w| fill(w.su_band_not_decreasing, &[&name, &min.short(), &prev])),
            ));
        }
        bands.push(Band { name, min });
    }
    match bands.last() {
        None => problems.push(grid.problem(header, cn, Said::word(|w| w.su_band_none))),
        Some(last) if last.min != Points::ZERO => {
            let min = last.min.short();
            problems.push(Problem {
                file: shown.to_string(),
                at: grid.at(header + bands.len() as u32, cm),
                message: Said::of(|w| fill(w.su_band_last, &[&min])),
            });
        }
        Some(_) => {}
    }
    (bands, max_index, step)
}
