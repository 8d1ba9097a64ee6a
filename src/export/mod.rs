//! Results out: the workbook (xlsx), the minutes of the meeting (html) and the per-leaf CSV, made from the council and the session's state.
//!
//! Every export is a pure function of the inputs and the session's events: the
//! only time inside is the session's own (the sign-off, else the last event),
//! so exporting the same state again gives the same bytes.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::appraisal::{Appraisal, Decision, self_value};
use crate::model::{Council, Framework};
use crate::points::Points;
use crate::score::{Score, Standings, Value};
use crate::session::{Event, State, time};
use crate::text::csv_field;

mod docx;
mod minutes;
pub mod notice;
mod papers;
pub mod pdf;
mod workbook;

pub use workbook::workbook_into;

/// What a paper shows where the unit did not self-assess a leaf.
pub const NOT_SELF_ASSESSED: &str = "chưa tự chấm";

/// What is exported: the council, its decisions and the standings they give.
pub struct Snapshot<'a> {
    pub council: &'a Council,
    pub appraisal: &'a Appraisal,
    pub standings: Standings,
    /// Who signed the result off and when (RFC 3339, UTC), if it is signed.
    pub signed: Option<(String, String)>,
    /// The time of the session's last event, if any.
    pub last_event: Option<String>,
    /// Each leaf's value as every round left it (see `State::by_round`).
    pub by_round: &'a crate::session::ByRound,
    /// Attendance and the vote on the result.
    pub approval: crate::session::meeting::Approval,
    /// Every member's attendance as recorded (voting or not).
    pub attendance: &'a std::collections::HashMap<String, crate::session::meeting::Attended>,
    /// The last round any decision was made in (1 before any).
    rounds: i64,
    /// Last year's signed result, once it verified (`previous` in council.toml).
    pub previous: Option<&'a crate::compare::Previous>,
    /// Every unit compared, made once for every paper that shows it.
    compared: std::sync::OnceLock<Vec<crate::compare::Row>>,
}

