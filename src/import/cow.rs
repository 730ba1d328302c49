//! The Correlates of War *Diplomatic Exchange* data set (v2006.1) as a
//! scenario: `parity import cow FILE.csv`.
//!
//! The data set has a row per dyad and sampled year: `ccode1, ccode2, year,
//! DR_at_1, DR_at_2, DE`, where (its codebook) `DR_at_1` is the level of
//! diplomatic representation of side 2 at side 1 and `DR_at_2` that of side
//! 1 at side 2: 0 none, 1 chargé d'affaires, 2 minister, 3 ambassador, 9
//! other, and -9 missing. `DE` (any exchange) follows from the two and is not
//! read. Other columns are named in the scenario's header comment.
//!
//! How rows become records (the scenario's header says the same):
//! - each state by its COW code (`cow_states`), with its id and name;
//! - each observed level of A's representation in B is a head of mission of
//!   that rank (chargé d'affaires, minister, ambassador, or `other`), nameless,
//!   from the observed year until the next year observed for that pair (the
//!   data set samples every five years, so what happened between is not
//!   known: the level is carried forward, and says only what was seen);
//! - the last observation of a pair holds until the end of its year;
//! - a run of observed years with some representation is one embassy, open
//!   from the first year of the run until the year the level is seen at 0
//!   (the data set does not record the mission's kind);
//! - the scenario's `as_of` is the last year in the file.

use super::cow_states::STATES;
use crate::diag::{Code, Diagnostic, LineIndex, Loc};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Which years to keep (both bounds included).
#[derive(Debug, Clone, Copy, Default)]
pub struct CowOptions {
    pub from: Option<i32>,
    pub until: Option<i32>,
}

/// The scenario, and what the import read.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The scenario, as YAML text that `parity check` reads.
    pub yaml: String,
    /// Data rows read (header excluded), kept or not.
    pub rows: usize,
    /// Levels of representation kept (two a row in the years asked for).
    pub observations: usize,
    /// Levels marked missing (-9), left out.
    pub missing: usize,
}

/// The columns read, by their names in the data set.
const COLUMNS: [&str; 5] = ["ccode1", "ccode2", "year", "DR_at_1", "DR_at_2"];

/// Levels of one directed pair (sender's COW code, receiver's), by year.
type Series = BTreeMap<(u16, u16), BTreeMap<i32, (u8, usize)>>;

