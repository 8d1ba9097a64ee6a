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
