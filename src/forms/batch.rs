//! Many decisions from the assisting team's spreadsheet (`decide --from`): a CSV or a workbook read cell by cell into decisions and explanation requests.
//!
//! The first non-blank row holds the titles, English or Vietnamese (compared
//! without case): `unit`, `code`, then `points`, `na`, `numerator` and
//! `denominator`, `comment`, `ask`. Each later row decides one leaf, asks for
//! an explanation on it, or both. A bad cell is named by its place; nothing is
//! recorded unless every row reads.

use std::collections::HashMap;
use std::path::Path;

use calamine::Data;

use super::cells::{self, Problem, read_table};
use crate::appraisal::Change;
use crate::diag::Said;
use crate::i18n::fill;

const UNIT: &[&str] = &["unit", "mã đơn vị", "đơn vị"];
const CODE: &[&str] = &["code", "mã tiêu chí", "tiêu chí"];
const POINTS: &[&str] = &["points", "điểm", "điểm thẩm định"];
const NA: &[&str] = &["na", "không áp dụng"];
const NUMERATOR: &[&str] = &["numerator", "tử số"];
const DENOMINATOR: &[&str] = &["denominator", "mẫu số"];
const COMMENT: &[&str] = &["comment", "lý do", "ghi chú"];
const ASK: &[&str] = &["ask", "yêu cầu giải trình"];

/// One row: a decision on a leaf, a request for an explanation, or both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Where it stands in the file (`Sheet!A5`, `5:1`).
    pub at: String,
    pub unit: String,
    pub code: String,
    /// `Points` for points given (the caller makes a not-applicable leaf applicable again).
    pub change: Option<Change>,
    pub comment: String,
    pub ask: Option<String>,
}

/// Reads every row of `file`; the rows, or every problem found.
pub fn read(file: &Path) -> Result<Vec<Row>, Vec<Problem>> {
    let shown = file.display().to_string();
    let whole = |m: Said| vec![Problem::whole(&shown, m)];
    let table = read_table(file).map_err(whole)?;
    let Some((header, titles)) = cells::titles(&table) else {
        return Err(whole(Said::word(|w| w.fm_holds_rows_give_header)));
    };
    let find = |names: &[&str]| titles.iter().position(|t| names.contains(&t.as_str()));
    let (cp, cn, cnum, cden, ccom, cask) = (
        find(POINTS),
        find(NA),
        find(NUMERATOR),
        find(DENOMINATOR),
        find(COMMENT),
        find(ASK),
    );
    let says_something = [cp, cn, cnum, cask].iter().any(Option::is_some);
    let (Some(cu), Some(cc), true) = (find(UNIT), find(CODE), says_something) else {
        return Err(vec![Problem {
            file: shown.clone(),
            at: (table.locate)(header, 0),
            message: Said::word(|w| w.fm_batch_columns),
        }]);
    };
    let mut problems = Vec::new();
    // A column named twice: which one is meant cannot be told.
    for names in [UNIT, CODE, POINTS, NA, NUMERATOR, DENOMINATOR, COMMENT, ASK] {
        let named: Vec<usize> = titles
            .iter()
            .enumerate()
            .filter(|(_, t)| names.contains(&t.as_str()))
            .map(|(i, _)| i)
            .collect();
        if let [first, again, ..] = named[..] {
            let (title, first) = (titles[again].clone(), (table.locate)(header, first));
            problems.push(Problem {
                file: shown.clone(),
                at: (table.locate)(header, again),
                message: Said::of(|w| fill(w.fm_batch_column_twice, &[&title, &first])),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<(String, String), String> = HashMap::new();
    for (r, row) in table.rows.iter().enumerate().skip(header + 1) {
        if row.iter().all(cells::is_blank) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or(&Data::Empty);
        let before = problems.len();
        let mut say = |c: usize, message: Said| {
            problems.push(Problem {
                file: shown.clone(),
                at: (table.locate)(r, c),
                message,
            })
        };
        let unit = cells::text_line(get(Some(cu)));
        let code = cells::text_line(get(Some(cc)));
        if unit.is_none() {
            say(cu, Said::word(|w| w.fm_unit_id_empty));
        }
        if code.is_none() {
            say(cc, Said::word(|w| w.fm_batch_code_empty));
        }
        let points = cp.and_then(|c| match cells::points(get(Some(c))) {
            Ok(p) => p,
            Err(m) => {
                say(c, m);
                None
            }
        });
        let na = cn.is_some_and(|c| yes(get(Some(c))));
        let figure = |c: Option<usize>, say: &mut dyn FnMut(usize, Said)| {
            c.and_then(|c| match cells::whole(get(Some(c))) {
                Ok(n) => n,
                Err(m) => {
                    say(c, m);
                    None
                }
            })
        };
        let numerator = figure(cnum, &mut say);
        let denominator = figure(cden, &mut say);
        let change = match (points, na, numerator, denominator) {
            (_, true, _, _) => Some(Change::Na),
            (_, _, Some(n), Some(d)) => Some(Change::Ratio(n, d)),
            (Some(p), _, _, _) => Some(Change::Points(p)),
            (None, false, None, None) => None,
            (_, _, n, _) => {
                let c = if n.is_some() { cden } else { cnum };
                say(c.unwrap_or(cu), Said::word(|w| w.fm_batch_both_figures));
                continue;
            }
        };
        let ask = cask.and_then(|c| cells::text_para(get(Some(c))));
        if change.is_none() && ask.is_none() {
            // Said only when no cell of the row was already found unreadable.
            if problems.len() == before {
                problems.push(Problem {
                    file: shown.clone(),
                    at: (table.locate)(r, cu),
                    message: Said::word(|w| w.fm_batch_says_nothing),
                });
            }
            continue;
        }
        let (Some(unit), Some(code)) = (unit, code) else {
            continue;
        };
        let at = (table.locate)(r, cu);
        if let Some(first) = seen.get(&(unit.clone(), code.clone())) {
            let (leaf, first) = (format!("{unit} {code}"), first.clone());
            problems.push(Problem {
                file: shown.clone(),
                at,
                message: Said::of(|w| fill(w.fm_batch_leaf_twice, &[&leaf, &first])),
            });
            continue;
        }
        seen.insert((unit.clone(), code.clone()), at.clone());
        rows.push(Row {
            at,
            unit,
            code,
            change,
            comment: ccom
                .and_then(|c| cells::text_para(get(Some(c))))
                .unwrap_or_default(),
            ask,
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// A cell that says yes: `x`, `1`, `có`, `yes`, `true`, `na`, TRUE.
fn yes(d: &Data) -> bool {
    match d {
        Data::Bool(b) => *b,
        Data::Int(i) => *i == 1,
        Data::Float(f) => *f == 1.0,
        _ => cells::text_line(d).is_some_and(|t| {
            ["x", "1", "có", "co", "yes", "true", "na", "đúng"].contains(&t.to_lowercase().as_str())
        }),
    }
}

/// The change a row's points make to a leaf as it stands: points on a leaf
/// now not applicable make it applicable again with them.
pub fn resolve(change: &Change, now_na: bool) -> Change {
    match change {
        Change::Points(p) if now_na => Change::Applicable(Some(*p)),
        c => c.clone(),
    }
}
