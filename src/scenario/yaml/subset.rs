//! A fast reader for the plain subset of YAML that scenario files are written in.
//!
//! serde-saphyr reads about 5 MB/s here, which made YAML ~75 % of checking a
//! large world. Scenario files use a small part of YAML: block mappings and
//! sequences, one-line flow collections, plain and one-line quoted scalars,
//! comments. This reader handles exactly that part and returns `None` the
//! moment it meets anything else (anchors, tags, block scalars, multi-line
//! scalars, odd scalars such as `1.5` or `.inf`, tabs, errors of any kind), and
//! `yaml::parse` then reads the whole text again with serde-saphyr. So the
//! fallback decides every hard case, and every error message comes from it.
//!
//! Where this reader answers, it must answer what serde-saphyr would: the same
//! tree, the same values, the same locations (including serde-saphyr's own
//! choices, such as a block sequence located at its first dash). That is
//! tested against serde-saphyr on the fixtures, on generated documents and by
//! the `load_scenario` fuzz target.

use super::{Node, Value, YamlLimits};
use crate::source::Span;
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Reads `text` if it lies within the subset; `None` means "ask serde-saphyr".
pub fn parse<'t>(text: &'t str, limits: &YamlLimits) -> Option<Node<'t>> {
    parse_split(text, limits, SPLIT_MIN)
}

/// Below this size a file is read on one thread.
const SPLIT_MIN: usize = 1 << 20;

/// `parse`, reading large top-level sequences in pieces on all cores when the
/// file has at least `split_min` bytes (a parameter so that tests and fuzzing
/// can exercise the split on small texts).
pub fn parse_split<'t>(text: &'t str, limits: &YamlLimits, split_min: usize) -> Option<Node<'t>> {
    if !plain_characters(text) {
        return None;
    }
    if text.len() >= split_min {
        let workers = crate::parallel::cores();
        // `None`: not a top-level mapping, so read it whole below. `Some(None)`:
        // a piece is outside the subset, and so would the whole text be.
        if workers > 1
            && let Some(read) = split::parse(text, limits, workers, split_min / 4)
        {
            // A block mapping is located at its first key, as serde-saphyr does.
            return read.map(|root| Node {
                span: match &root {
                    Value::Map(entries) => entries.first().map_or(Span::default(), |(k, _)| k.span),
                    _ => Span::default(),
                },
                value: root,
            });
        }
    }
    let mut reader = Reader::new(text, 0..text.len(), 1, limits);
    reader.skip_document_start()?;
    let first = reader.peek()?;
    if first.indent != 0 {
        return None;
    }
    let root = reader.block_collection(first, first.start, 1)?;
    if reader.peek().is_some() {
        return None;
    }
    Some(root)
}

/// A large file read for a caller that decodes each long list a piece at
/// a time: the tree of a piece is dropped as soon as it is decoded, so that
/// the tree of the whole file and the model decoded from it never coexist
/// (issue 12: peak memory). It reads what `parse_split` reads, cut the same
/// way (its pieces of a long list at most `PIECE_MAX` bytes, so that only a
/// few pieces' trees are alive at once); what a caller decodes from it is
/// what it would decode from `parse_split`'s tree.
pub struct Split<'t> {
    text: &'t str,
    limits: YamlLimits,
    /// The root mapping, its short sections read whole. The value of a key
    /// whose long sequence is cut into pieces is an empty list at the
    /// sequence's place; `read_list` reads its entries.
    root: Node<'t>,
    /// Per entry of the root, the pieces of its long sequence (none for a
    /// section read whole).
    lists: Vec<Vec<split::Piece>>,
    /// Whether each long list has been read.
    read: Vec<AtomicBool>,
    nodes: AtomicUsize,
    /// A piece was outside the subset: the whole file is serde-saphyr's.
    outside: AtomicBool,
}

/// The most bytes of a long list that `Split` reads in one piece: about
/// 5 MB of tree each, a few alive at once.
const PIECE_MAX: usize = 1 << 20;

