//! Stage 2, keys: which digest a date belongs to, per `[digest] period`.
//!
//! A day is `2024-04-02`; a week is the ISO week `2024-W14` (so 2024-12-30
//! falls in `2025-W01`); a month is `2024-04`. Keys sort like the periods.

use chrono::{Datelike, NaiveDate};

use crate::config::Period;
use crate::dates::format_day;

/// The digest key of `date`.
pub fn key(period: Period, date: NaiveDate) -> String {
    match period {
        Period::Day => format_day(date),
        Period::Week => {
            let w = date.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Period::Month => date.format("%Y-%m").to_string(),
    }
}

/// The first day of the period holding `date` (for archives and feeds).
pub fn start(period: Period, date: NaiveDate) -> NaiveDate {
    match period {
        Period::Day => date,
        Period::Week => {
            let back = date.weekday().num_days_from_monday();
            date - chrono::Days::new(back.into())
        }
        Period::Month => date.with_day(1).unwrap_or(date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_day(s).unwrap()
    }

    #[test]
    fn day_keys_are_the_date() {
        assert_eq!(key(Period::Day, d("2024-04-02")), "2024-04-02");
    }

    #[test]
    fn week_keys_follow_iso_weeks_across_years() {
        assert_eq!(key(Period::Week, d("2024-04-02")), "2024-W14");
        assert_eq!(key(Period::Week, d("2024-12-30")), "2025-W01");
        assert_eq!(key(Period::Week, d("2021-01-03")), "2020-W53");
        assert_eq!(start(Period::Week, d("2024-04-04")), d("2024-04-01"));
    }

    #[test]
    fn month_keys_drop_the_day() {
        assert_eq!(key(Period::Month, d("2024-04-30")), "2024-04");
        assert_eq!(start(Period::Month, d("2024-04-30")), d("2024-04-01"));
    }
}
