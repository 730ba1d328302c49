//! nom parser for the rule language: whole rule files (`parse_rules`) and
//! single expressions (`parse_expr`, used for scenario `expect` claims).
//!
//! The lexical pieces (whitespace, comments, names, numbers, operators) are
//! nom combinators. The grammar above them is recursive descent that decides
//! by peeking at the next token rather than by trying alternatives, so every
//! syntax error is committed (`nom::Err::Failure`) at an exact place with a
//! message saying what was expected and what was found, instead of nom's
//! generic error kinds. See `docs/rules.md` for the grammar.
//!
//! Positions: all parsers take `&str` suffixes of one window of the source,
//! and `Cx::off` turns a suffix into a byte offset into the whole text. The
//! only window that is not the whole text is a template hole, which is cut
//! at the end of its line (strings cannot span lines, and a `#` in a hole
//! must not swallow the closing `"`).

use crate::diag::Code;
use crate::diag::{self, Diagnostic};
use crate::lang::ast::{
    ArithOp, Binding, CmpOp, Expr, ExprKind, Ident, QuantifierKind, Rule, RuleFile, Severity, Span,
    Template, TemplatePart, Text,
};
use crate::scenario::date::{Date, DateError};
use crate::source::SourceId;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while, take_while1};
use nom::character::complete::{char, digit1, multispace1, satisfy};
use nom::combinator::{opt, recognize, value};
use nom::error::{ErrorKind, ParseError as NomParseError};
use nom::multi::many0_count;
use nom::sequence::{pair, preceded};
use nom::{IResult, Parser};
use std::cell::Cell;

/// Diagnostic code of every error this module reports.
pub const CODE: Code = Code::RuleSyntax;

/// How deeply parentheses, `not`, lists and calls may nest. Deeper input is
/// an error rather than a stack overflow (here or in later tree walks).
pub const MAX_DEPTH: usize = 64;

/// How tall the tree built by `and`/`or` chains may grow (see `chain`).
pub const MAX_HEIGHT: usize = 256;

/// Words that can never be a NAME.
pub const RESERVED: &[&str] = &["and", "or", "not", "in", "where", "true", "false", "none"];

/// Clause keywords, in the order the docs present them (and errors list them).
pub const CLAUSES: &[&str] = &[
    "title", "severity", "cite", "about", "subject", "for", "where", "require", "message",
];

/// Clauses a rule must have.
const REQUIRED: &[&str] = &["title", "severity", "cite", "for", "message"];

/// Call names that are really quantifiers: `count(x in c where e)`,
/// `sum(x.f for x in c where e)`.
pub const QUANTIFIERS: &[&str] = &["count", "exists", "sum"];

/// A syntax error in a single expression (`parse_expr`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// Byte offset into the parsed text.
    pub offset: usize,
    /// Width of the offending token in characters (as `Diagnostic::with_width` takes it).
    pub width: usize,
    pub message: String,
}

/// Internal error: located by the number of bytes left in the window at the
/// problem (nom hands us only the remaining input), turned into an offset
/// by `Cx` at the API boundary.
#[derive(Debug, Clone, PartialEq)]
struct Fail {
    rest: usize,
    width: usize,
    message: String,
    help: Option<String>,
    /// A misspelt word and the words it may have meant, for `Diagnostic::suggest`.
    suggest: Option<(String, &'static [&'static str])>,
}

impl Fail {
    fn new(at: &str, width: usize, message: impl Into<String>) -> Fail {
        Fail {
            rest: at.len(),
            width,
            message: message.into(),
            help: None,
            suggest: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Fail {
        self.help = Some(help.into());
        self
    }

    fn suggest(mut self, word: &str, candidates: &'static [&'static str]) -> Fail {
        self.suggest = Some((word.to_string(), candidates));
        self
    }
}

impl NomParseError<&str> for Fail {
    fn from_error_kind(input: &str, _kind: ErrorKind) -> Self {
        let (what, width) = found(input);
        Fail::new(input, width, format!("unexpected {what}"))
    }

    fn append(_input: &str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

type PResult<'a, T> = IResult<&'a str, T, Fail>;

/// A committed error at `at`.
fn fail<T>(at: &str, width: usize, message: impl Into<String>) -> PResult<'_, T> {
    Err(nom::Err::Failure(Fail::new(at, width, message)))
}

/// "expected X, found Y" at `at`, underlining the token found there.
fn expected<'a, T>(at: &'a str, what: &str) -> PResult<'a, T> {
    Err(nom::Err::Failure(expected_fail(at, what)))
}

fn expected_fail(at: &str, what: &str) -> Fail {
    let (found, width) = found(at);
    Fail::new(at, width, format!("expected {what}, found {found}"))
}

/// Both nom error flavours carry a `Fail`; `Incomplete` cannot happen with
/// complete parsers, but is mapped rather than unwrapped.
fn into_fail(err: nom::Err<Fail>) -> Fail {
    match err {
        nom::Err::Error(f) | nom::Err::Failure(f) => f,
        nom::Err::Incomplete(_) => Fail::new("", 1, "unexpected end of input"),
    }
}

/// Where the window being parsed ends in the whole text; see the module docs.
#[derive(Debug, Clone, Copy)]
struct Cx<'a> {
    /// The whole text, for "first given at line:column" hints.
    full: &'a str,
    /// Byte offset in `full` of the end of the current window.
    end: usize,
    /// The last line end found (from, end offsets in `full`): strings on
    /// one line reuse it instead of each searching to the line's end, which
    /// made a file of many rules on one line quadratic.
    line_end: &'a Cell<(usize, usize)>,
    /// The source every span made is in.
    source: SourceId,
}

impl Cx<'_> {
    /// The span `[start, end)` of the text being parsed.
    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            source: self.source,
            ..Span::new(start, end)
        }
    }

    /// Where the line holding `rest` (a suffix of the window) ends, relative to `rest`.
    fn line_len(&self, rest: &str) -> usize {
        let at = self.off(rest);
        let (from, end) = self.line_end.get();
        let end = if (from..=end).contains(&at) {
            end
        } else {
            let tail = self.full.get(at..).unwrap_or_default();
            let end = at + tail.find(['\n', '\r']).unwrap_or(tail.len());
            self.line_end.set((at, end));
            end
        };
        end.min(self.end).saturating_sub(at)
    }

    /// Byte offset in the whole text of a suffix of the window.
    fn off(&self, rest: &str) -> usize {
        self.end.saturating_sub(rest.len())
    }

    fn offset_of(&self, fail: &Fail) -> usize {
        self.end.saturating_sub(fail.rest)
    }

    /// Re-expresses an error from an inner window in this (enclosing) one.
    fn adopt(&self, inner: Cx<'_>, mut fail: Fail) -> Fail {
        fail.rest += self.end.saturating_sub(inner.end);
        fail
    }
}

// ---------------------------------------------------------------------------
// Lexical pieces
// ---------------------------------------------------------------------------

/// Skips whitespace (including newlines) and `#` comments. Never fails.
fn ws(i: &str) -> &str {
    let comment = preceded(char('#'), take_till(|c| c == '\n'));
    let mut skip = many0_count(alt((multispace1::<&str, Fail>, comment)));
    match skip.parse(i) {
        Ok((rest, _)) => rest,
        Err(_) => i,
    }
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// NAME: `[A-Za-z_][A-Za-z0-9_.-]*`, giving back a trailing `.` or `-`
/// (so `a.` is `a` then `.`). Also lexes keywords.
fn name(i: &str) -> PResult<'_, &str> {
    let (_, raw) = recognize(pair(satisfy(is_name_start), take_while(is_name_char))).parse(i)?;
    let word = raw.trim_end_matches(['.', '-']);
    Ok((&i[word.len()..], word))
}

/// The input after `word` if the next token is exactly that word.
fn keyword<'a>(i: &'a str, word: &str) -> Option<&'a str> {
    match name(i) {
        Ok((rest, w)) if w == word => Some(rest),
        _ => None,
    }
}

/// Describes the token at `i` for "found ..." and gives its width in characters.
fn found(i: &str) -> (String, usize) {
    let Some(c) = i.chars().next() else {
        return ("end of input".to_string(), 1);
    };
    if c == '\n' || c == '\r' {
        return ("end of line".to_string(), 1);
    }
    if c == '"' {
        // Errors are built for every failed alternative, so this must not
        // read to the end of a long line; a caret is never wider than 200.
        let near = i.char_indices().nth(256).map_or(i, |(k, _)| &i[..k]);
        let line = near.split(['\n', '\r']).next().unwrap_or(near);
        let width = match line[1..].find('"') {
            Some(k) => line[..k + 2].chars().count(),
            None => line.chars().count(),
        };
        return ("a string".to_string(), width);
    }
    let word: &str = if c.is_ascii_alphanumeric() || c == '_' {
        let end = i.find(|c: char| !is_name_char(c)).unwrap_or(i.len());
        let w = i[..end].trim_end_matches(['.', '-']);
        if w.is_empty() { &i[..c.len_utf8()] } else { w }
    } else if ["==", "!=", "<=", ">=", "{{", "}}"]
        .iter()
        .any(|op| i.starts_with(op))
    {
        &i[..2]
    } else {
        &i[..c.len_utf8()]
    };
    (format!("`{word}`"), word.chars().count())
}

