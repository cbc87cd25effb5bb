//! Drives the per-document stages over a stream of documents: reads a batch, annotates it
//! in parallel, and hands the results on in input order, so output is identical whatever
//! the thread count and memory holds one batch, not the corpus.

use crate::annotate::{annotate_with, apply_dictionary, Annotated};
use crate::annotations;
use crate::dict::Dictionary;
use crate::error::{Location, Result};
use crate::input::{read_documents, Document, InputConfig};
use rayon::prelude::*;
use std::path::PathBuf;

/// Documents annotated per parallel batch.
const BATCH: usize = 256;
/// Annotated batches waiting for the consumer (memory holds at most this many plus the
/// one being annotated and the one being consumed).
const QUEUE: usize = 2;

/// Reads `inputs` and calls `each` with every annotated document (or the error that stood
/// in its place) in input order. Lines of annotation files written by `tkg extract` are
/// taken as they are instead of being annotated again.
///
/// With one rayon thread everything runs on the calling thread. With more, a producer
/// thread reads and annotates batches on the rayon pool while the calling thread runs
/// `each` on the previous batch (the fold of `tkg build`, the writing of `tkg extract`), so
/// the serial consumer overlaps the parallel map instead of leaving the pool idle. Batches
/// travel through a bounded FIFO queue, so `each` sees the same sequence whatever the
/// thread count.
pub fn for_each_annotated<F>(inputs: &[PathBuf], config: &InputConfig, each: F)
where
    F: FnMut(Result<Annotated>),
{
    for_each_annotated_with(inputs, config, None, each)
}

/// [`for_each_annotated`] with a user dictionary: its names are recognized in every
/// document, annotated here or read back from annotation lines (applying it twice changes
/// nothing, so `tkg extract --dict D` then `tkg build --dict D` equals one run).
pub fn for_each_annotated_with<F>(
    inputs: &[PathBuf],
    config: &InputConfig,
    dict: Option<&Dictionary>,
    each: F,
) where
    F: FnMut(Result<Annotated>),
{
    for_each_annotated_in_batches(inputs, config, dict, BATCH, each)
}

/// [`for_each_annotated_with`] annotating `batch` documents at a time (at least one):
/// smaller batches hold fewer annotated documents in memory at once, larger ones keep the
/// threads busier. The sequence `each` sees is the same whatever the batch.
pub fn for_each_annotated_in_batches<F>(
    inputs: &[PathBuf],
    config: &InputConfig,
    dict: Option<&Dictionary>,
    batch: usize,
    mut each: F,
) where
    F: FnMut(Result<Annotated>),
{
    let size = batch.max(1);
    if rayon::current_num_threads() <= 1 {
        let mut docs = read_documents(inputs, config);
        while let Some(batch) = next_batch(&mut docs, dict, size) {
            for item in batch {
                each(item);
            }
        }
        return;
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Result<Annotated>>>(QUEUE);
        scope.spawn(move || {
            // The reader lives on this thread: it is not `Send` (it may hold stdin).
            let mut docs = read_documents(inputs, config);
            while let Some(batch) = next_batch(&mut docs, dict, size) {
                if tx.send(batch).is_err() {
                    break;
                }
            }
        });
        for batch in rx {
            for item in batch {
                each(item);
            }
        }
    });
}

/// Reads up to `size` documents and annotates them in parallel; `None` at the end of the
/// input.
fn next_batch(
    docs: &mut impl Iterator<Item = Result<Document>>,
    dict: Option<&Dictionary>,
    size: usize,
) -> Option<Vec<Result<Annotated>>> {
    let batch: Vec<Result<Document>> = docs.by_ref().take(size).collect();
    if batch.is_empty() {
        return None;
    }
    Some(
        batch
            .into_par_iter()
            .map(|item| annotate_one(item, dict))
            .collect(),
    )
}

/// The per-document map step: annotates a document, or reads back the annotations a
/// `tkg extract` line carries; with a dictionary, applies it either way.
fn annotate_one(item: Result<Document>, dict: Option<&Dictionary>) -> Result<Annotated> {
    let doc = item?;
    match &doc.annotations {
        Some(line) => {
            let location = Location {
                path: PathBuf::from(&doc.origin),
                line: None,
            };
            let mut a = annotations::read_line(line, &location)?;
            if let Some(d) = dict {
                apply_dictionary(&mut a, d);
            }
            Ok(a)
        }
        None => Ok(annotate_with(doc, dict)),
    }
}

/// What a build run produced: the graph and the problems met on the way.
pub struct BuildReport {
    /// The graph.
    pub graph: crate::graph::KnowledgeGraph,
    /// Inputs that failed, each with its error; the graph holds everything else.
    pub errors: Vec<crate::Error>,
    /// Documents skipped because one with the same id or text came first.
    pub duplicates: Vec<Duplicate>,
}

/// A document skipped because the graph already had it (same id or same text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The skipped document's id.
    pub id: String,
    /// Where it was read (`FILE:LINE`).
    pub origin: String,
    /// True when the graph grown with `--into` had it, the documented way to re-add a
    /// corpus; false when this run's own inputs repeat it, which is a problem of the input.
    pub in_base: bool,
}

/// Reads, annotates, resolves and builds the graph for `inputs`, streaming: memory holds
/// one batch of documents plus the growing graph. With `strict`, stops at the first error.
pub fn build(inputs: &[PathBuf], config: &InputConfig, strict: bool) -> Result<BuildReport> {
    grow(None, inputs, config, strict)
}

