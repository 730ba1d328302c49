//! Per-stage benchmarks on SYNTHETIC full-mesh worlds (examples/gen.rs),
//! N = 50 / 100 / 200 states (2,450 / 9,900 / 39,800 missions).
//!
//! ```sh
//! cargo bench --bench stages            # everything (a few minutes)
//! cargo bench --bench stages -- eval    # one group (divan filters by name)
//! ```
//!
//! Stages: `yaml_parse` (YAML → located tree: the fast reader, in pieces on
//! all cores above 1 MiB; `yaml_parse_one_thread` and
//! `yaml_parse_serde_saphyr` for comparison), `load` (`load_str`: parse,
//! decode and validate), `validate` (validation alone, on a loaded scenario),
//! `world_at`, `check` (the standard rules through `parity::check`, world
//! included), `eval_rank_parity` against `hash_join_rank_parity` (a
//! hand-written hash join over the same `World`), and the renderers.
//! The CLI end-to-end benches are in benches/cli.rs.

// Benches may stop with a message on impossible states (docs: benches/examples may use expect).
#![allow(clippy::expect_used, clippy::panic)]

#[path = "../examples/gen.rs"]
#[allow(dead_code)]
mod gen_world;

use parity::eval::{Budget, Evaluator};
use parity::report::Report;
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::model::Scenario;
use parity::scenario::world::World;
use parity::scenario::yaml::{self, YamlLimits};
use parity::{CheckOptions, RuleSet, check};
use std::collections::HashMap;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

const SIZES: [u32; 3] = [50, 100, 200];

/// Generated text and loaded scenario per size, built once per process.
struct Fixture {
    text: String,
    scenario: Scenario,
    report: Report,
}

fn fixture(n: u32) -> &'static Fixture {
    static CACHE: OnceLock<Vec<(u32, Fixture)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        SIZES
            .iter()
            .map(|&n| {
                let text = gen_world::scenario(&gen_world::Params::new(n));
                let scenario =
                    load_str(&text, "synthetic.yaml", &limits()).expect("generated world loads");
                let report = check(&scenario, rules(), &CheckOptions::default())
                    .expect("generated world checks");
                (
                    n,
                    Fixture {
                        text,
                        scenario,
                        report,
                    },
                )
            })
            .collect()
    });
    &all.iter()
        .find(|(k, _)| *k == n)
        .expect("a benchmarked size")
        .1
}

fn limits() -> YamlLimits {
    YamlLimits {
        max_bytes: 1 << 30,
        ..YamlLimits::default()
    }
}

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::standard().expect("standard rules compile"))
}

fn as_of(s: &Scenario) -> Date {
    s.as_of.as_ref().expect("generated worlds have as_of").value
}

// Big worlds take seconds per iteration: few samples, one iteration each.
#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn yaml_parse(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    b.bench(|| yaml::parse(&f.text, "synthetic.yaml", &limits()).expect("parses"));
}

/// The fast reader on one thread (files under 1 MiB are read this way).
#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn yaml_parse_one_thread(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    b.bench(|| yaml::subset::parse_split(&f.text, &limits(), usize::MAX).expect("in the subset"));
}

/// serde-saphyr alone: what every file cost before the fast reader, and
/// what files outside the subset still cost.
#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn yaml_parse_serde_saphyr(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    b.bench(|| yaml::parse_full(&f.text, "synthetic.yaml", &limits()).expect("parses"));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn load(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    b.bench(|| load_str(&f.text, "synthetic.yaml", &limits()).expect("loads"));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn validate(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    b.bench(|| {
        let mut diags = Vec::new();
        parity::scenario::validate::validate(&f.scenario, &mut diags);
        assert!(diags.is_empty(), "generated world is valid");
        diags
    });
}

#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn world_at(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    let date = as_of(&f.scenario);
    b.bench(|| World::at(&f.scenario, date));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn check_standard_rules(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    b.bench(|| check(&f.scenario, rules(), &CheckOptions::default()).expect("checks"));
}

/// The generated world of `n` states with 100 generated proposals in it.
fn with_proposals(n: u32) -> Scenario {
    let params = gen_world::Params::new(n);
    let text = format!(
        "{}\n{}",
        gen_world::scenario(&params),
        gen_world::proposals(&params, 100)
    );
    load_str(&text, "synthetic.yaml", &limits()).expect("generated world and proposals load")
}

/// `propose` of the 100 generated proposals on the world of `n` states, `how`.
fn bench_propose(b: divan::Bencher, n: u32, how: parity::engine::propose::Evaluation) {
    let scenario = with_proposals(n);
    b.bench(|| {
        parity::engine::propose::propose_by(
            &scenario,
            &scenario.proposals,
            "synthetic.yaml",
            rules(),
            &CheckOptions::default(),
            parity::lang::ast::Severity::Error,
            how,
        )
        .expect("proposals evaluate")
    });
}

/// `propose` of 100 generated proposals (most evaluated as changes of the
/// world, `engine::whatif`), scenario loaded: against `check_standard_rules`
/// of the same size, the issue-12 ratio (target ≤ 2 at N = 200).
#[divan::bench(args = [50, 200], sample_count = 5, sample_size = 1)]
fn propose_100(b: divan::Bencher, n: u32) {
    bench_propose(b, n, parity::engine::propose::Evaluation::AsChange);
}

