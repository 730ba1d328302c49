//! Checking a scenario against a rule set at a date: every rule's findings,
//! every claim's verdict, and waivers applied. The library's main entry point.

use crate::diag::Code;
use crate::diag::{Diagnostic, Suggester, Work, sort_and_dedup};
use crate::eval::run::{EvalError, RawFinding};
use crate::eval::{Budget, Evaluator, EvidenceFor};
use crate::lang::check::{CheckedExpr, FileText, check_condition};
use crate::lang::parse::parse_expr;
use crate::lang::ruleset::RuleSet;
use crate::scenario::date::Date;
use crate::scenario::model::{Change, Scenario};
use crate::scenario::world::{Interned, World};
use crate::source::Span;
use result::{ClaimResult, Finding, Location, Report, Summary, Waived, WaiverInfo};
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

/// How `propose` evaluates each proposal, and `timeline` each point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evaluation {
    /// As a change of the world: a proposal of its date's world where it
    /// is one (`engine::whatif`), a point of the last point's
    /// (`engine::since`); anything else in full. What the commands do.
    AsChange,
    /// Every proposal applied to a copy of the scenario, validated and
    /// checked in full; every point checked from scratch: the reference the
    /// differential tests hold `AsChange` to.
    InFull,
}

/// How to check.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// The evaluation date; else the scenario's `as_of`.
    pub as_of: Option<Date>,
    pub budget: Budget,
}

/// Checks a validated scenario. Claims are type-checked and waivers' rules
/// resolved before anything is evaluated; any problem there is an input error.
pub fn check(
    scenario: &Scenario,
    rules: &RuleSet,
    options: &CheckOptions,
) -> Result<Report, Vec<Diagnostic>> {
    let date = evaluation_date(scenario, options)?;
    Prepared::new(scenario, rules)?.check_at(rules, date, options.budget)
}

/// A scenario ready to evaluate at any date: its claims parsed and
/// type-checked and its waivers' rules and ids resolved, once, however many
/// dates (`timeline`) or changes (`propose`, `suggest`) it is checked at.
pub struct Prepared<'s> {
    pub scenario: &'s Scenario,
    claims: std::sync::Arc<Vec<CheckedExpr>>,
    /// The scenario's ids, interned when its first world is built and
    /// shared by the worlds of every later date.
    interned: std::sync::OnceLock<std::sync::Arc<Interned<'s>>>,
}

