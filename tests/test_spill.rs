//! The memory-bounded build (`tkg build --low-memory`, `timeline_kg::spill`) writes the
//! same JSON bytes as the in-memory build, and leaves no temporary file behind.
mod common;
use common::{tkg, write};
use std::path::{Path, PathBuf};
use timeline_kg::input::InputConfig;

/// A corpus that exercises every part of the reduce: ids out of lexical order, one name
/// in full and alone across documents (a corpus-wide merge, whose mentions get sorted),
/// acronyms, one dated event repeated across documents (merged, with mentions from later
/// documents), roles repeated across documents, textual order cues, dated chains, and a
/// document repeated under another id.
fn corpus(dir: &Path, docs: usize) -> PathBuf {
    let texts = [
        "President Donald Trump met Prime Minister Benjamin Netanyahu in Washington on March 3, 2025. \
         Hamas rejected the proposal on March 3, 2025, spokesman Hazem Qassem said. \
         White House press secretary Karoline Leavitt declined to comment.",
        "Trump later left for Florida on March 4, 2025. Mr. Netanyahu told reporters the talks began \
         after the ceasefire collapsed. \
         Hamas rejected the proposal on March 3, 2025. The National Security Council (NSC) met on Monday; \
         the NSC issued a statement on Tuesday.",
        "White House press secretary Karoline Leavitt said Trump would travel to Cairo on March 5, 2025. \
         Egypt hosted the negotiators on March 6, 2025, and the talks were followed by a vote on March 8, 2025. \
         Netanyahu spoke with Trump before the vote.",
        "Hamas rejected the proposal on March 3, 2025, the group's spokesman, Hazem Qassem, told reporters. \
         Israel will respond on Wednesday. Qassem said the group had met mediators in Doha after the strikes.",
    ];
    let path = dir.join("corpus.jsonl");
    let mut lines = String::new();
    for k in 0..docs {
        let id = format!("{}-{k}", ["zulu", "alpha", "mike", "bravo"][k % 4]);
        let text = format!("{} Report {k}.", texts[k % texts.len()]);
        let line =
            serde_json::json!({"id": id, "date": format!("2025-03-0{}", 1 + k % 3), "text": text});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    // The same text under another id: skipped by both builds.
    let again = serde_json::json!({"id": "again", "text": format!("{} Report 0.", texts[0]), "date": "2025-03-01"});
    lines.push_str(&again.to_string());
    lines.push('\n');
    std::fs::write(&path, lines).unwrap();
    path
}

/// The in-memory build's JSON and the spilled build's, with `threads` rayon threads.
fn both(path: &Path, threads: usize) -> (Vec<u8>, Vec<u8>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let inputs = [path.to_path_buf()];
        let report = timeline_kg::corpus::build(&inputs, &InputConfig::default(), false).unwrap();
        let mut memory = Vec::new();
        timeline_kg::export::json::write(&report.graph, &mut memory).unwrap();
        let spilled = timeline_kg::spill::build(&inputs, &InputConfig::default(), false).unwrap();
        assert_eq!(spilled.duplicates.len(), report.duplicates.len());
        assert_eq!(spilled.documents().unwrap(), report.graph.documents);
        assert_eq!(spilled.document_count(), report.graph.documents.len());
        let mut low = Vec::new();
        let contradictions = spilled.write_json(&mut low).unwrap();
        assert_eq!(contradictions, report.graph.contradictions().len());
        (memory, low)
    })
}

#[test]
fn spilled_json_is_byte_identical_on_a_corpus_with_every_kind_of_join() {
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 48);
    let (memory, low) = both(&path, 1);
    // The corpus does exercise what it claims to.
    let graph: serde_json::Value = serde_json::from_slice(&memory).unwrap();
    let nodes = graph["nodes"].as_array().unwrap();
    let edges = graph["edges"].as_array().unwrap();
    let docs_of = |n: &serde_json::Value| {
        let mut d: Vec<&str> = n["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["doc"].as_str().unwrap())
            .collect();
        d.dedup();
        d.len()
    };
    let merged = |n: &&serde_json::Value| {
        n["merges"]
            .as_array()
            .is_some_and(|m| m.iter().any(|l| l.as_str().unwrap().starts_with("corpus:")))
    };
    assert!(nodes.iter().any(|n| merged(&n)), "a corpus-wide merge");
    assert!(
        nodes.iter().any(|n| n["kind"] == "event" && docs_of(n) > 1),
        "an event mentioned in several documents"
    );
    let evidence = |e: &serde_json::Value| e["evidence"].as_array().unwrap().len();
    assert!(
        edges
            .iter()
            .any(|e| e["relation"] == "role" && evidence(e) > 1),
        "a role stated in several documents"
    );
    assert!(
        edges
            .iter()
            .any(|e| e["relation"] == "before" && evidence(e) > 0),
        "a textual before edge"
    );
    assert!(
        edges
            .iter()
            .any(|e| e["relation"] == "before" && evidence(e) == 0),
        "a before edge from dates"
    );
    assert!(memory == low, "the spilled JSON differs");
}

#[test]
fn spilled_json_is_the_same_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    // More than one batch of documents.
    let path = corpus(dir.path(), 300);
    let (memory, low) = both(&path, 2);
    assert!(memory == low, "the spilled JSON differs with 2 threads");
    let (_, one) = both(&path, 1);
    assert!(one == low, "1 and 2 threads differ");
}

#[test]
fn empty_and_unreadable_inputs_give_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.jsonl", &b""[..]),
        (
            "bad.jsonl",
            &b"{not json\n{\"id\": \"a\", \"text\": \"\"}\n"[..],
        ),
    ] {
        let path = write(dir.path(), name, bytes);
        let (memory, low) = both(&path, 1);
        assert!(memory == low, "{name}");
    }
}

/// Runs `tkg build` on the examples with TMPDIR set to a fresh folder; returns the output
/// bytes (or None when it failed) and whether that folder is empty afterwards.
fn run_cli(args: &[&str], output: &Path) -> (Option<Vec<u8>>, bool) {
    let tmp = tempfile::tempdir().unwrap();
    let status = tkg()
        .env("TMPDIR", tmp.path())
        .arg("build")
        .args(args)
        .arg("-o")
        .arg(output)
        .output()
        .unwrap()
        .status;
    let left = std::fs::read_dir(tmp.path()).unwrap().count();
    let bytes = status.success().then(|| std::fs::read(output).unwrap());
    (bytes, left == 0)
}

#[test]
fn the_cli_flag_writes_the_same_file_and_removes_its_temporary_files() {
    let out = tempfile::tempdir().unwrap();
    let (memory, _) = run_cli(&["examples/articles"], &out.path().join("a.json"));
    let (low, clean) = run_cli(
        &["--low-memory", "examples/articles"],
        &out.path().join("b.json"),
    );
    assert!(memory.is_some() && memory == low);
    assert!(clean, "temporary files left behind");
    // Failing to write the output removes them too.
    let (failed, clean) = run_cli(
        &["--low-memory", "examples/articles"],
        &out.path().join("missing/folder/c.json"),
    );
    assert!(failed.is_none());
    assert!(clean, "temporary files left behind after an error");
}
