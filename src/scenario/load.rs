//! YAML text → located model → validated scenario.
//!
//! Decoding is hand-written over the located `yaml::Node` tree so that every
//! problem is reported with its place and in the user's own words, and so that
//! one bad record never stops the rest of the file from being checked: the
//! loader collects *all* diagnostics of a file, then runs `validate`, then
//! sorts them by position.
//!
//! Each record decoder is a short list of `Fields::required` / `Fields::optional`
//! calls; `Fields::finish` then reports every key that nobody asked for, with
//! the nearest valid key as a hint. A record whose required keys cannot be
//! decoded is dropped from the model, but what could be read of it (its id,
//! the ids it refers to) is handed to `validate` so that references to it do
//! not cascade into "unknown id" errors.

use super::date::{Date, DateError};
use super::model::{
    At, Change, Claim, Credentials, Event, EventKind, Expected, Government, Head, Level, Mission,
    MissionKind, Proposal, Rank, Recognition, Relation, RelationStatus, RuleCase, RuleTests,
    Scenario, Source, Staff, State, StateKind, Waiver,
};
use super::records::{self, Presence, Record};
use super::validate::{self, Partial, RecordKind, Ref, Want};
use super::yaml::{self, Node, Split, Value, YamlLimits};
use crate::diag::Code;
use crate::diag::{self, Diagnostic};
pub use crate::io::read::decode_utf8;
use crate::source::{Cursor, Embedding, Located, SourceId, Span};
use std::sync::Arc;

/// YAML text → validated Scenario, or every problem found (sorted by position, deduplicated).
pub fn load_str(text: &str, file: &str, limits: &YamlLimits) -> Result<Scenario, Vec<Diagnostic>> {
    load_source(&Arc::new(Located::new(SourceId::NONE, text)), file, limits)
}

/// `load_str` for a text of `io::Sources` (`io::Source::shared`): its
/// spans name it, and the scenario shares the text rather than copying it.
pub fn load_source(
    shared: &Arc<Located>,
    file: &str,
    limits: &YamlLimits,
) -> Result<Scenario, Vec<Diagnostic>> {
    load_source_streamed(shared, file, limits, STREAM_MIN)
}

/// Files from this size on are decoded as they are read (`load_source_streamed`).
const STREAM_MIN: usize = 1 << 20;

/// `load_source`, decoding a file of at least `stream_min` bytes as it is
/// read: its long lists are read a piece at a time (`yaml::subset::Split`)
/// and each piece decoded at once and its tree dropped, so that the tree of
/// the whole file and the model decoded from it never coexist (issue 12:
/// peak memory). The outcome is exactly the one of reading the file whole
/// (`stream_min = usize::MAX`): a file that turns out to lie outside the fast
/// reader's subset is read again, whole, by serde-saphyr. A parameter so that
/// tests and fuzzing can hold the two to each other on small texts.
#[doc(hidden)]
pub fn load_source_streamed(
    shared: &Arc<Located>,
    file: &str,
    limits: &YamlLimits,
    stream_min: usize,
) -> Result<Scenario, Vec<Diagnostic>> {
    let text = shared.text();
    if let Some(split) = yaml::split(text, limits, stream_min) {
        let mut diags = Vec::new();
        let mut cx = Cx::new(file, shared, &mut diags);
        cx.split = Some(&split);
        let scenario = decode_scenario(&mut cx, split.root());
        let partials = std::mem::take(&mut cx.partials);
        // Reads what no decoder asked for (an unknown key's list): the
        // whole file must lie in the subset for this reading to stand.
        if split.finish() {
            drop(split);
            return validated(scenario, &partials, diags);
        }
    }
    let root = yaml::parse(text, file, limits).map_err(|d| vec![d])?;
    if root.value == Value::Null {
        // Empty, or only comments: say so rather than "needs `scenario`".
        return Err(vec![
            Diagnostic::at_start(
                Code::EmptyFile,
                file,
                format!("{file} is empty: there is no scenario to check"),
            )
            .with_help("a scenario file starts with `scenario: <id>` (see docs/scenario.md)"),
        ]);
    }
    let mut diags = Vec::new();
    let mut cx = Cx::new(file, shared, &mut diags);
    let scenario = decode_scenario(&mut cx, &root);
    let partials = std::mem::take(&mut cx.partials);
    // The tree is as large as the model: free it before validation allocates.
    drop(root);
    validated(scenario, &partials, diags)
}

/// A decoded scenario validated: itself, or every problem found (sorted
/// by position, deduplicated) with those `diags` the decoding found.
fn validated(
    scenario: Scenario,
    partials: &[Partial],
    mut diags: Vec<Diagnostic>,
) -> Result<Scenario, Vec<Diagnostic>> {
    validate::validate_with(&scenario, partials, &mut diags);
    diag::sort_and_dedup(&mut diags);
    if diags.is_empty() {
        Ok(scenario)
    } else {
        Err(diags)
    }
}

/// A rule-test file (`*.test.yaml`): `rule`, and `cases`, each with a `name`,
/// an optional `as_of`, the exact `fires` list of expected findings, and an
/// inline `scenario` of the ordinary form, validated like a scenario file.
/// An entry of `fires` is a subject (an id or a list of ids: one finding), or
/// a mapping `{ subject, count, message }`; docs/rules.md, "Testing rules".
pub fn load_rule_tests(
    text: &str,
    file: &str,
    limits: &YamlLimits,
) -> Result<RuleTests, Vec<Diagnostic>> {
    let source = SourceId::NONE;
    let root = yaml::parse(text, file, limits).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let located = Arc::new(Located::new(source, text));
    let mut cx = Cx::new(file, &located, &mut diags);
    let (entries, mapping) = root_entries(
        &mut cx,
        &root,
        "a rule-test file (a mapping with `rule:` and `cases:`)",
    );
    let mut f = Fields::over(cx.span(&root), entries, &records::RULE_TESTS);
    let rule = f.get(&mut cx, "rule", rule_id);
    let cases = f.get(&mut cx, "cases", list(records::RULE_CASE.plural, rule_case));
    f.finish_root(&mut cx, mapping);
    let cases = cases.unwrap_or_default();
    diag::sort_and_dedup(&mut diags);
    match rule {
        Some(rule) if diags.is_empty() => Ok(RuleTests {
            rule,
            cases,
            located,
        }),
        _ => Err(diags),
    }
}

fn rule_case(cx: &mut Cx, node: &Node) -> Option<RuleCase> {
    let mut f = Fields::new(cx, node, &records::RULE_CASE)?;
    let name = f.get(cx, "name", text);
    let as_of = f.get(cx, "as_of", date);
    let fires = f.get(cx, "fires", fires);
    let scenario = f.get(cx, "scenario", |cx, node| {
        let before = cx.partials.len();
        let scenario = decode_scenario(cx, node);
        // What could not be decoded is reported; references into it must not cascade.
        let partials = cx.partials.split_off(before);
        let mut found = Vec::new();
        validate::validate_with(&scenario, &partials, &mut found);
        let clean = found.is_empty();
        cx.diags.extend(found);
        clean.then_some(scenario)
    });
    let clean = f.finish(cx);
    match (name, fires, scenario) {
        (Some(name), Some(fires), Some(scenario)) if clean => Some(RuleCase {
            name,
            as_of,
            fires,
            scenario,
            span: f.span,
        }),
        _ => None,
    }
}

