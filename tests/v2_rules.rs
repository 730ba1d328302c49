//! The standard rules of version 2 (design §7) over time: an expulsion
//! lowers a mission's staff from `on + notice_days` until a later count,
//! and the timeline has a change point there; a persona non grata still in
//! office is found from `on + notice_days + 1`, a date read from the
//! event's count, not written in the file. All data here is synthetic.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::engine::timeline::{change_points, timeline};
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::model::Scenario;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};

/// Synthetic: A's embassy in B has 10 diplomats from 2023-01-01; B expels 3
/// on 2023-10-03 with 17 days' notice (they are gone from 2023-10-20); a
/// count of 8 from 2024-01-01 replaces the lowered one. B declares A's
/// ambassador persona non grata on 2024-03-01 with 7 days to leave; she
/// leaves on 2024-03-12.
const WORLD: &str = "scenario: synthetic-expulsion
as_of: 2024-06-01
states:
  - { id: A, name: Alpha }
  - { id: B, name: Beta }
missions:
  - id: a-in-b
    sender: A
    receiver: B
    kind: embassy
    staff:
      - { diplomats: 10, from: 2023-01-01 }
      - { diplomats: 8, from: 2024-01-01 }
    heads:
      - { name: Ann Example, rank: ambassador, from: 2022-01-01, until: 2024-03-12, credentials: { to: B } }
events:
  - { id: exp-1, kind: expulsion, on: 2023-10-03, by: B, mission: a-in-b, diplomats: 3, notice_days: 17 }
  - { id: png-1, kind: persona-non-grata, on: 2024-03-01, by: B, mission: a-in-b, person: Ann Example, notice_days: 7 }
";

