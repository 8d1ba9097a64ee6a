//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
pub mod pg;
#[allow(dead_code)]
pub mod signing;
#[allow(dead_code)]
pub mod xlsx;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder tree (a council) into `to`.
pub fn copy(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// `thamdinh --lang en ARGS… FOLDER`: a command on a council, in English.
#[allow(dead_code)]
pub fn on_council(args: &[&str], folder: &Path) -> std::process::Output {
    on_council_with(args, folder, &[])
}

/// `on_council` with these environment variables set.
#[allow(dead_code)]
pub fn on_council_with(args: &[&str], folder: &Path, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"));
    if let Some(home) = keys_home(folder) {
        cmd.env("XDG_CONFIG_HOME", home);
    }
    cmd.args(["--lang", "en"])
        .args(args)
        .arg(folder)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// Runs `thamdinh ARGS…`; on a council the tests gave keys, its commands
/// find them where `keygen` puts them.
#[allow(dead_code)]
pub fn run_with_keys(args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"));
    if let Some(home) = args.iter().find_map(|a| keys_home(Path::new(a))) {
        cmd.env("XDG_CONFIG_HOME", home);
    }
    cmd.args(args).output().unwrap()
}

/// `thamdinh decide` on a council: `member` gives `points` to a unit's leaf,
/// with a reason; it must be recorded.
#[allow(dead_code)]
pub fn decide(folder: &Path, member: &str, unit: &str, code: &str, points: &str, comment: &str) {
    let o = on_council(
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
            comment,
        ],
        folder,
    );
    assert!(o.status.success(), "{}", printed(&o));
}

/// Where each council made by the tests keeps its members' secret keys:
/// `XDG_CONFIG_HOME` for its commands (`<home>/thamdinh/keys/<member>.key`).
static KEYS: std::sync::Mutex<Vec<(PathBuf, PathBuf)>> = std::sync::Mutex::new(Vec::new());

/// The keys' homes [`give_key`] made: they outlive the test that made them
/// (its commands and children find the keys there), and go when the test
/// process exits, secret keys and all.
static MADE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn remove_at_exit(home: &Path) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    extern "C" fn remove_made() {
        if let Ok(made) = MADE.lock() {
            for home in made.iter() {
                let _ = std::fs::remove_dir_all(home);
            }
        }
    }
    // SAFETY: `remove_made` is a plain function with no arguments that
    // neither panics nor unwinds (every error is ignored), as atexit needs.
    ONCE.call_once(|| unsafe {
        libc::atexit(remove_made);
    });
    MADE.lock().unwrap().push(home.to_path_buf());
}

/// The password of the keys the tests made with one.
pub const KEY_PASSWORD: &str = "mật khẩu";

/// Notes where a council's members' keys are (`XDG_CONFIG_HOME` for its commands).
#[allow(dead_code)]
pub fn keep_keys(council: &Path, home: &Path) {
    KEYS.lock()
        .unwrap()
        .push((council.to_path_buf(), home.to_path_buf()));
}

/// The `XDG_CONFIG_HOME` holding a council's members' keys, if the tests made any.
#[allow(dead_code)]
pub fn keys_home(council: &Path) -> Option<PathBuf> {
    KEYS.lock()
        .unwrap()
        .iter()
        .rev()
        .find(|(c, _)| council.starts_with(c))
        .map(|(_, h)| h.clone())
}

/// Gives `member` a key (with `password`, if any) kept where `keygen` puts it
/// under a home of its own, and its `pubkey` line in the council's
/// council.toml; returns the key's path. The council's commands find it.
#[allow(dead_code)]
pub fn give_key(council: &Path, member: &str, password: Option<&str>) -> PathBuf {
    let home = keys_home(council).unwrap_or_else(|| {
        let home = tempfile::tempdir().unwrap().keep();
        keep_keys(council, &home);
        remove_at_exit(&home);
        home
    });
    let key = home.join("thamdinh/keys").join(format!("{member}.key"));
    std::fs::create_dir_all(key.parent().unwrap()).unwrap();
    let pk = thamdinh::keys::generate(member, &key, password.map(Into::into)).unwrap();
    let path = council.join("council.toml");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        &format!("id = \"{member}\"\n"),
        &format!("id = \"{member}\"\npubkey = \"{pk}\"\n"),
        1,
    );
    std::fs::write(&path, text).unwrap();
    key
}

