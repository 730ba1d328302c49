//! Differential testing of the evaluator. Random small scenarios and random
//! rules from a small grammar are run through the engine
//! (`Evaluator::run_rule`: join planning, hash indexes, step filters) and
//! through a deliberately naive reference evaluator written here: nested
//! loops over every binding, no index, no plan, its own interpreter over the
//! checked expression tree. Only field reads, equality, order and display
//! are shared with the engine (`parity::eval::value::Reader`), so what is
//! tested is how the engine enumerates and filters bindings: the findings
//! (subjects and messages) must be the same multiset.
//!
//! Generation draws from a "tape" of numbers (each choice is the next number
//! modulo the number of options, 0 when the tape runs out), so proptest's
//! shrinking of the tape shrinks the scenario and the rule alike.
//!
//! Also here: for generated rule texts, `format_rules` gives text that parses
//! to the same rules (compared without spans), is canonical (formatting it
//! again changes nothing), and is actually reformatted (the formatter did not
//! fall back to the input).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::RuleSet;
use parity::eval::value::{Reader, Value};
use parity::eval::{Budget, Evaluator};
use parity::lang::ast::{CmpOp, QuantifierKind};
use parity::lang::check::{CheckedRule, Ex, Lit, MessagePart};
use parity::lang::fmt::{format_rules, without_spans};
use parity::lang::parse::parse_rules;
use parity::lang::schema::Collection;
use parity::scenario::load::load_str;
use parity::scenario::model::Scenario;
use parity::scenario::world::World;
use parity::scenario::yaml::YamlLimits;
use proptest::prelude::*;
use std::fmt::Write as _;

// ---------------------------------------------------------------------------
// The tape

struct Tape<'a> {
    data: &'a [u32],
    pos: usize,
}

impl<'a> Tape<'a> {
    fn new(data: &'a [u32]) -> Self {
        Tape { data, pos: 0 }
    }

    /// A number in `0..n` (n > 0); 0 once the tape is used up.
    fn pick(&mut self, n: usize) -> usize {
        let value = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        value as usize % n
    }

    /// True one time in two; false (the simpler choice) once the tape is used up.
    fn maybe(&mut self) -> bool {
        self.pick(2) == 1
    }

    fn choose<T: Copy>(&mut self, options: &[T]) -> T {
        options[self.pick(options.len())]
    }
}

// ---------------------------------------------------------------------------
// Scenarios

/// Few dates, of mixed precision, so that periods meet and equalities happen.
const DATES: [&str; 8] = [
    "2019",
    "2020-06",
    "2021-08-15",
    "2022-01-01",
    "2023-03",
    "2024-09-09",
    "2024-09-27",
    "2025-01-01",
];
const STATE_IDS: [&str; 4] = ["AAA", "BBB", "CCC", "DDD"];
const KINDS: [&str; 5] = [
    "embassy",
    "embassy",
    "consulate",
    "consulate-general",
    "delegation",
];
/// "BBB" is also a state's id: a string that reads like an id.
const CITIES: [&str; 3] = ["Kabul", "Astana", "BBB"];
const RANKS: [&str; 9] = [
    "ambassador",
    "nuncio",
    "envoy",
    "minister",
    "charge-d-affaires",
    "charge-d-affaires-ai",
    "consul",
    "representative",
    "ambassador",
];
const LEVELS: [&str; 3] = ["de-jure", "de-facto", "none"];
const STAFF: [u32; 8] = [0, 1, 2, 20, 21, 30, 31, 62];

