//! CSV for research tools (pandas, R): one row per finding for `check`, one
//! row per period of a finding for `timeline`. RFC 4180 quoting (the `csv`
//! crate), a header row, `\n` line ends, UTF-8 without a byte-order mark.
//!
//! A contract, like JSON: columns may be added at the end, never renamed or
//! reordered. Subjects are the ids joined by one space (an id never holds a
//! space). A cell that would start with `=`, `+`, `-`, `@`, a tab or a carriage
//! return is prefixed with `'`, so that a spreadsheet opening the file does
//! not run a formula planted in a scenario's names (OWASP's advice on CSV
//! injection); no id can start so, only text taken from a file.

use super::{Context, Render, Report};
use crate::engine::timeline::TimelineReport;

/// The columns of `check --format csv`.
pub const CHECK_COLUMNS: [&str; 11] = [
    "file", "scenario", "date", "status", "rule", "severity", "subject", "line", "column",
    "message", "why",
];

/// The columns of `timeline --format csv`.
pub const TIMELINE_COLUMNS: [&str; 8] = [
    "file", "scenario", "rule", "severity", "subject", "from", "until", "message",
];

/// `--format csv` for `check`: the findings (`status` `finding`), the waived
/// findings (`waived`), and each input error of a file that could not be
/// checked (`input-error`, its code as `rule`), so that no file vanishes
/// from the table; files in name order, rows in each report's order.
pub struct Csv;

impl Render for Csv {
    fn render(&self, cx: &Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut table = writer(out);
        table.write_record(CHECK_COLUMNS)?;
        let mut reports = cx.reports.iter();
        let mut failed = cx.failed.iter();
        for &checked in cx.order {
            if checked {
                let Some(report) = reports.next() else { break };
                report_rows(report, &mut table)?;
            } else {
                let Some(file) = failed.next() else { break };
                for error in &file.errors {
                    table.write_record([
                        cell(&file.file),
                        String::new(),
                        String::new(),
                        "input-error".to_string(),
                        error.code.to_string(),
                        "error".to_string(),
                        String::new(),
                        error.location.line().to_string(),
                        error.location.column().to_string(),
                        cell(&error.message),
                        String::new(),
                    ])?;
                }
            }
        }
        table.flush()
    }
}

/// The rows of one checked report: its findings, then its waived findings.
fn report_rows<W: std::io::Write>(
    report: &Report,
    table: &mut csv::Writer<W>,
) -> std::io::Result<()> {
    let rows = report
        .findings
        .iter()
        .map(|f| ("finding", f))
        .chain(report.waived.iter().map(|w| ("waived", &w.finding)));
    for (status, f) in rows {
        table.write_record([
            cell(&report.file),
            cell(&report.scenario),
            cell(&report.as_of),
            status.to_string(),
            cell(&f.rule),
            f.severity.word().to_string(),
            f.subject.join(" "),
            f.location.line().to_string(),
            f.location.column().to_string(),
            cell(&f.message),
            cell(&f.why()),
        ])?;
    }
    Ok(())
}

/// `check --format csv` of reports that all loaded, as text (for tests and
/// library callers).
pub fn render(reports: &[Report]) -> String {
    let mut table = writer(Vec::new());
    // Writing into memory cannot fail: a `Vec` takes every byte.
    let _ = table.write_record(CHECK_COLUMNS);
    for report in reports {
        let _ = report_rows(report, &mut table);
    }
    into_text(table)
}

fn writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

fn into_text(table: csv::Writer<Vec<u8>>) -> String {
    table
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// `timeline --format csv`: one row per period of each finding, in the
/// timeline's order; `from` or `until` empty where the period is open.
pub fn render_timeline(report: &TimelineReport) -> String {
    let mut table = writer(Vec::new());
    // Writing into memory cannot fail: a `Vec` takes every byte.
    let mut rows = vec![TIMELINE_COLUMNS.map(str::to_string).to_vec()];
    for entry in &report.findings {
        for period in &entry.periods {
            rows.push(vec![
                cell(&report.file),
                cell(&report.scenario),
                cell(&entry.rule),
                entry.severity.word().to_string(),
                entry.subject.join(" "),
                period.from.as_deref().map(cell).unwrap_or_default(),
                period.until.as_deref().map(cell).unwrap_or_default(),
                cell(&entry.message),
            ]);
        }
    }
    for row in rows {
        let _ = table.write_record(row);
    }
    into_text(table)
}

/// A cell from text read from a file: defused if a spreadsheet would take it
/// for a formula.
fn cell(text: &str) -> String {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn a_formula_is_defused_and_plain_text_kept() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("Kazakhstan"), "Kazakhstan");
        assert_eq!(cell("a=b"), "a=b");
        assert_eq!(cell(""), "");
    }
}
