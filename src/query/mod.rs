//! Questions asked of a built graph, without a database: the neighbors of a name, the
//! shortest connection between two names, the events of a period or of an actor in date
//! order, the most central actors and summary counts.
//!
//! Every query runs over an [`Index`], an adjacency list (compressed rows) built once from
//! [`KnowledgeGraph::nodes`] and [`KnowledgeGraph::edges`], and returns a typed result
//! that derives `Serialize` (for `--json`); [`render`] turns results into terminal tables
//! and TimelineJS3 JSON. Results never depend on hash order: rows are sorted on stable keys
//! (dates, evidence order, labels, ids).
//!
//! ```
//! use timeline_kg::graph::{Edge, KnowledgeGraph, Node, NodeKind, Relation};
//! use timeline_kg::query::{neighbors, Index};
//!
//! let node = |id: &str, kind, label: &str| Node {
//!     id: id.into(), kind, label: label.into(), aliases: vec![], mentions: vec![],
//!     event: None, merges: vec![], external_id: None,
//! };
//! let edge = |relation| Edge { relation, title: Some("chief".into()), evidence: vec![] };
//! let g = KnowledgeGraph::from_parts(
//!     vec![],
//!     vec![node("person:ann", NodeKind::Person, "Ann"), node("organization:acme", NodeKind::Organization, "Acme")],
//!     vec![("person:ann".into(), "organization:acme".into(), edge(Relation::Role))],
//! ).unwrap();
//! let index = Index::new(&g);
//! let found = neighbors::neighbors(&index, "ACME", &Default::default()).unwrap();
//! assert_eq!(found.neighbors[0].node.label, "Ann");
//! ```

pub mod central;
pub mod neighbors;
pub mod path;
pub mod render;
pub mod stats;
pub mod timeline;

use crate::error::{Error, Result};
use crate::graph::{Edge, KnowledgeGraph, Node, NodeKind, Relation};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

/// A node as results name it: id, kind and label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeRef {
    /// The node's id.
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// Its canonical name.
    pub label: String,
}

impl NodeRef {
    /// The reference to `node`.
    pub fn of(node: &Node) -> NodeRef {
        NodeRef {
            id: node.id.clone(),
            kind: node.kind,
            label: node.label.clone(),
        }
    }
}

/// Which way an edge runs, seen from the node a query is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the node to its neighbor.
    Out,
    /// From the neighbor to the node.
    In,
}

/// Adjacency of a [`KnowledgeGraph`]: nodes and edges numbered in the graph's stable order,
/// and for every node the edges that touch it (in either direction), in edge order.
pub struct Index<'g> {
    graph: &'g KnowledgeGraph,
    nodes: Vec<&'g Node>,
    edges: Vec<(u32, u32, &'g Edge)>,
    /// `incident[offsets[n]..offsets[n + 1]]` are the edges touching node `n`.
    offsets: Vec<usize>,
    incident: Vec<u32>,
    doc_order: HashMap<&'g str, usize>,
}

