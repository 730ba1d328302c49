//! Static checking: types a parsed rule (or claim) against the scenario schema
//! and lowers it to the typed expression tree the evaluator runs.
//!
//! Every unknown collection, field, variable or function, and every type
//! mismatch, is reported at its place in the rule text, with a suggestion
//! when a known name is near. Nothing is evaluated until this has passed.

use super::ast::{self, ArithOp, CmpOp, ExprKind, QuantifierKind, Severity, Span, TemplatePart};
use super::functions::{self, Form, Function};
use super::schema::{self, Collection, Field, RecordKind, Ty};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::scenario::date::Date;
use crate::scenario::model::{EventKind, Level, MissionKind, Rank, RelationStatus, StateKind};
use crate::source::{Located, Location};
use std::collections::HashSet;
use std::sync::Arc;

/// Most variables (bindings and quantifiers) one rule may introduce.
pub const MAX_VARIABLES: usize = 32;

/// Longest message template, in bytes of rule text: a message is a sentence
/// for a protocol officer, not a document.
pub const MAX_MESSAGE_TEMPLATE: usize = 1_000;

/// A constant in a checked expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Date(Date),
    Rank(Rank),
    MissionKind(MissionKind),
    Level(Level),
    StateKind(StateKind),
    RelationStatus(RelationStatus),
    EventKind(EventKind),
    /// An id written in the rule; it may name no record of a given world.
    Id(String),
}

/// A checked, typed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ex {
    Lit(Lit),
    /// A bound variable (binding or quantifier), by slot.
    Var(usize),
    /// A field of a record of the given kind.
    Field(Box<Ex>, RecordKind, Field),
    AsOf,
    Not(Box<Ex>),
    And(Box<Ex>, Box<Ex>),
    Or(Box<Ex>, Box<Ex>),
    Cmp(CmpOp, Box<Ex>, Box<Ex>),
    In {
        item: Box<Ex>,
        list: Vec<Ex>,
        negated: bool,
    },
    /// A date moved by a number of days (`back`: earlier); `none` when the
    /// count is not whole or the result is past the dates a scenario can write.
    Shift {
        date: Box<Ex>,
        days: Box<Ex>,
        back: bool,
    },
    /// A built-in function, resolved when the rule is checked; `args` fit
    /// its parameters (at most `functions::MAX_ARGUMENTS`).
    Call {
        function: &'static Function,
        args: Vec<Ex>,
    },
    Quantifier {
        kind: QuantifierKind,
        slot: usize,
        collection: Collection,
        filter: Option<Box<Ex>>,
        /// What `sum` adds up, for each record that passes the filter.
        term: Option<Box<Ex>>,
    },
}

impl Ex {
    /// The variable slots an expression reads, as a bit set (quantified ones excluded).
    pub fn free_vars(&self) -> u64 {
        match self {
            Ex::Lit(_) | Ex::AsOf => 0,
            Ex::Var(slot) => 1u64 << slot,
            Ex::Field(inner, _, _) | Ex::Not(inner) => inner.free_vars(),
            Ex::And(a, b)
            | Ex::Or(a, b)
            | Ex::Cmp(_, a, b)
            | Ex::Shift {
                date: a, days: b, ..
            } => a.free_vars() | b.free_vars(),
            Ex::In { item, list, .. } => list
                .iter()
                .fold(item.free_vars(), |acc, e| acc | e.free_vars()),
            Ex::Call { args, .. } => args.iter().fold(0, |acc, e| acc | e.free_vars()),
            Ex::Quantifier {
                slot, filter, term, ..
            } => {
                let inside = filter.as_ref().map_or(0, |f| f.free_vars())
                    | term.as_ref().map_or(0, |t| t.free_vars());
                inside & !(1u64 << slot)
            }
        }
    }
}

/// A message part: text, or a value to print.
#[derive(Debug, Clone, PartialEq)]
pub enum MessagePart {
    Text(String),
    Value(Ex),
}

/// A field path the rule reads from a bound record, kept to show as evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub slot: usize,
    /// Each step: the kind of record read from, and the field.
    pub fields: Vec<(RecordKind, Field)>,
    /// As written in the rule, e.g. `m.head.rank`.
    pub text: String,
    /// The path ends at an embedded record (`m.head`): shown only when absent.
    pub record: bool,
    /// `require` reads it: the fact that decides the verdict, whose line
    /// the human report quotes.
    pub decides: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub name: String,
    pub collection: Collection,
}

