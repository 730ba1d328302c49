//! docs/diagnostics.md is generated from the diagnostic codes
//! (`src/diag/code.rs`): this fails when the committed file drifts from
//! them. `PARITY_BLESS=1 cargo test --test diagnostics` rewrites it. Also:
//! every code is emitted somewhere, and `parity explain CODE` and `--color`
//! behave.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::diag::Code;
use std::path::Path;
use std::process::Command;

mod common;

fn agrees(path: &str, want: &str) {
    common::agrees(path, want, "the diagnostic codes");
}

#[test]
fn the_diagnostics_docs_are_the_codes() {
    agrees("docs/diagnostics.md", &parity::diag::code::docs());
}

#[test]
fn every_code_has_a_section_in_the_docs() {
    let docs = parity::diag::code::docs();
    for code in Code::ALL {
        assert!(docs.contains(&format!("\n### `{code}`\n")), "{code}");
    }
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

/// A code no source names is documented for nothing: each variant is used
/// outside its declaration (and outside tests, roughly: before `mod tests`).
#[test]
fn every_code_is_emitted_somewhere() {
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    let code_rs = Path::new("src").join("diag").join("code.rs");
    let text: String = files
        .iter()
        .filter(|(path, _)| Path::new(path) != code_rs)
        .map(|(_, text)| text.split("\nmod tests {").next().unwrap_or_default())
        .collect();
    for code in Code::ALL {
        let variant = format!("Code::{code:?}");
        let used = text
            .match_indices(&variant)
            .any(|(at, _)| !text[at + variant.len()..].starts_with(|c: char| c.is_alphanumeric()));
        assert!(used, "{variant} ({code}) is emitted nowhere");
    }
}

fn parity(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_parity"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

#[test]
fn explain_prints_a_codes_summary_cause_and_fix() {
    let out = parity(&["--no-config", "explain", "unknown-key"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, Code::UnknownKey.explain());
    assert!(
        text.starts_with("unknown-key: A mapping has a key"),
        "{text}"
    );
    assert!(
        text.contains("\nCause:\n") && text.contains("\nFix:\n"),
        "{text}"
    );
}

#[test]
fn explain_of_an_unknown_id_suggests_rules_and_codes() {
    let out = parity(&["--no-config", "explain", "unknown-kye"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error[unknown-rule]: there is no rule `unknown-kye`; did you mean `unknown-key`?\n"
    );
}

#[test]
fn colour_is_never_written_to_a_pipe_by_default_nor_into_a_file() {
    let dir = std::env::temp_dir().join(format!("parity-colour-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "scenario: x\nas_of: 2024-01-01\nstaets: []\n").unwrap();
    let bad = bad.display().to_string();
    // Piped stderr, `auto`: plain.
    let out = parity(&["--no-config", "check", &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.contains(&0x1b), "{out:?}");
    // `always` colours errors, and `never` does not.
    let out = parity(&["--no-config", "--color", "always", "check", &bad]);
    assert!(
        out.stderr.starts_with(b"\x1b[1;31merror[unknown-key]"),
        "{out:?}"
    );
    let out = parity(&["--no-config", "--color", "never", "check", &bad]);
    assert!(out.stderr.starts_with(b"error[unknown-key]"), "{out:?}");
    // A report written with --output is never coloured.
    let report = dir.join("report.txt");
    let fixture = "fixtures/kabul-2024-09.yaml";
    let report_name = report.display().to_string();
    let out = parity(&[
        "--no-config",
        "--color",
        "always",
        "check",
        fixture,
        "-o",
        &report_name,
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let written = std::fs::read(&report).unwrap();
    assert!(written.starts_with(b"kabul-2024-09") && !written.contains(&0x1b));
    // The same report on standard output with `always`: coloured, and the
    // same bytes once the escapes are taken out.
    let out = parity(&["--no-config", "--color", "always", "check", fixture]);
    assert!(out.stdout.contains(&0x1b));
    assert_eq!(strip_ansi(&out.stdout), written);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `text` without its `ESC [ ... m` sequences.
fn strip_ansi(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i] == 0x1b {
            while i < text.len() && text[i] != b'm' {
                i += 1;
            }
        } else {
            out.push(text[i]);
        }
        i += 1;
    }
    out
}
