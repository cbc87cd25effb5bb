//! CLI tests of `tkg query`: every question on the graph built from `examples/articles/`
//! (asserting only what holds whatever the extractor finds) and on a small hand-built
//! graph (asserting exact answers), plus damaged graph files.
mod common;
use common::{tkg, write};
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use timeline_kg::events::EventType;
use timeline_kg::graph::{Edge, EventAttrs, KnowledgeGraph, Node, NodeKind, Relation};
use timeline_kg::resolve::{DocumentInfo, Evidence};

/// Builds the example graph with `tkg build` into `dir`.
fn example_graph(dir: &Path) -> PathBuf {
    let out = dir.join("examples.json");
    tkg()
        .args(["build", "examples/articles/", "-o"])
        .arg(&out)
        .assert()
        .success();
    out
}

/// A hand-built graph: Ann Lee (chief of Acme) met Bob Stone on 2025-03-03; Acme sued Bob
/// in Paris on 2025-03-10; Bob said something on an unknown day; Carol is alone.
fn fixture(dir: &Path) -> PathBuf {
    let ev = |doc: &str, start: usize, sentence: &str| Evidence {
        doc: doc.into(),
        start,
        end: start + 3,
        sentence: sentence.into(),
    };
    let entity = |id: &str, kind, label: &str, aliases: &[&str]| Node {
        id: id.into(),
        kind,
        label: label.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        mentions: vec![ev("d1", 0, "Ann met Bob.")],
        event: None,
        merges: vec![],
        external_id: None,
    };
    let event = |id: &str, trigger: &str, event_type, day: Option<u32>, e: Evidence| Node {
        id: id.into(),
        kind: NodeKind::Event,
        label: trigger.into(),
        aliases: vec![],
        mentions: vec![e],
        event: Some(EventAttrs {
            trigger: trigger.into(),
            lemma: trigger.into(),
            event_type,
            date: day.map(|d| format!("2025-03-{d:02}")),
            date_text: day.map(|_| "Monday".into()),
            date_start: day.and_then(|d| chrono::NaiveDate::from_ymd_opt(2025, 3, d)),
            date_end: day.and_then(|d| chrono::NaiveDate::from_ymd_opt(2025, 3, d + 1)),
        }),
        merges: vec![],
        external_id: None,
    };
    let long = "Acme sued Bob Stone in a Paris court on Monday, a case that lawyers on both sides said could take years to resolve and cost millions.";
    let nodes = vec![
        entity("person:ann", NodeKind::Person, "Ann Lee", &["Lee"]),
        entity("person:bob", NodeKind::Person, "Bob Stone", &["Stone"]),
        entity("person:carol", NodeKind::Person, "Carol", &[]),
        entity(
            "organization:acme",
            NodeKind::Organization,
            "Acme",
            &["Acme Corp"],
        ),
        entity("location:paris", NodeKind::Location, "Paris", &[]),
        event(
            "event:d1:4",
            "met",
            EventType::Consult,
            Some(3),
            ev("d1", 4, "Ann met Bob."),
        ),
        event(
            "event:d2:5",
            "sued",
            EventType::Legal,
            Some(10),
            ev("d2", 5, long),
        ),
        event(
            "event:d2:30",
            "said",
            EventType::Statement,
            None,
            ev("d2", 30, "Bob said nothing."),
        ),
    ];
    let edge = |s: &str, t: &str, relation, sentence: &str| {
        (
            s.to_string(),
            t.to_string(),
            Edge {
                relation,
                title: (relation == Relation::Role).then(|| "chief".to_string()),
                evidence: vec![ev("d1", 0, sentence)],
            },
        )
    };
    let edges = vec![
        edge(
            "person:ann",
            "organization:acme",
            Relation::Role,
            "Acme chief Ann Lee.",
        ),
        edge("person:ann", "event:d1:4", Relation::Agent, "Ann met Bob."),
        edge(
            "event:d1:4",
            "person:bob",
            Relation::Patient,
            "Ann met Bob.",
        ),
        edge("organization:acme", "event:d2:5", Relation::Agent, long),
        edge("event:d2:5", "person:bob", Relation::Patient, long),
        edge("event:d2:5", "location:paris", Relation::LocatedIn, long),
        edge(
            "person:bob",
            "event:d2:30",
            Relation::Agent,
            "Bob said nothing.",
        ),
    ];
    let docs = ["d1", "d2"]
        .iter()
        .map(|d| DocumentInfo {
            id: d.to_string(),
            title: None,
            date: chrono::NaiveDate::from_ymd_opt(2025, 3, 12),
            origin: "test".into(),
            content_hash: format!("hash-{d}"),
        })
        .collect();
    let g = KnowledgeGraph::from_parts(docs, nodes, edges).unwrap();
    let path = dir.join("fixture.json");
    let mut file = std::fs::File::create(&path).unwrap();
    timeline_kg::export::json::write(&g, &mut file).unwrap();
    path
}

