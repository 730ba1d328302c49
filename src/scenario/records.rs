//! Every record of the scenario format, declared once: one table per record
//! kind lists each key with its YAML type, whether it is required (and its
//! default), its name and type in the rule language (or that rules cannot see
//! it), and its documentation.
//!
//! Read from it: the decoder's key handling in `load` (the keys a record
//! accepts, "did you mean", required keys), `lang::schema::fields` (what the
//! static checker types rules against), the JSON Schema in `schema/` and the
//! field tables of `docs/scenario.md` and `docs/rules.md` (`json_schema`,
//! `scenario_tables`, `rule_tables`; `tests/records.rs` fails when the
//! committed files drift, and `PARITY_BLESS=1` rewrites them).
//!
//! The records of the world (sources, states, governments, recognitions,
//! missions and what they hold, relations, events) are declared with
//! `record!` (`declare.rs`): each entry gives the model's field, its decoder
//! and its table entry at once, so the model struct, the decoder's keys and
//! the evaluator's reading of a key as written (`Field::Key`) all come from
//! it. A key is `read` as written, or `read_as` a field the evaluator reads
//! its own way (an id interned, a default taken from elsewhere); `derived`
//! entries are fields only rules see. What a decoder checks across keys (a
//! period's order, an event's keys that belong to one kind) stays in `load`.
//! The other files (proposals, claims, waivers, rule tests) are const tables,
//! their decoders written by hand.

use super::date::Date;
use super::declare::same;
use super::load::{
    Cx, Fields, boolean, count, credentials, date, def_id, event_kind, head, level, list,
    located_count, mission_kind, rank, reference, relation_status, staff, state_kind, state_pair,
    text, value,
};
use super::model::{At, EventKind, Level, MissionKind, Rank, RelationStatus, StateKind};
use super::types::{Field, FieldDef, RecordKind as K, Says, Ty};
use super::validate::Want;

/// A record kind of the file: how messages name it and its keys.
pub(crate) struct Record {
    /// The record with its article, as messages name it: "a mission".
    pub what: &'static str,
    /// What a list of them is called: "list of staff entries".
    pub plural: &'static str,
    /// Its name among the JSON Schema's definitions ("" for the top level,
    /// which is the schema itself, or for files the schema does not cover).
    pub json: &'static str,
    pub keys: &'static [Key],
}

/// One key of a record, or one field that only rules see.
#[derive(Clone, Copy)]
pub(crate) struct Key {
    /// The key in the YAML file; `None` for a field the world derives
    /// (`in_control`, a mission's `head` in office).
    pub yaml: Option<&'static str>,
    pub ty: Yaml,
    pub presence: Presence,
    /// What the key means, for `docs/scenario.md` (`DITTO`: as the row above).
    pub doc: &'static str,
    /// The field rules read, if they can (`DITTO` in its doc as above).
    pub rule: Option<FieldDef>,
}

/// A doc that shares the row above: `from` and `until` are one row.
pub(crate) const DITTO: &str = "〃";

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    Required,
    /// Absent or null is "none" (for a list, empty).
    Optional,
    /// Absent or null means what the text says.
    Default(&'static str),
}

