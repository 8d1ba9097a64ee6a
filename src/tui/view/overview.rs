//! The overview: every unit's component index per field, shaded by value, and the group's indexes as bars.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};

use super::{pad, rpad};
use crate::i18n::Lang;
use crate::score::Score;
use crate::tui::app::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let c = &app.council;
    let vi = app.lang == Lang::Vi;
    let [table_area, bars_area] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            if vi {
                " Chỉ số thành phần theo lĩnh vực (%) "
            } else {
                " Component index by field (%) "
            },
            t.title(),
        ))
        .border_style(t.border());
    let inner = block.inner(table_area);
    frame.render_widget(block, table_area);
    let group = &c.groups[app.group];
    let fw = &c.frameworks[group.framework];
    let cell = 7;
    let name_w = (inner.width as usize)
        .saturating_sub(cell * fw.fields.len())
        .clamp(8, 30);
    let mut head = vec![Span::styled(
        pad(if vi { "Đơn vị" } else { "Unit" }, name_w),
        t.dim(),
    )];
    for f in &fw.fields {
        head.push(Span::styled(rpad(&format!("LV{}", f.code), cell), t.dim()));
    }
    let mut lines = vec![Line::from(head)];
    for &u in super::visible_units(app, (inner.height as usize).saturating_sub(1)) {
        let name_style = if u == app.unit {
            t.selected()
        } else {
            ratatui::style::Style::new()
        };
        let mut spans = vec![Span::styled(pad(&c.units[u].name, name_w), name_style)];
        for f in &fw.fields {
            let s = Score::subtotal(
                &fw.leaves[f.leaves.clone()],
                f.leaves.clone().map(|l| app.value(u, l)),
            );
            let (text, h) = if s.max.hundredths() > 0 {
                let s = Score {
                    total: s.total.max(crate::Points::ZERO),
                    ..s
                };
                (s.index_text(), s.index_hundredths())
            } else {
                ("–".to_string(), 10_000)
            };
            let short = text.split('.').next().unwrap_or(&text).to_string();
            spans.push(Span::styled(rpad(&short, cell), t.shade(h)));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    let order = &app.standings.order[app.group];
    // The axis starts near the group's level (a multiple of 10 below its median),
    // so that 89 and 96 look different; the title says where it starts.
    let mut indexes: Vec<i64> = order
        .iter()
        .map(|&u| app.standings.units[u].score.index_hundredths())
        .collect();
    indexes.sort_unstable();
    let median = indexes.get(indexes.len() / 2).copied().unwrap_or(0);
    let base = ((median / 100 - 15).max(0) / 10 * 10).min(80);
    let bars: Vec<Bar> = order
        .iter()
        .map(|&u| {
            let st = &app.standings.units[u];
            let label = c.units[u]
                .name
                .split_whitespace()
                .last()
                .unwrap_or("")
                .to_string();
            Bar::default()
                .value((st.score.index_hundredths() - base * 100).max(0) as u64)
                .text_value(st.score.index_text())
                .label(Line::from(label))
                .style(if u == app.unit {
                    t.selected()
                } else {
                    t.title()
                })
        })
        .collect();
    let width = (bars_area.width.saturating_sub(2) / order.len().max(1) as u16).clamp(1, 9);
    let chart = BarChart::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(
                    if vi {
                        format!(" Chỉ số của nhóm (trục từ {base}%) ")
                    } else {
                        format!(" The group's indexes (axis from {base}%) ")
                    },
                    t.title(),
                ))
                .border_style(t.border()),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(width.saturating_sub(1).max(1))
        .bar_gap(1)
        .max(((100 - base) * 100) as u64);
    frame.render_widget(chart, bars_area);
}
