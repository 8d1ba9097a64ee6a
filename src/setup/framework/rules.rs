//! A framework's rows placed by their codes (fields → criteria → sub-criteria) and each leaf's rule checked: kinds, levels, bands, deductions, the sums of the headings.

use std::collections::HashMap;

use calamine::Data;

use super::read::{Grid, RowIn};
use super::{CODE, KIND, MAX, NA, RULE, kind_vi};
use crate::diag::Said;
use crate::forms::cells::{self, Problem};
use crate::i18n::fill;
use crate::model::{Criterion, Field, Leaf, Level, RatioBand, Rule};
use crate::points::Points;

/// The rows as fields → criteria → sub-criteria, by their codes.
pub(super) struct FieldIn {
    row: RowIn,
    criteria: Vec<CriterionIn>,
}

struct CriterionIn {
    row: RowIn,
    subs: Vec<RowIn>,
}

/// Places every row under its field and criterion by its code: a code's
/// parts are its depth; each starts with its parent's code, none repeats,
/// siblings in order.
pub(super) fn shape(
    grid: &Grid<'_>,
    rows: &[RowIn],
    col: &dyn Fn(usize) -> Option<u32>,
    problems: &mut Vec<Problem>,
) -> Vec<FieldIn> {
    let code_col = col(CODE).unwrap_or(0);
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut fields: Vec<FieldIn> = Vec::new();
    let mut last_sibling: HashMap<String, &str> = HashMap::new();
    for row in rows {
        let code = row.code.as_str();
        let hint = |w: &'static crate::i18n::Words| {
            if row.typed_as_number {
                w.su_code_number_hint
            } else {
                ""
            }
        };
        let mut say = |message: Said| problems.push(grid.problem(row.r, code_col, message));
        let parts: Vec<&str> = code.split('.').collect();
        if parts
            .iter()
            .any(|p| p.trim().is_empty() || p.contains(char::is_whitespace))
        {
            say(Said::of(|w| fill(w.su_code_bad, &[&code])));
            continue;
        }
        if parts.len() > 3 {
            say(Said::of(|w| fill(w.su_code_deep, &[&code, &parts.len()])));
            continue;
        }
        if let Some(&first) = seen.get(code) {
            let at = grid.at(first, code_col);
            say(Said::of(|w| {
                format!("{}{}", fill(w.su_code_repeated, &[&code, &at]), hint(w))
            }));
            continue;
        }
        seen.insert(code, row.r);
        let parent = parts[..parts.len() - 1].join(".");
        // Siblings in order, where both codes end in a number.
        let last = parts[parts.len() - 1];
        if let Some(prev) = last_sibling.get(&parent) {
            let prev_last = prev.rsplit('.').next().unwrap_or("");
            if let (Ok(a), Ok(b)) = (prev_last.parse::<u64>(), last.parse::<u64>())
                && b <= a
            {
                let prev = prev.to_string();
                say(Said::of(|w| {
                    format!("{}{}", fill(w.su_code_order, &[&code, &prev]), hint(w))
                }));
                continue;
            }
        }
        last_sibling.insert(parent.clone(), code);
        let placed = match parts.len() {
            1 => {
                fields.push(FieldIn {
                    row: row.clone(),
                    criteria: Vec::new(),
                });
                true
            }
            2 => match fields.last_mut() {
                Some(f) if f.row.code == parent => {
                    f.criteria.push(CriterionIn {
                        row: row.clone(),
                        subs: Vec::new(),
                    });
                    true
                }
                _ => false,
            },
            _ => match fields.last_mut().and_then(|f| f.criteria.last_mut()) {
                Some(c) if c.row.code == parent => {
                    c.subs.push(row.clone());
                    true
                }
                _ => false,
            },
        };
        if !placed {
            let above = match parts.len() {
                2 => fields.last().map(|f| f.row.code.clone()),
                _ => fields
                    .last()
                    .and_then(|f| f.criteria.last())
                    .map(|c| c.row.code.clone()),
            };
            say(Said::of(|w| {
                let base = match &above {
                    Some(a) => fill(w.su_code_no_parent, &[&code, &parent, a]),
                    None => fill(w.su_code_before_field, &[&code]),
                };
                format!("{base}{}", hint(w))
            }));
        }
    }
    fields
}

