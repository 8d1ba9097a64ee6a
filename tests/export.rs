//! Results out: the workbook read back and checked against `rank` and every leaf,
//! recalculated by LibreOffice, the minutes printed by Chromium, a hostile council,
//! deterministic bytes, the signed folder, and the screen's export key.

use crate::common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use thamdinh::Points;
use thamdinh::appraisal::{Change, self_value};
use thamdinh::load::load;
use thamdinh::model::{Council, Rule};
use thamdinh::session::Session;

fn thamdinh(args: &[&str]) -> std::process::Output {
    common::run_with_keys(args)
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// `thamdinh export COUNCIL --format FORMAT -o PATH`, which must succeed.
fn export_to(council: &Path, format: &str, path: &Path) {
    ok(&thamdinh(&[
        "export",
        council.to_str().unwrap(),
        "--format",
        format,
        "-o",
        path.to_str().unwrap(),
    ]));
}

/// The files of an export.
const FILES: [&str; 5] = [
    "ket-qua.xlsx",
    "bien-ban.html",
    "ket-qua.csv",
    "bien-ban.docx",
    "du-thao-quyet-dinh.docx",
];

/// `thamdinh export COUNCIL -o DIR` (all three), which must succeed.
fn export_all(council: &Path, dir: &Path) {
    ok(&thamdinh(&[
        "export",
        council.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]));
}

/// A copy of the demo council with decisions of every kind on several units:
/// lowered and raised points, not applicable, corrected ratio figures, with comments.
fn decided_demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join(".thamdinh"));
    let _ = std::fs::remove_dir_all(dir.path().join("signed"));
    let c = load(dir.path()).unwrap();
    let mut s = Session::open(&dir.path().join(".thamdinh/session.db"), true).unwrap();
    let mut made = 0;
    let mut attempt = 0;
    for (u, unit) in c.units.iter().enumerate().filter(|(u, _)| u % 3 == 0) {
        let fw = c.framework_of(u);
        for (l, leaf) in fw
            .leaves
            .iter()
            .enumerate()
            .filter(|(l, _)| (l + u) % 5 == 0)
        {
            let own = self_value(&c, u, l);
            let candidates = match &leaf.rule {
                Rule::Ratio(_) => vec![Change::Ratio(7, 10), Change::Ratio(10, 10)],
                Rule::Survey => vec![],
                _ => vec![
                    Change::Points(Points::ZERO),
                    Change::Points(leaf.max),
                    Change::Na,
                ],
            };
            for ch in candidates {
                attempt += 1;
                let comment = format!(
                    "Mục {attempt}: hồ sơ {} chưa đủ căn cứ, thiếu văn bản chứng minh việc triển khai; đề nghị đơn vị bổ sung trong kỳ sau (mục {attempt})",
                    leaf.code
                );
                if s.decide(&c, "an", &unit.id, &leaf.code, &ch, &comment)
                    .is_ok()
                {
                    let st = s.replay(&c).unwrap();
                    if st.appraisal.value(&c, u, l) != own {
                        made += 1;
                        break;
                    }
                }
            }
        }
    }
    assert!(made > 20, "only {made} decisions");
    dir
}

/// The session's appraised values, through the library.
fn state_of(dir: &Path) -> (Council, thamdinh::session::State) {
    let c = load(dir).unwrap();
    let s = Session::open(&dir.join(".thamdinh/session.db"), false).unwrap();
    let st = s.replay(&c).unwrap();
    (c, st)
}

/// A spreadsheet number as exact hundredths (it must be one).
fn hundredths(d: &Data, at: &str) -> i64 {
    let x = match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("{at}: {other:?} is not a number"),
    };
    let h = (x * 100.0).round();
    assert!(
        (x * 100.0 - h).abs() < 1e-6,
        "{at}: {x} is not whole hundredths"
    );
    h as i64
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn points(s: &str) -> i64 {
    Points::parse(s).unwrap().hundredths()
}

