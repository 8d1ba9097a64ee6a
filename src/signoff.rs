//! The signed-off appraisal: a folder of unit files, ranking, log, workbook, minutes and council file, a MANIFEST, and minisign signatures.
//!
//! The folder is written under the session's write lock into a temporary
//! folder, synced, and renamed into `signed/` whole, so a crash never leaves
//! half a result there; anyone can check it with `sha256sum -c MANIFEST` and
//! `minisign -V`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use minisign::{PublicKey, SecretKey, SignatureBox};
use sha2::{Digest, Sha256};

use crate::appraisal::Appraisal;
use crate::diag::Said;
use crate::export;
use crate::files::{sync_dir, write_atomic, write_synced};
use crate::i18n::fill;
use crate::keys;
use crate::model::Council;
use crate::report;
use crate::session::{self, DecideError, Event, Session, State};

/// What the members' public keys are checked against.
fn council_pubkey(council: &Council, member: &str) -> Result<PublicKey> {
    let m = council.member(member).ok_or_else(|| {
        anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_member_council_toml, &[&member]))
        )
    })?;
    let k = m.pubkey.as_deref().ok_or_else(|| {
        anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_member_pubkey_council_toml_2, &[&member, &member]))
        )
    })?;
    keys::parse_public(k)
        .with_context(|| crate::i18n::say(|w| fill(w.er_pubkey_council_toml, &[&member])))
}

/// Checks that a secret key belongs to the member as council.toml names them.
pub fn check_key(council: &Council, member: &str, sk: &SecretKey) -> Result<()> {
    let expected = council_pubkey(council, member)?;
    let have = keys::public_of(sk)?;
    if have.to_base64() != expected.to_base64() {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.er_this_secret_key_one_2, &[&member, &have.to_base64()]))
        );
    }
    Ok(())
}

/// Signs off: writes `<council>/signed/<date>-<n>/`, signs it as `member`, locks the session.
///
/// One step that cannot be left half done: the folder is written whole into
/// `.thamdinh/signoff-<name>/` under the session's write lock, the `signoff`
/// event naming it is committed, and only then is the folder moved into
/// `signed/`. A crash between the commit and the move leaves an event whose
/// folder waits in staging, which [`settle`] (run by the next command) moves
/// into place; a crash before the commit leaves only staging, which the next
/// sign-off clears. So a folder under `signed/` always has its event.
pub fn signoff(
    folder: &Path,
    council: &Council,
    session: &mut Session,
    member: &str,
    sk: &SecretKey,
) -> Result<PathBuf, DecideError> {
    check_key(council, member, sk).map_err(DecideError::Store)?;
    settle(folder, council, session).map_err(DecideError::Store)?;
    let signed = folder.join("signed");
    let mut made = None;
    let event = session.lock_with(council, member, |state, events| {
        let at = session::utc_now();
        // The result as of this sign-off; its standings serve every file.
        let mut snap = export::Snapshot::new(council, state, events);
        snap.signed = Some((member.to_string(), at.clone()));
        let figures = signed_figures(&snap);
        same_inputs(folder, events, &figures)?;
        let (dir, name) = next_folder(&signed, events)?;
        write_folder(folder, &snap, figures, events, &name, member, sk, &at)?;
        made = Some((dir, name.clone()));
        Ok(format!("signed/{name}"))
    })?;
    let (dir, name) = made.ok_or_else(|| {
        DecideError::Store(anyhow!(
            "{}",
            crate::i18n::say(|w| w.er_signed_folder_was_made.to_string())
        ))
    })?;
    place(folder, &name).map_err(|e| {
        DecideError::Store(anyhow!(
            "{}",
            crate::i18n::say(|w| fill(
                w.er_signoff_recorded_not_placed,
                &[&event.id, &format!("{e:#}")]
            ))
        ))
    })?;
    Ok(dir)
}

