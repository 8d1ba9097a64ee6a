//! The decision box: the leaf and its rule, the unit's points, the value to
//! record, the reason editor, and the leaf's earlier reasons (never pre-filled).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::centered;
use super::detail::show;
use crate::appraisal::{Decided, Direction, self_value};
use crate::i18n::{fill, rule_text};
use crate::tui::action::Action;
use crate::tui::app::{App, BoxField, DecisionBox};

pub fn render(frame: &mut Frame, area: Rect, app: &App, d: &DecisionBox) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let leaf = &c.framework_of(d.unit).leaves[d.leaf];
    let claim = &c.assessments[d.unit].claims[d.leaf];
    let rule = rule_text(s.look.lang, &leaf.rule, leaf.max);
    let earlier: Vec<_> = s
        .link
        .history(&c.units[d.unit].id, &leaf.code)
        .into_iter()
        .filter(|p| !p.comment.is_empty())
        .rev()
        .take(3)
        .collect();
    let earlier_h = if earlier.is_empty() {
        0
    } else {
        earlier.len() as u16 + 1
    };
    let width = 84.min(area.width);
    // An error is wrapped over up to three lines, so that all of it is read.
    let foot_h = d.error.as_ref().map_or(1, |e| {
        let room = width.saturating_sub(2).max(1) as usize;
        (unicode_width::UnicodeWidthStr::width(e.as_str()) + 4)
            .div_ceil(room)
            .clamp(1, 3) as u16
    });
    let h = (12 + foot_h + rule.len() as u16 + earlier_h).min(area.height);
    let popup = centered(area, width, h);
    frame.render_widget(Clear, popup);
    let title = fill(w.box_title, &[&c.units[d.unit].name, &leaf.code]);
    let block = super::layer_block(app, title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [info, value, reason, past, foot] = Layout::vertical([
        Constraint::Length(2 + rule.len() as u16),
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(earlier_h),
        Constraint::Length(foot_h),
    ])
    .areas(inner);
    let mut lines = vec![Line::from(Span::styled(
        leaf.name.clone(),
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    lines.extend(
        rule.into_iter()
            .map(|r| Line::from(Span::styled(r, t.dim()))),
    );
    let own = if claim.na {
        w.na_short.to_string()
    } else {
        claim.points.short()
    };
    lines.push(Line::from(format!("{}{own}", w.self_points_label)));
    frame.render_widget(Paragraph::new(lines), info);

    let focused = d.field == BoxField::Points;
    let shown = match (&d.typed, &d.value) {
        (Some(typed), _) if focused && !typed.is_empty() => format!("{typed}▏"),
        (Some(_), v) if focused => format!("{}▏", show(app, v, leaf)),
        (_, Decided::Na) => w.not_applicable.to_string(),
        (_, v) => show(app, v, leaf),
    };
    let own_value = self_value(c, d.unit, d.leaf);
    let new_value = d.value.value(leaf);
    let direction = Direction::of(own_value, new_value);
    let field_style = if focused { t.selected() } else { Style::new() };
    let mut value_lines = vec![Line::from(vec![
        Span::styled(
            w.appraised_label,
            if focused { t.field() } else { Style::new() },
        ),
        Span::styled(
            format!(" {shown} "),
            field_style.add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            if direction == Direction::Same {
                ""
            } else {
                w.differs_needs_reason
            },
            super::tree::direction_style(t, direction),
        ),
    ])];
    if focused {
        value_lines.push(Line::from(Span::styled(w.points_field_hint, t.dim())));
    }
    frame.render_widget(Paragraph::new(value_lines), value);

    let mut editor = d.reason.clone();
    editor.set_block(
        Block::default()
            .borders(Borders::ALL)
            .title(w.reason_title)
            .border_style(if d.field == BoxField::Reason {
                t.focused_border()
            } else {
                t.border()
            }),
    );
    if d.field != BoxField::Reason {
        editor.set_cursor_style(Style::new());
    }
    frame.render_widget(&editor, reason);

    if !earlier.is_empty() {
        let mut lines = vec![Line::from(Span::styled(w.earlier_reasons, t.field()))];
        for p in &earlier {
            lines.push(Line::from(Span::styled(
                super::fit(
                    &format!(
                        "  {} {}: {}",
                        s.time(&p.at),
                        s.member_name(&p.member),
                        p.comment.replace('\n', " ")
                    ),
                    past.width as usize,
                ),
                t.dim(),
            )));
        }
        frame.render_widget(Paragraph::new(lines), past);
    }

    let mode = app.mode();
    let foot_line = match &d.error {
        Some(e) => Line::from(Span::styled(format!(" ✗ {e} "), t.error())),
        None => {
            let mut spans = Vec::new();
            let actions: &[Action] = match d.field {
                BoxField::Points => &[
                    Action::Save,
                    Action::Cancel,
                    Action::NextField,
                    Action::StepUp,
                    Action::StepDown,
                    Action::ToggleNa,
                ],
                BoxField::Reason => &[
                    Action::Save,
                    Action::Cancel,
                    Action::NextField,
                    Action::ToggleNa,
                ],
            };
            for a in actions {
                spans.extend(super::hint(app, mode, a));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(
        Paragraph::new(foot_line).wrap(ratatui::widgets::Wrap { trim: false }),
        foot,
    );
}
