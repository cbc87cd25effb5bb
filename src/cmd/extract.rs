//! `tkg extract`: per-document annotations as JSON Lines, in the format of
//! `shared/gold/FORMAT.md` (so `score.py` scores it) plus what `tkg build` needs to turn
//! the file into a graph later. Stateless: usable as a map step on any engine.

use super::{write_output, InputArgs, Outcome};
use std::path::PathBuf;

/// Flags of `tkg extract`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Output file (default: stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// User dictionary (JSON, JSON Lines or CSV; repeatable) whose names override the
    /// automatic entity mentions. See docs/dictionary.md.
    #[arg(long = "dict", value_name = "FILE")]
    dicts: Vec<PathBuf>,
}

/// Runs `tkg extract`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let dict = if args.dicts.is_empty() {
        None
    } else {
        Some(timeline_kg::dict::Dictionary::load(&args.dicts)?)
    };
    let mut failed = 0;
    let mut fatal = None;
    write_output(args.output.as_deref(), |out| {
        let mut result = Ok(());
        let config = args.input.config();
        timeline_kg::corpus::for_each_annotated_with(
            &args.input.inputs,
            &config,
            dict.as_ref(),
            |item| {
                if result.is_err() || fatal.is_some() {
                    return;
                }
                match item {
                    Ok(a) => result = timeline_kg::annotations::write_line(&a, out),
                    Err(e) => {
                        eprintln!("tkg: {e}");
                        failed += 1;
                        if args.input.strict {
                            fatal = Some(e);
                        }
                    }
                }
            },
        );
        result
    })?;
    if let Some(e) = fatal {
        return Err(anyhow::anyhow!(e).context("stopped at the first bad document (--strict)"));
    }
    Ok(if failed == 0 {
        Outcome::Clean
    } else {
        Outcome::SomeFailed(failed)
    })
}
