//! Exports a scenario's world at `as_of` as facts for the peer comparison
//! (benches/peers/): Prolog (`facts.pl`), ASP for clingo (`facts.lp`) and
//! JSON for Rego (`facts.json`), all the same rows.
//!
//! ```sh
//! cargo run --release --example peer_facts -- world.yaml OUTDIR
//! cargo run --release --example peer_facts -- --tests RULE.test.yaml OUTDIR
//! ```
//!
//! With `--tests`, a rule-test file (`parity test` format): each case's world
//! (at the case's `as_of`, else its scenario's) goes to `OUTDIR/case-NN/`, with
//! `expected.txt`, the findings of parity's engine for the file's rule (one
//! line each, subject ids separated by a space, sorted), after checking they
//! are the case's `fires`.
//!
//! The rows are what the rules read, as the world at `as_of` holds it, with
//! no rule logic applied (no filtering on kind or class, no recognition
//! look-up):
//!
//! - `mission(Id, Sender, Receiver, Kind)`: every mission open at `as_of`;
//! - `head(Mission, Rank)`: its head in office at `as_of`;
//! - `credentials(Mission, To, On)`: that head's credentials; `On` is the
//!   date they were presented (`on`, else the head's `from`, as
//!   `m.head.credentials.on` reads) as the integer YYYYMMDD, or -1 if unknown;
//! - `rank_class(Rank, Class)`: VCDR art. 14, what `class()` returns;
//! - `recognition(By, Of, Level, From, Until)`: every recognition record, of
//!   any date, as the half-open period `[From, Until)` (YYYYMMDD; an open
//!   start is 0, an open end 99999999);
//! - `government(Id, DefaultRecognition)`: listed governments (`none` when
//!   the record gives none);
//! - `state(Id)`: every state (credentials to a state's id go to its implicit
//!   government, recognised de jure).
//!
//! Ids and words are Prolog quoted atoms and ASP strings. The JSON holds the
//! same rows, as objects keyed by the row's first argument where that is
//! unique (a mission's, head's or credentials' mission id, a rank, a
//! government or state id) and as a list for recognitions (see [`to_json`]).

use parity::RuleSet;
use parity::eval::{Budget, Evaluator};
use parity::scenario::date::Date;
use parity::scenario::load::{load_rule_tests, load_str};
use parity::scenario::model::{Level, Rank, Scenario};
use parity::scenario::world::World;
use parity::scenario::yaml::YamlLimits;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::process::ExitCode;

/// The predicates, in the order the files list them.
const PREDICATES: [&str; 7] = [
    "mission",
    "head",
    "credentials",
    "rank_class",
    "recognition",
    "government",
    "state",
];

/// Their arities.
const ARITIES: [usize; 7] = [4, 2, 3, 2, 5, 2, 1];

/// An open start of a period.
const OPEN_FROM: u32 = 0;
/// An open end of a period (after any date: the largest is 99991231).
const OPEN_UNTIL: u32 = 99_999_999;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("peer_facts: {message}");
            ExitCode::from(2)
        }
    }
}

/// One row: a predicate and its arguments.
struct Row {
    pred: &'static str,
    args: Vec<Arg>,
}

enum Arg {
    Word(String),
    Int(i64),
}

fn word(s: &str) -> Arg {
    Arg::Word(s.to_string())
}

fn date(d: Option<Date>, open: u32) -> Arg {
    Arg::Int(i64::from(d.map_or(open, |d| d.ordinal())))
}

fn level(l: Option<Level>) -> Arg {
    word(l.unwrap_or(Level::NoRecognition).word())
}

fn limits() -> YamlLimits {
    YamlLimits {
        max_bytes: 1 << 30,
        max_nodes: usize::MAX,
        ..YamlLimits::default()
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, path, out] if flag == "--tests" => tests(path, out),
        [path, out] => world(path, out),
        _ => Err(
            "usage: peer_facts WORLD.yaml OUTDIR | peer_facts --tests RULE.test.yaml OUTDIR".into(),
        ),
    }
}

