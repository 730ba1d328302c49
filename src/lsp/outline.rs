//! What a scenario document holds, for hover, definition and completion:
//! every record that defines an id (read from the located YAML tree by the
//! record tables of `scenario::records`, so even a scenario that does not
//! validate has one), and which record and key a place in the text is in
//! (read from the text's indentation and flow brackets, so a document being
//! typed, which is seldom valid YAML, still has one).

use super::text::{Text, is_word};
use crate::scenario::records::{self, Key, Record, Yaml};
use crate::scenario::validate::Want;
use crate::scenario::yaml::{self, Node, Value, YamlLimits};
use crate::source::Loc;

/// A record that defines an id.
#[derive(Clone)]
pub struct Def {
    pub id: String,
    pub record: &'static Record,
    /// Where the id is written, and its width in characters (quotes included).
    pub loc: Loc,
    pub width: usize,
    /// Its other keys as written, in the table's order: `(key, value)`.
    pub facts: Vec<(&'static str, String)>,
}

/// Every id the document defines, in the order written.
#[derive(Clone, Default)]
pub struct Outline {
    pub defs: Vec<Def>,
    /// Each id's definitions (indexes into `defs`, in order): a world of
    /// 30,000 findings looked each subject up by a scan (37 s a check).
    by_id: std::collections::HashMap<String, Vec<usize>>,
}

impl Outline {
    /// The outline of a scenario text; `None` when it is not YAML (or too
    /// large or deep: the loader's limits apply).
    pub fn of(text: &Text, limits: &YamlLimits) -> Option<Outline> {
        let root = yaml::parse(text.text, "", limits).ok()?;
        let mut outline = Outline::default();
        outline.record(text, &root, &records::SCENARIO);
        for (i, def) in outline.defs.iter().enumerate() {
            outline.by_id.entry(def.id.clone()).or_default().push(i);
        }
        Some(outline)
    }

    /// The record defining `id`, of the kind `want` names when one is given
    /// (else any).
    pub fn find(&self, id: &str, want: Option<Want>) -> Option<&Def> {
        let mut named = self
            .by_id
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|i| self.defs.get(*i));
        match want {
            Some(want) => named.find(|d| wanted(d.record, want)),
            None => named.next(),
        }
    }

    /// The ids a reference of `want` may name (all, for `None`), each once.
    pub fn ids(&self, want: Option<Want>) -> Vec<&Def> {
        let mut seen = std::collections::BTreeSet::new();
        self.defs
            .iter()
            .filter(|d| want.is_none_or(|w| wanted(d.record, w)))
            .filter(|d| seen.insert(d.id.as_str()))
            .collect()
    }

    fn record(&mut self, text: &Text, node: &Node, record: &'static Record) {
        let Value::Map(entries) = &node.value else {
            return;
        };
        let mut id = None;
        let mut facts = Vec::new();
        for table_key in record.keys {
            let Some(name) = table_key.yaml else { continue };
            let Some((_, value)) = entries
                .iter()
                .find(|(k, _)| scalar(k).as_deref() == Some(name))
            else {
                continue;
            };
            match (table_key.ty, &value.value) {
                (Yaml::Id, _) => id = scalar(value).map(|v| (v, text.loc(value.span.start()))),
                (Yaml::List(inner), Value::Seq(items)) => {
                    for item in items {
                        self.record(text, item, inner);
                    }
                    facts.push((name, list_fact(items, inner)));
                }
                (Yaml::Embedded(inner), _) => {
                    self.record(text, value, inner);
                    if let Some(fact) = embedded_fact(value) {
                        facts.push((name, fact));
                    }
                }
                (Yaml::Changes, Value::Seq(items)) => {
                    for item in items {
                        let Value::Map(change) = &item.value else {
                            continue;
                        };
                        for (k, v) in change {
                            let found = records::CHANGES
                                .iter()
                                .find(|(word, _)| scalar(k).as_deref() == Some(*word));
                            if let Some((_, Yaml::Embedded(inner))) = found {
                                self.record(text, v, inner);
                            }
                        }
                    }
                    facts.push((name, format!("{} changes", items.len())));
                }
                (_, Value::Seq(items)) => {
                    let words: Vec<String> = items.iter().filter_map(scalar).collect();
                    facts.push((name, words.join(", ")));
                }
                _ => {
                    if let Some(v) = scalar(value) {
                        facts.push((name, v));
                    }
                }
            }
        }
        if let Some((id, loc)) = id {
            let width = super::features::quoted_width(text, loc, &id);
            self.defs.push(Def {
                id,
                record,
                loc,
                width,
                facts,
            });
        }
    }
}

