//! Reading a council folder: every file parsed (in parallel), checked against the spec, all problems collected.
//!
//! A folder with any problem loads nothing: [`load`] returns either a whole
//! [`Council`] or every [`Diagnostic`] found.

mod assessment;
mod council;
pub mod explanation;
mod framework;
pub mod raw;
mod survey;
pub mod watch;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::de::DeserializeOwned;
use sha2::Digest as _;

use crate::diag::{Diagnostic, Diagnostics, Said, Source, line_col_bytes};
use crate::i18n::{Words, fill};
use crate::model::{Council, Framework};
use crate::points::Points;

pub use assessment::{MAX_NOTE, Outside, resolve_in_folder};

/// Loads and checks the council folder; either everything loads or nothing does.
pub fn load(folder: &Path) -> Result<Council, Diagnostics> {
    let mut diags = Vec::new();
    let council = load_into(folder, &mut diags, &Reading::default());
    whole_or_problems(council, diags)
}

/// As [`load`], the council also keeping the digest of the bytes it was
/// loaded from (`Council::inputs`), which [`inputs_digest`] can compare with
/// the folder later: what a sign-off checks before it signs.
pub fn load_hashed(folder: &Path) -> Result<Council, Diagnostics> {
    let mut diags = Vec::new();
    let reading = Reading {
        hash: true,
        ..Reading::default()
    };
    let council = load_into(folder, &mut diags, &reading).map(|mut c| {
        c.inputs = Some(reading.digest());
        c
    });
    whole_or_problems(council, diags)
}

/// The digest of the input files as they are now: the files a load reads
/// (council.toml, frameworks/, surveys/, assessments/, explanations/), by
/// name, each its SHA-256. `None` where one cannot be read as the load would.
pub fn inputs_digest(folder: &Path) -> Option<[u8; 32]> {
    let mut diags = Vec::new();
    let mut files = vec!["council.toml".to_string()];
    for sub in ["frameworks", "surveys", "assessments", "explanations"] {
        // The optional folders, as the load treats them.
        if sub == "frameworks" || sub == "assessments" || folder.join(sub).is_dir() {
            files.extend(read_dir_toml(folder, sub, &mut diags));
        }
    }
    let reading = Reading {
        hash: true,
        ..Reading::default()
    };
    let read = par_map(&files, |rel| {
        let mut out = Vec::new();
        read_text(folder, rel, &mut out, &reading).is_some() && out.is_empty()
    });
    (diags.is_empty() && read.iter().all(|&ok| ok)).then(|| reading.digest())
}

/// What a load read, when asked to keep it: each file's SHA-256 by name.
#[derive(Default)]
struct Reading {
    hash: bool,
    seen: std::sync::Mutex<Vec<(String, [u8; 32])>>,
}

impl Reading {
    fn note(&self, rel: &str, bytes: &[u8]) {
        if !self.hash {
            return;
        }
        let digest: [u8; 32] = sha2::Sha256::digest(bytes).into();
        if let Ok(mut seen) = self.seen.lock() {
            seen.push((rel.to_string(), digest));
        }
    }

    /// One digest of every file read, in the order of their names.
    fn digest(&self) -> [u8; 32] {
        let mut seen = self.seen.lock().map(|s| s.clone()).unwrap_or_default();
        seen.sort();
        let mut all = sha2::Sha256::new();
        for (rel, digest) in &seen {
            all.update(rel.as_bytes());
            all.update([0]);
            all.update(digest);
        }
        all.finalize().into()
    }
}

/// A council only when nothing was found wrong; else every problem, sorted.
fn whole_or_problems(
    council: Option<Council>,
    diags: Vec<Diagnostic>,
) -> Result<Council, Diagnostics> {
    if diags.is_empty()
        && let Some(council) = council
    {
        return Ok(council);
    }
    let mut d = Diagnostics(diags);
    d.sort();
    Err(d)
}

/// Loads council.toml and the frameworks only: every roster unit "not submitted".
///
/// What `import` and `form` need when the assessments themselves are being
/// replaced: a broken assessment must not stop a new one from coming in.
pub fn load_roster(folder: &Path) -> Result<Council, Diagnostics> {
    let mut diags = Vec::new();
    let council = roster_into(folder, &mut diags, &Reading::default()).map(|mut c| {
        c.assessments = (0..c.units.len())
            .map(|u| assessment::not_submitted(c.framework_of(u)))
            .collect();
        c
    });
    whole_or_problems(council, diags)
}

