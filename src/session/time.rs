//! UTC timestamps in RFC 3339 without a date library.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `2026-11-23T10:15:30.123Z`.
pub fn utc_now() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format_utc(d.as_secs() as i64, d.subsec_millis())
}

/// Formats seconds since the epoch (UTC) with milliseconds.
pub fn format_utc(secs: i64, millis: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// (year, month, day) → days since 1970-01-01, proleptic Gregorian (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Vietnam's civil time (UTC+7, no daylight saving) of an RFC 3339 UTC
/// timestamp: (year, month, day, hour, minute, second).
pub fn vietnam(at: &str) -> Option<(i64, u32, u32, u32, u32, u32)> {
    let num = |r: std::ops::Range<usize>| at.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let secs = days_from_civil(y, mo as u32, d as u32) * 86_400 + (h + 7) * 3600 + mi * 60 + s;
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    Some((
        y,
        mo,
        d,
        (rem / 3600) as u32,
        (rem % 3600 / 60) as u32,
        (rem % 60) as u32,
    ))
}

/// The time zone that times are shown in: `TZ` when set, else Vietnam's
/// (Asia/Ho_Chi_Minh, UTC+7 all year, also when the system has no zone files).
pub fn shown_zone() -> jiff::tz::TimeZone {
    let from_env = std::env::var("TZ").ok().filter(|t| !t.trim().is_empty());
    from_env
        .and_then(|_| jiff::tz::TimeZone::try_system().ok())
        .or_else(|| jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").ok())
        .unwrap_or_else(|| jiff::tz::TimeZone::fixed(jiff::tz::offset(7)))
}

/// A stored UTC timestamp as a person reads it, to the second, in `zone`:
/// `2026-11-23 17:15:30` (the audit log); any other text as it is.
pub fn local_second(at: &str, zone: &jiff::tz::TimeZone) -> String {
    local(at, zone, "%Y-%m-%d %H:%M:%S").unwrap_or_else(|| crate::text::line(at))
}

/// A stored UTC timestamp as a person reads it, to the minute, in `zone`:
/// `2026-11-23 17:15`. A text that is not a timestamp (a session edited by
/// hand) is shown as it is, cut by characters, never by bytes.
pub fn local_minute(at: &str, zone: &jiff::tz::TimeZone) -> String {
    local(at, zone, "%Y-%m-%d %H:%M")
        .unwrap_or_else(|| at.chars().take(16).collect::<String>().replace('T', " "))
}

fn local(at: &str, zone: &jiff::tz::TimeZone, format: &str) -> Option<String> {
    let t = at.parse::<jiff::Timestamp>().ok()?;
    Some(t.to_zoned(zone.clone()).strftime(format).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_local_minutes_and_survives_any_text() {
        let hcm = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
        assert_eq!(
            local_minute("2026-11-23T09:55:30.005Z", &hcm),
            "2026-11-23 16:55"
        );
        assert_eq!(
            local_minute("2026-11-23T20:00:00Z", &hcm),
            "2026-11-24 03:00",
            "past midnight in Hà Nội"
        );
        // Hand-edited: a multibyte character where the byte cut would fall.
        assert_eq!(
            local_minute("2026-11-23T09:5ễ:30Z", &hcm),
            "2026-11-23 09:5ễ"
        );
        assert_eq!(local_minute("ễễễễễễễễễễễễễễễễễễ", &hcm).chars().count(), 16);
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_utc(1_795_427_730, 5), "2026-11-23T09:55:30.005Z");
        assert_eq!(format_utc(951_782_400, 0), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn days_round_trip() {
        for z in [-800_000, -1, 0, 1, 11_016, 20_415, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn vietnam_time_crosses_midnight_and_years() {
        assert_eq!(
            vietnam("2026-11-23T09:55:30.005Z"),
            Some((2026, 11, 23, 16, 55, 30))
        );
        assert_eq!(vietnam("2025-12-31T17:00:00Z"), Some((2026, 1, 1, 0, 0, 0)));
        assert_eq!(
            vietnam("2024-02-28T20:30:00Z"),
            Some((2024, 2, 29, 3, 30, 0))
        );
        assert_eq!(vietnam("not a time"), None);
    }
}
