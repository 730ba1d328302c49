//! A timeline's entries and their periods, built point after point from
//! what changed at each (`since::Stepper::step`): a finding gone, a finding
//! come. A point costs what changed there, not every finding in force:
//! merging each point's whole report (what `Evaluation::InFull` does, in
//! `timeline`) cloned, hashed and compared every finding at every point.
//! The merge of whole reports is the reference; the differential test
//! (`timeline_agrees_with_check`) holds the two to each other.
//!
//! A subject is shown at a point when its rule has a finding about it and
//! no waiver in force accepts it; its entry's message is that of the
//! first (least) of its findings at the point where it is first shown, or,
//! when that was the "since ever" point (whose date is none), at the next
//! point where it is shown.

use super::builtin::{BuiltinRule, WAIVER_RULES};
use super::since::PointFindings;
use super::timeline::{Period, TimelineEntry};
use super::{WaiversInForce, waivers_own_findings};
use crate::fast_hash::FastMap;
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use crate::scenario::date::Date;
use crate::scenario::model::Scenario;

/// A rule, or a kind of the waivers' own findings (`WAIVER_RULES`).
struct Slot<'r> {
    rule: &'r str,
    title: &'r str,
    severity: Severity,
    /// Whether a waiver can accept its findings (the waivers' own cannot).
    waivable: bool,
    /// Each subject met so far, by its number in the slot: a subject's
    /// text is hashed once at a point, the rest is read by its number.
    numbers: FastMap<Vec<String>, u32>,
    /// By number: the subject's ids.
    subjects: Vec<Vec<String>>,
    /// By number: its findings at the last point, waived ones included.
    counts: Vec<u32>,
    /// By number: its entry, once it has one.
    entry: Vec<Option<usize>>,
    /// By number: whether it was shown at the last point.
    shown: Vec<bool>,
    /// For a rule some waiver names: its findings by set of subject ids
    /// (sorted, without repeats), which is what a waiver matches.
    sets: Option<FastMap<Vec<String>, u32>>,
}

/// What is known of a subject touched at a point.
#[derive(Clone, Copy)]
struct Touch<'f> {
    /// The least message of its findings now, when all of them are known
    /// (all of the rule's were given, or it had none at the point before).
    least: Option<&'f str>,
    /// The least message of the findings that came.
    came: Option<&'f str>,
}

/// The point whose findings are taken.
struct Point<'p> {
    in_force: &'p WaiversInForce<'p>,
    /// Whether it is the timeline's "since ever" point.
    since_ever: bool,
    /// The start of the periods that begin there (`None` at "since ever").
    shown_from: &'p Option<String>,
    /// The end of the periods that end there.
    ended: &'p Option<String>,
}

/// A slot's findings at a point.
enum Given<'f> {
    All(Vec<(&'f [String], &'f str)>),
    Changed {
        gone: Vec<&'f [String]>,
        came: Vec<(&'f [String], &'f str)>,
    },
}

pub(crate) struct Periods<'r> {
    scenario: &'r Scenario,
    /// The rules in order, then the waivers' own findings.
    slots: Vec<Slot<'r>>,
    entries: Vec<TimelineEntry>,
    /// Which entries carry the message of the "since ever" point.
    undated: Vec<bool>,
}

