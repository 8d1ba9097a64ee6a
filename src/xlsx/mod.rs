//! What every workbook the tool writes shares: points as spreadsheet numbers, row heights for wrapped text, a fixed creation time.

use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder};
use unicode_width::UnicodeWidthStr;

use crate::points::Points;

pub mod stream;

/// Fill of a field's heading row.
pub const FIELD: u32 = 0xBDD7EE;
/// Fill of a criterion's heading row and of a table's header.
pub const CRITERION: u32 = 0xDDEBF7;

/// Height of one line of text, in points.
pub const LINE: f64 = 15.0;

/// Points as the number a spreadsheet holds (hundredths are exact in the
/// shortest decimal form a reader reads back).
pub fn number(p: Points) -> f64 {
    p.hundredths() as f64 / 100.0
}

/// Points as a formula's cached result: the exact decimal.
pub fn result(p: Points) -> String {
    p.short()
}

/// A table cell: thin border, text at the top.
pub fn cell() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
}

/// A table's header cell: bold, wrapped, centred, on `background`.
pub fn header(background: u32) -> Format {
    cell()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(rust_xlsxwriter::Color::RGB(background))
}

/// A heading row (a field, a criterion): bold, wrapped, on `background`.
pub fn heading(background: u32) -> Format {
    cell()
        .set_bold()
        .set_text_wrap()
        .set_background_color(rust_xlsxwriter::Color::RGB(background))
}

/// A row tall enough for its wrapped texts (a spreadsheet does not grow rows of
/// a written file by itself): lines at each column's width (`widths`, in
/// characters), explicit breaks counted.
pub fn row_height(widths: &[f64], texts: &[(u16, &str)]) -> f64 {
    let lines = texts
        .iter()
        .map(|(c, t)| {
            let per_line = (widths.get(*c as usize).copied().unwrap_or(10.0) * 1.1).max(1.0);
            t.lines()
                .map(|l| ((l.width() as f64) / per_line).ceil().max(1.0))
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    (lines * LINE).min(409.0)
}

/// Document properties whose creation time is given, so that the same content
/// gives the same bytes: `(year, month, day, hour, minute, second)`.
pub fn properties(title: &str, at: (u16, u8, u8, u16, u8, u8)) -> Result<DocProperties> {
    let (y, m, d, hh, mm, ss) = at;
    let created = ExcelDateTime::from_ymd(y.clamp(1900, 9999), m, d)
        .and_then(|t| t.and_hms(hh, mm, ss))
        .context("the document's time as a date")?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("thamdinh")
        .set_creation_datetime(&created))
}