impl<'s> Prepared<'s> {
    /// Checks the claims and waivers of `scenario` against `rules`.
    pub fn new(scenario: &'s Scenario, rules: &RuleSet) -> Result<Prepared<'s>, Vec<Diagnostic>> {
        let claims = check_claims(scenario)?;
        check_waiver_rules(scenario, rules)?;
        Ok(Prepared {
            scenario,
            claims: std::sync::Arc::new(claims),
            interned: std::sync::OnceLock::new(),
        })
    }

    /// The same claims and waivers over a changed copy of the scenario. Only
    /// for a change that removes no id (a proposal applied): the claims and
    /// waivers that held for the ids of the original hold for the copy's.
    pub fn changed<'c>(&self, scenario: &'c Scenario) -> Prepared<'c> {
        Prepared {
            scenario,
            claims: self.claims.clone(),
            interned: std::sync::OnceLock::new(),
        }
    }

    /// The scenario's world at `date`.
    pub fn world_at(&self, date: Date) -> World<'s> {
        World::of(self.interned(), date)
    }

    /// The scenario's ids, interned on first use.
    pub fn interned(&self) -> &std::sync::Arc<Interned<'s>> {
        self.interned
            .get_or_init(|| std::sync::Arc::new(Interned::of(self.scenario)))
    }

    /// The report at `date`.
    pub fn check_at(
        &self,
        rules: &RuleSet,
        date: Date,
        budget: Budget,
    ) -> Result<Report, Vec<Diagnostic>> {
        self.check_for(rules, date, budget, EvidenceFor::All)
    }

    /// `check_at` with findings that carry no evidence (their messages,
    /// subjects and places only), for a caller that shows messages alone:
    /// `timeline`, which evaluates many dates.
    pub fn messages_at(
        &self,
        rules: &RuleSet,
        date: Date,
        budget: Budget,
    ) -> Result<Report, Vec<Diagnostic>> {
        self.check_for(rules, date, budget, EvidenceFor::None)
    }

    /// `check_at` with evidence built only for the findings `which` names
    /// (the others carry none).
    pub fn check_for(
        &self,
        rules: &RuleSet,
        date: Date,
        budget: Budget,
        which: EvidenceFor,
    ) -> Result<Report, Vec<Diagnostic>> {
        let world = self.world_at(date);
        self.check_in(&world, rules, date, budget, which)
    }

    /// The report at `date`, and the network it was checked in.
    pub fn check_drawn(
        &self,
        rules: &RuleSet,
        date: Date,
        budget: Budget,
    ) -> Result<(Report, network::Network), Vec<Diagnostic>> {
        let world = self.world_at(date);
        let report = self.check_in(&world, rules, date, budget, EvidenceFor::All)?;
        let network = network::Network::of(&world, Some(&report));
        Ok((report, network))
    }

    fn check_in(
        &self,
        world: &World,
        rules: &RuleSet,
        date: Date,
        budget: Budget,
        evidence: EvidenceFor,
    ) -> Result<Report, Vec<Diagnostic>> {
        self.check_counted(world, rules, date, budget, evidence, None)
    }

    /// The report in `world` (built at `date`), and, if asked for, how many
    /// findings each rule has for each subject before waivers (a rule may
    /// find a subject more than once): what `propose` needs to tell what a
    /// change adds or takes away.
    pub(crate) fn check_counted(
        &self,
        world: &World,
        rules: &RuleSet,
        date: Date,
        budget: Budget,
        evidence: EvidenceFor,
        counts: Option<&mut Vec<SubjectCounts>>,
    ) -> Result<Report, Vec<Diagnostic>> {
        let outcomes = run_rules(world, rules, budget, evidence);
        self.report_of(world, rules, date, budget, outcomes, counts)
    }

    /// The report in `world` (built at `date`) from each rule's outcome
    /// there, in the rule set's order: claims evaluated, waivers applied.
    pub(crate) fn report_of(
        &self,
        world: &World,
        rules: &RuleSet,
        date: Date,
        budget: Budget,
        outcomes: Vec<RuleOutcome>,
        mut counts: Option<&mut Vec<SubjectCounts>>,
    ) -> Result<Report, Vec<Diagnostic>> {
        let scenario = self.scenario;
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        for (rule, outcome) in rules.rules.iter().zip(outcomes) {
            match outcome {
                Ok(raw) => {
                    if let Some(counts) = counts.as_deref_mut() {
                        counts.push(subject_counts(&raw));
                    }
                    findings.extend(
                        raw.into_iter()
                            .map(|f| rule_finding(rule, f, &scenario.file, &scenario.located)),
                    )
                }
                Err(error) => errors.push(budget_error(rule, &error)),
            }
        }
        let claim_results = self.claims_at(world, budget, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let (findings, waived) = apply_waivers(scenario, date, findings);
        let report = Report {
            scenario: scenario.id.value.clone(),
            file: scenario.file.clone(),
            as_of: date.to_string(),
            findings,
            claims: claim_results,
            waived,
            summary: Summary::default(),
        };
        Ok(report.finish())
    }

    /// The scenario's claims in `world`; a claim that cannot be evaluated
    /// adds its error to `errors`.
    pub(crate) fn claims_at(
        &self,
        world: &World,
        budget: Budget,
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<ClaimResult> {
        let scenario = self.scenario;
        let evaluator = Evaluator::new(world, budget);
        let mut claim_results = Vec::new();
        for (claim, checked) in scenario.expect.iter().zip(self.claims.iter()) {
            match evaluator.run_claim(checked) {
                Ok(holds) => claim_results.push(ClaimResult {
                    title: claim
                        .title
                        .clone()
                        .unwrap_or_else(|| claim.claim.value.clone()),
                    holds,
                    source: claim.source.as_ref().map(|s| s.value.clone()),
                    claim: claim.claim.value.clone(),
                    location: Location::in_text(
                        &scenario.file,
                        claim.claim.span,
                        &scenario.located,
                    ),
                }),
                Err(error) => errors.push(Diagnostic::new(
                    Code::EvaluationBudget,
                    &scenario.file,
                    claim.claim.span,
                    format!("claim: {error}"),
                )),
            }
        }
        claim_results
    }
}

/// A rule stopped by the budget, as the error of its check.
pub(crate) fn budget_error(
    rule: &crate::lang::check::CheckedRule,
    error: &EvalError,
) -> Diagnostic {
    Diagnostic::new(
        Code::EvaluationBudget,
        &rule.file,
        rule.span,
        format!("rule `{}`: {error}", rule.id),
    )
    .with_width(4)
}

/// How many findings a rule has for each subject.
pub(crate) type SubjectCounts = crate::fast_hash::FastMap<Vec<String>, u32>;

/// How many of `found` are about each subject.
pub(crate) fn subject_counts(found: &[RawFinding]) -> SubjectCounts {
    let mut counts = SubjectCounts::default();
    for f in found {
        *counts.entry(f.subject.clone()).or_default() += 1;
    }
    counts
}

/// A rule's finding as reported, located in `file` through `located`.
pub(crate) fn rule_finding(
    rule: &crate::lang::check::CheckedRule,
    f: RawFinding,
    file: &str,
    located: &std::sync::Arc<crate::source::Located>,
) -> Finding {
    Finding {
        rule: rule.id.clone(),
        title: rule.title.clone(),
        severity: rule.severity,
        subject: f.subject,
        message: f.message,
        cite: rule.cite.clone(),
        location: Location::in_text(file, f.span, located),
        evidence: f.evidence,
        focus: f.focus,
    }
}

pub(crate) type RuleOutcome = Result<Vec<RawFinding>, EvalError>;

/// Worlds with fewer missions are checked on one thread: there, starting
/// threads would cost more than it saves.
const PARALLEL_MISSIONS: usize = 2_000;

/// Each rule's findings, in the rule set's order. On a large world the rules
/// are shared out among the cores, each with its own evaluator (and indexes);
/// results go back in rule order, so the report does not depend on timing.
pub(crate) fn run_rules(
    world: &World,
    rules: &RuleSet,
    budget: Budget,
    evidence: EvidenceFor,
) -> Vec<RuleOutcome> {
    let evaluator = || Evaluator::new(world, budget).with_evidence_for(evidence);
    let workers = crate::parallel::cores();
    if workers < 2 || world.missions.len() < PARALLEL_MISSIONS {
        let evaluator = evaluator();
        return rules
            .rules
            .iter()
            .map(|rule| evaluator.run_rule(rule))
            .collect();
    }
    let outcomes =
        crate::parallel::share_out(&rules.rules, workers, evaluator, |evaluator, _, rule| {
            Some(evaluator.run_rule(rule))
        });
    outcomes
        .into_iter()
        .zip(&rules.rules)
        // Every job runs (none stops the others); a missing result could only
        // come from a panicked worker, which ends the scope anyway.
        .map(|(outcome, rule)| outcome.unwrap_or_else(|| evaluator().run_rule(rule)))
        .collect()
}

/// The date to check at: the one asked for, else the scenario's `as_of`.
pub fn evaluation_date(
    scenario: &Scenario,
    options: &CheckOptions,
) -> Result<Date, Vec<Diagnostic>> {
    options
        .as_of
        .or(scenario.as_of.as_ref().map(|d| d.value))
        .ok_or_else(|| {
            vec![
                Diagnostic::new(
                    Code::NoDate,
                    &scenario.file,
                    scenario.id.span,
                    "the scenario has no `as_of` date and none was given",
                )
                .with_help("add `as_of: YYYY-MM-DD` to the scenario, or pass --as-of"),
            ]
        })
}

/// Every id the scenario defines (claims may name only these).
pub fn scenario_ids(scenario: &Scenario) -> HashSet<&str> {
    let mut ids: HashSet<&str> = HashSet::new();
    ids.extend(scenario.states.iter().map(|s| s.id.value.as_str()));
    ids.extend(scenario.governments.iter().map(|g| g.id.value.as_str()));
    ids.extend(scenario.missions.iter().map(|m| m.id.value.as_str()));
    ids.extend(scenario.events.iter().map(|e| e.id.value.as_str()));
    for proposal in &scenario.proposals {
        for change in &proposal.changes {
            if let Change::Open { mission, .. } = change {
                ids.insert(mission.id.value.as_str());
            }
        }
    }
    ids
}

/// Parses and type-checks every claim of the scenario.
pub fn check_claims(scenario: &Scenario) -> Result<Vec<CheckedExpr>, Vec<Diagnostic>> {
    if scenario.expect.is_empty() {
        return Ok(Vec::new());
    }
    let ids = scenario_ids(scenario);
    let work = Work::default();
    let suggester = OnceCell::new();
    let near = |word: &str| {
        let suggester = suggester.get_or_init(|| Suggester::new(ids.iter().copied(), &work));
        suggester.nearest(word).map(str::to_string)
    };
    let mut checked = Vec::new();
    let mut diagnostics = Vec::new();
    // A claim's spans are moved onto its file, where they are located.
    let file = FileText::new(&scenario.file, &scenario.located);
    let source = scenario.located.source;
    for claim in &scenario.expect {
        let text = claim.claim.value.as_str();
        let mut expr = match parse_expr(text) {
            Ok(expr) => expr,
            Err(error) => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ClaimSyntax,
                        &scenario.file,
                        {
                            let at = claim.embedding.offset(error.offset);
                            Span::of_source(source, at, at)
                        },
                        error.message,
                    )
                    .with_width(error.width),
                );
                continue;
            }
        };
        expr.relocate(&|span| claim.embedding.span(source, span));
        match check_condition(&expr, &file, &ids, &near) {
            Ok(c) => checked.push(c),
            Err(errors) => diagnostics.extend(errors),
        }
    }
    if diagnostics.is_empty() {
        Ok(checked)
    } else {
        sort_and_dedup(&mut diagnostics);
        Err(diagnostics)
    }
}

