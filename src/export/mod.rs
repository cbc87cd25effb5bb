//! Stage 7: export. Writes a [`KnowledgeGraph`] in the formats people load it with. Every
//! exporter writes to any `io::Write`, is deterministic (same graph, same bytes) and
//! escapes every string for its format.
//!
//! | format | for | written by |
//! | --- | --- | --- |
//! | `json` | networkx, our own `tkg query`/`tkg export` | [`json`] |
//! | `dot` | Graphviz | [`dot`] |
//! | `cypher` | Neo4j 5, FalkorDB (openCypher script) | [`cypher`] |
//! | `neo4j` | `neo4j-admin database import full`, Kùzu `COPY` (a folder of CSVs) | [`neo4j`] |
//! | `ntriples`, `turtle` | RDF stores (Oxigraph, Jena, GraphDB) | [`rdf`] |
//! | `graphml` | networkx, yEd, Gephi | [`graphml`] |
//! | `gexf` | Gephi (timeline), networkx | [`gexf`] |
//!
//! [`falkordb`] pushes the Cypher statements straight into a running FalkorDB server.

pub mod cypher;
pub mod dot;
pub mod falkordb;
pub mod gexf;
pub mod graphml;
pub mod json;
pub mod neo4j;
pub mod rdf;

use crate::graph::KnowledgeGraph;
use std::borrow::Cow;

/// An output format of `tkg build` and `tkg export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Node-link JSON (networkx `node_link_graph(data, edges="edges")`), the native format.
    Json,
    /// Graphviz DOT with the dated events laid out as a timeline.
    Dot,
    /// An idempotent openCypher script (`MERGE` by stable id) for Neo4j 5 and FalkorDB.
    Cypher,
    /// A folder of CSV files for `neo4j-admin database import full`, with `import.sh`.
    Neo4j,
    /// RDF as N-Triples, with schema.org terms.
    NTriples,
    /// RDF as Turtle, with schema.org terms.
    Turtle,
    /// GraphML with typed keys.
    GraphMl,
    /// GEXF 1.2 with event dates as time intervals (Gephi's timeline).
    Gexf,
}

/// Every format with its name on the command line, in the order help texts list them.
pub const FORMATS: [(&str, Format); 8] = [
    ("json", Format::Json),
    ("dot", Format::Dot),
    ("cypher", Format::Cypher),
    ("neo4j", Format::Neo4j),
    ("ntriples", Format::NTriples),
    ("turtle", Format::Turtle),
    ("graphml", Format::GraphMl),
    ("gexf", Format::Gexf),
];

impl Format {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        FORMATS
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("json")
    }

    /// True for formats written as a folder of files (`neo4j`) rather than one stream;
    /// write them with [`write_to_path`].
    pub fn is_folder(self) -> bool {
        matches!(self, Format::Neo4j)
    }
}

impl std::str::FromStr for Format {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        let found = FORMATS.iter().find(|(n, _)| *n == s).map(|(_, f)| *f);
        found.ok_or_else(|| crate::Error::InvalidValue {
            what: "format",
            value: s.into(),
            expected: format!(
                "one of {}",
                FORMATS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }
}

/// Writes `graph` in `format` to one stream. Folder formats ([`Format::is_folder`]) cannot
/// go to a stream: they give an `InvalidInput` error; use [`write_to_path`].
pub fn write(
    graph: &KnowledgeGraph,
    format: Format,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(graph, out),
        Format::Dot => dot::write(graph, &dot::Config::default(), out),
        Format::Cypher => cypher::write(graph, out),
        Format::Neo4j => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the neo4j format is a folder of CSV files and cannot go to one stream: write it with `tkg export GRAPH.json -f neo4j -o FOLDER` (export::write_to_path)",
        )),
        Format::NTriples => rdf::write(graph, rdf::Syntax::NTriples, out),
        Format::Turtle => rdf::write(graph, rdf::Syntax::Turtle, out),
        Format::GraphMl => graphml::write(graph, out),
        Format::Gexf => gexf::write(graph, out),
    }
}

/// Writes `graph` in `format` to `path`: a file written atomically, or for folder formats
/// a folder (created if missing) whose files are each written atomically.
pub fn write_to_path(
    graph: &KnowledgeGraph,
    format: Format,
    path: &std::path::Path,
) -> crate::Result<()> {
    if format.is_folder() {
        neo4j::write_dir(graph, path)
    } else {
        crate::output::write_atomically(path, |out| write(graph, format, out))
    }
}

/// Text with the control characters no consumer can hold (everything below U+0020 but
/// tab, line feed and carriage return, DEL, and U+FFFE/U+FFFF) turned into spaces.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0xA0)
            || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if s.chars().any(bad) {
        Cow::Owned(s.chars().map(|c| if bad(c) { ' ' } else { c }).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// For each edge in [`KnowledgeGraph::edges`] order, its key among the edges with the
/// same two ends (0, 1, ...), as the JSON export numbers them.
pub(crate) fn edge_keys(graph: &KnowledgeGraph) -> Vec<usize> {
    let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    graph
        .edges()
        .map(|(s, t, _)| {
            let k = seen.entry((s.id.as_str(), t.id.as_str())).or_insert(0);
            *k += 1;
            *k - 1
        })
        .collect()
}

/// The TIMEX3 value when it names one calendar day (`YYYY-MM-DD`), else `None`.
pub(crate) fn day_of(timex: Option<&str>) -> Option<chrono::NaiveDate> {
    let t = timex?;
    if t.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// The last day of a half-open interval `[start, end)`, as inclusive formats want it.
pub(crate) fn last_day(start: chrono::NaiveDate, end: chrono::NaiveDate) -> chrono::NaiveDate {
    end.pred_opt().filter(|d| *d >= start).unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_parses_from_its_name_and_errors_list_the_choices() {
        for (name, f) in FORMATS {
            assert_eq!(name.parse::<Format>().unwrap(), f);
            assert_eq!(f.name(), name);
        }
        let err = "xml".parse::<Format>().unwrap_err().to_string();
        for (name, _) in FORMATS {
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn clean_replaces_only_unholdable_controls() {
        for (input, expected) in [
            ("plain", "plain"),
            ("tab\tnl\ncr\r", "tab\tnl\ncr\r"),
            ("nul\0bell\u{7}us\u{1f}del\u{7f}", "nul bell us del "),
            ("caf\u{e9} \u{202e}rtl \u{fffe}", "caf\u{e9} \u{202e}rtl  "),
        ] {
            assert_eq!(clean(input), expected);
        }
    }

    #[test]
    fn days_are_only_full_dates() {
        for (timex, day) in [
            (Some("2025-03-05"), Some("2025-03-05")),
            (Some("2025-03"), None),
            (Some("2025-W10"), None),
            (Some("2025-03-05T10:00"), None),
            (Some("2025-02-30"), None),
            (None, None),
        ] {
            assert_eq!(day_of(timex).map(|d| d.to_string()).as_deref(), day);
        }
    }
}
