//! The rule language's time spans and totals (design §7, docs/rules.md):
//! `days(a, b)`, a date moved by a number of days (`d + n`, `d - n`) and
//! `sum(t for x in C where e)`: their values at the boundaries (day 90
//! against 91, 365 against 366, leap days), partial dates, `none`, dates
//! past the range, the static errors they give (located, with help), the
//! evaluation budget, and their canonical layout. The scenarios are
//! synthetic.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Shown;
use parity::diag::{Diagnostic, Loc};
use parity::eval::Budget;
use parity::lang::fmt::format_rules;
use parity::report::Report;
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};

// ---------------------------------------------------------------------------
// Helpers

/// Synthetic: two states and three embassies; `a-in-b`'s head took office on
/// 2020-01-01 with 3 diplomats, `b-in-a`'s head has no `from` and no staff
/// count, `c-in-a`'s took office in "2020-01" (a partial date) with 4.
const WORLD: &str = "scenario: synthetic-days
as_of: 2020-04-01
states:
  - { id: AAA, name: Alpha }
  - { id: BBB, name: Beta }
  - { id: CCC, name: Gamma }
missions:
  - id: a-in-b
    sender: AAA
    receiver: BBB
    kind: embassy
    staff: [ { diplomats: 3 } ]
    heads: [ { rank: ambassador, from: 2020-01-01 } ]
  - id: b-in-a
    sender: BBB
    receiver: AAA
    kind: embassy
    heads: [ { rank: ambassador } ]
  - id: c-in-a
    sender: CCC
    receiver: AAA
    kind: embassy
    staff: [ { diplomats: 4 } ]
    heads: [ { rank: minister, from: 2020-01 } ]
";

fn load(text: &str) -> (RuleSet, Vec<Diagnostic>) {
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    set.add_text(text, "t.rules", &mut diags);
    (set, diags)
}

fn rules(text: &str) -> RuleSet {
    let (set, diags) = load(text);
    assert!(diags.is_empty(), "rules do not load: {diags:#?}\n{text}");
    set
}

fn run(yaml: &str, set: &RuleSet, as_of: &str) -> Report {
    let scenario = load_str(yaml, "t.yaml", &YamlLimits::default())
        .unwrap_or_else(|d| panic!("scenario does not load: {d:#?}"));
    let options = CheckOptions {
        as_of: Some(Date::parse(as_of).unwrap()),
        ..CheckOptions::default()
    };
    check(&scenario, set, &options).unwrap_or_else(|d| panic!("check: {d:#?}"))
}

/// The values of `holes` (expressions over `m`, a mission) for the mission
/// `id` of `WORLD` at `as_of`, as a message prints them.
fn values(id: &str, as_of: &str, holes: &[&str]) -> Vec<String> {
    let message: Vec<String> = holes.iter().map(|h| format!("{{{h}}}")).collect();
    let text = format!(
        "rule v {{\n  title \"V\"\n  severity info\n  cite \"test\"\n  for m in missions\n  where m.id == {id}\n  message \"{}\"\n}}\n",
        message.join("|")
    );
    let report = run(WORLD, &rules(&text), as_of);
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
    report.findings[0]
        .message
        .split('|')
        .map(str::to_string)
        .collect()
}

/// The subjects a rule with this `where`/`require` body fires for in `WORLD` at `as_of`.
fn fires(body: &str, as_of: &str) -> Vec<String> {
    let text = format!(
        "rule t {{\n  title \"T\"\n  severity info\n  cite \"test\"\n  for m in missions\n{body}\n  message \"{{m.id}}\"\n}}\n"
    );
    let report = run(WORLD, &rules(&text), as_of);
    report.findings.iter().map(|f| f.message.clone()).collect()
}

/// A rule whose clauses after `cite` are `body`: `body` starts on line 5.
fn rule(body: &str) -> String {
    format!(
        "rule t {{\n  title \"T\"\n  severity error\n  cite \"C\"\n{body}\n  message \"x\"\n}}\n"
    )
}

