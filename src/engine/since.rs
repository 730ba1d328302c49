//! A timeline's findings point after point, each point's from the last
//! one's (issue 12): the world at the next point is compared with the
//! world at the last, record by record (`World::differences`); a rule that
//! reads none of what changed keeps its findings; a rule whose bindings
//! read only their own rows is evaluated over the bindings of the changed
//! records, before and after (`Evaluator::run_rule_touching`), its
//! findings at the last point less the first, plus the second; a rule that
//! reaches what changed another way is evaluated anew. A rule that reads
//! the date only in comparisons monotone in it (`eval::horizon`) notes, for
//! each binding it evaluates, the day its verdict may next change with the
//! date alone; at a later point it is evaluated over the bindings of the
//! changed records and of the records whose day has come. One that reads
//! the date otherwise is evaluated anew at every point. The reports are
//! those of evaluating every point from scratch (the differential test in
//! `tests/differential.rs`).

#[cfg(test)]
use super::RuleOutcome;
use super::held::{Days, DueRecords, Held};
#[cfg(test)]
use super::result::Report;
use super::{Prepared, run_rules};
use crate::diag::Diagnostic;
use crate::eval::delta::{Footprint, Touched, Way, changed_fields};
use crate::eval::horizon::Atoms;
use crate::eval::run::{EvalError, RawFinding, Seeds};
use crate::eval::value::{Key, Reader};
use crate::eval::{Budget, Evaluator, EvidenceFor};
use crate::fast_hash::FastMap;
use crate::lang::ruleset::RuleSet;
use crate::lang::schema::{Collection, RecordKind};
use crate::scenario::date::Date;
use crate::scenario::world::{Differences, RowChanges, Sym, World};
use std::sync::Arc;

/// A rule's findings at a point, each shared: a finding that holds at the
/// next point too is not copied.
pub(crate) type Findings = Arc<Vec<Arc<RawFinding>>>;

/// The last point's world and each rule's findings there (no evidence).
struct Last<'s> {
    world: World<'s>,
    /// Moved on to the next point where a rule stands or is evaluated over
    /// some bindings, so that its findings are not copied.
    found: Vec<Held>,
    /// Whether it was the timeline's "since ever" point, whose messages
    /// carry no real date.
    since_ever: bool,
    /// For each rule whose date comparisons are noted (`Stepper::atoms`),
    /// the days on which some of its bindings may change with the date;
    /// `None` where they were not noted (the rule is evaluated anew).
    dues: Vec<Option<Days>>,
}

/// One rule's findings at a point, the days it noted, and how they differ
/// from the last point's.
struct Found {
    outcome: Result<Held, EvalError>,
    dues: Option<Days>,
    /// `None` when the rule was evaluated anew.
    change: Option<Change>,
}

/// The findings of a rule gone since the last point and those come.
#[derive(Debug, Default)]
pub(crate) struct Change {
    pub gone: Vec<Arc<RawFinding>>,
    pub came: Vec<Arc<RawFinding>>,
}

/// A rule's findings at a point, as a timeline takes them (`Stepper::step`).
#[derive(Debug)]
pub(crate) enum PointFindings {
    /// All of them: at a lane's first point, where the rule was evaluated
    /// anew, and where findings may be shown for the first time with the
    /// message of then (after "since ever", when a waiver ends).
    All(Findings),
    /// What changed since the point before, which the lane evaluated last.
    Changed(Change),
}

/// Evaluates the points of a timeline in order, each from the last.
pub(crate) struct Stepper<'p, 's> {
    prepared: &'p Prepared<'s>,
    rules: &'p RuleSet,
    footprints: Vec<Footprint>,
    /// The date comparisons of each rule that reads the date only in
    /// comparisons monotone in it.
    atoms: Vec<Option<Atoms<'p>>>,
    budget: Budget,
    last: Option<Last<'s>>,
    /// How often rules that read the date were kept, evaluated over some
    /// bindings, and evaluated anew (what keeps a timeline fast, tested).
    dated_ways: std::cell::Cell<[usize; 3]>,
    /// Each rule's indexes of ids at the last point, but for the rows they
    /// name stale: the next point rebuilds them by keying again only those
    /// and the rows that changed there, each group following its record's
    /// row (`Seed::advance`, `Evaluator::with_seeds`).
    seeds: std::cell::RefCell<Vec<Seeds>>,
    /// The indexes by which the last point found the rows that share a
    /// key with a changed record (`delta::rows_touched`), exact there:
    /// the next point finds them in the last world with these and in its
    /// own with these updated, instead of reading every row's key twice.
    key_seeds: std::cell::RefCell<Seeds>,
}

