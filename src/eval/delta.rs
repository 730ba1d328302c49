//! What a change to some rows of a world can alter in a rule's findings:
//! which rows it touched, which fields of theirs changed, and, for each
//! rule, what it reads. `engine::propose` evaluates a proposal from these
//! instead of checking the changed world in full: a rule that reads no
//! changed field keeps its findings; a rule whose bindings read only their
//! own rows (`Footprint::local`) changes only in the bindings of touched
//! rows (`Evaluator::run_rule_touching`); any other rule is evaluated anew.

use super::plan::{is_path, renamed};
use super::run::Evaluator;
use super::value::{Key, Reader, Value};
use crate::lang::check::{CheckedRule, Ex, MessagePart};
use crate::lang::schema::{Collection, Field, RecordKind, fields};

/// Rows of each collection, sorted, each once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Touched {
    rows: [Vec<u32>; 6],
}

fn place(collection: Collection) -> usize {
    match collection {
        Collection::Missions => 0,
        Collection::States => 1,
        Collection::Governments => 2,
        Collection::Recognitions => 3,
        Collection::Relations => 4,
        Collection::Events => 5,
    }
}

impl Touched {
    pub fn add(&mut self, collection: Collection, row: u32) {
        if let Some(rows) = self.rows.get_mut(place(collection))
            && let Err(at) = rows.binary_search(&row)
        {
            rows.insert(at, row);
        }
    }

    pub fn rows(&self, collection: Collection) -> &[u32] {
        self.rows.get(place(collection)).map_or(&[], Vec::as_slice)
    }

    #[inline]
    pub fn contains(&self, collection: Collection, row: u32) -> bool {
        self.rows(collection).binary_search(&row).is_ok()
    }

    /// The kinds of record whose rows are touched (a mission's head and
    /// credentials are its row's).
    pub fn kinds(&self) -> Vec<RecordKind> {
        let mut kinds = Vec::new();
        for collection in [
            Collection::Missions,
            Collection::States,
            Collection::Governments,
            Collection::Recognitions,
            Collection::Relations,
            Collection::Events,
        ] {
            if !self.rows(collection).is_empty() {
                kinds.push(collection.record());
                if collection == Collection::Missions {
                    kinds.extend([RecordKind::Head, RecordKind::Credentials]);
                }
            }
        }
        kinds
    }
}

/// The fields of a record of `kind` whose values differ between two worlds
/// of one scenario, at row `was` in the one and `is` in the other, with
/// those of its head and credentials (parts of a mission's row). A field
/// that refers to another record differs when it refers to another one,
/// not when that record's fields do.
pub fn changed_fields(
    before: &Reader,
    after: &Reader,
    kind: RecordKind,
    rows: (u32, u32),
    out: &mut Vec<(RecordKind, Field)>,
) {
    let (was, is) = rows;
    let base = |row: u32| match kind {
        RecordKind::Head => Value::Head(row),
        RecordKind::Credentials => Value::Credentials(row),
        other => Value::Row(other, row),
    };
    for def in fields(kind) {
        let (a, b) = (
            before.field(base(was), kind, def.field),
            after.field(base(is), kind, def.field),
        );
        let part = match (a, b) {
            (Value::Head(x), Value::Head(y)) if x == was && y == is => Some(RecordKind::Head),
            (Value::Credentials(x), Value::Credentials(y)) if x == was && y == is => {
                Some(RecordKind::Credentials)
            }
            _ => None,
        };
        match part {
            // Present in both: what changed is among its own fields.
            Some(part) if part != kind => changed_fields(before, after, part, rows, out),
            _ => {
                if !same(before, after, a, b) && !out.contains(&(kind, def.field)) {
                    out.push((kind, def.field));
                }
            }
        }
    }
}

/// Whether two values read from the two worlds are the same fact: a record
/// by row is the same record, wherever its row is.
fn same(before: &Reader, after: &Reader, a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Ids(x), Value::Ids(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::Row(k, x), Value::Row(l, y)) => {
            k == l
                && before.identity(k, x).is_some()
                && before.identity(k, x) == after.identity(l, y)
        }
        (Value::Head(_) | Value::Credentials(_), _)
        | (_, Value::Head(_) | Value::Credentials(_)) => false,
        (x, y) => x == y,
    }
}