/// A case's `fires`: its expected findings, one entry per subject. A subject
/// written twice (in any order of its ids) is an error that says to give a
/// `count` instead, since the comparison counts findings.
fn fires(cx: &mut Cx, node: &Node) -> Option<Vec<Expected>> {
    let expected = list(records::EXPECTED.plural, expected)(cx, node)?;
    let mut clean = true;
    let mut seen: Vec<(Vec<String>, Span)> = Vec::new();
    for entry in &expected {
        let mut key = entry.subject.clone();
        key.sort();
        match seen.iter().find(|(k, _)| *k == key) {
            Some((_, first)) => {
                clean = false;
                let message = format!(
                    "the subject [{}] is expected twice in this case",
                    entry.subject.join(", ")
                );
                let help = format!(
                    "first expected at line {}; write `{{ subject: [{}], count: N }}` there to expect N findings",
                    cx.line(*first),
                    entry.subject.join(", ")
                );
                let diagnostic = cx
                    .diagnostic(Code::DuplicateSubject, cx.in_file(entry.span), message)
                    .with_help(help);
                cx.push(diagnostic);
            }
            None => seen.push((key, cx.in_file(entry.span))),
        }
    }
    clean.then_some(expected)
}

/// One entry of `fires`: `[a, b]` or `a` (one finding with that subject), or
/// `{ subject: [a, b], count: 2, message: "..." }`.
fn expected(cx: &mut Cx, node: &Node) -> Option<Expected> {
    if !matches!(node.value, Value::Map(_)) {
        let subject = subjects(cx, node)?;
        return Some(Expected {
            subject: subject.into_iter().map(|id| id.value).collect(),
            count: 1,
            message: None,
            span: cx.span(node),
        });
    }
    let mut f = Fields::new(cx, node, &records::EXPECTED)?;
    let subject = f.get(cx, "subject", subjects);
    let count = f.get(cx, "count", finding_count);
    let message = f.get(cx, "message", text);
    let clean = f.finish(cx);
    match subject {
        Some(subject) if clean => Some(Expected {
            subject: subject.into_iter().map(|id| id.value).collect(),
            count: count.unwrap_or(1),
            message,
            span: cx.span(node),
        }),
        _ => None,
    }
}

/// How many findings a subject must have: at least one.
fn finding_count(cx: &mut Cx, node: &Node) -> Option<u32> {
    match count(cx, node)? {
        0 => {
            let diagnostic = cx
                .diagnostic(
                    Code::WrongType,
                    cx.span(node),
                    "expected a count of at least 1, found 0",
                )
                .with_help(
                    "`fires` lists every finding: leave out a subject the rule must not fire for",
                );
            cx.push(diagnostic);
            None
        }
        n => Some(n),
    }
}

/// Proposals kept in a file of their own (`parity propose --proposals FILE`):
/// a mapping with one key, `proposals`, of the same form as a scenario's.
/// Their references are checked against `scenario`; errors name `file`.
/// `source` is the file's, and not the scenario's (`Scenario::located`).
pub fn load_proposals_str(
    text: &str,
    source: SourceId,
    file: &str,
    limits: &YamlLimits,
    scenario: &Scenario,
) -> Result<Vec<Proposal>, Vec<Diagnostic>> {
    let root = yaml::parse(text, file, limits).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    // Validation meets the scenario's records too: their spans are located
    // in its text, told apart from the proposals' by source.
    let located = Arc::new(Located::new(source, text).over(scenario.located.clone()));
    let mut cx = Cx::new(file, &located, &mut diags);
    let (entries, mapping) = root_entries(&mut cx, &root, "a mapping with `proposals:`");
    let mut f = Fields::over(cx.span(&root), entries, &records::PROPOSALS_FILE);
    let proposals = f.get(
        &mut cx,
        "proposals",
        list(records::PROPOSAL.plural, proposal),
    );
    f.finish_root(&mut cx, mapping);
    let partials = std::mem::take(&mut cx.partials);
    // The scenario itself is valid, so whatever validation finds in the
    // combination is about these proposals: it is reported against their file.
    let mut combined = scenario.clone();
    combined.file = file.to_string();
    combined.located = located.clone();
    combined.proposals = proposals.unwrap_or_default();
    validate::validate_with(&combined, &partials, &mut diags);
    diag::sort_and_dedup(&mut diags);
    if diags.is_empty() {
        Ok(combined.proposals)
    } else {
        Err(diags)
    }
}

// ---------------------------------------------------------------------------
// Decoding context

/// What the decoders share: the file name, the diagnostics found so far, and
/// what is salvaged of records that could not be decoded.
pub(super) struct Cx<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    /// References read so far by the records being decoded (a stack: a record
    /// notes the length when it starts and settles it when it ends).
    refs: Vec<Ref>,
    /// Records that could not be decoded, with what could be read of them.
    partials: Vec<Partial>,
    /// The file's text, which every node's span is into.
    text: &'a str,
    /// The text and its lines, indexed once per file (shared by the pieces
    /// of a long list decoded in parallel, and kept by the scenario).
    located: &'a Arc<Located>,
    /// The last place located: nodes come in file order, so many on one
    /// long line (a flow list) each count on from the previous one.
    cursor: Cursor,
    /// The file read a piece at a time, whose long lists `list` reads.
    split: Option<&'a Split<'a>>,
}

impl<'a> Cx<'a> {
    fn new(file: &'a str, located: &'a Arc<Located>, diags: &'a mut Vec<Diagnostic>) -> Self {
        Cx {
            file,
            diags,
            refs: Vec::new(),
            partials: Vec::new(),
            text: located.text(),
            located,
            cursor: Cursor::default(),
            split: None,
        }
    }

    /// Where `node` is, in this file.
    fn span(&self, node: &Node) -> Span {
        Span {
            source: self.located.source,
            ..node.span
        }
    }

    /// `span`, of this file, as a span of its source.
    fn in_file(&self, span: Span) -> Span {
        Span {
            source: self.located.source,
            ..span
        }
    }

    /// The line `span` (of this file) starts on, for a message that
    /// points at another place.
    fn line(&self, span: Span) -> u32 {
        self.located
            .lines()
            .loc_from(self.text, span.start(), &self.cursor)
            .line
    }

    /// Where each byte of a scalar's value (and its end) was written, for
    /// a value whose node starts at byte `start`. Quotes, the line breaks
    /// and indentation of a multi-line scalar, doubled single quotes and
    /// double-quoted escapes are in the file but not in the value, so an
    /// offset into the value is not an offset from `start`. When the value
    /// cannot be matched to the text (a tag before it, say), its bytes are
    /// taken as written from `start`.
    fn embedding(&self, start: usize, value: &str) -> Embedding {
        let text = self.text;
        let double = text.as_bytes().get(start) == Some(&b'"');
        let single = text.as_bytes().get(start) == Some(&b'\'');
        let Some(mut at) = (start <= text.len()).then_some(start) else {
            return Embedding::from_map(start, Vec::new());
        };
        let next = |at: usize| text.get(at..).and_then(|rest| rest.chars().next());
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        let mut map = Vec::with_capacity(value.len() + 1);
        for ch in value.chars() {
            loop {
                let Some(written) = next(at) else {
                    return Embedding::from_map(start, Vec::new());
                };
                if double && written == '\\' {
                    let Some(escaped) = next(at + 1) else {
                        return Embedding::from_map(start, Vec::new());
                    };
                    if matches!(escaped, '\n' | '\r') {
                        // An escaped line break: nothing of the value.
                        at += 1 + escaped.len_utf8();
                        continue;
                    }
                    let digits = match escaped {
                        'x' => 2,
                        'u' => 4,
                        'U' => 8,
                        _ => 0,
                    };
                    map.extend(std::iter::repeat_n(offset(at), ch.len_utf8()));
                    at += 1 + escaped.len_utf8() + digits;
                    break;
                }
                if written == ch || (ch.is_whitespace() && written.is_whitespace()) {
                    map.extend(std::iter::repeat_n(offset(at), ch.len_utf8()));
                    at += written.len_utf8();
                    // A quote doubled in a single-quoted scalar is one of the value.
                    if ch == '\'' && single && next(at) == Some('\'') {
                        at += 1;
                    }
                    break;
                }
                // Skip what the value leaves out: quotes, folded breaks, indentation.
                if !(written.is_whitespace() || written == '"' || written == '\'') {
                    return Embedding::from_map(start, Vec::new());
                }
                at += written.len_utf8();
            }
        }
        map.push(offset(at));
        Embedding::from_map(start, map)
    }