impl<'p, 's> Stepper<'p, 's> {
    pub fn new(prepared: &'p Prepared<'s>, rules: &'p RuleSet, budget: Budget) -> Self {
        Stepper {
            prepared,
            rules,
            footprints: rules
                .rules
                .iter()
                .map(|rule| Footprint::of(rule).between_dates())
                .collect(),
            atoms: rules.rules.iter().map(Atoms::of).collect(),
            budget,
            last: None,
            dated_ways: std::cell::Cell::new([0; 3]),
            seeds: std::cell::RefCell::new(rules.rules.iter().map(|_| Seeds::default()).collect()),
            key_seeds: std::cell::RefCell::default(),
        }
    }

    /// Each rule's findings at `date`, the points so far being earlier
    /// dates: whole, or as the change from the last point's. A finding
    /// that held at the last point and still holds keeps the message it
    /// had there (a timeline shows a finding's first message), unless the
    /// last point was `since_ever` (the timeline's first, which stands for
    /// all time before the next): then a message that reads the date is
    /// written anew. The errors are those of `check` at the date.
    pub fn step(
        &mut self,
        date: Date,
        since_ever: bool,
    ) -> Result<Vec<PointFindings>, Vec<Diagnostic>> {
        // Derived from the last point's world: only the missions with a
        // bound between the two dates are derived anew.
        let world = match &self.last {
            Some(last) if last.world.date < date => World::after(&last.world, date),
            _ => self.prepared.world_at(date),
        };
        // A finding shown for the first time shows its message then: one
        // that a waiver hid until now was found before and kept its
        // message, which must be written anew if it reads the date.
        let waivers_ended = |since: Date| {
            self.prepared.scenario.waivers.iter().any(|w| {
                w.until
                    .as_ref()
                    .is_some_and(|u| since < u.value && u.value <= date)
            })
        };
        let worded_now = self
            .last
            .as_ref()
            .is_some_and(|last| last.since_ever || waivers_ended(last.world.date));
        // Without the days of the dated rules: those are noted from the next point on.
        let anew = |world: &World| {
            run_rules(world, self.rules, self.budget, EvidenceFor::Bound)
                .into_iter()
                .zip(&self.rules.rules)
                .map(|(outcome, rule)| Found {
                    outcome: outcome.map(|found| held(rule, found)),
                    dues: None,
                    change: None,
                })
                .collect()
        };
        let mut last = self.last.take();
        let fresh = || {
            for seeds in self.seeds.borrow_mut().iter_mut() {
                seeds.clear();
            }
            self.key_seeds.borrow_mut().clear();
        };
        let found: Vec<Found> = match &mut last {
            Some(last) => match world.differences(&last.world) {
                Some(differences) => self.since(last, &world, &differences, worded_now),
                None => {
                    fresh();
                    anew(&world)
                }
            },
            None => {
                fresh();
                anew(&world)
            }
        };
        let before = |i: usize| last.as_ref().and_then(|last| last.found.get(i));
        // After an error the next point starts afresh.
        let mut errors = Vec::new();
        let mut points = Vec::with_capacity(found.len());
        let mut kept = Vec::with_capacity(found.len());
        let mut dues = Vec::with_capacity(found.len());
        for (i, (rule, found)) in self.rules.rules.iter().zip(found).enumerate() {
            match found.outcome {
                Ok(findings) => {
                    // A rule evaluated anew is given as what differs from
                    // the last point too: a timeline holds the points of
                    // the other lanes until it takes them, so what it holds
                    // stays the size of the changes.
                    points.push(match (found.change, before(i)) {
                        _ if worded_now => PointFindings::All(findings.all()),
                        (Some(change), _) => PointFindings::Changed(change),
                        (None, Some(before)) => {
                            PointFindings::Changed(difference(before, &findings))
                        }
                        (None, None) => PointFindings::All(findings.all()),
                    });
                    kept.push(findings);
                    dues.push(found.dues);
                }
                Err(error) => errors.push(super::budget_error(rule, &error)),
            }
        }
        // Claims are shown by `check` only, but one that cannot be
        // evaluated is an error of the point.
        if !self.prepared.scenario.expect.is_empty() {
            self.prepared.claims_at(&world, self.budget, &mut errors);
        }
        if !errors.is_empty() {
            fresh();
            return Err(errors);
        }
        self.last = Some(Last {
            world,
            found: kept,
            since_ever,
            dues,
        });
        Ok(points)
    }

