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
    assert!(
        text.contains(
            "not everything came in: 1 imported, 1 refused (listed above) of the 2 files given"
        ) && !text.contains("ok: everything loads"),
        "the import does not end with an ok: {text}"
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

/// A small deterministic generator of the mutations (the same cases on every run).
fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// Imports every file in one call under a 3 GB address space: the import ends
/// by itself (no abort, no signal), prints no panic, and names every file,
/// imported or refused.
fn each_read_or_refused(dir: &Path, files: &[PathBuf], what: &str) {
    let mut args = vec!["import", dir.to_str().unwrap()];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    args.push("--replace");
    let o = thamdinh_within(&args, 3 * 1024 * 1024 * 1024);
    let text = said(&o);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{what}: the import ended by itself ({:?}): {}",
        o.status,
        text.lines().last().unwrap_or("")
    );
    assert!(!text.contains("panicked"), "{text}");
    for f in files {
        let name = f.file_name().unwrap().to_str().unwrap();
        assert!(text.contains(name), "{name} is imported or refused");
    }
}

/// An OpenDocument sheet of one row of `cells` cells repeated `rows` times.
fn ods(path: &Path, rows: u64, cells: u64) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", deflated).unwrap();
    z.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
          <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
          <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
          <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>",
    )
    .unwrap();
    z.start_file("content.xml", deflated).unwrap();
    write!(
        z,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Tự đánh giá\">\
         <table:table-row table:number-rows-repeated=\"{rows}\">\
         <table:table-cell table:number-columns-repeated=\"{cells}\" office:value-type=\"string\"><text:p>x</text:p></table:table-cell>\
         </table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    .unwrap();
    z.finish().unwrap();
}

/// `thamdinh --lang en ARGS…` with at most this much address space, as a
/// machine that has no more would run it.
fn thamdinh_within(args: &[&str], bytes: u64) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"));
    cmd.args(["--lang", "en"]).args(args);
    // SAFETY: only setrlimit runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let l = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            libc::setrlimit(libc::RLIMIT_AS, &l);
            Ok(())
        });
    }
    cmd.output().unwrap()
}

#[test]
fn an_ods_whose_rows_repeat_far_beyond_a_form_is_stopped_in_a_process_of_its_own() {
    let (dir, good, _filled) = council_and_forms();
    let bad = dir.path().join("repeated.ods");
    ods(&bad, 100_000, 1_000);
    assert!(std::fs::metadata(&bad).unwrap().len() < 4 * 1024);
    refused_beside_a_good_form(dir.path(), &good, &bad, "reading it stopped");
}

#[test]
fn a_few_hundred_mutated_workbooks_are_each_read_or_refused_and_none_aborts() {
    let (dir, _good, filled) = council_and_forms();
    let cases = tempfile::tempdir().unwrap();
    let form = std::fs::read(&filled).unwrap();
    let small = cases.path().join("small.ods");
    ods(&small, 3, 4);
    let sheet = std::fs::read(&small).unwrap();
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
    for (base, ext, count) in [(&form, "xlsx", 200), (&sheet, "ods", 100)] {
        let mut files = Vec::new();
        for i in 0..count {
            let mut bytes = base.clone();
            // A few bytes changed, a run cut out, or the tail cut off.
            match next() % 3 {
                0 => {
                    for _ in 0..1 + next() % 8 {
                        let at = (next() as usize) % bytes.len();
                        bytes[at] = next() as u8;
                    }
                }
                1 => {
                    let at = (next() as usize) % bytes.len();
                    let len = ((next() as usize) % 64).min(bytes.len() - at);
                    bytes.drain(at..at + len);
                }
                _ => bytes.truncate((next() as usize) % bytes.len()),
            }
            let path = cases.path().join(format!("case-{i:03}.{ext}"));
            std::fs::write(&path, bytes).unwrap();
            files.push(path);
        }
        each_read_or_refused(dir.path(), &files, ext);
    }
}

