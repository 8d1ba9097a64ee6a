//! The decision box: the points where points go, the reason in its own editor,
//! starting empty for the member deciding.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::handle::Deciding;
use super::{Flow, Layer};
use crate::appraisal::Decided;
use crate::i18n::fill;
use crate::points::Points;
use crate::tui::action::Action;

/// Which field of the box has the keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoxField {
    /// The appraised points (or corrected figures `n/d`).
    Points,
    /// Why: required when the value differs from the unit's own.
    Reason,
}

/// The decision being prepared for one leaf.
pub struct DecisionBox {
    pub unit: usize,
    pub leaf: usize,
    /// The value to record: points, figures or not applicable.
    pub value: Decided,
    /// What is typed in the points field, before it becomes the value.
    pub typed: Option<String>,
    pub field: BoxField,
    pub reason: TextArea<'static>,
    pub error: Option<String>,
    /// The leaf's last change when the box was opened: a save after another
    /// member's change is refused once, saying what changed.
    pub seen: i64,
}

impl DecisionBox {
    pub fn new(
        s: &dyn Deciding,
        unit: usize,
        leaf: usize,
        value: Decided,
        field: BoxField,
    ) -> Self {
        let mut reason = TextArea::default();
        reason.set_placeholder_text(s.words().reason_placeholder);
        DecisionBox {
            unit,
            leaf,
            value,
            typed: (field == BoxField::Points).then(String::new),
            field,
            reason,
            error: None,
            seen: s.seen(unit, leaf),
        }
    }

    /// The reason as typed.
    pub fn reason_text(&self) -> String {
        self.reason.lines().join("\n")
    }

    pub fn update(&mut self, s: &mut dyn Deciding, action: Action) -> Flow {
        match action {
            Action::Cancel => return Flow::Close,
            Action::Save => {
                if let Err(e) = self.commit_typed(s) {
                    self.error = Some(e);
                    return Flow::Stay;
                }
                let seen = self.seen;
                match s.record(self.unit, self.leaf, &self.value, &self.reason_text(), seen) {
                    Ok(()) => return Flow::Close,
                    Err(e) => {
                        // Said once: saving again replaces what the other member decided.
                        self.seen = s.seen(self.unit, self.leaf);
                        self.error = Some(e);
                    }
                }
            }
            Action::NextField => {
                if let Err(e) = self.commit_typed(s) {
                    self.error = Some(e);
                } else {
                    self.field = match self.field {
                        BoxField::Points => BoxField::Reason,
                        BoxField::Reason => {
                            self.typed = Some(String::new());
                            BoxField::Points
                        }
                    };
                }
            }
            Action::StepUp | Action::StepDown => match self.commit_typed(s) {
                Ok(()) => {
                    self.value = s.step(self.leaf, &self.value, action == Action::StepUp);
                    self.typed = Some(String::new());
                    self.error = None;
                }
                Err(e) => self.error = Some(e),
            },
            Action::ToggleNa => self.toggle_na(s),
            Action::Input(ev) => self.input(s, ev),
            Action::Paste(text) => match self.field {
                BoxField::Reason => {
                    self.reason.insert_str(crate::text::para(&text));
                }
                BoxField::Points => {
                    for c in crate::text::line(&text).chars() {
                        self.type_points(s, c);
                    }
                }
            },
            _ => {}
        }
        Flow::Stay
    }

    fn toggle_na(&mut self, s: &mut dyn Deciding) {
        self.value = match self.value {
            Decided::Na => Decided::Points(s.own_points(self.leaf)),
            _ => match s.may_rule_na(self.unit, self.leaf) {
                Ok(()) => Decided::Na,
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            },
        };
        self.typed = None;
        self.error = None;
    }

    fn input(&mut self, s: &mut dyn Deciding, ev: KeyEvent) {
        match self.field {
            BoxField::Reason => {
                self.reason.input(ev);
            }
            BoxField::Points => match ev.code {
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.type_points(s, c)
                }
                KeyCode::Backspace => {
                    if let Some(t) = &mut self.typed {
                        t.pop();
                    }
                }
                _ => {}
            },
        }
    }

    /// A character typed in the points field: a figure stays there; anything
    /// else starts the reason (with that character), so words never become points.
    fn type_points(&mut self, s: &mut dyn Deciding, c: char) {
        if c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '/') {
            self.typed
                .get_or_insert_with(String::new)
                .push(if c == ',' { '.' } else { c });
            return;
        }
        if c == ' ' && self.typed.as_deref().is_none_or(str::is_empty) {
            return;
        }
        match self.commit_typed(s) {
            Ok(()) => {
                self.field = BoxField::Reason;
                if c != ' ' {
                    self.reason.insert_char(c);
                }
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Turns what was typed in the points field into the box's value.
    fn commit_typed(&mut self, s: &dyn Deciding) -> Result<(), String> {
        let Some(text) = self.typed.take() else {
            return Ok(());
        };
        let text = text.trim().to_string();
        if text.is_empty() {
            return Ok(());
        }
        let w = s.words();
        let parsed = match text.split_once('/') {
            // Corrected figures of a ratio leaf: `numerator/denominator`.
            Some((n, den)) => match (n.trim().parse::<u64>(), den.trim().parse::<u64>()) {
                (Ok(n), Ok(den)) => Ok(Decided::Ratio(n, den)),
                _ => Err(fill(w.bad_figures, &[&text])),
            },
            None => Points::parse(&text)
                .map(Decided::Points)
                .map_err(|_| fill(w.bad_points, &[&text])),
        };
        match parsed {
            Ok(v) => {
                self.value = v;
                self.error = None;
                Ok(())
            }
            Err(e) => {
                self.typed = Some(text);
                Err(e)
            }
        }
    }
}

impl From<DecisionBox> for Layer {
    fn from(d: DecisionBox) -> Layer {
        Layer::Decide(Box::new(d))
    }
}
