//! Checking a signed folder: every file against MANIFEST, every signature against a key anchored outside the folder, the log's hash chain, the chain heads of the council's other signed folders, and the figures re-derived from the council's inputs and the signed log.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use minisign::{PublicKey, SignatureBox};
use sha2::{Digest, Sha256};

use crate::diag::Said;
use crate::i18n::fill;
use crate::keys;
use crate::session::{self, Kind, Session};
use crate::text::hex;

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
    /// What was checked beyond the files and signatures (the log's chain, the
    /// other signed folders, the re-derived figures), one line each.
    pub checked: Vec<Said>,
}

/// Checks every file against MANIFEST, finds files missing or added, and checks
/// every signature against its member's key: from `pubkeys`, else the council
/// folder that holds the signed folder (`<council>/signed/<name>`). The
/// folder's own council.toml is never trusted: with neither anchor, verifying
/// fails with that reason. `council` names the council folder (its keys, its
/// inputs, its other signed folders) when the folder is checked away from it.
///
/// The log is checked too: its hash chain whole, the council's other signed
/// folders of the same session continuing it (an earlier head held by this
/// log, this head by later logs), and the unit files and ranking exactly what
/// the council's inputs and this log add up to (re-derived, not trusted).
/// Everything taken from the folder is cleaned before it is put in a message.
pub fn verify(
    signed: &Path,
    pubkeys: &[(Option<String>, String)],
    council: Option<&Path>,
) -> Result<Verification> {
    let mut v = Verification::default();
    let manifest_path = signed.join("MANIFEST");
    let manifest = std::fs::read(&manifest_path)
        .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&manifest_path.display()])))?;
    let manifest_text = String::from_utf8_lossy(&manifest);
    let mut listed = std::collections::BTreeSet::new();
    // Each line's problem, or the file to hash against its sum: the files
    // are hashed on every core, their problems said in the lines' order.
    let mut lines = Vec::new();
    for (i, line) in manifest_text.lines().enumerate() {
        let Some((sum, rel)) = line.split_once("  ") else {
            lines.push(Err(Said::of(|w| fill(w.vf_not_a_line, &[&(i + 1)]))));
            continue;
        };
        listed.insert(rel.to_string());
        // Checked as written (cleaning could hide a `..`), shown cleaned.
        let inside = !rel.contains("..") && !rel.starts_with('/');
        let path = signed.join(rel);
        let rel = shown(rel);
        if !inside {
            lines.push(Err(Said::of(|w| fill(w.vf_not_inside, &[&(i + 1), &rel]))));
            continue;
        }
        lines.push(Ok((path, sum, rel)));
    }
    let checked = crate::load::par_map(&lines, |line| -> Option<Said> {
        let (path, sum, rel) = match line {
            Err(problem) => return Some(problem.clone()),
            Ok(file) => file,
        };
        // A signed folder holds regular files: a link (anywhere) or a pipe
        // put in a listed file's place is named, never followed or read.
        // Any size is hashed (a province's workbook can pass the inputs'
        // bound), read in pieces rather than whole.
        let regular = std::fs::symlink_metadata(path).map(|m| m.file_type().is_file());
        if regular.as_ref().is_ok_and(|r| !r) {
            return Some(Said::of(|w| fill(w.vf_not_regular, &[rel])));
        }
        let digest = std::fs::File::open(path).and_then(|mut f| {
            let mut h = Sha256::new();
            std::io::copy(&mut f, &mut h)?;
            Ok(hex(&h.finalize()))
        });
        match digest {
            Ok(d) if d == *sum => None,
            Ok(_) => Some(Said::of(|w| fill(w.vf_changed, &[rel]))),
            Err(_) => Some(Said::of(|w| fill(w.vf_missing, &[rel]))),
        }
    });
    v.problems.extend(checked.into_iter().flatten());
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
    let council_dir = council
        .map(Path::to_path_buf)
        .or_else(|| council_dir_of(signed));
    check_log(&mut v, signed, council_dir.as_deref());
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
pub(super) fn enclosing_council(signed: &Path) -> Result<toml::Table> {
    let council_dir = council_dir_of(signed).context(crate::i18n::say(|w| {
        w.er_signed_folder_lies_council.to_string()
    }))?;
    read_council_file(&council_dir.join("council.toml"))
}