/// The signed files that are figures: every unit file and the ranking.
fn signed_figures(snap: &export::Snapshot) -> BTreeMap<String, String> {
    let c = snap.council;
    let mut out: BTreeMap<String, String> = c
        .units
        .iter()
        .enumerate()
        .map(|(u, unit)| {
            let file = unit_toml(c, snap.appraisal, &snap.standings, u);
            (format!("units/{}.toml", unit.id), file)
        })
        .collect();
    out.insert(
        "ranking.csv".into(),
        report::csv(&report::rows(c, &snap.standings)),
    );
    out
}

/// Refuses to sign figures the input files no longer add up to: the folder is
/// read again and the same files made from it and the log; any difference (a
/// changed claim, figure, name or evidence reference, a unit added or gone) is
/// named.
fn same_inputs(folder: &Path, events: &[Event], figures: &BTreeMap<String, String>) -> Result<()> {
    let now = crate::load::load(folder).map_err(|d| {
        let d = d.render(crate::i18n::current());
        anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_signoff_inputs_broken, &[&d]))
        )
    })?;
    let state = State::of(&now, events);
    let after = signed_figures(&export::Snapshot::new(&now, &state, events));
    let mut differ: Vec<String> = figures
        .iter()
        .filter(|(k, v)| after.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    differ.extend(after.keys().filter(|k| !figures.contains_key(*k)).cloned());
    if differ.is_empty() {
        return Ok(());
    }
    let shown = crate::text::line(&differ.join(", "));
    bail!(
        "{}",
        crate::i18n::say(|w| fill(w.er_signoff_inputs_changed, &[&shown]))
    )
}

/// Where a sign-off's folder is written before it is recorded.
fn staging(folder: &Path, name: &str) -> PathBuf {
    folder.join(".thamdinh").join(format!("signoff-{name}"))
}

/// Moves a recorded sign-off's folder from staging into `signed/`, durably.
fn place(folder: &Path, name: &str) -> Result<()> {
    let signed = folder.join("signed");
    std::fs::create_dir_all(&signed)
        .with_context(|| crate::i18n::say(|w| fill(w.er_creating, &[&signed.display()])))?;
    let dest = signed.join(name);
    std::fs::rename(staging(folder, name), &dest).with_context(|| {
        crate::i18n::say(|w| fill(w.er_moving_signed_folder_into, &[&dest.display()]))
    })?;
    sync_dir(&signed)?;
    if let Some(parent) = signed.parent() {
        sync_dir(parent)?;
    }
    Ok(())
}

/// Finishes a sign-off that was interrupted after its event was recorded: its
/// folder is moved into place from staging, or, when it was never written
/// whole, the session is reopened in the signer's name with that reason (the
/// event stays in the log). Returns what it did, in words, or nothing.
pub fn settle(folder: &Path, council: &Council, session: &mut Session) -> Result<Option<String>> {
    let events = session.events()?;
    let Some(last) = events
        .iter()
        .rev()
        .find(|e| e.kind == "signoff" || e.kind == "reopen")
    else {
        return Ok(None);
    };
    if last.kind != "signoff" {
        return Ok(None);
    }
    let Some(name) = last.comment.strip_prefix("signed/") else {
        return Ok(None);
    };
    if name.is_empty() || name.contains(['/', '\\']) || name.contains("..") {
        return Ok(None);
    }
    if folder.join("signed").join(name).is_dir() {
        return Ok(None);
    }
    let shown = crate::text::line(&last.comment);
    if staging(folder, name).join("MANIFEST").is_file() {
        place(folder, name)?;
        return Ok(Some(crate::i18n::say(|w| {
            fill(w.signoff_finished, &[&shown])
        })));
    }
    let reason = crate::i18n::say(|w| fill(w.signoff_interrupted_reason, &[&shown]));
    session
        .reopen(council, &last.member, &reason)
        .map_err(|e| anyhow!("{e:#}"))?;
    Ok(Some(reason))
}

