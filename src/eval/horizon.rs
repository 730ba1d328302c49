//! When a binding's verdict can next change with the date alone (issue 12).
//!
//! A timeline evaluates each point from the last (`engine::since`); a rule
//! that reads the date (`credentials-pending`: `days(m.head.from, as_of) >
//! 90`) can change its verdict for a binding whose records did not change.
//! When every reading of the date in the rule's `where`, `require` and
//! subject is an ordering comparison of the date, moved by written days or
//! counted from or to a date (`days(x, as_of)`), with something that does
//! not read the date, each such comparison is monotone in the date: it
//! changes at most once as the date moves on, on a day computed from the
//! other side's value. Evaluating a binding notes, for each comparison it
//! evaluated, that day (`Evaluator::with_horizons`); a later point
//! re-evaluates the binding only if its records changed or one of its days
//! has come. A comparison a binding never evaluated (`and` stopped before
//! it) cannot change its verdict until one it did evaluate changes.

use crate::fast_hash::FastMap;
use crate::lang::ast::CmpOp;
use crate::lang::check::{CheckedRule, Ex, Lit};
use crate::lang::functions::Form;
use crate::scenario::date::{Date, MAX_DISTANCE};

use super::value::Value;

/// A comparison of the date with a value of the records, as `date op other`.
#[derive(Debug)]
pub struct Atom<'r> {
    op: CmpOp,
    date: DateSide<'r>,
    other: &'r Ex,
}

/// How the date side of a comparison reads the date `d`.
#[derive(Debug, Clone, Copy)]
enum DateSide<'r> {
    /// `d` moved by a written count of days (`as_of - 30`).
    Moved(i64),
    /// `days(from, as_of)`: the days from `from` to `d`.
    Since(&'r Ex),
    /// `days(as_of, to)`: the days from `d` to `to`.
    Until(&'r Ex),
}

/// The date comparisons of a rule, by the address of their `Ex::Cmp`.
#[derive(Debug, Default)]
pub struct Atoms<'r> {
    atoms: FastMap<usize, Atom<'r>>,
}

impl<'r> Atoms<'r> {
    /// The comparisons through which `rule`'s `where`, `require` and
    /// subject read the date; `None` when they read it otherwise too (the
    /// date as a value, compared with `==`, a function that reads the date
    /// when its own is left out) or not at all.
    pub fn of(rule: &'r CheckedRule) -> Option<Atoms<'r>> {
        let mut atoms = Atoms::default();
        for ex in rule
            .filter
            .iter()
            .chain(&rule.require)
            .chain(&rule.subject_sets)
        {
            atoms.walk(ex)?;
        }
        (!atoms.atoms.is_empty()).then_some(atoms)
    }

    pub fn get(&self, ex: &Ex) -> Option<&Atom<'r>> {
        self.atoms.get(&(ex as *const Ex as usize))
    }

    fn walk(&mut self, ex: &'r Ex) -> Option<()> {
        if !reads_date(ex) {
            return Some(());
        }
        match ex {
            Ex::Cmp(op, a, b) => {
                if matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    return None;
                }
                let atom = match (date_side(a), date_side(b)) {
                    (Some(date), _) if !reads_date(b) => Atom {
                        op: *op,
                        date,
                        other: b,
                    },
                    (_, Some(date)) if !reads_date(a) => Atom {
                        op: reversed(*op),
                        date,
                        other: a,
                    },
                    _ => return None,
                };
                self.atoms.insert(ex as *const Ex as usize, atom);
                Some(())
            }
            Ex::Lit(_)
            | Ex::Var(_)
            | Ex::AsOf
            | Ex::Field(..)
            | Ex::Shift { .. }
            | Ex::In { .. } => None,
            Ex::Call { .. } if dated_call(ex) => None,
            Ex::Call { args, .. } => args.iter().try_for_each(|a| self.walk(a)),
            Ex::Not(inner) => self.walk(inner),
            Ex::And(a, b) | Ex::Or(a, b) => {
                self.walk(a)?;
                self.walk(b)
            }
            Ex::Quantifier { filter, term, .. } => {
                filter.iter().chain(term).try_for_each(|e| self.walk(e))
            }
        }
    }
}