/// The one diagnostic a rule text must produce (and no rule).
fn only_error(text: &str) -> Shown {
    let (set, diags) = load(text);
    assert!(set.rules.is_empty(), "a rule with an error must not load");
    assert_eq!(diags.len(), 1, "expected one diagnostic, got {diags:#?}");
    Shown::new(diags.into_iter().next().unwrap(), text)
}

#[track_caller]
fn assert_diag(
    d: &Shown,
    code: &str,
    message: &str,
    (line, column): (u32, u32),
    width: u32,
    help: Option<&str>,
) {
    assert_eq!(d.code, code, "code of {d:#?}");
    assert_eq!(d.message, message, "message of {d:#?}");
    assert_eq!(d.file, "t.rules");
    assert_eq!(d.loc, Loc::new(line, column), "location of {d:#?}");
    assert_eq!(d.width, width, "underline width of {d:#?}");
    assert_eq!(d.help.as_deref(), help, "help of {d:#?}");
}

// ---------------------------------------------------------------------------
// days(a, b)

#[test]
fn days_counts_day_90_and_day_91_of_a_tenure() {
    let held = |as_of| values("a-in-b", as_of, &["days(m.head.from, as_of)"]);
    assert_eq!(held("2020-03-31"), ["90"]);
    assert_eq!(held("2020-04-01"), ["91"]);
    assert_eq!(held("2020-01-01"), ["0"]);
    // A rule on "more than 90 days" fires from day 91.
    let body = "  where m.head.from != none\n  require days(m.head.from, as_of) <= 90";
    assert!(fires(body, "2020-03-31").is_empty());
    assert_eq!(fires(body, "2020-04-01"), ["a-in-b", "c-in-a"]);
}

#[test]
fn days_is_negative_backwards_and_counts_leap_years() {
    let got = values(
        "a-in-b",
        "2024-01-01",
        &[
            "days(as_of, m.head.from)",
            "days(2023-01-01, 2024-01-01)",
            "days(2024-01-01, 2025-01-01)",
            "days(2024-02-28, 2024-03-01)",
            "days(2023-02-28, 2023-03-01)",
            "days(1900-02-28, 1900-03-01)",
            "days(2000-02-28, 2000-03-01)",
            "days(0001-01-01, 9999-12-31)",
        ],
    );
    assert_eq!(got, ["-1461", "365", "366", "2", "1", "1", "2", "3652058"]);
}

#[test]
fn days_counts_a_partial_date_as_its_first_day() {
    let got = values(
        "c-in-a",
        "2020-04-01",
        &[
            "days(m.head.from, as_of)",
            "days(2020-04, 2020-04-02)",
            "days(2020-01, 2020-02)",
            "m.head.from",
        ],
    );
    // The partial date still prints as written.
    assert_eq!(got, ["91", "1", "31", "2020-01"]);
}

#[test]
fn days_of_none_is_none() {
    let got = values(
        "b-in-a",
        "2020-04-01",
        &[
            "days(m.head.from, as_of)",
            "days(as_of, m.until)",
            "days(none, none)",
        ],
    );
    assert_eq!(got, ["none", "none", "none"]);
    // `none` is no number, so no order holds and `== none` does.
    assert!(
        fires(
            "  where m.id == b-in-a\n  require days(m.head.from, as_of) <= 90",
            "2020-04-01"
        ) == ["b-in-a"]
    );
    assert!(fires("  where days(m.head.from, as_of) > 90", "2020-04-01") == ["a-in-b", "c-in-a"]);
    assert_eq!(
        fires("  where days(m.head.from, as_of) == none", "2020-04-01"),
        ["b-in-a"]
    );
}

// ---------------------------------------------------------------------------
// date + n, date - n

#[test]
fn moving_a_date_crosses_leap_days_months_and_years() {
    let got = values(
        "a-in-b",
        "2020-04-01",
        &[
            "m.head.from + 90",
            "m.head.from + 91",
            "2024-02-28 + 1",
            "2023-02-28 + 1",
            "2024-03-01 - 1",
            "2023-03-01 - 1",
            "2024-01-01 + 366",
            "2023-01-01 + 365",
            "2024-12-31 + 1",
            "as_of - 366",
            "as_of + 1 - 1",
            "m.head.from+0",
        ],
    );
    assert_eq!(
        got,
        [
            "2020-03-31",
            "2020-04-01",
            "2024-02-29",
            "2023-03-01",
            "2024-02-29",
            "2023-02-28",
            "2025-01-01",
            "2024-01-01",
            "2025-01-01",
            "2019-04-01",
            "2020-04-01",
            "2020-01-01",
        ]
    );
}

