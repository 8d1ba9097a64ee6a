//! Reading a filled self-assessment form: every cell checked against the framework's rules, every problem located.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Range};

use super::cells::{self, Problem, address, cell, is_blank};
use super::layout::{self, col};
use crate::diag::Said;
use crate::i18n::fill;
use crate::load::resolve_in_folder;
use crate::model::{Council, Framework, Leaf, Rule};
use crate::points::Points;
use crate::score::{self, ClaimError, ClaimInput};
use crate::text;

/// A form that passed every check: its unit and the assessment it becomes.
#[derive(Debug)]
pub struct Form {
    /// Index of the unit in the roster.
    pub unit: usize,
    pub submitted: String,
    pub signed_by: Option<String>,
    pub items: Vec<Item>,
}

/// One leaf the unit filled.
#[derive(Debug, Default)]
pub struct Item {
    pub code: String,
    pub points: Option<Points>,
    pub ratio: Option<(u64, u64)>,
    pub na: bool,
    pub note: Option<String>,
    pub evidence: Vec<layout::EvidenceParts>,
}

/// Problems found in one sheet.
struct Sheet<'a> {
    file: &'a str,
    name: String,
    range: Range<Data>,
    problems: Vec<Problem>,
}

impl Sheet<'_> {
    fn at(&mut self, row: u32, col: u16, message: Said) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            at: format!("{}!{}", self.name, address(row, col as u32)),
            message,
        });
    }

    fn get(&self, row: u32, col: u16) -> &Data {
        cell(&self.range, row, col as u32)
    }
}

fn whole_file(file: &str, message: Said) -> Vec<Problem> {
    vec![Problem::whole(file, message)]
}

/// Reads and checks one filled form. `shown` is how the file is named in messages.
pub fn read(council: &Council, path: &Path, shown: &str) -> Result<Form, Vec<Problem>> {
    let (name, range) =
        cells::open_sheet(path, Some(layout::SHEET)).map_err(|m| whole_file(shown, m))?;
    let mut sheet = Sheet {
        file: shown,
        name,
        range,
        problems: Vec::new(),
    };
    let form = read_sheet(&mut sheet, council);
    match form {
        Some(f) if sheet.problems.is_empty() => Ok(f),
        _ => Err(sheet.problems),
    }
}

fn read_sheet(sh: &mut Sheet<'_>, council: &Council) -> Option<Form> {
    let (first, last) = match (sh.range.start(), sh.range.end()) {
        (Some(s), Some(e)) => (s.0, e.0),
        _ => {
            sh.problems = whole_file(
                sh.file,
                Said::of(|w| fill(w.fm_sheet_empty_fill_form, &[&layout::SHEET])),
            );
            return None;
        }
    };
    let Some(table) = find_table(sh, first, last) else {
        if sh.problems.is_empty() {
            let titles = layout::TITLES.join(" · ");
            sh.problems = whole_file(
                sh.file,
                Said::of(|w| fill(w.fm_table_header_row_titles, &[&titles])),
            );
        }
        return None;
    };
    // The header block: labels in column A above the table, values in column B.
    let mut labels: HashMap<String, u32> = HashMap::new();
    for r in first..table {
        if let Some(l) = cells::text_line(sh.get(r, 0)) {
            labels.entry(l).or_insert(r);
        }
    }
    let need = |sh: &mut Sheet<'_>, label: &str| -> Option<u32> {
        let r = labels.get(label).copied();
        if r.is_none() {
            let message = Said::of(|w| fill(w.fm_header_block_row_label, &[&label]));
            sh.problems.push(Problem::whole(sh.file, message));
        }
        r
    };
    let unit_row = need(sh, layout::LABEL_UNIT)?;
    let fw_row = need(sh, layout::LABEL_FRAMEWORK)?;
    let fp_row = need(sh, layout::LABEL_FINGERPRINT)?;
    let date_row = need(sh, layout::LABEL_SUBMITTED)?;
    let signed_row = labels.get(layout::LABEL_SIGNED).copied();

    let Some(unit_id) = cells::text_line(sh.get(unit_row, 1)) else {
        sh.at(unit_row, 1, Said::word(|w| w.fm_unit_id_empty_written));
        return None;
    };
    let Some(unit) = council.unit_index(&unit_id) else {
        sh.at(
            unit_row,
            1,
            Said::of(|w| fill(w.fm_unit_roster_council_toml, &[&unit_id])),
        );
        return None;
    };
    let fw = council.framework_of(unit);
    let form_fw = cells::text_line(sh.get(fw_row, 1)).unwrap_or_default();
    if form_fw != fw.id {
        let what = if council.frameworks.iter().any(|f| f.id == form_fw) {
            Said::word(|w| w.fm_another_group_framework)
        } else {
            Said::word(|w| w.fm_framework_this_council_does)
        };
        sh.at(
            fw_row,
            1,
            Said::of(|w| {
                fill(
                    w.fm_this_form_framework_unit,
                    &[
                        &form_fw,
                        &what.get(crate::i18n::lang_of(w)),
                        &unit_id,
                        &fw.id,
                        &unit_id,
                    ],
                )
            }),
        );
        return None;
    }
    let fp = cells::text_line(sh.get(fp_row, 1)).unwrap_or_default();
    if fp != layout::fingerprint(fw) {
        sh.at(
            fp_row,
            1,
            Said::of(|w| fill(w.fm_this_form_was_made, &[&fw.id, &unit_id])),
        );
        return None;
    }
    let submitted = match cells::date(sh.get(date_row, 1)) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            sh.at(date_row, 1, Said::word(|w| w.fm_date_form_sent_empty));
            None
        }
        Err(m) => {
            sh.at(date_row, 1, m);
            None
        }
    };
    let signed_by = signed_row.and_then(|r| cells::text_line(sh.get(r, 1)));

    let items = read_rows(sh, fw, table + 1, last);
    Some(Form {
        unit,
        submitted: submitted.unwrap_or_default(),
        signed_by,
        items,
    })
}

