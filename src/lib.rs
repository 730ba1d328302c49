//! parity: a rules engine for diplomatic recognition-parity checks.

pub mod diag;
pub mod scenario;
pub mod lang;
