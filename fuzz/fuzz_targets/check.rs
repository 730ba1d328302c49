//! `check` end to end. The input is a scenario, optionally followed by a line
//! `%%%%` and a rule file: the scenario is loaded, checked with the standard
//! rules, then with the standard rules plus the input's rules (when they
//! load), its proposals are evaluated, and every report is rendered (human,
//! JSON, Markdown, SARIF, JUnit, GitHub). The evaluation budget is lowered so
//! that a rule that enumerates too much ends in a budget error, not a timeout.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity::engine::propose::propose;
use parity::eval::Budget;
use parity::lang::ast::Severity;
use parity::report::{github, human, json, junit, markdown, sarif};
use parity::scenario::load::load_str;
use parity::scenario::world::World;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};
use std::path::Path;
use std::sync::OnceLock;

const SEPARATOR: &str = "\n%%%%\n";

fn standard() -> &'static RuleSet {
    static STANDARD: OnceLock<RuleSet> = OnceLock::new();
    STANDARD.get_or_init(|| RuleSet::standard().unwrap_or_default())
}

fn render_all(
    scenario: &parity::scenario::model::Scenario,
    text: &str,
    rules: &RuleSet,
    report: &parity::report::Report,
    options: &CheckOptions,
) {
    let _ = human::render(report, Some(text));
    let _ = json::render(std::slice::from_ref(report));
    let _ = github::render(std::slice::from_ref(report), &[]);
    let _ = junit::render(std::slice::from_ref(report), &[], rules, Severity::Error);
    // With the text, so that regions are measured on whatever it holds.
    let mut sources = parity::io::Sources::default();
    sources.add(parity::io::Source::text_only(&report.file, text.to_string()));
    let base = sarif::Base::at(Path::new("."));
    let _ = sarif::render(std::slice::from_ref(report), &[], rules, &base, &sources);
    if let Some(date) = options.as_of.or(scenario.as_of.as_ref().map(|d| d.value)) {
        let world = World::at(scenario, date);
        let _ = markdown::render(&[(report, &world)], &[]);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (text, rule_text) = match input.split_once(SEPARATOR) {
        Some((scenario, rules)) => (scenario, Some(rules)),
        None => (input, None),
    };
    let Ok(scenario) = load_str(text, "fuzz.yaml", &YamlLimits::default()) else {
        return;
    };
    let options = CheckOptions {
        as_of: None,
        budget: Budget {
            max_steps: 200_000,
            ..Budget::default()
        },
    };
    let standard = standard();
    match check(&scenario, standard, &options) {
        Ok(report) => render_all(&scenario, text, standard, &report, &options),
        Err(diagnostics) => {
            for d in &diagnostics {
                let _ = d.render(Some(text));
            }
        }
    }
    if !scenario.proposals.is_empty() {
        let _ = propose(
            &scenario,
            &scenario.proposals,
            "fuzz.yaml",
            standard,
            &options,
            Severity::Error,
        );
    }
    if let Some(rule_text) = rule_text {
        let mut rules = standard.clone();
        let mut diagnostics = Vec::new();
        rules.add_text(rule_text, "fuzz.rules", &mut diagnostics);
        if diagnostics.is_empty() {
            rules.rules.sort_by(|a, b| a.id.cmp(&b.id));
            if let Ok(report) = check(&scenario, &rules, &options) {
                render_all(&scenario, text, &rules, &report, &options);
            }
        }
    }
});
