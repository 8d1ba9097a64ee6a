//! A new year from the last: council.toml (members with their keys, groups, roster) and the frameworks moved on a year, `previous` set to last year's signed result; never its assessments, surveys, explanations, session or signed folders.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml_edit::{DocumentMut, Item, Value};

use super::set_kept;

use crate::files::write_atomic;
use crate::i18n::{fill, say};

/// What `init --from` wrote and what it set.
#[derive(Debug)]
pub struct NewYear {
    /// Relative to the new folder.
    pub written: Vec<String>,
    pub year: i64,
    /// Last year's signed folder, as written in `previous` (none signed: `None`).
    pub previous: Option<String>,
    pub units: usize,
}

/// Starts `folder` (new, or empty) from last year's council folder `last`.
pub fn new_year(folder: &Path, last: &Path) -> Result<NewYear> {
    let council_path = last.join("council.toml");
    let text = std::fs::read_to_string(&council_path)
        .with_context(|| say(|w| fill(w.er_reading, &[&council_path.display()])))?;
    let mut doc: DocumentMut = text
        .parse()
        .with_context(|| say(|w| fill(w.er_reading, &[&council_path.display()])))?;
    let Some(year) = doc.get("year").and_then(Item::as_integer) else {
        bail!("{}", say(|w| w.su_council_no_year.to_string()));
    };
    crate::forms::init::must_be_new(folder)?;
    let next = year + 1;
    let moved = |s: &str| s.replace(&year.to_string(), &next.to_string());

    set_kept(doc.as_table_mut(), "year", next);
    if let Some(name) = doc.get("name").and_then(Item::as_str).map(moved) {
        set_kept(doc.as_table_mut(), "name", &name);
    }
    // Groups name the frameworks by their new ids.
    if let Some(Item::ArrayOfTables(groups)) = doc.get_mut("group") {
        for g in groups.iter_mut() {
            if let Some(id) = g.get("framework").and_then(Item::as_str).map(moved) {
                set_kept(g, "framework", &id);
            }
        }
    }
    // A member's fields given per framework follow the frameworks' new ids.
    if let Some(Item::ArrayOfTables(members)) = doc.get_mut("member") {
        for m in members.iter_mut() {
            let Some(by) = m.get_mut("fields").and_then(Item::as_value_mut) else {
                continue;
            };
            if let Some(t) = by.as_inline_table_mut() {
                let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
                for k in keys {
                    let new = moved(&k);
                    if new != k
                        && let Some(v) = t.remove(&k)
                    {
                        t.insert(&new, v);
                    }
                }
            }
        }
    }
    // Each unit continues itself; a merger of last year is history now.
    let mut units = 0;
    let mut roster = toml_edit::ArrayOfTables::new();
    for mut u in super::take_tables(&mut doc, "unit") {
        if let Some(id) = u.get("id").and_then(Item::as_str).map(str::to_string) {
            units += 1;
            let list: toml_edit::Array = [id.as_str()].into_iter().collect();
            u.insert("formerly", Item::Value(Value::Array(list)));
        }
        roster.push(u);
    }
    if !roster.is_empty() {
        doc.insert("unit", Item::ArrayOfTables(roster));
    }
    let signed = last_signed(last);
    let previous = signed.as_deref().map(|p| relative_to(folder, p));
    match &previous {
        Some(p) => set_kept(doc.as_table_mut(), "previous", p),
        None => {
            doc.remove("previous");
        }
    }

    let mut written = Vec::new();
    for (rel, text) in frameworks(last, year, next)? {
        write_atomic(&folder.join(&rel), text.as_bytes())?;
        written.push(rel);
    }
    write_atomic(&folder.join("council.toml"), doc.to_string().as_bytes())?;
    written.insert(0, "council.toml".into());
    let readme = readme(last, year, next, previous.as_deref());
    write_atomic(&folder.join("README.txt"), readme.as_bytes())?;
    written.push("README.txt".into());
    crate::forms::init::made_empty(folder)?;
    written.extend(["assessments/".into(), "surveys/".into()]);
    Ok(NewYear {
        written,
        year: next,
        previous,
        units,
    })
}

