//! The reference for `tests/differential.rs`: a second, deliberately naive
//! implementation of what a scenario means at a date, written from
//! docs/scenario.md, docs/rules.md and the design notes.
//!
//! It reads only the loaded `Scenario` model (the records as written) and
//! the rules' checked trees, and computes everything else itself:
//!
//! - `day`: dates read from how they print (`2021`, `2021-05`,
//!   `2021-05-03`), a partial date counting as its first day; half-open
//!   periods `[from, until)` with open ends.
//! - `world`: the records in force at a date, the government in control of
//!   each state (of overlapping listed governments, the one whose control
//!   began last; on the same day, the smaller id), implicit governments,
//!   each mission's head, staff and `run_by`, the recognition look-up (the
//!   latest record in force; of two starting the same day, the weaker
//!   level; `none` reads as `none`; else the default), the relation records
//!   in force and each mission's relation status (the default: established
//!   with an open embassy either way), the events on or before the date and
//!   which heads are recalled, and every field a rule can read.
//! - `eval`: rules and claims by brute force (every combination of records,
//!   every condition at the end, quantifiers by scanning).
//! - here: waivers (in force while the date is before `until`; expired and
//!   unused waivers as findings), and proposals applied to a copy of the
//!   scenario.
//!
//! It shares no code with the engine's world or evaluator: nothing here
//! names the world module, its type, its date function or look-ups, the
//! evaluator or its value reader, the engine's period test or the engine's
//! way of applying a proposal. `the_reference_shares_no_code_with_the_engine`
//! in tests/differential.rs reads these files and fails if a line of code
//! does. From the library it uses the model types, `Date` only through its
//! printed form, and the checked rule trees.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

pub mod day;
pub mod eval;
pub mod world;

use day::Day;
use parity::RuleSet;
use parity::lang::ast::Severity;
use parity::lang::check::CheckedExpr;
use parity::scenario::model::{At, Change, Head, Proposal, Scenario};
use std::collections::BTreeMap;
use world::RefWorld;

/// A finding as the reference reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RefFinding {
    pub rule: String,
    pub subject: Vec<String>,
    pub message: String,
    pub severity: Severity,
}

#[derive(Debug, Clone, Default)]
pub struct RefReport {
    /// Sorted.
    pub findings: Vec<RefFinding>,
    /// Findings a waiver accepted, sorted.
    pub waived: Vec<RefFinding>,
    /// Each claim's verdict, in the file's order.
    pub claims: Vec<bool>,
}

pub const EXPIRED_WAIVER: &str = "expired-waiver";
pub const UNUSED_WAIVER: &str = "unused-waiver";

/// Checks the scenario at `date`: every rule, every claim, then waivers.
pub fn check(scenario: &Scenario, rules: &RuleSet, claims: &[CheckedExpr], date: Day) -> RefReport {
    let world = RefWorld::at(scenario, date);
    let mut raw = Vec::new();
    for rule in &rules.rules {
        for (subject, message) in world.findings(rule) {
            raw.push(RefFinding {
                rule: rule.id.clone(),
                subject,
                message,
                severity: rule.severity,
            });
        }
    }
    let claims = claims.iter().map(|c| world.claim(c)).collect();
    let (mut findings, mut waived) = waivers(scenario, date, raw);
    findings.sort();
    waived.sort();
    RefReport {
        findings,
        waived,
        claims,
    }
}

/// A waiver accepts a finding of its rule whose subject is the same set of
/// ids as its own (order and repeats aside) while the date is before its `until`; each finding goes to
/// the first such waiver in the file. A waiver that has expired (the date
/// is on or after `until`), or that accepts nothing, is a warning.
fn waivers(
    scenario: &Scenario,
    date: Day,
    raw: Vec<RefFinding>,
) -> (Vec<RefFinding>, Vec<RefFinding>) {
    let mut used = vec![false; scenario.waivers.len()];
    let (mut active, mut waived) = (Vec::new(), Vec::new());
    for finding in raw {
        let accepting = scenario.waivers.iter().position(|w| {
            w.rule.value == finding.rule
                && w.until.as_ref().is_none_or(|u| date < Day::of(&u.value))
                && w.subject.iter().all(|s| finding.subject.contains(&s.value))
                && finding
                    .subject
                    .iter()
                    .all(|id| w.subject.iter().any(|s| s.value == *id))
        });
        match accepting {
            Some(i) => {
                used[i] = true;
                waived.push(finding);
            }
            None => active.push(finding),
        }
    }
    for (waiver, used) in scenario.waivers.iter().zip(used) {
        let subject: Vec<String> = waiver.subject.iter().map(|s| s.value.clone()).collect();
        let ids = subject.join(", ");
        let rule = &waiver.rule.value;
        let until = waiver.until.as_ref().map(|u| Day::of(&u.value));
        let (id, message) = match until {
            Some(until) if until <= date => (
                EXPIRED_WAIVER,
                format!("the waiver of `{rule}` for {ids} expired on {until}"),
            ),
            // A waiver about a mission not open at the date waits.
            _ if !used
                && !waiver.subject.iter().any(|id| {
                    scenario
                        .missions
                        .iter()
                        .any(|m| m.id.value == id.value && !day::period(&m.from, &m.until, date))
                }) =>
            {
                (
                    UNUSED_WAIVER,
                    format!(
                        "the waiver of `{rule}` for {ids} matches no finding on {date}: remove it"
                    ),
                )
            }
            _ => continue,
        };
        active.push(RefFinding {
            rule: id.to_string(),
            subject,
            message,
            severity: Severity::Warning,
        });
    }
    (active, waived)
}

