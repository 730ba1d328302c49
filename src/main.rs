//! The `parity` command line: argument parsing and exit codes only; the work
//! is done by the library.

use clap::{Parser, Subcommand, ValueEnum};
use parity::diag::Diagnostic;
use parity::lang::ast::Severity;
use parity::report::{self, Report};
use parity::scenario::date::{Date, DateError};
use parity::scenario::load::load_str;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet};
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit codes, as ruff and Spectral use them.
const CLEAN: u8 = 0;
const FINDINGS: u8 = 1;
const INPUT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "parity",
    version,
    about = "Check diplomatic scenarios against the rules of practice: rank parity, implied recognition, agrément and more."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check scenario files (or directories of them) against the rules.
    ///
    /// Exit status: 0 when no finding is at or above --fail-on and every claim
    /// holds; 1 otherwise; 2 when an input, a rule or the command line is wrong.
    Check {
        /// Scenario files (YAML), or directories to search for *.yaml / *.yml.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Evaluate at this date (YYYY-MM-DD) instead of the scenario's `as_of`.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<Date>,
        #[command(flatten)]
        common: Common,
    },
    /// Evaluate each proposal of a scenario: what it would introduce and resolve.
    ///
    /// Exit status: 1 when a proposal introduces a finding at or above
    /// --fail-on; 2 on an input error (including a change that cannot be made).
    Propose {
        /// The scenario file.
        file: PathBuf,
        /// Take the proposals from this YAML file (`proposals:` as in a scenario) instead.
        #[arg(long, value_name = "FILE")]
        proposals: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Try each rank for a new head of a mission and recommend the highest that breaks nothing.
    Suggest {
        /// The scenario file.
        file: PathBuf,
        /// The mission to appoint a head to.
        #[arg(long, value_name = "ID")]
        mission: String,
        /// The date of the appointment (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Date,
        /// The government the credentials go to (default: the receiver's government in control).
        #[arg(long, value_name = "ID")]
        credentials_to: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Show the periods in which each finding holds.
    Timeline {
        /// The scenario file.
        file: PathBuf,
        /// Start of the window (default: since ever).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        from: Option<Date>,
        /// End of the window, exclusive (default: still open).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        until: Option<Date>,
        #[command(flatten)]
        common: Common,
    },
    /// Draw the diplomatic network at a date: states, missions labelled with
    /// the head's rank, and missions with findings highlighted.
    Graph {
        /// The scenario file.
        file: PathBuf,
        /// Draw the world at this date instead of the scenario's `as_of`.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<Date>,
        /// Graphviz dot, or Mermaid (which GitHub renders in Markdown).
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// A directory of *.rules files (or one file) to add to the standard rules. Repeatable.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Write the drawing to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Run rule tests (*.test.yaml) and every scenario's `expect` claims.
    ///
    /// Exit status: 0 all pass (and coverage meets --threshold); 1 a test
    /// fails or coverage is below it; 2 an input or rule error.
    Test {
        /// Test files or directories (default: the current directory).
        paths: Vec<PathBuf>,
        /// Name the rules no test exercises, firing and not firing.
        #[arg(long)]
        coverage: bool,
        /// Fail when fewer than this share (0 to 1) of the rules are exercised both ways.
        #[arg(long, value_name = "SHARE", requires = "coverage")]
        threshold: Option<f64>,
        #[command(flatten)]
        common: Common,
    },
    /// Lay rule files out canonically (in place), or with --check list those that are not.
    ///
    /// Exit status: 0 nothing to change; 1 with --check when a file would
    /// change; 2 when a file does not parse.
    Fmt {
        /// Rule files, or directories of *.rules files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Change nothing; exit 1 and list the files that would change.
        #[arg(long)]
        check: bool,
    },
    /// Explain a rule: its title, citation, what it checks, its text and an example that fires it.
    Explain {
        /// The rule id, e.g. rank-parity.
        rule: String,
        /// Also load the rules of this directory or file. Repeatable.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these definitions.
    Man,
    /// List the rules: id, severity and title.
    Rules {
        /// Also load the rules of this directory or file. Repeatable.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
}

/// Options every evaluating command takes.
#[derive(clap::Args)]
struct Common {
    /// A directory of *.rules files (or one file) to add to the standard rules. Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The least severity that counts as breaking a rule (and makes the exit status 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Most candidate bindings one rule may consider before it is stopped.
    #[arg(long, value_name = "N", default_value_t = parity::eval::Budget::default().max_steps)]
    limit_eval_steps: u64,
    /// Most findings one rule may report before it is stopped.
    #[arg(long, value_name = "N", default_value_t = parity::eval::Budget::default().max_findings)]
    limit_findings: u64,
    /// Most bytes of messages and evidence one rule's findings may carry.
    #[arg(long, value_name = "BYTES", default_value_t = parity::eval::Budget::default().max_output_bytes)]
    limit_output_bytes: u64,
    /// Largest scenario file accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = YamlLimits::default().max_bytes)]
    limit_file_bytes: usize,
    /// Most YAML nodes a scenario may expand to (aliases counted each time).
    #[arg(long, value_name = "N", default_value_t = YamlLimits::default().max_nodes)]
    limit_yaml_nodes: usize,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

impl Common {
    fn options(&self) -> CheckOptions {
        CheckOptions {
            as_of: None,
            budget: parity::eval::Budget {
                max_steps: self.limit_eval_steps,
                max_findings: self.limit_findings,
                max_output_bytes: self.limit_output_bytes,
            },
        }
    }

    fn limits(&self) -> YamlLimits {
        YamlLimits {
            max_bytes: self.limit_file_bytes,
            max_nodes: self.limit_yaml_nodes,
            ..YamlLimits::default()
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning tools (check only).
    Sarif,
    /// JUnit XML, for CI test reports (check only).
    Junit,
    /// GitHub Actions workflow commands: annotations on the pull request (check only).
    Github,
    /// A Markdown report with a Mermaid diagram, for a pull-request comment (check only).
    Markdown,
}

impl Format {
    /// The formats only `check` has; other commands speak human and JSON.
    fn check_only(self) -> bool {
        !matches!(self, Format::Human | Format::Json)
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Severity {
        match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|error| match error {
        DateError::Malformed => format!("`{text}` is not a date: write YYYY-MM-DD"),
        DateError::Impossible => format!(
            "`{text}` is not a real date: {}",
            parity::scenario::load::why_impossible(text)
        ),
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check {
            files,
            as_of,
            common,
        } => {
            let options = CheckOptions {
                as_of,
                ..common.options()
            };
            check(
                &files,
                &common.rules,
                &options,
                &common.limits(),
                common.format,
                common.fail_on.into(),
                common.output.as_deref(),
            )
        }
        Command::Propose {
            file,
            proposals,
            common,
        } => propose(&file, proposals.as_deref(), &common),
        Command::Suggest {
            file,
            mission,
            on,
            credentials_to,
            common,
        } => suggest(&file, &mission, on, credentials_to.as_deref(), &common),
        Command::Timeline {
            file,
            from,
            until,
            common,
        } => timeline(&file, from, until, &common),
        Command::Test {
            paths,
            coverage,
            threshold,
            common,
        } => test(&paths, coverage, threshold, &common),
        Command::Graph {
            file,
            as_of,
            format,
            rules,
            output,
        } => graph(&file, as_of, format, &rules, output.as_deref()),
        Command::Fmt { paths, check } => format_rule_files(&paths, check),
        Command::Explain { rule, rules } => explain(&rule, &rules),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "parity", &mut std::io::stdout());
            CLEAN
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            match clap_mangen::Man::new(command).render(&mut out) {
                Ok(()) => {
                    let _ = std::io::stdout().lock().write_all(&out);
                    CLEAN
                }
                Err(error) => {
                    eprintln!("parity: cannot render the man page: {error}");
                    INPUT_ERROR
                }
            }
        }
        Command::Rules { rules } => list_rules(&rules),
    };
    ExitCode::from(code)
}

/// Prints input errors to stderr, each with its source line when readable.
fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let mut stderr = std::io::stderr().lock();
    let read = |name: &str| {
        std::fs::read_to_string(name).ok().or_else(|| {
            parity::lang::ruleset::STANDARD
                .iter()
                .find(|(file, _)| *file == name)
                .map(|(_, text)| text.to_string())
        })
    };
    parity::diag::render_all(diagnostics, read, |text| {
        let _ = writeln!(stderr, "{text}");
    });
}

fn load_rules(extra: &[PathBuf]) -> Result<RuleSet, Vec<Diagnostic>> {
    let mut set = RuleSet::standard()?;
    for path in extra {
        set = set.add_path(path)?;
    }
    Ok(set)
}

/// Files as given, and the *.yaml / *.yml files under directories: sorted
/// and without repeats, so the order on the command line changes nothing.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect_yaml(path, &mut found);
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    files
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_yaml(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn check(
    paths: &[PathBuf],
    rule_paths: &[PathBuf],
    options: &CheckOptions,
    limits: &YamlLimits,
    format: Format,
    fail_on: Severity,
    output: Option<&Path>,
) -> u8 {
    let rules = match load_rules(rule_paths) {
        Ok(rules) => rules,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "parity: {} in the rules; nothing was checked",
                count(diagnostics.len())
            );
            return INPUT_ERROR;
        }
    };
    let files = expand(paths);
    // Progress only where a person watches, and only when it takes a while.
    let show_progress = files.len() >= 20 && std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show_progress {
            eprint!("\rparity: checked {done}/{total} files");
            if done == total {
                eprint!("\r\x1b[2K");
            }
        }
    };
    let outcomes = parity::engine::check_files(&files, &rules, options, limits, &progress);
    let mut checked = Vec::new();
    let mut failed_inputs = 0;
    for outcome in outcomes {
        match outcome.result {
            Ok((scenario, report)) => checked.push((scenario, report, outcome.text)),
            Err(diagnostics) => {
                print_diagnostics(&diagnostics);
                eprintln!(
                    "parity: {} in {}; it was not checked",
                    count(diagnostics.len()),
                    outcome.name
                );
                failed_inputs += 1;
            }
        }
    }
    // Reports apart from their scenarios and texts, without copying them.
    let (checked, reports): (
        Vec<(parity::scenario::model::Scenario, String)>,
        Vec<Report>,
    ) = checked
        .into_iter()
        .map(|(scenario, report, text)| ((scenario, text), report))
        .unzip();
    let text = match format {
        Format::Json if reports.is_empty() => String::new(),
        // Streamed: a large world's JSON report is as large as its YAML.
        Format::Json => {
            let code = match emit_with(output, |out| report::json::write(&reports, out)) {
                Ok(()) => exit_code(failed_inputs, &reports, fail_on),
                Err(code) => code,
            };
            exit_without_freeing((checked, reports));
            return code;
        }
        Format::Human => checked
            .iter()
            .zip(&reports)
            .map(|((_, text), r)| report::human::render(r, Some(text)))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Sarif => {
            let base = std::env::current_dir().unwrap_or_default();
            report::sarif::render(&reports, &rules, &base)
        }
        Format::Junit => report::junit::render(&reports, &rules, fail_on),
        Format::Github => report::github::render(&reports),
        Format::Markdown => {
            let worlds: Vec<parity::scenario::world::World> = checked
                .iter()
                .zip(&reports)
                .map(|((scenario, _), report)| {
                    let date = Date::parse(&report.as_of).unwrap_or(Date::EARLIEST);
                    parity::scenario::world::World::at(scenario, date)
                })
                .collect();
            let items: Vec<(&Report, &parity::scenario::world::World)> =
                reports.iter().zip(&worlds).collect();
            report::markdown::render(&items)
        }
    };
    let code = match emit(output, &text) {
        Ok(()) => exit_code(failed_inputs, &reports, fail_on),
        Err(code) => code,
    };
    exit_without_freeing((checked, reports, text));
    code
}

/// Leaves a command's data to the operating system, which reclaims it when
/// the process exits right after: freeing a large world's millions of small
/// allocations one by one took about 50 ms at 39,800 missions, for nothing.
fn exit_without_freeing<T>(data: T) {
    std::mem::forget(data);
}

/// 2 when a file could not be checked, else 1 when a report fails `--fail-on`, else 0.
fn exit_code(failed_inputs: usize, reports: &[Report], fail_on: Severity) -> u8 {
    if failed_inputs > 0 {
        INPUT_ERROR
    } else if reports.iter().any(|r| r.fails(fail_on)) {
        FINDINGS
    } else {
        CLEAN
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 error".to_string()
    } else {
        format!("{n} errors")
    }
}

fn list_rules(extra: &[PathBuf]) -> u8 {
    match load_rules(extra) {
        Ok(set) => {
            for rule in &set.rules {
                println!("{:<34} {:<8} {}", rule.id, rule.severity.word(), rule.title);
            }
            CLEAN
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            INPUT_ERROR
        }
    }
}

/// Reads and loads one scenario, printing its errors; `None` means exit 2.
fn load_scenario(
    path: &Path,
    limits: &YamlLimits,
) -> Option<(parity::scenario::model::Scenario, String)> {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error[unreadable-file]: cannot read {name}: {error}");
            return None;
        }
    };
    match load_str(&text, &name, limits) {
        Ok(scenario) => Some((scenario, text)),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "parity: {} in {name}; nothing was evaluated",
                count(diagnostics.len())
            );
            None
        }
    }
}

