//! regorus-peer INPUT.json RULE ITERATIONS POLICY.rego...
//!
//! Loads the policies and the input, evaluates `RULE` (e.g.
//! `data.peers.rank_parity`) once as a warm-up (which also prepares the
//! policy) and then ITERATIONS times, and prints the rule's value (a set of
//! findings), one per line in sorted order, to stdout; on stderr, `eval_ms=`
//! the median evaluation time (excluding loading and parsing) and `load_ms=`
//! the loading time.
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, rule, iterations, policies @ ..] = args.as_slice() else {
        anyhow::bail!("usage: regorus-peer INPUT.json RULE ITERATIONS POLICY.rego...");
    };
    let iterations: usize = iterations.parse()?;
    let t0 = Instant::now();
    let mut engine = regorus::Engine::new();
    for policy in policies {
        engine.add_policy_from_file(policy)?;
    }
    engine.set_input(regorus::Value::from_json_file(input)?);
    let load = t0.elapsed();
    let mut value = engine.eval_rule(rule.clone())?;
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        value = engine.eval_rule(rule.clone())?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let mut lines: Vec<String> = match value.as_set() {
        Ok(set) => set.iter().map(line).collect(),
        Err(_) => value.as_array()?.iter().map(line).collect(),
    };
    lines.sort();
    for l in &lines {
        println!("{l}");
    }
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    eprintln!(
        "eval_ms={median:.3} load_ms={:.3} iterations={iterations} findings={}",
        load.as_secs_f64() * 1000.0,
        lines.len()
    );
    Ok(())
}

/// A finding as `ID` or `ID1 ID2` (an array of ids).
fn line(v: &regorus::Value) -> String {
    match v.as_array() {
        Ok(items) => items.iter().map(text).collect::<Vec<_>>().join(" "),
        Err(_) => text(v),
    }
}

fn text(v: &regorus::Value) -> String {
    match v.as_string() {
        Ok(s) => s.to_string(),
        Err(_) => v.to_string(),
    }
}
