//! The only module that touches the YAML library.
//!
//! It turns a YAML text into a tree of `Node`s, each with the byte it was
//! written at (a `Span`), so that every later error and finding can point at
//! its source; line and column are computed only when a place is rendered. Why serde-saphyr and not serde_yaml: see `docs/decisions.md`.

use crate::diag::Code;
use crate::diag::{Diagnostic, Loc};
use crate::source::Span;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::borrow::Cow;
use std::fmt;

pub mod subset;
pub use subset::Split;

/// A YAML value with the place it was written. Strings borrow from the
/// text where they can (most scalars), which keeps a large world's tree small.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'t> {
    pub value: Value<'t>,
    /// Where the node starts in the text (an empty range at that byte: what
    /// a node covers is not kept, a decoder measures what it underlines).
    /// The parser sees a text, not a source: `span.source` is
    /// `SourceId::NONE`, and the loader gives each place it keeps its source.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'t> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'t, str>),
    Seq(Vec<Node<'t>>),
    /// Keys in the order written.
    Map(Vec<(Node<'t>, Node<'t>)>),
}

impl Value<'_> {
    /// What the value is, in words, for "expected a date, found a list".
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Bounds on what a YAML text may make the loader do.
#[derive(Debug, Clone, Copy)]
pub struct YamlLimits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// Most nodes, counting each alias expansion (bounds "billion laughs").
    pub max_nodes: usize,
}

impl Default for YamlLimits {
    fn default() -> Self {
        YamlLimits {
            max_bytes: 64 << 20,
            max_depth: 32,
            max_nodes: 4_000_000,
        }
    }
}

/// Parses one YAML document into a located tree.
// One located error is all a YAML syntax failure has; it is built once per file.
#[allow(clippy::result_large_err)]
pub fn parse<'t>(text: &'t str, file: &str, limits: &YamlLimits) -> Result<Node<'t>, Diagnostic> {
    if text.len() > limits.max_bytes {
        return Err(Diagnostic::at_start(
            Code::FileTooLarge,
            file,
            format!(
                "the file is {} bytes, more than the limit of {} bytes",
                text.len(),
                limits.max_bytes
            ),
        )
        .with_help("raise the limit with --limit-file-bytes if the file is genuine"));
    }
    // Most scenario files lie in the subset that the fast reader handles;
    // everything else, errors included, is read by serde-saphyr.
    if let Some(node) = subset::parse(text, limits) {
        return Ok(node);
    }
    parse_full(text, file, limits)
}

/// A file of at least `split_min` bytes (and within the size limit) that
/// lies in the fast reader's subset, as far as its short sections show,
/// read with its long lists left to be read a piece at a time; `None` for
/// any other text, which `parse` reads whole.
pub fn split<'t>(text: &'t str, limits: &YamlLimits, split_min: usize) -> Option<Split<'t>> {
    if text.len() > limits.max_bytes {
        return None;
    }
    subset::split(text, limits, split_min)
}

/// Parses with serde-saphyr alone (the reference for `subset`).
#[allow(clippy::result_large_err)]
pub fn parse_full(
    text: &str,
    file: &str,
    limits: &YamlLimits,
) -> Result<Node<'static>, Diagnostic> {
    let budget = serde_saphyr::budget! {
        max_depth: limits.max_depth,
        max_nodes: limits.max_nodes,
        max_documents: 1,
        // Anchored content a scenario replays is small; a bomb's is not.
        max_recorded_anchor_events: MAX_RECORDED_EVENTS,
        // The default (1,000,000) stops near 9.5 MB of scenario; nodes bound the work instead.
        max_events: 4 * limits.max_nodes,
    };
    let options = serde_saphyr::options! {
        budget: budget,
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        // `.inf` and `.nan` are read (as numbers), not refused: in a text
        // field the loader takes them as written (`name: .inf`).
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::Error,
        // A scenario may reuse an anchor a few times; a "billion laughs" file
        // expands each one exponentially often and is stopped early here.
        alias_limits: serde_saphyr::alias_limits! { max_alias_expansions_per_anchor: MAX_EXPANSIONS },
    };
    match serde_saphyr::from_str_with_options::<Option<Spanned<Node<'static>>>>(text, options) {
        Ok(Some(node)) => Ok(located(node)),
        Ok(None) => Ok(Node {
            value: Value::Null,
            span: Span::default(),
        }),
        Err(error) => Err(yaml_error(&error, text, file, limits)),
    }
}

/// Expansions of one anchor that serde-saphyr allows.
const MAX_EXPANSIONS: usize = 10_000;
/// Events that anchors may record for replay.
const MAX_RECORDED_EVENTS: usize = 100_000;

