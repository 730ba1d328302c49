//! The world at a date: which records are in force, each mission's head,
//! which government controls each state, how states recognise governments,
//! the relations between states and the events that have happened.
//!
//! Every id (state, government, mission; implicit governments included) is
//! interned as a `Sym`, so the evaluator compares and hashes integers.

use super::date::{Date, in_force};
use super::model::{
    Event, EventKind, Government, Head, Level, Mission, MissionKind, Rank, Recognition, Relation,
    RelationStatus, Scenario, Staff, State,
};
use crate::fast_hash::FastMap;
use crate::source::Span;

/// An interned id.
pub type Sym = u32;

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    State(u32),
    Government(u32),
    Mission(u32),
    Event(u32),
    /// An id with no record in this world (a closed mission, a rule's literal).
    Unknown,
}

#[derive(Debug, Clone)]
pub struct StateRow<'s> {
    pub record: &'s State,
    pub sym: Sym,
    /// The government in control at the date, if any.
    pub government: Option<Sym>,
    /// Index in `World::governments` of the state's implicit government.
    pub implicit: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct GovernmentRow<'s> {
    /// `None` for a state's implicit government.
    pub record: Option<&'s Government>,
    pub sym: Sym,
    pub state: Sym,
    pub in_control: bool,
    pub default_recognition: Option<Level>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct MissionRow<'s> {
    pub record: &'s Mission,
    pub sym: Sym,
    pub sender: Sym,
    pub receiver: Sym,
    /// `run_by`, else the sender's government in control at the date.
    pub run_by: Option<Sym>,
    /// The head in office at the date.
    pub head: Option<&'s Head>,
    pub credentials_to: Option<Sym>,
    /// Diplomatic staff in force at the date.
    pub staff: Option<u32>,
    /// `protecting_power`, interned.
    pub protecting_power: Option<Sym>,
    /// Index in `World::relations` of the record between sender and
    /// receiver in force at the date (`World::relation_status` gives the
    /// status with the default applied).
    pub relation: Option<u32>,
    /// Whether the head in office is recalled for consultations at the date.
    pub absent: bool,
    /// When the uninterrupted run of acting heads (chargés d'affaires a.i.,
    /// or heads recalled for consultations) that leads the mission at the
    /// date began; `None` when the head in office is not acting, or when the
    /// run reaches back to a head with no `from` (its start is unknown).
    pub acting_since: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct RecognitionRow<'s> {
    pub record: &'s Recognition,
    pub by: Sym,
    pub of: Sym,
}

#[derive(Debug, Clone)]
pub struct RelationRow<'s> {
    pub record: &'s Relation,
    /// The two states, in the order written.
    pub between: [Sym; 2],
}

#[derive(Debug, Clone)]
pub struct EventRow<'s> {
    pub record: &'s Event,
    pub sym: Sym,
    pub by: Option<Sym>,
    pub mission: Sym,
}

/// The scenario seen at one date. Collections hold what is in force then:
/// open missions, all states and governments (listed and implicit),
/// recognitions and relation records in force, events on or before the date.
#[derive(Debug, Clone)]
pub struct World<'s> {
    pub scenario: &'s Scenario,
    pub date: Date,
    /// Ids borrow from the scenario: interning allocates nothing per id.
    names: Vec<&'s str>,
    index: FastMap<&'s str, Sym>,
    entities: Vec<Entity>,
    pub states: Vec<StateRow<'s>>,
    pub governments: Vec<GovernmentRow<'s>>,
    pub missions: Vec<MissionRow<'s>>,
    pub recognitions: Vec<RecognitionRow<'s>>,
    pub relations: Vec<RelationRow<'s>>,
    pub events: Vec<EventRow<'s>>,
    /// The relation record in force for each pair (in `pair` order), by index in `relations`.
    relation_of_pair: FastMap<(Sym, Sym), u32>,
    /// The pairs with an open embassy either way, found when first asked:
    /// most worlds (a timeline builds one per date) are never asked.
    embassy_pairs: std::sync::OnceLock<FastMap<(Sym, Sym), ()>>,
    /// Every recognition record (any date), by (by, of), for look-ups at other dates.
    /// Shared, not copied, by a world derived from this one (`with_missions`).
    recognition_history: std::sync::Arc<FastMap<(Sym, Sym), Vec<&'s Recognition>>>,
}

