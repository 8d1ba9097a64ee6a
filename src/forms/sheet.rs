//! A spreadsheet's sheet read where a hostile file can do no harm: in a child process of
//! its own, under a memory and a time limit, after its parts are checked not to inflate
//! beyond what any form needs; only the visible sheet of the exact name, a hidden sheet
//! named like it refused.
//!
//! The reader crate allocates from numbers the file states (a sheet's size, a count of
//! strings) and aborts the process when that fails, which no `catch_unwind` can stop.
//! So the product reads each file in `thamdinh __read-sheet FILE [SHEET]`, whose death
//! is a message about that file alone; the cells come back over a pipe as text. The
//! library used from another program (a test, a benchmark) reads in its own process,
//! with the same checks before it, unless `THAMDINH_EXE` names the program to read in.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Range, Reader, SheetVisible};

use crate::diag::Said;
use crate::i18n::fill;
use crate::text;

/// The first argument that makes the program a sheet's reader.
pub const CHILD: &str = "__read-sheet";

/// What a sheet's reader may use: address space, processor time, wall time.
const MEMORY: u64 = 512 * 1024 * 1024;
const CPU_SECONDS: u64 = 20;
const WALL: Duration = Duration::from_secs(40);
/// A part of a workbook inflates to at most this much (the loader's own bound).
pub const MAX_PART: u64 = 64 * 1024 * 1024;
/// The largest sheet a form, a survey or a batch of decisions needs.
pub const MAX_ROWS: u32 = 100_000;
pub const MAX_COLUMNS: u32 = 1_000;

/// The named sheet (else the first visible one) of the workbook at `path`.
///
/// An xlsx workbook is read in this process once its parts are checked: the
/// reader then allocates from nothing the file states beyond the bounds
/// checked (its cells' places, its count of strings, each part's size). Any
/// other (ods, xls) is read in a child process where one can be started.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<(String, Range<Data>), Said> {
    // Any other file is checked in the process that reads it, once.
    match program().filter(|_| !is_xlsx(path)) {
        Some(exe) => in_child(&exe, path, sheet),
        None => check_parts(path).and_then(|()| read_checked(path, sheet)),
    }
}

/// The `thamdinh` program to read in: this one, or the one `THAMDINH_EXE`
/// names; none when the library runs in another program (a test, a
/// benchmark), which then reads in its own process.
fn program() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("THAMDINH_EXE") {
        return Some(PathBuf::from(p));
    }
    let me = std::env::current_exe().ok()?;
    me.file_stem()
        .is_some_and(|s| s == "thamdinh")
        .then_some(me)
}

fn in_child(exe: &Path, path: &Path, sheet: Option<&str>) -> Result<(String, Range<Data>), Said> {
    let mut cmd = Command::new(exe);
    cmd.arg(CHILD).arg(path);
    if let Some(s) = sheet {
        cmd.arg(s);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    limit(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| Said::of(|w| fill(w.fm_cannot_read_file, &[&e])))?;
    let mut out = child.stdout.take().expect("piped");
    // The pipe is read on a thread of its own, which says when the child
    // closed it (it ended); the wait for that is bounded.
    let (done, ended) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = (&mut out).take(MAX_PART).read_to_end(&mut bytes);
        let _ = done.send(());
        bytes
    });
    let status = match ended.recv_timeout(WALL) {
        Ok(()) => child.wait().ok(),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    };
    let bytes = reader.join().unwrap_or_default();
    let stopped = || {
        Said::of(|w| {
            fill(
                w.fm_reading_stopped,
                &[&(MEMORY / (1024 * 1024)), &WALL.as_secs()],
            )
        })
    };
    let Some(status) = status else {
        return Err(stopped());
    };
    let text = String::from_utf8_lossy(&bytes);
    if let Some(said) = text.strip_prefix("refused\n") {
        let (en, vi) = said.split_once('\n').unwrap_or((said, said));
        return Err(Said {
            en: unescape(en),
            vi: unescape(vi.trim_end_matches('\n')),
        });
    }
    if !status.success() {
        return Err(stopped());
    }
    decode(&text).ok_or_else(stopped)
}

/// The child's limits: address space and processor time (Unix).
fn limit(cmd: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: only setrlimit, which is async-signal-safe, runs between
        // fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                let set = |what, to: u64| {
                    let l = libc::rlimit {
                        rlim_cur: to as libc::rlim_t,
                        rlim_max: to as libc::rlim_t,
                    };
                    libc::setrlimit(what, &l);
                };
                set(libc::RLIMIT_AS, MEMORY);
                set(libc::RLIMIT_CPU, CPU_SECONDS);
                set(libc::RLIMIT_CORE, 0);
                Ok(())
            });
        }
    }
    #[cfg(not(unix))]
    let _ = cmd;
}

