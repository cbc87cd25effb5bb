//! What the benchmarks share: the documents they run on.

use std::path::PathBuf;
use timeline_kg::input::{read_documents, Document, InputConfig};

/// The benchmark documents: the 60 full MEANTIME dev articles when `../shared` is beside
/// the repository, else the bundled examples. `name` prefixes the line saying which.
pub fn documents(name: &str) -> Vec<Document> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/gold/meantime_full.dev.jsonl");
    let input = if shared.is_file() {
        shared
    } else {
        root.join("examples/articles")
    };
    let docs: Vec<Document> = read_documents(std::slice::from_ref(&input), &InputConfig::default())
        .filter_map(Result::ok)
        .collect();
    assert!(
        !docs.is_empty(),
        "no benchmark documents in {}",
        input.display()
    );
    eprintln!(
        "{name}: {} documents, {} bytes from {}",
        docs.len(),
        docs.iter().map(|d| d.text.len()).sum::<usize>(),
        input.display()
    );
    docs
}
