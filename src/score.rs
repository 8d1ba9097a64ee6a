//! The scoring rules: allowed points per leaf, unit totals, index, band and competition rank.
//!
//! Each rule of `data-format.md` lives here once; the loader, the session and
//! the screen all call these functions.

use std::cmp::Ordering;

use crate::model::{Band, Council, Framework, Leaf, RatioBand, Rule};
use crate::points::{Points, div_round_half_up};

/// The value of a leaf for scoring: points, or not applicable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Value {
    pub points: Points,
    pub na: bool,
}

/// Why points are not allowed on a leaf (worded by `Display` in English, by
/// `i18n::not_allowed` in the run's language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotAllowed {
    NotALevel(Points, Vec<Points>),
    NotABand(Points, Vec<Points>),
    Outside(Points, Points, Points),
    Survey,
    SurveyOutside(Points, Points),
}

/// Points as a list: `1, 0.5, 0`.
pub fn shorts(points: &[Points]) -> String {
    points
        .iter()
        .map(|p| p.short())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `p` is allowed on this leaf; the reason when it is not.
pub fn check_points(leaf: &Leaf, p: Points) -> Result<(), NotAllowed> {
    match &leaf.rule {
        Rule::Levels(levels) => {
            if levels.iter().any(|l| l.points == p) {
                Ok(())
            } else {
                Err(NotAllowed::NotALevel(
                    p,
                    levels.iter().map(|l| l.points).collect(),
                ))
            }
        }
        Rule::Range => within(p, Points::ZERO, leaf.max),
        Rule::Ratio(bands) => {
            if p == Points::ZERO || bands.iter().any(|b| b.points == p) {
                Ok(())
            } else {
                let mut allowed: Vec<Points> = bands.iter().map(|b| b.points).collect();
                if !bands.iter().any(|b| b.points == Points::ZERO) {
                    allowed.push(Points::ZERO);
                }
                Err(NotAllowed::NotABand(p, allowed))
            }
        }
        Rule::Deduction { min } => within(p, *min, Points::ZERO),
        Rule::Survey => Err(NotAllowed::Survey),
        Rule::Bonus => within(p, Points::ZERO, leaf.max),
    }
}

/// The values a levels or ratio leaf allows, as its rule lists them (a ratio
/// leaf's 0 last when no band gives it: below every band); empty for a leaf
/// that takes any value in a range (and for a survey leaf).
pub fn choices(leaf: &Leaf) -> Vec<Points> {
    match &leaf.rule {
        Rule::Levels(levels) => levels.iter().map(|l| l.points).collect(),
        Rule::Ratio(bands) => {
            let mut v: Vec<Points> = bands.iter().map(|b| b.points).collect();
            if !v.contains(&Points::ZERO) {
                v.push(Points::ZERO);
            }
            v
        }
        _ => Vec::new(),
    }
}

/// The next allowed value up or down from `current` on the leaf: the next of
/// its choices, else `step` within its range; `current` when there is none.
pub fn step(leaf: &Leaf, step: Points, current: Points, up: bool) -> Points {
    let mut choices = choices(leaf);
    if !choices.is_empty() {
        choices.sort();
        let next = if up {
            choices.iter().find(|&&p| p > current)
        } else {
            choices.iter().rev().find(|&&p| p < current)
        };
        return next.copied().unwrap_or(current);
    }
    let (lo, hi) = match leaf.rule {
        Rule::Deduction { min } => (min, Points::ZERO),
        _ => (Points::ZERO, leaf.max),
    };
    let p = if up { current + step } else { current - step };
    p.max(lo).min(hi)
}

/// Whether a survey result's points fit its (survey) leaf: 0 to the leaf's max.
pub fn check_survey_points(leaf: &Leaf, p: Points) -> Result<(), NotAllowed> {
    if p < Points::ZERO || p > leaf.max {
        return Err(NotAllowed::SurveyOutside(p, leaf.max));
    }
    Ok(())
}

/// What a unit claims on one leaf, wherever it was written (an `[[item]]` of a
/// file, a row of a form): the figures as given, before any rule is applied.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClaimInput {
    pub points: Option<Points>,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub na: bool,
}

/// What a claim that keeps every rule gives the leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claimed {
    pub points: Points,
    pub na: bool,
    /// The figures of a ratio leaf.
    pub ratio: Option<(u64, u64)>,
}

