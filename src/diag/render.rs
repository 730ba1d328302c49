//! The one snippet renderer, for input errors and findings alike, in
//! rustc's layout:
//!
//! ```text
//! error[unknown-key]: unknown key `x`
//!  --> a.yaml:2:3
//!   |
//! 2 |   x: 2
//!   |   ^ label
//!   = help: did you mean `y`?
//! ```
//!
//! Everything taken from a file goes through `printable`. Underlines are
//! measured in display columns (a wide character takes two carets, a
//! combining mark none); a tab is kept, and kept under it in the underline,
//! so the caret lines up whatever the terminal's tab stops. Colour is added
//! only when a `Palette` says so, which only a terminal's does.

use super::{Loc, Severity, printable, push_printable, unprintable};
use std::fmt::{self, Write as _};
use unicode_width::UnicodeWidthChar as _;

/// How much of an input error's line is shown, in characters, from the
/// window's start (`window_start`).
pub const WINDOW: usize = 120;

/// How much of a finding's line is shown, in characters, from its start.
pub const QUOTE: usize = 160;

/// ANSI colours for a terminal, or none (files, pipes, tests, `NO_COLOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Palette {
    ansi: bool,
}

/// What a piece of a snippet is, for its colour.
#[derive(Debug, Clone, Copy)]
enum Paint {
    Level(Severity),
    Message,
    Gutter,
    Secondary,
}

/// `--color`: whether to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Colour a terminal, unless `NO_COLOR` is set or `TERM` is `dumb`.
    #[default]
    Auto,
    Always,
    Never,
}

impl Palette {
    /// The palette for a stream that is (`terminal`) or is not a terminal,
    /// reading `NO_COLOR` and `TERM` from the environment.
    pub fn choose(choice: ColorChoice, terminal: bool) -> Palette {
        // https://no-color.org: set and not empty means no colour.
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        Palette::decide(choice, terminal, no_color || dumb)
    }

    /// `choose`, the environment given: `always` wins over `NO_COLOR`, as a
    /// command-line flag should (no-color.org).
    pub fn decide(choice: ColorChoice, terminal: bool, refused: bool) -> Palette {
        match choice {
            ColorChoice::Always => Palette::ANSI,
            ColorChoice::Never => Palette::PLAIN,
            ColorChoice::Auto if terminal && !refused => Palette::ANSI,
            ColorChoice::Auto => Palette::PLAIN,
        }
    }

    /// No colour: the bytes every test and file sees.
    pub const PLAIN: Palette = Palette { ansi: false };
    /// ANSI colours, as rustc uses them.
    pub const ANSI: Palette = Palette { ansi: true };

    pub fn is_coloured(self) -> bool {
        self.ansi
    }

    /// Writes `text` into `out`, in `paint`'s colour when there is colour.
    /// Formatted in place: a report draws a snippet for each of thousands
    /// of findings, and a temporary string per piece made that slower.
    fn paint(self, out: &mut String, paint: Paint, text: fmt::Arguments) {
        if !self.ansi {
            let _ = out.write_fmt(text);
            return;
        }
        let style = match paint {
            Paint::Level(Severity::Error) => "1;31",
            Paint::Level(Severity::Warning) => "1;33",
            Paint::Level(Severity::Info) => "1;36",
            Paint::Message => "1",
            Paint::Gutter | Paint::Secondary => "1;34",
        };
        let _ = write!(out, "\x1b[{style}m");
        let _ = out.write_fmt(text);
        out.push_str("\x1b[0m");
    }
}

/// The source line shown under a snippet's location.
#[derive(Debug, Clone, Copy)]
pub enum Excerpt<'a> {
    /// An input error's line: `WINDOW` characters of `text`, which is the
    /// line from its `skip`th character on (shown after `…` when `skip` is
    /// not 0), with the span underlined by carets and labelled.
    Underlined {
        text: &'a str,
        skip: usize,
        /// The span's first character, counted in the whole line from 0.
        column: usize,
        width: usize,
        label: Option<&'a str>,
    },
    /// A finding's line: its first `QUOTE` characters, escaped, between two
    /// empty gutter lines.
    Quoted { line: &'a str },
}

