//! Sheets written straight as SpreadsheetML and added to a workbook the library wrote: a province's thousands of unit sheets made on every core and deflated as they are made, never held as cells or temporary files.
//!
//! A [`Sheet`] writes the very XML `rust_xlsxwriter` writes for a sheet in its
//! constant-memory mode (the tests compare the two byte for byte); its cell
//! formats take the indices the workbook gave them when [`Xf::register`]ed
//! first. [`splice`] then adds the deflated sheets to the library's package:
//! each as a part, a relationship, a `<sheet>` with its filter and print
//! titles, and a title in the document's properties.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, Write};

use anyhow::{Context, Result, bail};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use zip::ZipArchive;
use zip::write::{SimpleFileOptions, ZipWriter};

/// Where cells go: a sheet of the library's or a streamed [`Sheet`].
pub trait Cells {
    /// A text; an empty one is a blank cell with the format.
    fn text(&mut self, r: u32, c: u16, text: &str, f: &Format) -> Result<(), XlsxError>;
    fn number(&mut self, r: u32, c: u16, n: f64, f: &Format) -> Result<(), XlsxError>;
    /// A formula (without its `=`) and its cached result.
    fn formula(
        &mut self,
        r: u32,
        c: u16,
        formula: &str,
        result: &str,
        f: &Format,
    ) -> Result<(), XlsxError>;
    fn blank(&mut self, r: u32, c: u16, f: &Format) -> Result<(), XlsxError>;
    /// A row's height in points.
    fn row_height(&mut self, r: u32, points: f64) -> Result<(), XlsxError>;
}

/// A sheet's settings outside its cells.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Column widths in characters, from column A.
    pub widths: Vec<f64>,
    /// The first row and column that scroll.
    pub freeze: (u32, u16),
    /// The autofilter's first row and column, last row and column.
    pub filter: (u32, u16, u32, u16),
    pub landscape: bool,
    /// The row printed on every page.
    pub title_row: u32,
    pub footer: &'static str,
}

/// The workbook's cell formats with the index the library gives each:
/// registered on a new workbook before anything else, in order, each with
/// its quote-prefixed twin (for a text that reads as a formula).
pub struct Xf {
    by_value: HashMap<Format, u32>,
    /// The registered formats where they stand: found by address first, as
    /// a format's hash reads the whole of it.
    by_place: Vec<(usize, u32)>,
}

impl Xf {
    pub fn register(wb: &mut Workbook, formats: &[&Format]) -> Xf {
        let mut by_value = HashMap::from([(Format::default(), 0)]);
        let mut add = |f: &Format| {
            wb.register_format(f);
            let next = by_value.len() as u32;
            *by_value.entry(f.clone()).or_insert(next)
        };
        let by_place = formats
            .iter()
            .map(|f| (std::ptr::from_ref(*f) as usize, add(f)))
            .collect();
        for f in formats {
            add(&(*f).clone().set_quote_prefix());
        }
        Xf { by_value, by_place }
    }

    fn index(&self, f: &Format) -> Result<u32, XlsxError> {
        let place = std::ptr::from_ref(f) as usize;
        if let Some(&(_, i)) = self.by_place.iter().find(|p| p.0 == place) {
            return Ok(i);
        }
        self.by_value.get(f).copied().ok_or_else(|| {
            XlsxError::ParameterError("a cell format the workbook did not register".into())
        })
    }
}

/// Excel's largest text in a cell.
const MAX_TEXT: usize = 32_767;

/// One sheet's XML, row after row.
pub struct Sheet<'a> {
    xf: &'a Xf,
    rows: String,
    /// The row being gathered, its height in pixels, its cells (column and
    /// their XML's place in `cells`).
    row: Option<(u32, Option<u32>)>,
    cells: String,
    at: Vec<(u16, usize, usize)>,
    /// First row, first column, last row, last column written.
    dims: Option<(u32, u16, u32, u16)>,
}