/// `Split`s a text of at least `split_min` bytes that lies in the subset
/// (as far as its short sections show); `None` for any other text, which
/// `parse` reads whole.
pub fn split<'t>(text: &'t str, limits: &YamlLimits, split_min: usize) -> Option<Split<'t>> {
    if text.len() < split_min || !plain_characters(text) {
        return None;
    }
    let workers = crate::parallel::cores();
    let pieces = split::cut(text, workers, (split_min / 4).max(1), PIECE_MAX)?;
    let nodes = AtomicUsize::new(0);
    let mut entries: Vec<(Node<'t>, Node<'t>)> = Vec::new();
    let mut lists: Vec<Vec<split::Piece>> = Vec::new();
    // Whether each entry's key opens a sequence read in pieces.
    let mut keyed: Vec<bool> = Vec::new();
    for piece in pieces {
        match piece {
            split::Piece::Section(..) => {
                let split::Read::Entry(key, value) = split::read(text, limits, &piece, &nodes)?
                else {
                    return None;
                };
                entries.push((key, value));
                lists.push(Vec::new());
                keyed.push(false);
            }
            split::Piece::Key(..) => {
                let split::Read::Key(key) = split::read(text, limits, &piece, &nodes)? else {
                    return None;
                };
                entries.push((
                    key,
                    Node {
                        value: Value::Null,
                        span: Span::default(),
                    },
                ));
                lists.push(Vec::new());
                keyed.push(true);
            }
            split::Piece::Entries(ref range, _, indent, indentless) => {
                let (Some(list), Some((_, value)), Some(true)) =
                    (lists.last_mut(), entries.last_mut(), keyed.last())
                else {
                    return None;
                };
                if list.is_empty() {
                    // Where the sequence is: its first dash, or (not indented
                    // under its key) its first entry, as `block_sequence`
                    // locates it; `read_list` checks it against the reading.
                    let dash = range.start + indent;
                    let line_end = text
                        .get(dash..)
                        .and_then(|rest| rest.find('\n'))
                        .map_or(text.len(), |n| dash + n);
                    let at = if indentless {
                        skip_spaces(text.as_bytes(), dash + 1, line_end)
                    } else {
                        dash
                    };
                    *value = Node {
                        value: Value::Seq(Vec::new()),
                        span: Span::new(at, at),
                    };
                }
                list.push(piece);
            }
        }
    }
    // A key whose sequence has no entries, no mapping at all, or a repeated key.
    let open = keyed
        .iter()
        .zip(&lists)
        .any(|(keyed, list)| *keyed && list.is_empty());
    if open || entries.is_empty() || has_duplicate_keys(&entries) {
        return None;
    }
    // A block mapping is located at its first key, as serde-saphyr does.
    let span = entries.first().map_or(Span::default(), |(k, _)| k.span);
    Some(Split {
        text,
        limits: *limits,
        root: Node {
            value: Value::Map(entries),
            span,
        },
        read: lists.iter().map(|_| AtomicBool::new(false)).collect(),
        lists,
        nodes,
        outside: AtomicBool::new(false),
    })
}

