//! SARIF 2.1.0, as code-scanning services (GitHub, GitLab, Azure DevOps) read
//! it: one run whose driver lists every rule, one result per finding, waived
//! findings as suppressed results, failing claims as results of rule `claim`.
//!
//! What GitHub's code scanning reads (docs/ci.md lists it with the page it
//! comes from) is all here: each region's start and end, the
//! `primaryLocationLineHash` fingerprint, each rule's help in text and
//! Markdown, precision, `problem.severity` and tags, the evidence as related
//! locations linked from the message, and URIs relative to `%SRCROOT%` (the
//! base directory).
//!
//! Places are read from a `Location` by `place` alone (line and column
//! today; a byte span later) and measured on the source text, which gives
//! each record's end and each column in UTF-16 code units (`columnKind`).

use super::{ClaimResult, FileErrors, Finding, InputError, Location, Report, Waived};
use crate::engine::builtin;
use crate::io::{Source, Sources};
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path};

/// The key of parity's own fingerprint in `partialFingerprints` (for
/// consumers other than GitHub); the version changes only if the hashed
/// text ever has to.
pub const FINGERPRINT_KEY: &str = "parity/v1";

/// The fingerprint GitHub's code scanning reads (the only one it reads).
pub const LINE_HASH_KEY: &str = "primaryLocationLineHash";

/// The base id relative artifact URIs name: the base directory.
pub const SRCROOT: &str = "%SRCROOT%";

/// GitHub shows at most this many characters of a rule's full description.
const FULL_DESCRIPTION_MAX: usize = 1000;

/// `--format sarif`.
pub struct Sarif;

impl super::Render for Sarif {
    fn render(&self, cx: &super::Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let base = Base {
            dir: cx.base,
            cwd: cx.cwd,
        };
        out.write_all(render(cx.reports, cx.failed, cx.rules, &base, cx.sources).as_bytes())
    }
}

/// Where the files a run names are: `dir`, which artifact URIs are relative
/// to (`%SRCROOT%`), and `cwd`, which relative file names are relative to.
#[derive(Debug, Clone, Copy)]
pub struct Base<'a> {
    pub dir: &'a Path,
    pub cwd: &'a Path,
}

impl<'a> Base<'a> {
    /// URIs relative to `dir`, the directory files are named from too.
    pub fn at(dir: &'a Path) -> Base<'a> {
        Base { dir, cwd: dir }
    }
}

/// Renders all reports as one SARIF log with one run. Files that could not
/// be checked are results of rule `input-error` (so that code scanning
/// shows them instead of an empty run) and notifications of the
/// invocation. Regions are measured on the texts in `sources`; a file not
/// among them gets its start line and column only.
pub fn render(
    reports: &[Report],
    failed: &[FileErrors],
    rules: &RuleSet,
    base: &Base,
    sources: &Sources,
) -> String {
    let descriptors = descriptors(rules);
    // Each rule id's place among the descriptors (the first, as a search
    // would find it), looked up per result instead of searched.
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (index, id) in descriptors
        .iter()
        .filter_map(|d| d.get("id").and_then(Value::as_str))
        .enumerate()
    {
        ids.entry(id.to_string()).or_insert(index);
    }
    // The last text read under a name, as `Sources::text_of` finds it.
    let mut texts: HashMap<&str, &Source> = HashMap::new();
    for source in sources.iter() {
        texts.insert(source.name.as_str(), source);
    }
    let places = Places { base: *base, texts };
    let tool = json!({
        "driver": {
            "name": "parity",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": descriptors,
        }
    });
    let invocation = invocation(failed, &places);
    let log = Log {
        tool,
        invocation,
        base_ids: base_ids(base.dir),
        results: Results {
            reports,
            failed,
            writer: Writer {
                ids: &ids,
                places: &places,
                seen: RefCell::new(HashMap::new()),
            },
        },
    };
    // Serialising cannot fail; keys are written in sorted order, as
    // serde_json's maps sort them, so the same reports give the same bytes.
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// The log, written as the `Value` it used to be built as would be (keys
/// in sorted order), but with each result built only when it is written:
/// the whole tree took some 30 KB a result (3 GB for 100,000 findings).
struct Log<'a> {
    tool: Value,
    invocation: Value,
    base_ids: Option<Value>,
    results: Results<'a>,
}

impl Serialize for Log<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut log = serializer.serialize_map(Some(3))?;
        log.serialize_entry("$schema", "https://json.schemastore.org/sarif-2.1.0.json")?;
        log.serialize_entry("runs", &[Run(self)])?;
        log.serialize_entry("version", "2.1.0")?;
        log.end()
    }
}

