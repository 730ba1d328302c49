//! `parity precedence` run as a real process (tests/commands.rs style): its
//! exit statuses (0, 2), each `--format` it accepts and each it refuses,
//! `--output`, `--as-of` and parity.toml's `as-of`, the limits, the JSON
//! contract of design §7 field by field, and snapshots of the three formats
//! on a synthetic scenario and on the Kabul fixture.
//!
//! `s.yaml` below is synthetic: invented states AAA to III and an invented
//! holy see VAT, not real data. Each run happens in a scratch directory of
//! its own, holding an empty `parity.toml` so that no project file above it
//! is read.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::{parity_in, scratch, write};

/// A fresh directory holding `s.yaml` and an empty project file.
fn project(name: &str) -> PathBuf {
    let dir = scratch(name);
    write(&dir, "s.yaml", SCENARIO);
    dir
}

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

const LIST: [&str; 4] = ["precedence", "s.yaml", "--receiver", "AAA"];

// The list of AAA at 2024-06-01, worked out by hand:
//  1 vat-in-aaa  nuncio, first in class 1 (AAA gives the nuncio precedence),
//                though its date (2022-03-01) is the latest of class 1
//  2 bbb-in-aaa  ambassador, credentials 2019-02-01 (not its from, 2019-01-10)
//  3 ccc-in-aaa  ambassador, credentials 2020-05-04  } tied: the same day,
//  4 ddd-in-aaa  ambassador, credentials 2020-05-04  } by mission id
//  5 eee-in-aaa  ambassador of a delegation, no date: last of class 1
//  6 fff-in-aaa  minister (class 2), from 2015-01-01
//  7 ggg-in-aaa  chargé d'affaires en pied (class 3), from 2018-01-01
//  8 hhh-in-aaa  chargé a.i. from 2023-11-01
//  9 iii-in-aaa  ambassador recalled for consultations on 2024-03-15: a.i.
//                from then, after hhh
// Not listed: ccc-cg-aaa (a consulate general), ddd-old-in-aaa (closed),
// fff-in-aaa's former minister (ended), ggg-in-aaa's next head (not yet in
// office), aaa-in-bbb (AAA's own embassy abroad). ZZZ receives nothing.
const SCENARIO: &str = "\
# Synthetic scenario for tests/precedence.rs: invented states, not real data.
scenario: synthetic-precedence
as_of: 2024-06-01
states:
  - { id: AAA, name: Aaaland, nuncio_precedence: true }
  - { id: BBB, name: Bbbland }
  - { id: CCC, name: Cccland }
  - { id: DDD, name: Dddland }
  - { id: EEE, name: Eeeland }
  - { id: FFF, name: Fffland }
  - { id: GGG, name: Gggland }
  - { id: HHH, name: Hhhland }
  - { id: III, name: Iiiland }
  - { id: VAT, name: Synthetic See, kind: holy-see }
  - { id: ZZZ, name: Zzzland }
missions:
  - id: vat-in-aaa
    sender: VAT
    receiver: AAA
    kind: embassy
    heads:
      - { name: Synthetic Nuncio, rank: nuncio, from: 2022-03-01 }
  - id: bbb-in-aaa
    sender: BBB
    receiver: AAA
    kind: embassy
    heads:
      - name: B. Synthetic
        rank: ambassador
        from: 2019-01-10
        credentials: { to: AAA, on: 2019-02-01 }
  - id: ddd-in-aaa
    sender: DDD
    receiver: AAA
    kind: embassy
    heads:
      - name: D. Synthetic
        rank: ambassador
        from: 2020-04-20
        credentials: { to: AAA, on: 2020-05-04 }
  - id: ccc-in-aaa
    sender: CCC
    receiver: AAA
    kind: embassy
    heads:
      - name: C. Synthetic
        rank: ambassador
        from: 2020-05-04
        credentials: { to: AAA, on: 2020-05-04 }
  - id: ccc-cg-aaa
    sender: CCC
    receiver: AAA
    kind: consulate-general
    heads:
      - { rank: consul-general, from: 2001-01-01 }
  - id: eee-in-aaa
    sender: EEE
    receiver: AAA
    kind: delegation
    heads:
      - { rank: ambassador }
  - id: ddd-old-in-aaa
    sender: DDD
    receiver: AAA
    kind: delegation
    until: 2020-01-01
    heads:
      - { rank: ambassador, from: 2000-01-01 }
  - id: fff-in-aaa
    sender: FFF
    receiver: AAA
    kind: embassy
    heads:
      - { rank: ambassador, from: 2005-01-01, until: 2015-01-01 }
      - { name: F. Synthetic, rank: minister, from: 2015-01-01 }
  - id: ggg-in-aaa
    sender: GGG
    receiver: AAA
    kind: embassy
    heads:
      - { rank: charge-d-affaires, from: 2018-01-01, until: 2024-07-01 }
      - { rank: ambassador, from: 2024-07-01 }
  - id: hhh-in-aaa
    sender: HHH
    receiver: AAA
    kind: embassy
    heads:
      - { name: H. Synthetic, rank: charge-d-affaires-ai, from: 2023-11-01 }
  - id: iii-in-aaa
    sender: III
    receiver: AAA
    kind: embassy
    heads:
      - { name: I. Synthetic, rank: ambassador, from: 2010-01-01 }
  - id: aaa-in-bbb
    sender: AAA
    receiver: BBB
    kind: embassy
    heads:
      - { rank: ambassador, from: 2000-01-01 }
