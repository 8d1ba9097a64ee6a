//! A filled explanation form (the `Giải trình` sheet of a round's notice) into `explanations/<unit>-<round>.toml`.

use std::path::Path;

use super::cells::{self, Problem};
use super::layout::parse_evidence_line;
use super::toml_str;
use crate::diag::Said;
use crate::export::notice::{FORM_HEADER_ROWS, FORM_SHEET};
use crate::i18n::fill;
use crate::model::Council;
use crate::text;

/// Whether a file is an explanation form (it has the `Giải trình` sheet).
pub fn is_form(file: &Path) -> bool {
    cells::open_sheet(file, Some(FORM_SHEET)).is_ok()
}

/// A filled explanation form, read.
#[derive(Debug)]
pub struct Filled {
    pub unit: usize,
    pub round: i64,
    /// The explanation file it becomes.
    pub toml: String,
    /// Leaves explained.
    pub items: usize,
}

/// Reads the form cell by cell: the unit and round of its header, and each
/// row whose `Nội dung giải trình` is filled (its `Tài liệu bổ sung`, one
/// document per line, as in the self-assessment form).
pub fn read(council: &Council, file: &Path, shown: &str) -> Result<Filled, Vec<Problem>> {
    let problem = |at: String, message: Said| Problem {
        file: shown.to_string(),
        at,
        message,
    };
    let (sheet, range) =
        cells::open_sheet(file, Some(FORM_SHEET)).map_err(|m| vec![problem(String::new(), m)])?;
    let at = |r: u32, c: u32| format!("{sheet}!{}", cells::address(r, c));
    let uid = cells::text_line(cells::cell(&range, 0, 1)).unwrap_or_default();
    let Some(unit) = council.unit_index(&uid) else {
        return Err(vec![problem(
            at(0, 1),
            Said::of(|w| fill(w.fm_unit_roster_council_toml_2, &[&uid])),
        )]);
    };
    let round = match cells::whole(cells::cell(&range, 1, 1)) {
        Ok(Some(r)) if r >= 1 => r as i64,
        Ok(_) => {
            return Err(vec![problem(
                at(1, 1),
                Said::word(|w| w.fm_explanation_round),
            )]);
        }
        Err(m) => return Err(vec![problem(at(1, 1), m)]),
    };
    let mut problems = Vec::new();
    let mut s = format!(
        "# Giải trình kết quả thẩm định vòng {round} — {} (nhập từ biểu mẫu {})\nunit = {}\nround = {round}\n",
        text::line(&council.units[unit].name),
        text::line(
            &file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ),
        toml_str(&council.units[unit].id),
    );
    let mut items = 0;
    let end = range.end().map_or(0, |(r, _)| r);
    for r in FORM_HEADER_ROWS + 1..=end {
        let Some(code) = cells::text_line(cells::cell(&range, r, 0)) else {
            continue;
        };
        let Some(words) = cells::text_para(cells::cell(&range, r, 6)) else {
            continue;
        };
        let mut evidence = Vec::new();
        for line in cells::text_para(cells::cell(&range, r, 7))
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            match parse_evidence_line(line) {
                Ok(e) => evidence.push(super::evidence_toml(&e)),
                Err(m) => problems.push(problem(at(r, 7), m)),
            }
        }
        s += &format!(
            "\n[[item]]\ncode = {}\ntext = {}\n",
            toml_str(&code),
            toml_str(&words)
        );
        if !evidence.is_empty() {
            s += &format!("evidence = [{}]\n", evidence.join(", "));
        }
        items += 1;
    }
    if items == 0 && problems.is_empty() {
        problems.push(problem(
            String::new(),
            Said::word(|w| w.fm_explanation_empty),
        ));
    }
    if problems.is_empty() {
        Ok(Filled {
            unit,
            round,
            toml: s,
            items,
        })
    } else {
        Err(problems)
    }
}
