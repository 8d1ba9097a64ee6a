//! One leaf across every unit of the group, so the council rules alike down the column.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pad, rpad, tree, tree::marks, unit_names};
use crate::i18n::fill;
use crate::tui::app::{App, Focus, Row};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let fw = c.framework_of(s.unit);
    let leaf = match s.row {
        Row::Leaf(l) => l,
        Row::Field(f) => fw.fields[f].leaves.start,
    };
    let l = &fw.leaves[leaf];
    let focused = s.focus == Focus::Tree && app.layers.is_empty();
    let title = format!(" {} {} — {} ", l.code, l.name, w.every_unit);
    let block = super::pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let num = 9;
    let comment_w = if width > 90 { width / 3 } else { 0 };
    // After round 1: each closed round's value and explanation mark before
    // the current round's, as in the tree.
    let closed = tree::closed_rounds(app, width >= 70);
    let extra = closed.len() * (num + 3);
    let name_w = width.saturating_sub(num * 2 + 5 + comment_w + extra).max(6);
    let round = s.link.state().round();
    let current = if round > 1 {
        fill(w.col_round, &[&round])
    } else {
        w.col_council.to_string()
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{}{}{}{} {}{}",
            pad(w.col_unit, name_w),
            rpad(w.col_self, num),
            tree::rounds_head(app, &closed, num),
            rpad(&current, num),
            pad("", 4),
            if comment_w > 0 {
                pad(w.col_comment, comment_w)
            } else {
                String::new()
            }
        ),
        t.dim(),
    ))];
    let shown = super::visible_units(app, (inner.height as usize).saturating_sub(1));
    let names = unit_names(app, &shown, name_w);
    for (&u, name) in shown.iter().zip(names) {
        let (own, appr, style) = super::tree::cells(app, u, leaf);
        let comment = s
            .link
            .appraisal()
            .decisions
            .get(&(u, leaf))
            .map(|d| d.comment.replace('\n', " "))
            .unwrap_or_default();
        let mut spans = vec![Span::raw(pad(&name, name_w)), Span::raw(rpad(&own, num))];
        for &r in &closed {
            spans.extend(tree::round_cells(app, u, leaf, r, num));
        }
        spans.extend([
            Span::styled(rpad(&appr, num), style.add_modifier(Modifier::BOLD)),
            Span::styled(format!(" {}", pad(&marks(app, u, leaf), 4)), t.warn()),
            Span::styled(
                if comment_w > 0 {
                    pad(&comment, comment_w)
                } else {
                    String::new()
                },
                t.dim(),
            ),
        ]);
        let mut line = Line::from(spans);
        if u == s.unit {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
