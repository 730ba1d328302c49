//! The `parity` command line, run as a real process: exit codes (0 clean, 1
//! findings or a failing claim, 2 input, rule or usage error), reports on
//! stdout, and located errors on stderr (`error[code]: message`, `--> file:line:column`,
//! the source line, a caret under the spot, `= help: ...`).
//!
//! Every scenario and rule file written here is synthetic: small made-up
//! inputs following docs/scenario.md and docs/rules.md, not real data.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const KABUL: &str = "fixtures/kabul-2024-09.yaml";

/// The outcome of one run of the binary.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Asserts the exit code, showing both streams when it is wrong.
    fn exits(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "wrong exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout\n{}",
            self.stdout
        );
        self
    }

    fn stdout_empty(&self) -> &Run {
        assert!(
            self.stdout.is_empty(),
            "expected nothing on stdout\n--- stdout\n{}",
            self.stdout
        );
        self
    }

    /// Asserts a located error: its header, its `--> file:line:column`, the
    /// quoted source line and a caret of `width` under `column`, and its help.
    fn located(
        &self,
        code: &str,
        message: &str,
        (file, line, column): (&str, usize, usize),
        source_line: &str,
        width: usize,
        help: Option<&str>,
    ) -> &Run {
        // The gutter is as wide as the line number, as in rustc.
        let number = line.to_string();
        let pad = " ".repeat(number.len());
        let header = format!("error[{code}]: {message}\n{pad}--> {file}:{line}:{column}\n");
        let Some(start) = self.stderr.find(&header) else {
            panic!(
                "stderr lacks the error\n{header}--- stderr\n{}",
                self.stderr
            );
        };
        let caret = format!(
            "{pad} |\n{number} | {source_line}\n{pad} | {}{}\n",
            " ".repeat(column - 1),
            "^".repeat(width)
        );
        let block = &self.stderr[start + header.len()..];
        assert!(
            block.starts_with(&caret),
            "wrong source line or caret for {code} at {line}:{column}\nexpected:\n{caret}--- stderr\n{}",
            self.stderr
        );
        let after = &block[caret.len()..];
        match help {
            Some(help) => assert!(
                after.starts_with(&format!("{pad} = help: {help}\n")),
                "wrong or missing help for {code}: expected {help:?}\n--- stderr\n{}",
                self.stderr
            ),
            None => assert!(
                !after.trim_start().starts_with("= help:"),
                "unexpected help for {code}\n--- stderr\n{}",
                self.stderr
            ),
        }
        self
    }

    /// The codes of the `error[...]` lines on stderr, in order, with their `line:column`.
    fn errors(&self) -> Vec<(String, String)> {
        let lines: Vec<&str> = self.stderr.lines().collect();
        lines
            .windows(2)
            .filter_map(|pair| {
                let code = pair[0].strip_prefix("error[")?.split(']').next()?;
                let place = pair[1].trim_start().strip_prefix("--> ")?;
                let at = place.rsplitn(3, ':').collect::<Vec<_>>();
                Some((code.to_string(), format!("{}:{}", at[1], at[0])))
            })
            .collect()
    }
}

/// Runs `parity` from the crate's root (so that `fixtures/...` resolves).
fn parity(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_parity"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the parity binary runs");
    Run::from(output)
}

/// A fresh, empty directory under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("parity-cli-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` to `dir/name` and returns the path as a string.
fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Writes one scenario file in a scratch directory of its own.
fn scenario(name: &str, text: &str) -> String {
    write(&scratch(name), &format!("{name}.yaml"), text)
}

// Synthetic: two states with reciprocal embassies headed by ambassadors; no
// rule fires. Line numbers are used by the tests below.
const CLEAN: &str = "\
# synthetic scenario for the CLI tests
scenario: synthetic-clean
as_of: 2024-09-27
states:
  - id: KAZ
  - id: AFG
missions:
  - id: kaz-in-afg
    sender: KAZ
    receiver: AFG
    kind: embassy
    heads:
      - { rank: ambassador, from: 2020-01, credentials: { to: AFG } }
  - id: afg-in-kaz
    sender: AFG
    receiver: KAZ
    kind: embassy
    heads:
      - rank: ambassador
        from: 2020-01
        credentials: { to: KAZ }
";

