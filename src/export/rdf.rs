//! RDF (N-Triples and Turtle, serialized by `oxttl`) with schema.org terms where they
//! exist and our own vocabulary (`tkg:`, [`VOCAB`]) for the rest.
//!
//! - Nodes are `<urn:timeline-kg:node:ID>` (the id percent-encoded) typed `schema:Person`,
//!   `schema:Organization`, `schema:Place` or `schema:Event`, with `schema:identifier`
//!   (our stable id), `schema:name`, `schema:alternateName`; events add `tkg:trigger`,
//!   `tkg:lemma`, `tkg:eventType`, `tkg:timex` (the TIMEX3 value), `tkg:dateText`,
//!   `schema:startDate` and `schema:endDate` (`xsd:date`, last day inclusive).
//! - An external id from a user dictionary is `tkg:externalId` (a literal) and, for a
//!   Wikidata QID or an `http(s)` IRI, `owl:sameAs <http://www.wikidata.org/entity/Q22686>`
//!   (or the IRI).
//! - Edges: `event schema:agent entity`, `event tkg:patient entity`,
//!   `event schema:participant entity`, `event schema:location place`,
//!   `person tkg:role organization`, `event tkg:before event`.
//! - Provenance: every edge is also reified (`rdf:Statement` with `rdf:subject`,
//!   `rdf:predicate`, `rdf:object`, `tkg:key`, `tkg:title`) and points with `tkg:evidence`
//!   to mention nodes (`tkg:Mention` with `tkg:document`, `tkg:start`, `tkg:end` in code
//!   points, `tkg:sentence`); nodes point to their mentions with `tkg:mention`. Documents
//!   are `schema:NewsArticle` with `schema:headline` and `schema:datePublished`.
//! - Blank nodes are numbered in graph order, so the output is deterministic.

use crate::graph::{KnowledgeGraph, Node, NodeKind, Relation};
use crate::resolve::Evidence;
use oxrdf::vocab::{rdf, xsd};
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::io::Write;

/// schema.org's namespace.
pub const SCHEMA: &str = "https://schema.org/";
/// Our vocabulary's namespace.
pub const VOCAB: &str = "urn:timeline-kg:vocab#";
/// Prefix of node IRIs (followed by the percent-encoded node id).
pub const NODE_BASE: &str = "urn:timeline-kg:node:";
/// Prefix of document IRIs (followed by the percent-encoded document id).
pub const DOC_BASE: &str = "urn:timeline-kg:doc:";

/// Which RDF syntax to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// One triple per line.
    NTriples,
    /// Turtle with prefixes.
    Turtle,
}