events:
  - id: recall-iii
    kind: recall-for-consultations
    on: 2024-03-15
    mission: iii-in-aaa
";

/// The expected (place, mission, tie) at the scenario's as_of.
const ORDER: [(u64, &str, bool); 9] = [
    (1, "vat-in-aaa", false),
    (2, "bbb-in-aaa", false),
    (3, "ccc-in-aaa", true),
    (4, "ddd-in-aaa", true),
    (5, "eee-in-aaa", false),
    (6, "fff-in-aaa", false),
    (7, "ggg-in-aaa", false),
    (8, "hhh-in-aaa", false),
    (9, "iii-in-aaa", false),
];

#[test]
fn lists_in_order_of_precedence_and_exits_0_in_each_of_its_formats() {
    let dir = project("formats");
    let formats = [
        (
            "human",
            "synthetic-precedence (s.yaml): diplomatic list of Aaaland (AAA) as of 2024-06-01\n",
            "\ndoyen: vat-in-aaa\n",
        ),
        ("json", "{\n", "\"doyen\": \"vat-in-aaa\""),
        (
            "markdown",
            "## Diplomatic list of Aaaland (`AAA`) as of 2024-06-01\n",
            "**Doyen:** `vat-in-aaa`",
        ),
    ];
    for (format, start, says) in formats {
        let run = parity_in(&dir, &with(&LIST, &["--format", format]));
        run.exits(0).stderr_empty().stdout_has(says);
        assert!(
            run.stdout.starts_with(start),
            "{format} starts with {start:?}:\n{}",
            run.stdout
        );
    }
    // Human is the default.
    assert_eq!(
        parity_in(&dir, &LIST).stdout,
        parity_in(&dir, &with(&LIST, &["--format", "human"])).stdout
    );
}

#[test]
fn the_ci_formats_are_refused_before_anything_is_read() {
    let dir = project("ci-formats");
    for format in ["sarif", "junit", "github", "csv"] {
        let run = parity_in(
            &dir,
            &with(&LIST, &["--format", format, "--output", "out.txt"]),
        );
        run.exits(2).stdout_empty();
        assert_eq!(
            run.stderr,
            format!(
                "error[usage]: `parity precedence` writes --format human, json, markdown or html, not {format}; the other formats are for `parity check`\n"
            )
        );
        assert!(!dir.join("out.txt").exists(), "{format}: no output");
        parity_in(
            &dir,
            &[
                "precedence",
                "missing.yaml",
                "--receiver",
                "AAA",
                "--format",
                format,
            ],
        )
        .exits(2)
        .stderr_has("error[usage]")
        .stderr_lacks("missing.yaml");
    }
    parity_in(&dir, &with(&LIST, &["--format", "xml"]))
        .exits(2)
        .stdout_empty()
        .stderr_has("invalid value 'xml' for '--format <FORMAT>'");
}

