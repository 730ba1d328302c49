//! The diplomatic network at a date, as a Graphviz (dot) or Mermaid graph:
//! states as nodes, open missions as edges sender → receiver labelled with
//! the head's rank, and the missions that an error or warning is about
//! highlighted. `markdown` draws its diagram with the Mermaid writer here.

use super::Report;
use crate::lang::ast::Severity;
use crate::scenario::model::MissionKind;
use crate::scenario::world::World;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

/// Which graph language to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

/// A state (or other sending entity) drawn as a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub id: String,
    pub label: String,
}

/// An open mission drawn as an edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edge {
    pub mission: String,
    pub from: String,
    pub to: String,
    pub label: String,
    /// The mission is a subject of an error or warning finding.
    pub flagged: bool,
}

/// What to draw, already in a stable order (nodes and edges sorted by id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Network {
    pub name: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// Renders the whole network of `world`. With a report, the missions that an
/// error or warning is about are highlighted (info findings are not alarms,
/// and waived findings are not in `findings`).
pub fn render(world: &World, report: Option<&Report>, format: GraphFormat) -> String {
    let network = network(world, report, None);
    match format {
        GraphFormat::Dot => dot(&network),
        GraphFormat::Mermaid => mermaid(&network),
    }
}

/// Ids of the missions that an error or warning of `report` is about.
pub(crate) fn flagged_missions(report: Option<&Report>) -> HashSet<&str> {
    report
        .map(|r| {
            r.findings
                .iter()
                .filter(|f| f.severity >= Severity::Warning)
                .flat_map(|f| f.subject.iter().map(String::as_str))
                .collect()
        })
        .unwrap_or_default()
}

/// The network of `world`, restricted to the states in `only` when given:
/// then a mission is drawn when both its ends are among them.
pub(crate) fn network(
    world: &World,
    report: Option<&Report>,
    only: Option<&BTreeSet<String>>,
) -> Network {
    let flagged = flagged_missions(report);
    let keep = |id: &str| only.is_none_or(|set| set.contains(id));
    // BTreeMap: nodes sorted by id, whatever order the file lists them in.
    let mut nodes: BTreeMap<String, String> = BTreeMap::new();
    for state in &world.states {
        let id = &state.record.id.value;
        if keep(id) {
            let label = state.record.name.clone().unwrap_or_else(|| id.clone());
            nodes.insert(id.clone(), label);
        }
    }
    let mut edges = Vec::new();
    for row in &world.missions {
        let mission = row.record;
        let (from, to) = (&mission.sender.value, &mission.receiver.value);
        if !keep(from) || !keep(to) {
            continue;
        }
        // An end with no state record (validation should prevent it) still
        // gets a node, so that every edge joins two declared nodes.
        for end in [from, to] {
            nodes.entry(end.clone()).or_insert_with(|| end.clone());
        }
        edges.push(Edge {
            mission: mission.id.value.clone(),
            from: from.clone(),
            to: to.clone(),
            label: edge_label(mission.kind.value, row.head.map(|h| h.rank.value.word())),
            flagged: flagged.contains(mission.id.value.as_str()),
        });
    }
    edges.sort_by(|a, b| a.mission.cmp(&b.mission));
    Network {
        name: world.scenario.id.value.clone(),
        nodes: nodes
            .into_iter()
            .map(|(id, label)| Node { id, label })
            .collect(),
        edges,
    }
}

/// The head's rank, or "no head"; other posts than embassies say what they are,
/// since a consul general is not a rank to compare with an ambassador's.
fn edge_label(kind: MissionKind, rank: Option<&str>) -> String {
    let head = rank.unwrap_or("no head");
    match kind {
        MissionKind::Embassy => head.to_string(),
        other => format!("{other}: {head}"),
    }
}

