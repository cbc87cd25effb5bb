//! `tkg build --dict` and `tkg extract --dict`: user dictionaries (docs/dictionary.md).
mod common;
use common::{root, tkg, write};
use serde_json::Value;
use std::path::Path;

/// Three short articles: a company under three names, a false positive, two Smiths.
const DOCS: &str = concat!(
    r#"{"id": "a", "date": "2025-03-03", "text": "Acme said on Monday that prices would rise. President John Smith met reporters in Lisbon. Smith said the talks went well."}"#,
    "\n",
    r#"{"id": "b", "date": "2025-03-04", "text": "Officials at Acme Widgets Incorporated declined to comment on Tuesday. Leaders of eight Nordic countries met in Lisbon."}"#,
    "\n",
    r#"{"id": "c", "date": "2025-03-05", "text": "AWI shares fell on Wednesday, and zyxcorp said it would buy AWI. Smith later left for Florida."}"#,
    "\n",
);

const DICT: &str = r#"[
  {"name": "Acme Widgets Incorporated", "kind": "organization", "aliases": ["Acme", "AWI"], "id": "Q123456"},
  {"name": "zyxcorp", "kind": "organization"},
  {"name": "Nordic", "kind": "ignore"},
  {"name": "John Smith", "kind": "person", "distinct": ["Smith"]}
]
"#;

fn build(dir: &Path, extra: &[&str]) -> Value {
    let docs = write(dir, "docs.jsonl", DOCS.as_bytes());
    let out = dir.join("graph.json");
    let mut cmd = tkg();
    cmd.arg("build").arg(&docs).arg("-o").arg(&out).args(extra);
    cmd.assert().success();
    serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
}

fn entity<'g>(g: &'g Value, label: &str) -> Option<&'g Value> {
    g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] != "event" && n["label"] == label)
}