impl<'t> Split<'t> {
    /// The root mapping (its long sequences empty: see `long_list`).
    pub fn root(&self) -> &Node<'t> {
        &self.root
    }

    /// Which long list `node` stands for, if it is the value of a root key
    /// whose sequence is read in pieces.
    pub fn long_list(&self, node: &Node<'_>) -> Option<usize> {
        let Value::Map(entries) = &self.root.value else {
            return None;
        };
        let node: *const Node<'_> = node;
        entries
            .iter()
            .zip(&self.lists)
            .position(|((_, value), list)| {
                !list.is_empty()
                    && std::ptr::eq(node.cast::<()>(), (value as *const Node<'t>).cast::<()>())
            })
    }

    /// Reads long list `list` a piece at a time on all cores, handing each
    /// piece (a sequence of some of its entries, in order) to `each` and
    /// dropping its tree; the results in list order. `None` when a piece is
    /// outside the subset: then `finish` is `false`.
    pub fn read_list<R: Send>(
        &self,
        list: usize,
        each: impl Fn(&Node<'t>) -> R + Sync,
    ) -> Option<Vec<R>> {
        let (Some(pieces), Some(read)) = (self.lists.get(list), self.read.get(list)) else {
            return None;
        };
        read.store(true, Ordering::Relaxed);
        let first = match &self.root.value {
            Value::Map(entries) => entries.get(list).map(|(_, v)| v.span),
            _ => None,
        };
        let results = crate::parallel::share_out(
            pieces,
            crate::parallel::cores(),
            || (),
            |(), i, piece| {
                let split::Read::Entries(node) =
                    split::read(self.text, &self.limits, piece, &self.nodes)?
                else {
                    return None;
                };
                if i == 0 && Some(node.span) != first {
                    return None;
                }
                Some(each(&node))
            },
        );
        let results: Option<Vec<R>> = results.into_iter().collect();
        if results.is_none() {
            self.outside.store(true, Ordering::Relaxed);
        }
        results
    }

    /// Whether the whole file lies in the subset, within the node limit, as
    /// `parse_split` would have found: the long lists no caller read are read
    /// (and dropped) here. `false`: the file is serde-saphyr's to read.
    pub fn finish(&self) -> bool {
        for (list, read) in self.read.iter().enumerate() {
            if !read.load(Ordering::Relaxed) && self.read_list(list, |_| ()).is_none() {
                return false;
            }
        }
        !self.outside.load(Ordering::Relaxed)
            && self.nodes.load(Ordering::Relaxed) <= self.limits.max_nodes
    }
}

/// Reading a large file in pieces. A top-level mapping is cut into its
/// sections (`key:` at column 1), and a long block sequence under a key is
/// cut at lines that start one of its entries (`- ` at the entry's
/// indentation). In the subset nothing spans lines but block structure, so
/// such a line always starts an entry; each piece is read by its own reader,
/// which must consume exactly its piece, and any piece outside the subset
/// sends the whole file to serde-saphyr.
mod split {
    use super::{Line, Reader, has_duplicate_keys};
    use crate::scenario::yaml::{Node, Value, YamlLimits};
    use std::ops::Range;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// What one reader reads.
    pub(super) enum Piece {
        /// A whole `key: ...` section: a one-entry mapping.
        Section(Range<usize>, u32),
        /// The `key:` line (and comments) that opens a long sequence.
        Key(Range<usize>, u32),
        /// Entries of that sequence, at `indent`; the first piece locates it.
        Entries(Range<usize>, u32, usize, bool),
    }

    pub(super) enum Read<'t> {
        Entry(Node<'t>, Node<'t>),
        Key(Node<'t>),
        Entries(Node<'t>),
    }

    pub(super) fn parse<'t>(
        text: &'t str,
        limits: &YamlLimits,
        workers: usize,
        piece_min: usize,
    ) -> Option<Option<Value<'t>>> {
        let pieces = cut(text, workers, piece_min.max(1), usize::MAX)?;
        let nodes = AtomicUsize::new(0);
        // A piece outside the subset stops everyone: the file goes to serde-saphyr.
        let reads = crate::parallel::share_out(
            &pieces,
            workers,
            || (),
            |(), _, piece| read(text, limits, piece, &nodes),
        );
        if nodes.load(Ordering::Relaxed) > limits.max_nodes {
            return Some(None);
        }
        Some(assemble(reads.into_iter()))
    }

    /// Reads one piece; `None` if it is not exactly what it should be.
    pub(super) fn read<'t>(
        text: &'t str,
        limits: &YamlLimits,
        piece: &Piece,
        nodes: &AtomicUsize,
    ) -> Option<Read<'t>> {
        let (range, number) = match piece {
            Piece::Section(range, number)
            | Piece::Key(range, number)
            | Piece::Entries(range, number, ..) => (range.clone(), *number),
        };
        let mut reader = Reader::new(text, range, number, limits);
        let first = reader.peek()?;
        let read = match piece {
            Piece::Section(..) => {
                if first.indent != 0 {
                    return None;
                }
                let Node {
                    value: Value::Map(mut entries),
                    ..
                } = reader.block_mapping(first, first.start, 1)?
                else {
                    return None;
                };
                let (key, value) = entries.pop()?;
                if !entries.is_empty() {
                    return None;
                }
                Read::Entry(key, value)
            }
            Piece::Key(..) => {
                let (colon, key) = reader.key_end(first, first.start)?;
                let rest = super::skip_spaces(reader.bytes, colon + 1, first.end);
                if first.indent != 0 || (rest != first.end && reader.bytes[rest] != b'#') {
                    return None;
                }
                reader.nodes += 1;
                reader.advance();
                Read::Key(key)
            }
            Piece::Entries(_, _, indent, indentless) => {
                if first.indent != *indent || !reader.is_dash(first, first.start + indent) {
                    return None;
                }
                Read::Entries(reader.block_sequence(first, first.start + indent, 2, *indentless)?)
            }
        };
        if reader.peek().is_some() {
            return None;
        }
        nodes.fetch_add(reader.nodes, Ordering::Relaxed);
        Some(read)
    }

    /// The root mapping from the pieces' readings, in order.
    fn assemble<'t>(reads: impl Iterator<Item = Option<Read<'t>>>) -> Option<Value<'t>> {
        let mut entries: Vec<(Node<'t>, Node<'t>)> = Vec::new();
        let mut open: Option<(Node<'t>, Option<Node<'t>>)> = None;
        let close = |open: &mut Option<(Node<'t>, Option<Node<'t>>)>,
                     entries: &mut Vec<(Node<'t>, Node<'t>)>| {
            match open.take() {
                Some((key, Some(value))) => {
                    entries.push((key, value));
                    true
                }
                Some((_, None)) => false,
                None => true,
            }
        };
        for read in reads {
            match read? {
                Read::Entry(key, value) => {
                    if !close(&mut open, &mut entries) {
                        return None;
                    }
                    entries.push((key, value));
                }
                Read::Key(key) => {
                    if !close(&mut open, &mut entries) {
                        return None;
                    }
                    open = Some((key, None));
                }
                Read::Entries(node) => {
                    let (_, sequence) = open.as_mut()?;
                    match sequence {
                        None => *sequence = Some(node),
                        Some(Node {
                            value: Value::Seq(items),
                            ..
                        }) => {
                            if let Value::Seq(more) = node.value {
                                items.extend(more);
                            }
                        }
                        Some(_) => return None,
                    }
                }
            }
        }
        if !close(&mut open, &mut entries) || entries.is_empty() || has_duplicate_keys(&entries) {
            return None;
        }
        Some(Value::Map(entries))
    }

    /// Cuts the text into pieces (of a long sequence: at most `piece_max`
    /// bytes where entries allow); `None` if it does not look like a
    /// top-level mapping of the subset.
    pub(super) fn cut(
        text: &str,
        workers: usize,
        piece_min: usize,
        piece_max: usize,
    ) -> Option<Vec<Piece>> {
        let bytes = text.as_bytes();
        // Sections: content lines at column 1 that do not start an entry.
        let mut sections: Vec<(usize, u32)> = Vec::new();
        let mut lines = Lines {
            text,
            end: text.len(),
            at: 0,
            number: 1,
        };
        while let Some(line) = lines.next_content() {
            let document_start = text
                .get(line.start..line.end)
                .map(|l| l.trim_end_matches(' '))
                == Some("---");
            if sections.is_empty() && document_start {
                continue; // read as the whole-text reader does: skipped
            }
            if line.indent == 0 && !is_dash(bytes, &line) {
                sections.push((line.start, line.number));
            } else if sections.is_empty() {
                return None;
            }
        }
        let mut pieces = Vec::new();
        for (i, &(start, number)) in sections.iter().enumerate() {
            let end = sections.get(i + 1).map_or(bytes.len(), |&(next, _)| next);
            if end - start < 2 * piece_min {
                pieces.push(Piece::Section(start..end, number));
                continue;
            }
            let sizes = (piece_min, piece_max);
            cut_sequence(text, start..end, number, workers, sizes, &mut pieces);
        }
        Some(pieces)
    }

    /// A long section: its key line, then its sequence in pieces of at least
    /// `piece_min` bytes, about four per worker. Anything else stays whole.
    fn cut_sequence(
        text: &str,
        section: Range<usize>,
        number: u32,
        workers: usize,
        (piece_min, piece_max): (usize, usize),
        pieces: &mut Vec<Piece>,
    ) {
        let bytes = text.as_bytes();
        let mut lines = Lines {
            text,
            end: section.end,
            at: section.start,
            number,
        };
        let _key = lines.next_content();
        let Some(first) = lines.next_content() else {
            pieces.push(Piece::Section(section, number));
            return;
        };
        if !is_dash(bytes, &first) {
            pieces.push(Piece::Section(section, number));
            return;
        }
        let indent = first.indent;
        pieces.push(Piece::Key(section.start..first.start, number));
        let size = ((section.end - first.start) / (4 * workers))
            .min(piece_max)
            .max(piece_min);
        let (mut piece_start, mut piece_number) = (first.start, first.number);
        let mut target = piece_start + size;
        while let Some(line) = lines.next_content() {
            if line.start >= target && line.indent == indent && is_dash(bytes, &line) {
                pieces.push(Piece::Entries(
                    piece_start..line.start,
                    piece_number,
                    indent,
                    // Only the first piece starts the sequence itself.
                    indent == 0 && piece_start == first.start,
                ));
                (piece_start, piece_number) = (line.start, line.number);
                target = piece_start + size;
            }
        }
        pieces.push(Piece::Entries(
            piece_start..section.end,
            piece_number,
            indent,
            indent == 0 && piece_start == first.start,
        ));
    }

    fn is_dash(bytes: &[u8], line: &Line) -> bool {
        let at = line.start + line.indent;
        bytes.get(at) == Some(&b'-') && (at + 1 == line.end || bytes.get(at + 1) == Some(&b' '))
    }

    /// Content lines (not blank, not only a comment) with their numbers.
    struct Lines<'t> {
        text: &'t str,
        /// Where to stop: the end of the text or of a section.
        end: usize,
        at: usize,
        number: u32,
    }

    impl Lines<'_> {
        fn next_content(&mut self) -> Option<Line> {
            let line = super::content_line(self.text, self.at, self.end, self.number)?;
            (self.at, self.number) = (line.end + 1, line.number.saturating_add(1));
            Some(line)
        }
    }

    /// How a file is cut decides only speed, never the tree (the tests of
    /// `parse_split` compare trees); these pin the cutting itself: short
    /// sections whole, a long sequence in about four pieces per worker, each
    /// at least `piece_min` bytes, the pieces covering the text in order.
    #[cfg(test)]
    mod tests {
        use super::*;

        fn ranges(pieces: &[Piece]) -> Vec<(&'static str, Range<usize>, u32)> {
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Section(r, n) => ("section", r.clone(), *n),
                    Piece::Key(r, n) => ("key", r.clone(), *n),
                    Piece::Entries(r, n, _, _) => ("entries", r.clone(), *n),
                })
                .collect()
        }

        #[test]
        fn a_long_sequence_is_cut_in_about_four_pieces_per_worker() {
            // Synthetic: 1,000 states of 14 bytes, between two short sections.
            let mut text = String::from("scenario: t\nsources:\n  - id: a\n  - id: b\nstates:\n");
            for i in 0..1_000 {
                text.push_str(&format!("  - id: s{i:04}\n"));
            }
            let pieces = cut(&text, 2, 256, usize::MAX).unwrap_or_default();
            let ranges = ranges(&pieces);
            let kinds: Vec<&str> = ranges.iter().map(|(k, ..)| *k).collect();
            assert_eq!(&kinds[..3], ["section", "section", "key"], "{ranges:?}");
            let entries = kinds.iter().filter(|k| **k == "entries").count();
            assert!((7..=9).contains(&entries), "{entries} pieces: {ranges:?}");
            let mut at = 0;
            for (kind, range, number) in &ranges {
                assert_eq!(range.start, at, "pieces in order, without gaps: {ranges:?}");
                let line = 1 + text[..range.start].matches('\n').count();
                assert_eq!(*number as usize, line, "{kind} at byte {}", range.start);
                if *kind == "entries" && range.end < text.len() {
                    assert!(range.len() >= 256, "a piece of {} bytes", range.len());
                }
                at = range.end;
            }
            assert_eq!(at, text.len());
        }
    }
}

