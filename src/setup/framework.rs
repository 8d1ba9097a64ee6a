//! A framework as a spreadsheet and back: the `Bộ tiêu chí` sheet (a row per field, criterion and sub-criterion) and the `Xếp loại` sheet of bands, checked cell by cell.
//!
//! The layout is the one of `forms-and-results.md`: a header row (found
//! wherever it stands) titled `Mã`, `Nội dung`, `Điểm tối đa`, `Loại`,
//! `Cách chấm`, `Không áp dụng`, `Hướng dẫn`, `Tài liệu kiểm chứng`; the
//! framework's name above it. Export then import gives back a framework that
//! scores every assessment identically.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use calamine::{Data, Range};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::diag::Said;
use crate::forms::cells::{self, Problem};
use crate::forms::layout::vi_points;
use crate::forms::sheet::address;
use crate::forms::toml_str;
use crate::i18n::fill;
use crate::model::{Band, Criterion, Field, Framework, Leaf, Level, RatioBand, Rule};
use crate::points::Points;
use crate::xlsx;

/// The framework's sheet and the bands' sheet.
pub const SHEET: &str = "Bộ tiêu chí";
pub const BANDS: &str = "Xếp loại";

/// The columns, in the order the export writes them: each title in
/// Vietnamese, then what else a header may say (compared without case).
const COLUMNS: [&[&str]; 8] = [
    &["mã", "code"],
    &["nội dung", "tên", "name"],
    &["điểm tối đa", "max"],
    &["loại", "kind"],
    &["cách chấm", "rule"],
    &["không áp dụng", "na"],
    &["hướng dẫn", "guide"],
    &["tài liệu kiểm chứng", "evidence"],
];
const CODE: usize = 0;
const NAME: usize = 1;
const MAX: usize = 2;
const KIND: usize = 3;
const RULE: usize = 4;
const NA: usize = 5;
const GUIDE: usize = 6;
const EVIDENCE: usize = 7;
const WIDTHS: [f64; 8] = [9.0, 52.0, 10.0, 12.0, 42.0, 11.0, 40.0, 32.0];

/// The settings below the bands: the index's cap and the step.
const MAX_INDEX: [&str; 2] = ["chỉ số tối đa", "max_index"];
const STEP: [&str; 2] = ["bước điểm", "step"];

/// A kind as the sheet writes it (Vietnamese), for a rule.
pub fn kind_vi(rule: &Rule) -> &'static str {
    match rule {
        Rule::Levels(_) => "mức",
        Rule::Range => "khoảng",
        Rule::Ratio(_) => "tỷ lệ",
        Rule::Deduction { .. } => "điểm trừ",
        Rule::Bonus => "điểm thưởng",
        Rule::Survey => "khảo sát",
    }
}

/// A kind as written in either language: its file name (`levels`, …).
fn kind_of(written: &str) -> Option<&'static str> {
    let k = written.trim().to_lowercase();
    Some(match k.as_str() {
        "mức" | "theo mức" | "levels" => "levels",
        "khoảng" | "theo khoảng" | "range" => "range",
        "tỷ lệ" | "tỉ lệ" | "theo tỷ lệ" | "theo tỉ lệ" | "ratio" => "ratio",
        "điểm trừ" | "deduction" => "deduction",
        "điểm thưởng" | "bonus" => "bonus",
        "khảo sát" | "survey" => "survey",
        _ => return None,
    })
}

// ---------------------------------------------------------------- export

/// The framework as a workbook a secretary can print and send: the
/// `Bộ tiêu chí` sheet and the `Xếp loại` sheet, A4 across, the header on
/// every page.
pub fn export(fw: &Framework) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    wb.set_properties(&xlsx::properties(&fw.name, (2000, 1, 1, 0, 0, 0))?);
    criteria_sheet(wb.add_worksheet(), fw)?;
    bands_sheet(wb.add_worksheet(), fw)?;
    Ok(wb.save_to_buffer()?)
}

