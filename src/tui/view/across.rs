//! One leaf across every unit of the group, so the council rules alike down the column.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pad, rpad, tree::marks};
use crate::i18n::Lang;
use crate::tui::app::{App, Focus, Row};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let c = &app.council;
    let vi = app.lang == Lang::Vi;
    let fw = c.framework_of(app.unit);
    let leaf = match app.row {
        Row::Leaf(l) => l,
        Row::Field(f) => fw.fields[f].leaves.start,
    };
    let l = &fw.leaves[leaf];
    let focused = app.focus == Focus::Tree && app.overlay.is_none();
    let title = format!(
        " {} {} — {} ",
        l.code,
        l.name,
        if vi { "mọi đơn vị" } else { "every unit" }
    );
    let block = super::pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let num = 9;
    let comment_w = if w > 90 { w / 3 } else { 0 };
    let name_w = w.saturating_sub(num * 2 + 5 + comment_w).max(6);
    let head = if vi {
        ("Đơn vị", "Tự chấm", "Hội đồng", "Nhận xét")
    } else {
        ("Unit", "Self", "Council", "Comment")
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{}{}{} {}{}",
            pad(head.0, name_w),
            rpad(head.1, num),
            rpad(head.2, num),
            pad("", 4),
            if comment_w > 0 {
                pad(head.3, comment_w)
            } else {
                String::new()
            }
        ),
        t.dim(),
    ))];
    for &u in super::visible_units(app, (inner.height as usize).saturating_sub(1)) {
        let (own, appr, style) = super::tree::cells(app, u, leaf);
        let comment = app
            .state
            .appraisal
            .decisions
            .get(&(u, leaf))
            .map(|d| d.comment.replace('\n', " "))
            .unwrap_or_default();
        let mut line = Line::from(vec![
            Span::raw(pad(&c.units[u].name, name_w)),
            Span::raw(rpad(&own, num)),
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
        if u == app.unit {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
