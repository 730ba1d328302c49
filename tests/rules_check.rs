//! The static checker: every class of error in a rule is reported with its
//! code, message, place (line:column in the rule file) and hint, before any
//! scenario is evaluated; and the standard rules load.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Shown;
use parity::RuleSet;
use parity::diag::{Diagnostic, Loc};

/// Loads rule text into an empty rule set; returns the set and every diagnostic.
fn load(text: &str) -> (RuleSet, Vec<Diagnostic>) {
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    set.add_text(text, "t.rules", &mut diags);
    (set, diags)
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
    assert!(
        set.rules.is_empty(),
        "a rule with an error must not load:\n{text}"
    );
    assert_eq!(diags.len(), 1, "expected one diagnostic, got {diags:#?}");
    Shown::new(diags.into_iter().next().unwrap(), text)
}

/// Asserts code, message, line:column, underline width and help.
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

#[test]
fn a_well_formed_rule_loads_without_diagnostics() {
    let (set, diags) = load(&rule(
        "  for m in missions\n  where m.kind == embassy\n  require m.head != none",
    ));
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(set.rules.len(), 1);
    assert_eq!(set.rules[0].id, "t");
}

#[test]
fn unknown_collection_suggests_the_nearest() {
    let d = only_error(&rule("  for m in misions"));
    assert_diag(
        &d,
        "unknown-collection",
        "there is no collection `misions`",
        (5, 12),
        7,
        Some("did you mean `missions`?"),
    );
    assert_eq!(d.label.as_deref(), Some("not a collection"));
}

#[test]
fn unknown_collection_far_from_any_lists_them_all() {
    let d = only_error(&rule("  for m in embassies"));
    assert_diag(
        &d,
        "unknown-collection",
        "there is no collection `embassies`",
        (5, 12),
        9,
        Some(
            "the collections are missions, states, governments, recognitions, relations and events",
        ),
    );
}

#[test]
fn unknown_field_with_a_transposed_letter_suggests_the_field() {
    // The example of docs/rules.md: `rnak` is `rank` with two letters swapped.
    let d = only_error(&rule(
        "  for m in missions\n  where class(m.head.rnak) == 1",
    ));
    assert_diag(
        &d,
        "unknown-field",
        "a head has no field `rnak`",
        (6, 22),
        4,
        Some("did you mean `rank`?"),
    );
}

#[test]
fn unknown_field_with_a_dropped_letter_suggests_the_field() {
    let d = only_error(&rule("  for m in missions\n  where m.sendr == AFG"));
    assert_diag(
        &d,
        "unknown-field",
        "a mission has no field `sendr`",
        (6, 11),
        5,
        Some("did you mean `sender`?"),
    );
}

#[test]
fn unknown_field_far_from_any_lists_the_record_fields() {
    let d = only_error(&rule(
        "  for m in missions\n  where m.receiver.capital == \"Kabul\"",
    ));
    assert_diag(
        &d,
        "unknown-field",
        "a state has no field `capital`",
        (6, 20),
        7,
        Some("its fields are id, name, kind, nuncio_precedence, commonwealth, government, source"),
    );
}

#[test]
fn a_field_of_a_plain_value_is_an_error() {
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.from.year == 2020",
    ));
    assert_diag(
        &d,
        "unknown-field",
        "`year` cannot be read from a date: it has no fields",
        (6, 21),
        4,
        None,
    );
}

#[test]
fn unknown_variable_in_a_path() {
    let d = only_error(&rule("  for m in missions\n  where x.kind == embassy"));
    assert_diag(
        &d,
        "unknown-variable",
        "unknown variable `x`",
        (6, 9),
        1,
        Some("did you mean `m`?"),
    );
    assert_eq!(
        d.label.as_deref(),
        Some("not bound by `for`, `count` or `exists`")
    );
}

#[test]
fn a_quantifier_variable_is_out_of_scope_after_its_quantifier() {
    let d = only_error(&rule(
        "  for m in missions\n  where exists(g in governments where g.state == m.receiver) and g.in_control",
    ));
    assert_eq!(d.code, "unknown-variable");
    assert_eq!(d.message, "unknown variable `g`");
    assert_eq!(d.loc, Loc::new(6, 66));
}

#[test]
fn a_bare_word_as_a_condition_is_not_a_variable() {
    let d = only_error(&rule("  for m in missions\n  where embassy"));
    assert_diag(
        &d,
        "unknown-variable",
        "`embassy` is not a variable here; a bare word can only be compared with a field",
        (6, 9),
        7,
        None,
    );
}

