//! The validated council: members, groups, roster, frameworks, and each unit's self-assessment.
//!
//! Everything here has passed the loader's checks; nothing refers to the terminal.

use std::collections::HashMap;

use crate::points::Points;

/// A council folder, loaded and checked.
#[derive(Clone, Debug)]
pub struct Council {
    pub name: String,
    pub authority: String,
    pub year: i64,
    pub members: Vec<Member>,
    pub groups: Vec<Group>,
    /// The roster, in council.toml order.
    pub units: Vec<Unit>,
    pub frameworks: Vec<Framework>,
    /// One entry per roster unit (same index as `units`).
    pub assessments: Vec<Assessment>,
    /// The survey files that were read (their names, as given).
    pub surveys: Vec<String>,
    /// The units' explanations (giải trình), in file order.
    pub explanations: Vec<Explanation>,
    /// Unit id → index into `units`.
    pub unit_lookup: HashMap<String, usize>,
    /// The share of all voting members that approvals must exceed, in
    /// millionths (`approval = 0.5` in council.toml: 500000, more than half).
    pub approval: i64,
    /// Two-person confirmation: a decision counts once another member confirms it.
    pub confirm: bool,
    /// Days a unit has to explain a closed round's result, counted from the
    /// close (`explanation_days`; `None`: the notice names no day unless
    /// `round close --deadline` does).
    pub explanation_days: Option<u32>,
    /// Last year's signed folder (`previous`, resolved against the council folder).
    pub previous: Option<std::path::PathBuf>,
    /// The SHA-256 of the input files' bytes it was loaded from, by name, when
    /// the load kept it (`load::load_hashed`).
    pub inputs: Option<[u8; 32]>,
    /// Which load made this council (clones share it): a session keeps the
    /// state its log adds up to per council, and applies only new events.
    pub stamp: u64,
}

/// A new council's stamp: unique in the process.
pub fn next_stamp() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A province's council holds a million texts and lists in its claims:
/// freeing them one by one takes a tenth of a second at 10,000 units. A large
/// council's claims are freed on a thread of their own, so that neither a
/// screen that reloads its folder nor a command that ends waits for it
/// ([`wait_freed`] waits).
impl Drop for Council {
    fn drop(&mut self) {
        if self.assessments.len() < 1_000 {
            return;
        }
        let claims = std::mem::take(&mut self.assessments);
        let (count, done) = &FREEING;
        *count.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        let freed = move || {
            drop(claims);
            *count.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
            done.notify_all();
        };
        // Where no thread can be started, they were freed with the closure.
        if let Err(e) = std::thread::Builder::new().name("free".into()).spawn(freed) {
            tracing::debug!("claims freed in place: {e}");
            *count.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
            done.notify_all();
        }
    }
}

/// How many councils' claims are being freed, and their end signalled.
static FREEING: (std::sync::Mutex<usize>, std::sync::Condvar) =
    (std::sync::Mutex::new(0), std::sync::Condvar::new());

/// Waits until the claims of every council dropped so far are freed: what a
/// benchmark does between two runs, so that one does not pay for the other.
pub fn wait_freed() {
    let (count, done) = &FREEING;
    let mut n = count.lock().unwrap_or_else(|e| e.into_inner());
    while *n > 0 {
        n = done.wait(n).unwrap_or_else(|e| e.into_inner());
    }
}

/// The default approval threshold: more than half of the voting members.
pub const MORE_THAN_HALF: i64 = 500_000;

#[derive(Clone, Debug)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub role: String,
    pub chair: bool,
    /// The council's secretary (thư ký), who signs the minutes with the chair.
    pub secretary: bool,
    pub pubkey: Option<String>,
    /// The member's PostgreSQL login role (`db_role`): on a server, events
    /// that role writes are theirs only (see `session::postgres`).
    pub db_role: Option<String>,
    /// Unit ids this member may not decide on.
    pub conflicts: Vec<String>,
    /// The fields this member appraises before the meeting (`None`: any).
    pub fields: Option<Assigned>,
    /// Whether the member votes on the result (the assisting team does not).
    pub voting: bool,
}

