//! The screen's speed: a decision made from the keyboard on a 10,000-unit council
//! (state updated, group re-ranked, whole 160×45 frame drawn), one frame alone,
//! and start-up to the first frame on the demo council.
//!
//! Run: `cargo bench --bench screen`

use std::path::Path;

use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use thamdinh::i18n::Lang;
use thamdinh::tui::app::{App, Focus, Row};
use thamdinh::tui::keymap::KeyMap;
use thamdinh::tui::view;

fn main() {
    divan::main();
}

fn big_app(session: &Path) -> App {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = thamdinh::synth::cached_council(&root.join("target"), 10_000).expect("bench council");
    let c = thamdinh::load::load(&dir).expect("loads");
    let mut app = App::new(c, &dir, session, None, Lang::Vi, KeyMap::default_map()).expect("app");
    app.main.unit = 4_321;
    app.main.focus = Focus::Tree;
    app.main.row = Row::Leaf(3); // a range leaf: 0..2 by 0.25
    app
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// `-` opens the box one step down with the reason editor ready, one letter of
/// reason, Ctrl-S saves (durably), then the whole frame is drawn: three
/// keystrokes, an upper bound for one.
#[divan::bench(sample_count = 200)]
fn decide_and_draw_160x45(bencher: Bencher) {
    let tmp = tempfile::tempdir_in(Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .expect("scratch");
    let mut app = big_app(&tmp.path().join("session.db"));
    let mut term = Terminal::new(TestBackend::new(160, 45)).expect("backend");
    let mut up = false;
    bencher.bench_local(|| {
        up = !up;
        app.key(key(if up { '-' } else { '+' }));
        app.key(key('x'));
        app.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        term.draw(|f| view::draw(f, &app)).expect("draw");
    });
}

/// One whole frame of the 10,000-unit council.
#[divan::bench(sample_count = 200)]
fn draw_160x45(bencher: Bencher) {
    let tmp = tempfile::tempdir().expect("scratch");
    let app = big_app(&tmp.path().join("session.db"));
    let mut term = Terminal::new(TestBackend::new(160, 45)).expect("backend");
    bencher.bench_local(|| {
        term.draw(|f| view::draw(f, &app))
            .map(|_| ())
            .expect("draw")
    });
}

/// Load the demo council, build the screen's state, draw the first frame.
#[divan::bench(sample_count = 50)]
fn startup_to_first_frame_demo(bencher: Bencher) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let tmp = tempfile::tempdir().expect("scratch");
    bencher.bench_local(|| {
        let c = thamdinh::load::load(&demo).expect("demo loads");
        let app = App::new(
            c,
            &demo,
            &tmp.path().join("none.db"),
            None,
            Lang::Vi,
            KeyMap::default_map(),
        )
        .expect("app");
        let mut term = Terminal::new(TestBackend::new(120, 40)).expect("backend");
        term.draw(|f| view::draw(f, &app))
            .map(|_| ())
            .expect("draw");
    });
}

/// The longest texts the inputs and the session allow on one leaf: a note of
/// 20,000 characters and 30 decisions with reasons of 20,000 characters each,
/// that leaf selected, one whole frame drawn.
#[divan::bench(sample_count = 50)]
fn draw_a_leaf_with_the_longest_texts(bencher: Bencher) {
    let dir = tempfile::tempdir().expect("scratch");
    let mini = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    for e in walk(&mini) {
        let to = dir.path().join(e.strip_prefix(&mini).expect("inside"));
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&e, &to).expect("copy");
    }
    let max = thamdinh::load::MAX_NOTE;
    let a = dir.path().join("assessments/a.toml");
    let text = std::fs::read_to_string(&a).expect("mini").replacen(
        "points = 1.5\n",
        &format!("points = 1.5\nnote = \"{}\"\n", "chữ ".repeat(max / 4)),
        1,
    );
    std::fs::write(&a, text).expect("write");
    let c = thamdinh::load::load(dir.path()).expect("loads");
    let session = dir.path().join(".thamdinh/session.db");
    let mut s = thamdinh::session::Session::open(&session, true).expect("session");
    for i in 0..30 {
        let points = thamdinh::Points(if i % 2 == 0 { 100 } else { 150 });
        s.decide(
            &c,
            "an",
            "xa-a",
            "1.1.2",
            &thamdinh::appraisal::Change::Points(points),
            &"lý do ".repeat(max / 6),
        )
        .expect("decided");
    }
    drop(s);
    let mut app = App::new(
        c,
        dir.path(),
        &session,
        None,
        Lang::Vi,
        KeyMap::default_map(),
    )
    .expect("app");
    app.main.unit = app.main.council.unit_index("xa-a").expect("xa-a");
    app.main.focus = Focus::Tree;
    let (l, _) = app
        .main
        .council
        .framework_of(app.main.unit)
        .leaf("1.1.2")
        .expect("leaf");
    app.main.row = Row::Leaf(l);
    let mut term = Terminal::new(TestBackend::new(160, 45)).expect("backend");
    bencher.bench_local(|| {
        term.draw(|f| view::draw(f, &app))
            .map(|_| ())
            .expect("draw")
    });
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