impl<'s> World<'s> {
    /// Builds the world of a validated scenario at `date`.
    pub fn at(scenario: &'s Scenario, date: Date) -> World<'s> {
        let mut world = World {
            scenario,
            date,
            names: Vec::new(),
            index: FastMap::default(),
            entities: Vec::new(),
            states: Vec::new(),
            governments: Vec::new(),
            missions: Vec::new(),
            recognitions: Vec::new(),
            relations: Vec::new(),
            events: Vec::new(),
            relation_of_pair: FastMap::default(),
            embassy_pairs: std::sync::OnceLock::new(),
            recognition_history: Default::default(),
        };
        world.build();
        world
    }

    fn build(&mut self) {
        let scenario = self.scenario;
        let date = self.date;
        let mut listed: FastMap<Sym, Vec<&'s Government>> = FastMap::default();
        for government in &scenario.governments {
            let state = self.intern(&government.state.value);
            listed.entry(state).or_default().push(government);
        }
        for state in &scenario.states {
            let sym = self.intern(&state.id.value);
            let index = self.states.len() as u32;
            self.set_entity(sym, Entity::State(index));
            // A state with no listed government has one, named by its own id,
            // always in control and recognised de jure by default.
            let implicit = !listed.contains_key(&sym);
            let implicit_index = implicit.then_some(self.governments.len() as u32);
            self.states.push(StateRow {
                record: state,
                sym,
                government: implicit.then_some(sym),
                implicit: implicit_index,
            });
            if implicit {
                self.governments.push(GovernmentRow {
                    record: None,
                    sym,
                    state: sym,
                    in_control: true,
                    default_recognition: Some(Level::DeJure),
                    span: state.span,
                });
            }
        }
        for government in &scenario.governments {
            let sym = self.intern(&government.id.value);
            let state = self.intern(&government.state.value);
            let in_control = in_force(value(&government.from), value(&government.until), date);
            let index = self.governments.len() as u32;
            self.set_entity(sym, Entity::Government(index));
            self.governments.push(GovernmentRow {
                record: Some(government),
                sym,
                state,
                in_control,
                default_recognition: government.default_recognition,
                span: government.span,
            });
        }
        // The government in control of each state with listed governments:
        // when control is contested (periods overlap), the one in control most recently.
        for (state, governments) in &listed {
            let in_control = governments
                .iter()
                .filter(|g| in_force(value(&g.from), value(&g.until), date))
                .max_by(|a, b| {
                    value(&a.from)
                        .cmp(&value(&b.from))
                        .then(b.id.value.cmp(&a.id.value))
                });
            if let Some(government) = in_control {
                let government = self.sym(&government.id.value);
                if let Some(Entity::State(i)) = self.entity(*state)
                    && let Some(row) = self.states.get_mut(i as usize)
                {
                    row.government = government;
                }
            }
        }
        // "In control" means governing its state at the date: when periods
        // overlap, only the one chosen above.
        for i in 0..self.governments.len() {
            let Some(row) = self.governments.get(i) else {
                continue;
            };
            if row.record.is_none() {
                continue;
            }
            let governs = self.state(row.state).and_then(|s| s.government) == Some(row.sym);
            if let Some(row) = self.governments.get_mut(i) {
                row.in_control = governs;
            }
        }
        let mut history: FastMap<(Sym, Sym), Vec<&'s Recognition>> = FastMap::default();
        for recognition in &scenario.recognitions {
            let by = self.intern(&recognition.by.value);
            let of = self.intern(&recognition.of.value);
            history.entry((by, of)).or_default().push(recognition);
            if in_force(value(&recognition.from), value(&recognition.until), date) {
                self.recognitions.push(RecognitionRow {
                    record: recognition,
                    by,
                    of,
                });
            }
        }
        self.recognition_history = std::sync::Arc::new(history);
        // Each mission's events, for the staff an expulsion removes and the
        // absences an acting run counts (the world's `events` are built below).
        let mut events_of: FastMap<&str, Vec<&'s Event>> = FastMap::default();
        for event in &scenario.events {
            events_of
                .entry(event.mission.value.as_str())
                .or_default()
                .push(event);
        }
        for mission in &scenario.missions {
            let events = events_of
                .get(mission.id.value.as_str())
                .map_or(&[][..], Vec::as_slice);
            if let Some(row) = self.mission_row(mission, events) {
                let index = self.missions.len() as u32;
                self.set_entity(row.sym, Entity::Mission(index));
                self.missions.push(row);
            }
        }
        self.build_relations();
        self.build_events();
    }

    /// A mission's row at the date, or none if it is not open then; its
    /// ids interned (even when it is not open, so that syms are numbered in
    /// file order whatever the date). Its `relation` and `absent` are set
    /// with the world's relations and events.
    fn mission_row(
        &mut self,
        mission: &'s Mission,
        events: &[&'s Event],
    ) -> Option<MissionRow<'s>> {
        let date = self.date;
        let sym = self.intern(&mission.id.value);
        let sender = self.intern(&mission.sender.value);
        let receiver = self.intern(&mission.receiver.value);
        let run_by = match &mission.run_by {
            Some(run_by) => Some(self.intern(&run_by.value)),
            None => self.government_of(sender),
        };
        if !in_force(value(&mission.from), value(&mission.until), date) {
            return None;
        }
        let head = mission
            .heads
            .iter()
            .find(|h| in_force(value(&h.from), value(&h.until), date));
        let credentials_to = head
            .and_then(|h| h.credentials.as_ref())
            .map(|c| self.intern(&c.to.value));
        let staff = mission
            .staff
            .iter()
            .filter(|s| in_force(value(&s.from), value(&s.until), date))
            // The latest count; of two that start together, the larger,
            // whichever the file lists first.
            .max_by_key(|s| (value(&s.from), s.diplomats))
            .map(|s| s.diplomats.saturating_sub(expelled(s, events, date)));
        let acting_since = head.and_then(|_| acting_since(mission, events, date));
        let protecting_power = mission
            .protecting_power
            .as_ref()
            .map(|p| self.intern(&p.value));
        Some(MissionRow {
            record: mission,
            sym,
            sender,
            receiver,
            run_by,
            head,
            credentials_to,
            staff,
            protecting_power,
            relation: None,
            absent: false,
            acting_since,
        })
    }

    /// Replaces the records of some of this world's open missions by
    /// changed ones (`(row, record)`, rows ascending: same id, sender,
    /// receiver and kind; heads changed, or closed at the date), each row
    /// derived again as `at` derives it. A closed mission's row is removed,
    /// the last row taking its place. Returns the rows whose missions
    /// changed, moved or went (some past the new end), or `None` where a
    /// change does not fit (then build the world anew): a row of another
    /// id, or an id the world has not interned.
    pub fn change_missions(&mut self, changed: &[(u32, &'s Mission)]) -> Option<Vec<u32>> {
        let names = self.names.len();
        let before = self.missions.len() as u32;
        let mut closed = Vec::new();
        for &(row, mission) in changed {
            let old = self.missions.get(row as usize)?;
            if old.record.id.value != mission.id.value
                || old.record.sender.value != mission.sender.value
                || old.record.receiver.value != mission.receiver.value
                || old.record.kind.value != mission.kind.value
            {
                return None;
            }
            let relation = old.relation;
            let scenario: &'s Scenario = self.scenario;
            let events: Vec<&'s Event> = scenario
                .events
                .iter()
                .filter(|e| e.mission.value == mission.id.value)
                .collect();
            match self.mission_row(mission, &events) {
                Some(mut new) => {
                    new.relation = relation;
                    new.absent = new.head.is_some_and(|head| {
                        events.iter().any(|e| recalls(mission, e, head, self.date))
                    });
                    *self.missions.get_mut(row as usize)? = new;
                }
                None => closed.push(row),
            }
        }
        // A new id would be numbered after the file's: not as `at` numbers it.
        if self.names.len() != names {
            return None;
        }
        let mut rows: Vec<u32> = changed.iter().map(|(row, _)| *row).collect();
        if !closed.is_empty() {
            // Open embassies decide the relations of pairs without a record.
            self.embassy_pairs = std::sync::OnceLock::new();
            for &row in closed.iter().rev() {
                let gone = self.missions.swap_remove(row as usize);
                self.set_entity(gone.sym, Entity::Unknown);
                if let Some(moved) = self.missions.get(row as usize) {
                    self.set_entity(moved.sym, Entity::Mission(row));
                }
            }
            rows.extend(self.missions.len() as u32..before);
        }
        rows.sort_unstable();
        rows.dedup();
        Some(rows)
    }

    /// Adds a recognition record to this world's history, in force from
    /// the date on unless it says otherwise, ending at the date the records
    /// in force then between the same parties (`ended`, their replacements
    /// with that end, in the history's order): what `change::apply` makes
    /// of a `recognize`. Returns the rows of recognitions in force that
    /// changed, moved or went, or `None` where the parties are not ids of
    /// this world.
    pub fn change_recognitions(
        &mut self,
        ended: &[&'s Recognition],
        added: &'s Recognition,
    ) -> Option<Vec<u32>> {
        let by = self.sym(&added.by.value)?;
        let of = self.sym(&added.of.value)?;
        let before = self.recognitions.len() as u32;
        let mut rows: Vec<u32> = Vec::new();
        let mut gone: Vec<u32> = self
            .recognitions
            .iter()
            .enumerate()
            .filter(|(_, r)| r.by == by && r.of == of)
            .map(|(row, _)| row as u32)
            .collect();
        if gone.len() != ended.len() {
            return None;
        }
        rows.extend(&gone);
        gone.sort_unstable();
        for &row in gone.iter().rev() {
            self.recognitions.swap_remove(row as usize);
        }
        let history = std::sync::Arc::make_mut(&mut self.recognition_history);
        let records = history.entry((by, of)).or_default();
        for replacement in ended {
            // A record is where it was written: its replacement is written there too.
            let place = records.iter().position(|r| r.span == replacement.span)?;
            *records.get_mut(place)? = replacement;
        }
        records.push(added);
        if in_force(value(&added.from), value(&added.until), self.date) {
            self.recognitions.push(RecognitionRow {
                record: added,
                by,
                of,
            });
        }
        let kept = before - gone.len() as u32;
        rows.extend(kept..before.max(self.recognitions.len() as u32));
        rows.sort_unstable();
        rows.dedup();
        Some(rows)
    }

    /// The relation records in force, and each open mission's record among them.
    fn build_relations(&mut self) {
        let scenario = self.scenario;
        let date = self.date;
        for relation in &scenario.relations {
            let [a, b] = &relation.between;
            let between = [self.intern(&a.value), self.intern(&b.value)];
            if !in_force(value(&relation.from), value(&relation.until), date) {
                continue;
            }
            let index = self.relations.len() as u32;
            // Validation leaves at most one record per pair in force; were
            // there more, the first written would hold.
            self.relation_of_pair.entry(pair(between)).or_insert(index);
            self.relations.push(RelationRow {
                record: relation,
                between,
            });
        }
        if self.relation_of_pair.is_empty() {
            return;
        }
        let by_pair = &self.relation_of_pair;
        for m in &mut self.missions {
            m.relation = by_pair.get(&pair([m.sender, m.receiver])).copied();
        }
    }

    /// The events on or before the date, and which heads in office are absent.
    fn build_events(&mut self) {
        let scenario = self.scenario;
        let date = self.date;
        for event in &scenario.events {
            let sym = self.intern(&event.id.value);
            let by = event.by.as_ref().map(|b| self.intern(&b.value));
            let mission = self.intern(&event.mission.value);
            if event.on.value > date {
                continue;
            }
            let index = self.events.len() as u32;
            self.set_entity(sym, Entity::Event(index));
            self.events.push(EventRow {
                record: event,
                sym,
                by,
                mission,
            });
            if event.kind.value != EventKind::RecallForConsultations {
                continue;
            }
            // The head in office on `on` is absent from `on` until the
            // event's `until` (the return), else until that head's own end,
            // after which it is no longer the head in office.
            let Some(Entity::Mission(m)) = self.entity(mission) else {
                continue;
            };
            let Some(row) = self.missions.get_mut(m as usize) else {
                continue;
            };
            if let Some(head) = row.head
                && recalls(row.record, event, head, date)
            {
                row.absent = true;
            }
        }
    }

    /// The sym of an id, interning it if new (rule literals may name ids no record has).
    pub fn intern(&mut self, id: &'s str) -> Sym {
        if let Some(sym) = self.index.get(id) {
            return *sym;
        }
        let sym = self.names.len() as Sym;
        self.names.push(id);
        self.index.insert(id, sym);
        self.entities.push(Entity::Unknown);
        sym
    }

    fn set_entity(&mut self, sym: Sym, entity: Entity) {
        if let Some(slot) = self.entities.get_mut(sym as usize) {
            *slot = entity;
        }
    }

    /// The sym of an id, if any record or literal has it.
    pub fn sym(&self, id: &str) -> Option<Sym> {
        self.index.get(id).copied()
    }

    pub fn name(&self, sym: Sym) -> &str {
        self.names.get(sym as usize).copied().unwrap_or_default()
    }

    pub fn entity(&self, sym: Sym) -> Option<Entity> {
        self.entities.get(sym as usize).copied()
    }

    pub fn state(&self, sym: Sym) -> Option<&StateRow<'s>> {
        match self.entity(sym)? {
            Entity::State(i) => self.states.get(i as usize),
            _ => None,
        }
    }

    /// A government by id; a state id with no listed governments names its implicit one.
    pub fn government(&self, sym: Sym) -> Option<&GovernmentRow<'s>> {
        match self.entity(sym)? {
            Entity::Government(i) => self.governments.get(i as usize),
            Entity::State(i) => {
                let implicit = self.states.get(i as usize)?.implicit?;
                self.governments.get(implicit as usize)
            }
            _ => None,
        }
    }

    pub fn mission(&self, sym: Sym) -> Option<&MissionRow<'s>> {
        match self.entity(sym)? {
            Entity::Mission(i) => self.missions.get(i as usize),
            _ => None,
        }
    }

    /// The relation record between two states in force at the date, if any.
    pub fn relation(&self, a: Sym, b: Sym) -> Option<&RelationRow<'s>> {
        let index = self.relation_of_pair.get(&pair([a, b]))?;
        self.relations.get(*index as usize)
    }

