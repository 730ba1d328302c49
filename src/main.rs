//! The `parity` command line: argument parsing and exit codes only; the work
//! is done by the library.

use clap::{Parser, Subcommand, ValueEnum};
use parity::diag::Diagnostic;
use parity::io::{Source, Sources, Trust};
use parity::lang::ast::Severity;
use parity::report::{self, FileErrors, FileResult, Report};
use parity::scenario::date::{Date, DateError};
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
    /// Read this project file instead of the nearest parity.toml.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Read no project file.
    #[arg(long, global = true)]
    no_config: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Check scenario files (or directories of them) against the rules.
    ///
    /// Directories are walked as ripgrep walks them: hidden directories,
    /// target/, node_modules/ and what .gitignore ignores are skipped, links
    /// are followed only to regular files inside the directory, and a YAML
    /// file found there is a scenario only if its top level has `scenario:`.
    /// With no path: parity.toml's `paths`, else the working directory.
    ///
    /// Exit status: 0 when no finding is at or above --fail-on and every claim
    /// holds; 1 otherwise; 2 when an input, a rule or the command line is wrong.
    Check {
        /// Scenario files (YAML) or directories; `-` reads a scenario from standard input.
        files: Vec<PathBuf>,
        /// The name standard input's scenario is reported under.
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<String>,
        /// Take the files named as a walk would: skip those that are not
        /// scenarios, are excluded by parity.toml, or are links out of the
        /// working directory (for pre-commit, which names every changed file).
        #[arg(long)]
        filter_named: bool,
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
        /// Test files or directories (default: parity.toml's `paths`, else the working directory).
        paths: Vec<PathBuf>,
        /// Name the rules no test exercises, firing and not firing.
        #[arg(long)]
        coverage: bool,
        /// Fail when fewer than this share (0 to 1) of the rules are exercised both ways.
        #[arg(long, value_name = "SHARE", requires = "coverage", value_parser = parse_share)]
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
    /// The least severity that counts as breaking a rule (and makes the exit
    /// status 1) [default: parity.toml's `fail-on`, else error].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
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

/// A share from 0 to 1: NaN would pass every coverage and 90 fail every one.
fn parse_share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(share) if (0.0..=1.0).contains(&share) => Ok(share),
        _ => Err(format!(
            "`{text}` is not a share: write a number from 0 to 1 (0.9 for 90%)"
        )),
    }
}

/// Writes a line to standard error. A closed or full stderr has nowhere to
/// report to, so it is ignored rather than allowed to panic (as `eprintln!` would).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// What every command shares: the texts read (to quote in errors, and never
/// to write onto) and the project file.
struct Run {
    sources: Sources,
    config: Option<parity::config::Config>,
}

impl Run {
    /// Reads the project file named by --config, else the nearest
    /// parity.toml, unless --no-config.
    fn start(cli_config: Option<&Path>, no_config: bool) -> Result<Run, u8> {
        let mut run = Run {
            sources: Sources::default(),
            config: None,
        };
        for (name, text) in parity::lang::ruleset::STANDARD {
            run.sources.add(Source {
                name: (*name).to_string(),
                text: (*text).to_string(),
                path: None,
                file_id: None,
            });
        }
        let file = match (cli_config, no_config) {
            (_, true) => None,
            (Some(file), _) => Some(file.to_path_buf()),
            (None, false) => std::env::current_dir()
                .ok()
                .and_then(|cwd| parity::config::find(&cwd)),
        };
        if let Some(file) = file {
            match parity::config::load(&file, &mut run.sources) {
                Ok(config) => run.config = Some(config),
                Err(diagnostics) => {
                    run.print(&diagnostics);
                    say!(
                        "parity: {} in {}; nothing was checked",
                        count(diagnostics.len()),
                        file.display()
                    );
                    return Err(INPUT_ERROR);
                }
            }
        }
        Ok(run)
    }

    /// Prints input errors to stderr, each quoting its source line from the
    /// text that was read (never by reading the file again).
    fn print(&self, diagnostics: &[Diagnostic]) {
        let mut stderr = std::io::stderr().lock();
        parity::diag::render_all(
            diagnostics,
            |name| self.sources.text_of(name).map(str::to_string),
            |text| {
                let _ = writeln!(stderr, "{text}");
            },
        );
    }