    /// The report at `date` (`step`'s findings, reported as `check` does).
    #[cfg(test)]
    pub fn at(&mut self, date: Date, since_ever: bool) -> Result<Report, Vec<Diagnostic>> {
        self.step(date, since_ever)?;
        let Some(last) = &self.last else {
            return Err(Vec::new());
        };
        let outcomes: Vec<RuleOutcome> = last
            .found
            .iter()
            .map(|found| Ok(found.iter().map(|f| RawFinding::clone(f)).collect()))
            .collect();
        self.prepared
            .report_of(&last.world, self.rules, date, self.budget, outcomes, None)
    }

    /// Each rule's findings in `world`, from those in `last.world`.
    fn since(
        &self,
        last: &mut Last<'s>,
        world: &World<'s>,
        differences: &Differences,
        worded_now: bool,
    ) -> Vec<Found> {
        let key_seeds = std::mem::take(&mut *self.key_seeds.borrow_mut());
        let mut key_seeds_after = key_seeds.clone();
        let before = Evaluator::new(&last.world, self.budget)
            .with_evidence_for(EvidenceFor::None)
            .with_seeds(key_seeds);
        let after_all = Evaluator::new(world, self.budget).with_evidence_for(EvidenceFor::Bound);
        let (was, is) = (Reader { world: &last.world }, Reader { world });
        let mut touched_before = Touched::default();
        let mut touched_after = Touched::default();
        // Of those, the rows of records that went and came.
        let mut moved_before = Touched::default();
        let mut moved_after = Touched::default();
        let mut fields = Vec::new();
        // Each collection's changed rows with their fields, in the order of
        // its changes: for the rules, and the seeds, that read some of them.
        let mut changed_rows: FastMap<Collection, Vec<ChangedRow>> = FastMap::default();
        let mut members: Vec<RecordKind> = Vec::new();
        for (collection, changes) in [
            (Collection::States, &differences.states),
            (Collection::Governments, &differences.governments),
            (Collection::Missions, &differences.missions),
            (Collection::Recognitions, &differences.recognitions),
            (Collection::Relations, &differences.relations),
            (Collection::Events, &differences.events),
        ] {
            note(
                collection,
                changes,
                (&mut touched_before, &mut touched_after),
                (&mut moved_before, &mut moved_after),
                &mut members,
            );
            for &rows in &changes.changed {
                // Each row's own (`changed_fields` adds only fields not
                // already in what it is given).
                let mut these = Vec::new();
                changed_fields(&was, &is, collection.record(), rows, &mut these);
                let mut mask = 0u128;
                for field in these {
                    let place = match fields.iter().position(|f| *f == field) {
                        Some(place) => place,
                        None => {
                            fields.push(field);
                            fields.len() - 1
                        }
                    };
                    mask |= field_bit(place);
                }
                changed_rows
                    .entry(collection)
                    .or_default()
                    .push(ChangedRow { rows, fields: mask });
            }
        }
        // The last point's indexes hold here but for the changed rows,
        // once their rows follow the records that moved.
        for seeds in self
            .seeds
            .borrow_mut()
            .iter_mut()
            .chain(std::iter::once(&mut key_seeds_after))
        {
            seeds.retain(|_, seed| {
                let collection = seed.collection();
                let changes = changes_of(differences, collection);
                // A changed row keeps its key unless a field the keys read
                // changed (`Seed::reads`; not known: any).
                let reads = seed.reads().map_or(u128::MAX, |reads| {
                    reads
                        .iter()
                        .filter_map(|read| fields.iter().position(|f| f == read))
                        .fold(0, |mask, place| mask | field_bit(place))
                });
                let rows = changed_rows.get(&collection).map_or(&[][..], Vec::as_slice);
                seed.advance_reading(changes, after_all.size(collection) as usize, |i| {
                    rows.get(i).is_none_or(|row| row.fields & reads != 0)
                })
            });
        }
        let after_all = after_all.with_seeds(key_seeds_after);
        let mut kinds = touched_before.kinds();
        for kind in touched_after.kinds() {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        let mut outcomes = Vec::with_capacity(self.rules.rules.len());
        // Each kind's rows in this world by record, for the records whose
        // days have come (built once, when first needed).
        let mut rows_of: FastMap<Collection, FastMap<(usize, Sym), u32>> = FastMap::default();
        for (i, (rule, footprint)) in self.rules.rules.iter().zip(&self.footprints).enumerate() {
            let atoms = self.atoms.get(i).and_then(Option::as_ref);
            let dues = last.dues.get_mut(i).and_then(Option::take);
            let kinds = footprint.touched_kinds(&kinds, &fields, &members);
            let base = footprint.way(&fields, &members, &kinds);
            let mut come: Vec<&DueRecords> = Vec::new();
            // A finding shown for the first time now was found before with
            // the message of then, which may read the date.
            let way = if worded_now && (footprint.worded_by_date() || footprint.dated()) {
                Way::Anew
            } else if footprint.dated() {
                match (atoms, &dues) {
                    (Some(_), Some(dues)) if base != Way::Anew => {
                        come = dues.come(world.date);
                        if base == Way::Stands && come.is_empty() {
                            Way::Stands
                        } else {
                            Way::Touching
                        }
                    }
                    _ => Way::Anew,
                }
            } else {
                base
            };
            if footprint.dated() {
                let mut ways = self.dated_ways.get();
                let place = match way {
                    Way::Stands => 0,
                    Way::Touching => 1,
                    Way::Anew => 2,
                };
                if let Some(count) = ways.get_mut(place) {
                    *count += 1;
                }
                self.dated_ways.set(ways);
            }
            // Each rule has an evaluator of its own (its indexes are its
            // own anyway): noting its days if it reads the date, building
            // its indexes from the last point's when evaluated over the
            // touched bindings (given to one evaluated anew too, they made
            // no measurable difference).
            let own = Evaluator::new(world, self.budget).with_evidence_for(EvidenceFor::Bound);
            let own = match atoms {
                Some(atoms) => own.with_horizons(atoms, rule.bindings.len()),
                None => own,
            };
            let own = match way {
                Way::Touching => {
                    let seeds = self
                        .seeds
                        .borrow_mut()
                        .get_mut(i)
                        .map(std::mem::take)
                        .unwrap_or_default();
                    own.with_seeds(seeds)
                }
                Way::Stands | Way::Anew => own,
            };
            let after = &own;
            // The days noted by the evaluation just made, as records.
            let noted = |kept: Option<Days>| -> Option<Days> {
                atoms?;
                let mut dues = kept.unwrap_or_else(|| Days::new(rule.bindings.len()));
                for due in after.take_dues() {
                    let records = due
                        .rows
                        .iter()
                        .filter_map(|&(var, row)| {
                            let kind = rule.bindings.get(var)?.collection.record();
                            Some((var, is.identity(kind, row)?))
                        })
                        .collect();
                    dues.insert(DueRecords {
                        on: due.on,
                        records,
                    });
                }
                Some(dues)
            };
            let anew = || {
                // Whatever a failed evaluation over some bindings noted.
                after.take_dues();
                Found {
                    outcome: after.run_rule(rule).map(|found| held(rule, found)),
                    dues: noted(None),
                    change: None,
                }
            };
            let outcome = match way {
                Way::Stands => Found {
                    outcome: Ok(last
                        .found
                        .get_mut(i)
                        .map(std::mem::take)
                        .unwrap_or_default()),
                    dues,
                    change: Some(Change::default()),
                },
                Way::Anew => anew(),
                Way::Touching => {
                    let touched = if base == Way::Stands {
                        // Only days have come: no record it reads changed.
                        Some((
                            vec![Vec::new(); rule.bindings.len()],
                            vec![Vec::new(); rule.bindings.len()],
                        ))
                    } else {
                        // The rows that came or went, and the changed rows
                        // whose changed fields it reads: a binding of rows
                        // changed in other fields only finds what it found
                        // (most of a timeline's changes are of heads and
                        // credentials, which staff-parity does not read).
                        let (mut read_before, mut read_after) =
                            (moved_before.clone(), moved_after.clone());
                        let reads = fields
                            .iter()
                            .enumerate()
                            .filter(|(_, field)| footprint.reads_any(std::slice::from_ref(field)))
                            .fold(0u128, |mask, (place, _)| mask | field_bit(place));
                        for (&collection, rows) in &changed_rows {
                            for row in rows.iter().filter(|row| row.fields & reads != 0) {
                                read_before.add(collection, row.rows.0);
                                read_after.add(collection, row.rows.1);
                            }
                        }
                        let keys_of = |place: usize| -> Option<Vec<Vec<Key<'_>>>> {
                            let keyed = *footprint.keyed_over(&kinds).get(place)?;
                            crate::eval::delta::keys_before_after(
                                keyed,
                                rule.slots,
                                (&before, read_before.rows(keyed.collection)),
                                (&after_all, read_after.rows(keyed.collection)),
                            )
                        };
                        let rows_before = crate::eval::delta::rows_touched(
                            rule,
                            footprint,
                            &kinds,
                            &read_before,
                            &before,
                            keys_of,
                        );
                        let rows_after = crate::eval::delta::rows_touched(
                            rule,
                            footprint,
                            &kinds,
                            &read_after,
                            &after_all,
                            keys_of,
                        );
                        rows_before.zip(rows_after)
                    };
                    match touched {
                        Some((rows_before, mut rows_after)) => {
                            // The last point's findings of the bindings
                            // touched there are taken out by the records
                            // they bound; those of the bindings touched
                            // here found anew.
                            let mut gone: Vec<Vec<(usize, Sym)>> = rule
                                .bindings
                                .iter()
                                .zip(&rows_before)
                                .map(|(binding, rows)| {
                                    let kind = binding.collection.record();
                                    rows.iter().filter_map(|r| was.identity(kind, *r)).collect()
                                })
                                .collect();
                            // And so are those of the records whose day has come.
                            for due in &come {
                                for &(var, record) in &due.records {
                                    let Some(binding) = rule.bindings.get(var) else {
                                        continue;
                                    };
                                    if let Some(ids) = gone.get_mut(var) {
                                        ids.push(record);
                                    }
                                    let kind = binding.collection.record();
                                    let row =
                                        is.row_of_identity(kind, record).unwrap_or_else(|| {
                                            let rows = rows_of
                                                .entry(binding.collection)
                                                .or_insert_with(|| {
                                                    by_record(&is, binding.collection, &after_all)
                                                });
                                            rows.get(&record).copied()
                                        });
                                    if let (Some(row), Some(these)) = (row, rows_after.get_mut(var))
                                    {
                                        these.push(row);
                                    }
                                }
                            }
                            // (`gone` needs no order: its records are looked up.)
                            for rows in &mut rows_after {
                                rows.sort_unstable();
                                rows.dedup();
                            }
                            after.take_dues();
                            match after.run_rule_touching(rule, &rows_after) {
                                Ok(came) => {
                                    let found = last.found.get_mut(i);
                                    match found
                                        .and_then(|found| Some((found.take_naming(&gone)?, found)))
                                    {
                                        Some((went, found)) => {
                                            let mut kept = std::mem::take(found);
                                            let came: Vec<Arc<RawFinding>> =
                                                came.into_iter().map(Arc::new).collect();
                                            for finding in &came {
                                                kept.insert(Arc::clone(finding));
                                            }
                                            // The days of the bindings evaluated again go.
                                            let mut dues = dues;
                                            if let Some(dues) = &mut dues {
                                                dues.take_naming(&gone);
                                            }
                                            Found {
                                                outcome: Ok(kept),
                                                dues: noted(dues),
                                                change: Some(Change { gone: went, came }),
                                            }
                                        }
                                        None => anew(),
                                    }
                                }
                                Err(_) => anew(),
                            }
                        }
                        None => anew(),
                    }
                }
            };
            // A rule kept reads nothing that changed: its indexes hold.
            if way != Way::Stands
                && let Some(seeds) = self.seeds.borrow_mut().get_mut(i)
            {
                *seeds = own.into_seeds();
            }
            outcomes.push(outcome);
        }
        *self.key_seeds.borrow_mut() = after_all.into_seeds();
        outcomes
    }
}

