//! Deterministic generator of large councils, for tests and benchmarks.
//!
//! `write_council(dir, units, seed)` writes a council folder with two groups,
//! a framework of 55 leaves of every kind, and one self-assessment of about
//! 7 KB per unit (10,000 units ≈ 70 MB of TOML); the same arguments always
//! write the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Leaf kinds of the generated framework, cycled field by field.
const KINDS: [&str; 11] = [
    "levels",
    "levels",
    "ratio",
    "range",
    "levels",
    "ratio",
    "levels",
    "levels",
    "deduction",
    "levels",
    "survey",
];

/// The generated framework: 5 fields × 11 leaves = 55 leaves, max 100 (+ deductions).
pub fn framework_toml(id: &str) -> String {
    let mut s = format!(
        "id = \"{id}\"\nname = \"Bộ tiêu chí thử tải {id}\"\nyear = 2025\n\n\
         [[band]]\nname = \"Xuất sắc\"\nmin = 90\n\n[[band]]\nname = \"Tốt\"\nmin = 80\n\n\
         [[band]]\nname = \"Khá\"\nmin = 65\n\n[[band]]\nname = \"Yếu\"\nmin = 0\n"
    );
    for f in 1..=5 {
        let _ = write!(
            s,
            "\n[[field]]\ncode = \"{f}\"\nname = \"Lĩnh vực số {f}: cải cách hành chính\"\n"
        );
        for c in 1..=4 {
            let _ = write!(
                s,
                "\n  [[field.criterion]]\n  code = \"{f}.{c}\"\n  name = \"Tiêu chí {f}.{c} về thực hiện nhiệm vụ\"\n"
            );
            let subs = if c == 4 { 2 } else { 3 };
            for l in 1..=subs {
                let k = KINDS[((c - 1) * 3 + l - 1) as usize];
                let _ = write!(
                    s,
                    "\n    [[field.criterion.sub]]\n    code = \"{f}.{c}.{l}\"\n    name = \"Tiêu chí thành phần {f}.{c}.{l}: mức độ hoàn thành đúng hạn\"\n"
                );
                s += &leaf_keys(k);
            }
        }
    }
    s
}

fn leaf_keys(kind: &str) -> String {
    match kind {
        "levels" => "    max = 2\n    kind = \"levels\"\n    levels = [{ points = 2, label = \"Đầy đủ, đúng hạn\" }, { points = 1, label = \"Chậm\" }, { points = 0, label = \"Không\" }]\n    na = true\n".into(),
        "ratio" => "    max = 2\n    kind = \"ratio\"\n    bands = [{ min = 98, points = 2 }, { min = 90, points = 1.5 }, { min = 80, points = 1 }]\n    na = true\n".into(),
        "range" => "    max = 2\n    kind = \"range\"\n".into(),
        "deduction" => "    kind = \"deduction\"\n    min = -1\n".into(),
        _ => "    max = 2\n    kind = \"survey\"\n".into(),
    }
}

/// Writes a council of `units` units (half departments, half communes) into `dir`.
pub fn write_council(dir: &Path, units: usize, seed: u64) -> Result<()> {
    let mut rng = Rng(seed);
    for sub in ["frameworks", "assessments", "surveys"] {
        std::fs::create_dir_all(dir.join(sub))
            .with_context(|| format!("creating {}", dir.join(sub).display()))?;
    }
    write(dir, "frameworks/so.toml", &framework_toml("so"))?;
    write(dir, "frameworks/xa.toml", &framework_toml("xa"))?;
    let mut council = String::from(
        "name = \"Hội đồng thử tải\"\nauthority = \"UBND tỉnh Thử\"\nyear = 2025\n\n\
         [[member]]\nid = \"an\"\nname = \"Nguyễn Văn An\"\nrole = \"Chủ tịch Hội đồng\"\nchair = true\n\n\
         [[member]]\nid = \"binh\"\nname = \"Trần Thị Bình\"\nrole = \"Thành viên\"\n\n\
         [[group]]\nid = \"so\"\nname = \"Sở, ban, ngành\"\nframework = \"so\"\n\n\
         [[group]]\nid = \"xa\"\nname = \"Xã, phường\"\nframework = \"xa\"\n",
    );
    let mut survey = String::from("name = \"Khảo sát thử tải\"\n");
    for u in 0..units {
        let group = if u % 2 == 0 { "so" } else { "xa" };
        let id = format!("{group}-{u:05}");
        let _ = write!(
            council,
            "\n[[unit]]\nid = \"{id}\"\nname = \"Đơn vị số {u} tỉnh Thử\"\ngroup = \"{group}\"\n"
        );
        write(
            dir,
            &format!("assessments/{id}.toml"),
            &assessment(&mut rng, &id, group),
        )?;
        for f in 1..=5 {
            let code = format!("{f}.4.2");
            let pts = 150 + rng.below(51);
            let _ = write!(
                survey,
                "\n[[result]]\nunit = \"{id}\"\ncode = \"{code}\"\npoints = {}.{:02}\n",
                pts / 100,
                pts % 100
            );
        }
    }
    write(dir, "council.toml", &council)?;
    write(dir, "surveys/sipas.toml", &survey)
}

