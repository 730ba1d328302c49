//! The JSON Schema in `schema/` and the field tables in `docs/` are generated
//! from the record tables (`src/scenario/records.rs`): this fails when a
//! committed file drifts from them. `PARITY_BLESS=1 cargo test --test records`
//! rewrites the files from the tables.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::scenario::records::{fill_regions, json_schema, rule_table, scenario_tables};

mod common;

fn agrees(path: &str, want: &str) {
    common::agrees(path, want, "the record tables");
}

#[test]
fn the_json_schema_is_the_tables() {
    agrees("schema/scenario.schema.json", &json_schema());
}

#[test]
fn the_scenario_docs_key_tables_are_the_tables() {
    let text = std::fs::read_to_string("docs/scenario.md").unwrap();
    let want = fill_regions(&text, &scenario_tables()).expect("a fields region is missing");
    agrees("docs/scenario.md", &want);
}

#[test]
fn the_rule_docs_field_table_is_the_tables() {
    let text = std::fs::read_to_string("docs/rules.md").unwrap();
    let want =
        fill_regions(&text, &[("rules", rule_table())]).expect("the fields region is missing");
    agrees("docs/rules.md", &want);
}

// ---------------------------------------------------------------------------
// The proof that a field is one table entry: a state's `nuncio_precedence`.

mod nuncio_precedence {
    use parity::scenario::load::load_str;
    use parity::scenario::yaml::YamlLimits;
    use parity::{CheckOptions, RuleSet, check};

    const SCENARIO: &str = "scenario: synthetic-nuncio-precedence
as_of: 2024-01-01
states:
  - { id: DEU, name: Germany, nuncio_precedence: true }
  - { id: FRA, name: France, nuncio_precedence: false }
  - { id: VAT, name: Holy See, kind: holy-see }
  - { id: KAZ, name: Kazakhstan }
";

    /// Fires for every state that gives the nuncio precedence.
    const RULE: &str = r#"rule nuncio-is-doyen {
  title    "The nuncio is doyen of the diplomatic corps"
  severity info
  cite     "VCDR art. 16(3)"
  subject  s
  for s in states
  require not s.nuncio_precedence
  message "{s.name} gives the nuncio precedence: {s.nuncio_precedence}"
}
"#;

    #[test]
    fn a_rule_reads_what_a_scenario_sets_and_the_default_is_false() {
        let scenario = load_str(SCENARIO, "t.yaml", &YamlLimits::default()).unwrap();
        let mut rules = RuleSet::default();
        let mut diags = Vec::new();
        rules.add_text(RULE, "user.rules", &mut diags);
        assert!(diags.is_empty(), "{diags:#?}");
        let report = check(&scenario, &rules, &CheckOptions::default()).unwrap();
        let fired: Vec<(Vec<String>, String)> = report
            .findings
            .iter()
            .map(|f| (f.subject.clone(), f.message.clone()))
            .collect();
        assert_eq!(
            fired,
            [(
                vec!["DEU".to_string()],
                "Germany gives the nuncio precedence: true".to_string()
            )]
        );
    }

    #[test]
    fn a_misspelt_key_is_met_with_did_you_mean() {
        let text = SCENARIO.replace("nuncio_precedence: true", "nuncio_precedense: true");
        let errors = load_str(&text, "t.yaml", &YamlLimits::default()).unwrap_err();
        let found: Vec<(&str, &str, Option<&str>)> = errors
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str(), d.help.as_deref()))
            .collect();
        assert_eq!(
            found,
            [(
                "unknown-key",
                "unknown key `nuncio_precedense` in a state",
                Some("did you mean `nuncio_precedence`?")
            )]
        );
    }

    #[test]
    fn a_value_that_is_not_a_boolean_is_a_wrong_type() {
        let text = SCENARIO.replace("nuncio_precedence: true", "nuncio_precedence: yes");
        let errors = load_str(&text, "t.yaml", &YamlLimits::default()).unwrap_err();
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [("wrong-type", "expected `true` or `false`, found a string")]
        );
    }
}
