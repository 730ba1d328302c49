//! parity on a repository it does not fully control (issue 9): what a walk
//! reads and passes over, special files and links, output that must never
//! destroy an input, failed writes, load errors in every format, standard
//! input and the project file. Every test asserts the exit code, what was
//! said and where, and that no input changed.
//!
//! The scenarios here are synthetic (made-up states AAA and BBB), except
//! where the bundled Kabul fixture is copied in.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::io::Write as _;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const SECRET: &str = "parity-test-secret-7d1f";

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs parity in `dir` with a deadline, so a hang fails the test instead
/// of stalling the suite.
fn parity_in(dir: &Path, args: &[&str]) -> Out {
    parity_with(dir, args, None)
}

fn parity_with(dir: &Path, args: &[&str], stdin: Option<&str>) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_parity"))
        .args(args)
        .current_dir(dir)
        .env("PARITY_SECRET", SECRET)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("parity {args:?} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let out = Out {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !out.stderr.contains("panicked"),
        "parity panicked: {}",
        out.stderr
    );
    assert!(
        !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
        "the environment leaked into the output"
    );
    out
}

fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "parity-repo-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// A small clean scenario (synthetic).
fn clean(id: &str) -> String {
    format!(
        "scenario: {id}\nas_of: 2024-01-01\nstates:\n  - id: AAA\n    name: Aland\n  - id: BBB\n    name: Bland\n"
    )
}

fn json(out: &Out) -> serde_json::Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr))
}

/// The `file` of each entry of a JSON array report.
fn files(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|entry| entry["file"].as_str().unwrap().to_string())
        .collect()
}

