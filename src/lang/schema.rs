//! The scenario schema as the rule language sees it: collections, record
//! types, their fields and types (the built-in functions are in
//! `functions.rs`). The static checker types every rule against this before
//! anything is evaluated.

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
        }
    }
}

/// The type of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Num,
    Str,
    Date,
    Rank,
    MissionKind,
    Level,
    StateKind,
    /// An id naming a record of this kind (comparable with any id or bare word).
    Ref(RecordKind),
    /// A record embedded in another (a mission's head, a head's credentials).
    Record(RecordKind),
    /// A bare word whose meaning comes from what it is compared with.
    Word,
    /// `none` on its own.
    Null,
    List(Box<Ty>),
}

impl Ty {
    /// The closed vocabulary of an enum type, if it is one.
    pub fn words(&self) -> Option<&'static [&'static str]> {
        use crate::scenario::model::{Level, MissionKind, Rank, StateKind};
        match self {
            Ty::Rank => Some(Rank::WORDS),
            Ty::MissionKind => Some(MissionKind::WORDS),
            Ty::Level => Some(Level::WORDS),
            Ty::StateKind => Some(StateKind::WORDS),
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
            Ty::Ref(kind) => write!(f, "a {} id", kind.word()),
            Ty::Record(kind) => write!(f, "a {} record", kind.word()),
            Ty::Word => f.write_str("a bare word"),
            Ty::Null => f.write_str("none"),
            Ty::List(item) => write!(f, "a list of {item}"),
        }
    }
}

/// A field of a record kind, as the evaluator reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Id,
    Name,
    Source,
    From,
    Until,
    // missions
    Sender,
    Receiver,
    MissionKind,
    City,
    RunBy,
    Head,
    Staff,
    // heads
    Rank,
    Agrement,
    Credentials,
    Proposed,
    // credentials
    To,
    On,
    // states
    StateKind,
    Government,
    // governments
    State,
    DefaultRecognition,
    InControl,
    // recognitions
    By,
    Of,
    Level,
}

/// One field of a record: its name in rules, what it is, its type, and what it means.
pub struct FieldDef {
    pub name: &'static str,
    pub field: Field,
    pub ty: Ty,
    pub doc: &'static str,
}

const fn def(name: &'static str, field: Field, ty: Ty, doc: &'static str) -> FieldDef {
    FieldDef {
        name,
        field,
        ty,
        doc,
    }
}