// Synthetic: one embassy with no head, so only the warning `head-vacant` fires.
const WARNING_ONLY: &str = "\
# synthetic scenario for the CLI tests
scenario: synthetic-warning
as_of: 2024-09-27
states:
  - id: KAZ
  - id: AFG
missions:
  - id: kaz-in-afg
    sender: KAZ
    receiver: AFG
    kind: embassy
";

/// `CLEAN` with line `line` (1-based) replaced.
fn clean_with(line: usize, text: &str) -> String {
    let mut lines: Vec<&str> = CLEAN.lines().collect();
    lines[line - 1] = text;
    lines.join("\n") + "\n"
}

// ---------------------------------------------------------------------------
// 1. Exit codes of checks that run

#[test]
fn kabul_fixture_has_an_error_finding_and_exits_1() {
    parity(&["check", KABUL])
        .exits(1)
        .stdout_has("error[implied-recognition]: China's ambassador in Afghanistan")
        .stdout_has("  --> fixtures/kabul-2024-09.yaml:")
        .stdout_has("kabul-2024-09: 1 error,");
}

#[test]
fn a_clean_scenario_exits_0() {
    let file = scenario("clean", CLEAN);
    let run = parity(&["check", &file]);
    run.exits(0)
        .stdout_has("synthetic-clean: 0 errors, 0 warnings, 0 info, 0 waived");
    assert_eq!(run.stderr, "");
    // Nothing fires at all, so even the strictest threshold passes.
    parity(&["check", "--fail-on", "info", &file]).exits(0);
}

#[test]
fn a_warning_fails_only_when_asked_to() {
    let file = scenario("warning", WARNING_ONLY);
    parity(&["check", &file])
        .exits(0)
        .stdout_has("warning[head-vacant]")
        .stdout_has("0 errors, 1 warning");
    parity(&["check", "--fail-on", "error", &file]).exits(0);
    parity(&["check", "--fail-on", "warning", &file]).exits(1);
    parity(&["check", "--fail-on", "info", &file]).exits(1);
}

// ---------------------------------------------------------------------------
// 2. JSON

fn object<'a>(
    value: &'a serde_json::Value,
    what: &str,
) -> &'a serde_json::Map<String, serde_json::Value> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {value}"))
}

fn assert_report_shape(report: &serde_json::Value) {
    let report = object(report, "a report");
    for key in ["scenario", "as_of", "findings", "claims", "waived"] {
        assert!(report.contains_key(key), "a report lacks `{key}`");
    }
    assert!(report["scenario"].is_string());
    assert!(report["as_of"].is_string());
    assert!(report["waived"].is_array());
    for finding in report["findings"].as_array().unwrap() {
        let finding = object(finding, "a finding");
        for key in ["rule", "severity", "message", "cite"] {
            assert!(finding[key].is_string(), "finding.{key}: {finding:?}");
        }
        assert!(finding["subject"].is_array(), "finding.subject");
        let location = object(&finding["location"], "finding.location");
        assert!(location["file"].is_string());
        assert!(location["line"].as_u64().is_some_and(|l| l > 0));
        assert!(location["column"].as_u64().is_some_and(|c| c > 0));
    }
    for claim in report["claims"].as_array().unwrap() {
        let claim = object(claim, "a claim");
        assert!(claim["title"].is_string());
        assert!(claim["holds"].is_boolean());
        assert!(claim.contains_key("source"));
    }
}