    /// The least failing severity: the flag, else parity.toml, else error.
    fn fail_on(&self, flag: Option<FailOn>) -> Severity {
        flag.map(Severity::from)
            .or(self.config.as_ref().and_then(|c| c.fail_on))
            .unwrap_or(Severity::Error)
    }

    /// The standard rules and those of --rules, else of parity.toml's `rules`.
    fn rules(&mut self, flags: &[PathBuf]) -> Result<RuleSet, u8> {
        let extra: Vec<(PathBuf, Trust)> = if flags.is_empty() {
            self.config
                .iter()
                .flat_map(|c| c.rules.iter().map(|p| (p.clone(), Trust::Found)))
                .collect()
        } else {
            flags.iter().map(|p| (p.clone(), Trust::Named)).collect()
        };
        let loaded = RuleSet::standard().and_then(|mut set| {
            for (path, trust) in &extra {
                set = set.add_path(path, *trust, &mut self.sources)?;
            }
            Ok(set)
        });
        loaded.map_err(|diagnostics| {
            self.print(&diagnostics);
            say!(
                "parity: {} in the rules; nothing was checked",
                count(diagnostics.len())
            );
            INPUT_ERROR
        })
    }

    /// Reads one named scenario file (or `-`, standard input).
    fn read_named(&mut self, path: &Path, name: Option<&str>, limit: usize) -> Result<Source, u8> {
        let read = if path == Path::new("-") {
            parity::io::read::read_stdin(name.unwrap_or("<stdin>"), limit)
        } else {
            let shown = path.display().to_string();
            parity::io::read::read_file(path, name.unwrap_or(&shown), Trust::Named, limit)
        };
        let shown = name.map_or_else(|| path.display().to_string(), str::to_string);
        read.map_err(|error| {
            self.print(&[error.diagnostic(&shown)]);
            INPUT_ERROR
        })
    }

    /// Reads and loads one scenario, printing its errors.
    fn load_scenario(
        &mut self,
        path: &Path,
        limits: &YamlLimits,
    ) -> Result<parity::scenario::model::Scenario, u8> {
        let source = self.read_named(path, None, limits.max_bytes)?;
        let id = self.sources.add(source);
        let Some(source) = self.sources.get(id) else {
            return Err(INPUT_ERROR);
        };
        match parity::scenario::load::load_str(&source.text, &source.name, limits) {
            Ok(scenario) => Ok(scenario),
            Err(diagnostics) => {
                let name = source.name.clone();
                self.print(&diagnostics);
                say!(
                    "parity: {} in {name}; nothing was evaluated",
                    count(diagnostics.len())
                );
                Err(INPUT_ERROR)
            }
        }
    }

    /// Writes output to `--output` (never onto an input) or standard output.
    fn emit_with(
        &self,
        output: Option<&Path>,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), u8> {
        let written = match output {
            Some(path) => parity::io::write_file(path, Some(&self.sources), write),
            None => parity::io::write_stdout(write),
        };
        written.map_err(|error| {
            say!("error[{}]: {error}", error.code());
            INPUT_ERROR
        })
    }

