//! A Markdown report for a pull-request comment: a summary table, the
//! findings by severity, failing claims, and a Mermaid diagram of the
//! missions among the states the findings are about (GitHub and GitLab draw
//! `mermaid` code blocks).

use super::graph;
use super::{Context, FileErrors, Render, Report};
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
        let items = cx.with_networks();
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

/// GitHub refuses a comment of more than 65,536 characters; this leaves
/// room for what a workflow adds around the report.
pub const COMMENT_LIMIT: usize = 65_000;

/// What Mermaid draws by default (`maxEdges` 500, `maxTextSize` 50,000):
/// beyond either, it shows an error instead of the diagram.
const MERMAID_EDGES: usize = 500;
const MERMAID_TEXT: usize = 50_000;

/// A list of lines under a heading, of which the first `shown` are written.
struct Group {
    heading: String,
    lines: Vec<String>,
    shown: usize,
}

/// One report's section: its heading, its finding groups (errors, warnings,
/// info, then failing claims) and its diagram.
struct Section {
    heading: String,
    groups: Vec<Group>,
    diagram: Option<String>,
}

/// Files that could not be checked come first, with their errors; then one
/// section per report, with the diagram of its network when there is one.
/// The whole stays under `COMMENT_LIMIT`: when it would not, diagrams go
/// first, then info, warnings, errors and failing claims, each from the last
/// report back, and a note says how many were left out and where they are.
fn write(items: &[(&Report, Option<&Network>)], failed: &[FileErrors]) -> String {
    let items = &items
        .iter()
        .map(|(report, network)| (report.printable(), *network))
        .collect::<Vec<_>>();
    let mut head = String::from("## parity\n\n");
    head.push_str("| scenario | errors | warnings | info | waived | claims |\n");
    head.push_str("|---|---:|---:|---:|---:|---:|\n");
    for (report, _) in items {
        let s = &report.summary;
        let claims = match s.claims_in_words() {
            None => "—".to_string(),
            Some((words, false)) => words,
            Some((words, true)) => format!("**{words}**"),
        };
        let _ = writeln!(
            head,
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
            head,
            "\n### Not checked: {} file(s) with input errors\n",
            failed.len()
        );
        for file in failed {
            for error in &file.errors {
                let _ = writeln!(
                    head,
                    "- `{}:{}:{}` **{}**: {}",
                    code(&crate::diag::printable(&error.location.file)),
                    error.location.line(),
                    error.location.column(),
                    inline(error.code.as_str()),
                    inline(&crate::diag::printable(&error.message))
                );
            }
        }
    }
    let mut sections: Vec<Section> = items
        .iter()
        .map(|(report, network)| section(report, *network))
        .collect();
    let left_out = fit(&head, &mut sections);
    let mut out = head;
    for s in &sections {
        out.push_str(&s.heading);
        for g in &s.groups {
            if g.lines.is_empty() {
                continue;
            }
            if g.shown == g.lines.len() {
                let _ = writeln!(out, "\n#### {} ({})\n", g.heading, g.lines.len());
            } else {
                let _ = writeln!(
                    out,
                    "\n#### {} ({}, {} shown)\n",
                    g.heading,
                    g.lines.len(),
                    g.shown
                );
            }
            for line in &g.lines[..g.shown] {
                out.push_str(line);
            }
        }
        if let Some(diagram) = &s.diagram {
            out.push_str(diagram);
        }
    }
    if let Some((lines, diagrams)) = left_out {
        let _ = writeln!(
            out,
            "\n---\n\n_{lines} finding(s) or claim(s) and {diagrams} diagram(s) are left out to keep this comment under GitHub's limit of 65,536 characters; the full report is `parity check --format json` (or `--format sarif` for code scanning)._"
        );
    }
    out
}

