//! The project file, `parity.toml`, found by walking up from the working
//! directory as `ruff.toml` is. It says what `parity check` and `parity test`
//! read when no path is given, and the defaults of a few flags; flags given
//! on the command line win.
//!
//! ```toml
//! paths = ["scenarios"]              # what to check (default: the project's directory)
//! exclude = ["scenarios/drafts/**"]  # globs, relative to this file
//! rules = ["policy"]                 # directories of *.rules added to the standard rules
//! fail-on = "warning"                # error | warning | info
//! as-of = "2024-09-01"               # evaluate at this date instead of each scenario's as_of
//! ```
//!
//! The file is part of the repository, so a pull request can change it:
//! every path it names must stay inside the project's directory, and is
//! walked with the same care as any directory (see `io::discover`).

use crate::diag::Code;
use crate::diag::{Diagnostic, Span};
use crate::io::discover::{Exclude, normalize};
use crate::io::{Sources, Trust};
use crate::lang::ast::Severity;
use crate::scenario::date::Date;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The file's name.
pub const FILE_NAME: &str = "parity.toml";

/// The largest project file read: it is a few lines.
const MAX_BYTES: usize = 1 << 20;

/// The keys, each with what it holds (for errors and docs).
pub const KEYS: &[(&str, &str)] = &[
    (
        "paths",
        "a list of files or directories to check, relative to parity.toml",
    ),
    (
        "exclude",
        "a list of globs of paths not to read, relative to parity.toml",
    ),
    (
        "rules",
        "a list of directories of *.rules files to add to the standard rules",
    ),
    (
        "fail-on",
        "the least severity that fails the run: error, warning or info",
    ),
    ("as-of", "the date to evaluate at, YYYY-MM-DD"),
];

/// A loaded project file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file, as found.
    pub file: PathBuf,
    /// Its directory, as a path from the working directory.
    pub dir: PathBuf,
    /// `paths`, as paths from the working directory.
    pub paths: Vec<PathBuf>,
    pub exclude: Option<Exclude>,
    /// `rules`, as paths from the working directory.
    pub rules: Vec<PathBuf>,
    pub fail_on: Option<Severity>,
    pub as_of: Option<Date>,
}

/// The nearest `parity.toml` in `start` or a directory above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|file| crate::io::discover::is_file_unfollowed(file))
}

/// `dir` (absolute) as a path from the working directory `cwd` (absolute):
/// `.` itself, `..` for a parent, else absolute.
fn from_cwd(dir: &Path, cwd: &Path) -> PathBuf {
    if dir == cwd {
        return PathBuf::new();
    }
    match cwd.strip_prefix(dir) {
        Ok(below) => below.components().map(|_| "..").collect(),
        Err(_) => dir.to_path_buf(),
    }
}

/// Reads and checks the project file at `file`; its text joins `sources`.
pub fn load(file: &Path, sources: &mut Sources) -> Result<Config, Vec<Diagnostic>> {
    let unresolved = |e: std::io::Error| {
        let shown = file.display().to_string();
        vec![crate::io::read::unreadable_file(&shown, "resolve", &e)]
    };
    let absolute = std::path::absolute(file).map_err(unresolved)?;
    let dir_absolute = normalize(absolute.parent().unwrap_or(Path::new("/")));
    let cwd = std::env::current_dir()
        .map(|c| normalize(&c))
        .unwrap_or_else(|_| dir_absolute.clone());
    let dir = from_cwd(&dir_absolute, &cwd);
    // Named as a path from the working directory, as scenario files are.
    let name = match absolute.file_name() {
        Some(base) if !dir.is_absolute() => dir.join(base).display().to_string(),
        _ => file.display().to_string(),
    };
    let source = crate::io::read::read_file(file, &name, Trust::Found, MAX_BYTES)
        .map_err(|e| vec![e.diagnostic(&name)])?;
    let text = source.text().to_string();
    sources.add(source);
    let mut config = Config {
        file: file.to_path_buf(),
        dir,
        ..Config::default()
    };
    let table = DeTable::parse(&text).map_err(|error| {
        let at = error.span().map_or(0, |s| s.start);
        vec![
            Diagnostic::new(
                Code::ConfigSyntax,
                &name,
                Span::new(at, at),
                format!("{name} is not valid TOML: {}", error.message().trim()),
            )
            .with_width(1),
        ]
    })?;
    let mut reader = Reader {
        name: &name,
        diagnostics: Vec::new(),
    };
    for (key, value) in table.get_ref() {
        let at = key.span().start;
        match key.get_ref().as_ref() {
            "paths" => {
                config.paths = reader.paths(value, "paths", &dir_absolute, &config.dir);
            }
            "rules" => {
                config.rules = reader.paths(value, "rules", &dir_absolute, &config.dir);
            }
            "exclude" => {
                config.exclude = reader.globs(value, &dir_absolute);
            }
            "fail-on" => {
                if let Some(word) = reader.string(value, "fail-on") {
                    config.fail_on = Severity::from_word(&word);
                    if config.fail_on.is_none() {
                        reader.error(
                            value.span().start,
                            &word,
                            Code::ConfigValue,
                            format!("`fail-on` is `{word}`: write error, warning or info"),
                            Severity::WORDS.iter().copied(),
                        );
                    }
                }
            }
            "as-of" => {
                // A bare TOML date (as-of = 2024-09-01) is a datetime, not a string.
                let written = match value.get_ref() {
                    DeValue::Datetime(d) => Some(d.to_string()),
                    _ => reader.string(value, "as-of"),
                };
                if let Some(written) = written {
                    match Date::parse(&written) {
                        Ok(date) => config.as_of = Some(date),
                        Err(_) => reader.error(
                            value.span().start,
                            &written,
                            Code::ConfigValue,
                            format!("`as-of` is `{written}`: write a real date, YYYY-MM-DD"),
                            [].into_iter(),
                        ),
                    }
                }
            }
            other => reader.error(
                at,
                other,
                Code::UnknownKey,
                format!("{name} has no key `{other}`"),
                KEYS.iter().map(|(k, _)| *k),
            ),
        }
    }
    if reader.diagnostics.is_empty() {
        Ok(config)
    } else {
        crate::diag::sort_and_dedup(&mut reader.diagnostics);
        Err(reader.diagnostics)
    }
}

