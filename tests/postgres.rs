//! The session on a PostgreSQL server: databases of others and newer schemas
//! refused untouched, councils sharing a database, the commands through
//! `THAMDINH_SESSION`, libpq's passwords, a server stopped under an open
//! session, and `session copy` both ways. A throwaway server runs on a Unix socket.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thamdinh::Points;
use thamdinh::appraisal::Change;
use thamdinh::load::load;
use thamdinh::session::{DecideError, Session};

use common::on_council_with as thamdinh_with;

fn pts(h: i64) -> Change {
    Change::Points(Points(h))
}

fn refused(url: &str) -> String {
    match Session::open(Path::new(url), true) {
        Ok(_) => panic!("{url} should be refused"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn a_database_of_another_program_or_a_newer_schema_is_refused_untouched() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    let schemas = |db: &str| {
        pg.sql(
            db,
            "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
        )
    };
    // Another program's tables: no schema is made beside them.
    let db = pg.new_database();
    pg.sql(
        &db,
        "CREATE TABLE contacts(name text); INSERT INTO contacts VALUES ('x')",
    );
    let before = schemas(&db);
    let err = refused(&pg.url(&db));
    assert!(
        err.contains("tables of another program (public.contacts)"),
        "{err}"
    );
    assert_eq!(schemas(&db), before, "nothing was created");
    assert_eq!(pg.sql(&db, "SELECT count(*) FROM contacts"), ["1"]);
    // A schema of the council's name that holds something else.
    let db = pg.new_database();
    pg.sql(
        &db,
        &format!(
            "CREATE SCHEMA \"{0}\"; CREATE TABLE \"{0}\".meta(key text, value text)",
            pg.user
        ),
    );
    let err = refused(&pg.url(&db));
    assert!(
        err.contains("holds something other than a thamdinh session"),
        "{err}"
    );
    // A session written by a newer thamdinh.
    let db = pg.new_database();
    let url = pg.url(&db);
    let (dir, c) = mini();
    let mut s = Session::open(Path::new(&url), true).unwrap();
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "x").unwrap();
    drop(s);
    pg.sql(&db, "UPDATE meta SET value = '99' WHERE key = 'schema'");
    let err = refused(&url);
    assert!(err.contains("newer thamdinh"), "{err}");
    assert_eq!(
        pg.sql(&db, "SELECT count(*) FROM event"),
        ["1"],
        "left as it was"
    );
    drop(dir);
}

fn mini() -> (tempfile::TempDir, thamdinh::model::Council) {
    let dir = common::mini_copy();
    let c = load(dir.path()).unwrap();
    (dir, c)
}

#[test]
fn councils_sharing_a_database_do_not_see_each_others_events() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    let db = pg.new_database();
    pg.sql(
        &db,
        &format!(
            "CREATE ROLE hanoi LOGIN; CREATE ROLE haiphong LOGIN; GRANT CREATE ON DATABASE {db} TO hanoi, haiphong"
        ),
    );
    let (_dir, c) = mini();
    let hanoi = pg.url_as("hanoi", &db);
    let haiphong = pg.url_as("haiphong", &db);
    // A third council under the superuser, in a schema the URL names.
    let named = format!("{}&options=-c%20search_path%3Dnam2025", pg.url(&db));
    let mut a = Session::open(Path::new(&hanoi), true).unwrap();
    let mut b = Session::open(Path::new(&haiphong), true).unwrap();
    let mut n = Session::open(Path::new(&named), true).unwrap();
    a.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "Hà Nội")
        .unwrap();
    a.decide(&c, "an", "xa-a", "1.1.1", &pts(50), "Hà Nội")
        .unwrap();
    b.decide(&c, "an", "xa-b", "1.1.2", &pts(25), "Hải Phòng")
        .unwrap();
    n.undo(&c, "an").unwrap_err();
    let events = |s: &Session| -> Vec<(i64, String)> {
        s.events()
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.comment))
            .collect()
    };
    assert_eq!(events(&a), [(1, "Hà Nội".into()), (2, "Hà Nội".into())]);
    assert_eq!(events(&b), [(1, "Hải Phòng".into())], "its own ids, from 1");
    assert!(events(&n).is_empty());
    // The database keeps them apart too: one council's role cannot read another's.
    let denied = pg
        .sql_as("haiphong", &db, "SELECT count(*) FROM hanoi.event")
        .unwrap_err();
    assert!(denied.contains("permission denied"), "{denied}");
    assert_eq!(
        pg.sql_as("hanoi", &db, "SELECT count(*) FROM event")
            .unwrap(),
        ["2"],
        "psql with the council's URL sees its log"
    );
}