    /// How two states stand at the date: the status of the record in force;
    /// without one, `Established` if either has an open embassy in the
    /// other, else `None` (design §7).
    pub fn relation_status(&self, a: Sym, b: Sym) -> Option<RelationStatus> {
        match self.relation(a, b) {
            Some(row) => Some(row.record.status.value),
            None => self
                .embassy_pairs
                .get_or_init(|| {
                    // The missions are the open ones.
                    self.missions
                        .iter()
                        .filter(|m| m.record.kind.value == MissionKind::Embassy)
                        .map(|m| (pair([m.sender, m.receiver]), ()))
                        .collect()
                })
                .contains_key(&pair([a, b]))
                .then_some(RelationStatus::Established),
        }
    }

    /// An event on or before the date, by id.
    pub fn event(&self, sym: Sym) -> Option<&EventRow<'s>> {
        match self.entity(sym)? {
            Entity::Event(i) => self.events.get(i as usize),
            _ => None,
        }
    }

    /// The government in control of a state at the world's date.
    pub fn government_of(&self, state: Sym) -> Option<Sym> {
        self.state(state).and_then(|s| s.government)
    }

    /// How `by` recognises `of` (a government or a state) on `at`:
    /// an explicit record in force then (the latest; on a tie, the weakest);
    /// else the government's
    /// `default_recognition`; a state, or an implicit government, de jure.
    /// With no date (`at` unknown), only records without dates count.
    pub fn recognition(&self, by: Sym, of: Sym, at: Option<Date>) -> Option<Level> {
        if let Some(records) = self.recognition_history.get(&(by, of)) {
            let holding = records
                .iter()
                .filter(|r| match at {
                    Some(at) => in_force(value(&r.from), value(&r.until), at),
                    None => r.from.is_none() && r.until.is_none(),
                })
                // The latest record; of two that start together and disagree,
                // the weaker level (`none` before `de-facto` before `de-jure`),
                // whichever the file lists first.
                .max_by_key(|r| (value(&r.from), r.level.value));
            if let Some(record) = holding {
                return Some(record.level.value).filter(|l| *l != Level::NoRecognition);
            }
        }
        match self.entity(of)? {
            Entity::Government(i) => self
                .governments
                .get(i as usize)
                .and_then(|g| g.default_recognition)
                .filter(|l| *l != Level::NoRecognition),
            Entity::State(_) => Some(Level::DeJure),
            _ => None,
        }
    }
}