#[test]
fn a_moved_date_compares_as_a_day() {
    // Day 90 is 2020-03-31: past it from 2020-04-01.
    let body = "  where m.head.from + 90 < as_of";
    assert!(fires(body, "2020-03-31").is_empty());
    assert_eq!(fires(body, "2020-04-01"), ["a-in-b", "c-in-a"]);
    assert_eq!(
        fires("  where as_of - 91 == m.head.from", "2020-04-01"),
        ["a-in-b", "c-in-a"]
    );
    assert_eq!(
        fires(
            "  where m.head.from + 91 in [2020-04-01, 2021-01-01]",
            "2020-04-01"
        ),
        ["a-in-b", "c-in-a"]
    );
}

#[test]
fn a_moved_partial_date_is_its_first_day_moved() {
    let got = values(
        "c-in-a",
        "2020-04-01",
        &["m.head.from + 0", "m.head.from + 31", "2018-04 - 1"],
    );
    assert_eq!(got, ["2020-01-01", "2020-02-01", "2018-03-31"]);
}

#[test]
fn moving_none_or_by_none_is_none() {
    let got = values(
        "b-in-a",
        "2020-04-01",
        &[
            "m.head.from + 90",
            "as_of - m.staff",
            "none + 1",
            "m.until - 1",
        ],
    );
    assert_eq!(got, ["none", "none", "none", "none"]);
    assert!(
        fires(
            "  where m.head.from + 90 < as_of\n    and m.id == b-in-a",
            "2020-04-01"
        )
        .is_empty()
    );
}

#[test]
fn dates_moved_past_the_range_are_none_not_a_panic() {
    let huge = format!("1{}", "0".repeat(300));
    let got = values(
        "a-in-b",
        "2020-04-01",
        &[
            &format!("as_of + {huge}"),
            &format!("as_of - {huge}"),
            "as_of - 99999999",
            "as_of + 99999999",
            "9999-12-31 + 1",
            "0001-01-01 - 1",
            "9999-12-31 + 0",
            "0001-01-01 + 0",
            "2020-04-01 - 737515",
            "2020-04-01 - 737516",
        ],
    );
    assert_eq!(
        got,
        [
            "none",
            "none",
            "none",
            "none",
            "none",
            "none",
            "9999-12-31",
            "0001-01-01",
            "0001-01-01",
            "none",
        ]
    );
}

#[test]
fn a_computed_count_that_is_not_whole_gives_none() {
    // a-in-b has 3 diplomats, c-in-a 4: their ratio is 4/3, not a whole number.
    let text = "rule v {\n  title \"V\"\n  severity info\n  cite \"test\"\n  for m in missions, r in missions\n  where m.id == a-in-b and r.id == c-in-a\n  message \"{as_of + ratio(m.staff, r.staff)}|{as_of + ratio(m.staff, m.staff)}|{as_of + ratio(m.staff, 0)}|{as_of - sum(x.staff for x in missions)}\"\n}\n";
    let report = run(WORLD, &rules(text), "2020-04-01");
    assert_eq!(
        report.findings[0].message,
        "none|2020-04-02|none|2020-03-25"
    );
}

// ---------------------------------------------------------------------------
// sum(t for x in C where e)

#[test]
fn sum_adds_numbers_and_leaves_out_none() {
    let got = values(
        "a-in-b",
        "2020-04-01",
        &[
            // b-in-a's staff is not known: left out, not `none`.
            "sum(x.staff for x in missions)",
            "sum(x.staff for x in missions where x.receiver == AAA)",
            "sum(x.staff for x in missions where x.sender == m.sender)",
            "sum(class(x.head.rank) for x in missions)",
            "sum(days(x.head.from, as_of) for x in missions)",
            "sum(x.staff for x in missions where x.staff == none)",
        ],
    );
    assert_eq!(got, ["7", "4", "3", "4", "182", "0"]);
}