/// How a rule is evaluated for a change (`Footprint::way`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// It reads nothing that changed: its findings stand.
    Stands,
    /// Over the bindings of the touched rows (`Evaluator::run_rule_touching`).
    Touching,
    /// On the changed world, in full.
    Anew,
}

/// What a rule reads, wherever it reads it: `where`, `require`, subject and message.
#[derive(Debug, Default, Clone)]
pub struct Footprint {
    /// Every field read, by the kind of record it is read from.
    reads: Vec<(RecordKind, Field)>,
    /// Kinds of record read through a reference from a bound record (or
    /// from an id written in the rule): another row than the binding's own.
    reached: Vec<RecordKind>,
    /// Kinds of record ranged over by `count`, `exists`, `sum` and `all`.
    ranged: Vec<RecordKind>,
    /// Kinds of record a function reads beyond its arguments, whole.
    implicit: Vec<RecordKind>,
    /// Of those, the kinds a function reads as they are at the evaluation
    /// date (not of every date, by a date it is given: `reads_every_date`).
    implicit_at_date: Vec<RecordKind>,
    /// Kinds of record its variables are bound to.
    bound: Vec<RecordKind>,
    /// The quantifiers joined on equalities to one bound variable, each once.
    keyed: Vec<Keyed>,
    /// Kinds of record ranged over by quantifiers that are not keyed (no
    /// such equality, or inside another quantifier).
    unkeyed: Vec<RecordKind>,
    /// The binding variables (`0..bindings`).
    bindings: usize,
    /// Quantifiers around the expression being walked.
    depth: usize,
    /// Whether which bindings it finds depends on the evaluation date
    /// (`as_of`, or a function's date left out, read by `where`,
    /// `require` or the subject).
    dated: bool,
    /// Whether only its message reads the date ("... on {as_of}").
    worded_by_date: bool,
}

/// A quantifier whose records must equal one bound variable's on some
/// values (`x.sender == m.sender and x.receiver == m.receiver`): a record
/// of its collection that changes can change its value only for the rows
/// of that variable whose `outer` values are the record's `inner` ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed {
    pub collection: Collection,
    /// The quantifier's own variable, which `inner` reads.
    pub slot: usize,
    /// The bound variable, which `outer` reads.
    pub var: usize,
    pub inner: Vec<Ex>,
    pub outer: Vec<Ex>,
}

impl Keyed {
    /// The same quantifier join, whatever its variable's slot.
    fn same_as(&self, other: &Keyed) -> bool {
        let shape = |k: &Keyed| {
            let inner: Vec<Ex> = k.inner.iter().map(|e| renamed(e, k.slot)).collect();
            (k.collection, k.var, inner, k.outer.clone())
        };
        shape(self) == shape(other)
    }
}

/// The equalities of a quantifier's filter between its variable and one
/// bound variable, for the bound variable with the most of them.
fn keyed(
    collection: Collection,
    slot: usize,
    filter: Option<&Ex>,
    bindings: usize,
) -> Option<Keyed> {
    let mut by_var: Vec<(usize, Vec<Ex>, Vec<Ex>)> = Vec::new();
    for conjunct in filter.map(crate::eval::plan::conjuncts).unwrap_or_default() {
        let Ex::Cmp(crate::lang::ast::CmpOp::Eq, a, b) = conjunct else {
            continue;
        };
        for (inner, outer) in [(a, b), (b, a)] {
            let (vi, vo) = (inner.free_vars(), outer.free_vars());
            let var = vo.trailing_zeros() as usize;
            if vi == 1u64 << slot
                && vo.count_ones() == 1
                && var < bindings
                && is_path(inner)
                && is_path(outer)
            {
                match by_var.iter_mut().find(|(v, _, _)| *v == var) {
                    Some((_, inners, outers)) => {
                        inners.push((**inner).clone());
                        outers.push((**outer).clone());
                    }
                    None => by_var.push((var, vec![(**inner).clone()], vec![(**outer).clone()])),
                }
                break;
            }
        }
    }
    let (var, inner, outer) = by_var
        .into_iter()
        .max_by_key(|(v, i, _)| (i.len(), usize::MAX - v))?;
    Some(Keyed {
        collection,
        slot,
        var,
        inner,
        outer,
    })
}

