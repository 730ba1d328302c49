//! Runs checked rules and claims over a world.

use super::delta::Touched;
use super::horizon::{Atom, Atoms};
use super::plan::{IndexKey, Probe, Step, conjuncts, plan};
use super::value::{Key, Reader, Value};
use super::words;
use crate::fast_hash::{FastMap, FastState};
use crate::lang::ast::{CmpOp, QuantifierKind};
use crate::lang::check::{CheckedExpr, CheckedRule, Ex, Lit, MessagePart, Read};
use crate::lang::functions::{Form, MAX_ARGUMENTS};
use crate::lang::schema::{Collection, Field};
use crate::scenario::date::Date;
use crate::scenario::types::RecordKind;
use crate::scenario::world::RowChanges;
use crate::scenario::world::World;
use crate::source::Span;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// How much work one rule or claim may do before it is stopped. Steps bound
/// the time; findings and their bytes bound the memory and the report, which
/// steps alone do not: a rule can fire on every pair it considers.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Candidate bindings considered (by `for`, `count`, `exists`, `sum` and index building).
    pub max_steps: u64,
    /// Findings one rule may report.
    pub max_findings: u64,
    /// Bytes of text the findings of one rule may carry: messages, subject
    /// ids, and the evidence (variables, ids, field paths and values).
    pub max_output_bytes: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_steps: 50_000_000,
            // Over 40 times the findings of any one rule on the 200-state
            // world of examples/gen.rs (11,400, staff-parity); a rule
            // stopped here has used some 300 MB.
            max_findings: 500_000,
            // About 270 bytes a finding at the finding limit (220 on that
            // world); messages are cut at 2,000 bytes, so long ones hit this first.
            max_output_bytes: 128 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error(
        "evaluation stopped after {} (the budget); the rule enumerates too many combinations: join its variables with `==` on ids, or raise the budget with --limit-eval-steps",
        counted(*steps, "step")
    )]
    Budget { steps: u64 },
    #[error(
        "evaluation stopped after {} (the budget); the rule fires on too many combinations: narrow its `where`, or raise the budget with --limit-findings",
        counted(*findings, "finding")
    )]
    Findings { findings: u64 },
    #[error(
        "evaluation stopped after {} of findings (the budget); the rule's messages and evidence are too long for this many findings: shorten them, or raise the budget with --limit-output-bytes",
        counted(*bytes, "byte")
    )]
    Output { bytes: u64 },
}

/// "1 step", "2 steps".
fn counted(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Longest message a finding carries; values interpolated from a scenario
/// (a long name, say) cannot make a report unreadable.
pub const MAX_MESSAGE: usize = 2_000;

/// Cuts a message to at most `max` bytes, at a character boundary, marking the cut.
pub(crate) fn truncate(message: &mut String, max: usize) {
    if message.len() > max {
        let mut end = max;
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message.truncate(end);
        message.push('…');
    }
}

/// Appends as much of `text` as `truncate(_, MAX_MESSAGE)` can keep, and
/// one character more when there is more, so that the cut (and its mark)
/// falls where it would on the whole message.
fn push_within(message: &mut String, text: &str) {
    let room = (MAX_MESSAGE + 1).saturating_sub(message.len());
    if text.len() <= room {
        message.push_str(text);
        return;
    }
    let end = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|i| *i >= room)
        .unwrap_or(text.len());
    message.push_str(text.get(..end).unwrap_or(text));
}

/// A record bound when a rule fired, with the fields the rule read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub var: String,
    pub id: String,
    /// Where the record was written (located only when shown: a finding
    /// serializes it as its `line`).
    #[serde(skip)]
    pub span: Option<Span>,
    pub fields: Vec<EvidenceField>,
    /// The record and what the rule read of it, in words (`eval::words`):
    /// what every renderer shows; `fields` keep the raw paths and values.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceField {
    pub path: String,
    pub value: String,
    /// Where the value was written, else its record (see `Evidence::span`).
    #[serde(skip)]
    pub span: Option<Span>,
    /// This field's fact in words (`eval::words`).
    pub text: String,
}

/// A rule firing, before waivers and reporting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFinding {
    pub subject: Vec<String>,
    pub message: String,
    /// Where the first subject record was written (located when its
    /// finding is reported).
    pub span: Span,
    pub evidence: Vec<Evidence>,
    /// Where the fact that decided the finding was written, within the
    /// first subject record (its `require` read, else its first read): the
    /// line a report quotes.
    pub focus: Option<Span>,
    /// Which record each binding variable was bound to (`Reader::identity`),
    /// for `EvidenceFor::Bound` only; else empty.
    pub bound: Vec<(usize, crate::scenario::world::Sym)>,
}

impl RawFinding {
    /// The bytes of text it carries, as counted against `Budget::max_output_bytes`.
    pub fn bytes(&self) -> u64 {
        let text = |s: &String| s.len() as u64;
        let evidence: u64 = self
            .evidence
            .iter()
            .map(|e| {
                let fields: u64 = e
                    .fields
                    .iter()
                    .map(|f| text(&f.path) + text(&f.value) + text(&f.text))
                    .sum();
                text(&e.var) + text(&e.id) + text(&e.text) + fields
            })
            .sum();
        text(&self.message) + self.subject.iter().map(text).sum::<u64>() + evidence
    }
}

/// Key columns kept inline, without allocation. Pair rules join on two ids;
/// a wider inline key made every index entry bigger and the joins slower
/// (cache misses), so wider keys (`duplicate-mission`: four) are allocated.
const INLINE_COLUMNS: usize = 2;

