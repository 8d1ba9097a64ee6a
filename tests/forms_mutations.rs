//! Hundreds of damaged and hostile filled forms: the import never panics, never writes a bad assessment, and every message is located and clean.

use crate::common;

use std::path::Path;

use common::xlsx::{self, Cell};

/// A small deterministic generator (the same cases on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const VALUES: [&str; 16] = [
    "",
    "x",
    "X",
    "-1",
    "0,005",
    "1.5",
    "NaN",
    "99999999999999999999",
    "\u{1b}[2J\u{1b}[H=HYPERLINK(\"http://a\")",
    "+cmd|' /C calc'!A0",
    "../../../etc/passwd | ../x.pdf",
    "a | b | c | d | e",
    " | ",
    "1/0",
    "Quyết định số 1/QĐ | evidence/x.pdf | https://a.vn",
    "2026-02-30",
];

fn assert_clean(problems: &[thamdinh::forms::Problem]) {
    for p in problems {
        let shown = p.to_string();
        assert!(
            !p.message.en.is_empty() && !p.message.vi.is_empty(),
            "a problem without a message"
        );
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "a control character reaches the terminal: {shown:?}"
        );
    }
}

/// Imports `form` into `council` (replacing); the folder must still load afterwards.
fn import_once(council: &Path, form: &Path) {
    let report = thamdinh::forms::import(council, &[form.to_path_buf()], true)
        .expect("the council itself loads");
    assert_clean(&report.problems);
    assert_eq!(
        report.imported.len() + report.refused.len(),
        1,
        "every form is either imported or refused"
    );
    if !report.imported.is_empty() {
        thamdinh::load::load(council)
            .unwrap_or_else(|d| panic!("an imported form left a folder that does not load:\n{d}"));
    }
}

#[test]
fn damaged_and_hostile_forms_never_panic_and_every_message_is_clean() {
    let council = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), council.path());
    let _ = std::fs::remove_dir_all(council.path().join(".thamdinh"));
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.xlsx");
    let c = thamdinh::load::load(council.path()).unwrap();
    let u = c.unit_index("xa-vinh-an").unwrap();
    std::fs::write(
        &base,
        thamdinh::forms::write::form(&c, u, Some(&c.assessments[u])).unwrap(),
    )
    .unwrap();
    let bytes = std::fs::read(&base).unwrap();
    let rows = xlsx::rows_of(&base);
    let last_row = rows.values().copied().max().unwrap();
    let mut rng = Lcg(0x7468_616d_6469_6e68);
    let form = dir.path().join("form.xlsx");

    // Damaged files: bytes flipped, cut, or garbage put in.
    for _ in 0..100 {
        let mut b = bytes.clone();
        match rng.below(3) {
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
            }
            1 => b.truncate(rng.below(b.len())),
            _ => {
                let i = rng.below(b.len());
                let junk: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
                b.splice(i..i, junk);
            }
        }
        std::fs::write(&form, &b).unwrap();
        import_once(council.path(), &form);
    }

    // Hostile cells: any value in any cell of the header block or the table.
    for _ in 0..160 {
        std::fs::write(&form, &bytes).unwrap();
        let mut cells = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let col = (b'A' + rng.below(10) as u8) as char;
            let row = 2 + rng.below(last_row as usize - 1) as u32;
            let v = VALUES[rng.below(VALUES.len())].to_string();
            let cell = match rng.below(3) {
                0 => Cell::Text(v),
                1 if v.parse::<f64>().is_ok() => Cell::Num(v),
                1 => Cell::Text(v.repeat(1 + rng.below(200))),
                _ => Cell::Empty,
            };
            cells.push((format!("{col}{row}"), cell));
        }
        xlsx::fill(&form, &cells);
        import_once(council.path(), &form);
    }
}
