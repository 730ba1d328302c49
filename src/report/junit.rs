//! JUnit XML, as CI test dashboards (GitLab, Jenkins, Azure) read it: one
//! `<testsuite>` per scenario file, one `<testcase>` per rule and per claim.
//! A rule with findings at or above `fail_on` is a failing testcase; a clean
//! rule is a passing one.

use super::{FileErrors, Finding, Location, Report};
use crate::engine::builtin;
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

/// `--format junit`.
pub struct Junit;

impl super::Render for Junit {
    fn render(&self, cx: &super::Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(render(cx.reports, cx.failed, cx.rules, cx.fail_on).as_bytes())
    }
}

/// Renders all reports as one `<testsuites>` document. A file that could
/// not be checked is a suite with one testcase in `<error>`.
pub fn render(
    reports: &[Report],
    failed: &[FileErrors],
    rules: &RuleSet,
    fail_on: Severity,
) -> String {
    let mut suites = Vec::new();
    let mut suite_names = Unique::default();
    for report in reports {
        suites.push(suite(report, rules, fail_on, &mut suite_names));
    }
    for file in failed {
        suites.push(error_suite(file, &mut suite_names));
    }
    let tests: usize = suites.iter().map(|s| s.tests).sum();
    let failures: usize = suites.iter().map(|s| s.failures).sum();
    let errors: usize = suites.iter().map(|s| s.errors).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"parity\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">"
    );
    for suite in suites {
        out.push_str(&suite.xml);
    }
    out.push_str("</testsuites>\n");
    out
}

struct Suite {
    tests: usize,
    failures: usize,
    errors: usize,
    xml: String,
}

/// The suite of a file that could not be checked: one `input-error`
/// testcase whose `<error>` lists every input error.
fn error_suite(file: &FileErrors, names: &mut Unique) -> Suite {
    let name = names.get(&file.file);
    let message = match file.errors.as_slice() {
        [one] => one.message.clone(),
        [first, rest @ ..] => format!(
            "{} input error(s); first: {}",
            rest.len() + 1,
            first.message
        ),
        [] => String::new(),
    };
    let text: Vec<String> = file
        .errors
        .iter()
        .map(|e| {
            let help = e
                .help
                .as_deref()
                .map(|h| format!("\nhelp: {h}"))
                .unwrap_or_default();
            format!(
                "error[{}]: {}\n{}{help}",
                e.code,
                e.message,
                place(&e.location)
            )
        })
        .collect();
    let mut cases = String::new();
    open_case(&mut cases, &file.file, builtin::INPUT_ERROR.id, &file.file);
    let body = format!(
        "      <error message=\"{}\" type=\"{}\">{}</error>\n",
        escape(&message),
        escape(
            file.errors
                .first()
                .map_or(builtin::INPUT_ERROR.id, |e| e.code.as_str())
        ),
        escape_text(&text.join("\n\n"))
    );
    close_case(&mut cases, &body);
    let mut xml = String::new();
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">",
        escape(&name)
    );
    xml.push_str(&cases);
    xml.push_str("  </testsuite>\n");
    Suite {
        tests: 1,
        failures: 0,
        errors: 1,
        xml,
    }
}

/// The ids of the testcases: the rule set's rules, parity's own rules, and
/// any other rule a finding names (so that none is lost), sorted.
fn rule_ids<'a>(report: &'a Report, rules: &'a RuleSet) -> BTreeSet<&'a str> {
    let mut ids: BTreeSet<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    ids.extend(builtin::WAIVER_RULES.iter().map(|own| own.id));
    ids.extend(report.findings.iter().map(|f| f.rule.as_str()));
    ids.extend(report.waived.iter().map(|w| w.finding.rule.as_str()));
    ids
}