/// An optional period over `DATES`: (from, until) with until >= from.
fn period(t: &mut Tape) -> (Option<&'static str>, Option<&'static str>) {
    let from = t.maybe().then(|| t.pick(DATES.len()));
    let until = t.maybe().then(|| t.pick(DATES.len()));
    let (from, until) = match (from, until) {
        (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
        other => other,
    };
    (from.map(|i| DATES[i]), until.map(|i| DATES[i]))
}

fn period_keys(from: Option<&str>, until: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(from) = from {
        let _ = write!(out, ", from: {from}");
    }
    if let Some(until) = until {
        let _ = write!(out, ", until: {until}");
    }
    out
}

/// A valid scenario (YAML text) drawn from the tape.
fn gen_scenario(t: &mut Tape) -> String {
    let n = 2 + t.pick(3);
    let mut y = String::new();
    let _ = writeln!(y, "scenario: gen\nas_of: {}\nstates:", t.choose(&DATES));
    for (i, id) in STATE_IDS.iter().enumerate().take(n) {
        let kind = if i >= 2 && t.maybe() {
            "organization"
        } else {
            "state"
        };
        let name = if t.maybe() {
            format!(", name: Name{i}")
        } else {
            String::new()
        };
        let _ = writeln!(y, "  - {{ id: {id}, kind: {kind}{name} }}");
    }
    // Listed governments: an old one until a date, a new one from that date
    // (or, contested, from the date before).
    let mut governments: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut lines = Vec::new();
    for (i, listed) in governments.iter_mut().enumerate() {
        if !t.maybe() {
            continue;
        }
        let split = 1 + t.pick(DATES.len() - 2);
        let start = if t.pick(3) == 1 { split - 1 } else { split };
        for (suffix, keys) in [
            ("a", format!("until: {}", DATES[split])),
            ("b", format!("from: {}", DATES[start])),
        ] {
            let id = format!("g{i}{suffix}");
            let default = match t.pick(4) {
                1 => ", default_recognition: de-jure",
                2 => ", default_recognition: de-facto",
                3 => ", default_recognition: none",
                _ => "",
            };
            lines.push(format!(
                "  - {{ id: {id}, state: {}, {keys}{default} }}",
                STATE_IDS[i]
            ));
            listed.push(id);
        }
    }
    if !lines.is_empty() {
        y.push_str("governments:\n");
        for line in lines {
            y.push_str(&line);
            y.push('\n');
        }
    }
    // What each state's government ids are (its own id when none is listed).
    let govs_of = |i: usize| -> Vec<String> {
        if governments[i].is_empty() {
            vec![STATE_IDS[i].to_string()]
        } else {
            governments[i].clone()
        }
    };
    let mut recognisable: Vec<String> = STATE_IDS[..n].iter().map(|s| s.to_string()).collect();
    for listed in &governments {
        recognisable.extend(listed.iter().cloned());
    }
    let recognitions = t.pick(5);
    if recognitions > 0 {
        y.push_str("recognitions:\n");
        for _ in 0..recognitions {
            let by = STATE_IDS[t.pick(n)];
            let of = &recognisable[t.pick(recognisable.len())];
            let level = t.choose(&LEVELS);
            let (from, until) = period(t);
            let _ = writeln!(
                y,
                "  - {{ by: {by}, of: {of}, level: {level}{} }}",
                period_keys(from, until)
            );
        }
    }
    let missions = t.pick(7);
    if missions > 0 {
        y.push_str("missions:\n");
    }
    for j in 0..missions {
        let sender = t.pick(n);
        let receiver = (sender + 1 + t.pick(n - 1)) % n;
        let _ = writeln!(
            y,
            "  - id: m{j}\n    sender: {}\n    receiver: {}\n    kind: {}",
            STATE_IDS[sender],
            STATE_IDS[receiver],
            t.choose(&KINDS)
        );
        if t.maybe() {
            let _ = writeln!(y, "    city: {}", t.choose(&CITIES));
        }
        let (from, until) = period(t);
        if let Some(from) = from {
            let _ = writeln!(y, "    from: {from}");
        }
        if let Some(until) = until {
            let _ = writeln!(y, "    until: {until}");
        }
        if !governments[sender].is_empty() && t.maybe() {
            let run_by = &governments[sender][t.pick(governments[sender].len())];
            let _ = writeln!(y, "    run_by: {run_by}");
        }
        let staff = t.pick(3);
        if staff > 0 {
            y.push_str("    staff:\n");
            for _ in 0..staff {
                let from = t.maybe().then(|| t.choose(&DATES));
                let _ = writeln!(
                    y,
                    "      - {{ diplomats: {}{} }}",
                    t.choose(&STAFF),
                    period_keys(from, None)
                );
            }
        }
        // Heads in office one after another: boundaries are distinct dates.
        let heads = t.pick(4);
        if heads > 0 {
            let mask = t.pick(256);
            let bounds: Vec<&str> = (0..DATES.len())
                .filter(|b| mask & (1 << b) != 0)
                .map(|b| DATES[b])
                .collect();
            let heads = heads.min(bounds.len().saturating_sub(1)).max(1);
            let open_start = t.maybe();
            let open_end = t.maybe();
            y.push_str("    heads:\n");
            let receiver_govs = govs_of(receiver);
            for h in 0..heads {
                let mut keys = format!("rank: {}", t.choose(&RANKS));
                let from = bounds.get(h).filter(|_| !(h == 0 && open_start));
                let until = bounds.get(h + 1).filter(|_| !(h + 1 == heads && open_end));
                // A single head with too few bounds: in office always.
                let (from, until) = if bounds.len() < 2 {
                    (None, None)
                } else {
                    (from.copied(), until.copied())
                };
                keys.push_str(&period_keys(from, until));
                if t.maybe() {
                    let _ = write!(keys, ", agrement: {}", t.choose(&DATES));
                }
                if t.maybe() {
                    let to = &receiver_govs[t.pick(receiver_govs.len())];
                    let on = if t.maybe() {
                        format!(", on: {}", t.choose(&DATES))
                    } else {
                        String::new()
                    };
                    let _ = write!(keys, ", credentials: {{ to: {to}{on} }}");
                }
                let _ = writeln!(y, "      - {{ {keys} }}");
            }
        }
    }
    y
}

// ---------------------------------------------------------------------------
// Rules

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum T {
    Id,
    Date,
    Num,
    Str,
    Rank,
    Kind,
    Level,
    SKind,
    Bool,
}

impl T {
    fn ordered(self) -> bool {
        matches!(self, T::Id | T::Date | T::Num | T::Str)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum C {
    Missions,
    States,
    Governments,
    Recognitions,
}

const COLLECTIONS: [C; 5] = [
    C::Missions,
    C::Missions,
    C::States,
    C::Governments,
    C::Recognitions,
];

impl C {
    fn name(self) -> &'static str {
        match self {
            C::Missions => "missions",
            C::States => "states",
            C::Governments => "governments",
            C::Recognitions => "recognitions",
        }
    }

    fn fields(self) -> &'static [(&'static str, T)] {
        match self {
            C::Missions => &[
                ("id", T::Id),
                ("sender", T::Id),
                ("receiver", T::Id),
                ("kind", T::Kind),
                ("city", T::Str),
                ("run_by", T::Id),
                ("from", T::Date),
                ("until", T::Date),
                ("head.rank", T::Rank),
                ("head.from", T::Date),
                ("head.until", T::Date),
                ("head.agrement", T::Date),
                ("head.credentials.to", T::Id),
                ("head.credentials.on", T::Date),
                ("staff", T::Num),
                ("sender.government", T::Id),
                ("receiver.name", T::Str),
                ("run_by.in_control", T::Bool),
                ("head.proposed", T::Bool),
                ("head.credentials.to.in_control", T::Bool),
            ],
            C::States => &[
                ("id", T::Id),
                ("name", T::Str),
                ("kind", T::SKind),
                ("government", T::Id),
                ("government.in_control", T::Bool),
                ("government.default_recognition", T::Level),
            ],
            C::Governments => &[
                ("id", T::Id),
                ("state", T::Id),
                ("name", T::Str),
                ("from", T::Date),
                ("until", T::Date),
                ("default_recognition", T::Level),
                ("in_control", T::Bool),
                ("state.kind", T::SKind),
                ("state.government", T::Id),
            ],
            C::Recognitions => &[
                ("by", T::Id),
                ("of", T::Id),
                ("level", T::Level),
                ("from", T::Date),
                ("until", T::Date),
                ("by.name", T::Str),
            ],
        }
    }

    /// Fields that name a state (for `recognition`'s first argument).
    fn state_fields(self) -> &'static [&'static str] {
        match self {
            C::Missions => &["sender", "receiver"],
            C::States => &["id"],
            C::Governments => &["state"],
            C::Recognitions => &["by"],
        }
    }

    /// Fields that name a government (or a state), for `recognition`'s second.
    fn government_fields(self) -> &'static [&'static str] {
        match self {
            C::Missions => &["run_by", "head.credentials.to", "sender.government"],
            C::States => &["government", "id"],
            C::Governments => &["id"],
            C::Recognitions => &["of"],
        }
    }
}

