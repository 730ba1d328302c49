//! Located diagnostics for input errors (scenario files and rule files),
//! rendered with the source line and a caret, as a compiler would. The
//! codes are declared in `code`, the drawing (shared with findings) is in
//! `render`.

pub mod code;
pub mod render;

pub use code::{Code, explain};
pub use render::{ColorChoice, Palette};

use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write as _;

/// Line and column are the source model's rendering-time view (see `source`).
pub use crate::source::{LineIndex, Loc, Span, loc_at};

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

/// Width `parity explain` wraps its texts to.
pub(crate) const EXPLAIN_WIDTH: usize = 80;

/// Greedy word wrap; a word longer than `width` gets a line of its own.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let needed = line.chars().count() + 1 + word.chars().count();
            if !line.is_empty() && needed > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
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

/// How serious a diagnostic or a rule's finding is: the word its header
/// starts with. Ordered from the least serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    /// Every input error is one today: nothing in its file is checked.
    #[default]
    Error,
}

impl Severity {
    pub const WORDS: &'static [&'static str] = &["error", "warning", "info"];

    pub fn from_word(word: &str) -> Option<Severity> {
        match word {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    pub const fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A secondary place of a diagnostic (where a duplicate was first defined,
/// say), drawn after the primary snippet and underlined with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub file: String,
    pub span: Span,
    /// Width of the underline in characters (at least 1).
    pub width: u32,
    pub text: String,
}

/// One input problem: what is wrong, where, and (when we know) how to fix it.
/// Where is a `Span` of the text the problem is in; the line and column a
/// user reads are derived when it is rendered (`loc_in`, `render_all`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// A stable, kebab-case code for the class of problem (see `Code`).
    pub code: Code,
    /// Error unless said otherwise (`with_severity`).
    #[serde(skip)]
    pub severity: Severity,
    pub message: String,
    /// The name of the file the problem is in, as reports show it.
    pub file: String,
    pub span: Span,
    /// A line and column no byte of a kept text is at, kept as it was
    /// reported: in bytes that are not text (a file that is not UTF-8, which
    /// no source holds), or past a line's end (as a YAML library may say).
    /// Every other place is its span, located when it is rendered.
    #[serde(skip)]
    pub unplaced: Option<Loc>,
    /// Width of the underline in characters (at least 1).
    #[serde(skip)]
    pub width: u32,
    /// A short text shown under the caret.
    pub label: Option<String>,
    /// Other places, drawn after the primary one.
    #[serde(skip)]
    pub secondary: Vec<Label>,
    /// A hint such as "did you mean `receiver`?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, file: &str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            file: file.to_string(),
            span,
            unplaced: None,
            width: 1,
            label: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    /// A problem at `loc` of `text` (the text of `file`, indexed by
    /// `lines`), as a library reports it: at the byte there, or `unplaced`
    /// when no byte is.
    pub fn at_loc(
        code: Code,
        file: &str,
        (text, lines): (&str, &LineIndex),
        loc: Loc,
        message: impl Into<String>,
    ) -> Self {
        let mut diagnostic = Diagnostic::at_start(code, file, message);
        match crate::source::offset_at(text, lines, loc) {
            Some(at) => diagnostic.span = Span::new(at, at),
            None => diagnostic.unplaced = Some(loc),
        }
        diagnostic
    }

    /// A problem at the start of `file` (one that could not be read, say).
    pub fn at_start(code: Code, file: &str, message: impl Into<String>) -> Self {
        Diagnostic::new(code, file, Span::default(), message)
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Adds a secondary place, `width` characters wide, labelled `text`.
    pub fn with_secondary(
        mut self,
        file: &str,
        span: Span,
        width: usize,
        text: impl Into<String>,
    ) -> Self {
        self.secondary.push(Label {
            file: file.to_string(),
            span,
            width: u32::try_from(width.max(1)).unwrap_or(u32::MAX),
            text: text.into(),
        });
        self
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

    /// `suggest` through an index of candidates shared by many look-ups.
    pub fn suggest_from(self, word: &str, suggester: &Suggester) -> Self {
        match suggester.nearest(word) {
            Some(near) => self.with_help(format!("did you mean `{near}`?")),
            None => self,
        }
    }

    /// The line and column the problem is at in `text`, the text of its
    /// span's source.
    pub fn loc_in(&self, text: &str) -> Loc {
        self.located(Some(text))
    }

    /// `loc_in`, through `lines`, the index of `text`'s lines (for many
    /// diagnostics of one text: `loc_in` scans it from its start).
    pub fn loc_indexed(&self, text: &str, lines: &LineIndex) -> Loc {
        self.unplaced
            .unwrap_or_else(|| lines.loc(text, self.span.start()))
    }

    /// `loc_in`, or the start of the file when its text is not known.
    fn located(&self, text: Option<&str>) -> Loc {
        match (self.unplaced, text) {
            (Some(loc), _) => loc,
            (None, Some(text)) => loc_at(text, self.span.start()),
            (None, None) => Loc::default(),
        }
    }

    /// Renders the diagnostic like rustc: header, location, source line, caret, help.
    /// Everything taken from a file is passed through `printable`; `source`
    /// is the text of its file, which its places are located in.
    pub fn render(&self, source: Option<&str>) -> String {
        self.render_in(source, Palette::PLAIN)
    }

    /// `render`, coloured by `palette`.
    pub fn render_in(&self, source: Option<&str>, palette: Palette) -> String {
        let line = |loc: Loc| {
            let index = usize::try_from(loc.line).ok()?.checked_sub(1)?;
            source?.lines().nth(index)
        };
        let loc = self.located(source);
        let skip = window_start(loc);
        let window = line(loc).map(|text| (skip_chars(text, skip), skip));
        let places: Vec<Loc> = self
            .secondary
            .iter()
            .map(|label| label_loc(label, (label.file == self.file).then_some(source).flatten()))
            .collect();
        let secondary = self.secondary_windows(&places, |loc| {
            let skip = window_start(loc);
            line(loc).map(|text| (skip_chars(text, skip), skip))
        });
        self.render_window(loc, window, &places, &secondary, palette)
    }

    /// The windows of the secondary places (at `places`) in this
    /// diagnostic's file, found by `window` (a place in another file is
    /// shown without its line).
    fn secondary_windows<'t>(
        &self,
        places: &[Loc],
        mut window: impl FnMut(Loc) -> Option<(&'t str, usize)>,
    ) -> Vec<Option<(&'t str, usize)>> {
        self.secondary
            .iter()
            .zip(places)
            .map(|(label, loc)| (label.file == self.file).then(|| window(*loc)).flatten())
            .collect()
    }

    /// `render`, at `loc`, given the source line from its `skip`th
    /// character on, and the secondary places (at `places`) and their
    /// lines likewise.
    fn render_window(
        &self,
        loc: Loc,
        window: Option<(&str, usize)>,
        places: &[Loc],
        secondary: &[Option<(&str, usize)>],
        palette: Palette,
    ) -> String {
        let column = usize::try_from(loc.column.saturating_sub(1)).unwrap_or(0);
        let help = self.help.as_deref().map(printable);
        let snippet = render::Snippet {
            severity: self.severity,
            code: self.code.as_str(),
            message: &self.message,
            file: &self.file,
            loc,
            excerpt: window.map(|(text, skip)| render::Excerpt::Underlined {
                text,
                skip,
                column,
                width: usize::try_from(self.width).unwrap_or(1),
                label: self.label.as_deref(),
            }),
            secondary: self
                .secondary
                .iter()
                .zip(places)
                .zip(secondary.iter().chain(std::iter::repeat(&None)))
                .map(|((label, loc), window)| render::Secondary {
                    file: (label.file != self.file).then_some(label.file.as_str()),
                    loc: *loc,
                    window: *window,
                    width: usize::try_from(label.width).unwrap_or(1),
                    text: &label.text,
                })
                .collect(),
            notes: help
                .iter()
                .map(|h| ("help", h as &dyn std::fmt::Display))
                .collect(),
        };
        let mut out = String::new();
        snippet.render(&mut out, palette);
        out
    }
}

/// Where a secondary place is, `text` being the text of its file.
fn label_loc(label: &Label, text: Option<&str>) -> Loc {
    text.map_or_else(Loc::default, |text| loc_at(text, label.span.start()))
}

/// The first character of the window shown of `loc`'s line: up to 60
/// characters before the column.
fn window_start(loc: Loc) -> usize {
    let column = usize::try_from(loc.column.saturating_sub(1)).unwrap_or(0);
    column.saturating_sub(60)
}

/// Sorts diagnostics by file and position, and drops exact repeats, so that
/// output is stable whatever order the checks ran in. Within a file, places
/// are ordered by where their span starts, as its lines and columns read.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    let key = |d: &Diagnostic| (d.span.start, d.unplaced);
    diagnostics.sort_by(|a, b| {
        (&a.file, key(a), a.code, &a.message).cmp(&(&b.file, key(b), b.code, &b.message))
    });
    diagnostics.dedup_by(|a, b| same(a, b));
}

/// Whether two diagnostics say the same at the same place (where their
/// spans start: the same line and column, whatever their ends).
fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.span.start == b.span.start
        && a.span.source == b.span.source
        && a.unplaced == b.unplaced
        && a.code == b.code
        && a.severity == b.severity
        && a.message == b.message
        && a.file == b.file
        && a.width == b.width
        && a.label == b.label
        && a.secondary == b.secondary
        && a.help == b.help
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

/// `edit_distance(a, b)` when it is at most `max`, else `None`, in
/// O(|a|·max): a path through a cell further than `max` from the diagonal
/// costs more than `max`, so only the band is computed (cells outside hold
/// `max + 1`), and the search stops once two rows in a row exceed `max` (a
/// swap can jump one row, never two).
#[cfg(test)]
fn distance_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    distance_in(a, b, max, &mut Rows::default()).0
}

/// Three rows of the distance table, kept between calls to save allocations.
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

/// `distance_within`, with the rows to use, and the cells computed.
fn distance_in(a: &[char], b: &[char], max: usize, rows: &mut Rows) -> (Option<usize>, u64) {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return (None, 0);
    }
    let over = max + 1;
    let Rows {
        before,
        previous,
        current,
    } = rows;
    for row in [&mut *before, &mut *current] {
        row.clear();
        row.resize(m + 1, over);
    }
    previous.clear();
    previous.extend((0..=m).map(|j| j.min(over)));
    let mut previous_min = 0;
    let mut cells = 0u64;
    for i in 1..=n {
        let (lo, hi) = (i.saturating_sub(max).max(1), (i + max).min(m));
        current[0] = i.min(over);
        // The row two back is reused: clear the cells next to the band that the next row reads.
        current[lo - 1] = if lo == 1 { current[0] } else { over };
        if let Some(cell) = current.get_mut(hi + 1) {
            *cell = over;
        }
        let mut row_min = current[lo - 1];
        for j in lo..=hi {
            let mut best = (previous[j - 1] + usize::from(a[i - 1] != b[j - 1]))
                .min(previous[j] + 1)
                .min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best.min(over);
            row_min = row_min.min(current[j]);
        }
        cells += (hi + 1).saturating_sub(lo) as u64;
        if row_min > max && previous_min > max {
            return (None, cells);
        }
        previous_min = row_min;
        std::mem::swap(before, previous);
        std::mem::swap(previous, current);
    }
    (Some(previous[m]).filter(|d| *d <= max), cells)
}