    fn emit(&self, output: Option<&Path>, text: &str) -> Result<(), u8> {
        self.emit_with(output, |out| out.write_all(text.as_bytes()))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut run = match Run::start(cli.config.as_deref(), cli.no_config) {
        Ok(run) => run,
        Err(code) => return ExitCode::from(code),
    };
    let code = match cli.command {
        Command::Check {
            files,
            stdin_filename,
            filter_named,
            as_of,
            common,
        } => {
            let trust = if filter_named {
                Trust::Found
            } else {
                Trust::Named
            };
            check(
                &mut run,
                &files,
                trust,
                stdin_filename.as_deref(),
                as_of,
                &common,
            )
        }
        Command::Propose {
            file,
            proposals,
            common,
        } => propose(&mut run, &file, proposals.as_deref(), &common),
        Command::Suggest {
            file,
            mission,
            on,
            credentials_to,
            common,
        } => suggest(
            &mut run,
            &file,
            &mission,
            on,
            credentials_to.as_deref(),
            &common,
        ),
        Command::Timeline {
            file,
            from,
            until,
            common,
        } => timeline(&mut run, &file, from, until, &common),
        Command::Test {
            paths,
            coverage,
            threshold,
            common,
        } => test(&mut run, &paths, coverage, threshold, &common),
        Command::Graph {
            file,
            as_of,
            format,
            rules,
            output,
        } => graph(&mut run, &file, as_of, format, &rules, output.as_deref()),
        Command::Fmt { paths, check } => format_rule_files(&run, &paths, check),
        Command::Explain { rule, rules } => explain(&mut run, &rule, &rules),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "parity", &mut out);
            done(run.emit(None, &String::from_utf8_lossy(&out)))
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            match clap_mangen::Man::new(command).render(&mut out) {
                Ok(()) => done(run.emit_with(None, |w| w.write_all(&out))),
                Err(error) => {
                    say!("parity: cannot render the man page: {error}");
                    INPUT_ERROR
                }
            }
        }
        Command::Rules { rules } => list_rules(&mut run, &rules),
    };
    ExitCode::from(code)
}

/// CLEAN when the output was written, else its exit code.
fn done(written: Result<(), u8>) -> u8 {
    written.err().unwrap_or(CLEAN)
}

/// The paths a `check` or `test` reads: those named, else parity.toml's
/// `paths`, else the working directory. Also whether the report is of many
/// files (an array in JSON), which depends on what was asked, not on what loaded.
fn roots(run: &Run, named: &[PathBuf], trust: Trust) -> (Vec<parity::io::Root>, bool) {
    if !named.is_empty() {
        let roots: Vec<parity::io::Root> = named
            .iter()
            .map(|p| parity::io::Root {
                path: p.clone(),
                trust,
            })
            .collect();
        let many = named.len() > 1 || named.iter().any(|p| p.is_dir());
        return (roots, many);
    }
    let roots = match &run.config {
        Some(config) if !config.paths.is_empty() => config
            .paths
            .iter()
            .map(|p| parity::io::Root {
                path: p.clone(),
                trust: Trust::Found,
            })
            .collect(),
        Some(config) => vec![parity::io::Root {
            path: if config.dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                config.dir.clone()
            },
            trust: Trust::Named,
        }],
        None => vec![parity::io::Root {
            path: PathBuf::from("."),
            trust: Trust::Named,
        }],
    };
    (roots, true)
}

/// Files to read for `purpose`, with what the walk passed over told on stderr.
fn find(
    run: &Run,
    roots: &[parity::io::Root],
    purpose: parity::io::Purpose,
) -> Vec<parity::io::Found> {
    let exclude = run.config.as_ref().and_then(|c| c.exclude.as_ref());
    let found = parity::io::discover(roots, purpose, exclude);
    for line in &found.skipped {
        say!("parity: warning: {}", parity::diag::printable(line));
    }
    found.files
}

/// How much of a walked file that cannot be read whole is read to tell
/// whether it is a scenario.
const SNIFF_BYTES: usize = 1 << 20;

/// Reads what was found: named files always, walked ones only when they
/// are what `wanted` says (a scenario). Read errors are kept per file.
fn read_found(
    run: &mut Run,
    found: &[parity::io::Found],
    stdin_name: Option<&str>,
    limit: usize,
    wanted: impl Fn(&parity::io::Found, &str) -> bool,
) -> (Vec<parity::io::SourceId>, Vec<FileErrors>) {
    let mut read = Vec::new();
    let mut failed = Vec::new();
    for file in found {
        let result = if file.path == Path::new("-") && !file.walked {
            parity::io::read::read_stdin(stdin_name.unwrap_or("<stdin>"), limit)
        } else {
            parity::io::read::read_file(&file.path, &file.name, file.trust, limit)
        };
        match result {
            Ok(source) if wanted(file, &source.text) => read.push(run.sources.add(source)),
            Ok(_) => {}
            // A walked file that cannot be read whole (too large, not UTF-8)
            // is an error only if it is parity's at all.
            Err(
                parity::io::ReadError::TooLarge { .. }
                | parity::io::ReadError::TooLong { .. }
                | parity::io::ReadError::NotUtf8(_),
            ) if file.walked
                && parity::io::read::read_prefix(&file.path, file.trust, SNIFF_BYTES)
                    .is_some_and(|prefix| !wanted(file, &prefix)) => {}
            Err(error) => {
                let diagnostic = error.diagnostic(&file.name);
                run.print(std::slice::from_ref(&diagnostic));
                failed.push(FileErrors::new(&file.name, &[diagnostic]));
            }
        }
    }
    (read, failed)
}

