//! Referential and temporal checks over a decoded scenario.
//!
//! - `duplicate-id`: one namespace for sources, states, governments, missions
//!   (proposals' `open` included) and proposals;
//! - `unknown-id`: every reference resolves to a record of the right sort,
//!   reported once per id, at its first use;
//! - `wrong-state`: `run_by` governs the sender, `credentials.to` the receiver;
//! - `until-before-from`, `overlapping-heads` and `overlapping-relations`;
//! - `protecting-power-is-party`: a protecting power is a third state.
//!
//! A state with no `governments` entry has one implicit government whose id is
//! the state's own id.

use super::date::Date;
use super::model::{At, Change, Event, Head, Mission, Recognition, Relation, Scenario};
use crate::diag::Code;
use crate::diag::{self, Diagnostic, Loc};
use crate::source::{Located, Span};
use std::collections::{HashMap, HashSet};

/// Referential and temporal checks over a decoded scenario; pushes diagnostics.
pub fn validate(scenario: &Scenario, diags: &mut Vec<Diagnostic>) {
    validate_with(scenario, &[], diags);
}

/// The sort of record a partial record was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordKind {
    Source,
    State,
    Government,
    Mission,
    Proposal,
    Event,
    /// Records without an id of their own (recognitions, heads, claims...).
    Other,
}

impl RecordKind {
    fn noun(self) -> &'static str {
        match self {
            RecordKind::Source => "a source",
            RecordKind::State => "a state",
            RecordKind::Government => "a government",
            RecordKind::Mission => "a mission",
            RecordKind::Proposal => "a proposal",
            RecordKind::Event => "an event",
            RecordKind::Other => "a record",
        }
    }
}

/// What sort of record a reference must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Want {
    State,
    Government,
    StateOrGovernment,
    Source,
    Mission,
}

impl Want {
    fn noun(self) -> &'static str {
        match self {
            Want::State => "state",
            Want::Government => "government",
            Want::StateOrGovernment => "state or government",
            Want::Source => "source",
            Want::Mission => "mission",
        }
    }

    pub(crate) fn noun_with_article(self) -> &'static str {
        match self {
            Want::State => "a state",
            Want::Government => "a government",
            Want::StateOrGovernment => "a state or government",
            Want::Source => "a source",
            Want::Mission => "a mission",
        }
    }
}

/// One reference to another record's id.
#[derive(Debug, Clone)]
pub(crate) struct Ref {
    pub want: Want,
    pub id: At<String>,
}

/// A record that could not be decoded (its errors are already reported): what
/// could be read of it, so that it does not cause follow-on errors.
#[derive(Debug, Clone)]
pub(crate) struct Partial {
    pub kind: RecordKind,
    pub id: Option<At<String>>,
    /// For a government: the state it governs, when readable.
    pub state: Option<At<String>>,
    /// The references read from it (checked for existence only).
    pub refs: Vec<Ref>,
    #[allow(dead_code, reason = "kept for future messages about dropped records")]
    pub span: Span,
}

/// `validate`, knowing also the records the loader could not decode.
pub(crate) fn validate_with(
    scenario: &Scenario,
    partials: &[Partial],
    diags: &mut Vec<Diagnostic>,
) {
    let file = scenario.file.as_str();
    let index = Index::build(scenario, partials);
    duplicates(&index, scenario, diags);
    let mut refs = References {
        index: &index,
        file,
        located: &scenario.located,
        unknown: HashMap::new(),
    };
    refs.walk(scenario, partials, diags);
    refs.report(diags);
    periods(scenario, diags);
    overlapping_heads(scenario, diags);
    overlapping_relations(scenario, diags);
}

// ---------------------------------------------------------------------------
// What the file defines

struct Index<'s> {
    /// Every defining id, in walk order, with the sort of its record.
    defs: Vec<(&'s At<String>, RecordKind)>,
    kinds: HashMap<&'s str, RecordKind>,
    states: Vec<&'s str>,
    /// Listed governments and the state each governs (when known).
    governments: HashMap<&'s str, Option<&'s str>>,
    government_ids: Vec<&'s str>,
    /// State → its listed governments, in file order.
    governed: HashMap<&'s str, Vec<&'s str>>,
    sources: HashSet<&'s str>,
    /// The file's missions (not those opened by proposals).
    missions: HashMap<&'s str, &'s Mission>,
    /// Missions that could not be decoded: references to them are not errors.
    partial_missions: HashSet<&'s str>,
    /// Missions opened by proposals: id → proposal id.
    opened: HashMap<&'s str, &'s str>,
}