fn literals(ty: T) -> &'static [&'static str] {
    match ty {
        T::Id => &["AAA", "BBB", "CCC", "ZZZ", "m0", "m1", "g1a", "g1b", "g0b"],
        T::Date => &[
            "2019-01",
            "2020-06",
            "2021-08-15",
            "2023-03-01",
            "2024-09-09",
            "as_of",
        ],
        T::Num => &["0", "1", "2", "1.5", "20", "21", "3"],
        T::Str => &["\"Kabul\"", "\"BBB\"", "\"Name1\"", "\"\""],
        T::Rank => &[
            "ambassador",
            "envoy",
            "charge-d-affaires",
            "charge-d-affaires-ai",
            "consul",
        ],
        T::Kind => &["embassy", "consulate", "delegation"],
        T::Level => &["de-jure", "de-facto"],
        T::SKind => &["state", "organization"],
        T::Bool => &["true", "false"],
    }
}

type Vars = Vec<(&'static str, C)>;

/// A field path of one of the variables, of the given type if any has one.
fn term(t: &mut Tape, vars: &Vars, want: Option<T>) -> Option<(String, T)> {
    let mut options = Vec::new();
    for (var, c) in vars {
        for (field, ty) in c.fields() {
            if want.is_none_or(|w| w == *ty) {
                options.push((format!("{var}.{field}"), *ty));
            }
        }
    }
    if options.is_empty() {
        None
    } else {
        let i = t.pick(options.len());
        Some(options.swap_remove(i))
    }
}

fn literal(t: &mut Tape, ty: T) -> String {
    t.choose(literals(ty)).to_string()
}

const OPS: [&str; 6] = ["==", "!=", "<", "<=", ">", ">="];

/// A comparison (or a boolean field) over the variables.
fn comparison(t: &mut Tape, vars: &Vars) -> String {
    let Some((lhs, ty)) = term(t, vars, None) else {
        return "true".to_string();
    };
    if ty == T::Bool && t.maybe() {
        return if t.maybe() { format!("not {lhs}") } else { lhs };
    }
    let op = if ty.ordered() {
        t.choose(&OPS)
    } else {
        t.choose(&OPS[..2])
    };
    let rhs = match t.pick(3) {
        1 => term(t, vars, Some(ty)).map_or_else(|| literal(t, ty), |(text, _)| text),
        2 if op == "==" || op == "!=" => "none".to_string(),
        _ => literal(t, ty),
    };
    if t.maybe() {
        format!("{rhs} {op} {lhs}")
    } else {
        format!("{lhs} {op} {rhs}")
    }
}

/// An equality between ids read from two (different, if there are two) variables.
fn join(t: &mut Tape, vars: &Vars) -> String {
    let (a, b) = if vars.len() >= 2 {
        let a = vars.len() - 1;
        (vars[a], vars[t.pick(a)])
    } else {
        (vars[0], vars[0])
    };
    let ids = |c: C| -> Vec<&'static str> {
        c.fields()
            .iter()
            .filter(|(_, ty)| *ty == T::Id)
            .map(|(f, _)| *f)
            .collect()
    };
    let fa = ids(a.1);
    let fb = ids(b.1);
    let fa = fa[t.pick(fa.len())];
    let fb = fb[t.pick(fb.len())];
    let op = if t.pick(4) == 0 { "!=" } else { "==" };
    format!("{}.{fa} {op} {}.{fb}", a.0, b.0)
}

