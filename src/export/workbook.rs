//! The workbook `Kết quả thẩm định`: a ranking sheet per group, the published annex, a sheet per unit with its subtotals as formulas.

use std::collections::HashSet;

use anyhow::{Context, Result};
use rust_xlsxwriter::{Chart, ChartType, Color, Format, Formula, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::{Snapshot, formula_like, member_name};
use crate::appraisal::self_value;
use crate::points::Points;
use crate::xlsx::stream::{self, Added, Cells, Layout, Sheet, Xf};
use crate::xlsx::{self, number};

/// The text a not-applicable leaf shows in a points column; a formula's SUM skips it.
pub const NA: &str = "KAD";

/// Every style the workbook uses, made once.
struct Styles {
    title: Format,
    note: Format,
    header: Format,
    text: Format,
    wrap: Format,
    points: Format,
    index: Format,
    whole: Format,
    field: Format,
    field_points: Format,
    criterion: Format,
    criterion_points: Format,
    total: Format,
    total_points: Format,
    total_index: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = xlsx::cell();
        let points = cell.clone().set_num_format("0.00");
        let field = xlsx::heading(xlsx::FIELD);
        let criterion = xlsx::heading(xlsx::CRITERION);
        let total = cell.clone().set_bold();
        Styles {
            title: Format::new().set_bold().set_font_size(13),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            header: xlsx::header(xlsx::CRITERION),
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap(),
            index: points.clone(),
            whole: cell.clone().set_num_format("0"),
            field_points: field.clone().set_num_format("0.00"),
            field,
            criterion_points: criterion.clone().set_num_format("0.00"),
            criterion,
            total_points: total.clone().set_num_format("0.00"),
            total_index: total.clone().set_num_format("0.00"),
            total,
            points,
        }
    }

    /// Every style, in the order the workbook registers them.
    fn all(&self) -> [&Format; 15] {
        [
            &self.title,
            &self.note,
            &self.header,
            &self.text,
            &self.wrap,
            &self.points,
            &self.index,
            &self.whole,
            &self.field,
            &self.field_points,
            &self.criterion,
            &self.criterion_points,
            &self.total,
            &self.total_points,
            &self.total_index,
        ]
    }
}

/// Column widths in characters, grown to fit what is written (within bounds).
struct Widths(Vec<f64>);

impl Widths {
    fn new(min: &[f64]) -> Widths {
        Widths(min.to_vec())
    }

    /// Notes a text written in column `c`; its longest line counts, up to `cap`.
    fn fit(&mut self, c: u16, text: &str, cap: f64) {
        let w = text.lines().map(|l| l.width()).max().unwrap_or(0) as f64 + 2.0;
        if let Some(x) = self.0.get_mut(c as usize) {
            *x = x.max(w.min(cap));
        }
    }

    fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, w) in self.0.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        Ok(())
    }
}

/// A1-style reference of a 0-based cell.
fn cell(row: u32, col: u16) -> String {
    stream::cell_ref(row, col)
}

/// Writes a text from the inputs as text: one a spreadsheet would run as a
/// formula is marked with Excel's quote prefix (it stays text when edited).
pub(super) fn put(
    ws: &mut impl Cells,
    r: u32,
    c: u16,
    text: impl AsRef<str>,
    f: &Format,
) -> Result<(), XlsxError> {
    let text = text.as_ref();
    if formula_like(text) {
        ws.text(r, c, text, &f.clone().set_quote_prefix())
    } else {
        ws.text(r, c, text, f)
    }
}

/// The workbook of a snapshot.
pub fn workbook(snap: &Snapshot) -> Result<Vec<u8>> {
    let (book, added, parts) = pieces(snap)?;
    stream::splice(&book, &added, parts)
        .context(crate::i18n::say(|w| w.er_writing_xlsx.to_string()))
}

/// [`workbook`] written to `sink` as it is put together: a 10,000-unit
/// council's workbook is never held whole in memory.
pub fn workbook_into<W: std::io::Write + std::io::Seek>(snap: &Snapshot, sink: W) -> Result<W> {
    let (book, added, parts) = pieces(snap)?;
    stream::splice_into(&book, &added, parts, sink)
        .context(crate::i18n::say(|w| w.er_writing_xlsx.to_string()))
}