/// Whether `event` is a recall for consultations that makes `head`, in
/// office at `at`, absent then: the head in office on the event's `on` is
/// that head, and it has not returned (the event's `until`) by `at`.
fn recalls(mission: &Mission, event: &Event, head: &Head, at: Date) -> bool {
    if event.kind.value != EventKind::RecallForConsultations || event.on.value > at {
        return false;
    }
    let recalled = mission
        .heads
        .iter()
        .find(|h| in_force(value(&h.from), value(&h.until), event.on.value));
    let returned = event.until.as_ref().is_some_and(|u| u.value <= at);
    recalled.is_some_and(|r| std::ptr::eq(r, head)) && !returned
}

/// The head in office at `at`, if it acts ad interim then: a chargé
/// d'affaires a.i., or a head recalled for consultations.
fn acting_at(mission: &Mission, events: &[&Event], at: Date) -> bool {
    let head = mission
        .heads
        .iter()
        .find(|h| in_force(value(&h.from), value(&h.until), at));
    head.is_some_and(|h| {
        h.rank.value == Rank::ChargeDAffairesAi || events.iter().any(|e| recalls(mission, e, h, at))
    })
}

/// The start of the run of acting heads that leads `mission` without
/// interruption up to `date` (design §7, `prolonged-acting-head`). Whether
/// a head acts changes only at a head's `from` or `until` and a recall's
/// `on` or `until`: walking those dates back from `date`, the run starts at
/// the earliest from which every period up to `date` is acting. `None` if
/// the head at `date` is not acting, or the run goes back to "since ever"
/// (a head with no `from`, whose start is unknown).
fn acting_since(mission: &Mission, events: &[&Event], date: Date) -> Option<Date> {
    if !acting_at(mission, events, date) {
        return None;
    }
    let mut bounds: Vec<Date> = mission
        .heads
        .iter()
        .flat_map(|h| [value(&h.from), value(&h.until)])
        .chain(
            events
                .iter()
                .filter(|e| e.kind.value == EventKind::RecallForConsultations)
                .flat_map(|e| [Some(e.on.value), value(&e.until)]),
        )
        .flatten()
        .filter(|d| *d <= date)
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut since = None;
    let mut interrupted = false;
    // Each bound starts a period in which acting does not change.
    for bound in bounds.iter().rev() {
        if !acting_at(mission, events, *bound) {
            interrupted = true;
            break;
        }
        since = Some(*bound);
    }
    // Acting before the first bound too: the run has no known start.
    let since = match since.and_then(|first| first.add_days(-1)) {
        Some(before) if !interrupted && acting_at(mission, events, before) => None,
        _ => since,
    };
    // A full date, however the bound was written (`2018-04` and
    // `2018-04-01` may both be written and are one bound).
    since.and_then(|d| d.add_days(0))
}

