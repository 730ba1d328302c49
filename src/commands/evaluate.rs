//! The commands that evaluate one scenario (`propose`, `suggest`,
//! `timeline`, `graph`) and `test`, which runs rule tests and claims.

use super::files::{find, read_found, roots};
use super::{Evaluation, Exit, Session, count, done, exit_without_freeing};
use crate::CheckOptions;
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::engine::network::Network;
use crate::io::{Source, Trust};
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use crate::report::graph::GraphFormat;
use crate::report::{self, Context, Format};
use crate::scenario::date::Date;
use crate::scenario::yaml::YamlLimits;
use std::path::{Path, PathBuf};

/// What `propose`, `suggest` and `timeline` start from: the rules and one
/// scenario; any error is printed and becomes the exit code.
fn rules_and_scenario(
    session: &mut Session,
    path: &Path,
    common: &Evaluation,
    command: &str,
) -> Result<(RuleSet, crate::scenario::model::Scenario), Exit> {
    human_or_json(session, common, command)?;
    let rules = session.rules(&common.rules)?;
    let scenario = session.load_scenario(path, &common.limits)?;
    Ok((rules, scenario))
}

/// Commands other than `check` write the formats `Format::written_by` names.
fn human_or_json(session: &Session, common: &Evaluation, command: &str) -> Result<(), Exit> {
    refuse_format(session, command, common.format)
}

/// The usage error for a format `command` does not write, said before
/// anything is read.
pub(crate) fn refuse_format(session: &Session, command: &str, format: Format) -> Result<(), Exit> {
    let written = Format::written_by(command);
    if written.contains(&format) {
        return Ok(());
    }
    let names: Vec<&str> = written.iter().map(|f| f.name()).collect();
    let list = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    };
    say!(
        session,
        "error[{}]: `parity {command}` writes --format {list}, not {}; the other formats are for `parity check`",
        Code::Usage,
        format.name()
    );
    Err(Exit::InputError)
}

/// `timeline` and `test` have no verdict on findings for `--fail-on` to set
/// (a timeline is a history; a test passes or fails by its expectation), so
/// the flag is refused rather than ignored. parity.toml's `fail-on` is the
/// project's default for the commands that have one, and is not an error here.
fn no_fail_on(
    session: &Session,
    common: &Evaluation,
    command: &str,
    status: &str,
) -> Result<(), Exit> {
    if let Some(severity) = common.fail_on {
        say!(
            session,
            "error[{}]: `parity {command}` does not take --fail-on {}: {status}",
            Code::Usage,
            severity.word()
        );
        return Err(Exit::InputError);
    }
    Ok(())
}

/// Runs a command's evaluation; input errors are printed and give exit 2.
fn finish<T>(
    session: &Session,
    output: Option<&Path>,
    result: Result<T, Vec<Diagnostic>>,
    render: impl FnOnce(&T) -> String,
    fails: impl FnOnce(&T) -> bool,
) -> Exit {
    match result {
        Ok(report) => {
            let text = render(&report);
            if let Err(code) = session.emit(output, &text) {
                return code;
            }
            let exit = if fails(&report) {
                Exit::Findings
            } else {
                Exit::Clean
            };
            exit_without_freeing(session, (report, text));
            exit
        }
        Err(diagnostics) => {
            session.print(&diagnostics);
            say!(
                session,
                "parity: {}; nothing was evaluated",
                count(diagnostics.len())
            );
            Exit::InputError
        }
    }
}

/// `parity propose`: what each proposal (of the scenario, or of
/// `proposals_file`) would introduce and resolve.
pub fn propose(
    session: &mut Session,
    path: &Path,
    proposals_file: Option<&Path>,
    common: &Evaluation,
) -> Exit {
    let (rules, scenario) = match rules_and_scenario(session, path, common, "propose") {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let limits = common.limits;
    let (proposals, file) = match proposals_file {
        None => (scenario.proposals.clone(), scenario.file.clone()),
        Some(extra) => {
            let source = match session.read_named(extra, None, limits.max_bytes) {
                Ok(source) => source,
                Err(code) => return code,
            };
            let name = source.name.clone();
            let id = session.sources.add(source);
            let text = session.sources.get(id).map_or("", |s| s.text());
            match crate::scenario::load::load_proposals_str(text, id, &name, &limits, &scenario) {
                Ok(proposals) => (proposals, name),
                Err(diagnostics) => {
                    session.print(&diagnostics);
                    say!(
                        session,
                        "parity: {} in {}; nothing was evaluated",
                        count(diagnostics.len()),
                        crate::diag::printable(&name)
                    );
                    return Exit::InputError;
                }
            }
        }
    };
    let fail_on = session.fail_on(common.fail_on);
    let result = crate::engine::propose::propose(
        &scenario,
        &proposals,
        &file,
        &rules,
        &common.options(),
        fail_on,
    );
    let format = common.format;
    let exit = finish(
        session,
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            _ => report::human::render_proposals(r),
        },
        |r| r.fails(),
    );
    exit_without_freeing(session, (scenario, rules));
    exit
}

