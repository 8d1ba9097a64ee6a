//! Problems found in a council folder, each located as `path:line:column`.

use std::fmt;
use std::ops::Range;

use crate::i18n::{Lang, Words};

/// A message in both languages, each made from its word table; a run shows the
/// one of its language (`Display` is English, as the tests read it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    pub en: String,
    pub vi: String,
}

impl Said {
    /// The message `f` makes from each language's words.
    pub fn of(f: impl Fn(&'static Words) -> String) -> Said {
        Said {
            en: f(Lang::En.words()),
            vi: f(Lang::Vi.words()),
        }
    }

    /// A text from outside the tables (the system's own error), the same in both.
    pub fn same(text: String) -> Said {
        Said {
            en: text.clone(),
            vi: text,
        }
    }

    /// A fixed text of each table.
    pub fn word(f: impl Fn(&'static Words) -> &'static str) -> Said {
        Said::of(|w| f(w).to_string())
    }

    /// A message around another, each language around its own.
    pub fn around(&self, f: impl Fn(&'static Words, &str) -> String) -> Said {
        Said {
            en: f(Lang::En.words(), &self.en),
            vi: f(Lang::Vi.words(), &self.vi),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Vi => &self.vi,
        }
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// One problem with the input, located in a file of the council folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the council folder, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: Said,
}

impl Diagnostic {
    /// `path:line:column: message` in a language, cleaned like every loaded
    /// text: a message may quote the file.
    pub fn render(&self, lang: Lang) -> String {
        let (path, message) = (
            crate::text::shown(&self.path, crate::text::SHOWN),
            crate::text::shown(self.message.get(lang), 3 * crate::text::SHOWN),
        );
        format!("{path}:{}:{}: {message}", self.line, self.column)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// How many problems of one file are listed; the rest are counted.
pub const PER_FILE: usize = 100;

/// Every problem found while loading one folder; loading never stops at the first.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostics {
    /// One line per problem, in a language; past [`PER_FILE`] problems in one
    /// file, one line says how many more there are.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        let mut shown = 0;
        let mut hidden = 0;
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 && self.0[i - 1].path != d.path {
                shown = 0;
            }
            if shown < PER_FILE {
                out += &d.render(lang);
                out.push('\n');
                shown += 1;
            } else {
                hidden += 1;
            }
            let last_of_file = self.0.get(i + 1).is_none_or(|n| n.path != d.path);
            if last_of_file && hidden > 0 {
                let path = crate::text::line(&d.path);
                out += &crate::i18n::fill(lang.words().ld_more_in_file, &[&path, &hidden]);
                out.push('\n');
                hidden = 0;
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorted by path, then position, so that output is stable.
    pub fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        self.0.dedup();
    }
}

/// A source file being checked: turns byte offsets into line and column
/// (through the line starts, indexed at the first problem, so that many
/// problems in one file cost no more than one each and a file without any
/// is never indexed).
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub out: &'a mut Vec<Diagnostic>,
    /// Byte offset of the start of every line, once a position is asked for.
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Source<'a> {
    pub fn new(path: &'a str, text: &'a str, out: &'a mut Vec<Diagnostic>) -> Source<'a> {
        Source {
            path,
            text,
            out,
            starts: std::cell::OnceCell::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// Reports a problem at the given byte span (its start is what counts).
    pub fn at(&mut self, span: Range<usize>, message: Said) {
        let (line, column) = self.line_col(span.start);
        self.out.push(Diagnostic {
            path: self.path.to_owned(),
            line,
            column,
            message,
        });
    }

    /// Reports a problem whose words `f` makes from each language's table.
    pub fn say(&mut self, span: Range<usize>, f: impl Fn(&'static Words) -> String) {
        self.at(span, Said::of(f));
    }

    /// The literal text of a span, as written in the file.
    pub fn slice(&self, span: Range<usize>) -> &str {
        self.text.get(span).unwrap_or("")
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// 1-based line and column of a byte offset in raw bytes that may not be UTF-8.
pub fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_that_quotes_the_file_is_cleaned() {
        let d = Diagnostic {
            path: "a.toml".into(),
            line: 1,
            column: 1,
            message: Said {
                en: "unknown key `x\u{1b}[2Jy`".into(),
                vi: "khoá lạ `x\u{1b}[2Jy`".into(),
            },
        };
        assert_eq!(d.to_string(), "a.toml:1:1: unknown key `xy`");
        assert_eq!(d.render(Lang::Vi), "a.toml:1:1: khoá lạ `xy`");
    }

    #[test]
    fn a_source_locates_like_line_col() {
        let t = "a = 1\nđiểm = 2\n\nx = ễ\n";
        let mut out = Vec::new();
        let src = Source::new("a.toml", t, &mut out);
        for offset in 0..=t.len() + 3 {
            assert_eq!(src.line_col(offset), line_col(t, offset), "offset {offset}");
        }
    }

    #[test]
    fn counts_lines_and_characters() {
        let t = "a = 1\nđiểm = 2\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        let at = t.find("= 2").unwrap();
        assert_eq!(line_col(t, at), (2, 6));
    }
}
