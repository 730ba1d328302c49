//! Version 2 of the scenario format (design notes §7): every new key loads,
//! a misspelt key or value is met with "did you mean" at its file:line:column,
//! a dangling reference is located; the world at a date (relation periods
//! half-open, the default status, events on or before the date, absent
//! heads); the rule language reads every new field and collection; and
//! proposals' `relate` and `event` changes. All data here is synthetic.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Shown;
use parity::diag::{Diagnostic, Loc};
use parity::scenario::change::apply;
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::model::{Change, EventKind, RelationStatus, Scenario};
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};

/// Synthetic states, missions, a relation record and one event of each kind.
const BASE: &str = "scenario: synthetic-v2
title: Synthetic data for the version 2 keys
as_of: 2020-06-01
sources:
  - { id: synth, title: Synthetic source }
states:
  - { id: NOR, name: Northland, commonwealth: true }
  - { id: SOU, name: Southland }
  - { id: EAS, name: Eastland }
missions:
  - id: nor-in-sou
    sender: NOR
    receiver: SOU
    kind: embassy
    heads:
      - { name: Ann Example, rank: ambassador, from: 2019-01-01, until: 2021-01-01 }
  - id: sou-is-in-nor
    sender: SOU
    receiver: NOR
    kind: interests-section
    protecting_power: EAS
    heads:
      - { name: Bo Example, rank: consul-general, from: 2019-01-01, exequatur: 2019-02 }
relations:
  - between: [NOR, SOU]
    status: severed
    from: 2020-01-01
    until: 2021-01-01
    source: synth
events:
  - id: recall-1
    kind: recall-for-consultations
    on: 2020-03-01
    by: NOR
    mission: nor-in-sou
    until: 2020-09-01
    source: synth
  - id: png-1
    kind: persona-non-grata
    on: 2020-04-01
    by: SOU
    mission: nor-in-sou
    person: Ann Example
    notice_days: 7
  - id: exp-1
    kind: expulsion
    on: 2020-05-01
    by: NOR
    mission: sou-is-in-nor
    diplomats: 3
";

fn load(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    load_str(text, "t.yaml", &YamlLimits::default())
}

fn ok(text: &str) -> Scenario {
    load(text).unwrap_or_else(|d| {
        let rendered: String = d.iter().map(|d| d.render(Some(text))).collect();
        panic!("expected the scenario to load:\n{rendered}")
    })
}

/// The one diagnostic of a file.
fn only(text: &str) -> Shown {
    let diags = load(text)
        .err()
        .unwrap_or_else(|| panic!("loaded:\n{text}"));
    assert_eq!(diags.len(), 1, "expected one diagnostic, got {diags:#?}");
    Shown::new(diags.into_iter().next().unwrap(), text)
}

/// `BASE` with the first `from` replaced by `to`.
fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "`{from}` is not in the base scenario");
    BASE.replacen(from, to, 1)
}

