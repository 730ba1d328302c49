//! The canonical layout of rule files (`parity fmt`); see "Formatting" in
//! `docs/rules.md`.
//!
//! A rule is re-emitted from its syntax tree, so spacing, parentheses,
//! escapes and clause order come out the same whatever the author wrote. The
//! parser drops comments, so they are found again in the source text (a `#`
//! outside every string the tree records) and placed by their position
//! relative to the tree's spans:
//!
//! - between rules, before the first or after the last: kept on their own
//!   lines (blank lines between them collapse to one), or after a rule's `}`
//!   when written on its line;
//! - after `rule ID {`, between clauses, or before the closing `}`: own-line
//!   comments go before the clause that follows them (clauses move to the
//!   canonical order with their comments), comments at the end of a clause's
//!   line stay at the end of that clause's last line;
//! - between the operands of a `where`/`require` clause's top-level
//!   `and`/`or` chain: same as above, per operand line (the clause is then
//!   laid out one operand per line).
//!
//! A comment anywhere else (inside parentheses, a call, a list, a `for` or
//! `subject` list, between `rule` and `{`) cannot be placed: that rule is
//! kept exactly as written. As a last guard, each formatted rule is parsed
//! back and compared with the original (tree without spans, and comment
//! texts); on any difference the rule is kept as written.

use crate::diag::Diagnostic;
use crate::lang::ast::{Expr, ExprKind, Rule, RuleFile, Span, TemplatePart};
use crate::lang::parse::{CLAUSES, parse_rules};

/// Lines longer than this break their `where`/`require` chain.
pub const MAX_WIDTH: usize = 100;

/// Clause keywords up to and including `subject` are padded to this width
/// (`severity` plus one space), as the standard rules are written.
const PAD: usize = 9;

/// Formats a rule file in the canonical layout. Errors are the parser's.
pub fn format_rules(text: &str, file: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse_rules(text, file)?;
    let comments = find_comments(text, &parsed);
    let mut lines: Vec<Line> = Vec::new();
    let mut prev_end: Option<usize> = None;
    let mut rest: &[Comment] = &comments;
    for rule in &parsed.rules {
        let before = rest.partition_point(|c| c.start < rule.span.start());
        gap_comments(
            text,
            &rest[..before],
            prev_end,
            Some(rule.span.start()),
            &mut lines,
        );
        let inside = rest[before..].partition_point(|c| c.start < rule.span.end());
        let mine = &rest[before..before + inside];
        lines.extend(rule_lines(text, file, rule, mine));
        rest = &rest[before + inside..];
        prev_end = Some(rule.span.end());
    }
    gap_comments(text, rest, prev_end, None, &mut lines);
    let out = render(&lines);
    // Last guard: a formatter bug must never change a rule or lose a comment.
    let same = parse_rules(&out, file).is_ok_and(|again| {
        without_spans(&again) == without_spans(&parsed)
            && comment_texts(&out, &again) == comment_texts(text, &parsed)
    });
    Ok(if same { out } else { text.to_string() })
}

/// A copy of a rule file with every span zeroed, so that two parses of
/// differently laid out text compare equal exactly when they mean the same.
pub fn without_spans(file: &RuleFile) -> RuleFile {
    let mut file = file.clone();
    for rule in &mut file.rules {
        let zero = Span::default();
        rule.id.span = zero;
        rule.title.span = zero;
        rule.severity_span = zero;
        rule.cite.span = zero;
        if let Some(about) = &mut rule.about {
            about.span = zero;
        }
        for var in &mut rule.subject {
            var.span = zero;
        }
        rule.subject_sets.iter_mut().for_each(zero_expr);
        for binding in &mut rule.bindings {
            binding.var.span = zero;
            binding.collection.span = zero;
        }
        for e in rule.filter.iter_mut().chain(rule.require.iter_mut()) {
            zero_expr(e);
        }
        for part in &mut rule.message.parts {
            if let TemplatePart::Hole(e) = part {
                zero_expr(e);
            }
        }
        rule.message.span = zero;
        rule.span = zero;
    }
    file
}

