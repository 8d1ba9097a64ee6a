//! Checking a framework file: bands, fields, criteria and every kind of leaf.

use std::collections::HashMap;
use std::ops::Range;

use super::{points, raw, valid_id};
use crate::diag::{Diagnostic, Said, Source, line_col};
use crate::i18n::{Words, fill};
use crate::model::{Band, Criterion, Field, Framework, Leaf, Level, RatioBand, Rule};
use crate::points::Points;
use crate::text;

/// The kinds a leaf may have, as written in a framework file.
fn kinds(w: &Words) -> &'static str {
    w.ld_kinds
}
const HUNDRED: Points = Points::whole(100);

pub(super) fn check(src: &mut Source<'_>, raw: raw::Framework) -> Option<Framework> {
    let before = src.out.len();
    let id = raw.id.get_ref().clone();
    if !valid_id(&id) {
        src.say(raw.id.span(), |w| {
            fill(w.ld_framework_id_valid, &[&text::line(&id), &w.ld_id_rule])
        });
    }
    let step = match &raw.step {
        Some(n) => match points(src, n, |w| w.ld_what_step) {
            Some(p) if p > Points::ZERO => p,
            Some(_) => {
                src.say(n.span(), |w| w.ld_step_must_above_e.to_string());
                Points(25)
            }
            None => Points(25),
        },
        None => Points(25),
    };

    let bands = bands(src, &raw);
    let mut codes: HashMap<String, Range<usize>> = HashMap::new();
    let mut fields = Vec::new();
    let mut leaves = Vec::new();
    if raw.field.is_empty() {
        src.say(0..0, |w| w.ld_field_framework_at_least.to_string());
    }
    for f in raw.field {
        unique_code(src, &mut codes, &f.code);
        let field_index = fields.len();
        let first = leaves.len();
        let mut criteria = Vec::new();
        if f.criterion.is_empty() {
            src.say(f.code.span(), |w| {
                fill(w.ld_field_field_criterion, &[&f.code.get_ref()])
            });
        }
        let mut field_ok = true;
        for c in f.criterion {
            unique_code(src, &mut codes, &c.code);
            let c_first = leaves.len();
            let code = text::line(c.code.get_ref());
            let name = text::line(&c.name);
            match c.sub {
                Some(subs) => {
                    if let Some(k) = &c.kind {
                        src.say(k.span(), |w| {
                            fill(w.ld_criterion_sub_criteria_so_2, &[&code])
                        });
                    } else if let Some(m) = &c.max {
                        src.say(m.span(), |w| fill(w.ld_criterion_sub_criteria_so, &[&code]));
                    }
                    if subs.get_ref().is_empty() {
                        src.say(subs.span(), |w| {
                            fill(w.ld_criterion_empty_sub_give, &[&code])
                        });
                    }
                    for s in subs.into_inner() {
                        unique_code(src, &mut codes, &s.code);
                        if let Some(inner) = &s.sub {
                            src.say(inner.span(), |w| {
                                fill(w.ld_sub_criterion_own_sub, &[&s.code.get_ref()])
                            });
                            continue;
                        }
                        match leaf(src, s, field_index) {
                            Some(l) => leaves.push(l),
                            None => field_ok = false,
                        }
                    }
                }
                None => match leaf(src, c, field_index) {
                    Some(l) => leaves.push(l),
                    None => field_ok = false,
                },
            }
            criteria.push(Criterion {
                code,
                name,
                leaves: c_first..leaves.len(),
            });
        }
        let range = first..leaves.len();
        // A leaf that failed its own checks would only make the sum wrong too.
        if let Some(m) = &f.max
            && field_ok
            && let Some(declared) = points(src, m, |w| w.ld_what_field_max)
        {
            let sum: Points = leaves[range.clone()].iter().map(Leaf::counted_max).sum();
            if declared != sum {
                src.say(m.span(), |w| {
                    fill(
                        w.ld_field_declares_max_but,
                        &[&f.code.get_ref(), &declared.short(), &sum.short()],
                    )
                });
            }
        }
        fields.push(Field {
            code: text::line(f.code.get_ref()),
            name: text::line(&f.name),
            criteria,
            leaves: range,
        });
    }
    let total: Points = leaves.iter().map(Leaf::counted_max).sum();
    let max_index = raw.max_index.as_ref().and_then(|m| {
        let p = points(src, m, |w| w.ld_what_max_index)?;
        if p < HUNDRED {
            src.say(m.span(), |w| fill(w.ld_max_index_below_100, &[&p.short()]));
        }
        Some(p)
    });
    if !leaves.is_empty() && total <= Points::ZERO {
        src.say(raw.id.span(), |w| w.ld_framework_s_leaves_add.to_string());
    }
    if src.out.len() > before {
        return None;
    }
    let leaf_index = leaves
        .iter()
        .enumerate()
        .map(|(i, l)| (l.code.clone(), i))
        .collect();
    Some(Framework {
        id,
        name: text::line(&raw.name),
        year: raw.year,
        step,
        bands,
        fields,
        leaves,
        leaf_index,
        max_index,
        path: src.path.to_string(),
    })
}

