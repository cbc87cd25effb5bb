//! `tkg build`: articles (or `tkg extract` annotation files) in, one graph out.

use super::{write_output, InputArgs, Outcome};
use std::path::PathBuf;
use timeline_kg::export::Format;

/// Flags of `tkg build`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Output format: json or dot.
    #[arg(short, long, default_value = "json", value_parser = parse_format)]
    format: Format,
    /// Output file (default: stdout). Written atomically.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse().map_err(|e: timeline_kg::Error| e.to_string())
}

/// Runs `tkg build`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let report =
        timeline_kg::corpus::build(&args.input.inputs, &args.input.config(), args.input.strict)?;
    for e in &report.errors {
        eprintln!("tkg: {e}");
    }
    for id in &report.duplicates {
        eprintln!("tkg: document id {id:?} seen before; later copy skipped");
    }
    write_output(args.output.as_deref(), |out| {
        timeline_kg::export::write(&report.graph, args.format, out)
    })?;
    if report.graph.documents.is_empty() && !report.errors.is_empty() {
        anyhow::bail!("no document could be read");
    }
    let failed = report.errors.len();
    Ok(if failed == 0 {
        Outcome::Clean
    } else {
        Outcome::SomeFailed(failed)
    })
}
