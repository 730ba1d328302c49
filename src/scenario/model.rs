//! The scenario as written: every record with the location it came from.
//! Produced by `load` (YAML → model), checked by `validate`, read by `world`.

use super::date::Date;
use crate::diag::Loc;
use crate::source::{Embedding, Located, Span};
use serde::Serialize;
use std::sync::Arc;

pub use super::records::{
    Credentials, Event, Government, Head, Mission, Recognition, Relation, Source, Staff, State,
};

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

impl<T> At<T> {
    pub fn new(value: T, span: Span) -> Self {
        At { value, span }
    }
}

/// Declares a closed vocabulary (rank, mission kind, ...): each variant's
/// kebab-case word as written in a scenario, and its prose, as evidence and
/// messages say it ("chargé d'affaires").
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $word:literal => $prose:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every word of the vocabulary, in declaration order.
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn from_word(word: &str) -> Option<Self> {
                match word {
                    $($word => Some($name::$variant),)+
                    _ => None,
                }
            }

            pub fn word(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            /// The word in prose, for a reader: "chargé d'affaires a.i.".
            pub fn prose(self) -> &'static str {
                match self {
                    $($name::$variant => $prose,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.word())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.word())
            }
        }
    };
}

vocabulary! {
    /// The rank of a head of mission.
    Rank {
        Ambassador = "ambassador" => "ambassador",
        Nuncio = "nuncio" => "nuncio",
        HighCommissioner = "high-commissioner" => "high commissioner",
        Envoy = "envoy" => "envoy",
        Minister = "minister" => "minister",
        Internuncio = "internuncio" => "internuncio",
        ChargeDAffaires = "charge-d-affaires" => "chargé d'affaires",
        ChargeDAffairesAi = "charge-d-affaires-ai" => "chargé d'affaires a.i.",
        HeadOfTechnicalTeam = "head-of-technical-team" => "head of technical team",
        Representative = "representative" => "representative",
        HeadOfInterestsSection = "head-of-interests-section" => "head of interests section",
        ConsulGeneral = "consul-general" => "consul-general",
        Consul = "consul" => "consul",
        Other = "other" => "head of another rank",
    }
}

impl Rank {
    /// The class under VCDR art. 14, which is what parity compares;
    /// `None` for acting heads (art. 19) and non-diplomatic heads.
    pub fn class(self) -> Option<u8> {
        match self {
            Rank::Ambassador | Rank::Nuncio | Rank::HighCommissioner => Some(1),
            Rank::Envoy | Rank::Minister | Rank::Internuncio => Some(2),
            Rank::ChargeDAffaires => Some(3),
            _ => None,
        }
    }
}

vocabulary! {
    /// What sort of post a mission is.
    MissionKind {
        Embassy = "embassy" => "embassy",
        ConsulateGeneral = "consulate-general" => "consulate-general",
        Consulate = "consulate" => "consulate",
        Delegation = "delegation" => "delegation",
        LiaisonOffice = "liaison-office" => "liaison office",
        InterestsSection = "interests-section" => "interests section",
        RepresentativeOffice = "representative-office" => "representative office",
        TechnicalTeam = "technical-team" => "technical team",
    }
}

vocabulary! {
    /// How one state recognises a state or government.
    Level {
        DeJure = "de-jure" => "de jure",
        DeFacto = "de-facto" => "de facto",
        NoRecognition = "none" => "explicitly not recognised",
    }
}

vocabulary! {
    /// The state of diplomatic relations between two states (design §7).
    RelationStatus {
        Established = "established" => "established",
        Severed = "severed" => "severed",
        Suspended = "suspended" => "suspended",
    }
}

vocabulary! {
    /// What a dated event does to a mission's tenure (design §7).
    EventKind {
        PersonaNonGrata = "persona-non-grata" => "declaration of persona non grata",
        Expulsion = "expulsion" => "expulsion",
        RecallForConsultations = "recall-for-consultations" => "recall for consultations",
    }
}