impl<'a> Snapshot<'a> {
    /// The current result of a session (`events` oldest first).
    pub fn new(council: &'a Council, state: &'a State, events: &[Event]) -> Snapshot<'a> {
        Snapshot::at(council, state, events.last().map(|e| e.at.as_str()))
    }

    /// The current result of a session whose last event was at `last_event`.
    pub fn at(council: &'a Council, state: &'a State, last_event: Option<&str>) -> Snapshot<'a> {
        Snapshot {
            council,
            appraisal: &state.appraisal,
            standings: state.appraisal.standings(council),
            signed: state.locked_by.clone(),
            last_event: last_event.map(str::to_string),
            by_round: &state.by_round,
            approval: crate::session::meeting::Approval::of(council, state),
            attendance: &state.meeting.attendance,
            rounds: state
                .by_round
                .values()
                .filter_map(|r| r.last_round())
                .max()
                .unwrap_or(1),
            previous: None,
            compared: std::sync::OnceLock::new(),
        }
    }

    /// The same result compared with last year's.
    pub fn with_previous(mut self, previous: Option<&'a crate::compare::Previous>) -> Self {
        self.previous = previous;
        self.compared = std::sync::OnceLock::new();
        self
    }

    /// The units whose self-assessment stood out above the council's, in
    /// words: `Xã A (+12.50)`; empty when none did.
    pub fn standing_out_words(&self) -> Vec<String> {
        crate::compare::standing_out(self.compared())
            .iter()
            .map(|r| {
                format!(
                    "{} (+{})",
                    self.council.units[r.unit].name,
                    Points(r.self_gap)
                )
            })
            .collect()
    }

    /// Every unit compared: its self-assessment gap and last year's figure.
    pub fn compared(&self) -> &[crate::compare::Row] {
        self.compared
            .get_or_init(|| crate::compare::rows(self.council, &self.standings, self.previous))
    }

    /// The session's own time of this result: the sign-off, else the last event.
    pub fn time(&self) -> Option<&str> {
        self.signed
            .as_ref()
            .map(|(_, at)| at.as_str())
            .or(self.last_event.as_deref())
    }

    /// That time in Vietnam (UTC+7): (year, month, day, hour, minute, second).
    pub(super) fn local_time(&self) -> Option<(i64, u32, u32, u32, u32, u32)> {
        self.time().and_then(time::vietnam)
    }

    /// A unit's self and appraised subtotals over a range of its leaves (no floor).
    fn sums(&self, u: usize, leaves: &Range<usize>) -> (Score, Score) {
        let c = self.council;
        let fw = c.framework_of(u);
        let of = |value: &dyn Fn(usize) -> Value| {
            Score::subtotal(&fw.leaves[leaves.clone()], leaves.clone().map(value))
        };
        (
            of(&|l| self_value(c, u, l)),
            of(&|l| self.appraisal.value(c, u, l)),
        )
    }

    /// A unit's appraised points per field of its framework (no floor).
    fn field_scores(&self, u: usize) -> Vec<Score> {
        let fw = self.council.framework_of(u);
        (0..fw.fields.len())
            .map(|f| self.appraisal.field_score(self.council, u, f))
            .collect()
    }

    /// The decisions on a unit whose value differs from its self-assessment, in leaf order.
    fn changes(&self, u: usize) -> Vec<(usize, &'a Decision)> {
        let fw = self.council.framework_of(u);
        let appraisal: &'a Appraisal = self.appraisal;
        (0..fw.leaves.len())
            .filter_map(|l| {
                let d = appraisal.decisions.get(&(u, l))?;
                (appraisal.value(self.council, u, l) != self_value(self.council, u, l))
                    .then_some((l, d))
            })
            .collect()
    }

    /// The last round any decision was made in (1 before any).
    fn rounds(&self) -> i64 {
        self.rounds
    }

    /// A leaf's value as round `round` left it (the self-assessment before any decision).
    fn value_in_round(&self, u: usize, l: usize, round: i64) -> Value {
        let leaf = &self.council.framework_of(u).leaves[l];
        match self.by_round.get(&(u, l)).and_then(|m| m.until(round)) {
            Some((_, Some(d))) => d.value.value(leaf),
            _ => self_value(self.council, u, l),
        }
    }

    /// Roster indexes of a group's units, by rank then id.
    fn ranked(&self, group: usize) -> &[usize] {
        &self.standings.order[group]
    }

    fn framework(&self, group: usize) -> &'a Framework {
        &self.council.frameworks[self.council.groups[group].framework]
    }
}

/// The three exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The workbook `Kết quả thẩm định`.
    Xlsx,
    /// The minutes of the meeting (biên bản), one self-contained page.
    Html,
    /// One row per unit and leaf.
    Csv,
    /// The minutes as a Word document, per Nghị định 30.
    Minutes,
    /// The draft decision publishing the result, with its landscape annex.
    Decision,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Xlsx,
        Kind::Html,
        Kind::Csv,
        Kind::Minutes,
        Kind::Decision,
    ];

    /// What the signed folder holds of them (the per-leaf CSV is in its unit files).
    pub const SIGNED: [Kind; 4] = [Kind::Xlsx, Kind::Html, Kind::Minutes, Kind::Decision];

    /// The file's name in an export folder and in the signed folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Xlsx => "ket-qua.xlsx",
            Kind::Html => "bien-ban.html",
            Kind::Csv => "ket-qua.csv",
            Kind::Minutes => "bien-ban.docx",
            Kind::Decision => "du-thao-quyet-dinh.docx",
        }
    }
}

