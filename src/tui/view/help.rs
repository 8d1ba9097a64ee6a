//! The help overlay, generated from the key map so it cannot disagree with it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{centered, pad};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::keymap::Mode;

pub fn render(frame: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let t = &app.theme;
    let vi = app.lang == Lang::Vi;
    let popup = centered(area, 76, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            if vi {
                " Trợ giúp — các phím "
            } else {
                " Help — keys "
            },
            t.title(),
        ))
        .border_style(t.focused_border());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines = Vec::new();
    let sections = [
        (
            Mode::Main,
            if vi {
                "Màn hình chính"
            } else {
                "Main screen"
            },
        ),
        (
            Mode::Dialog,
            if vi {
                "Hộp quyết định (điểm và nhận xét)"
            } else {
                "Decision box (points and comment)"
            },
        ),
        (
            Mode::List,
            if vi {
                "Danh sách chọn"
            } else {
                "Pick lists"
            },
        ),
        (Mode::Confirm, if vi { "Xác nhận" } else { "Confirmation" }),
    ];
    for (mode, title) in sections {
        lines.push(Line::from(Span::styled(title, t.field())));
        for (keys, what) in app.keymap.describe(mode, app.lang) {
            lines.push(Line::from(vec![
                Span::styled(pad(&keys, 16), t.key()),
                Span::raw(what),
            ]));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled(
        if vi { "Ký hiệu" } else { "Marks" },
        t.field(),
    )));
    let legend: &[(&str, &str, &str)] = &[
        ("✓", "đã quyết định", "decided"),
        ("≠", "khác điểm tự chấm", "differs from the self points"),
        ("–", "không áp dụng", "not applicable"),
        ("!", "không có tài liệu kiểm chứng", "no evidence"),
        (
            "?",
            "không tự chấm / thiếu khảo sát",
            "not self-assessed / no survey result",
        ),
        (
            "S",
            "tiêu chí khảo sát (chỉ xem)",
            "survey leaf (read-only)",
        ),
        ("∅", "đơn vị chưa nộp", "unit not submitted"),
        (
            "▲▼",
            "thay đổi thứ hạng sau quyết định vừa rồi",
            "rank move at the last decision",
        ),
    ];
    for (m, v, e) in legend {
        lines.push(Line::from(vec![
            Span::styled(pad(m, 16), t.warn()),
            Span::raw(if vi { *v } else { *e }),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
