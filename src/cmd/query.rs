//! `tkg query` (placeholder until implemented).

use super::Outcome;

/// Flags of `tkg query`.
#[derive(clap::Args)]
pub struct Args {
    /// Arguments.
    args: Vec<String>,
}

/// Runs `tkg query`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let _ = &args.args;
    anyhow::bail!("tkg query is not implemented yet")
}
