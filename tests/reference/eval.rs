//! Rules and claims evaluated by brute force over a `RefWorld`: every
//! combination of records, every condition checked at the end, quantifiers
//! by scanning, fields read from the records with this file's own code.

use super::day::{self, Day};
use super::world::RefWorld;
use parity::lang::ast::{CmpOp, QuantifierKind};
use parity::lang::check::{CheckedExpr, CheckedRule, Ex, Lit, MessagePart};
use parity::lang::schema::{self, Collection, Field, RecordKind};
use parity::scenario::model::{At, Credentials, Head, Level};
use std::cmp::Ordering;

/// Which closed vocabulary a word belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voc {
    Rank,
    MissionKind,
    Level,
    StateKind,
    RelationStatus,
    EventKind,
}

#[derive(Debug, Clone, Copy)]
pub enum V<'a> {
    Null,
    Bool(bool),
    Num(f64),
    /// An id or a string: both compare by their text.
    Text(&'a str),
    Date(Day),
    Word(Voc, &'static str),
    /// A bound record: its collection and index in the world.
    Row(Collection, usize),
    /// The head in office of the open mission at this index.
    Head(usize),
    /// That head's credentials.
    Credentials(usize),
    /// The ids of a relation's `between`, as written.
    Pair(&'a [At<String>; 2]),
}

/// A record a value leads to.
enum Rec<'a> {
    Mission(usize),
    Head(usize, &'a Head),
    Credentials(&'a Head, &'a Credentials),
    State(usize),
    Government(usize),
    Recognition(usize),
    Relation(usize),
    Event(usize),
}

fn record_kind(c: Collection) -> RecordKind {
    match c {
        Collection::Missions => RecordKind::Mission,
        Collection::States => RecordKind::State,
        Collection::Governments => RecordKind::Government,
        Collection::Recognitions => RecordKind::Recognition,
        Collection::Relations => RecordKind::Relation,
        Collection::Events => RecordKind::Event,
    }
}

fn text<'a>(t: Option<&'a str>) -> V<'a> {
    t.map_or(V::Null, V::Text)
}

fn date<'a>(d: &Option<At<parity::scenario::date::Date>>) -> V<'a> {
    day::opt(d).map_or(V::Null, V::Date)
}

fn level<'a>(l: Option<Level>) -> V<'a> {
    match l {
        Some(Level::DeJure) => V::Word(Voc::Level, "de-jure"),
        Some(Level::DeFacto) => V::Word(Voc::Level, "de-facto"),
        Some(Level::NoRecognition) | None => V::Null,
    }
}

/// VCDR art. 14, from docs/scenario.md's table.
fn class(rank: &str) -> Option<f64> {
    match rank {
        "ambassador" | "nuncio" | "high-commissioner" => Some(1.0),
        "envoy" | "minister" | "internuncio" => Some(2.0),
        "charge-d-affaires" => Some(3.0),
        _ => None,
    }
}

