//! `tkg timeline` (placeholder until implemented).

use super::Outcome;

/// Flags of `tkg timeline`.
#[derive(clap::Args)]
pub struct Args {
    /// Arguments.
    args: Vec<String>,
}

/// Runs `tkg timeline`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let _ = &args.args;
    anyhow::bail!("tkg timeline is not implemented yet")
}