struct Run<'a, 'b>(&'b Log<'a>);

impl Serialize for Run<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut run = serializer.serialize_map(None)?;
        // Columns are counted in UTF-16 code units, as GitHub's own CodeQL
        // writes them and as a browser measures text (`Region`).
        run.serialize_entry("columnKind", "utf16CodeUnits")?;
        run.serialize_entry("invocations", &[&self.0.invocation])?;
        if let Some(base_ids) = &self.0.base_ids {
            run.serialize_entry("originalUriBaseIds", base_ids)?;
        }
        run.serialize_entry("results", &self.0.results)?;
        run.serialize_entry("tool", &self.0.tool)?;
        run.end()
    }
}

/// `%SRCROOT%` as a `file:` URI, when the base directory is absolute (as
/// the CLI gives it); SARIF requires the base to end with a slash.
fn base_ids(dir: &Path) -> Option<Value> {
    if !dir.is_absolute() {
        return None;
    }
    let mut uri = file_uri(dir);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(json!({
        SRCROOT: {
            "uri": uri,
            "description": { "text": "The base directory (--base-dir; by default the repository root)" },
        }
    }))
}

/// Whether every file could be checked, and a notification per input error.
fn invocation(failed: &[FileErrors], places: &Places) -> Value {
    let notifications: Vec<Value> = failed
        .iter()
        .flat_map(|file| file.errors.iter())
        .map(|error| {
            let region = places.region(place(&error.location), Shape::Point);
            json!({
                "descriptor": { "id": error.code },
                "level": "error",
                "locations": [{ "physicalLocation": places.physical(place(&error.location), region.as_ref()) }],
                "message": { "text": format!("{}: [{}] {}", error.location.file, error.code, error.message) },
            })
        })
        .collect();
    let mut invocation = Map::new();
    invocation.insert("executionSuccessful".into(), json!(failed.is_empty()));
    if !notifications.is_empty() {
        invocation.insert("toolExecutionNotifications".into(), json!(notifications));
    }
    Value::Object(invocation)
}

/// Every report's results in order: findings, waived findings, failing
/// claims; then each file that could not be checked, error by error.
struct Results<'a> {
    reports: &'a [Report],
    failed: &'a [FileErrors],
    writer: Writer<'a>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let writer = &self.writer;
        let results = self.reports.iter().flat_map(|report| {
            let findings = report
                .findings
                .iter()
                .map(move |f| writer.finding(report, f, None));
            let waived = report
                .waived
                .iter()
                .map(move |w| writer.finding(report, &w.finding, Some(w)));
            let claims = report
                .claims
                .iter()
                .filter(|c| !c.holds)
                .map(move |c| writer.claim(report, c));
            findings.chain(waived).chain(claims)
        });
        let errors = self
            .failed
            .iter()
            .flat_map(|file| file.errors.iter())
            .map(|error| writer.input_error(error));
        serializer.collect_seq(results.chain(errors))
    }
}

/// `reportingDescriptor`s: the rule set's rules (sorted by id), then the
/// rules parity reports itself.
fn descriptors(rules: &RuleSet) -> Vec<Value> {
    let mut out: Vec<Value> = rules
        .rules
        .iter()
        .map(|rule| {
            // The rule file's name is the rule's family: `missions`,
            // `recognition`, `parity` for the standard rules.
            let family = Path::new(&rule.file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned());
            descriptor(&Described {
                id: &rule.id,
                title: &rule.title,
                about: rule.about.as_deref(),
                cite: &rule.cite,
                severity: rule.severity,
                // A finding holds of the facts written, but a rule of
                // practice has its exceptions (which waivers record).
                precision: "high",
                family: family.as_deref(),
            })
        })
        .collect();
    for own in builtin::BUILTIN {
        // A user rule file could define the same id; the first wins.
        if rules.get(own.id).is_some() {
            continue;
        }
        let family = match own.id {
            id if id == builtin::INPUT_ERROR.id => "input",
            id if id == builtin::CLAIM.id => "claims",
            _ => "waivers",
        };
        out.push(descriptor(&Described {
            id: own.id,
            title: own.title,
            about: Some(own.about),
            cite: own.cite,
            severity: own.severity,
            // Mechanical: a date passed, a claim's count, a file's syntax.
            precision: "very-high",
            family: Some(family),
        }));
    }
    out
}