/// A secondary place: drawn after the primary snippet, underlined with `-`.
#[derive(Debug, Clone, Copy)]
pub struct Secondary<'a> {
    /// `Some` when the place is in another file than the primary's.
    pub file: Option<&'a str>,
    pub loc: Loc,
    /// The line, as `Excerpt::Underlined` takes it (`text`, `skip`), when known.
    pub window: Option<(&'a str, usize)>,
    pub width: usize,
    pub text: &'a str,
}

/// One diagnostic or finding, ready to draw.
#[derive(Clone)]
pub struct Snippet<'a> {
    pub severity: Severity,
    /// The diagnostic code, or a finding's rule id.
    pub code: &'a str,
    pub message: &'a str,
    pub file: &'a str,
    pub loc: Loc,
    pub excerpt: Option<Excerpt<'a>>,
    pub secondary: Vec<Secondary<'a>>,
    /// `= help: ...`, `= cite: ...`, `= why: ...`: each a word and a text,
    /// written as given (text from a file must be `printable` already).
    pub notes: Vec<(&'a str, &'a dyn fmt::Display)>,
}

impl Snippet<'_> {
    /// Draws the snippet into `out`, one line after another, each ending in `\n`.
    pub fn render(&self, out: &mut String, palette: Palette) {
        let level = Paint::Level(self.severity);
        palette.paint(
            out,
            level,
            format_args!("{}[{}]", self.severity.word(), printable(self.code)),
        );
        palette.paint(
            out,
            Paint::Message,
            format_args!(": {}", printable(self.message)),
        );
        out.push('\n');
        // The gutter is as wide as the widest line number, as in rustc.
        let widest = self
            .secondary
            .iter()
            .map(|s| s.loc.line)
            .fold(self.loc.line, u32::max);
        let pad = " ".repeat(widest.to_string().len());
        palette.paint(out, Paint::Gutter, format_args!("{pad}-->"));
        let _ = writeln!(
            out,
            " {}:{}:{}",
            printable(self.file),
            self.loc.line,
            self.loc.column
        );
        let number = self.loc.line.to_string();
        match self.excerpt {
            Some(Excerpt::Underlined {
                text,
                skip,
                column,
                width,
                label,
            }) => {
                gutter(out, palette, &pad, "");
                source_line(out, palette, &pad, &number, &shown(text, skip));
                let (indent, marks) = underline(text, skip, column, width);
                underline_line(out, palette, &pad, &indent, '^', marks, label, level);
            }
            Some(Excerpt::Quoted { line }) => {
                gutter(out, palette, &pad, "");
                let quoted: String = line.chars().take(QUOTE).collect();
                source_line(out, palette, &pad, &number, &printable(&quoted));
                gutter(out, palette, &pad, "");
            }
            None => {}
        }
        for place in &self.secondary {
            if let Some(file) = place.file {
                palette.paint(out, Paint::Gutter, format_args!("{pad}:::"));
                let _ = writeln!(
                    out,
                    " {}:{}:{}",
                    printable(file),
                    place.loc.line,
                    place.loc.column
                );
            }
            let number = place.loc.line.to_string();
            match place.window {
                Some((text, skip)) => {
                    gutter(out, palette, &pad, "");
                    source_line(out, palette, &pad, &number, &shown(text, skip));
                    let column = usize::try_from(place.loc.column.saturating_sub(1)).unwrap_or(0);
                    let (indent, marks) = underline(text, skip, column, place.width);
                    underline_line(
                        out,
                        palette,
                        &pad,
                        &indent,
                        '-',
                        marks,
                        Some(place.text),
                        Paint::Secondary,
                    );
                }
                None => gutter(out, palette, &pad, &printable(place.text)),
            }
        }
        for (word, text) in &self.notes {
            palette.paint(out, Paint::Gutter, format_args!("{pad} ="));
            let _ = writeln!(out, " {word}: {text}");
        }
    }
}

