//! The search box and its hits.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, pick_list};
use crate::tui::app::{App, Hit, Search};

pub fn render(frame: &mut Frame, area: Rect, app: &App, q: &Search) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let hits = s.search_hits(&q.query);
    let h = (hits.len().min(14) as u16 + 5).min(area.height);
    let popup = centered(area, 80.min(area.width), h);
    frame.render_widget(Clear, popup);
    let block = super::layer_block(app, w.search_title.to_string());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [input, list, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("/ ", t.key()),
            Span::raw(format!("{}▏", q.query)),
        ])),
        input,
    );
    let fw = c.framework_of(s.unit);
    let items: Vec<String> = hits
        .iter()
        .map(|h| match *h {
            Hit::Unit(u) => format!(
                "{} — {} ({})",
                c.units[u].name, c.groups[c.units[u].group].name, c.units[u].id
            ),
            Hit::Leaf(l) => format!("{} {}", fw.leaves[l].code, fw.leaves[l].name),
        })
        .collect();
    if items.is_empty() && !q.query.trim().is_empty() {
        frame.render_widget(Paragraph::new(Span::styled(w.nothing_found, t.dim())), list);
    } else {
        pick_list(frame, list, app, items, q.sel);
    }
    frame.render_widget(Paragraph::new(Span::styled(w.search_hint, t.dim())), help);
}
