//! timeline-kg: news articles in, an event-timeline knowledge graph out.
//!
//! The pipeline runs in stages, each a module taking the previous stage's types and
//! returning its own; data flows one way:
//!
//! 1. [`input`]: documents from text, JSON Lines, folders and stdin, with their
//!    publication date (DCT); bad input becomes an error naming the file and line.
//! 2. [`text`]: tokens and sentences as byte [`text::Span`]s into the original text;
//!    [`pos`] tags them.
//! 3. [`entities`] (people, organizations, places, role cues) and [`time`] (TIMEX3
//!    expressions normalized against the DCT, never against the clock).
//! 4. [`events`]: triggers, participants with roles, and the timex that dates them.
//!    [`annotate`] runs stages 2 to 4 on one document; [`annotations`] writes and reads
//!    them as JSON Lines (`tkg extract`).
//! 5. [`resolve`]: mentions become corpus-wide entities and events, aliases merged.
//!    A user dictionary ([`dict`], `--dict`) fixes names, kinds, aliases and external ids
//!    in stages 3 and 5.
//! 6. [`graph`]: the petgraph-backed [`graph::KnowledgeGraph`].
//! 7. [`export`]: JSON (node-link) and DOT writers.
//!
//! [`corpus`] drives stages 1 to 6 over a stream of documents in parallel with
//! deterministic output.
//!
//! ```
//! use timeline_kg::{annotate::annotate, graph::{KnowledgeGraph, NodeKind}, input::Document, resolve::Resolver};
//!
//! let doc = Document {
//!     id: "d1".into(),
//!     title: None,
//!     date: Some(timeline_kg::input::parse_date("2025-03-05").unwrap()),
//!     text: "Hamas rejected the proposal on Monday.".into(),
//!     origin: "example".into(),
//!     annotations: None,
//! };
//! let annotated = annotate(doc);
//! // "Monday" in an article of Wednesday 2025-03-05 is 2025-03-03.
//! assert!(annotated.timexes.iter().any(|t| t.value == "2025-03-03"));
//! let mut resolver = Resolver::new();
//! resolver.add(&annotated);
//! let graph = KnowledgeGraph::from_resolved(resolver.finish());
//! assert!(graph.nodes().any(|n| n.kind == NodeKind::Event));
//! ```
#![deny(missing_docs)]

pub mod annotate;
pub mod annotations;
pub(crate) mod conllu;
pub mod corpus;
pub mod dict;
pub(crate) mod embedded;
pub mod entities;
pub mod error;
pub mod eval;
pub mod events;
pub mod export;
pub mod graph;
pub mod input;
pub mod output;
pub mod pos;
pub mod query;
pub mod resolve;
pub mod spill;
pub mod text;
pub mod time;

pub use error::{Error, Result};
