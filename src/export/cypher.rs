//! An openCypher script that loads the graph into Neo4j 5 or FalkorDB unchanged.
//!
//! - Nodes are `MERGE`d by our stable id under a label by kind (`:Person`,
//!   `:Organization`, `:Location`, `:Event`, plus `:Document` for the sources), with their
//!   properties set from `UNWIND` batches of literal maps; relationships are `MERGE`d
//!   between them by type (`:AGENT`, `:PATIENT`, `:PARTICIPANT`, `:LOCATED_IN`, `:ROLE`,
//!   `:BEFORE`) and `key` (the JSON export's edge key), so running the script twice
//!   changes nothing.
//! - Event dates are kept as the TIMEX3 string (`date`) and as `date()` values: `day` when
//!   the TIMEX3 names a day, and `date_start`/`date_end` (end exclusive) for the interval.
//! - Provenance: `evidence_docs`, `evidence_starts`, `evidence_ends` (code points) and
//!   `evidence_sentences` are parallel lists on every node and relationship; `evidence_docs`
//!   holds `Document.id`s.
//! - Layout: one statement per block, each row of a batch on its own line, and only the
//!   last line of a statement ends with `;` (strings never hold a raw line break), so a
//!   client can split the script at lines ending with `;`. Lines starting with `//` are
//!   comments.
//! - Strings are double-quoted with `\"`, `\\`, `\n`, `\r`, `\t` escapes; other control
//!   characters become spaces; everything else is written as UTF-8 (FalkorDB reads no
//!   `\u` escapes).

use super::{clean, day_of, edge_keys};
use crate::graph::{Edge, KnowledgeGraph, Node, NodeKind, Relation};
use crate::resolve::Evidence;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

/// Rows per `UNWIND` batch.
pub const BATCH: usize = 500;

/// The node label of a kind.
pub fn label(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Person => "Person",
        NodeKind::Organization => "Organization",
        NodeKind::Location => "Location",
        NodeKind::Event => "Event",
    }
}

/// The relationship type of a relation.
pub fn rel_type(relation: Relation) -> &'static str {
    match relation {
        Relation::Agent => "AGENT",
        Relation::Patient => "PATIENT",
        Relation::Participant => "PARTICIPANT",
        Relation::LocatedIn => "LOCATED_IN",
        Relation::Role => "ROLE",
        Relation::Before => "BEFORE",
    }
}