fn missions_var(vars: &Vars) -> Vec<&'static str> {
    vars.iter()
        .filter(|(_, c)| *c == C::Missions)
        .map(|(v, _)| *v)
        .collect()
}

/// One condition of the grammar.
fn atom(t: &mut Tape, vars: &Vars, depth: usize) -> String {
    match t.pick(12) {
        0..=2 => comparison(t, vars),
        3 | 4 => join(t, vars),
        5 => {
            let ms = missions_var(vars);
            if ms.is_empty() {
                return comparison(t, vars);
            }
            let m = ms[t.pick(ms.len())];
            let lhs = format!("class({m}.head.rank)");
            match t.pick(4) {
                0 => format!("{lhs} {} {}", t.choose(&OPS), t.choose(&["1", "2", "3"])),
                1 => format!("{lhs} {} none", t.choose(&OPS[..2])),
                2 => format!("{lhs} in [1, 2]"),
                _ => {
                    let other = ms[t.pick(ms.len())];
                    format!("{lhs} {} class({other}.head.rank)", t.choose(&OPS))
                }
            }
        }
        6 => {
            let ty = t.choose(&[T::Rank, T::Kind, T::Id, T::Num, T::Level, T::Date]);
            let Some((lhs, _)) = term(t, vars, Some(ty)) else {
                return comparison(t, vars);
            };
            let n = t.pick(4);
            let items: Vec<String> = (0..n).map(|_| literal(t, ty)).collect();
            let not = if t.maybe() { "not " } else { "" };
            format!("{lhs} {not}in [{}]", items.join(", "))
        }
        7 if depth == 0 => {
            let c = t.choose(&COLLECTIONS);
            let mut inner = vars.clone();
            inner.push(("q", c));
            let mut parts = Vec::new();
            if t.pick(4) != 0 {
                parts.push(join(t, &inner));
            }
            for _ in 0..t.pick(3) {
                parts.push(atom(t, &inner, depth + 1));
            }
            let filter = if parts.is_empty() {
                String::new()
            } else {
                format!(" where {}", parts.join(" and "))
            };
            if t.maybe() {
                format!("exists(q in {}{filter})", c.name())
            } else {
                format!(
                    "count(q in {}{filter}) {} {}",
                    c.name(),
                    t.choose(&OPS),
                    t.choose(&["0", "1", "2"])
                )
            }
        }
        8 => {
            let (v, c) = vars[t.pick(vars.len())];
            let (w, d) = vars[t.pick(vars.len())];
            let by = format!("{v}.{}", t.choose(c.state_fields()));
            let of = format!("{w}.{}", t.choose(d.government_fields()));
            let at = match t.pick(3) {
                1 => {
                    term(t, vars, Some(T::Date)).map_or_else(String::new, |(d, _)| format!(", {d}"))
                }
                2 => format!(", {}", literal(t, T::Date)),
                _ => String::new(),
            };
            let level = t.choose(&["de-jure", "de-facto", "none"]);
            format!(
                "recognition({by}, {of}{at}) {} {level}",
                t.choose(&OPS[..2])
            )
        }
        9 => {
            let ms = missions_var(vars);
            if ms.is_empty() {
                return comparison(t, vars);
            }
            let a = ms[t.pick(ms.len())];
            let b = ms[t.pick(ms.len())];
            format!(
                "ratio({a}.staff, {b}.staff) {} {}",
                t.choose(&OPS),
                t.choose(&["1", "1.5", "3"])
            )
        }
        10 if depth < 2 => format!("not ({})", atom(t, vars, depth + 1)),
        11 if depth < 2 => format!(
            "({} or {})",
            atom(t, vars, depth + 1),
            atom(t, vars, depth + 1)
        ),
        _ => comparison(t, vars),
    }
}

