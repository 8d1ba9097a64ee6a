//! One entry of the audit log, and its kinds: the one place a kind becomes the
//! text stored in the log (and hashed into its chain) and back; the leaf an event names
//! and the length of its text.

use crate::appraisal::Refusal;
use crate::model::Council;

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub member: String,
    /// The kind as stored (see [`Kind`]); the program asks [`Event::kind`].
    pub kind: String,
    pub unit: Option<String>,
    pub code: Option<String>,
    /// Stored value before and after (`1.50`, `96/100`, `na`; `None`: the self-assessment).
    pub before: Option<String>,
    pub after: Option<String>,
    pub comment: String,
    /// For undo and redo: the decision event they act on.
    pub target: Option<i64>,
    /// The round it was recorded in (a `round` event: the round it opens).
    pub round: i64,
    /// Its link in the log's hash chain (see [`super::chain`]); empty in a log
    /// written before the chain, read where it cannot be upgraded.
    pub hash: String,
    /// Who recorded it, when not the member it is for (on behalf; or for
    /// the inputs, which no member records).
    #[serde(default)]
    pub recorder: Option<String>,
    /// The recorder's signature of `hash` (see [`super::acting`]): minisign's
    /// signature bytes in base64; `None`: not signed.
    #[serde(default)]
    pub sig: Option<String>,
}

impl Event {
    /// What kind of event this is.
    pub fn kind(&self) -> Kind {
        Kind::of(&self.kind)
    }
}

/// What an event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A decision on a leaf.
    Decide,
    /// A member's last decision taken back, and brought back.
    Undo,
    Redo,
    /// A request for an explanation.
    Ask,
    /// A round closed (the event opens the next).
    Round,
    /// The result signed off, and reopened.
    Signoff,
    Reopen,
    /// The inputs seen to change.
    Inputs,
    /// The meeting: attendance, a vote, the agenda and its current item, a
    /// decision confirmed (see [`super::meeting`]).
    Attend,
    Vote,
    Agenda,
    AgendaAt,
    Confirm,
    /// A kind this program does not know (a newer program wrote it): kept
    /// and chained, applied as nothing.
    Unknown,
}

/// Each kind beside its stored text.
const STORED: [(Kind, &str); 13] = [
    (Kind::Decide, "decide"),
    (Kind::Undo, "undo"),
    (Kind::Redo, "redo"),
    (Kind::Ask, "ask"),
    (Kind::Round, "round"),
    (Kind::Signoff, "signoff"),
    (Kind::Reopen, "reopen"),
    (Kind::Inputs, "inputs"),
    (Kind::Attend, "attend"),
    (Kind::Vote, "vote"),
    (Kind::Agenda, "agenda"),
    (Kind::AgendaAt, "agenda_at"),
    (Kind::Confirm, "confirm"),
];

impl Kind {
    /// The kind a stored text names.
    pub fn of(text: &str) -> Kind {
        STORED
            .iter()
            .find(|(_, t)| *t == text)
            .map_or(Kind::Unknown, |(k, _)| *k)
    }

    /// The text stored for this kind (`unknown` for a kind not known).
    pub fn as_str(self) -> &'static str {
        STORED
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("unknown", |(_, t)| t)
    }

    /// A decision, or one taken back or brought back: what changes a leaf's value.
    pub fn on_value(self) -> bool {
        matches!(self, Kind::Decide | Kind::Undo | Kind::Redo)
    }
}

impl From<&str> for Kind {
    fn from(text: &str) -> Kind {
        Kind::of(text)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A unit id and a leaf code as indexes, else the refusal naming what is not there.
pub(crate) fn leaf_at(
    council: &Council,
    unit_id: &str,
    code: &str,
) -> Result<(usize, usize), Refusal> {
    let unit = council
        .unit_index(unit_id)
        .ok_or_else(|| Refusal::UnknownUnit(unit_id.into()))?;
    let fw = council.framework_of(unit);
    let (leaf, _) = fw.leaf(code).ok_or_else(|| Refusal::UnknownLeaf {
        unit: unit_id.into(),
        code: code.into(),
        framework: fw.id.clone(),
    })?;
    Ok((unit, leaf))
}

/// Refuses a reason, request or vote comment longer than a note holds.
pub(crate) fn bounded(text: &str) -> Result<(), Refusal> {
    let chars = text.chars().count();
    if chars > crate::load::MAX_NOTE {
        return Err(Refusal::ReasonTooLong(chars, crate::load::MAX_NOTE));
    }
    Ok(())
}

/// The leaf an event is about, when its unit and leaf are in the inputs.
pub(super) fn leaf_of(council: &Council, e: &Event) -> Option<(usize, usize)> {
    let unit = council.unit_index(e.unit.as_deref()?)?;
    let (leaf, _) = council.framework_of(unit).leaf(e.code.as_deref()?)?;
    Some((unit, leaf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_stored_text() {
        for (kind, text) in STORED {
            assert_eq!(Kind::of(text), kind);
            assert_eq!(kind.as_str(), text);
        }
        assert_eq!(Kind::of("merge"), Kind::Unknown);
    }
}
