//! Checking a framework file: bands, fields, criteria and every kind of leaf.

use std::collections::HashMap;
use std::ops::Range;

use super::{ID_RULE, points, raw, valid_id};
use crate::diag::{Diagnostic, Source, line_col};
use crate::model::{Band, Criterion, Field, Framework, Leaf, Level, RatioBand, Rule};
use crate::points::Points;
use crate::text;

const KINDS: &str = "\"levels\", \"range\", \"ratio\", \"deduction\" or \"survey\"";
const HUNDRED: Points = Points::whole(100);

pub(super) fn check(src: &mut Source<'_>, raw: raw::Framework) -> Option<Framework> {
    let before = src.out.len();
    let id = raw.id.get_ref().clone();
    if !valid_id(&id) {
        src.at(
            raw.id.span(),
            format!("framework id `{}` is not valid: {ID_RULE}", text::line(&id)),
        );
    }
    let step = match &raw.step {
        Some(n) => match points(src, n, "step") {
            Some(p) if p > Points::ZERO => p,
            Some(_) => {
                src.at(n.span(), "step must be above 0 (e.g. 0.25)");
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
        src.at(
            0..0,
            "no [[field]]: a framework has at least one field with its criteria",
        );
    }
    for f in raw.field {
        unique_code(src, &mut codes, &f.code);
        let field_index = fields.len();
        let first = leaves.len();
        let mut criteria = Vec::new();
        if f.criterion.is_empty() {
            src.at(
                f.code.span(),
                format!("field {} has no [[field.criterion]]", f.code.get_ref()),
            );
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
                        src.at(k.span(), format!("criterion {code} has sub-criteria, so it is not scored itself: remove `kind` (and the other leaf keys) or the [[field.criterion.sub]] tables"));
                    } else if let Some(m) = &c.max {
                        src.at(m.span(), format!("criterion {code} has sub-criteria, so its max is their sum: remove `max` here"));
                    }
                    if subs.get_ref().is_empty() {
                        src.at(subs.span(), format!("criterion {code} has an empty `sub`; give it sub-criteria or score it itself"));
                    }
                    for s in subs.into_inner() {
                        unique_code(src, &mut codes, &s.code);
                        if let Some(inner) = &s.sub {
                            src.at(inner.span(), format!("sub-criterion {} has its own `sub`: frameworks have three levels (field → criterion → sub-criterion)", s.code.get_ref()));
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
            && let Some(declared) = points(src, m, "field max")
        {
            let sum: Points = leaves[range.clone()].iter().map(|l: &Leaf| l.max).sum();
            if declared != sum {
                src.at(m.span(), format!("field {} declares max {} but its leaves' max add up to {}; correct one of them", f.code.get_ref(), declared.short(), sum.short()));
            }
        }
        fields.push(Field {
            code: text::line(f.code.get_ref()),
            name: text::line(&f.name),
            criteria,
            leaves: range,
        });
    }
    let total: Points = leaves.iter().map(|l| l.max).sum();
    if !leaves.is_empty() && total <= Points::ZERO {
        src.at(
            raw.id.span(),
            "the framework's leaves add up to a max of 0; an index needs points to score",
        );
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
                message: format!("framework id `{}` is already declared by {first}; each framework needs its own id", f.id),
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
        src.at(
            code.span(),
            "the code is empty; give it a code like \"1.1.1\"",
        );
        return;
    }
    if let Some(first) = codes.get(c) {
        let (line, _) = line_col(src.text, first.start);
        src.at(
            code.span(),
            format!(
                "code {c} is used twice (first on line {line}); codes are unique in a framework"
            ),
        );
        return;
    }
    codes.insert(c.clone(), code.span());
}

fn bands(src: &mut Source<'_>, raw: &raw::Framework) -> Vec<Band> {
    if raw.band.is_empty() {
        src.at(
            raw.id.span(),
            "no [[band]]: list the classification bands, highest min first, the last with min = 0",
        );
        return Vec::new();
    }
    let mut bands: Vec<Band> = Vec::new();
    for b in &raw.band {
        let Some(min) = points(src, &b.min, "band min") else {
            continue;
        };
        if min < Points::ZERO || min > HUNDRED {
            src.at(
                b.min.span(),
                format!(
                    "band min {} is not a percentage; give a value from 0 to 100",
                    min.short()
                ),
            );
        }
        if let Some(prev) = bands.last()
            && min >= prev.min
        {
            src.at(b.min.span(), format!("band \"{}\" has min {} but the band above it has min {}: list bands highest min first, strictly decreasing", text::line(b.name.get_ref()), min.short(), prev.min.short()));
        }
        bands.push(Band {
            name: text::line(b.name.get_ref()),
            min,
        });
    }
    if let (Some(last), Some(raw_last)) = (bands.last(), raw.band.last())
        && last.min != Points::ZERO
    {
        src.at(
            raw_last.min.span(),
            format!(
                "the last band has min {}; it must have min = 0 so that every index gets a band",
                last.min.short()
            ),
        );
    }
    bands
}

fn leaf(src: &mut Source<'_>, n: raw::Node, field: usize) -> Option<Leaf> {
    let before = src.out.len();
    let code = text::line(n.code.get_ref());
    let Some(kind) = &n.kind else {
        src.at(n.code.span(), format!("{code} has neither sub-criteria nor `kind`: score it with kind = {KINDS}, or give it [[field.criterion.sub]]"));
        return None;
    };
    let kind_name = kind.get_ref().as_str();
    let max = match &n.max {
        Some(m) => points(src, m, "max"),
        None if kind_name == "deduction" => Some(Points::ZERO),
        None => {
            src.at(
                n.code.span(),
                format!("{code} has no `max`: every {kind_name} leaf gives its maximum points"),
            );
            None
        }
    };
    let max = max.unwrap_or(Points::ZERO);
    if max < Points::ZERO {
        src.at(
            n.max.as_ref().map_or(n.code.span(), |m| m.span()),
            format!(
                "{code}: max {} is negative; a leaf's max is 0 or more",
                max.short()
            ),
        );
    }
    // Keys that belong to other kinds are mistakes, not decoration.
    let stray = |src: &mut Source<'_>,
                 present: bool,
                 span: Range<usize>,
                 key: &str,
                 owner: &str| {
        if present {
            src.at(span, format!("{code}: `{key}` belongs to a {owner} leaf, but this leaf is kind = \"{kind_name}\""));
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
                src.at(kind.span(), format!("{code} is a levels leaf but has no `levels = [{{ points = …, label = \"…\" }}, …]`"));
                return None;
            };
            if levels.get_ref().is_empty() {
                src.at(
                    levels.span(),
                    format!("{code}: `levels` is empty; list the allowed points with their labels"),
                );
            }
            let mut out: Vec<Level> = Vec::new();
            for l in levels.get_ref() {
                let Some(p) = points(src, &l.points, "level points") else {
                    continue;
                };
                if p < Points::ZERO || p > max {
                    src.at(
                        l.points.span(),
                        format!(
                            "{code}: level points {} lie outside 0 to the leaf's max {}",
                            p.short(),
                            max.short()
                        ),
                    );
                }
                if out.iter().any(|o| o.points == p) {
                    src.at(
                        l.points.span(),
                        format!(
                            "{code}: two levels give {} points; each level needs its own points",
                            p.short()
                        ),
                    );
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
                src.at(kind.span(), format!("{code} is a ratio leaf but has no `bands = [{{ min = 100, points = … }}, …]`"));
                return None;
            };
            if bands.get_ref().is_empty() {
                src.at(
                    bands.span(),
                    format!("{code}: `bands` is empty; list the ratio bands, highest min first"),
                );
            }
            let mut out: Vec<RatioBand> = Vec::new();
            for b in bands.get_ref() {
                let (Some(min), Some(p)) = (
                    points(src, &b.min, "band min"),
                    points(src, &b.points, "band points"),
                ) else {
                    continue;
                };
                if min < Points::ZERO || min > HUNDRED {
                    src.at(
                        b.min.span(),
                        format!(
                            "{code}: band min {} is not a percentage; give a value from 0 to 100",
                            min.short()
                        ),
                    );
                }
                if let Some(prev) = out.last()
                    && min >= prev.min
                {
                    src.at(b.min.span(), format!("{code}: band min {} follows min {}; list bands highest min first, strictly decreasing", min.short(), prev.min.short()));
                }
                if p < Points::ZERO || p > max {
                    src.at(
                        b.points.span(),
                        format!(
                            "{code}: band points {} lie outside 0 to the leaf's max {}",
                            p.short(),
                            max.short()
                        ),
                    );
                }
                out.push(RatioBand { min, points: p });
            }
            Rule::Ratio(out)
        }
        "deduction" => {
            if max != Points::ZERO {
                src.at(n.max.as_ref().map_or(n.code.span(), |m| m.span()), format!("{code}: a deduction leaf has max 0 (or no max); its points run from `min` to 0"));
            }
            let Some(m) = &n.min else {
                src.at(kind.span(), format!("{code} is a deduction leaf but has no `min` (the largest deduction, e.g. min = -2)"));
                return None;
            };
            let min = points(src, m, "min")?;
            if min >= Points::ZERO {
                src.at(
                    m.span(),
                    format!(
                        "{code}: min {} must be negative (the largest deduction, e.g. -2)",
                        min.short()
                    ),
                );
            }
            Rule::Deduction { min }
        }
        "survey" => Rule::Survey,
        other => {
            src.at(
                kind.span(),
                format!(
                    "{code}: kind \"{}\" is not known; use {KINDS}",
                    text::line(other)
                ),
            );
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