/// The diplomats that expulsions have removed from a staff count by `date`:
/// each expulsion of the mission takes its `diplomats` from `on +
/// notice_days` on, until a staff count from that day or later replaces the
/// count (it already says how many stayed).
fn expelled(staff: &Staff, events: &[&Event], date: Date) -> u32 {
    events
        .iter()
        .filter(|e| e.kind.value == EventKind::Expulsion)
        .filter_map(|e| {
            let effective = e.on.value.add_days(i64::from(e.notice_days))?;
            let replaced = value(&staff.from).is_some_and(|from| from >= effective);
            (effective <= date && !replaced).then(|| e.diplomats.as_ref().map_or(0, |d| d.value))
        })
        .fold(0, u32::saturating_add)
}

/// A pair of states in a fixed order: relations have none.
fn pair([a, b]: [Sym; 2]) -> (Sym, Sym) {
    if a <= b { (a, b) } else { (b, a) }
}

fn value<T: Copy>(at: &Option<super::model::At<T>>) -> Option<T> {
    at.as_ref().map(|a| a.value)
}

/// How the rows of one collection differ between two worlds of a scenario.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RowChanges {
    /// `(row before, row after)` of records in both whose rows differ.
    pub changed: Vec<(u32, u32)>,
    /// Rows before of the records that went.
    pub gone: Vec<u32>,
    /// Rows after of the records that came.
    pub came: Vec<u32>,
}

