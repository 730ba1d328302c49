//! The rule formatter: canonical layout, idempotence, meaning and comments kept.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::lang::fmt::{comment_texts, format_rules, without_spans};
use parity::lang::parse::parse_rules;
use parity::lang::ruleset::STANDARD;

fn fmt(text: &str) -> String {
    format_rules(text, "t.rules").unwrap_or_else(|d| panic!("does not parse: {d:#?}\n{text}"))
}

/// The `#` comments of a text, in order.
fn comments(text: &str) -> Vec<&str> {
    comment_texts(text, &parse_rules(text, "t.rules").unwrap())
}

/// Formatting is idempotent, keeps the meaning (the tree without spans)
/// and every comment; returns the formatted text.
fn check_round_trip(text: &str) -> String {
    let once = fmt(text);
    assert_eq!(fmt(&once), once, "not idempotent on:\n{text}\n---\n{once}");
    let before = parse_rules(text, "t.rules").unwrap();
    let after = parse_rules(&once, "t.rules").unwrap();
    assert_eq!(
        without_spans(&after),
        without_spans(&before),
        "meaning changed:\n{text}\n---\n{once}"
    );
    assert!(once.ends_with('\n') || once.is_empty());
    once
}

#[test]
fn standard_rules_are_formatted() {
    for (file, _) in STANDARD {
        let text = std::fs::read_to_string(file).unwrap();
        let once = check_round_trip(&text);
        assert_eq!(comments(&once), comments(&text), "{file}");
        assert_eq!(once, text, "{file} is not in the canonical layout");
    }
}

#[test]
fn span_insensitive_comparison_sees_differences() {
    let a = parse_rules(&messy_rule("a and b or c"), "t").unwrap();
    let b = parse_rules(&messy_rule("a and (b or c)"), "t").unwrap();
    let c = parse_rules(&messy_rule("\n   a   and b\n or c"), "t").unwrap();
    assert_ne!(without_spans(&a), without_spans(&b));
    assert_eq!(without_spans(&a), without_spans(&c));
    assert_ne!(a, c, "spans differ");
}

fn messy_rule(require: &str) -> String {
    format!(
        "rule r {{ title \"T\" severity error cite \"C\" for m in missions require {require} message \"M\" }}"
    )
}

