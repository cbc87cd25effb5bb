//! `tkg`: the command-line front end. Parses flags, turns them into library configuration
//! and calls `timeline_kg`; all the work is in the library.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Turn news articles into an event-timeline knowledge graph.
#[derive(Parser)]
#[command(name = "tkg", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a graph from articles (text, JSON Lines, folders, `-` for stdin).
    Build(cmd::build::Args),
    /// Write per-document annotations as JSON Lines (entities, timexes, events).
    Extract(cmd::extract::Args),
    /// Convert a JSON graph to another format (cypher, neo4j, ntriples, turtle, graphml, gexf),
    /// or push it into FalkorDB (`tkg push GRAPH --falkordb URL`).
    #[command(alias = "push")]
    Export(cmd::export::Args),
    /// Ask a JSON graph: neighbors, path, timeline, events, central, stats.
    Query(cmd::query::Args),
    /// The dated events of articles or a graph, in order.
    Timeline(cmd::timeline::Args),
    /// Score the pipeline against annotated documents (entities, timexes, events).
    Eval(cmd::eval::Args),
    /// Train the part-of-speech tagger on CoNLL-U files (rebuilds data/pos/).
    TrainPos(cmd::train_pos::TrainPosArgs),
    /// Train the statistical entity tagger on Universal NER and GUM (rebuilds data/ner/).
    TrainNer(cmd::train_ner::TrainNerArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Extract(args) => cmd::extract::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Query(args) => cmd::query::run(args),
        Command::Timeline(args) => cmd::timeline::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::TrainPos(args) => cmd::train_pos::run(args).map(|()| cmd::Outcome::Clean),
        Command::TrainNer(args) => cmd::train_ner::run(args).map(|()| cmd::Outcome::Clean),
    };
    match result {
        Ok(cmd::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(cmd::Outcome::SomeFailed(n)) => {
            eprintln!("tkg: {n} input(s) failed; the rest was processed");
            ExitCode::from(1)
        }
        Err(err) => {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("tkg: {}", error_chain(&err));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, joined by `: `, leaving out a cause whose words the message
/// before it already quotes: the library's errors name their source in their own text, so
/// anyhow's `{:#}` would print it twice.
fn error_chain(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}
