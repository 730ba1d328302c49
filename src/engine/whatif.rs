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
use super::{CheckOptions, Prepared, SubjectCounts, WaiversInForce, rule_finding, subject_counts};
use crate::diag::Diagnostic;
use crate::eval::delta::{Footprint, Touched, Way, changed_fields};
use crate::eval::run::RawFinding;
use crate::eval::value::Reader;
use crate::eval::{Evaluator, EvidenceFor};
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use crate::lang::schema::{Collection, RecordKind};
use crate::scenario::change::{make_on_mission, mission_of, open_on, recognition_made, supersedes};
use crate::scenario::date::Date;
use crate::scenario::model::{At, Change, Head, Mission, Proposal, Recognition, Scenario};
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

/// The rows, by binding variable, whose bindings a change can alter, and
/// the findings of those bindings before it.
type TouchedFindings = (Vec<Vec<u32>>, Vec<RawFinding>);

/// The outcome of `proposal` as a change of `on_date`'s world, with `base`
/// an evaluator of that world; `None` where it is not a change this can
/// evaluate exactly, or would be an input error: then it is evaluated in full.
#[allow(clippy::too_many_arguments)]
pub(crate) fn outcome_as_change<'w, 's>(
    on_date: &OnDate<'s>,
    base: &Evaluator<'w, 's>,
    scenario: &Scenario,
    rules: &'w RuleSet,
    footprints: &'w [Footprint],
    proposal: &Proposal,
    options: &CheckOptions,
    fail_on: Severity,
) -> Option<ProposalOutcome> {
    let world = &on_date.world;
    if proposal.on.value != on_date.date {
        return None;
    }
    let records = records_of(world, scenario, proposal)?;
    let mut after = world.clone();
    let mut touched = Touched::default();
    let mut fields = Vec::new();
    // Collections that records came into or went out of.
    let mut members: Vec<RecordKind> = Vec::new();
    if !records.missions.is_empty() {
        let changed: Vec<(u32, &Mission)> =
            records.missions.iter().map(|(row, m)| (*row, m)).collect();
        for row in after.change_missions(&changed)? {
            touched.add(Collection::Missions, row);
        }
        if after.missions.len() != world.missions.len() {
            members.push(RecordKind::Mission);
            // Open embassies decide the relations of pairs without a
            // record: the missions between the pairs of those that closed
            // are looked at again.
            for (_, closed) in records.missions.iter().filter(|(row, m)| {
                after
                    .missions
                    .get(*row as usize)
                    .is_none_or(|r| r.record.id.value != m.id.value)
            }) {
                let (Some(a), Some(b)) = (
                    world.sym(&closed.sender.value),
                    world.sym(&closed.receiver.value),
                ) else {
                    return None;
                };
                for (row, m) in after.missions.iter().enumerate() {
                    if (m.sender, m.receiver) == (a, b) || (m.sender, m.receiver) == (b, a) {
                        touched.add(Collection::Missions, row as u32);
                    }
                }
            }
        }
    }
    for (ended, added) in &records.recognitions {
        let ended: Vec<&_> = ended.iter().collect();
        for row in after.change_recognitions(&ended, added)? {
            touched.add(Collection::Recognitions, row);
        }
        members.push(RecordKind::Recognition);
    }
    let (was, is) = (Reader { world }, Reader { world: &after });
    for &row in touched.rows(Collection::Missions) {
        let same_record = match (
            world.missions.get(row as usize),
            after.missions.get(row as usize),
        ) {
            (Some(a), Some(b)) => a.sym == b.sym,
            _ => false,
        };
        if same_record {
            changed_fields(&was, &is, RecordKind::Mission, (row, row), &mut fields);
        } else if !members.contains(&RecordKind::Mission) {
            return None;
        }
    }
    let kinds = touched.kinds();
    let ways: Vec<Way> = footprints
        .iter()
        .map(|footprint| footprint.way(&fields, &members, &kinds))
        .collect();
    let introduced_only = |rule: &str, subject: &[String]| {
        !on_date
            .before
            .contains_key(&(rule.to_string(), subject.to_vec()))
    };
    let anew = Evaluator::new(&after, options.budget)
        .with_evidence_for(EvidenceFor::Only(&introduced_only));
    // The bindings of the changed rows before, first: their indexes are
    // then built, for the evaluator of the world after to take.
    let mut found_before: Vec<Option<TouchedFindings>> = Vec::with_capacity(ways.len());
    for ((rule, way), footprint) in rules.rules.iter().zip(&ways).zip(footprints) {
        found_before.push(match way {
            Way::Touching => {
                let rows = rows_touched(rule, footprint, &touched, &kinds, base, &anew)?;
                let found = base.run_rule_touching(rule, &rows).ok()?;
                Some((rows, found))
            }
            Way::Stands | Way::Anew => None,
        });
    }
    let touched = Arc::new(touched);
    let touching = Evaluator::new(&after, options.budget)
        .with_evidence_for(EvidenceFor::Only(&introduced_only))
        .with_changed_rows(Arc::clone(&touched), base.indexes());
    let mut introduced: Vec<Finding> = Vec::new();
    let mut resolved: Vec<Finding> = Vec::new();
    let mut uses_change = vec![0i64; on_date.uses.len()];
    for (i, (rule, way)) in rules.rules.iter().zip(&ways).enumerate() {
        let all_before = on_date.counts.get(i)?;
        let (counted_before, found_after) = match way {
            Way::Stands => continue,
            Way::Touching => {
                let (rows, found) = found_before.get(i)?.as_ref()?;
                (
                    subject_counts(found),
                    touching.run_rule_touching(rule, rows).ok()?,
                )
            }
            Way::Anew => (all_before.clone(), anew.run_rule(rule).ok()?),
        };
        let counted_after = subject_counts(&found_after);
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

/// For each binding variable of a rule, the rows whose bindings the
/// change can alter (`eval::delta::rows_touched`), the keys of the keyed
/// quantifiers read off the changed rows before (`before`) and after
/// (`after`) the change: the rows are at the same places in both.
fn rows_touched<'b: 'x, 'x>(
    rule: &'b crate::lang::check::CheckedRule,
    footprint: &'b Footprint,
    touched: &Touched,
    kinds: &[RecordKind],
    before: &Evaluator<'b, '_>,
    after: &Evaluator<'x, '_>,
) -> Option<Vec<Vec<u32>>> {
    crate::eval::delta::rows_touched(rule, footprint, kinds, touched, after, |place| {
        let keyed = *footprint.keyed_over(kinds).get(place)?;
        let changed = touched.rows(keyed.collection);
        crate::eval::delta::keys_before_after(
            keyed,
            rule.slots,
            (before, changed),
            (after, changed),
        )
    })
}

/// The records a proposal changes, as `change::apply` would make them,
/// owned here for the changed world to borrow.
struct Records {
    /// Missions whose heads changed or that closed, by row, rows ascending.
    missions: Vec<(u32, Mission)>,
    /// For each `recognize`: the records in force it ends (with their
    /// end), and the one it adds.
    recognitions: Vec<(Vec<Recognition>, Recognition)>,
}

/// What `proposal` changes, if it only appoints, recalls, closes (missions
/// open on its date) and recognises, and leaves the scenario valid as far
/// as those changes can make it invalid; `None` otherwise.
fn records_of(world: &World, scenario: &Scenario, proposal: &Proposal) -> Option<Records> {
    let on = proposal.on.value;
    let mut missions: Vec<(u32, Mission)> = Vec::new();
    let mut recognitions: Vec<(Vec<Recognition>, Recognition)> = Vec::new();
    for change in &proposal.changes {
        if let Change::Recognize { recognition, span } = change {
            let added = recognition_made(recognition, on, *span);
            if !recognition_holds(world, scenario, &added)
                || recognitions
                    .iter()
                    .any(|(_, r)| r.by.value == added.by.value && r.of.value == added.of.value)
            {
                return None;
            }
            let ended = world
                .recognitions
                .iter()
                .filter(|row| supersedes(&added, row.record, on))
                .map(|row| {
                    let mut ended = row.record.clone();
                    ended.until = Some(At::new(on, *span));
                    ended
                })
                .collect();
            recognitions.push((ended, added));
            continue;
        }
        let id = mission_of(change)?;
        let Entity::Mission(row) = world.entity(world.sym(&id.value)?)? else {
            return None;
        };
        let place = match missions.iter().position(|(r, _)| *r == row) {
            Some(place) => place,
            None => {
                let record = world.missions.get(row as usize)?.record.clone();
                missions.push((row, record));
                missions.len() - 1
            }
        };
        let (_, mission) = missions.get_mut(place)?;
        if !make_on_mission(mission, change, on) {
            return None;
        }
        if let Change::Appoint { head, .. } = change
            && !references_hold(world, scenario, mission, head)
        {
            return None;
        }
    }
    if !missions.iter().all(|(_, m)| heads_consistent(m)) {
        return None;
    }
    // A waiver naming a mission that is not open waits instead of being
    // reported unused: closing one changes what the waiver checks report.
    let closes_waived = missions.iter().any(|(_, m)| {
        !open_on(m, on)
            && scenario
                .waivers
                .iter()
                .any(|w| w.subject.iter().any(|id| id.value == m.id.value))
    });
    if closes_waived {
        return None;
    }
    missions.sort_by_key(|(row, _)| *row);
    Some(Records {
        missions,
        recognitions,
    })
}

/// Whether a new recognition record is valid as `validate` asks: its
/// period in order, a state recognising a state or government, its source
/// one of the scenario's.
fn recognition_holds(world: &World, scenario: &Scenario, recognition: &Recognition) -> bool {
    let in_order = match (&recognition.from, &recognition.until) {
        (Some(from), Some(until)) => from.value <= until.value,
        _ => true,
    };
    let state = |id: &str| world.sym(id).and_then(|sym| world.state(sym)).is_some();
    let government = |id: &str| {
        world
            .sym(id)
            .and_then(|sym| world.government(sym))
            .is_some()
    };
    in_order
        && state(&recognition.by.value)
        && (state(&recognition.of.value) || government(&recognition.of.value))
        && source_known(scenario, &recognition.source)
}

/// A source cited, if any, is one of the scenario's.
fn source_known(scenario: &Scenario, source: &Option<At<String>>) -> bool {
    source
        .as_ref()
        .is_none_or(|source| scenario.sources.iter().any(|s| s.id.value == source.value))
}

/// Whether a new head's references hold as `validate` asks: its source is
/// one of the scenario's, and its credentials go to a government, one of
/// the mission's receiver when the government is listed.
fn references_hold(world: &World, scenario: &Scenario, mission: &Mission, head: &Head) -> bool {
    if !source_known(scenario, &head.source) {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::engine::propose::{Evaluation, propose_by};
    use crate::scenario::model::Change;

    /// The seed's two appointments, and a recall and a closing of the
    /// same mission, are evaluated as changes (not in full), with the
    /// outcome a full evaluation gives.
    #[test]
    fn the_seeds_proposals_are_evaluated_as_changes() {
        let scenario = crate::engine::kabul();
        let rules = RuleSet::standard().unwrap();
        let options = CheckOptions::default();
        let mut proposals = scenario.proposals.clone();
        let mission = match &proposals[0].changes[0] {
            Change::Appoint { mission, .. } => mission.clone(),
            other => panic!("the seed's first proposal appoints, not {other:?}"),
        };
        let span = proposals[0].span;
        for (id, change) in [
            (
                "recall",
                Change::Recall {
                    mission: mission.clone(),
                    span,
                },
            ),
            (
                "close",
                Change::Close {
                    mission: mission.clone(),
                    span,
                },
            ),
        ] {
            let mut proposal = proposals[0].clone();
            proposal.id.value = id.to_string();
            proposal.on.value = Date::parse("2024-09-01").unwrap();
            proposal.changes = vec![change];
            proposals.push(proposal);
        }
        let prepared = Prepared::new(&scenario, &rules).unwrap();
        let footprints: Vec<Footprint> = rules.rules.iter().map(Footprint::of).collect();
        for proposal in &proposals {
            let on_date = OnDate::new(&prepared, &rules, proposal.on.value, &options).unwrap();
            let base = on_date.evaluator(&options);
            let as_change = outcome_as_change(
                &on_date,
                &base,
                &scenario,
                &rules,
                &footprints,
                proposal,
                &options,
                Severity::Error,
            );
            let as_change =
                as_change.unwrap_or_else(|| panic!("{} evaluated in full", proposal.id.value));
            let in_full = propose_by(
                &scenario,
                std::slice::from_ref(proposal),
                "p.yaml",
                &rules,
                &options,
                Severity::Error,
                Evaluation::InFull,
            )
            .unwrap();
            assert_eq!(in_full.proposals, vec![as_change], "{}", proposal.id.value);
        }
        // The ambassador breaks parity with the Taliban's chargé in Astana.
        let ambassador = propose_by(
            &scenario,
            &proposals[..1],
            "p.yaml",
            &rules,
            &options,
            Severity::Error,
            Evaluation::AsChange,
        )
        .unwrap();
        assert!(
            ambassador.proposals[0]
                .introduced
                .iter()
                .any(|f| f.rule == "rank-parity")
        );
    }
}
