//! Setting up a year without writing TOML: the framework from and to a spreadsheet, the roster from a spreadsheet, a new year from the last.

pub mod framework;
pub mod new_year;
pub mod roster;

use std::path::{Path, PathBuf};

use crate::diag::Said;
use crate::forms::cells::Problem;
use crate::i18n::fill;

/// What `framework import` wrote.
#[derive(Debug)]
pub struct Written {
    /// Relative to the council folder.
    pub path: String,
    /// The earlier file of that name, kept (relative).
    pub backup: Option<String>,
    pub framework: crate::model::Framework,
}

/// Reads a framework from a spreadsheet and writes `frameworks/<id>.toml`:
/// nothing is written while any problem remains, an existing file is
/// replaced only with `replace` (and kept as `.bak`), and no other file of
/// the folder may already declare the id. The year is council.toml's.
pub fn import_framework(
    folder: &Path,
    file: &Path,
    id: &str,
    name: Option<&str>,
    replace: bool,
) -> Result<Written, Vec<Problem>> {
    let shown = file.display().to_string();
    let whole = |m: Said| vec![Problem::whole(&shown, m)];
    if !crate::load::valid_id(id) {
        let id = crate::text::line(id);
        return Err(whole(Said::of(|w| {
            fill(w.ld_framework_id_valid, &[&id, &w.ld_id_rule])
        })));
    }
    let year = council_year(folder).map_err(whole)?;
    let imported = framework::import(file, id, name, year)?;
    let rel = format!("frameworks/{id}.toml");
    let target = folder.join(&rel);
    if let Some(other) = declared_elsewhere(folder, id, &target) {
        return Err(whole(Said::of(|w| fill(w.su_same_id, &[&other, &id]))));
    }
    let mut backup = None;
    if target.exists() {
        if !replace {
            return Err(whole(Said::of(|w| fill(w.su_exists, &[&rel]))));
        }
        let kept =
            crate::forms::keep_backup(&target).map_err(|e| whole(Said::same(format!("{e:#}"))))?;
        backup = Some(relative(folder, &kept));
    }
    let header = format!(
        "# {}\n# Nhập từ bảng tính {} (thamdinh framework import).\n",
        imported.framework.name,
        file.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    );
    let text = crate::text::para(&header) + &imported.toml;
    crate::files::write_atomic(&target, text.as_bytes())
        .map_err(|e| whole(Said::same(format!("{e:#}"))))?;
    Ok(Written {
        path: rel,
        backup,
        framework: imported.framework,
    })
}

/// The framework of `id` in the council folder, as a workbook.
pub fn export_framework(folder: &Path, id: &str) -> Result<Vec<u8>, Said> {
    let c = crate::load::load_roster(folder).map_err(|d| {
        let d = d.render(crate::i18n::current());
        Said::same(d)
    })?;
    let Some(fw) = c.frameworks.iter().find(|f| f.id == id) else {
        let there: Vec<&str> = c.frameworks.iter().map(|f| f.id.as_str()).collect();
        let id = crate::text::line(id);
        return Err(Said::of(|w| {
            fill(w.su_framework_unknown, &[&id, &there.join(", ")])
        }));
    };
    framework::export(fw).map_err(|e| Said::same(format!("{e:#}")))
}

/// council.toml's `year`, read alone (the frameworks may not load yet).
fn council_year(folder: &Path) -> Result<i64, Said> {
    let path = folder.join("council.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let p = path.display().to_string();
        Said::of(|w| fill(w.su_council_unreadable, &[&p, &e]))
    })?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        let e = e.message().to_string();
        Said::of(|w| fill(w.su_council_unreadable, &[&"council.toml", &e]))
    })?;
    table
        .get("year")
        .and_then(|y| y.as_integer())
        .ok_or_else(|| Said::word(|w| w.su_council_no_year))
}

/// Another file of `frameworks/` that declares the id (its name).
fn declared_elsewhere(folder: &Path, id: &str, target: &Path) -> Option<String> {
    let dir = std::fs::read_dir(folder.join("frameworks")).ok()?;
    dir.flatten()
        .map(|e| e.path())
        .filter(|p| p != target && p.extension().is_some_and(|x| x == "toml"))
        .find(|p| {
            std::fs::read_to_string(p)
                .ok()
                .and_then(|t| t.parse::<toml::Table>().ok())
                .and_then(|t| t.get("id").and_then(|v| v.as_str()).map(|v| v == id))
                .unwrap_or(false)
        })
        .map(|p| relative(folder, &p))
}

fn relative(folder: &Path, path: &Path) -> String {
    path.strip_prefix(folder)
        .map(PathBuf::from)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// Sets a key of a TOML table, keeping the comments around its old value.
fn set_kept(t: &mut toml_edit::Table, key: &str, value: impl Into<toml_edit::Value>) {
    let value = value.into();
    match t.get_mut(key).and_then(toml_edit::Item::as_value_mut) {
        Some(v) if same_value(v, &value) => {}
        Some(v) => {
            let decor = v.decor().clone();
            *v = value;
            *v.decor_mut() = decor;
        }
        None => {
            t.insert(key, toml_edit::Item::Value(value));
        }
    }
}

/// Two values alike, whatever comments surround them.
fn same_value(a: &toml_edit::Value, b: &toml_edit::Value) -> bool {
    let (mut a, mut b) = (a.clone(), b.clone());
    a.decor_mut().clear();
    b.decor_mut().clear();
    a.to_string() == b.to_string()
}

/// A key's tables, written either as `[[key]]` tables or as an array of
/// inline tables (`key = [{ … }]`), taken out of the document to be written
/// back as `[[key]]` tables; anything else under the key is left in place
/// (the loader says what is wrong with it).
fn take_tables(doc: &mut toml_edit::DocumentMut, key: &str) -> Vec<toml_edit::Table> {
    use toml_edit::{Item, Value};
    match doc.get(key) {
        Some(Item::ArrayOfTables(_)) => match doc.remove(key) {
            Some(Item::ArrayOfTables(a)) => a.into_iter().collect(),
            _ => Vec::new(),
        },
        Some(Item::Value(Value::Array(a))) if a.iter().all(Value::is_inline_table) => {
            match doc.remove(key) {
                Some(Item::Value(Value::Array(a))) => a
                    .into_iter()
                    .filter_map(|v| match v {
                        Value::InlineTable(t) => Some(t.into_table()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}
