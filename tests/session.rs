//! The session: rules of a decision, undo/redo, reconciliation, refused databases,
//! durability under SIGKILL, and two processes writing at once.

use crate::common;
use common::copy;
use common::{on_council as thamdinh, printed as text};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use thamdinh::Points;
use thamdinh::appraisal::{Change, Refusal};
use thamdinh::load::load;
use thamdinh::model::Council;
use thamdinh::session::{DecideError, Session, State};

fn mini_copy() -> (tempfile::TempDir, Council) {
    let dir = tempfile::tempdir().unwrap();
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
        dir.path(),
    );
    let c = load(dir.path()).unwrap();
    (dir, c)
}

fn session(place: &Path) -> Session {
    Session::open(place, true).unwrap_or_else(|e| panic!("{e:#}"))
}

/// Where a test's session is kept: the SQLite file beside the council, or a
/// fresh database on the throwaway PostgreSQL server.
#[derive(Clone, Copy, Debug)]
enum On {
    Sqlite,
    Postgres,
}

/// A fresh mini council and the place of its session on `on`; `None` when
/// that store is not installed (said once).
fn mini_on(on: On) -> Option<(tempfile::TempDir, Council, PathBuf)> {
    let (dir, c) = mini_copy();
    let place = match on {
        On::Sqlite => dir.path().join(".thamdinh/session.db"),
        On::Postgres => PathBuf::from(common::pg::server()?.database()),
    };
    Some((dir, c, place))
}

/// Runs SQL on the session's store behind thamdinh's back, as another tool would.
fn behind_the_back(at: &Path, sql: &str) {
    match thamdinh::session::postgres::url(at) {
        Some(url) => {
            let db = url.split('?').next().unwrap().rsplit('/').next().unwrap();
            common::pg::server().unwrap().sql(db, sql);
        }
        None => rusqlite::Connection::open(at)
            .unwrap()
            .execute_batch(sql)
            .unwrap(),
    }
}

/// One value read from the session's store behind thamdinh's back.
fn read_behind(at: &Path, sql: &str) -> String {
    match thamdinh::session::postgres::url(at) {
        Some(url) => {
            let db = url.split('?').next().unwrap().rsplit('/').next().unwrap();
            common::pg::server().unwrap().sql(db, sql).concat()
        }
        None => rusqlite::Connection::open(at)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap(),
    }
}

/// Each test named, once on each store.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[test]
            fn $name() {
                super::$name(super::On::Sqlite)
            })*
        }
        mod on_postgres {
            $(#[test]
            fn $name() {
                super::$name(super::On::Postgres)
            })*
        }
    };
}

on_both_stores!(
    every_rule_of_a_decision_is_enforced_and_nothing_is_recorded,
    a_session_of_another_council_is_refused_before_anything_is_written,
    the_end_of_the_log_deleted_or_added_behind_the_back_is_named_and_writes_refused,
    applicable_again_takes_the_units_own_points_or_zero,
    decisions_flow_into_index_band_and_rank,
    undo_and_redo_are_events_and_chain,
    undo_refuses_when_another_member_changed_the_leaf_since,
    a_locked_session_refuses_decisions_until_reopened,
    changed_inputs_are_reported_and_decisions_kept_or_listed,
    a_second_process_sees_new_decisions_through_a_cheap_counter,
    acknowledged_decisions_survive_sigkill_at_random_moments,
    two_processes_record_500_decisions_each_and_none_is_lost,
    texts_read_back_from_the_session_are_cleaned,
    a_kept_snapshot_adds_up_as_the_whole_log_and_is_set_aside_when_the_council_changes,
    a_connection_that_only_writes_keeps_the_snapshot_of_what_it_replayed,
);

