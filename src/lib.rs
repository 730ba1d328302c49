//! parity: a rules engine for diplomatic recognition-parity checks.
//!
//! The pipeline runs one way:
//! `scenario` (YAML → located model → validated) and `lang` (rule text → AST →
//! checked rules) feed `engine`, which builds the `World` at a date, runs the
//! rules through `eval`, and returns an `engine::result::Report` (and, when a
//! format draws it, the network) for a `report::Render`er. `commands` runs
//! each command of the CLI through these stages.

pub mod commands;
pub mod config;
pub mod diag;
pub mod engine;
pub mod eval;
pub mod fast_hash;
pub mod import;
pub mod io;
pub mod lang;
pub mod lsp;
pub mod parallel;
pub mod report;
pub mod scenario;
pub mod source;

pub use engine::{CheckOptions, check};
pub use lang::ruleset::RuleSet;
