//! SARIF 2.1.0, as code-scanning services (GitHub, GitLab, Azure DevOps) read
//! it: one run whose driver lists every rule, one result per finding, waived
//! findings as suppressed results, failing claims as results of rule `claim`.

use super::{ClaimResult, FileErrors, Finding, Location, Report, Waived};
use crate::engine::builtin;
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::{Component, Path};

/// The key of parity's fingerprint in `partialFingerprints`; the version
/// changes only if the hashed text ever has to.
pub const FINGERPRINT_KEY: &str = "parity/v1";

/// `--format sarif`.
pub struct Sarif;

impl super::Render for Sarif {
    fn render(&self, cx: &super::Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(render(cx.reports, cx.failed, cx.rules, cx.base).as_bytes())
    }
}

/// Renders all reports as one SARIF log with one run. `base` is the directory
/// that artifact URIs are relative to (the working directory, normally).
/// Files that could not be checked are results of rule `input-error`, so
/// that code scanning shows them instead of an empty run.
pub fn render(reports: &[Report], failed: &[FileErrors], rules: &RuleSet, base: &Path) -> String {
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
    let tool = json!({
        "driver": {
            "name": "parity",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": descriptors,
        }
    });
    let log = Log {
        tool,
        results: Results {
            reports,
            failed,
            ids: &ids,
            base,
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
        let mut run = serializer.serialize_map(Some(3))?;
        // Loc columns count characters (diag::loc_at), not UTF-16 units.
        run.serialize_entry("columnKind", "unicodeCodePoints")?;
        run.serialize_entry("results", &self.0.results)?;
        run.serialize_entry("tool", &self.0.tool)?;
        run.end()
    }
}

/// Every report's results in order: findings, waived findings, failing
/// claims; then each file that could not be checked, error by error.
struct Results<'a> {
    reports: &'a [Report],
    failed: &'a [FileErrors],
    ids: &'a HashMap<String, usize>,
    base: &'a Path,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (ids, base) = (self.ids, self.base);
        let results = self.reports.iter().flat_map(|report| {
            let findings = report
                .findings
                .iter()
                .map(move |f| finding_result(report, f, ids, base, None));
            let waived = report
                .waived
                .iter()
                .map(move |w| finding_result(report, &w.finding, ids, base, Some(w)));
            let claims = report
                .claims
                .iter()
                .filter(|c| !c.holds)
                .map(move |c| claim_result(report, c, ids, base));
            findings.chain(waived).chain(claims)
        });
        let errors = self
            .failed
            .iter()
            .flat_map(|file| file.errors.iter())
            .map(|error| input_error_result(error, ids, base));
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
            descriptor(
                &rule.id,
                &rule.title,
                rule.about.as_deref(),
                &rule.cite,
                rule.severity,
            )
        })
        .collect();
    for own in builtin::BUILTIN {
        // A user rule file could define the same id; the first wins.
        if rules.get(own.id).is_none() {
            out.push(descriptor(
                own.id,
                own.title,
                Some(own.about),
                own.cite,
                own.severity,
            ));
        }
    }
    out
}

