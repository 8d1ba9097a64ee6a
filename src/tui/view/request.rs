//! One-line prompts over the screen: a request for an explanation, a written
//! approval's reference (what it is for, the text typed with its end in view).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{centered, fit};
use crate::i18n::fill;
use crate::tui::app::{App, Asking, Request};

pub fn render(frame: &mut Frame, area: Rect, app: &App, r: &Request) {
    let (c, w) = (&app.main.council, app.main.words());
    let (title, about, hint) = match &r.asking {
        Asking::Explanation { unit, leaf } => {
            let l = &c.framework_of(*unit).leaves[*leaf];
            let about = fill(w.request_for, &[&c.units[*unit].name, &l.code, &l.name]);
            (w.request_title, about, w.request_hint)
        }
        Asking::Written { member } => {
            let about = fill(w.written_for, &[&app.main.member_name(member)]);
            (w.written_title, about, w.written_hint)
        }
    };
    let text = (r.text.as_str(), r.error.as_deref());
    prompt(frame, area, app, title, &about, text, hint);
}

/// A prompt: its title, what is asked, the text typed and the last refusal.
fn prompt(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    title: &str,
    about: &str,
    (text, error): (&str, Option<&str>),
    hint: &str,
) {
    let t = &app.main.theme;
    let popup = centered(area, 80.min(area.width), 7);
    frame.render_widget(Clear, popup);
    let block = super::layer_block(app, format!(" {title} "));
    let room = popup.width.saturating_sub(4) as usize;
    // The end of a long text stays in view, as it is typed.
    let mut shown = text.to_string();
    while shown.width() + 2 > room && !shown.is_empty() {
        shown.remove(0);
    }
    let mut lines = vec![
        Line::from(fit(about, room)),
        Line::from(format!("› {shown}▏")),
    ];
    if let Some(e) = error {
        lines.push(Line::from(Span::styled(
            fit(&format!("✗ {e}"), room),
            t.error(),
        )));
    }
    lines.push(Line::from(Span::styled(hint.to_string(), t.dim())));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