/// Like [`build`], but continues from an existing graph (`tkg build --into`): documents
/// already in it (same id or same text) are skipped, the same entity stays one node, and
/// the result equals building all the documents in one run.
pub fn grow(
    base: Option<&crate::graph::KnowledgeGraph>,
    inputs: &[PathBuf],
    config: &InputConfig,
    strict: bool,
) -> Result<BuildReport> {
    grow_with(base, inputs, config, strict, None)
}

/// [`grow`] with a user dictionary, used for recognition and resolution
/// (`tkg build --dict`).
pub fn grow_with(
    base: Option<&crate::graph::KnowledgeGraph>,
    inputs: &[PathBuf],
    config: &InputConfig,
    strict: bool,
    dict: Option<&Dictionary>,
) -> Result<BuildReport> {
    let mut resolver = match base {
        Some(g) => crate::resolve::Resolver::from_resolved(g.to_resolved()),
        None => crate::resolve::Resolver::new(),
    };
    if let Some(d) = dict {
        resolver.set_dictionary(d.clone());
    }
    let base_docs: crate::pos::FxHashSet<&str> = base
        .map(|g| {
            g.documents
                .iter()
                .flat_map(|d| [d.id.as_str(), d.content_hash.as_str()])
                .collect()
        })
        .unwrap_or_default();
    let mut errors = Vec::new();
    let mut duplicates = Vec::new();
    for_each_annotated_with(inputs, config, dict, |item| {
        if strict && !errors.is_empty() {
            return;
        }
        match item {
            Ok(a) => {
                if !resolver.add(&a) {
                    let in_base = base_docs.contains(a.doc.id.as_str())
                        || base_docs.contains(crate::resolve::content_hash(&a.doc.text).as_str());
                    duplicates.push(Duplicate {
                        id: a.doc.id.clone(),
                        origin: a.doc.origin.clone(),
                        in_base,
                    });
                }
            }
            Err(e) => errors.push(e),
        }
    });
    if strict && !errors.is_empty() {
        return Err(errors.remove(0));
    }
    // The graph takes the resolved corpus by value: its evidence moves, not copies.
    let graph = crate::graph::KnowledgeGraph::from_resolved(resolver.finish());
    Ok(BuildReport {
        graph,
        errors,
        duplicates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// What `for_each_annotated` hands on, reduced to comparable values.
    fn run(path: &std::path::Path, threads: usize) -> Vec<std::result::Result<String, String>> {
        run_in_batches(path, threads, BATCH)
    }

    fn run_in_batches(
        path: &std::path::Path,
        threads: usize,
        batch: usize,
    ) -> Vec<std::result::Result<String, String>> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut seen = Vec::new();
            let inputs = [path.to_path_buf()];
            for_each_annotated_in_batches(&inputs, &InputConfig::default(), None, batch, |item| {
                seen.push(match item {
                    Ok(a) => Ok(format!(
                        "{} {} {:?} {}",
                        a.doc.id,
                        a.tokens.len(),
                        a.pos.iter().take(4).collect::<Vec<_>>(),
                        a.events.len()
                    )),
                    Err(e) => Err(e.to_string()),
                });
            });
            seen
        })
    }

    #[test]
    fn same_sequence_whatever_the_thread_count() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("docs.jsonl");
        let mut f = std::fs::File::create(&path).unwrap();
        // More than two batches, with bad lines in the first and the last batch.
        let n = 2 * BATCH + 37;
        for k in 0..n {
            match k {
                _ if k == 5 || k == n - 3 => writeln!(f, "{{not json").unwrap(),
                _ => writeln!(
                    f,
                    r#"{{"id": "d{k}", "date": "2025-03-0{}", "text": "Officials met in Cairo on Monday. Talks {k} ended."}}"#,
                    1 + k % 9
                )
                .unwrap(),
            }
        }
        drop(f);
        let one = run(&path, 1);
        assert_eq!(one.len(), n);
        assert!(one[5].is_err() && one[n - 3].is_err());
        assert_eq!(one[6].as_deref().ok().map(|s| &s[..3]), Some("d6 "));
        for threads in [2, 3] {
            assert_eq!(run(&path, threads), one, "{threads} threads");
        }
        for (threads, batch) in [(1, 0), (1, 1), (2, 7), (2, 32), (3, BATCH + 1)] {
            let got = run_in_batches(&path, threads, batch);
            assert_eq!(got, one, "{threads} threads, batches of {batch}");
        }
    }

    #[test]
    fn build_is_identical_with_one_and_two_threads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("docs.jsonl");
        let mut f = std::fs::File::create(&path).unwrap();
        for k in 0..300 {
            writeln!(
                f,
                r#"{{"id": "d{k}", "date": "2025-03-05", "text": "Hamas rejected the proposal on Monday, spokesman Hazem Qassem said. Israel will respond on day {k}."}}"#
            )
            .unwrap();
        }
        drop(f);
        let json = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let report = pool
                .install(|| build(std::slice::from_ref(&path), &InputConfig::default(), false))
                .unwrap();
            assert!(report.errors.is_empty());
            let mut out = Vec::new();
            crate::export::json::write(&report.graph, &mut out).unwrap();
            out
        };
        let one = json(1);
        assert!(one.len() > 1000);
        assert_eq!(json(2), one);
    }
}
