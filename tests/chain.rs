//! The log as a hash chain: edits, deletions and insertions made behind the
//! program's back (with SQL, as `sqlite3` would) are named by event and refuse
//! every write; old sessions are upgraded in place; signed folders are checked
//! against their chain, each other, the session, and the council's inputs.

use crate::common;
use common::{on_council as run, printed as said};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rusqlite::Connection;
use thamdinh::keys;
use thamdinh::session::chain;
use thamdinh::signoff;

use common::signing::{Fixture, rewrite_manifest};

fn db(folder: &Path) -> PathBuf {
    folder.join(".thamdinh/session.db")
}

/// Four decisions by two members, through the command line.
fn decided(folder: &Path) {
    for (member, unit, code, points) in [
        ("an", "xa-a", "1.1.1", "0.5"),
        ("an", "xa-a", "1.1.2", "1"),
        ("an", "xa-b", "1.1.1", "0"),
        ("binh", "xa-a", "1.3", "-0.5"),
    ] {
        let o = run(
            &[
                "decide",
                "--member",
                member,
                "--unit",
                unit,
                "--code",
                code,
                "--points",
                points,
                "--comment",
                "kiểm tra",
            ],
            folder,
        );
        assert!(o.status.success(), "{}", said(&o));
    }
}

/// `an` decides one leaf again.
const DECIDE: [&str; 11] = [
    "decide",
    "--member",
    "an",
    "--unit",
    "xa-a",
    "--code",
    "1.1.1",
    "--points",
    "0",
    "--comment",
    "sau khi sửa",
];

fn decide_one(folder: &Path) -> Output {
    run(&DECIDE, folder)
}

fn count(folder: &Path) -> i64 {
    Connection::open(db(folder))
        .unwrap()
        .query_row("SELECT count(*) FROM event", [], |r| r.get(0))
        .unwrap()
}

/// Edits the session with SQL, as `sqlite3` would.
fn sql(folder: &Path, statement: &str) {
    Connection::open(db(folder))
        .unwrap()
        .execute_batch(statement)
        .unwrap();
}

/// Each command's answer to a log broken at `event`: `log --verify` and every
/// writing command refuse naming it, nothing is recorded, reading commands
/// still answer and warn.
fn refused_everywhere(folder: &Path, event: i64, why: &str) {
    let before = count(folder);
    let named = format!("event {event} ");
    let o = run(&["log", "--verify"], folder);
    let text = said(&o);
    assert!(!o.status.success(), "{text}");
    assert!(
        text.contains(&named) && text.contains(why),
        "`log --verify` names event {event} ({why}): {text}"
    );
    for args in [
        &DECIDE[..],
        &["undo", "--member", "an"][..],
        &["reopen", "--member", "an", "--reason", "x"][..],
    ] {
        let o = run(args, folder);
        let text = said(&o);
        assert!(!o.status.success(), "{args:?} on a broken log: {text}");
        assert!(
            text.contains("changed behind the program's back") && text.contains(&named),
            "{args:?}: {text}"
        );
    }
    assert_eq!(count(folder), before, "nothing recorded on a broken log");
    let o = run(&["rank", "--format", "csv"], folder);
    assert!(o.status.success(), "{}", said(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(&named),
        "a reading command warns: {}",
        said(&o)
    );
}

#[test]
fn every_edit_deletion_and_insertion_made_with_sql_is_named_and_nothing_more_recorded() {
    let f = Fixture::new();
    decided(f.path());
    let o = run(&["log", "--verify"], f.path());
    assert!(o.status.success(), "{}", said(&o));
    assert!(said(&o).contains("whole up to event 4"), "{}", said(&o));
    let clean = std::fs::read(db(f.path())).unwrap();
    let restore = || {
        std::fs::write(db(f.path()), &clean).unwrap();
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db(f.path()).display()));
        }
    };
    let cases: [(&str, i64, &str); 7] = [
        ("UPDATE event SET after = '2.00' WHERE id = 2", 2, "edited"),
        // To a member in conflict with that unit.
        ("UPDATE event SET member = 'binh' WHERE id = 3", 3, "edited"),
        (
            "UPDATE event SET at = '2026-01-01T00:00:00.000Z' WHERE id = 1",
            1,
            "edited",
        ),
        (
            "UPDATE event SET hash = (CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(hash, 2) WHERE id = 4",
            4,
            "edited",
        ),
        (
            "DELETE FROM event WHERE id = 2",
            3,
            "event 2 before it was deleted",
        ),
        (
            "INSERT INTO event(at, member, kind, unit, code, before, after, comment, hash) \
             VALUES ('2025-12-01T08:00:00.000Z', 'an', 'decide', 'xa-b', '1.1.2', NULL, '2.00', 'backdated', '')",
            5,
            "inserted",
        ),
        (
            "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, hash) \
             SELECT 3, at, member, kind, unit, code, before, after, comment, hash FROM event WHERE id = 2; \
             DELETE FROM event WHERE id = 2",
            3,
            "event 2 before it was deleted",
        ),
    ];
    for (statement, event, why) in cases {
        restore();
        // The last case moves event 2 into a gap: make the gap first.
        if statement.starts_with("INSERT INTO event(id") {
            sql(f.path(), "DELETE FROM event WHERE id = 3");
        }
        sql(f.path(), statement);
        refused_everywhere(f.path(), event, why);
    }
    restore();
    let o = decide_one(f.path());
    assert!(
        o.status.success(),
        "the untouched log takes decisions: {}",
        said(&o)
    );
}

