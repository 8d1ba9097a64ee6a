//! Glyphs whose width terminals disagree on (flags, emoji sequences, variation
//! selectors) redrawn in a form every terminal advances by the same columns.
//!
//! The buffer counts a grapheme's columns with `unicode-width`; a terminal that
//! counts otherwise leaves the rest of the line shifted and stale glyphs behind.
//! After a frame is drawn, every such grapheme is replaced in its cells: a flag
//! by its two letters (`🇻🇳` → `VN`), a sequence by its first emoji, a
//! variation selector, skin tone or tag dropped, padded with spaces to the
//! columns the buffer gave it.

use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

/// Whether a character makes its grapheme's width differ between terminals.
fn unsteady(c: char) -> bool {
    matches!(c,
        '\u{1F1E6}'..='\u{1F1FF}' // regional indicators (flags)
        | '\u{200D}' // zero-width joiner (emoji sequences)
        | '\u{FE0E}' | '\u{FE0F}' // text and emoji presentation selectors
        | '\u{1F3FB}'..='\u{1F3FF}' // skin tones
        | '\u{E0020}'..='\u{E007F}' // tags (subdivision flags)
        | '\u{20E3}' // keycap
    )
}

/// The form of an unsteady grapheme every terminal draws alike, as one text per column.
pub fn steady(grapheme: &str, columns: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(columns);
    if grapheme
        .chars()
        .all(|c| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c))
    {
        // A flag: the letters of its country code.
        for c in grapheme.chars() {
            let letter = (b'A' + (c as u32 - 0x1F1E6) as u8) as char;
            out.push(letter.to_string());
        }
    } else {
        // The first character, and what combines with it, without the rest.
        let first: String = grapheme
            .split('\u{200D}')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|&c| !unsteady(c))
            .collect();
        let w = first.width();
        if !first.is_empty() && w <= columns {
            out.push(first);
            out.extend((1..w).map(|_| String::new()));
        }
    }
    out.truncate(columns);
    while out.len() < columns {
        out.push(" ".into());
    }
    out
}

/// Replaces, in a drawn frame, every grapheme whose width terminals disagree on.
pub fn settle(buf: &mut Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let symbol = buf[(x, y)].symbol();
            let columns = symbol.width().max(1);
            if !symbol.is_ascii() && symbol.chars().any(unsteady) {
                let cells = steady(symbol, columns);
                for (i, text) in cells.into_iter().enumerate() {
                    let cx = x + i as u16;
                    if cx >= area.right() {
                        break;
                    }
                    if text.is_empty() {
                        // The column a wide first glyph covers: left as the buffer keeps it.
                        continue;
                    }
                    buf[(cx, y)].set_symbol(&text);
                }
            }
            x = x.saturating_add(columns as u16);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_become_their_letters_and_sequences_their_first_emoji() {
        assert_eq!(steady("🇻🇳", 2), ["V", "N"]);
        assert_eq!(steady("🇻", 1), ["V"]);
        assert_eq!(steady("❤\u{FE0F}", 2), ["❤", " "]);
        assert_eq!(steady("👨\u{200D}👩\u{200D}👧", 2), ["👨", ""]);
        assert_eq!(steady("👍\u{1F3FD}", 2), ["👍", ""]);
        assert_eq!(steady("1\u{FE0F}\u{20E3}", 1), ["1"]);
    }

    #[test]
    fn after_settling_every_cell_is_a_glyph_of_one_agreed_width() {
        use ratatui::layout::Rect;
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 1));
        buf.set_string(
            0,
            0,
            "a🇻🇳b❤\u{FE0F}c👨\u{200D}👩d",
            ratatui::style::Style::new(),
        );
        settle(&mut buf);
        let line: String = (0..20).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert!(line.starts_with("aVNb❤ c👨"), "{line:?}");
        for x in 0..20 {
            assert!(!buf[(x, 0)].symbol().chars().any(unsteady), "{line:?}");
        }
    }
}