/// Checks one self-assessment's text (as it would stand at `rel` in the
/// folder) against a loaded council: the same rules as [`load`].
pub fn check_assessment(
    council: &Council,
    folder: &Path,
    rel: &str,
    text: &str,
) -> Result<(usize, crate::model::Assessment), Diagnostics> {
    let mut out = Vec::new();
    let ctx = assessment::Context::new(council, folder);
    let mut src = Source::new(rel, text, &mut out);
    let checked = parse_assessment(&mut src, &ctx);
    match checked {
        Some(c) if out.is_empty() => Ok((c.unit, c.assessment)),
        _ => Err(Diagnostics(out)),
    }
}

/// Checks one explanation's text (as it would stand at `rel` in the folder)
/// against a loaded council: the same rules as [`load`].
pub fn check_explanation(
    council: &Council,
    folder: &Path,
    rel: &str,
    text: &str,
) -> Result<crate::model::Explanation, Diagnostics> {
    let mut out = Vec::new();
    let mut src = Source::new(rel, text, &mut out);
    let checked = parse::<raw::Explanation>(&mut src, |w| w.ld_what_explanation)
        .and_then(|raw| explanation::check(&mut src, raw, council, folder));
    match checked {
        Some(e) if out.is_empty() => Ok(e),
        _ => Err(Diagnostics(out)),
    }
}

/// One self-assessment file: parsed into its strict shape, then checked.
fn parse_assessment(
    src: &mut Source<'_>,
    ctx: &assessment::Context<'_>,
) -> Option<assessment::Checked> {
    let raw: raw::Assessment = parse(src, |w| w.ld_what_assessment)?;
    assessment::check(src, raw, ctx)
}

fn load_into(folder: &Path, diags: &mut Vec<Diagnostic>, reading: &Reading) -> Option<Council> {
    let council = roster_into(folder, diags, reading)?;
    assessments_into(folder, council, diags, reading)
}

/// A framework file's text checked as the loader checks `frameworks/<rel>`:
/// the framework, or every problem found in it.
pub fn framework_text(rel: &str, text: &str) -> Result<Framework, Diagnostics> {
    let mut diags = Vec::new();
    let mut src = Source::new(rel, text, &mut diags);
    let checked = parse::<raw::Framework>(&mut src, |w| w.ld_what_framework)
        .and_then(|raw| framework::check(&mut src, raw));
    match checked {
        Some(f) if diags.is_empty() => Ok(f),
        _ => Err(Diagnostics(diags)),
    }
}

/// council.toml and frameworks/, checked.
fn roster_into(folder: &Path, diags: &mut Vec<Diagnostic>, reading: &Reading) -> Option<Council> {
    if !folder.is_dir() {
        diags.push(Diagnostic {
            path: folder.display().to_string(),
            line: 1,
            column: 1,
            message: Said::word(|w| w.ld_no_such_folder),
        });
        return None;
    }
    // Frameworks that failed are remembered by id (when it could be read), so
    // that council.toml is not blamed for naming them.
    let mut broken = Broken::default();
    let frameworks: Vec<_> = read_dir_toml(folder, "frameworks", diags)
        .iter()
        .filter_map(|rel| {
            let Some(text) = read_text(folder, rel, diags, reading) else {
                broken.unreadable = true;
                return None;
            };
            let mut src = Source::new(rel, &text, diags);
            let Some(raw): Option<raw::Framework> = parse(&mut src, |w| w.ld_what_framework) else {
                broken.unreadable = true;
                return None;
            };
            let at = framework::id_position(&text, &raw);
            let id = raw.id.get_ref().clone();
            let checked = framework::check(&mut src, raw).map(|f| (f, at));
            if checked.is_none() {
                broken.ids.push(id);
            }
            checked
        })
        .collect();
    let frameworks = framework::check_ids(frameworks, diags);

    let rel = "council.toml";
    read_text(folder, rel, diags, reading).and_then(|text| {
        let mut src = Source::new(rel, &text, diags);
        let raw: raw::Council = parse(&mut src, |w| w.ld_what_council)?;
        council::check(&mut src, folder, raw, frameworks, &broken)
    })
}