#[test]
fn a_sign_off_deleted_or_rewritten_with_its_chain_is_caught_by_the_signed_folder() {
    let f = Fixture::new();
    decided(f.path());
    let signed = f.signoff("an").unwrap();
    let clean = std::fs::read(db(f.path())).unwrap();
    let restore = || {
        std::fs::write(db(f.path()), &clean).unwrap();
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db(f.path()).display()));
        }
    };
    // The sign-off row deleted: the chain left is whole, but the signed
    // folder's last event is gone; the session is not unlocked by it.
    sql(f.path(), "DELETE FROM event WHERE kind = 'signoff'");
    refused_everywhere(f.path(), 7, "gone from the log");
    let o = run(
        &[
            "signoff",
            "--member",
            "an",
            "--key",
            f.key("an").to_str().unwrap(),
        ],
        f.path(),
    );
    assert!(!o.status.success(), "{}", said(&o));
    assert_eq!(
        std::fs::read_dir(signed.parent().unwrap()).unwrap().count(),
        1
    );

    // An old decision edited and every later hash recomputed, as someone who
    // knows the chain's recipe would: the log is whole again, but not what
    // the folder signed.
    restore();
    sql(f.path(), "UPDATE event SET after = '2.00' WHERE id = 2");
    reseal(f.path());
    let o = run(&["log", "--verify"], f.path());
    assert!(!o.status.success());
    assert!(said(&o).contains("is not what signed/"), "{}", said(&o));
    refused_everywhere(f.path(), 7, "is not what signed/");
    let v = signoff::verify(&signed, &[], None).unwrap();
    let problems: Vec<String> = v.problems.iter().map(|p| p.en.clone()).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("session does not hold this folder's last event 7")),
        "{problems:?}"
    );
    restore();
    let v = signoff::verify(&signed, &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}

/// Recomputes every hash of the session's log from its rows.
fn reseal(folder: &Path) {
    let conn = Connection::open(db(folder)).unwrap();
    let mut events: Vec<thamdinh::session::Event> = conn
        .prepare("SELECT id, at, member, kind, unit, code, before, after, comment, target, round FROM event ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok(thamdinh::session::Event {
                id: r.get(0)?,
                at: r.get(1)?,
                member: r.get(2)?,
                kind: r.get(3)?,
                unit: r.get(4)?,
                code: r.get(5)?,
                before: r.get(6)?,
                after: r.get(7)?,
                comment: r.get(8)?,
                target: r.get(9)?,
                round: r.get(10)?,
                hash: String::new(),
                recorder: None,
                sig: None,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    chain::seal(None, &mut events);
    for e in &events {
        conn.execute(
            "UPDATE event SET hash = ?1 WHERE id = ?2",
            rusqlite::params![e.hash, e.id],
        )
        .unwrap();
    }
}

/// The schema of the first sessions, before the chain.
const SCHEMA_1: &str = "
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE event (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        member TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('decide','undo','redo','signoff','reopen','inputs')),
        unit TEXT,
        code TEXT,
        before TEXT,
        after TEXT,
        comment TEXT NOT NULL DEFAULT '',
        target INTEGER REFERENCES event(id)
    );
    CREATE INDEX event_leaf ON event(unit, code);
    CREATE TABLE input (unit TEXT PRIMARY KEY, leaves TEXT NOT NULL);
    INSERT INTO meta(key, value) VALUES ('app', 'thamdinh-session'), ('created', '2025-12-01T01:00:00.000Z');
    PRAGMA user_version = 1;";

