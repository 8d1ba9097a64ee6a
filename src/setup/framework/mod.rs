//! A framework as a spreadsheet and back: the `Bộ tiêu chí` sheet (a row per field, criterion and sub-criterion) and the `Xếp loại` sheet of bands; `write` makes the workbook, `read` reads it cell by cell, `rules` places each row by its code and checks its rule, `toml` writes the framework file.
//!
//! The layout is the one of `forms-and-results.md`: a header row (found
//! wherever it stands) titled `Mã`, `Nội dung`, `Điểm tối đa`, `Loại`,
//! `Cách chấm`, `Không áp dụng`, `Hướng dẫn`, `Tài liệu kiểm chứng`; the
//! framework's name above it. Export then import gives back a framework that
//! scores every assessment identically.

mod read;
mod rules;
mod toml;
mod write;

pub use read::{Imported, import};
pub use toml::framework_toml;
pub use write::export;

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

/// Each kind as the framework file names it, as the sheet writes it, and
/// what else a sheet may say for it (compared without case).
const KINDS: [(&str, &str, &[&str]); 6] = [
    ("levels", "mức", &["theo mức"]),
    ("range", "khoảng", &["theo khoảng"]),
    ("ratio", "tỷ lệ", &["tỉ lệ", "theo tỷ lệ", "theo tỉ lệ"]),
    ("deduction", "điểm trừ", &[]),
    ("bonus", "điểm thưởng", &[]),
    ("survey", "khảo sát", &[]),
];

/// A kind as the sheet writes it (Vietnamese), from its name in a framework file.
pub fn kind_vi(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(file, _, _)| *file == kind)
        .map_or("", |(_, vi, _)| vi)
}

/// A kind as written in either language: its name in a framework file (`levels`, …).
fn kind_of(written: &str) -> Option<&'static str> {
    let k = written.trim().to_lowercase();
    KINDS
        .iter()
        .find(|(file, vi, more)| *file == k || *vi == k || more.contains(&k.as_str()))
        .map(|(file, _, _)| *file)
}
