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

/// [`EdgeOut`] with its flattened [`Edge`] fields spelled out, borrowed: the same fields
/// in the same order (so the same bytes), without a copy of the graph.
/// The low-memory writer serializes it with no evidence and splices the evidence in.
#[derive(Serialize)]
pub(crate) struct EdgeRef<'a> {
    pub(crate) source: &'a str,
    pub(crate) target: &'a str,
    pub(crate) key: usize,
    pub(crate) relation: Relation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<&'a str>,
    pub(crate) evidence: &'a [Evidence],
}

/// The weight of elements (documents, nodes or edges) serialized per parallel chunk: an
/// element weighs one plus its pieces of evidence (each ~300 bytes of JSON, most of an
/// element's size), so a chunk is ~75 KB whether it holds many small events or one entity
/// (an entity with 20,000 mentions is a 5 MB chunk of its own).
const CHUNK_WEIGHT: usize = 256;
/// Chunks serialized per window, per rayon thread: a window is serialized in parallel
/// while the previous one is written, so memory holds two windows of bytes (~1 MB each
/// on 2 threads), not the whole file.
const WINDOW_PER_THREAD: usize = 8;

/// Writes the graph as pretty-printed JSON.
///
/// The bytes are those of `serde_json::to_writer_pretty` on the whole file, whatever the
/// thread count: the outer object is written here and every element of `documents`,
/// `nodes` and `edges` is serialized on its own with a [`Pretty`] formatter that starts
/// at the element's depth. With more than one rayon thread, chunks of elements are
/// serialized in parallel into byte buffers while the calling thread writes the
/// previous ones, in order.
pub fn write(graph: &KnowledgeGraph, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_chunked(graph, out, CHUNK_WEIGHT)
}

/// [`write`] with chunks of weight `chunk` (small in tests, to cross chunk and window
/// boundaries).
fn write_chunked(
    graph: &KnowledgeGraph,
    out: &mut dyn std::io::Write,
    chunk: usize,
) -> std::io::Result<()> {
    let nodes: Vec<&Node> = graph.nodes().collect();
    let edges = edge_views(graph);
    out.write_all(b"{\n  \"schema\": ")?;
    out.write_all(&serde_json::to_vec(SCHEMA)?)?;
    write!(
        out,
        ",\n  \"version\": {VERSION},\n  \"directed\": true,\n  \"multigraph\": true,\n  \"graph\": {{\n    \"documents\": "
    )?;
    write_array(out, &graph.documents, 3, |_| 1, chunk)?;
    out.write_all(b"\n  },\n  \"nodes\": ")?;
    write_array(out, &nodes, 2, |n| 1 + n.mentions.len(), chunk)?;
    out.write_all(b",\n  \"edges\": ")?;
    write_array(out, &edges, 2, |e| 1 + e.evidence.len(), chunk)?;
    out.write_all(b"\n}\n")
}

/// The edges in graph order as borrowed views. Parallel edges between the same two nodes
/// are told apart by `key`, 0, 1, ...
fn edge_views(graph: &KnowledgeGraph) -> Vec<EdgeRef<'_>> {
    let mut keys: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    graph
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
        .collect()
}

