//! `parity test`: rule tests (`*.test.yaml`: scenarios with exactly the
//! findings a rule must produce on them) and every scenario's `expect` claims.

use super::{CheckOptions, check};
use crate::diag::Diagnostic;
use crate::lang::ruleset::RuleSet;
use crate::report::Location;
use crate::scenario::load::{load_rule_tests, load_str};
use crate::scenario::yaml::YamlLimits;
use serde::Serialize;
use std::collections::BTreeSet;
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
        let (name, text) = (source.name.as_str(), source.text.as_str());
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
                "unknown-rule",
                name,
                tests.rule.loc,
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
        let got: BTreeSet<Vec<String>> = report
            .findings
            .iter()
            .chain(report.waived.iter().map(|w| &w.finding))
            .filter(|f| f.rule == rule)
            .map(|f| sorted(&f.subject))
            .collect();
        let want: BTreeSet<Vec<String>> = case.fires.iter().map(|s| sorted(s)).collect();
        let missing: Vec<String> = want
            .difference(&got)
            .map(|s| format!("[{}]", s.join(", ")))
            .collect();
        let unexpected: Vec<String> = got
            .difference(&want)
            .map(|s| format!("[{}]", s.join(", ")))
            .collect();
        let mut detail = Vec::new();
        if !missing.is_empty() {
            detail.push(format!("did not fire for {}", missing.join(", ")));
        }
        if !unexpected.is_empty() {
            detail.push(format!("fired unexpectedly for {}", unexpected.join(", ")));
        }
        results.push(TestResult {
            name: format!("{rule}: {}", case.name),
            passed: detail.is_empty(),
            detail: (!detail.is_empty()).then(|| detail.join("; ")),
            location: Location {
                file: name.to_string(),
                line: case.loc.line,
                column: case.loc.column,
            },
        });
    }
    Ok(results)
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
