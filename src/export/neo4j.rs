//! CSV files for `neo4j-admin database import full` (Neo4j 5), in a folder with an
//! `import.sh` that runs the command. Kùzu loads the same files with `COPY`.
//!
//! - `documents.csv` (`:Document`), `nodes_person.csv`, `nodes_organization.csv`,
//!   `nodes_location.csv`, `nodes_event.csv`: one row per node, `id:ID(Node)` being our
//!   stable id (documents have their own id space, `ID(Document)`).
//! - `rels_<relation>_<from>_<to>.csv`: one file per relationship type and pair of end
//!   labels, `:START_ID(Node)`, `:END_ID(Node)`, `:TYPE`, `key:int` and the properties.
//! - Typed headers (`mention_count:int`, `date_start:date`, `aliases:string[]`, ...).
//! - Every string field is double-quoted with `"` doubled (RFC 4180; Neo4j's
//!   `--legacy-style-quoting=false`), so commas, quotes, backslashes and line breaks
//!   (`--multiline-fields=true`) are data. A missing value is an empty unquoted field.
//! - Array elements are separated by U+001F (`--array-delimiter=U+001F`), a control
//!   character that never occurs inside a value: control characters other than tab, line
//!   feed and carriage return are written as spaces.

use super::{clean, day_of, edge_keys};
use crate::error::{Error, Location};
use crate::graph::{KnowledgeGraph, Node, NodeKind, Relation};
use crate::resolve::Evidence;
use std::collections::BTreeMap;
use std::path::Path;

/// The array delimiter inside a field.
pub const ARRAY_DELIMITER: char = '\u{1f}';

/// Header of `documents.csv`.
pub const DOCUMENT_HEADER: &str = "id:ID(Document),:LABEL,title,date:date,origin";

const EVIDENCE_HEADER: &str =
    "evidence_docs:string[],evidence_starts:int[],evidence_ends:int[],evidence_sentences:string[]";

/// Header of the node files (events add [`EVENT_HEADER_EXTRA`]).
pub fn node_header(kind: NodeKind) -> String {
    let mut h = format!(
        "id:ID(Node),:LABEL,name,kind,aliases:string[],mention_count:int,{EVIDENCE_HEADER},merges:string[]"
    );
    if kind == NodeKind::Event {
        h.push(',');
        h.push_str(EVENT_HEADER_EXTRA);
    } else {
        // From a user dictionary (`--dict`): a Wikidata QID or another external id.
        h.push_str(",external_id");
    }
    h
}

/// The event columns after the common node columns.
pub const EVENT_HEADER_EXTRA: &str =
    "trigger,lemma,event_type,date,date_text,day:date,date_start:date,date_end:date";

/// Header of the relationship files.
pub fn rel_header() -> String {
    format!(
        ":START_ID(Node),:END_ID(Node),:TYPE,key:int,relation,title,evidence_count:int,{EVIDENCE_HEADER}"
    )
}

/// A quoted CSV string field.
pub fn field(s: &str) -> String {
    quote(&clean(s))
}

/// Quotes text that is already clean.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn opt_field(s: Option<&str>) -> String {
    s.map(field).unwrap_or_default()
}

/// An array field of strings (empty field for an empty array).
pub fn string_array<'a, I: IntoIterator<Item = &'a str>>(items: I) -> String {
    let v: Vec<String> = items.into_iter().map(|s| clean(s).into_owned()).collect();
    if v.is_empty() {
        String::new()
    } else {
        quote(&v.join(&ARRAY_DELIMITER.to_string()))
    }
}

fn int_array<I: IntoIterator<Item = usize>>(items: I) -> String {
    let v: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    v.join(&ARRAY_DELIMITER.to_string())
}

fn evidence_fields(ev: &[Evidence], row: &mut Vec<String>) {
    row.push(string_array(ev.iter().map(|e| &*e.doc)));
    row.push(int_array(ev.iter().map(|e| e.start)));
    row.push(int_array(ev.iter().map(|e| e.end)));
    row.push(string_array(ev.iter().map(|e| &*e.sentence)));
}

fn node_row(n: &Node) -> String {
    let mut row = vec![
        field(&n.id),
        field(super::cypher::label(n.kind)),
        field(&n.label),
        field(n.kind.as_str()),
        string_array(n.aliases.iter().map(String::as_str)),
        n.mentions.len().to_string(),
    ];
    evidence_fields(&n.mentions, &mut row);
    row.push(string_array(n.merges.iter().map(String::as_str)));
    if n.kind != NodeKind::Event {
        row.push(opt_field(n.external_id.as_deref()));
    }
    if n.kind == NodeKind::Event {
        match &n.event {
            Some(e) => {
                row.push(field(&e.trigger));
                row.push(field(&e.lemma));
                row.push(field(e.event_type.as_str()));
                row.push(opt_field(e.date.as_deref()));
                row.push(opt_field(e.date_text.as_deref()));
                row.push(
                    day_of(e.date.as_deref())
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                );
                row.push(e.date_start.map(|d| d.to_string()).unwrap_or_default());
                row.push(e.date_end.map(|d| d.to_string()).unwrap_or_default());
            }
            None => row.extend(std::iter::repeat_n(String::new(), 8)),
        }
    }
    row.join(",")
}