const EVENTS_1: &str = "
    INSERT INTO event(at, member, kind, unit, code, before, after, comment, target) VALUES
      ('2025-12-01T01:00:00.000Z', 'an', 'decide', 'xa-a', '1.1.1', NULL, '0.50', 'Kế hoạch ban hành chậm, \"12 ngày\"', NULL),
      ('2025-12-01T01:01:00.000Z', 'an', 'decide', 'xa-a', '1.1.2', NULL, '1.00', 'Hai dòng
lý do', NULL),
      ('2025-12-01T01:02:00.000Z', 'an', 'undo', 'xa-a', '1.1.2', '1.00', NULL, '', 2),
      ('2025-12-01T01:03:00.000Z', 'an', 'redo', 'xa-a', '1.1.2', NULL, '1.00', 'Hai dòng
lý do', 2),
      ('2025-12-01T01:04:00.000Z', 'binh', 'decide', 'xa-a', '1.2', NULL, '90/100', 'Tỷ lệ', NULL),
      ('2025-12-01T01:05:00.000Z', 'an', 'signoff', NULL, NULL, NULL, NULL, 'signed/2025-12-01-1', NULL),
      ('2025-12-01T01:06:00.000Z', 'an', 'reopen', NULL, NULL, NULL, NULL, 'Bổ sung tài liệu', NULL);
    DELETE FROM event WHERE id = 7;
    INSERT INTO event(at, member, kind, unit, code, before, after, comment, target) VALUES
      ('2025-12-01T01:07:00.000Z', 'an', 'reopen', NULL, NULL, NULL, NULL, 'Bổ sung tài liệu', NULL);";

type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<i64>,
);

fn rows(path: &Path) -> Vec<Row> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, at, member, kind, unit, code, before, after, comment, target FROM event ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_session_from_before_the_chain_is_upgraded_in_place_once_and_keeps_every_event() {
    let dir = common::mini_copy();
    let folder = dir.path();
    std::fs::create_dir_all(folder.join(".thamdinh")).unwrap();
    {
        let conn = Connection::open(db(folder)).unwrap();
        conn.execute_batch(SCHEMA_1).unwrap();
        conn.execute_batch(EVENTS_1).unwrap();
    }
    let old = rows(&db(folder));
    assert_eq!(old.len(), 7);
    assert_eq!(old.last().unwrap().0, 8, "an id left unused by a deletion");
    // Reading commands read it as it is, and write nothing.
    let log = run(&["log", "--format", "csv"], folder);
    assert!(log.status.success(), "{}", said(&log));
    assert_eq!(csv_rows(&String::from_utf8_lossy(&log.stdout)).len(), 7);
    let o = run(&["log", "--verify"], folder);
    assert!(o.status.success(), "{}", said(&o));
    assert!(said(&o).contains("before it was chained"), "{}", said(&o));
    assert_eq!(user_version(&db(folder)), 1, "reading never upgrades");

    // The first command that writes upgrades it, keeping every event as it was.
    let o = decide_one(folder);
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(user_version(&db(folder)), thamdinh::session::SCHEMA_VERSION);
    let now = rows(&db(folder));
    assert_eq!(&now[..7], &old[..], "every event kept, with its id");
    assert_eq!(now[7].0, 9, "ids go on after the highest ever used");
    let o = run(&["log", "--verify"], folder);
    assert!(o.status.success(), "{}", said(&o));
    assert!(said(&o).contains("whole up to event 9"), "{}", said(&o));
    let hashes = |p: &Path| -> Vec<String> {
        Connection::open(p)
            .unwrap()
            .prepare("SELECT hash FROM event ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let sealed = hashes(&db(folder));
    // The chain is the one the signed log's recipe gives, from the rows.
    let log = run(&["log", "--format", "csv"], folder);
    let text = String::from_utf8_lossy(&log.stdout).into_owned();
    let mut previous = String::new();
    for (i, (row, hash)) in csv_rows(&text).into_iter().enumerate() {
        assert_eq!(chain::link(&previous, &row), hash, "event #{}", i + 1);
        previous = hash;
    }
    // Once: opening it again changes nothing.
    let o = run(&["rank", "--format", "csv"], folder);
    assert!(o.status.success());
    let o = decide_one(folder);
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(&hashes(&db(folder))[..8], &sealed[..]);
}

/// A log.csv's rows as (the row without its hash, the hash).
fn csv_rows(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    for r in reader.records() {
        let r = r.unwrap();
        let fields: Vec<String> = r.iter().take(11).map(thamdinh::report::csv_field).collect();
        out.push((fields.join(","), r.get(11).unwrap().to_string()));
    }
    out
}

/// Signs a folder's MANIFEST again with a member's real key (an insider).
fn resign(f: &Fixture, signed: &Path, member: &str) {
    let manifest = rewrite_manifest(signed);
    let sk = keys::load_secret(&f.key(member)).unwrap();
    let sig = common::signing::minisign_with(&sk, &manifest, "council: x | member: an");
    std::fs::write(signed.join(format!("MANIFEST.{member}.minisig")), sig).unwrap();
}

fn problems(signed: &Path) -> Vec<String> {
    signoff::verify(signed, &[], None)
        .unwrap()
        .problems
        .iter()
        .map(|p| p.en.clone())
        .collect()
}

#[test]
fn a_signed_log_or_figures_changed_and_resigned_by_a_member_never_verify() {
    let f = Fixture::new();
    decided(f.path());
    let signed = f.signoff("an").unwrap();
    let v = signoff::verify(&signed, &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let checked: Vec<&str> = v.checked.iter().map(|c| c.en.as_str()).collect();
    assert!(
        checked
            .iter()
            .any(|c| c.contains("hash chain is whole: 7 events"))
            && checked.iter().any(|c| c.contains("re-derived")),
        "{checked:?}"
    );
    let log = std::fs::read_to_string(signed.join("log.csv")).unwrap();
    assert!(
        log.lines().last().unwrap().contains(",an,signoff,"),
        "the signed log ends with its sign-off: {log}"
    );
    let keep = tempfile::tempdir().unwrap();
    common::copy(&signed, keep.path());
    let restore = || {
        std::fs::remove_dir_all(&signed).unwrap();
        std::fs::create_dir_all(&signed).unwrap();
        common::copy(keep.path(), &signed);
    };

    // A value in the signed log changed, MANIFEST rewritten, signed again by a member.
    let edited = log.replacen(",xa-a,1.1.2,,1.00,", ",xa-a,1.1.2,,2.00,", 1);
    assert_ne!(edited, log);
    std::fs::write(signed.join("log.csv"), &edited).unwrap();
    resign(&f, &signed, "an");
    let p = problems(&signed);
    assert!(
        p.iter()
            .any(|p| p.contains("log.csv: event 2 ") && p.contains("does not fit")),
        "{p:?}"
    );

    // Two units' files swapped and the ranking left: the figures are not what
    // the inputs and the log add up to.
    restore();
    let (a, b) = (
        signed.join("units/xa-a.toml"),
        signed.join("units/xa-b.toml"),
    );
    let (ta, tb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    std::fs::write(&a, &tb).unwrap();
    std::fs::write(&b, &ta).unwrap();
    resign(&f, &signed, "an");
    let p = problems(&signed);
    assert!(
        p.iter().any(|p| p.contains(
            "units/xa-a.toml is not what the council's inputs and the signed log add up to"
        )),
        "{p:?}"
    );

    // A point changed in the ranking only.
    restore();
    let ranking = std::fs::read_to_string(signed.join("ranking.csv")).unwrap();
    let line = ranking.lines().nth(1).unwrap();
    let changed = ranking.replacen(line, &format!("{line}0"), 1);
    assert_ne!(changed, ranking);
    std::fs::write(signed.join("ranking.csv"), changed).unwrap();
    resign(&f, &signed, "an");
    let p = problems(&signed);
    assert!(
        p.iter().any(|p| p.contains("ranking.csv is not what")),
        "{p:?}"
    );

    // The log rewritten with its chain recomputed: whole, but the council's
    // session does not hold its last event as signed.
    restore();
    let mut events = signoff::read_log(&signed.join("log.csv")).unwrap().events;
    events[1].after = Some("2.00".into());
    chain::seal(None, &mut events);
    std::fs::write(signed.join("log.csv"), thamdinh::report::log_csv(&events)).unwrap();
    let p = problems(&signed);
    assert!(
        p.iter()
            .any(|p| p.contains("session does not hold this folder's last event 7")),
        "{p:?}"
    );

    // A folder signed before the log was chained (no hash column, the log
    // ending before the sign-off) still verifies, saying so; a chained log
    // whose hashes were blanked does not.
    restore();
    let unchained: String = log
        .lines()
        .filter(|l| !l.contains(",signoff,"))
        .map(|l| format!("{}\n", l.rsplitn(5, ',').nth(4).unwrap()))
        .collect();
    std::fs::write(signed.join("log.csv"), unchained).unwrap();
    resign(&f, &signed, "an");
    let v = signoff::verify(&signed, &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert!(
        v.checked
            .iter()
            .any(|c| c.en.contains("signed before the log was chained"))
            && v.checked.iter().any(|c| c.en.contains("files re-derived")),
        "{:?}",
        v.checked
    );
    let blanked: String = log
        .lines()
        .map(|l| {
            let mut f = l.rsplitn(4, ',');
            match (f.next(), f.next(), f.next(), f.next()) {
                (Some(sig), Some(by), Some(_), Some(row)) if !l.starts_with("id,") => {
                    format!("{row},,{by},{sig}\n")
                }
                _ => format!("{l}\n"),
            }
        })
        .collect();
    std::fs::write(signed.join("log.csv"), blanked).unwrap();
    resign(&f, &signed, "an");
    let p = problems(&signed);
    assert!(
        p.iter()
            .any(|p| p.contains("log.csv: event 1 ") && p.contains("does not fit")),
        "{p:?}"
    );

    // Checked away from its council folder with the keys given: whole, but
    // not re-derived unless the council folder is named.
    restore();
    let away = tempfile::tempdir().unwrap();
    common::copy(&signed, away.path());
    let pk = keys::public_of(&keys::load_secret(&f.key("an")).unwrap())
        .unwrap()
        .to_base64();
    let v = signoff::verify(away.path(), &[(None, pk.clone())], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert!(v.checked.iter().any(|c| c.en.contains("not re-derived")));
    let v = signoff::verify(away.path(), &[(None, pk)], Some(f.path())).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert!(
        v.checked.iter().any(|c| c.en.contains("files re-derived")),
        "{:?}",
        v.checked
    );
    // And from the command line.
    let o = Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args(["--lang", "en", "verify"])
        .arg(away.path())
        .arg("--council")
        .arg(f.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", said(&o));
    assert!(said(&o).contains("files re-derived"), "{}", said(&o));
}

#[test]
fn each_later_signed_folder_continues_the_earlier_ones() {
    let f = Fixture::new();
    decided(f.path());
    let first = f.signoff("an").unwrap();
    let o = run(
        &[
            "reopen",
            "--member",
            "an",
            "--reason",
            "Đơn vị bổ sung tài liệu",
        ],
        f.path(),
    );
    assert!(o.status.success(), "{}", said(&o));
    let o = decide_one(f.path());
    assert!(o.status.success(), "{}", said(&o));
    let second = f.signoff("an").unwrap();
    for folder in [&first, &second] {
        let v = signoff::verify(folder, &[], None).unwrap();
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert!(
            v.checked
                .iter()
                .any(|c| c.en.contains("other signed folders of this session agree")),
            "{:?}",
            v.checked
        );
    }
    // The later folder forged from an earlier edit, its chain and figures
    // recomputed, and signed by a member: neither folder verifies any more.
    let mut events = signoff::read_log(&second.join("log.csv")).unwrap().events;
    events[0].comment = "đã sửa".into();
    chain::seal(None, &mut events);
    std::fs::write(second.join("log.csv"), thamdinh::report::log_csv(&events)).unwrap();
    resign(&f, &second, "an");
    let p = problems(&second);
    assert!(
        p.iter()
            .any(|p| p.contains("does not continue the log of the earlier signed/")),
        "{p:?}"
    );
    let p = problems(&first);
    assert!(
        p.iter().any(|p| p.contains("does not continue this log")),
        "{p:?}"
    );
}

#[test]
fn past_a_kept_snapshot_an_edit_is_still_named_by_verify_reading_commands_and_sign_off() {
    let f = Fixture::new();
    let c = thamdinh::load::load(f.path()).unwrap();
    // 1,200 decisions: the next writing open reads them all and keeps a
    // snapshot of the state at the last one.
    let mut s = f.session();
    for i in 0..1200 {
        let points = if i % 2 == 0 { 50 } else { 100 };
        s.decide(
            &c,
            "an",
            "xa-a",
            "1.1.1",
            &thamdinh::appraisal::Change::Points(thamdinh::Points(points)),
            "lần",
        )
        .unwrap();
    }
    drop(s);
    let o = decide_one(f.path());
    assert!(o.status.success(), "{}", said(&o));
    let kept: String = Connection::open(db(f.path()))
        .unwrap()
        .query_row("SELECT value FROM meta WHERE key = 'snapshot'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(kept.starts_with("1200 "), "{}", &kept[..30]);
    // An event before it edited with SQL.
    sql(f.path(), "UPDATE event SET comment = 'đã sửa' WHERE id = 3");
    let named = "event 3 ";
    let o = run(&["log", "--verify"], f.path());
    assert!(!o.status.success());
    assert!(said(&o).contains(named), "{}", said(&o));
    let o = run(&["rank", "--format", "csv"], f.path());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(named),
        "{}",
        said(&o)
    );
    // A sign-off checks what it signs from the first event.
    match f.signoff("an") {
        Err(thamdinh::session::DecideError::Store(e)) => {
            let e = format!("{e:#}");
            assert!(e.contains(named) && e.contains("changed behind"), "{e}");
        }
        other => panic!("a sign-off over an edited log must be refused: {other:?}"),
    }
    assert!(!f.path().join("signed").exists(), "nothing signed");
    assert_eq!(
        Connection::open(db(f.path()))
            .unwrap()
            .query_row(
                "SELECT count(*) FROM event WHERE kind = 'signoff'",
                [],
                |r| { r.get::<_, i64>(0) }
            )
            .unwrap(),
        0
    );
}

#[test]
fn the_readme_recipe_checks_a_real_log_with_a_script_written_apart() {
    if !common::program_available(
        "python3",
        "--version",
        "python3",
        "the README's recipe for the chain's hash",
    ) {
        return;
    }
    let f = Fixture::new();
    decided(f.path());
    // A comment that needs quoting, and an undo with its target.
    let o = run(
        &[
            "decide",
            "--member",
            "an",
            "--unit",
            "xa-b",
            "--code",
            "1.1.2",
            "--points",
            "1",
            "--comment",
            "Báo cáo \"số 12\", ngày 5/1\ndòng hai",
        ],
        f.path(),
    );
    assert!(o.status.success(), "{}", said(&o));
    assert!(run(&["undo", "--member", "an"], f.path()).status.success());
    let o = run(&["log", "--format", "csv"], f.path());
    assert!(o.status.success(), "{}", said(&o));
    let log = f.path().join("log.csv");
    std::fs::write(&log, &o.stdout).unwrap();
    let check = |path: &Path| {
        Command::new("python3")
            .arg(common::root().join("scripts/check_log.py"))
            .arg(path)
            .output()
            .unwrap()
    };
    let out = check(&log);
    assert!(out.status.success(), "{}", said(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "whole up to event 6"
    );
    // The same script sees an edit, as the program does.
    let text = String::from_utf8(o.stdout).unwrap();
    let edited = text.replacen(",0.50,kiểm tra,", ",1.00,kiểm tra,", 1);
    assert_ne!(edited, text);
    std::fs::write(&log, edited).unwrap();
    let out = check(&log);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "event 1 does not fit the chain"
    );
}
