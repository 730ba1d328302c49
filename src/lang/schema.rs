//! The scenario schema as the rule language sees it: collections, record
//! types, their fields and types (the built-in functions are in
//! `functions.rs`). The static checker types every rule against this before
//! anything is evaluated.

pub use crate::scenario::types::{Field, FieldDef, RecordKind, Ty};

/// The fields of each record kind, read from the record tables of
/// `scenario::records` (built once). The order is the table's, which is the
/// order `docs/rules.md` lists them in and "its fields are" messages use.
pub fn fields(kind: RecordKind) -> &'static [&'static FieldDef] {
    use std::sync::LazyLock;
    type Defs = LazyLock<Vec<&'static FieldDef>>;
    fn of(kind: RecordKind) -> Vec<&'static FieldDef> {
        crate::scenario::records::of(kind)
            .keys
            .iter()
            .filter_map(|key| key.rule.as_ref())
            .collect()
    }
    static MISSION: Defs = LazyLock::new(|| of(RecordKind::Mission));
    static HEAD: Defs = LazyLock::new(|| of(RecordKind::Head));
    static CREDENTIALS: Defs = LazyLock::new(|| of(RecordKind::Credentials));
    static STATE: Defs = LazyLock::new(|| of(RecordKind::State));
    static GOVERNMENT: Defs = LazyLock::new(|| of(RecordKind::Government));
    static RECOGNITION: Defs = LazyLock::new(|| of(RecordKind::Recognition));
    static RELATION: Defs = LazyLock::new(|| of(RecordKind::Relation));
    static EVENT: Defs = LazyLock::new(|| of(RecordKind::Event));
    match kind {
        RecordKind::Mission => &MISSION,
        RecordKind::Head => &HEAD,
        RecordKind::Credentials => &CREDENTIALS,
        RecordKind::State => &STATE,
        RecordKind::Government => &GOVERNMENT,
        RecordKind::Recognition => &RECOGNITION,
        RecordKind::Relation => &RELATION,
        RecordKind::Event => &EVENT,
    }
}

/// The world's collections a rule can range over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    Missions,
    States,
    Governments,
    Recognitions,
    Relations,
    Events,
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
    (
        "relations",
        Collection::Relations,
        "relation records in force at the date",
    ),
    ("events", Collection::Events, "events on or before the date"),
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
            Collection::Relations => RecordKind::Relation,
            Collection::Events => RecordKind::Event,
        }
    }
}

/// The evaluation date, usable in any expression.
pub const AS_OF: &str = "as_of";