impl Footprint {
    /// The footprint for a change from one date's world of a scenario to
    /// another's (a timeline's points), where only what is in force
    /// changes: the records a function reads of every date (by the date
    /// it is given) are the same in both, so it reads nothing that changed.
    pub fn between_dates(self) -> Footprint {
        Footprint {
            implicit: self.implicit_at_date.clone(),
            ..self
        }
    }

    pub fn of(rule: &CheckedRule) -> Footprint {
        let mut footprint = Footprint {
            bindings: rule.bindings.len(),
            ..Footprint::default()
        };
        for binding in &rule.bindings {
            add_all(&mut footprint.bound, &[binding.collection.record()]);
        }
        for ex in rule
            .filter
            .iter()
            .chain(&rule.require)
            .chain(&rule.subject_sets)
        {
            footprint.walk(ex);
        }
        let dated = footprint.dated;
        for part in &rule.message {
            if let MessagePart::Value(ex) = part {
                footprint.walk(ex);
            }
        }
        footprint.worded_by_date = footprint.dated && !dated;
        footprint.dated = dated;
        footprint
    }

    fn walk(&mut self, ex: &Ex) {
        match ex {
            Ex::Lit(_) | Ex::Var(_) => {}
            Ex::AsOf => self.dated = true,
            Ex::Field(..) => self.path(ex),
            Ex::Not(inner) => self.walk(inner),
            Ex::And(a, b) | Ex::Or(a, b) | Ex::Cmp(_, a, b) => {
                self.walk(a);
                self.walk(b);
            }
            Ex::Shift { date, days, .. } => {
                self.walk(date);
                self.walk(days);
            }
            Ex::In { item, list, .. } => {
                self.walk(item);
                list.iter().for_each(|e| self.walk(e));
            }
            Ex::Call { function, args } => {
                add_all(&mut self.implicit, function.reads);
                let params = match function.form {
                    crate::lang::functions::Form::Call { params, .. } => params.len(),
                    crate::lang::functions::Form::Quantifier { .. } => 0,
                };
                let undated = function.dated && args.len() < params;
                if undated {
                    self.dated = true;
                }
                if undated || !function.reads_every_date {
                    add_all(&mut self.implicit_at_date, function.reads);
                }
                args.iter().for_each(|e| self.walk(e));
            }
            Ex::Quantifier {
                collection,
                filter,
                term,
                slot,
                ..
            } => {
                let kind = collection.record();
                let kinds: &[RecordKind] = if kind == RecordKind::Mission {
                    &[
                        RecordKind::Mission,
                        RecordKind::Head,
                        RecordKind::Credentials,
                    ]
                } else {
                    std::slice::from_ref(&kind)
                };
                add_all(&mut self.ranged, kinds);
                let join = if self.depth == 0 {
                    keyed(*collection, *slot, filter.as_deref(), self.bindings)
                } else {
                    None
                };
                match join {
                    Some(join) => {
                        if !self.keyed.iter().any(|k| k.same_as(&join)) {
                            self.keyed.push(join);
                        }
                    }
                    None => add_all(&mut self.unkeyed, kinds),
                }
                self.depth += 1;
                filter.iter().chain(term).for_each(|e| self.walk(e));
                self.depth -= 1;
            }
        }
    }

    /// A field path: each field read, and the records it reaches beyond
    /// its base's own row.
    fn path(&mut self, ex: &Ex) {
        let mut steps = Vec::new();
        let mut base = ex;
        while let Ex::Field(inner, kind, field) = base {
            steps.push((*kind, *field));
            base = inner;
        }
        steps.reverse();
        let from_binding = matches!(base, Ex::Var(_));
        if !from_binding {
            self.walk(base);
        }
        // A mission's head and its credentials are parts of its row.
        let mut own = from_binding;
        for (position, &(kind, field)) in steps.iter().enumerate() {
            if !self.reads.contains(&(kind, field)) {
                self.reads.push((kind, field));
            }
            let part = matches!(kind, RecordKind::Head | RecordKind::Credentials)
                && steps
                    .first()
                    .is_some_and(|(first, _)| *first == RecordKind::Mission)
                && steps
                    .iter()
                    .take(position)
                    .skip(1)
                    .all(|(k, _)| matches!(k, RecordKind::Head | RecordKind::Credentials));
            own = own && (position == 0 || part);
            if !own {
                add_all(&mut self.reached, &[kind]);
            }
        }
    }