#[test]
fn json_contract_field_by_field() {
    let dir = project("json");
    let report = parity_in(&dir, &with(&LIST, &["--format", "json"]))
        .exits(0)
        .json();
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // serde_json's map sorts keys: compared as sets; the written order is
    // in the snapshots.
    assert_eq!(keys, ["as_of", "doyen", "list", "receiver", "scenario"]);
    assert_eq!(report["scenario"], "synthetic-precedence");
    assert_eq!(report["receiver"], "AAA");
    assert_eq!(report["as_of"], "2024-06-01");
    assert_eq!(report["doyen"], "vat-in-aaa");
    let list = report["list"].as_array().unwrap();
    assert_eq!(list.len(), ORDER.len());
    for (entry, (place, mission, tie)) in list.iter().zip(ORDER) {
        let keys: Vec<&str> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "class", "mission", "name", "place", "rank", "sender", "since", "tie"
            ]
        );
        assert_eq!(entry["place"], place, "{entry}");
        assert_eq!(entry["mission"], mission, "{entry}");
        assert_eq!(entry["tie"], tie, "{entry}");
        // Senders are the missions' own, upper-cased in their ids.
        assert_eq!(
            entry["sender"].as_str().unwrap().to_lowercase(),
            mission[..3],
            "{entry}"
        );
    }
    let field = |i: usize, key: &str| list[i][key].clone();
    // The nuncio: named, class 1, its from.
    assert_eq!(field(0, "name"), "Synthetic Nuncio");
    assert_eq!(field(0, "rank"), "nuncio");
    assert_eq!(field(0, "class"), 1);
    assert_eq!(field(0, "since"), "2022-03-01");
    // credentials.on, not from.
    assert_eq!(field(1, "since"), "2019-02-01");
    assert_eq!(field(2, "since"), "2020-05-04");
    assert_eq!(field(3, "since"), "2020-05-04");
    // No date at all, no name: nulls.
    assert_eq!(field(4, "since"), Value::Null);
    assert_eq!(field(4, "name"), Value::Null);
    assert_eq!(field(5, "rank"), "minister");
    assert_eq!(field(5, "class"), 2);
    assert_eq!(field(6, "rank"), "charge-d-affaires");
    assert_eq!(field(6, "class"), 3);
    // a.i.: no class.
    assert_eq!(field(7, "rank"), "charge-d-affaires-ai");
    assert_eq!(field(7, "class"), Value::Null);
    assert_eq!(field(7, "name"), "H. Synthetic");
    assert_eq!(field(7, "since"), "2023-11-01");
    // The absent ambassador's mission, listed a.i. from the recall.
    assert_eq!(field(8, "rank"), "charge-d-affaires-ai");
    assert_eq!(field(8, "class"), Value::Null);
    assert_eq!(field(8, "name"), Value::Null);
    assert_eq!(field(8, "since"), "2024-03-15");
}

#[test]
fn as_of_the_flag_then_the_project_file_then_the_scenario() {
    let dir = project("as-of");
    let at = |args: &[&str]| {
        let run = parity_in(&dir, &with(args, &["--format", "json"]));
        run.exits(0);
        run.json()
    };
    let before = at(&with(&LIST, &["--as-of", "2024-03-01"]));
    assert_eq!(before["as_of"], "2024-03-01");
    // Before the recall iii-in-aaa's ambassador has class 1 and ranks by
    // its from (2010) before every other ambassador, after the nuncio.
    assert_eq!(before["list"][1]["mission"], "iii-in-aaa");
    assert_eq!(before["list"][1]["class"], 1);
    write(&dir, "parity.toml", "# synthetic\nas-of = \"2024-03-01\"\n");
    assert_eq!(at(&LIST)["as_of"], "2024-03-01");
    assert_eq!(
        at(&with(&LIST, &["--as-of", "2024-06-01"]))["as_of"],
        "2024-06-01"
    );
    // With no date anywhere: an input error.
    write(&dir, "parity.toml", "# synthetic, empty\n");
    write(&dir, "s.yaml", &SCENARIO.replace("as_of: 2024-06-01\n", ""));
    parity_in(&dir, &LIST)
        .exits(2)
        .stdout_empty()
        .stderr_has("error[no-date]: the scenario has no `as_of` date and none was given");
    parity_in(&dir, &with(&LIST, &["--as-of", "2024-02-30"]))
        .exits(2)
        .stdout_empty()
        .stderr_has("`2024-02-30` is not a real date");
}