impl<'s> Index<'s> {
    fn build(scenario: &'s Scenario, partials: &'s [Partial]) -> Self {
        // Sized once: growing the table by doubling rehashed a large file's ids again and again.
        let records = scenario.sources.len()
            + scenario.states.len()
            + scenario.governments.len()
            + scenario.missions.len()
            + scenario.proposals.len()
            + scenario.events.len()
            + partials.len();
        let mut index = Index {
            defs: Vec::with_capacity(records),
            kinds: HashMap::with_capacity(records),
            states: Vec::new(),
            governments: HashMap::new(),
            government_ids: Vec::new(),
            governed: HashMap::new(),
            sources: HashSet::new(),
            missions: HashMap::new(),
            partial_missions: HashSet::new(),
            opened: HashMap::new(),
        };
        for source in &scenario.sources {
            index.define(&source.id, RecordKind::Source);
        }
        for state in &scenario.states {
            index.define(&state.id, RecordKind::State);
        }
        for government in &scenario.governments {
            index.define(&government.id, RecordKind::Government);
            index.government(&government.id.value, Some(&government.state.value));
        }
        for mission in &scenario.missions {
            index.define(&mission.id, RecordKind::Mission);
            index.missions.entry(&mission.id.value).or_insert(mission);
        }
        for event in &scenario.events {
            index.define(&event.id, RecordKind::Event);
        }
        for proposal in &scenario.proposals {
            index.define(&proposal.id, RecordKind::Proposal);
            for change in &proposal.changes {
                match change {
                    Change::Open { mission, .. } => {
                        index.define(&mission.id, RecordKind::Mission);
                        index
                            .opened
                            .entry(&mission.id.value)
                            .or_insert(&proposal.id.value);
                    }
                    Change::Event { event, .. } => index.define(&event.id, RecordKind::Event),
                    _ => {}
                }
            }
        }
        for partial in partials {
            let Some(id) = &partial.id else { continue };
            index.define(id, partial.kind);
            match partial.kind {
                RecordKind::Government => {
                    let state = partial.state.as_ref().map(|s| s.value.as_str());
                    index.government(&id.value, state);
                }
                RecordKind::Mission => {
                    index.partial_missions.insert(&id.value);
                }
                _ => {}
            }
        }
        index
    }

    fn define(&mut self, id: &'s At<String>, kind: RecordKind) {
        self.defs.push((id, kind));
        let name = id.value.as_str();
        if !self.kinds.contains_key(name) {
            self.kinds.insert(name, kind);
            match kind {
                RecordKind::State => self.states.push(name),
                RecordKind::Source => {
                    self.sources.insert(name);
                }
                _ => {}
            }
        }
    }

    fn government(&mut self, id: &'s str, state: Option<&'s str>) {
        if self.governments.contains_key(id) {
            return;
        }
        self.governments.insert(id, state);
        self.government_ids.push(id);
        if let Some(state) = state {
            self.governed.entry(state).or_default().push(id);
        }
    }

    fn is_state(&self, id: &str) -> bool {
        self.kinds.get(id) == Some(&RecordKind::State)
    }

    /// `Some(state)` when `id` is a government (`None` inside when its state
    /// is unreadable); a state with no listed governments is its own.
    fn government_of(&self, id: &'s str) -> Option<Option<&'s str>> {
        if let Some(state) = self.governments.get(id) {
            return Some(*state);
        }
        (self.is_state(id) && !self.governed.contains_key(id)).then_some(Some(id))
    }

    fn resolves(
        &self,
        want: Want,
        id: &'s str,
        opened_here: Option<&HashMap<&str, &Mission>>,
    ) -> bool {
        match want {
            Want::State => self.is_state(id),
            Want::Government => self.government_of(id).is_some(),
            Want::StateOrGovernment => self.is_state(id) || self.government_of(id).is_some(),
            Want::Source => self.sources.contains(id),
            Want::Mission => {
                self.missions.contains_key(id)
                    || self.partial_missions.contains(id)
                    || opened_here.map_or(self.opened.contains_key(id), |m| m.contains_key(id))
            }
        }
    }

    /// The ids a reference of this sort could have meant.
    fn candidates(&self, want: Want) -> Vec<&'s str> {
        let implicit = || {
            self.states
                .iter()
                .copied()
                .filter(|s| !self.governed.contains_key(s))
        };
        match want {
            Want::State => self.states.clone(),
            Want::Government => self
                .government_ids
                .iter()
                .copied()
                .chain(implicit())
                .collect(),
            Want::StateOrGovernment => self
                .states
                .iter()
                .chain(&self.government_ids)
                .copied()
                .collect(),
            Want::Source => self.sources.iter().copied().collect(),
            Want::Mission => self
                .missions
                .keys()
                .chain(self.partial_missions.iter())
                .chain(self.opened.keys())
                .copied()
                .collect(),
        }
    }
}