/// A rule of `data-format.md` that a self-assessed leaf breaks. Each medium (a
/// TOML file, a spreadsheet form) words it and says where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimError {
    /// Survey leaves take no claim at all.
    Survey,
    /// Declared not applicable where the framework does not allow it.
    NaNotAllowed,
    /// Declared not applicable and given points.
    NaWithPoints,
    /// Declared not applicable and given figures.
    NaWithFigures,
    /// A ratio leaf given points instead of figures.
    PointsOnRatio,
    /// A ratio leaf missing its numerator, its denominator or both.
    MissingFigures,
    /// A negative count (which one: `numerator` true for the numerator).
    NegativeFigure { numerator: bool },
    /// The numerator above the denominator (the denominator may be 0).
    NumeratorAboveDenominator(u64, u64),
    /// 0/0 on a ratio leaf that may not be not applicable.
    ZeroDenominatorNotAllowed,
    /// Figures on a leaf that is not a ratio leaf.
    FiguresOnNonRatio,
    /// A leaf that is not a ratio leaf given no points.
    NoPoints,
    /// Points the leaf's rule does not allow ([`check_points`]'s reason).
    BadPoints(NotAllowed),
}

/// The rules of a self-assessed leaf, in the order they are told: every broken
/// rule of a not-applicable claim, else the first broken rule.
pub fn check_claim(leaf: &Leaf, c: &ClaimInput) -> Result<Claimed, Vec<ClaimError>> {
    use ClaimError::*;
    if leaf.rule == Rule::Survey {
        return Err(vec![Survey]);
    }
    let figures = c.numerator.is_some() || c.denominator.is_some();
    if c.na {
        let broken: Vec<ClaimError> = [
            (!leaf.na, NaNotAllowed),
            (c.points.is_some(), NaWithPoints),
            (figures, NaWithFigures),
        ]
        .into_iter()
        .filter_map(|(b, e)| b.then_some(e))
        .collect();
        if !broken.is_empty() {
            return Err(broken);
        }
        return Ok(Claimed {
            points: Points::ZERO,
            na: true,
            ratio: None,
        });
    }
    let one = |e| Err(vec![e]);
    match &leaf.rule {
        Rule::Ratio(bands) => {
            if c.points.is_some() {
                return one(PointsOnRatio);
            }
            let (Some(n), Some(d)) = (c.numerator, c.denominator) else {
                return one(MissingFigures);
            };
            let (Ok(n), Ok(d)) = (u64::try_from(n), u64::try_from(d)) else {
                return one(NegativeFigure { numerator: n < 0 });
            };
            if n > d {
                return one(NumeratorAboveDenominator(n, d));
            }
            if d == 0 {
                if !leaf.na {
                    return one(ZeroDenominatorNotAllowed);
                }
                return Ok(Claimed {
                    points: Points::ZERO,
                    na: true,
                    ratio: Some((0, 0)),
                });
            }
            Ok(Claimed {
                points: ratio_points(bands, n, d),
                na: false,
                ratio: Some((n, d)),
            })
        }
        _ => {
            if figures {
                return one(FiguresOnNonRatio);
            }
            let Some(p) = c.points else {
                return one(NoPoints);
            };
            if let Err(why) = check_points(leaf, p) {
                return one(BadPoints(why));
            }
            Ok(Claimed {
                points: p,
                na: false,
                ratio: None,
            })
        }
    }
}

fn within(p: Points, lo: Points, hi: Points) -> Result<(), NotAllowed> {
    if p < lo || p > hi {
        Err(NotAllowed::Outside(p, lo, hi))
    } else {
        Ok(())
    }
}

/// Points of a ratio leaf: the first band whose `min` ≤ numerator / denominator × 100; else 0.
pub fn ratio_points(bands: &[RatioBand], numerator: u64, denominator: u64) -> Points {
    if denominator == 0 {
        return Points::ZERO;
    }
    // min is in hundredths of a percent: min/100 ≤ n/d·100  ⇔  min·d ≤ n·10000.
    bands
        .iter()
        .find(|b| b.min.hundredths() as i128 * denominator as i128 <= numerator as i128 * 10_000)
        .map_or(Points::ZERO, |b| b.points)
}