/// The library's workbook (the ranking sheets, the annex, the comparison)
/// and each unit's sheet made apart, deflated, for [`stream::splice`].
fn pieces(snap: &Snapshot) -> Result<(Vec<u8>, Vec<Added>, Vec<stream::Part>)> {
    let c = snap.council;
    let mut wb = Workbook::new();
    let at = snap
        .local_time()
        .map(|(y, m, d, hh, mm, ss)| (y as u16, m as u8, d as u8, hh as u16, mm as u8, ss as u8))
        .unwrap_or((c.year.clamp(1900, 9999) as u16, 1, 1, 0, 0, 0));
    wb.set_properties(&xlsx::properties(
        &format!("Kết quả thẩm định Chỉ số CCHC năm {} — {}", c.year, c.name),
        at,
    )?);
    // The styles first, so that a streamed sheet knows each one's index.
    let s = Styles::new();
    let xf = Xf::register(&mut wb, &s.all());
    let mut names = HashSet::new();
    for g in 0..c.groups.len() {
        let ws = wb.add_worksheet();
        let name = sheet_name(&format!("Xếp hạng {}", c.groups[g].name), &mut names);
        ranking(ws, snap, g, &name, &s).context(crate::i18n::say(|w| {
            w.er_laying_out_ranking_sheet.to_string()
        }))?;
    }
    let ws = wb.add_worksheet();
    let name = sheet_name("Phụ lục", &mut names);
    annex(ws, snap, &name, &s).context(crate::i18n::say(|w| w.er_laying_out_annex.to_string()))?;
    let ws = wb.add_worksheet();
    let name = sheet_name("So sánh", &mut names);
    comparison(ws, snap, &name, &s)
        .context(crate::i18n::say(|w| w.er_laying_out_annex.to_string()))?;
    let book = wb
        .save_to_buffer()
        .context(crate::i18n::say(|w| w.er_writing_xlsx.to_string()))?;
    // Each unit's sheet, in the groups' ranking order, written as XML on
    // every core and deflated as it is made, then added to the workbook.
    let units: Vec<usize> = (0..c.groups.len())
        .flat_map(|g| snap.ranked(g).iter().copied())
        .collect();
    let sheet_names: Vec<String> = units
        .iter()
        .map(|&u| sheet_name(&c.units[u].id, &mut names))
        .collect();
    let (added, parts) = stream::make_sheets(units.len(), |i| {
        let mut sheet = Sheet::new(&xf);
        let layout = unit_sheet(&mut sheet, snap, units[i], &s)
            .context(crate::i18n::say(|w| w.er_laying_out_unit_sheet.to_string()))?;
        let added = Added {
            name: sheet_names[i].clone(),
            filter: layout.filter,
            title_row: layout.title_row,
        };
        Ok((added, sheet.finish(&layout)))
    })
    .context(crate::i18n::say(|w| w.er_writing_xlsx.to_string()))?;
    Ok((book, added, parts))
}

/// A sheet name Excel accepts: no `[]:*?/\`, no leading or trailing
/// apostrophe, at most 31 characters, unique in the workbook (case-insensitive).
pub fn sheet_name(want: &str, used: &mut HashSet<String>) -> String {
    let clean: String = want
        .chars()
        .map(|ch| {
            if "[]:*?/\\".contains(ch) || ch.is_control() {
                '-'
            } else {
                ch
            }
        })
        .collect();
    let clean = clean.trim_matches(|ch: char| ch == '\'' || ch.is_whitespace());
    let clean = if clean.is_empty() { "Sheet" } else { clean };
    // At most 31 characters (Excel's limit), cut at a word's end where one
    // leaves most of the name.
    let mut base: String = clean.chars().take(31).collect();
    if clean.chars().count() > 31
        && let Some(space) = base.rfind(' ')
        && base[..space].chars().count() >= 16
    {
        base = base[..space].trim_end_matches([',', ' ']).to_string();
    }
    let mut name = base.clone();
    let mut n = 2;
    while used.contains(&name.to_lowercase()) || name.eq_ignore_ascii_case("history") {
        let tail = format!("~{n}");
        let keep = 31 - tail.chars().count();
        name = base.chars().take(keep).collect::<String>() + &tail;
        n += 1;
    }
    used.insert(name.to_lowercase());
    name
}

/// Title rows shared by every sheet: the title, then the council and authority.
fn title(ws: &mut impl Cells, snap: &Snapshot, text: &str, s: &Styles) -> Result<(), XlsxError> {
    let c = snap.council;
    put(ws, 0, 0, text, &s.title)?;
    put(ws, 1, 0, format!("{} — {}", c.name, c.authority), &s.note)?;
    Ok(())
}

/// Every printed sheet's footer: the page number of the pages.
const FOOTER: &str = "&CTrang &P/&N";

/// A sheet printed on A4, one page wide, its header row on every page, pages numbered.
pub(super) fn a4(ws: &mut Worksheet, landscape: bool, header_row: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_footer(FOOTER);
    Ok(())
}

const RANKING_TITLES: [&str; 10] = [
    "Hạng",
    "Mã đơn vị",
    "Đơn vị",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Điểm tối đa",
    "Chỉ số tự chấm (%)",
    "Chỉ số (%)",
    "Xếp loại",
    "Chênh lệch điểm so với tự chấm",
];

