//! The types of scenario values and the fields of record kinds, as the rule
//! language reads them. They live in the scenario stage, below the rule
//! language, because the record tables of `records.rs` declare each field
//! with its type; `lang::schema` re-exports them for the checker.

use std::fmt;

/// A kind of record a variable or reference can denote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Mission,
    Head,
    Credentials,
    State,
    Government,
    Recognition,
    Relation,
    Event,
}

impl RecordKind {
    pub fn word(self) -> &'static str {
        match self {
            RecordKind::Mission => "mission",
            RecordKind::Head => "head",
            RecordKind::Credentials => "credentials",
            RecordKind::State => "state",
            RecordKind::Government => "government",
            RecordKind::Recognition => "recognition",
            RecordKind::Relation => "relation",
            RecordKind::Event => "event",
        }
    }

    /// The article before `word` ("an event").
    pub fn article(self) -> &'static str {
        match self {
            RecordKind::Event => "an",
            _ => "a",
        }
    }
}

/// The type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Num,
    Str,
    Date,
    Rank,
    MissionKind,
    Level,
    StateKind,
    RelationStatus,
    EventKind,
    /// An id naming a record of this kind (comparable with any id or bare word).
    Ref(RecordKind),
    /// A record embedded in another (a mission's head, a head's credentials).
    Record(RecordKind),
    /// A bare word whose meaning comes from what it is compared with.
    Word,
    /// `none` on its own.
    Null,
    List(&'static Ty),
}

impl Ty {
    /// The closed vocabulary of an enum type, if it is one.
    pub fn words(&self) -> Option<&'static [&'static str]> {
        use crate::scenario::model::{
            EventKind, Level, MissionKind, Rank, RelationStatus, StateKind,
        };
        match self {
            Ty::Rank => Some(Rank::WORDS),
            Ty::MissionKind => Some(MissionKind::WORDS),
            Ty::Level => Some(Level::WORDS),
            Ty::StateKind => Some(StateKind::WORDS),
            Ty::RelationStatus => Some(RelationStatus::WORDS),
            Ty::EventKind => Some(EventKind::WORDS),
            _ => None,
        }
    }

    /// Whether values of the type have an order (`<`, `>=`).
    pub fn is_ordered(&self) -> bool {
        matches!(self, Ty::Num | Ty::Date | Ty::Str | Ty::Ref(_) | Ty::Word)
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Bool => f.write_str("a boolean"),
            Ty::Num => f.write_str("a number"),
            Ty::Str => f.write_str("a string"),
            Ty::Date => f.write_str("a date"),
            Ty::Rank => f.write_str("a rank"),
            Ty::MissionKind => f.write_str("a mission kind"),
            Ty::Level => f.write_str("a recognition level"),
            Ty::StateKind => f.write_str("a state kind"),
            Ty::RelationStatus => f.write_str("a relation status"),
            Ty::EventKind => f.write_str("an event kind"),
            Ty::Ref(kind) => write!(f, "{} {} id", kind.article(), kind.word()),
            Ty::Record(kind) => write!(f, "a {} record", kind.word()),
            Ty::Word => f.write_str("a bare word"),
            Ty::Null => f.write_str("none"),
            Ty::List(item) => write!(f, "a list of {item}"),
        }
    }
}

/// A field of a record kind, as the evaluator reads it: a key of the file
/// read as written (`Key`), or a field the evaluator reads its own way —
/// an id interned in the world, a value the world derives at the date, a
/// default taken from elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// A key of the file read as written: its place among the record's keys
    /// (`scenario::declare`, `Pos`).
    Key(u8),
    Id,
    Name,
    // missions
    Sender,
    Receiver,
    RunBy,
    Head,
    Staff,
    ProtectingPower,
    Relation,
    RelationStatus,
    ActingSince,
    // heads
    Credentials,
    Proposed,
    Absent,
    // credentials
    To,
    On,
    // states
    Government,
    // governments
    State,
    DefaultRecognition,
    InControl,
    // recognitions
    By,
    Of,
    // relations
    Between,
    // events
    Mission,
}

/// One field of a record: its name in rules, what it is, its type, and what
/// it means. Declared with its YAML key in `scenario::records`.
#[derive(Clone, Copy)]
pub struct FieldDef {
    pub name: &'static str,
    pub field: Field,
    pub ty: Ty,
    pub doc: &'static str,
    /// How evidence says what the field read, in words (`eval::words`);
    /// `None`: the generic "its city is Kabul" / "it has no city recorded".
    pub says: Option<Says>,
}

/// A field's evidence as a clause for a protocol officer (docs/rules.md,
/// "Evidence in words"). Templates: `{of}` and `{of's}` name the record the
/// field is read from (`it`, `its head`, a government's name), `{value}` the
/// value (`{a value}` with its article), `{of.FIELD}` and `{value.FIELD}` a
/// field of that record or of the value's record, `{as_of}` the date;
/// `[...]` is left out when a value inside it is absent.
#[derive(Debug, Clone, Copy)]
pub struct Says {
    /// When the field has a value (a boolean: when it is true).
    pub is: &'static str,
    /// When it is absent (a boolean: when it is false).
    pub none: &'static str,
}