fn labels(g: &Value) -> Vec<String> {
    g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] != "event")
        .map(|n| n["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn names_are_recognized_and_aliases_join_across_documents() {
    let dir = tempfile::tempdir().unwrap();
    let dict = write(dir.path(), "dict.json", DICT.as_bytes());
    let g = build(dir.path(), &["--dict", dict.to_str().unwrap()]);
    let acme = entity(&g, "Acme Widgets Incorporated").expect("one Acme node");
    assert_eq!(acme["kind"], "organization");
    assert_eq!(acme["aliases"], serde_json::json!(["AWI", "Acme"]));
    assert_eq!(acme["mentions"].as_array().unwrap().len(), 4);
    assert_eq!(acme["external_id"], "Q123456");
    let docs: Vec<&str> = acme["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["doc"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["a", "b", "c", "c"]);
    // A lowercase name the defaults never find.
    assert_eq!(
        entity(&g, "zyxcorp").expect("zyxcorp recognized")["kind"],
        "organization"
    );
    let all = labels(&g);
    assert!(!all.iter().any(|l| l == "Acme" || l == "AWI"), "{all:?}");
}

#[test]
fn ignore_entries_remove_false_positives() {
    let dir = tempfile::tempdir().unwrap();
    let without = build(dir.path(), &[]);
    assert!(
        labels(&without).iter().any(|l| l == "Nordic"),
        "the defaults take \"Nordic\" for a name: {:?}",
        labels(&without)
    );
    let dict = write(dir.path(), "dict.json", DICT.as_bytes());
    let with = build(dir.path(), &["--dict", dict.to_str().unwrap()]);
    assert!(
        !labels(&with).iter().any(|l| l.contains("Nordic")),
        "{:?}",
        labels(&with)
    );
    // The example dictionary on the example articles: adjectives read as names go.
    let out = dir.path().join("examples.json");
    tkg()
        .args([
            "build",
            "examples/articles",
            "--dict",
            "examples/dictionary.json",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let g: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let all = labels(&g);
    for gone in ["Heavy", "Nordic", "Baltic"] {
        assert!(!all.iter().any(|l| l == gone), "{gone}: {all:?}");
    }
    assert!(all.iter().any(|l| l == "Baltic Sea"), "{all:?}");
    assert_eq!(entity(&g, "FNV Havens").unwrap()["kind"], "organization");
    assert_eq!(entity(&g, "Italy").unwrap()["external_id"], "Q38");
}

#[test]
fn a_dictionary_undoes_an_automatic_merge_and_explain_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let docs = write(dir.path(), "docs.jsonl", DOCS.as_bytes());
    let run = |dict: Option<&Path>| {
        let mut cmd = tkg();
        cmd.arg("build").arg(&docs).args(["-o", "-", "--explain"]);
        if let Some(d) = dict {
            cmd.arg("--dict").arg(d);
        }
        let out = cmd.assert().success().get_output().clone();
        let g: Value = serde_json::from_slice(&out.stdout).unwrap();
        (g, String::from_utf8(out.stderr).unwrap())
    };
    let (g, explain) = run(None);
    let john = entity(&g, "John Smith").unwrap();
    assert_eq!(john["aliases"], serde_json::json!(["Smith"]));
    let line =
        "explain: John Smith [person:john-smith]: a: \"Smith\" is the surname of \"John Smith\"";
    assert!(explain.lines().any(|l| l == line), "{explain}");
    assert!(
        john["merges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m.as_str().unwrap().contains("is the surname of")),
        "the JSON graph carries the merge log"
    );
    let dict = write(dir.path(), "dict.json", DICT.as_bytes());
    let (g, explain) = run(Some(&dict));
    let john = entity(&g, "John Smith").unwrap();
    assert_eq!(john["aliases"], serde_json::json!([]));
    assert_eq!(john["mentions"].as_array().unwrap().len(), 1);
    assert!(entity(&g, "Smith").is_some(), "{:?}", labels(&g));
    assert!(!explain.contains("surname of \"John Smith\""), "{explain}");
    assert!(
        explain.contains("dictionary: \"AWI\" is an alias of \"Acme Widgets Incorporated\""),
        "{explain}"
    );
}

#[test]
fn external_ids_reach_json_cypher_rdf_neo4j_graphml_and_dot() {
    let dir = tempfile::tempdir().unwrap();
    let dict = write(dir.path(), "dict.json", DICT.as_bytes());
    build(dir.path(), &["--dict", dict.to_str().unwrap()]);
    let graph = dir.path().join("graph.json");
    let export = |format: &str| -> String {
        let out = tkg()
            .arg("export")
            .arg(&graph)
            .args(["-f", format])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    assert!(export("json").contains("\"external_id\": \"Q123456\""));
    assert!(export("cypher").contains("external_id: \"Q123456\""));
    let nt = export("ntriples");
    assert!(
        nt.contains(
            "<urn:timeline-kg:node:organization:acme-widgets-incorporated> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q123456> ."
        ),
        "{nt}"
    );
    assert!(export("turtle").contains("<http://www.wikidata.org/entity/Q123456>"));
    assert!(export("graphml").contains("<data key=\"n_external_id\">Q123456</data>"));
    assert!(export("gexf").contains("value=\"Q123456\""));
    let dot = export("dot");
    assert!(
        dot.contains("tooltip=\"Q123456\", URL=\"http://www.wikidata.org/entity/Q123456\""),
        "{dot}"
    );
    let folder = dir.path().join("neo4j");
    tkg()
        .arg("export")
        .arg(&graph)
        .args(["-f", "neo4j", "-o"])
        .arg(&folder)
        .assert()
        .success();
    let orgs = std::fs::read_to_string(folder.join("nodes_organization.csv")).unwrap();
    let header = orgs.lines().next().unwrap();
    assert!(header.ends_with(",merges:string[],external_id"), "{header}");
    let acme = orgs
        .lines()
        .find(|l| l.contains("acme-widgets-incorporated"))
        .unwrap();
    assert!(acme.ends_with(",\"Q123456\""), "{acme}");
}

#[test]
fn extract_then_build_equals_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let dict = write(dir.path(), "dict.json", DICT.as_bytes());
    let docs = write(dir.path(), "docs.jsonl", DOCS.as_bytes());
    let one = dir.path().join("one.json");
    tkg()
        .arg("build")
        .arg(&docs)
        .arg("--dict")
        .arg(&dict)
        .arg("-o")
        .arg(&one)
        .assert()
        .success();
    let ann = dir.path().join("ann.jsonl");
    tkg()
        .arg("extract")
        .arg(&docs)
        .arg("--dict")
        .arg(&dict)
        .arg("-o")
        .arg(&ann)
        .assert()
        .success();
    let lines = std::fs::read_to_string(&ann).unwrap();
    assert!(lines.contains("\"canonical\":\"Acme Widgets Incorporated\""));
    assert!(!lines.contains("\"text\":\"Nordic\",\"name_start\""));
    let two = dir.path().join("two.json");
    tkg()
        .arg("build")
        .arg(&ann)
        .arg("--dict")
        .arg(&dict)
        .arg("-o")
        .arg(&two)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&one).unwrap() == std::fs::read_to_string(&two).unwrap(),
        "extract --dict then build --dict differs from build --dict"
    );
    // The same dictionary as CSV gives the same graph.
    let csv = write(
        dir.path(),
        "dict.csv",
        b"name,kind,aliases,id,distinct\n\
          Acme Widgets Incorporated,organization,Acme;AWI,Q123456,\n\
          zyxcorp,organization,,,\n\
          Nordic,ignore,,,\n\
          John Smith,person,,,Smith\n",
    );
    let three = dir.path().join("three.json");
    tkg()
        .arg("build")
        .arg(&docs)
        .arg("--dict")
        .arg(&csv)
        .arg("-o")
        .arg(&three)
        .assert()
        .success();
    // The same graph, but for where the merge log says the aliases come from.
    let three = std::fs::read_to_string(&three).unwrap();
    assert!(three.contains("dict.csv:2)"));
    assert!(
        std::fs::read_to_string(&one).unwrap() == three.replace("dict.csv:2)", "dict.json:2)"),
        "the CSV dictionary gives another graph"
    );
}

#[test]
fn bad_dictionaries_fail_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let docs = write(dir.path(), "docs.jsonl", DOCS.as_bytes());
    for (name, body, wanted) in [
        (
            "bad.json",
            "[\n  {\"name\": \"A\", \"kind\": \"person\"},\n  {\"name\": \"B\", \"kind\": \"planet\"}\n]\n",
            "bad.json:3: unknown kind \"planet\"",
        ),
        (
            "bad.csv",
            "name,kind,id\nA,person,Q1\nB,person,Q01\n",
            "bad.csv:3: external id \"Q01\"",
        ),
        (
            "bad.jsonl",
            "{\"name\": \"A\", \"kind\": \"person\"}\n{\"name\": \"B\", \"kind\": \"person\", \"aliases\": \"B2\"}\n",
            "bad.jsonl:2: invalid type",
        ),
    ] {
        let path = write(dir.path(), name, body.as_bytes());
        for command in ["build", "extract"] {
            let out = tkg()
                .arg(command)
                .arg(&docs)
                .arg("--dict")
                .arg(&path)
                .args(["-o", "-"])
                .assert()
                .code(2)
                .get_output()
                .clone();
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert!(stderr.contains(wanted), "{command} {name}: {stderr}");
            assert!(out.stdout.is_empty(), "{command} {name} wrote output");
        }
    }
    let missing = root().join("no/such/dict.json");
    tkg()
        .arg("build")
        .arg(&docs)
        .arg("--dict")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no/such/dict.json"));
}

#[test]
fn external_ids_survive_growing_a_graph() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("graph.json");
    tkg()
        .args([
            "build",
            "examples/articles",
            "--dict",
            "examples/dictionary.json",
            "-o",
        ])
        .arg(&graph)
        .assert()
        .success();
    let docs = write(dir.path(), "docs.jsonl", DOCS.as_bytes());
    tkg()
        .arg("build")
        .arg(&docs)
        .arg("--into")
        .arg(&graph)
        .assert()
        .success();
    let g: Value = serde_json::from_str(&std::fs::read_to_string(&graph).unwrap()).unwrap();
    assert_eq!(entity(&g, "Italy").unwrap()["external_id"], "Q38");
    assert!(entity(&g, "Lisbon").is_some(), "the new documents are in");
}
