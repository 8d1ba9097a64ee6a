//! Every word the user reads, in one place per language: `vi` (the default) and
//! `en`, chosen with `--lang` or `LANG`. Messages with blanks are templates
//! filled in order by [`fill`].

use clap::ValueEnum;

use crate::appraisal::{Refusal, Unallowed};
use crate::model::Rule;
use crate::points::Points;

mod en;
mod vi;
mod words;

pub use words::Words;

/// Labels of the table's columns.
pub struct TableLabels {
    pub rank: &'static str,
    pub unit: &'static str,
    pub name: &'static str,
    pub self_index: &'static str,
    pub points: &'static str,
    pub max: &'static str,
    pub index: &'static str,
    pub band: &'static str,
    pub not_submitted: &'static str,
}

/// The language of labels; Vietnamese by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The language of `LANG` (or `LC_ALL`/`LC_MESSAGES`): English for `en…`, else Vietnamese.
    pub fn from_env() -> Lang {
        let v = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if v.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }

    /// The command line's help texts.
    pub fn help(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::Vi => vi::VI_HELP,
            Lang::En => en::EN_HELP,
        }
    }

    pub fn words(self) -> &'static Words {
        match self {
            Lang::Vi => &vi::VI,
            Lang::En => &en::EN,
        }
    }

    pub fn table(self) -> TableLabels {
        match self {
            Lang::Vi => TableLabels {
                rank: "Hạng",
                unit: "Mã",
                name: "Đơn vị",
                self_index: "Chỉ số tự chấm",
                points: "Điểm",
                max: "Tối đa",
                index: "Chỉ số",
                band: "Xếp loại",
                not_submitted: "chưa nộp",
            },
            Lang::En => TableLabels {
                rank: "Rank",
                unit: "Id",
                name: "Unit",
                self_index: "Self index",
                points: "Points",
                max: "Max",
                index: "Index",
                band: "Band",
                not_submitted: "not submitted",
            },
        }
    }
}

/// The language of this process's messages that are made where no language is
/// at hand (errors of the library's operations). The command line sets it to
/// the run's language and the screen's loop keeps it to the screen's; a
/// library caller that sets nothing reads English.
static VIETNAMESE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets the language of [`say`].
pub fn set_current(lang: Lang) {
    VIETNAMESE.store(lang == Lang::Vi, std::sync::atomic::Ordering::Relaxed);
}

/// The language [`say`] uses.
pub fn current() -> Lang {
    if VIETNAMESE.load(std::sync::atomic::Ordering::Relaxed) {
        Lang::Vi
    } else {
        Lang::En
    }
}

/// A message in the current language.
pub fn say(f: impl Fn(&'static Words) -> String) -> String {
    f(current().words())
}

/// Fills the `{}` blanks of a template, in order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// The kind of a scoring rule, in words.
pub fn rule_kind(lang: Lang, rule: &Rule) -> &'static str {
    let w = lang.words();
    match rule {
        Rule::Levels(_) => w.rk_levels,
        Rule::Range => w.rk_range,
        Rule::Ratio(_) => w.rk_ratio,
        Rule::Deduction { .. } => w.rk_deduction,
        Rule::Survey => w.rk_survey,
        Rule::Bonus => w.rk_bonus,
    }
}

/// A scoring rule in words, one line per level or band.
/// An act in a few words (`a vote`).
pub fn act_word(w: &Words, act: crate::appraisal::Act) -> &'static str {
    use crate::appraisal::Act;
    match act {
        Act::Decide => w.act_decide,
        Act::Ask => w.act_ask,
        Act::Round => w.act_round,
        Act::Agenda => w.act_agenda,
        Act::Attend => w.act_attend,
        Act::Written => w.act_written,
        Act::Vote => w.act_vote,
        Act::Confirm => w.act_confirm,
        Act::Reopen => w.act_reopen,
        Act::Signoff => w.act_signoff,
    }
}

pub fn rule_text(lang: Lang, rule: &Rule, max: Points) -> Vec<String> {
    let w = lang.words();
    match rule {
        Rule::Levels(levels) => levels
            .iter()
            .map(|l| format!("  {} = {}", l.points.short(), l.label))
            .collect(),
        Rule::Range => vec![fill(w.rt_range, &[&max.short()])],
        Rule::Ratio(bands) => {
            let mut v: Vec<String> = bands
                .iter()
                .map(|b| format!("  ≥ {}% → {}", b.min.short(), b.points.short()))
                .collect();
            v.push(format!("  {} → 0", w.below_every_band));
            v
        }
        Rule::Deduction { min } => vec![fill(w.rt_deduction, &[&min.short()])],
        Rule::Survey => vec![w.rt_survey.into()],
        Rule::Bonus => vec![fill(w.rt_bonus, &[&max.short()])],
    }
}

