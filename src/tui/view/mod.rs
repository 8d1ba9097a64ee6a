//! Drawing the screen: a pure function of the state, one file per region.

mod across;
mod confirm;
mod decide;
mod detail;
mod footer;
mod header;
mod help;
mod lists;
mod overview;
mod password;
mod ranking;
mod search;
pub mod tree;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::tui::app::{App, Layer, View};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(area);
    header::render(frame, head, app);
    footer::render(frame, foot, app);
    // The middle shows the unit's criteria, one leaf across units, or the overview.
    let middle = |frame: &mut Frame, r: Rect| match app.main.view {
        View::Unit => tree::render(frame, r, app),
        View::Across => across::render(frame, r, app),
        View::Overview => overview::render(frame, r, app),
    };
    if app.main.presenter {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(body);
        ranking::render(frame, left, app);
        middle(frame, right);
    } else if app.main.view == View::Overview {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(body);
        ranking::render(frame, left, app);
        middle(frame, right);
    } else if body.width >= 140 {
        let [left, mid, right] = Layout::horizontal([
            Constraint::Percentage(34),
            Constraint::Percentage(36),
            Constraint::Percentage(30),
        ])
        .areas(body);
        ranking::render(frame, left, app);
        middle(frame, mid);
        detail::render(frame, right, app);
    } else {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(44), Constraint::Percentage(56)])
                .areas(body);
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
        ranking::render(frame, left, app);
        middle(frame, top);
        detail::render(frame, bottom, app);
    }
    if app.main.presenter {
        // What the room must read, heavier.
        frame.buffer_mut().set_style(
            body,
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        );
    }
    for layer in &app.layers {
        match layer {
            Layer::Help(h) => help::render(frame, area, app, h.scroll),
            Layer::Decide(d) => decide::render(frame, area, app, d),
            Layer::Levels(l) => lists::levels(frame, area, app, l),
            Layer::Members(m) => lists::members(frame, area, app, m),
            Layer::Confirm(c) => confirm::render(frame, area, app, c),
            Layer::Search(s) => search::render(frame, area, app, s),
            Layer::Password(p) => password::render(frame, area, app, p),
        }
    }
}

/// A unit's name in at most `width` columns: the full name when it fits, else
/// the short one (which tells it from the rest of its group).
pub fn unit_name(app: &App, unit: usize, width: usize) -> String {
    let full = &app.main.council.units[unit].name;
    if full.width() <= width {
        full.clone()
    } else {
        fit(&app.main.short[unit], width)
    }
}

/// The frame of a layer: its title and a bright border.
pub fn layer_block<'a>(app: &App, title: String) -> ratatui::widgets::Block<'a> {
    ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .title(ratatui::text::Span::styled(title, app.main.theme.title()))
        .border_style(app.main.theme.focused_border())
}

/// A list with one selected line, scrolled to keep it in view.
pub fn pick_list(frame: &mut Frame, area: Rect, app: &App, items: Vec<String>, sel: usize) {
    use ratatui::text::{Line, Span};
    let lines: Vec<Line> = items
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let s = pad(&s, area.width as usize);
            if i == sel {
                Line::from(Span::styled(s, app.main.theme.selected()))
            } else {
                Line::from(s)
            }
        })
        .collect();
    let start = scroll_offset(sel, lines.len(), area.height as usize);
    frame.render_widget(
        ratatui::widgets::Paragraph::new(lines).scroll((start as u16, 0)),
        area,
    );
}

/// The hint of a key in a mode: ` key words`, from the key map.
pub fn hint(
    app: &App,
    mode: crate::tui::keymap::Mode,
    action: &crate::tui::action::Action,
) -> Vec<ratatui::text::Span<'static>> {
    use ratatui::text::Span;
    let words = crate::tui::keymap::describe(action, app.main.lang);
    let short = words
        .split([',', '(', ':', '/'])
        .next()
        .unwrap_or(words)
        .trim();
    vec![
        Span::styled(
            format!(" {}", app.keymap.key_of(mode, action)),
            app.main.theme.key(),
        ),
        Span::raw(format!(" {short} ")),
    ]
}

/// The frame of a pane: its title, and a brighter border when it has the focus.
pub fn pane<'a>(app: &App, title: String, focused: bool) -> ratatui::widgets::Block<'a> {
    let t = &app.main.theme;
    ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .title(ratatui::text::Span::styled(title, t.title()))
        .border_style(if focused {
            t.focused_border()
        } else {
            t.border()
        })
}

/// Cuts a text to at most `width` terminal columns, ending with `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads (or cuts) to exactly `width` columns, left-aligned.
pub fn pad(s: &str, width: usize) -> String {
    let s = fit(s, width);
    let w = s.width();
    s + &" ".repeat(width.saturating_sub(w))
}

/// Right-aligned in exactly `width` columns.
pub fn rpad(s: &str, width: usize) -> String {
    let s = fit(s, width);
    let w = s.width();
    " ".repeat(width.saturating_sub(w)) + &s
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The shown group's units in rank order that fit in `height` rows, keeping
/// the selected unit in view.
pub fn visible_units(app: &App, height: usize) -> &[usize] {
    let order = &app.main.standings.order[app.main.group];
    let sel = order.iter().position(|&u| u == app.main.unit).unwrap_or(0);
    let start = scroll_offset(sel, order.len(), height);
    &order[start..(start + height).min(order.len())]
}

/// The first row to show so that `selected` stays visible in `height` rows.
pub fn scroll_offset(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    selected.saturating_sub(height / 2).min(len - height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("Xã Vĩnh Quỳnh", 20), "Xã Vĩnh Quỳnh");
        assert_eq!(fit("Xã Vĩnh Quỳnh", 8), "Xã Vĩnh…");
        assert_eq!(pad("Xã", 5).width(), 5);
        assert_eq!(rpad("9.5", 6), "   9.5");
        // A decomposed letter takes one column, not two.
        assert_eq!(pad("Vi\u{303}nh", 6).width(), 6);
    }
}
