//! Members' signing keys in minisign's format: where they live, making them, reading them (with a password).

use crate::i18n::fill;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox};

/// `$XDG_CONFIG_HOME/thamdinh/keys` (or `~/.config/thamdinh/keys`).
pub fn keys_dir() -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(x) => PathBuf::from(x),
        None => PathBuf::from(std::env::var_os("HOME").context(crate::i18n::say(|w| {
            w.er_neither_xdg_config_home.to_string()
        }))?)
        .join(".config"),
    };
    Ok(base.join("thamdinh").join("keys"))
}

/// Where a member's secret key is kept by default.
pub fn secret_key_path(member: &str) -> Result<PathBuf> {
    Ok(keys_dir()?.join(format!("{member}.key")))
}

/// The key given (`--key`), else the member's default one.
pub fn key_path(given: Option<&Path>, member: &str) -> Result<PathBuf> {
    match given {
        Some(k) => Ok(k.to_path_buf()),
        None => secret_key_path(member),
    }
}

/// The password: `THAMDINH_PASSWORD`, else a line of standard input when it is
/// not a terminal, else asked on the terminal without echo.
pub fn password(prompt: &str) -> Result<String> {
    if let Ok(p) = std::env::var("THAMDINH_PASSWORD") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context(crate::i18n::say(|w| {
                w.er_reading_password_from_standard.to_string()
            }))?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    rpassword::prompt_password(prompt).context(crate::i18n::say(|w| {
        w.er_reading_password_from_terminal.to_string()
    }))
}

/// Makes a key pair for a member; the secret key goes to `path` (mode 0600),
/// the public key beside it as `.pub`. Returns the public key line for council.toml.
pub fn generate(member: &str, path: &Path, password: Option<String>) -> Result<String> {
    if path.exists() {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.er_already_exists_key_never, &[&path.display()]))
        );
    }
    let kp = match password {
        Some(p) => KeyPair::generate_encrypted_keypair(Some(p)),
        None => KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_generating_key_pair, &[&e]))
        )
    })?;
    let comment = format!("thamdinh secret key of member {member}");
    let sk_box = kp.sk.to_box(Some(&comment)).map_err(|e| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_encoding_secret_key, &[&e]))
        )
    })?;
    let pk_box = kp.pk.to_box().map_err(|e| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_encoding_public_key, &[&e]))
        )
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| crate::i18n::say(|w| fill(w.er_creating, &[&dir.display()])))?;
    }
    write_private(path, sk_box.to_string().as_bytes())?;
    let pub_path = path.with_extension("pub");
    std::fs::write(&pub_path, pk_box.to_string())
        .with_context(|| crate::i18n::say(|w| fill(w.er_writing, &[&pub_path.display()])))?;
    Ok(kp.pk.to_base64())
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_creating, &[&path.display()])))?;
    f.write_all(bytes)
        .with_context(|| crate::i18n::say(|w| fill(w.er_writing, &[&path.display()])))?;
    f.sync_all()
        .with_context(|| crate::i18n::say(|w| fill(w.er_writing, &[&path.display()])))
}

/// Reads a secret key (ours or one made by `minisign -G`), asking for its
/// password when it has one; on a terminal a wrong password is said and asked
/// again, three times in all.
pub fn load_secret(path: &Path) -> Result<SecretKey> {
    if !needs_password(path)? {
        return open_secret(path, None);
    }
    let prompt = crate::i18n::say(|w| fill(w.er_password_for, &[&path.display()]));
    let typed = std::env::var_os("THAMDINH_PASSWORD").is_none() && std::io::stdin().is_terminal();
    let mut left = if typed { 3 } else { 1 };
    loop {
        left -= 1;
        match open_secret(path, Some(&password(&prompt)?)) {
            Err(e) if left > 0 => eprintln!("{e:#}"),
            done => return done,
        }
    }
}

/// `minisign -G -W` (minisign 0.11) leaves the checksum of a passwordless key
/// as zeros, which the signing library reads as a corrupted key. For such a key
/// (no KDF, zero checksum) this fills in the checksum minisign defines,
/// BLAKE2b-256(sig_alg ‖ key id ‖ secret key), and returns the key text.
fn with_checksum(text: &str) -> Option<String> {
    use blake2::Digest;
    use ct_codecs::{Base64, Decoder, Encoder};
    let mut lines: Vec<&str> = text.lines().collect();
    let mut bytes = Base64::decode_to_vec(lines.get(1)?.trim(), None).ok()?;
    // sig_alg(2) kdf_alg(2) chk_alg(2) salt(32) ops(8) mem(8) | key id(8) sk(64) chk(32)
    if bytes.len() != 158 || bytes[2..4] != [0, 0] || bytes[126..158].iter().any(|&b| b != 0) {
        return None;
    }
    let mut h = blake2::Blake2b::<blake2::digest::consts::U32>::new();
    h.update(&bytes[0..2]);
    h.update(&bytes[54..62]);
    h.update(&bytes[62..126]);
    bytes[126..158].copy_from_slice(&h.finalize());
    let line = Base64::encode_to_string(&bytes).ok()?;
    lines[1] = &line;
    Some(lines.join("\n") + "\n")
}

/// Whether a secret key file is password-protected.
pub fn needs_password(path: &Path) -> Result<bool> {
    let text = std::fs::read_to_string(path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_reading_secret_key, &[&path.display()])))?;
    let text = with_checksum(&text).unwrap_or(text);
    let boxed =
        SecretKeyBox::from_string(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(SecretKey::from_unencrypted_box(boxed).is_err())
}

/// Reads a secret key with a password given (or none), without asking anyone.
pub fn open_secret(path: &Path, password: Option<&str>) -> Result<SecretKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_reading_secret_key, &[&path.display()])))?;
    let text = with_checksum(&text).unwrap_or(text);
    let boxed =
        SecretKeyBox::from_string(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    match password {
        None => SecretKey::from_unencrypted_box(boxed),
        Some(p) => SecretKey::from_box(boxed, Some(p.to_string())),
    }
    .map_err(|e| match (e.kind(), password) {
        // minisign's checksum of the decrypted key: a wrong password, or a damaged key.
        (minisign::ErrorKind::Verify, Some(_)) => {
            anyhow::anyhow!("{}", crate::i18n::say(|w| w.er_wrong_password.to_string()))
        }
        (minisign::ErrorKind::Verify, None) => {
            anyhow::anyhow!("{}", crate::i18n::say(|w| w.er_corrupted_key.to_string()))
        }
        _ => anyhow::anyhow!("{e}"),
    })
}

/// A public key from its base64 line (as in council.toml) or a whole `.pub` file's text.
pub fn parse_public(text: &str) -> Result<PublicKey> {
    let t = text.trim();
    let r = if t.contains('\n') {
        PublicKeyBox::from_string(t).and_then(|b| b.into_public_key())
    } else {
        PublicKey::from_base64(t)
    };
    r.map_err(|e| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_minisign_public_key, &[&e]))
        )
    })
}

/// The public key of a secret key.
pub fn public_of(sk: &SecretKey) -> Result<PublicKey> {
    PublicKey::from_secret_key(sk).map_err(|e| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_deriving_public_key, &[&e]))
        )
    })
}