fn duplicates(index: &Index, scenario: &Scenario, diags: &mut Vec<Diagnostic>) {
    let file = scenario.file.as_str();
    // Each distinct id is in `kinds` once: as many as definitions, none is repeated.
    if index.kinds.len() == index.defs.len() {
        return;
    }
    let mut first: HashMap<&str, Loc> = HashMap::new();
    let mut defs: Vec<_> = index.defs.iter().map(|(id, _)| *id).collect();
    // In the order written (a line and column: a proposals file's ids are
    // compared with its scenario's as before).
    defs.sort_by_cached_key(|id| scenario.loc(id.span));
    for id in defs {
        match first.get(id.value.as_str()) {
            Some(loc) => diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    file,
                    id.span,
                    format!(
                        "duplicate id `{}`: ids are unique across the whole file",
                        id.value
                    ),
                )
                .with_width(id.value.chars().count())
                .with_help(format!("first defined at line {}", loc.line)),
            ),
            None => {
                first.insert(&id.value, scenario.loc(id.span));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// References

struct Use {
    want: Want,
    span: Span,
    /// A hint that depends on where the id is used.
    hint: Option<String>,
}

struct References<'i, 's> {
    index: &'i Index<'s>,
    file: &'i str,
    located: &'i Located,
    /// Unresolved ids and every place they are used.
    unknown: HashMap<&'s str, Vec<Use>>,
}

impl<'s> References<'_, 's> {
    /// Checks one reference; `true` when it resolves.
    fn check(&mut self, want: Want, id: &'s At<String>) -> bool {
        self.check_in(want, id, None, None)
    }

    fn check_in(
        &mut self,
        want: Want,
        id: &'s At<String>,
        opened_here: Option<&HashMap<&str, &Mission>>,
        hint: Option<String>,
    ) -> bool {
        if self.index.resolves(want, &id.value, opened_here) {
            return true;
        }
        self.unknown.entry(&id.value).or_default().push(Use {
            want,
            span: id.span,
            hint,
        });
        false
    }

    fn walk(
        &mut self,
        scenario: &'s Scenario,
        partials: &'s [Partial],
        diags: &mut Vec<Diagnostic>,
    ) {
        for state in &scenario.states {
            self.source(&state.source);
        }
        for government in &scenario.governments {
            self.check(Want::State, &government.state);
            self.source(&government.source);
        }
        for recognition in &scenario.recognitions {
            self.recognition(recognition);
        }
        for mission in &scenario.missions {
            self.mission(mission, diags);
        }
        for relation in &scenario.relations {
            self.relation(relation);
        }
        let none_opened = HashMap::new();
        for event in &scenario.events {
            // The file's events concern the file's missions, not a proposal's.
            let hint = self.index.opened.get(event.mission.value.as_str()).map(|by| {
                format!("it is opened by proposal `{by}`; the file's events concern the file's missions")
            });
            self.check_in(Want::Mission, &event.mission, Some(&none_opened), hint);
            self.event_refs(event);
        }
        for proposal in &scenario.proposals {
            self.source(&proposal.source);
            let mut opened_here: HashMap<&str, &Mission> = HashMap::new();
            for change in &proposal.changes {
                match change {
                    Change::Appoint { mission, head, .. } => {
                        let known =
                            self.proposal_mission(mission, &opened_here, &proposal.id.value);
                        let target = opened_here
                            .get(mission.value.as_str())
                            .copied()
                            .or_else(|| self.index.missions.get(mission.value.as_str()).copied());
                        match (known, target) {
                            (true, Some(target)) => self.head(head, target, diags),
                            _ => self.head_refs(head),
                        }
                    }
                    Change::Recall { mission, .. } | Change::Close { mission, .. } => {
                        self.proposal_mission(mission, &opened_here, &proposal.id.value);
                    }
                    Change::Open { mission, .. } => {
                        self.mission(mission, diags);
                        opened_here.entry(&mission.id.value).or_insert(mission);
                    }
                    Change::Recognize { recognition, .. } => self.recognition(recognition),
                    Change::Relate { relation, .. } => self.relation(relation),
                    Change::Event { event, .. } => {
                        self.proposal_mission(&event.mission, &opened_here, &proposal.id.value);
                        self.event_refs(event);
                    }
                }
            }
        }
        for claim in &scenario.expect {
            self.source(&claim.source);
        }
        for waiver in &scenario.waivers {
            self.source(&waiver.source);
        }
        for partial in partials {
            for reference in &partial.refs {
                self.check(reference.want, &reference.id);
            }
        }
    }

    fn source(&mut self, source: &'s Option<At<String>>) {
        if let Some(source) = source {
            self.check(Want::Source, source);
        }
    }

    fn recognition(&mut self, recognition: &'s Recognition) {
        self.check(Want::State, &recognition.by);
        self.check(Want::StateOrGovernment, &recognition.of);
        self.source(&recognition.source);
    }

    fn relation(&mut self, relation: &'s Relation) {
        for state in &relation.between {
            self.check(Want::State, state);
        }
        self.source(&relation.source);
    }

    /// An event's references other than its mission (checked by the caller,
    /// which knows which missions it may name).
    fn event_refs(&mut self, event: &'s Event) {
        if let Some(by) = &event.by {
            self.check(Want::State, by);
        }
        self.source(&event.source);
    }

    fn mission(&mut self, mission: &'s Mission, diags: &mut Vec<Diagnostic>) {
        let sender = self.check(Want::State, &mission.sender);
        self.check(Want::State, &mission.receiver);
        if let Some(power) = &mission.protecting_power
            && self.check(Want::State, power)
        {
            let party = [&mission.sender, &mission.receiver]
                .into_iter()
                .find(|s| s.value == power.value);
            if let Some(party) = party {
                let role = if party.value == mission.sender.value {
                    "sender"
                } else {
                    "receiver"
                };
                diags.push(
                    Diagnostic::new(
                        Code::ProtectingPowerIsParty,
                        self.file,
                        power.span,
                        format!(
                            "`{}` is this mission's {role}, so it cannot be its protecting power",
                            power.value
                        ),
                    )
                    .with_width(power.value.chars().count())
                    .with_help(
                        "a protecting power is a third state whose embassy hosts the mission (VCDR art. 45-46)",
                    ),
                );
            }
        }
        if let Some(run_by) = &mission.run_by
            && self.check(Want::Government, run_by)
            && sender
        {
            self.governs(run_by, &mission.sender.value, "sent", diags);
        }
        self.source(&mission.source);
        for staff in &mission.staff {
            self.source(&staff.source);
        }
        for head in &mission.heads {
            self.head(head, mission, diags);
        }
    }

    fn head(&mut self, head: &'s Head, mission: &'s Mission, diags: &mut Vec<Diagnostic>) {
        self.source(&head.source);
        if let Some(credentials) = &head.credentials
            && self.check(Want::Government, &credentials.to)
            && self.index.is_state(&mission.receiver.value)
        {
            self.governs(&credentials.to, &mission.receiver.value, "received", diags);
        }
    }

    /// A head whose mission is unknown: only its own references.
    fn head_refs(&mut self, head: &'s Head) {
        self.source(&head.source);
        if let Some(credentials) = &head.credentials {
            self.check(Want::Government, &credentials.to);
        }
    }

    /// `wrong-state` unless `government` governs `state`.
    fn governs(
        &self,
        government: &'s At<String>,
        state: &str,
        verb: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some(Some(governed)) = self.index.government_of(&government.value) else {
            return;
        };
        if governed != state {
            diags.push(
                Diagnostic::new(
                    Code::WrongState,
                    self.file,
                    government.span,
                    format!(
                        "`{}` governs {governed}, but this mission is {verb} by {state}",
                        government.value
                    ),
                )
                .with_width(government.value.chars().count()),
            );
        }
    }

    /// A proposal's change naming a mission: one of the file, or one opened
    /// earlier in the same proposal.
    fn proposal_mission(
        &mut self,
        mission: &'s At<String>,
        opened_here: &HashMap<&str, &Mission>,
        proposal: &str,
    ) -> bool {
        let hint = match self.index.opened.get(mission.value.as_str()) {
            Some(by) if *by == proposal => {
                Some("it is opened later in this proposal: open it before this change".to_string())
            }
            Some(by) => Some(format!(
                "it is opened by proposal `{by}`; each proposal applies to the scenario alone"
            )),
            None => None,
        };
        self.check_in(Want::Mission, mission, Some(opened_here), hint)
    }

    /// One `unknown-id` per id, at its first use.
    fn report(mut self, diags: &mut Vec<Diagnostic>) {
        // In file order, so that which ids get a "did you mean" before the
        // file's suggestion work is spent does not depend on hashing.
        let located = self.located;
        let mut unknown: Vec<(&str, Vec<(Loc, Use)>)> = std::mem::take(&mut self.unknown)
            .into_iter()
            .map(|(id, uses)| {
                let mut uses: Vec<(Loc, Use)> =
                    uses.into_iter().map(|u| (located.loc(u.span), u)).collect();
                uses.sort_by_key(|(loc, _)| *loc);
                (id, uses)
            })
            .collect();
        unknown.sort_by_key(|(id, uses)| (uses.first().map(|(loc, _)| *loc), *id));
        let work = diag::Work::default();
        // One index of candidates per sort of reference, built when first needed.
        let mut suggesters: HashMap<Want, diag::Suggester> = HashMap::new();
        for (id, uses) in unknown {
            let Some((_, first)) = uses.first() else {
                continue;
            };
            let mut help: Vec<String> = Vec::new();
            match &first.hint {
                Some(hint) => help.push(hint.clone()),
                None => help.extend(self.explain(first.want, id, &mut suggesters, &work)),
            }
            let mut help = help.join("; ");
            let mut lines: Vec<u32> = uses.iter().skip(1).map(|(loc, _)| loc.line).collect();
            lines.dedup();
            let also = match lines.as_slice() {
                [] => String::new(),
                [line] => format!("(also used at line {line})"),
                lines => {
                    let list: Vec<String> = lines.iter().map(u32::to_string).collect();
                    format!("(also used at lines {})", list.join(", "))
                }
            };
            if !also.is_empty() {
                if !help.is_empty() {
                    help.push(' ');
                }
                help.push_str(&also);
            }
            let mut diagnostic = Diagnostic::new(
                Code::UnknownId,
                self.file,
                first.span,
                format!("unknown {} `{id}`", first.want.noun()),
            )
            .with_width(id.chars().count());
            if !help.is_empty() {
                diagnostic = diagnostic.with_help(help);
            }
            diags.push(diagnostic);
        }
    }

    /// Why `id` is not a `want`, or what it may have meant.
    fn explain<'w>(
        &self,
        want: Want,
        id: &str,
        suggesters: &mut HashMap<Want, diag::Suggester<'w>>,
        work: &'w diag::Work,
    ) -> Option<String>
    where
        's: 'w,
    {
        let index = self.index;
        if matches!(want, Want::Government)
            && let Some(governments) = index.governed.get(id)
            && index.is_state(id)
        {
            let names: Vec<String> = governments.iter().map(|g| format!("`{g}`")).collect();
            return Some(format!(
                "{id} has listed governments, so its own id names none of them: use {}",
                names.join(" or ")
            ));
        }
        if let Some(kind) = index.kinds.get(id)
            && !fits(*kind, want)
        {
            return Some(format!(
                "`{id}` is {}, not {}",
                kind.noun(),
                want.noun_with_article()
            ));
        }
        let suggester = suggesters
            .entry(want)
            .or_insert_with(|| diag::Suggester::new(index.candidates(want), work));
        // An unresolved id is never among its own candidates; should it be, it is no suggestion.
        suggester
            .nearest(id)
            .filter(|near| *near != id)
            .map(|near| format!("did you mean `{near}`?"))
    }
}

