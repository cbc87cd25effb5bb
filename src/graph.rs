//! Stage 6: graph. Turns the resolved corpus into a directed multigraph of people,
//! organizations, places and events. This is the only module that names petgraph types;
//! the rest of the crate talks about [`KnowledgeGraph`], [`Node`] and [`Edge`].

use crate::entities::EntityKind;
use crate::events::{EventType, Role};
use crate::resolve::{DocumentInfo, Evidence, Resolved};
use crate::time::DateInterval;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// A person.
    Person,
    /// An organization.
    Organization,
    /// A place.
    Location,
    /// Something that happened.
    Event,
}

impl NodeKind {
    /// The lowercase name used in ids and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Person => "person",
            NodeKind::Organization => "organization",
            NodeKind::Location => "location",
            NodeKind::Event => "event",
        }
    }
}

impl std::str::FromStr for NodeKind {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "person" => Ok(NodeKind::Person),
            "organization" => Ok(NodeKind::Organization),
            "location" => Ok(NodeKind::Location),
            "event" => Ok(NodeKind::Event),
            _ => Err(crate::Error::InvalidValue {
                what: "node kind",
                value: s.into(),
                expected: "one of person, organization, location, event".into(),
            }),
        }
    }
}

impl From<EntityKind> for NodeKind {
    fn from(k: EntityKind) -> NodeKind {
        match k {
            EntityKind::Person => NodeKind::Person,
            EntityKind::Organization => NodeKind::Organization,
            EntityKind::Location => NodeKind::Location,
        }
    }
}

/// What an edge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Entity -> event: the entity did it.
    Agent,
    /// Event -> entity: it was done to the entity.
    Patient,
    /// Event -> entity: the entity took part some other way.
    Participant,
    /// Event -> place: where it happened.
    LocatedIn,
    /// Person -> organization or place: the person holds a title there.
    Role,
    /// Event -> event: the first ended before the second began.
    Before,
}

impl Relation {
    /// The snake_case name used in outputs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Agent => "agent",
            Relation::Patient => "patient",
            Relation::Participant => "participant",
            Relation::LocatedIn => "located_in",
            Relation::Role => "role",
            Relation::Before => "before",
        }
    }
}

impl std::str::FromStr for Relation {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "agent" => Ok(Relation::Agent),
            "patient" => Ok(Relation::Patient),
            "participant" => Ok(Relation::Participant),
            "located_in" => Ok(Relation::LocatedIn),
            "role" => Ok(Relation::Role),
            "before" => Ok(Relation::Before),
            _ => Err(crate::Error::InvalidValue {
                what: "relation",
                value: s.into(),
                expected: "one of agent, patient, participant, located_in, role, before".into(),
            }),
        }
    }
}

/// The attributes only events have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAttrs {
    /// The trigger word as first written.
    pub trigger: String,
    /// Its lemma.
    pub lemma: String,
    /// The event type (PLOVER-style category).
    pub event_type: EventType,
    /// TIMEX3 value of its date, or null when the text gives none.
    pub date: Option<String>,
    /// The words that gave the date.
    pub date_text: Option<String>,
    /// First day of the date's interval (inclusive).
    pub date_start: Option<chrono::NaiveDate>,
    /// Day after the date's interval (exclusive).
    pub date_end: Option<chrono::NaiveDate>,
}

/// A node of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Stable id: `person:donald-trump`, `event:<doc>:<offset>`.
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// Canonical name (for events: "date trigger").
    pub label: String,
    /// Other names seen.
    pub aliases: Vec<String>,
    /// Every mention, with document, offsets and sentence.
    pub mentions: Vec<Evidence>,
    /// Event attributes, for event nodes.
    #[serde(flatten, skip_serializing_if = "Option::is_none", default)]
    pub event: Option<EventAttrs>,
    /// Why mentions were merged into this node.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub merges: Vec<String>,
}

/// An edge of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// What it says.
    pub relation: Relation,
    /// The title, for role edges ("press secretary").
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    /// Where the text says so (empty for `before` edges derived from dates).
    pub evidence: Vec<Evidence>,
}

