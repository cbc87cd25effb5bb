//! CLI tests of textual event ordering: cue words become `before` edges titled with the
//! cue, undated events take their place in `tkg timeline`, contradictions between the text
//! and the dates are reported (stderr of `tkg build`, `tkg query GRAPH contradictions`),
//! and the extract -> build path carries the cues.
mod common;
use common::{tkg, write};

/// One article: the talks are undated but follow the dated ceasefire; the second
/// paragraph's text contradicts its own dates.
const ARTICLE: &str = concat!(
    r#"{"id":"a","date":"2025-03-12","text":"#,
    r#""Israel and Hamas agreed to a ceasefire on March 1, 2025. The talks between Israel and Hamas followed the ceasefire. "#,
    r#"On March 10, 2025, Egypt protested after Qatar left on March 11, 2025.""#,
    "}\n"
);

fn graph_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn cues_become_before_edges_and_contradictions_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "news.jsonl", ARTICLE.as_bytes());
    let graph = dir.path().join("g.json");
    let out = tkg()
        .arg("build")
        .arg(&input)
        .arg("-o")
        .arg(&graph)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("1 contradiction(s) in the event order"),
        "{stderr}"
    );
    let g = graph_json(&graph);
    let label = |id: &str| {
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .map(|n| n["trigger"].as_str().unwrap_or("").to_string())
            .unwrap()
    };
    let textual: Vec<(String, String, String)> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["relation"] == "before" && !e["evidence"].as_array().unwrap().is_empty())
        .map(|e| {
            (
                label(e["source"].as_str().unwrap()),
                label(e["target"].as_str().unwrap()),
                e["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for want in [
        ("ceasefire", "talks", "followed"),
        ("left", "protested", "after"),
    ] {
        let want = (want.0.to_string(), want.1.to_string(), want.2.to_string());
        assert!(textual.contains(&want), "{want:?} not in {textual:?}");
    }
    let out = tkg()
        .args(["query", graph.to_str().unwrap(), "contradictions", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["kind"], "dates");
    assert_eq!(list[0]["claims"][0]["cue"], "after");

    // The timeline places the undated talks right after the ceasefire and lists the
    // contradiction under the table.
    let out = tkg()
        .args(["timeline", graph.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let ceasefire = stdout.find("ceasefire").unwrap();
    let talks = stdout.find(" talks").unwrap();
    let summit = stdout.find("protested").unwrap();
    assert!(ceasefire < talks && talks < summit, "{stdout}");
    assert!(stdout.contains("after: "), "{stdout}");
    assert!(
        stdout.contains("contradictions in the event order: 1"),
        "{stdout}"
    );
}

#[test]
fn extract_then_build_keeps_the_cues() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "news.jsonl", ARTICLE.as_bytes());
    let annotations = dir.path().join("ann.jsonl");
    tkg()
        .arg("extract")
        .arg(&input)
        .arg("-o")
        .arg(&annotations)
        .assert()
        .success();
    let text = std::fs::read_to_string(&annotations).unwrap();
    assert!(text.contains("\"order\""), "{text}");
    let (direct, reduced) = (dir.path().join("a.json"), dir.path().join("b.json"));
    for (from, to) in [(&input, &direct), (&annotations, &reduced)] {
        tkg()
            .arg("build")
            .arg(from)
            .arg("-o")
            .arg(to)
            .assert()
            .success();
    }
    let (a, b) = (graph_json(&direct), graph_json(&reduced));
    assert_eq!(a["edges"], b["edges"]);
    assert_eq!(a["nodes"], b["nodes"]);
}