/// Whether a record of this sort could be what a reference wants.
fn fits(kind: RecordKind, want: Want) -> bool {
    matches!(
        (kind, want),
        (
            RecordKind::State,
            Want::State | Want::Government | Want::StateOrGovernment
        ) | (
            RecordKind::Government,
            Want::Government | Want::StateOrGovernment
        ) | (RecordKind::Source, Want::Source)
            | (RecordKind::Mission, Want::Mission)
    )
}

// ---------------------------------------------------------------------------
// Periods

/// Every mission: the file's, then those opened by proposals.
fn all_missions(scenario: &Scenario) -> impl Iterator<Item = &Mission> {
    scenario
        .missions
        .iter()
        .chain(scenario.proposals.iter().flat_map(|p| {
            p.changes.iter().filter_map(|c| match c {
                Change::Open { mission, .. } => Some(mission.as_ref()),
                _ => None,
            })
        }))
}

fn periods(scenario: &Scenario, diags: &mut Vec<Diagnostic>) {
    let file = scenario.file.as_str();
    let mut check = |from: &Option<At<Date>>, until: &Option<At<Date>>| {
        if let (Some(from), Some(until)) = (from, until)
            && out_of_order(from, until)
        {
            diags.push(
                Diagnostic::new(
                    Code::UntilBeforeFrom,
                    file,
                    until.span,
                    format!("`until: {}` is before `from: {}`", until.value, from.value),
                )
                .with_width(until.value.to_string().len())
                .with_help("a period holds from `from` up to, but not including, `until`"),
            );
        }
    };
    for government in &scenario.governments {
        check(&government.from, &government.until);
    }
    for recognition in &scenario.recognitions {
        check(&recognition.from, &recognition.until);
    }
    for relation in &scenario.relations {
        check(&relation.from, &relation.until);
    }
    for mission in all_missions(scenario) {
        check(&mission.from, &mission.until);
        for staff in &mission.staff {
            check(&staff.from, &staff.until);
        }
        for head in &mission.heads {
            check(&head.from, &head.until);
        }
    }
    for change in scenario.proposals.iter().flat_map(|p| &p.changes) {
        match change {
            Change::Appoint { head, .. } => check(&head.from, &head.until),
            Change::Recognize { recognition, .. } => check(&recognition.from, &recognition.until),
            Change::Relate { relation, .. } => check(&relation.from, &relation.until),
            _ => {}
        }
    }
}