// ---------------------------------------------------------------------------
// Proposals

/// The scenario as it would be with the proposal's changes made on its
/// date, or why the proposal cannot be applied. From docs/scenario.md:
/// `appoint` ends the mission's current head at `on` and adds the new one
/// (from `on` unless it says otherwise); `recall` ends the current head;
/// `open` adds a mission (open from `on` unless it says otherwise);
/// `close` closes a mission (and ends its head) at `on`; `recognize` adds a
/// recognition from `on`, which supersedes the record in force then between
/// the same two parties. A change's mission must be open on `on`. Heads and
/// records a proposal adds count as proposed.
pub fn apply(scenario: &Scenario, proposal: &Proposal) -> Result<Scenario, String> {
    let on = Day::of(&proposal.on.value);
    let on_date = At::new(proposal.on.value, proposal.on.span);
    let mut next = scenario.clone();
    next.proposals.clear();
    next.located = proposal.located.clone();
    let open_index = |s: &Scenario, id: &str| {
        s.missions
            .iter()
            .position(|m| m.id.value == id && day::period(&m.from, &m.until, on))
    };
    let end_head = |heads: &mut Vec<Head>| -> bool {
        match heads
            .iter_mut()
            .find(|h| day::period(&h.from, &h.until, on))
        {
            Some(head) => {
                head.until = Some(on_date.clone());
                true
            }
            None => false,
        }
    };
    for change in &proposal.changes {
        match change {
            Change::Appoint { mission, head, .. } => {
                let i = open_index(&next, &mission.value)
                    .ok_or_else(|| format!("appoint: {} is not open", mission.value))?;
                end_head(&mut next.missions[i].heads);
                let mut head = head.clone();
                head.proposed = true;
                head.from.get_or_insert_with(|| on_date.clone());
                next.missions[i].heads.push(head);
            }
            Change::Recall { mission, .. } => {
                let i = open_index(&next, &mission.value)
                    .ok_or_else(|| format!("recall: {} is not open", mission.value))?;
                if !end_head(&mut next.missions[i].heads) {
                    return Err(format!("recall: {} has no head", mission.value));
                }
            }
            Change::Close { mission, .. } => {
                let i = open_index(&next, &mission.value)
                    .ok_or_else(|| format!("close: {} is not open", mission.value))?;
                next.missions[i].until = Some(on_date.clone());
                end_head(&mut next.missions[i].heads);
            }
            Change::Open { mission, .. } => {
                let mut mission = (**mission).clone();
                mission.from.get_or_insert_with(|| on_date.clone());
                for head in &mut mission.heads {
                    head.proposed = true;
                }
                next.missions.push(mission);
            }
            Change::Recognize { recognition, .. } => {
                let mut recognition = recognition.clone();
                recognition.from.get_or_insert_with(|| on_date.clone());
                for existing in &mut next.recognitions {
                    if existing.by.value == recognition.by.value
                        && existing.of.value == recognition.of.value
                        && day::period(&existing.from, &existing.until, on)
                    {
                        existing.until = Some(on_date.clone());
                    }
                }
                next.recognitions.push(recognition);
            }
            Change::Relate { relation, .. } => {
                let mut relation = relation.clone();
                relation.from.get_or_insert_with(|| on_date.clone());
                let (a, b) = (&relation.between[0].value, &relation.between[1].value);
                for existing in &mut next.relations {
                    let (x, y) = (&existing.between[0].value, &existing.between[1].value);
                    if ((x == a && y == b) || (x == b && y == a))
                        && day::period(&existing.from, &existing.until, on)
                    {
                        existing.until = Some(on_date.clone());
                    }
                }
                next.relations.push(relation);
            }
            // The loader dates an event without `on` at the proposal's date.
            Change::Event { event, .. } => next.events.push((**event).clone()),
        }
    }
    // What the result must still satisfy: no period ends before it starts,
    // and no two heads of a mission are in office on the same day.
    for mission in &next.missions {
        let mut periods = vec![(&mission.from, &mission.until)];
        periods.extend(mission.heads.iter().map(|h| (&h.from, &h.until)));
        periods.extend(mission.staff.iter().map(|s| (&s.from, &s.until)));
        for (from, until) in periods {
            if let (Some(f), Some(u)) = (day::opt(from), day::opt(until))
                && u < f
            {
                return Err(format!(
                    "{}: a period ends before it starts",
                    mission.id.value
                ));
            }
        }
        for (i, a) in mission.heads.iter().enumerate() {
            for b in &mission.heads[..i] {
                if day::overlap(a, b) {
                    return Err(format!("{}: two heads in office at once", mission.id.value));
                }
            }
        }
    }
    for r in &next.recognitions {
        if let (Some(f), Some(u)) = (day::opt(&r.from), day::opt(&r.until))
            && u < f
        {
            return Err("a recognition ends before it starts".to_string());
        }
    }
    Ok(next)
}

/// A finding's identity across dates and changes.
pub type Key = (String, Vec<String>);

/// The findings in force, by key, with every message each key has.
pub fn by_key(report: &RefReport) -> BTreeMap<Key, (Severity, Vec<String>)> {
    let mut out: BTreeMap<Key, (Severity, Vec<String>)> = BTreeMap::new();
    for f in &report.findings {
        let entry = out
            .entry((f.rule.clone(), f.subject.clone()))
            .or_insert((f.severity, Vec::new()));
        entry.1.push(f.message.clone());
    }
    out
}
