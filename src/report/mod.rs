//! One `Report` per scenario file, rendered by one module per format. Every
//! format implements `Render` over one `Context`; `Format` lists them.

pub mod csv;
pub mod github;
pub mod graph;
pub mod html;
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

use crate::engine::network::Network;
use crate::io::Sources;
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use std::path::Path;

/// Everything a format may draw from: the results of one run, in the order
/// they are reported.
pub struct Context<'a> {
    /// The reports of the files checked, in name order.
    pub reports: &'a [Report],
    /// The network at each report's date (same order), drawn by the engine
    /// when the format `needs_network`; else empty.
    pub networks: &'a [Network],
    /// The files that could not be checked, in name order.
    pub failed: &'a [FileErrors],
    /// Every file in name order: `true` for the next of `reports`, `false`
    /// for the next of `failed`.
    pub order: &'a [bool],
    /// Whether the run was of many files (JSON writes an array), which
    /// depends on what was asked, not on what loaded.
    pub many: bool,
    /// The rules checked against (SARIF and JUnit list them).
    pub rules: &'a RuleSet,
    /// The least failing severity (JUnit fails testcases from it).
    pub fail_on: Severity,
    /// The directory SARIF's artifact URIs are relative to (`--base-dir`,
    /// else the repository root, else the working directory).
    pub base: &'a Path,
    /// The working directory, which relative file names are relative to.
    pub cwd: &'a Path,
    /// The texts read, which the human format quotes.
    pub sources: &'a Sources,
}

impl<'a> Context<'a> {
    /// Each report with its network (`None` when the format drew none).
    pub fn with_networks(&self) -> Vec<(&'a Report, Option<&'a Network>)> {
        self.reports
            .iter()
            .enumerate()
            .map(|(i, report)| (report, self.networks.get(i)))
            .collect()
    }
}

/// An output format.
pub trait Render: Sync {
    /// Whether the format draws the network, which the engine then keeps.
    fn needs_network(&self) -> bool {
        false
    }

    /// Writes the run's results to `out`.
    fn render(&self, cx: &Context, out: &mut dyn std::io::Write) -> std::io::Result<()>;
}

/// The formats of `parity check --format`: one variant and one renderer each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning tools (check only).
    Sarif,
    /// JUnit XML, for CI test reports (check only).
    Junit,
    /// GitHub Actions workflow commands: annotations on the pull request (check only).
    Github,
    /// Markdown, for a pull-request comment: check's report with a Mermaid diagram; precedence's list as a table.
    Markdown,
    /// CSV for pandas and R: a row per finding (check) or per period of a finding (timeline).
    Csv,
    /// HTML, a self-contained briefing to open in a browser: check's report with the network drawn; timeline's periods charted; precedence's list.
    Html,
}

impl Format {
    /// The renderer of this format.
    pub fn renderer(self) -> &'static dyn Render {
        match self {
            Format::Human => &human::Human::PLAIN,
            Format::Json => &json::Json,
            Format::Sarif => &sarif::Sarif,
            Format::Junit => &junit::Junit,
            Format::Github => &github::Github,
            Format::Markdown => &markdown::Markdown,
            Format::Csv => &csv::Csv,
            Format::Html => &html::Html,
        }
    }

    /// The formats only `check` has; other commands speak human and JSON
    /// (and some one more: see `written_by`).
    pub fn check_only(self) -> bool {
        !matches!(self, Format::Human | Format::Json)
    }

    /// The formats `command` writes, declared once for every command but
    /// `check` (which writes them all) and `graph` (which has its own).
    pub fn written_by(command: &str) -> &'static [Format] {
        match command {
            "timeline" => &[Format::Human, Format::Json, Format::Csv, Format::Html],
            "precedence" => &[Format::Human, Format::Json, Format::Markdown, Format::Html],
            _ => &[Format::Human, Format::Json],
        }
    }

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Html => "html",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Format;
    use clap::ValueEnum as _;

    #[test]
    fn each_format_is_named_as_the_command_line_names_it() {
        for format in Format::value_variants() {
            let value = format.to_possible_value();
            assert_eq!(value.as_ref().map(|v| v.get_name()), Some(format.name()));
        }
    }
}
