//! A timeline's findings point after point, each point's from the last
//! one's (issue 12): the world at the next point is compared with the
//! world at the last, record by record (`World::differences`); a rule that
//! reads none of what changed keeps its findings; a rule whose bindings
//! read only their own rows is evaluated over the bindings of the changed
//! records, before and after (`Evaluator::run_rule_touching`), its
//! findings at the last point less the first, plus the second; a rule that
//! reads the date (`as_of`), or reaches what changed another way, is
//! evaluated anew. The reports are those of evaluating every point from
//! scratch (the differential test in `tests/differential.rs`).

use super::result::Report;
use super::{Prepared, RuleOutcome, run_rules};
use crate::diag::Diagnostic;
use crate::eval::delta::{Footprint, Touched, Way, changed_fields};
use crate::eval::run::{EvalError, RawFinding};
use crate::eval::value::{Key, Reader};
use crate::eval::{Budget, Evaluator, EvidenceFor};
use crate::lang::ruleset::RuleSet;
use crate::lang::schema::{Collection, RecordKind};
use crate::scenario::date::Date;
use crate::scenario::world::{Differences, RowChanges, World};
use std::sync::Arc;

/// The last point's world and each rule's findings there (no evidence).
struct Last<'s> {
    world: World<'s>,
    /// Shared, so that a rule's findings that stand are not copied.
    found: Vec<Arc<Vec<RawFinding>>>,
    /// Whether it was the timeline's "since ever" point, whose messages
    /// carry no real date.
    since_ever: bool,
}

/// Evaluates the points of a timeline in order, each from the last.
pub(crate) struct Stepper<'p, 's> {
    prepared: &'p Prepared<'s>,
    rules: &'p RuleSet,
    footprints: Vec<Footprint>,
    budget: Budget,
    last: Option<Last<'s>>,
}

impl<'p, 's> Stepper<'p, 's> {
    pub fn new(prepared: &'p Prepared<'s>, rules: &'p RuleSet, budget: Budget) -> Self {
        Stepper {
            prepared,
            rules,
            footprints: rules.rules.iter().map(Footprint::of).collect(),
            budget,
            last: None,
        }
    }

    /// The report at `date`, the points so far being earlier dates. A
    /// finding that held at the last point and still holds keeps the
    /// message it had there (a timeline shows a finding's first message),
    /// unless the last point was `since_ever` (the timeline's first, which
    /// stands for all time before the next): then a message that reads the
    /// date is written anew.
    pub fn at(&mut self, date: Date, since_ever: bool) -> Result<Report, Vec<Diagnostic>> {
        let world = World::at(self.prepared.scenario, date);
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
        let anew = |world: &World| {
            run_rules(world, self.rules, self.budget, EvidenceFor::Bound)
                .into_iter()
                .map(|outcome| outcome.map(Arc::new))
                .collect()
        };
        let found: Vec<Result<Arc<Vec<RawFinding>>, EvalError>> = match self.last.take() {
            Some(last) => match world.differences(&last.world) {
                Some(differences) => self.since(&last, &world, &differences, worded_now),
                None => anew(&world),
            },
            None => anew(&world),
        };
        let outcomes: Vec<RuleOutcome> = found
            .iter()
            .map(|outcome| {
                outcome
                    .as_ref()
                    .map(|f| (**f).clone())
                    .map_err(Clone::clone)
            })
            .collect();
        let kept: Option<Vec<Arc<Vec<RawFinding>>>> = found.into_iter().map(Result::ok).collect();
        let report = self
            .prepared
            .report_of(&world, self.rules, date, self.budget, outcomes, None);
        // After an error the next point starts afresh.
        if let (Ok(_), Some(found)) = (&report, kept) {
            self.last = Some(Last {
                world,
                found,
                since_ever,
            });
        }
        report
    }

