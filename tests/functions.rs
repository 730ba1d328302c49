//! The rule language's functions, declared once in `src/lang/functions.rs`:
//! the table of functions in `docs/rules.md` is generated from it, and each
//! entry's checking and evaluation go through it.
//!
//! After changing a function, regenerate the docs with
//! `PARITY_REGENERATE=1 cargo test --test functions`.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::lang::functions::{self, FUNCTIONS, Form};

const DOCS: &str = "docs/rules.md";
const START: &str = "<!-- functions: generated from src/lang/functions.rs by `PARITY_REGENERATE=1 cargo test --test functions` -->\n";
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

#[test]
fn the_docs_table_of_functions_is_generated_from_the_code() {
    let docs = std::fs::read_to_string(DOCS).unwrap();
    let wanted = regenerated(&docs);
    if std::env::var_os("PARITY_REGENERATE").is_some() {
        if wanted != docs {
            std::fs::write(DOCS, &wanted).unwrap();
        }
        return;
    }
    assert!(
        wanted == docs,
        "the table of functions in {DOCS} differs from src/lang/functions.rs; \
         regenerate it with `PARITY_REGENERATE=1 cargo test --test functions`"
    );
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
fn every_call_form_has_an_evaluation_and_quantifiers_are_count_and_exists() {
    let quantifiers: Vec<&str> = FUNCTIONS
        .iter()
        .filter(|f| matches!(f.form, Form::Quantifier { .. }))
        .map(|f| f.name)
        .collect();
    assert_eq!(quantifiers, ["count", "exists"]);
}