/// The child's side: reads the sheet and writes it, or the refusal, to
/// standard output; the process's exit code says which.
pub fn child(args: &[std::ffi::OsString]) -> std::process::ExitCode {
    let path = args.first().map(PathBuf::from).unwrap_or_default();
    let sheet = args.get(1).map(|s| s.to_string_lossy().into_owned());
    let read = check_parts(&path).and_then(|_| read_checked(&path, sheet.as_deref()));
    let out = match read {
        Ok((name, range)) => encode(&name, &range),
        Err(said) => format!("refused\n{}\n{}\n", escape(&said.en), escape(&said.vi)),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    std::process::ExitCode::SUCCESS
}

/// Reads the sheet in this process (its parts checked before).
fn read_checked(path: &Path, wanted: Option<&str>) -> Result<(String, Range<Data>), Said> {
    let path = path.to_path_buf();
    let wanted = wanted.map(str::to_string);
    let read = std::panic::catch_unwind(move || -> Result<(String, Range<Data>), Said> {
        let mut wb = calamine::open_workbook_auto(&path)
            .map_err(|e| Said::of(|w| fill(w.fm_cannot_read_as_spreadsheet_2, &[&e])))?;
        let name = choose(wb.sheets_metadata(), wanted.as_deref())?;
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| Said::of(|w| fill(w.fm_sheet_cannot_read, &[&text::line(&name), &e])))?;
        bounded(&name, &range)?;
        Ok((name, range))
    });
    read.unwrap_or_else(|_| Err(Said::word(|w| w.fm_cannot_read_as_spreadsheet)))
}

/// A cell's address as Excel writes it: `E14` for row 13, column 4 (0-based).
pub fn address(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// A sheet's name as compared: NFC, case folded, blanks at the ends and
/// controls gone.
fn folded(name: &str) -> String {
    text::line(name).trim().to_lowercase()
}

/// The sheet to read: the visible one of the exact name (else the first
/// visible sheet); a hidden sheet whose name folds to the wanted one refuses
/// the file, since nobody opening it sees what would be read.
fn choose(sheets: &[calamine::Sheet], wanted: Option<&str>) -> Result<String, Said> {
    let visible = |s: &&calamine::Sheet| s.visible == SheetVisible::Visible;
    let Some(wanted) = wanted else {
        return sheets
            .iter()
            .find(visible)
            .map(|s| s.name.clone())
            .ok_or_else(|| Said::word(|w| w.fm_holds_no_sheet));
    };
    let key = folded(wanted);
    if let Some(hidden) = sheets
        .iter()
        .find(|s| s.visible != SheetVisible::Visible && folded(&s.name) == key)
    {
        let shown = text::line(&hidden.name);
        return Err(Said::of(|w| fill(w.fm_hidden_sheet, &[&shown, &wanted])));
    }
    sheets
        .iter()
        .filter(visible)
        .find(|s| text::line(&s.name).trim() == wanted)
        .map(|s| s.name.clone())
        .ok_or_else(|| {
            let names = sheets
                .iter()
                .filter(visible)
                .map(|s| format!("`{}`", text::line(&s.name)))
                .collect::<Vec<_>>()
                .join(", ");
            Said::of(|w| fill(w.fm_sheet_named_sheets_form, &[&wanted, &names]))
        })
}

/// Refuses a sheet larger than any form, survey or batch needs, naming its last cell.
fn bounded(name: &str, range: &Range<Data>) -> Result<(), Said> {
    if let Some((row, col)) = range.end()
        && (row >= MAX_ROWS || col >= MAX_COLUMNS)
    {
        let cell = format!("{}!{}", text::line(name), address(row, col));
        return Err(Said::of(|w| {
            fill(w.fm_sheet_too_large, &[&cell, &MAX_ROWS, &MAX_COLUMNS])
        }));
    }
    Ok(())
}

/// Whether the reader will read the file as an xlsx (it goes by the name's
/// extension) and it is a zip with `xl/workbook.xml`, by its directory alone
/// (nothing inflated): only then do the checks bound what the reader allocates.
fn is_xlsx(path: &Path) -> bool {
    let named = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["xlsx", "xlsm", "xlam"].contains(&e.to_ascii_lowercase().as_str()));
    named
        && std::fs::File::open(path)
            .ok()
            .and_then(|f| zip::ZipArchive::new(std::io::BufReader::new(f)).ok())
            .is_some_and(|z| z.index_for_name("xl/workbook.xml").is_some())
}