/// A rule that has passed the static check, ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub cite: String,
    pub about: Option<String>,
    /// Where the rule is defined.
    pub file: String,
    pub location: Location,
    /// The rule's text in its file.
    pub span: Span,
    /// Binding slots `0..bindings.len()`; quantifier variables take the slots after.
    pub bindings: Vec<Binding>,
    /// Slots of the subject variables, in order.
    pub subject: Vec<usize>,
    /// `all(x in C where e)` in the subject: quantifiers whose records join
    /// the subject (after the variables, sorted by id).
    pub subject_sets: Vec<Ex>,
    /// The `where` clause split at its top-level `and`s.
    pub filter: Vec<Ex>,
    pub require: Option<Ex>,
    pub message: Vec<MessagePart>,
    pub reads: Vec<Read>,
    /// Total variable slots (bindings and quantifiers).
    pub slots: usize,
    /// The rule's source text, for `parity explain`.
    pub source: String,
}

/// A claim (`expect`) or other stand-alone condition, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedExpr {
    pub expr: Ex,
    pub slots: usize,
}

/// The text a checked expression's spans are into (a rule file, or the
/// scenario file a claim is written in), to locate its diagnostics and the
/// rules it defines.
pub struct FileText<'a> {
    pub file: &'a str,
    pub text: &'a Arc<Located>,
}

impl<'a> FileText<'a> {
    pub fn new(file: &'a str, text: &'a Arc<Located>) -> Self {
        FileText { file, text }
    }

    pub fn file(&self) -> &str {
        self.file
    }

    /// Where `span` is, located when shown.
    pub fn location(&self, span: Span) -> Location {
        Location::in_text(self.file, span, self.text)
    }
}

/// Checks one parsed rule. `source` is the rule file's text.
pub fn check_rule(
    rule: &ast::Rule,
    locate: &FileText,
    source: &str,
) -> Result<CheckedRule, Vec<Diagnostic>> {
    let mut checker = Checker::new(locate, None);
    let mut bindings = Vec::new();
    for binding in &rule.bindings {
        let Some(collection) = checker.collection(&binding.collection) else {
            continue;
        };
        if checker
            .scope
            .iter()
            .any(|(name, _, _)| *name == binding.var.name)
        {
            checker.error(
                Code::DuplicateVariable,
                binding.var.span,
                format!("the variable `{}` is bound twice", binding.var.name),
            );
            continue;
        }
        let slot = checker.bind(&binding.var.name, collection.record());
        debug_assert_eq!(slot, bindings.len());
        bindings.push(Binding {
            name: binding.var.name.clone(),
            collection,
        });
    }
    let mut subject = Vec::new();
    for var in &rule.subject {
        match checker
            .scope
            .iter()
            .position(|(name, _, _)| *name == var.name)
        {
            Some(slot) => subject.push(slot),
            None => {
                let names: Vec<&str> = checker.scope.iter().map(|(n, _, _)| n.as_str()).collect();
                let diagnostic = checker
                    .diagnostic(
                        Code::UnknownVariable,
                        var.span,
                        format!("the subject `{}` is not a bound variable", var.name),
                    )
                    .suggest(&var.name, names);
                checker.diagnostics.push(diagnostic);
            }
        }
    }
    if rule.subject.is_empty() && rule.subject_sets.is_empty() {
        subject = (0..bindings.len()).collect();
    }
    let mut filter = Vec::new();
    if let Some(expr) = &rule.filter
        && let Some(ex) = checker.condition(expr, "where")
    {
        split_and(ex, &mut filter);
    }
    checker.in_require = true;
    let require = rule
        .require
        .as_ref()
        .and_then(|e| checker.condition(e, "require"));
    checker.in_require = false;
    // Evidence is what decided the verdict: the message's own reads are
    // not, nor are the subject's.
    checker.collect_reads = false;
    let subject_sets: Vec<Ex> = rule
        .subject_sets
        .iter()
        .filter_map(|set| checker.condition(set, "subject"))
        .collect();
    let template = rule.message.span;
    if template.end().saturating_sub(template.start()) > MAX_MESSAGE_TEMPLATE {
        checker.error(
            Code::MessageTooLong,
            template.with(template.start(), template.start() + 1),
            format!(
                "the message is {} bytes long; the limit is {MAX_MESSAGE_TEMPLATE}",
                template.end() - template.start()
            ),
        );
    }
    let mut message = Vec::new();
    for part in &rule.message.parts {
        match part {
            TemplatePart::Text(text) => message.push(MessagePart::Text(text.clone())),
            TemplatePart::Hole(expr) => {
                if let Some(ex) = checker.printable(expr) {
                    message.push(MessagePart::Value(ex));
                }
            }
        }
    }
    // Evidence is read from the rule's own bindings, not from quantified variables.
    checker.reads.retain(|read| read.slot < bindings.len());
    if checker.diagnostics.is_empty() {
        let source_text = source
            .get(rule.span.start()..rule.span.end())
            .unwrap_or_default();
        Ok(CheckedRule {
            id: rule.id.name.clone(),
            title: rule.title.value.clone(),
            severity: rule.severity,
            cite: rule.cite.value.clone(),
            about: rule.about.as_ref().map(|t| t.value.clone()),
            file: locate.file().to_string(),
            location: locate.location(rule.span),
            span: rule.span,
            bindings,
            subject,
            subject_sets,
            filter,
            require,
            message,
            reads: checker.reads,
            slots: checker.max_slots,
            source: source_text.to_string(),
        })
    } else {
        Err(checker.diagnostics)
    }
}