/// serde-saphyr's error in a scenario author's words, classified by its
/// kind (never by words in its text, which name the library's internals).
fn yaml_error(
    error: &serde_saphyr::Error,
    text: &str,
    file: &str,
    limits: &YamlLimits,
) -> Diagnostic {
    use serde_saphyr::Error;
    use serde_saphyr::budget::BudgetBreach;
    use serde_saphyr::granit_parser::ErrorKind;
    let loc = error.location().map_or(Loc::new(1, 1), |l| loc_of(&l));
    let lines = crate::source::LineIndex::new(text);
    // An error met while replaying an alias is wrapped with the alias's place
    // (kept in `loc`); what went wrong is inside.
    let mut inner = error.without_snippet();
    let mut through_alias = false;
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = inner {
        through_alias |= matches!(inner, Error::AliasError { .. });
        inner = error;
    }
    let nodes = limits.max_nodes;
    let raise_nodes =
        format!("raise the limit with --limit-yaml-nodes (now {nodes}) if the file is genuine");
    let alias_bomb = |what: String| {
        Diagnostic::at_loc(Code::YamlAliasLimit, file, (text, &lines), loc, format!("the YAML expands to too much data: {what}"))
            .with_help("a file whose aliases multiply like this is a \"billion laughs\" attack, or needs its records written out instead")
    };
    let depth = || {
        Diagnostic::at_loc(Code::YamlDepthLimit, file, (text, &lines), loc, "the YAML nests too deeply").with_help(format!(
            "lists and mappings may nest at most {} levels; a scenario needs fewer than 10 (an unclosed `[` or `{{`?)",
            limits.max_depth
        ))
    };
    match inner {
        Error::MultipleDocuments { .. }
        | Error::Budget {
            breach: BudgetBreach::Documents { .. },
            ..
        } => Diagnostic::at_loc(
            Code::YamlMultipleDocuments,
            file,
            (text, &lines),
            loc,
            "a scenario file holds one YAML document; this file has a second one starting here",
        )
        .with_help("a `---` or `...` line ends a document: put each scenario in a file of its own"),
        Error::UnknownAnchor { .. } => {
            let alias = alias_at(text, loc);
            Diagnostic::at_loc(
                Code::YamlUnknownAnchor,
                file,
                (text, &lines),
                loc,
                format!("the alias `*{alias}` refers to no anchor"),
            )
            .with_width(alias.chars().count() + 1)
            .with_help(format!(
                "an alias repeats a value marked `&{alias}` earlier in the file; mark the value, or write it out here"
            ))
        }
        Error::Budget {
            breach: BudgetBreach::Nodes { .. },
            ..
        } => {
            let why = if through_alias {
                ", counting each value an alias repeats"
            } else {
                " (lists, mappings and values)"
            };
            Diagnostic::at_loc(
                Code::YamlNodeLimit,
                file,
                (text, &lines),
                loc,
                format!("the YAML has more than {nodes} nodes{why}"),
            )
            .with_help(raise_nodes)
        }
        // Events are bounded at four per node: the node limit raises both.
        Error::Budget {
            breach: BudgetBreach::Events { .. },
            ..
        } => Diagnostic::at_loc(
            Code::YamlNodeLimit,
            file,
            (text, &lines),
            loc,
            format!(
                "the YAML is too large to read: more than {} parser events (4 for each of the {nodes} nodes allowed)",
                nodes.saturating_mul(4)
            ),
        )
        .with_help(raise_nodes),
        Error::Budget {
            breach: BudgetBreach::Depth { .. },
            ..
        } => depth(),
        Error::ExternalMessage { source, .. }
            if matches!(
                source.as_ref(),
                serde_saphyr::ExternalMessageSource::Parser(e)
                    if matches!(e.kind(), ErrorKind::RecursionLimitExceeded)
            ) =>
        {
            depth()
        }
        Error::AliasExpansionLimitExceeded { .. } => alias_bomb(format!(
            "aliases repeat one anchor more than {MAX_EXPANSIONS} times"
        )),
        Error::Budget {
            breach:
                BudgetBreach::RecordedAnchorEvents { .. } | BudgetBreach::RecordedAnchorBytes { .. },
            ..
        } => alias_bomb(format!(
            "anchors hold more than {MAX_RECORDED_EVENTS} values for aliases to repeat"
        )),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::Budget {
            breach:
                BudgetBreach::Aliases { .. }
                | BudgetBreach::Anchors { .. }
                | BudgetBreach::AliasAnchorRatio { .. },
            ..
        } => alias_bomb("its aliases repeat more values than allowed".to_string()),
        // The library's advice here is for programmers ("set DuplicateKeyPolicy
        // in Options"); a scenario's author needs to know the key is repeated.
        Error::DuplicateMappingKey { key, .. } => {
            let message = match key {
                Some(key) => format!("duplicate key `{key}`"),
                None => "duplicate key".to_string(),
            };
            Diagnostic::at_loc(Code::YamlSyntax, file, (text, &lines), loc, message)
                .with_help("a key may appear only once in a mapping; remove or rename one of them")
        }
        _ => Diagnostic::at_loc(
            Code::YamlSyntax,
            file,
            (text, &lines),
            loc,
            format!("invalid YAML: {}", syntax_message(error)),
        ),
    }
}

