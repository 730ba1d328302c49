//! A briefing a protocol officer can open in a browser: one self-contained
//! HTML file (inline CSS and SVG, no script, nothing fetched) with a
//! summary and verdict, the findings by severity with their evidence,
//! citations and places, the waived ones with the waiver's reason, the
//! network of the states involved (`check`), and the periods in which each
//! finding holds on a date axis (`timeline`). `parity precedence` writes
//! its diplomatic list as such a page too.
//!
//! Every text taken from a file is passed through `diag::printable` (control
//! and bidi control characters shown, not obeyed) and HTML-escaped, and sits
//! in a `<bdi>` so that a right-to-left name cannot reorder what is around
//! it. Element ids are counters, never file text. Severity is always said
//! in words or drawn as a line style as well as in colour.

use super::{Context, FileErrors, Finding, Location, Render, Report};
use crate::diag::printable;
use crate::engine::network::{Edge, Network};
use crate::engine::precedence::PrecedenceList;
use crate::engine::timeline::{Period, TimelineEntry, TimelineReport};
use crate::eval::Evidence;
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use crate::scenario::date::Date;
use crate::scenario::world::World;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// `--format html`.
pub struct Html;

impl Render for Html {
    fn needs_network(&self) -> bool {
        true
    }

    fn render(&self, cx: &Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let items = cx.with_networks();
        out.write_all(check_page(&items, cx.failed, cx.fail_on).as_bytes())
    }
}

/// `check --format html` of reports each with the world it was checked in
/// (the library's entry point for a caller that holds worlds, as
/// `markdown::render` is).
pub fn render(items: &[(&Report, &World)], failed: &[FileErrors], fail_on: Severity) -> String {
    let networks: Vec<Network> = items
        .iter()
        .map(|(report, world)| Network::of(world, Some(report)))
        .collect();
    let items: Vec<(&Report, Option<&Network>)> = items
        .iter()
        .zip(&networks)
        .map(|((report, _), network)| (*report, Some(network)))
        .collect();
    check_page(&items, failed, fail_on)
}

/// At most this many states are drawn: a circle of more is unreadable.
const MAX_STATES: usize = 40;
/// At most this many missions are drawn, the flagged ones first.
const MAX_MISSIONS: usize = 400;
/// At most this many rows in the timeline chart (every finding is listed in words).
const MAX_ROWS: usize = 150;

// ---------------------------------------------------------------- escaping

/// Text for HTML content or a quoted attribute value.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in printable(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// File text as HTML content, isolated from the text around it.
fn user(text: &str) -> String {
    format!("<bdi>{}</bdi>", esc(text))
}

