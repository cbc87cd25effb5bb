//! `tkg export`: a JSON graph (from `tkg build`) in, another format out, or pushed into a
//! running FalkorDB server.

use super::{write_output, Outcome};
use anyhow::Context;
use std::io::IsTerminal;
use std::path::PathBuf;
use timeline_kg::export::falkordb::Target;
use timeline_kg::export::Format;

/// Flags of `tkg export`.
#[derive(clap::Args)]
pub struct Args {
    /// The graph, as written by `tkg build` (JSON).
    graph: PathBuf,
    /// Output format: json, dot, cypher, neo4j (a folder), ntriples, turtle, graphml, gexf.
    #[arg(short, long, value_parser = parse_format, required_unless_present = "falkordb")]
    format: Option<Format>,
    /// Output file (default: stdout), or folder for neo4j. Files are written atomically.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Push the graph into a running FalkorDB instead (idempotent):
    /// redis://[:PASSWORD@]HOST[:PORT]/GRAPH.
    #[arg(long, value_name = "URL", value_parser = parse_target, conflicts_with_all = ["format", "output"])]
    falkordb: Option<Target>,
    /// Seconds to wait for FalkorDB on each statement.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse().map_err(|e: timeline_kg::Error| e.to_string())
}

fn parse_target(s: &str) -> Result<Target, String> {
    s.parse().map_err(|e: timeline_kg::Error| e.to_string())
}

/// Runs `tkg export`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let graph = timeline_kg::export::json::read(&args.graph)?;
    if let Some(target) = &args.falkordb {
        return push(&graph, target, args.timeout);
    }
    let format = args.format.unwrap_or(Format::Json);
    if format.is_folder() {
        let Some(dir) = args.output.as_deref().filter(|p| p.as_os_str() != "-") else {
            anyhow::bail!(
                "the {} format writes a folder of files: give it with -o FOLDER",
                format.name()
            );
        };
        timeline_kg::export::write_to_path(&graph, format, dir)
            .with_context(|| format!("writing {}", dir.display()))?;
    } else {
        write_output(args.output.as_deref(), |out| {
            timeline_kg::export::write(&graph, format, out)
        })?;
    }
    Ok(Outcome::Clean)
}

fn push(
    graph: &timeline_kg::graph::KnowledgeGraph,
    target: &Target,
    timeout: u64,
) -> anyhow::Result<Outcome> {
    let tty = std::io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize| {
        if tty {
            let width = 30;
            let filled = (done * width)
                .checked_div(total)
                .unwrap_or(width)
                .min(width);
            eprint!(
                "\rpushing [{}{}] {done}/{total} statements",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            if done == total {
                eprintln!();
            }
        }
    };
    let timeout = std::time::Duration::from_secs(timeout.max(1));
    let stats = timeline_kg::export::falkordb::push(graph, target, timeout, &mut progress)
        .with_context(|| {
            format!(
                "pushing to FalkorDB at {}:{} graph {:?}",
                target.host, target.port, target.graph
            )
        })?;
    println!(
        "pushed {} statements to {}:{} graph {:?}: created {} nodes, {} relationships; set {} properties",
        stats.statements,
        target.host,
        target.port,
        target.graph,
        stats.nodes_created,
        stats.relationships_created,
        stats.properties_set
    );
    Ok(Outcome::Clean)
}
