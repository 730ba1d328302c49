//! The diagnostic codes, declared once: each with its kebab-case text (what
//! output shows and JSON carries), a one-line summary, the cause and the fix.
//! `parity explain CODE` and docs/diagnostics.md are generated from here.

use serde::Serialize;
use std::fmt;

/// Declares `Code` from groups of `Variant = "text" { summary, cause, fix }`.
macro_rules! codes {
    ($(
        $group:literal {
            $( $variant:ident = $text:literal {
                summary: $summary:literal,
                cause: $cause:literal,
                fix: $fix:literal $(,)?
            } )+
        }
    )+) => {
        /// A stable code for a class of input problem (`unknown-key`, `duplicate-id`, ...).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($( #[doc = $summary] $variant, )+)+
        }

        impl Code {
            /// Every code, in the order of declaration (docs/diagnostics.md's).
            pub const ALL: &'static [Code] = &[$($(Code::$variant,)+)+];

            /// The code's text, as output shows it: `unknown-key`.
            pub const fn as_str(self) -> &'static str {
                match self { $($(Code::$variant => $text,)+)+ }
            }

            /// What the problem is, in one line.
            pub const fn summary(self) -> &'static str {
                match self { $($(Code::$variant => $summary,)+)+ }
            }

            /// When the code is reported.
            pub const fn cause(self) -> &'static str {
                match self { $($(Code::$variant => $cause,)+)+ }
            }

            /// How to make it go away.
            pub const fn fix(self) -> &'static str {
                match self { $($(Code::$variant => $fix,)+)+ }
            }

            /// The stage of the run the code belongs to (a heading of the docs).
            pub const fn group(self) -> &'static str {
                match self { $($(Code::$variant => $group,)+)+ }
            }
        }
    };
}