/// Joins words as "`a`, `b` or `c`" (with `conjunction` "or").
fn list_words(words: &[&str], conjunction: &str) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// A lowercase identifier `[a-z_][a-z0-9_]*` (a variable or collection).
fn var<'a>(cx: Cx<'_>, i: &'a str, what: &str) -> PResult<'a, Ident> {
    let start = cx.off(i);
    // Lex a whole NAME first, so that `M` or `m.x` is reported whole.
    let word = match name(i) {
        Ok((_, w)) => w,
        Err(_) => return expected(i, what),
    };
    let lower = word.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if RESERVED.contains(&word) {
        return fail(
            i,
            word.len(),
            format!("expected {what}, found reserved word `{word}`"),
        );
    }
    if !lower {
        let message =
            format!("expected {what} (lowercase letters, digits and `_`), found `{word}`");
        return fail(i, word.chars().count(), message);
    }
    let rest = &i[word.len()..];
    let ident = Ident {
        name: word.to_string(),
        span: cx.span(start, cx.off(rest)),
    };
    Ok((rest, ident))
}

/// Consumes `c` or reports what was expected there.
fn close<'a>(i: &'a str, c: char, what: &str) -> PResult<'a, ()> {
    match i.strip_prefix(c) {
        Some(rest) => Ok((rest, ())),
        None => expected(i, what),
    }
}

/// Enters one more level of nesting at `at`, or reports that it is too deep.
fn enter(at: &str, depth: usize, width: usize) -> Result<usize, nom::Err<Fail>> {
    if depth >= MAX_DEPTH {
        let message = format!("expression nests too deeply (limit {MAX_DEPTH})");
        return Err(nom::Err::Failure(Fail::new(at, width, message)));
    }
    Ok(depth + 1)
}

// ---------------------------------------------------------------------------
// Strings and templates
// ---------------------------------------------------------------------------

/// A double-quoted string; with `holes`, a message template with `{expr}`
/// holes and `{{`/`}}` for literal braces. Returns the parts (adjacent text
/// merged) and the span including the quotes.
///
/// Hand-written rather than nom's `escaped_transform`, to locate each kind of
/// mistake exactly (bad escape, stray brace, line end before the quote).
fn quoted<'a>(cx: Cx<'_>, i: &'a str, holes: bool) -> PResult<'a, (Vec<TemplatePart>, Span)> {
    let start = cx.off(i);
    let Some(body) = i.strip_prefix('"') else {
        let what = if holes {
            "a message template (a string)"
        } else {
            "a string"
        };
        return expected(i, what);
    };
    let unterminated = || {
        let line = i.split(['\n', '\r']).next().unwrap_or(i);
        let message = "unterminated string: expected a closing `\"` before the end of the line";
        fail(i, line.chars().count(), message)
    };
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut k = 0;
    // Found once: searching from every hole would be quadratic in the line.
    let line_end = cx.line_len(body);
    while let Some(c) = body[k..].chars().next() {
        let here = &body[k..];
        match c {
            '"' => {
                if !text.is_empty() {
                    parts.push(TemplatePart::Text(text));
                }
                let rest = &here[1..];
                return Ok((rest, (parts, cx.span(start, cx.off(rest)))));
            }
            '\n' | '\r' => return unterminated(),
            '\\' => {
                let unescaped = match here[1..].chars().next() {
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some('n') => '\n',
                    Some('t') => '\t',
                    Some(other) if other != '\n' && other != '\r' => {
                        let message = format!(
                            "unknown escape `\\{other}` (strings allow `\\\"`, `\\\\`, `\\n` and `\\t`)"
                        );
                        return fail(here, 2, message);
                    }
                    _ => return unterminated(),
                };
                text.push(unescaped);
                k += 2;
            }
            '{' | '}' if holes && here[1..].starts_with(c) => {
                text.push(c);
                k += 2;
            }
            '}' if holes => {
                let message = "unmatched `}` in message template (write `}}` for a literal `}`)";
                return fail(here, 1, message);
            }
            '{' if holes => {
                let (rest, expr) = hole(cx, here, line_end.saturating_sub(k + 1))?;
                if !text.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                }
                parts.push(TemplatePart::Hole(expr));
                k = body.len() - rest.len();
            }
            c => {
                text.push(c);
                k += c.len_utf8();
            }
        }
    }
    unterminated()
}

/// A template hole starting at its `{`; returns the input after its `}`.
/// `line_len` is how far the line runs after the `{`.
fn hole<'a>(cx: Cx<'_>, open: &'a str, line_len: usize) -> PResult<'a, Expr> {
    let unterminated = || {
        let message = "unterminated `{` in message template (write `{{` for a literal `{`)";
        fail(open, 1, message)
    };
    let inside = &open[1..];
    // The hole is parsed in a window cut at the end of the line.
    let line_len = line_len.min(inside.len());
    let window = &inside[..line_len];
    let inner = Cx {
        full: cx.full,
        end: cx.off(inside) + line_len,
        line_end: cx.line_end,
        source: cx.source,
    };
    let i = ws(window);
    if i.is_empty() || i.starts_with('"') {
        return unterminated();
    }
    if i.starts_with('}') {
        let message = "empty `{}` in message template (write `{{` and `}}` for literal braces)";
        return fail(open, 2, message);
    }
    let (rest, expr) = match or_expr(inner, i, 0) {
        Ok(ok) => ok,
        Err(e) => return Err(nom::Err::Failure(cx.adopt(inner, into_fail(e)))),
    };
    let rest = ws(rest);
    if rest.is_empty() || rest.starts_with('"') {
        return unterminated();
    }
    if !rest.starts_with('}') {
        let fail = cx.adopt(inner, expected_fail(rest, "`}` to close the template hole"));
        return Err(nom::Err::Failure(fail));
    }
    // `rest` is a prefix of the line; continue in the un-cut input.
    let used = window.len() - rest.len();
    Ok((&inside[used + 1..], expr))
}

fn string_lit<'a>(cx: Cx<'_>, i: &'a str) -> PResult<'a, Text> {
    let (rest, (parts, span)) = quoted(cx, i, false)?;
    let value = parts
        .into_iter()
        .map(|p| match p {
            TemplatePart::Text(t) => t,
            TemplatePart::Hole(_) => String::new(),
        })
        .collect();
    Ok((rest, Text { value, span }))
}

fn template<'a>(cx: Cx<'_>, i: &'a str) -> PResult<'a, Template> {
    let (rest, (parts, span)) = quoted(cx, i, true)?;
    Ok((rest, Template { parts, span }))
}

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------
//
// Each level returns the input right after its last token (not after
// trailing whitespace), so spans end at the token; callers skip `ws` before
// peeking. `depth` counts nesting; only `enter` increases it, and every
// recursive path goes through `enter`.

fn binary(kind: fn(Box<Expr>, Box<Expr>) -> ExprKind, left: Expr, right: Expr) -> Expr {
    let span = left.span.to(right.span);
    Expr {
        kind: kind(Box::new(left), Box::new(right)),
        span,
    }
}

/// The height of an expression tree. Recursion here is bounded: every tree
/// the parser builds is at most about `MAX_HEIGHT + 3 * MAX_DEPTH` high.
/// (A leaf is 0, so a chain of n `and`s is n high.)
fn height(e: &Expr) -> usize {
    let below = match &e.kind {
        ExprKind::Str(_)
        | ExprKind::Num(_)
        | ExprKind::Date(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Name(_) => return 0,
        ExprKind::Not(x) => height(x),
        ExprKind::And(a, b) | ExprKind::Or(a, b) => height(a).max(height(b)),
        ExprKind::Compare { left, right, .. } | ExprKind::Arith { left, right, .. } => {
            height(left).max(height(right))
        }
        ExprKind::In { item, list, .. } => height(item).max(height(list)),
        ExprKind::List(items) | ExprKind::Call { args: items, .. } => {
            items.iter().map(height).max().unwrap_or(0)
        }
        ExprKind::Quantifier { filter, term, .. } => filter
            .as_deref()
            .map_or(0, height)
            .max(term.as_deref().map_or(0, height)),
    };
    below + 1
}

/// A left-associative chain `operand (word operand)*` (`and` or `or`).
///
/// Nesting is bounded by `MAX_DEPTH`, but a long chain builds a deep
/// left-leaning tree all the same, and dropping or walking a tree tens of
/// thousands of levels deep overflows the stack; hence `MAX_HEIGHT`.
fn chain<'a>(
    cx: Cx<'_>,
    i: &'a str,
    depth: usize,
    word: &str,
    kind: fn(Box<Expr>, Box<Expr>) -> ExprKind,
    operand: fn(Cx<'_>, &'a str, usize) -> PResult<'a, Expr>,
) -> PResult<'a, Expr> {
    let (mut i, mut left) = operand(cx, i, depth)?;
    let mut tall = height(&left);
    loop {
        let at = ws(i);
        let Some(after) = keyword(at, word) else {
            return Ok((i, left));
        };
        let (rest, right) = operand(cx, ws(after), depth)?;
        tall = tall.max(height(&right)) + 1;
        if tall > MAX_HEIGHT {
            let message =
                format!("expression is too long (limit {MAX_HEIGHT} levels of `and`/`or`)");
            return fail(at, word.len(), message);
        }
        left = binary(kind, left, right);
        i = rest;
    }
}

