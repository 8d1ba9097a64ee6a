//! Spreadsheet cells read as the user meant them: numbers typed, stored as text or with a decimal comma, dates, formulas' cached values.

use std::fmt;
use std::path::Path;

use calamine::{Data, Range};

use crate::diag::Said;
use crate::i18n::{Lang, fill};
use crate::points::Points;
use crate::text;

/// The largest spreadsheet this program opens (a filled form is well under 1 MB).
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// One problem in a spreadsheet, located as `FILE:Sheet!CELL`, or `FILE:LINE:FIELD` for a CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// `Sheet!E14`, `5:3`, or empty when the whole file is meant.
    pub at: String,
    pub message: Said,
}

impl Problem {
    /// A problem with the whole file, no one cell.
    pub fn whole(file: &str, message: Said) -> Problem {
        Problem {
            file: file.to_string(),
            at: String::new(),
            message,
        }
    }

    /// `FILE:Sheet!CELL: message` in a language, cleaned like every other
    /// message: a file name or a cell may carry anything.
    pub fn render(&self, lang: Lang) -> String {
        let file = text::shown(&self.file, text::SHOWN);
        let message = text::shown(self.message.get(lang), 3 * text::SHOWN);
        if self.at.is_empty() {
            format!("{file}: {message}")
        } else {
            format!("{file}:{}: {message}", text::shown(&self.at, 60))
        }
    }
}

