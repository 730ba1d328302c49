//! The one source model: which loaded text a place is in (`SourceId`, an
//! index into `io::Sources`), where in it (`Span`, a byte range), and the
//! `LineIndex` that turns a byte offset into the line and column a user
//! reads (`Loc`). Line and column are a rendering-time view: a text's line
//! index is built once (`io::Source::lines`) and searched by bisection.

use serde::Serialize;

/// An index into `io::Sources`. A `u32` keeps a `Span` at 12 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SourceId(pub u32);

impl SourceId {
    /// No source: a span of a text not in `io::Sources` (a claim's text,
    /// a test's), which `Sources::get` finds nothing for.
    pub const NONE: SourceId = SourceId(u32::MAX);
}

impl Default for SourceId {
    fn default() -> Self {
        SourceId::NONE
    }
}

/// Byte offsets `[start, end)` into one source's text. Offsets are `u32`: a
/// text is at most `YamlLimits::max_bytes` (64 MiB), far below 4 GiB.
/// Ordered by source, then start: within one text, as its places read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize)]
pub struct Span {
    #[serde(skip)]
    pub source: SourceId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span of `[start, end)` in the source the caller is parsing; offsets
    /// past `u32::MAX` (never reached under the size limits) saturate.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            source: SourceId::default(),
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// The span `[start, end)` in the same source.
    pub fn with(self, start: usize, end: usize) -> Span {
        Span {
            source: self.source,
            ..Span::new(start, end)
        }
    }

    /// The smallest span covering both (of `self`'s source).
    pub fn to(self, other: Span) -> Span {
        Span {
            source: self.source,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The span `[start, end)` of `source`.
    pub fn of_source(source: SourceId, start: usize, end: usize) -> Span {
        Span {
            source,
            ..Span::new(start, end)
        }
    }

    /// The start as an index into the text.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// The end as an index into the text.
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// The text it covers, if `text` is its source's.
    pub fn of(self, text: &str) -> Option<&str> {
        text.get(self.start()..self.end())
    }
}

/// A 1-based line and column (in characters) in a source file: what a
/// renderer prints, derived from a byte offset through a `LineIndex`.
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

/// Where each line of a text starts (0, and after each `\n`), computed once
/// per text, so that locating many offsets costs a bisection each instead
/// of a scan from the start (which made locating many places quadratic).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// Byte offset where line `line` (1-based) starts.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.starts.get(index).copied()
    }

    /// Line `index` (0-based) of `text`, the text this index was built from,
    /// as `text.lines().nth(index)` gives it.
    pub fn line<'t>(&self, text: &'t str, index: usize) -> Option<&'t str> {
        let start = *self.starts.get(index)?;
        match self.starts.get(index + 1) {
            Some(next) => {
                let line = text.get(start..next - 1)?;
                Some(line.strip_suffix('\r').unwrap_or(line))
            }
            // After a final `\n` there is no line; `lines` drops a `\r` only
            // before a `\n`.
            None if start == text.len() => None,
            None => text.get(start..),
        }
    }

    /// The line and column of byte `offset` of `text`, the text this index
    /// was built from. An offset past the end, or inside a character, is
    /// clamped to a valid place.
    pub fn loc(&self, text: &str, offset: usize) -> Loc {
        let offset = clamp(text, offset);
        let (line, start) = self.line_of(offset);
        let column = 1 + text.get(start..offset).map_or(0, |s| s.chars().count());
        loc(line, column)
    }

    /// The 1-based line holding byte `offset` of `text` (no column: no
    /// count of the characters before it).
    pub fn line_number(&self, text: &str, offset: usize) -> u32 {
        let (line, _) = self.line_of(clamp(text, offset));
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// `loc`, counting on from the place `cursor` last found when `offset`
    /// is further along the same line (many rules on one line cost that
    /// line's length once, not once each).
    pub fn loc_from(&self, text: &str, offset: usize, cursor: &Cursor) -> Loc {
        let offset = clamp(text, offset);
        let (line, start) = self.line_of(offset);
        let (last, last_column) = cursor.0.get();
        let (from, column) = if (start..=offset).contains(&last) {
            (last, last_column)
        } else {
            (start, 1)
        };
        let column = column + text.get(from..offset).map_or(0, |s| s.chars().count());
        cursor.0.set((offset, column));
        loc(line, column)
    }

    /// The 1-based line holding `offset` and the byte where it starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        (line, self.starts.get(line - 1).copied().unwrap_or(0))
    }
}