impl RowChanges {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.gone.is_empty() && self.came.is_empty()
    }
}

/// What differs between two worlds of one scenario (at two dates), record
/// by record: what `engine::timeline` re-evaluates between two points.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Differences {
    pub states: RowChanges,
    pub governments: RowChanges,
    pub missions: RowChanges,
    pub recognitions: RowChanges,
    pub relations: RowChanges,
    pub events: RowChanges,
}

impl<'s> World<'s> {
    /// How this world differs from `before`, a world of the same scenario;
    /// `None` if they are of different scenarios.
    pub fn differences(&self, before: &World<'s>) -> Option<Differences> {
        // Ids are interned in file order whatever the date (`build`), so
        // the syms of two worlds of one scenario name the same ids.
        if !std::ptr::eq(self.scenario, before.scenario) {
            return None;
        }
        Some(Differences {
            states: in_place(&before.states, &self.states, |a, b| {
                let StateRow {
                    record,
                    sym,
                    government,
                    implicit,
                } = a;
                std::ptr::eq(*record, b.record)
                    && *sym == b.sym
                    && *government == b.government
                    && *implicit == b.implicit
            })?,
            governments: in_place(&before.governments, &self.governments, |a, b| a == b)?,
            missions: in_order(
                &before.missions,
                &self.missions,
                |m| address(m.record),
                |a, b| self.same_mission(before, a, b),
            ),
            recognitions: in_order(
                &before.recognitions,
                &self.recognitions,
                |r| address(r.record),
                |a, b| a.by == b.by && a.of == b.of,
            ),
            relations: in_order(
                &before.relations,
                &self.relations,
                |r| address(r.record),
                |a, b| a.between == b.between,
            ),
            events: in_order(
                &before.events,
                &self.events,
                |e| address(e.record),
                |a, b| a.sym == b.sym && a.by == b.by && a.mission == b.mission,
            ),
        })
    }

