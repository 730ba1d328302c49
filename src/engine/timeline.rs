//! When each finding holds: the rules are evaluated only at the dates where
//! the world can change (every date written in the scenario, and the dates
//! a rule's comparisons with `as_of` make significant, moved by the days a
//! rule counts), never day by day, so the cost grows with the number of
//! changes, not of days.

use super::{CheckOptions, Evaluation, Prepared};
use crate::diag::Diagnostic;
use crate::lang::ast::{CmpOp, Severity};
use crate::lang::check::{Ex, Lit};
use crate::lang::ruleset::RuleSet;
use crate::scenario::date::Date;
use crate::scenario::model::{At, Head, Mission, Scenario};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// `[from, until)`; `None` is open on that side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub rule: String,
    pub subject: Vec<String>,
    pub severity: Severity,
    pub title: String,
    /// The finding's message when it first holds.
    pub message: String,
    pub periods: Vec<Period>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineReport {
    pub scenario: String,
    pub file: String,
    pub from: Option<String>,
    pub until: Option<String>,
    /// How many dates were evaluated.
    pub evaluations: usize,
    pub findings: Vec<TimelineEntry>,
}

/// Every date at which something in the scenario starts or ends. Dates that
/// compare equal (`2018-04` and `2018-04-01`) are one point, printed in the
/// most precise form written.
pub fn change_points(scenario: &Scenario) -> Vec<Date> {
    let mut dates: Vec<Date> = Vec::new();
    let mut add = |d: &Option<At<Date>>| {
        if let Some(d) = d {
            dates.push(d.value);
        }
    };
    let head = |h: &Head, add: &mut dyn FnMut(&Option<At<Date>>)| {
        add(&h.from);
        add(&h.until);
        add(&h.agrement);
        add(&h.exequatur);
        if let Some(c) = &h.credentials {
            add(&c.on);
        }
    };
    let mission = |m: &Mission, add: &mut dyn FnMut(&Option<At<Date>>)| {
        add(&m.from);
        add(&m.until);
        for s in &m.staff {
            add(&s.from);
            add(&s.until);
        }
        for h in &m.heads {
            head(h, add);
        }
    };
    for g in &scenario.governments {
        add(&g.from);
        add(&g.until);
    }
    for r in &scenario.recognitions {
        add(&r.from);
        add(&r.until);
    }
    for m in &scenario.missions {
        mission(m, &mut add);
    }
    for r in &scenario.relations {
        add(&r.from);
        add(&r.until);
    }
    // An event is in the world from its `on`; a recall's absence ends on its `until`.
    for e in &scenario.events {
        add(&Some(e.on.clone()));
        add(&e.until);
    }
    // An expulsion lowers the staff, and a persona non grata's notice runs
    // out, at `on` + `notice_days`: a date read from the event's own count,
    // not written in the file (a rule comparing `as_of` with it then adds
    // the day after, where `as_of > on + notice_days` first holds).
    for w in &scenario.waivers {
        add(&w.until);
    }
    dates.extend(
        scenario
            .events
            .iter()
            .filter(|e| e.notice_days > 0)
            .filter_map(|e| e.on.value.add_days(i64::from(e.notice_days))),
    );
    // Proposals are what-ifs, not history: their dates are not change points.
    sort_points(&mut dates);
    dates
}

/// In order; of dates that compare equal, the most precise one written.
fn sort_points(dates: &mut Vec<Date>) {
    dates.sort_by(|a, b| a.cmp(b).then(precision_rank(b).cmp(&precision_rank(a))));
    dates.dedup_by(|later, earlier| later == earlier);
}

