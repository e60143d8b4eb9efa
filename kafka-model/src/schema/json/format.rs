//! Text forms of dates, times, timestamps and decimals, as chrono and rust_decimal write them.

/// Year, month (1-12) and day (1-31) of a day count since 1970-01-01 (proleptic Gregorian).
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both are small and positive by construction.
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// `YYYY-MM-DD` as chrono writes a `NaiveDate` (a sign and 5+ digits outside 0000..=9999).
pub(super) fn format_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{}-{month:02}-{day:02}", format_year(year))
}

pub(super) fn format_year(year: i64) -> String {
    if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    }
}

/// RFC 3339 in UTC as chrono's serde writes a `DateTime<Utc>`: `YYYY-MM-DDTHH:MM:SS[.f]Z`,
/// with 0, 3, 6 or 9 fraction digits (`SecondsFormat::AutoSi`); a leap second (nanos of
/// 1_000_000_000 or more) is written as second 60. `None` when nanos is 2 s or more.
/// A time of day as serde writes chrono's `NaiveTime`: `HH:MM:SS` and a fraction if any.
pub(super) const TIME_PATTERN: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-6][0-9](\.[0-9]+)?$";
/// A local date-time as serde writes chrono's `NaiveDateTime`: no offset.
pub(super) const LOCAL_TIMESTAMP_PATTERN: &str =
    r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$";

/// `HH:MM:SS[.fraction]` of nanoseconds since midnight.
pub(super) fn format_time(nanos: u64) -> String {
    let secs = nanos / 1_000_000_000;
    let nano = nanos % 1_000_000_000;
    let fraction = if nano == 0 {
        String::new()
    } else {
        format!(".{nano:09}").trim_end_matches('0').to_string()
    };
    format!(
        "{:02}:{:02}:{:02}{fraction}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

pub(super) fn format_timestamp(seconds: i64, nanos: u32) -> Option<String> {
    if nanos >= 2_000_000_000 {
        return None;
    }
    let days = seconds.div_euclid(86_400);
    let secs_of_day = seconds.rem_euclid(86_400);
    let (hour, minute, mut second) = (secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
    let mut nano = nanos;
    if nano >= 1_000_000_000 {
        second += 1;
        nano -= 1_000_000_000;
    }
    let fraction = if nano == 0 {
        String::new()
    } else if nano.is_multiple_of(1_000_000) {
        format!(".{:03}", nano / 1_000_000)
    } else if nano.is_multiple_of(1_000) {
        format!(".{:06}", nano / 1_000)
    } else {
        format!(".{nano:09}")
    };
    Some(format!(
        "{}T{hour:02}:{minute:02}:{second:02}{fraction}Z",
        format_date(days)
    ))
}

/// As rust_decimal's serde writes a `Decimal`: every digit of the scale kept (`12.50`).
pub(super) fn format_decimal(unscaled: i128, scale: u32) -> String {
    let mut digits = unscaled.unsigned_abs().to_string();
    let scale = scale as usize;
    if digits.len() <= scale {
        digits = "0".repeat(scale + 1 - digits.len()) + &digits;
    }
    let sign = if unscaled < 0 { "-" } else { "" };
    let (int, frac) = digits.split_at(digits.len() - scale);
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}
