//! Hostile input: every file is processed or refused with its name, offsets stay exact,
//! nothing panics.
mod common;
use common::{tkg, write};
use predicates::prelude::*;

/// Runs `tkg extract` on `path` and checks every mention's offsets against the text.
fn extract_and_check_offsets(path: &std::path::Path) -> serde_json::Value {
    let out = tkg()
        .arg("extract")
        .arg(path)
        .args(["--date", "2025-03-05"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chars: Vec<char> = line["text"].as_str().unwrap().chars().collect();
    for layer in ["entities", "timexes", "events", "participants"] {
        for m in line[layer].as_array().unwrap() {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert!(s <= e && e <= chars.len(), "{layer} offsets out of range");
            let slice: String = chars[s..e].iter().collect();
            assert_eq!(
                slice,
                m["text"].as_str().unwrap(),
                "{layer} offsets in {}",
                path.display()
            );
        }
    }
    line
}

#[test]
fn odd_but_valid_texts_are_processed_with_exact_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8])] = &[
        ("empty.txt", b""),
        ("punct.txt", b"!!! ... ??? --- ,,, ;;; \"\" ''"),
        ("crlf.txt", b"President Joe Biden met Hamas leaders on Monday.\r\nThe talks ended on Tuesday.\r\n"),
        ("cr.txt", b"Israel approved the plan on Sunday.\rHamas rejected it on Monday.\r"),
        ("bom.txt", "\u{FEFF}Hamas rejected the proposal on Monday.".as_bytes()),
        (
            "rtl.txt",
            "\u{5D9}\u{5E9}\u{5E8}\u{5D0}\u{5DC} Israel \u{627}\u{644}\u{642}\u{62F}\u{633} said on Monday \u{202E}reversed\u{202C} that e\u{301}e\u{301} talks \u{1F600}\u{1F1EE}\u{1F1F1} began in Gaza.".as_bytes(),
        ),
        ("combining.txt", "Zo\u{eb} Cafe\u{301} of Me\u{301}xico City met Jose\u{301} Marti\u{301}nez on 5 March 2025.".as_bytes()),
    ];
    for (name, bytes) in cases {
        let p = write(dir.path(), name, bytes);
        let line = extract_and_check_offsets(&p);
        if *name == "bom.txt" {
            assert!(!line["text"].as_str().unwrap().starts_with('\u{FEFF}'));
        }
    }
}

#[test]
fn a_long_sentence_is_processed() {
    // One 1 MB "sentence" without a full stop: must stay linear (no quadratic scans).
    let dir = tempfile::tempdir().unwrap();
    let unit = "Israel and Hamas negotiators met in Cairo on Monday while officials in Washington watched ";
    let text = unit.repeat(1_000_000 / unit.len());
    let p = write(dir.path(), "long.txt", text.as_bytes());
    let out = tkg().arg("extract").arg(&p).output().unwrap();
    assert!(out.status.success());
}

#[test]
fn huge_files_and_lines_are_refused_by_name_without_reading_them_whole() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..100 {
            f.write_all(&chunk).unwrap();
        }
    }
    tkg().arg("extract").arg(&big).assert().code(1).stderr(
        predicate::str::contains("big.txt").and(predicate::str::contains("exceeds the limit")),
    );
    let line = format!(
        "{{\"id\":\"x\",\"text\":\"{}\"}}\n{{\"id\":\"y\",\"text\":\"Fine.\"}}\n",
        "a".repeat(3 << 20)
    );
    let p = write(dir.path(), "big.jsonl", line.as_bytes());
    let out = tkg()
        .arg("extract")
        .arg(&p)
        .args(["--max-doc-bytes", "1000000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("big.jsonl:1"));
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        ids,
        ["y"],
        "the line after the oversized one still goes through"
    );
}