/// Graphviz: every id and label quoted, so any text is a valid `ID`.
pub(crate) fn dot(network: &Network) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", dot_quote(&network.name));
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(out, "  node [shape=box];");
    for node in &network.nodes {
        let _ = writeln!(
            out,
            "  {} [label={}];",
            dot_quote(&node.id),
            dot_quote(&node.label)
        );
    }
    for edge in &network.edges {
        let style = if edge.flagged {
            ", color=red, penwidth=2"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} -> {} [id={}, label={}{style}];",
            dot_quote(&edge.from),
            dot_quote(&edge.to),
            dot_quote(&edge.mission),
            dot_quote(&edge.label)
        );
    }
    out.push_str("}\n");
    out
}

/// A dot double-quoted string. Backslashes are doubled so that label escapes
/// (`\n`, `\N`, `\l`) in ids are shown as written, not interpreted.
fn dot_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in crate::diag::printable(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Mermaid `graph LR`, the one Mermaid writer (markdown.rs uses it too).
/// Flagged edges get a ⚠ in their label (readable without colour) and a red
/// `linkStyle`, which counts edges in the order they are written.
pub(crate) fn mermaid(network: &Network) -> String {
    let ids = MermaidIds::new(network.nodes.iter().map(|n| n.id.as_str()));
    let mut out = String::from("graph LR\n");
    for node in &network.nodes {
        let _ = writeln!(
            out,
            "  {}[\"{}\"]",
            ids.get(&node.id),
            mermaid_text(&node.label)
        );
    }
    let mut flagged = Vec::new();
    for (index, edge) in network.edges.iter().enumerate() {
        let label = if edge.flagged {
            flagged.push(index);
            format!("⚠ {}", edge.label)
        } else {
            edge.label.clone()
        };
        let _ = writeln!(
            out,
            "  {} -->|\"{}\"| {}",
            ids.get(&edge.from),
            mermaid_text(&label),
            ids.get(&edge.to)
        );
    }
    // One statement per edge: comma lists in linkStyle need a recent Mermaid.
    for index in flagged {
        let _ = writeln!(out, "  linkStyle {index} stroke:red,stroke-width:2px");
    }
    out
}

/// Text inside a quoted Mermaid label. Mermaid has no backslash escapes:
/// `"` and the characters it would read as markup or entity codes are
/// written as its `#code;` entities.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::diag::printable(text).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Mermaid node ids: scenario ids made safe. Letters, digits, `_` and `-`
/// are kept (`afg-in-kaz`, `EU`); anything else becomes `_`; ids that Mermaid
/// reads as keywords (`end`, `graph`, ...) or that do not start with a letter
/// or digit get an `n_` prefix; collisions after that get a numeric suffix.
struct MermaidIds {
    map: BTreeMap<String, String>,
}

impl MermaidIds {
    fn new<'a>(ids: impl Iterator<Item = &'a str>) -> MermaidIds {
        const KEYWORDS: &[&str] = &[
            "end",
            "graph",
            "flowchart",
            "subgraph",
            "style",
            "linkstyle",
            "classdef",
            "class",
            "click",
            "call",
            "href",
            "direction",
            "default",
        ];
        let mut map = BTreeMap::new();
        let mut taken: HashSet<String> = HashSet::new();
        // For each safe form, the suffix to try next: every smaller one is
        // taken, so ids that all map to one form cost one try each, not n.
        let mut next: HashMap<String, usize> = HashMap::new();
        let mut sorted: Vec<&str> = ids.collect();
        sorted.sort_unstable();
        sorted.dedup();
        for id in sorted {
            let mut safe: String = id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let starts_well = safe
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if !starts_well || KEYWORDS.contains(&safe.to_ascii_lowercase().as_str()) {
                safe = format!("n_{safe}");
            }
            let mut unique = safe.clone();
            let mut n = next.get(&safe).copied().unwrap_or(2);
            while taken.contains(&unique) {
                unique = format!("{safe}_{n}");
                n += 1;
            }
            next.insert(safe, n);
            taken.insert(unique.clone());
            map.insert(id.to_string(), unique);
        }
        MermaidIds { map }
    }

    fn get(&self, id: &str) -> String {
        // Every edge end is a node, so the fallback is never written.
        self.map
            .get(id)
            .cloned()
            .unwrap_or_else(|| "n_unknown".to_string())
    }
}
