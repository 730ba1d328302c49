//! The rule language's functions, declared once in `src/lang/functions.rs`:
//! the table of functions in `docs/rules.md` is generated from it, and each
//! entry's checking and evaluation go through it.
//!
//! After changing a function, regenerate the docs with
//! `PARITY_BLESS=1 cargo test --test functions`.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::lang::functions::{self, FUNCTIONS, Form};

const DOCS: &str = "docs/rules.md";
const START: &str = "<!-- functions: generated from src/lang/functions.rs by `PARITY_BLESS=1 cargo test --test functions` -->\n";
const END: &str = "<!-- end functions -->\n";

/// The docs with their table of functions as the code declares it.
fn regenerated(docs: &str) -> String {
    let start = docs
        .find(START)
        .expect("docs/rules.md lost its functions marker")
        + START.len();
    let end = start
        + docs[start..]
            .find(END)
            .expect("docs/rules.md lost its end-of-functions marker");
    // Blank lines keep the Markdown table apart from the markers.
    format!(
        "{}\n{}\n{}",
        &docs[..start],
        functions::docs_table(),
        &docs[end..]
    )
}

mod common;

#[test]
fn the_docs_table_of_functions_is_generated_from_the_code() {
    let docs = std::fs::read_to_string(DOCS).unwrap();
    common::agrees(DOCS, &regenerated(&docs), "src/lang/functions.rs");
}

#[test]
fn the_docs_table_lists_every_function_once() {
    let table = functions::docs_table();
    for f in FUNCTIONS {
        let row = format!("| `{}(", f.name);
        assert_eq!(table.matches(&row).count(), 1, "{}", f.name);
    }
    // A stale table is caught: a function's doc changed is a different table.
    let docs = std::fs::read_to_string(DOCS).unwrap();
    let stale = docs.replace("1, 2, 3 or `none`", "1, 2 or 3");
    assert_ne!(regenerated(&stale), stale);
}

#[test]
fn every_call_form_has_an_evaluation_and_quantifiers_are_count_exists_and_sum() {
    let quantifiers: Vec<&str> = FUNCTIONS
        .iter()
        .filter(|f| matches!(f.form, Form::Quantifier { .. }))
        .map(|f| f.name)
        .collect();
    assert_eq!(quantifiers, ["count", "exists", "sum"]);
}

/// Loads rule text; returns the set and every diagnostic.
fn load(body: &str) -> (parity::RuleSet, Vec<parity::diag::Diagnostic>) {
    let text = format!(
        "rule t {{\n  title \"T\"\n  severity error\n  cite \"C\"\n  for m in missions\n{body}\n  message \"x\"\n}}\n"
    );
    let mut set = parity::RuleSet::default();
    let mut diags = Vec::new();
    set.add_text(&text, "t.rules", &mut diags);
    (set, diags)
}

#[test]
fn a_call_is_lowered_to_its_table_entry() {
    use parity::lang::check::Ex;
    let (set, diags) = load("  where ratio(m.staff, 2) > 1 and class(m.head.rank) == 1");
    assert!(diags.is_empty(), "{diags:#?}");
    let called: Vec<(&str, usize)> = set.rules[0]
        .filter
        .iter()
        .filter_map(|ex| match ex {
            Ex::Cmp(_, call, _) => match &**call {
                Ex::Call { function, args } => Some((function.name, args.len())),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(called, [("ratio", 2), ("class", 1)]);
    // The entry is the table's own, not a copy.
    let Ex::Cmp(_, call, _) = &set.rules[0].filter[0] else {
        panic!("{:?}", set.rules[0].filter)
    };
    let Ex::Call { function, .. } = &**call else {
        panic!("{call:?}")
    };
    assert!(std::ptr::eq(*function, functions::find("ratio").unwrap()));
}

/// The parser reads `count(` and `exists(` as quantifiers, so no call of
/// them reaches the checker from rule text; one built by hand is refused
/// with their signature, not evaluated.
#[test]
fn a_quantifier_as_a_call_quotes_its_signature() {
    use parity::lang::ast::{Expr, ExprKind, Ident, Span};
    use parity::lang::check::{FileText, check_condition};
    let text = "count()";
    let call = Expr {
        kind: ExprKind::Call {
            func: Ident {
                name: "count".into(),
                span: Span::new(0, 5),
            },
            args: Vec::new(),
        },
        span: Span::new(0, text.len()),
    };
    let ids = std::collections::HashSet::new();
    let shared = std::sync::Arc::new(parity::source::Located::new(
        parity::source::SourceId::NONE,
        text,
    ));
    let diags = check_condition(&call, &FileText::new("t", &shared), &ids, &|_| None).unwrap_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "wrong-arguments");
    assert_eq!(
        diags[0].message,
        "wrong number of arguments: count(x in collection where condition) -> number"
    );
}

#[test]
fn every_argument_of_the_wrong_type_is_reported() {
    let (_, diags) = load("  where recognition(m.kind, m.kind, m.kind) == de-jure");
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`recognition` takes a state id here, but this is a mission kind",
            "`recognition` takes a government id here, but this is a mission kind",
            "`recognition` takes a date here, but this is a mission kind",
        ]
    );
    assert!(diags.iter().all(|d| d.code == "type-mismatch"));
}
