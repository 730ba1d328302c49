//! Syntax tree of the rule language, as the parser produces it.
//!
//! Names are not resolved here: `m.head.rank`, `embassy` and `AFG` are all
//! `ExprKind::Name`; the static checker (`check.rs`) decides which are field
//! paths over bound variables and which are enum words or ids.

use serde::Serialize;

/// Every node's place: the source model's one span type, a byte range in
/// one source (see `crate::source`). A claim's nodes, parsed from its text,
/// are moved onto its file by `Expr::relocate`.
pub use crate::source::Span;

/// An identifier or name with its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal with its span (the span includes the quotes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A rule's severity is a diagnostic's: one type, declared in `diag`.
pub use crate::diag::Severity;

/// A file of rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleFile {
    pub rules: Vec<Rule>,
}

/// `rule ID { title ... severity ... cite ... subject ... for ... where ... require ... message ... }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub id: Ident,
    pub title: Text,
    pub severity: Severity,
    pub severity_span: Span,
    pub cite: Text,
    /// Optional longer explanation (`about "..."`), shown by `parity explain`.
    pub about: Option<Text>,
    /// The variables whose records the finding is about; empty (and no
    /// `subject_sets`) means all bound variables.
    pub subject: Vec<Ident>,
    /// `subject ..., all(x in C where e)`: every record of `C` that passes
    /// `e` is in the subject too (a set of any size: `staff-parity`'s
    /// missions of both sides). Each is a `Quantifier` of kind `All`.
    pub subject_sets: Vec<Expr>,
    /// `for m in missions, r in missions`
    pub bindings: Vec<Binding>,
    /// `where ...`: which bindings the rule applies to.
    pub filter: Option<Expr>,
    /// `require ...`: what must hold; absent means every binding that passes `where` is a finding.
    pub require: Option<Expr>,
    pub message: Template,
    /// The whole rule, from `rule` to `}`.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Binding {
    pub var: Ident,
    pub collection: Ident,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// Moves every span of the expression through `to` (a claim's spans,
    /// offsets into its text, onto its scenario file).
    pub fn relocate(&mut self, to: &dyn Fn(Span) -> Span) {
        self.span = to(self.span);
        match &mut self.kind {
            ExprKind::Str(_)
            | ExprKind::Num(_)
            | ExprKind::Date(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Name(_) => {}
            ExprKind::List(items) => items.iter_mut().for_each(|e| e.relocate(to)),
            ExprKind::Not(e) => e.relocate(to),
            ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Compare {
                left: a, right: b, ..
            }
            | ExprKind::Arith {
                left: a, right: b, ..
            }
            | ExprKind::In {
                item: a, list: b, ..
            } => {
                a.relocate(to);
                b.relocate(to);
            }
            ExprKind::Call { func, args } => {
                func.span = to(func.span);
                args.iter_mut().for_each(|e| e.relocate(to));
            }
            ExprKind::Quantifier {
                var,
                collection,
                filter,
                term,
                ..
            } => {
                var.span = to(var.span);
                collection.span = to(collection.span);
                for e in filter.iter_mut().chain(term.iter_mut()) {
                    e.relocate(to);
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    /// `"text"`
    Str(String),
    /// `6`, `1.5`
    Num(f64),
    /// `2024-09-27`, `2024-09` (validated by the parser)
    Date(String),
    Bool(bool),
    /// `none`: the absent value (a missing head, a rank with no class, no recognition).
    None,
    /// A bare name: a field path (`m.head.rank`), an enum word (`charge-d-affaires`)
    /// or an id (`AFG`, `islamic-emirate`). Resolved by the checker.
    Name(String),
    /// `[a, b, c]`
    List(Vec<Expr>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare {
        op: CmpOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `x in [..]` / `x not in [..]`
    In {
        item: Box<Expr>,
        list: Box<Expr>,
        negated: bool,
    },
    /// `m.head.from + 90`, `as_of - 366`: a date moved by a number of days
    /// (the checker allows no other operands).
    Arith {
        op: ArithOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `class(x)`, `recognition(a, b, d)`, ...
    Call {
        func: Ident,
        args: Vec<Expr>,
    },
    /// `count(x in C where e)` / `exists(x in C where e)` /
    /// `sum(t for x in C where e)`
    Quantifier {
        kind: QuantifierKind,
        var: Ident,
        collection: Ident,
        filter: Option<Box<Expr>>,
        /// What `sum` adds up (`t`); `None` for `count` and `exists`.
        #[serde(skip_serializing_if = "Option::is_none")]
        term: Option<Box<Expr>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ArithOp {
    Add,
    Sub,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QuantifierKind {
    Count,
    Exists,
    Sum,
    /// `all(x in C where e)`, only in a `subject`: every record that passes.
    All,
}

impl QuantifierKind {
    /// The word it is written with.
    pub fn word(self) -> &'static str {
        match self {
            QuantifierKind::Count => "count",
            QuantifierKind::Exists => "exists",
            QuantifierKind::Sum => "sum",
            QuantifierKind::All => "all",
        }
    }
}

/// A message template: text with `{expr}` holes; `{{` and `}}` are literal braces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TemplatePart {
    Text(String),
    Hole(Expr),
}
