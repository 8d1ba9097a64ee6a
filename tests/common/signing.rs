//! A council whose members sign: keys, a session, sign-offs, and the tools to forge a signed folder.

use std::path::{Path, PathBuf};

use thamdinh::keys;
use thamdinh::load::load;
use thamdinh::session::{DecideError, Session};
use thamdinh::signoff;

/// A copy of the mini council whose members `an` and `binh` have keys (no password).
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub keys: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = super::mini_copy();
        let keys = tempfile::tempdir().unwrap();
        super::keep_keys(dir.path(), keys.path());
        let council = dir.path().join("council.toml");
        let mut text = std::fs::read_to_string(&council).unwrap();
        for m in ["an", "binh"] {
            let path = keys.path().join("thamdinh/keys").join(format!("{m}.key"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let pk = keys::generate(m, &path, None).unwrap();
            text = text.replacen(
                &format!("id = \"{m}\"\n"),
                &format!("id = \"{m}\"\npubkey = \"{pk}\"\n"),
                1,
            );
        }
        std::fs::write(&council, text).unwrap();
        Fixture { dir, keys }
    }

    pub fn key(&self, m: &str) -> PathBuf {
        self.keys
            .path()
            .join("thamdinh/keys")
            .join(format!("{m}.key"))
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The session, recording with the chair's (`an`'s) key.
    pub fn session(&self) -> Session {
        self.session_as("an")
    }

    /// The session, recording with `member`'s key.
    pub fn session_as(&self, member: &str) -> Session {
        let mut s = Session::open(&self.path().join(".thamdinh/session.db"), true).unwrap();
        super::act_as(&mut s, self.path(), member);
        s
    }

    /// Every voting member approves the result as it stands, then `member` signs it off.
    pub fn signoff(&self, member: &str) -> Result<PathBuf, DecideError> {
        super::approve(self.path());
        self.signoff_as_it_stands(member)
    }

    /// Signs off without recording any vote first.
    pub fn signoff_as_it_stands(&self, member: &str) -> Result<PathBuf, DecideError> {
        let c = load(self.path()).unwrap();
        let sk = keys::load_secret(&self.key(member)).unwrap();
        signoff::signoff(self.path(), &c, &mut self.session(), member, &sk)
    }
}

/// Every file below `dir`, relative, sorted.
pub fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path()).into_iter().map(|r| format!("{name}/{r}")));
        } else {
            out.push(name);
        }
    }
    out.sort();
    out
}

/// Writes MANIFEST again for the folder as it now is; returns it.
pub fn rewrite_manifest(signed: &Path) -> Vec<u8> {
    use sha2::Digest;
    let mut lines = String::new();
    for rel in walk(signed) {
        if rel == "MANIFEST" || rel.starts_with("MANIFEST.") {
            continue;
        }
        let bytes = std::fs::read(signed.join(&rel)).unwrap();
        let sum: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        lines += &format!("{sum}  {rel}\n");
    }
    std::fs::write(signed.join("MANIFEST"), &lines).unwrap();
    lines.into_bytes()
}

/// Signs `data` as minisign does, with a trusted comment of our choosing.
pub fn minisign_with(sk: &minisign::SecretKey, data: &[u8], trusted: &str) -> String {
    minisign::sign(None, sk, std::io::Cursor::new(data), Some(trusted), None)
        .unwrap()
        .to_string()
}
