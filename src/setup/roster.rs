//! The roster from a spreadsheet: the `[[unit]]` entries of council.toml written from a list of units, every other line and comment of the file kept.

use std::collections::HashMap;
use std::path::Path;

use calamine::Data;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use super::set_kept;

use crate::diag::Said;
use crate::forms::cells::{self, Problem};
use crate::i18n::fill;

/// The columns, Vietnamese title first, then what else a header may say.
const ID: &[&str] = &["mã đơn vị", "mã", "id", "unit"];
const NAME: &[&str] = &["tên đơn vị", "tên", "name"];
const GROUP: &[&str] = &["nhóm", "group"];
const SHORT: &[&str] = &["tên ngắn", "short"];
const FORMERLY: &[&str] = &["sáp nhập từ", "formerly"];

/// One unit of the list.
struct UnitIn {
    id: String,
    name: String,
    group: String,
    /// `None`: the list has no such column (what council.toml says is kept).
    short: Option<Option<String>>,
    formerly: Option<Vec<String>>,
}

/// What a roster import did.
#[derive(Debug, Default)]
pub struct Done {
    pub units: usize,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: usize,
}

/// Reads the list in `file` (xlsx, ods or csv), checks every row against
/// council.toml's groups, and writes its units as council.toml's `[[unit]]`
/// entries, in the list's order, where the first stood: a unit already there
/// keeps its comments and its other keys; every other line of the file is
/// kept as it is. A unit left out of the list that has a self-assessment is
/// refused (its assessment would name no unit). Nothing is written while any
/// problem remains.
pub fn import(folder: &Path, file: &Path) -> Result<Done, Vec<Problem>> {
    let shown = file.display().to_string();
    let whole = |m: Said| vec![Problem::whole(&shown, m)];
    let path = folder.join("council.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let p = path.display().to_string();
        whole(Said::of(|w| fill(w.su_council_unreadable, &[&p, &e])))
    })?;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let e = e.message().to_string();
        whole(Said::of(|w| {
            fill(w.su_council_unreadable, &[&"council.toml", &e])
        }))
    })?;
    let groups = groups(&doc);
    let table = cells::read_table(file).map_err(whole)?;
    let units = read(&table, &shown, &groups)?;

    let old: Vec<Table> = super::take_tables(&mut doc, "unit");
    let at = old.iter().filter_map(Table::position).min();
    let mut by_id: HashMap<String, Table> = HashMap::new();
    let mut done = Done::default();
    for t in old {
        if let Some(id) = t.get("id").and_then(Item::as_str) {
            by_id.insert(id.to_string(), t);
        }
    }
    let mut aot = ArrayOfTables::new();
    for u in &units {
        let mut t = match by_id.remove(&u.id) {
            Some(t) => t,
            None => {
                done.added.push(u.id.clone());
                let mut t = Table::new();
                t.decor_mut().set_prefix("\n");
                set_kept(&mut t, "id", &u.id);
                t
            }
        };
        let before = t.to_string();
        set_kept(&mut t, "name", &u.name);
        set_kept(&mut t, "group", &u.group);
        match &u.short {
            Some(Some(s)) => set_kept(&mut t, "short", s),
            Some(None) => {
                t.remove("short");
            }
            None => {}
        }
        match &u.formerly {
            Some(ids) if !ids.is_empty() => {
                let list: toml_edit::Array = ids.iter().map(String::as_str).collect();
                let same = t.get("formerly").and_then(Item::as_array).is_some_and(|a| {
                    a.iter()
                        .map(Value::as_str)
                        .eq(ids.iter().map(|s| Some(s.as_str())))
                });
                if !same {
                    t.insert("formerly", Item::Value(Value::Array(list)));
                }
            }
            Some(_) => {
                t.remove("formerly");
            }
            None => {}
        }
        if !done.added.contains(&u.id) && t.to_string() != before {
            done.changed += 1;
        }
        t.set_position(at);
        aot.push(t);
    }
    // Units left out: refused where a self-assessment names them.
    let assessed = assessed_units(folder);
    let mut problems = Vec::new();
    let mut removed: Vec<String> = by_id.into_keys().collect();
    removed.sort();
    for id in &removed {
        if let Some(file_of) = assessed.get(id) {
            let (id, file_of) = (id.clone(), file_of.clone());
            problems.push(Problem::whole(
                &shown,
                Said::of(|w| fill(w.su_roster_drops_assessed, &[&id, &file_of])),
            ));
        }
    }
    // A member's conflict with a unit left out would name no unit.
    if let Some(Item::ArrayOfTables(members)) = doc.get("member") {
        for m in members.iter() {
            let who = m
                .get("id")
                .and_then(Item::as_str)
                .unwrap_or_default()
                .to_string();
            let conflicts = m.get("conflicts").and_then(Item::as_array);
            for unit in conflicts.into_iter().flatten().filter_map(Value::as_str) {
                if removed.iter().any(|r| r == unit) {
                    let unit = unit.to_string();
                    let who = who.clone();
                    problems.push(Problem::whole(
                        &shown,
                        Said::of(|w| fill(w.su_roster_drops_conflict, &[&unit, &who])),
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    done.removed = removed;
    done.units = units.len();
    doc.insert("unit", Item::ArrayOfTables(aot));
    crate::files::write_atomic(&path, doc.to_string().as_bytes())
        .map_err(|e| whole(Said::same(format!("{e:#}"))))?;
    Ok(done)
}

/// council.toml's groups: each id, and its name folded, to its id.
fn groups(doc: &DocumentMut) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Some(Item::ArrayOfTables(a)) = doc.get("group") {
        for g in a.iter() {
            let Some(id) = g.get("id").and_then(Item::as_str) else {
                continue;
            };
            out.insert(id.to_lowercase(), id.to_string());
            if let Some(name) = g.get("name").and_then(Item::as_str) {
                out.insert(
                    crate::text::line(name).trim().to_lowercase(),
                    id.to_string(),
                );
            }
        }
    }
    out
}

/// The units that a file of assessments/ names, with that file.
fn assessed_units(folder: &Path) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir(folder.join("assessments")) else {
        return out;
    };
    for e in dir.flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let unit = std::fs::read_to_string(&p)
            .ok()
            .and_then(|t| t.parse::<toml::Table>().ok())
            .and_then(|t| t.get("unit").and_then(|u| u.as_str()).map(str::to_string));
        if let Some(u) = unit {
            out.insert(
                u,
                format!("assessments/{}", e.file_name().to_string_lossy()),
            );
        }
    }
    out
}

/// Every row of the list, checked by its cells.
fn read(
    table: &cells::Table,
    shown: &str,
    groups: &HashMap<String, String>,
) -> Result<Vec<UnitIn>, Vec<Problem>> {
    let mut problems = Vec::new();
    let find_header = || {
        table.rows.iter().enumerate().find_map(|(r, row)| {
            let titles: Vec<String> = row
                .iter()
                .map(|c| cells::text_line(c).unwrap_or_default().to_lowercase())
                .collect();
            let col = |names: &[&str]| titles.iter().position(|t| names.contains(&t.as_str()));
            Some((
                r,
                col(ID)?,
                col(NAME)?,
                col(GROUP)?,
                col(SHORT),
                col(FORMERLY),
            ))
        })
    };
    let Some((header, ci, cn, cg, cs, cf)) = find_header() else {
        return Err(vec![Problem::whole(
            shown,
            Said::word(|w| w.su_roster_header),
        )]);
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut units = Vec::new();
    let known: Vec<&String> = {
        let mut v: Vec<&String> = groups.values().collect();
        v.sort();
        v.dedup();
        v
    };
    for (r, row) in table.rows.iter().enumerate().skip(header + 1) {
        if row.iter().all(cells::is_blank) {
            continue;
        }
        let get = |c: usize| row.get(c).unwrap_or(&Data::Empty);
        let mut at = |c: usize, message: Said| {
            problems.push(Problem {
                file: shown.to_string(),
                at: (table.locate)(r, c),
                message,
            })
        };
        let id = cells::text_line(get(ci)).unwrap_or_default();
        let mut ok = true;
        if !crate::load::valid_id(&id) {
            let shown_id = id.clone();
            at(
                ci,
                Said::of(|w| fill(w.su_roster_bad_id, &[&shown_id, &w.ld_id_rule])),
            );
            ok = false;
        } else if let Some(first) = seen.get(&id) {
            let (i, first) = (id.clone(), (table.locate)(*first, ci));
            at(ci, Said::of(|w| fill(w.su_roster_repeated, &[&i, &first])));
            ok = false;
        } else {
            seen.insert(id.clone(), r);
        }
        let name = cells::text_line(get(cn)).unwrap_or_default();
        if name.is_empty() {
            let i = id.clone();
            at(cn, Said::of(|w| fill(w.su_roster_name_empty, &[&i])));
            ok = false;
        }
        let written = cells::text_line(get(cg)).unwrap_or_default();
        let group = groups.get(&written.to_lowercase()).cloned();
        if group.is_none() {
            let list: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
            let (i, g) = (id.clone(), written.clone());
            at(
                cg,
                Said::of(|w| fill(w.su_roster_group, &[&i, &g, &list.join(", ")])),
            );
            ok = false;
        }
        let short = cs.map(|c| cells::text_line(get(c)));
        let formerly = match cf {
            None => None,
            Some(c) => {
                let text = cells::text_line(get(c)).unwrap_or_default();
                let ids: Vec<String> = text
                    .split([',', ';'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                if let Some(bad) = ids.iter().find(|s| !crate::load::valid_id(s)) {
                    let (i, b) = (id.clone(), bad.clone());
                    at(
                        c,
                        Said::of(|w| fill(w.su_roster_formerly, &[&i, &b, &w.ld_id_rule])),
                    );
                    ok = false;
                }
                Some(ids)
            }
        };
        if ok && let Some(group) = group {
            units.push(UnitIn {
                id,
                name,
                group,
                short,
                formerly,
            });
        }
    }
    if units.is_empty() && problems.is_empty() {
        problems.push(Problem::whole(shown, Said::word(|w| w.su_roster_empty)));
    }
    if problems.is_empty() {
        Ok(units)
    } else {
        Err(problems)
    }
}