/// A zip workbook's parts (xlsx, xlsm, ods) inflated within the bound, their
/// sheets' cells within a form's and their count of strings within reason,
/// before the reader sees them; another file (xls) is left to the limits of
/// the process that reads it.
fn check_parts(path: &Path) -> Result<(), Said> {
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return Ok(());
    };
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let sheet = name.starts_with("xl/worksheets/") || name == "content.xml";
        let strings = name == "xl/sharedStrings.xml";
        let mut scan = Scan::default();
        let mut counted = Counts::default();
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = match part.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            total += n as u64;
            if total > MAX_PART {
                let shown = text::line(&name);
                return Err(Said::of(|w| {
                    fill(w.fm_part_inflates, &[&shown, &(MAX_PART / (1024 * 1024))])
                }));
            }
            if sheet {
                scan.feed(&buf[..n]);
            }
            if strings && total as usize == n {
                // The counts stand in the part's first element.
                counted.read(&buf[..n]);
            }
        }
        if let Some(count) = counted.beyond {
            let shown = text::line(&name);
            return Err(Said::of(|w| {
                fill(w.fm_too_many_strings, &[&shown, &count, &MAX_STRINGS])
            }));
        }
        if let Some(cell) = scan.beyond {
            let shown = text::line(&name);
            return Err(Said::of(|w| {
                fill(
                    w.fm_sheet_too_large,
                    &[&format!("{cell} ({shown})"), &MAX_ROWS, &MAX_COLUMNS],
                )
            }));
        }
    }
    Ok(())
}

/// The most strings a workbook may say it holds (a form holds a few hundred).
pub const MAX_STRINGS: u64 = 1_000_000;

/// The counts a shared-strings part states (`count`, `uniqueCount`), which the
/// reader reserves room for.
#[derive(Default)]
struct Counts {
    beyond: Option<String>,
}

impl Counts {
    fn read(&mut self, head: &[u8]) {
        for attr in [&b"uniqueCount=\""[..], &b" count=\""[..]] {
            let Some(i) = find(head, attr) else {
                continue;
            };
            let start = i + attr.len();
            let digits: String = head[start..]
                .iter()
                .take(40)
                .take_while(|&&b| b != b'"')
                .map(|&b| b as char)
                .collect();
            let too_many = match digits.trim().parse::<u64>() {
                Ok(n) => n > MAX_STRINGS,
                Err(_) => !digits.trim().is_empty(),
            };
            if too_many {
                self.beyond = Some(text::line(&digits));
                return;
            }
        }
    }
}

/// Looks through a sheet's XML for cell references (`r="XFD1048576"`, a
/// `dimension`) beyond a form's bounds. (An ODS sheet's repeated rows are
/// left to the reader's limits: a spreadsheet program writes the empty rows
/// to the sheet's end that way.)
#[derive(Default)]
struct Scan {
    /// The end of the last chunk, which may hold the start of an attribute.
    tail: Vec<u8>,
    beyond: Option<String>,
}

impl Scan {
    fn feed(&mut self, chunk: &[u8]) {
        if self.beyond.is_some() {
            return;
        }
        let mut data = std::mem::take(&mut self.tail);
        data.extend_from_slice(chunk);
        for (attr, kind) in [
            (&b" r=\""[..], Ref::Cell),
            (&b"<dimension ref=\""[..], Ref::Range),
        ] {
            let mut at = 0;
            while let Some(i) = find(&data[at..], attr) {
                let start = at + i + attr.len();
                let Some(len) = data[start..].iter().take(64).position(|&b| b == b'"') else {
                    break;
                };
                let value = String::from_utf8_lossy(&data[start..start + len]).into_owned();
                if kind.beyond(&value) {
                    self.beyond = Some(text::line(&value));
                    return;
                }
                at = start + len;
            }
        }
        let keep = data.len().min(96);
        self.tail = data[data.len() - keep..].to_vec();
    }
}

#[derive(Clone, Copy)]
enum Ref {
    Cell,
    Range,
}

impl Ref {
    fn beyond(self, value: &str) -> bool {
        match self {
            // A row's own number allocates nothing; its cells are looked at.
            Ref::Cell => {
                value.starts_with(|c: char| c.is_ascii_alphabetic() || c == '$')
                    && cell_beyond(value)
            }
            Ref::Range => value.split(':').any(cell_beyond),
        }
    }
}