/// Every waiver must name a known rule and ids the scenario defines: a typo
/// would otherwise silently waive nothing.
fn check_waiver_rules(scenario: &Scenario, rules: &RuleSet) -> Result<(), Vec<Diagnostic>> {
    if scenario.waivers.is_empty() {
        return Ok(());
    }
    let known: HashSet<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    let ids = scenario_ids(scenario);
    // Indexes for "did you mean", built on first need, sharing one allowance.
    let work = Work::default();
    let (near_rule, near_id) = (OnceCell::new(), OnceCell::new());
    let mut diagnostics = Vec::new();
    for waiver in &scenario.waivers {
        if !known.contains(waiver.rule.value.as_str()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownRule,
                    &scenario.file,
                    waiver.rule.span,
                    format!("the waiver names no known rule `{}`", waiver.rule.value),
                )
                .with_width(waiver.rule.value.chars().count())
                .suggest_from(
                    &waiver.rule.value,
                    near_rule.get_or_init(|| Suggester::new(known.iter().copied(), &work)),
                ),
            );
        }
        for subject in &waiver.subject {
            if !ids.contains(subject.value.as_str()) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownId,
                        &scenario.file,
                        subject.span,
                        format!(
                            "the waiver's subject `{}` is not an id in this scenario",
                            subject.value
                        ),
                    )
                    .with_width(subject.value.chars().count())
                    .suggest_from(
                        &subject.value,
                        near_id.get_or_init(|| Suggester::new(ids.iter().copied(), &work)),
                    ),
                );
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(())
    } else {
        sort_and_dedup(&mut diagnostics);
        Err(diagnostics)
    }
}