/// What a descriptor is made of, for rules of the rule set and built-in ones alike.
struct Described<'a> {
    id: &'a str,
    title: &'a str,
    about: Option<&'a str>,
    cite: &'a str,
    severity: Severity,
    /// GitHub's `precision`: `very-high`, `high`, `medium` or `low`.
    precision: &'static str,
    family: Option<&'a str>,
}

fn descriptor(rule: &Described) -> Value {
    let Described {
        id,
        title,
        about,
        cite,
        severity,
        precision,
        family,
    } = *rule;
    let sentence = title.trim_end_matches('.');
    let mut text = format!("{sentence}.\n\n");
    let mut markdown = format!("**{sentence}**\n\n");
    if let Some(about) = about {
        text.push_str(&format!("{about}\n\n"));
        markdown.push_str(&format!("{about}\n\n"));
    }
    text.push_str(&format!(
        "Cite: {cite}\n\n`parity explain {id}` explains it."
    ));
    markdown.push_str(&format!(
        "**Cite:** {cite}\n\n`parity explain {id}` explains it."
    ));
    // GitHub filters alerts by tag: the domain, then the rule's family.
    let mut tags = vec!["diplomacy".to_string()];
    tags.extend(family.map(str::to_string));
    json!({
        "id": id,
        "name": id,
        "shortDescription": { "text": title },
        "fullDescription": { "text": clip(about.unwrap_or(title), FULL_DESCRIPTION_MAX) },
        "help": { "text": text, "markdown": markdown },
        "defaultConfiguration": { "level": level(severity) },
        "properties": {
            "precision": precision,
            "problem.severity": problem_severity(severity),
            "tags": tags,
        },
    })
}

/// At most `max` characters of `text`, cut on a character with `…`.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((cut, _)) if text.chars().count() > max => format!("{}…", &text[..cut]),
        _ => text.to_string(),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's `problem.severity`: `error`, `warning` or `recommendation`.
fn problem_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "recommendation",
    }
}

/// Builds results, numbering equal line hashes within a file as they come.
struct Writer<'a> {
    ids: &'a HashMap<String, usize>,
    places: &'a Places<'a>,
    /// (file, hash) → how many results had it so far.
    seen: RefCell<HashMap<(String, u64), u32>>,
}