fn check(
    run: &mut Run,
    paths: &[PathBuf],
    trust: Trust,
    stdin_name: Option<&str>,
    as_of: Option<Date>,
    common: &Common,
) -> u8 {
    let rules = match run.rules(&common.rules) {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let fail_on = run.fail_on(common.fail_on);
    let options = CheckOptions {
        as_of: as_of.or(run.config.as_ref().and_then(|c| c.as_of)),
        ..common.options()
    };
    let limits = common.limits();
    let (roots, many) = roots(run, paths, trust);
    let found = find(run, &roots, parity::io::Purpose::Scenarios);
    let (ids, mut failed) = read_found(run, &found, stdin_name, limits.max_bytes, |file, text| {
        !file.walked || parity::io::discover::is_scenario_text(text)
    });
    if ids.is_empty() && failed.is_empty() {
        let shown: Vec<String> = roots.iter().map(|r| r.path.display().to_string()).collect();
        say!(
            "parity: warning: no scenario files found in {}",
            shown.join(", ")
        );
    }
    let sources: Vec<&Source> = ids.iter().filter_map(|id| run.sources.get(*id)).collect();
    // Progress only where a person watches, and only when it takes a while.
    let show_progress = sources.len() >= 20 && std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show_progress {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\rparity: checked {done}/{total} files");
            if done == total {
                let _ = write!(stderr, "\r\x1b[2K");
            }
        }
    };
    let outcomes = parity::engine::check_sources(&sources, &rules, &options, &limits, &progress);
    let mut results: Vec<(String, Checked)> = Vec::new();
    for outcome in outcomes {
        match outcome.result {
            Ok(checked) => results.push((outcome.name, Ok(checked))),
            Err(diagnostics) => {
                run.print(&diagnostics);
                say!(
                    "parity: {} in {}; it was not checked",
                    count(diagnostics.len()),
                    parity::diag::printable(&outcome.name)
                );
                results.push((
                    outcome.name.clone(),
                    Err(FileErrors::new(&outcome.name, &diagnostics)),
                ));
            }
        }
    }
    results.extend(failed.drain(..).map(|f| (f.file.clone(), Err(f))));
    // Every file in name order, whether it loaded or not.
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut checked = Vec::new();
    let mut failed = Vec::new();
    let mut in_order = Vec::new();
    for (_, result) in results {
        match result {
            Ok((scenario, report)) => {
                in_order.push(true);
                checked.push((scenario, report));
            }
            Err(errors) => {
                in_order.push(false);
                failed.push(errors);
            }
        }
    }
    let failed_inputs = failed.len();
    let (scenarios, reports): (Vec<parity::scenario::model::Scenario>, Vec<Report>) =
        checked.into_iter().unzip();
    let format = common.format;
    let output = common.output.as_deref();
    let written = match format {
        // Streamed: a large world's JSON report is as large as its YAML.
        Format::Json => {
            let mut reports_left = reports.into_iter();
            let mut failed_left = failed.into_iter();
            let all: Vec<FileResult> = in_order
                .iter()
                .filter_map(|&ok| {
                    if ok {
                        reports_left.next().map(FileResult::Checked)
                    } else {
                        failed_left.next().map(FileResult::Failed)
                    }
                })
                .collect();
            let written = run.emit_with(output, |out| report::json::write(&all, many, out));
            let code = match written {
                Ok(()) => exit_code(
                    failed_inputs,
                    all.iter().filter_map(|r| match r {
                        FileResult::Checked(report) => Some(report),
                        FileResult::Failed(_) => None,
                    }),
                    fail_on,
                ),
                Err(code) => code,
            };
            exit_without_freeing((scenarios, all));
            return code;
        }
        Format::Human => {
            let text = scenarios
                .iter()
                .zip(&reports)
                .map(|(_, r)| report::human::render(r, run.sources.text_of(&r.file)))
                .collect::<Vec<_>>()
                .join("\n");
            run.emit(output, &text)
        }
        Format::Sarif => {
            let base = std::env::current_dir().unwrap_or_default();
            run.emit(
                output,
                &report::sarif::render(&reports, &failed, &rules, &base),
            )
        }
        Format::Junit => run.emit(
            output,
            &report::junit::render(&reports, &failed, &rules, fail_on),
        ),
        Format::Github => run.emit(output, &report::github::render(&reports, &failed)),
        Format::Markdown => {
            let worlds: Vec<parity::scenario::world::World> = scenarios
                .iter()
                .zip(&reports)
                .map(|(scenario, report)| {
                    let date = Date::parse(&report.as_of).unwrap_or(Date::EARLIEST);
                    parity::scenario::world::World::at(scenario, date)
                })
                .collect();
            let items: Vec<(&Report, &parity::scenario::world::World)> =
                reports.iter().zip(&worlds).collect();
            run.emit(output, &report::markdown::render(&items, &failed))
        }
    };
    let code = match written {
        Ok(()) => exit_code(failed_inputs, reports.iter(), fail_on),
        Err(code) => code,
    };
    exit_without_freeing((scenarios, reports));
    code
}

