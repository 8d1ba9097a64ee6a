//! One real run in a pseudo-terminal: open the demo, lower a leaf's points with a
//! comment, quit; the decision is in `rank` and `log`, and the terminal is restored.

mod common;

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Screen {
    parser: vt100::Parser,
    raw: Vec<u8>,
    rx: mpsc::Receiver<Vec<u8>>,
}

impl Screen {
    fn pump(&mut self) {
        while let Ok(bytes) = self.rx.try_recv() {
            self.parser.process(&bytes);
            self.raw.extend(bytes);
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    fn wait_for(&mut self, what: &str) {
        let start = Instant::now();
        loop {
            self.pump();
            if self.text().contains(what) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited for {what:?}; the screen shows:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

#[test]
fn a_decision_made_in_a_real_terminal_is_kept_and_the_terminal_restored() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let config = tempfile::tempdir().unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_thamdinh"));
    cmd.args(["open", dir.path().to_str().unwrap()]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", config.path());
    cmd.env("NO_COLOR", "1");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Screen {
        parser: vt100::Parser::new(
            std::num::NonZero::new(40).unwrap(),
            std::num::NonZero::new(120).unwrap(),
            0,
        ),
        raw: Vec::new(),
        rx,
    };
    let mut send = |bytes: &[u8]| {
        writer.write_all(bytes).unwrap();
        writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(120));
    };
    screen.wait_for("Xếp hạng · Sở, ban, ngành");
    assert!(
        screen.parser.screen().alternate_screen(),
        "the screen uses the alternate screen"
    );
    send(b"\t"); // to the criteria
    send(b"j");
    send(b"j"); // 1.2.1 of the first unit
    send(b"-"); // 1 → 0.5
    screen.wait_for("quyết định 1.2.1");
    send(b"\t");
    send("Báo cáo quý III gửi chậm".as_bytes());
    send(b"\x13"); // Ctrl-S
    screen.wait_for("đã ghi");
    screen.wait_for("Báo cáo quý III gửi chậm");
    send(b"q");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the program did not quit"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    std::thread::sleep(Duration::from_millis(200));
    screen.pump();
    assert!(status.success(), "exit status {status:?}");
    assert!(
        !screen.parser.screen().alternate_screen(),
        "back on the main screen"
    );
    assert!(
        !screen.parser.screen().hide_cursor(),
        "the cursor is visible again"
    );
    let raw = String::from_utf8_lossy(&screen.raw);
    let entered = raw
        .rfind("\x1b[?1049h")
        .expect("entered the alternate screen");
    assert!(
        raw[entered..].contains("\x1b[?1049l"),
        "left the alternate screen"
    );

    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let d = dir.path().to_str().unwrap();
    let log = run(&["log", d, "--format", "csv"]);
    assert!(
        log.contains(",an,decide,so-y-te,1.2.1,,0.50,Báo cáo quý III gửi chậm,"),
        "{log}"
    );
    let rank = run(&["rank", d, "--format", "csv"]);
    assert!(
        rank.contains(",so-y-te,Sở Y tế,96.15,95.65,99.00,96.62,"),
        "{rank}"
    );
}
