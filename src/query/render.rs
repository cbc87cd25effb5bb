//! Human output of query results: aligned tables that fit the terminal width (the longest
//! columns, usually the evidence, are shortened with an ellipsis), dates first in
//! timelines; and TimelineJS3 JSON for web timelines. Writers take any [`Write`] and are
//! pure: the same result and style give the same bytes. Control characters in the data are
//! shown as spaces, so a sentence cannot break a row or send escape codes to a terminal.

use super::central::Central;
use super::neighbors::Neighbors;
use super::path::PathResult;
use super::stats::Stats;
use super::timeline::{EventRow, Timeline};
use super::{Direction, NodeRef};
use crate::graph::Relation;
use chrono::{Datelike, NaiveDate};
use std::io::{self, Write};

/// How human output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Columns available; tables shrink their widest columns to fit.
    pub width: usize,
    /// Bold headers and dimmed notes with ANSI codes.
    pub color: bool,
}

impl Default for Style {
    /// 80 columns, no colour.
    fn default() -> Style {
        Style {
            width: 80,
            color: false,
        }
    }
}

/// Narrowest a shrunk column gets.
const MIN_COLUMN: usize = 6;
/// Name columns are cut to this width before the evidence column gives up anything.
const NAME_CAP: usize = 16;
/// Link columns (`<-role "chief executive"-`) are cut to this width first.
const LINK_CAP: usize = 26;
/// The evidence column keeps this width before name columns go below [`NAME_CAP`].
const EVIDENCE_MIN: usize = 24;
const GAP: &str = "  ";

struct Row {
    cells: Vec<String>,
    /// Words the evidence cell (the last) is centred on when it must be shortened.
    focus: Vec<String>,
    dim: bool,
}

struct Table {
    header: Vec<&'static str>,
    right: Vec<bool>,
    /// Columns that keep their full width (dates, numbers).
    fixed: Vec<bool>,
    /// Soft maximum of each column: the first to be cut when the table is too wide.
    cap: Vec<usize>,
    /// The last column holds evidence: it gives way after the capped columns.
    evidence: bool,
    rows: Vec<Row>,
}

impl Table {
    fn new(header: &[&'static str]) -> Table {
        Table {
            header: header.to_vec(),
            right: vec![false; header.len()],
            fixed: vec![false; header.len()],
            cap: vec![usize::MAX; header.len()],
            evidence: false,
            rows: Vec::new(),
        }
    }

    fn right_aligned(mut self, column: usize) -> Table {
        self.right[column] = true;
        self.fixed[column] = true;
        self
    }

    fn fixed(mut self, column: usize) -> Table {
        self.fixed[column] = true;
        self
    }

    fn capped(mut self, column: usize, cap: usize) -> Table {
        self.cap[column] = cap;
        self
    }

    fn with_evidence(mut self) -> Table {
        self.evidence = true;
        self
    }

    fn push(&mut self, cells: Vec<String>, dim: bool) {
        self.push_focused(cells, Vec::new(), dim);
    }

    fn push_focused(&mut self, cells: Vec<String>, focus: Vec<String>, dim: bool) {
        self.rows.push(Row {
            cells: cells.iter().map(|c| clean(c)).collect(),
            focus,
            dim,
        });
    }

    fn widths(&self, available: usize) -> Vec<usize> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, c) in widths.iter_mut().zip(&row.cells) {
                *w = (*w).max(c.chars().count());
            }
        }
        let last = widths.len().saturating_sub(1);
        let gaps = GAP.len() * last;
        let mut total: usize = widths.iter().sum::<usize>() + gaps;
        // Cut, one character at a time and widest first: columns above their cap, then the
        // evidence down to its minimum, then the other columns, then the evidence again.
        let is_evidence = |i: usize| self.evidence && i == last;
        let phases: [&dyn Fn(usize, usize) -> bool; 4] = [
            &|i, w| !is_evidence(i) && w > self.cap[i],
            &|i, w| is_evidence(i) && w > EVIDENCE_MIN,
            &|i, w| !is_evidence(i) && w > MIN_COLUMN,
            &|_, w| w > MIN_COLUMN,
        ];
        for may_shrink in phases {
            while total > available {
                let widest = (0..widths.len())
                    .filter(|&i| !self.fixed[i] && may_shrink(i, widths[i]))
                    .max_by_key(|&i| (widths[i], i));
                let Some(i) = widest else { break };
                widths[i] -= 1;
                total -= 1;
            }
        }
        widths
    }

    fn write(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        let widths = self.widths(style.width);
        let header: Vec<String> = self.header.iter().map(|h| h.to_string()).collect();
        let (bold, dim, reset) = if style.color {
            ("\x1b[1m", "\x1b[2m", "\x1b[0m")
        } else {
            ("", "", "")
        };
        self.line(out, &header, &[], &widths, bold, reset)?;
        for row in &self.rows {
            let (on, off) = if row.dim { (dim, reset) } else { ("", "") };
            self.line(out, &row.cells, &row.focus, &widths, on, off)?;
        }
        Ok(())
    }

    fn line(
        &self,
        out: &mut dyn Write,
        cells: &[String],
        focus: &[String],
        widths: &[usize],
        on: &str,
        off: &str,
    ) -> io::Result<()> {
        let mut text = String::new();
        let last = cells.len().saturating_sub(1);
        for (i, (cell, &w)) in cells.iter().zip(widths).enumerate() {
            let shown = if i == last && self.evidence {
                shorten_around(cell, focus, w)
            } else {
                shorten(cell, w)
            };
            let pad = w.saturating_sub(shown.chars().count());
            if i > 0 {
                text.push_str(GAP);
            }
            if self.right[i] {
                text.extend(std::iter::repeat_n(' ', pad));
                text.push_str(&shown);
            } else {
                text.push_str(&shown);
                if i != last {
                    text.extend(std::iter::repeat_n(' ', pad));
                }
            }
        }
        writeln!(out, "{on}{}{off}", text.trim_end())
    }
}

