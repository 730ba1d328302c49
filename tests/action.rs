//! The GitHub Action (`action.yml`): its rules, read from the file itself.
//!
//! - No `run:` script contains `${{`: the runner pastes an expression into
//!   the script text before bash reads it, so an input would run as code.
//!   Inputs reach the scripts only through `env:`.
//! - An empty input passes no flag, so `parity.toml` decides.
//! - parity is installed with `cargo install --locked`; Rust only if missing.
//! - The SARIF upload runs with `always()` and only when a report exists; the
//!   job's verdict is parity's exit code.
//! - The paths are split into an array and only ever expanded quoted.
//!
//! Every script must parse with `bash -n`. The check and verdict scripts are
//! also run, against a stand-in `parity` that records its arguments, to see
//! the inputs arrive as literal arguments (skipped, with a message, when
//! bash is absent).

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `action.yml`, parsed.
fn action() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_saphyr::from_str::<Value>(&text).unwrap_or_else(|e| panic!("action.yml: {e}"))
}

fn steps(action: &Value) -> &[Value] {
    action["runs"]["steps"]
        .as_array()
        .expect("runs.steps is a list")
}

/// A step's display name, for messages.
fn name(step: &Value) -> &str {
    step["name"].as_str().unwrap_or("(unnamed step)")
}

/// The steps with a `run:` script, with their scripts.
fn scripts(action: &Value) -> Vec<(&Value, &str)> {
    steps(action)
        .iter()
        .filter_map(|step| step["run"].as_str().map(|run| (step, run)))
        .collect()
}

/// The step with this `id:`.
fn step_by_id<'a>(action: &'a Value, id: &str) -> &'a Value {
    steps(action)
        .iter()
        .find(|step| step["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no step with id `{id}`"))
}

/// The declared inputs, by name.
fn inputs(action: &Value) -> &serde_json::Map<String, Value> {
    action["inputs"].as_object().expect("inputs is a mapping")
}

/// A step's `env:`, as name → value.
fn env(step: &Value) -> BTreeMap<&str, &str> {
    step["env"]
        .as_object()
        .map(|env| {
            env.iter()
                .map(|(k, v)| (k.as_str(), v.as_str().expect("env values are strings")))
                .collect()
        })
        .unwrap_or_default()
}

/// The inner text of an expression `${{ ... }}`, or None when `value` is not
/// exactly one.
fn expression(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("${{")?.strip_suffix("}}")?;
    (!inner.contains("${{")).then(|| inner.trim())
}

/// Whether the script expands the shell variable `var` (`$var` or `${var...`).
fn expands(script: &str, var: &str) -> bool {
    occurrences(script, var).next().is_some()
}