fn descriptor(id: &str, title: &str, about: Option<&str>, cite: &str, severity: Severity) -> Value {
    json!({
        "id": id,
        "name": id,
        "shortDescription": { "text": title },
        "fullDescription": { "text": about.unwrap_or(title) },
        "help": { "text": format!("{title}. Cite: {cite}") },
        "defaultConfiguration": { "level": level(severity) },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn finding_result(
    report: &Report,
    finding: &Finding,
    ids: &HashMap<String, usize>,
    base: &Path,
    waived: Option<&Waived>,
) -> Value {
    let mut subject = finding.subject.clone();
    subject.sort();
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(finding.rule));
    if let Some(index) = ids.get(finding.rule.as_str()) {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(finding.severity)));
    result.insert("message".into(), json!({ "text": finding.message }));
    result.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical(&finding.location, base) }]),
    );
    // The records the rule read, with the fields it read, so a viewer can
    // jump to each. Evidence gives a record's line only: no column.
    let related: Vec<Value> = finding
        .evidence
        .iter()
        .enumerate()
        .filter(|(_, e)| e.line > 0)
        .map(|(i, e)| {
            let at = Location {
                file: finding.location.file.clone(),
                line: e.line,
                column: 0,
            };
            json!({
                "id": i,
                "physicalLocation": physical(&at, base),
                "message": { "text": e.text },
            })
        })
        .collect();
    if !related.is_empty() {
        result.insert("relatedLocations".into(), json!(related));
    }
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint(&report.scenario, &finding.rule, &subject) }),
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
        suppression.insert(
            "location".into(),
            json!({ "physicalLocation": physical(&waived.waiver.location, base) }),
        );
        result.insert("suppressions".into(), json!([suppression]));
    }
    result.insert(
        "properties".into(),
        json!({ "scenario": report.scenario, "asOf": report.as_of, "subject": subject }),
    );
    Value::Object(result)
}

fn claim_result(
    report: &Report,
    claim: &ClaimResult,
    ids: &HashMap<String, usize>,
    base: &Path,
) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(builtin::CLAIM.id));
    if let Some(index) = ids.get(builtin::CLAIM.id) {
        result.insert("ruleIndex".into(), json!(index));
    }
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
    result.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical(&claim.location, base) }]),
    );
    // The claim's text identifies it wherever it is written in the file.
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint(&report.scenario, builtin::CLAIM.id, std::slice::from_ref(&claim.claim)) }),
    );
    result.insert(
        "properties".into(),
        json!({ "scenario": report.scenario, "asOf": report.as_of }),
    );
    Value::Object(result)
}

fn input_error_result(
    error: &super::InputError,
    ids: &HashMap<String, usize>,
    base: &Path,
) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(builtin::INPUT_ERROR.id));
    if let Some(index) = ids.get(builtin::INPUT_ERROR.id) {
        result.insert("ruleIndex".into(), json!(index));
    }
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
    result.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical(&error.location, base) }]),
    );
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint(&error.location.file, error.code.as_str(), std::slice::from_ref(&error.message)) }),
    );
    result.insert("properties".into(), json!({ "code": error.code }));
    Value::Object(result)
}

fn physical(location: &Location, base: &Path) -> Value {
    let mut region = Map::new();
    // SARIF lines and columns start at 1; 0 would mean "unknown" here.
    if location.line >= 1 {
        region.insert("startLine".into(), json!(location.line));
        if location.column >= 1 {
            region.insert("startColumn".into(), json!(location.column));
        }
    }
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({ "uri": artifact_uri(&location.file, base) }),
    );
    if !region.is_empty() {
        physical.insert("region".into(), Value::Object(region));
    }
    Value::Object(physical)
}

/// The file as a URI reference relative to `base` when it lies under it, with
/// forward slashes and percent-encoding; else the path as given. A relative
/// path is taken as relative to `base` already (files are named as given on
/// the command line, and the CLI passes its working directory).
pub fn artifact_uri(file: &str, base: &Path) -> String {
    let path = Path::new(file);
    let relative = if path.is_absolute() {
        path.strip_prefix(base).unwrap_or(path)
    } else {
        path
    };
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in relative.components() {
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
        let base = Path::new("/work/repo");
        assert_eq!(
            artifact_uri("/work/repo/fixtures/a.yaml", base),
            "fixtures/a.yaml"
        );
        assert_eq!(artifact_uri("./fixtures/a.yaml", base), "fixtures/a.yaml");
        assert_eq!(
            artifact_uri("/elsewhere/a b.yaml", base),
            "/elsewhere/a%20b.yaml"
        );
        assert_eq!(artifact_uri("../x/é.yaml", base), "../x/%C3%A9.yaml");
    }
}