codes! {
    "Reading files" {
        UnreadableFile = "unreadable-file" {
            summary: "A file could not be found or read.",
            cause: "A file named on the command line (a scenario, a rule file, a `--proposals` file, `--config`), found by a walk, or named by parity.toml does not exist, cannot be resolved, or the operating system refused to read it. The error points at the file's start, since no line of it was read.",
            fix: "Check the path and the file's permissions. Paths in parity.toml are relative to the directory parity.toml is in.",
        }
        NotAFile = "not-a-file" {
            summary: "A path names something other than a regular file.",
            cause: "The path is a directory where a file was expected, or (for a file found by a walk or named by parity.toml) a FIFO, socket, device or symbolic link, which are not opened so that a special file cannot hang or redirect the run.",
            fix: "Name the regular file itself. To check a directory's scenarios, name the directory to `parity check`, which walks it.",
        }
        FileTooLarge = "file-too-large" {
            summary: "A file is larger than its limit.",
            cause: "A scenario is larger than --limit-file-bytes (64 MiB unless raised); a rule file is larger than 16 MiB, or parity.toml than 1 MiB. The limits keep a mistaken or hostile input from exhausting memory.",
            fix: "Raise the limit with --limit-file-bytes if the scenario is genuine, or split it into several files.",
        }
        InvalidUtf8 = "invalid-utf8" {
            summary: "A file is not UTF-8 text.",
            cause: "The file holds a byte sequence that is not UTF-8, ends in the middle of a character, or is UTF-16 (it starts with a byte-order mark). The error points at the first byte that is not UTF-8.",
            fix: "Save the file as UTF-8. A Latin-1 or Windows-1252 file usually shows this at its first accented letter.",
        }
        EmptyFile = "empty-file" {
            summary: "A scenario file is empty.",
            cause: "The file holds nothing, or only comments and blank lines: there is no scenario to check.",
            fix: "Start the file with `scenario: <id>` (see docs/scenario.md), or leave the file out of the paths checked.",
        }
    }
    "YAML" {
        YamlSyntax = "yaml-syntax" {
            summary: "A file is not valid YAML.",
            cause: "The YAML parser rejected the text where it stopped: an unclosed quote or bracket, indentation that does not line up, a tab used for indentation, or a key that appears twice in one mapping. The message gives the parser's reason.",
            fix: "Correct the YAML at the place shown. For a duplicate key, remove or rename one of the two.",
        }
        YamlMultipleDocuments = "yaml-multiple-documents" {
            summary: "A file holds more than one YAML document.",
            cause: "A `---` or `...` line ends the first document, and a second one follows. A scenario file holds exactly one document.",
            fix: "Put each scenario in a file of its own, or remove the separator line.",
        }
        YamlUnknownAnchor = "yaml-unknown-anchor" {
            summary: "A YAML alias refers to no anchor.",
            cause: "An alias `*name` repeats the value marked `&name`, but no value before it in the file is marked with that name.",
            fix: "Mark the value to repeat with `&name` before the alias, or write the value out in place of the alias.",
        }
        YamlNodeLimit = "yaml-node-limit" {
            summary: "The YAML has more nodes than allowed.",
            cause: "The document has more lists, mappings and values than --limit-yaml-nodes (4,000,000 unless raised), counting each value an alias repeats, or more parser events than four for each node allowed.",
            fix: "Raise the limit with --limit-yaml-nodes if the file is genuine.",
        }
        YamlAliasLimit = "yaml-alias-limit" {
            summary: "The YAML's aliases expand to too much data.",
            cause: "Aliases repeat one anchor more than 10,000 times, anchors hold more than 100,000 values for aliases to repeat, or the aliases together repeat more values than allowed: the shape of a \"billion laughs\" attack. These limits are fixed.",
            fix: "Write the repeated records out instead of repeating them through aliases.",
        }
        YamlDepthLimit = "yaml-depth-limit" {
            summary: "The YAML nests too deeply.",
            cause: "Lists and mappings nest more than 32 levels deep, where a scenario needs fewer than 10; usually a `[` or `{` that is never closed.",
            fix: "Close the bracket, or flatten the structure.",
        }
    }
    "Scenario format" {
        WrongType = "wrong-type" {
            summary: "A value has the wrong type.",
            cause: "A value is not of the type its key takes: a list where a mapping is expected, a string where a number is, a negative count, an empty list of ids, or a count of 0 in a rule test's `fires`.",
            fix: "Write the value as the message says. docs/scenario.md gives the type of each key.",
        }
        UnknownKey = "unknown-key" {
            summary: "A mapping has a key its record does not define.",
            cause: "A record of a scenario, a rule test file or a proposal's change, or parity.toml, has a key that its kind of record does not have, often a misspelt one. Unknown keys are errors, not ignored, so that a typo cannot silently drop data.",
            fix: "Correct the key (the help names the nearest one) or remove it. docs/scenario.md lists the keys of each record.",
        }
        MissingKey = "missing-key" {
            summary: "A record lacks a key it requires.",
            cause: "A record has no value for a key its kind requires (a scenario's `scenario`, a mission's `sender`), or a proposal's change has none of `appoint`, `recall`, `open`, `close` and `recognize`.",
            fix: "Add the key named in the message.",
        }
        TooManyKeys = "too-many-keys" {
            summary: "A proposal's change has more than one key.",
            cause: "Each change of a proposal is one action, written as a mapping with exactly one key (`appoint`, `recall`, `open`, `close` or `recognize`); this one has two.",
            fix: "Write each change as its own list item (`- appoint: ...`, `- recall: ...`).",
        }
        DuplicateSubject = "duplicate-subject" {
            summary: "A rule test expects the same subject twice.",
            cause: "A case's `fires` lists one subject twice (its ids in any order). Findings are counted per subject, so a repeat is ambiguous.",
            fix: "Write the subject once, as `{ subject: [a, b], count: N }` to expect N findings for it.",
        }
        InvalidId = "invalid-id" {
            summary: "An id is not well formed.",
            cause: "An id (of a record, or of a rule in a waiver or a rule test) must start with an ASCII letter and hold only ASCII letters, digits, `_`, `.` and `-`.",
            fix: "Rename the id, in the form `kaz-in-afg` or `rank-parity`.",
        }
        InvalidDate = "invalid-date" {
            summary: "A date is not written as a date.",
            cause: "A scenario's date is not written YYYY-MM-DD, YYYY-MM or YYYY; or a rule's date literal is not a real date.",
            fix: "Write the date in one of those forms.",
        }
        ImpossibleDate = "impossible-date" {
            summary: "A date does not exist in the calendar.",
            cause: "The date is written correctly but cannot be: a month that is not 1 to 12, or a day past the end of its month (2023-02-29).",
            fix: "Correct the date; the message says how many days the month has.",
        }
        UnknownRank = "unknown-rank" {
            summary: "A head's rank is not one of the ranks.",
            cause: "Ranks are a closed vocabulary (ambassador, nuncio, high-commissioner, minister, charge-d-affaires and the others of docs/scenario.md); the word given is not one of them.",
            fix: "Use one of the ranks; the help names the nearest one, or lists them all.",
        }
        UnknownKind = "unknown-kind" {
            summary: "A mission's or an event's kind is not one of its kinds.",
            cause: "Mission kinds (embassy, consulate-general, liaison-office, interests-section and the others of docs/scenario.md) and event kinds (persona-non-grata, expulsion, recall-for-consultations) are closed vocabularies; the word given is not one of them.",
            fix: "Use one of the mission kinds; the help names the nearest one, or lists them all.",
        }
        UnknownLevel = "unknown-level" {
            summary: "A recognition's level is not one of the levels.",
            cause: "Recognition levels are a closed vocabulary (de-jure, de-facto and none); the word given is not one of them.",
            fix: "Use one of the levels; the help names the nearest one, or lists them all.",
        }
        UnknownStatus = "unknown-status" {
            summary: "A relation's status is not one of the statuses.",
            cause: "Relation statuses are a closed vocabulary (established, severed and suspended); the word given is not one of them.",
            fix: "Use one of the statuses; the help names the nearest one, or lists them all.",
        }
        SameState = "same-state" {
            summary: "A relation is between a state and itself.",
            cause: "A relation's `between` names the same state twice; a relation is between two different states.",
            fix: "Name the two states of the relation.",
        }
        KeyNotForKind = "key-not-for-kind" {
            summary: "An event has a key its kind does not take.",
            cause: "Some keys of an event mean something for one kind only (`diplomats` for an `expulsion`, `until` for a `recall-for-consultations`); a value the rules would silently ignore is taken for a mistake.",
            fix: "Remove the key, or correct the event's `kind`.",
        }
        UnknownStateKind = "unknown-state-kind" {
            summary: "A state's kind is not one of the state kinds.",
            cause: "State kinds are a closed vocabulary (state, organization and holy-see); the word given is not one of them.",
            fix: "Use one of the state kinds; the help names the nearest one, or lists them all.",
        }
    }
    "Scenario consistency" {
        DuplicateId = "duplicate-id" {
            summary: "Two records share an id.",
            cause: "Ids are unique across the whole file, whatever the kind of record: a state and a mission may not share one either.",
            fix: "Rename one of the two; the help gives the line of the first.",
        }
        UnknownId = "unknown-id" {
            summary: "A reference names no record of the right kind.",
            cause: "A record, a waiver's subject, a rule's comparison with an id, or a command's argument (`suggest --mission`, `--credentials-to`) names an id that the scenario does not define, or defines as another kind of record.",
            fix: "Correct the id (the help names the nearest one) or define the record.",
        }
        WrongState = "wrong-state" {
            summary: "A government named for a mission governs another state.",
            cause: "A mission's `run_by` government does not govern the state that sends the mission, or a head's credentials go to a government that does not govern the receiving state.",
            fix: "Name a government of the right state, or correct the mission's sender or receiver.",
        }
        UntilBeforeFrom = "until-before-from" {
            summary: "A period ends before it starts.",
            cause: "A record's `until` date is earlier than its `from` date (or, for a recall, than the event's `on`). A period holds from its start up to, but not including, `until`.",
            fix: "Correct one of the two dates.",
        }
        OverlappingHeads = "overlapping-heads" {
            summary: "Two heads of one mission are in office at once.",
            cause: "The periods of two heads of the same mission overlap; a mission has one head at a time. The help gives the line and period of the earlier head.",
            fix: "End the earlier head's period (`until`) on or before the later head's `from`.",
        }
        OverlappingRelations = "overlapping-relations" {
            summary: "Two relation records between the same states hold at once.",
            cause: "The periods of two `relations` records between the same two states overlap; relations are in one status at a time. The help gives the line, period and status of the earlier record.",
            fix: "End the earlier record's period (`until`) on or before the later record's `from`.",
        }
        ProtectingPowerIsParty = "protecting-power-is-party" {
            summary: "A mission's protecting power is its own sender or receiver.",
            cause: "A protecting power is a third state whose embassy hosts the mission (VCDR art. 45-46); the state named is the mission's sender or receiver.",
            fix: "Name a third state as `protecting_power`, or remove the key.",
        }
        InvalidChange = "invalid-change" {
            summary: "A proposal's change cannot be made.",
            cause: "A change of a proposal cannot be applied on its date (appointing to, recalling from or closing a mission that is not open then, and the like), or the scenario it would make is not valid; the message gives the reasons.",
            fix: "Correct the change, or the date (`on`) it is made on.",
        }
    }
    "Project file" {
        ConfigSyntax = "config-syntax" {
            summary: "parity.toml is not valid TOML.",
            cause: "The TOML parser rejected the project file where it stopped; the message gives its reason.",
            fix: "Correct the TOML at the place shown, or pass --no-config to read no project file.",
        }
        ConfigValue = "config-value" {
            summary: "A value in parity.toml is not allowed.",
            cause: "`fail-on` is not error, warning or info; `as-of` is not a real date; a key's value has the wrong type (`paths`, `rules` and `exclude` are lists of strings); or an `exclude` glob does not parse.",
            fix: "Write the value as the message and help say.",
        }
        ConfigPathMissing = "config-path-missing" {
            summary: "parity.toml names a path that does not exist.",
            cause: "A path in `paths` or `rules` does not exist below the project's directory. A path that does not exist cannot be resolved, so it is refused rather than taken on trust.",
            fix: "Correct the path; paths in parity.toml are relative to the directory it is in.",
        }
        ConfigPathOutside = "config-path-outside" {
            summary: "parity.toml names a path outside the project's directory.",
            cause: "A path in `paths` or `rules` is absolute, has `..`, or leads out of parity.toml's directory through a link, so that a project file in a checked-out repository cannot make parity read files elsewhere.",
            fix: "Move the files below the project's directory, or name other paths on the command line.",
        }
    }
    "Rule files" {
        RuleSyntax = "rule-syntax" {
            summary: "A rule file does not parse.",
            cause: "The text of a `.rules` file is not in the rule language: a missing keyword or bracket, an unknown clause, or an unclosed string. The error points where parsing stopped.",
            fix: "Correct the rule at the place shown; docs/rules.md describes the language, and `parity fmt` lays a parsed file out canonically.",
        }
        NoRules = "no-rules" {
            summary: "A rules directory holds no rule files, or a rule file no rules.",
            cause: "A directory named by --rules or by parity.toml's `rules` has no `.rules` file in it (or below it), or a rule file read (named, or found in such a directory) is empty or only comments: its rules would silently not be checked.",
            fix: "Name the directory that holds the `.rules` files, or a rule file itself; remove a rule file that is not needed.",
        }
        DuplicateRule = "duplicate-rule" {
            summary: "Two rules share an id.",
            cause: "A rule's id is already defined, by a standard rule, by another rule file loaded, or by parity itself for its own findings (`expired-waiver`, `unused-waiver`, `input-error`, `claim`); ids name rules in findings and waivers, so they must be unique.",
            fix: "Rename one of the two; the help says where the first is defined.",
        }
        DuplicateVariable = "duplicate-variable" {
            summary: "A rule binds one variable name twice.",
            cause: "A `for`, `count` or `exists` binds a name that is already bound in its scope.",
            fix: "Choose another name for one of the two.",
        }
        UnknownVariable = "unknown-variable" {
            summary: "A name is not a bound variable.",
            cause: "A rule uses a name (as a subject, a path's first part, or a bare word) that no `for`, `count` or `exists` binds where it is used.",
            fix: "Correct the name (the help names the nearest variable), or bind it.",
        }
        UnknownCollection = "unknown-collection" {
            summary: "A rule ranges over a collection that does not exist.",
            cause: "A `for`, `count` or `exists` names a collection the scenario model does not have.",
            fix: "Use one of the collections of docs/rules.md; the help names the nearest one.",
        }
        TooManyVariables = "too-many-variables" {
            summary: "A rule binds too many variables.",
            cause: "A rule may bind at most 32 variables, which keeps its evaluation bounded.",
            fix: "Split the rule into several rules.",
        }
        MessageTooLong = "message-too-long" {
            summary: "A rule's message template is too long.",
            cause: "A rule's message template is longer than 1,000 bytes; the limit bounds the output each finding can make.",
            fix: "Shorten the message; put the explanation in the rule's `about` text.",
        }
        TypeMismatch = "type-mismatch" {
            summary: "An expression has the wrong type for where it is.",
            cause: "A condition is not true or false, two values of different types are compared, an ordering is applied to values without an order (compare `class(...)` of ranks instead), `in` is not followed by a list or the list's values differ in type, a function's argument has the wrong type, or a record or list is printed in a message.",
            fix: "Change the expression as the message says; docs/rules.md gives the types of fields and functions.",
        }
        UnknownField = "unknown-field" {
            summary: "A record has no such field.",
            cause: "A path reads a field that its record kind does not have, or reads a field of a value that has no fields.",
            fix: "Correct the field's name (the help names the nearest one); docs/rules.md lists each record's fields.",
        }
        UnknownWord = "unknown-word" {
            summary: "A bare word is not a value of the type it is compared with.",
            cause: "A word compared with a field of a closed vocabulary (a rank, a mission kind, a level) is not one of that vocabulary's words.",
            fix: "Use one of the words the help lists.",
        }
        UnknownFunction = "unknown-function" {
            summary: "A rule calls a function that does not exist.",
            cause: "The name called is not one of the rule language's functions.",
            fix: "Correct the name (the help names the nearest function, or lists them); docs/rules.md describes each function.",
        }
        WrongArguments = "wrong-arguments" {
            summary: "A function is called with the wrong number of arguments.",
            cause: "The call has more or fewer arguments than the function takes; the message gives its signature.",
            fix: "Call the function as its signature says.",
        }
    }
    "Claims and evaluation" {
        ClaimSyntax = "claim-syntax" {
            summary: "A scenario's claim does not parse.",
            cause: "The text of a claim under `expect` is not an expression of the rule language.",
            fix: "Correct the claim at the place shown; a claim is written as a rule's `where` condition is.",
        }
        UnknownRule = "unknown-rule" {
            summary: "A rule id names no rule.",
            cause: "A waiver, a rule test file, or `parity explain` names a rule that is not in the rule set (the standard rules and those of --rules or parity.toml's `rules`).",
            fix: "Correct the rule id (the help names the nearest one), or load the rule file that defines it.",
        }
        NoDate = "no-date" {
            summary: "There is no date to check the scenario at.",
            cause: "The scenario has no `as_of` date, and none was given on the command line or in parity.toml.",
            fix: "Add `as_of: YYYY-MM-DD` to the scenario, or pass --as-of.",
        }
        EvaluationBudget = "evaluation-budget" {
            summary: "A rule or claim was stopped by its evaluation budget.",
            cause: "Evaluating a rule or claim took more steps than --limit-eval-steps, made more findings than --limit-findings, or made more bytes of messages and evidence than --limit-output-bytes. The budget keeps a rule that enumerates too many combinations from running for ever.",
            fix: "Join the rule's variables with `==` on ids or narrow its `where`, or raise the limit named in the message.",
        }
    }
    "Importing data" {
        CsvSyntax = "csv-syntax" {
            summary: "A file to import is not well-formed CSV.",
            cause: "`parity import` reads comma-separated values with a header row (RFC 4180); a row has more or fewer cells than the header, or a quoted cell is not closed.",
            fix: "Export the table again as CSV with a header row, one record a line.",
        }
        MissingColumn = "missing-column" {
            summary: "A column the import needs is not in the header.",
            cause: "A COW Diplomatic Exchange file has the columns `ccode1`, `ccode2`, `year`, `DR_at_1` and `DR_at_2` (v2006.1); one of them is not in the header row.",
            fix: "Import the data set's own CSV, or rename the column to the data set's name.",
        }
        InvalidValue = "invalid-value" {
            summary: "A cell does not hold a value its column can take.",
            cause: "A COW code or year is not a whole number, or a level of representation is not one of 0 (none), 1 (chargé d'affaires), 2 (minister), 3 (ambassador), 9 (other) or the data set's missing-value mark -9.",
            fix: "Correct the cell; the level codes are the data set's codebook's.",
        }
        UnknownStateCode = "unknown-state-code" {
            summary: "A COW state code is not in the state list parity carries.",
            cause: "The code is not a Correlates of War state system code (see `src/import/cow_states.rs` for the list and its source).",
            fix: "Correct the code, or add the state to the list with its source.",
        }
        ConflictingObservations = "conflicting-observations" {
            summary: "Two rows give different levels for the same mission in the same year.",
            cause: "A dyad appears twice for a year (as `A, B` and as `B, A`, or twice in the same order), and the rows disagree on the level of one side's representation.",
            fix: "Keep one row per dyad and year, or make the rows agree.",
        }
    }
    "Output and command line" {
        OutputIsInput = "output-is-input" {
            summary: "The output file is one of the files read.",
            cause: "--output names a file this run read (by any name or link), which writing would destroy.",
            fix: "Write the output to another file.",
        }
        UnwritableOutput = "unwritable-output" {
            summary: "The output could not be written.",
            cause: "--output names a directory, or writing the file (or standard output) failed.",
            fix: "Check the path and its directory's permissions and free space.",
        }
        Usage = "usage" {
            summary: "The command line asks for something the command cannot do.",
            cause: "Arguments that parse but do not go together: a CI format (SARIF, JUnit, GitHub) for a command other than `parity check`, or a `timeline` whose --until is not after its --from.",
            fix: "Change the arguments as the message says; `parity help COMMAND` describes them.",
        }
    }
}

