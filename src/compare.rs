//! Year over year: last year's signed result (read only once it verifies), each unit's predecessors across mergers, splits and renames, and the comparison: how far each self-assessment stood from the council, and the change from last year.
//!
//! Every difference and mean is taken on exact fractions and rounded once, half
//! up (away from zero), to two decimals.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::Said;
use crate::i18n::{Words, fill};
use crate::model::Council;
use crate::points::{Points, div_round_half_up};
use crate::score::{Score, Standings};
use crate::text::csv_field;

/// One unit of last year's signed result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastYear {
    pub id: String,
    pub name: String,
    pub points: Points,
    pub max: Points,
    pub band: String,
    pub rank: u32,
    /// Last year's framework's `max_index`, where it capped the index.
    pub cap: Option<Points>,
}

impl LastYear {
    /// Its exact index as a fraction of hundredths of a percent.
    fn index(&self) -> Fraction {
        exact(&Score {
            total: self.points,
            max: self.max,
            raw_total: self.points,
            cap: self.cap,
        })
    }
}

/// Last year's signed result, by unit id.
#[derive(Clone, Debug, Default)]
pub struct Previous {
    pub units: HashMap<String, LastYear>,
}

/// Reads last year's signed folder, after checking it as `thamdinh verify`
/// does (its files, signatures, log and figures): one that does not verify
/// is refused, with why.
pub fn previous(folder: &Path) -> Result<Previous, Said> {
    let shown = crate::text::line(&folder.display().to_string());
    let v = crate::signoff::verify(folder, &[], None)
        .map_err(|e| Said::of(|w| fill(w.cmp_previous_unreadable, &[&shown, &e])))?;
    if !v.problems.is_empty() {
        let why: Vec<String> = v
            .problems
            .iter()
            .map(|p| p.get(crate::i18n::current()).trim().to_string())
            .collect();
        let why = why.join("; ");
        return Err(Said::of(|w| {
            fill(w.cmp_previous_does_not_verify, &[&shown, &why])
        }));
    }
    let mut units = HashMap::new();
    let entries = std::fs::read_dir(folder.join("units"))
        .map_err(|e| Said::of(|w| fill(w.cmp_previous_unreadable, &[&shown, &e])))?;
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Said::of(|w| fill(w.cmp_previous_unreadable, &[&shown, &e])))?;
        let t: toml::Table = toml::from_str(&text)
            .map_err(|e| Said::of(|w| fill(w.cmp_previous_unreadable, &[&shown, &e])))?;
        let text_of = |k: &str| t.get(k).and_then(|v| v.as_str()).unwrap_or_default();
        let points_of = |k: &str| {
            t.get(k)
                .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
                .map(|f| Points((f * 100.0).round() as i64))
                .unwrap_or(Points::ZERO)
        };
        let unit = LastYear {
            id: text_of("id").to_string(),
            name: text_of("name").to_string(),
            points: points_of("points"),
            max: points_of("max"),
            band: text_of("band").to_string(),
            rank: t
                .get("rank")
                .and_then(|v| v.as_integer())
                .unwrap_or_default() as u32,
            cap: t.contains_key("max_index").then(|| points_of("max_index")),
        };
        units.insert(unit.id.clone(), unit);
    }
    Ok(Previous { units })
}

/// A fraction of hundredths, kept exact until it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fraction {
    num: i128,
    den: i128,
}

impl Fraction {
    fn new(num: i128, den: i128) -> Fraction {
        if den == 0 {
            return Fraction { num: 0, den: 1 };
        }
        let g = gcd(num.abs(), den.abs()).max(1);
        let sign = if den < 0 { -1 } else { 1 };
        Fraction {
            num: sign * num / g,
            den: sign * den / g,
        }
    }

    fn minus(self, o: Fraction) -> Fraction {
        Fraction::new(self.num * o.den - o.num * self.den, self.den * o.den)
    }

    fn plus(self, o: Fraction) -> Fraction {
        Fraction::new(self.num * o.den + o.num * self.den, self.den * o.den)
    }