/// At most `max` characters of `text`, with an ellipsis where cut (labels
/// in SVG, whose full text is in their `<title>`).
fn clip(text: &str, max: usize) -> String {
    let text = printable(text);
    if text.chars().count() <= max {
        return text.into_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The line and column of a place: the one reading of `Location`, so that
/// a change of its shape is one change here.
fn line_col(location: &Location) -> (u32, u32) {
    (location.line(), location.column())
}

/// `file:line:column`.
fn place(location: &Location) -> String {
    let (line, column) = line_col(location);
    format!("{}:{line}:{column}", esc(&location.file))
}

// ---------------------------------------------------------------- words

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn severity_heading(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Errors",
        Severity::Warning => "Warnings",
        Severity::Info => "Information",
    }
}

/// The badge text: the severity said, not only coloured.
fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

/// The verdict of one report in words, with the exit status it gives.
fn verdict(report: &Report, fail_on: Severity) -> (bool, String) {
    let at_or_above = report
        .findings
        .iter()
        .filter(|f| f.severity >= fail_on)
        .count();
    let failed_claims = report.summary.claims_failed;
    if !report.fails(fail_on) {
        let below = report.findings.len();
        let mut text = format!(
            "Passes: no finding at or above {} and no failing claim",
            fail_on.word()
        );
        if below > 0 {
            let _ = write!(
                text,
                " ({} below it, listed for review)",
                plural(below, "finding", "findings")
            );
        }
        text.push_str(". parity exits 0.");
        return (true, text);
    }
    let mut reasons = Vec::new();
    if at_or_above > 0 {
        reasons.push(format!(
            "{} at or above {}",
            plural(at_or_above, "finding", "findings"),
            fail_on.word()
        ));
    }
    if failed_claims > 0 {
        reasons.push(plural(failed_claims, "failing claim", "failing claims"));
    }
    (
        false,
        format!(
            "Does not pass: {}. parity exits 1, the expected verdict when there are findings to act on.",
            reasons.join(" and ")
        ),
    )
}

/// One evidence record in words, as HTML: the one place evidence is
/// rendered, so that a sentence form of it is one change here.
fn evidence(finding: &Finding, e: &Evidence) -> String {
    // The sentence a desk officer reads; the raw fields the rule read, for
    // whoever checks it, folded away beneath.
    let mut out = format!(
        "<span class=\"record\">{}</span> <span class=\"line\">(line {})</span>",
        user(&e.text),
        finding.line_of(e.span)
    );
    if !e.fields.is_empty() {
        out.push_str("<details><summary>fields read</summary><ul class=\"facts\">");
        let _ = write!(
            out,
            "<li><code>{}</code> is <strong>{}</strong></li>",
            esc(&e.var),
            user(&e.id)
        );
        for f in &e.fields {
            let _ = write!(
                out,
                "<li><code>{}</code> is <strong>{}</strong> <span class=\"line\">(line {})</span></li>",
                esc(&f.path),
                user(&f.value),
                finding.line_of(f.span)
            );
        }
        out.push_str("</ul></details>");
    }
    out
}

// ---------------------------------------------------------------- page

const STYLE: &str = r#"
:root { --error: #b3261e; --warning: #a35a00; --info: #1f5fbf; --none: #8a8f98; --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); margin: 0; background: #fff; }
header, main, footer { max-width: 70rem; margin: 0 auto; padding: 0 1.5rem; }
header { border-bottom: 3px solid var(--ink); padding-top: 1.2rem; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.sub { color: var(--muted); margin: 0 0 .8rem; }
code { font: .9em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: #f3f4f6; padding: 0 .2em; border-radius: 3px; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { font-weight: 600; padding: .6rem .9rem; border-left: 6px solid; margin: .8rem 0; }
.verdict.pass { border-color: #1a7f37; background: #eef8f0; }
.verdict.fail { border-color: var(--error); background: #fcefee; }
.badge { display: inline-block; font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: #fff; border-radius: 3px; padding: .05rem .45rem; margin-right: .4rem; vertical-align: .1em; }
.badge.error { background: var(--error); } .badge.warning { background: var(--warning); } .badge.info { background: var(--info); }
.badge.waived { background: #fff; color: var(--muted); border: 1px solid var(--muted); }
ol.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border: 1px solid var(--rule); border-left: 6px solid var(--none); border-radius: 4px; padding: .6rem .9rem; margin: .6rem 0; break-inside: avoid; }
li.finding.error { border-left-color: var(--error); } li.finding.warning { border-left-color: var(--warning); } li.finding.info { border-left-color: var(--info); }
li.finding.waived { border-left-style: dashed; background: #fafafa; }
.finding .title { font-weight: 600; }
.finding .message { margin: .3rem 0; }
.finding dl { display: grid; grid-template-columns: 8rem 1fr; gap: .15rem .8rem; margin: .3rem 0 0; font-size: .92rem; }
.finding dt { color: var(--muted); }
.finding dd { margin: 0; }
ul.evidence, ul.facts { margin: 0; padding-left: 1.1rem; }
.var, .line { color: var(--muted); font-size: .9em; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: .92rem; margin-top: .3rem; }
svg { max-width: 100%; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1.4rem; font-size: .92rem; }
.legend svg { vertical-align: middle; margin-right: .3rem; }
.note { color: var(--muted); font-style: italic; }
details { margin: .5rem 0; } summary { cursor: pointer; color: var(--muted); }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); margin-top: 2.5rem; padding-top: .6rem; padding-bottom: 2rem; }
@media print { header, main, footer { max-width: none; } details { display: block; } }
"#;

/// The page around `body`: `title` is already escaped.
fn page(title: &str, heading: &str, sub: &str, body: &str, footer: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"parity\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{heading}</h1>\n<p class=\"sub\">{sub}</p>\n</header>\n<main>\n{body}</main>\n<footer>\n<p>{footer}</p>\n</footer>\n</body>\n</html>\n"
    )
}

fn check_page(
    items: &[(&Report, Option<&Network>)],
    failed: &[FileErrors],
    fail_on: Severity,
) -> String {
    // One report and nothing else: the page is about that scenario.
    let single = items.len() == 1 && failed.is_empty();
    let title = match items {
        [(report, _)] if single => format!(
            "parity briefing: {} as of {}",
            esc(&report.scenario),
            esc(&report.as_of)
        ),
        _ => format!(
            "parity briefing: {} and {}",
            plural(items.len(), "scenario", "scenarios"),
            plural(failed.len(), "file not checked", "files not checked")
        ),
    };
    let sub = match items {
        [(report, _)] if single => format!(
            "Scenario {} (<code>{}</code>) checked as of {} against the recognition-parity rules.",
            user(&report.scenario),
            esc(&report.file),
            user(&report.as_of)
        ),
        _ => format!(
            "{} checked against the recognition-parity rules.",
            plural(
                items.len() + failed.len(),
                "scenario file",
                "scenario files"
            )
        ),
    };
    let mut body = String::new();
    summary(&mut body, items, failed, fail_on);
    for (index, (report, network)) in items.iter().enumerate() {
        section(
            &mut body,
            index + 1,
            report,
            *network,
            fail_on,
            items.len() > 1,
        );
    }
    page(
        &title,
        "Recognition-parity briefing",
        &sub,
        &body,
        "Written by <code>parity check --format html</code>. Findings are the standard or project rules applied to the facts recorded in the scenario; they are only as good as those facts.",
    )
}

fn summary(
    out: &mut String,
    items: &[(&Report, Option<&Network>)],
    failed: &[FileErrors],
    fail_on: Severity,
) {
    out.push_str("<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary</h2>\n");
    out.push_str("<table>\n<thead><tr><th scope=\"col\">Scenario</th><th scope=\"col\">As of</th><th scope=\"col\">Errors</th><th scope=\"col\">Warnings</th><th scope=\"col\">Info</th><th scope=\"col\">Waived</th><th scope=\"col\">Claims</th><th scope=\"col\">Verdict</th></tr></thead>\n<tbody>\n");
    for (report, _) in items {
        let s = &report.summary;
        let claims = match s.claims_in_words() {
            None => "none".to_string(),
            Some((words, false)) => words,
            Some((words, true)) => format!("<strong>{words}</strong>"),
        };
        let verdict = if report.fails(fail_on) {
            "<strong>does not pass</strong>"
        } else {
            "passes"
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}<br><code>{}</code></th><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{claims}</td><td>{verdict}</td></tr>",
            user(&report.scenario),
            esc(&report.file),
            user(&report.as_of),
            s.errors,
            s.warnings,
            s.infos,
            s.waived
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if let ([(report, _)], true) = (items, failed.is_empty()) {
        let (pass, text) = verdict(report, fail_on);
        let _ = writeln!(
            out,
            "<p class=\"verdict {}\">{}</p>",
            if pass { "pass" } else { "fail" },
            text
        );
    } else {
        let failing = items.iter().filter(|(r, _)| r.fails(fail_on)).count();
        let scenarios = plural(items.len(), "scenario", "scenarios");
        let (pass, text) = if !failed.is_empty() {
            (
                false,
                format!(
                    "Not complete: {} could not be checked, so parity exits 2; of the {scenarios} checked, {failing} {} at --fail-on {}.",
                    plural(failed.len(), "file", "files"),
                    if failing == 1 {
                        "does not pass"
                    } else {
                        "do not pass"
                    },
                    fail_on.word()
                ),
            )
        } else if failing > 0 {
            (
                false,
                format!(
                    "Does not pass: {failing} of the {scenarios} {} a finding at or above {} or a failing claim. parity exits 1.",
                    if failing == 1 { "has" } else { "have" },
                    fail_on.word()
                ),
            )
        } else {
            (
                true,
                format!(
                    "Passes: none of the {scenarios} has a finding at or above {} or a failing claim. parity exits 0.",
                    fail_on.word()
                ),
            )
        };
        let _ = writeln!(
            out,
            "<p class=\"verdict {}\">{text}</p>",
            if pass { "pass" } else { "fail" }
        );
    }
    if failed.is_empty() {
        out.push_str("<p>Every file read was checked: none has input errors.</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<h3>Not checked: {} with input errors</h3>\n<p>Nothing in these files was checked; parity exits 2 while any remains.</p>\n<ul>",
            plural(failed.len(), "file", "files")
        );
        for file in failed {
            let _ = writeln!(out, "<li><code>{}</code><ul>", esc(&file.file));
            for error in &file.errors {
                let _ = write!(
                    out,
                    "<li><code>{}</code> <strong>{}</strong>: {}",
                    place(&error.location),
                    esc(error.code.as_str()),
                    user(&error.message)
                );
                if let Some(help) = &error.help {
                    let _ = write!(out, " <span class=\"line\">Help: {}</span>", user(help));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul></li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// One report: its verdict (when there are several), the network (the
/// picture first, as a briefing opens), the findings, what the timeline
/// chart would show, and the claims.
fn section(
    out: &mut String,
    index: usize,
    report: &Report,
    network: Option<&Network>,
    fail_on: Severity,
    many: bool,
) {
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"r{index}\">\n<h2 id=\"r{index}\">{} as of {}</h2>\n<p class=\"sub\"><code>{}</code></p>",
        user(&report.scenario),
        user(&report.as_of),
        esc(&report.file)
    );
    if many {
        let (pass, text) = verdict(report, fail_on);
        let _ = writeln!(
            out,
            "<p class=\"verdict {}\">{}</p>",
            if pass { "pass" } else { "fail" },
            text
        );
    }
    let _ = writeln!(
        out,
        "<h3 id=\"r{index}-network\">Network of the states involved</h3>"
    );
    match network {
        Some(network) => network_figure(out, index, report, network),
        None => out.push_str("<p class=\"note\">The network was not drawn for this run.</p>\n"),
    }
    let _ = writeln!(out, "<h3 id=\"r{index}-findings\">Findings</h3>");
    if report.findings.is_empty() && report.waived.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    }
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let active: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        let waived: Vec<_> = report
            .waived
            .iter()
            .filter(|w| w.finding.severity == severity)
            .collect();
        if active.is_empty() && waived.is_empty() {
            continue;
        }
        let count = if waived.is_empty() {
            format!("{}", active.len())
        } else {
            format!("{}, and {} waived", active.len(), waived.len())
        };
        let _ = writeln!(
            out,
            "<h4>{} ({count})</h4>\n<ol class=\"findings\">",
            severity_heading(severity)
        );
        for f in active {
            finding(out, f, None);
        }
        for w in waived {
            finding(out, &w.finding, Some(&w.waiver));
        }
        out.push_str("</ol>\n");
    }
    let _ = writeln!(
        out,
        "<h3 id=\"r{index}-time\">When the findings hold</h3>\n<p>This briefing is of one date, {}: every finding above holds on it, so there is no period to chart. <code>parity timeline {} --format html</code> charts when each finding began and ended.</p>",
        user(&report.as_of),
        esc(&report.file)
    );
    if !report.claims.is_empty() {
        let _ = writeln!(
            out,
            "<h3 id=\"r{index}-claims\">Claims ({} of {} hold)</h3>\n<ul>",
            report.summary.claims_held,
            report.claims.len()
        );
        for c in &report.claims {
            let _ = write!(
                out,
                "<li><span class=\"badge {}\">{}</span> {} <span class=\"line\">(<code>{}</code>",
                if c.holds { "waived" } else { "error" },
                if c.holds { "holds" } else { "fails" },
                user(&c.title),
                place(&c.location)
            );
            if let Some(source) = &c.source {
                let _ = write!(out, "; source: {}", user(source));
            }
            out.push_str(")</span></li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn finding(out: &mut String, f: &super::Finding, waiver: Option<&super::WaiverInfo>) {
    let sev = f.severity.word();
    let _ = write!(
        out,
        "<li class=\"finding {sev}{}\">\n<p><span class=\"badge {sev}\">{}</span> ",
        if waiver.is_some() { " waived" } else { "" },
        severity_label(f.severity)
    );
    if waiver.is_some() {
        out.push_str("<span class=\"badge waived\">Waived</span> ");
    }
    let _ = writeln!(
        out,
        "<span class=\"title\">{}</span> <code>{}</code></p>\n<p class=\"message\">{}</p>\n<dl>",
        user(&f.title),
        esc(&f.rule),
        user(&f.message)
    );
    if let Some(w) = waiver {
        let mut text = match &w.reason {
            Some(reason) => user(reason),
            None => "no reason given".to_string(),
        };
        if let Some(until) = &w.until {
            let _ = write!(text, " (until {})", user(until));
        }
        let _ = writeln!(
            out,
            "<dt>Waived</dt><dd>{text} <span class=\"line\">(waiver at <code>{}</code>)</span></dd>",
            place(&w.location)
        );
    }
    let subjects: Vec<String> = f
        .subject
        .iter()
        .map(|s| format!("<code>{}</code>", esc(s)))
        .collect();
    let _ = writeln!(
        out,
        "<dt>About</dt><dd>{}</dd>\n<dt>Basis</dt><dd>{}</dd>\n<dt>Where</dt><dd><code>{}</code></dd>",
        subjects.join(", "),
        user(&f.cite),
        place(&f.location)
    );
    if !f.evidence.is_empty() {
        out.push_str("<dt>Evidence</dt><dd><ul class=\"evidence\">");
        for e in &f.evidence {
            let _ = write!(out, "<li>{}</li>", evidence(f, e));
        }
        out.push_str("</ul></dd>\n");
    }
    out.push_str("</dl>\n</li>\n");
}

// ---------------------------------------------------------------- network

/// The colour class of a severity, or of no finding.
fn class(severity: Option<Severity>) -> &'static str {
    severity.map_or("none", Severity::word)
}

/// Line style per severity, so that the picture reads without colour.
fn stroke(severity: Option<Severity>) -> (&'static str, f64, &'static str) {
    match severity {
        Some(Severity::Error) => ("#b3261e", 2.6, ""),
        Some(Severity::Warning) => ("#a35a00", 2.2, "7 4"),
        Some(Severity::Info) => ("#1f5fbf", 1.8, "2 3"),
        None => ("#a5abb3", 1.0, ""),
    }
}

fn edge_svg_style(severity: Option<Severity>) -> String {
    let (colour, width, dash) = stroke(severity);
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    };
    format!("stroke=\"{colour}\" stroke-width=\"{width}\"{dash}")
}

/// The severity of the most serious finding each record is a subject of.
fn severities(report: &Report) -> BTreeMap<&str, Severity> {
    let mut most: BTreeMap<&str, Severity> = BTreeMap::new();
    for f in &report.findings {
        for id in &f.subject {
            let entry = most.entry(id.as_str()).or_insert(f.severity);
            *entry = (*entry).max(f.severity);
        }
    }
    most
}

fn network_figure(out: &mut String, index: usize, report: &Report, network: &Network) {
    let by_record = severities(report);
    let edge_severity = |e: &Edge| by_record.get(e.mission.as_str()).copied();
    // A state's severity: its own findings' and its missions'.
    let mut state_severity: BTreeMap<&str, Severity> = BTreeMap::new();
    let mut state_weight: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &network.edges {
        if let Some(s) = edge_severity(e) {
            for end in [e.from.as_str(), e.to.as_str()] {
                let entry = state_severity.entry(end).or_insert(s);
                *entry = (*entry).max(s);
                *state_weight.entry(end).or_default() += 1;
            }
        }
    }
    for n in &network.nodes {
        if let Some(s) = by_record.get(n.id.as_str()) {
            let entry = state_severity.entry(n.id.as_str()).or_insert(*s);
            *entry = (*entry).max(*s);
            *state_weight.entry(n.id.as_str()).or_default() += 1;
        }
    }
    if network.involved.is_empty() {
        out.push_str(
            "<p>No finding is about a state or mission, so there is no network to draw.</p>\n",
        );
        return;
    }
    // The cap: the states of the most serious and most numerous findings.
    let mut ranked: Vec<&String> = network.involved.iter().collect();
    ranked.sort_by(|a, b| {
        let key = |s: &str| {
            (
                state_severity.get(s).copied(),
                state_weight.get(s).copied().unwrap_or(0),
            )
        };
        key(b).cmp(&key(a)).then(a.cmp(b))
    });
    let kept: BTreeSet<String> = ranked.into_iter().take(MAX_STATES).cloned().collect();
    let sub = network.among(&kept);
    let mut edges: Vec<(&Edge, Option<Severity>)> =
        sub.edges.iter().map(|e| (e, edge_severity(e))).collect();
    // Flagged first (most serious first), then the rest, each by mission id.
    edges.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.mission.cmp(&b.0.mission)));
    let all_edges = edges.len();
    // Past the cap, the missions with no finding all go (a share of them
    // would be an arbitrary fan of some states' missions), then the least
    // serious of the rest.
    if all_edges > MAX_MISSIONS {
        edges.retain(|(_, s)| s.is_some());
        edges.truncate(MAX_MISSIONS);
    }
    let nodes = &sub.nodes;
    let n = nodes.len();
    // A hub (a state at one end of more than half the missions drawn, as
    // the receiving state of a capital's diplomatic corps is) goes in the
    // centre, where its missions do not all crowd one point of the circle;
    // the other states on a circle in order of id, from the top, clockwise.
    let mut degree: BTreeMap<&str, usize> = BTreeMap::new();
    for (e, _) in &edges {
        *degree.entry(e.from.as_str()).or_default() += 1;
        *degree.entry(e.to.as_str()).or_default() += 1;
    }
    let hub = degree
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .filter(|(_, d)| n >= 4 && **d * 2 > edges.len())
        .map(|(id, _)| *id);
    let ring: Vec<&str> = nodes
        .iter()
        .map(|node| node.id.as_str())
        .filter(|id| Some(*id) != hub)
        .collect();
    let on_ring = ring.len();
    let radius = (on_ring as f64 * 16.0).clamp(110.0, 330.0);
    let (margin_x, margin_y) = (190.0, 40.0);
    let (width, height) = (2.0 * (radius + margin_x), 2.0 * (radius + margin_y));
    let (cx, cy) = (width / 2.0, height / 2.0);
    // `None` for the angle: the state is in the centre.
    let mut position: BTreeMap<&str, (f64, f64, Option<f64>)> = BTreeMap::new();
    if let Some(hub) = hub {
        position.insert(hub, (cx, cy, None));
    }
    for (i, id) in ring.iter().enumerate() {
        if on_ring <= 1 && hub.is_none() {
            position.insert(id, (cx, cy, None));
            continue;
        }
        let angle =
            -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / on_ring as f64;
        position.insert(
            id,
            (
                cx + radius * angle.cos(),
                cy + radius * angle.sin(),
                Some(angle),
            ),
        );
    }
    let flagged = edges.iter().filter(|(_, s)| s.is_some()).count();
    let title_id = format!("net{index}-title");
    let desc_id = format!("net{index}-desc");
    let _ = writeln!(
        out,
        "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"network\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"{title_id} {desc_id}\">\n<title id=\"{title_id}\">Diplomatic network of the states involved in the findings of {} as of {}</title>\n<desc id=\"{desc_id}\">{} on a circle in order of id{}; {} drawn as arrows from sending to receiving state, {} of them the subject of a finding. The missions are listed in words below the picture.</desc>",
        esc(&report.scenario),
        esc(&report.as_of),
        plural(n, "state", "states"),
        hub.map_or(String::new(), |h| format!(
            ", {} in the centre",
            esc(nodes
                .iter()
                .find(|n| n.id == h)
                .map_or(h, |n| n.label.as_str()))
        )),
        plural(edges.len(), "mission", "missions"),
        flagged
    );
    out.push_str("<defs>");
    for severity in [
        None,
        Some(Severity::Info),
        Some(Severity::Warning),
        Some(Severity::Error),
    ] {
        let (colour, _, _) = stroke(severity);
        let _ = write!(
            out,
            "<marker id=\"net{index}-arrow-{}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"{colour}\"/></marker>",
            class(severity)
        );
    }
    out.push_str("</defs>\n<g class=\"missions\" fill=\"none\">\n");
    const NODE_R: f64 = 7.0;
    // Least serious first, so that flagged missions are drawn on top.
    for (edge, severity) in edges.iter().rev() {
        let (Some(&(x1, y1, _)), Some(&(x2, y2, _))) = (
            position.get(edge.from.as_str()),
            position.get(edge.to.as_str()),
        ) else {
            continue;
        };
        let (dx, dy) = (x2 - x1, y2 - y1);
        let length = (dx * dx + dy * dy).sqrt();
        if length < 1.0 {
            continue;
        }
        // Bowed to the left of its direction: the missions both ways
        // between two states are two arcs, not one line.
        let bow = 0.12 * length;
        let (qx, qy) = (
            (x1 + x2) / 2.0 + dy / length * bow,
            (y1 + y2) / 2.0 - dx / length * bow,
        );
        let shorten = |(px, py): (f64, f64), (tx, ty): (f64, f64), by: f64| {
            let (ux, uy) = (tx - px, ty - py);
            let l = (ux * ux + uy * uy).sqrt().max(1.0);
            (px + ux / l * by, py + uy / l * by)
        };
        let (sx, sy) = shorten((x1, y1), (qx, qy), NODE_R + 1.0);
        let (ex, ey) = shorten((x2, y2), (qx, qy), NODE_R + 2.0);
        let finding = match severity {
            Some(s) => format!("; subject of {} finding", indefinite(s.word())),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "<path class=\"{}\" d=\"M{sx:.1} {sy:.1} Q{qx:.1} {qy:.1} {ex:.1} {ey:.1}\" {} marker-end=\"url(#net{index}-arrow-{})\"><title>{}: {} → {}, {}{finding}</title></path>",
            class(*severity),
            edge_svg_style(*severity),
            class(*severity),
            esc(&edge.mission),
            esc(&edge.from),
            esc(&edge.to),
            esc(&edge.label)
        );
    }
    out.push_str("</g>\n<g class=\"states\">\n");
    let labels: BTreeMap<&str, &str> = nodes
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str()))
        .collect();
    for node in nodes {
        let Some(&(x, y, angle)) = position.get(node.id.as_str()) else {
            continue;
        };
        let severity = state_severity.get(node.id.as_str()).copied();
        let (colour, _, _) = stroke(severity);
        let fill = if severity.is_some() { colour } else { "#fff" };
        let dash = if node.declared {
            ""
        } else {
            " stroke-dasharray=\"2 2\""
        };
        let (lx, ly, anchor) = match angle {
            None => (x, y - 13.0, "middle"),
            Some(angle) => {
                let (c, s) = (angle.cos(), angle.sin());
                let anchor = if c > 0.2 {
                    "start"
                } else if c < -0.2 {
                    "end"
                } else {
                    "middle"
                };
                (x + c * 14.0, y + s * 14.0 + 4.0, anchor)
            }
        };
        // The centre's label is bold: it is where most arrows meet.
        let weight = if angle.is_none() {
            " style=\"font-weight:700;stroke-width:5px\""
        } else {
            ""
        };
        let about = match severity {
            Some(s) => format!(": its most serious finding is {}", indefinite(s.word())),
            None => String::new(),
        };
        let declared = if node.declared {
            ""
        } else {
            " (no state record)"
        };
        let _ = writeln!(
            out,
            "<g class=\"state {}\"><title>{} ({}){declared}{about}</title><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{NODE_R}\" fill=\"{fill}\" stroke=\"#1b1f24\" stroke-width=\"1.2\"{dash}/><text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\"{weight}>{}</text></g>",
            class(severity),
            esc(labels.get(node.id.as_str()).copied().unwrap_or(&node.id)),
            esc(&node.id),
            esc(&clip(&node.label, 26))
        );
    }
    out.push_str("</g>\n</svg>\n");
    let _ = writeln!(
        out,
        "<figcaption>The {} that the findings are about (a mission brings in its sending and receiving state, a government its state), on a circle in order of id{}, with the open missions among them as arrows from sending to receiving state.</figcaption>\n</figure>",
        plural(n, "state", "states"),
        if hub.is_some() {
            " (the state at one end of most of them in the centre)"
        } else {
            ""
        }
    );
    legend(out);
    if network.involved.len() > kept.len() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} of the {} states involved are drawn: those of the most serious and most numerous findings. <code>parity graph --format dot</code> draws the whole network.</p>",
            kept.len(),
            network.involved.len()
        );
    }
    if all_edges > edges.len() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} of the {all_edges} missions among them are drawn: more than {MAX_MISSIONS} would not be readable, so only missions with findings are, the most serious first.</p>",
            edges.len()
        );
    }
    let _ = writeln!(
        out,
        "<details>\n<summary>The {} drawn, in words</summary>\n<table>\n<thead><tr><th scope=\"col\">Mission</th><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Head</th><th scope=\"col\">Finding</th></tr></thead>\n<tbody>",
        plural(edges.len(), "mission", "missions")
    );
    let mut listed: Vec<&(&Edge, Option<Severity>)> = edges.iter().collect();
    listed.sort_by(|a, b| a.0.mission.cmp(&b.0.mission));
    for (edge, severity) in listed {
        let name = |id: &str| labels.get(id).copied().unwrap_or(id).to_string();
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&edge.mission),
            user(&name(&edge.from)),
            user(&name(&edge.to)),
            user(&edge.label),
            severity.map_or("none", Severity::word)
        );
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
}