/// The known id nearest to an unknown one, if any is near enough.
pub type Near<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Checks a stand-alone boolean expression (a claim). `ids` are the ids the
/// scenario defines: a bare id that is not among them is reported, with what
/// `near` offers for it (one index of the ids serves all of a file's claims).
pub fn check_condition(
    expr: &ast::Expr,
    locate: &FileText,
    ids: &HashSet<&str>,
    near: &Near<'_>,
) -> Result<CheckedExpr, Vec<Diagnostic>> {
    let mut checker = Checker::new(locate, Some(ids));
    checker.near = Some(near);
    let checked = checker.condition(expr, "claim");
    match checked {
        Some(expr) if checker.diagnostics.is_empty() => Ok(CheckedExpr {
            expr,
            slots: checker.max_slots,
        }),
        _ => Err(checker.diagnostics),
    }
}

fn split_and(ex: Ex, out: &mut Vec<Ex>) {
    match ex {
        Ex::And(a, b) => {
            split_and(*a, out);
            split_and(*b, out);
        }
        other => out.push(other),
    }
}

/// A string literal where an id is wanted: an id that has to be quoted
/// because it holds a dot (`"un.org"`; unquoted, `un.org` is a path).
fn quoted_id<'e>(ex: &'e Ex, ty: &Ty, want: &Ty) -> Option<&'e str> {
    match (ex, ty, want) {
        (Ex::Lit(Lit::Str(text)), Ty::Str, Ty::Ref(_)) => Some(text),
        _ => None,
    }
}

/// An expression whose type is known, or a bare word waiting for one.
enum Typed {
    Known(Ex, Ty),
    Word(String, Span),
}