/// A member's recorder on a council the tests gave keys, if the member has one.
#[allow(dead_code)]
pub fn recorder(
    c: &thamdinh::model::Council,
    council: &Path,
    member: &str,
) -> Option<thamdinh::session::acting::Recorder> {
    let path = keys_home(council)?
        .join("thamdinh/keys")
        .join(format!("{member}.key"));
    c.member(member)?.pubkey.as_ref()?;
    let sk = thamdinh::keys::open_secret(&path, None)
        .or_else(|_| thamdinh::keys::open_secret(&path, Some(KEY_PASSWORD)))
        .ok()?;
    thamdinh::session::acting::Recorder::new(c, member, sk).ok()
}

/// Records as `member` on `s`: their own key where the tests gave them one.
#[allow(dead_code)]
pub fn act_as(s: &mut thamdinh::session::Session, council: &Path, member: &str) {
    let c = thamdinh::load::load(council).unwrap();
    s.set_recorder(recorder(&c, council, member));
}

/// What a command printed: its standard output, then its standard error.
#[allow(dead_code)]
pub fn printed(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A fresh copy of tests/fixtures/mini.
#[allow(dead_code)]
pub fn mini_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&root().join("tests/fixtures/mini"), dir.path());
    dir
}

/// The mini council with five members: the chair `an`, `binh` (in conflict
/// with xa-b), `chi` (the secretary) and `dung` voting, and `em` of the
/// assisting team; the top-level keys given are added to council.toml.
#[allow(dead_code)]
pub fn meeting_council(top: &str) -> tempfile::TempDir {
    let dir = mini_copy();
    let path = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("year = 2025\n", &format!("year = 2025\n{top}"), 1)
        + "\n[[member]]\nid = \"chi\"\nname = \"Lê Văn Chí\"\nrole = \"Thành viên\"\nsecretary = true\n\
           \n[[member]]\nid = \"dung\"\nname = \"Phạm Thị Dung\"\nrole = \"Thành viên\"\n\
           \n[[member]]\nid = \"em\"\nname = \"Hoàng Văn Em\"\nrole = \"Chuyên viên\"\nvoting = false\nfields = [\"2\"]\n";
    std::fs::write(&path, text).unwrap();
    dir
}

/// Every voting member approves the result as it stands (a session signed
/// off refuses votes: then nothing is recorded and the sign-off says so).
pub fn approve(dir: &Path) {
    approve_at(dir, &dir.join(".thamdinh/session.db"));
}

/// `approve` on the session at `place` (a file or a server's URL).
pub fn approve_at(dir: &Path, place: &Path) {
    let c = thamdinh::load::load(dir).unwrap();
    let mut s = thamdinh::session::Session::open(place, true).unwrap();
    // A member with a key votes with it; one without, where the council
    // lists keys, is recorded present and voting by the chair.
    let chair = c.members.iter().find(|m| m.chair).map(|m| m.id.clone());
    for m in c.members.iter().filter(|m| m.voting) {
        let own = recorder(&c, dir, &m.id);
        if own.is_none() && thamdinh::session::acting::uses_keys(&c) {
            s.set_recorder(chair.as_deref().and_then(|ch| recorder(&c, dir, ch)));
            let _ = s.attend(&c, &m.id, true, None);
        } else {
            s.set_recorder(own);
        }
        match s.vote(&c, &m.id, true, "") {
            Ok(_) => {}
            Err(thamdinh::session::DecideError::Refused(thamdinh::appraisal::Refusal::Locked)) => {
                return;
            }
            Err(e) => panic!("{e}"),
        }
    }
}

/// Whether a real program the tests check against is installed. In CI (`CI`
/// set) its absence fails the test, since `.ci/run` installs it; elsewhere the
/// check is skipped with a message naming the package that brings it.
#[allow(dead_code)]
pub fn program_available(program: &str, probe: &str, package: &str, skipped: &str) -> bool {
    let here = std::process::Command::new(program)
        .arg(probe)
        .output()
        .is_ok();
    if !here {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is missing; .ci/run installs it (apt-get install {package})"
        );
        eprintln!(
            "{program} is not installed: {skipped} are skipped (apt-get install {package} to run them)"
        );
    }
    here
}

/// A LibreOffice setting, as its profile's `registrymodifications.xcu` keeps it.
#[allow(dead_code)]
pub fn soffice_setting(path: &str, name: &str, value: &str) -> String {
    format!(
        r#"<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>"#
    )
}

