//! What holds at a date, computed from the scenario's records.

use super::day::{self, Day};
use parity::scenario::model::{
    Event, Government, Head, Level, Mission, Recognition, Relation, Scenario, State,
};
use std::collections::HashSet;

pub struct RState<'a> {
    pub rec: &'a State,
    /// The government in control at the date.
    pub government: Option<&'a str>,
}

pub struct RGov<'a> {
    pub id: &'a str,
    pub state: &'a State,
    /// `None` for a state's implicit government.
    pub rec: Option<&'a Government>,
    pub in_control: bool,
}

pub struct RMission<'a> {
    pub rec: &'a Mission,
    pub run_by: Option<&'a str>,
    pub head: Option<&'a Head>,
    pub staff: Option<u32>,
    /// Index in `relations` of the record between sender and receiver.
    pub relation: Option<usize>,
    /// Its status; else `established` with an open embassy either way, else none.
    pub relation_status: Option<&'static str>,
    /// Recalled for consultations at the date.
    pub absent: bool,
    /// The first day of the unbroken run of acting heads up to the date.
    pub acting_since: Option<Day>,
}

pub struct RefWorld<'a> {
    pub scenario: &'a Scenario,
    pub date: Day,
    /// Every state.
    pub states: Vec<RState<'a>>,
    /// Every listed government, and an implicit one for each state that lists none.
    pub governments: Vec<RGov<'a>>,
    /// The missions open at the date.
    pub missions: Vec<RMission<'a>>,
    /// The recognition records in force at the date.
    pub recognitions: Vec<&'a Recognition>,
    /// The relation records in force at the date.
    pub relations: Vec<&'a Relation>,
    /// The events on or before the date.
    pub events: Vec<&'a Event>,
    /// The ids of the scenario's states, governments and missions.
    known: HashSet<&'a str>,
}

/// Whether the head of `m` in office on `at` is recalled for consultations then.
fn recalled(scenario: &Scenario, m: &Mission, at: Day) -> bool {
    let Some(now) = m.heads.iter().find(|h| day::period(&h.from, &h.until, at)) else {
        return false;
    };
    scenario.events.iter().any(|e| {
        let on = Day::of(&e.on.value);
        e.kind.value.word() == "recall-for-consultations"
            && e.mission.value == m.id.value
            && on <= at
            && e.until.as_ref().is_none_or(|u| at < Day::of(&u.value))
            && m.heads
                .iter()
                .find(|h| day::period(&h.from, &h.until, on))
                .is_some_and(|then| std::ptr::eq(then, now))
    })
}

/// Whether `m` is led on `at` by a chargé d'affaires a.i. or an absent head.
fn acting(scenario: &Scenario, m: &Mission, at: Day) -> bool {
    m.heads
        .iter()
        .find(|h| day::period(&h.from, &h.until, at))
        .is_some_and(|h| h.rank.value.word() == "charge-d-affaires-ai" || recalled(scenario, m, at))
}

/// Day by day back from `date` while `m` is led by acting heads. Before the
/// mission's earliest written head or event date nothing changes, so a run
/// that reaches it goes back to "since ever": unknown, `None`.
fn acting_since(scenario: &Scenario, m: &Mission, date: Day) -> Option<Day> {
    if !acting(scenario, m, date) {
        return None;
    }
    let earliest = m
        .heads
        .iter()
        .flat_map(|h| [day::opt(&h.from), day::opt(&h.until)])
        .chain(
            scenario
                .events
                .iter()
                .filter(|e| e.mission.value == m.id.value)
                .flat_map(|e| [Some(Day::of(&e.on.value)), day::opt(&e.until)]),
        )
        .flatten()
        .min()?;
    let mut day = date;
    loop {
        let before = Day::from_serial(day.serial() - 1);
        if !acting(scenario, m, before) {
            // As a full date, however it was written.
            return Some(Day::from_serial(day.serial()));
        }
        if before < earliest {
            return None;
        }
        day = before;
    }
}

/// A government's `from`, "since ever" being before any date.
fn since(g: &Government) -> Option<Day> {
    day::opt(&g.from)
}

