//! Human-readable report: findings grouped by severity, each with its rule,
//! message, citation, source line and evidence; then claims, waivers and a
//! one-line summary.

use super::{Context, Finding, Location, Render, Report, Waived};
use crate::diag::render::{Excerpt, Palette, Snippet};
use crate::diag::{Loc, printable};
use crate::lang::ast::Severity;
use std::collections::HashMap;
use std::fmt::Write as _;

/// `--format human`: each report quoting its file's text, one after another;
/// findings coloured by `palette` (plain unless written to a terminal).
pub struct Human {
    pub palette: Palette,
}

impl Human {
    pub const PLAIN: Human = Human {
        palette: Palette::PLAIN,
    };
}

impl Render for Human {
    fn render(&self, cx: &Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let text = cx
            .reports
            .iter()
            .map(|r| render_in(r, cx.sources.text_of(&r.file), self.palette))
            .collect::<Vec<_>>()
            .join("\n");
        out.write_all(text.as_bytes())?;
        let files = cx.reports.len() + cx.failed.len();
        if files > 1 {
            writeln!(out, "\n{}", total_line(cx.reports, cx.failed.len()))?;
        }
        Ok(())
    }
}

/// The grand total of a run over several files, after their reports:
/// `total: 5 files, 1 error, 18 warnings, 0 info, 15 waived; 18 of 18 claims hold`
/// (and how many files could not be checked, whose errors are on stderr).
pub fn total_line(reports: &[Report], not_checked: usize) -> String {
    let sum = |f: fn(&Report) -> usize| reports.iter().map(f).sum::<usize>();
    let (errors, warnings) = (sum(|r| r.summary.errors), sum(|r| r.summary.warnings));
    let (held, failed) = (
        sum(|r| r.summary.claims_held),
        sum(|r| r.summary.claims_failed),
    );
    let files = reports.len() + not_checked;
    let mut line = format!(
        "total: {}, {}, {}, {} info, {} waived",
        plural(files, "file", "files"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        sum(|r| r.summary.infos),
        sum(|r| r.summary.waived)
    );
    if held + failed > 0 {
        let _ = write!(
            line,
            "; {held} of {} {} hold",
            held + failed,
            if held + failed == 1 {
                "claim"
            } else {
                "claims"
            }
        );
    }
    if not_checked > 0 {
        let _ = write!(
            line,
            "; {} not checked (errors on stderr)",
            plural(not_checked, "file", "files")
        );
    }
    line
}

/// Renders a report; `source` is the scenario's text, for quoting lines.
pub fn render(report: &Report, source: Option<&str>) -> String {
    render_in(report, source, Palette::PLAIN)
}

/// `render`, its findings coloured by `palette`.
pub fn render_in(report: &Report, source: Option<&str>, palette: Palette) -> String {
    let report = &*report.printable();
    let mut out = String::new();
    // Split once: looking each finding's line up by scanning the text made
    // rendering quadratic (findings × file size).
    let lines: Option<Vec<&str>> = source.map(|text| text.lines().collect());
    let lines = lines.as_deref();
    let _ = writeln!(
        out,
        "{} ({}) as of {}\n",
        report.scenario, report.file, report.as_of
    );
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
        let _ = writeln!(out, "{heading} ({})\n", group.len());
        for finding in group {
            finding_block(&mut out, finding, lines, palette);
        }
    }
    if !report.claims.is_empty() {
        let _ = writeln!(out, "Claims ({})", report.claims.len());
        for claim in &report.claims {
            let verdict = if claim.holds { "holds" } else { "FAILS" };
            let _ = writeln!(
                out,
                "  {verdict}  {}  [{}]",
                claim.title,
                place(&claim.location)
            );
            if !claim.holds {
                let _ = writeln!(out, "         claim: {}", claim.claim);
            }
        }
        out.push('\n');
    }
    if !report.waived.is_empty() {
        let _ = writeln!(out, "Waived ({})", report.waived.len());
        // One block per waiver, listing what it accepted, in the order the
        // waivers first appear; grouped in one pass, not a scan per waiver.
        let mut blocks: Vec<(&super::WaiverInfo, Vec<&Waived>)> = Vec::new();
        // A `Location`'s only interior mutability is its text's line index,
        // built once when first needed: its hash and equality never change.
        #[allow(clippy::mutable_key_type)]
        let mut block_of: HashMap<&super::WaiverInfo, usize> = HashMap::new();
        for waived in &report.waived {
            let block = *block_of.entry(&waived.waiver).or_insert_with(|| {
                blocks.push((&waived.waiver, Vec::new()));
                blocks.len() - 1
            });
            if let Some((_, accepted)) = blocks.get_mut(block) {
                accepted.push(waived);
            }
        }
        for (waiver, accepted) in blocks {
            let until = waiver
                .until
                .as_deref()
                .map(|u| format!(", until {u}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  waiver at {}{until}: {}",
                place(&waiver.location),
                waiver.reason.as_deref().unwrap_or("(no reason given)")
            );
            for w in accepted {
                let f = &w.finding;
                let _ = writeln!(
                    out,
                    "    {}[{}] {}  [line {}]",
                    f.severity.word(),
                    f.rule,
                    f.subject.join(", "),
                    f.location.line()
                );
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary_line(report));
    out
}

fn place(location: &Location) -> String {
    format!(
        "{}:{}:{}",
        location.file,
        location.line(),
        location.column()
    )
}

/// A finding as a snippet (`diag::render`, as input errors are drawn): the
/// header, the place, its line (its first 160 characters), the citation and
/// the evidence, then an empty line.
fn finding_block(out: &mut String, finding: &Finding, lines: Option<&[&str]>, palette: Palette) {
    let line = lines.and_then(|lines| {
        let index = usize::try_from(finding.quoted_line())
            .ok()?
            .checked_sub(1)?;
        lines.get(index).copied()
    });
    // The report is `printable` already: notes are written as they are.
    let why: Vec<Why> = finding.evidence.iter().map(Why).collect();
    let notes = std::iter::once(("cite", &finding.cite as &dyn std::fmt::Display))
        .chain(why.iter().map(|w| ("why", w as &dyn std::fmt::Display)))
        .collect();
    let snippet = Snippet {
        severity: finding.severity,
        code: &finding.rule,
        message: &finding.message,
        file: &finding.location.file,
        // As the report has it: a line of 0 stays 0 (`Loc::new` would make it 1).
        // The place is the quoted fact's line, at its first word.
        loc: match line {
            Some(text) if finding.quoted_line() != finding.location.line() => Loc {
                line: finding.quoted_line(),
                column: first_word(text),
            },
            _ => Loc {
                line: finding.location.line(),
                column: finding.location.column(),
            },
        },
        excerpt: line.map(|line| Excerpt::Quoted { line }),
        secondary: Vec::new(),
        notes,
    };
    snippet.render(out, palette);
    out.push('\n');
}

/// The column of a line's first word, past its indentation and a list's `- `.
fn first_word(line: &str) -> u32 {
    let rest = line.trim_start();
    let rest = rest.strip_prefix("- ").map_or(rest, str::trim_start);
    let chars = line.chars().count() - rest.chars().count();
    u32::try_from(chars + 1).unwrap_or(1)
}

/// A finding's evidence in words (`Evidence::text`, built by `eval::words`).
struct Why<'e>(&'e crate::eval::Evidence);

impl std::fmt::Display for Why<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.text)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `kabul-2024-09: 1 error, 2 warnings, 0 info, 1 waived; 6 of 6 claims hold`
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let claims = s.claims_held + s.claims_failed;
    let mut line = format!(
        "{}: {}, {}, {} info, {} waived",
        report.scenario,
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        s.infos,
        s.waived
    );
    if claims > 0 {
        let _ = write!(
            line,
            "; {} of {claims} {} hold",
            s.claims_held,
            if claims == 1 { "claim" } else { "claims" }
        );
    }
    line
}

