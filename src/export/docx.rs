//! Word documents (.docx) laid out as Nghị định 30/2020/NĐ-CP Phụ lục I asks: A4, its margins, Times New Roman, the national heading, signature blocks kept with their text, header rows repeated, rows never split; byte-identical for the same content.
//!
//! WordprocessingML written directly over the zip writer the forms already
//! use: a document part, its styles and settings, nothing that carries a time.
//! (docx-rs, the maintained writer, cannot mark a table's header rows to
//! repeat, which every paper here needs.)

use std::fmt::Write as _;
use std::io::Write as _;

use anyhow::Result;

/// Twentieths of a point per millimetre, rounded (a page's measures).
const fn mm(v: u32) -> u32 {
    v * 1440 * 10 / 254
}

/// A4, in twentieths of a point.
const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;

/// The decree's margins: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
const TOP: u32 = mm(20);
const BOTTOM: u32 = mm(20);
const LEFT: u32 = mm(30);
const RIGHT: u32 = mm(15);

/// The width text runs across, portrait and landscape.
pub const PORTRAIT_WIDTH: u32 = A4_SHORT - LEFT - RIGHT;
pub const LANDSCAPE_WIDTH: u32 = A4_LONG - LEFT - RIGHT;

/// The body's size in half-points (14 pt); tables' (12 pt).
pub const BODY: u32 = 28;
pub const TABLE: u32 = 24;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    #[default]
    Both,
    Left,
    Center,
    Right,
}

/// A run of text in one look.
#[derive(Clone, Debug, Default)]
pub struct Run {
    text: String,
    bold: bool,
    italic: bool,
    underline: bool,
    size: Option<u32>,
}

/// A paragraph.
#[derive(Clone, Debug, Default)]
pub struct Para {
    runs: Vec<Run>,
    align: Align,
    keep_next: bool,
    before: u32,
    after: u32,
    first_line: u32,
    size: Option<u32>,
}

impl Para {
    pub fn new() -> Para {
        Para {
            after: 120,
            ..Para::default()
        }
    }

    /// A paragraph of one plain run.
    pub fn text(text: impl Into<String>) -> Para {
        Para::new().plain(text)
    }

    fn run(mut self, text: impl Into<String>, f: impl FnOnce(&mut Run)) -> Para {
        let mut r = Run {
            text: text.into(),
            ..Run::default()
        };
        f(&mut r);
        self.runs.push(r);
        self
    }

    pub fn plain(self, text: impl Into<String>) -> Para {
        self.run(text, |_| {})
    }

    pub fn bold(self, text: impl Into<String>) -> Para {
        self.run(text, |r| r.bold = true)
    }

    pub fn italic(self, text: impl Into<String>) -> Para {
        self.run(text, |r| r.italic = true)
    }

    /// Bold and underlined (the motto under the national name).
    pub fn bold_underlined(self, text: impl Into<String>) -> Para {
        self.run(text, |r| {
            r.bold = true;
            r.underline = true;
        })
    }

    pub fn align(mut self, a: Align) -> Para {
        self.align = a;
        self
    }

    pub fn center(self) -> Para {
        self.align(Align::Center)
    }

    /// Kept on the page of the paragraph (or table) after it.
    pub fn keep_next(mut self) -> Para {
        self.keep_next = true;
        self
    }

    /// Space before and after, in twentieths of a point.
    pub fn space(mut self, before: u32, after: u32) -> Para {
        self.before = before;
        self.after = after;
        self
    }

    /// The first line indented (the body's paragraphs).
    pub fn indent(mut self) -> Para {
        self.first_line = mm(10);
        self
    }

    /// Every run's size, in half-points.
    pub fn size(mut self, half_points: u32) -> Para {
        self.size = Some(half_points);
        self
    }

