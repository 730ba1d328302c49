//! Join planning: which conditions filter which variable, and which equality
//! lets a variable be looked up in a hash index instead of scanned.

use super::run::Index;
use crate::lang::ast::CmpOp;
use crate::lang::check::{CheckedRule, Ex};
use crate::lang::schema::{Collection, fields};
use crate::scenario::types::Ty;
use std::cell::OnceCell;
use std::rc::Rc;

/// How one variable (at one nesting level) is enumerated.
#[derive(Debug)]
pub struct Step<'r> {
    pub slot: usize,
    pub collection: Collection,
    /// Equalities `inner == outer` where `inner` reads only this variable and
    /// `outer` only earlier ones (or none): candidates are looked up by the
    /// `outer` values in an index of the `inner` values, all columns at once
    /// (`r.sender == m.receiver and r.receiver == m.sender` is one probe).
    /// Empty: every row of the collection is a candidate.
    pub join: Vec<(&'r Ex, &'r Ex)>,
    /// `join` as its index is keyed and probed.
    pub probe: Probe<'r>,
    /// The index for `join`, found or built on the first probe: later probes
    /// (one per binding of the outer variables) skip the look-up.
    pub index: OnceCell<Rc<Index<'r>>>,
    /// Conditions checked once this variable is bound (all their variables are).
    pub filters: Vec<&'r Ex>,
}

/// Plans the enumeration of `slots` in order, over the conjuncts of a condition;
/// `outer` are the variables already bound around it (for `count`/`exists`).
/// Conjuncts that read no enumerated variable are checked at the first step.
pub fn plan<'r>(outer: u64, slots: &[(usize, Collection)], conjuncts: &[&'r Ex]) -> Vec<Step<'r>> {
    let mut bound: u64 = outer;
    let mut used = vec![false; conjuncts.len()];
    let mut steps = Vec::with_capacity(slots.len());
    for (position, &(slot, collection)) in slots.iter().enumerate() {
        let this = 1u64 << slot;
        let known = bound;
        bound |= this;
        let mut join = Vec::new();
        let mut joined = Vec::new();
        for (i, conjunct) in conjuncts.iter().enumerate() {
            if used[i] {
                continue;
            }
            if let Some(pair) = equality_on(conjunct, this, known) {
                join.push(pair);
                joined.push(i);
                used[i] = true;
            }
        }
        // An index keyed by at most two ids keeps them as two words, hashed
        // as such, and a timeline keeps it from point to point (`Seed`); a
        // key of text, or of more columns, is hashed as text, allocated, and
        // built anew at every point. Where ids are among the columns, they
        // alone key the index and the other equalities filter its groups
        // (`n.sender == m.sender and n.city == m.city`: a pair's missions
        // are few). Columns compared with a constant are the index's
        // fixed columns, applied as it is built: they stay.
        let probed = |pair: &(&Ex, &Ex)| pair.1.free_vars() != 0;
        let ids = join
            .iter()
            .filter(|pair| probed(pair) && names_a_record(pair.0))
            .count();
        let others = join
            .iter()
            .filter(|pair| probed(pair) && !names_a_record(pair.0))
            .count();
        if ids > 0 && (others > 0 || ids > INLINE_IDS) {
            let mut kept_ids = 0;
            let mut kept = Vec::with_capacity(join.len());
            for (pair, i) in join.into_iter().zip(joined) {
                let key = probed(&pair) && names_a_record(pair.0);
                if !probed(&pair) || (key && kept_ids < INLINE_IDS) {
                    kept_ids += usize::from(key);
                    kept.push(pair);
                } else if let Some(was) = used.get_mut(i) {
                    // Checked as a filter of this step, below.
                    *was = false;
                }
            }
            join = kept;
        }
        let last = position + 1 == slots.len();
        let mut filters = Vec::new();
        for (i, conjunct) in conjuncts.iter().enumerate() {
            let vars = conjunct.free_vars();
            // Anything left at the last step is checked there (it reads variables bound outside).
            if !used[i] && (vars & !bound == 0 || last) {
                filters.push(*conjunct);
                used[i] = true;
            }
        }
        steps.push(Step {
            slot,
            collection,
            probe: Probe::of(collection, slot, &join),
            join,
            index: OnceCell::new(),
            filters,
        });
    }
    steps
}

/// What identifies an index among those of an evaluator (and its seeds):
/// its collection, its row sides with the variable they read renamed, and
/// the constant each fixed column is compared with. Quantifiers written
/// alike share one index: staff-parity's twelve over a pair's missions
/// (in its `where`, its `require`, its message and its subject) were
/// twelve indexes of every mission, built at every point of a timeline;
/// they are two.
pub type IndexKey = std::sync::Arc<str>;

