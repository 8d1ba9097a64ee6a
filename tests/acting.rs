//! Who acts: every event signed by the member who records it, on both stores.
//! A typed `--member` proves nothing; the key does. On behalf only by the
//! chair or the secretary, only for what the meeting does aloud; an event
//! added behind the program's back is named and refuses writes.

use std::path::Path;

use crate::common;
use common::printed as said;

/// The meeting council (the chair `an`, `binh`, the secretary `chi`, `dung`
/// voting, `em` of the assisting team), `an`, `binh` and `chi` with keys.
fn council(top: &str) -> tempfile::TempDir {
    let dir = common::meeting_council(top);
    for m in ["an", "binh", "chi"] {
        common::give_key(dir.path(), m, None);
    }
    dir
}

/// Runs a command on the council (and on `place`, a server's session, when given).
fn run(folder: &Path, place: Option<&str>, args: &[&str]) -> std::process::Output {
    run_env(folder, place, args, &[])
}

fn run_env(
    folder: &Path,
    place: Option<&str>,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut all = args.to_vec();
    if let Some(p) = place {
        all.extend(["--session", p]);
    }
    common::on_council_with(&all, folder, env)
}

fn ok(folder: &Path, place: Option<&str>, args: &[&str]) -> String {
    let o = run(folder, place, args);
    assert!(o.status.success(), "{args:?}: {}", said(&o));
    said(&o)
}

fn refused(folder: &Path, place: Option<&str>, args: &[&str]) -> String {
    let o = run(folder, place, args);
    assert!(!o.status.success(), "{args:?} was recorded: {}", said(&o));
    said(&o)
}

/// The log as CSV rows (fields by name).
fn log(folder: &Path, place: Option<&str>) -> Vec<csv::StringRecord> {
    let out = run(folder, place, &["log", "--format", "csv"]);
    if said(&out).contains("no session at") {
        return Vec::new();
    }
    assert!(out.status.success(), "{}", said(&out));
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>().join(","),
        thamdinh::session::chain::HEADER
    );
    r.records().map(Result::unwrap).collect()
}

/// (member, kind, recorder, signed) of a log row.
fn who(row: &csv::StringRecord) -> (String, String, String, bool) {
    (
        row[2].to_string(),
        row[3].to_string(),
        row[12].to_string(),
        !row[13].is_empty(),
    )
}

fn decide<'a>(member: &'a str, code: &'a str, points: &'a str) -> Vec<&'a str> {
    vec![
        "decide",
        "--member",
        member,
        "--unit",
        "xa-a",
        "--code",
        code,
        "--points",
        points,
        "--comment",
        "theo hồ sơ",
    ]
}

