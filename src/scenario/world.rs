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

#[derive(Debug, Clone, Copy)]
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
    /// How its sender and receiver stand at the date (`World::relation_status`),
    /// set with the world's relations: read by rules and compared from
    /// world to world for every mission, it is worked out once.
    pub relation_status: Option<RelationStatus>,
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

/// Every id of a scenario interned, and each record's ids as syms: the
/// same at every date, so built once per scenario and shared by the worlds
/// built from it (a timeline builds one per point), which then hash no id
/// by its text. Syms are numbered in file order.
#[derive(Debug)]
pub struct Interned<'s> {
    scenario: &'s Scenario,
    /// Ids borrow from the scenario: interning allocates nothing per id.
    names: Vec<&'s str>,
    index: FastMap<&'s str, Sym>,
    /// Each state's sym, and whether it has listed governments.
    states: Vec<(Sym, bool)>,
    /// Each listed government's sym and its state's.
    governments: Vec<[Sym; 2]>,
    /// The listed governments of each state that has any, by state sym.
    listed: Vec<(Sym, Vec<&'s Government>)>,
    /// Each recognition's `by` and `of`.
    recognitions: Vec<[Sym; 2]>,
    /// Every recognition record, by (by, of).
    history: std::sync::Arc<FastMap<(Sym, Sym), Vec<&'s Recognition>>>,
    missions: Vec<MissionSyms>,
    /// The heads of every mission, each mission's in a run (`MissionSyms::heads`):
    /// a world finds every mission's head in office, and the heads' own
    /// records are large and far apart.
    heads: Vec<HeadSyms>,
    /// The staff counts of every mission, each mission's in a run, for the same reason.
    staff: Vec<StaffSyms>,
    /// Each mission's events, by the mission's sym, in file order.
    events_of: FastMap<Sym, Vec<&'s Event>>,
    /// Each relation's two states, in the order written.
    relations: Vec<[Sym; 2]>,
    /// Each event's sym, `by` and mission.
    events: Vec<(Sym, Option<Sym>, Sym)>,
    /// The dates on which a mission's row may change, with the mission's
    /// place in the scenario's list, by date: its own period and those of
    /// its heads and staff counts, its recalls' and their returns, the days
    /// its expulsions take effect (`World::after` derives only these rows).
    mission_bounds: Vec<(Date, u32)>,
}

/// A mission's ids as syms.
#[derive(Debug, Clone, Copy)]
struct MissionSyms {
    sym: Sym,
    sender: Sym,
    receiver: Sym,
    run_by: Option<Sym>,
    protecting_power: Option<Sym>,
    /// Where its heads start in `Interned::heads`, and how many.
    heads: (u32, u32),
    /// Where its staff counts start in `Interned::staff`, and how many.
    staff: (u32, u32),
}

/// What a mission's row is derived from besides its record: its heads'
/// and staff counts' compact copies, and its events.
#[derive(Clone, Copy)]
struct Records<'a, 's> {
    heads: &'a [HeadSyms],
    staff: &'a [StaffSyms],
    events: &'a [&'s Event],
}

/// A head's period, whether the head is a chargé d'affaires a.i., and
/// `credentials.to`.
#[derive(Debug, Clone, Copy)]
struct HeadSyms {
    from: Option<Date>,
    until: Option<Date>,
    ad_interim: bool,
    credentials_to: Option<Sym>,
}

/// A staff count and its period.
#[derive(Debug, Clone, Copy)]
struct StaffSyms {
    from: Option<Date>,
    until: Option<Date>,
    diplomats: u32,
}

impl HeadSyms {
    fn of(head: &Head, credentials_to: Option<Sym>) -> HeadSyms {
        HeadSyms {
            from: value(&head.from),
            until: value(&head.until),
            ad_interim: head.rank.value == Rank::ChargeDAffairesAi,
            credentials_to,
        }
    }
}

impl StaffSyms {
    fn of(staff: &Staff) -> StaffSyms {
        StaffSyms {
            from: value(&staff.from),
            until: value(&staff.until),
            diplomats: staff.diplomats,
        }
    }
}