impl<'g> Index<'g> {
    /// Builds the adjacency of `graph` in time linear in its size.
    pub fn new(graph: &'g KnowledgeGraph) -> Index<'g> {
        let nodes: Vec<&Node> = graph.nodes().collect();
        let number = NodeNumbers::new(&nodes);
        let edges: Vec<(u32, u32, &Edge)> = graph
            .edges()
            .filter_map(|(s, t, e)| Some((number.of(s)?, number.of(t)?, e)))
            .collect();
        drop(number);
        let mut offsets = vec![0usize; nodes.len() + 1];
        for &(s, t, _) in &edges {
            offsets[s as usize + 1] += 1;
            if s != t {
                offsets[t as usize + 1] += 1;
            }
        }
        for i in 0..nodes.len() {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut incident = vec![0u32; offsets[nodes.len()]];
        for (k, &(s, t, _)) in edges.iter().enumerate() {
            incident[fill[s as usize]] = k as u32;
            fill[s as usize] += 1;
            if s != t {
                incident[fill[t as usize]] = k as u32;
                fill[t as usize] += 1;
            }
        }
        let doc_order = graph
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        Index {
            graph,
            nodes,
            edges,
            offsets,
            incident,
            doc_order,
        }
    }

    /// The graph this index is over.
    pub fn graph(&self) -> &'g KnowledgeGraph {
        self.graph
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The node numbered `n`.
    pub fn node(&self, n: usize) -> &'g Node {
        self.nodes[n]
    }

    /// Every node, numbered in order.
    pub fn nodes(&self) -> &[&'g Node] {
        &self.nodes
    }

    /// The edges touching node `n`: `(edge number, other end, direction seen from n, edge)`.
    pub fn incident(
        &self,
        n: usize,
    ) -> impl Iterator<Item = (usize, usize, Direction, &'g Edge)> + '_ {
        self.incident[self.offsets[n]..self.offsets[n + 1]]
            .iter()
            .map(move |&k| {
                let (s, t, e) = self.edges[k as usize];
                if s as usize == n {
                    (k as usize, t as usize, Direction::Out, e)
                } else {
                    (k as usize, s as usize, Direction::In, e)
                }
            })
    }

    /// Where a document stands in the graph's document list (unknown ones last).
    pub fn doc_position(&self, doc: &str) -> usize {
        self.doc_order.get(doc).copied().unwrap_or(usize::MAX)
    }

    /// The node a user means by `name`: its id, else the node whose label (then alias)
    /// equals it ignoring case. An unknown name is an error listing the closest names; an
    /// ambiguous one lists the candidates with their ids, which always work.
    pub fn find(&self, name: &str) -> Result<usize> {
        let wanted = name.trim();
        if let Some(n) = self.nodes.iter().position(|n| n.id == wanted) {
            return Ok(n);
        }
        let by_label: Vec<usize> = (0..self.nodes.len())
            .filter(|&n| same_text(&self.nodes[n].label, wanted))
            .collect();
        let candidates = if by_label.is_empty() {
            (0..self.nodes.len())
                .filter(|&n| self.nodes[n].aliases.iter().any(|a| same_text(a, wanted)))
                .collect()
        } else {
            by_label
        };
        let entities: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&n| self.nodes[n].kind != NodeKind::Event)
            .collect();
        match (candidates.len(), entities.len()) {
            (1, _) => Ok(candidates[0]),
            (_, 1) => Ok(entities[0]),
            (0, _) => {
                let close = self.closest_names(wanted, 5);
                let expected = if close.is_empty() {
                    "no node has that name, alias or id".to_string()
                } else {
                    format!(
                        "no node has that name, alias or id; closest: {}",
                        describe(close.iter().map(|&n| self.nodes[n]))
                    )
                };
                Err(Error::InvalidValue {
                    what: "name",
                    value: name.into(),
                    expected,
                })
            }
            (k, _) => {
                let shown = if entities.is_empty() {
                    &candidates
                } else {
                    &entities
                };
                Err(Error::InvalidValue {
                    what: "name",
                    value: name.into(),
                    expected: format!(
                        "ambiguous, {k} nodes have it: {}; give the id instead",
                        describe(shown.iter().take(10).map(|&n| self.nodes[n]))
                    ),
                })
            }
        }
    }

    /// Up to `limit` entity nodes whose label or an alias is close to `name`: containing it
    /// (or contained in it), else within a small edit distance. Closest first.
    pub fn closest_names(&self, name: &str, limit: usize) -> Vec<usize> {
        let wanted: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
        if wanted.is_empty() {
            return Vec::new();
        }
        let budget = (wanted.len() / 3).max(2);
        let mut scored: Vec<(usize, usize, usize)> = Vec::new();
        for (n, node) in self.nodes.iter().enumerate() {
            if node.kind == NodeKind::Event {
                continue;
            }
            let best = std::iter::once(&node.label)
                .chain(&node.aliases)
                .filter_map(|text| {
                    let have: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
                    if contains(&have, &wanted) || (have.len() >= 3 && contains(&wanted, &have)) {
                        Some(have.len().abs_diff(wanted.len()).min(budget))
                    } else if have.len().abs_diff(wanted.len()) <= budget {
                        edit_distance(&have, &wanted, budget).map(|d| d + 1)
                    } else {
                        None
                    }
                })
                .min();
            if let Some(score) = best {
                scored.push((score, node.label.chars().count(), n));
            }
        }
        scored.sort_by(|a, b| {
            (a.0, a.1, &self.nodes[a.2].label, a.2).cmp(&(b.0, b.1, &self.nodes[b.2].label, b.2))
        });
        scored.into_iter().take(limit).map(|(_, _, n)| n).collect()
    }
}

/// Numbers the nodes an edge names. The graph hands out nodes in storage order, so their
/// addresses usually ascend and a binary search on the address finds the number without
/// hashing a million ids; when they do not, a map from id to number is used instead.
enum NodeNumbers<'g> {
    ByAddress(Vec<usize>),
    ById(HashMap<&'g str, u32>),
}

impl<'g> NodeNumbers<'g> {
    fn new(nodes: &[&'g Node]) -> NodeNumbers<'g> {
        let addresses: Vec<usize> = nodes.iter().map(|n| *n as *const Node as usize).collect();
        if addresses.windows(2).all(|w| w[0] < w[1]) {
            NodeNumbers::ByAddress(addresses)
        } else {
            NodeNumbers::ById(
                nodes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.id.as_str(), i as u32))
                    .collect(),
            )
        }
    }

