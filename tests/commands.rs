//! Every command run as a real process: each documented exit status (0, 1,
//! 2), each `--format` a command accepts and each it refuses, `--output` and
//! its errors, and each flag on each command that takes it (`--fail-on`, the
//! `--limit-*` flags, `--rules`, `--config` / `--no-config`); the JSON of
//! `propose`, `suggest` and `timeline` is checked field by field against the
//! README's contract, on a small scenario whose answers are worked out below.
//!
//! Every scenario, proposal, rule and test file written here is synthetic:
//! invented states AAA, BBB and CCC, not real data. Each run happens in a
//! scratch directory of its own, which holds an empty `parity.toml` so that no
//! project file above it is read.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::{parity_in, scratch, write};

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
}

/// A scratch directory holding every synthetic file below, under the names
/// the tests use.
fn project(name: &str) -> PathBuf {
    let dir = scratch(name);
    for (file, text) in FILES {
        write(&dir, file, text);
    }
    dir
}

// ---------------------------------------------------------------------------
// The synthetic inputs, and what parity says about them
//
// `s.yaml`, at its as_of (2024-09-27): one finding, the warning `head-vacant`
// for aaa-in-ccc (an embassy with no head ever). Over time: `rank-parity`
// (error) for the pair aaa-in-bbb / bbb-in-aaa while AAA's ambassador is in
// office, [2022-01-01, 2023-01-01); `head-vacant` for aaa-in-ccc since ever
// and still. Its change points are 2020-01-01, 2022-01-01 and 2023-01-01
// (the proposals' dates are not history), so a timeline evaluates 4 dates.
//
// Its proposals, on 2024-10-01: `aaa-upgrades` introduces `rank-parity`
// (class 1 against BBB's class 3) and breaks; `aaa-fills-ccc` introduces
// nothing and resolves `head-vacant` for aaa-in-ccc.

const SCENARIO: &str = "\
# Synthetic scenario for tests/commands.rs: invented states AAA, BBB, CCC (not real data).
scenario: synthetic-commands
as_of: 2024-09-27
states:
  - { id: AAA, name: Aaaland }
  - { id: BBB, name: Bbbland }
  - { id: CCC, name: Cccland }
missions:
  - id: aaa-in-bbb
    sender: AAA
    receiver: BBB
    kind: embassy
    from: 2020-01-01
    heads:
      - { rank: charge-d-affaires, from: 2020-01-01, until: 2022-01-01 }
      - { rank: ambassador, from: 2022-01-01, until: 2023-01-01, credentials: { to: BBB } }
      - { rank: charge-d-affaires, from: 2023-01-01 }
  - id: bbb-in-aaa
    sender: BBB
    receiver: AAA
    kind: embassy
    from: 2020-01-01
    heads:
      - { rank: charge-d-affaires, from: 2020-01-01 }
  - id: aaa-in-ccc
    sender: AAA
    receiver: CCC
    kind: embassy
proposals:
  - id: aaa-upgrades
    title: AAA sends an ambassador to BBB
    on: 2024-10-01
    changes:
      - appoint: { mission: aaa-in-bbb, head: { rank: ambassador, agrement: 2024-09-01 } }
  - id: aaa-fills-ccc
    title: AAA sends a chargé d'affaires a.i. to CCC
    on: 2024-10-01
    changes:
      - appoint: { mission: aaa-in-ccc, head: { rank: charge-d-affaires-ai } }
";

/// Introduces only the warning `head-vacant` for bbb-in-aaa: `ok` at the
/// default `--fail-on error`, `breaks` at `warning`.
const RECALL: &str = "\
# Synthetic what-if for tests/commands.rs (invented states): BBB recalls its chargé.
proposals:
  - id: bbb-recalls
    on: 2024-10-01
    changes:
      - recall: { mission: bbb-in-aaa }
";

/// Introduces nothing with the standard rules (and resolves `head-vacant`);
/// with the synthetic policy it introduces the warning `proposed-head`.
const FILL: &str = "\
# Synthetic what-if for tests/commands.rs (invented states): AAA fills its post in CCC.
proposals:
  - id: aaa-fills-ccc
    title: AAA sends a chargé d'affaires a.i. to CCC
    on: 2024-10-01
    changes:
      - appoint: { mission: aaa-in-ccc, head: { rank: charge-d-affaires-ai } }
";

/// A change that cannot be made: two heads in office at once.
const OVERLAP: &str = "\
# Synthetic what-if for tests/commands.rs (invented states): a head who would overlap the one in office.
proposals:
  - id: aaa-overlaps
    on: 2024-10-01
    changes:
      - appoint: { mission: aaa-in-bbb, head: { rank: ambassador, from: 2024-01-01 } }
";

/// A misspelt mission (line 6, column 28).
const TYPO: &str = "\
# Synthetic what-if for tests/commands.rs (invented states): a misspelt mission.
proposals:
  - id: aaa-typo
    on: 2024-10-01
    changes:
      - recall: { mission: aaa-in-bbbb }
";

/// Synthetic rules, in canonical layout: `charge-heads` (error) fires on
/// every mission headed by a chargé d'affaires en pied, `proposed-head`
/// (warning) on every head a proposal appoints. `charge-heads` is defined at
/// line 3.
const POLICY: &str = "\
# Synthetic rules for tests/commands.rs (a made-up policy, not practice).

rule charge-heads {
  title    \"An embassy headed by a chargé d'affaires en pied\"
  severity error
  cite     \"synthetic policy\"
  for m in missions
  where m.head.rank == charge-d-affaires
  require false
  message \"{m.id} is headed by a chargé d'affaires\"
}

rule proposed-head {
  title    \"A head that a proposal appoints\"
  severity warning
  cite     \"synthetic policy\"
  for m in missions
  where m.head.proposed
  require false
  message \"{m.id} would get a new head\"
}
";

/// Rule tests for `head-vacant` that pass: one firing, one quiet, so that
/// one rule of the eight standard ones is covered both ways (a share of 0.125).
const HV_TEST: &str = "\
# Synthetic rule tests for tests/commands.rs (invented states AAA, BBB).
rule: head-vacant
cases:
  - name: an embassy with no head is vacant
    fires:
      - [aaa-in-bbb]
    scenario:
      scenario: t-vacant
      as_of: 2024-09-27
      states: [{ id: AAA }, { id: BBB }]
      missions:
        - { id: aaa-in-bbb, sender: AAA, receiver: BBB, kind: embassy }
  - name: an embassy with a head is not vacant
    fires: []
    scenario:
      scenario: t-headed
      as_of: 2024-09-27
      states: [{ id: AAA }, { id: BBB }]
      missions:
        - { id: aaa-in-bbb, sender: AAA, receiver: BBB, kind: embassy, heads: [{ rank: ambassador }] }
";

/// A rule test for the synthetic `charge-heads`: unknown without the policy.
const CHARGE_TEST: &str = "\
# Synthetic rule test for the synthetic policy (invented states AAA, BBB).
rule: charge-heads
cases:
  - name: a chargé en pied fires
    fires:
      - [aaa-in-bbb]
    scenario:
      scenario: t-charge
      as_of: 2024-09-27
      states: [{ id: AAA }, { id: BBB }]
      missions:
        - { id: aaa-in-bbb, sender: AAA, receiver: BBB, kind: embassy, heads: [{ rank: charge-d-affaires }] }
";

/// A scenario whose one claim does not hold.
const FALSE_CLAIM: &str = "\
# Synthetic scenario for tests/commands.rs (invented states AAA, BBB): a claim that does not hold.
scenario: t-claims
as_of: 2024-09-27
states: [{ id: AAA }, { id: BBB }]
missions:
  - { id: aaa-in-bbb, sender: AAA, receiver: BBB, kind: embassy }
expect:
  - claim: count(m in missions) == 2
    title: Two missions
";

/// A synthetic rule file that parses but is not in canonical layout.
const MESSY_RULES: &str = "# Synthetic, laid out badly.\n\
    rule messy {title \"T\" severity warning cite \"C\" for m in missions message \"M\"}\n";

/// Its canonical layout.
const MESSY_FORMATTED: &str = "\
# Synthetic, laid out badly.
rule messy {
  title    \"T\"
  severity warning
  cite     \"C\"
  for m in missions
  message \"M\"
}
";

/// A synthetic rule file that does not parse (`titl`, line 2, column 14).
const BROKEN_RULES: &str = "# Synthetic, misspelt.\nrule broken {titl \"T\"}\n";

const FILES: &[(&str, &str)] = &[
    ("s.yaml", SCENARIO),
    ("recall.yaml", RECALL),
    ("fill.yaml", FILL),
    ("overlap.yaml", OVERLAP),
    ("typo.yaml", TYPO),
    ("policy/policy.rules", POLICY),
    ("t/head-vacant.test.yaml", HV_TEST),
    ("charge/charge-heads.test.yaml", CHARGE_TEST),
    ("claims/claims.yaml", FALSE_CLAIM),
];

const SUGGEST_BBB: [&str; 6] = [
    "suggest",
    "s.yaml",
    "--mission",
    "aaa-in-bbb",
    "--on",
    "2024-10-01",
];

const SUGGEST_CCC: [&str; 6] = [
    "suggest",
    "s.yaml",
    "--mission",
    "aaa-in-ccc",
    "--on",
    "2024-10-01",
];

/// `base` followed by `more`.
fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

// ---------------------------------------------------------------------------
// check: the six formats, --fail-on, --rules