    /// The plain scalar written at byte `at`, if it looks like one that YAML
    /// resolves to a number or a boolean (`-.inf`, `1e3`, `0x1F`, `True`).
    /// `None` for anything else, such as an alias or a tag at that place.
    fn written(&self, at: usize) -> Option<&'a str> {
        let text: &'a str = self.text;
        let line = text.get(at..)?;
        let rest = &line[..line.find('\n').unwrap_or(line.len())];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | '_')))
            .unwrap_or(rest.len());
        let after = rest[end..].chars().next();
        let ends = after.is_none_or(|c| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'));
        (end > 0 && ends).then(|| &rest[..end])
    }

    fn error(&mut self, code: Code, span: Span, message: impl Into<String>) {
        let diagnostic = Diagnostic::new(code, self.file, span, message);
        self.diags.push(diagnostic);
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    fn diagnostic(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, self.file, span, message)
    }

    fn wrong_type(&mut self, node: &Node, expected: &str) {
        let message = format!("expected {expected}, found {}", node.value.describe());
        self.error(Code::WrongType, self.span(node), message);
    }

    /// Ends a record that started when `refs` had `mark` entries. A decoded
    /// record's references are read again from the model by `validate`; a
    /// dropped record keeps them, with its id, as a `Partial`.
    fn settle(&mut self, mark: usize, decoded: bool, partial: impl FnOnce() -> Partial) {
        let mark = mark.min(self.refs.len());
        if decoded {
            self.refs.truncate(mark);
        } else {
            let mut partial = partial();
            partial.refs = self.refs.split_off(mark);
            self.partials.push(partial);
        }
    }
}

// ---------------------------------------------------------------------------
// Records as mappings

/// The keys of one mapping, handed out by name. Which keys the record has,
/// and which of them it needs, is its table's (`records`); `finish` reports
/// the keys the table does not list, and the required ones that are absent.
pub(super) struct Fields<'n> {
    record: &'static Record,
    span: Span,
    entries: &'n [(Node<'n>, Node<'n>)],
    used: Vec<bool>,
    /// Required keys that are absent; reported by `finish` unless a misspelt
    /// key explains them (one root cause, one error).
    missing: Vec<&'static str>,
    /// Whether a key was missing or a value could not be decoded.
    failed: bool,
    /// Where in the table to look first for the next key asked.
    next: usize,
}

const NO_ENTRIES: &[(Node<'static>, Node<'static>)] = &[];

impl<'n> Fields<'n> {
    /// `None` (and a `wrong-type` error) when `node` is not a mapping.
    fn new(cx: &mut Cx, node: &'n Node<'n>, record: &'static Record) -> Option<Self> {
        match &node.value {
            Value::Map(entries) => Some(Self::over(cx.span(node), entries, record)),
            _ => {
                let what = record.what;
                cx.wrong_type(node, &format!("{what} (a mapping of `key: value`)"));
                None
            }
        }
    }

    fn over(span: Span, entries: &'n [(Node<'n>, Node<'n>)], record: &'static Record) -> Self {
        Fields {
            record,
            span,
            entries,
            used: vec![false; entries.len()],
            missing: Vec::new(),
            failed: false,
            next: 0,
        }
    }

    fn take(&mut self, key: &'static str) -> Option<&'n Node<'n>> {
        let index = self
            .entries
            .iter()
            .position(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))?;
        if let Some(used) = self.used.get_mut(index) {
            *used = true;
        }
        self.entries.get(index).map(|(_, v)| v)
    }

    /// The value of `key`, decoded. A required key that is absent is a
    /// `missing-key` error (from `finish`); an optional one that is absent or
    /// null is `None`, as is a value in error.
    pub(super) fn get<T>(
        &mut self,
        cx: &mut Cx,
        key: &'static str,
        decode: impl FnOnce(&mut Cx, &Node) -> Option<T>,
    ) -> Option<T> {
        let Some(spec) = self.spec(key) else {
            // Decoders ask only for their table's keys; the tests of this
            // file decode every record, so this fires there, not on input.
            debug_assert!(false, "`{key}` is not a key of {}", self.record.what);
            return None;
        };
        self.decode(cx, spec, key, decode)
    }

    fn decode<T>(
        &mut self,
        cx: &mut Cx,
        spec: &records::Key,
        key: &'static str,
        decode: impl FnOnce(&mut Cx, &Node) -> Option<T>,
    ) -> Option<T> {
        if spec.presence == Presence::Required {
            let value = match self.take(key) {
                Some(node) => decode(cx, node),
                None => {
                    self.missing.push(key);
                    None
                }
            };
            self.failed |= value.is_none();
            return value;
        }
        match self.take(key) {
            Some(Node {
                value: Value::Null, ..
            })
            | None => None,
            Some(node) => {
                let value = decode(cx, node);
                self.failed |= value.is_none();
                value
            }
        }
    }

    /// `get` for the key at `index` of the table (`record!` knows each
    /// key's place when it is compiled): no search for the key's entry.
    pub(super) fn get_at<T>(
        &mut self,
        cx: &mut Cx,
        index: usize,
        key: &'static str,
        decode: impl FnOnce(&mut Cx, &Node) -> Option<T>,
    ) -> Option<T> {
        match self.record.keys.get(index) {
            Some(spec) if spec.yaml == Some(key) => {
                self.next = index + 1;
                self.decode(cx, spec, key, decode)
            }
            // A table laid out otherwise than the record's (none is):
            // found by name.
            _ => self.get(cx, key, decode),
        }
    }

    /// The table's entry for `key`. Decoders ask in table order, so the
    /// search starts after the key asked last: one comparison per key of a
    /// record, which matters over the 10⁵ records of a large world.
    fn spec(&mut self, key: &str) -> Option<&'static records::Key> {
        let keys = self.record.keys;
        let after = keys.get(self.next..).unwrap_or_default();
        let index = match after.iter().position(|k| k.yaml == Some(key)) {
            Some(i) => self.next + i,
            None => keys.iter().position(|k| k.yaml == Some(key))?,
        };
        self.next = index + 1;
        keys.get(index)
    }

    /// The value of an unknown key that is a likely misspelling of `key`
    /// (`idd: KAZ` for `id: KAZ`), to salvage an id from a broken record.
    fn misspelled(&self, key: &str) -> Option<&'n Node<'n>> {
        self.entries
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(entry, _)| entry)
            .find(|(k, _)| key_text(k).is_some_and(|t| diag::nearest(&t, [key]).is_some()))
            .map(|(_, v)| v)
    }

    /// Reports every key that the record's table does not list. `true` when
    /// the record is clean: every key known, every value decoded. A record
    /// that is not clean is left out of the model (its errors are reported),
    /// so that a value read wrongly (a bad `until`, a misspelled `untill`)
    /// cannot cause follow-on findings.
    fn finish(&mut self, cx: &mut Cx) -> bool {
        let what = self.record.what;
        let mut explained = Vec::new();
        for ((key, _), used) in self.entries.iter().zip(&self.used) {
            if *used {
                continue;
            }
            self.failed = true;
            let Some(text) = key_text(key) else {
                cx.wrong_type(key, "a key name");
                continue;
            };
            let message = format!("unknown key `{text}` in {what}");
            let near = diag::nearest(&text, self.record.yaml_keys());
            let help = match near {
                Some(near) => format!("did you mean `{near}`?"),
                None => {
                    let keys: Vec<&str> = self.record.yaml_keys().collect();
                    format!("the keys of {what} are: {}", words(&keys))
                }
            };
            explained.extend(near.filter(|n| self.missing.contains(n)));
            let diagnostic = cx
                .diagnostic(Code::UnknownKey, cx.span(key), message)
                .with_width(text.chars().count())
                .with_help(help);
            cx.push(diagnostic);
        }
        for key in &self.missing {
            if !explained.contains(key) {
                cx.error(
                    Code::MissingKey,
                    cx.in_file(self.span),
                    format!("{what} needs `{key}`"),
                );
            }
        }
        !self.failed
    }
}