/// The first line with content (not blank, not only a comment) from byte
/// `at`, which starts line `number`, before `limit`.
fn content_line(text: &str, mut at: usize, limit: usize, mut number: u32) -> Option<Line> {
    let bytes = text.as_bytes();
    while at < limit {
        let rest = bytes.get(at..limit)?;
        // `str::find` searches with memchr, much faster than a byte loop.
        let end = at + text.get(at..limit)?.find('\n').unwrap_or(rest.len());
        let indent = rest.iter().take_while(|&&b| b == b' ').count();
        let content = at + indent;
        if content < end && bytes[content] != b'#' {
            return Some(Line {
                start: at,
                end,
                indent,
                number,
            });
        }
        at = end + 1;
        number = number.saturating_add(1);
    }
    None
}

/// Only spaces and newlines as white space, no control characters, no
/// byte-order mark, no YAML-1.1 line separators: anything else goes to the
/// full parser.
fn plain_characters(text: &str) -> bool {
    if text.is_ascii() {
        return !text.bytes().any(|b| (b < b' ' && b != b'\n') || b == 0x7f);
    }
    text.chars().all(|c| match c {
        '\n' => true,
        c if c < ' ' => false,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
            false
        }
        _ => true,
    })
}

/// One line with content (not blank, not only a comment).
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Byte offset of the line's first character.
    start: usize,
    /// Byte offset of its end (the newline or the end of the text).
    end: usize,
    /// Leading spaces.
    indent: usize,
    number: u32,
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// End of the part of the text this reader reads (the text's end, or
    /// the end of a piece of it).
    limit: usize,
    /// Byte offset of the next line not yet consumed.
    next: usize,
    next_number: u32,
    peeked: Option<Line>,
    /// Entries of the collections being read, innermost last: each
    /// collection is moved out into a vector of its exact size when done.
    items: Vec<Node<'t>>,
    entries: Vec<(Node<'t>, Node<'t>)>,
    nodes: usize,
    max_nodes: usize,
    max_depth: usize,
}