/// The event-timeline knowledge graph.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeGraph {
    graph: DiGraph<Node, Edge>,
    by_id: HashMap<String, NodeIndex>,
    /// The documents the graph was built from.
    pub documents: Vec<DocumentInfo>,
}

/// A lowercase ASCII slug for ids: "Donald Trump" -> "donald-trump".
pub fn slug(label: &str) -> String {
    let mut s = String::with_capacity(label.len());
    for c in label.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() {
        s.push('x');
    }
    s
}

impl KnowledgeGraph {
    /// Builds the graph from a resolved corpus.
    pub fn from_resolved(r: &Resolved) -> KnowledgeGraph {
        let mut g = KnowledgeGraph {
            documents: r.documents.clone(),
            ..KnowledgeGraph::default()
        };
        let mut entity_nodes = Vec::with_capacity(r.entities.len());
        for e in &r.entities {
            let kind = NodeKind::from(e.kind);
            let base = format!("{}:{}", kind.as_str(), slug(&e.label));
            let id = g.unique_id(base);
            entity_nodes.push(g.add_node(Node {
                id,
                kind,
                label: e.label.clone(),
                aliases: e.aliases.iter().cloned().collect(),
                mentions: e.mentions.clone(),
                event: None,
                merges: e.merges.clone(),
            }));
        }
        for r in &r.roles {
            if let Some(org) = r.organization {
                let (a, b) = (entity_nodes[r.person.0], entity_nodes[org.0]);
                if a != b {
                    g.add_evidence_edge(
                        a,
                        b,
                        Relation::Role,
                        Some(r.title.clone()),
                        r.evidence.clone(),
                    );
                }
            }
        }
        let mut dated = Vec::new();
        for ev in &r.events {
            let first = &ev.mentions[0];
            let id = g.unique_id(format!("event:{}:{}", first.doc, first.start));
            let label = match &ev.date {
                Some(d) => format!("{d} {}", ev.trigger),
                None => ev.trigger.clone(),
            };
            let n = g.add_node(Node {
                id,
                kind: NodeKind::Event,
                label,
                aliases: Vec::new(),
                mentions: ev.mentions.clone(),
                event: Some(EventAttrs {
                    trigger: ev.trigger.clone(),
                    lemma: ev.lemma.clone(),
                    event_type: ev.event_type,
                    date: ev.date.clone(),
                    date_text: ev.date_text.clone(),
                    date_start: ev.interval.map(|i| i.start),
                    date_end: ev.interval.map(|i| i.end),
                }),
                merges: Vec::new(),
            });
            if let Some(i) = ev.interval {
                dated.push((first.doc.clone(), i, n));
            }
            for p in &ev.participants {
                let target = entity_nodes[p.entity.0];
                let is_place = r.entities[p.entity.0].kind == EntityKind::Location;
                let (from, to, rel) = match p.role {
                    Role::Agent => (target, n, Relation::Agent),
                    Role::Patient => (n, target, Relation::Patient),
                    Role::Other if is_place => (n, target, Relation::LocatedIn),
                    Role::Other => (n, target, Relation::Participant),
                };
                g.add_evidence_edge(from, to, rel, None, p.evidence.clone());
            }
        }
        // `before` edges between consecutive dated events of one article whose intervals do
        // not overlap: a chain whose transitive closure is the article's timeline order.
        // Across articles the dates themselves order events (`tkg query timeline`); linking
        // every event of a busy day to every event of the next would grow quadratically.
        dated.sort_by(|(da, ia, na), (db, ib, nb)| {
            (da, ia.start, ia.end, na).cmp(&(db, ib.start, ib.end, nb))
        });
        let mut groups: Vec<(&str, DateInterval, Vec<NodeIndex>)> = Vec::new();
        for (doc, i, n) in &dated {
            match groups.last_mut() {
                Some((gd, gi, ns)) if *gd == doc.as_str() && gi == i => ns.push(*n),
                _ => groups.push((doc.as_str(), *i, vec![*n])),
            }
        }
        for w in groups.windows(2) {
            let (a, b) = ((w[0].1, &w[0].2), (w[1].1, &w[1].2));
            if w[0].0 == w[1].0 && a.0.end <= b.0.start {
                for &x in a.1 {
                    for &y in b.1 {
                        g.graph.add_edge(
                            x,
                            y,
                            Edge {
                                relation: Relation::Before,
                                title: None,
                                evidence: Vec::new(),
                            },
                        );
                    }
                }
            }
        }
        g
    }

