//! `tkg timeline INPUT...`: the dated events of a graph, or of articles (built in memory),
//! one line each in date order: date, type, who, what, whom, evidence. Undated events the
//! text orders against them ("after the ceasefire") stand where the text puts them, and
//! the table is followed by what placed them and by the contradictions in the event order
//! (a count on stderr for the other formats). `--format json` gives the rows as JSON,
//! `--format timelinejs` a TimelineJS3 document.

use super::{write_output, InputArgs, Outcome};
use std::io::Read;
use std::path::{Path, PathBuf};
use timeline_kg::query::{self, render, Index, Period, Window};

/// Output formats of `tkg timeline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TimelineFormat {
    /// An aligned table.
    Text,
    /// The rows as JSON.
    Json,
    /// A TimelineJS3 document.
    Timelinejs,
}

/// Flags of `tkg timeline`.
#[derive(clap::Args)]
pub struct Args {
    /// A JSON graph written by `tkg build`, or articles (as for `tkg build`).
    #[command(flatten)]
    input: InputArgs,
    /// Only events this name (label, alias or id) takes part in.
    #[arg(long)]
    entity: Option<String>,
    /// Only events on or after this year, month or day (YYYY[-MM[-DD]]).
    #[arg(long)]
    from: Option<Period>,
    /// Only events on or before this year, month or day (YYYY[-MM[-DD]]).
    #[arg(long)]
    to: Option<Period>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TimelineFormat::Text)]
    format: TimelineFormat,
    /// Output file (default: stdout). Written atomically.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// True when `path` is a file that opens like a graph written by `tkg build`: a JSON
/// object whose first kilobytes name the `timeline-kg/graph` schema.
fn is_graph_file(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(4096);
    if file.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start();
    text.starts_with('{')
        && text.contains(&format!("\"{}\"", timeline_kg::export::json::SCHEMA))
        && text.contains("\"schema\"")
}

/// Runs `tkg timeline`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let inputs = &args.input.inputs;
    let graphs = inputs.iter().filter(|p| is_graph_file(p)).count();
    let mut failed = 0;
    let graph = if graphs == 0 {
        let report = timeline_kg::corpus::build(inputs, &args.input.config(), args.input.strict)?;
        for e in &report.errors {
            eprintln!("tkg: {e}");
        }
        if report.graph.documents.is_empty() && !report.errors.is_empty() {
            anyhow::bail!("no document could be read");
        }
        failed = report.errors.len();
        report.graph
    } else if graphs == 1 && inputs.len() == 1 {
        timeline_kg::export::json::read(&inputs[0])?
    } else {
        anyhow::bail!(
            "give one graph file, or articles only ({graphs} of the {} inputs are graphs)",
            inputs.len()
        );
    };
    let index = Index::new(&graph);
    let q = query::timeline::EventQuery {
        involving: args.entity.clone(),
        window: Window::new(args.from, args.to)?,
        include_undated: false,
        ..Default::default()
    };
    let timeline = query::timeline::placed_events(&index, &q)?;
    let mut style = super::query::style();
    if args.output.as_deref().is_some_and(|p| p.as_os_str() != "-") {
        style.color = false;
    }
    let shown: std::collections::BTreeSet<&str> =
        timeline.events.iter().map(|e| e.id.as_str()).collect();
    let contradictions: Vec<_> = graph
        .contradictions()
        .into_iter()
        .filter(|c| {
            c.claims
                .iter()
                .any(|k| shown.contains(k.before.as_str()) || shown.contains(k.after.as_str()))
        })
        .collect();
    if args.format != TimelineFormat::Text && !contradictions.is_empty() {
        eprintln!(
            "tkg: warning: {} contradiction(s) in the event order (see `tkg timeline` text output)",
            contradictions.len()
        );
    }
    write_output(args.output.as_deref(), |out| match args.format {
        TimelineFormat::Text => {
            render::write_timeline(&timeline, out, &style)?;
            let placed: Vec<_> = timeline
                .events
                .iter()
                .filter_map(|e| Some((e, e.placed.as_ref()?)))
                .collect();
            if !placed.is_empty() {
                writeln!(out, "placed by the text:")?;
                for (e, hint) in placed {
                    writeln!(out, "  {} ({}): {}", e.trigger, e.id, hint.describe())?;
                }
            }
            query::timeline::write_contradictions(&contradictions, out)
        }
        TimelineFormat::Json => super::query::write_json(out, &timeline),
        TimelineFormat::Timelinejs => {
            let title = timeline.subject.as_ref().map(|s| s.label.as_str());
            super::query::write_json(out, &render::timelinejs(&timeline, title))
        }
    })?;
    Ok(if failed == 0 {
        Outcome::Clean
    } else {
        Outcome::SomeFailed(failed)
    })
}