/// One group's ranking: a row per unit; the change from self points is a formula.
fn ranking(
    ws: &mut Worksheet,
    snap: &Snapshot,
    g: usize,
    name: &str,
    s: &Styles,
) -> Result<(), XlsxError> {
    let c = snap.council;
    let fw = snap.framework(g);
    ws.set_name(name)?;
    title(
        ws,
        snap,
        &format!(
            "KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {} — {}",
            c.year, c.groups[g].name
        ),
        s,
    )?;
    const HEADER: u32 = 3;
    let mut widths = Widths::new(&[7.0, 14.0, 30.0, 10.0, 10.0, 10.0, 11.0, 10.0, 14.0, 14.0]);
    for (i, t) in RANKING_TITLES.iter().enumerate() {
        ws.write_string_with_format(HEADER, i as u16, *t, &s.header)?;
    }
    ws.set_row_height(HEADER, 48)?;
    let mut r = HEADER + 1;
    for &u in snap.ranked(g) {
        let st = &snap.standings.units[u];
        let unit = &c.units[u];
        let mut unit_name = unit.name.clone();
        if !c.submitted(u) {
            unit_name.push_str(" (chưa nộp)");
        }
        ws.write_number_with_format(r, 0, f64::from(st.rank), &s.whole)?;
        put(ws, r, 1, &unit.id, &s.text)?;
        put(ws, r, 2, &unit_name, &s.text)?;
        ws.write_number_with_format(r, 3, number(st.self_score.total), &s.points)?;
        ws.write_number_with_format(r, 4, number(st.score.total), &s.points)?;
        ws.write_number_with_format(r, 5, number(st.score.max), &s.points)?;
        let self_index = st.self_score.index();
        let index = st.score.index();
        ws.write_number_with_format(r, 6, number(self_index), &s.index)?;
        ws.write_number_with_format(r, 7, number(index), &s.index)?;
        let band = &fw.bands[st.band].name;
        put(ws, r, 8, band, &s.text)?;
        let change = st.score.total - st.self_score.total;
        ws.write_formula_with_format(
            r,
            9,
            Formula::new(format!("={}-{}", cell(r, 4), cell(r, 3)))
                .set_result(xlsx::result(change)),
            &s.points,
        )?;
        widths.fit(1, &unit.id, 30.0);
        widths.fit(2, &unit_name, 50.0);
        widths.fit(8, band, 24.0);
        r += 1;
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(HEADER + 1, 0)?;
    ws.autofilter(HEADER, 0, r.saturating_sub(1).max(HEADER), 9)?;
    // The group's indexes as a bar chart under the table (the workbook's own
    // chart, as the minutes have theirs), printed with it.
    let units = snap.ranked(g).len() as u32;
    if units > 0 {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name("Chỉ số (%)")
            .set_categories((name, HEADER + 1, 2, HEADER + units, 2))
            .set_values((name, HEADER + 1, 7, HEADER + units, 7));
        chart.title().set_name(&format!(
            "Chỉ số CCHC năm {} — {}",
            c.year, c.groups[g].name
        ));
        chart.legend().set_hidden();
        // Rank 1 at the top, as in the table (a bar chart's categories run
        // up its vertical axis); the indexes from 0 to 100.
        chart.y_axis().set_reverse();
        chart.x_axis().set_min(0).set_max(100);
        chart.set_width(900).set_height(120 + 22 * units.min(200));
        ws.insert_chart(r + 1, 0, &chart)?;
    }
    a4(ws, false, HEADER)
}

/// Each unit's self-assessment gap and, with last year's result, its
/// predecessors' index and the change; the units whose self-assessment stood
/// out above the council's marked.
fn comparison(
    ws: &mut Worksheet,
    snap: &Snapshot,
    name: &str,
    s: &Styles,
) -> Result<(), XlsxError> {
    let c = snap.council;
    ws.set_name(name)?;
    title(
        ws,
        snap,
        &format!(
            "SO SÁNH TỰ CHẤM VÀ KẾT QUẢ THẨM ĐỊNH, SO VỚI NĂM TRƯỚC — NĂM {}",
            c.year
        ),
        s,
    )?;
    const HEADER: u32 = 3;
    const TITLES: [&str; 11] = [
        "Nhóm",
        "Hạng",
        "Mã đơn vị",
        "Đơn vị",
        "Chỉ số",
        "Chỉ số tự chấm",
        "Chênh tự chấm",
        "Đơn vị năm trước",
        "Chỉ số năm trước",
        "Thay đổi",
        "Tự chấm cao đáng kể",
    ];
    let mut widths = Widths::new(&[
        10.0, 7.0, 14.0, 30.0, 9.0, 10.0, 10.0, 20.0, 11.0, 10.0, 12.0,
    ]);
    for (i, t) in TITLES.iter().enumerate() {
        ws.write_string_with_format(HEADER, i as u16, *t, &s.header)?;
    }
    ws.set_row_height(HEADER, 32)?;
    let rows = snap.compared();
    let out: std::collections::HashSet<usize> = crate::compare::standing_out(rows)
        .iter()
        .map(|r| r.unit)
        .collect();
    let mut r = HEADER + 1;
    for row in rows {
        let unit = &c.units[row.unit];
        let group = &c.groups[unit.group].name;
        put(ws, r, 0, group, &s.text)?;
        ws.write_number_with_format(r, 1, f64::from(row.rank), &s.whole)?;
        put(ws, r, 2, &unit.id, &s.text)?;
        put(ws, r, 3, &unit.name, &s.text)?;
        for (col, h) in [(4u16, row.index), (5, row.self_index), (6, row.self_gap)] {
            ws.write_number_with_format(r, col, number(Points(h)), &s.index)?;
        }
        put(ws, r, 7, row.previous_units.join(" "), &s.text)?;
        for (col, h) in [(8u16, row.previous_index), (9, row.change)] {
            match h {
                Some(h) => ws.write_number_with_format(r, col, number(Points(h)), &s.index)?,
                None => ws.write_blank(r, col, &s.index)?,
            };
        }
        put(
            ws,
            r,
            10,
            if out.contains(&row.unit) { "x" } else { "" },
            &s.text,
        )?;
        widths.fit(3, &unit.name, 50.0);
        widths.fit(7, &row.previous_units.join(" "), 40.0);
        r += 1;
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(HEADER + 1, 0)?;
    ws.autofilter(HEADER, 0, r.saturating_sub(1).max(HEADER), 10)?;
    a4(ws, true, HEADER)
}

/// The published annex: per group, a row per unit with each field's points,
/// the total, the index with two decimals and the band.
fn annex(ws: &mut Worksheet, snap: &Snapshot, name: &str, s: &Styles) -> Result<(), XlsxError> {
    let c = snap.council;
    ws.set_name(name)?;
    title(
        ws,
        snap,
        &format!("PHỤ LỤC: KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {}", c.year),
        s,
    )?;
    ws.write_string_with_format(
        2,
        0,
        format!(
            "(Kèm theo Quyết định số ……/QĐ-…… ngày …… của {})",
            c.authority
        ),
        &s.note,
    )?;
    let widest = c
        .groups
        .iter()
        .enumerate()
        .map(|(g, _)| snap.framework(g).fields.len())
        .max()
        .unwrap_or(0);
    let mut min = vec![7.0, 30.0];
    min.extend(std::iter::repeat_n(11.0, widest));
    min.extend([10.0, 10.0, 14.0]);
    let mut widths = Widths::new(&min);
    let mut r = 4;
    for (g, group) in c.groups.iter().enumerate() {
        let fw = snap.framework(g);
        put(ws, r, 0, &group.name, &s.title)?;
        r += 1;
        let mut titles = vec!["Hạng".to_string(), "Đơn vị".to_string()];
        for f in &fw.fields {
            let max = if fw.bonus_and_deductions_only(f) {
                crate::model::EXTRA_FIELD_LABEL.to_string()
            } else {
                fw.max_of(&f.leaves).short()
            };
            titles.push(format!("{}. {} ({max})", f.code, f.name));
        }
        titles.extend([
            format!("Tổng điểm ({})", fw.full_max().short()),
            "Chỉ số (%)".into(),
            "Xếp loại".into(),
        ]);
        for (i, t) in titles.iter().enumerate() {
            put(ws, r, i as u16, t, &s.header)?;
        }
        let header_h = titles
            .iter()
            .enumerate()
            .map(|(i, t)| xlsx::row_height(&widths.0, &[(i as u16, t)]))
            .fold(30.0, f64::max);
        ws.set_row_height(r, header_h)?;
        r += 1;
        let n = fw.fields.len() as u16;
        for &u in snap.ranked(g) {
            let st = &snap.standings.units[u];
            ws.write_number_with_format(r, 0, f64::from(st.rank), &s.whole)?;
            put(ws, r, 1, &c.units[u].name, &s.text)?;
            widths.fit(1, &c.units[u].name, 50.0);
            for (i, f) in snap.field_scores(u).iter().enumerate() {
                ws.write_number_with_format(r, 2 + i as u16, number(f.total), &s.points)?;
            }
            ws.write_number_with_format(r, 2 + n, number(st.score.total), &s.points)?;
            let index = st.score.index();
            ws.write_number_with_format(r, 3 + n, number(index), &s.index)?;
            let band = &fw.bands[st.band].name;
            put(ws, r, 4 + n, band, &s.text)?;
            widths.fit(4 + n, band, 24.0);
            r += 1;
        }
        r += 1;
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(4, 2)?;
    let last = (widest as u16) + 4;
    ws.set_print_area(0, 0, r, last)?;
    a4(ws, true, 0)
}

mod ucol {
    pub const CODE: u16 = 0;
    pub const NAME: u16 = 1;
    pub const MAX: u16 = 2;
    pub const SELF: u16 = 3;
    pub const POINTS: u16 = 4;
    pub const COMMENT: u16 = 5;
    pub const BY: u16 = 6;
    pub const AT: u16 = 7;
    pub const EVIDENCE: u16 = 8;
}

const UNIT_TITLES: [&str; 9] = [
    "Mã",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Ý kiến của Hội đồng",
    "Người quyết định",
    "Thời điểm (giờ Việt Nam)",
    "Tài liệu kiểm chứng",
];

const UNIT_WIDTHS: [f64; 9] = [10.0, 50.0, 9.0, 9.0, 10.0, 40.0, 18.0, 21.0, 44.0];

/// Leaf rows of one range of leaves: first and last sheet row.
type Rows = (u32, u32);

/// `SUM(D12:D14,D16:D18)` over the leaf rows of a field or criterion.
fn sum_of(col: u16, ranges: &[Rows]) -> String {
    let mut sum = String::with_capacity(6 + ranges.len() * 12);
    sum.push_str("SUM(");
    for (i, &(a, b)) in ranges.iter().enumerate() {
        if i > 0 {
            sum.push(',');
        }
        stream::push_cell(&mut sum, a, col);
        sum.push(':');
        stream::push_cell(&mut sum, b, col);
    }
    sum.push(')');
    sum
}

/// One unit: every leaf with its self and appraised points (or `KAD`), the
/// council's comment, who decided and when, the evidence; field and criterion
/// subtotals, the total (floored at 0), the applicable max and the index as formulas.
fn unit_sheet(
    ws: &mut impl Cells,
    snap: &Snapshot,
    u: usize,
    s: &Styles,
) -> Result<Layout, XlsxError> {
    let c = snap.council;
    let unit = &c.units[u];
    let fw = c.framework_of(u);
    let st = &snap.standings.units[u];
    title(ws, snap, &format!("{} ({})", unit.name, unit.id), s)?;
    let group_n = snap.ranked(unit.group).len();
    let status = if c.submitted(u) {
        ""
    } else {
        " — chưa nộp tự đánh giá"
    };
    put(
        ws,
        2,
        0,
        format!(
            "{} — {} — Hạng {}/{} — Chỉ số {}% — {}{status}. {NA}: không áp dụng.",
            c.groups[unit.group].name,
            fw.name,
            st.rank,
            group_n,
            st.score.index_text(),
            fw.bands[st.band].name
        ),
        &s.note,
    )?;
    const HEADER: u32 = 4;
    for (i, t) in UNIT_TITLES.iter().enumerate() {
        ws.text(HEADER, i as u16, t, &s.header)?;
    }
    for round in 1..=round_columns(snap) {
        let col = ucol::EVIDENCE + round as u16;
        ws.text(HEADER, col, &format!("Vòng {round}"), &s.header)?;
    }
    ws.row_height(HEADER, 32.0)?;
    let mut r = HEADER + 1;
    let first = r;
    let mut field_rows = Vec::new();
    for field in &fw.fields {
        // Where each row of the field stands is known before any is written:
        // a unit's sheet is written row after row, never back.
        let field_row = r;
        r += 1;
        let mut plan = Vec::new();
        for cr in &field.criteria {
            let heading = if cr.scored_itself(&fw.leaves) {
                None
            } else {
                r += 1;
                Some(r - 1)
            };
            let start = r;
            r += cr.leaves.len() as u32;
            plan.push((cr, heading, (start, r - 1)));
        }
        let field_ranges: Vec<Rows> = plan.iter().map(|p| p.2).collect();
        let (own, total) = snap.sums(u, &field.leaves);
        heading_row(
            ws,
            field_row,
            (&field.code, &field.name),
            &field_ranges,
            [fw.max_of(&field.leaves), own.total, total.total],
            (&s.field, &s.field_points),
        )?;
        for (cr, heading, range) in plan {
            if let Some(h) = heading {
                let (own, total) = snap.sums(u, &cr.leaves);
                heading_row(
                    ws,
                    h,
                    (&cr.code, &cr.name),
                    &[range],
                    [fw.max_of(&cr.leaves), own.total, total.total],
                    (&s.criterion, &s.criterion_points),
                )?;
            }
            for (row, l) in (range.0..).zip(cr.leaves.clone()) {
                leaf_row(ws, snap, u, l, row, s)?;
            }
        }
        field_rows.push(field_row);
    }
    let last = r.saturating_sub(1).max(first);

    // Totals: the sum of the fields floored at 0, the applicable max (the full
    // max less the leaves marked KAD), the index rounded to two decimals.
    let total_row = r + 1;
    let max_row = r + 2;
    let index_row = r + 3;
    let fields_sum = |col: u16| -> String {
        let parts: Vec<String> = field_rows.iter().map(|fr| cell(*fr, col)).collect();
        if parts.is_empty() {
            "0".into()
        } else {
            parts.join("+")
        }
    };
    let scores = [(ucol::SELF, st.self_score), (ucol::POINTS, st.score)];
    ws.text(total_row, ucol::NAME, "Tổng điểm (không dưới 0)", &s.total)?;
    ws.formula(
        total_row,
        ucol::MAX,
        &fields_sum(ucol::MAX),
        &xlsx::result(fw.full_max()),
        &s.total_points,
    )?;
    for (col, score) in scores {
        ws.formula(
            total_row,
            col,
            &format!("MAX(0,{})", fields_sum(col)),
            &xlsx::result(score.total),
            &s.total_points,
        )?;
    }
    ws.text(
        max_row,
        ucol::NAME,
        "Điểm tối đa của các tiêu chí áp dụng",
        &s.total,
    )?;
    for (col, score) in scores {
        let range = format!("{}:{}", cell(first, col), cell(last, col));
        let maxes = format!("{}:{}", cell(first, ucol::MAX), cell(last, ucol::MAX));
        ws.formula(
            max_row,
            col,
            &format!(
                "{}-SUMIF({range},\"{NA}\",{maxes})",
                cell(total_row, ucol::MAX)
            ),
            &xlsx::result(score.max),
            &s.total_points,
        )?;
    }
    ws.text(index_row, ucol::NAME, "Chỉ số (%)", &s.total)?;
    for (col, score) in scores {
        let (t, m) = (cell(total_row, col), cell(max_row, col));
        let formula = match fw.max_index {
            // The framework caps the index (bonus points may pass the max).
            Some(cap) => format!("IF({m}>0,MIN({cap},ROUND({t}/{m}*100,2)),0)"),
            None => format!("IF({m}>0,ROUND({t}/{m}*100,2),0)"),
        };
        ws.formula(
            index_row,
            col,
            &formula,
            &xlsx::result(score.index()),
            &s.total_index,
        )?;
    }
    ws.text(
        index_row + 1,
        ucol::NAME,
        &format!("Xếp loại: {}", fw.bands[st.band].name),
        &s.total,
    )?;
    let right = ucol::EVIDENCE + round_columns(snap) as u16;
    let mut widths = UNIT_WIDTHS.to_vec();
    widths.resize(usize::from(right) + 1, 9.0);
    Ok(Layout {
        widths,
        freeze: (HEADER + 1, 2),
        filter: (HEADER, 0, last, right),
        landscape: true,
        title_row: HEADER,
        footer: FOOTER,
    })
}

/// The columns of each round's value on a unit's sheet: one per round after
/// more than one (as the per-leaf CSV has them), else none.
fn round_columns(snap: &Snapshot) -> i64 {
    match snap.rounds() {
        1 => 0,
        n => n,
    }
}

/// A field or criterion row: its max and both subtotals as sums of its leaf rows.
fn heading_row(
    ws: &mut impl Cells,
    r: u32,
    (code, name): (&str, &str),
    ranges: &[Rows],
    [max, own, total]: [Points; 3],
    (f, fp): (&Format, &Format),
) -> Result<(), XlsxError> {
    put(ws, r, ucol::CODE, code, f)?;
    put(ws, r, ucol::NAME, name, f)?;
    for (col, v) in [(ucol::MAX, max), (ucol::SELF, own), (ucol::POINTS, total)] {
        ws.formula(r, col, &sum_of(col, ranges), &xlsx::result(v), fp)?;
    }
    for col in ucol::COMMENT..=ucol::EVIDENCE {
        ws.blank(r, col, f)?;
    }
    ws.row_height(r, xlsx::row_height(&UNIT_WIDTHS, &[(ucol::NAME, name)]))?;
    Ok(())
}

fn leaf_row(
    ws: &mut impl Cells,
    snap: &Snapshot,
    u: usize,
    l: usize,
    r: u32,
    s: &Styles,
) -> Result<(), XlsxError> {
    let c = snap.council;
    let leaf = &c.framework_of(u).leaves[l];
    let claim = &c.assessments[u].claims[l];
    put(ws, r, ucol::CODE, &leaf.code, &s.text)?;
    put(ws, r, ucol::NAME, &leaf.name, &s.wrap)?;
    if leaf.rule == crate::model::Rule::Bonus {
        // A bonus leaf adds nothing to the max: its bound as text (`+2`, as
        // the screen marks it), which the sums of the max column pass over.
        let bound = format!("+{}", leaf.max.short());
        ws.text(r, ucol::MAX, &bound, &s.points)?;
    } else {
        ws.number(r, ucol::MAX, number(leaf.max), &s.points)?;
    }
    let own = self_value(c, u, l);
    let value = snap.appraisal.value(c, u, l);
    let assessed = crate::appraisal::self_assessed(c, u, l);
    for (col, v) in [(ucol::SELF, own), (ucol::POINTS, value)] {
        if col == ucol::SELF && !assessed {
            // Not self-assessed: an empty cell, never a 0.
            ws.blank(r, col, &s.points)?;
        } else if v.na {
            ws.text(r, col, NA, &s.text)?;
        } else {
            ws.number(r, col, number(v.points), &s.points)?;
        }
    }
    let d = snap.appraisal.decisions.get(&(u, l));
    let comment = d.map_or("", |d| d.comment.as_str());
    put(ws, r, ucol::COMMENT, comment, &s.wrap)?;
    let by = d.map_or(String::new(), |d| member_name(c, &d.member).to_string());
    put(ws, r, ucol::BY, &by, &s.wrap)?;
    // Vietnam's time, whatever the machine's zone: the same state gives the same bytes.
    let at = d.map_or(String::new(), |d| {
        match crate::session::time::vietnam(&d.at) {
            Some((y, mo, dd, h, mi, sec)) => {
                format!("{y:04}-{mo:02}-{dd:02} {h:02}:{mi:02}:{sec:02}")
            }
            None => crate::text::line(&d.at),
        }
    });
    put(ws, r, ucol::AT, at, &s.text)?;
    let evidence: Vec<&str> = claim.evidence.iter().map(|e| e.reference()).collect();
    let evidence = evidence.join("\n");
    put(ws, r, ucol::EVIDENCE, &evidence, &s.wrap)?;
    for round in 1..=round_columns(snap) {
        let col = ucol::EVIDENCE + round as u16;
        let v = snap.value_in_round(u, l, round);
        if v.na {
            ws.text(r, col, NA, &s.text)?;
        } else {
            ws.number(r, col, number(v.points), &s.points)?;
        }
    }
    ws.row_height(
        r,
        xlsx::row_height(
            &UNIT_WIDTHS,
            &[
                (ucol::NAME, &leaf.name),
                (ucol::COMMENT, comment),
                (ucol::BY, &by),
                (ucol::EVIDENCE, &evidence),
            ],
        ),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appraisal::{Decided, Decision};

    /// A unit's sheet as the library writes it in its constant-memory mode:
    /// the XML part of sheet 2.
    fn by_the_library(snap: &Snapshot, u: usize) -> String {
        let mut wb = Workbook::new();
        let s = Styles::new();
        Xf::register(&mut wb, &s.all());
        // A unit's sheet is never the first, the one selected.
        wb.add_worksheet();
        let ws = wb.add_worksheet_with_constant_memory().unwrap();
        ws.set_name("x").unwrap();
        let layout = unit_sheet(ws, snap, u, &s).unwrap();
        for (c, w) in layout.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w).unwrap();
        }
        ws.set_freeze_panes(layout.freeze.0, layout.freeze.1)
            .unwrap();
        let (r0, c0, r1, c1) = layout.filter;
        ws.autofilter(r0, c0, r1, c1).unwrap();
        a4(ws, layout.landscape, layout.title_row).unwrap();
        let book = wb.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        xml
    }

    fn part(book: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    }

    #[test]
    fn every_streamed_sheet_is_listed_filtered_and_printed_with_its_titles() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let c = crate::load::load(&dir).unwrap();
        let state = crate::session::State::default();
        let snap = Snapshot::new(&c, &state, &[]);
        let book = workbook(&snap).unwrap();
        let wb = part(&book, "xl/workbook.xml");
        let names: Vec<&str> = wb
            .split("<sheet name=\"")
            .skip(1)
            .map(|t| &t[..t.find('"').unwrap()])
            .collect();
        let own = c.groups.len() + 2;
        let units: Vec<&str> = (0..c.groups.len())
            .flat_map(|g| snap.ranked(g).iter().map(|&u| c.units[u].id.as_str()))
            .collect();
        assert_eq!(
            &names[own..],
            &units[..],
            "the unit sheets, ranked, after the others"
        );
        let types = part(&book, "[Content_Types].xml");
        let rels = part(&book, "xl/_rels/workbook.xml.rels");
        for (i, unit) in units.iter().enumerate() {
            let n = own + 1 + i;
            let at = own + i;
            assert!(types.contains(&format!("PartName=\"/xl/worksheets/sheet{n}.xml\"")));
            assert!(rels.contains(&format!("Target=\"worksheets/sheet{n}.xml\"")));
            assert!(wb.contains(&format!(
                "<sheet name=\"{unit}\" sheetId=\"{n}\" r:id=\"rIdSheet{n}\"/>"
            )));
            assert!(wb.contains(&format!(
                "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{at}\">'{unit}'!$5:$5</definedName>"
            )));
            let filter = format!(
                "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{at}\" hidden=\"1\">'{unit}'!$A$5:$I$"
            );
            assert!(wb.contains(&filter), "{unit}'s filter");
            let sheet = part(&book, &format!("xl/worksheets/sheet{n}.xml"));
            assert!(sheet.contains("<autoFilter ref=\"A5:I"), "{unit}'s sheet");
        }
        // The document's properties count and name every sheet.
        let app = part(&book, "docProps/app.xml");
        assert!(app.contains(&format!(
            "<vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{}</vt:i4>",
            names.len()
        )));
        let titles =
            app.matches("<vt:lpstr>").count() - app.matches("<vt:variant><vt:lpstr>").count();
        assert!(
            app.contains(&format!("<TitlesOfParts><vt:vector size=\"{titles}\"")),
            "{app}"
        );
        for unit in &units {
            assert!(app.contains(&format!("<vt:lpstr>{unit}</vt:lpstr>")));
            assert!(app.contains(&format!("<vt:lpstr>'{unit}'!Print_Titles</vt:lpstr>")));
        }
    }

    #[test]
    fn a_streamed_unit_sheet_is_the_xml_the_library_writes() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let c = crate::load::load(&dir).unwrap();
        let mut state = crate::session::State::default();
        // Decisions whose comments need every escape: markup, a formula's
        // look, an escape's look, control characters, edge spaces, lines.
        let comments = [
            "Thiếu <b>văn bản</b> & phụ lục > 2 trang",
            "=SUM(A1:A2)",
            "_x0041_ giữ nguyên _x00zz_",
            " thừa khoảng trắng ",
            "dòng một\ndòng hai\tcột\u{1}\u{1f}",
        ];
        for u in 0..c.units.len() {
            for l in 0..c.framework_of(u).leaves.len() {
                if (u + l) % 5 != 0 {
                    continue;
                }
                let value = if l % 4 == 0 {
                    Decided::Na
                } else {
                    Decided::Points(Points::ZERO)
                };
                state.appraisal.decisions.insert(
                    (u, l),
                    Decision {
                        value,
                        comment: comments[(u + l) % comments.len()].into(),
                        member: "an".into(),
                        at: "2026-11-23T02:15:00.000Z".into(),
                        event: (u * 100 + l) as i64,
                        confirmed_by: None,
                    },
                );
            }
        }
        let mut snap = Snapshot::new(&c, &state, &[]);
        for rounds in [1, 3] {
            snap.rounds = rounds;
            let xf_book = &mut Workbook::new();
            let s = Styles::new();
            let xf = Xf::register(xf_book, &s.all());
            for u in 0..c.units.len() {
                let mut sheet = Sheet::new(&xf);
                let layout = unit_sheet(&mut sheet, &snap, u, &s).unwrap();
                let streamed = sheet.finish(&layout).concat();
                let library = by_the_library(&snap, u);
                let at = streamed
                    .bytes()
                    .zip(library.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(streamed.len().min(library.len()));
                let near = |x: &str| {
                    x.get(at.saturating_sub(120)..(at + 120).min(x.len()))
                        .map(str::to_string)
                };
                assert!(
                    streamed == library,
                    "unit {} with {rounds} rounds, from byte {at}:\nstreamed {:?}\nlibrary  {:?}",
                    c.units[u].id,
                    near(&streamed),
                    near(&library)
                );
            }
        }
    }

    #[test]
    fn a_long_sheet_name_is_cut_at_a_word_and_names_stay_apart() {
        let mut used = HashSet::new();
        let a = sheet_name("Xếp hạng UBND xã, phường, thị trấn", &mut used);
        assert_eq!(a, "Xếp hạng UBND xã, phường, thị");
        let b = sheet_name("Xếp hạng UBND xã, phường, thị trấn", &mut used);
        assert!(b.chars().count() <= 31 && b != a, "{b}");
        assert_eq!(sheet_name("Phụ lục", &mut used), "Phụ lục");
        let one_word = "a".repeat(40);
        assert_eq!(sheet_name(&one_word, &mut used).chars().count(), 31);
    }
}