/// What a key's value is in the file.
#[derive(Clone, Copy)]
pub(crate) enum Yaml {
    /// The id the record defines.
    Id,
    /// An id of another record.
    Ref(Want),
    /// Free text; a scalar YAML reads as a number or a boolean is the text as written.
    Text,
    /// A claim: an expression of the rule language.
    Expression,
    RuleId,
    Date,
    Rank,
    MissionKind,
    Level,
    StateKind,
    RelationStatus,
    EventKind,
    /// Two distinct state ids (a relation's `between`).
    StatePair,
    /// A non-negative integer.
    Count,
    Bool,
    /// One id or a non-empty list of ids.
    Subjects,
    List(&'static Record),
    Embedded(&'static Record),
    /// A proposal's changes: each a mapping with one of `CHANGES`.
    Changes,
    /// A rule test's expected findings (docs/rules.md, "Testing rules").
    Fires,
}

/// A key of the file, before saying whether rules see it: a table entry
/// reads as the key, then what rules see of it (`.rule`, `.file_only`).
#[derive(Clone, Copy)]
pub(crate) struct Spec {
    yaml: &'static str,
    ty: Yaml,
    presence: Presence,
    doc: &'static str,
}

const fn spec(yaml: &'static str, ty: Yaml, presence: Presence, doc: &'static str) -> Spec {
    Spec {
        yaml,
        ty,
        presence,
        doc,
    }
}

/// A key of a `record!`, which names it (`Key::named`).
const fn entry(ty: Yaml, presence: Presence, doc: &'static str) -> Spec {
    spec("", ty, presence, doc)
}

/// A key that rules cannot see.
const fn key(yaml: &'static str, ty: Yaml, presence: Presence, doc: &'static str) -> Key {
    spec(yaml, ty, presence, doc).file_only()
}

impl Spec {
    const fn file_only(self) -> Key {
        Key {
            yaml: Some(self.yaml),
            ty: self.ty,
            presence: self.presence,
            doc: self.doc,
            rule: None,
        }
    }

    /// The key, readable in rules under the same name, as `ty`.
    const fn rule(self, field: Field, ty: Ty, doc: &'static str) -> Key {
        Key {
            yaml: Some(self.yaml),
            ty: self.ty,
            presence: self.presence,
            doc: self.doc,
            rule: Some(FieldDef {
                name: self.yaml,
                field,
                ty,
                doc,
                says: None,
            }),
        }
    }
}

impl Spec {
    /// The key, readable in rules under the same name and as written
    /// (`Field::Key`, read through the model's `key`), as `ty`.
    const fn read(self, ty: Ty, doc: &'static str) -> Key {
        self.rule(Field::Key(0), ty, doc)
    }

    /// The key, readable in rules as `field`, which the evaluator reads in
    /// its own way (an id interned, a default taken from elsewhere).
    const fn read_as(self, field: Field, ty: Ty, doc: &'static str) -> Key {
        self.rule(field, ty, doc)
    }
}

impl Key {
    /// The key `yaml`, at `pos` among its record's keys (`record!`).
    pub(crate) const fn named(mut self, yaml: &'static str, pos: u8) -> Key {
        self.yaml = Some(yaml);
        if let Some(def) = &mut self.rule {
            def.name = yaml;
            if let Field::Key(_) = def.field {
                def.field = Field::Key(pos);
            }
        }
        self
    }

    /// What evidence says of the field (`types::Says`): `is` when it has a
    /// value (a boolean: true), `none` when it is absent (a boolean: false).
    const fn says(mut self, is: &'static str, none: &'static str) -> Key {
        if let Some(def) = &mut self.rule {
            def.says = Some(Says { is, none });
        }
        self
    }
}

/// A field only rules see: the world derives it at the date.
const fn derived(name: &'static str, field: Field, ty: Ty, doc: &'static str) -> Key {
    Key {
        yaml: None,
        // Never read: only keys of the file have a YAML type.
        ty: Yaml::Bool,
        presence: Presence::Optional,
        doc: "",
        rule: Some(FieldDef {
            name,
            field,
            ty,
            doc,
            says: None,
        }),
    }
}

use Presence::{Default, Optional, Required};

const SOURCE_REF: Spec = spec("source", Yaml::Ref(Want::Source), Optional, "citation");
const CITATION: Spec = entry(Yaml::Ref(Want::Source), Optional, "citation");
const CITES: &str = "the source id the record cites";
const FROM: Presence = Default("since ever");
const UNTIL: Presence = Default("still");

pub(crate) const SCENARIO: Record = Record {
    what: "the scenario",
    plural: "scenarios",
    json: "",
    keys: &[
        key(
            "scenario",
            Yaml::Id,
            Required,
            "the scenario's name, used in reports",
        ),
        key("title", Yaml::Text, Optional, "a one-line description"),
        key(
            "as_of",
            Yaml::Date,
            Optional,
            "the default evaluation date; the command line's `--as-of` wins",
        ),
        key("sources", Yaml::List(&SOURCE), Optional, "citations"),
        key(
            "states",
            Yaml::List(&STATE),
            Optional,
            "sovereign states and other sending entities",
        ),
        key(
            "governments",
            Yaml::List(&GOVERNMENT),
            Optional,
            "who governs a state, where contested or changed",
        ),
        key(
            "recognitions",
            Yaml::List(&RECOGNITION),
            Optional,
            "who recognises which state or government",
        ),
        key(
            "missions",
            Yaml::List(&MISSION),
            Optional,
            "embassies, consulates, offices...",
        ),
        key(
            "relations",
            Yaml::List(&RELATION),
            Optional,
            "the state of diplomatic relations between two states over time",
        ),
        key(
            "events",
            Yaml::List(&EVENT),
            Optional,
            "dated acts that end or change a tenure: persona non grata, expulsions, recalls",
        ),
        key(
            "proposals",
            Yaml::List(&PROPOSAL),
            Optional,
            "what-if changes",
        ),
        key(
            "expect",
            Yaml::List(&CLAIM),
            Optional,
            "statements the author asserts, checked like tests",
        ),
        key(
            "waivers",
            Yaml::List(&WAIVER),
            Optional,
            "accepted exceptions to rules",
        ),
    ],
};

record! {
    /// A citation, which records name with `source:`.
    pub struct Source in source as SOURCE {
        what: "a source", plural: "sources", json: "source",
    }
    req id: At<String> = def_id
        => entry(Yaml::Id, Required, "how records cite it (`source: seed`)").file_only();
    opt title: Option<String> = text
        => entry(Yaml::Text, Optional, "the title of the article, report, note...").file_only();
    opt date: Option<At<Date>> = date => entry(Yaml::Date, Optional, "its publication date").file_only();
    opt url: Option<String> = text => entry(Yaml::Text, Optional, "where to read it").file_only();
}

record! {
    /// A sovereign state or other sending entity.
    pub struct State in state as STATE {
        what: "a state", plural: "states", json: "state",
    }
    req id: At<String> = def_id
        => entry(Yaml::Id, Required, "ISO 3166-1 alpha-3 where one exists")
            .read_as(Field::Id, Ty::Ref(K::State), "");
    // Read as the id where absent (`eval::value`).
    opt name: Option<String> = text
        => entry(Yaml::Text, Optional, "the name shown in reports")
            .read_as(Field::Name, Ty::Str, "")
            .says("{of} is named {value}", "{of} has no name recorded");
    or(StateKind::State) kind: StateKind = value(state_kind)
        => entry(Yaml::StateKind, Default("`state`"), "what sort of sending entity it is")
            .read(Ty::StateKind, "`state`, `organization`, `holy-see`")
            .says("{of} is {a value}", "{of} is of no recorded kind");
    or(false) nuncio_precedence: bool = boolean
        => entry(
            Yaml::Bool,
            Default("`false`"),
            "whether the nuncio is doyen of the diplomatic corps here (VCDR art. 16(3))",
        )
        .read(Ty::Bool, "whether the nuncio takes precedence over the other heads of class 1 here")
        .says(
            "the nuncio is doyen of the diplomatic corps in {of}",
            "the nuncio is not doyen of the diplomatic corps in {of}",
        );
    or(false) commonwealth: bool = boolean
        => entry(
            Yaml::Bool,
            Default("`false`"),
            "a member of the Commonwealth: heads of mission between two members are high commissioners",
        )
        .read(Ty::Bool, "whether the state is a member of the Commonwealth")
        .says("{of} is a member of the Commonwealth", "{of} is not a member of the Commonwealth");
    derived derived(
            "government",
            Field::Government,
            Ty::Ref(K::Government),
            "the government in control at the date",
        )
        .says("{of} is governed by {value} on {as_of}", "no government is in control of {of} on {as_of}");
    opt source: Option<At<String>> = reference(Want::Source)
        => CITATION.read(Ty::Str, "").says("{of} cites {value}", "{of} cites no source");
}

record! {
    /// Who governs a state, where contested or changed.
    pub struct Government in government as GOVERNMENT {
        what: "a government", plural: "governments", json: "government",
    }
    req id: At<String> = def_id
        => entry(Yaml::Id, Required, "").read_as(Field::Id, Ty::Ref(K::Government), "");
    req state: At<String> = reference(Want::State)
        => entry(Yaml::Ref(Want::State), Required, "the state it governs (or claims to)")
            .read_as(Field::State, Ty::Ref(K::State), "the state it governs")
            .says("{of} governs {value}", "{of} governs no recorded state");
    // An implicit government reads its state's name (`eval::value`).
    opt name: Option<String> = text
        => entry(Yaml::Text, Optional, "")
            .read_as(Field::Name, Ty::Str, "an implicit government's is its state's name")
            .says("{of} is named {value}", "{of} has no name recorded");
    opt from: Option<At<Date>> = date
        => entry(Yaml::Date, FROM, "when it was in effective control")
            .read(Ty::Date, "in control")
            .says("{of} took control of {of.state} on {value}", "{of's} start of control of {of.state} is not recorded");
    opt until: Option<At<Date>> = date
        => entry(Yaml::Date, UNTIL, DITTO)
            .read(Ty::Date, DITTO)
            .says("{of} stopped governing {of.state} on {value}", "{of} has no end of control recorded");
    // Read from the world's row: an implicit government has no record.
    opt default_recognition: Option<Level> = value(level)
        => entry(
            Yaml::Level,
            Default("`none`"),
            "how states recognise it where no recognition record says otherwise",
        )
        .read_as(Field::DefaultRecognition, Ty::Level, "how states recognise it where no record says")
        .says("{of} is recognised {value} where no recognition record says otherwise", "{of} is not recognised where no recognition record says otherwise");
    derived derived(
            "in_control",
            Field::InControl,
            Ty::Bool,
            "whether it governs its state at the date (when listed governments' periods overlap, the one whose control began last)",
        )
        .says("{of} governs {of.state} on {as_of}", "{of} does not govern {of.state} on {as_of}[ (in control until {of.until})]");
    opt source: Option<At<String>> = reference(Want::Source)
        => CITATION.read(Ty::Str, "").says("{of} cites {value}", "{of} cites no source");
}

record! {
    /// Who recognises which state or government.
    pub struct Recognition in recognition as RECOGNITION {
        what: "a recognition", plural: "recognitions", json: "recognition",
    }
    /// A state id.
    req by: At<String> = reference(Want::State)
        => entry(Yaml::Ref(Want::State), Required, "the recognising state")
            .read_as(Field::By, Ty::Ref(K::State), "")
            .says("{of} is made by {value}", "{of} is made by no recorded state");
    /// A government id or a state id.
    req of: At<String> = reference(Want::StateOrGovernment)
        => entry(Yaml::Ref(Want::StateOrGovernment), Required, "what it recognises")
            .read_as(Field::Of, Ty::Ref(K::Government), "(or a state id)")
            .says("{of} is of {value}", "{of} is of nothing recorded");
    req level: At<Level> = level
        => entry(Yaml::Level, Required, "how; `none` records an explicit non-recognition")
            .read(Ty::Level, "`de-jure`, `de-facto`; `none` reads as `none`")
            .says("{of} is {value}", "{of} records no recognition");
    opt from: Option<At<Date>> = date
        => entry(Yaml::Date, FROM, "when")
            .read(Ty::Date, "")
            .says("{of} holds from {value}", "{of} has no start recorded");
    opt until: Option<At<Date>> = date
        => entry(Yaml::Date, UNTIL, DITTO)
            .read(Ty::Date, DITTO)
            .says("{of} holds until {value}", "{of} has no end recorded");
    opt source: Option<At<String>> = reference(Want::Source)
        => CITATION.read(Ty::Str, "").says("{of} cites {value}", "{of} cites no source");
}

record! {
    /// An embassy, consulate, office...
    pub struct Mission in mission as MISSION {
        what: "a mission", plural: "missions", json: "mission",
    }
    req id: At<String> = def_id
        => entry(Yaml::Id, Required, "").read_as(Field::Id, Ty::Ref(K::Mission), "the mission's id");
    req sender: At<String> = reference(Want::State)
        => entry(Yaml::Ref(Want::State), Required, "the sending state (or organization)")
            .read_as(Field::Sender, Ty::Ref(K::State), "the sending and receiving states")
            .says("{of} is sent by {value}", "{of} has no sender recorded");
    req receiver: At<String> = reference(Want::State)
        => entry(Yaml::Ref(Want::State), Required, "the receiving state")
            .read_as(Field::Receiver, Ty::Ref(K::State), DITTO)
            .says("{of} is sent to {value}", "{of} has no receiver recorded");
    req kind: At<MissionKind> = mission_kind
        => entry(Yaml::MissionKind, Required, "see below")
            .read(
                Ty::MissionKind,
                "`embassy`, `consulate-general`, `consulate`, `delegation`, `liaison-office`, `interests-section`, `representative-office`, `technical-team`",
            )
            .says("{of} is {a value}", "{of} is of no recorded kind");
    opt city: Option<String> = text
        => entry(Yaml::Text, Optional, "where the mission sits")
            .read(Ty::Str, "")
            .says("{of} sits in {value}", "{of} has no city recorded");
    opt run_by: Option<At<String>> = reference(Want::Government)
        => entry(
            Yaml::Ref(Want::Government),
            Default("the sender's government in control at the date"),
            "the sender's government that staffs it; must be a government of the sender",
        )
        .read_as(
            Field::RunBy,
            Ty::Ref(K::Government),
            "the sender's government that runs it; default: the sender's government in control at the date",
        )
        .says("{of} is run by {value}", "{of} is run by no government in control");
    opt from: Option<At<Date>> = date
        => entry(Yaml::Date, FROM, "when the mission is open; `until: null` = still open")
            .read(Ty::Date, "opened, closed")
            .says("{of} opened on {value}", "{of} has no opening date recorded");
    opt until: Option<At<Date>> = date
        => entry(Yaml::Date, UNTIL, DITTO)
            .read(Ty::Date, DITTO)
            .says("{of} closes on {value}", "{of} has no closing date recorded");
    /// The state whose embassy hosts the mission (an interests section's).
    opt protecting_power: Option<At<String>> = reference(Want::State)
        => entry(
            Yaml::Ref(Want::State),
            Optional,
            "the state whose embassy hosts the mission (VCDR art. 45-46); allowed on any mission, expected on interests sections; neither its sender nor its receiver",
        )
        .read_as(Field::ProtectingPower, Ty::Ref(K::State), "the state whose embassy hosts it, or `none`")
        .says("{of} is hosted by {value} as protecting power", "{of} has no protecting power recorded");
    or(Vec::new()) staff: Vec<Staff> = list(STAFF.plural, staff)
        => entry(Yaml::List(&STAFF), Optional, "diplomatic staff counts over time").file_only();
    or(Vec::new()) heads: Vec<Head> = list(HEAD.plural, head)
        => entry(Yaml::List(&HEAD), Optional, "heads of mission over time").file_only();
    derived derived(
            "head",
            Field::Head,
            Ty::Record(K::Head),
            "the head in office at the date, or `none`",
        )
        .says("{of} is headed by {a value.rank}[, {value.name},][ in office since {value.from}]", "{of} has no head of mission and no chargé d'affaires a.i. in office on {as_of}");
    derived derived(
            "staff",
            Field::Staff,
            Ty::Num,
            "diplomatic staff in force at the date, less the diplomats of each expulsion from its `on` + `notice_days` until a later count; or `none`",
        )
        .says("{of} has {value} diplomats on {as_of}", "{of} has no staff count recorded on {as_of}");
    derived derived(
            "relation",
            Field::Relation,
            Ty::Record(K::Relation),
            "the relation record between sender and receiver in force at the date, or `none`",
        )
        .says("relations between {of.sender} and {of.receiver} are {value.status}[ since {value.from}]", "no relation record between {of.sender} and {of.receiver} is in force on {as_of}");
    derived derived(
            "relation_status",
            Field::RelationStatus,
            Ty::RelationStatus,
            "that record's `status`; where none is in force, `established` if either state has an open embassy in the other, else `none`",
        )
        .says("relations between {of.sender} and {of.receiver} are {value} on {as_of}", "no diplomatic relations between {of.sender} and {of.receiver} are recorded on {as_of}");
    derived derived(
            "acting_since",
            Field::ActingSince,
            Ty::Date,
            "when the uninterrupted run of acting heads (chargés d'affaires a.i., or heads recalled for consultations, one or several in a row) leading the mission at the date began; `none` if its head is not acting, or the run goes back to a head with no `from`",
        )
        .says("{of} has been led by acting heads since {value}", "{of} is not led by a run of acting heads with a recorded start");
    opt source: Option<At<String>> = reference(Want::Source)
        => CITATION.read(Ty::Str, CITES).says("{of} cites {value}", "{of} cites no source");
}

record! {
    /// A count of a mission's diplomatic staff over a period.
    pub struct Staff in staff as STAFF {
        what: "a staff entry", plural: "staff entries", json: "staff",
    }
    req diplomats: u32 = count
        => entry(Yaml::Count, Required, "number of diplomatic staff").file_only();
    opt from: Option<At<Date>> = date
        => entry(Yaml::Date, FROM, "when that count holds").file_only();
    opt until: Option<At<Date>> = date => entry(Yaml::Date, UNTIL, DITTO).file_only();
    opt source: Option<At<String>> = reference(Want::Source) => CITATION.file_only();
}

record! {
    /// A head of mission over a period.
    pub struct Head in head as HEAD {
        what: "a head", plural: "heads", json: "head",
    }
    opt name: Option<String> = text
        => entry(Yaml::Text, Optional, "the person")
            .read(Ty::Str, "")
            .says("{of} is {value}", "{of's} name is not recorded");
    req rank: At<Rank> = rank
        => entry(Yaml::Rank, Required, "see [Ranks](#ranks-and-their-class)")
            .read(Ty::Rank, "see below")
            .says("{of} is {a value}", "{of} has no rank recorded");
    opt from: Option<At<Date>> = date
        => entry(Yaml::Date, FROM, "in office")
            .read(Ty::Date, "in office")
            .says("{of} took up the post on {value}", "{of's} start in office is not recorded");
    opt until: Option<At<Date>> = date
        => entry(Yaml::Date, UNTIL, DITTO)
            .read(Ty::Date, DITTO)
            .says("{of} leaves the post on {value}", "{of} has no end of tenure recorded");
    opt agrement: Option<At<Date>> = date
        => entry(Yaml::Date, Optional, "when the receiver gave agrément")
            .read(Ty::Date, "when the receiver gave agrément")
            .says("{of} received agrément on {value}", "{of} has no agrément recorded");
    // Read as an embedded record of the world's row (`eval::value`).
    opt credentials: Option<Credentials> = credentials
        => entry(Yaml::Embedded(&CREDENTIALS), Optional, "to whom and when credentials were presented")
            .read_as(Field::Credentials, Ty::Record(K::Credentials), "or `none`")
            .says("{of} presented credentials[ on {value.on}] to {value.to}", "{of} has not presented credentials");
    /// When the receiver admitted a consular head (VCCR art. 12).
    opt exequatur: Option<At<Date>> = date
        => entry(Yaml::Date, Optional, "consular heads: when the receiver admitted them (VCCR art. 12)")
            .read(Ty::Date, "when the receiver admitted a consular head, or `none`")
            .says("{of} received an exequatur on {value}", "{of} has no exequatur recorded");
    derived derived("proposed", Field::Proposed, Ty::Bool, "true for a head a proposal appoints")
        .says("{of} is appointed by the proposal", "{of} is not a proposed appointment");
    derived derived(
            "absent",
            Field::Absent,
            Ty::Bool,
            "recalled for consultations at the date (counts as a chargé d'affaires a.i.)",
        )
        .says("{of} is recalled for consultations on {as_of}", "{of} is at post on {as_of}");
    opt source: Option<At<String>> = reference(Want::Source)
        => CITATION.read(Ty::Str, "").says("{of} cites {value}", "{of} cites no source");
    /// True when the head comes from a proposal's `appoint`, not from the record.
    extra proposed: bool = false;
}

record! {
    /// To whom and when a head presented credentials.
    pub struct Credentials in credentials as CREDENTIALS {
        what: "a credentials entry", plural: "credentials", json: "credentials",
    }
    /// A government id (an implicit government's id is its state's id).
    req to: At<String> = reference(Want::Government)
        => entry(
            Yaml::Ref(Want::Government),
            Required,
            "the government they were presented to; must govern the mission's receiver",
        )
        .read_as(Field::To, Ty::Ref(K::Government), "the government they were presented to")
        .says("{of} were presented to {value}", "{of} were presented to no recorded government");
    // Read with the head's `from` as default (`Head::credentials_on`).
    opt on: Option<At<Date>> = date
        => entry(Yaml::Date, Default("the head's `from`"), "when they were presented")
            .read_as(Field::On, Ty::Date, "when; default: the head's `from`")
            .says("{of} were presented on {value}", "{of's} date of presentation is not recorded");
}

/// Credentials are read as a record of their own (`Field::Credentials`).
impl super::declare::ToPlain for Credentials {
    fn plain(&self) -> super::declare::Plain<'_> {
        super::declare::Plain::Null
    }
    fn span_of(&self) -> Option<crate::source::Span> {
        Some(self.span)
    }
}

record! {
    /// Diplomatic relations between two states over a period.
    pub struct Relation in relation as RELATION {
        what: "a relation", plural: "relations", json: "relation",
    }
    /// Two distinct state ids, as written (their order means nothing).
    req between: [At<String>; 2] = state_pair
        => entry(Yaml::StatePair, Required, "the two states, in any order")
            .read_as(
                Field::Between,
                Ty::List(&Ty::Ref(K::State)),
                "the two states as written; read it with `in` (`m.sender in r.between`)",
            )
            .says("{of} are between {value}", "{of} name no states");
    req status: At<RelationStatus> = relation_status
        => entry(Yaml::RelationStatus, Required, "the state of relations in the period")
            .read(Ty::RelationStatus, "`established`, `severed`, `suspended`")
            .says("{of} are {value}", "{of} have no status recorded");
    opt from: Option<At<Date>> = date
        => entry(Yaml::Date, FROM, "when")
            .read(Ty::Date, "")
            .says("{of} hold from {value}", "{of} have no start recorded");
    opt until: Option<At<Date>> = date
        => entry(Yaml::Date, UNTIL, DITTO)
            .read(Ty::Date, DITTO)
            .says("{of} hold until {value}", "{of} have no end recorded");
    opt source: Option<At<String>> = reference(Want::Source)
        => CITATION.read(Ty::Str, "").says("{of} cite {value}", "{of} cite no source");
}

record! {
    /// A dated act that ends or changes a tenure: persona non grata, an
    /// expulsion, a recall for consultations.
    pub struct Event in event as EVENT {
        what: "an event", plural: "events", json: "event",
    }
    req id: At<String> = def_id
        => entry(Yaml::Id, Required, "").read_as(Field::Id, Ty::Ref(K::Event), "");
    req kind: At<EventKind> = event_kind
        => entry(
            Yaml::EventKind,
            Required,
            "what happened; see [Version 2](#version-2-relations-protecting-powers-events-exequatur)",
        )
        .read(Ty::EventKind, "`persona-non-grata`, `expulsion`, `recall-for-consultations`")
        .says("{of} is {a value}", "{of} is of no recorded kind");
    // Required here; in a proposal's `event` change, the proposal's date
    // by default (`EVENT_CHANGE`).
    req on: At<Date> = date
        => entry(Yaml::Date, Required, "when it happened")
            .read(Ty::Date, "")
            .says("{of} happened on {value}", "{of} has no date recorded");
    /// The state that acts.
    opt by: Option<At<String>> = reference(Want::State)
        => entry(
            Yaml::Ref(Want::State),
            Optional,
            "the state that acts (for persona non grata and expulsions, the receiver)",
        )
        .read_as(Field::By, Ty::Ref(K::State), "or `none`")
        .says("{of} is by {value}", "{of} names no acting state");
    req mission: At<String> = reference(Want::Mission)
        => entry(Yaml::Ref(Want::Mission), Required, "the mission concerned")
            .read_as(Field::Mission, Ty::Ref(K::Mission), "")
            .says("{of} concerns {value}", "{of} concerns no recorded mission");
    /// The person concerned (persona non grata: matched to a head's name).
    opt person: Option<String> = text
        => entry(
            Yaml::Text,
            Optional,
            "the person; for persona non grata matched to a head's `name` (one matching no head is valid: any member of staff may be declared)",
        )
        .read(Ty::Str, "or `none`")
        .says("{of} names {value}", "{of} names no person");
    /// An expulsion: how many diplomats must leave.
    opt diplomats: Option<At<u32>> = located_count
        => entry(Yaml::Count, Optional, "`expulsion` only: how many diplomats must leave")
            .read(Ty::Num, "or `none`")
            .says("{of} makes {value} diplomats leave", "{of} gives no number of diplomats");
    /// Days given to leave.
    or(0) notice_days: u32 = count
        => entry(Yaml::Count, Default("0"), "days given to leave")
            .read(Ty::Num, "")
            .says("{of} gives {value} days to leave", "{of} gives no time to leave");
    /// A recall for consultations: the return.
    opt until: Option<At<Date>> = date
        => entry(
            Yaml::Date,
            Default("the head's `until`"),
            "`recall-for-consultations` only: the head's return, not before `on`",
        )
        .read(Ty::Date, "the return as written, or `none`")
        .says("{of} holds until {value}", "{of} has no end recorded");
    opt source: Option<At<String>> = reference(Want::Source)
        => CITATION.read(Ty::Str, "").says("{of} cites {value}", "{of} cites no source");
}

/// An event as a proposal's `event` change writes it: its `on` is the
/// proposal's by default.
pub(crate) const EVENT_CHANGE: Record = Record {
    what: "an `event` change",
    plural: "",
    json: "",
    keys: &with_presence::<{ event::KEYS.len() }>(
        event::KEYS,
        "on",
        Default("the proposal's `on`"),
    ),
};

/// `keys` with the presence of the key `yaml` replaced.
const fn with_presence<const N: usize>(keys: &[Key], yaml: &str, presence: Presence) -> [Key; N] {
    let mut out = [keys[0]; N];
    let mut i = 0;
    let mut found = false;
    while i < N {
        out[i] = keys[i];
        if let Some(name) = keys[i].yaml
            && same(name, yaml)
        {
            out[i].presence = presence;
            found = true;
        }
        i += 1;
    }
    // Evaluated at compile time: a misnamed key fails the build.
    assert!(found, "no such key");
    out
}

pub(crate) const PROPOSAL: Record = Record {
    what: "a proposal",
    plural: "proposals",
    json: "proposal",
    keys: &[
        key("id", Yaml::Id, Required, ""),
        key("title", Yaml::Text, Optional, ""),
        key("on", Yaml::Date, Required, "when the changes take effect"),
        key("changes", Yaml::Changes, Required, "applied in order"),
        SOURCE_REF.file_only(),
    ],
};

/// The keys of a change, one per change (the JSON Schema's `change`).
pub(crate) const CHANGES: &[(&str, Yaml)] = &[
    ("appoint", Yaml::Embedded(&APPOINT)),
    ("recall", Yaml::Embedded(&RECALL)),
    ("open", Yaml::Embedded(&MISSION)),
    ("close", Yaml::Embedded(&CLOSE)),
    ("recognize", Yaml::Embedded(&RECOGNITION)),
    ("relate", Yaml::Embedded(&RELATION)),
    ("event", Yaml::Embedded(&EVENT_CHANGE)),
];

pub(crate) const APPOINT: Record = Record {
    what: "an `appoint` change",
    plural: "",
    json: "",
    keys: &[
        key("mission", Yaml::Ref(Want::Mission), Required, ""),
        key("head", Yaml::Embedded(&HEAD), Required, ""),
    ],
};

const MISSION_REF: &[Key] = &[key("mission", Yaml::Ref(Want::Mission), Required, "")];

pub(crate) const RECALL: Record = Record {
    what: "a `recall` change",
    plural: "",
    json: "missionRef",
    keys: MISSION_REF,
};

pub(crate) const CLOSE: Record = Record {
    what: "a `close` change",
    plural: "",
    json: "missionRef",
    keys: MISSION_REF,
};

pub(crate) const CLAIM: Record = Record {
    what: "a claim",
    plural: "claims",
    json: "claim",
    keys: &[
        key(
            "claim",
            Yaml::Expression,
            Required,
            "an expression in the rule language that must hold",
        ),
        key(
            "title",
            Yaml::Text,
            Optional,
            "what the claim says, in words",
        ),
        SOURCE_REF.file_only(),
    ],
};

pub(crate) const WAIVER: Record = Record {
    what: "a waiver",
    plural: "waivers",
    json: "waiver",
    keys: &[
        key(
            "rule",
            Yaml::RuleId,
            Required,
            "the rule waived (checked against the rules, not by the loader)",
        ),
        key(
            "subject",
            Yaml::Subjects,
            Required,
            "the records the waived finding must be about",
        ),
        key(
            "reason",
            Yaml::Text,
            Optional,
            "why the exception is accepted",
        ),
        key(
            "until",
            Yaml::Date,
            Default("none (never expires)"),
            "when the waiver expires: it holds up to the day before, and from `until` on the finding is reported again, with an `expired-waiver` finding",
        ),
        SOURCE_REF.file_only(),
    ],
};

/// A proposals file of its own (`parity propose --proposals FILE`).
pub(crate) const PROPOSALS_FILE: Record = Record {
    what: "a proposals file",
    plural: "",
    json: "",
    keys: &[key("proposals", Yaml::List(&PROPOSAL), Required, "")],
};

/// A rule-test file (`*.test.yaml`); documented in docs/rules.md, "Testing rules".
pub(crate) const RULE_TESTS: Record = Record {
    what: "a rule-test file",
    plural: "",
    json: "",
    keys: &[
        key("rule", Yaml::RuleId, Required, ""),
        key("cases", Yaml::List(&RULE_CASE), Required, ""),
    ],
};

pub(crate) const RULE_CASE: Record = Record {
    what: "a rule-test case",
    plural: "cases",
    json: "",
    keys: &[
        key("name", Yaml::Text, Required, ""),
        key("as_of", Yaml::Date, Optional, ""),
        key("fires", Yaml::Fires, Required, ""),
        key("scenario", Yaml::Embedded(&SCENARIO), Required, ""),
    ],
};

pub(crate) const EXPECTED: Record = Record {
    what: "an expected finding",
    plural: "expected findings",
    json: "",
    keys: &[
        key("subject", Yaml::Subjects, Required, ""),
        key("count", Yaml::Count, Default("1"), ""),
        key("message", Yaml::Text, Optional, ""),
    ],
};

/// The record a rule-language record kind is read from.
pub(crate) fn of(kind: K) -> &'static Record {
    match kind {
        K::Mission => &MISSION,
        K::Head => &HEAD,
        K::Credentials => &CREDENTIALS,
        K::State => &STATE,
        K::Government => &GOVERNMENT,
        K::Recognition => &RECOGNITION,
        K::Relation => &RELATION,
        K::Event => &EVENT,
    }
}

