//! Crash regressions: inputs that once made parity panic, overflow its stack
//! or hang, each run through the code path that failed; and every seed of the
//! fuzz corpora (`fuzz/corpus/<target>/`) replayed through the same steps as
//! its fuzz target, so `cargo test` exercises them without a fuzzer.
//! See docs/robustness.md.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::engine::propose::propose;
use parity::eval::Budget;
use parity::lang::ast::Severity;
use parity::lang::fmt::format_rules;
use parity::lang::parse::{parse_expr, parse_rules};
use parity::report::{github, human, json, junit, markdown, sarif};
use parity::scenario::load::load_str;
use parity::scenario::world::World;
use parity::scenario::yaml::{YamlLimits, parse_full, subset};
use parity::{CheckOptions, RuleSet, check};
use std::path::Path;
use std::time::{Duration, Instant};

/// What `fuzz/fuzz_targets/parse_rules.rs` does with one input.
fn parse_rules_target(text: &str) {
    match parse_rules(text, "fuzz.rules") {
        Ok(_) => {
            let mut set = RuleSet::default();
            let mut diagnostics = Vec::new();
            set.add_text(text, "fuzz.rules", &mut diagnostics);
            for d in &diagnostics {
                let _ = d.render(Some(text));
            }
            if let Ok(once) = format_rules(text, "fuzz.rules") {
                let twice = format_rules(&once, "fuzz.rules");
                assert_eq!(
                    twice.as_deref().ok(),
                    Some(once.as_str()),
                    "formatting formatted text changed it"
                );
            }
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                let _ = d.render(Some(text));
            }
        }
    }
    let _ = parse_expr(text);
}

/// What `fuzz/fuzz_targets/load_scenario.rs` does.
fn load_scenario_target(text: &str) {
    let limits = YamlLimits::default();
    let whole = subset::parse_split(text, &limits, usize::MAX);
    let pieces = subset::parse_split(text, &limits, 64);
    assert_eq!(whole, pieces, "the reader cut in pieces reads otherwise");
    if let Some(tree) = whole {
        match parse_full(text, "fuzz.yaml", &limits) {
            Ok(full) => assert_eq!(tree, full, "the fast reader and serde-saphyr disagree"),
            Err(error) => panic!("the fast reader accepts what serde-saphyr rejects: {error:?}"),
        }
    }
    if let Err(diagnostics) = load_str(text, "fuzz.yaml", &YamlLimits::default()) {
        for d in &diagnostics {
            let _ = d.render(Some(text));
        }
    }
}

fn render_all(
    scenario: &parity::scenario::model::Scenario,
    text: &str,
    rules: &RuleSet,
    report: &parity::report::Report,
) {
    let _ = human::render(report, Some(text));
    let _ = json::render(std::slice::from_ref(report));
    let _ = github::render(std::slice::from_ref(report), &[]);
    let _ = junit::render(std::slice::from_ref(report), &[], rules, Severity::Error);
    // With the text, so that regions are measured on whatever it holds.
    let mut sources = parity::io::Sources::default();
    sources.add(parity::io::Source::text_only(
        &report.file,
        text.to_string(),
    ));
    let base = sarif::Base::at(Path::new("."));
    let _ = sarif::render(std::slice::from_ref(report), &[], rules, &base, &sources);
    if let Some(date) = scenario.as_of.as_ref().map(|d| d.value) {
        let world = World::at(scenario, date);
        let _ = markdown::render(&[(report, &world)], &[]);
    }
}

/// What `fuzz/fuzz_targets/check.rs` does; true when the scenario loaded.
fn check_target(input: &str) -> bool {
    let (text, rule_text) = match input.split_once("\n%%%%\n") {
        Some((scenario, rules)) => (scenario, Some(rules)),
        None => (input, None),
    };
    let Ok(scenario) = load_str(text, "fuzz.yaml", &YamlLimits::default()) else {
        return false;
    };
    let options = CheckOptions {
        as_of: None,
        budget: Budget {
            max_steps: 200_000,
            ..Budget::default()
        },
    };
    let standard = RuleSet::standard().unwrap();
    match check(&scenario, &standard, &options) {
        Ok(report) => render_all(&scenario, text, &standard, &report),
        Err(diagnostics) => {
            for d in &diagnostics {
                let _ = d.render(Some(text));
            }
        }
    }
    if !scenario.proposals.is_empty() {
        let _ = propose(
            &scenario,
            &scenario.proposals,
            "fuzz.yaml",
            &standard,
            &options,
            Severity::Error,
        );
    }
    if let Some(rule_text) = rule_text {
        let mut rules = standard.clone();
        let mut diagnostics = Vec::new();
        rules.add_text(rule_text, "fuzz.rules", &mut diagnostics);
        if diagnostics.is_empty() {
            rules.rules.sort_by(|a, b| a.id.cmp(&b.id));
            let report = check(&scenario, &rules, &options).unwrap();
            render_all(&scenario, text, &rules, &report);
        }
    }
    true
}

