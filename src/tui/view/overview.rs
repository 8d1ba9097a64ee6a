//! The overview: every unit's component index per field, shaded by the framework's
//! bands, with the fields named; and the group's indexes as bars.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Wrap};

use super::{fit, pad, rpad, unit_names};
use crate::i18n::fill;
use crate::tui::app::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let group = &c.groups[s.group];
    let fw = &c.frameworks[group.framework];
    // The fields' names under the table, as many lines as they need.
    let legend: Vec<String> = fw
        .fields
        .iter()
        .map(|f| format!("{} {}", f.code, f.name))
        .collect();
    // The selected unit's self-assessment gap per field: self component index
    // less the council's, where it differs.
    let u = s.unit;
    let gaps: Vec<String> = fw
        .fields
        .iter()
        .enumerate()
        .filter_map(|(f, field)| {
            let own = crate::score::Score::subtotal(
                &fw.leaves[field.leaves.clone()],
                field
                    .leaves
                    .clone()
                    .map(|l| crate::appraisal::self_value(c, u, l)),
            )
            .floored();
            let council = s.link.appraisal().field_score(c, u, f).floored();
            let gap = own.index_diff_hundredths(&council);
            (gap != 0).then(|| {
                let sign = if gap > 0 { "+" } else { "" };
                format!("{} {sign}{}", field.code, crate::Points(gap))
            })
        })
        .collect();
    // The gaps first: the field names below them may be cut where room is short.
    let mut legend_text = legend.join(" · ");
    if !gaps.is_empty() {
        legend_text = format!(
            "{}\n{legend_text}",
            fill(w.field_gaps, &[&s.short[u], &gaps.join(" · ")])
        );
    }
    let legend_h = (unicode_width::UnicodeWidthStr::width(legend_text.as_str()) as u16)
        .div_ceil(area.width.saturating_sub(2).max(1))
        .clamp(1, 4)
        + u16::from(!gaps.is_empty());
    let [table_area, legend_area, bars_area] = Layout::vertical([
        Constraint::Percentage(60),
        Constraint::Length(legend_h),
        Constraint::Min(3),
    ])
    .areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(w.overview_title, t.title()))
        .border_style(t.border());
    let inner = block.inner(table_area);
    frame.render_widget(block, table_area);
    let cell = 7;
    let name_w = (inner.width as usize)
        .saturating_sub(cell * fw.fields.len())
        .clamp(8, 40);
    let mut head = vec![Span::styled(pad(w.col_unit, name_w), t.dim())];
    for f in &fw.fields {
        head.push(Span::styled(rpad(&fit(&f.code, cell - 1), cell), t.dim()));
    }
    let mut lines = vec![Line::from(head)];
    let shown = super::visible_units(app, (inner.height as usize).saturating_sub(1));
    let names = unit_names(app, &shown, name_w);
    for (&u, name) in shown.iter().zip(names) {
        let name_style = if u == s.unit {
            t.selected()
        } else {
            ratatui::style::Style::new()
        };
        let mut spans = vec![Span::styled(pad(&name, name_w), name_style)];
        for f in 0..fw.fields.len() {
            let score = s.link.appraisal().field_score(c, u, f).floored();
            let (text, style) = if score.max.hundredths() > 0 {
                let band = crate::score::band(&fw.bands, &score);
                (
                    score.index().whole_part().to_string(),
                    t.shade(band, fw.bands.len()),
                )
            } else {
                // A field of bonus and deducted points only (no max): its points, signed.
                let points = s.link.appraisal().field_score(c, u, f).total;
                match points.hundredths() {
                    0 => ("0".to_string(), ratatui::style::Style::new()),
                    h if h > 0 => (format!("+{}", points.short()), t.raised()),
                    _ => (points.short(), t.lowered()),
                }
            };
            spans.push(Span::styled(rpad(&text, cell), style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    frame.render_widget(
        Paragraph::new(ratatui::text::Text::styled(legend_text, t.dim())).wrap(Wrap { trim: true }),
        legend_area.inner(ratatui::layout::Margin::new(1, 0)),
    );

    let order = &s.standings.order[s.group];
    // The axis starts near the group's level (a multiple of 10 below its median),
    // so that 89 and 96 look different; the title says where it starts.
    let mut indexes: Vec<i64> = order
        .iter()
        .map(|&u| s.standings.units[u].score.index_hundredths())
        .collect();
    indexes.sort_unstable();
    let median = indexes.get(indexes.len() / 2).copied().unwrap_or(0);
    let base = ((median / 100 - 15).max(0) / 10 * 10).min(80);
    let width = (bars_area.width.saturating_sub(2) / order.len().max(1) as u16).clamp(1, 9);
    // Each bar is labelled with the unit's short name where the bars are wide
    // enough to tell them apart; otherwise with its place in the ranking list.
    let mut labels: Vec<String> = order
        .iter()
        .map(|&u| fit(&s.short[u], width.saturating_sub(1).max(1) as usize))
        .collect();
    let distinct: std::collections::HashSet<&String> = labels.iter().collect();
    if distinct.len() < labels.len() {
        labels = (1..=order.len()).map(|k| k.to_string()).collect();
    }
    let bars: Vec<Bar> = order
        .iter()
        .zip(labels)
        .map(|(&u, label)| {
            let st = &s.standings.units[u];
            Bar::default()
                .value((st.score.index_hundredths() - base * 100).max(0) as u64)
                .text_value(st.score.index_text())
                .label(Line::from(label))
                .style(if u == s.unit { t.selected() } else { t.title() })
        })
        .collect();
    let chart = BarChart::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(fill(w.bars_title, &[&base]), t.title()))
                .border_style(t.border()),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(width.saturating_sub(1).max(1))
        .bar_gap(1)
        .max(((100 - base) * 100) as u64);
    frame.render_widget(chart, bars_area);
}
