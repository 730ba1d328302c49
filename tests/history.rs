//! Historical fixtures from public record: every claim holds at the fixture's
//! `as_of`, the key finding of each case is asserted on the timeline's
//! periods, and each timeline is snapshot-tested (human and JSON). Where no
//! standard rule fires, rules of the tests' own (`PROBES`) observe what the
//! fixture records, so that its timeline still pins the periods.
// Test helpers outside #[test] functions report failures by panicking.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::engine::propose::{Verdict, propose};
use parity::engine::timeline::{Period, TimelineReport, change_points, timeline};
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
const SAU_IRN: &str = "fixtures/saudi-iran-2016-2023.yaml";
const USA_CUB: &str = "fixtures/us-cuba-1961-2015.yaml";
const ALL: [&str; 6] = [UK_PRC, US_PRC, TUR_ISR, CAN_IND, SAU_IRN, USA_CUB];

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

/// Rules of the tests' own that observe what the fixtures record (who heads
/// each mission at what rank, which offices are open, what is recognised),
/// so that a fixture where no standard rule fires still has a timeline whose
/// periods pin the period logic: half-open periods, partial dates, several
/// periods of one finding, "since ever" and "still".
const PROBES: &str = r#"
rule headed-by-class-1 {
  title    "Embassy headed by an ambassador (class 1)"
  severity info
  cite     "tests/history.rs"
  for m in missions
  where m.kind == embassy and class(m.head.rank) == 1
  message "{m.id}: {m.head.rank}"
}

rule headed-by-charge-en-pied {
  title    "Embassy headed by a chargé d'affaires en pied (class 3)"
  severity info
  cite     "tests/history.rs"
  for m in missions
  where m.kind == embassy and class(m.head.rank) == 3
  message "{m.id}: {m.head.rank}"
}

rule headed-ad-interim {
  title    "Embassy headed by a chargé d'affaires a.i."
  severity info
  cite     "tests/history.rs"
  for m in missions
  where m.kind == embassy and m.head.rank == charge-d-affaires-ai
  message "{m.id}: {m.head.rank}"
}

rule liaison-office-open {
  title    "Liaison office open"
  severity info
  cite     "tests/history.rs"
  for m in missions
  where m.kind == liaison-office
  message "{m.id}: headed by {m.head.rank}"
}

rule unreciprocated-embassy {
  title    "Embassy with no embassy of the receiver in return"
  severity info
  cite     "tests/history.rs"
  for m in missions
  where m.kind == embassy
  require exists(r in missions where r.kind == embassy and r.sender == m.receiver and r.receiver == m.sender)
  message "{m.id}: no embassy of {m.receiver.name} in {m.sender.name}"
}

rule host-not-recognised {
  title    "Mission to a government its sender does not recognise de jure"
  severity info
  cite     "tests/history.rs"
  for m in missions
  require recognition(m.sender, m.receiver.government) == de-jure
  message "{m.id}: {recognition(m.sender, m.receiver.government)}"
}

rule credentials-awaited {
  title    "Head of class 1 or 2 in office before presenting credentials"
  severity info
  cite     "tests/history.rs"
  for m in missions
  where class(m.head.rank) in [1, 2] and m.head.credentials.on > as_of
  message "{m.id}: credentials on {m.head.credentials.on}"
}

rule unequal-ranks {
  title    "Reciprocal embassies headed at different ranks"
  severity info
  cite     "tests/history.rs"
  subject  m, r
  for m in missions, r in missions
  where m.kind == embassy
    and r.kind == embassy
    and r.sender == m.receiver
    and r.receiver == m.sender
    and m.id < r.id
    and m.head != none
    and r.head != none
  require m.head.rank == r.head.rank
  message "{m.id}: {m.head.rank}; {r.id}: {r.head.rank}"
}
"#;

/// The standard rules and the probes.
fn with_probes() -> RuleSet {
    let mut rules = rules();
    let mut diags = Vec::new();
    rules.add_text(PROBES, "probes.rules", &mut diags);
    assert!(diags.is_empty(), "probes: {diags:#?}");
    rules
}

/// The timeline under the standard rules and the probes.
fn probed(file: &str) -> TimelineReport {
    let rules = with_probes();
    timeline(
        &scenario(file),
        &rules,
        None,
        None,
        &CheckOptions::default(),
    )
    .unwrap_or_else(|d| panic!("timeline of {file} failed: {d:#?}"))
}

