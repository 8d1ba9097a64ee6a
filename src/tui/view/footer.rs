//! The footer: the status line (what just happened, or why not) and the keys that work here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, Focus, Status};
use crate::tui::keymap::{Mode, describe};

/// The actions worth a hint in each place, most useful first.
fn hinted(app: &App) -> (Mode, &'static [&'static str]) {
    match app.mode() {
        Mode::Main if app.focus == Focus::Ranking => (
            Mode::Main,
            &[
                "open",
                "focus_next",
                "next_look",
                "next_group",
                "member",
                "undo",
                "sign_off",
                "help",
                "quit",
            ],
        ),
        Mode::Main => (
            Mode::Main,
            &[
                "open",
                "accept",
                "step_up",
                "step_down",
                "pick_level",
                "toggle_na",
                "comment",
                "next_look",
                "undo",
                "fold",
                "focus_prev",
                "help",
                "quit",
            ],
        ),
        Mode::Dialog => (
            Mode::Dialog,
            &[
                "save",
                "cancel",
                "next_field",
                "step_up",
                "step_down",
                "toggle_na",
            ],
        ),
        Mode::List => (Mode::List, &["choose", "cancel"]),
        Mode::Help => (Mode::Help, &["close"]),
        Mode::Confirm => (Mode::Confirm, &["yes", "no"]),
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let status = match &app.status {
        Some(Status::Info(s)) => Line::from(Span::styled(format!(" ✓ {s}"), t.info())),
        Some(Status::Error(s)) => Line::from(Span::styled(format!(" ✗ {s} "), t.error())),
        None => Line::from(""),
    };
    let (mode, actions) = hinted(app);
    let mut spans = Vec::new();
    let mut used = 0;
    for a in actions {
        let key = app.keymap.key_of(mode, a);
        let words = describe(mode, a, app.lang);
        let short = words
            .split([',', '(', ':', '/'])
            .next()
            .unwrap_or(words)
            .trim();
        let (k, w) = (format!(" {key}"), format!(" {short} "));
        let width = unicode_width::UnicodeWidthStr::width(k.as_str())
            + unicode_width::UnicodeWidthStr::width(w.as_str());
        if used + width > area.width as usize {
            break;
        }
        used += width;
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(w));
    }
    frame.render_widget(Paragraph::new(vec![status, Line::from(spans)]), area);
}