    /// Whether a mission's row here (`b`) says what its row in `before`
    /// (`a`) says, the relations between its states included. Every field
    /// of the row is named, so that a new one cannot be left out.
    fn same_mission(&self, before: &World<'s>, a: &MissionRow<'s>, b: &MissionRow<'s>) -> bool {
        let MissionRow {
            record,
            sym,
            sender,
            receiver,
            run_by,
            head,
            credentials_to,
            staff,
            protecting_power,
            relation,
            absent,
            acting_since,
        } = a;
        let relation_record = |world: &World<'s>, row: Option<u32>| {
            row.and_then(|i| world.relations.get(i as usize))
                .map(|r| address(r.record))
        };
        std::ptr::eq(*record, b.record)
            && *sym == b.sym
            && *sender == b.sender
            && *receiver == b.receiver
            && *run_by == b.run_by
            && match (head, b.head) {
                (Some(x), Some(y)) => std::ptr::eq(*x, y),
                (None, None) => true,
                _ => false,
            }
            && *credentials_to == b.credentials_to
            && *staff == b.staff
            && *protecting_power == b.protecting_power
            && relation_record(before, *relation) == relation_record(self, b.relation)
            && *absent == b.absent
            && *acting_since == b.acting_since
            && before.relation_status(a.sender, a.receiver)
                == self.relation_status(b.sender, b.receiver)
    }
}

impl PartialEq for GovernmentRow<'_> {
    fn eq(&self, b: &Self) -> bool {
        let GovernmentRow {
            record,
            sym,
            state,
            in_control,
            default_recognition,
            span,
        } = self;
        let same_record = match (record, b.record) {
            (Some(x), Some(y)) => std::ptr::eq(*x, y),
            (None, None) => true,
            _ => false,
        };
        same_record
            && *sym == b.sym
            && *state == b.state
            && *in_control == b.in_control
            && *default_recognition == b.default_recognition
            && *span == b.span
    }
}

/// Where a record is: its identity across the worlds of one scenario.
fn address<T>(record: &T) -> usize {
    record as *const T as usize
}

/// Rows that are the same records at the same places in both (every state
/// and government is in every world); `None` if the counts differ.
fn in_place<T>(before: &[T], after: &[T], same: impl Fn(&T, &T) -> bool) -> Option<RowChanges> {
    if before.len() != after.len() {
        return None;
    }
    let mut changes = RowChanges::default();
    for (i, (a, b)) in before.iter().zip(after).enumerate() {
        if !same(a, b) {
            changes.changed.push((i as u32, i as u32));
        }
    }
    Some(changes)
}