fn conjunction(t: &mut Tape, vars: &Vars, max: usize, joins: bool) -> Vec<String> {
    let mut parts = Vec::new();
    if joins && vars.len() == 2 {
        for _ in 0..t.pick(3) {
            parts.push(join(t, vars));
        }
    }
    for _ in 0..t.pick(max + 1) {
        parts.push(atom(t, vars, 0));
    }
    parts
}

/// The clauses of a generated rule, before layout.
struct GenRule {
    id: String,
    subject: Option<String>,
    bindings: String,
    filter: Vec<String>,
    require: Vec<String>,
    message: String,
}

fn gen_rule(t: &mut Tape, id: &str) -> GenRule {
    let mut vars: Vars = vec![("a", t.choose(&COLLECTIONS))];
    if t.maybe() {
        vars.push(("b", t.choose(&COLLECTIONS)));
    }
    let bindings = vars
        .iter()
        .map(|(v, c)| format!("{v} in {}", c.name()))
        .collect::<Vec<_>>()
        .join(", ");
    let subject = (vars.len() == 2 && t.maybe()).then(|| vars[t.pick(2)].0.to_string());
    let filter = conjunction(t, &vars, 3, true);
    let require = if t.pick(4) == 0 {
        Vec::new()
    } else {
        let mut parts = conjunction(t, &vars, 1, false);
        if parts.is_empty() {
            parts.push(atom(t, &vars, 0));
        }
        parts
    };
    let mut message = String::from("fired:");
    for _ in 0..1 + t.pick(3) {
        let hole = match t.pick(4) {
            0 => {
                let ms = missions_var(&vars);
                match ms.first() {
                    Some(m) => format!("class({m}.head.rank)"),
                    None => "as_of".to_string(),
                }
            }
            _ => term(t, &vars, None).map_or_else(|| "as_of".to_string(), |(text, _)| text),
        };
        let _ = write!(message, " {{{hole}}}");
    }
    GenRule {
        id: id.to_string(),
        subject,
        bindings,
        filter,
        require,
        message,
    }
}

impl GenRule {
    /// The rule laid out one clause per line, as written by hand.
    fn text(&self) -> String {
        let mut s = format!(
            "rule {} {{\n  title \"Generated\"\n  severity warning\n  cite \"test\"\n",
            self.id
        );
        if let Some(subject) = &self.subject {
            let _ = writeln!(s, "  subject {subject}");
        }
        let _ = writeln!(s, "  for {}", self.bindings);
        if !self.filter.is_empty() {
            let _ = writeln!(s, "  where {}", self.filter.join("\n    and "));
        }
        if !self.require.is_empty() {
            let _ = writeln!(s, "  require {}", self.require.join(" and "));
        }
        let _ = writeln!(s, "  message \"{}\"\n}}", self.message);
        s
    }

    /// The same rule on one line, clauses out of order, extra spaces: not canonical.
    fn scrambled(&self) -> String {
        let mut clauses = vec![
            format!("message  \"{}\"", self.message),
            format!("for  {}", self.bindings),
            "cite \"test\"".to_string(),
            "severity  warning".to_string(),
            "title \"Generated\"".to_string(),
        ];
        if let Some(subject) = &self.subject {
            clauses.push(format!("subject {subject}"));
        }
        if !self.filter.is_empty() {
            clauses.push(format!("where ({})", self.filter.join(") and (")));
        }
        if !self.require.is_empty() {
            clauses.push(format!("require {}", self.require.join("  and  ")));
        }
        format!("rule {}   {{ {} }}", self.id, clauses.join("   "))
    }
}

// ---------------------------------------------------------------------------
// The reference evaluator

/// Evaluates a checked rule by brute force: every combination of records,
/// every condition checked at the end, quantifiers by scanning.
struct Naive<'a, 's> {
    world: &'a World<'s>,
    reader: Reader<'a, 's>,
}

impl<'a, 's> Naive<'a, 's> {
    fn new(world: &'a World<'s>) -> Self {
        Naive {
            world,
            reader: Reader { world },
        }
    }