/// The values of a join's key columns for one row, or for one probe. An
/// index always has the same number of columns, so the unused inline places
/// (left `Null`) never make keys of different widths equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Columns<'a> {
    Inline([Key<'a>; INLINE_COLUMNS]),
    Spilled(Vec<Key<'a>>),
}

impl<'a> Columns<'a> {
    /// The columns of `keys`, as `Evaluator::columns` makes them.
    fn of(keys: &[Key<'a>]) -> Columns<'a> {
        if keys.len() <= INLINE_COLUMNS {
            let mut inline = [Key::Null; INLINE_COLUMNS];
            for (place, key) in inline.iter_mut().zip(keys) {
                *place = *key;
            }
            Columns::Inline(inline)
        } else {
            Columns::Spilled(keys.to_vec())
        }
    }
}

/// Rows of a collection grouped by the values of one or more key expressions.
#[derive(Debug, Default)]
pub struct Index<'a> {
    /// The values of its fixed columns (`plan::Probe::fixed`), in order:
    /// rows that differ there are in no group.
    fixed: Vec<Key<'a>>,
    /// The fields its row sides read, where every one is a path on the
    /// row (`reads_own_row`): a row changed in none of them keeps its key.
    reads: Option<Vec<(RecordKind, Field)>>,
    /// Each distinct key's group number.
    groups: Groups<'a>,
    /// The rows of group `g` are `rows[starts[g]..starts[g + 1]]`, in row
    /// order: one allocation for all groups instead of one per key.
    starts: Vec<u32>,
    rows: Vec<u32>,
    /// Each row's group, `NO_GROUP` for a row left out: what an index kept
    /// for another world of the scenario is rebuilt from (`Seed`).
    group_of: Vec<u32>,
    /// The collection whose rows it groups.
    collection: Option<Collection>,
}

/// A row in no group of an index.
const NO_GROUP: u32 = u32::MAX;

/// An index of ids kept from an evaluator over another world of the same
/// scenario whose rows are in the same places (a timeline's last point),
/// to be rebuilt for this world by keying again only the rows that
/// changed (`Evaluator::with_seeds`): evaluating every row's key again is
/// most of a timeline's point otherwise.
#[derive(Debug, Clone)]
pub struct Seed {
    collection: Collection,
    fixed: Vec<Key<'static>>,
    groups: FastMap<IdPair, u32>,
    group_of: Vec<u32>,
    /// Rows whose records changed or came since the index was exact,
    /// ascending: keyed again when the seed is used (an evaluation that
    /// does not use it hands it on with these rows still to key).
    stale: Vec<u32>,
    /// The fields its keys read (`Index::reads`); `None`: any.
    reads: Option<Vec<(RecordKind, Field)>>,
    /// Its groups laid out (`grouped`: starts, rows), while no row has
    /// moved or is stale: then the index is its seed as it was.
    layout: Option<(Vec<u32>, Vec<u32>)>,
}

impl Seed {
    pub fn collection(&self) -> Collection {
        self.collection
    }

    /// The fields its keys read, if known: a row changed in none of them
    /// needs no keying again (`advance_reading`).
    pub fn reads(&self) -> Option<&[(RecordKind, Field)]> {
        self.reads.as_deref()
    }

    /// `advance_reading`, every changed row read.
    #[cfg(test)]
    pub fn advance(&mut self, changes: &RowChanges, after: usize) -> bool {
        self.advance_reading(changes, after, |_| true)
    }

    /// The seed for the next world, whose rows of its collection differ
    /// from this one's as `changes` says (rows of records in both keep
    /// their order, as `World::differences` matches them), `after` rows in
    /// all: each record's group follows its row, and the rows of records
    /// that changed or came are stale (those that came in no group).
    /// `false` if the changes do not fit the seed, or so many rows are
    /// stale that building the index anew costs less (then drop it).
    /// `read(i)`: whether the `i`th changed row of `changes` changed a
    /// field its keys read (`reads`); the others keep their groups.
    pub fn advance_reading(
        &mut self,
        changes: &RowChanges,
        after: usize,
        read: impl Fn(usize) -> bool,
    ) -> bool {
        let before = self.group_of.len();
        if before + changes.came.len() != after + changes.gone.len() {
            return false;
        }
        if !changes.came.is_empty() || !changes.gone.is_empty() {
            let mut moved = vec![NO_GROUP; after];
            let mut stale = Vec::with_capacity(self.stale.len());
            let mut was_stale = self.stale.iter().peekable();
            let (mut gone, mut came) = (
                changes.gone.iter().peekable(),
                changes.came.iter().peekable(),
            );
            let (mut i, mut j) = (0usize, 0usize);
            while i < before || j < after {
                if gone.next_if(|&&row| row as usize == i).is_some() {
                    was_stale.next_if(|&&row| row as usize == i);
                    i += 1;
                } else if came.next_if(|&&row| row as usize == j).is_some() {
                    j += 1;
                } else {
                    let (Some(&group), Some(place)) = (self.group_of.get(i), moved.get_mut(j))
                    else {
                        return false;
                    };
                    *place = group;
                    if was_stale.next_if(|&&row| row as usize == i).is_some() {
                        stale.push(j as u32);
                    }
                    i += 1;
                    j += 1;
                }
            }
            // Every gone, came and stale row was passed, in order.
            if gone.next().is_some() || came.next().is_some() || was_stale.next().is_some() {
                return false;
            }
            self.group_of = moved;
            self.stale = stale;
            self.layout = None;
        }
        self.stale.extend(&changes.came);
        self.stale.extend(
            changes
                .changed
                .iter()
                .enumerate()
                .filter(|(i, _)| read(*i))
                .map(|(_, &(_, row))| row),
        );
        if !self.stale.is_empty() {
            self.layout = None;
        }
        self.stale.sort_unstable();
        self.stale.dedup();
        self.stale.len() <= after / 2
    }
}

/// Seeds by index (`plan::IndexKey`, as `indexes`).
pub type Seeds = FastMap<IndexKey, Seed>;

/// Whether `ex`, the row side of an index over the rows bound at `slot`,
/// reads only what the row holds (its record's fields and what the world
/// derived for it, as `World::differences` compares rows), so that a
/// row's key changes only when the row does: what a `Seed` needs. A
/// quantifier, a function or a path on to another record
/// (`x.sender.government`) reads other rows; a row number (`x.head`,
/// `x.relation`) moves with rows of its own.
fn reads_own_row(ex: &Ex, slot: usize) -> bool {
    /// The row itself, or its head or the head's credentials.
    fn within(ex: &Ex, slot: usize) -> bool {
        match ex {
            Ex::Var(s) => *s == slot,
            Ex::Field(inner, RecordKind::Mission, Field::Head)
            | Ex::Field(inner, RecordKind::Head, Field::Credentials) => within(inner, slot),
            _ => false,
        }
    }
    match ex {
        Ex::Field(inner, kind, field) => {
            within(inner, slot)
                && !matches!(
                    (kind, field),
                    (
                        RecordKind::Mission,
                        Field::Head | Field::Relation | Field::RelationStatus
                    ) | (RecordKind::Head, Field::Credentials)
                        | (RecordKind::Government, Field::Name)
                )
        }
        _ => false,
    }
}

/// The fields a path reads, each record's along the way (`x.head.rank`:
/// the mission's head, the head's rank), as `delta::changed_fields` names
/// those that changed.
fn path_fields(ex: &Ex, out: &mut Vec<(RecordKind, Field)>) {
    if let Ex::Field(inner, kind, field) = ex {
        if !out.contains(&(*kind, *field)) {
            out.push((*kind, *field));
        }
        path_fields(inner, out);
    }
}

/// The groups of `group_of` (each row's, `NO_GROUP` for none) as row
/// lists: a counting sort, each group's rows together in row order.
fn grouped(group_of: &[u32], groups: usize) -> (Vec<u32>, Vec<u32>) {
    let mut counts = vec![0u32; groups];
    let mut kept = 0usize;
    for &g in group_of {
        if let Some(count) = counts.get_mut(g as usize) {
            *count += 1;
            kept += 1;
        }
    }
    let mut starts = Vec::with_capacity(groups + 1);
    let mut total = 0u32;
    starts.push(0);
    for count in &counts {
        total += count;
        starts.push(total);
    }
    let mut next_place: Vec<u32> = starts.iter().take(groups).copied().collect();
    let mut rows = vec![0u32; kept];
    for (row, &g) in group_of.iter().enumerate() {
        if let Some(place) = next_place.get_mut(g as usize) {
            if let Some(slot) = rows.get_mut(*place as usize) {
                *slot = row as u32;
            }
            *place += 1;
        }
    }
    (starts, rows)
}

impl<'a> Index<'a> {
    fn rows(&self, key: &Columns<'a>) -> &[u32] {
        let Some(group) = self.groups.get(key) else {
            return &[];
        };
        let group = group as usize;
        match (self.starts.get(group), self.starts.get(group + 1)) {
            (Some(&start), Some(&end)) => self
                .rows
                .get(start as usize..end as usize)
                .unwrap_or_default(),
            _ => &[],
        }
    }
}

/// An index's keys and their group numbers. A join on ids (`n.sender ==
/// m.receiver`, most joins) has keys of at most two interned ids, kept as
/// two words: a third of the room of `Columns` and a cheaper hash. A key of
/// anything else turns the table into one of `Columns`.
#[derive(Debug)]
enum Groups<'a> {
    Ids(FastMap<IdPair, u32>),
    Any(FastMap<Columns<'a>, u32>),
}

impl Default for Groups<'_> {
    fn default() -> Self {
        Groups::Ids(FastMap::default())
    }
}

/// Two key columns, each an interned id or `none` (`u32::MAX`, which no
/// id is: ids are numbered densely from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IdPair(u32, u32);

impl std::hash::Hash for IdPair {
    // Word by word: a slice's bytes would go to the hasher of text.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u32(self.0);
        state.write_u32(self.1);
    }
}

const NO_ID: u32 = u32::MAX;

impl IdPair {
    fn of(key: &Columns<'_>) -> Option<IdPair> {
        let id = |key: &Key<'_>| match *key {
            Key::Null => Some(NO_ID),
            Key::Sym(sym) if sym != NO_ID => Some(sym),
            _ => None,
        };
        match key {
            Columns::Inline([a, b]) => Some(IdPair(id(a)?, id(b)?)),
            Columns::Spilled(_) => None,
        }
    }

    fn columns<'a>(self) -> Columns<'a> {
        let key = |id: u32| if id == NO_ID { Key::Null } else { Key::Sym(id) };
        Columns::Inline([key(self.0), key(self.1)])
    }
}