/// A scalar as text (a number or boolean as written in the tree).
fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.to_string()),
        Value::Int(n) => Some(n.to_string()),
        Value::Float(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// "2 heads; the last: rank envoy, from 2019-03".
fn list_fact(items: &[Node], inner: &Record) -> String {
    let plural = inner
        .plural
        .strip_prefix("list of ")
        .unwrap_or(inner.plural);
    let count = format!("{} {}", items.len(), plural);
    match items.last().and_then(embedded_fact) {
        Some(last) if items.len() > 1 => format!("{count}; the last: {last}"),
        Some(last) => format!("{count}: {last}"),
        None => count,
    }
}

/// The scalar keys of a mapping, `key value, key value`.
fn embedded_fact(node: &Node) -> Option<String> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    let parts: Vec<String> = entries
        .iter()
        .filter_map(|(k, v)| Some(format!("{} {}", scalar(k)?, scalar(v)?)))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Whether a reference of `want` may name a record of this table.
fn wanted(record: &Record, want: Want) -> bool {
    let what = record.what;
    match want {
        Want::State => what == records::STATE.what,
        // A state's id is also its implicit government's.
        Want::Government | Want::StateOrGovernment => {
            what == records::STATE.what || what == records::GOVERNMENT.what
        }
        Want::Source => what == records::SOURCE.what,
        Want::Mission => what == records::MISSION.what,
    }
}

/// Which keys a place in a mapping may hold.
#[derive(Clone, Copy)]
pub enum Within {
    Record(&'static Record),
    /// An entry of a proposal's `changes`: one of `records::CHANGES`.
    Change,
}

/// Where a place in the text is, for the record tables.
pub enum Place {
    /// Where a key is written, in this record (or change).
    Key(Within),
    /// In the value of this key.
    Value(&'static Key),
    Unknown,
}

/// The table entry of `name` in `record`.
pub fn key_of(record: &'static Record, name: &str) -> Option<&'static Key> {
    record.keys.iter().find(|k| k.yaml == Some(name))
}

/// The record (or change) the value of each key in turn is, from the top level.
fn resolve(keys: &[&str]) -> Option<Within> {
    let mut within = Within::Record(&records::SCENARIO);
    for name in keys {
        let ty = match within {
            Within::Record(record) => key_of(record, name)?.ty,
            Within::Change => records::CHANGES.iter().find(|(w, _)| w == name)?.1,
        };
        within = match ty {
            Yaml::List(inner) | Yaml::Embedded(inner) => Within::Record(inner),
            Yaml::Changes => Within::Change,
            _ => return None,
        };
    }
    Some(within)
}

/// One line's block structure.
struct Shape<'t> {
    /// Column of a `- ` that starts the line's content, if any.
    dash: Option<usize>,
    /// Column of the content (after indentation and any dash).
    content: usize,
    /// The key the line starts with, and whether its value is empty (a block follows).
    key: Option<(&'t str, bool)>,
    blank: bool,
}

fn shape(line: &str) -> Shape<'_> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line.get(indent..).unwrap_or_default();
    let (dash, content, rest) = match rest.strip_prefix('-') {
        Some(after) if after.is_empty() || after.starts_with(' ') => {
            let spaces = after.len() - after.trim_start_matches(' ').len();
            (
                Some(indent),
                indent + 1 + spaces,
                after.get(spaces..).unwrap_or_default(),
            )
        }
        _ => (None, indent, rest),
    };
    let blank = dash.is_none() && (rest.is_empty() || rest.starts_with('#'));
    let key = leading_key(rest).map(|(key, value)| {
        let value = value.trim();
        (key, value.is_empty() || value.starts_with('#'))
    });
    Shape {
        dash,
        content,
        key,
        blank,
    }
}

/// `key: value` → `("key", " value")`.
fn leading_key(text: &str) -> Option<(&str, &str)> {
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(text.len(), |(i, _)| i);
    let key = text.get(..end)?;
    let rest = text.get(end..)?.strip_prefix(':')?;
    (!key.is_empty() && (rest.is_empty() || rest.starts_with([' ', '\t']))).then_some((key, rest))
}

/// The keys of the block mappings around line `index`, outermost first,
/// for content at column `limit` (`item`: the line is a list item there).
fn block_path<'t>(text: &Text<'t>, index: usize, mut limit: usize, mut item: bool) -> Vec<&'t str> {
    let mut keys = Vec::new();
    for j in (0..index).rev() {
        let s = shape(text.line(j));
        if s.blank {
            continue;
        }
        if limit == 0 && !item {
            break;
        }
        match (s.key, s.dash) {
            (Some((key, true)), dash)
                if s.content < limit || (item && s.content == limit && dash.is_none()) =>
            {
                keys.push(key);
                match dash {
                    Some(d) => {
                        limit = d;
                        item = true;
                    }
                    None => {
                        limit = s.content;
                        item = false;
                    }
                }
            }
            (_, Some(d)) if d < limit => {
                limit = d;
                item = true;
            }
            _ => {}
        }
    }
    keys.reverse();
    keys
}

/// Where byte `offset` of the text is: in which record, at a key or in
/// which key's value.
pub fn place_at(text: &Text, offset: usize) -> Place {
    let loc = text.loc(offset);
    let index = usize::try_from(loc.line.saturating_sub(1)).unwrap_or(0);
    let line = text.line(index);
    let column = usize::try_from(loc.column.saturating_sub(1)).unwrap_or(0);
    let before: String = line.chars().take(column).collect();
    let s = shape(&before);
    let (limit, item, content) = if s.blank && s.dash.is_none() {
        (column, false, "")
    } else {
        let content = before.get(s.content..).unwrap_or_default();
        (s.dash.unwrap_or(s.content), s.dash.is_some(), content)
    };
    let mut keys = block_path(text, index, limit, item);
    let (flow, in_value, key) = flow_keys(content);
    keys.extend(flow.iter().map(String::as_str));
    match (in_value, key) {
        (true, Some(key)) => {
            let Some(Within::Record(record)) = resolve(&keys) else {
                return Place::Unknown;
            };
            key_of(record, &key).map_or(Place::Unknown, Place::Value)
        }
        (true, None) => Place::Unknown,
        (false, _) => match resolve(&keys) {
            Some(within) => Place::Key(within),
            // A scalar item of a list (`between:` then `- AFG`): the list's key's value.
            None if item && flow.is_empty() => match keys.split_last() {
                Some((last, outer)) => match resolve(outer) {
                    Some(Within::Record(record)) => {
                        key_of(record, last).map_or(Place::Unknown, Place::Value)
                    }
                    _ => Place::Unknown,
                },
                None => Place::Unknown,
            },
            None => Place::Unknown,
        },
    }
}

/// The keys already written in the block mapping the place at `offset`
/// is in (its own line aside), so that completion does not offer them
/// again; none in a flow mapping (`{ ... }`), which is read no further.
pub fn present_keys<'t>(text: &Text<'t>, offset: usize) -> Vec<&'t str> {
    let loc = text.loc(offset);
    let index = usize::try_from(loc.line.saturating_sub(1)).unwrap_or(0);
    let column = usize::try_from(loc.column.saturating_sub(1)).unwrap_or(0);
    let before: String = text.line(index).chars().take(column).collect();
    if before.contains(['{', '[']) {
        return Vec::new();
    }
    let s = shape(&before);
    let col = if s.blank && s.dash.is_none() {
        column
    } else {
        s.content
    };
    let mut keys = Vec::new();
    // Up to the line that starts the item (a line of its own dash starts it here).
    if s.dash.is_none() {
        for j in (0..index).rev() {
            let l = shape(text.line(j));
            if l.blank || l.content > col {
                continue;
            }
            if l.content < col {
                break;
            }
            if let Some((key, _)) = l.key {
                keys.push(key);
            }
            if l.dash.is_some() {
                break;
            }
        }
    }
    // Down to the next item or the end of the mapping.
    for j in index + 1..text.line_count() {
        let l = shape(text.line(j));
        if l.blank || (l.content > col && l.dash.is_none_or(|d| d >= col)) {
            continue;
        }
        if l.content != col || l.dash.is_some() {
            break;
        }
        if let Some((key, _)) = l.key {
            keys.push(key);
        }
    }
    keys
}