/// `parity suggest`: the highest rank for a new head of `mission` on `on`
/// that breaks nothing.
pub fn suggest(
    session: &mut Session,
    path: &Path,
    mission: &str,
    on: Date,
    credentials_to: Option<&str>,
    common: &Evaluation,
) -> Exit {
    let (rules, scenario) = match rules_and_scenario(session, path, common, "suggest") {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let fail_on = session.fail_on(common.fail_on);
    let result = crate::engine::propose::suggest(
        &scenario,
        &rules,
        mission,
        on,
        credentials_to,
        &common.options(),
        fail_on,
    );
    let format = common.format;
    let exit = finish(
        session,
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            _ => report::human::render_suggest(r),
        },
        |r| r.recommended.is_none(),
    );
    exit_without_freeing(session, (scenario, rules));
    exit
}

/// `parity timeline`: the periods in which each finding holds.
pub fn timeline(
    session: &mut Session,
    path: &Path,
    from: Option<Date>,
    until: Option<Date>,
    common: &Evaluation,
) -> Exit {
    if let Err(code) = no_fail_on(
        session,
        common,
        "timeline",
        "its exit status is 0 whatever the findings (1 is for `check`, `propose` and `suggest`)",
    ) {
        return code;
    }
    let (rules, scenario) = match rules_and_scenario(session, path, common, "timeline") {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    if let (Some(from), Some(until)) = (from, until)
        && until <= from
    {
        say!(
            session,
            "error[{}]: --until {until} is not after --from {from}",
            Code::Usage
        );
        return Exit::InputError;
    }
    let result =
        crate::engine::timeline::timeline(&scenario, &rules, from, until, &common.options());
    let format = common.format;
    let exit = finish(
        session,
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            Format::Csv => report::csv::render_timeline(r),
            Format::Html => report::html::render_timeline(r, &rules),
            _ => report::human::render_timeline(r),
        },
        |_| false,
    );
    exit_without_freeing(session, (scenario, rules));
    exit
}

/// `parity test`: the rule tests and every scenario's claims found under
/// `paths`, with coverage and its threshold.
pub fn test(
    session: &mut Session,
    paths: &[PathBuf],
    coverage: bool,
    threshold: Option<f64>,
    common: &Evaluation,
) -> Exit {
    if let Err(code) = human_or_json(session, common, "test") {
        return code;
    }
    if let Err(code) = no_fail_on(
        session,
        common,
        "test",
        "a test fails when its expectation does not hold, whatever the severity",
    ) {
        return code;
    }
    let rules = match session.rules(&common.rules) {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let limits = common.limits;
    let (roots, _) = roots(session, paths, Trust::Named);
    let found = find(session, &roots, crate::io::Purpose::Tests);
    let (ids, failed) = read_found(session, &found, None, limits.max_bytes, |file, text| {
        !file.walked
            || crate::io::discover::is_rule_test(&file.path)
            || crate::io::discover::is_rule_test(Path::new(&file.name))
            || crate::io::discover::is_scenario_text(text)
    });
    if !failed.is_empty() {
        say!(
            session,
            "parity: {} reading the tests; nothing was evaluated",
            count(failed.len())
        );
        return Exit::InputError;
    }
    let sources: Vec<&Source> = ids
        .iter()
        .filter_map(|id| session.sources.get(*id))
        .collect();
    if sources.is_empty() {
        let shown: Vec<String> = roots.iter().map(|r| r.path.display().to_string()).collect();
        say!(
            session,
            "parity: warning: no rule tests or scenarios found in {}",
            shown.join(", ")
        );
    }
    let result = crate::engine::ruletest::run_tests(&sources, &rules, &common.options(), &limits);
    // Below the threshold the verdict is 1: say why, or the run looks clean.
    if let (Ok(report), Some(threshold)) = (&result, threshold)
        && report.covered_share() < threshold
    {
        say!(
            session,
            "parity: coverage {:.3} is below the threshold {threshold}: {} of {} rules are tested both firing and not (see --coverage)",
            report.covered_share(),
            report
                .coverage
                .iter()
                .filter(|c| c.firing && c.quiet)
                .count(),
            report.coverage.len()
        );
    }
    let format = common.format;
    finish(
        session,
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            _ => report::human::render_tests(r, coverage),
        },
        |r| r.failed > 0 || threshold.is_some_and(|t| r.covered_share() < t),
    )
}

/// `parity graph`: the network at the date checked, in dot or Mermaid.
pub fn graph(
    session: &mut Session,
    path: &Path,
    as_of: Option<Date>,
    format: GraphFormat,
    rule_paths: &[PathBuf],
    output: Option<&Path>,
) -> Exit {
    let rules = match session.rules(rule_paths) {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let scenario = match session.load_scenario(path, &YamlLimits::default()) {
        Ok(scenario) => scenario,
        Err(code) => return code,
    };
    let options = CheckOptions {
        as_of: as_of.or(session.config.as_ref().and_then(|c| c.as_of)),
        ..CheckOptions::default()
    };
    // The network is drawn from the world the scenario was checked in.
    let (report, network) = match crate::engine::check_one(&scenario, &rules, &options, true) {
        Ok(checked) => checked,
        Err(diagnostics) => {
            session.print(&diagnostics);
            return Exit::InputError;
        }
    };
    let reports = [report];
    let networks: Vec<Network> = network.into_iter().collect();
    let base = PathBuf::new();
    let cx = Context {
        reports: &reports,
        networks: &networks,
        failed: &[],
        order: &[true],
        many: false,
        rules: &rules,
        fail_on: Severity::Error,
        base: &base,
        cwd: &base,
        sources: &session.sources,
    };
    let renderer = format.renderer();
    done(session.emit_with(output, |out| renderer.render(&cx, out)))
}