/// Whether two half-open periods share a day (a missing end is open).
fn overlap(a: &Head, b: &Head) -> bool {
    let starts_before_end = |start: &Option<At<Date>>, end: &Option<At<Date>>| match (start, end) {
        (Some(s), Some(e)) => s.value < e.value,
        _ => true,
    };
    let empty = |h: &Head| matches!((&h.from, &h.until), (Some(f), Some(u)) if u.value <= f.value);
    !empty(a)
        && !empty(b)
        && starts_before_end(&a.from, &b.until)
        && starts_before_end(&b.from, &a.until)
}

/// A period that ends before it starts (`until-before-from`).
fn out_of_order(from: &At<Date>, until: &At<Date>) -> bool {
    until.value < from.value
}

/// For each head, the first earlier head in office with it, if any.
fn first_overlaps(heads: &[Head]) -> Vec<Option<usize>> {
    if heads.len() <= FEW_HEADS {
        first_overlaps_pairwise(heads)
    } else {
        first_overlaps_indexed(heads)
    }
}

/// Whether a mission's heads pass what `validate` asks of heads alone:
/// each period in order, no two in office at once. That is all a change of
/// heads (`change::make_on_heads`) can break in a valid scenario, besides
/// the new heads' references.
pub(crate) fn heads_consistent(mission: &Mission) -> bool {
    let in_order = |h: &Head| match (&h.from, &h.until) {
        (Some(from), Some(until)) => !out_of_order(from, until),
        _ => true,
    };
    mission.heads.iter().all(in_order) && first_overlaps(&mission.heads).iter().all(Option::is_none)
}

