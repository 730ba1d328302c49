//! Evidence in words: the facts a rule read, said as a sentence a protocol
//! officer can read ("Azerbaijan's embassy in Afghanistan: its head
//! presented credentials to Islamic Republic of Afghanistan; ...").
//!
//! Nothing here is written per rule or per format. Each rule-visible field
//! declares its phrase once, beside its doc in the record tables
//! (`scenario::records`, `.says(is, none)`; `types::Says` gives the
//! template's holes); a field without one gets a generic phrase from its
//! name. Records are named by their names, not their ids. The evaluator
//! calls [`said`] for each record bound when a rule fires; every renderer
//! takes the sentence from the finding (`Evidence::text`).

use super::run::MAX_MESSAGE;
use super::value::{Reader, Record, Value};
use crate::lang::check::Read;
use crate::lang::schema::{self, Field, FieldDef, RecordKind, Ty};
use std::collections::HashSet;

/// A mission's `kind`, which its heading says.
const MISSION_KIND: Field = Field::Key(crate::scenario::records::mission::Pos::kind as u8);

/// What a hole whose value is absent says outside `[...]` (and what a
/// message hole says of an absent value).
pub const NOT_RECORDED: &str = "not recorded";

/// What a message hole says when its value is absent: a recognition
/// (`recognition(...)`, a `level`) that none records; a field that the file
/// does not record; and `none` for any other computed value (a date moved
/// past the calendar is not a fact left unrecorded).
pub fn absent(ex: &crate::lang::check::Ex) -> &'static str {
    use crate::lang::check::Ex;
    match ex {
        Ex::Call { function, .. } if function.returns == Ty::Level => "no recognition",
        Ex::Field(_, kind, field) => {
            let level = schema::fields(*kind)
                .iter()
                .any(|d| d.field == *field && d.ty == Ty::Level);
            if level {
                "no recognition"
            } else {
                NOT_RECORDED
            }
        }
        _ => "none",
    }
}

/// A bound record's evidence in words: one clause per read (its own field,
/// `None` for a read the evidence does not list), and the whole sentence.
pub struct Said {
    pub clauses: Vec<Option<String>>,
    pub text: String,
}

/// A record the clauses speak of: what it is, and how a clause names it.
#[derive(Clone)]
struct Subject<'w, 's> {
    record: Option<Record<'w, 's>>,
    kind: RecordKind,
    /// "it", "its head", "Islamic Republic of Afghanistan".
    words: String,
}

/// The evidence of the record `(kind, row)` bound when a rule fired, from
/// the rule's reads of it (in the rule's order).
pub fn said(reader: &Reader<'_, '_>, kind: RecordKind, row: u32, reads: &[&Read]) -> Said {
    let record = reader.row(kind, row);
    let heading = record.as_ref().map(|r| noun(reader, r)).unwrap_or_default();
    let bound = Subject {
        record,
        kind,
        words: "it".to_string(),
    };
    let mut clauses = Vec::with_capacity(reads.len());
    let mut sentence: Vec<String> = Vec::new();
    // Paths already said (an embedded record said once for all its reads),
    // and paths a said record's phrase covers (`{value.on}`).
    let mut done: HashSet<String> = HashSet::new();
    for read in reads {
        let mut subject = bound.clone();
        let mut path = String::new();
        let mut own = None;
        let mut absent_end = false;
        for (i, (step_kind, field)) in read.fields.iter().enumerate() {
            let Some(def) = schema::fields(*step_kind)
                .iter()
                .find(|d| d.field == *field)
            else {
                break;
            };
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(def.name);
            let last = i + 1 == read.fields.len();
            let value = subject
                .record
                .as_ref()
                .map_or(Value::Null, |r| reader.read(r, *field));
            let embedded = matches!(def.ty, Ty::Record(_));
            absent_end = last && value == Value::Null;
            if (last || embedded) && def.field != Field::Id {
                let clause = clause(reader, &subject, def, value);
                if last {
                    own = Some(clause.clone());
                }
                // The heading already says a mission's sender, kind and
                // receiver; an absent fact the verdict does not turn on (a
                // government's unrecorded start, read beside its end) is
                // noise in the sentence. Both stay in the field's own text.
                let heading_says = i == 0
                    && kind == RecordKind::Mission
                    && (matches!(def.field, Field::Sender | Field::Receiver)
                        || def.field == MISSION_KIND);
                let idle_absence = last && value == Value::Null && !read.decides;
                if heading_says || idle_absence {
                    done.insert(path.clone());
                } else if !done.contains(&path) {
                    done.insert(path.clone());
                    for covered in covers(def, value) {
                        done.insert(format!("{path}.{covered}"));
                    }
                    sentence.push(clause);
                }
            }
            if value == Value::Null {
                break;
            }
            subject = match def.ty {
                Ty::Record(next) => Subject {
                    record: reader.record(value, next),
                    kind: next,
                    words: format!("{} {}", possessive(&subject.words), spaced(def.name)),
                },
                Ty::Ref(next) => {
                    let record = reader.record(value, next);
                    let words = record
                        .as_ref()
                        .map(|r| noun(reader, r))
                        .unwrap_or_else(|| reader.display(value));
                    Subject {
                        record,
                        kind: next,
                        words,
                    }
                }
                _ => break,
            };
        }
        // The evidence lists no id, nor an embedded record that is present.
        let listed =
            !matches!(read.fields.last(), Some((_, Field::Id))) && (!read.record || absent_end);
        clauses.push(own.filter(|_| listed));
    }
    let mut text = if sentence.is_empty() {
        format!("{heading}.")
    } else {
        format!("{heading}: {}.", sentence.join("; "))
    };
    super::run::truncate(&mut text, MAX_MESSAGE);
    Said { clauses, text }
}

