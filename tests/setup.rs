//! Setting up a year without writing TOML: a framework out to a spreadsheet and back, refusals by cell, the roster from a list, a new year from the last.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::xlsx::{Cell, fill, fill_sheet};
use crate::common::{self, root};
use thamdinh::load::load;
use thamdinh::model::Framework;
use thamdinh::setup::framework;

fn thamdinh(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args(["--lang", "en"])
        .args(args)
        .env("THAMDINH_EXE", env!("CARGO_BIN_EXE_thamdinh"))
        .output()
        .unwrap()
}

fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
}

/// Every council folder of the repository that loads, with its path.
fn councils() -> Vec<(PathBuf, thamdinh::Council)> {
    let mut dirs = vec![root().join("data/demo"), root().join("tests/fixtures/mini")];
    for e in std::fs::read_dir(root().join("tests/fixtures/broken"))
        .unwrap()
        .flatten()
    {
        dirs.push(e.path());
    }
    dirs.into_iter()
        .filter_map(|d| load(&d).ok().map(|c| (d, c)))
        .collect()
}

/// Every `frameworks/*.toml` under `dir`.
fn framework_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(framework_files(&p));
        } else if p.parent().is_some_and(|d| d.ends_with("frameworks"))
            && p.extension().is_some_and(|x| x == "toml")
        {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// What a framework scores by: everything but the file it came from.
fn scored_by(fw: &Framework) -> String {
    let mut fw = fw.clone();
    fw.path = String::new();
    let mut leaf_index: Vec<_> = fw.leaf_index.drain().collect();
    leaf_index.sort();
    format!("{:?} {:?}", fw, leaf_index)
}

#[test]
fn every_framework_goes_out_to_a_spreadsheet_and_back_scoring_every_assessment_alike() {
    let dir = tempfile::tempdir().unwrap();
    // Every framework file of the repository that checks, alone.
    let mut checked = 0;
    for path in framework_files(&root().join("data"))
        .into_iter()
        .chain(framework_files(&root().join("tests")))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(fw) = thamdinh::load::framework_text("frameworks/x.toml", &text) else {
            continue;
        };
        let file = dir.path().join(format!("{checked}.xlsx"));
        std::fs::write(&file, framework::export(&fw).unwrap()).unwrap();
        let back = framework::import(&file, &fw.id, None, fw.year)
            .unwrap_or_else(|p| panic!("{}: {p:?}", path.display()));
        assert_eq!(
            scored_by(&back.framework),
            scored_by(&fw),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(
        checked >= 20,
        "{checked} frameworks: the demo's, the mini one and the fixtures'"
    );
    for (folder, c) in councils() {
        // Through the command line, on a copy: the framework files replaced by
        // their round trips, every unit's ranking and index the same.
        let copy = tempfile::tempdir().unwrap();
        common::copy(&folder, copy.path());
        for fw in &c.frameworks {
            let file = dir.path().join(format!("cli-{}.xlsx", fw.id));
            let c = copy.path().to_str().unwrap();
            let o = thamdinh(&[
                "framework",
                "export",
                c,
                "--id",
                &fw.id,
                "-o",
                file.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{}", out(&o));
            let o = thamdinh(&[
                "framework",
                "import",
                c,
                file.to_str().unwrap(),
                "--id",
                &fw.id,
                "--replace",
            ]);
            assert!(o.status.success(), "{}: {}", folder.display(), out(&o));
        }
        let rank = |f: &Path| out(&thamdinh(&["rank", f.to_str().unwrap(), "--format", "csv"]));
        assert_eq!(rank(copy.path()), rank(&folder), "{}", folder.display());
    }
}

#[test]
fn the_exported_sheet_is_one_a_secretary_can_read_and_print() {
    let c = load(&root().join("data/demo")).unwrap();
    let fw = c.frameworks.iter().find(|f| f.id == "xa-2025").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("xa.xlsx");
    std::fs::write(&file, framework::export(fw).unwrap()).unwrap();
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(&file).unwrap();
    let range = wb.worksheet_range("Bộ tiêu chí").unwrap();
    let text = |r: u32, col: u32| {
        range
            .get_value((r, col))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    assert_eq!(text(0, 0), fw.name);
    assert_eq!(text(2, 0), "Mã");
    assert_eq!(text(2, 4), "Cách chấm");
    // The bonus content: kinds in Vietnamese, levels one a line.
    let row_of = |code: &str| {
        (0..range.height() as u32)
            .find(|&r| text(r, 0) == code)
            .unwrap()
    };
    assert_eq!(text(row_of("8.1"), 3), "điểm thưởng");
    assert_eq!(text(row_of("8.3"), 3), "điểm trừ");
    assert_eq!(text(row_of("8.3"), 4), "-2");
    assert_eq!(
        text(row_of("1.1.1"), 4),
        "1: Ban hành trước ngày 31/12 năm trước\n0,5: Ban hành chậm\n0: Không ban hành"
    );
    let bands = wb.worksheet_range("Xếp loại").unwrap();
    assert_eq!(bands.get_value((1, 0)).unwrap().to_string(), "Xuất sắc");
    // Print set-up: A4 across, one page wide, the header on every page.
    let xml = common::zip_part(&file, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains("paperSize=\"9\"") && xml.contains("orientation=\"landscape\""),
        "{xml}"
    );
    assert!(
        xml.contains("fitToPage=\"1\"") && xml.contains("fitToHeight=\"0\""),
        "{xml}"
    );
    let book = common::zip_part(&file, "xl/workbook.xml");
    assert!(book.contains("_xlnm.Print_Titles"), "{book}");
}

/// The mini framework exported, then edited as a user would.
fn mini_sheet(dir: &Path) -> PathBuf {
    let c = load(&root().join("tests/fixtures/mini")).unwrap();
    let file = dir.join("fw.xlsx");
    std::fs::write(&file, framework::export(&c.frameworks[0]).unwrap()).unwrap();
    file
}

fn import_said(folder: &Path, file: &Path) -> String {
    let o = thamdinh(&[
        "framework",
        "import",
        folder.to_str().unwrap(),
        file.to_str().unwrap(),
        "--id",
        "moi-2025",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    out(&o)
}

#[test]
fn a_broken_sheet_is_refused_cell_by_cell_and_nothing_is_written() {
    let t = |s: &str| Cell::Text(s.into());
    let n = |s: &str| Cell::Num(s.into());
    // Rows of the mini export: 4 field 1, 5 criterion 1.1, 6 1.1.1 (levels),
    // 7 1.1.2 (range), 8 1.2 (ratio), 9 1.3 (deduction), 10 field 2, 11 2.1.
    type Case<'a> = (&'a str, usize, Vec<(&'a str, Cell)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            "repeated",
            1,
            vec![("A7", t("1.1.1"))],
            "Bộ tiêu chí!A7: code 1.1.1 is repeated: it first stands at Bộ tiêu chí!A6",
        ),
        (
            "out of order",
            1,
            vec![("A6", t("1.1.3"))],
            "Bộ tiêu chí!A7: code 1.1.2 comes after 1.1.3",
        ),
        (
            "under the wrong parent",
            1,
            vec![("A9", t("2.3"))],
            "Bộ tiêu chí!A9: code 2.3 belongs under 2, but the row above it is under 1",
        ),
        (
            "a leaf without a kind",
            1,
            vec![("D7", Cell::Empty)],
            "Bộ tiêu chí!D7: 1.1.2: a leaf needs its kind",
        ),
        (
            "an unknown kind",
            1,
            vec![("D7", t("thưởng thêm"))],
            "Bộ tiêu chí!D7: 1.1.2: kind thưởng thêm is not known",
        ),
        (
            "three decimals",
            1,
            vec![("C7", n("1.125"))],
            "Bộ tiêu chí!C7: 1.125 has more than two decimals",
        ),
        (
            "a field's max",
            1,
            vec![("C4", n("6"))],
            "Bộ tiêu chí!C4: 1: max 6 but its rows' max add up to 5",
        ),
        (
            "a level above the max",
            1,
            vec![("E6", t("1,5: Vượt mức\n1: Đúng hạn"))],
            "Bộ tiêu chí!E6: 1.1.1: level 1.5 lies outside 0 to the max 1",
        ),
        (
            "a level line",
            1,
            vec![("E6", t("Đúng hạn được 1 điểm"))],
            "Bộ tiêu chí!E6: 1.1.1: line 1 of Cách chấm, Đúng hạn được 1 điểm, is not `points: label`",
        ),
        (
            "a ratio band line",
            1,
            vec![("E8", t("từ 95: 2"))],
            "Bộ tiêu chí!E8: 1.2: line 1 of Cách chấm, từ 95: 2, is not `≥ min: points`",
        ),
        (
            "a mark that is not x",
            1,
            vec![("F6", t("có"))],
            "Bộ tiêu chí!F6: 1.1.1: Không áp dụng holds có",
        ),
        (
            "a heading with a kind",
            1,
            vec![("D5", t("mức"))],
            "Bộ tiêu chí!D5: 1.1: it has rows under it",
        ),
        (
            "a deduction without its min",
            1,
            vec![("E9", Cell::Empty)],
            "Bộ tiêu chí!E9: 1.3: a deduction leaf needs its largest deduction",
        ),
        (
            "bands not decreasing",
            2,
            vec![("B3", n("85"))],
            "Xếp loại!B3: band Khá from 85 follows one from 80",
        ),
        (
            "the last band",
            2,
            vec![("B3", n("50"))],
            "Xếp loại!B3: the last band starts from 50",
        ),
        (
            "no header",
            1,
            vec![("A3", t("Số")), ("B3", t("Tên"))],
            "no header row",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let folder = common::mini_copy();
    let before: Vec<_> = std::fs::read_dir(folder.path().join("frameworks"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    for (what, sheet, cells, expected) in cases {
        let file = mini_sheet(dir.path());
        let cells: Vec<(String, Cell)> =
            cells.into_iter().map(|(a, c)| (a.to_string(), c)).collect();
        fill_sheet(&file, sheet, &cells);
        let said = import_said(folder.path(), &file);
        assert!(
            said.contains(expected),
            "{what}: expected {expected:?}, got:\n{said}"
        );
        assert!(
            said.contains("refused; nothing was written"),
            "{what}: {said}"
        );
    }
    // Every problem of a sheet at once.
    let file = mini_sheet(dir.path());
    fill(
        &file,
        &[
            ("D7".into(), Cell::Empty),
            ("C4".into(), n("7")),
            ("F6".into(), t("có")),
        ],
    );
    let said = import_said(folder.path(), &file);
    for at in ["Bộ tiêu chí!D7", "Bộ tiêu chí!F6"] {
        assert!(said.contains(at), "{at}: {said}");
    }
    let after: Vec<_> = std::fs::read_dir(folder.path().join("frameworks"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before, after, "nothing written");
}

#[test]
fn a_framework_typed_by_a_secretary_comes_in_with_kinds_in_either_language() {
    // A sheet as a province's table is typed: a title, the header lower down
    // and shifted right, kinds in English and Vietnamese, >= for ≥, a number
    // with a decimal comma, levels with "điểm".
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("qd.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Bộ tiêu chí").unwrap();
    ws.write(0, 1, "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CẤP XÃ")
        .unwrap();
    ws.write(1, 1, "(Kèm theo Quyết định số 12/QĐ-UBND)")
        .unwrap();
    let header = [
        "Mã",
        "Nội dung",
        "Điểm tối đa",
        "Loại",
        "Cách chấm",
        "Không áp dụng",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write(3, 1 + c as u16, *h).unwrap();
    }
    let rows: [[&str; 6]; 7] = [
        ["1", "Chỉ đạo", "4", "", "", ""],
        ["1.1", "Kế hoạch", "", "", "", ""],
        [
            "1.1.1",
            "Ban hành kế hoạch",
            "1",
            "Levels",
            "1 điểm: Đúng hạn\n0,5 điểm: Chậm",
            "",
        ],
        [
            "1.1.2",
            "Hoàn thành kế hoạch",
            "2",
            "tỉ lệ",
            ">= 90: 2\n≥ 70%: 1",
            "x",
        ],
        [
            "1.2",
            "Sáng kiến",
            "1",
            "range",
            "Mỗi sáng kiến 0,5 điểm",
            "",
        ],
        ["2", "Thưởng, trừ điểm", "0", "", "", ""],
        ["2.1", "Khen thưởng", "1,5", "điểm thưởng", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(4 + r as u32, 1 + c as u16, *v).unwrap();
        }
    }
    let ws = wb.add_worksheet().set_name("Xếp loại").unwrap();
    for (r, (b, m)) in [
        ("Xếp loại", "Từ"),
        ("Tốt", "80"),
        ("Khá", "0"),
        ("", ""),
        ("Chỉ số tối đa", "100"),
    ]
    .iter()
    .enumerate()
    {
        ws.write(r as u32, 0, *b).unwrap();
        ws.write(r as u32, 1, *m).unwrap();
    }
    wb.save(&file).unwrap();
    let back = framework::import(&file, "xa-2026", None, 2026).unwrap_or_else(|p| panic!("{p:?}"));
    let fw = back.framework;
    assert_eq!(fw.name, "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CẤP XÃ");
    assert_eq!(fw.leaves.len(), 4);
    assert_eq!(
        fw.full_max(),
        thamdinh::Points::whole(4),
        "the bonus not in the max"
    );
    assert_eq!(fw.max_index, Some(thamdinh::Points::whole(100)));
    assert_eq!(fw.leaves[0].rule.kind(), "levels");
    assert_eq!(fw.leaves[1].rule.kind(), "ratio");
    assert!(fw.leaves[1].na);
    assert_eq!(fw.leaves[2].code, "1.2", "a criterion scored itself");
    assert_eq!(fw.leaves[3].rule.kind(), "bonus");
    assert!(back.toml.contains("kind = \"bonus\""), "{}", back.toml);
    // The file written loads as any framework does.
    assert!(thamdinh::load::framework_text("frameworks/xa-2026.toml", &back.toml).is_ok());
}

#[test]
fn the_roster_comes_from_a_list_keeping_council_toml_s_other_lines() {
    let folder = common::mini_copy();
    let council = folder.path().join("council.toml");
    let text = std::fs::read_to_string(&council).unwrap();
    let text = text.replacen(
        "[[member]]",
        "# Thành viên Hội đồng, theo Quyết định 99/QĐ-UBND\n[[member]]",
        1,
    );
    let text = text.replacen("name = \"Xã B\"", "name = \"Xã B\"  # tên cũ", 1);
    std::fs::write(&council, &text).unwrap();
    let list = folder.path().join("danh-sach.csv");
    std::fs::write(
        &list,
        "DANH SÁCH ĐƠN VỊ NĂM 2025\nMã đơn vị,Tên đơn vị,Nhóm,Tên ngắn,Sáp nhập từ\n\
         xa-b,Xã B,xa,,\nxa-a,Xã A mới,Xã,A,\"xa-a, xa-cu\"\nxa-c,Xã C,xa,,\nxa-d,Xã D,xa,D,\n",
    )
    .unwrap();
    let o = thamdinh(&[
        "roster",
        "import",
        folder.path().to_str().unwrap(),
        list.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("4 units in council.toml (1 added, 1 changed, 0 removed)"),
        "{}",
        out(&o)
    );
    let after = std::fs::read_to_string(&council).unwrap();
    assert!(
        after.contains("# Thành viên Hội đồng, theo Quyết định 99/QĐ-UBND\n[[member]]"),
        "{after}"
    );
    assert!(after.contains("name = \"Xã B\"  # tên cũ"), "{after}");
    let c = load(folder.path()).unwrap();
    let ids: Vec<&str> = c.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["xa-b", "xa-a", "xa-c", "xa-d"], "the list's order");
    let a = &c.units[c.unit_index("xa-a").unwrap()];
    assert_eq!(
        (a.name.as_str(), a.short.as_deref()),
        ("Xã A mới", Some("A"))
    );
    assert_eq!(a.formerly, ["xa-a", "xa-cu"]);
    // What the members and groups say is untouched.
    assert_eq!(
        after.split("[[member]]").nth(1),
        text.split("[[member]]").nth(1)
    );
}

#[test]
fn a_bad_roster_is_refused_by_its_cells_and_writes_nothing() {
    let folder = common::mini_copy();
    let council = folder.path().join("council.toml");
    let before = std::fs::read(&council).unwrap();
    let list = folder.path().join("ds.csv");
    std::fs::write(
        &list,
        "Mã đơn vị,Tên đơn vị,Nhóm\nxa-a,Xã A,xa\nxa-a,Xã A2,xa\nxa b,Xã B,xa\nxa-c,Xã C,huyen\nxa-d,,xa\n",
    )
    .unwrap();
    let said = out(&thamdinh(&[
        "roster",
        "import",
        folder.path().to_str().unwrap(),
        list.to_str().unwrap(),
    ]));
    for expected in [
        "ds.csv:3:1: unit xa-a is listed twice: first at 2:1",
        "ds.csv:4:1: unit id xa b is not valid",
        "ds.csv:5:3: unit xa-c: group huyen is not in council.toml (its groups: xa)",
        "ds.csv:6:2: unit xa-d: Tên đơn vị is empty",
        "refused; nothing was written",
    ] {
        assert!(said.contains(expected), "{expected}:\n{said}");
    }
    // A unit with a self-assessment is not dropped from the roster unseen.
    std::fs::write(
        &list,
        "Mã đơn vị,Tên đơn vị,Nhóm\nxa-a,Xã A,xa\nxa-c,Xã C,xa\n",
    )
    .unwrap();
    let said = out(&thamdinh(&[
        "roster",
        "import",
        folder.path().to_str().unwrap(),
        list.to_str().unwrap(),
    ]));
    assert!(
        said.contains("unit xa-b is not in the list but assessments/b.toml is its self-assessment"),
        "{said}"
    );
    assert!(
        said.contains("unit xa-b is not in the list but member binh is in conflict with it"),
        "{said}"
    );
    assert_eq!(std::fs::read(&council).unwrap(), before, "nothing written");
}

#[test]
fn a_new_year_starts_from_the_last_with_its_members_roster_frameworks_and_signed_result() {
    let (f, signed) = crate::compare::last_year();
    let last = f.path();
    let parent = tempfile::tempdir().unwrap();
    let new = parent.path().join("hoi-dong-2026");
    let o = thamdinh(&[
        "init",
        new.to_str().unwrap(),
        "--from",
        last.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", out(&o));
    let council = std::fs::read_to_string(new.join("council.toml")).unwrap();
    assert!(council.contains("year = 2026"), "{council}");
    let last_council = std::fs::read_to_string(last.join("council.toml")).unwrap();
    // Members with their keys.
    for line in last_council.lines().filter(|l| l.starts_with("pubkey")) {
        assert!(council.contains(line), "{line}");
    }
    // Frameworks moved on a year; nothing of last year's work.
    let fws: Vec<_> = std::fs::read_dir(new.join("frameworks"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(fws.len(), 1);
    let entries: Vec<String> = std::fs::read_dir(&new)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    for never in ["signed", ".thamdinh", "explanations"] {
        assert!(
            !entries.contains(&never.to_string()),
            "{never}: {entries:?}"
        );
    }
    assert_eq!(
        std::fs::read_dir(new.join("assessments")).unwrap().count(),
        0
    );
    assert!(
        std::fs::read_to_string(new.join("README.txt"))
            .unwrap()
            .contains("framework import")
    );
    // The new folder loads, each unit continuing itself, last year's result the comparison's.
    let c = load(&new).unwrap_or_else(|d| panic!("{}", d.render(thamdinh::i18n::Lang::En)));
    assert_eq!(c.year, 2026);
    assert_eq!(c.frameworks[0].id, "fw", "an id without a year keeps it");
    assert_eq!(c.frameworks[0].year, 2026);
    for u in &c.units {
        assert_eq!(u.formerly, std::slice::from_ref(&u.id));
    }
    assert_eq!(
        std::fs::canonicalize(c.previous.as_ref().unwrap()).unwrap(),
        std::fs::canonicalize(&signed).unwrap()
    );
    let o = thamdinh(&["compare", new.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    // Never over an existing folder.
    let o = thamdinh(&[
        "init",
        new.to_str().unwrap(),
        "--from",
        last.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
}

#[test]
fn a_framework_saved_by_libreoffice_as_ods_or_xlsx_comes_back_the_same() {
    if !common::program_available(
        "soffice",
        "--version",
        "libreoffice-calc",
        "the .ods framework checks",
    ) {
        return;
    }
    let c = load(&root().join("data/demo")).unwrap();
    let fw = c.frameworks.iter().find(|f| f.id == "xa-2025").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("xa.xlsx");
    std::fs::write(&file, framework::export(fw).unwrap()).unwrap();
    let out = dir.path().join("out");
    let profile = dir.path().join("profile");
    common::soffice_convert(&profile, "ods", &out, std::slice::from_ref(&file));
    common::soffice_convert(
        &profile,
        "xlsx:Calc MS Excel 2007 XML",
        &out,
        std::slice::from_ref(&file),
    );
    for saved in [out.join("xa.ods"), out.join("xa.xlsx")] {
        let back = framework::import(&saved, &fw.id, None, fw.year)
            .unwrap_or_else(|p| panic!("{}: {p:?}", saved.display()));
        assert_eq!(
            scored_by(&back.framework),
            scored_by(fw),
            "{}",
            saved.display()
        );
    }
}

#[test]
fn a_new_year_moves_the_frameworks_ids_everywhere_they_are_named() {
    let parent = tempfile::tempdir().unwrap();
    let last = parent.path().join("hd-2025");
    common::copy(&root().join("data/demo"), &last);
    let council = last.join("council.toml");
    let text = std::fs::read_to_string(&council).unwrap();
    let text = text.replacen(
        "conflicts = [\"so-noi-vu\"]",
        "conflicts = [\"so-noi-vu\"]\nfields = { \"xa-2025\" = [\"1\", \"2\"], \"so-2025\" = [\"3\"] }",
        1,
    );
    std::fs::write(&council, text).unwrap();
    let new = parent.path().join("hd-2026");
    let o = thamdinh(&[
        "init",
        new.to_str().unwrap(),
        "--from",
        last.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("no signed result"), "{}", out(&o));
    let c = load(&new).unwrap_or_else(|d| panic!("{}", d.render(thamdinh::i18n::Lang::En)));
    let ids: Vec<&str> = c.frameworks.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["so-2026", "xa-2026"]);
    assert!(new.join("frameworks/xa-2026.toml").is_file());
    let fields = c.member("binh").unwrap().fields.clone().unwrap();
    assert_eq!(fields.in_framework("xa-2026"), ["1", "2"]);
    assert_eq!(fields.in_framework("so-2026"), ["3"]);
    assert_eq!(c.name, "Hội đồng thẩm định Chỉ số CCHC năm 2026");
    assert!(c.previous.is_none());
    // The framework's comments are kept.
    let fw = std::fs::read_to_string(new.join("frameworks/xa-2026.toml")).unwrap();
    assert!(fw.starts_with("# Bộ tiêu chí"), "{fw}");
}

#[test]
fn a_roster_written_as_inline_tables_is_read_and_written_back_as_tables() {
    let folder = common::mini_copy();
    let council = folder.path().join("council.toml");
    let text = std::fs::read_to_string(&council).unwrap();
    let head = &text[..text.find("[[unit]]").unwrap()];
    let inline = "unit = [\n  { id = \"xa-a\", name = \"Xã A\", group = \"xa\" },\n  \
                  { id = \"xa-b\", name = \"Xã B\", group = \"xa\" },\n  \
                  { id = \"xa-c\", name = \"Xã C\", group = \"xa\" },\n]\n";
    // An inline array goes before the first table.
    let at = head.find("[[member]]").unwrap();
    std::fs::write(
        &council,
        format!("{}{inline}\n{}", &head[..at], &head[at..]),
    )
    .unwrap();
    load(folder.path()).unwrap_or_else(|d| panic!("{}", d.render(thamdinh::i18n::Lang::En)));
    let list = folder.path().join("ds.csv");
    std::fs::write(
        &list,
        "Mã đơn vị,Tên đơn vị,Nhóm\nxa-a,Xã A,xa\nxa-b,Xã B,xa\nxa-d,Xã D,xa\n",
    )
    .unwrap();
    // xa-c has no assessment and no conflict: it may go; the others stay.
    let o = thamdinh(&[
        "roster",
        "import",
        folder.path().to_str().unwrap(),
        list.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("(1 added, 0 changed, 1 removed: xa-c)"),
        "{}",
        out(&o)
    );
    let after = std::fs::read_to_string(&council).unwrap();
    assert!(!after.contains("unit = ["), "{after}");
    let c = load(folder.path()).unwrap();
    let ids: Vec<&str> = c.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["xa-a", "xa-b", "xa-d"]);
}
