//! What the server answers about one document: its diagnostics (the CLI's
//! input errors, the rules' findings and failing claims), hover, definition
//! and completion.

use super::outline::{Outline, Place, Within, key_of};
use super::text::{Text, word_at};
use crate::diag::{self, Diagnostic};
use crate::engine::builtin;
use crate::lang::ruleset::{RuleSet, STANDARD};
use crate::scenario::model::{EventKind, Level, MissionKind, Rank, RelationStatus, StateKind};
use crate::scenario::records::{self, DITTO, Key, Presence, Record, Yaml};
use crate::scenario::yaml::YamlLimits;
use crate::source::SourceId;
use lsp_types as lsp;

/// Which language a document is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scenario,
    Rules,
}

/// What the server checks with: the rules scenarios are checked against,
/// and the loader's limits.
pub struct Setup {
    pub rules: RuleSet,
    pub limits: YamlLimits,
}

fn severity(severity: diag::Severity) -> lsp::DiagnosticSeverity {
    match severity {
        diag::Severity::Error => lsp::DiagnosticSeverity::ERROR,
        diag::Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        diag::Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// A diagnostic of the library as the protocol's: the same code, range
/// (UTF-16), message, label and help; its secondary places in the same
/// file as related information.
fn convert(d: &Diagnostic, text: &Text, uri: &lsp::Uri) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(label) = &d.label {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter(|label| label.file == d.file)
        .map(|label| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(
                uri.clone(),
                text.range(
                    text.loc(label.span.start()),
                    usize::try_from(label.width).unwrap_or(1),
                ),
            ),
            message: label.text.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: text.visible(text.range(
            d.unplaced.unwrap_or_else(|| text.loc(d.span.start())),
            usize::try_from(d.width).unwrap_or(1),
        )),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        source: Some("parity".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp::Diagnostic::default()
    }
}

/// The diagnostics of a scenario document, as `parity check` gives them:
/// input errors, else the findings after waivers and the failing claims.
/// A YAML text without a top-level `scenario:` (a workflow, a compose file)
/// is not parity's, as a directory walk decides: it gets none.
pub fn scenario_diagnostics(
    setup: &Setup,
    name: &str,
    text: &Text,
    outline: Option<&Outline>,
    uri: &lsp::Uri,
) -> Vec<lsp::Diagnostic> {
    if text.text.len() <= setup.limits.max_bytes
        && !crate::io::discover::is_scenario_text(text.text)
    {
        return Vec::new();
    }
    let source = crate::io::Source::text_only(name, text.text.to_string());
    let mut sources = crate::io::Sources::default();
    let id = sources.add(source);
    let Some(source) = sources.get(id) else {
        return Vec::new();
    };
    let outcomes = crate::engine::check_sources(
        &[source],
        &setup.rules,
        &crate::CheckOptions::default(),
        &setup.limits,
        false,
        &|_, _| {},
    );
    let mut out = Vec::new();
    for outcome in outcomes {
        match outcome.result {
            Err(diagnostics) => out.extend(diagnostics.iter().map(|d| convert(d, text, uri))),
            Ok(checked) => {
                let report = checked.report;
                for finding in report.findings.iter().take(MAX_FINDINGS_SHOWN) {
                    out.push(finding_diagnostic(finding, text, outline, uri));
                }
                let left = report.findings.len().saturating_sub(MAX_FINDINGS_SHOWN);
                if left > 0 {
                    out.push(lsp::Diagnostic {
                        range: text.range(crate::source::Loc::new(1, 1), 0),
                        severity: Some(lsp::DiagnosticSeverity::INFORMATION),
                        source: Some("parity".to_string()),
                        message: format!(
                            "{left} more findings are not shown here (the first {MAX_FINDINGS_SHOWN} are); `parity check` lists them all"
                        ),
                        ..lsp::Diagnostic::default()
                    });
                }
                // A waived finding still fired: shown as a hint, with the
                // waiver's reason, so that what a waiver accepts is seen
                // where it is, as `check` lists it under "Waived".
                let room = MAX_FINDINGS_SHOWN.saturating_sub(report.findings.len());
                for waived in report.waived.iter().take(room) {
                    let mut hint = finding_diagnostic(&waived.finding, text, outline, uri);
                    hint.severity = Some(lsp::DiagnosticSeverity::HINT);
                    let until = waived
                        .waiver
                        .until
                        .as_deref()
                        .map(|until| format!(" until {until}"))
                        .unwrap_or_default();
                    let reason = waived.waiver.reason.as_deref().unwrap_or("no reason given");
                    hint.message = format!(
                        "waived{until} (line {}): {reason}\n{}",
                        waived.waiver.location.line(),
                        hint.message
                    );
                    out.push(hint);
                }
                for claim in report.claims.iter().filter(|c| !c.holds) {
                    let loc = claim.location.loc();
                    out.push(lsp::Diagnostic {
                        range: text.range(loc, quoted_width(text, loc, &claim.claim)),
                        severity: Some(lsp::DiagnosticSeverity::ERROR),
                        code: Some(lsp::NumberOrString::String(builtin::CLAIM.id.to_string())),
                        source: Some("parity".to_string()),
                        message: format!("{}: {}", builtin::CLAIM.title, claim.title),
                        ..lsp::Diagnostic::default()
                    });
                }
            }
        }
    }
    out
}

/// The width of a scalar written at `loc`, its quotes included.
pub(super) fn quoted_width(text: &Text, loc: crate::source::Loc, value: &str) -> usize {
    let line = text.line(usize::try_from(loc.line.saturating_sub(1)).unwrap_or(0));
    let skip = usize::try_from(loc.column.saturating_sub(1)).unwrap_or(0);
    let quoted = line
        .chars()
        .nth(skip)
        .is_some_and(|c| c == '"' || c == '\'');
    value.chars().count() + if quoted { 2 } else { 0 }
}

/// How many findings a document shows: an editor given 30,000 (a 14 MB
/// message) stalls, and no one reads past the first thousand.
const MAX_FINDINGS_SHOWN: usize = 1_000;

/// A finding on its first subject record's id (else on the line the
/// report locates it at), the other subjects as related information.
fn finding_diagnostic(
    finding: &crate::engine::result::Finding,
    text: &Text,
    outline: Option<&Outline>,
    uri: &lsp::Uri,
) -> lsp::Diagnostic {
    let place = |id: &str| {
        outline
            .and_then(|o| o.find(id, None))
            .map(|d| text.range(d.loc, d.width))
    };
    let reported = finding.location.loc();
    // A rule's finding is about its subject records, so it sits on the first
    // one's id; a built-in one (a waiver unused or expired) where the report
    // puts it, on the waiver.
    let on_subject = builtin::get(&finding.rule).is_none();
    let range = finding
        .subject
        .first()
        .filter(|_| on_subject)
        .and_then(|id| place(id))
        .unwrap_or_else(|| text.rest_of_line(reported));
    let related: Vec<lsp::DiagnosticRelatedInformation> = finding
        .subject
        .iter()
        .skip(1)
        .filter_map(|id| {
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri.clone(), place(id)?),
                message: format!("`{id}` is also in the finding's subject"),
            })
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(severity(finding.severity)),
        code: Some(lsp::NumberOrString::String(finding.rule.clone())),
        source: Some("parity".to_string()),
        message: format!("{}\n{} ({})", finding.message, finding.title, finding.cite),
        related_information: (!related.is_empty()).then_some(related),
        ..lsp::Diagnostic::default()
    }
}

/// The standard rule file that `name` is (editing `rules/parity.rules`
/// itself), if any: it is checked in place of the built-in copy.
fn standard_file(name: &str) -> Option<usize> {
    STANDARD
        .iter()
        .position(|(file, _)| name == *file || name.ends_with(&format!("/{file}")))
}

/// The diagnostics of a rule file, as `parity rules --rules FILE` gives
/// them: parse and type errors, and ids the standard rules already define.
pub fn rule_diagnostics(name: &str, text: &Text, uri: &lsp::Uri) -> Vec<lsp::Diagnostic> {
    let mut set = RuleSet::default();
    let mut ignored = Vec::new();
    let own = standard_file(name);
    for (index, (file, standard)) in STANDARD.iter().enumerate() {
        if Some(index) != own {
            let id = SourceId(u32::try_from(index).unwrap_or(u32::MAX));
            set.add_text_in(id, standard, file, &mut ignored);
        }
    }
    let mut diagnostics = Vec::new();
    if text.text.len() > crate::lang::ruleset::MAX_RULE_FILE_BYTES {
        let error = crate::io::ReadError::TooLong {
            limit: crate::lang::ruleset::MAX_RULE_FILE_BYTES,
        };
        diagnostics.push(error.diagnostic(name));
    } else {
        set.add_text(text.text, name, &mut diagnostics);
    }
    diag::sort_and_dedup(&mut diagnostics);
    diagnostics
        .iter()
        .filter(|d| d.file == name)
        .map(|d| convert(d, text, uri))
        .collect()
}

fn markdown(value: String) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

/// A rank's class in words.
pub fn rank_text(rank: Rank) -> String {
    let class = match (rank.class(), rank) {
        (Some(class), _) => format!("a head of mission of class {class} (VCDR art. 14)"),
        (None, Rank::ChargeDAffairesAi) => {
            "an acting head (VCDR art. 19): no class, not compared for parity".to_string()
        }
        (None, _) => "no class under VCDR art. 14: not compared for parity".to_string(),
    };
    format!("rank `{rank}`: {class}")
}

/// A rule's title, severity, citation and `about`, from the rule set, the
/// built-in findings, or the rule file being edited.
fn rule_text(
    id: &str,
    rules: &RuleSet,
    own: Option<&crate::lang::ast::RuleFile>,
) -> Option<String> {
    let text = |title: &str, severity: diag::Severity, cite: &str, about: Option<&str>| {
        let mut out = format!("**{id}** ({}): {title}\n\n_{cite}_", severity.word());
        if let Some(about) = about {
            out.push_str(&format!("\n\n{about}"));
        }
        out
    };
    if let Some(rule) = own.and_then(|f| f.rules.iter().find(|r| r.id.name == id)) {
        return Some(text(
            &rule.title.value,
            rule.severity,
            &rule.cite.value,
            rule.about.as_ref().map(|a| a.value.as_str()),
        ));
    }
    if let Some(rule) = rules.get(id) {
        return Some(text(
            &rule.title,
            rule.severity,
            &rule.cite,
            rule.about.as_deref(),
        ));
    }
    builtin::get(id).map(|b| text(b.title, b.severity, b.cite, Some(b.about)))
}

/// The words a key of a closed vocabulary takes.
fn vocabulary_of(ty: Yaml) -> Option<&'static [&'static str]> {
    Some(match ty {
        Yaml::Rank => Rank::WORDS,
        Yaml::MissionKind => MissionKind::WORDS,
        Yaml::Level => Level::WORDS,
        Yaml::StateKind => StateKind::WORDS,
        Yaml::RelationStatus => RelationStatus::WORDS,
        Yaml::EventKind => EventKind::WORDS,
        _ => return None,
    })
}