impl Writer<'_> {
    fn start(&self, rule: &str) -> Map<String, Value> {
        let mut result = Map::new();
        result.insert("ruleId".into(), json!(rule));
        if let Some(index) = self.ids.get(rule) {
            result.insert("ruleIndex".into(), json!(index));
        }
        result
    }

    /// `primaryLocationLineHash`: see `line_hash`; the n-th result of a
    /// file with the same hash is `:n`, as GitHub numbers them.
    fn line_hash(&self, at: At, parts: &[&str]) -> String {
        let text = self.places.line_text(at);
        let hash = line_hash(parts, text.unwrap_or(""));
        let mut seen = self.seen.borrow_mut();
        let count = seen.entry((at.file.to_string(), hash)).or_insert(0);
        *count += 1;
        format!("{hash:016x}:{count}")
    }

    fn finding(&self, report: &Report, finding: &Finding, waived: Option<&Waived>) -> Value {
        let places = self.places;
        let mut subject = finding.subject.clone();
        subject.sort();
        let mut result = self.start(&finding.rule);
        result.insert("level".into(), json!(level(finding.severity)));
        let region = places.region(place(&finding.location), Shape::Record);
        result.insert(
            "locations".into(),
            json!([{ "physicalLocation": places.physical(place(&finding.location), region.as_ref()) }]),
        );
        let (related, links) = self.evidence(finding);
        let message = if links.is_empty() {
            finding.message.clone()
        } else {
            // The links are SARIF's embedded links (§3.11.6), which GitHub
            // turns into links to the related locations; literal brackets
            // in the message are escaped for them.
            format!(
                "{}. Evidence: {}.",
                escape_brackets(finding.message.trim_end_matches('.')),
                links.join(", ")
            )
        };
        result.insert("message".into(), json!({ "text": message }));
        if !related.is_empty() {
            result.insert("relatedLocations".into(), json!(related));
        }
        let mut parts: Vec<&str> = vec![&finding.rule];
        parts.extend(subject.iter().map(String::as_str));
        result.insert(
            "partialFingerprints".into(),
            json!({
                FINGERPRINT_KEY: fingerprint(&report.scenario, &finding.rule, &subject),
                LINE_HASH_KEY: self.line_hash(place(&finding.location), &parts),
            }),
        );
        if let Some(waived) = waived {
            // The waiver is written in the scenario, the very artifact analysed:
            // SARIF (§3.35.2) calls that `inSource`, not `external`.
            let mut suppression = Map::new();
            suppression.insert("kind".into(), json!("inSource"));
            suppression.insert("status".into(), json!("accepted"));
            if let Some(reason) = &waived.waiver.reason {
                suppression.insert("justification".into(), json!(reason));
            }
            let at = place(&waived.waiver.location);
            let region = places.region(at, Shape::Record);
            suppression.insert(
                "location".into(),
                json!({ "physicalLocation": places.physical(at, region.as_ref()) }),
            );
            result.insert("suppressions".into(), json!([suppression]));
        }
        result.insert(
            "properties".into(),
            json!({ "scenario": report.scenario, "asOf": report.as_of, "subject": subject }),
        );
        Value::Object(result)
    }

    /// The records the rule read, each a related location spanning the
    /// record, and the fields it read outside them (a government's
    /// `in_control`, read through a head's credentials) one per line; with
    /// the message's links to them, `[text](id)`, ids from 1.
    fn evidence(&self, finding: &Finding) -> (Vec<Value>, Vec<String>) {
        let places = self.places;
        let file = place(&finding.location).file;
        let mut related = Vec::new();
        let mut links = Vec::new();
        let mut next_id = 0u32;
        for record in finding.evidence.iter() {
            let record_line = finding.line_of(record.span);
            if record_line == 0 {
                continue;
            }
            let at = At {
                file,
                line: record_line,
                column: 0,
            };
            let region = places.region(at, Shape::Record);
            let inside = |line: u32| match &region {
                Some(r) => (r.start_line..=r.end_line).contains(&line),
                None => line == record_line,
            };
            // The record's sentence on the record; a fact read outside it
            // (a government's, through a head's credentials) also on its
            // own line, in its own words.
            let mut elsewhere: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
            for field in &record.fields {
                let field_line = finding.line_of(field.span);
                if field_line != 0 && !inside(field_line) && !field.text.is_empty() {
                    elsewhere.entry(field_line).or_default().push(&field.text);
                }
            }
            next_id += 1;
            related.push(json!({
                "id": next_id,
                "physicalLocation": places.physical(at, region.as_ref()),
                "message": { "text": record.text },
            }));
            links.push(format!("[{}]({next_id})", escape_brackets(&record.id)));
            for (line, said) in elsewhere {
                let at = At {
                    file,
                    line,
                    column: 0,
                };
                let region = places.region(at, Shape::Line);
                next_id += 1;
                let text = said.join("; ");
                related.push(json!({
                    "id": next_id,
                    "physicalLocation": places.physical(at, region.as_ref()),
                    "message": { "text": text },
                }));
                links.push(format!("[{}]({next_id})", escape_brackets(&text)));
            }
        }
        (related, links)
    }

    fn claim(&self, report: &Report, claim: &ClaimResult) -> Value {
        let places = self.places;
        let mut result = self.start(builtin::CLAIM.id);
        result.insert("level".into(), json!("error"));
        let source = claim
            .source
            .as_deref()
            .map(|s| format!(" (source: {s})"))
            .unwrap_or_default();
        result.insert(
            "message".into(),
            json!({ "text": format!("claim fails: {}{source}; claim: {}", claim.title, claim.claim) }),
        );
        let region = places.region(place(&claim.location), Shape::Record);
        result.insert(
            "locations".into(),
            json!([{ "physicalLocation": places.physical(place(&claim.location), region.as_ref()) }]),
        );
        // The claim's text identifies it wherever it is written in the file.
        result.insert(
            "partialFingerprints".into(),
            json!({
                FINGERPRINT_KEY: fingerprint(&report.scenario, builtin::CLAIM.id, std::slice::from_ref(&claim.claim)),
                LINE_HASH_KEY: self.line_hash(place(&claim.location), &[builtin::CLAIM.id, &claim.claim]),
            }),
        );
        result.insert(
            "properties".into(),
            json!({ "scenario": report.scenario, "asOf": report.as_of }),
        );
        Value::Object(result)
    }

    fn input_error(&self, error: &InputError) -> Value {
        let places = self.places;
        let mut result = self.start(builtin::INPUT_ERROR.id);
        result.insert("level".into(), json!("error"));
        let help = error
            .help
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        result.insert(
            "message".into(),
            json!({ "text": format!("[{}] {}{help}", error.code, error.message) }),
        );
        let region = places.region(place(&error.location), Shape::Point);
        result.insert(
            "locations".into(),
            json!([{ "physicalLocation": places.physical(place(&error.location), region.as_ref()) }]),
        );
        let code = error.code.as_str();
        result.insert(
            "partialFingerprints".into(),
            json!({
                FINGERPRINT_KEY: fingerprint(&error.location.file, code, std::slice::from_ref(&error.message)),
                LINE_HASH_KEY: self.line_hash(place(&error.location), &[builtin::INPUT_ERROR.id, code, &error.message]),
            }),
        );
        result.insert("properties".into(), json!({ "code": error.code }));
        Value::Object(result)
    }
}

