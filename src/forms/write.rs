//! Writing the self-assessment form of one unit (xlsx): header block, the table, Excel's own validation, print set-up.

use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, ExcelDateTime, Format, ProtectionOptions, Workbook,
    Worksheet, XlsxError,
};

use super::layout::{self, col};
use crate::model::{Assessment, Council, Leaf, Rule};
use crate::points::Points;
use crate::xlsx::{self, number};

/// Rows of the header block (0-based) and of the table's header row.
mod row {
    pub const TITLE: u32 = 0;
    pub const UNIT: u32 = 1;
    pub const NAME: u32 = 2;
    pub const FRAMEWORK: u32 = 3;
    pub const SUBMITTED: u32 = 4;
    pub const SIGNED: u32 = 5;
    pub const FINGERPRINT: u32 = 6;
    pub const HINT: u32 = 7;
    pub const TABLE: u32 = 8;
}

/// Column widths in characters, fitted to Vietnamese text.
const WIDTHS: [f64; 10] = [14.0, 44.0, 8.5, 40.0, 9.0, 9.0, 9.0, 10.0, 34.0, 48.0];

/// A row tall enough for its wrapped texts.
fn row_height(texts: &[(u16, &str)]) -> f64 {
    xlsx::row_height(&WIDTHS, texts)
}

const GREY: u32 = 0xD9D9D9;
const INPUT: u32 = 0xFFFFFF;

/// Every style the form uses, made once.
struct Styles {
    title: Format,
    label: Format,
    value: Format,
    input: Format,
    date: Format,
    header: Format,
    field: Format,
    criterion: Format,
    fixed: Format,
    fixed_wrap: Format,
    grey: Format,
    input_wrap: Format,
    hint: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = xlsx::cell();
        let input = cell
            .clone()
            .set_unlocked()
            .set_background_color(Color::RGB(INPUT));
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold(),
            value: Format::new(),
            date: input.clone().set_num_format("dd/mm/yyyy"),
            input: input.clone(),
            header: xlsx::header(xlsx::CRITERION),
            field: xlsx::heading(xlsx::FIELD),
            criterion: xlsx::heading(xlsx::CRITERION),
            fixed: cell.clone(),
            fixed_wrap: cell.clone().set_text_wrap(),
            grey: cell
                .clone()
                .set_text_wrap()
                .set_background_color(Color::RGB(GREY))
                .set_font_color(Color::RGB(0x595959)),
            input_wrap: input.set_text_wrap(),
            hint: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
        }
    }
}

/// The form of one roster unit, pre-filled from `prefill` where given.
///
/// The bytes depend only on the council and the assessment (the document's
/// creation time is the first day of the council's year), so the same form is
/// made the same way twice.
pub fn form(council: &Council, unit: usize, prefill: Option<&Assessment>) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let u = &council.units[unit];
    wb.set_properties(&xlsx::properties(
        &format!("Tự đánh giá Chỉ số CCHC năm {} — {}", council.year, u.name),
        (council.year.clamp(1900, 9999) as u16, 1, 1, 0, 0, 0),
    )?);
    let ws = wb.add_worksheet();
    fill(ws, council, unit, prefill)
        .context(crate::i18n::say(|w| w.er_laying_out_form.to_string()))?;
    wb.save_to_buffer()
        .context(crate::i18n::say(|w| w.er_writing_xlsx.to_string()))
}

