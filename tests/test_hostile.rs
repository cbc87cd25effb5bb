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
    // The issue's 10 MB "sentence" without a full stop: must stay linear (no quadratic scans),
    // with every offset right.
    let dir = tempfile::tempdir().unwrap();
    let unit = "Israel and Hamas negotiators met in Cairo on Monday while officials in Washington watched ";
    let text = unit.repeat(10_000_000 / unit.len());
    let p = write(dir.path(), "long.txt", text.as_bytes());
    let line = extract_and_check_offsets(&p);
    assert!(!line["timexes"].as_array().unwrap().is_empty());
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
        "docs.jsonl:5: document \"a\" is already in the graph",
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

#[test]
fn a_repeated_id_alone_is_named_and_fails_but_regrowing_a_graph_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "dup.jsonl",
        b"{\"id\":\"a\",\"text\":\"Hamas met Israel.\"}\n{\"id\":\"a\",\"text\":\"Another text.\"}\n",
    );
    let out = tkg().arg("build").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dup.jsonl:2: document \"a\""), "{err}");

    // The documented `--into` use: adding a corpus the graph already holds is no error.
    let once = write(
        dir.path(),
        "once.jsonl",
        b"{\"id\":\"b\",\"text\":\"Hamas met Israel.\"}\n",
    );
    let g = dir.path().join("g.json");
    let first = tkg()
        .arg("build")
        .arg(&once)
        .arg("-o")
        .arg(&g)
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0));
    let again = tkg()
        .arg("build")
        .arg(&once)
        .arg("--into")
        .arg(&g)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
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

// ---------------------------------------------------------------------------------------
// The fuzz oracles (fuzz/src/checks.rs, shared with the cargo-fuzz targets) on bounded
// random inputs, and every saved fuzz finding replayed. Longer runs: scripts/fuzz.sh.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use proptest::prelude::*;

/// Replays every input saved under `fuzz/regressions/TARGET/` (files directly there; the
/// `open/` subfolders hold findings whose fix is still pending and are not replayed).
#[test]
fn fuzz_regressions_replay() {
    let root = common::root().join("fuzz/regressions");
    let mut replayed = 0;
    for target in checks::TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| checks::replay(target, &data));
            assert!(outcome.is_ok(), "fuzz regression {} fails", file.display());
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no regression input found under {}",
        root.display()
    );
}

/// Words that reach deep into the text, time and entity stages.
const WORDS: &[&str] = &[
    "Monday",
    "last",
    "next",
    "week",
    "weekend",
    "March",
    "5",
    "2025",
    "-",
    "the",
    "of",
    "ago",
    "two",
    "years",
    "quarter",
    "Q3",
    "1999",
    "since",
    "until",
    "early",
    "late",
    "mid-",
    "'90s",
    "Christmas",
    "Ramadan",
    "Easter",
    "p.m.",
    "3:30",
    "noon",
    "morning",
    "tonight",
    "yesterday",
    "decade",
    "century",
    "fiscal",
    "half",
    "every",
    "day",
    "daily",
    "now",
    "recently",
    "Mr.",
    "Gen.",
    "U.S.",
    "said",
    "met",
    "Hamas",
    "Israel",
    "President",
    "Joe",
    "Biden",
    "Cairo",
    "spokesman",
    "'s",
    ".",
    "!",
    "?",
    "\"",
    "\u{201C}",
    "\u{2019}",
    ",",
    ";",
    "(",
    ")",
    "\n",
    "\r\n",
    "\r",
    "\u{FEFF}",
    "\u{200B}",
    "\u{301}",
    "\u{5D0}\u{5D1}",
    "\u{1F600}",
    "\u{202E}",
    "31",
    "29",
    "February",
    "0",
    "9999",
    "12:00",
    "24:00",
    "Sept.",
    "1st",
    "fourth",
];

/// Text made of `WORDS` and random characters, joined by spaces or nothing.
fn wordy_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(WORDS).prop_map(str::to_string),
            1 => "\\PC{1,4}",
            1 => "[0-9]{1,5}",
        ],
        0..40,
    )
    .prop_flat_map(|parts| {
        let n = parts.len();
        (
            Just(parts),
            proptest::collection::vec(prop_oneof![Just(" "), Just(""), Just(", ")], n),
        )
    })
    .prop_map(|(parts, seps)| {
        parts
            .iter()
            .zip(seps)
            .flat_map(|(p, s)| [p.as_str(), s])
            .collect()
    })
}

/// A DCT prefix for `checks::split_dct`: three bytes, none when the first is even.
fn dct_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 3)
}