    /// Whether a change of these fields (of rows at their places; none
    /// added or removed) can alter the rule's findings: the fields read
    /// through references and inside quantifiers are among its reads.
    pub fn reads_any(&self, changed: &[(RecordKind, Field)]) -> bool {
        changed
            .iter()
            .any(|read| self.reads.contains(read) || self.implicit.contains(&read.0))
    }

    /// How to evaluate it after a change of `fields` (of rows at their
    /// places), of records of the `members` kinds coming or going, whose
    /// touched rows are of the `touched` kinds.
    pub fn way(
        &self,
        fields: &[(RecordKind, Field)],
        members: &[RecordKind],
        touched: &[RecordKind],
    ) -> Way {
        let affected = self.reads_any(fields) || members.iter().any(|kind| self.ranges_over(*kind));
        if !affected {
            Way::Stands
        } else if self.local(touched) {
            Way::Touching
        } else {
            Way::Anew
        }
    }

    /// Of the `touched` kinds, those whose change can reach its findings:
    /// records of the kind came or went (`members`), a field of the kind
    /// that it reads changed (`fields`), or a function reads the kind
    /// whole; a mission, its head and its credentials counting as one row
    /// (a quantifier over missions keyed by `x.head.credentials.to` reads
    /// the credentials' fields, and they may be new). A kind touched only
    /// in fields it does not read (a state whose government changed, read
    /// for its name) is not: every value it reads there is as before, so it
    /// makes the rule neither non-local (`local`) nor its quantifiers over
    /// that kind touched (`keyed_over`).
    pub fn touched_kinds(
        &self,
        touched: &[RecordKind],
        fields: &[(RecordKind, Field)],
        members: &[RecordKind],
    ) -> Vec<RecordKind> {
        touched
            .iter()
            .copied()
            .filter(|&kind| {
                let row = row_of(kind);
                members.contains(&row)
                    || self.implicit.iter().any(|&k| row_of(k) == row)
                    || fields
                        .iter()
                        .any(|read| row_of(read.0) == row && self.reads.contains(read))
            })
            .collect()
    }

    /// Whether which bindings it finds can change with the evaluation date alone.
    pub fn dated(&self) -> bool {
        self.dated
    }

    /// Whether its messages can change with the evaluation date alone (and
    /// nothing else does).
    pub fn worded_by_date(&self) -> bool {
        self.worded_by_date
    }

    /// Whether records of `kind` coming or going (not only changing) can
    /// alter the rule's findings: it binds, ranges over, reaches or reads
    /// records of that kind.
    pub fn ranges_over(&self, kind: RecordKind) -> bool {
        [&self.bound, &self.ranged, &self.reached, &self.implicit]
            .iter()
            .any(|kinds| kinds.contains(&kind))
    }

    /// Whether each binding's findings depend only on its own rows (and on
    /// records of kinds not in `touched`): then only the bindings of
    /// touched rows can change.
    /// Quantifiers over a touched kind are allowed when keyed: the rows of
    /// their bound variable whose values match a touched record's count as
    /// touched too (`keyed_over`).
    pub fn local(&self, touched: &[RecordKind]) -> bool {
        !touched.iter().any(|kind| {
            self.reached.contains(kind)
                || self.unkeyed.contains(kind)
                || self.implicit.contains(kind)
        })
    }

    /// The keyed quantifiers over records of the `touched` kinds.
    pub fn keyed_over(&self, touched: &[RecordKind]) -> Vec<&Keyed> {
        self.keyed
            .iter()
            .filter(|k| touched.contains(&k.collection.record()))
            .collect()
    }
}

/// The kind of the row a record of `kind` is part of: a head and its
/// credentials are parts of their mission's row.
fn row_of(kind: RecordKind) -> RecordKind {
    match kind {
        RecordKind::Head | RecordKind::Credentials => RecordKind::Mission,
        other => other,
    }
}

fn add_all(set: &mut Vec<RecordKind>, kinds: &[RecordKind]) {
    for kind in kinds {
        if !set.contains(kind) {
            set.push(*kind);
        }
    }
}