/// The dates at which a rule comparing `as_of` with a date can change its
/// verdict though the scenario does not change: a date written in the rule
/// (and the day after it), and, where `as_of` must be past a date read from
/// the scenario (`as_of > d`, `d < as_of`, `as_of <= d`, `d >= as_of`,
/// `==`, `!=`, `in`), the day after each change point. Where the rule
/// moves a date by a written number of days, or compares `days(..)` with a
/// written number, `as_of` meets a date at that many days from it: each
/// such distance from every change point and written date, and the day
/// after (`m.head.from + 90 < as_of` changes at a head's `from` + 91).
fn rule_points(rules: &RuleSet, points: &[Date]) -> Vec<Date> {
    let mut literals = Vec::new();
    let mut day_after = false;
    let mut distances = BTreeSet::new();
    for rule in &rules.rules {
        for ex in rule.filter.iter().chain(&rule.require) {
            significant(ex, &mut literals, &mut day_after);
            distances_from_as_of(ex, &mut distances);
        }
    }
    let mut out: Vec<Date> = literals.iter().flat_map(|d| [*d, d.next_day()]).collect();
    if day_after {
        out.extend(points.iter().map(Date::next_day));
    }
    let bases: Vec<Date> = points.iter().chain(&literals).copied().collect();
    for distance in distances {
        // `as_of - 90` is `none` until 0001-04-01, where "since ever" ends
        // (for a distance of 90 or none, there is no such date).
        out.extend(Date::EARLIEST.add_days(-distance));
        for base in &bases {
            out.extend(base.add_days(distance));
            out.extend(distance.checked_add(1).and_then(|d| base.add_days(d)));
        }
    }
    out
}

use crate::scenario::date::MAX_DISTANCE;

/// A date as `as_of` or another date, moved by written days: `as_of - 5`
/// is `(true, -5)`, `m.head.from + 90` is `(false, 90)`. `None` when moved
/// by a count that is not written (`d + m.staff`) or past the range.
fn moved(ex: &Ex) -> Option<(bool, i64)> {
    match ex {
        Ex::AsOf => Some((true, 0)),
        Ex::Shift { date, days, back } => {
            // A written count is whole: the checker refuses `d + 1.5`.
            let Ex::Lit(Lit::Num(n)) = **days else {
                return None;
            };
            if n.abs() > MAX_DISTANCE {
                return None;
            }
            let (as_of, by) = moved(date)?;
            let n = n as i64;
            Some((as_of, if *back { by - n } else { by + n }))
        }
        // Reads no `as_of`, or only through records that change at change
        // points (or is no date at all).
        _ => Some((false, 0)),
    }
}

/// How many days after a date `as_of` is where `a` and `b` meet, when
/// exactly one of them is `as_of` and one is moved (`significant` covers
/// `as_of` compared as it is).
fn meeting(a: &Ex, b: &Ex) -> Option<i64> {
    if !matches!(a, Ex::Shift { .. }) && !matches!(b, Ex::Shift { .. }) {
        return None;
    }
    match (moved(a)?, moved(b)?) {
        ((true, ca), (false, cb)) => Some(cb - ca),
        ((false, ca), (true, cb)) => Some(ca - cb),
        _ => None,
    }
}

/// `days(u, v)` compared with a written number `k`: where `v - u` is `k`
/// (or, for a `k` with a fraction, its whole part: `> 90.5` changes where
/// `> 90` does).
fn days_meeting(call: &Ex, k: &Ex) -> Option<i64> {
    let (Ex::Call { function, args }, Ex::Lit(Lit::Num(k))) = (call, k) else {
        return None;
    };
    if function.name != "days" {
        return None;
    }
    let [u, v] = args.as_slice() else {
        return None;
    };
    if k.abs() > MAX_DISTANCE {
        return None;
    }
    let k = k.floor() as i64;
    match (moved(u)?, moved(v)?) {
        // as_of + cv - (x + cu) == k
        ((false, cu), (true, cv)) => Some(cu + k - cv),
        // y + cv - (as_of + cu) == k
        ((true, cu), (false, cv)) => Some(cv - k - cu),
        _ => None,
    }
}