/// `signed/<YYYY-MM-DD>-<n>` with the next n for today that no folder and no
/// earlier sign-off has used.
fn next_folder(signed: &Path, events: &[Event]) -> Result<(PathBuf, String)> {
    let today = &session::utc_now()[..10];
    let prefix = format!("{today}-");
    let mut n = 1;
    let taken = std::fs::read_dir(signed)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .chain(
            events
                .iter()
                .filter(|e| e.kind == "signoff")
                .filter_map(|e| e.comment.strip_prefix("signed/").map(str::to_string)),
        );
    for name in taken {
        if let Some(k) = name
            .strip_prefix(&prefix)
            .and_then(|k| k.parse::<u32>().ok())
        {
            n = n.max(k + 1);
        }
    }
    let name = format!("{today}-{n}");
    Ok((signed.join(&name), name))
}

#[allow(clippy::too_many_arguments)]
fn write_folder(
    folder: &Path,
    snap: &export::Snapshot,
    figures: BTreeMap<String, String>,
    events: &[Event],
    name: &str,
    member: &str,
    sk: &SecretKey,
    at: &str,
) -> Result<()> {
    let council = snap.council;
    let staging_root = folder.join(".thamdinh");
    std::fs::create_dir_all(&staging_root)
        .with_context(|| crate::i18n::say(|w| fill(w.er_creating, &[&staging_root.display()])))?;
    // Staging left by a sign-off that crashed before it was recorded (one that
    // was recorded would have locked the session, and `settle` placed it).
    if let Ok(entries) = std::fs::read_dir(&staging_root) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with("signoff-") {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let tmp = staging(folder, name);
    let result = (|| {
        let mut files: BTreeMap<String, Vec<u8>> = figures
            .into_iter()
            .map(|(rel, text)| (rel, text.into_bytes()))
            .collect();
        files.insert("log.csv".into(), report::log_csv(events).into_bytes());
        for kind in [export::Kind::Xlsx, export::Kind::Html] {
            files.insert(kind.file_name().into(), export::render(kind, snap)?);
        }
        let council_file = folder.join("council.toml");
        files.insert(
            "council.toml".into(),
            std::fs::read(&council_file).with_context(|| {
                crate::i18n::say(|w| fill(w.er_reading, &[&council_file.display()]))
            })?,
        );
        let manifest = manifest(&files);
        files.insert("MANIFEST".into(), manifest.clone().into_bytes());
        let sig = sign_manifest(council, member, sk, manifest.as_bytes(), at)?;
        files.insert(format!("MANIFEST.{member}.minisig"), sig.into_bytes());
        std::fs::create_dir_all(tmp.join("units"))
            .with_context(|| crate::i18n::say(|w| fill(w.er_creating, &[&tmp.display()])))?;
        for (rel, bytes) in &files {
            write_synced(&tmp.join(rel), bytes)?;
        }
        sync_dir(&tmp.join("units"))?;
        sync_dir(&tmp)?;
        sync_dir(&staging_root)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// `sha256sum` format: hex, two spaces, the path; sorted by path.
fn manifest(files: &BTreeMap<String, Vec<u8>>) -> String {
    files
        .iter()
        .map(|(rel, bytes)| format!("{}  {rel}\n", hex(&Sha256::digest(bytes))))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sign_manifest(
    council: &Council,
    member: &str,
    sk: &SecretKey,
    manifest: &[u8],
    at: &str,
) -> Result<String> {
    let name = council.member(member).map_or(member, |m| m.name.as_str());
    sign_bytes(sk, manifest, &council.name, member, name, at)
}

/// A minisign signature of MANIFEST whose trusted comment names the council, the member and the time.
fn sign_bytes(
    sk: &SecretKey,
    manifest: &[u8],
    council: &str,
    member: &str,
    name: &str,
    at: &str,
) -> Result<String> {
    let pk = keys::public_of(sk)?;
    let trusted = format!("council: {council} | member: {member} ({name}) | time: {at}")
        .replace(['\n', '\r'], " ");
    let untrusted = format!("thamdinh signature of MANIFEST by member {member}");
    let sig = minisign::sign(
        Some(&pk),
        sk,
        Cursor::new(manifest),
        Some(&trusted),
        Some(&untrusted),
    )
    .map_err(|e| anyhow!("signing MANIFEST: {e}"))?;
    Ok(sig.into_string())
}

/// Adds a member's signature to an existing signed folder (after checking it is intact).
pub fn sign(signed: &Path, member: &str, sk: &SecretKey) -> Result<PathBuf> {
    let report = verify(signed, &[])?;
    if !report.problems.is_empty() {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(
                w.er_does_verify_so_signed,
                &[
                    &signed.display(),
                    &(report
                        .problems
                        .iter()
                        .map(|p| p.en.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"))
                ]
            ))
        );
    }
    let council = enclosing_council(signed)?;
    let expected = member_pubkey(&council, member)?;
    if keys::public_of(sk)?.to_base64() != expected.to_base64() {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(w.er_this_secret_key_one, &[&member]))
        );
    }
    let out = signed.join(format!("MANIFEST.{member}.minisig"));
    if out.exists() {
        bail!(
            "{}",
            crate::i18n::say(|w| fill(
                w.er_already_exists_member_signed,
                &[&out.display(), &member]
            ))
        );
    }
    let manifest = std::fs::read(signed.join("MANIFEST")).with_context(|| {
        crate::i18n::say(|w| fill(w.er_reading, &[&signed.join("MANIFEST").display()]))
    })?;
    let name = council_member_name(&council, member);
    let sig = sign_bytes(
        sk,
        &manifest,
        &council_name(&council),
        member,
        &name,
        &session::utc_now(),
    )?;
    write_atomic(&out, sig.as_bytes())?;
    Ok(out)
}

/// The outcome of checking a signed folder.
#[derive(Debug, Default)]
pub struct Verification {
    /// Members whose signature is good, with the trusted comment.
    pub signers: Vec<(String, String)>,
    /// Every problem found, each naming the file, in both languages.
    pub problems: Vec<Said>,
    /// When the council reopened the appraisal after this sign-off: the result
    /// it holds was superseded (the folder itself may still verify).
    pub superseded: Option<Said>,
}

/// Checks every file against MANIFEST, finds files missing or added, and checks
/// every signature against its member's key: from `pubkeys`, else the council
/// folder that holds the signed folder (`<council>/signed/<name>`). The
/// folder's own council.toml is never trusted: with neither anchor, verifying
/// fails with that reason. Everything taken from the folder is cleaned before
/// it is put in a message.
pub fn verify(signed: &Path, pubkeys: &[(Option<String>, String)]) -> Result<Verification> {
    let mut v = Verification::default();
    let manifest_path = signed.join("MANIFEST");
    let manifest = std::fs::read(&manifest_path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&manifest_path.display()])))?;
    let manifest_text = String::from_utf8_lossy(&manifest);
    let mut listed = std::collections::BTreeSet::new();
    for (i, line) in manifest_text.lines().enumerate() {
        let Some((sum, rel)) = line.split_once("  ") else {
            v.problems
                .push(Said::of(|w| fill(w.vf_not_a_line, &[&(i + 1)])));
            continue;
        };
        listed.insert(rel.to_string());
        // Checked as written (cleaning could hide a `..`), shown cleaned.
        let inside = !rel.contains("..") && !rel.starts_with('/');
        let path = signed.join(rel);
        let rel = shown(rel);
        if !inside {
            v.problems
                .push(Said::of(|w| fill(w.vf_not_inside, &[&(i + 1), &rel])));
            continue;
        }
        // A signed folder holds regular files: a link (anywhere) or a pipe
        // put in a listed file's place is named, never followed or read.
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if path.exists() && (is_link || crate::load::regular_inside(signed, &path).is_err()) {
            v.problems
                .push(Said::of(|w| fill(w.vf_not_regular, &[&rel])));
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) if hex(&Sha256::digest(&bytes)) == sum => {}
            Ok(_) => v.problems.push(Said::of(|w| fill(w.vf_changed, &[&rel]))),
            Err(_) => v.problems.push(Said::of(|w| fill(w.vf_missing, &[&rel]))),
        }
    }
    let mut sigs = Vec::new();
    for rel in walk(signed)? {
        if rel == "MANIFEST" {
            continue;
        }
        if let Some(m) = rel
            .strip_prefix("MANIFEST.")
            .and_then(|r| r.strip_suffix(".minisig"))
        {
            sigs.push(m.to_string());
            continue;
        }
        if !listed.contains(&rel) {
            let rel = shown(&rel);
            v.problems.push(Said::of(|w| fill(w.vf_added, &[&rel])));
        }
    }
    if sigs.is_empty() {
        v.problems.push(Said::word(|w| w.vf_not_signed));
    }
    // Trust comes from outside the folder: the keys given, else the council
    // folder that holds it; never the folder's own copy of council.toml.
    let council_dir = council_dir_of(signed);
    let council = council_dir
        .as_ref()
        .and_then(|d| read_council_file(&d.join("council.toml")).ok());
    v.superseded = council_dir.and_then(|dir| superseded(&dir, signed));
    if council.is_none() && pubkeys.is_empty() {
        v.problems.push(Said::word(|w| w.vf_no_anchor));
        return Ok(v);
    }
    for m in sigs {
        let file = shown(&format!("MANIFEST.{m}.minisig"));
        let given = pubkeys
            .iter()
            .find(|(who, _)| who.as_deref() == Some(m.as_str()))
            .or_else(|| pubkeys.iter().find(|(who, _)| who.is_none()));
        let key = match (given, &council) {
            (Some((_, k)), _) => keys::parse_public(k),
            (None, Some(c)) => member_pubkey(c, &m),
            (None, None) => Err(anyhow!(
                "{}",
                crate::i18n::say(|w| fill(
                    w.vf_not_anchored_member,
                    &[&file, &shown(&m), &"--pubkey / --trusted"]
                ))
            )),
        };
        let key = match key {
            Ok(k) => k,
            Err(e) => {
                let e = shown(&format!("{e:#}"));
                v.problems
                    .push(Said::of(|w| fill(w.vf_no_key, &[&file, &e])));
                continue;
            }
        };
        let text = std::fs::read_to_string(signed.join(&file)).map_err(|e| e.to_string());
        let sig = match text
            .clone()
            .and_then(|t| SignatureBox::from_string(&t).map_err(|e| e.to_string()))
        {
            // The parser forgives stray white space; one changed byte must not pass.
            Ok(s) if text.as_deref().ok() != Some(s.to_string().as_str()) => {
                v.problems
                    .push(Said::of(|w| fill(w.vf_sig_changed, &[&file])));
                continue;
            }
            Ok(s) => s,
            Err(e) => {
                let e = shown(&e);
                v.problems
                    .push(Said::of(|w| fill(w.vf_not_a_signature, &[&file, &e])));
                continue;
            }
        };
        match minisign::verify(&key, &sig, Cursor::new(&manifest), true, false, false) {
            Ok(()) => v
                .signers
                .push((shown(&m), shown(&sig.trusted_comment().unwrap_or_default()))),
            Err(e) => {
                let (m, e) = (shown(&m), shown(&e.to_string()));
                v.problems
                    .push(Said::of(|w| fill(w.vf_bad_signature, &[&file, &m, &e])))
            }
        }
    }
    Ok(v)
}