/// Moves findings that a waiver in force accepts to `waived`. An expired
/// waiver, or one that accepts nothing, is itself a finding.
/// The first waiver in force (in file order) for each rule and set of
/// subject ids: a finding matches only a waiver of the same set, in any
/// order (design §7), so `[a, b]` does not waive `[a, c]`, nor `a` `[a, b]`.
pub(crate) struct WaiversInForce<'s> {
    first: HashMap<(&'s str, Vec<&'s str>), usize>,
}

impl<'s> WaiversInForce<'s> {
    pub(crate) fn new(scenario: &'s Scenario, date: Date) -> Self {
        let mut first = HashMap::new();
        for (i, w) in scenario.waivers.iter().enumerate() {
            if w.until.as_ref().is_none_or(|u| date < u.value) {
                let ids = id_set(w.subject.iter().map(|s| s.value.as_str()));
                first.entry((w.rule.value.as_str(), ids)).or_insert(i);
            }
        }
        WaiversInForce { first }
    }

    /// The waiver (its place in the scenario's list) that waives a finding
    /// of `rule` about `subject`, if any.
    pub(crate) fn of(&self, rule: &str, subject: &[String]) -> Option<usize> {
        if self.first.is_empty() {
            return None;
        }
        let ids = id_set(subject.iter().map(String::as_str));
        self.first.get(&(rule, ids)).copied()
    }

