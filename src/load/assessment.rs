//! Checking one unit's self-assessment against its framework; building its claims leaf by leaf.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path};

use super::{points, raw, some_of};
use crate::diag::{Source, line_col};
use crate::model::{
    Assessment, AssessmentFile, Claim, Council, Evidence, Flags, Framework, Leaf, Rule,
};
use crate::points::Points;
use crate::score;
use crate::text::{self, Lines};

/// What every assessment is checked against.
pub(super) struct Context<'a> {
    council: &'a Council,
    roster: HashMap<&'a str, usize>,
    folder: &'a Path,
}

impl<'a> Context<'a> {
    pub(super) fn new(council: &'a Council, folder: &'a Path) -> Self {
        let roster = council
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.as_str(), i))
            .collect();
        Context {
            council,
            roster,
            folder,
        }
    }
}

/// A checked assessment and where its `unit` key stands.
pub(super) struct Checked {
    pub unit: usize,
    pub unit_at: (usize, usize),
    pub assessment: Assessment,
}

/// Claims of a unit that sent no file: every leaf 0 and flagged.
pub(super) fn not_submitted(f: &Framework) -> Assessment {
    Assessment {
        file: None,
        claims: f.leaves.iter().map(empty_claim).collect(),
    }
}

fn empty_claim(l: &Leaf) -> Claim {
    let survey = l.rule == Rule::Survey;
    Claim {
        flags: Flags {
            not_assessed: !survey,
            no_evidence: false,
            no_survey: survey,
        },
        ..Claim::default()
    }
}

pub(super) fn check(
    src: &mut Source<'_>,
    raw: raw::Assessment,
    ctx: &Context<'_>,
) -> Option<Checked> {
    let before = src.out.len();
    let council = ctx.council;
    let unit_id = raw.unit.get_ref();
    let Some(&unit) = ctx.roster.get(unit_id.as_str()) else {
        src.at(
            raw.unit.span(),
            format!(
                "unit `{}` is not in the roster of council.toml; roster units: {}",
                text::line(unit_id),
                some_of(council.units.iter().map(|u| u.id.as_str()))
            ),
        );
        return None;
    };
    let group = &council.groups[council.units[unit].group];
    let fw = &council.frameworks[group.framework];
    if raw.framework.get_ref() != &fw.id {
        src.at(
            raw.framework.span(),
            format!(
                "unit `{unit_id}` is in group `{}`, whose framework is `{}`; this file says `{}`",
                group.id,
                fw.id,
                text::line(raw.framework.get_ref())
            ),
        );
        return None;
    }
    let date = raw.submitted.get_ref();
    if date.date.is_none() || date.time.is_some() || date.offset.is_some() {
        src.at(
            raw.submitted.span(),
            "submitted must be a date such as 2025-01-10 (no time)",
        );
    }

    let mut claims: Vec<Claim> = fw.leaves.iter().map(empty_claim).collect();
    let mut seen: HashMap<usize, Range<usize>> = HashMap::new();
    for item in raw.item {
        let code = item.code.get_ref();
        let Some((li, leaf)) = fw.leaf(code) else {
            unknown_code(src, fw, &item.code);
            continue;
        };
        if let Some(first) = seen.get(&li) {
            let (line, _) = line_col(src.text, first.start);
            src.at(
                item.code.span(),
                format!(
                    "{code} is scored twice (first on line {line}); give one [[item]] per leaf"
                ),
            );
            continue;
        }
        seen.insert(li, item.code.span());
        if let Some(claim) = claim(src, item, leaf, ctx.folder) {
            claims[li] = claim;
        }
    }
    let max: Points = fw
        .leaves
        .iter()
        .zip(&claims)
        .filter(|(_, c)| !c.na)
        .map(|(l, _)| l.max)
        .sum();
    if max <= Points::ZERO {
        src.at(raw.unit.span(), format!("unit `{unit_id}` has no applicable points left (its applicable max is 0), so no index can be computed; not every leaf can be not applicable"));
    }
    if src.out.len() > before {
        return None;
    }
    Some(Checked {
        unit,
        unit_at: line_col(src.text, raw.unit.span().start),
        assessment: Assessment {
            file: Some(AssessmentFile {
                path: src.path.to_string(),
                submitted: date.to_string(),
                signed_by: raw.signed_by.as_deref().map(text::line),
            }),
            claims,
        },
    })
}

fn unknown_code(src: &mut Source<'_>, fw: &Framework, code: &toml::Spanned<String>) {
    let c = code.get_ref();
    let parent = fw.fields.iter().flat_map(|f| &f.criteria).find(|cr| {
        &cr.code == c && !(cr.leaves.len() == 1 && &fw.leaves[cr.leaves.start].code == c)
    });
    let message = match parent {
        Some(cr) => format!(
            "{c} is a criterion with sub-criteria, not a scored leaf; score its sub-criteria instead: {}",
            some_of(fw.leaves[cr.leaves.clone()].iter().map(|l| l.code.as_str()))
        ),
        None if fw.fields.iter().any(|f| &f.code == c) => {
            format!("{c} is a field, not a scored leaf; score the leaves of that field one by one")
        }
        None => format!(
            "framework `{}` has no leaf {}; check the code against {}",
            fw.id,
            text::line(c),
            fw.path
        ),
    };
    src.at(code.span(), message);
}

