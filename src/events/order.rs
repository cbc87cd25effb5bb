//! Textual ordering: the words that say one event came before another ("the talks
//! followed the ceasefire", "Israel withdrew after the vote", "Later, Hamas agreed"), as
//! links between two event mentions of one document, each with the cue words as evidence.
//!
//! Design (the ordering part of the event stage):
//! - Cues live in `data/events/order_cues.txt` with their direction: prepositions and
//!   conjunctions (`after`, `before`, `since`, `ahead of`, `in the wake of`), verbs
//!   (`follow`, `precede`, `come after`, causes like `trigger`) and adverbs that continue a
//!   narrative (`then`, `later`, `afterwards`). Phrases in which a cue word is no cue
//!   ("after all", "the then president", "later this week") are listed there too.
//! - A preposition links the event it introduces (the first event mention after it, before
//!   the clause ends; a date there makes it a date bound, not an event link) with the event
//!   it attaches to: the nearest event before it, or, when the cue opens the sentence
//!   ("After the talks collapsed, Israel struck"), the first verb event of the main clause.
//! - A verb links its subject event (an event noun before it) with its object event, in
//!   the order its voice says ("A was followed by B", ", followed by B").
//! - An adverb links the next verb event with the event told just before: an earlier
//!   clause of the sentence, else the main event of the previous sentence (its first verb
//!   event that does not report speech).
//! - Links never repeat and never loop on one mention; the cost is one pass over the tokens
//!   with bounded scans around each cue, so it stays linear in the document length.
//!
//! What a link means is TimeML's BEFORE between the two events' start points: "since"
//! and "until" say one event began before the other, which is all a timeline sorts on.

use super::{is_be, lexicon, Doc, EventMention};
use crate::pos::FxHashSet;
use crate::pos::Pos;
use crate::text::{Sentence, Span, TokenKind};
use crate::time::{Timex, TimexType};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A textual ordering cue between two event mentions of one document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OrderLink {
    /// Index (into the document's event mentions) of the event that happened first.
    pub before: usize,
    /// Index of the event that happened after it.
    pub after: usize,
    /// The cue words as written ("after", "followed by", "in the wake of").
    pub cue: String,
    /// Where the cue words stand in the text.
    pub span: Span,
}

/// A textual ordering cue between two resolved events: what travels from the resolver to
/// the graph, where it becomes a `before` edge titled with the cue.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OrderEdge {
    /// Index (into the resolved events) of the event that happened first.
    pub before: usize,
    /// Index of the event that happened after it.
    pub after: usize,
    /// The cue words as written.
    pub cue: String,
    /// The cue words in their sentence.
    pub evidence: crate::resolve::Evidence,
}

/// How a cue orders its two events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// "A after B": B first.
    After,
    /// "A before B": A first.
    Before,
    /// Verb, "A follows B": B first.
    Follows,
    /// Verb, "A precedes B": A first.
    Precedes,
    /// Adverb, "... then B": the event told before B first.
    Next,
}

/// One cue of the data file.
struct Cue {
    words: Vec<&'static str>,
    kind: Kind,
}

/// A phrase in which the word at `blocked` is no cue.
struct Exception {
    words: Vec<&'static str>,
    blocked: usize,
}

struct Cues {
    /// Longest first, so "in the wake of" wins over shorter cues at the same token.
    cues: Vec<Cue>,
    exceptions: Vec<Exception>,
    /// The first word of every cue that is no verb: a token that is none of these (and no
    /// verb whose lemma is in `verb_firsts`) starts no cue.
    firsts: FxHashSet<&'static str>,
    /// The first word (a lemma) of every verb cue.
    verb_firsts: FxHashSet<&'static str>,
}