#[test]
fn the_commands_work_on_the_server_named_by_thamdinh_session() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    let url = pg.database();
    let dir = common::mini_copy();
    let on_pg = [("THAMDINH_SESSION", url.as_str())];
    let run = |args: &[&str]| {
        let o = thamdinh_with(args, dir.path(), &on_pg);
        assert!(o.status.success(), "{args:?}: {}", common::printed(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let decide = [
        "decide", "--member", "an", "--unit", "xa-a", "--code", "1.1.2",
    ];
    run(&[
        &decide[..],
        &["--points", "1", "--comment", "thiếu minh chứng"],
    ]
    .concat());
    run(&[&decide[..], &["--points", "0.5", "--comment", "thiếu hơn"]].concat());
    run(&["undo", "--member", "an"]);
    // Nothing was written beside the council: the server holds the session.
    assert!(!dir.path().join(".thamdinh/session.db").exists());
    let rank = run(&["rank", "--format", "csv"]);
    let log = run(&["log", "--format", "csv"]);
    assert_eq!(log.lines().count(), 4, "header and three events: {log}");
    assert!(run(&["log", "--verify"]).contains("whole"));
    // The same commands on a SQLite session give the same ranking.
    let twin = common::mini_copy();
    let on_file = |args: &[&str]| {
        let o = common::on_council(args, twin.path());
        assert!(o.status.success(), "{}", common::printed(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    on_file(
        &[
            &decide[..],
            &["--points", "1", "--comment", "thiếu minh chứng"],
        ]
        .concat(),
    );
    on_file(&[&decide[..], &["--points", "0.5", "--comment", "thiếu hơn"]].concat());
    on_file(&["undo", "--member", "an"]);
    assert_eq!(on_file(&["rank", "--format", "csv"]), rank);
    // `--session` names it as well.
    let o = thamdinh_with(&["log", "--session", &url], dir.path(), &[]);
    assert!(
        common::printed(&o).contains("thiếu hơn"),
        "{}",
        common::printed(&o)
    );
}

#[test]
fn passwords_come_from_pgpassword_or_the_password_file() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    let db = pg.new_database();
    pg.sql(
        "postgres",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pw') THEN CREATE ROLE pw LOGIN PASSWORD 'mật:khẩu'; END IF; END $$",
    );
    pg.sql(&db, &format!("GRANT CREATE ON DATABASE {db} TO pw"));
    let url = pg.url_as("pw", &db);
    let dir = common::mini_copy();
    let home = tempfile::tempdir().unwrap();
    let log = |env: &[(&str, &str)]| {
        let mut all = vec![("THAMDINH_SESSION", url.as_str())];
        all.push(("HOME", home.path().to_str().unwrap()));
        all.extend_from_slice(env);
        thamdinh_with(
            &[
                "decide",
                "--member",
                "an",
                "--unit",
                "xa-a",
                "--code",
                "1.1.2",
                "--points",
                "1",
                "--comment",
                "x",
            ],
            dir.path(),
            &all,
        )
    };
    let o = log(&[]);
    assert!(!o.status.success());
    let said = common::printed(&o);
    assert!(said.contains("cannot reach the session server"), "{said}");
    assert!(!said.contains("mật"), "{said}");
    assert!(log(&[("PGPASSWORD", "mật:khẩu")]).status.success());
    // ~/.pgpass, with `:` escaped; ignored while others may read it, as libpq does.
    let pgpass = home.path().join(".pgpass");
    std::fs::write(&pgpass, format!("localhost:5432:{db}:pw:mật\\:khẩu\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(
        !log(&[]).status.success(),
        "a password file others can read is not used"
    );
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = log(&[]);
    assert!(o.status.success(), "{}", common::printed(&o));
    // PGPASSFILE names another file.
    let other = home.path().join("other");
    std::fs::rename(&pgpass, &other).unwrap();
    assert!(!log(&[]).status.success());
    let o = log(&[("PGPASSFILE", other.to_str().unwrap())]);
    assert!(o.status.success(), "{}", common::printed(&o));
}

#[test]
fn a_server_stopped_under_an_open_session_refuses_then_resumes_and_loses_nothing() {
    let Some(pg) = common::pg::own_server() else {
        return;
    };
    let url = pg.database();
    let (_dir, c) = mini();
    let mut s = Session::open(Path::new(&url), true).unwrap();
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "trước")
        .unwrap();
    pg.stop();
    match s.decide(&c, "an", "xa-a", "1.1.2", &pts(50), "khi dừng") {
        Err(DecideError::Store(e)) => {
            let e = format!("{e:#}");
            assert!(e.contains("cannot be reached"), "{e}");
        }
        other => panic!("a decision while the server is down must be refused: {other:?}"),
    }
    assert!(!s.changed_elsewhere().unwrap());
    let down = s
        .unreachable()
        .expect("the session says the server is out of reach");
    assert!(
        down.contains("nothing is recorded until it is back"),
        "{down}"
    );
    pg.start();
    // It reconnects by itself on the next write (at most once a second).
    let started = Instant::now();
    let back = loop {
        match s.decide(&c, "an", "xa-a", "1.1.2", &pts(25), "sau") {
            Ok(e) => break e,
            Err(e) if started.elapsed() < Duration::from_secs(20) => {
                drop(e);
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("no reconnection: {e}"),
        }
    };
    assert!(s.unreachable().is_none());
    let events = Session::open(Path::new(&url), false)
        .unwrap()
        .events()
        .unwrap();
    let comments: Vec<&str> = events.iter().map(|e| e.comment.as_str()).collect();
    assert_eq!(
        comments,
        ["trước", "sau"],
        "the refused decision is not there"
    );
    assert_eq!(events[1].id, back.id);
}

/// `thamdinh session copy --from A --to B`.
fn copy(from: &str, to: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args([
            "--lang", "en", "session", "copy", "--from", from, "--to", to,
        ])
        .output()
        .unwrap()
}

#[test]
fn a_session_is_copied_between_the_stores_and_checked_before_it_is_said_done() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    let dir = common::mini_copy();
    let file: PathBuf = dir.path().join(".thamdinh/session.db");
    let run = |args: &[&str]| {
        let o = common::on_council(args, dir.path());
        assert!(o.status.success(), "{}", common::printed(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    run(&[
        "decide",
        "--member",
        "an",
        "--unit",
        "xa-a",
        "--code",
        "1.1.2",
        "--points",
        "1",
        "--comment",
        "một",
    ]);
    run(&[
        "decide",
        "--member",
        "binh",
        "--unit",
        "xa-a",
        "--code",
        "1.1.1",
        "--points",
        "0",
        "--comment",
        "hai\ndòng",
    ]);
    run(&["undo", "--member", "an"]);
    let rank = run(&["rank", "--format", "csv"]);
    let log = run(&["log", "--format", "csv"]);
    let url = pg.database();
    let o = copy(file.to_str().unwrap(), &url);
    let said = common::printed(&o);
    assert!(o.status.success(), "{said}");
    assert!(
        said.contains("3 events") && said.contains("same chain head"),
        "{said}"
    );
    let on_pg = [("THAMDINH_SESSION", url.as_str())];
    let pg_out = |args: &[&str]| {
        String::from_utf8_lossy(&thamdinh_with(args, dir.path(), &on_pg).stdout).to_string()
    };
    assert_eq!(pg_out(&["rank", "--format", "csv"]), rank);
    assert_eq!(pg_out(&["log", "--format", "csv"]), log);
    // Work goes on on the server, then comes back to a new file.
    let o = thamdinh_with(
        &[
            "decide",
            "--member",
            "an",
            "--unit",
            "xa-b",
            "--code",
            "1.1.2",
            "--points",
            "0.5",
            "--comment",
            "ba",
        ],
        dir.path(),
        &on_pg,
    );
    assert!(o.status.success(), "{}", common::printed(&o));
    let back = dir.path().join("back.db");
    let o = copy(&url, back.to_str().unwrap());
    assert!(o.status.success(), "{}", common::printed(&o));
    let events = Session::open(&back, false).unwrap().events().unwrap();
    assert_eq!(events.len(), 4);
    assert_eq!(events[3].comment, "ba");
    // A copy never lands on a session that has events.
    let o = copy(&url, file.to_str().unwrap());
    assert!(!o.status.success());
    assert!(
        common::printed(&o).contains("already holds"),
        "{}",
        common::printed(&o)
    );
    assert_eq!(
        Session::open(&file, false).unwrap().events().unwrap().len(),
        3
    );
}

/// A certificate authority of the province's own, and a server certificate it signed for `localhost`.
struct Certs {
    ca: String,
    cert: String,
    key: String,
}

fn certs() -> Certs {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "Sở Nội vụ CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    Certs {
        ca: ca_cert.pem(),
        cert: cert.pem(),
        key: key.serialize_pem(),
    }
}

#[test]
fn the_connection_is_encrypted_when_the_url_asks_and_the_certificate_checked_as_it_says() {
    let mine = certs();
    let Some(pg) = common::pg::own_tls_server(&mine.cert, &mine.key) else {
        return;
    };
    let db = pg.new_database();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root.crt");
    std::fs::write(&root, &mine.ca).unwrap();
    let stranger = dir.path().join("stranger.crt");
    std::fs::write(&stranger, certs().ca).unwrap();
    let (_council, c) = mini();
    let over_tcp =
        |host: &str, query: &str| format!("postgres://{}@{host}:{}/{db}?{query}", pg.user, pg.port);
    let opens = |url: &str| -> Result<(), String> {
        let mut s = Session::open(Path::new(url), true).map_err(|e| format!("{e:#}"))?;
        s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "qua mạng")
            .map_err(|e| e.to_string())?;
        Ok(())
    };
    // The server lets in encrypted connections only on 127.0.0.1.
    let plain = opens(&over_tcp("localhost", "sslmode=disable")).unwrap_err();
    assert!(plain.contains("cannot reach the session server"), "{plain}");
    opens(&over_tcp("localhost", "sslmode=require")).unwrap();
    opens(&over_tcp("localhost", "sslmode=prefer")).unwrap();
    let root_q = format!("sslrootcert={}", root.display());
    opens(&over_tcp(
        "localhost",
        &format!("sslmode=verify-full&{root_q}"),
    ))
    .unwrap();
    // verify-full names the host: 127.0.0.1 is not in the certificate; verify-ca does not ask.
    let wrong_name = opens(&over_tcp(
        "127.0.0.1",
        &format!("sslmode=verify-full&{root_q}"),
    ))
    .unwrap_err();
    assert!(wrong_name.contains("cannot reach"), "{wrong_name}");
    opens(&over_tcp(
        "127.0.0.1",
        &format!("sslmode=verify-ca&{root_q}"),
    ))
    .unwrap();
    // A certificate another authority would have to sign is refused, even by `require`
    // once a root certificate is given (as libpq does).
    let q = format!("sslmode=verify-ca&sslrootcert={}", stranger.display());
    assert!(opens(&over_tcp("localhost", &q)).is_err());
    let q = format!("sslmode=require&sslrootcert={}", stranger.display());
    assert!(opens(&over_tcp("localhost", &q)).is_err());
    // verify-full with no root certificate at hand says what is missing.
    let none = opens(&over_tcp("localhost", "sslmode=verify-full")).unwrap_err();
    assert!(none.contains("needs a root certificate"), "{none}");
    let db_events = pg.sql(&db, &format!("SELECT count(*) FROM \"{}\".event", pg.user));
    assert_eq!(db_events, ["4"], "one decision per connection let in");
}

#[test]
fn a_session_on_the_server_is_signed_off_verified_and_locked() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    let url = pg.database();
    let f = common::signing::Fixture::new();
    let on_pg = [("THAMDINH_SESSION", url.as_str())];
    let run = |args: &[&str]| thamdinh_with(args, f.path(), &on_pg);
    let o = run(&[
        "decide",
        "--member",
        "an",
        "--unit",
        "xa-a",
        "--code",
        "1.1.2",
        "--points",
        "1",
        "--comment",
        "thiếu",
    ]);
    assert!(o.status.success(), "{}", common::printed(&o));
    common::approve_at(f.path(), Path::new(&url));
    let key = f.key("an");
    let o = run(&["signoff", "--member", "an", "--key", key.to_str().unwrap()]);
    assert!(o.status.success(), "{}", common::printed(&o));
    let signed: Vec<PathBuf> = std::fs::read_dir(f.path().join("signed"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(signed.len(), 1);
    let v = thamdinh::signoff::verify(&signed[0], &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    // `verify` checks the folder against the session the variable names.
    let verify =
        |env: &[(&str, &str)]| common::printed(&thamdinh_with(&["verify"], &signed[0], env));
    assert!(
        verify(&on_pg).contains("session holds this folder's last event"),
        "{}",
        verify(&on_pg)
    );
    // The signed log is the server's log, sign-off included.
    let log = String::from_utf8_lossy(&run(&["log", "--format", "csv"]).stdout).to_string();
    let kept = std::fs::read_to_string(signed[0].join("log.csv")).unwrap();
    assert_eq!(kept.lines().count(), log.lines().count(), "{kept}\n{log}");
    assert!(kept.lines().last().unwrap().contains(",signoff,"));
    // Locked on the server for every machine until reopened.
    let o = run(&[
        "decide",
        "--member",
        "binh",
        "--unit",
        "xa-a",
        "--code",
        "1.1.1",
        "--points",
        "0",
        "--comment",
        "sau",
    ]);
    assert!(!o.status.success());
    assert!(
        common::printed(&o).contains("signed off"),
        "{}",
        common::printed(&o)
    );
    assert!(
        !f.path().join(".thamdinh/session.db").exists(),
        "nothing written beside the council"
    );
}

#[test]
fn a_session_url_that_cannot_serve_is_refused_in_the_readers_words() {
    let dir = common::mini_copy();
    let nowhere = tempfile::tempdir().unwrap();
    let vi = |url: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
            .args(["rank", "--session", url])
            .arg(dir.path())
            .env_remove("LANG")
            .output()
            .unwrap();
        assert!(!o.status.success(), "{url}");
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    let said = vi("postgres:///cchc?sslmode=bogus");
    assert!(
        said.contains("sslmode=bogus không phải chế độ libpq biết") && said.contains("verify-full"),
        "{said}"
    );
    let said = vi("postgres://an@db:notaport/cchc");
    assert!(said.contains("không phải địa chỉ phiên hợp lệ"), "{said}");
    assert!(
        !said.contains("invalid"),
        "no word of the client's English: {said}"
    );
    let url = format!(
        "postgres://an@/cchc?host={}&sslmode=disable",
        nowhere.path().display()
    );
    let said = vi(&url);
    assert!(
        said.contains("không kết nối được máy chủ phiên")
            && said.contains("không có máy chủ nào trả lời ở địa chỉ đó"),
        "{said}"
    );
    assert!(!said.contains("error"), "{said}");
}

#[test]
fn a_session_on_a_server_is_never_said_to_be_moved_or_deleted() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    let url = pg.database();
    let (_dir, c) = mini();
    let mut s = Session::open(Path::new(&url), true).unwrap();
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "x").unwrap();
    // What the screen asks at every tick before it writes.
    assert_eq!(
        s.whereabouts(),
        thamdinh::session::Whereabouts::Here,
        "a server's session has no file to move"
    );
    s.decide(&c, "an", "xa-a", "1.1.1", &pts(50), "y").unwrap();
}

#[test]
fn a_search_path_of_the_connecting_role_or_a_name_postgresql_would_cut_is_understood_or_said() {
    let Some(pg) = common::pg::server() else {
        return;
    };
    let db = pg.new_database();
    let (_dir, c) = mini();
    // `$user`, as PostgreSQL reads it: the role's own schema, as with no search_path.
    let own = format!("{}&options=-c%20search_path%3D%24user", pg.url(&db));
    let mut s = Session::open(Path::new(&own), true).unwrap_or_else(|e| panic!("{e:#}"));
    s.decide(&c, "an", "xa-a", "1.1.2", &pts(100), "x").unwrap();
    drop(s);
    let plain = Session::open(Path::new(&pg.url(&db)), false).unwrap();
    assert_eq!(plain.events().unwrap().len(), 1, "the same schema");
    // A schema name longer than PostgreSQL keeps is refused in words, before anything is made.
    let long = "hoi_dong_tham_dinh_chi_so_cai_cach_hanh_chinh_tinh_son_mau_2025_x";
    assert!(long.len() > 63);
    let url = format!("{}&options=-c%20search_path%3D{long}", pg.url(&db));
    let err = match Session::open(Path::new(&url), true) {
        Ok(_) => panic!("a schema name PostgreSQL would cut"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("63 bytes at most"), "{err}");
    assert!(
        pg.sql(
            &db,
            &format!(
                "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '{}%'",
                &long[..40]
            )
        ) == ["0"],
        "no schema was made"
    );
}