/// A finding in one line: `error[rule-id] subject: message`.
fn line(finding: &Finding) -> String {
    let line = format!(
        "{}[{}] {}: {}",
        finding.severity.word(),
        finding.rule,
        finding.subject.join(", "),
        finding.message
    );
    printable(&line).into_owned()
}

/// What each proposal would introduce and resolve, read as advice.
pub fn render_proposals(report: &crate::engine::propose::ProposalsReport) -> String {
    use crate::engine::propose::Verdict;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}): {}\n",
        report.scenario,
        report.file,
        plural(report.proposals.len(), "proposal", "proposals")
    );
    for p in &report.proposals {
        let title = p
            .title
            .as_deref()
            .map(|t| format!(" — {}", printable(t)))
            .unwrap_or_default();
        let verdict = match p.verdict {
            Verdict::Ok => "ok: breaks no rule at the failing severity",
            Verdict::Breaks => "BREAKS: introduces a finding at the failing severity",
        };
        let _ = writeln!(out, "{} (on {}){title}", p.id, p.on);
        let _ = writeln!(out, "  verdict: {verdict}");
        if p.introduced.is_empty() {
            let _ = writeln!(out, "  introduces nothing");
        } else {
            let _ = writeln!(out, "  would introduce:");
            for f in &p.introduced {
                let _ = writeln!(out, "    + {}", line(f));
            }
        }
        if !p.resolved.is_empty() {
            let _ = writeln!(out, "  would resolve:");
            for f in &p.resolved {
                let _ = writeln!(out, "    - {}", line(f));
            }
        }
        out.push('\n');
    }
    let breaking = report
        .proposals
        .iter()
        .filter(|p| p.verdict == Verdict::Breaks)
        .count();
    let _ = writeln!(
        out,
        "{}: {} of {} proposals break a rule",
        report.scenario,
        breaking,
        report.proposals.len()
    );
    out
}

