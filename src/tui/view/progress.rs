//! The round's progress on the screen: per member with fields, per field and per unit, as `thamdinh progress` prints it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fit;
use crate::tui::app::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.main;
    let (t, w) = (&s.theme, s.words());
    let p = crate::progress::of(&s.council, s.link.state());
    // Short column titles where the full ones would not fit.
    let table = crate::progress::table(&p, &crate::progress::Labels::of(w, area.width < 80));
    let mut lines = table.lines();
    let title = format!(" {} ", lines.next().unwrap_or_default());
    // First the round before: who was sent a notice, who replied, who is
    // late (a short list); then the tables.
    let before = s.link.state().round() - 1;
    let replies = if before >= 1 {
        let replies = crate::work::replies(&s.council, s.link.state(), before);
        crate::work::replies_text(&s.council, &replies, before, w, &crate::work::today())
    } else {
        String::new()
    };
    let text: String = replies
        .lines()
        .skip_while(|l| l.is_empty())
        .chain(std::iter::once(""))
        .filter(|_| !replies.is_empty())
        .chain(lines.skip_while(|l| l.is_empty()))
        .map(|l| format!("{l}\n"))
        .collect();
    let block = super::pane(app, title, app.layers.is_empty());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    // Each table's header (the line after a blank one) is dim, as elsewhere.
    let mut header = true;
    let mut body = Vec::new();
    for l in text.lines() {
        let line = fit(l, width);
        body.push(if header {
            Line::from(Span::styled(line, t.dim()))
        } else {
            Line::from(line)
        });
        header = l.is_empty();
    }
    frame.render_widget(Paragraph::new(body), inner);
}
