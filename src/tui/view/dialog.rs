//! The layers over the screen: the decision box with its comment editor, pick lists, the sign-off confirmation.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{centered, detail::rule_text, pad};
use crate::appraisal::Decided;
use crate::i18n::Lang;
use crate::points::Points;
use crate::tui::app::{App, Dialog, DialogField};

fn frame_block<'a>(app: &App, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, app.theme.title()))
        .border_style(app.theme.focused_border())
}

pub fn decide(frame: &mut Frame, area: Rect, app: &App, d: &Dialog) {
    let t = &app.theme;
    let vi = app.lang == Lang::Vi;
    let c = &app.council;
    let leaf = &c.framework_of(d.unit).leaves[d.leaf];
    let claim = &c.assessments[d.unit].claims[d.leaf];
    let rule = rule_text(&leaf.rule, leaf.max, app.lang);
    let h = (12 + rule.len() as u16).min(area.height);
    let popup = centered(area, 78.min(area.width), h);
    frame.render_widget(Clear, popup);
    let title = format!(
        " {} — {} {} ",
        c.units[d.unit].name,
        if vi { "quyết định" } else { "decision on" },
        leaf.code
    );
    let block = frame_block(app, title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [info, value, comment, foot] = Layout::vertical([
        Constraint::Length(2 + rule.len() as u16),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
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
        "N/A".to_string()
    } else {
        claim.points.short()
    };
    lines.push(Line::from(format!(
        "{} {own}",
        if vi {
            "Đơn vị tự chấm:"
        } else {
            "Self points:"
        }
    )));
    frame.render_widget(Paragraph::new(lines), info);

    let shown = match (&d.typed, &d.value) {
        (Some(s), _) => format!("{s}▏"),
        (None, Decided::Na) => {
            if vi {
                "không áp dụng".into()
            } else {
                "not applicable".into()
            }
        }
        (None, v) => v.show(leaf),
    };
    let own_value = crate::appraisal::self_value(c, d.unit, d.leaf);
    let new_value = d.value.value(leaf);
    let style = if d.field == DialogField::Value {
        t.selected()
    } else {
        Style::new()
    };
    let arrow_style = if !new_value.na && !own_value.na && new_value.points < own_value.points {
        t.lowered()
    } else if new_value.points > own_value.points {
        t.raised()
    } else {
        Style::new()
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(if vi {
                "Điểm thẩm định: "
            } else {
                "Appraised: "
            }),
            Span::styled(format!(" {shown} "), style.add_modifier(Modifier::BOLD)),
            Span::styled(
                if new_value != own_value {
                    if vi {
                        "  ≠ khác điểm tự chấm — cần nhận xét"
                    } else {
                        "  ≠ differs from the self points — comment needed"
                    }
                } else {
                    ""
                },
                arrow_style,
            ),
        ])),
        value,
    );
    let mut editor = d.comment.clone();
    editor.set_block(
        Block::default()
            .borders(Borders::ALL)
            .title(if vi {
                " Nhận xét của Hội đồng "
            } else {
                " Council's comment "
            })
            .border_style(if d.field == DialogField::Comment {
                t.focused_border()
            } else {
                t.border()
            }),
    );
    if d.field != DialogField::Comment {
        editor.set_cursor_style(Style::new());
    }
    frame.render_widget(&editor, comment);
    let foot_line = match &d.error {
        Some(e) => Line::from(Span::styled(format!(" ✗ {e} "), t.error())),
        None => Line::from(Span::styled(
            format!(
                " {} {}  {} {}  {} {}  {} {}",
                app.keymap.key_of(crate::tui::keymap::Mode::Dialog, "save"),
                if vi { "lưu" } else { "save" },
                app.keymap
                    .key_of(crate::tui::keymap::Mode::Dialog, "cancel"),
                if vi { "huỷ" } else { "cancel" },
                app.keymap
                    .key_of(crate::tui::keymap::Mode::Dialog, "next_field"),
                if vi {
                    "điểm ⇄ nhận xét"
                } else {
                    "points ⇄ comment"
                },
                "+/-",
                if vi { "bước" } else { "step" },
            ),
            t.dim(),
        )),
    };
    frame.render_widget(Paragraph::new(foot_line), foot);
}

fn list(frame: &mut Frame, area: Rect, app: &App, title: String, items: Vec<String>, sel: usize) {
    let t = &app.theme;
    let h = (items.len() as u16 + 2).min(area.height);
    let w = items
        .iter()
        .map(|s| unicode_width::UnicodeWidthStr::width(s.as_str()))
        .max()
        .unwrap_or(10)
        .max(30) as u16
        + 4;
    let popup = centered(area, w.min(area.width), h);
    frame.render_widget(Clear, popup);
    let block = frame_block(app, title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let lines: Vec<Line> = items
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let s = pad(&s, inner.width as usize);
            if i == sel {
                Line::from(Span::styled(s, t.selected()))
            } else {
                Line::from(s)
            }
        })
        .collect();
    let start = super::scroll_offset(sel, lines.len(), inner.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((start as u16, 0)), inner);
}

pub fn levels(frame: &mut Frame, area: Rect, app: &App, choices: &[(Points, String)], sel: usize) {
    let items = choices
        .iter()
        .map(|(p, l)| format!("{:>5}  {l}", p.short()))
        .collect();
    list(
        frame,
        area,
        app,
        if app.lang == Lang::Vi {
            " Chọn mức điểm ".into()
        } else {
            " Pick a level ".into()
        },
        items,
        sel,
    );
}

