//! The selected unit's criteria: fields (folding) with subtotals, leaves with max, self, appraised points and marks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pad, rpad, scroll_offset};
use crate::i18n::Lang;
use crate::model::Rule;
use crate::score::Score;
use crate::tui::app::{App, Focus, Row};

/// Marks of a leaf, each a symbol so that colour is never the only signal.
pub fn marks(app: &App, unit: usize, leaf: usize) -> String {
    let c = &app.council;
    let l = &c.framework_of(unit).leaves[leaf];
    let claim = &c.assessments[unit].claims[leaf];
    let decided = app.state.appraisal.decisions.contains_key(&(unit, leaf));
    let v = app.value(unit, leaf);
    let mut m = String::new();
    if l.rule == Rule::Survey {
        m.push('S');
    }
    if decided {
        m.push('✓');
    }
    if v.points != claim.points || v.na != claim.na {
        m.push('≠');
    }
    if v.na {
        m.push('–');
    }
    if claim.flags.no_evidence {
        m.push('!');
    }
    if claim.flags.not_assessed || claim.flags.no_survey {
        m.push('?');
    }
    m
}

/// A leaf's self and appraised points as shown (`–` when not applicable), and
/// the style of the appraised figure: lowered red, raised green.
pub fn cells(app: &App, unit: usize, leaf: usize) -> (String, String, Style) {
    let t = &app.theme;
    let claim = &app.council.assessments[unit].claims[leaf];
    let v = app.value(unit, leaf);
    let show = |na: bool, p: crate::Points| if na { "–".to_string() } else { p.short() };
    let style = if !v.na && !claim.na && v.points < claim.points {
        t.lowered()
    } else if !v.na && v.points > claim.points {
        t.raised()
    } else {
        Style::new()
    };
    (show(claim.na, claim.points), show(v.na, v.points), style)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let c = &app.council;
    let u = app.unit;
    let fw = c.framework_of(u);
    let st = &app.standings.units[u];
    let focused = app.focus == Focus::Tree && app.overlay.is_none();
    let title = format!(" {} ", c.units[u].name);
    let block = super::pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let (index, own, rank, missing) = match app.lang {
        Lang::Vi => ("Chỉ số", "tự chấm", "hạng", " · CHƯA NỘP"),
        Lang::En => ("Index", "self", "rank", " · NOT SUBMITTED"),
    };
    let summary = format!(
        "{index} {} ({own} {}) · {} · {rank} {}/{}{}",
        st.score.index_text(),
        st.self_score.index_text(),
        fw.bands[st.band].name,
        st.rank,
        app.standings.order[c.units[u].group].len(),
        if c.submitted(u) { "" } else { missing }
    );
    let mut lines = vec![Line::from(Span::styled(
        pad(&summary, w),
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    let code_w = fw
        .leaves
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(l.code.as_str()))
        .max()
        .unwrap_or(4)
        .max(4);
    let wide = w >= 70;
    let num = if wide { 9 } else { 6 };
    let name_w = w.saturating_sub(code_w + 3 + num * 3 + 4).max(6);
    let head = match (app.lang, wide) {
        (Lang::Vi, true) => ("Mã", "Tiêu chí", "Tối đa", "Tự chấm", "Hội đồng"),
        (Lang::Vi, false) => ("Mã", "Tiêu chí", "Tđa", "Tự", "HĐ"),
        (Lang::En, _) => ("Code", "Criterion", "Max", "Self", "Council"),
    };
    lines.push(Line::from(Span::styled(
        format!(
            "{} {}{}{}{} ",
            pad(head.0, code_w + 2),
            pad(head.1, name_w),
            rpad(head.2, num),
            rpad(head.3, num),
            rpad(head.4, num)
        ),
        t.dim(),
    )));
    let rows = app.rows();
    let height = (inner.height as usize).saturating_sub(3);
    let sel = rows.iter().position(|r| *r == app.row).unwrap_or(0);
    let start = scroll_offset(sel, rows.len(), height);
    let fw_index = c.groups[c.units[u].group].framework;
    for row in rows.iter().skip(start).take(height) {
        let mut line = match *row {
            Row::Field(f) => {
                let field = &fw.fields[f];
                let leaves = &fw.leaves[field.leaves.clone()];
                let own = Score::subtotal(
                    leaves,
                    field
                        .leaves
                        .clone()
                        .map(|l| crate::appraisal::self_value(c, u, l)),
                );
                let appr = Score::subtotal(leaves, field.leaves.clone().map(|l| app.value(u, l)));
                let arrow = if app.folded.contains(&(fw_index, f)) {
                    "▸"
                } else {
                    "▾"
                };
                let style = if appr.total < own.total {
                    t.lowered()
                } else {
                    t.field()
                };
                Line::from(vec![
                    Span::styled(format!("{arrow} {} ", pad(&field.code, code_w)), t.field()),
                    Span::styled(pad(&field.name, name_w), t.field()),
                    Span::styled(rpad(&appr.max.short(), num), t.field()),
                    Span::styled(rpad(&own.total.short(), num), t.field()),
                    Span::styled(rpad(&appr.total.short(), num), style),
                ])
            }
            Row::Leaf(l) => {
                let leaf = &fw.leaves[l];
                let (own, appr, appr_style) = cells(app, u, l);
                let m = marks(app, u, l);
                Line::from(vec![
                    Span::raw(format!("  {} ", pad(&leaf.code, code_w))),
                    Span::raw(pad(&leaf.name, name_w)),
                    Span::styled(rpad(&leaf.max.short(), num), t.dim()),
                    Span::raw(rpad(&own, num)),
                    Span::styled(rpad(&appr, num), appr_style),
                    Span::styled(format!(" {}", pad(&m, 3)), t.warn()),
                ])
            }
        };
        if *row == app.row {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    let total = match app.lang {
        Lang::Vi => format!(
            "Tổng: {} / {} (tự chấm {} / {})",
            st.score.total, st.score.max, st.self_score.total, st.self_score.max
        ),
        Lang::En => format!(
            "Total: {} / {} (self {} / {})",
            st.score.total, st.score.max, st.self_score.total, st.self_score.max
        ),
    };
    while lines.len() < (inner.height as usize).saturating_sub(1) {
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled(
        rpad(&total, w),
        Style::new().add_modifier(Modifier::BOLD),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}