fn cues() -> &'static Cues {
    static CUES: OnceLock<Cues> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut cues = Vec::new();
        let mut exceptions = Vec::new();
        for line in super::data_lines(include_str!("../../data/events/order_cues.txt")) {
            if let Some(phrase) = line.strip_prefix('!') {
                let raw: Vec<&'static str> = phrase.split_whitespace().collect();
                let blocked = raw.iter().position(|w| w.starts_with('*')).unwrap_or(0);
                let words = raw.iter().map(|w| w.trim_start_matches('*')).collect();
                exceptions.push(Exception { words, blocked });
                continue;
            }
            let Some((words, kind)) = line.split_once('\t') else {
                continue;
            };
            let kind = match kind.trim() {
                "after" => Kind::After,
                "before" => Kind::Before,
                "follows" => Kind::Follows,
                "precedes" => Kind::Precedes,
                "next" => Kind::Next,
                _ => continue,
            };
            cues.push(Cue {
                words: words.split_whitespace().collect(),
                kind,
            });
        }
        cues.sort_by_key(|c| std::cmp::Reverse(c.words.len()));
        let first_words = |verb: bool| {
            cues.iter()
                .filter(|c| is_verb_cue(c.kind) == verb)
                .filter_map(|c| c.words.first().copied())
                .collect()
        };
        let (firsts, verb_firsts) = (first_words(false), first_words(true));
        Cues {
            cues,
            exceptions,
            firsts,
            verb_firsts,
        }
    })
}

/// True for the cues whose first word is a verb matched by its lemma ("follow").
fn is_verb_cue(kind: Kind) -> bool {
    matches!(kind, Kind::Follows | Kind::Precedes)
}

/// Most tokens a cue's object or subject is looked for in.
const WINDOW: usize = 15;

/// One sentence's view for the scans: token range and the event mention on each token.
struct Sent<'d, 'a> {
    doc: &'d Doc<'a>,
    start: usize,
    end: usize,
    /// Event mention index of each token of the document (None when no trigger).
    event_at: &'d [Option<usize>],
    events: &'d [EventMention],
    timexes: &'d [Timex],
    /// Lemma of each verb token of the document (None for other tokens), computed once.
    verb_lemma: &'d VerbLemmas,
}

impl Sent<'_, '_> {
    fn low(&self, k: usize) -> &str {
        self.doc.low(k)
    }

    /// True for tokens that end a clause for the scans: `;`, `:`, dashes, brackets.
    fn hard_boundary(&self, k: usize) -> bool {
        matches!(
            self.low(k),
            ";" | ":" | "\u{2014}" | "\u{2013}" | "--" | "(" | ")" | "[" | "]"
        )
    }

    fn is_comma(&self, k: usize) -> bool {
        self.low(k) == ","
    }

    fn verb_event(&self, k: usize) -> Option<usize> {
        self.event_at[k].filter(|&e| !self.events[e].nominal)
    }

    /// The first event mention after `from` (inclusive) before the clause ends; `Err` when a
    /// date or time opens it ("after March 3", "before the weekend": the cue then bounds a
    /// date, not an event). A duration on the way ("a six-week ceasefire") is skipped.
    fn object(&self, from: usize) -> Result<Option<usize>, ()> {
        let stop = (from + WINDOW).min(self.end);
        for k in from..stop {
            if let Some(e) = self.event_at[k] {
                return Ok(Some(e));
            }
            if let Some(t) = self.doc.timex_of[k] {
                let dated = self
                    .timexes
                    .get(t)
                    .is_some_and(|t| matches!(t.kind, TimexType::Date | TimexType::Time));
                if dated && k <= from + 2 {
                    return Err(());
                }
                continue;
            }
            if self.hard_boundary(k) || self.is_comma(k) && k > from {
                break;
            }
            // The event stands in the noun phrase or clause right after the cue: another
            // preposition ("before Congress to ..."), an infinitive, a relative pronoun or
            // a verb that names no event ends the search.
            let p = self.doc.pos[k];
            if matches!(p, Pos::TO | Pos::WDT | Pos::WP)
                || p == Pos::IN && self.low(k) != "of"
                || p.is_verb() && !super::is_aux_word(self.low(k))
            {
                break;
            }
        }
        Ok(None)
    }