/// A text read from a signed folder as it may be printed: one line, no control
/// characters or escape sequences.
fn shown(s: &str) -> String {
    crate::text::line(s)
}

/// Keys from a trusted-keys file: a council.toml (its members' `pubkey`), or
/// lines `member-id public-key` (blank lines and `#` comments skipped).
pub fn trusted_keys(path: &Path) -> Result<Vec<(Option<String>, String)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&path.display()])))?;
    if let Ok(table) = toml::from_str::<toml::Table>(text.trim_start_matches('\u{feff}'))
        && table.contains_key("member")
    {
        let members = table.get("member").and_then(|m| m.as_array());
        return Ok(members
            .into_iter()
            .flatten()
            .filter_map(|m| {
                let id = m.get("id")?.as_str()?;
                let key = m.get("pubkey")?.as_str()?;
                Some((Some(id.to_string()), key.to_string()))
            })
            .collect());
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_whitespace().collect::<Vec<_>>()[..] {
            [member, key] => out.push((Some(member.to_string()), key.to_string())),
            _ => bail!(
                "{}",
                crate::i18n::say(|w| fill(w.vf_trusted_line, &[&path.display(), &(i + 1)]))
            ),
        }
    }
    Ok(out)
}

/// Every file below `dir`, as `/`-separated relative paths, sorted.
fn walk(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let abs = dir.join(&rel);
        for e in std::fs::read_dir(&abs)
            .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&abs.display()])))?
        {
            let e = e?;
            let r = rel.join(e.file_name());
            if e.file_type()?.is_dir() {
                stack.push(r);
            } else {
                out.push(r.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The council folder that holds `signed/<name>`, if the folder lies in one.
fn council_dir_of(signed: &Path) -> Option<PathBuf> {
    let abs = signed.canonicalize().ok()?;
    abs.parent()
        .filter(|p| p.file_name().is_some_and(|n| n == "signed"))
        .and_then(Path::parent)
        .map(Path::to_path_buf)
}

/// The council.toml of the council folder that holds `signed/<name>`.
fn enclosing_council(signed: &Path) -> Result<toml::Table> {
    let council_dir = council_dir_of(signed).context(crate::i18n::say(|w| {
        w.er_signed_folder_lies_council.to_string()
    }))?;
    read_council_file(&council_dir.join("council.toml"))
}

/// The reopening that followed this folder's sign-off in the council's session, in words.
fn superseded(council_dir: &Path, signed: &Path) -> Option<Said> {
    let name = format!("signed/{}", signed.file_name()?.to_str()?);
    let path = session::default_path(council_dir);
    let events = Session::open_reading(&path).ok()?.events().ok()?;
    let at = events
        .iter()
        .position(|e| e.kind == "signoff" && e.comment == name)?;
    let reopen = events[at..].iter().find(|e| e.kind == "reopen")?;
    let zone = session::time::shown_zone();
    let when = session::time::local_minute(&reopen.at, &zone);
    let (who, why) = (shown(&reopen.member), shown(&reopen.comment));
    Some(Said::of(|w| fill(w.vf_superseded, &[&when, &who, &why])))
}

fn read_council_file(path: &Path) -> Result<toml::Table> {
    let text = std::fs::read_to_string(path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&path.display()])))?;
    toml::from_str(text.trim_start_matches('\u{feff}'))
        .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&path.display()])))
}