fn who_acts_is_proved_by_the_key(place: Option<&str>) {
    let dir = council("");
    let f = dir.path();
    // Someone at the machine without binh's key types his name: refused,
    // saying which key is missing and the two commands that make one.
    let nobody = tempfile::tempdir().unwrap();
    let o = run_env(
        f,
        place,
        &decide("binh", "1.1.1", "0.5"),
        &[("XDG_CONFIG_HOME", nobody.path().to_str().unwrap())],
    );
    assert!(!o.status.success());
    let err = said(&o);
    assert!(
        err.contains("`binh` has a key in council.toml")
            && err.contains("thamdinh keygen --member binh")
            && err.contains("pubkey = "),
        "{err}"
    );
    // Another member's key given for him: refused too.
    let an_key = common::keys_home(f).unwrap().join("thamdinh/keys/an.key");
    let mut with_an = decide("binh", "1.1.1", "0.5");
    with_an.extend(["--key", an_key.to_str().unwrap()]);
    let err = refused(f, place, &with_an);
    assert!(err.contains("the key given is not `binh`'s"), "{err}");
    assert!(log(f, place).is_empty(), "nothing was recorded");

    // With his own key: recorded and signed by him.
    ok(f, place, &decide("binh", "1.1.1", "0.5"));
    let rows = log(f, place);
    assert_eq!(
        who(&rows[0]),
        ("binh".into(), "decide".into(), String::new(), true)
    );

    // The chair records for a member present at the meeting, with her own key.
    let err = refused(
        f,
        place,
        &["vote", "--member", "dung", "--by", "an", "--approve"],
    );
    assert!(err.contains("`dung` is not recorded present"), "{err}");
    ok(f, place, &["attend", "--member", "dung", "--by", "an"]);
    ok(
        f,
        place,
        &["vote", "--member", "dung", "--by", "an", "--approve"],
    );
    let rows = log(f, place);
    assert_eq!(
        who(rows.last().unwrap()),
        ("dung".into(), "vote".into(), "an".into(), true)
    );
    let approval = ok(f, place, &["approval", "--format", "csv"]);
    assert!(
        approval
            .lines()
            .any(|l| l.starts_with("dung,") && l.ends_with(",yes,an")),
        "{approval}"
    );
    let table = ok(f, place, &["log"]);
    assert!(table.contains("dung (recorded by an)"), "{table}");

    // Only the chair or the secretary records for another; some things never.
    let err = refused(
        f,
        place,
        &["vote", "--member", "an", "--by", "binh", "--approve"],
    );
    assert!(
        err.contains("`binh` is neither the chair nor the secretary"),
        "{err}"
    );
    let err = refused(
        f,
        place,
        &[
            "attend",
            "--member",
            "dung",
            "--by",
            "chi",
            "--written",
            "CV 1",
        ],
    );
    assert!(
        err.contains("a written approval is never recorded on another's behalf"),
        "{err}"
    );
    let err = refused(
        f,
        place,
        &[
            "reopen",
            "--member",
            "an",
            "--by",
            "chi",
            "--reason",
            "mở lại",
        ],
    );
    assert!(
        err.contains("a reopening is never recorded on another's behalf"),
        "{err}"
    );

    // A member without a key: a vote must be signed, a decision is recorded unsigned.
    let err = refused(f, place, &["vote", "--member", "dung", "--approve"]);
    assert!(
        err.contains("a vote is always signed, and `dung` has no key")
            && err.contains("thamdinh keygen --member dung"),
        "{err}"
    );
    ok(f, place, &decide("dung", "1.1.2", "0"));
    let rows = log(f, place);
    assert_eq!(
        who(rows.last().unwrap()),
        ("dung".into(), "decide".into(), String::new(), false)
    );
    let table = ok(f, place, &["log"]);
    assert!(
        table.lines().last().unwrap().ends_with("[unsigned]"),
        "{table}"
    );
    let verified = ok(f, place, &["log", "--verify"]);
    assert!(
        verified.contains("no event at the end of the log is signed"),
        "{verified}"
    );
    ok(f, place, &decide("binh", "1.1.1", "1"));
    let last = log(f, place).len();
    let verified = ok(f, place, &["log", "--verify"]);
    assert!(
        verified.contains(&format!("every event from {last} on is signed")),
        "{verified}"
    );
    assert_eq!(log(f, place).len(), 5, "the refusals recorded nothing");
}

#[test]
fn who_acts_is_proved_by_the_key_not_by_the_name_typed() {
    who_acts_is_proved_by_the_key(None);
}

#[test]
fn who_acts_is_proved_by_the_key_on_a_server() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    who_acts_is_proved_by_the_key(Some(&pg.database()));
}

#[test]
fn a_confirmation_is_recorded_with_another_key_than_its_decision() {
    let dir = council("confirm = true\n");
    let f = dir.path();
    // The chair records binh's decision at the meeting, on his behalf...
    ok(f, None, &["attend", "--member", "binh", "--by", "an"]);
    let mut on_behalf = decide("binh", "1.1.1", "0.5");
    on_behalf.extend(["--by", "an"]);
    ok(f, None, &on_behalf);
    // ...and cannot confirm it herself: one person, two names.
    let confirm = |member: &'static str| {
        vec![
            "confirm", "--member", member, "--unit", "xa-a", "--code", "1.1.1",
        ]
    };
    let err = refused(f, None, &confirm("an"));
    assert!(
        err.contains(
            "`an` recorded this decision: its confirmation is recorded with another member's key"
        ),
        "{err}"
    );
    // Never on behalf either.
    let mut by_an = confirm("chi");
    by_an.extend(["--by", "an"]);
    let err = refused(f, None, &by_an);
    assert!(
        err.contains("a confirmation is never recorded on another's behalf"),
        "{err}"
    );
    // The secretary, with her own key, confirms it.
    ok(f, None, &confirm("chi"));
    let rows = log(f, None);
    assert_eq!(
        who(rows.last().unwrap()),
        ("chi".into(), "confirm".into(), String::new(), true)
    );
}

