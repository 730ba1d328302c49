//! The findings parity reports itself are rules like any other to `parity
//! explain`: `expired-waiver`, `unused-waiver`, `claim`, `input-error`.

use std::process::Command;

fn explain(id: &str) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_parity"))
        .args(["--no-config", "explain", id])
        .output();
    match out {
        Ok(out) => (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ),
        Err(error) => (false, String::new(), error.to_string()),
    }
}

#[test]
fn explain_expired_waiver_prints_its_metadata() {
    let (ok, stdout, stderr) = explain("expired-waiver");
    assert!(ok, "{stderr}");
    assert!(
        stdout.starts_with("expired-waiver: Waiver expired\n\nseverity  warning\ncite      waivers in the scenario\n"),
        "{stdout}"
    );
    assert!(stdout.contains("passed its `until` date"), "{stdout}");
}

#[test]
fn every_builtin_finding_is_explained() {
    for id in ["unused-waiver", "claim", "input-error"] {
        let (ok, stdout, stderr) = explain(id);
        assert!(ok, "{id}: {stderr}");
        assert!(stdout.starts_with(&format!("{id}: ")), "{stdout}");
    }
}

/// `explain` lays a built-in's `about` out as it does a rule's: indented two
/// spaces and filled to 80 columns, each line as full as the next word allows.
#[test]
fn builtin_explanations_are_filled_to_eighty_columns() {
    for id in ["expired-waiver", "unused-waiver", "claim", "input-error"] {
        let (ok, stdout, stderr) = explain(id);
        assert!(ok, "{id}: {stderr}");
        let about: Vec<&str> = stdout
            .split("What it checks:\n\n")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .map(|paragraph| paragraph.lines().collect())
            .unwrap_or_default();
        assert!(!about.is_empty(), "{id}: no about paragraph in\n{stdout}");
        for (line, next) in about.iter().zip(about.iter().skip(1)) {
            assert!(line.starts_with("  "), "{id}: {line:?}");
            let width = line.chars().count();
            assert!(width <= 80, "{id}: {width} columns: {line:?}");
            let next_word = next.trim_start().split(' ').next().unwrap_or_default();
            assert!(
                width + 1 + next_word.chars().count() > 80,
                "{id}: `{next_word}` would have fitted on {line:?}"
            );
        }
        let last = about.last().map_or(0, |l| l.chars().count());
        assert!(last <= 80, "{id}: last line {last} columns");
    }
}