#[test]
fn a_survey_result_another_file_already_gives_is_refused_at_its_row_and_the_folder_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let given = std::fs::read_to_string(dir.path().join("surveys/sipas-2025.toml")).unwrap();
    let table: toml::Table = given.parse().unwrap();
    let first = &table["result"].as_array().unwrap()[0];
    let (unit, code) = (
        first["unit"].as_str().unwrap(),
        first["code"].as_str().unwrap(),
    );
    let csv = dir.path().join("lan-hai.csv");
    std::fs::write(&csv, format!("unit,code,points\n{unit},{code},1\n")).unwrap();
    let o = thamdinh(&[
        "import-survey",
        dir.path().to_str().unwrap(),
        csv.to_str().unwrap(),
        "--name",
        "Lần hai",
    ]);
    let text = said(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "lan-hai.csv:2:1: {unit} {code}: surveys/sipas-2025.toml already gives this result"
        )),
        "{text}"
    );
    assert!(!dir.path().join("surveys/lan-hai.toml").exists());
    let o = run(&["rank"], dir.path());
    assert!(o.status.success(), "the folder still loads: {}", said(&o));
}

#[test]
fn evidence_reached_through_a_folder_link_out_of_the_council_counts_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("1-1-1.pdf"), b"%PDF-1.4 elsewhere").unwrap();
    // The unit's evidence folder replaced by a link to a folder elsewhere.
    let own = dir.path().join("evidence/so-noi-vu");
    std::fs::remove_dir_all(&own).unwrap();
    std::os::unix::fs::symlink(outside.path(), &own).unwrap();
    let c = thamdinh::load::load(dir.path()).unwrap();
    let u = c.unit_index("so-noi-vu").unwrap();
    let cited: Vec<&thamdinh::model::Evidence> = c.assessments[u]
        .claims
        .iter()
        .flat_map(|cl| cl.evidence.iter())
        .filter(|e| e.file() == Some("evidence/so-noi-vu/1-1-1.pdf"))
        .collect();
    assert!(!cited.is_empty(), "the demo cites it");
    assert!(
        cited.iter().all(|e| !e.file_exists),
        "a file reached through a folder link out of the council is not evidence in the folder"
    );
    // A link that stays inside the folder is followed.
    std::fs::remove_file(&own).unwrap();
    std::fs::create_dir_all(dir.path().join("evidence/kho")).unwrap();
    std::fs::write(dir.path().join("evidence/kho/1-1-1.pdf"), b"%PDF-1.4").unwrap();
    std::os::unix::fs::symlink(dir.path().join("evidence/kho"), &own).unwrap();
    let c = thamdinh::load::load(dir.path()).unwrap();
    let present = c.assessments[u]
        .claims
        .iter()
        .flat_map(|cl| cl.evidence.iter())
        .filter(|e| e.file() == Some("evidence/so-noi-vu/1-1-1.pdf"))
        .all(|e| e.file_exists);
    assert!(present);
}

#[test]
fn a_value_of_megabytes_is_echoed_cut_and_a_sheet_of_errors_is_listed_a_hundred_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("tests/fixtures/mini"), dir.path());
    let sheets = tempfile::tempdir().unwrap();
    // One unit id of 10 MB: refused, its id shown cut.
    let long = sheets.path().join("dai.csv");
    let id = "x".repeat(10 * 1024 * 1024);
    std::fs::write(&long, format!("unit,code,points,comment\n{id},1.1.1,1,x\n")).unwrap();
    let o = run(
        &["decide", "--member", "an", "--from", long.to_str().unwrap()],
        dir.path(),
    );
    let text = said(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(text.len() < 4096, "{} bytes printed", text.len());
    assert!(text.contains("xxx…"), "{}", &text[..text.len().min(600)]);
    // 150 unreadable rows: a hundred listed, then how many more.
    let many = sheets.path().join("nhieu.csv");
    let mut csv = String::from("unit,code,points\n");
    for _ in 0..150 {
        csv += "xa-a,1.1.1,abc\n";
    }
    std::fs::write(&many, csv).unwrap();
    let o = run(
        &["decide", "--member", "an", "--from", many.to_str().unwrap()],
        dir.path(),
    );
    let text = said(&o);
    assert_eq!(
        text.lines().filter(|l| l.contains("`abc`")).count(),
        100,
        "{text}"
    );
    assert!(
        text.contains("… and 50 more problems in this file"),
        "{text}"
    );
}

