//! Times parity's evaluation of one standard rule on a prebuilt world, the
//! way `stages/eval_rank_parity` does (benches/stages.rs), for the peer
//! comparison (benches/peers/).
//!
//! ```sh
//! cargo run --release --example eval_rule -- world.yaml rank-parity [ITERATIONS]
//! ```
//!
//! Loads the scenario and builds `World::at(as_of)` (not timed), runs the
//! rule once as a warm-up, then ITERATIONS times (default 11), each with a
//! fresh `Evaluator` (so its hash indexes are built inside the timing), and
//! prints the findings' subjects sorted, one finding a line (ids separated by
//! a space), and on stderr `eval_ms=` the median. Each run builds the full
//! findings: subjects, messages and evidence.

use parity::RuleSet;
use parity::eval::{Budget, Evaluator};
use parity::scenario::load::load_str;
use parity::scenario::world::World;
use parity::scenario::yaml::YamlLimits;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("eval_rule: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (path, rule_id, iterations) = match args.as_slice() {
        [path, rule] => (path, rule, 11),
        [path, rule, n] => (
            path,
            rule,
            n.parse::<usize>()
                .map_err(|e| format!("ITERATIONS {n}: {e}"))?,
        ),
        _ => return Err("usage: eval_rule WORLD.yaml RULE-ID [ITERATIONS]".into()),
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let limits = YamlLimits {
        max_bytes: 1 << 30,
        max_nodes: usize::MAX,
        ..YamlLimits::default()
    };
    let scenario = load_str(&text, path, &limits)
        .map_err(|d| format!("{path}: {} diagnostics, first: {:?}", d.len(), d.first()))?;
    let as_of = scenario
        .as_of
        .as_ref()
        .map(|d| d.value)
        .ok_or_else(|| format!("{path}: no as_of"))?;
    let rules = RuleSet::standard().map_err(|d| format!("standard rules: {d:?}"))?;
    let rule = rules
        .get(rule_id)
        .ok_or_else(|| format!("no standard rule {rule_id}"))?;
    let world = World::at(&scenario, as_of);

    let eval = || {
        Evaluator::new(&world, Budget::default())
            .run_rule(rule)
            .map_err(|e| e.to_string())
    };
    let mut findings = eval()?;
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = Instant::now();
        findings = eval()?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);

    let mut lines: Vec<String> = findings.iter().map(|f| f.subject.join(" ")).collect();
    lines.sort();
    for line in &lines {
        println!("{line}");
    }
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    eprintln!(
        "eval_ms={median:.3} iterations={iterations} findings={}",
        lines.len()
    );
    Ok(())
}