/// `{pad} |` and, when there is one, ` {text}`.
fn gutter(out: &mut String, palette: Palette, pad: &str, text: &str) {
    palette.paint(out, Paint::Gutter, format_args!("{pad} |"));
    if !text.is_empty() {
        out.push(' ');
        out.push_str(text);
    }
    out.push('\n');
}

/// `{number} | {shown}`.
fn source_line(out: &mut String, palette: Palette, pad: &str, number: &str, shown: &str) {
    palette.paint(
        out,
        Paint::Gutter,
        format_args!("{number:<width$} |", width = pad.len()),
    );
    let _ = writeln!(out, " {shown}");
}

/// `{pad} | {indent}^^^ label`.
#[allow(clippy::too_many_arguments)]
fn underline_line(
    out: &mut String,
    palette: Palette,
    pad: &str,
    indent: &str,
    mark: char,
    marks: usize,
    label: Option<&str>,
    paint: Paint,
) {
    palette.paint(out, Paint::Gutter, format_args!("{pad} |"));
    out.push(' ');
    out.push_str(indent);
    let marks = Marks(mark, marks);
    match label {
        Some(label) => palette.paint(out, paint, format_args!("{marks} {}", printable(label))),
        None => palette.paint(out, paint, format_args!("{marks}")),
    }
    out.push('\n');
}

/// `n` marks in a row.
struct Marks(char, usize);

impl fmt::Display for Marks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (0..self.1).try_for_each(|_| f.write_char(self.0))
    }
}

/// The window's text as shown: `…` when it does not start the line, then
/// up to `WINDOW` characters, tabs kept and other controls escaped.
fn shown(text: &str, skip: usize) -> String {
    let mut shown = String::from(if skip > 0 { "…" } else { "" });
    for c in text.chars().take(WINDOW) {
        if c == '\t' {
            shown.push(c);
        } else {
            push_printable(&mut shown, c);
        }
    }
    shown
}

/// What goes under the window before the span (spaces, and tabs under
/// tabs), and how many marks underline the span, in display columns. A span
/// running past the end of the line (a missing value) is underlined on.
fn underline(text: &str, skip: usize, column: usize, width: usize) -> (String, usize) {
    let before = column.saturating_sub(skip);
    let width = width.clamp(1, 200);
    let mut indent = " ".repeat(usize::from(skip > 0));
    let mut marks = 0;
    let mut count = 0;
    for (i, c) in text.chars().take(WINDOW).enumerate() {
        count += 1;
        let columns = columns(c);
        if i < before {
            let fill = if c == '\t' { "\t" } else { " " };
            indent.push_str(&fill.repeat(columns));
        } else if i < before + width {
            marks += columns;
        }
    }
    let past_end = (before + width).saturating_sub(count);
    (indent, (marks + past_end.min(width)).max(1))
}