/// A unit's total and applicable max; the index is total / max × 100,
/// capped at the framework's `max_index` where it has one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    /// Sum over applicable leaves, floored at 0.
    pub total: Points,
    /// Sum of the applicable leaves' max (a bonus leaf's max not counted).
    pub max: Points,
    /// Sum before the floor (deductions can take it below 0).
    pub raw_total: Points,
    /// The highest index, in hundredths of a percent (`max_index`), if capped.
    pub cap: Option<Points>,
}

impl Score {
    /// Adds up leaf values over a framework's leaves (same order); the index
    /// capped at the framework's `max_index`.
    pub fn of(framework: &Framework, values: impl IntoIterator<Item = Value>) -> Score {
        Score {
            cap: framework.max_index,
            ..Score::subtotal(&framework.leaves, values).floored()
        }
    }

    /// The exact index as a fraction of hundredths of a percent (numerator,
    /// denominator), capped: every comparison and difference of indexes is
    /// taken on it.
    pub fn exact_index(&self) -> (i128, i128) {
        let n = self.total.hundredths() as i128 * 10_000;
        let d = self.max.hundredths() as i128;
        match self.cap {
            Some(cap) if self.capped() => (cap.hundredths() as i128, 1),
            _ => (n, d),
        }
    }

    /// Sums values over a range of leaves (a field's subtotal); no floor.
    pub fn subtotal(leaves: &[Leaf], values: impl IntoIterator<Item = Value>) -> Score {
        let mut total = Points::ZERO;
        let mut max = Points::ZERO;
        for (leaf, v) in leaves.iter().zip(values) {
            if !v.na {
                total += v.points;
                max += leaf.counted_max();
            }
        }
        Score {
            total,
            max,
            raw_total: total,
            cap: None,
        }
    }

    /// The same sums with the total floored at 0 (a field's component index
    /// is never below 0, whatever its deductions).
    pub fn floored(self) -> Score {
        Score {
            total: self.total.max(Points::ZERO),
            ..self
        }
    }

    /// Whether the framework's cap lowered the index (the total passes it).
    pub fn capped(&self) -> bool {
        let n = self.total.hundredths() as i128 * 10_000;
        let d = self.max.hundredths() as i128;
        self.cap
            .is_some_and(|cap| d > 0 && n > cap.hundredths() as i128 * d)
    }

    /// The index in hundredths of a percent, rounded half up (97.685 → 9769).
    pub fn index_hundredths(&self) -> i64 {
        if self.max.hundredths() <= 0 {
            return 0;
        }
        let (n, d) = self.exact_index();
        div_round_half_up(n, d) as i64
    }

    /// The index as a figure of two decimals, half up (97.69).
    pub fn index(&self) -> Points {
        Points(self.index_hundredths())
    }

    /// The index as shown: two decimals, half up.
    pub fn index_text(&self) -> String {
        self.index().to_string()
    }

    /// Exact comparison of indexes (not of the rounded figures), capped ones
    /// as capped: two units at the cap are equal.
    pub fn cmp_index(&self, other: &Score) -> Ordering {
        let (n1, d1) = self.exact_index();
        let (n2, d2) = other.exact_index();
        (n1 * d2).cmp(&(n2 * d1))
    }

    /// Whether the exact index is at least `min` (hundredths of a percent).
    pub fn reaches(&self, min: Points) -> bool {
        let (n, d) = self.exact_index();
        min.hundredths() as i128 * d <= n
    }

    /// Difference of this index from another's, in hundredths, rounded half up.
    pub fn index_diff_hundredths(&self, other: &Score) -> i64 {
        if self.max.hundredths() <= 0 || other.max.hundredths() <= 0 {
            return 0;
        }
        // n1/d1 − n2/d2 = (n1·d2 − n2·d1) / (d1·d2)
        let (n1, d1) = self.exact_index();
        let (n2, d2) = other.exact_index();
        div_round_half_up(n1 * d2 - n2 * d1, d1 * d2) as i64
    }
}

/// Index of the first band the score reaches (the last band has min 0, so one always does).
pub fn band(bands: &[Band], score: &Score) -> usize {
    bands
        .iter()
        .position(|b| score.reaches(b.min))
        .unwrap_or(bands.len().saturating_sub(1))
}