/// A key's documentation; `DITTO` is the row above's.
fn key_doc(record: &Record, key: &Key) -> String {
    let mut doc = key.doc;
    if doc == DITTO {
        let at = record
            .keys
            .iter()
            .position(|k| std::ptr::eq(k, key))
            .unwrap_or(0);
        doc = record
            .keys
            .iter()
            .take(at)
            .rev()
            .map(|k| k.doc)
            .find(|d| *d != DITTO)
            .unwrap_or_default();
    }
    // The docs page's cross-references ("see below", "see [Ranks](..)")
    // point nowhere in an editor: the values themselves are said instead.
    let listed;
    if doc.starts_with("see ")
        && let Some(words) = vocabulary_of(key.ty)
    {
        listed = format!(
            "one of {}",
            words
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        doc = &listed;
    }
    let presence = match key.presence {
        Presence::Required => "required".to_string(),
        Presence::Optional => "optional".to_string(),
        Presence::Default(default) => format!("default: {default}"),
    };
    format!("{doc} ({presence})")
}

/// Hover in a scenario: a key's doc, a rank's class, a waiver's rule, an id's record.
pub fn scenario_hover(
    setup: &Setup,
    text: &Text,
    outline: Option<&Outline>,
    offset: usize,
) -> Option<lsp::Hover> {
    let (word, range) = word_at(text.text, offset)?;
    let place = super::outline::place_at(text, range.start);
    let value = match place {
        Place::Key(Within::Record(record)) => {
            let key = key_of(record, word)?;
            format!("`{word}` of {}: {}", record.what, key_doc(record, key))
        }
        Place::Key(Within::Change) => format!("`{word}`: a change of the proposal"),
        Place::Value(key) => match key.ty {
            Yaml::Rank => rank_text(Rank::from_word(word)?),
            Yaml::RuleId => rule_text(word, &setup.rules, None)?,
            _ => def_text(outline?.find(word, want(key))?),
        },
        Place::Unknown => def_text(outline?.find(word, None)?),
    };
    let mut hover = markdown(value);
    hover.range = Some(lsp::Range::new(
        text.position(range.start),
        text.position(range.end),
    ));
    Some(hover)
}

fn def_text(def: &super::outline::Def) -> String {
    let what = def.record.what;
    let what = what
        .strip_prefix("an ")
        .or(what.strip_prefix("a "))
        .unwrap_or(what);
    let mut out = format!("**{what}** `{}`", def.id);
    for (key, value) in &def.facts {
        let value = match (*key, Rank::from_word(value)) {
            ("rank", Some(rank)) => rank_text(rank),
            _ => value.clone(),
        };
        out.push_str(&format!("\n- {key}: {value}"));
    }
    out
}

/// What a reference key names.
fn want(key: &Key) -> Option<crate::scenario::validate::Want> {
    match key.ty {
        Yaml::Ref(want) => Some(want),
        Yaml::StatePair => Some(crate::scenario::validate::Want::State),
        _ => None,
    }
}

/// Hover in a rule file: a rule's title, citation and about; a function's
/// doc; a rank's class.
pub fn rules_hover(setup: &Setup, name: &str, text: &Text, offset: usize) -> Option<lsp::Hover> {
    let (word, range) = segment_at(text.text, offset)?;
    let own = crate::lang::parse::parse_rules_in(SourceId::NONE, text.text, name).ok();
    let value = binding_at(own.as_ref(), word, offset)
        .map(|b| {
            format!(
                "`{}`: each of `{}` (`for {} in {}`)",
                b.var.name, b.collection.name, b.var.name, b.collection.name
            )
        })
        .or_else(|| rule_text(word, &setup.rules, own.as_ref()))
        .or_else(|| {
            crate::lang::functions::FUNCTIONS
                .iter()
                .find(|f| f.name == word)
                .map(|f| format!("**{}**: {}\n\n{}", f.name, f.gives, f.doc))
        })
        .or_else(|| Rank::from_word(word).map(rank_text))
        .or_else(|| field_text(word))?;
    let mut hover = markdown(value);
    hover.range = Some(lsp::Range::new(
        text.position(range.start),
        text.position(range.end),
    ));
    Some(hover)
}

/// The word at `offset` of a rule file, a path's segment (`m.head.rank`)
/// on its own.
fn segment_at(text: &str, offset: usize) -> Option<(&str, std::ops::Range<usize>)> {
    let (word, range) = word_at(text, offset)?;
    let mut start = range.start;
    for segment in word.split('.') {
        let end = start + segment.len();
        if (start..=end).contains(&offset) && !segment.is_empty() {
            return Some((segment, start..end));
        }
        start = end + 1;
    }
    None
}

/// The binding (`for m in missions`) of the rule around `offset` that
/// declares `name`.
fn binding_at<'f>(
    file: Option<&'f crate::lang::ast::RuleFile>,
    name: &str,
    offset: usize,
) -> Option<&'f crate::lang::ast::Binding> {
    let rule = file?
        .rules
        .iter()
        .find(|r| (r.span.start()..=r.span.end()).contains(&offset))?;
    rule.bindings.iter().find(|b| b.var.name == name)
}