/// The fields and their leaves, every rule checked.
pub(super) fn build(
    grid: &Grid<'_>,
    shape: Vec<FieldIn>,
    col: &dyn Fn(usize) -> Option<u32>,
    problems: &mut Vec<Problem>,
) -> (Vec<Field>, Vec<Leaf>) {
    let c = |i: usize| col(i).unwrap_or(0);
    let mut fields = Vec::new();
    let mut leaves: Vec<Leaf> = Vec::new();
    for f in shape {
        let field_index = fields.len();
        let first = leaves.len();
        heading_only(grid, &f.row, &c, problems);
        let mut criteria = Vec::new();
        let mut whole = true;
        for cr in f.criteria {
            let c_first = leaves.len();
            if cr.subs.is_empty() {
                match leaf(grid, &cr.row, field_index, &c, problems) {
                    Some(l) => leaves.push(l),
                    None => whole = false,
                }
            } else {
                heading_only(grid, &cr.row, &c, problems);
                let before = leaves.len();
                for s in &cr.subs {
                    match leaf(grid, s, field_index, &c, problems) {
                        Some(l) => leaves.push(l),
                        None => whole = false,
                    }
                }
                if whole {
                    sum_check(grid, &cr.row, &leaves[before..], &c, problems);
                }
            }
            criteria.push(Criterion {
                code: cr.row.code.clone(),
                name: cr.row.name.clone(),
                leaves: c_first..leaves.len(),
            });
        }
        if f.row.max.is_some() && whole {
            sum_check(grid, &f.row, &leaves[first..], &c, problems);
        }
        fields.push(Field {
            code: f.row.code.clone(),
            name: f.row.name.clone(),
            criteria,
            leaves: first..leaves.len(),
        });
    }
    (fields, leaves)
}

/// A heading row (a field, a criterion with sub-criteria) is not scored itself.
fn heading_only(
    grid: &Grid<'_>,
    row: &RowIn,
    c: &dyn Fn(usize) -> u32,
    problems: &mut Vec<Problem>,
) {
    let code = row.code.clone();
    if row.kind.is_some() {
        problems.push(grid.problem(
            row.r,
            c(KIND),
            Said::of(|w| fill(w.su_kind_on_heading, &[&code])),
        ));
    }
    if row.na {
        problems.push(grid.problem(row.r, c(NA), Said::of(|w| fill(w.su_na_heading, &[&code]))));
    }
}

/// A heading's max, where given, is the sum of its leaves' (a bonus leaf's not counted).
fn sum_check(
    grid: &Grid<'_>,
    row: &RowIn,
    leaves: &[Leaf],
    c: &dyn Fn(usize) -> u32,
    problems: &mut Vec<Problem>,
) {
    let Some(declared) = row.max else { return };
    let sum: Points = leaves.iter().map(Leaf::counted_max).sum();
    if declared != sum {
        let code = row.code.clone();
        problems.push(grid.problem(
            row.r,
            c(MAX),
            Said::of(|w| fill(w.su_max_sum, &[&code, &declared.short(), &sum.short()])),
        ));
    }
}