fn suite(report: &Report, rules: &RuleSet, fail_on: Severity, names: &mut Unique) -> Suite {
    let mut cases = String::new();
    let mut tests = 0;
    let mut failures = 0;
    // Testcase names are unique within the suite: GitLab merges testcases
    // with the same classname and name, and so would hide a failure.
    let mut case_names = Unique::default();
    // Findings by rule in one pass (failing, below the failing severity,
    // waived), each in report order, rather than a scan of all per rule.
    let mut by_rule: HashMap<&str, [Vec<&Finding>; 3]> = HashMap::new();
    for f in &report.findings {
        let group = usize::from(f.severity < fail_on);
        by_rule.entry(&f.rule).or_default()[group].push(f);
    }
    for w in &report.waived {
        by_rule.entry(&w.finding.rule).or_default()[2].push(&w.finding);
    }
    for id in rule_ids(report, rules) {
        let name = case_names.get(id);
        let [failing, below, waived] = by_rule.remove(id).unwrap_or_default();
        tests += 1;
        let mut body = String::new();
        if !failing.is_empty() {
            failures += 1;
            // One <failure> listing every finding of the rule, not one per
            // finding: Jenkins' JUnit plugin and GitLab's report parser keep
            // only one failure per testcase, so further <failure> elements
            // would be dropped. The message names the first and the count.
            let message = match failing.as_slice() {
                [one] => one.message.clone(),
                [first, rest @ ..] => {
                    format!("{} finding(s); first: {}", rest.len() + 1, first.message)
                }
                [] => String::new(),
            };
            let text: Vec<String> = failing.iter().map(|f| finding_text(f)).collect();
            let _ = writeln!(
                body,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape(&message),
                escape(id),
                escape_text(&text.join("\n\n"))
            );
        }
        // Waived findings are not `<skipped>`: that would mark the whole rule
        // skipped even when it also fails. They, and findings below
        // `fail_on`, are told in the testcase's output.
        let mut output = Vec::new();
        if !below.is_empty() {
            output.push(format!(
                "{} finding(s) below the failing severity ({}):",
                below.len(),
                fail_on.word()
            ));
            output.extend(below.iter().map(|f| {
                format!(
                    "{}: {}",
                    f.severity.word(),
                    finding_text(f).replace('\n', "\n  ")
                )
            }));
        }
        if !waived.is_empty() {
            output.push(format!("{} finding(s) waived:", waived.len()));
            output.extend(waived.iter().map(|f| {
                format!(
                    "waived {}[{}] {} at {}",
                    f.severity.word(),
                    f.rule,
                    f.subject.join(", "),
                    place(&f.location)
                )
            }));
        }
        if !output.is_empty() {
            let _ = writeln!(
                body,
                "      <system-out>{}</system-out>",
                escape_text(&output.join("\n"))
            );
        }
        open_case(&mut cases, &report.scenario, &name, &report.file);
        close_case(&mut cases, &body);
    }
    for claim in &report.claims {
        let name = case_names.get(&format!("claim: {}", claim.title));
        tests += 1;
        let mut body = String::new();
        if !claim.holds {
            failures += 1;
            let source = claim
                .source
                .as_deref()
                .map(|s| format!("\nsource: {s}"))
                .unwrap_or_default();
            let _ = writeln!(
                body,
                "      <failure message=\"{}\" type=\"claim\">{}</failure>",
                escape(&format!("claim fails: {}", claim.title)),
                escape_text(&format!(
                    "claim: {}\n{}{source}",
                    claim.claim,
                    place(&claim.location)
                ))
            );
        }
        open_case(&mut cases, &report.scenario, &name, &report.file);
        close_case(&mut cases, &body);
    }
    let mut xml = String::new();
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        escape(&names.get(&report.file))
    );
    let _ = writeln!(xml, "    <properties>");
    for (name, value) in [("scenario", &report.scenario), ("as_of", &report.as_of)] {
        let _ = writeln!(
            xml,
            "      <property name=\"{name}\" value=\"{}\"/>",
            escape(value)
        );
    }
    let _ = writeln!(xml, "    </properties>");
    xml.push_str(&cases);
    let _ = writeln!(xml, "  </testsuite>");
    Suite {
        tests,
        failures,
        errors: 0,
        xml,
    }
}

fn open_case(out: &mut String, classname: &str, name: &str, file: &str) {
    // `file` is read by GitLab to link the testcase to the scenario.
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
        escape(classname),
        escape(name),
        escape(file)
    );
}

fn close_case(out: &mut String, body: &str) {
    if body.is_empty() {
        out.push_str("/>\n");
    } else {
        out.push_str(">\n");
        out.push_str(body);
        out.push_str("    </testcase>\n");
    }
}

/// A finding as the failure text shows it: message, then where and what it cites.
fn finding_text(finding: &Finding) -> String {
    let mut text = format!(
        "{}\n{} (subject: {}; cite: {})",
        finding.message,
        place(&finding.location),
        finding.subject.join(", "),
        finding.cite
    );
    for evidence in &finding.evidence {
        text.push_str("\nwhy: ");
        text.push_str(&evidence.text);
    }
    text
}

fn place(location: &Location) -> String {
    format!(
        "{}:{}:{}",
        location.file,
        location.line(),
        location.column()
    )
}

/// Names made unique by a ` (2)`, ` (3)`, ... suffix, in the order asked.
#[derive(Default)]
struct Unique {
    taken: BTreeSet<String>,
    /// For each name, the suffix to try next: every smaller one is taken
    /// (and stays so), so many equal names cost one try each, not n.
    next: HashMap<String, usize>,
}

impl Unique {
    fn get(&mut self, name: &str) -> String {
        let mut unique = name.to_string();
        let mut n = self.next.get(name).copied().unwrap_or(2);
        while self.taken.contains(&unique) {
            unique = format!("{name} ({n})");
            n += 1;
        }
        self.next.insert(name.to_string(), n);
        self.taken.insert(unique.clone());
        unique
    }
}

/// Escapes an attribute value. Tab, newline and carriage return are written
/// as character references: attribute-value normalisation would turn them
/// into spaces.
fn escape(text: &str) -> String {
    escape_xml(text, true)
}

/// Escapes element content; newlines stay as they are, readable.
fn escape_text(text: &str) -> String {
    escape_xml(text, false)
}

/// XML 1.0 escaping. Tab, newline and carriage return are kept (XML holds
/// them); other controls, which XML 1.0 cannot hold or a dashboard would
/// act on, and bidi controls are shown as `diag::printable` shows them;
/// U+FFFE and U+FFFF become U+FFFD. A carriage return is always a
/// reference, since parsers turn a literal one into a newline.
fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Quotes need escaping only where they could end an attribute.
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' | '\n' => out.push(c),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push_str(&crate::diag::printable(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}