/// The rule-language record kinds, in the order `docs/rules.md` lists them.
pub(crate) const RULE_KINDS: [K; 8] = [
    K::Mission,
    K::Head,
    K::Credentials,
    K::State,
    K::Government,
    K::Recognition,
    K::Relation,
    K::Event,
];

impl Record {
    /// The keys the file may have, in table order.
    pub(crate) fn yaml_keys(&self) -> impl Iterator<Item = &'static str> {
        self.keys.iter().filter_map(|k| k.yaml)
    }
}

// ---------------------------------------------------------------------------
// The JSON Schema

/// The JSON Schema of a scenario file (`schema/scenario.schema.json`).
pub fn json_schema() -> String {
    let definitions: Vec<(&str, Json)> = [
        ("id", id_definition()),
        ("date", date_definition()),
        ("rank", rank_definition()),
        ("missionKind", json_words(super::model::MissionKind::WORDS)),
        ("level", json_words(super::model::Level::WORDS)),
    ]
    .into_iter()
    .chain(
        [
            &SOURCE,
            &STATE,
            &GOVERNMENT,
            &RECOGNITION,
            &CREDENTIALS,
            &HEAD,
            &STAFF,
            &MISSION,
            &RECALL,
            &RELATION,
            &EVENT,
        ]
        .into_iter()
        .map(|record| (record.json, object(record))),
    )
    .chain([("change", change_definition())])
    .chain(
        [&PROPOSAL, &CLAIM, &WAIVER]
            .into_iter()
            .map(|record| (record.json, object(record))),
    )
    .collect();
    let mut root = vec![
        (
            "$schema",
            Json::str("http://json-schema.org/draft-07/schema#"),
        ),
        (
            "$id",
            Json::str("https://parity.invalid/schema/scenario.schema.json"),
        ),
        ("title", Json::str("parity scenario, format version 2")),
        (
            "description",
            Json::str(
                "A world of states, governments, recognitions, missions and heads of mission, relations and events over time (docs/scenario.md). Kept in sync with the loader by tests/schema.rs.",
            ),
        ),
    ];
    if let Json::Obj(entries) = object(&SCENARIO) {
        root.extend(entries);
    }
    root.push(("definitions", Json::Obj(definitions)));
    let mut out = String::new();
    Json::Obj(root).write(&mut out, 0);
    out.push('\n');
    out
}

