//! The commands of `parity`, as the CLI runs them: the project file's
//! defaults, which files to read, the rules, the evaluation, the format to
//! render, where to write. Each returns an `Exit`; the CLI maps it to the
//! process's status. Output and messages go to the session's `Streams`:
//! the process's standard streams for the CLI, buffers for a caller that
//! reads them (tests, an editor server). Messages go through `say!`, which
//! cannot panic.

/// Writes a line to the session's message stream (standard error). A closed
/// or full stderr has nowhere to report to, so it is ignored rather than
/// allowed to panic (as `eprintln!` would).
macro_rules! say {
    ($session:expr, $($arg:tt)*) => {
        $session.say(format_args!($($arg)*))
    };
}

mod check;
mod evaluate;
mod files;
mod import;
mod lsp;
mod precedence;
mod rules;

pub use check::{CheckArgs, check};
pub use evaluate::{graph, propose, suggest, test, timeline};
pub use import::import_cow;
pub use lsp::lsp;
pub use precedence::{PrecedenceArgs, precedence};
pub use rules::{explain, format_rule_files, list_rules};

use crate::diag::{ColorChoice, Diagnostic, Palette};
use crate::eval::Budget;
use crate::io::{Source, Sources, Trust};
use crate::lang::ast::Severity;
use crate::lang::ruleset::RuleSet;
use crate::report::Format;
use crate::scenario::model::Scenario;
use crate::scenario::yaml::YamlLimits;
use std::path::{Path, PathBuf};

/// How a command ended, as ruff and Spectral tell it by their exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at or above the failing severity; every claim holds.
    Clean,
    /// A finding, a failing claim or test, or a file to reformat.
    Findings,
    /// An input, a rule or the command line is wrong.
    InputError,
}

/// What every evaluating command is told: the rules to add, the format,
/// the failing severity, the budget and the limits, where to write.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Rule files or directories added to the standard rules (--rules).
    pub rules: Vec<PathBuf>,
    pub format: Format,
    /// --fail-on; else parity.toml's `fail-on`, else error.
    pub fail_on: Option<Severity>,
    pub budget: Budget,
    pub limits: YamlLimits,
    /// --output; else standard output.
    pub output: Option<PathBuf>,
}

impl Evaluation {
    fn options(&self) -> crate::CheckOptions {
        crate::CheckOptions {
            as_of: None,
            budget: self.budget,
        }
    }
}

/// What every command shares: the texts read (to quote in errors, and never
/// to write onto) and the project file.
pub struct Session {
    pub sources: Sources,
    pub config: Option<crate::config::Config>,
    /// How input errors on stderr and the human report on stdout are
    /// coloured (a file written with --output never is).
    pub colour: Colour,
    /// Where output and messages go; `Standard` also means the process
    /// exits when the command returns (`exit_without_freeing`).
    pub streams: Streams,
}

/// Where a command writes its output (without --output) and its messages.
#[derive(Clone, Default)]
pub enum Streams {
    /// The process's standard output and standard error.
    #[default]
    Standard,
    /// Buffers the caller reads: a library caller runs a command as the CLI
    /// does without the process's streams.
    Captured(std::sync::Arc<std::sync::Mutex<Captured>>),
}

/// What a command wrote to `Streams::Captured`.
#[derive(Debug, Default)]
pub struct Captured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Streams {
    /// New buffers, and the handle to read them by.
    pub fn captured() -> (Streams, std::sync::Arc<std::sync::Mutex<Captured>>) {
        let buffers = std::sync::Arc::default();
        (Streams::Captured(std::sync::Arc::clone(&buffers)), buffers)
    }

    /// Whether messages reach a person at a terminal (for progress).
    pub fn messages_on_terminal(&self) -> bool {
        use std::io::IsTerminal as _;
        matches!(self, Streams::Standard) && std::io::stderr().is_terminal()
    }

    /// Runs `write` on the message stream.
    fn messages(&self, write: impl FnOnce(&mut dyn std::io::Write)) {
        match self {
            Streams::Standard => write(&mut std::io::stderr().lock()),
            // A panic elsewhere while the buffer was held leaves what it
            // wrote, which is still worth keeping.
            Streams::Captured(buffers) => {
                let mut held = buffers
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                write(&mut held.stderr);
            }
        }
    }
}

/// The palettes of the two standard streams.
#[derive(Debug, Clone, Copy, Default)]
pub struct Colour {
    pub stderr: Palette,
    pub stdout: Palette,
}

impl Colour {
    /// `--color`, for the streams as they are: `auto` colours a stream
    /// that is a terminal (and `NO_COLOR` unset).
    pub fn choose(choice: ColorChoice) -> Colour {
        use std::io::IsTerminal as _;
        Colour {
            stderr: Palette::choose(choice, std::io::stderr().is_terminal()),
            stdout: Palette::choose(choice, std::io::stdout().is_terminal()),
        }
    }
}

impl Session {
    /// Reads the project file `config_file`, else the nearest parity.toml,
    /// unless `no_config`.
    pub fn start(config_file: Option<&Path>, no_config: bool) -> Result<Session, Exit> {
        Session::start_coloured(config_file, no_config, Colour::default())
    }

