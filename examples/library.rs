//! Using timeline-kg as a library: annotate one article, build a graph, print the
//! dated events in order. Run with `cargo run --example library`.

use timeline_kg::annotate::annotate;
use timeline_kg::graph::{KnowledgeGraph, NodeKind};
use timeline_kg::input::{parse_date, Document};
use timeline_kg::resolve::Resolver;

fn main() -> Result<(), timeline_kg::Error> {
    let doc = Document {
        id: "example".into(),
        title: None,
        date: Some(parse_date("2025-03-05")?),
        text: "Union spokesman Pieter de Vries said on Monday that the workers rejected the offer."
            .into(),
        origin: "inline".into(),
        annotations: None,
    };
    let annotated = annotate(doc);
    let mut resolver = Resolver::new();
    resolver.add(&annotated);
    let graph = KnowledgeGraph::from_resolved(resolver.finish());
    for node in graph.nodes().filter(|n| n.kind == NodeKind::Event) {
        let event = node
            .event
            .as_ref()
            .expect("event nodes carry event attributes");
        println!(
            "{} {}",
            event.date.as_deref().unwrap_or("(undated)"),
            event.trigger
        );
    }
    Ok(())
}
