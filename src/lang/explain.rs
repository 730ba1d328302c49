//! `parity explain RULE`: what a rule checks, its source, and a synthetic
//! scenario that fires it.

use super::check::CheckedRule;

/// Width `about` texts are wrapped to, and the word wrap: shared with
/// `parity explain CODE` (in `diag`, below this module).
pub(crate) use crate::diag::{EXPLAIN_WIDTH as WIDTH, wrap};

/// One minimal synthetic scenario per standard rule, from `rules/examples/`.
/// Stored as YAML and tested to fire their rule (`tests/explain.rs`), so an
/// example cannot drift from the rule it illustrates.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "agrement-missing",
        include_str!("../../rules/examples/agrement-missing.yaml"),
    ),
    (
        "credentials-pending",
        include_str!("../../rules/examples/credentials-pending.yaml"),
    ),
    (
        "credentials-to-former-government",
        include_str!("../../rules/examples/credentials-to-former-government.yaml"),
    ),
    (
        "duplicate-mission",
        include_str!("../../rules/examples/duplicate-mission.yaml"),
    ),
    (
        "exequatur-missing",
        include_str!("../../rules/examples/exequatur-missing.yaml"),
    ),
    (
        "head-vacant",
        include_str!("../../rules/examples/head-vacant.yaml"),
    ),
    (
        "implied-recognition",
        include_str!("../../rules/examples/implied-recognition.yaml"),
    ),
    (
        "interests-section-without-protecting-power",
        include_str!("../../rules/examples/interests-section-without-protecting-power.yaml"),
    ),
    (
        "mission-without-relations",
        include_str!("../../rules/examples/mission-without-relations.yaml"),
    ),
    (
        "orphan-mission",
        include_str!("../../rules/examples/orphan-mission.yaml"),
    ),
    (
        "persona-non-grata-in-office",
        include_str!("../../rules/examples/persona-non-grata-in-office.yaml"),
    ),
    (
        "prolonged-acting-head",
        include_str!("../../rules/examples/prolonged-acting-head.yaml"),
    ),
    (
        "rank-parity",
        include_str!("../../rules/examples/rank-parity.yaml"),
    ),
    (
        "staff-parity",
        include_str!("../../rules/examples/staff-parity.yaml"),
    ),
];

/// The stored example scenario of a standard rule.
pub fn example_for(rule_id: &str) -> Option<&'static str> {
    EXAMPLES
        .iter()
        .find(|(id, _)| *id == rule_id)
        .map(|(_, text)| *text)
}

/// The text `parity explain` prints for a rule.
pub fn explain(rule: &CheckedRule) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}: {}\n\n", rule.id, rule.title));
    out.push_str(&format!("severity  {}\n", rule.severity.word()));
    out.push_str(&format!("cite      {}\n", rule.cite));
    out.push_str(&format!(
        "defined   {}:{}\n",
        rule.file,
        rule.location.line()
    ));
    out.push_str("\nWhat it checks:\n\n");
    match &rule.about {
        Some(about) => {
            for line in wrap(about, WIDTH - 2) {
                out.push_str("  ");
                out.push_str(&line);
                out.push('\n');
            }
        }
        None => out.push_str("  (the rule has no `about` text)\n"),
    }
    out.push_str("\nRule:\n\n");
    for line in rule.source.lines() {
        push_indented(&mut out, line);
    }
    out.push_str("\nExample (synthetic) that fires it:\n\n");
    match example_for(&rule.id) {
        Some(example) => example.lines().for_each(|l| push_indented(&mut out, l)),
        None => out.push_str("  (no example is stored for this rule)\n"),
    }
    out
}

fn push_indented(out: &mut String, line: &str) {
    if !line.is_empty() {
        out.push_str("  ");
        out.push_str(line);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_width() {
        let text = "aaa bbb ccc dddddddddd e";
        assert_eq!(wrap(text, 7), ["aaa bbb", "ccc", "dddddddddd", "e"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("a\nb", 10), ["a", "b"]);
    }
}
