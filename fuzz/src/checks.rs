//! The oracles shared by the fuzz targets (`fuzz/fuzz_targets/*.rs`) and the bounded
//! random-input tests of `tests/test_hostile.rs` (which include this file with `#[path]`).
//!
//! Each function takes one raw input, runs one parser of the library on it and panics
//! when an invariant does not hold: a panic inside the library, an offset off a char
//! boundary or outside the text, a TIMEX3 value that does not parse, an interval that
//! ends before it starts, an error that does not name its file, an output that does not
//! read back. A panic is what a fuzzer reports as a finding.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use timeline_kg::annotate::{annotate, Annotated};
use timeline_kg::error::Location;
use timeline_kg::export::Format;
use timeline_kg::graph::KnowledgeGraph;
use timeline_kg::input::{read_documents, Document, InputConfig, DEFAULT_MAX_DOC_BYTES};
use timeline_kg::text::Span;

/// A folder for the files the file-reading parsers need, made once per process (in
/// `/dev/shm` when there is one, so fuzzing does not wear the disk).
fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let builder = {
            let mut b = tempfile::Builder::new();
            b.prefix("tkg-fuzz-");
            b
        };
        if shm.is_dir() {
            if let Ok(d) = builder.tempdir_in(shm) {
                return d;
            }
        }
        builder.tempdir().expect("a scratch folder")
    })
    .path()
}

/// A fresh file name in the scratch folder (unique per call, so tests may run in parallel).
fn scratch_file(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    scratch_dir().join(format!("{n}-{name}"))
}

/// The fuzz targets, by name: `fuzz/fuzz_targets/NAME.rs` and `fuzz/regressions/NAME/`.
pub const TARGETS: [&str; 6] = [
    "input",
    "text",
    "time",
    "pipeline",
    "annotation_line",
    "graph",
];

/// Runs the oracle of fuzz target `target` on one raw input, exactly as the fuzz target
/// does (so a saved crash input replays in `cargo test`). Panics on an unknown name.
pub fn replay(target: &str, data: &[u8]) {
    let text = |d: &[u8]| String::from_utf8_lossy(d).into_owned();
    match target {
        "input" => input_bytes(data),
        "text" => text_stage(&text(data)),
        "time" => {
            let (dct, rest) = split_dct(data);
            time_stage(&text(rest), dct)
        }
        "pipeline" => {
            let (dct, rest) = split_dct(data);
            pipeline(&text(rest), dct)
        }
        "annotation_line" => annotation_line(&text(data)),
        "graph" => graph_file(data),
        other => panic!("no fuzz target {other:?}"),
    }
}

/// Splits a fuzz input into a publication date (from its first three bytes, or none) and
/// the rest. Years run over 0..=4095 so the calendar edges (year 0, 9999) are reached.
pub fn split_dct(data: &[u8]) -> (Option<NaiveDate>, &[u8]) {
    match data {
        [a, b, c, rest @ ..] if a & 1 == 1 => {
            let year = ((u32::from(*a) >> 1) << 5 | u32::from(*b) >> 3) as i32;
            let month = u32::from(b & 7) + u32::from(c >> 7) * 5 + 1;
            let day = u32::from(c & 31) + 1;
            let date = NaiveDate::from_ymd_opt(year, month.min(12), day)
                .or_else(|| NaiveDate::from_ymd_opt(year, month.min(12), 1));
            (date, rest)
        }
        [_, rest @ ..] => (None, rest),
        [] => (None, data),
    }
}

/// Checks that `span` lies in `text` on char boundaries, `what` naming it in the panic.
fn check_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {}..{} outside a text of {} bytes",
        span.start,
        span.end,
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {}..{} not on char boundaries",
        span.start,
        span.end
    );
}

