//! timeline-kg: news articles in, an event-timeline knowledge graph out.
pub mod entities;
pub mod pos;
pub mod text;
pub mod time;
