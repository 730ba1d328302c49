//! One `Report` per scenario file, rendered by one module per format.

pub mod github;
pub mod graph;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

// The result types live in the engine, which builds them; they are
// re-exported here, where renderers and callers have always found them.
pub use crate::engine::result::{
    ClaimResult, FileErrors, FileResult, Finding, InputError, Location, Report, Summary, Waived,
    WaiverInfo,
};
