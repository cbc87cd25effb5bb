//! Drives the per-document stages over a stream of documents: reads a batch, annotates it
//! in parallel, and hands the results on in input order, so output is identical whatever
//! the thread count and memory holds one batch, not the corpus.

use crate::annotate::{annotate, Annotated};
use crate::annotations;
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
pub fn for_each_annotated<F>(inputs: &[PathBuf], config: &InputConfig, mut each: F)
where
    F: FnMut(Result<Annotated>),
{
    if rayon::current_num_threads() <= 1 {
        let mut docs = read_documents(inputs, config);
        while let Some(batch) = next_batch(&mut docs) {
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
            while let Some(batch) = next_batch(&mut docs) {
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

/// Reads up to [`BATCH`] documents and annotates them in parallel; `None` at the end of
/// the input.
fn next_batch(docs: &mut impl Iterator<Item = Result<Document>>) -> Option<Vec<Result<Annotated>>> {
    let batch: Vec<Result<Document>> = docs.by_ref().take(BATCH).collect();
    if batch.is_empty() {
        return None;
    }
    Some(batch.into_par_iter().map(annotate_one).collect())
}

/// The per-document map step: annotates a document, or reads back the annotations a
/// `tkg extract` line carries.
fn annotate_one(item: Result<Document>) -> Result<Annotated> {
    let doc = item?;
    match &doc.annotations {
        Some(line) => {
            let location = Location {
                path: PathBuf::from(&doc.origin),
                line: None,
            };
            annotations::read_line(line, &location)
        }
        None => Ok(annotate(doc)),
    }
}

/// What a build run produced: the graph and the problems met on the way.
pub struct BuildReport {
    /// The graph.
    pub graph: crate::graph::KnowledgeGraph,
    /// Inputs that failed, each with its error; the graph holds everything else.
    pub errors: Vec<crate::Error>,
    /// Ids of documents skipped because a document with the same id came first.
    pub duplicates: Vec<String>,
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
    let mut resolver = match base {
        Some(g) => crate::resolve::Resolver::from_resolved(g.to_resolved()),
        None => crate::resolve::Resolver::new(),
    };
    let mut errors = Vec::new();
    let mut duplicates = Vec::new();
    for_each_annotated(inputs, config, |item| {
        if strict && !errors.is_empty() {
            return;
        }
        match item {
            Ok(a) => {
                if !resolver.add(&a) {
                    duplicates.push(a.doc.id.clone());
                }
            }
            Err(e) => errors.push(e),
        }
    });
    if strict && !errors.is_empty() {
        return Err(errors.remove(0));
    }
    let resolved = resolver.finish();
    Ok(BuildReport {
        graph: crate::graph::KnowledgeGraph::from_resolved(&resolved),
        errors,
        duplicates,
    })
}
