//! Rule sets: the standard rules compiled into the binary, plus rule files
//! a user adds. Every rule is parsed and statically checked on loading.

use super::check::{CheckedRule, FileText, check_rule};
use super::parse::parse_rules_in;
use crate::diag::Code;
use crate::diag::{Diagnostic, sort_and_dedup};
use crate::io::read::read_file;
use crate::io::{Purpose, Root, Sources, Trust, discover};
use crate::source::SourceId;
use std::collections::HashMap;
use std::path::Path;

/// The largest rule file read: the standard rules are a few kilobytes.
pub const MAX_RULE_FILE_BYTES: usize = 16 << 20;

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
    /// Where each rule id was first defined, so that a repeat is
    /// found by look-up, not by a scan of the rules for each rule added.
    defined: HashMap<String, crate::source::Location>,
}

impl RuleSet {
    /// The standard rules. They are tested to load; an error here is a build defect.
    pub fn standard() -> Result<RuleSet, Vec<Diagnostic>> {
        let mut set = RuleSet::default();
        let mut diagnostics = Vec::new();
        for (index, (file, text)) in STANDARD.iter().enumerate() {
            // `commands::Session` adds `STANDARD` to its `Sources` first, in order.
            let source = SourceId(u32::try_from(index).unwrap_or(u32::MAX));
            set.add_text_in(source, text, file, &mut diagnostics);
        }
        set.finish(diagnostics)
    }

    /// Adds every `*.rules` file under a directory (sorted by name, walked as
    /// `io::discover` walks), or one rule file; their texts join `sources`.
    pub fn add_path(
        mut self,
        path: &Path,
        trust: Trust,
        sources: &mut Sources,
    ) -> Result<RuleSet, Vec<Diagnostic>> {
        let shown = path.display().to_string();
        let root = Root {
            path: path.to_path_buf(),
            trust,
        };
        let found = discover(std::slice::from_ref(&root), Purpose::Rules, None);
        if found.files.is_empty() {
            return Err(vec![Diagnostic::at_start(
                Code::NoRules,
                &shown,
                format!("{shown} holds no `.rules` files"),
            )]);
        }
        let mut diagnostics = Vec::new();
        for file in &found.files {
            match read_file(&file.path, &file.name, file.trust, MAX_RULE_FILE_BYTES) {
                Ok(source) => {
                    let id = sources.add(source);
                    if let Some(source) = sources.get(id) {
                        let (rules, errors) = (self.rules.len(), diagnostics.len());
                        self.add_text_in(id, source.text(), &source.name, &mut diagnostics);
                        // An emptied rule file would otherwise pass in silence,
                        // its rules no longer checked.
                        if self.rules.len() == rules && diagnostics.len() == errors {
                            diagnostics.push(Diagnostic::at_start(
                                Code::NoRules,
                                &source.name,
                                format!("{} defines no rules", source.name),
                            ).with_help("a rule file holds `rule ID { ... }` blocks (docs/rules.md); remove the file if it is not needed"));
                        }
                    }
                }
                Err(error) => diagnostics.push(error.diagnostic(&file.name)),
            }
        }
        self.finish(diagnostics)
    }

    /// Parses and checks the rules of one file's text, a text not in
    /// `io::Sources` (its spans name `SourceId::NONE`).
    pub fn add_text(&mut self, text: &str, file: &str, diagnostics: &mut Vec<Diagnostic>) {
        self.add_text_in(SourceId::NONE, text, file, diagnostics);
    }

    /// `add_text` for the text of `source` in `io::Sources`.
    pub fn add_text_in(
        &mut self,
        source: SourceId,
        text: &str,
        file: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let parsed = match parse_rules_in(source, text, file) {
            Ok(parsed) => parsed,
            Err(errors) => {
                diagnostics.extend(errors);
                return;
            }
        };
        // Kept by each rule of the file, to say where it is defined.
        let shared = std::sync::Arc::new(crate::source::Located::new(source, text));
        let locate = FileText::new(file, &shared);
        for rule in &parsed.rules {
            let duplicate = |message: String, help: String| {
                Diagnostic::new(Code::DuplicateRule, file, rule.id.span, message)
                    .with_width(rule.id.name.len())
                    .with_help(help)
            };
            // parity's own findings go by these ids in reports and waivers.
            if let Some(own) = crate::engine::builtin::get(&rule.id.name) {
                diagnostics.push(duplicate(
                    format!("the rule id `{}` is parity's own", rule.id.name),
                    format!(
                        "parity reports \"{}\" under it; choose another id",
                        own.title
                    ),
                ));
                continue;
            }
            if let Some(first) = self.defined.get(&rule.id.name) {
                diagnostics.push(duplicate(
                    format!("the rule `{}` is already defined", rule.id.name),
                    format!("first defined at {}:{}", first.file, first.line()),
                ));
                continue;
            }
            match check_rule(rule, &locate, text) {
                Ok(checked) => {
                    let first = checked.location.clone();
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