/// Input stage on raw bytes: the bytes become a `.txt` or `.jsonl` file (first byte), read
/// with a small or the default size limit (second byte). Every item is a document or an
/// error naming the file (and line); for text files the outcome is exactly predictable;
/// for JSON Lines every non-blank line gives exactly one item, in line order.
pub fn input_bytes(data: &[u8]) {
    let (mode, limit, body) = match data {
        [m, l, rest @ ..] => (*m, *l, rest),
        _ => return,
    };
    let jsonl = mode & 1 == 1;
    let limit = if limit == 255 {
        DEFAULT_MAX_DOC_BYTES
    } else {
        1 + usize::from(limit) * 8
    };
    let config = InputConfig {
        default_date: (mode & 2 == 2).then(|| NaiveDate::from_ymd_opt(2025, 3, 5).unwrap()),
        max_doc_bytes: limit,
    };
    let path = scratch_file(if jsonl { "in.jsonl" } else { "in.txt" });
    std::fs::write(&path, body).expect("write the scratch input");
    let items: Vec<_> = read_documents(std::slice::from_ref(&path), &config).collect();
    let _ = std::fs::remove_file(&path);
    let shown = path.display().to_string();
    for item in &items {
        match item {
            Ok(doc) => {
                assert!(!doc.id.is_empty(), "a document without an id");
                assert!(
                    doc.text.len() <= limit,
                    "a document of {} bytes passed the limit of {limit}",
                    doc.text.len()
                );
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.starts_with(&shown),
                    "the error does not name the file: {msg}"
                );
            }
        }
    }
    if !jsonl {
        assert_eq!(items.len(), 1, "a text file is one document or one error");
        let expect_ok =
            body.len() <= limit && !body.contains(&0) && std::str::from_utf8(body).is_ok();
        match &items[0] {
            Ok(doc) => {
                assert!(expect_ok, "accepted a file that should be refused");
                let text = std::str::from_utf8(body).unwrap();
                assert_eq!(doc.text, text.strip_prefix('\u{FEFF}').unwrap_or(text));
                assert_eq!(doc.date, config.default_date);
            }
            Err(e) => {
                assert!(!expect_ok, "refused a valid text file: {e}");
            }
        }
        return;
    }
    // JSON Lines: line numbers of errors increase and stay within the file.
    let lines: Vec<&[u8]> = {
        let mut v: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
        if body.ends_with(b"\n") || body.is_empty() {
            v.pop();
        }
        v
    };
    // A JSON array (after an optional byte-order mark): its elements count as its lines.
    let unmarked = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let array = unmarked.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let mut last = 0;
    for item in &items {
        if let Err(e) = item {
            let msg = e.to_string();
            let rest = &msg[shown.len()..];
            let line: usize = rest
                .strip_prefix(':')
                .and_then(|r| r.split(':').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("a JSON Lines error without its line: {msg}"));
            assert!(
                line > last && (array || line <= lines.len().max(1)),
                "line {line} out of order or range: {msg}"
            );
            last = line;
        }
    }
    let oversized = lines.iter().any(|l| l.len() + 1 >= 2 * limit + 2);
    if !oversized && !array {
        let non_blank = lines
            .iter()
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .count();
        assert_eq!(items.len(), non_blank, "one item per non-blank line");
    }
}

/// Text stage: tokens are non-empty, in order, on char boundaries and cover every
/// non-white-space character; sentences partition the tokens in order.
pub fn text_stage(text: &str) {
    let tokens = timeline_kg::text::tokenize(text);
    let mut last = 0;
    for (i, t) in tokens.iter().enumerate() {
        check_span(text, t.span, "token");
        assert!(t.span.start < t.span.end, "empty token {i}");
        assert!(t.span.start >= last, "token {i} overlaps the one before");
        let gap = &text[last..t.span.start];
        assert!(
            gap.chars().all(char::is_whitespace),
            "non-white-space {gap:?} left out of every token"
        );
        last = t.span.end;
    }
    assert!(
        text[last..].chars().all(char::is_whitespace),
        "non-white-space left out at the end"
    );
    let sentences = timeline_kg::text::split_sentences(text, &tokens);
    let mut next = 0;
    for s in &sentences {
        check_span(text, s.span, "sentence");
        assert_eq!(s.tokens.start, next, "sentences skip or repeat tokens");
        assert!(s.tokens.start < s.tokens.end, "empty sentence");
        assert!(s.tokens.end <= tokens.len(), "sentence past the last token");
        assert_eq!(s.span.start, tokens[s.tokens.start].span.start);
        assert_eq!(s.span.end, tokens[s.tokens.end - 1].span.end);
        next = s.tokens.end;
    }
    assert_eq!(next, tokens.len(), "tokens left out of every sentence");
}

