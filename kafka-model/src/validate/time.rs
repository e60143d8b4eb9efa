//! Dates and instants as plain numbers (days / nanoseconds since the Unix epoch), parsed from and
//! written as ISO-8601, without depending on the optional date crates.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD` → days since 1970-01-01.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (i64::from(digits(y)?), digits(m)?, digits(d)?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// An ISO-8601 date-time → nanoseconds since the epoch (UTC). Accepts `T` or a space between
/// date and time, optional seconds and fractions, and `Z` / `±HH:MM` / `±HHMM`; a date-time
/// without an offset is taken as UTC, and a bare date as its midnight.
pub(crate) fn parse_timestamp(s: &str) -> Option<i128> {
    let s = s.trim();
    if s.len() == 10 {
        return parse_date(s).map(|d| i128::from(d) * 86_400 * 1_000_000_000);
    }
    let (date, rest) = (s.get(..10)?, s.get(10..)?);
    let days = parse_date(date)?;
    let rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix('t'))
        .or_else(|| rest.strip_prefix(' '))?;
    // Split off the offset.
    let (time, offset_secs) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, 0i64)
    } else if let Some(pos) = rest.rfind(['+', '-']) {
        let (t, off) = rest.split_at(pos);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let off = off[1..].replace(':', "");
        if off.len() != 4 {
            return None;
        }
        let (h, m) = (digits(&off[..2])?, digits(&off[2..])?);
        if h > 23 || m > 59 {
            return None;
        }
        (t, sign * i64::from(h * 3600 + m * 60))
    } else {
        (rest, 0)
    };
    let (hms, frac) = match time.split_once(['.', ',']) {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (time, None),
    };
    let mut hms = hms.split(':');
    let h = digits(hms.next()?)?;
    let m = digits(hms.next()?)?;
    let sec = match hms.next() {
        Some(s) => digits(s)?,
        None => 0,
    };
    if hms.next().is_some() || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let nanos = match frac {
        None => 0,
        Some(f) if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) => {
            return None
        }
        Some(f) => {
            let n: u32 = f.parse().ok()?;
            n * 10u32.pow(9 - f.len() as u32)
        }
    };
    let secs = days * 86_400 + i64::from(h * 3600 + m * 60 + sec) - offset_secs;
    Some(i128::from(secs) * 1_000_000_000 + i128::from(nanos))
}

/// Days since the epoch as `YYYY-MM-DD`.
pub(crate) fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Nanoseconds since the epoch as RFC 3339 in UTC (`2024-01-02T03:04:05.006Z`), with the
/// fraction only as long as needed.
pub(crate) fn format_timestamp(nanos: i128) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let frac = nanos.rem_euclid(1_000_000_000) as u32;
    let days = secs.div_euclid(86_400) as i64;
    let sod = secs.rem_euclid(86_400) as u32;
    let mut out = format!(
        "{}T{:02}:{:02}:{:02}",
        format_date(days),
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    );
    if frac != 0 {
        let f = format!("{frac:09}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(format_date(19_782), "2024-02-29");
        assert_eq!(format_date(-1), "1969-12-31");
    }

    #[test]
    fn timestamps() {
        let t = parse_timestamp("2024-01-02T03:04:05.5Z").unwrap();
        assert_eq!(format_timestamp(t), "2024-01-02T03:04:05.5Z");
        assert_eq!(
            parse_timestamp("2024-01-02T05:04:05+02:00"),
            parse_timestamp("2024-01-02 03:04:05")
        );
        assert_eq!(
            parse_timestamp("2024-01-02"),
            parse_timestamp("2024-01-02T00:00Z")
        );
        assert_eq!(parse_timestamp("2024-01-02T25:00:00Z"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(format_timestamp(-1_000_000_000), "1969-12-31T23:59:59Z");
    }
}
