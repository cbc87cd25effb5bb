//! GraphML with typed keys (networkx `read_graphml`, yEd, Gephi). Lists (aliases, merges)
//! and evidence are JSON strings, since GraphML has no list type; counts are `int`.
//! [`escape`] is the XML escaping shared with [`super::gexf`].

use super::{clean, edge_keys};
use crate::graph::KnowledgeGraph;
use std::io::Write;

/// Escapes text for an XML attribute value or element content: `& < > " '` as entities,
/// tab, line feed and carriage return as character references (so attribute-value
/// normalization keeps them), and characters XML 1.0 forbids as spaces.
pub fn escape(s: &str) -> String {
    let s = clean(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// The node keys: id, attribute name, GraphML type.
pub const NODE_KEYS: [(&str, &str, &str); 14] = [
    ("n_label", "label", "string"),
    ("n_kind", "kind", "string"),
    ("n_aliases", "aliases", "string"),
    ("n_mention_count", "mention_count", "int"),
    ("n_evidence", "evidence", "string"),
    ("n_merges", "merges", "string"),
    ("n_trigger", "trigger", "string"),
    ("n_lemma", "lemma", "string"),
    ("n_event_type", "event_type", "string"),
    ("n_date", "date", "string"),
    ("n_date_text", "date_text", "string"),
    ("n_date_start", "date_start", "string"),
    ("n_date_end", "date_end", "string"),
    ("n_external_id", "external_id", "string"),
];

/// The edge keys: id, attribute name, GraphML type.
pub const EDGE_KEYS: [(&str, &str, &str); 5] = [
    ("e_relation", "relation", "string"),
    ("e_title", "title", "string"),
    ("e_key", "key", "int"),
    ("e_evidence_count", "evidence_count", "int"),
    ("e_evidence", "evidence", "string"),
];

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn data(out: &mut dyn Write, key: &str, value: &str) -> std::io::Result<()> {
    writeln!(out, "      <data key=\"{key}\">{}</data>", escape(value))
}

/// Writes the graph as GraphML.
pub fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">"
    )?;
    for (id, name, ty) in NODE_KEYS {
        writeln!(
            out,
            "  <key id=\"{id}\" for=\"node\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
        )?;
    }
    for (id, name, ty) in EDGE_KEYS {
        writeln!(
            out,
            "  <key id=\"{id}\" for=\"edge\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
        )?;
    }
    writeln!(out, "  <graph id=\"timeline\" edgedefault=\"directed\">")?;
    for n in graph.nodes() {
        writeln!(out, "    <node id=\"{}\">", escape(&n.id))?;
        data(out, "n_label", &n.label)?;
        data(out, "n_kind", n.kind.as_str())?;
        data(out, "n_aliases", &json(&n.aliases))?;
        data(out, "n_mention_count", &n.mentions.len().to_string())?;
        data(out, "n_evidence", &json(&n.mentions))?;
        data(out, "n_merges", &json(&n.merges))?;
        if let Some(id) = &n.external_id {
            data(out, "n_external_id", id)?;
        }
        if let Some(e) = &n.event {
            data(out, "n_trigger", &e.trigger)?;
            data(out, "n_lemma", &e.lemma)?;
            data(out, "n_event_type", e.event_type.as_str())?;
            if let Some(d) = &e.date {
                data(out, "n_date", d)?;
            }
            if let Some(d) = &e.date_text {
                data(out, "n_date_text", d)?;
            }
            if let Some(d) = e.date_start {
                data(out, "n_date_start", &d.to_string())?;
            }
            if let Some(d) = e.date_end {
                data(out, "n_date_end", &d.to_string())?;
            }
        }
        writeln!(out, "    </node>")?;
    }
    for (i, ((s, t, e), key)) in graph.edges().zip(edge_keys(graph)).enumerate() {
        writeln!(
            out,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
            escape(&s.id),
            escape(&t.id)
        )?;
        data(out, "e_relation", e.relation.as_str())?;
        if let Some(title) = &e.title {
            data(out, "e_title", title)?;
        }
        data(out, "e_key", &key.to_string())?;
        data(out, "e_evidence_count", &e.evidence.len().to_string())?;
        data(out, "e_evidence", &json(&e.evidence))?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_covers_markup_quotes_and_line_breaks() {
        for (input, expected) in [
            ("plain", "plain"),
            ("<b>&amp;</b>", "&lt;b&gt;&amp;amp;&lt;/b&gt;"),
            ("say \"hi\" it's", "say &quot;hi&quot; it&apos;s"),
            ("a\tb\nc\r", "a&#9;b&#10;c&#13;"),
            ("nul\0esc\u{1b}", "nul esc "),
            ("]]> <!-- -->", "]]&gt; &lt;!-- --&gt;"),
            ("caf\u{e9} \u{1f600}", "caf\u{e9} \u{1f600}"),
        ] {
            assert_eq!(escape(input), expected, "{input:?}");
        }
    }
}