fn zero_expr(e: &mut Expr) {
    e.span = Span::default();
    match &mut e.kind {
        ExprKind::Str(_)
        | ExprKind::Num(_)
        | ExprKind::Date(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Name(_) => {}
        ExprKind::List(items) => items.iter_mut().for_each(zero_expr),
        ExprKind::Not(x) => zero_expr(x),
        ExprKind::And(a, b) | ExprKind::Or(a, b) => {
            zero_expr(a);
            zero_expr(b);
        }
        ExprKind::Compare { left, right, .. } | ExprKind::Arith { left, right, .. } => {
            zero_expr(left);
            zero_expr(right);
        }
        ExprKind::In { item, list, .. } => {
            zero_expr(item);
            zero_expr(list);
        }
        ExprKind::Call { func, args } => {
            func.span = Span::default();
            args.iter_mut().for_each(zero_expr);
        }
        ExprKind::Quantifier {
            var,
            collection,
            filter,
            term,
            ..
        } => {
            var.span = Span::default();
            collection.span = Span::default();
            if let Some(f) = filter {
                zero_expr(f);
            }
            if let Some(t) = term {
                zero_expr(t);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------

/// A `#` comment: from the `#` to the end of its line (without the newline).
#[derive(Debug, Clone, Copy)]
struct Comment {
    start: usize,
    end: usize,
}

impl Comment {
    fn text(self, src: &str) -> &str {
        src.get(self.start..self.end).unwrap_or_default().trim_end()
    }
}

/// Every comment of a parsed file, in order. A `#` is a comment exactly when
/// it is outside every string, and the tree records every string's span.
fn find_comments(src: &str, file: &RuleFile) -> Vec<Comment> {
    let mut strings = Vec::new();
    for rule in &file.rules {
        strings.push(rule.title.span);
        strings.push(rule.cite.span);
        strings.extend(rule.about.as_ref().map(|t| t.span));
        // Holes and the strings in them lie inside the template's span.
        strings.push(rule.message.span);
        for e in rule
            .filter
            .iter()
            .chain(rule.require.iter())
            .chain(&rule.subject_sets)
        {
            string_spans(e, &mut strings);
        }
    }
    strings.sort_by_key(|s| s.start);
    let bytes = src.as_bytes();
    let mut comments = Vec::new();
    let (mut i, mut next) = (0, 0);
    while i < bytes.len() {
        while next < strings.len() && strings[next].end() <= i {
            next += 1;
        }
        if let Some(s) = strings.get(next)
            && s.start() <= i
        {
            i = s.end();
            continue;
        }
        if bytes[i] == b'#' {
            let end = src[i..].find('\n').map_or(src.len(), |k| i + k);
            comments.push(Comment { start: i, end });
            i = end;
        } else {
            i += 1;
        }
    }
    comments
}

fn string_spans(e: &Expr, out: &mut Vec<Span>) {
    match &e.kind {
        ExprKind::Str(_) => out.push(e.span),
        ExprKind::Num(_)
        | ExprKind::Date(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Name(_) => {}
        ExprKind::List(items) | ExprKind::Call { args: items, .. } => {
            items.iter().for_each(|x| string_spans(x, out));
        }
        ExprKind::Not(x) => string_spans(x, out),
        ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Compare {
            left: a, right: b, ..
        }
        | ExprKind::In {
            item: a, list: b, ..
        }
        | ExprKind::Arith {
            left: a, right: b, ..
        } => {
            string_spans(a, out);
            string_spans(b, out);
        }
        ExprKind::Quantifier { filter, term, .. } => {
            if let Some(t) = term {
                string_spans(t, out);
            }
            if let Some(f) = filter {
                string_spans(f, out);
            }
        }
    }
}

/// The text of every `#` comment of a parsed file, in order (trailing
/// whitespace trimmed): what formatting must keep.
pub fn comment_texts<'a>(src: &'a str, file: &RuleFile) -> Vec<&'a str> {
    find_comments(src, file)
        .into_iter()
        .map(|c| c.text(src))
        .collect()
}

fn newline_between(src: &str, from: usize, to: usize) -> bool {
    src.get(from..to).is_some_and(|s| s.contains('\n'))
}

fn blank_line_between(src: &str, from: usize, to: usize) -> bool {
    src.get(from..to)
        .is_some_and(|s| s.matches('\n').count() >= 2)
}

// ---------------------------------------------------------------------------
// Output lines
// ---------------------------------------------------------------------------

/// One output line (a blank line has empty text). `text` may hold several
/// lines only for a rule kept as written.
#[derive(Debug, Clone, Default)]
struct Line {
    indent: usize,
    text: String,
    /// Comments written at the end of this line.
    trailing: Vec<String>,
}

impl Line {
    fn new(indent: usize, text: impl Into<String>) -> Line {
        Line {
            indent,
            text: text.into(),
            trailing: Vec::new(),
        }
    }
}

fn render(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        if !line.text.is_empty() {
            out.extend(std::iter::repeat_n(' ', line.indent));
            out.push_str(&line.text);
        }
        for comment in &line.trailing {
            out.push_str("  ");
            out.push_str(comment);
        }
        out.push('\n');
    }
    out
}

/// Comments outside rules: between `prev_end` (the end of the previous rule,
/// if any) and `next` (the start of the next rule, if any).
fn gap_comments(
    src: &str,
    comments: &[Comment],
    prev_end: Option<usize>,
    next: Option<usize>,
    lines: &mut Vec<Line>,
) {
    let mut cursor = prev_end.unwrap_or(0);
    let mut own_lines = 0;
    for c in comments {
        let on_brace_line = prev_end == Some(cursor) && !newline_between(src, cursor, c.start);
        match lines.last_mut() {
            Some(last) if on_brace_line => last.trailing.push(c.text(src).to_string()),
            _ => {
                // Always a blank line after a rule; elsewhere, as the author had it.
                let blank = if own_lines == 0 {
                    prev_end.is_some()
                } else {
                    blank_line_between(src, cursor, c.start)
                };
                if blank {
                    lines.push(Line::default());
                }
                lines.push(Line::new(0, c.text(src)));
                own_lines += 1;
            }
        }
        cursor = c.end;
    }
    if let Some(next) = next {
        let blank = if own_lines == 0 {
            prev_end.is_some()
        } else {
            blank_line_between(src, cursor, next)
        };
        if blank {
            lines.push(Line::default());
        }
    }
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/// The lines of one rule: formatted, or as written if its comments cannot
/// all be placed or the formatted text would not parse back the same.
fn rule_lines(src: &str, file: &str, rule: &Rule, comments: &[Comment]) -> Vec<Line> {
    let verbatim = || {
        let text = src
            .get(rule.span.start()..rule.span.end())
            .unwrap_or_default();
        vec![Line::new(0, text)]
    };
    let Some(lines) = layout_rule(src, rule, comments) else {
        return verbatim();
    };
    let text = render(&lines);
    let original = RuleFile {
        rules: vec![rule.clone()],
    };
    let wanted: Vec<&str> = comments.iter().map(|c| c.text(src)).collect();
    let same = parse_rules(&text, file).is_ok_and(|again| {
        without_spans(&again) == without_spans(&original) && comment_texts(&text, &again) == wanted
    });
    if same { lines } else { verbatim() }
}

/// Comments assigned to one clause.
#[derive(Debug, Default)]
struct ClauseComments {
    /// Own-line comments before the clause.
    leading: Vec<String>,
    /// At the end of the clause's last line.
    trailing: Vec<String>,
    /// Inside a `where`/`require` chain: (operand index, comment, trailing?).
    inner: Vec<(usize, String, bool)>,
}

/// Skips whitespace and comments from `pos`; returns the position of the
/// next token and the comments passed.
fn skip_gap(src: &str, mut pos: usize, comments: &[Comment], passed: &mut Vec<Comment>) -> usize {
    loop {
        let rest = src.get(pos..).unwrap_or_default();
        let trimmed = rest.trim_start();
        pos += rest.len() - trimmed.len();
        if !trimmed.starts_with('#') {
            return pos;
        }
        match comments.iter().find(|c| c.start == pos) {
            Some(c) => {
                passed.push(*c);
                pos = c.end;
            }
            // Cannot happen (every `#` outside strings is in `comments`);
            // stop rather than loop.
            None => return pos,
        }
    }
}

/// The formatted lines of a rule, or `None` if a comment cannot be placed.
fn layout_rule(src: &str, rule: &Rule, comments: &[Comment]) -> Option<Vec<Line>> {
    // The clauses present, with their value spans, in source order.
    let mut values: Vec<(usize, Span)> = Vec::new();
    let mut push = |word: &str, span: Span| {
        if let Some(k) = CLAUSES.iter().position(|c| *c == word) {
            values.push((k, span));
        }
    };
    push("title", rule.title.span);
    push("severity", rule.severity_span);
    push("cite", rule.cite.span);
    if let Some(about) = &rule.about {
        push("about", about.span);
    }
    let subject_spans = rule
        .subject
        .iter()
        .map(|v| v.span)
        .chain(rule.subject_sets.iter().map(|e| e.span));
    if let Some(span) = subject_spans.reduce(Span::to) {
        push("subject", span);
    }
    if let (Some(first), Some(last)) = (rule.bindings.first(), rule.bindings.last()) {
        push("for", first.var.span.to(last.collection.span));
    }
    if let Some(e) = &rule.filter {
        push("where", e.span);
    }
    if let Some(e) = &rule.require {
        push("require", e.span);
    }
    push("message", rule.message.span);
    values.sort_by_key(|(_, span)| span.start());

    // The header `rule ID {` may hold only whitespace between its tokens.
    let after_id = src.get(rule.id.span.end()..)?;
    let brace = rule.id.span.end() + (after_id.len() - after_id.trim_start().len());
    if !after_id.trim_start().starts_with('{') {
        return None;
    }
    let mut placed = comments
        .iter()
        .filter(|c| c.start < rule.id.span.end())
        .count();
    if placed > 0 {
        return None;
    }

    let mut header_trailing = Vec::new();
    let mut clauses: Vec<ClauseComments> =
        CLAUSES.iter().map(|_| ClauseComments::default()).collect();
    // Where an end-of-line comment goes: the header (None) or a clause.
    let mut previous: Option<usize> = None;
    let mut pos = brace + 1;
    let mut values = values.into_iter();
    let closing = loop {
        let mut passed = Vec::new();
        let token = skip_gap(src, pos, comments, &mut passed);
        let mut leading = Vec::new();
        for c in passed {
            let text = c.text(src).to_string();
            if !newline_between(src, pos, c.start) {
                match previous {
                    None => header_trailing.push(text),
                    Some(k) => clauses.get_mut(k)?.trailing.push(text),
                }
            } else {
                leading.push(text);
            }
            placed += 1;
        }
        let Some((k, span)) = values.next() else {
            // Only the closing `}` may follow the last clause.
            if !(src.get(token..)?.starts_with('}') && token + 1 == rule.span.end()) {
                return None;
            }
            break leading;
        };
        let word = CLAUSES.get(k)?;
        if !src.get(token..)?.starts_with(word) {
            return None;
        }
        let mut passed = Vec::new();
        if skip_gap(src, token + word.len(), comments, &mut passed) != span.start() {
            return None;
        }
        // Comments between the keyword and its value go before the clause.
        leading.extend(passed.iter().map(|c| c.text(src).to_string()));
        placed += passed.len();
        let slot = clauses.get_mut(k)?;
        slot.leading = leading;
        let inside: Vec<Comment> = comments
            .iter()
            .filter(|c| c.start >= span.start() && c.start < span.end())
            .copied()
            .collect();
        if !inside.is_empty() {
            let expr = match *word {
                "where" => rule.filter.as_ref()?,
                "require" => rule.require.as_ref()?,
                _ => return None,
            };
            let units = flatten(expr);
            for c in inside {
                place_in_chain(src, &units, c, slot)?;
                placed += 1;
            }
        }
        previous = Some(k);
        pos = span.end();
    };
    if placed != comments.len() {
        return None;
    }

    let mut lines = vec![Line {
        indent: 0,
        text: format!("rule {} {{", rule.id.name),
        trailing: header_trailing,
    }];
    for (k, word) in CLAUSES.iter().enumerate() {
        let Some(slot) = clauses.get(k) else { continue };
        let Some(mut clause) = clause_lines(rule, word, slot) else {
            continue;
        };
        lines.extend(slot.leading.iter().map(|c| Line::new(2, c.clone())));
        if let Some(last) = clause.last_mut() {
            last.trailing.extend(slot.trailing.iter().cloned());
        }
        lines.extend(clause);
    }
    lines.extend(closing.into_iter().map(|c| Line::new(2, c)));
    lines.push(Line::new(0, "}"));
    Some(lines)
}

/// Assigns a comment inside a chain's span to a gap between operands.
fn place_in_chain(
    src: &str,
    units: &[Unit<'_>],
    c: Comment,
    slot: &mut ClauseComments,
) -> Option<()> {
    if units
        .iter()
        .any(|u| u.expr.span.start() <= c.start && c.start < u.expr.span.end())
    {
        return None;
    }
    let k = units.partition_point(|u| u.expr.span.end() <= c.start);
    let text = c.text(src).to_string();
    if k == 0 {
        // Between the keyword's value start (an opening parenthesis) and the first operand.
        slot.leading.push(text);
        return Some(());
    }
    let before = units.get(k - 1)?.expr.span.end();
    let trailing = !newline_between(src, before, c.start);
    if k == units.len() {
        // After the last operand: only at the end of its line.
        if !trailing {
            return None;
        }
        slot.trailing.push(text);
    } else if trailing {
        slot.inner.push((k - 1, text, true));
    } else {
        slot.inner.push((k, text, false));
    }
    Some(())
}

/// The lines of one clause (without its leading and trailing comments),
/// or `None` if the rule does not have it.
fn clause_lines(rule: &Rule, word: &str, slot: &ClauseComments) -> Option<Vec<Line>> {
    let padded = |value: String| Line::new(2, format!("{word:<PAD$}{value}"));
    let plain = |value: String| Line::new(2, format!("{word} {value}"));
    let line = match word {
        "title" => padded(quote(&rule.title.value)),
        "severity" => padded(rule.severity.word().to_string()),
        "cite" => padded(quote(&rule.cite.value)),
        "about" => padded(quote(&rule.about.as_ref()?.value)),
        "subject" if !rule.subject.is_empty() || !rule.subject_sets.is_empty() => {
            let mut items: Vec<String> = rule.subject.iter().map(|v| v.name.clone()).collect();
            for set in &rule.subject_sets {
                let mut text = String::new();
                expr_into(set, &mut text);
                items.push(text);
            }
            padded(items.join(", "))
        }
        "for" => {
            let bindings: Vec<String> = rule
                .bindings
                .iter()
                .map(|b| format!("{} in {}", b.var.name, b.collection.name))
                .collect();
            plain(bindings.join(", "))
        }
        "where" => return Some(chain_lines(word, rule.filter.as_ref()?, slot)),
        "require" => return Some(chain_lines(word, rule.require.as_ref()?, slot)),
        "message" => plain(template(&rule.message.parts)),
        _ => return None,
    };
    Some(vec![line])
}

/// A `where`/`require` clause: on one line if it fits and holds no
/// comments, else one operand of the top-level `and`/`or` chain per line.
fn chain_lines(word: &str, expr: &Expr, slot: &ClauseComments) -> Vec<Line> {
    let units = flatten(expr);
    let texts: Vec<String> = units.iter().map(Unit::text).collect();
    let joined: String = units
        .iter()
        .zip(&texts)
        .map(|(u, t)| match u.op {
            Some(op) => format!(" {op} {t}"),
            None => t.clone(),
        })
        .collect();
    let first = format!("{word} {joined}");
    if slot.inner.is_empty() && 2 + first.chars().count() <= MAX_WIDTH {
        return vec![Line::new(2, first)];
    }
    let mut lines = Vec::new();
    for (k, (unit, text)) in units.iter().zip(&texts).enumerate() {
        for (_, comment, _) in slot.inner.iter().filter(|(i, _, t)| *i == k && !t) {
            lines.push(Line::new(4, comment.clone()));
        }
        let mut line = match unit.op {
            Some(op) => Line::new(4, format!("{op} {text}")),
            None => Line::new(2, format!("{word} {text}")),
        };
        line.trailing.extend(
            slot.inner
                .iter()
                .filter(|(i, _, t)| *i == k && *t)
                .map(|(_, c, _)| c.clone()),
        );
        lines.push(line);
    }
    lines
}

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

/// Binding strength: `or` 1, `and` 2, `not` 3, comparisons 4, `+` and `-`
/// 5, primaries 6.
fn strength(e: &Expr) -> u8 {
    match e.kind {
        ExprKind::Or(..) => 1,
        ExprKind::And(..) => 2,
        ExprKind::Not(_) => 3,
        ExprKind::Compare { .. } | ExprKind::In { .. } => 4,
        ExprKind::Arith { .. } => 5,
        _ => 6,
    }
}

/// One operand of the top-level `and`/`or` chain, with the operator before it.
struct Unit<'e> {
    op: Option<&'static str>,
    expr: &'e Expr,
    parens: bool,
}

impl Unit<'_> {
    fn text(&self) -> String {
        let mut out = String::new();
        if self.parens {
            out.push('(');
            expr_into(self.expr, &mut out);
            out.push(')');
        } else {
            expr_into(self.expr, &mut out);
        }
        out
    }
}

/// The operands of the `and`s and `or`s printed without parentheses, in order.
fn flatten(e: &Expr) -> Vec<Unit<'_>> {
    fn walk<'e>(e: &'e Expr, min: u8, op: Option<&'static str>, out: &mut Vec<Unit<'e>>) {
        if strength(e) < min {
            out.push(Unit {
                op,
                expr: e,
                parens: true,
            });
            return;
        }
        match &e.kind {
            ExprKind::Or(a, b) => {
                walk(a, 1, op, out);
                walk(b, 2, Some("or"), out);
            }
            ExprKind::And(a, b) => {
                walk(a, 2, op, out);
                walk(b, 3, Some("and"), out);
            }
            _ => out.push(Unit {
                op,
                expr: e,
                parens: false,
            }),
        }
    }
    let mut out = Vec::new();
    walk(e, 1, None, &mut out);
    out
}

/// Prints `e` with parentheses if it binds looser than `min`. Both `and`
/// and `or` are left associative, so a right operand of the same operator
/// keeps its parentheses: the tree must parse back the same.
fn operand(e: &Expr, min: u8, out: &mut String) {
    if strength(e) < min {
        out.push('(');
        expr_into(e, out);
        out.push(')');
    } else {
        expr_into(e, out);
    }
}

fn list_into(items: &[Expr], out: &mut String) {
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        expr_into(item, out);
    }
}