/// The reopening that followed this folder's sign-off in the council's session, in words.
fn superseded(council_dir: &Path, signed: &Path) -> Option<Said> {
    let name = format!("signed/{}", signed.file_name()?.to_str()?);
    let path = session::place_of(council_dir);
    let events = Session::open_reading(&path).ok()?.events().ok()?;
    let at = events
        .iter()
        .position(|e| e.kind() == Kind::Signoff && e.comment == name)?;
    let reopen = events[at..].iter().find(|e| e.kind() == Kind::Reopen)?;
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

pub(super) fn member_pubkey(council: &toml::Table, member: &str) -> Result<PublicKey> {
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

pub(super) fn council_member_name(council: &toml::Table, member: &str) -> String {
    member_entry(council, member)
        .and_then(|m| m.get("name")?.as_str().map(crate::text::line))
        .unwrap_or_else(|| member.to_string())
}

pub(super) fn council_name(council: &toml::Table) -> String {
    council
        .get("name")
        .and_then(|n| n.as_str())
        .map(crate::text::line)
        .unwrap_or_default()
        .replace('\n', " ")
}

/// A signed `log.csv` read back.
#[derive(Clone, Debug)]
pub struct SignedLog {
    pub events: Vec<session::Event>,
    /// Whether it has the hash column (a folder signed before the log was
    /// chained has not, and its events' hashes are empty).
    pub chained: bool,
}

/// Reads a signed `log.csv` back into events; a line that is not one is named.
pub fn read_log(path: &Path) -> Result<SignedLog, Said> {
    let file = shown(&path.display().to_string());
    let folder = path.parent().unwrap_or(Path::new("."));
    crate::load::regular_inside(folder, path)
        .map_err(|said| said.around(|w, said| fill(w.vf_log_unreadable, &[&file, &said])))?;
    let bytes =
        std::fs::read(path).map_err(|e| Said::of(|w| fill(w.vf_log_unreadable, &[&file, &e])))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes.as_slice());
    let header = reader
        .headers()
        .map(|h| h.iter().collect::<Vec<_>>().join(","))
        .unwrap_or_default();
    // A folder signed before the log was chained has no hash column.
    let columns = match header.as_str() {
        session::chain::HEADER => 14,
        session::chain::HEADER_UNSIGNED => 12,
        session::chain::HEADER_UNCHAINED => 10,
        _ => 0,
    };
    if columns == 0 {
        let (shown_header, want) = (shown(&header), session::chain::HEADER);
        return Err(Said::of(|w| {
            fill(w.vf_log_header, &[&file, &shown_header, &want])
        }));
    }
    let mut events = Vec::new();
    for record in reader.records() {
        let bad = |line: u64, what: &str| {
            let what = shown(what);
            Said::of(|w| fill(w.vf_log_line, &[&file, &line, &what]))
        };
        let r = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            bad(line, &e.to_string())
        })?;
        let line = r.position().map_or(0, |p| p.line());
        let text = |i: usize| r.get(i).unwrap_or_default().to_string();
        let opt = |i: usize| Some(text(i)).filter(|t| !t.is_empty());
        let number = |i: usize| -> Result<Option<i64>, Said> {
            opt(i)
                .map(|t| t.parse::<i64>().map_err(|_| bad(line, &t)))
                .transpose()
        };
        if r.len() != columns {
            return Err(bad(line, &r.len().to_string()));
        }
        events.push(session::Event {
            id: number(0)?.ok_or_else(|| bad(line, "id"))?,
            at: text(1),
            member: text(2),
            kind: text(3),
            unit: opt(4),
            code: opt(5),
            before: opt(6),
            after: opt(7),
            comment: text(8),
            target: number(9)?,
            round: number(10)?.filter(|_| columns >= 12).unwrap_or(1),
            hash: if columns >= 12 {
                text(11)
            } else {
                String::new()
            },
            recorder: opt(12).filter(|_| columns == 14),
            sig: opt(13).filter(|_| columns == 14),
        });
    }
    Ok(SignedLog {
        events,
        chained: columns >= 12,
    })
}