/// Competition ranks (1, 2, 2, 4) by exact index, descending; equal units by id.
/// Takes `(unit, id, score)` and returns `(unit, rank)` in rank order.
pub fn rank<'a>(units: impl IntoIterator<Item = (usize, &'a str, Score)>) -> Vec<(usize, u32)> {
    let mut list: Vec<(usize, &str, Score)> = units.into_iter().collect();
    list.sort_by(|a, b| b.2.cmp_index(&a.2).then_with(|| a.1.cmp(b.1)));
    let mut out = Vec::with_capacity(list.len());
    let mut rank = 0u32;
    for (i, (unit, _, score)) in list.iter().enumerate() {
        if i == 0 || score.cmp_index(&list[i - 1].2) != Ordering::Equal {
            rank = i as u32 + 1;
        }
        out.push((*unit, rank));
    }
    out
}

/// A unit's score by its own self-assessment.
pub fn self_score(council: &Council, unit: usize) -> Score {
    let claims = &council.assessments[unit].claims;
    Score::of(
        council.framework_of(unit),
        claims.iter().map(|c| Value {
            points: c.points,
            na: c.na,
        }),
    )
}

/// Standings where nothing has been decided yet: appraised = self.
pub fn self_standings(council: &Council) -> Standings {
    let scores: Vec<Score> = (0..council.units.len())
        .map(|u| self_score(council, u))
        .collect();
    Standings::new(council, &scores, &scores)
}

/// One unit's standing: its self-assessed and appraised scores, band and rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub self_score: Score,
    pub score: Score,
    /// Index into the framework's bands (appraised).
    pub band: usize,
    pub self_band: usize,
    /// Rank within the group by the appraised index.
    pub rank: u32,
    /// Rank within the group by the self-assessed index.
    pub self_rank: u32,
}

/// Every unit's standing, kept current as decisions change a unit's score.
#[derive(Clone, Debug)]
pub struct Standings {
    /// Same index as `Council::units`.
    pub units: Vec<Standing>,
    /// Per group, its units in rank order (appraised).
    pub order: Vec<Vec<usize>>,
}

impl Standings {
    /// Ranks every group from each unit's self and appraised scores.
    pub fn new(council: &Council, self_scores: &[Score], scores: &[Score]) -> Standings {
        let mut units: Vec<Standing> = (0..council.units.len())
            .map(|u| {
                let bands = &council.framework_of(u).bands;
                Standing {
                    self_score: self_scores[u],
                    score: scores[u],
                    band: band(bands, &scores[u]),
                    self_band: band(bands, &self_scores[u]),
                    rank: 0,
                    self_rank: 0,
                }
            })
            .collect();
        let mut order = Vec::with_capacity(council.groups.len());
        for g in 0..council.groups.len() {
            let members: Vec<usize> = council.units_of_group(g).collect();
            let by_self = rank(
                members
                    .iter()
                    .map(|&u| (u, council.units[u].id.as_str(), self_scores[u])),
            );
            for (u, r) in by_self {
                units[u].self_rank = r;
            }
            order.push(Vec::new());
        }
        let mut s = Standings { units, order };
        for g in 0..council.groups.len() {
            s.rerank(council, g);
        }
        s
    }

    /// Sets one unit's appraised score and re-ranks its group.
    pub fn set_score(&mut self, council: &Council, unit: usize, score: Score) {
        let st = &mut self.units[unit];
        st.score = score;
        st.band = band(&council.framework_of(unit).bands, &score);
        self.rerank(council, council.units[unit].group);
    }

