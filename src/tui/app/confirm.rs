//! Confirmations before what cannot be taken back in one key: the sign-off, and
//! accepting many leaves at once (the list shown is exactly what is recorded).

use super::Flow;
use super::handle::Confirms;
use crate::tui::action::Action;

pub enum Confirming {
    /// Sign off the result; what is still flagged.
    SignOff { flagged: Vec<String> },
    /// Accept these leaves of the unit as claimed.
    AcceptProven { unit: usize, leaves: Vec<usize> },
    /// Close the round (it cannot be undone); the units that get a notice.
    CloseRound { round: i64, units: Vec<String> },
}

pub struct Confirm {
    pub what: Confirming,
    /// How far the list is scrolled (a long list is read to its end before `y`).
    pub scroll: usize,
}

impl Confirm {
    pub fn new(what: Confirming) -> Confirm {
        Confirm { what, scroll: 0 }
    }

    fn len(&self) -> usize {
        match &self.what {
            Confirming::SignOff { flagged } => flagged.len(),
            Confirming::AcceptProven { leaves, .. } => leaves.len(),
            Confirming::CloseRound { units, .. } => units.len(),
        }
    }
}

impl Confirm {
    pub fn update(&mut self, s: &mut dyn Confirms, action: Action) -> Flow {
        let len = self.len();
        if super::nudge(&mut self.scroll, len, &action) {
            return Flow::Stay;
        }
        match (action, &self.what) {
            (Action::Yes, Confirming::SignOff { .. }) => s.begin_signoff(),
            (Action::Yes, Confirming::AcceptProven { unit, leaves }) => {
                s.accept_all(*unit, leaves);
                Flow::Close
            }
            (Action::Yes, Confirming::CloseRound { .. }) => {
                s.close_round();
                Flow::Close
            }
            (Action::No | Action::Cancel, what) => {
                let w = s.words();
                let text = match what {
                    Confirming::SignOff { .. } => w.not_signed,
                    Confirming::AcceptProven { .. } => w.nothing_accepted,
                    Confirming::CloseRound { .. } => w.round_not_closed,
                };
                s.tell(text);
                Flow::Close
            }
            _ => Flow::Stay,
        }
    }
}
