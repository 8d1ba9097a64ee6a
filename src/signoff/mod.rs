//! The signed-off appraisal: a folder of unit files, ranking, log, workbook, minutes and council file, a MANIFEST, and minisign signatures.
//!
//! The folder is written under the session's write lock into a temporary
//! folder, synced, and renamed into `signed/` whole, so a crash never leaves
//! half a result there; anyone can check it with `sha256sum -c MANIFEST` and
//! `minisign -V`.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use minisign::{PublicKey, SecretKey};

use crate::appraisal::Refusal;
use crate::export;
use crate::files::{Writer, sync_dir, write_all_synced, write_atomic};
use crate::i18n::fill;
use crate::keys;
use crate::model::Council;
use crate::report;
use crate::session::{self, DecideError, Event, Session, State};

mod unit_file;
mod verify;

pub use unit_file::unit_toml;
pub use verify::{SignedLog, Verification, read_log, trusted_keys, verify};
use verify::{council_member_name, council_name, enclosing_council, member_pubkey};

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
    // The sign-off's event is signed by the member who signs the folder.
    let recorder = crate::session::acting::Recorder::new(council, member, sk.clone())?;
    session.set_recorder(Some(recorder));
    settle(folder, council, session).map_err(DecideError::Store)?;
    let signed = folder.join("signed");
    let mut made = None;
    let event = session.lock_with(
        council,
        member,
        |events| Ok(format!("signed/{}", next_folder(&signed, events)?.1)),
        |state, events| {
            // The result as of this sign-off (the state and the log end with
            // its event); its standings serve every file.
            let snap = export::Snapshot::new(council, state, events);
            let at = snap.time().unwrap_or_default().to_string();
            let name = events
                .last()
                .and_then(|e| e.comment.strip_prefix("signed/"))
                .unwrap_or_default()
                .to_string();
            // The inputs are checked while the folder is written: one whose
            // figures they no longer add up to is removed, and nothing recorded.
            let (checked, written) = crate::load::beside(
                || same_inputs(folder, council, &snap, events),
                || write_folder(folder, &snap, events, &name, member, sk, &at),
            );
            if let Err(e) = checked {
                let _ = std::fs::remove_dir_all(staging(folder, &name));
                return Err(e);
            }
            written?;
            made = Some((signed.join(&name), name));
            Ok(())
        },
    )?;
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

/// The signed files that are figures: every unit file, the ranking and the approval.
pub fn signed_figures(snap: &export::Snapshot) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    // Nothing here fails.
    let _ = each_figure(snap, |rel, text| {
        out.insert(rel, text);
        Ok(())
    });
    out
}

/// Each signed file that is a figure, made a few hundred units at a time on
/// every core and given to `take` in order, never all held at once.
fn each_figure(
    snap: &export::Snapshot,
    mut take: impl FnMut(String, String) -> Result<()>,
) -> Result<()> {
    let c = snap.council;
    let units: Vec<usize> = (0..c.units.len()).collect();
    for chunk in units.chunks(512) {
        let files = crate::load::par_map(chunk, |&u| {
            unit_toml(c, snap.appraisal, snap.by_round, &snap.standings, u)
        });
        for (&u, file) in chunk.iter().zip(files) {
            take(format!("units/{}.toml", c.units[u].id), file)?;
        }
    }
    take(
        "ranking.csv".into(),
        report::csv(&report::rows(c, &snap.standings)),
    )?;
    take("approval.csv".into(), snap.approval.csv())
}