/// `rank --format csv` as rows of fields.
fn rank_rows(dir: &Path) -> Vec<Vec<String>> {
    let out = ok(&thamdinh(&[
        "rank",
        dir.to_str().unwrap(),
        "--format",
        "csv",
    ]));
    let mut r = csv::Reader::from_reader(out.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn every_figure_of_every_sheet_matches_rank_and_the_leaves() {
    let dir = decided_demo();
    let out = dir.path().join("out.xlsx");
    export_to(dir.path(), "xlsx", &out);
    let (c, st) = state_of(dir.path());
    let standings = st.appraisal.standings(&c);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let names = wb.sheet_names().to_vec();
    assert_eq!(
        names.len(),
        c.groups.len() + 2 + c.units.len(),
        "a ranking sheet per group, the annex, the comparison, a sheet per unit: {names:?}"
    );

    // Ranking sheets: every row equals `rank`'s, in the same order.
    let rank = rank_rows(dir.path());
    for (g, group) in c.groups.iter().enumerate() {
        let sheet = &names[g];
        assert!(sheet.contains(&group.name), "{sheet}");
        let range = wb.worksheet_range(sheet).unwrap();
        let ours: Vec<&Vec<String>> = rank.iter().filter(|r| r[0] == group.id).collect();
        for (i, r) in ours.iter().enumerate() {
            let row = 4 + i as u32;
            let at = |col: u32| format!("{sheet}!R{}C{}", row + 1, col + 1);
            let v = |col: u32| range.get_value((row, col)).cloned().unwrap_or(Data::Empty);
            assert_eq!(
                hundredths(&v(0), &at(0)),
                i64::from(r[1].parse::<u32>().unwrap()) * 100
            );
            assert_eq!(text(&v(1)), r[2], "{}", at(1));
            assert!(text(&v(2)).starts_with(&r[3]), "{}", at(2));
            assert_eq!(hundredths(&v(3), &at(3)), points(&r[4]), "{}", at(3));
            assert_eq!(hundredths(&v(4), &at(4)), points(&r[5]), "{}", at(4));
            assert_eq!(hundredths(&v(5), &at(5)), points(&r[6]), "{}", at(5));
            assert_eq!(hundredths(&v(7), &at(7)), points(&r[7]), "{}", at(7));
            assert_eq!(text(&v(8)), r[8], "{}", at(8));
            assert_eq!(
                hundredths(&v(9), &at(9)),
                points(&r[5]) - points(&r[4]),
                "{}",
                at(9)
            );
            let u = c.unit_index(&r[2]).unwrap();
            assert_eq!(
                hundredths(&v(6), &at(6)),
                standings.units[u].self_score.index_hundredths()
            );
        }
        let after = range.get_value((4 + ours.len() as u32, 1)).map(text);
        assert!(
            after.is_none_or(|t| t.is_empty()),
            "{sheet}: a row after the last unit"
        );
    }

    // The annex: each field's points add up the unit's leaves; total, index, band as `rank`.
    let annex = &names[c.groups.len()];
    assert_eq!(annex, "Phụ lục");
    let range = wb.worksheet_range(annex).unwrap();
    let by_name: HashMap<String, u32> = (0..range.height() as u32)
        .filter_map(|r| Some((text(range.get_value((r, 1))?), r)))
        .collect();
    for r in &rank {
        let u = c.unit_index(&r[2]).unwrap();
        let fw = c.framework_of(u);
        let row = by_name[&c.units[u].name];
        let v = |col: usize| range.get_value((row, col as u32)).cloned().unwrap();
        assert_eq!(hundredths(&v(0), "annex rank"), points(&r[1]));
        for (i, f) in fw.fields.iter().enumerate() {
            let sum: i64 = f
                .leaves
                .clone()
                .map(|l| st.appraisal.value(&c, u, l))
                .filter(|v| !v.na)
                .map(|v| v.points.hundredths())
                .sum();
            assert_eq!(
                hundredths(&v(2 + i), "annex field"),
                sum,
                "{} field {}",
                r[2],
                f.code
            );
        }
        let n = fw.fields.len();
        assert_eq!(hundredths(&v(2 + n), "annex total"), points(&r[5]));
        assert_eq!(hundredths(&v(3 + n), "annex index"), points(&r[7]));
        assert_eq!(text(&v(4 + n)), r[8]);
    }

    // Unit sheets: every leaf's self and appraised points (or KAD), the comment
    // and who decided; subtotals and totals are formulas whose cached values are exact.
    for r in &rank {
        let u = c.unit_index(&r[2]).unwrap();
        let fw = c.framework_of(u);
        let sheet = names.iter().find(|n| **n == c.units[u].id).unwrap();
        let range = wb.worksheet_range(sheet).unwrap();
        let formulas = wb.worksheet_formula(sheet).unwrap();
        let mut seen = 0;
        let mut totals = HashMap::new();
        for row in 5..range.height() as u32 + range.start().unwrap().0 {
            let v = |col: u32| range.get_value((row, col)).cloned().unwrap_or(Data::Empty);
            let code = text(&v(0));
            let label = text(&v(1));
            if let Some((l, leaf)) = fw.leaf(&code) {
                seen += 1;
                assert_eq!(label, leaf.name);
                if leaf.rule == Rule::Bonus {
                    // Not part of the max: its bound as text the sums pass over.
                    assert_eq!(text(&v(2)), format!("+{}", leaf.max.short()), "{code}");
                } else {
                    assert_eq!(hundredths(&v(2), &code), leaf.max.hundredths());
                }
                for (col, value) in [(3, self_value(&c, u, l)), (4, st.appraisal.value(&c, u, l))] {
                    if col == 3 && !thamdinh::appraisal::self_assessed(&c, u, l) {
                        // A blank is not a zero: no self points, an empty cell.
                        assert_eq!(v(col), Data::Empty, "{sheet} {code}: not self-assessed");
                    } else if value.na {
                        assert_eq!(text(&v(col)), "KAD", "{sheet} {code}");
                    } else {
                        assert_eq!(
                            hundredths(&v(col), &code),
                            value.points.hundredths(),
                            "{sheet} {code} col {col}"
                        );
                    }
                }
                let d = st.appraisal.decisions.get(&(u, l));
                assert_eq!(text(&v(5)), d.map_or(String::new(), |d| d.comment.clone()));
            } else if let Some(f) = fw.fields.iter().find(|f| f.code == code) {
                let sum: i64 = f
                    .leaves
                    .clone()
                    .map(|l| st.appraisal.value(&c, u, l))
                    .filter(|v| !v.na)
                    .map(|v| v.points.hundredths())
                    .sum();
                assert_eq!(hundredths(&v(4), &code), sum, "{sheet} field {code}");
                let f4 = formulas.get_value((row, 4)).cloned().unwrap_or_default();
                assert!(f4.starts_with("SUM("), "{sheet} field {code}: {f4:?}");
            } else if !label.is_empty() {
                totals.insert(label, row);
            }
        }
        assert_eq!(seen, fw.leaves.len(), "{sheet}");
        let row = |label: &str| {
            *totals
                .get(label)
                .unwrap_or_else(|| panic!("{sheet}: {label}"))
        };
        let cached = |row: u32, col: u32| range.get_value((row, col)).cloned().unwrap();
        let formula =
            |row: u32, col: u32| formulas.get_value((row, col)).cloned().unwrap_or_default();
        let t = row("Tổng điểm (không dưới 0)");
        assert_eq!(hundredths(&cached(t, 4), "total"), points(&r[5]), "{sheet}");
        assert_eq!(
            hundredths(&cached(t, 3), "self total"),
            points(&r[4]),
            "{sheet}"
        );
        assert!(formula(t, 4).starts_with("MAX(0,"), "{:?}", formula(t, 4));
        let m = row("Điểm tối đa của các tiêu chí áp dụng");
        assert_eq!(hundredths(&cached(m, 4), "max"), points(&r[6]), "{sheet}");
        assert!(formula(m, 4).contains("SUMIF("), "{:?}", formula(m, 4));
        let i = row("Chỉ số (%)");
        assert_eq!(hundredths(&cached(i, 4), "index"), points(&r[7]), "{sheet}");
        assert!(formula(i, 4).contains("ROUND("), "{:?}", formula(i, 4));
    }
}

/// A LibreOffice profile that recalculates every formula of a file it loads.
fn recalculating_profile() -> tempfile::TempDir {
    let profile = tempfile::tempdir().unwrap();
    common::soffice_profile(
        profile.path(),
        &[common::soffice_setting(
            "/org.openoffice.Office.Calc/Formula/Load",
            "OOXMLRecalcMode",
            "0",
        )],
    );
    profile
}

/// LibreOffice loads `files` (recalculating) and saves them as xlsx into `out`.
fn libreoffice_resave(files: &[PathBuf], out: &Path) -> Vec<PathBuf> {
    let profile = recalculating_profile();
    common::soffice_convert(profile.path(), "xlsx:Calc MS Excel 2007 XML", out, files);
    files
        .iter()
        .map(|f| out.join(f.file_name().unwrap()))
        .collect()
}

/// Every numeric cell of every sheet: (sheet, row, col) → value.
fn numbers(path: &Path) -> HashMap<(String, u32, u32), f64> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = HashMap::new();
    for name in wb.sheet_names().to_vec() {
        let range = wb.worksheet_range(&name).unwrap();
        for (r, c, d) in range.used_cells() {
            let (r0, c0) = range.start().unwrap();
            if let Data::Float(x) = d {
                out.insert((name.clone(), r as u32 + r0, c as u32 + c0), *x);
            } else if let Data::Int(x) = d {
                out.insert((name.clone(), r as u32 + r0, c as u32 + c0), *x as f64);
            }
        }
    }
    out
}

/// The workbook with every formula's cached value in its sheets replaced by 999.
fn wrong_cached_values(from: &Path, to: &Path) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        if name.starts_with("xl/worksheets/") {
            let xml = String::from_utf8(bytes).unwrap();
            let mut out = String::new();
            let mut rest = xml.as_str();
            while let Some(at) = rest.find("</f><v>") {
                let (head, tail) = rest.split_at(at + "</f><v>".len());
                out.push_str(head);
                out.push_str("999");
                rest = &tail[tail.find("</v>").unwrap()..];
            }
            out.push_str(rest);
            bytes = out.into_bytes();
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zout, &bytes).unwrap();
    }
    zout.finish().unwrap();
}

