//! `tkg eval`: scores the pipeline against annotated documents (the gold format of
//! `shared/gold/FORMAT.md`), printing the figures `score.py` prints for the same files.

use super::Outcome;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;
use timeline_kg::eval::{score_document, Counts, EvalConfig};

/// Flags of `tkg eval`.
#[derive(clap::Args)]
pub struct Args {
    /// Gold JSON Lines file (id, text, dct, entities, timexes, events).
    #[arg(long)]
    gold: PathBuf,
    /// System annotations (`tkg extract` output); default: run the pipeline on the gold texts.
    system: Option<PathBuf>,
    /// Keep only gold entities of these syntactic types, e.g. `NAM,PRE.NAM`.
    #[arg(long, value_delimiter = ',')]
    entity_syntactic: Option<Vec<String>>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn read_lines(path: &PathBuf) -> anyhow::Result<Vec<serde_json::Value>> {
    let file = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v = serde_json::from_str(&line)
            .map_err(|e| anyhow::anyhow!("{}:{}: malformed JSON: {e}", path.display(), n + 1))?;
        out.push(v);
    }
    Ok(out)
}

/// Runs `tkg eval`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let gold = read_lines(&args.gold)?;
    let system: Vec<serde_json::Value> = match &args.system {
        Some(p) => read_lines(p)?,
        None => {
            let mut lines = Vec::new();
            let mut failed = 0;
            timeline_kg::corpus::for_each_annotated(
                std::slice::from_ref(&args.gold),
                &Default::default(),
                |item| match item {
                    Ok(a) => {
                        let mut buf = Vec::new();
                        if timeline_kg::annotations::write_line(&a, &mut buf).is_ok() {
                            if let Ok(v) = serde_json::from_slice(&buf) {
                                lines.push(v);
                            }
                        }
                    }
                    Err(e) => {
                        eprintln!("tkg: {e}");
                        failed += 1;
                    }
                },
            );
            if failed > 0 {
                anyhow::bail!("{failed} gold document(s) could not be read");
            }
            lines
        }
    };
    let by_id: std::collections::HashMap<&str, &serde_json::Value> = system
        .iter()
        .filter_map(|d| Some((d.get("id")?.as_str()?, d)))
        .collect();
    let config = EvalConfig {
        entity_syntactic: args.entity_syntactic.clone(),
    };
    let empty = serde_json::json!({});
    let mut totals: BTreeMap<&'static str, Counts> = BTreeMap::new();
    for g in &gold {
        let id = g.get("id").and_then(|v| v.as_str()).unwrap_or("");
        let s = by_id.get(id).copied().unwrap_or(&empty);
        score_document(g, s, &config, &mut totals);
    }
    if args.json {
        let out: BTreeMap<&str, serde_json::Value> = totals
            .iter()
            .map(|(k, c)| (*k, serde_json::json!({"p": c.precision(), "r": c.recall(), "f1": c.f1(), "tp": c.matched, "n_gold": c.gold, "n_sys": c.system})))
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "{:<22} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
            "metric", "P", "R", "F1", "tp", "gold", "sys"
        );
        for (k, c) in &totals {
            println!(
                "{:<22} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6} {:>6}",
                k,
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1(),
                c.matched,
                c.gold,
                c.system
            );
        }
    }
    Ok(Outcome::Clean)
}