/// Appends an event behind the program's back: binh's decision, its hash
/// recomputed after the last event and the head kept apart moved onto it,
/// with `sig` as its signature.
fn forged(last: &csv::StringRecord, sig: Option<&str>) -> (thamdinh::session::Event, String) {
    use thamdinh::session::{Event, chain};
    let mut e = Event {
        id: last[0].parse::<i64>().unwrap() + 1,
        at: "2026-12-01T08:00:00.000Z".into(),
        member: "binh".into(),
        kind: "decide".into(),
        unit: Some("xa-a".into()),
        code: Some("1.1.2".into()),
        before: None,
        after: Some("0.00".into()),
        comment: "sửa ngầm".into(),
        target: None,
        round: 1,
        hash: String::new(),
        recorder: None,
        sig: sig.map(Into::into),
    };
    e.hash = chain::link(&last[11], &chain::record(&e));
    let head = chain::head_text(&chain::Head {
        id: e.id,
        hash: e.hash.clone(),
    });
    (e, head)
}

fn insert_sql(e: &thamdinh::session::Event, head: &str) -> String {
    let q = |v: &str| format!("'{}'", v.replace('\'', "''"));
    let o = |v: &Option<String>| v.as_deref().map_or("NULL".into(), q);
    format!(
        "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, target, round, hash, recorder, sig) \
         VALUES ({}, {}, {}, {}, {}, {}, NULL, {}, {}, NULL, 1, {}, NULL, {}); \
         UPDATE meta SET value = {} WHERE key = 'head';",
        e.id,
        q(&e.at),
        q(&e.member),
        q(&e.kind),
        o(&e.unit),
        o(&e.code),
        o(&e.after),
        q(&e.comment),
        q(&e.hash),
        o(&e.sig),
        q(head),
    )
}

/// An event added with SQL, its hash and the head recomputed: named by
/// `log --verify` and refusing writes, whether unsigned or carrying another
/// event's signature. `store` gives each council its session (`None`: the
/// file beside it) and the way to run SQL on it.
/// SQL run on a council's session behind the program's back.
type BehindTheBack = Box<dyn Fn(&Path, &str)>;

fn an_added_event_is_named(store: &dyn Fn() -> (Option<String>, BehindTheBack)) {
    for copy_signature in [false, true] {
        let dir = council("");
        let f = dir.path();
        let (place, sql) = store();
        let place = place.as_deref();
        ok(f, place, &decide("binh", "1.1.1", "0.5"));
        let last = log(f, place).pop().unwrap();
        let sig = copy_signature.then(|| last[13].to_string());
        let (e, head) = forged(&last, sig.as_deref());
        sql(f, &insert_sql(&e, &head));
        let err = refused(f, place, &["log", "--verify"]);
        let why = if copy_signature {
            "carries a signature that is not `binh`'s key's"
        } else {
            "is not signed"
        };
        assert!(err.contains("event 2") && err.contains(why), "{err}");
        if !copy_signature {
            // A reading command answers, and says so.
            let o = run(f, place, &["rank"]);
            assert!(o.status.success() && said(&o).contains(why), "{}", said(&o));
        }
        let err = refused(f, place, &decide("binh", "1.1.1", "1"));
        assert!(err.contains(why), "{err}");
        assert_eq!(log(f, place).len(), 2, "nothing more recorded");
    }
}

#[test]
fn an_event_added_behind_the_programs_back_is_named_and_refuses_writes() {
    an_added_event_is_named(&|| {
        let sql: BehindTheBack = Box::new(|f, sql| {
            let conn = rusqlite::Connection::open(f.join(".thamdinh/session.db")).unwrap();
            conn.execute_batch(sql).unwrap();
        });
        (None, sql)
    });
}

#[test]
fn an_event_added_behind_the_programs_back_on_a_server_is_named() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    an_added_event_is_named(&|| {
        // Each council its own database (the schema is the role's name).
        let db = pg.new_database();
        let url = pg.url(&db);
        let sql: BehindTheBack = Box::new(move |_, sql| {
            pg.sql(&db, &format!("SET search_path TO \"{}\"; {sql}", pg.user));
        });
        (Some(url), sql)
    });
}