/// The row of the table's titles; a row that starts like it but differs is reported at the first wrong title.
fn find_table(sh: &mut Sheet<'_>, first: u32, last: u32) -> Option<u32> {
    for r in first..=last {
        if cells::text_line(sh.get(r, 0)).as_deref() != Some(layout::TITLES[0]) {
            continue;
        }
        for (c, want) in layout::TITLES.iter().enumerate() {
            let got = cells::text_line(sh.get(r, c as u16)).unwrap_or_default();
            if got != *want {
                sh.at(
                    r,
                    c as u16,
                    Said::of(|w| {
                        fill(
                            w.fm_column_title_where_form,
                            &[&got, &want, &layout::TITLES.join(" · ")],
                        )
                    }),
                );
                return None;
            }
        }
        return Some(r);
    }
    None
}

fn read_rows(sh: &mut Sheet<'_>, fw: &Framework, from: u32, last: u32) -> Vec<Item> {
    let mut items = Vec::new();
    let mut seen: HashMap<usize, u32> = HashMap::new();
    for r in from..=last {
        let filled = (col::POINTS..=col::EVIDENCE).find(|&c| !is_blank(sh.get(r, c)));
        let Some(code) = cells::text_line(sh.get(r, col::CODE)) else {
            if let Some(c) = filled {
                sh.at(r, c, Said::word(|w| w.fm_this_row_code_column));
            }
            continue;
        };
        let Some((li, leaf)) = fw.leaf(&code) else {
            let heading = fw.fields.iter().any(|f| f.code == code)
                || fw
                    .fields
                    .iter()
                    .flat_map(|f| &f.criteria)
                    .any(|c| c.code == code);
            match (heading, filled) {
                (true, Some(c)) => sh.at(
                    r,
                    c,
                    Said::of(|w| fill(w.fm_heading_field_criterion_sub, &[&code])),
                ),
                (true, None) => {}
                (false, _) => sh.at(
                    r,
                    col::CODE,
                    Said::of(|w| {
                        fill(
                            w.fm_framework_leaf_form_codes,
                            &[&fw.id, &text::line(&code)],
                        )
                    }),
                ),
            }
            continue;
        };
        if let Some(first) = seen.insert(li, r) {
            sh.at(
                r,
                col::CODE,
                Said::of(|w| fill(w.fm_appears_twice_first_row, &[&code, &(first + 1)])),
            );
            continue;
        }
        let Some(c) = filled else { continue };
        if leaf.rule == Rule::Survey {
            sh.at(
                r,
                c,
                Said::of(|w| fill(w.fm_survey_leaf_points_come, &[&code])),
            );
            continue;
        }
        if let Some(item) = read_leaf(sh, r, leaf) {
            items.push(item);
        }
    }
    items
}

/// One leaf row, checked by the same rules as a self-assessment file.
fn read_leaf(sh: &mut Sheet<'_>, r: u32, leaf: &Leaf) -> Option<Item> {
    let before = sh.problems.len();
    let code = &leaf.code;
    let mut item = Item {
        code: code.clone(),
        note: cells::text_para(sh.get(r, col::NOTE)),
        ..Item::default()
    };
    let na_text = cells::text_line(sh.get(r, col::NA));
    match na_text.as_deref() {
        None => {}
        Some(x) if x.eq_ignore_ascii_case(layout::NA_MARK) => item.na = true,
        Some(other) => sh.at(r, col::NA, Said::of(|w| fill(w.fm_kh_ng_p_d, &[&other]))),
    }
    let points = cells::points(sh.get(r, col::POINTS));
    let num = cells::whole(sh.get(r, col::NUMERATOR));
    let den = cells::whole(sh.get(r, col::DENOMINATOR));
    let points = match points {
        Ok(p) => p,
        Err(m) => {
            sh.at(r, col::POINTS, m);
            None
        }
    };
    let (num, den) = (
        num.unwrap_or_else(|m| {
            sh.at(r, col::NUMERATOR, m);
            None
        }),
        den.unwrap_or_else(|m| {
            sh.at(r, col::DENOMINATOR, m);
            None
        }),
    );
    // A cell that could not be read says so itself; the rules need all four.
    let readable = sh.problems.len() == before;
    evidence(sh, r, &mut item);
    if !readable {
        return None;
    }
    // A ratio leaf's points follow from its figures: its grey points cell may
    // only repeat them.
    let ratio = matches!(leaf.rule, Rule::Ratio(_));
    let input = ClaimInput {
        points: if ratio { None } else { points },
        numerator: num.map(|n| n as i64),
        denominator: den.map(|d| d as i64),
        na: item.na,
    };
    match score::check_claim(leaf, &input) {
        Ok(v) => {
            if ratio
                && let Some(p) = points
                && (p != v.points || v.na)
            {
                sh.at(
                    r,
                    col::POINTS,
                    Said::of(|w| {
                        fill(w.fm_ratio_leaf_points_follow_2, &[&code, &v.points.short()])
                    }),
                );
            }
            item.na = v.na;
            item.ratio = v.ratio;
            item.points = (!v.na && v.ratio.is_none()).then_some(v.points);
        }
        Err(broken) => {
            for e in broken {
                let (c, message) = told(leaf, e, num.is_some());
                sh.at(r, c, message);
            }
        }
    }
    (sh.problems.len() == before).then_some(item)
}