fn leaf(
    grid: &Grid<'_>,
    row: &RowIn,
    field: usize,
    c: &dyn Fn(usize) -> u32,
    problems: &mut Vec<Problem>,
) -> Option<Leaf> {
    let before = problems.len();
    let code = row.code.clone();
    let mut say = |col: usize, message: Said| problems.push(grid.problem(row.r, c(col), message));
    let Some(kind) = row.kind else {
        say(KIND, Said::of(|w| fill(w.su_kind_missing, &[&code])));
        return None;
    };
    let rule_text = row.rule.as_deref().unwrap_or("");
    let mut max = row.max.unwrap_or(Points::ZERO);
    if let Some(m) = row.max
        && m < Points::ZERO
        && kind != "deduction"
    {
        say(
            MAX,
            Said::of(|w| fill(w.su_max_negative, &[&code, &m.short()])),
        );
    }
    if row.max.is_none() && kind != "deduction" {
        let kind_vi = kind_vi(kind);
        say(
            MAX,
            Said::of(|w| fill(w.su_max_missing, &[&code, &kind_vi])),
        );
    }
    let rule = match kind {
        "levels" => {
            let mut levels: Vec<Level> = Vec::new();
            for (n, line) in lines(rule_text) {
                let Some((p, label)) = line.split_once(':').and_then(|(p, l)| {
                    let p = number(p.trim().trim_end_matches("điểm").trim())?;
                    Some((p, l.trim().to_string()))
                }) else {
                    let line = line.to_string();
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_level_line, &[&code, &n, &line])),
                    );
                    continue;
                };
                if p < Points::ZERO || p > max {
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_level_outside, &[&code, &p.short(), &max.short()])),
                    );
                }
                if levels.iter().any(|l| l.points == p) {
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_level_twice, &[&code, &p.short()])),
                    );
                }
                levels.push(Level { points: p, label });
            }
            if levels.is_empty() && problems.len() == before {
                problems.push(grid.problem(
                    row.r,
                    c(RULE),
                    Said::of(|w| fill(w.su_levels_missing, &[&code])),
                ));
            }
            Rule::Levels(levels)
        }
        "ratio" => {
            let mut bands: Vec<RatioBand> = Vec::new();
            for (n, line) in lines(rule_text) {
                let parsed = line
                    .strip_prefix('≥')
                    .or_else(|| line.strip_prefix(">="))
                    .and_then(|rest| rest.split_once(':'))
                    .and_then(|(m, p)| {
                        let m = number(m.trim().trim_end_matches('%').trim())?;
                        let p = number(p.trim().trim_end_matches("điểm").trim())?;
                        Some((m, p))
                    });
                let Some((min, p)) = parsed else {
                    let line = line.to_string();
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_band_line, &[&code, &n, &line])),
                    );
                    continue;
                };
                if min < Points::ZERO || min > Points::whole(100) {
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_ratio_min, &[&code, &min.short()])),
                    );
                }
                if let Some(prev) = bands.last()
                    && min >= prev.min
                {
                    let prev = prev.min.short();
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_ratio_order, &[&code, &min.short(), &prev])),
                    );
                }
                if p < Points::ZERO || p > max {
                    say(
                        RULE,
                        Said::of(|w| fill(w.su_ratio_points, &[&code, &p.short(), &max.short()])),
                    );
                }
                bands.push(RatioBand { min, points: p });
            }
            if bands.is_empty() && problems.len() == before {
                problems.push(grid.problem(
                    row.r,
                    c(RULE),
                    Said::of(|w| fill(w.su_bands_missing, &[&code])),
                ));
            }
            Rule::Ratio(bands)
        }
        "deduction" => {
            // The largest deduction: `Cách chấm` (-2, or 2), else a negative max.
            let written = lines(rule_text).next().and_then(|(_, l)| number(l));
            if row.max.is_some_and(|x| x > Points::ZERO) {
                say(MAX, Said::of(|w| fill(w.su_deduction_max, &[&code])));
            }
            let min = match (written, row.max) {
                (Some(m), _) if m != Points::ZERO => Some(Points(-m.hundredths().abs())),
                (None, Some(x)) if x < Points::ZERO => Some(x),
                _ => {
                    say(RULE, Said::of(|w| fill(w.su_deduction_min, &[&code])));
                    None
                }
            };
            max = Points::ZERO;
            Rule::Deduction {
                min: min.unwrap_or(Points(-1)),
            }
        }
        "range" => Rule::Range,
        "bonus" => Rule::Bonus,
        _ => Rule::Survey,
    };
    if problems.len() > before {
        return None;
    }
    Some(Leaf {
        code: row.code.clone(),
        name: row.name.clone(),
        max,
        rule,
        guide: row.guide.clone(),
        evidence: row.evidence.clone(),
        na: row.na,
        field,
    })
}

/// The non-blank lines of a cell, numbered from 1.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// A number as a person types it (`0,5`, `1.25`, `-2`), at most two decimals.
fn number(text: &str) -> Option<Points> {
    cells::points(&Data::String(text.to_string()))
        .ok()
        .flatten()
}
