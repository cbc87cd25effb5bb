//! Events in date order: who did what to whom, when. Dated events sort by their first day,
//! then by where the text mentions them (document order, then offset), then id.
//!
//! Undated events the text orders ("the talks followed the ceasefire": a `before` edge
//! titled with its cue) are *placed*: walking the textual `before` edges out from the dated
//! events (in node order, breadth first), an undated event said to come after a placed one
//! sorts right after it, one said to come before right before it; the first placement
//! found wins, edges caught in a contradiction place nothing, and the row says what placed
//! it (`placed`, shown as "after: ..."). A placed event is listed whenever the dated event
//! its chain starts from is. Every row lists its textual ordering hints (`order`). The
//! remaining undated events come last, in evidence order, marked `dated: false`.

use super::{is_participation, Direction, Index, NodeRef, Window};
use crate::error::Result;
use crate::events::EventType;
use crate::graph::{Contradiction, NodeKind, Relation};
use crate::resolve::Evidence;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, VecDeque};

/// What the text says about an event's order relative to another event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderHint {
    /// `after` or `before`: where the row's event stands relative to `event`.
    pub relation: &'static str,
    /// The other event.
    pub event: NodeRef,
    /// The other event's date (TIMEX3 value), if it has one.
    pub date: Option<String>,
    /// The cue words ("after", "followed").
    pub cue: String,
    /// True when this statement takes part in a contradiction.
    pub contradicted: bool,
}

impl OrderHint {
    /// "after: 2025-03-01 ceasefire (follows)", as the text table shows it.
    pub fn describe(&self) -> String {
        format!("{}: {} ({})", self.relation, self.event.label, self.cue)
    }
}

/// One event with its participants and the sentence that states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRow {
    /// The event node's id.
    pub id: String,
    /// TIMEX3 value of its date (`2025-03-03`, `2025-W10`), if the text gives one.
    pub date: Option<String>,
    /// First day of the date's interval.
    pub date_start: Option<NaiveDate>,
    /// Day after the date's interval.
    pub date_end: Option<NaiveDate>,
    /// True when the event has a calendar interval to sort on.
    pub dated: bool,
    /// Its PLOVER-style type.
    pub event_type: EventType,
    /// The trigger word ("rejected", "talks").
    pub trigger: String,
    /// Who did it.
    pub agents: Vec<NodeRef>,
    /// Who or what it was done to.
    pub patients: Vec<NodeRef>,
    /// Who else took part.
    pub participants: Vec<NodeRef>,
    /// Where it happened.
    pub locations: Vec<NodeRef>,
    /// The first sentence that mentions it.
    pub evidence: Option<Evidence>,
    /// How many times the text mentions it.
    pub mentions: usize,
    /// For an undated event placed among dated ones, the textual hint that placed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placed: Option<OrderHint>,
    /// What the text says about its order relative to other events.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<OrderHint>,
}

/// Which events to list. The default lists every event, undated ones last.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// Only events this name (label, alias or id) takes part in, in any role.
    pub involving: Option<String>,
    /// Only events of this type.
    pub event_type: Option<EventType>,
    /// Only dated events whose interval overlaps this window (an open window keeps all).
    pub window: Window,
    /// Keep undated events (after the dated ones) when the window is open.
    pub include_undated: bool,
}

/// The answer to an [`EventQuery`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// The node `involving` named, if any.
    pub subject: Option<NodeRef>,
    /// The events, in timeline order.
    pub events: Vec<EventRow>,
}

/// Lists the events `query` asks for, in timeline order, undated ones last (each row with
/// its textual ordering hints). An unknown `involving` name is an error that lists the
/// closest names.
pub fn events(index: &Index, query: &EventQuery) -> Result<Timeline> {
    select(index, query, false)
}

/// Like [`events`], but undated events the text orders against dated ones are placed
/// among them (and listed whenever the dated event their chain starts from is): what
/// `tkg timeline` shows.
pub fn placed_events(index: &Index, query: &EventQuery) -> Result<Timeline> {
    select(index, query, true)
}

