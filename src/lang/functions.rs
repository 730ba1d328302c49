//! The rule language's built-in functions, each declared once: name,
//! parameters and their types, return type, evaluation and documentation,
//! in the style of Cedar's extension functions.
//!
//! The static checker checks a call's arity and argument types against its
//! entry and lowers the call to [`Ex::Call`](super::check::Ex::Call), which
//! holds the entry itself: the evaluator calls its `eval` without looking
//! anything up by name. The table of functions in `docs/rules.md` is
//! generated from [`FUNCTIONS`] (`tests/functions.rs` fails when it drifts).
//!
//! This is the one place the rule language reaches into `eval`: what a
//! function does is stated over runtime values, next to its type.

use super::schema::{RecordKind, Ty};
use crate::eval::value::{Reader, Record, Value};
use crate::scenario::world::Sym;
use std::fmt;

/// Most arguments any function takes: the evaluator passes them in an
/// array of this size on the stack, so a call allocates nothing.
pub const MAX_ARGUMENTS: usize = 3;

/// One parameter of a function.
#[derive(Debug)]
pub struct Param {
    /// Its name in the signature error messages and the docs quote.
    pub name: &'static str,
    pub ty: Ty,
    /// May be left out; only trailing parameters are.
    pub optional: bool,
}

/// What a function computes from its evaluated arguments, in order. An
/// optional argument that was not written is absent from the slice (one
/// written as `none` is there, as `Value::Null`).
pub type Eval = for<'w, 's> fn(&Reader<'w, 's>, &[Value<'w>]) -> Value<'w>;

/// How a function is written and run.
pub enum Form {
    /// `name(arg, ...)`: each argument is an expression of its parameter's type.
    Call {
        params: &'static [Param],
        eval: Eval,
    },
    /// `count` and `exists` bind a variable over a collection, so the parser
    /// and checker treat them as quantifiers; they are listed here for the
    /// docs and "did you mean". `params` is how their inside is written.
    Quantifier { params: &'static str },
}

/// A built-in function of the rule language.
pub struct Function {
    pub name: &'static str,
    pub form: Form,
    /// The type of its result (`none` aside, which any function may give).
    pub returns: Ty,
    /// What it gives, in the words its signature ends with in error messages.
    pub gives: &'static str,
    /// What it means, in Markdown, for `docs/rules.md`.
    pub doc: &'static str,
    /// The kinds of record it reads from the world beyond its arguments
    /// (`recognition`: the recognition records and governments' defaults):
    /// what a change to those records can alter (`eval::delta`).
    pub reads: &'static [RecordKind],
    /// Whether, called without its last (optional) argument, it reads the
    /// evaluation date in its stead (`recognition`'s date).
    pub dated: bool,
    /// Whether, given its date, it reads the records of `reads` of every
    /// date (`recognition`: the records in force on its date, whatever the
    /// evaluation date), not the world's at the evaluation date: then its
    /// value does not change from one evaluation date to another, only
    /// when those records are changed (`propose`), which a timeline's
    /// points never do (`eval::delta::Footprint::between_dates`).
    pub reads_every_date: bool,
}

// Names are unique in the table, so a function is its name; `Ex` derives
// `PartialEq` and `Debug` through these.
impl PartialEq for Function {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

const fn param(name: &'static str, ty: Ty) -> Param {
    Param {
        name,
        ty,
        optional: false,
    }
}

const fn optional(name: &'static str, ty: Ty) -> Param {
    Param {
        name,
        ty,
        optional: true,
    }
}

/// Every built-in function, in the order the docs and "the functions are ..." list them.
pub static FUNCTIONS: &[Function] = &[
    Function {
        name: "class",
        form: Form::Call {
            params: &[param("rank", Ty::Rank)],
            eval: class,
        },
        returns: Ty::Num,
        gives: "1, 2, 3 or none (VCDR art. 14)",
        doc: "1, 2, 3 or `none`",
        reads: &[],
        dated: false,
        reads_every_date: false,
    },
    Function {
        name: "recognition",
        form: Form::Call {
            params: &[
                param("state", Ty::Ref(RecordKind::State)),
                param("government", Ty::Ref(RecordKind::Government)),
                optional("date", Ty::Date),
            ],
            eval: recognition,
        },
        returns: Ty::Level,
        gives: "de-jure, de-facto or none",
        doc: "how the state recognises the government (or state) on the date (default: the \
              evaluation date): the explicit recognition record in force then (the one that \
              started last; of two that start the same day, the weaker level); else the \
              government's `default_recognition`; a state, or an implicit government, \
              `de-jure`; otherwise `none`. When the date is `none` (unknown), only records \
              with neither `from` nor `until` count.",
        reads: &[
            RecordKind::Recognition,
            RecordKind::Government,
            RecordKind::State,
        ],
        dated: true,
        reads_every_date: true,
    },
    Function {
        name: "ratio",
        form: Form::Call {
            params: &[param("number", Ty::Num), param("number", Ty::Num)],
            eval: ratio,
        },
        returns: Ty::Num,
        gives: "the larger divided by the smaller",
        doc: "the larger number divided by the smaller (`none` if either is `none`)",
        reads: &[],
        dated: false,
        reads_every_date: false,
    },
    Function {
        name: "days",
        form: Form::Call {
            params: &[param("date", Ty::Date), param("date", Ty::Date)],
            eval: days,
        },
        returns: Ty::Num,
        gives: "the whole days from the first date to the second",
        doc: "the whole days from the first date to the second, negative when the second is \
              earlier (`none` if either is `none`); a partial date counts as its first day: \
              `days(2020-01-01, 2020-04-01)` is 91",
        reads: &[],
        dated: false,
        reads_every_date: false,
    },
    Function {
        name: "count",
        form: Form::Quantifier {
            params: "x in collection where condition",
        },
        returns: Ty::Num,
        gives: "number",
        doc: "how many records of the collection make the condition true",
        reads: &[],
        dated: false,
        reads_every_date: false,
    },
    Function {
        name: "exists",
        form: Form::Quantifier {
            params: "x in collection where condition",
        },
        returns: Ty::Bool,
        gives: "boolean",
        doc: "whether any does",
        reads: &[],
        dated: false,
        reads_every_date: false,
    },
    Function {
        name: "sum",
        form: Form::Quantifier {
            params: "x.field for x in collection where condition",
        },
        returns: Ty::Num,
        gives: "number",
        doc: "the total of a number over the records of the collection that make the \
              condition true; terms that are `none` (a staff count not known) are left out, \
              and the sum of no terms is 0",
        reads: &[],
        dated: false,
        reads_every_date: false,
    },
];

/// The function of this name, if there is one.
pub fn find(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// The names of all functions, in table order.
pub fn names() -> impl Iterator<Item = &'static str> + Clone {
    FUNCTIONS.iter().map(|f| f.name)
}

/// "class, recognition, ratio, count and exists".
pub fn names_in_words() -> String {
    let names: Vec<&str> = names().collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

impl Function {
    /// Whether a call with `n` arguments has the right number.
    pub fn takes(&self, n: usize) -> bool {
        match &self.form {
            Form::Call { params, .. } => {
                let required = params.iter().filter(|p| !p.optional).count();
                (required..=params.len()).contains(&n)
            }
            Form::Quantifier { .. } => false,
        }
    }

    /// How a call is written: `recognition(state, government [, date])`.
    pub fn usage(&self) -> String {
        let mut out = format!("{}(", self.name);
        match &self.form {
            Form::Call { params, .. } => {
                for (i, p) in params.iter().enumerate() {
                    match (p.optional, i) {
                        (true, 0) => out.push_str(&format!("[{}]", p.name)),
                        (true, _) => out.push_str(&format!(" [, {}]", p.name)),
                        (false, 0) => out.push_str(p.name),
                        (false, _) => out.push_str(&format!(", {}", p.name)),
                    }
                }
            }
            Form::Quantifier { params } => out.push_str(params),
        }
        out.push(')');
        out
    }

    /// The signature a wrong call is told:
    /// `class(rank) -> 1, 2, 3 or none (VCDR art. 14)`.
    pub fn signature(&self) -> String {
        format!("{} -> {}", self.usage(), self.gives)
    }
}

/// The table of functions in `docs/rules.md`, between its markers.
pub fn docs_table() -> String {
    let mut out = String::from("| function | type | meaning |\n|---|---|---|\n");
    for f in FUNCTIONS {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            f.usage(),
            f.returns,
            f.doc
        ));
    }
    out
}

/// `class(rank)`: the class of a rank (VCDR art. 14).
fn class<'w>(_: &Reader<'w, '_>, args: &[Value<'w>]) -> Value<'w> {
    match args {
        [Value::Rank(rank)] => rank
            .class()
            .map_or(Value::Null, |c| Value::Num(f64::from(c))),
        _ => Value::Null,
    }
}