fn expr_into(e: &Expr, out: &mut String) {
    match &e.kind {
        ExprKind::Str(s) => out.push_str(&quote(s)),
        ExprKind::Num(n) => out.push_str(&number(*n)),
        ExprKind::Date(d) => out.push_str(d),
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::None => out.push_str("none"),
        ExprKind::Name(n) => out.push_str(n),
        ExprKind::List(items) => {
            out.push('[');
            list_into(items, out);
            out.push(']');
        }
        ExprKind::Not(x) => {
            out.push_str("not ");
            operand(x, 3, out);
        }
        ExprKind::And(a, b) => {
            operand(a, 2, out);
            out.push_str(" and ");
            operand(b, 3, out);
        }
        ExprKind::Or(a, b) => {
            operand(a, 1, out);
            out.push_str(" or ");
            operand(b, 2, out);
        }
        ExprKind::Compare { op, left, right } => {
            operand(left, 5, out);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            operand(right, 5, out);
        }
        ExprKind::In {
            item,
            list,
            negated,
        } => {
            operand(item, 5, out);
            out.push_str(if *negated { " not in " } else { " in " });
            operand(list, 5, out);
        }
        // Spaces around the operator: `a-1` would read back as one name.
        ExprKind::Arith { op, left, right } => {
            operand(left, 5, out);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            operand(right, 6, out);
        }
        ExprKind::Call { func, args } => {
            out.push_str(&func.name);
            out.push('(');
            list_into(args, out);
            out.push(')');
        }
        ExprKind::Quantifier {
            kind,
            var,
            collection,
            filter,
            term,
        } => {
            out.push_str(kind.word());
            out.push('(');
            if let Some(t) = term {
                expr_into(t, out);
                out.push_str(" for ");
            }
            out.push_str(&var.name);
            out.push_str(" in ");
            out.push_str(&collection.name);
            if let Some(f) = filter {
                out.push_str(" where ");
                expr_into(f, out);
            }
            out.push(')');
        }
    }
}

/// A number as the grammar reads it back to the same `f64`: `Display`
/// gives the shortest such digits and never an exponent. Digits too many
/// for an `f64` parse to infinity, which has no literal; the parser accepts
/// any run of digits, so print a run that reads back as infinity too.
fn number(n: f64) -> String {
    if n.is_finite() {
        format!("{n}")
    } else {
        format!("1{}", "0".repeat(400))
    }
}

/// Escapes a string's value: `\` and `"`, and newline and tab.
fn escape_into(c: char, out: &mut String) {
    match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        c => out.push(c),
    }
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    s.chars().for_each(|c| escape_into(c, &mut out));
    out.push('"');
    out
}

/// A message template: text escaped (braces doubled), holes on one line.
fn template(parts: &[TemplatePart]) -> String {
    let mut out = String::from("\"");
    for part in parts {
        match part {
            TemplatePart::Text(t) => {
                for c in t.chars() {
                    match c {
                        '{' => out.push_str("{{"),
                        '}' => out.push_str("}}"),
                        c => escape_into(c, &mut out),
                    }
                }
            }
            TemplatePart::Hole(e) => {
                out.push('{');
                expr_into(e, &mut out);
                out.push('}');
            }
        }
    }
    out.push('"');
    out
}