/// A Cypher string literal.
pub fn string(s: &str) -> String {
    let s = clean(s);
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn opt_string(s: Option<&str>) -> String {
    s.map(string).unwrap_or_else(|| "null".into())
}

fn list<I: IntoIterator<Item = String>>(items: I) -> String {
    let v: Vec<String> = items.into_iter().collect();
    format!("[{}]", v.join(", "))
}

/// A map literal from keys (plain identifiers) and already-written values.
fn map(entries: &[(&str, String)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{k}: {v}");
    }
    out.push('}');
    out
}

fn evidence_props(ev: &[Evidence], props: &mut Vec<(&'static str, String)>) {
    props.push(("evidence_docs", list(ev.iter().map(|e| string(&e.doc)))));
    props.push((
        "evidence_starts",
        list(ev.iter().map(|e| e.start.to_string())),
    ));
    props.push(("evidence_ends", list(ev.iter().map(|e| e.end.to_string()))));
    props.push((
        "evidence_sentences",
        list(ev.iter().map(|e| string(&e.sentence))),
    ));
}

fn node_row(n: &Node) -> String {
    let mut props: Vec<(&str, String)> = vec![
        ("name", string(&n.label)),
        ("kind", string(n.kind.as_str())),
        ("aliases", list(n.aliases.iter().map(|a| string(a)))),
        ("mention_count", n.mentions.len().to_string()),
    ];
    evidence_props(&n.mentions, &mut props);
    props.push(("merges", list(n.merges.iter().map(|m| string(m)))));
    if let Some(id) = &n.external_id {
        props.push(("external_id", string(id)));
    }
    let mut row = vec![("id", string(&n.id))];
    if let Some(e) = &n.event {
        props.push(("trigger", string(&e.trigger)));
        props.push(("lemma", string(&e.lemma)));
        props.push(("event_type", string(e.event_type.as_str())));
        props.push(("date", opt_string(e.date.as_deref())));
        props.push(("date_text", opt_string(e.date_text.as_deref())));
        let day = day_of(e.date.as_deref()).map(|d| d.to_string());
        row.push(("day", opt_string(day.as_deref())));
        let start = e.date_start.map(|d| d.to_string());
        let end = e.date_end.map(|d| d.to_string());
        row.push(("first_day", opt_string(start.as_deref())));
        row.push(("end_day", opt_string(end.as_deref())));
    }
    row.push(("props", map(&props)));
    map(&row)
}

fn edge_row(s: &Node, t: &Node, e: &Edge, key: usize) -> String {
    let mut props: Vec<(&str, String)> = vec![
        ("relation", string(e.relation.as_str())),
        ("title", opt_string(e.title.as_deref())),
        ("evidence_count", e.evidence.len().to_string()),
    ];
    evidence_props(&e.evidence, &mut props);
    map(&[
        ("s", string(&s.id)),
        ("t", string(&t.id)),
        ("key", key.to_string()),
        ("props", map(&props)),
    ])
}

/// One statement of the script: a comment naming what it loads and the statement text
/// (without the final `;`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// What the statement loads, e.g. `person nodes`.
    pub comment: String,
    /// The openCypher text: `UNWIND [...] AS row MERGE ...`, rows one per line.
    pub text: String,
}

/// Appends `UNWIND [rows] AS row <tail>` statements in batches of [`BATCH`].
fn batches(out: &mut Vec<Statement>, comment: &str, rows: &[String], tail: &str) {
    for chunk in rows.chunks(BATCH) {
        let mut text = String::from("UNWIND [\n");
        for (i, r) in chunk.iter().enumerate() {
            let sep = if i + 1 < chunk.len() { "," } else { "" };
            let _ = writeln!(text, "  {r}{sep}");
        }
        text.push_str("] AS row\n");
        text.push_str(tail);
        out.push(Statement {
            comment: comment.to_string(),
            text,
        });
    }
}

/// The statements that load the graph, in order: documents, nodes by kind, then
/// relationships by type and end labels. Running them all twice changes nothing.
pub fn statements(graph: &KnowledgeGraph) -> Vec<Statement> {
    let mut out = Vec::new();
    let docs: Vec<String> = graph
        .documents
        .iter()
        .map(|d| {
            let date = d.date.map(|x| x.to_string());
            map(&[
                ("id", string(&d.id)),
                ("date", opt_string(date.as_deref())),
                (
                    "props",
                    map(&[
                        ("title", opt_string(d.title.as_deref())),
                        ("origin", string(&d.origin)),
                    ]),
                ),
            ])
        })
        .collect();
    batches(
        &mut out,
        "documents",
        &docs,
        "MERGE (d:Document {id: row.id})\nSET d += row.props, d.date = date(row.date)",
    );
    let mut by_kind: BTreeMap<NodeKind, Vec<String>> = BTreeMap::new();
    for n in graph.nodes() {
        by_kind.entry(n.kind).or_default().push(node_row(n));
    }
    for (kind, rows) in &by_kind {
        let mut tail = format!(
            "MERGE (n:{} {{id: row.id}})\nSET n += row.props",
            label(*kind)
        );
        if *kind == NodeKind::Event {
            tail.push_str(
                ", n.day = date(row.day), n.date_start = date(row.first_day), n.date_end = date(row.end_day)",
            );
        }
        batches(&mut out, &format!("{} nodes", kind.as_str()), rows, &tail);
    }
    let keys = edge_keys(graph);
    let mut by_type: BTreeMap<(Relation, NodeKind, NodeKind), Vec<String>> = BTreeMap::new();
    for ((s, t, e), key) in graph.edges().zip(keys) {
        by_type
            .entry((e.relation, s.kind, t.kind))
            .or_default()
            .push(edge_row(s, t, e, key));
    }
    for ((rel, sk, tk), rows) in &by_type {
        let tail = format!(
            "MATCH (a:{} {{id: row.s}})\nMATCH (b:{} {{id: row.t}})\nMERGE (a)-[r:{} {{key: row.key}}]->(b)\nSET r += row.props",
            label(*sk),
            label(*tk),
            rel_type(*rel)
        );
        let comment = format!(
            "{} relationships, {} -> {}",
            rel.as_str(),
            sk.as_str(),
            tk.as_str()
        );
        batches(&mut out, &comment, rows, &tail);
    }
    out
}

/// Writes the script.
pub fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "// timeline-kg graph as openCypher for Neo4j 5 and FalkorDB: {} nodes, {} relationships, {} documents.",
        graph.node_count(),
        graph.edge_count(),
        graph.documents.len()
    )?;
    writeln!(
        out,
        "// Idempotent: nodes are MERGEd by id, relationships by type and key; run it again and nothing changes."
    )?;
    writeln!(out, "// Statements end at lines ending with a semicolon; `cypher-shell -f FILE` runs it on Neo4j.")?;
    writeln!(
        out,
        "// For speed on large graphs, index id first (docs/databases.md), e.g. on Neo4j 5:"
    )?;
    writeln!(
        out,
        "//   CREATE CONSTRAINT tkg_event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE"
    )?;
    let mut last = String::new();
    for st in statements(graph) {
        if st.comment != last {
            writeln!(out)?;
            writeln!(out, "// {}", st.comment)?;
            last = st.comment;
        }
        writeln!(out, "{};", st.text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_neo4j_and_falkordb() {
        for (input, expected) in [
            ("plain", r#""plain""#),
            (r#"say "hi""#, r#""say \"hi\"""#),
            (r"back\slash \u0041", r#""back\\slash \\u0041""#),
            ("line\nbreak\r\ttab", r#""line\nbreak\r\ttab""#),
            ("it's", r#""it's""#),
            ("\"}) DETACH DELETE n //", r#""\"}) DETACH DELETE n //""#),
            ("`x`; $p", r#""`x`; $p""#),
            ("nul\0bell\u{7}", r#""nul bell ""#),
            (
                "caf\u{e9} \u{5d0}\u{1f600}",
                "\"caf\u{e9} \u{5d0}\u{1f600}\"",
            ),
        ] {
            assert_eq!(string(input), expected, "{input:?}");
        }
    }

    #[test]
    fn no_line_inside_a_statement_ends_with_a_semicolon() {
        let rows = vec![string("ends with;"), string("x;\ny;")];
        let mut out = Vec::new();
        batches(&mut out, "test", &rows, "RETURN row");
        assert_eq!(out.len(), 1);
        let text = format!("{};", out[0].text);
        let ends: Vec<&str> = text.lines().filter(|l| l.ends_with(';')).collect();
        assert_eq!(ends, vec!["RETURN row;"]);
    }

    #[test]
    fn event_rows_carry_dates_as_strings_and_days() {
        use crate::events::EventType;
        use crate::graph::EventAttrs;
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        for (timex, start, end, expected) in [
            (
                Some("2025-03-05"),
                "2025-03-05",
                "2025-03-06",
                r#"day: "2025-03-05", first_day: "2025-03-05", end_day: "2025-03-06""#,
            ),
            (
                Some("2025-03"),
                "2025-03-01",
                "2025-04-01",
                r#"day: null, first_day: "2025-03-01", end_day: "2025-04-01""#,
            ),
            (None, "", "", "day: null, first_day: null, end_day: null"),
        ] {
            let n = Node {
                id: "event:d:1".into(),
                kind: NodeKind::Event,
                label: "x".into(),
                aliases: vec![],
                mentions: vec![],
                event: Some(EventAttrs {
                    trigger: "said".into(),
                    lemma: "say".into(),
                    event_type: EventType::Statement,
                    date: timex.map(String::from),
                    date_text: None,
                    date_start: d(start),
                    date_end: d(end),
                }),
                merges: vec![],
                external_id: None,
            };
            let row = node_row(&n);
            assert!(row.contains(expected), "{row}");
            let date = format!("date: {}", opt_string(timex));
            assert!(row.contains(&date), "{row}");
        }
    }

    #[test]
    fn maps_and_lists_are_written_in_order() {
        for (entries, expected) in [
            (vec![], "{}"),
            (vec![("a", "1".to_string())], "{a: 1}"),
            (
                vec![("a", "1".to_string()), ("b", list(vec![string("x")]))],
                r#"{a: 1, b: ["x"]}"#,
            ),
        ] {
            assert_eq!(map(&entries), expected);
        }
    }
}