/// `text` cut to `width` characters around the first of `focus` found in it (ignoring
/// case), with an ellipsis on each side that was cut; from the start when none is found.
pub fn shorten_around(text: &str, focus: &[String], width: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width || width < 3 {
        return shorten(text, width);
    }
    // One lowercase char per char keeps positions aligned with `chars`.
    let lower = |c: &char| c.to_lowercase().next().unwrap_or(*c);
    let hay: Vec<char> = chars.iter().map(lower).collect();
    let found = focus.iter().filter(|f| !f.trim().is_empty()).find_map(|f| {
        let needle: Vec<char> = f.trim().chars().map(|c| lower(&c)).collect();
        hay.windows(needle.len())
            .position(|w| w == needle.as_slice())
    });
    let Some(at) = found else {
        return shorten(text, width);
    };
    let lead = width / 3;
    if at <= lead {
        return shorten(text, width);
    }
    let mut begin = at - lead;
    // Start on a word: back to the start of the cut word when it is near, else forward.
    if !chars[begin - 1].is_whitespace() {
        let reach = begin.saturating_sub(lead);
        let back = chars[reach..begin].iter().rposition(|c| c.is_whitespace());
        match back {
            Some(i) => begin = reach + i + 1,
            None => {
                if let Some(i) = chars[begin..at].iter().position(|c| c.is_whitespace()) {
                    begin += i + 1;
                }
            }
        }
    }
    let mut out = String::from("\u{2026}");
    if chars.len() - begin < width {
        begin = chars.len() + 1 - width;
        out.extend(&chars[begin..]);
    } else {
        out.extend(&chars[begin..begin + width - 2]);
        let kept = out.trim_end().len();
        out.truncate(kept);
        out.push('\u{2026}');
    }
    out
}

/// Control characters (newlines, tabs, escapes) become spaces.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text` cut to `width` characters, the last one an ellipsis when anything was cut.
pub fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut s: String = text.chars().take(width - 1).collect();
    let trimmed = s.trim_end().len();
    s.truncate(trimmed);
    s.push('\u{2026}');
    s
}