/// Reads `text` (the CSV of `file`) into a scenario. Errors are located at
/// the cell, with the line of the row as it is in the file.
pub fn import(text: &str, file: &str, options: &CowOptions) -> Result<Imported, Vec<Diagnostic>> {
    let lines: Vec<&str> = text.lines().collect();
    // Errors are located through the one index of the text's lines.
    let index = crate::source::LineIndex::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(error) => return Err(vec![csv_error(file, (text, &index), &error)]),
    };
    let mut at = [0usize; 5];
    let mut errors = Vec::new();
    for (slot, name) in at.iter_mut().zip(COLUMNS) {
        // Case aside (a table exported from R or pandas may lower it), and a
        // byte-order mark before the first name.
        let plain = |h: &str| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
        match header
            .iter()
            .position(|h| plain(h) == name.to_ascii_lowercase())
        {
            Some(index) => *slot = index,
            None => {
                let names: Vec<&str> = header.iter().collect();
                // At the header cell it was probably meant to be, else the start.
                let near = crate::diag::nearest(name, names.iter().copied());
                let column = near
                    .and_then(|n| names.iter().position(|h| *h == n))
                    .map_or(1, |i| cell_column(lines.first().copied().unwrap_or(""), i));
                errors.push(
                    Diagnostic::at_loc(
                        Code::MissingColumn,
                        file,
                        (text, &index),
                        Loc::new(1, column),
                        format!("the header has no column `{name}`"),
                    )
                    .with_width(near.map_or(1, |n| n.chars().count()))
                    .suggest(name, names),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let unused: Vec<String> = header
        .iter()
        .enumerate()
        .filter(|(i, _)| !at.contains(i))
        .map(|(_, h)| h.to_string())
        .collect();
    let codes: BTreeMap<u16, usize> = STATES.iter().enumerate().map(|(i, s)| (s.0, i)).collect();
    let mut series = Series::new();
    let (mut rows, mut observations, mut missing) = (0, 0, 0);
    let mut last_year = None;
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                errors.push(csv_error(file, (text, &index), &error));
                break;
            }
        };
        rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        let line_text = usize::try_from(line)
            .ok()
            .and_then(|l| lines.get(l.saturating_sub(1)))
            .copied()
            .unwrap_or("");
        let cell = |column: usize| record.get(at[column]).unwrap_or("").trim();
        let locate = |column: usize| {
            Loc::new(
                u32::try_from(line).unwrap_or(u32::MAX),
                cell_column(line_text, at[column]),
            )
        };
        let mut row_error = |code: Code, column: usize, message: String| {
            errors.push(
                Diagnostic::at_loc(code, file, (text, &index), locate(column), message)
                    .with_width(cell(column).chars().count().max(1)),
            );
        };
        let mut state = |column: usize| -> Option<u16> {
            let text = cell(column);
            let Ok(code) = text.parse::<u16>() else {
                row_error(
                    Code::InvalidValue,
                    column,
                    format!("`{text}` is not a COW state code (a whole number)"),
                );
                return None;
            };
            if !codes.contains_key(&code) {
                row_error(
                    Code::UnknownStateCode,
                    column,
                    format!("{code} is not a COW state code parity knows"),
                );
                return None;
            }
            Some(code)
        };
        let (Some(one), Some(two)) = (state(0), state(1)) else {
            continue;
        };
        let text = cell(2);
        let Some(year) = text.parse::<i32>().ok().filter(|y| (1..=9999).contains(y)) else {
            row_error(Code::InvalidValue, 2, format!("`{text}` is not a year"));
            continue;
        };
        if options.from.is_some_and(|f| year < f) || options.until.is_some_and(|u| year > u) {
            continue;
        }
        last_year = last_year.max(Some(year));
        // DR_at_1: side 2's representation at side 1; DR_at_2 the reverse.
        for (column, sender, receiver) in [(3, two, one), (4, one, two)] {
            let text = cell(column);
            let level = match text.parse::<i32>() {
                Ok(-9) => {
                    missing += 1;
                    continue;
                }
                Ok(level @ (0..=3 | 9)) => level as u8,
                _ => {
                    row_error(
                        Code::InvalidValue,
                        column,
                        format!(
                            "`{text}` is not a level of representation (0, 1, 2, 3, 9, or -9 for missing)"
                        ),
                    );
                    continue;
                }
            };
            let years = series.entry((sender, receiver)).or_default();
            match years.get(&year) {
                Some(&(seen, first)) if seen != level => row_error(
                    Code::ConflictingObservations,
                    column,
                    format!(
                        "{} in {} in {year} is level {level} here but level {seen} on line {first}",
                        STATES[codes[&sender]].1, STATES[codes[&receiver]].1
                    ),
                ),
                Some(_) => {}
                None => {
                    years.insert(year, (level, usize::try_from(line).unwrap_or(0)));
                    observations += 1;
                }
            }
        }
    }
    if !errors.is_empty() {
        crate::diag::sort_and_dedup(&mut errors);
        return Err(errors);
    }
    let yaml = scenario(file, &series, &codes, last_year, options, &unused);
    Ok(Imported {
        yaml,
        rows,
        observations,
        missing,
    })
}

/// A CSV error (a row of the wrong width, an unclosed quote) at its line.
fn csv_error(file: &str, text: (&str, &LineIndex), error: &csv::Error) -> Diagnostic {
    let line = error.position().map_or(1, |p| p.line().max(1));
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} cells, but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "this row is not valid UTF-8".to_string(),
        _ => format!("the file is not valid CSV: {error}"),
    };
    Diagnostic::at_loc(
        Code::CsvSyntax,
        file,
        text,
        Loc::new(u32::try_from(line).unwrap_or(u32::MAX), 1),
        message,
    )
}

/// The 1-based column (in characters) where cell `index` of `line` starts,
/// counting commas outside quotes.
fn cell_column(line: &str, index: usize) -> u32 {
    let (mut cell, mut quoted) = (0, false);
    for (column, c) in line.chars().enumerate() {
        if cell == index {
            return u32::try_from(column + 1).unwrap_or(u32::MAX);
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => cell += 1,
            _ => {}
        }
    }
    u32::try_from(line.chars().count() + 1).unwrap_or(u32::MAX)
}

/// The rank a level of representation stands for.
fn rank(level: u8) -> &'static str {
    match level {
        1 => "charge-d-affaires",
        2 => "minister",
        3 => "ambassador",
        _ => "other",
    }
}

