//! Stage 6: graph. Turns the resolved corpus into a directed multigraph of people,
//! organizations, places and events. This is the only module that names petgraph types;
//! the rest of the crate talks about [`KnowledgeGraph`], [`Node`] and [`Edge`].

use crate::entities::EntityKind;
use crate::events::{EventType, OrderEdge, Role};
use crate::pos::FxHashMap;
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
    /// The external id a user dictionary gives the entity (a Wikidata QID such as
    /// `Q22686`, or an IRI or prefixed id); see `docs/dictionary.md`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
}

/// An edge of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// What it says.
    pub relation: Relation,
    /// The title, for role edges ("press secretary"); for `before` edges the text states,
    /// the cue words ("after", "followed by").
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    /// Where the text says so (empty for `before` edges derived from dates).
    pub evidence: Vec<Evidence>,
}

impl Edge {
    /// True for a `before` edge the text states with a cue ("after", "followed"), false
    /// for one derived from dates (which carries no evidence).
    pub fn is_textual_before(&self) -> bool {
        self.relation == Relation::Before && !self.evidence.is_empty()
    }
}

/// Why ordering statements of the graph cannot all hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContradictionKind {
    /// The text puts A before B, but B's date ends before A's date begins.
    Dates,
    /// The `before` relation (dates and text together) runs in a cycle.
    Cycle,
}

/// One `before` statement taking part in a contradiction.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OrderClaim {
    /// Id of the event said to come first.
    pub before: String,
    /// Id of the event said to come after it.
    pub after: String,
    /// The cue words, or null for an edge derived from dates.
    pub cue: Option<String>,
    /// Where the text says so (empty for an edge derived from dates).
    pub evidence: Vec<Evidence>,
}

/// Ordering statements that contradict each other. The graph keeps every edge: a
/// contradiction is reported (by `tkg build` on stderr, `tkg query GRAPH contradictions`,
/// `tkg timeline`), never resolved by dropping evidence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Contradiction {
    /// What kind of conflict.
    pub kind: ContradictionKind,
    /// The `before` edges in conflict (textual ones first for `dates`; every edge of the
    /// cycle for `cycle`).
    pub claims: Vec<OrderClaim>,
    /// One line saying what is wrong.
    pub reason: String,
}

/// The edge between two nodes with a relation and a title, while a graph is built.
type EdgeLookup =
    FxHashMap<(NodeIndex, NodeIndex, Relation, Option<String>), petgraph::graph::EdgeIndex>;

/// The event-timeline knowledge graph.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeGraph {
    graph: DiGraph<Node, Edge>,
    by_id: HashMap<String, NodeIndex>,
    /// The documents the graph was built from.
    pub documents: Vec<DocumentInfo>,
}