/// The log of every signed folder of a council, by folder (`signed/<name>`),
/// with the folder itself; folders whose log does not read, or was signed
/// before the chain, are left out.
fn signed_logs(council_dir: &Path) -> Vec<(String, PathBuf, Vec<session::Event>)> {
    let signed = council_dir.join("signed");
    let mut out: Vec<_> = std::fs::read_dir(&signed)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let log = read_log(&e.path().join("log.csv")).ok()?;
            let name = format!("signed/{}", e.file_name().to_string_lossy());
            (log.chained && !log.events.is_empty()).then(|| (shown(&name), e.path(), log.events))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The heads the council's signed folders keep, for checking its session against them.
pub fn anchors(council_dir: &Path) -> Vec<session::chain::Anchor> {
    signed_logs(council_dir)
        .into_iter()
        .filter_map(|(folder, _, log)| {
            let first = log.first()?;
            let last = log.last()?;
            Some(session::chain::Anchor {
                folder,
                first_at: first.at.clone(),
                head: session::chain::Head {
                    id: last.id,
                    hash: last.hash.clone(),
                },
            })
        })
        .collect()
}

/// The log's checks: its chain, the other signed folders, the figures.
fn check_log(v: &mut Verification, signed: &Path, council_dir: Option<&Path>) {
    let path = signed.join("log.csv");
    if std::fs::symlink_metadata(&path).is_err() {
        let missing = Said::of(|w| fill(w.vf_missing, &[&"log.csv"]));
        if !v.problems.contains(&missing) {
            v.problems.push(missing);
        }
        return;
    }
    let (log, chained) = match read_log(&path) {
        Ok(log) => (log.events, log.chained),
        Err(said) => {
            v.problems.push(said);
            return;
        }
    };
    if !chained {
        v.checked.push(Said::word(|w| w.vf_log_unchained));
        if let Some(council_dir) = council_dir {
            let council = crate::load::load(council_dir);
            rederive(v, signed, council_dir, &council, &log);
        }
        return;
    }
    let head = match session::chain::check(None, &log) {
        Ok(Some(head)) => head,
        Ok(None) => {
            v.problems.push(Said::word(|w| w.vf_log_empty));
            return;
        }
        Err(b) => {
            v.problems.push(Said::of(|w| {
                let (event, why) = b.words(w);
                fill(w.vf_chain_broken, &[&event, &why])
            }));
            return;
        }
    };
    let (n, h) = (log.len(), head.hash.clone());
    v.checked
        .push(Said::of(|w| fill(w.vf_chain_whole, &[&n, &h])));
    let Some(council_dir) = council_dir else {
        v.checked.push(Said::word(|w| w.vf_not_rederived));
        return;
    };
    check_others(v, signed, council_dir, &log, &head);
    check_session(v, council_dir, &log, &head);
    // Loaded once, for the signatures and the re-derivation.
    let council = crate::load::load(council_dir);
    if let Ok(council) = &council {
        check_signatures(v, council, &log);
    }
    rederive(v, signed, council_dir, &council, &log);
}

/// Every event's signature against the council's keys, and from which event
/// on every event is signed (a council that does not load is said by the
/// re-derivation).
fn check_signatures(v: &mut Verification, council: &crate::model::Council, log: &[session::Event]) {
    match session::acting::check_signed(council, log) {
        Ok(()) => v.checked.push(match session::acting::signed_since(log) {
            Some(id) => Said::of(|w| fill(w.vf_events_signed_from, &[&id])),
            None => Said::word(|w| w.vf_events_none_signed),
        }),
        Err(b) => v.problems.push(Said::of(|w| {
            let (event, why) = b.words(w);
            fill(w.vf_chain_broken, &[&event, &why])
        })),
    }
}

/// The council's session still holds this folder's last event as signed.
fn check_session(
    v: &mut Verification,
    council_dir: &Path,
    log: &[session::Event],
    head: &session::chain::Head,
) {
    let path = session::place_of(council_dir);
    let Some(first) = log.first() else { return };
    let held = Session::open_reading(&path)
        .ok()
        .and_then(|s| s.holds(&first.at, head).ok().flatten());
    let id = head.id;
    match held {
        Some(true) => v
            .checked
            .push(Said::of(|w| fill(w.vf_session_holds, &[&id]))),
        Some(false) => v
            .problems
            .push(Said::of(|w| fill(w.vf_session_differs, &[&id]))),
        None => {}
    }
}

/// Each earlier signed folder of the same session ends with an event this
/// log holds as it was; each later one holds this folder's last event.
fn check_others(
    v: &mut Verification,
    signed: &Path,
    council_dir: &Path,
    log: &[session::Event],
    head: &session::chain::Head,
) {
    let me = signed.canonicalize().ok();
    let holds = |log: &[session::Event], h: &session::chain::Head| {
        log.iter().any(|e| e.id == h.id && e.hash == h.hash)
    };
    let mut compared = 0;
    for (folder, path, other) in signed_logs(council_dir) {
        if path.canonicalize().ok() == me
            || other.first().map(|e| &e.at) != log.first().map(|e| &e.at)
        {
            continue;
        }
        let Some(last) = other.last() else { continue };
        let theirs = session::chain::Head {
            id: last.id,
            hash: last.hash.clone(),
        };
        compared += 1;
        if theirs.id <= head.id && !holds(log, &theirs) {
            let id = theirs.id;
            v.problems
                .push(Said::of(|w| fill(w.vf_does_not_continue, &[&folder, &id])));
        } else if theirs.id > head.id && !holds(&other, head) {
            let id = head.id;
            v.problems
                .push(Said::of(|w| fill(w.vf_not_continued, &[&folder, &id])));
        }
    }
    if compared > 0 {
        v.checked
            .push(Said::of(|w| fill(w.vf_others_continue, &[&compared])));
    }
}

/// Makes the unit files and the ranking again from the council's inputs and
/// the signed log, and compares them with the folder's, byte for byte.
fn rederive(
    v: &mut Verification,
    signed: &Path,
    council_dir: &Path,
    council: &Result<crate::model::Council, crate::diag::Diagnostics>,
    log: &[session::Event],
) {
    let council = match council {
        Ok(c) => c,
        Err(d) => {
            let d = shown(&d.render(crate::i18n::current()).replace('\n', " "));
            let dir = shown(&council_dir.display().to_string());
            v.problems
                .push(Said::of(|w| fill(w.vf_inputs_do_not_load, &[&dir, &d])));
            return;
        }
    };
    let state = session::State::of(council, log);
    let derived = super::signed_figures(&crate::export::Snapshot::new(council, &state, log));
    let mut differ = 0;
    for (rel, text) in &derived {
        match std::fs::read(signed.join(rel)) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => {
                differ += 1;
                let rel = shown(rel);
                v.problems
                    .push(Said::of(|w| fill(w.vf_not_derived, &[&rel])));
            }
            Err(_) => {
                differ += 1;
                let rel = shown(rel);
                v.problems
                    .push(Said::of(|w| fill(w.vf_derived_missing, &[&rel])));
            }
        }
    }
    let extra: Vec<String> = walk(signed)
        .unwrap_or_default()
        .into_iter()
        .filter(|rel| rel.starts_with("units/") && !derived.contains_key(rel))
        .collect();
    for rel in &extra {
        let rel = shown(rel);
        v.problems
            .push(Said::of(|w| fill(w.vf_not_derived_extra, &[&rel])));
    }
    if differ == 0 && extra.is_empty() {
        let n = derived.len();
        v.checked.push(Said::of(|w| fill(w.vf_rederived, &[&n])));
    }
}