impl<'a> Groups<'a> {
    fn with_capacity(size: usize) -> Self {
        Groups::Ids(FastMap::with_capacity_and_hasher(size, Default::default()))
    }

    /// The group of `key`. A key that is not a pair of ids is in no group of
    /// a table of such pairs: a `Key` equals only a key of its own variant.
    fn get(&self, key: &Columns<'a>) -> Option<u32> {
        match self {
            Groups::Ids(groups) => groups.get(&IdPair::of(key)?).copied(),
            Groups::Any(groups) => groups.get(key).copied(),
        }
    }

    /// The group of `key`, which is `next` if it is new.
    fn group(&mut self, key: Columns<'a>, next: u32) -> u32 {
        if let Groups::Ids(groups) = self {
            if let Some(pair) = IdPair::of(&key) {
                return *groups.entry(pair).or_insert(next);
            }
            let any = groups
                .drain()
                .map(|(pair, g)| (pair.columns(), g))
                .collect();
            *self = Groups::Any(any);
        }
        match self {
            Groups::Any(groups) => *groups.entry(key).or_insert(next),
            // Turned into `Any` just above.
            Groups::Ids(_) => next,
        }
    }

    fn len(&self) -> usize {
        match self {
            Groups::Ids(groups) => groups.len(),
            Groups::Any(groups) => groups.len(),
        }
    }

    fn shrink_to_fit(&mut self) {
        match self {
            Groups::Ids(groups) => groups.shrink_to_fit(),
            Groups::Any(groups) => groups.shrink_to_fit(),
        }
    }
}

/// The findings of one rule so far, and the bytes they carry (the budget).
#[derive(Default)]
struct Found {
    findings: Vec<RawFinding>,
    bytes: u64,
}

/// Evaluates rules over one world. Indexes are built on first use and kept.
pub struct Evaluator<'a, 's> {
    reader: Reader<'a, 's>,
    world: &'a World<'s>,
    limit: u64,
    budget: Budget,
    steps: Cell<u64>,
    indexes: RefCell<FastMap<IndexKey, Rc<Index<'a>>>>,
    plans: RefCell<FastMap<usize, Rc<Vec<Step<'a>>>>>,
    /// Indexes of another world of the scenario, each naming the rows whose
    /// keys may differ here (`with_seeds`).
    seeds: RefCell<Seeds>,
    /// Which findings carry their evidence (the records bound, the fields
    /// read, in words).
    evidence: EvidenceFor<'a>,
    /// The rows that changed since the indexes it was given were built
    /// (`with_changed_rows`): each probe takes their keys anew.
    changed: Option<std::sync::Arc<Touched>>,
    /// The rule's comparisons with the date, and the days on which the
    /// bindings evaluated may change with it (`with_horizons`).
    horizons: Option<Horizons<'a>>,
}

/// What `Evaluator::with_horizons` notes.
struct Horizons<'a> {
    atoms: &'a Atoms<'a>,
    /// The binding variables' slots: `0..bindings`.
    bindings: usize,
    noted: RefCell<Vec<Due>>,
}

/// A day on which the verdict of the bindings of some rows may change with
/// the date alone (`eval::horizon`).
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub on: Date,
    /// The rows bound when it was noted, by binding variable: every
    /// binding that extends them is to be evaluated again on that day.
    pub rows: Vec<(usize, u32)>,
}

/// Which findings get their evidence built: the sentences and raw fields
/// cost as much as finding them, so a caller that shows only some of the
/// findings (or only messages) asks only for those.
#[derive(Clone, Copy)]
pub enum EvidenceFor<'f> {
    /// Every finding: what `check` shows.
    All,
    /// None: `timeline` shows only messages.
    None,
    /// None, but each finding names the records bound
    /// (`RawFinding::bound`): a timeline's point from the last
    /// (`engine::since`) takes out the findings of records that changed.
    Bound,
    /// The findings this accepts, by rule id and subject: `propose` shows
    /// only those a change introduces.
    Only(&'f (dyn Fn(&str, &[String]) -> bool + Sync)),
}

impl<'a, 's> Evaluator<'a, 's> {
    pub fn new(world: &'a World<'s>, budget: Budget) -> Self {
        Evaluator {
            reader: Reader { world },
            world,
            limit: budget.max_steps,
            budget,
            steps: Cell::new(0),
            indexes: RefCell::new(FastMap::default()),
            plans: RefCell::new(FastMap::default()),
            seeds: RefCell::new(FastMap::default()),
            evidence: EvidenceFor::All,
            changed: None,
            horizons: None,
        }
    }

    /// This evaluator noting, for each comparison of `atoms` it evaluates,
    /// the day it may next change (`take_dues`). For a rule whose date
    /// comparisons `atoms` are (`Atoms::of`), with `bindings` variables.
    pub fn with_horizons(mut self, atoms: &'a Atoms<'a>, bindings: usize) -> Self {
        self.horizons = Some(Horizons {
            atoms,
            bindings,
            noted: RefCell::new(Vec::new()),
        });
        self
    }

    /// The days noted since the last call (`with_horizons`).
    pub fn take_dues(&self) -> Vec<Due> {
        self.horizons
            .as_ref()
            .map(|h| std::mem::take(&mut *h.noted.borrow_mut()))
            .unwrap_or_default()
    }

    /// Notes when the comparison `atom`, just evaluated under `env`, may
    /// next change with the date.
    fn note_due(
        &self,
        horizons: &Horizons<'a>,
        atom: &Atom<'a>,
        env: &mut [Value<'a>],
    ) -> Result<(), EvalError> {
        let (other, counted) = atom.reads();
        let other = self.eval(other, env)?;
        let counted = match counted {
            Some(ex) => Some(self.eval(ex, env)?),
            None => None,
        };
        if let Some(on) = atom.next_change(self.world.date, other, counted) {
            let rows = (0..horizons.bindings)
                .filter_map(|var| match env.get(var) {
                    Some(Value::Row(_, row)) => Some((var, *row)),
                    _ => None,
                })
                .collect();
            horizons.noted.borrow_mut().push(Due { on, rows });
        }
        Ok(())
    }

    /// This evaluator over a world derived from another's by changing the
    /// rows `changed` names (positions kept, none added or removed), with
    /// that other evaluator's `indexes`: they hold for every other row, and
    /// each probe looks at the changed rows' keys in this world.
    pub fn with_changed_rows(
        self,
        changed: std::sync::Arc<Touched>,
        indexes: FastMap<IndexKey, Rc<Index<'a>>>,
    ) -> Self {
        *self.indexes.borrow_mut() = indexes;
        Evaluator {
            changed: Some(changed),
            ..self
        }
    }

    /// This evaluator building the indexes it needs from `seeds`, indexes
    /// of another world of the scenario whose rows follow this one's
    /// (`Seed::advance`), each row with the same key except its stale
    /// rows: those are keyed again (the indexes are then exact, unlike
    /// those of `with_changed_rows`, whose probes look at the changed rows).
    pub fn with_seeds(self, seeds: Seeds) -> Self {
        *self.seeds.borrow_mut() = seeds;
        self
    }

    /// Its indexes of ids, as seeds for an evaluator of another world
    /// (`with_seeds`), with the seeds it was given and did not use.
    pub fn into_seeds(self) -> Seeds {
        let Evaluator {
            indexes,
            plans,
            seeds,
            ..
        } = self;
        // The plans' steps hold the indexes too.
        drop(plans);
        let mut seeds = seeds.into_inner();
        for (id, index) in indexes.into_inner() {
            let Ok(index) = Rc::try_unwrap(index) else {
                continue;
            };
            let (Groups::Ids(groups), Some(collection)) = (index.groups, index.collection) else {
                continue;
            };
            let fixed: Option<Vec<Key<'static>>> =
                index.fixed.iter().map(|key| key.owned()).collect();
            if let Some(fixed) = fixed {
                seeds.insert(
                    id,
                    Seed {
                        collection,
                        fixed,
                        groups,
                        group_of: index.group_of,
                        stale: Vec::new(),
                        reads: index.reads,
                        layout: Some((index.starts, index.rows)),
                    },
                );
            }
        }
        seeds
    }

    /// The indexes built so far, for an evaluator of a changed world
    /// (`with_changed_rows`).
    pub fn indexes(&self) -> FastMap<IndexKey, Rc<Index<'a>>> {
        self.indexes.borrow().clone()
    }

