//! Tests of the export formats and `tkg export`: every format is deterministic and
//! survives hostile names; RDF parses back; `tkg export` refuses broken graphs clearly.
//! The real consumers (FalkorDB, Kùzu, Oxigraph, networkx) run in `.ci/consumers.sh`.
mod common;
use common::{tkg, write};
use predicates::prelude::*;
use timeline_kg::events::EventType;
use timeline_kg::export::{self, Format, FORMATS};
use timeline_kg::graph::{Edge, EventAttrs, KnowledgeGraph, Node, NodeKind, Relation};
use timeline_kg::resolve::{DocumentInfo, Evidence};

const NASTY: [&str; 10] = [
    "O'Brien \"The Boss\" \\ backslash",
    "line\nbreak\r\nCRLF\rCR\ttab",
    "<script>alert('x')</script> &amp;",
    "\"]; x -> y [label=\"pwn",
    "', '",
    "\"}) MATCH (n) DETACH DELETE n //",
    "} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } # <a> . _:b0",
    "C:\\users\\u0041 `tick` $param",
    "bell\u{7} unit\u{1f} nul\u{0} del\u{7f}",
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd} e\u{301} \u{1f600} \u{2028}",
];

fn ev(doc: &str, start: usize, sentence: &str) -> Evidence {
    Evidence {
        doc: doc.into(),
        start,
        end: start + 3,
        sentence: sentence.into(),
    }
}

/// A graph whose every string attacks some format, with a 100 kB label, parallel edges
/// and events dated by a day, a month and nothing.
fn hostile() -> KnowledgeGraph {
    let doc = "doc \"1\"\n<x>;'";
    let mut nodes = Vec::new();
    let kinds = [NodeKind::Person, NodeKind::Organization, NodeKind::Location];
    for (i, name) in NASTY.iter().enumerate() {
        nodes.push(Node {
            id: format!("{}:{i}:{name}", kinds[i % 3].as_str()),
            kind: kinds[i % 3],
            label: name.to_string(),
            aliases: vec![NASTY[(i + 1) % NASTY.len()].to_string(), "a;b,c".into()],
            mentions: vec![ev(doc, i, NASTY[(i + 2) % NASTY.len()])],
            event: None,
            merges: vec![format!("merged {}", NASTY[4])],
            external_id: None,
        });
    }
    nodes.push(Node {
        id: "person:big".into(),
        kind: NodeKind::Person,
        label: "\"big\" \\ <label>, 'x'; ".repeat(4200),
        aliases: Vec::new(),
        mentions: Vec::new(),
        event: None,
        merges: Vec::new(),
        external_id: None,
    });
    let dates = [
        (Some("2025-03-05"), Some(("2025-03-05", "2025-03-06"))),
        (Some("2025-03"), Some(("2025-03-01", "2025-04-01"))),
        (None, None),
    ];
    for (i, (timex, interval)) in dates.iter().enumerate() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        nodes.push(Node {
            id: format!("event:{doc}:{i}"),
            kind: NodeKind::Event,
            label: NASTY[i].into(),
            aliases: Vec::new(),
            mentions: vec![ev(doc, 100 + i, NASTY[i + 3])],
            event: Some(EventAttrs {
                trigger: NASTY[i].into(),
                lemma: NASTY[i + 1].into(),
                event_type: EventType::Statement,
                date: timex.map(String::from),
                date_text: Some(NASTY[i + 2].into()),
                date_start: interval.map(|x| d(x.0)),
                date_end: interval.map(|x| d(x.1)),
            }),
            merges: Vec::new(),
            external_id: None,
        });
    }
    let id = |i: usize| nodes[i].id.clone();
    let e0 = format!("event:{doc}:0");
    let e1 = format!("event:{doc}:1");
    let edge = |relation, title: Option<&str>| Edge {
        relation,
        title: title.map(String::from),
        evidence: vec![ev(doc, 7, NASTY[5])],
    };
    let edges = vec![
        (id(0), e0.clone(), edge(Relation::Agent, None)),
        ("person:big".into(), e0.clone(), edge(Relation::Agent, None)),
        (e0.clone(), id(1), edge(Relation::Patient, None)),
        (e1.clone(), id(2), edge(Relation::LocatedIn, None)),
        (e1.clone(), id(3), edge(Relation::Participant, None)),
        (id(0), id(1), edge(Relation::Role, Some(NASTY[3]))),
        (id(0), id(1), edge(Relation::Role, Some(NASTY[6]))),
        (e0.clone(), e1.clone(), edge(Relation::Before, None)),
    ];
    // Through serde, so the test holds whatever fields DocumentInfo grows.
    let documents: Vec<DocumentInfo> = serde_json::from_value(serde_json::json!([{
        "id": doc,
        "title": NASTY[2],
        "date": null,
        "origin": NASTY[7],
        "content_hash": "00000000000000ff",
    }]))
    .unwrap();
    KnowledgeGraph::from_parts(documents, nodes, edges).unwrap()
}