impl Fields<'_> {
    /// `finish` for a top mapping; when the top is not a mapping at all
    /// (`mapping` false, already reported), its keys are not missing one by one.
    fn finish_root(&mut self, cx: &mut Cx, mapping: bool) -> bool {
        if !mapping {
            self.missing.clear();
            self.failed = true;
        }
        self.finish(cx)
    }
}

/// `until` before `from` is reported where it is written, even when the
/// record is otherwise broken, so that every problem shows in one run.
fn check_period(cx: &mut Cx, from: &Option<At<Date>>, until: &Option<At<Date>>) {
    if let (Some(from), Some(until)) = (from, until)
        && until.value < from.value
    {
        let diagnostic = cx
            .diagnostic(
                Code::UntilBeforeFrom,
                cx.in_file(until.span),
                format!("`until: {}` is before `from: {}`", until.value, from.value),
            )
            .with_width(until.value.to_string().len())
            .with_help("a period holds from `from` up to, but not including, `until`");
        cx.push(diagnostic);
    }
}

/// A mapping key as text, if it is a scalar.
fn key_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.to_string()),
        Value::Int(n) => Some(n.to_string()),
        Value::Float(x) => Some(x.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".to_string()),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

/// "`a`, `b`, `c`".
fn words(list: &[&str]) -> String {
    list.iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------
// Values

/// The defining id of a record. An invalid id is reported but kept, so that
/// references to it still resolve (one root cause, one error).
pub(super) fn def_id(cx: &mut Cx, node: &Node) -> Option<At<String>> {
    let Value::Str(text) = &node.value else {
        cx.wrong_type(node, "an id");
        return None;
    };
    if !is_id(text) {
        let diagnostic = cx
            .diagnostic(
                Code::InvalidId,
                cx.span(node),
                format!("`{text}` is not a valid id"),
            )
            .with_width(text.chars().count())
            .with_help("an id starts with a letter and has only letters, digits, `_`, `.` and `-`");
        cx.push(diagnostic);
    }
    Some(At::new(text.to_string(), cx.span(node)))
}

/// Whether `text` matches `[A-Za-z][A-Za-z0-9_.-]*`.
pub(crate) fn is_id(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// A decoder's value without its location, for a field the model keeps
/// bare (a state's `kind`).
pub(super) fn value<T>(
    decode: impl FnOnce(&mut Cx, &Node) -> Option<At<T>>,
) -> impl FnOnce(&mut Cx, &Node) -> Option<T> {
    move |cx, node| decode(cx, node).map(|at| at.value)
}

/// A reference to another record's id; `validate` checks that it exists.
pub(super) fn reference(want: Want) -> impl FnOnce(&mut Cx, &Node) -> Option<At<String>> {
    move |cx, node| {
        let Value::Str(text) = &node.value else {
            cx.wrong_type(node, &format!("{} id", want.noun_with_article()));
            return None;
        };
        let id = At::new(text.to_string(), cx.span(node));
        cx.refs.push(Ref {
            want,
            id: id.clone(),
        });
        Some(id)
    }
}

/// Lists at least this long (the missions of a large world) are decoded in
/// pieces on all cores.
const PARALLEL_ITEMS: usize = 4_096;

/// Decodes a long list in contiguous pieces, one per core, each with its own
/// context; items, diagnostics and partial records are put back in list
/// order, so the outcome is the serial one.
fn decode_in_pieces<T: Send>(
    cx: &mut Cx,
    items: &[Node],
    item: fn(&mut Cx, &Node) -> Option<T>,
) -> Vec<T> {
    let workers = crate::parallel::cores();
    let size = items.len().div_ceil(workers.max(1)).max(1);
    let (file, located) = (cx.file, cx.located);
    let chunks: Vec<&[Node]> = items.chunks(size).collect();
    // Every piece gives `Some`, so no piece is skipped.
    let pieces = crate::parallel::share_out(
        &chunks,
        workers,
        || (),
        |_, _, piece| Some(Decoded::of(file, located, piece, item)),
    );
    Decoded::join(cx, pieces.into_iter().flatten())
}

/// A long list of a file read a piece at a time (`Split::read_list`), each
/// piece decoded as `decode_in_pieces` decodes one, its tree dropped then.
/// `None` when a piece lies outside the fast reader's subset (the file is
/// then read again whole: `load_source_streamed`).
fn decode_streamed<T: Send>(
    cx: &mut Cx,
    split: &Split,
    list: usize,
    item: fn(&mut Cx, &Node) -> Option<T>,
) -> Option<Vec<T>> {
    let (file, located) = (cx.file, cx.located);
    let pieces = split.read_list(list, |piece| match &piece.value {
        Value::Seq(items) => Some(Decoded::of(file, located, items, item)),
        _ => None,
    })?;
    let pieces: Option<Vec<Decoded<T>>> = pieces.into_iter().collect();
    Some(Decoded::join(cx, pieces?))
}

/// What a piece of a long list decoded to, with its own context's findings.
struct Decoded<T> {
    items: Vec<T>,
    diags: Vec<Diagnostic>,
    refs: Vec<Ref>,
    partials: Vec<Partial>,
}

impl<T> Decoded<T> {
    fn of(
        file: &str,
        located: &Arc<Located>,
        piece: &[Node],
        item: fn(&mut Cx, &Node) -> Option<T>,
    ) -> Self {
        let mut diags = Vec::new();
        let mut cx = Cx::new(file, located, &mut diags);
        let mut items = Vec::with_capacity(piece.len());
        items.extend(piece.iter().filter_map(|n| item(&mut cx, n)));
        let (refs, partials) = (cx.refs, cx.partials);
        Decoded {
            items,
            diags,
            refs,
            partials,
        }
    }

    /// The pieces put back in list order, each piece's vector freed as soon
    /// as its items are moved.
    fn join(cx: &mut Cx, pieces: impl IntoIterator<Item = Self>) -> Vec<T> {
        let pieces: Vec<Self> = pieces.into_iter().collect();
        let mut out = Vec::with_capacity(pieces.iter().map(|p| p.items.len()).sum());
        for piece in pieces {
            out.extend(piece.items);
            cx.diags.extend(piece.diags);
            cx.refs.extend(piece.refs);
            cx.partials.extend(piece.partials);
        }
        out
    }
}

/// Free text (a name, title, city...). A plain scalar that YAML reads as a
/// number or a boolean (`name: .inf`, `title: 1e3`, `city: 0x1F`) is the
/// text as written: that is what its author meant. Ids, dates and ranks
/// stay strict (see `def_id`, `date`, `word`).
pub(super) fn text(cx: &mut Cx, node: &Node) -> Option<String> {
    let shown = match &node.value {
        Value::Str(s) => return Some(s.to_string()),
        Value::Int(n) => n.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => {
            cx.wrong_type(node, "a text");
            return None;
        }
    };
    Some(cx.written(node.span.start()).map_or(shown, str::to_string))
}

/// A string kept with its location (claims, rule ids).
fn located_text(cx: &mut Cx, node: &Node) -> Option<At<String>> {
    match &node.value {
        Value::Str(s) => Some(At::new(s.to_string(), cx.span(node))),
        _ => {
            cx.wrong_type(node, "a text");
            None
        }
    }
}

/// A rule id (checked against the rules later): a string shaped like an id.
fn rule_id(cx: &mut Cx, node: &Node) -> Option<At<String>> {
    let Value::Str(text) = &node.value else {
        cx.wrong_type(node, "a rule id");
        return None;
    };
    if !is_id(text) {
        let diagnostic = cx
            .diagnostic(
                Code::InvalidId,
                cx.span(node),
                format!("`{text}` is not a valid rule id"),
            )
            .with_width(text.chars().count())
            .with_help("rule ids look like `rank-parity`");
        cx.push(diagnostic);
        return None;
    }
    Some(At::new(text.to_string(), cx.span(node)))
}

/// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or a year written as a YAML integer.
pub(super) fn date(cx: &mut Cx, node: &Node) -> Option<At<Date>> {
    let written = match &node.value {
        Value::Str(s) => s.to_string(),
        Value::Int(n) => n.to_string(),
        _ => {
            cx.wrong_type(node, "a date");
            return None;
        }
    };
    match Date::parse(&written) {
        Ok(d) => Some(At::new(d, cx.span(node))),
        Err(DateError::Malformed) => {
            let diagnostic = cx
                .diagnostic(
                    Code::InvalidDate,
                    cx.span(node),
                    format!("`{written}` is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"),
                )
                .with_width(written.chars().count());
            cx.push(diagnostic);
            None
        }
        Err(DateError::Impossible) => {
            let message = format!(
                "`{written}` is not a real date: {}",
                why_impossible(&written)
            );
            let diagnostic = cx
                .diagnostic(Code::ImpossibleDate, cx.span(node), message)
                .with_width(written.chars().count());
            cx.push(diagnostic);
            None
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a well-formed date does not exist: "February 2024 has 29 days".
pub fn why_impossible(written: &str) -> String {
    let mut parts = written.split('-').map(|p| p.parse::<u32>().unwrap_or(0));
    let year = parts.next().unwrap_or(0);
    let month = parts.next().unwrap_or(1);
    let day = parts.next().unwrap_or(1);
    if year == 0 {
        return "there is no year 0".to_string();
    }
    let Some(name) = month.checked_sub(1).and_then(|i| MONTHS.get(i as usize)) else {
        return format!("there is no month {month}");
    };
    if day == 0 {
        return "there is no day 0".to_string();
    }
    // The leap-year rule repeats every 400 years, so `year % 400 + 400`
    // (which fits a u16) has the same Februaries as any year written; the
    // month is 1 to 12 here (`MONTHS` had it).
    let days = super::date::days_in_month((year % 400 + 400) as u16, month as u8);
    format!("{name} {year} has {days} days")
}

/// One word of a closed vocabulary (rank, kind, level).
fn word<T>(
    noun: &'static str,
    code: Code,
    all: &'static [&'static str],
    from_word: fn(&str) -> Option<T>,
) -> impl FnOnce(&mut Cx, &Node) -> Option<At<T>> {
    move |cx, node| {
        let Value::Str(text) = &node.value else {
            cx.wrong_type(node, &format!("a {noun}"));
            return None;
        };
        if let Some(value) = from_word(text) {
            return Some(At::new(value, cx.span(node)));
        }
        let help = match diag::nearest(text, all.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("a {noun} is one of: {}", words(all)),
        };
        let diagnostic = cx
            .diagnostic(code, cx.span(node), format!("unknown {noun} `{text}`"))
            .with_width(text.chars().count())
            .with_help(help);
        cx.push(diagnostic);
        None
    }
}

pub(super) fn rank(cx: &mut Cx, node: &Node) -> Option<At<Rank>> {
    word("rank", Code::UnknownRank, Rank::WORDS, Rank::from_word)(cx, node)
}

pub(super) fn mission_kind(cx: &mut Cx, node: &Node) -> Option<At<MissionKind>> {
    word(
        "mission kind",
        Code::UnknownKind,
        MissionKind::WORDS,
        MissionKind::from_word,
    )(cx, node)
}

pub(super) fn level(cx: &mut Cx, node: &Node) -> Option<At<Level>> {
    word(
        "recognition level",
        Code::UnknownLevel,
        Level::WORDS,
        Level::from_word,
    )(cx, node)
}

pub(super) fn relation_status(cx: &mut Cx, node: &Node) -> Option<At<RelationStatus>> {
    word(
        "relation status",
        Code::UnknownStatus,
        RelationStatus::WORDS,
        RelationStatus::from_word,
    )(cx, node)
}

pub(super) fn event_kind(cx: &mut Cx, node: &Node) -> Option<At<EventKind>> {
    word(
        "event kind",
        Code::UnknownKind,
        EventKind::WORDS,
        EventKind::from_word,
    )(cx, node)
}

/// A relation's `between`: a list of exactly two distinct state ids.
pub(super) fn state_pair(cx: &mut Cx, node: &Node) -> Option<[At<String>; 2]> {
    let Value::Seq(items) = &node.value else {
        cx.wrong_type(node, "a list of two state ids (`[A, B]`)");
        return None;
    };
    let [a, b] = items.as_slice() else {
        let message = format!(
            "expected a list of two state ids, found a list of {}",
            items.len()
        );
        cx.error(Code::WrongType, cx.span(node), message);
        return None;
    };
    let a = reference(Want::State)(cx, a);
    let b = reference(Want::State)(cx, b);
    let (a, b) = (a?, b?);
    if a.value == b.value {
        let diagnostic = cx
            .diagnostic(
                Code::SameState,
                cx.in_file(b.span),
                format!(
                    "a relation is between two different states, but both are `{}`",
                    b.value
                ),
            )
            .with_width(b.value.chars().count());
        cx.push(diagnostic);
        return None;
    }
    Some([a, b])
}

pub(super) fn state_kind(cx: &mut Cx, node: &Node) -> Option<At<StateKind>> {
    word(
        "state kind",
        Code::UnknownStateKind,
        StateKind::WORDS,
        StateKind::from_word,
    )(cx, node)
}

/// `true` or `false`.
pub(super) fn boolean(cx: &mut Cx, node: &Node) -> Option<bool> {
    match node.value {
        Value::Bool(b) => Some(b),
        _ => {
            cx.wrong_type(node, "`true` or `false`");
            None
        }
    }
}

/// A count of people: a non-negative integer.
pub(super) fn count(cx: &mut Cx, node: &Node) -> Option<u32> {
    match &node.value {
        Value::Int(n) => match u32::try_from(*n) {
            Ok(n) => Some(n),
            Err(_) => {
                let message = format!("expected a non-negative integer, found {n}");
                cx.error(Code::WrongType, cx.span(node), message);
                None
            }
        },
        _ => {
            cx.wrong_type(node, "a non-negative integer");
            None
        }
    }
}

/// A list of records; null (or a missing key, via `optional`) is an empty list.
pub(super) fn list<T: Send>(
    noun: &'static str,
    item: fn(&mut Cx, &Node) -> Option<T>,
) -> impl FnOnce(&mut Cx, &Node) -> Option<Vec<T>> {
    move |cx, node| match &node.value {
        _ if let Some((split, list)) = cx.split.and_then(|s| Some((s, s.long_list(node)?))) => {
            // Outside the subset: nothing, as the file is read again whole.
            Some(decode_streamed(cx, split, list, item).unwrap_or_default())
        }
        Value::Null => Some(Vec::new()),
        Value::Seq(items) if items.len() >= PARALLEL_ITEMS => {
            Some(decode_in_pieces(cx, items, item))
        }
        Value::Seq(items) => {
            // Sized once: collected from `filter_map`, a short list (a
            // mission's heads) would keep up to half its room spare.
            let mut decoded = Vec::with_capacity(items.len());
            decoded.extend(items.iter().filter_map(|n| item(cx, n)));
            Some(decoded)
        }
        _ => {
            cx.wrong_type(node, &format!("a list of {noun}"));
            None
        }
    }
}

/// One id, or a list of ids.
fn subjects(cx: &mut Cx, node: &Node) -> Option<Vec<At<String>>> {
    let one = |cx: &mut Cx, node: &Node| match &node.value {
        Value::Str(s) => Some(At::new(s.to_string(), cx.span(node))),
        _ => {
            cx.wrong_type(node, "an id");
            None
        }
    };
    match &node.value {
        Value::Seq(items) if items.is_empty() => {
            cx.error(
                Code::WrongType,
                cx.span(node),
                "expected an id or a list of ids, found an empty list",
            );
            None
        }
        Value::Seq(items) => {
            let ids: Vec<_> = items.iter().map(|n| one(cx, n)).collect();
            ids.into_iter().collect()
        }
        Value::Str(_) => one(cx, node).map(|id| vec![id]),
        _ => {
            cx.wrong_type(node, "an id or a list of ids");
            None
        }
    }
}

// ---------------------------------------------------------------------------
// The scenario and its records

fn decode_scenario(cx: &mut Cx, root: &Node) -> Scenario {
    let (entries, mapping) = match &root.value {
        // An empty inline scenario lacks its id: `missing-key` says so.
        Value::Null => (NO_ENTRIES, true),
        _ => root_entries(
            cx,
            root,
            "a scenario (a mapping with `scenario:`, `states:`, ...)",
        ),
    };
    let span = cx.span(root);
    let mut f = Fields::over(span, entries, &records::SCENARIO);
    let id = f.get(cx, "scenario", def_id);
    let title = f.get(cx, "title", text);
    let as_of = f.get(cx, "as_of", date);
    let sources = f.get(cx, "sources", list(records::SOURCE.plural, source));
    let states = f.get(cx, "states", list(records::STATE.plural, state));
    let governments = f.get(
        cx,
        "governments",
        list(records::GOVERNMENT.plural, government),
    );
    let recognitions = f.get(
        cx,
        "recognitions",
        list(records::RECOGNITION.plural, recognition),
    );
    let missions = f.get(cx, "missions", list(records::MISSION.plural, mission));
    let relations = f.get(cx, "relations", list(records::RELATION.plural, relation));
    let events = f.get(cx, "events", list(records::EVENT.plural, event));
    let proposals = f.get(cx, "proposals", list(records::PROPOSAL.plural, proposal));
    let expect = f.get(cx, "expect", list(records::CLAIM.plural, claim));
    let waivers = f.get(cx, "waivers", list(records::WAIVER.plural, waiver));
    // Errors are reported; an unclean scenario never leaves `load_str`.
    let _clean = f.finish_root(cx, mapping);
    Scenario {
        file: cx.file.to_string(),
        located: cx.located.clone(),
        // A missing id is reported; the placeholder never leaves `load_str`.
        id: id.unwrap_or_else(|| At::new(String::new(), span)),
        title,
        as_of,
        sources: sources.unwrap_or_default(),
        states: states.unwrap_or_default(),
        governments: governments.unwrap_or_default(),
        recognitions: recognitions.unwrap_or_default(),
        missions: missions.unwrap_or_default(),
        relations: relations.unwrap_or_default(),
        events: events.unwrap_or_default(),
        proposals: proposals.unwrap_or_default(),
        expect: expect.unwrap_or_default(),
        waivers: waivers.unwrap_or_default(),
    }
}

/// The entries of a file's (or an inline scenario's) top mapping, and
/// whether it is one. Anything else is one `wrong-type` error at the root's
/// place: its missing keys are not reported too (one root cause, one error).
fn root_entries<'n>(
    cx: &mut Cx,
    root: &'n Node<'n>,
    expected: &str,
) -> (&'n [(Node<'n>, Node<'n>)], bool) {
    match &root.value {
        Value::Map(entries) => (entries, true),
        _ => {
            cx.wrong_type(root, expected);
            (NO_ENTRIES, false)
        }
    }
}

/// The defining id of a record, or failing that the value of a misspelled
/// `id` key, to register the record under.
fn salvaged_id(cx: &Cx, f: &Fields, id: &Option<At<String>>) -> Option<At<String>> {
    id.clone().or_else(|| match f.misspelled("id") {
        Some(
            node @ Node {
                value: Value::Str(s),
                ..
            },
        ) => Some(At::new(s.to_string(), cx.span(node))),
        _ => None,
    })
}

fn partial(kind: RecordKind, id: Option<At<String>>, span: Span) -> Partial {
    Partial {
        kind,
        id,
        state: None,
        refs: Vec::new(),
        span,
    }
}

fn source(cx: &mut Cx, node: &Node) -> Option<Source> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::SOURCE)?;
    let parts = records::source::Parts::decode(cx, &mut f);
    let clean = f.finish(cx);
    let salvaged = salvaged_id(cx, &f, &parts.id);
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Source, salvaged, f.span)
    });
    record
}