/// The problems one per line, at most [`crate::diag::PER_FILE`] of one file,
/// then a line that says how many more there are.
pub fn render_all(problems: &[Problem], lang: Lang) -> String {
    let mut out = String::new();
    let mut per_file: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for p in problems {
        let n = per_file.entry(p.file.as_str()).or_default();
        *n += 1;
        if *n <= crate::diag::PER_FILE {
            out += &p.render(lang);
            out.push('\n');
        }
    }
    let mut files: Vec<(&str, usize)> = per_file
        .into_iter()
        .filter(|(_, n)| *n > crate::diag::PER_FILE)
        .collect();
    files.sort();
    for (file, n) in files {
        let file = text::shown(file, text::SHOWN);
        out += &crate::i18n::fill(
            lang.words().ld_more_in_file,
            &[&file, &(n - crate::diag::PER_FILE)],
        );
        out.push('\n');
    }
    out
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

pub use super::sheet::address;

/// The named sheet of a workbook (xlsx, xlsm, ods, xls), as a grid of values.
///
/// Only a regular file of a bounded size is opened, and it is read apart
/// ([`super::sheet`]): a reader that fails in any way, even by aborting on a
/// hostile file, gives a message about that file, never a crash.
pub fn open_sheet(path: &Path, sheet: Option<&str>) -> Result<(String, Range<Data>), Said> {
    let meta =
        std::fs::metadata(path).map_err(|e| Said::of(|w| fill(w.fm_cannot_read_file, &[&e])))?;
    if !meta.is_file() {
        return Err(Said::word(|w| w.fm_regular_file_give_spreadsheet));
    }
    if meta.len() > MAX_BYTES {
        return Err(Said::of(|w| {
            fill(
                w.fm_mb_larger_than_any,
                &[&(meta.len() / (1024 * 1024)), &(MAX_BYTES / (1024 * 1024))],
            )
        }));
    }
    super::sheet::read(path, sheet)
}

/// A cell of a sheet by absolute position; an absent cell is empty.
pub fn cell(range: &Range<Data>, row: u32, col: u32) -> &Data {
    static EMPTY: Data = Data::Empty;
    range.get_value((row, col)).unwrap_or(&EMPTY)
}

/// Whether a cell holds nothing (or only spaces).
pub fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The cell as one line of text (numbers in their shortest form); None when blank.
pub fn text_line(d: &Data) -> Option<String> {
    let s = match d {
        Data::Empty => return None,
        Data::String(s) => text::line(s),
        Data::Float(f) => decimal(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(dt) => decimal(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => text::line(s),
        Data::Error(e) => format!("#{e:?}"),
    };
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// The cell as a multi-line text (a note, evidence lines); None when blank.
pub fn text_para(d: &Data) -> Option<String> {
    match d {
        Data::String(s) => {
            let s = text::para(s);
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        other => text_line(other),
    }
}

/// A float as a person reads it: 15 significant digits, as a spreadsheet shows
/// them, so `0.1 + 0.2` is `0.3` and `1.125` stays `1.125`.
pub fn decimal(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let s = format!("{:.14e}", f);
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // digits = d.ddddddddddddd × 10^exp
    let point = exp + 1; // digits before the decimal point
    let (int, frac) = if point <= 0 {
        (
            "0".to_string(),
            format!("{}{}", "0".repeat((-point) as usize), digits),
        )
    } else if point as usize >= digits.len() {
        (
            format!("{}{}", digits, "0".repeat(point as usize - digits.len())),
            String::new(),
        )
    } else {
        (
            digits[..point as usize].to_string(),
            digits[point as usize..].to_string(),
        )
    };
    let frac = frac.trim_end_matches('0');
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let sign = if negative && (int != "0" || !frac.is_empty()) {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// Points from a cell: a number, a number stored as text, `0,5` with a decimal
/// comma, a formula's cached value. None when the cell is blank.
pub fn points(d: &Data) -> Result<Option<Points>, Said> {
    let shown = match d {
        _ if is_blank(d) => return Ok(None),
        Data::Float(f) if !f.is_finite() => return Err(Said::word(|w| w.fm_finite_number)),
        Data::Float(f) => decimal(*f),
        Data::Int(i) => i.to_string(),
        Data::String(s) => {
            let t = s.trim().replace('\u{2212}', "-");
            if !is_decimal_text(&t) {
                return Err(Said::of(|w| {
                    fill(w.fm_number_write_points_such, &[&text::line(s.trim())])
                }));
            }
            t.replace(',', ".")
        }
        Data::Error(e) => {
            let e = format!("#{e:?}");
            return Err(Said::of(|w| fill(w.fm_shows_error, &[&e])));
        }
        Data::Bool(_) => return Err(Said::word(|w| w.fm_holds_true_false_number)),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            return Err(Said::word(|w| w.fm_holds_date_time_number));
        }
        Data::Empty => return Ok(None),
    };
    Points::parse(&shown)
        .map(Some)
        .map_err(|e| Said::of(|w| format!("{shown} {}", crate::i18n::points_error(w, &e))))
}

/// `[+-]digits[(.|,)digits]`.
fn is_decimal_text(t: &str) -> bool {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (int, frac) = match body.split_once(['.', ',']) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A count (0 or more) from a cell; None when blank.
pub fn whole(d: &Data) -> Result<Option<u64>, Said> {
    match d {
        _ if is_blank(d) => Ok(None),
        Data::Float(f) if f.is_finite() && f.fract() == 0.0 && *f >= 0.0 && *f < 1e15 => {
            Ok(Some(*f as u64))
        }
        Data::Int(i) if *i >= 0 => Ok(Some(*i as u64)),
        Data::Float(_) | Data::Int(_) => Err(Said::of(|w| {
            fill(
                w.fm_whole_number_more_numerator,
                &[&text_line(d).unwrap_or_default()],
            )
        })),
        Data::String(s) => {
            let t = s.trim();
            if !t.is_empty() && t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse()
                    .map(Some)
                    .map_err(|_| Said::of(|w| fill(w.fm_too_large, &[&t])))
            } else {
                Err(Said::of(|w| {
                    fill(w.fm_whole_number_write_count_2, &[&text::line(t)])
                }))
            }
        }
        _ => Err(Said::of(|w| {
            fill(
                w.fm_whole_number_write_count,
                &[&text_line(d).unwrap_or_default()],
            )
        })),
    }
}

/// A date from a cell as `YYYY-MM-DD`: an Excel date, `10/01/2026` (day first, as
/// written in Vietnam), or `2026-01-10`. None when blank.
pub fn date(d: &Data) -> Result<Option<String>, Said> {
    let bad = |shown: &str| Said::of(|w| fill(w.fm_date_write_day_form, &[&text::line(shown)]));
    let ymd = match d {
        _ if is_blank(d) => return Ok(None),
        Data::DateTime(dt) => from_serial(dt.as_f64()),
        Data::Float(f) => from_serial(*f),
        Data::Int(i) => from_serial(*i as f64),
        Data::DateTimeIso(s) => s.get(..10).and_then(iso),
        Data::String(s) => {
            let t = s.trim();
            iso(t).or_else(|| day_first(t))
        }
        _ => None,
    };
    let (y, m, dd) = ymd.ok_or_else(|| bad(&text_line(d).unwrap_or_default()))?;
    if !(1900..=9999).contains(&y) || !valid_day(y, m, dd) {
        return Err(bad(&text_line(d).unwrap_or_default()));
    }
    Ok(Some(format!("{y:04}-{m:02}-{dd:02}")))
}

fn iso(t: &str) -> Option<(i64, u32, u32)> {
    let p: Vec<&str> = t.split('-').collect();
    match p.as_slice() {
        [y, m, d] if y.len() == 4 => Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)),
        _ => None,
    }
}

fn day_first(t: &str) -> Option<(i64, u32, u32)> {
    let p: Vec<&str> = t.split(['/', '.', '-']).map(str::trim).collect();
    match p.as_slice() {
        [d, m, y] if y.len() == 4 => Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)),
        _ => None,
    }
}

fn valid_day(y: i64, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// An Excel serial date (1900 system: day 1 is 1900-01-01; serials above 60
/// count from 1899-12-30 because of Excel's 29 February 1900).
fn from_serial(serial: f64) -> Option<(i64, u32, u32)> {
    if !serial.is_finite() || !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64 - 25_569; // days since 1970-01-01
    Some(crate::session::time::civil_from_days(days))
}

/// A table read from a file: its rows of cells, and how a cell is named in messages.
pub struct Table {
    pub rows: Vec<Vec<Data>>,
    /// (row, column) 0-based → `Sheet!C5` or `5:3`.
    pub locate: Box<dyn Fn(usize, usize) -> String>,
}

/// The first non-blank row, taken as the column titles (lower case): its
/// index and the titles; `None` for a table of blank rows.
pub fn titles(table: &Table) -> Option<(usize, Vec<String>)> {
    let header = table
        .rows
        .iter()
        .position(|r| r.iter().any(|c| !is_blank(c)))?;
    let titles = table.rows[header]
        .iter()
        .map(|c| text_line(c).unwrap_or_default().to_lowercase())
        .collect();
    Some((header, titles))
}

pub fn read_table(file: &Path) -> Result<Table, Said> {
    let is_csv = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        let (sheet, range) = open_sheet(file, None)?;
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
    let meta =
        std::fs::metadata(file).map_err(|e| Said::of(|w| fill(w.fm_cannot_read_file, &[&e])))?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return Err(Said::word(|w| w.fm_regular_file_reasonable_size));
    }
    let bytes =
        std::fs::read(file).map_err(|e| Said::of(|w| fill(w.fm_cannot_read_file, &[&e])))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let textual = std::str::from_utf8(bytes).map_err(|_| Said::word(|w| w.fm_utf_save_as_csv))?;
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
        let rec = rec.map_err(|e| Said::of(|w| fill(w.fm_valid_csv, &[&e])))?;
        lines.push(rec.position().map_or(0, |p| p.line()));
        rows.push(rec.iter().map(|f| Data::String(f.to_string())).collect());
    }
    Ok(Table {
        rows,
        locate: Box::new(move |r, c| format!("{}:{}", lines.get(r).copied().unwrap_or(0), c + 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(address(13, 4), "E14");
        assert_eq!(address(0, 25), "Z1");
        assert_eq!(address(0, 26), "AA1");
    }

    #[test]
    fn numbers_as_the_user_meant() {
        assert_eq!(points(&Data::Float(0.1 + 0.2)), Ok(Some(Points(30))));
        assert_eq!(points(&Data::Float(1.5)), Ok(Some(Points(150))));
        assert_eq!(points(&Data::Float(-2.0)), Ok(Some(Points(-200))));
        assert_eq!(points(&Data::String(" 0,5 ".into())), Ok(Some(Points(50))));
        assert_eq!(points(&Data::String("1.25".into())), Ok(Some(Points(125))));
        assert_eq!(points(&Data::String("−0,25".into())), Ok(Some(Points(-25))));
        assert_eq!(points(&Data::Int(2)), Ok(Some(Points(200))));
        assert_eq!(points(&Data::String("  ".into())), Ok(None));
        let e = points(&Data::Float(1.125)).unwrap_err();
        assert!(e.en.starts_with("1.125 has more than two decimals"), "{e}");
        assert!(points(&Data::String("một".into())).is_err());
        assert!(points(&Data::String("1e3".into())).is_err());
        assert!(points(&Data::Bool(true)).is_err());
    }

    #[test]
    fn counts_and_dates() {
        assert_eq!(whole(&Data::Float(4936.0)), Ok(Some(4936)));
        assert_eq!(whole(&Data::String("4936".into())), Ok(Some(4936)));
        assert!(whole(&Data::String("4.936".into())).is_err());
        assert!(whole(&Data::Float(1.5)).is_err());
        assert!(whole(&Data::Float(-1.0)).is_err());
        // 46031 is 2026-01-09 in Excel's 1900 system.
        assert_eq!(date(&Data::Float(46031.0)), Ok(Some("2026-01-09".into())));
        assert_eq!(
            date(&Data::String("9/1/2026".into())),
            Ok(Some("2026-01-09".into()))
        );
        assert_eq!(
            date(&Data::String("2026-01-09".into())),
            Ok(Some("2026-01-09".into()))
        );
        assert!(date(&Data::String("31/02/2026".into())).is_err());
        assert!(date(&Data::String("hôm qua".into())).is_err());
    }

    #[test]
    fn decimals_as_shown() {
        assert_eq!(decimal(0.5), "0.5");
        assert_eq!(decimal(100.0), "100");
        assert_eq!(decimal(-0.25), "-0.25");
        assert_eq!(decimal(1e-20), "0.00000000000000000001");
        assert_eq!(decimal(0.0), "0");
    }
}