fn corpus(target: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            // The fuzz targets ignore input that is not UTF-8.
            String::from_utf8(bytes)
                .ok()
                .map(|text| (path.display().to_string(), text))
        })
        .collect()
}

#[test]
fn the_parse_rules_corpus_replays() {
    let inputs = corpus("parse_rules");
    assert!(inputs.len() >= 10, "{} seeds", inputs.len());
    for (_, text) in &inputs {
        parse_rules_target(text);
    }
    // The standard rule files among the seeds parse and check.
    let parity = inputs
        .iter()
        .find(|(name, _)| name.ends_with("parity.rules"))
        .unwrap();
    assert!(parse_rules(&parity.1, "parity.rules").is_ok());
}

#[test]
fn the_load_scenario_corpus_replays() {
    let inputs = corpus("load_scenario");
    assert!(inputs.len() >= 10, "{} seeds", inputs.len());
    let mut loaded = 0;
    for (_, text) in &inputs {
        load_scenario_target(text);
        loaded += usize::from(load_str(text, "t.yaml", &YamlLimits::default()).is_ok());
    }
    // Both sides are seeded: scenarios that load and inputs that do not.
    assert!(loaded >= 8 && loaded < inputs.len(), "{loaded} loaded");
}

#[test]
fn the_check_corpus_replays() {
    let inputs = corpus("check");
    assert!(inputs.len() >= 10, "{} seeds", inputs.len());
    for (name, text) in &inputs {
        assert!(check_target(text), "{name}: the seed scenario loads");
    }
    // The seeds with rules really add rules that check.
    let with_rules = inputs
        .iter()
        .filter(|(_, t)| t.contains("\n%%%%\n"))
        .count();
    assert!(with_rules >= 5);
}

/// Runs `f` on its own thread with a small stack, and fails if it takes
/// longer than `limit` (hostile input must neither recurse without bound
/// nor loop for long).
fn bounded(limit: Duration, f: impl FnOnce() + Send + 'static) {
    let start = Instant::now();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
    let took = start.elapsed();
    assert!(took < limit, "took {took:?}");
}

// ---------------------------------------------------------------------------
// Regressions found by fuzzing. Each names the target, the run and the
// failure; docs/robustness.md lists them.

// ---------------------------------------------------------------------------
// Hostile shapes the fuzzers reach only slowly (libFuzzer grows inputs a few
// bytes at a time): each must end in an error, quickly, on a small stack.

#[test]
fn deeply_nested_rule_expressions_are_errors_not_stack_overflows() {
    for open in ["(", "[", "not ", "f(", "exists(x in missions where "] {
        let text = format!(
            "rule r {{ title \"t\" severity error cite \"c\" for m in missions where {} message \"x\" }}",
            open.repeat(20_000)
        );
        bounded(Duration::from_secs(60), move || {
            let errors = parse_rules(&text, "t.rules").unwrap_err();
            let found: Vec<(&str, &str)> = errors
                .iter()
                .map(|d| (d.code.as_str(), d.message.as_str()))
                .collect();
            assert_eq!(
                found,
                [("rule-syntax", "expression nests too deeply (limit 64)")]
            );
            parse_rules_target(&text);
        });
        let expr = open.repeat(20_000);
        bounded(Duration::from_secs(60), move || {
            let error = parse_expr(&expr).unwrap_err();
            assert_eq!(error.message, "expression nests too deeply (limit 64)");
            // Stopped inside the 65th level, not at the end of the input.
            assert_eq!(error.offset / open.len(), 64, "{open:?}: {}", error.offset);
        });
    }
}

#[test]
fn long_and_chains_are_errors_not_stack_overflows() {
    let chain = vec!["m.staff > 1"; 5_000].join(" and ");
    let text = format!(
        "rule r {{ title \"t\" severity error cite \"c\" for m in missions where {chain} message \"x\" }}"
    );
    bounded(Duration::from_secs(60), move || {
        let errors = parse_rules(&text, "t.rules").unwrap_err();
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(
                "rule-syntax",
                "expression is too long (limit 256 levels of `and`/`or`)"
            )]
        );
        parse_rules_target(&text);
    });
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("[", "]"), ("{a: ", "}"), ("- ", ""), ("-\n", "")] {
        let text = if open == "- " {
            // Compact nested sequences: `- - - x`.
            format!("{}x", open.repeat(20_000))
        } else if open == "-\n" {
            // Block sequences, each indented under the one before.
            (0..5_000)
                .map(|i| format!("{}-", "  ".repeat(i)))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            format!(
                "scenario: t\nstates: {}{}",
                open.repeat(20_000),
                close.repeat(20_000)
            )
        };
        bounded(Duration::from_secs(60), move || {
            let errors = load_str(&text, "t.yaml", &YamlLimits::default()).unwrap_err();
            let codes: Vec<&str> = errors.iter().map(|d| d.code.as_str()).collect();
            assert_eq!(codes, ["yaml-depth-limit"], "{errors:#?}");
            load_scenario_target(&text);
        });
    }
}

