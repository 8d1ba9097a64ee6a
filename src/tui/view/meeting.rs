//! The meeting on the screen: the attendance and vote dialog, the agenda's
//! list, and the decisions waiting for a second member's confirmation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, fit, pad, rpad, scroll_offset, tree};
use crate::i18n::fill;
use crate::session::meeting::{Approval, Attendance};
use crate::tui::app::{AgendaList, App, Votes};

/// Every member of the council: attendance, vote (stale when a decision came
/// after it), and whether the result is approved.
pub fn votes(frame: &mut Frame, area: Rect, app: &App, v: &Votes) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let a = Approval::of(c, s.link.state());
    let present = s
        .link
        .state()
        .meeting
        .attendance
        .values()
        .filter(|x| x.how == Attendance::Present)
        .count();
    let summary = fill(
        if a.approved {
            w.votes_approved
        } else {
            w.votes_not_approved
        },
        &[&a.approve, &a.members.len(), &a.needed, &a.share, &a.object],
    );
    let mut foot = vec![Line::from(Span::styled(
        summary,
        if a.approved { t.info() } else { t.warn() },
    ))];
    if a.stale > 0 {
        foot.push(Line::from(Span::styled(
            fill(w.votes_stale, &[&a.stale]),
            t.warn(),
        )));
    }
    let rows = c.members.len() as u16;
    let popup = centered(area, 110.min(area.width), rows + 4 + foot.len() as u16);
    frame.render_widget(Clear, popup);
    let title = fill(w.votes_title, &[&a.members.len(), &present]);
    let block = super::layer_block(app, format!(" {title} "));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let width = inner.width as usize;
    let vote_w = 22.min(width / 3);
    let role_w = if width >= 90 { 18 } else { 0 };
    let name_w = (width / 4).clamp(10, 28);
    let att_w = width
        .saturating_sub(2 + name_w + role_w + vote_w + 2)
        .max(6);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "  {}{}{} {}",
            pad(w.ap_col_name, name_w + 1),
            pad(if role_w > 0 { w.col_role } else { "" }, role_w),
            pad(w.ap_col_attendance, att_w),
            pad(w.ap_col_vote, vote_w)
        ),
        t.dim(),
    ))];
    let height = (inner.height as usize).saturating_sub(2 + foot.len());
    let start = scroll_offset(v.sel, c.members.len(), height);
    for (i, m) in c.members.iter().enumerate().skip(start).take(height) {
        let standing = a.members.iter().find(|x| x.member == m.id);
        let attended = s.link.state().meeting.attendance.get(&m.id);
        let attendance = match attended.map(|x| &x.how) {
            Some(Attendance::Present) => w.ap_present.to_string(),
            Some(Attendance::Absent) => w.ap_absent.to_string(),
            Some(Attendance::Written(r)) => fill(w.votes_written, &[r]),
            None => "—".into(),
        };
        let (vote, style) = match standing {
            None => (w.votes_not_voting.to_string(), t.dim()),
            Some(x) => match &x.vote {
                None => ("—".to_string(), ratatui::style::Style::new()),
                Some(vote) => {
                    let how = if vote.approve {
                        w.ap_approve
                    } else {
                        w.ap_object
                    };
                    match (x.stale, vote.approve) {
                        (true, _) => (fill(w.votes_stale_short, &[&how]), t.dim()),
                        (false, true) => (how.to_string(), t.raised()),
                        (false, false) => (how.to_string(), t.lowered()),
                    }
                }
            },
        };
        let mut line = Line::from(vec![
            Span::raw(if i == v.sel { "▶ " } else { "  " }),
            Span::raw(pad(&m.name, name_w + 1)),
            Span::styled(pad(&m.role, role_w.saturating_sub(1)), t.dim()),
            Span::raw(if role_w > 0 { " " } else { "" }),
            Span::raw(pad(&attendance, att_w)),
            Span::raw(" "),
            Span::styled(pad(&vote, vote_w), style),
        ]);
        if i == v.sel {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    while lines.len() < (inner.height as usize).saturating_sub(foot.len()) {
        lines.push(Line::from(""));
    }
    lines.extend(foot.into_iter().map(|l| {
        let text: String = l.spans.iter().map(|x| x.content.as_ref()).collect();
        Line::from(Span::styled(
            fit(&text, width),
            l.spans.first().map(|x| x.style).unwrap_or_default(),
        ))
    }));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The agenda's items in order, the one now discussed marked, with the
/// members in conflict with each item's unit.
pub fn agenda(frame: &mut Frame, area: Rect, app: &App, l: &AgendaList) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let m = &s.link.state().meeting;
    let popup = centered(
        area,
        100.min(area.width),
        (m.agenda.len().max(1) as u16) + 2,
    );
    frame.render_widget(Clear, popup);
    let title = fill(w.agenda_title, &[&m.agenda.len()]);
    let block = super::layer_block(app, format!(" {title} "));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let width = inner.width as usize;
    if m.agenda.is_empty() {
        let empty = Line::from(Span::styled(fit(w.agenda_empty, width), t.info()));
        frame.render_widget(Paragraph::new(vec![empty]), inner);
        return;
    }
    let num = m.agenda.len().to_string().len() + 1;
    let lines: Vec<Line> = m
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let here = if i == m.now { "▶ " } else { "  " };
            let conflicted = item.conflicted(c);
            let warn = if conflicted.is_empty() {
                String::new()
            } else {
                format!(" ⚠ {}", conflicted.join(", "))
            };
            let room = width.saturating_sub(2 + num + 1);
            // The conflicts right after the name, never more than half the room.
            let warn = fit(&warn, room / 2);
            let name_w = room.saturating_sub(unicode_width::UnicodeWidthStr::width(warn.as_str()));
            let mut line = Line::from(vec![
                Span::styled(here, t.info()),
                Span::raw(format!("{} ", rpad(&format!("{}.", i + 1), num))),
                Span::raw(fit(&item.name(c), name_w)),
                Span::styled(warn, t.warn()),
            ]);
            if i == l.sel {
                line = line.style(t.selected());
            }
            line
        })
        .collect();
    let start = scroll_offset(l.sel, lines.len(), inner.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((start as u16, 0)), inner);
}

