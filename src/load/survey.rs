//! Applying survey results (SIPAS) to the survey leaves of each unit.

use std::collections::HashMap;

use super::{points, raw, some_of};
use crate::diag::Source;
use crate::i18n::fill;
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
            src.say(r.unit.span(), |w| {
                fill(
                    w.ld_survey_result_unit_which,
                    &[
                        &text::line(r.unit.get_ref()),
                        &some_of(w, council.units.iter().map(|u| u.id.as_str())),
                    ],
                )
            });
            continue;
        };
        let fw = council.framework_of(unit);
        let code = r.code.get_ref();
        let leaf = match fw.leaf(code) {
            Some((i, l)) if l.rule == Rule::Survey => (i, l),
            Some(_) => {
                src.say(r.code.span(), |w| {
                    fill(w.ld_survey_leaf_framework_survey, &[&code, &fw.id])
                });
                continue;
            }
            None => {
                let survey_codes: Vec<&str> = fw
                    .leaves
                    .iter()
                    .filter(|l| l.rule == Rule::Survey)
                    .map(|l| l.code.as_str())
                    .collect();
                src.say(r.code.span(), |w| {
                    fill(
                        w.ld_framework_leaf_survey_leaves,
                        &[
                            &fw.id,
                            &text::line(code),
                            &some_of(w, survey_codes.iter().copied()),
                        ],
                    )
                });
                continue;
            }
        };
        let Some(p) = points(src, &r.points, |w| w.ld_what_points) else {
            continue;
        };
        if let Err(why) = score::check_survey_points(leaf.1, p) {
            src.say(r.points.span(), |w| {
                format!("{code}: {}", crate::i18n::not_allowed(w, &why))
            });
            continue;
        }
        if let Some(first) = seen.get(&(unit, leaf.0)) {
            let (line, _) = src.line_col(*first);
            src.say(r.unit.span(), |w| {
                fill(
                    w.ld_second_result_unit_first,
                    &[&r.unit.get_ref(), &code, &line],
                )
            });
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
            src.say(0..0, |w| {
                fill(
                    w.ld_unit_already_result_another,
                    &[
                        &council.framework_of(unit).leaves[leaf].code,
                        &council.units[unit].id,
                    ],
                )
            });
            continue;
        }
        claim.points = p;
        claim.flags.no_survey = false;
    }
    Some(text::line(&raw.name))
}