/// `Tài liệu kiểm chứng`: one entry per line.
fn evidence(sh: &mut Sheet<'_>, r: u32, item: &mut Item) {
    let Some(all) = cells::text_para(sh.get(r, col::EVIDENCE)) else {
        return;
    };
    for (i, line) in all.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = match layout::parse_evidence_line(line) {
            Ok(p) => p,
            Err(why) => {
                sh.at(
                    r,
                    col::EVIDENCE,
                    Said::of(|w| {
                        fill(
                            w.fm_evidence_line,
                            &[&(i + 1), &why.get(crate::i18n::lang_of(w))],
                        )
                    }),
                );
                continue;
            }
        };
        if parts.reference.is_empty() {
            sh.at(
                r,
                col::EVIDENCE,
                Said::of(|w| fill(w.fm_evidence_line_reference_before, &[&(i + 1)])),
            );
            continue;
        }
        if let Some(f) = parts.file.take() {
            match resolve_in_folder(&f) {
                Ok(rel) => parts.file = Some(rel),
                Err(why) => {
                    sh.at(
                        r,
                        col::EVIDENCE,
                        Said::of(|w| {
                            fill(w.fm_evidence_line_file_give, &[&(i + 1), &f, &why.said(w)])
                        }),
                    );
                    continue;
                }
            }
        }
        item.evidence.push(parts);
    }
}

/// A broken rule of a claim in the words of the form, at the column it is about.
fn told(leaf: &Leaf, e: ClaimError, has_numerator: bool) -> (u16, Said) {
    let code = &leaf.code;
    let figure = if has_numerator {
        col::NUMERATOR
    } else {
        col::DENOMINATOR
    };
    match e {
        ClaimError::Survey => (
            col::POINTS,
            Said::of(|w| fill(w.fm_survey_leaf_points_come, &[&code])),
        ),
        ClaimError::NaNotAllowed => (
            col::NA,
            Said::of(|w| fill(w.fm_may_declared_applicable_framework, &[&code])),
        ),
        ClaimError::NaWithPoints => (
            col::POINTS,
            Said::of(|w| fill(w.fm_declared_applicable_x_kh_2, &[&code])),
        ),
        ClaimError::NaWithFigures => (
            figure,
            Said::of(|w| fill(w.fm_declared_applicable_x_kh, &[&code])),
        ),
        ClaimError::PointsOnRatio => (
            col::POINTS,
            Said::of(|w| fill(w.fm_ratio_leaf_points_follow, &[&code])),
        ),
        ClaimError::MissingFigures => (
            if has_numerator {
                col::DENOMINATOR
            } else {
                col::NUMERATOR
            },
            Said::of(|w| fill(w.fm_ratio_leaf_needs_both, &[&code])),
        ),
        ClaimError::NegativeFigure { numerator } => (
            if numerator {
                col::NUMERATOR
            } else {
                col::DENOMINATOR
            },
            Said::of(|w| fill(w.fm_t_m_u_are, &[&code])),
        ),
        ClaimError::NumeratorAboveDenominator(n, d) => (
            col::NUMERATOR,
            Said::of(|w| fill(w.fm_t_above_m_u, &[&code, &n, &d])),
        ),
        ClaimError::ZeroDenominatorNotAllowed => (
            col::DENOMINATOR,
            Said::of(|w| fill(w.fm_m_u_would_make, &[&code])),
        ),
        ClaimError::FiguresOnNonRatio => (
            figure,
            Said::of(|w| fill(w.fm_leaf_give_i_m, &[&code, &leaf.rule.kind()])),
        ),
        ClaimError::NoPoints => (
            col::POINTS,
            Said::of(|w| fill(w.fm_points_give_points_claimed, &[&code])),
        ),
        ClaimError::BadPoints(why) => (
            col::POINTS,
            Said::of(|w| format!("{code}: {}", crate::i18n::not_allowed(w, &why))),
        ),
    }
}