/// True when `value` is a TIMEX3 value: a (possibly underspecified) date or time, a
/// duration, or a reference token; and every fully given calendar field is real.
pub fn is_timex3_value(value: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let n = r"(?:[0-9]+(?:\.[0-9]+)?|X+)";
        let date = r"(?:[0-9X]{4}(?:-(?:[0-9X]{2}(?:-[0-9X]{2})?|W[0-9X]{2}(?:-(?:[1-7X]|WE))?|Q[1-4X]|H[12X]|SP|SU|FA|WI))?|[0-9X]{3}|[0-9X]{2})";
        let time = r"T(?:[0-9]{2}(?::[0-9]{2}(?::[0-9]{2})?)?|MO|MI|AF|EV|NI|DT)(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?";
        let duration = format!(
            r"P(?:(?:{n}(?:Y|M|W|D|Q|DE|CE|ML))+(?:T(?:{n}[HMS])+)?|T(?:{n}[HMS])+)"
        );
        regex::Regex::new(&format!(
            r"^(?:{date}(?:{time})?|{duration}|PRESENT_REF|PAST_REF|FUTURE_REF)$"
        ))
        .unwrap()
    });
    if !re.is_match(value) {
        return false;
    }
    if value.starts_with('P') {
        return true; // a duration or PRESENT_REF / PAST_REF: the pattern says it all
    }
    let (day, clock) = value.split_once('T').unwrap_or((value, ""));
    let parts: Vec<&str> = day.split('-').collect();
    let num = |s: &str| s.parse::<u32>().ok();
    if let [y, m, d] = parts[..] {
        if let (Some(y), Some(m), Some(d)) = (num(y), num(m), num(d)) {
            if NaiveDate::from_ymd_opt(y as i32, m, d).is_none() {
                return false;
            }
        }
    }
    if let [_, m, ..] = parts[..] {
        if let Some(m) = num(m) {
            if !(1..=12).contains(&m) {
                return false;
            }
        }
        if let Some(w) = m.strip_prefix('W').and_then(num) {
            if !(1..=53).contains(&w) {
                return false;
            }
        }
    }
    if let [_, _, d] = parts[..] {
        if let Some(d) = num(d) {
            if !(1..=31).contains(&d) {
                return false;
            }
        }
    }
    if let Some(h) = clock.get(..2).and_then(num) {
        let m = clock.get(3..5).and_then(num).unwrap_or(0);
        if h > 24 || m > 59 || (h == 24 && m > 0) {
            return false;
        }
    }
    true
}

/// Time stage: spans on char boundaries, sorted and disjoint; every value parses as
/// TIMEX3; durations only for DURATION and SET; intervals non-empty and, for a full
/// date, starting on it; without a DCT nothing is anchored to one.
pub fn time_stage(text: &str, dct: Option<NaiveDate>) {
    let tokens = timeline_kg::text::tokenize(text);
    let sentences = timeline_kg::text::split_sentences(text, &tokens);
    let timexes = timeline_kg::time::find_timexes(text, &tokens, &sentences, dct);
    check_timexes(text, &timexes, dct);
}

fn check_timexes(text: &str, timexes: &[timeline_kg::time::Timex], dct: Option<NaiveDate>) {
    use timeline_kg::time::TimexType;
    let mut last = 0;
    for t in timexes {
        check_span(text, t.span, "timex");
        assert!(t.span.start < t.span.end, "empty timex");
        assert!(t.span.start >= last, "timexes overlap or are out of order");
        last = t.span.end;
        let shown = &text[t.span.start..t.span.end];
        assert!(
            is_timex3_value(&t.value),
            "{shown:?} has the value {:?}, not TIMEX3 (rule {})",
            t.value,
            t.rule
        );
        if t.value.starts_with('P') && !t.value.ends_with("_REF") {
            assert!(
                matches!(t.kind, TimexType::Duration | TimexType::Set),
                "{shown:?}: duration value {:?} typed {:?}",
                t.value,
                t.kind
            );
        }
        if let Some(i) = t.interval {
            assert!(
                i.start < i.end,
                "{shown:?} ({}): interval {} .. {} is empty or reversed",
                t.value,
                i.start,
                i.end
            );
            if let Ok(d) = NaiveDate::parse_from_str(t.value.get(..10).unwrap_or(""), "%Y-%m-%d") {
                if t.value.len() == 10 {
                    assert_eq!(i.start, d, "{shown:?}: interval does not start on its date");
                }
            }
        }
        if dct.is_none() {
            assert_ne!(
                t.anchor, "dct",
                "{shown:?} anchored to a DCT that is not there"
            );
        }
    }
}

