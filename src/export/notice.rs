//! A round's notice to a unit (thông báo kết quả thẩm định): the leaves where the appraisal differs from the unit's own points with their reasons, the explanations asked, and the explanation form to fill, as HTML and xlsx.
//!
//! Written when a round closes, to `<council>/notices/round-<n>/<unit-id>.html`
//! and `.xlsx`, for every unit with a difference or a request.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, Workbook};

use super::member_name;
use super::minutes::{esc, esc_lines};
use crate::appraisal::self_value;
use crate::model::Council;
use crate::score::Value;
use crate::session::State;
use crate::xlsx;

/// The explanation form's sheet, read back by `import`.
pub const FORM_SHEET: &str = "Giải trình";
/// Its header block (column A labels, values in column B).
pub const LABEL_UNIT: &str = "Mã đơn vị";
pub const LABEL_ROUND: &str = "Vòng";
/// Its table's titles, in order; the last two are the unit's to fill.
pub const FORM_TITLES: [&str; 8] = [
    "Mã",
    "Tiêu chí",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Lý do",
    "Yêu cầu giải trình",
    "Nội dung giải trình",
    "Tài liệu bổ sung",
];
/// Rows of the header block before the table's titles.
pub const FORM_HEADER_ROWS: u32 = 3;

/// One leaf of a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub code: String,
    pub name: String,
    pub self_value: String,
    pub appraised: String,
    /// The decision's reason and who decided (empty when it does not differ).
    pub reason: String,
    pub by: String,
    /// The explanations asked in the round, joined.
    pub request: String,
}

fn shown(v: Value) -> String {
    if v.na { "KAD".into() } else { v.points.short() }
}

/// The leaves of a unit that differ from its own points or carry a request
/// made in `round`, as that round left them (the same at any later time).
pub fn lines(council: &Council, state: &State, u: usize, round: i64) -> Vec<Line> {
    let fw = council.framework_of(u);
    let mut out = Vec::new();
    for (l, leaf) in fw.leaves.iter().enumerate() {
        let own = self_value(council, u, l);
        let now = state.value_after(council, u, l, round);
        let requests: Vec<&str> = state
            .asks
            .get(&(u, l))
            .into_iter()
            .flatten()
            .filter(|r| r.round == round)
            .map(|r| r.text.as_str())
            .collect();
        let differs = own != now;
        if !differs && requests.is_empty() {
            continue;
        }
        let decision = state
            .by_round
            .get(&(u, l))
            .and_then(|m| m.until(round))
            .and_then(|(_, d)| d.as_ref())
            .filter(|_| differs);
        out.push(Line {
            code: leaf.code.clone(),
            name: leaf.name.clone(),
            self_value: if crate::appraisal::self_assessed(council, u, l) {
                shown(own)
            } else {
                super::NOT_SELF_ASSESSED.into()
            },
            appraised: shown(now),
            reason: decision.map(|d| d.comment.clone()).unwrap_or_default(),
            by: decision
                .map(|d| member_name(council, &d.member).to_string())
                .unwrap_or_default(),
            request: requests.join("\n"),
        });
    }
    out
}

/// The notice as one HTML page.
pub fn html(council: &Council, u: usize, round: i64, lines: &[Line]) -> String {
    let unit = &council.units[u];
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <title>Thông báo kết quả thẩm định vòng {round} — {}</title>\
         <style>@page{{size:A4 portrait;margin:20mm 15mm 20mm 25mm}}\
         body{{font-family:\"Times New Roman\",serif;font-size:13pt;max-width:190mm;margin:10mm auto}}\
         @media print{{body{{max-width:none;margin:0}}}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #000;padding:3pt;vertical-align:top}}\
         th{{background:#ddebf7}}table.head td,table.sign td{{border:none;text-align:center;width:50%}}\
         .head b{{white-space:nowrap;font-size:12pt}}</style></head><body>\n",
        esc(&unit.name)
    );
    // The heading of an administrative paper (Nghị định 30/2020): the
    // issuing body and the number left, the national heading and the date right.
    let _ = writeln!(
        s,
        "<table class=\"head\"><tr><td><b>{}</b><br><b>HỘI ĐỒNG THẨM ĐỊNH</b><br>Số: ……/TB-HĐTĐ</td>\
         <td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br>\
         <i>……………, ngày …… tháng …… năm ……</i></td></tr></table>",
        esc(&council.authority.to_uppercase())
    );
    let _ = writeln!(s, "<p>{}</p>", esc(&council.name));
    let _ = writeln!(
        s,
        "<h1>Thông báo kết quả thẩm định vòng {round}</h1>\n<p>Đơn vị: <b>{}</b> ({})</p>",
        esc(&unit.name),
        esc(&unit.id)
    );
    let differing: Vec<&Line> = lines.iter().filter(|l| !l.by.is_empty()).collect();
    let asked: Vec<&Line> = lines.iter().filter(|l| !l.request.is_empty()).collect();
    if !differing.is_empty() {
        let _ = writeln!(
            s,
            "<h2>Tiêu chí có điểm thẩm định khác điểm tự chấm</h2>\n<table><tr><th>Mã</th><th>Tiêu chí</th>\
             <th>Điểm tự chấm</th><th>Điểm thẩm định</th><th>Lý do</th><th>Người thẩm định</th></tr>"
        );
        for l in differing {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.code),
                esc(&l.name),
                esc(&l.self_value),
                esc(&l.appraised),
                esc_lines(&l.reason),
                esc(&l.by)
            );
        }
        s.push_str("</table>\n");
    }
    if !asked.is_empty() {
        let _ = writeln!(
            s,
            "<h2>Yêu cầu giải trình</h2>\n<table><tr><th>Mã</th><th>Tiêu chí</th><th>Nội dung yêu cầu</th></tr>"
        );
        for l in asked {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.code),
                esc(&l.name),
                esc_lines(&l.request)
            );
        }
        s.push_str("</table>\n");
    }
    let _ = writeln!(
        s,
        "<p>Đơn vị giải trình theo biểu mẫu kèm theo (trang tính «{FORM_SHEET}» của tệp {}.xlsx): \
         điền cột «Nội dung giải trình» và «Tài liệu bổ sung» (mỗi tài liệu một dòng: số hiệu | tên | tệp hoặc đường dẫn).</p>\n\
         <table class=\"sign\"><tr><td></td><td><b>TM. HỘI ĐỒNG THẨM ĐỊNH</b><br><b>CHỦ TỊCH</b><br><br><br><br>{}</td></tr></table>\n\
         </body></html>",
        esc(&unit.id),
        council
            .members
            .iter()
            .find(|m| m.chair)
            .map_or(String::new(), |m| esc(&m.name))
    );
    s
}