#[test]
fn unknown_function_suggests_the_nearest() {
    let d = only_error(&rule("  for m in missions\n  where clas(m.head.rank) == 1"));
    assert_diag(
        &d,
        "unknown-function",
        "there is no function `clas`",
        (6, 9),
        4,
        Some("did you mean `class`?"),
    );
}

#[test]
fn unknown_function_far_from_any_lists_them() {
    let d = only_error(&rule(
        "  for m in missions\n  where lower(m.city) == \"kabul\"",
    ));
    assert_diag(
        &d,
        "unknown-function",
        "there is no function `lower`",
        (6, 9),
        5,
        Some("the functions are class, recognition, ratio, days, count, exists and sum"),
    );
}

#[test]
fn wrong_number_of_arguments_quotes_the_signature() {
    let d = only_error(&rule(
        "  for m in missions\n  where class(m.head.rank, m.head.rank) == 1",
    ));
    assert_diag(
        &d,
        "wrong-arguments",
        "wrong number of arguments: class(rank) -> 1, 2, 3 or none (VCDR art. 14)",
        (6, 9),
        31,
        None,
    );
    let d = only_error(&rule("  for m in missions\n  where ratio(m.staff) > 1"));
    assert_diag(
        &d,
        "wrong-arguments",
        "wrong number of arguments: ratio(number, number) -> the larger divided by the smaller",
        (6, 9),
        14,
        None,
    );
    let d = only_error(&rule(
        "  for m in missions\n  where recognition(m.sender) == de-jure",
    ));
    assert_eq!(d.code, "wrong-arguments");
    assert_eq!(
        d.message,
        "wrong number of arguments: recognition(state, government [, date]) -> de-jure, de-facto or none"
    );
    // Three arguments are allowed for `recognition`; four are not.
    let (set, diags) = load(&rule(
        "  for m in missions\n  where recognition(m.sender, m.head.credentials.to, m.head.credentials.on) == de-jure",
    ));
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(set.rules.len(), 1);
    let d = only_error(&rule(
        "  for m in missions\n  where recognition(m.sender, m.receiver, as_of, as_of) == de-jure",
    ));
    assert_eq!(d.code, "wrong-arguments");
}

#[test]
fn an_argument_of_the_wrong_type() {
    let d = only_error(&rule(
        "  for m in missions\n  where ratio(m.staff, m.head.from) > 1",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "`ratio` takes a number here, but this is a date",
        (6, 24),
        11,
        None,
    );
    let d = only_error(&rule("  for m in missions\n  where class(m.kind) == 1"));
    assert_diag(
        &d,
        "type-mismatch",
        "`class` takes a rank here, but this is a mission kind",
        (6, 15),
        6,
        None,
    );
}

#[test]
fn a_rank_compared_with_a_date() {
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.rank == m.head.from",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "cannot compare a rank with a date",
        (6, 9),
        26,
        None,
    );
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.rank == 2018-01-01",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "cannot compare a rank with a date",
        (6, 9),
        25,
        None,
    );
}

#[test]
fn a_number_compared_with_a_string_or_date() {
    let d = only_error(&rule("  for m in missions\n  where m.staff == \"12\""));
    assert_diag(
        &d,
        "type-mismatch",
        "cannot compare a number with a string",
        (6, 9),
        15,
        None,
    );
    let d = only_error(&rule("  for m in missions\n  where m.staff > as_of"));
    assert_eq!(d.message, "cannot compare a number with a date");
}

#[test]
fn a_word_that_is_not_a_mission_kind() {
    // `ambasador` is near no mission kind: the help lists them all.
    let d = only_error(&rule("  for m in missions\n  where m.kind == ambasador"));
    assert_diag(
        &d,
        "unknown-word",
        "`ambasador` is not a mission kind",
        (6, 19),
        9,
        Some(
            "expected one of: embassy, consulate-general, consulate, delegation, liaison-office, interests-section, representative-office, technical-team",
        ),
    );
    // Near a kind: a suggestion.
    let d = only_error(&rule(
        "  for m in missions\n  where m.kind in [embassy, consulat]",
    ));
    assert_diag(
        &d,
        "unknown-word",
        "`consulat` is not a mission kind",
        (6, 29),
        8,
        Some("did you mean `consulate`?"),
    );
}

