//! The shortest connection between two names, ignoring edge direction: a breadth-first
//! search that tries an node's participation edges before its date-derived `before`
//! edges, so among equally short paths the one stated by the text wins.

use super::{is_participation, Index, NodeRef};
use crate::error::Result;
use crate::graph::Relation;
use crate::resolve::Evidence;
use serde::Serialize;
use std::collections::VecDeque;

/// Hops searched when the caller does not say.
pub const DEFAULT_MAX_HOPS: usize = 6;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Where the step starts.
    pub from: NodeRef,
    /// Where it ends.
    pub to: NodeRef,
    /// The edge's relation.
    pub relation: Relation,
    /// True when the edge runs `from` -> `to`, false when it runs the other way.
    pub forward: bool,
    /// The edge's title, for role edges.
    pub title: Option<String>,
    /// The first sentence that states the edge.
    pub evidence: Option<Evidence>,
}

/// The answer to a path query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathResult {
    /// The start.
    pub from: NodeRef,
    /// The goal.
    pub to: NodeRef,
    /// The search limit.
    pub max_hops: usize,
    /// The hops of a shortest path, or `None` when there is none within `max_hops`.
    pub hops: Option<Vec<Hop>>,
}

/// The shortest undirected path from `from` to `to` of at most `max_hops` edges.
pub fn path(index: &Index, from: &str, to: &str, max_hops: usize) -> Result<PathResult> {
    let start = index.find(from)?;
    let goal = index.find(to)?;
    let found = search(index, start, goal, max_hops);
    let hops = found.map(|steps| {
        steps
            .into_iter()
            .map(|(a, b, k)| {
                let (_, _, forward, e) = index
                    .incident(a)
                    .find(|&(edge, _, _, _)| edge == k)
                    .map(|(edge, other, dir, e)| (edge, other, dir == super::Direction::Out, e))
                    .expect("the edge touches the node it was reached from");
                Hop {
                    from: NodeRef::of(index.node(a)),
                    to: NodeRef::of(index.node(b)),
                    relation: e.relation,
                    forward,
                    title: e.title.clone(),
                    evidence: e.evidence.first().cloned(),
                }
            })
            .collect()
    });
    Ok(PathResult {
        from: NodeRef::of(index.node(start)),
        to: NodeRef::of(index.node(goal)),
        max_hops,
        hops,
    })
}

/// Breadth-first search; the steps `(from, to, edge)` of a shortest path.
fn search(
    index: &Index,
    start: usize,
    goal: usize,
    max_hops: usize,
) -> Option<Vec<(usize, usize, usize)>> {
    const UNSEEN: (u32, u32) = (u32::MAX, u32::MAX);
    if start == goal {
        return Some(Vec::new());
    }
    // parent[n] = (node it was reached from, edge used); the start points at itself.
    let mut parent = vec![UNSEEN; index.node_count()];
    parent[start] = (start as u32, u32::MAX);
    let mut queue = VecDeque::from([(start, 0usize)]);
    while let Some((n, depth)) = queue.pop_front() {
        if depth == max_hops {
            continue;
        }
        let stated = index.incident(n).filter(|e| is_participation(e.3.relation));
        let derived = index
            .incident(n)
            .filter(|e| !is_participation(e.3.relation));
        for (k, other, _, _) in stated.chain(derived) {
            if parent[other] != UNSEEN {
                continue;
            }
            parent[other] = (n as u32, k as u32);
            if other == goal {
                let mut steps = Vec::new();
                let mut at = goal;
                while at != start {
                    let (p, edge) = parent[at];
                    steps.push((p as usize, at, edge as usize));
                    at = p as usize;
                }
                steps.reverse();
                return Some(steps);
            }
            queue.push_back((other, depth + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::tests::sample;

    #[test]
    fn shortest_paths_respect_the_hop_limit() {
        let g = sample();
        let index = Index::new(&g);
        for (from, to, max, expected) in [
            (
                "Ann Lee",
                "Bob Stone",
                6,
                Some(vec!["person:ann", "event:d1:4", "person:bob"]),
            ),
            ("Ann Lee", "Bob Stone", 1, None),
            ("ann lee", "ann lee", 0, Some(vec!["person:ann"])),
            (
                "Ann Lee",
                "Paris",
                6,
                Some(vec![
                    "person:ann",
                    "organization:acme",
                    "event:d2:5",
                    "location:paris",
                ]),
            ),
            ("Paris", "Ann Lee", 2, None),
        ] {
            let r = path(&index, from, to, max).unwrap();
            let got = r.hops.map(|hops| {
                let mut ids = vec![r.from.id.as_str().to_string()];
                ids.extend(hops.iter().map(|h| h.to.id.clone()));
                ids
            });
            let expected: Option<Vec<String>> =
                expected.map(|v| v.into_iter().map(String::from).collect());
            assert_eq!(got, expected, "{from} -> {to} within {max}");
        }
    }

    #[test]
    fn hops_know_their_direction_and_evidence() {
        let g = sample();
        let index = Index::new(&g);
        let r = path(&index, "Bob Stone", "Ann Lee", 6).unwrap();
        let hops = r.hops.unwrap();
        assert_eq!(hops.len(), 2);
        assert_eq!(
            (hops[0].relation, hops[0].forward),
            (Relation::Patient, false)
        );
        assert_eq!(
            (hops[1].relation, hops[1].forward),
            (Relation::Agent, false)
        );
        assert_eq!(
            &*hops[0].evidence.as_ref().unwrap().sentence,
            "Ann met Bob."
        );
        assert!(path(&index, "Bob Stone", "Nobody", 6).is_err());
    }
}
