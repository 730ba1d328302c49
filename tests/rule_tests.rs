//! The standard rules' own tests (`rules/tests/*.test.yaml`, and the peer
//! comparison's extra cases in `benches/peers/cases/`) and every fixture's
//! `expect` claims, run by `cargo test` through the library, with
//! the coverage `.ci/run` used to demand of `parity test` (every rule tested
//! firing and not firing); and the rule-test format itself: findings are
//! counted, messages compared where a case gives one, errors located.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::diag::Diagnostic;
use parity::engine::ruletest::{TestReport, run_tests};
use parity::scenario::load::load_rule_tests;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet};
use std::path::PathBuf;

fn standard() -> RuleSet {
    RuleSet::standard().unwrap_or_else(|d| panic!("standard rules: {d:#?}"))
}

/// The `*.yaml` files directly in `dir` (relative to the crate), sorted.
fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.yaml in {dir}");
    files
}

fn run(files: &[PathBuf], rules: &RuleSet) -> TestReport {
    let sources: Vec<parity::io::Source> = files
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            parity::io::read::read_file(path, &name, parity::io::Trust::Named, 1 << 26)
                .unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
        })
        .collect();
    let sources: Vec<&parity::io::Source> = sources.iter().collect();
    run_tests(
        &sources,
        rules,
        &CheckOptions::default(),
        &YamlLimits::default(),
    )
    .unwrap_or_else(|d| {
        let shown: Vec<String> = d.iter().map(|d| d.render(None)).collect();
        panic!("the tests do not load:\n{}", shown.join("\n"))
    })
}