/// Why a decision was refused, in the user's language. `rule` is the leaf's
/// rule when known, to say what would be right.
pub fn refusal(lang: Lang, r: &Refusal) -> String {
    refusal_on(lang, r, None)
}

/// [`refusal`] with the leaf's rule and max, which a refused value is measured against.
pub fn refusal_on(lang: Lang, r: &Refusal, rule: Option<(&Rule, Points)>) -> String {
    let w = lang.words();
    match r {
        Refusal::UnknownMember(m) => fill(w.rf_unknown_member, &[&m]),
        Refusal::UnknownUnit(u) => fill(w.rf_unknown_unit, &[&u]),
        Refusal::UnknownLeaf {
            unit,
            code,
            framework,
        } => fill(w.rf_unknown_leaf, &[&unit, &code, &framework]),
        Refusal::Survey(code) => fill(w.rf_survey, &[&code]),
        Refusal::Conflict { member, unit } => fill(w.rf_conflict, &[&member, &unit]),
        Refusal::OutsideFields {
            member,
            code,
            field,
            fields,
        } => fill(w.rf_outside_fields, &[&member, &fields, &code, &field]),
        Refusal::RoundNotAllowed(m) => fill(w.rf_round_not_allowed, &[&m]),
        Refusal::RequestNeeded(code) => fill(w.rf_request_needed, &[&code]),
        Refusal::NaNotAllowed(code) => fill(w.rf_na_not_allowed, &[&code]),
        Refusal::CommentNeeded(code) => fill(w.rf_comment_needed, &[&code]),
        Refusal::NothingLeft(code) => fill(w.rf_nothing_left, &[&code]),
        Refusal::Locked => w.rf_locked.into(),
        Refusal::AlreadySigned { by, at } => fill(w.rf_already_signed, &[&by, &at]),
        Refusal::NotLocked => w.rf_not_locked.into(),
        Refusal::ReopenNotAllowed { member, signer } => {
            fill(w.rf_reopen_not_allowed, &[&signer, &member])
        }
        Refusal::ReasonNeeded => w.rf_reason_needed.into(),
        Refusal::ReasonTooLong(n, max) => fill(w.rf_reason_too_long, &[&n, &max]),
        Refusal::NotVoting(m) => fill(w.rf_not_voting, &[&m]),
        Refusal::VoterAbsent(m) => fill(w.rf_voter_absent, &[&m]),
        Refusal::WrittenNeedsReference => w.rf_written_needs_reference.into(),
        Refusal::AgendaNotAllowed(m) => fill(w.rf_agenda_not_allowed, &[&m]),
        Refusal::NoAgendaItem(n, len) => fill(w.rf_no_agenda_item, &[&len, &n]),
        Refusal::NotApproved {
            approve,
            voting,
            needed,
            share,
        } => fill(w.rf_not_approved, &[&approve, &voting, &share, &needed]),
        Refusal::NothingPending { unit, code } => fill(w.rf_nothing_pending, &[&code, &unit]),
        Refusal::SelfConfirm(m) => fill(w.rf_self_confirm, &[&m]),
        Refusal::PendingLeft(n) => fill(w.rf_pending_left, &[&n]),
        Refusal::NothingToUndo(m) => fill(w.rf_nothing_to_undo, &[&m]),
        Refusal::NothingToRedo(m) => fill(w.rf_nothing_to_redo, &[&m]),
        Refusal::KeyNeeded(m) => fill(w.rf_key_needed, &[&m, &m, &m]),
        Refusal::BadDeadline(d) => fill(w.rf_bad_deadline, &[&d]),
        Refusal::SignedOnly { member, act } => {
            fill(w.rf_signed_only, &[&act_word(w, *act), &member, &member])
        }
        Refusal::NotOnBehalf { recorder, member } => {
            fill(w.rf_not_on_behalf, &[&recorder, &member])
        }
        Refusal::NeverOnBehalf { member, act } => {
            fill(w.rf_never_on_behalf, &[&act_word(w, *act), &member])
        }
        Refusal::AbsentOnBehalf(m) => fill(w.rf_absent_on_behalf, &[&m]),
        Refusal::SameRecorder(m) => fill(w.rf_same_recorder, &[&m]),
        Refusal::KeyNotMembers(m) => fill(w.rf_key_not_members, &[&m, &m]),
        Refusal::NoPubkey { member, pubkey } => fill(w.rf_no_pubkey, &[&member, &pubkey, &member]),
        Refusal::Stale(c) => fill(w.rf_stale, &[&c.code, &c.unit, &c.by, &c.value, &c.at]),
        Refusal::ChangedSince { unit, code, by } => fill(w.rf_changed_since, &[&code, &unit, &by]),
        Refusal::Rule { code, why } => {
            let why = unallowed(w, why);
            match rule {
                Some((rule, max)) => {
                    let text = rule_text(lang, rule, max)
                        .iter()
                        .map(|l| l.trim())
                        .collect::<Vec<_>>()
                        .join("; ");
                    fill(w.rf_rule_known, &[code, &text, &why])
                }
                None => fill(w.rf_rule, &[code, &why]),
            }
        }
    }
}

