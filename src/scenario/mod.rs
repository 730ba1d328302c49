//! Scenario loading: YAML → located model → validated scenario → world at a date.

pub mod change;
pub mod date;
#[macro_use]
pub mod declare;
pub mod load;
pub mod model;
pub mod records;
pub mod types;
pub mod validate;
pub mod world;
pub mod yaml;