/// The rows of `collection` in the world `reader` reads, by the record at each.
fn by_record(
    reader: &Reader,
    collection: Collection,
    evaluator: &Evaluator,
) -> FastMap<(usize, Sym), u32> {
    let kind = collection.record();
    (0..evaluator.size(collection))
        .filter_map(|row| Some((reader.identity(kind, row)?, row)))
        .collect()
}

/// How the rows of `collection` differ.
fn changes_of(differences: &Differences, collection: Collection) -> &RowChanges {
    match collection {
        Collection::States => &differences.states,
        Collection::Governments => &differences.governments,
        Collection::Missions => &differences.missions,
        Collection::Recognitions => &differences.recognitions,
        Collection::Relations => &differences.relations,
        Collection::Events => &differences.events,
    }
}

/// The touched rows before and after of one collection's changes; of
/// those, the rows of records that went and came (`moved`); and whether
/// records came or went (`members`).
fn note(
    collection: Collection,
    changes: &RowChanges,
    (before, after): (&mut Touched, &mut Touched),
    (gone, came): (&mut Touched, &mut Touched),
    members: &mut Vec<RecordKind>,
) {
    for &(was, is) in &changes.changed {
        before.add(collection, was);
        after.add(collection, is);
    }
    for &row in &changes.gone {
        before.add(collection, row);
        gone.add(collection, row);
    }
    for &row in &changes.came {
        after.add(collection, row);
        came.add(collection, row);
    }
    if !changes.gone.is_empty() || !changes.came.is_empty() {
        let kind = collection.record();
        if !members.contains(&kind) {
            members.push(kind);
        }
    }
}