impl<'a> Sheet<'a> {
    pub fn new(xf: &'a Xf) -> Sheet<'a> {
        Sheet {
            xf,
            rows: String::with_capacity(64 * 1024),
            row: None,
            cells: String::with_capacity(4096),
            at: Vec::new(),
            dims: None,
        }
    }

    /// Moves to row `r`, writing out the row before; rows only go forward.
    fn go_to_row(&mut self, r: u32, c: u16) -> Result<(), XlsxError> {
        match self.row {
            Some((now, _)) if now == r => {}
            Some((now, _)) if now > r => return Err(XlsxError::RowColumnOrderError),
            _ => {
                self.flush();
                self.row = Some((r, None));
            }
        }
        self.dims = Some(match self.dims {
            None => (r, c, r, c),
            Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(c), r1.max(r), c1.max(c)),
        });
        Ok(())
    }

    fn flush(&mut self) {
        let Some((r, height)) = self.row.take() else {
            return;
        };
        let rows = &mut self.rows;
        rows.push_str("<row r=\"");
        push_int(rows, r + 1);
        rows.push('"');
        if let Some(px) = height {
            rows.push_str(" ht=\"");
            push_number(rows, f64::from(px) * 0.75);
            rows.push_str("\" customHeight=\"1\"");
        }
        if self.at.is_empty() {
            rows.push_str("/>");
            return;
        }
        rows.push('>');
        // By column; a cell written twice keeps its last value.
        self.at.sort_by_key(|a| a.0);
        for (i, &(c, from, to)) in self.at.iter().enumerate() {
            if self.at.get(i + 1).is_some_and(|next| next.0 == c) {
                continue;
            }
            rows.push_str(&self.cells[from..to]);
        }
        rows.push_str("</row>");
        self.cells.clear();
        self.at.clear();
    }

    /// Starts a cell's XML: `<c r="B7"`, its style when not the default.
    fn open(&mut self, r: u32, c: u16, f: &Format) -> Result<usize, XlsxError> {
        let xf = self.xf.index(f)?;
        self.go_to_row(r, c)?;
        let from = self.cells.len();
        self.cells.push_str("<c r=\"");
        push_cell(&mut self.cells, r, c);
        self.cells.push('"');
        if xf > 0 {
            self.cells.push_str(" s=\"");
            push_int(&mut self.cells, xf);
            self.cells.push('"');
        }
        Ok(from)
    }

    fn close(&mut self, c: u16, from: usize) {
        self.at.push((c, from, self.cells.len()));
    }