/// Go to definition in a rule file: a variable to its binding.
pub fn rules_definition(name: &str, text: &Text, offset: usize) -> Option<lsp::Range> {
    let (word, _) = segment_at(text.text, offset)?;
    let file = crate::lang::parse::parse_rules_in(SourceId::NONE, text.text, name).ok();
    let span = binding_at(file.as_ref(), word, offset)?.var.span;
    Some(lsp::Range::new(
        text.position(span.start()),
        text.position(span.end()),
    ))
}

/// What a field of that name is, in each record rules read that has one.
fn field_text(name: &str) -> Option<String> {
    let mut lines = Vec::new();
    for kind in records::RULE_KINDS {
        let record = records::of(kind);
        for key in record.keys {
            let Some(rule) = key.rule.as_ref().filter(|r| r.name == name) else {
                continue;
            };
            let doc = match rule.doc {
                "" | DITTO => key_doc(record, key),
                doc => doc.to_string(),
            };
            lines.push(format!("- `{name}` of {}: {doc}", record.what));
        }
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The record an id at `offset` names (of the kind its key wants).
pub fn definition(text: &Text, outline: &Outline, offset: usize) -> Option<lsp::Range> {
    let (word, range) = word_at(text.text, offset)?;
    let wanted = match super::outline::place_at(text, range.start) {
        Place::Value(key) => want(key),
        _ => None,
    };
    let def = outline
        .find(word, wanted)
        .or_else(|| outline.find(word, None))?;
    Some(text.range(def.loc, def.width))
}

fn item(
    label: &str,
    kind: lsp::CompletionItemKind,
    detail: String,
    edit: &lsp::Range,
    insert: String,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
            *edit, insert,
        ))),
        ..lsp::CompletionItem::default()
    }
}