/// `or`: lowest precedence, left associative.
fn or_expr<'a>(cx: Cx<'_>, i: &'a str, depth: usize) -> PResult<'a, Expr> {
    chain(cx, i, depth, "or", ExprKind::Or, and_expr)
}

/// `and`: left associative, binds tighter than `or`.
fn and_expr<'a>(cx: Cx<'_>, i: &'a str, depth: usize) -> PResult<'a, Expr> {
    chain(cx, i, depth, "and", ExprKind::And, not_expr)
}

/// Prefix `not`, repeatable; applies to a whole comparison (`not a == b`).
fn not_expr<'a>(cx: Cx<'_>, i: &'a str, depth: usize) -> PResult<'a, Expr> {
    let Some(after) = keyword(i, "not") else {
        return compare(cx, i, depth);
    };
    let depth = enter(i, depth, 3)?;
    let (rest, inner) = not_expr(cx, ws(after), depth)?;
    let span = cx.span(cx.off(i), inner.span.end());
    let kind = ExprKind::Not(Box::new(inner));
    Ok((rest, Expr { kind, span }))
}

/// A comparison or membership operator.
#[derive(Debug, Clone, Copy)]
enum Op {
    Cmp(CmpOp),
    In { negated: bool },
}

/// The operator at `i`, the input after it, and its source text.
fn operator(i: &str) -> Option<(&str, Op, &str)> {
    let symbol = alt((
        value(CmpOp::Eq, tag::<&str, &str, Fail>("==")),
        value(CmpOp::Ne, tag("!=")),
        value(CmpOp::Le, tag("<=")),
        value(CmpOp::Ge, tag(">=")),
        value(CmpOp::Lt, tag("<")),
        value(CmpOp::Gt, tag(">")),
    ))
    .parse(i);
    if let Ok((rest, op)) = symbol {
        return Some((rest, Op::Cmp(op), &i[..i.len() - rest.len()]));
    }
    if let Some(rest) = keyword(i, "in") {
        return Some((rest, Op::In { negated: false }, "in"));
    }
    let rest = keyword(ws(keyword(i, "not")?), "in")?;
    Some((rest, Op::In { negated: true }, &i[..i.len() - rest.len()]))
}

/// `a OP b` with OP a comparison or (`not`) `in`; non-associative.
fn compare<'a>(cx: Cx<'_>, i: &'a str, depth: usize) -> PResult<'a, Expr> {
    let (i, left) = additive(cx, i, depth)?;
    let Some((after, op, op_text)) = operator(ws(i)) else {
        return Ok((i, left));
    };
    let (rest, right) = additive(cx, ws(after), depth)?;
    let span = left.span.to(right.span);
    let (left, right) = (Box::new(left), Box::new(right));
    let kind = match op {
        Op::Cmp(op) => ExprKind::Compare { op, left, right },
        Op::In { negated } => ExprKind::In {
            item: left,
            list: right,
            negated,
        },
    };
    // `a == b == c` is almost always a mistake; make the writer say what they mean.
    let next = ws(rest);
    if let Some((_, _, second)) = operator(next) {
        let message = format!("comparisons cannot be chained: found `{second}` after `{op_text}`");
        let fail = Fail::new(next, second.chars().count(), message)
            .help("join the comparisons with `and`, or add parentheses");
        return Err(nom::Err::Failure(fail));
    }
    Ok((rest, Expr { kind, span }))
}

/// `a + b - c`: left associative, binds tighter than comparisons. A `-`
/// needs a space (or a non-name character) before it: `a-b` is one name.
/// Chains are bounded like `and`/`or` chains (see `chain`).
fn additive<'a>(cx: Cx<'_>, i: &'a str, depth: usize) -> PResult<'a, Expr> {
    let (mut i, mut left) = primary(cx, i, depth)?;
    let mut tall = height(&left);
    loop {
        let at = ws(i);
        let op = match at.chars().next() {
            Some('+') => ArithOp::Add,
            Some('-') => ArithOp::Sub,
            _ => return Ok((i, left)),
        };
        let (rest, right) = primary(cx, ws(&at[1..]), depth)?;
        tall = tall.max(height(&right)) + 1;
        if tall > MAX_HEIGHT {
            let message = format!("expression is too long (limit {MAX_HEIGHT} levels of `+`/`-`)");
            return fail(at, 1, message);
        }
        let span = left.span.to(right.span);
        let kind = ExprKind::Arith {
            op,
            left: Box::new(left),
            right: Box::new(right),
        };
        left = Expr { kind, span };
        i = rest;
    }
}

fn primary<'a>(cx: Cx<'_>, i: &'a str, depth: usize) -> PResult<'a, Expr> {
    let start = cx.off(i);
    let expr = |kind, rest: &str| Expr {
        kind,
        span: cx.span(start, cx.off(rest)),
    };
    match i.chars().next() {
        Some('(') => {
            let depth = enter(i, depth, 1)?;
            let (rest, mut inner) = or_expr(cx, ws(&i[1..]), depth)?;
            let (rest, ()) = close(ws(rest), ')', "`)`")?;
            // The span is widened to include the parentheses.
            inner.span = cx.span(start, cx.off(rest));
            Ok((rest, inner))
        }
        Some('[') => {
            let depth = enter(i, depth, 1)?;
            let mut items = Vec::new();
            let mut k = ws(&i[1..]);
            loop {
                if let Some(rest) = k.strip_prefix(']') {
                    return Ok((rest, expr(ExprKind::List(items), rest)));
                }
                let (rest, item) = or_expr(cx, k, depth)?;
                items.push(item);
                let rest = ws(rest);
                k = match rest.strip_prefix(',') {
                    Some(after) => ws(after),
                    None if rest.starts_with(']') => rest,
                    None => return expected(rest, "`,` or `]` in the list"),
                };
            }
        }
        Some('"') => {
            let (rest, text) = string_lit(cx, i)?;
            Ok((rest, expr(ExprKind::Str(text.value), rest)))
        }
        Some(c) if c.is_ascii_digit() => number_or_date(cx, i),
        Some(c) if is_name_start(c) => {
            let (rest, word) = name(i)?;
            match word {
                "true" => Ok((rest, expr(ExprKind::Bool(true), rest))),
                "false" => Ok((rest, expr(ExprKind::Bool(false), rest))),
                "none" => Ok((rest, expr(ExprKind::None, rest))),
                w if RESERVED.contains(&w) => expected(i, "an expression"),
                _ => {
                    let func = Ident {
                        name: word.to_string(),
                        span: cx.span(start, cx.off(rest)),
                    };
                    let open = ws(rest);
                    if !open.starts_with('(') {
                        return Ok((rest, expr(ExprKind::Name(word.to_string()), rest)));
                    }
                    let depth = enter(open, depth, 1)?;
                    let (rest, kind) = if QUANTIFIERS.contains(&word) {
                        quantifier(cx, open, func, depth)?
                    } else {
                        call(cx, open, func, depth)?
                    };
                    Ok((rest, expr(kind, rest)))
                }
            }
        }
        _ => expected(i, "an expression"),
    }
}

/// `NAME ( args )`, from the `(`.
fn call<'a>(cx: Cx<'_>, open: &'a str, func: Ident, depth: usize) -> PResult<'a, ExprKind> {
    let mut args = Vec::new();
    let mut k = ws(&open[1..]);
    if let Some(rest) = k.strip_prefix(')') {
        return Ok((rest, ExprKind::Call { func, args }));
    }
    loop {
        let (rest, arg) = or_expr(cx, k, depth)?;
        args.push(arg);
        let rest = ws(rest);
        if let Some(rest) = rest.strip_prefix(')') {
            return Ok((rest, ExprKind::Call { func, args }));
        }
        match rest.strip_prefix(',') {
            Some(after) => k = ws(after),
            None => {
                let what = format!("`,` or `)` in the arguments of `{}`", func.name);
                let mut fail = expected_fail(rest, &what);
                // `exist(g in gs where ...)`, `summ(x.staff for x in ...)`: a
                // misspelt quantifier. (Without `where` or `for` it parses as
                // a call with an `in` argument, and the checker reports the
                // unknown function.)
                if keyword(rest, "where").is_some() || keyword(rest, "for").is_some() {
                    fail = fail.suggest(&func.name, QUANTIFIERS);
                }
                return Err(nom::Err::Failure(fail));
            }
        }
    }
}