    fn xml(&self, out: &mut String, section: Option<&str>) {
        out.push_str("<w:p><w:pPr>");
        if self.keep_next {
            out.push_str("<w:keepNext/><w:keepLines/>");
        }
        let _ = write!(
            out,
            "<w:spacing w:before=\"{}\" w:after=\"{}\"/>",
            self.before, self.after
        );
        if self.first_line > 0 {
            let _ = write!(out, "<w:ind w:firstLine=\"{}\"/>", self.first_line);
        }
        let jc = match self.align {
            Align::Both => "both",
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        };
        let _ = write!(out, "<w:jc w:val=\"{jc}\"/>");
        if let Some(s) = section {
            out.push_str(s);
        }
        out.push_str("</w:pPr>");
        for r in &self.runs {
            out.push_str("<w:r><w:rPr>");
            if r.bold {
                out.push_str("<w:b/><w:bCs/>");
            }
            if r.italic {
                out.push_str("<w:i/><w:iCs/>");
            }
            if r.underline {
                out.push_str("<w:u w:val=\"single\"/>");
            }
            if let Some(s) = r.size.or(self.size) {
                let _ = write!(out, "<w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/>");
            }
            out.push_str("</w:rPr>");
            for (i, line) in r.text.split('\n').enumerate() {
                if i > 0 {
                    out.push_str("<w:br/>");
                }
                let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", esc(line));
            }
            out.push_str("</w:r>");
        }
        out.push_str("</w:p>");
    }
}

/// A table cell: its paragraphs.
#[derive(Clone, Debug)]
pub struct Cell {
    paras: Vec<Para>,
}

impl Cell {
    pub fn of(paras: Vec<Para>) -> Cell {
        Cell { paras }
    }

    /// A cell of one paragraph of text, aligned.
    pub fn text(text: impl Into<String>, align: Align) -> Cell {
        Cell::of(vec![Para::text(text).align(align).space(0, 0)])
    }

    /// A header cell: bold, centred.
    pub fn head(text: impl Into<String>) -> Cell {
        Cell::of(vec![Para::new().bold(text).center().space(0, 0)])
    }
}

/// A table: its column widths, its rows (the first `header` of them repeated
/// on every page), with or without borders; no row split across pages.
#[derive(Clone, Debug)]
pub struct Table {
    widths: Vec<u32>,
    rows: Vec<Vec<Cell>>,
    header: usize,
    borders: bool,
    size: u32,
    keep_next: bool,
}

impl Table {
    pub fn new(widths: Vec<u32>) -> Table {
        Table {
            widths,
            rows: Vec::new(),
            header: 0,
            borders: true,
            size: TABLE,
            keep_next: false,
        }
    }

    /// A bordered table across `width`, its columns given as (per cent of the
    /// width, title), the titles its header row, repeated on every page.
    pub fn headed(width: u32, columns: &[(u32, &str)]) -> Table {
        let mut t =
            Table::new(columns.iter().map(|(pct, _)| width * pct / 100).collect()).header(1);
        t.row(
            columns
                .iter()
                .map(|(_, title)| Cell::head(*title))
                .collect(),
        );
        t
    }

    /// Without borders (the heading block, the signature blocks), at the body's size.
    pub fn plain(widths: Vec<u32>) -> Table {
        Table {
            borders: false,
            size: BODY,
            ..Table::new(widths)
        }
    }

    /// Its text's size, in half-points (a wide annex's 10 pt).
    pub fn size(mut self, half_points: u32) -> Table {
        self.size = half_points;
        self
    }

    /// The first `n` rows repeat on every page.
    pub fn header(mut self, n: usize) -> Table {
        self.header = n;
        self
    }