/// Writes the scenario. Every name is written as a JSON string, which YAML
/// reads as a double-quoted scalar; ids are letters, digits and `-`.
fn scenario(
    file: &str,
    series: &Series,
    codes: &BTreeMap<u16, usize>,
    last_year: Option<i32>,
    options: &CowOptions,
    unused: &[String],
) -> String {
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string());
    let id = |code: u16| STATES[codes[&code]].1;
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "# Imported by `parity import cow` from {} (the Correlates of War Diplomatic",
        crate::diag::printable(file)
    );
    out.push_str(
        "# Exchange data set, v2006.1). Each level is a sampled observation: it holds\n\
         # from its year until the next year observed for the pair (the data set\n\
         # samples every five years), and the last until the end of its year.\n\
         # Heads are nameless; every mission is written as an embassy (the data set\n\
         # does not record the kind).\n",
    );
    if !unused.is_empty() {
        let _ = writeln!(
            out,
            "# Columns not read: {}.",
            crate::diag::printable(&unused.join(", "))
        );
    }
    let span = match (options.from, options.until) {
        (Some(f), Some(u)) => format!("{f}-{u}"),
        (Some(f), None) => format!("{f}-"),
        (None, Some(u)) => format!("-{u}"),
        (None, None) => "all".to_string(),
    };
    let _ = writeln!(out, "scenario: cow-diplomatic-exchange-{span}");
    let _ = writeln!(
        out,
        "title: {}",
        quote(&format!("COW Diplomatic Exchange v2006.1, years {span}"))
    );
    if let Some(year) = last_year {
        let _ = writeln!(out, "as_of: {year:04}");
    }
    out.push_str(
        "sources:\n  - id: cow-de-2006\n    title: \"Bayer, Resat. 2006. Diplomatic Exchange Data set, v2006.1 (Correlates of War Project)\"\n    url: https://correlatesofwar.org/data-sets/diplomatic-exchange\n",
    );
    let mut states: Vec<u16> = series.keys().flat_map(|&(s, r)| [s, r]).collect();
    states.sort_unstable();
    states.dedup();
    out.push_str(if states.is_empty() {
        "states: []\n"
    } else {
        "states:\n"
    });
    for code in &states {
        let (ccode, id, abbreviation, name) = STATES[codes[code]];
        let _ = writeln!(
            out,
            "  - id: {id}\n    name: {}  # COW {ccode} {abbreviation}",
            quote(name)
        );
    }
    let mut missions = String::new();
    for (&(sender, receiver), years) in series {
        let years: Vec<(i32, u8)> = years.iter().map(|(&y, &(l, _))| (y, l)).collect();
        let mut i = 0;
        while i < years.len() {
            if years[i].1 == 0 {
                i += 1;
                continue;
            }
            // A run of observations with some representation.
            let start = i;
            while i < years.len() && years[i].1 != 0 {
                i += 1;
            }
            let end = |k: usize| years.get(k + 1).map_or(years[k].0 + 1, |next| next.0);
            let until = end(i - 1);
            let (from, s, r) = (years[start].0, id(sender), id(receiver));
            let _ = write!(
                missions,
                "  - id: {}-in-{}-{from:04}\n    sender: {s}\n    receiver: {r}\n    kind: embassy\n    from: {from:04}\n    until: {until:04}\n    source: cow-de-2006\n    heads:\n",
                s.to_ascii_lowercase(),
                r.to_ascii_lowercase(),
            );
            let mut k = start;
            while k < i {
                let level = years[k].1;
                let head_from = years[k].0;
                while k + 1 < i && years[k + 1].1 == level {
                    k += 1;
                }
                let _ = writeln!(
                    missions,
                    "      - {{ rank: {}, from: {head_from:04}, until: {:04} }}",
                    rank(level),
                    end(k)
                );
                k += 1;
            }
        }
    }
    if missions.is_empty() {
        out.push_str("missions: []\n");
    } else {
        out.push_str("missions:\n");
        out.push_str(&missions);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell_column;

    #[test]
    fn cells_are_found_by_their_commas_outside_quotes() {
        assert_eq!(cell_column("2,20,1950,3,3", 0), 1);
        assert_eq!(cell_column("2,20,1950,3,3", 2), 6);
        assert_eq!(cell_column("\"a,b\",20,x", 1), 7);
        assert_eq!(cell_column("2,20", 5), 5);
    }
}