/// The decisions waiting for a second member, oldest first: the value that
/// counts now, the one proposed, by whom and when.
pub fn pending(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.main;
    let (t, c, w) = (&s.theme, &s.council, s.words());
    let list = s.pending();
    let title = format!(" {} ", fill(w.pending_title, &[&list.len()]));
    let block = super::pane(app, title, app.layers.is_empty());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let num = 7;
    let code_w = 7;
    let unit_w = (width / 5).clamp(8, 24);
    let by_w = (width / 6)
        .clamp(6, 22)
        .max(if width >= 50 { 10 } else { 0 });
    let at_w = if width >= 90 { 12 } else { 0 };
    let mut name_w = width.saturating_sub(unit_w + code_w + num * 2 + by_w + at_w + 4);
    if name_w < 8 {
        // The criterion's name goes first where room is short: the code says which.
        name_w = 0;
    }
    let (counted_head, proposed_head, by_head) = if width >= 70 {
        (w.ap_col_counted, w.ap_col_proposed, w.ap_col_member)
    } else {
        (w.col_council_short, w.col_proposed_short, w.col_by_short)
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{}{}{}{}{} {}{}",
            pad(w.col_unit, unit_w + 1),
            pad(w.col_code, code_w),
            pad(w.col_criterion, name_w),
            rpad(counted_head, num),
            rpad(proposed_head, num),
            pad(by_head, by_w),
            pad(w.ap_col_at, at_w),
        ),
        t.dim(),
    ))];
    if list.is_empty() {
        let empty = if c.confirm {
            w.pending_empty
        } else {
            w.pending_off
        };
        lines.push(Line::from(Span::styled(fit(empty, width), t.info())));
    }
    let height = (inner.height as usize).saturating_sub(2);
    let here = s.selected_leaf().map(|l| (s.unit, l));
    let sel = here
        .and_then(|h| list.iter().position(|&q| q == h))
        .unwrap_or(0);
    let start = scroll_offset(sel, list.len(), height);
    let waiting = &s.link.state().meeting.pending;
    for &(u, l) in list.iter().skip(start).take(height) {
        let leaf = &c.framework_of(u).leaves[l];
        let Some(e) = waiting.get(&(u, l)) else {
            continue;
        };
        let (_, counted, style) = tree::cells(app, u, l);
        let decided = e
            .after
            .as_deref()
            .and_then(crate::appraisal::Decided::decode);
        let proposed = s.show_value(decided.as_ref(), leaf);
        let names = super::unit_names(app, &[u], unit_w);
        let mut line = Line::from(vec![
            Span::raw(pad(&names[0], unit_w + 1)),
            Span::raw(pad(&leaf.code, code_w)),
            Span::raw(pad(&leaf.name, name_w)),
            Span::styled(rpad(&counted, num), style),
            Span::styled(rpad(&proposed, num), t.warn()),
            Span::raw(format!(
                " {}",
                pad(&by(s.member_name(&e.member), by_w), by_w)
            )),
            Span::styled(pad(&s.time(&e.at), at_w), t.dim()),
        ]);
        if Some((u, l)) == here {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    let foot = Line::from(Span::styled(fit(w.pending_hint, width), t.dim()));
    super::with_foot(frame, inner, lines, foot);
}

/// A member's name in `width` columns: whole when it fits, else the given
/// name (a Vietnamese name's last word, the one colleagues use).
fn by(name: &str, width: usize) -> String {
    if unicode_width::UnicodeWidthStr::width(name) <= width {
        return name.to_string();
    }
    name.split_whitespace().last().unwrap_or(name).to_string()
}