/// The notice as a workbook: the result's sheet, and the explanation form.
pub fn xlsx(
    council: &Council,
    u: usize,
    round: i64,
    lines: &[Line],
    at: (u16, u8, u8, u16, u8, u8),
) -> Result<Vec<u8>> {
    let unit = &council.units[u];
    let mut book = Workbook::new();
    book.set_properties(&xlsx::properties(
        &format!("Thông báo kết quả thẩm định vòng {round} — {}", unit.name),
        at,
    )?);
    let header = xlsx::header(xlsx::CRITERION);
    let cell = xlsx::cell().set_text_wrap();
    let bold = Format::new().set_bold();
    let widths = [8.0, 40.0, 10.0, 10.0, 36.0, 36.0, 40.0, 36.0];
    let form = book.add_worksheet();
    form.set_name(FORM_SHEET)?;
    form.write_string_with_format(0, 0, LABEL_UNIT, &bold)?;
    form.write_string(0, 1, &unit.id)?;
    form.write_string_with_format(1, 0, LABEL_ROUND, &bold)?;
    form.write_number(1, 1, round as f64)?;
    form.write_string(1, 2, format!("{} — {}", unit.name, council.name))?;
    let top = FORM_HEADER_ROWS;
    // Printed as a form is sent: A4 across, one page wide, its titles on every page.
    super::workbook::a4(form, true, top)?;
    for (c, (title, width)) in FORM_TITLES.iter().zip(widths).enumerate() {
        form.set_column_width(c as u16, width)?;
        form.write_string_with_format(top, c as u16, *title, &header)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let r = top + 1 + i as u32;
        let texts = [
            &l.code,
            &l.name,
            &l.self_value,
            &l.appraised,
            &l.reason,
            &l.request,
        ];
        for (c, t) in texts.iter().enumerate() {
            super::workbook::put(form, r, c as u16, t.as_str(), &cell)?;
        }
        for c in 6..8u16 {
            form.write_blank(r, c, &cell)?;
        }
        let spans: Vec<(u16, &str)> = vec![(1, &l.name), (4, &l.reason), (5, &l.request)];
        form.set_row_height(r, xlsx::row_height(&widths, &spans))?;
    }
    Ok(book.save_to_buffer()?)
}

/// The files of one unit's notice: Word, HTML, and the workbook with the form.
pub const FILES_PER_UNIT: usize = 3;

/// The notices of a round: per unit with a difference or a request, the
/// Word document an office sends (with the day its explanation is due, as
/// the round's close set it), an HTML page for the screen and the workbook
/// with the explanation form, by file name.
pub fn render(council: &Council, state: &State, round: i64) -> Result<Vec<(String, Vec<u8>)>> {
    render_until(council, state, round, state.deadline(round))
}