#[test]
fn a_spreadsheet_recalculating_every_formula_gets_the_cached_values() {
    if !common::program_available(
        "soffice",
        "--version",
        "libreoffice-calc",
        "the recalculation of the exported workbook by a real spreadsheet program",
    ) {
        return;
    }
    let dir = decided_demo();
    let ours = dir.path().join("ket-qua.xlsx");
    export_to(dir.path(), "xlsx", &ours);
    // The same workbook with wrong cached values: only a real recalculation fixes them.
    let wrong = dir.path().join("sai.xlsx");
    wrong_cached_values(&ours, &wrong);
    let resaved = tempfile::tempdir().unwrap();
    let theirs = libreoffice_resave(&[ours.clone(), wrong.clone()], resaved.path());

    let expected = numbers(&ours);
    let broken = numbers(&wrong);
    let differing = expected
        .iter()
        .filter(|(k, v)| broken.get(*k) != Some(*v))
        .count();
    assert!(
        differing > 1000,
        "the wrong workbook should differ in every formula: {differing}"
    );
    for got in &theirs {
        let got = numbers(got);
        let mut compared = 0;
        for (k, want) in &expected {
            let have = got
                .get(k)
                .unwrap_or_else(|| panic!("{k:?}: no number after recalculation"));
            assert!(
                (have - want).abs() < 1e-9,
                "{k:?}: LibreOffice computes {have}, the workbook holds {want}"
            );
            compared += 1;
        }
        assert_eq!(compared, expected.len());
    }
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok())
}

