//! Runtime values and how they are read from the world.

use crate::lang::schema::{Field, RecordKind};
use crate::scenario::date::Date;
use crate::scenario::declare::Plain;
use crate::scenario::model::{EventKind, Level, MissionKind, Rank, RelationStatus, StateKind};
use crate::scenario::world::{
    Entity, EventRow, GovernmentRow, MissionRow, RecognitionRow, RelationRow, StateRow, Sym, World,
};
use crate::source::Span;
use std::fmt::Write as _;

/// A value during evaluation. `Copy`, so binding and comparing cost nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    Date(Date),
    Rank(Rank),
    MissionKind(MissionKind),
    Level(Level),
    StateKind(StateKind),
    RelationStatus(RelationStatus),
    EventKind(EventKind),
    /// An id of a state, government, mission or event.
    Sym(Sym),
    /// A list of ids (a relation's `between`), read only by `in`.
    Ids(&'a [Sym]),
    /// A record bound by `for`, `count` or `exists`: its kind and row in the world.
    Row(RecordKind, u32),
    /// The head in office of the mission in this row.
    Head(u32),
    /// That head's credentials.
    Credentials(u32),
}

impl<'a> From<Plain<'a>> for Value<'a> {
    #[inline]
    fn from(plain: Plain<'a>) -> Self {
        match plain {
            Plain::Null => Value::Null,
            Plain::Bool(b) => Value::Bool(b),
            Plain::Num(n) => Value::Num(n),
            Plain::Str(s) => Value::Str(s),
            Plain::Date(d) => Value::Date(d),
            Plain::Rank(r) => Value::Rank(r),
            Plain::MissionKind(k) => Value::MissionKind(k),
            Plain::Level(l) => Value::Level(l),
            Plain::StateKind(k) => Value::StateKind(k),
            Plain::RelationStatus(s) => Value::RelationStatus(s),
            Plain::EventKind(k) => Value::EventKind(k),
        }
    }
}

impl Value<'_> {
    /// Conditions treat anything but `true` as not holding.
    pub fn is_true(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
}

/// A hashable form of a value, equal exactly when the values are `==`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key<'a> {
    Null,
    Bool(bool),
    Num(u64),
    Str(&'a str),
    Date(u32),
    Word(&'static str),
    Sym(Sym),
    Row(u32),
    Head(u32),
    Ids(&'a [Sym]),
}

impl Key<'_> {
    /// The key, if it borrows nothing (an index kept across worlds, `Seed`).
    pub fn owned(self) -> Option<Key<'static>> {
        Some(match self {
            Key::Null => Key::Null,
            Key::Bool(b) => Key::Bool(b),
            Key::Num(n) => Key::Num(n),
            Key::Date(d) => Key::Date(d),
            Key::Word(w) => Key::Word(w),
            Key::Sym(s) => Key::Sym(s),
            Key::Row(r) => Key::Row(r),
            Key::Head(h) => Key::Head(h),
            Key::Str(_) | Key::Ids(_) => return None,
        })
    }
}

/// A record that a value leads to, for reading its fields.
#[derive(Clone, Copy)]
pub enum Record<'w, 's> {
    Mission(&'w MissionRow<'s>),
    Head(&'w MissionRow<'s>),
    Credentials(&'w MissionRow<'s>),
    State(&'w StateRow<'s>),
    Government(&'w GovernmentRow<'s>),
    Recognition(&'w RecognitionRow<'s>),
    Relation(&'w RelationRow<'s>),
    Event(&'w EventRow<'s>),
}

pub struct Reader<'w, 's> {
    pub world: &'w World<'s>,
}