    /// Rounded once, half up (away from zero), to whole hundredths.
    fn hundredths(self) -> i64 {
        div_round_half_up(self.num, self.den) as i64
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// A score's exact index as a fraction of hundredths (0 with no max), capped.
fn exact(s: &Score) -> Fraction {
    let (num, den) = s.exact_index();
    Fraction::new(num, den)
}

/// How far a unit's self-assessment stood above the council's result: self
/// index less index, exact then rounded (hundredths).
fn self_gap(st: &crate::score::Standing) -> i64 {
    exact(&st.self_score).minus(exact(&st.score)).hundredths()
}

/// The last-year ids a unit continues: its `formerly`, else its own id.
fn continued(unit: &crate::model::Unit) -> &[String] {
    if unit.formerly.is_empty() {
        std::slice::from_ref(&unit.id)
    } else {
        &unit.formerly
    }
}

/// One roster unit compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub group: String,
    pub rank: u32,
    pub unit: usize,
    pub index: i64,
    pub self_index: i64,
    /// Self index − index, exact then rounded (hundredths).
    pub self_gap: i64,
    /// Last year's units it continues (those last year's folder holds).
    pub previous_units: Vec<String>,
    /// The mean of their exact indexes, and index − that mean (hundredths).
    pub previous_index: Option<i64>,
    pub change: Option<i64>,
}

/// The units a roster unit continues: its `formerly`, else the unit of the
/// same id, among those last year's folder holds.
pub fn predecessors<'p>(council: &Council, u: usize, previous: &'p Previous) -> Vec<&'p LastYear> {
    continued(&council.units[u])
        .iter()
        .filter_map(|id| previous.units.get(id))
        .collect()
}

/// Every roster unit, in the order of `rank --format csv`, compared.
pub fn rows(council: &Council, standings: &Standings, previous: Option<&Previous>) -> Vec<Row> {
    let mut out = Vec::with_capacity(council.units.len());
    for (g, group) in council.groups.iter().enumerate() {
        for &u in &standings.order[g] {
            let st = &standings.units[u];
            let before = previous.and_then(|p| before(council, u, &st.score, p));
            out.push(Row {
                group: group.id.clone(),
                rank: st.rank,
                unit: u,
                index: exact(&st.score).hundredths(),
                self_index: exact(&st.self_score).hundredths(),
                self_gap: self_gap(st),
                previous_index: before.as_ref().map(|b| b.index),
                change: before.as_ref().map(|b| b.change),
                previous_units: before.map(|b| b.units).unwrap_or_default(),
            });
        }
    }
    out
}

/// The last-year units continued by more than one unit this year (a split),
/// each with the units that continue it.
pub fn splits(council: &Council, previous: &Previous) -> Vec<(String, Vec<String>)> {
    splits_among(council, &|id| previous.units.contains_key(id))
}

/// [`splits`] from last year's unit ids alone (`held`: whether last year's
/// result holds a unit), as `check` says them before any figure is read.
pub fn splits_among(council: &Council, held: &dyn Fn(&str) -> bool) -> Vec<(String, Vec<String>)> {
    let mut by_old: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for unit in &council.units {
        for old in continued(unit).iter().filter(|o| held(o)) {
            by_old.entry(old.clone()).or_default().push(unit.id.clone());
        }
    }
    by_old
        .into_iter()
        .filter(|(_, now)| now.len() > 1)
        .collect()
}

/// The unit ids a signed folder holds (its `units/<id>.toml`).
pub fn last_year_ids(folder: &Path) -> std::collections::HashSet<String> {
    std::fs::read_dir(folder.join("units"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect()
}

fn two(h: i64) -> String {
    Points(h).to_string()
}

/// The comparison as the spec's CSV: RFC 4180, LF line ends, two decimals.
pub fn csv(council: &Council, rows: &[Row]) -> String {
    let mut s = String::from(
        "group,rank,unit,name,index,self_index,self_gap,previous_units,previous_index,change\n",
    );
    for r in rows {
        let unit = &council.units[r.unit];
        let fields = [
            csv_field(&r.group),
            r.rank.to_string(),
            csv_field(&unit.id),
            csv_field(&unit.name),
            two(r.index),
            two(r.self_index),
            two(r.self_gap),
            csv_field(&r.previous_units.join(" ")),
            r.previous_index.map(two).unwrap_or_default(),
            r.change.map(two).unwrap_or_default(),
        ];
        s += &fields.join(",");
        s.push('\n');
    }
    s
}

/// The comparison as an aligned table for reading.
pub fn table(council: &Council, rows: &[Row], w: &Words) -> String {
    let headers = [
        w.cmp_col_group,
        w.cmp_col_rank,
        w.cmp_col_unit,
        w.cmp_col_index,
        w.cmp_col_self_index,
        w.cmp_col_gap,
        w.cmp_col_previous,
        w.cmp_col_previous_index,
        w.cmp_col_change,
    ];
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.group.clone(),
                r.rank.to_string(),
                council.units[r.unit].name.clone(),
                two(r.index),
                two(r.self_index),
                two(r.self_gap),
                r.previous_units.join(" "),
                r.previous_index.map(two).unwrap_or_default(),
                r.change.map(two).unwrap_or_default(),
            ]
        })
        .collect();
    let numeric = [false, true, false, true, true, true, false, true, true];
    crate::report::aligned(&headers, &body, &numeric)
}