/// Percent-encodes everything but ASCII letters, digits and `-._~:` (UTF-8 bytes), so any
/// id makes a valid IRI.
pub fn encode(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn iri(s: String) -> std::io::Result<NamedNode> {
    NamedNode::new(s).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

fn schema(term: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SCHEMA}{term}"))
}

/// `owl:sameAs`, linking a node to the external id a user dictionary gives it.
fn owl_same_as() -> NamedNode {
    NamedNode::new_unchecked("http://www.w3.org/2002/07/owl#sameAs")
}

fn tkg(term: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{VOCAB}{term}"))
}

/// The IRI of a node.
pub fn node_iri(id: &str) -> String {
    format!("{NODE_BASE}{}", encode(id))
}

/// The IRI of a document.
pub fn doc_iri(id: &str) -> String {
    format!("{DOC_BASE}{}", encode(id))
}

fn class(kind: NodeKind) -> NamedNode {
    schema(match kind {
        NodeKind::Person => "Person",
        NodeKind::Organization => "Organization",
        NodeKind::Location => "Place",
        NodeKind::Event => "Event",
    })
}

/// The predicate of a relation, and whether the triple runs against the edge (agent
/// edges go entity -> event; `schema:agent` goes event -> entity).
fn predicate(relation: Relation) -> (NamedNode, bool) {
    match relation {
        Relation::Agent => (schema("agent"), true),
        Relation::Patient => (tkg("patient"), false),
        Relation::Participant => (schema("participant"), false),
        Relation::LocatedIn => (schema("location"), false),
        Relation::Role => (tkg("role"), false),
        Relation::Before => (tkg("before"), false),
    }
}

fn int(n: usize) -> Literal {
    Literal::from(n as u64)
}

fn date(d: chrono::NaiveDate) -> Literal {
    Literal::new_typed_literal(d.to_string(), xsd::DATE)
}

/// Collects triples in order.
struct Triples {
    out: Vec<Triple>,
    blank: usize,
}

impl Triples {
    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNode, o: impl Into<Term>) {
        self.out.push(Triple::new(s, p, o));
    }

    fn fresh(&mut self, prefix: &str) -> BlankNode {
        self.blank += 1;
        BlankNode::new_unchecked(format!("{prefix}{}", self.blank))
    }

    fn mention(&mut self, e: &Evidence) -> std::io::Result<BlankNode> {
        let m = self.fresh("m");
        self.add(m.clone(), rdf::TYPE.into_owned(), tkg("Mention"));
        self.add(m.clone(), tkg("document"), iri(doc_iri(&e.doc))?);
        self.add(m.clone(), tkg("start"), int(e.start));
        self.add(m.clone(), tkg("end"), int(e.end));
        self.add(m.clone(), tkg("sentence"), Literal::from(&*e.sentence));
        Ok(m)
    }

    fn node(&mut self, n: &Node) -> std::io::Result<()> {
        let s = iri(node_iri(&n.id))?;
        self.add(s.clone(), rdf::TYPE.into_owned(), class(n.kind));
        self.add(
            s.clone(),
            schema("identifier"),
            Literal::from(n.id.as_str()),
        );
        self.add(s.clone(), schema("name"), Literal::from(n.label.as_str()));
        for a in &n.aliases {
            self.add(
                s.clone(),
                schema("alternateName"),
                Literal::from(a.as_str()),
            );
        }
        if let Some(e) = &n.event {
            self.add(s.clone(), tkg("trigger"), Literal::from(e.trigger.as_str()));
            self.add(s.clone(), tkg("lemma"), Literal::from(e.lemma.as_str()));
            self.add(
                s.clone(),
                tkg("eventType"),
                Literal::from(e.event_type.as_str()),
            );
            if let Some(t) = &e.date {
                self.add(s.clone(), tkg("timex"), Literal::from(t.as_str()));
            }
            if let Some(t) = &e.date_text {
                self.add(s.clone(), tkg("dateText"), Literal::from(t.as_str()));
            }
            if let Some(start) = e.date_start {
                self.add(s.clone(), schema("startDate"), date(start));
                if let Some(end) = e.date_end {
                    self.add(
                        s.clone(),
                        schema("endDate"),
                        date(super::last_day(start, end)),
                    );
                }
            }
        }
        for m in &n.merges {
            self.add(s.clone(), tkg("merge"), Literal::from(m.as_str()));
        }
        if let Some(id) = &n.external_id {
            self.add(s.clone(), tkg("externalId"), Literal::from(id.as_str()));
            // A QID or an http(s) IRI names the same thing elsewhere; a damaged id in a
            // hand-edited graph is kept as the literal only.
            let same = crate::dict::external_iri(id)
                .filter(|_| crate::dict::check_external_id(id).is_ok())
                .and_then(|i| NamedNode::new(i).ok());
            if let Some(other) = same {
                self.add(s.clone(), owl_same_as(), other);
            }
        }
        for e in &n.mentions {
            let m = self.mention(e)?;
            self.add(s.clone(), tkg("mention"), m);
        }
        Ok(())
    }
}