/// assessments/ and surveys/, read in one parallel pass and checked against the council.
fn assessments_into(
    folder: &Path,
    council: Council,
    diags: &mut Vec<Diagnostic>,
    reading: &Reading,
) -> Option<Council> {
    // Surveys are parsed in the same parallel pass (first, since one survey
    // file can be as large as many assessments) and applied afterwards.
    let surveys = if folder.join("surveys").is_dir() {
        read_dir_toml(folder, "surveys", diags)
    } else {
        Vec::new()
    };
    let files = read_dir_toml(folder, "assessments", diags);
    let jobs: Vec<(&str, bool)> = surveys
        .iter()
        .map(|r| (r.as_str(), true))
        .chain(files.iter().map(|r| (r.as_str(), false)))
        .collect();
    let ctx = assessment::Context::new(&council, folder);
    let done = par_map(&jobs, |&(rel, is_survey)| {
        let mut out = Vec::new();
        let text = read_text(folder, rel, &mut out, reading);
        let result = text.and_then(|text| {
            let mut src = Source::new(rel, &text, &mut out);
            if is_survey {
                let raw: raw::Survey = parse(&mut src, |w| w.ld_what_survey)?;
                return Some(Parsed::Survey(text, raw));
            }
            parse_assessment(&mut src, &ctx).map(Parsed::Assessment)
        });
        (rel, result, out)
    });
    let mut council = council;
    let mut assessments: Vec<Option<crate::model::Assessment>> = vec![None; council.units.len()];
    let mut first_file: HashMap<usize, &str> = HashMap::new();
    let mut parsed_surveys = Vec::new();
    for (rel, result, out) in done {
        diags.extend(out);
        let a = match result {
            Some(Parsed::Assessment(a)) => a,
            Some(Parsed::Survey(text, raw)) => {
                parsed_surveys.push((rel, text, raw));
                continue;
            }
            None => continue,
        };
        if let Some(first) = first_file.get(&a.unit) {
            let (line, column) = a.unit_at;
            diags.push(Diagnostic {
                path: rel.to_string(),
                line,
                column,
                message: Said::of(|w| {
                    fill(w.ld_second_assessment, &[&council.units[a.unit].id, first])
                }),
            });
            continue;
        }
        first_file.insert(a.unit, rel);
        assessments[a.unit] = Some(a.assessment);
    }
    let mut assessments: Vec<_> = assessments
        .into_iter()
        .enumerate()
        .map(|(u, a)| a.unwrap_or_else(|| assessment::not_submitted(council.framework_of(u))))
        .collect();
    for (rel, text, raw) in parsed_surveys {
        let mut src = Source::new(rel, &text, diags);
        if let Some(name) = survey::apply(&mut src, raw, &council, &mut assessments) {
            council.surveys.push(name);
        }
    }
    council.assessments = assessments;
    council.explanations = explanations_of(folder, &council, diags, reading);
    Some(council)
}

/// explanations/, checked against the council.
fn explanations_of(
    folder: &Path,
    council: &Council,
    diags: &mut Vec<Diagnostic>,
    reading: &Reading,
) -> Vec<crate::model::Explanation> {
    if !folder.join("explanations").is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for rel in read_dir_toml(folder, "explanations", diags) {
        let Some(text) = read_text(folder, &rel, diags, reading) else {
            continue;
        };
        let mut src = Source::new(&rel, &text, diags);
        let Some(raw): Option<raw::Explanation> = parse(&mut src, |w| w.ld_what_explanation) else {
            continue;
        };
        if let Some(e) = explanation::check(&mut src, raw, council, folder) {
            out.push(e);
        }
    }
    explanation::one_per_round(out, council, diags)
}

/// One file read in the parallel pass.
enum Parsed {
    Assessment(assessment::Checked),
    Survey(String, raw::Survey),
}

/// Framework files that did not load; their problems are reported in their own files.
#[derive(Default)]
pub(crate) struct Broken {
    /// Ids of frameworks that were read but failed their checks.
    pub ids: Vec<String>,
    /// Whether some framework file could not even be read or parsed.
    pub unreadable: bool,
}

