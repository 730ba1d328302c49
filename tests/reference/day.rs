//! Days, read from how a date prints: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
//! A partial date is its first day (docs/scenario.md) and prints as written.

use parity::scenario::date::Date;
use parity::scenario::model::{At, Head};
use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy)]
pub struct Day {
    year: u32,
    month: u32,
    day: u32,
    /// How many of the three parts were written.
    parts: u8,
}

impl Day {
    pub fn parse(text: &str) -> Option<Day> {
        let parts: Vec<u32> = text
            .split('-')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let (year, month, day) = match parts.as_slice() {
            [y] => (*y, 1, 1),
            [y, m] => (*y, *m, 1),
            [y, m, d] => (*y, *m, *d),
            _ => return None,
        };
        Some(Day {
            year,
            month,
            day,
            parts: parts.len() as u8,
        })
    }

    /// The day a date of the model stands for, read from its printed form.
    pub fn of(date: &Date) -> Day {
        let text = date.to_string();
        Day::parse(&text).unwrap_or_else(|| panic!("`{text}` does not read as a date"))
    }

    /// The date in the library's type (for options), through its text.
    pub fn date(self) -> Date {
        Date::parse(&self.to_string()).unwrap()
    }

    fn key(self) -> (u32, u32, u32) {
        (self.year, self.month, self.day)
    }

    /// Days since 0000-03-01 (proleptic Gregorian), for arithmetic.
    pub fn serial(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe
    }

    /// The full date `serial` days after 0000-03-01.
    pub fn from_serial(n: i64) -> Day {
        let era = n.div_euclid(146_097);
        let doe = n - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Day {
            year: year as u32,
            month: month as u32,
            day: day as u32,
            parts: 3,
        }
    }
}

impl PartialEq for Day {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Day {}

impl PartialOrd for Day {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Day {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.parts {
            1 => write!(f, "{:04}", self.year),
            2 => write!(f, "{:04}-{:02}", self.year, self.month),
            _ => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

pub fn opt(date: &Option<At<Date>>) -> Option<Day> {
    date.as_ref().map(|d| Day::of(&d.value))
}

/// `from <= at < until`, a missing end being open.
pub fn holds(from: Option<Day>, until: Option<Day>, at: Day) -> bool {
    from.is_none_or(|f| f <= at) && until.is_none_or(|u| at < u)
}

pub fn period(from: &Option<At<Date>>, until: &Option<At<Date>>, at: Day) -> bool {
    holds(opt(from), opt(until), at)
}

/// Whether two heads' periods share a day.
pub fn overlap(a: &Head, b: &Head) -> bool {
    let span = |h: &Head| (opt(&h.from), opt(&h.until));
    let (af, au) = span(a);
    let (bf, bu) = span(b);
    let empty = |f: Option<Day>, u: Option<Day>| matches!((f, u), (Some(f), Some(u)) if u <= f);
    let before = |start: Option<Day>, end: Option<Day>| match (start, end) {
        (Some(s), Some(e)) => s < e,
        _ => true,
    };
    !empty(af, au) && !empty(bf, bu) && before(af, bu) && before(bf, au)
}