/// Refuses to sign figures the input files no longer add up to. Where the
/// council kept the digest of the files it was loaded from and the files
/// still have it, they are the bytes the figures came from; else the folder is
/// loaded again and the same files made from it and the log, and any
/// difference (a changed claim, figure, name or evidence reference, a unit
/// added or gone) is named.
fn same_inputs(
    folder: &Path,
    council: &Council,
    snap: &export::Snapshot,
    events: &[Event],
) -> Result<()> {
    if council.inputs.is_some() && council.inputs == crate::load::inputs_digest(folder) {
        return Ok(());
    }
    let figures = &signed_figures(snap);
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
///
/// First the session's log is checked against the heads the signed folders
/// keep: a log that lost or changed a signed event is refused.
pub fn settle(folder: &Path, council: &Council, session: &mut Session) -> Result<Option<String>> {
    anchor(folder, session)?;
    session.refuse_if_broken()?;
    // Only a locked session has a sign-off to finish: its event is read by
    // its id, the log is not scanned.
    let Some(id) = session.fresh(council)?.sign_off else {
        return Ok(None);
    };
    let Some(last) = session.event(id)? else {
        return Ok(None);
    };
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
    // Reopened by whoever may: the signer, or the chair, with their key
    // (where the council lists keys); else the session stays locked, saying who.
    let by = session
        .recorder()
        .map(|r| r.member().to_string())
        .filter(|m| *m == last.member || council.member(m).is_some_and(|x| x.chair))
        .unwrap_or_else(|| last.member.clone());
    match session.reopen(council, &by, &reason) {
        Ok(_) => Ok(Some(reason)),
        Err(DecideError::Refused(
            Refusal::KeyNeeded(_)
            | Refusal::SignedOnly { .. }
            | Refusal::NotOnBehalf { .. }
            | Refusal::NeverOnBehalf { .. },
        )) => Ok(Some(crate::i18n::say(|w| {
            fill(
                w.signoff_interrupted_needs_reopen,
                &[&shown, &last.member, &last.member],
            )
        }))),
        Err(e) => Err(anyhow!("{e:#}")),
    }
}

/// Checks a council's session against the heads of its signed folders.
pub fn anchor(folder: &Path, session: &mut Session) -> Result<()> {
    session.check_anchors(&verify::anchors(folder))
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
                .filter(|e| e.kind() == session::Kind::Signoff)
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
        std::fs::create_dir_all(tmp.join("units"))
            .with_context(|| crate::i18n::say(|w| fill(w.er_creating, &[&tmp.display()])))?;
        // Each file goes to the disk as soon as it is made, while the next
        // is: the unit files a few hundred at a time while the papers are
        // made side by side (the minutes and drafts while the workbook's
        // sheets are), so that no core waits for the longest paper.
        let mut out = Writer::new(&tmp);
        // The workbook, most of the folder's bytes, goes to its file as it
        // is put together rather than whole through memory.
        let (papers, figures) = crate::load::beside(
            || {
                crate::load::par_map(&export::Kind::SIGNED, |&kind| match kind {
                    export::Kind::Xlsx => Writer::write_apart(&tmp, kind.file_name(), |sink| {
                        export::workbook_into(snap, sink)
                    })
                    .map(Paper::Written),
                    _ => export::render(kind, snap).map(Paper::Made),
                })
            },
            || each_figure(snap, |rel, text| out.add(rel, text.into_bytes())),
        );
        figures?;
        for (kind, paper) in export::Kind::SIGNED.into_iter().zip(papers) {
            match paper? {
                Paper::Made(bytes) => out.add(kind.file_name(), bytes)?,
                Paper::Written(sha256) => out.written(kind.file_name(), sha256),
            }
        }
        out.add("log.csv", report::log_csv(events).into_bytes())?;
        let council_file = folder.join("council.toml");
        out.add(
            "council.toml",
            std::fs::read(&council_file).with_context(|| {
                crate::i18n::say(|w| fill(w.er_reading, &[&council_file.display()]))
            })?,
        )?;
        let manifest = manifest(&out.finish()?);
        let sig = sign_manifest(council, member, sk, manifest.as_bytes(), at)?;
        write_all_synced(
            &tmp,
            [
                ("MANIFEST", manifest.as_bytes()),
                (&format!("MANIFEST.{member}.minisig"), sig.as_bytes()),
            ],
        )?;
        sync_dir(&tmp.join("units"))?;
        sync_dir(&tmp)?;
        sync_dir(&staging_root)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// A paper of the signed folder: its bytes, or written to its file already
/// (with its SHA-256).
enum Paper {
    Made(Vec<u8>),
    Written([u8; 32]),
}

/// `sha256sum` format: hex, two spaces, the path; sorted by path.
fn manifest(files: &crate::files::Written) -> String {
    files
        .iter()
        .map(|(rel, digest)| format!("{}  {rel}\n", crate::text::hex(digest)))
        .collect()
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
    let report = verify(signed, &[], None)?;
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