fn distances_from_as_of(ex: &Ex, out: &mut BTreeSet<i64>) {
    let mut walk = |ex: &Ex| distances_from_as_of(ex, out);
    match ex {
        Ex::Lit(_) | Ex::Var(_) | Ex::AsOf => {}
        Ex::Cmp(_, a, b) => {
            walk(a);
            walk(b);
            out.extend(meeting(a, b));
            out.extend(days_meeting(a, b).or_else(|| days_meeting(b, a)));
        }
        Ex::In { item, list, .. } => {
            walk(item);
            list.iter().for_each(&mut walk);
            out.extend(list.iter().filter_map(|e| meeting(item, e)));
        }
        Ex::Field(inner, ..) | Ex::Not(inner) => walk(inner),
        Ex::Shift { date, days, .. } => {
            walk(date);
            walk(days);
            // `as_of` moved back is `none` near the start of the range (see
            // `rule_points`); moved forward, the extra points are harmless.
            if let Some((true, by)) = moved(ex) {
                out.insert(by);
            }
        }
        Ex::And(a, b) | Ex::Or(a, b) => {
            walk(a);
            walk(b);
        }
        Ex::Call { args, .. } => args.iter().for_each(walk),
        Ex::Quantifier { filter, term, .. } => {
            filter.iter().chain(term).for_each(|e| walk(e));
        }
    }
}

fn significant(ex: &Ex, literals: &mut Vec<Date>, day_after: &mut bool) {
    let mut walk = |ex: &Ex| significant(ex, literals, day_after);
    match ex {
        Ex::Lit(Lit::Date(d)) => literals.push(*d),
        Ex::Lit(_) | Ex::Var(_) | Ex::AsOf => {}
        Ex::Cmp(op, a, b) => {
            let after = match (&**a, &**b) {
                (Ex::AsOf, Ex::Lit(_)) | (Ex::Lit(_), Ex::AsOf) => false,
                (Ex::AsOf, _) => matches!(op, CmpOp::Gt | CmpOp::Le | CmpOp::Eq | CmpOp::Ne),
                (_, Ex::AsOf) => matches!(op, CmpOp::Lt | CmpOp::Ge | CmpOp::Eq | CmpOp::Ne),
                _ => false,
            };
            walk(a);
            walk(b);
            *day_after |= after;
        }
        Ex::In { item, list, .. } => {
            let as_of = matches!(**item, Ex::AsOf) || list.iter().any(|e| matches!(e, Ex::AsOf));
            walk(item);
            list.iter().for_each(&mut walk);
            *day_after |= as_of;
        }
        Ex::Field(inner, ..) | Ex::Not(inner) => walk(inner),
        Ex::And(a, b)
        | Ex::Or(a, b)
        | Ex::Shift {
            date: a, days: b, ..
        } => {
            walk(a);
            walk(b);
        }
        Ex::Call { args, .. } => args.iter().for_each(walk),
        Ex::Quantifier { filter, term, .. } => {
            if let Some(filter) = filter {
                walk(filter);
            }
            if let Some(term) = term {
                walk(term);
            }
        }
    }
}

fn precision_rank(d: &Date) -> u8 {
    match d.precision() {
        crate::scenario::date::Precision::Day => 2,
        crate::scenario::date::Precision::Month => 1,
        crate::scenario::date::Precision::Year => 0,
    }
}

/// The periods in which each finding holds, between `from` and `until`
/// (default: since ever, and still so).
pub fn timeline(
    scenario: &Scenario,
    rules: &RuleSet,
    from: Option<Date>,
    until: Option<Date>,
    options: &CheckOptions,
) -> Result<TimelineReport, Vec<Diagnostic>> {
    timeline_by(scenario, rules, from, until, options, Evaluation::AsChange)
}

/// `timeline`, each point evaluated as `how` says (the same report either way).
pub fn timeline_by(
    scenario: &Scenario,
    rules: &RuleSet,
    from: Option<Date>,
    until: Option<Date>,
    options: &CheckOptions,
    how: Evaluation,
) -> Result<TimelineReport, Vec<Diagnostic>> {
    // In full, the points are independent: they are shared out among the
    // cores, and each point's rules run on its own thread
    // (`parallel::cores`). On a 50-state decade that took 0.6 of the time
    // of one point after another with each point's rules shared out
    // (docs/performance.md). Each thread holds a world of its own.
    let workers = crate::parallel::cores().min(crate::parallel::MAX_WORLD_THREADS);
    timeline_on(scenario, rules, from, until, options, workers, how)
}