fn fill(
    ws: &mut Worksheet,
    council: &Council,
    unit: usize,
    prefill: Option<&Assessment>,
) -> Result<(), XlsxError> {
    let s = Styles::new();
    let u = &council.units[unit];
    let fw = council.framework_of(unit);
    ws.set_name(layout::SHEET)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }

    let title = format!(
        "PHIẾU TỰ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {} — {}",
        council.year, council.name
    );
    ws.write_string_with_format(row::TITLE, 0, title, &s.title)?;
    let file = prefill.and_then(|a| a.file.as_ref());
    let pairs = [
        (row::UNIT, layout::LABEL_UNIT, u.id.as_str()),
        (row::NAME, layout::LABEL_NAME, u.name.as_str()),
        (row::FRAMEWORK, layout::LABEL_FRAMEWORK, fw.id.as_str()),
    ];
    for (r, label, value) in pairs {
        ws.write_string_with_format(r, 0, label, &s.label)?;
        ws.write_string_with_format(r, 1, value, &s.value)?;
    }
    ws.write_string_with_format(row::FRAMEWORK, 2, &fw.name, &s.hint)?;
    ws.write_string_with_format(row::SUBMITTED, 0, layout::LABEL_SUBMITTED, &s.label)?;
    match file.and_then(|f| ymd(&f.submitted)) {
        Some((y, m, d)) => {
            ws.write_datetime_with_format(
                row::SUBMITTED,
                1,
                ExcelDateTime::from_ymd(y, m, d)?,
                &s.date,
            )?;
        }
        None => {
            ws.write_blank(row::SUBMITTED, 1, &s.date)?;
        }
    }
    ws.write_string_with_format(row::SIGNED, 0, layout::LABEL_SIGNED, &s.label)?;
    match file.and_then(|f| f.signed_by.as_deref()) {
        Some(by) => ws.write_string_with_format(row::SIGNED, 1, by, &s.input)?,
        None => ws.write_blank(row::SIGNED, 1, &s.input)?,
    };
    ws.write_string_with_format(row::FINGERPRINT, 0, layout::LABEL_FINGERPRINT, &s.label)?;
    ws.write_string_with_format(row::FINGERPRINT, 1, layout::fingerprint(fw), &s.value)?;
    ws.set_row_hidden(row::FINGERPRINT)?;
    ws.write_string_with_format(
        row::HINT,
        0,
        "Điền các ô trắng: điểm tự chấm (hoặc tử số và mẫu số), x nếu không áp dụng, giải trình, \
         và mỗi tài liệu kiểm chứng một dòng (Alt+Enter): số, ngày văn bản | trích yếu | đường dẫn tệp hoặc URL.",
        &s.hint,
    )?;

    for (c, t) in layout::TITLES.iter().enumerate() {
        ws.write_string_with_format(row::TABLE, c as u16, *t, &s.header)?;
    }
    ws.set_row_height(row::TABLE, 32)?;

    let mut r = row::TABLE + 1;
    for field in &fw.fields {
        heading(
            ws,
            r,
            &field.code,
            &field.name,
            fw.max_of(&field.leaves),
            &s.field,
        )?;
        r += 1;
        for cr in &field.criteria {
            if !cr.scored_itself(&fw.leaves) {
                heading(
                    ws,
                    r,
                    &cr.code,
                    &cr.name,
                    fw.max_of(&cr.leaves),
                    &s.criterion,
                )?;
                r += 1;
            }
            for li in cr.leaves.clone() {
                let claim = prefill
                    .filter(|a| a.file.is_some())
                    .map(|a| &a.claims[li])
                    .filter(|c| !c.flags.not_assessed);
                leaf_row(ws, r, &fw.leaves[li], claim, &s)?;
                r += 1;
            }
        }
    }

    ws.set_freeze_panes(row::TABLE + 1, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_repeat_rows(row::TABLE, row::TABLE)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    Ok(())
}

fn heading(
    ws: &mut Worksheet,
    r: u32,
    code: &str,
    name: &str,
    max: Points,
    f: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, col::CODE, code, f)?;
    ws.write_string_with_format(r, col::NAME, name, f)?;
    ws.write_number_with_format(r, col::MAX, number(max), f)?;
    ws.set_row_height(r, row_height(&[(col::NAME, name)]))?;
    for c in col::RULE..=col::EVIDENCE {
        ws.write_blank(r, c, f)?;
    }
    Ok(())
}

