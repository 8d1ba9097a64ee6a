//! Checking council.toml: members, groups, the roster, and their links to the frameworks.

use std::collections::HashMap;

use super::{raw, some_of, valid_id};
use crate::diag::Source;
use crate::i18n::Words;
use crate::i18n::fill;
use crate::model::{Assigned, Council, Framework, Group, Member, Unit};
use crate::text;

pub(super) fn check(
    src: &mut Source<'_>,
    folder: &std::path::Path,
    raw: raw::Council,
    frameworks: Vec<Framework>,
    broken: &super::Broken,
) -> Option<Council> {
    // Problems that would make every assessment check meaningless stop here;
    // the others are reported and the assessments are still checked.
    let mut links_ok = true;
    let name = text::line(raw.name.get_ref());
    if name.trim().is_empty() {
        src.say(raw.name.span(), |w| w.ld_council_s_name_empty.to_string());
    }

    let approval = raw
        .approval
        .as_ref()
        .map_or(crate::model::MORE_THAN_HALF, |a| {
            threshold(*a.get_ref()).unwrap_or_else(|| {
                src.say(a.span(), |w| w.ld_approval_threshold.to_string());
                crate::model::MORE_THAN_HALF
            })
        });
    let explanation_days = raw.explanation_days.as_ref().and_then(|d| {
        let days = *d.get_ref();
        if (1..=365).contains(&days) {
            Some(days as u32)
        } else {
            src.say(d.span(), |w| fill(w.ld_explanation_days, &[&days]));
            None
        }
    });
    // Last year's signed folder: its unit files name the units that may be
    // continued (the whole folder is verified where its figures are used).
    let previous = raw.previous.as_ref().and_then(|p| {
        let path = folder.join(p.get_ref());
        match last_year_units(&path) {
            Some(ids) => Some((path, ids)),
            None => {
                src.say(p.span(), |w| {
                    fill(w.ld_previous_not_signed, &[&text::line(p.get_ref())])
                });
                None
            }
        }
    });
    let mut members = Vec::new();
    let mut secretaries: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut seen = HashMap::new();
    let mut db_roles: HashMap<String, String> = HashMap::new();
    for m in raw.member {
        let id = m.id.get_ref().clone();
        if !valid_id(&id) {
            src.say(m.id.span(), |w| {
                fill(w.ld_member_id_valid, &[&text::line(&id), &w.ld_id_rule])
            });
        } else if seen.insert(id.clone(), ()).is_some() {
            src.say(m.id.span(), |w| fill(w.ld_member_id_used_twice, &[&id]));
        }
        if let Some(k) = &m.pubkey
            && crate_pubkey_shape(k.get_ref()).is_err()
        {
            src.say(k.span(), |w| w.ld_pubkey_minisign_public_key.to_string());
        }
        if let Some(r) = &m.db_role {
            let role = r.get_ref();
            if role.is_empty()
                || role.len() > 63
                || !role
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            {
                src.say(r.span(), |w| fill(w.ld_db_role, &[&text::line(role)]));
            } else if let Some(other) = db_roles.insert(role.clone(), id.clone()) {
                src.say(r.span(), |w| fill(w.ld_db_role_twice, &[role, &other]));
            }
        }
        let chair_span = m.chair.as_ref().map_or(m.id.span(), |c| c.span());
        let fields = m.fields.map(|f| assigned(src, &id, f, &frameworks, broken));
        if let Some(sec) = m.secretary.as_ref().filter(|s| *s.get_ref()) {
            secretaries.push((sec.span(), id.clone()));
        }
        members.push((
            chair_span,
            m.conflicts,
            Member {
                id,
                name: text::line(&m.name),
                role: text::line(&m.role),
                chair: m.chair.as_ref().is_some_and(|c| *c.get_ref()),
                secretary: m.secretary.as_ref().is_some_and(|c| *c.get_ref()),
                pubkey: m.pubkey.map(|k| k.into_inner().trim().to_string()),
                db_role: m.db_role.map(toml::Spanned::into_inner),
                conflicts: Vec::new(),
                fields,
                voting: m.voting.as_ref().is_none_or(|v| *v.get_ref()),
            },
        ));
    }
    if members.is_empty() {
        src.say(0..0, |w| w.ld_member_list_council_s.to_string());
    }
    let chairs: Vec<_> = members.iter().filter(|(_, _, m)| m.chair).collect();
    if !members.is_empty() && chairs.is_empty() {
        src.say(0..0, |w| w.ld_member_chair_true_exactly.to_string());
    }
    for (span, id) in secretaries.iter().skip(1) {
        src.say(span.clone(), |w| {
            fill(w.ld_member_second_secretary_at, &[&id])
        });
    }
    for (span, _, m) in chairs.iter().skip(1) {
        src.say(span.clone(), |w| {
            fill(w.ld_member_second_chair_exactly, &[&m.id])
        });
    }

    let mut groups = Vec::new();
    let mut group_ids = HashMap::new();
    for g in raw.group {
        let id = g.id.get_ref().clone();
        if !valid_id(&id) {
            src.say(g.id.span(), |w| {
                fill(w.ld_group_id_valid, &[&text::line(&id), &w.ld_id_rule])
            });
        } else if group_ids.insert(id.clone(), groups.len()).is_some() {
            src.say(g.id.span(), |w| fill(w.ld_group_id_used_twice, &[&id]));
        }
        let fw = frameworks
            .iter()
            .position(|f| &f.id == g.framework.get_ref());
        if fw.is_none() && broken.ids.contains(g.framework.get_ref()) {
            links_ok = false;
        } else if fw.is_none() {
            links_ok = false;
            let unreadable = broken.unreadable;
            let hint = move |w: &'static Words| {
                if unreadable { w.ld_unreadable_hint } else { "" }
            };
            src.say(g.framework.span(), |w| {
                fill(
                    w.ld_group_uses_framework_which,
                    &[
                        &id,
                        &text::line(g.framework.get_ref()),
                        &hint(w),
                        &some_of(w, frameworks.iter().map(|f| f.id.as_str())),
                    ],
                )
            });
        }
        groups.push(Group {
            id,
            name: text::line(&g.name),
            framework: fw.unwrap_or(0),
        });
    }
    if groups.is_empty() {
        src.say(0..0, |w| w.ld_group_units_are_ranked.to_string());
    }

    let mut units = Vec::new();
    let mut unit_ids = HashMap::new();
    // Unit ids name files (the signed unit files, the forms): two that differ
    // only in case would be one file on Windows and macOS.
    let mut folded_ids: HashMap<String, String> = HashMap::new();
    for u in raw.unit {
        let id = u.id.get_ref().clone();
        if !valid_id(&id) {
            src.say(u.id.span(), |w| {
                fill(w.ld_unit_id_valid, &[&text::line(&id), &w.ld_id_rule])
            });
        } else if let Some(other) = folded_ids.get(&id.to_lowercase()).filter(|o| **o != id) {
            let other = other.clone();
            src.say(u.id.span(), |w| fill(w.ld_unit_id_case, &[&id, &other]));
        } else if unit_ids.insert(id.clone(), units.len()).is_some() {
            src.say(u.id.span(), |w| fill(w.ld_unit_id_used_twice, &[&id]));
        }
        folded_ids
            .entry(id.to_lowercase())
            .or_insert_with(|| id.clone());
        let group = group_ids.get(u.group.get_ref()).copied();
        if group.is_none() {
            links_ok = false;
            src.say(u.group.span(), |w| {
                fill(
                    w.ld_unit_group_which_declared,
                    &[
                        &id,
                        &text::line(u.group.get_ref()),
                        &some_of(w, groups.iter().map(|g| g.id.as_str())),
                    ],
                )
            });
        }
        let short = u.short.map(|s| (s.span(), text::line(s.get_ref())));
        if let Some((span, s)) = &short
            && s.trim().is_empty()
        {
            src.say(span.clone(), |w| fill(w.ld_unit_empty_short_name, &[&id]));
        }
        let mut formerly = Vec::new();
        for f in &u.formerly {
            let old = f.get_ref();
            let held = previous.as_ref().map(|(_, ids)| ids.contains(old));
            if !valid_id(old) {
                src.say(f.span(), |w| {
                    fill(w.ld_formerly_id, &[&text::line(old), &w.ld_id_rule])
                });
            } else if held == Some(false) {
                let dir = raw
                    .previous
                    .as_ref()
                    .map(|p| text::line(p.get_ref()))
                    .unwrap_or_default();
                src.say(f.span(), |w| fill(w.ld_formerly_unknown, &[old, &dir]));
            } else if formerly.contains(old) {
                src.say(f.span(), |w| fill(w.ld_formerly_twice, &[old]));
            } else {
                formerly.push(old.clone());
            }
        }
        units.push(Unit {
            id,
            name: text::line(&u.name),
            short: short.map(|(_, s)| s.trim().to_string()),
            group: group.unwrap_or(0),
            formerly,
        });
    }
    if units.is_empty() {
        src.say(0..0, |w| w.ld_unit_roster_lists_every.to_string());
    }

    let members = members
        .into_iter()
        .map(|(_, conflicts, mut m)| {
            for c in conflicts {
                if unit_ids.contains_key(c.get_ref()) {
                    m.conflicts.push(c.into_inner());
                } else {
                    src.say(c.span(), |w| {
                        fill(
                            w.ld_member_lists_conflict_which,
                            &[&m.id, &text::line(c.get_ref())],
                        )
                    });
                }
            }
            m
        })
        .collect();

    if !links_ok || groups.is_empty() || units.is_empty() {
        return None;
    }
    Some(Council {
        name,
        authority: text::line(&raw.authority),
        year: *raw.year.get_ref(),
        members,
        groups,
        units,
        frameworks,
        assessments: Vec::new(),
        surveys: Vec::new(),
        explanations: Vec::new(),
        unit_lookup: unit_ids,
        approval,
        confirm: raw.confirm.is_some_and(|c| c.into_inner()),
        explanation_days,
        previous: previous.map(|(p, _)| p),
        inputs: None,
        stamp: crate::model::next_stamp(),
    })
}