/// Byte offsets of each `$` that starts an expansion of `var`.
fn occurrences<'a>(script: &'a str, var: &'a str) -> impl Iterator<Item = usize> + 'a {
    script.match_indices('$').filter_map(move |(at, _)| {
        let rest = &script[at + 1..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        let after = rest.strip_prefix(var)?;
        let boundary = after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        boundary.then_some(at)
    })
}

/// The shell variables named `PARITY_*` that a script expands.
fn parity_variables(script: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for (at, _) in script.match_indices('$') {
        let rest = &script[at + 1..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        if rest.starts_with("PARITY_") {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            found.push(&rest[..end]);
        }
    }
    found
}

/// The shell words of a script, roughly: runs of letters, digits, `_` and `-`.
fn words(script: &str) -> impl Iterator<Item = &str> {
    script
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
}

#[test]
fn is_a_composite_action_of_bash_steps() {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    for (step, script) in scripts(&action) {
        assert_eq!(step["shell"], "bash", "step `{}`: shell", name(step));
        assert!(
            script.trim_start().starts_with("set -euo pipefail"),
            "step `{}` must start with `set -euo pipefail`",
            name(step)
        );
    }
}

#[test]
fn no_run_script_contains_an_expression() {
    let action = action();
    let scripts = scripts(&action);
    assert!(scripts.len() >= 3, "install, check and verdict scripts");
    for (step, script) in scripts {
        assert!(
            !script.contains("${{"),
            "step `{}`: `${{{{` inside `run:` is pasted into the script as code; pass the value through `env:`",
            name(step)
        );
    }
}

#[test]
fn inputs_reach_scripts_only_through_env() {
    let action = action();
    let declared = inputs(&action);
    let mut used = BTreeMap::<&str, Vec<String>>::new();
    for step in steps(&action) {
        // `env:` of a run step: each value that reads an input is exactly
        // `${{ inputs.NAME }}`, and the script reads that variable.
        for (var, value) in env(step) {
            if !value.contains("inputs.") {
                continue;
            }
            let inner = expression(value).unwrap_or_else(|| {
                panic!(
                    "step `{}`: env {var} = {value:?}: one expression, nothing around it",
                    name(step)
                )
            });
            let input = inner
                .strip_prefix("inputs.")
                .unwrap_or_else(|| panic!("step `{}`: env {var} = {value:?}", name(step)));
            assert!(
                declared.contains_key(input),
                "step `{}`: env {var} reads an undeclared input `{input}`",
                name(step)
            );
            let script = step["run"].as_str().unwrap_or_else(|| {
                panic!(
                    "step `{}`: env {var} on a step without a script",
                    name(step)
                )
            });
            assert!(
                expands(script, var),
                "step `{}`: env {var} is never read by the script",
                name(step)
            );
            used.entry(input)
                .or_default()
                .push(format!("env {var} of `{}`", name(step)));
        }
        // Elsewhere (`if:`, `with:` of a `uses:` step) the runner evaluates
        // expressions itself; that is where they belong.
        let mut elsewhere = vec![step["if"].as_str().unwrap_or("")];
        if let Some(with) = step["with"].as_object() {
            elsewhere.extend(with.values().filter_map(Value::as_str));
        }
        for text in elsewhere {
            for input in declared.keys() {
                if text.contains(&format!("inputs.{input}")) {
                    used.entry(input.as_str())
                        .or_default()
                        .push(format!("`{}`", name(step)));
                }
            }
        }
    }
    for input in declared.keys() {
        assert!(
            used.contains_key(input.as_str()),
            "input `{input}` is declared but never used"
        );
    }

    for (step, script) in scripts(&action) {
        // Composite actions do not set INPUT_* variables (JavaScript and
        // Docker actions do): a script reading one would always see nothing.
        assert!(
            !script.contains("INPUT_"),
            "step `{}` reads an INPUT_* variable",
            name(step)
        );
        // Every PARITY_* the script reads is set by the step (`set -u` would
        // stop on a misspelt one, but only on a runner).
        let env = env(step);
        for var in parity_variables(script) {
            assert!(
                env.contains_key(var),
                "step `{}` reads ${var}, which its env: does not set",
                name(step)
            );
        }
    }

    // The check step gets every input it acts on.
    let check = env(step_by_id(&action, "check"));
    let passed: Vec<&str> = check
        .values()
        .filter_map(|v| expression(v)?.strip_prefix("inputs."))
        .collect();
    for input in ["paths", "rules", "fail-on", "as-of"] {
        assert!(
            passed.contains(&input),
            "the check step's env: lacks input `{input}`"
        );
    }
}

#[test]
fn empty_inputs_leave_it_to_parity_toml() {
    // A flag on the command line would override parity.toml; with no path,
    // parity takes parity.toml's `paths` or the repository root.
    let action = action();
    let declared = inputs(&action);
    for input in ["paths", "rules", "fail-on", "as-of"] {
        assert_eq!(
            declared[input]["default"], "",
            "input `{input}` defaults to empty"
        );
    }
}

#[test]
fn installs_rust_if_missing_then_parity_with_locked() {
    let action = action();
    let scripts = scripts(&action);
    let position = |needle: &str| {
        scripts
            .iter()
            .position(|(_, script)| script.contains(needle))
            .unwrap_or_else(|| panic!("no step runs `{needle}`"))
    };
    let install = position("cargo install");
    let script = scripts[install].1;
    assert!(
        script.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""),
        "parity is built from the action's own source with its Cargo.lock:\n{script}"
    );
    assert!(
        script.contains("--root \"$RUNNER_TEMP/parity\""),
        "installed outside the workspace:\n{script}"
    );

    let rust = position("sh.rustup.rs");
    assert!(rust < install, "Rust is installed before parity");
    let script = scripts[rust].1;
    assert!(
        script.contains("cargo --version"),
        "Rust is installed only when cargo does not run"
    );
    assert!(
        script.contains("--profile minimal") && script.contains("stable"),
        "a minimal stable toolchain"
    );
    assert!(
        script.contains("--proto '=https'"),
        "the installer is fetched over https only"
    );
}

#[test]
fn sarif_upload_runs_always_and_only_with_a_report() {
    let action = action();
    let steps = steps(&action);
    let upload = steps
        .iter()
        .position(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("a step uploads the SARIF");
    let condition = steps[upload]["if"]
        .as_str()
        .expect("the upload has an `if:`");
    assert!(
        condition.contains("always()"),
        "the upload runs even when findings fail the job: {condition}"
    );
    assert!(
        condition.contains("steps.check.outputs.sarif != ''"),
        "the upload runs only when the check wrote a report: {condition}"
    );
    assert_eq!(
        steps[upload]["with"]["sarif_file"],
        "${{ steps.check.outputs.sarif }}"
    );

    let check_at = steps.iter().position(|s| s["id"] == "check").unwrap();
    assert!(check_at < upload, "the check runs before the upload");
    let check = steps[check_at]["run"].as_str().unwrap();
    assert!(check.contains("--format=sarif") && check.contains("--format=github"));
    assert!(check.contains(r#"echo "sarif=$sarif" >> "$GITHUB_OUTPUT""#));
    assert!(
        check.contains("if [ -s \"$sarif\" ]"),
        "the report's path is an output only if it was written"
    );

    // The verdict comes after the upload, and also runs when the upload failed.
    let verdict = steps
        .iter()
        .position(|step| {
            env(step)
                .values()
                .any(|v| v.contains("steps.check.outputs.exit-code"))
        })
        .expect("a step turns the exit code into the verdict");
    assert!(verdict > upload, "the verdict comes after the upload");
    let condition = steps[verdict]["if"].as_str().unwrap_or("");
    assert!(
        condition.contains("always()"),
        "the verdict is not hidden by a failed upload: {condition}"
    );
}

#[test]
fn check_step_keeps_paths_in_an_array() {
    let action = action();
    let step = step_by_id(&action, "check");
    let script = step["run"].as_str().unwrap();
    let var = env(step)
        .into_iter()
        .find(|(_, v)| expression(v) == Some("inputs.paths"))
        .map(|(k, _)| k)
        .expect("the paths input is in the check step's env:");

    assert!(script.contains("set -f"), "globbing is off");
    assert!(
        script.contains(&format!("read -r -d '' -a paths <<<\"${var}\"")),
        "the paths are split into an array by `read -a`:\n{script}"
    );
    for at in occurrences(script, var) {
        assert!(
            at > 0 && script.as_bytes()[at - 1] == b'"',
            "${var} is expanded unquoted at byte {at}:\n{script}"
        );
    }
    for (at, _) in script.match_indices("${paths[") {
        assert!(
            at > 0 && script.as_bytes()[at - 1] == b'"',
            "the paths array is expanded unquoted at byte {at}:\n{script}"
        );
    }
    assert!(
        script.contains("-- \"${paths[@]}\""),
        "the paths follow `--`"
    );
    for (step, script) in scripts(&action) {
        assert!(
            !words(script).any(|w| w == "eval"),
            "step `{}` uses eval",
            name(step)
        );
    }
}

/// Whether bash runs here; prints why a test is skipped when it does not.
fn have_bash(test: &str) -> bool {
    let ok = Command::new("bash")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!("{test}: skipped, bash is not installed");
    }
    ok
}

/// A fresh, empty directory under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("parity-action-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn scripts_parse_with_bash_n() {
    if !have_bash("scripts_parse_with_bash_n") {
        return;
    }
    let action = action();
    let dir = scratch("syntax");
    for (i, (step, script)) in scripts(&action).into_iter().enumerate() {
        let file = dir.join(format!("step-{i}.sh"));
        std::fs::write(&file, script).unwrap();
        let out = Command::new("bash").arg("-n").arg(&file).output().unwrap();
        assert!(
            out.status.success(),
            "step `{}` does not parse:\n{}",
            name(step),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
/// Runs one step's script as the runner would (`bash --noprofile --norc -eo
/// pipefail FILE`), with its `env:` evaluated from `with` (else the inputs'
/// defaults) and `outputs` (the check step's), in `dir`. Returns the exit
/// code and the outputs the step wrote.
fn run_step(
    action: &Value,
    step: &Value,
    dir: &Path,
    with: &BTreeMap<&str, &str>,
    outputs: &BTreeMap<String, String>,
    extra_env: &[(&str, &str)],
) -> (i32, BTreeMap<String, String>) {
    let temp = dir.join("runner-temp");
    let script = dir.join("step.sh");
    let output_file = dir.join("github-output");
    std::fs::write(&script, step["run"].as_str().unwrap()).unwrap();
    std::fs::write(&output_file, "").unwrap();

    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .current_dir(dir)
        .env("RUNNER_TEMP", &temp)
        .env("GITHUB_OUTPUT", &output_file)
        .env("GITHUB_PATH", dir.join("github-path"));
    for (var, value) in env(step) {
        let inner = expression(value).unwrap_or_else(|| panic!("env {var} = {value:?}"));
        let value = if let Some(input) = inner.strip_prefix("inputs.") {
            with.get(input).map(|v| (*v).to_owned()).unwrap_or_else(|| {
                inputs(action)[input]["default"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
        } else if let Some(output) = inner.strip_prefix("steps.check.outputs.") {
            outputs.get(output).cloned().unwrap_or_default()
        } else {
            panic!("env {var} = {value:?}: an expression this test does not evaluate")
        };
        command.env(var, value);
    }
    command.envs(extra_env.iter().copied());
    let out = command.output().unwrap();
    let written = std::fs::read_to_string(&output_file).unwrap();
    let outputs = written
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let code = out.status.code().unwrap_or(-1);
    if code != 0 && code != 1 {
        println!(
            "stderr of `{}`:\n{}",
            name(step),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (code, outputs)
}

/// A directory with a stand-in `parity` at `RUNNER_TEMP/parity/bin/parity`
/// that appends its arguments (one a line, after a `--- run` line) to
/// `$FAKE_LOG`, writes `{}` to its `--output=` file unless `$FAKE_NO_OUTPUT`
/// is set, and exits `$FAKE_EXIT`. Also two YAML files, for a `*` to match if
/// it were globbed.
#[cfg(unix)]
fn fake_runner(name: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch(name);
    let bin = dir.join("runner-temp/parity/bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("parity");
    std::fs::write(
        &fake,
        r#"#!/bin/sh
{ echo "--- run"; for a in "$@"; do printf '%s\n' "$a"; done; } >> "$FAKE_LOG"
if [ -z "${FAKE_NO_OUTPUT:-}" ]; then
  for a in "$@"; do case "$a" in --output=*) printf '{}' > "${a#--output=}" ;; esac; done
fi
exit "${FAKE_EXIT:-0}"
"#,
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.join("a.yaml"), "scenario: a\n").unwrap();
    std::fs::write(dir.join("b.yaml"), "scenario: b\n").unwrap();
    dir
}

#[cfg(unix)]
/// The argument lists of each run the stand-in recorded.
fn recorded_runs(log: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        if line == "--- run" {
            runs.push(Vec::new());
        } else {
            runs.last_mut()
                .expect("a run line first")
                .push(line.to_owned());
        }
    }
    runs
}

#[cfg(unix)]
#[test]
fn check_step_passes_inputs_as_literal_arguments() {
    if !have_bash("check_step_passes_inputs_as_literal_arguments") {
        return;
    }
    let action = action();
    let check = step_by_id(&action, "check");
    let dir = fake_runner("literal");
    let log = dir.join("log");
    let log_str = log.to_str().unwrap();
    let sarif = dir.join("runner-temp/parity.sarif");
    let sarif_arg = format!("--output={}", sarif.display());

    // Every input empty (the defaults): no flag, no path; parity.toml decides.
    let (code, outputs) = run_step(
        &action,
        check,
        &dir,
        &BTreeMap::new(),
        &BTreeMap::new(),
        &[("FAKE_LOG", log_str)],
    );
    assert_eq!(code, 0);
    assert_eq!(
        recorded_runs(&log),
        [
            vec![
                "check".to_owned(),
                "--format=sarif".to_owned(),
                sarif_arg.clone()
            ],
            vec!["check".to_owned(), "--format=github".to_owned()],
        ]
    );
    assert_eq!(outputs["exit-code"], "0");
    assert_eq!(outputs["sarif"], sarif.display().to_string());

    // Hostile paths: globs, command substitutions, options, CR/LF and tabs.
    std::fs::remove_file(&log).unwrap();
    let with = BTreeMap::from([
        (
            "paths",
            "scenarios/kabul.yaml  *\n\t-x\r\n$(touch pwned) `touch pwned2`;rm\n",
        ),
        ("rules", "rules/ extra.rules"),
        ("fail-on", "warning"),
        ("as-of", "2024-09-27"),
    ]);
    let (code, _) = run_step(
        &action,
        check,
        &dir,
        &with,
        &BTreeMap::new(),
        &[("FAKE_LOG", log_str)],
    );
    assert_eq!(code, 0);
    let options = [
        "--rules=rules/",
        "--rules=extra.rules",
        "--fail-on=warning",
        "--as-of=2024-09-27",
    ];
    let paths = [
        "scenarios/kabul.yaml",
        "*",
        "-x",
        "$(touch",
        "pwned)",
        "`touch",
        "pwned2`;rm",
    ];
    let expect = |format: &[&str]| -> Vec<String> {
        let mut args = vec!["check"];
        args.extend(format);
        args.extend(options);
        args.push("--");
        args.extend(paths);
        args.into_iter().map(str::to_owned).collect()
    };
    assert_eq!(
        recorded_runs(&log),
        [
            expect(&["--format=sarif", &sarif_arg]),
            expect(&["--format=github"])
        ]
    );
    assert!(
        !dir.join("pwned").exists() && !dir.join("pwned2").exists(),
        "nothing in an input ran"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn the_verdict_is_parity_exit_code_and_the_report_is_kept() {
    if !have_bash("the_verdict_is_parity_exit_code_and_the_report_is_kept") {
        return;
    }
    let action = action();
    let check = step_by_id(&action, "check");
    let verdict = steps(&action)
        .iter()
        .find(|step| {
            env(step)
                .values()
                .any(|v| v.contains("steps.check.outputs.exit-code"))
        })
        .unwrap();
    let dir = fake_runner("verdict");
    let log = dir.join("log");
    let log_str = log.to_str().unwrap();
    let none = BTreeMap::new();
    let no_outputs = BTreeMap::new();

    for parity_exit in ["0", "1", "2"] {
        let (code, outputs) = run_step(
            &action,
            check,
            &dir,
            &none,
            &no_outputs,
            &[("FAKE_LOG", log_str), ("FAKE_EXIT", parity_exit)],
        );
        assert_eq!(
            code, 0,
            "the check step records the verdict and succeeds, so the upload sees its outputs"
        );
        assert_eq!(outputs["exit-code"], parity_exit);
        assert!(
            outputs.contains_key("sarif"),
            "the report is uploaded whatever the verdict"
        );
        let (code, _) = run_step(&action, verdict, &dir, &none, &outputs, &[]);
        assert_eq!(
            code.to_string(),
            parity_exit,
            "the job fails with parity's exit code"
        );
    }

    // No report written (e.g. parity could not start): no `sarif` output, so
    // the upload is skipped instead of failing on a missing file.
    let (_, outputs) = run_step(
        &action,
        check,
        &dir,
        &none,
        &no_outputs,
        &[
            ("FAKE_LOG", log_str),
            ("FAKE_EXIT", "2"),
            ("FAKE_NO_OUTPUT", "1"),
        ],
    );
    assert_eq!(outputs["exit-code"], "2");
    assert!(
        !outputs.contains_key("sarif"),
        "no report, no path: {outputs:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every `run:` string anywhere in a YAML value, with its path for messages.
fn run_strings<'a>(value: &'a Value, path: String, found: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = format!("{path}.{key}");
                match (key.as_str(), value) {
                    ("run", Value::String(script)) => found.push((path, script)),
                    _ => run_strings(value, path, found),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                run_strings(item, format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn workflows_in_docs_ci_md_parse_and_keep_expressions_out_of_run() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut blocks = 0;
    let mut rest = text.as_str();
    while let Some(start) = rest.find("```yaml\n") {
        let body = &rest[start + "```yaml\n".len()..];
        let end = body.find("```").expect("a closed code block");
        let yaml = &body[..end];
        rest = &body[end + 3..];
        blocks += 1;
        let value = serde_saphyr::from_str::<Value>(yaml).unwrap_or_else(|e| {
            panic!("docs/ci.md, YAML block {blocks} does not parse: {e}\n{yaml}")
        });
        let mut runs = Vec::new();
        run_strings(&value, String::new(), &mut runs);
        for (at, script) in runs {
            assert!(
                !script.contains("${{"),
                "docs/ci.md, YAML block {blocks}, {at}: an expression inside `run:`; use `env:`\n{script}"
            );
        }
    }
    assert!(
        blocks >= 3,
        "docs/ci.md shows the workflows as ```yaml blocks"
    );
}
