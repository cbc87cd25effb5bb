//! CLI tests of `tkg extract` and of building a graph from its output.
mod common;
use common::{tkg, write};

#[test]
fn extract_keeps_ids_and_texts_and_uses_code_point_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{201C}Caf\u{e9}\u{201D} \u{2014} Israeli Prime Minister Benjamin Netanyahu met Hamas on Monday.";
    let doc = serde_json::json!({"id": "d1", "text": text, "dct": "2025-03-05", "extra": 1});
    let p = write(dir.path(), "d.jsonl", format!("{doc}\n").as_bytes());
    let out = tkg().arg("extract").arg(&p).output().unwrap();
    assert!(out.status.success());
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["id"], "d1");
    assert_eq!(line["text"], text);
    let chars: Vec<char> = text.chars().collect();
    for layer in ["entities", "timexes", "events", "participants"] {
        for m in line[layer].as_array().unwrap() {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            let slice: String = chars[s..e].iter().collect();
            assert_eq!(slice, m["text"].as_str().unwrap(), "{layer} offsets");
        }
    }
}

#[test]
fn building_from_annotations_equals_building_from_articles() {
    // The map/reduce path: extract (map) then build from the annotation lines (reduce).
    let dir = tempfile::tempdir().unwrap();
    let ann = dir.path().join("ann.jsonl");
    tkg()
        .args(["extract", "examples/articles/", "-o"])
        .arg(&ann)
        .assert()
        .success();
    let direct = tkg()
        .args(["build", "examples/articles/"])
        .output()
        .unwrap();
    let reduced = tkg().arg("build").arg(&ann).output().unwrap();
    assert!(direct.status.success() && reduced.status.success());
    // Annotation lines carry each document's origin, so the graphs are byte-identical.
    assert_eq!(direct.stdout, reduced.stdout);
}