fn criteria_sheet(ws: &mut Worksheet, fw: &Framework) -> Result<(), XlsxError> {
    ws.set_name(SHEET)?;
    let title = Format::new().set_bold().set_font_size(14);
    let head = xlsx::header(xlsx::CRITERION);
    let field = xlsx::heading(xlsx::FIELD);
    let criterion = xlsx::heading(xlsx::CRITERION);
    let text = xlsx::cell().set_text_wrap();
    let centre = xlsx::cell().set_align(FormatAlign::Center);
    let number = xlsx::cell().set_num_format("0.##");
    ws.write_string_with_format(0, 0, &fw.name, &title)?;
    const HEADER: u32 = 2;
    let titles = [
        "Mã",
        "Nội dung",
        "Điểm tối đa",
        "Loại",
        "Cách chấm",
        "Không áp dụng",
        "Hướng dẫn",
        "Tài liệu kiểm chứng",
    ];
    for (c, t) in titles.iter().enumerate() {
        ws.write_string_with_format(HEADER, c as u16, *t, &head)?;
    }
    let mut r = HEADER + 1;
    let heading = |ws: &mut Worksheet, r: u32, code: &str, name: &str, max: Points, f: &Format| {
        ws.write_string_with_format(r, CODE as u16, code, f)?;
        ws.write_string_with_format(r, NAME as u16, name, f)?;
        ws.write_number_with_format(r, MAX as u16, xlsx::number(max), f)?;
        for c in KIND..=EVIDENCE {
            ws.write_blank(r, c as u16, f)?;
        }
        ws.set_row_height(r, xlsx::row_height(&WIDTHS, &[(NAME as u16, name)]))
            .map(|_| ())
    };
    for f in &fw.fields {
        heading(ws, r, &f.code, &f.name, fw.max_of(&f.leaves), &field)?;
        r += 1;
        for c in &f.criteria {
            if !c.scored_itself(&fw.leaves) {
                heading(ws, r, &c.code, &c.name, fw.max_of(&c.leaves), &criterion)?;
                r += 1;
            }
            for leaf in &fw.leaves[c.leaves.clone()] {
                ws.write_string_with_format(r, CODE as u16, &leaf.code, &text)?;
                ws.write_string_with_format(r, NAME as u16, &leaf.name, &text)?;
                if matches!(leaf.rule, Rule::Deduction { .. }) {
                    ws.write_blank(r, MAX as u16, &number)?;
                } else {
                    ws.write_number_with_format(r, MAX as u16, xlsx::number(leaf.max), &number)?;
                }
                ws.write_string_with_format(r, KIND as u16, kind_vi(&leaf.rule), &text)?;
                let rule = rule_cell(&leaf.rule);
                ws.write_string_with_format(r, RULE as u16, &rule, &text)?;
                ws.write_string_with_format(r, NA as u16, if leaf.na { "x" } else { "" }, &centre)?;
                let guide = leaf.guide.as_deref().unwrap_or("");
                let evidence = leaf.evidence.as_deref().unwrap_or("");
                ws.write_string_with_format(r, GUIDE as u16, guide, &text)?;
                ws.write_string_with_format(r, EVIDENCE as u16, evidence, &text)?;
                let texts = [
                    (NAME as u16, leaf.name.as_str()),
                    (RULE as u16, rule.as_str()),
                    (GUIDE as u16, guide),
                    (EVIDENCE as u16, evidence),
                ];
                ws.set_row_height(r, xlsx::row_height(&WIDTHS, &texts))?;
                r += 1;
            }
        }
    }
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(HEADER + 1, 0)?;
    print_across(ws, HEADER)
}

fn bands_sheet(ws: &mut Worksheet, fw: &Framework) -> Result<(), XlsxError> {
    ws.set_name(BANDS)?;
    let head = xlsx::header(xlsx::CRITERION);
    let text = xlsx::cell();
    let number = xlsx::cell().set_num_format("0.##");
    ws.write_string_with_format(0, 0, "Xếp loại", &head)?;
    ws.write_string_with_format(0, 1, "Từ", &head)?;
    let mut r = 1;
    for b in &fw.bands {
        ws.write_string_with_format(r, 0, &b.name, &text)?;
        ws.write_number_with_format(r, 1, xlsx::number(b.min), &number)?;
        r += 1;
    }
    r += 1;
    if let Some(cap) = fw.max_index {
        ws.write_string_with_format(r, 0, "Chỉ số tối đa", &text)?;
        ws.write_number_with_format(r, 1, xlsx::number(cap), &number)?;
        r += 1;
    }
    ws.write_string_with_format(r, 0, "Bước điểm", &text)?;
    ws.write_number_with_format(r, 1, xlsx::number(fw.step), &number)?;
    ws.set_column_width(0, 24.0)?;
    ws.set_column_width(1, 10.0)?;
    print_across(ws, 0)
}