/// The bytes of one export.
pub fn render(kind: Kind, snap: &Snapshot) -> Result<Vec<u8>> {
    Ok(match kind {
        Kind::Xlsx => workbook::workbook(snap)?,
        Kind::Html => minutes::minutes(snap).into_bytes(),
        Kind::Csv => leaves_csv(snap).into_bytes(),
        Kind::Minutes => papers::minutes(snap)?,
        Kind::Decision => papers::decision(snap)?,
    })
}

/// Writes every export into `dir` (each file whole or not at all); returns the paths.
pub fn write_all(dir: &Path, snap: &Snapshot) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let path = dir.join(kind.file_name());
        crate::files::write_atomic(&path, &render(kind, snap)?)?;
        out.push(path);
    }
    Ok(out)
}

/// The per-leaf CSV: a BOM (so that Excel reads it as UTF-8), RFC 4180 quoting,
/// CRLF line ends as Excel writes them, every text from the inputs made safe.
///
/// After more than one round, a column per round gives each leaf's points as
/// that round left it (`points_round_1`, …; `na` where not applicable).
pub fn leaves_csv(snap: &Snapshot) -> String {
    let c = snap.council;
    let rounds = snap.rounds();
    let mut s = String::from(
        "\u{feff}group,unit,code,criterion,max,self_points,points,na,comment,decided_by,decided_at",
    );
    if rounds > 1 {
        for r in 1..=rounds {
            s += &format!(",points_round_{r}");
        }
    }
    s.push_str("\r\n");
    for (g, group) in c.groups.iter().enumerate() {
        let fw = snap.framework(g);
        for &u in snap.ranked(g) {
            for (l, leaf) in fw.leaves.iter().enumerate() {
                let own = self_value(c, u, l);
                let value = snap.appraisal.value(c, u, l);
                let d = snap.appraisal.decisions.get(&(u, l));
                let text = |t: &str| csv_field(&safe_text(t));
                let fields = [
                    text(&group.id),
                    text(&c.units[u].id),
                    text(&leaf.code),
                    text(&leaf.name),
                    leaf.max.to_string(),
                    if !crate::appraisal::self_assessed(c, u, l) {
                        String::new()
                    } else if own.na {
                        "na".into()
                    } else {
                        own.points.to_string()
                    },
                    if value.na {
                        "na".into()
                    } else {
                        value.points.to_string()
                    },
                    if value.na { "x".into() } else { String::new() },
                    text(d.map_or("", |d| d.comment.as_str())),
                    text(d.map_or("", |d| d.member.as_str())),
                    text(d.map_or("", |d| d.at.as_str())),
                ];
                s.push_str(&fields.join(","));
                if rounds > 1 {
                    for r in 1..=rounds {
                        let then = snap.value_in_round(u, l, r);
                        s.push(',');
                        s += &if then.na {
                            "na".to_string()
                        } else {
                            then.points.to_string()
                        };
                    }
                }
                s.push_str("\r\n");
            }
        }
    }
    s
}

/// A text that a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`, or
/// one starting with a tab or a carriage return) gets a leading apostrophe, so
/// it is shown as the text it is.
pub fn safe_text(s: &str) -> Cow<'_, str> {
    if formula_like(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether a spreadsheet would take this text for a formula.
pub fn formula_like(s: &str) -> bool {
    s.starts_with([
        '=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ])
}

/// A member's name as council.toml gives it, else the id.
/// Points as a paper shows them: `KAD` where not applicable.
fn points_or_kad(v: Value) -> String {
    if v.na {
        workbook::NA.into()
    } else {
        v.points.to_string()
    }
}

/// ` (Name ghi tại cuộc họp)` after what the chair or the secretary recorded
/// at the meeting for a member; nothing when the member recorded it.
fn at_meeting(c: &Council, recorder: Option<&str>) -> String {
    recorder
        .map(|r| format!(" ({} ghi tại cuộc họp)", member_name(c, r)))
        .unwrap_or_default()
}

fn member_name<'c>(c: &'c Council, id: &'c str) -> &'c str {
    c.member(id).map_or(id, |m| m.name.as_str())
}