#[test]
fn a_council_folder_whose_name_holds_escape_sequences_never_reaches_the_terminal_raw() {
    let top = tempfile::tempdir().unwrap();
    let folder = top.path().join("hội-đồng\u{1b}]0;owned\u{7}\u{1b}[2J");
    common::copy(&common::root().join("tests/fixtures/mini"), &folder);
    let form = folder.join("xa-a\u{1b}[31m.xlsx");
    let f = folder.to_str().unwrap();
    for args in [
        vec!["check", f],
        vec![
            "decide",
            f,
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
        vec!["round", "close", f, "--member", "an"],
        vec!["log", f, "--verify"],
        vec!["form", f, "--unit", "xa-a", "-o", form.to_str().unwrap()],
        vec!["import", f, form.to_str().unwrap(), "--replace"],
        vec![
            "export",
            f,
            "--format",
            "csv",
            "-o",
            top.path().to_str().unwrap(),
        ],
    ] {
        let o = thamdinh(&args);
        let text = said(&o);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{:?} echoed a control character: {text:?}",
            &args[..1]
        );
        if ["check", "round", "log"].contains(&args[0]) {
            assert!(
                text.contains("hội-đồng"),
                "{:?} names the folder: {text}",
                &args[..1]
            );
        }
    }
}

#[test]
fn temporary_files_a_killed_export_left_are_cleared_by_the_next_export() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("tests/fixtures/mini"), dir.path());
    let out = dir.path().join("export");
    std::fs::create_dir_all(&out).unwrap();
    // What a process killed while it wrote left: its id is no running process's.
    let dead = 4_000_000;
    let stray = out.join(format!(".ket-qua.csv.{dead}.tmp"));
    std::fs::write(&stray, b"half").unwrap();
    let o = run(
        &[
            "export",
            "--format",
            "csv",
            "-o",
            out.join("ket-qua.csv").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", said(&o));
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_hundred_mutated_xls_workbooks_are_each_read_or_refused_in_a_process_of_their_own() {
    if !common::program_available(
        "soffice",
        "--version",
        "libreoffice-calc",
        "the checks on mutated .xls workbooks",
    ) {
        return;
    }
    let (dir, _good, filled) = council_and_forms();
    let made = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    common::soffice_convert(
        profile.path(),
        "xls",
        made.path(),
        std::slice::from_ref(&filled),
    );
    let xls = made.path().join("xa-vinh-an.xls");
    // The form as an .xls, untouched, comes in.
    let o = thamdinh(&[
        "import",
        dir.path().to_str().unwrap(),
        xls.to_str().unwrap(),
        "--replace",
    ]);
    assert!(o.status.success(), "{}", said(&o));
    let base = std::fs::read(&xls).unwrap();
    let mut next = xorshift(0xD1B5_4A32_D192_ED03);
    let mut files = Vec::new();
    for i in 0..100 {
        let mut bytes = base.clone();
        for _ in 0..1 + next() % 16 {
            let at = (next() as usize) % bytes.len();
            bytes[at] = next() as u8;
        }
        if i % 4 == 0 {
            bytes.truncate((next() as usize) % bytes.len());
        }
        let path = made.path().join(format!("case-{i:03}.xls"));
        std::fs::write(&path, bytes).unwrap();
        files.push(path);
    }
    each_read_or_refused(dir.path(), &files, "xls");
}

#[test]
fn an_ods_that_also_holds_an_xlsx_s_parts_is_still_read_apart() {
    let (dir, good, _filled) = council_and_forms();
    let plain = dir.path().join("plain.ods");
    ods(&plain, 100_000, 1_000);
    // The same sheet, with an xlsx's workbook part beside it.
    let bad = dir.path().join("two-faced.ods");
    let mut zin = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(&bad).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..zin.len() {
        zout.raw_copy_file(zin.by_index(i).unwrap()).unwrap();
    }
    zout.start_file("xl/workbook.xml", stored).unwrap();
    zout.write_all(b"<workbook/>").unwrap();
    zout.finish().unwrap();
    refused_beside_a_good_form(dir.path(), &good, &bad, "reading it stopped");
}
