//! `parity check`: every scenario found, checked on all cores, rendered in
//! one format.

use super::files::{find, read_found, roots};
use super::{Evaluation, Exit, Session, count, exit_without_freeing};
use crate::engine::Checked;
use crate::io::{Purpose, Source, Trust};
use crate::report::{Context, FileErrors, Report};
use crate::scenario::date::Date;
use std::path::PathBuf;

/// What `parity check` is asked.
#[derive(Debug, Clone)]
pub struct CheckArgs {
    /// Scenario files or directories; `-` is standard input.
    pub files: Vec<PathBuf>,
    /// The name standard input's scenario is reported under.
    pub stdin_filename: Option<String>,
    /// `Trust::Found` takes the files named as a walk would (--filter-named).
    pub trust: Trust,
    /// --as-of; else parity.toml's `as-of`, else each scenario's.
    pub as_of: Option<Date>,
    /// --base-dir: what SARIF's file URIs are relative to.
    pub base_dir: Option<PathBuf>,
    pub evaluation: Evaluation,
}

/// Checks every scenario found and renders the reports.
pub fn check(session: &mut Session, args: &CheckArgs) -> Exit {
    let common = &args.evaluation;
    // A base that is not a directory would give every SARIF URI a wrong
    // root, silently; it is refused before any work is done.
    if let Some(dir) = &args.base_dir
        && !crate::io::discover::is_directory(dir)
    {
        say!(
            session,
            "parity: error: --base-dir {} is not a directory",
            crate::diag::printable(&dir.display().to_string())
        );
        return Exit::InputError;
    }
    let rules = match session.rules(&common.rules) {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let fail_on = session.fail_on(common.fail_on);
    let options = crate::CheckOptions {
        as_of: args.as_of.or(session.config.as_ref().and_then(|c| c.as_of)),
        ..common.options()
    };
    let limits = common.limits;
    let (roots, many) = roots(session, &args.files, args.trust);
    let found = find(session, &roots, Purpose::Scenarios);
    let stdin_name = args.stdin_filename.as_deref();
    let (ids, mut failed) = read_found(
        session,
        &found,
        stdin_name,
        limits.max_bytes,
        |file, text| !file.walked || crate::io::discover::is_scenario_text(text),
    );
    if ids.is_empty() && failed.is_empty() {
        let shown: Vec<String> = roots.iter().map(|r| r.path.display().to_string()).collect();
        say!(
            session,
            "parity: warning: no scenario files found in {}",
            shown.join(", ")
        );
    }
    let sources: Vec<&Source> = ids
        .iter()
        .filter_map(|&id| session.sources.get(id))
        .collect();
    // Progress only where a person watches, and only when it takes a while.
    let show_progress = sources.len() >= 20;
    let progress = |done: usize, total: usize| {
        if show_progress {
            session.progress(&format!("\rparity: checked {done}/{total} files"));
            if done == total {
                session.progress("\r\x1b[2K");
            }
        }
    };
    let renderer = common.format.renderer();
    let outcomes = crate::engine::check_sources(
        &sources,
        &rules,
        &options,
        &limits,
        renderer.needs_network(),
        &progress,
    );
    let mut results: Vec<(String, Result<Checked, FileErrors>)> = Vec::new();
    for outcome in outcomes {
        match outcome.result {
            Ok(checked) => results.push((outcome.name, Ok(checked))),
            Err(diagnostics) => {
                session.print(&diagnostics);
                say!(
                    session,
                    "parity: {} in {}; it was not checked",
                    count(diagnostics.len()),
                    crate::diag::printable(&outcome.name)
                );
                results.push((
                    outcome.name.clone(),
                    Err(FileErrors::new(&outcome.name, &diagnostics, |d| {
                        session.sources.shared_holding(d)
                    })),
                ));
            }
        }
    }
    results.extend(failed.drain(..).map(|f| (f.file.clone(), Err(f))));
    // Every file in name order, whether it loaded or not.
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut scenarios = Vec::new();
    let mut reports = Vec::new();
    let mut networks = Vec::new();
    let mut failed = Vec::new();
    let mut order = Vec::new();
    for (_, result) in results {
        order.push(result.is_ok());
        match result {
            Ok(checked) => {
                scenarios.push(checked.scenario);
                reports.push(checked.report);
                networks.extend(checked.network);
            }
            Err(errors) => failed.push(errors),
        }
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let base = match &args.base_dir {
        Some(dir) => crate::io::discover::normalize(&cwd.join(dir)),
        None => crate::io::discover::repository_root(&cwd).unwrap_or_else(|| cwd.clone()),
    };
    let cx = Context {
        reports: &reports,
        networks: &networks,
        failed: &failed,
        order: &order,
        many,
        rules: &rules,
        fail_on,
        base: &base,
        cwd: &cwd,
        sources: &session.sources,
    };
    // Colour only on a terminal's standard output, never into a file.
    let coloured = crate::report::human::Human {
        palette: session.colour.stdout,
    };
    let renderer: &dyn crate::report::Render = match (common.format, &common.output) {
        (crate::report::Format::Human, None) if session.colour.stdout.is_coloured() => &coloured,
        _ => renderer,
    };
    let written = session.emit_with(common.output.as_deref(), |out| renderer.render(&cx, out));
    let code = match written {
        Ok(()) => exit_code(failed.len(), &reports, fail_on),
        Err(code) => code,
    };
    exit_without_freeing(session, (scenarios, reports, networks));
    code
}

/// `InputError` when a file could not be checked, else `Findings` when a
/// report fails `--fail-on`, else `Clean`.
fn exit_code(
    failed_inputs: usize,
    reports: &[Report],
    fail_on: crate::lang::ast::Severity,
) -> Exit {
    if failed_inputs > 0 {
        Exit::InputError
    } else if reports.iter().any(|r| r.fails(fail_on)) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}
