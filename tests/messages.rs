//! Messages of issue 9: YAML errors classified by their kind, every error at
//! a real place and reported once, undecodable bytes located, plain scalars
//! in text fields taken as written, and file text escaped wherever a
//! terminal, an annotation or Markdown shows it.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Shown;
use parity::diag::{Code, Diagnostic, Loc, Span, printable};
use parity::lang::ast::Severity;
use parity::report::{Report, github, human, junit, markdown};
use parity::scenario::date::Date;
use parity::scenario::load::{decode_utf8, load_proposals_str, load_rule_tests, load_str};
use parity::scenario::model::Scenario;
use parity::scenario::world::World;
use parity::scenario::yaml::{self, YamlLimits, subset};
use parity::{CheckOptions, RuleSet, check};

fn errors_with(text: &str, limits: &YamlLimits) -> Vec<Diagnostic> {
    match load_str(text, "t.yaml", limits) {
        Ok(_) => panic!("expected errors, the scenario loaded:\n{text}"),
        Err(diags) => diags,
    }
}

/// The one diagnostic of a scenario text.
fn only(text: &str) -> Shown {
    only_with(text, &YamlLimits::default())
}

fn only_with(text: &str, limits: &YamlLimits) -> Shown {
    let diags = errors_with(text, limits);
    assert_eq!(diags.len(), 1, "expected one diagnostic, got {diags:#?}");
    Shown::new(diags.into_iter().next().unwrap(), text)
}

fn assert_diag(d: &Shown, code: &str, message: &str, line: u32, column: u32) {
    assert_eq!(d.code, code, "{d:#?}");
    assert_eq!(d.message, message, "{d:#?}");
    assert_eq!(d.loc, Loc::new(line, column), "{d:#?}");
    assert_eq!(d.file, "t.yaml");
}

fn help(d: &Diagnostic) -> &str {
    d.help.as_deref().unwrap_or("")
}

// ---------------------------------------------------------------------------
// The root: located, reported once

#[test]
fn a_root_list_is_one_error_at_its_place() {
    let d = only("- scenario: t\n- states: []\n");
    assert_diag(
        &d,
        "wrong-type",
        "expected a scenario (a mapping with `scenario:`, `states:`, ...), found a list",
        1,
        1,
    );
    // After comments, and read by serde-saphyr (a flow list): where it starts.
    let d = only("# a comment\n\n  [a, b]\n");
    assert_eq!((d.code.as_str(), d.loc), ("wrong-type", Loc::new(3, 3)));
    let d = only("---\njust text\n");
    assert_diag(
        &d,
        "wrong-type",
        "expected a scenario (a mapping with `scenario:`, `states:`, ...), found a string",
        2,
        1,
    );
}

#[test]
fn a_root_mapping_without_its_id_is_located_at_its_first_key() {
    let d = only("# c\ntitle: x\n");
    assert_diag(&d, "missing-key", "the scenario needs `scenario`", 2, 1);
    let d = only("{title: x}\n");
    assert_diag(&d, "missing-key", "the scenario needs `scenario`", 1, 1);
}

#[test]
fn rule_test_files_and_their_scenarios_report_a_wrong_root_once() {
    let limits = YamlLimits::default();
    let one = |text: &str| {
        let diags = load_rule_tests(text, "t.yaml", &limits).unwrap_err();
        assert_eq!(diags.len(), 1, "{diags:#?}");
        Shown::new(diags.into_iter().next().unwrap(), text)
    };
    let d = one("- rule: x\n");
    assert_diag(
        &d,
        "wrong-type",
        "expected a rule-test file (a mapping with `rule:` and `cases:`), found a list",
        1,
        1,
    );
    let d = one("\n\n");
    assert_eq!((d.code.as_str(), d.loc), ("wrong-type", Loc::new(1, 1)));
    assert!(d.message.ends_with("found nothing (null)"), "{d:?}");
    let d = one("rule: head-vacant\ncases:\n  - name: c\n    fires: []\n    scenario: [a]\n");
    assert_diag(
        &d,
        "wrong-type",
        "expected a scenario (a mapping with `scenario:`, `states:`, ...), found a list",
        5,
        15,
    );
}