/// A JSON value, written as `serde_json::to_string_pretty` writes it, but
/// with keys in the order given (the committed schema's order).
enum Json {
    Str(String),
    Num(i64),
    Bool(bool),
    Arr(Vec<Json>),
    Obj(Vec<(&'static str, Json)>),
}

impl Json {
    fn str(text: &str) -> Json {
        Json::Str(text.to_string())
    }

    fn write(&self, out: &mut String, depth: usize) {
        let indent = |out: &mut String, depth: usize| {
            out.push('\n');
            out.extend(std::iter::repeat_n("  ", depth));
        };
        match self {
            Json::Str(text) => quote(text, out),
            Json::Num(n) => out.push_str(&n.to_string()),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    item.write(out, depth + 1);
                }
                if !items.is_empty() {
                    indent(out, depth);
                }
                out.push(']');
            }
            Json::Obj(entries) => {
                out.push('{');
                for (i, (name, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    quote(name, out);
                    out.push_str(": ");
                    value.write(out, depth + 1);
                }
                if !entries.is_empty() {
                    indent(out, depth);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON string, escaped as serde_json escapes it.
fn quote(text: &str, out: &mut String) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_ref(definition: &str) -> Json {
    Json::Obj(vec![(
        "$ref",
        Json::Str(format!("#/definitions/{definition}")),
    )])
}

fn id_definition() -> Json {
    Json::Obj(vec![
        ("type", Json::str("string")),
        ("pattern", Json::str("^[A-Za-z][A-Za-z0-9_.-]*$")),
    ])
}

fn date_definition() -> Json {
    Json::Obj(vec![
        (
            "description",
            Json::str(
                "YYYY-MM-DD, or partial YYYY-MM / YYYY where the record is only that precise",
            ),
        ),
        (
            "oneOf",
            Json::Arr(vec![
                Json::Obj(vec![
                    ("type", Json::str("string")),
                    // `date::Date::parse`'s forms, with year 0001-9999, month
                    // 01-12 and day 01-31, so that an editor flags `2024-13-01`
                    // (a day past its month's end, `2023-02-30`, only the loader can).
                    ("pattern", Json::str(DATE_PATTERN)),
                ]),
                Json::Obj(vec![
                    ("type", Json::str("integer")),
                    ("minimum", Json::Num(1)),
                    ("maximum", Json::Num(9999)),
                ]),
            ]),
        ),
    ])
}

/// A date as `date::Date::parse` accepts it: `YYYY`, `YYYY-MM` or
/// `YYYY-MM-DD`, the year not 0000, the month 01-12, the day 01-31.
pub const DATE_PATTERN: &str = "^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$";

fn json_words(all: &[&str]) -> Json {
    Json::Obj(vec![(
        "enum",
        Json::Arr(all.iter().map(|w| Json::str(w)).collect()),
    )])
}

/// The ranks, with their classes under VCDR art. 14 as a description.
fn rank_definition() -> Json {
    let of_class = |class: Option<u8>| {
        Rank::WORDS
            .iter()
            .filter(|w| Rank::from_word(w).and_then(Rank::class) == class)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    };
    let description = format!(
        "class 1: {}; 2: {}; 3: {}; none: the rest",
        of_class(Some(1)),
        of_class(Some(2)),
        of_class(Some(3))
    );
    let Json::Obj(mut entries) = json_words(Rank::WORDS) else {
        return json_words(Rank::WORDS);
    };
    entries.push(("description", Json::Str(description)));
    Json::Obj(entries)
}

fn change_definition() -> Json {
    let one_of = CHANGES
        .iter()
        .map(|(name, ty)| {
            let value = match ty {
                // An `appoint` is written out where it is used; the others are shared.
                Yaml::Embedded(record) if record.json.is_empty() => object(record),
                other => json_value(*other),
            };
            Json::Obj(vec![
                ("type", Json::str("object")),
                ("additionalProperties", Json::Bool(false)),
                ("properties", Json::Obj(vec![(*name, value)])),
                ("required", Json::Arr(vec![Json::str(name)])),
            ])
        })
        .collect();
    Json::Obj(vec![("oneOf", Json::Arr(one_of))])
}

/// A record as a closed JSON object.
fn object(record: &Record) -> Json {
    let mut properties = Vec::new();
    let mut required = Vec::new();
    for key in record.keys {
        let Some(name) = key.yaml else { continue };
        let mut schema = json_value(key.ty);
        if key.presence == Presence::Required {
            required.push(Json::str(name));
        } else {
            schema = Json::Obj(vec![(
                "oneOf",
                Json::Arr(vec![schema, Json::Obj(vec![("type", Json::str("null"))])]),
            )]);
        }
        properties.push((name, schema));
    }
    let mut entries = vec![
        ("type", Json::str("object")),
        ("additionalProperties", Json::Bool(false)),
    ];
    // The top level states its required keys first, as the committed file does.
    let at_top = record.json.is_empty() && record.what == SCENARIO.what;
    if at_top {
        entries.push(("required", Json::Arr(required)));
        entries.push(("properties", Json::Obj(properties)));
    } else {
        entries.push(("properties", Json::Obj(properties)));
        if !required.is_empty() {
            entries.push(("required", Json::Arr(required)));
        }
    }
    Json::Obj(entries)
}

fn json_value(ty: Yaml) -> Json {
    let array = |items: Json| Json::Obj(vec![("type", Json::str("array")), ("items", items)]);
    match ty {
        Yaml::Id | Yaml::Ref(_) => json_ref("id"),
        Yaml::Text => Json::Obj(vec![(
            "type",
            Json::Arr(vec![
                Json::str("string"),
                Json::str("number"),
                Json::str("boolean"),
            ]),
        )]),
        Yaml::Expression => Json::Obj(vec![
            ("type", Json::str("string")),
            (
                "description",
                Json::str(
                    "an expression in the rule language (docs/rules.md) that must hold at as_of",
                ),
            ),
        ]),
        Yaml::RuleId => Json::Obj(vec![
            ("type", Json::str("string")),
            ("pattern", Json::str("^[a-z][a-z0-9-]*$")),
        ]),
        Yaml::Date => json_ref("date"),
        Yaml::Rank => json_ref("rank"),
        Yaml::MissionKind => json_ref("missionKind"),
        Yaml::Level => json_ref("level"),
        Yaml::StateKind => json_words(StateKind::WORDS),
        Yaml::RelationStatus => json_words(RelationStatus::WORDS),
        Yaml::EventKind => json_words(EventKind::WORDS),
        Yaml::StatePair => {
            let Json::Obj(mut list) = array(json_ref("id")) else {
                return json_ref("id");
            };
            list.push(("minItems", Json::Num(2)));
            list.push(("maxItems", Json::Num(2)));
            Json::Obj(list)
        }
        Yaml::Count => Json::Obj(vec![
            ("type", Json::str("integer")),
            ("minimum", Json::Num(0)),
        ]),
        Yaml::Bool => Json::Obj(vec![("type", Json::str("boolean"))]),
        Yaml::Subjects => {
            let Json::Obj(mut list) = array(json_ref("id")) else {
                return json_ref("id");
            };
            list.push(("minItems", Json::Num(1)));
            Json::Obj(vec![(
                "oneOf",
                Json::Arr(vec![json_ref("id"), Json::Obj(list)]),
            )])
        }
        Yaml::List(record) => array(json_ref(record.json)),
        Yaml::Embedded(record) => json_ref(record.json),
        Yaml::Changes => array(json_ref("change")),
        // Rule-test files are not scenarios: the schema never reaches this.
        Yaml::Fires => Json::Obj(Vec::new()),
    }
}

// ---------------------------------------------------------------------------
// The docs' field tables

/// The key tables of `docs/scenario.md`: (region name, Markdown table).
pub fn scenario_tables() -> Vec<(&'static str, String)> {
    [
        ("scenario", &SCENARIO),
        ("source", &SOURCE),
        ("state", &STATE),
        ("government", &GOVERNMENT),
        ("recognition", &RECOGNITION),
        ("mission", &MISSION),
        ("staff", &STAFF),
        ("head", &HEAD),
        ("credentials", &CREDENTIALS),
        ("relation", &RELATION),
        ("event", &EVENT),
        ("proposal", &PROPOSAL),
        ("claim", &CLAIM),
        ("waiver", &WAIVER),
    ]
    .into_iter()
    .map(|(name, record)| (name, key_table(record)))
    .collect()
}

/// The field table of `docs/rules.md`: every field rules can read.
pub fn rule_table() -> String {
    let mut rows: Vec<[String; 4]> = Vec::new();
    for kind in RULE_KINDS {
        for def in of(kind).keys.iter().filter_map(|k| k.rule.as_ref()) {
            let name = format!("`{}`", def.name);
            if def.doc == DITTO
                && let Some(above) = rows.last_mut()
            {
                above[1] = format!("{}, {name}", above[1]);
                continue;
            }
            rows.push([
                kind.word().to_string(),
                name,
                rule_type(&def.ty),
                def.doc.to_string(),
            ]);
        }
    }
    table(&["record", "field", "type", "meaning"], &rows)
}

fn key_table(record: &Record) -> String {
    let mut rows: Vec<[String; 4]> = Vec::new();
    for key in record.keys {
        let Some(name) = key.yaml else { continue };
        let name = format!("`{name}`");
        let default = match key.presence {
            Presence::Required => String::new(),
            Presence::Optional if matches!(key.ty, Yaml::List(_)) => "empty".to_string(),
            Presence::Optional => "none".to_string(),
            Presence::Default(text) => text.to_string(),
        };
        if key.doc == DITTO
            && let Some(above) = rows.last_mut()
        {
            // `from`, `until` | dates | since ever, still
            above[0] = format!("{}, {name}", above[0]);
            above[1].push('s');
            above[2] = format!("{}, {default}", above[2]);
            continue;
        }
        let mut ty = yaml_type(key.ty);
        if key.presence == Presence::Required {
            ty.push_str(", **required**");
        }
        rows.push([name, ty, default, key.doc.to_string()]);
    }
    table(&["key", "type", "default", "meaning"], &rows)
}

fn table(header: &[&str; 4], rows: &[[String; 4]]) -> String {
    // An empty cell is `| |`, as the hand-written tables had it.
    let line = |cells: &[String]| {
        let mut out = String::from("|");
        for cell in cells {
            out.push(' ');
            if !cell.is_empty() {
                out.push_str(cell);
                out.push(' ');
            }
            out.push('|');
        }
        out.push('\n');
        out
    };
    let mut out = line(&header.map(str::to_string));
    out.push_str("|---|---|---|---|\n");
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

fn alternatives(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(" \\| ")
}

fn yaml_type(ty: Yaml) -> String {
    match ty {
        Yaml::Id => "id".into(),
        Yaml::Ref(Want::State) => "state id".into(),
        Yaml::Ref(Want::Government) => "government id".into(),
        Yaml::Ref(Want::StateOrGovernment) => "government or state id".into(),
        Yaml::Ref(Want::Source) => "source id".into(),
        Yaml::Ref(Want::Mission) => "mission id".into(),
        Yaml::Text | Yaml::Expression => "text".into(),
        Yaml::RuleId => "rule id".into(),
        Yaml::Date => "date".into(),
        Yaml::Rank => "rank".into(),
        Yaml::MissionKind => "mission kind".into(),
        Yaml::Level => alternatives(super::model::Level::WORDS),
        Yaml::StateKind => alternatives(StateKind::WORDS),
        Yaml::RelationStatus => alternatives(RelationStatus::WORDS),
        Yaml::EventKind => alternatives(EventKind::WORDS),
        Yaml::StatePair => "list of two state ids".into(),
        Yaml::Count => "non-negative integer".into(),
        Yaml::Bool => "`true` \\| `false`".into(),
        Yaml::Subjects => "id or list of ids".into(),
        Yaml::List(record) => format!("list of {}", record.plural),
        Yaml::Embedded(record) => record.plural.into(),
        Yaml::Changes => "list of changes".into(),
        Yaml::Fires => "list of expected findings".into(),
    }
}

fn rule_type(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "boolean".into(),
        Ty::Num => "number".into(),
        Ty::Str => "string".into(),
        Ty::Date => "date".into(),
        Ty::Rank => "rank".into(),
        Ty::MissionKind => "mission kind".into(),
        Ty::Level => "level".into(),
        Ty::StateKind => "state kind".into(),
        Ty::RelationStatus => "relation status".into(),
        Ty::EventKind => "event kind".into(),
        Ty::Ref(kind) => format!("{} id", kind.word()),
        Ty::Record(kind) => kind.word().into(),
        Ty::Word => "word".into(),
        Ty::Null => "none".into(),
        Ty::List(item) => format!("list of {}", rule_type(item)),
    }
}

/// `text` with each region `<!-- fields: NAME, generated from ... -->` ...
/// `<!-- end fields -->` replaced by its table; `None` when one is missing.
pub fn fill_regions(text: &str, tables: &[(&str, String)]) -> Option<String> {
    let mut out = text.to_string();
    for (name, table) in tables {
        let open = format!("<!-- fields: {name}, generated from src/scenario/records.rs -->\n");
        let start = out.find(&open)? + open.len();
        let end = start + out.get(start..)?.find("<!-- end fields -->")?;
        out.replace_range(start..end, table);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The writer writes what serde_json writes (keys here in serde_json's
    /// own sorted order), escapes included.
    #[test]
    fn json_is_written_as_serde_json_writes_it() {
        let text = "a \"quoted\" \\ line\nwith\ttabs\r\u{8}\u{c}\u{1} and é";
        let ours = Json::Obj(vec![
            ("a", Json::Arr(vec![Json::Num(-1), Json::Bool(true)])),
            ("b", Json::Arr(Vec::new())),
            ("c", Json::Obj(Vec::new())),
            ("d", Json::str(text)),
        ]);
        let mut out = String::new();
        ours.write(&mut out, 0);
        let theirs = serde_json::json!({ "a": [-1, true], "b": [], "c": {}, "d": text });
        assert_eq!(out, serde_json::to_string_pretty(&theirs).unwrap());
    }

    /// Each key of a `record!` is found at its own place in its table (the
    /// place its decoder asks at, `declare::position`), and a key's place
    /// is no other key's.
    #[test]
    fn each_key_has_its_own_place_in_its_table() {
        let tables = [
            &SOURCE,
            &STATE,
            &GOVERNMENT,
            &RECOGNITION,
            &MISSION,
            &STAFF,
            &HEAD,
            &CREDENTIALS,
            &RELATION,
            &EVENT,
        ];
        for table in tables {
            for (place, key) in table.keys.iter().enumerate() {
                let Some(yaml) = key.yaml else { continue };
                assert_eq!(
                    super::super::declare::position(table.keys, yaml),
                    place,
                    "{} `{yaml}`",
                    table.what
                );
            }
        }
        assert!(super::super::declare::same("until", "until"));
        assert!(!super::super::declare::same("until", "until_"));
        assert!(!super::super::declare::same("from", "frum"));
    }

    /// An `event` change has the event's keys, in the same places (its
    /// decoder is the event's), with the proposal's date as `on`'s default.
    #[test]
    fn an_event_change_has_the_events_keys_with_a_default_date() {
        assert_eq!(EVENT_CHANGE.keys.len(), EVENT.keys.len());
        for (change, event) in EVENT_CHANGE.keys.iter().zip(EVENT.keys) {
            assert_eq!(change.yaml, event.yaml);
            let expected = match event.yaml {
                Some("on") => Presence::Default("the proposal's `on`"),
                _ => event.presence,
            };
            assert!(change.presence == expected, "{:?}", change.yaml);
        }
        assert!(
            EVENT
                .keys
                .iter()
                .any(|k| k.yaml == Some("on") && k.presence == Presence::Required)
        );
    }

    /// A field that shares the row above must follow one it can share it with.
    #[test]
    fn ditto_follows_a_row_of_the_same_type() {
        let all = [
            &SCENARIO,
            &SOURCE,
            &STATE,
            &GOVERNMENT,
            &RECOGNITION,
            &MISSION,
            &STAFF,
            &HEAD,
            &CREDENTIALS,
            &RELATION,
            &EVENT,
            &EVENT_CHANGE,
            &PROPOSAL,
            &CLAIM,
            &WAIVER,
        ];
        for record in all {
            let file: Vec<&Key> = record.keys.iter().filter(|k| k.yaml.is_some()).collect();
            assert!(file.first().is_none_or(|k| k.doc != DITTO));
            for pair in file.windows(2) {
                if pair[1].doc == DITTO {
                    assert!(pair[0].doc != DITTO, "{}", record.what);
                    assert_eq!(yaml_type(pair[0].ty), yaml_type(pair[1].ty));
                }
            }
            let rule: Vec<&FieldDef> = record.keys.iter().filter_map(|k| k.rule.as_ref()).collect();
            for pair in rule.windows(2) {
                if pair[1].doc == DITTO {
                    assert!(pair[0].doc != DITTO, "{}", record.what);
                    assert_eq!(pair[0].ty, pair[1].ty, "{}", record.what);
                }
            }
        }
    }
}
