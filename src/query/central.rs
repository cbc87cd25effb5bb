//! The most connected actors (people, organizations, places): degree and PageRank. PageRank
//! runs on the undirected participation graph (every edge but the date-derived `before`
//! edges, both ways), so doing and suffering count alike; a fixed number of power
//! iterations over nodes in graph order keeps the scores bit-for-bit reproducible.

use super::{is_participation, Index, NodeRef};
use crate::graph::NodeKind;
use serde::Serialize;

/// PageRank's damping factor.
pub const DAMPING: f64 = 0.85;
/// Power iterations at most; the run stops early once scores move less than [`TOLERANCE`].
pub const MAX_ITERATIONS: usize = 100;
/// Sum of absolute score changes below which PageRank has converged.
pub const TOLERANCE: f64 = 1e-10;

/// One actor's centrality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Central {
    /// 1 for the most central.
    pub rank: usize,
    /// The actor.
    pub node: NodeRef,
    /// Participation edges touching it.
    pub degree: usize,
    /// Distinct events it takes part in.
    pub events: usize,
    /// Its PageRank (all nodes' scores sum to 1).
    pub pagerank: f64,
}

/// The `top` actors by PageRank, ties broken by degree, then label and id.
pub fn central(index: &Index, top: usize) -> Vec<Central> {
    let scores = pagerank(index);
    let mut actors: Vec<Central> = (0..index.node_count())
        .filter(|&n| index.node(n).kind != NodeKind::Event)
        .map(|n| {
            let mut events: Vec<usize> = index
                .incident(n)
                .filter(|&(_, o, _, e)| {
                    is_participation(e.relation) && index.node(o).kind == NodeKind::Event
                })
                .map(|(_, o, _, _)| o)
                .collect();
            events.sort_unstable();
            events.dedup();
            Central {
                rank: 0,
                node: NodeRef::of(index.node(n)),
                degree: index
                    .incident(n)
                    .filter(|e| is_participation(e.3.relation))
                    .count(),
                events: events.len(),
                pagerank: scores[n],
            }
        })
        .collect();
    actors.sort_by(|a, b| {
        b.pagerank
            .total_cmp(&a.pagerank)
            .then(b.degree.cmp(&a.degree))
            .then_with(|| a.node.label.cmp(&b.node.label))
            .then_with(|| a.node.id.cmp(&b.node.id))
    });
    actors.truncate(top);
    for (i, a) in actors.iter_mut().enumerate() {
        a.rank = i + 1;
    }
    actors
}

/// PageRank of every node over the undirected participation edges; dangling nodes spread
/// their score evenly. Scores sum to 1 (an empty graph gives an empty vector).
pub fn pagerank(index: &Index) -> Vec<f64> {
    let n = index.node_count();
    if n == 0 {
        return Vec::new();
    }
    // The participation neighbors of every node, flattened once: the iterations below
    // then run over two plain arrays.
    let mut offsets = Vec::with_capacity(n + 1);
    let mut targets: Vec<u32> = Vec::new();
    offsets.push(0);
    for u in 0..n {
        targets.extend(
            index
                .incident(u)
                .filter(|&(_, v, _, e)| is_participation(e.relation) && v != u)
                .map(|(_, v, _, _)| v as u32),
        );
        offsets.push(targets.len());
    }
    let degree = |u: usize| offsets[u + 1] - offsets[u];
    let uniform = 1.0 / n as f64;
    let mut score = vec![uniform; n];
    let mut next = vec![0.0; n];
    for _ in 0..MAX_ITERATIONS {
        let dangling: f64 = (0..n).filter(|&u| degree(u) == 0).map(|u| score[u]).sum();
        let base = (1.0 - DAMPING) * uniform + DAMPING * dangling * uniform;
        next.iter_mut().for_each(|x| *x = base);
        for u in 0..n {
            if degree(u) > 0 {
                let share = DAMPING * score[u] / degree(u) as f64;
                for &v in &targets[offsets[u]..offsets[u + 1]] {
                    next[v as usize] += share;
                }
            }
        }
        let change: f64 = score.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut score, &mut next);
        if change < TOLERANCE {
            break;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::KnowledgeGraph;
    use crate::query::tests::sample;

    #[test]
    fn the_hub_ranks_first() {
        let g = sample();
        let index = Index::new(&g);
        let top = central(&index, 10);
        let order: Vec<(&str, usize, usize)> = top
            .iter()
            .map(|c| (c.node.id.as_str(), c.degree, c.events))
            .collect();
        assert_eq!(
            order,
            vec![
                ("person:bob", 3, 3),
                ("person:ann", 2, 1),
                ("organization:acme", 2, 1),
                ("location:paris", 1, 1),
            ]
        );
        assert_eq!(top[0].rank, 1);
        assert_eq!(central(&index, 1).len(), 1);
        assert!(central(&index, 0).is_empty());
    }

    #[test]
    fn pagerank_sums_to_one_and_is_reproducible() {
        let g = sample();
        let index = Index::new(&g);
        let a = pagerank(&index);
        let total: f64 = a.iter().sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        assert_eq!(a, pagerank(&index));
        let empty = KnowledgeGraph::default();
        assert!(pagerank(&Index::new(&empty)).is_empty());
    }
}