fn indefinite(word: &str) -> String {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {word}")
    } else {
        format!("a {word}")
    }
}

/// What the line styles and dots mean, in words beside a sample of each.
fn legend(out: &mut String) {
    out.push_str("<ul class=\"legend\" aria-label=\"Legend\">\n");
    for (severity, text) in [
        (
            Some(Severity::Error),
            "solid red: a mission with an error finding",
        ),
        (
            Some(Severity::Warning),
            "dashed amber: a mission with a warning",
        ),
        (
            Some(Severity::Info),
            "dotted blue: a mission with an information finding",
        ),
        (None, "thin grey: a mission with no finding"),
    ] {
        let _ = writeln!(
            out,
            "<li><svg width=\"44\" height=\"12\" aria-hidden=\"true\"><line x1=\"2\" y1=\"6\" x2=\"42\" y2=\"6\" {}/></svg>{text}</li>",
            edge_svg_style(severity)
        );
    }
    out.push_str("<li><svg width=\"16\" height=\"16\" aria-hidden=\"true\"><circle cx=\"8\" cy=\"8\" r=\"6\" fill=\"#b3261e\" stroke=\"#1b1f24\"/></svg>a state, filled in the colour of its most serious finding (white: none)</li>\n");
    out.push_str("</ul>\n");
}