    fn rows(&self, collection: Collection) -> u32 {
        let n = match collection {
            Collection::Missions => self.world.missions.len(),
            Collection::States => self.world.states.len(),
            Collection::Governments => self.world.governments.len(),
            Collection::Recognitions => self.world.recognitions.len(),
        };
        n as u32
    }

    fn findings(&self, rule: &'a CheckedRule) -> Vec<(Vec<String>, String)> {
        let mut out = Vec::new();
        let mut env = vec![Value::Null; rule.slots.max(1)];
        self.bind(rule, 0, &mut env, &mut out);
        out
    }

    fn bind(
        &self,
        rule: &'a CheckedRule,
        slot: usize,
        env: &mut Vec<Value<'a>>,
        out: &mut Vec<(Vec<String>, String)>,
    ) {
        let Some(binding) = rule.bindings.get(slot) else {
            let passes = rule.filter.iter().all(|c| self.holds(c, env));
            let required = rule.require.as_ref().is_some_and(|r| self.holds(r, env));
            if passes && !required {
                out.push(self.finding(rule, env));
            }
            return;
        };
        let kind = binding.collection.record();
        for row in 0..self.rows(binding.collection) {
            env[slot] = Value::Row(kind, row);
            self.bind(rule, slot + 1, env, out);
        }
        env[slot] = Value::Null;
    }

    fn finding(&self, rule: &'a CheckedRule, env: &mut Vec<Value<'a>>) -> (Vec<String>, String) {
        let subject = rule
            .subject
            .iter()
            .map(|&slot| match env[slot] {
                Value::Row(kind, row) => self.reader.row_id(kind, row),
                _ => String::new(),
            })
            .collect();
        let mut message = String::new();
        for part in &rule.message {
            match part {
                MessagePart::Text(text) => message.push_str(text),
                MessagePart::Value(ex) => {
                    let value = self.value(ex, env);
                    message.push_str(&self.reader.display(value));
                }
            }
        }
        (subject, message)
    }

    fn holds(&self, ex: &'a Ex, env: &mut Vec<Value<'a>>) -> bool {
        self.value(ex, env) == Value::Bool(true)
    }

