//! The council's decisions applied to the self-assessment: appraised values, the rules of a decision, standings.

use std::collections::HashMap;

use crate::model::{Council, Leaf, Rule};
use crate::points::Points;
use crate::score::{self, Score, Standings, Value};

/// What the council decided for one leaf.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Decided {
    /// Appraised points (for a ratio leaf, possibly derived from corrected figures).
    Points(Points),
    /// Corrected figures of a ratio leaf; the points follow from its bands.
    Ratio(u64, u64),
    /// Not applicable.
    Na,
}

impl Decided {
    /// The stored form: `1.50`, `96/100`, `na`.
    pub fn encode(&self) -> String {
        match self {
            Decided::Points(p) => p.to_string(),
            Decided::Ratio(n, d) => format!("{n}/{d}"),
            Decided::Na => "na".into(),
        }
    }

    pub fn decode(s: &str) -> Option<Decided> {
        if s == "na" {
            return Some(Decided::Na);
        }
        if let Some((n, d)) = s.split_once('/') {
            return Some(Decided::Ratio(n.parse().ok()?, d.parse().ok()?));
        }
        Points::parse(s).ok().map(Decided::Points)
    }

    /// The value this decision gives a leaf.
    pub fn value(&self, leaf: &Leaf) -> Value {
        match (self, &leaf.rule) {
            (Decided::Na, _) => Value {
                points: Points::ZERO,
                na: true,
            },
            (Decided::Points(p), _) => Value {
                points: *p,
                na: false,
            },
            (Decided::Ratio(n, d), Rule::Ratio(bands)) => Value {
                points: score::ratio_points(bands, *n, *d),
                na: false,
            },
            (Decided::Ratio(..), _) => Value::default(),
        }
    }

    /// As a person reads it.
    pub fn show(&self, leaf: &Leaf) -> String {
        match self {
            Decided::Na => "N/A".into(),
            Decided::Points(p) => p.short(),
            Decided::Ratio(n, d) => format!("{} ({n}/{d})", self.value(leaf).points.short()),
        }
    }
}

/// A leaf's current decision, with who made it and when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    pub value: Decided,
    pub comment: String,
    pub member: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// The event that made it.
    pub event: i64,
    /// Under two-person confirmation: the member who confirmed it.
    pub confirmed_by: Option<String>,
}

/// Every decision in force, by (unit index, leaf index).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Appraisal {
    pub decisions: HashMap<(usize, usize), Decision>,
    /// Whether the council's meeting has opened (attendance recorded): from
    /// then on a member's assigned fields no longer restrict their decisions.
    pub meeting: bool,
}

/// The value of a leaf as the unit claimed it.
pub fn self_value(council: &Council, unit: usize, leaf: usize) -> Value {
    let c = &council.assessments[unit].claims[leaf];
    Value {
        points: c.points,
        na: c.na,
    }
}

/// Whether the unit self-assessed the leaf: a leaf it gave nothing for has
/// no self points to show (it counts as 0 in the self total all the same).
pub fn self_assessed(council: &Council, unit: usize, leaf: usize) -> bool {
    !council.assessments[unit].claims[leaf].flags.not_assessed
}

impl Appraisal {
    /// The appraised value of a leaf: the council's decision, else the self-assessment.
    pub fn value(&self, council: &Council, unit: usize, leaf: usize) -> Value {
        match self.decisions.get(&(unit, leaf)) {
            Some(d) => d.value.value(&council.framework_of(unit).leaves[leaf]),
            None => self_value(council, unit, leaf),
        }
    }

    pub fn score(&self, council: &Council, unit: usize) -> Score {
        let fw = council.framework_of(unit);
        Score::of(
            fw,
            (0..fw.leaves.len()).map(|l| self.value(council, unit, l)),
        )
    }

    /// A unit's appraised subtotal over one field of its framework (no floor).
    pub fn field_score(&self, council: &Council, unit: usize, field: usize) -> Score {
        let fw = council.framework_of(unit);
        let leaves = fw.fields[field].leaves.clone();
        Score::subtotal(
            &fw.leaves[leaves.clone()],
            leaves.map(|l| self.value(council, unit, l)),
        )
    }

