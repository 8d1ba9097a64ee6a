//! The papers an office signs, as Word documents per Nghị định 30: read back
//! part by part (page, margins, fonts, the heading, repeated headers, rows
//! unsplit, signature blocks kept with their text, the annex against the
//! ranking), printed to PDF by LibreOffice and read again, and a round's
//! notices with the day their explanation is due.

use std::path::Path;
use std::process::Command;

use crate::common;
use common::{on_council as run, printed as said};

fn ok(args: &[&str], folder: &Path) -> String {
    let o = run(args, folder);
    assert!(o.status.success(), "{args:?}: {}", said(&o));
    said(&o)
}

/// One part of a .docx (or any zip) as text.
fn part(path: &Path, inner: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut z.by_name(inner).unwrap(), &mut s).unwrap();
    s
}

/// The demo council, its chair with a key, with a decision, and a member's
/// attendance and vote recorded on his behalf by the chair.
fn council() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join(".thamdinh"));
    let _ = std::fs::remove_dir_all(dir.path().join("signed"));
    let f = dir.path();
    common::give_key(f, "an", None);
    common::decide(f, "an", "so-y-te", "1.1.2", "1", "Thiếu phụ lục");
    ok(&["attend", "--member", "cuong", "--by", "an"], f);
    ok(&["vote", "--member", "cuong", "--by", "an", "--approve"], f);
    dir
}

/// The text of every `<w:t>` of a document part, a paragraph a line.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    for p in xml.split("</w:p>") {
        for t in p.split("<w:t xml:space=\"preserve\">").skip(1) {
            out += t.split("</w:t>").next().unwrap_or_default();
        }
        out.push('\n');
    }
    out.replace("&amp;", "&")
}

#[test]
fn the_minutes_and_the_draft_decision_are_word_documents_laid_out_per_decree_30() {
    let dir = council();
    let f = dir.path();
    let out = f.join("out");
    ok(&["export", "-o", out.to_str().unwrap()], f);
    let again = f.join("again");
    ok(&["export", "-o", again.to_str().unwrap()], f);
    let rank = ok(&["rank", "--format", "csv"], f);
    for name in ["bien-ban.docx", "du-thao-quyet-dinh.docx"] {
        let path = out.join(name);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(again.join(name)).unwrap(),
            "{name}: the same state, the same bytes"
        );
        let doc = part(&path, "word/document.xml");
        let styles = part(&path, "word/styles.xml");
        // A4 portrait, then the annex on A4 landscape; the decree's margins
        // (top and bottom 20 mm, left 30 mm, right 15 mm, in twips).
        assert!(
            doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"),
            "{name}"
        );
        assert!(
            doc.ends_with("<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/><w:pgMar w:top=\"1133\" w:right=\"850\" w:bottom=\"1133\" w:left=\"1700\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"),
            "{name}: the last section is the landscape annex"
        );
        // Times New Roman 14 pt, in Vietnamese.
        assert!(
            styles.contains("w:ascii=\"Times New Roman\"")
                && styles.contains("<w:sz w:val=\"28\"/>")
                && styles.contains("w:val=\"vi-VN\""),
            "{name}"
        );
        // The national name in one run, bold, 12 pt; the motto underlined.
        assert!(
            doc.contains("<w:r><w:rPr><w:b/><w:bCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t></w:r>"),
            "{name}"
        );
        assert!(
            doc.contains("<w:u w:val=\"single\"/>")
                && doc.contains(">Độc lập - Tự do - Hạnh phúc</w:t>"),
            "{name}"
        );
        // Every row unsplit; header rows repeat.
        let rows = doc.matches("<w:tr>").count();
        assert_eq!(doc.matches("<w:cantSplit/>").count(), rows, "{name}");
        assert!(doc.matches("<w:tblHeader/>").count() >= 2, "{name}");
        // The annex: every unit with its index as the ranking has it.
        let text = text_of(&doc);
        let mut ranking = csv::Reader::from_reader(rank.as_bytes());
        for row in ranking.records().map(Result::unwrap) {
            let (unit, index) = (&row[3], &row[7]);
            assert!(
                text.lines().any(|l| l.contains(unit)) && text.contains(index),
                "{name}: {unit} {index}"
            );
        }
    }
    // The minutes: the assisting team apart, the vote recorded on behalf said
    // so, the signature blocks kept with the text before them.
    let doc = part(&out.join("bien-ban.docx"), "word/document.xml");
    let text = text_of(&doc);
    assert!(text.contains("Thành viên Hội đồng (6 người):"), "{text}");
    assert!(
        text.contains("tán thành (Nguyễn Văn An ghi tại cuộc họp)"),
        "{text}"
    );
    assert!(
        text.contains("x (Nguyễn Văn An ghi tại cuộc họp)"),
        "{text}"
    );
    // The HTML minutes say the same.
    let html = std::fs::read_to_string(out.join("bien-ban.html")).unwrap();
    assert!(
        html.contains("✓ (Nguyễn Văn An ghi tại cuộc họp)")
            && html.contains("tán thành (Nguyễn Văn An ghi tại cuộc họp)"),
        "{html}"
    );
    assert!(text.contains("Thiếu phụ lục"), "{text}");
    let signing = doc.find(">THƯ KÝ</w:t>").unwrap();
    let before = &doc[..signing];
    let last_para = before.rfind("<w:p>").unwrap();
    assert!(
        before[last_para..].contains("<w:keepNext/>"),
        "the signature block's first line is kept with the next"
    );
    let lead_in = before[..before.rfind("<w:tbl>").unwrap()]
        .rfind("<w:p>")
        .unwrap();
    assert!(
        before[lead_in..].contains("<w:keepNext/>")
            && before[lead_in..].contains("Biên bản được lập thành"),
        "the text before the signatures is kept with them"
    );
    let draft = text_of(&part(
        &out.join("du-thao-quyet-dinh.docx"),
        "word/document.xml",
    ));
    assert!(
        draft.contains("QUYẾT ĐỊNH")
            && draft.contains("Về việc công bố Chỉ số cải cách hành chính năm 2025")
            && draft.contains("Điều 1. "),
        "{draft}"
    );
    printed(f, &out);
}

