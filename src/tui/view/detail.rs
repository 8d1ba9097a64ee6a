//! The leaf in detail: its rule, guide, the unit's claim and note, evidence, the council's decision, history.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::i18n::Lang;
use crate::model::Rule;
use crate::tui::app::{App, Row};

/// The scoring rule of a leaf in words.
pub fn rule_text(rule: &Rule, max: crate::Points, lang: Lang) -> Vec<String> {
    let vi = lang == Lang::Vi;
    match rule {
        Rule::Levels(levels) => levels
            .iter()
            .map(|l| format!("  {} = {}", l.points.short(), l.label))
            .collect(),
        Rule::Range => vec![if vi {
            format!("  từ 0 đến {}", max.short())
        } else {
            format!("  from 0 to {}", max.short())
        }],
        Rule::Ratio(bands) => {
            let mut v: Vec<String> = bands
                .iter()
                .map(|b| format!("  ≥ {}% → {}", b.min.short(), b.points.short()))
                .collect();
            v.push(if vi {
                "  dưới mọi ngưỡng → 0".into()
            } else {
                "  below every band → 0".into()
            });
            v
        }
        Rule::Deduction { min } => vec![if vi {
            format!("  điểm trừ từ {} đến 0", min.short())
        } else {
            format!("  a deduction from {} to 0", min.short())
        }],
        Rule::Survey => vec![if vi {
            "  lấy từ kết quả khảo sát; Hội đồng không chấm".into()
        } else {
            "  from the survey; read-only".into()
        }],
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let c = &app.council;
    let u = app.unit;
    let vi = app.lang == Lang::Vi;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            if vi { " Chi tiết " } else { " Detail " },
            t.title(),
        ))
        .border_style(t.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let fw = c.framework_of(u);
    let mut lines: Vec<Line> = Vec::new();
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let label = |s: &str| Span::styled(s.to_string(), t.field());
    if let Some(m) = c.member(&app.member)
        && m.conflicts.iter().any(|x| x == &c.units[u].id)
    {
        lines.push(Line::from(Span::styled(
            if vi {
                format!("⚠ {} không được quyết định đối với đơn vị này (xung đột); nhấn m để chọn thành viên khác", m.name)
            } else {
                format!("⚠ {} may not decide on this unit (conflict); press m to choose another member", m.name)
            },
            t.error(),
        )));
    }
    let Row::Leaf(l) = app.row else {
        if let Row::Field(f) = app.row {
            let field = &fw.fields[f];
            lines.push(Line::from(Span::styled(
                format!("{} {}", field.code, field.name),
                bold,
            )));
            lines.push(Line::from(if vi {
                format!(
                    "{} tiêu chí, {} tiêu chí thành phần",
                    field.criteria.len(),
                    field.leaves.len()
                )
            } else {
                format!(
                    "{} criteria, {} leaves",
                    field.criteria.len(),
                    field.leaves.len()
                )
            }));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    };
    let leaf = &fw.leaves[l];
    let claim = &c.assessments[u].claims[l];
    lines.push(Line::from(Span::styled(
        format!("{} {}", leaf.code, leaf.name),
        bold,
    )));
    lines.push(Line::from(vec![
        label(if vi { "Cách chấm: " } else { "Rule: " }),
        Span::raw(format!(
            "{} · {} {}",
            leaf.rule.kind(),
            if vi { "tối đa" } else { "max" },
            leaf.max.short()
        )),
        Span::raw(if leaf.na {
            if vi {
                " · được phép không áp dụng"
            } else {
                " · may be N/A"
            }
        } else {
            ""
        }),
    ]));
    for r in rule_text(&leaf.rule, leaf.max, app.lang) {
        lines.push(Line::from(Span::styled(r, t.dim())));
    }
    if let Some(g) = &leaf.guide {
        let mut parts = g.lines();
        lines.push(Line::from(vec![
            label(if vi { "Hướng dẫn: " } else { "Guide: " }),
            Span::raw(parts.next().unwrap_or("").to_string()),
        ]));
        lines.extend(parts.map(|p| Line::from(format!("  {p}"))));
    }
    if let Some(e) = &leaf.evidence {
        lines.push(Line::from(vec![
            label(if vi {
                "Tài liệu cần có: "
            } else {
                "Expected evidence: "
            }),
            Span::raw(e.clone()),
        ]));
    }
    let own = if claim.na {
        "N/A".to_string()
    } else {
        claim.points.short()
    };
    let mut claim_line = vec![
        label(if vi {
            "Đơn vị tự chấm: "
        } else {
            "Self points: "
        }),
        Span::styled(own, bold),
    ];
    if let Some((n, d)) = claim.ratio
        && d > 0
    {
        claim_line.push(Span::raw(format!(
            "  ({n}/{d} = {}%)",
            crate::Points(crate::points::div_round_half_up(n as i128 * 10_000, d as i128) as i64)
        )));
    }
    if claim.flags.not_assessed {
        claim_line.push(Span::styled(
            if vi {
                "  ? không tự chấm"
            } else {
                "  ? not self-assessed"
            },
            t.warn(),
        ));
    }
    if claim.flags.no_survey {
        claim_line.push(Span::styled(
            if vi {
                "  ? thiếu kết quả khảo sát"
            } else {
                "  ? no survey result"
            },
            t.warn(),
        ));
    }
    lines.push(Line::from(claim_line));
    if let Some(n) = &claim.note {
        let mut parts = n.lines();
        lines.push(Line::from(vec![
            label(if vi {
                "Giải trình: "
            } else {
                "Unit's note: "
            }),
            Span::raw(parts.next().unwrap_or("").to_string()),
        ]));
        lines.extend(parts.map(|p| Line::from(format!("  {p}"))));
    }
    if claim.evidence.is_empty() {
        if claim.flags.no_evidence {
            lines.push(Line::from(Span::styled(
                if vi {
                    "! Không có tài liệu kiểm chứng (điểm không được chứng minh thường chấm 0)"
                } else {
                    "! No evidence (points nothing proves usually get 0)"
                },
                t.warn(),
            )));
        }
    } else {
        lines.push(Line::from(label(if vi {
            "Tài liệu kiểm chứng:"
        } else {
            "Evidence:"
        })));
        for e in &claim.evidence {
            let mut s = vec![Span::raw(format!("  • {}", e.reference))];
            if let Some(ti) = &e.title {
                s.push(Span::styled(format!(" — {ti}"), t.dim()));
            }
            if let Some(f) = &e.file {
                s.push(if e.file_exists {
                    Span::styled(format!(" [✓ {f}]"), t.info())
                } else {
                    Span::styled(
                        format!(" [✗ {} {f}]", if vi { "thiếu tệp" } else { "missing" }),
                        t.warn(),
                    )
                });
            }
            if let Some(url) = &e.url {
                s.push(Span::styled(format!(" {url}"), t.dim()));
            }
            lines.push(Line::from(s));
        }
    }
    match app.state.appraisal.decisions.get(&(u, l)) {
        Some(d) => {
            let who = c
                .member(&d.member)
                .map_or(d.member.as_str(), |m| m.name.as_str());
            lines.push(Line::from(vec![
                label(if vi { "Hội đồng: " } else { "Council: " }),
                Span::styled(d.value.show(leaf), bold),
                Span::styled(
                    format!(
                        "  ({who}, {})",
                        &d.at[..16.min(d.at.len())].replace('T', " ")
                    ),
                    t.dim(),
                ),
            ]));
            if !d.comment.is_empty() {
                let mut parts = d.comment.lines();
                lines.push(Line::from(vec![
                    label(if vi { "Nhận xét: " } else { "Comment: " }),
                    Span::raw(parts.next().unwrap_or("").to_string()),
                ]));
                lines.extend(parts.map(|p| Line::from(format!("  {p}"))));
            }
        }
        None => lines.push(Line::from(Span::styled(
            if vi {
                "Hội đồng: chưa xem xét"
            } else {
                "Council: not yet reviewed"
            },
            t.dim(),
        ))),
    }
    let history: Vec<&crate::session::Event> = app
        .events
        .iter()
        .filter(|e| {
            e.unit.as_deref() == Some(c.units[u].id.as_str())
                && e.code.as_deref() == Some(leaf.code.as_str())
        })
        .collect();
    if !history.is_empty() {
        lines.push(Line::from(label(if vi {
            "Lịch sử:"
        } else {
            "History:"
        })));
        for e in history.iter().rev().take(6) {
            let show = |v: &Option<String>| {
                v.as_deref()
                    .and_then(crate::appraisal::Decided::decode)
                    .map_or_else(
                        || {
                            if vi {
                                "tự chấm".into()
                            } else {
                                "self".into()
                            }
                        },
                        |d| d.show(leaf),
                    )
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "  {} {} {}: {} → {}",
                    &e.at[..16.min(e.at.len())].replace('T', " "),
                    e.member,
                    e.kind,
                    show(&e.before),
                    show(&e.after)
                ),
                t.dim(),
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