impl<'w, 's> Reader<'w, 's> {
    /// Ids compare as ids; a bound mission, state or government row as its id.
    fn normal(&self, value: Value<'w>) -> Value<'w> {
        match value {
            Value::Row(kind, row) => match self.row(kind, row) {
                Some(Record::Mission(m)) => Value::Sym(m.sym),
                Some(Record::State(s)) => Value::Sym(s.sym),
                Some(Record::Government(g)) => Value::Sym(g.sym),
                Some(Record::Event(e)) => Value::Sym(e.sym),
                _ => value,
            },
            Value::Str(text) => self.world.sym(text).map_or(value, Value::Sym),
            other => other,
        }
    }

    /// Whether `item` is `element`, or one of its ids when it is a list (`in`).
    pub fn member(&self, item: Value<'w>, element: Value<'w>) -> bool {
        match element {
            Value::Ids(ids) => ids.iter().any(|id| self.equal(item, Value::Sym(*id))),
            element => self.equal(item, element),
        }
    }

    pub fn equal(&self, a: Value<'w>, b: Value<'w>) -> bool {
        // Only rows and strings change under `normal`; most comparisons
        // (kinds, ranks, ids, numbers) need no look-up.
        let plain = |v: &Value<'w>| !matches!(v, Value::Row(..) | Value::Str(_));
        if plain(&a) && plain(&b) {
            return a == b;
        }
        match (self.normal(a), self.normal(b)) {
            (Value::Num(x), Value::Num(y)) => x == y,
            (x, y) => x == y,
        }
    }

    /// `Some(ordering)` when both values are present and ordered.
    pub fn order(&self, a: Value<'w>, b: Value<'w>) -> Option<std::cmp::Ordering> {
        match (self.normal(a), self.normal(b)) {
            (Value::Num(x), Value::Num(y)) => x.partial_cmp(&y),
            (Value::Date(x), Value::Date(y)) => Some(x.cmp(&y)),
            (Value::Null, _) | (_, Value::Null) => None,
            (x, y) => Some(self.text(x)?.cmp(self.text(y)?)),
        }
    }

    fn text(&self, value: Value<'w>) -> Option<&'w str> {
        match value {
            Value::Str(s) => Some(s),
            Value::Sym(sym) => Some(self.world.name(sym)),
            _ => None,
        }
    }

    pub fn key(&self, value: Value<'w>) -> Key<'w> {
        match self.normal(value) {
            Value::Null => Key::Null,
            Value::Bool(b) => Key::Bool(b),
            // 0.0 and -0.0 are equal, so they must hash alike.
            Value::Num(n) => Key::Num(if n == 0.0 { 0 } else { n.to_bits() }),
            Value::Str(s) => Key::Str(s),
            Value::Date(d) => Key::Date(d.ordinal()),
            Value::Rank(r) => Key::Word(r.word()),
            Value::MissionKind(k) => Key::Word(k.word()),
            Value::Level(l) => Key::Word(l.word()),
            Value::StateKind(k) => Key::Word(k.word()),
            Value::RelationStatus(s) => Key::Word(s.word()),
            Value::EventKind(k) => Key::Word(k.word()),
            Value::Sym(s) => Key::Sym(s),
            Value::Ids(ids) => Key::Ids(ids),
            Value::Row(_, row) => Key::Row(row),
            Value::Head(m) | Value::Credentials(m) => Key::Head(m),
        }
    }

    #[inline]
    pub fn row(&self, kind: RecordKind, row: u32) -> Option<Record<'w, 's>> {
        let world = self.world;
        let i = row as usize;
        Some(match kind {
            RecordKind::Mission => Record::Mission(world.missions.get(i)?),
            RecordKind::Head => Record::Head(world.missions.get(i)?),
            RecordKind::Credentials => Record::Credentials(world.missions.get(i)?),
            RecordKind::State => Record::State(world.states.get(i)?),
            RecordKind::Government => Record::Government(world.governments.get(i)?),
            RecordKind::Recognition => Record::Recognition(world.recognitions.get(i)?),
            RecordKind::Relation => Record::Relation(world.relations.get(i)?),
            RecordKind::Event => Record::Event(world.events.get(i)?),
        })
    }

    /// Which record is at `row` of `kind`, the same across the worlds of
    /// one scenario (where it is in memory; a government without a record,
    /// by its id).
    pub fn identity(&self, kind: RecordKind, row: u32) -> Option<(usize, Sym)> {
        fn at<T>(record: &T) -> usize {
            record as *const T as usize
        }
        Some(match self.row(kind, row)? {
            // With its id where it has one, by which `row_of_identity`
            // finds its row without a scan.
            Record::Mission(m) | Record::Head(m) | Record::Credentials(m) => (at(m.record), m.sym),
            Record::State(s) => (at(s.record), s.sym),
            Record::Government(g) => (g.record.map_or(0, at), g.sym),
            Record::Recognition(r) => (at(r.record), 0),
            Record::Relation(r) => (at(r.record), 0),
            Record::Event(e) => (at(e.record), e.sym),
        })
    }

    /// The row of `kind` of the record of `identity` (`identity`): `Some`
    /// of the row, or of `None` where it has none in this world, for the
    /// kinds whose rows are found by id; `None` for the others (recognitions,
    /// relations and governments are found by a scan).
    pub fn row_of_identity(&self, kind: RecordKind, identity: (usize, Sym)) -> Option<Option<u32>> {
        let row = match (kind, self.world.entity(identity.1)) {
            (
                RecordKind::Mission | RecordKind::Head | RecordKind::Credentials,
                Some(Entity::Mission(row)),
            )
            | (RecordKind::State, Some(Entity::State(row)))
            | (RecordKind::Event, Some(Entity::Event(row))) => Some(row),
            (
                RecordKind::Mission
                | RecordKind::Head
                | RecordKind::Credentials
                | RecordKind::State
                | RecordKind::Event,
                _,
            ) => None,
            (RecordKind::Government | RecordKind::Recognition | RecordKind::Relation, _) => {
                return None;
            }
        };
        // The row must hold that record (an id names one record of a
        // validated scenario; this is the check that it does).
        Some(row.filter(|&row| self.identity(kind, row) == Some(identity)))
    }

    /// The record a value of the given kind leads to, if any.
    #[inline]
    pub fn record(&self, value: Value<'w>, kind: RecordKind) -> Option<Record<'w, 's>> {
        let world = self.world;
        match value {
            Value::Row(k, row) if k == kind => self.row(kind, row),
            Value::Head(m) if kind == RecordKind::Head => self.row(kind, m),
            Value::Credentials(m) if kind == RecordKind::Credentials => self.row(kind, m),
            Value::Sym(sym) => match kind {
                RecordKind::State => world.state(sym).map(Record::State),
                RecordKind::Government => world.government(sym).map(Record::Government),
                RecordKind::Mission => world.mission(sym).map(Record::Mission),
                RecordKind::Event => world.event(sym).map(Record::Event),
                _ => None,
            },
            _ => None,
        }
    }

    /// Reads `field` of the record `value` leads to; `Null` through anything missing.
    #[inline]
    pub fn field(&self, value: Value<'w>, kind: RecordKind, field: Field) -> Value<'w> {
        self.record(value, kind)
            .map_or(Value::Null, |record| self.read(&record, field))
    }

    /// Where a record was written.
    pub fn span(&self, record: &Record<'w, 's>) -> Span {
        match record {
            Record::Mission(m) => m.record.span,
            Record::Head(m) => m.head.map_or(m.record.span, |h| h.span),
            Record::Credentials(m) => m
                .head
                .and_then(|h| h.credentials.as_ref())
                .map_or(m.record.span, |c| c.span),
            Record::State(s) => s.record.span,
            Record::Government(g) => g.span,
            Record::Recognition(r) => r.record.span,
            Record::Relation(r) => r.record.span,
            Record::Event(e) => e.record.span,
        }
    }

    /// Where a field of a record was written: the value's own line where
    /// the model keeps it, else the record's.
    pub fn field_span(&self, record: &Record<'w, 's>, field: Field) -> Span {
        use crate::scenario::model::At;
        fn at<T>(value: Option<&At<T>>) -> Option<Span> {
            value.map(|a| a.span)
        }
        let own = match (record, field) {
            (Record::Mission(m), field) => {
                let r = m.record;
                match field {
                    Field::Key(i) => r.key_span(i),
                    Field::Id => at(Some(&r.id)),
                    Field::Sender => at(Some(&r.sender)),
                    Field::Receiver => at(Some(&r.receiver)),
                    Field::RunBy => at(r.run_by.as_ref()),
                    Field::Head => m.head.map(|h| h.span),
                    Field::ProtectingPower => at(r.protecting_power.as_ref()),
                    Field::Relation | Field::RelationStatus => m
                        .relation
                        .and_then(|i| self.world.relations.get(i as usize))
                        .map(|row| row.record.status.span),
                    Field::Staff => {
                        let date = self.world.date;
                        r.staff
                            .iter()
                            .filter(|s| {
                                crate::scenario::date::in_force(
                                    s.from.as_ref().map(|d| d.value),
                                    s.until.as_ref().map(|d| d.value),
                                    date,
                                )
                            })
                            .max_by_key(|s| s.from.as_ref().map(|d| d.value))
                            .map(|s| s.span)
                    }
                    _ => None,
                }
            }
            (Record::Head(m), field) => m.head.and_then(|h| match field {
                Field::Key(i) => h.key_span(i),
                Field::Credentials => h.credentials.as_ref().map(|c| c.span),
                _ => None,
            }),
            (Record::Credentials(m), field) => {
                let credentials = m.head.and_then(|h| h.credentials.as_ref());
                credentials.and_then(|c| match field {
                    Field::To => at(Some(&c.to)),
                    Field::On => at(c.on.as_ref()),
                    _ => None,
                })
            }
            (Record::State(s), Field::Key(i)) => s.record.key_span(i),
            (Record::State(s), Field::Id) => at(Some(&s.record.id)),
            (Record::Government(g), field) => g.record.and_then(|r| match field {
                Field::Key(i) => r.key_span(i),
                Field::Id => at(Some(&r.id)),
                Field::State => at(Some(&r.state)),
                _ => None,
            }),
            (Record::Recognition(r), field) => match field {
                Field::Key(i) => r.record.key_span(i),
                Field::By => at(Some(&r.record.by)),
                Field::Of => at(Some(&r.record.of)),
                _ => None,
            },
            (Record::Relation(r), field) => match field {
                Field::Key(i) => r.record.key_span(i),
                Field::Between => at(r.record.between.first()),
                _ => None,
            },
            (Record::Event(e), field) => {
                let r = e.record;
                match field {
                    Field::Key(i) => r.key_span(i),
                    Field::Id => at(Some(&r.id)),
                    Field::By => at(r.by.as_ref()),
                    Field::Mission => at(Some(&r.mission)),
                    _ => None,
                }
            }
            _ => None,
        };
        own.unwrap_or_else(|| self.span(record))
    }

    /// Reads `field` of `record`; `Null` where it is absent.
    #[inline]
    pub fn read(&self, record: &Record<'w, 's>, field: Field) -> Value<'w> {
        self.read_own(record, field).unwrap_or(Value::Null)
    }

    /// The dispatch from a field of the record tables (`scenario::records`)
    /// to where the world keeps it. `None` when the record has no such field:
    /// the checker never lets a rule read one, and `tests` below check that
    /// every field the tables give rules is read here.
    #[inline]
    fn read_own(&self, record: &Record<'w, 's>, field: Field) -> Option<Value<'w>> {
        fn level<'a>(l: Option<Level>) -> Value<'a> {
            l.filter(|l| *l != Level::NoRecognition)
                .map_or(Value::Null, Value::Level)
        }
        let sym = |s: Option<Sym>| s.map_or(Value::Null, Value::Sym);
        let value = match (record, field) {
            (Record::Mission(m), field) => {
                let r = m.record;
                match field {
                    Field::Key(i) => r.key(i),
                    Field::Id => Value::Sym(m.sym),
                    Field::Sender => Value::Sym(m.sender),
                    Field::Receiver => Value::Sym(m.receiver),
                    Field::RunBy => sym(m.run_by),
                    Field::Head => match m.head {
                        Some(_) => self.mission_row(m.sym).map_or(Value::Null, Value::Head),
                        None => Value::Null,
                    },
                    Field::Staff => m.staff.map_or(Value::Null, |n| Value::Num(f64::from(n))),
                    Field::ProtectingPower => sym(m.protecting_power),
                    Field::Relation => m
                        .relation
                        .map_or(Value::Null, |i| Value::Row(RecordKind::Relation, i)),
                    Field::RelationStatus => {
                        m.relation_status.map_or(Value::Null, Value::RelationStatus)
                    }
                    Field::ActingSince => m.acting_since.map_or(Value::Null, Value::Date),
                    _ => return None,
                }
            }
            (Record::Head(m), field) => {
                let Some(h) = m.head else {
                    // No head in office: each of its fields reads as none.
                    return Some(Value::Null);
                };
                match field {
                    Field::Key(i) => h.key(i),
                    Field::Credentials => match (&h.credentials, self.mission_row(m.sym)) {
                        (Some(_), Some(row)) => Value::Credentials(row),
                        _ => Value::Null,
                    },
                    Field::Proposed => Value::Bool(h.proposed),
                    Field::Absent => Value::Bool(m.absent),
                    _ => return None,
                }
            }
            (Record::Credentials(m), field) => match field {
                Field::To => sym(m.credentials_to),
                Field::On => m
                    .head
                    .and_then(|h| h.credentials_on())
                    .map_or(Value::Null, Value::Date),
                _ => return None,
            },
            (Record::State(s), field) => match field {
                Field::Id => Value::Sym(s.sym),
                // Unnamed records go by their id, in messages as elsewhere.
                Field::Name => Value::Str(s.record.name.as_deref().unwrap_or(&s.record.id.value)),
                Field::Key(i) => s.record.key(i),
                Field::Government => sym(s.government),
                _ => return None,
            },
            (Record::Government(g), field) => match field {
                Field::Id => Value::Sym(g.sym),
                Field::State => Value::Sym(g.state),
                Field::Name => match g.record {
                    Some(record) => Value::Str(record.name.as_deref().unwrap_or(&record.id.value)),
                    // An implicit government goes by its state's name.
                    None => self.world.state(g.state).map_or(Value::Null, |s| {
                        Value::Str(s.record.name.as_deref().unwrap_or(&s.record.id.value))
                    }),
                },
                Field::Key(i) => g.record.map_or(Value::Null, |r| r.key(i)),
                Field::DefaultRecognition => level(g.default_recognition),
                Field::InControl => Value::Bool(g.in_control),
                _ => return None,
            },
            (Record::Recognition(r), field) => match field {
                Field::Key(i) => r.record.key(i),
                Field::By => Value::Sym(r.by),
                Field::Of => Value::Sym(r.of),
                _ => return None,
            },
            (Record::Relation(r), field) => match field {
                Field::Key(i) => r.record.key(i),
                Field::Between => Value::Ids(&r.between),
                _ => return None,
            },
            (Record::Event(e), field) => {
                let r = e.record;
                match field {
                    Field::Key(i) => r.key(i),
                    Field::Id => Value::Sym(e.sym),
                    Field::By => sym(e.by),
                    Field::Mission => Value::Sym(e.mission),
                    _ => return None,
                }
            }
        };
        Some(value)
    }

    fn mission_row(&self, sym: Sym) -> Option<u32> {
        match self.world.entity(sym)? {
            Entity::Mission(i) => Some(i),
            _ => None,
        }
    }

    /// How a value prints in a message or in evidence.
    pub fn display(&self, value: Value<'w>) -> String {
        let mut out = String::new();
        self.display_into(value, &mut out);
        out
    }

    /// [`Reader::display`], appended to `out`: a message is built without a
    /// string per value.
    pub fn display_into(&self, value: Value<'w>, out: &mut String) {
        match value {
            Value::Null => out.push_str("none"),
            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Value::Num(n) => write_number(n, out),
            Value::Str(s) => out.push_str(s),
            Value::Date(d) => {
                let _ = write!(out, "{d}");
            }
            Value::Rank(r) => out.push_str(r.word()),
            Value::MissionKind(k) => out.push_str(k.word()),
            Value::Level(l) => out.push_str(l.word()),
            Value::StateKind(k) => out.push_str(k.word()),
            Value::RelationStatus(s) => out.push_str(s.word()),
            Value::EventKind(k) => out.push_str(k.word()),
            Value::Sym(s) => out.push_str(self.world.name(s)),
            Value::Ids(ids) => {
                for (i, id) in ids.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(self.world.name(*id));
                }
            }
            Value::Row(kind, row) => self.row_id_into(kind, row, out),
            Value::Head(m) => out.push_str(
                self.world
                    .missions
                    .get(m as usize)
                    .and_then(|m| m.head)
                    .map_or("none", |h| h.rank.value.word()),
            ),
            Value::Credentials(m) => match self
                .world
                .missions
                .get(m as usize)
                .and_then(|m| m.credentials_to)
            {
                Some(s) => out.push_str(self.world.name(s)),
                None => out.push_str("none"),
            },
        }
    }

    /// The id a bound record is known by; a recognition or a relation, which
    /// have none, as `by/of` and `a/b`.
    pub fn row_id(&self, kind: RecordKind, row: u32) -> String {
        let mut out = String::new();
        self.row_id_into(kind, row, &mut out);
        out
    }

    fn row_id_into(&self, kind: RecordKind, row: u32, out: &mut String) {
        match self.row(kind, row) {
            Some(Record::Mission(m)) => out.push_str(self.world.name(m.sym)),
            Some(Record::State(s)) => out.push_str(self.world.name(s.sym)),
            Some(Record::Government(g)) => out.push_str(self.world.name(g.sym)),
            Some(Record::Recognition(r)) => {
                out.push_str(self.world.name(r.by));
                out.push('/');
                out.push_str(self.world.name(r.of));
            }
            Some(Record::Relation(r)) => {
                let [a, b] = r.between;
                out.push_str(self.world.name(a));
                out.push('/');
                out.push_str(self.world.name(b));
            }
            Some(Record::Event(e)) => out.push_str(self.world.name(e.sym)),
            _ => {}
        }
    }
}

/// Integers print without a decimal point; other numbers with at most three decimals.
pub fn format_number(n: f64) -> String {
    let mut out = String::new();
    write_number(n, &mut out);
    out
}

fn write_number(n: f64, out: &mut String) {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        let _ = write!(out, "{}", n as i64);
    } else if n.is_finite() {
        let text = format!("{n:.3}");
        out.push_str(text.trim_end_matches('0').trim_end_matches('.'));
    } else {
        out.push_str("infinity");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::lang::schema::Ty;
    use crate::scenario::load::load_str;
    use crate::scenario::records::{self, RULE_KINDS};
    use crate::scenario::yaml::YamlLimits;

    /// A key read as written (`Field::Key`) is a plain value: an id must be
    /// read interned, a list or an embedded record through a field of its
    /// own, or rules would see text where they compare ids, and none where
    /// they look into a record.
    #[test]
    fn keys_read_as_written_are_plain_values() {
        for kind in RULE_KINDS {
            for key in records::of(kind).keys {
                let Some(def) = &key.rule else { continue };
                if let Field::Key(_) = def.field {
                    assert!(
                        !matches!(def.ty, Ty::Ref(_) | Ty::Record(_) | Ty::List(_)),
                        "{}.{} is {} and read as written",
                        kind.word(),
                        def.name,
                        def.ty
                    );
                }
            }
        }
    }

    /// A record's row is found by its identity, in the world it came from
    /// and in another where it is at another row or has none.
    #[test]
    fn a_record_is_found_by_its_identity_where_it_has_a_row() {
        let text = "scenario: t\nstates: [{ id: A }, { id: B }, { id: C }]\n\
            missions: [{ id: m1, sender: A, receiver: B, kind: embassy, from: 2020 },\n\
              { id: m2, sender: A, receiver: C, kind: embassy },\n\
              { id: m3, sender: B, receiver: C, kind: embassy, until: 2022 }]\n";
        let scenario = load_str(text, "t.yaml", &YamlLimits::default()).unwrap();
        let early = World::at(&scenario, Date::parse("2019-01-01").unwrap());
        let late = World::at(&scenario, Date::parse("2023-01-01").unwrap());
        let (was, is) = (Reader { world: &early }, Reader { world: &late });
        for kind in [RecordKind::Mission, RecordKind::Head, RecordKind::State] {
            let rows = match kind {
                RecordKind::State => early.states.len(),
                _ => early.missions.len(),
            };
            for row in 0..u32::try_from(rows).unwrap() {
                let identity = was.identity(kind, row).unwrap();
                assert_eq!(was.row_of_identity(kind, identity), Some(Some(row)));
            }
        }
        // m2 and m3 were open in 2019 (rows 0 and 1); in 2023, m1 and m2.
        let m2 = was.identity(RecordKind::Mission, 0).unwrap();
        let m3 = was.identity(RecordKind::Mission, 1).unwrap();
        assert_eq!(is.row_of_identity(RecordKind::Mission, m2), Some(Some(1)));
        assert_eq!(is.row_of_identity(RecordKind::Mission, m3), Some(None));
        // Another kind's row by the same id is not the record's.
        assert_eq!(is.row_of_identity(RecordKind::State, m2), Some(None));
        // Kinds without ids are left to a scan.
        assert_eq!(is.row_of_identity(RecordKind::Recognition, m2), None);
    }

    /// Every field the record tables let rules read has a place in the world
    /// the reader takes it from: a table entry without one fails here.
    #[test]
    fn the_reader_reads_every_field_of_the_tables() {
        let text = "scenario: t\nstates: [{ id: A }, { id: B }]\n\
            governments: [{ id: g, state: B }]\n\
            recognitions: [{ by: A, of: g, level: de-jure }]\n\
            missions: [{ id: m, sender: A, receiver: B, kind: embassy,\n\
              heads: [{ rank: envoy, credentials: { to: g } }] }]\n\
            relations: [{ between: [A, B], status: established }]\n\
            events: [{ id: e, kind: expulsion, on: 2020, mission: m }]\n";
        let scenario = load_str(text, "t.yaml", &YamlLimits::default()).unwrap();
        let date = Date::parse("2024-01-01").unwrap();
        let world = World::at(&scenario, date);
        let reader = Reader { world: &world };
        let state = world
            .states
            .iter()
            .position(|s| s.record.id.value == "A")
            .unwrap();
        let government = world
            .governments
            .iter()
            .position(|g| g.record.is_some())
            .unwrap();
        for kind in RULE_KINDS {
            let row = match kind {
                RecordKind::State => state,
                RecordKind::Government => government,
                _ => 0,
            };
            let record = reader.row(kind, u32::try_from(row).unwrap()).unwrap();
            for key in records::of(kind).keys {
                let Some(def) = &key.rule else { continue };
                assert!(
                    reader.read_own(&record, def.field).is_some(),
                    "the reader has no place for {}.{}",
                    kind.word(),
                    def.name
                );
            }
        }
    }
}