    fn value(&self, ex: &'a Ex, env: &mut Vec<Value<'a>>) -> Value<'a> {
        let reader = &self.reader;
        match ex {
            Ex::Lit(lit) => match lit {
                Lit::Null => Value::Null,
                Lit::Bool(b) => Value::Bool(*b),
                Lit::Num(n) => Value::Num(*n),
                Lit::Str(s) => Value::Str(s),
                Lit::Date(d) => Value::Date(*d),
                Lit::Rank(r) => Value::Rank(*r),
                Lit::MissionKind(k) => Value::MissionKind(*k),
                Lit::Level(l) => Value::Level(*l),
                Lit::StateKind(k) => Value::StateKind(*k),
                Lit::Id(id) => self.world.sym(id).map_or(Value::Str(id), Value::Sym),
            },
            Ex::Var(slot) => env[*slot],
            Ex::Field(inner, kind, field) => {
                let value = self.value(inner, env);
                reader.field(value, *kind, *field)
            }
            Ex::AsOf => Value::Date(self.world.date),
            Ex::Not(inner) => Value::Bool(!self.holds(inner, env)),
            Ex::And(a, b) => {
                let a = self.holds(a, env);
                let b = self.holds(b, env);
                Value::Bool(a && b)
            }
            Ex::Or(a, b) => {
                let a = self.holds(a, env);
                let b = self.holds(b, env);
                Value::Bool(a || b)
            }
            Ex::Cmp(op, a, b) => {
                let (a, b) = (self.value(a, env), self.value(b, env));
                let order = reader.order(a, b);
                Value::Bool(match op {
                    CmpOp::Eq => reader.equal(a, b),
                    CmpOp::Ne => !reader.equal(a, b),
                    CmpOp::Lt => order == Some(std::cmp::Ordering::Less),
                    CmpOp::Le => matches!(
                        order,
                        Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
                    ),
                    CmpOp::Gt => order == Some(std::cmp::Ordering::Greater),
                    CmpOp::Ge => matches!(
                        order,
                        Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
                    ),
                })
            }
            Ex::In {
                item,
                list,
                negated,
            } => {
                let item = self.value(item, env);
                let elements: Vec<Value<'a>> = list.iter().map(|e| self.value(e, env)).collect();
                let found = elements.into_iter().any(|e| reader.equal(item, e));
                Value::Bool(found != *negated)
            }
            Ex::Class(inner) => match self.value(inner, env) {
                Value::Rank(rank) => match rank.word() {
                    "ambassador" | "nuncio" | "high-commissioner" => Value::Num(1.0),
                    "envoy" | "minister" | "internuncio" => Value::Num(2.0),
                    "charge-d-affaires" => Value::Num(3.0),
                    _ => Value::Null,
                },
                _ => Value::Null,
            },
            Ex::Recognition { by, of, at } => {
                let by = self.sym(self.value(by, env));
                let of = self.sym(self.value(of, env));
                let at = match at {
                    None => Some(self.world.date),
                    Some(at) => match self.value(at, env) {
                        Value::Date(d) => Some(d),
                        _ => None,
                    },
                };
                match (by, of) {
                    (Some(by), Some(of)) => self
                        .world
                        .recognition(by, of, at)
                        .map_or(Value::Null, Value::Level),
                    _ => Value::Null,
                }
            }
            Ex::Ratio(a, b) => match (self.value(a, env), self.value(b, env)) {
                (Value::Num(a), Value::Num(b)) => {
                    let (high, low) = (a.max(b), a.min(b));
                    Value::Num(if low > 0.0 {
                        high / low
                    } else if high > 0.0 {
                        f64::INFINITY
                    } else {
                        1.0
                    })
                }
                _ => Value::Null,
            },
            Ex::Quantifier {
                kind,
                slot,
                collection,
                filter,
            } => {
                let record = collection.record();
                let saved = env[*slot];
                let mut count = 0u32;
                for row in 0..self.rows(*collection) {
                    env[*slot] = Value::Row(record, row);
                    if filter.as_ref().is_none_or(|f| self.holds(f, env)) {
                        count += 1;
                    }
                }
                env[*slot] = saved;
                match kind {
                    QuantifierKind::Exists => Value::Bool(count > 0),
                    QuantifierKind::Count => Value::Num(f64::from(count)),
                }
            }
        }
    }

    /// The id a value names, if any (a bound record counts as its id).
    fn sym(&self, value: Value<'a>) -> Option<u32> {
        match value {
            Value::Sym(sym) => Some(sym),
            Value::Str(text) => self.world.sym(text),
            Value::Row(kind, row) => {
                let id = self.reader.row_id(kind, row);
                if id.contains('/') {
                    None
                } else {
                    self.world.sym(&id)
                }
            }
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Running both

fn load(yaml: &str) -> Scenario {
    load_str(yaml, "gen.yaml", &YamlLimits::default())
        .unwrap_or_else(|d| panic!("generated scenario does not load: {d:#?}\n{yaml}"))
}

fn rules(text: &str) -> RuleSet {
    let mut set = RuleSet::default();
    let mut diagnostics = Vec::new();
    set.add_text(text, "gen.rules", &mut diagnostics);
    assert!(
        diagnostics.is_empty(),
        "generated rule does not check:\n{}\n{}",
        diagnostics
            .iter()
            .map(|d| d.render(Some(text)))
            .collect::<String>(),
        text
    );
    set
}

type Findings = Vec<(Vec<String>, String)>;

/// (engine, reference) findings of every rule, each sorted.
fn both(yaml: &str, rule_text: &str) -> Vec<(Findings, Findings)> {
    let scenario = load(yaml);
    let set = rules(rule_text);
    let date = scenario.as_of.as_ref().map(|d| d.value).unwrap();
    let world = World::at(&scenario, date);
    let engine = Evaluator::new(&world, Budget::default());
    let naive = Naive::new(&world);
    set.rules
        .iter()
        .map(|rule| {
            let mut got: Findings = engine
                .run_rule(rule)
                .unwrap()
                .into_iter()
                .map(|f| (f.subject, f.message))
                .collect();
            let mut want = naive.findings(rule);
            got.sort();
            want.sort();
            (got, want)
        })
        .collect()
}

fn tape() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(any::<u32>(), 0..300)
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(800))]

    /// The engine and the naive evaluator agree on every generated rule and scenario.
    #[test]
    fn engine_agrees_with_the_naive_evaluator(scenario_tape in tape(), rule_tape in tape()) {
        let yaml = gen_scenario(&mut Tape::new(&scenario_tape));
        let mut t = Tape::new(&rule_tape);
        let text = format!("{}\n{}", gen_rule(&mut t, "gen-one").text(), gen_rule(&mut t, "gen-two").text());
        for (got, want) in both(&yaml, &text) {
            prop_assert_eq!(got, want, "\n--- scenario\n{}\n--- rules\n{}", yaml, text);
        }
    }

    /// Formatting a generated rule reformats it, keeps its meaning, and is canonical.
    #[test]
    fn formatting_keeps_the_meaning_of_generated_rules(rule_tape in tape()) {
        let rule = gen_rule(&mut Tape::new(&rule_tape), "gen");
        for text in [rule.text(), rule.scrambled()] {
            let parsed = parse_rules(&text, "gen.rules")
                .unwrap_or_else(|d| panic!("generated rule does not parse: {d:#?}\n{text}"));
            let formatted = format_rules(&text, "gen.rules").unwrap();
            prop_assert_ne!(&formatted, &text, "the formatter fell back to the input");
            let again = parse_rules(&formatted, "gen.rules").unwrap();
            prop_assert_eq!(without_spans(&again), without_spans(&parsed), "\n{}\n{}", text, formatted);
            prop_assert_eq!(format_rules(&formatted, "gen.rules").unwrap(), formatted.clone());
        }
    }
}