/// `all( VAR in COLLECTION [where EXPR] )` in a `subject`, if that is
/// what comes next.
fn subject_set<'a>(cx: Cx<'_>, i: &'a str) -> Result<Option<(&'a str, Expr)>, nom::Err<Fail>> {
    let start = cx.off(i);
    let Some(after) = keyword(i, "all") else {
        return Ok(None);
    };
    let open = ws(after);
    if !open.starts_with('(') {
        return Ok(None);
    }
    let func = Ident {
        name: "all".to_string(),
        span: Span::new(start, cx.off(after)),
    };
    let (rest, kind) = quantifier(cx, open, func, 1)?;
    let span = Span::new(start, cx.off(rest));
    Ok(Some((rest, Expr { kind, span })))
}

/// `count( VAR in COLLECTION [where EXPR] )`, or
/// `sum( EXPR for VAR in COLLECTION [where EXPR] )`, from the `(`.
fn quantifier<'a>(cx: Cx<'_>, open: &'a str, func: Ident, depth: usize) -> PResult<'a, ExprKind> {
    let kind = match func.name.as_str() {
        "count" => QuantifierKind::Count,
        "sum" => QuantifierKind::Sum,
        "all" => QuantifierKind::All,
        _ => QuantifierKind::Exists,
    };
    let mut rest = ws(&open[1..]);
    let mut term = None;
    if kind == QuantifierKind::Sum {
        let (after, e) = or_expr(cx, rest, depth)?;
        let after = ws(after);
        let Some(after) = keyword(after, "for") else {
            let fail = expected_fail(after, "`for` after the term of `sum`")
                .help("`sum` is written `sum(x.staff for x in missions where ...)`");
            return Err(nom::Err::Failure(fail));
        };
        term = Some(Box::new(e));
        rest = ws(after);
    }
    let (rest, var_) = var(cx, rest, "a variable name")?;
    let rest = ws(rest);
    let Some(rest) = keyword(rest, "in") else {
        return expected(rest, &format!("`in` after `{}`", var_.name));
    };
    let (rest, collection) = var(cx, ws(rest), "a collection name")?;
    let rest = ws(rest);
    let (rest, filter) = match keyword(rest, "where") {
        Some(after) => {
            let (rest, e) = or_expr(cx, ws(after), depth)?;
            (ws(rest), Some(Box::new(e)))
        }
        None => (rest, None),
    };
    let what = if filter.is_some() {
        "`)`"
    } else {
        "`where` or `)`"
    };
    let (rest, ()) = close(rest, ')', what)?;
    let kind = ExprKind::Quantifier {
        kind,
        var: var_,
        collection,
        filter,
        term,
    };
    Ok((rest, kind))
}

/// A number `\d+(\.\d+)?`, or a date `YYYY-MM(-DD)?` when digits run on into `-digits`.
fn number_or_date<'a>(cx: Cx<'_>, i: &'a str) -> PResult<'a, Expr> {
    let start = cx.off(i);
    let dashed: PResult<&str> =
        recognize(pair(digit1, many0_count(pair(char('-'), digit1)))).parse(i);
    if let Ok((rest, text)) = dashed
        && text.contains('-')
    {
        let width = text.chars().count();
        return match Date::parse(text) {
            Ok(_) => {
                let span = cx.span(start, cx.off(rest));
                Ok((
                    rest,
                    Expr {
                        kind: ExprKind::Date(text.to_string()),
                        span,
                    },
                ))
            }
            Err(DateError::Impossible) => fail(i, width, format!("no such date `{text}`")),
            Err(DateError::Malformed) => {
                let message = format!("malformed date `{text}` (write YYYY-MM or YYYY-MM-DD)");
                fail(i, width, message)
            }
        };
    }
    let (rest, text) = recognize(pair(digit1, opt(pair(char('.'), digit1)))).parse(i)?;
    match text.parse::<f64>() {
        Ok(n) => {
            let span = cx.span(start, cx.off(rest));
            Ok((
                rest,
                Expr {
                    kind: ExprKind::Num(n),
                    span,
                },
            ))
        }
        Err(_) => fail(i, text.len(), format!("invalid number `{text}`")),
    }
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/// One parsed clause.
enum Clause {
    Title(Text),
    Severity(Severity, Span),
    Cite(Text),
    About(Text),
    Subject(Vec<Ident>, Vec<Expr>),
    For(Vec<Binding>),
    Where(Expr),
    Require(Expr),
    Message(Template),
}

/// The clause after keyword `word` (already consumed; `i` is after it and whitespace).
fn clause<'a>(cx: Cx<'_>, word: &str, i: &'a str) -> PResult<'a, Clause> {
    match word {
        "title" => string_lit(cx, i).map(|(r, t)| (r, Clause::Title(t))),
        "cite" => string_lit(cx, i).map(|(r, t)| (r, Clause::Cite(t))),
        "about" => string_lit(cx, i).map(|(r, t)| (r, Clause::About(t))),
        "severity" => {
            let start = cx.off(i);
            let word = name(i).map(|(_, w)| w).unwrap_or("");
            match Severity::from_word(word) {
                Some(severity) => {
                    let rest = &i[word.len()..];
                    let span = cx.span(start, cx.off(rest));
                    Ok((rest, Clause::Severity(severity, span)))
                }
                None => {
                    let fail = expected_fail(i, &list_words(Severity::WORDS, "or"));
                    Err(nom::Err::Failure(fail.suggest(word, Severity::WORDS)))
                }
            }
        }
        "subject" => {
            let (mut vars, mut sets) = (Vec::new(), Vec::new());
            let mut k = i;
            loop {
                let rest = match subject_set(cx, k)? {
                    Some((rest, set)) => {
                        sets.push(set);
                        rest
                    }
                    None => {
                        let (rest, v) = var(cx, k, "a variable name or `all(...)`")?;
                        vars.push(v);
                        rest
                    }
                };
                match ws(rest).strip_prefix(',') {
                    Some(after) => k = ws(after),
                    None => return Ok((rest, Clause::Subject(vars, sets))),
                }
            }
        }
        "for" => {
            let mut bindings = Vec::new();
            let mut k = i;
            loop {
                let (rest, var_) = var(cx, k, "a variable name")?;
                let rest = ws(rest);
                let Some(rest) = keyword(rest, "in") else {
                    return expected(rest, &format!("`in` after `{}`", var_.name));
                };
                let (rest, collection) = var(cx, ws(rest), "a collection name")?;
                bindings.push(Binding {
                    var: var_,
                    collection,
                });
                match ws(rest).strip_prefix(',') {
                    Some(after) => k = ws(after),
                    None => return Ok((rest, Clause::For(bindings))),
                }
            }
        }
        "where" => or_expr(cx, i, 0).map(|(r, e)| (r, Clause::Where(e))),
        "require" => or_expr(cx, i, 0).map(|(r, e)| (r, Clause::Require(e))),
        "message" => template(cx, i).map(|(r, t)| (r, Clause::Message(t))),
        _ => expected(i, "a clause"),
    }
}

/// The clauses of one rule as they are gathered.
#[derive(Default)]
struct Clauses {
    title: Option<Text>,
    severity: Option<(Severity, Span)>,
    cite: Option<Text>,
    about: Option<Text>,
    subject: Option<(Vec<Ident>, Vec<Expr>)>,
    bindings: Option<Vec<Binding>>,
    filter: Option<Expr>,
    require: Option<Expr>,
    message: Option<Template>,
}

impl Clauses {
    fn set(&mut self, clause: Clause) {
        match clause {
            Clause::Title(t) => self.title = Some(t),
            Clause::Severity(s, span) => self.severity = Some((s, span)),
            Clause::Cite(t) => self.cite = Some(t),
            Clause::About(t) => self.about = Some(t),
            Clause::Subject(v, s) => self.subject = Some((v, s)),
            Clause::For(b) => self.bindings = Some(b),
            Clause::Where(e) => self.filter = Some(e),
            Clause::Require(e) => self.require = Some(e),
            Clause::Message(t) => self.message = Some(t),
        }
    }
}

/// `rule ID { clause* }`, from the `rule` keyword. The inner result holds the
/// rule, or the errors that still let parsing reach the closing `}`
/// (duplicate and missing clauses); a hard syntax error is the outer `Err`.
fn rule<'a>(cx: Cx<'_>, i: &'a str) -> PResult<'a, Result<Rule, Vec<Fail>>> {
    let start = cx.off(i);
    let Some(after) = keyword(i, "rule") else {
        return expected(i, "`rule`");
    };
    let k = ws(after);
    let id_start = cx.off(k);
    let (rest, word) = take_while1::<_, &str, Fail>(|c: char| is_name_char(c) && c != '.')
        .parse(k)
        .map_err(|_| nom::Err::Failure(expected_fail(k, "a rule id")))?;
    let kebab = word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !kebab {
        let message = format!(
            "rule id must be kebab-case (lowercase letters, digits and `-`), found `{word}`"
        );
        return fail(k, word.chars().count(), message);
    }
    let id = Ident {
        name: word.to_string(),
        span: cx.span(id_start, cx.off(rest)),
    };
    let (mut k, ()) = close(ws(rest), '{', &format!("`{{` after `rule {word}`"))?;

    let mut clauses = Clauses::default();
    // Offset of each clause keyword seen so far, to report repeats.
    let mut seen: Vec<(&str, usize)> = Vec::new();
    let mut soft = Vec::new();
    let end = loop {
        k = ws(k);
        if let Some(rest) = k.strip_prefix('}') {
            break rest;
        }
        let word = name(k).map(|(_, w)| w).unwrap_or("");
        let Some(keyword) = CLAUSES.iter().copied().find(|c| *c == word) else {
            let unseen: Vec<&str> = CLAUSES
                .iter()
                .copied()
                .filter(|c| !seen.iter().any(|(s, _)| s == c))
                .chain(["}"])
                .collect();
            let mut fail = expected_fail(k, &list_words(&unseen, "or")).suggest(word, CLAUSES);
            if word == "rule" {
                fail = fail.help(format!("is the `}}` closing rule `{}` missing?", id.name));
            }
            return Err(nom::Err::Failure(fail));
        };
        let at = k;
        let (rest, value) = clause(cx, keyword, ws(&k[keyword.len()..]))?;
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == keyword) {
            let loc = diag::loc_at(cx.full, *first);
            let message = format!("duplicate `{keyword}` clause (a rule has at most one)");
            let help = format!("the first `{keyword}` is at {}:{}", loc.line, loc.column);
            soft.push(Fail::new(at, keyword.len(), message).help(help));
        } else {
            seen.push((keyword, cx.off(at)));
            clauses.set(value);
        }
        k = rest;
    };

    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !seen.iter().any(|(s, _)| s == c))
        .collect();
    if !missing.is_empty() {
        let (noun, them) = if missing.len() == 1 {
            ("clause", "it")
        } else {
            ("clauses", "them")
        };
        let message = format!(
            "rule `{}` is missing required {noun} {}",
            id.name,
            list_words(&missing, "and")
        );
        soft.push(Fail::new(i, 4, message).help(format!("add {them} between the braces")));
    }
    let span = cx.span(start, cx.off(end));
    let Clauses {
        title: Some(title),
        severity: Some((severity, severity_span)),
        cite: Some(cite),
        about,
        subject,
        bindings: Some(bindings),
        filter,
        require,
        message: Some(message),
    } = clauses
    else {
        return Ok((end, Err(soft)));
    };
    if !soft.is_empty() {
        return Ok((end, Err(soft)));
    }
    let (subject, subject_sets) = subject.unwrap_or_default();
    let rule = Rule {
        id,
        title,
        severity,
        severity_span,
        cite,
        about,
        subject,
        subject_sets,
        bindings,
        filter,
        require,
        message,
        span,
    };
    Ok((end, Ok(rule)))
}