/// Integers without a decimal point; others with at most three decimals.
fn number(n: f64) -> String {
    if !n.is_finite() {
        "infinity".to_string()
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let text = format!("{n:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl<'a> RefWorld<'a> {
    fn rows(&self, c: Collection) -> usize {
        match c {
            Collection::Missions => self.missions.len(),
            Collection::States => self.states.len(),
            Collection::Governments => self.governments.len(),
            Collection::Recognitions => self.recognitions.len(),
            Collection::Relations => self.relations.len(),
            Collection::Events => self.events.len(),
        }
    }

    /// The findings of a rule: (subject ids, message) for every combination
    /// of records that passes `where` and does not pass `require`.
    pub fn findings(&self, rule: &'a CheckedRule) -> Vec<(Vec<String>, String)> {
        let mut out = Vec::new();
        let mut env = vec![V::Null; rule.slots.max(1)];
        self.bind(rule, 0, &mut env, &mut out);
        out
    }

    fn bind(
        &self,
        rule: &'a CheckedRule,
        slot: usize,
        env: &mut Vec<V<'a>>,
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
        for row in 0..self.rows(binding.collection) {
            env[slot] = V::Row(binding.collection, row);
            self.bind(rule, slot + 1, env, out);
        }
        env[slot] = V::Null;
    }

    fn finding(&self, rule: &'a CheckedRule, env: &mut Vec<V<'a>>) -> (Vec<String>, String) {
        let mut subject: Vec<String> = rule
            .subject
            .iter()
            .map(|&slot| match env[slot] {
                V::Row(c, row) => self.row_id(c, row),
                _ => String::new(),
            })
            .collect();
        // `all(x in C where e)`: every record that passes, sorted, once.
        let mut members = Vec::new();
        for set in &rule.subject_sets {
            if let Ex::Quantifier {
                slot,
                collection,
                filter,
                ..
            } = set
            {
                for row in 0..self.rows(*collection) {
                    env[*slot] = V::Row(*collection, row);
                    if filter.as_deref().is_none_or(|f| self.holds(f, env)) {
                        members.push(self.row_id(*collection, row));
                    }
                }
                env[*slot] = V::Null;
            }
        }
        members.sort();
        members.dedup();
        subject.extend(members);
        let mut message = String::new();
        for part in &rule.message {
            match part {
                MessagePart::Text(text) => message.push_str(text),
                MessagePart::Value(ex) => {
                    let value = self.value(ex, env);
                    // An absent value reads in words, as parity's own evaluator says it.
                    match value {
                        V::Null => message.push_str(absent(ex)),
                        V::Word(_, word) => message.push_str(prose(word)),
                        value => message.push_str(&self.display(value)),
                    }
                }
            }
        }
        (subject, message)
    }

    pub fn claim(&self, claim: &'a CheckedExpr) -> bool {
        let mut env = vec![V::Null; claim.slots.max(1)];
        self.holds(&claim.expr, &mut env)
    }

    /// The id a record is known by; a recognition's is `by/of`.
    fn row_id(&self, c: Collection, row: usize) -> String {
        match c {
            Collection::Missions => self.missions[row].rec.id.value.clone(),
            Collection::States => self.states[row].rec.id.value.clone(),
            Collection::Governments => self.governments[row].id.to_string(),
            Collection::Recognitions => {
                let r = self.recognitions[row];
                format!("{}/{}", r.by.value, r.of.value)
            }
            Collection::Relations => {
                let [a, b] = &self.relations[row].between;
                format!("{}/{}", a.value, b.value)
            }
            Collection::Events => self.events[row].id.value.clone(),
        }
    }

    fn display(&self, value: V<'a>) -> String {
        match value {
            V::Null => "none".to_string(),
            V::Bool(b) => b.to_string(),
            V::Num(n) => number(n),
            V::Text(t) => t.to_string(),
            V::Date(d) => d.to_string(),
            V::Word(_, w) => w.to_string(),
            V::Row(c, row) => self.row_id(c, row),
            V::Head(m) => self.missions[m]
                .head
                .map_or("none", |h| h.rank.value.word())
                .to_string(),
            V::Credentials(m) => self.missions[m]
                .head
                .and_then(|h| h.credentials.as_ref())
                .map_or("none".to_string(), |c| c.to.value.clone()),
            V::Pair([a, b]) => format!("{}, {}", a.value, b.value),
        }
    }

    /// A bound mission, state or government stands for its id.
    fn normal(&self, value: V<'a>) -> V<'a> {
        match value {
            V::Row(Collection::Missions, row) => V::Text(&self.missions[row].rec.id.value),
            V::Row(Collection::States, row) => V::Text(&self.states[row].rec.id.value),
            V::Row(Collection::Governments, row) => V::Text(self.governments[row].id),
            V::Row(Collection::Events, row) => V::Text(&self.events[row].id.value),
            other => other,
        }
    }

    fn equal(&self, a: V<'a>, b: V<'a>) -> bool {
        match (self.normal(a), self.normal(b)) {
            (V::Null, V::Null) => true,
            (V::Bool(x), V::Bool(y)) => x == y,
            (V::Num(x), V::Num(y)) => x == y,
            (V::Text(x), V::Text(y)) => x == y,
            (V::Date(x), V::Date(y)) => x == y,
            (V::Word(v, x), V::Word(w, y)) => v == w && x == y,
            (V::Row(c, x), V::Row(d, y)) => c == d && x == y,
            (V::Head(x), V::Head(y)) | (V::Credentials(x), V::Credentials(y)) => x == y,
            _ => false,
        }
    }

    fn order(&self, a: V<'a>, b: V<'a>) -> Option<Ordering> {
        match (self.normal(a), self.normal(b)) {
            (V::Num(x), V::Num(y)) => x.partial_cmp(&y),
            (V::Date(x), V::Date(y)) => Some(x.cmp(&y)),
            (V::Text(x), V::Text(y)) => Some(x.cmp(y)),
            _ => None,
        }
    }

    fn record(&self, value: V<'a>, kind: RecordKind) -> Option<Rec<'a>> {
        Some(match (value, kind) {
            (V::Row(c, row), kind) if record_kind(c) == kind => match c {
                Collection::Missions => Rec::Mission(row),
                Collection::States => Rec::State(row),
                Collection::Governments => Rec::Government(row),
                Collection::Recognitions => Rec::Recognition(row),
                Collection::Relations => Rec::Relation(row),
                Collection::Events => Rec::Event(row),
            },
            (V::Head(m), RecordKind::Head) => Rec::Head(m, self.missions[m].head?),
            (V::Credentials(m), RecordKind::Credentials) => {
                let head = self.missions[m].head?;
                Rec::Credentials(head, head.credentials.as_ref()?)
            }
            (V::Text(id), RecordKind::State) => Rec::State(self.state(id)?),
            (V::Text(id), RecordKind::Government) => Rec::Government(self.government(id)?),
            (V::Text(id), RecordKind::Mission) => Rec::Mission(self.mission(id)?),
            (V::Text(id), RecordKind::Event) => Rec::Event(self.event(id)?),
            _ => return None,
        })
    }

    /// `field` of the record `value` leads to; `none` through anything absent.
    fn field(&self, value: V<'a>, kind: RecordKind, field: Field) -> V<'a> {
        let Some(record) = self.record(value, kind) else {
            return V::Null;
        };
        // By the field's name in the rules, not by how parity reads it.
        let field = schema::fields(kind)
            .iter()
            .find(|def| def.field == field)
            .map_or("", |def| def.name);
        let source = |s: &'a Option<At<String>>| text(s.as_ref().map(|s| s.value.as_str()));
        match record {
            Rec::Mission(row) => {
                let m = &self.missions[row];
                let r = m.rec;
                match field {
                    "id" => V::Text(&r.id.value),
                    "sender" => V::Text(&r.sender.value),
                    "receiver" => V::Text(&r.receiver.value),
                    "kind" => V::Word(Voc::MissionKind, r.kind.value.word()),
                    "city" => text(r.city.as_deref()),
                    "run_by" => text(m.run_by),
                    "from" => date(&r.from),
                    "until" => date(&r.until),
                    "head" => m.head.map_or(V::Null, |_| V::Head(row)),
                    "staff" => m.staff.map_or(V::Null, |n| V::Num(f64::from(n))),
                    "acting_since" => m.acting_since.map_or(V::Null, V::Date),
                    "protecting_power" => {
                        text(r.protecting_power.as_ref().map(|p| p.value.as_str()))
                    }
                    "relation" => m
                        .relation
                        .map_or(V::Null, |i| V::Row(Collection::Relations, i)),
                    "relation_status" => m
                        .relation_status
                        .map_or(V::Null, |s| V::Word(Voc::RelationStatus, s)),
                    "source" => source(&r.source),
                    _ => V::Null,
                }
            }
            Rec::Head(row, h) => match field {
                "name" => text(h.name.as_deref()),
                "rank" => V::Word(Voc::Rank, h.rank.value.word()),
                "from" => date(&h.from),
                "until" => date(&h.until),
                "agrement" => date(&h.agrement),
                "credentials" => h
                    .credentials
                    .as_ref()
                    .map_or(V::Null, |_| V::Credentials(row)),
                "proposed" => V::Bool(h.proposed),
                "absent" => V::Bool(self.missions[row].absent),
                "exequatur" => date(&h.exequatur),
                "source" => source(&h.source),
                _ => V::Null,
            },
            Rec::Credentials(h, c) => match field {
                "to" => V::Text(&c.to.value),
                // Default: the head's `from`.
                "on" => date(&c.on).or_else(|| date(&h.from)),
                _ => V::Null,
            },
            Rec::State(row) => {
                let s = &self.states[row];
                match field {
                    "id" => V::Text(&s.rec.id.value),
                    // Unnamed records go by their id.
                    "name" => V::Text(s.rec.name.as_deref().unwrap_or(&s.rec.id.value)),
                    "kind" => V::Word(Voc::StateKind, s.rec.kind.word()),
                    "nuncio_precedence" => V::Bool(s.rec.nuncio_precedence),
                    "commonwealth" => V::Bool(s.rec.commonwealth),
                    "government" => text(s.government),
                    "source" => source(&s.rec.source),
                    _ => V::Null,
                }
            }
            Rec::Government(row) => {
                let g = &self.governments[row];
                let state_name = g.state.name.as_deref().unwrap_or(&g.state.id.value);
                match (field, g.rec) {
                    ("id", _) => V::Text(g.id),
                    ("state", _) => V::Text(&g.state.id.value),
                    ("name", Some(r)) => V::Text(r.name.as_deref().unwrap_or(&r.id.value)),
                    // An implicit government goes by its state's name.
                    ("name", None) => V::Text(state_name),
                    ("from", Some(r)) => date(&r.from),
                    ("until", Some(r)) => date(&r.until),
                    ("default_recognition", Some(r)) => level(r.default_recognition),
                    // Implicit governments are recognised de jure by default.
                    ("default_recognition", None) => level(Some(Level::DeJure)),
                    ("in_control", _) => V::Bool(g.in_control),
                    ("source", Some(r)) => source(&r.source),
                    _ => V::Null,
                }
            }
            Rec::Recognition(row) => {
                let r = self.recognitions[row];
                match field {
                    "by" => V::Text(&r.by.value),
                    "of" => V::Text(&r.of.value),
                    "level" => level(Some(r.level.value)),
                    "from" => date(&r.from),
                    "until" => date(&r.until),
                    "source" => source(&r.source),
                    _ => V::Null,
                }
            }
            Rec::Relation(row) => {
                let r = self.relations[row];
                match field {
                    "between" => V::Pair(&r.between),
                    "status" => V::Word(Voc::RelationStatus, r.status.value.word()),
                    "from" => date(&r.from),
                    "until" => date(&r.until),
                    "source" => source(&r.source),
                    _ => V::Null,
                }
            }
            Rec::Event(row) => {
                let e = self.events[row];
                match field {
                    "id" => V::Text(&e.id.value),
                    "kind" => V::Word(Voc::EventKind, e.kind.value.word()),
                    "on" => V::Date(Day::of(&e.on.value)),
                    "by" => text(e.by.as_ref().map(|b| b.value.as_str())),
                    "mission" => V::Text(&e.mission.value),
                    "person" => text(e.person.as_deref()),
                    "diplomats" => e
                        .diplomats
                        .as_ref()
                        .map_or(V::Null, |d| V::Num(f64::from(d.value))),
                    "notice_days" => V::Num(f64::from(e.notice_days)),
                    "until" => date(&e.until),
                    "source" => source(&e.source),
                    _ => V::Null,
                }
            }
        }
    }

    fn holds(&self, ex: &'a Ex, env: &mut Vec<V<'a>>) -> bool {
        matches!(self.value(ex, env), V::Bool(true))
    }

    /// The id a value names: an id, or a bound mission, state or government.
    fn id(&self, value: V<'a>) -> Option<&'a str> {
        match self.normal(value) {
            V::Text(t) => Some(t),
            _ => None,
        }
    }

    fn value(&self, ex: &'a Ex, env: &mut Vec<V<'a>>) -> V<'a> {
        match ex {
            Ex::Lit(lit) => match lit {
                Lit::Null => V::Null,
                Lit::Bool(b) => V::Bool(*b),
                Lit::Num(n) => V::Num(*n),
                Lit::Str(s) | Lit::Id(s) => V::Text(s),
                Lit::Date(d) => V::Date(Day::of(d)),
                Lit::Rank(r) => V::Word(Voc::Rank, r.word()),
                Lit::MissionKind(k) => V::Word(Voc::MissionKind, k.word()),
                Lit::Level(l) => level(Some(*l)),
                Lit::StateKind(k) => V::Word(Voc::StateKind, k.word()),
                Lit::RelationStatus(s) => V::Word(Voc::RelationStatus, s.word()),
                Lit::EventKind(k) => V::Word(Voc::EventKind, k.word()),
            },
            Ex::Var(slot) => env[*slot],
            Ex::Field(inner, kind, field) => {
                let value = self.value(inner, env);
                self.field(value, *kind, *field)
            }
            Ex::AsOf => V::Date(self.date),
            Ex::Not(inner) => V::Bool(!self.holds(inner, env)),
            Ex::And(a, b) => {
                let a = self.holds(a, env);
                let b = self.holds(b, env);
                V::Bool(a && b)
            }
            Ex::Or(a, b) => {
                let a = self.holds(a, env);
                let b = self.holds(b, env);
                V::Bool(a || b)
            }
            Ex::Cmp(op, a, b) => {
                let (a, b) = (self.value(a, env), self.value(b, env));
                let order = self.order(a, b);
                V::Bool(match op {
                    CmpOp::Eq => self.equal(a, b),
                    CmpOp::Ne => !self.equal(a, b),
                    CmpOp::Lt => order == Some(Ordering::Less),
                    CmpOp::Le => matches!(order, Some(Ordering::Less | Ordering::Equal)),
                    CmpOp::Gt => order == Some(Ordering::Greater),
                    CmpOp::Ge => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
                })
            }
            Ex::In {
                item,
                list,
                negated,
            } => {
                let item = self.value(item, env);
                let elements: Vec<V<'a>> = list.iter().map(|e| self.value(e, env)).collect();
                // A list-valued field (`r.between`) holds its ids.
                let found = elements.into_iter().any(|e| match e {
                    V::Pair(ids) => ids.iter().any(|id| self.equal(item, V::Text(&id.value))),
                    e => self.equal(item, e),
                });
                V::Bool(found != *negated)
            }
            // Its own implementation of each function, by name: only the
            // signature is shared with the engine.
            Ex::Call { function, args } => match (function.name, args.as_slice()) {
                ("class", [inner]) => match self.value(inner, env) {
                    V::Word(Voc::Rank, rank) => class(rank).map_or(V::Null, V::Num),
                    _ => V::Null,
                },
                ("recognition", [by, of, at @ ..]) => {
                    let by = self.value(by, env);
                    let of = self.value(of, env);
                    let at = match at.first() {
                        None => Some(self.date),
                        Some(at) => match self.value(at, env) {
                            V::Date(d) => Some(d),
                            _ => None,
                        },
                    };
                    match (self.id(by), self.id(of)) {
                        (Some(by), Some(of)) => level(self.recognition(by, of, at)),
                        _ => V::Null,
                    }
                }
                // Whole days between the two days, by the serial day count.
                ("days", [a, b]) => match (self.value(a, env), self.value(b, env)) {
                    (V::Date(a), V::Date(b)) => V::Num((b.serial() - a.serial()) as f64),
                    _ => V::Null,
                },
                ("ratio", [a, b]) => match (self.value(a, env), self.value(b, env)) {
                    (V::Num(a), V::Num(b)) => {
                        let (high, low) = (a.max(b), a.min(b));
                        V::Num(if low > 0.0 {
                            high / low
                        } else if high > 0.0 {
                            f64::INFINITY
                        } else {
                            1.0
                        })
                    }
                    _ => V::Null,
                },
                (name, _) => panic!("the reference has no function `{name}`"),
            },
            Ex::Shift { date, days, back } => {
                match (self.value(date, env), self.value(days, env)) {
                    (V::Date(d), V::Num(n)) => shifted(d, n, *back).map_or(V::Null, V::Date),
                    _ => V::Null,
                }
            }
            Ex::Quantifier {
                kind,
                slot,
                collection,
                filter,
                term,
            } => {
                let saved = env[*slot];
                let mut count = 0u32;
                let mut total = 0.0;
                for row in 0..self.rows(*collection) {
                    env[*slot] = V::Row(*collection, row);
                    if filter.as_ref().is_none_or(|f| self.holds(f, env)) {
                        count += 1;
                        // docs/rules.md: terms that are `none` are left out.
                        if let Some(term) = term
                            && let V::Num(n) = self.value(term, env)
                        {
                            total += n;
                        }
                    }
                }
                env[*slot] = saved;
                match kind {
                    QuantifierKind::Exists | QuantifierKind::All => V::Bool(count > 0),
                    QuantifierKind::Count => V::Num(f64::from(count)),
                    QuantifierKind::Sum => V::Num(total),
                }
            }
        }
    }
}

/// `d + n` days (`d - n` when `back`), from docs/rules.md: only a whole `n`,
/// and only to a day from 0001-01-01 to 9999-12-31 (four-digit years);
/// otherwise `none`.
fn shifted(d: Day, n: f64, back: bool) -> Option<Day> {
    if !n.is_finite() || n.fract() != 0.0 || n.abs() > 1e12 {
        return None;
    }
    let n = if back { -(n as i64) } else { n as i64 };
    let first = Day::parse("0001-01-01")?.serial();
    let last = Day::parse("9999-12-31")?.serial();
    let serial = d.serial() + n;
    (first..=last)
        .contains(&serial)
        .then(|| Day::from_serial(serial))
}

trait OrElse<'a> {
    fn or_else(self, f: impl FnOnce() -> V<'a>) -> V<'a>;
}

impl<'a> OrElse<'a> for V<'a> {
    fn or_else(self, f: impl FnOnce() -> V<'a>) -> V<'a> {
        match self {
            V::Null => f(),
            other => other,
        }
    }
}

/// What a message hole says of an absent value, written again from the
/// rule-language docs: a recognition none records, a field the file does
/// not record, else `none`.
fn absent(ex: &Ex) -> &'static str {
    let level = |kind: RecordKind, field: Field| {
        parity::lang::schema::fields(kind)
            .iter()
            .any(|d| d.field == field && d.ty == parity::lang::schema::Ty::Level)
    };
    match ex {
        Ex::Call { function, .. } if function.returns == parity::lang::schema::Ty::Level => {
            "no recognition"
        }
        Ex::Field(_, kind, field) if level(*kind, *field) => "no recognition",
        Ex::Field(..) => "not recorded",
        _ => "none",
    }
}

/// A vocabulary word as a message says it, written again from the rule
/// language's docs ("chargé d'affaires" for `charge-d-affaires`).
fn prose(word: &str) -> &str {
    match word {
        "high-commissioner" => "high commissioner",
        "charge-d-affaires" => "chargé d'affaires",
        "charge-d-affaires-ai" => "chargé d'affaires a.i.",
        "head-of-technical-team" => "head of technical team",
        "head-of-interests-section" => "head of interests section",
        "other" => "head of another rank",
        "liaison-office" => "liaison office",
        "interests-section" => "interests section",
        "representative-office" => "representative office",
        "technical-team" => "technical team",
        "de-jure" => "de jure",
        "de-facto" => "de facto",
        "none" => "explicitly not recognised",
        "persona-non-grata" => "declaration of persona non grata",
        "recall-for-consultations" => "recall for consultations",
        "organization" => "international organization",
        "holy-see" => "Holy See",
        other => other,
    }
}
