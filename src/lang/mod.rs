//! The rule language: syntax tree, nom parser, static checker.

pub mod ast;
pub mod parse;