/// The same 100 proposals each applied, validated and checked in full (the
/// reference `propose_100` is held to): at N = 50 only, since at N = 200 it
/// takes some 30 s.
#[divan::bench(args = [50], sample_count = 3, sample_size = 1)]
fn propose_100_in_full(b: divan::Bencher, n: u32) {
    bench_propose(b, n, parity::engine::propose::Evaluation::InFull);
}

/// The engine's rank-parity alone, on a prebuilt world (findings with messages and evidence).
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn eval_rank_parity(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    let world = World::at(&f.scenario, as_of(&f.scenario));
    let rule = rules().get("rank-parity").expect("standard rule");
    b.bench(|| {
        Evaluator::new(&world, Budget::default())
            .run_rule(rule)
            .expect("within budget")
    });
}

/// The engine's rank-parity building what the hand-written baseline builds:
/// subjects and messages, no evidence (as `timeline` asks for its points).
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn eval_rank_parity_messages(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    let world = World::at(&f.scenario, as_of(&f.scenario));
    let rule = rules().get("rank-parity").expect("standard rule");
    b.bench(|| {
        Evaluator::new(&world, Budget::default())
            .with_evidence_for(parity::eval::EvidenceFor::None)
            .run_rule(rule)
            .expect("within budget")
    });
}

/// A finding of the hand-written baseline: subject ids and a message.
#[derive(Debug)]
pub struct JoinFinding {
    pub subject: [String; 2],
    pub message: String,
}

/// Rank parity as a hand-written hash join over the same `World`: index the
/// embassies by (sender, receiver), probe with (receiver, sender).
pub fn hash_join_rank_parity(world: &World) -> Vec<JoinFinding> {
    use parity::scenario::model::MissionKind;
    let embassies = world
        .missions
        .iter()
        .filter(|m| m.record.kind.value == MissionKind::Embassy);
    let mut index: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
    for (i, m) in world.missions.iter().enumerate() {
        if m.record.kind.value == MissionKind::Embassy {
            index.entry((m.sender, m.receiver)).or_default().push(i);
        }
    }
    let name = |sym: u32| {
        world
            .state(sym)
            .and_then(|s| s.record.name.clone())
            .unwrap_or_else(|| world.name(sym).to_string())
    };
    let mut out = Vec::new();
    for m in embassies {
        let Some(mh) = m.head else { continue };
        let Some(mc) = mh.rank.value.class() else {
            continue;
        };
        for &j in index.get(&(m.receiver, m.sender)).into_iter().flatten() {
            let r = &world.missions[j];
            if m.record.id.value >= r.record.id.value {
                continue;
            }
            let Some(rh) = r.head else { continue };
            let Some(rc) = rh.rank.value.class() else {
                continue;
            };
            if mc != rc {
                out.push(JoinFinding {
                    subject: [m.record.id.value.clone(), r.record.id.value.clone()],
                    message: format!(
                        "{} is represented in {} by a head of class {mc} ({}), but {} in {} by a head of class {rc} ({})",
                        name(m.sender),
                        name(m.receiver),
                        mh.rank.value.prose(),
                        name(r.sender),
                        name(r.receiver),
                        rh.rank.value.prose()
                    ),
                });
            }
        }
    }
    out
}

#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn hash_join_baseline(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    let world = World::at(&f.scenario, as_of(&f.scenario));
    // Same findings as the engine, or the comparison means nothing.
    let rule = rules().get("rank-parity").expect("standard rule");
    let engine = Evaluator::new(&world, Budget::default())
        .run_rule(rule)
        .expect("within budget");
    let mut ours: Vec<_> = hash_join_rank_parity(&world)
        .into_iter()
        .map(|f| (f.subject.to_vec(), f.message))
        .collect();
    let mut theirs: Vec<_> = engine.into_iter().map(|f| (f.subject, f.message)).collect();
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs, "baseline and engine agree on rank-parity");
    b.bench(|| hash_join_rank_parity(&world));
}

#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn render_json(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    b.bench(|| parity::report::json::render(std::slice::from_ref(&f.report)));
}

#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn render_human(b: divan::Bencher, n: u32) {
    let f = fixture(n);
    b.bench(|| parity::report::human::render(&f.report, Some(&f.text)));
}

/// `timeline` against the number of change points: a 20-state world over 3,
/// 6 and 12 years (dates on the 1st of a month), in process.
#[divan::bench(args = [3, 6, 12], sample_count = 3, sample_size = 1)]
fn timeline_years(b: divan::Bencher, years: u32) {
    let params = gen_world::Params {
        years,
        ..gen_world::Params::new(20)
    };
    let text = gen_world::scenario(&params);
    let scenario = load_str(&text, "synthetic.yaml", &limits()).expect("loads");
    let points = parity::engine::timeline::change_points(&scenario).len();
    eprintln!("timeline_years {years}: {points} change points");
    b.bench(|| {
        parity::engine::timeline::timeline(&scenario, rules(), None, None, &CheckOptions::default())
            .expect("timeline")
    });
}