/// `approval`: a share strictly between 0 and 1 with at most six decimals, in millionths.
fn threshold(v: f64) -> Option<i64> {
    let m = v * 1_000_000.0;
    (v > 0.0 && v < 1.0 && (m - m.round()).abs() < 1e-6).then(|| m.round() as i64)
}

/// A member's `fields`: a list of field codes (each a field of some
/// framework), or a table of such lists by framework id (each code a field of
/// that framework); anything else is said at the value.
fn assigned(
    src: &mut Source<'_>,
    member: &str,
    value: toml::Spanned<toml::Value>,
    frameworks: &[Framework],
    broken: &super::Broken,
) -> Assigned {
    let span = value.span();
    let codes = |v: &toml::Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|c| c.as_str().map(str::to_string))
            .collect()
    };
    let field_codes = |f: &Framework| f.fields.iter().map(|x| x.code.clone()).collect::<Vec<_>>();
    let mut out = Assigned::default();
    match value.into_inner() {
        toml::Value::Array(a) => match codes(&toml::Value::Array(a)) {
            Some(list) => {
                for code in &list {
                    if !frameworks
                        .iter()
                        .any(|f| f.fields.iter().any(|x| &x.code == code))
                        && broken.ids.is_empty()
                        && !broken.unreadable
                    {
                        let all: Vec<String> = frameworks.iter().flat_map(field_codes).collect();
                        src.say(span.clone(), |w| {
                            fill(
                                w.ld_fields_unknown_code,
                                &[
                                    &member,
                                    &text::line(code),
                                    &some_of(w, all.iter().map(String::as_str)),
                                ],
                            )
                        });
                    }
                }
                out.everywhere = list;
            }
            None => src.say(span.clone(), |w| fill(w.ld_fields_shape, &[&member])),
        },
        toml::Value::Table(t) => {
            for (fw_id, v) in t {
                let Some(list) = codes(&v) else {
                    src.say(span.clone(), |w| fill(w.ld_fields_shape, &[&member]));
                    continue;
                };
                match frameworks.iter().find(|f| f.id == fw_id) {
                    Some(f) => {
                        for code in list
                            .iter()
                            .filter(|c| !f.fields.iter().any(|x| &x.code == *c))
                        {
                            let all = field_codes(f);
                            src.say(span.clone(), |w| {
                                fill(
                                    w.ld_fields_unknown_code_in,
                                    &[
                                        &member,
                                        &text::line(code),
                                        &f.id,
                                        &some_of(w, all.iter().map(String::as_str)),
                                    ],
                                )
                            });
                        }
                    }
                    None if broken.ids.contains(&fw_id) => {}
                    None => src.say(span.clone(), |w| {
                        fill(
                            w.ld_fields_unknown_framework,
                            &[
                                &member,
                                &text::line(&fw_id),
                                &some_of(w, frameworks.iter().map(|f| f.id.as_str())),
                            ],
                        )
                    }),
                }
                out.by_framework.insert(fw_id, list);
            }
        }
        _ => src.say(span.clone(), |w| fill(w.ld_fields_shape, &[&member])),
    }
    out
}

/// A minisign public key is base64 of 42 bytes ("Ed" + key id + key): 56 characters starting with "RW".
fn crate_pubkey_shape(k: &str) -> Result<(), ()> {
    let k = k.trim();
    let ok = k.len() == 56
        && k.starts_with("RW")
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    if ok { Ok(()) } else { Err(()) }
}

/// The unit ids a signed folder holds (`units/<id>.toml`), or `None` where
/// the path is no signed folder (no MANIFEST, no units).
fn last_year_units(path: &std::path::Path) -> Option<std::collections::HashSet<String>> {
    if !path.join("MANIFEST").is_file() || !path.join("units").is_dir() {
        return None;
    }
    Some(crate::compare::last_year_ids(path))
}