/// A scenario with its report, or why it could not be checked.
type Checked = Result<(parity::scenario::model::Scenario, Report), FileErrors>;

/// Leaves a command's data to the operating system, which reclaims it when
/// the process exits right after: freeing a large world's millions of small
/// allocations one by one took about 50 ms at 39,800 missions, for nothing.
fn exit_without_freeing<T>(data: T) {
    std::mem::forget(data);
}

/// 2 when a file could not be checked, else 1 when a report fails `--fail-on`, else 0.
fn exit_code<'a>(
    failed_inputs: usize,
    mut reports: impl Iterator<Item = &'a Report>,
    fail_on: Severity,
) -> u8 {
    if failed_inputs > 0 {
        INPUT_ERROR
    } else if reports.any(|r| r.fails(fail_on)) {
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

fn list_rules(run: &mut Run, extra: &[PathBuf]) -> u8 {
    let set = match run.rules(extra) {
        Ok(set) => set,
        Err(code) => return code,
    };
    let mut text = String::new();
    for rule in &set.rules {
        text.push_str(&format!(
            "{:<34} {:<8} {}\n",
            rule.id,
            rule.severity.word(),
            rule.title
        ));
    }
    done(run.emit(None, &text))
}

/// What `propose`, `suggest` and `timeline` start from: the rules and one
/// scenario; any error is printed and becomes the exit code.
fn prepare(
    run: &mut Run,
    path: &Path,
    common: &Common,
    command: &str,
) -> Result<(RuleSet, parity::scenario::model::Scenario), u8> {
    human_or_json(common, command)?;
    let rules = run.rules(&common.rules)?;
    let scenario = run.load_scenario(path, &common.limits())?;
    Ok((rules, scenario))
}

/// Commands other than `check` write human or JSON reports only.
fn human_or_json(common: &Common, command: &str) -> Result<(), u8> {
    if common.format.check_only() {
        say!(
            "error[usage]: `parity {command}` writes --format human or json; the CI formats are for `parity check`"
        );
        return Err(INPUT_ERROR);
    }
    Ok(())
}

/// Runs a command's evaluation; input errors are printed and give exit 2.
fn finish<T>(
    run: &Run,
    output: Option<&Path>,
    result: Result<T, Vec<Diagnostic>>,
    render: impl FnOnce(&T) -> String,
    fails: impl FnOnce(&T) -> bool,
) -> u8 {
    match result {
        Ok(report) => {
            if let Err(code) = run.emit(output, &render(&report)) {
                return code;
            }
            if fails(&report) { FINDINGS } else { CLEAN }
        }
        Err(diagnostics) => {
            run.print(&diagnostics);
            say!(
                "parity: {}; nothing was evaluated",
                count(diagnostics.len())
            );
            INPUT_ERROR
        }
    }
}

fn propose(run: &mut Run, path: &Path, proposals_file: Option<&Path>, common: &Common) -> u8 {
    let (rules, scenario) = match prepare(run, path, common, "propose") {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let limits = common.limits();
    let (proposals, file) = match proposals_file {
        None => (scenario.proposals.clone(), scenario.file.clone()),
        Some(extra) => {
            let source = match run.read_named(extra, None, limits.max_bytes) {
                Ok(source) => source,
                Err(code) => return code,
            };
            let name = source.name.clone();
            let id = run.sources.add(source);
            let text = run.sources.get(id).map_or("", |s| s.text.as_str());
            match parity::scenario::load::load_proposals_str(text, &name, &limits, &scenario) {
                Ok(proposals) => (proposals, name),
                Err(diagnostics) => {
                    run.print(&diagnostics);
                    say!(
                        "parity: {} in {}; nothing was evaluated",
                        count(diagnostics.len()),
                        parity::diag::printable(&name)
                    );
                    return INPUT_ERROR;
                }
            }
        }
    };
    let fail_on = run.fail_on(common.fail_on);
    let result = parity::engine::propose::propose(
        &scenario,
        &proposals,
        &file,
        &rules,
        &common.options(),
        fail_on,
    );
    let format = common.format;
    finish(
        run,
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
    run: &mut Run,
    path: &Path,
    mission: &str,
    on: Date,
    credentials_to: Option<&str>,
    common: &Common,
) -> u8 {
    let (rules, scenario) = match prepare(run, path, common, "suggest") {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let fail_on = run.fail_on(common.fail_on);
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
    finish(
        run,
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            _ => report::human::render_suggest(r),
        },
        |r| r.recommended.is_none(),
    )
}

fn timeline(
    run: &mut Run,
    path: &Path,
    from: Option<Date>,
    until: Option<Date>,
    common: &Common,
) -> u8 {
    let (rules, scenario) = match prepare(run, path, common, "timeline") {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    if let (Some(from), Some(until)) = (from, until)
        && until <= from
    {
        say!("error[usage]: --until {until} is not after --from {from}");
        return INPUT_ERROR;
    }
    let result =
        parity::engine::timeline::timeline(&scenario, &rules, from, until, &common.options());
    let format = common.format;
    finish(
        run,
        common.output.as_deref(),
        result,
        |r| match format {
            Format::Json => report::json::value(r),
            _ => report::human::render_timeline(r),
        },
        |_| false,
    )
}

fn test(
    run: &mut Run,
    paths: &[PathBuf],
    coverage: bool,
    threshold: Option<f64>,
    common: &Common,
) -> u8 {
    if let Err(code) = human_or_json(common, "test") {
        return code;
    }
    let rules = match run.rules(&common.rules) {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let limits = common.limits();
    let (roots, _) = roots(run, paths, Trust::Named);
    let found = find(run, &roots, parity::io::Purpose::Tests);
    let (ids, failed) = read_found(run, &found, None, limits.max_bytes, |file, text| {
        !file.walked
            || parity::io::discover::is_rule_test(&file.path)
            || parity::io::discover::is_rule_test(Path::new(&file.name))
            || parity::io::discover::is_scenario_text(text)
    });
    if !failed.is_empty() {
        say!(
            "parity: {} reading the tests; nothing was evaluated",
            count(failed.len())
        );
        return INPUT_ERROR;
    }
    let sources: Vec<&Source> = ids.iter().filter_map(|id| run.sources.get(*id)).collect();
    if sources.is_empty() {
        let shown: Vec<String> = roots.iter().map(|r| r.path.display().to_string()).collect();
        say!(
            "parity: warning: no rule tests or scenarios found in {}",
            shown.join(", ")
        );
    }
    let result = parity::engine::ruletest::run_tests(&sources, &rules, &common.options(), &limits);
    // Below the threshold the verdict is 1: say why, or the run looks clean.
    if let (Ok(report), Some(threshold)) = (&result, threshold)
        && report.covered_share() < threshold
    {
        say!(
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
        run,
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
    run: &mut Run,
    path: &Path,
    as_of: Option<Date>,
    format: GraphFormat,
    rule_paths: &[PathBuf],
    output: Option<&Path>,
) -> u8 {
    use parity::report::graph;
    let rules = match run.rules(rule_paths) {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let scenario = match run.load_scenario(path, &YamlLimits::default()) {
        Ok(scenario) => scenario,
        Err(code) => return code,
    };
    let options = CheckOptions {
        as_of: as_of.or(run.config.as_ref().and_then(|c| c.as_of)),
        ..CheckOptions::default()
    };
    let report = match parity::check(&scenario, &rules, &options) {
        Ok(report) => report,
        Err(diagnostics) => {
            run.print(&diagnostics);
            return INPUT_ERROR;
        }
    };
    let date = Date::parse(&report.as_of).unwrap_or(Date::EARLIEST);
    let world = parity::scenario::world::World::at(&scenario, date);
    let format = match format {
        GraphFormat::Dot => graph::GraphFormat::Dot,
        GraphFormat::Mermaid => graph::GraphFormat::Mermaid,
    };
    done(run.emit(output, &graph::render(&world, Some(&report), format)))
}

fn format_rule_files(run: &Run, paths: &[PathBuf], check: bool) -> u8 {
    let roots: Vec<parity::io::Root> = paths
        .iter()
        .map(|p| parity::io::Root {
            path: p.clone(),
            trust: Trust::Named,
        })
        .collect();
    let found = find(run, &roots, parity::io::Purpose::Rules);
    let mut changed = Vec::new();
    let mut broken = false;
    for file in &found {
        let name = file.name.clone();
        let limit = parity::lang::ruleset::MAX_RULE_FILE_BYTES;
        let source = match parity::io::read::read_file(&file.path, &name, file.trust, limit) {
            Ok(source) => source,
            Err(error) => {
                run.print(&[error.diagnostic(&name)]);
                broken = true;
                continue;
            }
        };
        match parity::lang::fmt::format_rules(&source.text, &name) {
            Ok(formatted) if formatted == source.text => {}
            Ok(formatted) => {
                // The file itself is the target: a link named here is
                // formatted where it leads, not replaced by a copy.
                let target = std::fs::canonicalize(&file.path).unwrap_or(file.path.clone());
                if !check
                    && let Err(error) = parity::io::write_file(&target, None, |out| {
                        out.write_all(formatted.as_bytes())
                    })
                {
                    say!("error[{}]: {error}", error.code());
                    broken = true;
                    continue;
                }
                changed.push(name);
            }
            Err(diagnostics) => {
                let mut sources = Sources::default();
                sources.add(source);
                let shown = Run {
                    sources,
                    config: None,
                };
                shown.print(&diagnostics);
                broken = true;
            }
        }
    }
    let mut text = String::new();
    for name in &changed {
        let verb = if check {
            "would reformat"
        } else {
            "reformatted"
        };
        text.push_str(&format!("{verb} {}\n", parity::diag::printable(name)));
    }
    if let Err(code) = run.emit(None, &text) {
        return code;
    }
    if broken {
        INPUT_ERROR
    } else if check && !changed.is_empty() {
        FINDINGS
    } else {
        CLEAN
    }
}

fn explain(run: &mut Run, id: &str, extra: &[PathBuf]) -> u8 {
    let set = match run.rules(extra) {
        Ok(set) => set,
        Err(code) => return code,
    };
    match set.get(id) {
        Some(rule) => done(run.emit(None, &parity::lang::explain::explain(rule))),
        None if let Some(own) = parity::engine::builtin::get(id) => {
            done(run.emit(None, &own.explain()))
        }
        None => {
            let ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
            let hint = parity::diag::nearest(id, ids.iter().copied())
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_else(|| format!("; the rules are: {}", ids.join(", ")));
            say!(
                "error[unknown-rule]: there is no rule `{}`{hint}",
                parity::diag::printable(id)
            );
            INPUT_ERROR
        }
    }
}
