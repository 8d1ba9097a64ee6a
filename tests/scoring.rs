//! The scoring rules on a small council whose every figure is worked out by hand.

use std::path::{Path, PathBuf};

use thamdinh::Points;
use thamdinh::load::load;
use thamdinh::model::Council;
use thamdinh::score::{self, Score};

fn mini() -> Council {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")).unwrap()
}

fn unit(c: &Council, id: &str) -> usize {
    c.unit_index(id).unwrap()
}

#[test]
fn every_leaf_kind_scores_as_the_spec_says() {
    let c = mini();
    let a = &c.assessments[unit(&c, "xa-a")].claims;
    // levels 1, range 1.5, ratio 96/100 ≥ 95 → 2, deduction −0.25, survey 0.8
    let got: Vec<i64> = a.iter().map(|x| x.points.hundredths()).collect();
    assert_eq!(got, vec![100, 150, 200, -25, 80]);
    assert_eq!(a[2].ratio, Some((96, 100)));
    let s = score::self_score(&c, unit(&c, "xa-a"));
    assert_eq!((s.total, s.max), (Points(505), Points(600)));
    assert_eq!(s.index_text(), "84.17"); // 5.05 / 6 = 84.1666…
}

#[test]
fn not_applicable_lowers_the_max() {
    let c = mini();
    let b = unit(&c, "xa-b");
    let claims = &c.assessments[b].claims;
    assert!(claims[1].na, "declared na = true");
    assert!(
        claims[2].na,
        "ratio with denominator 0 on a leaf that allows N/A"
    );
    assert!(claims[3].flags.not_assessed, "1.3 has no item");
    let s = score::self_score(&c, b);
    // 0.5 + 0 (1.3 not assessed) + 0.95 survey, over 1 + 0 + 1
    assert_eq!((s.total, s.max), (Points(145), Points(200)));
    assert_eq!(s.index_text(), "72.50");
}

#[test]
fn a_unit_that_did_not_submit_is_zero_and_flagged_but_ranked() {
    let c = mini();
    let u = unit(&c, "xa-c");
    assert!(!c.submitted(u));
    let claims = &c.assessments[u].claims;
    assert!(claims.iter().all(|x| x.points == Points::ZERO && !x.na));
    assert!(claims[4].flags.no_survey, "no survey result for xa-c");
    let st = score::self_standings(&c);
    assert_eq!(st.units[u].rank, 3);
    assert_eq!(
        st.units[u].self_score.max,
        Points(600),
        "nothing is not applicable"
    );
}

#[test]
fn points_without_evidence_are_flagged() {
    let c = mini();
    let b = &c.assessments[unit(&c, "xa-b")].claims;
    assert!(b[0].flags.no_evidence, "0.5 points, no evidence");
    let a = &c.assessments[unit(&c, "xa-a")].claims;
    assert!(!a[0].flags.no_evidence);
    assert!(
        !a[3].flags.no_evidence,
        "a deduction is not points to prove"
    );
    assert!(
        a[0].evidence[0].file_exists,
        "evidence/kh-12.pdf is in the folder"
    );
}

#[test]
fn the_total_is_floored_at_zero() {
    let c = mini();
    let fw = c.framework_of(0);
    let values = [0, 0, 0, -100, 0].map(|h| score::Value {
        points: Points(h),
        na: false,
    });
    let s = Score::of(fw, values);
    assert_eq!(s.total, Points::ZERO);
    assert_eq!(s.raw_total, Points(-100));
    assert_eq!(s.index_text(), "0.00");
}

#[test]
fn equal_indexes_share_a_rank_and_the_next_skips() {
    // The demo has an exact tie between xa-cam-khe and xa-dong-tam.
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let c = load(&demo).unwrap();
    let st = score::self_standings(&c);
    let (a, b) = (unit(&c, "xa-cam-khe"), unit(&c, "xa-dong-tam"));
    assert_eq!(st.units[a].rank, st.units[b].rank);
    let g = c.units[a].group;
    let order = &st.order[g];
    let pos = order.iter().position(|&u| u == a).unwrap();
    assert_eq!(order[pos + 1], b, "equal units are listed by id");
    assert_eq!(
        st.units[order[pos + 2]].rank,
        st.units[a].rank + 2,
        "the next rank skips"
    );
}

