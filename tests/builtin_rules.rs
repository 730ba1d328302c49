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