fn overlapping_heads(scenario: &Scenario, diags: &mut Vec<Diagnostic>) {
    for mission in all_missions(scenario) {
        let earliest = first_overlaps(&mission.heads);
        for (later, earlier) in mission.heads.iter().zip(earliest) {
            let Some(earlier) = earlier.and_then(|e| mission.heads.get(e)) else {
                continue;
            };
            let period = match (&earlier.from, &earlier.until) {
                (Some(f), Some(u)) => format!("from {} until {}", f.value, u.value),
                (Some(f), None) => format!("from {}, still in office", f.value),
                (None, Some(u)) => format!("until {}", u.value),
                (None, None) => "with no dates: always in office".to_string(),
            };
            diags.push(
                Diagnostic::new(
                    Code::OverlappingHeads,
                    &scenario.file,
                    later.span,
                    format!(
                        "two heads of mission `{}` are in office at once",
                        mission.id.value
                    ),
                )
                .with_help(format!(
                    "overlaps the head at line {} ({period})",
                    scenario.loc(earlier.span).line
                )),
            );
        }
    }
}

/// Two relation records for one pair of states that hold on a common day:
/// the later in the file is reported, pointing at the earlier one.
fn overlapping_relations(scenario: &Scenario, diags: &mut Vec<Diagnostic>) {
    if scenario.relations.len() < 2 {
        return;
    }
    let mut pairs: HashMap<(&str, &str), Vec<&Relation>> = HashMap::new();
    for relation in &scenario.relations {
        let [a, b] = &relation.between;
        let (a, b) = (a.value.as_str(), b.value.as_str());
        let key = if a <= b { (a, b) } else { (b, a) };
        pairs.entry(key).or_default().push(relation);
    }
    let start = |r: &Relation| r.from.as_ref().map_or(0, |d| d.value.ordinal());
    let end = |r: &Relation| r.until.as_ref().map_or(u32::MAX, |d| d.value.ordinal());
    let mut found = Vec::new();
    for ((a, b), mut records) in pairs {
        // An empty period holds on no day, so it overlaps nothing.
        records.retain(|r| start(r) < end(r));
        records.sort_by_key(|r| (start(r), r.span));
        // Sorted by start, a record overlaps an earlier one exactly when it
        // starts before the latest end so far: O(n log n) per pair.
        let mut reach: Option<&Relation> = None;
        for record in records {
            if let Some(earlier) = reach
                && start(record) < end(earlier)
            {
                // Reported at the one written later, pointing at the other.
                let (later, earlier) = if record.span > earlier.span {
                    (record, earlier)
                } else {
                    (earlier, record)
                };
                found.push((later, earlier, a, b));
            }
            if reach.is_none_or(|r| end(record) > end(r)) {
                reach = Some(record);
            }
        }
    }
    found.sort_by_key(|(later, earlier, _, _)| (later.span, earlier.span));
    found.dedup_by_key(|(later, _, _, _)| later.span);
    for (later, earlier, a, b) in found {
        let period = match (&earlier.from, &earlier.until) {
            (Some(f), Some(u)) => format!("from {} until {}", f.value, u.value),
            (Some(f), None) => format!("from {}, still so", f.value),
            (None, Some(u)) => format!("until {}", u.value),
            (None, None) => "with no dates: always so".to_string(),
        };
        diags.push(
            Diagnostic::new(
                Code::OverlappingRelations,
                &scenario.file,
                later.span,
                format!("two relation records between {a} and {b} hold at once"),
            )
            .with_help(format!(
                "overlaps the record at line {} ({period}, {})",
                scenario.loc(earlier.span).line,
                earlier.status.value
            )),
        );
    }
}