#[test]
fn set_score_reranks_the_group() {
    let c = mini();
    let mut st = score::self_standings(&c);
    let u = unit(&c, "xa-c");
    st.set_score(
        &c,
        u,
        Score {
            total: Points(600),
            max: Points(600),
            raw_total: Points(600),
            cap: None,
        },
    );
    assert_eq!(st.units[u].rank, 1);
    assert_eq!(st.units[unit(&c, "xa-a")].rank, 2);
    assert_eq!(c.frameworks[0].bands[st.units[u].band].name, "Tốt");
}

/// The mini council with a content of bonus points (field 3: a bonus leaf of
/// at most 1 point) and, where given, `max_index` at the framework's top.
fn with_bonus(max_index: Option<&str>, a: &str, b: &str) -> (tempfile::TempDir, Council) {
    let dir = bonus_folder(max_index, a, b);
    let c = load(dir.path()).unwrap();
    (dir, c)
}

/// The folder `with_bonus` loads.
fn bonus_folder(max_index: Option<&str>, a: &str, b: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
        dir.path(),
    );
    let fw = dir.path().join("frameworks/fw.toml");
    let mut text = std::fs::read_to_string(&fw).unwrap();
    if let Some(cap) = max_index {
        text = text.replacen(
            "year = 2025\n",
            &format!("year = 2025\nmax_index = {cap}\n"),
            1,
        );
    }
    text.push_str(
        "\n[[field]]\ncode = \"3\"\nname = \"Thưởng\"\nmax = 0\n\n  [[field.criterion]]\n  \
         code = \"3.1\"\n  name = \"Sáng kiến được công nhận\"\n  max = 1\n  kind = \"bonus\"\n",
    );
    std::fs::write(&fw, text).unwrap();
    for (file, points) in [("a.toml", a), ("b.toml", b)] {
        let path = dir.path().join("assessments").join(file);
        let mut t = std::fs::read_to_string(&path).unwrap();
        t.push_str(&format!("\n[[item]]\ncode = \"3.1\"\npoints = {points}\n"));
        std::fs::write(&path, t).unwrap();
    }
    dir
}

#[test]
fn a_bonus_adds_to_the_total_not_to_the_max_and_an_index_passes_100_uncapped() {
    // xa-a: 5.05 + 1 bonus over a max of 6 (the bonus's 1 not in it) = 100.833…
    // xa-b: 0.5 + 0.95 survey + 1 bonus = 2.45 over 1 + 1 = 122.5
    let (_dir, c) = with_bonus(None, "1", "1");
    let st = score::self_standings(&c);
    let (a, b) = (unit(&c, "xa-a"), unit(&c, "xa-b"));
    let sa = st.units[a].score;
    assert_eq!((sa.total, sa.max), (Points(605), Points(600)));
    assert_eq!(sa.index_text(), "100.83");
    assert_eq!(st.units[b].score.index_text(), "122.50");
    assert_eq!((st.units[b].rank, st.units[a].rank), (1, 2));
    // The bonus field's max is 0; the framework's max is as before.
    assert_eq!(c.frameworks[0].full_max(), Points(600));
    // A bonus above its max is refused at load, as any other points.
    let dir = bonus_folder(None, "1.25", "0");
    let e = load(dir.path())
        .unwrap_err()
        .render(thamdinh::i18n::Lang::En);
    assert!(
        e.contains("1.25") && e.contains("assessments/a.toml"),
        "{e}"
    );
}

#[test]
fn max_index_caps_the_index_and_units_at_the_cap_tie() {
    // Capped at 100: xa-a 100.833… and xa-b 122.5 both show 100.00 and share rank 1.
    let (_dir, c) = with_bonus(Some("100"), "1", "1");
    let st = score::self_standings(&c);
    let (a, b, x) = (unit(&c, "xa-a"), unit(&c, "xa-b"), unit(&c, "xa-c"));
    for u in [a, b] {
        assert_eq!(st.units[u].score.index_text(), "100.00");
        assert_eq!(st.units[u].rank, 1);
        assert_eq!(c.frameworks[0].bands[st.units[u].band].name, "Tốt");
    }
    assert_eq!(
        st.units[a].score.cmp_index(&st.units[b].score),
        std::cmp::Ordering::Equal
    );
    assert_eq!(
        st.units[a].score.index_diff_hundredths(&st.units[b].score),
        0
    );
    assert_eq!(st.units[x].rank, 3, "the next rank skips");
    // Below the cap nothing changes: 5.05 + 0.5 = 5.55 / 6 = 92.50.
    let (_dir, c) = with_bonus(Some("100"), "0.5", "0");
    let st = score::self_standings(&c);
    assert_eq!(st.units[unit(&c, "xa-a")].score.index_text(), "92.50");
    assert_eq!(st.units[unit(&c, "xa-b")].score.index_text(), "72.50");
}