#[test]
fn a_misspelt_rank_suggests_the_rank() {
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.rank == ambasador",
    ));
    assert_diag(
        &d,
        "unknown-word",
        "`ambasador` is not a rank",
        (6, 24),
        9,
        Some("did you mean `ambassador`?"),
    );
}

#[test]
fn misspelt_state_kind_and_level() {
    let d = only_error(&rule("  for s in states\n  where s.kind == organisation"));
    assert_diag(
        &d,
        "unknown-word",
        "`organisation` is not a state kind",
        (6, 19),
        12,
        Some("did you mean `organization`?"),
    );
    let d = only_error(&rule("  for r in recognitions\n  where r.level == dejure"));
    assert_diag(
        &d,
        "unknown-word",
        "`dejure` is not a recognition level",
        (6, 20),
        6,
        Some("did you mean `de-jure`?"),
    );
}

#[test]
fn ranks_have_no_order() {
    let d = only_error(&rule("  for m in missions\n  where m.head.rank < envoy"));
    assert_diag(
        &d,
        "type-mismatch",
        "a rank has no order, so `<` does not apply; compare `class(...)` instead",
        (6, 9),
        19,
        None,
    );
    // Kinds and levels neither, nor booleans.
    let d = only_error(&rule("  for m in missions\n  where m.kind >= embassy"));
    assert_eq!(
        d.message,
        "a mission kind has no order, so `>=` does not apply"
    );
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.proposed > false",
    ));
    assert_eq!(d.message, "a boolean has no order, so `>` does not apply");
    // But `class(...)` is a number, and ordered.
    let (set, diags) = load(&rule("  for m in missions\n  where class(m.head.rank) < 3"));
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(set.rules.len(), 1);
}

#[test]
fn none_has_no_order() {
    let d = only_error(&rule("  for m in missions\n  where m.staff < none"));
    assert_diag(
        &d,
        "type-mismatch",
        "`none` has no order; use `==` or `!=`",
        (6, 9),
        14,
        None,
    );
}