impl<'r> Periods<'r> {
    pub fn new(scenario: &'r Scenario, rules: &'r RuleSet) -> Self {
        let named = |id: &str| scenario.waivers.iter().any(|w| w.rule.value == id);
        let slot = |rule: &'r str, title: &'r str, severity, waivable| Slot {
            rule,
            title,
            severity,
            waivable,
            numbers: FastMap::default(),
            subjects: Vec::new(),
            counts: Vec::new(),
            entry: Vec::new(),
            shown: Vec::new(),
            sets: (waivable && named(rule)).then(FastMap::default),
        };
        let mut slots: Vec<Slot<'r>> = rules
            .rules
            .iter()
            .map(|rule| slot(&rule.id, &rule.title, rule.severity, true))
            .collect();
        slots.extend(
            WAIVER_RULES
                .iter()
                .map(|own: &'static BuiltinRule| slot(own.id, own.title, own.severity, false)),
        );
        Periods {
            scenario,
            slots,
            entries: Vec::new(),
            undated: Vec::new(),
        }
    }

    /// Takes the findings at `date`, the point after the last one taken.
    /// `shown_from` is the start of the periods that begin there (`None` at
    /// the "since ever" point).
    pub fn point(
        &mut self,
        date: Date,
        since_ever: bool,
        shown_from: Option<String>,
        rules: &[PointFindings],
    ) {
        let in_force = WaiversInForce::new(self.scenario, date);
        let ended = Some(date.to_string());
        let point = Point {
            in_force: &in_force,
            since_ever,
            shown_from: &shown_from,
            ended: &ended,
        };
        for (slot, found) in rules.iter().enumerate() {
            let given = match found {
                PointFindings::All(all) => Given::All(
                    all.iter()
                        .map(|f| (f.subject.as_slice(), f.message.as_str()))
                        .collect(),
                ),
                PointFindings::Changed(change) => Given::Changed {
                    gone: change.gone.iter().map(|f| f.subject.as_slice()).collect(),
                    came: change
                        .came
                        .iter()
                        .map(|f| (f.subject.as_slice(), f.message.as_str()))
                        .collect(),
                },
            };
            self.settle(slot, given, &point);
        }
        // The waivers' own findings, few, whole at each point: a waiver
        // is used when the first in force for its rule and ids accepts a
        // finding there.
        let mut used = vec![false; self.scenario.waivers.len()];
        for (i, rule, ids) in in_force.each() {
            let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
            let found = self
                .slots
                .iter()
                .filter(|s| s.rule == rule)
                .filter_map(|s| s.sets.as_ref())
                .any(|sets| sets.get(&ids).is_some_and(|n| *n > 0));
            if let Some(used) = used.get_mut(i) {
                *used = found;
            }
        }
        let own = waivers_own_findings(self.scenario, date, &used);
        let first = self.slots.len() - WAIVER_RULES.len();
        for (k, builtin) in WAIVER_RULES.iter().enumerate() {
            let given = Given::All(
                own.iter()
                    .filter(|f| f.rule == builtin.id)
                    .map(|f| (f.subject.as_slice(), f.message.as_str()))
                    .collect(),
            );
            self.settle(first + k, given, &point);
        }
    }

    /// Applies one slot's findings at a point to its counts, and opens and
    /// closes the periods of the subjects they touch.
    fn settle(&mut self, slot: usize, given: Given, point: &Point) {
        let Some(s) = self.slots.get_mut(slot) else {
            return;
        };
        let mut touched: FastMap<u32, Touch> = FastMap::default();
        match given {
            Given::All(all) => {
                let mut now: FastMap<u32, (u32, &str)> = FastMap::default();
                for (subject, message) in all {
                    let number = s.number(subject);
                    let (n, least) = now.entry(number).or_insert((0, message));
                    *n += 1;
                    if message < *least {
                        *least = message;
                    }
                }
                let mut gone = Vec::new();
                for (number, count) in (0u32..).zip(s.counts.iter_mut()) {
                    if *count > 0 && !now.contains_key(&number) {
                        gone.push(number);
                    }
                    *count = 0;
                }
                for (&number, &(n, _)) in &now {
                    if let Some(count) = s.counts.get_mut(number as usize) {
                        *count = n;
                    }
                }
                if let Some(sets) = &mut s.sets {
                    sets.clear();
                    for (&number, &(n, _)) in &now {
                        if let Some(subject) = s.subjects.get(number as usize) {
                            *sets.entry(id_set(subject)).or_default() += n;
                        }
                    }
                }
                for (number, (_, least)) in now {
                    let least = Some(least);
                    touched.insert(number, Touch { least, came: least });
                }
                // Subjects with no finding now: their periods end.
                for number in gone {
                    let none = Touch {
                        least: None,
                        came: None,
                    };
                    s.settle_one(&mut self.entries, &mut self.undated, number, none, point);
                }
            }
            Given::Changed { gone, came } => {
                for subject in gone {
                    let number = s.number(subject);
                    if let Some(n) = s.counts.get_mut(number as usize) {
                        *n = n.saturating_sub(1);
                    }
                    if let Some(sets) = &mut s.sets {
                        let ids = id_set(subject);
                        if let Some(n) = sets.get_mut(&ids) {
                            *n = n.saturating_sub(1);
                            if *n == 0 {
                                sets.remove(&ids);
                            }
                        }
                    }
                    touched.entry(number).or_insert(Touch {
                        least: None,
                        came: None,
                    });
                }
                for (subject, message) in came {
                    let number = s.number(subject);
                    // With none of the point before (its count is read
                    // before the first that came), the findings that came
                    // are all there are.
                    let had = s.counts.get(number as usize).copied().unwrap_or(0);
                    let touch = touched.entry(number).or_insert(Touch {
                        least: (had == 0).then_some(message),
                        came: Some(message),
                    });
                    touch.least = touch.least.map(|l| l.min(message));
                    touch.came = touch.came.map(|l| l.min(message)).or(Some(message));
                    if let Some(n) = s.counts.get_mut(number as usize) {
                        *n += 1;
                    }
                    if let Some(sets) = &mut s.sets {
                        *sets.entry(id_set(subject)).or_default() += 1;
                    }
                }
            }
        }
        for (number, touch) in touched {
            s.settle_one(&mut self.entries, &mut self.undated, number, touch, point);
        }
    }

    /// The entries, their last periods ending at `until`, in report order.
    pub fn finish(mut self, until: Option<String>) -> Vec<TimelineEntry> {
        for slot in &self.slots {
            let shown = slot
                .entry
                .iter()
                .zip(&slot.shown)
                .filter(|(_, shown)| **shown);
            for (entry, _) in shown {
                if let Some(last) = entry
                    .and_then(|entry| self.entries.get_mut(entry))
                    .and_then(|e| e.periods.last_mut())
                {
                    last.until.clone_from(&until);
                }
            }
        }
        let mut findings = self.entries;
        findings.sort_by(|a, b| {
            (b.severity, &a.rule, &a.subject).cmp(&(a.severity, &b.rule, &b.subject))
        });
        findings
    }
}

/// A subject's ids as a waiver matches them: sorted, without repeats.
fn id_set(subject: &[String]) -> Vec<String> {
    let mut ids = subject.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

impl Slot<'_> {
    /// The number of `subject` in the slot, given it when first met.
    fn number(&mut self, subject: &[String]) -> u32 {
        if let Some(&number) = self.numbers.get(subject) {
            return number;
        }
        // More subjects than u32 numbers would have exhausted memory first;
        // were it reached, they would share the last.
        let number = u32::try_from(self.subjects.len()).unwrap_or(u32::MAX);
        self.numbers.insert(subject.to_vec(), number);
        self.subjects.push(subject.to_vec());
        self.counts.push(0);
        self.entry.push(None);
        self.shown.push(false);
        number
    }

    /// Opens or closes the period of one touched subject.
    fn settle_one(
        &mut self,
        entries: &mut Vec<TimelineEntry>,
        undated: &mut Vec<bool>,
        number: u32,
        touch: Touch,
        point: &Point,
    ) {
        let Point {
            in_force,
            since_ever,
            shown_from,
            ended,
        } = *point;
        let at = number as usize;
        let Some(subject) = self.subjects.get(at) else {
            return;
        };
        let found = self.counts.get(at).is_some_and(|n| *n > 0);
        let shown = found && !(self.waivable && in_force.of(self.rule, subject).is_some());
        // The Stepper gives a rule's findings whole wherever a subject may be
        // shown again with findings that were there before (after "since
        // ever", when a waiver ends), so `least` is known wherever it is read;
        // the findings that came stand in otherwise.
        let message = touch.least.or(touch.came);
        let was_shown = self.shown.get(at).copied().unwrap_or(false);
        let entry = self.entry.get(at).copied().flatten();
        // A message from the "since ever" point is replaced by the first real one.
        let redate = |entries: &mut Vec<TimelineEntry>,
                      undated: &mut Vec<bool>,
                      entry: usize,
                      message: Option<&str>| {
            if undated.get(entry).copied().unwrap_or(false)
                && !since_ever
                && let (Some(e), Some(message)) = (entries.get_mut(entry), message)
            {
                e.message = message.to_string();
                if let Some(u) = undated.get_mut(entry) {
                    *u = false;
                }
            }
        };
        match (was_shown, shown) {
            (false, true) => {
                let entry = match entry {
                    Some(entry) => {
                        redate(entries, undated, entry, message);
                        entry
                    }
                    None => {
                        let entry = entries.len();
                        entries.push(TimelineEntry {
                            rule: self.rule.to_string(),
                            subject: subject.clone(),
                            severity: self.severity,
                            title: self.title.to_string(),
                            message: message.unwrap_or_default().to_string(),
                            periods: Vec::new(),
                        });
                        undated.push(since_ever);
                        if let Some(slot) = self.entry.get_mut(at) {
                            *slot = Some(entry);
                        }
                        entry
                    }
                };
                if let Some(e) = entries.get_mut(entry) {
                    e.periods.push(Period {
                        from: shown_from.clone(),
                        until: None,
                    });
                }
            }
            (true, false) => {
                if let Some(last) = entry
                    .and_then(|entry| entries.get_mut(entry))
                    .and_then(|e| e.periods.last_mut())
                {
                    last.until.clone_from(ended);
                }
            }
            (true, true) => {
                if let Some(entry) = entry {
                    redate(entries, undated, entry, touch.least);
                }
            }
            (false, false) => {}
        }
        if let Some(slot) = self.shown.get_mut(at) {
            *slot = shown;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::engine::since::Change;
    use crate::eval::run::RawFinding;
    use std::sync::Arc;

    fn finding(subject: &str, message: &str) -> Arc<RawFinding> {
        Arc::new(RawFinding {
            subject: vec![subject.to_string()],
            message: message.to_string(),
            span: Default::default(),
            evidence: Vec::new(),
            focus: None,
            bound: Vec::new(),
        })
    }

    /// What one rule's findings over three points of a window give, the
    /// other rules having none.
    fn periods_of(points: [PointFindings; 3]) -> Vec<TimelineEntry> {
        let scenario = crate::engine::kabul();
        let rules = RuleSet::standard().unwrap();
        let mut periods = Periods::new(&scenario, &rules);
        let dates = ["2020-01-01", "2021-01-01", "2022-01-01"];
        for (i, (first, date)) in points.into_iter().zip(dates).enumerate() {
            let mut found: Vec<PointFindings> = (0..rules.rules.len())
                .map(|_| PointFindings::Changed(Change::default()))
                .collect();
            if i == 0 {
                found = (0..rules.rules.len())
                    .map(|_| PointFindings::All(Arc::new(Vec::new())))
                    .collect();
            }
            found[0] = first;
            let date = Date::parse(date).unwrap();
            periods.point(date, false, Some(date.to_string()), &found);
        }
        periods
            .finish(None)
            .into_iter()
            .filter(|e| e.rule == rules.rules[0].id)
            .collect()
    }

    #[test]
    fn a_subject_shown_anew_takes_the_least_message_of_its_findings_then() {
        let entries = periods_of([
            PointFindings::All(Arc::new(vec![finding("a", "first")])),
            // `b` comes with three findings, the least not first; `a`
            // keeps its message (a finding gone, another come).
            PointFindings::Changed(Change {
                gone: vec![finding("a", "first")],
                came: vec![
                    finding("b", "fired: none"),
                    finding("b", "fired: 1"),
                    finding("b", "fired: 2"),
                    finding("a", "later"),
                ],
            }),
            // `a` goes; `b` loses one of its findings and stays.
            PointFindings::Changed(Change {
                gone: vec![finding("a", "later"), finding("b", "fired: 1")],
                came: Vec::new(),
            }),
        ]);
        type Shown = (String, String, Vec<(Option<String>, Option<String>)>);
        let seen: Vec<Shown> = entries
            .into_iter()
            .map(|e| {
                let periods = e.periods.into_iter().map(|p| (p.from, p.until)).collect();
                (e.subject.join(" "), e.message, periods)
            })
            .collect();
        let day = |d: &str| Some(d.to_string());
        assert_eq!(
            seen,
            vec![
                (
                    "a".to_string(),
                    "first".to_string(),
                    vec![(day("2020-01-01"), day("2022-01-01"))]
                ),
                (
                    "b".to_string(),
                    "fired: 1".to_string(),
                    vec![(day("2021-01-01"), None)]
                ),
            ]
        );
    }
}
