//! timeline-kg: news articles in, an event-timeline knowledge graph out.
pub mod annotate;
pub mod annotations;
pub mod corpus;
pub mod entities;
pub mod error;
pub mod events;
pub mod export;
pub mod graph;
pub mod input;
pub mod output;
pub mod pos;
pub mod resolve;
pub mod text;
pub mod time;
pub use error::{Error, Result};
