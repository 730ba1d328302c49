//! The fast YAML reader (`scenario::yaml::subset`) against serde-saphyr.
//!
//! Wherever the fast reader answers, whole or cut in pieces, it must give
//! exactly serde-saphyr's tree: values, key order, locations. Documents are
//! generated (SYNTHETIC) from tricky scalars and every layout the subset
//! knows, then some are damaged a character at a time so that the reader also
//! meets what it must decline.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::scenario::yaml::{Node, YamlLimits, parse, parse_full, subset};

/// Scalars that YAML reads in surprising ways, and ordinary ones.
const SCALARS: &[&str] = &[
    "a",
    "State 0",
    "KAZ",
    "NO",
    "on",
    "yes",
    "y",
    "null",
    "Null",
    "NULL",
    "nULL",
    "~",
    "true",
    "True",
    "TRUE",
    "tRue",
    "false",
    "1992",
    "0",
    "007",
    "-3",
    "+1",
    "1.5",
    "1e3",
    ".inf",
    "2024",
    "2024-09",
    "2024-09-01",
    "2024-9-1",
    "0x1F",
    "0o7",
    "1_000",
    "12:30",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "é",
    "Chargé d'affaires",
    "x,y",
    "[x]",
    "{x}",
    "",
    " a",
    "a ",
    "- x",
    "-x",
    "&a",
    "*a",
    "!t",
    "|",
    ">",
    "%",
    "@",
    "`",
    "?",
    "? x",
    "'",
    "\"",
    "\\",
    "a\\tb",
    "tab\there",
    "...",
    "---",
    "#",
    "a]",
    "a}",
    "9223372036854775807",
    "99999999999999999999",
    "_x",
    "ünïcode ok",
];

/// Ordinary scalars, most of what real files hold.
const ORDINARY: &[&str] = &[
    "a",
    "State 7",
    "KAZ",
    "AFG",
    "ambassador",
    "charge-d-affaires-ai",
    "de-jure",
    "2021-08-15",
    "2024-09",
    "1992",
    "12",
    "Kabul",
    "m-KAZ-AFG",
    "Chargé d'affaires",
    "b c d",
];

const KEYS: &[&str] = &[
    "id", "name", "sender", "receiver", "heads", "rank", "from", "until", "x y", "é", "k", "dup",
    "staff", "city", "kind", "source", "title", "as_of", "states", "missions", "by", "of", "level",
    "to", "on",
];

/// Keys that YAML reads as something else than a string, or not at all.
const ODD_KEYS: &[&str] = &["1", "null", "true", "a:b", "- x", "", "&k"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A scalar written plain, single-quoted or double-quoted.
fn scalar(rng: &mut Rng, pool: &[&str]) -> String {
    let raw = match (std::ptr::eq(pool, KEYS), rng.chance(92)) {
        (false, true) => rng.pick(ORDINARY),
        (true, false) => rng.pick(ODD_KEYS),
        _ => rng.pick(pool),
    };
    match rng.below(5) {
        0 => format!("'{}'", raw.replace('\'', "''")),
        1 => {
            let escaped = raw.replace('\\', "\\\\").replace('"', "\\\"");
            let escaped = if rng.chance(30) {
                escaped.replace('é', "\\u00e9")
            } else {
                escaped
            };
            format!("\"{escaped}\"")
        }
        _ => raw.to_string(),
    }
}

fn comment(rng: &mut Rng) -> &'static str {
    if rng.chance(15) { "  # note" } else { "" }
}

/// A flow collection or scalar on one line.
fn flow(rng: &mut Rng, depth: usize) -> String {
    if depth > 2 || rng.chance(55) {
        return scalar(rng, SCALARS);
    }
    let n = rng.below(4);
    if rng.chance(50) {
        let items: Vec<String> = (0..n).map(|_| flow(rng, depth + 1)).collect();
        format!("[{}]", items.join(", "))
    } else {
        let items: Vec<String> = (0..n)
            .map(|_| format!("{}: {}", scalar(rng, KEYS), flow(rng, depth + 1)))
            .collect();
        let space = if rng.chance(50) { " " } else { "" };
        format!("{{{space}{}{space}}}", items.join(", "))
    }
}

