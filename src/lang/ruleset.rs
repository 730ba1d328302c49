//! Rule sets: the standard rules compiled into the binary, plus rule files
//! a user adds. Every rule is parsed and statically checked on loading.

use super::check::{CheckedRule, FileText, check_rule};
use super::parse::parse_rules;
use crate::diag::{Diagnostic, Loc, sort_and_dedup};
use std::collections::HashMap;
use std::path::Path;

/// The standard rules, as shipped in `rules/`.
pub const STANDARD: &[(&str, &str)] = &[
    (
        "rules/parity.rules",
        include_str!("../../rules/parity.rules"),
    ),
    (
        "rules/recognition.rules",
        include_str!("../../rules/recognition.rules"),
    ),
    (
        "rules/missions.rules",
        include_str!("../../rules/missions.rules"),
    ),
];

/// Checked rules, in a stable order (by id).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<CheckedRule>,
    /// Where each rule id was first defined (file, line), so that a repeat is
    /// found by look-up, not by a scan of the rules for each rule added.
    defined: HashMap<String, (String, u32)>,
}

impl RuleSet {
    /// The standard rules. They are tested to load; an error here is a build defect.
    pub fn standard() -> Result<RuleSet, Vec<Diagnostic>> {
        let mut set = RuleSet::default();
        let mut diagnostics = Vec::new();
        for (file, text) in STANDARD {
            set.add_text(text, file, &mut diagnostics);
        }
        set.finish(diagnostics)
    }

    /// Adds every `*.rules` file of a directory (sorted by name), or one rule file.
    pub fn add_path(mut self, path: &Path) -> Result<RuleSet, Vec<Diagnostic>> {
        let shown = path.display().to_string();
        let unreadable = |error: std::io::Error| {
            vec![Diagnostic::new(
                "unreadable-file",
                &shown,
                Loc::new(1, 1),
                format!("cannot read rules from {shown}: {error}"),
            )]
        };
        let mut files = Vec::new();
        if path.is_dir() {
            for entry in std::fs::read_dir(path).map_err(unreadable)? {
                let entry = entry.map_err(unreadable)?;
                let file = entry.path();
                if file.extension().is_some_and(|e| e == "rules") {
                    files.push(file);
                }
            }
            files.sort();
            if files.is_empty() {
                return Err(vec![Diagnostic::new(
                    "no-rules",
                    &shown,
                    Loc::new(1, 1),
                    format!("{shown} holds no `.rules` files"),
                )]);
            }
        } else {
            files.push(path.to_path_buf());
        }
        let mut diagnostics = Vec::new();
        for file in files {
            let name = file.display().to_string();
            match std::fs::read_to_string(&file) {
                Ok(text) => self.add_text(&text, &name, &mut diagnostics),
                Err(error) => diagnostics.push(Diagnostic::new(
                    "unreadable-file",
                    &name,
                    Loc::new(1, 1),
                    format!("cannot read {name}: {error}"),
                )),
            }
        }
        self.finish(diagnostics)
    }

    /// Parses and checks the rules of one file's text.
    pub fn add_text(&mut self, text: &str, file: &str, diagnostics: &mut Vec<Diagnostic>) {
        let parsed = match parse_rules(text, file) {
            Ok(parsed) => parsed,
            Err(errors) => {
                diagnostics.extend(errors);
                return;
            }
        };
        let locate = FileText::new(file, text);
        for rule in &parsed.rules {
            if let Some((first_file, first_line)) = self.defined.get(&rule.id.name) {
                use super::check::Locate;
                let loc = locate.loc(rule.id.span.start);
                diagnostics.push(
                    Diagnostic::new(
                        "duplicate-rule",
                        file,
                        loc,
                        format!("the rule `{}` is already defined", rule.id.name),
                    )
                    .with_width(rule.id.name.len())
                    .with_help(format!("first defined at {first_file}:{first_line}")),
                );
                continue;
            }
            match check_rule(rule, &locate, text) {
                Ok(checked) => {
                    let first = (checked.file.clone(), checked.loc.line);
                    self.defined.insert(checked.id.clone(), first);
                    self.rules.push(checked);
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
    }

    fn finish(mut self, mut diagnostics: Vec<Diagnostic>) -> Result<RuleSet, Vec<Diagnostic>> {
        if diagnostics.is_empty() {
            self.rules.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(self)
        } else {
            sort_and_dedup(&mut diagnostics);
            Err(diagnostics)
        }
    }

    pub fn get(&self, id: &str) -> Option<&CheckedRule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