    /// Every paragraph kept with the next: the table stays on one page with
    /// what follows it (a signature block with its names).
    pub fn keep_together(mut self) -> Table {
        self.keep_next = true;
        self
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    fn xml(&self, out: &mut String) {
        out.push_str("<w:tbl><w:tblPr>");
        let total: u32 = self.widths.iter().sum();
        let _ = write!(
            out,
            "<w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/>"
        );
        let line = if self.borders {
            "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""
        } else {
            "w:val=\"nil\""
        };
        out.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            let _ = write!(out, "<w:{side} {line}/>");
        }
        out.push_str("</w:tblBorders><w:tblCellMar><w:left w:w=\"70\" w:type=\"dxa\"/><w:right w:w=\"70\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>");
        for w in &self.widths {
            let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
        }
        out.push_str("</w:tblGrid>");
        for (i, row) in self.rows.iter().enumerate() {
            out.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if i < self.header {
                out.push_str("<w:tblHeader/>");
            }
            out.push_str("</w:trPr>");
            for (col, cell) in row.iter().enumerate() {
                let width = self.widths.get(col).copied().unwrap_or_default();
                let _ = write!(
                    out,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
                );
                if cell.paras.is_empty() {
                    Para::new().space(0, 0).xml(out, None);
                }
                for p in &cell.paras {
                    let mut p = p.clone();
                    if p.size.is_none() {
                        p.size = Some(self.size);
                    }
                    // Kept with the next row: a header with the first body
                    // row, a whole table kept together when asked.
                    if self.keep_next || i < self.header {
                        p.keep_next = true;
                    }
                    p.xml(out, None);
                }
                out.push_str("</w:tc>");
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
    }
}

/// A document being written: its sections, each A4 portrait or landscape.
#[derive(Default)]
pub struct Docx {
    body: String,
}

impl Docx {
    pub fn new() -> Docx {
        Docx::default()
    }

    pub fn para(&mut self, p: Para) {
        p.xml(&mut self.body, None);
    }

    pub fn table(&mut self, t: &Table) {
        t.xml(&mut self.body);
    }

    /// Ends the section written so far (its pages portrait or landscape);
    /// what follows starts a new page.
    pub fn end_section(&mut self, landscape: bool) {
        Para::new()
            .space(0, 0)
            .xml(&mut self.body, Some(&section(landscape)));
    }

    /// The document as the bytes of a .docx file, its last section as given.
    pub fn finish(mut self, landscape: bool) -> Result<Vec<u8>> {
        self.body.push_str(&section(landscape));
        let document = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{}</w:body></w:document>",
            self.body
        );
        let parts: [(&str, &str); 6] = [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS),
            ("word/document.xml", &document),
            ("word/styles.xml", STYLES),
            ("word/settings.xml", SETTINGS),
        ];
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        // A fixed time in every entry: the same content, the same bytes.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, text) in parts {
            zip.start_file(name, options)?;
            zip.write_all(text.as_bytes())?;
        }
        Ok(zip.finish()?.into_inner())
    }
}

/// A section's page: A4, the decree's margins, portrait or landscape.
fn section(landscape: bool) -> String {
    let (w, h, orient) = if landscape {
        (A4_LONG, A4_SHORT, " w:orient=\"landscape\"")
    } else {
        (A4_SHORT, A4_LONG, "")
    };
    format!(
        "<w:sectPr><w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/>\
         <w:pgMar w:top=\"{TOP}\" w:right=\"{RIGHT}\" w:bottom=\"{BOTTOM}\" w:left=\"{LEFT}\" \
         w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
    )
}

/// Text as XML character data; characters XML cannot hold are left out.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push(' '),
            c if (c as u32) < 0x20 => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
</Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
</Relationships>";

/// Times New Roman 14 pt, Vietnamese, black, single spacing.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
<w:color w:val=\"000000\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"720\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decrees_page_and_the_same_bytes_twice() {
        let make = || {
            let mut d = Docx::new();
            d.para(Para::new().bold("BIÊN BẢN").center());
            let mut t = Table::new(vec![1000, 2000]).header(1);
            t.row(vec![Cell::head("A"), Cell::head("B & <C>")]);
            t.row(vec![
                Cell::text("1", Align::Center),
                Cell::text("x", Align::Left),
            ]);
            d.table(&t);
            d.end_section(false);
            d.para(Para::text("Phụ lục"));
            d.finish(true).unwrap()
        };
        let (a, b) = (make(), make());
        assert_eq!(a, b, "deterministic");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
            .unwrap();
        assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
        assert!(doc.contains("<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"));
        assert!(doc.contains("<w:tblHeader/>") && doc.contains("<w:cantSplit/>"));
        assert!(doc.contains("B &amp; &lt;C&gt;"));
        assert_eq!(LEFT, 1700);
    }
}
