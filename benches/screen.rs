//! The screen's speed: a decision made from the keyboard on a 10,000-unit council
//! (state updated, group re-ranked, whole 160×45 frame drawn), one frame alone,
//! and start-up to the first frame on the demo council; first, as a user
//! meets it, the time from a key written to a pseudo-terminal to the first
//! byte of the frame it causes (the release binary on the same council, keys
//! every 37 ms so ticks fall between and under them), and the CPU an idle
//! screen uses.
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
    if std::env::args().any(|a| a == "--bench") {
        key_to_frame();
    }
    divan::main();
}

/// Key to frame through a pseudo-terminal on the 10,000-unit council: 400
/// moves down and up the ranking, the median, p90 and p99; then the CPU the
/// idle screen used over five seconds.
fn key_to_frame() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::{Read, Write};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = thamdinh::synth::cached_council(&root.join("target"), 10_000).expect("bench council");
    let scratch = tempfile::tempdir_in(root.join("target")).expect("scratch");
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 45,
            cols: 160,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    // Another build can be timed the same way: THAMDINH_BENCH_EXE=<its binary>.
    let exe = std::env::var("THAMDINH_BENCH_EXE")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_thamdinh").to_string());
    let mut cmd = CommandBuilder::new(exe);
    cmd.args(["open", dir.to_str().expect("utf-8 path"), "--session"]);
    cmd.arg(scratch.path().join("session.db"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", scratch.path());
    let mut child = pair.slave.spawn_command(cmd).expect("thamdinh starts");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let (tx, rx) = mpsc::channel::<(Instant, usize)>();
    std::thread::spawn(move || {
        let _keep = pair.master;
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send((Instant::now(), n)).is_err() {
                break;
            }
        }
    });
    // The first frame, and what follows it within a second.
    let started = Instant::now();
    rx.recv_timeout(Duration::from_secs(60))
        .expect("a first frame");
    println!(
        "screen start on 10,000 units (process, to the first frame's first byte)  {:7.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let settle = Instant::now() + Duration::from_secs(1);
    while let Some(left) = settle.checked_duration_since(Instant::now()) {
        if rx.recv_timeout(left).is_err() {
            break;
        }
    }
    let mut took = Vec::new();
    for i in 0..400 {
        let key: &[u8] = if (i / 20) % 2 == 0 { b"j" } else { b"k" };
        let sent = Instant::now();
        writer.write_all(key).expect("key");
        writer.flush().expect("key");
        let (at, _) = rx.recv_timeout(Duration::from_secs(5)).expect("a frame");
        took.push(at.saturating_duration_since(sent));
        // The rest of the frame, then a pause before the next key.
        let until = sent + Duration::from_millis(37);
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            if rx.recv_timeout(left).is_err() {
                break;
            }
        }
    }
    took.sort();
    let at = |q: f64| took[((took.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
    println!(
        "key to frame, 10,000 units, 160x45 (pseudo-terminal)  median {:6.2} ms   p90 {:6.2} ms   p99 {:6.2} ms",
        at(0.5),
        at(0.9),
        at(0.99)
    );
    if let Some(pid) = child.process_id() {
        let cpu = || -> f64 {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
            let f: Vec<f64> = after
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            // utime and stime, in clock ticks (100 a second on Linux).
            f.get(10).copied().unwrap_or(0.0) + f.get(11).copied().unwrap_or(0.0)
        };
        let before = cpu();
        std::thread::sleep(Duration::from_secs(5));
        let written: usize = rx.try_iter().map(|(_, n)| n).sum();
        println!(
            "an idle screen on 10,000 units uses {:.1} % of a core (and wrote {written} bytes in 5 s)",
            (cpu() - before) / 5.0
        );
    }
    writer.write_all(b"q").expect("quit");
    writer.flush().expect("quit");
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
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
