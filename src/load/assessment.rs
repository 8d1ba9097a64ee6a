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
use crate::score::{self, ClaimError, ClaimInput};
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
    let parent = fw
        .fields
        .iter()
        .flat_map(|f| &f.criteria)
        .find(|cr| &cr.code == c && !cr.scored_itself(&fw.leaves));
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
    let before = src.out.len();
    let mut c = Claim {
        note: item.note.take().map(|n| text::clean_owned(n, Lines::Many)),
        ..Claim::default()
    };
    for e in std::mem::take(&mut item.evidence) {
        c.evidence.extend(evidence(src, e, folder));
    }
    let points = match &item.points {
        Some(pn) => Some(points(src, pn, "points")?),
        None => None,
    };
    let input = ClaimInput {
        points,
        numerator: item.numerator.as_ref().map(|n| *n.get_ref()),
        denominator: item.denominator.as_ref().map(|d| *d.get_ref()),
        na: item.na.as_ref().is_some_and(|na| *na.get_ref()),
    };
    match score::check_claim(leaf, &input) {
        Ok(v) => {
            c.points = v.points;
            c.na = v.na;
            c.ratio = v.ratio;
        }
        Err(broken) => {
            for e in broken {
                let (span, message) = told(&item, leaf, e);
                src.at(span, message);
            }
            return None;
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

/// A broken rule of a claim in the words of a self-assessment file, at the key it is about.
fn told(item: &raw::Item, leaf: &Leaf, e: ClaimError) -> (Range<usize>, String) {
    let code = &leaf.code;
    let at = |k: &Option<toml::Spanned<i64>>| k.as_ref().map(|s| s.span());
    let (numerator, denominator) = (at(&item.numerator), at(&item.denominator));
    let figure = numerator.clone().or(denominator.clone());
    let points = item.points.as_ref().map(|p| p.span());
    let na = item.na.as_ref().map(|n| n.span());
    let code_at = item.code.span();
    match e {
        ClaimError::Survey => (
            code_at,
            format!(
                "{code} is a survey leaf: its points come from surveys/, so a self-assessment gives no item for it (not even a note)"
            ),
        ),
        ClaimError::NaNotAllowed => (
            na.unwrap_or(code_at),
            format!(
                "{code} may not be declared not applicable (the framework does not set na = true for it)"
            ),
        ),
        ClaimError::NaWithPoints => (
            points.unwrap_or(code_at),
            format!(
                "{code} is declared not applicable, so it takes no points: remove `points` or `na`"
            ),
        ),
        ClaimError::NaWithFigures => (
            figure.unwrap_or(code_at),
            format!(
                "{code} is declared not applicable, so it takes no figures: remove `numerator`/`denominator` or `na`"
            ),
        ),
        ClaimError::PointsOnRatio => (
            points.unwrap_or(code_at),
            format!(
                "{code} is a ratio leaf: give `numerator` and `denominator`; its points follow from the bands"
            ),
        ),
        ClaimError::MissingFigures => (
            figure.unwrap_or(code_at),
            format!(
                "{code} is a ratio leaf and needs both `numerator` and `denominator` (whole numbers)"
            ),
        ),
        ClaimError::NegativeFigure { numerator: n } => (
            (if n { numerator } else { denominator }).unwrap_or(code_at),
            format!("{code}: numerator and denominator are counts, 0 or more"),
        ),
        ClaimError::NumeratorAboveDenominator(n, 0) => (
            numerator.unwrap_or(code_at),
            format!(
                "{code}: numerator {n} with denominator 0; the numerator cannot exceed the denominator"
            ),
        ),
        ClaimError::NumeratorAboveDenominator(n, d) => (
            numerator.unwrap_or(code_at),
            format!(
                "{code}: numerator {n} is above denominator {d}; the numerator counts part of the denominator"
            ),
        ),
        ClaimError::ZeroDenominatorNotAllowed => (
            denominator.unwrap_or(code_at),
            format!(
                "{code}: denominator 0 would make the leaf not applicable, which this leaf does not allow; give the real figures"
            ),
        ),
        ClaimError::FiguresOnNonRatio => (
            figure.unwrap_or(code_at),
            format!(
                "{code} is a {} leaf: give `points`, not numerator/denominator",
                leaf.rule.kind()
            ),
        ),
        ClaimError::NoPoints => (
            code_at,
            format!(
                "{code} has no `points`; give the points claimed, or na = true where the leaf allows it"
            ),
        ),
        ClaimError::BadPoints(why) => (points.unwrap_or(code_at), format!("{code}: {why}")),
    }
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