    /// The whole sheet's XML in three pieces: before its rows, its rows, after
    /// them (written one after the other, never copied into one).
    pub fn finish(mut self, layout: &Layout) -> [String; 3] {
        self.flush();
        let mut x = String::with_capacity(2048);
        x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><dimension ref=\"");
        match self.dims {
            Some((r0, c0, r1, c1)) if (r0, c0) != (r1, c1) => {
                push_cell(&mut x, r0, c0);
                x.push(':');
                push_cell(&mut x, r1, c1);
            }
            Some((r0, c0, _, _)) => push_cell(&mut x, r0, c0),
            None => x.push_str("A1"),
        }
        x.push_str("\"/><sheetViews><sheetView workbookViewId=\"0\">");
        let (fr, fc) = layout.freeze;
        let top_left = cell_ref(fr, fc);
        x.push_str("<pane");
        if fc > 0 {
            x.push_str(&format!(" xSplit=\"{fc}\""));
        }
        if fr > 0 {
            x.push_str(&format!(" ySplit=\"{fr}\""));
        }
        match (fr > 0, fc > 0) {
            (true, true) => x.push_str(&format!(
                " topLeftCell=\"{top_left}\" activePane=\"bottomRight\" state=\"frozen\"/><selection pane=\"topRight\" activeCell=\"{a}\" sqref=\"{a}\"/><selection pane=\"bottomLeft\" activeCell=\"{b}\" sqref=\"{b}\"/><selection pane=\"bottomRight\"/>",
                a = cell_ref(0, fc),
                b = cell_ref(fr, 0),
            )),
            (false, true) => x.push_str(&format!(
                " topLeftCell=\"{top_left}\" activePane=\"topRight\" state=\"frozen\"/><selection pane=\"topRight\"/>"
            )),
            _ => x.push_str(&format!(
                " topLeftCell=\"{top_left}\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/>"
            )),
        }
        x.push_str("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
        cols(&mut x, &layout.widths);
        let mut head = x;
        if self.rows.is_empty() {
            head.push_str("<sheetData/>");
        } else {
            head.push_str("<sheetData>");
            self.rows.push_str("</sheetData>");
        }
        let rows = std::mem::take(&mut self.rows);
        let mut x = String::with_capacity(1024);
        let (r0, c0, r1, c1) = layout.filter;
        x.push_str("<autoFilter ref=\"");
        push_cell(&mut x, r0, c0);
        x.push(':');
        push_cell(&mut x, r1, c1);
        x.push_str("\"/><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"");
        x.push_str(if layout.landscape {
            "landscape"
        } else {
            "portrait"
        });
        x.push_str("\" horizontalDpi=\"200\" verticalDpi=\"200\"/><headerFooter><oddFooter>");
        push_escaped(&mut x, layout.footer);
        x.push_str("</oddFooter></headerFooter></worksheet>");
        [head, rows, x]
    }
}

impl Cells for Sheet<'_> {
    fn text(&mut self, r: u32, c: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
        if text.is_empty() {
            return self.blank(r, c, f);
        }
        // A text of no more bytes than the limit has no more characters.
        if text.len() > MAX_TEXT && text.chars().count() > MAX_TEXT {
            return Err(XlsxError::MaxStringLengthExceeded);
        }
        let from = self.open(r, c, f)?;
        let keep = text.starts_with(['\t', '\n', ' ']) || text.ends_with(['\t', '\n', ' ']);
        self.cells.push_str(if keep {
            " t=\"inlineStr\"><is><t xml:space=\"preserve\">"
        } else {
            " t=\"inlineStr\"><is><t>"
        });
        push_escaped(&mut self.cells, &escape_escapes(text));
        self.cells.push_str("</t></is></c>");
        self.close(c, from);
        Ok(())
    }

    fn number(&mut self, r: u32, c: u16, n: f64, f: &Format) -> Result<(), XlsxError> {
        let from = self.open(r, c, f)?;
        self.cells.push_str("><v>");
        push_number(&mut self.cells, n);
        self.cells.push_str("</v></c>");
        self.close(c, from);
        Ok(())
    }

    fn formula(
        &mut self,
        r: u32,
        c: u16,
        formula: &str,
        result: &str,
        f: &Format,
    ) -> Result<(), XlsxError> {
        let from = self.open(r, c, f)?;
        if result.parse::<f64>().is_err() {
            self.cells.push_str(" t=\"str\"");
        }
        self.cells.push_str("><f>");
        push_escaped(&mut self.cells, formula);
        self.cells.push_str("</f><v>");
        push_escaped(&mut self.cells, result);
        self.cells.push_str("</v></c>");
        self.close(c, from);
        Ok(())
    }

    fn blank(&mut self, r: u32, c: u16, f: &Format) -> Result<(), XlsxError> {
        // An unformatted blank is no cell at all, as Excel writes it.
        if self.xf.index(f)? == 0 {
            return self.go_to_row(r, c);
        }
        let from = self.open(r, c, f)?;
        self.cells.push_str("/>");
        self.close(c, from);
        Ok(())
    }

    fn row_height(&mut self, r: u32, points: f64) -> Result<(), XlsxError> {
        let px = (points * 4.0 / 3.0).round() as u32;
        let c = self.dims.map_or(0, |d| d.1);
        self.go_to_row(r, c)?;
        if let Some((_, h)) = &mut self.row {
            // The library's default height (20 px) is written as no height.
            *h = (px != 20).then_some(px);
        }
        Ok(())
    }
}

