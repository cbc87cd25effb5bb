//! `tkg build`: articles in, one graph out.

use super::{InputArgs, Outcome};
use std::path::PathBuf;

/// Flags of `tkg build`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Output file (default: stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Runs `tkg build`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let _ = args;
    anyhow::bail!("not yet")
}
