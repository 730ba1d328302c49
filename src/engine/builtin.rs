//! The findings parity reports itself, besides the rule set's: each
//! declared once here with what every format and `parity explain` show of it.

use super::result::{Finding, Location};
use crate::lang::ast::Severity;

/// A finding kind built into parity: not written in the rule language, but
/// reported, described and explained like a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinRule {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub cite: &'static str,
    /// What it checks, as `about` says it for a rule.
    pub about: &'static str,
}

pub const EXPIRED_WAIVER: BuiltinRule = BuiltinRule {
    id: "expired-waiver",
    title: "Waiver expired",
    severity: Severity::Warning,
    cite: "waivers in the scenario",
    about: "A waiver in the scenario has passed its `until` date: the findings it accepted are reported again.",
};

pub const UNUSED_WAIVER: BuiltinRule = BuiltinRule {
    id: "unused-waiver",
    title: "Waiver matches no finding",
    severity: Severity::Warning,
    cite: "waivers in the scenario",
    about: "A waiver in the scenario accepts no finding at the date checked: remove it, or it may hide a later one. A waiver whose subject names a mission not open at the date is not reported: it applies to another time of the history.",
};

pub const INPUT_ERROR: BuiltinRule = BuiltinRule {
    id: "input-error",
    title: "Input error",
    severity: Severity::Error,
    cite: "the scenario format (docs/scenario.md)",
    about: "A scenario file could not be checked: it cannot be read, is not valid YAML, or breaks the scenario format. Nothing in it was evaluated.",
};

pub const CLAIM: BuiltinRule = BuiltinRule {
    id: "claim",
    title: "Claim fails",
    severity: Severity::Error,
    cite: "the scenario's `expect` claims and their sources",
    about: "An `expect` claim of the scenario does not hold at the date checked.",
};

/// Every built-in finding, in the order SARIF lists their descriptors.
pub const BUILTIN: &[BuiltinRule] = &[EXPIRED_WAIVER, UNUSED_WAIVER, INPUT_ERROR, CLAIM];

/// The built-in findings that are waiver checks: JUnit gives each a
/// testcase in every suite, like a rule of the rule set.
pub const WAIVER_RULES: &[BuiltinRule] = &[EXPIRED_WAIVER, UNUSED_WAIVER];

/// The built-in finding of this id.
pub fn get(id: &str) -> Option<&'static BuiltinRule> {
    BUILTIN.iter().find(|rule| rule.id == id)
}

impl BuiltinRule {
    /// A finding of this kind.
    pub fn finding(&self, subject: Vec<String>, message: String, location: Location) -> Finding {
        Finding {
            rule: self.id.to_string(),
            title: self.title.to_string(),
            severity: self.severity,
            subject,
            message,
            cite: self.cite.to_string(),
            location,
            evidence: Vec::new(),
            focus: None,
        }
    }

    /// What `parity explain` prints, laid out as for a rule of the rule set.
    pub fn explain(&self) -> String {
        let mut out = format!("{}: {}\n\n", self.id, self.title);
        out.push_str(&format!("severity  {}\n", self.severity.word()));
        out.push_str(&format!("cite      {}\n", self.cite));
        out.push_str("defined   built into parity\n");
        out.push_str("\nWhat it checks:\n\n");
        for line in crate::lang::explain::wrap(self.about, crate::lang::explain::WIDTH - 2) {
            out.push_str("  ");
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("\nparity reports it itself: it has no rule text.\n");
        out
    }
}

/// The message of an expired waiver.
pub fn expired_message(rule: &str, subject: &[String], until: impl std::fmt::Display) -> String {
    format!(
        "the waiver of `{rule}` for {} expired on {until}",
        subject.join(", ")
    )
}

/// The message of a waiver that accepts nothing.
pub fn unused_message(rule: &str, subject: &[String], date: impl std::fmt::Display) -> String {
    format!(
        "the waiver of `{rule}` for {} matches no finding on {date}: remove it",
        subject.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_found() {
        for rule in BUILTIN {
            assert_eq!(get(rule.id), Some(rule));
        }
        assert_eq!(get("rank-parity"), None);
    }

    #[test]
    fn explain_names_the_rule_and_what_it_checks() {
        let text = EXPIRED_WAIVER.explain();
        assert!(
            text.starts_with("expired-waiver: Waiver expired\n"),
            "{text}"
        );
        assert!(text.contains("severity  warning\n"), "{text}");
        assert!(
            text.contains("  A waiver in the scenario has passed"),
            "{text}"
        );
    }
}
