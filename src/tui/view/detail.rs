//! The leaf in detail: its rule, guide, the unit's claim and note, evidence, the
//! council's decision and the leaf's history; scrolls when it is longer than the pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::i18n::{fill, rule_kind, rule_text};
use crate::tui::app::{App, Row};

/// Lines of a multi-line text after a label: the first beside it, the rest indented.
fn labelled<'a>(label: Span<'a>, text: &str, out: &mut Vec<Line<'a>>) {
    let mut parts = text.lines();
    out.push(Line::from(vec![
        label,
        Span::raw(parts.next().unwrap_or("").to_string()),
    ]));
    out.extend(parts.map(|p| Line::from(format!("  {p}"))));
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.main;
    let (t, w) = (&s.theme, s.words());
    let lines = lines(app);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(w.detail_title, t.title()))
        .border_style(t.border());
    let inner = block.inner(area);
    // How far it can scroll: the wrapped height beyond the pane (measured, not guessed).
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = para.line_count(inner.width) as u16;
    let max_scroll = total.saturating_sub(inner.height);
    let scroll = s.detail_scroll.min(max_scroll);
    let block = if max_scroll > 0 {
        block.title_bottom(
            Line::from(Span::styled(
                fill(
                    w.detail_more,
                    &[
                        &app.keymap.key_of(
                            crate::tui::keymap::Mode::Main,
                            &crate::tui::action::Action::DetailDown,
                        ),
                        &app.keymap.key_of(
                            crate::tui::keymap::Mode::Main,
                            &crate::tui::action::Action::DetailUp,
                        ),
                    ],
                ),
                t.dim(),
            ))
            .right_aligned(),
        )
    } else {
        block
    };
    frame.render_widget(block, area);
    frame.render_widget(para.scroll((scroll, 0)), inner);
}

fn lines(app: &App) -> Vec<Line<'static>> {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let u = s.unit;
    let fw = c.framework_of(u);
    let mut lines: Vec<Line> = Vec::new();
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let label = |x: &str| Span::styled(x.to_string(), t.field());
    if let Some(m) = c.member(&s.member)
        && m.conflicts_with(&c.units[u].id)
    {
        lines.push(Line::from(Span::styled(
            fill(w.conflict_here, &[&m.name]),
            t.error(),
        )));
    }
    let l = match s.row {
        Row::Leaf(l) => l,
        Row::Field(f) => {
            let field = &fw.fields[f];
            lines.push(Line::from(Span::styled(
                format!("{} {}", field.code, field.name),
                bold,
            )));
            lines.push(Line::from(fill(
                w.field_counts,
                &[&field.criteria.len(), &field.leaves.len()],
            )));
            return lines;
        }
    };
    let leaf = &fw.leaves[l];
    let claim = &c.assessments[u].claims[l];
    lines.push(Line::from(Span::styled(
        format!("{} {}", leaf.code, leaf.name),
        bold,
    )));
    lines.push(Line::from(vec![
        label(w.rule_label),
        Span::raw(format!(
            "{} · {} {}{}",
            rule_kind(s.look.lang, &leaf.rule),
            w.max_word,
            leaf.max.short(),
            if leaf.na { w.may_be_na } else { "" }
        )),
    ]));
    for r in rule_text(s.look.lang, &leaf.rule, leaf.max) {
        lines.push(Line::from(Span::styled(r, t.dim())));
    }
    if let Some(g) = &leaf.guide {
        labelled(label(w.guide_label), g, &mut lines);
    }
    if let Some(e) = &leaf.evidence {
        lines.push(Line::from(vec![
            label(w.expected_evidence),
            Span::raw(e.clone()),
        ]));
    }
    let own = if claim.flags.not_assessed {
        w.self_not_given.to_string()
    } else if claim.na {
        w.na_short.to_string()
    } else {
        claim.points.short()
    };
    let mut claim_line = vec![label(w.self_points_label), Span::styled(own, bold)];
    if let Some((n, d)) = claim.ratio
        && d > 0
    {
        claim_line.push(Span::raw(format!(
            "  ({n}/{d} = {}%)",
            crate::Points(crate::points::div_round_half_up(n as i128 * 10_000, d as i128) as i64)
        )));
    }
    if claim.flags.not_assessed {
        claim_line.push(Span::styled(w.not_self_assessed, t.warn()));
    }
    if claim.flags.no_survey {
        claim_line.push(Span::styled(w.no_survey_result, t.warn()));
    }
    lines.push(Line::from(claim_line));
    if let Some(n) = &claim.note {
        labelled(label(w.note_label), n, &mut lines);
    }
    if claim.evidence.is_empty() {
        if claim.flags.no_evidence {
            lines.push(Line::from(Span::styled(w.no_evidence_warning, t.warn())));
        }
    } else {
        lines.push(Line::from(label(w.evidence_label)));
        for e in &claim.evidence {
            let mut x = vec![Span::raw(format!("  • {}", e.reference()))];
            if let Some(ti) = e.title() {
                x.push(Span::styled(format!(" — {ti}"), t.dim()));
            }
            if let Some(f) = e.file() {
                x.push(if e.file_exists {
                    Span::styled(format!(" [✓ {f}]"), t.info())
                } else {
                    Span::styled(format!(" [✗ {} {f}]", w.file_missing), t.warn())
                });
            }
            if let Some(url) = e.url() {
                x.push(Span::styled(format!(" {url}"), t.dim()));
            }
            lines.push(Line::from(x));
        }
    }
    match s.link.appraisal().decisions.get(&(u, l)) {
        Some(d) => {
            lines.push(Line::from(vec![
                label(w.council_label),
                Span::styled(show(app, &d.value, leaf), bold),
                Span::styled(
                    format!("  ({}, {})", s.member_name(&d.member), s.time(&d.at)),
                    t.dim(),
                ),
                Span::styled(
                    d.confirmed_by.as_deref().map_or(String::new(), |by| {
                        fill(w.confirmed_by_label, &[&s.member_name(by)])
                    }),
                    t.dim(),
                ),
            ]));
            if !d.comment.is_empty() {
                labelled(label(w.comment_label), &d.comment, &mut lines);
            }
        }
        None => lines.push(Line::from(Span::styled(w.not_reviewed, t.dim()))),
    }
    if let Some(p) = s.link.state().meeting.pending.get(&(u, l)) {
        let proposed = p
            .after
            .as_deref()
            .and_then(crate::appraisal::Decided::decode);
        lines.push(Line::from(vec![
            Span::styled(w.pending_label, t.warn()),
            Span::styled(s.show_value(proposed.as_ref(), leaf), bold),
            Span::styled(
                format!("  ({}, {})", s.member_name(&p.member), s.time(&p.at)),
                t.dim(),
            ),
        ]));
        if !p.comment.is_empty() {
            labelled(label(w.comment_label), &p.comment, &mut lines);
        }
    }
    rounds(app, u, l, &mut lines);
    let history = s.link.history(&c.units[u].id, &leaf.code);
    if !history.is_empty() {
        lines.push(Line::from(label(w.history_label)));
        for p in history.iter().rev() {
            let value = |v: &Option<crate::appraisal::Decided>| s.show_value(v.as_ref(), leaf);
            let kind = match p.kind {
                crate::tui::app::PastKind::Decide => w.kind_decide,
                crate::tui::app::PastKind::Undo => w.kind_undo,
                crate::tui::app::PastKind::Redo => w.kind_redo,
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "  {} {} {kind}: {} → {}",
                    s.time(&p.at),
                    s.member_name(&p.member),
                    value(&p.before),
                    value(&p.after)
                ),
                t.dim(),
            )));
            if !p.comment.is_empty() {
                // One line each: the reason in force is written out in full above.
                let one = p.comment.replace('\n', " ");
                lines.push(Line::from(Span::styled(
                    format!("    “{}”", super::fit(&one, 200)),
                    t.dim(),
                )));
            }
        }
    }
    lines
}

