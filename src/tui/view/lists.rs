//! The pick lists: a level of the leaf's rule, the recording member.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Clear;

use super::{centered, pick_list};
use crate::i18n::fill;
use crate::tui::app::{App, Levels, Members};

fn framed(frame: &mut Frame, area: Rect, app: &App, title: &str, items: Vec<String>, sel: usize) {
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
    let block = super::layer_block(app, format!(" {title} "));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    pick_list(frame, inner, app, items, sel);
}

pub fn levels(frame: &mut Frame, area: Rect, app: &App, l: &Levels) {
    let items = l
        .choices
        .iter()
        .map(|(p, label)| format!("{}  {label}", super::rpad(&p.short(), 5)))
        .collect();
    framed(
        frame,
        area,
        app,
        app.main.words().pick_level_title,
        items,
        l.sel,
    );
}

pub fn members(frame: &mut Frame, area: Rect, app: &App, m: &Members) {
    let s = &app.main;
    let w = s.words();
    let unit = &s.council.units[s.unit].id;
    let items = s
        .council
        .members
        .iter()
        .map(|m| {
            let conflict = if m.conflicts_with(unit) {
                fill(w.member_conflict, &[&s.short[s.unit]])
            } else {
                String::new()
            };
            let current = if m.id == s.member { "● " } else { "  " };
            format!("{current}{} — {}{conflict}", m.name, m.role)
        })
        .collect();
    framed(frame, area, app, w.members_title, items, m.sel);
}
