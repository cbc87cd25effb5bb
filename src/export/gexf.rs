//! GEXF 1.2 for Gephi (and networkx `read_gexf`): a dynamic graph whose dated events carry
//! `start`/`end` (their first and last day, `timeformat="date"`), as do the edges that
//! touch them, so Gephi's timeline slider plays the story; people, organizations and
//! places have no interval and stay visible throughout.

use super::graphml::escape;
use super::{edge_keys, last_day};
use crate::graph::{KnowledgeGraph, Node};
use chrono::NaiveDate;
use std::io::Write;

/// The node attributes: id (also the title networkx uses as the name) and GEXF type.
pub const NODE_ATTRIBUTES: [(&str, &str); 12] = [
    ("kind", "string"),
    ("aliases", "string"),
    ("mention_count", "integer"),
    ("evidence", "string"),
    ("trigger", "string"),
    ("lemma", "string"),
    ("event_type", "string"),
    ("date", "string"),
    ("date_text", "string"),
    ("date_start", "string"),
    ("date_end", "string"),
    ("external_id", "string"),
];

/// The edge attributes: id and GEXF type (`edge_key`, since networkx reserves `key`).
pub const EDGE_ATTRIBUTES: [(&str, &str); 5] = [
    ("relation", "string"),
    ("title", "string"),
    ("edge_key", "integer"),
    ("evidence_count", "integer"),
    ("evidence", "string"),
];

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The inclusive interval of a dated event.
fn interval(n: &Node) -> Option<(NaiveDate, NaiveDate)> {
    let e = n.event.as_ref()?;
    let start = e.date_start?;
    let end = e.date_end.map(|end| last_day(start, end)).unwrap_or(start);
    Some((start, end))
}

fn span(i: Option<(NaiveDate, NaiveDate)>) -> String {
    match i {
        Some((s, e)) => format!(" start=\"{s}\" end=\"{e}\""),
        None => String::new(),
    }
}

fn attvalues(out: &mut dyn Write, values: &[(&str, String)]) -> std::io::Result<()> {
    writeln!(out, "        <attvalues>")?;
    for (k, v) in values {
        writeln!(
            out,
            "          <attvalue for=\"{k}\" value=\"{}\"/>",
            escape(v)
        )?;
    }
    writeln!(out, "        </attvalues>")
}

/// Writes the graph as GEXF 1.2.
pub fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">"
    )?;
    writeln!(out, "  <meta>")?;
    writeln!(out, "    <creator>timeline-kg</creator>")?;
    writeln!(
        out,
        "    <description>event-timeline knowledge graph: {} nodes, {} edges</description>",
        graph.node_count(),
        graph.edge_count()
    )?;
    writeln!(out, "  </meta>")?;
    writeln!(
        out,
        "  <graph mode=\"dynamic\" defaultedgetype=\"directed\" timeformat=\"date\">"
    )?;
    writeln!(out, "    <attributes class=\"node\" mode=\"static\">")?;
    for (id, ty) in NODE_ATTRIBUTES {
        writeln!(
            out,
            "      <attribute id=\"{id}\" title=\"{id}\" type=\"{ty}\"/>"
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, "    <attributes class=\"edge\" mode=\"static\">")?;
    for (id, ty) in EDGE_ATTRIBUTES {
        writeln!(
            out,
            "      <attribute id=\"{id}\" title=\"{id}\" type=\"{ty}\"/>"
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, "    <nodes>")?;
    for n in graph.nodes() {
        writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\"{}>",
            escape(&n.id),
            escape(&n.label),
            span(interval(n))
        )?;
        let mut values = vec![
            ("kind", n.kind.as_str().to_string()),
            ("aliases", json(&n.aliases)),
            ("mention_count", n.mentions.len().to_string()),
            ("evidence", json(&n.mentions)),
        ];
        if let Some(id) = &n.external_id {
            values.push(("external_id", id.clone()));
        }
        if let Some(e) = &n.event {
            values.push(("trigger", e.trigger.clone()));
            values.push(("lemma", e.lemma.clone()));
            values.push(("event_type", e.event_type.as_str().to_string()));
            if let Some(d) = &e.date {
                values.push(("date", d.clone()));
            }
            if let Some(d) = &e.date_text {
                values.push(("date_text", d.clone()));
            }
            if let Some(d) = e.date_start {
                values.push(("date_start", d.to_string()));
            }
            if let Some(d) = e.date_end {
                values.push(("date_end", d.to_string()));
            }
        }
        attvalues(out, &values)?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    for (i, ((s, t, e), key)) in graph.edges().zip(edge_keys(graph)).enumerate() {
        let ends: Vec<(NaiveDate, NaiveDate)> =
            [interval(s), interval(t)].into_iter().flatten().collect();
        let when = match (
            ends.iter().map(|x| x.0).min(),
            ends.iter().map(|x| x.1).max(),
        ) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        };
        writeln!(
            out,
            "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" label=\"{}\"{}>",
            escape(&s.id),
            escape(&t.id),
            escape(e.relation.as_str()),
            span(when)
        )?;
        let mut values = vec![("relation", e.relation.as_str().to_string())];
        if let Some(title) = &e.title {
            values.push(("title", title.clone()));
        }
        values.push(("edge_key", key.to_string()));
        values.push(("evidence_count", e.evidence.len().to_string()));
        values.push(("evidence", json(&e.evidence)));
        attvalues(out, &values)?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_inclusive_days_or_nothing() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        for (input, expected) in [
            (None, ""),
            (
                Some((d("2025-03-05"), d("2025-03-05"))),
                " start=\"2025-03-05\" end=\"2025-03-05\"",
            ),
            (
                Some((d("2025-03-01"), d("2025-03-31"))),
                " start=\"2025-03-01\" end=\"2025-03-31\"",
            ),
        ] {
            assert_eq!(span(input), expected);
        }
        assert_eq!(last_day(d("2025-03-05"), d("2025-03-06")), d("2025-03-05"));
        assert_eq!(last_day(d("2025-03-05"), d("2025-03-05")), d("2025-03-05"));
    }
}