// ---------------------------------------------------------------------------
// The generators themselves, and the reference on known cases

#[test]
fn generated_scenarios_load_and_vary() {
    let mut missions = 0;
    let mut heads = 0;
    for seed in 0..200u32 {
        let data: Vec<u32> = (0..300u32)
            .map(|i| {
                seed.wrapping_mul(2_654_435_761)
                    .wrapping_add(i.wrapping_mul(40_503))
                    .rotate_left(i % 31)
            })
            .collect();
        let yaml = gen_scenario(&mut Tape::new(&data));
        let scenario = load(&yaml);
        missions += scenario.missions.len();
        heads += scenario
            .missions
            .iter()
            .map(|m| m.heads.len())
            .sum::<usize>();
    }
    assert!(missions > 200, "{missions} missions in 200 scenarios");
    assert!(heads > 100, "{heads} heads in 200 scenarios");
}

/// The generator makes rules that fire and rules that do not, over
/// scenarios with and without missions: the property is not vacuous.
#[test]
fn generated_rules_fire_sometimes() {
    let (mut fired, mut silent) = (0, 0);
    for seed in 0..200u32 {
        let tape = |salt: u32| -> Vec<u32> {
            (0..300u32)
                .map(|i| {
                    (seed ^ salt)
                        .wrapping_mul(2_246_822_519)
                        .wrapping_add(i.wrapping_mul(3_266_489_917))
                        .rotate_left((i + salt) % 29)
                })
                .collect()
        };
        let yaml = gen_scenario(&mut Tape::new(&tape(7)));
        let text = gen_rule(&mut Tape::new(&tape(11)), "r").text();
        for (got, want) in both(&yaml, &text) {
            assert_eq!(got, want, "\n{yaml}\n{text}");
            if got.is_empty() {
                silent += 1;
            } else {
                fired += 1;
            }
        }
    }
    assert!(fired > 30 && silent > 30, "{fired} fired, {silent} silent");
}

#[test]
fn the_empty_tape_gives_a_minimal_scenario_and_rule() {
    let yaml = gen_scenario(&mut Tape::new(&[]));
    let scenario = load(&yaml);
    assert_eq!(scenario.states.len(), 2);
    assert!(scenario.missions.is_empty());
    let rule = gen_rule(&mut Tape::new(&[]), "r").text();
    assert_eq!(rules(&rule).rules.len(), 1);
}

/// The reference evaluator on a case worked out by hand, so that the
/// differential property does not compare two wrong answers.
#[test]
fn the_reference_evaluator_matches_a_hand_count() {
    let yaml = "scenario: t\nas_of: 2024-01-01\nstates: [ { id: AAA }, { id: BBB }, { id: CCC } ]\nmissions:\n  - { id: a-b, sender: AAA, receiver: BBB, kind: embassy, heads: [ { rank: ambassador } ] }\n  - { id: b-a, sender: BBB, receiver: AAA, kind: embassy, heads: [ { rank: charge-d-affaires } ] }\n  - { id: a-c, sender: AAA, receiver: CCC, kind: embassy }\n  - { id: c-a, sender: CCC, receiver: AAA, kind: embassy, heads: [ { rank: envoy } ] }\n";
    let text = "rule p {\n  title \"T\"\n  severity error\n  cite \"C\"\n  for m in missions, r in missions\n  where r.sender == m.receiver and r.receiver == m.sender and m.id < r.id\n  require class(m.head.rank) == class(r.head.rank)\n  message \"{m.id} {class(m.head.rank)} / {r.id} {class(r.head.rank)}\"\n}\nrule c {\n  title \"T\"\n  severity error\n  cite \"C\"\n  for s in states\n  require count(m in missions where m.sender == s.id) < 2\n  message \"{s.id} sends {count(m in missions where m.sender == s.id)}\"\n}\n";
    // Rules come in the order written: p, then c.
    let results = both(yaml, text);
    let expected_c = vec![(vec!["AAA".to_string()], "AAA sends 2".to_string())];
    let expected_p = vec![
        (
            vec!["a-b".to_string(), "b-a".to_string()],
            "a-b 1 / b-a 3".to_string(),
        ),
        (
            vec!["a-c".to_string(), "c-a".to_string()],
            "a-c none / c-a 2".to_string(),
        ),
    ];
    assert_eq!(results[0].1, expected_p);
    assert_eq!(results[1].1, expected_c);
    assert_eq!(results[0].0, expected_p);
    assert_eq!(results[1].0, expected_c);
}