/// The display columns `c` takes as `shown` writes it: an escape's length
/// for a control character, one for a tab (it stays a tab), else its
/// Unicode display width (two for a wide character, none for a combining mark).
fn columns(c: char) -> usize {
    if c == '\t' {
        1
    } else if unprintable(c) {
        push_printable(&mut String::new(), c)
    } else {
        c.width().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(snippet: &Snippet) -> String {
        let mut out = String::new();
        snippet.render(&mut out, Palette::PLAIN);
        out
    }

    fn underlined<'a>(text: &'a str, column: usize, width: usize) -> Snippet<'a> {
        Snippet {
            severity: Severity::Error,
            code: "c",
            message: "m",
            file: "f",
            loc: Loc::new(3, u32::try_from(column + 1).unwrap_or(1)),
            excerpt: Some(Excerpt::Underlined {
                text,
                skip: 0,
                column,
                width,
                label: None,
            }),
            secondary: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn wide_characters_take_two_columns_and_combining_marks_none() {
        // 北京 is two wide characters: the caret under `x` is 4 columns in.
        let out = draw(&underlined("北京 x", 3, 1));
        assert!(out.ends_with("3 | 北京 x\n  |      ^\n"), "{out}");
        let out = draw(&underlined("北京 x", 0, 2));
        assert!(out.ends_with("  | ^^^^\n"), "{out}");
        // e + U+0301 is one column.
        let out = draw(&underlined("e\u{301}x", 2, 1));
        assert!(out.ends_with("  |  ^\n"), "{out}");
        // A combining mark alone still gets a caret.
        let out = draw(&underlined("e\u{301}x", 1, 1));
        assert!(out.ends_with("  |  ^\n"), "{out}");
    }

    #[test]
    fn tabs_stay_tabs_and_controls_are_escaped() {
        let out = draw(&underlined("\tk:\u{1b}v", 4, 1));
        assert!(
            out.ends_with("3 | \tk:\\u{1b}v\n  | \t        ^\n"),
            "{out:?}"
        );
        let out = draw(&underlined("\u{1b}", 0, 1));
        assert!(out.ends_with("  | ^^^^^^\n"), "{out:?}");
    }

    #[test]
    fn secondary_places_follow_the_primary_snippet() {
        let mut snippet = underlined("  - id: x", 8, 1);
        snippet.loc = Loc::new(12, 9);
        snippet.secondary = vec![
            Secondary {
                file: None,
                loc: Loc::new(3, 9),
                window: Some(("  - id: x", 0)),
                width: 1,
                text: "first defined here",
            },
            Secondary {
                file: Some("other.yaml"),
                loc: Loc::new(10, 2),
                window: None,
                width: 1,
                text: "and there",
            },
        ];
        snippet.notes = vec![("help", &"rename one")];
        let expected = [
            "error[c]: m",
            "  --> f:12:9",
            "   |",
            "12 |   - id: x",
            "   |         ^",
            "   |",
            "3  |   - id: x",
            "   |         - first defined here",
            "  ::: other.yaml:10:2",
            "   | and there",
            "   = help: rename one",
            "",
        ];
        assert_eq!(draw(&snippet), expected.join("\n"));
    }

    #[test]
    fn auto_colours_a_terminal_only_and_no_color_refuses_it() {
        use ColorChoice::*;
        assert_eq!(Palette::decide(Auto, true, false), Palette::ANSI);
        assert_eq!(Palette::decide(Auto, false, false), Palette::PLAIN);
        assert_eq!(Palette::decide(Auto, true, true), Palette::PLAIN);
        assert_eq!(Palette::decide(Always, false, true), Palette::ANSI);
        assert_eq!(Palette::decide(Never, true, false), Palette::PLAIN);
    }

    #[test]
    fn colour_is_added_only_by_the_ansi_palette() {
        let snippet = underlined("x", 0, 1);
        let mut plain = String::new();
        snippet.render(&mut plain, Palette::PLAIN);
        let mut ansi = String::new();
        snippet.render(&mut ansi, Palette::ANSI);
        assert!(!plain.contains('\x1b'));
        assert!(
            ansi.starts_with("\x1b[1;31merror[c]\x1b[0m\x1b[1m: m\x1b[0m\n"),
            "{ansi:?}"
        );
        // Without the escapes, the same bytes.
        let mut stripped = String::new();
        let mut rest = ansi.as_str();
        while let Some(at) = rest.find('\x1b') {
            stripped.push_str(&rest[..at]);
            rest = rest[at..].split_once('m').map_or("", |(_, r)| r);
        }
        stripped.push_str(rest);
        assert_eq!(stripped, plain);
    }
}
