//! Proposals, suggestions and timelines on the Kabul fixture: the seed
//! article's question, "ambassador or chargé d'affaires?", answered.
// Test helpers outside #[test] functions report failures by panicking.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::engine::propose::{ProposalsReport, SuggestReport, Verdict, propose, suggest};
use parity::engine::timeline::{Period, TimelineReport, timeline};
use parity::lang::ast::Severity;
use parity::report::{human, json};
use parity::scenario::date::Date;
use parity::scenario::load::{load_proposals_str, load_str};
use parity::scenario::model::{Rank, Scenario};
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet};

const FILE: &str = "fixtures/kabul-2024-09.yaml";

fn scenario() -> Scenario {
    let text = std::fs::read_to_string(FILE).unwrap();
    load_str(&text, FILE, &YamlLimits::default()).unwrap()
}

fn rules() -> RuleSet {
    RuleSet::standard().unwrap()
}

fn proposals() -> ProposalsReport {
    let s = scenario();
    propose(
        &s,
        &s.proposals,
        FILE,
        &rules(),
        &CheckOptions::default(),
        Severity::Error,
    )
    .unwrap()
}

fn suggestion() -> SuggestReport {
    let on = Date::parse("2024-10-01").unwrap();
    suggest(
        &scenario(),
        &rules(),
        "kaz-in-afg",
        on,
        None,
        &CheckOptions::default(),
        Severity::Error,
    )
    .unwrap()
}

fn history() -> TimelineReport {
    timeline(&scenario(), &rules(), None, None, &CheckOptions::default()).unwrap()
}