    /// The waivers that can waive a finding: for each rule and set of
    /// subject ids, the first in force (its place, the rule, the ids sorted).
    pub(crate) fn each(&self) -> impl Iterator<Item = (usize, &'s str, &[&'s str])> {
        self.first
            .iter()
            .map(|((rule, ids), &i)| (i, *rule, ids.as_slice()))
    }
}

fn apply_waivers(
    scenario: &Scenario,
    date: Date,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Waived>) {
    let mut used = vec![false; scenario.waivers.len()];
    let mut active = Vec::new();
    let mut waived = Vec::new();
    let in_force = WaiversInForce::new(scenario, date);
    for finding in findings {
        let waiver = in_force
            .of(&finding.rule, &finding.subject)
            .and_then(|i| scenario.waivers.get(i).map(|w| (i, w)));
        match waiver {
            Some((i, w)) => {
                used[i] = true;
                waived.push(Waived {
                    finding,
                    waiver: WaiverInfo {
                        reason: w.reason.clone(),
                        until: w.until.as_ref().map(|u| u.value.to_string()),
                        location: Location::in_text(&scenario.file, w.span, &scenario.located),
                    },
                });
            }
            None => active.push(finding),
        }
    }
    active.extend(waivers_own_findings(scenario, date, &used));
    (active, waived)
}

/// The waivers' own findings at `date`: each expired one, and each that
/// accepts nothing (`used` says which accepted some finding).
pub(crate) fn waivers_own_findings(scenario: &Scenario, date: Date, used: &[bool]) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Found only if some waiver is unused.
    let closed: OnceCell<HashSet<&str>> = OnceCell::new();
    for (waiver, &used) in scenario.waivers.iter().zip(used) {
        let subject: Vec<String> = waiver.subject.iter().map(|s| s.value.clone()).collect();
        let expired = waiver.until.as_ref().filter(|u| u.value <= date);
        let (rule, message) = match expired {
            Some(until) => (
                builtin::EXPIRED_WAIVER,
                builtin::expired_message(&waiver.rule.value, &subject, until.value),
            ),
            // A waiver about a mission not open at the date (closed, or not
            // yet opened) waits: it cannot match, but it is not stale.
            None if !used
                && !waiver.subject.iter().any(|id| {
                    closed
                        .get_or_init(|| closed_missions(scenario, date))
                        .contains(id.value.as_str())
                }) =>
            {
                (
                    builtin::UNUSED_WAIVER,
                    builtin::unused_message(&waiver.rule.value, &subject, date),
                )
            }
            None => continue,
        };
        findings.push(rule.finding(
            subject,
            message,
            Location::in_text(&scenario.file, waiver.span, &scenario.located),
        ));
    }
    findings
}

