//! What-if: the findings a proposal would introduce and resolve, and which
//! rank of head a mission can take without breaking a rule.

use super::result::Finding;
use super::whatif::{OnDate, outcome_as_change};
use super::{CheckOptions, Prepared};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::eval::EvidenceFor;
use crate::eval::delta::Footprint;
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use crate::scenario::change::apply;
use crate::scenario::date::Date;
use crate::scenario::model::{
    At, Change, Credentials, Head, Mission, Proposal, Rank, Scenario, StateKind,
};
use crate::scenario::world::World;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Introduces no finding at or above the failing severity.
    Ok,
    /// Introduces at least one.
    Breaks,
}

/// One proposal's effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposalOutcome {
    pub id: String,
    pub title: Option<String>,
    pub on: String,
    pub introduced: Vec<Finding>,
    pub resolved: Vec<Finding>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposalsReport {
    pub scenario: String,
    pub file: String,
    pub proposals: Vec<ProposalOutcome>,
}

impl ProposalsReport {
    pub fn fails(&self) -> bool {
        self.proposals.iter().any(|p| p.verdict == Verdict::Breaks)
    }
}

/// Findings by (rule, subject): what identifies a finding across dates and changes.
pub(crate) type FindingsByKey = BTreeMap<(String, Vec<String>), Finding>;

/// Findings by (rule, subject); of several with one key (a rule that finds
/// a subject through more than one binding), the `preferred`.
pub(crate) fn keyed(findings: Vec<Finding>) -> FindingsByKey {
    let mut by_key = FindingsByKey::new();
    for finding in findings {
        let key = (finding.rule.clone(), finding.subject.clone());
        match by_key.get_mut(&key) {
            Some(kept) => {
                if preferred(kept, &finding) {
                    *kept = finding;
                }
            }
            None => {
                by_key.insert(key, finding);
            }
        }
    }
    by_key
}

/// Whether `other` is kept instead of `kept`, of two findings with one
/// key: the greater message, then the greater place and evidence. An order
/// of the findings alone, so that a proposal evaluated as a change
/// (`whatif`), which finds them in another order, keeps the same one.
pub(crate) fn preferred(kept: &Finding, other: &Finding) -> bool {
    match other.message.cmp(&kept.message) {
        std::cmp::Ordering::Equal => {
            let rest = |f: &Finding| format!("{:?}", (&f.location, &f.focus, &f.evidence));
            rest(other) > rest(kept)
        }
        order => order.is_gt(),
    }
}

/// The findings in force at `on`, by (rule, subject), with evidence for
/// those `which` names.
fn findings_at(
    prepared: &Prepared,
    rules: &RuleSet,
    on: Date,
    options: &CheckOptions,
    which: EvidenceFor,
) -> Result<FindingsByKey, Vec<Diagnostic>> {
    let report = prepared.check_for(rules, on, options.budget, which)?;
    Ok(keyed(report.findings))
}

/// Introduced and resolved findings of applying one proposal, given the
/// unchanged scenario's findings `before` on its date (`whatif::OnDate::before`).
fn outcome(
    prepared: &Prepared,
    rules: &RuleSet,
    proposal: &Proposal,
    file: &str,
    options: &CheckOptions,
    fail_on: Severity,
    before: &FindingsByKey,
) -> Result<ProposalOutcome, Vec<Diagnostic>> {
    let scenario = prepared.scenario;
    let on = proposal.on.value;
    let mut changed = apply(scenario, proposal, file)?;
    // Claims and waivers may name missions that other proposals open: those
    // stay ids of the file (each proposal is checked alone, but in its file).
    changed.proposals = scenario
        .proposals
        .iter()
        .filter(|p| p.id.value != proposal.id.value)
        .cloned()
        .collect();
    // A change removes no id, so the claims and waivers checked for the
    // scenario hold for the changed one: they are not checked again.
    // After it, only what it introduces is shown: the findings that were
    // there before get no evidence built.
    let introduced_only = |rule: &str, subject: &[String]| {
        !before.contains_key(&(rule.to_string(), subject.to_vec()))
    };
    let after = findings_at(
        &prepared.changed(&changed),
        rules,
        on,
        options,
        EvidenceFor::Only(&introduced_only),
    )?;
    let introduced: Vec<Finding> = after
        .iter()
        .filter(|(key, _)| !before.contains_key(*key))
        .map(|(_, f)| f.clone())
        .collect();
    let resolved: Vec<Finding> = before
        .iter()
        .filter(|(key, _)| !after.contains_key(*key))
        .map(|(_, f)| f.clone())
        .collect();
    Ok(settle(proposal, introduced, resolved, fail_on))
}

