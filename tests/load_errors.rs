//! The scenario loader: every class of input error, located and worded in the
//! user's own names, and a complete valid scenario.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Shown;
use parity::diag::{Diagnostic, Loc};
use parity::scenario::load::load_str;
use parity::scenario::model::{Change, Level, MissionKind, Rank, Scenario, StateKind};
use parity::scenario::yaml::YamlLimits;

/// Lines joined with newlines: line N of the file is `lines[N - 1]`.
fn yaml(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn load(lines: &[&str]) -> Result<Scenario, Vec<Diagnostic>> {
    load_str(&yaml(lines), "t.yaml", &YamlLimits::default())
}

fn errors(lines: &[&str]) -> Vec<Shown> {
    match load(lines) {
        Ok(_) => panic!("expected errors, the scenario loaded"),
        Err(diags) => {
            let text = yaml(lines);
            diags.into_iter().map(|d| Shown::new(d, &text)).collect()
        }
    }
}

/// The one diagnostic of a file.
fn only(lines: &[&str]) -> Shown {
    let diags = errors(lines);
    assert_eq!(diags.len(), 1, "expected one diagnostic, got {diags:#?}");
    diags.into_iter().next().unwrap()
}

fn ok(lines: &[&str]) -> Scenario {
    match load(lines) {
        Ok(scenario) => scenario,
        Err(diags) => {
            let text = yaml(lines);
            let rendered: String = diags.iter().map(|d| d.render(Some(&text))).collect();
            panic!("expected the scenario to load:\n{rendered}")
        }
    }
}

fn assert_diag(d: &Shown, code: &str, message: &str, line: u32, column: u32) {
    assert_eq!(d.code, code, "{d:#?}");
    assert_eq!(d.message, message, "{d:#?}");
    assert_eq!(d.loc, Loc::new(line, column), "{d:#?}");
    assert_eq!(d.file, "t.yaml");
}

fn help(d: &Diagnostic) -> &str {
    d.help.as_deref().unwrap_or("")
}

/// A small valid world the error tests add to.
const STATES: &[&str] = &[
    "scenario: t",
    "states:",
    "  - id: AFG",
    "  - id: KAZ",
    "governments:",
    "  - id: islamic-republic",
    "    state: AFG",
    "    until: 2021-08-15",
    "  - id: islamic-emirate",
    "    state: AFG",
    "    from: 2021-08-15",
];

fn with_states(rest: &[&'static str]) -> Vec<&'static str> {
    STATES.iter().chain(rest).copied().collect()
}

// ---------------------------------------------------------------------------
// Decoding errors

#[test]
fn syntax_error_is_reported_alone() {
    let d = only(&["scenario: t", "states: [", "missions: x"]);
    assert_eq!(d.code, "yaml-syntax");
}

#[test]
fn unknown_key_names_the_record_and_the_nearest_key() {
    let diags = errors(&with_states(&[
        "missions:",          // 12
        "  - id: kaz-in-afg", // 13
        "    sender: KAZ",    // 14
        "    reciever: AFG",  // 15
        "    kind: embassy",  // 16
    ]));
    // One root cause, one error: the misspelt key explains the missing one.
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_diag(
        &diags[0],
        "unknown-key",
        "unknown key `reciever` in a mission",
        15,
        5,
    );
    assert_eq!(help(&diags[0]), "did you mean `receiver`?");
}

#[test]
fn unknown_key_far_from_any_lists_the_valid_keys() {
    let d = only(&["scenario: t", "states:", "  - id: AFG", "    colour: green"]);
    assert_diag(&d, "unknown-key", "unknown key `colour` in a state", 4, 5);
    assert_eq!(
        help(&d),
        "the keys of a state are: `id`, `name`, `kind`, `nuncio_precedence`, `commonwealth`, `source`"
    );
}

#[test]
fn unknown_top_level_key() {
    let d = only(&["scenario: t", "misions: []"]);
    assert_diag(
        &d,
        "unknown-key",
        "unknown key `misions` in the scenario",
        2,
        1,
    );
    assert_eq!(help(&d), "did you mean `missions`?");
}

#[test]
fn missing_key_is_located_at_the_record() {
    let d = only(&with_states(&[
        "missions:",                            // 12
        "  - id: kaz-in-afg",                   // 13
        "    sender: KAZ",                      // 14
        "    receiver: AFG",                    // 15
        "    kind: embassy",                    // 16
        "    heads:",                           // 17
        "      - name: Alimkhan Yesengeldiyev", // 18
        "        from: 2018-04",                // 19
    ]));
    assert_diag(&d, "missing-key", "a head needs `rank`", 18, 9);
}

#[test]
fn missing_scenario_id_and_empty_file() {
    let d = only(&["title: nothing else"]);
    assert_diag(&d, "missing-key", "the scenario needs `scenario`", 1, 1);
    let d = only(&[""]);
    assert_diag(
        &d,
        "empty-file",
        "t.yaml is empty: there is no scenario to check",
        1,
        1,
    );
    let d = only(&["# only a comment"]);
    assert_eq!(d.code, "empty-file");
}

#[test]
fn wrong_type_says_what_was_expected_and_found() {
    let d = only(&["scenario: t", "as_of: [2024]"]);
    assert_diag(&d, "wrong-type", "expected a date, found a list", 2, 8);
    let d = only(&["scenario: t", "states: AFG"]);
    assert_diag(
        &d,
        "wrong-type",
        "expected a list of states, found a string",
        2,
        9,
    );
    let d = only(&["scenario: t", "states:", "  - AFG"]);
    assert_diag(
        &d,
        "wrong-type",
        "expected a state (a mapping of `key: value`), found a string",
        3,
        5,
    );
    let d = only(&[
        "scenario: t",
        "states: [{id: AFG}, {id: KAZ}]",
        "missions:",
        "  - {id: m, sender: KAZ, receiver: AFG, kind: embassy, staff: [{diplomats: many}]}",
    ]);
    assert_diag(
        &d,
        "wrong-type",
        "expected a non-negative integer, found a string",
        4,
        76,
    );
}

#[test]
fn an_integer_where_an_id_is_expected_is_wrong_type() {
    let d = only(&["scenario: t", "states:", "  - id: 840"]);
    assert_diag(&d, "wrong-type", "expected an id, found an integer", 3, 9);
    let d = only(&[
        "scenario: t",
        "states: [{id: AFG}]",
        "recognitions:",
        "  - {by: 840, of: AFG, level: de-jure}",
    ]);
    assert_diag(
        &d,
        "wrong-type",
        "expected a state id, found an integer",
        4,
        10,
    );
}

#[test]
fn invalid_id() {
    let d = only(&["scenario: t", "sources:", "  - id: 1st-report"]);
    assert_diag(&d, "invalid-id", "`1st-report` is not a valid id", 3, 9);
    let d = only(&["scenario: kabul 2024"]);
    assert_diag(&d, "invalid-id", "`kabul 2024` is not a valid id", 1, 11);
}

#[test]
fn invalid_date() {
    let d = only(&["scenario: t", "as_of: 2024/01/01"]);
    assert_diag(
        &d,
        "invalid-date",
        "`2024/01/01` is not a date: write YYYY-MM-DD, YYYY-MM or YYYY",
        2,
        8,
    );
    let d = only(&["scenario: t", "as_of: 2024-1-5"]);
    assert_diag(
        &d,
        "invalid-date",
        "`2024-1-5` is not a date: write YYYY-MM-DD, YYYY-MM or YYYY",
        2,
        8,
    );
}

#[test]
fn impossible_date_says_why() {
    let d = only(&["scenario: t", "as_of: 2024-02-30"]);
    assert_diag(
        &d,
        "impossible-date",
        "`2024-02-30` is not a real date: February 2024 has 29 days",
        2,
        8,
    );
    let d = only(&["scenario: t", "as_of: 2023-02-29"]);
    assert_eq!(
        d.message,
        "`2023-02-29` is not a real date: February 2023 has 28 days"
    );
    let d = only(&["scenario: t", "as_of: 2024-13-01"]);
    assert_diag(
        &d,
        "impossible-date",
        "`2024-13-01` is not a real date: there is no month 13",
        2,
        8,
    );
}

#[test]
fn unknown_vocabulary_words() {
    let mission = |kind: &'static str, rank: &'static str| {
        with_states(&[
            "missions:",          // 12
            "  - id: kaz-in-afg", // 13
            "    sender: KAZ",    // 14
            "    receiver: AFG",  // 15
            kind,                 // 16
            "    heads:",         // 17
            rank,                 // 18
        ])
    };
    let d = only(&mission("    kind: embasy", "      - rank: ambassador"));
    assert_diag(&d, "unknown-kind", "unknown mission kind `embasy`", 16, 11);
    assert_eq!(help(&d), "did you mean `embassy`?");

    let d = only(&mission("    kind: embassy", "      - rank: ambasador"));
    assert_diag(&d, "unknown-rank", "unknown rank `ambasador`", 18, 15);
    assert_eq!(help(&d), "did you mean `ambassador`?");

    let d = only(&mission("    kind: embassy", "      - rank: pope"));
    assert_diag(&d, "unknown-rank", "unknown rank `pope`", 18, 15);
    assert!(
        help(&d).starts_with("a rank is one of: `ambassador`, `nuncio`,"),
        "{}",
        help(&d)
    );

    let d = only(&[
        "scenario: t",
        "states: [{id: AFG}, {id: KAZ}]",
        "recognitions:",
        "  - by: KAZ",
        "    of: AFG",
        "    level: dejure",
    ]);
    assert_diag(
        &d,
        "unknown-level",
        "unknown recognition level `dejure`",
        6,
        12,
    );
    assert_eq!(help(&d), "did you mean `de-jure`?");

    let d = only(&[
        "scenario: t",
        "states:",
        "  - id: EU",
        "    kind: organisation",
    ]);
    assert_diag(
        &d,
        "unknown-state-kind",
        "unknown state kind `organisation`",
        4,
        11,
    );
    assert_eq!(help(&d), "did you mean `organization`?");
}

#[test]
fn a_change_has_exactly_one_key() {
    let base = with_states(&[
        "missions:",                                                       // 12
        "  - {id: kaz-in-afg, sender: KAZ, receiver: AFG, kind: embassy}", // 13
        "proposals:",                                                      // 14
        "  - id: p",                                                       // 15
        "    on: 2024-10-01",                                              // 16
        "    changes:",                                                    // 17
    ]);
    let mut text = base.clone();
    text.extend([
        "      - recall: {mission: kaz-in-afg}",
        "        close: {mission: kaz-in-afg}",
    ]);
    let d = only(&text);
    assert_diag(
        &d,
        "too-many-keys",
        "a change has exactly one key, but this one has `recall` and `close`",
        19,
        9,
    );
    let mut text = base.clone();
    text.push("      - apoint: {mission: kaz-in-afg, head: {rank: ambassador}}");
    let d = only(&text);
    assert_diag(&d, "unknown-key", "unknown key `apoint` in a change", 18, 9);
    assert_eq!(help(&d), "did you mean `appoint`?");
    let mut text = base;
    text.push("      - {}");
    let d = only(&text);
    assert_diag(
        &d,
        "missing-key",
        "a change needs one of `appoint`, `recall`, `open`, `close`, `recognize`, `relate` or `event`",
        18,
        9,
    );
}

// ---------------------------------------------------------------------------
// Validation errors

#[test]
fn duplicate_ids_share_one_namespace() {
    let diags = errors(&with_states(&[
        "sources:",                                                             // 12
        "  - id: kaz-in-afg",                                                   // 13
        "missions:",                                                            // 14
        "  - {id: kaz-in-afg, sender: KAZ, receiver: AFG, kind: embassy}",      // 15
        "proposals:",                                                           // 16
        "  - id: p",                                                            // 17
        "    on: 2024",                                                         // 18
        "    changes:",                                                         // 19
        "      - open: {id: AFG, sender: KAZ, receiver: AFG, kind: consulate}", // 20
    ]));
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert_diag(
        &diags[0],
        "duplicate-id",
        "duplicate id `kaz-in-afg`: ids are unique across the whole file",
        15,
        10,
    );
    assert_eq!(help(&diags[0]), "first defined at line 13");
    assert_diag(
        &diags[1],
        "duplicate-id",
        "duplicate id `AFG`: ids are unique across the whole file",
        20,
        20,
    );
    assert_eq!(help(&diags[1]), "first defined at line 3");
}

#[test]
fn unknown_state_with_suggestion() {
    let d = only(&with_states(&[
        "missions:",                                                        // 12
        "  - {id: kaz-in-afg, sender: KAZZ, receiver: AFG, kind: embassy}", // 13
    ]));
    assert_diag(&d, "unknown-id", "unknown state `KAZZ`", 13, 30);
    assert_eq!(help(&d), "did you mean `KAZ`?");
}

#[test]
fn unknown_government_with_suggestion() {
    let d = only(&with_states(&[
        "recognitions:",                               // 12
        "  - by: KAZ",                                 // 13
        "    of: islamic-emirat",                      // 14
        "    level: de-facto",                         // 15
        "missions:",                                   // 16
        "  - id: kaz-in-afg",                          // 17
        "    sender: KAZ",                             // 18
        "    receiver: AFG",                           // 19
        "    kind: embassy",                           // 20
        "    heads:",                                  // 21
        "      - rank: ambassador",                    // 22
        "        credentials: { to: islamic-emirat }", // 23
    ]));
    assert_diag(
        &d,
        "unknown-id",
        "unknown state or government `islamic-emirat`",
        14,
        9,
    );
    assert_eq!(
        help(&d),
        "did you mean `islamic-emirate`? (also used at line 23)"
    );
}

#[test]
fn a_dangling_id_used_three_times_is_reported_once() {
    let d = only(&with_states(&[
        "missions:",                               // 12
        "  - id: kaz-in-afg",                      // 13
        "    sender: KAZ",                         // 14
        "    receiver: AFG",                       // 15
        "    kind: embassy",                       // 16
        "    source: sed",                         // 17
        "    heads:",                              // 18
        "      - {rank: ambassador, source: sed}", // 19
        "expect:",                                 // 20
        "  - claim: count(m in missions) == 1",    // 21
        "    source: sed",                         // 22
        "sources:",                                // 23
        "  - id: seed",                            // 24
    ]));
    assert_diag(&d, "unknown-id", "unknown source `sed`", 17, 13);
    assert_eq!(help(&d), "did you mean `seed`? (also used at lines 19, 22)");
}

#[test]
fn implicit_governments() {
    // KAZ lists no government: its id is its implicit government's.
    let scenario = ok(&with_states(&[
        "missions:",
        "  - id: afg-in-kaz",
        "    sender: AFG",
        "    receiver: KAZ",
        "    kind: embassy",
        "    run_by: islamic-emirate",
        "    heads:",
        "      - rank: charge-d-affaires",
        "        credentials: { to: KAZ }",
    ]));
    assert_eq!(scenario.missions.len(), 1);
    // AFG lists governments: `AFG` is then no government's id.
    let d = only(&with_states(&[
        "missions:",                        // 12
        "  - id: kaz-in-afg",               // 13
        "    sender: KAZ",                  // 14
        "    receiver: AFG",                // 15
        "    kind: embassy",                // 16
        "    heads:",                       // 17
        "      - rank: ambassador",         // 18
        "        credentials: { to: AFG }", // 19
    ]));
    assert_diag(&d, "unknown-id", "unknown government `AFG`", 19, 28);
    assert!(
        help(&d).contains("`islamic-republic` or `islamic-emirate`"),
        "{}",
        help(&d)
    );
}

#[test]
fn wrong_state_for_credentials_and_run_by() {
    let diags = errors(&with_states(&[
        "missions:",                        // 12
        "  - id: afg-in-kaz",               // 13
        "    sender: KAZ",                  // 14
        "    receiver: AFG",                // 15
        "    kind: embassy",                // 16
        "    run_by: islamic-emirate",      // 17
        "    heads:",                       // 18
        "      - rank: ambassador",         // 19
        "        credentials: { to: KAZ }", // 20
    ]));
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert_diag(
        &diags[0],
        "wrong-state",
        "`islamic-emirate` governs AFG, but this mission is sent by KAZ",
        17,
        13,
    );
    assert_diag(
        &diags[1],
        "wrong-state",
        "`KAZ` governs KAZ, but this mission is received by AFG",
        20,
        28,
    );
}

#[test]
fn proposals_refer_to_missions_of_the_file_or_opened_before() {
    let base = with_states(&[
        "missions:",                                                       // 12
        "  - {id: kaz-in-afg, sender: KAZ, receiver: AFG, kind: embassy}", // 13
        "proposals:",                                                      // 14
        "  - id: p",                                                       // 15
        "    on: 2024-10-01",                                              // 16
        "    changes:",                                                    // 17
    ]);
    let mut good = base.clone();
    good.extend([
        "      - recall: {mission: kaz-in-afg}",
        "      - open: {id: afg-in-kaz, sender: AFG, receiver: KAZ, kind: embassy}",
        "      - appoint: {mission: afg-in-kaz, head: {rank: ambassador, credentials: {to: KAZ}}}",
        "      - close: {mission: afg-in-kaz}",
    ]);
    ok(&good);
    let mut bad = base;
    bad.extend([
        "      - appoint: {mission: afg-in-kaz, head: {rank: ambassador}}", // 18
        "      - open: {id: afg-in-kaz, sender: AFG, receiver: KAZ, kind: embassy}", // 19
    ]);
    let d = only(&bad);
    assert_diag(&d, "unknown-id", "unknown mission `afg-in-kaz`", 18, 28);
    assert_eq!(
        help(&d),
        "it is opened later in this proposal: open it before this change"
    );
}

#[test]
fn until_before_from() {
    let d = only(&with_states(&[
        "recognitions:",      // 12
        "  - by: KAZ",        // 13
        "    of: AFG",        // 14
        "    level: de-jure", // 15
        "    from: 2021-05",  // 16
        "    until: 2020",    // 17
    ]));
    assert_diag(
        &d,
        "until-before-from",
        "`until: 2020` is before `from: 2021-05`",
        17,
        12,
    );
    // An empty period (until == from) is allowed.
    ok(&with_states(&[
        "recognitions:",
        "  - {by: KAZ, of: AFG, level: de-jure, from: 2021-05, until: 2021-05-01}",
    ]));
}

/// A mission a proposal opens is checked as the file's own are: its period
/// (here where it is decoded) and its heads' overlaps (in validation).
#[test]
fn a_mission_a_proposal_opens_is_checked_as_the_files_own() {
    let opened = |heads: &'static str| {
        with_states(&[
            "proposals:",               // 12
            "  - id: p",                // 13
            "    on: 2024",             // 14
            "    changes:",             // 15
            "      - open:",            // 16
            "          id: kaz-in-afg", // 17
            "          sender: KAZ",    // 18
            "          receiver: AFG",  // 19
            "          kind: embassy",  // 20
            heads,                      // 21
        ])
    };
    let d = only(&opened(
        "          heads: [ { rank: ambassador, from: 2024-06, until: 2024 } ]",
    ));
    assert_eq!(d.code, "until-before-from", "{d:#?}");
    assert_eq!(d.message, "`until: 2024` is before `from: 2024-06`");
    assert_eq!(d.loc.line, 21);
    let d = only(&opened(
        "          heads: [ { rank: ambassador, from: 2020 }, { rank: envoy, from: 2022 } ]",
    ));
    assert_eq!(d.code, "overlapping-heads", "{d:#?}");
    assert_eq!(
        d.message,
        "two heads of mission `kaz-in-afg` are in office at once"
    );
    assert_eq!(d.loc.line, 21);
}

#[test]
fn overlapping_heads() {
    let heads = |second_from: &'static str| {
        with_states(&[
            "missions:",                          // 12
            "  - id: kaz-in-afg",                 // 13
            "    sender: KAZ",                    // 14
            "    receiver: AFG",                  // 15
            "    kind: embassy",                  // 16
            "    heads:",                         // 17
            "      - rank: ambassador",           // 18
            "        from: 2018-04",              // 19
            "        until: 2024-09-09",          // 20
            "      - rank: charge-d-affaires-ai", // 21
            second_from,                          // 22
        ])
    };
    let d = only(&heads("        from: 2024-09"));
    assert_diag(
        &d,
        "overlapping-heads",
        "two heads of mission `kaz-in-afg` are in office at once",
        21,
        9,
    );
    assert_eq!(
        help(&d),
        "overlaps the head at line 18 (from 2018-04 until 2024-09-09)"
    );
    // Half-open: the next head may start on the day the last one ended.
    ok(&heads("        from: 2024-09-09"));
    // A head with no `from` has been in office since ever.
    let d = only(&heads("        name: X"));
    assert_eq!(d.code, "overlapping-heads");
}

#[test]
fn overlapping_governments_are_not_an_error() {
    ok(&[
        "scenario: t",
        "states: [{id: AFG}]",
        "governments:",
        "  - {id: islamic-republic, state: AFG, until: 2021-09}",
        "  - {id: islamic-emirate, state: AFG, from: 2021-08-15}",
    ]);
}

// ---------------------------------------------------------------------------
// All problems at once, each once

#[test]
fn several_errors_are_all_reported_in_position_order() {
    let diags = errors(&with_states(&[
        "as_of: 2024-02-30",                                          // 12
        "recognitions:",                                              // 13
        "  - {by: KAZ, of: AFG, level: de-jur}",                      // 14
        "missions:",                                                  // 15
        "  - id: kaz-in-afg",                                         // 16
        "    sender: UZB",                                            // 17
        "    receiver: AFG",                                          // 18
        "    kind: embassy",                                          // 19
        "    cty: Kabul",                                             // 20
        "  - {id: AFG, sender: KAZ, receiver: AFG, kind: consulate}", // 21
    ]));
    let found: Vec<(&str, u32, u32)> = diags
        .iter()
        .map(|d| (d.code.as_str(), d.loc.line, d.loc.column))
        .collect();
    assert_eq!(
        found,
        [
            ("impossible-date", 12, 8),
            ("unknown-level", 14, 31),
            ("unknown-id", 17, 13),
            ("unknown-key", 20, 5),
            ("duplicate-id", 21, 10),
        ]
    );
}

#[test]
fn a_broken_state_does_not_cascade_into_unknown_ids() {
    let diags = errors(&[
        "scenario: t",                                                     // 1
        "states:",                                                         // 2
        "  - id: AFG",                                                     // 3
        "  - idd: KAZ",                                                    // 4
        "  - id: CHN",                                                     // 5
        "    kind: republic",                                              // 6
        "missions:",                                                       // 7
        "  - {id: kaz-in-afg, sender: KAZ, receiver: AFG, kind: embassy}", // 8
        "  - {id: chn-in-afg, sender: CHN, receiver: AFG, kind: embassy}", // 9
        "  - {id: afg-in-chn, sender: AFG, receiver: CHN, kind: embassy,", // 10
        "     heads: [{rank: ambassador, credentials: {to: CHN}}]}",       // 11
    ]);
    let found: Vec<(&str, u32, u32)> = diags
        .iter()
        .map(|d| (d.code.as_str(), d.loc.line, d.loc.column))
        .collect();
    assert_eq!(
        found,
        [("unknown-key", 4, 5), ("unknown-state-kind", 6, 11)],
        "{diags:#?}"
    );
}

#[test]
fn a_broken_mission_does_not_cascade_either() {
    let d = only(&with_states(&[
        "missions:",                                                      // 12
        "  - {id: kaz-in-afg, sender: KAZ, receiver: AFG, kind: embasy}", // 13
        "proposals:",                                                     // 14
        "  - id: p",                                                      // 15
        "    on: 2024-10-01",                                             // 16
        "    changes:",                                                   // 17
        "      - recall: {mission: kaz-in-afg}",                          // 18
    ]));
    assert_diag(&d, "unknown-kind", "unknown mission kind `embasy`", 13, 56);
}

#[test]
fn a_bad_date_does_not_cause_overlaps() {
    let d = only(&with_states(&[
        "missions:",                                 // 12
        "  - id: kaz-in-afg",                        // 13
        "    sender: KAZ",                           // 14
        "    receiver: AFG",                         // 15
        "    kind: embassy",                         // 16
        "    heads:",                                // 17
        "      - {rank: ambassador, until: 2018}",   // 18
        "      - {rank: ambassador, from: 2018-13}", // 19
    ]));
    assert_eq!(d.code, "impossible-date");
}

// ---------------------------------------------------------------------------
// A valid scenario

const FULL: &[&str] = &[
    "scenario: kabul-2024-09",
    "title: Foreign diplomatic corps in Kabul, September 2024",
    "as_of: 2024-09-27",
    "sources:",
    "  - id: seed",
    "    title: \"Redefining Diplomacy: Kazakhstan's Strategic Shift\"",
    "    date: 2024-09",
    "    url: https://example.org/seed",
    "states:",
    "  - id: AFG",
    "    name: Afghanistan",
    "  - id: KAZ",
    "    name: Kazakhstan",
    "    source: seed",
    "  - id: EU",
    "    name: European Union",
    "    kind: organization",
    "  - id: VAT",
    "    kind: holy-see",
    "governments:",
    "  - id: islamic-republic",
    "    state: AFG",
    "    name: Islamic Republic of Afghanistan",
    "    until: 2021-08-15",
    "    default_recognition: de-jure",
    "    source: seed",
    "  - id: islamic-emirate",
    "    state: AFG",
    "    name: Islamic Emirate of Afghanistan (Taliban)",
    "    from: 2021-08-15",
    "recognitions:",
    "  - by: KAZ",
    "    of: islamic-emirate",
    "    level: de-facto",
    "    from: 2021-08-15",
    "    until: 2030",
    "    source: seed",
    "missions:",
    "  - id: kaz-in-afg",
    "    sender: KAZ",
    "    receiver: AFG",
    "    kind: embassy",
    "    city: Kabul",
    "    run_by: KAZ",
    "    from: 1992",
    "    until: null",
    "    source: seed",
    "    staff:",
    "      - { diplomats: 12, from: 2023-01 }",
    "      - diplomats: 0",
    "        from: 2021-08",
    "        until: 2023-01",
    "        source: seed",
    "    heads:",
    "      - name: Alimkhan Yesengeldiyev",
    "        rank: ambassador",
    "        from: 2018-04",
    "        until: 2024-09-09",
    "        agrement: 2018-03",
    "        credentials: { to: islamic-republic, on: 2018-04-20 }",
    "        source: seed",
    "      - rank: charge-d-affaires-ai",
    "        from: 2024-09-09",
    "proposals:",
    "  - id: kaz-sends-ambassador",
    "    title: Kazakhstan appoints an ambassador to Kabul",
    "    on: 2024-10-01",
    "    source: seed",
    "    changes:",
    "      - appoint:",
    "          mission: kaz-in-afg",
    "          head: { rank: ambassador, credentials: { to: islamic-emirate, on: 2024-10-01 } }",
    "      - recall: { mission: kaz-in-afg }",
    "      - open: { id: kaz-cg-mazar, sender: KAZ, receiver: AFG, kind: consulate-general, city: Mazar-i-Sharif }",
    "      - close: { mission: kaz-cg-mazar }",
    "      - recognize: { by: KAZ, of: islamic-emirate, level: de-jure, from: 2024-10-01 }",
    "expect:",
    "  - claim: count(m in missions where m.receiver == AFG and class(m.head.rank) == 1) == 6",
    "    source: seed",
    "    title: Only six missions in Kabul are headed by ambassadors",
    "waivers:",
    "  - rule: implied-recognition",
    "    subject: kaz-in-afg",
    "    reason: Accepted by decision of the desk",
    "    until: 2025-12-31",
    "    source: seed",
    "  - rule: rank-parity",
    "    subject: [kaz-in-afg, kaz-cg-mazar]",
];

#[test]
fn a_scenario_with_every_key_loads_with_the_right_values() {
    let s = ok(FULL);
    assert_eq!(s.file, "t.yaml");
    assert_eq!(s.id.value, "kabul-2024-09");
    assert_eq!(s.loc(s.id.span), Loc::new(1, 11));
    assert_eq!(
        s.title.as_deref(),
        Some("Foreign diplomatic corps in Kabul, September 2024")
    );
    assert_eq!(
        s.as_of.as_ref().map(|d| d.value.to_string()).as_deref(),
        Some("2024-09-27")
    );

    let source = &s.sources[0];
    assert_eq!(source.id.value, "seed");
    assert_eq!(s.loc(source.span), Loc::new(5, 5));
    assert_eq!(
        source.date.as_ref().map(|d| d.value.to_string()).as_deref(),
        Some("2024-09")
    );
    assert_eq!(source.url.as_deref(), Some("https://example.org/seed"));

    let kinds: Vec<StateKind> = s.states.iter().map(|st| st.kind).collect();
    assert_eq!(
        kinds,
        [
            StateKind::State,
            StateKind::State,
            StateKind::Organization,
            StateKind::HolySee
        ]
    );
    assert_eq!(
        s.states[1].source.as_ref().map(|x| x.value.as_str()),
        Some("seed")
    );

    let republic = &s.governments[0];
    assert_eq!(republic.state.value, "AFG");
    assert_eq!(republic.default_recognition, Some(Level::DeJure));
    assert_eq!(
        republic.until.as_ref().map(|d| s.loc(d.span)),
        Some(Loc::new(24, 12))
    );
    assert_eq!(s.governments[1].default_recognition, None);

    let recognition = &s.recognitions[0];
    assert_eq!(recognition.level.value, Level::DeFacto);
    assert_eq!(
        recognition
            .until
            .as_ref()
            .map(|d| d.value.to_string())
            .as_deref(),
        Some("2030")
    );

    let mission = &s.missions[0];
    assert_eq!(s.loc(mission.span), Loc::new(39, 5));
    assert_eq!(mission.kind.value, MissionKind::Embassy);
    assert_eq!(mission.city.as_deref(), Some("Kabul"));
    assert_eq!(
        mission.run_by.as_ref().map(|r| r.value.as_str()),
        Some("KAZ")
    );
    assert_eq!(
        mission
            .from
            .as_ref()
            .map(|d| d.value.to_string())
            .as_deref(),
        Some("1992")
    );
    assert!(mission.until.is_none());
    assert_eq!(mission.staff.len(), 2);
    assert_eq!(mission.staff[0].diplomats, 12);
    assert_eq!(mission.staff[1].diplomats, 0);
    assert_eq!(
        mission.staff[1].source.as_ref().map(|x| x.value.as_str()),
        Some("seed")
    );

    let head = &mission.heads[0];
    assert_eq!(s.loc(head.span), Loc::new(55, 9));
    assert_eq!(head.name.as_deref(), Some("Alimkhan Yesengeldiyev"));
    assert_eq!(head.rank.value, Rank::Ambassador);
    assert_eq!(s.loc(head.rank.span), Loc::new(56, 15));
    assert_eq!(
        head.agrement
            .as_ref()
            .map(|d| d.value.to_string())
            .as_deref(),
        Some("2018-03")
    );
    let credentials = head.credentials.as_ref().unwrap();
    assert_eq!(credentials.to.value, "islamic-republic");
    assert_eq!(
        head.credentials_on().map(|d| d.to_string()).as_deref(),
        Some("2018-04-20")
    );
    assert!(!head.proposed);
    assert_eq!(mission.heads[1].rank.value, Rank::ChargeDAffairesAi);
    assert!(mission.heads[1].credentials_on().is_none());

    let proposal = &s.proposals[0];
    assert_eq!(proposal.id.value, "kaz-sends-ambassador");
    assert_eq!(proposal.on.value.to_string(), "2024-10-01");
    assert_eq!(proposal.changes.len(), 5);
    match &proposal.changes[0] {
        Change::Appoint {
            mission,
            head,
            span,
        } => {
            assert_eq!(mission.value, "kaz-in-afg");
            assert!(head.proposed);
            assert_eq!(head.rank.value, Rank::Ambassador);
            assert_eq!(s.loc(*span), Loc::new(70, 9));
            let on = head.credentials.as_ref().and_then(|c| c.on.as_ref());
            assert_eq!(
                on.map(|d| d.value.to_string()).as_deref(),
                Some("2024-10-01")
            );
        }
        other => panic!("expected appoint, got {other:?}"),
    }
    assert!(
        matches!(&proposal.changes[1], Change::Recall { mission, .. } if mission.value == "kaz-in-afg")
    );
    match &proposal.changes[2] {
        Change::Open { mission, .. } => {
            assert_eq!(mission.id.value, "kaz-cg-mazar");
            assert_eq!(mission.kind.value, MissionKind::ConsulateGeneral);
        }
        other => panic!("expected open, got {other:?}"),
    }
    assert!(
        matches!(&proposal.changes[3], Change::Close { mission, .. } if mission.value == "kaz-cg-mazar")
    );
    assert!(
        matches!(&proposal.changes[4], Change::Recognize { recognition, .. }
        if recognition.level.value == Level::DeJure)
    );

    let claim = &s.expect[0];
    assert!(claim.claim.value.starts_with("count(m in missions where"));
    assert_eq!(s.loc(claim.claim.span), Loc::new(78, 12));
    assert_eq!(
        claim.title.as_deref(),
        Some("Only six missions in Kabul are headed by ambassadors")
    );

    let waiver = &s.waivers[0];
    assert_eq!(waiver.rule.value, "implied-recognition");
    let subjects: Vec<&str> = waiver.subject.iter().map(|x| x.value.as_str()).collect();
    assert_eq!(subjects, ["kaz-in-afg"]);
    assert_eq!(
        waiver
            .until
            .as_ref()
            .map(|d| d.value.to_string())
            .as_deref(),
        Some("2025-12-31")
    );
    let subjects: Vec<&str> = s.waivers[1]
        .subject
        .iter()
        .map(|x| x.value.as_str())
        .collect();
    assert_eq!(subjects, ["kaz-in-afg", "kaz-cg-mazar"]);
}

#[test]
fn on_keys_stay_keys() {
    // YAML 1.1 would read `on` as `true`; a proposal's `on:` and credentials' `on:` are keys.
    let s = ok(&with_states(&[
        "missions:",
        "  - id: kaz-in-afg",
        "    sender: KAZ",
        "    receiver: AFG",
        "    kind: embassy",
        "    heads:",
        "      - {rank: ambassador, credentials: {to: islamic-emirate, on: 2022}}",
        "proposals:",
        "  - id: p",
        "    on: 2024-10-01",
        "    changes: []",
    ]));
    assert_eq!(s.proposals[0].on.value.to_string(), "2024-10-01");
    let on = s.missions[0].heads[0]
        .credentials
        .as_ref()
        .and_then(|c| c.on.as_ref());
    assert_eq!(on.map(|d| d.value.to_string()).as_deref(), Some("2022"));
}

#[test]
fn collections_may_be_null_or_missing() {
    let s = ok(&["scenario: t", "states:", "missions: ~"]);
    assert!(s.states.is_empty() && s.missions.is_empty() && s.waivers.is_empty());
}

#[test]
fn a_repeated_key_is_named_at_its_second_place_without_library_advice() {
    // Synthetic.
    let d = only(&["scenario: t", "states:", "  - id: AAA", "    id: BBB"]);
    assert_eq!(d.code, "yaml-syntax");
    assert_eq!(d.message, "duplicate key `id`");
    assert_eq!((d.loc.line, d.loc.column), (4, 5));
    assert!(
        d.help.as_deref().is_some_and(|h| h.contains("only once")),
        "{d:?}"
    );
}

#[test]
fn an_id_of_the_wrong_kind_says_what_it_is() {
    let d = only(&with_states(&[
        "missions:",
        "  - { id: kaz-in-afg, sender: KAZ, receiver: AFG, kind: embassy }",
        "recognitions:",
        "  - { by: KAZ, of: kaz-in-afg, level: de-jure }",
    ]));
    assert_eq!(d.code, "unknown-id");
    assert_eq!(d.message, "unknown state or government `kaz-in-afg`");
    assert_eq!(
        help(&d),
        "`kaz-in-afg` is a mission, not a state or government"
    );
}