/// A block mapping at `indent`, whose first key may already have its
/// prefix written (`- ` of a compact entry).
fn block_mapping(rng: &mut Rng, out: &mut String, indent: usize, depth: usize, first_inline: bool) {
    let n = 1 + rng.below(4);
    for i in 0..n {
        if i > 0 || !first_inline {
            out.push_str(&" ".repeat(indent));
        }
        let key = scalar(rng, KEYS);
        out.push_str(&key);
        out.push(':');
        block_value(rng, out, indent, depth);
        if rng.chance(5) {
            out.push('\n');
        }
    }
}

/// What follows `key:` or `-`: an inline value, or a block collection below.
fn block_value(rng: &mut Rng, out: &mut String, indent: usize, depth: usize) {
    if depth >= 4 || rng.chance(50) {
        out.push(' ');
        out.push_str(&flow(rng, 0));
        out.push_str(comment(rng));
        out.push('\n');
        return;
    }
    out.push_str(comment(rng));
    out.push('\n');
    if rng.chance(10) {
        out.push_str("# a comment line\n");
    }
    let step = [1, 2, 4][rng.below(3)];
    if rng.chance(50) {
        // Indentless sequences, as YAML allows under a key.
        let at = if rng.chance(30) {
            indent
        } else {
            indent + step
        };
        block_sequence(rng, out, at, depth + 1);
    } else {
        block_mapping(rng, out, indent + step, depth + 1, false);
    }
}

fn block_sequence(rng: &mut Rng, out: &mut String, indent: usize, depth: usize) {
    let n = 1 + rng.below(4);
    for _ in 0..n {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        let gap = 1 + rng.below(3) * usize::from(rng.chance(30));
        match rng.below(4) {
            0 if depth < 4 => {
                // Compact mapping: `- key: value`.
                out.push_str(&" ".repeat(gap));
                block_mapping(rng, out, indent + 1 + gap, depth + 1, true);
            }
            1 if depth < 4 => {
                // Compact sequence: `- - x`.
                out.push_str(&" ".repeat(gap));
                out.push_str("- ");
                out.push_str(&flow(rng, 0));
                out.push('\n');
                let inner = indent + 1 + gap;
                for _ in 0..rng.below(3) {
                    out.push_str(&" ".repeat(inner));
                    out.push_str("- ");
                    out.push_str(&flow(rng, 0));
                    out.push('\n');
                }
            }
            2 if depth < 4 => block_value(rng, out, indent, depth),
            _ => {
                out.push(' ');
                out.push_str(&flow(rng, 0));
                out.push_str(comment(rng));
                out.push('\n');
            }
        }
    }
}

fn document(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.chance(10) {
        out.push_str("# SYNTHETIC\n");
    }
    if rng.chance(10) {
        out.push_str("---\n");
    }
    if rng.chance(15) {
        block_sequence(rng, &mut out, 0, 1);
    } else {
        block_mapping(rng, &mut out, 0, 1, false);
    }
    out
}

/// Inserts, deletes or replaces one character.
fn damage(rng: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let at = rng.below(chars.len());
    let noise = [
        ' ', '\n', '-', ':', '#', '\'', '"', '[', ']', '{', '}', ',', '\t', 'x', '&', '*',
    ];
    let c = noise[rng.below(noise.len())];
    let mut out: Vec<char> = chars.clone();
    match rng.below(3) {
        0 => out.insert(at, c),
        1 => {
            out.remove(at);
        }
        _ => out[at] = c,
    }
    out.into_iter().collect()
}

/// Returns whether the fast reader answered.
fn agree(text: &str) -> bool {
    let limits = YamlLimits::default();
    let whole = subset::parse_split(text, &limits, usize::MAX);
    let pieces = subset::parse_split(text, &limits, 64);
    assert_eq!(
        whole, pieces,
        "read in pieces, the reader reads otherwise:\n{text}"
    );
    let Some(tree) = whole else { return false };
    match parse_full(text, "t.yaml", &limits) {
        Ok(full) => assert_eq!(
            tree, full,
            "the fast reader and serde-saphyr disagree on:\n{text}"
        ),
        Err(error) => {
            panic!("the fast reader accepts what serde-saphyr rejects ({error:?}):\n{text}")
        }
    }
    true
}