#[test]
fn require_must_be_a_condition() {
    let d = only_error(&rule("  for m in missions\n  require m.staff"));
    assert_diag(
        &d,
        "type-mismatch",
        "`require` needs a condition (true or false), but this is a number",
        (6, 11),
        7,
        None,
    );
    let d = only_error(&rule("  for m in missions\n  where m.head.rank"));
    assert_diag(
        &d,
        "type-mismatch",
        "`where` needs a condition (true or false), but this is a rank",
        (6, 9),
        11,
        None,
    );
    let d = only_error(&rule(
        "  for m in missions\n  where m.kind == embassy or m.staff",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "`or` needs a condition (true or false), but this is a number",
        (6, 30),
        7,
        None,
    );
    let d = only_error(&rule("  for m in missions\n  require not m.head.from"));
    assert_eq!(
        d.message,
        "`not` needs a condition (true or false), but this is a date"
    );
}

#[test]
fn a_record_cannot_be_printed_in_a_message() {
    let text = "rule t {\n  title \"T\"\n  severity error\n  cite \"C\"\n  for m in missions\n  message \"head: {m.head}\"\n}\n";
    let d = only_error(text);
    assert_diag(
        &d,
        "type-mismatch",
        "a head record cannot be printed; print one of its fields, such as `.name`",
        (6, 19),
        6,
        None,
    );
    let text = "rule t {\n  title \"T\"\n  severity error\n  cite \"C\"\n  for m in missions\n  message \"to: {m.head.credentials}\"\n}\n";
    let d = only_error(text);
    assert_eq!(
        d.message,
        "a credentials record cannot be printed; print one of its fields, such as `.to`"
    );
    assert_eq!(d.loc_in(text), Loc::new(6, 17));
    // A variable bound to a record prints as its id: allowed.
    let text = "rule t {\n  title \"T\"\n  severity error\n  cite \"C\"\n  for m in missions\n  message \"{m} {m.head.rank} {class(m.head.rank)} {as_of}\"\n}\n";
    let (set, diags) = load(text);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(set.rules.len(), 1);
}

#[test]
fn a_record_compares_only_with_none() {
    let (_, diags) = load(&rule(
        "  for m in missions\n  where m.head != none and none == m.head.credentials",
    ));
    assert!(diags.is_empty(), "{diags:#?}");
    let d = only_error(&rule(
        "  for m in missions, r in missions\n  where m.head == r.head",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "a head record can only be compared with `none`; compare one of its fields",
        (6, 9),
        16,
        None,
    );
}

#[test]
fn duplicate_rule_id_across_two_files() {
    let text = rule("  for m in missions");
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    set.add_text(&text, "a.rules", &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    set.add_text(&text, "b.rules", &mut diags);
    assert_eq!(set.rules.len(), 1, "the second definition is not added");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(d.code, "duplicate-rule");
    assert_eq!(d.message, "the rule `t` is already defined");
    assert_eq!(d.file, "b.rules");
    assert_eq!(d.loc_in(&text), Loc::new(1, 6));
    assert_eq!(d.width, 1);
    assert_eq!(d.help.as_deref(), Some("first defined at a.rules:1"));
}

#[test]
fn a_user_rule_may_not_reuse_a_standard_id() {
    let mut set = RuleSet::standard().unwrap();
    let mut diags = Vec::new();
    set.add_text(
        "\n\nrule head-vacant {\n  title \"T\"\n  severity info\n  cite \"C\"\n  for m in missions\n  message \"x\"\n}\n",
        "mine.rules",
        &mut diags,
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "duplicate-rule");
    assert_eq!(diags[0].loc_in("\n\nrule head-vacant {"), Loc::new(3, 6));
    assert_eq!(diags[0].width, "head-vacant".len() as u32);
    let help = diags[0].help.as_deref().unwrap();
    assert!(
        help.starts_with("first defined at rules/missions.rules:"),
        "{help}"
    );
}

#[test]
fn subject_naming_an_unbound_variable() {
    let d = only_error(&rule("  subject n\n  for m in missions"));
    assert_diag(
        &d,
        "unknown-variable",
        "the subject `n` is not a bound variable",
        (5, 11),
        1,
        Some("did you mean `m`?"),
    );
    // The subject may not name a quantifier's variable either.
    let d = only_error(&rule(
        "  subject g\n  for m in missions\n  where exists(g in governments where g.state == m.sender)",
    ));
    assert_eq!(d.code, "unknown-variable");
    assert_eq!(d.message, "the subject `g` is not a bound variable");
}

#[test]
fn a_variable_bound_twice() {
    let d = only_error(&rule("  for m in missions, m in states"));
    assert_diag(
        &d,
        "duplicate-variable",
        "the variable `m` is bound twice",
        (5, 22),
        1,
        None,
    );
    let d = only_error(&rule("  for m in missions\n  where count(m in states) > 1"));
    assert_diag(
        &d,
        "duplicate-variable",
        "the variable `m` is already bound; choose another name",
        (6, 15),
        1,
        None,
    );
}

#[test]
fn two_bare_words_cannot_be_compared() {
    let d = only_error(&rule("  for m in missions\n  where AFG == KAZ"));
    assert_diag(
        &d,
        "type-mismatch",
        "`AFG` and `KAZ` are both bare words; compare a field with a word",
        (6, 9),
        10,
        None,
    );
}

#[test]
fn a_list_element_of_the_wrong_type() {
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.rank in [ambassador, 1]",
    ));
    assert_diag(
        &d,
        "type-mismatch",
        "the list holds a number, but the value is a rank",
        (6, 37),
        1,
        None,
    );
    let d = only_error(&rule(
        "  for m in missions\n  where m.head.rank in m.head.rank",
    ));
    assert_eq!(
        d.message,
        "`in` needs a list, such as `[ambassador, nuncio]`"
    );
}

#[test]
fn every_error_of_a_rule_is_reported() {
    let text = rule(
        "  for m in missions\n  where m.head.rnk == ambassador and m.sendr == AFG and clas(m.head.rank) == 1",
    );
    let (set, diags) = load(&text);
    assert!(set.rules.is_empty());
    let codes: Vec<(&str, u32)> = diags
        .iter()
        .map(|d| (d.code.as_str(), d.loc_in(&text).column))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("unknown-field", 16),
            ("unknown-field", 40),
            ("unknown-function", 57)
        ]
    );
}

