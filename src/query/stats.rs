//! Summary counts of a graph: nodes by kind, edges by relation, events by type, documents
//! and the dates they span.

use super::Index;
use crate::events::EventType;
use crate::graph::{NodeKind, Relation};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Every node kind, so counts list zeros too.
const KINDS: [NodeKind; 4] = [
    NodeKind::Person,
    NodeKind::Organization,
    NodeKind::Location,
    NodeKind::Event,
];
/// Every relation, so counts list zeros too.
const RELATIONS: [Relation; 6] = [
    Relation::Agent,
    Relation::Patient,
    Relation::Participant,
    Relation::LocatedIn,
    Relation::Role,
    Relation::Before,
];

/// Summary counts of a graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Documents the graph was built from.
    pub documents: usize,
    /// First and last publication date of the documents that have one.
    pub document_dates: Option<(NaiveDate, NaiveDate)>,
    /// All nodes.
    pub nodes: usize,
    /// All edges.
    pub edges: usize,
    /// Nodes by kind (every kind listed).
    pub nodes_by_kind: BTreeMap<NodeKind, usize>,
    /// Edges by relation (every relation listed).
    pub edges_by_relation: BTreeMap<Relation, usize>,
    /// Events by type (types that occur).
    pub events_by_type: BTreeMap<EventType, usize>,
    /// Events with a calendar interval.
    pub dated_events: usize,
    /// Events without one.
    pub undated_events: usize,
    /// First and last day covered by dated events.
    pub event_dates: Option<(NaiveDate, NaiveDate)>,
}

/// Counts what the graph holds.
pub fn stats(index: &Index) -> Stats {
    let graph = index.graph();
    let mut nodes_by_kind: BTreeMap<NodeKind, usize> = KINDS.iter().map(|&k| (k, 0)).collect();
    let mut edges_by_relation: BTreeMap<Relation, usize> =
        RELATIONS.iter().map(|&r| (r, 0)).collect();
    let mut events_by_type = BTreeMap::new();
    let (mut dated_events, mut undated_events) = (0, 0);
    let mut event_dates: Option<(NaiveDate, NaiveDate)> = None;
    for node in index.nodes() {
        *nodes_by_kind.entry(node.kind).or_insert(0) += 1;
        if node.kind != NodeKind::Event {
            continue;
        }
        let attrs = node.event.as_ref();
        *events_by_type
            .entry(attrs.map_or(EventType::Other, |a| a.event_type))
            .or_insert(0) += 1;
        match attrs.and_then(|a| a.date_start) {
            Some(start) => {
                dated_events += 1;
                let last = attrs
                    .and_then(|a| a.date_end)
                    .and_then(|e| e.pred_opt())
                    .filter(|&l| l >= start)
                    .unwrap_or(start);
                event_dates = Some(match event_dates {
                    Some((a, b)) => (a.min(start), b.max(last)),
                    None => (start, last),
                });
            }
            None => undated_events += 1,
        }
    }
    let mut edges = 0;
    for (_, _, e) in graph.edges() {
        edges += 1;
        *edges_by_relation.entry(e.relation).or_insert(0) += 1;
    }
    let mut dates = graph.documents.iter().filter_map(|d| d.date);
    let document_dates = dates
        .next()
        .map(|first| dates.fold((first, first), |(a, b), d| (a.min(d), b.max(d))));
    Stats {
        documents: graph.documents.len(),
        document_dates,
        nodes: index.node_count(),
        edges,
        nodes_by_kind,
        edges_by_relation,
        events_by_type,
        dated_events,
        undated_events,
        event_dates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::KnowledgeGraph;
    use crate::query::tests::sample;

    #[test]
    fn counts_match_the_sample() {
        let g = sample();
        let s = stats(&Index::new(&g));
        let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
        assert_eq!((s.documents, s.nodes, s.edges), (2, 7, 8));
        assert_eq!(s.nodes_by_kind[&NodeKind::Person], 2);
        assert_eq!(s.nodes_by_kind[&NodeKind::Event], 3);
        assert_eq!(s.edges_by_relation[&Relation::Participant], 0);
        assert_eq!(s.edges_by_relation[&Relation::Before], 1);
        assert_eq!(s.events_by_type.len(), 3);
        assert_eq!((s.dated_events, s.undated_events), (2, 1));
        assert_eq!(s.event_dates, Some((d(3), d(10))));
        assert_eq!(s.document_dates, Some((d(12), d(12))));
    }

    #[test]
    fn an_empty_graph_has_zero_counts() {
        let g = KnowledgeGraph::default();
        let s = stats(&Index::new(&g));
        assert_eq!((s.documents, s.nodes, s.edges), (0, 0, 0));
        assert_eq!(s.nodes_by_kind.len(), 4);
        assert_eq!(s.event_dates, None);
        assert_eq!(s.document_dates, None);
    }
}
