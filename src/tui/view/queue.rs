//! The member's work queue: the leaves of their fields, across every unit, not yet decided in this round.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{pad, rpad, scroll_offset, tree};
use crate::i18n::fill;
use crate::tui::app::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let queue = s.queue();
    let round = s.link.state().round();
    let member = c.member(&s.member);
    let all = member.map_or(0, |m| crate::work::theirs(c, m).count());
    let fields = member
        .and_then(|m| m.fields.as_ref())
        .map(|f| {
            let mut codes: Vec<&str> = f.everywhere.iter().map(String::as_str).collect();
            for list in f.by_framework.values() {
                codes.extend(list.iter().map(String::as_str));
            }
            codes.sort();
            codes.dedup();
            codes.join(", ")
        })
        .unwrap_or_else(|| w.queue_all_fields.to_string());
    let title = format!(
        " {} ",
        fill(w.queue_title, &[&round, &queue.len(), &all, &fields])
    );
    let block = super::pane(app, title, app.layers.is_empty());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let num = 7;
    let code_w = 7;
    let unit_w = (width / 4).clamp(8, 28);
    let name_w = width.saturating_sub(unit_w + code_w + num * 2 + 6).max(6);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{}{}{}{}{}",
            pad(w.col_unit, unit_w + 1),
            pad(w.col_code, code_w),
            pad(w.col_criterion, name_w),
            rpad(w.col_self_short, num),
            rpad(w.col_council_short, num),
        ),
        t.dim(),
    ))];
    if queue.is_empty() {
        lines.push(Line::from(Span::styled(w.queue_empty, t.info())));
    }
    let height = (inner.height as usize).saturating_sub(2);
    let here = s.selected_leaf().map(|l| (s.unit, l));
    let sel = here
        .and_then(|h| queue.iter().position(|&q| q == h))
        .unwrap_or(0);
    let start = scroll_offset(sel, queue.len(), height);
    for &(u, l) in queue.iter().skip(start).take(height) {
        let leaf = &c.framework_of(u).leaves[l];
        let (own, appr, style) = tree::cells(app, u, l);
        let mark = if round > 1 && c.explained(u, &leaf.code, round - 1) {
            "✎"
        } else if s.link.state().asked(u, l, round) {
            "?"
        } else {
            ""
        };
        let mut line = Line::from(vec![
            Span::raw(pad(&c.units[u].name, unit_w + 1)),
            Span::raw(pad(&leaf.code, code_w)),
            Span::raw(pad(&leaf.name, name_w)),
            Span::raw(rpad(&own, num)),
            Span::styled(rpad(&appr, num), style),
            Span::styled(format!(" {mark}"), t.warn()),
        ]);
        if Some((u, l)) == here {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    let foot = Line::from(Span::styled(w.queue_hint, t.dim()));
    super::with_foot(frame, inner, lines, foot);
}
