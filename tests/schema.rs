//! The JSON Schema in `schema/` (for editors) agrees with the loader: every
//! fixture and rule example validates, each record type has exactly the keys
//! the loader accepts, and what the loader rejects for a key the schema
//! rejects too.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::scenario::load::load_str;
use parity::scenario::yaml::YamlLimits;
use serde_json::Value;
use std::collections::BTreeSet;

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string("schema/scenario.schema.json").unwrap()).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).unwrap()
}

/// YAML → JSON value, through the same YAML library the loader uses.
fn json_of(yaml: &str) -> Value {
    serde_saphyr::from_str::<Value>(yaml).unwrap()
}

fn yaml_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"));
    files.sort();
    files
}

#[test]
fn every_fixture_and_example_validates() {
    let validator = validator();
    let mut files = yaml_files("fixtures");
    files.extend(yaml_files("rules/examples"));
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.display().to_string();
        assert!(
            load_str(&text, &name, &YamlLimits::default()).is_ok(),
            "{name} does not load"
        );
        let errors: Vec<String> = validator
            .iter_errors(&json_of(&text))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name} fails the schema: {errors:#?}");
    }
}

/// A scenario with one record of every kind; `{X}` marks where a key is added.
const EVERY_RECORD: &str = r#"
scenario: synthetic-schema-sync
sources:
  - { id: s{SOURCE} }
states:
  - { id: AFG{STATE} }
  - { id: KAZ }
governments:
  - { id: g, state: AFG{GOVERNMENT} }
recognitions:
  - { by: KAZ, of: g, level: de-jure{RECOGNITION} }
missions:
  - id: m
    sender: KAZ
    receiver: AFG
    kind: embassy{MISSION}
    staff:
      - { diplomats: 3{STAFF} }
    heads:
      - { rank: envoy, credentials: { to: g{CREDENTIALS} }{HEAD} }
relations:
  - { between: [KAZ, AFG], status: established{RELATION} }
events:
  - { id: e, kind: expulsion, on: 2023-06-01, mission: m{EVENT} }
proposals:
  - id: p
    on: 2024-01-01{PROPOSAL}
    changes:
      - appoint: { mission: m, head: { rank: envoy } }
expect:
  - { claim: "true"{CLAIM} }
waivers:
  - { rule: head-vacant, subject: m{WAIVER} }
{SCENARIO}"#;

const RECORDS: &[(&str, &str, &str)] = &[
    ("SCENARIO", "the scenario", ""),
    ("SOURCE", "a source", "source"),
    ("STATE", "a state", "state"),
    ("GOVERNMENT", "a government", "government"),
    ("RECOGNITION", "a recognition", "recognition"),
    ("MISSION", "a mission", "mission"),
    ("STAFF", "a staff entry", "staff"),
    ("HEAD", "a head", "head"),
    ("CREDENTIALS", "a credentials entry", "credentials"),
    ("RELATION", "a relation", "relation"),
    ("EVENT", "an event", "event"),
    ("PROPOSAL", "a proposal", "proposal"),
    ("CLAIM", "a claim", "claim"),
    ("WAIVER", "a waiver", "waiver"),
];

fn with_key(record: &str, key: &str) -> String {
    let mut text = EVERY_RECORD.to_string();
    for (mark, _, _) in RECORDS {
        let insert = if *mark == record {
            if *mark == "SCENARIO" {
                format!("{key}: 1\n")
            } else {
                format!(", {key}: 1")
            }
        } else {
            String::new()
        };
        // Block-style records take their extra key on a line of its own.
        let block = *mark == "MISSION" || *mark == "PROPOSAL";
        let insert = if block && !insert.is_empty() {
            format!("\n    {key}: 1")
        } else {
            insert
        };
        text = text.replace(&format!("{{{mark}}}"), &insert);
    }
    text
}

/// The keys the loader accepts for a record, read from its own error message.
fn loader_keys(record: &str, what: &str) -> BTreeSet<String> {
    let errors = load_str(
        &with_key(record, "zzzzzzzzzz"),
        "t.yaml",
        &YamlLimits::default(),
    )
    .unwrap_err();
    let unknown = errors
        .iter()
        .find(|d| d.code == "unknown-key")
        .unwrap_or_else(|| panic!("{errors:#?}"));
    let help = unknown.help.clone().unwrap();
    let prefix = format!("the keys of {what} are: ");
    let list = help
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("unexpected help: {help}"));
    list.split(", ")
        .map(|k| k.trim_matches('`').to_string())
        .collect()
}