/// A proposal's outcome from what it introduces and resolves.
pub(crate) fn settle(
    proposal: &Proposal,
    introduced: Vec<Finding>,
    resolved: Vec<Finding>,
    fail_on: Severity,
) -> ProposalOutcome {
    let verdict = if introduced.iter().any(|f| f.severity >= fail_on) {
        Verdict::Breaks
    } else {
        Verdict::Ok
    };
    ProposalOutcome {
        id: proposal.id.value.clone(),
        title: proposal.title.clone(),
        on: proposal.on.value.to_string(),
        introduced: sorted(introduced),
        resolved: sorted(resolved),
        verdict,
    }
}

fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .sort_by(|a, b| (b.severity, &a.rule, &a.subject).cmp(&(a.severity, &b.rule, &b.subject)));
    findings
}

/// Evaluates each proposal on its own against the scenario as it stands on
/// the proposal's date. `file` is where the proposals were written.
pub fn propose(
    scenario: &Scenario,
    proposals: &[Proposal],
    file: &str,
    rules: &RuleSet,
    options: &CheckOptions,
    fail_on: Severity,
) -> Result<ProposalsReport, Vec<Diagnostic>> {
    propose_by(
        scenario,
        proposals,
        file,
        rules,
        options,
        fail_on,
        Evaluation::AsChange,
    )
}

/// A job over an evaluator of one world, borrowed for each call: its type
/// names that world's lifetimes, which a closure's parameter cannot.
fn with_base<'w, 's, R>(
    job: impl Fn(&crate::eval::Evaluator<'w, 's>, &Proposal) -> R,
) -> impl Fn(&crate::eval::Evaluator<'w, 's>, &Proposal) -> R {
    job
}

pub use super::Evaluation;

/// `propose`, each proposal evaluated as `how` says (the same report either way).
pub fn propose_by(
    scenario: &Scenario,
    proposals: &[Proposal],
    file: &str,
    rules: &RuleSet,
    options: &CheckOptions,
    fail_on: Severity,
    how: Evaluation,
) -> Result<ProposalsReport, Vec<Diagnostic>> {
    let workers = crate::parallel::cores().min(crate::parallel::MAX_WORLD_THREADS);
    propose_on(
        scenario, proposals, file, rules, options, fail_on, workers, how,
    )
}

