//! Exporting a province's result: 150 units (the size of a real council) with
//! a decision on one leaf in seven, as the workbook, the minutes (HTML and
//! Word), the draft decision (Word), the CSV, and all of them together.
//!
//! Run: `cargo bench --bench export`

use divan::Bencher;
use thamdinh::Points;
use thamdinh::appraisal::{Decided, Decision};
use thamdinh::export::{Kind, Snapshot, render};
use thamdinh::model::Rule;
use thamdinh::session::State;

const UNITS: usize = 150;

fn main() {
    divan::main();
}

/// The council and a state with decisions, made once per benchmark.
fn council() -> (tempfile::TempDir, thamdinh::Council, State) {
    let dir = tempfile::tempdir().unwrap();
    thamdinh::synth::write_council(dir.path(), UNITS, 7).unwrap();
    let c = thamdinh::load::load(dir.path()).unwrap();
    let mut state = State::default();
    for u in 0..c.units.len() {
        for (l, leaf) in c.framework_of(u).leaves.iter().enumerate() {
            if (u + l) % 7 == 0 && matches!(leaf.rule, Rule::Levels(_) | Rule::Range) {
                state.appraisal.decisions.insert(
                    (u, l),
                    Decision {
                        value: Decided::Points(Points::ZERO),
                        comment: "Chưa có văn bản chứng minh việc triển khai; đề nghị bổ sung"
                            .into(),
                        member: "an".into(),
                        at: "2026-11-23T02:15:00.000Z".into(),
                        event: (u * 100 + l) as i64,
                        confirmed_by: None,
                    },
                );
            }
        }
    }
    (dir, c, state)
}

#[divan::bench(args = ["xlsx", "html", "csv", "minutes-docx", "decision-docx", "all"], sample_count = 10)]
fn export(bencher: Bencher, format: &str) {
    let (_dir, c, state) = council();
    let kinds: Vec<Kind> = match format {
        "xlsx" => vec![Kind::Xlsx],
        "html" => vec![Kind::Html],
        "minutes-docx" => vec![Kind::Minutes],
        "decision-docx" => vec![Kind::Decision],
        "all" => Kind::ALL.to_vec(),
        _ => vec![Kind::Csv],
    };
    bencher.bench(|| {
        let snap = Snapshot::new(&c, &state, &[]);
        kinds
            .iter()
            .map(|&k| render(k, &snap).unwrap().len())
            .sum::<usize>()
    });
}
