//! `tkg train-pos`: trains the part-of-speech tagger on CoNLL-U files and writes the
//! weights (and the lemma exception list) that ship in `data/pos/`.

use anyhow::Context;
use std::path::PathBuf;
use std::time::Instant;
use timeline_kg::pos;

/// Arguments of `tkg train-pos`.
#[derive(Debug, clap::Args)]
pub struct TrainPosArgs {
    /// CoNLL-U training files (Penn tags in column 5).
    #[arg(required = true)]
    pub conllu: Vec<PathBuf>,
    /// Passes over the training data.
    #[arg(long, default_value_t = pos::TrainConfig::default().iterations)]
    pub iterations: usize,
    /// Weights are stored as integers `round(weight * scale)`; larger keeps more weights.
    #[arg(long, default_value_t = pos::TrainConfig::default().scale)]
    pub scale: u32,
    /// Where to write the model.
    #[arg(long, short, default_value = "data/pos/model.bin")]
    pub output: PathBuf,
    /// Where to write the lemma exceptions derived from the training files' lemma column.
    #[arg(long)]
    pub lemmas: Option<PathBuf>,
    /// CoNLL-U files to report token accuracy on after training.
    #[arg(long)]
    pub eval: Vec<PathBuf>,
}

/// Trains, writes the model (and lemma list), then reports accuracy on `--eval` files.
pub fn run(args: &TrainPosArgs) -> anyhow::Result<()> {
    let mut texts = Vec::with_capacity(args.conllu.len());
    for path in &args.conllu {
        texts.push(
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
        );
    }
    let mut sentences = Vec::new();
    for (path, text) in args.conllu.iter().zip(&texts) {
        sentences
            .extend(pos::read_conllu(text).with_context(|| format!("parsing {}", path.display()))?);
    }
    let config = pos::TrainConfig {
        iterations: args.iterations,
        scale: args.scale,
        ..pos::TrainConfig::default()
    };
    let started = Instant::now();
    let model = pos::train(&sentences, &config);
    let bytes = model.to_bytes();
    eprintln!(
        "trained on {} sentences in {:.1}s: {} features, {} weights, {} bytes",
        sentences.len(),
        started.elapsed().as_secs_f64(),
        model.feature_count(),
        model.weight_count(),
        bytes.len()
    );
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    if let Some(path) = &args.lemmas {
        let table = pos::derive_exceptions(texts.iter().map(String::as_str));
        std::fs::write(path, table).with_context(|| format!("writing {}", path.display()))?;
    }
    for path in &args.eval {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let gold =
            pos::read_conllu(&text).with_context(|| format!("parsing {}", path.display()))?;
        let (correct, total) = pos::evaluate(&model, &gold);
        eprintln!(
            "{}: {correct}/{total} = {:.2}%",
            path.display(),
            100.0 * correct as f64 / total.max(1) as f64
        );
    }
    Ok(())
}
