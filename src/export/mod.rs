//! Stage 7: export. Writes a [`KnowledgeGraph`] in the formats people load it with. Every
//! exporter writes to any `io::Write`, is deterministic (same graph, same bytes) and
//! escapes every string for its format.

pub mod dot;
pub mod json;

use crate::graph::KnowledgeGraph;

/// An output format of `tkg build` and `tkg export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Node-link JSON (networkx `node_link_graph(data, edges="edges")`), the native format.
    Json,
    /// Graphviz DOT with the dated events laid out as a timeline.
    Dot,
}

impl std::str::FromStr for Format {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "json" => Ok(Format::Json),
            "dot" => Ok(Format::Dot),
            _ => Err(crate::Error::InvalidValue {
                what: "format",
                value: s.into(),
                expected: "one of json, dot".into(),
            }),
        }
    }
}

/// Writes `graph` in `format`.
pub fn write(
    graph: &KnowledgeGraph,
    format: Format,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(graph, out),
        Format::Dot => dot::write(graph, &dot::Config::default(), out),
    }
}
