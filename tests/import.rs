//! `parity import cow`: a Correlates of War Diplomatic Exchange table in, a
//! scenario out that `check` and `timeline` read, and every malformed row
//! an error at its cell.
//!
//! Every table here is SYNTHETIC, in the data set's layout (v2006.1
//! columns; real COW state codes: 2 United States, 20 Canada, 40 Cuba, 255
//! Germany, 315 Czechoslovakia), with made-up levels: not real data.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{parity_in, scratch, write};

/// Synthetic. USA–Canada ambassadors both ways in 1950 and 1955; Canada in
/// Germany a minister while Germany has a chargé d'affaires in Canada (1950),
/// then an ambassador (1955); USA–Cuba ambassadors in 1950, nothing in 1960,
/// and Cuba's side missing (-9) in 1965.
const TABLE: &str = "\
ccode1,ccode2,year,DR_at_1,DR_at_2,DE,version
2,20,1950,3,3,1,2006.1
2,20,1955,3,3,1,2006.1
2,40,1950,3,3,1,2006.1
2,40,1960,0,0,0,2006.1
2,40,1965,0,-9,0,2006.1
20,255,1950,1,2,1,2006.1
20,255,1955,3,2,1,2006.1
";

#[test]
fn a_cow_table_imports_and_checks_as_a_scenario() {
    let dir = scratch("cow");
    write(&dir, "de.csv", TABLE);
    let run = parity_in(&dir, &["import", "cow", "de.csv", "-o", "s.yaml"]);
    run.exits(0).stdout_empty().stderr_has(
        "parity: 7 rows of de.csv read: 13 levels kept, 1 marked missing (-9) left out",
    );
    let yaml = std::fs::read_to_string(dir.join("s.yaml")).unwrap();
    // DR_at_1 is side 2's representation at side 1: Germany's chargé in Canada.
    assert!(
        yaml.contains("  - id: deu-in-can-1950\n    sender: DEU\n    receiver: CAN\n    kind: embassy\n    from: 1950\n    until: 1956\n    source: cow-de-2006\n    heads:\n      - { rank: charge-d-affaires, from: 1950, until: 1955 }\n      - { rank: ambassador, from: 1955, until: 1956 }\n"),
        "{yaml}"
    );
    // A level seen at 0 closes the mission in that year.
    assert!(yaml.contains("  - id: usa-in-cub-1950\n    sender: USA\n    receiver: CUB\n    kind: embassy\n    from: 1950\n    until: 1960\n"), "{yaml}");
    assert!(yaml.contains("# Columns not read: DE, version."), "{yaml}");
    assert!(
        yaml.contains("  - id: DEU\n    name: \"Germany\"  # COW 255 GMY\n"),
        "{yaml}"
    );

    // The scenario is a scenario: as of its last year, nothing is open.
    parity_in(&dir, &["check", "s.yaml"]).exits(0);
    // In 1950 the classes differ (minister 2 against chargé 3), and in 1955 (1 against 2).
    parity_in(&dir, &["check", "s.yaml", "--as-of", "1952-06-01"])
        .exits(1)
        .stdout_has("error[rank-parity]: Canada is represented in Germany by a head of class 2 (minister), but Germany in Canada by a head of class 3 (chargé d'affaires)");
    let timeline = parity_in(&dir, &["timeline", "s.yaml", "--format", "csv"]);
    timeline.exits(0);
    let rows: Vec<&str> = timeline.stdout.lines().collect();
    assert_eq!(
        rows[0],
        "file,scenario,rule,severity,subject,from,until,message"
    );
    assert_eq!(
        rows[1],
        "s.yaml,cow-diplomatic-exchange-all,rank-parity,error,can-in-deu-1950 deu-in-can-1950,1950,1956-01-01,\"Canada is represented in Germany by a head of class 2 (minister), but Germany in Canada by a head of class 3 (chargé d'affaires)\""
    );
    // The data set records no credentials: every head of class 1 or 2 is
    // `credentials-pending` from day 91 of its first year (docs/research.md).
    let pending: Vec<&str> = rows
        .iter()
        .copied()
        .filter(|r| r.contains(",credentials-pending,"))
        .collect();
    assert_eq!(pending.len(), 6, "{}", timeline.stdout);
    assert!(
        pending
            .iter()
            .all(|r| r.contains(",1950-04-02,") || r.contains(",1955-04-02,")),
        "{pending:?}"
    );
    assert_eq!(rows.len(), 8, "{}", timeline.stdout);
}