    /// Builds evidence only for the findings `which` names.
    pub fn with_evidence_for(mut self, which: EvidenceFor<'a>) -> Self {
        self.evidence = which;
        self
    }

    pub fn reader(&self) -> &Reader<'a, 's> {
        &self.reader
    }

    fn step(&self) -> Result<(), EvalError> {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if steps > self.limit {
            return Err(EvalError::Budget { steps: self.limit });
        }
        Ok(())
    }

    /// The number of rows of `collection` in this world.
    pub fn size(&self, collection: Collection) -> u32 {
        let world = self.world;
        let n = match collection {
            Collection::Missions => world.missions.len(),
            Collection::States => world.states.len(),
            Collection::Governments => world.governments.len(),
            Collection::Recognitions => world.recognitions.len(),
            Collection::Relations => world.relations.len(),
            Collection::Events => world.events.len(),
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Every binding of a rule that passes `where` and fails `require`.
    pub fn run_rule(&self, rule: &'a CheckedRule) -> Result<Vec<RawFinding>, EvalError> {
        self.steps.set(0);
        let steps = super::plan::plan_rule(rule);
        let mut env = vec![Value::Null; rule.slots.max(1)];
        let mut found = Found::default();
        self.enumerate(&steps, &mut env, &mut |env| {
            self.fire(rule, env, &mut found)
        })?;
        Ok(found.findings)
    }

    /// The findings of the bindings of a rule that bind at least one of the
    /// `touched` rows (by binding variable, each sorted), each binding once,
    /// in no particular order: with the same for the world before a
    /// change, what the change can alter in the findings of a rule whose
    /// bindings read only their own rows (`eval::delta::Footprint::local`).
    /// Each variable in turn is bound first, to its touched rows only; the
    /// variables before it, to rows that are not touched (those bindings
    /// were found in their turn).
    pub fn run_rule_touching(
        &self,
        rule: &'a CheckedRule,
        touched: &[Vec<u32>],
    ) -> Result<Vec<RawFinding>, EvalError> {
        self.steps.set(0);
        let filter: Vec<&Ex> = rule.filter.iter().collect();
        let mut found = Found::default();
        let mut env = vec![Value::Null; rule.slots.max(1)];
        let touched_at = |slot: usize, row: u32| {
            touched
                .get(slot)
                .is_some_and(|rows| rows.binary_search(&row).is_ok())
        };
        for (first, binding) in rule.bindings.iter().enumerate() {
            let rows = touched.get(first).map_or(&[][..], Vec::as_slice);
            if rows.is_empty() {
                continue;
            }
            let mut slots = vec![(first, binding.collection)];
            slots.extend(
                rule.bindings
                    .iter()
                    .enumerate()
                    .filter(|(slot, _)| *slot != first)
                    .map(|(slot, b)| (slot, b.collection)),
            );
            let steps = plan(0, &slots, &filter);
            let Some((step, rest)) = steps.split_first() else {
                continue;
            };
            let kind = binding.collection.record();
            let mut leaf = |env: &mut [Value<'a>]| {
                let earlier_touched = (0..first).any(|slot| {
                    matches!(env.get(slot), Some(Value::Row(_, row)) if touched_at(slot, *row))
                });
                if earlier_touched {
                    return Ok(true);
                }
                self.fire(rule, env, &mut found)
            };
            for &row in rows {
                if row >= self.size(binding.collection) {
                    continue;
                }
                if let Some(slot) = env.get_mut(first) {
                    *slot = Value::Row(kind, row);
                }
                // The first step's equalities with constants are its index's
                // fixed columns when it is enumerated in full: checked here.
                if self.join_holds(&step.join, &mut env)? {
                    self.bind(step, rest, row, &mut env, &mut leaf)?;
                }
            }
            for slot in env.iter_mut() {
                *slot = Value::Null;
            }
        }
        Ok(found.findings)
    }

    /// The values of `exprs` (which read `slot`) for each of `rows` of
    /// `collection`, as keys; `slots` is the rule's number of slots.
    pub fn keys_of(
        &self,
        collection: Collection,
        slot: usize,
        exprs: &'a [Ex],
        rows: &[u32],
        slots: usize,
    ) -> Result<Vec<Vec<Key<'a>>>, EvalError> {
        let mut env = vec![Value::Null; slots.max(slot + 1)];
        let size = self.size(collection);
        let mut keys = Vec::new();
        for &row in rows.iter().filter(|row| **row < size) {
            if let Some(place) = env.get_mut(slot) {
                *place = Value::Row(collection.record(), row);
            }
            let mut key = Vec::with_capacity(exprs.len());
            for ex in exprs {
                key.push(self.reader.key(self.operand(ex, &mut env)?));
            }
            keys.push(key);
        }
        Ok(keys)
    }

    /// The rows of `collection` for which `exprs` (which read `slot`) have
    /// one of the values `keys`.
    pub fn rows_with_keys(
        &self,
        collection: Collection,
        slot: usize,
        exprs: &'a [Ex],
        keys: &[Vec<Key<'a>>],
        slots: usize,
    ) -> Result<Vec<u32>, EvalError> {
        let mut rows = Vec::new();
        if keys.is_empty() {
            return Ok(rows);
        }
        let mut env = vec![Value::Null; slots.max(slot + 1)];
        // By an index of the rows' keys (kept from point to point by a
        // timeline, `with_seeds`), where every column reads the row: a
        // column that does not would be taken for a constant of the index.
        if !exprs.is_empty() && exprs.iter().all(|ex| ex.free_vars() != 0) {
            let pairs: Vec<(&'a Ex, &'a Ex)> = exprs.iter().map(|ex| (ex, ex)).collect();
            let probe = Probe::of(collection, slot, &pairs);
            let index = self.index(&probe, slot, collection, &mut env)?;
            for key in keys {
                rows.extend_from_slice(index.rows(&Columns::of(key)));
            }
            rows.sort_unstable();
            rows.dedup();
            return Ok(rows);
        }
        let mut key = Vec::with_capacity(exprs.len());
        // Every row is compared with every key: a timeline's point or a
        // proposal may touch hundreds of records.
        let wanted: std::collections::HashSet<&[Key<'a>], FastState> =
            keys.iter().map(Vec::as_slice).collect();
        for row in 0..self.size(collection) {
            self.step()?;
            if let Some(place) = env.get_mut(slot) {
                *place = Value::Row(collection.record(), row);
            }
            key.clear();
            for ex in exprs {
                key.push(self.reader.key(self.operand(ex, &mut env)?));
            }
            if wanted.contains(key.as_slice()) {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    /// Whether each equality of a join holds under `env`, as an index
    /// compares them (by key).
    fn join_holds(
        &self,
        join: &[(&'a Ex, &'a Ex)],
        env: &mut [Value<'a>],
    ) -> Result<bool, EvalError> {
        for (inner, outer) in join {
            let a = self.reader.key(self.operand(inner, env)?);
            let b = self.reader.key(self.operand(outer, env)?);
            if a != b {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A full binding: a finding unless `require` holds.
    fn fire(
        &self,
        rule: &'a CheckedRule,
        env: &mut [Value<'a>],
        found: &mut Found,
    ) -> Result<bool, EvalError> {
        let holds = match &rule.require {
            Some(require) => self.eval(require, env)?.is_true(),
            None => false,
        };
        if !holds {
            let Budget {
                max_findings,
                max_output_bytes,
                ..
            } = self.budget;
            if found.findings.len() as u64 >= max_findings {
                return Err(EvalError::Findings {
                    findings: max_findings,
                });
            }
            let finding = self.finding(rule, env)?;
            found.bytes = found.bytes.saturating_add(finding.bytes());
            if found.bytes > max_output_bytes {
                return Err(EvalError::Output {
                    bytes: max_output_bytes,
                });
            }
            found.findings.push(finding);
        }
        Ok(true)
    }

    /// Evaluates a claim.
    pub fn run_claim(&self, claim: &'a CheckedExpr) -> Result<bool, EvalError> {
        self.steps.set(0);
        let mut env = vec![Value::Null; claim.slots.max(1)];
        Ok(self.eval(&claim.expr, &mut env)?.is_true())
    }

    /// Binds `steps` in turn; calls `leaf` on each full binding until it returns false.
    fn enumerate(
        &self,
        steps: &[Step<'a>],
        env: &mut [Value<'a>],
        leaf: &mut dyn FnMut(&mut [Value<'a>]) -> Result<bool, EvalError>,
    ) -> Result<bool, EvalError> {
        let Some((step, rest)) = steps.split_first() else {
            return leaf(env);
        };
        let mut go_on = true;
        if step.join.is_empty() {
            for row in 0..self.size(step.collection) {
                go_on = self.bind(step, rest, row, env, leaf)?;
                if !go_on {
                    break;
                }
            }
        } else {
            let index = match step.index.get() {
                Some(index) => index,
                None => {
                    let index = self.index(&step.probe, step.slot, step.collection, env)?;
                    step.index.get_or_init(|| index)
                }
            };
            let probe = self.columns(&step.probe.outer, env)?;
            match &self.changed {
                None => {
                    for &row in index.rows(&probe) {
                        go_on = self.bind(step, rest, row, env, leaf)?;
                        if !go_on {
                            break;
                        }
                    }
                }
                Some(changed) => {
                    for row in self.rows_now(index, &probe, step, changed, env)? {
                        go_on = self.bind(step, rest, row, env, leaf)?;
                        if !go_on {
                            break;
                        }
                    }
                }
            }
        }
        if let Some(slot) = env.get_mut(step.slot) {
            *slot = Value::Null;
        }
        Ok(go_on)
    }

    /// Binds one row at a step, checks the step's filters, and goes deeper.
    fn bind(
        &self,
        step: &Step<'a>,
        rest: &[Step<'a>],
        row: u32,
        env: &mut [Value<'a>],
        leaf: &mut dyn FnMut(&mut [Value<'a>]) -> Result<bool, EvalError>,
    ) -> Result<bool, EvalError> {
        self.step()?;
        if let Some(slot) = env.get_mut(step.slot) {
            *slot = Value::Row(step.collection.record(), row);
        }
        for filter in &step.filters {
            if !self.eval(filter, env)?.is_true() {
                return Ok(true);
            }
        }
        self.enumerate(rest, env, leaf)
    }

    /// The rows of `index` for `probe` in this world, where the rows in
    /// `changed` may have changed since it was built: its other rows, and
    /// the changed rows whose keys match now; in row order.
    fn rows_now(
        &self,
        index: &Index<'a>,
        probe: &Columns<'a>,
        step: &Step<'a>,
        changed: &Touched,
        env: &mut [Value<'a>],
    ) -> Result<Vec<u32>, EvalError> {
        let mut rows: Vec<u32> = index
            .rows(probe)
            .iter()
            .copied()
            .filter(|row| !changed.contains(step.collection, *row))
            .collect();
        let kind = step.collection.record();
        let size = self.size(step.collection);
        for &row in changed.rows(step.collection) {
            if row >= size {
                continue;
            }
            if let Some(slot) = env.get_mut(step.slot) {
                *slot = Value::Row(kind, row);
            }
            let mut kept = true;
            for ((row_side, _), wanted) in step.probe.fixed.iter().zip(&index.fixed) {
                if self.reader.key(self.eval(row_side, env)?) != *wanted {
                    kept = false;
                    break;
                }
            }
            if kept && self.columns(&step.probe.inner, env)? == *probe {
                rows.push(row);
            }
        }
        if let Some(slot) = env.get_mut(step.slot) {
            *slot = Value::Null;
        }
        rows.sort_unstable();
        Ok(rows)
    }

    /// The index of a collection's rows by the value of `inner` (which reads only `slot`).
    fn index(
        &self,
        probe: &Probe<'a>,
        slot: usize,
        collection: Collection,
        outer_env: &mut [Value<'a>],
    ) -> Result<Rc<Index<'a>>, EvalError> {
        let id = &probe.key;
        if let Some(index) = self.indexes.borrow().get(id) {
            return Ok(Rc::clone(index));
        }
        let inner = &probe.inner;
        let mut fixed = Vec::with_capacity(probe.fixed.len());
        for &(row_side, constant) in &probe.fixed {
            // The planner never puts a quantifier here, so a side that reads
            // no variable has one value for the whole evaluation.
            let wanted = self.reader.key(self.eval(constant, outer_env)?);
            fixed.push((row_side, wanted));
        }
        let kind = collection.record();
        let mut env = vec![Value::Null; outer_env.len()];
        let size = self.size(collection);
        let seed = self.seeds.borrow_mut().remove(id);
        // A seed holds only where a row's key changes with its row alone.
        let own = inner
            .iter()
            .chain(fixed.iter().map(|(row_side, _)| row_side))
            .all(|row_side| reads_own_row(row_side, slot));
        let (groups, group_of, layout) = if let (Some(seed), true) = (seed, own)
            && seed.group_of.len() == size as usize
            && seed.fixed.len() == fixed.len()
            && seed.fixed.iter().zip(&fixed).all(|(a, (_, b))| a == b)
        {
            // The steps of building it, as if it were built.
            let steps = self.steps.get().saturating_add(u64::from(size));
            self.steps.set(steps.min(self.limit));
            if steps > self.limit {
                return Err(EvalError::Budget { steps: self.limit });
            }
            let mut groups = Groups::Ids(seed.groups);
            let mut group_of = seed.group_of;
            // Laid out only while no row is stale (`Seed::advance_reading`).
            let layout = seed.layout.filter(|_| seed.stale.is_empty());
            for &row in &seed.stale {
                let Some(place) = group_of.get_mut(row as usize) else {
                    continue;
                };
                *place = NO_GROUP;
                if let Some(slot) = env.get_mut(slot) {
                    *slot = Value::Row(kind, row);
                }
                if self.has_fixed(&fixed, &mut env)? {
                    let key = self.columns(inner, &mut env)?;
                    let next = groups.len() as u32;
                    if let Some(place) = group_of.get_mut(row as usize) {
                        *place = groups.group(key, next);
                    }
                }
            }
            (groups, group_of, layout)
        } else {
            let mut groups = Groups::with_capacity(size as usize);
            let mut group_of: Vec<u32> = vec![NO_GROUP; size as usize];
            let mut next = 0u32;
            for row in 0..size {
                self.step()?;
                if let Some(slot) = env.get_mut(slot) {
                    *slot = Value::Row(kind, row);
                }
                if !self.has_fixed(&fixed, &mut env)? {
                    continue;
                }
                let key = self.columns(inner, &mut env)?;
                let group = groups.group(key, next);
                if group == next {
                    next += 1;
                }
                if let Some(place) = group_of.get_mut(row as usize) {
                    *place = group;
                }
            }
            // Sized for a group per row, as many as there could be; most joins
            // have far fewer (a state's missions), and the indexes of every
            // rule are alive together.
            groups.shrink_to_fit();
            (groups, group_of, None)
        };
        let (starts, rows) = layout.unwrap_or_else(|| grouped(&group_of, groups.len()));
        // Every row side of an index of its own rows is a path on the row.
        let reads = own.then(|| {
            let mut reads = Vec::new();
            for row_side in inner.iter().chain(probe.fixed.iter().map(|(r, _)| r)) {
                path_fields(row_side, &mut reads);
            }
            reads
        });
        let index = Rc::new(Index {
            fixed: fixed.into_iter().map(|(_, wanted)| wanted).collect(),
            reads,
            groups,
            starts,
            rows,
            group_of,
            collection: own.then_some(collection),
        });
        self.indexes
            .borrow_mut()
            .insert(IndexKey::clone(id), Rc::clone(&index));
        Ok(index)
    }

    /// Whether the row bound in `env` has an index's constant columns.
    fn has_fixed(
        &self,
        fixed: &[(&'a Ex, Key<'a>)],
        env: &mut [Value<'a>],
    ) -> Result<bool, EvalError> {
        for (row_side, wanted) in fixed {
            if self.reader.key(self.eval(row_side, env)?) != *wanted {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A field path (`m.head.rank`): the variable, then each field in turn,
    /// without going through `eval` for each step.
    fn path(&self, ex: &'a Ex, env: &mut [Value<'a>]) -> Result<Value<'a>, EvalError> {
        let Ex::Field(inner, kind, field) = ex else {
            return self.eval(ex, env);
        };
        let base = match &**inner {
            Ex::Var(slot) => env.get(*slot).copied().unwrap_or(Value::Null),
            Ex::Field(..) => self.path(inner, env)?,
            other => self.eval(other, env)?,
        };
        Ok(self.reader.field(base, *kind, *field))
    }

    /// The key columns of `exprs` under `env`.
    fn columns(&self, exprs: &[&'a Ex], env: &mut [Value<'a>]) -> Result<Columns<'a>, EvalError> {
        if exprs.len() <= INLINE_COLUMNS {
            let mut keys = [Key::Null; INLINE_COLUMNS];
            for (place, ex) in keys.iter_mut().zip(exprs) {
                *place = self.reader.key(self.operand(ex, env)?);
            }
            Ok(Columns::Inline(keys))
        } else {
            let mut keys = Vec::with_capacity(exprs.len());
            for ex in exprs {
                keys.push(self.reader.key(self.operand(ex, env)?));
            }
            Ok(Columns::Spilled(keys))
        }
    }

    /// An operand of a comparison or function: literals, variables and
    /// field paths (nearly all operands) without a call to `eval`.
    #[inline(always)]
    fn operand(&self, ex: &'a Ex, env: &mut [Value<'a>]) -> Result<Value<'a>, EvalError> {
        match ex {
            Ex::Lit(lit) => Ok(self.literal(lit)),
            Ex::Var(slot) => Ok(env.get(*slot).copied().unwrap_or(Value::Null)),
            Ex::Field(..) => self.path(ex, env),
            _ => self.eval(ex, env),
        }
    }

    #[inline]
    fn literal(&self, lit: &'a Lit) -> Value<'a> {
        match lit {
            Lit::Null => Value::Null,
            Lit::Bool(b) => Value::Bool(*b),
            Lit::Num(n) => Value::Num(*n),
            Lit::Str(s) => Value::Str(s),
            Lit::Date(d) => Value::Date(*d),
            Lit::Rank(r) => Value::Rank(*r),
            Lit::MissionKind(k) => Value::MissionKind(*k),
            Lit::Level(l) => Value::Level(*l),
            Lit::StateKind(k) => Value::StateKind(*k),
            Lit::RelationStatus(s) => Value::RelationStatus(*s),
            Lit::EventKind(k) => Value::EventKind(*k),
            Lit::Id(id) => self.world.sym(id).map_or(Value::Str(id), Value::Sym),
        }
    }

    pub fn eval(&self, ex: &'a Ex, env: &mut [Value<'a>]) -> Result<Value<'a>, EvalError> {
        let reader = &self.reader;
        Ok(match ex {
            Ex::Lit(lit) => self.literal(lit),
            Ex::Var(slot) => env.get(*slot).copied().unwrap_or(Value::Null),
            Ex::Field(..) => self.path(ex, env)?,
            Ex::AsOf => Value::Date(self.world.date),
            Ex::Not(inner) => Value::Bool(!self.eval(inner, env)?.is_true()),
            Ex::And(a, b) => {
                Value::Bool(self.eval(a, env)?.is_true() && self.eval(b, env)?.is_true())
            }
            Ex::Or(a, b) => {
                Value::Bool(self.eval(a, env)?.is_true() || self.eval(b, env)?.is_true())
            }
            Ex::Cmp(op, a, b) => {
                let (a, b) = (self.operand(a, env)?, self.operand(b, env)?);
                let holds = match op {
                    CmpOp::Eq => reader.equal(a, b),
                    CmpOp::Ne => !reader.equal(a, b),
                    CmpOp::Lt => reader.order(a, b).is_some_and(|o| o.is_lt()),
                    CmpOp::Le => reader.order(a, b).is_some_and(|o| o.is_le()),
                    CmpOp::Gt => reader.order(a, b).is_some_and(|o| o.is_gt()),
                    CmpOp::Ge => reader.order(a, b).is_some_and(|o| o.is_ge()),
                };
                if let Some(horizons) = &self.horizons
                    && let Some(atom) = horizons.atoms.get(ex)
                {
                    self.note_due(horizons, atom, env)?;
                }
                Value::Bool(holds)
            }
            Ex::In {
                item,
                list,
                negated,
            } => {
                let item = self.operand(item, env)?;
                let mut found = false;
                for element in list {
                    if reader.member(item, self.operand(element, env)?) {
                        found = true;
                        break;
                    }
                }
                Value::Bool(found != *negated)
            }
            Ex::Shift { date, days, back } => {
                match (self.operand(date, env)?, self.operand(days, env)?) {
                    (Value::Date(date), Value::Num(days)) => {
                        shift(date, days, *back).map_or(Value::Null, Value::Date)
                    }
                    _ => Value::Null,
                }
            }
            Ex::Call { function, args } => {
                // The arguments go on the stack: a call allocates nothing.
                let mut values = [Value::Null; MAX_ARGUMENTS];
                for (place, arg) in values.iter_mut().zip(args) {
                    *place = self.operand(arg, env)?;
                }
                match &function.form {
                    // The checker lets no call have more arguments than the
                    // array holds (`functions::MAX_ARGUMENTS`, tested there).
                    Form::Call { eval, .. } => {
                        eval(reader, values.get(..args.len()).unwrap_or(&values))
                    }
                    // Quantifiers are never lowered to calls.
                    Form::Quantifier { .. } => Value::Null,
                }
            }
            Ex::Quantifier {
                kind,
                slot,
                collection,
                filter,
                term,
            } => {
                let steps = self.quantifier_plan(ex, *slot, *collection, filter.as_deref());
                let mut count = 0u64;
                let mut total = 0.0;
                let exists = *kind == QuantifierKind::Exists;
                let term = term.as_deref();
                self.enumerate(&steps, env, &mut |env| {
                    count += 1;
                    // Terms that are not numbers (`none`) are left out.
                    if let Some(term) = term
                        && let Value::Num(n) = self.operand(term, env)?
                    {
                        total += n;
                    }
                    Ok(!exists)
                })?;
                match kind {
                    QuantifierKind::Exists | QuantifierKind::All => Value::Bool(count > 0),
                    QuantifierKind::Count => Value::Num(count as f64),
                    QuantifierKind::Sum => Value::Num(total),
                }
            }
        })
    }

    /// The records of each `all(x in C where e)` of the rule's subject, under
    /// the binding in `env`: (id, where written), sorted by id, each once.
    fn subject_members(
        &self,
        rule: &'a CheckedRule,
        env: &mut [Value<'a>],
    ) -> Result<Vec<(String, Span)>, EvalError> {
        let mut members: Vec<(String, Span)> = Vec::new();
        for ex in &rule.subject_sets {
            let Ex::Quantifier {
                slot,
                collection,
                filter,
                ..
            } = ex
            else {
                continue;
            };
            let steps = self.quantifier_plan(ex, *slot, *collection, filter.as_deref());
            let reader = &self.reader;
            self.enumerate(&steps, env, &mut |env| {
                if let Some(Value::Row(kind, row)) = env.get(*slot).copied() {
                    let span = reader.row(kind, row).map(|r| reader.span(&r));
                    members.push((reader.row_id(kind, row), span.unwrap_or_default()));
                }
                Ok(true)
            })?;
        }
        members.sort_by(|a, b| a.0.cmp(&b.0));
        members.dedup_by(|a, b| a.0 == b.0);
        Ok(members)
    }

    fn quantifier_plan(
        &self,
        ex: &'a Ex,
        slot: usize,
        collection: Collection,
        filter: Option<&'a Ex>,
    ) -> Rc<Vec<Step<'a>>> {
        let id = ex as *const Ex as usize;
        if let Some(steps) = self.plans.borrow().get(&id) {
            return Rc::clone(steps);
        }
        let parts = filter.map(conjuncts).unwrap_or_default();
        let outer = !(1u64 << slot);
        let steps = Rc::new(plan(outer, &[(slot, collection)], &parts));
        self.plans.borrow_mut().insert(id, Rc::clone(&steps));
        steps
    }

    fn finding(
        &self,
        rule: &'a CheckedRule,
        env: &mut [Value<'a>],
    ) -> Result<RawFinding, EvalError> {
        let reader = &self.reader;
        let mut message = String::with_capacity(128);
        for part in &rule.message {
            match part {
                MessagePart::Text(text) => push_within(&mut message, text),
                MessagePart::Value(ex) => {
                    let value = self.eval(ex, env)?;
                    // Names and other text are copied only as far as the
                    // cut: a 20 MB name in each of 2,000 messages was 40 GB
                    // copied, and as much memory kept after the cut.
                    match value {
                        Value::Str(text) => push_within(&mut message, text),
                        Value::Sym(sym) => push_within(&mut message, self.world.name(sym)),
                        // An absent value says so, in words.
                        Value::Null => push_within(&mut message, words::absent(ex)),
                        _ if message.len() > MAX_MESSAGE => {}
                        // The vocabularies read as prose: "chargé d'affaires".
                        value => match words::vocabulary(value) {
                            Some(prose) => push_within(&mut message, prose),
                            None => reader.display_into(value, &mut message),
                        },
                    }
                }
            }
        }
        truncate(&mut message, MAX_MESSAGE);
        let members = self.subject_members(rule, env)?;
        let subject: Vec<String> = rule
            .subject
            .iter()
            .map(|slot| match env.get(*slot) {
                Some(Value::Row(kind, row)) => reader.row_id(*kind, *row),
                _ => String::new(),
            })
            .collect();
        let span_of = |slot: usize| match env.get(slot) {
            Some(Value::Row(kind, row)) => reader.row(*kind, *row).map(|r| reader.span(&r)),
            _ => None,
        };
        let span = rule
            .subject
            .first()
            .and_then(|s| span_of(*s))
            .or_else(|| members.first().map(|(_, span)| *span))
            .unwrap_or_default();
        let mut subject = subject;
        subject.extend(members.into_iter().map(|(id, _)| id));
        let wanted = match self.evidence {
            EvidenceFor::All => true,
            EvidenceFor::None | EvidenceFor::Bound => false,
            EvidenceFor::Only(wanted) => wanted(&rule.id, &subject),
        };
        if !wanted {
            let bound = match self.evidence {
                // One entry for each variable, in order (every binding
                // variable is bound to a row when a rule fires).
                EvidenceFor::Bound => (0..rule.bindings.len())
                    .map(|slot| match env.get(slot) {
                        Some(Value::Row(kind, row)) => self.reader.identity(*kind, *row),
                        _ => None,
                    })
                    .map(|identity| identity.unwrap_or((0, crate::scenario::world::Sym::MAX)))
                    .collect(),
                _ => Vec::new(),
            };
            return Ok(RawFinding {
                subject,
                message,
                span,
                evidence: Vec::new(),
                focus: None,
                bound,
            });
        }
        let mut evidence = Vec::with_capacity(rule.bindings.len());
        let mut focus = None;
        for (slot, binding) in rule.bindings.iter().enumerate() {
            let Some(Value::Row(kind, row)) = env.get(slot).copied() else {
                continue;
            };
            let record_span = span_of(slot);
            let reads: Vec<&Read> = rule.reads.iter().filter(|r| r.slot == slot).collect();
            let said = words::said(reader, kind, row, &reads);
            let mut fields = Vec::with_capacity(reads.len());
            // Where each read is within the bound record (up to where a
            // path leaves it for another record): the first subject's
            // deciding one is the line the report quotes.
            let mut inside_spans = Vec::with_capacity(reads.len());
            for (read, clause) in reads.iter().zip(said.clauses) {
                let mut value = Value::Row(kind, row);
                let mut span = record_span;
                let mut inside = record_span;
                let mut within = true;
                for (record_kind, field) in &read.fields {
                    match reader.record(value, *record_kind) {
                        Some(record) => {
                            span = Some(reader.field_span(&record, *field));
                            value = reader.read(&record, *field);
                        }
                        None => value = Value::Null,
                    }
                    if within {
                        inside = span;
                    }
                    // Heads and their credentials are written inside the
                    // mission; any other step leads to another record.
                    within &= matches!(*field, Field::Head | Field::Credentials);
                }
                inside_spans.push((read.decides, inside));
                let path = read
                    .text
                    .split_once('.')
                    .map_or(read.text.as_str(), |(_, p)| p);
                // The record's id is shown already; an embedded record only matters when absent.
                if path == "id" || (read.record && value != Value::Null) {
                    continue;
                }
                fields.push(EvidenceField {
                    path: path.to_string(),
                    value: reader.display(value),
                    span,
                    text: clause.unwrap_or_default(),
                });
            }
            if rule.subject.first() == Some(&slot) || (rule.subject.is_empty() && focus.is_none()) {
                focus = inside_spans
                    .iter()
                    .find(|(decides, _)| *decides)
                    .or(inside_spans.first())
                    .map_or(record_span, |(_, span)| *span);
            }
            evidence.push(Evidence {
                var: binding.name.clone(),
                id: reader.row_id(kind, row),
                span: record_span,
                fields,
                text: said.text,
            });
        }
        Ok(RawFinding {
            subject,
            message,
            span,
            evidence,
            focus,
            bound: Vec::new(),
        })
    }
}

/// `date + days` (`date - days` when `back`): `none` unless `days` is a
/// whole number and the result a date a scenario could write.
fn shift(date: Date, days: f64, back: bool) -> Option<Date> {
    // Wider than the whole range of dates (3.65 million days), and exactly
    // representable: anything beyond leaves the range, and the cast below
    // cannot saturate.
    const FAR: f64 = 1e9;
    if days.fract() != 0.0 || !(-FAR..=FAR).contains(&days) {
        return None;
    }
    let days = days as i64;
    date.add_days(if back { -days } else { days })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(group_of: Vec<u32>, stale: Vec<u32>) -> Seed {
        Seed {
            collection: Collection::Missions,
            fixed: Vec::new(),
            groups: FastMap::default(),
            group_of,
            stale,
            reads: None,
            layout: None,
        }
    }

    /// A seed's groups follow their records' rows when rows go and come:
    /// records in both keep their groups, those that came have none, and
    /// the rows still to key again (stale before, changed or came now) are
    /// named at their new places; a stale row that went is forgotten.
    #[test]
    fn a_seed_follows_the_rows_of_its_records() {
        const N: u32 = NO_GROUP;
        // Rows 0..12 before; rows 1 and 4 go, two come at 0 and 3 after.
        let mut moved = seed((10..22).collect(), vec![1, 3, 5]);
        let changes = RowChanges {
            changed: vec![(2, 2)],
            gone: vec![1, 4],
            came: vec![0, 3],
        };
        assert!(moved.advance(&changes, 12));
        // Before 0, 2, 3, 5.. are after 1, 2, 4, 5..
        assert_eq!(
            moved.group_of,
            [N, 10, 12, N, 13, 15, 16, 17, 18, 19, 20, 21]
        );
        // Stale 3 and 5 at 4 and 5 (stale 1 went); came 0 and 3; changed 2.
        assert_eq!(moved.stale, [0, 2, 3, 4, 5]);
        // In place: the changed rows become stale, groups stay.
        let mut kept = seed(vec![1, 2, 3, 4], vec![3]);
        let changes = RowChanges {
            changed: vec![(0, 0)],
            ..RowChanges::default()
        };
        assert!(kept.advance(&changes, 4));
        assert_eq!((kept.group_of, kept.stale), (vec![1, 2, 3, 4], vec![0, 3]));
    }

    /// A changed row its keys do not read keeps its group, and the groups
    /// stay laid out; one they read is keyed again, and so is a row that
    /// came, and the layout goes with either, or with a row that went.
    #[test]
    fn a_seed_keys_again_only_the_rows_changed_where_it_reads() {
        let laid_out = |group_of: Vec<u32>| Seed {
            layout: Some((vec![0, 4], vec![0, 1, 2, 3])),
            ..seed(group_of, Vec::new())
        };
        let changes = RowChanges {
            changed: vec![(1, 1), (2, 2)],
            ..RowChanges::default()
        };
        let mut unread = laid_out(vec![0; 4]);
        assert!(unread.advance_reading(&changes, 4, |_| false));
        assert!(unread.stale.is_empty() && unread.layout.is_some());
        let mut one_read = laid_out(vec![0; 4]);
        assert!(one_read.advance_reading(&changes, 4, |i| i == 1));
        assert_eq!(one_read.stale, [2]);
        assert!(one_read.layout.is_none());
        let moved = RowChanges {
            gone: vec![3],
            ..RowChanges::default()
        };
        let mut gone = laid_out(vec![0; 4]);
        assert!(gone.advance_reading(&moved, 3, |_| false));
        assert!(gone.stale.is_empty() && gone.layout.is_none());
    }

    /// A seed is dropped when the changes do not fit its rows, or when
    /// more than half its rows would have to be keyed again.
    #[test]
    fn a_seed_that_does_not_fit_or_is_mostly_stale_is_dropped() {
        let changes = RowChanges {
            gone: vec![5],
            ..RowChanges::default()
        };
        assert!(!seed(vec![0; 4], Vec::new()).advance(&changes, 3));
        let counted = RowChanges {
            gone: vec![0],
            came: vec![0],
            ..RowChanges::default()
        };
        assert!(!seed(vec![0; 4], Vec::new()).advance(&counted, 5));
        let changes = RowChanges {
            changed: vec![(0, 0), (1, 1), (2, 2)],
            ..RowChanges::default()
        };
        assert!(!seed(vec![0; 4], Vec::new()).advance(&changes, 4));
        assert!(seed(vec![0; 6], Vec::new()).advance(&changes, 6));
    }

    /// An index's table of keys: pairs of ids packed, anything else as it
    /// is, and a table that meets another key keeps every group it had.
    #[test]
    fn an_index_keeps_its_groups_whatever_its_keys() {
        let ids = |a, b| Columns::Inline([a, b]);
        let mut groups = Groups::with_capacity(4);
        assert_eq!(groups.group(ids(Key::Sym(1), Key::Sym(2)), 0), 0);
        assert_eq!(groups.group(ids(Key::Sym(2), Key::Sym(1)), 1), 1);
        assert_eq!(groups.group(ids(Key::Sym(1), Key::Null), 2), 2);
        assert_eq!(groups.group(ids(Key::Sym(1), Key::Sym(2)), 3), 0);
        assert!(matches!(groups, Groups::Ids(_)));
        // Not ids: in no group of pairs of ids, though its numbers are theirs.
        assert_eq!(groups.get(&ids(Key::Row(1), Key::Row(2))), None);
        assert_eq!(groups.get(&ids(Key::Sym(NO_ID), Key::Null)), None);
        assert_eq!(groups.get(&ids(Key::Null, Key::Null)), None);
        // An id numbered as `none` is (could it be) no id: not packed.
        let mut no_id = Groups::with_capacity(1);
        assert_eq!(no_id.group(ids(Key::Sym(NO_ID), Key::Null), 0), 0);
        assert!(matches!(no_id, Groups::Any(_)));
        assert_eq!(no_id.get(&ids(Key::Null, Key::Null)), None);
        assert_eq!(groups.group(ids(Key::Str("x"), Key::Sym(2)), 3), 3);
        assert!(matches!(groups, Groups::Any(_)));
        assert_eq!(groups.get(&ids(Key::Sym(1), Key::Sym(2))), Some(0));
        assert_eq!(groups.get(&ids(Key::Sym(2), Key::Sym(1))), Some(1));
        assert_eq!(groups.get(&ids(Key::Sym(1), Key::Null)), Some(2));
        assert_eq!(groups.get(&ids(Key::Str("x"), Key::Sym(2))), Some(3));
        assert_eq!(groups.group(ids(Key::Sym(2), Key::Sym(1)), 4), 1);
        let wide = Columns::Spilled(vec![Key::Sym(1); 3]);
        let mut spilled = Groups::with_capacity(1);
        assert_eq!(spilled.group(wide.clone(), 0), 0);
        assert_eq!(spilled.get(&wide), Some(0));
        spilled.shrink_to_fit();
        assert_eq!(spilled.get(&wide), Some(0));
        // The packed hash reads both columns.
        let build = crate::fast_hash::FastState::default();
        use std::hash::BuildHasher;
        assert_ne!(build.hash_one(IdPair(1, 2)), build.hash_one(IdPair(2, 1)));
        assert_ne!(build.hash_one(IdPair(1, 0)), build.hash_one(IdPair(2, 0)));
    }

    #[test]
    fn shifting_a_date_is_none_past_the_range_or_by_part_of_a_day() {
        let date = Date::parse("2024-02-28").ok();
        let shifted = |days, back| {
            date.and_then(|d| shift(d, days, back))
                .map(|d| d.to_string())
        };
        assert_eq!(shifted(1.0, false).as_deref(), Some("2024-02-29"));
        assert_eq!(shifted(366.0, true).as_deref(), Some("2023-02-27"));
        assert_eq!(shifted(-1.0, true).as_deref(), Some("2024-02-29"));
        assert_eq!(shifted(0.5, false), None);
        assert_eq!(shifted(1e300, false), None);
        assert_eq!(shifted(-1e300, false), None);
        assert_eq!(shifted(99_999_999.0, true), None);
        assert_eq!(shifted(f64::INFINITY, false), None);
        assert_eq!(shifted(f64::NAN, false), None);
        assert_eq!(shifted(1e9, false), None);
    }

    /// Pushing part by part within the cut gives what cutting the whole gives.
    #[test]
    fn messages_built_within_the_cut_are_cut_where_whole_ones_are() {
        let pieces =
            ["", "a", "é", "€", "𝄞", "ab", "x".repeat(700).as_str(), "éé"].map(str::to_string);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3_000 {
            let mut whole = String::new();
            let mut within = String::new();
            for _ in 0..(x % 12) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let piece = &pieces[(x % pieces.len() as u64) as usize];
                let piece = piece.repeat(1 + (x >> 8) as usize % 5);
                whole.push_str(&piece);
                push_within(&mut within, &piece);
            }
            x = x.wrapping_add(1);
            assert!(within.len() <= MAX_MESSAGE + 4);
            truncate(&mut whole, MAX_MESSAGE);
            truncate(&mut within, MAX_MESSAGE);
            assert_eq!(within, whole);
        }
    }
}
