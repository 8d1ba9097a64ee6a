//! The selected unit's criteria: fields (folding) with subtotals, leaves with max, self, appraised points and marks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{pad, rpad, scroll_offset};
use crate::appraisal::{Direction, self_value};
use crate::i18n::fill;
use crate::model::Rule;
use crate::tui::app::{App, Focus, Row};
use crate::tui::theme::Theme;

/// Marks of a leaf, each a symbol so that colour is never the only signal.
pub fn marks(app: &App, unit: usize, leaf: usize) -> String {
    let s = &app.main;
    let c = &s.council;
    let l = &c.framework_of(unit).leaves[leaf];
    let claim = &c.assessments[unit].claims[leaf];
    let decided = s.link.appraisal().decisions.contains_key(&(unit, leaf));
    let v = s.value(unit, leaf);
    let mut m = String::new();
    if l.rule == Rule::Survey {
        m.push('S');
    }
    if s.link.state().meeting.pending.contains_key(&(unit, leaf)) {
        // A decision waits for a second member's confirmation.
        m.push('⧗');
    }
    if decided {
        m.push('✓');
    }
    if v != self_value(c, unit, leaf) {
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

/// The style of a change: lowered red, raised green, otherwise plain.
pub fn direction_style(t: &Theme, d: Direction) -> Style {
    match d {
        Direction::Lowered => t.lowered(),
        Direction::Raised => t.raised(),
        Direction::Same | Direction::Applicability => Style::new(),
    }
}

/// A leaf's self and appraised points as shown (`–` when not applicable), and
/// the style of the appraised figure.
pub fn cells(app: &App, unit: usize, leaf: usize) -> (String, String, Style) {
    let s = &app.main;
    let own = self_value(&s.council, unit, leaf);
    let v = s.value(unit, leaf);
    let show = |v: crate::score::Value| {
        if v.na {
            "–".to_string()
        } else {
            v.points.short()
        }
    };
    let style = direction_style(&s.theme, Direction::of(own, v));
    let own_shown = if crate::appraisal::self_assessed(&s.council, unit, leaf) {
        show(own)
    } else {
        "·".to_string()
    };
    (own_shown, show(v), style)
}

/// The rounds closed before the current one that a pane shows: the last
/// two on a wide pane, the last one on a narrow one.
pub fn closed_rounds(app: &App, wide: bool) -> Vec<i64> {
    let round = app.main.link.state().round();
    let keep = if wide { 2 } else { 1 };
    ((round - keep).max(1)..round).collect()
}

/// A leaf's value after round `r` and its explanation mark (`✎` explained,
/// `?` asked): the two cells of that round in the tree and across units.
pub fn round_cells(app: &App, u: usize, l: usize, r: i64, num: usize) -> [Span<'static>; 2] {
    let s = &app.main;
    let c = &s.council;
    let then = s.link.state().value_after(c, u, l, r);
    let shown = if then.na {
        "–".to_string()
    } else {
        then.points.short()
    };
    let mark = if c.explained(u, &c.framework_of(u).leaves[l].code, r) {
        "✎"
    } else if s.link.state().asked(u, l, r) {
        "?"
    } else {
        ""
    };
    [
        Span::raw(rpad(&shown, num)),
        Span::styled(rpad(mark, 3), s.theme.warn()),
    ]
}

/// The titles of the closed rounds' columns: `L1  GT` per round.
pub fn rounds_head(app: &App, closed: &[i64], num: usize) -> String {
    let w = app.main.words();
    let mut head = String::new();
    for r in closed {
        head += &rpad(&fill(w.col_round, &[r]), num);
        head += &rpad(w.col_explained, 3);
    }
    head
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let u = s.unit;
    let fw = c.framework_of(u);
    let st = &s.standings.units[u];
    let focused = s.focus == Focus::Tree && app.layers.is_empty();
    let block = super::pane(app, format!(" {} ", c.units[u].name), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let summary = format!(
        "{} {} ({} {}) · {} · {} {}/{}{}",
        w.col_index,
        st.score.index_text(),
        w.self_word,
        st.self_score.index_text(),
        fw.bands[st.band].name,
        w.rank_word,
        st.rank,
        s.standings.order[c.units[u].group].len(),
        if c.submitted(u) {
            ""
        } else {
            w.not_submitted_mark
        }
    );
    let mut lines = vec![Line::from(Span::styled(
        pad(&summary, width),
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    // Last year's, beside this year's: the units it continues, their index,
    // the change (and their rank and band when it continues one unit).
    if let Some(b) = s
        .previous
        .as_ref()
        .and_then(|p| crate::compare::before(c, u, &st.score, p))
    {
        let change = if b.change > 0 {
            format!("+{}", crate::Points(b.change))
        } else {
            crate::Points(b.change).to_string()
        };
        let mut text = fill(
            w.last_year_line,
            &[&crate::Points(b.index), &change, &b.units.join(", ")],
        );
        if let Some((rank, band)) = &b.rank_band {
            text += &fill(w.last_year_rank, &[rank, band]);
        }
        lines.push(Line::from(Span::styled(pad(&text, width), t.dim())));
    }
    let code_w = fw
        .leaves
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(l.code.as_str()))
        .max()
        .unwrap_or(4)
        .max(4);
    let wide = width >= 70;
    let num = if wide { 9 } else { 6 };
    // After round 1: each closed round's value and its explanation mark
    // before the current round's (the last two closed rounds on a wide pane).
    let round = s.link.state().round();
    let closed = closed_rounds(app, wide);
    let extra = closed.len() * (num + 3);
    // On a narrow pane the rounds take the max's place.
    let max_w = if wide || closed.is_empty() { num } else { 0 };
    let name_w = width
        .saturating_sub(code_w + 3 + num * 2 + max_w + 4 + extra)
        .max(6);
    let head = if wide {
        (w.col_max, w.col_self, w.col_council)
    } else {
        (w.col_max_short, w.col_self_short, w.col_council_short)
    };
    let current = if round > 1 {
        fill(w.col_round, &[&round])
    } else {
        head.2.to_string()
    };
    let rounds_head = rounds_head(app, &closed, num);
    lines.push(Line::from(Span::styled(
        format!(
            "{} {}{}{}{rounds_head}{} ",
            pad(w.col_code, code_w + 2),
            pad(w.col_criterion, name_w),
            rpad(head.0, max_w),
            rpad(head.1, num),
            rpad(&current, num)
        ),
        t.dim(),
    )));
    let rows = s.rows();
    let height = (inner.height as usize).saturating_sub(3);
    let sel = rows.iter().position(|r| *r == s.row).unwrap_or(0);
    let start = scroll_offset(sel, rows.len(), height);
    let fw_index = c.groups[c.units[u].group].framework;
    for row in rows.iter().skip(start).take(height) {
        let mut line = match *row {
            Row::Field(f) => {
                let field = &fw.fields[f];
                let own = crate::score::Score::subtotal(
                    &fw.leaves[field.leaves.clone()],
                    field.leaves.clone().map(|l| self_value(c, u, l)),
                );
                let appr = s.link.appraisal().field_score(c, u, f);
                let arrow = if s.look.folded.contains(&(fw_index, f)) {
                    "▸"
                } else {
                    "▾"
                };
                let style = if appr.total < own.total {
                    t.lowered()
                } else {
                    t.field()
                };
                let mut spans = vec![
                    Span::styled(format!("{arrow} {} ", pad(&field.code, code_w)), t.field()),
                    Span::styled(pad(&field.name, name_w), t.field()),
                    Span::styled(rpad(&appr.max.short(), max_w), t.field()),
                    Span::styled(rpad(&own.total.short(), num), t.field()),
                ];
                for &r in &closed {
                    let then = crate::score::Score::subtotal(
                        &fw.leaves[field.leaves.clone()],
                        field
                            .leaves
                            .clone()
                            .map(|l| s.link.state().value_after(c, u, l, r)),
                    );
                    spans.push(Span::styled(rpad(&then.total.short(), num), t.field()));
                    spans.push(Span::raw("   "));
                }
                spans.push(Span::styled(rpad(&appr.total.short(), num), style));
                Line::from(spans)
            }
            Row::Leaf(l) => {
                let leaf = &fw.leaves[l];
                let (own, appr, appr_style) = cells(app, u, l);
                // A bonus leaf's max is marked +: it adds to the total, not to the max.
                let max = if leaf.rule == crate::model::Rule::Bonus {
                    format!("+{}", leaf.max.short())
                } else {
                    leaf.max.short()
                };
                let mut spans = vec![
                    Span::raw(format!("  {} ", pad(&leaf.code, code_w))),
                    Span::raw(pad(&leaf.name, name_w)),
                    Span::styled(rpad(&max, max_w), t.dim()),
                    Span::raw(rpad(&own, num)),
                ];
                for &r in &closed {
                    spans.extend(round_cells(app, u, l, r, num));
                }
                spans.push(Span::styled(rpad(&appr, num), appr_style));
                spans.push(Span::styled(
                    format!(" {}", pad(&marks(app, u, l), 3)),
                    t.warn(),
                ));
                Line::from(spans)
            }
        };
        if *row == s.row {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    // A total past the max whose index the framework caps says so, right
    // after the figures it explains (the self figures may be cut first).
    let (template, cap) = match st.score.cap.filter(|_| st.score.capped()) {
        Some(cap) => (w.unit_total_capped, cap.short()),
        None => (w.unit_total, String::new()),
    };
    let mut args: Vec<&dyn std::fmt::Display> = vec![&st.score.total, &st.score.max];
    if !cap.is_empty() {
        args.push(&cap);
    }
    args.extend([
        &st.self_score.total as &dyn std::fmt::Display,
        &st.self_score.max,
    ]);
    let total = fill(template, &args);
    let foot = Line::from(Span::styled(
        rpad(&total, width),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    super::with_foot(frame, inner, lines, foot);
}