#[test]
fn a_proposals_file_that_is_a_list_is_one_error() {
    let limits = YamlLimits::default();
    let scenario = load_str("scenario: t\n", "s.yaml", &limits).unwrap();
    let diags = load_proposals_str(
        "\n- id: p\n",
        parity::source::SourceId(0),
        "t.yaml",
        &limits,
        &scenario,
    )
    .unwrap_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_diag(
        &Shown::new(diags[0].clone(), "\n- id: p\n"),
        "wrong-type",
        "expected a mapping with `proposals:`, found a list",
        2,
        1,
    );
}

#[test]
fn no_diagnostic_is_ever_at_line_or_column_0() {
    let limits = YamlLimits::default();
    for text in [
        "",
        "- a\n",
        "x\n",
        "[]\n",
        "{}\n",
        "~\n",
        "&a x\n",
        "- *a\n",
        "a: 1\n---\n",
        "\t- a\n",
    ] {
        let results = [
            load_str(text, "t.yaml", &limits).err(),
            load_rule_tests(text, "t.yaml", &limits).err(),
        ];
        for diags in results.into_iter().flatten() {
            for d in &diags {
                let loc = d.loc_in(text);
                assert!(loc.line >= 1 && loc.column >= 1, "{text:?}: {d:?}");
                assert!(!d.render(Some(text)).contains(":0"), "{text:?}: {d:?}");
            }
        }
    }
    assert_eq!(Loc::default(), Loc::new(1, 1));
    assert_eq!(Loc::new(0, 0), Loc::new(1, 1));
    // The root node itself is located, by both readers.
    let tree = yaml::parse("# c\nscenario: t\n", "t.yaml", &limits).unwrap();
    assert_eq!(tree.span.start, 4, "line 2, column 1");
    let tree = yaml::parse_full("# c\nscenario: t\n", "t.yaml", &limits).unwrap();
    assert_eq!(tree.span.start, 4, "line 2, column 1");
}

// ---------------------------------------------------------------------------
// YAML errors by kind

/// Ten levels of ten aliases each: 10^10 values if expanded.
fn alias_bomb() -> String {
    let mut bomb = String::from("scenario: t\na: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 0..9u8 {
        let (name, prev) = ((b'b' + i) as char, (b'a' + i) as char);
        bomb += &format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 10].join(",")
        );
    }
    bomb
}

#[test]
fn a_second_document_is_named_as_such_where_it_starts() {
    // Synthetic.
    let text = "scenario: t\nstates:\n  - id: AAA\n---\nscenario: u\n";
    assert!(subset::parse(text, &YamlLimits::default()).is_none());
    let d = only(text);
    assert_diag(
        &d,
        "yaml-multiple-documents",
        "a scenario file holds one YAML document; this file has a second one starting here",
        4,
        1,
    );
    assert!(help(&d).contains("a file of its own"), "{d:?}");
    // After an explicit end of document, the second starts at its content.
    let d = only("scenario: t\n...\n# next\nscenario: u\n");
    assert_eq!(
        (d.code.as_str(), d.loc),
        ("yaml-multiple-documents", Loc::new(4, 1))
    );
}

#[test]
fn an_alias_to_an_undefined_anchor_names_the_alias() {
    // Synthetic.
    let text = "scenario: t\nstates:\n  - id: AAA\n    name: *nam\n";
    let d = only(text);
    assert_diag(
        &d,
        "yaml-unknown-anchor",
        "the alias `*nam` refers to no anchor",
        4,
        11,
    );
    assert_eq!(d.width, 4);
    assert!(help(&d).contains("`&nam`"), "{d:?}");
    // In a flow list too, the name ends at the comma.
    let d = only("scenario: t\nstates: [*one, b]\n");
    assert_diag(
        &d,
        "yaml-unknown-anchor",
        "the alias `*one` refers to no anchor",
        2,
        10,
    );
}

#[test]
fn the_node_limit_names_its_flag_and_value() {
    // Synthetic: 30 states, 3 nodes each (mapping, key, value), more than 50.
    let mut text = String::from("scenario: t\nstates:\n");
    for i in 0..30 {
        text += &format!("  - id: S{i}\n");
    }
    let limits = YamlLimits {
        max_nodes: 50,
        ..YamlLimits::default()
    };
    // The fast reader declines what passes the limit; serde-saphyr reports.
    assert!(subset::parse(&text, &limits).is_none());
    assert!(subset::parse(&text, &YamlLimits::default()).is_some());
    let d = only_with(&text, &limits);
    assert_eq!(d.code, "yaml-node-limit");
    assert_eq!(
        d.message,
        "the YAML has more than 50 nodes (lists, mappings and values)"
    );
    assert_eq!(d.loc.line, 18, "{d:?}");
    assert_eq!(
        help(&d),
        "raise the limit with --limit-yaml-nodes (now 50) if the file is genuine"
    );
}