/// What `propose`, `suggest` and `timeline` start from: the rules and one
/// scenario; any error is printed and becomes the exit code.
fn prepare(
    path: &Path,
    common: &Common,
    command: &str,
) -> Result<(RuleSet, parity::scenario::model::Scenario), u8> {
    human_or_json(common, command)?;
    let rules = load_rules(&common.rules).map_err(|d| {
        print_diagnostics(&d);
        INPUT_ERROR
    })?;
    let (scenario, _) = load_scenario(path, &common.limits()).ok_or(INPUT_ERROR)?;
    Ok((rules, scenario))
}

/// Commands other than `check` write human or JSON reports only.
fn human_or_json(common: &Common, command: &str) -> Result<(), u8> {
    if common.format.check_only() {
        eprintln!(
            "error[usage]: `parity {command}` writes --format human or json; the CI formats are for `parity check`"
        );
        return Err(INPUT_ERROR);
    }
    Ok(())
}

/// Writes a report to `--output` or standard output; an unwritable file is exit 2.
fn emit(output: Option<&Path>, text: &str) -> Result<(), u8> {
    emit_with(output, |out| out.write_all(text.as_bytes()))
}

/// Writes a report through `write` to the `--output` file or standard output.
fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), u8> {
    let written = match output {
        Some(path) => std::fs::File::create(path)
            .and_then(|file| {
                let mut out = std::io::BufWriter::new(file);
                write(&mut out)?;
                out.flush()
            })
            .map_err(|e| (path.display().to_string(), e)),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out)
                .and_then(|()| out.flush())
                .map_err(|e| ("standard output".to_string(), e))
        }
    };
    written.map_err(|(place, error)| {
        eprintln!("error[unwritable-output]: cannot write the report to {place}: {error}");
        INPUT_ERROR
    })
}

