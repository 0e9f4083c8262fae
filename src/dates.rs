//! Dates as quire reads them: `YYYY-MM-DD`, strictly, and nothing else.
//!
//! The one date parser: a paper's `date:` field, a `YYYY-MM-DD` content
//! folder, and the `--date` of `quire import` and `quire new` all go
//! through [`parse_day`]. A date that does not parse is an error where it is
//! written; no later stage ever meets an unparsed date (feeds and pages get
//! a [`NaiveDate`]). Dates are written back the same way, by [`format_day`]:
//! digest keys, folders, pages and data.

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// `YYYY-MM-DD`, exactly ten characters, a real day of the calendar.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, DAY).ok()
}

/// `YYYY-MM-DD`: a day as [`parse_day`] reads it (chrono writes a date so,
/// as ISO 8601 does, faster than through a format string).
pub fn format_day(date: NaiveDate) -> String {
    date.to_string()
}

/// The form of a day, for chrono.
const DAY: &str = "%Y-%m-%d";

/// A `--date` argument: `YYYY-MM-DD`, or an error that shows the form.
pub fn date_argument(s: &str) -> Result<NaiveDate> {
    parse_day(s).ok_or_else(|| {
        Error::Usage(format!("--date {}: write it as YYYY-MM-DD, for example 2024-04-02", not_a_day(s)))
    })
}

/// What is wrong with `s`, which [`parse_day`] refused: "`2024-13-45` is
/// not a date", and, when it has the form, which part the calendar lacks
/// (": there is no month 13", ": April 2024 has 30 days, not 31").
pub fn not_a_day(s: &str) -> String {
    match calendar_problem(s) {
        Some(why) => format!("`{s}` is not a date: {why}"),
        None => format!("`{s}` is not a date"),
    }
}

/// The month or day of a `YYYY-MM-DD` text that no calendar has.
fn calendar_problem(s: &str) -> Option<String> {
    let digits = |part: &str, n: usize| part.len() == n && part.bytes().all(|b| b.is_ascii_digit());
    let mut parts = s.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return None;
    }
    let (year, month, day): (i32, u32, u32) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return Some(format!("there is no month {month} (the month comes second: YYYY-MM-DD)"));
    };
    let next = first.checked_add_months(chrono::Months::new(1))?;
    let days = next.signed_duration_since(first).num_days();
    let name = chrono::Month::try_from(month as u8).ok()?.name();
    Some(match day {
        0 => "there is no day 0".to_owned(),
        _ => format!("{name} {year} has {days} days, not {day}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_strict() {
        assert_eq!(parse_day("2024-04-02"), NaiveDate::from_ymd_opt(2024, 4, 2));
        for bad in ["2024-4-2", "2024-02-30", "yesterday", "2024-04-02T00:00", " 2024-04-02", ""] {
            assert!(parse_day(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn days_are_written_as_they_are_read() {
        let day = NaiveDate::from_ymd_opt(2024, 4, 2).unwrap();
        assert_eq!(format_day(day), "2024-04-02");
        for year in [1, 999, 9999] {
            let day = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
            assert_eq!(format_day(day), day.format(DAY).to_string());
        }
        assert_eq!(parse_day(&format_day(day)), Some(day));
    }

    #[test]
    fn a_date_that_has_the_form_is_told_which_part_is_wrong() {
        assert_eq!(
            not_a_day("2024-13-45"),
            "`2024-13-45` is not a date: there is no month 13 (the month comes second: YYYY-MM-DD)"
        );
        assert_eq!(
            not_a_day("2024-00-01"),
            "`2024-00-01` is not a date: there is no month 0 (the month comes second: YYYY-MM-DD)"
        );
        assert_eq!(not_a_day("2024-04-31"), "`2024-04-31` is not a date: April 2024 has 30 days, not 31");
        assert_eq!(not_a_day("2023-02-29"), "`2023-02-29` is not a date: February 2023 has 28 days, not 29");
        assert_eq!(not_a_day("2024-04-00"), "`2024-04-00` is not a date: there is no day 0");
        for form in ["2024-4-2", "yesterday", "2024-04-02-01", "", "2024-04-0x"] {
            assert_eq!(not_a_day(form), format!("`{form}` is not a date"));
        }
    }

    #[test]
    fn dates_must_be_yyyy_mm_dd() {
        assert!(date_argument("2024-04-02").is_ok());
        for bad in ["2024-4-2", "02-04-2024", "2024-02-30", "", "2024-04-02x"] {
            assert!(matches!(date_argument(bad), Err(Error::Usage(_))), "{bad}");
        }
    }
}
