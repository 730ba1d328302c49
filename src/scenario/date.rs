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

    /// The last day a date can be (years are written with four digits).
    pub const LATEST: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
        precision: Precision::Day,
    };

    /// The number of the day this date compares as (its first day when
    /// partial), counted from 0001-01-01 as day 0: the difference of two is
    /// the days between them.
    pub fn day_number(&self) -> i64 {
        // Howard Hinnant's days-from-civil, over years starting in March so
        // that the leap day is the last of its year.
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let day_of_year = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - FIRST_DAY
    }

    /// The full date of a day number (`day_number`'s inverse); `None` outside
    /// 0001-01-01 to 9999-12-31, the dates a scenario can write.
    pub fn from_day_number(n: i64) -> Option<Date> {
        if !(0..=Date::LATEST.day_number()).contains(&n) {
            return None;
        }
        let n = n + FIRST_DAY;
        let era = n.div_euclid(146_097);
        let day_of_era = n - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date::ymd(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// This date (its first day when partial) moved by `days`; `None` when
    /// that leaves the dates a scenario can write.
    pub fn add_days(&self, days: i64) -> Option<Date> {
        Date::from_day_number(self.day_number().checked_add(days)?)
    }

    /// The day this date compares as: its first day when partial.
    pub fn ordinal(&self) -> u32 {
        u32::from(self.year) * 10_000 + u32::from(self.month) * 100 + u32::from(self.day)
    }
}

/// Most days a written count may move a date by and still land in the
/// range of dates: from 0001-01-01 to 9999-12-31. A larger one gives `none`
/// wherever it is applied.
pub const MAX_DISTANCE: f64 = 3_652_058.0;

/// 0001-01-01 in days after 0000-03-01, where `day_number`'s count of eras starts.
const FIRST_DAY: i64 = 306;

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
    fn day_numbers_count_days_and_round_trip() {
        let n = |s| Date::parse(s).map(|d| d.day_number());
        assert_eq!(n("0001-01-01"), Ok(0));
        assert_eq!(n("0001-03-01"), Ok(59));
        assert_eq!(n("2020-04-01").unwrap() - n("2020-01-01").unwrap(), 91);
        assert_eq!(n("2024-01-01").unwrap() - n("2023-01-01").unwrap(), 365);
        assert_eq!(n("2025-01-01").unwrap() - n("2024-01-01").unwrap(), 366);
        assert_eq!(n("2018-04"), n("2018-04-01"));
        assert_eq!(n("2018"), n("2018-01-01"));
        // Every day of the range, one after the other.
        let mut day = Date::EARLIEST;
        for k in 0..=Date::LATEST.day_number() {
            assert_eq!(day.day_number(), k);
            assert_eq!(Date::from_day_number(k), Some(day));
            if k < Date::LATEST.day_number() {
                day = day.next_day();
            }
        }
        assert_eq!(day.to_string(), "9999-12-31");
        assert_eq!(Date::from_day_number(-1), None);
        assert_eq!(Date::from_day_number(Date::LATEST.day_number() + 1), None);
    }

    #[test]
    fn adding_days_rolls_over_leap_days_and_stops_at_the_range() {
        let add = |s, k| {
            Date::parse(s)
                .ok()
                .and_then(|d| d.add_days(k))
                .map(|d| d.to_string())
        };
        assert_eq!(add("2024-02-28", 1).as_deref(), Some("2024-02-29"));
        assert_eq!(add("2023-02-28", 1).as_deref(), Some("2023-03-01"));
        assert_eq!(add("2024-03-01", -1).as_deref(), Some("2024-02-29"));
        assert_eq!(add("2020-01-01", 90).as_deref(), Some("2020-03-31"));
        assert_eq!(add("2018-04", 0).as_deref(), Some("2018-04-01"));
        assert_eq!(add("0001-01-01", -1), None);
        assert_eq!(add("9999-12-31", 1), None);
        assert_eq!(add("2024-01-01", i64::MAX), None);
        assert_eq!(add("2024-01-01", i64::MIN), None);
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