/// `timeline`, with the points evaluated on up to `workers` threads, a few
/// at a time (only those reports are held at once), and taken in order: the
/// report does not depend on the number of threads.
fn timeline_on(
    scenario: &Scenario,
    rules: &RuleSet,
    from: Option<Date>,
    until: Option<Date>,
    options: &CheckOptions,
    workers: usize,
    how: Evaluation,
) -> Result<TimelineReport, Vec<Diagnostic>> {
    // The first point stands for "since ever" unless a start is given.
    let start = from.unwrap_or(Date::EARLIEST);
    let mut points = vec![start];
    let mut dates = change_points(scenario);
    let significant = rule_points(rules, &dates);
    if !significant.is_empty() {
        dates.extend(significant);
        sort_points(&mut dates);
    }
    points.extend(
        dates
            .into_iter()
            .filter(|d| *d > start && until.is_none_or(|u| *d < u)),
    );
    // Claims and waivers are checked once, not at every point.
    let prepared = Prepared::new(scenario, rules)?;
    let report = |findings| TimelineReport {
        scenario: scenario.id.value.clone(),
        file: scenario.file.clone(),
        from: from.map(|d| d.to_string()),
        until: until.map(|d| d.to_string()),
        evaluations: points.len(),
        findings,
    };
    if how == Evaluation::AsChange {
        let lanes = workers.clamp(1, points.len().max(1));
        return Ok(report(from_the_last(
            &prepared, rules, &points, from, until, options, lanes,
        )?));
    }
    // Every point in full, its report merged whole: the reference for
    // `periods`, which the differential test holds it to.
    let mut entries: BTreeMap<(String, Vec<String>), TimelineEntry> = BTreeMap::new();
    // Findings whose message so far comes from the "since ever" point, whose
    // date (0001-01-01) is no real date: the first real one replaces it.
    let mut undated: BTreeSet<(String, Vec<String>)> = BTreeSet::new();
    // A timeline shows each finding's message and periods, never its
    // evidence: the sentences are not built at each point.
    let at = |point: &Date| prepared.messages_at(rules, *point, options.budget);
    let batch = workers.max(1) * 4;
    let mut reports = Vec::new();
    for (i, point) in points.iter().enumerate() {
        if i % batch == 0 {
            let next = points.get(i..).unwrap_or_default();
            let next = next.get(..batch).unwrap_or(next);
            reports = if workers > 1 {
                crate::parallel::share_out(next, workers, || (), |_, _, point| Some(at(point)))
            } else {
                next.iter().map(|point| Some(at(point))).collect()
            };
            reports.reverse();
        }
        // A result is missing only where a worker panicked, which ends the
        // scope anyway; evaluated here again all the same. The first
        // point in error is the one reported, as one thread would.
        let report = match reports.pop().flatten() {
            Some(report) => report?,
            None => at(point)?,
        };
        let since_ever = i == 0 && from.is_none();
        let period_from = if i == 0 && from.is_none() {
            None
        } else {
            Some(point.to_string())
        };
        let period_until = points.get(i + 1).copied().or(until).map(|d| d.to_string());
        // A rule may report one subject more than once at a point (`subject`
        // naming some of its variables): one period, from the first.
        let mut seen = BTreeSet::new();
        for finding in report.findings {
            let key = (finding.rule.clone(), finding.subject.clone());
            if !seen.insert(key.clone()) {
                continue;
            }
            if since_ever {
                undated.insert(key.clone());
            } else if undated.remove(&key)
                && let Some(entry) = entries.get_mut(&key)
            {
                entry.message = finding.message.clone();
            }
            let entry = entries.entry(key).or_insert_with(|| TimelineEntry {
                rule: finding.rule.clone(),
                subject: finding.subject.clone(),
                severity: finding.severity,
                title: finding.title.clone(),
                message: finding.message.clone(),
                periods: Vec::new(),
            });
            // Extend the last period when the finding held at the previous point too.
            match entry.periods.last_mut() {
                Some(last) if last.until == period_from && period_from.is_some() => {
                    last.until = period_until.clone();
                }
                _ => entry.periods.push(Period {
                    from: period_from.clone(),
                    until: period_until.clone(),
                }),
            }
        }
    }
    let mut findings: Vec<TimelineEntry> = entries.into_values().collect();
    findings
        .sort_by(|a, b| (b.severity, &a.rule, &a.subject).cmp(&(a.severity, &b.rule, &b.subject)));
    Ok(report(findings))
}

