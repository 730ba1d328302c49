//! Determinism: the same facts give the same report, byte for byte.
//!
//! - Shuffling the records of a scenario's top-level lists (sources, states,
//!   governments, recognitions, missions, waivers) changes nothing in its
//!   JSON report but the line numbers, which move with the records. Heads
//!   stay in their mission, in order, and claims in order: claims are
//!   reported in the order written.
//! - The order of files on the command line changes no byte of any report,
//!   in every format `check` has, nor the exit status.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::report::json;
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const KABUL: &str = "fixtures/kabul-2024-09.yaml";

/// Top-level lists whose records may be written in any order.
const SHUFFLED: &[&str] = &[
    "sources",
    "states",
    "governments",
    "recognitions",
    "missions",
    "waivers",
];

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// A small deterministic generator (xorshift64*), so failures name a seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

/// The scenario text with the items of each block list in `SHUFFLED`
/// permuted. An item runs from its `  - ` line to the next one (comments in
/// between travel with it); the lines before a list's first item stay put.
fn shuffle_lists(text: &str, seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push(line.to_string());
        i += 1;
        let key = line.split(':').next().unwrap_or("");
        let top_level = !line.starts_with([' ', '#']) && line.contains(':');
        if !(top_level && SHUFFLED.contains(&key)) {
            continue;
        }
        // The section runs to the next top-level key.
        let end = (i..lines.len())
            .find(|&j| {
                let l = lines[j];
                !l.is_empty() && !l.starts_with([' ', '#']) && l.contains(':')
            })
            .unwrap_or(lines.len());
        let first = (i..end)
            .find(|&j| lines[j].starts_with("  - "))
            .unwrap_or(end);
        out.extend(lines[i..first].iter().map(|l| l.to_string()));
        let mut items: Vec<Vec<&str>> = Vec::new();
        for &l in &lines[first..end] {
            match items.last_mut() {
                Some(item) if !l.starts_with("  - ") => item.push(l),
                _ => items.push(vec![l]),
            }
        }
        // Fisher-Yates.
        for k in (1..items.len()).rev() {
            let j = rng.below(k + 1);
            items.swap(k, j);
        }
        for item in items {
            out.extend(item.iter().map(|l| l.to_string()));
        }
        i = end;
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// Every `"line"` key removed, recursively: lines move with their records.
fn without_lines(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("line");
            for v in map.values_mut() {
                without_lines(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(without_lines),
        _ => {}
    }
}

/// The JSON report of a scenario text at a date, without line numbers.
fn report(text: &str, as_of: Option<&str>) -> String {
    let scenario = load_str(text, KABUL, &YamlLimits::default())
        .unwrap_or_else(|d| panic!("the scenario does not load: {d:#?}\n{text}"));
    let rules = RuleSet::standard().unwrap();
    let options = CheckOptions {
        as_of: as_of.map(|d| Date::parse(d).unwrap()),
        ..CheckOptions::default()
    };
    let report = check(&scenario, &rules, &options).unwrap();
    let mut value: Value = serde_json::from_str(&json::render(&[report])).unwrap();
    without_lines(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

#[test]
fn the_shuffler_moves_records_and_keeps_them_all() {
    let text = read(KABUL);
    let shuffled = shuffle_lists(&text, 1);
    assert_ne!(shuffled, text, "seed 1 moves something");
    let mut a: Vec<&str> = text.lines().collect();
    let mut b: Vec<&str> = shuffled.lines().collect();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "the same lines, in another order");
    // The first mission is no longer the first one.
    let first_mission = |t: &str| -> String {
        let at = t.find("\nmissions:\n").unwrap();
        let item = t[at..].lines().find(|l| l.starts_with("  - ")).unwrap();
        item.to_string()
    };
    let moved =
        (1..10).any(|seed| first_mission(&shuffle_lists(&text, seed)) != first_mission(&text));
    assert!(moved);
}

#[test]
fn shuffling_the_kabul_records_changes_nothing_but_lines() {
    let text = read(KABUL);
    for as_of in [
        None,
        Some("2024-09-01"),
        Some("2021-08-01"),
        Some("2019-01-01"),
    ] {
        let expected = report(&text, as_of);
        // Not a vacuous comparison: the report has findings, claims and waivers.
        let value: Value = serde_json::from_str(&expected).unwrap();
        assert!(!value["findings"].as_array().unwrap().is_empty());
        for seed in 0..12 {
            let shuffled = shuffle_lists(&text, seed);
            assert_eq!(
                report(&shuffled, as_of),
                expected,
                "as of {as_of:?}, seed {seed}"
            );
        }
    }
}

#[test]
fn shuffling_the_rule_examples_changes_nothing_but_lines() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/examples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 8);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let expected = report(&text, None);
        for seed in 0..6 {
            assert_eq!(
                report(&shuffle_lists(&text, seed), None),
                expected,
                "{} seed {seed}",
                file.display()
            );
        }
    }
}

/// Runs the binary from the repository root; (exit code, stdout).
fn parity(args: &[&str]) -> (Option<i32>, Vec<u8>) {
    let output = Command::new(env!("CARGO_BIN_EXE_parity"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "parity {args:?} failed: {stderr}"
    );
    (output.status.code(), output.stdout)
}

#[test]
fn file_order_on_the_command_line_changes_no_byte_of_any_report() {
    let a = KABUL;
    let b = "rules/examples/rank-parity.yaml";
    let c = "rules/examples/staff-parity.yaml";
    for format in ["human", "json", "sarif", "junit", "github", "markdown"] {
        let forward = parity(&["check", a, b, c, "--format", format]);
        assert!(!forward.1.is_empty(), "{format} prints a report");
        for order in [[b, a, c], [c, b, a], [a, c, b]] {
            let args = ["check", order[0], order[1], order[2], "--format", format];
            let backward = parity(&args);
            assert_eq!(forward.0, backward.0, "exit status, {format}, {order:?}");
            assert!(
                forward.1 == backward.1,
                "{format}: the report depends on the order of files {order:?}:\n{}\n---\n{}",
                String::from_utf8_lossy(&forward.1),
                String::from_utf8_lossy(&backward.1)
            );
        }
    }
}

#[test]
fn file_order_does_not_matter_with_a_date_or_rules_either() {
    let a = KABUL;
    let b = "rules/examples/implied-recognition.yaml";
    // tests/data/rules adds `headed-mission`, an info rule that fires for
    // every headed mission: many findings of a rule that is not standard.
    let with = |first: &str, second: &str, format: &str| {
        parity(&[
            "check",
            first,
            second,
            "--as-of",
            "2024-09-01",
            "--rules",
            "tests/data/rules",
            "--format",
            format,
        ])
    };
    for format in ["human", "json"] {
        let forward = with(a, b, format);
        let backward = with(b, a, format);
        assert_eq!(forward, backward, "{format}");
        let text = String::from_utf8_lossy(&forward.1);
        // The rules and the date were applied: the extra rule fires in both
        // files, and rank-parity, which holds in Kabul on 2024-09-01 only.
        assert!(text.contains("headed-mission"), "{format}: {text}");
        assert!(text.contains("chn-in-afg: ambassador"), "{format}: {text}");
        assert!(text.contains("aaa-in-bbb: ambassador"), "{format}: {text}");
        assert!(text.contains("rank-parity"), "{format}: {text}");
    }
}
