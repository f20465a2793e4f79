//! Dates and date-times as the reference implementations read them (Django's
//! `parse_datetime` under DRF with `USE_TZ` and `TIME_ZONE = "UTC"`): RFC 3339, but also
//! without seconds, with a space for the `T`, with an offset without colon, and without
//! any offset (taken as UTC); a bare date is its midnight. Output stays RFC 3339.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// A date-time as a ZGW client may send it; `None` when it is none.
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.to_utc());
    }
    let s = s
        .strip_suffix(['Z', 'z'])
        .map_or(s.to_owned(), |s| format!("{s}+00:00"));
    const WITH_OFFSET: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M:%S%.f%#z",
        "%Y-%m-%dT%H:%M%#z",
        "%Y-%m-%d %H:%M%#z",
    ];
    const NAIVE: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    WITH_OFFSET
        .iter()
        .find_map(|f| DateTime::parse_from_str(&s, f).ok().map(|d| d.to_utc()))
        .or_else(|| {
            NAIVE
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
                .map(|d| d.and_utc())
        })
        .or_else(|| {
            parse_date(&s)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

/// A date: `YYYY-MM-DD` (month and day may have one digit, as Django's parser allows).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> String {
        parse_datetime(s)
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn a_date_time_without_offset_is_read_as_utc() {
        assert_eq!(utc("2018-04-20T13:37:00"), "2018-04-20T13:37:00+00:00");
        assert_eq!(utc("2018-04-20T13:37"), "2018-04-20T13:37:00+00:00");
        assert_eq!(
            utc("2018-04-20 13:37:00.123456"),
            "2018-04-20T13:37:00.123456+00:00"
        );
    }

    #[test]
    fn offsets_are_honoured_in_every_spelling() {
        for s in [
            "2018-04-20T15:37:00+02:00",
            "2018-04-20T15:37:00+0200",
            "2018-04-20T15:37+02",
            "2018-04-20T13:37:00Z",
            "2018-04-20T13:37Z",
        ] {
            assert_eq!(utc(s), "2018-04-20T13:37:00+00:00", "{s}");
        }
    }

    #[test]
    fn a_bare_date_is_its_midnight_and_nonsense_is_refused() {
        assert_eq!(utc("2018-04-20"), "2018-04-20T00:00:00+00:00");
        for bad in [
            "",
            "gisteren",
            "2018-13-01T00:00:00",
            "2018-04-20T25:00",
            "20-04-2018",
        ] {
            assert_eq!(utc(bad), "none", "{bad}");
        }
    }

    #[test]
    fn dates_allow_one_digit_months_and_days_only() {
        assert_eq!(parse_date("2018-4-2"), NaiveDate::from_ymd_opt(2018, 4, 2));
        assert_eq!(
            parse_date("2018-04-20"),
            NaiveDate::from_ymd_opt(2018, 4, 20)
        );
        for bad in [
            "2018-04-20T00:00",
            "18-04-20",
            "2018-02-30",
            "2018/04/20",
            "+2018-04-20",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