// ---------------------------------------------------------------- timeline

/// `timeline --format html`: the summary, the chart of the periods, and
/// every finding with its periods in words; `rules` gives the citations.
pub fn render_timeline(report: &TimelineReport, rules: &RuleSet) -> String {
    let cites: BTreeMap<&str, &str> = rules
        .rules
        .iter()
        .map(|r| (r.id.as_str(), r.cite.as_str()))
        .collect();
    let window = match (&report.from, &report.until) {
        (None, None) => "over the whole history recorded".to_string(),
        (from, until) => format!(
            "from {} until {}",
            from.as_deref().map_or("the beginning".to_string(), user),
            until
                .as_deref()
                .map_or("the last date recorded".to_string(), user)
        ),
    };
    let title = format!("parity timeline: {}", esc(&report.scenario));
    let sub = format!(
        "Scenario {} (<code>{}</code>), {window}: when each finding of the recognition-parity rules holds.",
        user(&report.scenario),
        esc(&report.file)
    );
    let mut body = String::new();
    body.push_str("<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary</h2>\n");
    let count = |s: Severity| report.findings.iter().filter(|e| e.severity == s).count();
    let still = report
        .findings
        .iter()
        .filter(|e| e.periods.last().is_some_and(|p| p.until.is_none()))
        .count();
    let _ = writeln!(
        body,
        "<table>\n<thead><tr><th scope=\"col\">Scenario</th><th scope=\"col\">Errors</th><th scope=\"col\">Warnings</th><th scope=\"col\">Info</th><th scope=\"col\">Still holding at the end</th><th scope=\"col\">Dates evaluated</th></tr></thead>\n<tbody><tr><th scope=\"row\">{}<br><code>{}</code></th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{still}</td><td class=\"n\">{}</td></tr></tbody>\n</table>",
        user(&report.scenario),
        esc(&report.file),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        report.evaluations
    );
    let _ = writeln!(
        body,
        "<p>{} held at some time {window}; {still} still {} at the end. A timeline is a history, not a verdict: parity exits 0 whatever it finds (<code>parity check</code> gives the verdict at a date). Waivers are not applied here.</p>\n</section>",
        plural(report.findings.len(), "finding", "findings"),
        if still == 1 { "holds" } else { "hold" }
    );
    body.push_str(
        "<section aria-labelledby=\"chart\">\n<h2 id=\"chart\">When the findings hold</h2>\n",
    );
    timeline_chart(&mut body, report);
    body.push_str(
        "</section>\n<section aria-labelledby=\"findings\">\n<h2 id=\"findings\">Findings</h2>\n",
    );
    if report.findings.is_empty() {
        body.push_str("<p>No finding holds at any date.</p>\n");
    }
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let entries: Vec<&TimelineEntry> = report
            .findings
            .iter()
            .filter(|e| e.severity == severity)
            .collect();
        if entries.is_empty() {
            continue;
        }
        let _ = writeln!(
            body,
            "<h3>{} ({})</h3>\n<ol class=\"findings\">",
            severity_heading(severity),
            entries.len()
        );
        for e in entries {
            let sev = e.severity.word();
            let subjects: Vec<String> = e
                .subject
                .iter()
                .map(|s| format!("<code>{}</code>", esc(s)))
                .collect();
            let periods: Vec<String> = e.periods.iter().map(period_words).collect();
            let _ = writeln!(
                body,
                "<li class=\"finding {sev}\">\n<p><span class=\"badge {sev}\">{}</span> <span class=\"title\">{}</span> <code>{}</code></p>\n<p class=\"message\">{}</p>\n<dl>\n<dt>About</dt><dd>{}</dd>\n<dt>Holds</dt><dd>{}</dd>\n<dt>Basis</dt><dd>{}</dd>\n</dl>\n</li>",
                severity_label(e.severity),
                user(&e.title),
                esc(&e.rule),
                user(&e.message),
                subjects.join(", "),
                periods.join("; "),
                cites
                    .get(e.rule.as_str())
                    .map_or("not given".to_string(), |c| user(c))
            );
        }
        body.push_str("</ol>\n");
    }
    body.push_str("<p class=\"note\">The message is the finding's when it first holds. The network of the states at a date is in <code>parity check --as-of DATE --format html</code>.</p>\n</section>\n");
    page(
        &title,
        "Recognition-parity timeline",
        &sub,
        &body,
        "Written by <code>parity timeline --format html</code>. Periods run from their first day up to, not including, their end.",
    )
}

