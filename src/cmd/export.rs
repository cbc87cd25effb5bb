//! `tkg export` (placeholder until implemented).

use super::Outcome;

/// Flags of `tkg export`.
#[derive(clap::Args)]
pub struct Args {
    /// Arguments.
    args: Vec<String>,
}

/// Runs `tkg export`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let _ = &args.args;
    anyhow::bail!("tkg export is not implemented yet")
}
