//! What a timeline holds of each rule from one point to the next: its
//! findings and the days it noted, each found by the records it names.
//! At a point, the items of the bindings evaluated again are taken out by
//! their records (`ByRecords::take_naming`), and the days that have come
//! by their date (`Days::come`): a point costs what changed there, not
//! every finding and day of the rule, which a scan of them all did at
//! every point (8–9 % of the 200-state timeline's samples).

use crate::eval::run::RawFinding;
use crate::fast_hash::FastMap;
use crate::scenario::date::Date;
use crate::scenario::world::Sym;
use std::collections::BTreeSet;
use std::sync::Arc;

/// A record as a timeline names it from world to world
/// (`Reader::identity`: its kind's place and its sym).
pub(crate) type RecordId = (usize, Sym);

/// What an item held names: each of its records with its binding variable.
pub(crate) trait Names {
    fn names(&self) -> impl Iterator<Item = (usize, RecordId)> + '_;
}

impl Names for Arc<RawFinding> {
    fn names(&self) -> impl Iterator<Item = (usize, RecordId)> + '_ {
        self.bound.iter().copied().enumerate()
    }
}

/// A day on which some of a rule's bindings may change with the date
/// alone, with the records they bound (`eval::horizon`).
#[derive(Debug)]
pub(crate) struct DueRecords {
    pub on: Date,
    pub records: Vec<(usize, RecordId)>,
}

impl Names for DueRecords {
    fn names(&self) -> impl Iterator<Item = (usize, RecordId)> + '_ {
        self.records.iter().copied()
    }
}

/// Items found by the records they name, for each binding variable.
#[derive(Debug)]
pub(crate) struct ByRecords<T> {
    /// Each item at its place; `None` where one was taken out (the place
    /// is then free).
    items: Vec<Option<T>>,
    free: Vec<u32>,
    /// For each binding variable, the places of the items naming each record.
    by: Vec<FastMap<RecordId, Places>>,
}

/// The places of the items naming a record: mostly one (a finding of a
/// mission's rule per mission), kept without a list of its own.
#[derive(Debug)]
enum Places {
    One(u32),
    Many(Vec<u32>),
}

impl Places {
    fn add(&mut self, place: u32) {
        match self {
            Places::One(first) => *self = Places::Many(vec![*first, place]),
            Places::Many(places) => places.push(place),
        }
    }

    /// Takes `place` out; whether none is left.
    fn remove(&mut self, place: u32) -> bool {
        match self {
            Places::One(only) => *only == place,
            Places::Many(places) => {
                places.retain(|p| *p != place);
                places.is_empty()
            }
        }
    }

    fn into_iter(self) -> impl Iterator<Item = u32> {
        let (one, many) = match self {
            Places::One(only) => (Some(only), Vec::new()),
            Places::Many(places) => (None, places),
        };
        one.into_iter().chain(many)
    }
}

impl<T> Default for ByRecords<T> {
    fn default() -> Self {
        ByRecords {
            items: Vec::new(),
            free: Vec::new(),
            by: Vec::new(),
        }
    }
}

impl<T: Names> ByRecords<T> {
    pub fn new(vars: usize) -> Self {
        ByRecords {
            items: Vec::new(),
            free: Vec::new(),
            by: (0..vars).map(|_| FastMap::default()).collect(),
        }
    }

    /// Holds `item`; its place, or `None` (and it is not held) where it
    /// names a variable the rule has not.
    pub fn insert(&mut self, item: T) -> Option<u32> {
        if item.names().any(|(var, _)| var >= self.by.len()) {
            return None;
        }
        let place = match self.free.pop() {
            Some(place) => place,
            None => {
                // More items than u32 places would have exhausted memory first.
                let place = u32::try_from(self.items.len()).ok()?;
                self.items.push(None);
                place
            }
        };
        for (var, record) in item.names() {
            if let Some(by) = self.by.get_mut(var) {
                match by.entry(record) {
                    std::collections::hash_map::Entry::Occupied(mut places) => {
                        places.get_mut().add(place);
                    }
                    std::collections::hash_map::Entry::Vacant(places) => {
                        places.insert(Places::One(place));
                    }
                }
            }
        }
        if let Some(slot) = self.items.get_mut(place as usize) {
            *slot = Some(item);
        }
        Some(place)
    }

    /// Takes out every item naming, at some variable, one of the records
    /// `gone` has for it; each with the place it had.
    pub fn take_naming(&mut self, gone: &[Vec<RecordId>]) -> Vec<(u32, T)> {
        let mut taken = Vec::new();
        for (var, records) in gone.iter().enumerate() {
            for record in records {
                let Some(places) = self.by.get_mut(var).and_then(|by| by.remove(record)) else {
                    continue;
                };
                for place in places.into_iter() {
                    if let Some(item) = self.take(place) {
                        taken.push((place, item));
                    }
                }
            }
        }
        taken
    }

    /// Takes out the item at `place`, and its place under each record it names.
    fn take(&mut self, place: u32) -> Option<T> {
        let item = self.items.get_mut(place as usize)?.take()?;
        for (var, record) in item.names() {
            if let Some(by) = self.by.get_mut(var)
                && let Some(places) = by.get_mut(&record)
                && places.remove(place)
            {
                by.remove(&record);
            }
        }
        self.free.push(place);
        Some(item)
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.iter().flatten()
    }

