//! GitHub Actions workflow commands: one `::error` / `::warning` / `::notice`
//! line per finding, which the runner turns into an annotation on the file
//! and line of a pull request.

use super::{Location, Report};
use crate::lang::ast::Severity;
use std::fmt::Write as _;

/// Renders every finding of every report (waived ones are accepted, so they
/// are left out) and every failing claim, one command per line; then one
/// plain line per report with its counts, waivers included, which the runner
/// shows in the log without annotating anything.
pub fn render(reports: &[Report]) -> String {
    let reports = &reports.iter().map(Report::printable).collect::<Vec<_>>();
    let mut out = String::new();
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
                &format!("{} (cite: {})", finding.message, finding.cite),
            );
        }
        for claim in report.claims.iter().filter(|c| !c.holds) {
            line(
                &mut out,
                "error",
                &claim.location,
                "claim",
                &format!("claim fails: {}; claim: {}", claim.title, claim.claim),
            );
        }
    }
    for report in reports {
        let _ = writeln!(out, "parity: {}", super::human::summary_line(report));
    }
    out
}

fn line(out: &mut String, command: &str, at: &Location, title: &str, message: &str) {
    let _ = writeln!(
        out,
        "::{command} file={},line={},col={},title={}::{}",
        property(&at.file),
        at.line,
        at.column,
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