    /// Each rule's findings in `world`, from those in `last.world`.
    fn since(
        &self,
        last: &Last<'s>,
        world: &World<'s>,
        differences: &Differences,
        worded_now: bool,
    ) -> Vec<Result<Arc<Vec<RawFinding>>, EvalError>> {
        let before = Evaluator::new(&last.world, self.budget).with_evidence_for(EvidenceFor::None);
        let after = Evaluator::new(world, self.budget).with_evidence_for(EvidenceFor::Bound);
        let (was, is) = (Reader { world: &last.world }, Reader { world });
        let mut touched_before = Touched::default();
        let mut touched_after = Touched::default();
        let mut fields = Vec::new();
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
                &mut touched_before,
                &mut touched_after,
                &mut members,
            );
            for &rows in &changes.changed {
                changed_fields(&was, &is, collection.record(), rows, &mut fields);
            }
        }
        let mut kinds = touched_before.kinds();
        for kind in touched_after.kinds() {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        let mut outcomes = Vec::with_capacity(self.rules.rules.len());
        for ((rule, footprint), found) in self
            .rules
            .rules
            .iter()
            .zip(&self.footprints)
            .zip(&last.found)
        {
            let way = if footprint.dated() || (worded_now && footprint.worded_by_date()) {
                Way::Anew
            } else {
                footprint.way(&fields, &members, &kinds)
            };
            let outcome = match way {
                Way::Stands => Ok(Arc::clone(found)),
                Way::Anew => after.run_rule(rule).map(Arc::new),
                Way::Touching => {
                    let keys_of = |place: usize| -> Option<Vec<Vec<Key<'_>>>> {
                        let keyed = *footprint.keyed_over(&kinds).get(place)?;
                        crate::eval::delta::keys_before_after(
                            keyed,
                            rule.slots,
                            (&before, touched_before.rows(keyed.collection)),
                            (&after, touched_after.rows(keyed.collection)),
                        )
                    };
                    let rows_before = crate::eval::delta::rows_touched(
                        rule,
                        footprint,
                        &kinds,
                        &touched_before,
                        &before,
                        keys_of,
                    );
                    let rows_after = crate::eval::delta::rows_touched(
                        rule,
                        footprint,
                        &kinds,
                        &touched_after,
                        &after,
                        keys_of,
                    );
                    match (rows_before, rows_after) {
                        (Some(rows_before), Some(rows_after)) => {
                            // The last point's findings of the bindings
                            // touched there are taken out by the records
                            // they bound; those of the bindings touched
                            // here found anew.
                            let gone: Vec<Vec<(usize, u32)>> = rule
                                .bindings
                                .iter()
                                .zip(&rows_before)
                                .map(|(binding, rows)| {
                                    let kind = binding.collection.record();
                                    let mut ids: Vec<(usize, u32)> = rows
                                        .iter()
                                        .filter_map(|r| was.identity(kind, *r))
                                        .collect();
                                    ids.sort_unstable();
                                    ids
                                })
                                .collect();
                            match after.run_rule_touching(rule, &rows_after) {
                                Ok(came) => match kept(found, &gone) {
                                    Some(mut kept) => {
                                        kept.extend(came);
                                        Ok(Arc::new(kept))
                                    }
                                    None => after.run_rule(rule).map(Arc::new),
                                },
                                Err(_) => after.run_rule(rule).map(Arc::new),
                            }
                        }
                        _ => after.run_rule(rule).map(Arc::new),
                    }
                }
            };
            outcomes.push(outcome);
        }
        outcomes
    }
}

/// The touched rows before and after of one collection's changes, and
/// whether records came or went.
fn note(
    collection: Collection,
    changes: &RowChanges,
    before: &mut Touched,
    after: &mut Touched,
    members: &mut Vec<RecordKind>,
) {
    for &(was, is) in &changes.changed {
        before.add(collection, was);
        after.add(collection, is);
    }
    for &row in &changes.gone {
        before.add(collection, row);
    }
    for &row in &changes.came {
        after.add(collection, row);
    }
    if !changes.gone.is_empty() || !changes.came.is_empty() {
        let kind = collection.record();
        if !members.contains(&kind) {
            members.push(kind);
        }
    }
}

/// The findings of `found` whose records are none of `gone` (by binding
/// variable, sorted); `None` if a finding does not name its records.
fn kept(found: &[RawFinding], gone: &[Vec<(usize, u32)>]) -> Option<Vec<RawFinding>> {
    let mut kept = Vec::with_capacity(found.len());
    for f in found {
        if f.bound.len() != gone.len() {
            return None;
        }
        let touched = f
            .bound
            .iter()
            .zip(gone)
            .any(|(record, gone)| gone.binary_search(record).is_ok());
        if !touched {
            kept.push(f.clone());
        }
    }
    Some(kept)
}