#[test]
fn aliases_that_pass_the_node_limit_say_so() {
    let limits = YamlLimits {
        max_nodes: 1_000,
        ..YamlLimits::default()
    };
    let d = only_with(&alias_bomb(), &limits);
    assert_eq!(d.code, "yaml-node-limit");
    assert_eq!(
        d.message,
        "the YAML has more than 1000 nodes, counting each value an alias repeats"
    );
    // At the alias being expanded, on the `c:` line.
    assert_eq!(d.loc, Loc::new(4, 29), "{d:?}");
    assert!(help(&d).contains("--limit-yaml-nodes (now 1000)"), "{d:?}");
}

#[test]
fn a_real_alias_bomb_is_an_alias_limit_not_a_node_limit() {
    let d = only(&alias_bomb());
    assert_eq!(d.code, "yaml-alias-limit");
    assert_eq!(
        d.message,
        "the YAML expands to too much data: anchors hold more than 100000 values for aliases to repeat"
    );
    assert_eq!(d.loc.line, 6, "{d:?}");
    assert!(help(&d).contains("billion laughs"), "{d:?}");
    assert!(!help(&d).contains("--limit"), "no flag raises it: {d:?}");
}

#[test]
fn one_anchor_repeated_too_often_is_an_alias_limit() {
    // Synthetic: 10,001 aliases of one small anchor.
    let mut text = String::from("scenario: t\na: &a x\nb: [");
    text += &vec!["*a"; 10_001].join(",");
    text += "]\n";
    let d = only(&text);
    assert_eq!(d.code, "yaml-alias-limit");
    assert_eq!(
        d.message,
        "the YAML expands to too much data: aliases repeat one anchor more than 10000 times"
    );
    assert_eq!(d.loc.line, 3, "{d:?}");
}

#[test]
fn deep_nesting_is_a_depth_limit_with_the_limit_named() {
    let text = format!("scenario: t\ntitle: {}{}\n", "[".repeat(40), "]".repeat(40));
    let d = only(&text);
    assert_diag(&d, "yaml-depth-limit", "the YAML nests too deeply", 2, 39);
    assert!(help(&d).contains("at most 32 levels"), "{d:?}");
    // The parser's own recursion limit (unclosed brackets) is the same error.
    let d = only(&"[".repeat(100_000));
    assert_eq!(
        (d.code.as_str(), d.loc.line),
        ("yaml-depth-limit", 1),
        "{d:?}"
    );
}

#[test]
fn syntax_errors_keep_the_parsers_words() {
    let d = only("scenario: t\nstates: [\n  {id: KAZ}\n");
    assert_diag(
        &d,
        "yaml-syntax",
        "invalid YAML: unclosed bracket '['",
        2,
        9,
    );
    let d = only("scenario: t\nscenario: u\n");
    assert_diag(&d, "yaml-syntax", "duplicate key `scenario`", 2, 1);
}

// ---------------------------------------------------------------------------
// Plain scalars in text fields

#[test]
fn plain_scalars_in_text_fields_are_taken_as_written() {
    let text = "\
scenario: t
title: 1e3
states:
  - id: AAA
    name: .inf
  - id: BBB
    name: -.Inf
  - id: CCC
    name: .nan
  - id: DDD
    name: 0x1F
  - id: EEE
    name: True
  - id: FFF
    name: +12   # a comment
  - id: GGG
    name: 0o17
  - {id: HHH, name: 1.50}
  - id: III
    name: yes
missions:
  - id: m
    sender: AAA
    receiver: BBB
    kind: embassy
    city: 2024
";
    let s: Scenario = match load_str(text, "t.yaml", &YamlLimits::default()) {
        Ok(s) => s,
        Err(d) => panic!("{d:#?}"),
    };
    let names: Vec<&str> = s
        .states
        .iter()
        .filter_map(|st| st.name.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            ".inf", "-.Inf", ".nan", "0x1F", "True", "+12", "0o17", "1.50", "yes"
        ]
    );
    assert_eq!(s.title.as_deref(), Some("1e3"));
    assert_eq!(s.missions[0].city.as_deref(), Some("2024"));
}