/// `a op b` as `b op' a`.
fn reversed(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// A function that reads the date because its own is left out.
fn dated_call(ex: &Ex) -> bool {
    let Ex::Call { function, args } = ex else {
        return false;
    };
    let params = match function.form {
        Form::Call { params, .. } => params.len(),
        Form::Quantifier { .. } => 0,
    };
    function.dated && args.len() < params
}

/// Whether `ex` reads the evaluation date anywhere.
fn reads_date(ex: &Ex) -> bool {
    match ex {
        Ex::AsOf => true,
        Ex::Lit(_) | Ex::Var(_) => false,
        Ex::Field(inner, ..) | Ex::Not(inner) => reads_date(inner),
        Ex::And(a, b)
        | Ex::Or(a, b)
        | Ex::Cmp(_, a, b)
        | Ex::Shift {
            date: a, days: b, ..
        } => reads_date(a) || reads_date(b),
        Ex::In { item, list, .. } => reads_date(item) || list.iter().any(reads_date),
        Ex::Call { args, .. } => dated_call(ex) || args.iter().any(reads_date),
        Ex::Quantifier { filter, term, .. } => filter.iter().chain(term).any(|e| reads_date(e)),
    }
}

/// The forms of a comparison's side that read the date monotonically.
fn date_side(ex: &Ex) -> Option<DateSide<'_>> {
    match ex {
        Ex::AsOf => Some(DateSide::Moved(0)),
        Ex::Shift { date, days, back } => {
            let (DateSide::Moved(by), Ex::Lit(Lit::Num(n))) = (date_side(date)?, &**days) else {
                return None;
            };
            if n.fract() != 0.0 || n.abs() > MAX_DISTANCE {
                return None;
            }
            let n = *n as i64;
            Some(DateSide::Moved(if *back { by - n } else { by + n }))
        }
        Ex::Call { function, args } if function.name == "days" => match args.as_slice() {
            [from, Ex::AsOf] if !reads_date(from) => Some(DateSide::Since(from)),
            [Ex::AsOf, to] if !reads_date(to) => Some(DateSide::Until(to)),
            _ => None,
        },
        _ => None,
    }
}

impl<'r> Atom<'r> {
    /// What the evaluator must read to place the comparison's change: the
    /// other side, and the date that `days` counts from or to.
    pub fn reads(&self) -> (&'r Ex, Option<&'r Ex>) {
        match self.date {
            DateSide::Moved(_) => (self.other, None),
            DateSide::Since(ex) | DateSide::Until(ex) => (self.other, Some(ex)),
        }
    }