/// A row that changed between two points: its places (before, after),
/// and its changed fields, as bits of their places among all the changed
/// fields (`field_bit`).
struct ChangedRow {
    rows: (u32, u32),
    fields: u128,
}

/// The bit of the field at `place` among a point's changed fields; the
/// last bit stands for every field from there on, so that a rule reading
/// any of those and a row changed in any of them still meet (a bit more
/// evaluation, never less).
fn field_bit(place: usize) -> u128 {
    1u128 << place.min(127)
}

/// The findings of `now` that are not in `before` and those of `before`
/// not in `now`, a finding being its subject and message (all a timeline
/// reads of it).
fn difference(before: &Held, now: &Held) -> Change {
    let mut change = Change::default();
    fn key(f: &RawFinding) -> (&[String], &str) {
        (f.subject.as_slice(), f.message.as_str())
    }
    let mut left: FastMap<(&[String], &str), u32> = FastMap::default();
    for f in before.iter() {
        *left.entry(key(f)).or_default() += 1;
    }
    for f in now.iter() {
        match left.get_mut(&key(f)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => change.came.push(Arc::clone(f)),
        }
    }
    for f in before.iter() {
        if let Some(n) = left.get_mut(&key(f))
            && *n > 0
        {
            *n -= 1;
            change.gone.push(Arc::clone(f));
        }
    }
    change
}