#[test]
fn an_id_with_a_dot_is_quoted_and_compares_with_ids() {
    // docs/rules.md: "An id with a dot in it must be quoted (`"un.org"`), since `a.b` is a path."
    let (set, diags) = load(&rule(
        "  for m in missions\n  where m.sender == \"un.org\" or m.receiver in [\"un.org\", AFG]\n  require recognition(\"un.org\", m.receiver) == de-jure",
    ));
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(set.rules.len(), 1);
    // A quoted string is still not a number or a date.
    let d = only_error(&rule("  for m in missions\n  where m.staff == \"12\""));
    assert_eq!(d.message, "cannot compare a number with a string");
}

#[test]
fn quantifiers_type_check() {
    let (set, diags) = load(&rule(
        "  for s in states\n  where count(m in missions where m.receiver == s and class(m.head.rank) == 1) >= 2\n  require exists(g in governments where g.state == s.id and g.in_control)",
    ));
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(set.rules.len(), 1);
    // `exists` is a boolean, `count` a number.
    let d = only_error(&rule(
        "  for s in states\n  where count(m in missions where m.receiver == s)",
    ));
    assert_eq!(
        d.message,
        "`where` needs a condition (true or false), but this is a number"
    );
    let d = only_error(&rule(
        "  for s in states\n  where exists(m in missons) == true",
    ));
    assert_eq!(d.code, "unknown-collection");
    assert_eq!(d.help.as_deref(), Some("did you mean `missions`?"));
}

#[test]
fn all_fourteen_standard_rules_load() {
    let set = RuleSet::standard().unwrap_or_else(|d| panic!("standard rules: {d:#?}"));
    let ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
    let mut expected = vec![
        "rank-parity",
        "implied-recognition",
        "credentials-to-former-government",
        "duplicate-mission",
        "orphan-mission",
        "head-vacant",
        "agrement-missing",
        "staff-parity",
        // Version 2 (design §7).
        "mission-without-relations",
        "interests-section-without-protecting-power",
        "persona-non-grata-in-office",
        "credentials-pending",
        "prolonged-acting-head",
        "exequatur-missing",
    ];
    expected.sort_unstable();
    assert_eq!(ids, expected, "standard rules, sorted by id");
    for rule in &set.rules {
        assert!(rule.file.starts_with("rules/"), "{}", rule.file);
        assert!(!rule.title.is_empty() && !rule.cite.is_empty());
        assert!(
            rule.about.is_some(),
            "{} explains itself with `about`",
            rule.id
        );
    }
    let rank = set.get("rank-parity").unwrap();
    assert_eq!(rank.bindings.len(), 2);
    assert_eq!(rank.subject, vec![0, 1]);
    assert_eq!(rank.location.loc(), Loc::new(3, 1));
}

#[test]
fn a_string_inside_a_message_hole_has_plain_quotes_and_the_usual_escapes() {
    // As docs/rules.md says: the literal's own quotes are not escaped...
    let text = "rule t {\n  title \"T\"\n  severity error\n  cite \"C\"\n  for m in missions\n  message \"x {m.id == \\\"a\\\"} y\"\n}\n";
    let d = only_error(text);
    assert_eq!(d.code, "rule-syntax");
    assert_eq!(d.message, "expected an expression, found `\\`");
    assert_eq!(d.loc_in(text), Loc::new(6, 23));
    // ...but inside it, escapes work as in any string.
    let text = "rule t {\n  title \"T\"\n  severity error\n  cite \"C\"\n  for m in missions\n  message \"x {m.id == \"a\\\"b\"} y\"\n}\n";
    let (set, diags) = load(text);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(set.rules.len(), 1);
}

/// parity's own findings (expired and unused waivers, input errors, claims)
/// go by their ids in reports and waivers: a rule may not take one.
#[test]
fn a_rule_may_not_take_the_id_of_parity_s_own_findings() {
    for own in parity::engine::builtin::BUILTIN {
        let text = format!(
            "rule {} {{\n  title \"T\"\n  severity info\n  cite \"C\"\n  for m in missions\n  message \"x\"\n}}\n",
            own.id
        );
        let mut set = RuleSet::default();
        let mut diags = Vec::new();
        set.add_text(&text, "a.rules", &mut diags);
        assert!(set.rules.is_empty(), "{}: added", own.id);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!(d.code, "duplicate-rule");
        assert_eq!(
            d.message,
            format!("the rule id `{}` is parity's own", own.id)
        );
        assert_eq!(d.loc_in(&text), Loc::new(1, 6));
        assert_eq!(d.width as usize, own.id.len());
        assert!(d.help.as_deref().is_some_and(|h| h.contains(own.title)));
    }
}
