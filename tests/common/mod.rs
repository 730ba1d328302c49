//! What the process-level tests share: running the `parity` binary in a
//! scratch directory and asserting on its exit status and streams.
//!
//! Each test binary uses only part of it, hence `dead_code` is allowed.

#![allow(dead_code, clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The outcome of one run of the binary.
pub struct Run {
    pub args: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(args: &[&str], output: Output) -> Run {
        Run {
            args: args.join(" "),
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Asserts the exit code, showing both streams when it is wrong.
    pub fn exits(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "parity {}: wrong exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.args,
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "parity {}: stdout lacks {needle:?}\n--- stdout\n{}",
            self.args,
            self.stdout
        );
        self
    }

    pub fn stdout_lacks(&self, needle: &str) -> &Run {
        assert!(
            !self.stdout.contains(needle),
            "parity {}: stdout has {needle:?}\n--- stdout\n{}",
            self.args,
            self.stdout
        );
        self
    }

    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "parity {}: stderr lacks {needle:?}\n--- stderr\n{}",
            self.args,
            self.stderr
        );
        self
    }

    pub fn stderr_lacks(&self, needle: &str) -> &Run {
        assert!(
            !self.stderr.contains(needle),
            "parity {}: stderr has {needle:?}\n--- stderr\n{}",
            self.args,
            self.stderr
        );
        self
    }

    pub fn stdout_empty(&self) -> &Run {
        assert!(
            self.stdout.is_empty(),
            "parity {}: expected nothing on stdout\n--- stdout\n{}",
            self.args,
            self.stdout
        );
        self
    }

    pub fn stderr_empty(&self) -> &Run {
        assert!(
            self.stderr.is_empty(),
            "parity {}: expected nothing on stderr\n--- stderr\n{}",
            self.args,
            self.stderr
        );
        self
    }

    /// Stdout parsed as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "parity {}: stdout is not JSON: {e}\n{}",
                self.args, self.stdout
            )
        })
    }
}

/// Runs `parity` in `dir`.
pub fn parity_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_parity"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the parity binary runs");
    Run::from(args, output)
}

/// A fresh, empty directory under the system's temporary directory, with an
/// empty project file so that none above it is read.
pub fn scratch(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "parity-{}-{}-{n}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    write(
        &dir,
        "parity.toml",
        "# synthetic, empty: stops the search for a project file here\n",
    );
    dir
}

/// Writes `text` to `dir/name`, creating directories as needed.
pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
}

/// Compares the committed file `path` with `want`, generated from `source`;
/// rewrites it under `PARITY_BLESS=1` (the one regenerate switch). On drift,
/// names the first line that differs and the command that regenerates.
pub fn agrees(path: &str, want: &str, source: &str) {
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have == want {
        return;
    }
    if std::env::var_os("PARITY_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, want).unwrap();
        return;
    }
    let line = have
        .lines()
        .zip(want.lines())
        .position(|(a, b)| a != b)
        .map_or(have.lines().count().min(want.lines().count()), |i| i);
    panic!(
        "{path} differs from {source} from line {}:\n  committed: {:?}\n  generated: {:?}\n\
         run `PARITY_BLESS=1 cargo test --test {}` to regenerate it",
        line + 1,
        have.lines().nth(line),
        want.lines().nth(line),
        env!("CARGO_CRATE_NAME")
    );
}

/// A diagnostic and the line and column of its place in the text it was
/// made from, as a renderer locates it (a diagnostic carries a span).
#[derive(Debug)]
pub struct Shown {
    pub diagnostic: parity::diag::Diagnostic,
    pub loc: parity::diag::Loc,
}

impl Shown {
    pub fn new(diagnostic: parity::diag::Diagnostic, text: &str) -> Shown {
        Shown {
            loc: diagnostic.loc_in(text),
            diagnostic,
        }
    }
}

impl std::ops::Deref for Shown {
    type Target = parity::diag::Diagnostic;
    fn deref(&self) -> &parity::diag::Diagnostic {
        &self.diagnostic
    }
}