    /// The event a cue before `to` (exclusive) attaches to: the nearest verb event of the
    /// clause ("withdrew its troops after ..."), else the nearest event noun ("the talks
    /// after ..."); not across `;`. With `nominal_only` (a verb's subject), the nearest
    /// event noun, and none when a verb event stands between.
    fn nearest_before(&self, to: usize, nominal_only: bool) -> Option<usize> {
        let stop = to.saturating_sub(WINDOW * 2).max(self.start);
        let mut noun = None;
        for k in (stop..to).rev() {
            if self.hard_boundary(k) {
                break;
            }
            if let Some(e) = self.event_at[k] {
                if self.events[e].nominal {
                    if nominal_only {
                        return Some(e);
                    }
                    noun.get_or_insert(e);
                } else if nominal_only {
                    return None;
                } else {
                    return Some(e);
                }
            }
        }
        noun
    }

    /// The first verb event from `from` on (else the first event), skipping reporting
    /// verbs when another verb follows.
    fn main_after(&self, from: usize) -> Option<usize> {
        let lex = lexicon();
        let mut first_any = None;
        let mut first_reporting = None;
        for k in from..self.end {
            let Some(e) = self.event_at[k] else { continue };
            first_any.get_or_insert(e);
            if self.events[e].nominal {
                continue;
            }
            if lex.reporting.contains(self.events[e].lemma.as_str()) {
                first_reporting.get_or_insert(e);
                continue;
            }
            return Some(e);
        }
        first_reporting.or(first_any)
    }

    /// True when nothing before `k` in the sentence is a verb or an event (the cue opens
    /// the sentence, after at most a few words such as "Two days", "Shortly", "But").
    fn opens(&self, k: usize) -> bool {
        k - self.start <= 4
            && (self.start..k).all(|j| !self.doc.pos[j].is_verb() && self.event_at[j].is_none())
    }
}

/// The lemma of every verb token of a document, in one string: a `Vec<Option<String>>`
/// cost an allocation per verb of every document.
struct VerbLemmas {
    text: String,
    /// Byte range of each token's lemma in `text`; `NONE` for a token that is no verb.
    spans: Vec<(usize, usize)>,
}

impl VerbLemmas {
    const NONE: (usize, usize) = (usize::MAX, usize::MAX);

    fn new(doc: &Doc) -> VerbLemmas {
        let mut text = String::new();
        let mut lemma = String::new();
        let spans = (0..doc.tokens.len())
            .map(|k| {
                let p = doc.pos[k];
                if !p.is_verb() {
                    return Self::NONE;
                }
                crate::pos::lemma_into(doc.word(k), p, &mut lemma);
                let start = text.len();
                text.push_str(&lemma);
                (start, text.len())
            })
            .collect();
        VerbLemmas { text, spans }
    }

    /// The lemma of token `k` when it is a verb.
    fn get(&self, k: usize) -> Option<&str> {
        let (a, b) = self.spans[k];
        if (a, b) == Self::NONE {
            return None;
        }
        self.text.get(a..b)
    }
}

/// True when the words of `words` stand at token `i`; the first word of a verb cue is a
/// lemma matched against the verb's lemma.
fn matches_at(s: &Sent, i: usize, words: &[&str], verb: bool) -> bool {
    if i + words.len() > s.end {
        return false;
    }
    words.iter().enumerate().all(|(o, w)| {
        let k = i + o;
        if o == 0 && verb {
            s.verb_lemma.get(k) == Some(*w)
        } else {
            s.low(k) == *w
        }
    })
}

/// True when token `i` is the blocked word of an exception phrase.
fn blocked(s: &Sent, i: usize) -> bool {
    cues().exceptions.iter().any(|x| {
        i >= s.start + x.blocked
            && matches_at(s, i - x.blocked, &x.words, false)
            && s.low(i) == x.words[x.blocked]
    })
}

