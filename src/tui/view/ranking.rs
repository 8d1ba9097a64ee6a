//! The live ranking of the shown group: rank, move, unit, appraised index, change from self, band, marks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pad, rpad};
use crate::i18n::Lang;
use crate::tui::app::{App, Focus};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let c = &app.council;
    let focused = app.focus == Focus::Ranking && app.overlay.is_none();
    let title = match app.lang {
        Lang::Vi => format!(" Xếp hạng · {} ", c.groups[app.group].name),
        Lang::En => format!(" Ranking · {} ", c.groups[app.group].name),
    };
    let block = super::pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let wide = w >= 52;
    // rank 3, move 3, spaces around the name 2, index 6, space 1, change 6, mark 2 (+ band 11).
    let fixed = 24 + if wide { 11 } else { 0 };
    let name_w = w.saturating_sub(fixed).max(6);
    let head = match app.lang {
        Lang::Vi => ("Hg", "Đơn vị", "Chỉ số", "±tự", "Xếp loại"),
        Lang::En => ("#", "Unit", "Index", "±self", "Band"),
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{} {} {} {} {}{}",
            rpad(head.0, 3),
            pad("", 3),
            pad(head.1, name_w),
            rpad(head.2, 6),
            rpad(head.3, 6),
            if wide {
                format!("  {}", pad(head.4, 10))
            } else {
                String::new()
            }
        ),
        t.dim(),
    ))];
    for &u in super::visible_units(app, (inner.height as usize).saturating_sub(1)) {
        let st = &app.standings.units[u];
        let fw = c.framework_of(u);
        let mv = app.moves[u];
        let (mv_text, mv_style) = match mv {
            m if m > 0 => (format!("▲{m}"), t.raised()),
            m if m < 0 => (format!("▼{}", -m), t.lowered()),
            _ => (String::new(), Style::new()),
        };
        let diff = st.score.index_diff_hundredths(&st.self_score);
        let (diff_text, diff_style) = match diff {
            d if d < 0 => (format!("-{}", crate::Points(-d)), t.lowered()),
            d if d > 0 => (format!("+{}", crate::Points(d)), t.raised()),
            _ => ("".to_string(), Style::new()),
        };
        let flagged = app.council.assessments[u]
            .claims
            .iter()
            .enumerate()
            .any(|(l, cl)| cl.flags.any() && !app.state.appraisal.decisions.contains_key(&(u, l)));
        let mark = if !c.submitted(u) {
            "∅"
        } else if flagged {
            "!"
        } else {
            " "
        };
        let mut row_style = Style::new();
        if app.last_change.is_some_and(|(lu, _)| lu == u) {
            row_style = t.just_changed();
        }
        if u == app.unit {
            row_style = row_style.patch(t.selected());
        }
        let mut spans = vec![
            Span::raw(format!("{} ", rpad(&st.rank.to_string(), 3))),
            Span::styled(pad(&mv_text, 3), mv_style),
            Span::raw(format!(" {} ", pad(&c.units[u].name, name_w))),
            Span::raw(rpad(&st.score.index_text(), 6)),
            Span::raw(" "),
            Span::styled(rpad(&diff_text, 6), diff_style),
            Span::styled(format!(" {mark}"), t.warn()),
        ];
        if wide {
            spans.push(Span::raw(format!(" {}", pad(&fw.bands[st.band].name, 10))));
        }
        lines.push(Line::from(spans).style(row_style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