vocabulary! {
    /// What sort of sending entity a state record is.
    StateKind {
        State = "state" => "state",
        Organization = "organization" => "international organization",
        HolySee = "holy-see" => "Holy See",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// The file name as given on the command line.
    pub file: String,
    /// Its text, to locate its spans (see `source::Located`).
    #[serde(skip)]
    pub located: Arc<Located>,
    pub id: At<String>,
    pub title: Option<String>,
    pub as_of: Option<At<Date>>,
    pub sources: Vec<Source>,
    pub states: Vec<State>,
    pub governments: Vec<Government>,
    pub recognitions: Vec<Recognition>,
    pub missions: Vec<Mission>,
    pub relations: Vec<Relation>,
    pub events: Vec<Event>,
    pub proposals: Vec<Proposal>,
    pub expect: Vec<Claim>,
    pub waivers: Vec<Waiver>,
}

impl Scenario {
    /// The line and column `span` starts at (see `source::Located`).
    pub fn loc(&self, span: Span) -> Loc {
        self.located.loc(span)
    }
}

impl Head {
    /// When the credentials were presented: `on`, else the head's `from`.
    pub fn credentials_on(&self) -> Option<Date> {
        let credentials = self.credentials.as_ref()?;
        credentials
            .on
            .as_ref()
            .or(self.from.as_ref())
            .map(|d| d.value)
    }
}

impl Relation {
    /// Whether the record is between these two states, in either order.
    pub fn is_between(&self, a: &str, b: &str) -> bool {
        let [x, y] = &self.between;
        (x.value == a && y.value == b) || (x.value == b && y.value == a)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub id: At<String>,
    pub title: Option<String>,
    pub on: At<Date>,
    pub changes: Vec<Change>,
    pub source: Option<At<String>>,
    pub span: Span,
    /// The text it was written in (its scenario's, or a proposals file's),
    /// to locate what its changes would break.
    #[serde(skip)]
    pub located: Arc<Located>,
}

#[derive(Debug, Clone, Serialize)]
pub enum Change {
    /// Ends the mission's current head at the proposal's date and adds this one.
    Appoint {
        mission: At<String>,
        head: Head,
        span: Span,
    },
    /// Ends the mission's current head at the proposal's date.
    Recall {
        mission: At<String>,
        span: Span,
    },
    Open {
        mission: Box<Mission>,
        span: Span,
    },
    Close {
        mission: At<String>,
        span: Span,
    },
    Recognize {
        recognition: Recognition,
        span: Span,
    },
    /// Adds a relation record (`from` defaults to the proposal's date); it
    /// supersedes the pair's record in force then.
    Relate {
        relation: Relation,
        span: Span,
    },
    /// Adds an event (`on` defaults to the proposal's date).
    Event {
        event: Box<Event>,
        span: Span,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    /// The claim's expression, in the rule language; `span` is where its text starts.
    pub claim: At<String>,
    pub title: Option<String>,
    pub source: Option<At<String>>,
    pub span: Span,
    /// Where the claim's text was written in the file, byte by byte (its
    /// AST is moved onto the file through it: `engine::check_claims`).
    #[serde(skip)]
    pub embedding: Embedding,
}

#[derive(Debug, Clone, Serialize)]
pub struct Waiver {
    pub rule: At<String>,
    /// The ids the waived finding must be about (one id, or a list in YAML).
    pub subject: Vec<At<String>>,
    pub reason: Option<String>,
    pub until: Option<At<Date>>,
    pub source: Option<At<String>>,
    pub span: Span,
}

/// A file of tests for one rule (`*.test.yaml`, run by `parity test`).
#[derive(Debug, Clone, Serialize)]
pub struct RuleTests {
    pub rule: At<String>,
    pub cases: Vec<RuleCase>,
    /// The file's text, to locate its spans.
    #[serde(skip)]
    pub located: Arc<Located>,
}

/// A scenario and exactly the findings the rule must produce on it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleCase {
    pub name: String,
    pub as_of: Option<At<Date>>,
    /// The findings the rule must produce, and no others (empty: must not
    /// fire). No two entries have the same subject.
    pub fires: Vec<Expected>,
    pub scenario: Scenario,
    pub span: Span,
}

/// The findings a rule test expects for one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expected {
    /// The subject's ids, compared as a set (order does not matter).
    pub subject: Vec<String>,
    /// Exactly how many findings have this subject: 1 unless `count` says.
    pub count: u32,
    /// The message every one of them must have, where the case says.
    pub message: Option<String>,
    pub span: Span,
}
