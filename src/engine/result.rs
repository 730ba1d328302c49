//! What checking produces: one `Report` per scenario file, or the input
//! errors that stopped it. The engine builds these; every renderer in
//! `report` reads them and nothing else of the engine.

use crate::diag::printable;
use crate::eval::{Evidence, EvidenceField};
use crate::lang::ast::Severity;
pub use crate::source::Location;
use crate::source::Span;
use serde::Serialize;
use std::borrow::Cow;

/// A rule that fired, with why. Serialized with its evidence's places as
/// lines (`FindingView`).
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The place of the scenario file a report quotes: the fact that
    /// decided the finding (`RawFinding::focus`), else `location`.
    pub focus: Option<Span>,
}

impl Finding {
    /// The evidence in words, each bound record's sentence in turn: what
    /// the formats without a place for each record (GitHub, JUnit, CSV,
    /// Markdown) show.
    pub fn why(&self) -> String {
        let texts: Vec<&str> = self.evidence.iter().map(|e| e.text.as_str()).collect();
        texts.join(" ")
    }

    /// The line a report quotes for the finding (see `focus`).
    pub fn quoted_line(&self) -> u32 {
        match self.focus {
            Some(span) => self.location.line_of(span),
            None => self.location.line(),
        }
    }

    /// The line a place of the evidence is at; 0 where none is known (a
    /// record the binding did not find).
    pub fn line_of(&self, span: Option<Span>) -> u32 {
        span.map_or(0, |span| self.location.line_of(span))
    }
}

/// How a finding serializes: its fields in order, each place of its
/// evidence as the line it is at (located here, when shown).
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct FindingView<'a> {
            rule: &'a str,
            title: &'a str,
            severity: Severity,
            subject: &'a [String],
            message: &'a str,
            cite: &'a str,
            location: &'a Location,
            evidence: Vec<EvidenceView<'a>>,
        }
        #[derive(Serialize)]
        struct EvidenceView<'a> {
            var: &'a str,
            id: &'a str,
            line: u32,
            fields: Vec<FieldView<'a>>,
            text: &'a str,
        }
        #[derive(Serialize)]
        struct FieldView<'a> {
            path: &'a str,
            value: &'a str,
            line: u32,
            text: &'a str,
        }
        let Finding {
            rule,
            title,
            severity,
            subject,
            message,
            cite,
            location,
            evidence,
            focus: _,
        } = self;
        let evidence = evidence
            .iter()
            .map(|e| EvidenceView {
                var: &e.var,
                id: &e.id,
                line: self.line_of(e.span),
                fields: e
                    .fields
                    .iter()
                    .map(|f| FieldView {
                        path: &f.path,
                        value: &f.value,
                        line: self.line_of(f.span),
                        text: &f.text,
                    })
                    .collect(),
                text: &e.text,
            })
            .collect();
        FindingView {
            rule,
            title,
            severity: *severity,
            subject,
            message,
            cite,
            location,
            evidence,
        }
        .serialize(serializer)
    }
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

impl Summary {
    /// The claims in words for a summary table — "2 of 3 fail" when any
    /// fails (and `true`, for the renderer's emphasis), else "3 of 3
    /// hold" — or `None` without claims.
    pub fn claims_in_words(&self) -> Option<(String, bool)> {
        let claims = self.claims_held + self.claims_failed;
        if claims == 0 {
            None
        } else if self.claims_failed == 0 {
            Some((format!("{} of {claims} hold", self.claims_held), false))
        } else {
            Some((format!("{} of {claims} fail", self.claims_failed), true))
        }
    }
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

