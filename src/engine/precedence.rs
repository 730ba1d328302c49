//! The diplomatic list of a receiving state at a date (VCDR art. 16), as a
//! protocol department publishes it: `parity precedence`.
//!
//! Who is listed: the head in office of every open embassy and delegation in
//! the receiver. The order (design §7):
//! 1. class 1, then class 2, then class 3 (VCDR art. 14, `Rank::class`);
//!    where the receiver has `nuncio_precedence: true`, a nuncio comes first
//!    in class 1 (art. 16(3));
//! 2. within a class, by the date of taking up functions: `credentials.on`,
//!    else the head's `from` (a `credentials.on` after the date still
//!    counts: such a head ranks after those who have presented);
//! 3. then the chargés d'affaires a.i. (art. 19): heads ranked
//!    `charge-d-affaires-ai`, by their `from`, and heads recalled for
//!    consultations (absent), listed as a.i. from the recall's `on`.
//!
//! Entries on the same day take consecutive places in order of mission id,
//! each with `tie: true`. Partial dates compare as their first day, so
//! `2018-04` and `2018-04-01` are the same day. A head with no date at all
//! comes after the dated ones of its group, by mission id, with `since`
//! null and `tie` false: nothing says it took up functions on the same day
//! as another. Heads whose rank has no class and is not a.i. (a head of a
//! technical team, a consul) are not heads of mission under art. 14 and are
//! not listed.

use super::CheckOptions;
use crate::diag::{Code, Diagnostic};
use crate::scenario::date::Date;
use crate::scenario::model::{EventKind, Head, MissionKind, Rank, Scenario};
use crate::scenario::world::{MissionRow, World};
use serde::Serialize;

/// The list, as `--format json` writes it (design §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrecedenceList {
    pub scenario: String,
    /// The file name, for the human header.
    #[serde(skip)]
    pub file: String,
    /// The receiving state's id.
    pub receiver: String,
    /// The receiving state's name, where it has one (for the human header).
    #[serde(skip)]
    pub receiver_name: Option<String>,
    pub as_of: Date,
    pub list: Vec<PrecedenceEntry>,
    /// The mission at place 1; `None` when the list is empty.
    pub doyen: Option<String>,
}

/// One head on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrecedenceEntry {
    /// 1-based.
    pub place: u32,
    pub mission: String,
    pub sender: String,
    /// `None` when the record names no one, and for an absent head's
    /// mission (the acting chargé is not the head recorded).
    pub name: Option<String>,
    /// `charge-d-affaires-ai` for an absent head.
    pub rank: Rank,
    /// The class under art. 14; `None` for chargés d'affaires a.i., who
    /// have none.
    pub class: Option<u8>,
    /// The date the entry is ordered by; `None` when the record has none.
    pub since: Option<Date>,
    /// Whether another entry of the same group has the same `since`.
    pub tie: bool,
    /// The head recalled for consultations whose mission is listed a.i.
    /// (for the human and Markdown notes; not in the JSON, which is §7's).
    #[serde(skip)]
    pub absent: Option<AbsentHead>,
}

/// A head in office but recalled for consultations at the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentHead {
    pub name: Option<String>,
    pub rank: Rank,
    /// The recall's `on`.
    pub since: Option<Date>,
}

/// The diplomatic list of `receiver` at `options.as_of`, else the
/// scenario's `as_of`. An unknown receiver is an input error with "did you
/// mean" over the state ids; a receiver with no missions has an empty list.
pub fn precedence(
    scenario: &Scenario,
    receiver: &str,
    options: &CheckOptions,
) -> Result<PrecedenceList, Vec<Diagnostic>> {
    let state = scenario
        .states
        .iter()
        .find(|s| s.id.value == receiver)
        .ok_or_else(|| {
            let ids = scenario.states.iter().map(|s| s.id.value.as_str());
            vec![
                Diagnostic::new(
                    Code::UnknownId,
                    &scenario.file,
                    scenario.id.span,
                    format!("there is no state `{receiver}` in this scenario to list the diplomatic corps of"),
                )
                .with_label("this scenario")
                .suggest(receiver, ids),
            ]
        })?;
    let date = super::evaluation_date(scenario, options)?;
    let world = World::at(scenario, date);
    let list = order(&world, receiver, state.nuncio_precedence);
    Ok(PrecedenceList {
        scenario: scenario.id.value.clone(),
        file: scenario.file.clone(),
        receiver: receiver.to_string(),
        receiver_name: state.name.clone(),
        as_of: date,
        doyen: list.first().map(|e| e.mission.clone()),
        list,
    })
}