#[test]
fn json_report_of_the_kabul_fixture() {
    let run = parity(&["check", "--format", "json", KABUL]);
    run.exits(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_report_shape(&report);
    assert_eq!(report["scenario"], "kabul-2024-09");
    assert_eq!(report["as_of"], "2024-09-27");
    let findings = report["findings"].as_array().unwrap();
    let implied = findings
        .iter()
        .find(|f| f["rule"] == "implied-recognition")
        .expect("the implied-recognition finding");
    assert_eq!(implied["severity"], "error");
    assert_eq!(implied["subject"], serde_json::json!(["chn-in-afg"]));
    assert_eq!(implied["location"]["file"], KABUL);
    assert!(
        implied["cite"]
            .as_str()
            .unwrap()
            .contains("implied recognition")
    );
    let claims = report["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 6);
    assert!(claims.iter().all(|c| c["holds"] == true));
    assert_eq!(claims[0]["source"], "seed");
    assert!(!report["waived"].as_array().unwrap().is_empty());
}

#[test]
fn json_report_of_two_files_is_an_array_of_two() {
    let clean = scenario("json-two", CLEAN);
    let run = parity(&["check", "--format", "json", KABUL, &clean]);
    run.exits(1);
    let reports: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let reports = reports.as_array().expect("an array");
    assert_eq!(reports.len(), 2);
    reports.iter().for_each(assert_report_shape);
    // Files are reported in sorted path order, whatever the command line's order.
    let clean_report = reports
        .iter()
        .find(|r| r["scenario"] == "synthetic-clean")
        .expect("clean");
    assert!(reports.iter().any(|r| r["scenario"] == "kabul-2024-09"));
    assert_eq!(clean_report["findings"], serde_json::json!([]));
    let swapped = parity(&["check", "--format", "json", &clean, KABUL]);
    assert_eq!(
        swapped.stdout, run.stdout,
        "command-line order changes no byte"
    );
}

// ---------------------------------------------------------------------------
// 3-5. Located scenario errors

#[test]
fn misspelt_key_is_located_at_the_key_with_a_hint() {
    let file = scenario("unknown-key", &clean_with(10, "    reciever: AFG"));
    let run = parity(&["check", &file]);
    // One root cause, one error: no "a mission needs `receiver`" besides.
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    run.exits(2)
        .stdout_empty()
        .located(
            "unknown-key",
            "unknown key `reciever` in a mission",
            (&file, 10, 5),
            "    reciever: AFG",
            8,
            Some("did you mean `receiver`?"),
        )
        .stderr_has(&format!("parity: 1 error in {file}; it was not checked"));
}

#[test]
fn dangling_id_suggests_the_near_one() {
    let file = scenario("unknown-id", &clean_with(9, "    sender: KAZZ"));
    let run = parity(&["check", &file]);
    run.exits(2).stdout_empty().located(
        "unknown-id",
        "unknown state `KAZZ`",
        (&file, 9, 13),
        "    sender: KAZZ",
        4,
        Some("did you mean `KAZ`?"),
    );
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
}

#[test]
fn impossible_date_is_located_at_the_value() {
    let file = scenario("impossible-date", &clean_with(3, "as_of: 2024-02-30"));
    parity(&["check", &file]).exits(2).stdout_empty().located(
        "impossible-date",
        "`2024-02-30` is not a real date: February 2024 has 29 days",
        (&file, 3, 8),
        "as_of: 2024-02-30",
        10,
        None,
    );
}

// ---------------------------------------------------------------------------
// 6. Rule files

/// A synthetic rule file in a directory of its own; returns (dir, file).
fn rules_dir(name: &str, text: &str) -> (String, String) {
    let dir = scratch(name);
    let file = write(&dir, "mine.rules", text);
    (dir.display().to_string(), file)
}

#[test]
fn a_rule_file_without_rules_is_an_error_not_a_silent_pass() {
    // Emptied, or only comments: its rules would no longer be checked.
    for (name, text) in [
        ("empty-rules", ""),
        ("comment-rules", "# synthetic: every rule removed\n"),
    ] {
        let (dir, file) = rules_dir(name, text);
        let clean = scenario(&format!("{name}-scenario"), CLEAN);
        for named in [&dir, &file] {
            parity(&["check", "--rules", named, &clean])
                .exits(2)
                .stdout_empty()
                .stderr_has(&format!("error[no-rules]: {file} defines no rules\n"))
                .stderr_has("parity: 1 error in the rules; nothing was checked");
        }
    }
}

#[test]
fn rule_syntax_error_is_located_in_the_rule_file() {
    let (dir, file) = rules_dir(
        "rule-syntax",
        "# synthetic rule file with a misspelt clause\n\
         rule my-rule {\n\
         \x20 title    \"synthetic\"\n\
         \x20 severity warning\n\
         \x20 cite     \"none\"\n\
         \x20 for m in missions\n\
         \x20 requre m.head != none\n\
         \x20 message \"{m.id}\"\n\
         }\n",
    );
    let clean = scenario("rule-syntax-scenario", CLEAN);
    parity(&["check", "--rules", &dir, &clean])
        .exits(2)
        .stdout_empty()
        .located(
            "rule-syntax",
            "expected `about`, `subject`, `where`, `require`, `message` or `}`, found `requre`",
            (&file, 7, 3),
            "  requre m.head != none",
            6,
            Some("did you mean `require`?"),
        )
        .stderr_has("parity: 1 error in the rules; nothing was checked");
}

#[test]
fn unknown_field_in_a_rule_suggests_the_field() {
    let (dir, file) = rules_dir(
        "unknown-field",
        "# synthetic rule file with a misspelt field\n\
         rule my-rule {\n\
         \x20 title    \"synthetic\"\n\
         \x20 severity warning\n\
         \x20 cite     \"none\"\n\
         \x20 for m in missions\n\
         \x20 where class(m.head.rnak) == 1\n\
         \x20 message \"{m.id}\"\n\
         }\n",
    );
    let clean = scenario("unknown-field-scenario", CLEAN);
    parity(&["check", "--rules", &dir, &clean])
        .exits(2)
        .stdout_empty()
        .located(
            "unknown-field",
            "a head has no field `rnak`",
            (&file, 7, 22),
            "  where class(m.head.rnak) == 1",
            4,
            Some("did you mean `rank`?"),
        );
}

#[test]
fn comparing_a_rank_with_a_date_is_a_type_mismatch() {
    let (dir, file) = rules_dir(
        "type-mismatch",
        "# synthetic rule file comparing a rank with a date\n\
         rule my-rule {\n\
         \x20 title    \"synthetic\"\n\
         \x20 severity warning\n\
         \x20 cite     \"none\"\n\
         \x20 for m in missions\n\
         \x20 where m.head.rank == m.from\n\
         \x20 message \"{m.id}\"\n\
         }\n",
    );
    let clean = scenario("type-mismatch-scenario", CLEAN);
    let run = parity(&["check", "--rules", &dir, &clean]);
    run.exits(2).stdout_empty().located(
        "type-mismatch",
        "cannot compare a rank with a date",
        (&file, 7, 9),
        "  where m.head.rank == m.from",
        21,
        None,
    );
    // `parity rules` loads the same rules and fails the same way.
    parity(&["rules", "--rules", &dir])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[type-mismatch]");
}

// ---------------------------------------------------------------------------
// 7. Every problem of a file, each once, in position order

// Synthetic: five different errors, and the unknown state `AFGG` used three times.
const SEVERAL: &str = "\
# synthetic scenario with several errors
scenario: synthetic-several
as_of: 2024-09-27
states:
  - id: KAZ
  - id: AFG
    kind: organisation
missions:
  - id: kaz-in-afg
    sender: KAZ
    receiver: AFGG
    kind: embasy
    from: 2024-02-30
  - id: kaz-in-afg-2
    sender: KAZ
    receiver: AFGG
    kind: consulate
  - id: afg-in-kaz
    sender: AFGG
    receiver: KAZ
    kind: consulate
    cty: Kabul
";

#[test]
fn several_errors_are_all_reported_once_in_position_order() {
    let file = scenario("several", SEVERAL);
    let run = parity(&["check", &file]);
    run.exits(2).stdout_empty();
    let found = run.errors();
    let expected = [
        ("unknown-state-kind", "7:11"),
        ("unknown-id", "11:15"),
        ("unknown-kind", "12:11"),
        ("impossible-date", "13:11"),
        ("unknown-key", "22:5"),
    ];
    let found: Vec<(&str, &str)> = found
        .iter()
        .map(|(c, p)| (c.as_str(), p.as_str()))
        .collect();
    assert_eq!(found, expected, "{}", run.stderr);
    run.located(
        "unknown-id",
        "unknown state `AFGG`",
        (&file, 11, 15),
        "    receiver: AFGG",
        4,
        Some("did you mean `AFG`? (also used at lines 16, 19)"),
    )
    .located(
        "unknown-state-kind",
        "unknown state kind `organisation`",
        (&file, 7, 11),
        "    kind: organisation",
        12,
        Some("did you mean `organization`?"),
    )
    .located(
        "unknown-key",
        "unknown key `cty` in a mission",
        (&file, 22, 5),
        "    cty: Kabul",
        3,
        Some("did you mean `city`?"),
    )
    .stderr_has(&format!("parity: 5 errors in {file}; it was not checked"));
    assert_eq!(run.stderr.matches("`AFGG`").count(), 1, "{}", run.stderr);
}

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let dir = scratch("mixed");
    let broken = write(&dir, "a-broken.yaml", &clean_with(9, "    sender: KAZZ"));
    let clean = write(&dir, "b-clean.yaml", CLEAN);
    let run = parity(&["check", &broken, &clean]);
    // The input error wins the exit code, but the good file is still reported.
    run.exits(2)
        .stderr_has(&format!("--> {broken}:9:13"))
        .stdout_has("synthetic-clean: 0 errors");
}

// ---------------------------------------------------------------------------
// 8. Usage errors

#[test]
fn usage_errors_exit_2() {
    parity(&["check", "--limit-file-bytes", "lots", KABUL])
        .exits(2)
        .stdout_empty()
        .stderr_has("'lots'");
    parity(&["check", "--format", "xml", KABUL])
        .exits(2)
        .stdout_empty()
        .stderr_has("'xml'")
        .stderr_has("possible values: human, json");
    parity(&["check", "--fail-on", "fatal", KABUL])
        .exits(2)
        .stdout_empty();
    parity(&["check", "--as-of", "2024/09/01", KABUL])
        .exits(2)
        .stdout_empty()
        .stderr_has("`2024/09/01` is not a date: write YYYY-MM-DD");
    // Well formed but impossible: say why, not "write YYYY-MM-DD" (it is written so).
    parity(&["check", "--as-of", "2024-13-01", KABUL])
        .exits(2)
        .stdout_empty()
        .stderr_has("`2024-13-01` is not a real date: there is no month 13");
    parity(&[]).exits(2).stdout_empty();
}

#[test]
fn as_of_on_the_command_line_wins() {
    let run = parity(&["check", "--format", "json", "--as-of", "2024-09-01", KABUL]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(report["as_of"], "2024-09-01");
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// 9. Files: YAML syntax, empty, missing, directories

#[test]
fn unclosed_bracket_is_a_located_yaml_error() {
    // Synthetic.
    let file = scenario("unclosed", "scenario: synthetic\nstates: [\n  {id: KAZ}\n");
    let run = parity(&["check", &file]);
    run.exits(2)
        .stdout_empty()
        .stderr_has("error[yaml-syntax]: invalid YAML: ");
    run.located(
        "yaml-syntax",
        // The position is on the `-->` line, not repeated in the message.
        "invalid YAML: unclosed bracket '['",
        (&file, 2, 9),
        "states: [",
        1,
        None,
    );
    assert_eq!(run.errors().len(), 1, "reported alone: {}", run.stderr);
}

#[test]
fn tab_indentation_is_a_located_yaml_error() {
    // Synthetic.
    let file = scenario("tab", "scenario: synthetic\nstates:\n\t- id: KAZ\n");
    let run = parity(&["check", &file]);
    run.exits(2)
        .stdout_empty()
        .stderr_has("error[yaml-syntax]: invalid YAML: tabs disallowed")
        .stderr_has(&format!("--> {file}:3:"))
        .stderr_has("3 | \t- id: KAZ\n");
}

#[test]
fn an_empty_file_says_it_is_empty() {
    let file = scenario("empty", "");
    let run = parity(&["check", &file]);
    run.exits(2)
        .stdout_empty()
        .stderr_has(&format!("error[empty-file]: {file} is empty"))
        .stderr_has(&format!("--> {file}:1:1"))
        .stderr_has("= help: a scenario file starts with `scenario: <id>`");
    let blank = scenario("blank", "\n  \n");
    parity(&["check", &blank])
        .exits(2)
        .stderr_has("error[empty-file]");
}

#[test]
fn a_missing_file_is_named() {
    let dir = scratch("missing");
    let missing = dir.join("no-such-scenario.yaml").display().to_string();
    parity(&["check", &missing])
        .exits(2)
        .stdout_empty()
        .stderr_has("error[unreadable-file]")
        .stderr_has(&missing);
}

#[test]
fn a_directory_argument_checks_every_scenario_in_it() {
    let dir = scratch("directory");
    write(&dir, "a.yaml", CLEAN);
    write(&dir, "b.yml", WARNING_ONLY);
    write(&dir, "notes.txt", "not a scenario: ignored\n");
    let shown = dir.display().to_string();
    let run = parity(&["check", &shown]);
    run.exits(0)
        .stdout_has("synthetic-clean: 0 errors")
        .stdout_has("synthetic-warning: 0 errors, 1 warning");
    let run = parity(&["check", "--format", "json", "--fail-on", "warning", &shown]);
    run.exits(1);
    let reports: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let names: Vec<&str> = reports
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| r["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["synthetic-clean", "synthetic-warning"]);
}

// ---------------------------------------------------------------------------
// 10. Claims

#[test]
fn a_failing_claim_exits_1_without_findings() {
    let text = format!(
        "{CLEAN}expect:\n  - claim: count(m in missions where m.receiver == AFG) == 2\n    title: Two missions in AFG\n"
    );
    let file = scenario("failing-claim", &text);
    parity(&["check", &file])
        .exits(1)
        .stdout_has("FAILS  Two missions in AFG")
        .stdout_has("0 errors, 0 warnings, 0 info, 0 waived; 0 of 1 claim hold");
    let holds = text.replace("== 2\n", "== 1\n");
    let file = scenario("holding-claim", &holds);
    parity(&["check", &file])
        .exits(0)
        .stdout_has("holds  Two missions in AFG");
}

#[test]
fn a_claim_naming_an_unknown_id_suggests_the_near_one() {
    let line = "  - claim: count(m in missions where m.receiver == AFGG) == 1";
    let file = scenario("claim-id", &format!("{CLEAN}expect:\n{line}\n"));
    parity(&["check", &file]).exits(2).stdout_empty().located(
        "unknown-id",
        "no record has the id `AFGG` (expected a state id)",
        (&file, 23, 52),
        line,
        4,
        Some("did you mean `AFG`?"),
    );
}

#[test]
fn a_claim_syntax_error_is_located_in_the_yaml_file() {
    let line = "  - claim: count(m in missions where m.receiver == ) == 1";
    let file = scenario("claim-syntax", &format!("{CLEAN}expect:\n{line}\n"));
    parity(&["check", &file]).exits(2).stdout_empty().located(
        "claim-syntax",
        "expected an expression, found `)`",
        (&file, 23, 52),
        line,
        1,
        None,
    );
}

#[test]
fn quoted_and_multi_line_claims_are_located_where_written() {
    // Synthetic: the same mistakes in a quoted claim and in a claim folded over two lines.
    let text = format!(
        "{CLEAN}expect:\n\
         \x20 - claim: \"count(m in missions where m.receiver == AFGG) == 1\"\n\
         \x20 - claim: >-\n\
         \x20     count(m in missions\n\
         \x20     where m.receiver == AFGG) == (1\n"
    );
    let file = scenario("claim-places", &text);
    parity(&["check", &file])
        .exits(2)
        .stdout_empty()
        .located(
            "unknown-id",
            "no record has the id `AFGG` (expected a state id)",
            (&file, 23, 53),
            "  - claim: \"count(m in missions where m.receiver == AFGG) == 1\"",
            4,
            Some("did you mean `AFG`?"),
        )
        .located(
            "claim-syntax",
            "expected `)`, found end of input",
            (&file, 26, 38),
            "      where m.receiver == AFGG) == (1",
            1,
            None,
        );
}

#[test]
fn claims_with_escapes_and_block_claims_are_located_in_the_file() {
    // Synthetic: an unknown id after double-quoted escapes (each written
    // longer than its character), in a literal block claim and in a folded
    // one: each is underlined where it is written, not at its offset in the
    // claim's text.
    let escaped = r#"  - claim: "count(m in missions where\tm.receiver\x20== AFGG) == 1""#;
    let text = format!(
        "{CLEAN}expect:\n\
         {escaped}\n\
         \x20 - claim: |\n\
         \x20     count(m in missions\n\
         \x20     where m.receiver == AFGH) == 1\n\
         \x20 - claim: >\n\
         \x20     exists(m in missions where m.receiver ==\n\
         \x20     AFGI)\n"
    );
    let file = scenario("claim-escapes", &text);
    let column = escaped.find("AFGG").unwrap() + 1;
    parity(&["check", &file])
        .exits(2)
        .stdout_empty()
        .located(
            "unknown-id",
            "no record has the id `AFGG` (expected a state id)",
            (&file, 23, column),
            escaped,
            4,
            Some("did you mean `AFG`?"),
        )
        .located(
            "unknown-id",
            "no record has the id `AFGH` (expected a state id)",
            (&file, 26, 27),
            "      where m.receiver == AFGH) == 1",
            4,
            Some("did you mean `AFG`?"),
        )
        .located(
            "unknown-id",
            "no record has the id `AFGI` (expected a state id)",
            (&file, 29, 7),
            "      AFGI)",
            4,
            Some("did you mean `AFG`?"),
        );
}

// ---------------------------------------------------------------------------
// 11. Waivers

#[test]
fn a_waiver_of_an_unknown_rule_suggests_the_rule() {
    let line = "  - rule: head-vacnt";
    let text = format!("{WARNING_ONLY}waivers:\n{line}\n    subject: kaz-in-afg\n");
    let file = scenario("waiver-rule", &text);
    parity(&["check", &file]).exits(2).stdout_empty().located(
        "unknown-rule",
        "the waiver names no known rule `head-vacnt`",
        (&file, 13, 11),
        line,
        10,
        Some("did you mean `head-vacant`?"),
    );
}

/// The `(rule, line)` of each finding of a JSON report.
fn findings(run: &Run) -> Vec<(String, u64)> {
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn expired_and_unused_waivers_are_findings() {
    let text = format!(
        "{WARNING_ONLY}waivers:\n\
         \x20 - rule: head-vacant\n\
         \x20   subject: kaz-in-afg\n\
         \x20   reason: synthetic\n\
         \x20   until: 2024-01-01\n\
         \x20 - rule: rank-parity\n\
         \x20   subject: kaz-in-afg\n"
    );
    let file = scenario("waivers", &text);
    let run = parity(&["check", "--format", "json", &file]);
    run.exits(0);
    let mut found = findings(&run);
    found.sort();
    let expected = [
        ("expired-waiver".to_string(), 13),
        ("head-vacant".to_string(), 8),
        ("unused-waiver".to_string(), 17),
    ];
    assert_eq!(found, expected, "{}", run.stdout);
    parity(&["check", &file])
        .exits(0)
        .stdout_has("warning[expired-waiver]: the waiver of `head-vacant` for kaz-in-afg expired on 2024-01-01")
        .stdout_has("warning[unused-waiver]: the waiver of `rank-parity` for kaz-in-afg matches no finding on 2024-09-27");
    parity(&["check", "--fail-on", "warning", &file]).exits(1);
    // Before it expires, the same waiver accepts the finding.
    let run = parity(&["check", "--format", "json", "--as-of", "2023-12-31", &file]);
    run.exits(0);
    assert_eq!(
        findings(&run),
        [("unused-waiver".to_string(), 17)],
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------
// 12. Hostile input: bounded, located, and an exit code (never a signal)

fn assert_prompt_input_error(run: &Run, started: Instant, file: &str) {
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    assert!(run.code.is_some(), "killed by a signal: {}", run.stderr);
    run.exits(2)
        .stdout_empty()
        .stderr_has("error[yaml-")
        .stderr_has(&format!("--> {file}:"))
        .stderr_has(" = help: ");
    // The message is for people: no internal counters such as `Depth { depth: 65 }`.
    let header = run.stderr.lines().next().unwrap();
    assert!(!header.contains('{'), "{header}");
}

#[test]
fn an_alias_bomb_is_stopped() {
    // Synthetic "billion laughs": ten levels of ten aliases each.
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 0..9u8 {
        let (name, prev) = ((b'b' + i) as char, (b'a' + i) as char);
        let items = vec![format!("*{prev}"); 10].join(",");
        bomb += &format!("{name}: &{name} [{items}]\n");
    }
    let file = scenario("alias-bomb", &bomb);
    let started = Instant::now();
    let run = parity(&["check", &file]);
    assert_prompt_input_error(&run, started, &file);
    run.stderr_has("error[yaml-alias-limit]: the YAML expands to too much data");
}

#[test]
fn deep_nesting_is_stopped() {
    // Synthetic: 100,000 unclosed `[`.
    let file = scenario("deep", &"[".repeat(100_000));
    let started = Instant::now();
    let run = parity(&["check", &file]);
    assert_prompt_input_error(&run, started, &file);
    run.stderr_has("error[yaml-depth-limit]: the YAML nests too deeply\n");
}