fn state(cx: &mut Cx, node: &Node) -> Option<State> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::STATE)?;
    let parts = records::state::Parts::decode(cx, &mut f);
    let clean = f.finish(cx);
    let salvaged = salvaged_id(cx, &f, &parts.id);
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::State, salvaged, f.span)
    });
    record
}

fn government(cx: &mut Cx, node: &Node) -> Option<Government> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::GOVERNMENT)?;
    let parts = records::government::Parts::decode(cx, &mut f);
    check_period(cx, &parts.from, &parts.until);
    let clean = f.finish(cx);
    let salvaged = salvaged_id(cx, &f, &parts.id);
    let salvaged_state = parts.state.clone();
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || Partial {
        state: salvaged_state,
        ..partial(RecordKind::Government, salvaged, f.span)
    });
    record
}

fn recognition(cx: &mut Cx, node: &Node) -> Option<Recognition> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::RECOGNITION)?;
    let parts = records::recognition::Parts::decode(cx, &mut f);
    check_period(cx, &parts.from, &parts.until);
    let clean = f.finish(cx);
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Other, None, f.span)
    });
    record
}

fn mission(cx: &mut Cx, node: &Node) -> Option<Mission> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::MISSION)?;
    let parts = records::mission::Parts::decode(cx, &mut f);
    check_period(cx, &parts.from, &parts.until);
    let clean = f.finish(cx);
    let salvaged = salvaged_id(cx, &f, &parts.id);
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Mission, salvaged, f.span)
    });
    record
}