fn world(path: &str, out: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let scenario = load_str(&text, path, &limits())
        .map_err(|d| format!("{path}: {} diagnostics, first: {:?}", d.len(), d.first()))?;
    let as_of = scenario
        .as_of
        .as_ref()
        .map(|d| d.value)
        .ok_or_else(|| format!("{path}: no as_of"))?;
    let world = World::at(&scenario, as_of);
    let rows = rows(&scenario, &world);
    write_facts(std::path::Path::new(out), &rows)?;
    eprintln!(
        "peer_facts: {} rows ({} open missions) at as_of {as_of}",
        rows.len(),
        world.missions.len()
    );
    Ok(())
}

fn tests(path: &str, out: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let tests = load_rule_tests(&text, path, &limits())
        .map_err(|d| format!("{path}: {} diagnostics, first: {:?}", d.len(), d.first()))?;
    let rules = RuleSet::standard().map_err(|d| format!("standard rules: {d:?}"))?;
    let rule = rules
        .get(&tests.rule.value)
        .ok_or_else(|| format!("{path}: no standard rule {}", tests.rule.value))?;
    for (i, case) in tests.cases.iter().enumerate() {
        let as_of = case
            .as_of
            .as_ref()
            .or(case.scenario.as_of.as_ref())
            .map(|d| d.value)
            .ok_or_else(|| format!("{path}: case {:?} has no as_of", case.name))?;
        let world = World::at(&case.scenario, as_of);
        let findings = Evaluator::new(&world, Budget::default())
            .run_rule(rule)
            .map_err(|e| e.to_string())?;
        let mut got: Vec<String> = findings.iter().map(|f| f.subject.join(" ")).collect();
        got.sort();
        // `parity test` compares subjects as sets of ids, with their counts;
        // the engine lists rank-parity's pair in id order, as the peers do.
        let mut want: Vec<String> = case
            .fires
            .iter()
            .flat_map(|e| {
                let mut ids = e.subject.clone();
                ids.sort();
                std::iter::repeat_n(ids.join(" "), e.count as usize)
            })
            .collect();
        want.sort();
        if got != want {
            return Err(format!(
                "{path}: case {:?}: parity finds {got:?}, the case expects {want:?}",
                case.name
            ));
        }
        let dir = std::path::Path::new(out).join(format!("case-{:02}", i + 1));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        write_facts(&dir, &rows(&case.scenario, &world))?;
        let expected: String = got.iter().map(|l| format!("{l}\n")).collect();
        write(&dir, "expected.txt", &expected)?;
        write(&dir, "name.txt", &format!("{}\n", case.name))?;
    }
    eprintln!(
        "peer_facts: {} cases of {} from {path}",
        tests.cases.len(),
        tests.rule.value
    );
    Ok(())
}

/// The rows of the world (module docs).
fn rows(scenario: &Scenario, world: &World) -> Vec<Row> {
    let mut rows = Vec::new();
    for m in &world.missions {
        let id = world.name(m.sym);
        rows.push(Row {
            pred: "mission",
            args: vec![
                word(id),
                word(world.name(m.sender)),
                word(world.name(m.receiver)),
                word(m.record.kind.value.word()),
            ],
        });
        let Some(head) = m.head else { continue };
        rows.push(Row {
            pred: "head",
            args: vec![word(id), word(head.rank.value.word())],
        });
        if let Some(to) = m.credentials_to {
            let on = head.credentials_on().map_or(-1, |d| i64::from(d.ordinal()));
            rows.push(Row {
                pred: "credentials",
                args: vec![word(id), word(world.name(to)), Arg::Int(on)],
            });
        }
    }
    for word_text in Rank::WORDS {
        let class = Rank::from_word(word_text).and_then(Rank::class);
        if let Some(class) = class {
            rows.push(Row {
                pred: "rank_class",
                args: vec![word(word_text), Arg::Int(i64::from(class))],
            });
        }
    }
    for r in &scenario.recognitions {
        rows.push(Row {
            pred: "recognition",
            args: vec![
                word(&r.by.value),
                word(&r.of.value),
                word(r.level.value.word()),
                date(r.from.as_ref().map(|d| d.value), OPEN_FROM),
                date(r.until.as_ref().map(|d| d.value), OPEN_UNTIL),
            ],
        });
    }
    for g in &scenario.governments {
        rows.push(Row {
            pred: "government",
            args: vec![word(&g.id.value), level(g.default_recognition)],
        });
    }
    for s in &scenario.states {
        rows.push(Row {
            pred: "state",
            args: vec![word(&s.id.value)],
        });
    }
    // Each predicate's clauses together (Prolog warns otherwise), in this order.
    rows.sort_by_key(|r| PREDICATES.iter().position(|p| *p == r.pred));
    rows
}

