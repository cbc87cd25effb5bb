//! Graphviz DOT. People, organizations, places and events get their own shapes and
//! colours; dated events stand in date columns along a timeline axis drawn left to right.
//! Written by hand rather than with petgraph's `Dot`, whose escaping is for debugging.

use crate::graph::{KnowledgeGraph, NodeKind, Relation};
use std::collections::BTreeMap;
use std::io::Write;

/// Options of the DOT export.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// Longest label, in characters, before it is cut with an ellipsis.
    pub max_label_chars: usize,
    /// Draw the timeline axis and put dated events in date columns.
    pub timeline: bool,
}

impl Default for Config {
    /// Labels up to 60 characters; timeline on.
    fn default() -> Self {
        Config {
            max_label_chars: 60,
            timeline: true,
        }
    }
}

/// Quotes a string for DOT: backslashes, quotes and line breaks escaped, control
/// characters dropped, long text cut.
pub fn quote(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for (n, c) in s.chars().enumerate() {
        if n >= max_chars {
            out.push('\u{2026}');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn style(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Person => "shape=ellipse, style=filled, fillcolor=\"#cfe2ff\"",
        NodeKind::Organization => "shape=box, style=filled, fillcolor=\"#ffe5b4\"",
        NodeKind::Location => "shape=hexagon, style=filled, fillcolor=\"#d1f2d1\"",
        NodeKind::Event => "shape=box, style=\"rounded,filled\", fillcolor=\"#f8d7da\"",
    }
}

/// Writes the graph as DOT.
pub fn write(graph: &KnowledgeGraph, config: &Config, out: &mut dyn Write) -> std::io::Result<()> {
    let q = |s: &str| quote(s, config.max_label_chars);
    writeln!(out, "digraph timeline {{")?;
    writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.3, ranksep=0.6];"
    )?;
    writeln!(out, "  node [fontname=\"Helvetica\", fontsize=10];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=8];")?;
    let mut by_date: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for n in graph.nodes() {
        let label = match &n.event {
            Some(e) => match &e.date {
                Some(d) => format!("{d}\n{}", e.trigger),
                None => e.trigger.clone(),
            },
            None => n.label.clone(),
        };
        // A user dictionary's external id: a tooltip, and a link when it has an IRI.
        let external = match &n.external_id {
            Some(id) => {
                let mut attrs = format!(", tooltip={}", quote(id, usize::MAX));
                if let Some(iri) = crate::dict::external_iri(id) {
                    attrs.push_str(&format!(", URL={}", quote(&iri, usize::MAX)));
                }
                attrs
            }
            None => String::new(),
        };
        writeln!(
            out,
            "  {} [label={}, {}{external}];",
            q(&n.id),
            q(&label),
            style(n.kind)
        )?;
        if let Some(e) = &n.event {
            if let Some(start) = e.date_start {
                by_date.entry(start.to_string()).or_default().push(&n.id);
            }
        }
    }
    for (s, t, e) in graph.edges() {
        let label = match (&e.relation, &e.title) {
            (Relation::Role, Some(title)) => title.clone(),
            (r, _) => r.as_str().to_string(),
        };
        let extra = if e.relation == Relation::Before {
            ", style=dashed, color=gray50"
        } else {
            ""
        };
        writeln!(
            out,
            "  {} -> {} [label={}{extra}];",
            q(&s.id),
            q(&t.id),
            q(&label)
        )?;
    }
    if config.timeline && !by_date.is_empty() {
        writeln!(out, "  subgraph timeline_axis {{")?;
        writeln!(
            out,
            "    node [shape=plaintext, fontsize=12, fontcolor=\"#333333\"];"
        )?;
        let days: Vec<&String> = by_date.keys().collect();
        for d in &days {
            writeln!(out, "    {} [label={}];", q(&format!("day:{d}")), q(d))?;
        }
        for w in days.windows(2) {
            writeln!(
                out,
                "    {} -> {} [style=bold, color=\"#555555\", arrowhead=none];",
                q(&format!("day:{}", w[0])),
                q(&format!("day:{}", w[1]))
            )?;
        }
        writeln!(out, "  }}")?;
        for (d, ids) in &by_date {
            write!(out, "  {{ rank=same; {};", q(&format!("day:{d}")))?;
            for id in ids {
                write!(out, " {};", q(id))?;
            }
            writeln!(out, " }}")?;
        }
    }
    writeln!(out, "}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_everything_dot_cares_about() {
        let cases = [
            ("plain", "\"plain\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("a\\b", "\"a\\\\b\""),
            ("line\nbreak", "\"line\\nbreak\""),
            ("<b>&amp;", "\"<b>&amp;\""),
            ("\"]; x -> y [", "\"\\\"]; x -> y [\""),
            ("bell\u{7}", "\"bell \""),
        ];
        for (input, expected) in cases {
            assert_eq!(quote(input, 60), expected);
        }
        assert_eq!(quote("abcdef", 3), "\"abc\u{2026}\"");
    }
}