/// Each rank tried for a mission's new head, and the recommendation.
pub fn render_suggest(report: &crate::engine::propose::SuggestReport) -> String {
    let mut out = String::new();
    let credentials = report
        .credentials_to
        .as_deref()
        .unwrap_or("no government in control");
    let _ = writeln!(
        out,
        "{} ({}): a new head for {} on {}, credentials to {credentials}\n",
        report.scenario, report.file, report.mission, report.on
    );
    for trial in &report.trials {
        let class = trial
            .class
            .map_or("no class".to_string(), |c| format!("class {c}"));
        let verdict = if trial.breaks { "breaks" } else { "ok" };
        let _ = writeln!(out, "  {:<24} {:<9} {verdict}", trial.rank.word(), class);
        for f in &trial.introduced {
            let _ = writeln!(out, "      + {}", line(f));
        }
        for f in &trial.resolved {
            let _ = writeln!(out, "      - {}", line(f));
        }
    }
    let recommendation = match report.recommended {
        Some(rank) => format!("recommended: {}", crate::engine::propose::article(rank)),
        None => "no rank can be recommended".to_string(),
    };
    let _ = writeln!(out, "\n{recommendation}\nwhy: {}", report.reason);
    out
}

/// The periods in which each finding holds.
pub fn render_timeline(report: &crate::engine::timeline::TimelineReport) -> String {
    let mut out = String::new();
    let window = match (&report.from, &report.until) {
        (None, None) => String::new(),
        (from, until) => format!(
            " from {} until {}",
            from.as_deref().unwrap_or("the beginning"),
            until.as_deref().unwrap_or("now")
        ),
    };
    let _ = writeln!(
        out,
        "{} ({}){window}: {} over {}\n",
        report.scenario,
        report.file,
        plural(report.findings.len(), "finding", "findings"),
        plural(report.evaluations, "change point", "change points")
    );
    for entry in &report.findings {
        let periods: Vec<String> = entry
            .periods
            .iter()
            .map(|p| {
                format!(
                    "{} → {}",
                    p.from.as_deref().unwrap_or("since ever"),
                    p.until.as_deref().unwrap_or("still")
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "{}[{}] {}",
            entry.severity.word(),
            entry.rule,
            entry.subject.join(", ")
        );
        let _ = writeln!(out, "    {}", periods.join(", "));
    }
    out
}

/// `parity test`: one line a test, failures explained, coverage on request,
/// and the closing `N passed, N failed` line.
pub fn render_tests(report: &crate::engine::ruletest::TestReport, coverage: bool) -> String {
    let mut out = String::new();
    for result in &report.results {
        let place = place(&result.location);
        match &result.detail {
            None => {
                let _ = writeln!(out, "ok    {}", printable(&result.name));
            }
            Some(detail) => {
                let (name, detail) = (printable(&result.name), printable(detail));
                let _ = writeln!(out, "FAIL  {name}  [{place}]\n      {detail}");
            }
        }
    }
    if coverage {
        let _ = writeln!(
            out,
            "\ncoverage: {:.0}% of rules tested firing and not firing",
            report.covered_share() * 100.0
        );
        for rule in &report.coverage {
            let mut gaps = Vec::new();
            if !rule.firing {
                gaps.push("no test where it fires");
            }
            if !rule.quiet {
                gaps.push("no test where it must not fire");
            }
            if !gaps.is_empty() {
                let _ = writeln!(out, "  {}: {}", rule.rule, gaps.join(", "));
            }
        }
    }
    let _ = writeln!(out, "\n{} passed, {} failed", report.passed, report.failed);
    out
}

/// The diplomatic list of `parity precedence`: a header naming the receiver
/// and the date, one row per head in order of precedence, and the doyen.
pub fn render_precedence(list: &crate::engine::precedence::PrecedenceList) -> String {
    let mut out = String::new();
    let receiver = match &list.receiver_name {
        Some(name) => format!("{} ({})", printable(name), printable(&list.receiver)),
        None => printable(&list.receiver).into_owned(),
    };
    let _ = writeln!(
        out,
        "{} ({}): diplomatic list of {receiver} as of {}\n",
        printable(&list.scenario),
        printable(&list.file),
        list.as_of
    );
    if list.list.is_empty() {
        let _ = writeln!(
            out,
            "no head of an open embassy or delegation in {receiver}\n\ndoyen: none"
        );
        return out;
    }
    // The last column, notes, has no heading.
    let header = [
        "place", "mission", "sender", "rank", "class", "since", "name", "",
    ];
    let rows: Vec<[String; 8]> = list
        .list
        .iter()
        .map(|e| {
            [
                e.place.to_string(),
                printable(&e.mission).into_owned(),
                printable(&e.sender).into_owned(),
                e.rank.word().to_string(),
                e.class.map_or("a.i.".to_string(), |c| c.to_string()),
                e.since.map_or("-".to_string(), |d| d.to_string()),
                e.name
                    .as_deref()
                    .map_or("-".to_string(), |n| printable(n).into_owned()),
                precedence_note(e),
            ]
        })
        .collect();
    // Each column as wide as its widest cell; the note, last, in brackets
    // where there is one.
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str], out: &mut String| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            match i {
                0 => text.push_str(&format!("{cell:>width$}")),
                7 => {
                    if !cell.is_empty() {
                        text.push_str(&format!("  ({cell})"));
                    }
                }
                _ => text.push_str(&format!("  {cell:<width$}")),
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(&header, &mut out);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&cells, &mut out);
    }
    let _ = writeln!(
        out,
        "\ndoyen: {}",
        list.doyen
            .as_deref()
            .map_or("none".into(), |d| printable(d).into_owned())
    );
    out
}

/// What a row of the diplomatic list adds in words: a tie, an absent head.
pub(super) fn precedence_note(entry: &crate::engine::precedence::PrecedenceEntry) -> String {
    let mut notes = Vec::new();
    if entry.tie {
        notes.push("tied: same day, in order of mission id".to_string());
    }
    if let Some(away) = &entry.absent {
        let who = match &away.name {
            Some(name) => format!("{} {}", away.rank.word(), printable(name)),
            None => away.rank.word().to_string(),
        };
        notes.push(format!("{who} recalled for consultations"));
    }
    notes.join("; ")
}
