//! The I/O boundary on arbitrary bytes: decoding, the scenario sniffer, and
//! the project file with the walk it drives.
//!
//! 1. `io::read::decode_utf8` on the raw input must agree with `str::from_utf8`
//!    (text back unchanged, or `NotUtf8` at the first invalid byte's line and
//!    column, counted from 1); the decoded text goes to `is_scenario_text`.
//! 2. The input is written as `parity.toml` into a fixed project tree in a
//!    per-process scratch directory (created once), and `config::load` reads
//!    it. Every diagnostic is located at line ≥ 1, column ≥ 1, has a width
//!    ≥ 1, and is rendered against the text that was read. When the file
//!    loads, its `paths` (else the project's directory) are walked with its
//!    `exclude` for scenarios, and its `rules` for rule files, as `parity
//!    check` does; every file found must lie inside the project directory
//!    (resolved through links), be listed once, in name order; each is then
//!    read (bounded) and sniffed as the CLI does.
//!
//! The tree holds what a hostile repository would: a scenario, a
//! subdirectory, a link loop `loop -> .`, a link to a directory outside the
//! project (`escape -> ../outside`), links to a file inside and outside, and
//! a hidden directory. Nothing in it changes between executions, and the
//! working directory is never changed, so an input always does the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity::config;
use parity::io::discover::{Purpose, Root, discover, is_scenario_text, normalize};
use parity::io::read::{Trust, decode_utf8, read_file};
use parity::io::{Found, Sources};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Files of the fixed tree, relative to the scratch directory.
const FILES: &[(&str, &str)] = &[
    ("project/a.yaml", "scenario: fuzz\nas_of: 2024-01-01\n"),
    ("project/workflow.yml", "on: push\njobs: {}\n"),
    ("project/sub/b.yaml", "{scenario: nested}\n"),
    ("project/sub/c.test.yaml", "tests: []\n"),
    ("project/sub/policy.rules", "# no rules\n"),
    ("project/.hidden/h.yaml", "scenario: hidden\n"),
    ("outside/x.yaml", "scenario: outside\n"),
    ("outside/deep/y.yaml", "scenario: deep outside\n"),
    ("outside/z.rules", "# outside\n"),
];

/// Symbolic links of the fixed tree: (link, target as written).
const LINKS: &[(&str, &str)] = &[
    ("project/loop", "."),
    ("project/escape", "../outside"),
    ("project/inner.yaml", "sub/b.yaml"),
    ("project/out.yaml", "../outside/x.yaml"),
];

/// The largest file the target reads back (the tree's files are tiny).
const READ_LIMIT: usize = 4096;

struct Scratch {
    /// The project directory (holding `parity.toml`), resolved.
    project: PathBuf,
    /// `project/parity.toml`.
    file: PathBuf,
}

fn scratch() -> &'static Scratch {
    static SCRATCH: OnceLock<Scratch> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let root = std::env::temp_dir().join(format!(
            "parity-fuzz-discover-config-{}",
            std::process::id()
        ));
        // A directory left by an earlier process of the same id.
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in FILES {
            let path = root.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("create the scratch tree");
            }
            std::fs::write(&path, text).expect("write the scratch tree");
        }
        for (link, target) in LINKS {
            std::os::unix::fs::symlink(target, root.join(link)).expect("link in the scratch tree");
        }
        let project = std::fs::canonicalize(root.join("project")).expect("resolve the project");
        let file = project.join(config::FILE_NAME);
        Scratch { project, file }
    })
}

/// Part 1: `decode` against the standard library.
fn decode_agrees(data: &[u8]) {
    match (decode_utf8(data.to_vec(), "input"), std::str::from_utf8(data)) {
        (Ok(text), Ok(expected)) => {
            assert_eq!(text, expected, "decode changed valid UTF-8");
            let _ = is_scenario_text(&text);
        }
        (Err(diagnostic), Err(_)) if data.starts_with(&[0xff, 0xfe]) || data.starts_with(&[0xfe, 0xff]) => {
            // UTF-16 is told as such, at the start.
            assert_eq!(diagnostic.code, "invalid-utf8");
            // Told at the start of the file: its first byte, nothing kept apart.
            assert_eq!(diagnostic.span.start(), 0);
            assert!(diagnostic.unplaced.is_none_or(|loc| (loc.line, loc.column) == (1, 1)));
        }
        (Err(diagnostic), Err(error)) => {
            assert_eq!(diagnostic.code, "invalid-utf8");
            let loc = diagnostic.unplaced.expect("a decoding error keeps its line and column");
            assert!(loc.line >= 1 && loc.column >= 1, "NotUtf8 at {loc:?}");
            // Where the first invalid byte is: its line, and the characters
            // of the valid text before it on that line.
            let before = std::str::from_utf8(&data[..error.valid_up_to()]).unwrap_or("");
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            assert_eq!(
                (loc.line as usize, loc.column as usize),
                (line, column),
                "NotUtf8 is not at the first invalid byte"
            );
        }
        (Ok(_), Err(error)) => panic!("decode accepts what from_utf8 rejects: {error}"),
        (Err(error), Ok(_)) => panic!("decode rejects valid UTF-8: {error:?}"),
    }
}