fn assessment(rng: &mut Rng, id: &str, fw: &str) -> String {
    let mut s = format!(
        "unit = \"{id}\"\nframework = \"{fw}\"\nsubmitted = 2026-01-15\nsigned_by = \"Chủ tịch UBND, {id}\"\n"
    );
    for f in 1..=5 {
        for c in 1..=4 {
            let subs = if c == 4 { 2 } else { 3 };
            for l in 1..=subs {
                let kind = KINDS[((c - 1) * 3 + l - 1) as usize];
                if kind == "survey" {
                    continue;
                }
                let _ = write!(s, "\n[[item]]\ncode = \"{f}.{c}.{l}\"\n");
                match kind {
                    "levels" => {
                        let p = [2, 2, 2, 1, 0][rng.below(5) as usize];
                        let _ = writeln!(s, "points = {p}");
                    }
                    "ratio" => {
                        let d = 200 + rng.below(4000);
                        let n = d - rng.below(d / 8 + 1);
                        let _ = writeln!(s, "numerator = {n}\ndenominator = {d}");
                    }
                    "range" => {
                        let q = rng.below(9);
                        let _ = writeln!(s, "points = {}.{:02}", q / 4, (q % 4) * 25);
                    }
                    _ => {
                        let _ = writeln!(
                            s,
                            "points = {}",
                            ["0", "0", "0", "-0.25", "-0.5"][rng.below(5) as usize]
                        );
                    }
                }
                if rng.below(4) == 0 {
                    let _ = writeln!(s, "note = \"Đơn vị đã thực hiện theo kế hoạch năm\"");
                }
                let n = 1 + rng.below(999);
                let _ = writeln!(
                    s,
                    "evidence = [{{ ref = \"Quyết định số {n}/QĐ-UBND ngày 15/03/2025\" }}]"
                );
            }
        }
    }
    s
}

/// Writes each unit's self-assessment form (xlsx, pre-filled with its
/// assessment) of the council in `council` into `forms`; the files, in roster order.
pub fn write_forms(council: &Path, forms: &Path) -> Result<Vec<std::path::PathBuf>> {
    let c = crate::load::load(council)
        .map_err(|d| anyhow::anyhow!("{}", d.render(crate::i18n::Lang::En)))?;
    std::fs::create_dir_all(forms).with_context(|| forms.display().to_string())?;
    (0..c.units.len())
        .map(|u| {
            let path = forms.join(format!("{}.xlsx", c.units[u].id));
            let bytes = crate::forms::write::form(&c, u, Some(&c.assessments[u]))?;
            std::fs::write(&path, bytes).with_context(|| path.display().to_string())?;
            Ok(path)
        })
        .collect()
}

/// A generated council of `units` units under `target/`, written once and reused
/// by the benchmarks (a `.complete` marker says it was written whole).
pub fn cached_council(target: &Path, units: usize) -> Result<std::path::PathBuf> {
    let dir = target.join(format!("bench-council-{units}"));
    let done = dir.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        write_council(&dir, units, 42)?;
        std::fs::write(&done, "").with_context(|| format!("writing {}", done.display()))?;
    }
    Ok(dir)
}

fn write(dir: &Path, rel: &str, text: &str) -> Result<()> {
    let p = dir.join(rel);
    std::fs::write(&p, text).with_context(|| format!("writing {}", p.display()))
}

/// The floor a load is measured against: every input file of a council
/// folder read and parsed into a generic `toml::Table`, on every core, and
/// dropped at once; returns how many files were parsed.
pub fn parse_floor(dir: &Path) -> usize {
    let mut files = vec![dir.join("council.toml")];
    for sub in ["frameworks", "assessments", "surveys"] {
        let mut names: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join(sub))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        names.sort();
        files.extend(names);
    }
    crate::load::par_map(&files, |p| {
        std::fs::read_to_string(p)
            .ok()
            .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
            .map_or(0, |t| t.len())
    })
    .len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_council_loads_and_is_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write_council(a.path(), 20, 7).unwrap();
        write_council(b.path(), 20, 7).unwrap();
        let c = crate::load::load(a.path()).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(c.units.len(), 20);
        assert_eq!(c.frameworks[0].leaves.len(), 55);
        assert_eq!(c.frameworks[0].full_max(), crate::Points::whole(100));
        let read = |d: &Path| std::fs::read(d.join("assessments/xa-00013.toml")).unwrap();
        assert_eq!(read(a.path()), read(b.path()));
    }
}