/// A member's assigned fields: the same codes in every framework, or codes by framework id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assigned {
    pub everywhere: Vec<String>,
    pub by_framework: HashMap<String, Vec<String>>,
}

impl Assigned {
    /// The field codes assigned in a framework.
    pub fn in_framework(&self, framework: &str) -> &[String] {
        self.by_framework
            .get(framework)
            .map_or(&self.everywhere[..], Vec::as_slice)
    }
}

impl Member {
    /// The chair or the secretary: who leads the meeting, closes rounds and
    /// records for other members.
    pub fn leads(&self) -> bool {
        self.chair || self.secretary
    }

    /// Whether the member is in conflict with the unit (by its id): they
    /// neither decide on it nor count in its work.
    pub fn conflicts_with(&self, unit: &str) -> bool {
        self.conflicts.iter().any(|c| c == unit)
    }

    /// Whether the member may decide a leaf of this field (by its code) in
    /// this framework: the chair, the secretary and a member without
    /// assignments decide any leaf.
    pub fn assigned_to(&self, framework: &str, field: &str) -> bool {
        if self.leads() {
            return true;
        }
        self.fields
            .as_ref()
            .is_none_or(|a| a.in_framework(framework).iter().any(|f| f == field))
    }
}

#[derive(Clone, Debug)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// Index into `Council::frameworks`.
    pub framework: usize,
}

#[derive(Clone, Debug)]
pub struct Unit {
    pub id: String,
    pub name: String,
    /// The roster's name for where room is short, when it gives one.
    pub short: Option<String>,
    /// Index into `Council::groups`.
    pub group: usize,
    /// Last year's unit ids it continues (`formerly`; empty: the unit of the same id, if any).
    pub formerly: Vec<String>,
}

/// A criteria set (bộ tiêu chí): fields → criteria → scored leaves.
#[derive(Clone, Debug)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub year: i64,
    /// The default step when adjusting points.
    pub step: Points,
    /// Highest `min` first; the last has `min` 0.
    pub bands: Vec<Band>,
    pub fields: Vec<Field>,
    /// Every scored leaf, in file order.
    pub leaves: Vec<Leaf>,
    /// Leaf code → index into `leaves`.
    pub leaf_index: HashMap<String, usize>,
    /// The highest index, in hundredths of a percent, where the framework
    /// caps it (`max_index`; with bonus points a total can pass the max).
    pub max_index: Option<Points>,
    /// Path of the file it came from, relative to the council folder.
    pub path: String,
}

#[derive(Clone, Debug)]
pub struct Band {
    pub name: String,
    /// The lowest index, in hundredths of a percent, that earns the band.
    pub min: Points,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub code: String,
    pub name: String,
    pub criteria: Vec<Criterion>,
    /// Range of leaf indexes in `Framework::leaves`.
    pub leaves: std::ops::Range<usize>,
}

#[derive(Clone, Debug)]
pub struct Criterion {
    pub code: String,
    pub name: String,
    /// Range of leaf indexes; a criterion scored itself has exactly one leaf,
    /// whose code is the criterion's.
    pub leaves: std::ops::Range<usize>,
}

/// A scored leaf: a sub-criterion, or a criterion without sub-criteria.
#[derive(Clone, Debug)]
pub struct Leaf {
    pub code: String,
    pub name: String,
    /// 0 for a deduction leaf; a bonus leaf's highest bonus.
    pub max: Points,
    pub rule: Rule,
    pub guide: Option<String>,
    pub evidence: Option<String>,
    /// May the leaf be declared not applicable?
    pub na: bool,
    /// Index of its field in `Framework::fields`.
    pub field: usize,
}

