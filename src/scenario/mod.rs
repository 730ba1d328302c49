//! Scenario loading: YAML → located model → validated scenario → world at a date.

pub mod date;
pub mod model;
pub mod yaml;