/// Why a value does not fit a leaf's rule, in a language's words.
pub fn unallowed(w: &Words, why: &Unallowed) -> String {
    match why {
        Unallowed::Points(e) => not_allowed(w, e),
        Unallowed::NotARatio(rule) => fill(w.rf_not_ratio, &[&rule_kind_in(w, rule)]),
        Unallowed::Figures(n, d) => fill(w.rf_figures, &[n, d]),
    }
}

/// A refusal reads in English where no language is chosen (its error chain).
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&refusal(Lang::En, self))
    }
}

impl std::error::Error for Refusal {}

impl std::fmt::Display for crate::score::NotAllowed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&not_allowed(Lang::En.words(), self))
    }
}

impl std::error::Error for crate::score::NotAllowed {}

impl std::fmt::Display for crate::points::PointsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(points_error(Lang::En.words(), self))
    }
}

impl std::error::Error for crate::points::PointsError {}

/// Why a number's text is not points, in a language's words.
pub fn points_error(w: &Words, e: &crate::points::PointsError) -> &'static str {
    use crate::points::PointsError;
    match e {
        PointsError::NotFinite => w.ld_pe_not_finite,
        PointsError::TooPrecise => w.ld_pe_too_precise,
        PointsError::TooLarge => w.ld_pe_too_large,
        PointsError::NotANumber => w.ld_pe_not_a_number,
    }
}

/// Why points are not allowed on a leaf, in a language's words.
pub fn not_allowed(w: &Words, e: &crate::score::NotAllowed) -> String {
    use crate::score::{NotAllowed, shorts};
    match e {
        NotAllowed::NotALevel(p, allowed) => {
            fill(w.ld_not_a_level, &[&p.short(), &shorts(allowed)])
        }
        NotAllowed::NotABand(p, allowed) => fill(w.ld_not_a_band, &[&p.short(), &shorts(allowed)]),
        NotAllowed::Outside(p, lo, hi) => {
            fill(w.ld_outside, &[&p.short(), &lo.short(), &hi.short()])
        }
        NotAllowed::Survey => w.ld_survey_only.into(),
        NotAllowed::SurveyOutside(p, max) => fill(w.ld_survey_outside, &[&p.short(), &max.short()]),
    }
}

/// The kind of a scoring rule in a language's words (as [`rule_kind`]).
pub fn rule_kind_in(w: &Words, rule: &Rule) -> &'static str {
    rule_kind(lang_of(w), rule)
}

/// The language whose table `w` is: told by its address, which is one only
/// because the tables are `static`s (a `const`'s address may differ from
/// one use to the next, as it does once the code is optimised).
pub fn lang_of(w: &Words) -> Lang {
    if std::ptr::eq(w, Lang::En.words()) {
        Lang::En
    } else {
        Lang::Vi
    }
}

#[cfg(test)]
mod blanks {
    /// A template is filled in order: both languages must leave the same
    /// number of blanks, or a value would be lost or shown in the wrong place.
    #[test]
    fn every_word_has_as_many_blanks_in_both_languages() {
        let differ: Vec<String> = super::vi::VI
            .named()
            .into_iter()
            .zip(super::en::EN.named())
            .filter(|((_, vi), (_, en))| vi.matches("{}").count() != en.matches("{}").count())
            .map(|((name, vi), (_, en))| format!("{name}: {vi:?} / {en:?}"))
            .collect();
        assert!(differ.is_empty(), "blanks differ:\n{}", differ.join("\n"));
    }
}