/// Finds the ordering links of one document. `events` are the document's event mentions
/// in text order (as [`super::find_events`] returns them).
pub(super) fn find(
    doc: &Doc,
    sentences: &[Sentence],
    events: &[EventMention],
    timexes: &[Timex],
) -> Vec<OrderLink> {
    let mut event_at = vec![None; doc.tokens.len()];
    for (k, e) in events.iter().enumerate() {
        let t = doc
            .tokens
            .partition_point(|t| t.span.start < e.trigger.start);
        if t < doc.tokens.len() && doc.tokens[t].span.start == e.trigger.start {
            event_at[t].get_or_insert(k);
        }
    }
    let verb_lemma = VerbLemmas::new(doc);
    let mut links = Vec::new();
    // The main event of the previous sentence that has events.
    let mut previous_main: Option<usize> = None;
    for sentence in sentences {
        let range = sentence.tokens.clone();
        if range.is_empty() || range.end > doc.tokens.len() {
            continue;
        }
        let s = Sent {
            doc,
            start: range.start,
            end: range.end,
            event_at: &event_at,
            events,
            timexes,
            verb_lemma: &verb_lemma,
        };
        let mut i = s.start;
        while i < s.end {
            let next = sentence_cue(&s, i, previous_main, &mut links);
            i = next.max(i + 1);
        }
        if let Some(m) = s.main_after(s.start) {
            previous_main = Some(m);
        }
    }
    links.sort();
    links.dedup_by(|a, b| a.before == b.before && a.after == b.after);
    links
}