fn scenario() -> Scenario {
    load_str(WORLD, "t.yaml", &YamlLimits::default()).unwrap()
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// The standard rules and one rule of the test's own per staff count seen.
fn rules() -> RuleSet {
    let mut rules = RuleSet::standard().unwrap();
    let mut diags = Vec::new();
    let mut text = String::new();
    for n in [7, 8, 10] {
        text.push_str(&format!(
            "rule staff-{n} {{\n  title \"Staff {n}\"\n  severity info\n  cite \"test\"\n  for m in missions\n  where m.staff == {n}\n  message \"{{m.id}}: {{m.staff}}\"\n}}\n"
        ));
    }
    rules.add_text(&text, "staff.rules", &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    rules
}

/// The staff of `a-in-b` as rules read it on `on`.
fn staff_on(on: &str) -> Vec<String> {
    let options = CheckOptions {
        as_of: Some(date(on)),
        ..CheckOptions::default()
    };
    let report = check(&scenario(), &rules(), &options).unwrap();
    report
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("staff-"))
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn an_expulsion_lowers_the_staff_from_the_end_of_its_notice_until_a_later_count() {
    assert_eq!(staff_on("2023-10-19"), ["a-in-b: 10"], "within the notice");
    assert_eq!(staff_on("2023-10-20"), ["a-in-b: 7"], "on + notice_days");
    assert_eq!(staff_on("2023-12-31"), ["a-in-b: 7"]);
    // A count dated after the expulsion says how many stayed.
    assert_eq!(staff_on("2024-01-01"), ["a-in-b: 8"]);
}

#[test]
fn the_timeline_changes_at_the_end_of_a_notice_and_the_day_after() {
    let scenario = scenario();
    let points: Vec<String> = change_points(&scenario)
        .iter()
        .map(Date::to_string)
        .collect();
    // 2023-10-20 (exp-1) and 2024-03-08 (png-1) are written nowhere: each
    // is `on` + `notice_days`.
    assert!(points.contains(&"2023-10-20".to_string()), "{points:?}");
    assert!(points.contains(&"2024-03-08".to_string()), "{points:?}");
    let report = timeline(&scenario, &rules(), None, None, &CheckOptions::default()).unwrap();
    let periods = |rule: &str| -> Vec<(Option<String>, Option<String>)> {
        report
            .findings
            .iter()
            .filter(|e| e.rule == rule)
            .flat_map(|e| e.periods.iter().map(|p| (p.from.clone(), p.until.clone())))
            .collect()
    };
    let span = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
    assert_eq!(periods("staff-10"), [span("2023-01-01", "2023-10-20")]);
    assert_eq!(periods("staff-7"), [span("2023-10-20", "2024-01-01")]);
    assert_eq!(periods("staff-8"), [(Some("2024-01-01".to_string()), None)]);
    // Late from the day after the seven days' notice until she leaves.
    assert_eq!(
        periods("persona-non-grata-in-office"),
        [span("2024-03-09", "2024-03-12")]
    );
}

/// `subject ..., all(x in C where e)`: every record that passes joins the
/// finding's subject, after the variables and sorted by id; the canonical
/// layout keeps it; its condition is type-checked like any other.
#[test]
fn a_subject_may_hold_every_record_of_a_collection_that_passes() {
    let text = "rule senders {\n  title    \"T\"\n  severity info\n  cite     \"test\"\n  subject  s, all(x in missions where x.sender == s)\n  for s in states\n  where exists(x in missions where x.sender == s)\n  message \"{s.id}\"\n}\n";
    assert_eq!(
        parity::lang::fmt::format_rules(text, "t.rules").unwrap(),
        text
    );
    let mut rules = RuleSet::default();
    let mut diags = Vec::new();
    rules.add_text(text, "t.rules", &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let world = "scenario: synthetic-subject
as_of: 2024-01-01
states: [{ id: A }, { id: B }, { id: C }]
missions:
  - { id: z-a-in-b, sender: A, receiver: B, kind: embassy }
  - { id: a-in-c, sender: A, receiver: C, kind: embassy }
  - { id: b-in-a, sender: B, receiver: A, kind: embassy }
";
    let scenario = load_str(world, "t.yaml", &YamlLimits::default()).unwrap();
    let report = check(&scenario, &rules, &CheckOptions::default()).unwrap();
    let subjects: Vec<Vec<String>> = report.findings.iter().map(|f| f.subject.clone()).collect();
    assert_eq!(
        subjects,
        [vec!["A", "a-in-c", "z-a-in-b"], vec!["B", "b-in-a"]]
    );
    // Only the members: the finding is located at the first of them.
    let only = text.replace("subject  s, all(", "subject  all(");
    let mut rules = RuleSet::default();
    rules.add_text(&only, "t.rules", &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let report = check(&scenario, &rules, &CheckOptions::default()).unwrap();
    assert_eq!(report.findings[0].subject, ["a-in-c", "z-a-in-b"]);
    assert_eq!(report.findings[0].location.line(), 6);
    // A word that is no mission kind is an error in the subject too.
    let wrong = text.replace("x.sender == s)\n  for", "x.kind == embasy)\n  for");
    let mut rules = RuleSet::default();
    rules.add_text(&wrong, "t.rules", &mut diags);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(diags[0].message.contains("embasy"), "{}", diags[0].message);
}

/// A relation's `between` (a list of state ids) is shown in the evidence as
/// its ids, comma-separated (a message cannot print a list).
#[test]
fn a_relations_states_are_shown_in_the_evidence_as_a_list_of_ids() {
    // Synthetic.
    let yaml = "scenario: synthetic-between
as_of: 2024-06-01
states:
  - { id: A, name: Alpha }
  - { id: B, name: Beta }
relations:
  - { between: [A, B], status: severed, from: 2020-01-01 }
";
    let scenario = load_str(yaml, "t.yaml", &YamlLimits::default()).unwrap();
    let mut rules = RuleSet::default();
    let mut diags = Vec::new();
    rules.add_text(
        "rule broken {\n  title \"t\"\n  severity info\n  cite \"c\"\n  for r in relations\n  where r.status == severed and B in r.between\n  message \"broke off\"\n}\n",
        "between.rules",
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:#?}");
    let report = check(&scenario, &rules, &CheckOptions::default()).unwrap();
    let finding = &report.findings[0];
    let shown = format!("{:?}", finding.evidence);
    assert!(
        shown.contains("EvidenceField { path: \"between\", value: \"A, B\""),
        "{shown}"
    );
}