/// `propose` on up to `workers` threads: date by date (in date order), the
/// scenario's findings on that date, then its proposals shared out (each
/// on its own, a thread's rules on that thread), results taken in the
/// proposals' order: the report depends neither on the number of threads
/// nor on `how`.
#[allow(clippy::too_many_arguments)]
fn propose_on(
    scenario: &Scenario,
    proposals: &[Proposal],
    file: &str,
    rules: &RuleSet,
    options: &CheckOptions,
    fail_on: Severity,
    workers: usize,
    how: Evaluation,
) -> Result<ProposalsReport, Vec<Diagnostic>> {
    let mut results: Vec<Option<Result<ProposalOutcome, Vec<Diagnostic>>>> =
        vec![None; proposals.len()];
    // With no proposal nothing is evaluated, so nothing can be wrong.
    if !proposals.is_empty() {
        let prepared = Prepared::new(scenario, rules)?;
        let footprints: Vec<Footprint> = rules.rules.iter().map(Footprint::of).collect();
        let mut by_date: BTreeMap<Date, Vec<usize>> = BTreeMap::new();
        for (i, proposal) in proposals.iter().enumerate() {
            by_date.entry(proposal.on.value).or_default().push(i);
        }
        for (on, these) in by_date {
            let on_date = match OnDate::new(&prepared, rules, on, options) {
                Ok(on_date) => on_date,
                Err(diagnostics) => {
                    for i in these {
                        if let Some(slot) = results.get_mut(i) {
                            *slot = Some(Err(diagnostics.clone()));
                        }
                    }
                    continue;
                }
            };
            let each = with_base(|base, proposal: &Proposal| {
                let as_change = match how {
                    Evaluation::AsChange => outcome_as_change(
                        &on_date,
                        base,
                        scenario,
                        rules,
                        &footprints,
                        proposal,
                        options,
                        fail_on,
                    ),
                    Evaluation::InFull => None,
                };
                match as_change {
                    Some(outcome) => Ok(outcome),
                    None => outcome(
                        &prepared,
                        rules,
                        proposal,
                        file,
                        options,
                        fail_on,
                        &on_date.before,
                    ),
                }
            });
            let jobs: Vec<&Proposal> = these.iter().filter_map(|&i| proposals.get(i)).collect();
            let outcomes = crate::parallel::share_out(
                &jobs,
                workers,
                || on_date.evaluator(options),
                |base, _, proposal| Some(each(base, proposal)),
            );
            for ((i, proposal), found) in these.iter().zip(&jobs).zip(outcomes) {
                // A result is missing only where a worker panicked, which
                // ends the scope anyway; evaluated here again all the same.
                let found = found.unwrap_or_else(|| each(&on_date.evaluator(options), proposal));
                if let Some(slot) = results.get_mut(*i) {
                    *slot = Some(found);
                }
            }
        }
    }
    let mut outcomes = Vec::new();
    let mut errors = Vec::new();
    for result in results.into_iter().flatten() {
        match result {
            Ok(outcome) => outcomes.push(outcome),
            Err(diagnostics) => errors.extend(diagnostics),
        }
    }
    if !errors.is_empty() {
        crate::diag::sort_and_dedup(&mut errors);
        return Err(errors);
    }
    Ok(ProposalsReport {
        scenario: scenario.id.value.clone(),
        file: scenario.file.clone(),
        proposals: outcomes,
    })
}

/// One rank tried for the new head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankTrial {
    pub rank: Rank,
    /// VCDR art. 14 class, or none.
    pub class: Option<u8>,
    pub introduced: Vec<Finding>,
    pub resolved: Vec<Finding>,
    /// Whether it introduces a finding at or above the failing severity.
    pub breaks: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestReport {
    pub scenario: String,
    pub file: String,
    pub mission: String,
    pub on: String,
    /// The government the new head's credentials would be presented to.
    pub credentials_to: Option<String>,
    pub trials: Vec<RankTrial>,
    pub recommended: Option<Rank>,
    /// Why, in a sentence a desk officer can forward.
    pub reason: String,
}

/// Who a mission's new head can be, by its two states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Between {
    /// The sender is the Holy See (state `kind: holy-see`): its class 1 and
    /// 2 heads are nuncios and internuncios (VCDR art. 14).
    HolySee,
    /// Sender and receiver are both marked `commonwealth: true`: class 1
    /// heads between members are high commissioners (design §7).
    Commonwealth,
    /// Any other pair: class 1 heads are ambassadors.
    Other,
}

/// The ranks worth trying for a mission's head, highest class first: the
/// Holy See's own ranks only for the Holy See, a high commissioner only
/// between two Commonwealth members, an ambassador otherwise.
fn candidate_ranks(between: Between) -> Vec<Rank> {
    match between {
        Between::HolySee => vec![
            Rank::Nuncio,
            Rank::Internuncio,
            Rank::ChargeDAffaires,
            Rank::ChargeDAffairesAi,
        ],
        Between::Commonwealth => vec![
            Rank::HighCommissioner,
            Rank::Envoy,
            Rank::Minister,
            Rank::ChargeDAffaires,
            Rank::ChargeDAffairesAi,
        ],
        Between::Other => vec![
            Rank::Ambassador,
            Rank::Envoy,
            Rank::Minister,
            Rank::ChargeDAffaires,
            Rank::ChargeDAffairesAi,
        ],
    }
}

/// Which ranks a new head of `mission` can hold: from the sender's kind and
/// both states' `commonwealth` marks.
fn between(scenario: &Scenario, mission: &Mission) -> Between {
    let state = |id: &str| scenario.states.iter().find(|s| s.id.value == id);
    let sender = state(&mission.sender.value);
    let receiver = state(&mission.receiver.value);
    if sender.is_some_and(|s| s.kind == StateKind::HolySee) {
        Between::HolySee
    } else if sender.is_some_and(|s| s.commonwealth) && receiver.is_some_and(|s| s.commonwealth) {
        Between::Commonwealth
    } else {
        Between::Other
    }
}

