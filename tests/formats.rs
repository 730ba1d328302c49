//! The CI-facing formats (SARIF, JUnit, GitHub commands, Markdown, dot and
//! Mermaid graphs) on the Kabul fixture: snapshots, plus checks that each
//! output is what its consumer parses.
// Test helpers outside #[test] functions report failures by panicking.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{parity_in, scratch, write};
use parity::io::{Source, Sources};
use parity::lang::ast::Severity;
use parity::report::graph::GraphFormat;
use parity::report::{Report, csv, github, graph, junit, markdown, sarif};
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::model::Scenario;
use parity::scenario::world::World;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};
use std::path::Path;

const FILE: &str = "fixtures/kabul-2024-09.yaml";
const DATE: &str = "2024-09-27";

fn source() -> String {
    std::fs::read_to_string(FILE).unwrap_or_else(|e| panic!("cannot read {FILE}: {e}"))
}

fn rules() -> RuleSet {
    RuleSet::standard().unwrap_or_else(|d| panic!("standard rules: {d:#?}"))
}

fn scenario(text: &str) -> Scenario {
    load_str(text, FILE, &YamlLimits::default())
        .unwrap_or_else(|d| panic!("fixture does not load: {d:#?}"))
}

fn date() -> Date {
    Date::parse(DATE).unwrap_or_else(|e| panic!("date: {e:?}"))
}

fn report_of(scenario: &Scenario) -> Report {
    let options = CheckOptions {
        as_of: Some(date()),
        ..CheckOptions::default()
    };
    check(scenario, &rules(), &options).unwrap_or_else(|d| panic!("check failed: {d:#?}"))
}

fn report() -> Report {
    report_of(&scenario(&source()))
}

/// The fixture with its first claim made false ("six ambassadors" → seven).
fn failing_claim_report() -> Report {
    let text = source().replacen(
        "class(m.head.rank) == 1) == 6",
        "class(m.head.rank) == 1) == 7",
        1,
    );
    let report = report_of(&scenario(&text));
    assert_eq!(
        report.summary.claims_failed, 1,
        "the edit should break one claim"
    );
    report
}

/// The texts a run read: `text` under the fixture's name.
fn sources_of(text: &str) -> Sources {
    let mut sources = Sources::default();
    sources.add(Source::text_only(FILE, text.to_string()));
    sources
}

/// SARIF of `report`, checked from `text`, as a run in the repository root.
fn sarif_of(report: &Report, text: &str) -> String {
    let base = sarif::Base::at(Path::new("/checkout"));
    sarif::render(
        std::slice::from_ref(report),
        &[],
        &rules(),
        &base,
        &sources_of(text),
    )
}

fn parse(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("SARIF is not JSON: {e}\n{text}"))
}

fn sarif_value(report: &Report) -> serde_json::Value {
    parse(&sarif_of(report, &source()))
}

