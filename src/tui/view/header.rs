//! The header: council, recording member, session state, group.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::Lang;
use crate::tui::app::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let c = &app.council;
    let member = c
        .member(&app.member)
        .map_or(app.member.as_str(), |m| m.name.as_str());
    let group = &c.groups[app.group];
    let (state, state_style) = match (&app.state.locked_by, app.lang) {
        (Some((by, _)), Lang::Vi) => (format!("■ ĐÃ KÝ DUYỆT ({by})"), t.locked()),
        (Some((by, _)), Lang::En) => (format!("■ SIGNED OFF ({by})"), t.locked()),
        (None, Lang::Vi) => ("● đang thẩm định".to_string(), t.header()),
        (None, Lang::En) => ("● open".to_string(), t.header()),
    };
    let (m_label, g_label) = match app.lang {
        Lang::Vi => ("Ghi thay:", "Nhóm:"),
        Lang::En => ("Member:", "Group:"),
    };
    let year = c.year.to_string();
    let left = if c.name.contains(&year) {
        format!(" {} ", c.name)
    } else {
        format!(" {} {year} ", c.name)
    };
    use unicode_width::UnicodeWidthStr;
    let full = format!(
        " {m_label} {member} │ {g_label} {} ({}/{}) ",
        group.name,
        app.group + 1,
        c.groups.len()
    );
    // On a narrow screen the council's name keeps at least a third of the line.
    let right = if full.width() + state.width() + 2 > area.width as usize * 2 / 3 {
        super::fit(
            &format!(" {member} │ {} ", group.name),
            area.width as usize / 2,
        )
    } else {
        full
    };
    let state_text = format!(" {state} ");
    let room = (area.width as usize).saturating_sub(right.width() + state_text.width());
    let left = super::pad(&left, room);
    let line = Line::from(vec![
        Span::styled(
            left,
            t.header().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(
            state_text,
            if app.state.locked() {
                state_style.patch(t.header())
            } else {
                t.header()
            },
        ),
        Span::styled(right, t.header()),
    ]);
    frame.render_widget(Paragraph::new(line).style(t.header()), area);
}
