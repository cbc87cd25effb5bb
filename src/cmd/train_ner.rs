//! `tkg train-ner`: trains the statistical entity tagger on Universal NER (IOB2) and GUM
//! (CoNLL-U) files and writes the weights that ship in `data/ner/model.bin`.

use anyhow::Context;
use std::path::PathBuf;
use std::time::Instant;
use timeline_kg::entities;

/// Arguments of `tkg train-ner`.
#[derive(Debug, clap::Args)]
pub struct TrainNerArgs {
    /// Universal NER files (`*.iob2`).
    #[arg(long)]
    pub iob2: Vec<PathBuf>,
    /// GUM CoNLL-U files with `Entity=` annotations.
    #[arg(long)]
    pub gum: Vec<PathBuf>,
    /// Passes over the training data.
    #[arg(long, default_value_t = entities::NerTrainConfig::default().iterations)]
    pub iterations: usize,
    /// Weights are stored as integers `round(weight * scale)`.
    #[arg(long, default_value_t = entities::NerTrainConfig::default().scale)]
    pub scale: u32,
    /// Drop features whose largest stored weight is below this.
    #[arg(long, default_value_t = entities::NerTrainConfig::default().min_weight)]
    pub min_weight: i16,
    /// Train without gazetteer features (for ablation).
    #[arg(long)]
    pub no_gazetteer: bool,
    /// Train without the rules' output as features (a tagger on its own).
    #[arg(long)]
    pub no_stack: bool,
    /// Hold out every N-th document and report name F1 on it (0: train on everything).
    #[arg(long, default_value_t = 0)]
    pub holdout: usize,
    /// Where to write the model.
    #[arg(long, short, default_value = "data/ner/model.bin")]
    pub output: PathBuf,
}

/// Reads the corpora, trains, writes the model and reports its size.
pub fn run(args: &TrainNerArgs) -> anyhow::Result<()> {
    let mut docs = Vec::new();
    for path in &args.iob2 {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        docs.extend(
            entities::read_iob2(&text).with_context(|| format!("parsing {}", path.display()))?,
        );
    }
    for path in &args.gum {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        docs.push(
            entities::read_gum(&text).with_context(|| format!("parsing {}", path.display()))?,
        );
    }
    let (train, test): (Vec<_>, Vec<_>) = docs
        .into_iter()
        .enumerate()
        .partition(|(i, _)| args.holdout == 0 || i % args.holdout != 0);
    let train: Vec<_> = train.into_iter().map(|(_, d)| d).collect();
    let test: Vec<_> = test.into_iter().map(|(_, d)| d).collect();
    let config = entities::NerTrainConfig {
        iterations: args.iterations,
        scale: args.scale,
        min_weight: args.min_weight,
        use_gazetteer: !args.no_gazetteer,
        stacked: !args.no_stack,
        ..entities::NerTrainConfig::default()
    };
    let started = Instant::now();
    let model = entities::train_ner(&train, &config);
    let bytes = model.to_bytes();
    eprintln!(
        "trained on {} documents ({} tokens) in {:.1}s: {} features, {} bytes",
        train.len(),
        train.iter().map(entities::NerDoc::len).sum::<usize>(),
        started.elapsed().as_secs_f64(),
        model.feature_count(),
        bytes.len()
    );
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    if !test.is_empty() {
        let (tp, sys, gold) = entities::evaluate_ner(&model, &test);
        let p = tp as f64 / sys.max(1) as f64;
        let r = tp as f64 / gold.max(1) as f64;
        eprintln!(
            "held out {} documents: P {:.1} R {:.1} F1 {:.1} ({tp}/{sys}/{gold})",
            test.len(),
            100.0 * p,
            100.0 * r,
            200.0 * p * r / (p + r).max(1e-9)
        );
    }
    Ok(())
}
