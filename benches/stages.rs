//! Per-stage timings (issue 8): tokenize, POS tagging (warm and cold word cache), entities,
//! time, events, resolve+graph and JSON export, each on the same set of documents, reported
//! as bytes/s by criterion.
//!
//! The documents are `../shared/gold/meantime_full.dev.jsonl` when it is present (read at run
//! time, never copied into the repository), else `examples/articles/`. Sample sizes are kept
//! small so `cargo bench` finishes in a few minutes on a shared 2-core machine:
//! `cargo bench --bench stages` (add `-- STAGE` to run one, e.g. `-- pos`).

mod common;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::time::Duration;
use timeline_kg::annotate::{annotate, Annotated};
use timeline_kg::input::Document;
use timeline_kg::pos::Pos;
use timeline_kg::text::{Sentence, Token};
use timeline_kg::{entities, events, export, graph, pos, resolve, text, time};

/// Text, tokens, sentences and tags of one document, computed once for the later stages.
struct Prepared {
    doc: Document,
    tokens: Vec<Token>,
    sentences: Vec<Sentence>,
    tags: Vec<Pos>,
}

fn prepare(doc: &Document) -> Prepared {
    let t = doc.text.as_str();
    let tokens = text::tokenize(t);
    let sentences = text::split_sentences(t, &tokens);
    let mut tags = Vec::with_capacity(tokens.len());
    for s in &sentences {
        tags.extend(pos::tag_sentence(t, &tokens, s));
    }
    Prepared {
        doc: doc.clone(),
        tokens,
        sentences,
        tags,
    }
}

fn stages(c: &mut Criterion) {
    let docs = common::documents("stages");
    let bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
    let prepared: Vec<Prepared> = docs.iter().map(prepare).collect();
    let found: Vec<_> = prepared
        .iter()
        .map(|p| {
            let t = p.doc.text.as_str();
            (
                entities::find_entities(t, &p.tokens, &p.sentences, &p.tags),
                time::find_timexes(t, &p.tokens, &p.sentences, p.doc.date),
            )
        })
        .collect();
    let annotated: Vec<Annotated> = docs.iter().cloned().map(annotate).collect();
    let build_graph = |annotated: &[Annotated]| {
        let mut resolver = resolve::Resolver::new();
        for a in annotated {
            resolver.add(a);
        }
        graph::KnowledgeGraph::from_resolved(resolver.finish())
    };
    let built = build_graph(&annotated);

    let mut g = c.benchmark_group("stages");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Bytes(bytes));

    g.bench_function("tokenize", |b| {
        b.iter(|| {
            for d in &docs {
                let tokens = text::tokenize(&d.text);
                black_box(text::split_sentences(&d.text, &tokens));
            }
        })
    });
    g.bench_function("pos", |b| {
        b.iter(|| {
            for p in &prepared {
                for s in &p.sentences {
                    black_box(pos::tag_sentence(&p.doc.text, &p.tokens, s));
                }
            }
        })
    });
    // The tagger memoizes word-level work per thread (`pos::TagCache`), so after the first
    // iteration "pos" measures a warm cache, as in a long run; "pos_cold" starts every
    // document with an empty cache (the worst case: a short run or a new vocabulary).
    g.bench_function("pos_cold", |b| {
        let model = pos::model().expect("shipped tagger model");
        b.iter(|| {
            for p in &prepared {
                let mut cache = pos::TagCache::new();
                for s in &p.sentences {
                    let words = p.tokens[s.tokens.clone()]
                        .iter()
                        .map(|t| t.span.slice(&p.doc.text));
                    black_box(model.tag_cached(words, &mut cache));
                }
            }
        })
    });
    g.bench_function("entities", |b| {
        b.iter(|| {
            for p in &prepared {
                black_box(entities::find_entities(
                    &p.doc.text,
                    &p.tokens,
                    &p.sentences,
                    &p.tags,
                ));
            }
        })
    });
    g.bench_function("time", |b| {
        b.iter(|| {
            for p in &prepared {
                black_box(time::find_timexes(
                    &p.doc.text,
                    &p.tokens,
                    &p.sentences,
                    p.doc.date,
                ));
            }
        })
    });
    g.bench_function("events", |b| {
        b.iter(|| {
            for (p, (ents, timexes)) in prepared.iter().zip(&found) {
                black_box(events::find_events(
                    &p.doc.text,
                    &p.tokens,
                    &p.sentences,
                    &p.tags,
                    ents,
                    timexes,
                ));
            }
        })
    });
    g.bench_function("resolve_graph", |b| {
        b.iter(|| black_box(build_graph(&annotated)))
    });
    g.bench_function("export_json", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(1 << 20);
            export::write(&built, export::Format::Json, &mut out).unwrap();
            black_box(out)
        })
    });
    g.bench_function("annotate_all", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(annotate(d.clone()));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
