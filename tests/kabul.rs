//! The Kabul fixture: the engine reaches the seed article's own conclusions.
// Test helpers outside #[test] functions report failures by panicking.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::lang::ast::Severity;
use parity::report::{Report, human, json};
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};

const FILE: &str = "fixtures/kabul-2024-09.yaml";

fn source() -> String {
    std::fs::read_to_string(FILE).unwrap_or_else(|e| panic!("cannot read {FILE}: {e}"))
}

fn report_at(date: &str) -> Report {
    let text = source();
    let scenario = load_str(&text, FILE, &YamlLimits::default())
        .unwrap_or_else(|d| panic!("fixture does not load: {d:#?}"));
    let rules = RuleSet::standard().unwrap_or_else(|d| panic!("standard rules: {d:#?}"));
    let options = CheckOptions {
        as_of: Date::parse(date).ok(),
        ..CheckOptions::default()
    };
    check(&scenario, &rules, &options).unwrap_or_else(|d| panic!("check failed: {d:#?}"))
}

fn subjects(report: &Report, rule: &str) -> Vec<Vec<String>> {
    report
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.subject.clone())
        .collect()
}

#[test]
fn on_1_september_rank_parity_breaks_between_kazakhstan_and_afghanistan() {
    let report = report_at("2024-09-01");
    // An ambassador in Kabul against a chargé d'affaires in Astana since 2024-08-21.
    assert_eq!(
        subjects(&report, "rank-parity"),
        vec![vec!["afg-in-kaz".to_string(), "kaz-in-afg".to_string()]]
    );
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule == "rank-parity")
        .map(|f| (f.severity, f.message.clone()));
    assert_eq!(
        finding,
        Some((
            Severity::Error,
            "Afghanistan is represented in Kazakhstan by a head of class 3 (chargé d'affaires), but Kazakhstan in Afghanistan by a head of class 1 (ambassador)".to_string()
        ))
    );
    assert!(
        subjects(&report, "head-vacant").is_empty(),
        "Kazakhstan's ambassador is still in post on 1 September"
    );
}

#[test]
fn on_27_september_the_article_conclusions_hold() {
    let report = report_at("2024-09-27");
    assert!(
        subjects(&report, "rank-parity").is_empty(),
        "no Kazakh head in Kabul, so no parity to break"
    );
    assert_eq!(
        subjects(&report, "implied-recognition"),
        vec![vec!["chn-in-afg".to_string()]]
    );
    let mut former = subjects(&report, "credentials-to-former-government");
    former.sort();
    let expected: Vec<Vec<String>> = [
        "aze-in-afg",
        "jpn-in-afg",
        "rus-in-afg",
        "tkm-in-afg",
        "uzb-in-afg",
    ]
    .iter()
    .map(|id| vec![id.to_string()])
    .collect();
    assert_eq!(former, expected);
    assert_eq!(
        subjects(&report, "head-vacant"),
        vec![vec!["kaz-in-afg".to_string()]]
    );
    for claim in &report.claims {
        assert!(claim.holds, "claim fails: {}", claim.title);
    }
    assert!(report.claims.len() >= 2);
}

#[test]
fn reports_are_deterministic() {
    let a = json::render(&[report_at("2024-09-27")]);
    let b = json::render(&[report_at("2024-09-27")]);
    assert_eq!(a, b);
}

#[test]
fn snapshot_human_2024_09_01() {
    insta::assert_snapshot!(human::render(&report_at("2024-09-01"), Some(&source())));
}

#[test]
fn snapshot_human_2024_09_27() {
    insta::assert_snapshot!(human::render(&report_at("2024-09-27"), Some(&source())));
}

#[test]
fn snapshot_json_2024_09_01() {
    insta::assert_snapshot!(json::render(&[report_at("2024-09-01")]));
}

#[test]
fn snapshot_json_2024_09_27() {
    insta::assert_snapshot!(json::render(&[report_at("2024-09-27")]));
}