impl<'s> Interned<'s> {
    /// Interns the ids of `scenario`, in the order its worlds have always
    /// numbered them.
    pub fn of(scenario: &'s Scenario) -> Interned<'s> {
        let mut interned = Interned {
            scenario,
            names: Vec::new(),
            index: FastMap::default(),
            states: Vec::new(),
            governments: Vec::new(),
            listed: Vec::new(),
            recognitions: Vec::new(),
            history: Default::default(),
            missions: Vec::new(),
            heads: Vec::new(),
            staff: Vec::new(),
            events_of: FastMap::default(),
            relations: Vec::new(),
            events: Vec::new(),
            mission_bounds: Vec::new(),
        };
        let mut listed: FastMap<Sym, Vec<&'s Government>> = FastMap::default();
        for government in &scenario.governments {
            let state = interned.intern(&government.state.value);
            listed.entry(state).or_default().push(government);
        }
        for state in &scenario.states {
            let sym = interned.intern(&state.id.value);
            interned.states.push((sym, listed.contains_key(&sym)));
        }
        for government in &scenario.governments {
            let sym = interned.intern(&government.id.value);
            let state = interned.intern(&government.state.value);
            interned.governments.push([sym, state]);
        }
        let mut listed: Vec<(Sym, Vec<&'s Government>)> = listed.into_iter().collect();
        listed.sort_unstable_by_key(|(state, _)| *state);
        interned.listed = listed;
        let mut history: FastMap<(Sym, Sym), Vec<&'s Recognition>> = FastMap::default();
        for recognition in &scenario.recognitions {
            let by = interned.intern(&recognition.by.value);
            let of = interned.intern(&recognition.of.value);
            history.entry((by, of)).or_default().push(recognition);
            interned.recognitions.push([by, of]);
        }
        interned.history = std::sync::Arc::new(history);
        for mission in &scenario.missions {
            let sym = interned.intern(&mission.id.value);
            let sender = interned.intern(&mission.sender.value);
            let receiver = interned.intern(&mission.receiver.value);
            let run_by = mission.run_by.as_ref().map(|r| interned.intern(&r.value));
            let first = interned.heads.len() as u32;
            for head in &mission.heads {
                let credentials_to = head
                    .credentials
                    .as_ref()
                    .map(|c| interned.intern(&c.to.value));
                interned.heads.push(HeadSyms::of(head, credentials_to));
            }
            let first_staff = interned.staff.len() as u32;
            interned
                .staff
                .extend(mission.staff.iter().map(StaffSyms::of));
            let protecting_power = mission
                .protecting_power
                .as_ref()
                .map(|p| interned.intern(&p.value));
            interned.missions.push(MissionSyms {
                sym,
                sender,
                receiver,
                run_by,
                protecting_power,
                heads: (first, mission.heads.len() as u32),
                staff: (first_staff, mission.staff.len() as u32),
            });
        }
        for relation in &scenario.relations {
            let [a, b] = &relation.between;
            let between = [interned.intern(&a.value), interned.intern(&b.value)];
            interned.relations.push(between);
        }
        for event in &scenario.events {
            let sym = interned.intern(&event.id.value);
            let by = event.by.as_ref().map(|b| interned.intern(&b.value));
            let mission = interned.intern(&event.mission.value);
            interned.events.push((sym, by, mission));
            interned.events_of.entry(mission).or_default().push(event);
        }
        interned.mission_bounds = interned.bounds_of_missions();
        interned
    }

    /// Every date on which an open mission's row may differ from the day
    /// before's (`mission_row`): the `from` and `until` of the mission, of
    /// its heads and staff counts, the `on` and `until` of its recalls, and
    /// the day each expulsion takes effect; in date order.
    /// For each of `points` (ascending), how many missions are open there
    /// and how many bounds of missions fall since the point before: what a
    /// timeline's point costs, roughly (`engine::timeline` shares points
    /// out among threads by it).
    pub fn point_sizes(&self, points: &[Date]) -> Vec<(usize, usize)> {
        let mut opened: Vec<Date> = Vec::new();
        let mut closed: Vec<Date> = Vec::new();
        let mut always = 0usize;
        for mission in &self.scenario.missions {
            match value(&mission.from) {
                Some(from) => opened.push(from),
                None => always += 1,
            }
            if let Some(until) = value(&mission.until) {
                closed.push(until);
            }
        }
        opened.sort_unstable();
        closed.sort_unstable();
        let bounds = &self.mission_bounds;
        // The bounds up to the point before (none before the first).
        let mut passed = 0usize;
        points
            .iter()
            .map(|&date| {
                let open = (always + opened.partition_point(|d| *d <= date))
                    .saturating_sub(closed.partition_point(|d| *d <= date));
                let end = bounds.partition_point(|(on, _)| *on <= date);
                let since = end.saturating_sub(passed);
                passed = end;
                (open, since)
            })
            .collect()
    }

    fn bounds_of_missions(&self) -> Vec<(Date, u32)> {
        let mut bounds = Vec::new();
        for (place, (mission, syms)) in self
            .scenario
            .missions
            .iter()
            .zip(&self.missions)
            .enumerate()
        {
            let place = place as u32;
            let mut add = |date: Option<Date>| {
                if let Some(date) = date {
                    bounds.push((date, place));
                }
            };
            add(value(&mission.from));
            add(value(&mission.until));
            for head in self.heads_of(syms) {
                add(head.from);
                add(head.until);
            }
            for staff in self.staff_of(syms) {
                add(staff.from);
                add(staff.until);
            }
            for event in self.events_of(syms.sym) {
                match event.kind.value {
                    EventKind::RecallForConsultations => {
                        add(Some(event.on.value));
                        add(value(&event.until));
                    }
                    EventKind::Expulsion => {
                        add(event.on.value.add_days(i64::from(event.notice_days)));
                    }
                    // Read by rules from the event itself; no row holds it.
                    EventKind::PersonaNonGrata => {}
                }
            }
        }
        bounds.sort_unstable();
        bounds.dedup();
        bounds
    }

    fn intern(&mut self, id: &'s str) -> Sym {
        if let Some(sym) = self.index.get(id) {
            return *sym;
        }
        let sym = self.names.len() as Sym;
        self.names.push(id);
        self.index.insert(id, sym);
        sym
    }

    /// The syms of a mission record that is not the scenario's (a changed
    /// one) and of its heads, or `None` if it names an id the scenario
    /// does not have.
    fn mission_syms(
        &self,
        mission: &Mission,
    ) -> Option<(MissionSyms, Vec<HeadSyms>, Vec<StaffSyms>)> {
        let sym = |id: &str| self.index.get(id).copied();
        let optional = |id: Option<&str>| match id {
            Some(id) => sym(id).map(Some),
            None => Some(None),
        };
        let heads = mission
            .heads
            .iter()
            .map(|h| {
                let to = optional(h.credentials.as_ref().map(|c| c.to.value.as_str()))?;
                Some(HeadSyms::of(h, to))
            })
            .collect::<Option<Vec<_>>>()?;
        let staff: Vec<StaffSyms> = mission.staff.iter().map(StaffSyms::of).collect();
        let syms = MissionSyms {
            sym: sym(&mission.id.value)?,
            sender: sym(&mission.sender.value)?,
            receiver: sym(&mission.receiver.value)?,
            run_by: optional(mission.run_by.as_ref().map(|r| r.value.as_str()))?,
            protecting_power: optional(
                mission.protecting_power.as_ref().map(|p| p.value.as_str()),
            )?,
            heads: (0, heads.len() as u32),
            staff: (0, staff.len() as u32),
        };
        Some((syms, heads, staff))
    }

    /// The heads of one of the scenario's missions.
    fn heads_of(&self, syms: &MissionSyms) -> &[HeadSyms] {
        let (first, count) = syms.heads;
        self.heads
            .get(first as usize..(first + count) as usize)
            .unwrap_or_default()
    }

    /// The staff counts of one of the scenario's missions.
    fn staff_of(&self, syms: &MissionSyms) -> &[StaffSyms] {
        let (first, count) = syms.staff;
        self.staff
            .get(first as usize..(first + count) as usize)
            .unwrap_or_default()
    }

    fn events_of(&self, mission: Sym) -> &[&'s Event] {
        self.events_of.get(&mission).map_or(&[][..], Vec::as_slice)
    }
}

/// The scenario seen at one date. Collections hold what is in force then:
/// open missions, all states and governments (listed and implicit),
/// recognitions and relation records in force, events on or before the date.
#[derive(Debug, Clone)]
pub struct World<'s> {
    pub scenario: &'s Scenario,
    pub date: Date,
    /// The scenario's ids, shared by all its worlds.
    interned: std::sync::Arc<Interned<'s>>,
    /// What each sym names at the date.
    entities: Vec<Entity>,
    pub states: Vec<StateRow<'s>>,
    pub governments: Vec<GovernmentRow<'s>>,
    pub missions: Vec<MissionRow<'s>>,
    pub recognitions: Vec<RecognitionRow<'s>>,
    pub relations: Vec<RelationRow<'s>>,
    pub events: Vec<EventRow<'s>>,
    /// The relation record in force for each pair (in `pair` order), by index in `relations`.
    relation_of_pair: FastMap<(Sym, Sym), u32>,
    /// The pairs with an open embassy either way, found as the world is
    /// built (each mission's `relation_status`) and again after an embassy
    /// closes (`change_missions`).
    embassy_pairs: std::sync::OnceLock<FastMap<(Sym, Sym), ()>>,
    /// Every recognition record (any date), by (by, of), for look-ups at other dates.
    /// Shared, not copied, by a world derived from this one (`change_recognitions`).
    recognition_history: std::sync::Arc<FastMap<(Sym, Sym), Vec<&'s Recognition>>>,
    /// Where this world's mission rows are those of the world at the date
    /// given (the last point's, `World::after`) in their places but for
    /// the rows given, derived again: `differences` with that world
    /// compares those rows only, not every row.
    missions_derived: Option<(Date, Vec<u32>)>,
    /// Whether `change_missions` changed its rows since it was built.
    edited: bool,
}

impl<'s> World<'s> {
    /// Builds the world of a validated scenario at `date`.
    pub fn at(scenario: &'s Scenario, date: Date) -> World<'s> {
        World::of(&std::sync::Arc::new(Interned::of(scenario)), date)
    }

    /// Builds the world at `date` of the scenario whose ids `interned` holds.
    pub fn of(interned: &std::sync::Arc<Interned<'s>>, date: Date) -> World<'s> {
        let mut world = World::empty(interned, date);
        world.build(None);
        world
    }

    /// The world at `date`, a later date than `last`'s, derived from `last`
    /// (a timeline's previous point): the rows of the missions with a bound
    /// between the two dates (`Interned::mission_bounds`) are derived
    /// anew, the others' copied; states, governments, recognitions,
    /// relations and events, few or cheap, are built whole. The same world
    /// as `World::of` (tested).
    pub fn after(last: &World<'s>, date: Date) -> World<'s> {
        let interned = &last.interned;
        if date <= last.date {
            return World::of(interned, date);
        }
        let bounds = &interned.mission_bounds;
        let first = bounds.partition_point(|(on, _)| *on <= last.date);
        let end = bounds.partition_point(|(on, _)| *on <= date);
        let missions = interned.missions.len();
        // Most missions change: deriving each is as cheap.
        if end.saturating_sub(first) > missions / 2 {
            return World::of(interned, date);
        }
        let mut anew = vec![false; missions];
        for (_, place) in bounds.get(first..end).unwrap_or_default() {
            if let Some(flag) = anew.get_mut(*place as usize) {
                *flag = true;
            }
        }
        let mut world = World::empty(interned, date);
        world.build(Some((last, &anew)));
        world
    }

    fn empty(interned: &std::sync::Arc<Interned<'s>>, date: Date) -> World<'s> {
        World {
            scenario: interned.scenario,
            date,
            interned: std::sync::Arc::clone(interned),
            entities: vec![Entity::Unknown; interned.names.len()],
            states: Vec::new(),
            governments: Vec::new(),
            missions: Vec::new(),
            recognitions: Vec::new(),
            relations: Vec::new(),
            events: Vec::new(),
            relation_of_pair: FastMap::default(),
            embassy_pairs: std::sync::OnceLock::new(),
            recognition_history: std::sync::Arc::clone(&interned.history),
            missions_derived: None,
            edited: false,
        }
    }

    /// The scenario's ids, to build its world at other dates (`World::of`).
    pub fn interned(&self) -> &std::sync::Arc<Interned<'s>> {
        &self.interned
    }

    /// Builds the world; with `last`, a world of an earlier date, copying
    /// the rows of the missions not marked in `anew` from it.
    fn build(&mut self, last: Option<(&World<'s>, &[bool])>) {
        let scenario = self.scenario;
        let date = self.date;
        let interned = std::sync::Arc::clone(&self.interned);
        for (state, &(sym, listed)) in scenario.states.iter().zip(&interned.states) {
            let index = self.states.len() as u32;
            self.set_entity(sym, Entity::State(index));
            // A state with no listed government has one, named by its own id,
            // always in control and recognised de jure by default.
            let implicit = !listed;
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
        for (government, &[sym, state]) in scenario.governments.iter().zip(&interned.governments) {
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
        for (state, governments) in &interned.listed {
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
        for (recognition, &[by, of]) in scenario.recognitions.iter().zip(&interned.recognitions) {
            if in_force(value(&recognition.from), value(&recognition.until), date) {
                self.recognitions.push(RecognitionRow {
                    record: recognition,
                    by,
                    of,
                });
            }
        }
        if let Some((last, anew)) = last
            && let Some(fresh) = self.missions_in_place(last, anew)
        {
            if self.derive_relations(last, &fresh, &FastMap::default()) {
                let derived = (0u32..)
                    .zip(&fresh)
                    .filter(|(_, f)| **f)
                    .map(|(row, _)| row);
                self.missions_derived = Some((last.date, derived.collect()));
            }
            self.build_events(false);
            return;
        }
        // With `last`: the rows derived anew, and the pairs of the embassies
        // that opened or closed.
        let mut fresh: Vec<bool> = Vec::new();
        let mut embassies_changed: FastMap<(Sym, Sym), ()> = FastMap::default();
        for (place, (mission, syms)) in scenario.missions.iter().zip(&interned.missions).enumerate()
        {
            let derived = match last {
                Some((_, anew)) => anew.get(place).copied().unwrap_or(true),
                None => true,
            };
            let row = match last {
                Some((last, _)) if !derived => {
                    // No bound of its own between the dates: its row is
                    // as it was, but for the government its sender had.
                    last.row_of(syms.sym, mission).map(|row| MissionRow {
                        run_by: syms.run_by.or_else(|| self.government_of(syms.sender)),
                        ..*row
                    })
                }
                _ => {
                    let row = self.derived_row(&interned, mission, syms);
                    if let Some((last, _)) = last {
                        let was = last.row_of(syms.sym, mission);
                        if mission.kind.value == MissionKind::Embassy
                            && was.is_some() != row.is_some()
                        {
                            embassies_changed.insert(pair([syms.sender, syms.receiver]), ());
                        }
                    }
                    row
                }
            };
            if let Some(row) = row {
                let index = self.missions.len() as u32;
                self.set_entity(row.sym, Entity::Mission(index));
                self.missions.push(row);
                fresh.push(derived);
            }
        }
        match last {
            Some((last, _)) => {
                self.derive_relations(last, &fresh, &embassies_changed);
                self.build_events(false);
            }
            None => {
                self.build_relations();
                self.build_events(true);
            }
        }
    }

    /// The missions' rows of `last` copied whole, those of the missions
    /// marked in `anew` derived again in place: each row's flag, whether
    /// derived (as `derive_relations` takes them). `None`, with nothing
    /// changed, where the rows would not stay in their places (a mission
    /// marked opened or closed) or a state's government changed (every
    /// row's `run_by` may): then they are built one by one.
    fn missions_in_place(&mut self, last: &World<'s>, anew: &[bool]) -> Option<Vec<bool>> {
        let same_governments = self.states.len() == last.states.len()
            && self
                .states
                .iter()
                .zip(&last.states)
                .all(|(a, b)| a.government == b.government);
        if !same_governments {
            return None;
        }
        let interned = std::sync::Arc::clone(&self.interned);
        let mut missions = last.missions.clone();
        let mut fresh = vec![false; missions.len()];
        for (place, _) in anew.iter().enumerate().filter(|(_, marked)| **marked) {
            let (mission, syms) = (
                self.scenario.missions.get(place)?,
                interned.missions.get(place)?,
            );
            let was = last.place_of(syms.sym, mission).map(|row| row as usize);
            match (was, self.derived_row(&interned, mission, syms)) {
                (Some(row), Some(derived)) => {
                    *missions.get_mut(row)? = derived;
                    *fresh.get_mut(row)? = true;
                }
                (None, None) => {}
                // Opened or closed: the rows after it move.
                _ => return None,
            }
        }
        for (row, mission) in missions.iter().enumerate() {
            self.set_entity(mission.sym, Entity::Mission(row as u32));
        }
        self.missions = missions;
        Some(fresh)
    }

    /// The row of `mission` (of sym `sym`) at this world's date, derived
    /// from its records, with its head's absence (as `build_events` finds
    /// it for a world built whole); `None` if it is not open.
    fn derived_row(
        &self,
        interned: &Interned<'s>,
        mission: &'s Mission,
        syms: &MissionSyms,
    ) -> Option<MissionRow<'s>> {
        let events = interned.events_of(syms.sym);
        let records = Records {
            heads: interned.heads_of(syms),
            staff: interned.staff_of(syms),
            events,
        };
        self.mission_row(mission, syms, records).map(|mut row| {
            row.absent = row
                .head
                .is_some_and(|head| events.iter().any(|e| recalls(mission, e, head, self.date)));
            row
        })
    }

    /// The place of `mission`'s row (of sym `sym`), if it is open.
    fn place_of(&self, sym: Sym, mission: &Mission) -> Option<u32> {
        match self.entity(sym)? {
            Entity::Mission(row) => self
                .missions
                .get(row as usize)
                .is_some_and(|r| std::ptr::eq(r.record, mission))
                .then_some(row),
            _ => None,
        }
    }

    /// The row of `mission` (of sym `sym`), if it is open.
    fn row_of(&self, sym: Sym, mission: &Mission) -> Option<&MissionRow<'s>> {
        self.missions.get(self.place_of(sym, mission)? as usize)
    }

    /// The relations in force, and each mission's record and status among
    /// them, from those of `last` where they hold: a row copied from `last`
    /// (not `fresh`) keeps its own unless the relations in force differ or
    /// an embassy of its pair opened or closed (`embassies_changed`).
    /// Whether every row copied from `last` kept its own.
    fn derive_relations(
        &mut self,
        last: &World<'s>,
        fresh: &[bool],
        embassies_changed: &FastMap<(Sym, Sym), ()>,
    ) -> bool {
        self.relations_in_force();
        let same_relations = self.relations.len() == last.relations.len()
            && self
                .relations
                .iter()
                .zip(&last.relations)
                .all(|(a, b)| std::ptr::eq(a.record, b.record));
        if !same_relations {
            self.relation_of_missions(|_| true);
            self.set_relation_statuses(|_, _| true);
            return false;
        }
        if embassies_changed.is_empty()
            && let Some(pairs) = last.embassy_pairs.get()
        {
            let _ = self.embassy_pairs.set(pairs.clone());
        }
        let is_fresh = |row: usize| fresh.get(row).copied().unwrap_or(true);
        self.relation_of_missions(is_fresh);
        self.set_relation_statuses(|row, m| {
            is_fresh(row) || embassies_changed.contains_key(&pair([m.sender, m.receiver]))
        });
        embassies_changed.is_empty()
    }

    /// A mission's row at the date, or none if it is not open then. Its
    /// `relation` and `absent` are set with the world's relations and events.
    fn mission_row(
        &self,
        mission: &'s Mission,
        syms: &MissionSyms,
        Records {
            heads,
            staff,
            events,
        }: Records<'_, 's>,
    ) -> Option<MissionRow<'s>> {
        let date = self.date;
        let MissionSyms {
            sym,
            sender,
            receiver,
            ..
        } = *syms;
        let run_by = syms.run_by.or_else(|| self.government_of(sender));
        if !in_force(value(&mission.from), value(&mission.until), date) {
            return None;
        }
        // Found among the compact periods: the heads' records are read
        // only for the one in office.
        let position = heads
            .iter()
            .position(|h| in_force(h.from, h.until, date))
            .unwrap_or(usize::MAX);
        let (head, credentials_to) = mission
            .heads
            .get(position)
            .zip(heads.get(position))
            .map_or((None, None), |(head, syms)| {
                (Some(head), syms.credentials_to)
            });
        let staff = staff
            .iter()
            .filter(|s| in_force(s.from, s.until, date))
            // The latest count; of two that start together, the larger,
            // whichever the file lists first.
            .max_by_key(|s| (s.from, s.diplomats))
            .map(|s| s.diplomats.saturating_sub(expelled(s.from, events, date)));
        // Whether the head in office acts (as `acting_at` finds) from the
        // compact heads first: most do not, and their records stay unread.
        let acting = head.zip(heads.get(position)).is_some_and(|(head, syms)| {
            syms.ad_interim || events.iter().any(|e| recalls(mission, e, head, date))
        });
        let acting_since = if acting {
            acting_since(mission, events, date)
        } else {
            None
        };
        let protecting_power = syms.protecting_power;
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
            relation_status: None,
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
    /// id, or an id the scenario does not have.
    pub fn change_missions(&mut self, changed: &[(u32, &'s Mission)]) -> Option<Vec<u32>> {
        self.edited = true;
        self.missions_derived = None;
        let interned = std::sync::Arc::clone(&self.interned);
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
            let (relation, relation_status) = (old.relation, old.relation_status);
            let (syms, heads, staff) = interned.mission_syms(mission)?;
            let records = Records {
                heads: &heads,
                staff: &staff,
                events: interned.events_of(syms.sym),
            };
            match self.mission_row(mission, &syms, records) {
                Some(mut new) => {
                    // Its states are the same, and so are their relations
                    // unless an embassy closed (below).
                    new.relation = relation;
                    new.relation_status = relation_status;
                    new.absent = new.head.is_some_and(|head| {
                        records
                            .events
                            .iter()
                            .any(|e| recalls(mission, e, head, self.date))
                    });
                    *self.missions.get_mut(row as usize)? = new;
                }
                None => closed.push(row),
            }
        }
        let mut rows: Vec<u32> = changed.iter().map(|(row, _)| *row).collect();
        if !closed.is_empty() {
            // Open embassies decide the relations of pairs without a record.
            self.embassy_pairs = std::sync::OnceLock::new();
            let mut pairs = Vec::new();
            for &row in closed.iter().rev() {
                let gone = self.missions.swap_remove(row as usize);
                self.set_entity(gone.sym, Entity::Unknown);
                if let Some(moved) = self.missions.get(row as usize) {
                    self.set_entity(moved.sym, Entity::Mission(row));
                }
                if gone.record.kind.value == MissionKind::Embassy {
                    pairs.push(pair([gone.sender, gone.receiver]));
                }
            }
            rows.extend(self.missions.len() as u32..before);
            if !pairs.is_empty() {
                self.set_relation_statuses(|_, m| pairs.contains(&pair([m.sender, m.receiver])));
            }
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
        self.relations_in_force();
        self.relation_of_missions(|_| true);
        self.set_relation_statuses(|_, _| true);
    }

    /// The relation records in force, by pair.
    fn relations_in_force(&mut self) {
        let scenario = self.scenario;
        let date = self.date;
        let interned = std::sync::Arc::clone(&self.interned);
        for (relation, &between) in scenario.relations.iter().zip(&interned.relations) {
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
    }

    /// Sets `relation` of the missions at the rows `which` picks.
    fn relation_of_missions(&mut self, which: impl Fn(usize) -> bool) {
        let by_pair = &self.relation_of_pair;
        for (row, m) in self.missions.iter_mut().enumerate() {
            if which(row) {
                m.relation = by_pair.get(&pair([m.sender, m.receiver])).copied();
            }
        }
    }

    /// Sets `relation_status` of the missions `which` picks (by row), as
    /// `relation_status` finds it, from their `relation`.
    fn set_relation_statuses(&mut self, which: impl Fn(usize, &MissionRow<'s>) -> bool) {
        let statuses: Vec<(usize, Option<RelationStatus>)> = self
            .missions
            .iter()
            .enumerate()
            .filter(|(row, m)| which(*row, m))
            .map(|(row, m)| (row, self.status_of(m.relation, m.sender, m.receiver)))
            .collect();
        for (row, status) in statuses {
            if let Some(m) = self.missions.get_mut(row) {
                m.relation_status = status;
            }
        }
    }

    /// The pairs with an open embassy either way.
    fn embassy_pairs(&self) -> &FastMap<(Sym, Sym), ()> {
        self.embassy_pairs.get_or_init(|| {
            // The missions are the open ones.
            self.missions
                .iter()
                .filter(|m| m.record.kind.value == MissionKind::Embassy)
                .map(|m| (pair([m.sender, m.receiver]), ()))
                .collect()
        })
    }

    /// The events on or before the date, and, if `absent`, which heads in
    /// office are absent (a world derived from another has found them).
    fn build_events(&mut self, absent: bool) {
        let scenario = self.scenario;
        let date = self.date;
        let interned = std::sync::Arc::clone(&self.interned);
        for (event, &(sym, by, mission)) in scenario.events.iter().zip(&interned.events) {
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
            if !absent || event.kind.value != EventKind::RecallForConsultations {
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

    fn set_entity(&mut self, sym: Sym, entity: Entity) {
        if let Some(slot) = self.entities.get_mut(sym as usize) {
            *slot = entity;
        }
    }

    /// The sym of an id, if any record or literal has it.
    pub fn sym(&self, id: &str) -> Option<Sym> {
        self.interned.index.get(id).copied()
    }

    pub fn name(&self, sym: Sym) -> &str {
        self.interned
            .names
            .get(sym as usize)
            .copied()
            .unwrap_or_default()
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
        self.status_of(self.relation_of_pair.get(&pair([a, b])).copied(), a, b)
    }

    /// How `a` and `b` stand, `relation` being the row of their record in
    /// force (`relation_status`).
    fn status_of(&self, relation: Option<u32>, a: Sym, b: Sym) -> Option<RelationStatus> {
        match relation.and_then(|i| self.relations.get(i as usize)) {
            Some(row) => Some(row.record.status.value),
            None => self
                .embassy_pairs()
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

/// The diplomats that expulsions have removed by `date` from a staff count
/// in force from `from`:
/// each expulsion of the mission takes its `diplomats` from `on +
/// notice_days` on, until a staff count from that day or later replaces the
/// count (it already says how many stayed).
fn expelled(from: Option<Date>, events: &[&Event], date: Date) -> u32 {
    events
        .iter()
        .filter(|e| e.kind.value == EventKind::Expulsion)
        .filter_map(|e| {
            let effective = e.on.value.add_days(i64::from(e.notice_days))?;
            let replaced = from.is_some_and(|from| from >= effective);
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
            missions: match &self.missions_derived {
                // The other rows are copies of `before`'s (`World::after`).
                Some((from, derived))
                    if *from == before.date
                        && !before.edited
                        && before.missions.len() == self.missions.len() =>
                {
                    let mut changes = RowChanges::default();
                    for &row in derived {
                        let (Some(a), Some(b)) = (
                            before.missions.get(row as usize),
                            self.missions.get(row as usize),
                        ) else {
                            continue;
                        };
                        if !self.same_mission(before, a, b) {
                            changes.changed.push((row, row));
                        }
                    }
                    changes
                }
                _ => in_order(
                    &before.missions,
                    &self.missions,
                    |m| address(m.record),
                    |a, b| self.same_mission(before, a, b),
                ),
            },
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
            relation_status,
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
            && *relation_status == b.relation_status
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

    /// What a world holds, as text, to compare two worlds whole.
    fn contents(world: &World) -> String {
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            world.entities,
            world.states,
            world.governments,
            world.missions,
            world.recognitions,
            world.relations,
            world.events,
            world.relation_of_pair,
        )
    }

    /// A world derived from an earlier one (a timeline's last point) is
    /// the world built whole at its date, at every change point of every
    /// fixture and the days either side, stepping from each to the next
    /// and skipping some (a lane of a timeline may start anywhere).
    #[test]
    fn a_world_derived_from_an_earlier_one_is_the_world_built_whole() {
        let fixtures = [
            include_str!("../../fixtures/canada-india-2023.yaml"),
            include_str!("../../fixtures/kabul-2024-09.yaml"),
            include_str!("../../fixtures/saudi-iran-2016-2023.yaml"),
            include_str!("../../fixtures/turkey-israel-2011-2022.yaml"),
            include_str!("../../fixtures/uk-prc-1954-1972.yaml"),
            include_str!("../../fixtures/us-cuba-1961-2015.yaml"),
            include_str!("../../fixtures/us-prc-1973-1979.yaml"),
        ];
        let limits = super::super::yaml::YamlLimits::default();
        let mut derived_missions = 0;
        for text in fixtures {
            let scenario = super::super::load::load_str(text, "f.yaml", &limits).unwrap();
            let mut dates: Vec<Date> = crate::engine::timeline::change_points(&scenario)
                .iter()
                .flat_map(|d| [d.add_days(-1), Some(*d), d.add_days(1)])
                .flatten()
                .collect();
            dates.sort_unstable();
            dates.dedup();
            let interned = std::sync::Arc::new(Interned::of(&scenario));
            for stride in [1, 3] {
                let Some(first) = dates.first() else {
                    continue;
                };
                let mut last = World::of(&interned, *first);
                for date in dates.iter().skip(stride).step_by(stride) {
                    let derived = World::after(&last, *date);
                    let whole = World::of(&interned, *date);
                    assert_eq!(contents(&derived), contents(&whole), "on {date}");
                    assert_eq!(derived.differences(&whole), Some(Differences::default()));
                    // Compared with the world it came from, only the rows it
                    // derived again (`missions_derived`), as every row is.
                    assert_eq!(
                        derived.differences(&last),
                        whole.differences(&last),
                        "on {date}"
                    );
                    derived_missions += derived.missions.len();
                    last = derived;
                }
            }
        }
        assert!(derived_missions > 100, "{derived_missions}");
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

    /// A world derived from one that was then edited is compared with it
    /// row by row: its rows are no longer copies of the edited world's.
    #[test]
    fn a_world_derived_from_an_edited_one_is_compared_row_by_row() {
        let scenario = kabul();
        let last = World::at(&scenario, on("2024-09-01"));
        let derived = World::after(&last, on("2024-09-02"));
        assert!(derived.missions_derived.is_some(), "derived in place");
        let row = last.missions.iter().position(|m| m.head.is_some()).unwrap();
        let mut vacant = last.missions[row].record.clone();
        vacant.heads.clear();
        let mut edited = last.clone();
        assert!(edited.change_missions(&[(row as u32, &vacant)]).is_some());
        // As the world built whole at the date is compared with it.
        let whole = World::at(&scenario, on("2024-09-02"));
        assert!(whole.missions_derived.is_none());
        let differences = derived.differences(&edited).unwrap();
        assert_eq!(differences, whole.differences(&edited).unwrap());
        assert_ne!(differences.missions, RowChanges::default());
    }

    /// A changed mission's row is derived as a world at the date derives
    /// the same record (its head in office read from the changed heads,
    /// not the scenario's); one naming an id the scenario lacks does not fit.
    #[test]
    fn a_changed_mission_is_derived_from_its_own_heads() {
        let scenario = kabul();
        let date = on("2024-09-01");
        let world = World::at(&scenario, date);
        let row = world
            .missions
            .iter()
            .position(|m| m.head.is_some_and(|h| h.from.is_some()) && m.acting_since.is_none())
            .expect("the fixture has a mission led by a head, not acting, with a start");
        // The head in office made a chargé d'affaires a.i.: acting since its start.
        let mut acting = world.missions[row].record.clone();
        for head in &mut acting.heads {
            if in_force(value(&head.from), value(&head.until), date) {
                head.rank = At::new(Rank::ChargeDAffairesAi, head.span);
            }
        }
        let mut changed = world.clone();
        assert!(changed.change_missions(&[(row as u32, &acting)]).is_some());
        let mut other = scenario.clone();
        let index = other
            .missions
            .iter()
            .position(|m| m.id.value == acting.id.value)
            .unwrap();
        other.missions[index] = acting.clone();
        let expected = World::at(&other, date);
        let (got, want) = (&changed.missions[row], &expected.missions[row]);
        assert_eq!(
            got.head.map(|h| h.rank.value),
            Some(Rank::ChargeDAffairesAi)
        );
        assert_eq!(
            got.head.map(|h| h.rank.value),
            want.head.map(|h| h.rank.value)
        );
        assert!(want.acting_since.is_some(), "{:?}", want.acting_since);
        assert_eq!(got.acting_since, want.acting_since);
        assert_eq!(got.credentials_to, want.credentials_to);
        assert_eq!(got.staff, want.staff);

        let presented = world
            .missions
            .iter()
            .position(|m| m.credentials_to.is_some())
            .expect("the fixture has a head whose credentials were presented");
        let mut stranger = world.missions[presented].record.clone();
        for credentials in stranger
            .heads
            .iter_mut()
            .filter_map(|h| h.credentials.as_mut())
        {
            credentials.to.value = "NOWHERE".to_string();
        }
        let row = presented;
        let mut changed = world.clone();
        assert_eq!(changed.change_missions(&[(row as u32, &stranger)]), None);
    }
}