/// A rule's findings as the timeline holds them.
fn held(rule: &crate::lang::check::CheckedRule, found: Vec<RawFinding>) -> Held {
    Held::of(rule.bindings.len(), found.into_iter().map(Arc::new))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// SYNTHETIC: two ambassadors without credentials; the second mission
    /// changes between the points, the first's 90 days end after them.
    const TWO_HEADS: &str = "scenario: days\nas_of: 2020-06-01\nstates:\n  - { id: A }\n  - { id: B }\n  - { id: C }\nmissions:\n  - id: a-b\n    sender: A\n    receiver: B\n    kind: embassy\n    heads:\n      - { rank: ambassador, from: 2020-01-01 }\n  - id: a-c\n    sender: A\n    receiver: C\n    kind: embassy\n    heads:\n      - { rank: ambassador, from: 2019-01-01, until: 2020-01-31 }\n      - { rank: ambassador, from: 2020-02-01, until: 2020-02-29, credentials: { to: C, on: 2020-02-01 } }\n      - { rank: ambassador, from: 2020-03-01, credentials: { to: C, on: 2020-03-01 } }\n";

    /// Fields past the bits a row has keep their rows and rules meeting:
    /// they share the last bit.
    #[test]
    fn fields_past_the_bits_share_the_last() {
        assert_eq!(field_bit(0), 1);
        assert_eq!(field_bit(127), field_bit(500));
        let (row, rule) = (field_bit(130), field_bit(200));
        assert_ne!(row & rule, 0);
        assert_eq!(field_bit(3) & field_bit(4), 0);
    }

    /// A binding whose day is noted keeps it while other bindings of the
    /// rule are evaluated again, and is evaluated on its day.
    #[test]
    fn a_day_outlives_the_evaluation_of_other_bindings() {
        let limits = crate::scenario::yaml::YamlLimits::default();
        let scenario = crate::scenario::load::load_str(TWO_HEADS, "t.yaml", &limits).unwrap();
        let rules = RuleSet::standard().unwrap();
        let prepared = Prepared::new(&scenario, &rules).unwrap();
        let mut stepper = Stepper::new(&prepared, &rules, Budget::default());
        let pending = |report: &Report| {
            let mut subjects: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.rule == "credentials-pending")
                .map(|f| f.subject.join(" "))
                .collect();
            subjects.sort();
            subjects
        };
        for (date, expected) in [
            ("2020-01-15", vec!["a-c"]),
            ("2020-02-15", vec![]),
            ("2020-03-15", vec![]),
            ("2020-06-01", vec!["a-b"]),
        ] {
            let date = Date::parse(date).unwrap();
            let report = stepper.at(date, false).unwrap();
            let scratch = prepared.check_at(&rules, date, Budget::default()).unwrap();
            assert_eq!(pending(&report), expected, "{date}");
            assert_eq!(pending(&scratch), expected, "{date}, from scratch");
        }
    }

    /// An index whose key reads other rows (here a sum over missions,
    /// for states) is built anew when those rows change, not kept from
    /// the last point with only the changed rows keyed again: the states
    /// did not change, their sums did.
    #[test]
    fn an_index_keyed_by_other_rows_is_not_kept() {
        // SYNTHETIC: B's staff in A changes, then A's embassy in B opens.
        let text = "scenario: sums\nas_of: 2025-06-01\nstates:\n  - { id: A }\n  - { id: B }\nmissions:\n  - id: a-b\n    sender: A\n    receiver: B\n    kind: embassy\n    from: 2025-01-01\n    staff:\n      - { diplomats: 1 }\n  - id: b-a\n    sender: B\n    receiver: A\n    kind: embassy\n    staff:\n      - { diplomats: 2, until: 2024-01-01 }\n      - { diplomats: 3, from: 2024-01-01 }\n";
        let rules_text = "rule no-staff-abroad {\n  title \"t\"\n  severity warning\n  cite \"test\"\n  for m in missions, s in states\n  where sum(x.staff for x in missions where x.run_by == s.government) == 0\n  message \"{s.id}\"\n}\n";
        let limits = crate::scenario::yaml::YamlLimits::default();
        let scenario = crate::scenario::load::load_str(text, "t.yaml", &limits).unwrap();
        let mut rules = RuleSet::default();
        let mut errors = Vec::new();
        rules.add_text(rules_text, "t.rules", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let prepared = Prepared::new(&scenario, &rules).unwrap();
        let mut stepper = Stepper::new(&prepared, &rules, Budget::default());
        let states = |report: &Report| {
            let mut found: Vec<String> =
                report.findings.iter().map(|f| f.message.clone()).collect();
            found.sort();
            found.dedup();
            found
        };
        // The second point keeps the indexes its evaluation built (b-a's
        // staff changed); the third finds A's sum changed.
        for (date, expected) in [
            ("2023-06-01", vec!["A"]),
            ("2024-06-01", vec!["A"]),
            ("2025-06-01", vec![]),
        ] {
            let date = Date::parse(date).unwrap();
            let report = stepper.at(date, false).unwrap();
            let scratch = prepared.check_at(&rules, date, Budget::default()).unwrap();
            assert_eq!(states(&scratch), expected, "{date}, from scratch");
            assert_eq!(states(&report), expected, "{date}");
        }
    }

    /// After a lane's first point, each rule's findings come as changes,
    /// even those of a rule evaluated anew at every point (it reads the
    /// date with `==`): a timeline holds other lanes' points until it takes
    /// them, and all the findings of every point would not fit. Where a
    /// waiver ends, or after "since ever", they come whole.
    #[test]
    fn after_its_first_point_a_lane_gives_the_changes() {
        let scenario = crate::engine::kabul();
        let mut rules = RuleSet::standard().unwrap();
        let mut diagnostics = Vec::new();
        rules.add_text(
            "rule started-today {\n  title \"T\"\n  severity info\n  cite \"C\"\n  for m in missions\n  where m.head.from <= as_of and not (m.head.from == as_of)\n  message \"{days(m.head.from, as_of)} days\"\n}\n",
            "t.rules",
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let prepared = Prepared::new(&scenario, &rules).unwrap();
        let mut stepper = Stepper::new(&prepared, &rules, Budget::default());
        let started = rules
            .rules
            .iter()
            .position(|r| r.id == "started-today")
            .unwrap();
        let (mut came, mut gone) = (0, 0);
        for (i, year) in (2016..=2024).enumerate() {
            let date = Date::ymd(year, 1, 1).unwrap();
            let found = stepper.step(date, i == 0).unwrap();
            let whole = found
                .iter()
                .filter(|f| matches!(f, PointFindings::All(_)))
                .count();
            // The first point, and the one after "since ever".
            let expected = if i < 2 { found.len() } else { 0 };
            assert_eq!(whole, expected, "{date}");
            if let Some(PointFindings::Changed(change)) = found.get(started) {
                came += change.came.len();
                gone += change.gone.len();
            }
        }
        // Their messages change with the date: each point, the findings
        // of the last go and come again.
        assert!(came > 0 && gone > 0, "{came} {gone}");
    }

    /// The standard rules that read the date are evaluated anew only where
    /// their days are not yet noted (a lane's second point) or a finding
    /// is shown for the first time: else kept, or evaluated over the
    /// bindings whose records changed or whose day has come. Evaluating
    /// them anew would give the same reports, only slower.
    #[test]
    fn rules_that_read_the_date_are_evaluated_from_their_days() {
        let scenario = crate::engine::kabul();
        let rules = RuleSet::standard().unwrap();
        let prepared = Prepared::new(&scenario, &rules).unwrap();
        let mut stepper = Stepper::new(&prepared, &rules, Budget::default());
        let mut points = 0;
        for year in 2016..=2025 {
            for month in [1, 4, 7, 10] {
                let date = Date::ymd(year, month, 1).unwrap();
                stepper.at(date, false).unwrap();
                points += 1;
            }
        }
        let [stands, touching, anew] = stepper.dated_ways.get();
        let dated = stepper.footprints.iter().filter(|f| f.dated()).count();
        assert_eq!(dated, 6);
        assert_eq!(stands + touching + anew, dated * (points - 1));
        assert!(touching > 0, "{stands} {touching} {anew}");
        assert!(anew <= 2 * dated, "{stands} {touching} {anew}");
    }
}
