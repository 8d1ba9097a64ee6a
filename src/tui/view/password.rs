//! The password prompt of the signing key (dots, never the text).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, fit};
use crate::tui::app::{App, Password};

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &Password) {
    let s = &app.main;
    let (t, w) = (&s.theme, s.words());
    let popup = centered(area, 64, 7);
    frame.render_widget(Clear, popup);
    let block = super::layer_block(app, w.password_title.to_string());
    let mut lines = vec![
        Line::from(fit(
            &p.path.display().to_string(),
            popup.width.saturating_sub(4) as usize,
        )),
        Line::from(format!("{} {}", w.password_label, "•".repeat(p.typed()))),
    ];
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(format!(" ✗ {e} "), t.error())));
    }
    lines.push(Line::from(Span::styled(w.password_hint, t.dim())));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
