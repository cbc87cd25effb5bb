//! `tkg build`: articles (or `tkg extract` annotation files) in, one graph out.

use super::{write_output, InputArgs, Outcome};
use std::path::PathBuf;
use timeline_kg::export::Format;

/// Flags of `tkg build`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Output format: json, dot, cypher, neo4j (a folder), ntriples, turtle, graphml, gexf.
    #[arg(short, long, default_value = "json", value_parser = parse_format)]
    format: Format,
    /// Output file (default: stdout, or the --into graph). Written atomically.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Add the inputs to this JSON graph (replaced atomically once the update completes;
    /// documents already in it are skipped).
    #[arg(long, value_name = "GRAPH")]
    into: Option<PathBuf>,
    /// User dictionary (JSON, JSON Lines or CSV; repeatable): names, kinds, aliases,
    /// external ids, names to ignore, joins to undo. See docs/dictionary.md.
    #[arg(long = "dict", value_name = "FILE")]
    dicts: Vec<PathBuf>,
    /// Print why names were joined (the merge log of every entity) to stderr.
    #[arg(long)]
    explain: bool,
    /// Keep mentions and evidence in temporary files (TMPDIR) instead of RAM: the same
    /// JSON, peak memory far below the corpus size. JSON output without --into, --dict or
    /// --explain only (otherwise ignored).
    #[arg(long)]
    low_memory: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse().map_err(|e: timeline_kg::Error| e.to_string())
}

/// Runs `tkg build`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    if args.into.is_some() && args.output.is_none() && args.format != Format::Json {
        anyhow::bail!(
            "--into keeps a JSON graph: use -f json, or -o to write another format elsewhere"
        );
    }
    // A graph given with --into that does not exist yet starts empty.
    let base = match &args.into {
        Some(path) if path.exists() => Some(timeline_kg::export::json::read(path)?),
        _ => None,
    };
    let dict = if args.dicts.is_empty() {
        None
    } else {
        Some(timeline_kg::dict::Dictionary::load(&args.dicts)?)
    };
    let config = args.input.config();
    let plain = args.format == Format::Json && args.into.is_none() && dict.is_none();
    if args.low_memory && plain && !args.explain {
        return low_memory(args, &config);
    }
    let report = timeline_kg::corpus::grow_with(
        base.as_ref(),
        &args.input.inputs,
        &config,
        args.input.strict,
        dict.as_ref(),
    )?;
    if args.explain {
        explain(&report.graph);
    }
    for e in &report.errors {
        eprintln!("tkg: {e}");
    }
    // Re-adding documents a grown graph has is the documented `--into` behaviour; a repeat
    // within this run's inputs is a problem of the input: named, and it makes the exit 1.
    let mut repeated = 0;
    for d in &report.duplicates {
        let (id, origin) = (&d.id, &d.origin);
        if d.in_base {
            eprintln!(
                "tkg: document {id:?} is already in the graph (same id or same text); skipped"
            );
        } else {
            repeated += 1;
            eprintln!(
                "tkg: {origin}: document {id:?} is already in the graph (same id or same text); skipped"
            );
        }
    }
    if report.graph.documents.is_empty() && !report.errors.is_empty() {
        anyhow::bail!("no document could be read");
    }
    let contradictions = report.graph.contradictions().len();
    if contradictions > 0 {
        eprintln!(
            "tkg: warning: {contradictions} contradiction(s) in the event order, kept in the graph (tkg query GRAPH contradictions)"
        );
    }
    let output = args.output.as_deref().or(args.into.as_deref());
    match output {
        Some(dir) if args.format.is_folder() && dir.as_os_str() != "-" => {
            timeline_kg::export::write_to_path(&report.graph, args.format, dir)?
        }
        _ if args.format.is_folder() => {
            anyhow::bail!(
                "the {} format writes a folder of files: give it with -o FOLDER",
                args.format.name()
            )
        }
        _ => write_output(output, |out| {
            timeline_kg::export::write(&report.graph, args.format, out)
        })?,
    }
    let failed = report.errors.len() + repeated;
    // The outputs are written and the process is about to exit: freeing millions of small
    // strings one by one costs 4-8% of a large build, and the OS reclaims the pages at once.
    std::mem::forget(report);
    std::mem::forget(base);
    Ok(if failed == 0 {
        Outcome::Clean
    } else {
        Outcome::SomeFailed(failed)
    })
}

/// Prints the merge log: one line per join, `explain: LABEL [ID]: WHY`.
fn explain(graph: &timeline_kg::graph::KnowledgeGraph) {
    use std::io::Write;
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for n in graph.nodes() {
        for m in &n.merges {
            // Nothing useful to do if stderr is gone.
            let _ = writeln!(err, "explain: {} [{}]: {m}", n.label, n.id);
        }
    }
}

/// Makes glibc serve every allocation of 128 KiB or more with its own mapping, returned to
/// the system when freed. By default glibc raises that threshold after the first such block
/// is freed, so later large blocks (record buckets, the writer's buffers) come from the heap
/// and stay resident once freed: 3.8 MB of a 29 MB peak on a 50 MB corpus, for the same time.
fn fixed_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets glibc's allocation policy (this is its documented default
    // value, made fixed); it takes the allocator's lock and has no other precondition.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// `tkg build --low-memory`: the fold spills mentions to temporary files, the JSON is
/// streamed from them.
fn low_memory(args: &Args, config: &timeline_kg::input::InputConfig) -> anyhow::Result<Outcome> {
    fixed_mmap_threshold();
    let spilled = timeline_kg::spill::build(&args.input.inputs, config, args.input.strict)?;
    for e in &spilled.errors {
        eprintln!("tkg: {e}");
    }
    for d in &spilled.duplicates {
        let (id, origin) = (&d.id, &d.origin);
        eprintln!("tkg: {origin}: document {id:?} is already in the graph (same id or same text); skipped");
    }
    if spilled.document_count() == 0 && !spilled.errors.is_empty() {
        anyhow::bail!("no document could be read");
    }
    let mut contradictions = 0;
    write_output(args.output.as_deref(), |out| {
        contradictions = spilled.write_json(out)?;
        Ok(())
    })?;
    if contradictions > 0 {
        eprintln!(
            "tkg: warning: {contradictions} contradiction(s) in the event order, kept in the graph (tkg query GRAPH contradictions)"
        );
    }
    let failed = spilled.errors.len() + spilled.duplicates.len();
    Ok(if failed == 0 {
        Outcome::Clean
    } else {
        Outcome::SomeFailed(failed)
    })
}