fn names(nodes: &[NodeRef]) -> String {
    if nodes.is_empty() {
        return "-".into();
    }
    nodes
        .iter()
        .map(|n| n.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn named(n: &NodeRef) -> String {
    format!("{} ({})", n.label, n.id)
}

/// `-agent->` or `<-agent-`, with the title of role edges.
fn link(relation: Relation, title: Option<&str>, forward: bool) -> String {
    let label = match title {
        Some(t) => format!("{} \"{t}\"", relation.as_str()),
        None => relation.as_str().to_string(),
    };
    if forward {
        format!("-{label}->")
    } else {
        format!("<-{label}-")
    }
}

/// Words to centre evidence on: each node's label, and for events (labelled "date
/// trigger") the trigger alone.
fn focus(nodes: &[&NodeRef]) -> Vec<String> {
    let mut words = Vec::new();
    for n in nodes {
        words.push(n.label.clone());
        if let Some(last) = n.label.split_whitespace().last() {
            words.push(last.to_string());
        }
    }
    words
}

fn sentence(e: Option<&crate::resolve::Evidence>) -> String {
    e.map_or_else(String::new, |e| e.sentence.trim().to_string())
}

/// The neighbors table: link, neighbor, kind, evidence.
pub fn write_neighbors(r: &Neighbors, out: &mut dyn Write, style: &Style) -> io::Result<()> {
    if r.neighbors.is_empty() {
        return writeln!(out, "{}: no neighbors match", named(&r.node));
    }
    writeln!(out, "{}: {} neighbor(s)", named(&r.node), r.neighbors.len())?;
    let mut t = Table::new(&["LINK", "NEIGHBOR", "KIND", "EVIDENCE"])
        .capped(0, LINK_CAP)
        .capped(1, NAME_CAP)
        .fixed(2)
        .with_evidence();
    for n in &r.neighbors {
        t.push_focused(
            vec![
                link(
                    n.relation,
                    n.title.as_deref(),
                    n.direction == Direction::Out,
                ),
                n.node.label.clone(),
                n.node.kind.as_str().into(),
                sentence(n.evidence.as_ref()),
            ],
            focus(&[&n.node, &r.node]),
            false,
        );
    }
    t.write(out, style)
}

/// The path as one row per hop.
pub fn write_path(r: &PathResult, out: &mut dyn Write, style: &Style) -> io::Result<()> {
    let Some(hops) = &r.hops else {
        return writeln!(
            out,
            "no connection between {} and {} within {} hop(s)",
            named(&r.from),
            named(&r.to),
            r.max_hops
        );
    };
    writeln!(
        out,
        "{} to {}: {} hop(s)",
        named(&r.from),
        named(&r.to),
        hops.len()
    )?;
    if hops.is_empty() {
        return Ok(());
    }
    let mut t = Table::new(&["FROM", "LINK", "TO", "EVIDENCE"])
        .capped(0, NAME_CAP)
        .capped(1, LINK_CAP)
        .capped(2, NAME_CAP)
        .with_evidence();
    for h in hops {
        t.push_focused(
            vec![
                h.from.label.clone(),
                link(h.relation, h.title.as_deref(), h.forward),
                h.to.label.clone(),
                sentence(h.evidence.as_ref()),
            ],
            focus(&[&h.to, &h.from]),
            false,
        );
    }
    t.write(out, style)
}

/// "Agents trigger patients", leaving out the parts the event lacks.
fn who_what_whom(e: &EventRow) -> String {
    let mut whom = e.patients.clone();
    whom.extend(e.participants.iter().cloned());
    let mut parts = Vec::new();
    if !e.agents.is_empty() {
        parts.push(names(&e.agents));
    }
    parts.push(e.trigger.clone());
    if !whom.is_empty() {
        parts.push(names(&whom));
    }
    parts.join(" ")
}

/// The DATE column: the date, or for an undated event the text placed, the date it comes
/// after (`>2025-03-01`) or before (`<2025-03-01`); "undated" otherwise.
fn date_cell(e: &EventRow) -> String {
    match (&e.date, e.dated, &e.placed) {
        (Some(d), true, _) => d.clone(),
        (_, _, Some(h)) if h.date.is_some() => {
            let side = if h.relation == "before" { '<' } else { '>' };
            format!("{side}{}", h.date.as_deref().unwrap_or_default())
        }
        _ => "undated".into(),
    }
}

/// The events as a timeline, one line each: date, type, "who what whom" (agents, trigger,
/// patients and other participants) and evidence; undated rows last and dimmed.
pub fn write_timeline(r: &Timeline, out: &mut dyn Write, style: &Style) -> io::Result<()> {
    if r.events.is_empty() {
        return match &r.subject {
            Some(s) => writeln!(out, "no events involving {} match", named(s)),
            None => writeln!(out, "no events match"),
        };
    }
    if let Some(s) = &r.subject {
        writeln!(out, "events involving {}: {}", named(s), r.events.len())?;
    }
    let mut t = Table::new(&["DATE", "TYPE", "WHO WHAT WHOM", "EVIDENCE"])
        .fixed(0)
        .fixed(1)
        .capped(2, 2 * NAME_CAP)
        .with_evidence();
    for e in &r.events {
        t.push_focused(
            vec![
                date_cell(e),
                e.event_type.as_str().into(),
                who_what_whom(e),
                sentence(e.evidence.as_ref()),
            ],
            vec![e.trigger.clone()],
            !e.dated,
        );
    }
    t.write(out, style)
}

/// The central actors table.
pub fn write_central(r: &[Central], out: &mut dyn Write, style: &Style) -> io::Result<()> {
    if r.is_empty() {
        return writeln!(out, "no actors in the graph");
    }
    let mut t = Table::new(&["RANK", "ACTOR", "KIND", "DEGREE", "EVENTS", "PAGERANK"])
        .right_aligned(0)
        .right_aligned(3)
        .right_aligned(4)
        .right_aligned(5);
    for c in r {
        t.push(
            vec![
                c.rank.to_string(),
                c.node.label.clone(),
                c.node.kind.as_str().into(),
                c.degree.to_string(),
                c.events.to_string(),
                score(c.pagerank),
            ],
            false,
        );
    }
    t.write(out, style)
}

/// A PageRank score with three significant digits (scientific notation when tiny).
fn score(x: f64) -> String {
    if x >= 0.001 || x == 0.0 {
        format!("{x:.4}")
    } else {
        format!("{x:.2e}")
    }
}

fn range(r: Option<(NaiveDate, NaiveDate)>) -> String {
    match r {
        Some((a, b)) if a == b => a.to_string(),
        Some((a, b)) => format!("{a} .. {b}"),
        None => "-".into(),
    }
}

/// The summary counts, one per line.
pub fn write_stats(s: &Stats, out: &mut dyn Write, style: &Style) -> io::Result<()> {
    let mut t = Table::new(&["WHAT", "COUNT", "NOTE"]).right_aligned(1);
    let mut row = |what: String, count: usize, note: String| {
        t.push(vec![what, count.to_string(), note], false)
    };
    row(
        "documents".into(),
        s.documents,
        format!("published {}", range(s.document_dates)),
    );
    row("nodes".into(), s.nodes, String::new());
    for (k, n) in &s.nodes_by_kind {
        row(format!("  {}", k.as_str()), *n, String::new());
    }
    row("edges".into(), s.edges, String::new());
    for (r, n) in &s.edges_by_relation {
        row(format!("  {}", r.as_str()), *n, String::new());
    }
    row("dated events".into(), s.dated_events, range(s.event_dates));
    row("undated events".into(), s.undated_events, String::new());
    for (ty, n) in &s.events_by_type {
        row(format!("  {}", ty.as_str()), *n, "event type".into());
    }
    t.write(out, style)
}

/// A TimelineJS3 date: year, and month and day when the interval is that precise.
fn tljs_date(
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> (serde_json::Value, Option<serde_json::Value>) {
    let end = end
        .filter(|&e| e > start)
        .unwrap_or_else(|| start.succ_opt().unwrap_or(start));
    let ymd = |d: NaiveDate| serde_json::json!({"year": d.year().to_string(), "month": d.month().to_string(), "day": d.day().to_string()});
    let whole_month = start.day() == 1 && end == super::next_month(start);
    let whole_year = start.ordinal() == 1
        && end == NaiveDate::from_ymd_opt(start.year() + 1, 1, 1).unwrap_or(end);
    if start.succ_opt() == Some(end) {
        (ymd(start), None)
    } else if whole_month {
        (
            serde_json::json!({"year": start.year().to_string(), "month": start.month().to_string()}),
            None,
        )
    } else if whole_year {
        (serde_json::json!({"year": start.year().to_string()}), None)
    } else {
        let last = end.pred_opt().unwrap_or(start);
        (ymd(start), Some(ymd(last)))
    }
}

fn html_escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            c => s.push(c),
        }
    }
    s
}