/// Hand-made messy inputs: (name, text).
const MESSY: &[(&str, &str)] = &[
    (
        "one-line rule",
        r#"rule a {title"T"severity warning cite"C"for m in missions where m.kind==embassy require m.head!=none message"{m.id}"}"#,
    ),
    (
        "clauses out of order, odd spacing",
        "rule   b{\n\n\n   message   \"x {  m.id  } y\"\n for m   in missions ,n in missions\n  subject n ,m\n cite \"c\"   severity info\n\ttitle \"t\"\n  about \"a\" where m.id<n.id   }\n",
    ),
    (
        "comments everywhere",
        "# file header\n\n\n# about b\nrule c { # after the brace\n  # before title\n  title \"T\" # after title\n  severity error\n  cite \"C\"\n  for m in missions\n  where # after where\n    m.kind == embassy # first\n    # before second\n    and m.head != none # second\n    and class(m.head.rank) == 1\n  message \"M\" # after message\n  # before the brace\n} # after the brace\n# between\n\n\n# also between\n\nrule d { title \"T\" severity error cite \"C\" for m in missions message \"M\" }\n# trailing\n\n# file end\n",
    ),
    (
        "deeply parenthesised",
        "rule e { title \"T\" severity error cite \"C\" for m in missions\n  where ((((m.kind == embassy)))) and ((m.head != none) and (not (m.head.proposed)))\n  require (a or (b or c)) and (((d and e)) or f) and not (g == h) and (i == j) == k and (not x) in y\n  message \"M\" }",
    ),
    (
        "templates with braces and escapes",
        r#"rule f { title "a \"quoted\" \\ title\twith tab" severity error cite "line\nbreak" for m in missions message "{{literal}} {m.id}}} and {{{ class(m.head.rank) }" }"#,
    ),
    (
        "strings in holes and expressions",
        "rule g { title \"T\" severity error cite \"C\" for m in missions where m.city in [\"Kabul\" , \"# not a comment\",] require f(\"}\",1.50, 2024-09 ,2024-09-27,true,false,none) message \"{f(\"}{\")} #notcomment\" }",
    ),
    (
        "numbers",
        "rule h { title \"T\" severity error cite \"C\" for m in missions require m.staff <= 001.500 and m.staff > 0.0 and m.staff != 12345678901234567890123 and m.staff < 99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999 message \"M\" }",
    ),
    (
        "long chains break",
        "rule i { title \"T\" severity error cite \"C\" for m in missions, r in missions where m.kind == embassy and r.kind == embassy and r.sender == m.receiver and r.receiver == m.sender and m.id < r.id or exists(g in governments where g.state == m.receiver and g.in_control) require count(x in missions where x.sender == m.sender) == 1 and not exists(g in governments where g.state == m.receiver and g.in_control and g.from < 2020-01) message \"M\" }",
    ),
    (
        "quantifiers, not in, calls with spaces",
        "rule j { title \"T\" severity error cite \"C\" for m in missions where not exists ( g in governments ) and count(g in governments)==0 and m.head.rank not   in [ambassador,nuncio] and not not m.head.proposed require recognition (m.sender , m.head.credentials.to) == de-jure message \"M\" }",
    ),
    (
        "a comment that cannot be placed keeps the rule as written",
        "# kept\nrule k { title \"T\" severity error cite \"C\"\n  for m in missions,   # which\n      r in missions\n  where f(m.id, # odd\n   r.id)\n    message \"M\"   }\n\n\nrule l { title \"T\" severity error cite \"C\" for m in missions message \"M\" }",
    ),
    (
        "comments between rule and brace",
        "rule m # id\n{ title \"T\" severity error cite \"C\" for m in missions message \"M\" }\n",
    ),
    (
        "parenthesised or in and keeps its parentheses, and chains in parentheses",
        "rule n { title \"T\" severity error cite \"C\" for m in missions where (a # c1\n and b) and (c or d) require (a and b) or (c and d) or (not e) message \"M\" }",
    ),
    (
        "escapes in a string inside a hole, CRLF line ends",
        "# crlf\r\nrule o {\r\n  title \"T\" severity error cite \"C\" # c\r\n  for m in missions\r\n  message \"{f(\"a\\\"b\\n\")} {{x}}\"\r\n}\r\n",
    ),
    ("only comments", "\n\n# nothing here\n   # but comments\n"),
    ("empty", ""),
];

#[test]
fn messy_inputs_round_trip() {
    for (name, text) in MESSY {
        let once = check_round_trip(text);
        assert_eq!(comments(&once), comments(text), "{name}: comments changed");
    }
}

#[test]
fn snapshot_messy_file() {
    let text: String = MESSY
        .iter()
        .map(|(name, text)| format!("# --- {name}\n{text}\n"))
        .collect();
    let once = check_round_trip(&text);
    insta::assert_snapshot!("fmt_messy", once);
}

#[test]
fn errors_are_the_parsers() {
    let errors = format_rules("rule x {", "bad.rules").unwrap_err();
    assert_eq!(errors[0].code, "rule-syntax");
}

/// Broken or partial input is an error, never a panic; whatever parses
/// round-trips.
#[test]
fn prefixes_never_panic() {
    let text: String = MESSY.iter().map(|(_, t)| format!("{t}\n")).collect();
    for (k, _) in text.char_indices().step_by(3) {
        let prefix = &text[..k];
        if format_rules(prefix, "t.rules").is_ok() {
            check_round_trip(prefix);
        }
    }
}