    /// The resolved corpus this graph was built from, so a graph read back from JSON can
    /// keep growing (`tkg build --into`): `from_resolved(g.to_resolved())` rebuilds `g`.
    pub fn to_resolved(&self) -> crate::resolve::Resolved {
        use crate::resolve::{EntityId, Event, EventParticipant, RoleLink};
        let mut entity_index: HashMap<NodeIndex, usize> = HashMap::new();
        let mut entities = Vec::new();
        let mut event_index: HashMap<NodeIndex, usize> = HashMap::new();
        let mut events: Vec<Event> = Vec::new();
        for n in self.graph.node_indices() {
            let node = &self.graph[n];
            let kind = match node.kind {
                NodeKind::Person => EntityKind::Person,
                NodeKind::Organization => EntityKind::Organization,
                NodeKind::Location => EntityKind::Location,
                NodeKind::Event => {
                    let Some(e) = &node.event else { continue };
                    event_index.insert(n, events.len());
                    events.push(Event {
                        trigger: e.trigger.clone(),
                        lemma: e.lemma.clone(),
                        event_type: e.event_type,
                        date: e.date.clone(),
                        date_text: e.date_text.clone(),
                        interval: e
                            .date_start
                            .zip(e.date_end)
                            .map(|(start, end)| DateInterval { start, end }),
                        mentions: node.mentions.clone(),
                        participants: Vec::new(),
                    });
                    continue;
                }
            };
            entity_index.insert(n, entities.len());
            entities.push(crate::resolve::Entity {
                kind,
                label: node.label.clone(),
                aliases: node.aliases.iter().cloned().collect(),
                mentions: node.mentions.clone(),
                merges: node.merges.clone(),
            });
        }
        let mut roles = Vec::new();
        for e in self.graph.edge_references() {
            let (s, t, w) = (e.source(), e.target(), e.weight());
            let participant = |event: NodeIndex, entity: NodeIndex, role: Role| {
                Some((event_index.get(&event)?, entity_index.get(&entity)?, role))
            };
            let link = match w.relation {
                Relation::Agent => participant(t, s, Role::Agent),
                Relation::Patient => participant(s, t, Role::Patient),
                Relation::Participant | Relation::LocatedIn => participant(s, t, Role::Other),
                Relation::Role => {
                    if let (Some(&p), Some(&o)) = (entity_index.get(&s), entity_index.get(&t)) {
                        for ev in &w.evidence {
                            roles.push(RoleLink {
                                person: EntityId(p),
                                organization: Some(EntityId(o)),
                                title: w.title.clone().unwrap_or_default(),
                                evidence: ev.clone(),
                            });
                        }
                    }
                    None
                }
                Relation::Before => None,
            };
            if let Some((&ev, &ent, role)) = link {
                for evidence in &w.evidence {
                    events[ev].participants.push(EventParticipant {
                        role,
                        entity: EntityId(ent),
                        evidence: evidence.clone(),
                    });
                }
            }
        }
        for ev in &mut events {
            ev.participants.sort();
        }
        roles.sort();
        crate::resolve::Resolved {
            documents: self.documents.clone(),
            entities,
            events,
            roles,
        }
    }

    fn unique_id(&self, base: String) -> String {
        if !self.by_id.contains_key(&base) {
            return base;
        }
        (2..)
            .map(|k| format!("{base}-{k}"))
            .find(|c| !self.by_id.contains_key(c))
            .unwrap_or(base)
    }

    fn add_node(&mut self, node: Node) -> NodeIndex {
        let id = node.id.clone();
        let n = self.graph.add_node(node);
        self.by_id.insert(id, n);
        n
    }