fn leaf_row(
    ws: &mut Worksheet,
    r: u32,
    leaf: &Leaf,
    claim: Option<&crate::model::Claim>,
    s: &Styles,
) -> Result<(), XlsxError> {
    let survey = leaf.rule == Rule::Survey;
    let (fixed, wrap) = if survey {
        (&s.grey, &s.grey)
    } else {
        (&s.fixed, &s.fixed_wrap)
    };
    ws.write_string_with_format(r, col::CODE, &leaf.code, fixed)?;
    ws.write_string_with_format(r, col::NAME, &leaf.name, wrap)?;
    ws.write_number_with_format(r, col::MAX, number(leaf.max), fixed)?;
    let rule = layout::rule_text(leaf);
    ws.write_string_with_format(r, col::RULE, &rule, wrap)?;
    if survey {
        for c in col::POINTS..=col::EVIDENCE {
            ws.write_blank(r, c, &s.grey)?;
        }
        ws.set_row_height(
            r,
            row_height(&[(col::NAME, &leaf.name), (col::RULE, &rule)]),
        )?;
        return Ok(());
    }
    let ratio = matches!(leaf.rule, Rule::Ratio(_));
    points_cell(ws, r, leaf, claim, &rule, s)?;

    for (c, value) in [
        (col::NUMERATOR, claim.and_then(|c| c.ratio).map(|x| x.0)),
        (col::DENOMINATOR, claim.and_then(|c| c.ratio).map(|x| x.1)),
    ] {
        if !ratio {
            ws.write_blank(r, c, &s.grey)?;
            continue;
        }
        match value {
            Some(v) => ws.write_number_with_format(r, c, v as f64, &s.input)?,
            None => ws.write_blank(r, c, &s.input)?,
        };
        let v = DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_title("Cần số nguyên")?
            .set_error_message("Tử số và mẫu số là số nguyên, từ 0 trở lên")?;
        ws.add_data_validation(r, c, r, c, &v)?;
    }

    if leaf.na {
        // A ratio leaf written as 0/0 is already not applicable through its figures.
        let marked = claim.is_some_and(|c| c.na && c.ratio != Some((0, 0)));
        if marked {
            ws.write_string_with_format(r, col::NA, layout::NA_MARK, &s.input)?;
        } else {
            ws.write_blank(r, col::NA, &s.input)?;
        }
        let v = DataValidation::new()
            .allow_list_strings(&[layout::NA_MARK])?
            .set_error_title("Không áp dụng")?
            .set_error_message("Ghi x nếu nhiệm vụ không phát sinh; để trống nếu có áp dụng")?;
        ws.add_data_validation(r, col::NA, r, col::NA, &v)?;
    } else {
        ws.write_blank(r, col::NA, &s.grey)?;
    }

    match claim.and_then(|c| c.note.as_deref()) {
        Some(n) => ws.write_string_with_format(r, col::NOTE, n, &s.input_wrap)?,
        None => ws.write_blank(r, col::NOTE, &s.input_wrap)?,
    };
    let lines: Vec<String> = claim
        .map(|c| c.evidence.iter().map(layout::evidence_line).collect())
        .unwrap_or_default();
    let evidence = lines.join("\n");
    if lines.is_empty() {
        ws.write_blank(r, col::EVIDENCE, &s.input_wrap)?;
    } else {
        ws.write_string_with_format(r, col::EVIDENCE, &evidence, &s.input_wrap)?;
    }
    let note = claim.and_then(|c| c.note.as_deref()).unwrap_or("");
    ws.set_row_height(
        r,
        row_height(&[
            (col::NAME, &leaf.name),
            (col::RULE, &rule),
            (col::NOTE, note),
            (col::EVIDENCE, &evidence),
        ]),
    )?;
    Ok(())
}

/// `Điểm tự chấm`: typed for every kind but ratio (whose points follow from the
/// figures), with Excel's own check of the leaf's rule.
fn points_cell(
    ws: &mut Worksheet,
    r: u32,
    leaf: &Leaf,
    claim: Option<&crate::model::Claim>,
    rule: &str,
    s: &Styles,
) -> Result<(), XlsxError> {
    if matches!(leaf.rule, Rule::Ratio(_)) {
        ws.write_blank(r, col::POINTS, &s.grey)?;
        return Ok(());
    }
    match claim.filter(|c| !c.na) {
        Some(c) => ws.write_number_with_format(r, col::POINTS, number(c.points), &s.input)?,
        None => ws.write_blank(r, col::POINTS, &s.input)?,
    };
    let v = match &leaf.rule {
        Rule::Levels(levels) => {
            let list: Vec<String> = levels.iter().map(|l| l.points.short()).collect();
            DataValidation::new().allow_list_strings(&list)?
        }
        Rule::Deduction { min } => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(number(*min), 0.0)),
        _ => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, number(leaf.max))),
    };
    let v = v
        .set_error_title("Điểm không hợp lệ")?
        .set_error_message(rule.chars().take(250).collect::<String>())?;
    ws.add_data_validation(r, col::POINTS, r, col::POINTS, &v)?;
    Ok(())
}

/// `2026-01-09` → (2026, 1, 9).
fn ymd(date: &str) -> Option<(u16, u8, u8)> {
    let mut it = date.get(..10)?.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    Some((y, m, d))
}
