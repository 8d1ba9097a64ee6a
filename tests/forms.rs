//! Forms in as a secretariat uses them: forms out, filled as a user would (or by a real spreadsheet program), imported; every bad cell refused where it stands.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::xlsx::{self, Cell};
use thamdinh::model::{Council, Rule};

/// The command line in English: these tests read the forms' messages, which
/// are the same in both languages' runs apart from the command's own words
/// (the Vietnamese default is tested in tests/cli.rs).
fn thamdinh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args(["--lang", "en"])
        .args(args)
        .current_dir(common::root())
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of the demo council without its session, optionally without its assessments.
fn demo_copy(assessments: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    for sub in [".thamdinh", "signed", "forms"] {
        let _ = std::fs::remove_dir_all(dir.path().join(sub));
    }
    if !assessments {
        for e in std::fs::read_dir(dir.path().join("assessments")).unwrap() {
            std::fs::remove_file(e.unwrap().path()).unwrap();
        }
    }
    dir
}

fn rank(folder: &Path) -> String {
    ok(&thamdinh(&["rank", s(folder), "--format", "csv"]))
}

fn demo() -> Council {
    thamdinh::load::load(&common::root().join("data/demo")).unwrap()
}

/// Days from 1970-01-01 of a civil date.
fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-01-09` as the serial number a spreadsheet stores for that date.
fn serial(date: &str) -> String {
    let p: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    (days(p[0], p[1], p[2]) + 25_569).to_string()
}

/// The cells a user fills in a blank form to say what `unit`'s assessment says,
/// varied as people type: numbers, numbers stored as text with a decimal
/// comma, formulas with their cached values, `X` as well as `x`.
fn user_cells(c: &Council, unit: usize, form: &Path) -> Vec<(String, Cell)> {
    let rows = xlsx::rows_of(form);
    let a = &c.assessments[unit];
    let file = a.file.as_ref().unwrap();
    let mut cells = vec![(
        format!("B{}", rows["Ngày gửi"]),
        Cell::Num(serial(&file.submitted)),
    )];
    if let Some(by) = &file.signed_by {
        cells.push((format!("B{}", rows["Người ký"]), Cell::Text(by.clone())));
    }
    let fw = c.framework_of(unit);
    for (i, (leaf, claim)) in fw.leaves.iter().zip(&a.claims).enumerate() {
        if claim.flags.not_assessed || leaf.rule == Rule::Survey {
            continue;
        }
        let r = rows[&leaf.code];
        match (claim.ratio, claim.na) {
            (Some((n, d)), _) => {
                let as_text = i % 2 == 0;
                for (col, v) in [("F", n), ("G", d)] {
                    let v = v.to_string();
                    cells.push((
                        format!("{col}{r}"),
                        if as_text { Cell::Text(v) } else { Cell::Num(v) },
                    ));
                }
            }
            (None, true) => cells.push((
                format!("H{r}"),
                Cell::Text(if i % 2 == 0 { "x" } else { "X" }.into()),
            )),
            (None, false) => {
                let p = claim.points.short();
                let v = match i % 3 {
                    0 => Cell::Num(p),
                    1 => Cell::Text(format!(" {} ", p.replace('.', ","))),
                    _ => Cell::Formula(format!("{p}*2/2"), p),
                };
                cells.push((format!("E{r}"), v));
            }
        }
        if let Some(n) = &claim.note {
            cells.push((format!("I{r}"), Cell::Text(n.clone())));
        }
        if !claim.evidence.is_empty() {
            let lines: Vec<String> = claim
                .evidence
                .iter()
                .map(thamdinh::forms::layout::evidence_line)
                .collect();
            cells.push((format!("J{r}"), Cell::Text(lines.join("\n"))));
        }
    }
    cells
}

/// Blank forms of every submitted demo unit, filled as users would, in `dir`.
fn filled_forms(dir: &Path) -> Vec<PathBuf> {
    let c = demo();
    let blank = demo_copy(false);
    ok(&thamdinh(&["form", s(blank.path()), "--all", "-o", s(dir)]));
    let mut out = Vec::new();
    for (u, unit) in c.units.iter().enumerate() {
        let path = dir.join(format!("{}.xlsx", unit.id));
        if !c.submitted(u) {
            std::fs::remove_file(&path).unwrap();
            continue;
        }
        let cells = user_cells(&c, u, &path);
        xlsx::fill(&path, &cells);
        out.push(path);
    }
    out
}

/// Every unit's claims and file details are the same in both councils.
fn same_assessments(a: &Council, b: &Council) {
    for (u, unit) in a.units.iter().enumerate() {
        let (x, y) = (&a.assessments[u], &b.assessments[u]);
        assert_eq!(x.claims, y.claims, "claims of {}", unit.id);
        assert_eq!(
            x.file.as_ref().map(|f| (&f.submitted, &f.signed_by)),
            y.file.as_ref().map(|f| (&f.submitted, &f.signed_by)),
            "{}",
            unit.id
        );
    }
}

#[test]
fn prefilled_forms_of_every_demo_unit_import_to_the_same_assessments_and_ranking() {
    let forms = tempfile::tempdir().unwrap();
    ok(&thamdinh(&[
        "form",
        "data/demo",
        "--all",
        "-o",
        s(forms.path()),
    ]));
    let target = demo_copy(false);
    let files: Vec<String> = std::fs::read_dir(forms.path())
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| !p.ends_with("xa-na-khoang.xlsx")) // not submitted: its form is blank
        .collect();
    assert_eq!(files.len(), 29);
    let mut args = vec!["import", s(target.path())];
    args.extend(files.iter().map(String::as_str));
    let out = ok(&thamdinh(&args));
    assert_eq!(out.matches("imported ").count(), 29, "{out}");
    assert!(out.contains("ok: everything loads"), "{out}");
    assert_eq!(rank(target.path()), rank(&common::root().join("data/demo")));
    same_assessments(&demo(), &thamdinh::load::load(target.path()).unwrap());
}

#[test]
fn blank_forms_filled_as_users_type_import_to_the_same_ranking() {
    let dir = tempfile::tempdir().unwrap();
    let files = filled_forms(dir.path());
    let target = demo_copy(false);
    let mut args = vec!["import", s(target.path())];
    args.extend(files.iter().map(|p| s(p)));
    ok(&thamdinh(&args));
    let expected =
        std::fs::read_to_string(common::root().join("tests/expected/demo-ranking.csv")).unwrap();
    assert_eq!(rank(target.path()), expected);
    same_assessments(&demo(), &thamdinh::load::load(target.path()).unwrap());
}

fn soffice_available() -> bool {
    common::program_available(
        "soffice",
        "--version",
        "libreoffice-calc",
        "the checks of forms re-saved by a real spreadsheet program",
    )
}

#[test]
fn forms_resaved_by_a_real_spreadsheet_program_import_to_the_same_ranking() {
    if !soffice_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = filled_forms(dir.path());
    let resaved = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    common::soffice_convert(
        profile.path(),
        "xlsx:Calc MS Excel 2007 XML",
        resaved.path(),
        &files,
    );
    let again: Vec<PathBuf> = files
        .iter()
        .map(|f| resaved.path().join(f.file_name().unwrap()))
        .collect();
    for (ours, theirs) in files.iter().zip(&again) {
        assert_ne!(
            std::fs::read(ours).unwrap(),
            std::fs::read(theirs).unwrap(),
            "LibreOffice wrote {}",
            theirs.display()
        );
    }
    let target = demo_copy(false);
    let mut args = vec!["import", s(target.path())];
    args.extend(again.iter().map(|p| s(p)));
    ok(&thamdinh(&args));
    assert_eq!(rank(target.path()), rank(&common::root().join("data/demo")));
    same_assessments(&demo(), &thamdinh::load::load(target.path()).unwrap());

    // The same forms saved as OpenDocument spreadsheets (.ods) come in too.
    let ods = tempfile::tempdir().unwrap();
    common::soffice_convert(profile.path(), "ods", ods.path(), &files);
    let target = demo_copy(false);
    let mut args = vec!["import".to_string(), s(target.path()).to_string()];
    for f in &files {
        let name = f.file_stem().unwrap().to_str().unwrap();
        args.push(s(&ods.path().join(format!("{name}.ods"))).to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&thamdinh(&args));
    assert_eq!(rank(target.path()), rank(&common::root().join("data/demo")));
    same_assessments(&demo(), &thamdinh::load::load(target.path()).unwrap());
}

/// One filled form of xa-vinh-an in a blank demo copy, its rows, and a leaf code per need.
struct Case {
    council: tempfile::TempDir,
    form: PathBuf,
    rows: std::collections::HashMap<String, u32>,
    _dir: tempfile::TempDir,
}

/// Xã Vĩnh An's form from `council`, written to `form`.
fn vinh_an_form(council: &Path, form: &Path) {
    ok(&thamdinh(&[
        "form",
        s(council),
        "--unit",
        "xa-vinh-an",
        "-o",
        s(form),
    ]));
}

fn case() -> Case {
    let c = demo();
    let council = demo_copy(false);
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("xa-vinh-an.xlsx");
    vinh_an_form(council.path(), &form);
    let u = c.unit_index("xa-vinh-an").unwrap();
    xlsx::fill(&form, &user_cells(&c, u, &form));
    let rows = xlsx::rows_of(&form);
    Case {
        council,
        form,
        rows,
        _dir: dir,
    }
}

/// The first leaf of the demo commune framework that `f` picks.
fn leaf_where(f: impl Fn(&thamdinh::model::Leaf) -> bool) -> String {
    let c = demo();
    let fw = c.framework_of(c.unit_index("xa-vinh-an").unwrap());
    fw.leaves.iter().find(|l| f(l)).unwrap().code.clone()
}

/// Imports the case's form after `cells` are set; asserts it is refused with
/// exactly `expected` (cell, message start) and that nothing was written.
fn refused(cells: &[(String, Cell)], expected: &[(&str, &str)]) {
    let k = case();
    xlsx::fill(&k.form, cells);
    let o = thamdinh(&["import", s(k.council.path()), s(&k.form)]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    let shown = s(&k.form);
    for (cell, message) in expected {
        let line = format!("{shown}:Tự đánh giá!{cell}: {message}");
        assert!(
            err.lines().any(|l| l.starts_with(&line)),
            "expected a line starting with\n  {line}\ngot:\n{err}"
        );
    }
    let problems = err
        .lines()
        .filter(|l| l.starts_with(shown) && l.contains('!'))
        .count();
    assert_eq!(problems, expected.len(), "one message per defect:\n{err}");
    assert!(
        err.contains("refused; nothing was written for this form"),
        "{err}"
    );
    // The same refusal in Vietnamese names the same cells, in Vietnamese words only.
    let vi = Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args(["--lang", "vi", "import", s(k.council.path()), s(&k.form)])
        .output()
        .unwrap();
    assert_eq!(vi.status.code(), Some(1));
    let said = String::from_utf8(vi.stderr).unwrap();
    for (cell, _) in expected {
        let at = format!("{shown}:Tự đánh giá!{cell}: ");
        assert!(said.contains(&at), "{at} in:\n{said}");
    }
    let data = common::council_text(k.council.path())
        + &cells
            .iter()
            .map(|(_, c)| format!("{c:?}"))
            .collect::<Vec<_>>()
            .join(" ");
    let foreign = common::words_only_in(thamdinh::i18n::Lang::En, thamdinh::i18n::Lang::Vi, &data);
    let leaked = common::leaked(&foreign, &said);
    assert!(
        leaked.is_empty(),
        "Vietnamese import says {leaked:?}:\n{said}"
    );
    assert_eq!(
        std::fs::read_dir(k.council.path().join("assessments"))
            .unwrap()
            .count(),
        0,
        "nothing written"
    );
}

#[test]
fn a_filled_form_with_no_defect_imports() {
    let k = case();
    let out = ok(&thamdinh(&["import", s(k.council.path()), s(&k.form)]));
    assert!(out.contains("→ assessments/xa-vinh-an.toml"), "{out}");
}

#[test]
fn too_many_decimals_is_refused_at_its_cell() {
    let code = leaf_where(|l| l.rule == Rule::Range);
    let r = case().rows[&code];
    refused(
        &[(format!("E{r}"), Cell::Num("1.125".into()))],
        &[(&format!("E{r}"), "1.125 has more than two decimals")],
    );
}

#[test]
fn a_level_that_does_not_exist_is_refused() {
    let code = leaf_where(|l| matches!(&l.rule, Rule::Levels(v) if v.len() == 3));
    let r = case().rows[&code];
    refused(
        &[(format!("E{r}"), Cell::Text("0,75".into()))],
        &[(
            &format!("E{r}"),
            &format!("{code}: 0.75 is not one of the levels; allowed: "),
        )],
    );
}

#[test]
fn text_in_a_number_is_refused() {
    let code = leaf_where(|l| matches!(l.rule, Rule::Levels(_)));
    let r = case().rows[&code];
    refused(
        &[(format!("E{r}"), Cell::Text("một điểm".into()))],
        &[(&format!("E{r}"), "`một điểm` is not a number")],
    );
}

#[test]
fn a_numerator_above_its_denominator_is_refused() {
    let code = leaf_where(|l| matches!(l.rule, Rule::Ratio(_)));
    let r = case().rows[&code];
    refused(
        &[
            (format!("F{r}"), Cell::Num("20".into())),
            (format!("G{r}"), Cell::Num("10".into())),
        ],
        &[(
            &format!("F{r}"),
            &format!("{code}: Tử số 20 is above Mẫu số 10"),
        )],
    );
}

#[test]
fn not_applicable_where_the_framework_does_not_allow_it_is_refused() {
    let c = demo();
    let u = c.unit_index("xa-vinh-an").unwrap();
    let fw = c.framework_of(u);
    let (leaf, _) = fw
        .leaves
        .iter()
        .zip(&c.assessments[u].claims)
        .find(|(l, cl)| !l.na && matches!(l.rule, Rule::Levels(_)) && !cl.flags.not_assessed)
        .unwrap();
    let r = case().rows[&leaf.code];
    refused(
        &[
            (format!("E{r}"), Cell::Empty),
            (format!("H{r}"), Cell::Text("x".into())),
        ],
        &[(
            &format!("H{r}"),
            &format!("{} may not be declared not applicable", leaf.code),
        )],
    );
}

#[test]
fn a_survey_leaf_filled_is_refused() {
    let code = leaf_where(|l| l.rule == Rule::Survey);
    let r = case().rows[&code];
    refused(
        &[(format!("E{r}"), Cell::Num("2".into()))],
        &[(&format!("E{r}"), &format!("{code} is a survey leaf"))],
    );
}

#[test]
fn a_form_of_a_unit_not_in_the_roster_is_refused() {
    let r = case().rows["Mã đơn vị"];
    refused(
        &[(format!("B{r}"), Cell::Text("xa-khong-co".into()))],
        &[(
            &format!("B{r}"),
            "unit `xa-khong-co` is not in the roster of council.toml",
        )],
    );
}

#[test]
fn a_form_of_another_groups_framework_is_refused() {
    let r = case().rows["Bộ tiêu chí"];
    refused(
        &[(format!("B{r}"), Cell::Text("so-2025".into()))],
        &[(
            &format!("B{r}"),
            "this form is for framework `so-2025`, another group's framework; unit `xa-vinh-an` is appraised with `xa-2025`",
        )],
    );
}

#[test]
fn a_form_made_from_last_years_framework_is_refused() {
    // Last year's framework under this year's id: a leaf's max was different.
    let old = demo_copy(false);
    let fw = old.path().join("frameworks/xa-2025.toml");
    let text = std::fs::read_to_string(&fw).unwrap();
    let text = text.replacen("year = 2025", "year = 2024", 1);
    std::fs::write(&fw, text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("xa-vinh-an.xlsx");
    vinh_an_form(old.path(), &form);
    let c = demo();
    let u = c.unit_index("xa-vinh-an").unwrap();
    xlsx::fill(&form, &user_cells(&c, u, &form));
    let target = demo_copy(false);
    let o = thamdinh(&["import", s(target.path()), s(&form)]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains(
            ":Tự đánh giá!B7: this form was made from another version of framework `xa-2025`"
        ),
        "{err}"
    );
    // And a form whose framework id is last year's.
    let r = xlsx::rows_of(&form)["Bộ tiêu chí"];
    xlsx::fill(&form, &[(format!("B{r}"), Cell::Text("xa-2024".into()))]);
    let o = thamdinh(&["import", s(target.path()), s(&form)]);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "!B{r}: this form is for framework `xa-2024`, a framework this council does not use"
        )),
        "{err}"
    );
}

#[test]
fn a_changed_table_header_or_a_missing_header_row_is_refused() {
    let k = case();
    let header = k.rows["Mã"];
    refused(
        &[(format!("E{header}"), Cell::Text("Điểm".into()))],
        &[(
            &format!("E{header}"),
            "the column title is `Điểm`, where the form has `Điểm tự chấm`",
        )],
    );
    // The unit-id label removed from the header block.
    let k = case();
    let r = k.rows["Mã đơn vị"];
    xlsx::fill(&k.form, &[(format!("A{r}"), Cell::Empty)]);
    let o = thamdinh(&["import", s(k.council.path()), s(&k.form)]);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "{}: the header block has no `Mã đơn vị` row",
            s(&k.form)
        )),
        "{err}"
    );
}

#[test]
fn every_problem_of_every_form_is_listed_at_once_and_good_forms_still_come_in() {
    let dir = tempfile::tempdir().unwrap();
    let files = filled_forms(dir.path());
    let bad = files
        .iter()
        .find(|f| f.ends_with("xa-vinh-an.xlsx"))
        .unwrap();
    let rows = xlsx::rows_of(bad);
    let range = leaf_where(|l| l.rule == Rule::Range);
    let levels = leaf_where(|l| matches!(l.rule, Rule::Levels(_)));
    let ratio = leaf_where(|l| matches!(l.rule, Rule::Ratio(_)));
    xlsx::fill(
        bad,
        &[
            (format!("E{}", rows[&range]), Cell::Num("0.333".into())),
            (format!("E{}", rows[&levels]), Cell::Text("abc".into())),
            (format!("G{}", rows[&ratio]), Cell::Text("4.936".into())),
        ],
    );
    let target = demo_copy(false);
    let mut args = vec!["import", s(target.path())];
    args.extend(files.iter().map(|p| s(p)));
    let o = thamdinh(&args);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("xa-vinh-an.xlsx:Tự đánh giá!"))
            .count(),
        3,
        "{err}"
    );
    assert!(err.contains("`4.936` is not a whole number"), "{err}");
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out.matches("imported ").count(), files.len() - 1);
    assert!(!target.path().join("assessments/xa-vinh-an.toml").exists());
}

#[test]
fn an_existing_assessment_is_replaced_only_with_replace_and_kept_as_bak() {
    let council = demo_copy(true);
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("f.xlsx");
    vinh_an_form(council.path(), &form);
    let before = std::fs::read(council.path().join("assessments/xa-vinh-an.toml")).unwrap();
    let o = thamdinh(&["import", s(council.path()), s(&form)]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("unit `xa-vinh-an` already has a self-assessment (assessments/xa-vinh-an.toml); give --replace"), "{err}");
    assert_eq!(
        std::fs::read(council.path().join("assessments/xa-vinh-an.toml")).unwrap(),
        before
    );
    // Lower one claimed leaf to 0 in the form, then replace.
    let c = demo();
    let u = c.unit_index("xa-vinh-an").unwrap();
    let (leaf, _) = c
        .framework_of(u)
        .leaves
        .iter()
        .zip(&c.assessments[u].claims)
        .find(|(l, cl)| {
            matches!(&l.rule, Rule::Levels(v) if v.iter().any(|x| x.points.hundredths() == 0))
                && cl.points.hundredths() > 0
                && !cl.na
        })
        .unwrap();
    let r = xlsx::rows_of(&form)[&leaf.code];
    xlsx::fill(&form, &[(format!("E{r}"), Cell::Num("0".into()))]);
    let out = ok(&thamdinh(&[
        "import",
        s(council.path()),
        s(&form),
        "--replace",
    ]));
    assert!(
        out.contains("the old file kept as assessments/xa-vinh-an.toml.bak"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(council.path().join("assessments/xa-vinh-an.toml.bak")).unwrap(),
        before
    );
    assert_ne!(
        rank(council.path()),
        rank(&common::root().join("data/demo"))
    );
    // A second replacement keeps both earlier files.
    ok(&thamdinh(&[
        "import",
        s(council.path()),
        s(&form),
        "--replace",
    ]));
    assert!(
        council
            .path()
            .join("assessments/xa-vinh-an.toml.bak.2")
            .exists()
    );
}

#[test]
fn form_refuses_to_overwrite_a_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("f.xlsx");
    std::fs::write(&form, b"a form a unit already filled").unwrap();
    let o = thamdinh(&["form", "data/demo", "--unit", "xa-vinh-an", "-o", s(&form)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&form).unwrap(),
        b"a form a unit already filled"
    );
    ok(&thamdinh(&[
        "form",
        "data/demo",
        "--unit",
        "xa-vinh-an",
        "-o",
        s(&form),
        "--force",
    ]));
    // The same form twice is the same bytes.
    let again = dir.path().join("g.xlsx");
    vinh_an_form(Path::new("data/demo"), &again);
    assert_eq!(
        std::fs::read(&form).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn survey_results_come_in_from_csv_and_xlsx_and_bad_rows_are_refused_by_row() {
    // The demo's survey results, written as the survey team's CSV.
    let demo_dir = common::root().join("data/demo");
    let table: toml::Table =
        toml::from_str(&std::fs::read_to_string(demo_dir.join("surveys/sipas-2025.toml")).unwrap())
            .unwrap();
    let results = table["result"].as_array().unwrap();
    let points = |r: &toml::Value| -> String {
        let p = &r["points"];
        p.as_float()
            .map(|f| f.to_string())
            .unwrap_or_else(|| p.as_integer().unwrap().to_string())
    };
    let mut csv = String::from("\u{feff}Mã đơn vị;Tên đơn vị;Mã tiêu chí;Điểm\n");
    for r in results {
        csv += &format!(
            "{};\"Tên; có dấu chấm phẩy\";{};{}\n",
            r["unit"].as_str().unwrap(),
            r["code"].as_str().unwrap(),
            points(r).replace('.', ",")
        );
    }
    let council = demo_copy(true);
    std::fs::remove_file(council.path().join("surveys/sipas-2025.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sipas.csv");
    std::fs::write(&file, &csv).unwrap();
    let out = ok(&thamdinh(&[
        "import-survey",
        s(council.path()),
        s(&file),
        "--name",
        "Kết quả khảo sát SIPAS 2025",
    ]));
    assert!(
        out.contains(&format!(
            "→ surveys/ket-qua-khao-sat-sipas-2025.toml ({} results)",
            results.len()
        )),
        "{out}"
    );
    assert_eq!(rank(council.path()), rank(&demo_dir));

    // The same from a workbook, with English titles.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, t) in ["unit", "code", "points"].iter().enumerate() {
        ws.write_string(0, c as u16, *t).unwrap();
    }
    for (i, r) in results.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, r["unit"].as_str().unwrap())
            .unwrap();
        ws.write_string(row, 1, r["code"].as_str().unwrap())
            .unwrap();
        ws.write_number(row, 2, points(r).parse::<f64>().unwrap())
            .unwrap();
    }
    let xl = dir.path().join("sipas.xlsx");
    wb.save(&xl).unwrap();
    let o = thamdinh(&[
        "import-survey",
        s(council.path()),
        s(&xl),
        "--name",
        "Kết quả khảo sát SIPAS 2025",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an existing survey file is not replaced without --replace"
    );
    ok(&thamdinh(&[
        "import-survey",
        s(council.path()),
        s(&xl),
        "--name",
        "Kết quả khảo sát SIPAS 2025",
        "--replace",
    ]));
    assert!(
        council
            .path()
            .join("surveys/ket-qua-khao-sat-sipas-2025.toml.bak")
            .exists()
    );
    assert_eq!(rank(council.path()), rank(&demo_dir));

    // Bad rows: each named by its line and field; nothing written.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "unit,code,points\nxa-vinh-an,3.9.1,8.5\nxa-khong-co,3.9.1,1\nxa-vinh-an,1.1.1,1\nxa-vinh-an,3.9.2,99\nxa-vinh-an,3.9.3,1.125\nxa-vinh-an,3.9.1,8\n",
    )
    .unwrap();
    let o = thamdinh(&[
        "import-survey",
        s(council.path()),
        s(&bad),
        "--name",
        "Lần hai",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    let b = s(&bad);
    for line in [
        format!("{b}:3:1: unit `xa-khong-co` is not in the roster"),
        format!("{b}:4:2: `1.1.1` is not a survey leaf of framework `xa-2025`"),
        format!("{b}:5:3: 3.9.2: survey points 99 lie outside 0 to the leaf's max"),
        format!("{b}:6:3: 1.125 has more than two decimals"),
        format!("{b}:7:1: unit `xa-vinh-an`, 3.9.1 is given twice (first at 2:1)"),
    ] {
        assert!(err.contains(&line), "expected {line}\n{err}");
    }
    assert!(!council.path().join("surveys/lan-hai.toml").exists());
}

#[test]
fn init_starts_a_folder_that_checks_and_whose_forms_come_back_in() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("hoi-dong-2025");
    let out = ok(&thamdinh(&["init", s(&folder)]));
    assert!(out.contains("council.toml"), "{out}");
    for f in ["council.toml", "frameworks/mau-2025.toml", "README.txt"] {
        assert!(folder.join(f).is_file(), "{f}");
    }
    let readme = std::fs::read_to_string(folder.join("README.txt")).unwrap();
    assert!(readme.contains("thamdinh form") && readme.contains("thamdinh import"));
    // The whole year: keys, rounds, the meeting, the papers, sign-off, last year.
    for step in [
        "thamdinh keygen",
        "thamdinh round close",
        "--deadline",
        "thamdinh progress",
        "thamdinh export",
        "thamdinh signoff",
        "thamdinh verify",
        "thamdinh compare",
    ] {
        assert!(readme.contains(step), "README.txt: {step}");
    }
    // The template shows the keys a council sets beyond the members' names.
    let toml = std::fs::read_to_string(folder.join("council.toml")).unwrap();
    for key in [
        "secretary = true",
        "voting = false",
        "fields = [",
        "short = ",
        "# confirm = true",
        "# explanation_days",
        "# previous",
        "# formerly",
    ] {
        assert!(toml.contains(key), "council.toml: {key}");
    }
    let check = ok(&thamdinh(&["check", s(&folder)]));
    assert!(check.contains("ok: everything loads"), "{check}");
    // Forms out, one filled, back in.
    let forms = dir.path().join("bieu-mau");
    ok(&thamdinh(&["form", s(&folder), "--all", "-o", s(&forms)]));
    let form = forms.join("xa-mau-a.xlsx");
    let rows = xlsx::rows_of(&form);
    xlsx::fill(
        &form,
        &[
            (
                format!("B{}", rows["Ngày gửi"]),
                Cell::Text("10/01/2026".into()),
            ),
            (format!("E{}", rows["1.1.1"]), Cell::Text("0,5".into())),
            (
                format!("I{}", rows["1.1.1"]),
                Cell::Text("Ban hành ngày 05/01".into()),
            ),
            (
                format!("J{}", rows["1.1.1"]),
                Cell::Text("Kế hoạch số 3/KH-UBND ngày 05/01/2025 | Kế hoạch CCHC".into()),
            ),
            (format!("F{}", rows["1.1.2"]), Cell::Num("9".into())),
            (format!("G{}", rows["1.1.2"]), Cell::Num("10".into())),
            (format!("E{}", rows["1.2"]), Cell::Num("2".into())),
            (format!("H{}", rows["2.2"]), Cell::Text("x".into())),
            (format!("E{}", rows["2.4"]), Cell::Num("-0.25".into())),
        ],
    );
    let out = ok(&thamdinh(&["import", s(&folder), s(&form)]));
    assert!(out.contains("(xa-mau-a: 5 leaves filled)"), "{out}");
    let csv = rank(&folder);
    // 0.5 + 1.5 (90%) + 2 − 0.25 = 3.75 of 9 (2.2 not applicable; 2.1 and the survey 0) = 41.67.
    assert!(
        csv.contains("xa,1,xa-mau-a,UBND xã Mẫu A,3.75,3.75,9.00,41.67,Yếu"),
        "{csv}"
    );
    // A folder that holds anything is refused.
    let o = thamdinh(&["init", s(&folder)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not empty"));
}
