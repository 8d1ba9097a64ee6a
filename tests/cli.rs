//! The command line as a secretariat runs it: check and rank, exit codes, messages.

use crate::common;

use std::path::PathBuf;
use std::process::{Command, Output};

use thamdinh::i18n::Lang;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn thamdinh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn check_accepts_the_demo_and_summarises_it_in_each_language() {
    let vi = [
        "bộ tiêu chí so-2025: 9 lĩnh vực, 35 tiêu chí, 51 tiêu chí thành phần",
        "bộ tiêu chí xa-2025: 8 lĩnh vực, 51 tiêu chí, 62 tiêu chí thành phần",
        "nhóm xa (Xã, phường): 17 đơn vị, 1 chưa nộp",
        "ok: mọi tệp đều nạp được",
    ];
    let en = [
        "framework so-2025: 9 fields, 35 criteria, 51 leaves",
        "framework xa-2025: 8 fields, 51 criteria, 62 leaves",
        "group xa (Xã, phường): 17 units, 1 not submitted",
        "ok: everything loads",
    ];
    // Vietnamese is the default.
    for (args, expected) in [(vec!["check"], vi), (vec!["--lang", "en", "check"], en)] {
        let o = thamdinh(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        for line in expected {
            assert!(out.contains(line), "{args:?}: {line}\n{out}");
        }
    }
}

#[test]
fn rank_csv_matches_the_independently_computed_ranking() {
    let o = thamdinh(&["rank", "data/demo", "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = std::fs::read_to_string(root().join("tests/expected/demo-ranking.csv")).unwrap();
    assert_eq!(stdout(&o), expected);
    assert!(!stdout(&o).contains('\r'), "lines end with LF");
}

#[test]
fn rank_table_aligns_vietnamese_by_display_width() {
    let o = thamdinh(&["rank", "--format", "table"]);
    assert!(o.status.success());
    let out = stdout(&o);
    let block: Vec<&str> = out.split("\n\n").next().unwrap().lines().skip(1).collect();
    // The index column is right-aligned: its end stands at one display column on every line.
    let ends: Vec<usize> = block
        .iter()
        .map(|l| {
            let cells: Vec<&str> = l.split("  ").filter(|c| !c.is_empty()).collect();
            let index_cell = cells[cells.len() - 2].trim();
            let at = l.rfind(index_cell).unwrap() + index_cell.len();
            unicode_width::UnicodeWidthStr::width(&l[..at])
        })
        .collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "{ends:?}\n{out}");
    assert!(out.contains("Xã Nà Khoang (chưa nộp)"), "{out}");
}

#[test]
fn english_labels_with_lang_en() {
    let o = thamdinh(&["--lang", "en", "rank"]);
    assert!(
        stdout(&o).starts_with("Sở, ban, ngành (so)\nRank"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_broken_folder_exits_1_listing_each_problem() {
    let o = thamdinh(&["check", "tests/fixtures/broken/three-decimals"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("assessments/a.toml:14:10: điểm 1.125 có hơn hai chữ số thập phân"),
        "{err}"
    );
    assert!(err.contains("1 lỗi nên chưa nạp được gì"), "{err}");
    let o = thamdinh(&[
        "--lang",
        "en",
        "check",
        "tests/fixtures/broken/three-decimals",
    ]);
    assert!(
        stderr(&o).contains("assessments/a.toml:14:10: points 1.125 has more than two decimals"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("1 problem found; nothing was loaded"),
        "{}",
        stderr(&o)
    );
    let o = thamdinh(&["rank", "tests/fixtures/broken/three-decimals"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "a refused folder prints no ranking");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        thamdinh(&["rank", "--format", "xml"]).status.code(),
        Some(2)
    );
    assert_eq!(thamdinh(&["frobnicate"]).status.code(), Some(2));
}

/// `decide` on a council and session, in a language, with the given arguments.
fn decide(lang: &str, m: &str, s: &str, args: &[&str]) -> Output {
    let mut all = vec![
        "--lang",
        lang,
        "decide",
        m,
        "--session",
        s,
        "--member",
        "an",
    ];
    all.extend_from_slice(args);
    thamdinh(&all)
}

#[test]
fn decide_undo_log_and_rank_through_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let mini = root().join("tests/fixtures/mini");
    let session = dir.path().join("s.db");
    let (m, s) = (mini.to_str().unwrap(), session.to_str().unwrap());
    let ok = decide(
        "vi",
        m,
        s,
        &[
            "--unit",
            "xa-a",
            "--code",
            "1.1.2",
            "--points",
            "0",
            "--comment",
            "Chưa được công nhận",
        ],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(
        stdout(&ok).contains("đã ghi #1: quyết định xa-a 1.1.2: tự chấm → 0 bởi an"),
        "{}",
        stdout(&ok)
    );
    let refused = decide(
        "vi",
        m,
        s,
        &["--unit", "xa-a", "--code", "1.1.1", "--points", "0.5"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused)
            .contains("bị từ chối, chưa ghi gì: 1.1.1: điểm khác điểm tự chấm, cần ghi lý do"),
        "{}",
        stderr(&refused)
    );
    let refused_en = decide(
        "en",
        m,
        s,
        &["--unit", "xa-a", "--code", "1.1.1", "--points", "0.5"],
    );
    assert!(
        stderr(&refused_en).contains("refused, nothing was recorded: 1.1.1: the appraised value differs from the unit's own, so a comment saying why is needed"),
        "{}",
        stderr(&refused_en)
    );
    // A value outside the leaf's rule is refused with what the rule allows.
    let outside = decide(
        "vi",
        m,
        s,
        &[
            "--unit",
            "xa-a",
            "--code",
            "1.1.2",
            "--points",
            "9",
            "--comment",
            "x",
        ],
    );
    assert!(
        stderr(&outside).contains("1.1.2: giá trị không hợp lệ; cách chấm: từ 0 đến 2"),
        "{}",
        stderr(&outside)
    );
    let csv = stdout(&thamdinh(&["rank", m, "--session", s, "--format", "csv"]));
    assert!(
        csv.contains("xa,2,xa-a,Xã A,5.05,3.55,6.00,59.17,Khá"),
        "{csv}"
    );
    let log = stdout(&thamdinh(&["log", m, "--session", s, "--format", "csv"]));
    assert_eq!(
        log.lines().count(),
        2,
        "one event and the header: the refusal recorded nothing\n{log}"
    );
    // Hash, recorder and signature close the row: a council that lists no
    // key records its events unsigned.
    let mut fields = log.lines().nth(1).unwrap().rsplitn(4, ',');
    let (sig, recorder) = (fields.next().unwrap(), fields.next().unwrap());
    let (hash, row) = (fields.next().unwrap(), fields.next().unwrap());
    assert_eq!((recorder, sig), ("", ""), "{log}");
    assert!(
        row.ends_with(",an,decide,xa-a,1.1.2,,0.00,Chưa được công nhận,,1"),
        "{log}"
    );
    assert!(
        hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "the event's link in the hash chain: {log}"
    );
    assert!(
        thamdinh(&["undo", m, "--session", s, "--member", "an"])
            .status
            .success()
    );
    let csv = stdout(&thamdinh(&["rank", m, "--session", s, "--format", "csv"]));
    assert!(
        csv.contains("xa,1,xa-a,Xã A,5.05,5.05,6.00,84.17,Tốt"),
        "{csv}"
    );
    assert_eq!(
        thamdinh(&["undo", m, "--session", s, "--member", "an"])
            .status
            .code(),
        Some(1)
    );
}

/// What a secretary reads from the commands of a year, in one language: the
/// check, a decision and a refusal, undo, redo and their refusals, the log,
/// the ranking, a key, a sign-off, verify, reopen and the exports.
fn a_year_of_messages(lang: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let council = dir.path().join("c");
    std::fs::create_dir_all(&council).unwrap();
    common::copy(&root().join("tests/fixtures/mini"), &council);
    let c = council.to_str().unwrap();
    let key = dir.path().join("an.key");
    let mut said = String::new();
    let mut run = |args: &[&str]| {
        let mut all = vec!["--lang", lang];
        all.extend_from_slice(args);
        let o = Command::new(env!("CARGO_BIN_EXE_thamdinh"))
            .args(&all)
            .env("THAMDINH_PASSWORD", "")
            .output()
            .unwrap();
        said += &stdout(&o);
        said += &stderr(&o);
        o
    };
    run(&["check", c]);
    run(&["undo", c, "--member", "an"]);
    run(&[
        "decide", c, "--member", "an", "--unit", "xa-a", "--code", "1.1.1", "--points", "0.5",
    ]);
    run(&[
        "decide",
        c,
        "--member",
        "an",
        "--unit",
        "xa-a",
        "--code",
        "1.1.2",
        "--points",
        "9",
        "--comment",
        "x",
    ]);
    run(&[
        "decide", c, "--member", "binh", "--unit", "xa-b", "--code", "1.1.1", "--points", "1",
    ]);
    run(&[
        "decide",
        c,
        "--member",
        "an",
        "--unit",
        "xa-a",
        "--code",
        "1.1.1",
        "--na",
        "--comment",
        "x",
    ]);
    run(&[
        "decide",
        c,
        "--member",
        "an",
        "--unit",
        "xa-a",
        "--code",
        "1.1.2",
        "--points",
        "0",
        "--comment",
        "Chưa công nhận",
    ]);
    run(&["undo", c, "--member", "an"]);
    run(&["redo", c, "--member", "an"]);
    run(&["redo", c, "--member", "an"]);
    run(&["log", c]);
    run(&["rank", c]);
    run(&["reopen", c, "--member", "an", "--reason", "x"]);
    let o = run(&[
        "keygen",
        "--member",
        "an",
        "--key",
        key.to_str().unwrap(),
        "--no-password",
    ]);
    assert!(o.status.success(), "{said}");
    // Refusals that come from deeper down: a key never overwritten, a session
    // file that is not one.
    run(&[
        "keygen",
        "--member",
        "an",
        "--key",
        key.to_str().unwrap(),
        "--no-password",
    ]);
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    let o2 = run(&["rank", c, "--session", empty.to_str().unwrap()]);
    assert_eq!(o2.status.code(), Some(1), "{said}");
    let pubkey = stdout(&o)
        .lines()
        .find_map(|l| {
            l.strip_prefix("pubkey = \"")
                .map(|k| k.trim_end_matches('"').to_string())
        })
        .expect("the public key line");
    // Binh approves in writing, which is signed: a key of his own.
    let binh_key = dir.path().join("binh.key");
    let o = run(&[
        "keygen",
        "--member",
        "binh",
        "--key",
        binh_key.to_str().unwrap(),
        "--no-password",
    ]);
    let binh_pubkey = stdout(&o)
        .lines()
        .find_map(|l| {
            l.strip_prefix("pubkey = \"")
                .map(|k| k.trim_end_matches('"').to_string())
        })
        .expect("the public key line");
    let toml = std::fs::read_to_string(council.join("council.toml")).unwrap();
    std::fs::write(
        council.join("council.toml"),
        toml.replacen(
            "id = \"an\"\n",
            &format!("id = \"an\"\npubkey = \"{pubkey}\"\n"),
            1,
        )
        .replacen(
            "id = \"binh\"\n",
            &format!("id = \"binh\"\npubkey = \"{binh_pubkey}\"\n"),
            1,
        ),
    )
    .unwrap();
    let (an, binh) = (key.to_str().unwrap(), binh_key.to_str().unwrap());
    // The council approves the result: attendance, a refused vote, two votes.
    run(&["attend", c, "--member", "an", "--key", an]);
    run(&["attend", c, "--member", "binh", "--absent", "--key", binh]);
    run(&["vote", c, "--member", "binh", "--approve", "--key", binh]);
    run(&[
        "attend",
        c,
        "--member",
        "binh",
        "--written",
        "Văn bản số 3/TB",
        "--key",
        binh,
    ]);
    run(&[
        "vote",
        c,
        "--member",
        "an",
        "--approve",
        "--comment",
        "Đồng ý",
        "--key",
        an,
    ]);
    run(&["approval", c]);
    let o = run(&[
        "signoff",
        c,
        "--member",
        "an",
        "--key",
        key.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{said}");
    let signed = std::fs::read_dir(council.join("signed"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    run(&["verify", signed.to_str().unwrap()]);
    // A tampered folder: a changed file, an added one, a missing one.
    std::fs::write(signed.join("ranking.csv"), "x\n").unwrap();
    std::fs::write(signed.join("extra.txt"), "x\n").unwrap();
    std::fs::remove_file(signed.join("log.csv")).unwrap();
    let o = run(&["verify", signed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{said}");
    run(&["export", c]);
    run(&["export", c, "--format", "csv", "-o", c]);
    said
}

#[test]
fn no_word_of_the_other_language_in_the_command_lines_messages() {
    // The council's files and what the test itself types as a reason may show in either language.
    let data = common::council_text(&root().join("tests/fixtures/mini")) + " Chưa công nhận";
    for (lang, other, name) in [(Lang::Vi, Lang::En, "vi"), (Lang::En, Lang::Vi, "en")] {
        let said = a_year_of_messages(name);
        let foreign = common::words_only_in(other, lang, &data);
        assert!(foreign.len() > 50, "{foreign:?}");
        let leaked = common::leaked(&foreign, &said);
        assert!(leaked.is_empty(), "--lang {name} says {leaked:?}:\n{said}");
    }
    // The default is Vietnamese.
    let o = thamdinh(&["rank", "tests/fixtures/mini"]);
    assert!(stdout(&o).contains("Xếp loại"), "{}", stdout(&o));
}

#[test]
fn help_and_usage_errors_speak_the_language_of_the_run() {
    // Every command and argument has its words in both help tables.
    for lang in [Lang::Vi, Lang::En] {
        let cmd = thamdinh::cli::command(lang);
        for sub in cmd.get_subcommands() {
            assert!(
                sub.get_about().is_some_and(|a| !a.to_string().is_empty()),
                "{lang:?}: {} has no help",
                sub.get_name()
            );
            for a in sub.get_arguments() {
                assert!(
                    a.get_help().is_some_and(|h| !h.to_string().is_empty()),
                    "{lang:?}: {} {} has no help",
                    sub.get_name(),
                    a.get_id()
                );
            }
        }
    }
    let data = common::council_text(&root().join("tests/fixtures/mini"));
    let names: Vec<String> = thamdinh::cli::command(Lang::En)
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for (lang, other, flag) in [(Lang::Vi, Lang::En, "vi"), (Lang::En, Lang::Vi, "en")] {
        let foreign = common::words_only_in(other, lang, &data);
        let mut said = stdout(&thamdinh(&["--lang", flag, "--help"]));
        for name in &names {
            said += &stdout(&thamdinh(&["--lang", flag, name, "--help"]));
        }
        // Usage errors: an unknown command, a bad value, a missing flag.
        for args in [
            vec!["frobnicate"],
            vec!["rank", "--format", "xml"],
            vec!["decide", "--member", "an"],
        ] {
            let mut all = vec!["--lang", flag];
            all.extend(args);
            let o = thamdinh(&all);
            assert_eq!(o.status.code(), Some(2), "{all:?}");
            said += &stderr(&o);
        }
        // Help texts name the flags and files they are about; those are not words.
        let leaked: Vec<&String> = common::leaked(&foreign, &said)
            .into_iter()
            .filter(|w| !names.iter().any(|n| n.contains(w.as_str())))
            .collect();
        assert!(
            leaked.is_empty(),
            "--lang {flag} help says {leaked:?}:\n{said}"
        );
    }
    let o = thamdinh(&["--help"]);
    assert!(stdout(&o).contains("Cách dùng: thamdinh"), "{}", stdout(&o));
}

#[test]
fn a_session_that_is_not_there_is_said_never_read_as_no_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let mini = root().join("tests/fixtures/mini");
    let m = mini.to_str().unwrap();
    // A typo in --session for a reading command.
    let typo = dir.path().join("sesion.db");
    for cmd in ["rank", "log", "export"] {
        let o = thamdinh(&[cmd, m, "--session", typo.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        assert!(
            stderr(&o).contains("không có phiên ở") && stderr(&o).contains("sesion.db"),
            "{cmd}: {}",
            stderr(&o)
        );
    }
    // A write-ahead log left without its session: moved or deleted while open.
    let s = dir.path().join("s.db");
    std::fs::write(dir.path().join("s.db-wal"), b"left over").unwrap();
    for args in [
        vec!["rank", m, "--session", s.to_str().unwrap()],
        vec![
            "decide",
            m,
            "--session",
            s.to_str().unwrap(),
            "--member",
            "an",
            "--unit",
            "xa-a",
            "--code",
            "1.1.1",
            "--points",
            "1",
        ],
    ] {
        let o = thamdinh(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains("s.db-wal"), "{}", stderr(&o));
        assert!(!s.exists(), "nothing created over it");
    }
}

#[test]
fn what_the_user_typed_comes_back_without_escape_sequences() {
    let typed = "x\u{1b}[2J\u{1b}]0;owned\u{7}y";
    let mini = root().join("tests/fixtures/mini");
    for args in [
        vec![typed],
        vec!["--lang", "en", typed],
        vec![
            "decide",
            mini.to_str().unwrap(),
            "--session",
            "/nonexistent/dir/s.db",
            "--member",
            typed,
            "--unit",
            typed,
            "--code",
            "1.1.1",
            "--points",
            "1",
        ],
        vec!["rank", typed],
    ] {
        let o = thamdinh(&args);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        let all = [o.stdout, o.stderr].concat();
        assert!(
            !all.contains(&0x1b) && !all.contains(&0x07),
            "{args:?}: {}",
            String::from_utf8_lossy(&all)
        );
    }
}

#[test]
fn the_rank_table_sets_the_self_index_beside_the_index_it_compares_with() {
    for (lang, header) in [
        ("en", "Points   Max  Index  Self index  Band"),
        ("vi", "Chỉ số  Chỉ số tự chấm"),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_thamdinh"))
            .args(["--lang", lang, "rank"])
            .arg(common::root().join("tests/fixtures/mini"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains(header), "{text}");
    }
}