/// Looks for a cue at token `i`; pushes its link; returns the token after the cue words
/// (or `i + 1`).
fn sentence_cue(
    s: &Sent,
    i: usize,
    previous_main: Option<usize>,
    links: &mut Vec<OrderLink>,
) -> usize {
    if s.doc.tokens[i].kind != TokenKind::Word || s.doc.entity_of[i].is_some() {
        return i + 1;
    }
    let all = cues();
    let may_open = all.firsts.contains(s.low(i))
        || s.verb_lemma
            .get(i)
            .is_some_and(|l| all.verb_firsts.contains(l));
    if !may_open {
        return i + 1;
    }
    let Some(cue) = all
        .cues
        .iter()
        .find(|c| matches_at(s, i, &c.words, is_verb_cue(c.kind)))
    else {
        return i + 1;
    };
    let after_cue = i + cue.words.len();
    if blocked(s, i) {
        return after_cue;
    }
    let span = Span::new(
        s.doc.tokens[i].span.start,
        s.doc.tokens[after_cue - 1].span.end,
    );
    let mut push = |before: usize, after: usize, span: Span| {
        if before != after {
            links.push(OrderLink {
                before,
                after,
                cue: span.slice(s.doc.text).to_string(),
                span,
            });
        }
    };
    match cue.kind {
        Kind::After | Kind::Before => {
            // A cue word inside a date ("the day before") is part of the date.
            if s.doc.timex_of[i].is_some() {
                return after_cue;
            }
            let first = cue.words[0];
            // "following" as a verb ("is following") or adjective ("the following").
            if first == "following" && i > s.start && is_be(s.low(i - 1)) {
                return after_cue;
            }
            let opens = s.opens(i);
            // "After that, ...", "Shortly before, ...", "Since then": the previous sentence.
            let anaphoric = after_cue >= s.end
                || s.is_comma(after_cue)
                || matches!(s.low(after_cue), "that" | "this" | "then")
                    && (after_cue + 1 >= s.end || s.is_comma(after_cue + 1));
            if anaphoric {
                if !opens {
                    return after_cue;
                }
                let (Some(prev), Some(this)) = (previous_main, s.main_after(after_cue)) else {
                    return after_cue;
                };
                match cue.kind {
                    Kind::After => push(prev, this, span),
                    _ => push(this, prev, span),
                }
                return after_cue;
            }
            // Causal "since" ("since it is late").
            if first == "since"
                && (matches!(s.doc.pos[after_cue], Pos::PRP | Pos::EX)
                    || (after_cue..(after_cue + 6).min(s.end))
                        .any(|k| matches!(s.doc.pos[k], Pos::VBZ | Pos::VBP | Pos::MD)))
            {
                return after_cue;
            }
            // "once" as a conjunction opens a clause with a noun phrase ("once the deal
            // is signed"), not "once" as a number ("met once").
            if first == "once"
                && !matches!(
                    s.doc.pos[after_cue],
                    Pos::DT | Pos::PRPS | Pos::NNP | Pos::NNPS | Pos::NN | Pos::NNS | Pos::JJ
                )
            {
                return after_cue;
            }
            // An adverb before a verb ("has twice before sued"): no object to order.
            let mut k = after_cue;
            while k < s.end && matches!(s.doc.pos[k], Pos::RB | Pos::RBR) {
                k += 1;
            }
            if k < s.end && s.doc.pos[k].is_verb() && s.doc.pos[k] != Pos::VBG {
                return after_cue;
            }
            let Ok(Some(object)) = s.object(after_cue) else {
                return after_cue;
            };
            let governor = if opens {
                // The main clause after the cue's clause: past the first comma, else the
                // first verb event after an event-noun object.
                let object_token = token_of(s, object);
                let comma = (object_token..s.end).find(|&k| s.is_comma(k));
                match comma {
                    Some(c) => s.main_after(c + 1),
                    None if s.events[object].nominal => {
                        (object_token + 1..s.end).find_map(|k| s.verb_event(k))
                    }
                    None => None,
                }
            } else {
                s.nearest_before(i, false)
            };
            let Some(governor) = governor else {
                return after_cue;
            };
            match cue.kind {
                Kind::After => push(object, governor, span),
                _ => push(governor, object, span),
            }
            after_cue
        }
        Kind::Follows | Kind::Precedes => {
            // "following" is the preposition, handled above; a participle modifying a noun
            // ("the following day") is no cue.
            if s.doc.pos[i] == Pos::VBG {
                return after_cue;
            }
            let by = after_cue < s.end && s.low(after_cue) == "by";
            let reduced = by && i > s.start && s.is_comma(i - 1);
            let passive = by && !reduced && {
                let mut k = i;
                while k > s.start && matches!(s.doc.pos[k - 1], Pos::RB | Pos::RBR) {
                    k -= 1;
                }
                k > s.start && is_be(s.low(k - 1))
            };
            let (subject, object) = if reduced {
                (
                    s.nearest_before(i - 1, false),
                    s.object(after_cue + 1).ok().flatten(),
                )
            } else if passive {
                (
                    s.nearest_before(i, true),
                    s.object(after_cue + 1).ok().flatten(),
                )
            } else {
                (
                    s.nearest_before(i, true),
                    s.object(after_cue).ok().flatten(),
                )
            };
            let (Some(subject), Some(object)) = (subject, object) else {
                return after_cue;
            };
            // Active "A follows B" puts B first; the passive and the reduced form swap it.
            let subject_first = (cue.kind == Kind::Precedes) != (passive || reduced);
            let span = if by {
                Span::new(span.start, s.doc.tokens[after_cue].span.end)
            } else {
                span
            };
            if subject_first {
                push(subject, object, span);
            } else {
                push(object, subject, span);
            }
            if by {
                after_cue + 1
            } else {
                after_cue
            }
        }
        Kind::Next => {
            if s.doc.timex_of[i].is_some() && cue.words[0] != "later" {
                return after_cue;
            }
            // "if ..., then": a condition, not a sequence.
            if cue.words[0] == "then" && (s.start..i).any(|k| s.low(k) == "if") {
                return after_cue;
            }
            let Some(this) = (after_cue..s.end)
                .find_map(|k| s.verb_event(k))
                .or_else(|| s.object(after_cue).ok().flatten())
            else {
                return after_cue;
            };
            let lex = lexicon();
            let earlier = (s.start..i)
                .rev()
                .filter_map(|k| s.verb_event(k))
                .find(|&e| !lex.reporting.contains(s.events[e].lemma.as_str()));
            let earlier = if s.opens(i) { None } else { earlier };
            if let Some(prev) = earlier.or(previous_main) {
                push(prev, this, span);
            }
            after_cue
        }
    }
}