/// Missions with at most this many heads (nearly all) compare them pairwise.
const FEW_HEADS: usize = 16;

/// For each head, the first earlier head (in list order) whose period
/// overlaps its own, comparing every pair: O(n²).
fn first_overlaps_pairwise(heads: &[Head]) -> Vec<Option<usize>> {
    heads
        .iter()
        .enumerate()
        .map(|(i, later)| heads.iter().take(i).position(|h| overlap(h, later)))
        .collect()
}

/// `first_overlaps_pairwise` in O(n log n), for a mission of many heads.
///
/// With a missing start as 0 and a missing end as `u32::MAX`, heads `j` and
/// `i` overlap when `from_j < until_i` and `from_i < until_j` (both
/// non-empty). Heads are visited by increasing `until`; those with
/// `from_j < until_i` are entered, in a tree of maxima over list positions,
/// with their `until`; the answer for `i` is then the leftmost position
/// before `i` whose `until` exceeds `from_i`.
fn first_overlaps_indexed(heads: &[Head]) -> Vec<Option<usize>> {
    let ordinal =
        |d: &Option<At<Date>>, missing: u32| d.as_ref().map_or(missing, |d| d.value.ordinal());
    let spans: Vec<Option<(u32, u32)>> = heads
        .iter()
        .map(|h| {
            let (from, until) = (ordinal(&h.from, 0), ordinal(&h.until, u32::MAX));
            // An empty period (until at or before from) overlaps nothing.
            let empty = h.from.is_some() && h.until.is_some() && until <= from;
            (!empty).then_some((from, until))
        })
        .collect();
    let mut by_from: Vec<(u32, usize)> = spans
        .iter()
        .enumerate()
        .filter_map(|(j, s)| s.map(|(from, _)| (from, j)))
        .collect();
    by_from.sort_unstable();
    let mut by_until: Vec<(u32, usize)> = spans
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|(_, until)| (until, i)))
        .collect();
    by_until.sort_unstable();
    let mut tree = MaxTree::new(heads.len());
    let mut entered = by_from.iter().peekable();
    let mut first = vec![None; heads.len()];
    for (until, i) in by_until {
        while let Some(&&(from, j)) = entered.peek() {
            if from >= until {
                break;
            }
            if let Some(Some((_, until_j))) = spans.get(j) {
                tree.set(j, *until_j);
            }
            entered.next();
        }
        let Some(Some((from_i, _))) = spans.get(i) else {
            continue;
        };
        if let Some(slot) = first.get_mut(i) {
            *slot = tree.leftmost_above(i, *from_i);
        }
    }
    first
}

