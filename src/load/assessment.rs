//! Checking one unit's self-assessment against its framework; building its claims leaf by leaf.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path};

use super::{points, raw, some_of};
use crate::diag::{Said, Source};
use crate::i18n::Words;
use crate::i18n::fill;
use crate::model::{
    Assessment, AssessmentFile, Claim, Council, Evidence, Flags, Framework, Leaf, Rule,
};
use crate::points::Points;
use crate::score::{self, ClaimError, ClaimInput};
use crate::text::{self, Lines};

/// The longest note a claim may carry, in characters (a few pages): what the
/// council reads on the screen, never a file pasted in by mistake.
pub const MAX_NOTE: usize = 20_000;

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
        src.say(raw.unit.span(), |w| {
            fill(
                w.ld_unit_roster_council_toml,
                &[
                    &text::line(unit_id),
                    &some_of(w, council.units.iter().map(|u| u.id.as_str())),
                ],
            )
        });
        return None;
    };
    let group = &council.groups[council.units[unit].group];
    let fw = &council.frameworks[group.framework];
    if raw.framework.get_ref() != &fw.id {
        src.say(raw.framework.span(), |w| {
            fill(
                w.ld_unit_group_whose_framework,
                &[
                    &unit_id,
                    &group.id,
                    &fw.id,
                    &text::line(raw.framework.get_ref()),
                ],
            )
        });
        return None;
    }
    let date = raw.submitted.get_ref();
    if date.date.is_none() || date.time.is_some() || date.offset.is_some() {
        src.say(raw.submitted.span(), |w| {
            w.ld_submitted_must_date_such.to_string()
        });
    }

    let mut claims: Vec<Claim> = fw.leaves.iter().map(empty_claim).collect();
    // Where each leaf was first scored in the file.
    let mut seen: Vec<Option<usize>> = vec![None; fw.leaves.len()];
    let mut next = 0;
    for item in raw.item {
        let code = item.code.get_ref();
        // Files list the leaves in the framework's order: the next one is
        // tried before the look-up.
        let found = match fw.leaves.get(next) {
            Some(leaf) if leaf.code == *code => Some((next, leaf)),
            _ => fw.leaf(code),
        };
        let Some((li, leaf)) = found else {
            unknown_code(src, fw, &item.code);
            continue;
        };
        next = li + 1;
        if let Some(first) = seen[li] {
            let (line, _) = src.line_col(first);
            src.say(item.code.span(), |w| {
                fill(w.ld_scored_twice_first_line, &[&code, &line])
            });
            continue;
        }
        seen[li] = Some(item.code.span().start);
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
        src.say(raw.unit.span(), |w| {
            fill(w.ld_unit_applicable_points_left, &[&unit_id])
        });
    }
    if src.out.len() > before {
        return None;
    }
    Some(Checked {
        unit,
        // Near the top of the file: found without indexing the rest.
        unit_at: crate::diag::line_col(src.text, raw.unit.span().start),
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

pub(super) fn unknown_code(src: &mut Source<'_>, fw: &Framework, code: &toml::Spanned<String>) {
    let c = code.get_ref();
    let parent = fw
        .fields
        .iter()
        .flat_map(|f| &f.criteria)
        .find(|cr| &cr.code == c && !cr.scored_itself(&fw.leaves));
    let c = text::line(c);
    match parent {
        Some(cr) => src.say(code.span(), |w| {
            let subs = some_of(
                w,
                fw.leaves[cr.leaves.clone()].iter().map(|l| l.code.as_str()),
            );
            fill(w.ld_criterion_not_leaf, &[&c, &subs])
        }),
        None if fw.fields.iter().any(|f| f.code == c) => {
            src.say(code.span(), |w| fill(w.ld_field_not_leaf, &[&c]))
        }
        None => src.say(code.span(), |w| {
            fill(w.ld_no_such_leaf, &[&fw.id, &c, &fw.path])
        }),
    }
}

fn claim(src: &mut Source<'_>, mut item: raw::Item, leaf: &Leaf, folder: &Path) -> Option<Claim> {
    let before = src.out.len();
    // Its length is bounded where the file is parsed (`bound_texts`).
    let note = item.note.take();
    let mut c = Claim {
        note: note.map(|n| text::clean_owned(n.into_inner(), Lines::Many)),
        ..Claim::default()
    };
    // Sized to what the file lists: a council holds hundreds of thousands of these.
    let cited = std::mem::take(&mut item.evidence);
    c.evidence = Vec::with_capacity(cited.len());
    for e in cited {
        c.evidence.extend(evidence(src, e, folder));
    }
    let points = match &item.points {
        Some(pn) => Some(points(src, pn, |w| w.ld_what_points)?),
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
                let (span, message) = told(&item, leaf, &e);
                src.at(span, message);
            }
            return None;
        }
    }
    c.flags.no_evidence = !c.na && c.points > Points::ZERO && c.evidence.is_empty();
    (src.out.len() == before).then_some(c)
}

