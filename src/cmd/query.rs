//! `tkg query GRAPH <question>`: asks a JSON graph written by `tkg build` for neighbors,
//! a path, a timeline, events, central actors, counts or contradictions in the event order. Human tables by default, `--json`
//! for machines. An unknown or ambiguous name is an error (exit 2) listing the closest
//! names or the candidates; an empty answer is not an error (exit 0).

use super::Outcome;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use timeline_kg::events::EventType;
use timeline_kg::graph::{NodeKind, Relation};
use timeline_kg::query::{self, render, Index, Period, Window};

/// Flags of `tkg query`.
#[derive(clap::Args)]
pub struct Args {
    /// A JSON graph written by `tkg build`.
    graph: PathBuf,
    /// Print the answer as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    question: Question,
}

#[derive(clap::Subcommand)]
enum Question {
    /// The nodes linked to NAME (label, alias or id; any case), with relation and evidence.
    Neighbors {
        /// A label, alias or node id.
        name: String,
        /// Only this relation: agent, patient, participant, located_in, role, before.
        #[arg(long)]
        relation: Option<Relation>,
        /// Only neighbors of this kind: person, organization, location, event.
        #[arg(long)]
        kind: Option<NodeKind>,
    },
    /// The shortest connection between two names, each hop with relation and evidence.
    Path {
        /// Where the path starts.
        from: String,
        /// Where it ends.
        to: String,
        /// Longest path searched, in edges.
        #[arg(long, default_value_t = query::path::DEFAULT_MAX_HOPS)]
        max_hops: usize,
    },
    /// Events in date order (involving NAME if given), undated ones after.
    Timeline {
        /// Only events this name takes part in.
        name: Option<String>,
        /// Only events on or after this year, month or day (YYYY[-MM[-DD]]).
        #[arg(long)]
        from: Option<Period>,
        /// Only events on or before this year, month or day (YYYY[-MM[-DD]]).
        #[arg(long)]
        to: Option<Period>,
    },
    /// Who did what to whom: one row per event, in date order.
    Events {
        /// Only events of this type (statement, consult, agree, reject, ...).
        #[arg(long = "type")]
        event_type: Option<EventType>,
        /// Only events this name takes part in (as agent, patient or participant).
        #[arg(long)]
        actor: Option<String>,
        /// Only events on or after this year, month or day (YYYY[-MM[-DD]]).
        #[arg(long)]
        from: Option<Period>,
        /// Only events on or before this year, month or day (YYYY[-MM[-DD]]).
        #[arg(long)]
        to: Option<Period>,
    },
    /// The most connected people, organizations and places: degree and PageRank.
    Central {
        /// How many to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Counts by kind and relation, documents, date range.
    Stats,
    /// Ordering statements that contradict each other (the text against the dates, or a
    /// cycle of `before` edges), with their evidence.
    Contradictions,
}

/// How human output looks here: colour only on a terminal without `NO_COLOR`; the
/// terminal's width from `COLUMNS` when set, else 80.
pub fn style() -> render::Style {
    let terminal = std::io::stdout().is_terminal();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|&w| terminal && w >= 40)
        .unwrap_or(80);
    render::Style {
        width,
        color: terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Writes `value` as pretty JSON and a newline.
pub fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Prints `answer` as pretty JSON with `--json`, else as the table `text` writes.
fn show<T: serde::Serialize>(
    json: bool,
    answer: &T,
    text: impl Fn(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    super::write_output(None, |out: &mut dyn Write| {
        if json {
            write_json(out, answer)
        } else {
            text(out)
        }
    })
}

/// Runs `tkg query`.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let graph = timeline_kg::export::json::read(&args.graph)?;
    let outcome = answer(&graph, args);
    // Freeing a large graph node by node takes longer than most questions, and the
    // process is about to exit: leave it to the operating system.
    std::mem::forget(graph);
    outcome
}

fn answer(graph: &timeline_kg::graph::KnowledgeGraph, args: &Args) -> anyhow::Result<Outcome> {
    let index = Index::new(graph);
    let style = style();
    let json = args.json;
    match &args.question {
        Question::Neighbors {
            name,
            relation,
            kind,
        } => {
            let q = query::neighbors::NeighborQuery {
                relation: *relation,
                kind: *kind,
            };
            let r = query::neighbors::neighbors(&index, name, &q)?;
            show(json, &r, |out| render::write_neighbors(&r, out, &style))?;
        }
        Question::Path { from, to, max_hops } => {
            let r = query::path::path(&index, from, to, *max_hops)?;
            show(json, &r, |out| render::write_path(&r, out, &style))?;
        }
        Question::Timeline { name, from, to } => {
            let q = query::timeline::EventQuery {
                involving: name.clone(),
                window: Window::new(*from, *to)?,
                include_undated: true,
                ..Default::default()
            };
            let r = query::timeline::events(&index, &q)?;
            show(json, &r, |out| render::write_timeline(&r, out, &style))?;
        }
        Question::Events {
            event_type,
            actor,
            from,
            to,
        } => {
            let q = query::timeline::EventQuery {
                involving: actor.clone(),
                event_type: *event_type,
                window: Window::new(*from, *to)?,
                include_undated: true,
            };
            let r = query::timeline::events(&index, &q)?;
            show(json, &r, |out| render::write_timeline(&r, out, &style))?;
        }
        Question::Central { top } => {
            let r = query::central::central(&index, *top);
            show(json, &r, |out| render::write_central(&r, out, &style))?;
        }
        Question::Stats => {
            let r = query::stats::stats(&index);
            let contradictions = graph.contradictions().len();
            show(json, &r, |out| {
                render::write_stats(&r, out, &style)?;
                writeln!(out, "contradictions in the event order: {contradictions}")
            })?;
        }
        Question::Contradictions => {
            let r = graph.contradictions();
            show(json, &r, |out| {
                if r.is_empty() {
                    writeln!(out, "no contradictions in the event order")
                } else {
                    query::timeline::write_contradictions(&r, out)
                }
            })?;
        }
    }
    Ok(Outcome::Clean)
}
