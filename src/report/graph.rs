//! The diplomatic network at a date, as a Graphviz (dot) or Mermaid graph:
//! states as nodes, open missions as edges sender → receiver labelled with
//! the head's rank, and the missions that an error or warning is about
//! highlighted, from the `Network` the engine drew. `markdown` draws its
//! diagram with the Mermaid writer here.

use super::{Context, Render, Report};
use crate::engine::network::Network;
use crate::scenario::world::World;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// Which graph language to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

/// Renders the whole network of `world`, flagged from `report` (the
/// library's entry point for a caller that holds a world; `parity graph`
/// renders the network the engine drew).
pub fn render(world: &World, report: Option<&Report>, format: GraphFormat) -> String {
    let network = Network::of(world, report);
    match format {
        GraphFormat::Dot => dot(&network),
        GraphFormat::Mermaid => mermaid(&network),
    }
}

/// `parity graph --format dot`: the first report's network.
pub struct Dot;

/// `parity graph --format mermaid`.
pub struct Mermaid;

impl Render for Dot {
    fn needs_network(&self) -> bool {
        true
    }

    fn render(&self, cx: &Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let network = cx.networks.first().cloned().unwrap_or_default();
        out.write_all(dot(&network).as_bytes())
    }
}

impl Render for Mermaid {
    fn needs_network(&self) -> bool {
        true
    }

    fn render(&self, cx: &Context, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let network = cx.networks.first().cloned().unwrap_or_default();
        out.write_all(mermaid(&network).as_bytes())
    }
}

impl GraphFormat {
    /// The renderer of this graph language.
    pub fn renderer(self) -> &'static dyn Render {
        match self {
            GraphFormat::Dot => &Dot,
            GraphFormat::Mermaid => &Mermaid,
        }
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