    fn of(&self, node: &Node) -> Option<u32> {
        match self {
            NodeNumbers::ByAddress(addresses) => addresses
                .binary_search(&(node as *const Node as usize))
                .ok()
                .map(|i| i as u32),
            NodeNumbers::ById(map) => map.get(node.id.as_str()).copied(),
        }
    }
}

fn describe<'a>(nodes: impl Iterator<Item = &'a Node>) -> String {
    nodes
        .map(|n| format!("{} ({})", n.label, n.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Equal ignoring case, without allocating.
fn same_text(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// Levenshtein distance of `a` and `b`, or `None` when it exceeds `budget`.
fn edit_distance(a: &[char], b: &[char], budget: usize) -> Option<usize> {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        row[0] = i + 1;
        let mut row_min = row[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
            row_min = row_min.min(row[j + 1]);
        }
        if row_min > budget {
            return None;
        }
        std::mem::swap(&mut prev, &mut row);
    }
    let d = prev[b.len()];
    (d <= budget).then_some(d)
}

/// A calendar period typed by a user: a year (`2025`), a month (`2025-03`) or a day
/// (`2025-03-05`). As a lower bound it starts on its first day; as an upper bound it ends
/// after its last day, so `--from 2025-03 --to 2025-03` is all of March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    /// First day of the period.
    pub start: NaiveDate,
    /// First day after the period.
    pub end: NaiveDate,
}

impl std::str::FromStr for Period {
    type Err = Error;
    fn from_str(s: &str) -> Result<Period> {
        let bad = || Error::InvalidValue {
            what: "date",
            value: s.into(),
            expected: "a year, month or day: YYYY, YYYY-MM or YYYY-MM-DD".into(),
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        let digits = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
        let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
        match parts.as_slice() {
            [y] if digits(y, 4) => {
                let y = num(y)? as i32;
                let start = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
                let end = NaiveDate::from_ymd_opt(y + 1, 1, 1).ok_or_else(bad)?;
                Ok(Period { start, end })
            }
            [y, m] if digits(y, 4) && digits(m, 2) => {
                let start = NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, 1).ok_or_else(bad)?;
                Ok(Period {
                    start,
                    end: next_month(start),
                })
            }
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
                let start =
                    NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?).ok_or_else(bad)?;
                let end = start.succ_opt().ok_or_else(bad)?;
                Ok(Period { start, end })
            }
            _ => Err(bad()),
        }
    }
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MAX)
}

/// A window of days `[start, end)` built from optional `--from` and `--to` periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Window {
    /// Lower bound: the `--from` period.
    pub from: Option<Period>,
    /// Upper bound: the `--to` period.
    pub to: Option<Period>,
}

impl Window {
    /// A window; an error when `from` starts after `to` ends.
    pub fn new(from: Option<Period>, to: Option<Period>) -> Result<Window> {
        if let (Some(f), Some(t)) = (from, to) {
            if f.start >= t.end {
                return Err(Error::InvalidValue {
                    what: "date range",
                    value: format!("{} .. {}", f.start, t.end.pred_opt().unwrap_or(t.end)),
                    expected: "--from must not be after --to".into(),
                });
            }
        }
        Ok(Window { from, to })
    }

    /// True when neither bound is set.
    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// True when the days `[start, end)` overlap the window.
    pub fn overlaps(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.from.is_none_or(|f| end > f.start) && self.to.is_none_or(|t| start < t.end)
    }
}