/// Rows of records taken from one list of the scenario in its order (so in
/// the order of their places in memory), matched by record.
fn in_order<T>(
    before: &[T],
    after: &[T],
    record: impl Fn(&T) -> usize,
    same: impl Fn(&T, &T) -> bool,
) -> RowChanges {
    let mut changes = RowChanges::default();
    let (mut i, mut j) = (0usize, 0usize);
    loop {
        match (before.get(i), after.get(j)) {
            (Some(a), Some(b)) => match record(a).cmp(&record(b)) {
                std::cmp::Ordering::Equal => {
                    if !same(a, b) {
                        changes.changed.push((i as u32, j as u32));
                    }
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    changes.gone.push(i as u32);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    changes.came.push(j as u32);
                    j += 1;
                }
            },
            (Some(_), None) => {
                changes.gone.push(i as u32);
                i += 1;
            }
            (None, Some(_)) => {
                changes.came.push(j as u32);
                j += 1;
            }
            (None, None) => break,
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::scenario::model::At;

    fn kabul() -> Scenario {
        let text = include_str!("../../fixtures/kabul-2024-09.yaml");
        let limits = super::super::yaml::YamlLimits::default();
        super::super::load::load_str(text, "kabul-2024-09.yaml", &limits).unwrap()
    }

    fn on(date: &str) -> Date {
        Date::parse(date).unwrap()
    }

    /// A world differs from itself in nothing; across the Taliban's taking
    /// of Kabul (2021-08-15) the governments' control changes, and rows
    /// are matched by record whatever their places.
    #[test]
    fn worlds_differ_record_by_record() {
        let scenario = kabul();
        let before = World::at(&scenario, on("2021-08-14"));
        assert_eq!(
            World::at(&scenario, on("2021-08-14")).differences(&before),
            Some(Differences::default())
        );
        let other = kabul();
        assert_eq!(
            World::at(&other, on("2021-08-14")).differences(&before),
            None
        );
        let after = World::at(&scenario, on("2021-08-16"));
        let differences = after.differences(&before).unwrap();
        assert!(
            !differences.governments.changed.is_empty(),
            "{differences:#?}"
        );
        for &(was, is) in &differences.missions.changed {
            let (a, b) = (&before.missions[was as usize], &after.missions[is as usize]);
            assert!(std::ptr::eq(a.record, b.record));
        }
        // SYNTHETIC: one mission that closes, one that opens, one that stays.
        let text = "scenario: t\nas_of: 2020-01-01\nstates:\n  - { id: A }\n  - { id: B }\nmissions:\n  - { id: m1, sender: A, receiver: B, kind: embassy, until: 2019-01-01 }\n  - { id: m2, sender: B, receiver: A, kind: embassy }\n  - { id: m3, sender: A, receiver: B, kind: consulate, from: 2019-06-01 }\n";
        let limits = super::super::yaml::YamlLimits::default();
        let scenario = super::super::load::load_str(text, "t.yaml", &limits).unwrap();
        let before = World::at(&scenario, on("2018-01-01"));
        let later = World::at(&scenario, on("2020-01-01"));
        let differences = later.differences(&before).unwrap();
        let went: Vec<&str> = differences
            .missions
            .gone
            .iter()
            .map(|&row| before.missions[row as usize].record.id.value.as_str())
            .collect();
        let came: Vec<&str> = differences
            .missions
            .came
            .iter()
            .map(|&row| later.missions[row as usize].record.id.value.as_str())
            .collect();
        let open = |w: &World, id: &str| w.missions.iter().any(|m| m.record.id.value == id);
        assert!(went.iter().all(|id| open(&before, id) && !open(&later, id)));
        assert!(came.iter().all(|id| !open(&before, id) && open(&later, id)));
        assert_eq!((went, came), (vec!["m1"], vec!["m3"]));
        // m2 stays, at another row, saying what it said (its own embassy
        // keeps the two states' relations established).
        assert!(differences.missions.changed.is_empty(), "{differences:#?}");
        assert_eq!(before.missions[1].record.id.value, "m2");
        assert_eq!(later.missions[0].record.id.value, "m2");
    }

    /// Closing a mission takes its row out and puts the last in its place,
    /// naming both rows; the moved mission is found at its new row.
    #[test]
    fn a_closed_mission_gives_its_row_to_the_last() {
        let scenario = kabul();
        let date = on("2024-09-01");
        let world = World::at(&scenario, date);
        let last = world.missions.len() as u32 - 1;
        let mut closed = world.missions[0].record.clone();
        closed.until = Some(At::new(date, closed.span));
        let mut changed = world.clone();
        let rows = changed.change_missions(&[(0, &closed)]).unwrap();
        assert_eq!(rows, [0, last]);
        assert_eq!(changed.missions.len(), world.missions.len() - 1);
        let moved = world.missions[last as usize].sym;
        assert_eq!(changed.missions[0].sym, moved);
        assert_eq!(changed.mission(moved).map(|m| m.sym), Some(moved));
        assert!(changed.mission(world.missions[0].sym).is_none());
    }
}