fn schema_keys(schema: &Value, definition: &str) -> BTreeSet<String> {
    let node = if definition.is_empty() {
        schema
    } else {
        &schema["definitions"][definition]
    };
    node["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn the_base_scenario_is_valid_for_both() {
    let text = with_key("", "");
    assert!(
        load_str(&text, "t.yaml", &YamlLimits::default()).is_ok(),
        "{:#?}",
        load_str(&text, "t.yaml", &YamlLimits::default()).err()
    );
    assert!(validator().is_valid(&json_of(&text)));
}

#[test]
fn each_record_type_has_the_loaders_keys() {
    let schema = schema();
    for (mark, what, definition) in RECORDS {
        let loader = loader_keys(mark, what);
        let declared = schema_keys(&schema, definition);
        assert_eq!(
            declared, loader,
            "schema and loader disagree on the keys of {what}"
        );
    }
}

#[test]
fn an_unknown_key_is_rejected_by_both() {
    let validator = validator();
    for (mark, what, _) in RECORDS {
        let text = with_key(mark, "colour");
        let Err(errors) = load_str(&text, "t.yaml", &YamlLimits::default()) else {
            panic!("loader accepts an unknown key in {what}");
        };
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(
                "unknown-key",
                format!("unknown key `colour` in {what}").as_str()
            )],
            "{what}"
        );
        assert!(
            !validator.is_valid(&json_of(&text)),
            "schema accepts an unknown key in {what}"
        );
    }
}

#[test]
fn bad_values_are_rejected_by_both() {
    let validator = validator();
    let cases: [(&str, &str, &[&str]); 8] = [
        (
            "kind: embassy{MISSION}",
            "kind: embasy{MISSION}",
            &["unknown-kind"],
        ),
        (
            "rank: envoy, credentials",
            "rank: envoi, credentials",
            &["unknown-rank"],
        ),
        (
            "level: de-jure{RECOGNITION}",
            "level: dejure{RECOGNITION}",
            &["unknown-level"],
        ),
        (
            "on: 2024-01-01{PROPOSAL}",
            "on: 2024/01/01{PROPOSAL}",
            &["invalid-date"],
        ),
        // The state's id is no longer AFG, which the records still name.
        (
            "id: AFG{STATE}",
            "id: 1AFG{STATE}",
            &["invalid-id", "unknown-id"],
        ),
        (
            "diplomats: 3{STAFF}",
            "diplomats: -3{STAFF}",
            &["wrong-type"],
        ),
        (
            "status: established{RELATION}",
            "status: established-ish{RELATION}",
            &["unknown-status"],
        ),
        ("kind: expulsion", "kind: expelled", &["unknown-kind"]),
    ];
    for (good, bad, want) in cases {
        let text = with_key("", "").replace(
            &good
                .replace("{MISSION}", "")
                .replace("{RECOGNITION}", "")
                .replace("{PROPOSAL}", "")
                .replace("{STATE}", "")
                .replace("{STAFF}", "")
                .replace("{RELATION}", ""),
            &bad.replace("{MISSION}", "")
                .replace("{RECOGNITION}", "")
                .replace("{PROPOSAL}", "")
                .replace("{STATE}", "")
                .replace("{STAFF}", "")
                .replace("{RELATION}", ""),
        );
        assert_ne!(text, with_key("", ""), "case {good} did not apply");
        let Err(errors) = load_str(&text, "t.yaml", &YamlLimits::default()) else {
            panic!("loader accepts {bad}");
        };
        let codes: Vec<&str> = errors.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, want, "{bad}: {errors:#?}");
        assert!(!validator.is_valid(&json_of(&text)), "schema accepts {bad}");
    }
}

/// The schema's date pattern bounds month and day, so an editor flags
/// `2024-13-01` as the loader does, and still takes every partial form the
/// loader takes (`date::Date::parse`). A day past its month's end is the
/// loader's alone to find (a pattern cannot know February).
#[test]
fn impossible_dates_are_flagged_and_partial_dates_accepted() {
    let validator = validator();
    let good = with_key("", "");
    assert!(good.contains("on: 2024-01-01"), "the base scenario changed");
    let dated = |date: &str| good.replace("on: 2024-01-01", &format!("on: {date}"));
    for date in [
        "2024-12-31",
        "2024-01-01",
        "2024-02-29",
        "2024-10",
        "2024-09",
        "2024",
        "0001",
        "1999-11-30",
    ] {
        let text = dated(date);
        assert!(
            load_str(&text, "t.yaml", &YamlLimits::default()).is_ok(),
            "loader refuses {date}"
        );
        assert!(validator.is_valid(&json_of(&text)), "schema refuses {date}");
    }
    for date in [
        "2024-13-01",
        "2024-00-10",
        "2024-01-32",
        "2024-01-00",
        "2024-13",
        "0000",
        "2024-1-01",
        "2024-01-1",
        "24-01-01",
    ] {
        let text = dated(date);
        let Err(errors) = load_str(&text, "t.yaml", &YamlLimits::default()) else {
            panic!("loader accepts {date}");
        };
        assert!(
            errors
                .iter()
                .all(|d| ["invalid-date", "impossible-date"].contains(&d.code.as_str())),
            "{date}: {errors:#?}"
        );
        assert!(
            !validator.is_valid(&json_of(&text)),
            "schema accepts {date}"
        );
    }
}