pub(super) fn staff(cx: &mut Cx, node: &Node) -> Option<Staff> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::STAFF)?;
    let parts = records::staff::Parts::decode(cx, &mut f);
    check_period(cx, &parts.from, &parts.until);
    let clean = f.finish(cx);
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Other, None, f.span)
    });
    record
}

pub(super) fn head(cx: &mut Cx, node: &Node) -> Option<Head> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::HEAD)?;
    let parts = records::head::Parts::decode(cx, &mut f);
    check_period(cx, &parts.from, &parts.until);
    let clean = f.finish(cx);
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Other, None, f.span)
    });
    record
}

pub(super) fn credentials(cx: &mut Cx, node: &Node) -> Option<Credentials> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::CREDENTIALS)?;
    let parts = records::credentials::Parts::decode(cx, &mut f);
    let clean = f.finish(cx);
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Other, None, f.span)
    });
    record
}

fn relation(cx: &mut Cx, node: &Node) -> Option<Relation> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::RELATION)?;
    let parts = records::relation::Parts::decode(cx, &mut f);
    check_period(cx, &parts.from, &parts.until);
    let clean = f.finish(cx);
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Other, None, f.span)
    });
    record
}

fn event(cx: &mut Cx, node: &Node) -> Option<Event> {
    event_dated(cx, node, None)
}