/// A period in words: `[from, until)`, either side open.
fn period_words(p: &Period) -> String {
    match (&p.from, &p.until) {
        (Some(from), Some(until)) => format!("from {} until {}", user(from), user(until)),
        (Some(from), None) => format!("from {}, still at the end", user(from)),
        (None, Some(until)) => format!("from the beginning until {}", user(until)),
        (None, None) => "throughout".to_string(),
    }
}

fn day(text: &str) -> Option<i64> {
    Date::parse(text).ok().map(|d| d.day_number())
}

/// The periods as bars on a date axis, one row per finding; open ends
/// drawn as arrows to the edge of the axis.
fn timeline_chart(out: &mut String, report: &TimelineReport) {
    let dates: Vec<(i64, &str)> = report
        .findings
        .iter()
        .flat_map(|e| &e.periods)
        .flat_map(|p| [&p.from, &p.until])
        .chain([&report.from, &report.until])
        .filter_map(|d| d.as_deref().and_then(|d| day(d).map(|n| (n, d))))
        .collect();
    // The dates as written (`2018-04`), not as the day they begin on.
    let (Some(&(first, first_text)), Some(&(last, last_text))) =
        (dates.iter().min(), dates.iter().max())
    else {
        out.push_str("<p>No finding holds, or none has a date: there is nothing to chart.</p>\n");
        return;
    };
    let span = (last - first).max(365);
    let pad = span / 16;
    let (lo, hi) = (first - pad, first + span + pad);
    let rows: Vec<&TimelineEntry> = report.findings.iter().take(MAX_ROWS).collect();
    const LABEL_W: f64 = 400.0;
    const CHART_W: f64 = 560.0;
    const ROW_H: f64 = 22.0;
    const TOP: f64 = 28.0;
    let height = TOP + ROW_H * rows.len() as f64 + 30.0;
    let width = LABEL_W + CHART_W + 20.0;
    let x = |d: i64| LABEL_W + CHART_W * (d - lo) as f64 / (hi - lo) as f64;
    let _ = writeln!(
        out,
        "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"tl-title tl-desc\">\n<title id=\"tl-title\">When each finding of {} holds</title>\n<desc id=\"tl-desc\">{}, each a row of bars on a date axis, one bar per period; an arrow at a bar's end means it is open on that side. Every period is also given in words in the list of findings.</desc>",
        esc(&report.scenario),
        plural(rows.len(), "finding", "findings")
    );
    // Year ticks, at most about a dozen.
    let year_of = |d: i64| Date::from_day_number(d).map(|d| d.to_string());
    let first_year = year_of(lo)
        .and_then(|s| s.get(0..4).and_then(|y| y.parse::<u16>().ok()))
        .unwrap_or(1);
    let last_year = year_of(hi)
        .and_then(|s| s.get(0..4).and_then(|y| y.parse::<u16>().ok()))
        .unwrap_or(first_year);
    let years = u32::from(last_year.saturating_sub(first_year)) + 1;
    let step = years.div_ceil(12).max(1);
    let bottom = TOP + ROW_H * rows.len() as f64;
    out.push_str("<g class=\"axis\">\n");
    let mut year = u32::from(first_year) + 1;
    while year <= u32::from(last_year) {
        if let Some(tick) = u16::try_from(year)
            .ok()
            .and_then(|y| Date::ymd(y, 1, 1))
            .map(|d| d.day_number())
            && (lo..=hi).contains(&tick)
            && (year - u32::from(first_year)) % step == 0
        {
            let tx = x(tick);
            let _ = writeln!(
                out,
                "<line x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{bottom:.1}\" stroke=\"#e1e4e8\"/><text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text><text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text>",
                TOP - 4.0,
                TOP - 10.0,
                bottom + 16.0
            );
        }
        year += step;
    }
    out.push_str("</g>\n<g class=\"rows\">\n");
    for (i, e) in rows.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let (colour, _, _) = stroke(Some(e.severity));
        let label = format!(
            "{} · {} · {}",
            e.severity.word(),
            e.rule,
            e.subject.join(", ")
        );
        let _ = write!(
            out,
            "<g class=\"row {}\"><title>{} {}: {}</title>",
            e.severity.word(),
            esc(e.severity.word()),
            esc(&e.rule),
            esc(&format!(
                "{}; {}",
                e.subject.join(", "),
                e.periods
                    .iter()
                    .map(|p| format!(
                        "{} → {}",
                        p.from.as_deref().unwrap_or("the beginning"),
                        p.until.as_deref().unwrap_or("still")
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        );
        if i % 2 == 1 {
            let _ = write!(
                out,
                "<rect x=\"0\" y=\"{y:.1}\" width=\"{width:.0}\" height=\"{ROW_H}\" fill=\"#f6f8fa\"/>"
            );
        }
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 14.0,
            y + 15.0,
            esc(&clip(&label, 60))
        );
        for p in &e.periods {
            let from = p.from.as_deref().and_then(day);
            let until = p.until.as_deref().and_then(day);
            let x1 = from.map_or(LABEL_W, x);
            let x2 = until.map_or(LABEL_W + CHART_W, x).max(x1 + 2.0);
            let (top, h) = (y + 5.0, ROW_H - 10.0);
            let _ = write!(
                out,
                "<rect x=\"{x1:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{colour}\"/>",
                x2 - x1
            );
            let mid = top + h / 2.0;
            if from.is_none() {
                let _ = write!(
                    out,
                    "<path d=\"M{:.1} {mid:.1} L{x1:.1} {:.1} L{x1:.1} {:.1} z\" fill=\"{colour}\"/>",
                    x1 - 8.0,
                    top - 2.0,
                    top + h + 2.0
                );
            }
            if until.is_none() {
                let _ = write!(
                    out,
                    "<path d=\"M{:.1} {mid:.1} L{x2:.1} {:.1} L{x2:.1} {:.1} z\" fill=\"{colour}\"/>",
                    x2 + 8.0,
                    top - 2.0,
                    top + h + 2.0
                );
            }
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n</svg>\n");
    let _ = writeln!(
        out,
        "<figcaption>One row per finding (severity · rule · subject), one bar per period in which it holds, on a date axis from {} to {}; an arrow at a bar's end: open on that side (from the beginning, or still holding). Bars are coloured by severity: red error, amber warning, blue information; the row's label says which.</figcaption>\n</figure>",
        esc(first_text),
        esc(last_text)
    );
    if report.findings.len() > rows.len() {
        let _ = writeln!(
            out,
            "<p class=\"note\">The first {} of {} findings are charted; every one is listed below.</p>",
            rows.len(),
            report.findings.len()
        );
    }
}

// ---------------------------------------------------------------- precedence

/// `precedence --format html`: the diplomatic list as a table, with the doyen.
pub fn render_precedence(list: &PrecedenceList) -> String {
    let receiver = match &list.receiver_name {
        Some(name) => format!("{} (<code>{}</code>)", user(name), esc(&list.receiver)),
        None => format!("<code>{}</code>", esc(&list.receiver)),
    };
    let title = format!(
        "Diplomatic list of {} as of {}",
        esc(list.receiver_name.as_deref().unwrap_or(&list.receiver)),
        list.as_of
    );
    let sub = format!(
        "Scenario {} (<code>{}</code>), in order of precedence (VCDR art. 16).",
        user(&list.scenario),
        esc(&list.file)
    );
    let mut body = format!(
        "<section aria-labelledby=\"list\">\n<h2 id=\"list\">Heads of mission in {receiver} as of {}</h2>\n",
        list.as_of
    );
    if list.list.is_empty() {
        body.push_str("<p>No head of an open embassy or delegation.</p>\n<p><strong>Doyen:</strong> none</p>\n</section>\n");
    } else {
        body.push_str("<table>\n<thead><tr><th scope=\"col\">Place</th><th scope=\"col\">Mission</th><th scope=\"col\">Sender</th><th scope=\"col\">Name</th><th scope=\"col\">Rank</th><th scope=\"col\">Class</th><th scope=\"col\">Since</th><th scope=\"col\">Note</th></tr></thead>\n<tbody>\n");
        for e in &list.list {
            let _ = writeln!(
                body,
                "<tr><td class=\"n\">{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                e.place,
                esc(&e.mission),
                esc(&e.sender),
                e.name.as_deref().map_or("—".to_string(), user),
                e.rank.word(),
                e.class.map_or("a.i.".to_string(), |c| c.to_string()),
                e.since.map_or("—".to_string(), |d| d.to_string()),
                esc(&super::human::precedence_note(e))
            );
        }
        let _ = writeln!(
            body,
            "</tbody>\n</table>\n<p><strong>Doyen:</strong> {}</p>\n</section>",
            list.doyen
                .as_deref()
                .map_or("none".to_string(), |d| format!("<code>{}</code>", esc(d)))
        );
    }
    page(
        &title,
        "Diplomatic list",
        &sub,
        &body,
        "Written by <code>parity precedence --format html</code>.",
    )
}
