//! A proposal evaluated as a change to the world on its date, instead of a
//! changed scenario validated and checked in full (issue 12): the missions
//! whose heads it changes get their rows derived again in a copy of the
//! world; a rule that reads none of the fields that changed keeps its
//! findings; a rule whose bindings read only their own rows is evaluated
//! over the bindings of the changed rows, before and after
//! (`Evaluator::run_rule_touching`, through the indexes already built for
//! the world before); any other rule is evaluated anew on the changed
//! world. The outcome is the one a full evaluation gives (the differential
//! test in `tests/whatif.rs`); a proposal this cannot evaluate exactly, or
//! one that would be an input error, is evaluated in full.

use super::propose::{FindingsByKey, ProposalOutcome, keyed, preferred, settle};
use super::result::Finding;
use super::{CheckOptions, Prepared, SubjectCounts, WaiversInForce, rule_finding};
use crate::diag::Diagnostic;
use crate::eval::delta::{Footprint, Touched, changed_fields};
use crate::eval::run::RawFinding;
use crate::eval::value::Reader;
use crate::eval::{Evaluator, EvidenceFor};
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use crate::lang::schema::{Collection, RecordKind};
use crate::scenario::change::{heads_of, make_on_heads};
use crate::scenario::date::Date;
use crate::scenario::model::{Change, Head, Mission, Proposal, Scenario};
use crate::scenario::validate::heads_consistent;
use crate::scenario::world::{Entity, World};
use std::sync::Arc;

/// The scenario on one date, as the proposals of that date are evaluated
/// against it.
pub(crate) struct OnDate<'s> {
    pub date: Date,
    pub world: World<'s>,
    /// The findings in force (waivers applied), by (rule, subject), with evidence.
    pub before: FindingsByKey,
    /// Each rule's findings before waivers: how many for each subject.
    counts: Vec<SubjectCounts>,
    waivers: WaiversInForce<'s>,
    /// How many findings each waiver (by its place in the list) waives.
    uses: Vec<u64>,
}

impl<'s> OnDate<'s> {
    pub fn new(
        prepared: &Prepared<'s>,
        rules: &RuleSet,
        date: Date,
        options: &CheckOptions,
    ) -> Result<OnDate<'s>, Vec<Diagnostic>> {
        let scenario = prepared.scenario;
        let world = World::at(scenario, date);
        let mut counts = Vec::with_capacity(rules.rules.len());
        let report = prepared.check_counted(
            &world,
            rules,
            date,
            options.budget,
            EvidenceFor::All,
            Some(&mut counts),
        )?;
        let waivers = WaiversInForce::new(scenario, date);
        let mut uses = vec![0u64; scenario.waivers.len()];
        for (rule, counts) in rules.rules.iter().zip(&counts) {
            for (subject, n) in counts {
                if let Some(use_of) = waivers.of(&rule.id, subject).and_then(|w| uses.get_mut(w)) {
                    *use_of += u64::from(*n);
                }
            }
        }
        Ok(OnDate {
            date,
            world,
            before: keyed(report.findings),
            counts,
            waivers,
            uses,
        })
    }

    /// An evaluator of the world before, for one thread: the indexes it
    /// builds serve every proposal that thread evaluates.
    pub fn evaluator(&self, options: &CheckOptions) -> Evaluator<'_, 's> {
        Evaluator::new(&self.world, options.budget).with_evidence_for(EvidenceFor::None)
    }
}

/// How a rule is evaluated for one change.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    /// It reads nothing that changed: its findings stand.
    Stands,
    /// Over the bindings of the changed rows, before and after.
    Touching,
    /// On the changed world, in full.
    Anew,
}