impl Code {
    /// The code whose text is `text`.
    pub fn find(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == text)
    }

    /// What `parity explain CODE` prints: the code, its summary, cause and fix.
    pub fn explain(self) -> String {
        let mut out = format!("{}: {}\n\n", self.as_str(), self.summary());
        for (heading, text) in [("Cause", self.cause()), ("Fix", self.fix())] {
            out.push_str(heading);
            out.push_str(":\n\n");
            for line in super::wrap(text, super::EXPLAIN_WIDTH - 2) {
                out.push_str("  ");
                out.push_str(&line);
                out.push('\n');
            }
            out.push('\n');
        }
        out.pop();
        out
    }
}

/// The text `parity explain CODE` prints, if `code` is a diagnostic code.
pub fn explain(code: &str) -> Option<String> {
    Code::find(code).map(Code::explain)
}

/// docs/diagnostics.md, from `Code::ALL`.
pub fn docs() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         <!-- Generated from src/diag/code.rs by tests/diagnostics.rs; \
         regenerate with PARITY_BLESS=1 cargo test --test diagnostics. -->\n\n\
         Every input error parity reports has one of these codes, shown as \
         `error[code]` and carried as `code` in JSON, SARIF, JUnit and GitHub \
         annotations. `parity explain CODE` prints the same text.\n",
    );
    let mut group = "";
    for code in Code::ALL {
        if code.group() != group {
            group = code.group();
            out.push_str(&format!("\n## {group}\n"));
        }
        out.push_str(&format!(
            "\n### `{}`\n\n{}\n\n**Cause.** {}\n\n**Fix.** {}\n",
            code.as_str(),
            code.summary(),
            code.cause(),
            code.fix()
        ));
    }
    out
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Output sorts diagnostics by their code's text, as it did when codes were strings.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Not a diagnostic code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a diagnostic code")]
pub struct UnknownCode(pub String);