/// The relations that say who took part in an event (every relation but `before`).
pub fn is_participation(relation: Relation) -> bool {
    relation != Relation::Before
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::events::EventType;
    use crate::graph::EventAttrs;
    use crate::resolve::{DocumentInfo, Evidence};

    /// A small hand-built graph: two documents, three actors, three events (one undated).
    ///
    /// ann (person) --agent--> e1 (2025-03-03 met) --patient--> bob (person)
    /// ann --role "chief"--> acme (organization)
    /// acme --agent--> e2 (2025-03-10 sued) --patient--> bob; e2 --located_in--> paris
    /// e3 (undated said) <--agent-- bob
    /// e1 --before--> e2
    pub(crate) fn sample() -> KnowledgeGraph {
        let ev = |doc: &str, start: usize, sentence: &str| Evidence {
            doc: doc.into(),
            start,
            end: start + 3,
            sentence: sentence.into(),
        };
        let entity = |id: &str, kind, label: &str, aliases: &[&str]| Node {
            id: id.into(),
            kind,
            label: label.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            mentions: vec![ev("d1", 0, "Ann met Bob.")],
            event: None,
            merges: vec![],
            external_id: None,
        };
        let event = |id: &str, trigger: &str, ty, date: Option<(&str, u32)>, e: Evidence| Node {
            id: id.into(),
            kind: NodeKind::Event,
            label: match date {
                Some((d, _)) => format!("{d} {trigger}"),
                None => trigger.into(),
            },
            aliases: vec![],
            mentions: vec![e],
            event: Some(EventAttrs {
                trigger: trigger.into(),
                lemma: trigger.into(),
                event_type: ty,
                date: date.map(|(d, _)| d.to_string()),
                date_text: date.map(|_| "Monday".to_string()),
                date_start: date.map(|(_, day)| NaiveDate::from_ymd_opt(2025, 3, day).unwrap()),
                date_end: date.map(|(_, day)| NaiveDate::from_ymd_opt(2025, 3, day + 1).unwrap()),
            }),
            merges: vec![],
            external_id: None,
        };
        let nodes = vec![
            entity("person:ann", NodeKind::Person, "Ann Lee", &["Lee"]),
            entity("person:bob", NodeKind::Person, "Bob Stone", &["Stone"]),
            entity(
                "organization:acme",
                NodeKind::Organization,
                "Acme",
                &["Acme Corp"],
            ),
            entity("location:paris", NodeKind::Location, "Paris", &[]),
            event(
                "event:d1:4",
                "met",
                EventType::Consult,
                Some(("2025-03-03", 3)),
                ev("d1", 4, "Ann met Bob."),
            ),
            event(
                "event:d2:5",
                "sued",
                EventType::Legal,
                Some(("2025-03-10", 10)),
                ev("d2", 5, "Acme sued Bob in Paris."),
            ),
            event(
                "event:d2:30",
                "said",
                EventType::Statement,
                None,
                ev("d2", 30, "Bob said nothing."),
            ),
        ];
        let edge = |s: &str, t: &str, relation, sentence: &str| {
            (
                s.to_string(),
                t.to_string(),
                Edge {
                    relation,
                    title: (relation == Relation::Role).then(|| "chief".to_string()),
                    evidence: if sentence.is_empty() {
                        vec![]
                    } else {
                        vec![ev("d1", 0, sentence)]
                    },
                },
            )
        };
        let edges = vec![
            edge(
                "person:ann",
                "organization:acme",
                Relation::Role,
                "Acme chief Ann Lee.",
            ),
            edge("person:ann", "event:d1:4", Relation::Agent, "Ann met Bob."),
            edge(
                "event:d1:4",
                "person:bob",
                Relation::Patient,
                "Ann met Bob.",
            ),
            edge(
                "organization:acme",
                "event:d2:5",
                Relation::Agent,
                "Acme sued Bob in Paris.",
            ),
            edge(
                "event:d2:5",
                "person:bob",
                Relation::Patient,
                "Acme sued Bob in Paris.",
            ),
            edge(
                "event:d2:5",
                "location:paris",
                Relation::LocatedIn,
                "Acme sued Bob in Paris.",
            ),
            edge(
                "person:bob",
                "event:d2:30",
                Relation::Agent,
                "Bob said nothing.",
            ),
            edge("event:d1:4", "event:d2:5", Relation::Before, ""),
        ];
        let docs = ["d1", "d2"]
            .iter()
            .map(|d| DocumentInfo {
                id: d.to_string(),
                title: None,
                date: NaiveDate::from_ymd_opt(2025, 3, 12),
                origin: "test".into(),
                content_hash: format!("hash-{d}"),
            })
            .collect();
        KnowledgeGraph::from_parts(docs, nodes, edges).unwrap()
    }

    #[test]
    fn names_resolve_by_id_label_and_alias_ignoring_case() {
        let g = sample();
        let index = Index::new(&g);
        for (name, id) in [
            ("person:ann", "person:ann"),
            ("ann lee", "person:ann"),
            ("  ANN LEE ", "person:ann"),
            ("stone", "person:bob"),
            ("acme corp", "organization:acme"),
            ("Paris", "location:paris"),
        ] {
            let n = index.find(name).unwrap();
            assert_eq!(index.node(n).id, id, "{name}");
        }
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let g = sample();
        let index = Index::new(&g);
        for (name, first) in [
            ("Acmee", "Acme"),
            ("ann", "Ann Lee"),
            ("Bob Stone Jr", "Bob Stone"),
            ("pariss", "Paris"),
        ] {
            let msg = index.find(name).unwrap_err().to_string();
            assert!(msg.contains("closest"), "{msg}");
            let close = index.closest_names(name, 3);
            assert_eq!(index.node(close[0]).label, first, "{name}");
        }
        let msg = index.find("zzzzzzzz").unwrap_err().to_string();
        assert!(!msg.contains("closest"), "{msg}");
        assert!(index.find("").is_err());
    }

    #[test]
    fn ambiguous_names_list_the_candidates() {
        let mut nodes: Vec<Node> = sample().nodes().cloned().collect();
        nodes[1].aliases.push("Lee".into());
        let g = KnowledgeGraph::from_parts(vec![], nodes, vec![]).unwrap();
        let msg = Index::new(&g).find("lee").unwrap_err().to_string();
        assert!(
            msg.contains("ambiguous") && msg.contains("person:bob"),
            "{msg}"
        );
    }

    #[test]
    fn periods_parse_years_months_and_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        for (text, start, end) in [
            ("2025", d(2025, 1, 1), d(2026, 1, 1)),
            ("2025-12", d(2025, 12, 1), d(2026, 1, 1)),
            ("2024-02-29", d(2024, 2, 29), d(2024, 3, 1)),
        ] {
            assert_eq!(text.parse::<Period>().unwrap(), Period { start, end });
        }
        for bad in [
            "",
            "25",
            "2025-2",
            "2025-02-30",
            "2025-13",
            "march",
            "2025-03-05x",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn windows_overlap_inclusively() {
        let p = |s: &str| Some(s.parse::<Period>().unwrap());
        let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
        let w = Window::new(p("2025-03-03"), p("2025-03-05")).unwrap();
        for (start, end, inside) in [
            (d(3), d(4), true),
            (d(5), d(6), true),
            (d(6), d(7), false),
            (d(2), d(3), false),
            (d(1), d(10), true),
        ] {
            assert_eq!(w.overlaps(start, end), inside, "{start}..{end}");
        }
        assert!(Window::new(p("2025-03-06"), p("2025-03-05")).is_err());
        assert!(Window::default().is_open());
    }

    #[test]
    fn edit_distance_respects_its_budget() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&c("kitten"), &c("sitting"), 3), Some(3));
        assert_eq!(edit_distance(&c("kitten"), &c("sitting"), 2), None);
        assert_eq!(edit_distance(&c(""), &c("ab"), 2), Some(2));
    }

    #[test]
    fn node_numbers_agree_by_address_and_by_id() {
        let g = sample();
        let nodes: Vec<&Node> = g.nodes().collect();
        let by_address = NodeNumbers::new(&nodes);
        assert!(matches!(by_address, NodeNumbers::ByAddress(_)));
        let mut reversed = nodes.clone();
        reversed.reverse();
        let by_id = NodeNumbers::new(&reversed);
        assert!(matches!(by_id, NodeNumbers::ById(_)));
        for (i, n) in nodes.iter().enumerate() {
            assert_eq!(by_address.of(n), Some(i as u32));
            assert_eq!(by_id.of(n), Some((nodes.len() - 1 - i) as u32));
        }
        let stranger = nodes[0].clone();
        assert_eq!(by_address.of(&stranger), None);
    }

    #[test]
    fn index_lists_incident_edges_both_ways() {
        let g = sample();
        let index = Index::new(&g);
        let bob = index.find("person:bob").unwrap();
        let dirs: Vec<(Direction, Relation)> = index
            .incident(bob)
            .map(|(_, _, d, e)| (d, e.relation))
            .collect();
        assert_eq!(
            dirs,
            vec![
                (Direction::In, Relation::Patient),
                (Direction::In, Relation::Patient),
                (Direction::Out, Relation::Agent)
            ]
        );
    }
}