fn print_across(ws: &mut Worksheet, header: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header, header)?;
    ws.set_footer("&CTrang &P/&N");
    Ok(())
}

/// `Cách chấm` of a leaf, in the form the import reads: one level a line
/// (`0,5: Ban hành chậm`), one band a line (`≥ 98: 3`), a deduction's
/// largest value (`-2`); empty otherwise.
fn rule_cell(rule: &Rule) -> String {
    match rule {
        Rule::Levels(levels) => levels
            .iter()
            .map(|l| format!("{}: {}", vi_points(l.points), l.label))
            .collect::<Vec<_>>()
            .join("\n"),
        Rule::Ratio(bands) => bands
            .iter()
            .map(|b| format!("≥ {}: {}", vi_points(b.min), vi_points(b.points)))
            .collect::<Vec<_>>()
            .join("\n"),
        Rule::Deduction { min } => vi_points(*min),
        Rule::Range | Rule::Bonus | Rule::Survey => String::new(),
    }
}

// ---------------------------------------------------------------- import

/// A sheet's cells and how one is named in a message.
struct Grid<'a> {
    file: &'a str,
    sheet: String,
    range: Range<Data>,
}

impl Grid<'_> {
    fn at(&self, r: u32, c: u32) -> String {
        format!("{}!{}", self.sheet, address(r, c))
    }

    fn cell(&self, r: u32, c: u32) -> &Data {
        cells::cell(&self.range, r, c)
    }

    fn problem(&self, r: u32, c: u32, message: Said) -> Problem {
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
struct RowIn {
    r: u32,
    code: String,
    /// The code was a number in the sheet (a trailing zero may be lost).
    typed_as_number: bool,
    name: String,
    max: Option<Points>,
    kind: Option<&'static str>,
    rule: Option<String>,
    na: bool,
    guide: Option<String>,
    evidence: Option<String>,
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
    let shape = shape(&grid, &rows, &col, &mut problems);
    let (bands, max_index, step) = bands(file, &shown, &mut problems);
    let fw = build(&grid, shape, &col, &mut problems);
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

/// The rows as fields → criteria → sub-criteria, by their codes.
struct FieldIn {
    row: RowIn,
    criteria: Vec<CriterionIn>,
}

struct CriterionIn {
    row: RowIn,
    subs: Vec<RowIn>,
}

/// Places every row under its field and criterion by its code: a code's
/// parts are its depth; each starts with its parent's code, none repeats,
/// siblings in order.
fn shape(
    grid: &Grid<'_>,
    rows: &[RowIn],
    col: &dyn Fn(usize) -> Option<u32>,
    problems: &mut Vec<Problem>,
) -> Vec<FieldIn> {
    let code_col = col(CODE).unwrap_or(0);
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut fields: Vec<FieldIn> = Vec::new();
    let mut last_sibling: HashMap<String, &str> = HashMap::new();
    for row in rows {
        let code = row.code.as_str();
        let hint = |w: &'static crate::i18n::Words| {
            if row.typed_as_number {
                w.su_code_number_hint
            } else {
                ""
            }
        };
        let mut say = |message: Said| problems.push(grid.problem(row.r, code_col, message));
        let parts: Vec<&str> = code.split('.').collect();
        if parts
            .iter()
            .any(|p| p.trim().is_empty() || p.contains(char::is_whitespace))
        {
            say(Said::of(|w| fill(w.su_code_bad, &[&code])));
            continue;
        }
        if parts.len() > 3 {
            say(Said::of(|w| fill(w.su_code_deep, &[&code, &parts.len()])));
            continue;
        }
        if let Some(&first) = seen.get(code) {
            let at = grid.at(first, code_col);
            say(Said::of(|w| {
                format!("{}{}", fill(w.su_code_repeated, &[&code, &at]), hint(w))
            }));
            continue;
        }
        seen.insert(code, row.r);
        let parent = parts[..parts.len() - 1].join(".");
        // Siblings in order, where both codes end in a number.
        let last = parts[parts.len() - 1];
        if let Some(prev) = last_sibling.get(&parent) {
            let prev_last = prev.rsplit('.').next().unwrap_or("");
            if let (Ok(a), Ok(b)) = (prev_last.parse::<u64>(), last.parse::<u64>())
                && b <= a
            {
                let prev = prev.to_string();
                say(Said::of(|w| {
                    format!("{}{}", fill(w.su_code_order, &[&code, &prev]), hint(w))
                }));
                continue;
            }
        }
        last_sibling.insert(parent.clone(), code);
        let placed = match parts.len() {
            1 => {
                fields.push(FieldIn {
                    row: row.clone_row(),
                    criteria: Vec::new(),
                });
                true
            }
            2 => match fields.last_mut() {
                Some(f) if f.row.code == parent => {
                    f.criteria.push(CriterionIn {
                        row: row.clone_row(),
                        subs: Vec::new(),
                    });
                    true
                }
                _ => false,
            },
            _ => match fields.last_mut().and_then(|f| f.criteria.last_mut()) {
                Some(c) if c.row.code == parent => {
                    c.subs.push(row.clone_row());
                    true
                }
                _ => false,
            },
        };
        if !placed {
            let above = match parts.len() {
                2 => fields.last().map(|f| f.row.code.clone()),
                _ => fields
                    .last()
                    .and_then(|f| f.criteria.last())
                    .map(|c| c.row.code.clone()),
            };
            say(Said::of(|w| {
                let base = match &above {
                    Some(a) => fill(w.su_code_no_parent, &[&code, &parent, a]),
                    None => fill(w.su_code_before_field, &[&code]),
                };
                format!("{base}{}", hint(w))
            }));
        }
    }
    fields
}

impl RowIn {
    fn clone_row(&self) -> RowIn {
        RowIn {
            r: self.r,
            code: self.code.clone(),
            typed_as_number: self.typed_as_number,
            name: self.name.clone(),
            max: self.max,
            kind: self.kind,
            rule: self.rule.clone(),
            na: self.na,
            guide: self.guide.clone(),
            evidence: self.evidence.clone(),
        }
    }
}

/// The fields and their leaves, every rule checked.
fn build(
    grid: &Grid<'_>,
    shape: Vec<FieldIn>,
    col: &dyn Fn(usize) -> Option<u32>,
    problems: &mut Vec<Problem>,
) -> (Vec<Field>, Vec<Leaf>) {
    let c = |i: usize| col(i).unwrap_or(0);
    let mut fields = Vec::new();
    let mut leaves: Vec<Leaf> = Vec::new();
    for f in shape {
        let field_index = fields.len();
        let first = leaves.len();
        heading_only(grid, &f.row, &c, problems);
        let mut criteria = Vec::new();
        let mut whole = true;
        for cr in f.criteria {
            let c_first = leaves.len();
            if cr.subs.is_empty() {
                match leaf(grid, &cr.row, field_index, &c, problems) {
                    Some(l) => leaves.push(l),
                    None => whole = false,
                }
            } else {
                heading_only(grid, &cr.row, &c, problems);
                let before = leaves.len();
                for s in &cr.subs {
                    match leaf(grid, s, field_index, &c, problems) {
                        Some(l) => leaves.push(l),
                        None => whole = false,
                    }
                }
                if whole {
                    sum_check(grid, &cr.row, &leaves[before..], &c, problems);
                }
            }
            criteria.push(Criterion {
                code: cr.row.code.clone(),
                name: cr.row.name.clone(),
                leaves: c_first..leaves.len(),
            });
        }
        if f.row.max.is_some() && whole {
            sum_check(grid, &f.row, &leaves[first..], &c, problems);
        }
        fields.push(Field {
            code: f.row.code.clone(),
            name: f.row.name.clone(),
            criteria,
            leaves: first..leaves.len(),
        });
    }
    (fields, leaves)
}

/// A heading row (a field, a criterion with sub-criteria) is not scored itself.
fn heading_only(
    grid: &Grid<'_>,
    row: &RowIn,
    c: &dyn Fn(usize) -> u32,
    problems: &mut Vec<Problem>,
) {
    let code = row.code.clone();
    if row.kind.is_some() {
        problems.push(grid.problem(
            row.r,
            c(KIND),
            Said::of(|w| fill(w.su_kind_on_heading, &[&code])),
        ));
    }
    if row.na {
        problems.push(grid.problem(row.r, c(NA), Said::of(|w| fill(w.su_na_heading, &[&code]))));
    }
}

/// A heading's max, where given, is the sum of its leaves' (a bonus leaf's not counted).
fn sum_check(
    grid: &Grid<'_>,
    row: &RowIn,
    leaves: &[Leaf],
    c: &dyn Fn(usize) -> u32,
    problems: &mut Vec<Problem>,
) {
    let Some(declared) = row.max else { return };
    let sum: Points = leaves.iter().map(Leaf::counted_max).sum();
    if declared != sum {
        let code = row.code.clone();
        problems.push(grid.problem(
            row.r,
            c(MAX),
            Said::of(|w| fill(w.su_max_sum, &[&code, &declared.short(), &sum.short()])),
        ));
    }
}

fn leaf(
    grid: &Grid<'_>,
    row: &RowIn,
    field: usize,
    c: &dyn Fn(usize) -> u32,
    problems: &mut Vec<Problem>,
) -> Option<Leaf> {
    let before = problems.len();
    let code = row.code.clone();
    let mut say = |col: usize, message: Said| problems.push(grid.problem(row.r, c(col), message));
    let Some(kind) = row.kind else {
        say(KIND, Said::of(|w| fill(w.su_kind_missing, &[&code])));
        return None;
    };
    let rule_text = row.rule.as_deref().unwrap_or("");
    let mut max = row.max.unwrap_or(Points::ZERO);
    if let Some(m) = row.max
        && m < Points::ZERO
        && kind != "deduction"
    {
        say(
            MAX,
            Said::of(|w| fill(w.su_max_negative, &[&code, &m.short()])),
        );
    }
    if row.max.is_none() && kind != "deduction" {
        let kind_vi = kind_vi_of(kind);
        say(
            MAX,
            Said::of(|w| fill(w.su_max_missing, &[&code, &kind_vi])),
        );
    }
    let rule = match kind {
        "levels" => {
            let mut levels: Vec<Level> = Vec::new();
            for (n, line) in lines(rule_text) {
                let Some((p, label)) = line.split_once(':').and_then(|(p, l)| {
                    let p = number(p.trim().trim_end_matches("điểm").trim())?;
                    Some((p, l.trim().to_string()))
                }) else {
                    let line = line.to_string();
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_level_line, &[&code, &n, &line])),
                    );
                    continue;
                };
                if p < Points::ZERO || p > max {
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_level_outside, &[&code, &p.short(), &max.short()])),
                    );
                }
                if levels.iter().any(|l| l.points == p) {
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_level_twice, &[&code, &p.short()])),
                    );
                }
                levels.push(Level { points: p, label });
            }
            if levels.is_empty() && problems.len() == before {
                problems.push(grid.problem(
                    row.r,
                    c(RULE),
                    Said::of(|w| fill(w.su_levels_missing, &[&code])),
                ));
            }
            Rule::Levels(levels)
        }
        "ratio" => {
            let mut bands: Vec<RatioBand> = Vec::new();
            for (n, line) in lines(rule_text) {
                let parsed = line
                    .strip_prefix('≥')
                    .or_else(|| line.strip_prefix(">="))
                    .and_then(|rest| rest.split_once(':'))
                    .and_then(|(m, p)| {
                        let m = number(m.trim().trim_end_matches('%').trim())?;
                        let p = number(p.trim().trim_end_matches("điểm").trim())?;
                        Some((m, p))
                    });
                let Some((min, p)) = parsed else {
                    let line = line.to_string();
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_band_line, &[&code, &n, &line])),
                    );
                    continue;
                };
                if min < Points::ZERO || min > Points::whole(100) {
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_ratio_min, &[&code, &min.short()])),
                    );
                }
                if let Some(prev) = bands.last()
                    && min >= prev.min
                {
                    let prev = prev.min.short();
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_ratio_order, &[&code, &min.short(), &prev])),
                    );
                }
                if p < Points::ZERO || p > max {
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_ratio_points, &[&code, &p.short(), &max.short()])),
                    );
                }
                bands.push(RatioBand { min, points: p });
            }
            if bands.is_empty() && problems.len() == before {
                problems.push(grid.problem(
                    row.r,
                    c(RULE),
                    Said::of(|w| fill(w.su_bands_missing, &[&code])),
                ));
            }
            Rule::Ratio(bands)
        }
        "deduction" => {
            // The largest deduction: `Cách chấm` (-2, or 2), else a negative max.
            let written = lines(rule_text).next().and_then(|(_, l)| number(l));
            if row.max.is_some_and(|x| x > Points::ZERO) {
                say(MAX, Said::of(|w| fill(w.su_deduction_max, &[&code])));
            }
            let min = match (written, row.max) {
                (Some(m), _) if m != Points::ZERO => Some(Points(-m.hundredths().abs())),
                (None, Some(x)) if x < Points::ZERO => Some(x),
                _ => {
                    say(RULE, Said::of(|w| fill(w.su_deduction_min, &[&code])));
                    None
                }
            };
            max = Points::ZERO;
            Rule::Deduction {
                min: min.unwrap_or(Points(-1)),
            }
        }
        "range" => Rule::Range,
        "bonus" => Rule::Bonus,
        _ => Rule::Survey,
    };
    if problems.len() > before {
        return None;
    }
    Some(Leaf {
        code: row.code.clone(),
        name: row.name.clone(),
        max,
        rule,
        guide: row.guide.clone(),
        evidence: row.evidence.clone(),
        na: row.na,
        field,
    })
}

