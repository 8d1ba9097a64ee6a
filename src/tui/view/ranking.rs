//! The live ranking of the shown group: rank, move, unit, appraised index, change from self, band, marks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pad, rpad, unit_names};
use crate::i18n::fill;
use crate::tui::app::{App, Focus};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let focused = s.focus == Focus::Ranking && app.layers.is_empty();
    let mut title = fill(w.ranking_title, &[&c.groups[s.group].name]);
    if s.look.by_gap {
        title = format!("{}· {} ", title, w.by_gap_mark);
    }
    let block = super::pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    // rank 3, move 3, spaces around the name 2, index 6, space 1, change 6, mark 2
    // (+ band 11). Where the names would get fewer than 14 columns, the change
    // from self gives them its room (the detail and the tree still show it);
    // the band gives its room first where the names would otherwise be cut.
    let shown = super::visible_units(app, (inner.height as usize).saturating_sub(1));
    // An index past 100 (bonus points, no cap) widens its column and the change's.
    let index_w = shown
        .iter()
        .map(|&u| s.standings.units[u].score.index_text().len())
        .max()
        .unwrap_or(0)
        .max(6);
    let with_diff = width >= 24 + 14 + 2 * (index_w - 6);
    let fixed = |band: bool| {
        17 + 2 * (index_w - 6) + if with_diff { 7 } else { 0 } + if band { 11 } else { 0 }
    };
    // Last year's index, where it is known and the names keep room (their
    // whole width, or 14 columns); the band gives way first.
    let names_need = super::longest_name(app, &shown, width.saturating_sub(fixed(false) + 8));
    let last_year = s
        .previous
        .as_ref()
        .filter(|_| width.saturating_sub(fixed(false) + 8) >= names_need.min(14));
    let fixed = |band: bool| fixed(band) + if last_year.is_some() { 8 } else { 0 };
    let longest = super::longest_name(app, &shown, width.saturating_sub(fixed(true)));
    let wide = width >= 52 && width.saturating_sub(fixed(true)) >= longest;
    let name_w = width.saturating_sub(fixed(wide)).max(6);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{} {} {} {} {}{}{}",
            rpad(w.col_rank, 3),
            pad("", 3),
            pad(w.col_unit, name_w),
            rpad(w.col_index, index_w),
            if with_diff {
                rpad(w.col_diff, index_w)
            } else {
                String::new()
            },
            if last_year.is_some() {
                format!("   {}", rpad(w.col_last_year, 7))
            } else {
                String::new()
            },
            if wide {
                format!("  {}", pad(w.col_band, 10))
            } else {
                String::new()
            }
        ),
        t.dim(),
    ))];
    let names = unit_names(app, &shown, name_w);
    // A self-assessment standing out above the council's: its gap in the warning's colour.
    let standing_out = crate::compare::standing_out_in(&s.standings, s.group);
    for (&u, name) in shown.iter().zip(names) {
        let st = &s.standings.units[u];
        let fw = c.framework_of(u);
        let (mv_text, mv_style) = match s.moves[u] {
            m if m > 0 => (format!("▲{m}"), t.raised()),
            m if m < 0 => (format!("▼{}", -m), t.lowered()),
            _ => (String::new(), Style::new()),
        };
        let (diff_text, diff_style) = match st.score.index_diff_hundredths(&st.self_score) {
            d if d < 0 && standing_out.contains(&u) => {
                (format!("-{}", crate::Points(-d)), t.warn())
            }
            d if d < 0 => (format!("-{}", crate::Points(-d)), t.lowered()),
            d if d > 0 => (format!("+{}", crate::Points(d)), t.raised()),
            _ => (String::new(), Style::new()),
        };
        let mark = if !c.submitted(u) {
            "∅"
        } else if s.link.appraisal().open_flags(c, u).next().is_some() {
            "!"
        } else {
            " "
        };
        let mut row_style = Style::new();
        if s.look.last_change.is_some_and(|(lu, _)| lu == u) {
            row_style = t.just_changed();
        }
        if u == s.unit {
            row_style = row_style.patch(t.selected());
        }
        let mut spans = vec![
            Span::raw(format!("{} ", rpad(&st.rank.to_string(), 3))),
            Span::styled(pad(&mv_text, 3), mv_style),
            Span::raw(format!(" {} ", pad(&name, name_w))),
            Span::raw(rpad(&st.score.index_text(), index_w)),
            Span::raw(if with_diff { " " } else { "" }),
            Span::styled(
                if with_diff {
                    rpad(&diff_text, index_w)
                } else {
                    String::new()
                },
                diff_style,
            ),
            Span::styled(format!(" {mark}"), t.warn()),
        ];
        if let Some(p) = last_year {
            let text = crate::compare::before(c, u, &st.score, p)
                .map(|b| crate::Points(b.index).to_string())
                .unwrap_or_default();
            spans.push(Span::styled(format!(" {}", rpad(&text, 7)), t.dim()));
        }
        if wide {
            spans.push(Span::raw(format!(" {}", pad(&fw.bands[st.band].name, 10))));
        }
        lines.push(Line::from(spans).style(row_style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