/// [`render`] with the explanations due by `deadline` (an ISO date).
pub fn render_until(
    council: &Council,
    state: &State,
    round: i64,
    deadline: Option<&str>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let due = deadline.map(shown_date);
    let at = round_time(state, round)
        .as_deref()
        .and_then(crate::session::time::vietnam)
        .map(|(y, m, d, hh, mm, ss)| (y as u16, m as u8, d as u8, hh as u16, mm as u8, ss as u8))
        .unwrap_or((council.year.clamp(1900, 9999) as u16, 1, 1, 0, 0, 0));
    let mut out = Vec::new();
    for (u, unit) in council.units.iter().enumerate() {
        let lines = lines(council, state, u, round);
        if lines.is_empty() {
            continue;
        }
        out.push((
            format!("{}.docx", unit.id),
            super::papers::notice(council, u, round, &lines, due.as_deref())?,
        ));
        out.push((
            format!("{}.html", unit.id),
            html(council, u, round, &lines).into_bytes(),
        ));
        out.push((
            format!("{}.xlsx", unit.id),
            xlsx(council, u, round, &lines, at)?,
        ));
    }
    Ok(out)
}

/// An ISO date as a Vietnamese paper writes it: `15/01/2026`.
fn shown_date(iso: &str) -> String {
    match (iso.get(0..4), iso.get(5..7), iso.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// The day a round's explanations are due: `given` (an ISO date, checked),
/// else `explanation_days` after `today` (the close's date in Vietnam),
/// else none.
pub fn deadline(
    council: &Council,
    given: Option<&str>,
    today: &str,
) -> Result<Option<String>, crate::appraisal::Refusal> {
    if let Some(g) = given {
        let day: jiff::civil::Date = g
            .trim()
            .parse()
            .map_err(|_| crate::appraisal::Refusal::BadDeadline(crate::text::shown(g, 40)))?;
        return Ok(Some(day.to_string()));
    }
    let Some(days) = council.explanation_days else {
        return Ok(None);
    };
    let Some((y, m, d, ..)) = crate::session::time::vietnam(today) else {
        return Ok(None);
    };
    let start = jiff::civil::date(y as i16, m as i8, d as i8);
    Ok(start
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .ok()
        .map(|day| day.to_string()))
}

/// The time of the round's last change (a decision or a request made in
/// it): the notices' document time, the same whenever they are written.
fn round_time(state: &State, round: i64) -> Option<String> {
    let decided = state
        .by_round
        .values()
        .filter_map(|m| m.get(&round))
        .flatten()
        .map(|d| d.at.clone());
    let asked = state
        .asks
        .values()
        .flatten()
        .filter(|r| r.round == round)
        .map(|r| r.at.clone());
    decided.chain(asked).max()
}

/// Where a round's notices go.
pub fn folder_of(folder: &Path, round: i64) -> PathBuf {
    folder.join("notices").join(format!("round-{round}"))
}

/// Where a round's notices are staged before the round's event is committed.
pub fn staging_of(folder: &Path, round: i64) -> PathBuf {
    folder
        .join("notices")
        .join(format!(".round-{round}.staging"))
}

/// Writes a round's notices whole into its staging folder (a staging left
/// before is replaced). Returns the files' names.
pub fn stage(folder: &Path, council: &Council, state: &State, round: i64) -> Result<Vec<String>> {
    stage_until(folder, council, state, round, state.deadline(round))
}

/// [`stage`] with the explanations due by `deadline` (the close being made).
pub fn stage_until(
    folder: &Path,
    council: &Council,
    state: &State,
    round: i64,
    deadline: Option<&str>,
) -> Result<Vec<String>> {
    let files = render_until(council, state, round, deadline)?;
    let staging = staging_of(folder, round);
    let writing = || crate::i18n::say(|w| crate::i18n::fill(w.er_writing, &[&staging.display()]));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).with_context(writing)?;
    }
    std::fs::create_dir_all(&staging).with_context(writing)?;
    crate::files::write_all_synced(
        &staging,
        files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
    )?;
    Ok(files.into_iter().map(|(n, _)| n).collect())
}

/// Moves a round's staged notices into place (an older folder of that round replaced).
pub fn place(folder: &Path, round: i64) -> Result<PathBuf> {
    let staging = staging_of(folder, round);
    let dir = folder_of(folder, round);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::rename(&staging, &dir)?;
    Ok(dir)
}

/// Writes the notices of a closed round again, whole: staged, then moved into
/// place. Returns the files written.
pub fn write(folder: &Path, council: &Council, state: &State, round: i64) -> Result<Vec<PathBuf>> {
    let names = stage(folder, council, state, round)?;
    let dir = place(folder, round)?;
    Ok(names.into_iter().map(|n| dir.join(n)).collect())
}

/// Finishes what an interrupted round close left: a staged round whose event
/// was committed (the session is past it) is moved into place; one whose
/// event never was is removed. Returns the rounds whose notices were placed.
pub fn settle(folder: &Path, round_now: i64) -> Result<Vec<i64>> {
    let mut placed = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder.join("notices")) else {
        return Ok(placed);
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(round) = name
            .strip_prefix(".round-")
            .and_then(|r| r.strip_suffix(".staging"))
            .and_then(|r| r.parse::<i64>().ok())
        else {
            continue;
        };
        if round < round_now {
            place(folder, round)?;
            placed.push(round);
        } else {
            std::fs::remove_dir_all(e.path())?;
        }
    }
    Ok(placed)
}
