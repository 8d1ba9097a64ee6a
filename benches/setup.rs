//! A merged province's year set up (2025: 120 communes and 20 departments): the
//! roster imported from a list, the council loaded, the 140 forms out and back in,
//! the commune framework out to a spreadsheet and back.
//!
//! Run: `cargo bench --bench setup`

use std::path::{Path, PathBuf};

use divan::Bencher;

const COMMUNES: usize = 120;
const DEPARTMENTS: usize = 20;

fn main() {
    divan::main();
}

/// The demo's council.toml and frameworks with a roster list of 140 units.
fn province() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let council = dir.path().join("council");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    std::fs::create_dir_all(council.join("frameworks")).unwrap();
    // The demo's members, without their conflicts: they name demo units
    // the new province's list leaves out, which the import would refuse.
    let members: String = std::fs::read_to_string(demo.join("council.toml"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("conflicts"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(council.join("council.toml"), members).unwrap();
    for f in ["so-2025.toml", "xa-2025.toml"] {
        std::fs::copy(
            demo.join("frameworks").join(f),
            council.join("frameworks").join(f),
        )
        .unwrap();
    }
    let mut list = String::from("Mã đơn vị,Tên đơn vị,Nhóm,Sáp nhập từ\n");
    for i in 0..DEPARTMENTS {
        list += &format!("so-{i:02},Sở thứ {i},so,\n");
    }
    for i in 0..COMMUNES {
        list += &format!("xa-{i:03},Xã thứ {i},xa,\"xa-cu-{i}a, xa-cu-{i}b\"\n");
    }
    let file = dir.path().join("danh-sach.csv");
    std::fs::write(&file, list).unwrap();
    (dir, file)
}

/// `roster import` of 140 units into council.toml.
#[divan::bench(sample_count = 10)]
fn roster_import_140(bencher: Bencher) {
    let (dir, list) = province();
    let council = dir.path().join("council");
    let original = std::fs::read(council.join("council.toml")).unwrap();
    bencher.bench_local(|| {
        std::fs::write(council.join("council.toml"), &original).unwrap();
        let done = thamdinh::setup::roster::import(&council, &list).unwrap();
        assert_eq!(done.units, COMMUNES + DEPARTMENTS);
    });
}

/// A generated 140-unit council with its assessments, and its forms, made once.
fn generated() -> (tempfile::TempDir, PathBuf, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let council = dir.path().join("council");
    thamdinh::synth::write_council(&council, COMMUNES + DEPARTMENTS, 11).unwrap();
    let files = thamdinh::synth::write_forms(&council, &dir.path().join("forms")).unwrap();
    (dir, council, files)
}

/// The whole council loaded and checked (140 units with their assessments).
#[divan::bench(sample_count = 10)]
fn load_140(bencher: Bencher) {
    let (_dir, council, _) = generated();
    bencher.bench(|| thamdinh::load::load(&council).unwrap().units.len());
}

/// Every unit's form written (`form --all`), pre-filled.
#[divan::bench(sample_count = 10)]
fn forms_out_140(bencher: Bencher) {
    let (_dir, council, _) = generated();
    let c = thamdinh::load::load(&council).unwrap();
    bencher.bench(|| {
        (0..c.units.len())
            .map(|u| {
                thamdinh::forms::write::form(&c, u, Some(&c.assessments[u]))
                    .unwrap()
                    .len()
            })
            .sum::<usize>()
    });
}

/// The 140 filled forms imported (`import`), the folder checked after.
#[divan::bench(sample_count = 10)]
fn forms_in_140(bencher: Bencher) {
    let (_dir, council, files) = generated();
    bencher
        .with_inputs(|| {
            let to = tempfile::tempdir().unwrap();
            std::fs::copy(council.join("council.toml"), to.path().join("council.toml")).unwrap();
            for sub in ["frameworks", "surveys"] {
                std::fs::create_dir_all(to.path().join(sub)).unwrap();
                for e in std::fs::read_dir(council.join(sub)).unwrap().flatten() {
                    std::fs::copy(e.path(), to.path().join(sub).join(e.file_name())).unwrap();
                }
            }
            std::fs::create_dir_all(to.path().join("assessments")).unwrap();
            to
        })
        .bench_values(|target| {
            let report = thamdinh::forms::import(target.path(), &files, false).unwrap();
            assert_eq!(report.imported.len(), COMMUNES + DEPARTMENTS);
            thamdinh::load::load(target.path()).unwrap();
            target
        });
}

/// The commune framework out to a spreadsheet and read back.
#[divan::bench(sample_count = 20)]
fn framework_out_and_in(bencher: Bencher) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let c = thamdinh::load::load(&demo).unwrap();
    let fw = c
        .frameworks
        .iter()
        .find(|f| f.id == "xa-2025")
        .unwrap()
        .clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("xa.xlsx");
    bencher.bench_local(|| {
        std::fs::write(&file, thamdinh::setup::framework::export(&fw).unwrap()).unwrap();
        thamdinh::setup::framework::import(&file, &fw.id, None, fw.year)
            .unwrap()
            .framework
            .leaves
            .len()
    });
}