impl std::str::FromStr for Code {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Code, UnknownCode> {
        Code::find(text).ok_or_else(|| UnknownCode(text.to_string()))
    }
}

/// JSON carries the code's text.
impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_unique_kebab_case_and_found_by_its_text() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                !text.is_empty()
                    && !text.starts_with('-')
                    && !text.ends_with('-')
                    && !text.contains("--")
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{text}"
            );
            assert_eq!(Code::find(text), Some(*code));
            assert_eq!(text.parse::<Code>(), Ok(*code));
            assert_eq!(
                serde_json::to_string(code).ok(),
                Some(format!("\"{text}\""))
            );
            for doc in [code.summary(), code.cause(), code.fix()] {
                assert!(doc.ends_with('.') && !doc.contains('\n'), "{text}: {doc}");
            }
        }
        assert!("dangling-id".parse::<Code>().is_err());
    }

    #[test]
    fn codes_order_by_their_text() {
        let mut codes = Code::ALL.to_vec();
        codes.sort();
        let texts: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        let mut sorted = texts.clone();
        sorted.sort_unstable();
        assert_eq!(texts, sorted);
    }

    #[test]
    fn explain_gives_summary_cause_and_fix() {
        let text = explain("unknown-key").unwrap_or_default();
        assert!(
            text.starts_with("unknown-key: A mapping has a key"),
            "{text}"
        );
        assert!(
            text.contains("\nCause:\n\n  ") && text.contains("\nFix:\n\n  "),
            "{text}"
        );
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert_eq!(explain("rank-parity"), None);
    }
}