fn kind_vi_of(kind: &str) -> &'static str {
    match kind {
        "levels" => "mức",
        "range" => "khoảng",
        "ratio" => "tỷ lệ",
        "deduction" => "điểm trừ",
        "bonus" => "điểm thưởng",
        _ => "khảo sát",
    }
}

/// The non-blank lines of a cell, numbered from 1.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// A number as a person types it (`0,5`, `1.25`, `-2`), at most two decimals.
fn number(text: &str) -> Option<Points> {
    cells::points(&Data::String(text.to_string()))
        .ok()
        .flatten()
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

// ---------------------------------------------------------------- TOML

/// A framework as the TOML file the loader reads (`data-format.md`).
pub fn framework_toml(fw: &Framework) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "id = {}", toml_str(&fw.id));
    let _ = writeln!(s, "name = {}", toml_str(&fw.name));
    let _ = writeln!(s, "year = {}", fw.year);
    let _ = writeln!(s, "step = {}", fw.step.short());
    if let Some(cap) = fw.max_index {
        let _ = writeln!(s, "max_index = {}", cap.short());
    }
    for b in &fw.bands {
        let _ = write!(
            s,
            "\n[[band]]\nname = {}\nmin = {}\n",
            toml_str(&b.name),
            b.min.short()
        );
    }
    for f in &fw.fields {
        let _ = write!(
            s,
            "\n[[field]]\ncode = {}\nname = {}\nmax = {}\n",
            toml_str(&f.code),
            toml_str(&f.name),
            fw.max_of(&f.leaves).short()
        );
        for c in &f.criteria {
            let _ = write!(
                s,
                "\n  [[field.criterion]]\n  code = {}\n  name = {}\n",
                toml_str(&c.code),
                toml_str(&c.name)
            );
            if c.scored_itself(&fw.leaves) {
                leaf_toml(&mut s, &fw.leaves[c.leaves.start], "  ");
                continue;
            }
            for l in &fw.leaves[c.leaves.clone()] {
                let _ = write!(
                    s,
                    "\n    [[field.criterion.sub]]\n    code = {}\n    name = {}\n",
                    toml_str(&l.code),
                    toml_str(&l.name)
                );
                leaf_toml(&mut s, l, "    ");
            }
        }
    }
    s
}