/// A step's equalities as its index uses them.
#[derive(Debug)]
pub struct Probe<'r> {
    pub key: IndexKey,
    /// The row side of each probed column (what a row's key is), and what
    /// a probe evaluates for it.
    pub inner: Vec<&'r Ex>,
    pub outer: Vec<&'r Ex>,
    /// The row sides compared with a constant, and the constant: such a
    /// column would carry the same value in every probe, so rows that
    /// differ there are left out when the index is built.
    pub fixed: Vec<(&'r Ex, &'r Ex)>,
}

impl<'r> Probe<'r> {
    /// The probe of the equalities `join` (`row side == other side`) of
    /// the variable at `slot`, bound to rows of `collection`.
    pub fn of(collection: Collection, slot: usize, join: &[(&'r Ex, &'r Ex)]) -> Probe<'r> {
        use std::fmt::Write;
        let mut key = format!("{collection:?}");
        let (mut inner, mut outer, mut fixed) = (Vec::new(), Vec::new(), Vec::new());
        for &(row_side, other) in join {
            // A row side that is not a path keeps its slot in the key: it
            // is then shared only by steps of that slot.
            let shape = if is_path(row_side) {
                format!("{:?}", renamed(row_side, slot))
            } else {
                format!("{slot}:{row_side:?}")
            };
            // Writing to a String cannot fail.
            if other.free_vars() == 0 {
                let _ = write!(key, "|{shape}={other:?}");
                fixed.push((row_side, other));
            } else {
                let _ = write!(key, "|{shape}");
                inner.push(row_side);
                outer.push(other);
            }
        }
        Probe {
            key: key.into(),
            inner,
            outer,
            fixed,
        }
    }
}

/// A variable or a field path from one.
pub(crate) fn is_path(ex: &Ex) -> bool {
    match ex {
        Ex::Var(_) => true,
        Ex::Field(inner, _, _) => is_path(inner),
        _ => false,
    }
}

/// `ex` (a path) with variable `slot` renamed to one no rule has.
pub(crate) fn renamed(ex: &Ex, slot: usize) -> Ex {
    match ex {
        Ex::Var(s) if *s == slot => Ex::Var(usize::MAX),
        Ex::Field(inner, kind, field) => Ex::Field(Box::new(renamed(inner, slot)), *kind, *field),
        other => other.clone(),
    }
}

/// Plans a rule's bindings in the order written, over its `where`.
pub fn plan_rule(rule: &CheckedRule) -> Vec<Step<'_>> {
    let filter: Vec<&Ex> = rule.filter.iter().collect();
    let slots: Vec<(usize, Collection)> = rule
        .bindings
        .iter()
        .enumerate()
        .map(|(slot, b)| (slot, b.collection))
        .collect();
    plan(0, &slots, &filter)
}

/// The id columns an index keeps as two words (`run::Groups::Ids`).
const INLINE_IDS: usize = 2;

/// Whether `ex` is a field that names a record (an id), whose key is an
/// interned id.
fn names_a_record(ex: &Ex) -> bool {
    let Ex::Field(_, kind, field) = ex else {
        return false;
    };
    fields(*kind)
        .iter()
        .any(|def| def.field == *field && matches!(def.ty, Ty::Ref(_)))
}

/// `a == b` where one side reads exactly `this` and the other only `known` variables.
fn equality_on(ex: &Ex, this: u64, known: u64) -> Option<(&Ex, &Ex)> {
    let Ex::Cmp(CmpOp::Eq, a, b) = ex else {
        return None;
    };
    let (va, vb) = (a.free_vars(), b.free_vars());
    if va == this && vb & !known == 0 && !has_quantifier(b) {
        Some((a, b))
    } else if vb == this && va & !known == 0 && !has_quantifier(a) {
        Some((b, a))
    } else {
        None
    }
}

/// Probing an index should be cheap; a nested count is not.
fn has_quantifier(ex: &Ex) -> bool {
    match ex {
        Ex::Quantifier { .. } => true,
        Ex::Lit(_) | Ex::Var(_) | Ex::AsOf => false,
        Ex::Field(inner, _, _) | Ex::Not(inner) => has_quantifier(inner),
        Ex::And(a, b) | Ex::Or(a, b) | Ex::Cmp(_, a, b) => has_quantifier(a) || has_quantifier(b),
        Ex::Shift { date, days, .. } => [date, days].into_iter().any(|e| has_quantifier(e)),
        Ex::In { item, list, .. } => has_quantifier(item) || list.iter().any(has_quantifier),
        Ex::Call { args, .. } => args.iter().any(has_quantifier),
    }
}