/// The files of the folder, name and content, in a fixed order.
pub fn files(graph: &KnowledgeGraph) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut docs = format!("{DOCUMENT_HEADER}\n");
    for d in &graph.documents {
        let row = [
            field(&d.id),
            field("Document"),
            opt_field(d.title.as_deref()),
            d.date.map(|x| x.to_string()).unwrap_or_default(),
            field(&d.origin),
        ];
        docs.push_str(&row.join(","));
        docs.push('\n');
    }
    files.push(("documents.csv".to_string(), docs.into_bytes()));
    for kind in [
        NodeKind::Person,
        NodeKind::Organization,
        NodeKind::Location,
        NodeKind::Event,
    ] {
        let mut text = node_header(kind);
        text.push('\n');
        for n in graph.nodes().filter(|n| n.kind == kind) {
            text.push_str(&node_row(n));
            text.push('\n');
        }
        files.push((format!("nodes_{}.csv", kind.as_str()), text.into_bytes()));
    }
    let mut rels: BTreeMap<(Relation, NodeKind, NodeKind), String> = BTreeMap::new();
    for ((s, t, e), key) in graph.edges().zip(edge_keys(graph)) {
        let text = rels
            .entry((e.relation, s.kind, t.kind))
            .or_insert_with(|| format!("{}\n", rel_header()));
        let mut row = vec![
            field(&s.id),
            field(&t.id),
            field(super::cypher::rel_type(e.relation)),
            key.to_string(),
            field(e.relation.as_str()),
            opt_field(e.title.as_deref()),
            e.evidence.len().to_string(),
        ];
        evidence_fields(&e.evidence, &mut row);
        text.push_str(&row.join(","));
        text.push('\n');
    }
    let node_names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let mut rel_names = Vec::new();
    for ((rel, sk, tk), text) in rels {
        let name = format!("rels_{}_{}_{}.csv", rel.as_str(), sk.as_str(), tk.as_str());
        rel_names.push(name.clone());
        files.push((name, text.into_bytes()));
    }
    files.push((
        "import.sh".to_string(),
        import_script(&node_names, &rel_names).into_bytes(),
    ));
    files
}

fn import_script(nodes: &[String], rels: &[String]) -> String {
    let mut s = String::from(
        "#!/bin/sh\n\
         # Loads this folder into a Neo4j 5 database with neo4j-admin (the server must be\n\
         # stopped; the database is replaced). Usage: sh import.sh [DATABASE], default neo4j.\n\
         # Community edition has one database, neo4j; on Enterprise run CREATE DATABASE NAME\n\
         # after importing into NAME.\n\
         set -eu\n\
         cd \"$(dirname \"$0\")\"\n\
         neo4j-admin database import full \"${1:-neo4j}\" \\\n  --overwrite-destination=true \\\n  --id-type=string \\\n  --multiline-fields=true \\\n  --legacy-style-quoting=false \\\n  --array-delimiter=U+001F \\\n",
    );
    for n in nodes {
        s.push_str(&format!("  --nodes={n} \\\n"));
    }
    for r in rels {
        s.push_str(&format!("  --relationships={r} \\\n"));
    }
    s.push_str("  --verbose\n");
    s
}

/// Writes the folder: creates it if missing, writes each file atomically and removes
/// `rels_*.csv` files left there by an earlier export that this graph no longer has.
pub fn write_dir(graph: &KnowledgeGraph, dir: &Path) -> crate::Result<()> {
    let io = |path: &Path, source| Error::Io {
        location: Location {
            path: path.to_path_buf(),
            line: None,
        },
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let files = files(graph);
    for (name, bytes) in &files {
        crate::output::write_atomically(&dir.join(name), |w| w.write_all(bytes))?;
    }
    let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = name.starts_with("rels_")
            && name.ends_with(".csv")
            && !files.iter().any(|(n, _)| *n == name);
        if stale {
            std::fs::remove_file(entry.path()).map_err(|e| io(&entry.path(), e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_rfc4180() {
        for (input, expected) in [
            ("plain", "\"plain\""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("back\\slash\\\"", "\"back\\slash\\\"\"\""),
            ("line\nbreak\r\n", "\"line\nbreak\r\n\""),
            ("unit\u{1f}sep\0", "\"unit sep \""),
            ("', '", "\"', '\""),
        ] {
            assert_eq!(field(input), expected, "{input:?}");
        }
    }

    #[test]
    fn arrays_join_with_the_unit_separator_and_empty_is_missing() {
        for (input, expected) in [
            (vec![], ""),
            (vec!["a"], "\"a\""),
            (vec!["a;b", "c"], "\"a;b\u{1f}c\""),
            (vec!["x\u{1f}y", "\""], "\"x y\u{1f}\"\"\""),
        ] {
            assert_eq!(string_array(input.iter().copied()), expected);
        }
        assert_eq!(int_array([1, 22]), "1\u{1f}22");
    }

    #[test]
    fn headers_have_one_column_per_field() {
        let g = KnowledgeGraph::default();
        let files = files(&g);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "documents.csv",
                "nodes_person.csv",
                "nodes_organization.csv",
                "nodes_location.csv",
                "nodes_event.csv",
                "import.sh"
            ]
        );
        assert_eq!(node_header(NodeKind::Event).split(',').count(), 19);
        assert_eq!(node_header(NodeKind::Person).split(',').count(), 12);
        assert!(node_header(NodeKind::Location).ends_with(",merges:string[],external_id"));
        let script = import_script(
            &["documents.csv".into(), "nodes_event.csv".into()],
            &["rels_agent_person_event.csv".into()],
        );
        let flags: Vec<&str> = script
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("--nodes") || l.starts_with("--relationships"))
            .collect();
        assert_eq!(
            flags,
            [
                "--nodes=documents.csv \\",
                "--nodes=nodes_event.csv \\",
                "--relationships=rels_agent_person_event.csv \\"
            ]
        );
        assert_eq!(rel_header().split(',').count(), 11);
    }
}
