//! The native JSON graph: node-link shaped, so `networkx.node_link_graph(data,
//! edges="edges")` loads it, with a schema name and version, the documents, and evidence
//! on every node and edge. [`read`] loads it back, validating as it goes.

use crate::graph::{Edge, KnowledgeGraph, Node, Relation};
use crate::pos::FxHashMap;
use crate::resolve::{DocumentInfo, Evidence};
use serde::{Deserialize, Serialize};

/// The value of the file's `schema` field.
pub const SCHEMA: &str = "timeline-kg/graph";
/// The version of the JSON schema this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct GraphMeta {
    documents: Vec<DocumentInfo>,
}

#[derive(Serialize, Deserialize)]
struct EdgeOut {
    source: String,
    target: String,
    key: usize,
    #[serde(flatten)]
    edge: Edge,
}

#[derive(Serialize, Deserialize)]
struct GraphFile {
    schema: String,
    version: u32,
    directed: bool,
    multigraph: bool,
    graph: GraphMeta,
    nodes: Vec<Node>,
    edges: Vec<EdgeOut>,
}

/// A borrowed twin of [`GraphFile`] used only for writing: the same fields in the same
/// order (so the same bytes), without a second copy of the graph in memory.
#[derive(Serialize)]
struct GraphFileRef<'a> {
    schema: &'a str,
    version: u32,
    directed: bool,
    multigraph: bool,
    graph: GraphMetaRef<'a>,
    nodes: Vec<&'a Node>,
    edges: Vec<EdgeRef<'a>>,
}

#[derive(Serialize)]
struct GraphMetaRef<'a> {
    documents: &'a [DocumentInfo],
}

/// [`EdgeOut`] with its flattened [`Edge`] fields spelled out, borrowed.
#[derive(Serialize)]
struct EdgeRef<'a> {
    source: &'a str,
    target: &'a str,
    key: usize,
    relation: Relation,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    evidence: &'a [Evidence],
}

/// Writes the graph as pretty-printed JSON.
pub fn write(graph: &KnowledgeGraph, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Parallel edges between the same two nodes are told apart by `key`, 0, 1, ...
    let mut keys: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    let edges = graph
        .edges()
        .map(|(s, t, e)| {
            let k = keys.entry((s.id.as_str(), t.id.as_str())).or_insert(0);
            *k += 1;
            EdgeRef {
                source: &s.id,
                target: &t.id,
                key: *k - 1,
                relation: e.relation,
                title: e.title.as_deref(),
                evidence: &e.evidence,
            }
        })
        .collect();
    let file = GraphFileRef {
        schema: SCHEMA,
        version: VERSION,
        directed: true,
        multigraph: true,
        graph: GraphMetaRef {
            documents: &graph.documents,
        },
        nodes: graph.nodes().collect(),
        edges,
    };
    serde_json::to_writer_pretty(&mut *out, &file)?;
    out.write_all(b"\n")
}

/// Reads a graph written by [`write`]. Anything else (another tool's JSON, a truncated
/// file, an edge to a missing node) is an error saying what is wrong.
pub fn read(path: &std::path::Path) -> crate::Result<KnowledgeGraph> {
    let bad = |message: String| crate::Error::BadGraph {
        path: path.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|source| crate::Error::Io {
        location: crate::error::Location {
            path: path.to_path_buf(),
            line: None,
        },
        source,
    })?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    let value: GraphFile =
        serde_json::from_reader(reader).map_err(|e| bad(format!("line {}: {e}", e.line())))?;
    if value.schema != SCHEMA {
        return Err(bad(format!(
            "schema is {:?}, expected {SCHEMA:?}",
            value.schema
        )));
    }
    if value.version != VERSION {
        return Err(bad(format!(
            "schema version {} is not supported (this build reads {VERSION})",
            value.version
        )));
    }
    let edges = value
        .edges
        .into_iter()
        .map(|e| (e.source, e.target, e.edge))
        .collect();
    KnowledgeGraph::from_parts(value.graph.documents, value.nodes, edges).map_err(bad)
}