#[test]
fn the_sum_over_nothing_is_zero() {
    let empty = "scenario: synthetic-empty\nas_of: 2024-01-01\nstates:\n  - { id: AAA }\n";
    let text = "rule v {\n  title \"V\"\n  severity info\n  cite \"test\"\n  for s in states\n  message \"{sum(x.staff for x in missions)}|{sum(x.staff for x in missions where x.sender == s.id)}|{sum(days(r.from, as_of) for r in recognitions)}\"\n}\n";
    let report = run(empty, &rules(text), "2024-01-01");
    assert_eq!(report.findings[0].message, "0|0|0");
}

#[test]
fn sum_inside_the_where_of_another_quantifier() {
    let text = "rule v {\n  title \"V\"\n  severity info\n  cite \"test\"\n  for s in states\n  where s.id == AAA\n  message \"{count(t in states where sum(x.staff for x in missions where x.sender == t.id) > 3)}|{count(t in states where sum(x.staff for x in missions where x.receiver == t.id) == 0)}|{exists(t in states where sum(x.staff for x in missions where x.sender == t.id and x.receiver == s.id) == 4)}\"\n}\n";
    let report = run(WORLD, &rules(text), "2020-04-01");
    // Only Gamma sends more than 3; Gamma receives nothing (0) and Beta
    // receives 3; Gamma's 4 are in Alpha.
    assert_eq!(report.findings[0].message, "1|1|true");
}

#[test]
fn staff_totals_of_each_side_compare_with_ratio() {
    // The shape of §7's staff-parity: all missions of A in B against all of B in A.
    let body = "  where m.staff != none\n  require ratio(sum(x.staff for x in missions where x.sender == m.sender and x.receiver == m.receiver), sum(x.staff for x in missions where x.sender == m.receiver and x.receiver == m.sender)) <= 1.5";
    // a-in-b's 3 against b-in-a's unknown (a sum of 0): infinitely more.
    assert_eq!(fires(body, "2020-04-01"), ["a-in-b", "c-in-a"]);
}

#[test]
fn a_sum_is_stopped_by_the_budget_like_count() {
    let mut yaml = String::from(
        "scenario: synthetic-many\nas_of: 2024-01-01\nstates:\n  - { id: AAA }\n  - { id: BBB }\nmissions:\n",
    );
    for i in 0..200 {
        yaml.push_str(&format!(
            "  - {{ id: m{i}, sender: AAA, receiver: BBB, kind: consulate, city: C{i}, staff: [ {{ diplomats: 1 }} ] }}\n"
        ));
    }
    let text = "rule heavy {\n  title \"H\"\n  severity info\n  cite \"test\"\n  for m in missions\n  require sum(x.staff for x in missions where x.city != m.city) > 1000\n  message \"{m.id}\"\n}\n";
    let scenario = load_str(&yaml, "t.yaml", &YamlLimits::default()).unwrap();
    let set = rules(text);
    let options = |max_steps| CheckOptions {
        as_of: None,
        budget: Budget {
            max_steps,
            ..Budget::default()
        },
    };
    // 200 bindings of `m`, each summing over 200 missions.
    let errors = check(&scenario, &set, &options(10_000)).unwrap_err();
    assert_eq!(errors[0].code, "evaluation-budget", "{errors:#?}");
    assert!(
        errors[0]
            .message
            .starts_with("rule `heavy`: evaluation stopped after 10000 steps")
    );
    let report = check(&scenario, &set, &options(200 + 200 * 200)).unwrap();
    assert_eq!(report.findings.len(), 200);
    assert_eq!(report.findings[0].message, "m0");
}

// ---------------------------------------------------------------------------
// Static errors

#[test]
fn a_date_minus_a_date_points_to_days() {
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.from - m.from > 90",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "a date minus a date is not a date",
        (6, 9),
        20,
        Some("the whole days from date a to date b are `days(a, b)`"),
    );
}

#[test]
fn days_are_added_to_a_date_not_a_date_to_days() {
    let d = only_error(&rule(
        "  for m in missions\n  where 90 + m.head.from < as_of",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "days are added to a date, not a date to a number",
        (6, 9),
        16,
        Some("write the date first, as in `m.head.from + 90`"),
    );
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.from + 2024-01-01 < as_of",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "`+` moves a date by a number of days, but this is a date",
        (6, 23),
        10,
        Some("write a whole number of days, as in `m.head.from + 90`"),
    );
}