/// The units whose self-assessment stood out above the council's result: a
/// gap of more than 10 index points, or among the largest tenth of their
/// group's positive gaps (at least one unit per group with one); by group,
/// largest gap first.
pub fn standing_out(rows: &[Row]) -> Vec<&Row> {
    let mut out = Vec::new();
    let mut groups: Vec<&str> = rows.iter().map(|r| r.group.as_str()).collect();
    groups.dedup();
    for g in groups {
        let gaps = rows
            .iter()
            .filter(|r| r.group == g)
            .map(|r| (r.self_gap, r.unit))
            .collect();
        for u in pick(gaps) {
            out.extend(rows.iter().find(|r| r.unit == u));
        }
    }
    out
}

/// Of one group's (gap, unit): those above 10 index points or among the
/// largest positive tenth, largest first.
fn pick(mut gaps: Vec<(i64, usize)>) -> Vec<usize> {
    let top = gaps.len().div_ceil(10);
    gaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    gaps.iter()
        .enumerate()
        .filter(|(i, (gap, _))| *gap > 1000 || (*i < top && *gap > 0))
        .map(|(_, (_, u))| *u)
        .collect()
}

/// One unit's last year, as the screen shows it beside this year's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Before {
    /// The last-year units it continues.
    pub units: Vec<String>,
    /// Their mean index, and this year's index less it (hundredths).
    pub index: i64,
    pub change: i64,
    /// Last year's rank and band, when it continues one unit.
    pub rank_band: Option<(u32, String)>,
}

/// A unit's last year, with `score` this year's; `None` where it continues no unit.
pub fn before(council: &Council, u: usize, score: &Score, previous: &Previous) -> Option<Before> {
    let units = predecessors(council, u, previous);
    if units.is_empty() {
        return None;
    }
    let sum = units
        .iter()
        .fold(Fraction::new(0, 1), |acc, p| acc.plus(p.index()));
    let mean = Fraction::new(sum.num, sum.den * units.len() as i128);
    Some(Before {
        units: units.iter().map(|p| p.id.clone()).collect(),
        index: mean.hundredths(),
        change: exact(score).minus(mean).hundredths(),
        rank_band: match units.as_slice() {
            [one] => Some((one.rank, one.band.clone())),
            _ => None,
        },
    })
}

/// The units of one group whose self-assessment stood out (see [`standing_out`]).
pub fn standing_out_in(standings: &Standings, group: usize) -> std::collections::HashSet<usize> {
    let gaps = standings.order[group]
        .iter()
        .map(|&u| (self_gap(&standings.units[u]), u))
        .collect();
    pick(gaps).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_and_means_are_exact_then_rounded_half_away_from_zero() {
        // 6.125 and -6.125 hundredths-of-a-percent fractions: 612.5 → 613, −613.
        assert_eq!(Fraction::new(1225, 2).hundredths(), 613);
        assert_eq!(Fraction::new(-1225, 2).hundredths(), -613);
        // (2/3 + 1/3)·… stays exact: 1/3 + 2/3 = 1.
        let third = Fraction::new(1, 3);
        assert_eq!(third.plus(Fraction::new(2, 3)), Fraction::new(1, 1));
        assert_eq!(third.minus(third).hundredths(), 0);
    }

    #[test]
    fn a_gap_stands_out_above_ten_points_or_in_the_groups_largest_tenth() {
        // Over 10 index points: always; the largest tenth (one of three): the first.
        assert_eq!(pick(vec![(300, 1), (1200, 0), (-50, 2)]), vec![0]);
        assert_eq!(pick(vec![(400, 1), (500, 0)]), vec![0]);
        assert_eq!(pick(vec![(1500, 3), (1100, 4), (900, 5)]), vec![3, 4]);
        // No positive gap: nothing stands out.
        assert!(pick(vec![(0, 0), (-300, 1)]).is_empty());
    }
}