/// (from, until) as written; `None` is "since ever" / "still".
type Span<'a> = (Option<&'a str>, Option<&'a str>);

/// A `Span` that owns its dates.
type OwnedSpan = (Option<String>, Option<String>);

/// Every finding of a timeline as (rule, subject, periods), in report order.
fn entries(report: &TimelineReport) -> Vec<(&str, String, Vec<Span<'_>>)> {
    report
        .findings
        .iter()
        .map(|f| {
            let periods = f
                .periods
                .iter()
                .map(|p| (p.from.as_deref(), p.until.as_deref()))
                .collect();
            (f.rule.as_str(), f.subject.join(" "), periods)
        })
        .collect()
}

fn points(file: &str) -> Vec<String> {
    change_points(&scenario(file))
        .iter()
        .map(|d| d.to_string())
        .collect()
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
/// 13 March 1972: rank parity is never broken. Only `credentials-pending`
/// fires, from day 91 of the ambassadors' tenure: the fixture records no
/// presentation of their credentials.
#[test]
fn uk_prc_rank_parity_holds_throughout() {
    let report = history(UK_PRC);
    assert_eq!(
        rules_fired(&report),
        ["credentials-pending", "credentials-pending"],
        "no other rule fires in any period"
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
/// had an ambassador and the other did not; `prolonged-acting-head` does.
#[test]
fn turkey_israel_rank_parity_never_fires() {
    let report = history(TUR_ISR);
    assert!(
        !rules_fired(&report).contains(&"rank-parity"),
        "rank-parity must not fire: {:?}",
        rules_fired(&report)
    );
    // Only `prolonged-acting-head`: Turkey's embassy led a.i. for more than
    // a year while Israel kept an ambassador (before the expulsion of
    // September 2011, and in the weeks before each exchange of ambassadors).
    assert_eq!(
        rules_fired(&report),
        ["prolonged-acting-head"],
        "no other rule fires in any period"
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

/// Saudi Arabia–Iran: relations severed from 3 January 2016; no embassy of
/// either in the other until Iran's reopens on 6 June 2023, after the
/// agreement of 10 March and the resumption of 6 April.
#[test]
fn saudi_iran_no_embassy_is_open_during_the_break() {
    let none_open = "No embassy is open while relations are severed";
    let resumed =
        "Relations are established again (announced with immediate effect on 6 April 2023)";
    let both = "Both states are represented by ambassadors from 5 September 2023";
    for (date, relations_again, ambassadors) in [
        ("2016-01-03", false, false),
        ("2020-01-01", false, false),
        ("2023-03-09", false, false),
        ("2023-03-10", false, false), // agreed, not yet resumed: no record holds
        ("2023-04-06", true, false),
        ("2023-06-06", true, false), // Iran's embassy reopens, a chargé a.i.
        ("2023-09-04", true, false),
        ("2023-09-05", true, true),
    ] {
        let r = report_at(SAU_IRN, Some(date));
        assert!(claim_holds(&r, none_open), "on {date}");
        assert_eq!(claim_holds(&r, resumed), relations_again, "on {date}");
        assert_eq!(claim_holds(&r, both), ambassadors, "on {date}");
        assert_eq!(r.summary.errors, 0, "on {date}: {:#?}", r.findings);
    }
}

/// US–Cuba: every interests section sits in its protecting power's
/// embassy (the Swiss one in Havana; in Washington the Czechoslovak one,
/// then from 1 April 1991 the Swiss one), and no embassy of either state is
/// open in the other while relations are broken.
#[test]
fn us_cuba_interests_sections_sit_in_the_protecting_powers_embassies() {
    let protected = "Every interests section sits in its protecting power's embassy";
    let none_open = "No embassy is open while relations are broken";
    let gone = "The interests sections have given way to the embassies";
    for (date, sections) in [
        ("1961-01-03", false),
        ("1977-09-01", true),
        ("1991-03-31", true),
        ("1991-04-01", true),
        ("2015-07-19", true),
        ("2015-07-20", false),
    ] {
        let r = report_at(USA_CUB, Some(date));
        assert!(claim_holds(&r, protected), "on {date}");
        assert!(claim_holds(&r, none_open), "on {date}");
        assert_eq!(!claim_holds(&r, gone), sections, "on {date}");
        assert_eq!(r.summary.errors, 0, "on {date}: {:#?}", r.findings);
    }
    // The Cuban section's protecting power changes on 1 April 1991: two
    // records, one per protecting power, each open only in its own period.
    let s = scenario(USA_CUB);
    let power = |id: &str| {
        s.missions
            .iter()
            .find(|m| m.id.value == id)
            .and_then(|m| m.protecting_power.as_ref())
            .map(|p| p.value.clone())
    };
    assert_eq!(power("usa-is-in-cub").as_deref(), Some("CHE"));
    assert_eq!(power("cub-is-in-usa-csk").as_deref(), Some("CSK"));
    assert_eq!(power("cub-is-in-usa").as_deref(), Some("CHE"));
}

/// `scenario(file)` with `from` replaced by `to` in its text (which must
/// occur once): the record as it would be had one fact been otherwise.
fn altered(file: &str, from: &str, to: &str) -> Scenario {
    altered_all(file, &[(from, to)])
}

/// `altered` for several replacements, applied in order.
fn altered_all(file: &str, changes: &[(&str, &str)]) -> Scenario {
    let mut text = std::fs::read_to_string(file).unwrap();
    for (from, to) in changes {
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {file}");
        text = text.replace(from, to);
    }
    load_str(&text, file, &YamlLimits::default()).unwrap_or_else(|d| panic!("{d:#?}"))
}

fn timeline_of(s: &Scenario) -> TimelineReport {
    timeline(s, &rules(), None, None, &CheckOptions::default()).unwrap()
}

/// The periods of one rule's finding about `subject` (space-separated ids).
fn periods_of<'a>(report: &'a TimelineReport, rule: &str, subject: &str) -> Vec<Span<'a>> {
    entries(report)
        .into_iter()
        .filter(|(r, s, _)| *r == rule && s == subject)
        .flat_map(|(_, _, periods)| periods)
        .collect()
}

/// Saudi Arabia–Iran under the standard rules: no embassy in the break, so
/// `mission-without-relations` never fires; what does fire are the two gaps
/// of the record its header names (no head recorded for Saudi Arabia's
/// embassy in its first month, no credentials recorded for Iran's
/// ambassador).
#[test]
fn saudi_iran_findings_are_the_records_gaps_and_nothing_in_the_break() {
    let report = history(SAU_IRN);
    assert_eq!(
        entries(&report),
        [
            (
                "credentials-pending",
                "irn-in-sau".to_string(),
                vec![(Some("2023-12-05"), None)]
            ),
            (
                "head-vacant",
                "sau-in-irn".to_string(),
                vec![(Some("2023-08-06"), Some("2023-09-05"))]
            ),
        ]
    );
    // Had Iran's embassy stayed open through the break, the relation record
    // makes it an error from the day of the break to the agreement.
    let kept = altered(
        SAU_IRN,
        "from: 2023-06-06               # ifp-2023, zawya-2023: re-opened",
        "from: 2016-01-03               # hypothetical: kept open",
    );
    let report = timeline_of(&kept);
    assert_eq!(
        periods_of(&report, "mission-without-relations", "irn-in-sau"),
        [(Some("2016-01-03"), Some("2023-03-10"))]
    );
    // The fixture's own what-if says the same through `propose`.
    let s = scenario(SAU_IRN);
    let outcome = propose(
        &s,
        &s.proposals,
        SAU_IRN,
        &rules(),
        &CheckOptions::default(),
        Severity::Error,
    )
    .unwrap();
    let left_open = &outcome.proposals[0];
    assert_eq!(left_open.id, "embassy-left-open");
    assert_eq!(left_open.verdict, Verdict::Breaks);
    assert_eq!(
        left_open
            .introduced
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.rule.as_str(), f.subject.clone()))
            .collect::<Vec<_>>(),
        [("mission-without-relations", ids(&["irn-in-sau-kept"]))]
    );
}

/// US–Cuba under the standard rules: the interests sections are excepted
/// from `mission-without-relations`, and each has its protecting power's
/// embassy, so neither rule fires; without the protecting power, or with an
/// embassy opened before relations were restored, they would.
#[test]
fn us_cuba_rules_see_the_protecting_powers_and_the_break() {
    let report = history(USA_CUB);
    let fired = rules_fired(&report);
    for rule in [
        "mission-without-relations",
        "interests-section-without-protecting-power",
        "rank-parity",
        "credentials-pending",
        "head-vacant",
    ] {
        assert!(!fired.contains(&rule), "{rule} fires: {fired:?}");
    }
    // The asymmetry of 2015: the US embassy led a.i. from 20 July 2015
    // against Cuba's ambassador from 17 September; more than 365 days from
    // 20 July 2016 (2016 has a 29 February), and still (no end recorded).
    assert_eq!(
        entries(&report),
        [(
            "prolonged-acting-head",
            "usa-in-cub".to_string(),
            vec![(Some("2016-07-20"), None)]
        )]
    );
    for (date, fires) in [("2016-07-19", false), ("2016-07-20", true)] {
        let r = report_at(USA_CUB, Some(date));
        let found = r.findings.iter().any(|f| f.rule == "prolonged-acting-head");
        assert_eq!(found, fires, "on {date}");
    }
    // The US section without its protecting power: a warning for its whole
    // life.
    let unprotected = altered(
        USA_CUB,
        "    protecting_power: CHE          # fdfa-1977, wiki-usint\n",
        "",
    );
    assert_eq!(
        periods_of(
            &timeline_of(&unprotected),
            "interests-section-without-protecting-power",
            "usa-is-in-cub"
        ),
        [(Some("1977-09-01"), Some("2015-07-20"))]
    );
    // Switzerland with no embassy in Washington (its mission there a
    // consulate instead): Cuba's Swiss-protected section is reported, its
    // Czechoslovak-protected one is not.
    let no_swiss_embassy = altered(
        USA_CUB,
        "  - id: che-in-usa\n    sender: CHE\n    receiver: USA\n    kind: embassy\n",
        "  - id: che-in-usa\n    sender: CHE\n    receiver: USA\n    kind: consulate-general\n",
    );
    let report = timeline_of(&no_swiss_embassy);
    assert_eq!(
        periods_of(
            &report,
            "interests-section-without-protecting-power",
            "cub-is-in-usa"
        ),
        [(Some("1991-04-01"), Some("2015-07-20"))]
    );
    assert!(
        periods_of(
            &report,
            "interests-section-without-protecting-power",
            "cub-is-in-usa-csk"
        )
        .is_empty()
    );
    // The US embassy opened before relations were restored: an error until
    // 20 July 2015, not after.
    let early = altered(
        USA_CUB,
        "    from: 2015-07-20               # wiki-usint, fdfa-mandates\n    source: wiki-usint\n    heads:\n      # mercopress-2015: \"The United States",
        "    from: 2015-01-01\n    source: wiki-usint\n    heads:\n      # mercopress-2015: \"The United States",
    );
    assert_eq!(
        periods_of(
            &timeline_of(&early),
            "mission-without-relations",
            "usa-in-cub"
        ),
        [(Some("2015-01-01"), Some("2015-07-20"))]
    );
}

/// Turkey–Israel: Na'eh, told to leave on 15 May 2018 with no notice
/// recorded, left on 16 May, so `persona-non-grata-in-office` does not
/// fire; had he stayed until 20 May it would, from 16 May.
#[test]
fn turkey_israel_persona_non_grata_left_in_time() {
    let report = history(TUR_ISR);
    assert!(!rules_fired(&report).contains(&"persona-non-grata-in-office"));
    let stayed = altered_all(
        TUR_ISR,
        &[
            (
                "until: 2018-05-16          # worldbulletin-2018, ahval-2018: left on 16 May",
                "until: 2018-05-20          # hypothetical",
            ),
            (
                "from: 2018-05-16           # worldbulletin-2018",
                "from: 2018-05-20           # hypothetical",
            ),
        ],
    );
    assert_eq!(
        periods_of(
            &timeline_of(&stayed),
            "persona-non-grata-in-office",
            "isr-in-tur"
        ),
        [(Some("2018-05-16"), Some("2018-05-20"))]
    );
}

/// Canada–India: `staff-parity` compares each side's total over all its
/// open missions (design §7). A hypothetical Canadian consulate (synthetic,
/// not in the record) opened on 19 October 2023 adds to Canada's 21: 10
/// more is within 1.5 × 21, 11 more is not; and a consulate with no count
/// leaves Canada's total unknown, so the rule says nothing.
#[test]
fn canada_india_staff_parity_counts_every_mission_of_a_side() {
    let with_consulate = |from: &str, staff: &str| {
        altered(
            CAN_IND,
            "  # India's High Commission in Ottawa.\n",
            &format!(
                "  - {{ id: can-cg-synthetic, sender: CAN, receiver: IND, kind: consulate-general, from: {from}{staff} }}\n  # India's High Commission in Ottawa.\n"
            ),
        )
    };
    let staff_parity = |s: &Scenario| -> Vec<(String, Vec<OwnedSpan>)> {
        timeline_of(s)
            .findings
            .iter()
            .filter(|f| f.rule == "staff-parity")
            .map(|f| {
                let periods = f
                    .periods
                    .iter()
                    .map(|p| (p.from.clone(), p.until.clone()))
                    .collect();
                (f.subject.join(" "), periods)
            })
            .collect()
    };
    let the_62 = (
        "can-in-ind ind-in-can".to_string(),
        vec![(Some("2023-10".to_string()), Some("2023-10-19".to_string()))],
    );
    // 31 against 21 (ratio 1.476): only the 62 of early October.
    let ten = with_consulate("2023-10-19", ", staff: [{ diplomats: 10 }]");
    assert_eq!(staff_parity(&ten), std::slice::from_ref(&the_62));
    // 32 against 21 (ratio 1.524): from the consulate's opening, its
    // subject every mission counted.
    let eleven = with_consulate("2023-10-19", ", staff: [{ diplomats: 11 }]");
    assert_eq!(
        staff_parity(&eleven),
        [
            (
                "can-cg-synthetic can-in-ind ind-in-can".to_string(),
                vec![(Some("2023-10-19".to_string()), None)]
            ),
            the_62,
        ]
    );
    // A consulate with no count, open from the start of October: Canada's
    // total is unknown throughout, and not even the 62 are compared.
    let uncounted = with_consulate("2023-10", "");
    assert!(staff_parity(&uncounted).is_empty());
}

// ---------------------------------------------------------------------------
// (c) The periods of what each fixture records, read through the probes.
// ---------------------------------------------------------------------------

/// UK–PRC: the British mission from February 1950 (hansard-1957) under a
/// chargé, alone until the Chinese one of June 1954 (time-1954); both
/// chargés give way to ambassadors on 13 March 1972 (communique-1972).
#[test]
fn uk_prc_periods_of_charges_and_ambassadors() {
    assert_eq!(
        points(UK_PRC),
        ["1950-01-06", "1950-02", "1954-06", "1972-03-13"]
    );
    let report = probed(UK_PRC);
    // Since ever, each change point, and the dates the standard rules derive
    // from them (days 90/91 and 365/366 after, the day after).
    assert_eq!(report.evaluations, 25);
    assert_eq!(
        entries(&report),
        [
            // The fixture records no credentials for the 1972 ambassadors:
            // from day 91 in office, `credentials-pending` says so.
            (
                "credentials-pending",
                "chn-in-gbr".to_string(),
                vec![(Some("1972-06-12"), None)]
            ),
            (
                "credentials-pending",
                "gbr-in-chn".to_string(),
                vec![(Some("1972-06-12"), None)]
            ),
            (
                "headed-by-charge-en-pied",
                "chn-in-gbr".to_string(),
                vec![(Some("1954-06"), Some("1972-03-13"))]
            ),
            (
                "headed-by-charge-en-pied",
                "gbr-in-chn".to_string(),
                vec![(Some("1950-02"), Some("1972-03-13"))]
            ),
            (
                "headed-by-class-1",
                "chn-in-gbr".to_string(),
                vec![(Some("1972-03-13"), None)]
            ),
            (
                "headed-by-class-1",
                "gbr-in-chn".to_string(),
                vec![(Some("1972-03-13"), None)]
            ),
            (
                "unreciprocated-embassy",
                "gbr-in-chn".to_string(),
                vec![(Some("1950-02"), Some("1954-06"))]
            ),
        ],
        "only credentials-pending of the standard rules fires, and the probes hold exactly then"
    );
}

/// US–PRC: liaison offices from May 1973 to 1 March 1979; the US office in
/// a capital whose government the US did not recognise until 1 January 1979
/// (communique-1979); Woodcock in post from 1 March, credentials on 7 March
/// (usembassy-ambassadors).
#[test]
fn us_prc_periods_of_liaison_offices_recognition_and_credentials() {
    assert_eq!(
        points(US_PRC),
        [
            "1973-05",
            "1973-05-13",
            "1979-01-01",
            "1979-03-01",
            "1979-03-07"
        ]
    );
    let report = probed(US_PRC);
    // With the dates the standard rules derive (see UK–PRC).
    assert_eq!(report.evaluations, 31);
    assert_eq!(
        entries(&report),
        [
            (
                "credentials-awaited",
                "usa-in-chn".to_string(),
                vec![(Some("1979-03-01"), Some("1979-03-07"))]
            ),
            (
                "headed-by-class-1",
                "chn-in-usa".to_string(),
                vec![(Some("1979-03-01"), None)]
            ),
            (
                "headed-by-class-1",
                "usa-in-chn".to_string(),
                vec![(Some("1979-03-01"), None)]
            ),
            (
                "host-not-recognised",
                "usa-lo-chn".to_string(),
                vec![(Some("1973-05-13"), Some("1979-01-01"))]
            ),
            (
                "liaison-office-open",
                "chn-lo-usa".to_string(),
                vec![(Some("1973-05"), Some("1979-03-01"))]
            ),
            (
                "liaison-office-open",
                "usa-lo-chn".to_string(),
                vec![(Some("1973-05-13"), Some("1979-03-01"))]
            ),
        ]
    );
}

/// Turkey–Israel: each side's acting heads, and the windows when one side
/// had an ambassador and the other an acting head (rank-parity compares
/// classes and the acting head has none: see turkey_israel_rank_parity_never_fires).
#[test]
fn turkey_israel_periods_of_acting_heads_and_unequal_ranks() {
    assert_eq!(
        points(TUR_ISR),
        [
            "2010-06",
            "2011-09-02",
            "2016-12-05",
            "2016-12-12",
            "2018-05-14",
            "2018-05-15",
            "2018-05-16",
            "2022-12-27",
            "2023-01-11"
        ]
    );
    let report = probed(TUR_ISR);
    // With the dates the standard rules derive (see UK–PRC).
    assert_eq!(report.evaluations, 49);
    assert_eq!(
        entries(&report),
        [
            (
                "headed-ad-interim",
                "isr-in-tur".to_string(),
                vec![
                    (Some("2011-09-02"), Some("2016-12-05")),
                    (Some("2018-05-16"), Some("2022-12-27"))
                ]
            ),
            (
                "headed-ad-interim",
                "tur-in-isr".to_string(),
                vec![
                    (Some("2010-06"), Some("2016-12-12")),
                    (Some("2018-05-14"), Some("2023-01-11"))
                ]
            ),
            (
                "headed-by-class-1",
                "isr-in-tur".to_string(),
                vec![
                    (None, Some("2011-09-02")),
                    (Some("2016-12-05"), Some("2018-05-16")),
                    (Some("2022-12-27"), None)
                ]
            ),
            (
                "headed-by-class-1",
                "tur-in-isr".to_string(),
                vec![
                    (None, Some("2010-06")),
                    (Some("2016-12-12"), Some("2018-05-14")),
                    (Some("2023-01-11"), None)
                ]
            ),
            // Turkey's embassy led a.i. for more than a year (from 2010-06,
            // and again from 2018-05-14) while Israel's was led by an ambassador.
            (
                "prolonged-acting-head",
                "tur-in-isr".to_string(),
                vec![
                    (Some("2011-06-02"), Some("2011-09-02")),
                    (Some("2016-12-05"), Some("2016-12-12")),
                    (Some("2022-12-27"), Some("2023-01-11"))
                ]
            ),
            (
                "unequal-ranks",
                "isr-in-tur tur-in-isr".to_string(),
                vec![
                    (Some("2010-06"), Some("2011-09-02")),
                    (Some("2016-12-05"), Some("2016-12-12")),
                    (Some("2018-05-14"), Some("2018-05-16")),
                    (Some("2022-12-27"), Some("2023-01-11"))
                ]
            ),
        ]
    );
}

#[test]
fn a_window_narrows_the_periods_to_it() {
    // Turkey–Israel between 2016 and 2019: periods are cut at the window's
    // ends, which are written as given, and nothing before 2016 shows.
    let from = Date::parse("2016-01-01").unwrap();
    let until = Date::parse("2019-01-01").unwrap();
    let report = timeline(
        &scenario(TUR_ISR),
        &with_probes(),
        Some(from),
        Some(until),
        &CheckOptions::default(),
    )
    .unwrap();
    // 2016-01-01, then the four change points inside the window and the
    // dates the standard rules derive from every change point.
    assert_eq!(report.evaluations, 21);
    let unequal = entries(&report)
        .into_iter()
        .find(|(rule, _, _)| *rule == "unequal-ranks")
        .unwrap();
    assert_eq!(
        unequal.2,
        [
            (Some("2016-12-05"), Some("2016-12-12")),
            (Some("2018-05-14"), Some("2018-05-16"))
        ]
    );
    let acting = entries(&report)
        .into_iter()
        .filter(|(rule, _, _)| *rule == "headed-ad-interim")
        .map(|(_, subject, periods)| (subject, periods))
        .collect::<Vec<_>>();
    assert_eq!(
        acting,
        [
            (
                "isr-in-tur".to_string(),
                vec![
                    (Some("2016-01-01"), Some("2016-12-05")),
                    (Some("2018-05-16"), Some("2019-01-01"))
                ]
            ),
            (
                "tur-in-isr".to_string(),
                vec![
                    (Some("2016-01-01"), Some("2016-12-12")),
                    (Some("2018-05-14"), Some("2019-01-01"))
                ]
            ),
        ]
    );
}

// ---------------------------------------------------------------------------
// Snapshots of the timelines.
// ---------------------------------------------------------------------------

#[test]
fn snapshot_uk_prc_timeline_with_probes_human() {
    insta::assert_snapshot!(human::render_timeline(&probed(UK_PRC)));
}

#[test]
fn snapshot_uk_prc_timeline_with_probes_json() {
    insta::assert_snapshot!(json::value(&probed(UK_PRC)));
}

#[test]
fn snapshot_us_prc_timeline_with_probes_human() {
    insta::assert_snapshot!(human::render_timeline(&probed(US_PRC)));
}

#[test]
fn snapshot_us_prc_timeline_with_probes_json() {
    insta::assert_snapshot!(json::value(&probed(US_PRC)));
}

#[test]
fn snapshot_turkey_israel_timeline_with_probes_human() {
    insta::assert_snapshot!(human::render_timeline(&probed(TUR_ISR)));
}

#[test]
fn snapshot_turkey_israel_timeline_with_probes_json() {
    insta::assert_snapshot!(json::value(&probed(TUR_ISR)));
}

#[test]
fn snapshot_canada_india_timeline_human() {
    insta::assert_snapshot!(human::render_timeline(&history(CAN_IND)));
}

#[test]
fn snapshot_canada_india_timeline_json() {
    insta::assert_snapshot!(json::value(&history(CAN_IND)));
}

#[test]
fn snapshot_saudi_iran_timeline_human() {
    insta::assert_snapshot!(human::render_timeline(&history(SAU_IRN)));
}

#[test]
fn snapshot_saudi_iran_timeline_json() {
    insta::assert_snapshot!(json::value(&history(SAU_IRN)));
}

#[test]
fn snapshot_us_cuba_timeline_human() {
    insta::assert_snapshot!(human::render_timeline(&history(USA_CUB)));
}

#[test]
fn snapshot_us_cuba_timeline_json() {
    insta::assert_snapshot!(json::value(&history(USA_CUB)));
}

/// What `timeline` evaluates at each point (`Prepared::messages_at`: the
/// findings without their evidence, which a timeline never shows) is
/// `check`'s report at that date with the evidence left out, on every
/// fixture at every change point.
#[test]
fn a_timelines_findings_at_each_point_are_checks_without_evidence() {
    let rules = rules();
    let budget = CheckOptions::default().budget;
    let mut fixtures: Vec<&str> = ALL.to_vec();
    fixtures.push("fixtures/kabul-2024-09.yaml");
    let mut with_evidence = 0;
    for file in fixtures {
        let scenario = scenario(file);
        let prepared = parity::engine::Prepared::new(&scenario, &rules).unwrap();
        for point in change_points(&scenario) {
            let full = prepared.check_at(&rules, point, budget).unwrap();
            let fast = prepared.messages_at(&rules, point, budget).unwrap();
            let mut stripped = full.clone();
            for finding in stripped
                .findings
                .iter_mut()
                .chain(stripped.waived.iter_mut().map(|w| &mut w.finding))
            {
                with_evidence += usize::from(!finding.evidence.is_empty());
                finding.evidence.clear();
                finding.focus = None;
            }
            assert_eq!(fast, stripped, "{file} at {point}");
        }
    }
    assert!(
        with_evidence > 100,
        "only {with_evidence} findings had evidence to leave out"
    );
}
