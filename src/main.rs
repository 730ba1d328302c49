//! The `parity` command line: argument parsing and exit codes only; the work
//! is done by the library.

use clap::{Parser, Subcommand, ValueEnum};
use parity::commands::{self, Colour, Evaluation, Exit, Session};
use parity::diag::ColorChoice;
use parity::io::Trust;
use parity::lang::ast::Severity;
use parity::report::Format;
use parity::report::graph::GraphFormat;
use parity::scenario::date::{Date, DateError};
use parity::scenario::yaml::YamlLimits;
use std::path::PathBuf;
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
    /// Colour errors and the human report: auto colours a terminal unless
    /// NO_COLOR is set; a file written with --output is never coloured.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

impl From<Color> for ColorChoice {
    fn from(c: Color) -> ColorChoice {
        match c {
            Color::Auto => ColorChoice::Auto,
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
        }
    }
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
        /// Make SARIF's file URIs relative to this directory [default: the
        /// repository root (the nearest directory up holding `.git`), else
        /// the working directory].
        #[arg(long, value_name = "DIR")]
        base_dir: Option<PathBuf>,
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
    ///
    /// Exit status: 0 whatever the findings (a history, not a verdict; so
    /// --fail-on is refused); 2 when an input, a rule or the command line is wrong.
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
        /// Write the drawing to this file instead of standard output (`-`: standard output).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the heads of mission in a receiving state in order of precedence
    /// (VCDR art. 16), with the doyen, as a protocol department publishes it.
    ///
    /// The heads of open embassies and delegations: class 1, 2, then 3, each
    /// by the date of taking up functions (credentials presented, else the
    /// head's `from`), the nuncio first where the receiver has
    /// `nuncio_precedence: true`; then the chargés d'affaires a.i. (and
    /// heads recalled for consultations) by their `from`.
    ///
    /// Exit status: 0 when the list is written, an empty one included; 2 when
    /// an input or the command line is wrong (an unknown --receiver, a CI format).
    Precedence {
        /// The scenario file.
        file: PathBuf,
        /// The receiving state's id.
        #[arg(long, value_name = "STATE")]
        receiver: String,
        /// List at this date (YYYY-MM-DD) instead of the scenario's `as_of`.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<Date>,
        /// Output format: human, json or markdown.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Largest scenario file accepted, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = YamlLimits::default().max_bytes)]
        limit_file_bytes: usize,
        /// Most YAML nodes a scenario may expand to (aliases counted each time).
        #[arg(long, value_name = "N", default_value_t = YamlLimits::default().max_nodes)]
        limit_yaml_nodes: usize,
        /// Write the list to this file instead of standard output (`-`: standard output).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Turn another data set's table into a scenario that parity checks.
    #[command(subcommand)]
    Import(Import),
    /// Run rule tests (*.test.yaml) and every scenario's `expect` claims.
    ///
    /// Exit status: 0 all pass (and coverage meets --threshold); 1 a test
    /// fails or coverage is below it; 2 an input or rule error (--fail-on
    /// is refused: a test's expectation decides, whatever the severity).
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
    /// Print the man page (roff), generated from these definitions: parity(1),
    /// or with a command, that command's page, e.g. `parity man check` for
    /// parity-check(1).
    Man {
        /// The command whose page to print.
        command: Option<String>,
    },
    /// Run the language server on standard input and output, for scenario
    /// files and rule files (docs/editors.md).
    ///
    /// Diagnostics as you type (the codes of `check`, and the rules'
    /// findings), hover, go to definition and completion. Exit status: 0
    /// after the client's `shutdown` and `exit`; 1 when it exits without
    /// `shutdown` or the input ends; 2 when the rules do not load.
    Lsp {
        /// Also check scenarios against the rules of this directory or file. Repeatable.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Largest document checked, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = YamlLimits::default().max_bytes)]
        limit_file_bytes: usize,
    },
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
    /// Write the report to this file instead of standard output (`-`: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

impl Common {
    /// What the library is told: the flags, as they are.
    fn evaluation(&self) -> Evaluation {
        Evaluation {
            rules: self.rules.clone(),
            format: self.format,
            fail_on: self.fail_on.map(Severity::from),
            budget: parity::eval::Budget {
                max_steps: self.limit_eval_steps,
                max_findings: self.limit_findings,
                max_output_bytes: self.limit_output_bytes,
            },
            limits: YamlLimits {
                max_bytes: self.limit_file_bytes,
                max_nodes: self.limit_yaml_nodes,
                ..YamlLimits::default()
            },
            output: to_file(self.output.clone()),
        }
    }
}

/// The file `--output` names; `-` is standard output, as `-` is standard
/// input among a command's files (a file named `-` is `./-`).
fn to_file(output: Option<PathBuf>) -> Option<PathBuf> {
    output.filter(|path| path.as_os_str() != "-")
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

/// The process's status for how a command ended.
fn status(exit: Exit) -> ExitCode {
    ExitCode::from(match exit {
        Exit::Clean => CLEAN,
        Exit::Findings => FINDINGS,
        Exit::InputError => INPUT_ERROR,
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let colour = Colour::choose(cli.color.into());
    let mut session = match Session::start_coloured(cli.config.as_deref(), cli.no_config, colour) {
        Ok(session) => session,
        Err(exit) => return status(exit),
    };
    let session = &mut session;
    let exit = match cli.command {
        Command::Check {
            files,
            stdin_filename,
            filter_named,
            as_of,
            base_dir,
            common,
        } => {
            let args = commands::CheckArgs {
                files,
                stdin_filename,
                trust: if filter_named {
                    Trust::Found
                } else {
                    Trust::Named
                },
                as_of,
                base_dir,
                evaluation: common.evaluation(),
            };
            commands::check(session, &args)
        }
        Command::Propose {
            file,
            proposals,
            common,
        } => commands::propose(session, &file, proposals.as_deref(), &common.evaluation()),
        Command::Suggest {
            file,
            mission,
            on,
            credentials_to,
            common,
        } => commands::suggest(
            session,
            &file,
            &mission,
            on,
            credentials_to.as_deref(),
            &common.evaluation(),
        ),
        Command::Timeline {
            file,
            from,
            until,
            common,
        } => commands::timeline(session, &file, from, until, &common.evaluation()),
        Command::Test {
            paths,
            coverage,
            threshold,
            common,
        } => commands::test(session, &paths, coverage, threshold, &common.evaluation()),
        Command::Graph {
            file,
            as_of,
            format,
            rules,
            output,
        } => commands::graph(
            session,
            &file,
            as_of,
            format,
            &rules,
            to_file(output).as_deref(),
        ),
        Command::Import(Import::Cow {
            file,
            from,
            until,
            limit_file_bytes,
            output,
        }) => commands::import_cow(
            session,
            &file,
            &parity::import::cow::CowOptions { from, until },
            to_file(output).as_deref(),
            limit_file_bytes,
        ),
        Command::Precedence {
            file,
            receiver,
            as_of,
            format,
            limit_file_bytes,
            limit_yaml_nodes,
            output,
        } => commands::precedence(
            session,
            &commands::PrecedenceArgs {
                file,
                receiver,
                as_of,
                format,
                limits: YamlLimits {
                    max_bytes: limit_file_bytes,
                    max_nodes: limit_yaml_nodes,
                    ..YamlLimits::default()
                },
                output: to_file(output),
            },
        ),
        Command::Fmt { paths, check } => commands::format_rule_files(session, &paths, check),
        Command::Explain { rule, rules } => commands::explain(session, &rule, &rules),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "parity", &mut out);
            commands::done(session.emit(None, &String::from_utf8_lossy(&out)))
        }
        Command::Man { command } => man_page(session, command.as_deref()),
        Command::Rules { rules } => commands::list_rules(session, &rules),
        Command::Lsp {
            rules,
            limit_file_bytes,
        } => commands::lsp(
            session,
            &rules,
            YamlLimits {
                max_bytes: limit_file_bytes,
                ..YamlLimits::default()
            },
        ),
    };
    status(exit)
}

/// The data sets `parity import` reads.
#[derive(Subcommand)]
enum Import {
    /// The Correlates of War Diplomatic Exchange data set (v2006.1): a CSV
    /// with the columns ccode1, ccode2, year, DR_at_1 and DR_at_2.
    ///
    /// Each state by its COW code, as its ISO 3166 alpha-3 id (else its COW
    /// abbreviation); each level of representation (1 chargé d'affaires,
    /// 2 minister, 3 ambassador, 9 other) a nameless head from its year until
    /// the next year observed for the pair, the data set being sampled every
    /// five years (docs/research.md). What was read is said on stderr.
    ///
    /// Exit status: 0 when the scenario is written; 2 when the file or the
    /// command line is wrong (every error located at its row and cell).
    Cow {
        /// The CSV file (or - for standard input).
        file: PathBuf,
        /// Keep the years from this one on.
        #[arg(long, value_name = "YEAR")]
        from: Option<i32>,
        /// Keep the years up to this one, included.
        #[arg(long, value_name = "YEAR")]
        until: Option<i32>,
        /// Largest file accepted, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = YamlLimits::default().max_bytes)]
        limit_file_bytes: usize,
        /// Write the scenario to this file instead of standard output (`-`: standard output).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// parity(1), or the page of one command: the pages parity(1) refers to
/// (parity-check(1), ...) are built the way `clap_mangen::generate_to` builds
/// them, so their names and synopses match the references.
fn man_page(session: &mut Session, name: Option<&str>) -> Exit {
    let mut top = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    top.build();
    let version = env!("CARGO_PKG_VERSION");
    let page = match name {
        None => clap_mangen::Man::new(top),
        Some(name) => match top.find_subcommand(name) {
            // The footer names the program and version, as parity(1)'s does.
            Some(command) => clap_mangen::Man::new(command.clone())
                .source(format!("parity-{} {version}", command.get_name())),
            None => {
                let hint = parity::diag::nearest(name, top.get_subcommands().map(|c| c.get_name()))
                    .map(|near| format!("; did you mean `{near}`?"))
                    .unwrap_or_default();
                session.say(format_args!(
                    "error[{}]: parity has no command `{}`{hint}",
                    parity::diag::Code::Usage,
                    parity::diag::printable(name)
                ));
                return Exit::InputError;
            }
        },
    };
    let mut out = Vec::new();
    match page.render(&mut out) {
        Ok(()) => commands::done(session.emit_with(None, |w| w.write_all(&out))),
        Err(error) => {
            session.say(format_args!("parity: cannot render the man page: {error}"));
            Exit::InputError
        }
    }
}
