//! Every limit on hostile or oversized input gives a clear, located error
//! (never a hang, a crash or a silent cut), and the flags that raise them work.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::diag::Diagnostic;
use parity::scenario::load::load_str;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};
use std::process::Command;

const KABUL: &str = "fixtures/kabul-2024-09.yaml";

fn load_err(text: &str, limits: &YamlLimits) -> Vec<Diagnostic> {
    load_str(text, "t.yaml", limits).expect_err("the input should be refused")
}

fn parity(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_parity"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn file_size_limit_is_reported_and_can_be_raised() {
    let (code, stderr) = parity(&["check", KABUL, "--limit-file-bytes", "1000"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("error[file-too-large]"), "{stderr}");
    assert!(stderr.contains(&format!("{KABUL}:1:1")), "{stderr}");
    assert!(stderr.contains("--limit-file-bytes"), "{stderr}");
    let (code, _) = parity(&["check", KABUL, "--limit-file-bytes", "10000000"]);
    assert_eq!(code, 1, "within the raised limit the fixture is checked");
}

#[test]
fn yaml_nesting_depth_is_limited() {
    let deep = format!("scenario: t\ntitle: {}{}\n", "[".repeat(40), "]".repeat(40));
    let errors = load_err(&deep, &YamlLimits::default());
    assert_eq!(errors[0].code, "yaml-depth-limit");
    assert_eq!(errors[0].message, "the YAML nests too deeply");
    assert_eq!(errors[0].loc_in(&deep).line, 2);
}

#[test]
fn alias_expansion_is_limited() {
    let mut bomb = String::from("scenario: t\na: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 0..9u8 {
        let (name, prev) = ((b'b' + i) as char, (b'a' + i) as char);
        bomb += &format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 10].join(",")
        );
    }
    let errors = load_err(&bomb, &YamlLimits::default());
    assert_eq!(errors[0].code, "yaml-alias-limit");
    assert!(
        errors[0]
            .message
            .starts_with("the YAML expands to too much data"),
        "{}",
        errors[0].message
    );
    assert!(errors[0].loc_in(&bomb).line > 1);
}

#[test]
fn yaml_node_count_is_limited_and_can_be_raised() {
    let text = std::fs::read_to_string(KABUL).unwrap();
    let loads = |max_nodes: usize| {
        let limits = YamlLimits {
            max_nodes,
            ..YamlLimits::default()
        };
        match load_str(&text, KABUL, &limits) {
            Ok(_) => true,
            Err(errors) => {
                assert_eq!(
                    errors[0].code, "yaml-node-limit",
                    "{max_nodes}: {errors:#?}"
                );
                false
            }
        }
    };
    // The smallest limit the fixture loads under, found by bisection between
    // one it exceeds and the default, which it is within.
    let (mut refused, mut loaded) = (100, YamlLimits::default().max_nodes);
    assert!(!loads(refused), "the fixture has more than {refused} nodes");
    assert!(loads(loaded));
    while loaded - refused > 1 {
        let mid = refused + (loaded - refused) / 2;
        if loads(mid) {
            loaded = mid;
        } else {
            refused = mid;
        }
    }
    assert!(loaded > 1_000, "the fixture's {loaded} nodes are counted");
    // Through the command line: one node short is refused; raised to the
    // fixture's size, the file is checked (its verdict: 1).
    let short = (loaded - 1).to_string();
    let (code, stderr) = parity(&["check", KABUL, "--limit-yaml-nodes", &short]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("error[yaml-node-limit]"), "{stderr}");
    assert!(
        stderr.contains(&format!("--limit-yaml-nodes (now {short})")),
        "{stderr}"
    );
    let enough = loaded.to_string();
    let (code, stderr) = parity(&["check", KABUL, "--limit-yaml-nodes", &enough]);
    assert_eq!(
        code, 1,
        "within the raised limit the fixture is checked: {stderr}"
    );
    assert!(!stderr.contains("yaml-node-limit"), "{stderr}");
}

