//! Drawing the screen: a pure function of the state, one file per region.

mod across;
mod detail;
mod dialog;
mod footer;
mod header;
mod help;
mod overview;
mod ranking;
pub mod tree;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::tui::app::{App, Overlay, View};

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
    let middle = |frame: &mut Frame, r: Rect| match app.view {
        View::Unit => tree::render(frame, r, app),
        View::Across => across::render(frame, r, app),
        View::Overview => overview::render(frame, r, app),
    };
    if app.presenter {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(body);
        ranking::render(frame, left, app);
        middle(frame, right);
    } else if app.view == View::Overview {
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
    if app.presenter {
        // What the room must read, heavier.
        frame.buffer_mut().set_style(
            body,
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        );
    }
    match &app.overlay {
        Some(Overlay::Help { scroll }) => help::render(frame, area, app, *scroll),
        Some(Overlay::Decide(d)) => dialog::decide(frame, area, app, d),
        Some(Overlay::Levels { choices, sel }) => dialog::levels(frame, area, app, choices, *sel),
        Some(Overlay::Members { sel }) => dialog::members(frame, area, app, *sel),
        Some(Overlay::ConfirmSignoff { flagged }) => {
            dialog::confirm_signoff(frame, area, app, flagged)
        }
        Some(Overlay::Search { query, sel }) => dialog::search(frame, area, app, query, *sel),
        None => {}
    }
}

/// The frame of a pane: its title, and a brighter border when it has the focus.
pub fn pane<'a>(app: &App, title: String, focused: bool) -> ratatui::widgets::Block<'a> {
    let t = &app.theme;
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
    let order = &app.standings.order[app.group];
    let sel = order.iter().position(|&u| u == app.unit).unwrap_or(0);
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