    fn rerank(&mut self, council: &Council, group: usize) {
        let ranked = rank(
            council
                .units_of_group(group)
                .map(|u| (u, council.units[u].id.as_str(), self.units[u].score)),
        );
        let mut order = Vec::with_capacity(ranked.len());
        for (u, r) in ranked {
            self.units[u].rank = r;
            order.push(u);
        }
        self.order[group] = order;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(total: i64, max: i64) -> Score {
        Score {
            total: Points(total),
            max: Points(max),
            raw_total: Points(total),
            cap: None,
        }
    }

    fn ratio_leaf(na: bool) -> Leaf {
        Leaf {
            code: "6.2".into(),
            name: "Tỷ lệ hồ sơ đúng hạn".into(),
            max: Points(200),
            rule: Rule::Ratio(vec![RatioBand {
                min: Points(9000),
                points: Points(200),
            }]),
            guide: None,
            evidence: None,
            na,
            field: 0,
        }
    }

    #[test]
    fn a_claims_rules_in_one_place() {
        use ClaimError::*;
        let figures = |n, d| ClaimInput {
            numerator: Some(n),
            denominator: Some(d),
            ..ClaimInput::default()
        };
        let leaf = ratio_leaf(false);
        assert_eq!(
            check_claim(&leaf, &figures(95, 100)).map(|c| c.points),
            Ok(Points(200))
        );
        assert_eq!(
            check_claim(&leaf, &figures(101, 100)),
            Err(vec![NumeratorAboveDenominator(101, 100)])
        );
        assert_eq!(
            check_claim(&leaf, &figures(0, 0)),
            Err(vec![ZeroDenominatorNotAllowed])
        );
        assert_eq!(
            check_claim(&ratio_leaf(true), &figures(0, 0)).map(|c| (c.na, c.ratio)),
            Ok((true, Some((0, 0))))
        );
        assert_eq!(
            check_claim(&leaf, &figures(-1, 5)),
            Err(vec![NegativeFigure { numerator: true }])
        );
        // Every broken rule of a not-applicable claim is told, a lone denominator included.
        let na = ClaimInput {
            points: Some(Points(100)),
            denominator: Some(5),
            na: true,
            ..ClaimInput::default()
        };
        assert_eq!(
            check_claim(&leaf, &na),
            Err(vec![NaNotAllowed, NaWithPoints, NaWithFigures])
        );
    }

    #[test]
    fn index_rounds_half_up_for_display() {
        // 97.685 exactly: 19537 / 20000 * 100
        assert_eq!(s(19537, 20000).index_hundredths(), 9769);
        // 2/3 = 66.666… → 66.67
        assert_eq!(s(200, 300).index_text(), "66.67");
        // 1/8 = 12.5 → 12.50
        assert_eq!(s(100, 800).index_text(), "12.50");
    }

    #[test]
    fn exact_comparison_beats_rounded() {
        // 66.666…% vs 66.67%: equal when rounded, different exactly.
        let a = s(200, 300);
        let b = s(6667, 10000);
        assert_eq!(a.index_text(), b.index_text());
        assert_eq!(a.cmp_index(&b), Ordering::Less);
        // Same index from different totals: 50/100 = 25/50.
        assert_eq!(s(5000, 10000).cmp_index(&s(2500, 5000)), Ordering::Equal);
    }

    #[test]
    fn competition_ranks_with_ties_by_id() {
        let r = rank([
            (0, "d", s(90, 100)),
            (1, "c", s(80, 100)),
            (2, "a", s(80, 100)),
            (3, "b", s(70, 100)),
        ]);
        assert_eq!(r, vec![(0, 1), (2, 2), (1, 2), (3, 4)]);
    }

    #[test]
    fn band_compares_exactly() {
        let bands = vec![
            Band {
                name: "Xuất sắc".into(),
                min: Points(9000),
            },
            Band {
                name: "Tốt".into(),
                min: Points(8000),
            },
            Band {
                name: "Khá".into(),
                min: Points(0),
            },
        ];
        // 89.995 rounds to 90.00 but is below 90: not "Xuất sắc".
        let just_below = s(17999, 20000);
        assert_eq!(just_below.index_text(), "90.00");
        assert_eq!(band(&bands, &just_below), 1);
        assert_eq!(band(&bands, &s(9000, 10000)), 0);
        assert_eq!(band(&bands, &s(0, 10000)), 2);
    }

    #[test]
    fn ratio_bands_pick_the_first_reached() {
        let bands = vec![
            RatioBand {
                min: Points(9000),
                points: Points(200),
            },
            RatioBand {
                min: Points(7000),
                points: Points(100),
            },
        ];
        assert_eq!(ratio_points(&bands, 4936, 5010), Points(200)); // 98.52%
        assert_eq!(ratio_points(&bands, 90, 100), Points(200)); // exactly 90%
        assert_eq!(ratio_points(&bands, 8999, 10000), Points(100)); // 89.99%
        assert_eq!(ratio_points(&bands, 69, 100), Points(0)); // no band
    }
}