    pub fn get(&self, place: u32) -> Option<&T> {
        self.items.get(place as usize)?.as_ref()
    }
}

/// A rule's findings at the last point.
#[derive(Debug, Default)]
pub(crate) struct Held {
    by_records: ByRecords<Arc<RawFinding>>,
    /// Findings that do not name a record for each variable (a timeline's
    /// do: `EvidenceFor::Bound`). While there are any, the findings cannot
    /// be taken out by record, and the rule is evaluated anew.
    unnamed: Vec<Arc<RawFinding>>,
}

impl Held {
    pub fn of(vars: usize, findings: impl IntoIterator<Item = Arc<RawFinding>>) -> Held {
        let mut held = Held {
            by_records: ByRecords::new(vars),
            unnamed: Vec::new(),
        };
        for finding in findings {
            held.insert(finding);
        }
        held
    }

    pub fn insert(&mut self, finding: Arc<RawFinding>) {
        if finding.bound.len() == self.by_records.by.len()
            && self.by_records.insert(Arc::clone(&finding)).is_some()
        {
            return;
        }
        self.unnamed.push(finding);
    }

    /// Takes out the findings naming one of the records `gone` has for
    /// their variable; `None` (and nothing is taken) where some finding
    /// names none.
    pub fn take_naming(&mut self, gone: &[Vec<RecordId>]) -> Option<Vec<Arc<RawFinding>>> {
        if !self.unnamed.is_empty() {
            return None;
        }
        Some(
            self.by_records
                .take_naming(gone)
                .into_iter()
                .map(|(_, finding)| finding)
                .collect(),
        )
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<RawFinding>> {
        self.by_records.iter().chain(&self.unnamed)
    }

    /// Every finding held, shared (where a point gives them all).
    pub fn all(&self) -> Arc<Vec<Arc<RawFinding>>> {
        Arc::new(self.iter().cloned().collect())
    }
}

/// The days a rule noted, found by their records and by their date.
#[derive(Debug)]
pub(crate) struct Days {
    held: ByRecords<DueRecords>,
    by_day: BTreeSet<(Date, u32)>,
}

impl Days {
    pub fn new(vars: usize) -> Self {
        Days {
            held: ByRecords::new(vars),
            by_day: BTreeSet::new(),
        }
    }

    pub fn insert(&mut self, due: DueRecords) {
        let on = due.on;
        if let Some(place) = self.held.insert(due) {
            self.by_day.insert((on, place));
        }
    }

    /// The days come by `date`.
    pub fn come(&self, date: Date) -> Vec<&DueRecords> {
        self.by_day
            .range(..=(date, u32::MAX))
            .filter_map(|&(_, place)| self.held.get(place))
            .collect()
    }

    /// Takes out the days naming one of the records `gone` has for its variable.
    pub fn take_naming(&mut self, gone: &[Vec<RecordId>]) {
        for (place, due) in self.held.take_naming(gone) {
            self.by_day.remove(&(due.on, place));
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.held.iter().count()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn due(on: &str, records: &[(usize, Sym)]) -> DueRecords {
        DueRecords {
            on: Date::parse(on).unwrap(),
            records: records.iter().map(|&(var, sym)| (var, (0, sym))).collect(),
        }
    }

    /// Items are taken out by any record they name, once, whichever
    /// variable names it; a place freed is used again without an item
    /// taken out before being found under its records.
    #[test]
    fn items_are_taken_out_by_their_records_only() {
        let mut days = Days::new(2);
        days.insert(due("2020-01-01", &[(0, 1), (1, 2)]));
        days.insert(due("2021-01-01", &[(0, 2), (1, 1)]));
        days.insert(due("2022-01-01", &[(0, 3), (1, 3)]));
        // A day naming a variable the rule has not is not held.
        days.insert(due("2020-01-01", &[(2, 1)]));
        assert_eq!(days.len(), 3);
        let on = |d: &str| Date::parse(d).unwrap();
        assert_eq!(days.come(on("2021-01-01")).len(), 2);
        // Record 1 at variable 0 names the first only; record 2 at
        // variable 1 the first too.
        days.take_naming(&[vec![(0, 1)], vec![(0, 2)]]);
        assert_eq!(days.len(), 2);
        let come: Vec<Date> = days.come(on("2030-01-01")).iter().map(|d| d.on).collect();
        assert_eq!(come, [on("2021-01-01"), on("2022-01-01")]);
        // The freed place holds a new day; the old one's records no longer find it.
        days.insert(due("2023-01-01", &[(0, 4), (1, 4)]));
        days.take_naming(&[vec![(0, 1)], vec![(0, 2)]]);
        assert_eq!(days.len(), 3);
        days.take_naming(&[vec![(0, 2)], vec![]]);
        let come: Vec<Date> = days.come(on("2030-01-01")).iter().map(|d| d.on).collect();
        assert_eq!(come, [on("2022-01-01"), on("2023-01-01")]);
        assert!(days.come(on("2019-12-31")).is_empty());
    }
}
