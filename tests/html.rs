//! `--format html`: the Kabul briefing's text as a snapshot, escaping of
//! hostile names, determinism, the command line's wiring, and the page as a
//! headless browser renders it (skipped, with a message, where no chromium
//! is installed).
// Test helpers outside #[test] functions report failures by panicking.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{parity_in, scratch, write};
use parity::lang::ast::Severity;
use parity::report::{Report, html};
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::model::Scenario;
use parity::scenario::world::World;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILE: &str = "fixtures/kabul-2024-09.yaml";
const DATE: &str = "2024-09-27";

fn rules() -> RuleSet {
    RuleSet::standard().unwrap_or_else(|d| panic!("standard rules: {d:#?}"))
}

fn scenario(text: &str, name: &str) -> Scenario {
    load_str(text, name, &YamlLimits::default())
        .unwrap_or_else(|d| panic!("{name} does not load: {d:#?}"))
}

fn kabul() -> Scenario {
    let text = std::fs::read_to_string(FILE).unwrap_or_else(|e| panic!("cannot read {FILE}: {e}"));
    scenario(&text, FILE)
}

fn check_at(scenario: &Scenario, date: Date) -> Report {
    let options = CheckOptions {
        as_of: Some(date),
        ..CheckOptions::default()
    };
    check(scenario, &rules(), &options).unwrap_or_else(|d| panic!("check failed: {d:#?}"))
}

/// The briefing of `scenario` at `date`, as `parity check --format html` writes it.
fn briefing(scenario: &Scenario, date: Date) -> String {
    let report = check_at(scenario, date);
    let world = World::at(scenario, date);
    html::render(&[(&report, &world)], &[], Severity::Error)
}

fn kabul_briefing() -> String {
    briefing(&kabul(), Date::parse(DATE).unwrap())
}

fn timeline_page(scenario: &Scenario) -> String {
    let rules = rules();
    let timeline =
        parity::engine::timeline::timeline(scenario, &rules, None, None, &CheckOptions::default())
            .unwrap_or_else(|d| panic!("timeline: {d:#?}"));
    html::render_timeline(&timeline, &rules)
}

/// The text a reader sees: the style sheet dropped, a line per block
/// element (and per SVG title, description and label), tags removed,
/// entities decoded, blank lines dropped. Layout numbers are not text, so
/// the snapshot changes only when what the page says does.
fn text_of(html: &str) -> String {
    let mut html = html.to_string();
    while let (Some(start), Some(end)) = (html.find("<style>"), html.find("</style>")) {
        html.replace_range(start..end + "</style>".len(), "");
    }
    let mut out = String::new();
    let mut rest = html.as_str();
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let tag = &rest[open + 1..close.saturating_sub(1)];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        const BLOCKS: &[&str] = &[
            "p",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "tr",
            "title",
            "desc",
            "text",
            "figcaption",
            "summary",
            "section",
            "table",
        ];
        let closing = tag.starts_with('/');
        if name == "dt" {
            // `term: definition` on one line.
            if !closing {
                out.push('\n');
            }
        } else if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        } else if !closing && (name == "td" || name == "th") {
            out.push_str(" | ");
        } else if !closing && name == "dd" {
            out.push_str(": ");
        } else if name == "br" {
            out.push(' ');
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The tags the renderer writes; a tag outside it came from file text.
const TAGS: &[&str] = &[
    "!DOCTYPE",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "main",
    "footer",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "code",
    "strong",
    "span",
    "bdi",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "details",
    "summary",
    "svg",
    "desc",
    "defs",
    "marker",
    "path",
    "g",
    "circle",
    "text",
    "line",
    "rect",
];

fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|t| {
            t.trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
                .collect()
        })
        .collect()
}

#[test]
fn snapshot_kabul_briefing_text() {
    insta::assert_snapshot!(text_of(&kabul_briefing()));
}

#[test]
fn snapshot_kabul_timeline_text() {
    insta::assert_snapshot!(text_of(&timeline_page(&kabul())));
}