impl<'a> RefWorld<'a> {
    pub fn at(scenario: &'a Scenario, date: Day) -> RefWorld<'a> {
        let listed = |state: &str| -> Vec<&'a Government> {
            scenario
                .governments
                .iter()
                .filter(|g| g.state.value == state)
                .collect()
        };
        // Of the listed governments in control at the date, the one whose
        // control began last; on the same day, the smaller id.
        let in_control = |state: &'a State| -> Option<&'a str> {
            let governments = listed(&state.id.value);
            if governments.is_empty() {
                return Some(&state.id.value);
            }
            let mut best: Option<&'a Government> = None;
            for g in governments {
                if !day::period(&g.from, &g.until, date) {
                    continue;
                }
                best = match best {
                    Some(b)
                        if since(b) > since(g)
                            || (since(b) == since(g) && b.id.value < g.id.value) =>
                    {
                        Some(b)
                    }
                    _ => Some(g),
                };
            }
            best.map(|g| g.id.value.as_str())
        };
        let states: Vec<RState<'a>> = scenario
            .states
            .iter()
            .map(|s| RState {
                rec: s,
                government: in_control(s),
            })
            .collect();
        let state_record = |id: &str| scenario.states.iter().find(|s| s.id.value == id);
        let mut governments = Vec::new();
        for s in &scenario.states {
            if listed(&s.id.value).is_empty() {
                governments.push(RGov {
                    id: &s.id.value,
                    state: s,
                    rec: None,
                    in_control: true,
                });
            }
        }
        for g in &scenario.governments {
            let state = state_record(&g.state.value).unwrap();
            governments.push(RGov {
                id: &g.id.value,
                state,
                rec: Some(g),
                in_control: in_control(state) == Some(g.id.value.as_str()),
            });
        }
        let governing = |state: &str| {
            states
                .iter()
                .find(|s| s.rec.id.value == state)
                .and_then(|s| s.government)
        };
        let mut missions = Vec::new();
        for m in &scenario.missions {
            if !day::period(&m.from, &m.until, date) {
                continue;
            }
            let heads: Vec<&Head> = m
                .heads
                .iter()
                .filter(|h| day::period(&h.from, &h.until, date))
                .collect();
            assert!(
                heads.len() <= 1,
                "two heads of {} in office on {date}",
                m.id.value
            );
            // The count that started last; of two that start together, the larger.
            let staff = m
                .staff
                .iter()
                .filter(|s| day::period(&s.from, &s.until, date))
                .map(|s| (day::opt(&s.from), s.diplomats))
                .max()
                .map(|(from, n)| {
                    // Less each expulsion in effect (from `on` + notice)
                    // that no count from its effect on has replaced.
                    let gone: u32 = scenario
                        .events
                        .iter()
                        .filter(|e| {
                            e.kind.value.word() == "expulsion" && e.mission.value == m.id.value
                        })
                        .filter(|e| {
                            let effect = Day::of(&e.on.value).serial() + i64::from(e.notice_days);
                            effect <= date.serial() && from.is_none_or(|f| f.serial() < effect)
                        })
                        .map(|e| e.diplomats.as_ref().map_or(0, |d| d.value))
                        .sum();
                    n.saturating_sub(gone)
                });
            missions.push(RMission {
                rec: m,
                run_by: match &m.run_by {
                    Some(g) => Some(g.value.as_str()),
                    None => governing(&m.sender.value),
                },
                head: heads.first().copied(),
                staff,
                relation: None,
                relation_status: None,
                absent: false,
                acting_since: acting_since(scenario, m, date),
            });
        }
        let relations: Vec<&'a Relation> = scenario
            .relations
            .iter()
            .filter(|r| day::period(&r.from, &r.until, date))
            .collect();
        let events: Vec<&'a Event> = scenario
            .events
            .iter()
            .filter(|e| Day::of(&e.on.value) <= date)
            .collect();
        let same_pair = |r: &Relation, a: &str, b: &str| {
            let (x, y) = (&r.between[0].value, &r.between[1].value);
            (x == a && y == b) || (x == b && y == a)
        };
        for i in 0..missions.len() {
            let (sender, receiver) = {
                let m = missions[i].rec;
                (m.sender.value.as_str(), m.receiver.value.as_str())
            };
            let relation = relations
                .iter()
                .position(|r| same_pair(r, sender, receiver));
            let embassy = missions.iter().any(|m| {
                m.rec.kind.value.word() == "embassy"
                    && ((m.rec.sender.value == sender && m.rec.receiver.value == receiver)
                        || (m.rec.sender.value == receiver && m.rec.receiver.value == sender))
            });
            let status = match relation {
                Some(r) => Some(relations[r].status.value.word()),
                None if embassy => Some("established"),
                None => None,
            };
            // Recalled: the head in office on the event's day, still in
            // office now, before the event's `until` if it gives one.
            let m = missions[i].rec;
            let absent = missions[i].head.is_some_and(|now| {
                events.iter().any(|e| {
                    let at = Day::of(&e.on.value);
                    e.kind.value.word() == "recall-for-consultations"
                        && e.mission.value == m.id.value
                        && e.until.as_ref().is_none_or(|u| date < Day::of(&u.value))
                        && m.heads
                            .iter()
                            .find(|h| day::period(&h.from, &h.until, at))
                            .is_some_and(|then| std::ptr::eq(then, now))
                })
            });
            missions[i].relation = relation;
            missions[i].relation_status = status;
            missions[i].absent = absent;
        }
        let recognitions = scenario
            .recognitions
            .iter()
            .filter(|r| day::period(&r.from, &r.until, date))
            .collect();
        let mut known: HashSet<&str> = HashSet::new();
        known.extend(scenario.states.iter().map(|s| s.id.value.as_str()));
        known.extend(scenario.governments.iter().map(|g| g.id.value.as_str()));
        known.extend(scenario.missions.iter().map(|m| m.id.value.as_str()));
        known.extend(scenario.events.iter().map(|e| e.id.value.as_str()));
        RefWorld {
            scenario,
            date,
            states,
            governments,
            missions,
            recognitions,
            relations,
            events,
            known,
        }
    }

