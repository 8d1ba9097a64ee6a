//! The header: council, recording member, session state, group.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::i18n::fill;
use crate::tui::app::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let member = s.member_name(&s.member);
    let group = &c.groups[s.group];
    let (state, state_style) = match s.link.locked_by() {
        _ if s.link.log_broken().is_some() => (w.state_log_broken.to_string(), t.locked()),
        Some((by, _)) => (fill(w.state_signed, &[&s.member_name(by)]), t.locked()),
        None => (w.state_open.to_string(), t.header()),
    };
    let round = s.link.state().round();
    let state = if round > 1 {
        format!("{state} · {}", fill(w.state_round, &[&round]))
    } else {
        state
    };
    let year = c.year.to_string();
    let left = if c.name.contains(&year) {
        format!(" {} ", c.name)
    } else {
        format!(" {} {year} ", c.name)
    };
    let full = format!(
        " {} {member} │ {} {} ({}/{}) ",
        w.member_label,
        w.group_label,
        group.name,
        s.group + 1,
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
        Span::styled(state_text, state_style.patch(t.header())),
        Span::styled(right, t.header()),
    ]);
    frame.render_widget(Paragraph::new(line).style(t.header()), area);
}
