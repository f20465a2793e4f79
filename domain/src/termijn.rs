//! A termijn of the Catalogi API (archiefactietermijn, procestermijn): an ISO 8601 duration
//! of years, months, weeks and days (`P10Y`, `P1Y6M`, `P2W`, `P30D`). Parse, don't
//! validate: a `Termijn` always holds a duration that can be added to a date.

use chrono::{Days, Months, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Termijn {
    pub years: u32,
    pub months: u32,
    pub days: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is geen ISO 8601-duur in jaren, maanden, weken en dagen (bijvoorbeeld P10Y)")]
pub struct TermijnError(String);

impl Termijn {
    pub fn parse(s: &str) -> Result<Self, TermijnError> {
        let err = || TermijnError(s.to_owned());
        // A time part (`T...`) is allowed by ISO 8601 but has no meaning for dates.
        let date_part = s.strip_prefix('P').ok_or_else(err)?;
        let date_part = date_part.split('T').next().unwrap_or_default();
        let mut t = Self::default();
        let mut number = String::new();
        let mut any = false;
        for c in date_part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let n: u32 = number.parse().map_err(|_| err())?;
            number.clear();
            any = true;
            match c {
                'Y' => t.years = t.years.checked_add(n).ok_or_else(err)?,
                'M' => t.months = t.months.checked_add(n).ok_or_else(err)?,
                'W' => t.days += u64::from(n) * 7,
                'D' => t.days += u64::from(n),
                _ => return Err(err()),
            }
        }
        if !number.is_empty() || (!any && !s.contains('T')) {
            return Err(err());
        }
        Ok(t)
    }

    /// `date` plus this termijn (years and months first, as calendars count them); `None`
    /// past the end of the calendar.
    pub fn after(self, date: NaiveDate) -> Option<NaiveDate> {
        let months = self.years.checked_mul(12)?.checked_add(self.months)?;
        date.checked_add_months(Months::new(months))?
            .checked_add_days(Days::new(self.days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn years_months_weeks_and_days_are_added_as_calendars_count_them() {
        assert_eq!(
            Termijn::parse("P10Y").unwrap().after(d("2026-02-28")),
            Some(d("2036-02-28"))
        );
        assert_eq!(
            Termijn::parse("P1M").unwrap().after(d("2026-01-31")),
            Some(d("2026-02-28"))
        );
        assert_eq!(
            Termijn::parse("P1Y2M3D").unwrap().after(d("2026-01-01")),
            Some(d("2027-03-04"))
        );
        assert_eq!(
            Termijn::parse("P2W").unwrap().after(d("2026-01-01")),
            Some(d("2026-01-15"))
        );
        assert_eq!(
            Termijn::parse("P5DT12H").unwrap().after(d("2026-01-01")),
            Some(d("2026-01-06"))
        );
    }

    #[test]
    fn what_is_not_a_date_duration_is_refused() {
        for bad in ["", "P", "10Y", "P10", "PY", "P1X", "P-1Y", "P99999999999Y"] {
            assert!(Termijn::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn a_termijn_never_ends_before_it_starts(y in 0u32..200, m in 0u32..24, dd in 0u64..400) {
            let t = Termijn::parse(&format!("P{y}Y{m}M{dd}D")).unwrap();
            let start = d("2026-12-02");
            prop_assert!(t.after(start).unwrap() >= start);
        }
    }
}