    /// The leaves of a unit whose claim is flagged (no evidence, not self-assessed,
    /// no survey result) and that the council has not decided yet.
    pub fn open_flags<'a>(
        &'a self,
        council: &'a Council,
        unit: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        council.assessments[unit]
            .claims
            .iter()
            .enumerate()
            .filter(move |(l, c)| c.flags.any() && !self.decisions.contains_key(&(unit, *l)))
            .map(|(l, _)| l)
    }

    /// The leaves the council may accept as claimed in one step: undecided, not
    /// a survey leaf, with evidence cited and nothing flagged.
    pub fn proven<'a>(
        &'a self,
        council: &'a Council,
        unit: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        let fw = council.framework_of(unit);
        council.assessments[unit]
            .claims
            .iter()
            .enumerate()
            .filter(move |(l, c)| {
                fw.leaves[*l].rule != Rule::Survey
                    && !c.evidence.is_empty()
                    && !c.flags.any()
                    && !self.decisions.contains_key(&(unit, *l))
            })
            .map(|(l, _)| l)
    }

    /// Standings with self and appraised scores for every unit.
    pub fn standings(&self, council: &Council) -> Standings {
        let n = council.units.len();
        let self_scores: Vec<Score> = (0..n).map(|u| score::self_score(council, u)).collect();
        let scores: Vec<Score> = (0..n).map(|u| self.score(council, u)).collect();
        Standings::new(council, &self_scores, &scores)
    }
}

/// Which way the council moved a leaf from the unit's own value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Same,
    /// Fewer points than claimed, both applicable.
    Lowered,
    /// More points than claimed (or points where the unit claimed not applicable).
    Raised,
    /// Ruled not applicable, or applicable again with the same points: the leaf
    /// leaves (or joins) the max rather than moving the total.
    Applicability,
}

impl Direction {
    pub fn of(own: Value, appraised: Value) -> Direction {
        match (own.na, appraised.na) {
            _ if own == appraised => Direction::Same,
            (false, false) if appraised.points < own.points => Direction::Lowered,
            (false, false) => Direction::Raised,
            (true, false) if appraised.points > Points::ZERO => Direction::Raised,
            _ => Direction::Applicability,
        }
    }
}

/// A change the council asks for on one leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Points(Points),
    Ratio(u64, u64),
    Na,
    /// Applicable again, with these points (or the unit's own when it claimed some, else 0).
    Applicable(Option<Points>),
}

/// A change to a leaf made after a decision on it was begun.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    pub unit: String,
    pub code: String,
    /// The member who changed it.
    pub by: String,
    /// The stored value now (`1.50`, `96/100`, `na`), or `self`.
    pub value: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The event that changed it.
    pub event: i64,
}

/// What a member does, as the rules of who acts see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// A decision on a leaf (undo and redo alike).
    Decide,
    /// A request for an explanation.
    Ask,
    Round,
    Agenda,
    /// Present or absent.
    Attend,
    /// Absent, approving in writing.
    Written,
    Vote,
    Confirm,
    Reopen,
    Signoff,
}

/// Why a decision is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    UnknownMember(String),
    UnknownUnit(String),
    UnknownLeaf {
        unit: String,
        code: String,
        framework: String,
    },
    Survey(String),
    Conflict {
        member: String,
        unit: String,
    },
    OutsideFields {
        member: String,
        code: String,
        field: String,
        fields: String,
    },
    RoundNotAllowed(String),
    RequestNeeded(String),
    Rule {
        code: String,
        why: Unallowed,
    },
    NaNotAllowed(String),
    CommentNeeded(String),
    NothingLeft(String),
    Locked,
    AlreadySigned {
        by: String,
        at: String,
    },
    NotLocked,
    ReopenNotAllowed {
        member: String,
        signer: String,
    },
    ReasonNeeded,
    ReasonTooLong(usize, usize),
    NotVoting(String),
    VoterAbsent(String),
    WrittenNeedsReference,
    AgendaNotAllowed(String),
    NoAgendaItem(usize, usize),
    NotApproved {
        approve: usize,
        voting: usize,
        needed: usize,
        share: String,
    },
    NothingPending {
        unit: String,
        code: String,
    },
    SelfConfirm(String),
    PendingLeft(usize),
    NothingToUndo(String),
    NothingToRedo(String),
    /// Who acts (see `session::acting`): the member has a key and none of
    /// theirs is held; the act is always signed and the member has no key;
    /// the recorder is not the chair or the secretary; the act is never
    /// recorded on behalf; a vote on behalf of a member not recorded present;
    /// a confirmation recorded by the decision's recorder; a key that is not
    /// the member's; a member without a `pubkey` line.
    KeyNeeded(String),
    /// `round close --deadline` that is not a date.
    BadDeadline(String),
    SignedOnly {
        member: String,
        act: Act,
    },
    NotOnBehalf {
        recorder: String,
        member: String,
    },
    NeverOnBehalf {
        member: String,
        act: Act,
    },
    AbsentOnBehalf(String),
    SameRecorder(String),
    KeyNotMembers(String),
    NoPubkey {
        member: String,
        pubkey: String,
    },
    Stale(Box<Changed>),
    ChangedSince {
        unit: String,
        code: String,
        by: String,
    },
}

