//! Applying survey results (SIPAS) to the survey leaves of each unit.

use std::collections::HashMap;

use super::{points, raw, some_of};
use crate::diag::{Source, line_col};
use crate::model::{Assessment, Council, Rule};
use crate::score;
use crate::text;

/// Checks one survey file and writes its points into the units' survey leaves.
/// Returns the survey's name when the whole file is good.
pub(super) fn apply(
    src: &mut Source<'_>,
    raw: raw::Survey,
    council: &Council,
    assessments: &mut [Assessment],
) -> Option<String> {
    let before = src.out.len();
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    let mut results = Vec::new();
    let roster: HashMap<&str, usize> = council
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    for r in &raw.result {
        let Some(&unit) = roster.get(r.unit.get_ref().as_str()) else {
            src.at(
                r.unit.span(),
                format!(
                    "survey result for unit `{}`, which is not in the roster; roster units: {}",
                    text::line(r.unit.get_ref()),
                    some_of(council.units.iter().map(|u| u.id.as_str()))
                ),
            );
            continue;
        };
        let fw = council.framework_of(unit);
        let code = r.code.get_ref();
        let leaf = match fw.leaf(code) {
            Some((i, l)) if l.rule == Rule::Survey => (i, l),
            Some(_) => {
                src.at(r.code.span(), format!("{code} is not a survey leaf of framework `{}`; survey results only fill leaves with kind = \"survey\"", fw.id));
                continue;
            }
            None => {
                let survey_codes = fw
                    .leaves
                    .iter()
                    .filter(|l| l.rule == Rule::Survey)
                    .map(|l| l.code.as_str());
                src.at(
                    r.code.span(),
                    format!(
                        "framework `{}` has no leaf {}; its survey leaves are {}",
                        fw.id,
                        text::line(code),
                        some_of(survey_codes)
                    ),
                );
                continue;
            }
        };
        let Some(p) = points(src, &r.points, "points") else {
            continue;
        };
        if let Err(why) = score::check_survey_points(leaf.1, p) {
            src.at(r.points.span(), format!("{code}: {why}"));
            continue;
        }
        if let Some(first) = seen.get(&(unit, leaf.0)) {
            let (line, _) = line_col(src.text, *first);
            src.at(r.unit.span(), format!("a second result for unit `{}` and {code} (first on line {line}); give one result per unit and leaf", r.unit.get_ref()));
            continue;
        }
        seen.insert((unit, leaf.0), r.unit.span().start);
        results.push((unit, leaf.0, p));
    }
    if src.out.len() > before {
        return None;
    }
    for (unit, leaf, p) in results {
        let claim = &mut assessments[unit].claims[leaf];
        if !claim.flags.no_survey {
            // Another survey file already gave this leaf.
            src.at(
                0..0,
                format!(
                    "{} for unit `{}` already has a result in another survey file",
                    council.framework_of(unit).leaves[leaf].code,
                    council.units[unit].id
                ),
            );
            continue;
        }
        claim.points = p;
        claim.flags.no_survey = false;
    }
    Some(text::line(&raw.name))
}