/// Whether an A1 reference lies beyond a form's rows or columns.
fn cell_beyond(a1: &str) -> bool {
    let a1 = a1.trim_start_matches('$');
    let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = a1[letters.len()..].trim_start_matches('$');
    let col = letters.bytes().fold(0u64, |n, b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    let row = digits.parse::<u64>().unwrap_or(0);
    col > u64::from(MAX_COLUMNS) || row > u64::from(MAX_ROWS)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A sheet as text: its name, its bounds, then one line per cell that is not empty.
fn encode(name: &str, range: &Range<Data>) -> String {
    let mut out = format!("sheet\n{}\n", escape(name));
    match (range.start(), range.end()) {
        (Some(s), Some(e)) => out += &format!("{} {} {} {}\n", s.0, s.1, e.0, e.1),
        _ => out += "empty\n",
    }
    for (r, c, d) in range.used_cells() {
        let (r, c) = (
            r as u32 + range.start().map_or(0, |s| s.0),
            c as u32 + range.start().map_or(0, |s| s.1),
        );
        let (kind, value) = match d {
            Data::Int(i) => ('I', i.to_string()),
            Data::Float(f) => ('F', format!("{:x}", f.to_bits())),
            Data::String(s) => ('S', escape(s)),
            Data::Bool(b) => ('B', u8::from(*b).to_string()),
            Data::DateTime(dt) if dt.is_duration() => ('U', format!("{:x}", dt.as_f64().to_bits())),
            Data::DateTime(dt) => ('D', format!("{:x}", dt.as_f64().to_bits())),
            Data::DateTimeIso(s) => ('d', escape(s)),
            Data::DurationIso(s) => ('u', escape(s)),
            Data::Error(e) => ('E', escape(&e.to_string())),
            Data::Empty => continue,
        };
        out += &format!("{r}\t{c}\t{kind}\t{value}\n");
    }
    out
}

/// The sheet back from its text; `None` when the text is not one.
fn decode(text: &str) -> Option<(String, Range<Data>)> {
    let mut lines = text.split('\n');
    (lines.next()? == "sheet").then_some(())?;
    let name = unescape(lines.next()?);
    let bounds = lines.next()?;
    if bounds == "empty" {
        return Some((name, Range::empty()));
    }
    let b: Vec<u32> = bounds
        .split(' ')
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    let [r0, c0, r1, c1] = b[..] else {
        return None;
    };
    if r1 >= MAX_ROWS || c1 >= MAX_COLUMNS || r0 > r1 || c0 > c1 {
        return None;
    }
    let mut range = Range::new((r0, c0), (r1, c1));
    let bits = |v: &str| u64::from_str_radix(v, 16).ok().map(f64::from_bits);
    for line in lines.filter(|l| !l.is_empty()) {
        let mut f = line.splitn(4, '\t');
        let (r, c, kind, value) = (f.next()?, f.next()?, f.next()?, f.next().unwrap_or(""));
        let (r, c): (u32, u32) = (r.parse().ok()?, c.parse().ok()?);
        if !(r0..=r1).contains(&r) || !(c0..=c1).contains(&c) {
            return None;
        }
        let data = match kind {
            "I" => Data::Int(value.parse().ok()?),
            "F" => Data::Float(bits(value)?),
            "S" => Data::String(unescape(value)),
            "B" => Data::Bool(value == "1"),
            "D" => Data::DateTime(ExcelDateTime::new(
                bits(value)?,
                ExcelDateTimeType::DateTime,
                false,
            )),
            "U" => Data::DateTime(ExcelDateTime::new(
                bits(value)?,
                ExcelDateTimeType::TimeDelta,
                false,
            )),
            "d" => Data::DateTimeIso(unescape(value)),
            "u" => Data::DurationIso(unescape(value)),
            "E" => Data::String(unescape(value)),
            _ => return None,
        };
        range.set_value((r, c), data);
    }
    Some((name, range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_comes_back_from_its_text_as_it_was() {
        let mut range = Range::new((2, 1), (4, 3));
        range.set_value((2, 1), Data::String("Tự đánh giá\t\"x\"\nhai \\ ba".into()));
        range.set_value((3, 2), Data::Float(0.1 + 0.2));
        range.set_value((4, 3), Data::Int(-7));
        range.set_value((4, 1), Data::Bool(true));
        range.set_value(
            (3, 1),
            Data::DateTime(ExcelDateTime::new(
                46031.5,
                ExcelDateTimeType::DateTime,
                false,
            )),
        );
        let (name, back) = decode(&encode("Sheet 1", &range)).unwrap();
        assert_eq!(name, "Sheet 1");
        assert_eq!(back.start(), range.start());
        assert_eq!(back.end(), range.end());
        for (r, c, d) in range.cells() {
            let at = (r as u32 + 2, c as u32 + 1);
            assert_eq!(back.get_value(at), Some(d), "{at:?}");
        }
    }

    #[test]
    fn references_beyond_a_form_are_seen_across_chunks() {
        let mut s = Scan::default();
        s.feed(b"<row><c r=\"A1\"/><c r=\"XF");
        assert!(s.beyond.is_none());
        s.feed(b"D1048576\" t=\"s\"/></row>");
        assert_eq!(s.beyond.as_deref(), Some("XFD1048576"));
        let mut s = Scan::default();
        s.feed(b"<dimension ref=\"A1:AZ1048576\"/>");
        assert_eq!(s.beyond.as_deref(), Some("A1:AZ1048576"));
        let mut s = Scan::default();
        s.feed(b"<dimension ref=\"A1:J60\"/><c r=\"J60\"/>");
        assert!(s.beyond.is_none());
    }
}