/// The fields of the value's record a phrase says (`{value.on}`): their
/// own reads need no clause of their own.
fn covers(def: &FieldDef, value: Value<'_>) -> Vec<&'static str> {
    let Some(says) = def.says else {
        return Vec::new();
    };
    let template = if value == Value::Null || value == Value::Bool(false) {
        says.none
    } else {
        says.is
    };
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{") {
        let after = rest.get(start + 1..).unwrap_or_default();
        let Some(end) = after.find('}') else { break };
        let hole = after.get(..end).unwrap_or_default();
        let hole = hole.strip_prefix("a ").unwrap_or(hole);
        if let Some(name) = hole.strip_prefix("value.") {
            // Template text is static: the name lives as long as the table.
            if let Some(name) = static_name(def, name) {
                names.push(name);
            }
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
    names
}

/// The `'static` name of a field of `def`'s value's record.
fn static_name(def: &FieldDef, name: &str) -> Option<&'static str> {
    let kind = match def.ty {
        Ty::Record(kind) | Ty::Ref(kind) => kind,
        _ => return None,
    };
    schema::fields(kind)
        .iter()
        .find(|d| d.name == name)
        .map(|d| d.name)
}

/// One field's clause: its declared phrase, or the generic one.
fn clause(
    reader: &Reader<'_, '_>,
    of: &Subject<'_, '_>,
    def: &FieldDef,
    value: Value<'_>,
) -> String {
    let absent = value == Value::Null || value == Value::Bool(false);
    let (template, generic);
    match def.says {
        Some(says) => template = if absent { says.none } else { says.is },
        None => {
            let name = spaced(def.name);
            generic = match (&def.ty, absent) {
                (Ty::Bool, false) => format!("{{of}} is {name}"),
                (Ty::Bool, true) => format!("{{of}} is not {name}"),
                (_, false) => format!("{{of's}} {name} is {{value}}"),
                (_, true) => format!("{{of}} has no {name} recorded"),
            };
            template = &generic;
        }
    }
    let cx = Cx {
        reader,
        of,
        value,
        ty: &def.ty,
    };
    fill(&cx, template)
}

struct Cx<'c, 'w, 's> {
    reader: &'c Reader<'w, 's>,
    of: &'c Subject<'w, 's>,
    value: Value<'w>,
    ty: &'c Ty,
}

/// Fills a template's holes; a `[...]` part with an absent value is left out.
fn fill(cx: &Cx<'_, '_, '_>, template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let (part, after) = inner.split_once(']').unwrap_or((inner, ""));
            if let Some(text) = holes(cx, part, true) {
                out.push_str(&text);
            }
            rest = after;
        } else {
            let end = rest.find('[').unwrap_or(rest.len());
            let (part, after) = rest.split_at(end);
            out.push_str(&holes(cx, part, false).unwrap_or_default());
            rest = after;
        }
    }
    out
}

/// A template part with its holes filled; `None` when `optional` and a
/// value is absent.
fn holes(cx: &Cx<'_, '_, '_>, part: &str, optional: bool) -> Option<String> {
    let mut out = String::new();
    let mut rest = part;
    while let Some(start) = rest.find('{') {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 1..).unwrap_or_default();
        let (hole, next) = after.split_once('}').unwrap_or((after, ""));
        match hole_words(cx, hole) {
            Some(words) => out.push_str(&words),
            None if optional => return None,
            None => out.push_str(NOT_RECORDED),
        }
        rest = next;
    }
    out.push_str(rest);
    Some(out)
}

/// A hole's words; `None` when its value is absent.
fn hole_words(cx: &Cx<'_, '_, '_>, hole: &str) -> Option<String> {
    let reader = cx.reader;
    let (article, hole) = match hole.strip_prefix("a ") {
        Some(rest) => (true, rest),
        None => (false, hole),
    };
    let words = match hole {
        "of" => Some(cx.of.words.clone()),
        "of's" => Some(possessive(&cx.of.words)),
        "as_of" => Some(reader.world.date.to_string()),
        "value" => value_words(reader, cx.value, cx.ty),
        other => {
            let (base, name) = other.split_once('.')?;
            let (record, kind) = match base {
                "of" => (cx.of.record?, cx.of.kind),
                "value" => match cx.ty {
                    Ty::Record(kind) | Ty::Ref(kind) => (reader.record(cx.value, *kind)?, *kind),
                    _ => return None,
                },
                _ => return None,
            };
            let def = schema::fields(kind).iter().find(|d| d.name == name)?;
            value_words(reader, reader.read(&record, def.field), &def.ty)
        }
    }?;
    Some(if article { with_article(&words) } else { words })
}

