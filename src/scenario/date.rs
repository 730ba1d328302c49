//! Calendar dates, possibly partial (`2018`, `2018-04`, `2018-04-15`).
//!
//! A partial date compares as its first day and prints as written, so
//! "since April 2018" stays `2018-04` in every report.

use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// How much of a date the source gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

#[derive(Debug, Clone, Copy, Eq)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
    precision: Precision,
}

impl Date {
    /// Before any date a scenario can hold: "since ever".
    pub const EARLIEST: Date = Date {
        year: 1,
        month: 1,
        day: 1,
        precision: Precision::Day,
    };

    /// A full date; `None` when it does not exist in the Gregorian calendar.
    pub fn ymd(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            year,
            month,
            day,
            precision: Precision::Day,
        })
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let parts: Vec<&str> = text.split('-').collect();
        let well_formed = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.len() == 2,
            [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
            _ => false,
        } && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            return Err(DateError::Malformed);
        }
        let number = |s: &str| s.parse::<u16>().map_err(|_| DateError::Malformed);
        let year = number(parts[0])?;
        if year == 0 {
            return Err(DateError::Impossible);
        }
        let month = match parts.get(1) {
            Some(m) => u8::try_from(number(m)?).map_err(|_| DateError::Impossible)?,
            None => {
                return Ok(Date {
                    year,
                    month: 1,
                    day: 1,
                    precision: Precision::Year,
                });
            }
        };
        if !(1..=12).contains(&month) {
            return Err(DateError::Impossible);
        }
        let day = match parts.get(2) {
            Some(d) => u8::try_from(number(d)?).map_err(|_| DateError::Impossible)?,
            None => {
                return Ok(Date {
                    year,
                    month,
                    day: 1,
                    precision: Precision::Month,
                });
            }
        };
        Date::ymd(year, month, day).ok_or(DateError::Impossible)
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The day after the one this date compares as (a full date).
    pub fn next_day(&self) -> Date {
        let (mut year, mut month, mut day) = (self.year, self.month, self.day + 1);
        if day > days_in_month(year, month) {
            day = 1;
            month += 1;
            if month > 12 {
                month = 1;
                year = year.saturating_add(1);
            }
        }
        Date {
            year,
            month,
            day,
            precision: Precision::Day,
        }
    }

    /// The day this date compares as: its first day when partial.
    pub fn ordinal(&self) -> u32 {
        u32::from(self.year) * 10_000 + u32::from(self.month) * 100 + u32::from(self.day)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form YYYY, YYYY-MM or YYYY-MM-DD.
    Malformed,
    /// Well formed, but no such day (`2024-02-30`, month 13, year 0).
    Impossible,
}

/// The days of `month` (1 to 12) in `year`, by the Gregorian leap-year rule.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

impl PartialEq for Date {
    fn eq(&self, other: &Self) -> bool {
        self.ordinal() == other.ordinal()
    }
}

impl std::hash::Hash for Date {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.ordinal().hash(state);
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.ordinal().cmp(&other.ordinal())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Year => write!(f, "{:04}", self.year),
            Precision::Month => write!(f, "{:04}-{:02}", self.year, self.month),
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A half-open period `[from, until)`; a missing end is open on that side.
pub fn in_force(from: Option<Date>, until: Option<Date>, at: Date) -> bool {
    from.is_none_or(|f| f <= at) && until.is_none_or(|u| at < u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_and_partial_dates() {
        assert_eq!(
            Date::parse("2024-09-27").map(|d| d.to_string()),
            Ok("2024-09-27".into())
        );
        assert_eq!(
            Date::parse("2018-04").map(|d| d.to_string()),
            Ok("2018-04".into())
        );
        assert_eq!(
            Date::parse("1992").map(|d| d.to_string()),
            Ok("1992".into())
        );
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert_eq!(Date::parse("2024-02-30"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2023-02-29"), Err(DateError::Impossible));
        assert!(Date::parse("2024-02-29").is_ok());
        assert_eq!(Date::parse("2024-13"), Err(DateError::Impossible));
        assert_eq!(Date::parse("24-01-01"), Err(DateError::Malformed));
        assert_eq!(Date::parse("2024/01/01"), Err(DateError::Malformed));
        assert_eq!(Date::parse("2024-1-01"), Err(DateError::Malformed));
        assert_eq!(Date::parse(""), Err(DateError::Malformed));
    }

    #[test]
    fn partial_dates_compare_as_first_day() {
        let month = Date::parse("2018-04").ok();
        let first = Date::parse("2018-04-01").ok();
        let second = Date::parse("2018-04-02").ok();
        assert_eq!(month, first);
        assert!(month < second);
    }

    #[test]
    fn the_next_day_rolls_over_months_and_years() {
        let next = |s| Date::parse(s).map(|d| d.next_day().to_string());
        assert_eq!(next("2024-02-28"), Ok("2024-02-29".into()));
        assert_eq!(next("2023-02-28"), Ok("2023-03-01".into()));
        assert_eq!(next("2024-12-31"), Ok("2025-01-01".into()));
        assert_eq!(next("2018-04"), Ok("2018-04-02".into()));
        assert_eq!(next("1992"), Ok("1992-01-02".into()));
    }

    #[test]
    fn periods_are_half_open() {
        let d = |s| Date::parse(s).ok();
        let at = |s| {
            Date::parse(s).unwrap_or(Date {
                year: 1,
                month: 1,
                day: 1,
                precision: Precision::Day,
            })
        };
        assert!(in_force(d("2024-01-01"), d("2024-02-01"), at("2024-01-01")));
        assert!(!in_force(
            d("2024-01-01"),
            d("2024-02-01"),
            at("2024-02-01")
        ));
        assert!(in_force(None, None, at("1900-01-01")));
    }
}