/// Tries every rank for a new head of `mission` on `on` and recommends the
/// highest class that introduces nothing at or above `fail_on`.
pub fn suggest(
    scenario: &Scenario,
    rules: &RuleSet,
    mission: &str,
    on: Date,
    credentials_to: Option<&str>,
    options: &CheckOptions,
    fail_on: Severity,
) -> Result<SuggestReport, Vec<Diagnostic>> {
    let file = scenario.file.as_str();
    let record = scenario
        .missions
        .iter()
        .find(|m| m.id.value == mission)
        .ok_or_else(|| {
            let ids = scenario.missions.iter().map(|m| m.id.value.as_str());
            vec![
                Diagnostic::new(
                    Code::UnknownId,
                    file,
                    scenario.id.span,
                    format!(
                        "there is no mission `{mission}` in this scenario to appoint a head to"
                    ),
                )
                .with_label("this scenario")
                .suggest(mission, ids),
            ]
        })?;
    let world = World::at(scenario, on);
    let government = match credentials_to {
        Some(id) => {
            let known = world
                .sym(id)
                .and_then(|sym| world.government(sym))
                .is_some();
            if !known {
                let ids = world.governments.iter().map(|g| world.name(g.sym));
                return Err(vec![
                    Diagnostic::new(
                        Code::UnknownId,
                        file,
                        record.span,
                        format!(
                            "credentials cannot be presented to `{id}`: it is not a government of this scenario"
                        ),
                    )
                    .with_label("the mission the head is appointed to")
                    .suggest(id, ids),
                ]);
            }
            Some(id.to_string())
        }
        None => world
            .sym(&record.receiver.value)
            .and_then(|r| world.government_of(r))
            .map(|g| world.name(g).to_string()),
    };
    let between = between(scenario, record);
    let span = record.span;
    let mut trials = Vec::new();
    let prepared = Prepared::new(scenario, rules)?;
    // Every rank is tried on one date: the findings before are checked
    // once, and each rank evaluated as a change of that date's world.
    let on_date = OnDate::new(&prepared, rules, on, options)?;
    let base = on_date.evaluator(options);
    let footprints: Vec<Footprint> = rules.rules.iter().map(Footprint::of).collect();
    for rank in candidate_ranks(between) {
        // Only heads accredited by letters present credentials; an acting
        // chargé d'affaires a.i. is notified.
        let credentials = match (&government, rank.class()) {
            (Some(to), Some(_)) => Some(Credentials {
                to: At::new(to.clone(), span),
                on: Some(At::new(on, span)),
                span,
            }),
            _ => None,
        };
        let head = Head {
            name: None,
            rank: At::new(rank, span),
            from: Some(At::new(on, span)),
            until: None,
            agrement: None,
            exequatur: None,
            credentials,
            source: None,
            proposed: true,
            span,
        };
        let proposal = Proposal {
            id: At::new(format!("appoint-{}", rank.word()), span),
            title: None,
            on: At::new(on, span),
            changes: vec![Change::Appoint {
                mission: At::new(mission.to_string(), record.id.span),
                head,
                span,
            }],
            source: None,
            span,
            located: scenario.located.clone(),
        };
        let outcome = match outcome_as_change(
            &on_date,
            &base,
            scenario,
            rules,
            &footprints,
            &proposal,
            options,
            fail_on,
        ) {
            Some(outcome) => outcome,
            None => outcome(
                &prepared,
                rules,
                &proposal,
                file,
                options,
                fail_on,
                &on_date.before,
            )?,
        };
        trials.push(RankTrial {
            rank,
            class: rank.class(),
            breaks: outcome.verdict == Verdict::Breaks,
            introduced: outcome.introduced,
            resolved: outcome.resolved,
        });
    }
    let recommended = trials.iter().find(|t| !t.breaks).map(|t| t.rank);
    let reason = reason(&trials, recommended, fail_on);
    Ok(SuggestReport {
        scenario: scenario.id.value.clone(),
        file: file.to_string(),
        mission: mission.to_string(),
        on: on.to_string(),
        credentials_to: government,
        trials,
        recommended,
        reason,
    })
}

