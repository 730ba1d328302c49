//! The rule language: syntax tree, nom parser, static checker.

pub mod ast;
pub mod check;
pub mod explain;
pub mod fmt;
pub mod functions;
pub mod parse;
pub mod ruleset;
pub mod schema;
