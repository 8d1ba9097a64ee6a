//! The council's shared screen: terminal setup and the event loop around `App` (state) and `view` (drawing).
//!
//! The terminal is always given back: a guard restores it on every exit path,
//! and ratatui's panic hook restores it before a panic message is printed.

pub mod action;
pub mod app;
pub mod keymap;
pub mod theme;
pub mod view;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::execute;

use crate::i18n::Lang;
use crate::model::Council;
use action::{Action, Effect};
use app::App;

/// What the screen is opened on.
pub struct Options {
    pub folder: PathBuf,
    pub session: PathBuf,
    pub member: Option<String>,
    pub key: Option<PathBuf>,
    pub lang: Lang,
    /// Only follow the session (a projector's screen): `open --follow`.
    pub follow: bool,
}

/// Restores the terminal when dropped, however the loop ends.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// After a signal, the loop ends within a frame; but on a terminal that hung up
/// (its window closed, tmux killed) the terminal reader can spin on end-of-file
/// without ever returning to the loop. Then, a second after the signal, the
/// terminal is given back as far as it still exists and the process ends.
/// Every decision is already committed, so nothing is lost.
fn watch_for_a_stuck_loop(stop: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_secs(1));
        tracing::warn!("the screen's loop did not end after a signal: leaving");
        drop(Guard);
        std::process::exit(1);
    });
}

/// The screen's recorder: the member's key when council.toml lists one for
/// them (asking its password on the terminal when it has one). Without the
/// key file the screen opens all the same, and what needs the key is refused
/// saying how to make it.
fn unlock(
    council: &Council,
    member: &str,
    key: Option<&std::path::Path>,
) -> Result<Option<crate::session::acting::Recorder>> {
    if council.member(member).is_none_or(|m| m.pubkey.is_none()) {
        return Ok(None);
    }
    let path = crate::keys::key_path(key, member)?;
    if !path.exists() {
        tracing::warn!(
            "{}: no key, nothing signed is recorded from this screen",
            path.display()
        );
        return Ok(None);
    }
    let sk = crate::keys::load_secret(&path)?;
    let r = crate::session::acting::Recorder::new(council, member, sk).map_err(|r| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::refusal_on(crate::i18n::current(), &r, None)
        )
    })?;
    Ok(Some(r))
}

/// Runs the screen until the secretary quits.
pub fn run(council: Council, opts: Options) -> Result<()> {
    // A session on a server has no folder: its screen logs where a file session would be.
    let beside = match crate::session::postgres::url(&opts.session) {
        Some(_) => crate::session::default_path(&opts.folder),
        None => opts.session.clone(),
    };
    init_log(&beside);
    let keymap = keymap::KeyMap::load(
        crate::keys::keys_dir()
            .ok()
            .and_then(|d| d.parent().map(|p| p.join("keys.toml")))
            .as_deref(),
    )?;
    let mut app = App::new(
        council,
        &opts.folder,
        &opts.session,
        opts.member.as_deref(),
        opts.lang,
        keymap,
    )?
    .with_key(opts.key.clone());
    if !opts.follow {
        // The key that records (and signs) what this screen does: its
        // password is asked once, here, before the screen takes the terminal.
        let recorder = unlock(&app.main.council, &app.main.member, opts.key.as_deref())?;
        app.main.link.set_recorder(recorder);
    }
    if opts.follow {
        app.main.watch.follow = true;
        app.main.go_to_agenda();
    }
    tracing::info!(folder = %opts.folder.display(), "screen opened");
    // SIGTERM, SIGINT, SIGQUIT and SIGHUP end the loop like `q`, so that the
    // guard gives the terminal back (a signal's default would leave it raw).
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(signal, std::sync::Arc::clone(&stop))?;
    }
    watch_for_a_stuck_loop(std::sync::Arc::clone(&stop));
    let mut terminal = ratatui::try_init()
        .context(crate::i18n::say(|w| w.er_screen_needs_terminal.to_string()))?;
    let _guard = Guard;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    let mut last_tick = Instant::now();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        // Messages made outside the screen's words (errors of the library)
        // follow the screen's language, which `L` switches.
        crate::i18n::set_current(app.main.look.lang);
        terminal.draw(|f| view::draw(f, &app))?;
        let mut effect = None;
        // A signal may interrupt the wait; the loop's condition then ends it.
        let ready = match event::poll(Duration::from_millis(200)) {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => false,
            Err(e) => return Err(e.into()),
        };
        if ready {
            effect = match event::read()? {
                Event::Key(k) if k.kind == KeyEventKind::Press => app.key(k),
                // Nothing longer than a note is ever kept: a paste is cut there.
                Event::Paste(s) => app.update(Action::Paste(crate::text::shorten(
                    &s,
                    crate::load::MAX_NOTE + 1,
                ))),
                Event::Resize(w, h) => app.update(Action::Resize(w, h)),
                _ => None,
            };
        }
        if last_tick.elapsed() >= Duration::from_millis(250) {
            last_tick = Instant::now();
            app.update(Action::Tick);
        }
        match effect {
            Some(Effect::Quit) => break,
            Some(Effect::OpenFile(path)) => {
                let opened = open_file(&path).map(|()| path);
                app.update(Action::Opened(opened));
            }
            None => {}
        }
    }
    tracing::info!("screen closed");
    Ok(())
}

/// Starts the system's viewer on a file; the child is waited for on its own
/// thread, so that none is left behind as a zombie.
fn open_file(path: &std::path::Path) -> std::result::Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(opener)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| {
            format!(
                "{opener} {}: {e}",
                crate::text::line(&path.display().to_string())
            )
        })?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Logs go to a file beside `session` (or the temporary folder), never to the screen.
fn init_log(session: &std::path::Path) {
    let dir = session
        .parent()
        .filter(|d| std::fs::create_dir_all(d).is_ok())
        .map(|d| d.to_path_buf())
        .unwrap_or_else(std::env::temp_dir);
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("thamdinh.log"))
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
}