/// The ids of the scenario's missions that are not open at `date`: a
/// waiver naming one waits instead of being reported unused. Now that a
/// waiver matches only its own set of ids, a waiver of one mission's
/// finding outlives the mission in a history.
fn closed_missions(scenario: &Scenario, date: Date) -> HashSet<&str> {
    scenario
        .missions
        .iter()
        .filter(|m| {
            !crate::scenario::date::in_force(
                m.from.as_ref().map(|d| d.value),
                m.until.as_ref().map(|d| d.value),
                date,
            )
        })
        .map(|m| m.id.value.as_str())
        .collect()
}

/// Ids as a set: sorted, each once.
fn id_set<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

pub mod builtin;
mod held;
pub mod network;
mod periods;
pub mod precedence;
pub mod propose;
pub mod result;
pub mod ruletest;
pub mod since;
pub mod timeline;
pub mod whatif;

/// A scenario checked: the scenario, its report, and the network it was
/// checked in when one was asked for.
#[derive(Debug)]
pub struct Checked {
    pub scenario: Scenario,
    pub report: Report,
    pub network: Option<network::Network>,
}

/// A scenario file checked: its name, and what it gave, or the input errors
/// that stopped it.
#[derive(Debug)]
pub struct FileOutcome {
    pub name: String,
    pub result: Result<Checked, Vec<Diagnostic>>,
}

/// Loads and checks many scenario sources on all cores. One file's errors
/// never stop the others. Outcomes come back in the order given;
/// `progress(done, total)` is called as files finish. With `draw`, each
/// comes with its network, drawn from the world it was checked in. Each
/// source is one of the run's `io::Sources`: its scenario's spans name its
/// id there, and the scenario shares its text.
pub fn check_sources(
    sources: &[&crate::io::Source],
    rules: &RuleSet,
    options: &CheckOptions,
    limits: &crate::scenario::yaml::YamlLimits,
    draw: bool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<FileOutcome> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let done = AtomicUsize::new(0);
    let outcomes = crate::parallel::share_out(
        sources,
        crate::parallel::cores(),
        || (),
        |(), _, &source| {
            let result = crate::scenario::load::load_source(&source.shared, &source.name, limits)
                .and_then(|scenario| {
                    let (report, network) = check_one(&scenario, rules, options, draw)?;
                    Ok(Checked {
                        scenario,
                        report,
                        network,
                    })
                });
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, sources.len());
            Some(FileOutcome {
                name: source.name.clone(),
                result,
            })
        },
    );
    outcomes.into_iter().flatten().collect()
}

/// `check`, and with `draw` the network too.
pub fn check_one(
    scenario: &Scenario,
    rules: &RuleSet,
    options: &CheckOptions,
    draw: bool,
) -> Result<(Report, Option<network::Network>), Vec<Diagnostic>> {
    let date = evaluation_date(scenario, options)?;
    let prepared = Prepared::new(scenario, rules)?;
    if draw {
        let (report, network) = prepared.check_drawn(rules, date, options.budget)?;
        Ok((report, Some(network)))
    } else {
        Ok((prepared.check_at(rules, date, options.budget)?, None))
    }
}

/// The bundled Kabul fixture, loaded, for the engine's tests.
#[cfg(test)]
#[allow(clippy::expect_used)]
fn kabul() -> Scenario {
    let text = include_str!("../../fixtures/kabul-2024-09.yaml");
    let limits = crate::scenario::yaml::YamlLimits::default();
    crate::scenario::load::load_str(text, "kabul-2024-09.yaml", &limits).expect("the fixture loads")
}