/// Why a value does not fit a leaf's rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unallowed {
    /// The points are not allowed on the leaf.
    Points(score::NotAllowed),
    /// Figures were given for a leaf that is not a ratio (its rule).
    NotARatio(Rule),
    /// The figures cannot be a ratio (numerator, denominator).
    Figures(u64, u64),
}

/// Whether a member may close a round: the chair or the secretary.
pub fn may_close_round(council: &Council, member: &str) -> Result<(), Refusal> {
    let m = council
        .member(member)
        .ok_or_else(|| Refusal::UnknownMember(member.into()))?;
    if m.leads() {
        Ok(())
    } else {
        Err(Refusal::RoundNotAllowed(member.into()))
    }
}

/// Whether a member may decide on a leaf at all (whatever the value): a known
/// member, not in conflict with the unit, and not a survey leaf. The screen asks
/// before it opens a box; `check_change` asks again before recording.
pub fn may_decide(
    council: &Council,
    member: &str,
    unit: usize,
    leaf: usize,
    meeting: bool,
) -> Result<(), Refusal> {
    let m = council
        .member(member)
        .ok_or_else(|| Refusal::UnknownMember(member.into()))?;
    let u = &council.units[unit];
    let l = &council.framework_of(unit).leaves[leaf];
    if l.rule == Rule::Survey {
        return Err(Refusal::Survey(l.code.clone()));
    }
    if m.conflicts_with(&u.id) {
        return Err(Refusal::Conflict {
            member: m.id.clone(),
            unit: u.id.clone(),
        });
    }
    let fw = council.framework_of(unit);
    let field = &fw.fields[l.field].code;
    if !meeting && !m.assigned_to(&fw.id, field) {
        let fields = m
            .fields
            .as_ref()
            .map(|a| a.in_framework(&fw.id).join(", "))
            .unwrap_or_default();
        return Err(Refusal::OutsideFields {
            member: m.id.clone(),
            code: l.code.clone(),
            field: field.clone(),
            fields,
        });
    }
    Ok(())
}

/// Whether a leaf may be ruled not applicable: the framework allows it and the
/// unit keeps some applicable points.
pub fn may_rule_na(
    council: &Council,
    appraisal: &Appraisal,
    unit: usize,
    leaf: usize,
) -> Result<(), Refusal> {
    let fw = council.framework_of(unit);
    let l = &fw.leaves[leaf];
    if !l.na {
        return Err(Refusal::NaNotAllowed(l.code.clone()));
    }
    let others: Points = fw
        .leaves
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != leaf && !appraisal.value(council, unit, i).na)
        .map(|(_, x)| x.max)
        .sum();
    if others <= Points::ZERO {
        return Err(Refusal::NothingLeft(l.code.clone()));
    }
    Ok(())
}

/// Checks a change against every rule of a decision (all but the lock, which
/// the session checks) and turns it into the value to record.
pub fn check_change(
    council: &Council,
    appraisal: &Appraisal,
    member: &str,
    unit: usize,
    leaf: usize,
    change: &Change,
    comment: &str,
) -> Result<Decided, Refusal> {
    may_decide(council, member, unit, leaf, appraisal.meeting)?;
    let fw = council.framework_of(unit);
    let l = &fw.leaves[leaf];
    let rule = |why: Unallowed| Refusal::Rule {
        code: l.code.clone(),
        why,
    };
    let decided = match change {
        Change::Points(p) => {
            score::check_points(l, *p).map_err(|e| rule(Unallowed::Points(e)))?;
            Decided::Points(*p)
        }
        Change::Ratio(n, d) => {
            if !matches!(l.rule, Rule::Ratio(_)) {
                return Err(rule(Unallowed::NotARatio(l.rule.clone())));
            }
            if *d == 0 || n > d {
                return Err(rule(Unallowed::Figures(*n, *d)));
            }
            Decided::Ratio(*n, *d)
        }
        Change::Na => {
            may_rule_na(council, appraisal, unit, leaf)?;
            Decided::Na
        }
        Change::Applicable(p) => {
            let own = self_value(council, unit, leaf);
            let p = p.unwrap_or(if own.na { Points::ZERO } else { own.points });
            score::check_points(l, p).map_err(|e| rule(Unallowed::Points(e)))?;
            Decided::Points(p)
        }
    };
    let value = decided.value(l);
    if value != self_value(council, unit, leaf) && comment.trim().is_empty() {
        return Err(Refusal::CommentNeeded(l.code.clone()));
    }
    Ok(decided)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decided_round_trips_through_its_stored_form() {
        for d in [
            Decided::Points(Points(150)),
            Decided::Points(Points(-25)),
            Decided::Ratio(96, 100),
            Decided::Na,
        ] {
            assert_eq!(Decided::decode(&d.encode()), Some(d));
        }
        assert_eq!(Decided::decode("garbage"), None);
    }
}