/// The timeline's entries, each point evaluated from the last: the points
/// cut into `lanes` runs of consecutive points, each run on a thread of its
/// own from its own first point (evaluated in full), the findings' changes
/// then taken in point order (`periods`). The first point in error is the
/// one reported, as one thread would.
fn from_the_last(
    prepared: &Prepared,
    rules: &RuleSet,
    points: &[Date],
    from: Option<Date>,
    until: Option<Date>,
    options: &CheckOptions,
    lanes: usize,
) -> Result<Vec<TimelineEntry>, Vec<Diagnostic>> {
    let sizes = prepared.interned().point_sizes(points);
    let runs = runs_of(points, &point_costs(&sizes), lanes);
    let evaluate = |(first, dates): &(usize, &[Date])| {
        let mut stepper = super::since::Stepper::new(prepared, rules, options.budget);
        let mut found = Vec::with_capacity(dates.len());
        for (k, date) in dates.iter().enumerate() {
            let since_ever = first + k == 0 && from.is_none();
            let point = stepper.step(*date, since_ever);
            let failed = point.is_err();
            found.push(point);
            if failed {
                break;
            }
        }
        found
    };
    let evaluated = if runs.len() > 1 {
        crate::parallel::share_out(&runs, runs.len(), || (), |_, _, run| Some(evaluate(run)))
    } else {
        Vec::new()
    };
    let mut evaluated = evaluated.into_iter();
    let mut periods = super::periods::Periods::new(prepared.scenario, rules);
    for run in &runs {
        // A run is missing only where a worker panicked, which ends the
        // scope anyway; evaluated here again all the same.
        let found = match evaluated.next().flatten() {
            Some(found) => found,
            None => evaluate(run),
        };
        for (j, point) in found.into_iter().enumerate() {
            let i = run.0 + j;
            let Some(date) = points.get(i) else { break };
            let since_ever = i == 0 && from.is_none();
            let shown_from = (!since_ever).then(|| date.to_string());
            periods.point(*date, since_ever, shown_from, &point?);
        }
    }
    Ok(periods.finish(until.map(|d| d.to_string())))
}

/// What evaluating each point costs, roughly, in a run: (its first point
/// in full, each later one from the last). Measured on the synthetic
/// worlds: a point from the last costs about a copied row per open
/// mission and sixteen per changed one; a point in full, a hundred per
/// open mission (a 200-state point: about 10 ms; in full, about 0.8 s).
fn point_costs(sizes: &[(usize, usize)]) -> Vec<(u64, u64)> {
    sizes
        .iter()
        .map(|&(open, changed)| {
            let (open, changed) = (open as u64, changed as u64);
            (
                open.saturating_mul(100).saturating_add(1),
                open.saturating_add(changed.saturating_mul(16))
                    .saturating_add(1),
            )
        })
        .collect()
}

