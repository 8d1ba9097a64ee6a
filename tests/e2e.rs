//! One real run in a pseudo-terminal: open the demo, lower a leaf's points with a
//! comment, quit; the decision is in `rank` and `log`, and the terminal is restored.

use crate::common;

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
        self.wait_for_times(what, 1);
    }

    /// Waits until `what` shows at least `times` times.
    fn wait_for_times(&mut self, what: &str, times: usize) {
        let start = Instant::now();
        loop {
            self.pump();
            if self.text().matches(what).count() >= times {
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

type Child = Box<dyn portable_pty::Child + Send + Sync>;

/// Starts `thamdinh open <council>` in a 120×40 pseudo-terminal.
fn start(
    council: &std::path::Path,
    config: &std::path::Path,
) -> (Screen, Box<dyn Write + Send>, Child) {
    start_with(council, config, &[])
}

/// Starts `thamdinh open <council> ARGS…` in a 120×40 pseudo-terminal.
fn start_with(
    council: &std::path::Path,
    config: &std::path::Path,
    args: &[&str],
) -> (Screen, Box<dyn Write + Send>, Child) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_thamdinh"));
    cmd.args(["open", council.to_str().unwrap()]);
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", config);
    cmd.env("NO_COLOR", "1");
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _keep = pair.master;
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let parser = vt100::Parser::new(
        std::num::NonZero::new(40).unwrap(),
        std::num::NonZero::new(120).unwrap(),
        0,
    );
    (
        Screen {
            parser,
            raw: Vec::new(),
            rx,
        },
        writer,
        child,
    )
}

fn sender(mut writer: Box<dyn Write + Send>) -> impl FnMut(&[u8]) {
    move |bytes: &[u8]| {
        writer.write_all(bytes).unwrap();
        writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(120));
    }
}

fn wait_exit(child: &mut Child) -> portable_pty::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the program did not quit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_decision_made_in_a_real_terminal_is_kept_and_the_terminal_restored() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let config = tempfile::tempdir().unwrap();
    let (mut screen, writer, mut child) = start(dir.path(), config.path());
    let mut send = sender(writer);
    screen.wait_for("Xếp hạng · Sở, ban, ngành");
    assert!(
        screen.parser.screen().alternate_screen(),
        "the screen uses the alternate screen"
    );
    send(b"\t"); // to the criteria
    send(b"j");
    send(b"j"); // 1.2.1 of the first unit
    send(b"-"); // 1 → 0.5, the reason editor ready
    screen.wait_for("quyết định tiêu chí 1.2.1");
    // A reason as a user types it, figures and all: they stay words.
    send("Báo cáo quý III gửi chậm 12 ngày, trừ 0,5 điểm".as_bytes());
    send(b"\x13"); // Ctrl-S
    screen.wait_for("đã ghi");
    screen.wait_for("Báo cáo quý III gửi chậm 12 ngày");
    send(b"q");
    let status = wait_exit(&mut child);
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
        log.contains(
            ",an,decide,so-y-te,1.2.1,,0.50,\"Báo cáo quý III gửi chậm 12 ngày, trừ 0,5 điểm\","
        ),
        "{log}"
    );
    let rank = run(&["rank", d, "--format", "csv"]);
    assert!(
        rank.contains(",so-y-te,Sở Y tế,96.15,95.65,99.00,96.62,"),
        "{rank}"
    );
}