/// The fields of each record kind. The order is the order `docs/rules.md` lists them in.
pub fn fields(kind: RecordKind) -> &'static [FieldDef] {
    use RecordKind as K;
    const MISSION: &[FieldDef] = &[
        def("id", Field::Id, Ty::Ref(K::Mission), "the mission's id"),
        def(
            "sender",
            Field::Sender,
            Ty::Ref(K::State),
            "the sending state",
        ),
        def(
            "receiver",
            Field::Receiver,
            Ty::Ref(K::State),
            "the receiving state",
        ),
        def(
            "kind",
            Field::MissionKind,
            Ty::MissionKind,
            "embassy, consulate-general, ...",
        ),
        def("city", Field::City, Ty::Str, "where the mission sits"),
        def(
            "run_by",
            Field::RunBy,
            Ty::Ref(K::Government),
            "the sender's government that runs it (default: the one in control at the date)",
        ),
        def("from", Field::From, Ty::Date, "opened on"),
        def("until", Field::Until, Ty::Date, "closed on"),
        def(
            "head",
            Field::Head,
            Ty::Record(K::Head),
            "the head of mission in office at the date, or none",
        ),
        def(
            "staff",
            Field::Staff,
            Ty::Num,
            "diplomatic staff at the date, or none",
        ),
        def(
            "source",
            Field::Source,
            Ty::Str,
            "the source id the record cites",
        ),
    ];
    const HEAD: &[FieldDef] = &[
        def("name", Field::Name, Ty::Str, "the head's name"),
        def("rank", Field::Rank, Ty::Rank, "the head's rank"),
        def("from", Field::From, Ty::Date, "in office from"),
        def("until", Field::Until, Ty::Date, "in office until"),
        def(
            "agrement",
            Field::Agrement,
            Ty::Date,
            "when the receiver gave agrément",
        ),
        def(
            "credentials",
            Field::Credentials,
            Ty::Record(K::Credentials),
            "the credentials presented, or none",
        ),
        def(
            "proposed",
            Field::Proposed,
            Ty::Bool,
            "true when a proposal appoints this head",
        ),
        def(
            "source",
            Field::Source,
            Ty::Str,
            "the source id the record cites",
        ),
    ];
    const CREDENTIALS: &[FieldDef] = &[
        def(
            "to",
            Field::To,
            Ty::Ref(K::Government),
            "the government they were presented to",
        ),
        def(
            "on",
            Field::On,
            Ty::Date,
            "when (default: the head's `from`)",
        ),
    ];
    const STATE: &[FieldDef] = &[
        def("id", Field::Id, Ty::Ref(K::State), "the state's id"),
        def("name", Field::Name, Ty::Str, "the state's name"),
        def(
            "kind",
            Field::StateKind,
            Ty::StateKind,
            "state, organization or holy-see",
        ),
        def(
            "government",
            Field::Government,
            Ty::Ref(K::Government),
            "the government in control at the date",
        ),
        def(
            "source",
            Field::Source,
            Ty::Str,
            "the source id the record cites",
        ),
    ];
    const GOVERNMENT: &[FieldDef] = &[
        def(
            "id",
            Field::Id,
            Ty::Ref(K::Government),
            "the government's id (a state's own id for its implicit government)",
        ),
        def(
            "state",
            Field::State,
            Ty::Ref(K::State),
            "the state it governs",
        ),
        def("name", Field::Name, Ty::Str, "its name"),
        def("from", Field::From, Ty::Date, "in control from"),
        def("until", Field::Until, Ty::Date, "in control until"),
        def(
            "default_recognition",
            Field::DefaultRecognition,
            Ty::Level,
            "how states recognise it where no record says",
        ),
        def(
            "in_control",
            Field::InControl,
            Ty::Bool,
            "whether it controls its state at the date",
        ),
        def(
            "source",
            Field::Source,
            Ty::Str,
            "the source id the record cites",
        ),
    ];
    const RECOGNITION: &[FieldDef] = &[
        def("by", Field::By, Ty::Ref(K::State), "the recognising state"),
        def(
            "of",
            Field::Of,
            Ty::Ref(K::Government),
            "the government (or state) recognised",
        ),
        def(
            "level",
            Field::Level,
            Ty::Level,
            "de-jure, de-facto or none",
        ),
        def("from", Field::From, Ty::Date, "from"),
        def("until", Field::Until, Ty::Date, "until"),
        def(
            "source",
            Field::Source,
            Ty::Str,
            "the source id the record cites",
        ),
    ];
    match kind {
        K::Mission => MISSION,
        K::Head => HEAD,
        K::Credentials => CREDENTIALS,
        K::State => STATE,
        K::Government => GOVERNMENT,
        K::Recognition => RECOGNITION,
    }
}

/// The world's collections a rule can range over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    Missions,
    States,
    Governments,
    Recognitions,
}

pub const COLLECTIONS: &[(&str, Collection, &str)] = &[
    (
        "missions",
        Collection::Missions,
        "missions open at the date",
    ),
    ("states", Collection::States, "every state and organisation"),
    (
        "governments",
        Collection::Governments,
        "every government, implicit ones included",
    ),
    (
        "recognitions",
        Collection::Recognitions,
        "recognition records in force at the date",
    ),
];

impl Collection {
    pub fn from_name(name: &str) -> Option<Collection> {
        COLLECTIONS
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, c, _)| *c)
    }

    pub fn record(self) -> RecordKind {
        match self {
            Collection::Missions => RecordKind::Mission,
            Collection::States => RecordKind::State,
            Collection::Governments => RecordKind::Government,
            Collection::Recognitions => RecordKind::Recognition,
        }
    }
}

/// The evaluation date, usable in any expression.
pub const AS_OF: &str = "as_of";