/// The token of event mention `e`'s trigger.
fn token_of(s: &Sent, e: usize) -> usize {
    let start = s.events[e].trigger.start;
    s.doc.tokens.partition_point(|t| t.span.start < start)
}

#[cfg(test)]
mod tests {
    use crate::annotate::annotate;
    use crate::input::Document;

    /// (earlier trigger, later trigger, cue) of every link of `text`.
    fn links(text: &str) -> Vec<(String, String, String)> {
        let doc = Document {
            id: "t".into(),
            title: None,
            date: Some(crate::input::parse_date("2025-03-05").unwrap()),
            text: text.into(),
            origin: "test".into(),
            annotations: None,
        };
        let a = annotate(doc.clone());
        let (events, order) = super::super::find_events_ordered(
            &a.doc.text,
            &a.tokens,
            &a.sentences,
            &a.pos,
            &a.entities,
            &a.timexes,
        );
        let word = |k: usize| events[k].trigger.slice(text).to_string();
        order
            .iter()
            .map(|l| (word(l.before), word(l.after), l.cue.clone()))
            .collect()
    }

    #[test]
    fn cues_order_events() {
        // (text, earlier, later, cue)
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "Israel withdrew its troops after the talks.",
                "talks",
                "withdrew",
                "after",
            ),
            (
                "After the talks collapsed, Israel struck Gaza.",
                "talks",
                "struck",
                "After",
            ),
            (
                "Hamas freed the hostages before the vote.",
                "freed",
                "vote",
                "before",
            ),
            (
                "The talks followed the ceasefire.",
                "ceasefire",
                "talks",
                "followed",
            ),
            (
                "The ceasefire was followed by talks.",
                "ceasefire",
                "talks",
                "followed by",
            ),
            (
                "The attack came after the elections.",
                "elections",
                "attack",
                "came after",
            ),
            (
                "Hamas rejected the offer. Then Israel struck Gaza.",
                "rejected",
                "struck",
                "Then",
            ),
            (
                "Hamas rejected the offer. Two days later, Israel struck Gaza.",
                "rejected",
                "struck",
                "later",
            ),
            (
                "Israel struck Gaza in the wake of the attack.",
                "attack",
                "struck",
                "in the wake of",
            ),
            (
                "The protest prompted a response.",
                "protest",
                "response",
                "prompted",
            ),
            (
                "Hamas agreed to the truce ahead of the summit.",
                "agreed",
                "summit",
                "ahead of",
            ),
            (
                "The talks after the ceasefire failed.",
                "ceasefire",
                "talks",
                "after",
            ),
            (
                "Israel has been engaging in talks since the beginning of the war.",
                "beginning",
                "engaging",
                "since",
            ),
            (
                "The hostages will be released once a ceasefire is reached.",
                "ceasefire",
                "released",
                "once",
            ),
            (
                "This development follows the conclusion of a six-week ceasefire.",
                "ceasefire",
                "development",
                "follows",
            ),
            (
                "The army attacked the town, and then the rebels fled.",
                "attacked",
                "fled",
                "then",
            ),
        ];
        for &(text, earlier, later, cue) in cases {
            let got = links(text);
            assert!(
                got.contains(&(earlier.into(), later.into(), cue.into())),
                "{text:?}: wanted {earlier} before {later} by {cue:?}, got {got:?}"
            );
        }
    }

    #[test]
    fn non_cues_link_nothing() {
        for text in [
            "After all, Hamas rejected the offer.",
            "The school was named after the war.",
            "Israel will decide later this week.",
            "The then president visited Gaza.",
            "Since it is late, the talks ended.",
            "If Hamas agrees, then the war ends.",
            "Hamas met Israel once again.",
            "Israel withdrew before March 5.",
            "Apple has twice before sued the company.",
            "The automakers pleaded before Congress to be given funds to prevent collapse.",
            "",
            "after",
            "Then.",
            "followed by",
            ", followed by the",
        ] {
            let got = links(text);
            assert!(got.is_empty(), "{text:?}: {got:?}");
        }
    }
}
