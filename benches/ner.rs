//! Entity stage throughput (issue 4): rules only, the statistical tagger, and the
//! combinations of [`entities::NameSource`], on the same documents, reported as bytes/s
//! and words per second (`cargo bench --bench ner`; add `-- tagger` to run one).
//!
//! The documents are `../shared/gold/meantime_full.dev.jsonl` when present (read at run
//! time, never copied into the repository), else `examples/articles/`. Tokens, sentences
//! and POS tags are computed once, outside the timed loop.

mod common;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::time::{Duration, Instant};
use timeline_kg::entities::{self, NameSource};
use timeline_kg::pos::{self, Pos};
use timeline_kg::text::{self, Sentence, Token, TokenKind};

struct Prepared {
    text: String,
    tokens: Vec<Token>,
    sentences: Vec<Sentence>,
    tags: Vec<Pos>,
}

fn prepared() -> Vec<Prepared> {
    let docs = common::documents("ner");
    docs.into_iter()
        .map(|d| {
            let tokens = text::tokenize(&d.text);
            let sentences = text::split_sentences(&d.text, &tokens);
            let mut tags = Vec::with_capacity(tokens.len());
            for s in &sentences {
                tags.extend(pos::tag_sentence(&d.text, &tokens, s));
            }
            Prepared {
                text: d.text,
                tokens,
                sentences,
                tags,
            }
        })
        .collect()
}

fn run(docs: &[Prepared], source: NameSource) -> usize {
    docs.iter()
        .map(|p| {
            entities::find_entities_with(&p.text, &p.tokens, &p.sentences, &p.tags, source)
                .0
                .mentions
                .len()
        })
        .sum()
}

fn ner(c: &mut Criterion) {
    let docs = prepared();
    let bytes: usize = docs.iter().map(|p| p.text.len()).sum();
    let words: usize = docs
        .iter()
        .map(|p| {
            p.tokens
                .iter()
                .filter(|t| t.kind != TokenKind::Punct)
                .count()
        })
        .sum();
    let sources = [
        ("rules", NameSource::Rules),
        ("tagger", NameSource::Tagger),
        ("rules_plus_tagger", NameSource::RulesPlusTagger),
        ("veto", NameSource::RulesVetoedByTagger),
    ];
    // Plain words-per-second figures first (criterion reports bytes/s).
    for (name, source) in sources {
        run(&docs, source);
        let started = Instant::now();
        let mut rounds = 0;
        while started.elapsed() < Duration::from_secs(2) {
            black_box(run(&docs, source));
            rounds += 1;
        }
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "ner/{name}: {:.0} words/s ({} docs, {words} words, {rounds} rounds)",
            (words * rounds) as f64 / secs,
            docs.len()
        );
    }
    let mut group = c.benchmark_group("ner");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(bytes as u64));
    for (name, source) in sources {
        group.bench_function(name, |b| b.iter(|| black_box(run(&docs, source))));
    }
    group.finish();
}

criterion_group!(benches, ner);
criterion_main!(benches);