fn refusal(r: Result<thamdinh::session::Event, DecideError>) -> Refusal {
    match r {
        Err(DecideError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn pts(h: i64) -> Change {
    Change::Points(Points(h))
}

fn every_rule_of_a_decision_is_enforced_and_nothing_is_recorded(on: On) {
    let Some((_dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        Change,
        &'static str,
        fn(&Refusal) -> bool,
    );
    let cases: Vec<Case> = vec![
        ("zed", "xa-a", "1.1.1", pts(50), "x", |r| {
            matches!(r, Refusal::UnknownMember(_))
        }),
        ("an", "xa-z", "1.1.1", pts(50), "x", |r| {
            matches!(r, Refusal::UnknownUnit(_))
        }),
        ("an", "xa-a", "9.9", pts(50), "x", |r| {
            matches!(r, Refusal::UnknownLeaf { .. })
        }),
        ("an", "xa-a", "1.1.1", pts(75), "x", |r| {
            matches!(r, Refusal::Rule { .. })
        }),
        ("an", "xa-a", "1.1.2", pts(250), "x", |r| {
            matches!(r, Refusal::Rule { .. })
        }),
        ("an", "xa-a", "1.3", pts(25), "x", |r| {
            matches!(r, Refusal::Rule { .. })
        }),
        ("an", "xa-a", "1.3", pts(-125), "x", |r| {
            matches!(r, Refusal::Rule { .. })
        }),
        ("an", "xa-a", "1.2", pts(150), "x", |r| {
            matches!(r, Refusal::Rule { .. })
        }),
        ("an", "xa-a", "1.1.1", Change::Na, "x", |r| {
            matches!(r, Refusal::NaNotAllowed(_))
        }),
        ("an", "xa-a", "2.1", pts(50), "x", |r| {
            matches!(r, Refusal::Survey(_))
        }),
        ("binh", "xa-b", "1.1.1", pts(0), "x", |r| {
            matches!(r, Refusal::Conflict { .. })
        }),
        ("an", "xa-a", "1.1.1", pts(50), "", |r| {
            matches!(r, Refusal::CommentNeeded(_))
        }),
        ("an", "xa-a", "1.1.1", pts(50), "   ", |r| {
            matches!(r, Refusal::CommentNeeded(_))
        }),
    ];
    for (member, unit, code, change, comment, ok) in cases {
        let r = refusal(s.decide(&c, member, unit, code, &change, comment));
        assert!(ok(&r), "{member} {unit} {code} {change:?}: {r}");
    }
    assert!(
        s.events().unwrap().is_empty(),
        "a refused decision records nothing"
    );
    // A decision equal to the self points needs no comment.
    s.decide(&c, "an", "xa-a", "1.1.1", &pts(100), "").unwrap();
    // Ratio: band points or corrected figures.
    s.decide(&c, "an", "xa-a", "1.2", &pts(100), "Số liệu chưa khớp")
        .unwrap();
    s.decide(
        &c,
        "an",
        "xa-a",
        "1.2",
        &Change::Ratio(90, 100),
        "Đối chiếu hệ thống: 90/100",
    )
    .unwrap();
    let st = s.replay(&c).unwrap();
    let a = c.unit_index("xa-a").unwrap();
    assert_eq!(
        st.appraisal.value(&c, a, 2).points,
        Points(100),
        "90% reaches the 80% band: 1 point"
    );
}

fn applicable_again_takes_the_units_own_points_or_zero(on: On) {
    let Some((_dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    // xa-b declared 1.1.2 not applicable, so it claimed no points: applicable again means 0.
    s.decide(
        &c,
        "an",
        "xa-b",
        "1.1.2",
        &Change::Applicable(None),
        "Có phát sinh",
    )
    .unwrap();
    let st = s.replay(&c).unwrap();
    let b = c.unit_index("xa-b").unwrap();
    assert_eq!(
        st.appraisal.value(&c, b, 1),
        thamdinh::score::Value {
            points: Points::ZERO,
            na: false
        }
    );
}

fn decisions_flow_into_index_band_and_rank(on: On) {
    let Some((_dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    let a = c.unit_index("xa-a").unwrap();
    // xa-a self: 5.05 / 6. Lower 1.1.2 from 1.5 to 0: 3.55 / 6 = 59.17 → band Khá.
    s.decide(
        &c,
        "an",
        "xa-a",
        "1.1.2",
        &pts(0),
        "Sáng kiến chưa được công nhận",
    )
    .unwrap();
    let st = s.replay(&c).unwrap().appraisal.standings(&c);
    assert_eq!(st.units[a].score.total, Points(355));
    assert_eq!(st.units[a].score.index_text(), "59.17");
    assert_eq!(st.units[a].self_score.index_text(), "84.17");
    assert_eq!(c.frameworks[0].bands[st.units[a].band].name, "Khá");
    assert_eq!(st.units[a].rank, 2, "xa-b (72.50) now ranks first");
}

fn undo_and_redo_are_events_and_chain(on: On) {
    let Some((_dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    let a = c.unit_index("xa-a").unwrap();
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "một")
        .unwrap();
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(50), "hai")
        .unwrap();
    s.decide(&c, "an", "xa-a", "1.1.1", &pts(50), "ba").unwrap();
    let value = |s: &Session, leaf| s.replay(&c).unwrap().appraisal.value(&c, a, leaf).points;
    s.undo(&c, "an").unwrap();
    assert_eq!(value(&s, 0), Points(100), "back to self");
    s.undo(&c, "an").unwrap();
    assert_eq!(value(&s, 1), Points(100));
    let st = s.replay(&c).unwrap();
    assert_eq!(
        st.appraisal.decisions[&(a, 1)].comment,
        "một",
        "the comment in force before comes back"
    );
    s.undo(&c, "an").unwrap();
    assert_eq!(value(&s, 1), Points(150), "self again");
    assert!(matches!(
        refusal(s.undo(&c, "an")),
        Refusal::NothingToUndo(_)
    ));
    s.redo(&c, "an").unwrap();
    s.redo(&c, "an").unwrap();
    assert_eq!(value(&s, 1), Points(50));
    // A new decision clears what could be redone.
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(200), "bốn")
        .unwrap();
    assert!(matches!(
        refusal(s.redo(&c, "an")),
        Refusal::NothingToRedo(_)
    ));
    let kinds: Vec<String> = s.events().unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "decide", "decide", "decide", "undo", "undo", "undo", "redo", "redo", "decide"
        ]
    );
}

fn undo_refuses_when_another_member_changed_the_leaf_since(on: On) {
    let Some((_dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "an")
        .unwrap();
    s.decide(&c, "binh", "xa-a", "1.1.2", &pts(50), "binh")
        .unwrap();
    assert!(matches!(
        refusal(s.undo(&c, "an")),
        Refusal::ChangedSince { .. }
    ));
    s.undo(&c, "binh").unwrap();
    s.undo(&c, "an").unwrap();
}

fn a_locked_session_refuses_decisions_until_reopened(on: On) {
    let Some((_dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "x").unwrap();
    s.record("an", "signoff", "signed/2026-11-23-1").unwrap();
    assert!(matches!(
        refusal(s.decide(&c, "an", "xa-a", "1.1.2", &pts(50), "y")),
        Refusal::Locked
    ));
    assert!(matches!(refusal(s.undo(&c, "an")), Refusal::Locked));
    s.record("an", "reopen", "Sửa sai sót").unwrap();
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(50), "y").unwrap();
}

fn changed_inputs_are_reported_and_decisions_kept_or_listed(on: On) {
    let Some((dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    assert!(
        s.reconcile(&c).unwrap().is_empty(),
        "the first look takes a snapshot"
    );
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "giữ")
        .unwrap();
    s.decide(&c, "an", "xa-a", "1.3", &pts(-50), "mất").unwrap();
    s.decide(&c, "an", "xa-b", "1.1.1", &pts(0), "đơn vị bị xoá")
        .unwrap();
    // The framework loses leaf 1.3, xa-b leaves the roster, xa-a changes a self point.
    let fw = dir.path().join("frameworks/fw.toml");
    let text = std::fs::read_to_string(&fw).unwrap();
    let cut = text
        .find("  [[field.criterion]]\n  code = \"1.3\"")
        .unwrap();
    let end = text.find("[[field]]\ncode = \"2\"").unwrap();
    std::fs::write(&fw, format!("{}{}", &text[..cut], &text[end..])).unwrap();
    let a = dir.path().join("assessments/a.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    let text = text.replace("points = 1\n", "points = 0.5\n");
    let cut = text.find("[[item]]\ncode = \"1.3\"").unwrap();
    std::fs::write(&a, &text[..cut]).unwrap();
    std::fs::remove_file(dir.path().join("assessments/b.toml")).unwrap();
    let council = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&council).unwrap();
    let text = text
        .replace(
            "[[unit]]\nid = \"xa-b\"\nname = \"Xã B\"\ngroup = \"xa\"\n\n",
            "",
        )
        .replace("conflicts = [\"xa-b\"]\n", "");
    std::fs::write(&council, text).unwrap();
    std::fs::write(
        dir.path().join("surveys/s.toml"),
        "name = \"Khảo sát\"\n[[result]]\nunit = \"xa-a\"\ncode = \"2.1\"\npoints = 0.8\n",
    )
    .unwrap();

    let c2 = load(dir.path()).unwrap_or_else(|d| panic!("{d}"));
    let changes = s.reconcile(&c2).unwrap();
    let text = changes.join("\n");
    assert!(text.contains("unit xa-b was removed"), "{text}");
    assert!(text.contains("xa-a: leaf 1.3 was removed"), "{text}");
    assert!(
        text.contains("xa-a: self points of 1.1.1 changed from 1.00 to 0.50"),
        "{text}"
    );
    let st = s.replay(&c2).unwrap();
    let a = c2.unit_index("xa-a").unwrap();
    assert_eq!(
        st.appraisal.value(&c2, a, 1).points,
        Points(100),
        "the decision on 1.1.2 still applies"
    );
    let orphans: Vec<(String, String)> = st
        .orphans
        .iter()
        .map(|o| (o.unit.clone(), o.code.clone()))
        .collect();
    assert_eq!(
        orphans,
        [
            ("xa-a".to_string(), "1.3".to_string()),
            ("xa-b".to_string(), "1.1.1".to_string())
        ]
    );
    assert_eq!(
        s.events()
            .unwrap()
            .iter()
            .filter(|e| e.kind == "inputs")
            .count(),
        1,
        "the change is in the log"
    );
    assert!(s.reconcile(&c2).unwrap().is_empty(), "reported once");
}

#[test]
fn foreign_newer_and_damaged_databases_are_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let check = |name: &str, make: &dyn Fn(&Path), expect: &str| {
        let p = dir.path().join(name);
        make(&p);
        let before = std::fs::read(&p).unwrap();
        let err = match Session::open(&p, true) {
            Ok(_) => panic!("{name} should be refused"),
            Err(e) => format!("{e:#}"),
        };
        assert!(err.contains(expect), "{name}: {err}");
        assert_eq!(std::fs::read(&p).unwrap(), before, "{name} was changed");
    };
    check(
        "empty.db",
        &|p| std::fs::write(p, b"").unwrap(),
        "empty file, not a thamdinh session",
    );
    check(
        "other.db",
        &|p| {
            let c = rusqlite::Connection::open(p).unwrap();
            c.execute_batch("CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('x');")
                .unwrap();
        },
        "another program",
    );
    check(
        "newer.db",
        &|p| {
            drop(Session::open(p, true).unwrap());
            let c = rusqlite::Connection::open(p).unwrap();
            c.execute_batch("PRAGMA journal_mode=DELETE; PRAGMA user_version = 99;")
                .unwrap();
        },
        "newer thamdinh",
    );
    check(
        "garbage.db",
        &|p| std::fs::write(p, vec![0x5a; 8192]).unwrap(),
        "not a readable SQLite database",
    );
}

fn a_second_process_sees_new_decisions_through_a_cheap_counter(on: On) {
    let Some((_dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut writer = session(&at);
    let mut reader = session(&at);
    let mut state = reader.replay(&c).unwrap();
    assert!(!reader.changed_elsewhere().unwrap());
    writer
        .decide(&c, "an", "xa-a", "1.1.2", &pts(100), "x")
        .unwrap();
    // SQLite's counter moves at once; a server's notification comes within a second.
    let asked = Instant::now();
    while !reader.changed_elsewhere().unwrap() {
        assert!(
            asked.elapsed() < Duration::from_secs(1),
            "the reader heard of the decision within a second"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(reader.refresh(&c, &mut state).unwrap().len(), 1);
    assert!(!reader.changed_elsewhere().unwrap(), "heard once");
    assert_eq!(state.appraisal.decisions.len(), 1);
}

/// The child process of the crash and concurrency tests: records decisions and
/// prints `ack <event id> <value>` after each one is committed. Runs only when
/// started by those tests (with THAMDINH_CHILD set).
#[test]
#[ignore = "run as a child process by the crash and concurrency tests"]
fn child_decision_loop() {
    let Ok(folder) = std::env::var("THAMDINH_CHILD") else {
        return;
    };
    let member = std::env::var("THAMDINH_MEMBER").unwrap();
    let unit = std::env::var("THAMDINH_UNIT").unwrap();
    let count: u64 = std::env::var("THAMDINH_COUNT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX);
    let c = load(Path::new(&folder)).unwrap();
    let place = std::env::var("THAMDINH_PLACE").unwrap();
    let mut s = Session::open(Path::new(&place), true).unwrap();
    // Each decision signed by the member's own key.
    if let Ok(home) = std::env::var("THAMDINH_KEYS_HOME")
        && !home.is_empty()
    {
        common::keep_keys(Path::new(&folder), Path::new(&home));
        common::act_as(&mut s, Path::new(&folder), &member);
    }
    for i in 0..count {
        let h = (i % 9) as i64 * 25;
        let e = s
            .decide(&c, &member, &unit, "1.1.2", &pts(h), &format!("lần {i}"))
            .unwrap();
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "ack {} {}", e.id, Points(h)).unwrap();
        out.flush().unwrap();
    }
}

fn child(
    folder: &Path,
    place: &Path,
    member: &str,
    unit: &str,
    count: Option<u32>,
) -> std::process::Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--ignored",
        "--exact",
        &crate::test_name!("child_decision_loop"),
        "--nocapture",
        "--test-threads=1",
        "-q",
    ])
    .env("THAMDINH_CHILD", folder)
    .env("THAMDINH_PLACE", place)
    .env("THAMDINH_MEMBER", member)
    .env("THAMDINH_UNIT", unit)
    .env(
        "THAMDINH_KEYS_HOME",
        common::keys_home(folder).unwrap_or_default(),
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(n) = count {
        cmd.env("THAMDINH_COUNT", n.to_string());
    }
    cmd.spawn().unwrap()
}

/// Gives `an` and `binh` keys: the council as it loads then.
fn signing_members(folder: &Path) -> thamdinh::model::Council {
    for m in ["an", "binh"] {
        common::give_key(folder, m, None);
    }
    load(folder).unwrap()
}

fn acknowledged_decisions_survive_sigkill_at_random_moments(on: On) {
    let Some((dir, _, at)) = mini_on(on) else {
        return;
    };
    let c = signing_members(dir.path());
    drop(session(&at));
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut acked: Vec<(i64, String)> = Vec::new();
    for _ in 0..100 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = child(dir.path(), &at, "an", "xa-a", None);
        let stdout = child.stdout.take().unwrap();
        // The moment is random within the child's deciding: from its first
        // acknowledged decision (its start, the load and the key, takes
        // longer on a busy machine than the window itself).
        let (deciding, started) = std::sync::mpsc::channel();
        let lines = std::thread::spawn(move || {
            let mut out: Vec<String> = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("ack ") && !out.iter().any(|l| l.starts_with("ack ")) {
                    let _ = deciding.send(());
                }
                out.push(line);
            }
            out
        });
        let _ = started.recv_timeout(Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(seed % 60));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for line in lines.join().unwrap() {
            if let Some(rest) = line.strip_prefix("ack ") {
                let (id, v) = rest.split_once(' ').unwrap();
                acked.push((id.parse().unwrap(), v.to_string()));
            }
        }
    }
    assert!(
        acked.len() > 200,
        "the children acknowledged decisions ({})",
        acked.len()
    );
    let s = Session::open(&at, false).unwrap();
    let events = s.events().unwrap();
    let by_id: std::collections::HashMap<i64, &thamdinh::session::Event> =
        events.iter().map(|e| (e.id, e)).collect();
    for (id, v) in &acked {
        let e = by_id
            .get(id)
            .unwrap_or_else(|| panic!("acknowledged event {id} is lost"));
        assert_eq!(e.after.as_deref(), Some(v.as_str()), "event {id}");
    }
    if let On::Sqlite = on {
        let conn = rusqlite::Connection::open(&at).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }
    assert_eq!(
        s.verify_chain().map(|c| c.is_ok()),
        Some(true),
        "the chain is whole"
    );
    assert_eq!(
        s.verify_acts(&c).unwrap(),
        Ok(Some(1)),
        "every event signed by its member"
    );
    s.replay(&c).unwrap();
}

fn two_processes_record_500_decisions_each_and_none_is_lost(on: On) {
    let Some((dir, _, at)) = mini_on(on) else {
        return;
    };
    let c = signing_members(dir.path());
    drop(session(&at));
    let started = Instant::now();
    let a = child(dir.path(), &at, "an", "xa-b", Some(500));
    let b = child(dir.path(), &at, "binh", "xa-a", Some(500));
    for ch in [a, b] {
        let out = ch.wait_with_output().unwrap();
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| l.starts_with("ack "))
                .count(),
            500
        );
    }
    let s = Session::open(&at, false).unwrap();
    let events = s.events().unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == "decide").count(), 1000);
    assert_eq!(
        s.verify_chain().map(|c| c.is_ok()),
        Some(true),
        "the chain is whole"
    );
    assert_eq!(
        s.verify_acts(&c).unwrap(),
        Ok(Some(1)),
        "every event signed by its member"
    );
    assert_eq!(events.iter().filter(|e| e.member == "an").count(), 500);
    assert_eq!(events.iter().filter(|e| e.member == "binh").count(), 500);
    s.replay(&c).unwrap();
    eprintln!(
        "1000 decisions from two processes in {:?}",
        started.elapsed()
    );
}

fn texts_read_back_from_the_session_are_cleaned(on: On) {
    let Some((_dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "x").unwrap();
    drop(s);
    behind_the_back(
        &at,
        "UPDATE event SET comment = 'a\u{1b}[2Jb\u{7}c' WHERE id = 1",
    );
    let s = Session::open(&at, false).unwrap();
    assert_eq!(s.events().unwrap()[0].comment, "abc");
}

/// `thamdinh decide` on a fresh council, as a process.
fn first_decision(dir: &Path, code: &str, points: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args(["decide"])
        .arg(dir)
        .args(["--member", "an", "--unit", "xa-a", "--code", code])
        .args(["--points", points, "--comment", "lần đầu"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_kill_during_the_first_decision_never_leaves_a_broken_session() {
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..30 {
        let (dir, c) = mini_copy();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = first_decision(dir.path(), "1.1.2", "1");
        std::thread::sleep(Duration::from_micros(seed % 30_000));
        let _ = child.kill();
        child.wait().unwrap();
        let path = dir.path().join(".thamdinh/session.db");
        if path.exists() {
            // Either the session is whole (with or without the decision) …
            let s = Session::open(&path, false).unwrap_or_else(|e| panic!("{e:#}"));
            assert!(s.replay(&c).is_ok());
        }
        // … and the next decision always works.
        let mut s = session(&dir.path().join(".thamdinh/session.db"));
        s.decide(&c, "an", "xa-a", "1.1.1", &pts(50), "sau")
            .unwrap();
    }
}

#[test]
fn two_first_decisions_at_once_both_land_in_one_session() {
    for _ in 0..10 {
        let (dir, c) = mini_copy();
        let mut a = first_decision(dir.path(), "1.1.2", "1");
        let mut b = first_decision(dir.path(), "1.3", "-0.5");
        assert!(a.wait().unwrap().success());
        assert!(b.wait().unwrap().success());
        let s = session(&dir.path().join(".thamdinh/session.db"));
        let decided = s.replay(&c).unwrap().appraisal.decisions.len();
        assert_eq!(decided, 2, "both decisions are in the one session");
    }
}

/// A small tmpfs mounted for one test (needs root and the right to mount);
/// unmounted when dropped.
struct Mount(tempfile::TempDir);

impl Mount {
    fn tmpfs(size: &str, what: &str) -> Option<Mount> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: {what} (mounting a small tmpfs needs root)");
            return None;
        }
        Some(Mount(dir))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn remount(&self, how: &str) {
        let s = Command::new("mount")
            .args(["-o", &format!("remount,{how}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(s.success(), "remount {how}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

/// `thamdinh decide` by `an` on one leaf of `xa-a`.
fn decide_cli(folder: &Path, code: &str, points: &str) -> std::process::Output {
    thamdinh(
        &[
            "decide",
            "--member",
            "an",
            "--unit",
            "xa-a",
            "--code",
            code,
            "--points",
            points,
            "--comment",
            "kiểm tra",
        ],
        folder,
    )
}

/// A council on its own mount with two decisions recorded and the session closed.
fn council_on(m: &Mount) -> PathBuf {
    let folder = m.path().join("c");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
        &folder,
    );
    for (code, points) in [("1.1.1", "0"), ("1.1.2", "0.5")] {
        let o = decide_cli(&folder, code, points);
        assert!(o.status.success(), "{}", text(&o));
    }
    folder
}

/// What the reading commands print, which must not change when the disk turns
/// read-only or full; and a decision then, refused as the file system's doing.
fn reading_works_and_writing_is_refused_plainly(folder: &Path, before: &[String]) {
    for (i, args) in [
        &["rank"][..],
        &["log"][..],
        &["rank", "--format", "csv"][..],
    ]
    .iter()
    .enumerate()
    {
        let o = thamdinh(args, folder);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        assert_eq!(String::from_utf8_lossy(&o.stdout), before[i], "{args:?}");
    }
    let o = decide_cli(folder, "1.1.1", "1");
    let said = text(&o);
    assert!(!o.status.success(), "{said}");
    assert!(
        said.contains("the file system refuses") || said.contains("disk is full"),
        "{said}"
    );
    assert!(
        !said.contains("not a readable") && !said.contains("damaged"),
        "a full or read-only disk is not a damaged session: {said}"
    );
}

fn reading_outputs(folder: &Path) -> Vec<String> {
    [
        &["rank"][..],
        &["log"][..],
        &["rank", "--format", "csv"][..],
    ]
    .iter()
    .map(|args| {
        let o = thamdinh(args, folder);
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    })
    .collect()
}

#[test]
fn reading_commands_work_on_a_read_only_mount() {
    let Some(m) = Mount::tmpfs("8m", "reading a session on a read-only mount") else {
        return;
    };
    let folder = council_on(&m);
    let before = reading_outputs(&folder);
    assert!(before[1].contains("#2"), "{}", before[1]);
    m.remount("ro");
    reading_works_and_writing_is_refused_plainly(&folder, &before);
    // The screen opens too, shows the decisions, says why it cannot record, and
    // refuses a decision with that reason.
    use thamdinh::tui::app::{Action, App, Status};
    let c = load(&folder).unwrap();
    let mut app = App::new(
        c,
        &folder,
        &folder.join(".thamdinh/session.db"),
        None,
        thamdinh::i18n::Lang::En,
        thamdinh::tui::keymap::KeyMap::default_map(),
    )
    .unwrap();
    assert_eq!(app.main.link.state().last_event() as usize, 2);
    assert!(
        matches!(&app.main.status, Some(Status::Error(s)) if s.contains("the file system refuses")),
        "{:?}",
        app.main.status
    );
    app.main.unit = app.main.council.unit_index("xa-a").unwrap();
    app.main.focus = thamdinh::tui::app::Focus::Tree;
    app.main.row = thamdinh::tui::app::Row::Leaf(2);
    app.update(Action::Accept);
    assert!(
        matches!(&app.main.status, Some(Status::Error(s)) if s.contains("the file system refuses")),
        "{:?}",
        app.main.status
    );
    drop(app);
    m.remount("rw");
}

#[test]
fn reading_commands_work_on_a_full_disk_and_nothing_is_lost() {
    let Some(m) = Mount::tmpfs("4m", "reading a session on a full disk") else {
        return;
    };
    let folder = council_on(&m);
    let before = reading_outputs(&folder);
    // Fill the disk to the last byte.
    let mut fill = std::fs::File::create(m.path().join("fill")).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut fill, &block).is_ok() {}
    drop(fill);
    reading_works_and_writing_is_refused_plainly(&folder, &before);
    // Room again: the session takes decisions and kept the earlier two.
    std::fs::remove_file(m.path().join("fill")).unwrap();
    let o = decide_cli(&folder, "1.1.1", "1");
    assert!(o.status.success(), "{}", text(&o));
    let log = String::from_utf8_lossy(&thamdinh(&["log"], &folder).stdout).into_owned();
    assert_eq!(
        log.lines().filter(|l| l.starts_with('#')).count(),
        3,
        "{log}"
    );
}

/// Fills a mount to the last byte, then frees `room` bytes; the filler's path.
fn fill_leaving(m: &Mount, room: u64) -> PathBuf {
    let path = m.path().join("fill");
    let mut fill = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut fill, &block).is_ok() {}
    let len = fill.metadata().unwrap().len();
    fill.set_len(len.saturating_sub(room)).unwrap();
    drop(fill);
    path
}

#[test]
fn a_disk_that_fills_during_a_sign_off_leaves_the_folder_and_the_lock_agreeing() {
    let Some(m) = Mount::tmpfs("4m", "a sign-off on a disk that fills") else {
        return;
    };
    let folder = council_on(&m);
    let key = common::give_key(&folder, "an", None);
    common::approve(&folder);
    let c = load(&folder).unwrap();
    let locked = || {
        Session::open_reading(&folder.join(".thamdinh/session.db"))
            .unwrap()
            .replay(&c)
            .unwrap()
            .locked()
    };
    let signed = || -> Vec<PathBuf> {
        std::fs::read_dir(folder.join("signed"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    let mut refused = 0;
    let mut during = 0;
    let mut done = false;
    // From a full disk up, a little more room each time, until it is signed.
    for room in (0..=96u64).map(|k| k * 8 * 1024) {
        let filler = fill_leaving(&m, room);
        let o = thamdinh(
            &["signoff", "--member", "an", "--key", key.to_str().unwrap()],
            &folder,
        );
        let said = text(&o);
        if o.status.success() {
            assert!(locked(), "{said}");
            assert_eq!(signed().len(), 1, "{said}");
            done = true;
        } else if locked() {
            // Recorded, but the folder could not be moved into place: the next
            // command finishes it.
            assert!(said.contains("the next command finishes it"), "{said}");
            std::fs::remove_file(&filler).unwrap();
            let o = decide_cli(&folder, "1.1.1", "1");
            assert!(text(&o).contains("locked"), "{}", text(&o));
            assert_eq!(signed().len(), 1);
            done = true;
        } else {
            refused += 1;
            // The disk filled while the folder or the event was being written.
            during += usize::from(said.contains("signoff-") || said.contains("disk is full"));
            assert!(
                signed().is_empty(),
                "room {room}: a folder without its lock: {said}"
            );
            assert!(
                said.contains("nothing was recorded")
                    || said.contains("nothing was signed")
                    || said.contains("Nothing was changed"),
                "room {room}: {said}"
            );
        }
        let _ = std::fs::remove_file(&filler);
        if done {
            break;
        }
    }
    assert!(done, "with room enough the sign-off succeeds");
    assert!(refused > 0, "the disk was full for the first attempts");
    assert!(
        during > 0,
        "the disk filled during a sign-off at least once"
    );
    let v = thamdinh::signoff::verify(&signed()[0], &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    // No staging left behind once signed.
    let left: Vec<_> = std::fs::read_dir(folder.join(".thamdinh"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("signoff-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_moved_or_replaced_session_refuses_writes_and_the_new_file_is_never_overlaid() {
    let (dir, c) = mini_copy();
    let path = dir.path().join(".thamdinh/session.db");
    let mut s = session(&dir.path().join(".thamdinh/session.db"));
    s.decide(&c, "an", "xa-a", "1.1.1", &pts(0), "trước")
        .unwrap();
    // Moved away: refused, naming the path; the moved file holds only the first.
    let away = dir.path().join("away.db");
    std::fs::rename(&path, &away).unwrap();
    assert_eq!(s.whereabouts(), thamdinh::session::Whereabouts::Gone);
    let r = s.decide(&c, "an", "xa-a", "1.1.2", &pts(0), "sau");
    match r {
        Err(DecideError::Store(e)) => {
            let e = format!("{e:#}");
            assert!(e.contains(&path.display().to_string()), "{e}");
        }
        other => panic!("a write to a moved session must be refused: {other:?}"),
    }
    // Back: accepted again.
    std::fs::rename(&away, &path).unwrap();
    assert_eq!(s.whereabouts(), thamdinh::session::Whereabouts::Here);
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(0), "sau").unwrap();
    // Replaced by another council's session holding one decision of its own.
    let (other_dir, _) = mini_copy();
    let mut o = session(&other_dir.path().join(".thamdinh/session.db"));
    o.decide(&c, "an", "xa-b", "1.1.1", &pts(0), "tệp khác")
        .unwrap();
    drop(o);
    std::fs::rename(other_dir.path().join(".thamdinh/session.db"), &path).unwrap();
    assert_eq!(s.whereabouts(), thamdinh::session::Whereabouts::Replaced);
    assert!(s.decide(&c, "an", "xa-a", "1.2", &pts(0), "x").is_err());
    s.settle_moved();
    drop(s);
    // The file now there is the other one, whole: none of the old pages laid over it.
    let now = Session::open(&path, false).unwrap();
    let events = now.events().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].comment, "tệp khác");
}

/// Many decisions over every decidable leaf of the mini council, alternating two values.
fn many_asks(c: &Council, n: usize) -> Vec<thamdinh::session::Ask> {
    use thamdinh::model::Rule;
    let mut leaves = Vec::new();
    for (u, unit) in c.units.iter().enumerate() {
        for (l, leaf) in c.framework_of(u).leaves.iter().enumerate() {
            if let Rule::Levels(levels) = &leaf.rule
                && levels.len() >= 2
                && !c.assessments[u].claims[l].na
            {
                leaves.push((
                    unit.id.clone(),
                    leaf.code.clone(),
                    [levels[0].points, levels[1].points],
                ));
            }
        }
    }
    (0..n)
        .map(|i| {
            let (unit, code, v) = &leaves[i % leaves.len()];
            thamdinh::session::Ask {
                unit: unit.clone(),
                code: code.clone(),
                change: Change::Points(v[(i / leaves.len()) % 2]),
                comment: format!("lần {i}"),
                seen: None,
            }
        })
        .collect()
}

fn a_kept_snapshot_adds_up_as_the_whole_log_and_is_set_aside_when_the_council_changes(on: On) {
    let Some((dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    let asks = many_asks(&c, 1500);
    for chunk in asks.chunks(500) {
        s.decide_all(&c, "an", chunk).unwrap();
    }
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "cuối")
        .unwrap();
    drop(s);
    let whole = |c: &Council| State::of(c, &Session::open_reading(&at).unwrap().events().unwrap());
    // The first writing open reads the whole log and keeps the state it adds up to.
    let mut first = session(&at);
    let kept = first.state(&c).unwrap();
    drop(first);
    let snapshot = read_behind(&at, "SELECT value FROM meta WHERE key = 'snapshot'");
    assert!(
        snapshot.starts_with("1501 "),
        "kept at the last event: {}",
        &snapshot[..40]
    );
    let full = whole(&c);
    assert_eq!(kept.appraisal.decisions, full.appraisal.decisions);
    assert_eq!(kept.last_event(), 1501);
    // A later open starts from it, and what it adds up to is the same, undo stacks included.
    let mut later = session(&at);
    let again = later.state(&c).unwrap();
    assert_eq!(again.appraisal.decisions, full.appraisal.decisions);
    assert_eq!(again.last_event(), full.last_event());
    later.undo(&c, "an").unwrap();
    later
        .decide(&c, "an", "xa-a", "1.1.1", &pts(50), "sau")
        .unwrap();
    let after = later.state(&c).unwrap();
    assert_eq!(after.appraisal.decisions, whole(&c).appraisal.decisions);
    drop(later);
    // A council changed since (a unit's own points): the snapshot is set aside.
    let a = dir.path().join("assessments/a.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    let changed = text.replacen("points = 1", "points = 0", 1);
    assert_ne!(text, changed, "the fixture has a claim to change");
    std::fs::write(&a, changed).unwrap();
    let c2 = load(dir.path()).unwrap_or_else(|d| panic!("{d}"));
    let mut s = session(&at);
    let st = s.state(&c2).unwrap();
    assert_eq!(st.appraisal.decisions, whole(&c2).appraisal.decisions);
    assert_eq!(st.orphans, whole(&c2).orphans);
    // A snapshot edited behind the program's back is not used.
    drop(s);
    behind_the_back(
        &at,
        "UPDATE meta SET value = '1501 nothash x y' WHERE key = 'snapshot'",
    );
    let mut s = session(&at);
    assert_eq!(
        s.state(&c2).unwrap().appraisal.decisions,
        whole(&c2).appraisal.decisions
    );
}

/// The mini council under another name, in a folder of its own.
fn another_council() -> (tempfile::TempDir, Council) {
    let (dir, _) = mini_copy();
    let path = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let name = text.lines().find(|l| l.starts_with("name = ")).unwrap();
    std::fs::write(
        &path,
        text.replacen(name, "name = \"Hội đồng thẩm định của huyện khác\"", 1),
    )
    .unwrap();
    let c = load(dir.path()).unwrap();
    (dir, c)
}

fn a_session_of_another_council_is_refused_before_anything_is_written(on: On) {
    let Some((dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    s.reconcile(&c).unwrap();
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "x").unwrap();
    drop(s);
    let events = || read_behind(&at, "SELECT CAST(count(*) AS TEXT) FROM event");
    let metas = || read_behind(&at, "SELECT CAST(count(*) AS TEXT) FROM meta");
    let (events_before, metas_before) = (events(), metas());
    let (other_dir, other) = another_council();
    let said = |e: &dyn std::fmt::Display| {
        let text = e.to_string();
        assert!(
            text.contains("belongs to the council «")
                && text.contains("huyện khác")
                && text.contains(&c.name),
            "names both councils: {text}"
        );
    };
    let mut s = session(&at);
    said(&format!("{:#}", s.reconcile(&other).unwrap_err()));
    said(&format!("{:#}", s.state(&other).unwrap_err()));
    match s.decide(&other, "an", "xa-a", "1.1.1", &pts(50), "y") {
        Err(DecideError::Store(e)) => said(&format!("{e:#}")),
        other => panic!("another council's decision: {other:?}"),
    }
    drop(s);
    // Through the command line and a session named for the whole machine.
    let o = common::on_council_with(
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
            "y",
        ],
        other_dir.path(),
        &[("THAMDINH_SESSION", at.to_str().unwrap())],
    );
    assert!(!o.status.success(), "{}", text(&o));
    said(&text(&o));
    assert_eq!(events(), events_before, "nothing recorded");
    assert_eq!(metas(), metas_before, "nothing written beside the log");
    // The council's own folder changing (a member renamed) is an input
    // change, not another council.
    let path = dir.path().join("council.toml");
    let text_now = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text_now.replacen("Nguyễn Văn An", "Nguyễn Văn Ân", 1),
    )
    .unwrap();
    let changed = load(dir.path()).unwrap();
    let mut s = session(&at);
    s.reconcile(&changed).unwrap();
    s.decide(&changed, "an", "xa-a", "1.1.1", &pts(50), "y")
        .unwrap();
}

/// The SQL that appends an event behind the program's back, its hash
/// recomputed from the chain's recipe as someone who knows it would.
fn append_behind(s: &Session) -> String {
    let events = s.events().unwrap();
    let last = events.last().unwrap();
    let mut e = last.clone();
    e.id = last.id + 1;
    e.after = Some("0.00".into());
    e.comment = "thêm ngoài chương trình".into();
    e.hash = thamdinh::session::chain::link(&last.hash, &thamdinh::session::chain::record(&e));
    let q = |v: &Option<String>| v.as_ref().map_or("NULL".to_string(), |v| format!("'{v}'"));
    format!(
        "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, round, hash) \
         VALUES ({}, '{}', '{}', '{}', {}, {}, {}, {}, '{}', {}, '{}')",
        e.id,
        e.at,
        e.member,
        e.kind,
        q(&e.unit),
        q(&e.code),
        q(&e.before),
        q(&e.after),
        e.comment,
        e.round,
        e.hash
    )
}

/// The mini council with three decisions recorded; `None` when the store is not installed.
fn three_decided(on: On) -> Option<(tempfile::TempDir, Council, PathBuf)> {
    let (dir, c, at) = mini_on(on)?;
    let mut s = session(&at);
    s.reconcile(&c).unwrap();
    for (code, p) in [("1.1.1", 50), ("1.1.2", 100), ("1.1.1", 0)] {
        s.decide(&c, "an", "xa-a", code, &pts(p), "x").unwrap();
    }
    Some((dir, c, at))
}

/// `log --verify` names the event and why, and a write is refused naming it,
/// recording nothing.
fn named_and_refused(dir: &Path, c: &Council, at: &Path, event: i64, why: &str) {
    let o = common::on_council_with(
        &["log", "--verify"],
        dir,
        &[("THAMDINH_SESSION", at.to_str().unwrap())],
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("event {event} ")) && text(&o).contains(why),
        "log --verify names event {event} ({why}): {}",
        text(&o)
    );
    let before = read_behind(at, "SELECT CAST(count(*) AS TEXT) FROM event");
    let mut s = session(at);
    let err = s
        .decide(c, "an", "xa-b", "1.1.1", &pts(50), "z")
        .unwrap_err();
    assert!(
        format!("{err}").contains(&format!("event {event} ")),
        "a write is refused on it: {err}"
    );
    assert_eq!(
        read_behind(at, "SELECT CAST(count(*) AS TEXT) FROM event"),
        before
    );
}

fn the_end_of_the_log_deleted_or_added_behind_the_back_is_named_and_writes_refused(on: On) {
    // The newest event deleted: the chain left is whole, the head kept apart is not.
    let Some((dir, c, at)) = three_decided(on) else {
        return;
    };
    behind_the_back(&at, "DELETE FROM event WHERE id = 3");
    named_and_refused(dir.path(), &c, &at, 3, "are gone");

    // An event appended with its hash recomputed from the chain's recipe.
    let Some((dir, c, at)) = three_decided(on) else {
        return;
    };
    let s = session(&at);
    let sql = append_behind(&s);
    drop(s);
    behind_the_back(&at, &sql);
    named_and_refused(
        dir.path(),
        &c,
        &at,
        4,
        "was added after the last event thamdinh recorded (3",
    );

    // A middle event deleted and the next one re-linked to the one before:
    // the hashes fit, the ids do not follow each other.
    let Some((dir, c, at)) = three_decided(on) else {
        return;
    };
    let s = session(&at);
    let events = s.events().unwrap();
    drop(s);
    let mut third = events[2].clone();
    third.hash =
        thamdinh::session::chain::link(&events[0].hash, &thamdinh::session::chain::record(&third));
    behind_the_back(
        &at,
        &format!(
            "DELETE FROM event WHERE id = 2; UPDATE event SET hash = '{}' WHERE id = 3",
            third.hash
        ),
    );
    named_and_refused(dir.path(), &c, &at, 3, "event 2 before it was deleted");

    // Untouched, the log takes the decision.
    let Some((_dir, c, at)) = three_decided(on) else {
        return;
    };
    let mut s = session(&at);
    let e = s.decide(&c, "an", "xa-b", "1.1.1", &pts(50), "z").unwrap();
    assert_eq!(e.id, 4, "ids follow each other");
}

fn a_connection_that_only_writes_keeps_the_snapshot_of_what_it_replayed(on: On) {
    let Some((_dir, c, at)) = mini_on(on) else {
        return;
    };
    let mut s = session(&at);
    for chunk in many_asks(&c, 1500).chunks(500) {
        s.decide_all(&c, "an", chunk).unwrap();
    }
    drop(s);
    let none = read_behind(
        &at,
        "SELECT CAST(count(*) AS TEXT) FROM meta WHERE key = 'snapshot'",
    );
    assert_eq!(none, "0", "nothing kept while the log grew from empty");
    // Its first write replays the 1,500 events, and keeps what they add up to
    // with the decision, where a reading open would have.
    let mut writer = session(&at);
    writer
        .decide(&c, "an", "xa-a", "1.1.2", &pts(100), "cuối")
        .unwrap();
    drop(writer);
    let snapshot = read_behind(&at, "SELECT value FROM meta WHERE key = 'snapshot'");
    assert!(
        snapshot.starts_with("1500 "),
        "kept at the last event replayed: {}",
        &snapshot[..snapshot.len().min(40)]
    );
    let whole = State::of(&c, &Session::open_reading(&at).unwrap().events().unwrap());
    let from_it = session(&at).state(&c).unwrap();
    assert_eq!(from_it.appraisal.decisions, whole.appraisal.decisions);
    assert_eq!(from_it.last_event(), 1501);
}