#[test]
fn years_can_be_chosen_and_a_state_without_an_iso_code_keeps_its_cow_one() {
    let dir = scratch("cow-years");
    // Synthetic levels; 315 is Czechoslovakia, whose COW abbreviation (CZE)
    // is Czechia's ISO code, so it is written COW315.
    write(
        &dir,
        "de.csv",
        "ccode1,ccode2,year,DR_at_1,DR_at_2\n2,315,1950,2,2\n2,315,1955,3,3\n2,315,1960,3,3\n",
    );
    let run = parity_in(
        &dir,
        &[
            "import", "cow", "de.csv", "--from", "1955", "--until", "1955",
        ],
    );
    run.exits(0)
        .stdout_has("scenario: cow-diplomatic-exchange-1955-1955\n")
        .stdout_has("as_of: 1955\n")
        .stdout_has("  - id: COW315\n    name: \"Czechoslovakia\"  # COW 315 CZE\n")
        .stdout_has("  - id: usa-in-cow315-1955\n")
        .stdout_has("      - { rank: ambassador, from: 1955, until: 1956 }\n")
        .stdout_lacks("1950")
        .stderr_has("2 levels kept");
    parity_in(
        &dir,
        &[
            "import", "cow", "de.csv", "--from", "1960", "--until", "1950",
        ],
    )
    .exits(2)
    .stdout_empty()
    .stderr_has("error[usage]: --until 1950 is before --from 1960");
}

#[test]
fn every_malformed_row_is_an_error_at_its_cell_and_nothing_is_written() {
    let dir = scratch("cow-errors");
    write(
        &dir,
        "bad.csv",
        "ccode1,ccode2,year,DR_at_1,DR_at_2\n2,20,1950,3,3\n2,999,1950,3,3\n2,20,19x0,3,3\n2,20,1955,4,3\n20,2,1950,3,1\n2,20\n",
    );
    let run = parity_in(&dir, &["import", "cow", "bad.csv", "-o", "out.yaml"]);
    run.exits(2)
        .stdout_empty()
        .stderr_has("error[unknown-state-code]: 999 is not a COW state code parity knows\n --> bad.csv:3:3\n")
        .stderr_has("error[invalid-value]: `19x0` is not a year\n --> bad.csv:4:6\n")
        .stderr_has("error[invalid-value]: `4` is not a level of representation (0, 1, 2, 3, 9, or -9 for missing)\n --> bad.csv:5:11\n")
        .stderr_has("error[conflicting-observations]: CAN in USA in 1950 is level 1 here but level 3 on line 2\n --> bad.csv:6:13\n")
        .stderr_has("error[csv-syntax]: this row has 2 cells, but the header has 5\n --> bad.csv:7:1\n")
        .stderr_has("parity: 5 errors in bad.csv; nothing was written");
    assert!(!dir.join("out.yaml").exists());

    write(
        &dir,
        "header.csv",
        "\u{feff}ccode1,ccode2,yeer,dr_at_1,DR_at_2\n2,20,1950,3,3\n",
    );
    // Columns count characters as written, the byte-order mark included.
    parity_in(&dir, &["import", "cow", "header.csv"])
        .exits(2)
        .stderr_has(
            "error[missing-column]: the header has no column `year`\n --> header.csv:1:16\n",
        )
        .stderr_has("= help: did you mean `yeer`?");
    // Writing the scenario over the table it was read from is refused.
    write(
        &dir,
        "ok.csv",
        "ccode1,ccode2,year,DR_at_1,DR_at_2\n2,20,1950,3,3\n",
    );
    parity_in(&dir, &["import", "cow", "ok.csv", "-o", "ok.csv"])
        .exits(2)
        .stderr_has("error[output-is-input]");
    assert!(
        std::fs::read_to_string(dir.join("ok.csv"))
            .unwrap()
            .starts_with("ccode1")
    );
}