/// Frameworks are found by id: two files with one id are refused.
pub(super) fn check_ids(
    frameworks: Vec<(Framework, (usize, usize))>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Framework> {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for (f, (line, column)) in frameworks {
        if let Some(first) = seen.get(&f.id) {
            diags.push(Diagnostic {
                path: f.path.clone(),
                line,
                column,
                message: Said::of(|w| fill(w.ld_framework_declared_twice, &[&f.id, first])),
            });
            continue;
        }
        seen.insert(f.id.clone(), f.path.clone());
        out.push(f);
    }
    out
}

/// Where the `id` of a checked framework stands, for messages about the whole file.
pub(super) fn id_position(text: &str, raw: &raw::Framework) -> (usize, usize) {
    line_col(text, raw.id.span().start)
}

fn unique_code(
    src: &mut Source<'_>,
    codes: &mut HashMap<String, Range<usize>>,
    code: &toml::Spanned<String>,
) {
    let c = code.get_ref();
    if c.trim().is_empty() {
        src.say(code.span(), |w| w.ld_code_empty_give_code.to_string());
        return;
    }
    if let Some(first) = codes.get(c) {
        let (line, _) = src.line_col(first.start);
        src.say(code.span(), |w| {
            fill(w.ld_code_used_twice_first, &[&c, &line])
        });
        return;
    }
    codes.insert(c.clone(), code.span());
}

fn bands(src: &mut Source<'_>, raw: &raw::Framework) -> Vec<Band> {
    if raw.band.is_empty() {
        src.say(raw.id.span(), |w| {
            w.ld_band_list_classification_bands.to_string()
        });
        return Vec::new();
    }
    let mut bands: Vec<Band> = Vec::new();
    for b in &raw.band {
        let Some(min) = points(src, &b.min, |w| w.ld_what_band_min) else {
            continue;
        };
        if min < Points::ZERO || min > HUNDRED {
            src.say(b.min.span(), |w| {
                fill(w.ld_band_min_percentage_give_2, &[&min.short()])
            });
        }
        if let Some(prev) = bands.last()
            && min >= prev.min
        {
            src.say(b.min.span(), |w| {
                fill(
                    w.ld_band_min_but_band,
                    &[
                        &text::line(b.name.get_ref()),
                        &min.short(),
                        &prev.min.short(),
                    ],
                )
            });
        }
        bands.push(Band {
            name: text::line(b.name.get_ref()),
            min,
        });
    }
    if let (Some(last), Some(raw_last)) = (bands.last(), raw.band.last())
        && last.min != Points::ZERO
    {
        src.say(raw_last.min.span(), |w| {
            fill(w.ld_last_band_min_must, &[&last.min.short()])
        });
    }
    bands
}

fn leaf(src: &mut Source<'_>, n: raw::Node, field: usize) -> Option<Leaf> {
    let before = src.out.len();
    let code = text::line(n.code.get_ref());
    let Some(kind) = &n.kind else {
        src.say(n.code.span(), |w| {
            fill(w.ld_neither_sub_criteria_nor, &[&code, &kinds(w)])
        });
        return None;
    };
    let kind_name = kind.get_ref().as_str();
    let max = match &n.max {
        Some(m) => points(src, m, |w| w.ld_what_max),
        None if kind_name == "deduction" => Some(Points::ZERO),
        None => {
            src.say(n.code.span(), |w| {
                fill(w.ld_max_every_leaf_gives, &[&code, &kind_name])
            });
            None
        }
    };
    let max = max.unwrap_or(Points::ZERO);
    if max < Points::ZERO {
        src.say(n.max.as_ref().map_or(n.code.span(), |m| m.span()), |w| {
            fill(w.ld_max_negative_leaf_s, &[&code, &max.short()])
        });
    }
    // Keys that belong to other kinds are mistakes, not decoration.
    let stray =
        |src: &mut Source<'_>, present: bool, span: Range<usize>, key: &str, owner: &str| {
            if present {
                src.say(span, |w| {
                    fill(
                        w.ld_belongs_leaf_but_this,
                        &[&code, &key, &owner, &kind_name],
                    )
                });
            }
        };
    if kind_name != "levels" {
        stray(
            src,
            n.levels.is_some(),
            n.levels.as_ref().map_or(0..0, |l| l.span()),
            "levels",
            "levels",
        );
    }
    if kind_name != "ratio" {
        stray(
            src,
            n.bands.is_some(),
            n.bands.as_ref().map_or(0..0, |l| l.span()),
            "bands",
            "ratio",
        );
    }
    if kind_name != "deduction" {
        stray(
            src,
            n.min.is_some(),
            n.min.as_ref().map_or(0..0, |l| l.span()),
            "min",
            "deduction",
        );
    }
    let rule = match kind_name {
        "levels" => {
            let Some(levels) = &n.levels else {
                src.say(kind.span(), |w| fill(w.ld_levels_leaf_but_levels, &[&code]));
                return None;
            };
            if levels.get_ref().is_empty() {
                src.say(levels.span(), |w| {
                    fill(w.ld_levels_empty_list_allowed, &[&code])
                });
            }
            let mut out: Vec<Level> = Vec::new();
            for l in levels.get_ref() {
                let Some(p) = points(src, &l.points, |w| w.ld_what_level_points) else {
                    continue;
                };
                if p < Points::ZERO || p > max {
                    src.say(l.points.span(), |w| {
                        fill(
                            w.ld_level_points_lie_outside,
                            &[&code, &p.short(), &max.short()],
                        )
                    });
                }
                if out.iter().any(|o| o.points == p) {
                    src.say(l.points.span(), |w| {
                        fill(w.ld_two_levels_give_points, &[&code, &p.short()])
                    });
                }
                out.push(Level {
                    points: p,
                    label: text::line(&l.label),
                });
            }
            Rule::Levels(out)
        }
        "range" => Rule::Range,
        "ratio" => {
            let Some(bands) = &n.bands else {
                src.say(kind.span(), |w| fill(w.ld_ratio_leaf_but_bands, &[&code]));
                return None;
            };
            if bands.get_ref().is_empty() {
                src.say(bands.span(), |w| {
                    fill(w.ld_bands_empty_list_ratio, &[&code])
                });
            }
            let mut out: Vec<RatioBand> = Vec::new();
            for b in bands.get_ref() {
                let (Some(min), Some(p)) = (
                    points(src, &b.min, |w| w.ld_what_band_min),
                    points(src, &b.points, |w| w.ld_what_band_points),
                ) else {
                    continue;
                };
                if min < Points::ZERO || min > HUNDRED {
                    src.say(b.min.span(), |w| {
                        fill(w.ld_band_min_percentage_give, &[&code, &min.short()])
                    });
                }
                if let Some(prev) = out.last()
                    && min >= prev.min
                {
                    src.say(b.min.span(), |w| {
                        fill(
                            w.ld_band_min_follows_min,
                            &[&code, &min.short(), &prev.min.short()],
                        )
                    });
                }
                if p < Points::ZERO || p > max {
                    src.say(b.points.span(), |w| {
                        fill(
                            w.ld_band_points_lie_outside,
                            &[&code, &p.short(), &max.short()],
                        )
                    });
                }
                out.push(RatioBand { min, points: p });
            }
            Rule::Ratio(out)
        }
        "deduction" => {
            if max != Points::ZERO {
                src.say(n.max.as_ref().map_or(n.code.span(), |m| m.span()), |w| {
                    fill(w.ld_deduction_leaf_max_max, &[&code])
                });
            }
            let Some(m) = &n.min else {
                src.say(kind.span(), |w| fill(w.ld_deduction_leaf_but_min, &[&code]));
                return None;
            };
            let min = points(src, m, |w| w.ld_what_min)?;
            if min >= Points::ZERO {
                src.say(m.span(), |w| {
                    fill(w.ld_min_must_negative_largest, &[&code, &min.short()])
                });
            }
            Rule::Deduction { min }
        }
        "survey" => Rule::Survey,
        "bonus" => Rule::Bonus,
        other => {
            src.say(kind.span(), |w| {
                fill(w.ld_kind_known_use, &[&code, &text::line(other), &kinds(w)])
            });
            return None;
        }
    };
    if src.out.len() > before {
        return None;
    }
    Some(Leaf {
        code,
        name: text::line(&n.name),
        max,
        rule,
        guide: n.guide.as_deref().map(text::para),
        evidence: n.evidence.as_deref().map(text::para),
        na: n.na.unwrap_or(false),
        field,
    })
}