/// Every mention span of an annotated document, with a name for panics.
fn spans(a: &Annotated) -> Vec<(Span, &'static str)> {
    let mut v = Vec::new();
    for t in &a.tokens {
        v.push((t.span, "token"));
    }
    for s in &a.sentences {
        v.push((s.span, "sentence"));
    }
    for m in &a.entities.mentions {
        v.push((m.span, "entity"));
    }
    for s in &a.entity_extents {
        v.push((*s, "entity extent"));
    }
    for r in &a.entities.roles {
        v.push((r.span, "role"));
    }
    for s in a.role_nominals.iter().flatten() {
        v.push((*s, "role nominal"));
    }
    for t in &a.timexes {
        v.push((t.span, "timex"));
    }
    for e in &a.events {
        v.push((e.trigger, "event trigger"));
        for p in &e.participants {
            v.push((p.span, "participant"));
        }
    }
    v
}

/// Index fields of an annotated document point at things that exist.
fn check_indices(a: &Annotated) {
    let n = a.entities.mentions.len();
    assert_eq!(a.entity_extents.len(), n, "one extent per entity mention");
    assert_eq!(a.role_nominals.len(), a.entities.roles.len());
    for r in &a.entities.roles {
        assert!(r.person < n && r.organization.is_none_or(|o| o < n));
    }
    for e in &a.events {
        assert!(e.timex.is_none_or(|t| t < a.timexes.len()));
        assert!(e.sentence < a.sentences.len().max(1));
        for p in &e.participants {
            assert!(p.entity.is_none_or(|k| k < n));
        }
    }
}

/// The streaming formats, written to memory.
fn export_all(graph: &KnowledgeGraph) {
    for (name, format) in timeline_kg::export::FORMATS {
        if format.is_folder() {
            continue;
        }
        let mut out = Vec::new();
        timeline_kg::export::write(graph, format, &mut out)
            .unwrap_or_else(|e| panic!("{name} export failed: {e}"));
        if format == Format::Json {
            let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON export parses");
            assert!(v["nodes"].is_array());
        }
    }
}

/// The whole per-document pipeline on any text, with or without a DCT: every span lies on
/// char boundaries; in the written annotation line, `text[start..end]` (code points) equals
/// each mention's text; the line reads back to the same annotations; the document resolves
/// into a graph that every streaming format can write.
pub fn pipeline(text: &str, dct: Option<NaiveDate>) {
    let doc = Document {
        id: "fuzz".into(),
        title: None,
        date: dct,
        text: text.to_string(),
        origin: "fuzz".into(),
        annotations: None,
    };
    let a = annotate(doc);
    for (span, what) in spans(&a) {
        check_span(text, span, what);
    }
    check_indices(&a);
    check_timexes(text, &a.timexes, dct);
    let mut line = Vec::new();
    timeline_kg::annotations::write_line(&a, &mut line).expect("write the annotation line");
    let value: serde_json::Value =
        serde_json::from_slice(&line).expect("the annotation line is JSON");
    let chars: Vec<char> = text.chars().collect();
    for layer in ["entities", "timexes", "events", "participants"] {
        for m in value[layer].as_array().expect("a layer array") {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert!(
                s <= e && e <= chars.len(),
                "{layer} offsets {s}..{e} out of range"
            );
            let slice: String = chars[s..e].iter().collect();
            assert_eq!(
                slice,
                m["text"].as_str().unwrap(),
                "{layer} offsets {s}..{e}"
            );
        }
    }
    let location = Location {
        path: "fuzz".into(),
        line: Some(1),
    };
    let line = std::str::from_utf8(&line).expect("the annotation line is UTF-8");
    let back = timeline_kg::annotations::read_line(line, &location).expect("the line reads back");
    assert_eq!(back.doc.text, a.doc.text);
    assert_eq!(back.entities, a.entities);
    assert_eq!(back.entity_extents, a.entity_extents);
    assert_eq!(back.role_nominals, a.role_nominals);
    assert_eq!(back.timexes, a.timexes);
    assert_eq!(back.events, a.events);
    let mut resolver = timeline_kg::resolve::Resolver::new();
    resolver.add(&a);
    let graph = KnowledgeGraph::from_resolved(resolver.finish());
    export_all(&graph);
}