fn write_facts(dir: &std::path::Path, rows: &[Row]) -> Result<(), String> {
    // A predicate with no rows still exists for Prolog (no existence error).
    let mut pl = String::new();
    for (pred, arity) in PREDICATES.iter().zip(ARITIES) {
        if !rows.iter().any(|r| r.pred == *pred) {
            pl.push_str(&format!(":- dynamic {pred}/{arity}.\n"));
        }
    }
    pl.push_str(&clauses(rows, prolog_atom));
    write(dir, "facts.pl", &pl)?;
    write(dir, "facts.lp", &clauses(rows, asp_string))?;
    let json = serde_json::to_string(&to_json(rows)).map_err(|e| e.to_string())?;
    write(dir, "facts.json", &json)
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> Result<(), String> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn clauses(rows: &[Row], quote: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(rows.len() * 48);
    for row in rows {
        let args: Vec<String> = row
            .args
            .iter()
            .map(|a| match a {
                Arg::Word(w) => quote(w),
                Arg::Int(n) => n.to_string(),
            })
            .collect();
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{}({}).", row.pred, args.join(","));
    }
    out
}

fn prolog_atom(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn asp_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Argument names of each predicate, the JSON object keys.
fn keys(pred: &str) -> &'static [&'static str] {
    match pred {
        "mission" => &["id", "sender", "receiver", "kind"],
        "head" => &["mission", "rank"],
        "credentials" => &["mission", "to", "on"],
        "rank_class" => &["rank", "class"],
        "recognition" => &["by", "of", "level", "from", "until"],
        "government" => &["id", "default_recognition"],
        "state" => &["id"],
        _ => &[],
    }
}

/// Rows keyed by their primary key (the first argument) where it is unique:
/// `{"mission": {ID: {"sender": .., "receiver": .., "kind": ..}}, "head": {ID: RANK},
/// "credentials": {ID: {"to": .., "on": ..}}, "rank_class": {RANK: CLASS},
/// "government": {ID: LEVEL}, "state": {ID: true}}`; recognitions, which have
/// no unique key, as a list of objects.
fn to_json(rows: &[Row]) -> Value {
    let mut map = serde_json::Map::new();
    for pred in [
        "mission",
        "head",
        "credentials",
        "rank_class",
        "government",
        "state",
    ] {
        map.insert(pred.to_string(), json!({}));
    }
    map.insert("recognition".to_string(), json!([]));
    let value = |a: &Arg| match a {
        Arg::Word(w) => json!(w),
        Arg::Int(n) => json!(n),
    };
    for row in rows {
        let keys = keys(row.pred);
        match map.get_mut(row.pred) {
            Some(Value::Array(list)) => list.push(Value::Object(
                keys.iter()
                    .zip(&row.args)
                    .map(|(k, a)| (k.to_string(), value(a)))
                    .collect(),
            )),
            Some(Value::Object(object)) => {
                let Some(Arg::Word(key)) = row.args.first() else {
                    continue;
                };
                let rest: Vec<&Arg> = row.args.iter().skip(1).collect();
                let v = match rest.as_slice() {
                    [] => json!(true),
                    [one] => value(one),
                    _ => Value::Object(
                        keys.iter()
                            .skip(1)
                            .zip(rest)
                            .map(|(k, a)| (k.to_string(), value(a)))
                            .collect(),
                    ),
                };
                object.insert(key.clone(), v);
            }
            _ => {}
        }
    }
    Value::Object(map)
}