fn select(index: &Index, query: &EventQuery, place: bool) -> Result<Timeline> {
    let subject = query
        .involving
        .as_deref()
        .map(|name| index.find(name))
        .transpose()?;
    let candidates: Vec<usize> = match subject {
        Some(s) => {
            let mut found: Vec<usize> = index
                .incident(s)
                .filter(|&(_, other, _, e)| {
                    is_participation(e.relation) && index.node(other).kind == NodeKind::Event
                })
                .map(|(_, other, _, _)| other)
                .collect();
            if index.node(s).kind == NodeKind::Event {
                found.push(s);
            }
            found.sort_unstable();
            found.dedup();
            found
        }
        None => (0..index.node_count())
            .filter(|&n| index.node(n).kind == NodeKind::Event)
            .collect(),
    };
    let contradicted = contradicted_claims(&index.graph().contradictions());
    let placed = if place {
        placements(index, &contradicted)
    } else {
        HashMap::new()
    };
    let mut rows: Vec<(SortKey, EventRow, usize)> = candidates
        .into_iter()
        .map(|n| {
            let (mut key, mut r) = row(index, n);
            r.order = hints(index, n, &contradicted);
            if let Some((root, slot, hint)) = placed.get(&n) {
                let (root_key, _) = row(index, *root);
                key = (
                    root_key.0, root_key.1, root_key.2, root_key.3, *slot, key.1, key.2, key.3,
                );
                r.placed = Some(hint.clone());
            }
            (key, r, n)
        })
        .filter(|(_, r, _)| query.event_type.is_none_or(|t| r.event_type == t))
        .filter(|(key, r, n)| {
            if r.dated || r.placed.is_some() {
                // A placed row stands with the dated event its chain starts from.
                let root = if r.dated {
                    (r.date_start, r.date_end)
                } else {
                    placed
                        .get(n)
                        .map(|(root, _, _)| {
                            let a = index.node(*root).event.as_ref();
                            (a.and_then(|a| a.date_start), a.and_then(|a| a.date_end))
                        })
                        .unwrap_or((Some(key.0), None))
                };
                match root {
                    (Some(start), end) => query.window.overlaps(
                        start,
                        end.unwrap_or_else(|| start.succ_opt().unwrap_or(start)),
                    ),
                    _ => false,
                }
            } else {
                query.include_undated && query.window.is_open()
            }
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Timeline {
        subject: subject.map(|s| NodeRef::of(index.node(s))),
        events: rows.into_iter().map(|(_, r, _)| r).collect(),
    })
}

/// (before id, after id, cue) of every textual claim caught in a contradiction.
fn contradicted_claims(list: &[Contradiction]) -> BTreeSet<(String, String, String)> {
    list.iter()
        .flat_map(|c| c.claims.iter())
        .filter_map(|c| Some((c.before.clone(), c.after.clone(), c.cue.clone()?)))
        .collect()
}

/// The textual ordering hints of event node `n`, in edge order.
fn hints(
    index: &Index,
    n: usize,
    contradicted: &BTreeSet<(String, String, String)>,
) -> Vec<OrderHint> {
    index
        .incident(n)
        .filter(|(_, other, _, e)| e.is_textual_before() && *other != n)
        .map(|(_, other, dir, e)| hint(index, n, other, dir, e, contradicted))
        .collect()
}

fn hint(
    index: &Index,
    n: usize,
    other: usize,
    dir: Direction,
    e: &crate::graph::Edge,
    contradicted: &BTreeSet<(String, String, String)>,
) -> OrderHint {
    let (me, them) = (index.node(n), index.node(other));
    let cue = e.title.clone().unwrap_or_default();
    let (before, after) = match dir {
        Direction::Out => (&me.id, &them.id),
        Direction::In => (&them.id, &me.id),
    };
    OrderHint {
        relation: match dir {
            Direction::Out => "before",
            Direction::In => "after",
        },
        event: NodeRef::of(them),
        date: them.event.as_ref().and_then(|a| a.date.clone()),
        contradicted: contradicted.contains(&(before.clone(), after.clone(), cue.clone())),
        cue,
    }
}

/// Undated events placed by textual `before` edges, walking out from the dated events:
/// node -> (dated node its chain starts from, signed distance along the chain, the hint
/// that placed it).
fn placements(
    index: &Index,
    contradicted: &BTreeSet<(String, String, String)>,
) -> HashMap<usize, (usize, i64, OrderHint)> {
    let is_dated = |n: usize| {
        index
            .node(n)
            .event
            .as_ref()
            .is_some_and(|a| a.date_start.is_some())
    };
    let mut placed: HashMap<usize, (usize, i64, OrderHint)> = HashMap::new();
    let mut queue: VecDeque<(usize, usize, i64)> = (0..index.node_count())
        .filter(|&n| index.node(n).kind == NodeKind::Event && is_dated(n))
        .map(|n| (n, n, 0))
        .collect();
    while let Some((m, root, slot)) = queue.pop_front() {
        for (_, other, dir, e) in index.incident(m) {
            if !e.is_textual_before()
                || other == m
                || is_dated(other)
                || placed.contains_key(&other)
            {
                continue;
            }
            let h = hint(index, other, m, flip(dir), e, contradicted);
            if h.contradicted {
                continue;
            }
            let slot = match dir {
                Direction::Out => slot + 1,
                Direction::In => slot - 1,
            };
            placed.insert(other, (root, slot, h));
            queue.push_back((other, root, slot));
        }
    }
    placed
}

fn flip(d: Direction) -> Direction {
    match d {
        Direction::Out => Direction::In,
        Direction::In => Direction::Out,
    }
}

/// Undated events sort after every date; ties break on evidence order, then id. A placed
/// event takes the key of the dated event its chain starts from, then its distance along
/// the chain (negative before it), then its own evidence order.
type SortKey = (NaiveDate, usize, usize, String, i64, usize, usize, String);

/// Writes contradictions one per line ("dates: the text puts ..."), with the evidence
/// sentence of each textual claim indented below; nothing when there are none.
pub fn write_contradictions(
    list: &[Contradiction],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    writeln!(out, "contradictions in the event order: {}", list.len())?;
    for c in list {
        let kind = match c.kind {
            crate::graph::ContradictionKind::Dates => "dates",
            crate::graph::ContradictionKind::Cycle => "cycle",
        };
        writeln!(out, "  {kind}: {}", c.reason)?;
        for claim in &c.claims {
            let Some(cue) = &claim.cue else { continue };
            for ev in &claim.evidence {
                writeln!(
                    out,
                    "    {} -> {} ({cue}): {} [{}]",
                    claim.before,
                    claim.after,
                    ev.sentence.trim(),
                    ev.doc
                )?;
            }
        }
    }
    Ok(())
}

/// The row of event node `n`, with its sort key.
pub fn row(index: &Index, n: usize) -> (SortKey, EventRow) {
    let node = index.node(n);
    let (mut agents, mut patients, mut participants, mut locations) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (_, other, _, e) in index.incident(n) {
        let list = match e.relation {
            Relation::Agent => &mut agents,
            Relation::Patient => &mut patients,
            Relation::Participant => &mut participants,
            Relation::LocatedIn => &mut locations,
            Relation::Role | Relation::Before => continue,
        };
        let r = NodeRef::of(index.node(other));
        if !list.contains(&r) {
            list.push(r);
        }
    }
    let attrs = node.event.as_ref();
    let date_start = attrs.and_then(|a| a.date_start);
    let evidence = node.mentions.first().cloned();
    let (doc, offset) = evidence
        .as_ref()
        .map(|e| (index.doc_position(&e.doc), e.start))
        .unwrap_or((usize::MAX, usize::MAX));
    let key = (
        // Undated events sort after every date.
        date_start.unwrap_or(NaiveDate::MAX),
        doc,
        offset,
        node.id.clone(),
        0,
        0,
        0,
        String::new(),
    );
    let row = EventRow {
        id: node.id.clone(),
        date: attrs.and_then(|a| a.date.clone()),
        date_start,
        date_end: attrs.and_then(|a| a.date_end),
        dated: date_start.is_some(),
        event_type: attrs.map_or(EventType::Other, |a| a.event_type),
        trigger: attrs.map_or_else(|| node.label.clone(), |a| a.trigger.clone()),
        agents,
        patients,
        participants,
        locations,
        evidence,
        mentions: node.mentions.len(),
        placed: None,
        order: Vec::new(),
    };
    (key, row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::tests::sample;
    use crate::query::Period;

    fn ids(t: &Timeline) -> Vec<&str> {
        t.events.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn queries_select_and_order_events() {
        let g = sample();
        let index = Index::new(&g);
        let p = |s: &str| Some(s.parse::<Period>().unwrap());
        let all = ["event:d1:4", "event:d2:5", "event:d2:30"];
        for (query, expected) in [
            (
                EventQuery {
                    include_undated: true,
                    ..Default::default()
                },
                &all[..],
            ),
            (EventQuery::default(), &all[..2]),
            (
                EventQuery {
                    involving: Some("bob stone".into()),
                    include_undated: true,
                    ..Default::default()
                },
                &all[..],
            ),
            (
                EventQuery {
                    involving: Some("Paris".into()),
                    ..Default::default()
                },
                &all[1..2],
            ),
            (
                EventQuery {
                    event_type: Some(EventType::Consult),
                    include_undated: true,
                    ..Default::default()
                },
                &all[..1],
            ),
            (
                EventQuery {
                    window: Window::new(p("2025-03-04"), None).unwrap(),
                    include_undated: true,
                    ..Default::default()
                },
                &all[1..2],
            ),
            (
                EventQuery {
                    window: Window::new(None, p("2025-03-03")).unwrap(),
                    ..Default::default()
                },
                &all[..1],
            ),
            (
                EventQuery {
                    window: Window::new(p("2024"), p("2024")).unwrap(),
                    ..Default::default()
                },
                &[][..],
            ),
        ] {
            let t = events(&index, &query).unwrap();
            assert_eq!(ids(&t), expected, "{query:?}");
        }
    }

    #[test]
    fn rows_say_who_did_what_to_whom() {
        let g = sample();
        let index = Index::new(&g);
        let t = events(&index, &EventQuery::default()).unwrap();
        let sued = &t.events[1];
        assert_eq!(sued.trigger, "sued");
        assert_eq!(sued.agents[0].label, "Acme");
        assert_eq!(sued.patients[0].label, "Bob Stone");
        assert_eq!(sued.locations[0].label, "Paris");
        assert_eq!(sued.date.as_deref(), Some("2025-03-10"));
        assert!(sued.dated);
        assert_eq!(
            &*sued.evidence.as_ref().unwrap().sentence,
            "Acme sued Bob in Paris."
        );
    }

    #[test]
    fn unknown_subject_is_an_error() {
        let g = sample();
        let index = Index::new(&g);
        let q = EventQuery {
            involving: Some("Nobody".into()),
            ..Default::default()
        };
        assert!(events(&index, &q).is_err());
    }
}