/// An event of the file (`on` required), or of a proposal's `event` change
/// (`on` defaults to the proposal's, `default_on`).
fn event_dated(cx: &mut Cx, node: &Node, default_on: Option<At<Date>>) -> Option<Event> {
    let mark = cx.refs.len();
    let record = match default_on {
        None => &records::EVENT,
        Some(_) => &records::EVENT_CHANGE,
    };
    let mut f = Fields::new(cx, node, record)?;
    let mut parts = records::event::Parts::decode(cx, &mut f);
    let mut clean = f.finish(cx);
    // Keys that mean something for one kind only are errors elsewhere: a
    // value the rules would silently ignore is a mistake in the file.
    if let Some(kind) = &parts.kind {
        let only = [
            (
                "diplomats",
                parts
                    .diplomats
                    .as_ref()
                    .map(|d| (cx.in_file(d.span), d.value.to_string())),
                EventKind::Expulsion,
            ),
            (
                "until",
                parts
                    .until
                    .as_ref()
                    .map(|d| (cx.in_file(d.span), d.value.to_string())),
                EventKind::RecallForConsultations,
            ),
        ];
        for (key, written, belongs) in only {
            let Some((loc, written)) = written else {
                continue;
            };
            if kind.value == belongs {
                continue;
            }
            clean = false;
            let diagnostic = cx
                .diagnostic(
                    Code::KeyNotForKind,
                    loc,
                    format!(
                        "`{key}` is only for events of kind `{belongs}`, and this one is `{}`",
                        kind.value
                    ),
                )
                .with_width(written.chars().count())
                .with_help(format!(
                    "remove `{key}`, or make the event's `kind` `{belongs}`"
                ));
            cx.push(diagnostic);
        }
    }
    parts.on = parts.on.or(default_on);
    if let (Some(on), Some(until)) = (&parts.on, &parts.until)
        && until.value < on.value
    {
        clean = false;
        let diagnostic = cx
            .diagnostic(
                Code::UntilBeforeFrom,
                cx.in_file(until.span),
                format!("`until: {}` is before `on: {}`", until.value, on.value),
            )
            .with_width(until.value.to_string().len())
            .with_help("the head is absent from `on` up to, but not including, `until`");
        cx.push(diagnostic);
    }
    let salvaged = salvaged_id(cx, &f, &parts.id);
    let record = parts.build(f.span).filter(|_| clean);
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Event, salvaged, f.span)
    });
    record
}

/// A count kept with where it was written.
pub(super) fn located_count(cx: &mut Cx, node: &Node) -> Option<At<u32>> {
    count(cx, node).map(|n| At::new(n, cx.span(node)))
}

fn proposal(cx: &mut Cx, node: &Node) -> Option<Proposal> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::PROPOSAL)?;
    let id = f.get(cx, "id", def_id);
    let title = f.get(cx, "title", text);
    let on = f.get(cx, "on", date);
    let dated = on.clone();
    let changes = f.get(cx, "changes", |cx, node| changes(cx, node, dated));
    let source = f.get(cx, "source", reference(Want::Source));
    let clean = f.finish(cx);
    let salvaged = salvaged_id(cx, &f, &id);
    let record = match (id, on, changes) {
        (Some(id), Some(on), Some(changes)) if clean => Some(Proposal {
            id,
            title,
            on,
            changes,
            source,
            span: f.span,
            located: cx.located.clone(),
        }),
        _ => None,
    };
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Proposal, salvaged, f.span)
    });
    record
}

/// The keys of a change, from its table.
const CHANGE_KEYS: [&str; records::CHANGES.len()] = {
    let mut keys = [""; records::CHANGES.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = records::CHANGES[i].0;
        i += 1;
    }
    keys
};

/// A proposal's changes; `on` is the proposal's date (an `event` change's default).
fn changes(cx: &mut Cx, node: &Node, on: Option<At<Date>>) -> Option<Vec<Change>> {
    match &node.value {
        Value::Null => Some(Vec::new()),
        Value::Seq(items) => Some(
            items
                .iter()
                .filter_map(|n| change(cx, n, on.clone()))
                .collect(),
        ),
        _ => {
            cx.wrong_type(node, "a list of changes");
            None
        }
    }
}

/// One change of a proposal: a mapping with exactly one of `CHANGE_KEYS`.
fn change(cx: &mut Cx, node: &Node, on: Option<At<Date>>) -> Option<Change> {
    let Value::Map(entries) = &node.value else {
        cx.wrong_type(
            node,
            &format!("a change (a mapping with one of {})", words(&CHANGE_KEYS)),
        );
        return None;
    };
    let span = cx.span(node);
    let mut first: Option<Change> = None;
    let mut seen: Option<&str> = None;
    let mut unknown = false;
    for (key, value) in entries {
        let Some(name) = key_text(key) else {
            cx.wrong_type(key, "a key name");
            unknown = true;
            continue;
        };
        let Some(&name) = CHANGE_KEYS.iter().find(|k| **k == name) else {
            let help = match diag::nearest(&name, CHANGE_KEYS.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("a change is one of: {}", words(&CHANGE_KEYS)),
            };
            let diagnostic = cx
                .diagnostic(
                    Code::UnknownKey,
                    cx.span(key),
                    format!("unknown key `{name}` in a change"),
                )
                .with_width(name.chars().count())
                .with_help(help);
            cx.push(diagnostic);
            unknown = true;
            continue;
        };
        if let Some(previous) = seen {
            let diagnostic = cx
                .diagnostic(
                    Code::TooManyKeys,
                    cx.span(key),
                    format!(
                        "a change has exactly one key, but this one has `{previous}` and `{name}`"
                    ),
                )
                .with_width(name.len())
                .with_help(
                    "write each change as its own list item (`- appoint: ...`, `- recall: ...`)",
                );
            cx.push(diagnostic);
        }
        // Every change is decoded, to report its errors; the first one is kept.
        let decoded = match name {
            "appoint" => appoint(cx, value, span),
            "recall" => mission_change(cx, value, &records::RECALL)
                .map(|mission| Change::Recall { mission, span }),
            "close" => mission_change(cx, value, &records::CLOSE)
                .map(|mission| Change::Close { mission, span }),
            "open" => mission(cx, value).map(|m| Change::Open {
                mission: Box::new(m),
                span,
            }),
            "relate" => relation(cx, value).map(|relation| Change::Relate { relation, span }),
            // Without a readable proposal date the proposal is dropped anyway.
            "event" => event_dated(
                cx,
                value,
                Some(on.clone().unwrap_or_else(|| At::new(Date::EARLIEST, span))),
            )
            .map(|event| Change::Event {
                event: Box::new(event),
                span,
            }),
            _ => recognition(cx, value).map(|recognition| Change::Recognize { recognition, span }),
        };
        if seen.is_none() {
            first = decoded;
            seen = Some(name);
        }
    }
    if seen.is_none() && !unknown {
        let (last, rest) = CHANGE_KEYS.split_last().unwrap_or((&"", &[]));
        cx.error(
            Code::MissingKey,
            cx.in_file(span),
            format!("a change needs one of {} or `{last}`", words(rest)),
        );
    }
    first
}

fn appoint(cx: &mut Cx, node: &Node, span: Span) -> Option<Change> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::APPOINT)?;
    let mission = f.get(cx, "mission", reference(Want::Mission));
    let head = f.get(cx, "head", head);
    let clean = f.finish(cx);
    let record = match (mission, head) {
        (Some(mission), Some(head)) if clean => Some(Change::Appoint {
            mission,
            head: Head {
                proposed: true,
                ..head
            },
            span,
        }),
        _ => None,
    };
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Other, None, f.span)
    });
    record
}

/// The `{mission: id}` of a `recall` or `close` change.
fn mission_change(cx: &mut Cx, node: &Node, record: &'static Record) -> Option<At<String>> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, record)?;
    let mission = f.get(cx, "mission", reference(Want::Mission));
    let clean = f.finish(cx);
    let mission = mission.filter(|_| clean);
    cx.settle(mark, mission.is_some(), || {
        partial(RecordKind::Other, None, f.span)
    });
    mission
}