/// Where `needle` first occurs in `text`, 1-based, in characters.
fn loc_of(text: &str, needle: &str) -> Loc {
    let at = text.find(needle).unwrap_or_else(|| panic!("no `{needle}`"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Loc::new(line as u32, column as u32)
}

fn assert_diag(d: &Shown, code: &str, message: &str, loc: Loc, help: Option<&str>) {
    assert_eq!(
        (
            d.code.as_str(),
            d.message.as_str(),
            d.loc,
            d.help.as_deref()
        ),
        (code, message, loc, help),
        "{d:#?}"
    );
    assert_eq!(d.file, "t.yaml");
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// The rules of `text` alone (no standard rules).
fn rules(text: &str) -> RuleSet {
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    set.add_text(text, "user.rules", &mut diags);
    assert!(diags.is_empty(), "user rules: {diags:#?}");
    set
}

/// The checker's diagnostics for a rule text.
fn rule_errors(text: &str) -> Vec<Diagnostic> {
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    set.add_text(text, "user.rules", &mut diags);
    diags
}

/// (subject, message) of every finding of `rules` over `scenario` at `as_of`.
fn fired(scenario: &Scenario, rules: &RuleSet, as_of: &str) -> Vec<(Vec<String>, String)> {
    let options = CheckOptions {
        as_of: Some(date(as_of)),
        ..CheckOptions::default()
    };
    let report = check(scenario, rules, &options).unwrap_or_else(|d| panic!("check: {d:#?}"));
    report
        .findings
        .iter()
        .map(|f| (f.subject.clone(), f.message.clone()))
        .collect()
}

/// One rule with the given clauses after its header.
fn rule(body: &str) -> String {
    format!(
        "rule observe {{\n  title    \"synthetic\"\n  severity info\n  cite     \"synthetic\"\n{body}\n}}\n"
    )
}

/// The messages of a rule that fires for each record it binds.
fn messages(scenario: &Scenario, body: &str, as_of: &str) -> Vec<String> {
    fired(scenario, &rules(&rule(body)), as_of)
        .into_iter()
        .map(|(_, m)| m)
        .collect()
}

fn subjects(scenario: &Scenario, body: &str, as_of: &str) -> Vec<Vec<String>> {
    fired(scenario, &rules(&rule(body)), as_of)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

// ---------------------------------------------------------------------------
// Loading

#[test]
fn every_version_2_key_loads() {
    let s = ok(BASE);
    assert!(s.states[0].commonwealth);
    assert!(!s.states[1].commonwealth, "the default is false");
    let power = s.missions[1].protecting_power.as_ref().unwrap();
    assert_eq!(power.value, "EAS");
    assert_eq!(s.loc(power.span), loc_of(BASE, "EAS\n"));
    let exequatur = s.missions[1].heads[0].exequatur.as_ref().unwrap();
    assert_eq!(exequatur.value.to_string(), "2019-02");
    assert!(s.missions[0].heads[0].exequatur.is_none());
    assert_eq!(s.relations.len(), 1);
    let relation = &s.relations[0];
    assert_eq!(relation.status.value, RelationStatus::Severed);
    assert_eq!(
        [&relation.between[0].value, &relation.between[1].value],
        ["NOR", "SOU"]
    );
    assert_eq!(relation.until.as_ref().unwrap().value, date("2021-01-01"));
    let kinds: Vec<EventKind> = s.events.iter().map(|e| e.kind.value).collect();
    assert_eq!(
        kinds,
        [
            EventKind::RecallForConsultations,
            EventKind::PersonaNonGrata,
            EventKind::Expulsion
        ]
    );
    let [recall, png, expulsion] = [&s.events[0], &s.events[1], &s.events[2]];
    assert_eq!(recall.until.as_ref().unwrap().value, date("2020-09-01"));
    assert_eq!(recall.notice_days, 0, "the default is 0");
    assert_eq!(png.person.as_deref(), Some("Ann Example"));
    assert_eq!(png.notice_days, 7);
    assert_eq!(png.by.as_ref().unwrap().value, "SOU");
    assert_eq!(expulsion.diplomats.as_ref().unwrap().value, 3);
    assert_eq!(expulsion.mission.value, "sou-is-in-nor");
}

#[test]
fn a_version_1_file_needs_none_of_the_new_keys() {
    let s = ok("scenario: v1\nstates: [{ id: A }]\n");
    assert!(s.relations.is_empty() && s.events.is_empty());
}

#[test]
fn the_json_schema_accepts_the_version_2_file() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("schema/scenario.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let value: serde_json::Value = serde_saphyr::from_str(BASE).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A status the loader rejects, the schema rejects too.
    let bad: serde_json::Value =
        serde_saphyr::from_str(&with("status: severed", "status: broken")).unwrap();
    assert!(!validator.is_valid(&bad));
    let three: serde_json::Value =
        serde_saphyr::from_str(&with("[NOR, SOU]", "[NOR, SOU, EAS]")).unwrap();
    assert!(!validator.is_valid(&three));
}

#[test]
fn a_misspelt_key_is_met_with_did_you_mean_where_it_is_written() {
    // (written, misspelt, the record's name in the message, the key meant)
    let cases = [
        (
            "commonwealth: true",
            "commonwelth: true",
            "a state",
            "commonwealth",
        ),
        (
            "protecting_power: EAS",
            "protecting_powr: EAS",
            "a mission",
            "protecting_power",
        ),
        (
            "exequatur: 2019-02",
            "exequator: 2019-02",
            "a head",
            "exequatur",
        ),
        (
            "between: [NOR, SOU]",
            "betwen: [NOR, SOU]",
            "a relation",
            "between",
        ),
        ("status: severed", "stauts: severed", "a relation", "status"),
        ("notice_days: 7", "notice_day: 7", "an event", "notice_days"),
        ("person: Ann", "persn: Ann", "an event", "person"),
        ("diplomats: 3", "diplomat: 3", "an event", "diplomats"),
        (
            "mission: sou-is-in-nor",
            "misson: sou-is-in-nor",
            "an event",
            "mission",
        ),
        ("kind: expulsion", "knd: expulsion", "an event", "kind"),
        ("by: SOU", "byy: SOU", "an event", "by"),
        (
            "until: 2020-09-01",
            "untill: 2020-09-01",
            "an event",
            "until",
        ),
        ("relations:", "relatons:", "the scenario", "relations"),
        ("events:", "evnts:", "the scenario", "events"),
    ];
    for (written, misspelt, what, meant) in cases {
        let text = with(written, misspelt);
        let key = misspelt.split(':').next().unwrap();
        let d = only(&text);
        assert_diag(
            &d,
            "unknown-key",
            &format!("unknown key `{key}` in {what}"),
            loc_of(&text, misspelt),
            Some(&format!("did you mean `{meant}`?")),
        );
    }
}

#[test]
fn a_misspelt_status_or_kind_is_met_with_did_you_mean() {
    let text = with("status: severed", "status: severd");
    assert_diag(
        &only(&text),
        "unknown-status",
        "unknown relation status `severd`",
        loc_of(&text, "severd"),
        Some("did you mean `severed`?"),
    );
    let text = with("kind: expulsion", "kind: expulsoin");
    assert_diag(
        &only(&text),
        "unknown-kind",
        "unknown event kind `expulsoin`",
        loc_of(&text, "expulsoin"),
        Some("did you mean `expulsion`?"),
    );
}

#[test]
fn a_dangling_reference_is_located_with_did_you_mean() {
    // (written, with a dangling id, the id, what it should name, the id meant)
    let cases = [
        ("[NOR, SOU]", "[NOR, SUO]", "SUO", "state", "SOU"),
        (
            "protecting_power: EAS",
            "protecting_power: EAZ",
            "EAZ",
            "state",
            "EAS",
        ),
        ("by: SOU", "by: SOX", "SOX", "state", "SOU"),
        (
            "mission: nor-in-sou",
            "mission: nor-in-suo",
            "nor-in-suo",
            "mission",
            "nor-in-sou",
        ),
        (
            "    source: synth",
            "    source: synht",
            "synht",
            "source",
            "synth",
        ),
    ];
    for (written, dangling, id, want, meant) in cases {
        let text = with(written, dangling);
        let d = only(&text);
        let at = loc_of(&text, dangling);
        let column = at.column + dangling.find(id).unwrap() as u32;
        assert_diag(
            &d,
            "unknown-id",
            &format!("unknown {want} `{id}`"),
            Loc::new(at.line, column),
            Some(&format!("did you mean `{meant}`?")),
        );
    }
}

#[test]
fn a_relation_is_between_two_different_states() {
    let text = with("[NOR, SOU]", "[SOU, SOU]");
    assert_diag(
        &only(&text),
        "same-state",
        "a relation is between two different states, but both are `SOU`",
        loc_of(&text, "SOU]"),
        None,
    );
    let text = with("[NOR, SOU]", "[NOR]");
    assert_diag(
        &only(&text),
        "wrong-type",
        "expected a list of two state ids, found a list of 1",
        loc_of(&text, "[NOR]"),
        None,
    );
    let text = with("[NOR, SOU]", "NOR");
    assert_eq!(only(&text).code, "wrong-type");
}

#[test]
fn a_relations_until_may_not_be_before_its_from() {
    let text = with(
        "until: 2021-01-01\n    source",
        "until: 2019-01-01\n    source",
    );
    assert_diag(
        &only(&text),
        "until-before-from",
        "`until: 2019-01-01` is before `from: 2020-01-01`",
        loc_of(&text, "2019-01-01\n    source"),
        Some("a period holds from `from` up to, but not including, `until`"),
    );
}

#[test]
fn two_records_for_one_pair_at_once_are_an_error_whatever_the_order() {
    let second =
        "    source: synth\n  - { between: [SOU, NOR], status: established, from: 2020-12-31 }\n";
    let text = with("    source: synth\n", second);
    let d = only(&text);
    assert_diag(
        &d,
        "overlapping-relations",
        "two relation records between NOR and SOU hold at once",
        loc_of(&text, "{ between: [SOU"),
        Some("overlaps the record at line 25 (from 2020-01-01 until 2021-01-01, severed)"),
    );
    // Half-open: a record that starts on the other's `until` does not overlap.
    let next = second.replace("2020-12-31", "2021-01-01");
    ok(&with("    source: synth\n", &next));
    // Another pair is another matter.
    let other = second.replace("[SOU, NOR]", "[SOU, EAS]");
    ok(&with("    source: synth\n", &other));
}

#[test]
fn a_protecting_power_is_neither_sender_nor_receiver() {
    let text = with("protecting_power: EAS", "protecting_power: NOR");
    assert_diag(
        &only(&text),
        "protecting-power-is-party",
        "`NOR` is this mission's receiver, so it cannot be its protecting power",
        loc_of(&text, "NOR\n    heads:\n      - { name: Bo"),
        Some(
            "a protecting power is a third state whose embassy hosts the mission (VCDR art. 45-46)",
        ),
    );
}

#[test]
fn keys_of_one_event_kind_are_errors_on_another() {
    let text = with(
        "    notice_days: 7\n",
        "    notice_days: 7\n    diplomats: 2\n",
    );
    assert_diag(
        &only(&text),
        "key-not-for-kind",
        "`diplomats` is only for events of kind `expulsion`, and this one is `persona-non-grata`",
        loc_of(&text, "2\n  - id: exp-1"),
        Some("remove `diplomats`, or make the event's `kind` `expulsion`"),
    );
    let text = with(
        "    diplomats: 3\n",
        "    diplomats: 3\n    until: 2020-06-02\n",
    );
    assert_diag(
        &only(&text),
        "key-not-for-kind",
        "`until` is only for events of kind `recall-for-consultations`, and this one is `expulsion`",
        loc_of(&text, "2020-06-02"),
        Some("remove `until`, or make the event's `kind` `recall-for-consultations`"),
    );
    // `by`, `person` and `notice_days` are allowed on every kind.
    ok(&with(
        "    until: 2020-09-01\n",
        "    until: 2020-09-01\n    person: Ann Example\n    notice_days: 1\n",
    ));
}

#[test]
fn an_events_return_is_not_before_it() {
    let text = with("until: 2020-09-01", "until: 2020-02-01");
    assert_diag(
        &only(&text),
        "until-before-from",
        "`until: 2020-02-01` is before `on: 2020-03-01`",
        loc_of(&text, "2020-02-01"),
        Some("the head is absent from `on` up to, but not including, `until`"),
    );
}

#[test]
fn an_event_needs_its_date_and_mission_and_a_unique_id() {
    let text = with("    on: 2020-05-01\n", "");
    let d = only(&text);
    assert_diag(
        &d,
        "missing-key",
        "an event needs `on`",
        loc_of(&text, "id: exp-1"),
        None,
    );
    let text = with("    mission: sou-is-in-nor\n", "");
    assert_eq!(only(&text).message, "an event needs `mission`");
    let text = with("id: png-1", "id: recall-1");
    let d = only(&text);
    assert_eq!(d.code, "duplicate-id");
    assert_eq!(
        d.loc_in(&text),
        loc_of(&text, "recall-1\n    kind: persona")
    );
    // Ids are one namespace: an event may not take a mission's id.
    assert_eq!(
        only(&with("id: png-1", "id: nor-in-sou")).code,
        "duplicate-id"
    );
}

#[test]
fn a_person_who_matches_no_head_is_valid() {
    let s = ok(&with("person: Ann Example", "person: Someone Else"));
    assert_eq!(s.events[1].person.as_deref(), Some("Someone Else"));
}

#[test]
fn the_files_events_concern_the_files_missions() {
    let text = format!(
        "{}proposals:\n  - id: p\n    on: 2020-01-01\n    changes:\n      - open: {{ id: new-post, sender: EAS, receiver: SOU, kind: embassy }}\n",
        with("mission: sou-is-in-nor", "mission: new-post")
    );
    let d = only(&text);
    assert_eq!(
        (d.code.as_str(), d.message.as_str()),
        ("unknown-id", "unknown mission `new-post`")
    );
    assert_eq!(
        d.help.as_deref(),
        Some("it is opened by proposal `p`; the file's events concern the file's missions")
    );
}

// ---------------------------------------------------------------------------
// The world at a date, through rules

const SEVERED: &str =
    "  subject m\n  for m in missions\n  where m.relation_status == severed\n  message \"{m.id}\"";

#[test]
fn a_relation_holds_on_its_from_and_not_on_its_until() {
    let s = ok(BASE);
    let both = vec![ids(&["nor-in-sou"]), ids(&["sou-is-in-nor"])];
    assert!(subjects(&s, SEVERED, "2019-12-31").is_empty());
    assert_eq!(subjects(&s, SEVERED, "2020-01-01"), both);
    assert_eq!(subjects(&s, SEVERED, "2020-12-31"), both);
    assert!(subjects(&s, SEVERED, "2021-01-01").is_empty());
    // The collection holds the records in force, and only those.
    let body = "  subject r\n  for r in relations\n  message \"{r.status}\"";
    assert!(subjects(&s, body, "2019-12-31").is_empty());
    assert_eq!(subjects(&s, body, "2020-01-01"), vec![ids(&["NOR/SOU"])]);
    assert!(subjects(&s, body, "2021-01-01").is_empty());
}

#[test]
fn without_a_record_relations_are_established_with_an_embassy_either_way_else_none() {
    let s = ok(BASE);
    let body =
        "  subject m\n  for m in missions\n  message \"{m.relation_status} {m.relation == none}\"";
    // Before the record: NOR has an embassy in SOU, so both of the pair's
    // missions read `established`, and neither has a record.
    assert_eq!(
        messages(&s, body, "2019-06-01"),
        ["established true", "established true"]
    );
    assert_eq!(
        messages(&s, body, "2020-06-01"),
        ["severed false", "severed false"]
    );
    // Without the embassy (only the interests section), not recorded.
    let text = with("    kind: embassy\n", "    kind: consulate\n");
    let s = ok(&text);
    assert_eq!(
        messages(&s, body, "2019-06-01"),
        ["not recorded true", "not recorded true"]
    );
}

const ABSENT: &str =
    "  subject m\n  for m in missions\n  where m.head.absent\n  message \"{m.head.name}\"";

#[test]
fn a_recalled_head_is_absent_from_the_recall_to_the_return() {
    let s = ok(BASE);
    assert!(subjects(&s, ABSENT, "2020-02-29").is_empty());
    assert_eq!(messages(&s, ABSENT, "2020-03-01"), ["Ann Example"]);
    assert_eq!(messages(&s, ABSENT, "2020-08-31"), ["Ann Example"]);
    assert!(subjects(&s, ABSENT, "2020-09-01").is_empty());
}

#[test]
fn without_a_return_the_head_is_absent_until_its_own_until() {
    let s = ok(&with("    until: 2020-09-01\n", ""));
    assert_eq!(messages(&s, ABSENT, "2020-12-31"), ["Ann Example"]);
    // The tenure ends on its `until`: no head, so none is absent.
    assert!(subjects(&s, ABSENT, "2021-01-01").is_empty());
}

#[test]
fn a_recall_concerns_the_head_in_office_on_its_day_only() {
    // A successor from 2020-06-01 is not absent, though no return is given.
    let text = with("    until: 2020-09-01\n", "").replace(
        "until: 2021-01-01 }",
        "until: 2020-06-01 }\n      - { name: Cy Example, rank: ambassador, from: 2020-06-01 }",
    );
    let s = ok(&text);
    assert_eq!(messages(&s, ABSENT, "2020-05-31"), ["Ann Example"]);
    assert!(subjects(&s, ABSENT, "2020-06-01").is_empty());
}

#[test]
fn events_are_those_on_or_before_the_date() {
    let s = ok(BASE);
    let body = "  subject e\n  for e in events\n  message \"{e.kind}\"";
    assert!(subjects(&s, body, "2020-02-29").is_empty());
    assert_eq!(subjects(&s, body, "2020-03-01"), vec![ids(&["recall-1"])]);
    assert_eq!(
        subjects(&s, body, "2020-05-01"),
        vec![ids(&["exp-1"]), ids(&["png-1"]), ids(&["recall-1"])]
    );
}

// ---------------------------------------------------------------------------
// The rule language

#[test]
fn a_rule_reads_every_field_of_a_relation() {
    let s = ok(BASE);
    let body = "  subject r\n  for r in relations\n  where NOR in r.between and not (EAS in r.between)\n  message \"{r.status} {r.from} {r.until} {r.source}\"";
    assert_eq!(
        messages(&s, body, "2020-06-01"),
        ["severed 2020-01-01 2021-01-01 synth"]
    );
    let body =
        "  subject r\n  for r in relations\n  where EAS in r.between\n  message \"{r.status}\"";
    assert!(messages(&s, body, "2020-06-01").is_empty());
    // A join through the pair: each mission between the two states.
    let body = "  subject m, r\n  for m in missions, r in relations\n  where m.sender in r.between and m.receiver in r.between and r.status != established\n  message \"{m.id}\"";
    assert_eq!(
        subjects(&s, body, "2020-06-01"),
        vec![
            ids(&["nor-in-sou", "NOR/SOU"]),
            ids(&["sou-is-in-nor", "NOR/SOU"])
        ]
    );
}

#[test]
fn a_rule_reads_every_field_of_an_event() {
    let s = ok(BASE);
    let body = "  subject e\n  for e in events\n  message \"{e.id} {e.kind} {e.on} {e.by} {e.mission} {e.person} {e.diplomats} {e.notice_days} {e.until} {e.source}\"";
    assert_eq!(
        messages(&s, body, "2020-06-01"),
        // In the report's order: by subject.
        [
            "exp-1 expulsion 2020-05-01 NOR sou-is-in-nor not recorded 3 0 not recorded not recorded",
            "png-1 declaration of persona non grata 2020-04-01 SOU nor-in-sou Ann Example not recorded 7 not recorded not recorded",
            "recall-1 recall for consultations 2020-03-01 NOR nor-in-sou not recorded not recorded 0 2020-09-01 synth",
        ]
    );
    // Ids lead to records: the event's mission and acting state.
    let body = "  subject e\n  for e in events\n  where e.kind == persona-non-grata and e.person == e.mission.head.name\n  message \"{e.mission.sender.name} {e.by.name}\"";
    assert_eq!(messages(&s, body, "2020-06-01"), ["Northland Southland"]);
}

#[test]
fn a_rule_reads_the_new_fields_of_missions_heads_and_states() {
    let s = ok(BASE);
    let body = "  subject m\n  for m in missions\n  message \"{m.id} {m.protecting_power} {m.relation_status} {m.relation.status} {m.relation.from} {m.head.absent} {m.head.exequatur} {m.sender.commonwealth}\"";
    assert_eq!(
        messages(&s, body, "2020-06-01"),
        [
            "nor-in-sou not recorded severed severed 2020-01-01 true not recorded true",
            "sou-is-in-nor EAS severed severed 2020-01-01 false 2019-02 false",
        ]
    );
    let body = "  subject m\n  for m in missions\n  where m.protecting_power.name == \"Eastland\" and m.head.exequatur <= m.head.from\n  message \"{m.id}\"";
    assert!(
        subjects(&s, body, "2020-06-01").is_empty(),
        "2019-02 is after 2019-01-01"
    );
    let body = "  subject s\n  for s in states\n  where s.commonwealth\n  message \"{s.id}\"";
    assert_eq!(subjects(&s, body, "2020-06-01"), vec![ids(&["NOR"])]);
}

#[test]
fn wrong_fields_and_words_are_met_with_did_you_mean() {
    // (where clause, code, message, help)
    let cases = [
        (
            "r.stauts == severed",
            "unknown-field",
            "a relation has no field `stauts`",
            Some("did you mean `status`?"),
        ),
        (
            "r.status == severd",
            "unknown-word",
            "`severd` is not a relation status",
            Some("did you mean `severed`?"),
        ),
        (
            "r.betwen == none",
            "unknown-field",
            "a relation has no field `betwen`",
            Some("did you mean `between`?"),
        ),
    ];
    for (condition, code, message, help) in cases {
        let body =
            format!("  subject r\n  for r in relations\n  where {condition}\n  message \"x\"");
        let diags = rule_errors(&rule(&body));
        let found: Vec<_> = diags
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str(), d.help.as_deref()))
            .collect();
        assert_eq!(found, [(code, message, help)], "{condition}");
    }
    let cases = [
        (
            "e.knd == expulsion",
            "unknown-field",
            "an event has no field `knd`",
        ),
        (
            "e.kind == expulsoin",
            "unknown-word",
            "`expulsoin` is not an event kind",
        ),
    ];
    for (condition, code, message) in cases {
        let body = format!("  subject e\n  for e in events\n  where {condition}\n  message \"x\"");
        let diags = rule_errors(&rule(&body));
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(
            (diags[0].code.as_str(), diags[0].message.as_str()),
            (code, message)
        );
    }
    let body = "  subject m\n  for m in missions\n  where m.head.absnt or m.relaton_status == none\n  message \"x\"";
    let helps: Vec<_> = rule_errors(&rule(body))
        .into_iter()
        .map(|d| d.help.unwrap_or_default())
        .collect();
    assert_eq!(
        helps,
        ["did you mean `absent`?", "did you mean `relation_status`?"]
    );
    let body = "  subject e\n  for e in evnts\n  message \"x\"";
    let diags = rule_errors(&rule(body));
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `events`?"));
}

#[test]
fn a_list_field_is_read_with_in_only() {
    let cases = [
        (
            "  where r.between == r.between\n  message \"x\"",
            "cannot compare",
        ),
        ("  message \"{r.between}\"", "a list cannot be printed"),
        (
            "  where r.status in r.between\n  message \"x\"",
            "the list holds",
        ),
        (
            "  where NOR in r.status\n  message \"x\"",
            "`in` needs a list",
        ),
    ];
    for (clauses, start) in cases {
        let body = format!("  subject r\n  for r in relations\n{clauses}");
        let diags = rule_errors(&rule(&body));
        assert_eq!(diags.len(), 1, "{clauses}: {diags:#?}");
        assert!(
            diags[0].message.starts_with(start),
            "{clauses}: {}",
            diags[0].message
        );
    }
}

// ---------------------------------------------------------------------------
// Proposals

const PROPOSALS: &str = "proposals:
  - id: restore
    on: 2020-07-01
    changes:
      - relate: { between: [SOU, NOR], status: established }
      - event: { id: recall-2, kind: recall-for-consultations, mission: nor-in-sou }
";

#[test]
fn an_event_change_is_dated_by_its_proposal_and_relate_supersedes_the_record_in_force() {
    let text = format!("{BASE}{PROPOSALS}");
    let s = ok(&text);
    let proposal = &s.proposals[0];
    let Change::Event { event, .. } = &proposal.changes[1] else {
        panic!("{:#?}", proposal.changes[1]);
    };
    assert_eq!(event.on.value, date("2020-07-01"));
    let next = apply(&s, proposal, "t.yaml").unwrap_or_else(|d| panic!("{d:#?}"));
    // The severed record ends on the proposal's date; the new one starts then.
    assert_eq!(
        next.relations[0].until.as_ref().unwrap().value,
        date("2020-07-01")
    );
    assert_eq!(
        next.relations[1].from.as_ref().unwrap().value,
        date("2020-07-01")
    );
    assert!(subjects(&next, SEVERED, "2020-07-01").is_empty());
    assert_eq!(subjects(&next, SEVERED, "2020-06-30").len(), 2);
    // The event's recall makes the head absent again, from the proposal's date.
    assert_eq!(messages(&next, ABSENT, "2020-09-01"), ["Ann Example"]);
}

#[test]
fn an_event_change_may_give_its_own_date_and_is_checked_like_an_event() {
    let text = format!(
        "{BASE}{}",
        PROPOSALS.replace(
            "mission: nor-in-sou }",
            "mission: nor-in-sou, on: 2020-08-01 }"
        )
    );
    let s = ok(&text);
    let Change::Event { event, .. } = &s.proposals[0].changes[1] else {
        panic!();
    };
    assert_eq!(event.on.value, date("2020-08-01"));
    let text = format!(
        "{BASE}{}",
        PROPOSALS.replace(
            "mission: nor-in-sou }",
            "mission: nor-in-sou, diplomats: 1 }"
        )
    );
    assert_eq!(only(&text).code, "key-not-for-kind");
    let text = format!("{BASE}{}", PROPOSALS.replace("relate:", "relat:"));
    let d = only(&text);
    assert_eq!(d.help.as_deref(), Some("did you mean `relate`?"));
    let text = format!("{BASE}{}", PROPOSALS.replace("[SOU, NOR]", "[SOU, NRO]"));
    assert_eq!(only(&text).message, "unknown state `NRO`");
}

// ---------------------------------------------------------------------------
// Timeline

#[test]
fn the_timeline_sees_relations_and_recalls_change_the_world() {
    use parity::engine::timeline::timeline;
    let s = ok(BASE);
    let period = |body: &str| {
        let report = timeline(
            &s,
            &rules(&rule(body)),
            None,
            None,
            &CheckOptions::default(),
        )
        .unwrap();
        let first = report.findings.first().unwrap();
        let p = first.periods.first().unwrap();
        (p.from.clone(), p.until.clone())
    };
    let some = |d: &str| Some(d.to_string());
    assert_eq!(period(SEVERED), (some("2020-01-01"), some("2021-01-01")));
    assert_eq!(period(ABSENT), (some("2020-03-01"), some("2020-09-01")));
}

#[test]
fn a_claim_may_name_an_event_and_read_the_new_collections() {
    let text = format!(
        "{BASE}expect:\n  - claim: count(e in events where e.id == png-1 and e.notice_days == 7) == 1\n  - claim: count(r in relations where r.status == severed) == 1\n  - claim: count(m in missions where m.relation_status == severed and m.head.absent) == 1\n"
    );
    let s = ok(&text);
    let report = check(&s, &RuleSet::default(), &CheckOptions::default()).unwrap();
    let held: Vec<bool> = report.claims.iter().map(|c| c.holds).collect();
    assert_eq!(held, [true, true, true]);
}

#[test]
fn a_rule_reading_a_list_field_formats() {
    let text = rule(
        "  subject m\n  for m in missions, r in relations\n  where m.sender   in r.between and m.receiver not in r.between\n  message \"{m.id}\"",
    );
    let formatted = parity::lang::fmt::format_rules(&text, "user.rules").unwrap();
    assert!(
        formatted.contains("where m.sender in r.between and m.receiver not in r.between"),
        "{formatted}"
    );
    assert!(rule_errors(&formatted).is_empty());
}

#[test]
fn the_world_answers_for_a_pair_in_either_order() {
    use parity::scenario::world::World;
    let s = ok(BASE);
    let status = |on: &str, a: &str, b: &str| {
        let world = World::at(&s, date(on));
        let (a, b) = (world.sym(a).unwrap(), world.sym(b).unwrap());
        (
            world.relation_status(a, b),
            world.relation(b, a).map(|r| s.loc(r.record.span).line),
        )
    };
    use RelationStatus::{Established, Severed};
    assert_eq!(
        status("2019-12-31", "NOR", "SOU"),
        (Some(Established), None)
    );
    assert_eq!(
        status("2020-01-01", "SOU", "NOR"),
        (Some(Severed), Some(25))
    );
    assert_eq!(
        status("2020-12-31", "NOR", "SOU"),
        (Some(Severed), Some(25))
    );
    assert_eq!(
        status("2021-01-01", "NOR", "SOU"),
        (Some(Established), None)
    );
    // No embassy either way between NOR and EAS: none.
    assert_eq!(status("2020-06-01", "NOR", "EAS"), (None, None));
    // The events on or before the date, and the absent head.
    let world = World::at(&s, date("2020-04-01"));
    let events: Vec<&str> = world
        .events
        .iter()
        .map(|e| e.record.id.value.as_str())
        .collect();
    assert_eq!(events, ["recall-1", "png-1"]);
    let absent: Vec<bool> = world.missions.iter().map(|m| m.absent).collect();
    assert_eq!(absent, [true, false]);
}

// ---------------------------------------------------------------------------
// Close cases

#[test]
fn overlaps_are_found_past_a_shorter_record_and_reported_at_the_one_written_later() {
    let records = "relations:
  - { between: [NOR, SOU], status: severed, from: 2020, until: 2025 }
  - { between: [SOU, NOR], status: suspended, from: 2021, until: 2022 }
  - { between: [NOR, SOU], status: established, from: 2023, until: 2024 }
  - { between: [NOR, SOU], status: established, from: 2024, until: 2024 }
";
    let text = format!("scenario: t\nstates: [{{ id: NOR }}, {{ id: SOU }}]\n{records}");
    let diags = load(&text).unwrap_err();
    let found: Vec<(u32, Option<&str>)> = diags
        .iter()
        .map(|d| (d.loc_in(&text).line, d.help.as_deref()))
        .collect();
    // The third overlaps the first, not the second, which ends before it;
    // the empty period of the fourth holds on no day, though inside the first.
    assert_eq!(
        found,
        [
            (
                5,
                Some("overlaps the record at line 4 (from 2020 until 2025, severed)")
            ),
            (
                6,
                Some("overlaps the record at line 4 (from 2020 until 2025, severed)")
            ),
        ]
    );
    // Written the other way round, the one written later is reported.
    let reversed = "relations:
  - { between: [NOR, SOU], status: established, from: 2023, until: 2024 }
  - { between: [NOR, SOU], status: severed, from: 2020 }
";
    let text = format!("scenario: t\nstates: [{{ id: NOR }}, {{ id: SOU }}]\n{reversed}");
    let d = only(&text);
    assert_eq!(d.loc_in(&text).line, 5);
    assert_eq!(
        d.help.as_deref(),
        Some("overlaps the record at line 4 (from 2023 until 2024, established)")
    );
}

#[test]
fn a_recall_may_return_on_its_own_day() {
    let s = ok(&with("until: 2020-09-01", "until: 2020-03-01"));
    assert!(subjects(&s, ABSENT, "2020-03-01").is_empty());
}

#[test]
fn evidence_points_at_the_lines_the_new_fields_are_written_on() {
    let s = ok(BASE);
    let text = rule(
        "  subject e\n  for e in events\n  where e.kind == expulsion and e.on <= as_of and e.by != none and e.mission != none and e.diplomats > 0 and e.source == none\n  message \"x\"",
    );
    let options = CheckOptions {
        as_of: Some(date("2020-06-01")),
        ..CheckOptions::default()
    };
    let report = check(&s, &rules(&text), &options).unwrap();
    let finding = &report.findings[0];
    let lines: Vec<(&str, u32)> = finding.evidence[0]
        .fields
        .iter()
        .map(|f| (f.path.as_str(), finding.line_of(f.span)))
        .collect();
    let line = |needle: &str| loc_of(BASE, needle).line;
    assert_eq!(
        lines,
        [
            ("kind", line("kind: expulsion")),
            ("on", line("on: 2020-05-01")),
            ("by", line("by: NOR\n    mission: sou")),
            ("mission", line("mission: sou-is-in-nor")),
            ("diplomats", line("diplomats: 3")),
            // Not written: the record's own line.
            ("source", line("id: exp-1")),
        ]
    );
    let text = rule(
        "  subject m, r\n  for m in missions, r in relations\n  where m.protecting_power != none and m.relation_status == severed and m.head.exequatur != none and r.status == severed and r.from != none and r.until != none and NOR in r.between\n  message \"x\"",
    );
    let report = check(&s, &rules(&text), &options).unwrap();
    let finding = &report.findings[0];
    let lines: Vec<Vec<(&str, u32)>> = finding
        .evidence
        .iter()
        .map(|e| {
            e.fields
                .iter()
                .map(|f| (f.path.as_str(), finding.line_of(f.span)))
                .collect()
        })
        .collect();
    assert_eq!(
        lines,
        [
            vec![
                ("protecting_power", line("protecting_power")),
                ("relation_status", line("status: severed")),
                ("head.exequatur", line("exequatur")),
            ],
            vec![
                ("status", line("status: severed")),
                ("from", line("from: 2020-01-01")),
                ("until", line("until: 2021-01-01\n    source")),
                ("between", line("between")),
            ],
        ]
    );
}

#[test]
fn the_timeline_sees_an_exequatur_date() {
    use parity::engine::timeline::timeline;
    let s = ok(BASE);
    let body = "  subject m\n  for m in missions\n  where m.head.exequatur != none and m.head.exequatur <= as_of\n  message \"{m.id}\"";
    let report = timeline(
        &s,
        &rules(&rule(body)),
        None,
        None,
        &CheckOptions::default(),
    )
    .unwrap();
    let p = &report.findings[0].periods[0];
    assert_eq!(p.from.as_deref(), Some("2019-02"));
}

#[test]
fn relate_ends_only_its_own_pairs_record() {
    let text = format!(
        "{}{PROPOSALS}",
        with(
            "    source: synth\n",
            "    source: synth\n  - { between: [NOR, EAS], status: suspended, from: 2020-01-01 }\n"
        )
    );
    let s = ok(&text);
    let next = apply(&s, &s.proposals[0], "t.yaml").unwrap_or_else(|d| panic!("{d:#?}"));
    let untils: Vec<Option<String>> = next
        .relations
        .iter()
        .map(|r| r.until.as_ref().map(|u| u.value.to_string()))
        .collect();
    assert_eq!(untils, [Some("2020-07-01".to_string()), None, None]);
}

#[test]
fn a_proposals_event_id_is_an_id_of_the_file() {
    let text = format!(
        "{BASE}{}",
        PROPOSALS.replace("id: recall-2", "id: nor-in-sou")
    );
    let d = only(&text);
    assert_eq!(d.code, "duplicate-id");
    assert_eq!(d.loc_in(&text), loc_of(&text, "nor-in-sou, kind: recall"));
}

#[test]
fn an_events_id_leads_to_the_event() {
    let s = ok(BASE);
    let body = "  subject e\n  for e in events\n  where e.id.kind == expulsion\n  message \"{e.id.on} {e.id.mission.kind}\"";
    assert_eq!(
        messages(&s, body, "2020-06-01"),
        ["2020-05-01 interests section"]
    );
}
