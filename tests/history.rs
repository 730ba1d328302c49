//! Historical fixtures from public record: every claim holds at the fixture's
//! `as_of`, each timeline is snapshot-tested (human and JSON), and the key
//! finding of each case is asserted on the timeline's periods.
// Test helpers outside #[test] functions report failures by panicking.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::engine::propose::{Verdict, propose};
use parity::engine::timeline::{Period, TimelineReport, timeline};
use parity::lang::ast::Severity;
use parity::report::{Report, human, json};
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::model::Scenario;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};

const UK_PRC: &str = "fixtures/uk-prc-1954-1972.yaml";
const US_PRC: &str = "fixtures/us-prc-1973-1979.yaml";
const TUR_ISR: &str = "fixtures/turkey-israel-2011-2022.yaml";
const CAN_IND: &str = "fixtures/canada-india-2023.yaml";
const ALL: [&str; 4] = [UK_PRC, US_PRC, TUR_ISR, CAN_IND];

fn scenario(file: &str) -> Scenario {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
    load_str(&text, file, &YamlLimits::default())
        .unwrap_or_else(|d| panic!("{file} does not load: {d:#?}"))
}

fn rules() -> RuleSet {
    RuleSet::standard().unwrap_or_else(|d| panic!("standard rules: {d:#?}"))
}

/// The report at `date`, or at the fixture's own `as_of` when `None`.
fn report_at(file: &str, date: Option<&str>) -> Report {
    let options = CheckOptions {
        as_of: date.map(|d| Date::parse(d).unwrap()),
        ..CheckOptions::default()
    };
    check(&scenario(file), &rules(), &options).unwrap_or_else(|d| panic!("check failed: {d:#?}"))
}

fn history(file: &str) -> TimelineReport {
    timeline(
        &scenario(file),
        &RuleSet::standard().unwrap(),
        None,
        None,
        &CheckOptions::default(),
    )
    .unwrap_or_else(|d| panic!("timeline of {file} failed: {d:#?}"))
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn period(from: &str, until: &str) -> Period {
    Period {
        from: Some(from.into()),
        until: Some(until.into()),
    }
}

/// Whether the claim with this title holds in the report.
fn claim_holds(report: &Report, title: &str) -> bool {
    report
        .claims
        .iter()
        .find(|c| c.title == title)
        .unwrap_or_else(|| panic!("no claim titled {title:?} in {}", report.scenario))
        .holds
}

fn rules_fired(report: &TimelineReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.rule.as_str()).collect()
}

// ---------------------------------------------------------------------------
// (a) Every fixture loads, and every claim holds at its own `as_of`.
// ---------------------------------------------------------------------------

#[test]
fn every_claim_holds_at_each_fixtures_as_of() {
    for file in ALL {
        let report = report_at(file, None);
        assert!(
            report.claims.len() >= 2,
            "{file}: {} claims",
            report.claims.len()
        );
        for claim in &report.claims {
            assert!(claim.holds, "{file}: claim fails: {}", claim.title);
        }
        assert_eq!(report.summary.errors, 0, "{file}: {:#?}", report.findings);
    }
}

