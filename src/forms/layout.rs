//! The self-assessment form's layout, shared by the writer and the reader: titles, labels, columns, fingerprint, evidence lines.

use sha2::{Digest, Sha256};

use crate::diag::Said;
use crate::i18n::fill;
use crate::model::{Evidence, Framework, Leaf, Rule};
use crate::points::Points;

/// The one sheet of the form.
pub const SHEET: &str = "Tự đánh giá";

/// Header block labels (column A; the value is in column B).
pub const LABEL_UNIT: &str = "Mã đơn vị";
pub const LABEL_NAME: &str = "Đơn vị";
pub const LABEL_FRAMEWORK: &str = "Bộ tiêu chí";
pub const LABEL_SUBMITTED: &str = "Ngày gửi";
pub const LABEL_SIGNED: &str = "Người ký";
/// The framework's fingerprint, in a hidden row of the header block.
pub const LABEL_FINGERPRINT: &str = "Dấu bộ tiêu chí";

/// The table's header row, exactly these titles in this order.
pub const TITLES: [&str; 10] = [
    "Mã",
    "Tiêu chí",
    "Điểm tối đa",
    "Cách chấm",
    "Điểm tự chấm",
    "Tử số",
    "Mẫu số",
    "Không áp dụng",
    "Giải trình",
    "Tài liệu kiểm chứng",
];

/// Columns of the table (0-based), named after their titles.
pub mod col {
    pub const CODE: u16 = 0;
    pub const NAME: u16 = 1;
    pub const MAX: u16 = 2;
    pub const RULE: u16 = 3;
    pub const POINTS: u16 = 4;
    pub const NUMERATOR: u16 = 5;
    pub const DENOMINATOR: u16 = 6;
    pub const NA: u16 = 7;
    pub const NOTE: u16 = 8;
    pub const EVIDENCE: u16 = 9;
}

/// What a user writes in `Không áp dụng` to declare a leaf not applicable.
pub const NA_MARK: &str = "x";

/// Separates the parts of one evidence line: `ref | title | file-or-url`.
pub const EVIDENCE_SEP: &str = " | ";

/// A short, stable fingerprint of everything in a framework that decides how
/// a form is filled and scored: ids, codes, kinds, maxima, levels, bands, N/A.
/// A form made for last year's (or an edited) framework does not match.
pub fn fingerprint(f: &Framework) -> String {
    let mut h = Sha256::new();
    h.update(format!("{}\n{}\n", f.id, f.year));
    for l in &f.leaves {
        h.update(format!(
            "{}|{}|{}|{}|{}\n",
            l.code,
            l.rule.kind(),
            l.max.hundredths(),
            l.na,
            rule_key(&l.rule)
        ));
    }
    let digest = h.finalize();
    crate::text::hex(&digest[..8])
}

fn rule_key(r: &Rule) -> String {
    match r {
        Rule::Levels(ls) => ls
            .iter()
            .map(|l| l.points.hundredths().to_string())
            .collect::<Vec<_>>()
            .join(","),
        Rule::Ratio(bs) => bs
            .iter()
            .map(|b| format!("{}:{}", b.min.hundredths(), b.points.hundredths()))
            .collect::<Vec<_>>()
            .join(","),
        Rule::Deduction { min } => min.hundredths().to_string(),
        Rule::Range | Rule::Survey | Rule::Bonus => String::new(),
    }
}

/// Points as a Vietnamese reader writes them: `0,5`, `1,25`, `-2`.
pub fn vi_points(p: Points) -> String {
    p.short().replace('.', ",")
}

/// The rule of a leaf spelled out for the unit that fills the form (`Cách chấm`).
pub fn rule_text(l: &Leaf) -> String {
    let mut s = match &l.rule {
        Rule::Levels(levels) => {
            let parts: Vec<String> = levels
                .iter()
                .map(|lv| format!("{} điểm: {}", vi_points(lv.points), lv.label))
                .collect();
            format!("Chọn một mức. {}", parts.join("; "))
        }
        Rule::Range => format!("Từ 0 đến {} điểm", vi_points(l.max)),
        Rule::Ratio(bands) => {
            let parts: Vec<String> = bands
                .iter()
                .map(|b| format!("từ {}%: {} điểm", vi_points(b.min), vi_points(b.points)))
                .collect();
            format!(
                "Điền tử số và mẫu số; điểm theo tỷ lệ (tử số / mẫu số × 100): {}; thấp hơn: 0 điểm",
                parts.join("; ")
            )
        }
        Rule::Deduction { min } => format!(
            "Điểm trừ: từ {} đến 0 (ghi số âm; 0 nếu không bị trừ)",
            vi_points(*min)
        ),
        Rule::Survey => "Điểm lấy từ kết quả điều tra xã hội học; đơn vị không chấm".into(),
        Rule::Bonus => format!(
            "Điểm thưởng: từ 0 đến {} điểm, cộng vào tổng điểm (không tính vào điểm tối đa)",
            vi_points(l.max)
        ),
    };
    if l.na && l.rule != Rule::Survey {
        s.push_str(". Ghi x ở cột Không áp dụng nếu nhiệm vụ không phát sinh trong năm");
    }
    s
}