/// The outcome of `proposal` as a change of `on_date`'s world, with `base`
/// an evaluator of that world; `None` where it is not a change this can
/// evaluate exactly, or would be an input error: then it is evaluated in full.
#[allow(clippy::too_many_arguments)]
pub(crate) fn outcome_as_change<'w, 's>(
    on_date: &OnDate<'s>,
    base: &Evaluator<'w, 's>,
    scenario: &Scenario,
    rules: &'w RuleSet,
    footprints: &[Footprint],
    proposal: &Proposal,
    options: &CheckOptions,
    fail_on: Severity,
) -> Option<ProposalOutcome> {
    let world = &on_date.world;
    let on = proposal.on.value;
    if on != on_date.date {
        return None;
    }
    let changed = changed_missions(world, scenario, proposal)?;
    let records: Vec<(u32, &Mission)> = changed.iter().map(|(row, m)| (*row, m)).collect();
    let after = world.with_missions(&records)?;
    let mut touched = Touched::default();
    let mut fields = Vec::new();
    let (was, is) = (Reader { world }, Reader { world: &after });
    for (row, _) in &records {
        touched.add(Collection::Missions, *row);
        changed_fields(&was, &is, RecordKind::Mission, *row, &mut fields);
    }
    let kinds = touched.kinds();
    let ways: Vec<Way> = footprints
        .iter()
        .map(|footprint| {
            if !footprint.reads_any(&fields) {
                Way::Stands
            } else if footprint.local(&kinds) {
                Way::Touching
            } else {
                Way::Anew
            }
        })
        .collect();
    // The bindings of the changed rows before, first: their indexes are
    // then built, for the evaluator of the world after to take.
    let mut found_before: Vec<Option<Vec<RawFinding>>> = Vec::with_capacity(ways.len());
    for (rule, way) in rules.rules.iter().zip(&ways) {
        found_before.push(match way {
            Way::Touching => Some(base.run_rule_touching(rule, &touched).ok()?),
            Way::Stands | Way::Anew => None,
        });
    }
    let introduced_only = |rule: &str, subject: &[String]| {
        !on_date
            .before
            .contains_key(&(rule.to_string(), subject.to_vec()))
    };
    let touched = Arc::new(touched);
    let touching = Evaluator::new(&after, options.budget)
        .with_evidence_for(EvidenceFor::Only(&introduced_only))
        .with_changed_rows(Arc::clone(&touched), base.indexes());
    let anew = Evaluator::new(&after, options.budget)
        .with_evidence_for(EvidenceFor::Only(&introduced_only));
    let mut introduced: Vec<Finding> = Vec::new();
    let mut resolved: Vec<Finding> = Vec::new();
    let mut uses_change = vec![0i64; on_date.uses.len()];
    for (i, (rule, way)) in rules.rules.iter().zip(&ways).enumerate() {
        let all_before = on_date.counts.get(i)?;
        let (counted_before, found_after) = match way {
            Way::Stands => continue,
            Way::Touching => (
                count(found_before.get(i)?.as_deref().unwrap_or_default()),
                touching.run_rule_touching(rule, &touched).ok()?,
            ),
            Way::Anew => (all_before.clone(), anew.run_rule(rule).ok()?),
        };
        let counted_after = count(&found_after);
        let mut subjects: Vec<&Vec<String>> =
            counted_before.keys().chain(counted_after.keys()).collect();
        subjects.sort_unstable();
        subjects.dedup();
        let mut new_subjects: Vec<&Vec<String>> = Vec::new();
        for subject in subjects {
            let n_before = i64::from(all_before.get(subject).copied().unwrap_or(0));
            let gone = i64::from(counted_before.get(subject).copied().unwrap_or(0));
            let came = i64::from(counted_after.get(subject).copied().unwrap_or(0));
            let n_after = n_before - gone + came;
            if n_after < 0 || gone > n_before {
                return None;
            }
            if let Some(w) = on_date.waivers.of(&rule.id, subject) {
                *uses_change.get_mut(w)? += came - gone;
                continue;
            }
            match (n_before > 0, n_after > 0) {
                (false, true) => new_subjects.push(subject),
                (true, false) => resolved.push(
                    on_date
                        .before
                        .get(&(rule.id.clone(), subject.clone()))?
                        .clone(),
                ),
                _ => {}
            }
        }
        if new_subjects.is_empty() {
            continue;
        }
        // A subject found by several bindings: the finding a full
        // evaluation keeps (`propose::preferred`).
        let mut chosen: std::collections::BTreeMap<Vec<String>, Finding> = Default::default();
        for raw in found_after {
            if new_subjects.binary_search(&&raw.subject).is_err() {
                continue;
            }
            let finding = rule_finding(rule, raw, &scenario.file, &proposal.located);
            match chosen.get_mut(&finding.subject) {
                Some(kept) => {
                    if preferred(kept, &finding) {
                        *kept = finding;
                    }
                }
                None => {
                    chosen.insert(finding.subject.clone(), finding);
                }
            }
        }
        introduced.extend(chosen.into_values());
    }
    // A waiver that starts or stops waiving anything changes what the
    // unused-waiver check reports: evaluated in full.
    for (change, uses) in uses_change.iter().zip(&on_date.uses) {
        let uses = i64::try_from(*uses).ok()?;
        if *change != 0 && (uses > 0) != (uses + change > 0) {
            return None;
        }
    }
    Some(settle(proposal, introduced, resolved, fail_on))
}

/// How many findings for each subject.
fn count(found: &[RawFinding]) -> SubjectCounts {
    let mut counts = SubjectCounts::default();
    for f in found {
        *counts.entry(f.subject.clone()).or_default() += 1;
    }
    counts
}

/// The missions `proposal` changes, by row, as `change::apply` would
/// leave them, if it changes only heads of missions open on its date and
/// leaves the scenario valid; `None` otherwise.
fn changed_missions(
    world: &World,
    scenario: &Scenario,
    proposal: &Proposal,
) -> Option<Vec<(u32, Mission)>> {
    let on = proposal.on.value;
    let mut changed: Vec<(u32, Mission)> = Vec::new();
    for change in &proposal.changes {
        let id = heads_of(change)?;
        let Entity::Mission(row) = world.entity(world.sym(&id.value)?)? else {
            return None;
        };
        let place = match changed.iter().position(|(r, _)| *r == row) {
            Some(place) => place,
            None => {
                let record = world.missions.get(row as usize)?.record.clone();
                changed.push((row, record));
                changed.len() - 1
            }
        };
        let (_, mission) = changed.get_mut(place)?;
        if !make_on_heads(mission, change, on) {
            return None;
        }
        if let Change::Appoint { head, .. } = change
            && !references_hold(world, scenario, mission, head)
        {
            return None;
        }
    }
    if !changed.iter().all(|(_, m)| heads_consistent(m)) {
        return None;
    }
    changed.sort_by_key(|(row, _)| *row);
    Some(changed)
}

/// Whether a new head's references hold as `validate` asks: its source is
/// one of the scenario's, and its credentials go to a government, one of
/// the mission's receiver when the government is listed.
fn references_hold(world: &World, scenario: &Scenario, mission: &Mission, head: &Head) -> bool {
    if let Some(source) = &head.source
        && !scenario.sources.iter().any(|s| s.id.value == source.value)
    {
        return false;
    }
    let Some(credentials) = &head.credentials else {
        return true;
    };
    let Some(government) = world
        .sym(&credentials.to.value)
        .and_then(|sym| world.government(sym))
    else {
        return false;
    };
    government.record.is_none() || world.sym(&mission.receiver.value) == Some(government.state)
}