/// `<cols>`: each column's width in pixels as the library rounds it, equal
/// neighbours as one range.
fn cols(x: &mut String, widths: &[f64]) {
    if widths.is_empty() {
        return;
    }
    let px: Vec<u32> = widths
        .iter()
        .map(|&w| {
            let p = if w == 0.0 {
                0
            } else if w < 1.0 {
                (w * 12.0).round() as u32
            } else {
                (w * 7.0).round() as u32 + 5
            };
            p.min(1790)
        })
        .collect();
    x.push_str("<cols>");
    let mut first = 0;
    while first < px.len() {
        let mut last = first;
        while last + 1 < px.len() && px[last + 1] == px[first] {
            last += 1;
        }
        let chars = f64::from(px[first] * 256 / 7) / 256.0;
        x.push_str(&format!(
            "<col min=\"{}\" max=\"{}\" width=\"{chars}\"",
            first + 1,
            last + 1
        ));
        // The library's default width (64 px) needs no customWidth.
        x.push_str(if px[first] != 64 {
            " customWidth=\"1\"/>"
        } else {
            "/>"
        });
        first = last + 1;
    }
    x.push_str("</cols>");
}

fn push_int(s: &mut String, n: impl Into<u64>) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n.into();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Digits only: valid UTF-8.
    s.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// A number as the library writes it (Rust's shortest text of an `f64`, never
/// an exponent); a whole number of hundredths, every figure a council has,
/// straight from its digits.
fn push_number(s: &mut String, n: f64) {
    let hundredths = (n * 100.0).round();
    // Below 10^14 hundredths, two such numbers are far apart beside the
    // doubles' spacing: the hundredths' own digits are the shortest text.
    if hundredths.abs() < 1e14 && hundredths / 100.0 == n && !(n == 0.0 && n.is_sign_negative()) {
        let h = hundredths as i64;
        if h < 0 {
            s.push('-');
        }
        let h = h.unsigned_abs();
        push_int(s, h / 100);
        let cents = (h % 100) as u8;
        if cents != 0 {
            s.push('.');
            s.push(char::from(b'0' + cents / 10));
            if !cents.is_multiple_of(10) {
                s.push(char::from(b'0' + cents % 10));
            }
        }
        return;
    }
    use std::fmt::Write as _;
    let _ = write!(s, "{n}");
}