/// `\`, `[` and `]` escaped, as SARIF wants them in a message with links.
fn escape_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A place in a file as SARIF needs it: a line and a column, 1-based (0:
/// unknown; a column in characters).
#[derive(Debug, Clone, Copy)]
struct At<'a> {
    file: &'a str,
    line: u32,
    column: u32,
}

/// Where a location starts: the one place this module reads a `Location`,
/// so that a location carried as a byte span changes this function only.
fn place(location: &Location) -> At<'_> {
    At {
        file: &location.file,
        line: location.line(),
        column: location.column(),
    }
}

/// What a place is the start of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A record (a finding's subject, a waiver, a claim, an evidence record):
    /// to the last line indented under it.
    Record,
    /// A field read: its line, from its first character.
    Line,
    /// An input error's place: to the end of its line.
    Point,
}

/// A SARIF region: 1-based lines, columns in UTF-16 code units, the end
/// column the one after the region's last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

/// The texts of the run, by name, and the base of the URIs.
struct Places<'a> {
    base: Base<'a>,
    texts: HashMap<&'a str, &'a Source>,
}

impl Places<'_> {
    fn source(&self, file: &str) -> Option<&Source> {
        self.texts.get(file).copied()
    }

    /// The text of the line a location starts on.
    fn line_text(&self, at: At) -> Option<&str> {
        let source = self.source(at.file)?;
        let index = usize::try_from(at.line).ok()?.checked_sub(1)?;
        source.lines().line(source.text(), index)
    }

    fn region(&self, at: At, shape: Shape) -> Option<Region> {
        let source = self.source(at.file)?;
        region_in(source.text(), source.lines(), at.line, at.column, shape)
    }

    fn physical(&self, at: At, region: Option<&Region>) -> Value {
        let mut out = Map::new();
        let (uri, relative) = artifact_uri(at.file, &self.base);
        let mut artifact = Map::new();
        artifact.insert("uri".into(), json!(uri));
        if relative {
            artifact.insert("uriBaseId".into(), json!(SRCROOT));
        }
        out.insert("artifactLocation".into(), Value::Object(artifact));
        let (line, column) = (at.line, at.column);
        let region = match region {
            Some(r) => json!({
                "startLine": r.start_line,
                "startColumn": r.start_column,
                "endLine": r.end_line,
                "endColumn": r.end_column,
            }),
            // Without the text, what the location says (columns in
            // characters, equal to UTF-16 units but for astral ones).
            None if line >= 1 && column >= 1 => {
                json!({ "startLine": line, "startColumn": column })
            }
            None if line >= 1 => json!({ "startLine": line }),
            None => return Value::Object(out),
        };
        out.insert("region".into(), region);
        Value::Object(out)
    }
}