/// Completion in a scenario: the keys of the record at the cursor, or the
/// words and ids the key's value may be.
pub fn scenario_completion(
    setup: &Setup,
    text: &Text,
    outline: Option<&Outline>,
    offset: usize,
) -> Vec<lsp::CompletionItem> {
    let start = word_at(text.text, offset).map_or(offset, |(_, r)| r.start.min(offset));
    let edit = lsp::Range::new(text.position(start), text.position(offset));
    let words = |all: &[&str], what: &str| -> Vec<lsp::CompletionItem> {
        all.iter()
            .map(|w| {
                item(
                    w,
                    lsp::CompletionItemKind::ENUM_MEMBER,
                    what.to_string(),
                    &edit,
                    (*w).to_string(),
                )
            })
            .collect()
    };
    match super::outline::place_at(text, start) {
        Place::Key(Within::Record(record)) => {
            let written = super::outline::present_keys(text, start);
            record
                .keys
                .iter()
                .filter_map(|key| {
                    let name = key.yaml.filter(|name| !written.contains(name))?;
                    Some(item(
                        name,
                        lsp::CompletionItemKind::FIELD,
                        key_doc(record, key),
                        &edit,
                        format!("{name}: "),
                    ))
                })
                .collect()
        }
        Place::Key(Within::Change) => records::CHANGES
            .iter()
            .map(|(name, _)| {
                item(
                    name,
                    lsp::CompletionItemKind::FIELD,
                    "a change".to_string(),
                    &edit,
                    format!("{name}:"),
                )
            })
            .collect(),
        Place::Value(key) => match key.ty {
            Yaml::Rank => Rank::WORDS
                .iter()
                .filter_map(|w| {
                    let rank = Rank::from_word(w)?;
                    let detail = rank
                        .class()
                        .map_or("no class".to_string(), |c| format!("class {c}"));
                    Some(item(
                        w,
                        lsp::CompletionItemKind::ENUM_MEMBER,
                        detail,
                        &edit,
                        (*w).to_string(),
                    ))
                })
                .collect(),
            Yaml::MissionKind => words(MissionKind::WORDS, "mission kind"),
            Yaml::Level => words(Level::WORDS, "recognition level"),
            Yaml::StateKind => words(StateKind::WORDS, "state kind"),
            Yaml::RelationStatus => words(RelationStatus::WORDS, "relation status"),
            Yaml::EventKind => words(EventKind::WORDS, "event kind"),
            Yaml::Bool => words(&["true", "false"], "boolean"),
            Yaml::RuleId => setup
                .rules
                .rules
                .iter()
                .map(|r| {
                    item(
                        &r.id,
                        lsp::CompletionItemKind::REFERENCE,
                        r.title.clone(),
                        &edit,
                        r.id.clone(),
                    )
                })
                .collect(),
            Yaml::Ref(_) | Yaml::Subjects | Yaml::StatePair => outline
                .map(|o| o.ids(want(key)))
                .unwrap_or_default()
                .into_iter()
                .map(|d| {
                    let name = d
                        .facts
                        .iter()
                        .find(|(k, _)| *k == "name")
                        .map(|(_, v)| format!(": {v}"))
                        .unwrap_or_default();
                    item(
                        &d.id,
                        lsp::CompletionItemKind::REFERENCE,
                        format!("{}{name}", d.record.what),
                        &edit,
                        d.id.clone(),
                    )
                })
                .collect(),
            _ => Vec::new(),
        },
        Place::Unknown => Vec::new(),
    }
}

