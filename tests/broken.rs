//! Every folder in tests/fixtures/broken has one defect; loading it must fail
//! with a message at the right file and line, and load nothing.

use crate::common;
use common::copy;

use std::path::Path;

use thamdinh::load::load;

struct Expect {
    path: String,
    line: usize,
    part: String,
}

fn expect(dir: &Path) -> Expect {
    let text =
        std::fs::read_to_string(dir.join("expect")).expect("every broken case has an expect file");
    let mut lines = text.lines();
    Expect {
        path: lines.next().unwrap().to_string(),
        line: lines.next().unwrap().parse().unwrap(),
        part: lines.next().unwrap_or("").to_string(),
    }
}

#[test]
fn every_broken_folder_is_refused_at_the_right_place() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 25,
        "at least 25 broken cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let e = expect(dir);
        match load(dir) {
            Ok(_) => failures.push(format!("{name}: loaded, but it should be refused")),
            Err(diags) => {
                let hit = diags.0.iter().any(|d| {
                    d.path == e.path && d.line == e.line && d.message.en.contains(&e.part)
                });
                if !hit {
                    failures.push(format!(
                        "{name}: expected {}:{}: …{}…, got:\n{diags}",
                        e.path, e.line, e.part
                    ));
                }
                // No cascade: one defect gives one message.
                if diags.len() != 1 {
                    failures.push(format!(
                        "{name}: one defect should give one message, got {}:\n{diags}",
                        diags.len()
                    ));
                }
                for d in &diags.0 {
                    assert!(d.line >= 1 && d.column >= 1, "{name}: {d}");
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_valid_fixture_loads() {
    let mini = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    load(&mini).unwrap_or_else(|d| panic!("mini should load:\n{d}"));
}

#[test]
fn many_problems_are_all_reported() {
    let dir = common::mini_copy();
    let a = dir.path().join("assessments/a.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    let text = text
        .replace("points = 1.5", "points = 1.125")
        .replace("numerator = 96", "numerator = 101");
    std::fs::write(&a, text).unwrap();
    let b = dir.path().join("assessments/b.toml");
    let text = std::fs::read_to_string(&b)
        .unwrap()
        .replace("points = 0.5", "pointz = 0.5");
    std::fs::write(&b, text).unwrap();
    let diags = load(dir.path()).unwrap_err();
    let shown = diags.to_string();
    assert_eq!(diags.len(), 3, "{shown}");
    assert!(
        shown.contains("assessments/a.toml:14:10: points 1.125 has more than two decimals"),
        "{shown}"
    );
    assert!(
        shown.contains("assessments/a.toml:19:13: 1.2: numerator 101 is above denominator 100"),
        "{shown}"
    );
    assert!(
        shown.contains("assessments/b.toml:7:1: unknown key `pointz`"),
        "{shown}"
    );
}

#[test]
fn a_bom_and_decomposed_vietnamese_are_accepted() {
    let dir = common::mini_copy();
    let c = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&c)
        .unwrap()
        .replace("Xã A", "Xa\u{303} A\\u001b[31m");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(text.as_bytes());
    std::fs::write(&c, bytes).unwrap();
    let council = load(dir.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(council.units[0].name, "Xã A");
}

#[test]
fn a_missing_folder_is_reported() {
    let diags = load(Path::new("/nonexistent/council")).unwrap_err();
    assert!(diags.to_string().contains("no such folder"), "{diags}");
}

/// `thamdinh check` on every broken folder, in each language: refused at the
/// same place, and in the words of that language only.
#[test]
fn every_broken_folder_is_refused_in_the_language_of_the_run() {
    use thamdinh::i18n::Lang;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut failures = Vec::new();
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let e = expect(dir);
        let data = common::council_text(dir);
        for (lang, other, flag) in [(Lang::Vi, Lang::En, "vi"), (Lang::En, Lang::Vi, "en")] {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
                .args(["--lang", flag, "check"])
                .arg(dir)
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&o.stderr).to_string();
            if o.status.code() != Some(1) {
                failures.push(format!("{name} --lang {flag}: exit {:?}", o.status.code()));
            }
            let place = format!("{}:{}:", e.path, e.line);
            if !said.contains(&place) {
                failures.push(format!("{name} --lang {flag}: no {place} in:\n{said}"));
            }
            let foreign = common::words_only_in(other, lang, &data);
            let leaked = common::leaked(&foreign, &said);
            if !leaked.is_empty() {
                failures.push(format!("{name} --lang {flag} says {leaked:?}:\n{said}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn thousands_of_problems_in_one_file_are_all_found_and_listed_up_to_a_cap() {
    let dir = common::mini_copy();
    let a = dir.path().join("assessments/a.toml");
    let mut text = std::fs::read_to_string(&a).unwrap();
    for i in 0..5_000 {
        text += &format!("\n[[item]]\ncode = \"9.9.{i}\"\npoints = 1\n");
    }
    std::fs::write(&a, text).unwrap();
    let d = load(dir.path()).unwrap_err();
    assert_eq!(d.len(), 5_000, "every problem is found");
    // Each at its own line: item i's code is 4 lines after item i-1's.
    let lines: Vec<usize> = d.0.iter().map(|x| x.line).collect();
    assert!(
        lines.windows(2).all(|w| w[1] == w[0] + 4),
        "{:?}",
        &lines[..5]
    );
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args(["check"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("assessments/a.toml:") && l.contains("9.9."))
            .count(),
        thamdinh::diag::PER_FILE,
        "{err}"
    );
    assert!(
        err.contains("assessments/a.toml: … và 4900 lỗi khác trong tệp này"),
        "{err}"
    );
    assert!(err.contains("5000 lỗi nên chưa nạp được gì"), "{err}");
}

#[test]
fn a_note_longer_than_a_few_pages_is_refused_at_its_line() {
    let dir = common::mini_copy();
    let a = dir.path().join("assessments/a.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    let with = |n: usize| {
        text.replacen(
            "points = 1.5\n",
            &format!("points = 1.5\nnote = \"{}\"\n", "ễ".repeat(n)),
            1,
        )
    };
    let max = thamdinh::load::MAX_NOTE;
    std::fs::write(&a, with(max)).unwrap();
    assert!(load(dir.path()).is_ok(), "a note of {max} characters loads");
    std::fs::write(&a, with(max + 1)).unwrap();
    let d = load(dir.path()).unwrap_err();
    assert_eq!(d.len(), 1, "{d}");
    let line = text.lines().position(|l| l == "points = 1.5").unwrap() + 2;
    assert_eq!(
        (d.0[0].path.as_str(), d.0[0].line),
        ("assessments/a.toml", line),
        "{d}"
    );
    assert!(
        d.0[0]
            .message
            .en
            .contains(&format!("the note is {} characters long", max + 1)),
        "{d}"
    );
}

#[test]
fn names_labels_and_guides_are_bounded_at_their_line() {
    let (text_max, note_max) = (thamdinh::load::MAX_TEXT, thamdinh::load::MAX_NOTE);
    // (file, line as found, key, what is put on it given a length, the bound)
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        fn(usize) -> String,
        usize,
    );
    let cases: [Case; 4] = [
        (
            "council.toml",
            "name = \"Xã A\"",
            "`name`",
            |n| format!("name = \"{}\"", "Ủ".repeat(n)),
            text_max,
        ),
        (
            "frameworks/fw.toml",
            "name = \"Kế hoạch\"",
            "`name`",
            |n| format!("name = \"{}\"", "k".repeat(n)),
            text_max,
        ),
        (
            "frameworks/fw.toml",
            "levels = [{ points = 1, label = \"Đúng hạn\" }, { points = 0.5, label = \"Chậm\" }, { points = 0, label = \"Không\" }]",
            "`label`",
            |n| {
                format!(
                    "levels = [{{ points = 1, label = \"{}\" }}, {{ points = 0.5, label = \"Chậm\" }}, {{ points = 0, label = \"Không\" }}]",
                    "l".repeat(n)
                )
            },
            text_max,
        ),
        (
            "frameworks/fw.toml",
            "name = \"Kế hoạch\"",
            "`guide`",
            |n| format!("name = \"Kế hoạch\"\nguide = \"{}\"", "g".repeat(n)),
            note_max,
        ),
    ];
    for (file, find, key, put, max) in cases {
        let dir = common::mini_copy();
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut line = text
            .lines()
            .position(|l| l.trim() == find)
            .unwrap_or_else(|| panic!("{file}: {find}"))
            + 1;
        if key == "`guide`" {
            line += 1;
        }
        std::fs::write(&path, text.replacen(find, &put(max + 1), 1)).unwrap();
        let d = load(dir.path()).unwrap_err();
        let found =
            d.0.iter()
                .find(|x| x.path == file && x.line == line && x.message.en.contains(key))
                .unwrap_or_else(|| panic!("{file}:{line} {key}: {d}"));
        assert!(
            found
                .message
                .en
                .contains(&format!("{} characters long", max + 1))
                && found.message.vi.contains("ký tự"),
            "{d}"
        );
        // The message never echoes the text.
        assert!(d.to_string().len() < 2_000, "{}", d.to_string().len());
        std::fs::write(&path, text.replacen(find, &put(max), 1)).unwrap();
        assert!(load(dir.path()).is_ok(), "{file} {key} at the bound loads");
    }
}

#[test]
fn a_reason_longer_than_a_note_is_refused_and_nothing_is_recorded() {
    let dir = common::mini_copy();
    let max = thamdinh::load::MAX_NOTE;
    let run = |reason: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
            .args(["--lang", "en", "decide", "--member", "an", "--unit", "xa-a"])
            .args(["--code", "1.1.1", "--points", "0", "--comment", reason])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let o = run(&"ễ".repeat(max + 1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains(&format!("the reason is {} characters long", max + 1)),
        "{err}"
    );
    assert!(err.len() < 1_000, "the reason is not echoed back");
    let o = run(&"ễ".repeat(max));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[cfg(unix)]
#[test]
fn every_file_that_would_be_skipped_or_hang_is_named_instead() {
    use std::os::unix::ffi::OsStrExt;
    let mini = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let fifo = common::mkfifo;
    type Case = (&'static str, Box<dyn Fn(&Path)>, &'static str);
    let cases: Vec<Case> = vec![
        (
            "a name that is not UTF-8",
            Box::new(|d: &Path| {
                let name = std::ffi::OsStr::from_bytes(b"x\xe0\xff.toml");
                std::fs::rename(
                    d.join("assessments/b.toml"),
                    d.join("assessments").join(name),
                )
                .unwrap();
            }),
            "is not valid UTF-8",
        ),
        (
            "an upper-case extension",
            Box::new(|d: &Path| {
                std::fs::rename(d.join("assessments/b.toml"), d.join("assessments/b.TOML"))
                    .unwrap();
            }),
            "name it `b.toml`",
        ),
        (
            "a trailing space",
            Box::new(|d: &Path| {
                std::fs::rename(d.join("assessments/b.toml"), d.join("assessments/b.toml "))
                    .unwrap();
            }),
            "name it `b.toml`",
        ),
        (
            "a pipe named like an assessment",
            Box::new(move |d: &Path| fifo(&d.join("assessments/c.toml"))),
            "not a regular file",
        ),
        (
            "a link to a pipe",
            Box::new(move |d: &Path| {
                fifo(&d.join("evidence/p"));
                std::os::unix::fs::symlink(d.join("evidence/p"), d.join("assessments/c.toml"))
                    .unwrap();
            }),
            "not a regular file",
        ),
        (
            "a link to /dev/zero",
            Box::new(|d: &Path| {
                std::os::unix::fs::symlink("/dev/zero", d.join("assessments/c.toml")).unwrap();
            }),
            "out of the council folder",
        ),
        (
            "council.toml a pipe",
            Box::new(move |d: &Path| {
                std::fs::remove_file(d.join("council.toml")).unwrap();
                fifo(&d.join("council.toml"));
            }),
            "not a regular file",
        ),
    ];
    for (what, make, said) in cases {
        let dir = tempfile::tempdir().unwrap();
        copy(&mini, dir.path());
        make(dir.path());
        let d = common::load_within(dir.path()).map(|_| ()).unwrap_err();
        assert!(
            d.0.iter().any(|x| x.message.en.contains(said)),
            "{what}: {d}"
        );
    }
}