#[test]
fn input_errors_exit_2_and_an_empty_list_exits_0() {
    let dir = project("errors");
    parity_in(&dir, &["precedence", "s.yaml", "--receiver", "AAB"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unknown-id]: there is no state `AAB` in this scenario to list the diplomatic corps of\n --> s.yaml:2:11\n")
        .stderr_has("= help: did you mean `AAA`?")
        .stderr_has("parity: 1 error; nothing was listed");
    parity_in(&dir, &["precedence", "s.yaml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("--receiver <STATE>");
    parity_in(&dir, &["precedence", "missing.yaml", "--receiver", "AAA"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read missing.yaml");
    write(
        &dir,
        "bad.yaml",
        "scenario: x\nstates: [{ id: AAA, nam: A }]\n",
    );
    parity_in(&dir, &["precedence", "bad.yaml", "--receiver", "AAA"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unknown-key]");
    // A receiver with no missions: an empty list, no doyen.
    let run = parity_in(
        &dir,
        &[
            "precedence",
            "s.yaml",
            "--receiver",
            "ZZZ",
            "--format",
            "json",
        ],
    );
    run.exits(0).stderr_empty();
    let report = run.json();
    assert_eq!(report["list"], Value::Array(vec![]));
    assert_eq!(report["doyen"], Value::Null);
    parity_in(&dir, &["precedence", "s.yaml", "--receiver", "ZZZ"])
        .exits(0)
        .stdout_has("no head of an open embassy or delegation in Zzzland (ZZZ)\n\ndoyen: none\n");
}

#[test]
fn output_writes_what_stdout_would_and_never_onto_an_input() {
    let dir = project("output");
    for format in ["human", "json", "markdown"] {
        let args = with(&LIST, &["--format", format]);
        let to_stdout = parity_in(&dir, &args);
        for flag in ["--output", "-o"] {
            let _ = std::fs::remove_file(dir.join("out.txt"));
            parity_in(&dir, &with(&args, &[flag, "out.txt"]))
                .exits(0)
                .stdout_empty()
                .stderr_empty();
            assert_eq!(
                std::fs::read_to_string(dir.join("out.txt")).unwrap(),
                to_stdout.stdout
            );
        }
    }
    parity_in(&dir, &with(&LIST, &["--output", "s.yaml"]))
        .exits(2)
        .stdout_empty()
        .stderr_has(
            "error[output-is-input]: s.yaml is an input of this run; refusing to overwrite it\n",
        );
    assert_eq!(
        std::fs::read_to_string(dir.join("s.yaml")).unwrap(),
        SCENARIO
    );
    parity_in(&dir, &with(&LIST, &["--output", "no-such-dir/out.txt"]))
        .exits(2)
        .stdout_empty();
}

#[test]
fn the_limits_apply() {
    let dir = project("limits");
    let size = SCENARIO.len();
    parity_in(&dir, &with(&LIST, &["--limit-file-bytes", "10"]))
        .exits(2)
        .stdout_empty()
        .stderr_has(&format!(
            "error[file-too-large]: cannot read s.yaml: the file is {size} bytes, more than the limit of 10 bytes\n"
        ));
    parity_in(
        &dir,
        &with(&LIST, &["--limit-file-bytes", &size.to_string()]),
    )
    .exits(0);
    parity_in(&dir, &with(&LIST, &["--limit-yaml-nodes", "5"]))
        .exits(2)
        .stdout_empty()
        .stderr_has("error[yaml-node-limit]: the YAML has more than 5 nodes");
}

#[test]
fn help_names_the_exit_status() {
    let dir = project("help");
    parity_in(&dir, &["precedence", "--help"])
        .exits(0)
        .stdout_has("Exit status: 0 when the list is written")
        .stdout_has("--receiver <STATE>")
        .stdout_has("--as-of <DATE>");
    parity_in(&dir, &["--help"])
        .exits(0)
        .stdout_has("precedence");
}

// ---------------------------------------------------------------------------
// Snapshots

fn stdout_of(dir: &Path, args: &[&str]) -> String {
    let run = parity_in(dir, args);
    run.exits(0).stderr_empty();
    run.stdout.clone()
}

#[test]
fn snapshot_synthetic_human() {
    let dir = project("snap-human");
    insta::assert_snapshot!(stdout_of(&dir, &LIST));
}

#[test]
fn snapshot_synthetic_json() {
    let dir = project("snap-json");
    insta::assert_snapshot!(stdout_of(&dir, &with(&LIST, &["--format", "json"])));
}

#[test]
fn snapshot_synthetic_markdown() {
    let dir = project("snap-markdown");
    insta::assert_snapshot!(stdout_of(&dir, &with(&LIST, &["--format", "markdown"])));
}

/// The Kabul fixture, from the repository root (no project file read).
fn kabul(format: &str) -> String {
    stdout_of(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "--no-config",
            "precedence",
            "fixtures/kabul-2024-09.yaml",
            "--receiver",
            "AFG",
            "--format",
            format,
        ],
    )
}

// Reviewed by hand against the fixture: 17 missions are received by AFG;
// listed are the 14 embassies with a head in office on 2024-09-27. China's
// ambassador (credentials 2023-09-13, the only dated one) is doyen; the five
// ambassadors accredited before the Taliban, undated in the seed, follow by
// mission id; then the eight chargés a.i., undated, by mission id.
// kaz-in-afg (head dismissed 2024-09-09, no successor), ind-in-afg (a
// technical team) and ita-in-afg (a representative office) are not listed.
#[test]
fn snapshot_kabul_human() {
    insta::assert_snapshot!(kabul("human"));
}

#[test]
fn snapshot_kabul_json() {
    insta::assert_snapshot!(kabul("json"));
}

#[test]
fn snapshot_kabul_markdown() {
    insta::assert_snapshot!(kabul("markdown"));
}