#[test]
fn the_fast_reader_gives_serde_saphyrs_tree_on_generated_documents() {
    let (mut answered, mut damaged_answered, mut total) = (0, 0, 0);
    for seed in 1..=3000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let text = document(&mut rng);
        answered += usize::from(agree(&text));
        let broken = damage(&mut rng, &text);
        damaged_answered += usize::from(agree(&broken));
        total += 1;
    }
    // The generator must reach the reader's paths, not only its exits.
    assert!(
        answered * 4 >= total,
        "the reader answered {answered} of {total}"
    );
    assert!(
        damaged_answered * 10 >= total,
        "answered {damaged_answered} damaged of {total}"
    );
}

#[test]
fn the_fast_reader_answers_for_the_fixtures_and_agrees() {
    let mut files = Vec::new();
    for dir in ["fixtures", "rules/examples", "rules/tests"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut answered = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        answered += usize::from(agree(&text));
    }
    // Every real fixture is within the subset (that is what makes it fast).
    for path in files.iter().filter(|p| p.starts_with("fixtures")) {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            subset::parse(&text, &YamlLimits::default()).is_some(),
            "{} falls back to serde-saphyr",
            path.display()
        );
    }
    assert!(answered >= files.len() - 2, "{answered} of {}", files.len());
}

fn tree(text: &str) -> Node<'_> {
    parse(text, "t.yaml", &YamlLimits::default()).unwrap()
}

#[test]
fn what_the_fast_reader_declines_still_parses_with_serde_saphyr() {
    let limits = YamlLimits::default();
    for text in [
        "a: &x 1\nb: *x\n",
        "a: |\n  text\n",
        "a: 1.5\n",
        "a: one\n  two\n",
        "a: \"one\n  two\"\n",
        "a:\n",
        "a: [1,\n  2]\n",
        "? a\n: b\n",
        "a: !tag x\n",
        "a:\tb\n",
        "a: 1\n...\n",
    ] {
        assert!(
            subset::parse(text, &limits).is_none(),
            "{text:?} is not in the subset"
        );
        assert!(
            parse_full(text, "t.yaml", &limits).is_ok(),
            "{text:?} is YAML"
        );
        assert_eq!(tree(text), parse_full(text, "t.yaml", &limits).unwrap());
    }
}

#[test]
fn errors_come_from_serde_saphyr_with_their_location() {
    assert_eq!(
        parse("a: [1, 2\n", "t.yaml", &YamlLimits::default())
            .unwrap_err()
            .message,
        "invalid YAML: unclosed bracket '['"
    );
    // Duplicate keys, bad indentation and an unclosed flow: the reader
    // declines, and the full parser reports.
    for (text, line) in [
        ("a: 1\na: 2\n", 2),
        ("a:\n  b: 1\n c: 2\n", 3),
        ("a: [1, 2\n", 2),
    ] {
        let error = parse(text, "t.yaml", &YamlLimits::default()).unwrap_err();
        assert!(subset::parse(text, &YamlLimits::default()).is_none());
        assert_eq!(error.code, "yaml-syntax", "{text:?}: {error:?}");
        // The library's words without the position it prefixes (the
        // `-->` line gives it).
        assert!(
            error.message.starts_with("invalid YAML: ")
                || error.message.starts_with("duplicate key"),
            "{text:?}: {error:?}"
        );
        assert!(!error.message.contains("line "), "{text:?}: {error:?}");
        assert!(
            error.loc_in(text).line >= 1 && error.loc_in(text).line <= line,
            "{text:?}: {error:?}"
        );
    }
}

/// `agree`, under given limits: where the fast reader answers, serde-saphyr
/// accepts and gives the same tree.
fn agree_within(text: &str, limits: &YamlLimits) -> bool {
    let Some(tree) = subset::parse(text, limits) else {
        return false;
    };
    match parse_full(text, "t.yaml", limits) {
        Ok(full) => assert_eq!(tree, full, "disagree under {limits:?}:\n{text}"),
        Err(error) => panic!("accepted beyond {limits:?} ({error:?}):\n{text}"),
    }
    true
}

