//! One file per subcommand: its flags and its `run`.

pub mod build;
pub mod eval;
pub mod export;
pub mod extract;
pub mod query;
pub mod timeline;
pub mod train_ner;
pub mod train_pos;

use std::path::{Path, PathBuf};

/// How a command ended when it did not fail outright.
pub enum Outcome {
    /// Everything was processed.
    Clean,
    /// This many inputs were skipped with an error message; the rest went through.
    SomeFailed(usize),
}

/// Flags shared by the commands that read documents.
#[derive(clap::Args)]
pub struct InputArgs {
    /// Articles: .txt/.md files, .jsonl/.json document files, folders, or `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) for documents that carry none.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
    /// Refuse documents larger than this many bytes.
    #[arg(long, default_value_t = timeline_kg::input::DEFAULT_MAX_DOC_BYTES)]
    pub max_doc_bytes: usize,
    /// Stop at the first bad document instead of skipping it.
    #[arg(long)]
    pub strict: bool,
}

impl InputArgs {
    /// The library's input configuration.
    pub fn config(&self) -> timeline_kg::input::InputConfig {
        timeline_kg::input::InputConfig {
            default_date: self.date,
            max_doc_bytes: self.max_doc_bytes,
        }
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    timeline_kg::input::parse_date(s).map_err(|e| e.to_string())
}

/// Writes to `output` atomically, or to stdout when it is `None` or `-`.
pub fn write_output<F>(output: Option<&Path>, write: F) -> anyhow::Result<()>
where
    F: FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
{
    match output {
        Some(p) if p.as_os_str() != "-" => Ok(timeline_kg::output::write_atomically(p, write)?),
        _ => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            write(&mut lock)?;
            std::io::Write::flush(&mut lock)?;
            Ok(())
        }
    }
}