/// Each paper printed by LibreOffice: A4, the heading on one line, the
/// annex landscape, set in Times New Roman or its metric twin.
fn printed(f: &Path, out: &Path) {
    if !common::program_available(
        "soffice",
        "--version",
        "libreoffice-writer",
        "the Word papers printed to PDF",
    ) {
        return;
    }
    let said = ok(&["export", "--pdf", "-o", out.to_str().unwrap()], f);
    assert!(
        said.contains("bien-ban.pdf") && said.contains("du-thao-quyet-dinh.pdf"),
        "{said}"
    );
    for name in ["bien-ban", "du-thao-quyet-dinh"] {
        let pdf = out.join(format!("{name}.pdf"));
        let info = String::from_utf8(
            Command::new("pdfinfo")
                .arg("-l")
                .arg("99")
                .arg(&pdf)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let size_of = |page: usize| {
            info.lines()
                .find(|l| l.starts_with(&format!("Page {page:>4} size:")))
                .unwrap_or_default()
                .to_string()
        };
        assert!(size_of(1).contains("595.3"), "{name}: {info}");
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(
            size_of(pages).contains("size:  841.8"),
            "{name}: the annex is landscape\n{info}"
        );
        let text = String::from_utf8(
            Command::new("pdftotext")
                .args(["-layout"])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert!(
            text.lines()
                .any(|l| l.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
            "{name}: the national name on one line\n{text}"
        );
        let fonts =
            String::from_utf8(Command::new("pdffonts").arg(&pdf).output().unwrap().stdout).unwrap();
        // Every letter, Vietnamese ones included, in Times New Roman or its
        // metric twin: no fallback font.
        let faces: Vec<&str> = fonts
            .lines()
            .skip(2)
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert!(
            !faces.is_empty()
                && faces
                    .iter()
                    .all(|f| f.contains("LiberationSerif") || f.contains("TimesNewRoman")),
            "{name}: {fonts}"
        );
        // The first and the last page as pictures, for a look.
        for page in ["1".to_string(), pages.to_string()] {
            let o = Command::new("pdftoppm")
                .args(["-png", "-r", "50", "-f", &page, "-l", &page])
                .arg(&pdf)
                .arg(out.join(format!("{name}-{page}")))
                .output()
                .unwrap();
            assert!(o.status.success());
        }
    }
}

#[test]
fn a_rounds_notices_are_word_documents_with_the_day_the_explanation_is_due() {
    let dir = council();
    let f = dir.path();
    ok(
        &[
            "decide",
            "--member",
            "an",
            "--unit",
            "so-y-te",
            "--code",
            "1.2.1",
            "--ask",
            "Đề nghị gửi báo cáo quý",
        ],
        f,
    );
    // A reason a spreadsheet would run stays text, with no apostrophe added.
    common::decide(f, "an", "so-y-te", "1.1.1", "0", "=1+1");
    let bad = run(
        &[
            "round",
            "close",
            "--member",
            "an",
            "--deadline",
            "15/01/2026",
        ],
        f,
    );
    assert!(!bad.status.success());
    assert!(
        said(&bad).contains("--deadline 15/01/2026 is not a date: write it as YYYY-MM-DD"),
        "{}",
        said(&bad)
    );
    ok(
        &[
            "round",
            "close",
            "--member",
            "an",
            "--deadline",
            "2026-01-15",
        ],
        f,
    );
    let docx = f.join("notices/round-1/so-y-te.docx");
    let doc = part(&docx, "word/document.xml");
    let text = text_of(&doc);
    assert!(
        text.contains("THÔNG BÁO") && text.contains("Kính gửi: Sở Y tế"),
        "{text}"
    );
    assert!(text.contains("trước ngày 15/01/2026"), "{text}");
    assert!(
        text.contains("Thiếu phụ lục") && text.contains("Đề nghị gửi báo cáo quý"),
        "{text}"
    );
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    {
        use calamine::{Reader, Xlsx, open_workbook};
        let mut wb: Xlsx<_> = open_workbook(f.join("notices/round-1/so-y-te.xlsx")).unwrap();
        let form = wb.worksheet_range("Giải trình").unwrap();
        let cells: Vec<String> = form.cells().map(|(_, _, c)| c.to_string()).collect();
        assert!(cells.iter().any(|c| c == "=1+1"), "{cells:?}");
        assert!(!cells.iter().any(|c| c.starts_with("'=")), "{cells:?}");
    }
    // Printed by LibreOffice: one A4 page, its heading on one line.
    if common::program_available(
        "soffice",
        "--version",
        "libreoffice-writer",
        "the Word notice printed to PDF",
    ) {
        let profile = tempfile::tempdir().unwrap();
        let pdfs = tempfile::tempdir().unwrap();
        common::soffice_convert(
            profile.path(),
            "pdf",
            pdfs.path(),
            std::slice::from_ref(&docx),
        );
        let pdf = pdfs.path().join("so-y-te.pdf");
        let text = String::from_utf8(
            Command::new("pdftotext")
                .arg("-layout")
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.lines()
                .any(|l| l.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
                && text.contains("THÔNG BÁO")
                && flat.contains("trước ngày 15/01/2026"),
            "{text}"
        );
        let o = Command::new("pdftoppm")
            .args(["-png", "-r", "50", "-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg(pdfs.path().join("page"))
            .output()
            .unwrap();
        assert!(o.status.success());
    }
    // Written again later: the same bytes, the same day.
    let first = std::fs::read(&docx).unwrap();
    std::fs::remove_dir_all(f.join("notices")).unwrap();
    ok(&["notices", "--round", "1"], f);
    assert_eq!(std::fs::read(&docx).unwrap(), first);

    // `explanation_days` in council.toml counts from the close.
    let toml = std::fs::read_to_string(f.join("council.toml")).unwrap();
    let toml = toml.replacen("year = 2025\n", "year = 2025\nexplanation_days = 7\n", 1);
    std::fs::write(f.join("council.toml"), toml).unwrap();
    ok(
        &[
            "decide",
            "--member",
            "an",
            "--unit",
            "so-y-te",
            "--code",
            "1.2.2",
            "--ask",
            "Giải trình thời hạn",
        ],
        f,
    );
    ok(&["round", "close", "--member", "an"], f);
    let today = thamdinh::session::time::vietnam(&thamdinh::session::utc_now()).unwrap();
    let due = jiff::civil::date(today.0 as i16, today.1 as i8, today.2 as i8)
        .checked_add(jiff::Span::new().days(7))
        .unwrap();
    let text = text_of(&part(
        &f.join("notices/round-2/so-y-te.docx"),
        "word/document.xml",
    ));
    assert!(
        text.contains(&format!("trước ngày {}", due.strftime("%d/%m/%Y"))),
        "{text}"
    );
    // A wrong number of days is refused at its place.
    let toml = std::fs::read_to_string(f.join("council.toml")).unwrap();
    std::fs::write(
        f.join("council.toml"),
        toml.replacen("explanation_days = 7", "explanation_days = 0", 1),
    )
    .unwrap();
    let o = run(&["check"], f);
    assert!(
        said(&o).contains("`explanation_days` is 0: the days a unit has to explain"),
        "{}",
        said(&o)
    );
}

#[test]
fn the_workbook_shows_each_rounds_points_and_charts_each_groups_indexes() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = council();
    let f = dir.path();
    ok(&["round", "close", "--member", "an"], f);
    common::decide(f, "an", "so-y-te", "1.1.2", "1.5", "Đã bổ sung một phần");
    let out = f.join("out");
    ok(&["export", "-o", out.to_str().unwrap()], f);
    let path = out.join("ket-qua.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = wb.worksheet_range("so-y-te").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| *c == "Vòng 1"))
        .expect("a column per round");
    let col = |name: &str| rows[header].iter().position(|c| *c == name).unwrap();
    let (r1, r2) = (col("Vòng 1"), col("Vòng 2"));
    let leaf = rows
        .iter()
        .find(|r| r.first().is_some_and(|c| *c == "1.1.2"))
        .unwrap();
    // Self 2, round 1 decided 1, round 2 decided 1.5.
    assert_eq!(
        (leaf[r1].to_string(), leaf[r2].to_string()),
        ("1".into(), "1.5".into())
    );
    // Each group's ranking sheet carries a bar chart of its indexes.
    let charts = (1..=2)
        .filter(|i| {
            zip::ZipArchive::new(std::fs::File::open(&path).unwrap())
                .unwrap()
                .by_name(&format!("xl/charts/chart{i}.xml"))
                .is_ok()
        })
        .count();
    assert_eq!(charts, 2, "a chart per group");
    let chart = part(&path, "xl/charts/chart1.xml");
    assert!(chart.contains("<c:barChart>") && chart.contains("Chỉ số CCHC năm 2025"));
}