/// Writes `items` as a pretty-printed JSON array whose elements stand at nesting depth
/// `depth` (the array's closing bracket at `depth - 1`), exactly as serde_json's
/// `PrettyFormatter` would inside the enclosing document. Elements are serialized in
/// runs of total `weight` about `chunk`.
fn write_array<T: Serialize + Sync>(
    out: &mut dyn std::io::Write,
    items: &[T],
    depth: usize,
    weight: impl Fn(&T) -> usize,
    chunk: usize,
) -> std::io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let chunks = split_by_weight(items, &weight, chunk);
    let threads = rayon::current_num_threads();
    if threads <= 1 {
        // One thread: no pipeline, but serializing into a reused buffer still beats
        // serde_json's many small writes through `dyn Write`.
        let mut buf = Vec::new();
        for (c, part) in chunks.into_iter().enumerate() {
            buf.clear();
            serialize_chunk(&mut buf, part, c == 0, depth)?;
            out.write_all(&buf)?;
        }
    } else {
        // Window k+1 is serialized by the pool while this thread writes window k. The
        // writer stays on this thread (`out` need not be `Send`), and waiting for the
        // window's jobs lets a pool thread calling `write` run them, so this never blocks
        // the pool. A window holds about `WINDOW_PER_THREAD` chunks per thread by weight,
        // so a run of entities with thousands of mentions each is not tens of MB at once.
        let chunks: Vec<(usize, &[T], usize)> = chunks
            .into_iter()
            .enumerate()
            .map(|(c, part)| (c, part, part.iter().map(&weight).sum()))
            .collect();
        let windows = split_by_weight(&chunks, |c| c.2, threads * WINDOW_PER_THREAD * chunk);
        // Buffers written out are reused two windows later, so memory holds two windows'
        // worth of buffers, allocated once.
        let mut written: Vec<Vec<u8>> = Vec::new();
        let mut spare: Vec<Vec<u8>> = Vec::new();
        for window in windows {
            let mut slots: Vec<std::io::Result<Vec<u8>>> = window
                .iter()
                .map(|_| Ok(spare.pop().unwrap_or_default()))
                .collect();
            let mut wrote = Ok(());
            rayon::in_place_scope(|scope| {
                for (slot, &(c, part, _)) in slots.iter_mut().zip(window) {
                    scope.spawn(move |_| {
                        if let Ok(buf) = slot {
                            buf.clear();
                            if let Err(e) = serialize_chunk(buf, part, c == 0, depth) {
                                *slot = Err(e);
                            }
                        }
                    });
                }
                wrote = written.iter().try_for_each(|buf| out.write_all(buf));
            });
            wrote?;
            let next = slots.into_iter().collect::<std::io::Result<_>>()?;
            spare = std::mem::replace(&mut written, next);
        }
        for buf in &written {
            out.write_all(buf)?;
        }
    }
    out.write_all(b"\n")?;
    indent(out, depth - 1)?;
    out.write_all(b"]")
}

/// Cuts `items` into consecutive runs, each closed as soon as its total weight reaches
/// `chunk` (a heavy element makes a run of its own); every run holds at least one element.
fn split_by_weight<T>(items: &[T], weight: impl Fn(&T) -> usize, chunk: usize) -> Vec<&[T]> {
    let mut runs = Vec::new();
    let (mut start, mut total) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        total += weight(item);
        if total >= chunk {
            runs.push(&items[start..=i]);
            (start, total) = (i + 1, 0);
        }
    }
    if start < items.len() {
        runs.push(&items[start..]);
    }
    runs
}

/// Serializes a run of array elements at nesting depth `depth`, each preceded by the
/// separator and indentation the pretty printer puts before it; `first` when the run
/// starts the array.
fn serialize_chunk<T: Serialize>(
    buf: &mut Vec<u8>,
    items: &[T],
    first: bool,
    depth: usize,
) -> std::io::Result<()> {
    for (i, item) in items.iter().enumerate() {
        buf.extend_from_slice(if first && i == 0 { b"\n" } else { b",\n" });
        indent(buf, depth)?;
        let mut ser = serde_json::Serializer::with_formatter(&mut *buf, Pretty::at(depth));
        item.serialize(&mut ser)?;
    }
    Ok(())
}

/// `value` as serde_json's pretty printer writes it at nesting depth `depth` of a larger
/// document (lines after the first indented to that depth): the bytes the streaming
/// `tkg build --low-memory` writer splices together.
pub(crate) fn to_vec_pretty_at<T: Serialize + ?Sized>(
    value: &T,
    depth: usize,
) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Pretty::at(depth));
    value.serialize(&mut ser)?;
    Ok(buf)
}

/// Writes the indentation of nesting depth `depth` (two spaces per level).
pub(crate) fn indent(
    out: &mut (impl std::io::Write + ?Sized),
    depth: usize,
) -> std::io::Result<()> {
    for _ in 0..depth {
        out.write_all(b"  ")?;
    }
    Ok(())
}