/// Validates against the official SARIF 2.1.0 schema (OASIS errata 01), vendored.
fn assert_valid_sarif(value: &serde_json::Value) {
    let schema_text = std::fs::read_to_string("tests/data/sarif/sarif-schema-2.1.0.json")
        .expect("vendored SARIF schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("schema does not compile: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF fails the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn snapshot_sarif() {
    insta::assert_snapshot!(sarif_of(&report(), &source()));
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    assert_valid_sarif(&sarif_value(&report()));
    assert_valid_sarif(&sarif_value(&failing_claim_report()));
}

#[test]
fn the_schema_check_rejects_invalid_sarif() {
    // Guards against a validator that accepts anything.
    let mut value = sarif_value(&report());
    value["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/sarif/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    assert!(!validator.is_valid(&value));
    value["runs"][0]["results"][0]["level"] = serde_json::json!("error");
    value["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        serde_json::json!(0);
    assert!(!validator.is_valid(&value));
}

#[test]
fn sarif_lists_every_rule_and_indexes_results_into_them() {
    let value = sarif_value(&failing_claim_report());
    let runs = value["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for rule in &rules().rules {
        assert!(ids.contains(&rule.id.as_str()), "driver lacks {}", rule.id);
    }
    for own in ["expired-waiver", "unused-waiver", "claim"] {
        assert!(ids.contains(&own), "driver lacks {own}");
    }
    let report = failing_claim_report();
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        report.findings.len() + report.waived.len() + 1,
        "one result per finding, per waived finding, per failing claim"
    );
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(result["ruleId"].as_str(), Some(ids[index]));
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert_eq!(uri, FILE);
    }
    let suppressed = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .count();
    assert_eq!(suppressed, report.waived.len());
    let claim = results.iter().find(|r| r["ruleId"] == "claim").unwrap();
    assert_eq!(claim["level"], "error");
    assert_eq!(
        claim["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64(),
        Some(u64::from(report.claims[0].location.line()))
    );
}

#[test]
fn sarif_uris_are_relative_to_the_base_directory() {
    let mut report = report();
    let cwd = std::env::current_dir().unwrap();
    for finding in &mut report.findings {
        finding.location.file = cwd.join(FILE).display().to_string();
    }
    let text = sarif::render(
        &[report],
        &[],
        &rules(),
        &sarif::Base::at(&cwd),
        &Sources::default(),
    );
    assert!(text.contains(&format!("\"uri\": \"{FILE}\"")));
    assert!(text.contains("\"uriBaseId\": \"%SRCROOT%\""));
    assert!(!text.contains(&format!("\"uri\": \"{}", cwd.display())));
}

/// (rule id, fingerprint, start line) of every result of `report`, checked from `text`.
fn fingerprints(report: &Report, text: &str) -> Vec<(String, String, u64)> {
    let value = parse(&sarif_of(report, text));
    let mut out: Vec<(String, String, u64)> = value["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["parity/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn fingerprints_do_not_change_when_records_move() {
    let text = source();
    // Move kaz-in-afg's record (it has a head-vacant finding) below qat-in-afg's.
    let start = text.find("  - id: kaz-in-afg\n").unwrap();
    let end = text[start..].find("\n  - id: qat-in-afg\n").unwrap() + start + 1;
    let block = &text[start..end];
    let rest = format!("{}{}", &text[..start], &text[end..]);
    let at = rest.find("  # China's ambassador is the").unwrap();
    let moved = format!(
        "# two lines more\n#\n{}{}\n{}",
        &rest[..at],
        block.trim_end(),
        &rest[at..]
    );
    let before = fingerprints(&report(), &text);
    let after = fingerprints(&report_of(&scenario(&moved)), &moved);
    let keys = |v: &[(String, String, u64)]| -> Vec<(String, String)> {
        let mut k: Vec<_> = v.iter().map(|(r, f, _)| (r.clone(), f.clone())).collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&before),
        keys(&after),
        "fingerprints changed with lines"
    );
    let lines = |v: &[(String, String, u64)]| v.iter().map(|x| x.2).collect::<Vec<_>>();
    assert_ne!(
        lines(&before),
        lines(&after),
        "the edit should move records"
    );
    let kaz = sarif::fingerprint("kabul-2024-09", "head-vacant", &["kaz-in-afg".to_string()]);
    let line_of =
        |v: &[(String, String, u64)]| v.iter().find(|(_, f, _)| *f == kaz).map(|x| x.2).unwrap();
    assert!(
        line_of(&after) > line_of(&before) + 2,
        "kaz-in-afg should have moved down"
    );
    // Distinct findings get distinct fingerprints.
    let mut unique = keys(&before);
    unique.dedup();
    assert_eq!(unique.len(), before.len());
}

/// (rule id, primaryLocationLineHash, start line) of every result.
fn line_hashes(text: &str) -> Vec<(String, String, u64)> {
    let value = parse(&sarif_of(&report_of(&scenario(text)), text));
    let mut out: Vec<_> = value["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["primaryLocationLineHash"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn line_hashes_do_not_change_when_unrelated_lines_are_inserted_above() {
    let text = source();
    // Lines above every record, and a comment and blank line inside the
    // missions, above most findings' records.
    let at = text.find("  # China's ambassador is the").unwrap();
    let edited = format!(
        "# an unrelated note\n#\n\n{}  # another note\n\n{}",
        &text[..at],
        &text[at..]
    );
    let before = line_hashes(&text);
    let after = line_hashes(&edited);
    let keys = |v: &[(String, String, u64)]| -> Vec<(String, String)> {
        v.iter().map(|(r, h, _)| (r.clone(), h.clone())).collect()
    };
    assert_eq!(keys(&before), keys(&after), "line hashes changed");
    assert!(
        before.iter().zip(&after).all(|(b, a)| a.2 > b.2),
        "every result should have moved down"
    );
    // GitHub's form, `hash:occurrence`, and one alert per result.
    for (_, hash, _) in &before {
        let (hex, n) = hash.split_once(':').unwrap();
        assert!(hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(n.parse::<u32>().unwrap() >= 1);
    }
    let mut unique = keys(&before);
    unique.dedup();
    assert_eq!(unique.len(), before.len());
    // Editing the subject record's first line is a change to the result.
    let renamed = text.replacen("  - id: kaz-in-afg\n", "  - id:   kaz-in-afg # moved\n", 1);
    assert_ne!(keys(&line_hashes(&renamed)), keys(&before));
}

fn results(value: &serde_json::Value) -> &Vec<serde_json::Value> {
    value["runs"][0]["results"].as_array().unwrap()
}

fn result_for<'v>(value: &'v serde_json::Value, subject: &str) -> &'v serde_json::Value {
    results(value)
        .iter()
        .find(|r| r["properties"]["subject"][0] == subject)
        .unwrap_or_else(|| panic!("no result about {subject}"))
}

#[test]
fn sarif_regions_span_the_subject_record() {
    let text = source();
    let lines: Vec<&str> = text.lines().collect();
    let value = sarif_value(&report());
    assert_eq!(value["runs"][0]["columnKind"], "utf16CodeUnits");
    for result in results(&value) {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().is_some(), "{key} missing: {result}");
        }
        assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
    }
    // chn-in-afg's record: from `id` to its last line, the next record's
    // `- id:` right after it (comments and blank lines aside).
    let region = &result_for(&value, "chn-in-afg")["locations"][0]["physicalLocation"]["region"];
    let start = region["startLine"].as_u64().unwrap() as usize;
    let end = region["endLine"].as_u64().unwrap() as usize;
    assert_eq!(lines[start - 1], "  - id: chn-in-afg");
    assert_eq!(region["startColumn"], 5);
    assert!(end > start + 3, "the record has several lines");
    let last = lines[end - 1];
    assert!(last.starts_with("    ") && !last.trim().is_empty());
    assert_eq!(
        region["endColumn"].as_u64(),
        Some(last.trim_end().encode_utf16().count() as u64 + 1)
    );
    let next = lines[end..]
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap();
    assert!(!next.starts_with("    "), "{next:?} belongs to the record");
}

#[test]
fn sarif_evidence_is_linked_from_the_message() {
    let value = sarif_value(&report());
    let mut linked = 0;
    for result in results(&value) {
        let message = result["message"]["text"].as_str().unwrap();
        let Some(related) = result["relatedLocations"].as_array() else {
            continue;
        };
        for location in related {
            let id = location["id"].as_u64().unwrap();
            assert!(
                message.contains(&format!("]({id})")),
                "{id} not linked: {message}"
            );
            assert!(
                location["message"]["text"]
                    .as_str()
                    .is_some_and(|t| !t.is_empty())
            );
            let region = &location["physicalLocation"]["region"];
            assert!(region["endLine"].as_u64().is_some());
            linked += 1;
        }
    }
    assert!(linked > 0);
    // aze-in-afg's credentials were presented to the Islamic Republic: the
    // government's fields are read on its own record, linked apart.
    let aze = result_for(&value, "aze-in-afg");
    let message = aze["message"]["text"].as_str().unwrap();
    assert!(message.starts_with("Azerbaijan's ambassador in Afghanistan holds credentials"));
    assert!(message.contains(
        "Evidence: [aze-in-afg](1), [Islamic Republic of Afghanistan does not govern Afghanistan on 2024-09-27"
    ));
    let related = aze["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 2);
    let line = |i: usize| related[i]["physicalLocation"]["region"]["startLine"].as_u64();
    assert_eq!(
        line(0),
        aze["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64()
    );
    assert_ne!(line(1), line(0));
}

#[test]
fn sarif_rules_carry_what_github_shows() {
    let value = sarif_value(&report());
    let rules = value["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let standard = parity::RuleSet::standard().unwrap();
    assert_eq!(
        rules.len(),
        standard.rules.len() + parity::engine::builtin::BUILTIN.len()
    );
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let (cite, about) = match standard.get(id) {
            Some(r) => (r.cite.clone(), r.about.clone()),
            None => {
                let own = parity::engine::builtin::get(id).unwrap();
                (own.cite.to_string(), Some(own.about.to_string()))
            }
        };
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        let text = rule["help"]["text"].as_str().unwrap();
        assert!(markdown.contains(&cite) && text.contains(&cite), "{id}");
        if let Some(about) = about {
            assert!(markdown.contains(&about) && text.contains(&about), "{id}");
        }
        assert!(markdown.contains(rule["shortDescription"]["text"].as_str().unwrap()));
        let properties = &rule["properties"];
        assert!(
            ["very-high", "high", "medium", "low"]
                .contains(&properties["precision"].as_str().unwrap())
        );
        let severity = properties["problem.severity"].as_str().unwrap();
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert_eq!(
            (level, severity),
            match level {
                "error" => ("error", "error"),
                "warning" => ("warning", "warning"),
                _ => ("note", "recommendation"),
            }
        );
        let tags = properties["tags"].as_array().unwrap();
        assert_eq!(tags[0], "diplomacy");
        assert_eq!(tags.len(), 2, "{id}: a family tag");
        assert!(
            rule["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .chars()
                .count()
                <= 1000
        );
    }
    let tags_of =
        |id: &str| rules.iter().find(|r| r["id"] == id).unwrap()["properties"]["tags"][1].clone();
    assert_eq!(tags_of("head-vacant"), "missions");
    assert_eq!(tags_of("claim"), "claims");
}

#[test]
fn sarif_waivers_are_in_source_suppressions() {
    let report = report();
    let value = sarif_value(&report);
    let suppressed: Vec<_> = results(&value)
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), report.waived.len());
    let lines: Vec<String> = source().lines().map(str::to_string).collect();
    for (result, waived) in suppressed.iter().zip(&report.waived) {
        let suppression = &result["suppressions"][0];
        assert_eq!(suppression["kind"], "inSource");
        assert_eq!(suppression["status"], "accepted");
        assert_eq!(
            suppression["justification"].as_str(),
            waived.waiver.reason.as_deref()
        );
        let region = &suppression["location"]["physicalLocation"]["region"];
        assert_eq!(
            region["startLine"].as_u64(),
            Some(u64::from(waived.waiver.location.line()))
        );
        // The waiver's entry, `rule:` to `source:`.
        let end = region["endLine"].as_u64().unwrap() as usize;
        assert!(
            lines[end - 1].trim_start().starts_with("source:"),
            "{}",
            lines[end - 1]
        );
    }
}

/// A repository (a `.git` directory) with the fixture in `scenarios/`.
fn repository() -> std::path::PathBuf {
    let repo = scratch("sarif-repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(&repo, "scenarios/kabul.yaml", &source());
    std::fs::canonicalize(&repo).unwrap()
}

fn uri_of(value: &serde_json::Value) -> &serde_json::Value {
    &results(value)[0]["locations"][0]["physicalLocation"]["artifactLocation"]
}

#[test]
fn sarif_from_a_subdirectory_links_from_the_repository_root() {
    let repo = repository();
    let run = parity_in(
        &repo.join("scenarios"),
        &["check", "kabul.yaml", "--format", "sarif"],
    );
    run.exits(1);
    let value = parse(&run.stdout);
    assert_eq!(uri_of(&value)["uri"], "scenarios/kabul.yaml");
    assert_eq!(uri_of(&value)["uriBaseId"], "%SRCROOT%");
    let root = format!("file://{}/", repo.display());
    assert_eq!(
        value["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        root
    );
    // Every location, evidence and suppressions included, is under it.
    for uri in run
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("\"uri\": "))
    {
        assert!(
            uri.contains("\"scenarios/kabul.yaml\"") || uri.contains(&root),
            "{uri}"
        );
    }
    // The same from the root, and with --base-dir naming it.
    let from_root = parity_in(
        &repo,
        &["check", "scenarios/kabul.yaml", "--format", "sarif"],
    );
    assert_eq!(from_root.stdout, run.stdout);
    let named = parity_in(
        &repo.join("scenarios"),
        &[
            "check",
            "kabul.yaml",
            "--format",
            "sarif",
            "--base-dir",
            "..",
        ],
    );
    assert_eq!(named.stdout, run.stdout);
    // --base-dir elsewhere: URIs relative to it.
    let here = parity_in(
        &repo.join("scenarios"),
        &[
            "check",
            "kabul.yaml",
            "--format",
            "sarif",
            "--base-dir",
            ".",
        ],
    );
    assert_eq!(uri_of(&parse(&here.stdout))["uri"], "kabul.yaml");
}

#[test]
fn a_base_directory_that_is_not_one_is_refused() {
    let dir = std::fs::canonicalize(scratch("sarif-bad-base")).unwrap();
    write(&dir, "kabul.yaml", &source());
    for base in ["missing", "kabul.yaml"] {
        let run = parity_in(
            &dir,
            &[
                "check",
                "kabul.yaml",
                "--format",
                "sarif",
                "--base-dir",
                base,
            ],
        );
        run.exits(2);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(
            run.stderr
                .contains(&format!("--base-dir {base} is not a directory")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn sarif_outside_a_repository_is_relative_to_the_working_directory() {
    let dir = std::fs::canonicalize(scratch("sarif-no-repo")).unwrap();
    write(&dir, "sub/kabul.yaml", &source());
    let run = parity_in(
        &dir.join("sub"),
        &["check", "kabul.yaml", "--format", "sarif"],
    );
    run.exits(1);
    let value = parse(&run.stdout);
    if dir.ancestors().any(|d| d.join(".git").exists()) {
        return; // The temporary directory is inside a repository here.
    }
    assert_eq!(uri_of(&value)["uri"], "kabul.yaml");
    let root = format!("file://{}/", dir.join("sub").display());
    assert_eq!(
        value["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        root
    );
}

#[test]
fn sarif_invocation_says_whether_every_file_was_checked() {
    let repo = repository();
    write(
        &repo,
        "scenarios/broken.yaml",
        "scenario: broken\nas_of: 2024-13-01\nstates: [\n",
    );
    let run = parity_in(&repo, &["check", "scenarios", "--format", "sarif"]);
    run.exits(2);
    let value = parse(&run.stdout);
    assert_valid_sarif(&value);
    let invocation = &value["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert!(!notes.is_empty());
    for note in notes {
        assert_eq!(note["level"], "error");
        let uri = &note["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(uri["uri"], "scenarios/broken.yaml");
        assert!(note["descriptor"]["id"].as_str().is_some());
    }
    let clean = parity_in(
        &repo,
        &["check", "scenarios/kabul.yaml", "--format", "sarif"],
    );
    let value = parse(&clean.stdout);
    assert_valid_sarif(&value);
    let invocation = &value["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert!(invocation.get("toolExecutionNotifications").is_none());
}

#[test]
fn snapshot_junit() {
    insta::assert_snapshot!(junit::render(&[report()], &[], &rules(), Severity::Error));
}

/// Parses the JUnit XML strictly and returns (testcase count, failure count).
fn parse_junit(text: &str) -> (usize, usize) {
    let doc = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("JUnit is not well-formed XML: {e}\n{text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let mut cases = 0;
    let mut failures = 0;
    let mut names = std::collections::HashSet::new();
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let mut suite_cases = 0;
        let mut suite_failures = 0;
        for case in suite.children().filter(|n| n.has_tag_name("testcase")) {
            suite_cases += 1;
            let key = (
                case.attribute("classname").unwrap().to_string(),
                case.attribute("name").unwrap().to_string(),
            );
            assert!(names.insert(key.clone()), "duplicate testcase {key:?}");
            let case_failures = case
                .children()
                .filter(|n| n.has_tag_name("failure"))
                .count();
            assert!(case_failures <= 1, "one <failure> per testcase");
            suite_failures += case_failures;
            assert_eq!(
                case.children()
                    .filter(|n| n.has_tag_name("skipped"))
                    .count(),
                0
            );
        }
        assert_eq!(
            suite.attribute("tests"),
            Some(suite_cases.to_string().as_str())
        );
        assert_eq!(
            suite.attribute("failures"),
            Some(suite_failures.to_string().as_str())
        );
        cases += suite_cases;
        failures += suite_failures;
    }
    assert_eq!(root.attribute("tests"), Some(cases.to_string().as_str()));
    assert_eq!(
        root.attribute("failures"),
        Some(failures.to_string().as_str())
    );
    (cases, failures)
}

#[test]
fn junit_is_well_formed_and_counts_match() {
    let rules = rules();
    let report = report();
    let (cases, failures) = parse_junit(&junit::render(
        std::slice::from_ref(&report),
        &[],
        &rules,
        Severity::Error,
    ));
    // Every rule, parity's two waiver rules, every claim.
    assert_eq!(cases, rules.rules.len() + 2 + report.claims.len());
    assert_eq!(failures, 1, "only implied-recognition is an error");
    let (_, failures) = parse_junit(&junit::render(&[report], &[], &rules, Severity::Warning));
    assert_eq!(
        failures, 4,
        "implied-recognition, credentials, head-vacant, orphan-mission"
    );
    let (_, failures) = parse_junit(&junit::render(
        &[failing_claim_report()],
        &[],
        &rules,
        Severity::Error,
    ));
    assert_eq!(failures, 2);
}

#[test]
fn junit_escapes_markup_and_control_characters() {
    let mut report = report();
    let finding = &mut report.findings[0];
    finding.message = "a < b & \"c\" > 'd'\u{1}\u{8}\u{b}\u{c}\u{fffe} ]]> \r\n end".to_string();
    report.claims[0].title = "dup".to_string();
    report.claims[1].title = "dup".to_string();
    let text = junit::render(&[report], &[], &rules(), Severity::Error);
    parse_junit(&text);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(
        failure.attribute("message"),
        Some("a < b & \"c\" > 'd'\\u{1}\\u{8}\\u{b}\\u{c}\u{fffd} ]]> \r\n end")
    );
    assert!(text.contains("name=\"claim: dup\""));
    assert!(text.contains("name=\"claim: dup (2)\""));
}

#[test]
fn snapshot_github() {
    insta::assert_snapshot!(github::render(&[report()], &[]));
}

#[test]
fn github_commands_escape_data_and_properties() {
    let mut report = report();
    report.findings.truncate(1);
    report.claims.clear();
    let finding = &mut report.findings[0];
    finding.message = "100% sure,\nreally: yes\r".to_string();
    finding.cite = "art. 1".to_string();
    finding.rule = "odd:rule,id".to_string();
    finding.location.file = "dir,x/a:b%.yaml".to_string();
    finding.evidence.truncate(1);
    finding.evidence[0].text = "a, b: 5%".to_string();
    let text = github::render(&[report], &[]);
    let (command, summary) = text.split_once('\n').unwrap();
    assert_eq!(
        command,
        "::error file=dir%2Cx/a%3Ab%25.yaml,line=269,col=5,title=odd%3Arule%2Cid::100%25 sure,\\u{a}really: yes\\u{d} (cite: art. 1)%0AWhy: a, b: 5%25"
    );
    // A line break in a text is shown (`diag::printable`), like any control
    // character; the runner's own escaping is still that of actions/toolkit.
    assert_eq!(
        github::data("100% sure,\nreally\r"),
        "100%25 sure,%0Areally%0D"
    );
    // Then the counts, as plain text (not a command, so not an annotation).
    assert!(summary.starts_with("parity: kabul-2024-09: "), "{summary}");
    assert_eq!(summary.lines().count(), 1, "{summary}");
    // One command per line, each a command, then one summary per scenario.
    let all = github::render(&[failing_claim_report()], &[]);
    let (commands, summaries): (Vec<&str>, Vec<&str>) =
        all.lines().partition(|line| line.starts_with("::"));
    assert_eq!(summaries.len(), 1, "{all}");
    assert!(summaries[0].starts_with("parity: "), "{all}");
    for line in commands {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
    }
    assert!(all.contains(",title=claim::claim fails: "));
}

#[test]
fn snapshot_markdown() {
    let scenario = scenario(&source());
    let report = report_of(&scenario);
    let world = World::at(&scenario, date());
    insta::assert_snapshot!(markdown::render(&[(&report, &world)], &[]));
}

#[test]
fn snapshot_graph_dot() {
    let scenario = scenario(&source());
    let report = report_of(&scenario);
    let world = World::at(&scenario, date());
    insta::assert_snapshot!(graph::render(&world, Some(&report), GraphFormat::Dot));
}

#[test]
fn snapshot_graph_mermaid() {
    let scenario = scenario(&source());
    let report = report_of(&scenario);
    let world = World::at(&scenario, date());
    insta::assert_snapshot!(graph::render(&world, Some(&report), GraphFormat::Mermaid));
}

#[test]
fn dot_output_is_structurally_sound() {
    let scenario = scenario(&source());
    let report = report_of(&scenario);
    let world = World::at(&scenario, date());
    let dot = graph::render(&world, Some(&report), GraphFormat::Dot);
    // Braces balance outside quoted strings; the graph closes at the end.
    let (mut depth, mut quoted, mut escaped) = (0i32, false, false);
    for c in dot.chars() {
        match (quoted, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => quoted = !quoted,
            (false, _, '{') => depth += 1,
            (false, _, '}') => {
                depth -= 1;
                assert!(depth >= 0, "unbalanced braces");
            }
            _ => {}
        }
    }
    assert_eq!((depth, quoted), (0, false));
    assert!(dot.starts_with("digraph \"kabul-2024-09\" {\n") && dot.ends_with("}\n"));
    // One node statement per state, each state once; one edge per open mission.
    let nodes: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains(" [label=") && !l.contains(" -> "))
        .collect();
    assert_eq!(nodes.len(), world.states.len());
    for state in &world.states {
        let head = format!("  \"{}\" [label=", state.record.id.value);
        assert_eq!(nodes.iter().filter(|l| l.starts_with(&head)).count(), 1);
    }
    let edges: Vec<&str> = dot.lines().filter(|l| l.contains(" -> ")).collect();
    assert_eq!(edges.len(), world.missions.len());
    // Missions with an error or warning are red; waived ones are not.
    let red = |id: &str| {
        edges
            .iter()
            .find(|l| l.contains(&format!("[id=\"{id}\"")))
            .unwrap()
            .contains("color=red")
    };
    assert!(red("chn-in-afg") && red("kaz-in-afg") && red("afg-in-aus"));
    // afg-in-nld's only finding (head-vacant) is waived.
    assert!(!red("afg-in-kaz") && !red("afg-in-nld"));
}

#[test]
fn renderers_are_deterministic() {
    let scenario = scenario(&source());
    let world = World::at(&scenario, date());
    let render = || {
        let report = report_of(&scenario);
        let rules = rules();
        [
            sarif::render(
                std::slice::from_ref(&report),
                &[],
                &rules,
                &sarif::Base::at(Path::new(".")),
                &sources_of(&source()),
            ),
            junit::render(
                std::slice::from_ref(&report),
                &[],
                &rules,
                Severity::Warning,
            ),
            github::render(std::slice::from_ref(&report), &[]),
            markdown::render(&[(&report, &world)], &[]),
            graph::render(&world, Some(&report), GraphFormat::Mermaid),
        ]
    };
    assert_eq!(render(), render());
}

#[test]
fn snapshot_csv() {
    insta::assert_snapshot!(csv::render(&[report()]));
}

#[test]
fn snapshot_timeline_csv() {
    let scenario = scenario(&source());
    let timeline = parity::engine::timeline::timeline(
        &scenario,
        &rules(),
        None,
        None,
        &CheckOptions::default(),
    )
    .unwrap_or_else(|d| panic!("timeline: {d:#?}"));
    insta::assert_snapshot!(csv::render_timeline(&timeline));
}

/// SYNTHETIC: `n` invented states, an embassy of each in every other; the
/// first `vacant` states' embassies in the next state have no head, and
/// every embassy of state k > `vacant` has an envoy facing ambassadors
/// (`rank-parity` errors for each of its pairs) when `envoys`.
fn dense_world(n: usize, vacant: usize, envoys: bool) -> (Scenario, Report) {
    let mut yaml = String::from(
        "# Synthetic, invented states.\nscenario: dense\nas_of: 2024-01-01\nstates:\n",
    );
    for i in 0..n {
        yaml.push_str(&format!("  - {{ id: S{i:02}, name: State {i} }}\n"));
    }
    yaml.push_str("missions:\n");
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            yaml.push_str(&format!(
                "  - {{ id: s{i:02}-in-s{j:02}, sender: S{i:02}, receiver: S{j:02}, kind: embassy, from: 2000-01-01"
            ));
            if i < vacant && j == i + 1 {
                yaml.push_str(" }\n");
            } else {
                let rank = if envoys && i > vacant && i % 2 == 0 {
                    "envoy"
                } else {
                    "ambassador"
                };
                // Heads with no `from`: rules that count days skip them
                // (`credentials-pending`), so only the parity of ranks is at issue.
                yaml.push_str(&format!(", heads: [ {{ rank: {rank} }} ] }}\n"));
            }
        }
    }
    let scenario =
        load_str(&yaml, "dense.yaml", &YamlLimits::default()).unwrap_or_else(|d| panic!("{d:#?}"));
    let report =
        check(&scenario, &rules(), &CheckOptions::default()).unwrap_or_else(|d| panic!("{d:#?}"));
    (scenario, report)
}

#[test]
fn markdown_stays_under_the_comment_limit_and_says_what_it_left_out() {
    let (scenario, report) = dense_world(60, 0, true);
    let world = World::at(&scenario, Date::parse("2024-01-01").unwrap());
    let errors = report.findings.len();
    assert!(
        errors > 800,
        "the world must overflow a comment: {errors} findings"
    );
    let text = markdown::render(&[(&report, &world)], &[]);
    let chars = text.chars().count();
    assert!(chars <= markdown::COMMENT_LIMIT, "{chars} characters");
    assert!(
        chars > markdown::COMMENT_LIMIT - 5_000,
        "fills the comment: {chars}"
    );
    // The summary comes first and counts everything.
    assert!(
        text.starts_with("## parity\n\n| scenario |"),
        "{}",
        &text[..200]
    );
    assert!(
        text.contains(&format!("| `dense` (2024-01-01) | {errors} | 0 |")),
        "{}",
        &text[..400]
    );
    let shown = text
        .lines()
        .filter(|l| l.starts_with("- **`rank-parity`**"))
        .count();
    assert!(
        text.contains(&format!("#### Errors ({errors}, {shown} shown)")),
        "{shown}"
    );
    assert!(
        text.contains(&format!(
            "_{} finding(s) or claim(s) and 1 diagram(s) are left out",
            errors - shown
        )),
        "{}",
        &text[text.len().saturating_sub(400)..]
    );
    assert!(!text.contains("```mermaid"));
}

#[test]
fn a_network_larger_than_mermaid_draws_is_named_not_drawn() {
    // 23 states: 506 embassies among the states involved, over Mermaid's 500.
    let (scenario, report) = dense_world(23, 22, false);
    let world = World::at(&scenario, Date::parse("2024-01-01").unwrap());
    let text = markdown::render(&[(&report, &world)], &[]);
    assert!(text.chars().count() <= markdown::COMMENT_LIMIT);
    assert!(
        !text.contains("```mermaid"),
        "no diagram Mermaid would refuse"
    );
    assert!(
        text.contains("506 missions among 23 states: more than a Mermaid diagram draws (500 edges, 50000 characters). Draw them with `parity graph dense.yaml --as-of 2024-01-01 --format dot`."),
        "{text}"
    );
    assert!(!text.contains("left out"), "the findings themselves fit");
    // Below the limit the diagram is drawn (the Kabul snapshot has one).
    let (scenario, report) = dense_world(4, 3, false);
    let world = World::at(&scenario, Date::parse("2024-01-01").unwrap());
    assert!(markdown::render(&[(&report, &world)], &[]).contains("```mermaid"));
}