#[test]
fn only_dates_move() {
    let d = only_error(&rule("  for m in missions\n  where m.staff + 1 > 3"));
    assert_diag(
        &d,
        "type-mismatch",
        "`+` moves a date by a number of days, but this is a number",
        (6, 9),
        7,
        Some(
            "only a date can be moved, as in `m.head.from + 90`; the language has no other arithmetic",
        ),
    );
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.rank - 1 == none",
    ));
    assert_eq!(
        d.message,
        "`-` moves a date by a number of days, but this is a rank"
    );
    assert_eq!(d.loc, Loc::new(6, 9));
}

#[test]
fn a_written_count_of_days_must_be_whole() {
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.from + 1.5 < as_of",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "a number of days must be whole, but this is 1.5",
        (6, 23),
        3,
        Some("write a whole number of days, as in `m.head.from + 90`"),
    );
}

#[test]
fn misspelt_names_in_the_new_forms_get_did_you_mean() {
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.form + 90 < as_of",
    ));
    assert_diag(
        &d,
        "unknown-field",
        "a head has no field `form`",
        (6, 16),
        4,
        Some("did you mean `from`?"),
    );
    let d = only_error(&rule(
        "  for m in missions\n  where day(m.head.from, as_of) > 90",
    ));
    assert_diag(
        &d,
        "unknown-function",
        "there is no function `day`",
        (6, 9),
        3,
        Some("did you mean `days`?"),
    );
    let d = only_error(&rule(
        "  for m in missions\n  where sum(x.stafff for x in missions) > 1",
    ));
    assert_diag(
        &d,
        "unknown-field",
        "a mission has no field `stafff`",
        (6, 15),
        6,
        Some("did you mean `staff`?"),
    );
    let d = only_error(&rule(
        "  for m in missions\n  where sum(x.staff for x in misions) > 1",
    ));
    assert_diag(
        &d,
        "unknown-collection",
        "there is no collection `misions`",
        (6, 30),
        7,
        Some("did you mean `missions`?"),
    );
    // `sum`'s variable is bound in its term, and only there.
    let d = only_error(&rule(
        "  for m in missions\n  where sum(y.staff for x in missions) > 1",
    ));
    assert_diag(
        &d,
        "unknown-variable",
        "unknown variable `y`",
        (6, 13),
        1,
        Some("did you mean `m`?"),
    );
}

#[test]
fn a_subtraction_written_without_spaces_is_one_name() {
    let d = only_error(&rule("  for m in missions\n  where m.head.from-90 < as_of"));
    assert_diag(
        &d,
        "unknown-field",
        "a head has no field `from-90`",
        (6, 16),
        7,
        Some("to subtract days, put spaces around `-`: `m.head.from - 90`"),
    );
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.from < as_of-366",
    ));
    assert_eq!(
        d.message,
        "`as_of-366` is compared with a date, but it is not a variable or a value of that type (to subtract days, put spaces around `-`: `as_of - 366`)"
    );
    assert_eq!(d.loc, Loc::new(6, 23));
}

