//! The JSON Schema in `schema/` and the field tables in `docs/` are generated
//! from the record tables (`src/scenario/records.rs`): this fails when a
//! committed file drifts from them. `PARITY_BLESS=1 cargo test --test records`
//! rewrites the files from the tables.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::scenario::records::{fill_regions, json_schema, rule_table, scenario_tables};

/// Compares `path` with `want`; rewrites it under `PARITY_BLESS=1`.
fn agrees(path: &str, want: &str) {
    let have = std::fs::read_to_string(path).unwrap();
    if have == want {
        return;
    }
    if std::env::var_os("PARITY_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, want).unwrap();
        return;
    }
    let line = have
        .lines()
        .zip(want.lines())
        .position(|(a, b)| a != b)
        .map_or(have.lines().count().min(want.lines().count()), |i| i);
    panic!(
        "{path} differs from the record tables from line {}:\n  committed: {:?}\n  generated: {:?}\n\
         run `PARITY_BLESS=1 cargo test --test records` to regenerate it",
        line + 1,
        have.lines().nth(line),
        want.lines().nth(line)
    );
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