#[test]
fn every_record_cites_a_source_of_its_file() {
    for file in ALL {
        let text = std::fs::read_to_string(file).unwrap();
        let s = scenario(file);
        assert!(!s.sources.is_empty(), "{file} has no sources");
        // Every `source:` value written in the file names one of its sources.
        for line in text.lines() {
            let line = line.trim_start().trim_start_matches("- ");
            if let Some(rest) = line.strip_prefix("source: ") {
                let id = rest.split('#').next().unwrap().trim();
                assert!(
                    text.contains(&format!("- id: {id}\n")),
                    "{file}: `source: {id}` names no source"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// (b) Key findings, read from the timeline's periods.
// ---------------------------------------------------------------------------

/// UK–PRC: chargés on both sides from 1954, ambassadors on both sides from
/// 13 March 1972: rank parity is never broken, and nothing else fires.
#[test]
fn uk_prc_rank_parity_holds_throughout() {
    let report = history(UK_PRC);
    assert!(
        report.findings.is_empty(),
        "no rule fires in any period: {:?}",
        rules_fired(&report)
    );
    // Class 3 against class 3 in 1960: no finding, and no ambassadors yet.
    let in_1960 = report_at(UK_PRC, Some("1960-01-01"));
    assert!(in_1960.findings.is_empty());
    assert!(!claim_holds(
        &in_1960,
        "Both capitals have an ambassador from 13 March 1972"
    ));
    // The day before the communiqué still chargés; on the day, ambassadors.
    let before = report_at(UK_PRC, Some("1972-03-12"));
    assert!(!claim_holds(
        &before,
        "Both capitals have an ambassador from 13 March 1972"
    ));
    let on = report_at(UK_PRC, Some("1972-03-13"));
    assert!(claim_holds(
        &on,
        "Both capitals have an ambassador from 13 March 1972"
    ));
}

/// US–PRC: liaison-office chiefs have no class and present no credentials,
/// so there is no implied recognition before 1 January 1979; an ambassador
/// accredited in 1973 would have implied it.
#[test]
fn us_prc_liaison_offices_imply_no_recognition() {
    let report = history(US_PRC);
    assert!(
        !rules_fired(&report).contains(&"implied-recognition"),
        "implied-recognition must not fire: {:?}",
        rules_fired(&report)
    );
    assert!(
        report.findings.is_empty(),
        "no rule fires in any period: {:?}",
        rules_fired(&report)
    );
    // In 1975 the liaison offices are open and recognition is not given.
    let in_1975 = report_at(US_PRC, Some("1975-01-01"));
    assert!(!claim_holds(
        &in_1975,
        "The liaison offices have given way to the embassies"
    ));
    assert!(!claim_holds(
        &in_1975,
        "Both states are represented by ambassadors once the embassies open"
    ));

    // The what-if: an ambassador accredited to the PRC in May 1973.
    let s = scenario(US_PRC);
    let outcome = propose(
        &s,
        &s.proposals,
        US_PRC,
        &rules(),
        &CheckOptions::default(),
        Severity::Error,
    )
    .unwrap();
    let bruce = outcome
        .proposals
        .iter()
        .find(|p| p.id == "bruce-as-ambassador")
        .unwrap();
    assert_eq!(bruce.verdict, Verdict::Breaks);
    assert!(
        bruce
            .introduced
            .iter()
            .any(|f| f.rule == "implied-recognition" && f.subject == ids(&["usa-lo-chn"]))
    );
}

/// Turkey–Israel: both downgrades left acting heads (no class) on at least
/// one side, so `rank-parity` never fires, even in the weeks when one side
/// had an ambassador and the other did not.
#[test]
fn turkey_israel_rank_parity_never_fires() {
    let report = history(TUR_ISR);
    assert!(
        !rules_fired(&report).contains(&"rank-parity"),
        "rank-parity must not fire: {:?}",
        rules_fired(&report)
    );
    assert!(
        report.findings.is_empty(),
        "no rule fires in any period: {:?}",
        rules_fired(&report)
    );
    let both = "Both states are represented by ambassadors again from 11 January 2023";
    // Ambassadors on both sides between the exchanges of December 2016 and
    // the recalls of May 2018, and again from January 2023; not in between.
    for (date, expected) in [
        ("2012-06-01", false), // second-secretary level
        ("2016-12-08", false), // Israel's ambassador in, Turkey's not yet
        ("2017-06-01", true),
        ("2019-06-01", false), // after the recalls of May 2018
        ("2022-12-30", false), // Israel's ambassador in, Turkey's not yet
        ("2023-01-11", true),
    ] {
        let r = report_at(TUR_ISR, Some(date));
        assert_eq!(claim_holds(&r, both), expected, "on {date}");
        assert!(
            r.findings.iter().all(|f| f.rule != "rank-parity"),
            "rank-parity on {date}"
        );
    }
}

/// Canada–India: 62 against 21 breaks staff parity until the 41 leave on
/// 19 October 2023; 21 against 21 does not.
#[test]
fn canada_india_staff_parity_fires_until_the_withdrawal() {
    let report = history(CAN_IND);
    let entry = report
        .findings
        .iter()
        .find(|f| f.rule == "staff-parity")
        .expect("staff-parity fires");
    assert_eq!(entry.subject, ids(&["can-in-ind", "ind-in-can"]));
    assert_eq!(entry.severity, Severity::Warning);
    assert_eq!(entry.periods, vec![period("2023-10", "2023-10-19")]);
    assert_eq!(
        entry.message,
        "Canada has 62 diplomats in India, but India has 21 in Canada (ratio 2.952, above 1.5)"
    );
    // Nothing else fires (the unrecorded heads are waived).
    assert_eq!(rules_fired(&report), vec!["staff-parity"]);
    let after = report_at(CAN_IND, Some("2023-10-19"));
    assert!(after.findings.iter().all(|f| f.rule != "staff-parity"));
}

// ---------------------------------------------------------------------------
// Snapshots of the timelines.
// ---------------------------------------------------------------------------

#[test]
fn snapshot_uk_prc_timeline_human() {
    insta::assert_snapshot!(human::render_timeline(&history(UK_PRC)));
}

#[test]
fn snapshot_uk_prc_timeline_json() {
    insta::assert_snapshot!(json::value(&history(UK_PRC)));
}

#[test]
fn snapshot_us_prc_timeline_human() {
    insta::assert_snapshot!(human::render_timeline(&history(US_PRC)));
}

#[test]
fn snapshot_us_prc_timeline_json() {
    insta::assert_snapshot!(json::value(&history(US_PRC)));
}

#[test]
fn snapshot_turkey_israel_timeline_human() {
    insta::assert_snapshot!(human::render_timeline(&history(TUR_ISR)));
}

#[test]
fn snapshot_turkey_israel_timeline_json() {
    insta::assert_snapshot!(json::value(&history(TUR_ISR)));
}

#[test]
fn snapshot_canada_india_timeline_human() {
    insta::assert_snapshot!(human::render_timeline(&history(CAN_IND)));
}

#[test]
fn snapshot_canada_india_timeline_json() {
    insta::assert_snapshot!(json::value(&history(CAN_IND)));
}