/// Reads a line's content up to the cursor through its flow brackets: the
/// keys of the flow mappings the cursor is in (outermost first), whether it
/// is in a value, and the key of that value.
fn flow_keys(content: &str) -> (Vec<String>, bool, Option<String>) {
    let mut stack: Vec<(char, Option<String>)> = Vec::new();
    let mut key: Option<String> = None;
    let mut in_value = false;
    let mut word = String::new();
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
                word.clear();
            }
            '#' if !in_value || word.is_empty() => break,
            ':' if chars.peek().is_none_or(|n| *n == ' ') => {
                key = Some(std::mem::take(&mut word));
                in_value = true;
            }
            '{' => {
                stack.push(('{', key.take()));
                in_value = false;
                word.clear();
            }
            '[' => {
                stack.push(('[', key.clone()));
                in_value = true;
                word.clear();
            }
            ',' => {
                if let Some(('{', _)) = stack.last() {
                    in_value = false;
                    key = None;
                }
                word.clear();
            }
            '}' | ']' => {
                key = stack.pop().and_then(|(_, k)| k);
                in_value = true;
                word.clear();
            }
            c if is_word(c) => word.push(c),
            _ => word.clear(),
        }
    }
    // The keys of the mappings entered: a `{` after `key:` is `key`'s record;
    // a `[` of mappings is its key's list.
    // Asked once: per bracket it made 100,000 `[` on a line ten seconds.
    let any_mapping = stack.iter().any(|(b, _)| *b == '{');
    let mut keys = Vec::new();
    for (bracket, k) in &stack {
        if let Some(k) = k
            && (*bracket == '{' || any_mapping)
        {
            keys.push(k.clone());
        }
    }
    (keys, in_value, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(text: &str) -> String {
        let offset = text.find('|').unwrap_or(text.len());
        let text = text.replacen('|', "", 1);
        match place_at(&Text::new(&text), offset) {
            Place::Key(Within::Record(r)) => format!("key of {}", r.what),
            Place::Key(Within::Change) => "key of a change".to_string(),
            Place::Value(k) => format!("value of {}", k.yaml.unwrap_or("?")),
            Place::Unknown => "unknown".to_string(),
        }
    }

    #[test]
    fn the_record_at_a_place_is_read_from_indentation_and_brackets() {
        assert_eq!(place("scenario: x\n|"), "key of the scenario");
        assert_eq!(place("missions:\n  - id: m\n    |"), "key of a mission");
        assert_eq!(
            place("missions:\n  - id: m\n    heads:\n      - rank: |"),
            "value of rank"
        );
        assert_eq!(
            place("missions:\n  - id: m\n    heads:\n      - ra|"),
            "key of a head"
        );
        assert_eq!(place("missions:\n- id: m\n  sender: |"), "value of sender");
        assert_eq!(place("states:\n  - { id: AFG, na|"), "key of a state");
        assert_eq!(
            place("missions:\n  - id: m\n    heads:\n      - { rank: envoy, credentials: { to: |"),
            "value of to"
        );
        assert_eq!(
            place("waivers:\n  - rule: x\n    subject: [a, |"),
            "value of subject"
        );
        assert_eq!(
            place("relations:\n  - between:\n      - |"),
            "value of between"
        );
        assert_eq!(
            place("proposals:\n  - id: p\n    changes:\n      - |"),
            "key of a change"
        );
        assert_eq!(
            place("proposals:\n  - id: p\n    changes:\n      - appoint:\n          mission: |"),
            "value of mission"
        );
        assert_eq!(
            place("states:\n  - id: AFG\n\n# note\n  - id: |"),
            "value of id"
        );
    }

    fn present(text: &str) -> Vec<String> {
        let offset = text.find('|').unwrap_or(text.len());
        let text = text.replacen('|', "", 1);
        present_keys(&Text::new(&text), offset)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_keys_written_in_the_mapping_are_known() {
        let text = "missions:\n  - id: m\n    sender: A\n    heads:\n      - rank: envoy\n    |\n    receiver: B\n  - id: n\n    kind: embassy\n";
        assert_eq!(present(text), ["heads", "sender", "id", "receiver"]);
        assert_eq!(
            present("missions:\n  - id: m\n  - |\n    kind: x\n"),
            ["kind"]
        );
        assert_eq!(present("states:\n  - { id: A, |"), Vec::<String>::new());
        assert_eq!(
            present("scenario: x\nas_of: 2024\n|"),
            ["as_of", "scenario"]
        );
    }
}