/// A repository as CI sees it: a workflow, a compose file, installed
/// packages, build output, an ignored file, hidden directories, and links
/// planted by a hostile pull request.
fn hostile_repository() -> PathBuf {
    let dir = scratch("hostile");
    write(&dir, ".github/workflows/ci.yml", "on: push\njobs: {}\n");
    write(
        &dir,
        "docker-compose.yml",
        "services:\n  db:\n    image: postgres\n",
    );
    write(
        &dir,
        "node_modules/pkg/scenario.yaml",
        &clean("in-node-modules"),
    );
    write(&dir, "target/debug/scenario.yaml", &clean("in-target"));
    write(&dir, ".hidden/scenario.yaml", &clean("in-hidden"));
    write(&dir, ".gitignore", "ignored.yaml\n");
    write(&dir, "ignored.yaml", &clean("ignored"));
    write(&dir, "scenarios/a.yaml", &clean("a"));
    write(&dir, "scenarios/b.yml", &clean("b"));
    write(
        &dir,
        "rules/tests/x.test.yaml",
        "rule: rank-parity\ncases: []\n",
    );
    symlink("/proc/self/environ", dir.join("env.yaml")).unwrap();
    symlink(".", dir.join("loop")).unwrap();
    symlink("/", dir.join("root-link")).unwrap();
    symlink("/dev/zero", dir.join("zero.yaml")).unwrap();
    symlink("scenarios/a.yaml", dir.join("same-as-a.yaml")).unwrap();
    let status = Command::new("mkfifo")
        .arg(dir.join("fifo.yaml"))
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

#[test]
fn a_walk_reads_exactly_the_scenarios_and_passes_over_the_rest_saying_so() {
    let dir = hostile_repository();
    let out = parity_in(&dir, &["check", "--format", "json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        files(&json(&out)),
        ["scenarios/a.yaml", "scenarios/b.yml"],
        "{}",
        out.stderr
    );
    for said in [
        "skipped env.yaml: a symbolic link to a file outside the files walked",
        "skipped fifo.yaml: it is a FIFO, not a regular file",
        "skipped zero.yaml: a symbolic link to a device, not a regular file",
        "skipped root-link: a symbolic link to a directory outside",
    ] {
        assert!(
            out.stderr.contains(said),
            "stderr lacks {said:?}: {}",
            out.stderr
        );
    }
    // `.` named explicitly walks the same files.
    let dot = parity_in(&dir, &["check", ".", "--format", "json"]);
    assert_eq!(files(&json(&dot)), ["scenarios/a.yaml", "scenarios/b.yml"]);
}

#[test]
fn parity_test_walks_rule_tests_and_scenarios_only() {
    let dir = hostile_repository();
    let out = parity_in(&dir, &["test", "--format", "json"]);
    // The rule-test file has no cases and the scenarios no claims: nothing fails.
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(json(&out)["failed"], 0);
}

#[test]
fn a_link_inside_the_tree_is_read_once_under_its_real_name() {
    let dir = scratch("links");
    write(&dir, "s/a.yaml", &clean("a"));
    symlink("s/a.yaml", dir.join("alias.yaml")).unwrap();
    // A link into a hidden directory is not a way in.
    write(&dir, ".git/config.yaml", &clean("git"));
    symlink(".git/config.yaml", dir.join("git.yaml")).unwrap();
    let out = parity_in(&dir, &["check", "--format", "json"]);
    assert_eq!(files(&json(&out)), ["s/a.yaml"], "{}", out.stderr);
    assert!(out.stderr.contains("skipped git.yaml"), "{}", out.stderr);
    // Named twice, under two names: read once.
    let twice = parity_in(
        &dir,
        &["check", "s/a.yaml", "./s/a.yaml", "--format", "json"],
    );
    assert_eq!(files(&json(&twice)), ["s/a.yaml"]);
}

/// A shell glob (`parity check *.yaml`) names every link a pull request
/// plants: a named link is followed only to a file inside the working
/// directory or the link's own directory, and never into `.git`. The
/// caller's own descriptors (`/dev/stdin`) still work from anywhere.
#[test]
fn a_named_link_out_of_the_tree_is_refused_without_its_content() {
    let outside = scratch("outside");
    // Synthetic secret; `parity_with` fails the test if it is ever printed.
    write(&outside, "id_rsa", &format!("{SECRET}: [\n"));
    write(&outside, "elsewhere.yaml", &clean("elsewhere"));
    let dir = scratch("named-links");
    write(&dir, "s/a.yaml", &clean("a"));
    write(
        &dir,
        ".git/config",
        &format!("[http]\n  extraheader = {SECRET}\n"),
    );
    symlink("/proc/self/environ", dir.join("env.yaml")).unwrap();
    symlink(outside.join("id_rsa"), dir.join("key.yaml")).unwrap();
    symlink(".git/config", dir.join("git.yaml")).unwrap();
    symlink("s/a.yaml", dir.join("alias.yaml")).unwrap();
    symlink("a.yaml", dir.join("s/same-dir.yaml")).unwrap();
    let names = [
        "env.yaml",
        "key.yaml",
        "git.yaml",
        "alias.yaml",
        "s/same-dir.yaml",
    ];
    let out = parity_in(&dir, &[&["check", "--format", "json"][..], &names].concat());
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    for refused in ["env.yaml", "key.yaml", "git.yaml"] {
        assert!(
            out.stderr.contains(&format!(
                "error[not-a-file]: cannot read {refused}: it is a symbolic link to a file outside"
            )),
            "{refused}: {}",
            out.stderr
        );
    }
    assert!(
        out.stderr.contains("= help: name the file itself"),
        "{}",
        out.stderr
    );
    // The links inside are read, once (both name s/a.yaml).
    assert!(out.stdout.contains("\"scenario\": \"a\""), "{}", out.stdout);
    // The file itself, named, is the user's choice and is read.
    let direct = outside.join("elsewhere.yaml");
    let named = parity_in(&dir, &["check", direct.to_str().unwrap()]);
    assert_eq!(named.code, Some(0), "{}", named.stderr);
    // Standard input by its device name, from a file outside the tree.
    let text = std::fs::read_to_string(&direct).unwrap();
    let stdin = parity_with(&dir, &["check", "/dev/stdin"], Some(&text));
    assert_eq!(stdin.code, Some(0), "{}", stdin.stderr);
}

#[test]
fn a_named_special_file_is_read_only_up_to_the_limit() {
    let dir = scratch("zero");
    let out = parity_in(&dir, &["check", "/dev/zero", "--limit-file-bytes", "1000"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains(
            "error[file-too-large]: cannot read /dev/zero: it is more than the limit of 1000 bytes"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--> /dev/zero:1:1"), "{}", out.stderr);
}

#[test]
fn the_size_is_checked_before_reading() {
    let dir = scratch("size");
    write(
        &dir,
        "big.yaml",
        &format!("{}# {}\n", clean("big"), "x".repeat(5000)),
    );
    let out = parity_in(&dir, &["check", "big.yaml", "--limit-file-bytes", "100"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("error[file-too-large]: cannot read big.yaml: the file is 5099 bytes, more than the limit of 100 bytes"),
        "{}",
        out.stderr
    );
}

#[test]
fn output_onto_an_input_is_refused_by_any_name() {
    let dir = scratch("onto");
    let scenario = clean("s");
    write(&dir, "s.yaml", &scenario);
    symlink("s.yaml", dir.join("report.sarif")).unwrap();
    std::fs::hard_link(dir.join("s.yaml"), dir.join("hard.json")).unwrap();
    for target in ["s.yaml", "./s.yaml", "report.sarif", "hard.json"] {
        let out = parity_in(&dir, &["check", "s.yaml", "--output", target]);
        assert_eq!(out.code, Some(2), "--output {target}");
        assert!(
            out.stderr.contains(&format!(
                "error[output-is-input]: {target} is an input of this run; refusing to overwrite it"
            )),
            "{}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("s.yaml")).unwrap(),
            scenario
        );
    }
    // Rule files are inputs too.
    write(&dir, "mine/extra.rules", "");
    let out = parity_in(
        &dir,
        &[
            "check",
            "s.yaml",
            "--rules",
            "mine",
            "--output",
            "mine/extra.rules",
        ],
    );
    assert!(out.code == Some(2), "{}", out.stderr);
}

#[test]
fn a_link_at_the_output_is_replaced_not_written_through() {
    let dir = scratch("through");
    write(&dir, "s.yaml", &clean("s"));
    write(&dir, "victim.txt", "precious\n");
    symlink("victim.txt", dir.join("parity.sarif")).unwrap();
    let out = parity_in(
        &dir,
        &[
            "check",
            "s.yaml",
            "--format",
            "sarif",
            "--output",
            "parity.sarif",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("victim.txt")).unwrap(),
        "precious\n"
    );
    let written = std::fs::symlink_metadata(dir.join("parity.sarif")).unwrap();
    assert!(written.is_file(), "the link was replaced by the report");
    assert!(
        std::fs::read_to_string(dir.join("parity.sarif"))
            .unwrap()
            .contains("\"version\": \"2.1.0\"")
    );
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".parity-"))
        .collect();
    assert!(left.is_empty());
}

#[test]
fn output_to_a_device_is_written_to_it() {
    let dir = scratch("device");
    write(&dir, "s.yaml", &clean("s"));
    let out = parity_in(&dir, &["check", "s.yaml", "--output", "/dev/null"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device_like()
    );
}

trait CharDevice {
    fn is_char_device_like(&self) -> bool;
}

impl CharDevice for std::fs::FileType {
    fn is_char_device_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt as _;
        self.is_char_device()
    }
}

#[test]
fn a_failed_write_is_an_error_never_a_panic() {
    let dir = scratch("full");
    write(&dir, "s.yaml", &clean("s"));
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(_) = full else {
        eprintln!("skipped: no /dev/full here");
        return;
    };
    for args in [
        &["rules"][..],
        &["explain", "rank-parity"],
        &["completions", "bash"],
        &["man"],
        &["check", "s.yaml"],
        &["check", "s.yaml", "--format", "json"],
    ] {
        let child = Command::new(env!("CARGO_BIN_EXE_parity"))
            .args(args)
            .current_dir(&dir)
            .stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&child.stderr);
        assert_eq!(child.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "error[unwritable-output]: cannot write standard output: No space left on device"
            ),
            "{args:?}: {stderr}"
        );
    }
    // To a file on a full disk: the same, and nothing is left half-written.
    let out = parity_in(&dir, &["check", "s.yaml", "--output", "/dev/full"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("error[unwritable-output]: cannot write /dev/full"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = scratch("pipe");
    let mut child = Command::new(env!("CARGO_BIN_EXE_parity"))
        .args(["man"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before parity writes.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// A directory with one good and one broken scenario.
fn one_broken() -> PathBuf {
    let dir = scratch("broken");
    write(&dir, "good.yaml", &clean("good"));
    write(
        &dir,
        "bad.yaml",
        "scenario: bad\nstates:\n  - id: AAA\n    nmae: Aland\n",
    );
    dir
}

#[test]
fn a_file_that_fails_to_load_is_in_every_format() {
    let dir = one_broken();
    let sarif = parity_in(&dir, &["check", "--format", "sarif"]);
    assert_eq!(sarif.code, Some(2));
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let error = results
        .iter()
        .find(|r| r["ruleId"] == "input-error")
        .expect("an input-error result");
    assert_eq!(error["level"], "error");
    let location = &error["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "bad.yaml");
    assert_eq!(location["region"]["startLine"], 4);
    assert_eq!(location["region"]["startColumn"], 5);
    assert!(
        error["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("[unknown-key] unknown key `nmae`")
    );

    let junit = parity_in(&dir, &["check", "--format", "junit"]);
    assert_eq!(junit.code, Some(2));
    assert!(junit.stdout.contains("errors=\"1\""), "{}", junit.stdout);
    assert!(
        junit
            .stdout
            .contains("<testcase classname=\"bad.yaml\" name=\"input-error\" file=\"bad.yaml\">"),
        "{}",
        junit.stdout
    );
    assert!(
        junit
            .stdout
            .contains("<error message=\"unknown key `nmae` in a state\" type=\"unknown-key\">"),
        "{}",
        junit.stdout
    );

    let github = parity_in(&dir, &["check", "--format", "github"]);
    assert_eq!(github.code, Some(2));
    assert!(
        github.stdout.contains(
            "::error file=bad.yaml,line=4,col=5,title=unknown-key::unknown key `nmae` in a state"
        ),
        "{}",
        github.stdout
    );

    let markdown = parity_in(&dir, &["check", "--format", "markdown"]);
    assert!(
        markdown
            .stdout
            .contains("Not checked: 1 file(s) with input errors"),
        "{}",
        markdown.stdout
    );

    let json_out = parity_in(&dir, &["check", "--format", "json"]);
    assert_eq!(json_out.code, Some(2));
    let value = json(&json_out);
    assert_eq!(files(&value), ["bad.yaml", "good.yaml"]);
    let errors = value[0]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], "unknown-key");
    assert_eq!(errors[0]["location"]["line"], 4);
    assert_eq!(errors[0]["location"]["column"], 5);
    assert_eq!(errors[0]["help"], "did you mean `name`?");
}

#[test]
fn json_is_an_array_for_a_directory_and_an_object_for_one_named_file() {
    let dir = scratch("shape");
    write(&dir, "only/one.yaml", &clean("one"));
    let array = json(&parity_in(&dir, &["check", "only", "--format", "json"]));
    assert_eq!(files(&array), ["only/one.yaml"]);
    let object = json(&parity_in(
        &dir,
        &["check", "only/one.yaml", "--format", "json"],
    ));
    assert_eq!(object["scenario"], "one");
    // One named file that fails to load is still one object.
    write(&dir, "broken.yaml", "scenario: [\n");
    let failed = parity_in(&dir, &["check", "broken.yaml", "--format", "json"]);
    assert_eq!(failed.code, Some(2));
    assert_eq!(json(&failed)["errors"][0]["code"], "yaml-syntax");
    // A directory holding nothing is an empty array, and a warning.
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let none = parity_in(&dir, &["check", "empty", "--format", "json"]);
    assert_eq!(none.code, Some(0));
    assert_eq!(json(&none), serde_json::json!([]));
    assert!(
        none.stderr.contains("no scenario files found in empty"),
        "{}",
        none.stderr
    );
}

#[test]
fn a_scenario_can_come_from_standard_input() {
    let dir = scratch("stdin");
    let out = parity_with(
        &dir,
        &[
            "check",
            "-",
            "--stdin-filename",
            "piped.yaml",
            "--format",
            "json",
        ],
        Some(&clean("piped")),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(json(&out)["file"], "piped.yaml");
    let bad = parity_with(&dir, &["check", "-"], Some("scenario: x\nstates: 3\n"));
    assert_eq!(bad.code, Some(2));
    assert!(bad.stderr.contains("--> <stdin>:2:9"), "{}", bad.stderr);
    assert!(bad.stderr.contains("2 | states: 3"), "{}", bad.stderr);
}

#[test]
fn the_project_file_says_what_to_check() {
    let dir = scratch("config");
    write(&dir, "scenarios/a.yaml", &clean("a"));
    write(&dir, "scenarios/drafts/d.yaml", "scenario: [\n");
    write(&dir, "other/o.yaml", &clean("o"));
    write(
        &dir,
        "parity.toml",
        "paths = [\"scenarios\"]\nexclude = [\"scenarios/drafts\"]\nfail-on = \"warning\"\n",
    );
    let out = parity_in(&dir, &["check", "--format", "json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(files(&json(&out)), ["scenarios/a.yaml"]);
    // From a directory below, the same project file and the same files.
    let below = parity_in(&dir.join("other"), &["check", "--format", "json"]);
    assert_eq!(files(&json(&below)), ["../scenarios/a.yaml"]);
    // A path named on the command line wins.
    let named = parity_in(&dir, &["check", "other", "--format", "json"]);
    assert_eq!(files(&json(&named)), ["other/o.yaml"]);
    // --no-config ignores it.
    let plain = parity_in(&dir, &["check", "--no-config", "--format", "json"]);
    assert_eq!(plain.code, Some(2), "the draft is read without the exclude");
}

#[test]
fn a_wrong_project_file_is_a_located_error() {
    let dir = scratch("config-bad");
    write(
        &dir,
        "parity.toml",
        "paths = [\"s\"]\nfial-on = \"warning\"\n",
    );
    let out = parity_in(&dir, &["check"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("error[unknown-key]: parity.toml has no key `fial-on`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--> "), "{}", out.stderr);
    assert!(out.stderr.contains("parity.toml:2:1"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `fail-on`?"),
        "{}",
        out.stderr
    );

    write(
        &dir,
        "parity.toml",
        "paths = [\"../elsewhere\", \"/etc\"]\n",
    );
    let outside = parity_in(&dir, &["check"]);
    assert_eq!(outside.code, Some(2));
    assert_eq!(
        outside.stderr.matches("error[config-path-outside]").count(),
        2,
        "{}",
        outside.stderr
    );

    // A link that leads out is outside too.
    symlink("/etc", dir.join("etc-link")).unwrap();
    write(&dir, "parity.toml", "paths = [\"etc-link\"]\n");
    let linked = parity_in(&dir, &["check"]);
    assert_eq!(linked.code, Some(2));
    assert!(
        linked.stderr.contains("error[config-path-outside]"),
        "{}",
        linked.stderr
    );

    // Found by the discover_config fuzz target's assertions: `..` after a
    // link that leads out, through a part that does not exist.
    std::fs::create_dir_all(dir.join("../outside-of-config-bad/deep")).unwrap();
    write(
        &dir.join(".."),
        "outside-of-config-bad/x.yaml",
        &clean("outside"),
    );
    symlink("../outside-of-config-bad", dir.join("escape")).unwrap();
    for (key, path) in [
        ("paths", "escape/nonexistent/../x.yaml"),
        ("paths", "escape/nonexistent/../deep"),
        ("rules", "escape/x.yaml/../z.rules"),
        ("paths", "escape/x.yaml"),
    ] {
        write(&dir, "parity.toml", &format!("{key} = [\"{path}\"]\n"));
        let out = parity_in(&dir, &["check"]);
        assert_eq!(out.code, Some(2), "{path}: {}", out.stderr);
        assert!(
            out.stderr.contains("error[config-path-outside]"),
            "{path}: {}",
            out.stderr
        );
        assert!(!out.stdout.contains("outside"), "{path}: {}", out.stdout);
    }
    write(&dir, "parity.toml", "paths = [\"not-there\"]\n");
    let missing = parity_in(&dir, &["check"]);
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains(
            "error[config-path-missing]: `paths` names `not-there`, which does not exist"
        ),
        "{}",
        missing.stderr
    );

    write(&dir, "parity.toml", "paths = [\n");
    let syntax = parity_in(&dir, &["check"]);
    assert_eq!(syntax.code, Some(2));
    assert!(
        syntax.stderr.contains("error[config-syntax]"),
        "{}",
        syntax.stderr
    );
}

#[test]
fn fmt_replaces_a_rule_file_whole_and_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("fmt");
    let messy = "rule demo-rule {\n title \"Demo\"\n severity warning\n cite \"none\"\n subject m\n for m in missions\n where m.kind == embassy\n message \"{m.id}\"\n}\n";
    write(&dir, "r/demo.rules", messy);
    std::fs::set_permissions(
        dir.join("r/demo.rules"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    symlink("r/demo.rules", dir.join("link.rules")).unwrap();
    let out = parity_in(&dir, &["fmt", "link.rules"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "reformatted link.rules\n");
    // The link still leads to the file, which was formatted in place.
    assert!(
        std::fs::symlink_metadata(dir.join("link.rules"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let formatted = std::fs::read_to_string(dir.join("r/demo.rules")).unwrap();
    assert_ne!(formatted, messy);
    assert!(formatted.contains("  title    \"Demo\""), "{formatted}");
    let mode = std::fs::metadata(dir.join("r/demo.rules"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn the_pre_commit_hook_checks_only_the_scenarios_it_is_handed() {
    let dir = hostile_repository();
    let hook = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    assert!(
        hook.contains("entry: parity check --filter-named"),
        "{hook}"
    );
    // pre-commit names every changed YAML file, whatever it is.
    let out = parity_in(
        &dir,
        &[
            "check",
            "--filter-named",
            "--format",
            "json",
            "docker-compose.yml",
            ".github/workflows/ci.yml",
            "env.yaml",
            "rules/tests/x.test.yaml",
            "scenarios/a.yaml",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(files(&json(&out)), ["scenarios/a.yaml"]);
    assert!(out.stderr.contains("skipped env.yaml"), "{}", out.stderr);
}

#[test]
fn a_walked_file_that_is_not_a_scenario_is_no_error_however_it_is_written() {
    let dir = scratch("not-ours");
    write(&dir, "s/a.yaml", &clean("a"));
    // Large, or Latin-1: not parity's business unless it is a scenario.
    write(
        &dir,
        "data/big.yaml",
        &format!("items:\n{}", "  - x\n".repeat(100)),
    );
    std::fs::write(dir.join("data/latin1.yaml"), b"name: caf\xe9\n").unwrap();
    let out = parity_in(
        &dir,
        &["check", "--limit-file-bytes", "300", "--format", "json"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(files(&json(&out)), ["s/a.yaml"]);
    // A scenario that is not UTF-8 is one, and its error is located.
    std::fs::write(
        dir.join("s/b.yaml"),
        b"scenario: b\nstates:\n  - id: AAA\n    name: caf\xe9\n",
    )
    .unwrap();
    let bad = parity_in(&dir, &["check"]);
    assert_eq!(bad.code, Some(2));
    assert!(
        bad.stderr
            .contains("error[invalid-utf8]: the file is not UTF-8 text: byte 0xE9 here"),
        "{}",
        bad.stderr
    );
    assert!(bad.stderr.contains("--> s/b.yaml:4:14"), "{}", bad.stderr);
    // A byte-order mark does not hide a scenario.
    std::fs::remove_file(dir.join("s/b.yaml")).unwrap();
    std::fs::write(dir.join("s/bom.yaml"), format!("\u{feff}{}", clean("bom"))).unwrap();
    let bom = parity_in(&dir, &["check", "--format", "json"]);
    assert!(
        files(&json(&bom)).contains(&"s/bom.yaml".to_string()),
        "{}",
        bom.stderr
    );
}