#[test]
fn ids_counts_and_dates_stay_strict_about_numbers() {
    let d = only("scenario: t\nstates:\n  - id: .inf\n");
    assert_diag(&d, "wrong-type", "expected an id, found a number", 3, 9);
    let d = only("scenario: t\nstates:\n  - id: true\n");
    assert_diag(&d, "wrong-type", "expected an id, found a boolean", 3, 9);
    let d = only(concat!(
        "scenario: t\nstates: [{id: A}, {id: B}]\nmissions:\n",
        "  - {id: m, sender: A, receiver: B, kind: embassy, staff: [{diplomats: .nan}]}\n"
    ));
    assert_eq!((d.code.as_str(), d.loc.line), ("wrong-type", 4), "{d:?}");
    assert_eq!(d.message, "expected a non-negative integer, found a number");
    let d = only("scenario: t\nas_of: 2024.5\n");
    assert_diag(&d, "wrong-type", "expected a date, found a number", 2, 8);
}

// ---------------------------------------------------------------------------
// Undecodable bytes

#[test]
fn invalid_utf8_is_located_at_its_line_and_column() {
    let bytes = b"scenario: t\nstates:\n  - id: AAA\n    name: Cura\xe7ao\n".to_vec();
    let d = decode_utf8(bytes, "t.yaml").unwrap_err();
    assert_diag(
        &Shown::new(d, ""),
        "invalid-utf8",
        "the file is not UTF-8 text: byte 0xE7 here",
        4,
        15,
    );
    // Columns count the characters before it, not bytes.
    let mut bytes = "é: ü".as_bytes().to_vec();
    bytes.push(0xff);
    assert_eq!(
        decode_utf8(bytes, "t.yaml").unwrap_err().loc_in(""),
        Loc::new(1, 5)
    );
    assert_eq!(
        decode_utf8(b"scenario: t\n".to_vec(), "t.yaml").unwrap(),
        "scenario: t\n"
    );
}

// ---------------------------------------------------------------------------
// Escaping

const ESC: &str = "\u{1b}[31m";
const RLO: char = '\u{202e}';

/// No raw control character (but the newlines between lines) and no bidi control.
fn assert_printable(format: &str, text: &str) {
    for (number, line) in text.lines().enumerate() {
        let bad = line.chars().find(|&c| {
            (c.is_control() && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
        });
        assert!(
            bad.is_none(),
            "{format}, line {}: {bad:?} in {line:?}",
            number + 1
        );
    }
    assert!(!text.contains('\r'), "{format}: a carriage return");
}

#[test]
fn printable_escapes_controls_and_bidi_and_nothing_else() {
    assert!(matches!(
        printable("Kraków, 北京 — ok"),
        std::borrow::Cow::Borrowed(_)
    ));
    assert_eq!(
        printable("a\u{1b}[31mb\u{202e}c\u{0}\u{7f}\u{85}\td\ne\u{2066}\u{200f}\u{61c}"),
        "a\\u{1b}[31mb\\u{202e}c\\u{0}\\u{7f}\\u{85}\\u{9}d\\u{a}e\\u{2066}\\u{200f}\\u{61c}"
    );
}

/// A scenario whose names, city, claim title and waiver reason hold an
/// escape sequence, a right-to-left override and a C1 control.
fn hostile_text() -> String {
    format!(
        "\
scenario: t
states:
  - id: AAA
    name: \"Red{esc}land{rlo}gnp.exe\\x85\"
  - id: BBB
    name: \"B\\u202Eb\\0\"
missions:
  - id: m
    sender: AAA
    receiver: BBB
    kind: embassy
    city: \"Ci\\x1bty\"
expect:
  - claim: count(m in missions) == 2
    title: \"two{esc}\\u2066\"
",
        esc = "\\e[31m",
        rlo = "\\u202E",
    )
}

fn hostile_report() -> (Scenario, Report) {
    let text = hostile_text();
    let scenario = match load_str(&text, "t\u{1b}]8;;x\u{7}.yaml", &YamlLimits::default()) {
        Ok(s) => s,
        Err(d) => panic!("{d:#?}"),
    };
    // The data is read exactly.
    assert_eq!(
        scenario.states[0].name.as_deref(),
        Some(format!("Red{ESC}land{RLO}gnp.exe\u{85}").as_str())
    );
    let rules = RuleSet::standard().unwrap();
    let options = CheckOptions {
        as_of: Some(Date::parse("2024-01-01").unwrap()),
        ..CheckOptions::default()
    };
    let report = check(&scenario, &rules, &options).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "head-vacant" && f.message.contains(ESC) && f.message.contains(RLO)),
        "{:#?}",
        report.findings
    );
    assert_eq!(report.summary.claims_failed, 1);
    (scenario, report)
}