pub(super) fn evidence(src: &mut Source<'_>, e: raw::Evidence, folder: &Path) -> Option<Evidence> {
    let reference = text::line(e.reference.get_ref());
    if reference.trim().is_empty() {
        src.say(e.reference.span(), |w| {
            w.ld_evidence_ref_empty_cite.to_string()
        });
        return None;
    }
    let mut file = None;
    let mut file_exists = false;
    if let Some(f) = &e.file {
        match resolve_in_folder(f.get_ref()) {
            Ok(rel) => {
                // A link out of the folder, or a pipe, is not evidence in the folder.
                file_exists = super::regular_inside(folder, &folder.join(&rel)).is_ok();
                file = Some(rel);
            }
            Err(why) => {
                src.say(f.span(), |w| {
                    fill(
                        w.ld_evidence_file_give_path,
                        &[&text::line(f.get_ref()), &why.said(w)],
                    )
                });
                return None;
            }
        }
    }
    let title = e.title.map(|t| text::clean_owned(t, Lines::One));
    let url = e.url.map(|u| text::clean_owned(u, Lines::One));
    Some(Evidence::new(
        &reference,
        title.as_deref(),
        file.as_deref(),
        url.as_deref(),
        file_exists,
    ))
}

/// A broken rule of a claim in the words of a self-assessment file, at the key it is about.
fn told(item: &raw::Item, leaf: &Leaf, e: &ClaimError) -> (Range<usize>, Said) {
    let code = &leaf.code;
    let at = |k: &Option<toml::Spanned<i64>>| k.as_ref().map(|s| s.span());
    let (numerator, denominator) = (at(&item.numerator), at(&item.denominator));
    let figure = numerator.clone().or(denominator.clone());
    let points = item.points.as_ref().map(|p| p.span());
    let na = item.na.as_ref().map(|n| n.span());
    let code_at = item.code.span();
    let said = |f: fn(&'static Words) -> &'static str| Said::of(|w| fill(f(w), &[code]));
    match e {
        ClaimError::Survey => (code_at, said(|w| w.ld_claim_survey)),
        ClaimError::NaNotAllowed => (na.unwrap_or(code_at), said(|w| w.ld_claim_na_not_allowed)),
        ClaimError::NaWithPoints => (
            points.unwrap_or(code_at),
            said(|w| w.ld_claim_na_with_points),
        ),
        ClaimError::NaWithFigures => (
            figure.unwrap_or(code_at),
            said(|w| w.ld_claim_na_with_figures),
        ),
        ClaimError::PointsOnRatio => (
            points.unwrap_or(code_at),
            said(|w| w.ld_claim_points_on_ratio),
        ),
        ClaimError::MissingFigures => (
            figure.unwrap_or(code_at),
            said(|w| w.ld_claim_missing_figures),
        ),
        ClaimError::NegativeFigure { numerator: n } => (
            (if *n { numerator } else { denominator }).unwrap_or(code_at),
            said(|w| w.ld_claim_negative_figure),
        ),
        ClaimError::NumeratorAboveDenominator(n, 0) => (
            numerator.unwrap_or(code_at),
            Said::of(|w| fill(w.ld_claim_numerator_zero, &[code, n])),
        ),
        ClaimError::NumeratorAboveDenominator(n, d) => (
            numerator.unwrap_or(code_at),
            Said::of(|w| fill(w.ld_claim_numerator_above, &[code, n, d])),
        ),
        ClaimError::ZeroDenominatorNotAllowed => (
            denominator.unwrap_or(code_at),
            said(|w| w.ld_claim_zero_denominator),
        ),
        ClaimError::FiguresOnNonRatio => (
            figure.unwrap_or(code_at),
            Said::of(|w| {
                fill(
                    w.ld_claim_figures_on_non_ratio,
                    &[code, &crate::i18n::rule_kind_in(w, &leaf.rule)],
                )
            }),
        ),
        ClaimError::NoPoints => (code_at, said(|w| w.ld_claim_no_points)),
        ClaimError::BadPoints(why) => (
            points.unwrap_or(code_at),
            Said::of(|w| format!("{code}: {}", crate::i18n::not_allowed(w, why))),
        ),
    }
}

/// Why a path given in a file does not name a file inside the council folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outside {
    Empty,
    Absolute,
    Leaves,
    Itself,
    Control,
}

impl Outside {
    /// Why the path does not stay inside the folder, in a language's words.
    pub fn said(self, w: &crate::i18n::Words) -> &'static str {
        match self {
            Outside::Empty => w.ld_path_empty,
            Outside::Absolute => w.ld_path_absolute,
            Outside::Leaves => w.ld_path_leaves,
            Outside::Itself => w.ld_path_itself,
            Outside::Control => w.ld_path_control,
        }
    }
}

impl std::fmt::Display for Outside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.said(crate::i18n::Lang::En.words()))
    }
}

/// A relative path that stays inside the council folder, with `/` separators.
pub fn resolve_in_folder(path: &str) -> Result<String, Outside> {
    let unified = path.replace('\\', "/");
    if unified.trim().is_empty() {
        return Err(Outside::Empty);
    }
    if unified.starts_with('/') || unified.chars().nth(1) == Some(':') {
        return Err(Outside::Absolute);
    }
    let mut parts: Vec<&str> = Vec::new();
    for comp in Path::new(&unified).components() {
        match comp {
            Component::Normal(p) => parts.push(p.to_str().unwrap_or("")),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(Outside::Leaves);
                }
            }
            Component::RootDir | Component::Prefix(_) => return Err(Outside::Absolute),
        }
    }
    if parts.is_empty() {
        return Err(Outside::Itself);
    }
    if path.chars().any(char::is_control) {
        return Err(Outside::Control);
    }
    Ok(parts.join("/"))
}