/// A LibreOffice profile in `profile` holding `settings` (see
/// [`soffice_setting`]), and one more: no thumbnail picture in the files it
/// saves (drawing it for an OpenDocument file costs as much as the save;
/// nothing the tests read is in it). An existing profile is kept as it is.
#[allow(dead_code)]
pub fn soffice_profile(profile: &Path, settings: &[String]) {
    let file = profile.join("user/registrymodifications.xcu");
    if file.exists() {
        return;
    }
    std::fs::create_dir_all(profile.join("user")).unwrap();
    let thumbnail = soffice_setting(
        "/org.openoffice.Office.Common/Save/Document",
        "GenerateThumbnail",
        "false",
    );
    let items: Vec<&str> = settings
        .iter()
        .map(String::as_str)
        .chain([thumbnail.as_str()])
        .collect();
    std::fs::write(
        file,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{}
</oor:items>
"#,
            items.join("\n")
        ),
    )
    .unwrap();
}

/// LibreOffice (headless, with its profile in `profile`, made by
/// [`soffice_profile`] where there is none) converts `files` to `to`
/// (`xlsx:Calc MS Excel 2007 XML`, `ods`, …) into `outdir`.
#[allow(dead_code)]
pub fn soffice_convert(profile: &Path, to: &str, outdir: &Path, files: &[PathBuf]) {
    soffice_profile(profile, &[]);
    let o = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(outdir)
        .args(files)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn split_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// The words of one language's table that the other language's table never
/// uses and that the council's own files do not contain: none of them may
/// show in the other language.
#[allow(dead_code)]
pub fn words_only_in(
    this: thamdinh::i18n::Lang,
    other: thamdinh::i18n::Lang,
    council_text: &str,
) -> Vec<String> {
    let theirs: std::collections::HashSet<String> = other
        .words()
        .all()
        .iter()
        .flat_map(|s| split_words(s))
        .collect();
    let data: std::collections::HashSet<String> = split_words(council_text).into_iter().collect();
    let mut only: Vec<String> = this
        .words()
        .all()
        .iter()
        .flat_map(|s| split_words(s))
        .filter(|w| !theirs.contains(w) && !data.contains(w))
        .collect();
    only.sort();
    only.dedup();
    only
}

/// Which of the words show in a text.
#[allow(dead_code)]
pub fn leaked<'a>(words: &'a [String], text: &str) -> Vec<&'a String> {
    // File names are names, and quoted text ("levels", `max`) is what a file
    // says or must say: neither is a word of either language.
    let mut unquoted = String::new();
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '`') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) => unquoted.push(c),
            _ => {}
        }
    }
    // A token with a `/` or a `name.ext` is a path or a file name; `--flag` is typed as it is.
    let is_name = |t: &str| {
        t.starts_with('-')
            || t.contains('/')
            || t.split('.').count() > 1
                && t.split('.').all(|p| p.chars().any(char::is_alphanumeric))
    };
    let text: Vec<&str> = unquoted
        .split_whitespace()
        .filter(|t| !is_name(t))
        .collect();
    let shown: std::collections::HashSet<String> =
        split_words(&text.join(" ")).into_iter().collect();
    words.iter().filter(|w| shown.contains(*w)).collect()
}

/// Everything a council's own files say (names, notes, file paths), which may
/// show in either language.
#[allow(dead_code)]
pub fn council_text(dir: &Path) -> String {
    let mut out = String::new();
    for sub in ["", "assessments", "frameworks", "surveys"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                out += &String::from_utf8_lossy(&std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Loads in a thread; a load that does not end within 20 s fails the test.
#[allow(dead_code)]
pub fn load_within(dir: &Path) -> Result<thamdinh::model::Council, thamdinh::Diagnostics> {
    let dir = dir.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| thamdinh::load::load(&dir));
        let _ = tx.send(r);
    });
    match rx.recv_timeout(std::time::Duration::from_secs(20)) {
        Ok(Ok(r)) => r,
        Ok(Err(_)) => panic!("the loader panicked"),
        Err(_) => panic!("the loader hung"),
    }
}

/// Makes a named pipe at `p`.
#[allow(dead_code)]
pub fn mkfifo(p: &Path) {
    let made = std::process::Command::new("mkfifo").arg(p).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", p.display());
}

/// The name the test harness knows a test of the calling module by
/// (`module::test`), for a test that runs one of its own as a child process.
#[macro_export]
macro_rules! test_name {
    ($test:literal) => {
        format!(
            "{}::{}",
            module_path!().split_once("::").map_or("", |m| m.1),
            $test
        )
    };
}

/// A part of a zip file (an xlsx, a docx) as text.
pub fn zip_part(file: &Path, part: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}
