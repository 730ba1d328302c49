//! `parity explain`: every standard rule has a stored synthetic example, and
//! the rule fires on it (so the examples cannot drift from the rules).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::lang::explain::{EXAMPLES, example_for, explain};
use parity::scenario::load::load_str;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};

fn standard() -> RuleSet {
    RuleSet::standard().unwrap_or_else(|d| panic!("standard rules: {d:#?}"))
}

#[test]
fn every_standard_rule_has_an_example_and_every_example_a_rule() {
    let rules = standard();
    for rule in &rules.rules {
        assert!(
            example_for(&rule.id).is_some(),
            "no example for {}",
            rule.id
        );
    }
    let mut files: Vec<String> = std::fs::read_dir("rules/examples")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = EXAMPLES
        .iter()
        .map(|(id, _)| format!("{id}.yaml"))
        .collect();
    listed.sort();
    assert_eq!(files, listed, "rules/examples and EXAMPLES disagree");
    for (id, _) in EXAMPLES {
        assert!(rules.get(id).is_some(), "example for unknown rule {id}");
    }
}

#[test]
fn each_example_fires_its_rule_and_only_its_rule() {
    let rules = standard();
    for (id, text) in EXAMPLES {
        assert!(
            text.lines()
                .next()
                .unwrap()
                .starts_with("# Synthetic example"),
            "{id}: the example must say it is synthetic"
        );
        let file = format!("rules/examples/{id}.yaml");
        let scenario = load_str(text, &file, &YamlLimits::default())
            .unwrap_or_else(|d| panic!("{file} does not load: {d:#?}"));
        let report = check(&scenario, &rules, &CheckOptions::default())
            .unwrap_or_else(|d| panic!("{file} does not check: {d:#?}"));
        let fired: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(
            fired,
            [*id],
            "{file}: a minimal example fires its rule once, alone"
        );
    }
}

#[test]
fn snapshot_explain_rank_parity() {
    let rules = standard();
    let rule = rules.get("rank-parity").unwrap();
    insta::assert_snapshot!("explain_rank_parity", explain(rule));
}