/// Where to resume after an error at or after `from`: the next line whose
/// first token is the word `rule` (or the end of the text).
fn resync(text: &str, from: usize) -> usize {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        let at = line_start + (line.len() - body.len());
        if at >= from && keyword(body, "rule").is_some() {
            return at;
        }
        line_start += line.len();
    }
    text.len()
}

fn diagnostic(file: &str, cx: Cx<'_>, fail: Fail) -> Diagnostic {
    let at = cx.offset_of(&fail);
    let span = Span::of_source(cx.source, at, at);
    let mut d = Diagnostic::new(CODE, file, span, fail.message).with_width(fail.width);
    if let Some(help) = fail.help {
        d = d.with_help(help);
    }
    if let Some((word, candidates)) = fail.suggest {
        d = d.suggest(&word, candidates.iter().copied());
    }
    d
}

/// Parses a whole rule file. On failure returns every syntax error found
/// (recover at the next top-level `rule` keyword after an error so that
/// several broken rules each report), each a located Diagnostic with code
/// "rule-syntax".
pub fn parse_rules(text: &str, file: &str) -> Result<RuleFile, Vec<Diagnostic>> {
    parse_rules_in(SourceId::NONE, text, file)
}

/// `parse_rules`, for the text of `source` in `io::Sources`: every span
/// names it.
pub fn parse_rules_in(
    source: SourceId,
    text: &str,
    file: &str,
) -> Result<RuleFile, Vec<Diagnostic>> {
    let line_end = Cell::new((usize::MAX, 0));
    let cx = Cx {
        full: text,
        end: text.len(),
        line_end: &line_end,
        source,
    };
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    let mut i = ws(text);
    while !i.is_empty() {
        let start = cx.off(i);
        let resume_from = match rule(cx, i) {
            Ok((rest, Ok(rule))) => {
                rules.push(rule);
                i = ws(rest);
                continue;
            }
            Ok((rest, Err(fails))) => {
                errors.extend(fails.into_iter().map(|f| diagnostic(file, cx, f)));
                i = ws(rest);
                continue;
            }
            Err(e) => {
                let mut fail = into_fail(e);
                if keyword(i, "rule").is_none() {
                    let word = name(i).map(|(_, w)| w).unwrap_or("");
                    fail = fail.suggest(word, &["rule"]);
                }
                let at = cx.offset_of(&fail);
                errors.push(diagnostic(file, cx, fail));
                at.max(start + 1)
            }
        };
        i = &text[resync(text, resume_from)..];
    }
    if errors.is_empty() {
        Ok(RuleFile { rules })
    } else {
        diag::sort_and_dedup(&mut errors);
        Err(errors)
    }
}

/// Parses one expression (used for scenario `expect` claims). Spans are
/// byte offsets into `text`. The whole text must be consumed (trailing junk
/// is an error); whitespace and comments around it are allowed.
pub fn parse_expr(text: &str) -> Result<Expr, ParseError> {
    let line_end = Cell::new((usize::MAX, 0));
    let cx = Cx {
        full: text,
        end: text.len(),
        line_end: &line_end,
        source: SourceId::NONE,
    };
    let parsed = or_expr(cx, ws(text), 0)
        .map_err(into_fail)
        .and_then(|(rest, expr)| {
            let rest = ws(rest);
            if rest.is_empty() {
                Ok(expr)
            } else {
                Err(expected_fail(rest, "end of expression"))
            }
        });
    parsed.map_err(|fail| ParseError {
        offset: cx.offset_of(&fail),
        width: fail.width,
        message: fail.message,
    })
}