/// Found by tests/regressions.rs itself while writing the hostile-shape
/// checks above (libFuzzer had not grown inputs that far): every `{` of a
/// message template searched the rest of the line for its end, so a template
/// of n holes on one line took O(n²) time: 5,000 holes (30 KB) took 68 s to
/// parse, check and format in a debug build, and a 64 KB rule file could
/// stall `parity check --rules` or `parity fmt` for minutes. The line end is
/// now found once per string (src/lang/parse.rs, `quoted`/`hole`).
#[test]
fn a_template_with_many_holes_parses_in_linear_time() {
    let holes = "{m.id}".repeat(5_000);
    let text = format!(
        "rule r {{ title \"t\" severity error cite \"c\" for m in missions message \"{holes}\" }}"
    );
    bounded(Duration::from_secs(60), move || {
        let parsed = parse_rules(&text, "t.rules").unwrap();
        assert_eq!(parsed.rules[0].message.parts.len(), 5_000);
        // The checker then rejects it: a message template is at most 1,000 bytes.
        let mut set = RuleSet::default();
        let mut diagnostics = Vec::new();
        set.add_text(&text, "t.rules", &mut diagnostics);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "message-too-long");
        assert!(format_rules(&text, "t.rules").is_ok());
    });
    // Holes spread over several lines of one file, each line long.
    let line = format!(
        "rule r{{}} {{ title \"t\" severity error cite \"c\" for m in missions message \"{}\" }}\n",
        "{m.id}".repeat(2_000)
    );
    let text: String = (0..10)
        .map(|i| line.replace("r{}", &format!("r{i}")))
        .collect();
    bounded(Duration::from_secs(60), move || {
        assert_eq!(parse_rules(&text, "t.rules").unwrap().rules.len(), 10);
    });
}

/// The discover_config seeds, each loaded as `parity.toml` in a small tree
/// with a link out of it (as the fuzz target does): every error is located,
/// and whatever the file names that is walked stays inside the tree. The
/// three escapes the target's assertions found are among the seeds.
#[test]
#[cfg(unix)]
fn the_discover_config_corpus_replays() {
    use parity::io::{Purpose, Root, Sources, Trust, discover};
    let inputs = corpus("discover_config");
    assert!(inputs.len() >= 10, "{} seeds", inputs.len());
    let base = std::env::temp_dir().join(format!("parity-config-replay-{}", std::process::id()));
    let project = base.join("project");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(project.join("sub")).unwrap();
    std::fs::create_dir_all(base.join("outside/deep")).unwrap();
    std::fs::write(project.join("a.yaml"), "scenario: a\n").unwrap();
    std::fs::write(project.join("sub/b.yaml"), "scenario: b\n").unwrap();
    std::fs::write(base.join("outside/x.yaml"), "scenario: x\n").unwrap();
    std::fs::write(base.join("outside/z.rules"), "").unwrap();
    std::os::unix::fs::symlink("../outside", project.join("escape")).unwrap();
    std::os::unix::fs::symlink(".", project.join("loop")).unwrap();
    let inside = std::fs::canonicalize(&project).unwrap();
    let mut loaded = 0;
    for (name, text) in &inputs {
        let file = project.join("parity.toml");
        std::fs::write(&file, text).unwrap();
        let mut sources = Sources::default();
        match parity::config::load(&file, &mut sources) {
            Ok(config) => {
                loaded += 1;
                let walk = |paths: &[std::path::PathBuf], purpose| {
                    let roots: Vec<Root> = paths
                        .iter()
                        .map(|p| Root {
                            path: p.clone(),
                            trust: Trust::Found,
                        })
                        .collect();
                    discover(&roots, purpose, config.exclude.as_ref()).files
                };
                let found = walk(&config.paths, Purpose::Scenarios)
                    .into_iter()
                    .chain(walk(&config.rules, Purpose::Rules));
                for f in found {
                    if let Ok(real) = std::fs::canonicalize(&f.path) {
                        assert!(
                            real.starts_with(&inside),
                            "{name}: found {}",
                            real.display()
                        );
                    }
                }
            }
            Err(errors) => {
                assert!(!errors.is_empty(), "{name}");
                for d in errors {
                    assert!(
                        d.loc_in(text).line >= 1 && d.loc_in(text).column >= 1,
                        "{name}: {d:?}"
                    );
                }
            }
        }
    }
    assert!(loaded >= 3, "{loaded} seeds load");
    let _ = std::fs::remove_dir_all(&base);
}