    /// The first day after `today` on which the comparison may change, its
    /// other side being `other` (and `days`' date `counted`); `None` if it
    /// cannot change on any later date. Early rather than late: a day too
    /// early costs a needless evaluation, a day too late a wrong report.
    pub fn next_change(&self, today: Date, other: Value, counted: Option<Value>) -> Option<Date> {
        let d0 = today.day_number();
        let last = Date::LATEST.day_number();
        // A value of another type than the checker gave it cannot be
        // placed: then the next day, to be safe.
        let soon = today.add_days(1);
        let day = |v: Value| match v {
            Value::Date(d) => Some(d.day_number() as f64),
            _ => None,
        };
        let number = |v: Value| match v {
            Value::Num(n) => Some(n),
            _ => None,
        };
        // As `d op bound`, the date `d` alone on the left.
        let (op, bound, mut candidates) = match self.date {
            DateSide::Moved(by) => {
                // `d + by` leaves the range of dates (and reads as none)
                // on one of these days.
                let edges = vec![last - by + 1, -by];
                match other {
                    Value::Null => (self.op, f64::NAN, edges),
                    other => match day(other) {
                        Some(day) => (self.op, day - by as f64, edges),
                        None => return soon,
                    },
                }
            }
            DateSide::Since(_) => match (counted, other) {
                // `days(none, d)` is none, whatever the date.
                (Some(Value::Null), _) | (_, Value::Null) => return None,
                (Some(from), n) => match (number(n), day(from)) {
                    (Some(n), Some(from)) => (self.op, n + from, Vec::new()),
                    _ => return soon,
                },
                (None, _) => return soon,
            },
            DateSide::Until(_) => match (counted, other) {
                (Some(Value::Null), _) | (_, Value::Null) => return None,
                // `to - d op n` is `d op' to - n`.
                (Some(to), n) => match (day(to), number(n)) {
                    (Some(to), Some(n)) => (reversed(self.op), to - n, Vec::new()),
                    _ => return soon,
                },
                (None, _) => return soon,
            },
        };
        let now = d0 as f64;
        if !bound.is_nan() {
            let flip = match op {
                CmpOp::Lt if now < bound => Some(bound.ceil()),
                CmpOp::Le if now <= bound => Some(bound.floor() + 1.0),
                CmpOp::Gt if now <= bound => Some(bound.floor() + 1.0),
                CmpOp::Ge if now < bound => Some(bound.ceil()),
                _ => None,
            };
            candidates.extend(flip.filter(|f| *f <= last as f64).map(|f| f as i64));
        }
        // A day past the range of dates never comes. A day early: the
        // tie-breaks of partial dates are not worth placing.
        let next = candidates
            .into_iter()
            .filter(|d| *d > d0 && *d <= last)
            .min()?;
        Date::from_day_number((next - 1).max(d0 + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::ruleset::RuleSet;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or(Date::EARLIEST)
    }

    fn atoms_of(id: &str) -> Option<usize> {
        let rules = RuleSet::standard().ok()?;
        let rule = rules.get(id)?;
        Atoms::of(rule).map(|a| a.atoms.len())
    }

    #[test]
    fn the_standard_rules_that_read_the_date_read_it_in_comparisons() {
        assert_eq!(atoms_of("credentials-pending"), Some(2));
        assert_eq!(atoms_of("persona-non-grata-in-office"), Some(1));
        assert_eq!(atoms_of("prolonged-acting-head"), Some(1));
        assert_eq!(atoms_of("implied-recognition"), Some(1));
        assert_eq!(atoms_of("credentials-to-former-government"), Some(1));
        assert_eq!(atoms_of("orphan-mission"), Some(1));
        // Rules that do not read the date have none.
        assert_eq!(atoms_of("rank-parity"), None);
        assert_eq!(atoms_of("head-vacant"), None);
    }

    /// The comparisons `Atoms::of` finds in a rule over missions whose
    /// `where` is `filter`; `None` if it declines the rule. Panics (a test
    /// defect) if the rule does not check.
    fn atoms_where(filter: &str) -> Option<Vec<(CmpOp, String)>> {
        let text = format!(
            "rule test-rule {{\n  title \"t\"\n  severity warning\n  cite \"c\"\n  \
             subject m\n  for m in missions\n  where {filter}\n  require true\n  \
             message \"m\"\n}}\n"
        );
        let mut rules = RuleSet::default();
        let mut diagnostics = Vec::new();
        rules.add_text(&text, "test.rules", &mut diagnostics);
        assert!(diagnostics.is_empty(), "{filter}: {diagnostics:?}");
        let rule = rules
            .get("test-rule")
            .unwrap_or_else(|| panic!("{filter}: no rule"));
        let atoms = Atoms::of(rule)?;
        let mut found: Vec<(CmpOp, String)> = atoms
            .atoms
            .values()
            .map(|a| {
                (
                    a.op,
                    format!("{:?}", a.date)
                        .split('(')
                        .next()
                        .unwrap_or("")
                        .to_string()
                        + &moved(a),
                )
            })
            .collect();
        found.sort_by(|a, b| a.1.cmp(&b.1));
        Some(found)
    }

    fn moved(atom: &Atom) -> String {
        match atom.date {
            DateSide::Moved(by) => format!(" {by}"),
            _ => String::new(),
        }
    }

    #[test]
    fn a_rule_reading_the_date_only_in_ordered_comparisons_has_atoms() {
        use CmpOp::*;
        let one = |op, side: &str| Some(vec![(op, side.to_string())]);
        assert_eq!(atoms_where("m.head.from < as_of"), one(Gt, "Moved 0"));
        assert_eq!(atoms_where("as_of <= m.head.from"), one(Le, "Moved 0"));
        assert_eq!(
            atoms_where("as_of - 30 < m.head.from"),
            one(Lt, "Moved -30")
        );
        assert_eq!(atoms_where("m.head.from >= as_of + 7"), one(Le, "Moved 7"));
        assert_eq!(
            atoms_where("days(m.head.from, as_of) > 90"),
            one(Gt, "Since")
        );
        assert_eq!(
            atoms_where("90 > days(as_of, m.head.until)"),
            one(Lt, "Until")
        );
        // Under `not`, `or`, a quantifier and a function's arguments too.
        assert_eq!(
            atoms_where(
                "not (as_of > m.head.from or exists(r in recognitions where r.until < as_of))"
            )
            .map(|a| a.len()),
            Some(2)
        );
        assert_eq!(
            atoms_where("ratio(1, 2) > 1 and class(m.head.rank) == 1 and as_of > m.head.from"),
            one(Gt, "Moved 0")
        );
        // Moved as far as two dates can be apart, and no farther (below).
        assert_eq!(
            atoms_where("as_of + 3652058 < m.head.from"),
            one(Lt, "Moved 3652058")
        );
        // A rule that does not read the date has none.
        assert_eq!(atoms_where("class(m.head.rank) == 1"), None);
    }

    #[test]
    fn a_rule_reading_the_date_otherwise_has_no_atoms() {
        for filter in [
            // Equal to a day: true on one day only, not monotone.
            "as_of == m.head.from",
            "as_of != m.head.from",
            // The date on both sides, or in the other side.
            "as_of > as_of - 1",
            "days(m.head.from, as_of) > days(as_of, m.head.until)",
            "as_of > m.head.from and days(m.head.from, as_of) < days(as_of, m.head.from)",
            // Moved by a count that is not written, or not whole.
            "as_of - days(m.head.from, m.head.from) < m.head.from",
            "as_of + 100000000 < m.head.from",
            // Counted between two dates that both read the date.
            "days(as_of, as_of) > 1",
            "days(as_of - 1, m.head.from) > 1",
            // A date read as a value, or by a function that reads it when its own is left out.
            "as_of in [m.head.from]",
            "recognition(m.sender, m.head.credentials.to) == de-jure",
            "recognition(m.sender, m.head.credentials.to, as_of) == de-jure",
            // Beside a comparison that would do.
            "recognition(m.sender, m.head.credentials.to) == de-jure and as_of > m.head.from",
            "as_of in [m.head.from] and as_of > m.head.from",
            "as_of + 3652059 < m.head.from",
        ] {
            assert_eq!(atoms_where(filter), None, "{filter}");
        }
        // With its date given (not the evaluation date), it does not read the date.
        assert_eq!(
            atoms_where(
                "recognition(m.sender, m.head.credentials.to, m.head.from) == de-jure and as_of > m.head.from"
            )
            .map(|a| a.len()),
            Some(1)
        );
    }

    fn atom(op: CmpOp, date: DateSide<'static>) -> Atom<'static> {
        static OTHER: Ex = Ex::AsOf;
        Atom {
            op,
            date,
            other: &OTHER,
        }
    }

    #[test]
    fn a_comparison_changes_a_day_early_or_never() {
        let today = date("2024-01-10");
        let on = |text| Value::Date(date(text));
        let next =
            |a: &Atom, other, counted| a.next_change(today, other, counted).map(|d| d.to_string());
        // as_of <= 2024-01-20: true until the 20th, false from the 21st.
        let le = atom(CmpOp::Le, DateSide::Moved(0));
        assert_eq!(
            next(&le, on("2024-01-20"), None).as_deref(),
            Some("2024-01-20")
        );
        // Already false: never true again.
        assert_eq!(next(&le, on("2024-01-01"), None), None);
        // as_of > 2024-01-20: false until the 21st.
        let gt = atom(CmpOp::Gt, DateSide::Moved(0));
        assert_eq!(
            next(&gt, on("2024-01-20"), None).as_deref(),
            Some("2024-01-20")
        );
        assert_eq!(next(&gt, on("2024-01-01"), None), None);
        // as_of - 5 < 2024-01-20: true until the 25th.
        let lt = atom(CmpOp::Lt, DateSide::Moved(-5));
        assert_eq!(
            next(&lt, on("2024-01-20"), None).as_deref(),
            Some("2024-01-24")
        );
        // as_of >= none: none whatever the date, until as_of moves out of range.
        let ge = atom(CmpOp::Ge, DateSide::Moved(0));
        assert_eq!(next(&ge, Value::Null, None).as_deref(), None);
        let far = atom(CmpOp::Ge, DateSide::Moved(2_900_000));
        assert!(next(&far, Value::Null, None).is_some());
        // days(from, as_of) > 90, from 2023-12-01: true from 2024-03-01
        // (91 days on), so a day early the 29th of February.
        static FROM: Ex = Ex::AsOf;
        let since = atom(CmpOp::Gt, DateSide::Since(&FROM));
        assert_eq!(
            next(&since, Value::Num(90.0), Some(on("2023-12-01"))).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(
            next(&since, Value::Num(90.5), Some(on("2023-12-01"))).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(next(&since, Value::Num(90.0), Some(Value::Null)), None);
        assert_eq!(next(&since, Value::Num(1.0), Some(on("2023-12-01"))), None);
        // days(as_of, to) >= 3, to 2024-01-20: true until the 17th.
        let until = atom(CmpOp::Ge, DateSide::Until(&FROM));
        assert_eq!(
            next(&until, Value::Num(3.0), Some(on("2024-01-20"))).as_deref(),
            Some("2024-01-17")
        );
        // Never the day itself or earlier.
        assert_eq!(
            next(&le, on("2024-01-10"), None).as_deref(),
            Some("2024-01-11")
        );
    }
}