fn bytes(g: &KnowledgeGraph, f: Format) -> Vec<u8> {
    let mut out = Vec::new();
    export::write(g, f, &mut out).unwrap();
    out
}

#[test]
fn every_format_is_deterministic_on_hostile_names() {
    let g = hostile();
    for (name, f) in FORMATS {
        if f.is_folder() {
            let a = export::neo4j::files(&g);
            let b = export::neo4j::files(&hostile());
            assert_eq!(a, b, "{name}");
            continue;
        }
        let a = bytes(&g, f);
        assert!(!a.is_empty(), "{name}");
        assert_eq!(a, bytes(&hostile(), f), "{name} differs between runs");
    }
}

#[test]
fn no_stream_format_leaks_a_nul_or_unescaped_control_character() {
    let g = hostile();
    for f in [
        Format::Cypher,
        Format::NTriples,
        Format::Turtle,
        Format::GraphMl,
        Format::Gexf,
    ] {
        let text = String::from_utf8(bytes(&g, f)).unwrap();
        let bad = text
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'));
        assert_eq!(bad, None, "{f:?}");
    }
}

#[test]
fn rdf_parses_back_with_the_same_triples() {
    let g = hostile();
    let nt = bytes(&g, Format::NTriples);
    let ttl = bytes(&g, Format::Turtle);
    let from_nt: Vec<_> = oxttl::NTriplesParser::new()
        .for_slice(&nt)
        .collect::<Result<_, _>>()
        .unwrap();
    let from_ttl: Vec<_> = oxttl::TurtleParser::new()
        .for_slice(&ttl)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(from_nt.len(), from_ttl.len());
    let names: Vec<String> = from_nt
        .iter()
        .filter(|t| t.predicate.as_str() == "https://schema.org/name")
        .map(|t| match &t.object {
            oxrdf::Term::Literal(l) => l.value().to_string(),
            other => panic!("name is not a literal: {other}"),
        })
        .collect();
    for n in g.nodes() {
        assert!(names.contains(&n.label), "name {:?} lost", n.id);
    }
}

#[test]
fn cypher_statements_end_only_at_semicolon_lines() {
    let text = String::from_utf8(bytes(&hostile(), Format::Cypher)).unwrap();
    let ends = text.lines().filter(|l| l.ends_with(';')).count();
    let starts = text.lines().filter(|l| *l == "UNWIND [").count();
    assert_eq!(ends, starts);
    // One statement for documents, one per node kind present, one per edge group.
    assert_eq!(starts, 1 + 4 + 6);
}

#[test]
fn neo4j_rows_have_as_many_fields_as_their_header() {
    for (name, content) in export::neo4j::files(&hostile()) {
        if !name.ends_with(".csv") {
            continue;
        }
        let text = String::from_utf8(content).unwrap();
        let header_fields = text.lines().next().unwrap().split(',').count();
        // Count fields outside quotes, record by record.
        let (mut fields, mut quoted, mut records) = (1, false, Vec::new());
        for c in text.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => fields += 1,
                '\n' if !quoted => {
                    records.push(fields);
                    fields = 1;
                }
                _ => {}
            }
        }
        assert!(!quoted, "{name}: unbalanced quotes");
        assert!(
            records.iter().all(|&n| n == header_fields),
            "{name}: {records:?} vs {header_fields}"
        );
    }
}