pub fn members(frame: &mut Frame, area: Rect, app: &App, sel: usize) {
    let vi = app.lang == Lang::Vi;
    let unit = &app.council.units[app.unit].id;
    let items = app
        .council
        .members
        .iter()
        .map(|m| {
            let conflict = if m.conflicts.iter().any(|c| c == unit) {
                if vi {
                    "  ⚠ xung đột với đơn vị đang xem"
                } else {
                    "  ⚠ conflict with this unit"
                }
            } else {
                ""
            };
            let current = if m.id == app.member { "● " } else { "  " };
            format!("{current}{} — {}{conflict}", m.name, m.role)
        })
        .collect();
    list(
        frame,
        area,
        app,
        if vi {
            " Thành viên ghi quyết định ".into()
        } else {
            " Recording member ".into()
        },
        items,
        sel,
    );
}

pub fn confirm_signoff(frame: &mut Frame, area: Rect, app: &App, flagged: &[String]) {
    let t = &app.theme;
    let vi = app.lang == Lang::Vi;
    let h = (flagged.len() as u16 + 7).min(area.height);
    let popup = centered(area, 84.min(area.width), h);
    frame.render_widget(Clear, popup);
    let block = frame_block(
        app,
        if vi {
            " Ký duyệt kết quả? ".into()
        } else {
            " Sign off the result? ".into()
        },
    );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    // The keys stay visible however long the list is.
    let [body, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let member = app
        .council
        .member(&app.member)
        .map_or(app.member.as_str(), |m| m.name.as_str());
    let mut lines = vec![Line::from(if vi {
        format!("{member} ký duyệt; sau đó mọi quyết định bị khoá cho đến khi mở lại.")
    } else {
        format!("{member} signs off; after that every decision is locked until reopened.")
    })];
    if flagged.is_empty() {
        lines.push(Line::from(Span::styled(
            if vi {
                "Không còn mục nào bị đánh dấu."
            } else {
                "Nothing is still flagged."
            },
            t.info(),
        )));
    } else {
        lines.push(Line::from(Span::styled(
            if vi {
                "Còn đánh dấu:"
            } else {
                "Still flagged:"
            },
            t.warn(),
        )));
        let room = (body.height as usize).saturating_sub(lines.len() + 1);
        let shown = if flagged.len() > room {
            room.saturating_sub(1)
        } else {
            flagged.len()
        };
        for f in &flagged[..shown] {
            lines.push(Line::from(pad(&format!("  • {f}"), body.width as usize)));
        }
        if shown < flagged.len() {
            lines.push(Line::from(format!("  … +{}", flagged.len() - shown)));
        }
    }
    frame.render_widget(Paragraph::new(lines), body);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(
                    " {} ",
                    app.keymap.key_of(crate::tui::keymap::Mode::Confirm, "yes")
                ),
                t.key(),
            ),
            Span::raw(if vi { "ký duyệt   " } else { "sign off   " }),
            Span::styled(
                format!(
                    " {} ",
                    app.keymap.key_of(crate::tui::keymap::Mode::Confirm, "no")
                ),
                t.key(),
            ),
            Span::raw(if vi { "không" } else { "no" }),
        ])),
        keys,
    );
}

pub fn search(frame: &mut Frame, area: Rect, app: &App, query: &str, sel: usize) {
    let t = &app.theme;
    let vi = app.lang == Lang::Vi;
    let hits = app.search_hits(query);
    let h = (hits.len().min(14) as u16 + 5).min(area.height);
    let popup = centered(area, 80.min(area.width), h);
    frame.render_widget(Clear, popup);
    let block = frame_block(
        app,
        if vi {
            " Tìm đơn vị, tiêu chí ".into()
        } else {
            " Search units and criteria ".into()
        },
    );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [input, list, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("/ ", t.key()),
            Span::raw(format!("{query}▏")),
        ])),
        input,
    );
    let c = &app.council;
    let fw = c.framework_of(app.unit);
    let items: Vec<String> = hits
        .iter()
        .map(|h| match *h {
            crate::tui::app::Hit::Unit(u) => format!(
                "{} — {} ({})",
                c.units[u].name, c.groups[c.units[u].group].name, c.units[u].id
            ),
            crate::tui::app::Hit::Leaf(l) => format!("{} {}", fw.leaves[l].code, fw.leaves[l].name),
        })
        .collect();
    let lines: Vec<Line> = if items.is_empty() && !query.trim().is_empty() {
        vec![Line::from(Span::styled(
            if vi {
                "không tìm thấy"
            } else {
                "nothing found"
            },
            t.dim(),
        ))]
    } else {
        items
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let s = pad(&s, list.width as usize);
                if i == sel {
                    Line::from(Span::styled(s, t.selected()))
                } else {
                    Line::from(s)
                }
            })
            .collect()
    };
    let start = super::scroll_offset(sel, lines.len(), list.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((start as u16, 0)), list);
    frame.render_widget(
        Paragraph::new(Span::styled(
            if vi {
                "↑↓ chọn · Enter đến · Esc đóng · gõ có hoặc không dấu"
            } else {
                "↑↓ choose · Enter go · Esc close · with or without diacritics"
            },
            t.dim(),
        )),
        help,
    );
}