struct Checker<'a> {
    locate: &'a FileText<'a>,
    /// The scenario's ids, when checking a claim.
    ids: Option<&'a HashSet<&'a str>>,
    /// The id nearest to an unknown one, when checking a claim.
    near: Option<&'a Near<'a>>,
    /// Variables in scope: name, record kind, slot.
    scope: Vec<(String, RecordKind, usize)>,
    next_slot: usize,
    max_slots: usize,
    /// Field paths read by `where` and `require`, kept as evidence.
    reads: Vec<Read>,
    collect_reads: bool,
    /// Reads are made by `require` (`Read::decides`).
    in_require: bool,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn new(locate: &'a FileText<'a>, ids: Option<&'a HashSet<&'a str>>) -> Self {
        Checker {
            locate,
            ids,
            near: None,
            scope: Vec::new(),
            next_slot: 0,
            max_slots: 0,
            reads: Vec::new(),
            collect_reads: true,
            in_require: false,
            diagnostics: Vec::new(),
        }
    }

    fn diagnostic(&self, code: Code, span: Span, message: String) -> Diagnostic {
        Diagnostic::new(code, self.locate.file(), span, message)
            .with_width(span.end().saturating_sub(span.start()))
    }

    fn error(&mut self, code: Code, span: Span, message: String) {
        let diagnostic = self.diagnostic(code, span, message);
        self.diagnostics.push(diagnostic);
    }

    fn bind(&mut self, name: &str, kind: RecordKind) -> usize {
        let slot = self.next_slot;
        self.scope.push((name.to_string(), kind, slot));
        self.next_slot += 1;
        self.max_slots = self.max_slots.max(self.next_slot);
        slot
    }

    fn collection(&mut self, ident: &ast::Ident) -> Option<Collection> {
        let found = Collection::from_name(&ident.name);
        if found.is_none() {
            let names = schema::COLLECTIONS.iter().map(|(n, _, _)| *n);
            let diagnostic = self
                .diagnostic(
                    Code::UnknownCollection,
                    ident.span,
                    format!("there is no collection `{}`", ident.name),
                )
                .suggest(&ident.name, names)
                .with_label("not a collection");
            let diagnostic = if diagnostic.help.is_none() {
                let names: Vec<&str> = schema::COLLECTIONS.iter().map(|(n, _, _)| *n).collect();
                let (last, rest) = names.split_last().unwrap_or((&"", &[]));
                diagnostic.with_help(format!(
                    "the collections are {} and {last}",
                    rest.join(", ")
                ))
            } else {
                diagnostic
            };
            self.diagnostics.push(diagnostic);
        }
        if self.next_slot >= MAX_VARIABLES {
            self.error(
                Code::TooManyVariables,
                ident.span,
                format!("a rule may bind at most {MAX_VARIABLES} variables"),
            );
            return None;
        }
        found
    }

    /// A `where`, `require` or claim: must be a boolean.
    fn condition(&mut self, expr: &ast::Expr, clause: &str) -> Option<Ex> {
        let (ex, ty) = self.known(expr)?;
        if ty != Ty::Bool {
            self.error(
                Code::TypeMismatch,
                expr.span,
                format!("`{clause}` needs a condition (true or false), but this is {ty}"),
            );
            return None;
        }
        Some(ex)
    }

    /// A message hole: anything that prints.
    fn printable(&mut self, expr: &ast::Expr) -> Option<Ex> {
        let (ex, ty) = self.known(expr)?;
        match ty {
            Ty::Record(kind) => {
                let first = schema::fields(kind).first().map_or("", |f| f.name);
                self.error(
                    Code::TypeMismatch,
                    expr.span,
                    format!("a {} record cannot be printed; print one of its fields, such as `.{first}`", kind.word()),
                );
                None
            }
            Ty::List(_) => {
                self.error(
                    Code::TypeMismatch,
                    expr.span,
                    "a list cannot be printed".into(),
                );
                None
            }
            _ => Some(ex),
        }
    }

    /// Types an expression that must not be a lone bare word.
    fn known(&mut self, expr: &ast::Expr) -> Option<(Ex, Ty)> {
        match self.infer(expr)? {
            Typed::Known(ex, ty) => Some((ex, ty)),
            Typed::Word(word, span) => {
                let names: Vec<&str> = self.scope.iter().map(|(n, _, _)| n.as_str()).collect();
                let diagnostic = self
                    .diagnostic(
                        Code::UnknownVariable,
                        span,
                        format!("`{word}` is not a variable here; a bare word can only be compared with a field"),
                    )
                    .suggest(&word, names);
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn infer(&mut self, expr: &ast::Expr) -> Option<Typed> {
        let known = |ex, ty| Some(Typed::Known(ex, ty));
        match &expr.kind {
            ExprKind::Str(s) => known(Ex::Lit(Lit::Str(s.clone())), Ty::Str),
            ExprKind::Num(n) => known(Ex::Lit(Lit::Num(*n)), Ty::Num),
            ExprKind::Bool(b) => known(Ex::Lit(Lit::Bool(*b)), Ty::Bool),
            ExprKind::None => known(Ex::Lit(Lit::Null), Ty::Null),
            ExprKind::Date(text) => match Date::parse(text) {
                Ok(date) => known(Ex::Lit(Lit::Date(date)), Ty::Date),
                Err(_) => {
                    self.error(
                        Code::InvalidDate,
                        expr.span,
                        format!("`{text}` is not a real date"),
                    );
                    None
                }
            },
            ExprKind::Name(name) => self.name(name, expr.span),
            ExprKind::List(_) => {
                self.error(
                    Code::TypeMismatch,
                    expr.span,
                    "a list can only follow `in` or `not in`".into(),
                );
                None
            }
            ExprKind::Not(inner) => {
                let ex = self.condition(inner, "not")?;
                known(Ex::Not(Box::new(ex)), Ty::Bool)
            }
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let word = if matches!(expr.kind, ExprKind::And(..)) {
                    "and"
                } else {
                    "or"
                };
                let a = self.condition(a, word);
                let b = self.condition(b, word);
                let (a, b) = (Box::new(a?), Box::new(b?));
                let ex = if word == "and" {
                    Ex::And(a, b)
                } else {
                    Ex::Or(a, b)
                };
                known(ex, Ty::Bool)
            }
            ExprKind::Compare { op, left, right } => self.compare(*op, left, right),
            ExprKind::In {
                item,
                list,
                negated,
            } => self.membership(item, list, *negated),
            ExprKind::Arith { op, left, right } => self.arith(*op, left, right),
            ExprKind::Call { func, args } => self.call(func, args, expr.span),
            ExprKind::Quantifier {
                kind,
                var,
                collection,
                filter,
                term,
            } => {
                let collection = self.collection(collection)?;
                if self.scope.iter().any(|(n, _, _)| *n == var.name) {
                    self.error(
                        Code::DuplicateVariable,
                        var.span,
                        format!(
                            "the variable `{}` is already bound; choose another name",
                            var.name
                        ),
                    );
                    return None;
                }
                let slot = self.bind(&var.name, collection.record());
                let filter = match filter {
                    Some(f) => self.condition(f, "where").map(|f| Some(Box::new(f))),
                    None => Some(None),
                };
                let term = match term {
                    Some(t) => self
                        .summand(t, &var.name, collection)
                        .map(|t| Some(Box::new(t))),
                    None => Some(None),
                };
                self.scope.pop();
                self.next_slot -= 1;
                let (filter, term) = (filter?, term?);
                let ty = match kind {
                    QuantifierKind::Count | QuantifierKind::Sum => Ty::Num,
                    // `all(...)` is read only as a subject (`subject_members`).
                    QuantifierKind::Exists | QuantifierKind::All => Ty::Bool,
                };
                known(
                    Ex::Quantifier {
                        kind: *kind,
                        slot,
                        collection,
                        filter,
                        term,
                    },
                    ty,
                )
            }
        }
    }

    /// What `sum` adds: a number (`none` terms are skipped when it runs).
    fn summand(&mut self, expr: &ast::Expr, var: &str, collection: Collection) -> Option<Ex> {
        let (ex, ty) = self.known(expr)?;
        if matches!(ty, Ty::Num | Ty::Null) {
            return Some(ex);
        }
        let name = schema::COLLECTIONS
            .iter()
            .find(|(_, c, _)| *c == collection)
            .map_or("", |(n, _, _)| *n);
        let diagnostic = self
            .diagnostic(
                Code::TypeMismatch,
                expr.span,
                format!("`sum` adds numbers, but this is {ty}"),
            )
            .with_help(format!(
                "sum a number, such as a mission's `staff`; to count the records, write `count({var} in {name} where ...)`"
            ));
        self.diagnostics.push(diagnostic);
        None
    }

    /// `date + n`, `date - n`: a date moved by a whole number of days. No
    /// other arithmetic exists; the days between two dates are `days(a, b)`.
    fn arith(&mut self, op: ArithOp, left: &ast::Expr, right: &ast::Expr) -> Option<Typed> {
        let l = self.known(left);
        let r = self.known(right);
        let ((date, ta), (days, tb)) = (l?, r?);
        let symbol = op.symbol();
        let problem = match (&ta, &tb) {
            (Ty::Date | Ty::Null, Ty::Num | Ty::Null) => None,
            (Ty::Date, Ty::Date) if op == ArithOp::Sub => Some((
                left.span.to(right.span),
                "a date minus a date is not a date".to_string(),
                "the whole days from date a to date b are `days(a, b)`".to_string(),
            )),
            (Ty::Num, Ty::Date) if op == ArithOp::Add => Some((
                left.span.to(right.span),
                "days are added to a date, not a date to a number".to_string(),
                "write the date first, as in `m.head.from + 90`".to_string(),
            )),
            (Ty::Date | Ty::Null, other) => Some((
                right.span,
                format!("`{symbol}` moves a date by a number of days, but this is {other}"),
                "write a whole number of days, as in `m.head.from + 90`".to_string(),
            )),
            (other, _) => Some((
                left.span,
                format!("`{symbol}` moves a date by a number of days, but this is {other}"),
                "only a date can be moved, as in `m.head.from + 90`; the language has no other arithmetic"
                    .to_string(),
            )),
        };
        if let Some((span, message, help)) = problem {
            let diagnostic = self
                .diagnostic(Code::TypeMismatch, span, message)
                .with_help(help);
            self.diagnostics.push(diagnostic);
            return None;
        }
        if let Ex::Lit(Lit::Num(n)) = days
            && n.fract() != 0.0
        {
            let diagnostic = self
                .diagnostic(
                    Code::TypeMismatch,
                    right.span,
                    format!("a number of days must be whole, but this is {n}"),
                )
                .with_help("write a whole number of days, as in `m.head.from + 90`");
            self.diagnostics.push(diagnostic);
            return None;
        }
        Some(Typed::Known(
            Ex::Shift {
                date: Box::new(date),
                days: Box::new(days),
                back: op == ArithOp::Sub,
            },
            Ty::Date,
        ))
    }

    /// A name: a variable, a field path, `as_of`, or a bare word.
    fn name(&mut self, name: &str, span: Span) -> Option<Typed> {
        let mut segments = name.split('.');
        let first = segments.next().unwrap_or_default();
        let Some((_, kind, slot)) = self
            .scope
            .iter()
            .rev()
            .find(|(n, _, _)| n == first)
            .cloned()
        else {
            if name == schema::AS_OF {
                return Some(Typed::Known(Ex::AsOf, Ty::Date));
            }
            if name.contains('.') {
                let names: Vec<&str> = self.scope.iter().map(|(n, _, _)| n.as_str()).collect();
                let first_span = span.with(span.start(), span.start() + first.len());
                let diagnostic = self
                    .diagnostic(
                        Code::UnknownVariable,
                        first_span,
                        format!("unknown variable `{first}`"),
                    )
                    .suggest(first, names)
                    .with_label("not bound by `for`, `count` or `exists`");
                self.diagnostics.push(diagnostic);
                return None;
            }
            return Some(Typed::Word(name.to_string(), span));
        };
        let mut ex = Ex::Var(slot);
        let mut ty = Ty::Ref(kind);
        let mut offset = span.start() + first.len();
        let mut fields = Vec::new();
        for segment in segments {
            offset += 1;
            let segment_span = span.with(offset, offset + segment.len());
            offset += segment.len();
            let record = match &ty {
                Ty::Ref(kind) | Ty::Record(kind) => *kind,
                other => {
                    let message =
                        format!("`{segment}` cannot be read from {other}: it has no fields");
                    self.error(Code::UnknownField, segment_span, message);
                    return None;
                }
            };
            let defs = schema::fields(record);
            let Some(def) = defs.iter().find(|d| d.name == segment) else {
                let names: Vec<&str> = defs.iter().map(|d| d.name).collect();
                let mut diagnostic = self
                    .diagnostic(
                        Code::UnknownField,
                        segment_span,
                        format!(
                            "{} {} has no field `{segment}`",
                            record.article(),
                            record.word()
                        ),
                    )
                    .suggest(segment, names.iter().copied());
                // `m.head.from-90` is one name: the writer meant to subtract.
                if let Some((field, after)) = segment.split_once('-')
                    && names.contains(&field)
                    && after.starts_with(|c: char| c.is_ascii_digit())
                {
                    let before = &name[..segment_span.start() - span.start() + field.len()];
                    diagnostic = diagnostic.with_help(format!(
                        "to subtract days, put spaces around `-`: `{before} - {after}`"
                    ));
                }
                if diagnostic.help.is_none() {
                    diagnostic =
                        diagnostic.with_help(format!("its fields are {}", names.join(", ")));
                }
                self.diagnostics.push(diagnostic);
                return None;
            };
            fields.push((record, def.field));
            ex = Ex::Field(Box::new(ex), record, def.field);
            ty = def.ty;
        }
        // Paths over a rule's own bindings are evidence for its findings.
        let record_valued = matches!(ty, Ty::Record(_));
        if self.collect_reads && !fields.is_empty() {
            match self.reads.iter_mut().find(|r| r.text == name) {
                Some(read) => read.decides |= self.in_require,
                None => self.reads.push(Read {
                    slot,
                    fields,
                    text: name.to_string(),
                    record: record_valued,
                    decides: self.in_require,
                }),
            }
        }
        Some(Typed::Known(ex, ty))
    }

    /// Gives a bare word the type it is compared with.
    fn coerce(&mut self, word: &str, span: Span, ty: &Ty) -> Option<Ex> {
        let lit = match ty {
            Ty::Rank
            | Ty::MissionKind
            | Ty::Level
            | Ty::StateKind
            | Ty::RelationStatus
            | Ty::EventKind => {
                let lit = match ty {
                    Ty::Rank => Rank::from_word(word).map(Lit::Rank),
                    Ty::MissionKind => MissionKind::from_word(word).map(Lit::MissionKind),
                    Ty::Level => Level::from_word(word).map(Lit::Level),
                    Ty::RelationStatus => RelationStatus::from_word(word).map(Lit::RelationStatus),
                    Ty::EventKind => EventKind::from_word(word).map(Lit::EventKind),
                    _ => StateKind::from_word(word).map(Lit::StateKind),
                };
                match lit {
                    // `none` as a level is the absent value.
                    Some(Lit::Level(Level::NoRecognition)) => Lit::Null,
                    Some(lit) => lit,
                    None => {
                        let words = ty.words().unwrap_or_default();
                        let mut diagnostic = self
                            .diagnostic(Code::UnknownWord, span, format!("`{word}` is not {ty}"))
                            .suggest(word, words.iter().copied());
                        if diagnostic.help.is_none() {
                            diagnostic = diagnostic
                                .with_help(format!("expected one of: {}", words.join(", ")));
                        }
                        self.diagnostics.push(diagnostic);
                        return None;
                    }
                }
            }
            Ty::Ref(kind) => {
                if let Some(ids) = self.ids
                    && !ids.contains(word)
                {
                    let mut diagnostic = self.diagnostic(
                        Code::UnknownId,
                        span,
                        format!(
                            "no record has the id `{word}` (expected {})",
                            Ty::Ref(*kind)
                        ),
                    );
                    let near = match self.near {
                        Some(near) => near(word),
                        None => crate::diag::nearest(word, ids.iter().copied()).map(str::to_string),
                    };
                    if let Some(near) = near {
                        diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
                    }
                    self.diagnostics.push(diagnostic);
                    return None;
                }
                Lit::Id(word.to_string())
            }
            Ty::Str => Lit::Str(word.to_string()),
            other => {
                // `as_of-366` is one word: the writer meant to subtract.
                let subtraction = word
                    .split_once('-')
                    .is_some_and(|(_, after)| after.starts_with(|c: char| c.is_ascii_digit()));
                let hint = match other {
                    Ty::Date if subtraction => {
                        " (to subtract days, put spaces around `-`: `as_of - 366`)"
                    }
                    Ty::Date => " (dates are written 2024-09-27)",
                    Ty::Str => "",
                    _ => "",
                };
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("`{word}` is compared with {other}, but it is not a variable or a value of that type{hint}"),
                );
                return None;
            }
        };
        Some(Ex::Lit(lit))
    }

    /// Types two operands so that they can be compared: a bare word takes the other side's type.
    fn operands(&mut self, left: &ast::Expr, right: &ast::Expr) -> Option<(Ex, Ex, Ty, Ty)> {
        let l = self.infer(left);
        let r = self.infer(right);
        match (l?, r?) {
            (Typed::Known(a, ta), Typed::Known(b, tb)) => {
                // A quoted id (`"un.org"`) compared with an id is that id.
                if let Some(text) = quoted_id(&b, &tb, &ta) {
                    let b = self.coerce(text, right.span, &ta)?;
                    return Some((a, b, ta, ta));
                }
                if let Some(text) = quoted_id(&a, &ta, &tb) {
                    let a = self.coerce(text, left.span, &tb)?;
                    return Some((a, b, tb, tb));
                }
                Some((a, b, ta, tb))
            }
            (Typed::Known(a, ta), Typed::Word(w, span)) => {
                let b = self.coerce(&w, span, &ta)?;
                Some((a, b, ta, ta))
            }
            (Typed::Word(w, span), Typed::Known(b, tb)) => {
                let a = self.coerce(&w, span, &tb)?;
                Some((a, b, tb, tb))
            }
            (Typed::Word(a, _), Typed::Word(b, span)) => {
                self.error(
                    Code::TypeMismatch,
                    left.span.to(span),
                    format!("`{a}` and `{b}` are both bare words; compare a field with a word"),
                );
                None
            }
        }
    }

    fn compare(&mut self, op: CmpOp, left: &ast::Expr, right: &ast::Expr) -> Option<Typed> {
        let (a, b, ta, tb) = self.operands(left, right)?;
        let span = left.span.to(right.span);
        let comparable = match (&ta, &tb) {
            (Ty::Null, _) | (_, Ty::Null) => {
                !matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
            }
            (Ty::Ref(_), Ty::Ref(_)) => true,
            (Ty::Record(_), _) | (_, Ty::Record(_)) | (Ty::List(_), _) | (_, Ty::List(_)) => false,
            (x, y) => x == y,
        };
        if !comparable {
            let message = match (&ta, &tb) {
                (Ty::Record(kind), _) | (_, Ty::Record(kind)) => format!(
                    "a {} record can only be compared with `none`; compare one of its fields",
                    kind.word()
                ),
                _ if ta == Ty::Null || tb == Ty::Null => {
                    "`none` has no order; use `==` or `!=`".to_string()
                }
                _ => format!("cannot compare {ta} with {tb}"),
            };
            self.error(Code::TypeMismatch, span, message);
            return None;
        }
        if matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge) && !ta.is_ordered() {
            let hint = if ta == Ty::Rank {
                "; compare `class(...)` instead"
            } else {
                ""
            };
            self.error(
                Code::TypeMismatch,
                span,
                format!(
                    "{ta} has no order, so `{}` does not apply{hint}",
                    op.symbol()
                ),
            );
            return None;
        }
        Some(Typed::Known(
            Ex::Cmp(op, Box::new(a), Box::new(b)),
            Ty::Bool,
        ))
    }

    fn membership(&mut self, item: &ast::Expr, list: &ast::Expr, negated: bool) -> Option<Typed> {
        let ExprKind::List(elements) = &list.kind else {
            return self.membership_of_field(item, list, negated);
        };
        let (item, ty) = self.known(item)?;
        if matches!(ty, Ty::Record(_) | Ty::List(_) | Ty::Null) {
            self.error(
                Code::TypeMismatch,
                list.span,
                format!("cannot look for {ty} in a list"),
            );
            return None;
        }
        let mut checked = Vec::new();
        for element in elements {
            let ex = match self.infer(element) {
                Some(Typed::Word(w, span)) => self.coerce(&w, span, &ty),
                Some(Typed::Known(ex, t)) => {
                    let fits =
                        t == ty || t == Ty::Null || matches!((&t, &ty), (Ty::Ref(_), Ty::Ref(_)));
                    if let Some(text) = quoted_id(&ex, &t, &ty) {
                        self.coerce(text, element.span, &ty)
                    } else if fits {
                        Some(ex)
                    } else {
                        self.error(
                            Code::TypeMismatch,
                            element.span,
                            format!("the list holds {t}, but the value is {ty}"),
                        );
                        None
                    }
                }
                None => None,
            };
            checked.extend(ex);
        }
        if checked.len() != elements.len() {
            return None;
        }
        Some(Typed::Known(
            Ex::In {
                item: Box::new(item),
                list: checked,
                negated,
            },
            Ty::Bool,
        ))
    }

    /// `x in r.between`: a list-valued field (an `Ex::In` whose one element
    /// is the list; the evaluator looks inside it).
    fn membership_of_field(
        &mut self,
        item: &ast::Expr,
        list: &ast::Expr,
        negated: bool,
    ) -> Option<Typed> {
        let not_a_list = |this: &mut Self| {
            this.error(
                Code::TypeMismatch,
                list.span,
                "`in` needs a list, such as `[ambassador, nuncio]`".into(),
            );
            None
        };
        // A bare word or anything else that is not a list-valued field.
        if !matches!(list.kind, ExprKind::Name(_)) {
            return not_a_list(self);
        }
        let (list_ex, list_ty) = match self.infer(list)? {
            Typed::Known(ex, Ty::List(item_ty)) => (ex, *item_ty),
            _ => return not_a_list(self),
        };
        let item_ex = match self.infer(item)? {
            Typed::Word(w, span) => self.coerce(&w, span, &list_ty)?,
            Typed::Known(ex, ty) => {
                let fits = ty == list_ty
                    || ty == Ty::Null
                    || matches!((&ty, &list_ty), (Ty::Ref(_), Ty::Ref(_)));
                if let Some(text) = quoted_id(&ex, &ty, &list_ty) {
                    self.coerce(text, item.span, &list_ty)?
                } else if fits {
                    ex
                } else {
                    self.error(
                        Code::TypeMismatch,
                        item.span,
                        format!("the list holds {list_ty}, but the value is {ty}"),
                    );
                    return None;
                }
            }
        };
        Some(Typed::Known(
            Ex::In {
                item: Box::new(item_ex),
                list: vec![list_ex],
                negated,
            },
            Ty::Bool,
        ))
    }

    /// An argument of a given type (a bare word takes that type).
    fn argument(&mut self, expr: &ast::Expr, want: &Ty, func: &str) -> Option<Ex> {
        match self.infer(expr)? {
            Typed::Word(w, span) => self.coerce(&w, span, want),
            Typed::Known(ex, ty) => {
                let fits = ty == *want
                    || ty == Ty::Null
                    || matches!((&ty, want), (Ty::Ref(_), Ty::Ref(_)));
                if let Some(text) = quoted_id(&ex, &ty, want) {
                    self.coerce(text, expr.span, want)
                } else if fits {
                    Some(ex)
                } else {
                    self.error(
                        Code::TypeMismatch,
                        expr.span,
                        format!("`{func}` takes {want} here, but this is {ty}"),
                    );
                    None
                }
            }
        }
    }

    /// A call of a built-in function, checked against its entry in `functions::FUNCTIONS`.
    fn call(&mut self, func: &ast::Ident, args: &[ast::Expr], span: Span) -> Option<Typed> {
        let Some(function) = functions::find(&func.name) else {
            let diagnostic = self
                .diagnostic(
                    Code::UnknownFunction,
                    func.span,
                    format!("there is no function `{}`", func.name),
                )
                .suggest(&func.name, functions::names());
            let diagnostic = if diagnostic.help.is_none() {
                diagnostic.with_help(format!("the functions are {}", functions::names_in_words()))
            } else {
                diagnostic
            };
            self.diagnostics.push(diagnostic);
            return None;
        };
        // `count` and `exists` written as calls (not `x in C ...`) never fit.
        let params = match &function.form {
            Form::Call { params, .. } if function.takes(args.len()) => *params,
            _ => {
                self.error(
                    Code::WrongArguments,
                    span,
                    format!("wrong number of arguments: {}", function.signature()),
                );
                return None;
            }
        };
        // Every argument is checked, so each wrong one is reported.
        let mut checked = Vec::with_capacity(args.len());
        for (arg, param) in args.iter().zip(params) {
            checked.push(self.argument(arg, &param.ty, function.name));
        }
        let args = checked.into_iter().collect::<Option<Vec<Ex>>>()?;
        Some(Typed::Known(Ex::Call { function, args }, function.returns))
    }
}