/// The `.toml` files of a subfolder, as paths relative to the council folder, sorted.
pub(crate) fn read_dir_toml(folder: &Path, sub: &str, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let dir = folder.join(sub);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic {
                path: format!("{sub}/"),
                line: 1,
                column: 1,
                message: Said::of(|w| fill(w.ld_cannot_read_folder, &[&e, &sub])),
            });
            return Vec::new();
        }
    };
    let mut names = Vec::new();
    let whole = |path: String, message: Said| Diagnostic {
        path,
        line: 1,
        column: 1,
        message,
    };
    // Files are listed by name here; `read_text` decides what may be read.
    for e in entries.filter_map(|e| e.ok()) {
        // A name that is not UTF-8 (a zip from another system) is said, shown
        // escaped, never skipped: skipping it would turn a unit "not submitted".
        let name = match e.file_name().into_string() {
            Ok(n) => n,
            Err(raw) => {
                let shown = format!("{sub}/{}", raw.to_string_lossy().escape_default());
                diags.push(whole(shown, Said::word(|w| w.ld_name_not_utf8)));
                continue;
            }
        };
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{sub}/{name}");
        let lower = name.trim_end().to_lowercase();
        if !name.ends_with(".toml") {
            // Meant as a toml file but not named so: said, with the right name.
            let trimmed = name.trim_end();
            if lower.ends_with(".toml")
                && let Some(stem) = trimmed.get(..trimmed.len().saturating_sub(5))
            {
                let right = crate::text::line(&format!("{stem}.toml"));
                diags.push(whole(
                    crate::text::line(&rel),
                    Said::of(|w| fill(w.ld_name_not_toml, &[&right])),
                ));
            }
            continue;
        }
        // Whether it is a regular file inside the folder is `read_text`'s check.
        names.push(rel);
    }
    names.sort();
    names
}

/// The largest input file read, in bytes (a council's largest file is a few MB).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// Whether `path` is a regular file (directly or through links that stay in
/// `folder`, whether the file itself or a folder on its way is the link) of a
/// bounded size: never a pipe, a device or a file elsewhere.
pub fn regular_inside(folder: &Path, path: &Path) -> Result<(), Said> {
    let link = std::fs::symlink_metadata(path)
        .map_err(|e| Said::of(|w| fill(w.ld_cannot_read_file, &[&e])))?;
    if link.file_type().is_symlink() || in_linked_folder(folder, path) {
        let target = std::fs::canonicalize(path)
            .map_err(|e| Said::of(|w| fill(w.ld_cannot_read_file, &[&e])))?;
        let root = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
        if !target.starts_with(&root) {
            return Err(Said::word(|w| w.ld_link_outside));
        }
    }
    let meta =
        std::fs::metadata(path).map_err(|e| Said::of(|w| fill(w.ld_cannot_read_file, &[&e])))?;
    if !meta.is_file() {
        return Err(Said::word(|w| w.ld_not_regular));
    }
    if meta.len() > MAX_FILE {
        let mb = meta.len() / (1024 * 1024);
        return Err(Said::of(|w| {
            fill(w.ld_too_big, &[&mb, &(MAX_FILE / (1024 * 1024))])
        }));
    }
    Ok(())
}