impl<'t> Reader<'t> {
    /// A reader of `range`, whose first line is line `number` of the file.
    fn new(text: &'t str, range: std::ops::Range<usize>, number: u32, limits: &YamlLimits) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            limit: range.end.min(text.len()),
            next: range.start,
            next_number: number,
            peeked: None,
            items: Vec::new(),
            entries: Vec::new(),
            nodes: 0,
            // Nodes are counted as serde-saphyr counts them (collections and
            // scalars); depth is kept clear of its limit, which it then decides.
            max_nodes: limits.max_nodes,
            max_depth: limits.max_depth.saturating_sub(2).min(24),
        }
    }

    /// The next line with content, without consuming it.
    fn peek(&mut self) -> Option<Line> {
        if self.peeked.is_none() {
            self.peeked = self.scan_line();
        }
        self.peeked
    }

    /// Consumes the line last peeked.
    fn advance(&mut self) {
        if let Some(line) = self.peeked.take() {
            self.next = line.end + 1;
            self.next_number = line.number.saturating_add(1);
        }
    }

    fn scan_line(&mut self) -> Option<Line> {
        let line = content_line(self.text, self.next, self.limit, self.next_number)?;
        (self.next, self.next_number) = (line.start, line.number);
        Some(line)
    }

    /// A `---` first line is allowed; directives and later markers are not.
    fn skip_document_start(&mut self) -> Option<()> {
        let line = self.peek()?;
        let content = &self.text[line.start..line.end];
        if let Some(rest) = content.strip_prefix("---") {
            if !rest.trim_start_matches(' ').is_empty() {
                return None;
            }
            self.advance();
        }
        Some(())
    }

    /// A node's place: the byte it starts at (line and column are the
    /// renderer's to compute).
    fn at(&self, at: usize) -> Span {
        Span::new(at, at)
    }

    fn count_node(&mut self, depth: usize) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.max_nodes && depth <= self.max_depth).then_some(())
    }

    /// A `-` that opens a sequence entry: followed by a space or the line's end.
    fn is_dash(&self, line: Line, at: usize) -> bool {
        self.bytes.get(at) == Some(&b'-')
            && (at + 1 == line.end || self.bytes.get(at + 1) == Some(&b' '))
    }

    /// The block sequence or mapping that starts at byte `at` of `line`.
    fn block_collection(&mut self, line: Line, at: usize, depth: usize) -> Option<Node<'t>> {
        if self.is_dash(line, at) {
            self.block_sequence(line, at, depth, false)
        } else {
            self.block_mapping(line, at, depth)
        }
    }

    /// The value of `key:` or `-` with nothing after it on its line: a block
    /// collection on the following lines (an empty value is left to the
    /// full parser, which locates its null in its own way).
    fn block_value(
        &mut self,
        owner_indent: usize,
        indentless: bool,
        depth: usize,
    ) -> Option<Node<'t>> {
        let line = self.peek()?;
        let at = line.start + line.indent;
        if line.indent > owner_indent {
            self.block_collection(line, at, depth)
        } else if indentless && line.indent == owner_indent && self.is_dash(line, at) {
            self.block_sequence(line, at, depth, true)
        } else {
            None
        }
    }

    fn block_sequence(
        &mut self,
        first: Line,
        at: usize,
        depth: usize,
        indentless: bool,
    ) -> Option<Node<'t>> {
        self.count_node(depth)?;
        let indent = at - first.start;
        let mut span = self.at(at);
        let mark = self.items.len();
        let (mut line, mut dash) = (first, at);
        loop {
            let content = skip_spaces(self.bytes, dash + 1, line.end);
            let item = if content == line.end || self.bytes[content] == b'#' {
                if indentless && self.items.len() == mark {
                    // serde-saphyr locates this one past its first line's end.
                    return None;
                }
                self.advance();
                self.block_value(indent, false, depth + 1)?
            } else if self.is_dash(line, content) {
                self.block_sequence(line, content, depth + 1, false)?
            } else if self.starts_key(line, content) {
                self.block_mapping(line, content, depth + 1)?
            } else {
                self.inline_value(line, content, depth + 1)?
            };
            // serde-saphyr locates a sequence that is not indented under its
            // key at its first entry, not at its first dash.
            if indentless && self.items.len() == mark {
                span = item.span;
            }
            self.items.push(item);
            match self.peek() {
                Some(next) if next.indent == indent => {
                    let next_dash = next.start + indent;
                    if !self.is_dash(next, next_dash) {
                        // The owner's next key (indentless), or an error that
                        // the owner rejects.
                        break;
                    }
                    (line, dash) = (next, next_dash);
                }
                Some(next) if next.indent > indent => return None,
                _ => break,
            }
        }
        Some(Node {
            value: Value::Seq(self.items.drain(mark..).collect()),
            span,
        })
    }

    /// Whether `line` from `at` reads as `key:` followed by a space or the end.
    fn starts_key(&self, line: Line, at: usize) -> bool {
        self.key_end(line, at).is_some()
    }

    /// Where the `:` after the key starting at `at` is, for the plain and
    /// quoted keys of the subset.
    fn key_end(&self, line: Line, at: usize) -> Option<(usize, Node<'t>)> {
        let (key, after) = match self.bytes.get(at)? {
            b'"' | b'\'' => {
                let (value, after) = quoted(self.bytes, self.text, at, line.end)?;
                (value, after)
            }
            _ => {
                let mut i = at;
                loop {
                    let b = *self.bytes.get(i)?;
                    if i >= line.end {
                        return None;
                    }
                    if b == b':' && (i + 1 == line.end || self.bytes[i + 1] == b' ') {
                        break;
                    }
                    if b == b'#' && i > at && self.bytes[i - 1] == b' ' {
                        return None;
                    }
                    i += 1;
                }
                let raw = self.text.get(at..i)?.trim_end_matches(' ');
                if raw.len() > 1000 || raw.contains(':') || !plain_start(raw) {
                    return None;
                }
                (resolve(raw)?, i)
            }
        };
        let colon = skip_spaces(self.bytes, after, line.end);
        // serde-saphyr looks at most 1,024 characters ahead for a key's colon.
        if colon - at > 1000
            || self.bytes.get(colon) != Some(&b':')
            || !(colon + 1 == line.end || self.bytes.get(colon + 1) == Some(&b' '))
        {
            return None;
        }
        if !matches!(key, Value::Str(_)) {
            return None;
        }
        Some((
            colon,
            Node {
                value: key,
                span: self.at(at),
            },
        ))
    }

    fn block_mapping(&mut self, first: Line, at: usize, depth: usize) -> Option<Node<'t>> {
        self.count_node(depth)?;
        let indent = at - first.start;
        let span = self.at(at);
        let mark = self.entries.len();
        let (mut line, mut key_at) = (first, at);
        loop {
            let (colon, key) = self.key_end(line, key_at)?;
            self.count_node(depth + 1)?;
            let content = skip_spaces(self.bytes, colon + 1, line.end);
            let value = if content == line.end || self.bytes[content] == b'#' {
                self.advance();
                self.block_value(indent, true, depth + 1)?
            } else {
                self.inline_value(line, content, depth + 1)?
            };
            self.entries.push((key, value));
            match self.peek() {
                Some(next) if next.indent == indent => (line, key_at) = (next, next.start + indent),
                Some(next) if next.indent > indent => return None,
                _ => break,
            }
        }
        if has_duplicate_keys(&self.entries[mark..]) {
            return None;
        }
        Some(Node {
            value: Value::Map(self.entries.drain(mark..).collect()),
            span,
        })
    }

    /// A scalar or flow collection that ends its line (but for a comment);
    /// consumes the line.
    fn inline_value(&mut self, line: Line, at: usize, depth: usize) -> Option<Node<'t>> {
        let (node, after) = match self.bytes[at] {
            b'[' | b'{' => self.flow(line, at, depth)?,
            b'"' | b'\'' => self.quoted_node(at, line.end, depth)?,
            _ => {
                self.count_node(depth)?;
                let mut end = line.end;
                if let Some(hash) = find_comment(&self.bytes[at..line.end]) {
                    end = at + hash;
                }
                let raw = self.text.get(at..end)?.trim_end_matches(' ');
                if !plain_start(raw) || raw.contains(": ") || raw.ends_with(':') {
                    return None;
                }
                (
                    Node {
                        value: resolve(raw)?,
                        span: self.at(at),
                    },
                    line.end,
                )
            }
        };
        let rest = skip_spaces(self.bytes, after, line.end);
        if rest != line.end && !(rest > after && self.bytes[rest] == b'#') {
            return None;
        }
        self.advance();
        Some(node)
    }

    /// A quoted scalar from its quote at `at`, and the byte after it.
    fn quoted_node(&mut self, at: usize, end: usize, depth: usize) -> Option<(Node<'t>, usize)> {
        self.count_node(depth)?;
        let (value, after) = quoted(self.bytes, self.text, at, end)?;
        Some((
            Node {
                value,
                span: self.at(at),
            },
            after,
        ))
    }

    /// A flow collection closed on the same line; returns it and the byte
    /// after its closing bracket.
    fn flow(&mut self, line: Line, at: usize, depth: usize) -> Option<(Node<'t>, usize)> {
        self.count_node(depth)?;
        let span = self.at(at);
        let end = line.end;
        let mapping = self.bytes[at] == b'{';
        let close = if mapping { b'}' } else { b']' };
        let mut i = skip_spaces(self.bytes, at + 1, end);
        let (items, entries) = (self.items.len(), self.entries.len());
        if self.bytes.get(i) == Some(&close) && i < end {
            i += 1;
        } else {
            loop {
                if mapping {
                    let (key, after) = self.flow_node(line, i, depth + 1, true)?;
                    if !matches!(key.value, Value::Str(_))
                        || after - i > 1000
                        || self.bytes.get(after) != Some(&b':')
                        || self.bytes.get(after + 1) != Some(&b' ')
                    {
                        return None;
                    }
                    let start = skip_spaces(self.bytes, after + 1, end);
                    let (value, after) = self.flow_node(line, start, depth + 1, false)?;
                    self.entries.push((key, value));
                    i = after;
                } else {
                    let (item, after) = self.flow_node(line, i, depth + 1, false)?;
                    self.items.push(item);
                    i = after;
                }
                i = skip_spaces(self.bytes, i, end);
                if i >= end {
                    return None;
                }
                match self.bytes[i] {
                    b',' => {
                        i = skip_spaces(self.bytes, i + 1, end);
                        // A trailing comma is left to the full parser.
                        if i >= end || self.bytes[i] == close {
                            return None;
                        }
                    }
                    b if b == close => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let value = if mapping {
            if has_duplicate_keys(&self.entries[entries..]) {
                return None;
            }
            Value::Map(self.entries.drain(entries..).collect())
        } else {
            Value::Seq(self.items.drain(items..).collect())
        };
        Some((Node { value, span }, i))
    }

    /// One entry of a flow collection: a nested collection, a quoted or a
    /// plain scalar. Returns it and the byte after it (spaces skipped).
    fn flow_node(
        &mut self,
        line: Line,
        at: usize,
        depth: usize,
        key: bool,
    ) -> Option<(Node<'t>, usize)> {
        let end = line.end;
        if at >= end {
            return None;
        }
        let (node, after) = match self.bytes[at] {
            b'[' | b'{' => {
                if key {
                    return None;
                }
                self.flow(line, at, depth)?
            }
            b'"' | b'\'' => self.quoted_node(at, end, depth)?,
            _ => {
                self.count_node(depth)?;
                let mut i = at;
                while i < end {
                    match self.bytes[i] {
                        b',' | b']' | b'}' => break,
                        b'[' | b'{' => return None,
                        b':' if i + 1 < end && self.bytes[i + 1] == b' ' => break,
                        b':' if i + 1 == end || matches!(self.bytes[i + 1], b',' | b']' | b'}') => {
                            return None;
                        }
                        b'#' if i > at && self.bytes[i - 1] == b' ' => return None,
                        _ => i += 1,
                    }
                }
                let raw = self.text.get(at..i)?.trim_end_matches(' ');
                if !plain_start(raw) {
                    return None;
                }
                (
                    Node {
                        value: resolve(raw)?,
                        span: self.at(at),
                    },
                    i,
                )
            }
        };
        let after = skip_spaces(self.bytes, after, end);
        // `a: b` as a sequence entry is a one-pair mapping: not in the subset.
        if !key && self.bytes.get(after) == Some(&b':') && after < end {
            return None;
        }
        Some((node, after))
    }
}

fn skip_spaces(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && bytes[at] == b' ' {
        at += 1;
    }
    at
}

/// Offset of a ` #` comment in a block-context plain scalar, if any.
fn find_comment(bytes: &[u8]) -> Option<usize> {
    (1..bytes.len()).find(|&i| bytes[i] == b'#' && bytes[i - 1] == b' ')
}

/// Plain scalars of the subset start with a letter, a digit, `_` or a
/// non-ASCII character; everything that YAML reads as an indicator (and a
/// few harmless characters besides) is left to the full parser.
fn plain_start(raw: &str) -> bool {
    raw.as_bytes()
        .first()
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || !b.is_ascii())
}

/// The value of a plain scalar under the options `yaml::parse` gives
/// serde-saphyr (YAML 1.2 core schema, strict booleans, numbers with leading
/// zeros or underscores read as strings). Anything not surely a string, a
/// small integer, a boolean or null is left to the full parser.
fn resolve(raw: &str) -> Option<Value<'_>> {
    match raw {
        "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let bytes = raw.as_bytes();
    let first = bytes.first()?;
    if !first.is_ascii_digit() {
        // Other spellings of the special words: leave them to the full parser.
        if ["null", "true", "false"]
            .iter()
            .any(|word| raw.eq_ignore_ascii_case(word))
        {
            return None;
        }
        return Some(Value::Str(Cow::Borrowed(raw)));
    }
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    if bytes.len() <= 18 && digits(0..bytes.len()) && (*first != b'0' || bytes.len() == 1) {
        return raw.parse().ok().map(Value::Int);
    }
    // Dates: `YYYY-MM` and `YYYY-MM-DD` are strings under YAML 1.2.
    let date = (bytes.len() == 7 || bytes.len() == 10)
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && (bytes.len() == 7 || (bytes[7] == b'-' && digits(8..10)));
    date.then_some(Value::Str(Cow::Borrowed(raw)))
}

/// A quoted scalar on one line from the quote at `at`; returns its value and
/// the byte after the closing quote. Escapes outside a common set, and
/// scalars that continue on the next line, are left to the full parser.
fn quoted<'t>(bytes: &[u8], text: &'t str, at: usize, end: usize) -> Option<(Value<'t>, usize)> {
    let quote = bytes[at];
    // Borrowed until the first escape.
    let mut out: Option<String> = None;
    let mut i = at + 1;
    let mut run = i;
    while i < end {
        let b = bytes[i];
        if b == quote {
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') && i + 1 < end {
                out.get_or_insert_default().push_str(text.get(run..=i)?);
                i += 2;
                run = i;
                continue;
            }
            let last = text.get(run..i)?;
            let value = match out {
                None => Cow::Borrowed(last),
                Some(mut out) => {
                    out.push_str(last);
                    Cow::Owned(out)
                }
            };
            return Some((Value::Str(value), i + 1));
        }
        if b == b'\\' && quote == b'"' {
            let out = out.get_or_insert_default();
            out.push_str(text.get(run..i)?);
            let (c, len) = escape(bytes, text, i + 1, end)?;
            out.push(c);
            i += 1 + len;
            run = i;
            continue;
        }
        i += 1;
    }
    None
}

/// One double-quoted escape after its backslash: the character and the
/// bytes it took.
fn escape(bytes: &[u8], text: &str, at: usize, end: usize) -> Option<(char, usize)> {
    if at >= end {
        return None;
    }
    let simple = match bytes[at] {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'n' => '\n',
        b't' => '\t',
        b'r' => '\r',
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b'e' => '\u{1b}',
        b'f' => '\u{c}',
        b'v' => '\u{b}',
        b'x' | b'u' | b'U' => {
            let len = match bytes[at] {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            if at + len >= end {
                return None;
            }
            let hex = text.get(at + 1..at + 1 + len)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            return Some((c, 1 + len));
        }
        _ => return None,
    };
    Some((simple, 1))
}

/// Keys are strings here (others are left to the full parser).
fn has_duplicate_keys(entries: &[(Node<'_>, Node<'_>)]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (a, _))| entries[..i].iter().any(|(b, _)| a.value == b.value));
    }
    let mut keys: Vec<&str> = entries
        .iter()
        .map(|(k, _)| match &k.value {
            Value::Str(s) => s.as_ref(),
            _ => "",
        })
        .collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}