    pub fn state(&self, id: &str) -> Option<usize> {
        self.states.iter().position(|s| s.rec.id.value == id)
    }

    /// A government by id; a state's id names its implicit government.
    pub fn government(&self, id: &str) -> Option<usize> {
        self.governments.iter().position(|g| g.id == id)
    }

    /// An event on or before the date, by id.
    pub fn event(&self, id: &str) -> Option<usize> {
        self.events.iter().position(|e| e.id.value == id)
    }

    /// An open mission by id.
    pub fn mission(&self, id: &str) -> Option<usize> {
        self.missions.iter().position(|m| m.rec.id.value == id)
    }

    pub fn known(&self, id: &str) -> bool {
        self.known.contains(id)
    }

    /// How `by` recognises `of` on `at` (`None`: the date is unknown, and
    /// only records with neither `from` nor `until` count): the latest
    /// record then, of two that start on the same day the weaker (`none`,
    /// then `de-facto`, then `de-jure`); else the government's
    /// `default_recognition`; a state (or an implicit government) de jure.
    /// `none` reads as `None`.
    pub fn recognition(&self, by: &str, of: &str, at: Option<Day>) -> Option<Level> {
        if !self.known(by) || !self.known(of) {
            return None;
        }
        let strength = |l: Level| match l {
            Level::NoRecognition => 0,
            Level::DeFacto => 1,
            Level::DeJure => 2,
        };
        let mut best: Option<&Recognition> = None;
        for r in &self.scenario.recognitions {
            if r.by.value != by || r.of.value != of {
                continue;
            }
            let counts = match at {
                Some(at) => day::period(&r.from, &r.until, at),
                None => r.from.is_none() && r.until.is_none(),
            };
            if !counts {
                continue;
            }
            best = match best {
                Some(b) => {
                    let (bf, rf) = (day::opt(&b.from), day::opt(&r.from));
                    let weaker = strength(r.level.value) < strength(b.level.value);
                    if rf > bf || (rf == bf && weaker) {
                        Some(r)
                    } else {
                        Some(b)
                    }
                }
                None => Some(r),
            };
        }
        if let Some(record) = best {
            return Some(record.level.value).filter(|l| *l != Level::NoRecognition);
        }
        if let Some(g) = self.scenario.governments.iter().find(|g| g.id.value == of) {
            return g.default_recognition.filter(|l| *l != Level::NoRecognition);
        }
        if self.state(of).is_some() {
            return Some(Level::DeJure);
        }
        None
    }
}
