//! Hostile spreadsheets: a few kilobytes that once aborted the program or asked for
//! gigabytes, and a hidden sheet that once was read instead of the visible one, are each
//! refused with a message naming the file, and the good forms of the same call come in.

use crate::common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::on_council as run;
use common::printed as said;
use unicode_normalization::UnicodeNormalization;

/// `thamdinh --lang en ARGS…`.
fn thamdinh(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args(["--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

/// The demo council, a good form (a department's, pre-filled from its
/// assessment) and the filled form of xa-vinh-an to damage.
fn council_and_forms() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let good = dir.path().join("so-noi-vu.xlsx");
    let o = run(
        &["form", "--unit", "so-noi-vu", "-o", good.to_str().unwrap()],
        dir.path(),
    );
    assert!(o.status.success(), "{}", said(&o));
    let filled = dir.path().join("forms/xa-vinh-an.xlsx");
    (dir, good, filled)
}

/// A copy of the workbook at `from` with each part as `change` makes it
/// (`None`: unchanged), the parts stored with deflate as a spreadsheet would.
fn rezip(from: &Path, to: &Path, change: impl Fn(&str, &[u8]) -> Option<Vec<u8>>) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut part = zin.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        let bytes = change(&name, &bytes).unwrap_or(bytes);
        zout.start_file(name, options).unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap();
}

/// Imports the good form and the hostile one in one call: the program ends
/// by itself (no abort, no signal), refuses the hostile file by its name
/// with `why`, and writes the good one.
fn refused_beside_a_good_form(dir: &Path, good: &Path, bad: &Path, why: &str) {
    let o = thamdinh(&[
        "import",
        dir.to_str().unwrap(),
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
        "--replace",
    ]);
    let text = said(&o);
    assert_eq!(o.status.code(), Some(1), "refused, not aborted: {text}");
    let name = bad.file_name().unwrap().to_str().unwrap();
    assert!(
        text.lines().any(|l| l.contains(name) && l.contains(why)),
        "the hostile file is named with why ({why}): {text}"
    );
    assert!(
        !text.contains("panicked") && !text.contains("memory allocation"),
        "{text}"
    );
    let good_name = good.file_name().unwrap().to_str().unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("imported ") && l.contains(good_name)),
        "the good form came in: {text}"
    );
}

#[test]
fn a_cell_at_the_last_column_and_row_is_refused_by_its_address() {
    let (dir, good, filled) = council_and_forms();
    let bad = dir.path().join("xfd.xlsx");
    rezip(&filled, &bad, |name, bytes| {
        (name == "xl/worksheets/sheet1.xml").then(|| {
            String::from_utf8_lossy(bytes)
                .replacen(
                    "</sheetData>",
                    "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>",
                    1,
                )
                .into_bytes()
        })
    });
    assert!(std::fs::metadata(&bad).unwrap().len() < 64 * 1024);
    refused_beside_a_good_form(dir.path(), &good, &bad, "XFD1048576");
}

#[test]
fn a_count_of_strings_no_file_holds_is_refused() {
    let (dir, good, filled) = council_and_forms();
    let bad = dir.path().join("strings.xlsx");
    rezip(&filled, &bad, |name, bytes| {
        (name == "xl/sharedStrings.xml").then(|| {
            String::from_utf8_lossy(bytes)
                .replacen("uniqueCount=\"", "uniqueCount=\"1000000000000\" x=\"", 1)
                .into_bytes()
        })
    });
    refused_beside_a_good_form(dir.path(), &good, &bad, "");
}

#[test]
fn a_sheet_that_inflates_beyond_any_form_is_refused() {
    let (dir, good, filled) = council_and_forms();
    let bad = dir.path().join("padded.xlsx");
    rezip(&filled, &bad, |name, bytes| {
        (name == "xl/worksheets/sheet1.xml").then(|| {
            let text = String::from_utf8_lossy(bytes);
            let padding = " ".repeat(70 * 1024 * 1024);
            text.replacen("</sheetData>", &format!("{padding}</sheetData>"), 1)
                .into_bytes()
        })
    });
    assert!(std::fs::metadata(&bad).unwrap().len() < 1024 * 1024);
    refused_beside_a_good_form(dir.path(), &good, &bad, "64 MB");
}

#[test]
fn a_hidden_sheet_named_like_the_form_refuses_the_file() {
    let (dir, good, filled) = council_and_forms();
    let bad = dir.path().join("hidden.xlsx");
    // A very hidden sheet first, its name spelled in NFD, on the same part.
    let nfd: String = "Tự đánh giá".nfd().collect();
    rezip(&filled, &bad, |name, bytes| {
        (name == "xl/workbook.xml").then(|| {
            String::from_utf8_lossy(bytes)
                .replacen(
                    "<sheets>",
                    &format!("<sheets><sheet name=\"{nfd}\" sheetId=\"2\" state=\"veryHidden\" r:id=\"rId1\"/>"),
                    1,
                )
                .into_bytes()
        })
    });
    refused_beside_a_good_form(dir.path(), &good, &bad, "hidden sheet");
    // The same file without its hidden sheet comes in.
    let o = thamdinh(&[
        "import",
        dir.path().to_str().unwrap(),
        filled.to_str().unwrap(),
        "--replace",
    ]);
    assert!(o.status.success(), "{}", said(&o));
}

#[test]
fn a_batch_of_decisions_with_a_cell_beyond_any_sheet_is_refused_by_decide_from() {
    let (dir, _good, filled) = council_and_forms();
    let bad = dir.path().join("batch.xlsx");
    rezip(&filled, &bad, |name, bytes| {
        (name == "xl/worksheets/sheet1.xml").then(|| {
            String::from_utf8_lossy(bytes)
                .replacen(
                    "</sheetData>",
                    "<row r=\"1048576\"><c r=\"AZ1048576\"><v>1</v></c></row></sheetData>",
                    1,
                )
                .into_bytes()
        })
    });
    let o = run(
        &["decide", "--member", "an", "--from", bad.to_str().unwrap()],
        dir.path(),
    );
    let text = said(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("AZ1048576"), "{text}");
    assert!(!dir.path().join(".thamdinh/session.db").exists() || !text.contains("recorded"));
}