/// The dated events as a TimelineJS3 document: `{"events": [{"start_date", "end_date"?,
/// "text": {"headline", "text"}, "group", "unique_id"}]}`. Headlines read "who what whom";
/// texts are the evidence sentence and its document, HTML-escaped. Undated events are left
/// out: TimelineJS needs a date.
pub fn timelinejs(r: &Timeline, title: Option<&str>) -> serde_json::Value {
    let events: Vec<serde_json::Value> = r
        .events
        .iter()
        .filter_map(|e| {
            let start = e.date_start.filter(|_| e.dated)?;
            let (start_date, end_date) = tljs_date(start, e.date_end);
            let mut headline: Vec<String> = Vec::new();
            if !e.agents.is_empty() {
                headline.push(names(&e.agents));
            }
            headline.push(e.trigger.clone());
            if !e.patients.is_empty() {
                headline.push(names(&e.patients));
            }
            let text = match &e.evidence {
                Some(ev) => format!(
                    "{} <small>({})</small>",
                    html_escape(ev.sentence.trim()),
                    html_escape(&ev.doc)
                ),
                None => String::new(),
            };
            let mut item = serde_json::json!({
                "start_date": start_date,
                "text": {"headline": html_escape(&headline.join(" ")), "text": text},
                "group": e.event_type.as_str(),
                "unique_id": e.id,
            });
            if let Some(end) = end_date {
                item["end_date"] = end;
            }
            Some(item)
        })
        .collect();
    let mut doc = serde_json::json!({ "events": events });
    if let Some(t) = title {
        doc["title"] = serde_json::json!({"text": {"headline": html_escape(t), "text": ""}});
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::tests::sample;
    use crate::query::timeline::{events, EventQuery};
    use crate::query::{central, neighbors, path, stats, Index};

    fn text(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn shorten_cuts_on_characters_with_an_ellipsis() {
        for (input, width, expected) in [
            ("hello", 10, "hello"),
            ("hello world", 8, "hello w\u{2026}"),
            ("hello world", 7, "hello\u{2026}"),
            ("h\u{e9}llo w\u{f6}rld", 7, "h\u{e9}llo\u{2026}"),
            ("h\u{e9}llo w\u{f6}rld", 8, "h\u{e9}llo w\u{2026}"),
            ("abc", 0, ""),
            ("\u{1f600}\u{1f600}\u{1f600}", 2, "\u{1f600}\u{2026}"),
        ] {
            assert_eq!(shorten(input, width), expected, "{input} {width}");
        }
    }

    #[test]
    fn shorten_around_centres_on_the_focus() {
        let text =
            "ROTTERDAM - Thousands of dockworkers walked off the job at the port on Tuesday.";
        let f = |w: &str| vec![w.to_string()];
        for (focus, width, expected) in [
            (f("walked"), 24, "\u{2026}dockworkers walked off\u{2026}"),
            (f("Tuesday"), 24, "\u{2026}at the port on Tuesday."),
            (f("Thousands"), 24, "\u{2026}- Thousands of dockwor\u{2026}"),
            (f("dam"), 24, "ROTTERDAM - Thousands o\u{2026}"),
            (f("absent"), 24, "ROTTERDAM - Thousands o\u{2026}"),
            (f("WALKED"), 200, text),
            (vec![], 10, "ROTTERDAM\u{2026}"),
        ] {
            let got = shorten_around(text, &focus, width);
            assert_eq!(got, expected, "{focus:?} {width}");
            assert!(got.chars().count() <= width);
        }
    }

    #[test]
    fn tables_fit_the_width_and_align() {
        let g = sample();
        let index = Index::new(&g);
        let t = events(
            &index,
            &EventQuery {
                include_undated: true,
                ..Default::default()
            },
        )
        .unwrap();
        for width in [60, 70, 80] {
            let style = Style {
                width,
                color: false,
            };
            let out = text(|o| write_timeline(&t, o, &style));
            for line in out.lines() {
                assert!(line.chars().count() <= width, "{width}: {line:?}");
            }
            let lines: Vec<&str> = out.lines().collect();
            assert!(lines[0].starts_with("DATE"), "{out}");
            assert!(lines[1].starts_with("2025-03-03"), "{out}");
            assert!(lines[3].starts_with("undated"), "{out}");
        }
        // An undated event the text placed after a dated one shows where it stands.
        let mut placed = t.clone();
        let anchor = placed.events[0].clone();
        let row = placed.events.iter_mut().find(|e| !e.dated).unwrap();
        row.placed = Some(crate::query::timeline::OrderHint {
            relation: "after",
            event: NodeRef {
                id: anchor.id.clone(),
                kind: crate::graph::NodeKind::Event,
                label: anchor.trigger.clone(),
            },
            date: anchor.date.clone(),
            cue: "after".into(),
            contradicted: false,
        });
        let cell = date_cell(row);
        assert_eq!(cell, format!(">{}", anchor.date.unwrap()));
        let wide = text(|o| {
            write_timeline(
                &t,
                o,
                &Style {
                    width: 200,
                    color: false,
                },
            )
        });
        assert!(wide.contains("Acme sued Bob in Paris."), "{wide}");
        assert!(!wide.contains('\x1b'));
        let coloured = text(|o| {
            write_timeline(
                &t,
                o,
                &Style {
                    width: 200,
                    color: true,
                },
            )
        });
        assert!(coloured.contains("\x1b[1m"));
    }

    #[test]
    fn every_writer_handles_results_and_empty_results() {
        let g = sample();
        let index = Index::new(&g);
        let style = Style::default();
        let n = neighbors::neighbors(&index, "acme", &Default::default()).unwrap();
        assert!(!text(|o| write_neighbors(&n, o, &style)).contains("-role \"chief\"->"));
        assert!(text(|o| write_neighbors(&n, o, &style)).contains("<-role \"chief\"-"));
        let p = path::path(&index, "Ann Lee", "Paris", 6).unwrap();
        let shown = text(|o| write_path(&p, o, &style));
        assert!(
            shown.contains("3 hop(s)") && shown.contains("-located_in->"),
            "{shown}"
        );
        let none = path::path(&index, "Ann Lee", "Paris", 1).unwrap();
        assert!(text(|o| write_path(&none, o, &style)).contains("no connection"));
        let c = central::central(&index, 2);
        assert_eq!(text(|o| write_central(&c, o, &style)).lines().count(), 3);
        assert!(text(|o| write_central(&[], o, &style)).contains("no actors"));
        let s = stats::stats(&index);
        let shown = text(|o| write_stats(&s, o, &style));
        assert!(shown.contains("2025-03-03 .. 2025-03-10"), "{shown}");
        let empty = Timeline {
            subject: None,
            events: vec![],
        };
        assert!(text(|o| write_timeline(&empty, o, &style)).contains("no events"));
    }

    #[test]
    fn control_characters_cannot_break_rows() {
        let mut t = Table::new(&["A", "B"]);
        t.push(vec!["x\ny".into(), "\x1b[31mred".into()], false);
        let out = text(|o| t.write(o, &Style::default()));
        assert_eq!(out.lines().count(), 2);
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn timelinejs_dates_keep_their_precision() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        for (start, end, expected_start, expected_end) in [
            (
                d(2025, 3, 3),
                Some(d(2025, 3, 4)),
                serde_json::json!({"year":"2025","month":"3","day":"3"}),
                None,
            ),
            (
                d(2025, 3, 1),
                Some(d(2025, 4, 1)),
                serde_json::json!({"year":"2025","month":"3"}),
                None,
            ),
            (
                d(2025, 1, 1),
                Some(d(2026, 1, 1)),
                serde_json::json!({"year":"2025"}),
                None,
            ),
            (
                d(2025, 3, 3),
                Some(d(2025, 3, 10)),
                serde_json::json!({"year":"2025","month":"3","day":"3"}),
                Some(serde_json::json!({"year":"2025","month":"3","day":"9"})),
            ),
            (
                d(2025, 3, 3),
                None,
                serde_json::json!({"year":"2025","month":"3","day":"3"}),
                None,
            ),
        ] {
            assert_eq!(tljs_date(start, end), (expected_start, expected_end));
        }
    }

    #[test]
    fn timelinejs_lists_dated_events_with_headlines() {
        let g = sample();
        let index = Index::new(&g);
        let t = events(
            &index,
            &EventQuery {
                include_undated: true,
                ..Default::default()
            },
        )
        .unwrap();
        let doc = timelinejs(&t, Some("Test <b>"));
        let evs = doc["events"].as_array().unwrap();
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[1]["text"]["headline"], "Acme sued Bob Stone");
        assert_eq!(evs[1]["group"], "legal");
        assert_eq!(doc["title"]["text"]["headline"], "Test &lt;b&gt;");
    }
}
