//! Places in a document as the protocol counts them: a line (0-based) and a
//! character offset in UTF-16 code units (LSP's default position encoding),
//! converted from and to the library's byte offsets and `Loc`s (1-based
//! line, column in characters).

use crate::source::{LineIndex, Loc};
use lsp_types::{Position, Range};

/// A document's text with its line index, for converting places.
pub struct Text<'t> {
    pub text: &'t str,
    lines: LineIndex,
}

impl<'t> Text<'t> {
    pub fn new(text: &'t str) -> Self {
        Text {
            text,
            lines: LineIndex::new(text),
        }
    }

    /// Line `index` (0-based) without its line break; "" past the end.
    pub fn line(&self, index: usize) -> &'t str {
        self.lines.line(self.text, index).unwrap_or_default()
    }

    /// How many lines the text has (a final line break ends the last).
    pub fn line_count(&self) -> usize {
        self.text.matches('\n').count() + 1
    }

    /// The byte offset where line `index` (0-based) starts; the text's end past it.
    fn line_start(&self, index: usize) -> usize {
        u32::try_from(index + 1)
            .ok()
            .and_then(|line| self.lines.line_start(line))
            .unwrap_or(self.text.len())
    }

    /// The protocol's position of `loc`, `width` characters on (clamped to
    /// the line's end), as a range.
    pub fn range(&self, loc: Loc, width: usize) -> Range {
        let index = usize::try_from(loc.line.saturating_sub(1)).unwrap_or(0);
        let line = self.line(index);
        let skip = usize::try_from(loc.column.saturating_sub(1)).unwrap_or(0);
        let start: usize = line.chars().take(skip).map(char::len_utf16).sum();
        let end: usize = line
            .chars()
            .skip(skip)
            .take(width)
            .map(char::len_utf16)
            .sum();
        let line = u32::try_from(index).unwrap_or(u32::MAX);
        Range::new(
            Position::new(line, utf16(start)),
            Position::new(line, utf16(start + end)),
        )
    }

    /// `range`, or where it is empty at the end of a line (an error at the
    /// end of the file: "expected `}`"), the line's last character, so that
    /// an editor has something to underline; after a final line break, the
    /// last character of the line before.
    pub fn visible(&self, range: Range) -> Range {
        if range.start != range.end {
            return range;
        }
        let mut index = usize::try_from(range.start.line).unwrap_or(usize::MAX);
        let mut line = self.line(index);
        if line.is_empty() && index > 0 && index + 1 >= self.line_count() {
            index -= 1;
            line = self.line(index);
        }
        let width: usize = line.chars().map(char::len_utf16).sum();
        let at = if index == usize::try_from(range.start.line).unwrap_or(usize::MAX) {
            usize::try_from(range.start.character).unwrap_or(usize::MAX)
        } else {
            width
        };
        match line.chars().last() {
            Some(last) if at >= width => {
                let line = u32::try_from(index).unwrap_or(u32::MAX);
                Range::new(
                    Position::new(line, utf16(width - last.len_utf16())),
                    Position::new(line, utf16(width)),
                )
            }
            _ => range,
        }
    }

    /// From `loc` to the end of its line (at least one character).
    pub fn rest_of_line(&self, loc: Loc) -> Range {
        let index = usize::try_from(loc.line.saturating_sub(1)).unwrap_or(0);
        let width = self.line(index).chars().count();
        self.range(loc, width.max(1))
    }

    /// The byte offset of a protocol position: a character past the line's
    /// end is its end, a line past the text's end the text's end, and an
    /// offset inside a surrogate pair the character's start.
    pub fn offset(&self, position: Position) -> usize {
        let index = usize::try_from(position.line).unwrap_or(usize::MAX);
        let start = self.line_start(index);
        let line = self.line(index);
        let wanted = usize::try_from(position.character).unwrap_or(usize::MAX);
        let mut units = 0;
        for (at, c) in line.char_indices() {
            units += c.len_utf16();
            if units > wanted {
                return start + at;
            }
        }
        start + line.len()
    }

    /// The 1-based line and character column of a byte offset.
    pub fn loc(&self, offset: usize) -> Loc {
        self.lines.loc(self.text, offset)
    }

    /// The protocol position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        self.range(self.loc(offset), 0).start
    }
}

fn utf16(units: usize) -> u32 {
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// Whether `c` may be part of an id, a rule id, a key or a vocabulary word.
pub fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// The word around byte `offset` of `text` and its byte range.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, std::ops::Range<usize>)> {
    let offset = offset.min(text.len());
    let before = text.get(..offset)?;
    let after = text.get(offset..)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + after
            .char_indices()
            .find(|(_, c)| !is_word(*c))
            .map_or(after.len(), |(i, _)| i);
    let word = text.get(start..end)?;
    (!word.is_empty()).then_some((word, start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_utf16_code_units() {
        // "é" is one UTF-16 unit and two bytes; "𝄞" two units and four bytes.
        let text = Text::new("a: é𝄞x\nb: y\n");
        let range = text.range(Loc::new(1, 5), 2);
        assert_eq!(range.start, Position::new(0, 4));
        assert_eq!(range.end, Position::new(0, 7));
        assert_eq!(text.offset(Position::new(0, 6)), "a: é𝄞".len());
        // Inside the surrogate pair: the character's start.
        assert_eq!(text.offset(Position::new(0, 5)), "a: é".len());
        assert_eq!(text.offset(Position::new(0, 99)), "a: é𝄞x".len());
        assert_eq!(text.offset(Position::new(1, 1)), "a: é𝄞x\nb".len());
        assert_eq!(text.offset(Position::new(9, 0)), text.text.len());
        assert_eq!(text.position("a: é𝄞x\nb".len()), Position::new(1, 1));
        // A width past the line's end stops at it.
        assert_eq!(text.range(Loc::new(2, 4), 50).end, Position::new(1, 4));
    }

    #[test]
    fn a_word_is_an_id_with_its_dashes() {
        let text = "to: AFG-taliban, x";
        assert_eq!(word_at(text, 6).map(|w| w.0), Some("AFG-taliban"));
        assert_eq!(word_at(text, 4).map(|w| w.0), Some("AFG-taliban"));
        assert_eq!(word_at(text, 15).map(|w| w.0), Some("AFG-taliban"));
        assert_eq!(word_at(text, 16), None);
        assert_eq!(word_at("", 3), None);
    }
}