/// Completion in a rule file: the clause keywords, collections, functions,
/// severities and vocabulary words.
pub fn rules_completion(text: &Text, offset: usize) -> Vec<lsp::CompletionItem> {
    let start = word_at(text.text, offset).map_or(offset, |(_, r)| r.start.min(offset));
    let edit = lsp::Range::new(text.position(start), text.position(offset));
    let mut items = Vec::new();
    for word in [
        "rule", "title", "severity", "cite", "about", "subject", "for", "where", "require",
        "message", "in", "and", "or", "not",
    ] {
        items.push(item(
            word,
            lsp::CompletionItemKind::KEYWORD,
            "keyword".to_string(),
            &edit,
            word.to_string(),
        ));
    }
    for word in diag::Severity::WORDS {
        items.push(item(
            word,
            lsp::CompletionItemKind::ENUM_MEMBER,
            "severity".to_string(),
            &edit,
            (*word).to_string(),
        ));
    }
    for (name, _, doc) in crate::lang::schema::COLLECTIONS {
        items.push(item(
            name,
            lsp::CompletionItemKind::MODULE,
            (*doc).to_string(),
            &edit,
            (*name).to_string(),
        ));
    }
    for f in crate::lang::functions::FUNCTIONS {
        items.push(item(
            f.name,
            lsp::CompletionItemKind::FUNCTION,
            f.gives.to_string(),
            &edit,
            f.name.to_string(),
        ));
    }
    for (all, what) in [
        (Rank::WORDS, "rank"),
        (MissionKind::WORDS, "mission kind"),
        (Level::WORDS, "recognition level"),
    ] {
        for word in all {
            items.push(item(
                word,
                lsp::CompletionItemKind::ENUM_MEMBER,
                what.to_string(),
                &edit,
                (*word).to_string(),
            ));
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every request at every place of a real scenario and of texts cut
    /// anywhere (as while typing) is answered without a panic, and an id
    /// reference of the full text resolves.
    #[test]
    fn every_place_of_a_fixture_and_its_cuts_is_answered() {
        let setup = Setup {
            rules: RuleSet::standard().expect("the standard rules load"),
            limits: YamlLimits::default(),
        };
        let full = include_str!("../../fixtures/kabul-2024-09.yaml");
        let mut cuts: Vec<&str> = vec![full];
        cuts.extend(
            (0..full.len())
                .step_by(4999)
                .filter(|&i| full.is_char_boundary(i))
                .map(|i| &full[..i]),
        );
        let mut resolved = 0;
        for text in cuts {
            let text = Text::new(text);
            let outline = Outline::of(&text, &setup.limits);
            for offset in (0..text.text.len()).step_by(29) {
                let _ = scenario_hover(&setup, &text, outline.as_ref(), offset);
                let _ = scenario_completion(&setup, &text, outline.as_ref(), offset);
                if let Some(outline) = &outline
                    && definition(&text, outline, offset).is_some()
                {
                    resolved += 1;
                }
            }
            let _ = rules_hover(&setup, "x.rules", &text, text.text.len() / 2);
            let _ = rules_definition("x.rules", &text, text.text.len() / 2);
        }
        assert!(resolved > 100, "only {resolved} places resolved");
    }

    #[test]
    fn a_standard_rule_file_is_checked_in_place_of_its_built_in_copy() {
        let uri: lsp::Uri = "file:///r/rules/parity.rules".parse().expect("a URI");
        let (file, standard) = STANDARD[0];
        let name = format!("/r/{file}");
        assert_eq!(
            rule_diagnostics(&name, &Text::new(standard), &uri),
            Vec::new()
        );
        // Elsewhere its ids are already defined.
        let elsewhere = rule_diagnostics("/r/mine.rules", &Text::new(standard), &uri);
        assert!(!elsewhere.is_empty());
        assert!(
            elsewhere
                .iter()
                .all(|d| d.code == Some(lsp::NumberOrString::String("duplicate-rule".to_string())))
        );
    }
}
