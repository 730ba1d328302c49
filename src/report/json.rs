//! JSON: one object per scenario file, or an array of them. A contract:
//! fields may be added, never renamed. A file that could not be checked is
//! an object with `file` and `errors` (each with `code`, `message`,
//! `location` and, where there is one, `help`).

use super::{Context, FileErrors, FileResult, Render, Report};
use serde::Serialize;

/// `--format json`: streamed, every file's result in name order.
pub struct Json;

/// A file's result, borrowed: serialised as `FileResult` is.
#[derive(Serialize)]
#[serde(untagged)]
enum Entry<'a> {
    Checked(&'a Report),
    Failed(&'a FileErrors),
}

impl Render for Json {
    fn render(&self, cx: &Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut reports = cx.reports.iter();
        let mut failed = cx.failed.iter();
        let entries: Vec<Entry> = cx
            .order
            .iter()
            .filter_map(|&checked| {
                if checked {
                    reports.next().map(Entry::Checked)
                } else {
                    failed.next().map(Entry::Failed)
                }
            })
            .collect();
        write_entries(&entries, cx.many, out)
    }
}

/// Renders one report, or an array when there are several.
pub fn render(reports: &[Report]) -> String {
    match reports {
        [one] => value(one),
        many => value(&many),
    }
}

/// Writes every file's result straight to `out`, without holding the whole
/// text (a large world's report is as large as its YAML): an array when
/// `array` (a directory or several paths were given, however many loaded),
/// else the one object.
pub fn write(
    results: &[FileResult],
    array: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_entries(results, array, out)
}

fn write_entries<T: Serialize>(
    results: &[T],
    array: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::io::Write;
    // serde_json writes in tiny pieces: buffer them here, in a concrete
    // type, rather than call through `dyn Write` for each.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    match results {
        [one] if !array => serde_json::to_writer_pretty(&mut out, one)?,
        many => serde_json::to_writer_pretty(&mut out, many)?,
    }
    out.write_all(b"\n")?;
    out.flush()
}

/// Renders any report type (proposals, suggestions, timelines) as pretty JSON.
pub fn value<T: Serialize + ?Sized>(report: &T) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}