/// How far a candidate may be from `word` to be offered: a third of the
/// word's length in edits, and at least one.
fn typo_limit(word: &str) -> usize {
    (word.chars().count() / 3).max(1)
}

/// The candidate nearest to `word`, if it is near enough to be a likely typo
/// (at most a third of the word's length in edits, and at least one); of
/// equally near ones, the first in text order. For a short list of
/// candidates; many words against many candidates go through a `Suggester`.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = typo_limit(word);
    let lowered: Vec<char> = word.to_lowercase().chars().collect();
    let mut best: Option<(usize, &'a str)> = None;
    let mut other: Vec<char> = Vec::new();
    let mut rows = Rows::default();
    for candidate in candidates {
        let max = best.map_or(limit, |(d, _)| d);
        other.clear();
        other.extend(candidate.to_lowercase().chars());
        if let (Some(d), _) = distance_in(&lowered, &other, max, &mut rows)
            && best.is_none_or(|b| (d, candidate) < b)
        {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Work that the "did you mean" searches of one file (or of its claims, or
/// of its waivers) may do in all, in candidates dismissed and edit-distance
/// cells computed: about 0.2 s of a release build. Without it, a file of many
/// unknown ids against many defined ones costs their product; with it, the
/// unknown ids met first (in file order) get suggestions, later ones none. A
/// typo among the 40,000 missions of a large world costs some 10⁵.
pub const SUGGEST_WORK: u64 = 10_000_000;

/// What is left of a file's suggestion work, shared by its `Suggester`s.
#[derive(Debug)]
pub struct Work(std::cell::Cell<u64>);

impl Work {
    pub fn new(cells: u64) -> Self {
        Work(std::cell::Cell::new(cells))
    }

    pub fn left(&self) -> u64 {
        self.0.get()
    }

    fn spend(&self, cells: u64) {
        self.0.set(self.0.get().saturating_sub(cells));
    }
}

impl Default for Work {
    fn default() -> Self {
        Work::new(SUGGEST_WORK)
    }
}

/// Candidates indexed for many "did you mean" look-ups: grouped by length,
/// since a candidate whose length differs by more than the limit cannot be
/// near; answers remembered per word; the distance computed only near the
/// diagonal; all of it within a `Work` allowance. The answer is `nearest`'s
/// whenever the allowance lasts, and never depends on the candidates' order.
pub struct Suggester<'a> {
    /// Sorted by (length of the lowercase form in characters, text), without repeats.
    entries: Vec<Entry<'a>>,
    /// The lowercase forms, one after another.
    chars: Vec<char>,
    memo: std::cell::RefCell<std::collections::HashMap<String, Option<u32>>>,
    work: &'a Work,
}

struct Entry<'a> {
    text: &'a str,
    start: usize,
    len: usize,
    mask: u64,
}

/// The characters of `chars` as a set of 64 bits. Each bit set in one word
/// and not in the other stands for at least one character to delete or
/// replace, which bounds the distance from below at the cost of two
/// instructions: most candidates are dismissed by it.
fn char_mask(chars: &[char]) -> u64 {
    chars.iter().fold(0, |mask, c| {
        mask | 1 << (u32::from(*c).wrapping_mul(0x9E37_79B1) >> 26)
    })
}

/// A lower bound of the edit distance of two words from their `char_mask`s.
fn mask_bound(a: u64, b: u64) -> usize {
    (a & !b).count_ones().max((b & !a).count_ones()) as usize
}

impl<'a> Suggester<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>, work: &'a Work) -> Self {
        let mut texts: Vec<&'a str> = candidates.into_iter().collect();
        texts.sort_unstable();
        texts.dedup();
        let mut chars = Vec::new();
        let mut entries: Vec<Entry<'a>> = texts
            .into_iter()
            .map(|text| {
                let start = chars.len();
                chars.extend(text.to_lowercase().chars());
                Entry {
                    text,
                    start,
                    len: chars.len() - start,
                    mask: chars.get(start..).map_or(0, char_mask),
                }
            })
            .collect();
        entries.sort_by(|a, b| (a.len, a.text).cmp(&(b.len, b.text)));
        Suggester {
            entries,
            chars,
            memo: std::cell::RefCell::new(std::collections::HashMap::new()),
            work,
        }
    }

    /// `nearest(word, candidates)`, or `None` once the work allowance is spent.
    pub fn nearest(&self, word: &str) -> Option<&'a str> {
        if let Some(answer) = self.memo.borrow().get(word) {
            return answer
                .and_then(|i| self.entries.get(i as usize))
                .map(|e| e.text);
        }
        let answer = self.search(word);
        self.memo.borrow_mut().insert(word.to_string(), answer);
        answer
            .and_then(|i| self.entries.get(i as usize))
            .map(|e| e.text)
    }

    fn search(&self, word: &str) -> Option<u32> {
        let limit = typo_limit(word);
        let lowered: Vec<char> = word.to_lowercase().chars().collect();
        let length = lowered.len();
        let mask = char_mask(&lowered);
        let mut best: Option<(usize, &'a str, usize)> = None;
        let mut rows = Rows::default();
        // Lengths nearest first: a candidate `gap` longer or shorter is at
        // least `gap` edits away, so once one is found the search narrows.
        for gap in 0..=limit {
            if best.is_some_and(|(d, _, _)| gap > d) {
                break;
            }
            let lengths = [length.checked_sub(gap), (gap > 0).then_some(length + gap)];
            for len in lengths.into_iter().flatten() {
                let from = self.entries.partition_point(|e| e.len < len);
                let to = self.entries.partition_point(|e| e.len <= len);
                for index in from..to {
                    let Some(entry) = self.entries.get(index) else {
                        continue;
                    };
                    let max = best.map_or(limit, |(d, _, _)| d);
                    if self.work.left() == 0 {
                        return None;
                    }
                    if mask_bound(mask, entry.mask) > max {
                        self.work.spend(1);
                        continue;
                    }
                    // Go on only if the worst case of this pair is affordable,
                    // so that a search is never cut half-way through a pair.
                    let worst = (length as u64).saturating_mul(2 * max as u64 + 1);
                    if worst.max(1) > self.work.left() {
                        self.work.spend(u64::MAX);
                        return None;
                    }
                    let Some(other) = self.chars.get(entry.start..entry.start + entry.len) else {
                        continue;
                    };
                    let (distance, cells) = distance_in(&lowered, other, max, &mut rows);
                    self.work.spend(cells.max(1));
                    if let Some(d) = distance
                        && best.is_none_or(|(bd, bt, _)| (d, entry.text) < (bd, bt))
                    {
                        best = Some((d, entry.text, index));
                    }
                }
            }
        }
        best.and_then(|(_, _, index)| u32::try_from(index).ok())
    }
}