#[test]
fn check_writes_each_of_its_six_formats_with_the_same_exit_status() {
    let dir = project("check-formats");
    // How each format's report begins, and something each must say about
    // the one finding (head-vacant for aaa-in-ccc, at line 25).
    let formats: [(&str, &str, &str); 6] = [
        (
            "human",
            "synthetic-commands (s.yaml) as of 2024-09-27\n",
            "warning[head-vacant]: Aaaland's embassy in Cccland has no head of mission",
        ),
        ("json", "{\n", "\"rule\": \"head-vacant\""),
        ("sarif", "{\n", "\"version\": \"2.1.0\""),
        (
            "junit",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"parity\"",
            "head-vacant",
        ),
        (
            "github",
            "::warning file=s.yaml,line=25,col=5,title=head-vacant::",
            "parity: synthetic-commands: 0 errors, 1 warning",
        ),
        ("markdown", "## parity\n", "`head-vacant`"),
    ];
    for (format, start, says) in formats {
        let run = parity_in(&dir, &["check", "s.yaml", "--format", format]);
        run.exits(0).stderr_empty().stdout_has(says);
        assert!(
            run.stdout.starts_with(start),
            "{format} starts with {start:?}:\n{}",
            run.stdout
        );
        // A warning fails only from --fail-on warning down, in every format.
        parity_in(
            &dir,
            &["check", "s.yaml", "--format", format, "--fail-on", "error"],
        )
        .exits(0);
        parity_in(
            &dir,
            &[
                "check",
                "s.yaml",
                "--format",
                format,
                "--fail-on",
                "warning",
            ],
        )
        .exits(1)
        .stderr_empty();
        parity_in(
            &dir,
            &["check", "s.yaml", "--format", format, "--fail-on", "info"],
        )
        .exits(1);
    }
    parity_in(&dir, &["check", "s.yaml", "--format", "xml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("invalid value 'xml' for '--format <FORMAT>'");
}

#[test]
fn check_adds_the_rules_of_a_directory() {
    let dir = project("check-rules");
    parity_in(&dir, &["check", "s.yaml"])
        .exits(0)
        .stdout_lacks("charge-heads");
    // Both missions between AAA and BBB are headed by chargés en pied.
    parity_in(&dir, &["check", "s.yaml", "--rules", "policy"])
        .exits(1)
        .stderr_empty()
        .stdout_has("error[charge-heads]: aaa-in-bbb is headed by a chargé d'affaires")
        .stdout_has("error[charge-heads]: bbb-in-aaa is headed by a chargé d'affaires")
        .stdout_has("synthetic-commands: 2 errors, 1 warning");
    // One rule file may be named instead of a directory.
    parity_in(&dir, &["check", "s.yaml", "--rules", "policy/policy.rules"])
        .exits(1)
        .stdout_has("error[charge-heads]");
    parity_in(&dir, &["check", "s.yaml", "--rules", "no-such-dir"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read no-such-dir")
        .stderr_has("parity: 1 error in the rules; nothing was checked");
}

// ---------------------------------------------------------------------------
// The CI formats are check's alone

#[test]
fn the_ci_formats_are_refused_by_every_other_command_before_anything_is_read() {
    let dir = project("ci-formats");
    let commands: [(&str, Vec<&str>); 4] = [
        ("propose", vec!["propose", "s.yaml"]),
        ("suggest", SUGGEST_CCC.to_vec()),
        ("timeline", vec!["timeline", "s.yaml"]),
        ("test", vec!["test", "t"]),
    ];
    for (name, args) in &commands {
        // Each command's formats, as the README lists them.
        let written = if *name == "timeline" {
            "human, json, csv or html"
        } else {
            "human or json"
        };
        for format in ["sarif", "junit", "github", "markdown", "csv", "html"] {
            if *name == "timeline" && (format == "csv" || format == "html") {
                continue;
            }
            let run = parity_in(
                &dir,
                &with(args, &["--format", format, "--output", "out.txt"]),
            );
            run.exits(2).stdout_empty();
            assert_eq!(
                run.stderr,
                format!(
                    "error[usage]: `parity {name}` writes --format {written}, not {format}; the other formats are for `parity check`\n"
                ),
                "parity {}",
                run.args
            );
            assert!(!dir.join("out.txt").exists(), "{}: no output", run.args);
        }
        // Refused before the input is read: a missing file is not reported.
        let missing: Vec<&str> = args
            .iter()
            .map(|a| match *a {
                "s.yaml" | "t" => "missing.yaml",
                other => other,
            })
            .collect();
        parity_in(&dir, &with(&missing, &["--format", "sarif"]))
            .exits(2)
            .stderr_has("error[usage]")
            .stderr_lacks("missing.yaml");
        // A value no command knows is clap's usage error.
        parity_in(&dir, &with(args, &["--format", "xml"]))
            .exits(2)
            .stdout_empty()
            .stderr_has("invalid value 'xml' for '--format <FORMAT>'");
        // Human and JSON are accepted.
        for format in ["human", "json"] {
            let run = parity_in(&dir, &with(args, &["--format", format]));
            assert!(
                matches!(run.code, Some(0 | 1)),
                "{}: {}",
                run.args,
                run.stderr
            );
            assert!(!run.stdout.is_empty(), "{}", run.args);
        }
    }
}

// ---------------------------------------------------------------------------
// propose

#[test]
fn propose_exits_1_when_a_proposal_breaks_and_0_when_none_does() {
    let dir = project("propose-exit");
    parity_in(&dir, &["propose", "s.yaml"])
        .exits(1)
        .stderr_empty()
        .stdout_has("synthetic-commands (s.yaml): 2 proposals\n")
        .stdout_has(
            "aaa-upgrades (on 2024-10-01) — AAA sends an ambassador to BBB\n  \
             verdict: BREAKS: introduces a finding at the failing severity\n  \
             would introduce:\n    \
             + error[rank-parity] aaa-in-bbb, bbb-in-aaa: Aaaland is represented in Bbbland by a head of class 1 (ambassador), but Bbbland in Aaaland by a head of class 3 (chargé d'affaires)\n",
        )
        .stdout_has(
            "aaa-fills-ccc (on 2024-10-01) — AAA sends a chargé d'affaires a.i. to CCC\n  \
             verdict: ok: breaks no rule at the failing severity\n  \
             introduces nothing\n  \
             would resolve:\n    \
             - warning[head-vacant] aaa-in-ccc:",
        )
        .stdout_has("synthetic-commands: 1 of 2 proposals break a rule\n");
    // The same scenario with only the proposal that breaks nothing.
    parity_in(&dir, &["propose", "s.yaml", "--proposals", "fill.yaml"])
        .exits(0)
        .stderr_empty()
        .stdout_has("aaa-fills-ccc (on 2024-10-01)")
        .stdout_lacks("aaa-upgrades")
        .stdout_has("0 of 1 proposals break a rule");
}

#[test]
fn propose_fail_on_decides_which_introduced_finding_breaks() {
    let dir = project("propose-fail-on");
    let recall = ["propose", "s.yaml", "--proposals", "recall.yaml"];
    for (fail_on, code, verdict) in [
        (None, 0, "verdict: ok"),
        (Some("error"), 0, "verdict: ok"),
        (Some("warning"), 1, "verdict: BREAKS"),
        (Some("info"), 1, "verdict: BREAKS"),
    ] {
        let args = match fail_on {
            Some(level) => with(&recall, &["--fail-on", level]),
            None => recall.to_vec(),
        };
        parity_in(&dir, &args)
            .exits(code)
            .stderr_empty()
            .stdout_has(verdict)
            .stdout_has("+ warning[head-vacant] bbb-in-aaa:");
    }
    parity_in(&dir, &with(&recall, &["--fail-on", "fatal"]))
        .exits(2)
        .stdout_empty()
        .stderr_has("invalid value 'fatal' for '--fail-on <FAIL_ON>'");
}

#[test]
fn propose_adds_the_rules_of_a_directory() {
    let dir = project("propose-rules");
    let fill = [
        "propose",
        "s.yaml",
        "--proposals",
        "fill.yaml",
        "--fail-on",
        "warning",
    ];
    parity_in(&dir, &fill)
        .exits(0)
        .stdout_has("introduces nothing");
    parity_in(&dir, &with(&fill, &["--rules", "policy"]))
        .exits(1)
        .stderr_empty()
        .stdout_has("+ warning[proposed-head] aaa-in-ccc: aaa-in-ccc would get a new head");
}

#[test]
fn propose_exits_2_on_a_change_that_cannot_be_made() {
    let dir = project("propose-errors");
    parity_in(&dir, &["propose", "s.yaml", "--proposals", "overlap.yaml"])
        .exits(2)
        .stdout_empty()
        .stderr_has(
            "error[invalid-change]: proposal `aaa-overlaps` would make the scenario invalid: two heads of mission `aaa-in-bbb` are in office at once\n --> overlap.yaml:3:9\n",
        )
        .stderr_has("parity: 1 error; nothing was evaluated");
    parity_in(&dir, &["propose", "s.yaml", "--proposals", "typo.yaml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unknown-id]: unknown mission `aaa-in-bbbb`\n --> typo.yaml:6:28\n")
        .stderr_has("= help: did you mean `aaa-in-bbb`?");
    parity_in(&dir, &["propose", "s.yaml", "--proposals", "missing.yaml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read missing.yaml");
    parity_in(&dir, &["propose", "missing.yaml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read missing.yaml");
    parity_in(&dir, &["propose"]).exits(2).stdout_empty();
}

/// Asserts that `value` is a finding as the README's JSON contract has it,
/// with these rule, severity, subject and location.
fn assert_finding(value: &Value, rule: &str, severity: &str, subject: &[&str], line: u64) {
    let finding = value
        .as_object()
        .unwrap_or_else(|| panic!("a finding is an object: {value}"));
    assert_eq!(finding["rule"], rule, "{value}");
    assert_eq!(finding["severity"], severity, "{value}");
    assert_eq!(finding["subject"], serde_json::json!(subject), "{value}");
    for key in ["title", "message", "cite"] {
        assert!(
            finding[key].as_str().is_some_and(|s| !s.is_empty()),
            "finding.{key}: {value}"
        );
    }
    assert_eq!(
        finding["location"],
        serde_json::json!({ "file": "s.yaml", "line": line, "column": 5 }),
        "{value}"
    );
    let evidence = finding["evidence"].as_array().expect("evidence is a list");
    assert!(!evidence.is_empty(), "{value}");
    for bound in evidence {
        assert!(
            bound["var"].is_string() && bound["id"].is_string(),
            "{bound}"
        );
        assert!(bound["line"].as_u64().is_some_and(|l| l > 0), "{bound}");
        assert!(bound["fields"].is_array(), "{bound}");
    }
}

#[test]
fn propose_json_contract_field_by_field() {
    let dir = project("propose-json");
    let run = parity_in(&dir, &["propose", "s.yaml", "--format", "json"]);
    run.exits(1).stderr_empty();
    let report = run.json();
    assert_eq!(report["scenario"], "synthetic-commands");
    assert_eq!(report["file"], "s.yaml");
    let proposals = report["proposals"].as_array().expect("proposals is a list");
    assert_eq!(proposals.len(), 2, "{report}");

    let upgrade = &proposals[0];
    assert_eq!(upgrade["id"], "aaa-upgrades");
    assert_eq!(upgrade["title"], "AAA sends an ambassador to BBB");
    assert_eq!(upgrade["on"], "2024-10-01");
    assert_eq!(upgrade["verdict"], "breaks");
    let introduced = upgrade["introduced"].as_array().unwrap();
    assert_eq!(introduced.len(), 1, "{upgrade}");
    assert_finding(
        &introduced[0],
        "rank-parity",
        "error",
        &["aaa-in-bbb", "bbb-in-aaa"],
        9,
    );
    assert_eq!(
        introduced[0]["message"],
        "Aaaland is represented in Bbbland by a head of class 1 (ambassador), but Bbbland in Aaaland by a head of class 3 (chargé d'affaires)"
    );
    assert_eq!(
        introduced[0]["cite"],
        "VCDR art. 14-15; reciprocity of rank"
    );
    assert_eq!(upgrade["resolved"], serde_json::json!([]));

    let fill = &proposals[1];
    assert_eq!(fill["id"], "aaa-fills-ccc");
    assert_eq!(fill["title"], "AAA sends a chargé d'affaires a.i. to CCC");
    assert_eq!(fill["on"], "2024-10-01");
    assert_eq!(fill["verdict"], "ok");
    assert_eq!(fill["introduced"], serde_json::json!([]));
    let resolved = fill["resolved"].as_array().unwrap();
    assert_eq!(resolved.len(), 1, "{fill}");
    assert_finding(&resolved[0], "head-vacant", "warning", &["aaa-in-ccc"], 25);
    // The finding as it stood on the proposal's date.
    assert!(
        resolved[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("on 2024-10-01"),
        "{}",
        resolved[0]["message"]
    );

    // A proposal without a title has `title: null`; the verdict follows --fail-on.
    let recall = [
        "propose",
        "s.yaml",
        "--proposals",
        "recall.yaml",
        "--format",
        "json",
    ];
    let run = parity_in(&dir, &recall);
    run.exits(0);
    let report = run.json();
    let only = &report["proposals"][0];
    assert_eq!(only["id"], "bbb-recalls");
    assert!(only["title"].is_null(), "{only}");
    assert_eq!(only["verdict"], "ok");
    assert_finding(
        &only["introduced"][0],
        "head-vacant",
        "warning",
        &["bbb-in-aaa"],
        18,
    );
    let run = parity_in(&dir, &with(&recall, &["--fail-on", "warning"]));
    run.exits(1);
    assert_eq!(run.json()["proposals"][0]["verdict"], "breaks");
}

// ---------------------------------------------------------------------------
// suggest

#[test]
fn suggest_recommends_the_highest_rank_that_breaks_nothing_and_exits_0() {
    let dir = project("suggest-ok");
    parity_in(&dir, &SUGGEST_BBB)
        .exits(0)
        .stderr_empty()
        .stdout_has(
            "synthetic-commands (s.yaml): a new head for aaa-in-bbb on 2024-10-01, credentials to BBB\n",
        )
        .stdout_has("  ambassador               class 1   breaks\n")
        .stdout_has("  charge-d-affaires        class 3   ok\n")
        .stdout_has("  charge-d-affaires-ai     no class  ok\n")
        .stdout_has("recommended: a chargé d'affaires (en pied)\n")
        .stdout_has("why: a chargé d'affaires (en pied) is the highest rank that introduces no finding that fails the check: an ambassador would introduce rank-parity (");
}

#[test]
fn suggest_fail_on_and_rules_decide_what_can_be_recommended() {
    let dir = project("suggest-flags");
    // For aaa-in-ccc (no reciprocal embassy) a class 1 or 2 head introduces
    // only the warning agrement-missing: an ambassador is fine at `error`.
    parity_in(&dir, &SUGGEST_CCC)
        .exits(0)
        .stdout_has("recommended: an ambassador\n");
    parity_in(&dir, &with(&SUGGEST_CCC, &["--fail-on", "warning"]))
        .exits(0)
        .stdout_has("  ambassador               class 1   breaks\n")
        .stdout_has("recommended: a chargé d'affaires (en pied)\n");
    // The policy's `charge-heads` (error) rules out a chargé en pied, and its
    // `proposed-head` (warning) fires for every new head.
    parity_in(&dir, &with(&SUGGEST_CCC, &["--rules", "policy"]))
        .exits(0)
        .stdout_has("  charge-d-affaires        class 3   breaks\n")
        .stdout_has("+ warning[proposed-head] aaa-in-ccc: aaa-in-ccc would get a new head")
        .stdout_has("recommended: an ambassador\n");
    parity_in(
        &dir,
        &with(&SUGGEST_CCC, &["--rules", "policy", "--fail-on", "warning"]),
    )
    .exits(1)
    .stderr_empty()
    .stdout_has("  charge-d-affaires-ai     no class  breaks\n")
    .stdout_has("no rank can be recommended\n")
    .stdout_has("why: every rank introduces a finding that fails the check: ");
}

#[test]
fn suggest_credentials_to_names_the_government_presented_to() {
    // The bundled Kabul fixture: Kazakhstan recognises the Islamic Republic,
    // while the Islamic Emirate is in control of Afghanistan on 2024-10-01.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = [
        "suggest",
        "fixtures/kabul-2024-09.yaml",
        "--mission",
        "kaz-in-afg",
        "--on",
        "2024-10-01",
        "--format",
        "json",
    ];
    let introduced = |report: &Value, rank: &str| -> Vec<String> {
        let trial = report["trials"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["rank"] == rank)
            .unwrap_or_else(|| panic!("no trial of {rank}: {report}"));
        trial["introduced"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let run = parity_in(root, &base);
    run.exits(0);
    let report = run.json();
    // By default, the receiver's government in control.
    assert_eq!(report["credentials_to"], "islamic-emirate");
    assert!(introduced(&report, "ambassador").contains(&"implied-recognition".to_string()));
    let run = parity_in(
        root,
        &with(&base, &["--credentials-to", "islamic-republic"]),
    );
    run.exits(0);
    let report = run.json();
    assert_eq!(report["credentials_to"], "islamic-republic");
    let ambassador = introduced(&report, "ambassador");
    assert!(
        !ambassador.contains(&"implied-recognition".to_string()),
        "{ambassador:?}"
    );
    assert!(
        ambassador.contains(&"credentials-to-former-government".to_string()),
        "{ambassador:?}"
    );
    // An acting chargé presents no credentials, so none go to the Republic.
    assert_eq!(
        introduced(&report, "charge-d-affaires-ai"),
        Vec::<String>::new()
    );
    assert_eq!(report["recommended"], "charge-d-affaires");
}

#[test]
fn suggest_exits_2_on_input_errors() {
    let dir = project("suggest-errors");
    let suggest = |mission: &str, on: &str, more: &[&str]| {
        let mut args = vec!["suggest", "s.yaml", "--mission", mission, "--on", on];
        args.extend_from_slice(more);
        parity_in(&dir, &args)
    };
    suggest("aaa-in-cc", "2024-10-01", &[])
        .exits(2)
        .stdout_empty()
        .stderr_has(
            "error[unknown-id]: there is no mission `aaa-in-cc` in this scenario to appoint a head to\n --> s.yaml:2:11\n",
        )
        .stderr_has("= help: did you mean `aaa-in-ccc`?")
        .stderr_has("parity: 1 error; nothing was evaluated");
    suggest("aaa-in-ccc", "2024-10-01", &["--credentials-to", "ZZZ"])
        .exits(2)
        .stdout_empty()
        .stderr_has(
            "error[unknown-id]: credentials cannot be presented to `ZZZ`: it is not a government of this scenario\n  --> s.yaml:25:5\n",
        );
    // aaa-in-bbb opens on 2020-01-01.
    suggest("aaa-in-bbb", "2019-06-01", &[])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[invalid-change]: cannot appoint to `aaa-in-bbb`: it is not open on 2019-06-01\n --> s.yaml:9:9\n")
        // The mission's id, underlined whole.
        .stderr_has(" ^^^^^^^^^^\n");
    suggest("aaa-in-ccc", "2024-02-30", &[])
        .exits(2)
        .stdout_empty()
        .stderr_has("`2024-02-30` is not a real date: February 2024 has 29 days");
    parity_in(&dir, &["suggest", "s.yaml", "--mission", "aaa-in-ccc"])
        .exits(2)
        .stdout_empty()
        .stderr_has("--on <DATE>");
    parity_in(
        &dir,
        &[
            "suggest",
            "missing.yaml",
            "--mission",
            "m",
            "--on",
            "2024-10-01",
        ],
    )
    .exits(2)
    .stdout_empty()
    .stderr_has("error[unreadable-file]: cannot read missing.yaml");
}

#[test]
fn suggest_json_contract_field_by_field() {
    let dir = project("suggest-json");
    let run = parity_in(&dir, &with(&SUGGEST_BBB, &["--format", "json"]));
    run.exits(0).stderr_empty();
    let report = run.json();
    assert_eq!(report["scenario"], "synthetic-commands");
    assert_eq!(report["file"], "s.yaml");
    assert_eq!(report["mission"], "aaa-in-bbb");
    assert_eq!(report["on"], "2024-10-01");
    // BBB lists no government: its implicit one has the state's id.
    assert_eq!(report["credentials_to"], "BBB");
    assert_eq!(report["recommended"], "charge-d-affaires");
    let reason = report["reason"].as_str().expect("reason is a string");
    assert!(
        reason.starts_with("a chargé d'affaires (en pied) is the highest rank that introduces no finding that fails the check: an ambassador would introduce rank-parity ("),
        "{reason}"
    );
    assert!(
        reason.ends_with("; so would an envoy and a minister"),
        "{reason}"
    );
    let trials = report["trials"].as_array().expect("trials is a list");
    // Highest class first; (rank, class, breaks, rules introduced).
    let expected: [(&str, Value, bool, &[&str]); 5] = [
        (
            "ambassador",
            1.into(),
            true,
            &["rank-parity", "agrement-missing"],
        ),
        (
            "envoy",
            2.into(),
            true,
            &["rank-parity", "agrement-missing"],
        ),
        (
            "minister",
            2.into(),
            true,
            &["rank-parity", "agrement-missing"],
        ),
        ("charge-d-affaires", 3.into(), false, &[]),
        ("charge-d-affaires-ai", Value::Null, false, &[]),
    ];
    assert_eq!(trials.len(), expected.len(), "{report}");
    for (trial, (rank, class, breaks, rules)) in trials.iter().zip(expected) {
        assert_eq!(trial["rank"], rank, "{trial}");
        assert_eq!(trial["class"], class, "{trial}");
        assert_eq!(trial["breaks"], breaks, "{trial}");
        let introduced: Vec<&str> = trial["introduced"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert_eq!(introduced, rules, "{trial}");
        // The chargé in office is replaced: nothing of the scenario's resolves.
        assert_eq!(trial["resolved"], serde_json::json!([]), "{trial}");
    }
    assert_finding(
        &trials[0]["introduced"][0],
        "rank-parity",
        "error",
        &["aaa-in-bbb", "bbb-in-aaa"],
        9,
    );
    assert_finding(
        &trials[0]["introduced"][1],
        "agrement-missing",
        "warning",
        &["aaa-in-bbb"],
        9,
    );

    // aaa-in-ccc: every rank resolves its vacancy; with the policy at
    // `warning` none can be recommended, and `recommended` is null.
    let run = parity_in(
        &dir,
        &with(
            &SUGGEST_CCC,
            &[
                "--format",
                "json",
                "--rules",
                "policy",
                "--fail-on",
                "warning",
            ],
        ),
    );
    run.exits(1);
    let report = run.json();
    assert!(report["recommended"].is_null(), "{report}");
    assert_eq!(report["credentials_to"], "CCC");
    let trials = report["trials"].as_array().unwrap();
    assert_eq!(trials.len(), 5);
    for trial in trials {
        assert_eq!(trial["breaks"], true, "{trial}");
        assert_finding(
            &trial["resolved"][0],
            "head-vacant",
            "warning",
            &["aaa-in-ccc"],
            25,
        );
    }
    assert!(
        report["reason"]
            .as_str()
            .unwrap()
            .starts_with("every rank introduces a finding that fails the check: "),
        "{}",
        report["reason"]
    );
}

// ---------------------------------------------------------------------------
// timeline

#[test]
fn timeline_exits_0_whatever_it_finds_and_refuses_fail_on() {
    let dir = project("timeline-exit");
    let expected = "\
synthetic-commands (s.yaml): 2 findings over 17 change points

error[rank-parity] aaa-in-bbb, bbb-in-aaa
    2022-01-01 → 2023-01-01
warning[head-vacant] aaa-in-ccc
    since ever → still
";
    let run = parity_in(&dir, &["timeline", "s.yaml"]);
    run.exits(0).stderr_empty();
    assert_eq!(run.stdout, expected);
    // An error finding holds for a year, and still the exit status is 0:
    // a history has no verdict, so --fail-on, which would set one, is
    // refused rather than ignored.
    for level in ["error", "warning", "info"] {
        parity_in(&dir, &["timeline", "s.yaml", "--fail-on", level])
            .exits(2)
            .stdout_empty()
            .stderr_has(&format!(
                "error[usage]: `parity timeline` does not take --fail-on {level}"
            ));
    }
}

#[test]
fn timeline_window_clips_the_periods() {
    let dir = project("timeline-window");
    parity_in(
        &dir,
        &[
            "timeline",
            "s.yaml",
            "--from",
            "2022-06-01",
            "--until",
            "2022-09-01",
        ],
    )
    .exits(0)
    .stderr_empty()
    .stdout_has("synthetic-commands (s.yaml) from 2022-06-01 until 2022-09-01:")
    .stdout_has("error[rank-parity] aaa-in-bbb, bbb-in-aaa\n    2022-06-01 → 2022-09-01\n")
    .stdout_has("warning[head-vacant] aaa-in-ccc\n    2022-06-01 → 2022-09-01\n");
    // Only --from: the periods run on until they end.
    parity_in(&dir, &["timeline", "s.yaml", "--from", "2022-06-01"])
        .exits(0)
        .stdout_has("error[rank-parity] aaa-in-bbb, bbb-in-aaa\n    2022-06-01 → 2023-01-01\n")
        .stdout_has("warning[head-vacant] aaa-in-ccc\n    2022-06-01 → still\n");
    // Before the ambassador: no rank-parity at all.
    parity_in(&dir, &["timeline", "s.yaml", "--until", "2021-01-01"])
        .exits(0)
        .stdout_lacks("rank-parity")
        .stdout_has("warning[head-vacant] aaa-in-ccc\n    since ever → 2021-01-01\n");
    for until in ["2022-06-01", "2022-05-31"] {
        parity_in(
            &dir,
            &[
                "timeline",
                "s.yaml",
                "--from",
                "2022-06-01",
                "--until",
                until,
            ],
        )
        .exits(2)
        .stdout_empty()
        .stderr_has(&format!(
            "error[usage]: --until {until} is not after --from 2022-06-01"
        ));
    }
    parity_in(&dir, &["timeline", "s.yaml", "--from", "2022/06/01"])
        .exits(2)
        .stdout_empty()
        .stderr_has("`2022/06/01` is not a date: write YYYY-MM-DD");
}

#[test]
fn timeline_exits_2_on_input_errors() {
    let dir = project("timeline-errors");
    parity_in(&dir, &["timeline", "missing.yaml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read missing.yaml");
    write(
        &dir,
        "broken.yaml",
        &SCENARIO.replacen("kind: embassy\n    from", "kind: embasy\n    from", 1),
    );
    parity_in(&dir, &["timeline", "broken.yaml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unknown-kind]")
        .stderr_has("--> broken.yaml:12:11");
}

#[test]
fn timeline_adds_the_rules_of_a_directory() {
    let dir = project("timeline-rules");
    parity_in(&dir, &["timeline", "s.yaml", "--rules", "policy"])
        .exits(0)
        .stderr_empty()
        .stdout_has("synthetic-commands (s.yaml): 4 findings over 17 change points\n")
        // AAA's chargé, then its ambassador, then a chargé again: two periods.
        .stdout_has(
            "error[charge-heads] aaa-in-bbb\n    2020-01-01 → 2022-01-01, 2023-01-01 → still\n",
        )
        .stdout_has("error[charge-heads] bbb-in-aaa\n    2020-01-01 → still\n");
}

#[test]
fn timeline_json_contract_field_by_field() {
    let dir = project("timeline-json");
    let run = parity_in(&dir, &["timeline", "s.yaml", "--format", "json"]);
    run.exits(0).stderr_empty();
    let report = run.json();
    assert_eq!(report["scenario"], "synthetic-commands");
    assert_eq!(report["file"], "s.yaml");
    assert!(report["from"].is_null(), "{report}");
    assert!(report["until"].is_null(), "{report}");
    // The first point ("since ever"), the three dates written in the file,
    // and the dates the standard rules derive from them (days 90 and 91,
    // 365 and 366 after each: credentials-pending, prolonged-acting-head;
    // the day after each: persona-non-grata-in-office).
    assert_eq!(report["evaluations"], 17);
    let findings = report["findings"].as_array().expect("findings is a list");
    assert_eq!(findings.len(), 2, "{report}");

    let parity = &findings[0];
    assert_eq!(parity["rule"], "rank-parity");
    assert_eq!(
        parity["subject"],
        serde_json::json!(["aaa-in-bbb", "bbb-in-aaa"])
    );
    assert_eq!(parity["severity"], "error");
    assert_eq!(
        parity["title"],
        "Heads of mission between two states are of equal class"
    );
    assert_eq!(
        parity["message"],
        "Aaaland is represented in Bbbland by a head of class 1 (ambassador), but Bbbland in Aaaland by a head of class 3 (chargé d'affaires)"
    );
    assert_eq!(
        parity["periods"],
        serde_json::json!([{ "from": "2022-01-01", "until": "2023-01-01" }])
    );

    let vacant = &findings[1];
    assert_eq!(vacant["rule"], "head-vacant");
    assert_eq!(vacant["subject"], serde_json::json!(["aaa-in-ccc"]));
    assert_eq!(vacant["severity"], "warning");
    assert_eq!(vacant["title"], "Open embassy with no head of mission");
    assert!(
        vacant["message"]
            .as_str()
            .unwrap()
            .starts_with("Aaaland's embassy in Cccland has no head of mission"),
        "{vacant}"
    );
    // `from` null for "since ever", `until` null while it still holds.
    assert_eq!(
        vacant["periods"],
        serde_json::json!([{ "from": null, "until": null }])
    );

    // A window: `from` and `until` are the dates given, and clip the periods.
    let run = parity_in(
        &dir,
        &[
            "timeline",
            "s.yaml",
            "--format",
            "json",
            "--from",
            "2022-06-01",
            "--until",
            "2022-09-01",
        ],
    );
    run.exits(0);
    let report = run.json();
    assert_eq!(report["from"], "2022-06-01");
    assert_eq!(report["until"], "2022-09-01");
    // No date written in the file falls inside the window: one evaluation.
    assert_eq!(report["evaluations"], 1);
    for finding in report["findings"].as_array().unwrap() {
        assert_eq!(
            finding["periods"],
            serde_json::json!([{ "from": "2022-06-01", "until": "2022-09-01" }]),
            "{finding}"
        );
    }
}

// ---------------------------------------------------------------------------
// test

#[test]
fn test_exits_0_when_everything_passes_and_1_on_a_failure() {
    let dir = project("test-exit");
    let run = parity_in(&dir, &["test", "t"]);
    run.exits(0).stderr_empty();
    assert_eq!(
        run.stdout,
        "ok    head-vacant: an embassy with no head is vacant\n\
         ok    head-vacant: an embassy with a head is not vacant\n\
         \n2 passed, 0 failed\n"
    );
    // The severity of a rule is no business of its tests: --fail-on is
    // refused, not silently ignored, and nothing is run.
    parity_in(&dir, &["test", "t", "--fail-on", "warning"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[usage]: `parity test` does not take --fail-on warning");

    // A case expecting the wrong subject.
    write(
        &dir,
        "wrong/head-vacant.test.yaml",
        &HV_TEST.replacen("- [aaa-in-bbb]", "- [bbb-in-aaa]", 1),
    );
    parity_in(&dir, &["test", "wrong"])
        .exits(1)
        .stderr_empty()
        .stdout_has(
            "FAIL  head-vacant: an embassy with no head is vacant  [wrong/head-vacant.test.yaml:4:5]\n      \
             did not fire for [bbb-in-aaa]; fired unexpectedly for [aaa-in-bbb]\n",
        )
        .stdout_has("ok    head-vacant: an embassy with a head is not vacant\n")
        .stdout_has("\n1 passed, 1 failed\n");
    // A scenario's claim that does not hold is a failing test too.
    parity_in(&dir, &["test", "claims/claims.yaml", "t"])
        .exits(1)
        .stdout_has(
            "FAIL  claim: Two missions  [claims/claims.yaml:8:12]\n      \
             does not hold at 2024-09-27: count(m in missions) == 2\n",
        )
        .stdout_has("\n2 passed, 1 failed\n");
}

#[test]
fn test_coverage_threshold_fails_below_the_share() {
    let dir = project("test-threshold");
    // One rule of fourteen exercised both ways: 7.1 %.
    parity_in(&dir, &["test", "t", "--coverage"])
        .exits(0)
        .stdout_has("\ncoverage: 7% of rules tested firing and not firing\n")
        .stdout_has("  rank-parity: no test where it fires, no test where it must not fire\n")
        .stdout_lacks("\n  head-vacant:");
    parity_in(&dir, &["test", "t", "--coverage", "--threshold", "0.07"]).exits(0);
    parity_in(&dir, &["test", "t", "--coverage", "--threshold", "0"]).exits(0);
    parity_in(&dir, &["test", "t", "--coverage", "--threshold", "0.08"])
        .exits(1)
        .stdout_has("2 passed, 0 failed");
    parity_in(&dir, &["test", "t", "--coverage", "--threshold", "1"]).exits(1);
    // --threshold needs --coverage.
    parity_in(&dir, &["test", "t", "--threshold", "0.1"])
        .exits(2)
        .stdout_empty()
        .stderr_has("--coverage");
    // Only a share from 0 to 1: NaN would pass every run, 90 fail every one.
    for share in ["nan", "90", "-0.5", "inf", "lots"] {
        parity_in(&dir, &["test", "t", "--coverage", &format!("--threshold={share}")])
            .exits(2)
            .stdout_empty()
            .stderr_has(&format!(
                "invalid value '{share}' for '--threshold <SHARE>': `{share}` is not a share: write a number from 0 to 1"
            ));
    }
}

#[test]
fn test_json_reports_each_result_and_the_coverage() {
    let dir = project("test-json");
    let run = parity_in(&dir, &["test", "t", "claims", "--format", "json"]);
    run.exits(1).stderr_empty();
    let report = run.json();
    assert_eq!(report["passed"], 2);
    assert_eq!(report["failed"], 1);
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{report}");
    let claim = results
        .iter()
        .find(|r| r["name"] == "claim: Two missions")
        .expect("the claim's result");
    assert_eq!(claim["passed"], false);
    assert_eq!(
        claim["detail"],
        "does not hold at 2024-09-27: count(m in missions) == 2"
    );
    assert_eq!(
        claim["location"],
        serde_json::json!({ "file": "claims/claims.yaml", "line": 8, "column": 12 })
    );
    let case = results
        .iter()
        .find(|r| r["name"] == "head-vacant: an embassy with no head is vacant")
        .expect("the case's result");
    assert_eq!(case["passed"], true);
    assert!(case["detail"].is_null());
    let coverage = report["coverage"].as_array().unwrap();
    assert_eq!(coverage.len(), 14, "one entry per standard rule");
    for rule in coverage {
        let both = rule["rule"] == "head-vacant";
        assert_eq!(rule["firing"], both, "{rule}");
        assert_eq!(rule["quiet"], both, "{rule}");
    }
}

#[test]
fn test_adds_the_rules_of_a_directory_and_exits_2_on_input_errors() {
    let dir = project("test-rules");
    parity_in(&dir, &["test", "charge"])
        .exits(2)
        .stdout_empty()
        .stderr_has(
            "error[unknown-rule]: the tests are for no known rule `charge-heads`\n --> charge/charge-heads.test.yaml:2:7\n",
        )
        .stderr_has("parity: 1 error; nothing was evaluated");
    let run = parity_in(&dir, &["test", "charge", "--rules", "policy"]);
    run.exits(0).stderr_empty();
    assert_eq!(
        run.stdout,
        "ok    charge-heads: a chargé en pied fires\n\n1 passed, 0 failed\n"
    );
    parity_in(&dir, &["test", "missing"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read missing")
        .stderr_has("parity: 1 error reading the tests; nothing was evaluated");
}

// ---------------------------------------------------------------------------
// The --limit-* flags, outside check

/// The commands that read `s.yaml` with the common options.
fn scenario_commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["propose", "s.yaml"],
        SUGGEST_CCC.to_vec(),
        vec!["timeline", "s.yaml"],
        vec!["test", "s.yaml"],
    ]
}

#[test]
fn limit_file_bytes_applies_to_every_command_that_reads_a_scenario() {
    let dir = project("limit-bytes");
    let size = SCENARIO.len();
    for args in scenario_commands() {
        parity_in(&dir, &with(&args, &["--limit-file-bytes", "10"]))
            .exits(2)
            .stdout_empty()
            .stderr_has(&format!(
                "error[file-too-large]: cannot read s.yaml: the file is {size} bytes, more than the limit of 10 bytes\n"
            ))
            .stderr_has("= help: raise the limit with --limit-file-bytes if the file is genuine");
        // At its exact size the file is read.
        let run = parity_in(
            &dir,
            &with(&args, &["--limit-file-bytes", &size.to_string()]),
        );
        assert!(
            matches!(run.code, Some(0 | 1)),
            "{}: {}",
            run.args,
            run.stderr
        );
    }
    // A rule test file is held to the limit too.
    parity_in(&dir, &["test", "t", "--limit-file-bytes", "10"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[file-too-large]: cannot read t/head-vacant.test.yaml:");
    // And the file of proposals, read after a scenario that fits.
    let padded = format!("{FILL}# {}\n", "x".repeat(size));
    write(&dir, "padded.yaml", &padded);
    parity_in(
        &dir,
        &[
            "propose",
            "s.yaml",
            "--proposals",
            "padded.yaml",
            "--limit-file-bytes",
            &size.to_string(),
        ],
    )
    .exits(2)
    .stdout_empty()
    .stderr_has(&format!(
        "error[file-too-large]: cannot read padded.yaml: the file is {} bytes, more than the limit of {size} bytes",
        padded.len()
    ));
}

#[test]
fn limit_eval_steps_applies_to_every_command_that_evaluates() {
    let dir = project("limit-steps");
    for args in scenario_commands() {
        parity_in(&dir, &with(&args, &["--limit-eval-steps", "1"]))
            .exits(2)
            .stdout_empty()
            .stderr_has("error[evaluation-budget]: rule `")
            .stderr_has("evaluation stopped after 1 step (the budget)");
    }
    parity_in(&dir, &["test", "t", "--limit-eval-steps", "1"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[evaluation-budget]");
    // Enough steps for this small world: the default outcome.
    parity_in(&dir, &["timeline", "s.yaml", "--limit-eval-steps", "1000"])
        .exits(0)
        .stdout_has("2 findings over 17 change points");
}

#[test]
fn limit_yaml_nodes_applies_to_every_command_that_reads_a_scenario() {
    let dir = project("limit-nodes");
    for args in scenario_commands() {
        parity_in(&dir, &with(&args, &["--limit-yaml-nodes", "5"]))
            .exits(2)
            .stdout_empty()
            .stderr_has("error[yaml-node-limit]: the YAML has more than 5 nodes (lists, mappings and values)\n --> s.yaml:");
    }
    parity_in(&dir, &["test", "t", "--limit-yaml-nodes", "5"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[yaml-node-limit]")
        .stderr_has("--> t/head-vacant.test.yaml:");
}

// ---------------------------------------------------------------------------
// --output

#[test]
fn output_writes_exactly_what_stdout_would_for_every_command() {
    let dir = project("output-same");
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "s.yaml"],
        vec!["check", "s.yaml", "--format", "json"],
        vec!["check", "s.yaml", "--format", "sarif"],
        vec!["check", "s.yaml", "--format", "junit"],
        vec!["check", "s.yaml", "--format", "github"],
        vec!["check", "s.yaml", "--format", "markdown"],
        vec!["check", "s.yaml", "--fail-on", "warning"],
        vec!["propose", "s.yaml"],
        vec!["propose", "s.yaml", "--format", "json"],
        SUGGEST_BBB.to_vec(),
        with(&SUGGEST_BBB, &["--format", "json"]),
        vec!["timeline", "s.yaml"],
        vec!["timeline", "s.yaml", "--format", "json"],
        vec!["test", "t", "claims", "--coverage"],
        vec!["test", "t", "--format", "json"],
        vec!["graph", "s.yaml"],
        vec!["graph", "s.yaml", "--format", "mermaid"],
    ];
    for args in cases {
        let to_stdout = parity_in(&dir, &args);
        assert!(!to_stdout.stdout.is_empty(), "{}", to_stdout.args);
        for flag in ["--output", "-o"] {
            let _ = std::fs::remove_file(dir.join("out/report.txt"));
            std::fs::create_dir_all(dir.join("out")).unwrap();
            let to_file = parity_in(&dir, &with(&args, &[flag, "out/report.txt"]));
            assert_eq!(to_file.code, to_stdout.code, "{}", to_file.args);
            to_file.stdout_empty();
            // `github` ends with its summary on stderr; the rest say nothing there.
            assert_eq!(to_file.stderr, to_stdout.stderr, "{}", to_file.args);
            assert_eq!(
                String::from_utf8(read(&dir, "out/report.txt")).unwrap(),
                to_stdout.stdout,
                "{}: the file holds what stdout would",
                to_file.args
            );
        }
        // `-` is standard output, as `-` among the files is standard input.
        let dashed = parity_in(&dir, &with(&args, &["--output", "-"]));
        assert_eq!(dashed.code, to_stdout.code, "{}", dashed.args);
        assert_eq!(dashed.stdout, to_stdout.stdout, "{}", dashed.args);
        assert!(
            !dir.join("-").exists(),
            "{}: wrote a file named -",
            dashed.args
        );
    }
    // An existing file is replaced whole.
    write(&dir, "old.txt", &"stale\n".repeat(10_000));
    parity_in(&dir, &["timeline", "s.yaml", "--output", "old.txt"]).exits(0);
    assert_eq!(
        String::from_utf8(read(&dir, "old.txt")).unwrap(),
        parity_in(&dir, &["timeline", "s.yaml"]).stdout
    );
}

#[test]
fn output_onto_an_input_is_refused_by_every_command() {
    let dir = project("output-input");
    let cases: [(Vec<&str>, &str); 9] = [
        (vec!["check", "s.yaml"], "s.yaml"),
        (
            vec!["check", "s.yaml", "--rules", "policy"],
            "policy/policy.rules",
        ),
        (vec!["propose", "s.yaml"], "s.yaml"),
        (
            vec!["propose", "s.yaml", "--proposals", "recall.yaml"],
            "recall.yaml",
        ),
        (
            with(&SUGGEST_CCC, &["--rules", "policy"]),
            "policy/policy.rules",
        ),
        (vec!["timeline", "s.yaml"], "s.yaml"),
        (vec!["test", "t"], "t/head-vacant.test.yaml"),
        (vec!["graph", "s.yaml"], "./s.yaml"),
        (
            vec!["graph", "s.yaml", "--rules", "policy"],
            "policy/policy.rules",
        ),
    ];
    for (args, input) in cases {
        let before = std::fs::read(dir.join(input)).unwrap();
        parity_in(&dir, &with(&args, &["--output", input]))
            .exits(2)
            .stdout_empty()
            .stderr_has(&format!(
                "error[output-is-input]: {input} is an input of this run; refusing to overwrite it\n"
            ));
        assert_eq!(read(&dir, input), before, "{input} is unchanged");
    }
}

#[test]
fn output_that_cannot_be_written_is_an_error_whatever_the_verdict() {
    let dir = project("output-unwritable");
    // A directory that does not exist, and one "inside" a regular file (so
    // that the test holds when run as root, who may write anywhere else).
    for target in ["no-such-dir/report.txt", "s.yaml/report.txt"] {
        for args in [
            vec!["check", "s.yaml", "--fail-on", "warning"],
            vec!["propose", "s.yaml"],
            SUGGEST_BBB.to_vec(),
            vec!["timeline", "s.yaml"],
            vec!["test", "t"],
            vec!["graph", "s.yaml"],
        ] {
            // propose and check would exit 1 here: the failed write wins.
            parity_in(&dir, &with(&args, &["--output", target]))
                .exits(2)
                .stdout_empty()
                .stderr_has(&format!(
                    "error[unwritable-output]: cannot write {target}: "
                ));
        }
    }
    assert_eq!(read(&dir, "s.yaml"), SCENARIO.as_bytes());
    // Nothing is written when the input is wrong.
    parity_in(
        &dir,
        &[
            "propose",
            "s.yaml",
            "--limit-file-bytes",
            "10",
            "--output",
            "report.txt",
        ],
    )
    .exits(2);
    assert!(!dir.join("report.txt").exists());
}

// ---------------------------------------------------------------------------
// graph

#[test]
fn graph_draws_dot_or_mermaid_and_exits_0() {
    let dir = project("graph");
    let run = parity_in(&dir, &["graph", "s.yaml"]);
    run.exits(0).stderr_empty();
    assert!(
        run.stdout.starts_with("digraph \"synthetic-commands\" {\n"),
        "{}",
        run.stdout
    );
    run.stdout_has("  \"AAA\" [label=\"Aaaland\"];\n")
        .stdout_has("  \"AAA\" -> \"BBB\" [id=\"aaa-in-bbb\", label=\"charge-d-affaires\"];\n")
        // The vacant embassy (head-vacant) is highlighted.
        .stdout_has(
            "  \"AAA\" -> \"CCC\" [id=\"aaa-in-ccc\", label=\"no head\", color=red, penwidth=2];\n",
        );
    assert!(run.stdout.ends_with("}\n"), "{}", run.stdout);
    assert_eq!(
        parity_in(&dir, &["graph", "s.yaml", "--format", "dot"]).stdout,
        run.stdout
    );
    let run = parity_in(&dir, &["graph", "s.yaml", "--format", "mermaid"]);
    run.exits(0).stderr_empty();
    assert!(run.stdout.starts_with("graph LR\n"), "{}", run.stdout);
    run.stdout_has("  AAA -->|\"⚠ no head\"| CCC\n")
        .stdout_has("  linkStyle 1 stroke:red,stroke-width:2px\n");
    // A drawing is not a verdict: an error finding still exits 0.
    parity_in(&dir, &["graph", "s.yaml", "--as-of", "2022-06-01"])
        .exits(0)
        .stdout_has("  \"AAA\" -> \"BBB\" [id=\"aaa-in-bbb\", label=\"ambassador\", color=red, penwidth=2];\n");
}

#[test]
fn graph_takes_rules_and_refuses_report_formats() {
    let dir = project("graph-flags");
    parity_in(&dir, &["graph", "s.yaml", "--rules", "policy"])
        .exits(0)
        .stdout_has("  \"BBB\" -> \"AAA\" [id=\"bbb-in-aaa\", label=\"charge-d-affaires\", color=red, penwidth=2];\n");
    for format in ["human", "json", "sarif"] {
        parity_in(&dir, &["graph", "s.yaml", "--format", format])
            .exits(2)
            .stdout_empty()
            .stderr_has(&format!("invalid value '{format}' for '--format <FORMAT>'"))
            .stderr_has("[possible values: dot, mermaid]");
    }
    parity_in(&dir, &["graph", "missing.yaml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read missing.yaml");
    parity_in(&dir, &["graph", "s.yaml", "--rules", "no-such-dir"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read no-such-dir");
}

// ---------------------------------------------------------------------------
// fmt

#[test]
fn fmt_check_exits_0_on_canonical_files_and_changes_nothing() {
    let dir = project("fmt-clean");
    parity_in(&dir, &["fmt", "--check", "policy"])
        .exits(0)
        .stdout_empty()
        .stderr_empty();
    assert_eq!(read(&dir, "policy/policy.rules"), POLICY.as_bytes());
    // Formatting a canonical file in place changes nothing and says nothing.
    parity_in(&dir, &["fmt", "policy/policy.rules"])
        .exits(0)
        .stdout_empty();
    assert_eq!(read(&dir, "policy/policy.rules"), POLICY.as_bytes());
}

#[test]
fn fmt_check_exits_1_naming_what_would_change_and_changes_no_byte() {
    let dir = project("fmt-messy");
    write(&dir, "rules/messy.rules", MESSY_RULES);
    write(&dir, "rules/policy.rules", POLICY);
    let run = parity_in(&dir, &["fmt", "--check", "rules"]);
    run.exits(1).stderr_empty();
    assert_eq!(run.stdout, "would reformat rules/messy.rules\n");
    assert_eq!(read(&dir, "rules/messy.rules"), MESSY_RULES.as_bytes());
    // Without --check the file is rewritten, and then passes.
    let run = parity_in(&dir, &["fmt", "rules"]);
    run.exits(0).stderr_empty();
    assert_eq!(run.stdout, "reformatted rules/messy.rules\n");
    assert_eq!(read(&dir, "rules/messy.rules"), MESSY_FORMATTED.as_bytes());
    assert_eq!(read(&dir, "rules/policy.rules"), POLICY.as_bytes());
    parity_in(&dir, &["fmt", "--check", "rules"])
        .exits(0)
        .stdout_empty();
}

#[test]
fn fmt_named_a_scenario_says_it_lays_out_rule_files_and_changes_no_byte() {
    let dir = project("fmt-scenario");
    write(&dir, "kabul.yaml", SCENARIO);
    parity_in(&dir, &["fmt", "kabul.yaml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[usage]: kabul.yaml is a scenario file: `parity fmt` lays out rule files (*.rules) only\n")
        .stderr_lacks("rule-syntax");
    assert_eq!(read(&dir, "kabul.yaml"), SCENARIO.as_bytes());
}

#[test]
fn fmt_exits_2_on_a_file_that_does_not_parse_and_changes_no_byte() {
    let dir = project("fmt-broken");
    write(&dir, "rules/broken.rules", BROKEN_RULES);
    write(&dir, "rules/messy.rules", MESSY_RULES);
    for check in [true, false] {
        let mut args = vec!["fmt", "rules/broken.rules"];
        if check {
            args.insert(1, "--check");
        }
        parity_in(&dir, &args)
            .exits(2)
            .stdout_empty()
            .stderr_has("error[rule-syntax]: expected `title`, `severity`, `cite`, `about`, `subject`, `for`, `where`, `require`, `message` or `}`, found `titl`\n --> rules/broken.rules:2:14\n")
            .stderr_has("= help: did you mean `title`?");
        assert_eq!(read(&dir, "rules/broken.rules"), BROKEN_RULES.as_bytes());
    }
    // A broken file wins the exit status, and the others are still listed.
    parity_in(&dir, &["fmt", "--check", "rules"])
        .exits(2)
        .stdout_has("would reformat rules/messy.rules\n")
        .stderr_has("error[rule-syntax]");
    assert_eq!(read(&dir, "rules/messy.rules"), MESSY_RULES.as_bytes());
    parity_in(&dir, &["fmt", "--check", "missing.rules"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read missing.rules");
    parity_in(&dir, &["fmt", "--check"])
        .exits(2)
        .stdout_empty()
        .stderr_has("<PATHS>...");
}

// ---------------------------------------------------------------------------
// explain, rules

#[test]
fn explain_prints_a_rule_and_exits_0() {
    let dir = project("explain");
    let run = parity_in(&dir, &["explain", "rank-parity"]);
    run.exits(0).stderr_empty();
    assert!(
        run.stdout
            .starts_with("rank-parity: Heads of mission between two states are of equal class\n"),
        "{}",
        run.stdout
    );
    run.stdout_has("severity  error\n")
        .stdout_has("cite      VCDR art. 14-15; reciprocity of rank\n")
        .stdout_has("defined   rules/parity.rules:")
        .stdout_has("What it checks:")
        .stdout_has("rule rank-parity {");
    // A rule of --rules is explained with where it is defined.
    parity_in(&dir, &["explain", "charge-heads", "--rules", "policy"])
        .exits(0)
        .stdout_has("charge-heads: An embassy headed by a chargé d'affaires en pied\n")
        .stdout_has("severity  error\n")
        .stdout_has("defined   policy/policy.rules:3\n");
}

#[test]
fn explain_an_unknown_rule_exits_2_with_the_nearest_or_the_list() {
    let dir = project("explain-unknown");
    let run = parity_in(&dir, &["explain", "rank-parit"]);
    run.exits(2).stdout_empty();
    assert_eq!(
        run.stderr,
        "error[unknown-rule]: there is no rule `rank-parit`; did you mean `rank-parity`?\n"
    );
    let run = parity_in(&dir, &["explain", "zzzzzzzz"]);
    run.exits(2).stdout_empty();
    assert_eq!(
        run.stderr,
        "error[unknown-rule]: there is no rule `zzzzzzzz`; the rules are: agrement-missing, credentials-pending, credentials-to-former-government, duplicate-mission, exequatur-missing, head-vacant, implied-recognition, interests-section-without-protecting-power, mission-without-relations, orphan-mission, persona-non-grata-in-office, prolonged-acting-head, rank-parity, staff-parity\n"
    );
    // A rule of a directory not loaded is unknown; a near one is suggested.
    parity_in(&dir, &["explain", "charge-heads"])
        .exits(2)
        .stdout_empty()
        .stderr_has("there is no rule `charge-heads`");
    parity_in(&dir, &["explain", "charge-head", "--rules", "policy"])
        .exits(2)
        .stderr_has("did you mean `charge-heads`?");
    parity_in(&dir, &["explain", "rank-parity", "--rules", "no-such-dir"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read no-such-dir");
}

#[test]
fn rules_lists_the_standard_rules_and_those_of_rules() {
    let dir = project("rules");
    let run = parity_in(&dir, &["rules"]);
    run.exits(0).stderr_empty();
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "agrement-missing",
            "credentials-pending",
            "credentials-to-former-government",
            "duplicate-mission",
            "exequatur-missing",
            "head-vacant",
            "implied-recognition",
            "interests-section-without-protecting-power",
            "mission-without-relations",
            "orphan-mission",
            "persona-non-grata-in-office",
            "prolonged-acting-head",
            "rank-parity",
            "staff-parity"
        ]
    );
    run.stdout_has(&format!(
        "{:<34} {:<8} {}\n",
        "rank-parity", "error", "Heads of mission between two states are of equal class"
    ));
    let run = parity_in(&dir, &["rules", "--rules", "policy"]);
    run.exits(0)
        .stdout_has(&format!(
            "{:<34} {:<8} {}\n",
            "charge-heads", "error", "An embassy headed by a chargé d'affaires en pied"
        ))
        .stdout_has(&format!(
            "{:<34} {:<8} {}\n",
            "proposed-head", "warning", "A head that a proposal appoints"
        ));
    assert_eq!(run.stdout.lines().count(), 16);
}

// ---------------------------------------------------------------------------
// completions, man

#[test]
fn completions_for_each_shell_name_every_command() {
    let dir = scratch("completions");
    for (shell, start) in [
        ("bash", "_parity() {"),
        ("zsh", "#compdef parity"),
        ("fish", "# Print an optspec"),
    ] {
        let run = parity_in(&dir, &["completions", shell]);
        run.exits(0).stderr_empty();
        assert!(
            run.stdout.starts_with(start),
            "{shell}: {}",
            &run.stdout[..run.stdout.len().min(200)]
        );
        for command in [
            "check",
            "propose",
            "suggest",
            "timeline",
            "graph",
            "precedence",
            "test",
            "fmt",
            "explain",
            "completions",
            "man",
            "rules",
        ] {
            assert!(
                run.stdout.contains(command),
                "{shell} completion lacks `{command}`"
            );
        }
        // Options of a subcommand are completed too.
        run.stdout_has("proposals").stdout_has("limit-file-bytes");
    }
    parity_in(&dir, &["completions", "fish"])
        .stdout_has("complete -c parity -n \"__fish_parity_needs_command\" -f -a \"propose\"");
    parity_in(&dir, &["completions", "tcsh"])
        .exits(2)
        .stdout_empty()
        .stderr_has("invalid value 'tcsh' for '<SHELL>'");
    parity_in(&dir, &["completions"]).exits(2).stdout_empty();
}

#[test]
fn man_prints_a_roff_page() {
    let dir = scratch("man");
    let run = parity_in(&dir, &["man"]);
    run.exits(0).stderr_empty();
    run.stdout_has("\n.TH parity 1 ")
        .stdout_has("\n.SH NAME\nparity \\- Check diplomatic scenarios")
        .stdout_has("\n.SH SUBCOMMANDS\n")
        .stdout_has("parity\\-propose(1)\nEvaluate each proposal of a scenario");
    assert!(run.stdout.starts_with('.'), "roff: {}", &run.stdout[..80]);
}

#[test]
fn every_page_the_man_page_refers_to_exists() {
    let dir = scratch("man-pages");
    let top = parity_in(&dir, &["man"]);
    top.exits(0);
    // parity(1) names each command's page as `parity\-NAME(1)`.
    let pages: Vec<&str> = top
        .stdout
        .split("parity\\-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name))
        .collect();
    assert!(
        pages.contains(&"check") && pages.contains(&"precedence"),
        "{pages:?}"
    );
    assert!(!pages.contains(&"help"), "no page for `help`: {pages:?}");
    for name in pages {
        let page = parity_in(&dir, &["man", name]);
        page.exits(0).stderr_empty();
        page.stdout_has(&format!("\n.TH parity-{name} 1 "))
            .stdout_has(&format!("\n.SH NAME\nparity\\-{name} \\- "))
            .stdout_has(&format!("\\fBparity {name}\\fR"));
    }
    parity_in(&dir, &["man", "chek"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[usage]: parity has no command `chek`; did you mean `check`?");
}

// ---------------------------------------------------------------------------
// The project file: --config, --no-config

#[test]
fn the_project_file_sets_fail_on_and_the_flag_wins() {
    let dir = project("config-fail-on");
    write(&dir, "parity.toml", "# synthetic\nfail-on = \"warning\"\n");
    write(&dir, "lenient.toml", "# synthetic\nfail-on = \"error\"\n");
    let recall = ["propose", "s.yaml", "--proposals", "recall.yaml"];
    parity_in(&dir, &recall)
        .exits(1)
        .stdout_has("verdict: BREAKS");
    parity_in(&dir, &with(&recall, &["--fail-on", "error"]))
        .exits(0)
        .stdout_has("verdict: ok");
    parity_in(&dir, &with(&recall, &["--no-config"]))
        .exits(0)
        .stdout_has("verdict: ok");
    parity_in(&dir, &with(&recall, &["--config", "lenient.toml"])).exits(0);
    // The same for check and suggest.
    parity_in(&dir, &["check", "s.yaml"]).exits(1);
    parity_in(&dir, &["check", "s.yaml", "--no-config"]).exits(0);
    parity_in(&dir, &SUGGEST_CCC)
        .exits(0)
        .stdout_has("recommended: a chargé d'affaires (en pied)");
    parity_in(&dir, &with(&SUGGEST_CCC, &["--no-config"]))
        .exits(0)
        .stdout_has("recommended: an ambassador");
    // The project's default is no error for the commands that refuse the flag.
    parity_in(&dir, &["timeline", "s.yaml"]).exits(0);
    // Found from a directory below, as ruff finds ruff.toml.
    std::fs::create_dir_all(dir.join("below")).unwrap();
    parity_in(&dir.join("below"), &["check", "../s.yaml"]).exits(1);
}

#[test]
fn the_project_files_rules_reach_every_command() {
    let dir = project("config-rules");
    write(&dir, "parity.toml", "# synthetic\nrules = [\"policy\"]\n");
    parity_in(&dir, &["rules"])
        .exits(0)
        .stdout_has("charge-heads");
    parity_in(&dir, &["rules", "--no-config"])
        .exits(0)
        .stdout_lacks("charge-heads");
    parity_in(&dir, &["explain", "charge-heads"])
        .exits(0)
        .stdout_has("defined   policy/policy.rules:3\n");
    parity_in(&dir, &["check", "s.yaml"])
        .exits(1)
        .stdout_has("error[charge-heads]");
    parity_in(&dir, &["timeline", "s.yaml"])
        .exits(0)
        .stdout_has("error[charge-heads] bbb-in-aaa\n");
    parity_in(&dir, &["test", "charge"]).exits(0);
    parity_in(&dir, &["test", "charge", "--no-config"]).exits(2);
    parity_in(&dir, &["graph", "s.yaml"])
        .exits(0)
        .stdout_has("[id=\"bbb-in-aaa\", label=\"charge-d-affaires\", color=red, penwidth=2]");
    parity_in(&dir, &["propose", "s.yaml", "--proposals", "fill.yaml"])
        .exits(0)
        .stdout_has("+ warning[proposed-head] aaa-in-ccc");
    // --rules on the command line replaces the project file's.
    write(&dir, "other/messy.rules", MESSY_RULES);
    parity_in(&dir, &["check", "s.yaml", "--rules", "other"])
        .exits(0)
        .stdout_has("warning[messy]")
        .stdout_lacks("charge-heads");
}

#[test]
fn the_project_files_as_of_is_for_check_and_graph() {
    let dir = project("config-as-of");
    write(&dir, "parity.toml", "# synthetic\nas-of = \"2022-06-01\"\n");
    let run = parity_in(&dir, &["check", "s.yaml", "--format", "json"]);
    run.exits(1);
    assert_eq!(run.json()["as_of"], "2022-06-01");
    parity_in(&dir, &["graph", "s.yaml"])
        .exits(0)
        .stdout_has("[id=\"aaa-in-bbb\", label=\"ambassador\", color=red, penwidth=2]");
    // The flag wins.
    parity_in(&dir, &["graph", "s.yaml", "--as-of", "2024-09-27"])
        .exits(0)
        .stdout_has("[id=\"aaa-in-bbb\", label=\"charge-d-affaires\"]");
    // timeline keeps its whole history.
    parity_in(&dir, &["timeline", "s.yaml"])
        .exits(0)
        .stdout_has("warning[head-vacant] aaa-in-ccc\n    since ever → still\n");
}

#[test]
fn a_project_file_that_does_not_load_stops_every_command() {
    let dir = project("config-broken");
    write(&dir, "bad.toml", "fail-ob = \"warning\"\n");
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", "s.yaml"],
        vec!["propose", "s.yaml"],
        SUGGEST_CCC.to_vec(),
        vec!["timeline", "s.yaml"],
        vec!["test", "t"],
        vec!["graph", "s.yaml"],
        vec!["fmt", "--check", "policy"],
        vec!["explain", "rank-parity"],
        vec!["rules"],
        vec!["completions", "bash"],
        vec!["man"],
    ];
    for args in &commands {
        parity_in(&dir, &with(args, &["--config", "bad.toml"]))
            .exits(2)
            .stdout_empty()
            .stderr_has("error[unknown-key]: bad.toml has no key `fail-ob`\n --> bad.toml:1:1\n")
            .stderr_has("= help: did you mean `fail-on`?")
            .stderr_has("parity: 1 error in bad.toml; nothing was checked");
        // The same file found rather than named.
        write(&dir, "parity.toml", "fail-ob = \"warning\"\n");
        parity_in(&dir, args)
            .exits(2)
            .stdout_empty()
            .stderr_has("error[unknown-key]: parity.toml has no key `fail-ob`");
        // --no-config reads none.
        let run = parity_in(&dir, &with(args, &["--no-config"]));
        assert!(
            matches!(run.code, Some(0 | 1)),
            "{}: {}",
            run.args,
            run.stderr
        );
        write(&dir, "parity.toml", "# synthetic, empty\n");
    }
    parity_in(&dir, &["rules", "--config", "missing.toml"])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]: cannot read missing.toml");
    parity_in(&dir, &["rules", "--config", "bad.toml", "--no-config"])
        .exits(2)
        .stdout_empty()
        .stderr_has("'--config <FILE>' cannot be used with '--no-config'");
}

// ---------------------------------------------------------------------------
// CSV, for pandas and R: the same facts as JSON, a row each

/// Parses CSV strictly (the `csv` crate, as pandas' C reader would): the
/// header and the rows, every row as wide as the header.
fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn check_csv_has_a_row_per_finding_agreeing_with_json() {
    let dir = project("check-csv");
    let json = parity_in(&dir, &["check", "s.yaml", "--format", "json"]);
    let csv = parity_in(&dir, &["check", "s.yaml", "--format", "csv"]);
    // The verdict does not depend on the format: one warning, exit 0 as for JSON.
    csv.exits(0).stderr_empty();
    json.exits(0);
    let (header, rows) = csv_rows(&csv.stdout);
    assert_eq!(
        header,
        [
            "file", "scenario", "date", "status", "rule", "severity", "subject", "line", "column",
            "message", "why"
        ]
    );
    let report = json.json();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(rows.len(), findings.len(), "{}", csv.stdout);
    for (row, finding) in rows.iter().zip(findings) {
        assert_eq!(row[0], "s.yaml");
        assert_eq!(row[1], report["scenario"].as_str().unwrap());
        assert_eq!(row[2], report["as_of"].as_str().unwrap());
        assert_eq!(row[3], "finding");
        assert_eq!(row[4], finding["rule"].as_str().unwrap());
        assert_eq!(row[5], finding["severity"].as_str().unwrap());
        let subject: Vec<&str> = finding["subject"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(row[6], subject.join(" "));
        assert_eq!(row[7], finding["location"]["line"].to_string());
        assert_eq!(row[8], finding["location"]["column"].to_string());
        assert_eq!(row[9], finding["message"].as_str().unwrap());
        // The evidence in words, each record's sentence in turn.
        let why: Vec<&str> = finding["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["text"].as_str().unwrap())
            .collect();
        assert_eq!(row[10], why.join(" "));
        assert!(!row[10].is_empty());
    }
    assert!(csv.stdout.ends_with('\n') && !csv.stdout.contains('\r'));
}

#[test]
fn check_csv_keeps_waived_findings_and_files_that_did_not_load() {
    let dir = project("check-csv-waived");
    write(
        &dir,
        "broken.yaml",
        "# synthetic\nscenario: broken\nas_of: 2024-01-01\nstates:\n  - { id: AAA, nmae: A }\n",
    );
    let run = parity_in(&dir, &["check", "s.yaml", "broken.yaml", "--format", "csv"]);
    run.exits(2);
    let (_, rows) = csv_rows(&run.stdout);
    let broken: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "broken.yaml").collect();
    assert_eq!(broken.len(), 1, "{}", run.stdout);
    assert_eq!(broken[0][3], "input-error");
    assert_eq!(broken[0][4], "unknown-key");
    assert_eq!((broken[0][7].as_str(), broken[0][8].as_str()), ("5", "16"));
    // Files in name order: broken.yaml before s.yaml.
    assert_eq!(rows[0][0], "broken.yaml", "{}", run.stdout);
}

#[test]
fn a_formula_planted_in_a_name_reaches_a_spreadsheet_as_text() {
    let dir = scratch("csv-injection");
    // Synthetic: a state whose name is a spreadsheet formula.
    write(
        &dir,
        "s.yaml",
        "# synthetic\nscenario: injection\nas_of: 2024-01-01\nstates:\n  - { id: AAA, name: \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\" }\n  - { id: BBB, name: B }\nmissions:\n  - { id: aaa-in-bbb, sender: AAA, receiver: BBB, kind: embassy, from: 2020-01-01 }\n",
    );
    let run = parity_in(&dir, &["check", "s.yaml", "--format", "csv"]);
    run.exits(0);
    let (_, rows) = csv_rows(&run.stdout);
    let message = &rows.iter().find(|r| r[4] == "head-vacant").unwrap()[9];
    assert!(message.starts_with("'=HYPERLINK("), "{message}");
}

#[test]
fn timeline_csv_has_a_row_per_period_agreeing_with_json() {
    let dir = project("timeline-csv");
    let json = parity_in(&dir, &["timeline", "s.yaml", "--format", "json"]).json();
    let csv = parity_in(&dir, &["timeline", "s.yaml", "--format", "csv"]);
    csv.exits(0).stderr_empty();
    let (header, rows) = csv_rows(&csv.stdout);
    assert_eq!(
        header,
        [
            "file", "scenario", "rule", "severity", "subject", "from", "until", "message"
        ]
    );
    let mut want = Vec::new();
    for entry in json["findings"].as_array().unwrap() {
        for period in entry["periods"].as_array().unwrap() {
            let date = |d: &serde_json::Value| d.as_str().unwrap_or("").to_string();
            want.push((
                entry["rule"].as_str().unwrap().to_string(),
                date(&period["from"]),
                date(&period["until"]),
            ));
        }
    }
    let have: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r[2].clone(), r[5].clone(), r[6].clone()))
        .collect();
    assert_eq!(have, want);
    // Worked out above: rank-parity [2022-01-01, 2023-01-01), head-vacant always.
    assert_eq!(
        have,
        [
            (
                "rank-parity".into(),
                "2022-01-01".into(),
                "2023-01-01".into()
            ),
            ("head-vacant".into(), String::new(), String::new()),
        ]
    );
}

#[test]
fn several_files_end_with_a_grand_total_and_one_file_does_not() {
    let dir = project("grand-total");
    write(
        &dir,
        "t.yaml",
        &SCENARIO.replace("synthetic-commands", "synthetic-two"),
    );
    write(
        &dir,
        "broken.yaml",
        "# synthetic\nscenario: broken\nas_of: 2024-01-01\nstates:\n  - { id: AAA, nmae: A }\n",
    );
    let run = parity_in(&dir, &["check", "s.yaml", "t.yaml", "broken.yaml"]);
    run.exits(2);
    assert!(
        run.stdout.ends_with("\n\ntotal: 3 files, 0 errors, 2 warnings, 0 info, 0 waived; 1 file not checked (errors on stderr)\n"),
        "{}",
        run.stdout
    );
    let one = parity_in(&dir, &["check", "s.yaml"]);
    one.exits(0).stdout_lacks("total:");
}

/// The README quotes the main job's first screen: it is what the binary
/// prints, byte for byte, and the verdict the README promises (exit 1 on
/// the scenario's own date).
#[test]
fn the_readme_quotes_what_the_main_job_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = "$ parity check fixtures/kabul-2024-09.yaml --as-of 2024-09-01\n";
    let start = readme
        .find(command)
        .expect("the README quotes the main job")
        + command.len();
    let quoted = &readme[start..];
    let quoted = &quoted[..quoted.find("\n...\n").expect("the quote ends with ...")];
    let run = parity_in(
        root,
        &[
            "check",
            "fixtures/kabul-2024-09.yaml",
            "--as-of",
            "2024-09-01",
            "--no-config",
        ],
    );
    run.exits(1);
    assert!(
        run.stdout.starts_with(quoted),
        "README:\n{quoted}\n--- printed:\n{}",
        run.stdout
    );
    parity_in(
        root,
        &["check", "fixtures/kabul-2024-09.yaml", "--no-config"],
    )
    .exits(1);
}