/// The points cut into at most `lanes` runs of consecutive points of about
/// equal cost (`costs`: each point's in full and from the last), each run
/// with the index of its first point. A world that grows over the decade
/// costs more at its end: runs of equal length left one thread with
/// nearly twice the other's work.
fn runs_of<'d>(points: &'d [Date], costs: &[(u64, u64)], lanes: usize) -> Vec<(usize, &'d [Date])> {
    // A point's cost where it is in a run that started before it.
    let cost_at = |i: usize, &(full, step): &(u64, u64)| if i == 0 { full } else { step };
    // Cuts the points greedily into runs of at most `most` each.
    let cut = |most: u64| -> Vec<usize> {
        let mut starts = vec![0usize];
        let mut run = 0u64;
        for (i, &(full, step)) in costs.iter().enumerate() {
            let cost = cost_at(i, &(full, step));
            if i > 0 && run.saturating_add(cost) > most {
                starts.push(i);
                run = full;
            } else {
                run = run.saturating_add(cost);
            }
        }
        starts
    };
    let lanes = lanes.max(1);
    let total: u64 = costs
        .iter()
        .enumerate()
        .map(|(i, costs)| cost_at(i, costs))
        .fold(0, u64::saturating_add);
    // The least most-costly run that needs no more than `lanes` runs.
    let (mut low, mut high) = (total / lanes as u64, total.max(1));
    while low < high {
        let middle = low + (high - low) / 2;
        if cut(middle).len() <= lanes {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    let starts = cut(high);
    starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(points.len());
            (start, points.get(start..end).unwrap_or_default())
        })
        .filter(|(_, dates)| !dates.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// Runs cover every point once, in order, and the costlier points are
    /// fewer to a run: a world that grows is cut late.
    #[test]
    fn runs_cover_the_points_in_order_by_their_cost() {
        let points: Vec<Date> = (0..100)
            .map(|day| Date::parse("2020-01-01").unwrap().add_days(day).unwrap())
            .collect();
        let starts = |costs: &[(u64, u64)], lanes| -> Vec<usize> {
            let runs = runs_of(&points, costs, lanes);
            let mut next = 0;
            for (start, dates) in &runs {
                assert_eq!(*start, next);
                assert_eq!(*dates, &points[*start..*start + dates.len()]);
                next += dates.len();
            }
            assert_eq!(next, points.len());
            runs.iter().map(|(start, _)| *start).collect()
        };
        let even = vec![(10, 10); 100];
        assert_eq!(starts(&even, 1), [0]);
        assert_eq!(starts(&even, 2), [0, 50]);
        assert_eq!(starts(&even, 4), [0, 25, 50, 75]);
        // Each run pays for one point in full.
        let full = vec![(100, 10); 100];
        assert_eq!(starts(&full, 2), [0, 50]);
        // Points that cost more the later they come.
        let growing: Vec<(u64, u64)> = (1..=100).map(|i| (i * 10, i)).collect();
        let cut = starts(&growing, 2);
        assert!(cut[1] > 60, "{cut:?}");
        // More lanes than points, and no points.
        assert_eq!(starts(&even[..3], 8).len(), 3);
        assert!(runs_of(&[], &[], 2).is_empty());
    }

    /// Points shared out among threads give the report one thread gives,
    /// whole and in the same order, for any number of threads (and batches
    /// that do not divide the points evenly), from the start or a date; and
    /// each point evaluated from the last gives it too.
    #[test]
    fn the_timeline_does_not_depend_on_the_threads() {
        let scenario = crate::engine::kabul();
        let rules = RuleSet::standard().unwrap();
        let options = CheckOptions::default();
        for from in [None, Date::parse("2021-08-15").ok()] {
            let one = timeline_on(
                &scenario,
                &rules,
                from,
                None,
                &options,
                1,
                Evaluation::InFull,
            )
            .unwrap();
            assert!(one.evaluations > 12, "{} points", one.evaluations);
            assert!(!one.findings.is_empty());
            for workers in [1, 2, 3, 5] {
                for how in [Evaluation::InFull, Evaluation::AsChange] {
                    let many =
                        timeline_on(&scenario, &rules, from, None, &options, workers, how).unwrap();
                    assert_eq!(many, one, "{workers} threads, {how:?}");
                }
            }
        }
    }

    #[test]
    fn the_largest_distance_spans_the_range_of_dates() {
        assert_eq!(MAX_DISTANCE, Date::LATEST.day_number() as f64);
    }

    fn written(dates: &[&str]) -> Vec<String> {
        let mut dates: Vec<Date> = dates.iter().filter_map(|d| Date::parse(d).ok()).collect();
        sort_points(&mut dates);
        dates.iter().map(Date::to_string).collect()
    }

    /// `2021-08` and `2021-08-01` are one change point; the period shows the
    /// day, however the records that wrote them are ordered.
    #[test]
    fn of_equal_points_the_most_precise_is_kept_in_either_order() {
        let expected = ["2021", "2021-08-01"];
        assert_eq!(written(&["2021-08", "2021-08-01", "2021"]), expected);
        assert_eq!(written(&["2021-08-01", "2021-08", "2021"]), expected);
        assert_eq!(written(&["2021", "2021-01", "2021-01-01"]), ["2021-01-01"]);
        assert_eq!(written(&["2021-01-01", "2021-01", "2021"]), ["2021-01-01"]);
        assert_eq!(written(&["2021", "2021-01"]), ["2021-01"]);
    }
}
