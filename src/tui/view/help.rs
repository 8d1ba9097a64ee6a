//! The help overlay, generated from the key map so it cannot disagree with it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, pad};
use crate::tui::app::App;
use crate::tui::keymap::Mode;

pub fn render(frame: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let s = &app.main;
    let (t, w) = (&s.theme, s.words());
    let popup = centered(area, 84, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let block = super::layer_block(app, w.help_title.to_string());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines = Vec::new();
    let sections = [
        (Mode::Main, w.help_main),
        (Mode::Points, w.help_points),
        (Mode::Reason, w.help_reason),
        (Mode::List, w.help_lists),
        (Mode::Search, w.help_search),
        (Mode::Confirm, w.help_confirm),
        (Mode::Meeting, w.help_meeting),
        (Mode::Agenda, w.help_agenda),
    ];
    for (mode, title) in sections {
        lines.push(Line::from(Span::styled(title, t.field())));
        for (keys, what) in app.keymap.describe(mode, s.look.lang) {
            lines.push(Line::from(vec![
                Span::styled(pad(&keys, 16), t.key()),
                Span::raw(what),
            ]));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled(w.marks_title, t.field())));
    let legend = [
        ("✓", w.mark_decided),
        ("⧗", w.mark_pending),
        ("≠", w.mark_differs),
        ("–", w.mark_na),
        ("!", w.mark_no_evidence),
        ("?", w.mark_unassessed),
        ("S", w.mark_survey),
        ("∅", w.mark_not_submitted),
        ("▲▼", w.mark_moved),
    ];
    for (m, what) in legend {
        lines.push(Line::from(vec![
            Span::styled(pad(m, 16), t.warn()),
            Span::raw(what),
        ]));
    }
    let max = (lines.len() as u16).saturating_sub(inner.height);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
}
