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
    /// Its findings at the last point, by subject, waived ones included.
    counts: FastMap<Vec<String>, u32>,
    /// The subjects shown at the last point, with their entries.
    shown: FastMap<Vec<String>, usize>,
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
    by_key: FastMap<(&'r str, Vec<String>), usize>,
}

impl<'r> Periods<'r> {
    pub fn new(scenario: &'r Scenario, rules: &'r RuleSet) -> Self {
        let named = |id: &str| scenario.waivers.iter().any(|w| w.rule.value == id);
        let slot = |rule: &'r str, title: &'r str, severity, waivable| Slot {
            rule,
            title,
            severity,
            waivable,
            counts: FastMap::default(),
            shown: FastMap::default(),
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
            by_key: FastMap::default(),
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
            self.settle(slot, given, &in_force, since_ever, &shown_from, &ended);
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
            self.settle(first + k, given, &in_force, since_ever, &shown_from, &ended);
        }
    }

    /// Applies one slot's findings at a point to its counts, and opens and
    /// closes the periods of the subjects they touch.
    fn settle(
        &mut self,
        slot: usize,
        given: Given,
        in_force: &WaiversInForce,
        since_ever: bool,
        shown_from: &Option<String>,
        ended: &Option<String>,
    ) {
        let Some(s) = self.slots.get_mut(slot) else {
            return;
        };
        let mut touched: FastMap<&[String], Touch> = FastMap::default();
        match given {
            Given::All(all) => {
                let mut now: FastMap<&[String], (u32, &str)> = FastMap::default();
                for (subject, message) in all {
                    let (n, least) = now.entry(subject).or_insert((0, message));
                    *n += 1;
                    if message < *least {
                        *least = message;
                    }
                }
                let counts: FastMap<Vec<String>, u32> = now
                    .iter()
                    .map(|(subject, (n, _))| (subject.to_vec(), *n))
                    .collect();
                let gone: Vec<Vec<String>> = s
                    .counts
                    .keys()
                    .filter(|subject| !now.contains_key(subject.as_slice()))
                    .cloned()
                    .collect();
                if let Some(sets) = &mut s.sets {
                    sets.clear();
                    for (subject, (n, _)) in &now {
                        *sets.entry(id_set(subject)).or_default() += n;
                    }
                }
                s.counts = counts;
                for (subject, (_, least)) in now {
                    let least = Some(least);
                    touched.insert(subject, Touch { least, came: least });
                }
                // Subjects with no finding now: their periods end.
                for subject in &gone {
                    settle_one(
                        s,
                        &mut self.entries,
                        &mut self.undated,
                        &mut self.by_key,
                        subject,
                        Touch {
                            least: None,
                            came: None,
                        },
                        in_force,
                        since_ever,
                        shown_from,
                        ended,
                    );
                }
            }
            Given::Changed { gone, came } => {
                for subject in gone {
                    if let Some(n) = s.counts.get_mut(subject) {
                        *n = n.saturating_sub(1);
                        if *n == 0 {
                            s.counts.remove(subject);
                        }
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
                    touched.entry(subject).or_insert(Touch {
                        least: None,
                        came: None,
                    });
                }
                for (subject, message) in came {
                    // With none of the point before (its count is read
                    // before the first that came), the findings that came
                    // are all there are.
                    let had = s.counts.get(subject).copied().unwrap_or(0);
                    let touch = touched.entry(subject).or_insert(Touch {
                        least: (had == 0).then_some(message),
                        came: Some(message),
                    });
                    touch.least = touch.least.map(|l| l.min(message));
                    touch.came = touch.came.map(|l| l.min(message)).or(Some(message));
                    *s.counts.entry(subject.to_vec()).or_default() += 1;
                    if let Some(sets) = &mut s.sets {
                        *sets.entry(id_set(subject)).or_default() += 1;
                    }
                }
            }
        }
        for (subject, touch) in touched {
            settle_one(
                s,
                &mut self.entries,
                &mut self.undated,
                &mut self.by_key,
                subject,
                touch,
                in_force,
                since_ever,
                shown_from,
                ended,
            );
        }
    }

    /// The entries, their last periods ending at `until`, in report order.
    pub fn finish(mut self, until: Option<String>) -> Vec<TimelineEntry> {
        for slot in &self.slots {
            for &entry in slot.shown.values() {
                if let Some(last) = self
                    .entries
                    .get_mut(entry)
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

/// Opens or closes the period of one touched subject of a slot.
#[allow(clippy::too_many_arguments)]
fn settle_one<'r>(
    s: &mut Slot<'r>,
    entries: &mut Vec<TimelineEntry>,
    undated: &mut Vec<bool>,
    by_key: &mut FastMap<(&'r str, Vec<String>), usize>,
    subject: &[String],
    touch: Touch,
    in_force: &WaiversInForce,
    since_ever: bool,
    shown_from: &Option<String>,
    ended: &Option<String>,
) {
    let found = s.counts.get(subject).is_some_and(|n| *n > 0);
    let shown = found && !(s.waivable && in_force.of(s.rule, subject).is_some());
    // The Stepper gives a rule's findings whole wherever a subject may be
    // shown again with findings that were there before (after "since
    // ever", when a waiver ends), so `least` is known wherever it is read;
    // the findings that came stand in otherwise.
    let message = touch.least.or(touch.came);
    match (s.shown.get(subject).copied(), shown) {
        (None, true) => {
            let entry = match by_key.get(&(s.rule, subject.to_vec())) {
                Some(&entry) => {
                    if undated.get(entry).copied().unwrap_or(false)
                        && !since_ever
                        && let (Some(e), Some(message)) = (entries.get_mut(entry), message)
                    {
                        e.message = message.to_string();
                        if let Some(u) = undated.get_mut(entry) {
                            *u = false;
                        }
                    }
                    entry
                }
                None => {
                    let entry = entries.len();
                    entries.push(TimelineEntry {
                        rule: s.rule.to_string(),
                        subject: subject.to_vec(),
                        severity: s.severity,
                        title: s.title.to_string(),
                        message: message.unwrap_or_default().to_string(),
                        periods: Vec::new(),
                    });
                    undated.push(since_ever);
                    by_key.insert((s.rule, subject.to_vec()), entry);
                    entry
                }
            };
            if let Some(e) = entries.get_mut(entry) {
                e.periods.push(Period {
                    from: shown_from.clone(),
                    until: None,
                });
            }
            s.shown.insert(subject.to_vec(), entry);
        }
        (Some(entry), false) => {
            if let Some(last) = entries.get_mut(entry).and_then(|e| e.periods.last_mut()) {
                last.until.clone_from(ended);
            }
            s.shown.remove(subject);
        }
        (Some(entry), true) => {
            if undated.get(entry).copied().unwrap_or(false)
                && !since_ever
                && let (Some(e), Some(message)) = (entries.get_mut(entry), touch.least)
            {
                e.message = message.to_string();
                if let Some(u) = undated.get_mut(entry) {
                    *u = false;
                }
            }
        }
        (None, false) => {}
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