/// How a leaf is scored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Exactly one of the levels.
    Levels(Vec<Level>),
    /// Any value from 0 to max.
    Range,
    /// Derived from numerator / denominator by bands (highest `min` first).
    Ratio(Vec<RatioBand>),
    /// From `min` (negative) to 0.
    Deduction { min: Points },
    /// From surveys/, read-only.
    Survey,
    /// Bonus points (điểm thưởng) from 0 to max; the max is not part of the unit's max.
    Bonus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    pub points: Points,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatioBand {
    /// Lowest ratio, in hundredths of a percent.
    pub min: Points,
    pub points: Points,
}

impl Rule {
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Levels(_) => "levels",
            Rule::Range => "range",
            Rule::Ratio(_) => "ratio",
            Rule::Deduction { .. } => "deduction",
            Rule::Survey => "survey",
            Rule::Bonus => "bonus",
        }
    }
}

/// A unit's self-assessment, aligned with its framework's leaves.
#[derive(Clone, Debug)]
pub struct Assessment {
    /// None when the unit sent no file ("not submitted").
    pub file: Option<AssessmentFile>,
    /// One claim per leaf of the framework, same index.
    pub claims: Vec<Claim>,
}

/// A unit's explanation of one round's result (`explanations/*.toml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// Index into `Council::units`.
    pub unit: usize,
    /// The round whose result it explains.
    pub round: i64,
    pub submitted: Option<String>,
    pub items: Vec<Explained>,
    /// Relative to the council folder.
    pub path: String,
    /// Where its `round` stands (line, column), to refuse a round never closed.
    pub round_at: (usize, usize),
}

/// The unit's words on one leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    pub code: String,
    /// Index into the unit's framework's leaves.
    pub leaf: usize,
    pub text: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug)]
pub struct AssessmentFile {
    pub path: String,
    pub submitted: String,
    pub signed_by: Option<String>,
}

/// What the unit claims for one leaf (or, for a survey leaf, what the survey gave).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claim {
    pub points: Points,
    pub na: bool,
    /// For ratio leaves: the figures the points derive from.
    pub ratio: Option<(u64, u64)>,
    pub note: Option<String>,
    pub evidence: Vec<Evidence>,
    pub flags: Flags,
}

/// Marks that a leaf needs a look.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// The unit gave no item for this leaf.
    pub not_assessed: bool,
    /// Points above 0 and no evidence cited.
    pub no_evidence: bool,
    /// A survey leaf with no survey result.
    pub no_survey: bool,
}

impl Flags {
    pub fn any(self) -> bool {
        self.not_assessed || self.no_evidence || self.no_survey
    }
}

/// One document a claim cites: its reference (a decision's number and
/// date), and a title, a file in the council folder and an address, each if
/// given.
///
/// Its four texts are kept as one allocation (a province cites half a
/// million of them): 32 bytes and one text each, rather than four `String`s.
#[derive(Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The reference, title, file and address, one after the other.
    texts: Box<str>,
    /// Where the reference, the title and the file end in `texts`.
    ends: [u32; 3],
    /// Which of the title, file and address are given (bits 0, 1, 2).
    given: u8,
    /// Whether that file exists in the folder (checked when loading).
    pub file_exists: bool,
}

impl Evidence {
    pub fn new(
        reference: &str,
        title: Option<&str>,
        file: Option<&str>,
        url: Option<&str>,
        file_exists: bool,
    ) -> Evidence {
        let parts = [Some(reference), title, file, url];
        let mut texts = String::with_capacity(parts.iter().flatten().map(|t| t.len()).sum());
        let mut ends = [0u32; 3];
        let mut given = 0u8;
        for (i, part) in parts.iter().enumerate() {
            texts.push_str(part.unwrap_or(""));
            if i > 0 && part.is_some() {
                given |= 1 << (i - 1);
            }
            if let Some(end) = ends.get_mut(i) {
                // The texts are bounded when read (a line of a few thousand
                // characters at most), far below 4 GB.
                *end = u32::try_from(texts.len()).unwrap_or(u32::MAX);
            }
        }
        Evidence {
            texts: texts.into_boxed_str(),
            ends,
            given,
            file_exists,
        }
    }