    /// Adds an edge, or adds the evidence to an existing edge with the same ends, relation
    /// and title.
    fn add_evidence_edge(
        &mut self,
        a: NodeIndex,
        b: NodeIndex,
        relation: Relation,
        title: Option<String>,
        evidence: Evidence,
    ) {
        let existing = self
            .graph
            .edges_connecting(a, b)
            .find(|e| e.weight().relation == relation && e.weight().title == title)
            .map(|e| e.id());
        match existing {
            Some(e) => {
                let w = &mut self.graph[e];
                if !w.evidence.contains(&evidence) {
                    w.evidence.push(evidence);
                }
            }
            None => {
                self.graph.add_edge(
                    a,
                    b,
                    Edge {
                        relation,
                        title,
                        evidence: vec![evidence],
                    },
                );
            }
        }
    }

    /// Rebuilds a graph from its parts (as read back from a JSON export); edges name
    /// their ends by node id.
    pub fn from_parts(
        documents: Vec<DocumentInfo>,
        nodes: Vec<Node>,
        edges: Vec<(String, String, Edge)>,
    ) -> std::result::Result<KnowledgeGraph, String> {
        let mut g = KnowledgeGraph {
            documents,
            ..KnowledgeGraph::default()
        };
        for n in nodes {
            if g.by_id.contains_key(&n.id) {
                return Err(format!("duplicate node id {:?}", n.id));
            }
            g.add_node(n);
        }
        for (s, t, e) in edges {
            let a = *g
                .by_id
                .get(&s)
                .ok_or_else(|| format!("edge from unknown node {s:?}"))?;
            let b = *g
                .by_id
                .get(&t)
                .ok_or_else(|| format!("edge to unknown node {t:?}"))?;
            g.graph.add_edge(a, b, e);
        }
        Ok(g)
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Nodes in their stable order (entities by kind and name, then events).
    pub fn nodes(&self) -> impl Iterator<Item = &Node> + '_ {
        self.graph.node_weights()
    }

    /// Edges in their stable order, with their end nodes.
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Node, &Edge)> + '_ {
        self.graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.by_id.get(id).map(|&n| &self.graph[n])
    }

    /// Counts of nodes by kind and edges by relation, for summaries.
    pub fn counts(&self) -> (BTreeMap<NodeKind, usize>, BTreeMap<Relation, usize>) {
        let mut nodes = BTreeMap::new();
        for n in self.nodes() {
            *nodes.entry(n.kind).or_insert(0) += 1;
        }
        let mut edges = BTreeMap::new();
        for (_, _, e) in self.edges() {
            *edges.entry(e.relation).or_insert(0) += 1;
        }
        (nodes, edges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_safe_and_never_empty() {
        for (label, expected) in [
            ("Donald Trump", "donald-trump"),
            ("U.S.", "u-s"),
            ("  ", "x"),
            ("Caf\u{e9} \"X\"", "caf\u{e9}-x"),
        ] {
            assert_eq!(slug(label), expected);
        }
    }

    #[test]
    fn before_edges_order_the_events_of_each_article_only() {
        use crate::resolve::{Event, Evidence, Resolved};
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
        let event = |doc: &str, start: usize, d: u32| Event {
            trigger: "met".into(),
            lemma: "meet".into(),
            event_type: EventType::Consult,
            date: Some(day(d).to_string()),
            date_text: None,
            interval: Some(DateInterval {
                start: day(d),
                end: day(d + 1),
            }),
            mentions: vec![Evidence {
                doc: doc.into(),
                start,
                end: start + 3,
                sentence: String::new(),
            }],
            participants: Vec::new(),
        };
        let r = Resolved {
            events: vec![
                event("a", 0, 1),
                event("a", 10, 1),
                event("a", 20, 2),
                event("b", 0, 2),
                event("b", 10, 3),
            ],
            ..Resolved::default()
        };
        let g = KnowledgeGraph::from_resolved(&r);
        let mut before: Vec<(String, String)> = g
            .edges()
            .filter(|(_, _, e)| e.relation == Relation::Before)
            .map(|(s, t, _)| (s.id.clone(), t.id.clone()))
            .collect();
        before.sort();
        assert_eq!(
            before,
            [
                ("event:a:0".to_string(), "event:a:20".to_string()),
                ("event:a:10".to_string(), "event:a:20".to_string()),
                ("event:b:0".to_string(), "event:b:10".to_string()),
            ]
        );
    }
}
