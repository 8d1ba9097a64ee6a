//! Filling a form the way a spreadsheet program stores what a user typed: cells edited inside the xlsx itself.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use calamine::{Data, Reader};

/// A value as a spreadsheet holds it after a user typed it.
#[derive(Clone, Debug)]
pub enum Cell {
    /// A number typed as a number (its literal, e.g. `0.5`).
    Num(String),
    /// Text (also a number stored as text, `0,5`).
    Text(String),
    /// A formula and the value the spreadsheet cached for it.
    Formula(String, String),
    /// The cell emptied.
    Empty,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Sets cells (by address, e.g. `E14`) of the first sheet of an xlsx, keeping each cell's style.
pub fn fill(path: &Path, cells: &[(String, Cell)]) {
    fill_sheet(path, 1, cells);
}

/// Sets cells of the `n`th sheet (from 1) of an xlsx, keeping each cell's style.
pub fn fill_sheet(path: &Path, n: usize, cells: &[(String, Cell)]) {
    let part = format!("xl/worksheets/sheet{n}.xml");
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == part {
            let mut xml = String::from_utf8(data).unwrap();
            for (addr, value) in cells {
                xml = set_cell(&xml, addr, value);
            }
            data = xml.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    let done = out.finish().unwrap().into_inner();
    std::fs::write(path, done).unwrap();
}

/// `E14` → (column number from 1, row).
fn split(addr: &str) -> (u32, &str) {
    let at = addr.find(|c: char| c.is_ascii_digit()).unwrap();
    let col = addr[..at]
        .bytes()
        .fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1));
    (col, &addr[at..])
}

/// Puts an empty cell `addr` into its row, in column order, when the sheet has none there.
fn ensure_cell(xml: &str, addr: &str) -> String {
    if xml.contains(&format!("<c r=\"{addr}\"")) {
        return xml.to_string();
    }
    let (col, row) = split(addr);
    let row_open = format!("<row r=\"{row}\"");
    let start = xml
        .find(&row_open)
        .unwrap_or_else(|| panic!("the form has no row {row}"));
    let head_end = start + xml[start..].find('>').unwrap();
    let empty = format!("<c r=\"{addr}\"/>");
    if xml[..head_end].ends_with('/') {
        // <row .../> becomes <row ...><c/></row>
        return format!(
            "{}>{empty}</row>{}",
            &xml[..head_end - 1],
            &xml[head_end + 1..]
        );
    }
    let end = head_end + xml[head_end..].find("</row>").unwrap();
    let mut at = end;
    let mut i = head_end;
    while let Some(k) = xml[i..end].find("<c r=\"") {
        let cell_start = i + k;
        let name_end = cell_start + 6 + xml[cell_start + 6..].find('"').unwrap();
        if split(&xml[cell_start + 6..name_end]).0 > col {
            at = cell_start;
            break;
        }
        i = name_end;
    }
    format!("{}{empty}{}", &xml[..at], &xml[at..])
}

fn set_cell(xml: &str, addr: &str, value: &Cell) -> String {
    let xml = ensure_cell(xml, addr);
    let open = format!("<c r=\"{addr}\"");
    let start = xml.find(&open).unwrap();
    let rest = &xml[start..];
    let tag_end = rest.find('>').unwrap();
    let end = if rest[..tag_end].ends_with('/') {
        tag_end + 1
    } else {
        rest.find("</c>").unwrap() + 4
    };
    let attrs = &rest[open.len()..tag_end].trim_end_matches('/');
    let style = attrs
        .split_whitespace()
        .find(|a| a.starts_with("s="))
        .map(|s| format!(" {s}"))
        .unwrap_or_default();
    let new = match value {
        Cell::Num(n) => format!("<c r=\"{addr}\"{style}><v>{n}</v></c>"),
        Cell::Text(t) => format!(
            "<c r=\"{addr}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            escape(t)
        ),
        Cell::Formula(f, v) => format!("<c r=\"{addr}\"{style}><f>{}</f><v>{v}</v></c>", escape(f)),
        Cell::Empty => format!("<c r=\"{addr}\"{style}/>"),
    };
    format!("{}{}{}", &xml[..start], new, &xml[start + end..])
}

/// Where a form puts things, read back through the reader: leaf code → row,
/// header label → row (1-based, as Excel numbers them).
pub fn rows_of(path: &Path) -> HashMap<String, u32> {
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range("Tự đánh giá").unwrap();
    let mut rows = HashMap::new();
    for (r, row) in range.rows().enumerate() {
        if let Some(Data::String(s)) = row.first() {
            rows.entry(s.clone())
                .or_insert(range.start().unwrap().0 + r as u32 + 1);
        }
    }
    rows
}