/// A small annotation line and a small graph, made once in-process from a sample text.
fn samples() -> &'static (String, Vec<u8>) {
    static SAMPLES: std::sync::OnceLock<(String, Vec<u8>)> = std::sync::OnceLock::new();
    SAMPLES.get_or_init(|| {
        let doc = timeline_kg::input::Document {
            id: "s".into(),
            title: Some("Talks".into()),
            date: timeline_kg::input::parse_date("2025-03-05").ok(),
            text: "Hamas spokesman Hazem Qassem said on Monday that the group rejected \
                   the plan Israel approved last week. Talks in Cairo resume in two days."
                .into(),
            origin: "sample".into(),
            annotations: None,
        };
        let a = timeline_kg::annotate::annotate(doc);
        let mut line = Vec::new();
        timeline_kg::annotations::write_line(&a, &mut line).unwrap();
        let mut resolver = timeline_kg::resolve::Resolver::new();
        resolver.add(&a);
        let graph = timeline_kg::graph::KnowledgeGraph::from_resolved(resolver.finish());
        let mut g = Vec::new();
        timeline_kg::export::json::write(&graph, &mut g).unwrap();
        (String::from_utf8(line).unwrap(), g)
    })
}

/// `bytes` with its `k`-th run of digits replaced by `number`, then cut to `cut` bytes
/// from the end (`cut` 0 keeps it whole), then with one byte flipped when `flip` is set.
fn mutate(bytes: &[u8], k: usize, number: u64, cut: usize, flip: Option<(usize, u8)>) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 20);
    let runs: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() {
                let s = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                v.push((s, i));
            } else {
                i += 1;
            }
        }
        v
    };
    match runs.get(k % runs.len().max(1)) {
        Some(&(s, e)) => {
            out.extend_from_slice(&bytes[..s]);
            out.extend_from_slice(number.to_string().as_bytes());
            out.extend_from_slice(&bytes[e..]);
        }
        None => out.extend_from_slice(bytes),
    }
    out.truncate(out.len() - cut.min(out.len()));
    if let Some((at, b)) = flip {
        if !out.is_empty() {
            let at = at % out.len();
            out[at] = b;
        }
    }
    out
}

/// Numbers that break offsets and indices: small, boundary and huge.
fn nasty_number() -> impl Strategy<Value = u64> {
    prop_oneof![
        0u64..200,
        Just(u64::from(u32::MAX)),
        Just(u64::MAX),
        any::<u64>()
    ]
}

