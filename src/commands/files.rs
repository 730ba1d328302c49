//! Which files a `check` or `test` reads, and reading them: through
//! `io::discover` and `io::read`, so that the same limits and link rules apply.

use super::Session;
use crate::io::{Found, Purpose, Root, SourceId, Trust};
use crate::report::FileErrors;
use std::path::{Path, PathBuf};

/// The paths a `check` or `test` reads: those named, else parity.toml's
/// `paths`, else the working directory. Also whether the report is of many
/// files (an array in JSON), which depends on what was asked, not on what loaded.
pub(super) fn roots(session: &Session, named: &[PathBuf], trust: Trust) -> (Vec<Root>, bool) {
    if !named.is_empty() {
        let roots: Vec<Root> = named
            .iter()
            .map(|p| Root {
                path: p.clone(),
                trust,
            })
            .collect();
        let many = named.len() > 1 || named.iter().any(|p| crate::io::discover::is_directory(p));
        return (roots, many);
    }
    let roots = match &session.config {
        Some(config) if !config.paths.is_empty() => config
            .paths
            .iter()
            .map(|p| Root {
                path: p.clone(),
                trust: Trust::Found,
            })
            .collect(),
        Some(config) => vec![Root {
            path: if config.dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                config.dir.clone()
            },
            trust: Trust::Named,
        }],
        None => vec![Root {
            path: PathBuf::from("."),
            trust: Trust::Named,
        }],
    };
    (roots, true)
}

/// Files to read for `purpose`, with what the walk passed over told on stderr.
pub(super) fn find(session: &Session, roots: &[Root], purpose: Purpose) -> Vec<Found> {
    let exclude = session.config.as_ref().and_then(|c| c.exclude.as_ref());
    let found = crate::io::discover(roots, purpose, exclude);
    for line in &found.skipped {
        say!(session, "parity: warning: {}", crate::diag::printable(line));
    }
    found.files
}

/// How much of a walked file that cannot be read whole is read to tell
/// whether it is a scenario.
const SNIFF_BYTES: usize = 1 << 20;

/// Reads what was found: named files always, walked ones only when they
/// are what `wanted` says (a scenario). Read errors are kept per file.
pub(super) fn read_found(
    session: &mut Session,
    found: &[Found],
    stdin_name: Option<&str>,
    limit: usize,
    wanted: impl Fn(&Found, &str) -> bool,
) -> (Vec<SourceId>, Vec<FileErrors>) {
    let mut read = Vec::new();
    let mut failed = Vec::new();
    for file in found {
        let result = if file.path == Path::new("-") && !file.walked {
            crate::io::read::read_stdin(stdin_name.unwrap_or("<stdin>"), limit)
        } else {
            crate::io::read::read_file(&file.path, &file.name, file.trust, limit)
        };
        match result {
            Ok(source) if wanted(file, source.text()) => read.push(session.sources.add(source)),
            Ok(_) => {}
            // A walked file that cannot be read whole (too large, not UTF-8)
            // is an error only if it is parity's at all.
            Err(
                crate::io::ReadError::TooLarge { .. }
                | crate::io::ReadError::TooLong { .. }
                | crate::io::ReadError::NotUtf8(_),
            ) if file.walked
                && crate::io::read::read_prefix(&file.path, file.trust, SNIFF_BYTES)
                    .is_some_and(|prefix| !wanted(file, &prefix)) => {}
            Err(error) => {
                let diagnostic = error.diagnostic(&file.name);
                session.print(std::slice::from_ref(&diagnostic));
                failed.push(FileErrors::new(&file.name, &[diagnostic], |d| {
                    session.sources.shared_holding(d)
                }));
            }
        }
    }
    (read, failed)
}