/// A value in words: records by their names, words of the vocabularies as
/// prose; `None` when absent.
pub fn value_words(reader: &Reader<'_, '_>, value: Value<'_>, ty: &Ty) -> Option<String> {
    Some(match value {
        Value::Null => return None,
        Value::Str(s) => bounded(s),
        Value::Bool(b) => if b { "yes" } else { "no" }.to_string(),
        Value::Rank(r) => r.prose().to_string(),
        Value::MissionKind(k) => k.prose().to_string(),
        Value::Level(l) => l.prose().to_string(),
        Value::StateKind(k) => k.prose().to_string(),
        Value::RelationStatus(s) => s.prose().to_string(),
        Value::EventKind(k) => k.prose().to_string(),
        Value::Ids(ids) => {
            let names: Vec<String> = ids
                .iter()
                .map(|id| {
                    reader
                        .record(Value::Sym(*id), RecordKind::State)
                        .map(|r| noun(reader, &r))
                        .unwrap_or_else(|| reader.world.name(*id).to_string())
                })
                .collect();
            names.join(" and ")
        }
        Value::Sym(_) | Value::Row(..) | Value::Head(_) | Value::Credentials(_) => {
            let kind = match (value, ty) {
                (Value::Row(kind, _), _) => kind,
                (Value::Head(_), _) => RecordKind::Head,
                (Value::Credentials(_), _) => RecordKind::Credentials,
                (_, Ty::Ref(kind) | Ty::Record(kind)) => *kind,
                _ => return Some(reader.display(value)),
            };
            match reader.record(value, kind) {
                Some(record) => noun(reader, &record),
                None => reader.display(value),
            }
        }
        other => reader.display(other),
    })
}

/// A record by its name: a state's or government's `name`, a mission as
/// "China's embassy in Afghanistan".
fn noun(reader: &Reader<'_, '_>, record: &Record<'_, '_>) -> String {
    let name = |sym| {
        reader
            .record(Value::Sym(sym), RecordKind::State)
            .map(|r| match reader.read(&r, Field::Name) {
                Value::Str(s) => bounded(s),
                _ => reader.world.name(sym).to_string(),
            })
            .unwrap_or_else(|| reader.world.name(sym).to_string())
    };
    match record {
        Record::Mission(m) => format!(
            "{}'s {} in {}",
            name(m.sender),
            m.record.kind.value.prose(),
            name(m.receiver)
        ),
        Record::Head(m) => match m.head {
            Some(h) => h.rank.value.prose().to_string(),
            None => "no head".to_string(),
        },
        Record::Credentials(_) => "credentials".to_string(),
        Record::State(_) | Record::Government(_) => match reader.read(record, Field::Name) {
            Value::Str(s) => bounded(s),
            _ => reader.display(reader.read(record, Field::Id)),
        },
        Record::Recognition(r) => {
            let of = reader
                .record(Value::Sym(r.of), RecordKind::Government)
                .map(|g| noun(reader, &g))
                .unwrap_or_else(|| reader.world.name(r.of).to_string());
            format!("{}'s recognition of {of}", name(r.by))
        }
        Record::Relation(r) => {
            let [a, b] = r.between;
            format!("relations between {} and {}", name(a), name(b))
        }
        Record::Event(e) => format!(
            "the {} on {}",
            e.record.kind.value.prose(),
            e.record.on.value
        ),
    }
}

/// A name from the file, cut as a message is: a 4 MB name in every finding
/// would otherwise be copied into each sentence whole.
fn bounded(text: &str) -> String {
    if text.len() <= MAX_MESSAGE {
        return text.to_string();
    }
    let mut end = MAX_MESSAGE;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", text.get(..end).unwrap_or_default())
}

/// "it" → "its", "China" → "China's".
fn possessive(words: &str) -> String {
    match words {
        "it" => "its".to_string(),
        w if w.ends_with("'s") || w.ends_with("s'") => w.to_string(),
        w => format!("{w}'s"),
    }
}

/// `in_control` → "in control".
fn spaced(name: &str) -> String {
    name.replace('_', " ")
}

/// A word of the scenario format's vocabularies as prose ("chargé
/// d'affaires" for `charge-d-affaires`): how a message hole says it.
pub fn vocabulary(value: Value<'_>) -> Option<&'static str> {
    Some(match value {
        Value::Rank(r) => r.prose(),
        Value::MissionKind(k) => k.prose(),
        Value::Level(l) => l.prose(),
        Value::StateKind(k) => k.prose(),
        Value::RelationStatus(s) => s.prose(),
        Value::EventKind(k) => k.prose(),
        _ => return None,
    })
}

/// "an ambassador", "a chargé d'affaires a.i.".
fn with_article(words: &str) -> String {
    let vowel = words
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {words}", if vowel { "an" } else { "a" })
}