/// Each round's value of the leaf (after round 1), the explanations asked
/// of the unit and what it answered, with its evidence.
fn rounds(app: &App, u: usize, l: usize, lines: &mut Vec<Line<'static>>) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let leaf = &c.framework_of(u).leaves[l];
    let state = s.link.state();
    let label = |x: String| Span::styled(x, t.field());
    if state.round() > 1
        && let Some(by_round) = state.by_round.get(&(u, l))
    {
        lines.push(Line::from(label(w.rounds_label.to_string())));
        for (r, d) in by_round {
            let mut x = vec![Span::raw(format!("  {}: ", fill(w.col_round, &[r])))];
            match d {
                Some(d) => {
                    x.push(Span::raw(show(app, &d.value, leaf)));
                    x.push(Span::styled(
                        format!("  ({}, {})", s.member_name(&d.member), s.time(&d.at)),
                        t.dim(),
                    ));
                    if !d.comment.is_empty() {
                        x.push(Span::styled(
                            format!(" “{}”", super::fit(&d.comment.replace('\n', " "), 200)),
                            t.dim(),
                        ));
                    }
                }
                None => x.push(Span::raw(w.self_word.to_string())),
            }
            lines.push(Line::from(x));
        }
    }
    for r in state.asks.get(&(u, l)).into_iter().flatten() {
        labelled(
            label(fill(w.asked_label, &[&r.round, &s.member_name(&r.member)])),
            &r.text,
            lines,
        );
    }
    for e in c.explanations.iter().filter(|e| e.unit == u) {
        let Some(item) = e.items.iter().find(|i| i.leaf == l) else {
            continue;
        };
        labelled(
            label(fill(w.explained_label, &[&e.round])),
            &item.text,
            lines,
        );
        for ev in &item.evidence {
            let mut x = vec![Span::raw(format!("  • {}", ev.reference()))];
            if let Some(f) = ev.file() {
                x.push(if ev.file_exists {
                    Span::styled(format!(" [✓ {f}]"), t.info())
                } else {
                    Span::styled(format!(" [✗ {} {f}]", w.file_missing), t.warn())
                });
            }
            lines.push(Line::from(x));
        }
    }
}

/// A decided value as a person reads it, in the screen's language.
pub fn show(app: &App, d: &crate::appraisal::Decided, leaf: &crate::model::Leaf) -> String {
    app.main.show_value(Some(d), leaf)
}