/// Why the recommendation: the highest failing rank's findings in full, the
/// other failing ranks by rule id (details are in the trials).
fn reason(trials: &[RankTrial], recommended: Option<Rank>, fail_on: Severity) -> String {
    let failing: Vec<&RankTrial> = trials
        .iter()
        .take_while(|t| Some(t.rank) != recommended)
        .filter(|t| t.breaks)
        .collect();
    fn blocking(t: &RankTrial, fail_on: Severity) -> Vec<&Finding> {
        t.introduced
            .iter()
            .filter(|f| f.severity >= fail_on)
            .collect()
    }
    let ids = |t: &RankTrial| -> Vec<String> {
        blocking(t, fail_on)
            .iter()
            .map(|f| f.rule.clone())
            .collect()
    };
    let mut parts = Vec::new();
    if let Some(first) = failing.first() {
        let details: Vec<String> = blocking(first, fail_on)
            .iter()
            .map(|f| format!("{} ({})", f.rule, f.message))
            .collect();
        parts.push(format!(
            "{} would introduce {}",
            article(first.rank),
            details.join(" and ")
        ));
        let (same, other): (Vec<&&RankTrial>, Vec<&&RankTrial>) =
            failing.iter().skip(1).partition(|t| ids(t) == ids(first));
        if !same.is_empty() {
            let names: Vec<String> = same.iter().map(|t| article(t.rank)).collect();
            parts.push(format!("so would {}", join_words(&names)));
        }
        for t in other {
            parts.push(format!(
                "{} would introduce {}",
                article(t.rank),
                join_words(&ids(t))
            ));
        }
    }
    let because = parts.join("; ");
    match recommended {
        Some(rank) if failing.is_empty() => {
            format!(
                "{} introduces no finding that fails the check",
                article(rank)
            )
        }
        Some(rank) => format!(
            "{} is the highest rank that introduces no finding that fails the check: {because}",
            article(rank)
        ),
        None => format!("every rank introduces a finding that fails the check: {because}"),
    }
}

/// "a, b and c"
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The rank as words with its article: "an ambassador", "a chargé d'affaires".
pub fn article(rank: Rank) -> String {
    let words = match rank {
        Rank::ChargeDAffaires => "chargé d'affaires (en pied)",
        Rank::ChargeDAffairesAi => "chargé d'affaires a.i.",
        other => other.word(),
    };
    let an = words.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!(
        "{} {}",
        if an { "an" } else { "a" },
        words.replace('-', " ")
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// Proposals shared out among threads give the report one thread gives,
    /// outcomes in the proposals' order, over several dates (each date's
    /// findings before computed once), for any number of threads, whether
    /// evaluated as changes or in full.
    #[test]
    fn proposals_do_not_depend_on_the_threads() {
        let scenario = crate::engine::kabul();
        let mut proposals = Vec::new();
        for (k, on) in [
            "2024-10-01",
            "2023-01-01",
            "2024-10-01",
            "2022-06-01",
            "2025-03-01",
        ]
        .iter()
        .enumerate()
        {
            for proposal in &scenario.proposals {
                let mut proposal = proposal.clone();
                proposal.id.value = format!("{}-{k}", proposal.id.value);
                proposal.on.value = Date::parse(on).unwrap();
                proposals.push(proposal);
            }
        }
        assert!(proposals.len() >= 10);
        let rules = RuleSet::standard().unwrap();
        let options = CheckOptions::default();
        let one = propose_on(
            &scenario,
            &proposals,
            "p.yaml",
            &rules,
            &options,
            Severity::Error,
            1,
            Evaluation::InFull,
        )
        .unwrap();
        assert_eq!(one.proposals.len(), proposals.len());
        assert!(one.proposals.iter().any(|p| !p.introduced.is_empty()));
        for workers in [1, 2, 3, 5] {
            for how in [Evaluation::AsChange, Evaluation::InFull] {
                let many = propose_on(
                    &scenario,
                    &proposals,
                    "p.yaml",
                    &rules,
                    &options,
                    Severity::Error,
                    workers,
                    how,
                )
                .unwrap();
                assert_eq!(many, one, "{workers} threads, {how:?}");
            }
        }
    }
}