    /// `start`, colouring as `colour` says.
    pub fn start_coloured(
        config_file: Option<&Path>,
        no_config: bool,
        colour: Colour,
    ) -> Result<Session, Exit> {
        let mut session = Session {
            sources: Sources::default(),
            config: None,
            colour,
            streams: Streams::Standard,
        };
        // First and in order: `RuleSet::standard`'s spans name these ids.
        for (index, (name, text)) in crate::lang::ruleset::STANDARD.iter().enumerate() {
            let id = session
                .sources
                .add(Source::text_only(name, (*text).to_string()));
            debug_assert_eq!(usize::try_from(id.0).ok(), Some(index));
        }
        let file = match (config_file, no_config) {
            (_, true) => None,
            (Some(file), _) => Some(file.to_path_buf()),
            (None, false) => std::env::current_dir()
                .ok()
                .and_then(|cwd| crate::config::find(&cwd)),
        };
        if let Some(file) = file {
            match crate::config::load(&file, &mut session.sources) {
                Ok(config) => session.config = Some(config),
                Err(diagnostics) => {
                    session.print(&diagnostics);
                    say!(
                        session,
                        "parity: {} in {}; nothing was checked",
                        count(diagnostics.len()),
                        file.display()
                    );
                    return Err(Exit::InputError);
                }
            }
        }
        Ok(session)
    }

    /// Prints input errors to stderr, each quoting its source line from the
    /// text that was read (never by reading the file again).
    pub fn print(&self, diagnostics: &[Diagnostic]) {
        self.streams.messages(|stderr| {
            crate::diag::render_all_in(
                diagnostics,
                self.colour.stderr,
                |file, span| self.sources.text_and_lines(file, span),
                |text| {
                    let _ = writeln!(stderr, "{text}");
                },
            );
        });
    }

    /// Writes one line of message (`say!`).
    pub fn say(&self, line: std::fmt::Arguments) {
        self.streams.messages(|stderr| {
            let _ = writeln!(stderr, "{line}");
        });
    }

    /// Writes progress, which is not a line: only where a person watches.
    pub(crate) fn progress(&self, text: &str) {
        if self.streams.messages_on_terminal() {
            self.streams.messages(|stderr| {
                let _ = write!(stderr, "{text}");
            });
        }
    }

    /// The least failing severity: the flag, else parity.toml, else error.
    fn fail_on(&self, flag: Option<Severity>) -> Severity {
        flag.or(self.config.as_ref().and_then(|c| c.fail_on))
            .unwrap_or(Severity::Error)
    }

    /// The standard rules and those of --rules, else of parity.toml's `rules`.
    fn rules(&mut self, flags: &[PathBuf]) -> Result<RuleSet, Exit> {
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
                self,
                "parity: {} in the rules; nothing was checked",
                count(diagnostics.len())
            );
            Exit::InputError
        })
    }

    /// Reads one named scenario file (or `-`, standard input).
    pub(crate) fn read_named(
        &mut self,
        path: &Path,
        name: Option<&str>,
        limit: usize,
    ) -> Result<Source, Exit> {
        let read = if path == Path::new("-") {
            crate::io::read::read_stdin(name.unwrap_or("<stdin>"), limit)
        } else {
            let shown = path.display().to_string();
            crate::io::read::read_file(path, name.unwrap_or(&shown), Trust::Named, limit)
        };
        let shown = name.map_or_else(|| path.display().to_string(), str::to_string);
        read.map_err(|error| {
            self.print(&[error.diagnostic(&shown)]);
            Exit::InputError
        })
    }

    /// Reads and loads one scenario, printing its errors.
    fn load_scenario(&mut self, path: &Path, limits: &YamlLimits) -> Result<Scenario, Exit> {
        let source = self.read_named(path, None, limits.max_bytes)?;
        let id = self.sources.add(source);
        let Some(source) = self.sources.get(id) else {
            return Err(Exit::InputError);
        };
        match crate::scenario::load::load_source(&source.shared, &source.name, limits) {
            Ok(scenario) => Ok(scenario),
            Err(diagnostics) => {
                let name = source.name.clone();
                self.print(&diagnostics);
                say!(
                    self,
                    "parity: {} in {name}; nothing was evaluated",
                    count(diagnostics.len())
                );
                Err(Exit::InputError)
            }
        }
    }

    /// Writes output to `output` (never onto an input) or standard output.
    pub fn emit_with(
        &self,
        output: Option<&Path>,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), Exit> {
        let written = match (output, &self.streams) {
            (Some(path), _) => crate::io::write_file(path, Some(&self.sources), write),
            (None, Streams::Standard) => crate::io::write_stdout(write),
            (None, Streams::Captured(buffers)) => {
                let mut held = buffers
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                write(&mut held.stdout).map_err(|error| crate::io::WriteError::Io {
                    place: "standard output".to_string(),
                    error,
                })
            }
        };
        written.map_err(|error| {
            say!(self, "error[{}]: {error}", error.code());
            Exit::InputError
        })
    }

    /// Writes `text` as `emit_with` does.
    pub fn emit(&self, output: Option<&Path>, text: &str) -> Result<(), Exit> {
        self.emit_with(output, |out| out.write_all(text.as_bytes()))
    }
}

/// `Clean` when the output was written, else its exit.
pub fn done(written: Result<(), Exit>) -> Exit {
    written.err().unwrap_or(Exit::Clean)
}

pub(crate) fn count(n: usize) -> String {
    counted(n, "error", "errors")
}

/// `n` and the noun for it: "1 row", "3 rows".
pub(crate) fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Leaves a command's data to the operating system, which reclaims it when
/// the process exits right after: freeing a large world's millions of small
/// allocations one by one took about 50 ms at 39,800 missions, for nothing.
/// Only the CLI's process exits next: a caller that captures the streams
/// (tests, an editor server) lives on, and its data is freed.
fn exit_without_freeing<T>(session: &Session, data: T) {
    if matches!(session.streams, Streams::Standard) {
        std::mem::forget(data);
    }
}
