//! The council's shared screen: terminal setup and the event loop around `App` (state) and `view` (drawing).
//!
//! The terminal is always given back: a guard restores it on every exit path,
//! and ratatui's panic hook restores it before a panic message is printed.

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
use app::{Action, App, Request, Status};

/// What the screen is opened on.
pub struct Options {
    pub folder: PathBuf,
    pub session: PathBuf,
    pub member: Option<String>,
    pub key: Option<PathBuf>,
    pub lang: Lang,
}

/// Restores the terminal when dropped, however the loop ends.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Runs the screen until the secretary quits.
pub fn run(council: Council, opts: Options) -> Result<()> {
    init_log(&opts.session);
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
    )?;
    tracing::info!(folder = %opts.folder.display(), "screen opened");
    let mut terminal = ratatui::try_init().context("the screen needs a terminal")?;
    let _guard = Guard;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let mut password: Option<PasswordPrompt> = None;
    let mut last_poll = Instant::now();
    while !app.quit {
        terminal.draw(|f| {
            app.page = f.area().height.saturating_sub(8).max(1) as usize;
            view::draw(f, &app);
            if let Some(p) = &password {
                p.draw(f, &app);
            }
        })?;
        if event::poll(Duration::from_millis(200))? {
            match event::read()? {
                Event::Key(k) if k.kind == KeyEventKind::Press => match &mut password {
                    Some(p) => {
                        if let Some(done) = p.key(k) {
                            let prompt = password.take();
                            if let (Some(pw), Some(prompt)) = (done, prompt) {
                                sign_with(&mut app, &prompt.path, Some(&pw), &mut password);
                            }
                        }
                    }
                    None => app.key(k),
                },
                Event::Paste(s) => app.update(Action::Paste(s)),
                _ => {}
            }
        }
        if last_poll.elapsed() >= Duration::from_millis(250) {
            last_poll = Instant::now();
            if app.changed_elsewhere() {
                app.update(Action::Refresh);
            }
        }
        match app.request.take() {
            Some(Request::SignOff) => {
                let path = match &opts.key {
                    Some(k) => k.clone(),
                    None => crate::keys::secret_key_path(&app.member)?,
                };
                match crate::keys::needs_password(&path) {
                    Ok(true) => {
                        password = Some(PasswordPrompt {
                            path,
                            input: String::new(),
                            error: None,
                        })
                    }
                    Ok(false) => sign_with(&mut app, &path, None, &mut password),
                    Err(e) => app.status = Some(Status::Error(format!("{e:#}"))),
                }
            }
            Some(Request::OpenFile(path)) => open_file(&mut app, &path),
            None => {}
        }
    }
    tracing::info!("screen closed");
    Ok(())
}

fn sign_with(
    app: &mut App,
    path: &std::path::Path,
    pw: Option<&str>,
    prompt: &mut Option<PasswordPrompt>,
) {
    match crate::keys::open_secret(path, pw) {
        Ok(sk) => {
            app.sign_off(&sk);
            tracing::info!(status = ?app.status, "sign-off from the screen");
        }
        Err(e) if pw.is_some() => {
            *prompt = Some(PasswordPrompt {
                path: path.to_path_buf(),
                input: String::new(),
                error: Some(format!("{e:#}")),
            });
        }
        Err(e) => app.status = Some(Status::Error(format!("{e:#}"))),
    }
}

/// The password of the signing key, typed into the screen (never echoed).
struct PasswordPrompt {
    path: PathBuf,
    input: String,
    error: Option<String>,
}

impl PasswordPrompt {
    /// `Some(Some(pw))` submitted, `Some(None)` cancelled, `None` still typing.
    fn key(&mut self, k: event::KeyEvent) -> Option<Option<String>> {
        use event::KeyCode;
        match k.code {
            KeyCode::Enter => Some(Some(std::mem::take(&mut self.input))),
            KeyCode::Esc => Some(None),
            KeyCode::Backspace => {
                self.input.pop();
                None
            }
            KeyCode::Char(c) => {
                self.input.push(c);
                None
            }
            _ => None,
        }
    }

    fn draw(&self, f: &mut ratatui::Frame, app: &App) {
        use ratatui::text::{Line, Span};
        use ratatui::widgets::{Block, Borders, Clear, Paragraph};
        let vi = app.lang == Lang::Vi;
        let area = view::centered(f.area(), 64, 7);
        f.render_widget(Clear, area);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(
                if vi {
                    " Mật khẩu khoá ký "
                } else {
                    " Signing key password "
                },
                app.theme.title(),
            ))
            .border_style(app.theme.focused_border());
        let mut lines = vec![
            Line::from(view::fit(
                &self.path.display().to_string(),
                area.width.saturating_sub(4) as usize,
            )),
            Line::from(format!(
                "{} {}",
                if vi { "Mật khẩu:" } else { "Password:" },
                "•".repeat(self.input.chars().count())
            )),
        ];
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(
                format!(" ✗ {e} "),
                app.theme.error(),
            )));
        }
        lines.push(Line::from(Span::styled(
            if vi {
                "Enter ký · Esc huỷ"
            } else {
                "Enter sign · Esc cancel"
            },
            app.theme.dim(),
        )));
        f.render_widget(Paragraph::new(lines).block(block), area);
    }
}

fn open_file(app: &mut App, path: &std::path::Path) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    app.status = Some(match spawned {
        Ok(_) => Status::Info(path.display().to_string()),
        Err(e) => Status::Error(format!("{opener} {}: {e}", path.display())),
    });
}

/// Logs go to a file beside the session (or the temporary folder), never to the screen.
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