/// Each failing test by name, with why and where.
fn failures(report: &TestReport) -> Vec<String> {
    report
        .results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| {
            format!(
                "{} ({}:{}): {}",
                r.name,
                r.location.file,
                r.location.line(),
                r.detail.as_deref().unwrap_or("(no detail)")
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The standard rules' tests and the fixtures' claims

#[test]
fn every_standard_rule_test_and_fixture_claim_passes() {
    let mut files = yaml_files("rules/tests");
    // The extra cases of the peer comparison (benches/peers/README.md).
    files.extend(yaml_files("benches/peers/cases"));
    files.extend(yaml_files("fixtures"));
    let report = run(&files, &standard());
    let failed = failures(&report);
    assert!(
        failed.is_empty(),
        "{} of {} tests fail:\n{}",
        failed.len(),
        report.results.len(),
        failed.join("\n")
    );
    assert_eq!(report.failed, 0);
    assert_eq!(report.passed, report.results.len());
    // Every file contributed tests: none was read as empty or skipped.
    for file in &files {
        let name = file.display().to_string();
        let n = report
            .results
            .iter()
            .filter(|r| r.location.file == name)
            .count();
        assert!(n > 0, "{name} contributed no test");
    }
    // Rule tests are named `rule: case`, claims `claim: title`.
    let cases = report
        .results
        .iter()
        .filter(|r| !r.name.starts_with("claim: "))
        .count();
    let claims = report.results.len() - cases;
    assert!(cases >= 57, "{cases} rule-test cases");
    assert!(claims >= 18, "{claims} claims");
}

#[test]
fn every_standard_rule_is_tested_firing_and_quiet() {
    let rules = standard();
    let report = run(&yaml_files("rules/tests"), &rules);
    assert_eq!(report.coverage.len(), rules.rules.len());
    let gaps: Vec<String> = report
        .coverage
        .iter()
        .filter(|c| !(c.firing && c.quiet))
        .map(|c| {
            let lacking = match (c.firing, c.quiet) {
                (false, false) => "any case",
                (false, true) => "a case where it fires",
                _ => "a case where it does not fire",
            };
            format!("{} lacks {lacking}", c.rule)
        })
        .collect();
    assert!(gaps.is_empty(), "coverage below 1:\n{}", gaps.join("\n"));
    assert_eq!(report.covered_share(), 1.0);
}

#[test]
fn every_standard_rule_has_its_own_test_file() {
    for rule in &standard().rules {
        let file = format!("rules/tests/{}.test.yaml", rule.id);
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let tests = load_rule_tests(&text, &file, &YamlLimits::default())
            .unwrap_or_else(|d| panic!("{file}: {d:#?}"));
        assert_eq!(tests.rule.value, rule.id, "{file} tests another rule");
    }
}

// ---------------------------------------------------------------------------
// The format: counts and messages

/// Rank parity without its `m.id < r.id`: every unequal pair is reported
/// twice, once from each side.
const PAIR_TWICE: &str = r#"
rule pair-twice {
  title    "T"
  severity error
  cite     "C"
  subject  m, r
  for m in missions, r in missions
  where m.kind == embassy and r.kind == embassy
    and r.sender == m.receiver and r.receiver == m.sender
    and class(m.head.rank) != none and class(r.head.rank) != none
  require class(m.head.rank) == class(r.head.rank)
  message "{m.id} is class {class(m.head.rank)}, {r.id} class {class(r.head.rank)}"
}
"#;

fn pair_twice() -> RuleSet {
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    set.add_text(PAIR_TWICE, "pair-twice.rules", &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    set
}

/// A rule-test file for `pair-twice` with one case, whose `fires` is given.
fn pair_case(fires: &str) -> String {
    format!(
        "# Synthetic: invented states.
rule: pair-twice
cases:
  - name: case
    fires:
{fires}
    scenario:
      scenario: t
      as_of: 2024-01-01
      states: [{{ id: A }}, {{ id: B }}]
      missions:
        - {{ id: a-in-b, sender: A, receiver: B, kind: embassy, heads: [{{ rank: ambassador }}] }}
        - {{ id: b-in-a, sender: B, receiver: A, kind: embassy, heads: [{{ rank: charge-d-affaires }}] }}
"
    )
}

/// Runs one rule-test file, written to a scratch directory; (passed, detail).
fn verdict(name: &str, text: &str, rules: &RuleSet) -> (bool, Option<String>) {
    let dir = std::env::temp_dir().join(format!("parity-rule-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.test.yaml"));
    std::fs::write(&file, text).unwrap();
    let report = run(&[file], rules);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let result = &report.results[0];
    (result.passed, result.detail.clone())
}

#[test]
fn a_subject_reported_twice_fails_a_case_that_expects_it_once() {
    let rules = pair_twice();
    // The plain form: one entry, one finding.
    let once = pair_case("      - [a-in-b, b-in-a]");
    assert_eq!(
        verdict("once", &once, &rules),
        (
            false,
            Some("fired twice for [a-in-b, b-in-a], expected once".to_string())
        )
    );
    let explicit = pair_case("      - { subject: [a-in-b, b-in-a], count: 1 }");
    assert_eq!(
        verdict("explicit", &explicit, &rules),
        verdict("once", &once, &rules)
    );
    // Saying so makes it pass; the ids' order in the subject does not matter.
    let twice = pair_case("      - { subject: [b-in-a, a-in-b], count: 2 }");
    assert_eq!(verdict("twice", &twice, &rules), (true, None));
    let thrice = pair_case("      - { subject: [a-in-b, b-in-a], count: 3 }");
    assert_eq!(
        verdict("thrice", &thrice, &rules).1.as_deref(),
        Some("fired twice for [a-in-b, b-in-a], expected 3 times")
    );
}

#[test]
fn the_standard_rank_parity_passes_where_the_doubled_rule_fails() {
    let text =
        pair_case("      - [a-in-b, b-in-a]").replace("rule: pair-twice", "rule: rank-parity");
    assert_eq!(verdict("standard", &text, &standard()), (true, None));
}

#[test]
fn a_message_given_is_compared_exactly() {
    let rules = pair_twice();
    let right = pair_case(
        "      - { subject: [a-in-b, b-in-a], count: 2, message: \"a-in-b is class 1, b-in-a class 3\" }",
    );
    // Of the two findings, one has the other message.
    assert_eq!(
        verdict("right", &right, &rules),
        (
            false,
            Some(
                "the message for [a-in-b, b-in-a] is \"b-in-a is class 3, a-in-b class 1\", \
                 expected \"a-in-b is class 1, b-in-a class 3\""
                    .to_string()
            )
        )
    );
    // The standard rule reports the pair once, from the smaller id's side.
    let standard_case =
        pair_case("      - subject: [a-in-b, b-in-a]\n        message: \"Alpha is represented\"")
            .replace("rule: pair-twice", "rule: rank-parity");
    let (passed, detail) = verdict("standard-message", &standard_case, &standard());
    assert!(!passed);
    assert_eq!(
        detail.as_deref(),
        Some(
            "the message for [a-in-b, b-in-a] is \"A is represented in B by a head of class 1 \
             (ambassador), but B in A by a head of class 3 (chargé d'affaires)\", expected \
             \"Alpha is represented\""
        )
    );
}

#[test]
fn missing_and_unexpected_subjects_are_both_named() {
    let rules = standard();
    let text = pair_case("      - [a-in-b]").replace("rule: pair-twice", "rule: rank-parity");
    assert_eq!(
        verdict("wrong-subject", &text, &rules),
        (
            false,
            Some("did not fire for [a-in-b]; fired unexpectedly for [a-in-b, b-in-a]".to_string())
        )
    );
    let quiet = pair_case("      []");
    assert_eq!(
        verdict("quiet", &quiet, &pair_twice()).1.as_deref(),
        Some("fired unexpectedly for [a-in-b, b-in-a] (twice)")
    );
}

// ---------------------------------------------------------------------------
// The format: located errors

fn load_errors(fires: &str) -> Vec<Diagnostic> {
    load_rule_tests(&pair_case(fires), "t.test.yaml", &YamlLimits::default())
        .expect_err("the file should be refused")
}

/// (code, line, column) of each error.
fn codes<'d>(errors: &'d [Diagnostic], fires: &str) -> Vec<(&'d str, u32, u32)> {
    let text = pair_case(fires);
    errors
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                d.loc_in(&text).line,
                d.loc_in(&text).column,
            )
        })
        .collect()
}