#[test]
fn jsonl_problems_name_file_and_line_and_spare_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "docs.jsonl",
        b"{\"id\":\"a\",\"text\":\"Hamas rejected the plan.\",\"date\":\"2025-03-05\"}\n\
{\"id\":\"b\"}\n\
{\"id\":\"c\",\"text\":\"Talks.\",\"date\":20250305}\n\
{\"id\":\"d\",\"text\":\"Talks.\",\"date\":\"2025-02-30\"}\n\
{\"id\":\"a\",\"text\":\"Another text, same id.\"}\n\
not json at all\n\
{\"id\":\"e\",\"text\":\"Israel approved the plan.\",\"date\":\"2025-03-05\"}\n",
    );
    let out = tkg().arg("build").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "docs.jsonl:2: missing \"text\"",
        "docs.jsonl:3: \"date\" must be a string",
        "docs.jsonl:4:",
        "2025-02-30",
        "docs.jsonl:6: malformed JSON",
        "\"a\" is already in the graph",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = g["graph"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "e"]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn the_whole_pipeline_never_panics_and_keeps_offsets_exact(text in "\\PC{0,200}|[A-Z][a-z]+ [A-Z][a-z]+ (said|met|rejected) [A-Z][a-z]+ on (Monday|March 5|last week)[.!?\\n\\r\"]{0,3}") {
        let doc = timeline_kg::input::Document {
            id: "p".into(),
            title: None,
            date: timeline_kg::input::parse_date("2025-03-05").ok(),
            text: text.clone(),
            origin: "proptest".into(),
            annotations: None,
        };
        let a = timeline_kg::annotate::annotate(doc);
        let mut last = 0;
        for t in &a.tokens {
            proptest::prop_assert!(t.span.start >= last && t.span.start < t.span.end && t.span.end <= text.len());
            proptest::prop_assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            last = t.span.end;
        }
        for m in &a.entities.mentions {
            proptest::prop_assert!(text.get(m.span.start..m.span.end).is_some());
        }
        for t in &a.timexes {
            proptest::prop_assert!(text.get(t.span.start..t.span.end).is_some());
            if let Some(i) = t.interval {
                proptest::prop_assert!(i.start < i.end);
            }
        }
        let mut out = Vec::new();
        timeline_kg::annotations::write_line(&a, &mut out).unwrap();
        let back = timeline_kg::annotations::read_line(
            std::str::from_utf8(&out).unwrap(),
            &timeline_kg::error::Location { path: "p".into(), line: Some(1) },
        ).unwrap();
        proptest::prop_assert_eq!(back.entities, a.entities);
        proptest::prop_assert_eq!(back.timexes, a.timexes);
    }
}

#[test]
fn killing_a_growing_build_leaves_the_old_graph_intact() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("g.json");
    tkg()
        .args(["build", "examples/articles/", "-o"])
        .arg(&graph)
        .assert()
        .success();
    let before = std::fs::read(&graph).unwrap();
    // Enough text that the update is still running when it is killed.
    let article =
        std::fs::read_to_string(common::root().join("examples/articles/news.jsonl")).unwrap();
    let mut corpus = String::new();
    for k in 0..3000 {
        for (n, line) in article.lines().enumerate() {
            let mut doc: serde_json::Value = serde_json::from_str(line).unwrap();
            doc["id"] = format!("copy-{k}-{n}").into();
            doc["text"] = format!("{} (copy {k})", doc["text"].as_str().unwrap()).into();
            corpus.push_str(&doc.to_string());
            corpus.push('\n');
        }
    }
    let big = write(dir.path(), "big.jsonl", corpus.as_bytes());
    for delay_ms in [50, 400, 1500] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tkg"))
            .arg("build")
            .arg(&big)
            .arg("--into")
            .arg(&graph)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            !finished,
            "the update finished before it could be killed; use a bigger corpus"
        );
        assert_eq!(
            std::fs::read(&graph).unwrap(),
            before,
            "killed after {delay_ms} ms"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// A damaged graph file (bytes cut, flipped or inserted anywhere) is read or refused
    /// with an error: never a panic.
    #[test]
    fn damaged_graph_files_are_refused_not_fatal(cut in 0usize..4000, flip in 0usize..4000, byte in proptest::prelude::any::<u8>()) {
        static GRAPH: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        let graph = GRAPH.get_or_init(|| {
            let out = tkg().args(["build", "examples/articles/"]).output().unwrap();
            out.stdout
        });
        let mut bytes = graph.clone();
        let flip = flip % bytes.len();
        bytes[flip] = byte;
        bytes.truncate(bytes.len() - cut % bytes.len());
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.json");
        std::fs::write(&p, &bytes).unwrap();
        let result = std::panic::catch_unwind(|| timeline_kg::export::json::read(&p).map(|g| g.node_count()));
        proptest::prop_assert!(result.is_ok(), "json::read panicked");
    }
}