fn claim(src: &mut Source<'_>, mut item: raw::Item, leaf: &Leaf, folder: &Path) -> Option<Claim> {
    let code = &leaf.code;
    let before = src.out.len();
    let mut c = Claim {
        note: item.note.take().map(|n| text::clean_owned(n, Lines::Many)),
        ..Claim::default()
    };
    for e in std::mem::take(&mut item.evidence) {
        c.evidence.extend(evidence(src, e, folder));
    }
    if leaf.rule == Rule::Survey {
        src.at(item.code.span(), format!("{code} is a survey leaf: its points come from surveys/, so a self-assessment gives no item for it (not even a note)"));
        return None;
    }
    if let Some(na) = &item.na
        && *na.get_ref()
    {
        if !leaf.na {
            src.at(na.span(), format!("{code} may not be declared not applicable (the framework does not set na = true for it)"));
        }
        if let Some(p) = &item.points {
            src.at(p.span(), format!("{code} is declared not applicable, so it takes no points: remove `points` or `na`"));
        }
        if let Some(n) = &item.numerator {
            src.at(n.span(), format!("{code} is declared not applicable, so it takes no figures: remove `numerator`/`denominator` or `na`"));
        }
        c.na = true;
        return (src.out.len() == before).then_some(c);
    }
    match &leaf.rule {
        Rule::Ratio(bands) => {
            if let Some(p) = &item.points {
                src.at(p.span(), format!("{code} is a ratio leaf: give `numerator` and `denominator`; its points follow from the bands"));
                return None;
            }
            let (Some(n), Some(d)) = (&item.numerator, &item.denominator) else {
                let span = item
                    .numerator
                    .as_ref()
                    .or(item.denominator.as_ref())
                    .map_or(item.code.span(), |s| s.span());
                src.at(span, format!("{code} is a ratio leaf and needs both `numerator` and `denominator` (whole numbers)"));
                return None;
            };
            let (nv, dv) = (*n.get_ref(), *d.get_ref());
            if nv < 0 || dv < 0 {
                src.at(
                    if nv < 0 { n.span() } else { d.span() },
                    format!("{code}: numerator and denominator are counts, 0 or more"),
                );
                return None;
            }
            if dv == 0 {
                if nv != 0 {
                    src.at(n.span(), format!("{code}: numerator {nv} with denominator 0; the numerator cannot exceed the denominator"));
                    return None;
                }
                if !leaf.na {
                    src.at(d.span(), format!("{code}: denominator 0 would make the leaf not applicable, which this leaf does not allow; give the real figures"));
                    return None;
                }
                c.na = true;
                c.ratio = Some((0, 0));
            } else {
                if nv > dv {
                    src.at(n.span(), format!("{code}: numerator {nv} is above denominator {dv}; the numerator counts part of the denominator"));
                    return None;
                }
                c.ratio = Some((nv as u64, dv as u64));
                c.points = score::ratio_points(bands, nv as u64, dv as u64);
            }
        }
        rule => {
            if let Some(n) = item.numerator.as_ref().or(item.denominator.as_ref()) {
                src.at(
                    n.span(),
                    format!(
                        "{code} is a {} leaf: give `points`, not numerator/denominator",
                        rule.kind()
                    ),
                );
                return None;
            }
            let Some(pn) = &item.points else {
                src.at(item.code.span(), format!("{code} has no `points`; give the points claimed, or na = true where the leaf allows it"));
                return None;
            };
            let p = points(src, pn, "points")?;
            if let Err(why) = score::check_points(leaf, p) {
                src.at(pn.span(), format!("{code}: {why}"));
                return None;
            }
            c.points = p;
        }
    }
    c.flags.no_evidence = !c.na && c.points > Points::ZERO && c.evidence.is_empty();
    (src.out.len() == before).then_some(c)
}

fn evidence(src: &mut Source<'_>, e: raw::Evidence, folder: &Path) -> Option<Evidence> {
    let reference = text::line(e.reference.get_ref());
    if reference.trim().is_empty() {
        src.at(e.reference.span(), "evidence `ref` is empty; cite the document's number and date (e.g. \"Quyết định số 125/QĐ-UBND ngày 20/12/2023\")");
        return None;
    }
    let mut file = None;
    let mut file_exists = false;
    if let Some(f) = &e.file {
        match resolve_in_folder(f.get_ref()) {
            Ok(rel) => {
                file_exists = folder.join(&rel).is_file();
                file = Some(rel);
            }
            Err(why) => {
                src.at(f.span(), format!("evidence file \"{}\" {why}; give a path inside the council folder, such as \"evidence/unit/document.pdf\"", text::line(f.get_ref())));
                return None;
            }
        }
    }
    Some(Evidence {
        reference,
        title: e.title.map(|t| text::clean_owned(t, Lines::One)),
        file,
        file_exists,
        url: e.url.map(|u| text::clean_owned(u, Lines::One)),
    })
}

/// A relative path that stays inside the council folder, with `/` separators.
pub fn resolve_in_folder(path: &str) -> Result<String, &'static str> {
    let unified = path.replace('\\', "/");
    if unified.trim().is_empty() {
        return Err("is empty");
    }
    if unified.starts_with('/') || unified.chars().nth(1) == Some(':') {
        return Err("is absolute");
    }
    let mut parts: Vec<&str> = Vec::new();
    for comp in Path::new(&unified).components() {
        match comp {
            Component::Normal(p) => parts.push(p.to_str().unwrap_or("")),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err("leaves the council folder");
                }
            }
            Component::RootDir | Component::Prefix(_) => return Err("is absolute"),
        }
    }
    if parts.is_empty() {
        return Err("names the council folder itself");
    }
    if path.chars().any(char::is_control) {
        return Err("holds control characters");
    }
    Ok(parts.join("/"))
}
