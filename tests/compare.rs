//! Year over year: last year's signed council, this year's with a merger, a
//! rename, a split and a new unit; the comparison's figures computed by hand
//! here from the files (exact fractions, rounded once, half away from zero).

use std::path::Path;

use crate::common;
use common::printed as said;
use common::signing::Fixture;

fn ok(args: &[&str], folder: &Path) -> String {
    let o = common::on_council(args, folder);
    assert!(o.status.success(), "{args:?}: {}", said(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Hundredths from a figure of two decimals (`96.15` → 9615).
fn h(text: &str) -> i128 {
    let (int, dec) = text.split_once('.').unwrap_or((text, "0"));
    let sign = if int.starts_with('-') { -1 } else { 1 };
    sign * (int.trim_start_matches('-').parse::<i128>().unwrap() * 100
        + dec.parse::<i128>().unwrap())
}

/// num/den rounded half away from zero, as hundredths text.
fn shown(num: i128, den: i128) -> String {
    let r = if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((2 * -num + den) / (2 * den))
    };
    let sign = if r < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", r.abs() / 100, r.abs() % 100)
}

/// Last year: the mini council, one leaf lowered, approved and signed.
pub(crate) fn last_year() -> (Fixture, std::path::PathBuf) {
    let f = Fixture::new();
    ok(
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
            "Ban hành chậm",
        ],
        f.path(),
    );
    let signed = f.signoff("an").unwrap();
    (f, signed)
}

/// (points, max) in hundredths of a signed unit file.
fn signed_figures(signed: &Path, unit: &str) -> (i128, i128) {
    let t: toml::Table = toml::from_str(
        &std::fs::read_to_string(signed.join(format!("units/{unit}.toml"))).unwrap(),
    )
    .unwrap();
    let f = |k: &str| (t[k].as_float().unwrap() * 100.0).round() as i128;
    (f("points"), f("max"))
}

/// This year: xa-ab continues xa-a and xa-b (a merger), xa-cc continues xa-c
/// (a rename) as does xa-c2 (so xa-c is split), xa-moi is new.
fn this_year(previous: &Path) -> tempfile::TempDir {
    let dir = common::mini_copy();
    let f = dir.path();
    let toml = std::fs::read_to_string(f.join("council.toml")).unwrap();
    let roster_at = toml.find("[[unit]]").unwrap();
    let rel = pathdiff(previous, f);
    let toml = format!(
        "{}{}",
        toml[..roster_at].replacen(
            "year = 2025\n",
            &format!("year = 2026\nprevious = \"{rel}\"\n"),
            1
        ),
        "[[unit]]\nid = \"xa-ab\"\nname = \"Xã An Bình\"\ngroup = \"xa\"\nformerly = [\"xa-a\", \"xa-b\"]\n\n\
         [[unit]]\nid = \"xa-cc\"\nname = \"Xã Cẩm Châu\"\ngroup = \"xa\"\nformerly = [\"xa-c\"]\n\n\
         [[unit]]\nid = \"xa-c2\"\nname = \"Xã Cẩm Hà\"\ngroup = \"xa\"\nformerly = [\"xa-c\"]\n\n\
         [[unit]]\nid = \"xa-moi\"\nname = \"Xã Mới\"\ngroup = \"xa\"\n"
    );
    std::fs::write(f.join("council.toml"), toml).unwrap();
    let a = std::fs::read_to_string(f.join("assessments/a.toml")).unwrap();
    let b = std::fs::read_to_string(f.join("assessments/b.toml")).unwrap();
    std::fs::write(
        f.join("assessments/a.toml"),
        a.replacen("unit = \"xa-a\"", "unit = \"xa-ab\"", 1),
    )
    .unwrap();
    std::fs::write(
        f.join("assessments/b.toml"),
        b.replacen("unit = \"xa-b\"", "unit = \"xa-cc\"", 1),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(f.join("explanations"));
    let survey = std::fs::read_to_string(f.join("surveys/s.toml")).unwrap();
    std::fs::write(
        f.join("surveys/s.toml"),
        survey
            .replacen("unit = \"xa-a\"", "unit = \"xa-ab\"", 1)
            .replacen("unit = \"xa-b\"", "unit = \"xa-cc\"", 1),
    )
    .unwrap();
    let council = std::fs::read_to_string(f.join("council.toml")).unwrap();
    std::fs::write(
        f.join("council.toml"),
        council.replacen("conflicts = [\"xa-b\"]", "conflicts = [\"xa-cc\"]", 1),
    )
    .unwrap();
    dir
}

/// `to` written relative to `from` (both absolute).
fn pathdiff(to: &Path, from: &Path) -> String {
    let to: Vec<_> = to.components().collect();
    let from: Vec<_> = from.components().collect();
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> =
        std::iter::repeat_n("..".to_string(), from.len() - common).collect();
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[test]
fn each_unit_is_compared_with_the_units_it_continues_and_its_self_assessment() {
    let (last, signed) = last_year();
    let now = this_year(&signed);
    let f = now.path();
    // The council lowers one leaf of the merged unit: its self index stands above.
    common::decide(f, "an", "xa-ab", "1.1.2", "0", "Chưa đạt");
    let out = common::on_council(&["compare", "--format", "csv"], f);
    assert!(out.status.success(), "{}", said(&out));
    let csv = String::from_utf8_lossy(&out.stdout).into_owned();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("xa-c of last year is continued by xa-cc, xa-c2 (a split)"),
        "a split is said: {err}"
    );
    let rank = ok(&["rank", "--format", "csv"], f);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "group,rank,unit,name,index,self_index,self_gap,previous_units,previous_index,change"
    );
    let (pa, ma) = signed_figures(&signed, "xa-a");
    let (pb, mb) = signed_figures(&signed, "xa-b");
    let (pc, mc) = signed_figures(&signed, "xa-c");
    let mut r = csv::Reader::from_reader(rank.as_bytes());
    let ranked: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let got: Vec<&str> = lines.collect();
    assert_eq!(got.len(), ranked.len(), "one line per roster unit\n{csv}");
    for (line, row) in got.iter().zip(&ranked) {
        // In the order of `rank --format csv`.
        let (unit, sp, p, m) = (&row[2], h(&row[4]), h(&row[5]), h(&row[6]));
        // This year no leaf changed its applicability: self max = max.
        let index = shown(p * 10_000, m);
        let self_index = shown(sp * 10_000, m);
        let gap = shown((sp - p) * 10_000, m);
        // The predecessors' mean index and the change, exact then rounded once.
        let (units, previous, change) = match unit {
            "xa-ab" => {
                // (pa/ma + pb/mb)/2 · 10000 = (pa·mb + pb·ma)·10000 / (2·ma·mb)
                let (num, den) = ((pa * mb + pb * ma) * 10_000, 2 * ma * mb);
                // p/m − num/den = (p·den − num·m) / (m·den)
                let change = shown(p * 10_000 * den - num * m, m * den);
                ("xa-a xa-b", shown(num, den), change)
            }
            "xa-cc" | "xa-c2" => (
                "xa-c",
                shown(pc * 10_000, mc),
                shown((p * mc - pc * m) * 10_000, m * mc),
            ),
            _ => ("", String::new(), String::new()),
        };
        let name = &row[3];
        let expected = format!(
            "xa,{},{unit},{name},{index},{self_index},{gap},{units},{previous},{change}",
            &row[1]
        );
        assert_eq!(*line, expected);
    }
    // The merged unit's gap is above zero; a unit with no predecessor has none.
    assert!(csv.contains(",xa-a xa-b,"), "{csv}");
    assert!(
        got.iter()
            .any(|l| l.starts_with("xa,") && l.contains(",xa-moi,") && l.ends_with(",,,"))
    );
    // `check` says the split too, before any figure is read.
    let checked = ok(&["check"], f);
    assert!(
        checked.contains("xa-c of last year is continued by xa-cc, xa-c2 (a split)"),
        "{checked}"
    );
    // The table says the same, with its labels.
    let table = ok(&["compare"], f);
    assert!(
        table.contains("self gap") && table.contains("Xã An Bình"),
        "{table}"
    );
    // The workbook's comparison sheet holds the same figures; the minutes
    // name the unit whose self-assessment stood out.
    let out = f.join("out");
    ok(&["export", "-o", out.to_str().unwrap()], f);
    use calamine::{DataType, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(out.join("ket-qua.xlsx")).unwrap();
    let sheet = wb.worksheet_range("So sánh").unwrap();
    let merged = got.iter().find(|l| l.contains(",xa-ab,")).unwrap();
    let fields: Vec<&str> = merged.split(',').collect();
    let row = sheet
        .rows()
        .find(|r| r.get(2).is_some_and(|c| *c == "xa-ab"))
        .expect("the merged unit's row");
    let two = |c: &calamine::Data| format!("{:.2}", c.as_f64().unwrap());
    assert_eq!(
        (
            two(&row[4]),
            two(&row[6]),
            row[7].to_string(),
            two(&row[8]),
            two(&row[9])
        ),
        (
            fields[4].to_string(),
            fields[6].to_string(),
            "xa-a xa-b".to_string(),
            fields[8].to_string(),
            fields[9].to_string()
        )
    );
    assert_eq!(row[10].to_string(), "x", "its self-assessment stood out");
    let minutes = std::fs::read_to_string(out.join("bien-ban.html")).unwrap();
    assert!(
        minutes.contains(&format!("Xã An Bình (+{})", fields[6])),
        "{minutes}"
    );
    // The draft decision's annex publishes last year's index and the change.
    let mut z =
        zip::ZipArchive::new(std::fs::File::open(out.join("du-thao-quyet-dinh.docx")).unwrap())
            .unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut doc).unwrap();
    assert!(doc.contains(">Năm trước (%)<"), "the annex's column");
    let sign = if fields[9].starts_with('-') { "" } else { "+" };
    assert!(
        doc.contains(&format!(">{}<", fields[8]))
            && doc.contains(&format!(">{sign}{}<", fields[9])),
        "{} {}",
        fields[8],
        fields[9]
    );
    drop(last);
}

#[test]
fn a_previous_year_that_does_not_verify_or_does_not_hold_a_unit_is_refused() {
    let (_last, signed) = last_year();
    // A unit named as continued that last year's folder does not hold: refused at its line.
    let now = this_year(&signed);
    let f = now.path();
    let toml = std::fs::read_to_string(f.join("council.toml")).unwrap();
    std::fs::write(
        f.join("council.toml"),
        toml.replacen(
            "formerly = [\"xa-c\"]\n\n[[unit]]\nid = \"xa-c2\"",
            "formerly = [\"xa-z\"]\n\n[[unit]]\nid = \"xa-c2\"",
            1,
        ),
    )
    .unwrap();
    let o = common::on_council(&["check"], f);
    assert!(!o.status.success());
    assert!(
        said(&o).contains("council.toml:") && said(&o).contains("holds no unit `xa-z`"),
        "{}",
        said(&o)
    );
    std::fs::write(f.join("council.toml"), toml).unwrap();
    // A signed folder changed after signing: none of its figures is used.
    let unit = signed.join("units/xa-a.toml");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(&unit, text.replacen("points = ", "points = 9", 1)).unwrap();
    let o = common::on_council(&["compare", "--format", "csv"], f);
    assert!(!o.status.success());
    assert!(
        said(&o).contains("does not verify, so none of its figures is used")
            && said(&o).contains("xa-a.toml"),
        "{}",
        said(&o)
    );
    // No previous year: the comparison still answers, its last-year columns empty.
    let plain = common::mini_copy();
    let csv = ok(&["compare", "--format", "csv"], plain.path());
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",,,")), "{csv}");
}