#[test]
fn the_briefing_says_what_a_desk_officer_needs() {
    let page = kabul_briefing();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n"));
    assert!(page.contains("<title>parity briefing: kabul-2024-09 as of 2024-09-27</title>"));
    let text = text_of(&page);
    // The verdict in words, and the counts.
    assert!(text.contains("Does not pass: 1 finding at or above error. parity exits 1"));
    assert!(text.contains("Errors (1)") && text.contains("Warnings (18, and 15 waived)"));
    // A waived finding is marked, with its waiver's reason.
    let waived = page
        .matches("<li class=\"finding warning waived\">")
        .count();
    assert_eq!(waived, 15);
    assert!(text.contains("Waived: The seed does not name the heads of Afghan missions abroad"));
    // Citation, place and evidence of the error.
    assert!(text.contains("Basis: VCDR art. 13-14; doctrine of implied recognition"));
    assert!(text.contains("Where: fixtures/kabul-2024-09.yaml:269:5"));
    // Evidence in words first; the raw fields folded beneath it.
    assert!(text.contains("China's embassy in Afghanistan: it is headed by an ambassador, Zhao Xing, in office since 2023-09-13; its head presented credentials on 2023-09-13 to Islamic Emirate of Afghanistan (Taliban). (line 269)"));
    assert!(text.contains("head.credentials.to is islamic-emirate (line 279)"));
    // The network: one state node per state involved, the error's mission
    // drawn in the error's colour and named in its title.
    let svg = section(
        &page,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"network\"",
        "</svg>",
    );
    assert_eq!(svg.matches("<g class=\"state ").count(), 19);
    assert!(svg.contains("<path class=\"error\""));
    assert!(
        svg.contains(
            "<title>chn-in-afg: CHN → AFG, ambassador; subject of an error finding</title>"
        )
    );
    assert!(svg.contains("role=\"img\""));
    assert!(page.contains("a state, filled in the colour of its most serious finding"));
    // No script and nothing fetched: `http://` only as the SVG namespace
    // (a name, not a fetch), `url(` only to the page's own markers.
    assert!(!page.contains("<script"));
    // And should escaping ever fail, the page's policy forbids any fetch or
    // script: only its own inline style runs.
    assert!(page.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    ));
    let namespace = "xmlns=\"http://www.w3.org/2000/svg\"";
    assert_eq!(
        page.matches("http://").count(),
        page.matches(namespace).count()
    );
    assert!(!page.contains("https://") && !page.contains("src=") && !page.contains("@import"));
    assert_eq!(page.matches("url(").count(), page.matches("url(#").count());
}

fn section<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in the page"));
    let to = page[from..].find(end).map_or(page.len(), |i| from + i);
    &page[from..to]
}

#[test]
fn the_timeline_charts_every_period() {
    let scenario = kabul();
    let page = timeline_page(&scenario);
    let chart = section(&page, "class=\"timeline\"", "</svg>");
    assert_eq!(chart.matches("<g class=\"row ").count(), 25);
    // One bar per period, each in the colour of its severity; the
    // zebra stripes are the only other rectangles.
    let bars =
        chart.matches("fill=\"#b3261e\"/>").count() + chart.matches("fill=\"#a35a00\"/>").count();
    let arrows = chart.matches("<path ").count();
    let periods = 26; // kaz-in-afg's head-vacant holds twice
    assert_eq!(bars - arrows, periods);
    let text = text_of(&page);
    assert!(
        text.contains("Holds: from the beginning until 2018-04; from 2024-09-09, still at the end")
    );
    assert!(text.contains("Basis: VCDR art. 13-14; doctrine of implied recognition"));
    assert!(text.contains("on a date axis from 2018-04 to 2024-09-27"));
}