fn leaf_toml(s: &mut String, l: &Leaf, ind: &str) {
    use std::fmt::Write as _;
    if !matches!(l.rule, Rule::Deduction { .. }) {
        let _ = writeln!(s, "{ind}max = {}", l.max.short());
    }
    let _ = writeln!(s, "{ind}kind = {}", toml_str(l.rule.kind()));
    match &l.rule {
        Rule::Levels(levels) => {
            let _ = writeln!(s, "{ind}levels = [");
            for lv in levels {
                let _ = writeln!(
                    s,
                    "{ind}  {{ points = {}, label = {} }},",
                    lv.points.short(),
                    toml_str(&lv.label)
                );
            }
            let _ = writeln!(s, "{ind}]");
        }
        Rule::Ratio(bands) => {
            let parts: Vec<String> = bands
                .iter()
                .map(|b| {
                    format!(
                        "{{ min = {}, points = {} }}",
                        b.min.short(),
                        b.points.short()
                    )
                })
                .collect();
            let _ = writeln!(s, "{ind}bands = [{}]", parts.join(", "));
        }
        Rule::Deduction { min } => {
            let _ = writeln!(s, "{ind}min = {}", min.short());
        }
        Rule::Range | Rule::Bonus | Rule::Survey => {}
    }
    if l.na {
        let _ = writeln!(s, "{ind}na = true");
    }
    if let Some(g) = &l.guide {
        let _ = writeln!(s, "{ind}guide = {}", toml_str(g));
    }
    if let Some(e) = &l.evidence {
        let _ = writeln!(s, "{ind}evidence = {}", toml_str(e));
    }
}
