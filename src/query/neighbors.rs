//! The nodes linked to a name by one edge, in either direction, with the relation and the
//! sentence that states it.

use super::{Direction, Index, NodeRef};
use crate::error::Result;
use crate::graph::{NodeKind, Relation};
use crate::resolve::Evidence;
use chrono::NaiveDate;
use serde::Serialize;

/// Relation, direction, kind, date, document, offset, label, id, title.
type SortKey = (
    Relation,
    Direction,
    NodeKind,
    NaiveDate,
    usize,
    usize,
    String,
    String,
    Option<String>,
);

/// Which neighbors to keep. The default keeps all.
#[derive(Debug, Clone, Copy, Default)]
pub struct NeighborQuery {
    /// Only edges with this relation.
    pub relation: Option<Relation>,
    /// Only neighbors of this kind.
    pub kind: Option<NodeKind>,
}

/// One neighbor and the edge that links it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Neighbor {
    /// The neighbor.
    pub node: NodeRef,
    /// The edge's relation.
    pub relation: Relation,
    /// `out` when the edge runs from the asked node to the neighbor, `in` otherwise.
    pub direction: Direction,
    /// The edge's title, for role edges.
    pub title: Option<String>,
    /// The first sentence that states the link (none for date-derived `before` edges).
    pub evidence: Option<Evidence>,
    /// How many sentences state it.
    pub mentions: usize,
}

/// The answer to a neighbors query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Neighbors {
    /// The node asked about.
    pub node: NodeRef,
    /// Its neighbors by relation, direction and kind; events in timeline order, other
    /// nodes by label.
    pub neighbors: Vec<Neighbor>,
}

/// The neighbors of the node `name` names (see [`Index::find`]).
pub fn neighbors(index: &Index, name: &str, query: &NeighborQuery) -> Result<Neighbors> {
    let n = index.find(name)?;
    let mut found: Vec<(SortKey, Neighbor)> = index
        .incident(n)
        .filter(|&(_, _, _, e)| query.relation.is_none_or(|r| e.relation == r))
        .filter(|&(_, other, _, _)| query.kind.is_none_or(|k| index.node(other).kind == k))
        .map(|(_, other, direction, e)| {
            let node = index.node(other);
            // Events in timeline order (date, then where the text mentions them); other
            // nodes by label.
            let (date, doc, offset) = match (&node.event, node.mentions.first()) {
                (Some(attrs), Some(m)) => (
                    attrs.date_start.unwrap_or(NaiveDate::MAX),
                    index.doc_position(&m.doc),
                    m.start,
                ),
                _ => (NaiveDate::MAX, 0, 0),
            };
            let key = (
                e.relation,
                direction,
                node.kind,
                date,
                doc,
                offset,
                node.label.clone(),
                node.id.clone(),
                e.title.clone(),
            );
            let neighbor = Neighbor {
                node: NodeRef::of(node),
                relation: e.relation,
                direction,
                title: e.title.clone(),
                evidence: e.evidence.first().cloned(),
                mentions: e.evidence.len(),
            };
            (key, neighbor)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let found: Vec<Neighbor> = found.into_iter().map(|(_, n)| n).collect();
    Ok(Neighbors {
        node: NodeRef::of(index.node(n)),
        neighbors: found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::tests::sample;

    #[test]
    fn neighbors_are_filtered_and_sorted() {
        let g = sample();
        let index = Index::new(&g);
        for (name, query, expected) in [
            (
                "Bob Stone",
                NeighborQuery::default(),
                vec![
                    ("event:d2:30", Relation::Agent, Direction::Out),
                    ("event:d1:4", Relation::Patient, Direction::In),
                    ("event:d2:5", Relation::Patient, Direction::In),
                ],
            ),
            (
                "ann lee",
                NeighborQuery {
                    relation: Some(Relation::Role),
                    kind: None,
                },
                vec![("organization:acme", Relation::Role, Direction::Out)],
            ),
            (
                "acme",
                NeighborQuery {
                    relation: None,
                    kind: Some(NodeKind::Person),
                },
                vec![("person:ann", Relation::Role, Direction::In)],
            ),
            (
                "paris",
                NeighborQuery {
                    relation: Some(Relation::Agent),
                    kind: None,
                },
                vec![],
            ),
        ] {
            let got = neighbors(&index, name, &query).unwrap();
            let got: Vec<_> = got
                .neighbors
                .iter()
                .map(|n| (n.node.id.as_str(), n.relation, n.direction))
                .collect();
            assert_eq!(got, expected, "{name} {query:?}");
        }
    }

    #[test]
    fn neighbors_carry_title_and_evidence() {
        let g = sample();
        let index = Index::new(&g);
        let got = neighbors(&index, "acme corp", &NeighborQuery::default()).unwrap();
        assert_eq!(got.node.id, "organization:acme");
        let role = &got
            .neighbors
            .iter()
            .find(|n| n.relation == Relation::Role)
            .unwrap();
        assert_eq!(role.title.as_deref(), Some("chief"));
        assert_eq!(
            &*role.evidence.as_ref().unwrap().sentence,
            "Acme chief Ann Lee."
        );
        assert!(neighbors(&index, "nobody at all", &NeighborQuery::default()).is_err());
    }
}