/// `recognition(state, government [, date])`.
fn recognition<'w>(reader: &Reader<'w, '_>, args: &[Value<'w>]) -> Value<'w> {
    let world = reader.world;
    let (by, of, at) = match *args {
        [by, of] => (by, of, Some(world.date)),
        [by, of, Value::Date(at)] => (by, of, Some(at)),
        // A date that is `none` is unknown.
        [by, of, _] => (by, of, None),
        _ => return Value::Null,
    };
    match (sym(reader, by), sym(reader, of)) {
        (Some(by), Some(of)) => world
            .recognition(by, of, at)
            .map_or(Value::Null, Value::Level),
        _ => Value::Null,
    }
}

/// `ratio(a, b)`: the larger over the smaller; a zero below a positive is infinite.
fn ratio<'w>(_: &Reader<'w, '_>, args: &[Value<'w>]) -> Value<'w> {
    match *args {
        [Value::Num(a), Value::Num(b)] => {
            let (high, low) = if a >= b { (a, b) } else { (b, a) };
            Value::Num(if low > 0.0 {
                high / low
            } else if high > 0.0 {
                f64::INFINITY
            } else {
                1.0
            })
        }
        _ => Value::Null,
    }
}

/// `days(a, b)`: whole days from `a` to `b`, each its first day when partial.
fn days<'w>(_: &Reader<'w, '_>, args: &[Value<'w>]) -> Value<'w> {
    match *args {
        // Day numbers of scenario dates are below 4 million: exact in an f64.
        [Value::Date(a), Value::Date(b)] => Value::Num((b.day_number() - a.day_number()) as f64),
        _ => Value::Null,
    }
}

