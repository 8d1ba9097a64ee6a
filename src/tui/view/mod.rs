//! Drawing the screen: a pure function of the state, one file per region.

mod across;
mod confirm;
mod decide;
mod detail;
mod footer;
mod glyphs;
mod header;
mod help;
mod lists;
mod meeting;
mod overview;
mod password;
mod progress;
mod queue;
mod ranking;
mod request;
mod search;
pub mod tree;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::tui::app::{App, Layer, View};

/// Where each region of the screen goes at a size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panes {
    pub head: Rect,
    pub body: Rect,
    pub ranking: Rect,
    /// The unit's criteria, the across view or the overview.
    pub middle: Rect,
    /// The leaf's detail, where there is room for it.
    pub detail: Option<Rect>,
    pub foot: Rect,
}

/// The regions of the screen for an area and what is shown.
pub fn panes(area: Rect, app: &App) -> Panes {
    // With an agenda, the header gains a line: now / next / then.
    let head_rows = if app.main.link.state().meeting.agenda.is_empty() {
        1
    } else {
        2
    };
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(head_rows),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(area);
    let split = |left: u16| {
        Layout::horizontal([
            Constraint::Percentage(left),
            Constraint::Percentage(100 - left),
        ])
        .areas::<2>(body)
    };
    let (ranking, middle, detail) = if app.main.look.presenter {
        let [l, r] = split(45);
        (l, r, None)
    } else if matches!(app.main.view, View::Overview | View::Progress) {
        let [l, r] = split(if app.main.view == View::Progress {
            30
        } else {
            40
        });
        (l, r, None)
    } else if body.width >= 140 {
        let [l, m, r] = Layout::horizontal([
            Constraint::Percentage(34),
            Constraint::Percentage(36),
            Constraint::Percentage(30),
        ])
        .areas(body);
        (l, m, Some(r))
    } else {
        let [l, r] = split(44);
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(r);
        (l, top, Some(bottom))
    };
    Panes {
        head,
        body,
        ranking,
        middle,
        detail,
        foot,
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let p = panes(area, app);
    header::render(frame, p.head, app);
    footer::render(frame, p.foot, app);
    ranking::render(frame, p.ranking, app);
    // The middle shows the unit's criteria, one leaf across units, or the overview.
    match app.main.view {
        View::Unit => tree::render(frame, p.middle, app),
        View::Across => across::render(frame, p.middle, app),
        View::Overview => overview::render(frame, p.middle, app),
        View::Queue => queue::render(frame, p.middle, app),
        View::Progress => progress::render(frame, p.middle, app),
        View::Pending => meeting::pending(frame, p.middle, app),
    }
    if let Some(d) = p.detail {
        detail::render(frame, d, app);
    }
    let body = p.body;
    if app.main.look.presenter {
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
            Layer::Request(r) => request::render(frame, area, app, r),
            Layer::Votes(v) => meeting::votes(frame, area, app, v),
            Layer::Agenda(l) => meeting::agenda(frame, area, app, l),
        }
    }
    glyphs::settle(frame.buffer_mut());
}

/// The names of a column of units in at most `width` columns each: the full
/// names when every one fits, else the short ones (which tell the units of a
/// group apart), so that one column never mixes the two.
pub fn unit_names(app: &App, units: &[usize], width: usize) -> Vec<String> {
    let c = &app.main.council;
    if units.iter().all(|&u| c.units[u].name.width() <= width) {
        return units.iter().map(|&u| c.units[u].name.clone()).collect();
    }
    // Short names, cut at a word where one must be cut; where that would
    // make two shown names alike, those two are cut at the width instead.
    let at_words: Vec<String> = units
        .iter()
        .map(|&u| fit_at_word(&app.main.short[u], width))
        .collect();
    at_words
        .iter()
        .zip(units)
        .map(|(n, &u)| {
            if at_words.iter().filter(|m| *m == n).count() > 1 {
                fit(&app.main.short[u], width)
            } else {
                n.clone()
            }
        })
        .collect()
}

/// The longest name `unit_names` would show of these units, in columns
/// (the short names' where the full names do not all fit in `width`).
pub fn longest_name(app: &App, units: &[usize], width: usize) -> usize {
    let c = &app.main.council;
    let full = units.iter().map(|&u| c.units[u].name.width()).max();
    match full {
        Some(w) if w <= width => w,
        _ => units
            .iter()
            .map(|&u| app.main.short[u].width())
            .max()
            .unwrap_or(0),
    }
}

/// Cuts to at most `width` columns after a whole word, with "…"; a first
/// word longer than that is cut within it.
pub fn fit_at_word(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for word in s.split(' ') {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if next.trim_end_matches(',').width() + 1 > width {
            break;
        }
        out = next;
    }
    let out = out.trim_end_matches([',', ' ']);
    if out.is_empty() {
        return fit(s, width);
    }
    format!("{out}…")
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
    let words = crate::tui::keymap::describe(action, app.main.look.lang);
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

/// Draws a pane's lines with a last line at its foot (a hint, a total),
/// the rows between left blank.
pub fn with_foot<'a>(
    frame: &mut Frame,
    inner: Rect,
    mut lines: Vec<ratatui::text::Line<'a>>,
    foot: ratatui::text::Line<'a>,
) {
    while lines.len() < (inner.height as usize).saturating_sub(1) {
        lines.push(ratatui::text::Line::from(""));
    }
    lines.push(foot);
    frame.render_widget(ratatui::widgets::Paragraph::new(lines), inner);
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
pub fn visible_units(app: &App, height: usize) -> Vec<usize> {
    let order = app.main.order();
    let sel = order.iter().position(|&u| u == app.main.unit).unwrap_or(0);
    let start = scroll_offset(sel, order.len(), height);
    order[start..(start + height).min(order.len())].to_vec()
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