/// Renders diagnostics one after another, as `Diagnostic::render` would.
/// `text(file, span)` finds the text a place is in and its line index: of
/// the source `span` names when that is known, else of `file` by name (a
/// span of `SourceId::NONE`); the line shown is of the diagnostic's file.
/// Each text's lines are indexed once: scanning the file again for each of
/// thousands of diagnostics made printing them quadratic. Within a line,
/// the window shown starts from where the previous diagnostic's did
/// (diagnostics come sorted), so many on one long line cost its length once.
pub fn render_all<'t>(
    diagnostics: &[Diagnostic],
    text: impl Fn(&str, Span) -> Option<(&'t str, &'t LineIndex)>,
    emit: impl FnMut(&str),
) {
    render_all_in(diagnostics, Palette::PLAIN, text, emit);
}

/// `render_all`, coloured by `palette`.
pub fn render_all_in<'t>(
    diagnostics: &[Diagnostic],
    palette: Palette,
    text: impl Fn(&str, Span) -> Option<(&'t str, &'t LineIndex)>,
    mut emit: impl FnMut(&str),
) {
    let mut file: Option<&str> = None;
    let mut shown: Option<(&str, &LineIndex)> = None;
    // (line index, characters skipped, bytes skipped) of the last window.
    let mut cursor = (usize::MAX, 0, 0);
    let locate = |file: &str, span: Span| {
        text(file, span).map_or_else(Loc::default, |(text, lines)| lines.loc(text, span.start()))
    };
    for diagnostic in diagnostics {
        if file != Some(diagnostic.file.as_str()) {
            file = Some(diagnostic.file.as_str());
            shown = text(&diagnostic.file, Span::default());
            cursor = (usize::MAX, 0, 0);
        }
        let loc = diagnostic
            .unplaced
            .unwrap_or_else(|| locate(&diagnostic.file, diagnostic.span));
        let skip = window_start(loc);
        let window = shown.and_then(|(text, lines)| {
            let index = usize::try_from(loc.line).ok()?.checked_sub(1)?;
            let line = lines.line(text, index)?;
            let (from_chars, from_bytes) = match cursor {
                (i, chars, bytes) if i == index && chars <= skip => (chars, bytes),
                _ => (0, 0),
            };
            let rest = line.get(from_bytes..).unwrap_or_default();
            let ahead = skip - from_chars;
            let bytes = from_bytes
                + rest
                    .char_indices()
                    .nth(ahead)
                    .map_or(rest.len(), |(offset, _)| offset);
            cursor = (index, skip, bytes);
            Some((line.get(bytes..).unwrap_or_default(), skip))
        });
        // Secondary places are few: their lines are looked up directly.
        let places: Vec<Loc> = diagnostic
            .secondary
            .iter()
            .map(|label| locate(&label.file, label.span))
            .collect();
        let secondary = diagnostic.secondary_windows(&places, |loc| {
            let (text, lines) = shown?;
            let line = lines.line(text, usize::try_from(loc.line).ok()?.checked_sub(1)?)?;
            let skip = window_start(loc);
            Some((skip_chars(line, skip), skip))
        });
        emit(&diagnostic.render_window(loc, window, &places, &secondary, palette));
    }
}