#[test]
fn the_screen_asks_the_keys_password_once_when_it_opens_and_signs_off_with_it() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let config = tempfile::tempdir().unwrap();
    // The chair's key, password-protected, where `keygen` puts it.
    let key = config.path().join("thamdinh/keys/an.key");
    let pk = thamdinh::keys::generate("an", &key, Some(common::KEY_PASSWORD.into())).unwrap();
    let council = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&council).unwrap().replacen(
        "id = \"an\"\n",
        &format!("id = \"an\"\npubkey = \"{pk}\"\n"),
        1,
    );
    std::fs::write(&council, text).unwrap();
    common::keep_keys(dir.path(), config.path());
    let (mut screen, writer, mut child) = start(dir.path(), config.path());
    let mut send = sender(writer);
    // The key's password, asked once as the screen opens; a wrong one is said
    // and asked again.
    screen.wait_for("Mật khẩu của");
    send("sai".as_bytes());
    send(b"\r");
    screen.wait_for("Sai mật khẩu");
    send("mật khẩu".as_bytes());
    send(b"\r");
    screen.wait_for("Xếp hạng");
    // Not approved yet: said.
    send(b"S");
    screen.wait_for("kết quả chưa được thông qua");
    // The council votes from another terminal; the screen hears of it.
    common::approve(dir.path());
    std::thread::sleep(std::time::Duration::from_millis(1500));
    send(b"S");
    screen.wait_for("Ký duyệt kết quả?");
    screen.wait_for("chưa nộp: Xã Nà Khoang");
    screen.wait_for("n không");
    // Signed with the key unlocked at the start: no password asked again.
    send(b"y");
    screen.wait_for("ĐÃ KÝ DUYỆT (Nguyễn Văn An)");
    send(b"q");
    assert!(wait_exit(&mut child).success());
    let signed: Vec<_> = std::fs::read_dir(dir.path().join("signed"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(signed.len(), 1);
    let v = thamdinh::signoff::verify(&signed[0], &[], None).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}

#[test]
fn a_decision_from_another_process_appears_on_the_open_screen() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let config = tempfile::tempdir().unwrap();
    let (mut screen, writer, mut child) = start(dir.path(), config.path());
    let mut send = sender(writer);
    screen.wait_for("Xếp hạng · Sở, ban, ngành");
    send(b"\t");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args([
            "decide",
            dir.path().to_str().unwrap(),
            "--member",
            "cuong",
            "--unit",
            "so-y-te",
            "--code",
            "1.1.1",
            "--points",
            "0",
        ])
        .args(["--comment", "Không có kế hoạch gốc"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = Instant::now();
    screen.wait_for("Không có kế hoạch gốc");
    assert!(
        seen.elapsed() < Duration::from_millis(1500),
        "shown after {:?}",
        seen.elapsed()
    );
    screen.wait_for("96.11");
    send(b"q");
    assert!(wait_exit(&mut child).success());
}

#[test]
fn a_signal_ends_the_screen_and_gives_the_terminal_back() {
    for signal in ["TERM", "INT", "QUIT"] {
        let dir = tempfile::tempdir().unwrap();
        common::copy(&common::root().join("data/demo"), dir.path());
        let config = tempfile::tempdir().unwrap();
        let (mut screen, _writer, mut child) = start(dir.path(), config.path());
        screen.wait_for("Xếp hạng");
        let pid = child.process_id().expect("a running child");
        let killed = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(pid.to_string())
            .status()
            .unwrap();
        assert!(killed.success(), "kill -{signal}");
        wait_exit(&mut child);
        std::thread::sleep(Duration::from_millis(200));
        screen.pump();
        assert!(
            !screen.parser.screen().alternate_screen(),
            "SIG{signal}: back on the main screen"
        );
        assert!(
            !screen.parser.screen().hide_cursor(),
            "SIG{signal}: the cursor is visible again"
        );
        let raw = String::from_utf8_lossy(&screen.raw);
        let paste_on = raw
            .rfind("\x1b[?2004h")
            .expect("bracketed paste was turned on");
        assert!(
            raw[paste_on..].contains("\x1b[?2004l"),
            "SIG{signal}: bracketed paste turned off"
        );
    }
}

/// The terminal goes away under the screen (tmux killed, as a closed window
/// would): the program ends instead of spinning on a terminal that is gone.
#[cfg(unix)]
#[test]
fn a_terminal_that_goes_away_ends_the_screen() {
    if !common::program_available("tmux", "-V", "tmux", "the terminal hang-up checks") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let socket = dir.path().join("tmux.sock");
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(args)
            .output()
            .unwrap()
    };
    let program = format!(
        "{} open {}",
        env!("CARGO_BIN_EXE_thamdinh"),
        dir.path().display()
    );
    let o = tmux(&["new", "-d", "-s", "t", "-x", "80", "-y", "24", &program]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let start = Instant::now();
    while !String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "t"]).stdout)
        .contains("Xếp hạng")
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the screen drew nothing"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = String::from_utf8_lossy(&tmux(&["list-panes", "-F", "#{pane_pid}"]).stdout)
        .trim()
        .to_string();
    tmux(&["kill-server"]);
    let proc = std::path::Path::new("/proc").join(&pid);
    let start = Instant::now();
    while proc.exists()
        && !std::fs::read_to_string(proc.join("stat")).is_ok_and(|s| s.contains(") Z"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the screen (pid {pid}) is still running after its terminal went away"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_secretary_moves_the_agenda_on_and_the_projectors_screen_follows() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let config = tempfile::tempdir().unwrap();
    let agenda = dir.path().join("agenda.txt");
    std::fs::write(&agenda, "so-tu-phap\nso-noi-vu 1.1.1\nso-tai-chinh\n").unwrap();
    let thamdinh = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
            .args(args)
            .arg(dir.path())
            .env("LANG", "vi_VN.UTF-8")
            .output()
            .unwrap()
    };
    let o = thamdinh(&[
        "agenda",
        "--member",
        "ha",
        "--from",
        agenda.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let (mut projector, p_writer, mut p_child) =
        start_with(dir.path(), config.path(), &["--follow"]);
    let (mut secretary, s_writer, mut s_child) =
        start_with(dir.path(), config.path(), &["--member", "ha"]);
    let mut to_projector = sender(p_writer);
    let mut to_secretary = sender(s_writer);
    projector.wait_for("theo dõi phiên");
    projector.wait_for("▶ 1/3 ⚠ Lê Mạnh Cường │ Sở Tư pháp");
    secretary.wait_for("▶ 1/3 ⚠ Lê Mạnh Cường │ Sở Tư pháp");
    // The projector's screen has no key that changes anything.
    to_projector(b">");
    to_projector(b"a");
    to_projector(b"M");
    std::thread::sleep(Duration::from_millis(600));
    projector.pump();
    assert!(
        projector
            .text()
            .contains("▶ 1/3 ⚠ Lê Mạnh Cường │ Sở Tư pháp")
    );
    // The secretary moves the meeting on; the projector follows to the leaf,
    // naming the members in conflict with the unit.
    let moved = Instant::now();
    to_secretary(b">");
    secretary.wait_for("▶ 2/3 ⚠ Trần Thị Bình, Đỗ Thị Hà │ Sở Nội vụ");
    projector.wait_for("▶ 2/3 ⚠ Trần Thị Bình, Đỗ Thị Hà │ Sở Nội vụ · 1.1.1");
    eprintln!("the projector followed in {:?}", moved.elapsed());
    projector.wait_for("Trần Thị Bình, Đỗ Thị Hà");
    let log = String::from_utf8_lossy(&thamdinh(&["log", "--format", "csv"]).stdout).to_string();
    let events = log
        .lines()
        .filter(|l| l.split(',').nth(1).is_some_and(|at| at.starts_with("20")))
        .count();
    assert_eq!(events, 2, "the agenda and one move: {log}");
    to_projector(b"q");
    to_secretary(b"q");
    assert!(wait_exit(&mut p_child).success());
    assert!(wait_exit(&mut s_child).success());
}

#[test]
fn on_a_server_a_projector_follows_and_a_stopped_server_is_said_refused_and_resumed() {
    let Some(pg) = common::pg::own_server() else {
        return;
    };
    let url = pg.database();
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let config = tempfile::tempdir().unwrap();
    let (mut projector, p_writer, mut p_child) =
        start_with(dir.path(), config.path(), &["--follow", "--session", &url]);
    let (mut screen, writer, mut child) =
        start_with(dir.path(), config.path(), &["--session", &url]);
    let mut send = sender(writer);
    let mut to_projector = sender(p_writer);
    screen.wait_for("Xếp hạng · Sở, ban, ngành");
    projector.wait_for("theo dõi phiên");
    send(b"\t");
    send(b"j");
    send(b"j"); // 1.2.1 of the first unit
    send(b"-");
    screen.wait_for("quyết định tiêu chí 1.2.1");
    send("Báo cáo gửi chậm".as_bytes());
    let decided = Instant::now();
    send(b"\x13");
    screen.wait_for("đã ghi");
    projector.wait_for_times("✓≠", 1); // decided, and differs from the unit's own
    eprintln!(
        "the projector heard of the decision in {:?}",
        decided.elapsed()
    );
    // The server goes away under both screens.
    pg.stop();
    screen.wait_for("MẤT KẾT NỐI MÁY CHỦ");
    send(b"j");
    send(b"-");
    screen.wait_for("quyết định tiêu chí 1.2.2");
    send("Khi máy chủ dừng".as_bytes());
    send(b"\x13");
    screen.wait_for("không kết nối được máy chủ phiên");
    send(b"\x1b"); // leave the editor: nothing was recorded
    pg.start();
    screen.wait_for("đã kết nối lại");
    send(b"-");
    screen.wait_for("quyết định tiêu chí 1.2.2");
    send("Sau khi máy chủ chạy lại".as_bytes());
    send(b"\x13");
    screen.wait_for("đã ghi");
    projector.wait_for_times("✓≠", 2);
    send(b"q");
    to_projector(b"q");
    assert!(wait_exit(&mut child).success());
    assert!(wait_exit(&mut p_child).success());
    let log = std::process::Command::new(env!("CARGO_BIN_EXE_thamdinh"))
        .args(["log", "--format", "csv", "--session", &url])
        .arg(dir.path())
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&log.stdout).to_string();
    assert!(log.contains("Báo cáo gửi chậm"), "{log}");
    assert!(log.contains("Sau khi máy chủ chạy lại"), "{log}");
    assert!(
        !log.contains("Khi máy chủ dừng"),
        "refused, not recorded: {log}"
    );
    assert!(!dir.path().join(".thamdinh/session.db").exists());
    // The screens' log is kept in the council folder (not in a folder named
    // after the URL), and holds why the server could not be reached.
    let kept = std::fs::read_to_string(dir.path().join(".thamdinh/thamdinh.log")).unwrap();
    assert!(
        kept.contains(&thamdinh::session::postgres::shown(&url)),
        "{kept}"
    );
}
