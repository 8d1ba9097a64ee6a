//! The prompt of a request for an explanation: the leaf, the text typed (its end when long).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{centered, fit};
use crate::i18n::fill;
use crate::tui::app::{App, Request};

pub fn render(frame: &mut Frame, area: Rect, app: &App, r: &Request) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let popup = centered(area, 80.min(area.width), 7);
    frame.render_widget(Clear, popup);
    let block = super::layer_block(app, format!(" {} ", w.request_title));
    let room = popup.width.saturating_sub(4) as usize;
    let leaf = &c.framework_of(r.unit).leaves[r.leaf];
    // The end of a long text stays in view, as it is typed.
    let mut shown: String = r.text.clone();
    while shown.width() + 2 > room && !shown.is_empty() {
        shown.remove(0);
    }
    let mut lines = vec![
        Line::from(fit(
            &fill(
                w.request_for,
                &[&c.units[r.unit].name, &leaf.code, &leaf.name],
            ),
            room,
        )),
        Line::from(format!("› {shown}▏")),
    ];
    if let Some(e) = &r.error {
        lines.push(Line::from(Span::styled(
            fit(&format!("✗ {e}"), room),
            t.error(),
        )));
    }
    lines.push(Line::from(Span::styled(w.request_hint, t.dim())));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