/// A scenario's text and its line index, shared by the scenario and every
/// result located in it (a `Location` is a span and the `Located` it is
/// in, turned into a line and column only when shown); validation reads it
/// for messages that name another place's line ("first defined at line 4").
/// `base` locates the spans of another source: a proposals file checked
/// against a scenario holds the scenario's text.
#[derive(Debug, Default)]
pub struct Located {
    pub source: SourceId,
    text: String,
    /// Built when a place is first located (most scenarios have no error).
    lines: std::sync::OnceLock<LineIndex>,
    base: Option<std::sync::Arc<Located>>,
}

impl Located {
    pub fn new(source: SourceId, text: &str) -> Self {
        Located::owned(source, text.to_string())
    }

    /// `new`, taking the text rather than copying it.
    pub fn owned(source: SourceId, text: String) -> Self {
        Located {
            source,
            text,
            lines: std::sync::OnceLock::new(),
            base: None,
        }
    }

    /// This text, and `base` for spans of another source.
    pub fn over(mut self, base: std::sync::Arc<Located>) -> Self {
        self.base = Some(base);
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The line and column `span` starts at.
    pub fn loc(&self, span: Span) -> Loc {
        match &self.base {
            Some(base) if span.source != self.source => base.loc(span),
            _ => self.lines().loc(&self.text, span.start()),
        }
    }

    /// The line `span` starts at.
    pub fn line(&self, span: Span) -> u32 {
        match &self.base {
            Some(base) if span.source != self.source => base.line(span),
            _ => self.lines().line_number(&self.text, span.start()),
        }
    }
}

/// Where a finding, claim, waiver or rule comes from, as results carry it:
/// a span of the text it was written in, located (line and column) only when it is shown — by a
/// renderer, or serialized as `{file, line, column}`. It holds the text it
/// is in (shared, not copied), as ruff's messages hold their source file,
/// so that any result can be shown without the run's source table.
#[derive(Clone)]
pub struct Location {
    pub file: String,
    /// Where in `text` (of `SourceId::NONE` where only a `Loc` is known).
    pub span: Span,
    at: At,
}

#[derive(Clone)]
enum At {
    /// The text the span is in (and, for a proposals file, the scenario's).
    Text(std::sync::Arc<Located>),
    /// A place known only by its line and column: an input error's
    /// (`Diagnostic::unplaced`, or a file no source holds).
    Loc(Loc),
}

impl Location {
    /// `span` of `text`, as `file` is named in reports.
    pub fn in_text(file: &str, span: Span, text: &std::sync::Arc<Located>) -> Location {
        Location {
            file: file.to_string(),
            span,
            at: At::Text(text.clone()),
        }
    }

    /// A place known only by line and column.
    pub fn at(file: &str, loc: Loc) -> Location {
        Location {
            file: file.to_string(),
            span: Span::default(),
            at: At::Loc(Loc::new(loc.line, loc.column)),
        }
    }

    /// The line and column the place starts at.
    pub fn loc(&self) -> Loc {
        self.loc_of(self.span)
    }

    pub fn line(&self) -> u32 {
        self.line_of(self.span)
    }

    pub fn column(&self) -> u32 {
        self.loc().column
    }

    /// The line and column of another place of the same text (a fact of
    /// the evidence); a place known only by line and column has no other.
    pub fn loc_of(&self, span: Span) -> Loc {
        match &self.at {
            At::Text(text) => text.loc(span),
            At::Loc(loc) => *loc,
        }
    }

    /// The line of another place of the same text (see `loc_of`).
    pub fn line_of(&self, span: Span) -> u32 {
        match &self.at {
            At::Text(text) => text.line(span),
            At::Loc(loc) => loc.line,
        }
    }
}

/// Places compare, hash and print as a user reads them: file, line, column.
impl PartialEq for Location {
    fn eq(&self, other: &Self) -> bool {
        self.file == other.file && self.loc() == other.loc()
    }
}

impl Eq for Location {}

impl std::hash::Hash for Location {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (&self.file, self.loc()).hash(state);
    }
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let loc = self.loc();
        write!(f, "{}:{}:{}", self.file, loc.line, loc.column)
    }
}

impl Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let loc = self.loc();
        let mut out = serializer.serialize_struct("Location", 3)?;
        out.serialize_field("file", &self.file)?;
        out.serialize_field("line", &loc.line)?;
        out.serialize_field("column", &loc.column)?;
        out.end()
    }
}