/// Runs a command's evaluation; input errors are printed and give exit 2.
fn run<T>(
    output: Option<&Path>,
    result: Result<T, Vec<Diagnostic>>,
    render: impl FnOnce(&T) -> String,
    fails: impl FnOnce(&T) -> bool,
) -> u8 {
    match result {
        Ok(report) => {
            if let Err(code) = emit(output, &render(&report)) {
                return code;
            }
            if fails(&report) { FINDINGS } else { CLEAN }
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "parity: {}; nothing was evaluated",
                count(diagnostics.len())
            );
            INPUT_ERROR
        }
    }
}

fn propose(path: &Path, proposals_file: Option<&Path>, common: &Common) -> u8 {
    let (rules, scenario) = match prepare(path, common, "propose") {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let limits = common.limits();
    let (proposals, file) = match proposals_file {
        None => (scenario.proposals.clone(), scenario.file.clone()),
        Some(extra) => {
            let name = extra.display().to_string();
            let loaded = std::fs::read_to_string(extra)
                .map_err(|e| {
                    vec![Diagnostic::new(
                        "unreadable-file",
                        &name,
                        parity::diag::Loc::new(1, 1),
                        format!("cannot read {name}: {e}"),
                    )]
                })
                .and_then(|text| {
                    parity::scenario::load::load_proposals_str(&text, &name, &limits, &scenario)
                });
            match loaded {
                Ok(proposals) => (proposals, name),
                Err(diagnostics) => {
                    print_diagnostics(&diagnostics);
                    return INPUT_ERROR;
                }
            }
        }
    };
    let fail_on: Severity = common.fail_on.into();
    let result = parity::engine::propose::propose(
        &scenario,
        &proposals,
        &file,
        &rules,
        &common.options(),
        fail_on,
    );
    let format = common.format;
    run(
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            _ => report::human::render_proposals(r),
        },
        |r| r.fails(),
    )
}