#[test]
fn tkg_export_writes_every_format_and_json_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.json");
    let mut buf = Vec::new();
    export::json::write(&hostile(), &mut buf).unwrap();
    std::fs::write(&g, &buf).unwrap();
    for (name, f) in FORMATS {
        let out = dir.path().join(format!("out.{name}"));
        tkg()
            .arg("export")
            .arg(&g)
            .args(["-f", name, "-o"])
            .arg(&out)
            .assert()
            .success();
        if f.is_folder() {
            assert!(out.join("import.sh").is_file());
            assert!(out.join("nodes_event.csv").is_file());
        } else {
            assert_eq!(std::fs::read(&out).unwrap(), bytes(&hostile(), f), "{name}");
        }
    }
    assert_eq!(std::fs::read(dir.path().join("out.json")).unwrap(), buf);
}

#[test]
fn tkg_export_refuses_broken_graphs_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut good = Vec::new();
    export::json::write(&hostile(), &mut good).unwrap();
    let cases: [(&str, &[u8], &str); 5] = [
        ("truncated.json", &good[..good.len() / 2], "not a timeline-kg graph"),
        ("foreign.json", b"{\"nodes\": [], \"links\": []}", "not a timeline-kg graph"),
        ("binary.json", b"\x00\xff\xfe garbage", "not a timeline-kg graph"),
        ("empty.json", b"", "not a timeline-kg graph"),
        (
            "dangling.json",
            br#"{"schema":"timeline-kg/graph","version":1,"directed":true,"multigraph":true,"graph":{"documents":[]},"nodes":[],"edges":[{"source":"a","target":"b","key":0,"relation":"agent","evidence":[]}]}"#,
            "unknown node",
        ),
    ];
    for (name, content, message) in cases {
        let p = write(dir.path(), name, content);
        let out = dir.path().join(format!("{name}.ttl"));
        tkg()
            .arg("export")
            .arg(&p)
            .args(["-f", "turtle", "-o"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(name).and(predicate::str::contains(message)));
        assert!(!out.exists(), "{name}: no output is left behind");
    }
    tkg()
        .args(["export", "missing.json", "-f", "cypher"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.json"));
}

#[test]
fn tkg_export_explains_bad_format_and_folder_use() {
    let dir = tempfile::tempdir().unwrap();
    let mut good = Vec::new();
    export::json::write(&hostile(), &mut good).unwrap();
    let g = write(dir.path(), "g.json", &good);
    tkg()
        .arg("export")
        .arg(&g)
        .args(["-f", "xml"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cypher").and(predicate::str::contains("gexf")));
    tkg()
        .arg("export")
        .arg(&g)
        .args(["-f", "neo4j"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("folder"));
}

#[test]
fn tkg_export_push_explains_bad_urls_and_dead_servers() {
    let dir = tempfile::tempdir().unwrap();
    let mut good = Vec::new();
    export::json::write(&hostile(), &mut good).unwrap();
    let g = write(dir.path(), "g.json", &good);
    for (url, message) in [
        ("http://127.0.0.1/g", "must start with redis://"),
        ("redis://127.0.0.1:6379", "graph name is missing"),
        ("redis://127.0.0.1:99999/g", "port is not a number"),
    ] {
        tkg()
            .arg("export")
            .arg(&g)
            .args(["--falkordb", url])
            .assert()
            .failure()
            .stderr(predicate::str::contains(message));
    }
    // Port 1 on the loopback: nothing listens there, so the push fails fast and says where.
    tkg()
        .arg("export")
        .arg(&g)
        .args(["--falkordb", "redis://127.0.0.1:1/g", "--timeout", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("127.0.0.1:1"));
}

#[test]
fn tkg_build_and_tkg_export_write_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("g.json");
    tkg()
        .args(["build", "examples/articles/", "-o"])
        .arg(&json)
        .assert()
        .success();
    for (name, f) in FORMATS {
        if f.is_folder() {
            continue;
        }
        let built = tkg()
            .args(["build", "examples/articles/", "-f", name])
            .output()
            .unwrap();
        assert!(built.status.success(), "{name}");
        let exported = tkg()
            .arg("export")
            .arg(&json)
            .args(["-f", name])
            .output()
            .unwrap();
        assert!(exported.status.success(), "{name}");
        assert!(!built.stdout.is_empty(), "{name}");
        assert_eq!(built.stdout, exported.stdout, "{name}");
    }
}

/// Control characters the Cypher, CSV and XML exports write as spaces.
fn cleaned(s: &str) -> String {
    s.chars()
        .map(|c| {
            let bad = (c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0xA0)
                || matches!(c, '\u{FFFE}' | '\u{FFFF}');
            if bad {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn unescape_cypher(lit: &str) -> String {
    let inner = &lit[1..lit.len() - 1];
    let (mut out, mut chars) = (String::new(), inner.chars());
    while let Some(c) = chars.next() {
        if c == '"' {
            panic!("unescaped quote in {lit:?}");
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(c @ ('"' | '\\')) => out.push(c),
            other => panic!("bad escape {other:?} in {lit:?}"),
        }
    }
    out
}

fn unquote_csv(field: &str) -> String {
    let inner = &field[1..field.len() - 1];
    assert!(!inner.replace("\"\"", "").contains('"'), "{field:?}");
    inner.replace("\"\"", "\"")
}

fn unescape_xml(s: &str) -> String {
    assert!(
        !s.contains('<') && !s.contains('>') && !s.contains('"'),
        "{s:?}"
    );
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#9;", "\t")
        .replace("&#10;", "\n")
        .replace("&#13;", "\r")
        .replace("&amp;", "&")
}

/// Bounded random round trips: 2,000 strings drawn from an alphabet of every character the
/// formats treat specially, escaped by each exporter and read back.
#[test]
fn random_strings_round_trip_through_every_escaper() {
    let alphabet: Vec<char> = "aZ09 \"'\\\n\r\t<>&;,:{}[]()`$#?@_.%/|^-\u{0}\u{7}\u{1b}\u{1f}\u{7f}\u{85}\u{a0}\u{e9}\u{301}\u{5d0}\u{2028}\u{fffe}\u{1f600}"
        .chars()
        .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..2000 {
        let len = (next() % 40) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let want = cleaned(&s);
        assert_eq!(unescape_cypher(&export::cypher::string(&s)), want);
        assert_eq!(unquote_csv(&export::neo4j::field(&s)), want);
        assert_eq!(unescape_xml(&export::graphml::escape(&s)), want);
        let mut nt = Vec::new();
        let mut ser = oxttl::NTriplesSerializer::new().for_writer(&mut nt);
        ser.serialize_triple(&oxrdf::Triple::new(
            oxrdf::NamedNode::new(export::rdf::node_iri(&s)).unwrap(),
            oxrdf::NamedNode::new("https://schema.org/name").unwrap(),
            oxrdf::Literal::from(s.as_str()),
        ))
        .unwrap();
        ser.finish();
        let back: Vec<_> = oxttl::NTriplesParser::new()
            .for_slice(&nt)
            .collect::<Result<_, _>>()
            .unwrap();
        match &back[0].object {
            oxrdf::Term::Literal(l) => assert_eq!(l.value(), s),
            other => panic!("{other}"),
        }
    }
}

#[test]
fn neo4j_folder_export_replaces_only_its_own_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut good = Vec::new();
    export::json::write(&hostile(), &mut good).unwrap();
    let g = write(dir.path(), "g.json", &good);
    let out = dir.path().join("neo");
    std::fs::create_dir(&out).unwrap();
    write(&out, "rels_gone_person_event.csv", b"stale");
    write(&out, "notes.txt", b"mine");
    tkg()
        .arg("export")
        .arg(&g)
        .args(["-f", "neo4j", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("rels_gone_person_event.csv").exists());
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = export::neo4j::files(&hostile())
        .into_iter()
        .map(|(n, _)| n)
        .chain(["notes.txt".to_string()])
        .collect();
    want.sort();
    assert_eq!(names, want);
    // A file where the folder should be is refused with its name.
    let file = write(dir.path(), "plain-file", b"x");
    tkg()
        .arg("export")
        .arg(&g)
        .args(["-f", "neo4j", "-o"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("plain-file"));
}