/// The region of `shape` starting at `line` and `column` (in characters;
/// 0: the line's first key) of `text`, or `None` if the line is not there.
/// A record ends at its last line before one indented less than its keys
/// (blank and comment lines do not end it and are not its end), which is
/// how YAML's block structure bounds a mapping in a list.
fn region_in(
    text: &str,
    lines: &crate::source::LineIndex,
    line: u32,
    column: u32,
    shape: Shape,
) -> Option<Region> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let first = lines.line(text, index)?;
    let start = match column {
        0 => content_start(first, 0),
        c => byte_of_char(first, usize::try_from(c - 1).unwrap_or(usize::MAX)),
    };
    let start = match shape {
        Shape::Line => content_start(first, 0).min(first.len()),
        _ => start,
    };
    let start_column = utf16_column(first.get(..start).unwrap_or(first));
    let (end_index, last) = match shape {
        Shape::Record => {
            // Keys of the record's mapping are indented this far (bytes:
            // indentation and `- ` are ASCII).
            let indent = content_start(first, start);
            let mut end = (index, first);
            // A "record" at the margin would be the rest of the document:
            // it is taken as its line alone.
            let mut next = if indent == 0 { usize::MAX } else { index + 1 };
            while let Some(candidate) = lines.line(text, next) {
                let content = candidate.trim_start_matches(' ');
                let blank = content.trim().is_empty() || content.starts_with('#');
                if !blank {
                    if candidate.len() - content.len() < indent {
                        break;
                    }
                    end = (next, candidate);
                }
                next += 1;
            }
            end
        }
        Shape::Line | Shape::Point => (index, first),
    };
    let end_column = utf16_column(last.trim_end());
    let end_column = if end_index == index {
        end_column.max(start_column)
    } else {
        end_column
    };
    Some(Region {
        start_line: line,
        start_column,
        end_line: u32::try_from(end_index + 1).unwrap_or(u32::MAX),
        end_column,
    })
}

/// The byte where `line`'s content starts from `from` on: after spaces and
/// the `- ` of list items (a record's keys start there).
fn content_start(line: &str, from: usize) -> usize {
    let mut at = from.min(line.len());
    loop {
        let rest = line.get(at..).unwrap_or("");
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        at += spaces;
        let rest = line.get(at..).unwrap_or("");
        if rest == "-" || rest.starts_with("- ") {
            at += 1;
        } else {
            return at;
        }
    }
}

/// The byte offset of character `n` of `line` (its end if it has fewer).
fn byte_of_char(line: &str, n: usize) -> usize {
    line.char_indices().nth(n).map_or(line.len(), |(i, _)| i)
}

/// The 1-based UTF-16 column just after `before`.
fn utf16_column(before: &str) -> u32 {
    u32::try_from(before.encode_utf16().count() + 1).unwrap_or(u32::MAX)
}

/// The FNV-1a hash behind `primaryLocationLineHash`: of the parts (rule
/// id and subject ids, or what else identifies the result) and the text of
/// the line the result starts on, its whitespace normalised. GitHub's own
/// hash rolls over the line and its context; this one reads only what
/// belongs to the result, so inserting, deleting or re-indenting other
/// lines, or moving the record, leaves it as it was; editing the record's
/// first line changes it, as it changes GitHub's.
pub fn line_hash(parts: &[&str], line: &str) -> u64 {
    let mut hash = Fnv1a::new();
    for part in parts {
        hash.write(part.as_bytes());
        hash.write(&[0]);
    }
    let mut words = line.split_whitespace();
    if let Some(word) = words.next() {
        hash.write(word.as_bytes());
    }
    for word in words {
        hash.write(b" ");
        hash.write(word.as_bytes());
    }
    hash.finish()
}

