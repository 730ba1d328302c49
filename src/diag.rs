//! Located diagnostics for input errors (scenario files and rule files),
//! rendered with the source line and a caret, as a compiler would.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write as _;

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
}

impl Loc {
    /// A line or column of 0 (a library's "unknown") becomes 1: every
    /// location a user sees is a place in the file.
    pub const fn new(line: u32, column: u32) -> Self {
        Loc {
            line: if line == 0 { 1 } else { line },
            column: if column == 0 { 1 } else { column },
        }
    }
}

/// The start of the file, not the `0:0` a derived default would give.
impl Default for Loc {
    fn default() -> Self {
        Loc::new(1, 1)
    }
}

/// Whether a character must not reach a terminal, an annotation or Markdown
/// as itself: C0 and C1 controls and DEL (escape sequences, line breaks
/// that forge output lines) and the Unicode bidi controls (text that reads
/// otherwise than it is, CVE-2021-42574).
fn unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
}

/// File-derived text made safe to show: every control character (tab and
/// newline included) and bidi control becomes a visible `\u{1b}`. Borrowed
/// when there is nothing to escape. JSON and SARIF keep the exact text; only
/// the source line of a snippet keeps its tabs (see `Diagnostic::render`).
pub fn printable(text: &str) -> Cow<'_, str> {
    let plain = |b: u8| (b' '..0x7f).contains(&b);
    if text.bytes().all(plain) || !text.chars().any(unprintable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_printable(&mut out, c);
    }
    Cow::Owned(out)
}

/// Pushes `c`, escaped if it is unprintable; returns how many characters it took.
fn push_printable(out: &mut String, c: char) -> usize {
    if unprintable(c) {
        let before = out.len();
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        out.len() - before
    } else {
        out.push(c);
        1
    }
}

/// One input problem: what is wrong, where, and (when we know) how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// A stable, kebab-case code for the class of problem (`unknown-key`, `dangling-id`, ...).
    pub code: &'static str,
    pub message: String,
    pub file: String,
    pub loc: Loc,
    /// Width of the underline in characters (at least 1).
    #[serde(skip)]
    pub width: u32,
    /// A short text shown under the caret.
    pub label: Option<String>,
    /// A hint such as "did you mean `receiver`?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: &'static str, file: &str, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            file: file.to_string(),
            loc,
            width: 1,
            label: None,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_width(mut self, width: usize) -> Self {
        self.width = u32::try_from(width.max(1)).unwrap_or(u32::MAX);
        self
    }

    /// Adds "did you mean `x`?" when a candidate is near enough to `word`.
    pub fn suggest<'a>(self, word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        match nearest(word, candidates) {
            Some(near) => self.with_help(format!("did you mean `{near}`?")),
            None => self,
        }
    }

    /// Renders the diagnostic like rustc: header, location, source line, caret, help.
    /// Everything taken from a file is passed through `printable`.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "error[{}]: {}", self.code, printable(&self.message));
        // The gutter is as wide as the line number, as in rustc.
        let pad = " ".repeat(self.loc.line.to_string().len());
        let _ = writeln!(
            out,
            "{pad}--> {}:{}:{}",
            printable(&self.file),
            self.loc.line,
            self.loc.column
        );
        let line_text = source.and_then(|text| {
            let index = usize::try_from(self.loc.line).ok()?.checked_sub(1)?;
            text.lines().nth(index)
        });
        if let Some(text) = line_text {
            let number = self.loc.line.to_string();
            // Long lines are shown as a window around the column, so the caret stays visible.
            let column = usize::try_from(self.loc.column.saturating_sub(1)).unwrap_or(0);
            let skip = column.saturating_sub(60);
            let before = column - skip;
            let width = usize::try_from(self.width).unwrap_or(1).clamp(1, 200);
            let mut shown = String::from(if skip > 0 { "…" } else { "" });
            let mut caret_pad = " ".repeat(usize::from(skip > 0));
            let mut carets = 0;
            for (i, c) in text.chars().skip(skip).take(120).enumerate() {
                // A tab stays a tab here, and under it in the caret line, so
                // that the caret lines up whatever the terminal's tab stops.
                let took = if c == '\t' {
                    shown.push(c);
                    1
                } else {
                    push_printable(&mut shown, c)
                };
                if i < before {
                    let fill = if c == '\t' { "\t" } else { " " };
                    caret_pad.push_str(&fill.repeat(took));
                } else if i < before + width {
                    carets += took;
                }
            }
            // The underline may run past the end of the line (a missing value).
            let past_end =
                (before + width).saturating_sub(text.chars().skip(skip).take(120).count());
            let carets = carets + past_end.min(width);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {shown}");
            let label = self
                .label
                .as_deref()
                .map(|l| format!(" {}", printable(l)))
                .unwrap_or_default();
            let _ = writeln!(out, "{pad} | {caret_pad}{}{label}", "^".repeat(carets));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {}", printable(help));
        }
        out
    }
}

/// Sorts diagnostics by file and position, and drops exact repeats, so that
/// output is stable whatever order the checks ran in.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.loc, a.code, &a.message).cmp(&(&b.file, b.loc, b.code, &b.message))
    });
    diagnostics.dedup();
}

/// Edit distance by characters (optimal string alignment): insertions,
/// deletions, substitutions and swaps of two adjacent characters each cost 1,
/// so `rnak` is one edit from `rank`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                best = best.min(before[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate nearest to `word`, if it is near enough to be a likely typo
/// (at most a third of the word's length in edits, and at least one).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let lowered = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lowered, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// The 1-based line and column (in characters) of a byte offset in `text`.
/// An offset past the end, or inside a character, is clamped to a valid place.
pub fn loc_at(text: &str, offset: usize) -> Loc {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Loc::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_but_not_strangers() {
        let keys = ["receiver", "sender", "kind", "city"];
        assert_eq!(nearest("reciever", keys), Some("receiver"));
        assert_eq!(nearest("sendr", keys), Some("sender"));
        assert_eq!(nearest("colour", keys), None);
        // A swap of two adjacent letters is one edit.
        assert_eq!(edit_distance("rnak", "rank"), 1);
        assert_eq!(nearest("rnak", ["name", "rank", "from"]), Some("rank"));
    }

    #[test]
    fn render_puts_caret_under_column() {
        let d = Diagnostic::new("unknown-key", "a.yaml", Loc::new(2, 3), "unknown key `x`")
            .with_width(1)
            .with_help("did you mean `y`?");
        let text = d.render(Some("a: 1\n  x: 2\n"));
        assert_eq!(
            text,
            "error[unknown-key]: unknown key `x`\n --> a.yaml:2:3\n  |\n2 |   x: 2\n  |   ^\n  = help: did you mean `y`?\n"
        );
    }
}