/// `path` opened, with its size, when it is a regular file of a bounded size
/// that is not a link, in folders below `folder` that are not links: one
/// `lstat`, one open and one `fstat`. `None` for anything else, which
/// [`regular_inside`] then checks and names; a device or a pipe is never
/// opened.
fn open_plain(folder: &Path, path: &Path) -> Option<(std::fs::File, usize)> {
    let plain = |m: &std::fs::Metadata| m.file_type().is_file() && m.len() <= MAX_FILE;
    if !plain(&std::fs::symlink_metadata(path).ok()?) || in_linked_folder(folder, path) {
        return None;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // What replaced the file since is never followed nor waited for.
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    plain(&meta).then(|| (file, usize::try_from(meta.len()).unwrap_or(0)))
}

/// Whether a folder between `folder` and `path` is a link.
fn in_linked_folder(folder: &Path, path: &Path) -> bool {
    path.strip_prefix(folder).is_ok_and(|rel| {
        rel.ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
            .any(|a| {
                std::fs::symlink_metadata(folder.join(a)).is_ok_and(|m| m.file_type().is_symlink())
            })
    })
}

/// [`read_text`] of a file that is read leniently: `None` where the load
/// would name a problem of its reading.
pub(crate) fn read_quietly(folder: &Path, rel: &str) -> Option<String> {
    read_text(folder, rel, &mut Vec::new(), &Reading::default())
}

/// Reads a file as UTF-8 (a leading BOM tolerated), reporting where it is not.
fn read_text(
    folder: &Path,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
    reading: &Reading,
) -> Option<String> {
    let path: PathBuf = folder.join(rel);
    // A regular file, not a link, in folders that are not links: opened once
    // and read, what nearly every file is; anything else checked in full.
    let plain = open_plain(folder, &path);
    // Only a regular file inside the council folder is read (a link that leads
    // nowhere is there too, and said so).
    if plain.is_none()
        && std::fs::symlink_metadata(&path).is_ok()
        && let Err(said) = regular_inside(folder, &path)
    {
        diags.push(Diagnostic {
            path: rel.into(),
            line: 1,
            column: 1,
            message: said,
        });
        return None;
    }
    let read = match plain {
        Some((mut file, len)) => {
            let mut bytes = Vec::with_capacity(len);
            std::io::Read::read_to_end(&mut file, &mut bytes).map(|_| bytes)
        }
        None => std::fs::read(&path),
    };
    let mut bytes = match read {
        Ok(b) => b,
        Err(e) => {
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                Said::word(|w| w.ld_file_missing)
            } else {
                Said::of(|w| fill(w.ld_cannot_read_file, &[&e]))
            };
            diags.push(Diagnostic {
                path: rel.into(),
                line: 1,
                column: 1,
                message,
            });
            return None;
        }
    };
    reading.note(rel, &bytes);
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let (line, column) = line_col_bytes(e.as_bytes(), at);
            diags.push(Diagnostic {
                path: rel.into(),
                line,
                column,
                message: Said::word(|w| w.ld_not_utf8),
            });
            None
        }
    }
}

/// Parses TOML into a strict shape, reporting the error where the parser found it.
fn parse<T: DeserializeOwned>(
    src: &mut Source<'_>,
    what: fn(&'static Words) -> &'static str,
) -> Option<T> {
    if src.text.trim().is_empty() {
        src.say(0..0, |w| fill(w.ld_file_empty_should_hold, &[&what(w)]));
        return None;
    }
    // One parse: the span-carrying table is checked for over-long texts,
    // then deserialised into the strict shape, then dropped.
    let parsed = toml::de::DeTable::parse(src.text).and_then(|table| {
        let mut long = Vec::new();
        for (k, v) in table.get_ref() {
            bound_texts(&mut long, k.get_ref(), v.get_ref(), v.span());
        }
        T::deserialize(toml::de::Deserializer::from(table)).map(|v| (v, long))
    });
    match parsed {
        Ok((v, long)) => {
            for (span, said) in long {
                src.at(span, said);
            }
            Some(v)
        }
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = crate::text::shorten(e.message().trim(), 500);
            let message = message.as_str();
            let said = if message == "duplicate key" {
                let key = src.slice(span.clone()).trim().to_string();
                Said::of(|w| fill(w.ld_duplicate_key, &[&key]))
            } else {
                Said::of(|w| explain(w, message))
            };
            src.at(span, said);
            None
        }
    }
}

/// The longest name, label, code, reference or other one-line text, in characters.
pub const MAX_TEXT: usize = 2_000;

/// Notes every text longer than its bound, where it stands: a note or a
/// guide holds at most `MAX_NOTE` characters, any other text `MAX_TEXT`, so
/// that nothing pasted in by mistake reaches the screen or the exports.
fn bound_texts(
    long: &mut Vec<(std::ops::Range<usize>, Said)>,
    key: &str,
    value: &toml::de::DeValue<'_>,
    span: std::ops::Range<usize>,
) {
    use toml::de::DeValue;
    match value {
        DeValue::String(text) => {
            let max = if matches!(key, "note" | "guide") {
                MAX_NOTE
            } else {
                MAX_TEXT
            };
            // Counting stops past the bound: a huge text costs no more than a long one.
            if text.len() <= max || text.chars().nth(max).is_none() {
                return;
            }
            let chars = text.chars().count();
            let said = if key == "note" {
                Said::of(|w| fill(w.ld_note_too_long, &[&chars, &max]))
            } else {
                let key = crate::text::shorten(key, 60);
                Said::of(|w| fill(w.ld_text_too_long, &[&key, &chars, &max]))
            };
            long.push((span, said));
        }
        DeValue::Table(t) => {
            for (k, v) in t {
                bound_texts(long, k.get_ref(), v.get_ref(), v.span());
            }
        }
        // The strings of an array are bounded as their key's.
        DeValue::Array(a) => {
            for v in a {
                bound_texts(long, key, v.get_ref(), v.span());
            }
        }
        _ => {}
    }
}