/// serde_json's `PrettyFormatter` (two-space indent), started at a given nesting depth
/// instead of 0, so that a value serialized alone has the bytes it has inside the whole
/// document. The method bodies follow serde_json 1.0's `PrettyFormatter` exactly.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Pretty {
        Pretty {
            depth,
            has_value: false,
        }
    }

    fn open(
        &mut self,
        w: &mut (impl std::io::Write + ?Sized),
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close(
        &mut self,
        w: &mut (impl std::io::Write + ?Sized),
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    fn next(&mut self, w: &mut (impl std::io::Write + ?Sized), first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.depth)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::NodeKind;
    use std::io::Write;
    use std::sync::Arc;

    /// The file as one serde value: what [`write`] wrote before it went parallel, and
    /// the bytes it must still produce.
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

    fn reference(graph: &KnowledgeGraph) -> Vec<u8> {
        let file = GraphFileRef {
            schema: SCHEMA,
            version: VERSION,
            directed: true,
            multigraph: true,
            graph: GraphMetaRef {
                documents: &graph.documents,
            },
            nodes: graph.nodes().collect(),
            edges: edge_views(graph),
        };
        let mut out = serde_json::to_vec_pretty(&file).unwrap();
        out.push(b'\n');
        out
    }

    fn written(graph: &KnowledgeGraph, threads: usize, chunk: usize) -> Vec<u8> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut out = Vec::new();
        pool.install(|| write_chunked(graph, &mut out, chunk))
            .unwrap();
        out
    }

    /// A graph built by the pipeline from articles with quotes, newlines, non-ASCII
    /// text, repeated names (entities with many mentions) and events.
    fn built() -> KnowledgeGraph {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("docs.jsonl");
        let mut f = std::fs::File::create(&path).unwrap();
        for k in 0..40 {
            let doc = serde_json::json!({
                "id": format!("d{k}\"\\"),
                "date": format!("2025-03-{:02}", 1 + k % 28),
                "text": format!(
                    "Hamas rejected the \"proposal\" on Monday, spokesman Hazem Qassem said.\n\
                     Israel will respond after talks in Doha \u{2014} Cairo on day {k}.\t\
                     Président Macron met Benjamin Netanyahu in Paris before the vote."
                ),
            });
            writeln!(f, "{doc}").unwrap();
        }
        drop(f);
        let report =
            crate::corpus::build(&[path], &crate::input::InputConfig::default(), false).unwrap();
        assert!(report.errors.is_empty());
        report.graph
    }

    /// A hand-made graph: control characters and escapes in every string, a node with no
    /// mentions (an empty nested array), a heavy node, and parallel edges (keys 0, 1).
    fn odd() -> KnowledgeGraph {
        let nasty = [
            "a\nb",
            "q\"uo\\te",
            "tab\there",
            "\u{1}\u{1f}",
            "é\u{2028}ü",
            "",
        ];
        let ev = |i: usize| Evidence {
            doc: Arc::from("doc\n1"),
            start: i,
            end: i + 1,
            sentence: Arc::from(nasty[i % nasty.len()]),
        };
        let node = |i: usize, mentions: usize| Node {
            id: format!("person:{i}{}", nasty[i % nasty.len()]),
            kind: NodeKind::Person,
            label: nasty[(i + 1) % nasty.len()].to_string(),
            aliases: if i.is_multiple_of(2) {
                Vec::new()
            } else {
                vec![nasty[(i + 2) % nasty.len()].into()]
            },
            mentions: (0..mentions).map(ev).collect(),
            event: None,
            merges: if i == 1 {
                vec!["x\ny".into()]
            } else {
                Vec::new()
            },
            external_id: (i == 2).then(|| "Q1\n".into()),
        };
        let nodes: Vec<Node> = (0..9).map(|i| node(i, [0, 1, 3, 40][i % 4])).collect();
        let edge = |relation, title: Option<&str>, n: usize| Edge {
            relation,
            title: title.map(String::from),
            evidence: (0..n).map(ev).collect(),
        };
        let edges = vec![
            (
                nodes[0].id.clone(),
                nodes[1].id.clone(),
                edge(Relation::Role, Some("a\"b"), 2),
            ),
            (
                nodes[0].id.clone(),
                nodes[1].id.clone(),
                edge(Relation::Role, Some("c"), 0),
            ),
            (
                nodes[3].id.clone(),
                nodes[2].id.clone(),
                edge(Relation::Participant, None, 30),
            ),
            (
                nodes[4].id.clone(),
                nodes[5].id.clone(),
                edge(Relation::Agent, None, 1),
            ),
        ];
        let documents = vec![DocumentInfo {
            id: "doc\n1".into(),
            title: Some("T\u{0}".into()),
            date: None,
            origin: "f.jsonl:1".into(),
            content_hash: "00".into(),
        }];
        KnowledgeGraph::from_parts(documents, nodes, edges).unwrap()
    }

    #[test]
    fn same_bytes_as_one_serde_value_for_any_threads_and_chunks() {
        let graphs = [
            ("empty", KnowledgeGraph::default()),
            ("odd", odd()),
            ("built", built()),
        ];
        for (name, graph) in &graphs {
            let want = reference(graph);
            for threads in [1, 2, 3] {
                for chunk in [1, 2, 7, 50, CHUNK_WEIGHT] {
                    assert!(
                        written(graph, threads, chunk) == want,
                        "{name}: {threads} threads, chunks of {chunk}"
                    );
                }
            }
        }
        // With small chunks the built graph spans several windows of 2 or 3 threads.
        assert!(graphs[2].1.nodes().count() > 3 * WINDOW_PER_THREAD * 2);
    }

    #[test]
    fn writing_from_every_pool_thread_at_once_completes() {
        let graph = built();
        let want = reference(&graph);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let outs: Vec<Vec<u8>> = pool.install(|| {
            use rayon::prelude::*;
            (0..6)
                .into_par_iter()
                .map(|k| {
                    let mut out = Vec::new();
                    write_chunked(&graph, &mut out, 1 + k).unwrap();
                    out
                })
                .collect()
        });
        assert!(outs.iter().all(|o| *o == want));
    }

    #[test]
    fn written_graph_reads_back() {
        let graph = odd();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.json");
        std::fs::write(&path, written(&graph, 2, 3)).unwrap();
        let back = read(&path).unwrap();
        assert_eq!(back.documents, graph.documents);
        assert_eq!(
            back.nodes().collect::<Vec<_>>(),
            graph.nodes().collect::<Vec<_>>()
        );
        assert_eq!(back.edges().count(), 4);
    }

    #[test]
    fn runs_close_when_their_weight_is_reached() {
        type Case<'a> = (&'a [usize], usize, &'a [&'a [usize]]);
        let cases: [Case; 6] = [
            (&[], 3, &[]),
            (&[1, 1, 1, 1], 2, &[&[1, 1], &[1, 1]]),
            (&[1, 1, 1], 2, &[&[1, 1], &[1]]),
            (&[5, 1, 1, 1], 3, &[&[5], &[1, 1, 1]]),
            (&[1, 9, 1], 3, &[&[1, 9], &[1]]),
            (&[0, 0, 0], 0, &[&[0], &[0], &[0]]),
        ];
        for (items, chunk, want) in cases {
            assert_eq!(
                split_by_weight(items, |&w| w, chunk),
                want,
                "{items:?} / {chunk}"
            );
        }
    }

    /// A writer that fails after `left` bytes.
    struct Failing {
        left: usize,
    }

    impl std::io::Write for Failing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.left == 0 {
                return Err(std::io::Error::other("disk full"));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_writer_is_an_error_not_a_hang() {
        let graph = built();
        let size = reference(&graph).len();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for left in [0, 100, size / 2, size - 1] {
                let mut out = Failing { left };
                let err = pool
                    .install(|| write_chunked(&graph, &mut out, 5))
                    .unwrap_err();
                assert_eq!(err.to_string(), "disk full", "{threads} threads, {left}");
            }
        }
    }
}