#[test]
fn file_text_is_escaped_in_every_human_facing_format() {
    let (scenario, report) = hostile_report();
    let text = hostile_text();
    let rules = RuleSet::standard().unwrap();
    let world = World::at(&scenario, Date::parse("2024-01-01").unwrap());
    let outputs = [
        ("human", human::render(&report, Some(&text))),
        ("github", github::render(std::slice::from_ref(&report), &[])),
        ("markdown", markdown::render(&[(&report, &world)], &[])),
        (
            "junit",
            junit::render(
                std::slice::from_ref(&report),
                &[],
                &rules,
                Severity::Warning,
            ),
        ),
    ];
    for (format, output) in &outputs {
        assert_printable(format, output);
        assert!(output.contains("\\u{1b}[31m"), "{format}:\n{output}");
        assert!(output.contains("\\u{202e}"), "{format}:\n{output}");
    }
    let human = &outputs[0].1;
    assert!(
        human.contains("warning[head-vacant]: Red\\u{1b}[31mland\\u{202e}gnp.exe\\u{85}'s embassy in B\\u{202e}b\\u{0} has no head"),
        "{human}"
    );
    // The quoted source line is escaped too; the file name as well.
    assert!(
        human.contains("--> t\\u{1b}]8;;x\\u{7}.yaml:8:5"),
        "{human}"
    );
    assert!(human.contains("FAILS  two\\u{1b}[31m\\u{2066}"), "{human}");
    // GitHub: one command per finding, the runner's %-escaping on top.
    let github = &outputs[1].1;
    assert!(
        github.contains("::warning file=t\\u{1b}]8;;x\\u{7}.yaml,line=8,col=5,title=head-vacant::Red\\u{1b}[31mland"),
        "{github}"
    );
    // Markdown: the backslash of the escape is itself escaped, to show as written.
    let md = &outputs[2].1;
    assert!(md.contains("Red\\\\u{1b}\\[31mland\\\\u{202e}"), "{md}");
    // JUnit: well-formed XML whose text reads as the escape.
    let xml = &outputs[3].1;
    let doc = roxmltree::Document::parse(xml).unwrap();
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure") && n.attribute("type") == Some("head-vacant"))
        .unwrap();
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .starts_with("Red\\u{1b}[31mland\\u{202e}gnp.exe\\u{85}'s embassy"),
        "{xml}"
    );
}

#[test]
fn json_keeps_the_exact_text() {
    let (_, report) = hostile_report();
    let value = serde_json::to_value(&report).unwrap();
    let messages: Vec<&str> = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains(ESC) && m.contains(RLO)),
        "{messages:?}"
    );
}