/// Why a path of the project file is refused.
enum Outside {
    Missing,
    Escapes,
}

/// A path named by the project file must lie below its directory: written
/// without `..` or a root (so what is checked is what is read), and, with
/// every link resolved, still below it. A path that does not exist cannot be
/// resolved, so it is refused too rather than taken on trust.
fn inside(dir_absolute: &Path, path: &Path) -> Result<(), Outside> {
    use std::path::Component;
    let plain = path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !plain {
        return Err(Outside::Escapes);
    }
    let joined = dir_absolute.join(path);
    let real = match crate::io::discover::resolve(&joined) {
        Some(real) => real,
        // There, but not to be resolved: a dangling or looping link.
        None if crate::io::discover::exists_unfollowed(&joined) => return Err(Outside::Escapes),
        None => return Err(Outside::Missing),
    };
    match crate::io::discover::resolve(dir_absolute) {
        Some(project) if real.starts_with(&project) => Ok(()),
        _ => Err(Outside::Escapes),
    }
}

struct Reader<'a> {
    name: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error<'c>(
        &mut self,
        at: usize,
        word: &str,
        code: Code,
        message: String,
        candidates: impl Iterator<Item = &'c str>,
    ) {
        self.diagnostics.push(
            Diagnostic::new(code, self.name, Span::new(at, at), message)
                .with_width(word.chars().count())
                .suggest(word, candidates),
        );
    }

    fn string(&mut self, value: &Spanned<DeValue<'_>>, key: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.type_error(value, key, "a string");
                None
            }
        }
    }

    fn type_error(&mut self, value: &Spanned<DeValue<'_>>, key: &str, wanted: &str) {
        let what = KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, what)| *what);
        self.diagnostics.push(
            Diagnostic::new(
                Code::ConfigValue,
                self.name,
                Span::new(value.span().start, value.span().start),
                format!("`{key}` must be {wanted}"),
            )
            .with_help(format!("`{key}` is {what}")),
        );
    }

    fn strings(&mut self, value: &Spanned<DeValue<'_>>, key: &str) -> Vec<(String, usize)> {
        let DeValue::Array(items) = value.get_ref() else {
            self.type_error(value, key, "a list of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), item.span().start)),
                _ => self.type_error(item, key, "a list of strings"),
            }
        }
        out
    }

    /// Paths relative to the project's directory, which they must stay in.
    fn paths(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        dir_absolute: &Path,
        dir: &Path,
    ) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for (written, at) in self.strings(value, key) {
            let path = Path::new(&written);
            match inside(dir_absolute, path) {
                Ok(()) => {}
                Err(why) => {
                    let (code, message, help) = match why {
                        Outside::Missing => (
                            Code::ConfigPathMissing,
                            format!("`{key}` names `{written}`, which does not exist"),
                            "paths in parity.toml are relative to it",
                        ),
                        Outside::Escapes => (
                            Code::ConfigPathOutside,
                            format!(
                                "`{key}` names `{written}`, which is outside the project's directory"
                            ),
                            "paths in parity.toml are relative to it and stay below it (no `..`, no absolute path, no link out); name other paths on the command line",
                        ),
                    };
                    self.diagnostics.push(
                        Diagnostic::new(code, self.name, Span::new(at, at), message)
                            .with_width(written.chars().count() + 2)
                            .with_help(help),
                    );
                    continue;
                }
            }
            let joined = normalize(&dir.join(path));
            out.push(if joined.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                joined
            });
        }
        out
    }

    fn globs(&mut self, value: &Spanned<DeValue<'_>>, dir_absolute: &Path) -> Option<Exclude> {
        let mut builder = globset::GlobSetBuilder::new();
        for (written, at) in self.strings(value, "exclude") {
            // `drafts/` means the directory and everything in it, as in .gitignore.
            let pattern = written.trim_end_matches('/');
            match globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
            {
                Ok(glob) => {
                    builder.add(glob);
                    if let Ok(below) = globset::Glob::new(&format!("{pattern}/**")) {
                        builder.add(below);
                    }
                }
                Err(error) => self.diagnostics.push(
                    Diagnostic::new(
                        Code::ConfigValue,
                        self.name,
                        Span::new(at, at),
                        format!("`exclude` has a glob that does not parse: {}", error.kind()),
                    )
                    .with_width(written.chars().count() + 2),
                ),
            }
        }
        builder.build().ok().map(|globs| Exclude {
            base: dir_absolute.to_path_buf(),
            globs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_the_working_directory() {
        assert_eq!(
            from_cwd(Path::new("/a/b"), Path::new("/a/b")),
            PathBuf::new()
        );
        assert_eq!(
            from_cwd(Path::new("/a"), Path::new("/a/b/c")),
            PathBuf::from("../..")
        );
        assert_eq!(
            from_cwd(Path::new("/x"), Path::new("/a")),
            PathBuf::from("/x")
        );
    }
}