    /// The `i`-th text (0 the reference, then the title, file and address).
    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends.get(i).map_or(self.texts.len(), |e| *e as usize);
        self.texts.get(start..end).unwrap_or("")
    }

    fn given(&self, i: usize) -> Option<&str> {
        (self.given & 1 << (i - 1) != 0).then(|| self.part(i))
    }

    pub fn reference(&self) -> &str {
        self.part(0)
    }

    pub fn title(&self) -> Option<&str> {
        self.given(1)
    }

    /// Path inside the council folder.
    pub fn file(&self) -> Option<&str> {
        self.given(2)
    }

    pub fn url(&self) -> Option<&str> {
        self.given(3)
    }
}

impl std::fmt::Debug for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evidence")
            .field("reference", &self.reference())
            .field("title", &self.title())
            .field("file", &self.file())
            .field("file_exists", &self.file_exists)
            .field("url", &self.url())
            .finish()
    }
}

impl Council {
    /// Whether the unit explained this leaf for that round.
    pub fn explained(&self, unit: usize, code: &str, round: i64) -> bool {
        self.explanation_of(unit, code, round).is_some()
    }

    /// The unit's explanation of a leaf for a round.
    pub fn explanation_of(&self, unit: usize, code: &str, round: i64) -> Option<&Explained> {
        self.explanations
            .iter()
            .filter(|e| e.unit == unit && e.round == round)
            .flat_map(|e| &e.items)
            .find(|i| i.code == code)
    }

    pub fn unit_index(&self, id: &str) -> Option<usize> {
        self.unit_lookup.get(id).copied()
    }

    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    pub fn framework_of(&self, unit: usize) -> &Framework {
        &self.frameworks[self.groups[self.units[unit].group].framework]
    }

    /// Roster indexes of the units of one group, in roster order.
    pub fn units_of_group(&self, group: usize) -> impl Iterator<Item = usize> + '_ {
        self.units
            .iter()
            .enumerate()
            .filter(move |(_, u)| u.group == group)
            .map(|(i, _)| i)
    }

    pub fn submitted(&self, unit: usize) -> bool {
        self.assessments[unit].file.is_some()
    }
}

impl Council {
    /// Per unit, a name that tells it from the others of its group where room
    /// is short: the roster's `short`, else the name without the words it
    /// shares at the start with other units of the group ("UBND xã", "Phòng"),
    /// keeping at least two words and never making two units of a group alike.
    pub fn short_names(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .units
            .iter()
            .map(|u| u.short.clone().unwrap_or_default())
            .collect();
        for g in 0..self.groups.len() {
            let members: Vec<usize> = self.units_of_group(g).collect();
            let words: Vec<Vec<&str>> = members
                .iter()
                .map(|&u| self.units[u].name.split_whitespace().collect())
                .collect();
            // How many words to drop, per unit: the longest start that leaves
            // two words or more and that three units of the group or more
            // share, a kind of unit ("Sở", "UBND xã", "Phòng"), not two
            // units' common words ("Phòng Tài" of "Phòng Tài chính, Kế
            // hoạch" and "Phòng Tài nguyên và Môi trường").
            let enough = 3;
            let mut drop: Vec<usize> = words
                .iter()
                .map(|w| {
                    (1..w.len().saturating_sub(1))
                        .rev()
                        .find(|&k| {
                            words
                                .iter()
                                .filter(|o| o.len() >= k && o[..k] == w[..k])
                                .count()
                                >= enough
                        })
                        .unwrap_or(0)
                })
                .collect();
            // Two units alike after dropping keep more of their names, down to the full name.
            loop {
                let shown: Vec<String> = words
                    .iter()
                    .zip(&drop)
                    .map(|(w, &k)| w[k..].join(" "))
                    .collect();
                let mut clash = false;
                for i in 0..shown.len() {
                    if drop[i] > 0
                        && shown
                            .iter()
                            .enumerate()
                            .any(|(j, s)| j != i && *s == shown[i])
                    {
                        drop[i] -= 1;
                        clash = true;
                    }
                }
                if !clash {
                    for (k, &u) in members.iter().enumerate() {
                        if out[u].is_empty() {
                            out[u] = shown[k].clone();
                        }
                    }
                    break;
                }
            }
        }
        out
    }
}

