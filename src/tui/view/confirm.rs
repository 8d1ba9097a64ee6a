//! The confirmations: the sign-off (with what is still flagged), and accepting
//! the proven leaves of a unit (listing exactly what will be recorded).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, pad};
use crate::i18n::fill;
use crate::tui::action::Action;
use crate::tui::app::{App, Confirm, Confirming};
use crate::tui::keymap::Mode;

pub fn render(frame: &mut Frame, area: Rect, app: &App, c: &Confirm) {
    let s = &app.main;
    let (t, w) = (&s.theme, s.words());
    let (title, intro, items, yes): (&str, Vec<Line>, Vec<String>, &str) = match &c.what {
        Confirming::SignOff { flagged } => {
            let mut intro = vec![Line::from(fill(
                w.signoff_intro,
                &[&s.member_name(&s.member)],
            ))];
            intro.push(if flagged.is_empty() {
                Line::from(Span::styled(w.nothing_flagged, t.info()))
            } else {
                Line::from(Span::styled(w.still_flagged, t.warn()))
            });
            (w.signoff_title, intro, flagged.clone(), w.sign_word)
        }
        Confirming::AcceptProven { unit, leaves } => {
            let fw = s.council.framework_of(*unit);
            let intro = vec![Line::from(fill(
                w.accept_intro,
                &[&leaves.len(), &s.council.units[*unit].name],
            ))];
            let items = leaves
                .iter()
                .map(|&l| {
                    let leaf = &fw.leaves[l];
                    let own = crate::appraisal::self_value(&s.council, *unit, l);
                    let v = if own.na {
                        w.na_short.to_string()
                    } else {
                        own.points.short()
                    };
                    format!("{} {} = {v}", leaf.code, leaf.name)
                })
                .collect();
            (w.accept_title, intro, items, w.accept_word)
        }
        Confirming::CloseRound { round, units } => {
            let intro = vec![
                Line::from(fill(w.close_round_intro, &[round, &(round + 1)])),
                Line::from(Span::styled(
                    fill(w.close_round_notices, &[&units.len()]),
                    t.warn(),
                )),
            ];
            (
                w.close_round_title,
                intro,
                units.clone(),
                w.close_round_word,
            )
        }
    };
    let h = (items.len() as u16 + intro.len() as u16 + 3).min(area.height);
    let popup = centered(area, 90.min(area.width), h);
    frame.render_widget(Clear, popup);
    let block = super::layer_block(app, format!(" {title} "));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    // The keys stay visible however long the list is.
    let [body, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let mut lines = intro;
    // A long list scrolls (↑↓); the lines above and below say how much is hidden.
    let room = (body.height as usize).saturating_sub(lines.len());
    let start = if items.len() > room {
        c.scroll
            .min(items.len().saturating_sub(room.saturating_sub(2).max(1)))
    } else {
        0
    };
    let above = start;
    let fits = room.saturating_sub(usize::from(above > 0));
    let shown = if items.len() - start > fits {
        fits.saturating_sub(1)
    } else {
        items.len() - start
    };
    if above > 0 {
        lines.push(Line::from(format!("  ↑ +{above}")));
    }
    for item in &items[start..start + shown] {
        lines.push(Line::from(pad(&format!("  • {item}"), body.width as usize)));
    }
    if start + shown < items.len() {
        lines.push(Line::from(format!("  ↓ +{}", items.len() - start - shown)));
    }
    frame.render_widget(Paragraph::new(lines), body);
    let key = |a: &Action| format!(" {} ", app.keymap.key_of(Mode::Confirm, a));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(key(&Action::Yes), t.key()),
            Span::raw(format!("{yes}   ")),
            Span::styled(key(&Action::No), t.key()),
            Span::raw(w.no_word),
        ])),
        keys,
    );
}