/// Builds the triples of the graph, in a deterministic order.
pub fn triples(graph: &KnowledgeGraph) -> std::io::Result<Vec<Triple>> {
    let mut t = Triples {
        out: Vec::new(),
        blank: 0,
    };
    for d in &graph.documents {
        let s = iri(doc_iri(&d.id))?;
        t.add(s.clone(), rdf::TYPE.into_owned(), schema("NewsArticle"));
        t.add(
            s.clone(),
            schema("identifier"),
            Literal::from(d.id.as_str()),
        );
        if let Some(title) = &d.title {
            t.add(s.clone(), schema("headline"), Literal::from(title.as_str()));
        }
        if let Some(date_) = d.date {
            t.add(s.clone(), schema("datePublished"), date(date_));
        }
        t.add(s, tkg("origin"), Literal::from(d.origin.as_str()));
    }
    for n in graph.nodes() {
        t.node(n)?;
    }
    for ((src, dst, e), key) in graph.edges().zip(super::edge_keys(graph)) {
        let (p, reverse) = predicate(e.relation);
        let (a, b) = if reverse { (dst, src) } else { (src, dst) };
        let (a, b) = (iri(node_iri(&a.id))?, iri(node_iri(&b.id))?);
        t.add(a.clone(), p.clone(), b.clone());
        let st = t.fresh("s");
        t.add(
            st.clone(),
            rdf::TYPE.into_owned(),
            rdf::STATEMENT.into_owned(),
        );
        t.add(st.clone(), rdf::SUBJECT.into_owned(), a);
        t.add(st.clone(), rdf::PREDICATE.into_owned(), p);
        t.add(st.clone(), rdf::OBJECT.into_owned(), b);
        t.add(st.clone(), tkg("key"), int(key));
        if let Some(title) = &e.title {
            t.add(st.clone(), tkg("title"), Literal::from(title.as_str()));
        }
        for ev in &e.evidence {
            let m = t.mention(ev)?;
            t.add(st.clone(), tkg("evidence"), m);
        }
    }
    Ok(t.out)
}

/// Writes the graph as RDF in `syntax`.
pub fn write(graph: &KnowledgeGraph, syntax: Syntax, out: &mut dyn Write) -> std::io::Result<()> {
    let triples = triples(graph)?;
    match syntax {
        Syntax::NTriples => {
            let mut ser = oxttl::NTriplesSerializer::new().for_writer(&mut *out);
            for t in &triples {
                ser.serialize_triple(t)?;
            }
            ser.finish();
        }
        Syntax::Turtle => {
            let bad = |e: oxrdf::IriParseError| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
            };
            let mut ser = oxttl::TurtleSerializer::new()
                .with_prefix("schema", SCHEMA)
                .map_err(bad)?
                .with_prefix("tkg", VOCAB)
                .map_err(bad)?
                .with_prefix("node", NODE_BASE)
                .map_err(bad)?
                .with_prefix("doc", DOC_BASE)
                .map_err(bad)?
                .with_prefix("xsd", "http://www.w3.org/2001/XMLSchema#")
                .map_err(bad)?
                .for_writer(&mut *out);
            for t in &triples {
                ser.serialize_triple(t)?;
            }
            ser.finish()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_make_valid_iris() {
        for (id, expected) in [
            ("person:donald-trump", "person:donald-trump"),
            ("event:doc 1:12", "event:doc%201:12"),
            ("a<b>\"c\"{d}|^`\\", "a%3Cb%3E%22c%22%7Bd%7D%7C%5E%60%5C"),
            ("caf\u{e9}", "caf%C3%A9"),
            ("100%", "100%25"),
            ("line\nbreak", "line%0Abreak"),
        ] {
            assert_eq!(encode(id), expected);
            assert!(NamedNode::new(node_iri(id)).is_ok(), "{id:?}");
        }
    }

    #[test]
    fn literals_are_escaped_by_the_serializer() {
        let cases = [
            ("say \"hi\"", r#""say \"hi\"""#),
            ("back\\slash", r#""back\\slash""#),
            ("line\nbreak", r#""line\nbreak""#),
            ("bell\u{7}", r#""bell\u0007""#),
            ("<a> . _:x", r#""<a> . _:x""#),
        ];
        for (input, expected) in cases {
            let mut out = Vec::new();
            let mut ser = oxttl::NTriplesSerializer::new().for_writer(&mut out);
            ser.serialize_triple(&Triple::new(tkg("x"), schema("name"), Literal::from(input)))
                .unwrap();
            ser.finish();
            let line = String::from_utf8(out).unwrap();
            assert!(line.contains(expected), "{line} lacks {expected}");
        }
    }
}
