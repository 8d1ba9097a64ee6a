//! Points as whole hundredths: parsing from the exact TOML literal, arithmetic, display.

use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

/// A number of points held exactly, in hundredths (`1.25` is `Points(125)`).
///
/// Scores never pass through a float: a value is read from the literal text of
/// the file, and a value with more than two decimals is refused, not rounded.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Points(pub i64);

/// The largest magnitude a value in a file may have (one million points).
pub const LIMIT: i64 = 100_000_000;

impl Points {
    pub const ZERO: Points = Points(0);

    pub const fn whole(n: i64) -> Self {
        Points(n * 100)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Parses a decimal text such as `1`, `-0.5`, `2.75`, `1.500` or `1e1`.
    pub fn parse(text: &str) -> Result<Points, PointsError> {
        parse_decimal(text.trim())
    }
}

impl fmt::Display for Points {
    /// Always two decimals: `1.50`, `-0.25`, `0.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let s = format!("{sign}{}.{:02}", a / 100, a % 100);
        f.pad(&s)
    }
}

impl Points {
    /// The shortest exact form, as a person would type it: `1`, `0.5`, `2.75`.
    /// The whole part (towards zero): 92 for 92.35.
    pub fn whole_part(self) -> i64 {
        self.0 / 100
    }

    pub fn short(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        match a % 100 {
            0 => format!("{sign}{}", a / 100),
            c if c % 10 == 0 => format!("{sign}{}.{}", a / 100, c / 10),
            c => format!("{sign}{}.{c:02}", a / 100),
        }
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0 + o.0)
    }
}
impl AddAssign for Points {
    fn add_assign(&mut self, o: Points) {
        self.0 += o.0;
    }
}
impl Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        Points(self.0 - o.0)
    }
}
impl Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(-self.0)
    }
}
impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PointsError {
    NotFinite,
    TooPrecise,
    TooLarge,
    NotANumber,
}

fn parse_decimal(text: &str) -> Result<Points, PointsError> {
    if let Some(p) = parse_plain(text) {
        return Ok(p);
    }
    let lower = text.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if body == "inf" || body == "nan" {
        return Err(PointsError::NotFinite);
    }
    let negative = lower.starts_with('-');
    // Integers in hexadecimal, octal or binary, as TOML allows.
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(digits) = body.strip_prefix(prefix) {
            let digits: String = digits.chars().filter(|&c| c != '_').collect();
            let v = i64::from_str_radix(&digits, radix).map_err(|_| PointsError::TooLarge)?;
            return scale(if negative {
                -(v as i128) * 100
            } else {
                v as i128 * 100
            });
        }
    }
    let cleaned: String = body.chars().filter(|&c| c != '_').collect();
    let (mantissa, exponent) = match cleaned.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().map_err(|_| PointsError::NotANumber)?),
        None => (cleaned.as_str(), 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty()
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(PointsError::NotANumber);
    }
    // value = digits × 10^(exponent − len(frac)); we want hundredths.
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    let shift = exponent as i64 - frac_part.len() as i64 + 2;
    if digits.is_empty() {
        return Ok(Points::ZERO);
    }
    if shift >= 0 {
        if digits.len() as i64 + shift > 12 {
            return Err(PointsError::TooLarge);
        }
        let v: i128 = digits.parse().map_err(|_| PointsError::TooLarge)?;
        let v = v * 10i128.pow(shift as u32);
        return scale(if negative { -v } else { v });
    }
    // Digits below a hundredth must all be zero.
    let cut = (-shift) as usize;
    if cut >= digits.len() {
        // The whole value lies below a hundredth (and is not zero).
        return Err(PointsError::TooPrecise);
    }
    let (kept, dropped) = digits.split_at(digits.len() - cut);
    if dropped.bytes().any(|b| b != b'0') {
        return Err(PointsError::TooPrecise);
    }
    if kept.len() > 12 {
        return Err(PointsError::TooLarge);
    }
    let v: i128 = kept.parse().map_err(|_| PointsError::TooLarge)?;
    scale(if negative { -v } else { v })
}

/// The common case without allocating: `[-]digits[.d[d]]` with at most 9 whole digits.
fn parse_plain(text: &str) -> Option<Points> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        _ => (false, text),
    };
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    if int_part.is_empty()
        || int_part.len() > 9
        || frac_part.len() > 2
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
        || (body.contains('.') && frac_part.is_empty())
    {
        return None;
    }
    let mut v: i64 = 0;
    for b in int_part.bytes() {
        v = v * 10 + i64::from(b - b'0');
    }
    let mut frac = 0;
    for (i, b) in frac_part.bytes().enumerate() {
        frac += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
    }
    let h = v * 100 + frac;
    if h > LIMIT {
        return None;
    }
    Some(Points(if negative { -h } else { h }))
}

fn scale(hundredths: i128) -> Result<Points, PointsError> {
    if hundredths.abs() > LIMIT as i128 {
        return Err(PointsError::TooLarge);
    }
    Ok(Points(hundredths as i64))
}

/// Rounds `num / den` to the nearest whole number, halves away from zero
/// (`den` must be positive).
pub fn div_round_half_up(num: i128, den: i128) -> i128 {
    debug_assert!(den > 0, "a divisor of points is a positive max");
    if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((2 * -num + den) / (2 * den))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_literals() {
        for (t, h) in [
            ("1", 100),
            ("0.5", 50),
            ("2.75", 275),
            ("1.500", 150),
            ("-0.25", -25),
            ("+3", 300),
            ("1e1", 1000),
            ("2.5e-1", 25),
            ("1_000", 100_000),
            ("0x10", 1600),
            ("0", 0),
            ("0.0", 0),
            ("-0.0", 0),
        ] {
            assert_eq!(Points::parse(t), Ok(Points(h)), "{t}");
        }
    }

    #[test]
    fn refuses_what_is_not_exact() {
        assert_eq!(Points::parse("0.125"), Err(PointsError::TooPrecise));
        assert_eq!(Points::parse("0.001"), Err(PointsError::TooPrecise));
        assert_eq!(Points::parse("1e-3"), Err(PointsError::TooPrecise));
        assert_eq!(Points::parse("inf"), Err(PointsError::NotFinite));
        assert_eq!(Points::parse("-nan"), Err(PointsError::NotFinite));
        assert_eq!(Points::parse("1e300"), Err(PointsError::TooLarge));
        assert_eq!(Points::parse("99999999999"), Err(PointsError::TooLarge));
    }

    #[test]
    fn displays_two_decimals_and_short_form() {
        assert_eq!(Points(150).to_string(), "1.50");
        assert_eq!(Points(-25).to_string(), "-0.25");
        assert_eq!(Points(5).to_string(), "0.05");
        assert_eq!(Points(150).short(), "1.5");
        assert_eq!(Points(275).short(), "2.75");
        assert_eq!(Points(-200).short(), "-2");
    }

    #[test]
    fn rounds_half_up() {
        assert_eq!(div_round_half_up(5, 10), 1);
        assert_eq!(div_round_half_up(4, 10), 0);
        assert_eq!(div_round_half_up(15, 10), 2);
        assert_eq!(div_round_half_up(-15, 10), -2);
    }
}
