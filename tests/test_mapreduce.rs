//! The map/reduce path without any cluster: a corpus split into parts (like `split -l` or GNU
//! parallel would), `tkg extract` run on each part separately (the map step), `tkg build` on
//! all the annotation files together (the reduce step), compared with `tkg build` on the
//! whole corpus. Nothing here needs Spark or GNU parallel installed.
mod common;
use common::{root, tkg, write};
use std::path::{Path, PathBuf};

/// A deterministic generated corpus of news-style JSON Lines documents, with ids and dates,
/// so that people, organizations, places, dates and events recur across documents.
fn generated_corpus() -> String {
    let people = [
        ("Maria", "Keller"),
        ("John", "Okafor"),
        ("Elena", "Rossi"),
        ("Ahmed", "Haddad"),
        ("Laura", "Chen"),
    ];
    let orgs = [
        "the International Maritime Union",
        "Northwind Energy",
        "the European Commission",
        "Baltic Rail Group",
    ];
    let places = ["Rotterdam", "Warsaw", "Lisbon", "Nairobi", "Toronto"];
    let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    let mut out = String::new();
    for k in 0..24usize {
        let (f1, l1) = people[k % people.len()];
        let (f2, l2) = people[(k * 3 + 1) % people.len()];
        let org = orgs[k % orgs.len()];
        let org2 = orgs[(k + 1) % orgs.len()];
        let place = places[(k * 7) % places.len()];
        let day = weekdays[k % weekdays.len()];
        let date = format!("2025-{:02}-{:02}", 3 + k % 4, 3 + k % 25);
        let text = format!(
            "{place} \u{2014} {f1} {l1}, the chief executive of {org}, met {f2} {l2} in {place} on {day}, \
             officials said.\n{l1} said {org} would sign an agreement with {org2} on March {d}, 2025. \
             The talks collapsed last week after {l2} rejected the proposal.\n\
             \u{201C}We will not accept this,\u{201D} {l2} told reporters on {day}. \
             Protesters gathered outside the ministry in {place} two days later.",
            d = 1 + k % 28,
        );
        let doc = serde_json::json!({
            "id": format!("gen-{k:02}"),
            "title": format!("{org} talks in {place}"),
            "date": date,
            "text": text,
        });
        out.push_str(&doc.to_string());
        out.push('\n');
    }
    out
}

/// The corpus: the example articles followed by the generated ones.
fn corpus(dir: &Path) -> (PathBuf, Vec<String>) {
    let mut text = std::fs::read_to_string(root().join("examples/articles/news.jsonl")).unwrap();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&generated_corpus());
    let lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    (write(dir, "corpus.jsonl", text.as_bytes()), lines)
}

/// Splits `lines` into `parts` files of consecutive lines; each line carries `tkg_origin`
/// (its file and line in the whole corpus), as scripts/spark_build.py does, so the graph can
/// name where each document was first read.
fn split(dir: &Path, corpus: &Path, lines: &[String], parts: usize) -> Vec<PathBuf> {
    let per = lines.len().div_ceil(parts);
    let mut files = Vec::new();
    for (p, chunk) in lines.chunks(per).enumerate() {
        let mut body = String::new();
        for (k, line) in chunk.iter().enumerate() {
            let number = p * per + k + 1;
            let mut doc: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).unwrap();
            doc.insert(
                "tkg_origin".into(),
                format!("{}:{number}", corpus.display()).into(),
            );
            body.push_str(&serde_json::Value::Object(doc).to_string());
            body.push('\n');
        }
        files.push(write(dir, &format!("part-{p:02}.jsonl"), body.as_bytes()));
    }
    files
}

#[test]
fn split_extract_then_build_equals_direct_build() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, lines) = corpus(dir.path());
    assert!(lines.len() >= 20);
    let direct = tkg()
        .args(["build", "-f", "json"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(direct.status.success(), "{direct:?}");
    for parts in [1, 2, 3, 7] {
        let sub = dir.path().join(format!("split-{parts}"));
        std::fs::create_dir(&sub).unwrap();
        let mut annotations = Vec::new();
        for (k, part) in split(&sub, &corpus, &lines, parts).iter().enumerate() {
            // The map step: each part alone, its own process.
            let ann = sub.join(format!("ann-{k:02}.jsonl"));
            tkg()
                .arg("extract")
                .arg(part)
                .arg("-o")
                .arg(&ann)
                .env("RAYON_NUM_THREADS", "1")
                .assert()
                .success();
            let n = std::fs::read_to_string(&ann).unwrap().lines().count();
            assert_eq!(n, std::fs::read_to_string(part).unwrap().lines().count());
            annotations.push(ann);
        }
        // The reduce step: every annotation file, in part order.
        let reduced = tkg()
            .args(["build", "-f", "json"])
            .args(&annotations)
            .output()
            .unwrap();
        assert!(reduced.status.success(), "{reduced:?}");
        assert!(
            direct.stdout == reduced.stdout,
            "{parts} parts: the reduced graph differs from the direct build"
        );
    }
}

#[test]
fn dot_export_of_the_reduce_step_matches_too() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, lines) = corpus(dir.path());
    let direct = tkg()
        .args(["build", "-f", "dot"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(direct.status.success());
    let parts = split(dir.path(), &corpus, &lines, 3);
    let mut annotations = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        let ann = dir.path().join(format!("ann-{k}.jsonl"));
        tkg()
            .arg("extract")
            .arg(part)
            .arg("-o")
            .arg(&ann)
            .assert()
            .success();
        annotations.push(ann);
    }
    let reduced = tkg()
        .args(["build", "-f", "dot"])
        .args(&annotations)
        .output()
        .unwrap();
    assert!(reduced.status.success());
    assert!(
        direct.stdout == reduced.stdout,
        "the DOT graph of the reduce step differs"
    );
}

#[test]
fn stdin_map_step_like_gnu_parallel_pipe() {
    // `parallel --pipe tkg extract -` hands each process a chunk of lines on stdin.
    let dir = tempfile::tempdir().unwrap();
    let (corpus, lines) = corpus(dir.path());
    let parts = split(dir.path(), &corpus, &lines, 4);
    let mut annotations = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        let out = tkg()
            .args(["extract", "-"])
            .write_stdin(std::fs::read(part).unwrap())
            .output()
            .unwrap();
        assert!(out.status.success());
        annotations.push(write(
            dir.path(),
            &format!("stdin-ann-{k}.jsonl"),
            &out.stdout,
        ));
    }
    let direct = tkg().arg("build").arg(&corpus).output().unwrap();
    let reduced = tkg().arg("build").args(&annotations).output().unwrap();
    assert!(direct.status.success() && reduced.status.success());
    // Each line carries `tkg_origin`, so even the documents' origins match.
    assert!(direct.stdout == reduced.stdout);
}
