//! Messages of issue 9: YAML errors classified by their kind, every error at
//! a real place and reported once, undecodable bytes located, plain scalars
//! in text fields taken as written, and file text escaped wherever a
//! terminal, an annotation or Markdown shows it.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::diag::{Diagnostic, Loc};
use parity::scenario::load::{load_proposals_str, load_rule_tests, load_str};
use parity::scenario::yaml::{self, YamlLimits};

fn errors_with(text: &str, limits: &YamlLimits) -> Vec<Diagnostic> {
    match load_str(text, "t.yaml", limits) {
        Ok(_) => panic!("expected errors, the scenario loaded:\n{text}"),
        Err(diags) => diags,
    }
}

/// The one diagnostic of a scenario text.
fn only(text: &str) -> Diagnostic {
    only_with(text, &YamlLimits::default())
}

fn only_with(text: &str, limits: &YamlLimits) -> Diagnostic {
    let diags = errors_with(text, limits);
    assert_eq!(diags.len(), 1, "expected one diagnostic, got {diags:#?}");
    diags.into_iter().next().unwrap()
}

fn assert_diag(d: &Diagnostic, code: &str, message: &str, line: u32, column: u32) {
    assert_eq!(d.code, code, "{d:#?}");
    assert_eq!(d.message, message, "{d:#?}");
    assert_eq!(d.loc, Loc::new(line, column), "{d:#?}");
    assert_eq!(d.file, "t.yaml");
}

// ---------------------------------------------------------------------------
// The root: located, reported once

#[test]
fn a_root_list_is_one_error_at_its_place() {
    let d = only("- scenario: t\n- states: []\n");
    assert_diag(
        &d,
        "wrong-type",
        "expected a scenario (a mapping with `scenario:`, `states:`, ...), found a list",
        1,
        1,
    );
    // After comments, and read by serde-saphyr (a flow list): where it starts.
    let d = only("# a comment\n\n  [a, b]\n");
    assert_eq!((d.code, d.loc), ("wrong-type", Loc::new(3, 3)));
    let d = only("---\njust text\n");
    assert_diag(
        &d,
        "wrong-type",
        "expected a scenario (a mapping with `scenario:`, `states:`, ...), found a string",
        2,
        1,
    );
}

#[test]
fn a_root_mapping_without_its_id_is_located_at_its_first_key() {
    let d = only("# c\ntitle: x\n");
    assert_diag(&d, "missing-key", "the scenario needs `scenario`", 2, 1);
    let d = only("{title: x}\n");
    assert_diag(&d, "missing-key", "the scenario needs `scenario`", 1, 1);
}

#[test]
fn rule_test_files_and_their_scenarios_report_a_wrong_root_once() {
    let limits = YamlLimits::default();
    let one = |text: &str| {
        let diags = load_rule_tests(text, "t.yaml", &limits).unwrap_err();
        assert_eq!(diags.len(), 1, "{diags:#?}");
        diags.into_iter().next().unwrap()
    };
    let d = one("- rule: x\n");
    assert_diag(
        &d,
        "wrong-type",
        "expected a rule-test file (a mapping with `rule:` and `cases:`), found a list",
        1,
        1,
    );
    let d = one("\n\n");
    assert_eq!((d.code, d.loc), ("wrong-type", Loc::new(1, 1)));
    assert!(d.message.ends_with("found nothing (null)"), "{d:?}");
    let d = one("rule: head-vacant\ncases:\n  - name: c\n    fires: []\n    scenario: [a]\n");
    assert_diag(
        &d,
        "wrong-type",
        "expected a scenario (a mapping with `scenario:`, `states:`, ...), found a list",
        5,
        15,
    );
}

#[test]
fn a_proposals_file_that_is_a_list_is_one_error() {
    let limits = YamlLimits::default();
    let scenario = load_str("scenario: t\n", "s.yaml", &limits).unwrap();
    let diags = load_proposals_str("\n- id: p\n", "t.yaml", &limits, &scenario).unwrap_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_diag(
        &diags[0],
        "wrong-type",
        "expected a mapping with `proposals:`, found a list",
        2,
        1,
    );
}

#[test]
fn no_diagnostic_is_ever_at_line_or_column_0() {
    let limits = YamlLimits::default();
    for text in [
        "",
        "- a\n",
        "x\n",
        "[]\n",
        "{}\n",
        "~\n",
        "&a x\n",
        "- *a\n",
        "a: 1\n---\n",
        "\t- a\n",
    ] {
        let results = [
            load_str(text, "t.yaml", &limits).err(),
            load_rule_tests(text, "t.yaml", &limits).err(),
        ];
        for diags in results.into_iter().flatten() {
            for d in &diags {
                assert!(d.loc.line >= 1 && d.loc.column >= 1, "{text:?}: {d:?}");
                assert!(!d.render(Some(text)).contains(":0"), "{text:?}: {d:?}");
            }
        }
    }
    assert_eq!(Loc::default(), Loc::new(1, 1));
    assert_eq!(Loc::new(0, 0), Loc::new(1, 1));
    // The root node itself is located, by both readers.
    let tree = yaml::parse("# c\nscenario: t\n", "t.yaml", &limits).unwrap();
    assert_eq!(tree.loc, Loc::new(2, 1));
    let tree = yaml::parse_full("# c\nscenario: t\n", "t.yaml", &limits).unwrap();
    assert_eq!(tree.loc, Loc::new(2, 1));
}