/// For each binding variable of a rule, the rows (of the world `scan`
/// evaluates) whose bindings a change can alter: the `touched` rows of its
/// collection, and, for each keyed quantifier over a `kinds` record, the
/// rows whose `outer` values are among `keys_of` it (by its place among
/// `footprint.keyed_over(kinds)`: the `inner` values of the touched
/// records, before and after). `None` where a key names a row
/// (rows are not the same across worlds) or cannot be read.
pub fn rows_touched<'x>(
    rule: &'x CheckedRule,
    footprint: &'x Footprint,
    kinds: &[RecordKind],
    touched: &Touched,
    scan: &Evaluator<'x, '_>,
    keys_of: impl Fn(usize) -> Option<Vec<Vec<Key<'x>>>>,
) -> Option<Vec<Vec<u32>>> {
    let mut rows: Vec<Vec<u32>> = rule
        .bindings
        .iter()
        .map(|b| touched.rows(b.collection).to_vec())
        .collect();
    for (place, keyed) in footprint.keyed_over(kinds).into_iter().enumerate() {
        let binding = rule.bindings.get(keyed.var)?;
        let mut keys: Vec<Vec<Key<'x>>> = Vec::new();
        // Each key once, by a table: hundreds of records may change at once.
        let mut seen: std::collections::HashSet<Vec<Key<'x>>, crate::fast_hash::FastState> =
            std::collections::HashSet::default();
        for key in keys_of(place)? {
            if key.iter().any(|k| matches!(k, Key::Row(_) | Key::Head(_))) {
                return None;
            }
            if seen.insert(key.clone()) {
                keys.push(key);
            }
        }
        let found = scan
            .rows_with_keys(
                binding.collection,
                keyed.var,
                &keyed.outer,
                &keys,
                rule.slots,
            )
            .ok()?;
        let these = rows.get_mut(keyed.var)?;
        these.extend(found);
        these.sort_unstable();
        these.dedup();
    }
    Some(rows)
}