#[test]
fn rule_nesting_depth_is_limited() {
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    let deep = format!(
        "rule deep {{\n  title \"t\"\n  severity info\n  cite \"c\"\n  for m in missions\n  where {}true{}\n  message \"m\"\n}}\n",
        "(".repeat(200),
        ")".repeat(200)
    );
    set.add_text(&deep, "deep.rules", &mut diags);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "rule-syntax");
    assert!(
        diags[0].message.contains("nests too deeply"),
        "{}",
        diags[0].message
    );
    assert_eq!(diags[0].loc_in(&deep).line, 6);
}

#[test]
fn the_evaluation_budget_stops_a_pathological_rule_with_its_location() {
    let dir = std::env::temp_dir().join(format!("parity-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("cross.rules"),
        "rule cross {\n  title \"every triple\"\n  severity info\n  cite \"none\"\n  for a in missions, b in missions, c in missions\n  where a.city != b.city or b.city != c.city\n  message \"{a.id}\"\n}\n",
    )
    .unwrap();
    let rules = dir.display().to_string();
    let (code, stderr) = parity(&[
        "check",
        KABUL,
        "--rules",
        &rules,
        "--limit-eval-steps",
        "10000",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error[evaluation-budget]: rule `cross`"),
        "{stderr}"
    );
    assert!(stderr.contains("cross.rules:1:1"), "{stderr}");
    assert!(stderr.contains("--limit-eval-steps"), "{stderr}");
}

#[test]
fn message_templates_are_limited_and_messages_are_cut() {
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    let long = format!(
        "rule chatty {{\n  title \"t\"\n  severity info\n  cite \"c\"\n  for m in missions\n  message \"{}\"\n}}\n",
        "x".repeat(1_500)
    );
    set.add_text(&long, "chatty.rules", &mut diags);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "message-too-long");
    let loc = diags[0].loc_in(&long);
    assert_eq!((loc.line, loc.column), (6, 11));

    // A message built from a very long value is cut, not left unbounded.
    let name = "N".repeat(10_000);
    let scenario = format!(
        "# synthetic\nscenario: t\nas_of: 2024-01-01\nstates:\n  - {{ id: A, name: {name} }}\n  - {{ id: B }}\nmissions:\n  - {{ id: a-in-b, sender: A, receiver: B, kind: embassy }}\n"
    );
    let scenario = load_str(&scenario, "t.yaml", &YamlLimits::default()).unwrap();
    let report = check(
        &scenario,
        &RuleSet::standard().unwrap(),
        &CheckOptions::default(),
    )
    .unwrap();
    let vacant = report
        .findings
        .iter()
        .find(|f| f.rule == "head-vacant")
        .unwrap();
    assert!(
        vacant.message.len() <= 2_000 + '…'.len_utf8(),
        "{}",
        vacant.message.len()
    );
    assert!(vacant.message.ends_with('…'));
}

/// The cut is marked wherever the message reaches the limit: here a name
/// fills exactly 2,000 bytes and a value that is not text follows it, which
/// must still be marked as cut off (`…`), not dropped silently.
#[test]
fn a_message_full_to_the_byte_still_marks_what_it_cuts() {
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    set.add_text(
        "rule named {\n  title \"t\"\n  severity info\n  cite \"c\"\n  for s in states\n  where s.id == A\n  message \"{s.name}{s.kind}\"\n}\n",
        "named.rules",
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:#?}");
    let full = "N".repeat(2_000);
    for (name, expected) in [
        (full.clone(), format!("{full}…")),
        ("N".repeat(1_990), format!("{}state", "N".repeat(1_990))),
        // Byte 2,000 falls inside an `é`: the cut goes back to its start.
        (
            format!("N{}", "é".repeat(1_000)),
            format!("N{}…", "é".repeat(999)),
        ),
    ] {
        let scenario = format!(
            "# synthetic\nscenario: t\nas_of: 2024-01-01\nstates:\n  - {{ id: A, name: {name} }}\n"
        );
        let scenario = load_str(&scenario, "t.yaml", &YamlLimits::default()).unwrap();
        let report = check(&scenario, &set, &CheckOptions::default()).unwrap();
        let messages: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.rule == "named")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [expected.as_str()],
            "a name of {} bytes",
            name.len()
        );
    }
}