/// Runs `tkg query GRAPH args...`; returns (exit code, stdout, stderr).
fn query(graph: &Path, args: &[&str]) -> (i32, String, String) {
    let out = tkg().arg("query").arg(graph).args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

fn json(graph: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, stdout, stderr) = query(graph, &all);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn assert_fits(text: &str, width: usize) {
    for line in text.lines() {
        assert!(line.chars().count() <= width, "line over {width}: {line:?}");
        assert!(
            !line.contains('\x1b'),
            "colour when not on a terminal: {line:?}"
        );
    }
}

#[test]
fn every_question_answers_on_the_example_graph() {
    let dir = tempfile::tempdir().unwrap();
    let graph = example_graph(dir.path());
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&graph).unwrap()).unwrap();
    let stats = json(&graph, &["stats"]);
    assert_eq!(stats["documents"], 4);
    assert_eq!(stats["nodes"], raw["nodes"].as_array().unwrap().len());
    assert_eq!(stats["edges"], raw["edges"].as_array().unwrap().len());
    let by_kind: u64 = stats["nodes_by_kind"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_kind, stats["nodes"].as_u64().unwrap());
    for args in [
        &["stats"][..],
        &["central"],
        &["timeline"],
        &["events"],
        &["events", "--type", "statement"],
        &["timeline", "--from", "2025-04", "--to", "2025-06-30"],
    ] {
        let (code, stdout, stderr) = query(&graph, args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(!stdout.is_empty(), "{args:?}");
        assert_fits(&stdout, 80);
        json(&graph, args);
    }
    let timeline = json(&graph, &["timeline"]);
    let events = timeline["events"].as_array().unwrap();
    let dated: Vec<&str> = events
        .iter()
        .filter(|e| e["dated"] == true)
        .map(|e| e["date_start"].as_str().unwrap())
        .collect();
    assert!(dated.windows(2).all(|w| w[0] <= w[1]), "{dated:?}");
    let first_undated = events.iter().position(|e| e["dated"] == false);
    if let Some(i) = first_undated {
        assert!(events[i..].iter().all(|e| e["dated"] == false));
    }
    // Names picked from the graph itself, whatever the extractor found.
    let actors: Vec<&serde_json::Value> = raw["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] != "event")
        .take(5)
        .collect();
    for n in &actors {
        let id = n["id"].as_str().unwrap();
        let got = json(&graph, &["neighbors", id]);
        assert_eq!(got["node"]["id"], id);
        let (code, stdout, _) = query(&graph, &["neighbors", id]);
        assert_eq!(code, 0);
        assert_fits(&stdout, 80);
        json(&graph, &["timeline", id]);
        json(&graph, &["events", "--actor", id]);
        if let Some(other) = actors.last() {
            let p = json(&graph, &["path", id, other["id"].as_str().unwrap()]);
            assert_eq!(p["from"]["id"], id);
        }
    }
}

#[test]
fn unknown_names_fail_with_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    for graph in [example_graph(dir.path()), fixture(dir.path())] {
        for args in [
            &["neighbors", "No Such Name Anywhere"][..],
            &["path", "No Such Name Anywhere", "Nobody Else"],
            &["timeline", "No Such Name Anywhere"],
            &["events", "--actor", "No Such Name Anywhere"],
        ] {
            let (code, stdout, stderr) = query(&graph, args);
            assert_eq!(code, 2, "{args:?}");
            assert!(stdout.is_empty());
            assert!(
                stderr.contains("invalid name \"No Such Name Anywhere\"")
                    || stderr.contains("Nobody Else"),
                "{stderr}"
            );
        }
    }
    let graph = fixture(dir.path());
    let (code, _, stderr) = query(&graph, &["neighbors", "Acmee"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("closest: Acme (organization:acme)"),
        "{stderr}"
    );
    let (_, _, stderr) = query(&graph, &["neighbors", "bob"]);
    assert!(stderr.contains("Bob Stone (person:bob)"), "{stderr}");
}

#[test]
fn neighbors_match_names_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let graph = fixture(dir.path());
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["neighbors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["node"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    for (args, expected) in [
        (
            &["neighbors", "ACME CORP"][..],
            &["event:d2:5", "person:ann"][..],
        ),
        (
            &["neighbors", "lee", "--relation", "role"],
            &["organization:acme"],
        ),
        (
            &[
                "neighbors",
                "Bob Stone",
                "--kind",
                "event",
                "--relation",
                "patient",
            ],
            &["event:d1:4", "event:d2:5"],
        ),
        (&["neighbors", "person:bob", "--kind", "location"], &[]),
        (&["neighbors", "Carol"], &[]),
    ] {
        assert_eq!(ids(&json(&graph, args)), expected, "{args:?}");
    }
    let (code, stdout, _) = query(&graph, &["neighbors", "Acme"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("<-role \"chief\"-") && stdout.contains("Ann Lee"),
        "{stdout}"
    );
    assert!(
        stdout.contains('\u{2026}'),
        "long evidence is shortened: {stdout}"
    );
    assert_fits(&stdout, 80);
    let (code, stdout, _) = query(&graph, &["neighbors", "Carol"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("no neighbors"), "{stdout}");
    let (code, _, stderr) = query(&graph, &["neighbors", "Acme", "--relation", "friend"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("located_in"),
        "valid choices are listed: {stderr}"
    );
}

#[test]
fn paths_are_shortest_and_limited() {
    let dir = tempfile::tempdir().unwrap();
    let graph = fixture(dir.path());
    let p = json(&graph, &["path", "Ann Lee", "Paris"]);
    let hops = p["hops"].as_array().unwrap();
    let route: Vec<&str> = hops
        .iter()
        .map(|h| h["to"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(route, ["organization:acme", "event:d2:5", "location:paris"]);
    assert_eq!(hops[0]["relation"], "role");
    assert_eq!(hops[0]["evidence"]["sentence"], "Acme chief Ann Lee.");
    let none = json(&graph, &["path", "Ann Lee", "Paris", "--max-hops", "2"]);
    assert!(none["hops"].is_null());
    let (code, stdout, _) = query(&graph, &["path", "Ann Lee", "Carol"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "no connection between Ann Lee (person:ann) and Carol (person:carol) within 6 hop(s)"
        ),
        "{stdout}"
    );
    let (_, stdout, _) = query(&graph, &["path", "Bob Stone", "lee"]);
    assert!(
        stdout.contains("2 hop(s)") && stdout.contains("<-agent-"),
        "{stdout}"
    );
    assert_fits(&stdout, 80);
}

#[test]
fn timelines_and_events_are_in_date_order() {
    let dir = tempfile::tempdir().unwrap();
    let graph = fixture(dir.path());
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect()
    };
    for (args, expected) in [
        (
            &["timeline"][..],
            &["event:d1:4", "event:d2:5", "event:d2:30"][..],
        ),
        (&["timeline", "paris"], &["event:d2:5"]),
        (&["timeline", "--from", "2025-03-04"], &["event:d2:5"]),
        (&["timeline", "--to", "2025-03-09"], &["event:d1:4"]),
        (
            &["timeline", "--from", "2025-03", "--to", "2025-03"],
            &["event:d1:4", "event:d2:5"],
        ),
        (&["timeline", "--from", "2026"], &[]),
        (&["timeline", "Carol"], &[]),
        (&["events", "--type", "legal"], &["event:d2:5"]),
        (
            &["events", "--actor", "Bob Stone"],
            &["event:d1:4", "event:d2:5", "event:d2:30"],
        ),
        (&["events", "--actor", "acme", "--type", "consult"], &[]),
    ] {
        assert_eq!(ids(&json(&graph, args)), expected, "{args:?}");
    }
    let e = json(&graph, &["events", "--type", "legal"]);
    let row = &e["events"][0];
    assert_eq!(row["agents"][0]["label"], "Acme");
    assert_eq!(row["patients"][0]["label"], "Bob Stone");
    assert_eq!(row["locations"][0]["label"], "Paris");
    let (code, stdout, _) = query(&graph, &["timeline"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("DATE"), "{stdout}");
    assert!(
        lines[1].starts_with("2025-03-03") && lines[2].starts_with("2025-03-10"),
        "{stdout}"
    );
    assert!(lines[3].starts_with("undated"), "{stdout}");
    assert_fits(&stdout, 80);
    let (code, stdout, _) = query(&graph, &["timeline", "Carol"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("no events involving Carol"), "{stdout}");
    for bad in [
        &["timeline", "--from", "March"][..],
        &["timeline", "--from", "2025-03-10", "--to", "2025-03-01"],
        &["events", "--type", "party"],
    ] {
        let (code, _, stderr) = query(&graph, bad);
        assert_eq!(code, 2, "{bad:?}");
        assert!(stderr.contains("invalid"), "{stderr}");
    }
}

#[test]
fn central_actors_rank_by_pagerank() {
    let dir = tempfile::tempdir().unwrap();
    let graph = fixture(dir.path());
    let c = json(&graph, &["central", "--top", "2"]);
    let c = c.as_array().unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0]["node"]["id"], "person:bob");
    assert_eq!(
        (
            c[0]["rank"].as_u64(),
            c[0]["degree"].as_u64(),
            c[0]["events"].as_u64()
        ),
        (Some(1), Some(3), Some(3))
    );
    assert!(c[0]["pagerank"].as_f64() >= c[1]["pagerank"].as_f64());
    let (code, stdout, _) = query(&graph, &["central"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("RANK"), "{stdout}");
    assert_eq!(
        stdout.lines().count(),
        6,
        "header and five actors: {stdout}"
    );
    let (_, stdout, _) = query(&graph, &["central", "--top", "0"]);
    assert!(stdout.contains("no actors"), "{stdout}");
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let graph = fixture(dir.path());
    for args in [
        &["central"][..],
        &["timeline"],
        &["neighbors", "Bob Stone", "--json"],
        &["stats"],
    ] {
        assert_eq!(query(&graph, args).1, query(&graph, args).1, "{args:?}");
    }
}

#[test]
fn damaged_or_foreign_graphs_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture(dir.path())).unwrap();
    let truncated = &good.as_bytes()[..good.len() / 2];
    let dangling = good.replacen(
        "\"target\": \"person:bob\"",
        "\"target\": \"person:nobody\"",
        1,
    );
    assert_ne!(dangling, good);
    let foreign_schema = good.replacen("timeline-kg/graph", "other/graph", 1);
    let future = good.replacen("\"version\": 1", "\"version\": 99", 1);
    for (name, bytes, message) in [
        ("truncated.json", truncated, "not a timeline-kg graph"),
        ("foreign.json", &b"{\"a\":1}"[..], "not a timeline-kg graph"),
        ("array.json", b"[1, 2, 3]", "not a timeline-kg graph"),
        ("empty.json", b"", "not a timeline-kg graph"),
        ("binary.json", b"\x00\xff\xfe", "not a timeline-kg graph"),
        ("dangling.json", dangling.as_bytes(), "person:nobody"),
        ("schema.json", foreign_schema.as_bytes(), "other/graph"),
        ("version.json", future.as_bytes(), "version 99"),
    ] {
        let path = write(dir.path(), name, bytes);
        for question in [&["stats"][..], &["central"], &["neighbors", "Acme"]] {
            let (code, stdout, stderr) = query(&path, question);
            assert_eq!(code, 2, "{name} {question:?}");
            assert!(stdout.is_empty(), "{name}");
            assert!(
                stderr.contains(name) && stderr.contains(message),
                "{name}: {stderr}"
            );
        }
    }
    tkg()
        .args(["query", "no-such-graph.json", "stats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-graph.json"));
}