/// One evidence entry as a line of `Tài liệu kiểm chứng`:
/// `ref`, `ref | target`, `ref | title | target` or `ref | title | file | url`,
/// where a target is a URL (it has `://`) or a file path inside the council folder.
pub fn evidence_line(e: &Evidence) -> String {
    let title = e.title().unwrap_or("");
    let reference = e.reference();
    match (e.file(), e.url()) {
        (Some(f), Some(u)) => [reference, title, f, u].join(EVIDENCE_SEP),
        (Some(t), None) | (None, Some(t)) if title.is_empty() => [reference, t].join(EVIDENCE_SEP),
        (Some(t), None) | (None, Some(t)) => [reference, title, t].join(EVIDENCE_SEP),
        (None, None) if title.is_empty() => reference.to_string(),
        // A title that could pass for a file keeps an empty third part.
        (None, None) if looks_like_target(title) => {
            format!(
                "{}{EVIDENCE_SEP}{title}{}",
                reference,
                EVIDENCE_SEP.trim_end()
            )
        }
        (None, None) => [reference, title].join(EVIDENCE_SEP),
    }
}

/// Whether the part after a reference names a document rather than describes it:
/// a URL, a path under evidence/, or a name ending in a file extension (`.pdf`).
pub fn looks_like_target(s: &str) -> bool {
    let s = s.trim();
    let extension = s.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
            && ext.chars().any(|c| c.is_ascii_alphabetic())
    });
    s.contains("://") || s.starts_with("evidence/") || s.starts_with("evidence\\") || extension
}

/// The parts of an evidence line: reference, title, file, URL.
#[derive(Debug, PartialEq, Eq)]
pub struct EvidenceParts {
    pub reference: String,
    pub title: Option<String>,
    pub file: Option<String>,
    pub url: Option<String>,
}

/// Reads one evidence line back (the inverse of [`evidence_line`]).
///
/// Two parts: the second is a URL or a file when it looks like one (see
/// [`looks_like_target`]), else a title. Three: a title, then a URL or a file.
/// Four: a title, a file and a URL. More is an error.
pub fn parse_evidence_line(line: &str) -> Result<EvidenceParts, Said> {
    let parts: Vec<&str> = line.split('|').map(str::trim).collect();
    let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let is_url = |s: &str| s.contains("://");
    let target = |s: &str| -> (Option<String>, Option<String>) {
        if is_url(s) {
            (None, nonempty(s))
        } else {
            (nonempty(s), None)
        }
    };
    let (title, file, url) = match parts.as_slice() {
        [_] => (None, None, None),
        [_, t] if looks_like_target(t) => {
            let (f, u) = target(t);
            (None, f, u)
        }
        [_, title] => (nonempty(title), None, None),
        [_, title, t] => {
            let (f, u) = target(t);
            (nonempty(title), f, u)
        }
        [_, title, f, u] => (nonempty(title), nonempty(f), nonempty(u)),
        _ => {
            return Err(Said::of(|w| {
                fill(w.fm_parts_separated_by_write, &[&parts.len()])
            }));
        }
    };
    Ok(EvidenceParts {
        reference: parts[0].to_string(),
        title,
        file,
        url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(title: Option<&str>, file: Option<&str>, url: Option<&str>) -> Evidence {
        Evidence::new(
            "Quyết định số 125/QĐ-UBND ngày 20/12/2025",
            title,
            file,
            url,
            false,
        )
    }

    #[test]
    fn every_evidence_shape_reads_back_as_written() {
        for title in [None, Some("Kế hoạch CCHC năm 2025")] {
            for file in [None, Some("evidence/xa/qd-125.pdf")] {
                for url in [None, Some("https://sonmau.gov.vn/a")] {
                    let e = ev(title, file, url);
                    let back = parse_evidence_line(&evidence_line(&e)).unwrap();
                    assert_eq!(back.reference, e.reference());
                    assert_eq!(back.title.as_deref(), e.title(), "{}", evidence_line(&e));
                    assert_eq!(back.file.as_deref(), e.file(), "{}", evidence_line(&e));
                    assert_eq!(back.url.as_deref(), e.url(), "{}", evidence_line(&e));
                }
            }
        }
        assert!(parse_evidence_line("a | b | c | d | e").is_err());
        // A title that looks like a file name keeps its place.
        let e = ev(Some("bao-cao.pdf"), None, None);
        let back = parse_evidence_line(&evidence_line(&e)).unwrap();
        assert_eq!(back.title.as_deref(), Some("bao-cao.pdf"));
        assert_eq!(back.file, None);
        // What a person types: a title, a file, a URL.
        let p = parse_evidence_line("QĐ 12/QĐ-UBND | Kế hoạch năm 2025").unwrap();
        assert_eq!(p.title.as_deref(), Some("Kế hoạch năm 2025"));
        let p = parse_evidence_line("QĐ 12/QĐ-UBND | evidence/xa/qd 12.pdf").unwrap();
        assert_eq!(p.file.as_deref(), Some("evidence/xa/qd 12.pdf"));
        let p = parse_evidence_line("QĐ 12/QĐ-UBND | https://a.vn/x").unwrap();
        assert_eq!(p.url.as_deref(), Some("https://a.vn/x"));
    }
}