#[test]
fn a_cap_below_100_is_refused_where_it_stands() {
    let dir = bonus_folder(None, "0", "0");
    let fw = dir.path().join("frameworks/fw.toml");
    let t = std::fs::read_to_string(&fw).unwrap();
    std::fs::write(
        &fw,
        t.replacen("year = 2025\n", "year = 2025\nmax_index = 90\n", 1),
    )
    .unwrap();
    let e = load(dir.path())
        .unwrap_err()
        .render(thamdinh::i18n::Lang::En);
    assert!(e.contains("frameworks/fw.toml:4:"), "{e}");
    assert!(e.contains("max_index is 90"), "{e}");
}

#[test]
fn the_independent_reading_agrees_on_bonus_points_and_the_cap() {
    let capped = bonus_folder(Some("100"), "1", "1");
    let uncapped = bonus_folder(None, "1", "0.75");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    for dir in [capped.path(), uncapped.path(), demo.as_path()] {
        let rank = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
            .args(["rank", dir.to_str().unwrap(), "--format", "csv"])
            .output()
            .unwrap();
        let python = std::process::Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/crosscheck_rank.py"))
            .arg(dir)
            .output();
        match python {
            Ok(o) if o.status.success() => assert_eq!(
                String::from_utf8_lossy(&rank.stdout),
                String::from_utf8_lossy(&o.stdout),
                "{}",
                dir.display()
            ),
            Ok(o) => panic!("{}", String::from_utf8_lossy(&o.stderr)),
            Err(_) => eprintln!("skipped: the independent ranking needs python3"),
        }
    }
}

#[test]
fn a_bonus_leaf_is_decided_filled_and_signed_within_its_rules() {
    let dir = bonus_folder(Some("100"), "0", "0");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
            .args(["--lang", "en"])
            .args(args)
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let decide = |points: &str| {
        run(&[
            "decide",
            "--member",
            "an",
            "--unit",
            "xa-a",
            "--code",
            "3.1",
            "--points",
            points,
            "--comment",
            "Sáng kiến được công nhận",
        ])
    };
    // Above its max: refused, saying what is allowed.
    let o = decide("1.5");
    assert_eq!(o.status.code(), Some(1));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("1.5") && said.contains("0 to 1"), "{said}");
    // Within it: the total rises, the max does not: (5.05 + 1) / 6 = 100.83 → capped 100.
    let o = decide("1");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rank = String::from_utf8_lossy(&run(&["rank", "--format", "csv"]).stdout).to_string();
    let row = rank.lines().find(|l| l.contains(",xa-a,")).unwrap();
    assert!(row.contains(",6.05,6.00,100.00,"), "{row}");

    // The form says how it scores.
    let form = dir.path().join("xa-a.xlsx");
    let o = run(&["form", "--unit", "xa-a", "-o", form.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(&form).unwrap();
    let sheet = wb.worksheet_range("Tự đánh giá").unwrap();
    let row = sheet
        .rows()
        .find(|r| r.first().is_some_and(|c| *c == "3.1"))
        .unwrap();
    assert!(
        row.iter().any(|c| c
            .to_string()
            .contains("cộng vào tổng điểm (không tính vào điểm tối đa)")),
        "{row:?}"
    );

    // A signed unit file names the bonus leaf and the cap.
    let c = load(dir.path()).unwrap();
    let state = thamdinh::session::State::of(&c, &[]);
    let snap = thamdinh::export::Snapshot::new(&c, &state, &[]);
    let files = thamdinh::signoff::signed_figures(&snap);
    let unit = &files["units/xa-a.toml"];
    assert!(unit.contains("max_index = 100.00"), "{unit}");
    assert!(
        unit.contains(
            "code = \"3.1\"\nname = \"Sáng kiến được công nhận\"\nmax = 1.00\nbonus = true"
        ),
        "{unit}"
    );
}
