//! The footer: the status line (what just happened, or why not) and the keys that work here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::action::Action;
use crate::tui::app::{App, Focus, Status};
use crate::tui::keymap::Mode;

/// The actions worth a hint in each place, most useful first.
fn hinted(app: &App) -> (Mode, &'static [Action]) {
    use Action::*;
    let mode = app.mode();
    let list: &'static [Action] = match mode {
        Mode::Main if app.main.watch.follow => &[Presenter, Language, Help, Quit],
        Mode::Main if app.main.focus == Focus::Ranking => &[
            Open, FocusNext, NextLook, NextGroup, Member, Undo, SignOff, Help, Quit,
        ],
        Mode::Main => &[
            Open,
            Accept,
            AcceptProven,
            StepUp,
            StepDown,
            PickLevel,
            ToggleNa,
            Comment,
            NextLook,
            Undo,
            Fold,
            FocusPrev,
            Help,
            Quit,
        ],
        Mode::Points => &[Save, Cancel, NextField, StepUp, StepDown, ToggleNa],
        Mode::Reason => &[Save, Cancel, NextField, ToggleNa],
        Mode::List | Mode::Search => &[Choose, Cancel],
        Mode::Prompt => &[Choose, Cancel],
        Mode::Help => &[Close, Down, Up],
        Mode::Confirm => &[Yes, No],
        Mode::Meeting => &[Present, Absent, Written, Approve, Object, Close],
        Mode::Agenda => &[MoveUp, MoveDown, Remove, Choose, Close],
    };
    (mode, list)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.main.theme;
    let status = match &app.main.status {
        Some(Status::Info(s)) => Line::from(Span::styled(format!(" ✓ {s}"), t.info())),
        Some(Status::Error(s)) => Line::from(Span::styled(format!(" ✗ {s} "), t.error())),
        None => Line::from(""),
    };
    let (mode, actions) = hinted(app);
    let mut spans = Vec::new();
    let mut used = 0;
    for a in actions {
        let hint = super::hint(app, mode, a);
        let width: usize = hint.iter().map(|s| s.width()).sum();
        if used + width > area.width as usize {
            break;
        }
        used += width;
        spans.extend(hint);
    }
    frame.render_widget(Paragraph::new(vec![status, Line::from(spans)]), area);
}
