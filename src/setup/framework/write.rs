//! The framework's workbook: its criteria sheet and its bands' sheet, printed A4 across with the header on every page.

use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::{BANDS, CODE, EVIDENCE, GUIDE, KIND, MAX, NA, NAME, RULE, SHEET, WIDTHS, kind_vi};
use crate::forms::layout::vi_points;
use crate::model::{Framework, Rule};
use crate::points::Points;
use crate::xlsx;

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
                ws.write_string_with_format(r, KIND as u16, kind_vi(leaf.rule.kind()), &text)?;
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
