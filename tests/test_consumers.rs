//! Real consumers load our exports: networkx reads the JSON graph with the same counts.
mod common;
use common::{consumer_python, root, tkg};

#[test]
fn networkx_loads_the_json_graph_with_matching_counts() {
    let Some(python) = consumer_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.json");
    tkg()
        .args([
            "build",
            "examples/articles/",
            "../shared/corpus/hamas-talks.txt",
            "--date",
            "2025-03-05",
            "-o",
        ])
        .arg(&path)
        .assert()
        .success();
    let g: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let nodes = g["nodes"].as_array().unwrap().len();
    let edges = g["edges"].as_array().unwrap().len();
    assert!(
        nodes > 0 && edges > 0,
        "the example graph should not be empty"
    );
    let out = std::process::Command::new(python)
        .arg(root().join("tests/consumers/check_networkx.py"))
        .arg(&path)
        .arg(nodes.to_string())
        .arg(edges.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "networkx failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