/// `text` from its `n`th character on ("" when it is shorter).
fn skip_chars(text: &str, n: usize) -> &str {
    let at = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    text.get(at..).unwrap_or_default()
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

    /// A small deterministic generator, so that failures reproduce.
    fn words(seed: u64, count: usize, alphabet: &[char], max_len: usize) -> Vec<String> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        (0..count)
            .map(|_| {
                let len = next(max_len + 1);
                (0..len).map(|_| alphabet[next(alphabet.len())]).collect()
            })
            .collect()
    }

    #[test]
    fn the_banded_distance_is_the_distance_within_its_bound() {
        let alphabet = ['a', 'b', 'c', 'É', 'é', 'İ'];
        let list = words(7, 300, &alphabet, 9);
        for a in &list {
            for b in list.iter().take(40) {
                let exact = edit_distance(a, b);
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for max in 0..=10 {
                    let within = distance_within(&ca, &cb, max);
                    assert_eq!(within, (exact <= max).then_some(exact), "{a:?} {b:?} {max}");
                }
            }
        }
    }

    #[test]
    fn the_suggester_answers_as_nearest_does() {
        let alphabet = ['k', 'a', 'z', 'K', 'A', '-', '1'];
        let candidates = words(3, 400, &alphabet, 8);
        let queries = words(5, 300, &alphabet, 9);
        let work = Work::default();
        let suggester = Suggester::new(candidates.iter().map(String::as_str), &work);
        for query in &queries {
            let expected = nearest(query, candidates.iter().map(String::as_str));
            assert_eq!(suggester.nearest(query), expected, "{query:?}");
            // Asked again: the remembered answer.
            assert_eq!(suggester.nearest(query), expected, "{query:?}");
        }
        assert!(work.left() < SUGGEST_WORK);
    }

    #[test]
    fn a_spent_allowance_stops_suggestions_and_nothing_else() {
        let ids: Vec<String> = (0..1_000).map(|i| format!("s{i:04}")).collect();
        // A look-up of a 5-character word costs at most 5 × 3 cells a candidate.
        let work = Work::new(30_000);
        let suggester = Suggester::new(ids.iter().map(String::as_str), &work);
        assert_eq!(suggester.nearest("s0001"), Some("s0001"));
        assert_eq!(suggester.nearest("x0002"), Some("s0002"));
        let answered = (0..1_000)
            .filter(|i| suggester.nearest(&format!("x{i:04}")).is_some())
            .count();
        assert!(answered > 1 && answered < 1_000, "{answered}");
        assert_eq!(suggester.nearest("x0999"), None);
        // Remembered answers cost nothing and stay.
        assert_eq!(suggester.nearest("x0002"), Some("s0002"));
        assert_eq!(work.left(), 0);
    }

    #[test]
    fn render_all_renders_as_render_does() {
        let text = "a: 1\r\n  x: 2\n\n\tt: [é, é, é]\r\nlast\r";
        let long = format!("k: [{}]\n", "élan, ".repeat(100));
        let mut diagnostics = Vec::new();
        for (line, column) in [(1, 1), (2, 3), (3, 1), (4, 5), (4, 9), (5, 2), (5, 9)] {
            diagnostics.push(Diagnostic::new(
                Code::UnknownKey,
                "a.yaml",
                at(text, line, column),
                "m",
            ));
        }
        for column in [1, 70, 200, 201, 450, 601, 700] {
            diagnostics.push(
                Diagnostic::new(Code::UnknownKey, "b.yaml", at(&long, 1, column), "m")
                    .with_width(3)
                    .with_label("here"),
            );
        }
        diagnostics.push(Diagnostic::new(
            Code::UnknownKey,
            "b.yaml",
            at(&long, 1, 90),
            "back",
        ));
        diagnostics.push(Diagnostic::at_start(Code::UnknownKey, "gone.yaml", "m"));
        let source = |file: &str| match file {
            "a.yaml" => Some(text),
            "b.yaml" => Some(long.as_str()),
            _ => None,
        };
        let indexes = [LineIndex::new(text), LineIndex::new(&long)];
        let texts = |file: &str, _: Span| match file {
            "a.yaml" => Some((text, &indexes[0])),
            "b.yaml" => Some((long.as_str(), &indexes[1])),
            _ => None,
        };
        let mut all = Vec::new();
        render_all(&diagnostics, texts, |r| all.push(r.to_string()));
        let one_by_one: Vec<String> = diagnostics
            .iter()
            .map(|d| d.render(source(&d.file)))
            .collect();
        assert_eq!(all, one_by_one);
    }

    /// The span of the character at `line` and `column` (1-based) of `text`.
    fn at(text: &str, line: u32, column: usize) -> Span {
        let start = LineIndex::new(text).line_start(line).unwrap_or(text.len());
        let rest = text.get(start..).unwrap_or_default();
        let offset = rest
            .char_indices()
            .nth(column - 1)
            .map_or(rest.len(), |(i, _)| i);
        Span::new(start + offset, start + offset + 1)
    }

    #[test]
    fn the_header_word_is_the_severity_and_secondary_places_follow() {
        let text = "- id: a\n- id: b\n- id: a\n";
        let other = "\n\n\n x\n";
        let d = Diagnostic::new(
            Code::DuplicateId,
            "a.yaml",
            at(text, 3, 7),
            "duplicate id `a`",
        )
        .with_severity(Severity::Warning)
        .with_secondary("a.yaml", at(text, 1, 7), 1, "first defined here")
        .with_secondary("b.yaml", at(other, 4, 2), 3, "and used here")
        .with_help("rename one");
        let expected = [
            "warning[duplicate-id]: duplicate id `a`",
            " --> a.yaml:3:7",
            "  |",
            "3 | - id: a",
            "  |       ^",
            "  |",
            "1 | - id: a",
            "  |       - first defined here",
            " ::: b.yaml:4:2",
            "  | and used here",
            "  = help: rename one",
            "",
        ];
        // A place in another file is shown without its line.
        let indexes = [LineIndex::new(text), LineIndex::new(other)];
        let texts = |file: &str, _: Span| match file {
            "a.yaml" => Some((text, &indexes[0])),
            "b.yaml" => Some((other, &indexes[1])),
            _ => None,
        };
        let mut all = String::new();
        render_all(std::slice::from_ref(&d), texts, |r| all.push_str(r));
        assert_eq!(all, expected.join("\n"));
        // `render` has the text of the diagnostic's own file only.
        assert_eq!(
            d.render(Some(text)),
            expected.join("\n").replace("b.yaml:4:2", "b.yaml:1:1")
        );
        assert_eq!(
            Diagnostic::at_start(Code::Usage, "f", "m").severity,
            Severity::Error
        );
    }

    #[test]
    fn render_puts_caret_under_column() {
        let d = Diagnostic::new(
            Code::UnknownKey,
            "a.yaml",
            Span::new(7, 8),
            "unknown key `x`",
        )
        .with_width(1)
        .with_help("did you mean `y`?");
        let text = d.render(Some("a: 1\n  x: 2\n"));
        assert_eq!(
            text,
            "error[unknown-key]: unknown key `x`\n --> a.yaml:2:3\n  |\n2 |   x: 2\n  |   ^\n  = help: did you mean `y`?\n"
        );
    }
}
