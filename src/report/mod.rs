//! One `Report` per scenario file, rendered by one module per format.

pub mod github;
pub mod graph;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use crate::eval::Evidence;
use crate::lang::ast::Severity;
use serde::Serialize;

/// Where a finding or claim comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// A rule that fired, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub title: String,
    pub severity: Severity,
    /// Ids of the records the finding is about.
    pub subject: Vec<String>,
    pub message: String,
    pub cite: String,
    /// The first subject record.
    pub location: Location,
    /// The records bound when the rule fired and the fields it read.
    pub evidence: Vec<Evidence>,
}

/// A finding that a waiver accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waived {
    #[serde(flatten)]
    pub finding: Finding,
    pub waiver: WaiverInfo,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct WaiverInfo {
    pub reason: Option<String>,
    pub until: Option<String>,
    pub location: Location,
}

/// An `expect` claim and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimResult {
    /// The claim's title, or its text when it has none.
    pub title: String,
    pub holds: bool,
    pub source: Option<String>,
    pub claim: String,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub waived: usize,
    pub claims_held: usize,
    pub claims_failed: usize,
}

/// The result of checking one scenario at one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub scenario: String,
    pub file: String,
    pub as_of: String,
    pub findings: Vec<Finding>,
    pub claims: Vec<ClaimResult>,
    pub waived: Vec<Waived>,
    pub summary: Summary,
}

impl Report {
    /// Puts findings in a stable order (most severe first, then by rule and
    /// subject ids: independent of the order records were written in) and counts them.
    pub fn finish(mut self) -> Report {
        let order = |a: &Finding, b: &Finding| {
            (b.severity, &a.rule, &a.subject, &a.message)
                .cmp(&(a.severity, &b.rule, &b.subject, &b.message))
        };
        self.findings.sort_by(order);
        self.waived.sort_by(|a, b| order(&a.finding, &b.finding));
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        self.summary = Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            waived: self.waived.len(),
            claims_held: self.claims.iter().filter(|c| c.holds).count(),
            claims_failed: self.claims.iter().filter(|c| !c.holds).count(),
        };
        self
    }

    /// Whether the report should fail a build: a finding at or above `fail_on`, or a failing claim.
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= fail_on) || self.claims.iter().any(|c| !c.holds)
    }
}