// ok: the unwraps below are in unit tests only, where a panic is a failing test;
// no input reaches them (the module is compiled for `cargo test` alone).
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"# Rank parity between two states.
rule rank-parity {
  title    "Heads of mission between two states are of equal class"
  severity error
  cite     "VCDR art. 14-15; reciprocity of rank"
  subject  m, r
  for m in missions, r in missions
  where m.kind == embassy and r.kind == embassy
    and r.sender == m.receiver and r.receiver == m.sender and m.id < r.id
    and class(m.head.rank) != none and class(r.head.rank) != none
  require class(m.head.rank) == class(r.head.rank)
  message "{m.sender} is represented in {m.receiver} by a {m.head.rank}, but {r.sender} in {r.receiver} by a {r.head.rank}"
}
"#;

    /// The operator tree as an s-expression, to assert shapes compactly.
    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Str(s) => format!("{s:?}"),
            ExprKind::Num(n) => format!("{n}"),
            ExprKind::Date(d) => format!("date:{d}"),
            ExprKind::Bool(b) => format!("{b}"),
            ExprKind::None => "none".to_string(),
            ExprKind::Name(n) => n.clone(),
            ExprKind::List(items) => {
                let items: Vec<String> = items.iter().map(shape).collect();
                format!("[{}]", items.join(" "))
            }
            ExprKind::Not(inner) => format!("(not {})", shape(inner)),
            ExprKind::And(a, b) => format!("(and {} {})", shape(a), shape(b)),
            ExprKind::Or(a, b) => format!("(or {} {})", shape(a), shape(b)),
            ExprKind::Compare { op, left, right } => {
                format!("({} {} {})", op.symbol(), shape(left), shape(right))
            }
            ExprKind::In {
                item,
                list,
                negated,
            } => {
                let op = if *negated { "not-in" } else { "in" };
                format!("({op} {} {})", shape(item), shape(list))
            }
            ExprKind::Call { func, args } => {
                let args: Vec<String> = args.iter().map(shape).collect();
                format!("{}({})", func.name, args.join(" "))
            }
            ExprKind::Arith { op, left, right } => {
                format!("({} {} {})", op.symbol(), shape(left), shape(right))
            }
            ExprKind::Quantifier {
                kind,
                var,
                collection,
                filter,
                term,
            } => {
                let filter = filter.as_ref().map(|f| format!(" where {}", shape(f)));
                let term = term.as_ref().map(|t| format!("{} for ", shape(t)));
                format!(
                    "{kind:?}({}{} in {}{})",
                    term.unwrap_or_default(),
                    var.name,
                    collection.name,
                    filter.unwrap_or_default()
                )
            }
        }
    }

    fn expr(text: &str) -> String {
        match parse_expr(text) {
            Ok(e) => shape(&e),
            Err(e) => panic!("{text:?} failed: {e:?}"),
        }
    }

    fn expr_err(text: &str) -> ParseError {
        match parse_expr(text) {
            Ok(e) => panic!("{text:?} parsed as {}", shape(&e)),
            Err(e) => e,
        }
    }

    fn rules_err(text: &str) -> Vec<Diagnostic> {
        match parse_rules(text, "r.rules") {
            Ok(f) => panic!("parsed {} rules", f.rules.len()),
            Err(d) => d,
        }
    }

    /// A one-rule file with the given clause text replacing the marker.
    fn with_clauses(clauses: &str) -> String {
        format!("rule r {{\n{clauses}\n}}\n")
    }

    const BASE: &str =
        "  title \"T\"\n  severity error\n  cite \"C\"\n  for m in missions\n  message \"M\"";

    fn at(text: &str, span: Span) -> &str {
        &text[span.start()..span.end()]
    }

    #[test]
    fn example_rule_parses() {
        let file = parse_rules(EXAMPLE, "ex.rules").unwrap();
        assert_eq!(file.rules.len(), 1);
        let rule = &file.rules[0];
        assert_eq!(rule.id.name, "rank-parity");
        assert_eq!(at(EXAMPLE, rule.id.span), "rank-parity");
        assert_eq!(
            rule.title.value,
            "Heads of mission between two states are of equal class"
        );
        assert_eq!(
            at(EXAMPLE, rule.title.span),
            "\"Heads of mission between two states are of equal class\""
        );
        assert_eq!(rule.severity, Severity::Error);
        assert_eq!(at(EXAMPLE, rule.severity_span), "error");
        assert_eq!(rule.cite.value, "VCDR art. 14-15; reciprocity of rank");
        assert_eq!(rule.about, None);
        let subject: Vec<&str> = rule.subject.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(subject, ["m", "r"]);
        let bindings: Vec<(&str, &str)> = rule
            .bindings
            .iter()
            .map(|b| (b.var.name.as_str(), b.collection.name.as_str()))
            .collect();
        assert_eq!(bindings, [("m", "missions"), ("r", "missions")]);
        assert_eq!(at(EXAMPLE, rule.bindings[1].collection.span), "missions");
        assert_eq!(
            shape(rule.filter.as_ref().unwrap()),
            "(and (and (and (and (and (and (== m.kind embassy) (== r.kind embassy)) \
             (== r.sender m.receiver)) (== r.receiver m.sender)) (< m.id r.id)) \
             (!= class(m.head.rank) none)) (!= class(r.head.rank) none))"
        );
        let filter = rule.filter.as_ref().unwrap();
        assert!(at(EXAMPLE, filter.span).starts_with("m.kind == embassy and"));
        assert!(at(EXAMPLE, filter.span).ends_with("class(r.head.rank) != none"));
        let require = rule.require.as_ref().unwrap();
        assert_eq!(shape(require), "(== class(m.head.rank) class(r.head.rank))");
        assert_eq!(
            at(EXAMPLE, require.span),
            "class(m.head.rank) == class(r.head.rank)"
        );

        let parts = &rule.message.parts;
        assert_eq!(parts.len(), 11);
        assert_eq!(parts[1], TemplatePart::Text(" is represented in ".into()));
        let TemplatePart::Hole(first) = &parts[0] else {
            panic!("{:?}", parts[0])
        };
        assert_eq!(first.kind, ExprKind::Name("m.sender".into()));
        assert_eq!(at(EXAMPLE, first.span), "m.sender");
        assert!(at(EXAMPLE, rule.message.span).starts_with("\"{m.sender}"));
        assert!(at(EXAMPLE, rule.message.span).ends_with("{r.head.rank}\""));
        assert!(at(EXAMPLE, rule.span).starts_with("rule rank-parity {"));
        assert!(at(EXAMPLE, rule.span).ends_with("\"\n}"));
    }

    #[test]
    fn optional_clauses_and_any_order() {
        let text = "rule a-2 {\n  message \"x\" for s in states\n  about \"Long \\\"text\\\"\\n.\"\n  cite \"c\" severity info title \"t\"\n}\n\nrule b{title\"t\"severity warning cite\"c\"for x in y message\"m\"}";
        let file = parse_rules(text, "f").unwrap();
        assert_eq!(file.rules.len(), 2);
        let a = &file.rules[0];
        assert_eq!(a.about.as_ref().unwrap().value, "Long \"text\"\n.");
        assert!(a.subject.is_empty());
        assert_eq!((a.filter.clone(), a.require.clone()), (None, None));
        assert_eq!(a.severity, Severity::Info);
        assert_eq!(file.rules[1].severity, Severity::Warning);
        assert!(
            parse_rules("  # only a comment\n", "f")
                .unwrap()
                .rules
                .is_empty()
        );
        assert!(parse_rules("", "f").unwrap().rules.is_empty());
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(expr("a and b or c"), "(or (and a b) c)");
        assert_eq!(expr("a or b and c"), "(or a (and b c))");
        assert_eq!(expr("a or b or c"), "(or (or a b) c)");
        assert_eq!(expr("not a == b"), "(not (== a b))");
        assert_eq!(expr("not not a and b"), "(and (not (not a)) b)");
        assert_eq!(expr("(a or b) and c"), "(and (or a b) c)");
        assert_eq!(expr("a not in [x, y]"), "(not-in a [x y])");
        assert_eq!(expr("not a in b"), "(not (in a b))");
        assert_eq!(expr("m.id<r.id"), "(< m.id r.id)");
        assert_eq!(expr("a<=b"), "(<= a b)");
        assert_eq!(expr("a>=b"), "(>= a b)");
        assert_eq!(expr("a>b"), "(> a b)");
        assert_eq!(expr("(a == b) == c"), "(== (== a b) c)");
        assert_eq!(expr("order or android"), "(or order android)");
    }

    #[test]
    fn names_calls_and_quantifiers() {
        assert_eq!(
            expr("m.head.rank in [ambassador, nuncio, high-commissioner]"),
            "(in m.head.rank [ambassador nuncio high-commissioner])"
        );
        assert_eq!(
            expr("recognition(m.sender, m.head.credentials.to, m.head.credentials.on) != de-jure"),
            "(!= recognition(m.sender m.head.credentials.to m.head.credentials.on) de-jure)"
        );
        assert_eq!(
            expr("not exists(g in governments where g.state == m.receiver)"),
            "(not Exists(g in governments where (== g.state m.receiver)))"
        );
        assert_eq!(
            expr("count(m in missions where m.receiver == AFG and class(m.head.rank) == 1) == 6"),
            "(== Count(m in missions where (and (== m.receiver AFG) (== class(m.head.rank) 1))) 6)"
        );
        assert_eq!(expr("exists (x in xs)"), "Exists(x in xs)");
        assert_eq!(expr("count"), "count");
        assert_eq!(expr("f ()"), "f()");
        assert_eq!(expr("charge-d-affaires"), "charge-d-affaires");
        assert_eq!(
            expr("islamic-emirate == _x.y_"),
            "(== islamic-emirate _x.y_)"
        );
    }

    #[test]
    fn date_arithmetic_and_sums() {
        assert_eq!(expr("m.head.from + 90"), "(+ m.head.from 90)");
        assert_eq!(expr("m.head.from+90"), "(+ m.head.from 90)");
        assert_eq!(expr("as_of - 366"), "(- as_of 366)");
        assert_eq!(expr("as_of -366"), "(- as_of 366)");
        // A `-` straight after a name is part of the name.
        assert_eq!(expr("as_of-366"), "as_of-366");
        assert_eq!(expr("2024-02-28 + 1"), "(+ date:2024-02-28 1)");
        // Left associative, tighter than comparisons, looser than calls.
        assert_eq!(expr("a + 1 - 2"), "(- (+ a 1) 2)");
        assert_eq!(expr("a + (1 - 2)"), "(+ a (- 1 2))");
        assert_eq!(
            expr("m.head.from + 90 < as_of and x"),
            "(and (< (+ m.head.from 90) as_of) x)"
        );
        assert_eq!(
            expr("days(m.head.from, as_of) > 90"),
            "(> days(m.head.from as_of) 90)"
        );
        assert_eq!(
            expr("sum(x.staff for x in missions where x.sender == m.sender) > 3"),
            "(> Sum(x.staff for x in missions where (== x.sender m.sender)) 3)"
        );
        assert_eq!(
            expr("sum( class(x.head.rank) for x in missions )"),
            "Sum(class(x.head.rank) for x in missions)"
        );
        assert_eq!(
            expr(
                "count(m in missions where sum(x.staff for x in missions where x.sender == m.sender) > 1)"
            ),
            "Count(m in missions where (> Sum(x.staff for x in missions where (== x.sender m.sender)) 1))"
        );
        let e = expr_err("sum(x in missions where x.staff > 1)");
        assert_eq!(
            e.message,
            "expected `for` after the term of `sum`, found `where`"
        );
        assert_eq!(
            expr_err("a + ").message,
            "expected an expression, found end of input"
        );
        assert_eq!(
            expr_err("a - - 1").message,
            "expected an expression, found `-`"
        );
        // A long chain is an error, not a stack overflow.
        let long = format!("a{}", " + 1".repeat(100_000));
        assert!(expr_err(&long).message.contains("levels of `+`/`-`"));
        assert!(parse_expr(&format!("a{}", " + 1".repeat(MAX_HEIGHT))).is_ok());
    }

    #[test]
    fn literals() {
        assert_eq!(expr(r#""a\"b\\c\td""#), r#""a\"b\\c\td""#);
        assert_eq!(expr("[6, 1.5, 0,]"), "[6 1.5 0]");
        assert_eq!(expr("[]"), "[]");
        assert_eq!(expr("[ # comment\n ]"), "[]");
        assert_eq!(expr("2024-09-27"), "date:2024-09-27");
        assert_eq!(expr("d < 2024-09"), "(< d date:2024-09)");
        assert_eq!(expr("2024"), "2024");
        assert_eq!(expr("[true, false, none]"), "[true false none]");
    }

    #[test]
    fn spans_are_byte_offsets() {
        let text = "  (a == b) and not c  # trailing comment";
        let e = parse_expr(text).unwrap();
        assert_eq!(at(text, e.span), "(a == b) and not c");
        let ExprKind::And(left, right) = &e.kind else {
            panic!()
        };
        // Parenthesised expressions include their parentheses.
        assert_eq!(at(text, left.span), "(a == b)");
        assert_eq!(at(text, right.span), "not c");
        let ExprKind::Compare { left: a, .. } = &left.kind else {
            panic!()
        };
        assert_eq!(at(text, a.span), "a");
        let call = parse_expr("f(x, [y])").unwrap();
        let ExprKind::Call { func, args } = &call.kind else {
            panic!()
        };
        assert_eq!(
            (func.span, call.span, args[1].span),
            (Span::new(0, 1), Span::new(0, 9), Span::new(5, 8))
        );
        let q = "count( m in ms )";
        let ExprKind::Quantifier {
            var, collection, ..
        } = parse_expr(q).unwrap().kind
        else {
            panic!()
        };
        assert_eq!((at(q, var.span), at(q, collection.span)), ("m", "ms"));
    }

    #[test]
    fn templates_with_holes_and_braces() {
        let text = with_clauses(&BASE.replace(
            "message \"M\"",
            "message \"{{literal}} {m.a}{ class(m.b) }x}}\" # \"{ no\"",
        ));
        let file = parse_rules(&text, "f").unwrap();
        let parts = &file.rules[0].message.parts;
        assert_eq!(parts.len(), 4);
        assert_eq!(parts[0], TemplatePart::Text("{literal} ".into()));
        let TemplatePart::Hole(a) = &parts[1] else {
            panic!()
        };
        assert_eq!(at(&text, a.span), "m.a");
        let TemplatePart::Hole(b) = &parts[2] else {
            panic!()
        };
        assert_eq!(shape(b), "class(m.b)");
        assert_eq!(at(&text, b.span), "class(m.b)");
        assert_eq!(parts[3], TemplatePart::Text("x}".into()));
        // A string literal inside a hole uses plain quotes; braces in it are literal.
        let text = with_clauses(&BASE.replace("message \"M\"", "message \"{f(\"}\")}\""));
        let parts = &parse_rules(&text, "f").unwrap().rules[0].message.parts;
        let TemplatePart::Hole(h) = &parts[0] else {
            panic!()
        };
        assert_eq!(shape(h), "f(\"}\")");
    }

    fn one(text: &str) -> Diagnostic {
        let diags = rules_err(text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        diags.into_iter().next().unwrap()
    }

    fn loc(d: &Diagnostic, text: &str) -> (u32, u32) {
        let loc = d.loc_in(text);
        (loc.line, loc.column)
    }

    #[test]
    fn unknown_clause_keyword_suggests() {
        let text = "rule r {\n  title \"T\"\n  severity error\n  cite \"C\"\n  for m in ms\n  requre a\n}\n";
        let d = one(text);
        assert_eq!(d.code, Code::RuleSyntax);
        assert_eq!(
            d.message,
            "expected `about`, `subject`, `where`, `require`, `message` or `}`, found `requre`"
        );
        assert_eq!(loc(&d, text), (6, 3));
        assert_eq!(d.width, 6);
        assert_eq!(d.help.as_deref(), Some("did you mean `require`?"));
    }

    #[test]
    fn misspelt_severity_suggests() {
        let text = with_clauses(&BASE.replace("severity error", "severity eror"));
        let d = one(&text);
        assert_eq!(
            d.message,
            "expected `error`, `warning` or `info`, found `eror`"
        );
        assert_eq!(loc(&d, &text), (3, 12));
        assert_eq!(d.help.as_deref(), Some("did you mean `error`?"));
    }

    #[test]
    fn misspelt_quantifier_suggests() {
        let e = expr_err("exist(g in gs where g.x)");
        assert_eq!(
            e.message,
            "expected `,` or `)` in the arguments of `exist`, found `where`"
        );
        let text = with_clauses(&format!("{BASE}\n  where exist(g in gs where g.x)"));
        let d = one(&text);
        assert_eq!(loc(&d, &text), (7, 23));
        assert_eq!(d.help.as_deref(), Some("did you mean `exists`?"));
        let d = one(&with_clauses(&format!(
            "{BASE}\n  where summ(x.staff for x in missions) > 1"
        )));
        assert_eq!(
            d.message,
            "expected `,` or `)` in the arguments of `summ`, found `for`"
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `sum`?"));
    }

    #[test]
    fn missing_required_clauses() {
        let text = "\n  rule r {\n  title \"T\"\n  for m in ms\n}\n";
        let d = one(text);
        assert_eq!(
            d.message,
            "rule `r` is missing required clauses `severity`, `cite` and `message`"
        );
        assert_eq!(loc(&d, text), (2, 3));
        assert_eq!(d.width, 4);
        let d = one(&with_clauses(&BASE.replace("cite \"C\"", "")));
        assert_eq!(d.message, "rule `r` is missing required clause `cite`");
    }

    #[test]
    fn duplicate_clause() {
        let text = with_clauses(&format!("{BASE}\n  where a\n  where b"));
        let d = one(&text);
        assert_eq!(
            d.message,
            "duplicate `where` clause (a rule has at most one)"
        );
        assert_eq!(loc(&d, &text), (8, 3));
        assert_eq!(d.help.as_deref(), Some("the first `where` is at 7:3"));
    }

    #[test]
    fn unterminated_string() {
        let text = with_clauses(&BASE.replace("cite \"C\"", "cite \"VCDR art. 14"));
        let d = one(&text);
        assert_eq!(
            d.message,
            "unterminated string: expected a closing `\"` before the end of the line"
        );
        assert_eq!(loc(&d, &text), (4, 8));
        let e = expr_err("a == \"abc");
        assert_eq!((e.offset, e.width), (5, 4));
        assert_eq!(
            expr_err(r#""\q""#).message,
            "unknown escape `\\q` (strings allow `\\\"`, `\\\\`, `\\n` and `\\t`)"
        );
    }

    #[test]
    fn bad_dates() {
        let text = with_clauses(&format!("{BASE}\n  where d < 2024-02-30"));
        let d = one(&text);
        assert_eq!(d.message, "no such date `2024-02-30`");
        assert_eq!(loc(&d, &text), (7, 13));
        assert_eq!(d.width, 10);
        assert_eq!(
            expr_err("2024-9-1").message,
            "malformed date `2024-9-1` (write YYYY-MM or YYYY-MM-DD)"
        );
        assert_eq!(expr_err("2023-13").message, "no such date `2023-13`");
    }

    #[test]
    fn chained_comparison() {
        let e = expr_err("a == b == c");
        assert_eq!(
            e.message,
            "comparisons cannot be chained: found `==` after `==`"
        );
        assert_eq!((e.offset, e.width), (7, 2));
        let text = with_clauses(&format!("{BASE}\n  require a < b not in c"));
        let d = one(&text);
        assert_eq!(
            d.message,
            "comparisons cannot be chained: found `not in` after `<`"
        );
        assert_eq!(loc(&d, &text), (7, 17));
        assert_eq!(
            d.help.as_deref(),
            Some("join the comparisons with `and`, or add parentheses")
        );
    }

    #[test]
    fn trailing_junk_in_expression() {
        let e = expr_err("a == b c");
        assert_eq!(e.message, "expected end of expression, found `c`");
        assert_eq!((e.offset, e.width), (7, 1));
        assert_eq!(
            expr_err("a.").message,
            "expected end of expression, found `.`"
        );
        assert_eq!(
            expr_err("f(a,)").message,
            "expected an expression, found `)`"
        );
        assert_eq!(
            expr_err("").message,
            "expected an expression, found end of input"
        );
        assert_eq!(
            expr_err("a and").message,
            "expected an expression, found end of input"
        );
        assert_eq!(
            expr_err("where").message,
            "expected an expression, found `where`"
        );
        assert_eq!(
            expr_err("[a b]").message,
            "expected `,` or `]` in the list, found `b`"
        );
        assert_eq!(expr_err("(a").message, "expected `)`, found end of input");
        assert_eq!(
            expr_err("count(M in ms)").message,
            "expected a variable name (lowercase letters, digits and `_`), found `M`"
        );
        assert_eq!(
            expr_err("count(m of ms)").message,
            "expected `in` after `m`, found `of`"
        );
        assert_eq!(
            expr_err("count(m in ms if x)").message,
            "expected `where` or `)`, found `if`"
        );
    }

    #[test]
    fn template_errors() {
        let msg = |m: &str| {
            let text = with_clauses(&BASE.replace("message \"M\"", &format!("message {m}")));
            (one(&text), text)
        };
        let (d, text) = msg("\"a } b\"");
        assert_eq!(
            d.message,
            "unmatched `}` in message template (write `}}` for a literal `}`)"
        );
        assert_eq!(loc(&d, &text), (6, 14));
        let (d, text) = msg("\"a {m.x b\"");
        assert_eq!(
            d.message,
            "expected `}` to close the template hole, found `b`"
        );
        assert_eq!(loc(&d, &text), (6, 19));
        let (d, text) = msg("\"a {m.x\"");
        assert_eq!(
            d.message,
            "unterminated `{` in message template (write `{{` for a literal `{`)"
        );
        assert_eq!(loc(&d, &text), (6, 14));
        let (d, _) = msg("\"a {m.x # }\"\n");
        assert_eq!(
            d.message,
            "unterminated `{` in message template (write `{{` for a literal `{`)"
        );
        let (d, _) = msg("\"{}\"");
        assert!(d.message.starts_with("empty `{}`"), "{}", d.message);
        let (d, text) = msg("\"{a == }\"");
        assert_eq!(d.message, "expected an expression, found `}`");
        assert_eq!(loc(&d, &text), (6, 18));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let open = "(".repeat(100_000);
        let e = expr_err(&open);
        assert_eq!(e.message, "expression nests too deeply (limit 64)");
        assert_eq!(e.offset, 64);
        let text = with_clauses(&format!("{BASE}\n  where {open}"));
        let d = one(&text);
        assert_eq!(d.message, "expression nests too deeply (limit 64)");
        assert_eq!(loc(&d, &text), (7, 73));
        assert!(parse_expr(&"not ".repeat(100_000)).is_err());
        assert!(parse_expr(&"[".repeat(100_000)).is_err());
        assert!(parse_expr(&"f(".repeat(100_000)).is_err());
        assert!(parse_expr(&"count(x in y where ".repeat(100_000)).is_err());
        // Exactly at the limit is fine.
        let ok = format!("{}a{}", "(".repeat(64), ")".repeat(64));
        assert_eq!(expr(&ok), "a");
        let ok = format!("{}a", "not ".repeat(64));
        assert!(parse_expr(&ok).is_ok());
        // Long `and`/`or` chains build deep trees too.
        let long = vec!["a"; 200_000].join(" and ");
        let e = expr_err(&long);
        assert_eq!(
            e.message,
            "expression is too long (limit 256 levels of `and`/`or`)"
        );
        assert_eq!((e.offset, e.width), (256 * 6 + 2, 3));
        assert!(parse_expr(&vec!["a"; 257].join(" or ")).is_ok());
        let stacked = format!("{}a{}", "(".repeat(60), " or a) and a".repeat(60));
        assert!(parse_expr(&stacked).is_ok());
        let stacked = format!(
            "{}a{}",
            "(".repeat(60),
            &format!("{}) and a", " or a".repeat(10)).repeat(60)
        );
        assert!(parse_expr(&stacked).is_err());
    }

    #[test]
    fn recovery_reports_each_broken_rule() {
        let good = with_clauses(BASE);
        let broken1 = with_clauses(&BASE.replace("severity error", "severty error"));
        let broken2 = with_clauses(&format!("{BASE}\n  where a ==\n"));
        let text = format!("{broken1}\n{broken2}");
        let diags = rules_err(&text);
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert_eq!(loc(&diags[0], &text), (3, 3));
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `severity`?"));
        assert_eq!(diags[1].message, "expected an expression, found `}`");
        assert_eq!(loc(&diags[1], &text), (17, 1));

        let text = format!("{broken1}\n{good}");
        let diags = rules_err(&text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(
            diags[0].message,
            "expected `severity`, `cite`, `about`, `subject`, `for`, `where`, `require`, `message` or `}`, found `severty`"
        );

        // A missing `}` is reported, and the next rule still parses.
        let unclosed = with_clauses(BASE).replace("\n}\n", "\n");
        let text = format!("{unclosed}{good}");
        let diags = rules_err(&text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(loc(&diags[0], &text), (7, 1));
        assert_eq!(
            diags[0].help.as_deref(),
            Some("is the `}` closing rule `r` missing?")
        );

        // Junk between rules, and a misspelt `rule`.
        let text = format!("rul x {{}}\n{good}junk\n{good}");
        let diags = rules_err(&text);
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert_eq!(diags[0].message, "expected `rule`, found `rul`");
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `rule`?"));
        assert_eq!(diags[1].message, "expected `rule`, found `junk`");
        assert_eq!(loc(&diags[1], &text), (9, 1));
    }

    #[test]
    fn rule_ids() {
        let text = "rule Rank_Parity {}";
        let d = one(text);
        assert_eq!(
            d.message,
            "rule id must be kebab-case (lowercase letters, digits and `-`), found `Rank_Parity`"
        );
        assert_eq!(loc(&d, text), (1, 6));
        assert_eq!(one("rule {}").message, "expected a rule id, found `{`");
        assert_eq!(
            one("rule x").message,
            "expected `{` after `rule x`, found end of input"
        );
    }

    /// No input, however broken, may panic or overflow.
    #[test]
    fn prefixes_and_mangled_inputs_never_panic() {
        let mangled = [
            EXAMPLE.to_string(),
            EXAMPLE.replace('"', ""),
            EXAMPLE.replace('}', "{"),
            EXAMPLE.replace(' ', ""),
            EXAMPLE.replace("\n", " "),
            EXAMPLE.replace("==", "= ="),
            EXAMPLE.replace("m.", "é."),
            "rule é-ü { title \"ü\u{301}\" message \"{ü}\" }".to_string(),
            "count(m in ms where not [(f(\"{\", 2024-02-3".to_string(),
            "sum(x.s + 1 - 2 for x in ms where days(x.f - 3, as_of) > sum(y.t for y in ms))"
                .to_string(),
            "\"\\".to_string(),
        ];
        for text in &mangled {
            for (k, _) in text.char_indices() {
                let prefix = &text[..k];
                let _ = parse_rules(prefix, "f");
                let _ = parse_expr(prefix);
                if let Err(diags) = parse_rules(prefix, "f") {
                    assert!(!diags.is_empty());
                    assert!(diags.iter().all(|d| d.code == CODE && d.width >= 1));
                }
                if let Err(e) = parse_expr(prefix) {
                    assert!(e.offset <= prefix.len());
                }
            }
        }
    }
}