/// Where an entry goes: its group (0 the nuncio with precedence, 1–3 the
/// classes, 4 the a.i.), then its date (undated last), then its mission id.
type Key<'a> = (u8, bool, Option<u32>, &'a str);

fn order(world: &World, receiver: &str, nuncio_precedence: bool) -> Vec<PrecedenceEntry> {
    let mut listed: Vec<(Key, PrecedenceEntry)> = world
        .missions
        .iter()
        .filter(|m| {
            matches!(
                m.record.kind.value,
                MissionKind::Embassy | MissionKind::Delegation
            ) && m.record.receiver.value == receiver
        })
        .filter_map(|m| entry(world, m, nuncio_precedence))
        .collect();
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    // Tied: a dated entry whose neighbour has the same group and day.
    let day: Vec<Option<(u8, u32)>> = listed.iter().map(|(k, _)| k.2.map(|d| (k.0, d))).collect();
    let same = |i: usize, j: usize| {
        day.get(i)
            .zip(day.get(j))
            .is_some_and(|(a, b)| a.is_some() && a == b)
    };
    listed
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut entry))| {
            entry.place = u32::try_from(i + 1).unwrap_or(u32::MAX);
            entry.tie = i.checked_sub(1).is_some_and(|j| same(i, j)) || same(i, i + 1);
            entry
        })
        .collect()
}

/// The entry of one mission's head, with its sort key; `None` when the
/// mission has no head in office, or one that is not a head of mission.
fn entry<'w>(
    world: &World<'w>,
    m: &'w MissionRow<'w>,
    nuncio_precedence: bool,
) -> Option<(Key<'w>, PrecedenceEntry)> {
    let head: &Head = m.head?;
    let rank = head.rank.value;
    let (group, rank, since, name, absent) = if m.absent {
        // Led a.i. from the recall: the recorded head is away, and the
        // acting chargé is not the person recorded.
        let since = recalled_on(world, m, head);
        let absent = AbsentHead {
            name: head.name.clone(),
            rank,
            since,
        };
        (4, Rank::ChargeDAffairesAi, since, None, Some(absent))
    } else if rank == Rank::ChargeDAffairesAi {
        (
            4,
            rank,
            head.from.as_ref().map(|d| d.value),
            head.name.clone(),
            None,
        )
    } else {
        let class = rank.class()?;
        let group = if nuncio_precedence && rank == Rank::Nuncio {
            0
        } else {
            class
        };
        let since = head
            .credentials
            .as_ref()
            .and_then(|c| c.on.as_ref())
            .or(head.from.as_ref())
            .map(|d| d.value);
        (group, rank, since, head.name.clone(), None)
    };
    let mission = m.record.id.value.as_str();
    let key = (group, since.is_none(), since.map(|d| d.ordinal()), mission);
    Some((
        key,
        PrecedenceEntry {
            place: 0,
            mission: mission.to_string(),
            sender: m.record.sender.value.clone(),
            name,
            rank,
            class: if group == 4 { None } else { rank.class() },
            since,
            tie: false,
            absent,
        },
    ))
}