/// Trims `sections` until the report fits `COMMENT_LIMIT`; `None` when
/// nothing had to go, else how many lines and diagrams went.
fn fit(head: &str, sections: &mut [Section]) -> Option<(usize, usize)> {
    let size = |sections: &[Section]| -> usize {
        let lines: usize = sections
            .iter()
            .map(|s| {
                s.heading.chars().count()
                    + s.diagram.as_ref().map_or(0, |d| d.chars().count())
                    + s.groups
                        .iter()
                        .map(|g| {
                            g.heading.chars().count()
                                + 40
                                + g.lines[..g.shown]
                                    .iter()
                                    .map(|l| l.chars().count())
                                    .sum::<usize>()
                        })
                        .sum::<usize>()
            })
            .sum();
        head.chars().count() + lines
    };
    // The note at the end, and the headings' "N shown".
    const RESERVE: usize = 600;
    if size(sections) <= COMMENT_LIMIT {
        return None;
    }
    let mut total = size(sections);
    let mut diagrams = 0;
    for s in sections.iter_mut().rev() {
        if let Some(d) = s.diagram.take() {
            total -= d.chars().count();
            diagrams += 1;
            if total + RESERVE <= COMMENT_LIMIT {
                return Some((0, diagrams));
            }
        }
    }
    let mut lines = 0;
    // Groups are errors, warnings, info, failing claims: info goes first.
    for group in [2, 1, 0, 3] {
        for s in sections.iter_mut().rev() {
            let Some(g) = s.groups.get_mut(group) else {
                continue;
            };
            while g.shown > 0 && total + RESERVE > COMMENT_LIMIT {
                g.shown -= 1;
                total -= g.lines[g.shown].chars().count();
                lines += 1;
            }
            if total + RESERVE <= COMMENT_LIMIT {
                return Some((lines, diagrams));
            }
        }
    }
    Some((lines, diagrams))
}

fn section(report: &Report, network: Option<&Network>) -> Section {
    let mut heading = String::new();
    let _ = writeln!(
        heading,
        "\n### `{}` as of {}\n\n`{}`",
        code(&report.scenario),
        inline(&report.as_of),
        code(&report.file)
    );
    if report.findings.is_empty() && report.claims.iter().all(|c| c.holds) {
        heading.push_str("\nNo findings.\n");
    }
    let mut groups = Vec::new();
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let lines: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| {
                let mut item = format!(
                    "- **`{}`** {} — `{}:{}` — _{}_\n",
                    code(&f.rule),
                    inline(&f.message),
                    code(&f.location.file),
                    f.location.line(),
                    inline(&f.cite)
                );
                for evidence in &f.evidence {
                    item.push_str(&format!("  - why: {}\n", inline(&evidence.text)));
                }
                item
            })
            .collect();
        let heading = match severity {
            Severity::Error => "Errors",
            Severity::Warning => "Warnings",
            Severity::Info => "Info",
        };
        groups.push(Group {
            heading: heading.to_string(),
            shown: lines.len(),
            lines,
        });
    }
    let failing: Vec<String> = report
        .claims
        .iter()
        .filter(|c| !c.holds)
        .map(|c| {
            format!(
                "- {} — `{}:{}` — claim: `{}`\n",
                inline(&c.title),
                code(&c.location.file),
                c.location.line(),
                code(&c.claim)
            )
        })
        .collect();
    groups.push(Group {
        heading: "Failing claims".to_string(),
        shown: failing.len(),
        lines: failing,
    });
    Section {
        heading,
        groups,
        diagram: network.and_then(|n| diagram(report, n)),
    }
}

/// The Mermaid diagram of the missions among the states the findings are
/// about, or a line saying why there is none where Mermaid would refuse it.
fn diagram(report: &Report, network: &Network) -> Option<String> {
    // Flagged from the report as shown (escaped), as `involved` is.
    let network = network.among(&network.involved).flagged_by(report);
    if network.edges.is_empty() {
        return None;
    }
    let graph = graph::mermaid(&network);
    if network.edges.len() > MERMAID_EDGES || graph.chars().count() > MERMAID_TEXT {
        return Some(format!(
            "\n#### Missions among the states involved\n\n{} missions among {} states: more than a Mermaid diagram draws ({MERMAID_EDGES} edges, {MERMAID_TEXT} characters). Draw them with `parity graph {} --as-of {} --format dot`.\n",
            network.edges.len(),
            network.nodes.len(),
            code(&report.file),
            inline(&report.as_of)
        ));
    }
    Some(format!(
        "\n#### Missions among the states involved\n\nEdges run sender → receiver, labelled with the head's rank; ⚠ and red: the mission has an error or warning.\n\n```mermaid\n{graph}```\n"
    ))
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