/// Where a text embedded in a source was written: a claim's rule text in a
/// YAML scalar. Its value's byte `i` was written at byte `start + i` of the
/// source when the scalar is written as its value is (plain on one line,
/// quoted without escapes); else (escapes, doubled quotes, folded lines,
/// block scalars) `map` holds where each byte of the value, and its end,
/// was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embedding {
    pub start: u32,
    pub map: Vec<u32>,
}

impl Embedding {
    /// From where each byte of the value and its end were written: kept
    /// only when it is not `start + i`.
    pub fn from_map(start: usize, map: Vec<u32>) -> Self {
        let start = map.first().map_or(start, |&s| s as usize);
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let plain = map
            .iter()
            .enumerate()
            .all(|(i, &at)| u32::try_from(i).is_ok_and(|i| start.checked_add(i) == Some(at)));
        Embedding {
            start,
            map: if plain { Vec::new() } else { map },
        }
    }

    /// The byte of the source that byte `offset` of the value was written at
    /// (past the value's end: counted on from its end).
    pub fn offset(&self, offset: usize) -> usize {
        match self.map.last() {
            None => self.start as usize + offset,
            Some(&end) => match self.map.get(offset) {
                Some(&at) => at as usize,
                None => end as usize + (offset + 1 - self.map.len()),
            },
        }
    }

    /// `span` of the value as a span of `source`: its start where its first
    /// byte was written, its end after its last byte.
    pub fn span(&self, source: SourceId, span: Span) -> Span {
        let start = self.offset(span.start());
        let end = if span.end > span.start {
            self.offset(span.end() - 1) + 1
        } else {
            start
        };
        Span::of_source(source, start, end.max(start))
    }
}

/// The last offset `LineIndex::loc_from` located, and its column.
#[derive(Debug)]
pub struct Cursor(std::cell::Cell<(usize, usize)>);

impl Default for Cursor {
    fn default() -> Self {
        Cursor(std::cell::Cell::new((0, 1)))
    }
}

/// `offset`, moved back onto `text` and onto a character boundary.
fn clamp(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn loc(line: usize, column: usize) -> Loc {
    Loc::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// The line and column of byte `offset` in `text`, for a single look-up
/// (no index kept). An offset past the end, or inside a character, is
/// clamped to a valid place.
pub fn loc_at(text: &str, offset: usize) -> Loc {
    let offset = clamp(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    loc(line, before[line_start..].chars().count() + 1)
}

/// The byte of `text` (indexed by `lines`) at `loc`, if one is (locating
/// it gives `loc` back): not past a line's end, nor past the text's.
pub fn offset_at(text: &str, lines: &LineIndex, loc: Loc) -> Option<usize> {
    let start = lines.line_start(loc.line)?;
    let rest = text.get(start..)?;
    let skip = usize::try_from(loc.column).ok()?.checked_sub(1)?;
    let at = start
        + match rest.char_indices().nth(skip) {
            Some((at, _)) => at,
            None if rest.chars().count() == skip => rest.len(),
            None => return None,
        };
    (lines.loc(text, at) == loc).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_is_twelve_bytes() {
        assert_eq!(std::mem::size_of::<Span>(), 12);
    }

    #[test]
    fn the_line_index_locates_as_loc_at_does() {
        let text = "ab\nçé\n\n  x y\r\nlast é\n";
        let index = LineIndex::new(text);
        let cursor = Cursor::default();
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        // In order, backwards, and jumping about.
        for offset in offsets
            .iter()
            .chain(offsets.iter().rev())
            .chain([7, 2, 9, 0, 30, 3].iter())
        {
            let expected = loc_at(text, *offset);
            assert_eq!(index.loc(text, *offset), expected, "{offset}");
            assert_eq!(index.loc_from(text, *offset, &cursor), expected, "{offset}");
        }
        assert_eq!(LineIndex::new("").loc("", 5), loc_at("", 5));
    }

    #[test]
    fn lines_are_those_str_lines_gives() {
        for text in [
            "",
            "a",
            "a\n",
            "a\n\n",
            "a\r\nb\r\n",
            "a\nb",
            "a\r",
            "\n",
            "x\r\ny\r",
        ] {
            let index = LineIndex::new(text);
            let lines: Vec<&str> = (0..).map_while(|i| index.line(text, i)).collect();
            assert_eq!(lines, text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }
}