/// Since when `head` has been absent at the world's date: the earliest
/// `on` of its recalls for consultations it has not returned from (as
/// `World` decides absence: a recall within the head's tenure, with no
/// `until` on or before the date).
fn recalled_on(world: &World, m: &MissionRow, head: &Head) -> Option<Date> {
    let from = head.from.as_ref().map(|d| d.value);
    let until = head.until.as_ref().map(|d| d.value);
    world
        .events
        .iter()
        .filter(|e| e.mission == m.sym && e.record.kind.value == EventKind::RecallForConsultations)
        .filter(|e| e.record.until.as_ref().is_none_or(|u| u.value > world.date))
        .map(|e| e.record.on.value)
        .filter(|on| crate::scenario::date::in_force(from, until, *on))
        .min()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::scenario::yaml::YamlLimits;

    /// Synthetic states and missions (invented ids, not real data): `body`
    /// is appended after a header with states AAA (receiver) and senders.
    fn load(body: &str) -> Scenario {
        load_with(false, body)
    }

    fn load_with(nuncio_precedence: bool, body: &str) -> Scenario {
        let text = format!(
            "# synthetic\nscenario: synthetic-precedence\nas_of: 2024-06-01\nstates:\n  - {{ id: AAA, name: Aaaland, nuncio_precedence: {nuncio_precedence} }}\n  - {{ id: BBB }}\n  - {{ id: CCC }}\n  - {{ id: DDD }}\n  - {{ id: EEE }}\n  - {{ id: VAT, kind: holy-see }}\n{body}"
        );
        crate::scenario::load::load_str(&text, "t.yaml", &YamlLimits::default())
            .unwrap_or_else(|d| panic!("synthetic scenario does not load: {d:?}"))
    }

    fn list(scenario: &Scenario, as_of: Option<&str>) -> PrecedenceList {
        let options = CheckOptions {
            as_of: as_of.map(|d| Date::parse(d).unwrap()),
            ..CheckOptions::default()
        };
        precedence(scenario, "AAA", &options).unwrap()
    }

    /// (mission, class, since, tie) of each entry, in order.
    fn rows(list: &PrecedenceList) -> Vec<(String, Option<u8>, Option<String>, bool)> {
        list.list
            .iter()
            .map(|e| {
                (
                    e.mission.clone(),
                    e.class,
                    e.since.map(|d| d.to_string()),
                    e.tie,
                )
            })
            .collect()
    }

    fn ids(list: &PrecedenceList) -> Vec<&str> {
        list.list.iter().map(|e| e.mission.as_str()).collect()
    }

    /// A mission of `sender` in AAA headed by one head.
    fn mission(id: &str, sender: &str, kind: &str, head: &str) -> String {
        format!(
            "  - id: {id}\n    sender: {sender}\n    receiver: AAA\n    kind: {kind}\n    heads:\n      - {head}\n"
        )
    }

    #[test]
    fn classes_in_order_each_by_date_of_taking_up_functions() {
        let s = load(&format!(
            "missions:\n{}{}{}{}",
            mission(
                "bbb-in-aaa",
                "BBB",
                "embassy",
                "{ rank: charge-d-affaires, from: 2010-01-01 }"
            ),
            mission(
                "ccc-in-aaa",
                "CCC",
                "embassy",
                "{ rank: minister, from: 2012-01-01 }"
            ),
            // credentials.on wins over from.
            mission(
                "ddd-in-aaa",
                "DDD",
                "embassy",
                "{ rank: ambassador, from: 2015-01-01, credentials: { to: AAA, on: 2015-03-01 } }"
            ),
            mission(
                "eee-in-aaa",
                "EEE",
                "delegation",
                "{ rank: ambassador, from: 2015-02-01 }"
            ),
        ));
        let l = list(&s, None);
        assert_eq!(
            rows(&l),
            [
                (
                    "eee-in-aaa".into(),
                    Some(1),
                    Some("2015-02-01".into()),
                    false
                ),
                (
                    "ddd-in-aaa".into(),
                    Some(1),
                    Some("2015-03-01".into()),
                    false
                ),
                (
                    "ccc-in-aaa".into(),
                    Some(2),
                    Some("2012-01-01".into()),
                    false
                ),
                (
                    "bbb-in-aaa".into(),
                    Some(3),
                    Some("2010-01-01".into()),
                    false
                ),
            ]
        );
        let places: Vec<u32> = l.list.iter().map(|e| e.place).collect();
        assert_eq!(places, [1, 2, 3, 4]);
        assert_eq!(l.doyen.as_deref(), Some("eee-in-aaa"));
        assert_eq!(l.list[3].rank, Rank::ChargeDAffaires);
    }

    #[test]
    fn same_day_entries_take_consecutive_places_by_mission_id_and_are_tied() {
        let s = load(&format!(
            "missions:\n{}{}{}",
            mission(
                "ddd-in-aaa",
                "DDD",
                "embassy",
                "{ rank: ambassador, from: 2020-05-01 }"
            ),
            mission(
                "bbb-in-aaa",
                "BBB",
                "embassy",
                "{ rank: ambassador, from: 2020-05-01 }"
            ),
            // A partial date is its first day: the same day as the others.
            mission(
                "ccc-in-aaa",
                "CCC",
                "embassy",
                "{ rank: ambassador, from: 2019-01-01, credentials: { to: AAA, on: 2020-05 } }"
            ),
        ));
        let l = list(&s, None);
        assert_eq!(ids(&l), ["bbb-in-aaa", "ccc-in-aaa", "ddd-in-aaa"]);
        assert!(l.list.iter().all(|e| e.tie));
        assert_eq!(
            l.list[1].since.map(|d| d.to_string()).as_deref(),
            Some("2020-05")
        );
    }

    #[test]
    fn a_tie_needs_the_same_group_and_day() {
        let s = load(&format!(
            "missions:\n{}{}{}",
            mission(
                "bbb-in-aaa",
                "BBB",
                "embassy",
                "{ rank: ambassador, from: 2020-05-01 }"
            ),
            mission(
                "ccc-in-aaa",
                "CCC",
                "embassy",
                "{ rank: envoy, from: 2020-05-01 }"
            ),
            mission(
                "ddd-in-aaa",
                "DDD",
                "embassy",
                "{ rank: ambassador, from: 2020-05-02 }"
            ),
        ));
        let l = list(&s, None);
        assert_eq!(ids(&l), ["bbb-in-aaa", "ddd-in-aaa", "ccc-in-aaa"]);
        assert!(l.list.iter().all(|e| !e.tie));
    }

    fn with_nuncio(nuncio_precedence: bool) -> Scenario {
        load_with(
            nuncio_precedence,
            &format!(
                "missions:\n{}{}",
                mission(
                    "bbb-in-aaa",
                    "BBB",
                    "embassy",
                    "{ rank: ambassador, from: 2001-01-01 }"
                ),
                mission(
                    "vat-in-aaa",
                    "VAT",
                    "embassy",
                    "{ name: Synthetic Nuncio, rank: nuncio, from: 2020-01-01 }"
                ),
            ),
        )
    }

    #[test]
    fn the_nuncio_is_first_only_where_the_receiver_gives_it_precedence() {
        let l = list(&with_nuncio(true), None);
        assert_eq!(ids(&l), ["vat-in-aaa", "bbb-in-aaa"]);
        assert_eq!(l.doyen.as_deref(), Some("vat-in-aaa"));
        assert_eq!(l.list[0].class, Some(1));
        assert_eq!(l.list[0].name.as_deref(), Some("Synthetic Nuncio"));
        let l = list(&with_nuncio(false), None);
        assert_eq!(ids(&l), ["bbb-in-aaa", "vat-in-aaa"]);
        assert_eq!(l.doyen.as_deref(), Some("bbb-in-aaa"));
    }

    #[test]
    fn charges_a_i_and_absent_heads_come_last_by_from_with_no_class() {
        let s = load(&format!(
            "missions:\n{}{}{}{}events:\n  - {{ id: recall-1, kind: recall-for-consultations, on: 2024-02-01, mission: ccc-in-aaa }}\n",
            mission(
                "bbb-in-aaa",
                "BBB",
                "embassy",
                "{ rank: charge-d-affaires-ai, from: 2024-03-01 }"
            ),
            mission(
                "ccc-in-aaa",
                "CCC",
                "embassy",
                "{ name: Synthetic Ambassador, rank: ambassador, from: 2000-01-01 }"
            ),
            mission(
                "ddd-in-aaa",
                "DDD",
                "embassy",
                "{ rank: charge-d-affaires-ai }"
            ),
            mission(
                "eee-in-aaa",
                "EEE",
                "embassy",
                "{ rank: charge-d-affaires, from: 2023-01-01 }"
            ),
        ));
        let l = list(&s, None);
        assert_eq!(
            rows(&l),
            [
                (
                    "eee-in-aaa".into(),
                    Some(3),
                    Some("2023-01-01".into()),
                    false
                ),
                // Absent from the recall's `on`.
                ("ccc-in-aaa".into(), None, Some("2024-02-01".into()), false),
                ("bbb-in-aaa".into(), None, Some("2024-03-01".into()), false),
                ("ddd-in-aaa".into(), None, None, false),
            ]
        );
        let absent = &l.list[1];
        assert_eq!(absent.rank, Rank::ChargeDAffairesAi);
        assert_eq!(absent.name, None);
        let away = absent.absent.as_ref().unwrap();
        assert_eq!(away.name.as_deref(), Some("Synthetic Ambassador"));
        assert_eq!(away.rank, Rank::Ambassador);
        assert!(
            l.list
                .iter()
                .all(|e| e.mission == "ccc-in-aaa" || e.absent.is_none())
        );
        // Before the recall the ambassador is listed as such.
        let before = list(&s, Some("2024-01-15"));
        assert_eq!(ids(&before), ["ccc-in-aaa", "eee-in-aaa", "ddd-in-aaa"]);
        assert_eq!(before.list[0].rank, Rank::Ambassador);
        assert_eq!(before.list[0].class, Some(1));
    }

    #[test]
    fn an_absent_head_is_a_i_from_the_first_recall_not_returned_from() {
        let s = load(&format!(
            "missions:\n{}events:\n  - {{ id: r1, kind: recall-for-consultations, on: 2023-01-01, until: 2023-02-01, mission: bbb-in-aaa }}\n  - {{ id: r2, kind: recall-for-consultations, on: 2023-06-01, mission: bbb-in-aaa }}\n  - {{ id: r3, kind: recall-for-consultations, on: 2023-09-01, mission: bbb-in-aaa }}\n",
            mission(
                "bbb-in-aaa",
                "BBB",
                "embassy",
                "{ rank: ambassador, from: 2020-01-01 }"
            ),
        ));
        let since = |at: &str| {
            let l = list(&s, Some(at));
            (l.list[0].rank, l.list[0].since.map(|d| d.to_string()))
        };
        assert_eq!(
            since("2023-01-15"),
            (Rank::ChargeDAffairesAi, Some("2023-01-01".into()))
        );
        // Returned on 2023-02-01: the ambassador again, by credentials date.
        assert_eq!(
            since("2023-03-01"),
            (Rank::Ambassador, Some("2020-01-01".into()))
        );
        assert_eq!(
            since("2024-01-01"),
            (Rank::ChargeDAffairesAi, Some("2023-06-01".into()))
        );
    }

    #[test]
    fn credentials_presented_after_the_date_still_rank_by_that_date() {
        let s = load(&format!(
            "missions:\n{}{}",
            mission(
                "bbb-in-aaa",
                "BBB",
                "embassy",
                "{ rank: ambassador, from: 2024-01-01, credentials: { to: AAA, on: 2024-09-01 } }"
            ),
            mission(
                "ccc-in-aaa",
                "CCC",
                "embassy",
                "{ rank: ambassador, from: 2024-03-01, credentials: { to: AAA, on: 2024-03-05 } }"
            ),
        ));
        // At 2024-06-01 bbb's arrived first but has not presented yet.
        let l = list(&s, None);
        assert_eq!(ids(&l), ["ccc-in-aaa", "bbb-in-aaa"]);
        assert_eq!(
            l.list[1].since.map(|d| d.to_string()).as_deref(),
            Some("2024-09-01")
        );
    }

    #[test]
    fn undated_heads_follow_the_dated_of_their_class_by_mission_id() {
        let s = load(&format!(
            "missions:\n{}{}{}",
            mission("ddd-in-aaa", "DDD", "embassy", "{ rank: ambassador }"),
            mission("bbb-in-aaa", "BBB", "embassy", "{ rank: ambassador }"),
            mission(
                "ccc-in-aaa",
                "CCC",
                "embassy",
                "{ rank: ambassador, from: 2022-01-01 }"
            ),
        ));
        let l = list(&s, None);
        assert_eq!(
            rows(&l),
            [
                (
                    "ccc-in-aaa".into(),
                    Some(1),
                    Some("2022-01-01".into()),
                    false
                ),
                ("bbb-in-aaa".into(), Some(1), None, false),
                ("ddd-in-aaa".into(), Some(1), None, false),
            ]
        );
    }

    #[test]
    fn only_heads_in_office_of_open_embassies_and_delegations_in_the_receiver() {
        let s = load(&format!(
            "missions:\n{}{}{}{}{}{}  - {{ id: aaa-in-bbb, sender: AAA, receiver: BBB, kind: embassy, heads: [{{ rank: ambassador }}] }}\n  - {{ id: eee-in-aaa, sender: EEE, receiver: AAA, kind: embassy, until: 2024-01-01, heads: [{{ rank: ambassador }}] }}\n",
            mission(
                "bbb-consulate-aaa",
                "BBB",
                "consulate-general",
                "{ rank: consul-general, from: 2000-01-01 }"
            ),
            mission(
                "bbb-in-aaa",
                "BBB",
                "embassy",
                "{ rank: ambassador, from: 2025-01-01 }"
            ),
            mission(
                "ccc-in-aaa",
                "CCC",
                "embassy",
                "{ rank: ambassador, from: 2010-01-01, until: 2024-06-01 }"
            ),
            mission(
                "ddd-in-aaa",
                "DDD",
                "technical-team",
                "{ rank: head-of-technical-team }"
            ),
            mission(
                "vat-in-aaa",
                "VAT",
                "embassy",
                "{ rank: head-of-technical-team }"
            ),
            mission(
                "ddd-office-aaa",
                "DDD",
                "liaison-office",
                "{ rank: ambassador }"
            ),
        ));
        // Not yet in office, ended on as_of (half-open), a consulate, a
        // technical team, a head of no class, a closed embassy, and an
        // embassy of the receiver abroad: nobody.
        let l = list(&s, None);
        assert!(l.list.is_empty(), "{:?}", l.list);
        assert_eq!(l.doyen, None);
        // The day before, the head of ccc-in-aaa is in office.
        assert_eq!(ids(&list(&s, Some("2024-05-31"))), ["ccc-in-aaa"]);
        // Earlier still, the closed embassy was open.
        assert_eq!(
            ids(&list(&s, Some("2023-12-31"))),
            ["ccc-in-aaa", "eee-in-aaa"]
        );
    }

    #[test]
    fn as_of_defaults_to_the_scenarios_and_the_flag_wins() {
        let s = load(&format!(
            "missions:\n{}",
            mission(
                "bbb-in-aaa",
                "BBB",
                "embassy",
                "{ rank: ambassador, from: 2024-01-01 }"
            ),
        ));
        let l = list(&s, None);
        assert_eq!(l.as_of.to_string(), "2024-06-01");
        assert_eq!(l.scenario, "synthetic-precedence");
        assert_eq!(l.receiver, "AAA");
        assert_eq!(l.receiver_name.as_deref(), Some("Aaaland"));
        assert_eq!(ids(&l), ["bbb-in-aaa"]);
        let l = list(&s, Some("2023-06-01"));
        assert_eq!(l.as_of.to_string(), "2023-06-01");
        assert!(l.list.is_empty());
    }

    #[test]
    fn an_unknown_receiver_is_an_error_with_did_you_mean() {
        let s = load("");
        let errors = precedence(&s, "AAB", &CheckOptions::default()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "there is no state `AAB` in this scenario to list the diplomatic corps of"
        );
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `AAA`?"));
        // A state with no missions: an empty list.
        let l = precedence(&s, "BBB", &CheckOptions::default()).unwrap();
        assert!(l.list.is_empty());
        assert_eq!(l.doyen, None);
    }
}