fn rules_of(findings: &[parity::report::Finding]) -> Vec<(&str, Vec<String>)> {
    findings
        .iter()
        .map(|f| (f.rule.as_str(), f.subject.clone()))
        .collect()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn an_ambassador_breaks_parity_and_implies_recognition_a_charge_does_not() {
    let report = proposals();
    let ambassador = &report.proposals[0];
    assert_eq!(ambassador.id, "kaz-sends-ambassador");
    let introduced = rules_of(&ambassador.introduced);
    assert!(
        introduced.contains(&("rank-parity", ids(&["afg-in-kaz", "kaz-in-afg"]))),
        "{introduced:?}"
    );
    assert!(
        introduced.contains(&("implied-recognition", ids(&["kaz-in-afg"]))),
        "{introduced:?}"
    );
    assert_eq!(ambassador.verdict, Verdict::Breaks);

    let charge = &report.proposals[1];
    assert_eq!(charge.id, "kaz-sends-charge");
    let introduced = rules_of(&charge.introduced);
    assert!(
        !introduced
            .iter()
            .any(|(r, _)| *r == "rank-parity" || *r == "implied-recognition"),
        "{introduced:?}"
    );
    assert_eq!(charge.verdict, Verdict::Ok);

    for outcome in &report.proposals {
        assert_eq!(
            rules_of(&outcome.resolved),
            vec![("head-vacant", ids(&["kaz-in-afg"]))]
        );
    }
    assert!(report.fails());
}

#[test]
fn suggest_recommends_a_charge_d_affaires_and_says_why_not_an_ambassador() {
    let report = suggestion();
    assert_eq!(report.recommended, Some(Rank::ChargeDAffaires));
    assert_eq!(report.credentials_to.as_deref(), Some("islamic-emirate"));
    assert!(
        report.reason.contains("an ambassador would introduce"),
        "{}",
        report.reason
    );
    assert!(report.reason.contains("rank-parity"), "{}", report.reason);
    assert!(
        report.reason.contains("implied-recognition"),
        "{}",
        report.reason
    );
    let ambassador = report
        .trials
        .iter()
        .find(|t| t.rank == Rank::Ambassador)
        .unwrap();
    assert!(ambassador.breaks);
}

#[test]
fn the_timeline_shows_rank_parity_from_21_august_to_9_september() {
    let report = history();
    let entry = report
        .findings
        .iter()
        .find(|f| f.rule == "rank-parity" && f.subject == ids(&["afg-in-kaz", "kaz-in-afg"]))
        .unwrap();
    assert_eq!(
        entry.periods,
        vec![Period {
            from: Some("2024-08-21".into()),
            until: Some("2024-09-09".into())
        }]
    );
    // Evaluated at change points only (and the dates the rules derive from
    // them): far fewer than the days since 2018.
    assert!(report.evaluations < 60, "{}", report.evaluations);
}

#[test]
fn a_timeline_window_clips_the_periods() {
    let from = Date::parse("2024-09-01").ok();
    let until = Date::parse("2024-09-20").ok();
    let report = timeline(&scenario(), &rules(), from, until, &CheckOptions::default()).unwrap();
    let entry = report
        .findings
        .iter()
        .find(|f| f.rule == "rank-parity")
        .unwrap();
    assert_eq!(
        entry.periods,
        vec![Period {
            from: Some("2024-09-01".into()),
            until: Some("2024-09-09".into())
        }]
    );
    let vacant = report
        .findings
        .iter()
        .find(|f| f.rule == "head-vacant" && f.subject == ids(&["kaz-in-afg"]))
        .unwrap();
    assert_eq!(
        vacant.periods,
        vec![Period {
            from: Some("2024-09-09".into()),
            until: Some("2024-09-20".into())
        }]
    );
}

#[test]
fn proposals_can_come_from_a_separate_file() {
    let s = scenario();
    let text = "# synthetic: a desk officer's what-if\nproposals:\n  - id: kaz-sends-envoy\n    on: 2024-10-01\n    changes:\n      - appoint: { mission: kaz-in-afg, head: { rank: envoy, agrement: 2024-09-20, credentials: { to: islamic-emirate } } }\n";
    let extra = load_proposals_str(
        text,
        parity::source::SourceId(0),
        "what-if.yaml",
        &YamlLimits::default(),
        &s,
    )
    .unwrap();
    let report = propose(
        &s,
        &extra,
        "what-if.yaml",
        &rules(),
        &CheckOptions::default(),
        Severity::Error,
    )
    .unwrap();
    let introduced = rules_of(&report.proposals[0].introduced);
    assert!(introduced.contains(&("rank-parity", ids(&["afg-in-kaz", "kaz-in-afg"]))));
    // Agrément was given before the appointment: no agrement-missing.
    assert!(
        !introduced.iter().any(|(r, _)| *r == "agrement-missing"),
        "{introduced:?}"
    );
}

#[test]
fn a_proposal_on_a_missing_mission_is_a_located_input_error() {
    let s = scenario();
    let text = "proposals:\n  - id: p\n    on: 2024-10-01\n    changes:\n      - appoint: { mission: kaz-in-afgg, head: { rank: envoy } }\n";
    let errors = load_proposals_str(
        text,
        parity::source::SourceId(0),
        "what-if.yaml",
        &YamlLimits::default(),
        &s,
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "unknown-id");
    assert_eq!(errors[0].file, "what-if.yaml");
    assert_eq!(
        (errors[0].loc_in(text).line, errors[0].loc_in(text).column),
        (5, 29)
    );
    assert_eq!(
        errors[0].help.as_deref().map(|h| h.contains("kaz-in-afg")),
        Some(true)
    );
}

#[test]
fn a_change_that_overlaps_heads_is_an_input_error() {
    let s = scenario();
    // The new head claims to start before the proposal's date, while the Afghan chargé is in office.
    let text = "proposals:\n  - id: p\n    on: 2024-10-01\n    changes:\n      - appoint: { mission: afg-in-kaz, head: { rank: ambassador, from: 2024-01-01 } }\n";
    let extra = load_proposals_str(
        text,
        parity::source::SourceId(0),
        "what-if.yaml",
        &YamlLimits::default(),
        &s,
    )
    .unwrap();
    let errors = propose(
        &s,
        &extra,
        "what-if.yaml",
        &rules(),
        &CheckOptions::default(),
        Severity::Error,
    )
    .unwrap_err();
    assert_eq!(errors[0].code, "invalid-change", "{errors:#?}");
    assert!(
        errors[0]
            .message
            .contains("two heads of mission `afg-in-kaz` are in office at once"),
        "{}",
        errors[0].message
    );
}

#[test]
fn snapshot_propose_human() {
    insta::assert_snapshot!(human::render_proposals(&proposals()));
}

#[test]
fn snapshot_propose_json() {
    insta::assert_snapshot!(json::value(&proposals()));
}

#[test]
fn snapshot_suggest_human() {
    insta::assert_snapshot!(human::render_suggest(&suggestion()));
}

#[test]
fn snapshot_suggest_json() {
    insta::assert_snapshot!(json::value(&suggestion()));
}

#[test]
fn snapshot_timeline_human() {
    insta::assert_snapshot!(human::render_timeline(&history()));
}

#[test]
fn snapshot_timeline_json() {
    insta::assert_snapshot!(json::value(&history()));
}

// ---------------------------------------------------------------------------
// suggest: which ranks are offered, by the two states (design §7, VCDR
// art. 14). Synthetic states.

/// The ranks `suggest` tries for a new head of AAA's mission in BBB, where
/// AAA and BBB are written `aaa` and `bbb` (a state's keys after its id).
fn ranks_offered(aaa: &str, bbb: &str) -> Vec<Rank> {
    let text = format!(
        "# synthetic\nscenario: synthetic-suggest-ranks\nas_of: 2024-06-01\nstates:\n  - {{ id: AAA{aaa} }}\n  - {{ id: BBB{bbb} }}\nmissions:\n  - {{ id: aaa-in-bbb, sender: AAA, receiver: BBB, kind: embassy }}\n"
    );
    let scenario = load_str(&text, "s.yaml", &YamlLimits::default()).unwrap();
    suggest(
        &scenario,
        &rules(),
        "aaa-in-bbb",
        Date::parse("2024-06-01").unwrap(),
        None,
        &CheckOptions::default(),
        Severity::Error,
    )
    .unwrap()
    .trials
    .iter()
    .map(|t| t.rank)
    .collect()
}

const STATE_RANKS: [Rank; 5] = [
    Rank::Ambassador,
    Rank::Envoy,
    Rank::Minister,
    Rank::ChargeDAffaires,
    Rank::ChargeDAffairesAi,
];

#[test]
fn suggest_offers_a_high_commissioner_between_two_commonwealth_members_only() {
    let cw = ", commonwealth: true";
    assert_eq!(
        ranks_offered(cw, cw),
        [
            Rank::HighCommissioner,
            Rank::Envoy,
            Rank::Minister,
            Rank::ChargeDAffaires,
            Rank::ChargeDAffairesAi,
        ]
    );
    // One member, or none: an ambassador, never a high commissioner.
    let no = ", commonwealth: false";
    for (aaa, bbb) in [(cw, ""), ("", cw), (cw, no), (no, cw), ("", ""), (no, no)] {
        assert_eq!(ranks_offered(aaa, bbb), STATE_RANKS, "AAA{aaa}, BBB{bbb}");
    }
}

#[test]
fn suggest_offers_a_nuncio_and_an_internuncio_for_the_holy_see_only() {
    let see = ", kind: holy-see";
    let holy_see_ranks = [
        Rank::Nuncio,
        Rank::Internuncio,
        Rank::ChargeDAffaires,
        Rank::ChargeDAffairesAi,
    ];
    assert_eq!(ranks_offered(see, ""), holy_see_ranks);
    // The Holy See's ranks are its own even if it were marked Commonwealth.
    assert_eq!(
        ranks_offered(
            ", kind: holy-see, commonwealth: true",
            ", commonwealth: true"
        ),
        holy_see_ranks
    );
    // A state's (or an organisation's) head in the Holy See is an
    // ambassador: the nuncio is the Holy See's own envoy.
    assert_eq!(ranks_offered("", see), STATE_RANKS);
    assert_eq!(ranks_offered(", kind: organization", ""), STATE_RANKS);
}