/// Prints an HTML file to PDF with headless Chromium.
fn print_to_pdf(browser: &str, html: &Path, pdf: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        o.status.success() && pdf.exists(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Each page's text (pdftotext), NFC, white space collapsed.
fn pages(pdf: &Path) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let n: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (1..=n)
        .map(|p| {
            let o = Command::new("pdftotext")
                .args(["-f", &p.to_string(), "-l", &p.to_string()])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            let t: String = String::from_utf8_lossy(&o.stdout).nfc().collect();
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// Page sizes in points, from pdfinfo.
fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let o = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "9999"])
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .map(|l| {
            let s = l.split("size:").nth(1).unwrap();
            let mut it = s.split_whitespace();
            let w: f64 = it.next().unwrap().parse().unwrap();
            it.next();
            let h: f64 = it.next().unwrap().parse().unwrap();
            (w, h)
        })
        .collect()
}

/// Rows of the decisions table split across a page edge: the row's code and
/// the end of its comment are not on the same page.
fn split_rows(pages: &[String], rows: &[(String, String)]) -> Vec<String> {
    rows.iter()
        .filter(|(start, end)| {
            !pages
                .iter()
                .any(|p| p.contains(start.as_str()) && p.contains(end.as_str()))
        })
        .map(|(s, _)| s.clone())
        .collect()
}

#[test]
fn the_minutes_print_on_a4_with_every_unit_and_index_and_no_row_cut() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing; .ci/run installs it (apt-get install chromium)"
        );
        eprintln!(
            "chromium is not installed: the printed minutes are not checked (apt-get install chromium poppler-utils)"
        );
        return;
    };
    if !common::program_available(
        "pdftotext",
        "-v",
        "poppler-utils",
        "the printed minutes' checks",
    ) {
        return;
    }
    let dir = decided_demo();
    let html = dir.path().join("bien-ban.html");
    export_to(dir.path(), "html", &html);
    let text = std::fs::read_to_string(&html).unwrap();
    for banned in ["<link", "<script", "@import", "src=\"http", "url("] {
        assert!(!text.contains(banned), "the page loads nothing: {banned}");
    }
    let pdf = dir.path().join("bien-ban.pdf");
    print_to_pdf(browser, &html, &pdf);

    let sizes = page_sizes(&pdf);
    assert!(sizes.len() >= 3, "{sizes:?}");
    // The national heading on one line, as the decree sets it.
    let layout = Command::new("pdftotext")
        .args(["-layout", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let first: String = {
        use unicode_normalization::UnicodeNormalization;
        String::from_utf8_lossy(&layout.stdout).nfc().collect()
    };
    assert!(
        first
            .lines()
            .any(|l| l.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        "{first}"
    );
    for (w, h) in &sizes {
        let a4 = ((w - 595.0).abs() < 2.0 && (h - 842.0).abs() < 2.0)
            || ((w - 842.0).abs() < 2.0 && (h - 595.0).abs() < 2.0);
        assert!(a4, "page of {w} × {h} pt is not A4");
    }
    let (c, st) = state_of(dir.path());
    let text = pages(&pdf);
    let all = text.join(" ");
    for r in rank_rows(dir.path()) {
        assert!(
            all.contains(&r[3]),
            "unit {} is not in the printed minutes",
            r[3]
        );
        assert!(
            all.contains(&r[7]),
            "index {} of {} is not printed",
            r[7],
            r[3]
        );
    }
    for m in &c.members {
        assert!(all.contains(&m.name), "member {}", m.name);
    }

    // Every decision row: its code and unit's name, and the last words of its
    // comment, on one page.
    let mut rows = Vec::new();
    for ((u, l), d) in &st.appraisal.decisions {
        if st.appraisal.value(&c, *u, *l) == self_value(&c, *u, *l) {
            continue;
        }
        let n = d.comment.split(':').next().unwrap();
        let n = n.strip_prefix("Mục ").unwrap();
        rows.push((format!("Mục {n}:"), format!("(mục {n})")));
    }
    assert!(rows.len() > 20);
    let split = split_rows(&text, &rows);
    assert!(split.is_empty(), "rows cut at a page edge: {split:?}");

    // The check can fail: the same page without the rule that keeps rows whole
    // has rows cut at a page edge.
    let loose = dir.path().join("loose.html");
    std::fs::write(
        &loose,
        std::fs::read_to_string(&html)
            .unwrap()
            .replace(
                "tr, .chart, .sign { break-inside: avoid; page-break-inside: avoid; }",
                "",
            )
            .replace("<td>Mục", "<td style=\"font-size: 20pt\">Mục"),
    )
    .unwrap();
    let loose_pdf = dir.path().join("loose.pdf");
    print_to_pdf(browser, &loose, &loose_pdf);
    assert!(
        !split_rows(&pages(&loose_pdf), &rows).is_empty(),
        "without break-inside: avoid some row should be cut; the check would not see a cut"
    );
}

/// The mini council with hostile names and a hostile comment.
fn hostile() -> tempfile::TempDir {
    let dir = common::mini_copy();
    let council = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&council)
        .unwrap()
        .replace(
            "name = \"Xã A\"",
            "name = \"=HYPERLINK(\\\"http://evil.example/\\\",\\\"Xã A\\\")\"",
        )
        .replace(
            "name = \"Xã B\"",
            "name = \"+cmd|' /C calc'!A0 \\u001b[31mđỏ\\u001b[0m <b>B</b>\"",
        )
        .replace("name = \"Trần Thị Bình\"", "name = \"@SUM(1+1)*cmd\"");
    std::fs::write(&council, text).unwrap();
    let c = load(dir.path()).unwrap_or_else(|d| panic!("{d}"));
    let mut s = Session::open(&dir.path().join(".thamdinh/session.db"), true).unwrap();
    let fw = c.framework_of(0);
    let leaf = fw
        .leaves
        .iter()
        .find(|l| matches!(l.rule, Rule::Levels(_) | Rule::Range))
        .unwrap();
    s.decide(
        &c,
        "binh",
        "xa-a",
        &leaf.code,
        &Change::Points(Points::ZERO),
        "-1+1 =HYPERLINK(\"http://x\") \u{1b}]0;title\u{7} <script>alert(1)</script>",
    )
    .unwrap();
    dir
}

#[test]
fn a_hostile_council_exports_text_never_formulas_nor_escape_sequences() {
    let dir = hostile();
    let out = dir.path().join("x");
    let printed = thamdinh(&[
        "export",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    ok(&printed);
    for bytes in [&printed.stdout, &printed.stderr] {
        assert!(!bytes.contains(&0x1b), "an escape reached the terminal");
    }
    let (c, _) = state_of(dir.path());
    let mut texts = vec![
        (
            "bien-ban.html".to_string(),
            std::fs::read(out.join("bien-ban.html")).unwrap(),
        ),
        (
            "ket-qua.csv".to_string(),
            std::fs::read(out.join("ket-qua.csv")).unwrap(),
        ),
    ];
    let mut z =
        zip::ZipArchive::new(std::fs::File::open(out.join("ket-qua.xlsx")).unwrap()).unwrap();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        texts.push((f.name().unwrap().to_string(), bytes));
    }
    for (f, bytes) in &texts {
        assert!(
            !bytes.contains(&0x1b) && !bytes.contains(&0x07),
            "{f} holds a control character"
        );
    }

    // xlsx: the hostile texts are strings, and every formula is one of ours.
    let mut wb: Xlsx<_> = open_workbook(out.join("ket-qua.xlsx")).unwrap();
    let mut found_names = 0;
    for name in wb.sheet_names().to_vec() {
        let formulas = wb.worksheet_formula(&name).unwrap();
        for (_, _, f) in formulas.used_cells() {
            if f.is_empty() {
                continue;
            }
            assert!(
                !f.to_uppercase().contains("HYPERLINK")
                    && !f.contains("cmd")
                    && !f.contains("SUM(1+1)"),
                "{name}: formula {f:?}"
            );
        }
        let range = wb.worksheet_range(&name).unwrap();
        for (_, _, d) in range.used_cells() {
            if let Data::String(s) = d
                && (s.starts_with("=HYPERLINK") || s.starts_with("+cmd") || s == "@SUM(1+1)*cmd")
            {
                found_names += 1;
            }
        }
    }
    assert!(
        found_names >= 3,
        "the names are kept as text: {found_names}"
    );
    let xml = zip_text(&out.join("ket-qua.xlsx"), "xl/styles.xml");
    assert!(
        xml.contains("quotePrefix=\"1\""),
        "formula-like texts carry the quote prefix"
    );

    // CSV: a formula-like text starts with an apostrophe.
    let csv = std::fs::read_to_string(out.join("ket-qua.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    for line in csv.lines().skip(1) {
        for field in csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
        {
            let numeric = Points::parse(field).is_ok();
            assert!(
                numeric || !field.starts_with(['=', '+', '-', '@']),
                "CSV field {field:?} would run as a formula"
            );
        }
    }
    assert!(csv.contains("'-1+1 =HYPERLINK"), "{csv}");

    // HTML: every text escaped.
    let html = std::fs::read_to_string(out.join("bien-ban.html")).unwrap();
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;B&lt;/b&gt;"));
    assert!(html.contains(&c.units[0].name.replace('"', "&quot;")));
}

fn zip_text(path: &Path, inner: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut f = z.by_name(inner).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut f, &mut s).unwrap();
    s
}

#[test]
fn exporting_twice_gives_identical_bytes_and_a_decision_changes_them() {
    let dir = decided_demo();
    let folder = dir.path().to_str().unwrap();
    let first = dir.path().join("a");
    let second = dir.path().join("b");
    export_all(dir.path(), &first);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    export_all(dir.path(), &second);
    for f in FILES {
        assert_eq!(
            std::fs::read(first.join(f)).unwrap(),
            std::fs::read(second.join(f)).unwrap(),
            "{f} differs between two exports of the same state"
        );
    }
    ok(&thamdinh(&[
        "decide",
        folder,
        "--member",
        "an",
        "--unit",
        "xa-vinh-an",
        "--code",
        "1.1.1",
        "--points",
        "0",
        "--comment",
        "Không có kế hoạch",
    ]));
    let third = dir.path().join("c");
    export_all(dir.path(), &third);
    for f in FILES {
        assert_ne!(
            std::fs::read(first.join(f)).unwrap(),
            std::fs::read(third.join(f)).unwrap(),
            "{f} did not change with a decision"
        );
    }
}

#[test]
fn the_csv_has_a_row_per_unit_and_leaf_with_the_decisions() {
    let dir = decided_demo();
    let csv_path = dir.path().join("l.csv");
    export_to(dir.path(), "csv", &csv_path);
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let body = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let mut r = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "group",
            "unit",
            "code",
            "criterion",
            "max",
            "self_points",
            "points",
            "na",
            "comment",
            "decided_by",
            "decided_at"
        ]
    );
    let (c, st) = state_of(dir.path());
    let mut rows = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        let u = c.unit_index(&rec[1]).unwrap();
        let (l, leaf) = c.framework_of(u).leaf(&rec[2]).unwrap();
        assert_eq!(&rec[3], leaf.name);
        let value = st.appraisal.value(&c, u, l);
        if value.na {
            assert_eq!((&rec[6], &rec[7]), ("na", "x"));
        } else {
            assert_eq!(points(&rec[6]), value.points.hundredths());
        }
        let d = st.appraisal.decisions.get(&(u, l));
        assert_eq!(&rec[8], d.map_or("", |d| d.comment.as_str()));
        assert_eq!(&rec[9], d.map_or("", |d| d.member.as_str()));
        rows += 1;
    }
    let leaves: usize = (0..c.units.len())
        .map(|u| c.framework_of(u).leaves.len())
        .sum();
    assert_eq!(rows, leaves);

    // A bare file name is written in the current folder.
    let o = Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .current_dir(dir.path())
        .args(["export", ".", "--format", "csv", "-o", "bare.csv"])
        .output()
        .unwrap();
    ok(&o);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("bare.csv")).unwrap(),
        text
    );

    // Standard output with -o -.
    let out = ok(&thamdinh(&[
        "export",
        dir.path().to_str().unwrap(),
        "--format",
        "csv",
        "-o",
        "-",
    ]));
    assert_eq!(out, text);

    // Three files cannot go to standard output: refused, and no folder named `-` appears.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .current_dir(dir.path())
        .args(["--lang", "en", "export", ".", "-o", "-"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--format"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!dir.path().join("-").exists());
}

#[test]
fn the_signed_folder_holds_the_workbook_and_the_minutes_and_verify_checks_them() {
    let dir = common::mini_copy();
    let key = common::give_key(dir.path(), "an", None);
    // A written approval is signed by its member.
    common::give_key(dir.path(), "binh", None);
    let folder = dir.path().to_str().unwrap();
    ok(&thamdinh(&[
        "decide",
        folder,
        "--member",
        "an",
        "--unit",
        "xa-a",
        "--code",
        "1.2",
        "--na",
        "--comment",
        "Không phát sinh",
    ]));
    let signoff = [
        "signoff",
        folder,
        "--member",
        "an",
        "--key",
        key.to_str().unwrap(),
    ];
    // Not approved yet: refused, nothing signed.
    let refused = thamdinh(&signoff);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("chưa được thông qua"),
        "{refused:?}"
    );
    assert!(!dir.path().join("signed").exists());
    // The chair present and approving, the other member absent and approving in writing.
    ok(&thamdinh(&["attend", folder, "--member", "an"]));
    ok(&thamdinh(&[
        "attend",
        folder,
        "--member",
        "binh",
        "--written",
        "Công văn số 12/CV",
    ]));
    ok(&thamdinh(&["vote", folder, "--member", "an", "--approve"]));
    let out = ok(&thamdinh(&signoff));
    let signed = std::fs::read_dir(dir.path().join("signed"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let manifest = std::fs::read_to_string(signed.join("MANIFEST")).unwrap();
    let approval = std::fs::read_to_string(signed.join("approval.csv")).unwrap();
    assert!(
        approval.contains("an,Nguyễn Văn An,present,,approve,")
            && approval
                .contains("binh,Trần Thị Bình,absent,Công văn số 12/CV,approve,Công văn số 12/CV,")
            && approval.ends_with("# approve 2 of 2 voting, 2 needed (more than 0.5): approved\n"),
        "{approval}"
    );
    for f in [
        "ket-qua.xlsx",
        "bien-ban.html",
        "bien-ban.docx",
        "du-thao-quyet-dinh.docx",
        "approval.csv",
    ] {
        assert!(
            manifest.contains(&format!("  {f}\n")),
            "{f} in MANIFEST: {out}"
        );
    }
    let html = std::fs::read_to_string(signed.join("bien-ban.html")).unwrap();
    assert!(
        html.contains("đã được ký duyệt"),
        "the minutes say the result is signed"
    );
    assert!(html.contains("Nguyễn Văn An"));
    // The minutes list the attendance and the vote as recorded.
    assert!(html.contains("Số thành viên có mặt: 1/2."), "attendance");
    assert!(html.contains("ý kiến bằng văn bản: Công văn số 12/CV"));
    assert!(
        html.contains("tán thành 2/2 thành viên biểu quyết") && html.contains("được thông qua"),
        "the vote"
    );
    // The workbook of the signed folder is the export of the same state.
    let (c, _) = state_of(dir.path());
    let mut wb: Xlsx<_> = open_workbook(signed.join("ket-qua.xlsx")).unwrap();
    assert_eq!(wb.sheet_names().len(), c.groups.len() + 2 + c.units.len());
    let ranking = wb.worksheet_range(&wb.sheet_names()[0].clone()).unwrap();
    let rank = rank_rows(dir.path());
    assert_eq!(text(ranking.get_value((4, 1)).unwrap()), rank[0][2]);
    assert_eq!(
        hundredths(ranking.get_value((4, 7)).unwrap(), "index"),
        points(&rank[0][7])
    );

    // Written to its file as it was put together, it is byte for byte the
    // workbook an export of the same state holds.
    let exported = dir.path().join("after.xlsx");
    export_to(dir.path(), "xlsx", &exported);
    assert!(
        std::fs::read(signed.join("ket-qua.xlsx")).unwrap() == std::fs::read(&exported).unwrap(),
        "the signed workbook differs from the export of the same state"
    );

    ok(&thamdinh(&["verify", signed.to_str().unwrap()]));
    let xlsx = signed.join("ket-qua.xlsx");
    let mut bytes = std::fs::read(&xlsx).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(&xlsx, bytes).unwrap();
    let v = thamdinh(&["verify", signed.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(1));
    let said = String::from_utf8_lossy(&v.stdout).to_string() + &String::from_utf8_lossy(&v.stderr);
    assert!(said.contains("ket-qua.xlsx"), "{said}");
}

#[test]
fn the_screen_key_writes_the_exports_and_says_where() {
    use thamdinh::i18n::Lang;
    use thamdinh::tui::app::{App, Status};
    use thamdinh::tui::keymap::KeyMap;
    let dir = common::mini_copy();
    let c = load(dir.path()).unwrap();
    let mut app = App::new(
        c,
        dir.path(),
        &dir.path().join(".thamdinh/session.db"),
        None,
        Lang::Vi,
        KeyMap::default_map(),
    )
    .unwrap();
    app.key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('X'),
        ratatui::crossterm::event::KeyModifiers::SHIFT,
    ));
    let export = dir.path().join("export");
    for f in FILES {
        assert!(export.join(f).is_file(), "{f}");
    }
    match &app.main.status {
        Some(Status::Info(s)) => {
            assert!(s.contains(&export.display().to_string()), "{s}");
            assert!(s.contains("ket-qua.xlsx"), "{s}");
        }
        other => panic!("{other:?}"),
    }
    // The files are those of `export` on the same state.
    let cli = dir.path().join("cli");
    export_all(dir.path(), &cli);
    for f in FILES {
        assert_eq!(
            std::fs::read(export.join(f)).unwrap(),
            std::fs::read(cli.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn export_speaks_vietnamese_by_default_and_english_with_lang_en() {
    let dir = common::mini_copy();
    let folder = dir.path().to_str().unwrap();
    let out = dir.path().join("x.csv");
    let vi = ok(&thamdinh(&[
        "export",
        folder,
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]));
    assert_eq!(vi, format!("đã ghi {}\n", out.display()));
    let en = ok(&thamdinh(&[
        "--lang",
        "en",
        "export",
        folder,
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]));
    assert_eq!(en, format!("wrote {}\n", out.display()));
    // -o naming a folder with --format is a usage error, in the chosen language.
    let o = thamdinh(&["export", folder, "--format", "csv", "-o", folder]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("là một thư mục"));
    let o = thamdinh(&[
        "--lang", "en", "export", folder, "--format", "csv", "-o", folder,
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a folder"));
}

#[test]
fn a_leaf_not_self_assessed_shows_no_self_points_anywhere_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("tests/fixtures/mini"), dir.path());
    // xa-c sent nothing; the council decides one of its leaves, with a reason.
    let o = common::on_council(
        &[
            "decide",
            "--member",
            "an",
            "--unit",
            "xa-c",
            "--code",
            "1.1.1",
            "--points",
            "1",
            "--comment",
            "Có kế hoạch",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", common::printed(&o));
    let out = tempfile::tempdir().unwrap();
    let o = common::on_council(&["export", "-o", out.path().to_str().unwrap()], dir.path());
    assert!(o.status.success(), "{}", common::printed(&o));
    // The per-leaf CSV: an empty self cell, the council's points beside it.
    let csv = std::fs::read_to_string(out.path().join("ket-qua.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (unit, code, own) = (col("unit"), col("code"), col("self_points"));
    let row = rows
        .records()
        .map(Result::unwrap)
        .find(|r| &r[unit] == "xa-c" && &r[code] == "1.1.1")
        .unwrap();
    assert_eq!(&row[own], "", "{header:?} {row:?}");
    // The minutes say so in words, in the page and in the Word document.
    let minutes = std::fs::read_to_string(out.path().join("bien-ban.html")).unwrap();
    let at = minutes.find("Có kế hoạch").unwrap();
    let line_start = minutes[..at].rfind("<tr>").unwrap();
    assert!(
        minutes[line_start..at].contains("chưa tự chấm"),
        "{}",
        &minutes[line_start..at]
    );
    let word = zip_text(&out.path().join("bien-ban.docx"), "word/document.xml");
    let at = word.find(">Có kế hoạch<").unwrap();
    let row_start = word[..at].rfind("<w:tr>").unwrap();
    assert!(word[row_start..at].contains(">chưa tự chấm<"));
    // The signed unit file: the leaf marked not self-assessed, no self points.
    let key = common::give_key(dir.path(), "an", None);
    common::approve(dir.path());
    let o = common::on_council(
        &["signoff", "--member", "an", "--key", key.to_str().unwrap()],
        dir.path(),
    );
    assert!(o.status.success(), "{}", common::printed(&o));
    let signed = std::fs::read_dir(dir.path().join("signed"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let unit: toml::Table =
        toml::from_str(&std::fs::read_to_string(signed.join("units/xa-c.toml")).unwrap()).unwrap();
    let item = unit["item"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"].as_str() == Some("1.1.1"))
        .unwrap();
    assert_eq!(
        item.get("self_assessed").and_then(|v| v.as_bool()),
        Some(false),
        "{item:?}"
    );
    assert!(item.get("self_points").is_none(), "{item:?}");
    assert_eq!(item["points"].as_float(), Some(1.0));
    let v = thamdinh::signoff::verify(&signed, &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}

#[test]
fn a_unit_sheet_gives_each_decision_s_time_in_vietnam() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("tests/fixtures/mini"), dir.path());
    let o = common::on_council(
        &[
            "decide",
            "--member",
            "an",
            "--unit",
            "xa-a",
            "--code",
            "1.1.1",
            "--points",
            "0.5",
            "--comment",
            "chậm",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", common::printed(&o));
    let (c, st) = state_of(dir.path());
    let u = c.unit_index("xa-a").unwrap();
    let d = &st.appraisal.decisions[&(u, 0)];
    let (y, mo, dd, h, mi, s) = thamdinh::session::time::vietnam(&d.at).unwrap();
    let want = format!("{y:04}-{mo:02}-{dd:02} {h:02}:{mi:02}:{s:02}");
    let out = tempfile::tempdir().unwrap();
    let o = common::on_council_with(
        &[
            "export",
            "--format",
            "xlsx",
            "-o",
            out.path().join("k.xlsx").to_str().unwrap(),
        ],
        dir.path(),
        &[("TZ", "America/New_York")],
    );
    assert!(o.status.success(), "{}", common::printed(&o));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.path().join("k.xlsx")).unwrap();
    let range = wb.worksheet_range("xa-a").unwrap();
    let found = range
        .rows()
        .any(|r| r.iter().any(|cell| cell.to_string() == want));
    assert!(
        found,
        "{want} in the unit's sheet, whatever the machine's zone"
    );
}

#[test]
fn the_minutes_show_the_secretary_as_recorded_and_the_assisting_team_apart() {
    let dir = common::meeting_council("");
    let folder = dir.path().to_str().unwrap();
    for member in ["an", "chi", "em"] {
        let o = thamdinh(&["attend", folder, "--member", member]);
        assert!(o.status.success(), "{}", common::printed(&o));
    }
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("bien-ban.html");
    let o = thamdinh(&[
        "export",
        folder,
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", common::printed(&o));
    let html = std::fs::read_to_string(&file).unwrap();
    let team = html
        .find("Tổ giúp việc (1 người)")
        .expect("the assisting team apart");
    let council = &html[..team];
    // The secretary, recorded present, is ticked, not left with boxes.
    let table = council.find("<tbody>").unwrap();
    let chi = table + council[table..].find("Lê Văn Chí").unwrap();
    let row = &council[chi..council[chi..].find("</tr>").unwrap() + chi];
    assert!(row.contains("✓") && !row.contains("box"), "{row}");
    assert!(
        !council.contains("Hoàng Văn Em"),
        "the assisting team is not the council"
    );
    assert!(html[team..].contains("Hoàng Văn Em"));
    assert!(
        html.contains("Số thành viên có mặt: 2/4."),
        "{}",
        &html[team.saturating_sub(400)..]
    );
}

#[test]
fn a_notice_is_a_paper_an_office_sends_headed_numbered_signed_on_a4() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("tests/fixtures/mini"), dir.path());
    let folder = dir.path().to_str().unwrap();
    for args in [
        &[
            "decide",
            folder,
            "--member",
            "an",
            "--unit",
            "xa-a",
            "--code",
            "1.1.1",
            "--points",
            "0.5",
            "--comment",
            "chậm",
        ][..],
        &["round", "close", folder, "--member", "an"][..],
    ] {
        let o = thamdinh(args);
        assert!(o.status.success(), "{}", common::printed(&o));
    }
    let notice = dir.path().join("notices/round-1/xa-a.html");
    let html = std::fs::read_to_string(&notice).unwrap();
    let (c, _) = state_of(dir.path());
    let chair = c.members.iter().find(|m| m.chair).unwrap();
    for said in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: ……/TB-HĐTĐ",
        "TM. HỘI ĐỒNG THẨM ĐỊNH",
        chair.name.as_str(),
    ] {
        assert!(html.contains(said), "{said}");
    }
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "chromium is missing");
        return;
    };
    let pdf = dir.path().join("xa-a.pdf");
    print_to_pdf(browser, &notice, &pdf);
    for (w, h) in page_sizes(&pdf) {
        assert!(
            (w - 595.0).abs() < 2.0 && (h - 842.0).abs() < 2.0,
            "page of {w} × {h} pt is not A4 portrait"
        );
    }
}