/// The `inner` values of a keyed quantifier for the changed records before
/// (`rows_before` of the world `before` evaluates) and after.
pub fn keys_before_after<'b: 'x, 'x>(
    keyed: &'b Keyed,
    slots: usize,
    (before, rows_before): (&Evaluator<'b, '_>, &[u32]),
    (after, rows_after): (&Evaluator<'x, '_>, &[u32]),
) -> Option<Vec<Vec<Key<'x>>>> {
    let (collection, slot, inner) = (keyed.collection, keyed.slot, &keyed.inner);
    let mut keys: Vec<Vec<Key<'x>>> = before
        .keys_of(collection, slot, inner, rows_before, slots)
        .ok()?;
    keys.extend(
        after
            .keys_of(collection, slot, inner, rows_after, slots)
            .ok()?,
    );
    Some(keys)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::lang::ruleset::RuleSet;

    fn footprint(id: &str) -> Footprint {
        let rules = RuleSet::standard().unwrap();
        Footprint::of(rules.get(id).unwrap())
    }

    const MISSIONS: &[RecordKind] = &[
        RecordKind::Mission,
        RecordKind::Head,
        RecordKind::Credentials,
    ];

    /// A field by the name rules read it by.
    fn named(kind: RecordKind, name: &str) -> (RecordKind, Field) {
        let def = fields(kind).iter().find(|d| d.name == name).unwrap();
        (kind, def.field)
    }

    /// What the standard rules read, as `propose` and `timeline` rely on
    /// to keep or narrow their evaluation: were an analysis to grow more
    /// cautious, every change would be evaluated in full, and only slower.
    #[test]
    fn the_standard_rules_footprints() {
        let parity = footprint("rank-parity");
        assert!(!parity.dated() && !parity.worded_by_date());
        assert!(parity.local(MISSIONS));
        assert!(parity.reads_any(&[named(RecordKind::Head, "rank")]));
        assert!(!parity.reads_any(&[named(RecordKind::Mission, "staff")]));
        assert!(parity.ranges_over(RecordKind::Mission));
        assert!(!parity.ranges_over(RecordKind::Recognition));

        // Its quantifiers are joined to `m` and to `r`: keyed, so local.
        let staff = footprint("staff-parity");
        assert!(staff.local(MISSIONS));
        let keyed = staff.keyed_over(MISSIONS);
        assert_eq!(keyed.len(), 2, "{keyed:#?}");
        assert_eq!(
            keyed.iter().map(|k| k.var).collect::<Vec<_>>(),
            [0, 1],
            "one join on each binding"
        );
        assert!(!staff.reads_any(&[named(RecordKind::Head, "rank")]));

        let interests = footprint("interests-section-without-protecting-power");
        assert!(interests.local(MISSIONS));
        assert_eq!(interests.keyed_over(MISSIONS).len(), 1);

        // The verdict reads the date; the message alone, or not at all.
        assert!(footprint("credentials-pending").dated());
        let vacant = footprint("head-vacant");
        assert!(!vacant.dated() && vacant.worded_by_date());

        // `recognition()` reads the recognitions whole: local to missions only.
        let implied = footprint("implied-recognition");
        assert!(implied.local(MISSIONS));
        assert!(!implied.local(&[RecordKind::Recognition]));
        assert!(implied.reads_any(&[named(RecordKind::Recognition, "of")]));
        // Between two dates' worlds, it reads the recognitions of the day
        // credentials were presented, the same at every point: a change of
        // what is in force leaves its findings standing.
        let recognitions = [RecordKind::Recognition];
        let changed = [named(RecordKind::Recognition, "level")];
        assert_eq!(
            implied.way(&changed, &recognitions, &recognitions),
            Way::Anew
        );
        let between = implied.clone().between_dates();
        assert!(between.local(&recognitions));
        assert_eq!(
            between.way(&changed, &recognitions, &recognitions),
            Way::Stands
        );
        // Without its date, `recognition()` reads those in force at the
        // evaluation date, which change from point to point.
        let mut rules = RuleSet::default();
        let mut errors = Vec::new();
        rules.add_text(
            "rule undated {\n  title \"t\"\n  severity warning\n  cite \"test\"\n  for m in missions\n  require recognition(m.sender, m.receiver) == de-jure\n  message \"{m.id}\"\n}\n",
            "t.rules",
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        let undated = Footprint::of(rules.get("undated").unwrap()).between_dates();
        assert!(!undated.local(&recognitions));
        assert_eq!(
            undated.way(&changed, &recognitions, &recognitions),
            Way::Anew
        );

        // A path through a credentials' government reaches another record.
        let former = footprint("credentials-to-former-government");
        assert!(former.local(MISSIONS));
        assert!(!former.local(&[RecordKind::Government]));
    }

    /// A kind reached only for fields that did not change (a state, read
    /// for its name, whose government changed) leaves a rule local; one
    /// whose read fields changed, or whose records came or went, does not.
    #[test]
    fn a_kind_reached_for_unchanged_fields_is_not_touched() {
        let staff = footprint("staff-parity");
        let touched = [
            RecordKind::Mission,
            RecordKind::Head,
            RecordKind::Credentials,
            RecordKind::State,
        ];
        let government = named(RecordKind::State, "government");
        let count = named(RecordKind::Mission, "staff");
        // Unrefined, the state it reaches for its name makes it non-local.
        assert_eq!(staff.way(&[count, government], &[], &touched), Way::Anew);
        let kinds = staff.touched_kinds(&touched, &[count, government], &[]);
        assert!(!kinds.contains(&RecordKind::State), "{kinds:?}");
        assert_eq!(staff.way(&[count, government], &[], &kinds), Way::Touching);
        // Its name read changed: the state is touched.
        let name = named(RecordKind::State, "name");
        let kinds = staff.touched_kinds(&touched, &[count, name], &[]);
        assert!(kinds.contains(&RecordKind::State), "{kinds:?}");
        assert_eq!(staff.way(&[count, name], &[], &kinds), Way::Anew);
        // Missions came: their heads and credentials came with them.
        let kinds = staff.touched_kinds(&touched, &[], &[RecordKind::Mission]);
        assert_eq!(kinds, MISSIONS);
        // A head with credentials came in office where there was one with
        // none: no credentials' field changed, and yet a quantifier over
        // missions keyed by `x.head.credentials.to` reads them.
        let credentials = named(RecordKind::Head, "credentials");
        let kinds = staff.touched_kinds(&touched, &[credentials], &[]);
        assert!(kinds.is_empty(), "staff-parity reads no head: {kinds:?}");
        let former = footprint("credentials-to-former-government");
        let kinds = former.touched_kinds(&touched, &[credentials], &[]);
        assert_eq!(kinds, MISSIONS);
        // `recognition()` reads the recognitions whole, whatever changed.
        let implied = footprint("implied-recognition");
        let kinds = implied.touched_kinds(&[RecordKind::Recognition], &[], &[]);
        assert_eq!(kinds, [RecordKind::Recognition]);
    }
}