impl Criterion {
    /// Whether the criterion is scored itself: its one leaf carries its code.
    pub fn scored_itself(&self, leaves: &[Leaf]) -> bool {
        self.leaves.len() == 1 && leaves[self.leaves.start].code == self.code
    }
}

impl Framework {
    pub fn leaf(&self, code: &str) -> Option<(usize, &Leaf)> {
        self.leaf_index.get(code).map(|&i| (i, &self.leaves[i]))
    }

    /// The sum of every leaf's max (nothing not applicable).
    pub fn full_max(&self) -> Points {
        self.max_of(&(0..self.leaves.len()))
    }

    /// The sum of the max of a range of leaves (a field's, a criterion's);
    /// a bonus leaf adds nothing.
    pub fn max_of(&self, leaves: &std::ops::Range<usize>) -> Points {
        self.leaves[leaves.clone()]
            .iter()
            .map(Leaf::counted_max)
            .sum()
    }
}

/// What a paper's column says for a field of bonus and deducted points only, in place of a max.
pub const EXTRA_FIELD_LABEL: &str = "thưởng, trừ";

impl Framework {
    /// What a field's column says under its name: its max, or, for a field
    /// of bonus and deducted points only (max 0), "thưởng, trừ".
    pub fn field_max_label(&self, field: &Field) -> String {
        if self.bonus_and_deductions_only(field) {
            EXTRA_FIELD_LABEL.into()
        } else {
            self.max_of(&field.leaves).to_string()
        }
    }

    /// Whether a field holds only bonus and deduction leaves (the content of
    /// bonus and deducted points): it has no max of its own.
    pub fn bonus_and_deductions_only(&self, field: &Field) -> bool {
        !field.leaves.is_empty()
            && self.leaves[field.leaves.clone()]
                .iter()
                .all(|l| matches!(l.rule, Rule::Bonus | Rule::Deduction { .. }))
    }
}

impl Leaf {
    /// What the leaf adds to its unit's max: its max, but nothing for a
    /// bonus leaf (its points may lift a total past the max).
    pub fn counted_max(&self) -> Points {
        if self.rule == Rule::Bonus {
            Points::ZERO
        } else {
            self.max
        }
    }
}

#[cfg(test)]
mod evidence {
    use super::Evidence;

    #[test]
    fn every_text_of_a_citation_reads_back_as_given() {
        let texts = [None, Some(""), Some("Kế hoạch | năm 2025"), Some("ổ")];
        for title in texts {
            for file in texts {
                for url in texts {
                    for reference in ["", "QĐ số 125/QĐ-UBND"] {
                        let e = Evidence::new(reference, title, file, url, file.is_some());
                        assert_eq!(e.reference(), reference);
                        assert_eq!(e.title(), title, "{e:?}");
                        assert_eq!(e.file(), file, "{e:?}");
                        assert_eq!(e.url(), url, "{e:?}");
                        assert_eq!(e.file_exists, file.is_some());
                        // Equal exactly when every text is.
                        let other = Evidence::new(reference, url, file, title, e.file_exists);
                        assert_eq!(e == other, title == url, "{e:?} {other:?}");
                    }
                }
            }
        }
        assert!(std::mem::size_of::<Evidence>() <= 32);
    }
}

#[cfg(test)]
mod freeing {
    use super::{Council, FREEING, wait_freed};

    #[test]
    fn after_large_councils_are_dropped_waiting_leaves_no_claims_being_freed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let mut c: Council = crate::load::load(&dir).expect("the demo");
        c.assessments = vec![c.assessments[0].clone(); 5_000];
        let copies = vec![c.clone(), c.clone(), c];
        drop(copies);
        wait_freed();
        assert_eq!(*FREEING.0.lock().unwrap(), 0);
    }
}
