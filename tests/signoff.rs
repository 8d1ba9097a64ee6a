//! Sign-off: signed folders that verify with our `verify` and with standard tools,
//! that fail on any change, that a crash never leaves half-written, and the lock.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use thamdinh::appraisal::{Change, Refusal};
use thamdinh::keys;
use thamdinh::load::load;
use thamdinh::session::{DecideError, Session};
use thamdinh::signoff;

use common::signing::{Fixture, minisign_with, rewrite_manifest, walk};

fn thamdinh(args: &[&str]) -> std::process::Output {
    common::run_with_keys(args)
}

#[test]
fn sign_verify_add_a_second_signature_verify_both() {
    let f = Fixture::new();
    let c = load(f.path()).unwrap();
    f.session()
        .decide(
            &c,
            "an",
            "xa-a",
            "1.1.2",
            &Change::Points(thamdinh::Points(100)),
            "Một sáng kiến",
        )
        .unwrap();
    let signed = f.signoff("an").unwrap();
    assert!(signed.starts_with(f.path().join("signed")));
    let v = signoff::verify(&signed, &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert_eq!(v.signers.len(), 1);
    assert!(
        v.signers[0].1.contains("member: an (Nguyễn Văn An)"),
        "{:?}",
        v.signers
    );
    signoff::sign(&signed, "binh", &keys::load_secret(&f.key("binh")).unwrap()).unwrap();
    let v = signoff::verify(&signed, &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let who: Vec<&str> = v.signers.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(who, ["an", "binh"]);
    // The CLI says the same, and the folder holds what the spec lists.
    let out = thamdinh(&["verify", signed.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "MANIFEST",
        "MANIFEST.an.minisig",
        "MANIFEST.binh.minisig",
        "ranking.csv",
        "log.csv",
        "council.toml",
        "units/xa-a.toml",
        "units/xa-c.toml",
    ] {
        assert!(signed.join(f).is_file(), "{f}");
    }
    let unit = std::fs::read_to_string(signed.join("units/xa-a.toml")).unwrap();
    assert!(unit.contains("index = 75.83\n"), "4.55 / 6 → 75.83\n{unit}");
    assert!(unit.contains("decided_by = \"an\""), "{unit}");
    let rank = thamdinh(&["rank", f.path().to_str().unwrap(), "--format", "csv"]);
    assert_eq!(
        std::fs::read(signed.join("ranking.csv")).unwrap(),
        rank.stdout,
        "ranking.csv is what rank prints"
    );
}

fn minisign_available() -> bool {
    common::program_available("minisign", "-v", "minisign", "the interoperability checks")
}

#[test]
fn standard_tools_check_our_folders_and_we_check_theirs() {
    if !minisign_available() {
        return;
    }
    let f = Fixture::new();
    let signed = f.signoff("an").unwrap();
    let sum = Command::new("sha256sum")
        .args(["-c", "MANIFEST"])
        .current_dir(&signed)
        .output()
        .expect("sha256sum is installed");
    assert!(
        sum.status.success(),
        "{}",
        String::from_utf8_lossy(&sum.stdout)
    );
    let pk = keys::public_of(&keys::load_secret(&f.key("an")).unwrap())
        .unwrap()
        .to_base64();
    let v = Command::new("minisign")
        .args([
            "-V",
            "-m",
            "MANIFEST",
            "-x",
            "MANIFEST.an.minisig",
            "-P",
            &pk,
        ])
        .current_dir(&signed)
        .output()
        .expect("the minisign binary is installed (.ci/run installs it)");
    assert!(
        v.status.success(),
        "minisign -V: {}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );

    // A key made by `minisign -G` signs a folder through our `sign`, and `minisign -S`
    // signatures pass our `verify`.
    let tmp = tempfile::tempdir().unwrap();
    let (sk, pkf) = (tmp.path().join("m.key"), tmp.path().join("m.pub"));
    let g = Command::new("minisign")
        .args([
            "-G",
            "-W",
            "-s",
            sk.to_str().unwrap(),
            "-p",
            pkf.to_str().unwrap(),
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
    let theirs = std::fs::read_to_string(&pkf).unwrap();
    let their_pk = theirs.lines().nth(1).unwrap().to_string();
    let s = Command::new("minisign")
        .args([
            "-S",
            "-s",
            sk.to_str().unwrap(),
            "-m",
            "MANIFEST",
            "-x",
            "MANIFEST.cuong.minisig",
            "-t",
            "ký bởi minisign",
        ])
        .current_dir(&signed)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let v = signoff::verify(&signed, &[(Some("cuong".into()), their_pk.clone())], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert!(
        v.signers
            .iter()
            .any(|(m, c)| m == "cuong" && c == "ký bởi minisign"),
        "{:?}",
        v.signers
    );
    // And a minisign -G secret key loads for signing.
    let loaded = keys::load_secret(&sk).unwrap();
    assert_eq!(keys::public_of(&loaded).unwrap().to_base64(), their_pk);
}

#[test]
fn any_changed_byte_added_or_removed_file_fails_verify_naming_the_file() {
    let f = Fixture::new();
    let signed = f.signoff("an").unwrap();
    signoff::sign(&signed, "binh", &keys::load_secret(&f.key("binh")).unwrap()).unwrap();
    let mut files = Vec::new();
    for e in walk(&signed) {
        files.push(e);
    }
    assert!(files.len() >= 9);
    for rel in &files {
        let p = signed.join(rel);
        let original = std::fs::read(&p).unwrap();
        for at in [0, original.len() / 2, original.len() - 1] {
            let mut bytes = original.clone();
            bytes[at] ^= 0x01;
            std::fs::write(&p, &bytes).unwrap();
            let v = signoff::verify(&signed, &[], None).unwrap();
            let named = rel.as_str();
            let hit = v.problems.iter().any(|m| {
                m.en.contains(named) || (named == "MANIFEST" && m.en.contains("MANIFEST"))
            });
            assert!(
                hit,
                "changing byte {at} of {rel} was not caught: {:?}",
                v.problems
            );
            let out = thamdinh(&["verify", signed.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(1), "{rel} byte {at}");
        }
        std::fs::write(&p, &original).unwrap();
    }
    assert!(
        signoff::verify(&signed, &[], None)
            .unwrap()
            .problems
            .is_empty(),
        "restored"
    );
    std::fs::write(signed.join("units/extra.toml"), "x = 1\n").unwrap();
    let v = signoff::verify(&signed, &[], None).unwrap();
    assert!(
        v.problems
            .iter()
            .any(|m| m.en.contains("units/extra.toml: added")),
        "{:?}",
        v.problems
    );
    std::fs::remove_file(signed.join("units/extra.toml")).unwrap();
    std::fs::remove_file(signed.join("log.csv")).unwrap();
    let v = signoff::verify(&signed, &[], None).unwrap();
    assert!(
        v.problems.iter().any(|m| m.en.contains("log.csv: missing")),
        "{:?}",
        v.problems
    );
}

#[test]
fn the_lock_refuses_decisions_until_reopen_and_a_later_signoff_makes_a_new_folder() {
    let f = Fixture::new();
    let c = load(f.path()).unwrap();
    let first = f.signoff("an").unwrap();
    let mut s = f.session();
    let refused = s.decide(
        &c,
        "an",
        "xa-a",
        "1.1.2",
        &Change::Points(thamdinh::Points(0)),
        "x",
    );
    assert!(
        matches!(refused, Err(DecideError::Refused(Refusal::Locked))),
        "{refused:?}"
    );
    assert!(matches!(
        f.signoff("an"),
        Err(DecideError::Refused(Refusal::AlreadySigned { .. }))
    ));
    assert!(matches!(
        s.reopen(&c, "an", "  "),
        Err(DecideError::Refused(Refusal::ReasonNeeded))
    ));
    s.reopen(&c, "an", "Đơn vị gửi bổ sung tài liệu").unwrap();
    assert!(matches!(
        s.reopen(&c, "an", "again"),
        Err(DecideError::Refused(Refusal::NotLocked))
    ));
    s.decide(
        &c,
        "an",
        "xa-a",
        "1.1.2",
        &Change::Points(thamdinh::Points(0)),
        "Không được công nhận",
    )
    .unwrap();
    let second = f.signoff("an").unwrap();
    assert_ne!(first, second);
    assert!(
        signoff::verify(&first, &[], None)
            .unwrap()
            .problems
            .is_empty(),
        "the old folder stays as it was"
    );
    let log = std::fs::read_to_string(second.join("log.csv")).unwrap();
    assert!(
        log.contains(",an,signoff,") && log.contains(",an,reopen,"),
        "{log}"
    );
}

#[test]
fn a_signoff_by_someone_without_the_councils_key_is_refused() {
    let f = Fixture::new();
    let c = load(f.path()).unwrap();
    let stranger = tempfile::tempdir().unwrap();
    keys::generate("an", &stranger.path().join("an.key"), None).unwrap();
    let sk = keys::load_secret(&stranger.path().join("an.key")).unwrap();
    let r = signoff::signoff(f.path(), &c, &mut f.session(), "an", &sk);
    assert!(r.is_err());
    assert!(!f.path().join("signed").exists(), "nothing was written");
}

#[test]
fn password_protected_keys_need_their_password() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("k.key");
    keys::generate("an", &p, Some("mật khẩu".into())).unwrap();
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains("thamdinh secret key of member an"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // A wrong password is said in the run's language.
    for (lang, said) in [
        ("vi", "Sai mật khẩu của khoá này"),
        ("en", "Wrong password"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_thamdinh"))
            .args([
                "--lang",
                lang,
                "sign",
                "/nonexistent",
                "--member",
                "an",
                "--key",
            ])
            .arg(&p)
            .env("THAMDINH_PASSWORD", "sai")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{err}");
    }
}

/// Child process of the crash test: signs off once (with THAMDINH_SIGNOFF_CHILD set).
#[test]
#[ignore = "run as a child process by the crash test"]
fn child_signoff() {
    let Ok(folder) = std::env::var("THAMDINH_SIGNOFF_CHILD") else {
        return;
    };
    let key = std::env::var("THAMDINH_KEY").unwrap();
    let folder = Path::new(&folder);
    let c = load(folder).unwrap();
    let sk = keys::load_secret(Path::new(&key)).unwrap();
    let mut s = Session::open(&folder.join(".thamdinh/session.db"), true).unwrap();
    let _ = signoff::signoff(folder, &c, &mut s, "an", &sk);
}

#[test]
fn a_crash_during_signoff_leaves_no_partial_folder() {
    let f = Fixture::new();
    let c = load(f.path()).unwrap();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut completed = 0;
    for _ in 0..40 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                &crate::test_name!("child_signoff"),
                "--test-threads=1",
                "-q",
            ])
            .env("THAMDINH_SIGNOFF_CHILD", f.path())
            .env("THAMDINH_KEY", f.key("an"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(2_000 + seed % 25_000));
        let _ = child.kill();
        child.wait().unwrap();
        // The next command finishes or undoes what the kill interrupted; then
        // the lock and the folders agree.
        let mut s = f.session();
        signoff::settle(f.path(), &c, &mut s).unwrap();
        let events = s.events().unwrap();
        let signoffs: Vec<&str> = events
            .iter()
            .filter(|e| e.kind == "signoff")
            .map(|e| e.comment.as_str())
            .collect();
        for name in &signoffs {
            let interrupted = events.iter().any(|e| {
                e.kind == "reopen" && e.comment.contains(name) && e.comment.contains("interrupted")
            });
            assert!(
                f.path().join(name).is_dir() != interrupted,
                "{name}: a recorded sign-off has its folder, or was reopened as interrupted"
            );
        }
        let folders = std::fs::read_dir(f.path().join("signed")).map_or(0, |d| d.count());
        let placed = signoffs
            .iter()
            .filter(|n| f.path().join(n).is_dir())
            .count();
        assert_eq!(folders, placed, "no folder under signed/ without its event");
        if s.replay(&c).unwrap().locked() {
            completed += 1;
            s.reopen(&c, "an", "thử lại").unwrap();
        }
    }
    let signed = f.path().join("signed");
    let folders: Vec<PathBuf> = match std::fs::read_dir(&signed) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    for d in &folders {
        let v = signoff::verify(d, &[], None).unwrap();
        assert!(
            v.problems.is_empty(),
            "{} is partial: {:?}",
            d.display(),
            v.problems
        );
    }
    assert!(
        folders.len() >= completed,
        "every completed sign-off left its folder"
    );
    let staged = std::fs::read_dir(f.path().join(".thamdinh"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("signoff-"))
        })
        .count();
    assert!(
        staged <= 1,
        "at most the last kill's staging is left ({staged})"
    );
    eprintln!(
        "{} of 40 sign-offs completed before the kill; {} folders, all whole",
        completed,
        folders.len()
    );
}

#[cfg(unix)]
#[test]
fn verify_names_a_pipe_or_a_link_in_a_listed_files_place_and_reads_neither() {
    let f = Fixture::new();
    let signed = f.signoff("an").unwrap();
    let log = signed.join("log.csv");
    for what in ["pipe", "link to /dev/zero", "link inside"] {
        let _ = std::fs::remove_file(&log);
        match what {
            "pipe" => assert!(Command::new("mkfifo").arg(&log).status().unwrap().success()),
            "link to /dev/zero" => std::os::unix::fs::symlink("/dev/zero", &log).unwrap(),
            _ => std::os::unix::fs::symlink(signed.join("MANIFEST"), &log).unwrap(),
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let dir = signed.clone();
        std::thread::spawn(move || {
            let _ = tx.send(signoff::verify(&dir, &[], None).map(|v| v.problems));
        });
        let problems = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("verify did not hang")
            .unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.en.contains("log.csv: not a regular file")),
            "{what}: {problems:?}"
        );
    }
}

/// Rewrites MANIFEST for the folder's files as they are now.
#[test]
fn a_forged_folder_resigned_with_a_fresh_key_never_verifies() {
    let f = Fixture::new();
    let signed = f.signoff("an").unwrap();
    // The attacker lowers a unit's index, rewrites MANIFEST, signs it with a key
    // of their own, and puts that key in the folder's own council.toml.
    let unit = signed.join("units/xa-a.toml");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(&unit, text.replacen("rank = ", "rank = 9\nx_rank = ", 1)).unwrap();
    let keys = tempfile::tempdir().unwrap();
    let fresh = keys::generate("an", &keys.path().join("fresh.key"), None).unwrap();
    let own = signed.join("council.toml");
    let council_text = std::fs::read_to_string(&own).unwrap();
    let start = council_text.find("pubkey = \"").unwrap() + 10;
    let end = start + council_text[start..].find('"').unwrap();
    std::fs::write(
        &own,
        format!("{}{fresh}{}", &council_text[..start], &council_text[end..]),
    )
    .unwrap();
    let manifest = rewrite_manifest(&signed);
    let sk = keys::load_secret(&keys.path().join("fresh.key")).unwrap();
    std::fs::write(
        signed.join("MANIFEST.an.minisig"),
        minisign_with(&sk, &manifest, "an"),
    )
    .unwrap();
    // In its council folder: the council's own key for `an` does not match.
    let v = signoff::verify(&signed, &[], None).unwrap();
    let said: Vec<&str> = v.problems.iter().map(|p| p.en.as_str()).collect();
    assert!(v.signers.is_empty(), "{:?}", v.signers);
    assert!(
        said.iter()
            .any(|p| p.contains("MANIFEST.an.minisig") && p.contains("`an`")),
        "{said:?}"
    );
    // Moved away from its council folder: nothing anchors the keys, exit non-zero.
    let away = tempfile::tempdir().unwrap();
    let moved = away.path().join("2026-11-24-1");
    std::fs::create_dir_all(&moved).unwrap();
    common::copy(&signed, &moved);
    let o = thamdinh(&["--lang", "en", "verify", moved.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("nothing anchors"), "{err}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("good signature"));
    // With the council's real keys given apart, it fails naming the member.
    let o = thamdinh(&[
        "--lang",
        "en",
        "verify",
        moved.to_str().unwrap(),
        "--trusted",
        f.path().join("council.toml").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("`an`"), "{err}");
    // And the untouched folder, moved away, verifies with the trusted keys only.
    let good = f.signoff_again_after_reopen();
    let elsewhere = away.path().join("good");
    std::fs::create_dir_all(&elsewhere).unwrap();
    common::copy(&good, &elsewhere);
    let lines = tempfile::NamedTempFile::new().unwrap();
    let council = load(f.path()).unwrap();
    let an = council.member("an").unwrap().pubkey.clone().unwrap();
    std::fs::write(lines.path(), format!("# the council's keys\nan {an}\n")).unwrap();
    let o = thamdinh(&[
        "--lang",
        "en",
        "verify",
        elsewhere.to_str().unwrap(),
        "--trusted",
        lines.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

impl Fixture {
    /// Reopens the session and signs off again as `an`: a second, untouched folder.
    fn signoff_again_after_reopen(&self) -> PathBuf {
        let c = load(self.path()).unwrap();
        self.session().reopen(&c, "an", "làm lại").unwrap();
        self.signoff("an").unwrap()
    }
}

#[cfg(unix)]
#[test]
fn verify_prints_no_control_byte_from_names_paths_or_comments() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::new();
    let signed = f.signoff("an").unwrap();
    let evil = "\u{1b}[2J\u{1b}[H\u{1b}]0;ok\u{7}ok";
    // An added file and a MANIFEST path carrying escape sequences, and a
    // signature whose trusted comment carries them too.
    std::fs::write(
        signed.join(std::ffi::OsStr::from_bytes(
            format!("{evil}.txt").as_bytes(),
        )),
        b"x",
    )
    .unwrap();
    let mut manifest = std::fs::read(signed.join("MANIFEST")).unwrap();
    manifest.extend_from_slice(format!("{}  {evil}/../x\n", "0".repeat(64)).as_bytes());
    // A path whose `..` an escape sequence would swallow if it were cleaned first.
    manifest.extend_from_slice(format!("{}  \u{1b}[/../x\n", "0".repeat(64)).as_bytes());
    std::fs::write(signed.join("MANIFEST"), &manifest).unwrap();
    let sk = keys::load_secret(&f.key("binh")).unwrap();
    std::fs::write(
        signed.join("MANIFEST.binh.minisig"),
        minisign_with(&sk, &manifest, &format!("binh {evil}")),
    )
    .unwrap();
    let o = thamdinh(&["--lang", "en", "verify", signed.to_str().unwrap()]);
    assert!(!o.status.success());
    let all = [o.stdout.as_slice(), o.stderr.as_slice()].concat();
    let text = String::from_utf8_lossy(&all);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(text.contains("good signature by binh"), "{text}");
    assert!(text.contains("added"), "{text}");
    assert_eq!(
        text.matches("is not a path inside the folder").count(),
        2,
        "{text}"
    );
}

#[test]
fn signed_unit_files_keep_the_figures_a_ratio_leaf_was_scored_from() {
    let f = Fixture::new();
    let c = load(f.path()).unwrap();
    f.session()
        .decide(
            &c,
            "an",
            "xa-a",
            "1.2",
            &Change::Ratio(90, 100),
            "hồ sơ trễ hạn",
        )
        .unwrap();
    let signed = f.signoff("an").unwrap();
    let item = |unit: &str| -> toml::Table {
        let text = std::fs::read_to_string(signed.join(format!("units/{unit}.toml"))).unwrap();
        let t: toml::Table = toml::from_str(&text).unwrap();
        t["item"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_table().unwrap().clone())
            .find(|i| i["code"].as_str() == Some("1.2"))
            .unwrap()
    };
    let int = |t: &toml::Table, k: &str| t.get(k).and_then(|v| v.as_integer());
    // Corrected by the council: both pairs of figures, and the points they give.
    let a = item("xa-a");
    assert_eq!(
        (int(&a, "self_numerator"), int(&a, "self_denominator")),
        (Some(96), Some(100))
    );
    assert_eq!(
        (int(&a, "numerator"), int(&a, "denominator")),
        (Some(90), Some(100))
    );
    assert_eq!(
        a["points"].as_float(),
        Some(1.0),
        "90% is in the 80% band: {a:?}"
    );
    assert_eq!(a["self_points"].as_float(), Some(2.0), "{a:?}");
    // Not decided: the unit's figures stand for both.
    let b = item("xa-b");
    assert_eq!(
        (int(&b, "numerator"), int(&b, "denominator")),
        (int(&b, "self_numerator"), int(&b, "self_denominator"))
    );
    assert_eq!(int(&b, "self_denominator"), Some(0));
}

#[test]
fn a_signoff_interrupted_between_its_event_and_its_folder_is_finished_by_the_next_command() {
    let f = Fixture::new();
    let folder = f.path().to_str().unwrap();
    let decide_as = |member: &str, points: &str| {
        thamdinh(&[
            "--lang",
            "en",
            "decide",
            folder,
            "--member",
            member,
            "--unit",
            "xa-a",
            "--code",
            "1.1.1",
            "--points",
            points,
            "--comment",
            "sau ký",
        ])
    };
    let decide = |points: &str| decide_as("binh", points);
    // Recorded, but the folder still in staging (a kill before the move).
    let signed = f.signoff("an").unwrap();
    let name = signed.file_name().unwrap().to_str().unwrap().to_string();
    let staged = f.path().join(".thamdinh").join(format!("signoff-{name}"));
    std::fs::rename(&signed, &staged).unwrap();
    let o = decide("0.5");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("now in place"), "{err}");
    assert!(err.contains("signed off"), "the session is locked: {err}");
    assert!(!o.status.success());
    assert!(
        signoff::verify(&signed, &[], None)
            .unwrap()
            .problems
            .is_empty()
    );
    assert!(!staged.exists());
    // Recorded, and the folder never written whole: reopened with that reason.
    let c = load(f.path()).unwrap();
    f.session().reopen(&c, "an", "sửa").unwrap();
    let second = f.signoff("an").unwrap();
    assert_ne!(second, signed);
    std::fs::remove_dir_all(&second).unwrap();
    // Another member's command cannot reopen it: the session stays locked, saying who can.
    let o = decide("0.5");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("until the chair or `an` reopens it") && err.contains("signed off"),
        "{err}"
    );
    // The signer's next command reopens it, with its key.
    let o = decide_as("an", "0.5");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("interrupted before its folder was written"),
        "{err}"
    );
    let log =
        String::from_utf8_lossy(&thamdinh(&["--lang", "en", "log", folder]).stdout).into_owned();
    assert!(log.contains("reopen"), "{log}");
    // A third sign-off takes a name never used before.
    let third = f.signoff("an").unwrap();
    assert_ne!(third, second);
    assert!(
        signoff::verify(&third, &[], None)
            .unwrap()
            .problems
            .is_empty()
    );
}

#[test]
fn only_the_chair_or_the_signer_reopens_and_the_earlier_folder_says_it_was_superseded() {
    let f = Fixture::new();
    let c = load(f.path()).unwrap();
    let folder = f.path().to_str().unwrap();
    // Signed by the chair: another member may not reopen.
    let first = f.signoff("an").unwrap();
    let o = thamdinh(&[
        "--lang",
        "en",
        "reopen",
        folder,
        "--member",
        "binh",
        "--reason",
        "tôi muốn sửa",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("only the chair or `an`"), "{err}");
    assert!(f.session().replay(&c).unwrap().locked());
    // Before any reopening the folder verifies with no word of it.
    let o = thamdinh(&["--lang", "en", "verify", first.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(!String::from_utf8_lossy(&o.stdout).contains("superseded"));
    f.session().reopen(&c, "an", "Đơn vị gửi bổ sung").unwrap();
    // Still whole, and said to be superseded, with when, by whom and why.
    let o = thamdinh(&["--lang", "en", "verify", first.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("superseded by a reopening on ") && out.contains(" by an: Đơn vị gửi bổ sung"),
        "{out}"
    );
    // Signed by a member: that member may reopen, and so may the chair.
    f.signoff("binh").unwrap();
    f.session_as("binh")
        .reopen(&c, "binh", "sửa lỗi chính tả")
        .unwrap();
    f.signoff("binh").unwrap();
    f.session().reopen(&c, "an", "Chủ tịch mở lại").unwrap();
}

#[test]
fn input_files_changed_under_an_open_screen_are_said_and_sign_off_is_refused() {
    use thamdinh::tui::app::{Action, App, Status};
    let f = Fixture::new();
    let c = load(f.path()).unwrap();
    let mut app = App::new(
        c,
        f.path(),
        &f.path().join(".thamdinh/session.db"),
        Some("an"),
        thamdinh::i18n::Lang::En,
        thamdinh::tui::keymap::KeyMap::default_map(),
    )
    .unwrap();
    // A unit sends a corrected self-assessment while the screen is open.
    let a = f.path().join("assessments/a.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(&a, text.replacen("points = 1.5", "points = 2", 1)).unwrap();
    app.update(Action::Tick);
    assert!(
        matches!(&app.main.status, Some(Status::Error(s))
            if s.contains("input files changed on disk") && s.contains("assessments/a.toml")),
        "{:?}",
        app.main.status
    );
    // Signing from the screen (the council approved meanwhile) reads the
    // folder again and refuses, naming the unit.
    common::approve(f.path());
    let sk = keys::load_secret(&f.key("an")).unwrap();
    app.main.sign_off(&sk);
    assert!(
        matches!(&app.main.status, Some(Status::Error(s))
            if s.contains("input files changed") && s.contains("units/xa-a.toml")),
        "{:?}",
        app.main.status
    );
    assert!(!f.path().join("signed").exists());
    assert!(
        !f.session()
            .replay(&load(f.path()).unwrap())
            .unwrap()
            .locked()
    );
    // Loaded again, the same inputs sign.
    drop(app);
    f.signoff("an").unwrap();
}

#[test]
fn an_old_signature_on_a_new_manifest_and_manifest_paths_outside_the_folder_fail() {
    let f = Fixture::new();
    let first = f.signoff("an").unwrap();
    let c = load(f.path()).unwrap();
    let mut s = f.session();
    s.reopen(&c, "an", "Bổ sung").unwrap();
    s.decide(
        &c,
        "an",
        "xa-a",
        "1.1.2",
        &Change::Points(thamdinh::Points(50)),
        "Giảm điểm",
    )
    .unwrap();
    let second = f.signoff("an").unwrap();
    assert!(
        signoff::verify(&second, &[], None)
            .unwrap()
            .problems
            .is_empty()
    );
    // The first folder's signature, replayed onto the second's MANIFEST.
    std::fs::copy(
        first.join("MANIFEST.an.minisig"),
        second.join("MANIFEST.an.minisig"),
    )
    .unwrap();
    let v = signoff::verify(&second, &[], None).unwrap();
    assert!(v.signers.is_empty(), "{:?}", v.signers);
    let problems: Vec<&str> = v.problems.iter().map(|p| p.en.as_str()).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("MANIFEST.an.minisig") && p.contains("`an`")),
        "{problems:?}"
    );
    // MANIFEST naming files outside the folder, by an absolute path and by `..`.
    let mut manifest = std::fs::read(first.join("MANIFEST")).unwrap();
    for outside in [
        "/etc/hostname",
        "../../council.toml",
        "units/../../../council.toml",
    ] {
        manifest.extend_from_slice(format!("{}  {outside}\n", "0".repeat(64)).as_bytes());
    }
    std::fs::write(first.join("MANIFEST"), &manifest).unwrap();
    let v = signoff::verify(&first, &[], None).unwrap();
    let problems: Vec<&str> = v.problems.iter().map(|p| p.en.as_str()).collect();
    for outside in [
        "/etc/hostname",
        "../../council.toml",
        "units/../../../council.toml",
    ] {
        assert!(
            problems
                .iter()
                .any(|p| p.contains(outside) && p.contains("not a path inside the folder")),
            "{outside}: {problems:?}"
        );
    }
}

#[test]
fn a_signed_file_larger_than_an_input_may_be_is_hashed_not_called_irregular() {
    let f = Fixture::new();
    let signed = f.signoff("an").unwrap();
    // A province's workbook can pass the 64 MB an input file may hold.
    let big = std::fs::File::create(signed.join("ket-qua.xlsx")).unwrap();
    big.set_len(65 * 1024 * 1024).unwrap();
    drop(big);
    let manifest = rewrite_manifest(&signed);
    let sk = keys::load_secret(&f.key("an")).unwrap();
    let trusted = "council: Hội đồng | member: an (An) | time: 2026-01-01T00:00:00Z";
    std::fs::write(
        signed.join("MANIFEST.an.minisig"),
        minisign_with(&sk, &manifest, trusted),
    )
    .unwrap();
    let v = signoff::verify(&signed, &[], None).unwrap();
    let said: Vec<&str> = v.problems.iter().map(|p| p.en.as_str()).collect();
    assert!(
        !said.iter().any(|p| p.starts_with("ket-qua.xlsx")),
        "the large workbook is hashed and matches: {said:?}"
    );
    // One byte changed in it is still found.
    let mut bytes = std::fs::OpenOptions::new()
        .write(true)
        .open(signed.join("ket-qua.xlsx"))
        .unwrap();
    std::io::Seek::seek(&mut bytes, std::io::SeekFrom::Start(40_000_000)).unwrap();
    std::io::Write::write_all(&mut bytes, b"x").unwrap();
    drop(bytes);
    let v = signoff::verify(&signed, &[], None).unwrap();
    assert!(
        v.problems
            .iter()
            .any(|p| p.en == "ket-qua.xlsx: changed (its SHA-256 differs from MANIFEST)"),
        "{:?}",
        v.problems
    );
}

#[test]
fn the_inputs_digest_follows_every_input_file_and_nothing_else() {
    let f = Fixture::new();
    let c = thamdinh::load::load_hashed(f.path()).unwrap();
    let digest = thamdinh::load::inputs_digest(f.path());
    assert!(c.inputs.is_some() && c.inputs == digest, "as loaded");
    assert_eq!(
        load(f.path()).unwrap().inputs,
        None,
        "a plain load keeps none"
    );
    // Files the load does not read leave it as it was.
    std::fs::create_dir_all(f.path().join("evidence")).unwrap();
    std::fs::write(f.path().join("evidence/ke-hoach.pdf"), b"%PDF").unwrap();
    std::fs::write(f.path().join("assessments/.a.toml.swp"), b"x").unwrap();
    assert_eq!(thamdinh::load::inputs_digest(f.path()), digest);
    // A byte of an input, an input added, an input gone: each changes it.
    let a = f.path().join("assessments/a.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(&a, format!("{text}\n# ghi chú\n")).unwrap();
    let commented = thamdinh::load::inputs_digest(f.path());
    assert_ne!(commented, digest);
    std::fs::write(&a, &text).unwrap();
    assert_eq!(thamdinh::load::inputs_digest(f.path()), digest);
    std::fs::copy(&a, f.path().join("assessments/z.toml")).unwrap();
    assert_ne!(thamdinh::load::inputs_digest(f.path()), digest);
    std::fs::remove_file(f.path().join("assessments/z.toml")).unwrap();
    // Every folder the load reads counts, each file of it by its bytes:
    // the digest lists them apart from the load and must list them all.
    for rel in ["frameworks/fw.toml", "surveys/s.toml", "council.toml"] {
        let path = f.path().join(rel);
        let before = std::fs::read(&path).unwrap();
        std::fs::write(&path, [&before[..], b"\n"].concat()).unwrap();
        assert_ne!(thamdinh::load::inputs_digest(f.path()), digest, "{rel}");
        std::fs::write(&path, &before).unwrap();
        assert_eq!(thamdinh::load::inputs_digest(f.path()), digest, "{rel}");
    }
    let explanations = f.path().join("explanations");
    std::fs::create_dir_all(&explanations).unwrap();
    std::fs::write(explanations.join("a.toml"), b"round = 1\n").unwrap();
    assert_ne!(
        thamdinh::load::inputs_digest(f.path()),
        digest,
        "explanations/"
    );
}

#[test]
fn a_council_loaded_with_its_digest_signs_unchanged_inputs_and_refuses_changed_ones() {
    let f = Fixture::new();
    common::approve(f.path());
    let sk = keys::load_secret(&f.key("an")).unwrap();
    // Changed figures after the load: refused, naming the unit, nothing signed.
    let c = thamdinh::load::load_hashed(f.path()).unwrap();
    let a = f.path().join("assessments/a.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(&a, text.replacen("points = 1.5", "points = 2", 1)).unwrap();
    let refused = signoff::signoff(f.path(), &c, &mut f.session(), "an", &sk).unwrap_err();
    let said = format!("{refused:#}");
    assert!(said.contains("units/xa-a.toml"), "{said}");
    assert!(!f.path().join("signed").exists());
    // A change that leaves every figure as it was (a comment) signs: the
    // folder is read again and gives the same files.
    std::fs::write(&a, format!("{text}\n# đã đối chiếu\n")).unwrap();
    let c = thamdinh::load::load_hashed(f.path()).unwrap();
    std::fs::write(&a, format!("{text}\n# đã đối chiếu lần hai\n")).unwrap();
    let signed = signoff::signoff(f.path(), &c, &mut f.session(), "an", &sk).unwrap();
    assert!(
        signoff::verify(&signed, &[], None)
            .unwrap()
            .problems
            .is_empty()
    );
    // Unchanged since the load: signed, and the folder verifies.
    let c = thamdinh::load::load_hashed(f.path()).unwrap();
    f.session().reopen(&c, "an", "Ký lại").unwrap();
    common::approve(f.path());
    let c = thamdinh::load::load_hashed(f.path()).unwrap();
    let again = signoff::signoff(f.path(), &c, &mut f.session(), "an", &sk).unwrap();
    let v = signoff::verify(&again, &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert_eq!(
        std::fs::read_to_string(signed.join("units/xa-a.toml")).unwrap(),
        std::fs::read_to_string(again.join("units/xa-a.toml")).unwrap()
    );
}