/// Each construct of the subset is *answered* by the fast reader, not only
/// answered rightly when it answers: a reader that declines too much is
/// correct but slow, and the comparison tests above cannot see it.
#[test]
fn the_fast_reader_answers_each_construct_of_its_subset() {
    let long_key = "k".repeat(1000);
    let mut texts: Vec<String> = [
        "a: 1\nb: text\n",
        "a:\n  - x\n  - y\n",
        "a:\n- x\n- y\n",
        "a:\n  - - x\n    - y\n",
        "a:\n  - - - - x\n",
        "a:\n  - b: 1\n    c: 2\n",
        "a:\n  b:\n    c: x\n",
        "a: [x, y]\n",
        "a: [[x], [y, [z]]]\n",
        "a: {b: c}\n",
        "a: {b: {c: {d: x}}}\n",
        "a: {b: [c, {d: e}]}\n",
        "a: 'it''s'\n",
        "a: 'x'''\n",
        "a: ''''\n",
        "a: \"x\\ty\\nz\"\n",
        "a: \"\\x41\\u00e9\\U0001F600\"\n",
        "a: x # note\n",
    ]
    .iter()
    .map(|t| t.to_string())
    .collect();
    // Every escape the reader knows, alone, between other characters.
    for escape in [
        "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\r", "\\0", "\\a", "\\b", "\\e", "\\f", "\\v",
    ] {
        texts.push(format!("a: \"x{escape}y\"\n"));
    }
    // The longest key the reader takes (serde-saphyr looks 1,024 ahead).
    texts.push(format!("{long_key}: v\n"));
    texts.push(format!("a: {{{long_key}: v}}\n"));
    for text in &texts {
        assert!(agree(text), "the fast reader declines {text:?}");
    }
}

/// Nesting at and beyond `max_depth`: the fast reader may decline early, but
/// must never accept what serde-saphyr rejects, and it answers with little
/// room to spare. Each layout nests in its own way: inline `- -`, block
/// mappings, flow mappings (keys included) and flow sequences.
#[test]
fn depth_limits_hold_in_the_fast_reader_for_every_layout() {
    let layouts: [fn(usize) -> String; 4] = [
        |n| format!("a:\n  {}x\n", "- ".repeat(n)),
        |n| {
            let mut text = String::new();
            for level in 0..n {
                text.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
            }
            text.push_str(&format!("{}end: x\n", "  ".repeat(n)));
            text
        },
        |n| format!("a: {}x{}\n", "{b: ".repeat(n), "}".repeat(n)),
        |n| format!("a: {}x{}\n", "[".repeat(n), "]".repeat(n)),
    ];
    let within = |max_depth| YamlLimits {
        max_depth,
        ..YamlLimits::default()
    };
    for (number, layout) in layouts.iter().enumerate() {
        for n in 1..=8 {
            let text = layout(n);
            let mut answered = None;
            for max_depth in 1..=16 {
                if agree_within(&text, &within(max_depth)) && answered.is_none() {
                    answered = Some(max_depth);
                }
            }
            let full = (1..=16).find(|&d| parse_full(&text, "t.yaml", &within(d)).is_ok());
            let (Some(answered), Some(full)) = (answered, full) else {
                panic!("layout {number}, depth {n}: fast {answered:?}, full {full:?}:\n{text}");
            };
            assert!(
                answered >= full && answered <= full + 3,
                "layout {number}, depth {n}: answers from max_depth {answered}, serde-saphyr from {full}:\n{text}"
            );
        }
    }
}

/// A flow collection cut at the very end of the text (no newline after a
/// colon): declined, never read past the end.
#[test]
fn a_flow_cut_at_the_end_of_the_text_is_declined() {
    for text in ["a: {b:", "a: [b:", "a: {b: [c:", "a: {b:c"] {
        assert!(
            subset::parse(text, &YamlLimits::default()).is_none(),
            "{text:?}"
        );
        assert!(
            parse(text, "t.yaml", &YamlLimits::default()).is_err(),
            "{text:?}"
        );
    }
}

/// Control characters are left to serde-saphyr in a text that is not ASCII
/// too (the reader's other path), whatever serde-saphyr then says.
#[test]
fn control_characters_are_declined_in_text_that_is_not_ascii() {
    for text in ["a: é\u{1}x\n", "a: \"é\u{7f}\"\n", "a: é\u{1b}\n"] {
        assert!(
            subset::parse(text, &YamlLimits::default()).is_none(),
            "{text:?}"
        );
        let (ours, full) = (
            parse(text, "t.yaml", &YamlLimits::default()),
            parse_full(text, "t.yaml", &YamlLimits::default()),
        );
        assert_eq!(ours.is_ok(), full.is_ok(), "{text:?}");
    }
}