/// JSON Lines made of good, broken and odd lines.
fn jsonl_body() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        Just(r#"{"id":"a","text":"Hamas met Israel on Monday.","date":"2025-03-05"}"#.to_string()),
        Just(r#"{"id":7,"text":"Two.","dct":"2025-02-30"}"#.to_string()),
        Just(r#"{"text":"No id.","date":null,"title":"T"}"#.to_string()),
        Just(r#"{"id":"b"}"#.to_string()),
        Just(r#"{"id":[],"text":"x"}"#.to_string()),
        Just(r#"{"text":"\u0000\ud800 bad escapes"}"#.to_string()),
        Just("{broken".to_string()),
        Just("[1,2]".to_string()),
        Just(String::new()),
        Just(" \t\r".to_string()),
        "\\PC{0,30}",
        "[ -~]{0,30}",
    ];
    (
        proptest::collection::vec(line, 0..8),
        prop_oneof![Just("\n"), Just("\r\n")],
        any::<bool>(),
    )
        .prop_map(|(lines, end, last)| {
            let mut s = lines.join(end);
            if last {
                s.push_str(end);
            }
            s.into_bytes()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Input stage: raw bytes and JSON Lines as `.txt` and `.jsonl` files, with small and
    /// default size limits.
    #[test]
    fn random_inputs_are_read_or_refused_by_name(
        mode in any::<u8>(),
        limit in prop_oneof![any::<u8>(), Just(255u8)],
        body in prop_oneof![proptest::collection::vec(any::<u8>(), 0..300), jsonl_body()],
    ) {
        let mut data = vec![mode, limit];
        data.extend_from_slice(&body);
        checks::replay("input", &data);
    }

    /// Tokenizer and sentence splitter.
    #[test]
    fn random_texts_tokenize_and_split_exactly(text in prop_oneof![wordy_text(), "\\PC{0,200}"]) {
        checks::text_stage(&text);
    }

    /// Temporal normalizer: values parse as TIMEX3, intervals are ordered.
    #[test]
    fn random_dates_normalize_to_timex3(dct in dct_bytes(), text in wordy_text()) {
        let mut data = dct;
        data.extend_from_slice(text.as_bytes());
        checks::replay("time", &data);
    }

    /// Annotation-line reader on damaged lines written by `tkg extract`.
    #[test]
    fn damaged_annotation_lines_are_read_or_refused(
        k in any::<usize>(),
        number in nasty_number(),
        cut in prop_oneof![Just(0usize), 0usize..400],
        flip in proptest::option::of((any::<usize>(), any::<u8>())),
    ) {
        let line = mutate(samples().0.as_bytes(), k, number, cut, flip);
        checks::replay("annotation_line", &line);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The whole pipeline: offsets exact in the written line, which reads back unchanged.
    #[test]
    fn random_texts_go_through_the_whole_pipeline(dct in dct_bytes(), text in wordy_text()) {
        let mut data = dct;
        data.extend_from_slice(text.as_bytes());
        checks::replay("pipeline", &data);
    }

    /// Graph loader: damaged graph files (a number changed, the end cut, a byte flipped)
    /// are refused by name, or loaded and then queried, exported and grown.
    #[test]
    fn damaged_graphs_load_or_are_refused(
        k in any::<usize>(),
        number in nasty_number(),
        cut in prop_oneof![Just(0usize), 0usize..2000],
        flip in proptest::option::of((any::<usize>(), any::<u8>())),
    ) {
        let graph = mutate(&samples().1, k, number, cut, flip);
        checks::replay("graph", &graph);
    }
}

/// Runs `tkg ARGS` and returns its exit code, its stderr and its peak resident set in KiB,
/// read with `wait4` for this child alone (RUSAGE_CHILDREN of the test process would
/// include the other tests' children).
fn run_measuring_rss(args: &[&std::ffi::OsStr], dir: &std::path::Path) -> (i32, String, i64) {
    run_measuring_rss_with_stdin(args, dir, None)
}

/// [`run_measuring_rss`] with standard input read from `stdin` (a file), if given.
#[allow(clippy::zombie_processes)] // reaped by wait4 below, which also gives its rusage
fn run_measuring_rss_with_stdin(
    args: &[&std::ffi::OsStr],
    dir: &std::path::Path,
    stdin: Option<&std::path::Path>,
) -> (i32, String, i64) {
    let err_path = dir.join("stderr.txt");
    let input = match stdin {
        Some(p) => std::process::Stdio::from(std::fs::File::open(p).unwrap()),
        None => std::process::Stdio::null(),
    };
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tkg"))
        .args(args)
        .current_dir(common::root())
        .stdin(input)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain old data; wait4 fills it for the child we just spawned.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status),
        "tkg did not exit normally: {status}"
    );
    let stderr = std::fs::read_to_string(&err_path).unwrap();
    (libc::WEXITSTATUS(status), stderr, usage.ru_maxrss)
}

/// Writes `head`, then `size` bytes of `a`, then `tail` to `path` (no newline anywhere
/// unless `tail` has one), fast.
fn write_huge(path: &std::path::Path, head: &[u8], size: usize, tail: &[u8]) {
    use std::io::Write;
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    f.write_all(head).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        f.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    f.write_all(tail).unwrap();
    f.flush().unwrap();
}

/// The bound on `tkg build`'s peak resident set when it refuses a 100 MB document (measured:
/// 5 MiB for a text file, refused from its size alone; 37 MiB for a JSON line or array
/// element, of which 32 MiB is the line buffer, twice `--max-doc-bytes`).
const PEAK_RSS_BOUND_KIB: i64 = 64 * 1024;

/// Peak memory of `tkg build` on a 100 MB file without a newline stays far below the
/// file's size: the document is refused by the size limit (16 MiB) without being read
/// whole, the file is named, and the other document of the JSON Lines file goes through.
#[test]
fn a_100_mb_file_without_newline_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let size = 100 * 1000 * 1000;
    let txt = dir.path().join("huge.txt");
    write_huge(&txt, b"", size, b"");
    let out = dir.path().join("g.json");
    let (code, stderr, peak) = run_measuring_rss(
        &[
            "build".as_ref(),
            txt.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        dir.path(),
    );
    eprintln!("huge.txt: exit {code}, peak RSS {peak} KiB");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("huge.txt: document of 100000000 bytes exceeds the limit"),
        "{stderr}"
    );
    assert!(stderr.contains("no document could be read"), "{stderr}");
    assert!(
        !out.exists(),
        "nothing is written when no document could be read"
    );
    assert!(peak < PEAK_RSS_BOUND_KIB, "peak RSS {peak} KiB on huge.txt");
    // The same bytes on standard input: no size to look at, so read up to the cap only.
    let (code, stderr, peak) =
        run_measuring_rss_with_stdin(&["build".as_ref(), "-".as_ref()], dir.path(), Some(&txt));
    eprintln!("huge.txt on stdin: exit {code}, peak RSS {peak} KiB");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("<stdin>: document of") && stderr.contains("exceeds the limit"),
        "{stderr}"
    );
    assert!(peak < PEAK_RSS_BOUND_KIB, "peak RSS {peak} KiB on stdin");

    // JSON Lines: one 100 MB line, no newline inside, then a good document.
    let jsonl = dir.path().join("huge.jsonl");
    write_huge(
        &jsonl,
        br#"{"id":"huge","text":""#,
        size,
        b"\"}\n{\"id\":\"fine\",\"text\":\"Hamas rejected the plan on Monday.\",\"date\":\"2025-03-05\"}\n",
    );
    let (code, stderr, peak) = run_measuring_rss(
        &[
            "build".as_ref(),
            jsonl.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        dir.path(),
    );
    eprintln!("huge.jsonl: exit {code}, peak RSS {peak} KiB");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("huge.jsonl:1: document of") && stderr.contains("exceeds the limit"),
        "{stderr}"
    );
    let graph: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(graph["graph"]["documents"][0]["id"], "fine");
    assert!(
        peak < PEAK_RSS_BOUND_KIB,
        "peak RSS {peak} KiB on huge.jsonl"
    );
    // What a line may hold in memory follows --max-doc-bytes (twice it, for JSON escapes):
    // with a 1 MB limit, refusing the same line alone costs a few MiB.
    let lonely = dir.path().join("lonely.jsonl");
    write_huge(&lonely, br#"{"id":"huge","text":""#, size, b"\"}\n");
    let (code, stderr, small_peak) = run_measuring_rss(
        &[
            "build".as_ref(),
            lonely.as_os_str(),
            "--max-doc-bytes".as_ref(),
            "1000000".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        dir.path(),
    );
    eprintln!("lonely.jsonl, --max-doc-bytes 1000000: exit {code}, peak RSS {small_peak} KiB");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("lonely.jsonl:1: document of"), "{stderr}");
    assert!(
        small_peak < 16 * 1024,
        "peak RSS {small_peak} KiB refusing a line with a 1 MB limit"
    );

    // A JSON array file: the same 100 MB document as its first element, on one line.
    let array = dir.path().join("huge.json");
    write_huge(
        &array,
        br#"[{"id":"huge","text":""#,
        size,
        b"\"},{\"id\":\"fine\",\"text\":\"Hamas rejected the plan on Monday.\"}]",
    );
    let (code, stderr, peak) = run_measuring_rss(
        &[
            "build".as_ref(),
            array.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        dir.path(),
    );
    eprintln!("huge.json: exit {code}, peak RSS {peak} KiB");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("huge.json:1: document of"), "{stderr}");
    let graph: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(graph["graph"]["documents"][0]["id"], "fine");
    assert!(
        peak < PEAK_RSS_BOUND_KIB,
        "peak RSS {peak} KiB on huge.json"
    );
}

#[test]
fn a_json_array_on_stdin_is_read_element_by_element() {
    let out = tkg()
        .args(["build", "-"])
        .write_stdin(
            " [{\"id\":\"a\",\"text\":\"Hamas met Israel.\"},\n {\"id\":\"b\"},\n {\"id\":\"c\",\"text\":\"Talks.\"}]\n",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("<stdin>:2: missing \"text\" field"),
        "{stderr}"
    );
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = g["graph"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "c"]);
}

#[test]
fn an_unwritable_output_or_temporary_folder_is_named_once_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "a.txt", b"Hamas rejected the plan on Saturday.");
    let missing = dir.path().join("missing");
    for (low_memory, tmpdir, output) in [
        (false, dir.path(), missing.join("g.json")),
        (true, dir.path(), missing.join("g.json")),
        (true, missing.as_path(), dir.path().join("g.json")),
    ] {
        let mut cmd = tkg();
        cmd.env("TMPDIR", tmpdir)
            .arg("build")
            .arg(&doc)
            .arg("-o")
            .arg(&output);
        if low_memory {
            cmd.arg("--low-memory");
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("missing"), "the folder is not named: {err}");
        // The operating system's reason once, not once per layer of the error.
        assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
        assert!(!output.exists());
    }
}
