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
        Error::Usage(format!("--date `{s}` is not a date: write it as YYYY-MM-DD, for example 2024-04-02"))
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
    fn dates_must_be_yyyy_mm_dd() {
        assert!(date_argument("2024-04-02").is_ok());
        for bad in ["2024-4-2", "02-04-2024", "2024-02-30", "", "2024-04-02x"] {
            assert!(matches!(date_argument(bad), Err(Error::Usage(_))), "{bad}");
        }
    }
}