fn suggest(
    path: &Path,
    mission: &str,
    on: Date,
    credentials_to: Option<&str>,
    common: &Common,
) -> u8 {
    let (rules, scenario) = match prepare(path, common, "suggest") {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let fail_on: Severity = common.fail_on.into();
    let result = parity::engine::propose::suggest(
        &scenario,
        &rules,
        mission,
        on,
        credentials_to,
        &common.options(),
        fail_on,
    );
    let format = common.format;
    run(
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            _ => report::human::render_suggest(r),
        },
        |r| r.recommended.is_none(),
    )
}

fn timeline(path: &Path, from: Option<Date>, until: Option<Date>, common: &Common) -> u8 {
    let (rules, scenario) = match prepare(path, common, "timeline") {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    if let (Some(from), Some(until)) = (from, until)
        && until <= from
    {
        eprintln!("error[usage]: --until {until} is not after --from {from}");
        return INPUT_ERROR;
    }
    let result =
        parity::engine::timeline::timeline(&scenario, &rules, from, until, &common.options());
    let format = common.format;
    run(
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            _ => report::human::render_timeline(r),
        },
        |_| false,
    )
}

fn test(paths: &[PathBuf], coverage: bool, threshold: Option<f64>, common: &Common) -> u8 {
    if let Err(code) = human_or_json(common, "test") {
        return code;
    }
    use parity::engine::ruletest::{discover, run_tests};
    let Ok(rules) = load_rules(&common.rules).map_err(|d| print_diagnostics(&d)) else {
        return INPUT_ERROR;
    };
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let files = discover(&paths);
    let result = run_tests(&files, &rules, &common.options(), &common.limits());
    let format = common.format;
    run(
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            _ => report::human::render_tests(r, coverage),
        },
        |r| r.failed > 0 || threshold.is_some_and(|t| r.covered_share() < t),
    )
}