fn claim(cx: &mut Cx, node: &Node) -> Option<Claim> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::CLAIM)?;
    let claim = f.get(cx, "claim", |cx, node| {
        located_text(cx, node).map(|claim| (claim, node.span.start()))
    });
    let title = f.get(cx, "title", text);
    let source = f.get(cx, "source", reference(Want::Source));
    let clean = f.finish(cx);
    let record = claim.filter(|_| clean).map(|(claim, claim_start)| Claim {
        embedding: cx.embedding(claim_start, &claim.value),
        claim,
        title,
        source,
        span: f.span,
    });
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Other, None, f.span)
    });
    record
}

fn waiver(cx: &mut Cx, node: &Node) -> Option<Waiver> {
    let mark = cx.refs.len();
    let mut f = Fields::new(cx, node, &records::WAIVER)?;
    let rule = f.get(cx, "rule", rule_id);
    let subject = f.get(cx, "subject", subjects);
    let reason = f.get(cx, "reason", text);
    let until = f.get(cx, "until", date);
    let source = f.get(cx, "source", reference(Want::Source));
    let clean = f.finish(cx);
    let record = match (rule, subject) {
        (Some(rule), Some(subject)) if clean => Some(Waiver {
            rule,
            subject,
            reason,
            until,
            source,
            span: f.span,
        }),
        _ => None,
    };
    cx.settle(mark, record.is_some(), || {
        partial(RecordKind::Other, None, f.span)
    });
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parsed node; a YAML error becomes a string node that decodes to an error.
    fn node(text: &str) -> Node<'_> {
        yaml::parse(text, "t.yaml", &YamlLimits::default()).unwrap_or_else(|d| Node {
            value: Value::Str(d.message.into()),
            span: crate::source::Span::default(),
        })
    }

    /// Each byte of a claim's value maps to where it was written, in every
    /// scalar style; a value written as it is keeps no map.
    #[test]
    fn a_scalars_bytes_map_to_where_they_were_written() {
        let embedding = |text: &str, start: usize, value: &str| {
            let located = Arc::new(Located::new(SourceId::NONE, text));
            let mut diags = Vec::new();
            let cx = Cx::new("t.yaml", &located, &mut diags);
            cx.embedding(start, value)
        };
        let plain = embedding("claim: a == b\n", 7, "a == b");
        assert_eq!((plain.start, plain.map.len()), (7, 0));
        assert_eq!(plain.offset(5), 12);
        let quoted = embedding("claim: \"a == b\"\n", 7, "a == b");
        assert_eq!((quoted.start, quoted.map.len()), (8, 0));
        // `''` is one quote; `\t` and `\x41` are one character each.
        let single = embedding("c: 'it''s X'\n", 3, "it's X");
        assert_eq!(single.offset(2), 6);
        assert_eq!(single.offset(5), 10);
        let double = embedding("c: \"a\\tb\\x41 X\"\n", 3, "a\tbA X");
        assert_eq!(double.offset(1), 5);
        assert_eq!(double.offset(3), 8);
        assert_eq!(double.offset(5), 13);
        assert_eq!(double.offset(6), 14, "the end");
        let folded = embedding("c: >\n  a\n  b\n", 7, "a b");
        assert_eq!((folded.offset(0), folded.offset(2)), (7, 11));
    }

    #[test]
    fn a_mission_record_decodes_or_reports() {
        let mut diags = Vec::new();
        let text = "{id: m, sender: A, receiver: B, kind: embassy, heads: [{rank: envoy}]}";
        let located = Arc::new(Located::new(SourceId::NONE, text));
        let mut cx = Cx::new("t.yaml", &located, &mut diags);
        let decoded = mission(&mut cx, &node(text));
        assert_eq!(decoded.map(|m| m.heads.len()), Some(1));
        assert!(diags.is_empty(), "{diags:?}");

        let text = "{id: m, sender: A, kind: embasy}";
        let located = Arc::new(Located::new(SourceId::NONE, text));
        let mut cx = Cx::new("t.yaml", &located, &mut diags);
        assert!(mission(&mut cx, &node(text)).is_none());
        let mut codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        codes.sort();
        assert_eq!(codes, [Code::MissingKey, Code::UnknownKind]);
    }

    /// The keys a decoder asks for are its table's: a mapping with every
    /// key of the table has no unknown key (and the decoder asking for a key
    /// the table lacks trips `Fields::get`'s assertion).
    #[test]
    fn each_decoder_asks_for_exactly_its_tables_keys() {
        fn every_key(record: &Record) -> String {
            let keys: Vec<String> = record.yaml_keys().map(|k| format!("{k}: null")).collect();
            format!("{{{}}}", keys.join(", "))
        }
        type Decode = fn(&mut Cx, &Node);
        let decoders: &[(&Record, Decode)] = &[
            (&records::SCENARIO, |cx, n| drop(decode_scenario(cx, n))),
            (&records::SOURCE, |cx, n| drop(source(cx, n))),
            (&records::STATE, |cx, n| drop(state(cx, n))),
            (&records::GOVERNMENT, |cx, n| drop(government(cx, n))),
            (&records::RECOGNITION, |cx, n| drop(recognition(cx, n))),
            (&records::MISSION, |cx, n| drop(mission(cx, n))),
            (&records::STAFF, |cx, n| drop(staff(cx, n))),
            (&records::HEAD, |cx, n| drop(head(cx, n))),
            (&records::CREDENTIALS, |cx, n| drop(credentials(cx, n))),
            (&records::RELATION, |cx, n| drop(relation(cx, n))),
            (&records::EVENT, |cx, n| drop(event(cx, n))),
            (&records::EVENT_CHANGE, |cx, n| {
                drop(event_dated(
                    cx,
                    n,
                    Some(At::new(Date::EARLIEST, cx.span(n))),
                ))
            }),
            (&records::PROPOSAL, |cx, n| drop(proposal(cx, n))),
            (&records::APPOINT, |cx, n| drop(appoint(cx, n, cx.span(n)))),
            (&records::RECALL, |cx, n| {
                drop(mission_change(cx, n, &records::RECALL))
            }),
            (&records::CLAIM, |cx, n| drop(claim(cx, n))),
            (&records::WAIVER, |cx, n| drop(waiver(cx, n))),
            (&records::RULE_CASE, |cx, n| drop(rule_case(cx, n))),
            (&records::EXPECTED, |cx, n| drop(expected(cx, n))),
        ];
        for (record, decode) in decoders {
            let text = every_key(record);
            let mut diags = Vec::new();
            let located = Arc::new(Located::new(SourceId::NONE, &text));
            let mut cx = Cx::new("t.yaml", &located, &mut diags);
            decode(&mut cx, &node(&text));
            let unknown: Vec<_> = diags
                .iter()
                .filter(|d| d.code == Code::UnknownKey)
                .collect();
            assert!(unknown.is_empty(), "{}: {unknown:#?}", record.what);
        }
        let text = every_key(&records::RULE_TESTS);
        let diags = load_rule_tests(&text, "t.yaml", &YamlLimits::default()).err();
        let diags = diags.unwrap_or_default();
        assert!(
            diags.iter().all(|d| d.code != Code::UnknownKey),
            "{diags:#?}"
        );
    }

    #[test]
    fn ids() {
        assert!(is_id("kaz-in-afg"));
        assert!(is_id("A.b_c-1"));
        assert!(!is_id("1abc"));
        assert!(!is_id(""));
        assert!(!is_id("a b"));
        assert!(!is_id("é"));
    }

    #[test]
    fn impossible_dates_say_why() {
        assert_eq!(why_impossible("2024-02-30"), "February 2024 has 29 days");
        assert_eq!(why_impossible("2023-02-29"), "February 2023 has 28 days");
        assert_eq!(why_impossible("2024-13-01"), "there is no month 13");
        assert_eq!(why_impossible("2024-00"), "there is no month 0");
        assert_eq!(why_impossible("2024-04-31"), "April 2024 has 30 days");
        assert_eq!(why_impossible("2024-04-00"), "there is no day 0");
        assert_eq!(why_impossible("0000"), "there is no year 0");
    }
}