fn check_diagnostics(diagnostics: &[parity::diag::Diagnostic], sources: &Sources) {
    for d in diagnostics {
        // Every place is found in the text read (or kept as reported).
        let loc = sources.loc_of(d);
        assert!(
            loc.line >= 1 && loc.column >= 1,
            "diagnostic {} at {}:{}: {}",
            d.code,
            loc.line,
            loc.column,
            d.message
        );
        assert!(
            d.width >= 1,
            "diagnostic {} of width 0: {}",
            d.code,
            d.message
        );
        let _ = d.render(sources.text_of(&d.file));
    }
}

/// Whether `path` lies inside `project`: resolved through every link when it
/// exists, else as written (a path that does not exist reads nothing).
fn inside(path: &Path, project: &Path) -> Result<(), String> {
    let absolute = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (resolved, how) = match std::fs::canonicalize(&absolute) {
        Ok(real) => (real, "resolved"),
        Err(_) => (normalize(&absolute), "as written, it does not resolve"),
    };
    if resolved.starts_with(project) {
        Ok(())
    } else {
        Err(format!(
            "{} ({how}: {}) is outside {}",
            path.display(),
            resolved.display(),
            project.display()
        ))
    }
}

/// What a walk found obeys `discover`'s contract.
fn check_found(files: &[Found], project: &Path, what: &str) {
    let mut seen = std::collections::HashMap::new();
    for pair in files.windows(2) {
        assert!(
            pair[0].name <= pair[1].name,
            "{what}: not in name order: {} before {}",
            pair[0].name,
            pair[1].name
        );
    }
    for found in files {
        if let Err(outside) = inside(&found.path, project) {
            panic!(
                "{what}: found a file outside the project: {outside} (named {})",
                found.name
            );
        }
        if let Ok(metadata) = std::fs::metadata(&found.path)
            && let Some(earlier) = seen.insert((metadata.dev(), metadata.ino()), &found.name)
        {
            panic!(
                "{what}: one file found twice, as {earlier} and {}",
                found.name
            );
        }
    }
}

/// Reads what was found as `parity check` does: bounded, then sniffed.
fn read_all(files: &[Found], sources: &mut Sources) {
    for found in files {
        match read_file(&found.path, &found.name, found.trust, READ_LIMIT) {
            Ok(source) => {
                if found.walked {
                    let _ = is_scenario_text(source.text());
                }
                sources.add(source);
            }
            Err(error) => {
                let diagnostic = error.diagnostic(&found.name);
                check_diagnostics(std::slice::from_ref(&diagnostic), sources);
            }
        }
    }
}

/// Part 2: the input as `parity.toml`, and the walk it asks for.
fn load_and_walk(data: &[u8]) {
    let scratch = scratch();
    std::fs::write(&scratch.file, data).expect("write parity.toml");
    let mut sources = Sources::default();
    let config = match config::load(&scratch.file, &mut sources) {
        Ok(config) => config,
        Err(diagnostics) => {
            assert!(
                !diagnostics.is_empty(),
                "config::load failed without a diagnostic"
            );
            check_diagnostics(&diagnostics, &sources);
            return;
        }
    };
    // As `parity check` with no path: the project's `paths`, else its directory.
    let roots: Vec<Root> = if config.paths.is_empty() {
        vec![Root {
            path: if config.dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                config.dir.clone()
            },
            trust: Trust::Named,
        }]
    } else {
        config
            .paths
            .iter()
            .map(|p| Root {
                path: p.clone(),
                trust: Trust::Found,
            })
            .collect()
    };
    let scenarios = discover(&roots, Purpose::Scenarios, config.exclude.as_ref());
    check_found(&scenarios.files, &scratch.project, "paths");
    read_all(&scenarios.files, &mut sources);
    // As `RuleSet::add_path` for each of `rules`: no exclude.
    for rules in &config.rules {
        let root = Root {
            path: rules.clone(),
            trust: Trust::Found,
        };
        let found = discover(std::slice::from_ref(&root), Purpose::Rules, None);
        check_found(&found.files, &scratch.project, "rules");
        read_all(&found.files, &mut sources);
    }
}

fuzz_target!(|data: &[u8]| {
    decode_agrees(data);
    load_and_walk(data);
});