/// Maxima over positions `0..n` (0 where nothing is set), answering "the
/// leftmost position before `end` holding more than `x`" in O(log n).
struct MaxTree {
    /// Leaves from `size`; node `k`'s children are `2k` and `2k + 1`.
    nodes: Vec<u32>,
    size: usize,
}

impl MaxTree {
    fn new(n: usize) -> Self {
        let size = n.max(1).next_power_of_two();
        MaxTree {
            nodes: vec![0; 2 * size],
            size,
        }
    }

    fn set(&mut self, position: usize, value: u32) {
        let mut k = self.size + position;
        while let Some(node) = self.nodes.get_mut(k) {
            *node = (*node).max(value);
            k /= 2;
            if k == 0 {
                break;
            }
        }
    }

    fn leftmost_above(&self, end: usize, x: u32) -> Option<usize> {
        self.descend(1, 0, self.size, end, x)
    }

    /// The leftmost position in `lo..hi` (node `k`'s range), before `end`, holding more than `x`.
    fn descend(&self, k: usize, lo: usize, hi: usize, end: usize, x: u32) -> Option<usize> {
        if lo >= end || self.nodes.get(k).is_none_or(|max| *max <= x) {
            return None;
        }
        if hi - lo == 1 {
            return Some(lo);
        }
        let mid = lo + (hi - lo) / 2;
        self.descend(2 * k, lo, mid, end, x)
            .or_else(|| self.descend(2 * k + 1, mid, hi, end, x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(from: Option<u32>, until: Option<u32>) -> Head {
        let date = |n: u32| {
            let day = Date::ymd(2000 + (n / 12) as u16, (n % 12 + 1) as u8, 1);
            At::new(
                day.unwrap_or(Date::EARLIEST),
                Span::new(n as usize, n as usize),
            )
        };
        Head {
            name: None,
            rank: At::new(super::super::model::Rank::Ambassador, Span::default()),
            from: from.map(date),
            until: until.map(date),
            agrement: None,
            exequatur: None,
            credentials: None,
            source: None,
            proposed: false,
            span: Span::default(),
        }
    }

    #[test]
    fn the_indexed_overlap_search_finds_what_the_pairwise_one_finds() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |n: u32| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % u64::from(n)) as u32
        };
        for round in 0..400 {
            let count = 1 + next(40) as usize;
            let span = 2 + round % 30;
            let heads: Vec<Head> = (0..count)
                .map(|_| {
                    let from = (next(5) > 0).then(|| next(span));
                    let until = (next(5) > 0).then(|| next(span));
                    head(from, until)
                })
                .collect();
            assert_eq!(
                first_overlaps_indexed(&heads),
                first_overlaps_pairwise(&heads),
                "round {round}"
            );
        }
    }
}