/// Rewords serde's messages in the words of the files.
fn explain(w: &Words, message: &str) -> String {
    const SERDE: [&str; 7] = [
        "missing field",
        "unknown field",
        "invalid type",
        "invalid value",
        "duplicate field",
        "unknown variant",
        "invalid length",
    ];
    if !SERDE.iter().any(|p| message.starts_with(p)) {
        return fill(w.ld_not_toml, &[&toml_words(w, message)]);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return fill(w.ld_missing_key, &[&rest]);
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let rest = rest.replacen(", expected one of ", w.ld_expected_one_of, 1);
        let rest = rest.replacen(", expected ", w.ld_expected, 1);
        return fill(w.ld_unknown_key, &[&rest]);
    }
    toml_words(
        w,
        &message
            .replace("expected f64", "expected a number")
            .replace("expected i64", "expected a whole number"),
    )
}

/// The parser's and serde's own phrases, in the words of the run's language
/// (quoted values and key names stay as written).
fn toml_words(w: &Words, message: &str) -> String {
    let pairs: [(&str, &str); 19] = [
        ("expected nothing", w.ld_p_expected_nothing),
        ("invalid type: ", w.ld_p_invalid_type),
        ("invalid value: ", w.ld_p_invalid_value),
        ("unknown variant ", w.ld_p_unknown_variant),
        ("duplicate field ", w.ld_p_duplicate_field),
        ("invalid length ", w.ld_p_invalid_length),
        (", expected one of ", w.ld_expected_one_of),
        (", expected ", w.ld_expected),
        ("expected a number", w.ld_p_a_number),
        ("expected a whole number", w.ld_p_a_whole_number),
        ("a string", w.ld_p_a_string),
        ("a boolean", w.ld_p_a_boolean),
        ("a sequence", w.ld_p_a_sequence),
        ("floating point", w.ld_p_floating_point),
        ("integer", w.ld_p_integer),
        ("string ", w.ld_p_string),
        ("boolean", w.ld_p_boolean),
        ("sequence", w.ld_p_sequence),
        ("expected ", w.ld_p_expected_word),
    ];
    let mut out = message.to_string();
    for (en, said) in pairs {
        out = out.replace(en, said);
    }
    out
}

/// Reads a number exactly from its literal text.
fn points(
    src: &mut Source<'_>,
    n: &raw::Num,
    what: fn(&'static Words) -> &'static str,
) -> Option<Points> {
    let text = src.slice(n.span()).trim().to_string();
    match Points::parse(&text) {
        Ok(p) => Some(p),
        Err(e) => {
            src.say(n.span(), |w| {
                format!("{} {text} {}", what(w), crate::i18n::points_error(w, &e))
            });
            None
        }
    }
}

/// Maps `f` over `items` on every core, keeping their order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len())
        .max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut all: Vec<(usize, R)> = parts.iter_mut().flat_map(std::mem::take).collect();
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// `a` on a thread of its own while `b` runs on this one; both results, a
/// panic of `a`'s passed on.
pub fn beside<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|s| {
        let a = s.spawn(a);
        let b = b();
        (a.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), b)
    })
}

/// Whether an id is safe as a file name and in a CSV (letters, digits, `-`, `_`, `.`).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Up to five names from a list, for "did you mean" style hints.
fn some_of<'a>(w: &Words, names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    let more = if names.len() > 5 {
        fill(w.ld_in_all, &[&names.len()])
    } else {
        String::new()
    };
    if shown.is_empty() {
        w.ld_none.into()
    } else {
        format!("{}{more}", shown.join(", "))
    }
}
