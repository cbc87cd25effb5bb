//! CLI tests of `tkg timeline`: articles and graphs give the same timeline, the three
//! formats, filters, and bad inputs.
mod common;
use common::{tkg, write};
use predicates::prelude::*;
use std::path::Path;

/// Runs `tkg timeline args...`; returns (exit code, stdout, stderr).
fn timeline(args: &[&str]) -> (i32, String, String) {
    let out = tkg().arg("timeline").args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

fn build(inputs: &[&str], out: &Path) {
    tkg()
        .arg("build")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
}

/// Three short articles with explicit dates, so the timeline does not depend on relative
/// date resolution.
const ARTICLES: &str = concat!(
    r#"{"id":"a","date":"2025-03-12","text":"On March 3, 2025, Hamas rejected the ceasefire proposal. Israel attacked Gaza on March 5, 2025."}"#,
    "\n",
    r#"{"id":"b","date":"2025-03-12","text":"Egypt hosted talks in Cairo on March 10, 2025. The United Nations said aid would follow."}"#,
    "\n"
);

#[test]
fn articles_and_their_graph_give_the_same_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("g.json");
    build(&["examples/articles/"], &graph);
    for format in ["text", "json", "timelinejs"] {
        let (code, from_articles, stderr) = timeline(&["examples/articles/", "-f", format]);
        assert_eq!(code, 0, "{stderr}");
        let (code, from_graph, stderr) = timeline(&[graph.to_str().unwrap(), "-f", format]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(from_articles, from_graph, "{format}");
        assert!(!from_graph.is_empty());
    }
}

#[test]
fn rows_are_dated_and_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "news.jsonl", ARTICLES.as_bytes());
    let input = input.to_str().unwrap();
    let (code, stdout, stderr) = timeline(&[input, "-f", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let t: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let events = t["events"].as_array().unwrap();
    let starts: Vec<&str> = events
        .iter()
        .map(|e| e["date_start"].as_str().expect("only dated events"))
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    for e in events {
        assert_eq!(e["dated"], true);
        assert!(e["evidence"]["sentence"].is_string(), "{e}");
    }
    let (code, stdout, _) = timeline(&[input]);
    assert_eq!(code, 0);
    for line in stdout.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
        assert!(!line.contains('\x1b'));
    }
    if !events.is_empty() {
        assert!(stdout.starts_with("DATE"), "{stdout}");
        let first_row = stdout.lines().nth(1).unwrap();
        assert!(
            first_row.starts_with(starts[0].get(..4).unwrap()),
            "dates first: {first_row}"
        );
    }
}

#[test]
fn timelinejs_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "news.jsonl", ARTICLES.as_bytes());
    let out = dir.path().join("tl.json");
    tkg()
        .arg("timeline")
        .arg(&input)
        .args(["--format", "timelinejs", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    for e in doc["events"].as_array().unwrap() {
        let year = e["start_date"]["year"].as_str().unwrap();
        assert_eq!(year.len(), 4, "{e}");
        assert!(e["text"]["headline"].is_string(), "{e}");
        assert!(e["text"]["text"].is_string(), "{e}");
        assert!(e["group"].is_string(), "{e}");
    }
}

#[test]
fn filters_narrow_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "news.jsonl", ARTICLES.as_bytes());
    let input = input.to_str().unwrap();
    let count = |args: &[&str]| -> usize {
        let mut all = vec![input, "-f", "json"];
        all.extend(args);
        let (code, stdout, stderr) = timeline(&all);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        let t: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        t["events"].as_array().unwrap().len()
    };
    let all = count(&[]);
    assert_eq!(count(&["--from", "2030"]), 0);
    assert_eq!(count(&["--to", "2000-01"]), 0);
    assert!(count(&["--from", "2025-03-04"]) <= all);
    assert_eq!(count(&["--from", "2025", "--to", "2025"]), all);
    let (code, stdout, _) = timeline(&[input, "--from", "2030"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("no events match"), "{stdout}");
}

#[test]
fn bad_requests_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("g.json");
    build(&["examples/articles/"], &graph);
    let g = graph.to_str().unwrap();
    let truncated = std::fs::read_to_string(&graph).unwrap();
    let truncated = write(
        dir.path(),
        "truncated.json",
        &truncated.as_bytes()[..truncated.len() / 2],
    );
    for (args, message) in [
        (vec![g, "--entity", "No Such Name Anywhere"], "invalid name"),
        (vec![g, "--from", "yesterday"], "invalid date"),
        (vec![g, "-f", "svg"], "svg"),
        (vec![g, g], "one graph file"),
        (vec![g, "examples/articles/"], "one graph file"),
        (vec![truncated.to_str().unwrap()], "not a timeline-kg graph"),
    ] {
        let (code, stdout, stderr) = timeline(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty(), "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    tkg()
        .args(["timeline", "no-such-file.txt"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no-such-file.txt"));
}