/// The label of an event node: its date, when it has one, then the trigger
/// ("2025-03-01 ceasefire"); both graph writers use it, so their bytes agree.
pub(crate) fn event_label(ev: &crate::resolve::Event) -> String {
    match &ev.date {
        Some(d) => format!("{d} {}", ev.trigger),
        None => ev.trigger.clone(),
    }
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
    /// Builds the graph from a resolved corpus, its textual ordering cues included (see
    /// [`KnowledgeGraph::from_resolved_with_order`]).
    pub fn from_resolved(mut r: Resolved) -> KnowledgeGraph {
        let order = std::mem::take(&mut r.order);
        KnowledgeGraph::from_resolved_with_order(r, &order)
    }

    /// Builds the graph from a resolved corpus and the textual ordering cues between its
    /// events: each becomes a `before` edge titled with the cue words, whose evidence is
    /// the cue in its sentence; the same pair and cue stated twice is one edge with two
    /// pieces of evidence. Cues are added in a canonical order (sorted), so the graph does
    /// not depend on the order the resolver met them in. A cue naming an event index out
    /// of range, or one event on both ends, is skipped. Takes the corpus by value and moves
    /// its evidence into the graph instead of copying it.
    pub fn from_resolved_with_order(mut r: Resolved, order: &[OrderEdge]) -> KnowledgeGraph {
        let mut g = KnowledgeGraph {
            documents: std::mem::take(&mut r.documents),
            ..KnowledgeGraph::default()
        };
        // Edges added so far by (source, target, relation, title), so that finding the edge
        // to add evidence to does not walk every edge of a hub entity.
        let mut edge_index = EdgeLookup::default();
        let mut entity_nodes = Vec::with_capacity(r.entities.len());
        for e in &mut r.entities {
            let kind = NodeKind::from(e.kind);
            let base = format!("{}:{}", kind.as_str(), slug(&e.label));
            let id = g.unique_id(base);
            entity_nodes.push(g.add_node(Node {
                id,
                kind,
                label: std::mem::take(&mut e.label),
                aliases: std::mem::take(&mut e.aliases).into_iter().collect(),
                mentions: std::mem::take(&mut e.mentions),
                event: None,
                merges: std::mem::take(&mut e.merges),
                external_id: e.external_id.take(),
            }));
        }
        for r in std::mem::take(&mut r.roles) {
            if let Some(org) = r.organization {
                let (a, b) = (entity_nodes[r.person.0], entity_nodes[org.0]);
                if a != b {
                    g.add_evidence_edge(
                        &mut edge_index,
                        a,
                        b,
                        Relation::Role,
                        Some(r.title),
                        r.evidence,
                    );
                }
            }
        }
        let mut dated = Vec::new();
        let mut event_nodes = Vec::with_capacity(r.events.len());
        for ev in &mut r.events {
            let first_doc = ev.mentions[0].doc.clone();
            let id = g.unique_id(format!("event:{}:{}", first_doc, ev.mentions[0].start));
            let label = event_label(ev);
            let n = g.add_node(Node {
                id,
                kind: NodeKind::Event,
                label,
                aliases: Vec::new(),
                mentions: std::mem::take(&mut ev.mentions),
                event: Some(EventAttrs {
                    trigger: std::mem::take(&mut ev.trigger),
                    lemma: std::mem::take(&mut ev.lemma),
                    event_type: ev.event_type,
                    date: ev.date.take(),
                    date_text: ev.date_text.take(),
                    date_start: ev.interval.map(|i| i.start),
                    date_end: ev.interval.map(|i| i.end),
                }),
                merges: Vec::new(),
                external_id: None,
            });
            event_nodes.push(n);
            if let Some(i) = ev.interval {
                dated.push((first_doc, i, n));
            }
            for p in std::mem::take(&mut ev.participants) {
                let target = entity_nodes[p.entity.0];
                let is_place = r.entities[p.entity.0].kind == EntityKind::Location;
                let (from, to, rel) = match p.role {
                    Role::Agent => (target, n, Relation::Agent),
                    Role::Patient => (n, target, Relation::Patient),
                    Role::Other if is_place => (n, target, Relation::LocatedIn),
                    Role::Other => (n, target, Relation::Participant),
                };
                g.add_evidence_edge(&mut edge_index, from, to, rel, None, p.evidence);
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
                Some((gd, gi, ns)) if *gd == &**doc && gi == i => ns.push(*n),
                _ => groups.push((&**doc, *i, vec![*n])),
            }
        }
        for w in groups.windows(2) {
            let (a, b) = ((w[0].1, &w[0].2), (w[1].1, &w[1].2));
            if w[0].0 == w[1].0 && a.0.end <= b.0.start {
                for &x in a.1 {
                    for &y in b.1 {
                        let e = g.graph.add_edge(
                            x,
                            y,
                            Edge {
                                relation: Relation::Before,
                                title: None,
                                evidence: Vec::new(),
                            },
                        );
                        edge_index.insert((x, y, Relation::Before, None), e);
                    }
                }
            }
        }
        let mut order: Vec<&OrderEdge> = order.iter().collect();
        order.sort();
        for o in order {
            let (Some(&a), Some(&b)) = (event_nodes.get(o.before), event_nodes.get(o.after)) else {
                continue;
            };
            if a != b {
                g.add_evidence_edge(
                    &mut edge_index,
                    a,
                    b,
                    Relation::Before,
                    Some(o.cue.clone()),
                    o.evidence.clone(),
                );
            }
        }
        g
    }

    /// Like [`KnowledgeGraph::to_resolved`], with the textual `before` edges as ordering
    /// cues between the resolved events (one per piece of evidence), so that
    /// `from_resolved_with_order` of the result rebuilds the graph.
    pub fn to_resolved_with_order(&self) -> (crate::resolve::Resolved, Vec<OrderEdge>) {
        (self.to_resolved_without_order(), self.order_edges())
    }

    /// The textual `before` edges as ordering cues between the events numbered as
    /// [`KnowledgeGraph::to_resolved`] numbers them, one per piece of evidence, sorted.
    fn order_edges(&self) -> Vec<OrderEdge> {
        let mut event_index: HashMap<NodeIndex, usize> = HashMap::new();
        for n in self.graph.node_indices() {
            if self.graph[n].kind == NodeKind::Event && self.graph[n].event.is_some() {
                event_index.insert(n, event_index.len());
            }
        }
        let mut order = Vec::new();
        for e in self.graph.edge_references() {
            let w = e.weight();
            if !w.is_textual_before() {
                continue;
            }
            let (Some(&before), Some(&after)) =
                (event_index.get(&e.source()), event_index.get(&e.target()))
            else {
                continue;
            };
            for evidence in &w.evidence {
                order.push(OrderEdge {
                    before,
                    after,
                    cue: w.title.clone().unwrap_or_default(),
                    evidence: evidence.clone(),
                });
            }
        }
        order.sort();
        order
    }

    /// The contradictions among the graph's `before` edges, computed from the graph itself
    /// (so a graph read back from JSON, or grown with `--into`, reports its own):
    /// - `dates`: a textual edge A -> B where both events are dated and B's interval ends
    ///   on or before the day A's begins;
    /// - `cycle`: a strongly connected group of events in the `before` relation (date and
    ///   textual edges, without the edges already reported as `dates`), with every edge
    ///   inside it.
    ///
    /// Dates only order events of one article by edges, so a conflict between the text
    /// and dates of two different articles shows only when a textual edge joins them
    /// directly. Sorted by kind, then by the first claim.
    pub fn contradictions(&self) -> Vec<Contradiction> {
        let claim = |e: &petgraph::graph::EdgeReference<'_, Edge>| OrderClaim {
            before: self.graph[e.source()].id.clone(),
            after: self.graph[e.target()].id.clone(),
            cue: e.weight().title.clone(),
            evidence: e.weight().evidence.clone(),
        };
        let interval = |n: NodeIndex| {
            let a = self.graph[n].event.as_ref()?;
            Some((
                a.date_start?,
                a.date_end?,
                a.date.clone().unwrap_or_default(),
            ))
        };
        let mut out = Vec::new();
        let mut order = DiGraph::<(), ()>::with_capacity(self.graph.node_count(), 0);
        for _ in self.graph.node_indices() {
            order.add_node(());
        }
        let mut any = false;
        for e in self.graph.edge_references() {
            let w = e.weight();
            if w.relation != Relation::Before {
                continue;
            }
            if w.is_textual_before() {
                if let (Some((a_start, _, a_date)), Some((_, b_end, b_date))) =
                    (interval(e.source()), interval(e.target()))
                {
                    if b_end <= a_start {
                        let c = claim(&e);
                        out.push(Contradiction {
                            kind: ContradictionKind::Dates,
                            reason: format!(
                                "the text puts {} ({}) before {} ({}) with \"{}\", but {} is dated {} and {} {}",
                                c.before,
                                self.graph[e.source()].label,
                                c.after,
                                self.graph[e.target()].label,
                                w.title.as_deref().unwrap_or(""),
                                c.after,
                                b_date,
                                c.before,
                                a_date
                            ),
                            claims: vec![c],
                        });
                        continue;
                    }
                }
                any = true;
            }
            order.add_edge(e.source(), e.target(), ());
        }
        if any {
            // `tarjan_scc` copies every component into its own vector, one per node of the
            // graph; only cycles are wanted, so they are read in place (same order).
            let mut tarjan = petgraph::algo::TarjanScc::new();
            tarjan.run(&order, |scc| {
                if scc.len() < 2 {
                    return;
                }
                let members: std::collections::HashSet<NodeIndex> = scc.iter().copied().collect();
                let mut claims: Vec<OrderClaim> = self
                    .graph
                    .edge_references()
                    .filter(|e| {
                        e.weight().relation == Relation::Before
                            && members.contains(&e.source())
                            && members.contains(&e.target())
                            && !out.iter().any(|c: &Contradiction| {
                                c.kind == ContradictionKind::Dates && c.claims[0] == claim(e)
                            })
                    })
                    .map(|e| claim(&e))
                    .collect();
                claims.sort();
                let mut ids: Vec<&str> = scc.iter().map(|&n| self.graph[n].id.as_str()).collect();
                ids.sort_unstable();
                out.push(Contradiction {
                    kind: ContradictionKind::Cycle,
                    reason: format!(
                        "the before relation runs in a cycle through {} events: {}",
                        ids.len(),
                        ids.join(", ")
                    ),
                    claims,
                });
            });
        }
        out.sort();
        out
    }

    /// The resolved corpus this graph was built from, its textual `before` edges as
    /// ordering cues, so a graph read back from JSON can keep growing (`tkg build
    /// --into`): `from_resolved(g.to_resolved())` rebuilds `g`.
    pub fn to_resolved(&self) -> crate::resolve::Resolved {
        let mut r = self.to_resolved_without_order();
        r.order = self.order_edges();
        r
    }

    // `..Default::default()`: the ordering cues are filled in by `to_resolved`.
    #[allow(clippy::needless_update)]
    fn to_resolved_without_order(&self) -> crate::resolve::Resolved {
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
                external_id: node.external_id.clone(),
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
            ..Default::default()
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
        index: &mut EdgeLookup,
        a: NodeIndex,
        b: NodeIndex,
        relation: Relation,
        title: Option<String>,
        evidence: Evidence,
    ) {
        match index.entry((a, b, relation, title)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let w = &mut self.graph[*e.get()];
                if !w.evidence.contains(&evidence) {
                    w.evidence.push(evidence);
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                let title = slot.key().3.clone();
                let e = self.graph.add_edge(
                    a,
                    b,
                    Edge {
                        relation,
                        title,
                        evidence: vec![evidence],
                    },
                );
                slot.insert(e);
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
                sentence: "".into(),
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
        let g = KnowledgeGraph::from_resolved(r);
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

    fn dated_event(doc: &str, start: usize, day: Option<u32>) -> crate::resolve::Event {
        let d = |d: u32| chrono::NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
        crate::resolve::Event {
            trigger: "met".into(),
            lemma: "meet".into(),
            event_type: EventType::Consult,
            date: day.map(|x| d(x).to_string()),
            date_text: None,
            interval: day.map(|x| DateInterval {
                start: d(x),
                end: d(x + 1),
            }),
            mentions: vec![Evidence {
                doc: doc.into(),
                start,
                end: start + 3,
                sentence: "".into(),
            }],
            participants: Vec::new(),
        }
    }

    fn cue(before: usize, after: usize, word: &str) -> OrderEdge {
        OrderEdge {
            before,
            after,
            cue: word.into(),
            evidence: Evidence {
                doc: "a".into(),
                start: before * 100 + after,
                end: before * 100 + after + 5,
                sentence: format!("sentence with {word}").into(),
            },
        }
    }

    #[test]
    fn textual_cues_become_titled_before_edges_and_contradictions_are_reported() {
        use crate::resolve::Resolved;
        // (days of the events, cues, expected (kind, first claim) of each contradiction)
        type Case = (
            Vec<Option<u32>>,
            Vec<OrderEdge>,
            Vec<(ContradictionKind, &'static str, &'static str)>,
        );
        let cases: Vec<Case> = vec![
            // Consistent with the dates: no contradiction.
            (vec![Some(1), Some(3)], vec![cue(0, 1, "after")], vec![]),
            // The text says 1 before 0, the dates say 0 (day 1) ended before 1 (day 3).
            (
                vec![Some(1), Some(3)],
                vec![cue(1, 0, "after")],
                vec![(ContradictionKind::Dates, "event:a:10", "event:a:0")],
            ),
            // Same day: overlapping intervals never contradict.
            (vec![Some(1), Some(1)], vec![cue(1, 0, "then")], vec![]),
            // Undated events in a textual cycle.
            (
                vec![None, None, None],
                vec![cue(0, 1, "then"), cue(1, 2, "then"), cue(2, 0, "before")],
                vec![(ContradictionKind::Cycle, "event:a:0", "event:a:10")],
            ),
            // A textual path against the date chain: 0 (day 1) -> 2 (day 2) by dates,
            // the text says 2 before 1 before 0.
            (
                vec![Some(1), None, Some(2)],
                vec![cue(2, 1, "after"), cue(1, 0, "after")],
                vec![(ContradictionKind::Cycle, "event:a:0", "event:a:20")],
            ),
            // Out-of-range indices and self links are skipped.
            (
                vec![None],
                vec![cue(0, 0, "then"), cue(0, 7, "then")],
                vec![],
            ),
        ];
        for (days, order, expected) in cases {
            let r = Resolved {
                events: days
                    .iter()
                    .enumerate()
                    .map(|(k, d)| dated_event("a", k * 10, *d))
                    .collect(),
                ..Resolved::default()
            };
            let g = KnowledgeGraph::from_resolved_with_order(r, &order);
            let textual = g.edges().filter(|(_, _, e)| e.is_textual_before()).count();
            let valid = order
                .iter()
                .filter(|o| o.before != o.after && o.before.max(o.after) < days.len())
                .count();
            assert_eq!(textual, valid, "{days:?}");
            assert!(g
                .edges()
                .filter(|(_, _, e)| e.is_textual_before())
                .all(|(_, _, e)| e.title.is_some()));
            let got: Vec<(ContradictionKind, &str, &str)> = g
                .contradictions()
                .iter()
                .map(|c| (c.kind, "", ""))
                .collect();
            assert_eq!(got.len(), expected.len(), "{days:?} {order:?}");
            for (c, (kind, before, after)) in g.contradictions().iter().zip(&expected) {
                assert_eq!(c.kind, *kind);
                assert_eq!(
                    (c.claims[0].before.as_str(), c.claims[0].after.as_str()),
                    (*before, *after),
                    "{c:?}"
                );
            }
            // Round trip through the resolver's input keeps the cues.
            let (back, back_order) = g.to_resolved_with_order();
            let again = KnowledgeGraph::from_resolved_with_order(back, &back_order);
            let edges = |g: &KnowledgeGraph| {
                g.edges()
                    .map(|(s, t, e)| (s.id.clone(), t.id.clone(), e.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(edges(&again), edges(&g));
        }
    }
}