fn graph(
    path: &Path,
    as_of: Option<Date>,
    format: GraphFormat,
    rule_paths: &[PathBuf],
    output: Option<&Path>,
) -> u8 {
    use parity::report::graph;
    let Ok(rules) = load_rules(rule_paths).map_err(|d| print_diagnostics(&d)) else {
        return INPUT_ERROR;
    };
    let Some((scenario, _)) = load_scenario(path, &YamlLimits::default()) else {
        return INPUT_ERROR;
    };
    let options = CheckOptions {
        as_of,
        ..CheckOptions::default()
    };
    let report = match parity::check(&scenario, &rules, &options) {
        Ok(report) => report,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            return INPUT_ERROR;
        }
    };
    let date = Date::parse(&report.as_of).unwrap_or(Date::EARLIEST);
    let world = parity::scenario::world::World::at(&scenario, date);
    let format = match format {
        GraphFormat::Dot => graph::GraphFormat::Dot,
        GraphFormat::Mermaid => graph::GraphFormat::Mermaid,
    };
    match emit(output, &graph::render(&world, Some(&report), format)) {
        Ok(()) => CLEAN,
        Err(code) => code,
    }
}

/// `*.rules` files as given and under directories, sorted.
fn rule_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(path) {
                files.extend(
                    entries
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|e| e == "rules")),
                );
            }
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    files
}

fn format_rule_files(paths: &[PathBuf], check: bool) -> u8 {
    let mut changed = Vec::new();
    let mut broken = false;
    for path in rule_files(paths) {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error[unreadable-file]: cannot read {name}: {error}");
                broken = true;
                continue;
            }
        };
        match parity::lang::fmt::format_rules(&text, &name) {
            Ok(formatted) if formatted == text => {}
            Ok(formatted) => {
                if !check && let Err(error) = std::fs::write(&path, formatted) {
                    eprintln!("error[unwritable-output]: cannot write {name}: {error}");
                    broken = true;
                    continue;
                }
                changed.push(name);
            }
            Err(diagnostics) => {
                print_diagnostics(&diagnostics);
                broken = true;
            }
        }
    }
    for name in &changed {
        if check {
            println!("would reformat {name}");
        } else {
            println!("reformatted {name}");
        }
    }
    if broken {
        INPUT_ERROR
    } else if check && !changed.is_empty() {
        FINDINGS
    } else {
        CLEAN
    }
}

fn explain(id: &str, extra: &[PathBuf]) -> u8 {
    let Ok(set) = load_rules(extra).map_err(|d| print_diagnostics(&d)) else {
        return INPUT_ERROR;
    };
    match set.get(id) {
        Some(rule) => {
            print!("{}", parity::lang::explain::explain(rule));
            CLEAN
        }
        None => {
            let ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
            let hint = parity::diag::nearest(id, ids.iter().copied())
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_else(|| format!("; the rules are: {}", ids.join(", ")));
            eprintln!("error[unknown-rule]: there is no rule `{id}`{hint}");
            INPUT_ERROR
        }
    }
}
