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
        _ if s.link.unreachable().is_some() => (w.state_server_down.to_string(), t.locked()),
        _ if s.link.log_broken().is_some() => (w.state_log_broken.to_string(), t.locked()),
        Some((by, _)) => (fill(w.state_signed, &[&s.member_name(by)]), t.locked()),
        None => (w.state_open.to_string(), t.header()),
    };
    let state = if s.watch.follow {
        format!("{state} · {}", w.state_follow)
    } else {
        state
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
    let mut lines = vec![line];
    if let Some(agenda) = agenda_line(app, area.width as usize) {
        lines.push(agenda);
    }
    frame.render_widget(Paragraph::new(lines).style(t.header()), area);
}

/// The meeting's place in the agenda: the item now discussed, the next and
/// the one after, and the members in conflict with the unit now discussed.
fn agenda_line(app: &App, width: usize) -> Option<Line<'static>> {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let m = &s.link.state().meeting;
    if m.agenda.is_empty() {
        return None;
    }
    let [now, next, then] = m.now_next_then();
    let name =
        |i: Option<&crate::session::meeting::Item>| i.map_or("—".to_string(), |i| i.name(c));
    let mut spans = vec![
        Span::styled(
            format!(
                " ▶ {} {}/{}: {}",
                w.agenda_now,
                m.now + 1,
                m.agenda.len(),
                name(now)
            ),
            t.header().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(
            format!(
                "  · {}: {}  · {}: {}",
                w.agenda_next,
                name(next),
                w.agenda_then,
                name(then)
            ),
            t.header(),
        ),
    ];
    let conflicted = now.map(|i| i.conflicted(c)).unwrap_or_default();
    if !conflicted.is_empty() {
        spans.push(Span::styled(
            format!("  │ {}: {}", w.agenda_conflicts, conflicted.join(", ")),
            t.warn().patch(t.header()),
        ));
    }
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    if text.width() > width {
        // Narrow: the conflicts first (who must step out), then as much of the rest.
        let mut short = format!(" ▶ {}/{}", m.now + 1, m.agenda.len());
        if !conflicted.is_empty() {
            short = format!("{short} ⚠ {} │", conflicted.join(", "));
        }
        short = format!("{short} {}", name(now));
        return Some(Line::from(Span::styled(
            super::fit(&short, width),
            t.header().add_modifier(ratatui::style::Modifier::BOLD),
        )));
    }
    Some(Line::from(spans))
}