/// SYNTHETIC: invented states whose names are markup, entities, quotes and
/// bidi controls; the waiver's reason closes a list item.
const HOSTILE: &str = "\
# Synthetic: invented states with hostile names, for the HTML escaping test.
scenario: hostile
title: \"Title </title><script>t()</script>\"
as_of: 2024-09-27
states:
  - { id: AAA, name: \"<script>alert(\\\"x\\\")</script> & 'Co'\" }
  - { id: BBB, name: \"Bb\\u202Eb <img src=x onerror=alert(1)>\" }
  - { id: CCC, name: \"C&amp;C \\\"quoted\\\" \\u2067isolate\" }
missions:
  - { id: aaa-in-bbb, sender: AAA, receiver: BBB, kind: embassy }
  - { id: bbb-in-aaa, sender: BBB, receiver: AAA, kind: embassy }
  - { id: aaa-in-ccc, sender: AAA, receiver: CCC, kind: embassy }
waivers:
  - rule: head-vacant
    subject: aaa-in-ccc
    reason: \"</li><script>x</script> \\u2066isolate & 'q'\"
";

fn hostile_briefing() -> String {
    let scenario = scenario(HOSTILE, "hostile.yaml");
    briefing(&scenario, Date::parse(DATE).unwrap())
}

#[test]
fn names_from_the_file_are_escaped_everywhere() {
    let page = hostile_briefing();
    // Every tag is one the renderer writes: no markup came from the file.
    for tag in tags(&page) {
        assert!(
            TAGS.contains(&tag.as_str()),
            "unexpected tag <{tag}> in\n{page}"
        );
    }
    assert!(!page.contains("<script") && !page.contains("<img"));
    // The names are there, escaped, in content and attributes alike.
    assert!(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;"));
    assert!(page.contains("C&amp;amp;C &quot;quoted&quot;"));
    assert!(page.contains("&lt;/li&gt;&lt;script&gt;x&lt;/script&gt;"));
    // Bidi controls are shown, not obeyed: none is left in the page.
    for c in [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}',
    ] {
        assert!(!page.contains(c), "{c:?} left in the page");
    }
    assert!(page.contains("Bb\\u{202e}b &lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("\\u{2066}isolate"));
    // Every text from the file sits in a <bdi> in the findings.
    assert!(page.contains(
        "<bdi>&lt;/li&gt;&lt;script&gt;x&lt;/script&gt; \\u{2066}isolate &amp; &#39;q&#39;</bdi>"
    ));
}

#[test]
fn the_timeline_and_precedence_pages_escape_too() {
    let scenario = scenario(HOSTILE, "hostile.yaml");
    let timeline = timeline_page(&scenario);
    let list = parity::engine::precedence::precedence(&scenario, "AAA", &CheckOptions::default())
        .unwrap_or_else(|d| panic!("precedence: {d:#?}"));
    let precedence = html::render_precedence(&list);
    for page in [&timeline, &precedence] {
        for tag in tags(page) {
            assert!(
                TAGS.contains(&tag.as_str()),
                "unexpected tag <{tag}> in\n{page}"
            );
        }
        assert!(!page.contains('\u{202E}'));
    }
    assert!(precedence.contains("<title>Diplomatic list of &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39; as of 2024-09-27</title>"));
}

#[test]
fn the_pages_are_deterministic() {
    assert_eq!(kabul_briefing(), kabul_briefing());
    assert_eq!(timeline_page(&kabul()), timeline_page(&kabul()));
    assert_eq!(hostile_briefing(), hostile_briefing());
}

#[test]
fn the_command_line_writes_the_same_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Exit 1: the fixture's one error is the expected verdict.
    let run = parity_in(root, &["check", FILE, "--as-of", DATE, "--format", "html"]);
    run.exits(1);
    assert_eq!(run.stdout, kabul_briefing());
    let run = parity_in(root, &["timeline", FILE, "--format", "html"]);
    run.exits(0);
    assert_eq!(run.stdout, timeline_page(&kabul()));
    let run = parity_in(
        root,
        &["precedence", FILE, "--receiver", "AFG", "--format", "html"],
    );
    run.exits(0).stdout_has(
        "<h2 id=\"list\">Heads of mission in <bdi>Afghanistan</bdi> (<code>AFG</code>)",
    );
}

// ---------------------------------------------------------------- browser

/// Debian's chromium, where installed.
fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless chromium on `page` with `args`, killed after a minute.
fn browse(browser: &Path, dir: &Path, page: &Path, args: &[&str]) -> String {
    let profile = dir.join("profile");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.display()),
        ])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    // The DOM is read as it comes: a page larger than the pipe's buffer
    // would otherwise block chromium on its write, and the wait below
    // would never see it exit.
    let mut stdout = child.stdout.take().expect("chromium's stdout");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut out);
        out
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().expect("chromium waits").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "chromium did not finish within a minute on {}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = reader.join().expect("the reader thread");
    String::from_utf8_lossy(&output).into_owned()
}

