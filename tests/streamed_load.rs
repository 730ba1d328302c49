//! A large file is decoded as it is read (`load_source_streamed`): its long
//! lists a piece at a time, each piece's tree dropped once decoded. What
//! comes out must be exactly what reading the file whole gives — the same
//! scenario, or the same errors in the same order — for every text, also
//! those the fast reader declines half-way through (read again, whole, by
//! serde-saphyr). The texts here are SYNTHETIC, except the fixtures.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::scenario::load::load_source_streamed;
use parity::scenario::yaml::{self, YamlLimits};
use parity::source::{Located, SourceId};
use std::fmt::Write;
use std::sync::Arc;

/// The outcome of loading `text`, in a form two outcomes compare by.
fn outcome(text: &str, limits: &YamlLimits, stream_min: usize) -> String {
    let shared = Arc::new(Located::new(SourceId::NONE, text));
    match load_source_streamed(&shared, "s.yaml", limits, stream_min) {
        Ok(scenario) => format!("{scenario:?}"),
        Err(diagnostics) => format!("errors: {diagnostics:#?}"),
    }
}

/// Streamed from 64 bytes on (so that even small texts are cut into many
/// pieces) against read whole.
fn agrees(text: &str, limits: &YamlLimits) -> String {
    let whole = outcome(text, limits, usize::MAX);
    let streamed = outcome(text, limits, 64);
    assert_eq!(streamed, whole, "streamed and whole differ on:\n{text}");
    whole
}

/// `states` states and a mission between each consecutive two: lists long
/// enough to be cut into several pieces at a 64-byte threshold.
fn world(states: usize) -> String {
    let mut out = String::from("# SYNTHETIC\nscenario: streamed\nas_of: 2024-01-01\nstates:\n");
    for s in 0..states {
        writeln!(out, "  - id: S{s:02}\n    name: State {s}").unwrap();
    }
    out += "missions:\n";
    for s in 0..states {
        let (a, b) = (s, (s + 1) % states);
        let rank = if s % 3 == 0 {
            "charge-d-affaires"
        } else {
            "ambassador"
        };
        writeln!(
            out,
            "  - id: m{a:02}-{b:02}\n    sender: S{a:02}\n    receiver: S{b:02}\n    kind: embassy\n    heads:\n      - {{ rank: {rank}, from: 2020-01-01 }}"
        )
        .unwrap();
    }
    out
}

#[test]
fn a_clean_world_streams_and_loads_as_read_whole() {
    let text = world(30);
    let limits = YamlLimits::default();
    // Streamed indeed: the text is split, its two long lists left to read.
    let split = yaml::split(&text, &limits, 64).expect("a world in the subset splits");
    let root = split.root();
    let yaml::Value::Map(entries) = &root.value else {
        panic!("the root is a mapping");
    };
    let long = entries
        .iter()
        .filter(|(_, value)| split.long_list(value).is_some())
        .count();
    assert_eq!(long, 2, "states and missions are each read in pieces");
    assert!(split.finish());
    let loaded = agrees(&text, &limits);
    assert!(loaded.contains("m29-00"), "every mission is decoded");
    assert!(!loaded.starts_with("errors"), "{loaded}");
}

/// Damages the world at the `n`-th line that starts with `at` (counting
/// from 0), putting `with` there instead.
fn damaged(text: &str, at: &str, n: usize, with: &str) -> String {
    let mut seen = 0;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with(at) {
            if seen == n {
                out += with;
                out.push('\n');
                seen += 1;
                continue;
            }
            seen += 1;
        }
        out += line;
        out.push('\n');
    }
    out
}

