//! Cleaning every loaded text before it reaches a screen or a file: NFC, no control characters, no escape sequences.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Whether a text may span several lines (a note, a guide) or is one line (a name).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lines {
    One,
    Many,
}

/// Normalises to NFC and removes C0 controls (but newlines in multi-line
/// texts), DEL, C1 controls, bidirectional overrides and whole escape
/// sequences (CSI, OSC, DCS and two-character ones). A tab becomes a space; in
/// a one-line text a line break becomes a space.
pub fn clean(s: &str, lines: Lines) -> String {
    if is_plain(s, lines) {
        return s.to_owned();
    }
    clean_slow(s, lines)
}

/// Like [`clean`], but reuses the string when it is already clean.
pub fn clean_owned(s: String, lines: Lines) -> String {
    if is_plain(&s, lines) {
        return s;
    }
    clean_slow(&s, lines)
}

fn clean_slow(s: &str, lines: Lines) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{9d}' | '\u{9e}' | '\u{9f}' | '\u{98}' => skip_string(&mut chars),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    push_break(&mut out, lines);
                }
            }
            '\n' => push_break(&mut out, lines),
            '\t' => out.push(' '),
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    match is_nfc_quick(out.chars()) {
        IsNormalized::Yes => out,
        _ => out.nfc().collect(),
    }
}

/// One-line text, cleaned.
pub fn line(s: &str) -> String {
    clean(s, Lines::One)
}

/// The longest a name or a value echoed in a message is shown, in characters.
pub const SHOWN: usize = 300;

/// [`line`], cut with "…" past `max` characters: what a message echoes of a
/// file's name or a cell's value (a cell may hold megabytes).
pub fn shown(s: &str, max: usize) -> String {
    // Only the start is cleaned: the rest is not shown.
    let head: String = s.chars().take(max + 1).collect();
    let mut out = line(&head);
    if out.chars().count() > max {
        out = out.chars().take(max).collect();
        out.push('…');
    }
    out
}

/// Multi-line text, cleaned.
pub fn para(s: &str) -> String {
    clean(s, Lines::Many)
}

/// At most `max` characters of a text, with `…` when something was cut.
pub fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// A search key: lower case, Vietnamese diacritics removed (`Vĩnh Quỳnh` → `vinh quynh`, `đ` → `d`).
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether every word of the query is in the text, with or without diacritics:
/// a query with marks must match them, one without matches any.
pub fn matches(text: &str, query: &str) -> bool {
    let text_lower = text.to_lowercase();
    let folded = fold(text);
    query.split_whitespace().all(|w| {
        let w_lower = w.to_lowercase();
        if fold(w) == w_lower {
            folded.contains(&w_lower)
        } else {
            text_lower.contains(&w_lower)
        }
    })
}

fn push_break(out: &mut String, lines: Lines) {
    match lines {
        Lines::Many => out.push('\n'),
        Lines::One => out.push(' '),
    }
}

fn is_removed(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn is_plain(s: &str, lines: Lines) -> bool {
    let many = lines == Lines::Many;
    // Letters below U+0300 and Vietnamese precomposed letters (U+1E00..U+1EFF)
    // are NFC whatever follows them, so text made only of those needs no
    // table look-up: read from the UTF-8 bytes, most texts end here.
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        let next = b.get(i + 1).copied().unwrap_or(0);
        if lead < 0x80 {
            if !((0x20..0x7f).contains(&lead) || (lead == b'\n' && many)) {
                return false;
            }
            i += 1;
        } else if lead < 0xcc {
            // U+0080..U+02FF, of which U+0080..U+009F are controls.
            if lead == 0xc2 && next < 0xa0 {
                return false;
            }
            i += 2;
        } else if lead == 0xe1 && (0xb8..=0xbb).contains(&next) {
            i += 3;
        } else {
            return is_plain_slow(s, many);
        }
    }
    true
}

/// [`is_plain`] for text with other letters: char by char, then NFC's quick check.
fn is_plain_slow(s: &str, many: bool) -> bool {
    let mut simple = true;
    for c in s.chars() {
        if is_removed(c) && !(c == '\n' && many) {
            return false;
        }
        if !((c as u32) < 0x300 || ('\u{1e00}'..='\u{1eff}').contains(&c)) {
            simple = false;
        }
    }
    simple || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // ESC with intermediates (e.g. `ESC ( B`): skip them and the final byte.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while let Some(&n) = chars.peek() {
                chars.next();
                if !('\u{20}'..='\u{2f}').contains(&n) {
                    break;
                }
            }
        }
        _ => {}
    }
}

/// Parameters and intermediates, then one final byte in `@`..`~`.
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
    }
}

/// Up to BEL, ST (`ESC \`) or the C1 ST.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Bytes as lower-case hexadecimal digits (hashes as `sha256sum` prints them).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Quotes a CSV field where RFC 4180 needs it.
pub fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_check_agrees_with_the_char_by_char_one() {
        let chars = (0..0x3000u32)
            .chain(0xfe00..0xff00)
            .chain(0x1_f300..0x1_f400)
            .filter_map(char::from_u32);
        for c in chars {
            for s in [
                c.to_string(),
                format!("Xã {c}"),
                format!("{c}\u{301}"),
                format!("ệ\n{c}ở"),
            ] {
                for lines in [Lines::One, Lines::Many] {
                    assert_eq!(
                        is_plain(&s, lines),
                        is_plain_slow(&s, lines == Lines::Many),
                        "{s:?} {lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn removes_escape_sequences_whole() {
        assert_eq!(line("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(line("x\u{1b}]0;title\u{7}y"), "xy");
        assert_eq!(
            line("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\y"),
            "xlinky"
        );
        assert_eq!(line("a\u{9b}2Jb"), "ab");
        assert_eq!(line("a\u{1b}(Bb"), "ab");
    }

    #[test]
    fn removes_controls_and_bidi() {
        assert_eq!(line("a\u{7}b\u{7f}c\u{85}d\u{202e}e\u{2066}f"), "abcdef");
        assert_eq!(para("một\r\nhai\tba"), "một\nhai ba");
        assert_eq!(line("một\nhai"), "một hai");
    }

    #[test]
    fn searches_with_and_without_diacritics() {
        assert_eq!(fold("Xã Vĩnh Quỳnh"), "xa vinh quynh");
        assert_eq!(fold("Phường Đông Hòa"), "phuong dong hoa");
        assert!(matches("Xã Vĩnh Quỳnh", "vinh quynh"));
        assert!(matches("Xã Vĩnh Quỳnh", "Quỳnh"));
        assert!(matches("Xã Vĩnh Quỳnh", "VĨNH"));
        assert!(
            !matches("Xã Vĩnh Quỳnh", "vịnh"),
            "a query with marks matches those marks"
        );
        assert!(matches("Phường Đông Hòa", "dong hoa"));
        assert!(!matches("Xã Vĩnh An", "vinh quynh"));
    }

    #[test]
    fn normalises_to_nfc() {
        // "Vĩnh" written with combining marks.
        let decomposed = "Vi\u{303}nh Quy\u{300}nh";
        assert_eq!(line(decomposed), "Vĩnh Quỳnh");
        assert_eq!(line("Vĩnh Quỳnh"), "Vĩnh Quỳnh");
    }
}