#[test]
fn diagnostics_escape_the_file_text_they_quote() {
    // An invalid id holding an escape sequence and a bidi override.
    let text = "scenario: t\nstates:\n  - id: \"A\\e[2J\\u202Eb\"\n";
    let d = only(text);
    assert_eq!(d.code, "invalid-id");
    // The diagnostic keeps the data exact (JSON shows it so) ...
    assert_eq!(d.message, "`A\u{1b}[2J\u{202e}b` is not a valid id");
    // ... and the rendering shows it.
    let rendered = d.render(Some(text));
    assert_printable("diagnostic", &rendered);
    assert!(
        rendered.starts_with("error[invalid-id]: `A\\u{1b}[2J\\u{202e}b` is not a valid id\n"),
        "{rendered}"
    );
    // A raw control character is a YAML error; the quoted line shows it
    // escaped, underlined whole.
    let text = "scenario: t\nstates:\n  - {id: AAA, name: \"\u{1b}\", idd: x}\n";
    let d = only(text);
    assert_diag(
        &d,
        "yaml-syntax",
        "invalid YAML: unexpected character: `\\u{1b}'",
        3,
        22,
    );
    let rendered = d.render(Some(text));
    assert_printable("diagnostic", &rendered);
    let lines: Vec<&str> = rendered.lines().collect();
    assert_eq!(lines[3], "3 |   - {id: AAA, name: \"\\u{1b}\", idd: x}");
    assert_eq!(lines[4], "  |                      ^^^^^^");
    // A raw bidi control is valid YAML: after its escape, the caret still
    // lines up under the unknown key.
    let text = "scenario: t\nstates:\n  - {id: AAA, name: x\u{202e}y, idd: x}\n";
    let d = only(text);
    assert_eq!((d.code.as_str(), d.loc), ("unknown-key", Loc::new(3, 26)));
    let rendered = d.render(Some(text));
    assert_printable("diagnostic", &rendered);
    let lines: Vec<&str> = rendered.lines().collect();
    assert_eq!(lines[3], "3 |   - {id: AAA, name: x\\u{202e}y, idd: x}");
    let caret = lines[4].find('^').unwrap();
    assert_eq!(&lines[3][caret..caret + 3], "idd", "{rendered}");
    assert_eq!(lines[4][caret..].trim_end(), "^^^");
}

#[test]
fn a_tab_in_the_quoted_line_stays_a_tab_under_which_the_caret_aligns() {
    let d = Diagnostic::new(Code::WrongType, "t.yaml", Span::new(3, 4), "m").with_width(1);
    let rendered = d.render(Some("\ta: b"));
    assert_eq!(
        rendered,
        "error[wrong-type]: m\n --> t.yaml:1:4\n  |\n1 | \ta: b\n  | \t  ^\n"
    );
}

/// Every finding of the standard rules on every bundled fixture, at every
/// date a finding starts, gives its evidence as sentences: no field path,
/// no `name = value`, no `(none)` (issue 13: the facts in words).
#[test]
fn every_standard_finding_on_the_fixtures_reads_in_words() {
    use parity::scenario::date::Date;
    let rules = parity::RuleSet::standard().unwrap();
    let mut files: Vec<_> = std::fs::read_dir("fixtures")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut seen = std::collections::BTreeSet::new();
    for file in &files {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let scenario = parity::scenario::load::load_str(
            &text,
            &name,
            &parity::scenario::yaml::YamlLimits::default(),
        )
        .unwrap_or_else(|d| panic!("{name}: {d:#?}"));
        let options = parity::CheckOptions::default();
        let timeline =
            parity::engine::timeline::timeline(&scenario, &rules, None, None, &options).unwrap();
        let dates: std::collections::BTreeSet<&String> = timeline
            .findings
            .iter()
            .flat_map(|f| f.periods.iter().filter_map(|p| p.from.as_ref()))
            .collect();
        for date in dates {
            let options = parity::CheckOptions {
                as_of: Date::parse(date).ok(),
                ..parity::CheckOptions::default()
            };
            let report = parity::check(&scenario, &rules, &options).unwrap();
            for finding in &report.findings {
                seen.insert(finding.rule.clone());
                let why = finding.why();
                let at = format!("{name} on {date}, {} {:?}", finding.rule, finding.subject);
                assert!(!finding.evidence.is_empty(), "{at}: no evidence");
                assert!(!why.is_empty(), "{at}: no words");
                for evidence in &finding.evidence {
                    assert!(
                        evidence.text.ends_with('.') && !evidence.text.starts_with(':'),
                        "{at}: {:?}",
                        evidence.text
                    );
                }
                for bad in ["(none)", " = ", "head.", "credentials.to", "_"] {
                    assert!(!why.contains(bad), "{at}: {bad:?} in {why:?}");
                    assert!(
                        !finding.message.contains("(none)"),
                        "{at}: {}",
                        finding.message
                    );
                }
            }
        }
    }
    // The fixtures exercise most of the standard rules; the count guards
    // against a loop that checks nothing.
    assert!(seen.len() >= 8, "{seen:?}");
}