/// The file's URI and whether it is relative to the base directory (then
/// under `%SRCROOT%`); a file outside it gets an absolute `file:` URI. A
/// relative name is relative to the working directory.
pub fn artifact_uri(file: &str, base: &Base) -> (String, bool) {
    use crate::io::discover::normalize;
    let path = Path::new(file);
    let resolved = if path.is_absolute() {
        normalize(path)
    } else {
        normalize(&base.cwd.join(path))
    };
    let dir = normalize(base.dir);
    if resolved.is_absolute() == dir.is_absolute()
        && let Ok(relative) = resolved.strip_prefix(&dir)
    {
        return (encode_path(relative), true);
    }
    if resolved.is_absolute() {
        (file_uri(&resolved), false)
    } else {
        (encode_path(&resolved), false)
    }
}

/// An absolute path as a `file:` URI (`file:///C:/...` on Windows).
fn file_uri(path: &Path) -> String {
    let encoded = encode_path(path);
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// A path as a URI path: forward slashes, each segment percent-encoded.
fn encode_path(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::RootDir => absolute = true,
            Component::Prefix(prefix) => {
                parts.push(prefix.as_os_str().to_string_lossy().replace('\\', "/"))
            }
            Component::ParentDir => parts.push("..".to_string()),
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
        }
    }
    let joined = parts
        .iter()
        .map(|p| percent_encode(p))
        .collect::<Vec<_>>()
        .join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Percent-encodes what may not stand in a URI path segment (RFC 3986
/// `pchar`); UTF-8 bytes are encoded one by one.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A fingerprint that stays the same across runs, versions of parity and
/// moves of records within the file: FNV-1a 64 over the scenario id, the rule
/// id and the sorted subject ids, NUL-separated (ids never contain NUL).
/// Not std's hasher: its output may change between Rust releases.
pub fn fingerprint(scenario: &str, rule: &str, subject: &[String]) -> String {
    let mut hash = Fnv1a::new();
    hash.write(scenario.as_bytes());
    hash.write(&[0]);
    hash.write(rule.as_bytes());
    let mut sorted: Vec<&String> = subject.iter().collect();
    sorted.sort();
    for id in sorted {
        hash.write(&[0]);
        hash.write(id.as_bytes());
    }
    format!("{:016x}", hash.finish())
}

/// FNV-1a, 64 bits (http://www.isthe.com/chongo/tech/comp/fnv/).
struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Fnv1a {
        Fnv1a(Fnv1a::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(Fnv1a::PRIME);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::LineIndex;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        let hash = |text: &str| {
            let mut h = Fnv1a::new();
            h.write(text.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn uris_are_relative_to_base_with_forward_slashes() {
        let base = Base::at(Path::new("/work/repo"));
        let uri = |file| artifact_uri(file, &base);
        assert_eq!(
            uri("/work/repo/fixtures/a.yaml"),
            ("fixtures/a.yaml".to_string(), true)
        );
        assert_eq!(
            uri("./fixtures/a.yaml"),
            ("fixtures/a.yaml".to_string(), true)
        );
        assert_eq!(
            uri("/elsewhere/a b.yaml"),
            ("file:///elsewhere/a%20b.yaml".to_string(), false)
        );
        assert_eq!(
            uri("../x/é.yaml"),
            ("file:///work/x/%C3%A9.yaml".to_string(), false)
        );
    }

    #[test]
    fn relative_names_are_taken_from_the_working_directory() {
        // Run in /repo/scenarios with the repository root as the base.
        let base = Base {
            dir: Path::new("/repo"),
            cwd: Path::new("/repo/scenarios"),
        };
        assert_eq!(
            artifact_uri("kabul.yaml", &base),
            ("scenarios/kabul.yaml".to_string(), true)
        );
        assert_eq!(
            artifact_uri("../fixtures/x.yaml", &base),
            ("fixtures/x.yaml".to_string(), true)
        );
    }

    fn region(text: &str, line: u32, column: u32, shape: Shape) -> Option<Region> {
        region_in(text, &LineIndex::new(text), line, column, shape)
    }

    const LIST: &str = "missions:\n  - id: a\n    sender: X\n\n    # a comment\n    head:\n      rank: ambassador  \n  - id: b\n    sender: Y\n";

    #[test]
    fn a_record_ends_at_its_last_line_indented_under_it() {
        // `a` runs from its `id` (line 2, column 5) to `rank: ambassador`
        // (line 7; trailing spaces are not part of it).
        assert_eq!(
            region(LIST, 2, 5, Shape::Record),
            Some(Region {
                start_line: 2,
                start_column: 5,
                end_line: 7,
                end_column: 23
            })
        );
        // The last record ends at the end of the text; with no column given,
        // it starts at its first key.
        assert_eq!(
            region(LIST, 8, 0, Shape::Record),
            Some(Region {
                start_line: 8,
                start_column: 5,
                end_line: 9,
                end_column: 14
            })
        );
        // A record whose place is its `-` still has its keys' indentation.
        assert_eq!(
            region(LIST, 2, 3, Shape::Record).map(|r| r.end_line),
            Some(7)
        );
        // A key at the margin is one line, not the rest of the document.
        assert_eq!(
            region(LIST, 1, 1, Shape::Record).map(|r| (r.end_line, r.end_column)),
            Some((1, 10))
        );
        assert_eq!(region(LIST, 20, 1, Shape::Record), None);
    }

    #[test]
    fn columns_count_utf16_code_units_on_non_ascii_text() {
        // `é` is one code unit (two bytes), `𝔸` (U+1D538) two (four bytes).
        let text = "states:\n  - id: civ\n    name: Côte d'Ivoire 𝔸\n  - id: x\n";
        let last = "    name: Côte d'Ivoire 𝔸";
        assert_eq!(
            (
                last.chars().count(),
                last.encode_utf16().count(),
                last.len()
            ),
            (25, 26, 29)
        );
        let r = region(text, 2, 5, Shape::Record).unwrap();
        assert_eq!((r.end_line, r.end_column), (3, 27));
        // A place given in characters, after an astral character.
        let text = "- name: 𝔸 é x\n";
        let r = region(text, 1, 13, Shape::Point).unwrap();
        assert_eq!((r.start_column, r.end_column), (14, 15));
    }

    #[test]
    fn a_field_line_and_an_error_point_stay_on_their_line() {
        let r = region(LIST, 3, 0, Shape::Line).unwrap();
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (3, 5, 3, 14)
        );
        let r = region(LIST, 3, 13, Shape::Point).unwrap();
        assert_eq!((r.start_column, r.end_column), (13, 14));
        // Past the end of the line: an empty region at the place.
        let r = region(LIST, 3, 40, Shape::Point).unwrap();
        assert_eq!(r.start_column, r.end_column);
    }

    #[test]
    fn line_hashes_ignore_indentation_but_not_the_record() {
        let a = line_hash(&["head-vacant", "kaz-in-afg"], "  - id: kaz-in-afg");
        assert_eq!(
            a,
            line_hash(&["head-vacant", "kaz-in-afg"], "- id:   kaz-in-afg  ")
        );
        assert_ne!(
            a,
            line_hash(&["head-vacant", "kaz-in-afg"], "  - id: kaz-in-afg2")
        );
        assert_ne!(
            a,
            line_hash(&["head-vacant", "qat-in-afg"], "  - id: kaz-in-afg")
        );
        // The parts are separated: ("ab", "c") is not ("a", "bc").
        assert_ne!(line_hash(&["ab", "c"], ""), line_hash(&["a", "bc"], ""));
    }

    #[test]
    fn long_descriptions_are_clipped_on_a_character() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("ééé€", 3), "éé…");
        assert_eq!(clip("abcd", 3).chars().count(), 3);
    }

    #[test]
    fn messages_escape_brackets_for_links() {
        assert_eq!(escape_brackets(r"a [b] \ c"), r"a \[b\] \\ c");
    }
}