/// Last year's frameworks with their ids and years moved on: (the new file
/// relative to the council folder, its text), comments kept.
fn frameworks(last: &Path, year: i64, next: i64) -> Result<Vec<(String, String)>> {
    let dir = last.join("frameworks");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| say(|w| fill(w.er_reading, &[&dir.display()])))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| say(|w| fill(w.er_reading, &[&path.display()])))?;
        let mut doc: DocumentMut = text
            .parse()
            .with_context(|| say(|w| fill(w.er_reading, &[&path.display()])))?;
        let old_id = doc
            .get("id")
            .and_then(Item::as_str)
            .unwrap_or_default()
            .to_string();
        let id = old_id.replace(&year.to_string(), &next.to_string());
        set_kept(doc.as_table_mut(), "id", &id);
        if let Some(y) = doc.get("year").and_then(Item::as_integer) {
            set_kept(doc.as_table_mut(), "year", y + 1);
        }
        if let Some(name) = doc.get("name").and_then(Item::as_str) {
            let name = name.replace(&year.to_string(), &next.to_string());
            set_kept(doc.as_table_mut(), "name", &name);
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let file = if stem == old_id || stem.contains(&year.to_string()) {
            format!(
                "{}.toml",
                stem.replace(&year.to_string(), &next.to_string())
                    .replace(&old_id, &id)
            )
        } else {
            format!("{stem}.toml")
        };
        out.push((format!("frameworks/{file}"), doc.to_string()));
    }
    Ok(out)
}

/// The newest folder of `signed/` (by its name, which starts with its day).
fn last_signed(last: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(last.join("signed"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("MANIFEST").is_file())
        .collect();
    found.sort();
    found.pop()
}

/// `path` as written from `folder`: relative where they share a parent, else whole.
fn relative_to(folder: &Path, path: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (f, p) = (abs(folder), abs(path));
    match (
        f.parent(),
        p.strip_prefix(f.parent().unwrap_or(Path::new("/"))),
    ) {
        (Some(_), Ok(rest)) => Path::new("..").join(rest).display().to_string(),
        _ => p.display().to_string(),
    }
}

/// What the secretariat changes before the new year starts.
fn readme(last: &Path, year: i64, next: i64, previous: Option<&str>) -> String {
    let last = last.display();
    let previous = match previous {
        Some(p) => format!(
            "- previous = \"{p}\": kết quả đã ký năm {year}, để so sánh (thamdinh compare).\n  \
             Kiểm tra lại nếu năm {year} có kết quả ký sau kết quả này.\n"
        ),
        None => format!(
            "- Thư mục năm {year} chưa có kết quả đã ký (signed/): khi có, ghi previous = \"…\"\n  \
             trong council.toml để so sánh với năm trước.\n"
        ),
    };
    format!(
        "Hội đồng thẩm định Chỉ số CCHC năm {next}, bắt đầu từ năm {year} ({last}).\n\
         \n\
         Đã chuyển sang: tên và năm của Hội đồng, thành viên (cùng khóa công khai),\n\
         các nhóm, danh sách đơn vị (mỗi đơn vị formerly = chính nó) và các bộ tiêu chí\n\
         (mã và năm chuyển sang {next}). Không chuyển: tự đánh giá, khảo sát, giải trình,\n\
         phiên thẩm định và kết quả đã ký.\n\
         \n\
         Cần sửa trước khi bắt đầu:\n\
         - council.toml: tên, cơ quan, thành viên mới hoặc thôi tham gia (mỗi người mới\n  \
           tạo khóa: thamdinh keygen --member MÃ), các nhóm.\n\
         - Danh sách đơn vị: đơn vị sáp nhập, chia tách, đổi tên trong năm: ghi formerly =\n  \
           [mã các đơn vị năm trước], hoặc nhập cả danh sách từ bảng tính:\n  \
           thamdinh roster import <thư mục này> danh-sach.xlsx\n\
         - Bộ tiêu chí: thay bằng bộ tiêu chí của năm {next} theo quyết định của tỉnh:\n  \
           thamdinh framework import <thư mục này> bo-tieu-chi.xlsx --id <mã> --replace\n  \
           (thamdinh framework export … --id <mã> -o bo-tieu-chi.xlsx cho ra bảng để sửa).\n\
         {previous}\
         \n\
         Sau đó: thamdinh check <thư mục này>; gửi biểu mẫu cho đơn vị: thamdinh form\n\
         <thư mục này> --all -o bieu-mau/; rồi làm như năm trước (README.txt năm {year}).\n"
    )
}