    /// The report as a terminal, a GitHub annotation or Markdown may show
    /// it: every text passed through `diag::printable` (JSON and SARIF keep
    /// the exact text). Borrowed, not copied, when nothing needs escaping.
    pub fn printable(&self) -> Cow<'_, Report> {
        if !self.texts().any(|t| matches!(printable(t), Cow::Owned(_))) {
            return Cow::Borrowed(self);
        }
        let mut copy = self.clone();
        for text in copy.texts_mut() {
            if let Cow::Owned(escaped) = printable(text) {
                *text = escaped;
            }
        }
        Cow::Owned(copy)
    }

    /// Every text of the report; `texts_mut` lists the same ones. The
    /// structs are taken apart whole, so a new field cannot be forgotten.
    fn texts(&self) -> impl Iterator<Item = &String> {
        let Report {
            scenario,
            file,
            as_of,
            findings,
            claims,
            waived,
            summary: _,
        } = self;
        let claims = claims.iter().flat_map(|c| {
            let ClaimResult {
                title,
                holds: _,
                source,
                claim,
                location,
            } = c;
            [title, claim, &location.file].into_iter().chain(source)
        });
        let waived = waived.iter().flat_map(|w| {
            let WaiverInfo {
                reason,
                until,
                location,
            } = &w.waiver;
            finding_texts(&w.finding)
                .chain([&location.file])
                .chain(reason)
                .chain(until)
        });
        [scenario, file, as_of]
            .into_iter()
            .chain(findings.iter().flat_map(finding_texts))
            .chain(claims)
            .chain(waived)
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let Report {
            scenario,
            file,
            as_of,
            findings,
            claims,
            waived,
            summary: _,
        } = self;
        let mut texts = vec![scenario, file, as_of];
        for finding in findings {
            finding_texts_mut(finding, &mut texts);
        }
        for ClaimResult {
            title,
            holds: _,
            source,
            claim,
            location,
        } in claims
        {
            texts.extend([title, claim, &mut location.file]);
            texts.extend(source);
        }
        for Waived { finding, waiver } in waived {
            finding_texts_mut(finding, &mut texts);
            let WaiverInfo {
                reason,
                until,
                location,
            } = waiver;
            texts.push(&mut location.file);
            texts.extend(reason);
            texts.extend(until);
        }
        texts
    }
}

fn finding_texts(finding: &Finding) -> impl Iterator<Item = &String> {
    let Finding {
        rule,
        title,
        severity: _,
        subject,
        message,
        cite,
        location,
        evidence,
        focus: _,
    } = finding;
    let evidence = evidence.iter().flat_map(|e| {
        let Evidence {
            var,
            id,
            span: _,
            fields,
            text,
        } = e;
        [var, id, text]
            .into_iter()
            .chain(fields.iter().flat_map(|f| {
                let EvidenceField {
                    path,
                    value,
                    span: _,
                    text,
                } = f;
                [path, value, text]
            }))
    });
    [rule, title, message, cite, &location.file]
        .into_iter()
        .chain(subject)
        .chain(evidence)
}

fn finding_texts_mut<'a>(finding: &'a mut Finding, texts: &mut Vec<&'a mut String>) {
    let Finding {
        rule,
        title,
        severity: _,
        subject,
        message,
        cite,
        location,
        evidence,
        focus: _,
    } = finding;
    texts.extend([rule, title, message, cite, &mut location.file]);
    texts.extend(subject);
    for Evidence {
        var,
        id,
        span: _,
        fields,
        text,
    } in evidence
    {
        texts.extend([var, id, text]);
        for EvidenceField {
            path,
            value,
            span: _,
            text,
        } in fields
        {
            texts.extend([path, value, text]);
        }
    }
}

/// A file that could not be checked, and why: an entry of every format, so
/// that a CI system sees it as a failure rather than an empty run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileErrors {
    pub file: String,
    pub errors: Vec<InputError>,
}

/// One input error of a file, as reports carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// Serialized as its text (`unknown-key`).
    pub code: crate::diag::Code,
    pub message: String,
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl FileErrors {
    /// Each diagnostic's place is located through `place`, which gives
    /// the run's shared text a span is in (`io::Sources::holding`), so
    /// that it is located only when shown, as a finding is.
    pub fn new(
        file: &str,
        diagnostics: &[crate::diag::Diagnostic],
        place: impl Fn(&crate::diag::Diagnostic) -> Option<std::sync::Arc<crate::source::Located>>,
    ) -> FileErrors {
        FileErrors {
            file: file.to_string(),
            errors: diagnostics
                .iter()
                .map(|d| {
                    let location = match (d.unplaced, place(d)) {
                        (None, Some(text)) => Location::in_text(&d.file, d.span, &text),
                        (unplaced, _) => Location::at(&d.file, unplaced.unwrap_or_default()),
                    };
                    InputError {
                        code: d.code,
                        message: d.message.clone(),
                        location,
                        help: d.help.clone(),
                    }
                })
                .collect(),
        }
    }
}

/// One file's result: its report, or what stopped it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FileResult {
    Checked(Report),
    Failed(FileErrors),
}