/// `B7` for 0-based row 6, column 1, into `s`.
pub(crate) fn push_cell(s: &mut String, r: u32, c: u16) {
    let mut letters = [0u8; 3];
    let mut i = letters.len();
    let mut n = u32::from(c) + 1;
    while n > 0 {
        i -= 1;
        letters[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    s.push_str(std::str::from_utf8(&letters[i..]).unwrap_or_default());
    push_int(s, r + 1);
}

/// `B7` for 0-based row 6, column 1.
pub(crate) fn cell_ref(r: u32, c: u16) -> String {
    let mut s = String::new();
    push_cell(&mut s, r, c);
    s
}

/// XML text as Excel escapes it: `&`, `<`, `>`, and the control characters
/// XML cannot hold as `_xHHHH_`.
fn push_escaped(s: &mut String, text: &str) {
    let plain = |ch: char| {
        !matches!(ch, '&' | '<' | '>' | '\u{FFFE}' | '\u{FFFF}')
            && (ch >= ' ' || ch == '\t' || ch == '\n')
    };
    if text.chars().all(plain) {
        s.push_str(text);
        return;
    }
    for ch in text.chars() {
        match ch {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            ch if plain(ch) => s.push(ch),
            ch => s.push_str(&format!("_x{:04X}_", u32::from(ch))),
        }
    }
}

/// A text that already reads as an escape (`_x0041_`) has its underscore
/// escaped, so it reads back as written.
fn escape_escapes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("_x") {
        return text.into();
    }
    let mut out = text.to_string();
    for (i, _) in text.rmatch_indices("_x") {
        let Some(tail) = text.get(i + 2..i + 7) else {
            continue;
        };
        if tail.ends_with('_') && tail[..4].chars().all(|c| c.is_ascii_hexdigit()) {
            out.replace_range(i..i, "_x005F");
        }
    }
    out.into()
}

/// A sheet made apart, to be added to the library's workbook.
pub struct Added {
    /// Its name on the tab.
    pub name: String,
    /// The autofilter's range and the row printed on every page, as the
    /// [`Layout`] gave them.
    pub filter: (u32, u16, u32, u16),
    pub title_row: u32,
}

/// A zip of sheets made on one thread, each named by its place among the
/// sheets made apart (`0.xml`, `1.xml`, …); [`splice`] numbers them.
pub struct Part(Vec<u8>);

/// Makes `n` sheets on every core, each thread a run of them in order:
/// `make(i)` gives sheet `i`'s name and XML, deflated as it is made.
pub fn make_sheets<F>(n: usize, make: F) -> Result<(Vec<Added>, Vec<Part>)>
where
    F: Fn(usize) -> Result<(Added, [String; 3])> + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, 8)
        .min(n.max(1));
    let per = n.div_ceil(threads).max(1);
    let runs: Vec<std::ops::Range<usize>> = (0..threads)
        .map(|t| t * per..((t + 1) * per).min(n))
        .collect();
    let made = crate::load::par_map(&runs, |run| -> Result<(Vec<Added>, Part)> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        // Fast deflate: these sheets are most of the workbook.
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        let mut added = Vec::new();
        for i in run.clone() {
            let (a, xml) = make(i)?;
            zip.start_file(format!("{i}.xml"), options)?;
            for piece in &xml {
                zip.write_all(piece.as_bytes())?;
            }
            added.push(a);
        }
        Ok((added, Part(zip.finish()?.into_inner())))
    });
    let mut added = Vec::with_capacity(n);
    let mut parts = Vec::new();
    for m in made {
        let (a, p) = m?;
        added.extend(a);
        parts.push(p);
    }
    Ok((added, parts))
}

const WORKSHEET_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";

/// The library's workbook with the sheets made apart added after its own.
pub fn splice(book: &[u8], added: &[Added], parts: Vec<Part>) -> Result<Vec<u8>> {
    // Room for the whole package at once: the sheets are most of it.
    let whole = book.len() + parts.iter().map(|p| p.0.len()).sum::<usize>();
    let sink = Cursor::new(Vec::with_capacity(whole));
    Ok(splice_into(book, added, parts, sink)?.into_inner())
}

/// [`splice`] written to `sink` as it is put together (to a file, the package
/// is never held whole in memory); each part is let go once it is copied.
pub fn splice_into<W: Write + Seek>(
    book: &[u8],
    added: &[Added],
    parts: Vec<Part>,
    sink: W,
) -> Result<W> {
    let mut lib = ZipArchive::new(Cursor::new(book)).context("reading the workbook back")?;
    let read = |lib: &mut ZipArchive<Cursor<&[u8]>>, name: &str| -> Result<String> {
        let mut text = String::new();
        lib.by_name(name)?.read_to_string(&mut text)?;
        Ok(text)
    };
    let workbook = read(&mut lib, "xl/workbook.xml")?;
    let own = workbook.matches("<sheet ").count();
    let mut out = ZipWriter::new(sink);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6));
    for i in 0..lib.len() {
        let name = lib.by_index_raw(i)?.name()?.to_string();
        let changed = match name.as_str() {
            "[Content_Types].xml" => Some(content_types(&read(&mut lib, &name)?, own, added)?),
            "xl/_rels/workbook.xml.rels" => Some(rels(&read(&mut lib, &name)?, own, added)?),
            "xl/workbook.xml" => Some(workbook_xml(&workbook, own, added)?),
            "docProps/app.xml" => Some(app(&read(&mut lib, &name)?, own, added)),
            _ => None,
        };
        match changed {
            Some(text) => {
                out.start_file(name, options)?;
                out.write_all(text.as_bytes())?;
            }
            None => out.raw_copy_file(lib.by_index_raw(i)?)?,
        }
    }
    // The sheets made apart, in order, numbered after the library's own.
    let mut n = own;
    for part in parts {
        let mut zip = ZipArchive::new(Cursor::new(part.0))?;
        for i in 0..zip.len() {
            n += 1;
            let name = format!("xl/worksheets/sheet{n}.xml");
            out.raw_copy_file_rename(zip.by_index_raw(i)?, name)?;
        }
    }
    Ok(out.finish()?)
}