/// The screen shows last year's index beside this year's in the ranking, and
/// in the unit's summary what it continues; at 160×45 and at 80×24.
#[test]
fn the_screen_shows_last_year_beside_this_year() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use thamdinh::i18n::Lang;
    use thamdinh::tui::app::App;
    use thamdinh::tui::keymap::KeyMap;
    use thamdinh::tui::theme::Theme;
    use thamdinh::tui::view;
    let (_last, signed) = last_year();
    let now = this_year(&signed);
    let f = now.path();
    let c = thamdinh::load::load(f).unwrap();
    let mut app = App::new(
        c,
        f,
        &f.join(".thamdinh/session.db"),
        None,
        Lang::Vi,
        KeyMap::default_map(),
    )
    .unwrap();
    app.main.theme = Theme { color: false };
    let merged = app.main.council.unit_index("xa-ab").unwrap();
    app.main.unit = merged;
    let text = |w: u16, h: u16| {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|fr| view::draw(fr, &app)).unwrap();
        let buf = t.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    };
    let wide = text(160, 45);
    let (pa, ma) = signed_figures(&signed, "xa-a");
    let (pb, mb) = signed_figures(&signed, "xa-b");
    let mean = shown((pa * mb + pb * ma) * 10_000, 2 * ma * mb);
    assert!(wide.contains("năm tr."), "{wide}");
    assert!(
        wide.lines()
            .any(|l| l.contains("An Bình") && l.contains(&mean)),
        "last year's index beside the merged unit:\n{wide}"
    );
    assert!(
        wide.contains(&format!("năm trước {mean}")) && wide.contains("là xa-a, xa-b"),
        "{wide}"
    );
    insta::assert_snapshot!("compare_160x45", wide);
    let narrow = text(80, 24);
    assert!(narrow.contains(&format!("năm trước {mean}")), "{narrow}");
    insta::assert_snapshot!("compare_80x24", narrow);
}
