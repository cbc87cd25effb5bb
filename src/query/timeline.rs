//! Events in date order: who did what to whom, when. Dated events sort by their first day,
//! then by where the text mentions them (document order, then offset), then id; undated
//! events come after, in evidence order, marked `dated: false`.

use super::{is_participation, Index, NodeRef, Window};
use crate::error::Result;
use crate::events::EventType;
use crate::graph::{NodeKind, Relation};
use crate::resolve::Evidence;
use chrono::NaiveDate;
use serde::Serialize;

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

/// Lists the events `query` asks for, in timeline order. An unknown `involving` name is an
/// error that lists the closest names.
pub fn events(index: &Index, query: &EventQuery) -> Result<Timeline> {
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
    let mut rows: Vec<(SortKey, EventRow)> = candidates
        .into_iter()
        .map(|n| row(index, n))
        .filter(|(_, r)| query.event_type.is_none_or(|t| r.event_type == t))
        .filter(|(_, r)| match (r.date_start, r.date_end) {
            (Some(start), end) if r.dated => query.window.overlaps(
                start,
                end.unwrap_or_else(|| start.succ_opt().unwrap_or(start)),
            ),
            _ => query.include_undated && query.window.is_open(),
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Timeline {
        subject: subject.map(|s| NodeRef::of(index.node(s))),
        events: rows.into_iter().map(|(_, r)| r).collect(),
    })
}

/// Undated events sort after every date; ties break on evidence order, then id.
type SortKey = (Option<NaiveDate>, usize, usize, String);

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
        // `None` sorts before `Some` in Rust; map undated to the largest date instead.
        Some(date_start.unwrap_or(NaiveDate::MAX)),
        doc,
        offset,
        node.id.clone(),
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
            sued.evidence.as_ref().unwrap().sentence,
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