/// Splits a condition at its top-level `and`s.
pub fn conjuncts(ex: &Ex) -> Vec<&Ex> {
    let mut out = Vec::new();
    let mut stack = vec![ex];
    while let Some(ex) = stack.pop() {
        match ex {
            Ex::And(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::lang::ruleset::RuleSet;
    use crate::scenario::types::Field;

    fn steps_of(rule: &str) -> Vec<(usize, Vec<Field>, usize)> {
        let rules = RuleSet::standard().unwrap();
        let rule = rules.get(rule).unwrap();
        plan_rule(rule)
            .iter()
            .map(|step| {
                let keys = step
                    .join
                    .iter()
                    .map(|(inner, _)| match inner {
                        Ex::Field(_, _, field) => *field,
                        other => panic!("not a field: {other:?}"),
                    })
                    .collect();
                (step.slot, keys, step.filters.len())
            })
            .collect()
    }

    /// The first step's probe of each quantifier of a rule, wherever it is
    /// written (`where`, `require`, message, subject), in order.
    fn quantifier_keys(rule: &CheckedRule) -> Vec<String> {
        fn walk(ex: &Ex, out: &mut Vec<String>) {
            match ex {
                Ex::Quantifier {
                    slot,
                    collection,
                    filter,
                    term,
                    ..
                } => {
                    let parts = filter.as_deref().map(conjuncts).unwrap_or_default();
                    let steps = plan(!(1u64 << slot), &[(*slot, *collection)], &parts);
                    out.push(steps[0].probe.key.to_string());
                    filter.iter().chain(term).for_each(|e| walk(e, out));
                }
                Ex::Lit(_) | Ex::Var(_) | Ex::AsOf => {}
                Ex::Field(inner, ..) | Ex::Not(inner) => walk(inner, out),
                Ex::And(a, b) | Ex::Or(a, b) | Ex::Cmp(_, a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
                Ex::Shift { date, days, .. } => {
                    walk(date, out);
                    walk(days, out);
                }
                Ex::In { item, list, .. } => {
                    walk(item, out);
                    list.iter().for_each(|e| walk(e, out));
                }
                Ex::Call { args, .. } => args.iter().for_each(|e| walk(e, out)),
            }
        }
        let mut out = Vec::new();
        let messages = rule.message.iter().filter_map(|part| match part {
            crate::lang::check::MessagePart::Value(ex) => Some(ex),
            crate::lang::check::MessagePart::Text(_) => None,
        });
        for ex in rule
            .filter
            .iter()
            .chain(&rule.require)
            .chain(messages)
            .chain(&rule.subject_sets)
        {
            walk(ex, &mut out);
        }
        out
    }

    /// staff-parity's twelve quantifiers over the missions of `m`'s pair
    /// and of `r`'s, each its own slot, come to two indexes: the pair's
    /// missions (the order of ids filters a group), and those of them
    /// without a staff count (a fixed column). The row sides are compared
    /// without their variable.
    #[test]
    fn quantifiers_written_alike_share_an_index() {
        let rules = RuleSet::standard().unwrap();
        let keys = quantifier_keys(rules.get("staff-parity").unwrap());
        assert_eq!(keys.len(), 12);
        let mut distinct = keys.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 2, "{distinct:#?}");
    }

    /// Columns compared with different constants, or over another
    /// collection, key different indexes; so do row sides that are not
    /// paths, unless their slot is the same.
    #[test]
    fn an_index_key_tells_constants_collections_and_slots_apart() {
        let rules = RuleSet::standard().unwrap();
        let rule = rules.get("staff-parity").unwrap();
        let Some(Ex::Cmp(_, sender, _)) = rule.filter.first().map(|f| conjuncts(f)[0]) else {
            panic!("staff-parity's `where` starts with an equality");
        };
        let (sender, embassy, consulate) = (
            (**sender).clone(),
            Ex::Lit(crate::lang::check::Lit::Str("embassy".into())),
            Ex::Lit(crate::lang::check::Lit::Str("consulate".into())),
        );
        let key = |collection, slot, other: &Ex| {
            Probe::of(collection, slot, &[(&sender, other)])
                .key
                .to_string()
        };
        assert_ne!(
            key(Collection::Missions, 1, &embassy),
            key(Collection::Missions, 1, &consulate)
        );
        assert_ne!(
            key(Collection::Missions, 1, &embassy),
            key(Collection::States, 1, &embassy)
        );
        let call = Ex::Not(Box::new(Ex::Var(1)));
        let of_slot = |slot| {
            Probe::of(Collection::Missions, slot, &[(&call, &Ex::Var(0))])
                .key
                .to_string()
        };
        assert_ne!(of_slot(1), of_slot(2));
        assert_eq!(of_slot(1), of_slot(1));
    }

    /// Two missions of one sender and receiver with the same kind and
    /// city: the index is keyed by the two ids, and the kind, the city
    /// and the order of ids filter each pair's few missions.
    #[test]
    fn ids_alone_key_an_index_the_rest_filter_it() {
        let steps = steps_of("duplicate-mission");
        assert_eq!(
            steps,
            [(0, vec![], 0), (1, vec![Field::Sender, Field::Receiver], 3)]
        );
        // Two ids and constants: all of them the index's.
        let steps = steps_of("rank-parity");
        let (slot, keys, _) = &steps[1];
        assert_eq!(*slot, 1);
        assert!(keys.contains(&Field::Sender) && keys.contains(&Field::Receiver));
    }
}