#[test]
fn damaged_worlds_give_the_same_errors_streamed() {
    let base = world(30);
    let limits = YamlLimits::default();
    let cases = [
        // Errors inside pieces: an unknown key, a bad date, a wrong type.
        damaged(&base, "    name: State 3", 0, "    nmae: State 3"),
        damaged(
            &base,
            "      - { rank: ambassador",
            15,
            "      - { rank: ambassador, from: 2020-13-01 }",
        ),
        damaged(&base, "    kind: embassy", 20, "    kind: [embassy]"),
        // References across pieces: to a state no piece defines, an id defined twice.
        damaged(&base, "    receiver: S05", 0, "    receiver: S99"),
        damaged(&base, "  - id: S07", 0, "  - id: S03"),
        damaged(&base, "  - id: m10-11", 0, "  - id: m01-02"),
        // A record that is not a mapping; a list entry that is null.
        damaged(&base, "  - id: S12", 0, "  - S12\n  - id: S12b"),
        damaged(&base, "  - id: S13", 0, "  -\n  - id: S13"),
        // The root's long lists under misspelled or wrong keys.
        base.replace("missions:\n", "misions:\n"),
        base.replace("states:\n", "title:\n"),
        base.replace("as_of: 2024-01-01\nstates:\n", "states:\n"),
        base.replace(
            "scenario: streamed\n",
            "scenario:\n  - streamed\n  - again\n",
        ),
        // A root key written twice, and a list given twice over.
        format!("{base}states:\n  - id: T1\n"),
        format!("{base}missions:\n  - id: m-extra\n"),
        // Text the fast reader declines, in the middle of a long list.
        damaged(&base, "  - id: S14", 0, "  - id: &anchor S14"),
        damaged(&base, "    name: State 15", 0, "    name: *anchor"),
        damaged(
            &base,
            "    name: State 16",
            0,
            "    name: |\n      State\n      16",
        ),
        damaged(&base, "    name: State 17", 0, "    name: !!str State 17"),
        damaged(&base, "    name: State 18", 0, "    name: \"State \\t18\""),
        damaged(&base, "    name: State 19", 0, "\tname: State 19"),
        damaged(
            &base,
            "  - id: m20-21",
            0,
            "  - { id: m20-21,\n      sender: S20 }",
        ),
        damaged(&base, "  - id: m22-23", 0, "  - ? id\n    : m22-23"),
        damaged(&base, "  - id: S25", 0, "  - id: S25\n...\n"),
        damaged(&base, "  - id: S26", 0, "  - id: S26\n---\nscenario: two"),
        // YAML errors in a piece.
        damaged(&base, "    name: State 20", 0, "    name: [State 20"),
        damaged(&base, "    name: State 21", 0, "     name: State 21"),
        damaged(&base, "  - id: S22", 0, "- id: S22"),
        // The last entry cut short; comments and blank lines between entries.
        format!("{base}  - id:"),
        damaged(&base, "  - id: S27", 0, "\n# a comment\n\n  - id: S27"),
        // An empty list, and a null one, where a long list was.
        base.replace("states:\n", "states: []\nold_states:\n"),
        // Not a mapping at the root.
        base.replace("scenario: streamed\nas_of: 2024-01-01\nstates:\n", ""),
    ];
    let clean: Vec<usize> = (0..cases.len())
        .filter(|&i| !agrees(&cases[i], &limits).starts_with("errors"))
        .collect();
    // The comparison ran over error paths: only a world without `as_of`
    // and valid YAML the fast reader may decline (an anchor and its alias,
    // a block scalar, a tag, an escape, a complex key, a comment) loaded.
    assert_eq!(clean, [10, 14, 16, 17, 18, 21, 28], "these cases loaded");
}

#[test]
fn limits_stop_a_streamed_file_as_they_stop_a_whole_one() {
    let text = world(30);
    // Too many nodes: counted over every piece, the same error as whole.
    let few_nodes = YamlLimits {
        max_nodes: 200,
        ..YamlLimits::default()
    };
    let out = agrees(&text, &few_nodes);
    assert!(out.starts_with("errors"), "{out}");
    // Too many bytes: not split at all, and the size error.
    let few_bytes = YamlLimits {
        max_bytes: 1_000,
        ..YamlLimits::default()
    };
    assert!(yaml::split(&text, &few_bytes, 64).is_none());
    let out = agrees(&text, &few_bytes);
    assert!(out.contains("FileTooLarge"), "{out}");
}