/// On a server, each member's login role (`db_role`) writes events of that
/// member only: the server itself refuses another's, through the program or
/// through SQL, and the bindings cannot be changed by a member's role.
#[test]
fn the_server_refuses_an_event_in_another_members_name_from_a_members_role() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    let db = pg.new_database();
    let (r_an, r_binh) = (format!("{db}_an"), format!("{db}_binh"));
    pg.sql(
        "postgres",
        &format!("CREATE ROLE {r_an} LOGIN; CREATE ROLE {r_binh} LOGIN"),
    );
    let dir = council("");
    let f = dir.path();
    let toml = std::fs::read_to_string(f.join("council.toml")).unwrap();
    let toml = toml
        .replacen(
            "id = \"an\"\n",
            &format!("id = \"an\"\ndb_role = \"{r_an}\"\n"),
            1,
        )
        .replacen(
            "id = \"binh\"\n",
            &format!("id = \"binh\"\ndb_role = \"{r_binh}\"\n"),
            1,
        );
    std::fs::write(f.join("council.toml"), toml).unwrap();
    // The secretariat's account makes the session and binds the roles.
    let owner = pg.url(&db);
    ok(f, Some(&owner), &decide("an", "1.1.1", "0.5"));
    // Each member connects as their own role, to the council's schema.
    let as_role = |role: &str| {
        format!(
            "{}&options=-csearch_path%3D{}",
            pg.url_as(role, &db),
            pg.user
        )
    };
    let an = as_role(&r_an);
    ok(f, Some(&an), &decide("an", "1.1.2", "1"));
    // Holding binh's key too, an's role still cannot record for binh.
    let err = refused(f, Some(&an), &decide("binh", "1.1.1", "1"));
    assert!(
        err.contains(&format!(
            "the login role {r_an} is an's: it records for them only, not for binh"
        )),
        "{err}"
    );
    ok(f, Some(&as_role(&r_binh)), &decide("binh", "1.1.1", "1"));
    // Nor through SQL; nor by rebinding the roles.
    let forged = pg.sql_as(
        &r_an,
        &db,
        &format!(
            "INSERT INTO \"{0}\".event(id, at, member, kind, comment, round, hash) \
             VALUES (99, 'x', 'binh', 'vote', '', 1, 'x')",
            pg.user
        ),
    );
    assert!(
        forged
            .as_ref()
            .is_err_and(|e| e.contains("records for them only, not for binh")),
        "{forged:?}"
    );
    let rebound = pg.sql_as(
        &r_an,
        &db,
        &format!("UPDATE \"{}\".member_role SET member = 'binh'", pg.user),
    );
    assert!(
        rebound
            .as_ref()
            .is_err_and(|e| e.contains("permission denied")),
        "{rebound:?}"
    );
    assert_eq!(log(f, Some(&owner)).len(), 3, "an's, an's and binh's");
}

/// A session written before events were signed (schema 2) is read as it is
/// by reading commands, upgraded once by the first write, keeps its unsigned
/// events, and says from which event on every event is signed.
#[test]
fn a_session_from_before_signatures_keeps_its_events_and_signs_from_its_upgrade() {
    let dir = common::meeting_council("");
    let f = dir.path();
    // Written before any key: unsigned events.
    ok(f, None, &decide("binh", "1.1.1", "0.5"));
    ok(f, None, &decide("an", "1.1.2", "1"));
    let db = f.join(".thamdinh/session.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "ALTER TABLE event DROP COLUMN recorder;
             ALTER TABLE event DROP COLUMN sig;
             DELETE FROM meta WHERE key = 'signed_from';
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let version = || -> i64 {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    // The members now have keys.
    for m in ["an", "binh", "chi"] {
        common::give_key(f, m, None);
    }
    // Reading it changes nothing.
    let rank = ok(f, None, &["log", "--format", "csv"]);
    assert_eq!(rank.lines().count(), 3, "{rank}");
    assert_eq!(version(), 2, "reading never upgrades");
    // The first write upgrades it, once; the old events stay as they were.
    ok(f, None, &decide("binh", "1.1.1", "1"));
    assert_eq!(version(), thamdinh::session::SCHEMA_VERSION);
    let rows = log(f, None);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (who(&rows[0]).3, who(&rows[1]).3, who(&rows[2]).3),
        (false, false, true),
        "the two older events unsigned, the new one signed"
    );
    let verified = ok(f, None, &["log", "--verify"]);
    assert!(
        verified.contains("every event from 3 on is signed"),
        "{verified}"
    );
}
