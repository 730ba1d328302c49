//! Evaluation: binds a checked rule's variables over the world, joining on
//! equalities through hash indexes, within a budget of steps.

pub mod delta;
pub mod horizon;
pub mod plan;
pub mod run;
pub mod value;
pub mod words;

pub use run::{Budget, EvalError, Evaluator, Evidence, EvidenceField, EvidenceFor, RawFinding};