fn member_entry<'a>(council: &'a toml::Table, member: &str) -> Option<&'a toml::Table> {
    council
        .get("member")?
        .as_array()?
        .iter()
        .filter_map(|m| m.as_table())
        .find(|m| m.get("id").and_then(|i| i.as_str()) == Some(member))
}

fn member_pubkey(council: &toml::Table, member: &str) -> Result<PublicKey> {
    let m = member_entry(council, member).ok_or_else(|| {
        anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_member_council_toml, &[&member]))
        )
    })?;
    let k = m.get("pubkey").and_then(|k| k.as_str()).ok_or_else(|| {
        anyhow!(
            "{}",
            crate::i18n::say(|w| fill(w.er_member_pubkey_council_toml, &[&member]))
        )
    })?;
    keys::parse_public(k)
}

fn council_member_name(council: &toml::Table, member: &str) -> String {
    member_entry(council, member)
        .and_then(|m| m.get("name")?.as_str().map(crate::text::line))
        .unwrap_or_else(|| member.to_string())
}

fn council_name(council: &toml::Table) -> String {
    council
        .get("name")
        .and_then(|n| n.as_str())
        .map(crate::text::line)
        .unwrap_or_default()
        .replace('\n', " ")
}

/// One unit's appraisal as TOML, every number exact with two decimals.
pub fn unit_toml(
    council: &Council,
    appraisal: &Appraisal,
    standings: &crate::score::Standings,
    u: usize,
) -> String {
    let unit = &council.units[u];
    let group = &council.groups[unit.group];
    let fw = council.framework_of(u);
    let st = &standings.units[u];
    let mut s = String::new();
    let _ = writeln!(s, "id = {}", q(&unit.id));
    let _ = writeln!(s, "name = {}", q(&unit.name));
    let _ = writeln!(s, "group = {}", q(&group.id));
    let _ = writeln!(s, "framework = {}", q(&fw.id));
    let _ = writeln!(s, "submitted = {}", council.submitted(u));
    let _ = writeln!(s, "self_points = {}", st.self_score.total);
    let _ = writeln!(s, "points = {}", st.score.total);
    let _ = writeln!(s, "self_max = {}", st.self_score.max);
    let _ = writeln!(s, "max = {}", st.score.max);
    let _ = writeln!(s, "self_index = {}", st.self_score.index_text());
    let _ = writeln!(s, "index = {}", st.score.index_text());
    let _ = writeln!(s, "band = {}", q(&fw.bands[st.band].name));
    let _ = writeln!(s, "rank = {}", st.rank);
    for (l, leaf) in fw.leaves.iter().enumerate() {
        let claim = &council.assessments[u].claims[l];
        let value = appraisal.value(council, u, l);
        let decision = appraisal.decisions.get(&(u, l));
        let _ = writeln!(s, "\n[[item]]");
        let _ = writeln!(s, "code = {}", q(&leaf.code));
        let _ = writeln!(s, "name = {}", q(&leaf.name));
        let _ = writeln!(s, "max = {}", leaf.max);
        let _ = writeln!(s, "self_points = {}", claim.points);
        let _ = writeln!(s, "self_na = {}", claim.na);
        // The figures a ratio leaf was scored from: the unit's, and the ones
        // the council's value follows from (corrected, or the unit's kept).
        if let Some((n, d)) = claim.ratio {
            let _ = writeln!(s, "self_numerator = {n}");
            let _ = writeln!(s, "self_denominator = {d}");
        }
        let figures = match decision.map(|d| &d.value) {
            Some(crate::appraisal::Decided::Ratio(n, d)) => Some((*n, *d)),
            None => claim.ratio,
            Some(_) => None,
        };
        let _ = writeln!(s, "points = {}", value.points);
        let _ = writeln!(s, "na = {}", value.na);
        if let Some((n, d)) = figures {
            let _ = writeln!(s, "numerator = {n}");
            let _ = writeln!(s, "denominator = {d}");
        }
        if let Some(d) = decision {
            let _ = writeln!(s, "comment = {}", q(&d.comment));
            let _ = writeln!(s, "decided_by = {}", q(&d.member));
            let _ = writeln!(s, "decided_at = {}", q(&d.at));
        }
        let refs: Vec<String> = claim.evidence.iter().map(|e| q(&e.reference)).collect();
        let _ = writeln!(s, "evidence = [{}]", refs.join(", "));
    }
    s
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