/// `text` with `add` put before its last `end`.
fn insert_before(text: &str, end: &str, add: &str) -> Result<String> {
    let Some(at) = text.rfind(end) else {
        bail!("the workbook's part has no {end}");
    };
    Ok(format!("{}{add}{}", &text[..at], &text[at..]))
}

fn content_types(text: &str, own: usize, added: &[Added]) -> Result<String> {
    let add: String = (own + 1..=own + added.len())
        .map(|n| format!("<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))
        .collect();
    insert_before(text, "</Types>", &add)
}

fn rels(text: &str, own: usize, added: &[Added]) -> Result<String> {
    let add: String = (own + 1..=own + added.len())
        .map(|n| {
            format!(
                "<Relationship Id=\"rIdSheet{n}\" Type=\"{WORKSHEET_TYPE}\" Target=\"worksheets/sheet{n}.xml\"/>"
            )
        })
        .collect();
    insert_before(text, "</Relationships>", &add)
}

/// A sheet's name quoted for a reference: `'so-01'`.
fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

fn xml_text(text: &str) -> String {
    let mut s = String::new();
    push_escaped(&mut s, text);
    s.replace('"', "&quot;")
}

fn workbook_xml(text: &str, own: usize, added: &[Added]) -> Result<String> {
    let sheets: String = added
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let n = own + 1 + i;
            format!(
                "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rIdSheet{n}\"/>",
                xml_text(&a.name)
            )
        })
        .collect();
    let text = insert_before(text, "</sheets>", &sheets)?;
    let mut names = String::new();
    for (i, a) in added.iter().enumerate() {
        let at = own + i;
        let q = xml_text(&quoted(&a.name));
        let (r0, c0, r1, c1) = a.filter;
        names.push_str(&format!(
            "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{at}\" hidden=\"1\">{q}!${}${}:${}${}</definedName>",
            col_name(c0),
            r0 + 1,
            col_name(c1),
            r1 + 1
        ));
        let t = a.title_row + 1;
        names.push_str(&format!(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{at}\">{q}!${t}:${t}</definedName>"
        ));
    }
    if text.contains("</definedNames>") {
        insert_before(&text, "</definedNames>", &names)
    } else {
        insert_before(
            &text,
            "<calcPr",
            &format!("<definedNames>{names}</definedNames>"),
        )
    }
}

fn col_name(c: u16) -> String {
    let mut s = cell_ref(0, c);
    s.pop();
    s
}

