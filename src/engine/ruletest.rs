//! `parity test`: rule tests (`*.test.yaml`: scenarios with exactly the
//! findings a rule must produce on them, counted) and every scenario's
//! `expect` claims.

use super::result::Location;
use super::{CheckOptions, check};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::lang::ruleset::RuleSet;
use crate::scenario::load::{load_rule_tests, load_str};
use crate::scenario::model::Expected;
use crate::scenario::yaml::YamlLimits;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestResult {
    /// `rule-id: case name`, or `claim: title`.
    pub name: String,
    pub passed: bool,
    /// Why it failed.
    pub detail: Option<String>,
    pub location: Location,
}

/// Which rules the tests exercise, firing and not firing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCoverage {
    pub rule: String,
    /// Some case expects it to fire.
    pub firing: bool,
    /// Some case expects it not to fire at all.
    pub quiet: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestReport {
    pub results: Vec<TestResult>,
    pub passed: usize,
    pub failed: usize,
    pub coverage: Vec<RuleCoverage>,
}

impl TestReport {
    /// The share of rules exercised both firing and not firing.
    pub fn covered_share(&self) -> f64 {
        if self.coverage.is_empty() {
            return 1.0;
        }
        let full = self.coverage.iter().filter(|c| c.firing && c.quiet).count();
        full as f64 / self.coverage.len() as f64
    }
}

/// Runs every test in `files` (`*.test.yaml` are rule tests, other files
/// scenarios whose claims are tests). Input errors (a file that does not
/// load, a test naming an unknown rule) are returned all together: exit 2.
pub fn run_tests(
    files: &[&crate::io::Source],
    rules: &RuleSet,
    options: &CheckOptions,
    limits: &YamlLimits,
) -> Result<TestReport, Vec<Diagnostic>> {
    let mut results = Vec::new();
    let mut errors = Vec::new();
    let mut firing: BTreeSet<String> = BTreeSet::new();
    let mut quiet: BTreeSet<String> = BTreeSet::new();
    for source in files {
        let (name, text) = (source.name.as_str(), source.text());
        let outcome = if crate::io::discover::is_rule_test(Path::new(name)) {
            rule_tests(text, name, rules, options, limits, &mut firing, &mut quiet)
        } else {
            claims(text, name, rules, options, limits)
        };
        match outcome {
            Ok(found) => results.extend(found),
            Err(found) => errors.extend(found),
        }
    }
    if !errors.is_empty() {
        crate::diag::sort_and_dedup(&mut errors);
        return Err(errors);
    }
    let coverage = rules
        .rules
        .iter()
        .map(|r| RuleCoverage {
            rule: r.id.clone(),
            firing: firing.contains(&r.id),
            quiet: quiet.contains(&r.id),
        })
        .collect();
    let passed = results.iter().filter(|r| r.passed).count();
    let failed = results.len() - passed;
    Ok(TestReport {
        results,
        passed,
        failed,
        coverage,
    })
}

fn rule_tests(
    text: &str,
    name: &str,
    rules: &RuleSet,
    options: &CheckOptions,
    limits: &YamlLimits,
    firing: &mut BTreeSet<String>,
    quiet: &mut BTreeSet<String>,
) -> Result<Vec<TestResult>, Vec<Diagnostic>> {
    let tests = load_rule_tests(text, name, limits)?;
    let rule = tests.rule.value.as_str();
    if rules.get(rule).is_none() {
        let known = rules.rules.iter().map(|r| r.id.as_str());
        return Err(vec![
            Diagnostic::new(
                Code::UnknownRule,
                name,
                tests.rule.span,
                format!("the tests are for no known rule `{rule}`"),
            )
            .with_width(rule.chars().count())
            .suggest(rule, known),
        ]);
    }
    let mut results = Vec::new();
    for case in &tests.cases {
        if case.fires.is_empty() {
            quiet.insert(rule.to_string());
        } else {
            firing.insert(rule.to_string());
        }
        let options = CheckOptions {
            as_of: case.as_of.as_ref().map(|d| d.value).or(options.as_of),
            ..*options
        };
        let report = check(&case.scenario, rules, &options)?;
        // A waived finding still fired: waivers are the scenario's business, not the rule's.
        let found = report
            .findings
            .iter()
            .chain(report.waived.iter().map(|w| &w.finding))
            .filter(|f| f.rule == rule)
            .map(|f| (f.subject.as_slice(), f.message.as_str()));
        let detail = compare(&case.fires, found);
        results.push(TestResult {
            name: format!("{rule}: {}", case.name),
            passed: detail.is_none(),
            detail,
            location: Location::in_text(name, case.span, &case.scenario.located),
        });
    }
    Ok(results)
}

/// What differs between the findings a case expects and those `found`
/// (subject, message): `None` when they agree. Subjects compare as sets of
/// ids; each expected subject must have exactly its `count` of findings, all
/// with its `message` where one is given.
fn compare<'f>(
    expected: &[Expected],
    found: impl Iterator<Item = (&'f [String], &'f str)>,
) -> Option<String> {
    let mut got: BTreeMap<Vec<String>, Vec<&str>> = BTreeMap::new();
    for (subject, message) in found {
        got.entry(sorted(subject)).or_default().push(message);
    }
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    for want in expected {
        let key = sorted(&want.subject);
        let shown = format!("[{}]", key.join(", "));
        let messages = got.remove(&key).unwrap_or_default();
        let n = messages.len();
        if n == 0 {
            missing.push(shown);
            continue;
        }
        let count = want.count as usize;
        if n != count {
            wrong.push(format!(
                "fired {} for {shown}, expected {}",
                times(n),
                times(count)
            ));
        }
        if let Some(message) = &want.message {
            let mut others: Vec<&str> = messages.into_iter().filter(|m| m != message).collect();
            others.sort_unstable();
            others.dedup();
            for other in others {
                wrong.push(format!(
                    "the message for {shown} is {other:?}, expected {message:?}"
                ));
            }
        }
    }
    let unexpected: Vec<String> = got
        .iter()
        .map(|(key, messages)| match messages.len() {
            1 => format!("[{}]", key.join(", ")),
            n => format!("[{}] ({})", key.join(", "), times(n)),
        })
        .collect();
    let mut detail = Vec::new();
    if !missing.is_empty() {
        detail.push(format!("did not fire for {}", missing.join(", ")));
    }
    detail.extend(wrong);
    if !unexpected.is_empty() {
        detail.push(format!("fired unexpectedly for {}", unexpected.join(", ")));
    }
    (!detail.is_empty()).then(|| detail.join("; "))
}

fn times(n: usize) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

fn sorted(ids: &[String]) -> Vec<String> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids
}

fn claims(
    text: &str,
    name: &str,
    rules: &RuleSet,
    options: &CheckOptions,
    limits: &YamlLimits,
) -> Result<Vec<TestResult>, Vec<Diagnostic>> {
    let scenario = load_str(text, name, limits)?;
    let report = check(&scenario, rules, options)?;
    Ok(report
        .claims
        .into_iter()
        .map(|c| TestResult {
            name: format!("claim: {}", c.title),
            passed: c.holds,
            detail: (!c.holds).then(|| format!("does not hold at {}: {}", report.as_of, c.claim)),
            location: c.location,
        })
        .collect())
}
