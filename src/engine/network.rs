//! The diplomatic network at the date checked, as plain data: states as
//! nodes, open missions as edges sender → receiver labelled with the head's
//! rank, the missions an error or warning is about flagged, and the states
//! the findings are about. The engine draws it from the world it checked in,
//! so that the graph and Markdown renderers never need a `World`.

use super::result::Report;
use crate::lang::ast::Severity;
use crate::scenario::model::MissionKind;
use crate::scenario::world::{Entity, World};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// A state (or other sending entity) drawn as a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub label: String,
    /// A state of the world, not only the end of a mission (validation
    /// should make every end one).
    pub declared: bool,
}

/// An open mission drawn as an edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub mission: String,
    pub from: String,
    pub to: String,
    pub label: String,
    /// The mission is a subject of an error or warning finding.
    pub flagged: bool,
}

/// What to draw, already in a stable order (nodes and edges sorted by id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    pub name: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// The states the report's findings are about: a mission subject brings
    /// in its sender and receiver, a government its state.
    pub involved: BTreeSet<String>,
}

impl Network {
    /// The whole network of `world`. With a report, the missions that an
    /// error or warning is about are flagged (info findings are not alarms,
    /// and waived findings are not in `findings`).
    pub fn of(world: &World, report: Option<&Report>) -> Network {
        let flagged = flagged_missions(report);
        // BTreeMap: nodes sorted by id, whatever order the file lists them in.
        let mut nodes: BTreeMap<String, (String, bool)> = BTreeMap::new();
        for state in &world.states {
            let id = &state.record.id.value;
            let label = state.record.name.clone().unwrap_or_else(|| id.clone());
            nodes.insert(id.clone(), (label, true));
        }
        let mut edges = Vec::new();
        for row in &world.missions {
            let mission = row.record;
            let (from, to) = (&mission.sender.value, &mission.receiver.value);
            // An end with no state record still gets a node, so that every
            // edge joins two declared nodes.
            for end in [from, to] {
                nodes
                    .entry(end.clone())
                    .or_insert_with(|| (end.clone(), false));
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
                .map(|(id, (label, declared))| Node {
                    id,
                    label,
                    declared,
                })
                .collect(),
            edges,
            // From the report as Markdown shows it (texts escaped), which
            // is what its section has always been drawn from.
            involved: report
                .map(|r| involved(world, &r.printable()))
                .unwrap_or_default(),
        }
    }

    /// The same network with the missions flagged that an error or warning
    /// of `report` is about.
    pub fn flagged_by(mut self, report: &Report) -> Network {
        let flagged = flagged_missions(Some(report));
        for edge in &mut self.edges {
            edge.flagged = flagged.contains(edge.mission.as_str());
        }
        self
    }

    /// The part among `states`: the missions both of whose ends are among
    /// them, those states, and the ends of the missions kept.
    pub fn among(&self, states: &BTreeSet<String>) -> Network {
        let edges: Vec<Edge> = self
            .edges
            .iter()
            .filter(|e| states.contains(&e.from) && states.contains(&e.to))
            .cloned()
            .collect();
        let ends: HashSet<&str> = edges
            .iter()
            .flat_map(|e| [e.from.as_str(), e.to.as_str()])
            .collect();
        let nodes = self
            .nodes
            .iter()
            .filter(|n| (n.declared && states.contains(&n.id)) || ends.contains(n.id.as_str()))
            .cloned()
            .collect();
        Network {
            name: self.name.clone(),
            nodes,
            edges,
            involved: self.involved.clone(),
        }
    }
}

/// Ids of the missions that an error or warning of `report` is about.
pub fn flagged_missions(report: Option<&Report>) -> HashSet<&str> {
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

/// The states that the findings are about.
fn involved(world: &World, report: &Report) -> BTreeSet<String> {
    let mut states = BTreeSet::new();
    for id in report.findings.iter().flat_map(|f| &f.subject) {
        let Some(sym) = world.sym(id) else { continue };
        let ends = match world.entity(sym) {
            Some(Entity::Mission(_)) => world
                .mission(sym)
                .map(|m| vec![m.sender, m.receiver])
                .unwrap_or_default(),
            Some(Entity::State(_)) => vec![sym],
            Some(Entity::Government(_)) => world
                .government(sym)
                .map(|g| vec![g.state])
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        states.extend(ends.into_iter().map(|s| world.name(s).to_string()));
    }
    states
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
