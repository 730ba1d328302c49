//! GitHub Actions workflow commands: one `::error` / `::warning` / `::notice`
//! line per finding, which the runner turns into an annotation on the file
//! and line of a pull request.

use super::{FileErrors, Location, Report};
use crate::engine::builtin;
use crate::lang::ast::Severity;
use std::fmt::Write as _;

/// `--format github`.
pub struct Github;

impl super::Render for Github {
    fn render(&self, cx: &super::Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(render(cx.reports, cx.failed).as_bytes())
    }
}

/// Renders every finding of every report (waived ones are accepted, so they
/// are left out) and every failing claim, one command per line; then one
/// plain line per report with its counts, waivers included, which the runner
/// shows in the log without annotating anything.
/// A file that could not be checked gives one `::error` per input error.
pub fn render(reports: &[Report], failed: &[FileErrors]) -> String {
    let reports = &reports.iter().map(Report::printable).collect::<Vec<_>>();
    let mut out = String::new();
    for file in failed {
        for error in &file.errors {
            let help = error
                .help
                .as_deref()
                .map(|h| format!(" (help: {h})"))
                .unwrap_or_default();
            let mut at = error.location.clone();
            at.file = crate::diag::printable(&error.location.file).into_owned();
            line(
                &mut out,
                "error",
                &at,
                error.code.as_str(),
                &crate::diag::printable(&format!("{}{help}", error.message)),
            );
        }
    }
    for report in reports {
        for finding in &report.findings {
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            line(
                &mut out,
                command,
                &finding.location,
                &finding.rule,
                &if finding.evidence.is_empty() {
                    format!("{} (cite: {})", finding.message, finding.cite)
                } else {
                    format!(
                        "{} (cite: {})\nWhy: {}",
                        finding.message,
                        finding.cite,
                        finding.why()
                    )
                },
            );
        }
        for claim in report.claims.iter().filter(|c| !c.holds) {
            line(
                &mut out,
                "error",
                &claim.location,
                builtin::CLAIM.id,
                &format!("claim fails: {}; claim: {}", claim.title, claim.claim),
            );
        }
    }
    for report in reports {
        let _ = writeln!(out, "parity: {}", super::human::summary_line(report));
    }
    for file in failed {
        let _ = writeln!(
            out,
            "parity: {}: not checked, {} input error(s)",
            crate::diag::printable(&file.file),
            file.errors.len()
        );
    }
    out
}

fn line(out: &mut String, command: &str, at: &Location, title: &str, message: &str) {
    let _ = writeln!(
        out,
        "::{command} file={},line={},col={},title={}::{}",
        property(&at.file),
        at.line(),
        at.column(),
        property(title),
        data(message)
    );
}

/// The message part, escaped as the runner unescapes it
/// (`escapeData` in actions/toolkit's command.ts).
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as data, and also `:` and `,`, which separate properties.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
