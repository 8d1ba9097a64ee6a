//! Checking council.toml: members, groups, the roster, and their links to the frameworks.

use std::collections::HashMap;

use super::{ID_RULE, raw, some_of, valid_id};
use crate::diag::Source;
use crate::model::{Council, Framework, Group, Member, Unit};
use crate::text;

pub(super) fn check(
    src: &mut Source<'_>,
    raw: raw::Council,
    frameworks: Vec<Framework>,
    broken: &super::Broken,
) -> Option<Council> {
    // Problems that would make every assessment check meaningless stop here;
    // the others are reported and the assessments are still checked.
    let mut links_ok = true;
    let name = text::line(raw.name.get_ref());
    if name.trim().is_empty() {
        src.at(
            raw.name.span(),
            "the council's name is empty; give its full name",
        );
    }

    let mut members = Vec::new();
    let mut secretaries: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut seen = HashMap::new();
    for m in raw.member {
        let id = m.id.get_ref().clone();
        if !valid_id(&id) {
            src.at(
                m.id.span(),
                format!("member id `{}` is not valid: {ID_RULE}", text::line(&id)),
            );
        } else if seen.insert(id.clone(), ()).is_some() {
            src.at(
                m.id.span(),
                format!("member id `{id}` is used twice; each member needs a unique id"),
            );
        }
        if let Some(k) = &m.pubkey
            && crate_pubkey_shape(k.get_ref()).is_err()
        {
            src.at(k.span(), "pubkey is not a minisign public key (a base64 line starting with \"RW\", as printed by `thamdinh keygen` or `minisign -G`)");
        }
        let chair_span = m.chair.as_ref().map_or(m.id.span(), |c| c.span());
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
                conflicts: Vec::new(),
            },
        ));
    }
    if members.is_empty() {
        src.at(
            0..0,
            "no [[member]]: list the council's members, one of them with chair = true",
        );
    }
    let chairs: Vec<_> = members.iter().filter(|(_, _, m)| m.chair).collect();
    if !members.is_empty() && chairs.is_empty() {
        src.at(
            0..0,
            "no member has chair = true; exactly one member chairs the council",
        );
    }
    for (span, id) in secretaries.iter().skip(1) {
        src.at(
            span.clone(),
            format!("member `{id}` is a second secretary; at most one member has secretary = true"),
        );
    }
    for (span, _, m) in chairs.iter().skip(1) {
        src.at(
            span.clone(),
            format!(
                "member `{}` is a second chair; exactly one member has chair = true",
                m.id
            ),
        );
    }

    let mut groups = Vec::new();
    let mut group_ids = HashMap::new();
    for g in raw.group {
        let id = g.id.get_ref().clone();
        if !valid_id(&id) {
            src.at(
                g.id.span(),
                format!("group id `{}` is not valid: {ID_RULE}", text::line(&id)),
            );
        } else if group_ids.insert(id.clone(), groups.len()).is_some() {
            src.at(
                g.id.span(),
                format!("group id `{id}` is used twice; each group needs a unique id"),
            );
        }
        let fw = frameworks
            .iter()
            .position(|f| &f.id == g.framework.get_ref());
        if fw.is_none() && broken.ids.contains(g.framework.get_ref()) {
            links_ok = false;
        } else if fw.is_none() {
            links_ok = false;
            let hint = if broken.unreadable {
                " (or it is in a framework file that could not be read)"
            } else {
                ""
            };
            src.at(
                g.framework.span(),
                format!(
                    "group `{id}` uses framework `{}`, which no file in frameworks/ declares{hint}; known frameworks: {}",
                    text::line(g.framework.get_ref()),
                    some_of(frameworks.iter().map(|f| f.id.as_str()))
                ),
            );
        }
        groups.push(Group {
            id,
            name: text::line(&g.name),
            framework: fw.unwrap_or(0),
        });
    }
    if groups.is_empty() {
        src.at(0..0, "no [[group]]: units are ranked within groups; declare at least one with id, name and framework");
    }

    let mut units = Vec::new();
    let mut unit_ids = HashMap::new();
    for u in raw.unit {
        let id = u.id.get_ref().clone();
        if !valid_id(&id) {
            src.at(
                u.id.span(),
                format!("unit id `{}` is not valid: {ID_RULE}", text::line(&id)),
            );
        } else if unit_ids.insert(id.clone(), units.len()).is_some() {
            src.at(
                u.id.span(),
                format!("unit id `{id}` is used twice in the roster; each unit needs a unique id"),
            );
        }
        let group = group_ids.get(u.group.get_ref()).copied();
        if group.is_none() {
            links_ok = false;
            src.at(
                u.group.span(),
                format!(
                    "unit `{id}` is in group `{}`, which is not declared; declared groups: {}",
                    text::line(u.group.get_ref()),
                    some_of(groups.iter().map(|g| g.id.as_str()))
                ),
            );
        }
        let short = u.short.map(|s| (s.span(), text::line(s.get_ref())));
        if let Some((span, s)) = &short
            && s.trim().is_empty()
        {
            src.at(
                span.clone(),
                format!("unit `{id}` has an empty short name; give the name to show where room is short, or leave `short` out"),
            );
        }
        units.push(Unit {
            id,
            name: text::line(&u.name),
            short: short.map(|(_, s)| s.trim().to_string()),
            group: group.unwrap_or(0),
        });
    }
    if units.is_empty() {
        src.at(
            0..0,
            "no [[unit]]: the roster lists every unit to appraise, with id, name and group",
        );
    }

    let members = members
        .into_iter()
        .map(|(_, conflicts, mut m)| {
            for c in conflicts {
                if unit_ids.contains_key(c.get_ref()) {
                    m.conflicts.push(c.into_inner());
                } else {
                    src.at(
                        c.span(),
                        format!(
                            "member `{}` lists conflict `{}`, which is not a unit of the roster",
                            m.id,
                            text::line(c.get_ref())
                        ),
                    );
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
        unit_lookup: unit_ids,
    })
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