/// The id a value denotes: an id, an id written as text, or a bound record's id.
fn sym(reader: &Reader<'_, '_>, value: Value<'_>) -> Option<Sym> {
    match value {
        Value::Sym(sym) => Some(sym),
        Value::Str(text) => reader.world.sym(text),
        Value::Row(kind, row) => match reader.row(kind, row)? {
            Record::Mission(m) => Some(m.sym),
            Record::State(s) => Some(s.sym),
            Record::Government(g) => Some(g.sym),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_arguments_fit_the_evaluators_array() {
        for (i, f) in FUNCTIONS.iter().enumerate() {
            assert!(
                FUNCTIONS[..i].iter().all(|g| g.name != f.name),
                "{} twice",
                f.name
            );
            if let Form::Call { params, .. } = &f.form {
                assert!(params.len() <= MAX_ARGUMENTS, "{} takes too many", f.name);
                // Only trailing parameters may be optional.
                let first_optional = params.iter().position(|p| p.optional);
                if let Some(first) = first_optional {
                    assert!(params[first..].iter().all(|p| p.optional), "{}", f.name);
                }
            }
        }
    }

    #[test]
    fn usage_marks_optional_arguments() {
        let usages: Vec<String> = FUNCTIONS.iter().map(Function::usage).collect();
        assert_eq!(
            usages,
            [
                "class(rank)",
                "recognition(state, government [, date])",
                "ratio(number, number)",
                "days(date, date)",
                "count(x in collection where condition)",
                "exists(x in collection where condition)",
                "sum(x.field for x in collection where condition)",
            ]
        );
        assert_eq!(
            names_in_words(),
            "class, recognition, ratio, days, count, exists and sum"
        );
    }

    #[test]
    fn arity_counts_optional_arguments() {
        let recognition =
            find("recognition").map(|f| (f.takes(1), f.takes(2), f.takes(3), f.takes(4)));
        assert_eq!(recognition, Some((false, true, true, false)));
        assert_eq!(find("count").map(|f| f.takes(1)), Some(false));
        assert!(find("lower").is_none());
    }
}
