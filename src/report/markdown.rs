//! A Markdown report for a pull-request comment: a summary table, the
//! findings by severity, failing claims, and a Mermaid diagram of the
//! missions among the states the findings are about (GitHub and GitLab draw
//! `mermaid` code blocks).

use super::graph;
use super::{Context, FileErrors, Finding, Render, Report};
use crate::diag::printable;
use crate::engine::network::Network;
use crate::lang::ast::Severity;
use crate::scenario::world::World;
use std::fmt::Write as _;

/// `--format markdown`.
pub struct Markdown;

impl Render for Markdown {
    fn needs_network(&self) -> bool {
        true
    }

    fn render(&self, cx: &Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let items: Vec<(&Report, Option<&Network>)> = cx
            .reports
            .iter()
            .enumerate()
            .map(|(i, report)| (report, cx.networks.get(i)))
            .collect();
        out.write_all(write(&items, cx.failed).as_bytes())
    }
}

/// Renders one section per report; each report comes with the world it was
/// checked in (`World::at(&scenario, date)` at the report's `as_of`), from
/// which the diagram is drawn (the library's entry point for a caller that
/// holds worlds; `parity check` renders the networks the engine drew).
pub fn render(items: &[(&Report, &World)], failed: &[FileErrors]) -> String {
    let networks: Vec<Network> = items
        .iter()
        .map(|(report, world)| Network::of(world, Some(report)))
        .collect();
    let items: Vec<(&Report, Option<&Network>)> = items
        .iter()
        .zip(&networks)
        .map(|((report, _), network)| (*report, Some(network)))
        .collect();
    write(&items, failed)
}

/// Files that could not be checked come first, with their errors; then one
/// section per report, with the diagram of its network when there is one.
fn write(items: &[(&Report, Option<&Network>)], failed: &[FileErrors]) -> String {
    let items = &items
        .iter()
        .map(|(report, network)| (report.printable(), *network))
        .collect::<Vec<_>>();
    let mut out = String::from("## parity\n\n");
    out.push_str("| scenario | errors | warnings | info | waived | claims |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|\n");
    for (report, _) in items {
        let s = &report.summary;
        let claims = s.claims_held + s.claims_failed;
        let claims = if claims == 0 {
            "—".to_string()
        } else if s.claims_failed == 0 {
            format!("{} of {claims} hold", s.claims_held)
        } else {
            format!("**{} of {claims} fail**", s.claims_failed)
        };
        let _ = writeln!(
            out,
            "| `{}` ({}) | {} | {} | {} | {} | {claims} |",
            code(&report.scenario),
            inline(&report.as_of),
            s.errors,
            s.warnings,
            s.infos,
            s.waived
        );
    }
    if !failed.is_empty() {
        let _ = writeln!(
            out,
            "\n### Not checked: {} file(s) with input errors\n",
            failed.len()
        );
        for file in failed {
            for error in &file.errors {
                let _ = writeln!(
                    out,
                    "- `{}:{}:{}` **{}**: {}",
                    code(&crate::diag::printable(&error.location.file)),
                    error.location.line,
                    error.location.column,
                    inline(error.code.as_str()),
                    inline(&crate::diag::printable(&error.message))
                );
            }
        }
    }
    for (report, network) in items {
        section(&mut out, report, *network);
    }
    out
}

fn section(out: &mut String, report: &Report, network: Option<&Network>) {
    let _ = writeln!(
        out,
        "\n### `{}` as of {}\n\n`{}`",
        code(&report.scenario),
        inline(&report.as_of),
        code(&report.file)
    );
    if report.findings.is_empty() && report.claims.iter().all(|c| c.holds) {
        out.push_str("\nNo findings.\n");
    }
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let heading = match severity {
            Severity::Error => "Errors",
            Severity::Warning => "Warnings",
            Severity::Info => "Info",
        };
        let _ = writeln!(out, "\n#### {heading} ({})\n", group.len());
        for f in group {
            let _ = writeln!(
                out,
                "- **`{}`** {} — `{}:{}` — _{}_",
                code(&f.rule),
                inline(&f.message),
                code(&f.location.file),
                f.location.line,
                inline(&f.cite)
            );
        }
    }
    let failing: Vec<_> = report.claims.iter().filter(|c| !c.holds).collect();
    if !failing.is_empty() {
        let _ = writeln!(out, "\n#### Failing claims ({})\n", failing.len());
        for c in failing {
            let _ = writeln!(
                out,
                "- {} — `{}:{}` — claim: `{}`",
                inline(&c.title),
                code(&c.location.file),
                c.location.line,
                code(&c.claim)
            );
        }
    }
    // The missions among the states the findings are about.
    // Flagged from the report as shown (escaped), as `involved` is.
    let Some(network) = network.map(|n| n.among(&n.involved).flagged_by(report)) else {
        return;
    };
    if !network.edges.is_empty() {
        out.push_str(
            "\n#### Missions among the states involved\n\nEdges run sender → receiver, labelled with the head's rank; ⚠ and red: the mission has an error or warning.\n\n```mermaid\n",
        );
        out.push_str(&graph::mermaid(&network));
        out.push_str("```\n");
    }
}

/// Text inside a code span: backticks cannot be escaped there, so they are
/// replaced; newlines would end the table row or list item.
fn code(text: &str) -> String {
    text.replace('`', "'").replace(['\n', '\r'], " ")
}

/// Plain text in a table cell or list item: Markdown's punctuation is
/// backslash-escaped so that messages show as written.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The diplomatic list of `parity precedence` as a Markdown table, with the
/// doyen.
pub fn render_precedence(list: &crate::engine::precedence::PrecedenceList) -> String {
    let mut out = String::new();
    let receiver = match &list.receiver_name {
        Some(name) => format!(
            "{} (`{}`)",
            inline(&printable(name)),
            code(&printable(&list.receiver))
        ),
        None => format!("`{}`", code(&printable(&list.receiver))),
    };
    let _ = writeln!(
        out,
        "## Diplomatic list of {receiver} as of {}\n\nScenario `{}` (`{}`), in order of precedence (VCDR art. 16).\n",
        list.as_of,
        code(&printable(&list.scenario)),
        code(&printable(&list.file))
    );
    if list.list.is_empty() {
        out.push_str("No head of an open embassy or delegation.\n\n**Doyen:** none\n");
        return out;
    }
    out.push_str("| place | mission | sender | name | rank | class | since | note |\n");
    out.push_str("|---:|---|---|---|---|---|---|---|\n");
    for e in &list.list {
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | {} | {} | {} | {} | {} |",
            e.place,
            code(&printable(&e.mission)),
            code(&printable(&e.sender)),
            e.name
                .as_deref()
                .map_or("—".to_string(), |n| inline(&printable(n))),
            e.rank.word(),
            e.class.map_or("a.i.".to_string(), |c| c.to_string()),
            e.since.map_or("—".to_string(), |d| d.to_string()),
            inline(&super::human::precedence_note(e)),
        );
    }
    let _ = writeln!(
        out,
        "\n**Doyen:** {}",
        list.doyen
            .as_deref()
            .map_or("none".to_string(), |d| format!("`{}`", code(&printable(d))))
    );
    out
}