#[test]
fn the_plain_and_the_mapping_form_load_alike() {
    let plain = pair_case("      - [a-in-b, b-in-a]\n      - a-in-b");
    let mapping = pair_case(
        "      - { subject: [a-in-b, b-in-a] }\n      - { subject: a-in-b, count: 1, message: x }",
    );
    let limits = YamlLimits::default();
    let plain = load_rule_tests(&plain, "p.test.yaml", &limits).unwrap();
    let mapping = load_rule_tests(&mapping, "m.test.yaml", &limits).unwrap();
    let fires = |t: &parity::scenario::model::RuleTests| {
        t.cases[0]
            .fires
            .iter()
            .map(|e| {
                (
                    e.subject.clone(),
                    e.count,
                    e.message.clone(),
                    t.located.loc(e.span).line,
                )
            })
            .collect::<Vec<_>>()
    };
    let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        fires(&plain),
        [
            (ids(&["a-in-b", "b-in-a"]), 1, None, 6),
            (ids(&["a-in-b"]), 1, None, 7)
        ]
    );
    assert_eq!(
        fires(&mapping),
        [
            (ids(&["a-in-b", "b-in-a"]), 1, None, 6),
            (ids(&["a-in-b"]), 1, Some("x".to_string()), 7)
        ]
    );
}

#[test]
fn a_subject_expected_twice_is_an_error_that_asks_for_a_count() {
    let errors = load_errors("      - [a-in-b, b-in-a]\n      - { subject: [b-in-a, a-in-b] }");
    assert_eq!(
        codes(
            &errors,
            "      - [a-in-b, b-in-a]\n      - { subject: [b-in-a, a-in-b] }"
        ),
        [("duplicate-subject", 7, 9)]
    );
    assert_eq!(
        errors[0].message,
        "the subject [b-in-a, a-in-b] is expected twice in this case"
    );
    let help = errors[0].help.as_deref().unwrap();
    assert!(help.starts_with("first expected at line 6;"), "{help}");
    assert!(help.contains("count: N"), "{help}");
}

#[test]
fn an_expected_finding_has_strict_keys_and_typed_values() {
    let errors = load_errors("      - { subject: [a-in-b, b-in-a], cout: 2 }");
    assert_eq!(
        codes(&errors, "      - { subject: [a-in-b, b-in-a], cout: 2 }"),
        [("unknown-key", 6, 38)]
    );
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `count`?"));

    let errors = load_errors("      - { count: 2 }");
    assert_eq!(
        codes(&errors, "      - { count: 2 }"),
        [("missing-key", 6, 9)]
    );
    assert_eq!(errors[0].message, "an expected finding needs `subject`");

    let errors = load_errors("      - { subject: a-in-b, count: 0 }");
    assert_eq!(
        codes(&errors, "      - { subject: a-in-b, count: 0 }"),
        [("wrong-type", 6, 35)]
    );
    assert_eq!(errors[0].message, "expected a count of at least 1, found 0");

    let errors = load_errors("      - { subject: a-in-b, count: two }");
    assert_eq!(
        codes(&errors, "      - { subject: a-in-b, count: two }"),
        [("wrong-type", 6, 35)]
    );

    let errors = load_errors("      - { subject: a-in-b, message: [x] }");
    assert_eq!(
        codes(&errors, "      - { subject: a-in-b, message: [x] }"),
        [("wrong-type", 6, 37)]
    );

    let errors = load_errors("      - { subject: [] }");
    assert_eq!(
        codes(&errors, "      - { subject: [] }"),
        [("wrong-type", 6, 20)]
    );
}