#[test]
fn days_takes_two_dates() {
    let d = only_error(&rule("  for m in missions\n  where days(m.head.from) > 90"));
    assert_diag(
        &d,
        "wrong-arguments",
        "wrong number of arguments: days(date, date) -> the whole days from the first date to the second",
        (6, 9),
        17,
        None,
    );
    let d = only_error(&rule(
        "  for m in missions\n  where days(m.kind, as_of) > 90",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "`days` takes a date here, but this is a mission kind",
        (6, 14),
        6,
        None,
    );
    let d = only_error(&rule(
        "  for m in missions\n  where days(m.head.from, as_of) == embassy",
    ));
    assert_eq!(
        d.message,
        "`embassy` is compared with a number, but it is not a variable or a value of that type"
    );
}

#[test]
fn sum_adds_numbers_only() {
    let d = only_error(&rule(
        "  for m in missions\n  where sum(x.kind for x in missions) > 1",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "`sum` adds numbers, but this is a mission kind",
        (6, 13),
        6,
        Some(
            "sum a number, such as a mission's `staff`; to count the records, write `count(x in missions where ...)`",
        ),
    );
    let d = only_error(&rule(
        "  for m in missions\n  where sum(x for x in missions where x.staff > 1) > 1",
    ));
    assert_eq!(d.message, "`sum` adds numbers, but this is a mission id");
    assert_eq!(d.loc, Loc::new(6, 13));
    // A sum is a number: it is no condition.
    let d = only_error(&rule(
        "  for m in missions\n  where sum(x.staff for x in missions)",
    ));
    assert_eq!(
        d.message,
        "`where` needs a condition (true or false), but this is a number"
    );
}

#[test]
fn sum_without_for_is_a_syntax_error_with_its_shape() {
    let text = rule("  for m in missions\n  where sum(x in missions where x.staff > 1) > 1");
    let (_, diags) = load(&text);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_diag(
        &Shown::new(diags[0].clone(), &text),
        "rule-syntax",
        "expected `for` after the term of `sum`, found `where`",
        (6, 27),
        5,
        Some("`sum` is written `sum(x.staff for x in missions where ...)`"),
    );
}

// ---------------------------------------------------------------------------
// Layout

#[test]
fn the_new_forms_print_canonically_and_round_trip() {
    let text = "rule t {\n  title \"T\"\n  severity info\n  cite \"C\"\n  for m in missions\n  where m.head.from+90<as_of and (m.from - 1) - 2 != none and m.from + (1 - 2) == none\n  require   sum( x.staff   for x in missions where x.sender==m.sender )>=days( m.from,as_of )\n  message \"{m.from -1} {sum(x.staff for x in missions)}\"\n}\n";
    let formatted = format_rules(text, "t.rules").unwrap();
    assert_eq!(
        formatted,
        "rule t {\n  title    \"T\"\n  severity info\n  cite     \"C\"\n  for m in missions\n  where m.head.from + 90 < as_of and m.from - 1 - 2 != none and m.from + (1 - 2) == none\n  require sum(x.staff for x in missions where x.sender == m.sender) >= days(m.from, as_of)\n  message \"{m.from - 1} {sum(x.staff for x in missions)}\"\n}\n"
    );
    assert_eq!(format_rules(&formatted, "t.rules").unwrap(), formatted);
}

// ---------------------------------------------------------------------------
// Claims

#[test]
fn claims_use_the_new_forms_and_locate_their_errors() {
    let claims = "expect:
  - claim: sum(x.staff for x in missions) == 7
  - claim: days(2020-01-01, as_of) == 91 and as_of - 91 == 2020-01-01
  - claim: sum(x.staff for x in missions where x.sender == BBB) == 0
  - claim: exists(m in missions where m.head.from + 90 >= as_of)
";
    let report = run(
        &format!("{WORLD}{claims}"),
        &RuleSet::default(),
        "2020-04-01",
    );
    let held: Vec<bool> = report.claims.iter().map(|c| c.holds).collect();
    assert_eq!(held, [true, true, true, false]);

    let broken = format!("{WORLD}expect:\n  - claim: as_of - 2020-01-01 > 90\n");
    let scenario = load_str(&broken, "t.yaml", &YamlLimits::default()).unwrap();
    let errors = parity::engine::check_claims(&scenario).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "type-mismatch");
    assert_eq!(errors[0].message, "a date minus a date is not a date");
    let line = broken.lines().count() as u32;
    assert_eq!(errors[0].loc_in(&broken), Loc::new(line, 12));
}

// ---------------------------------------------------------------------------
// Timeline

/// A period as `(from, until)`; `None` is open on that side.
type Span = (Option<String>, Option<String>);

/// The periods of each finding of `rule` (a `where`/`require` body over
/// `m`) in `WORLD`'s timeline.
fn periods(body: &str) -> Vec<(String, Vec<Span>)> {
    let text = format!(
        "rule t {{\n  title \"T\"\n  severity info\n  cite \"test\"\n  for m in missions\n{body}\n  message \"{{m.id}}\"\n}}\n"
    );
    let scenario = load_str(WORLD, "t.yaml", &YamlLimits::default()).unwrap();
    let report = parity::engine::timeline::timeline(
        &scenario,
        &rules(&text),
        None,
        None,
        &CheckOptions::default(),
    )
    .unwrap();
    report
        .findings
        .iter()
        .map(|e| {
            let periods = e
                .periods
                .iter()
                .map(|p| (p.from.clone(), p.until.clone()))
                .collect();
            (e.subject.join(","), periods)
        })
        .collect()
}

#[test]
fn the_timeline_starts_a_finding_on_the_day_a_rule_derives() {
    let from_day_91 = vec![(Some("2020-04-01".to_string()), None)];
    let want = vec![
        ("a-in-b".to_string(), from_day_91.clone()),
        ("c-in-a".to_string(), from_day_91.clone()),
    ];
    // Each way of writing "more than 90 days since the head took office".
    for condition in [
        "days(m.head.from, as_of) > 90",
        "90 < days(m.head.from, as_of)",
        "days(m.head.from, as_of) > 90.5",
        "days(m.head.from - 10, as_of + 5) > 105",
        "days(as_of, m.head.from + 100) < 10",
        "days(as_of - 91, m.head.from) <= 0",
        "m.head.from + 90 < as_of",
        "m.head.from + 100 < as_of + 10",
        "m.head.from + 40 + 50 < as_of",
        "as_of > m.head.from + 90",
        "as_of - 91 >= m.head.from",
        "as_of + 1 - 92 >= m.head.from",
    ] {
        assert_eq!(
            periods(&format!("  where {condition}")),
            want,
            "{condition}"
        );
    }
    // Day 91 only (1999-01-01 + 91 is before the heads took office). Without
    // `!= none`, b-in-a's unknown `from` would equal `as_of - 91` where that
    // is `none` too: before 0001-04-02.
    let day_91 = vec![(
        Some("2020-04-01".to_string()),
        Some("2020-04-02".to_string()),
    )];
    assert_eq!(
        periods("  where m.head.from != none and as_of - 91 in [m.head.from, 1999-01-01]"),
        vec![
            ("a-in-b".to_string(), day_91.clone()),
            ("c-in-a".to_string(), day_91),
        ]
    );
    // Up to day 365 in office, then not.
    let first_year = vec![(
        Some("2020-01-01".to_string()),
        Some("2020-12-31".to_string()),
    )];
    assert_eq!(
        periods("  where days(m.head.from, as_of) >= 0 and days(m.head.from, as_of) < 365"),
        vec![
            ("a-in-b".to_string(), first_year.clone()),
            ("c-in-a".to_string(), first_year),
        ]
    );
}

#[test]
fn the_timeline_sees_where_a_moved_as_of_leaves_the_range() {
    let one = |condition: &str| periods(&format!("  where m.id == a-in-b and {condition}"));
    let period = |from: Option<&str>, until: Option<&str>| {
        vec![(
            "a-in-b".to_string(),
            vec![(from.map(str::to_string), until.map(str::to_string))],
        )]
    };
    // `as_of - 90` is `none` (so no date is after it) until 0001-04-01.
    assert_eq!(
        one("as_of - 90 < 2020-01-01"),
        period(Some("0001-04-01"), Some("2020-03-31"))
    );
    // The same where nothing else is 90 days from a date (the distance
    // from 2020-01-01 + 1000 is 1090).
    assert_eq!(
        one("as_of - 90 < 2020-01-01 + 1000"),
        period(Some("0001-04-01"), Some("2022-12-26"))
    );
    assert_eq!(
        one("as_of - 3652058 == 0001-01-01"),
        period(Some("9999-12-31"), None)
    );
    assert_eq!(
        one("days(0001-01-01, as_of) >= 3652058"),
        period(Some("9999-12-31"), None)
    );
    // Counts past the range: `none` at every date, never a panic.
    let huge = format!("1{}", "0".repeat(30));
    assert_eq!(
        one(&format!("as_of + 1 + {huge} == none")),
        period(None, None)
    );
    assert_eq!(
        one(&format!("days(m.head.from + 1, as_of) > {huge}")),
        vec![]
    );
}