#[test]
fn the_fixtures_load_streamed_as_whole() {
    let limits = YamlLimits::default();
    let mut split = 0;
    for entry in std::fs::read_dir("fixtures").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            split += usize::from(yaml::split(&text, &limits, 64).is_some());
            agrees(&text, &limits);
        }
    }
    assert!(split >= 5, "only {split} fixtures were streamed");
}

#[test]
fn where_a_file_is_split_and_where_not() {
    let text = world(30);
    let limits = YamlLimits::default();
    // From `split_min` bytes on, and up to the size limit included.
    assert!(yaml::split(&text, &limits, text.len()).is_some());
    assert!(yaml::split(&text, &limits, text.len() + 1).is_none());
    let exact = YamlLimits {
        max_bytes: text.len(),
        ..YamlLimits::default()
    };
    assert!(yaml::split(&text, &exact, 64).is_some());
    // A tab or a carriage return anywhere: read whole (by serde-saphyr).
    for odd in ["\t", "\r"] {
        let text = text.replace("name: State 3\n", &format!("name: State 3{odd}\n"));
        assert!(yaml::split(&text, &limits, 64).is_none(), "{odd:?}");
        agrees(&text, &limits);
    }
}

#[test]
fn a_long_list_of_a_file_read_whole_is_decoded_in_pieces_in_order() {
    // Below the streaming threshold, above the one for decoding in pieces
    // (4,096 records); three records broken across the list.
    let mut text = String::from("# SYNTHETIC\nscenario: pieces\nas_of: 2024-01-01\nstates:\n");
    for s in 0..6_000 {
        match s {
            10 | 3_000 | 5_990 => writeln!(text, "  - {{ id: S{s}, nmae: x }}").unwrap(),
            _ => writeln!(text, "  - {{ id: S{s} }}").unwrap(),
        }
    }
    assert!(text.len() < 1 << 20);
    let errors = outcome(&text, &YamlLimits::default(), usize::MAX);
    let lines: Vec<&str> = errors
        .lines()
        .filter(|l| l.contains("unknown key"))
        .collect();
    assert_eq!(lines.len(), 3, "{errors}");
    // Without the broken ones, every record, in order.
    let clean = text.replace(", nmae: x", "");
    let shared = Arc::new(Located::new(SourceId::NONE, &clean));
    let scenario = load_source_streamed(&shared, "s.yaml", &YamlLimits::default(), usize::MAX)
        .expect("a clean file");
    let ids: Vec<&str> = scenario
        .states
        .iter()
        .map(|s| s.id.value.as_str())
        .collect();
    assert_eq!(ids.len(), 6_000);
    assert!(ids.iter().enumerate().all(|(i, id)| *id == format!("S{i}")));
}

#[test]
fn long_lists_indented_or_not_are_read_in_pieces_where_they_are() {
    let limits = YamlLimits::default();
    let indented = world(30);
    // The same lists with their dashes at the key's column.
    let indentless: String = indented
        .lines()
        .map(|line| line.strip_prefix("  ").unwrap_or(line).to_string() + "\n")
        .collect();
    for text in [&indented, &indentless] {
        let split = yaml::split(text, &limits, 64).expect("in the subset");
        let yaml::Value::Map(entries) = &split.root().value else {
            panic!("the root is a mapping");
        };
        // Each long list's first piece starts where its placeholder says:
        // else the file would be read again whole (the same outcome, slower).
        let mut read = 0;
        for (_, value) in entries {
            if let Some(list) = split.long_list(value) {
                let pieces = split.read_list(list, |piece| match &piece.value {
                    yaml::Value::Seq(items) => items.len(),
                    _ => 0,
                });
                let entries = pieces.expect("read in pieces").iter().sum::<usize>();
                assert_eq!(entries, 30);
                read += 1;
            }
        }
        assert_eq!(read, 2);
        assert!(split.finish());
        agrees(text, &limits);
    }
}