/// The library's own words for a syntax error, without the position it
/// adds (the `-->` line gives that).
fn syntax_message(error: &serde_saphyr::Error) -> String {
    let options = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
    let rendered = error.without_snippet().render_with_options(options);
    // The library prefixes "error: line L column C: ".
    let message = rendered
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim_start_matches("error: ");
    let message = match message.split_once(": ") {
        Some((prefix, rest)) if prefix.starts_with("line ") => rest,
        _ => message,
    };
    // Some messages end in "at line L, column C".
    let message = match message.rsplit_once(" at line ") {
        Some((text, position))
            if position
                .split_once(", column ")
                .is_some_and(|(l, c)| l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok()) =>
        {
            text
        }
        _ => message,
    };
    message.to_string()
}

/// The name of the alias written at `loc` (`*name`), for the message.
fn alias_at(text: &str, loc: Loc) -> &str {
    let line = usize::try_from(loc.line.saturating_sub(1))
        .ok()
        .and_then(|n| text.split('\n').nth(n))
        .unwrap_or("");
    let skip = usize::try_from(loc.column.saturating_sub(1)).unwrap_or(0);
    let rest = line
        .char_indices()
        .nth(skip)
        .map_or("", |(at, _)| &line[at..]);
    let name = rest.strip_prefix('*').unwrap_or(rest);
    let end = name
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
        .unwrap_or(name.len());
    &name[..end]
}

fn saturate(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

/// serde-saphyr's location; its "unknown" (0) becomes 1 in `Loc::new`.
fn loc_of(location: &serde_saphyr::Location) -> Loc {
    Loc::new(saturate(location.line()), saturate(location.column()))
}

impl<'de> Deserialize<'de> for Node<'static> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_any(ValueVisitor)?;
        // The place is the caller's to give (`located`): a value cannot see its span.
        Ok(Node {
            value,
            span: Span::default(),
        })
    }
}

/// Unwraps a spanned node, taking the location where the value is used
/// (the root's too: a list where a mapping belongs is shown where it starts).
fn located(spanned: Spanned<Node<'static>>) -> Node<'static> {
    // Byte offsets are known for a text read whole (`from_str`); an unknown
    // place is the text's start, as `Loc::new` makes an unknown line 1.
    let at = spanned.referenced.span().byte_offset().unwrap_or(0);
    let at = usize::try_from(at).unwrap_or(usize::MAX);
    Node {
        value: spanned.value.value,
        span: Span::new(at, at),
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'static>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value<'static>, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value<'static>, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value<'static>, E> {
        Ok(Value::Int(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value<'static>, E> {
        Ok(i64::try_from(n).map_or(Value::Float(n as f64), Value::Int))
    }
    fn visit_i128<E>(self, n: i128) -> Result<Value<'static>, E> {
        Ok(i64::try_from(n).map_or(Value::Float(n as f64), Value::Int))
    }
    fn visit_u128<E>(self, n: u128) -> Result<Value<'static>, E> {
        Ok(i64::try_from(n).map_or(Value::Float(n as f64), Value::Int))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value<'static>, E> {
        Ok(Value::Float(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value<'static>, E> {
        Ok(Value::Str(Cow::Owned(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<Value<'static>, E> {
        Ok(Value::Str(Cow::Owned(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'static>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node<'static>>>()? {
            items.push(located(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'static>, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) =
            map.next_entry::<Spanned<Node<'static>>, Spanned<Node<'static>>>()?
        {
            entries.push((located(key), located(value)));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node<'_> {
        match parse(text, "t.yaml", &YamlLimits::default()) {
            Ok(node) => node,
            Err(d) => panic!("unexpected error: {}", d.render(Some(text))),
        }
    }

    #[test]
    fn keeps_locations_and_yaml_1_2_scalars() {
        let node = parse_ok("a: on\nb:\n  - 2024-09\n  - 1992\n");
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].1.value, Value::Str("on".into()));
        assert_eq!(entries[0].1.span, Span::new(3, 3));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("not a list")
        };
        assert_eq!(items[0].value, Value::Str("2024-09".into()));
        assert_eq!(items[0].span, Span::new(13, 13));
        assert_eq!(items[1].value, Value::Int(1992));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let error = parse("a: 1\na: 2\n", "t.yaml", &YamlLimits::default());
        assert!(matches!(error, Err(d) if d.loc_in("a: 1\na: 2\n").line == 2));
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_bounded() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 0..9u8 {
            let (name, prev) = ((b'b' + i) as char, (b'a' + i) as char);
            bomb += &format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            );
        }
        let error = parse(&bomb, "t.yaml", &YamlLimits::default());
        assert!(matches!(error, Err(d) if d.code == Code::YamlAliasLimit));
        let deep = "[".repeat(100_000);
        assert!(parse(&deep, "t.yaml", &YamlLimits::default()).is_err());
    }
}