/// The document's properties counting and naming the added sheets and
/// their print titles; left as they were where they are not in the
/// library's shape (they are a summary readers recompute).
fn app(text: &str, own: usize, added: &[Added]) -> String {
    let count = |text: &str, heading: &str| -> Option<(usize, usize)> {
        let key = format!("<vt:lpstr>{heading}</vt:lpstr></vt:variant><vt:variant><vt:i4>");
        let from = text.find(&key)? + key.len();
        let len = text[from..].find('<')?;
        Some((from, text[from..from + len].parse().ok()?))
    };
    let edit = || -> Option<String> {
        let (ws_at, ws) = count(text, "Worksheets")?;
        if ws != own {
            return None;
        }
        let ranges = count(text, "Named Ranges");
        let vector = "<TitlesOfParts><vt:vector size=\"";
        let v_at = text.find(vector)? + vector.len();
        let v_len = text[v_at..].find('"')?;
        let size: usize = text[v_at..v_at + v_len].parse().ok()?;
        // After the library's sheet names, ours; after its ranges, ours.
        let titles_from = text[v_at..].find('>')? + v_at + 1;
        let mut at = titles_from;
        for _ in 0..own {
            at += text[at..].find("</vt:lpstr>")? + "</vt:lpstr>".len();
        }
        let end = text[titles_from..].find("</vt:vector>")? + titles_from;
        let sheet_titles: String = added
            .iter()
            .map(|a| format!("<vt:lpstr>{}</vt:lpstr>", xml_text(&a.name)))
            .collect();
        let range_titles: String = added
            .iter()
            .map(|a| {
                format!(
                    "<vt:lpstr>{}!Print_Titles</vt:lpstr>",
                    xml_text(&quoted(&a.name))
                )
            })
            .collect();
        let n = added.len();
        let mut out = String::with_capacity(text.len() + sheet_titles.len() * 3);
        out.push_str(&text[..ws_at]);
        out.push_str(&(own + n).to_string());
        let mut from = ws_at + own.to_string().len();
        if let Some((r_at, r)) = ranges {
            out.push_str(&text[from..r_at]);
            out.push_str(&(r + n).to_string());
            from = r_at + r.to_string().len();
        }
        out.push_str(&text[from..v_at]);
        let extra = if ranges.is_some() { 2 * n } else { n };
        out.push_str(&(size + extra).to_string());
        out.push_str(&text[v_at + v_len..at]);
        out.push_str(&sheet_titles);
        out.push_str(&text[at..end]);
        if ranges.is_some() {
            out.push_str(&range_titles);
        }
        out.push_str(&text[end..]);
        Some(out)
    };
    edit().unwrap_or_else(|| text.to_string())
}

/// The library's own sheets take cells the same way.
impl Cells for rust_xlsxwriter::Worksheet {
    fn text(&mut self, r: u32, c: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
        self.write_string_with_format(r, c, text, f).map(|_| ())
    }

    fn number(&mut self, r: u32, c: u16, n: f64, f: &Format) -> Result<(), XlsxError> {
        self.write_number_with_format(r, c, n, f).map(|_| ())
    }

    fn formula(
        &mut self,
        r: u32,
        c: u16,
        formula: &str,
        result: &str,
        f: &Format,
    ) -> Result<(), XlsxError> {
        let formula = rust_xlsxwriter::Formula::new(formula).set_result(result);
        self.write_formula_with_format(r, c, formula, f).map(|_| ())
    }

    fn blank(&mut self, r: u32, c: u16, f: &Format) -> Result<(), XlsxError> {
        self.write_blank(r, c, f).map(|_| ())
    }

    fn row_height(&mut self, r: u32, points: f64) -> Result<(), XlsxError> {
        self.set_row_height(r, points).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(n: f64) -> String {
        let mut s = String::new();
        push_number(&mut s, n);
        s
    }

    #[test]
    fn a_number_reads_as_rust_writes_it() {
        for h in
            (-1_000_000i64..=1_000_000).chain([i64::from(u32::MAX) * 100 + 7, 99_999_999_999_999])
        {
            let n = h as f64 / 100.0;
            assert_eq!(number(n), format!("{n}"), "{h} hundredths");
        }
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = f64::from_bits(x);
            if n.is_finite() {
                assert_eq!(number(n), format!("{n}"), "{x:#x}");
            }
        }
        for n in [
            0.0,
            -0.0,
            0.125,
            1.0 / 3.0,
            1e14,
            1e20,
            -2.5e-9,
            15.75,
            409.0,
        ] {
            assert_eq!(number(n), format!("{n}"), "{n:?}");
        }
    }

    #[test]
    fn a_cell_is_named_as_the_library_names_it() {
        for (r, c) in [
            (0, 0),
            (6, 1),
            (1_048_575, 16_383),
            (99, 25),
            (99, 26),
            (0, 701),
            (0, 702),
        ] {
            assert_eq!(
                cell_ref(r, c),
                rust_xlsxwriter::utility::row_col_to_cell(r, c)
            );
        }
    }
}