/// Annotation-line reader (`tkg build` on `tkg extract` output): a line is read or refused
/// with an error naming its location; a line that is read has its spans on char
/// boundaries, its indices in range, and resolves into a graph every format can write.
pub fn annotation_line(line: &str) {
    let location = Location {
        path: "fuzz.jsonl".into(),
        line: Some(7),
    };
    let a = match timeline_kg::annotations::read_line(line, &location) {
        Ok(a) => a,
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.starts_with("fuzz.jsonl:7: "),
                "error without location: {msg}"
            );
            return;
        }
    };
    let text = a.doc.text.as_str();
    for (span, what) in spans(&a) {
        check_span(text, span, what);
    }
    check_indices(&a);
    let mut resolver = timeline_kg::resolve::Resolver::new();
    resolver.add(&a);
    let graph = KnowledgeGraph::from_resolved(resolver.finish());
    export_all(&graph);
}

/// Graph loader (`query`, `export`, `timeline`, `build --into`): a file is loaded or
/// refused with an error naming it; a loaded graph answers every query, writes every
/// format, writes back to JSON that reloads to the same bytes, and grows like `--into`.
pub fn graph_file(bytes: &[u8]) {
    let path = scratch_file("g.json");
    std::fs::write(&path, bytes).expect("write the scratch graph");
    let loaded = timeline_kg::export::json::read(&path);
    let graph = match loaded {
        Ok(g) => g,
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            let msg = e.to_string();
            assert!(
                msg.starts_with(&path.display().to_string()),
                "the error does not name the graph: {msg}"
            );
            return;
        }
    };
    use timeline_kg::query::{self, render, Index};
    let style = render::Style::default();
    let index = Index::new(&graph);
    let mut sink = Vec::new();
    render::write_stats(&query::stats::stats(&index), &mut sink, &style).unwrap();
    let timeline = query::timeline::events(
        &index,
        &query::timeline::EventQuery {
            include_undated: true,
            ..Default::default()
        },
    )
    .expect("listing all events never fails");
    render::write_timeline(&timeline, &mut sink, &style).unwrap();
    let _ = render::timelinejs(&timeline, Some("fuzz"));
    render::write_central(&query::central::central(&index, 5), &mut sink, &style).unwrap();
    let labels: Vec<String> = graph.nodes().map(|n| n.label.clone()).take(2).collect();
    if let [a, b] = &labels[..] {
        if let Ok(n) = query::neighbors::neighbors(&index, a, &Default::default()) {
            render::write_neighbors(&n, &mut sink, &style).unwrap();
        }
        if let Ok(p) = query::path::path(&index, a, b, 4) {
            render::write_path(&p, &mut sink, &style).unwrap();
        }
    }
    export_all(&graph);
    // JSON round trip: write, reload, write again: the same bytes.
    let mut first = Vec::new();
    timeline_kg::export::json::write(&graph, &mut first).unwrap();
    std::fs::write(&path, &first).unwrap();
    let again = timeline_kg::export::json::read(&path).expect("a written graph reloads");
    let _ = std::fs::remove_file(&path);
    let mut second = Vec::new();
    timeline_kg::export::json::write(&again, &mut second).unwrap();
    assert!(first == second, "the JSON graph does not round-trip");
    // `--into`: the graph becomes a resolver again and grows by nothing.
    let resolver = timeline_kg::resolve::Resolver::from_resolved(graph.to_resolved());
    let grown = KnowledgeGraph::from_resolved(resolver.finish());
    export_all(&grown);
}