#[test]
fn a_headless_browser_renders_the_picture_and_the_timeline() {
    let Some(browser) = chromium() else {
        println!(
            "skipped: no chromium installed (apt-get install chromium) to load the HTML briefing in"
        );
        return;
    };
    let dir = scratch("html-browser");
    write(&dir, "kabul.html", &kabul_briefing());
    write(&dir, "timeline.html", &timeline_page(&kabul()));
    write(&dir, "hostile.html", &hostile_briefing());
    // The DOM as the browser built it from the file: the picture's states
    // and missions inside its <svg>, not moved out by an error of nesting.
    let dom = browse(&browser, &dir, &dir.join("kabul.html"), &["--dump-dom"]);
    let svg = section(&dom, "class=\"network\"", "</svg>");
    assert_eq!(svg.matches("<circle ").count(), 19, "{svg}");
    assert!(svg.matches("<path class=\"warning\"").count() >= 18);
    assert_eq!(svg.matches("<path class=\"error\"").count(), 1);
    assert!(dom.contains("<h2 id=\"summary\">Summary</h2>"));
    assert!(dom.contains("Does not pass: 1 finding at or above error."));
    // The timeline's rows and bars inside its <svg>.
    let dom = browse(&browser, &dir, &dir.join("timeline.html"), &["--dump-dom"]);
    let chart = section(&dom, "class=\"timeline\"", "</svg>");
    assert_eq!(chart.matches("<g class=\"row ").count(), 25);
    assert!(chart.matches("<rect ").count() >= 26);
    // Hostile names parsed as text: no element came from them.
    let dom = browse(&browser, &dir, &dir.join("hostile.html"), &["--dump-dom"]);
    assert!(!dom.contains("<script") && !dom.contains("<img"), "{dom}");
    assert!(dom.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'Co'"));
    // And it paints: a screenshot of the briefing is written.
    let shot = dir.join("kabul.png");
    browse(
        &browser,
        &dir,
        &dir.join("kabul.html"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,2000",
        ],
    );
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
}

/// SYNTHETIC: `n` invented states, an embassy of each in every other, the
/// embassy of each in the next with no head (a `head-vacant` warning each).
fn dense(n: usize) -> String {
    let mut yaml = String::from(
        "# Synthetic, invented states.\nscenario: dense\nas_of: 2024-01-01\nstates:\n",
    );
    for i in 0..n {
        yaml.push_str(&format!("  - {{ id: S{i:02}, name: State {i:02} }}\n"));
    }
    yaml.push_str("missions:\n");
    for i in 0..n {
        for j in (0..n).filter(|j| *j != i) {
            let head = if j == (i + 1) % n {
                String::new()
            } else {
                format!(
                    ", heads: [{{ rank: ambassador, from: 2020-01-01, credentials: {{ to: S{j:02} }} }}]"
                )
            };
            yaml.push_str(&format!(
                "  - {{ id: s{i:02}-in-s{j:02}, sender: S{i:02}, receiver: S{j:02}, kind: embassy, from: 2020-01-01{head} }}\n"
            ));
        }
    }
    yaml
}

#[test]
fn a_large_world_is_drawn_within_bounds_and_says_what_it_left_out() {
    let scenario = scenario(&dense(50), "dense.yaml");
    let page = briefing(&scenario, Date::parse("2024-01-01").unwrap());
    let svg = section(&page, "class=\"network\"", "</svg>");
    assert_eq!(svg.matches("<g class=\"state ").count(), 40);
    // 1560 missions among the 40: only those with findings are drawn, and
    // each of them is.
    let drawn = svg.matches("<path class=\"warning\"").count();
    assert_eq!(drawn, 39);
    assert_eq!(svg.matches("<path class=\"none\"").count(), 0);
    assert!(page.contains("40 of the 50 states involved are drawn"));
    assert!(page.contains("39 of the 1560 missions among them are drawn"));
    // The findings are all listed, drawn or not.
    assert_eq!(page.matches("<li class=\"finding warning\">").count(), 50);
    // Warnings only: it passes at the default --fail-on error, and says so.
    assert!(page.contains("<p class=\"verdict pass\">Passes: no finding at or above error and no failing claim (50 findings below it, listed for review). parity exits 0.</p>"));
    let strict = html::render(
        &[(
            &check_at(&scenario, Date::parse("2024-01-01").unwrap()),
            &World::at(&scenario, Date::parse("2024-01-01").unwrap()),
        )],
        &[],
        Severity::Warning,
    );
    assert!(
        strict
            .contains("<p class=\"verdict fail\">Does not pass: 50 findings at or above warning.")
    );
}

#[test]
fn a_failing_claim_is_in_the_verdict() {
    let text = std::fs::read_to_string(FILE).unwrap().replacen(
        "class(m.head.rank) == 1) == 6",
        "class(m.head.rank) == 1) == 7",
        1,
    );
    let page = briefing(&scenario(&text, FILE), Date::parse(DATE).unwrap());
    assert!(page.contains("Does not pass: 1 finding at or above error and 1 failing claim."));
    assert!(page.contains("Claims (5 of 6 hold)"));
    assert!(page.contains("<li><span class=\"badge error\">fails</span> <bdi>Only six missions in Kabul are headed by ambassadors</bdi>"));
}

#[test]
fn a_file_that_could_not_be_checked_is_in_the_briefing() {
    let dir = scratch("html-failed");
    write(
        &dir,
        "broken.yaml",
        "# synthetic\nscenario: broken\nstates: [\n",
    );
    write(&dir, "dense.yaml", &dense(3));
    let run = parity_in(
        &dir,
        &["check", "broken.yaml", "dense.yaml", "--format", "html"],
    );
    run.exits(2)
        .stdout_has("<title>parity briefing: 1 scenario and 1 file not checked</title>")
        .stdout_has("Not complete: 1 file could not be checked, so parity exits 2")
        .stdout_has("<h3>Not checked: 1 file with input errors</h3>")
        .stdout_has("<code>broken.yaml:3:9</code> <strong>yaml-syntax</strong>");
}
