//! Stage 4: events. Finds event triggers (verbs and event nouns), their participants
//! (agent, patient) among the entity mentions and nearby noun phrases, and the temporal
//! expression that dates them. An event is dated only by a timex of its own sentence:
//! never by the document date.

use crate::entities::Entities;
use crate::pos::Pos;
use crate::text::{Sentence, Span, Token, TokenKind};
use crate::time::{Timex, TimexType};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The top-level type of an event, after PLOVER's categories (see `data/events/types.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventType {
    /// Statements, announcements, reports (PLOVER MAKE-STATEMENT).
    Statement,
    /// Meetings, talks, negotiations (CONSULT).
    Consult,
    /// Agreements, approvals, ceasefires (AGREE, COOPERATE).
    Agree,
    /// Rejections, refusals, criticism (REJECT).
    Reject,
    /// Demands and requests (DEMAND).
    Demand,
    /// Threats and warnings (THREATEN).
    Threaten,
    /// Protests, rallies, boycotts (PROTEST).
    Protest,
    /// Attacks, fighting, killings (ASSAULT, FIGHT).
    Assault,
    /// Help and supplies (AID).
    Aid,
    /// Sanctions, arrests, bans (COERCE, SANCTION).
    Coerce,
    /// Releases, withdrawals, resignations (YIELD, RETREAT).
    Yield,
    /// Investigations, trials, accusations (INVESTIGATE, ACCUSE).
    Legal,
    /// Elections, appointments, campaigns.
    Political,
    /// Sales, purchases, contracts, mergers.
    Transaction,
    /// Deaths, crashes, natural disasters.
    Disaster,
    /// Anything else.
    Other,
}

impl std::str::FromStr for EventType {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        Ok(match s {
            "statement" => EventType::Statement,
            "consult" => EventType::Consult,
            "agree" => EventType::Agree,
            "reject" => EventType::Reject,
            "demand" => EventType::Demand,
            "threaten" => EventType::Threaten,
            "protest" => EventType::Protest,
            "assault" => EventType::Assault,
            "aid" => EventType::Aid,
            "coerce" => EventType::Coerce,
            "yield" => EventType::Yield,
            "legal" => EventType::Legal,
            "political" => EventType::Political,
            "transaction" => EventType::Transaction,
            "disaster" => EventType::Disaster,
            "other" => EventType::Other,
            _ => {
                return Err(crate::Error::InvalidValue {
                    what: "event type",
                    value: s.into(),
                    expected: "one of statement, consult, agree, reject, demand, threaten, protest, assault, aid, coerce, yield, legal, political, transaction, disaster, other".into(),
                })
            }
        })
    }
}

impl EventType {
    /// The lowercase name used in outputs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Statement => "statement",
            EventType::Consult => "consult",
            EventType::Agree => "agree",
            EventType::Reject => "reject",
            EventType::Demand => "demand",
            EventType::Threaten => "threaten",
            EventType::Protest => "protest",
            EventType::Assault => "assault",
            EventType::Aid => "aid",
            EventType::Coerce => "coerce",
            EventType::Yield => "yield",
            EventType::Legal => "legal",
            EventType::Political => "political",
            EventType::Transaction => "transaction",
            EventType::Disaster => "disaster",
            EventType::Other => "other",
        }
    }
}

/// How a participant takes part in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Who does it (PropBank Arg0).
    Agent,
    /// Who or what it is done to (PropBank Arg1).
    Patient,
    /// Any other participant (recipient, place, instrument).
    Other,
}

/// One participant of an event mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// The participant's role.
    pub role: Role,
    /// The participant's words in the text.
    pub span: Span,
    /// Index into the document's entity mentions, when the participant is one.
    pub entity: Option<usize>,
}

/// One event mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMention {
    /// The trigger word's span.
    pub trigger: Span,
    /// The trigger's lemma ("reject", "talks").
    pub lemma: String,
    /// True when the trigger is a noun ("talks"), false for verbs.
    pub nominal: bool,
    /// The event's type.
    pub event_type: EventType,
    /// Index of the sentence holding the trigger.
    pub sentence: usize,
    /// Participants found for it.
    pub participants: Vec<Participant>,
    /// Index into the document's timexes of the expression that dates it.
    pub timex: Option<usize>,
}

struct Lexicon {
    nominal: HashSet<&'static str>,
    types: HashMap<&'static str, EventType>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let data_lines = |s: &'static str| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
        };
        let nominal = data_lines(include_str!("../data/events/nominal.txt")).collect();
        let types = data_lines(include_str!("../data/events/types.tsv"))
            .filter_map(|l| {
                let (lemma, ty) = l.split_once('\t')?;
                Some((lemma, ty.trim().parse().ok()?))
            })
            .collect();
        Lexicon { nominal, types }
    })
}

/// The type of an event from its trigger lemma.
pub fn event_type_of(lemma: &str) -> EventType {
    lexicon()
        .types
        .get(lemma)
        .copied()
        .unwrap_or(EventType::Other)
}

const AUXILIARIES: &[&str] = &[
    "be",
    "is",
    "are",
    "was",
    "were",
    "been",
    "being",
    "am",
    "'s",
    "'re",
    "'m",
    "\u{2019}s",
    "\u{2019}re",
    "have",
    "has",
    "had",
    "having",
    "'ve",
    "'d",
    "do",
    "does",
    "did",
    "get",
    "got",
];
const REPORTING: &[&str] = &[
    "say",
    "said",
    "says",
    "stated",
    "confirmed",
    "added",
    "announced",
    "told",
    "reported",
    "noted",
    "explained",
    "emphasized",
    "warned",
    "indicated",
    "affirmed",
];

/// A plain lemmatizer for verb and noun triggers.
fn lemma_of(word: &str, pos: Pos) -> String {
    crate::pos::lemma(word, pos)
}

/// Finds the event mentions of one document.
pub fn find_events(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    pos: &[Pos],
    entities: &Entities,
    timexes: &[Timex],
) -> Vec<EventMention> {
    let lex = lexicon();
    let mut events = Vec::new();
    let word = |i: usize| tokens[i].span.slice(text);
    let entity_of = token_cover(tokens, entities.mentions.iter().map(|m| m.span));
    let timex_of = token_cover(tokens, timexes.iter().map(|t| t.span));
    let ctx = Context {
        text,
        tokens,
        pos,
        entities,
        entity_of: &entity_of,
    };
    for (si, sentence) in sentences.iter().enumerate() {
        let range = sentence.tokens.clone();
        let mut triggers = Vec::new();
        for i in range.clone() {
            if tokens[i].kind != TokenKind::Word || timex_of[i].is_some() || entity_of[i].is_some()
            {
                continue;
            }
            let w = word(i);
            let lower = w.to_lowercase();
            let p = pos[i];
            if p.is_verb() {
                if AUXILIARIES.contains(&lower.as_str()) {
                    // An auxiliary or copula: the verb or predicate after it carries the event.
                    continue;
                }
                triggers.push((i, lemma_of(&lower, p), false));
            } else if p.is_noun() && p != Pos::NNP && p != Pos::NNPS {
                let l = lemma_of(&lower, p);
                if lex.nominal.contains(lower.as_str()) || lex.nominal.contains(l.as_str()) {
                    let lemma = if lex.nominal.contains(lower.as_str()) {
                        lower
                    } else {
                        l
                    };
                    triggers.push((i, lemma, true));
                }
            }
        }
        let dates = attach_dates(&triggers, range.clone(), timexes, &timex_of);
        for (t, &(i, ref lemma, nominal)) in triggers.iter().enumerate() {
            let participants = if nominal {
                nominal_participants(&ctx, range.clone(), i)
            } else {
                verbal_participants(&ctx, range.clone(), i)
            };
            let timex = dates[t];
            events.push(EventMention {
                trigger: tokens[i].span,
                lemma: lemma.clone(),
                nominal,
                event_type: event_type_of(lemma),
                sentence: si,
                participants,
                timex,
            });
        }
    }
    events
}

/// What the participant search reads.
struct Context<'a> {
    text: &'a str,
    tokens: &'a [Token],
    pos: &'a [Pos],
    entities: &'a Entities,
    /// For each token, the entity mention covering it.
    entity_of: &'a [Option<usize>],
}

/// For each token, the index of the span (from a list sorted by start) that overlaps it:
/// one sweep, so long documents stay linear.
fn token_cover(tokens: &[Token], spans: impl Iterator<Item = Span>) -> Vec<Option<usize>> {
    let spans: Vec<Span> = spans.collect();
    let mut cover = vec![None; tokens.len()];
    let mut k = 0;
    for (i, t) in tokens.iter().enumerate() {
        while k < spans.len() && spans[k].end <= t.span.start {
            k += 1;
        }
        if k < spans.len() && spans[k].overlaps(t.span) {
            cover[i] = Some(k);
        }
    }
    cover
}

/// A clause boundary for the participant search: a verb that is not an auxiliary, or
/// punctuation that closes a clause.
fn is_boundary(text: &str, tokens: &[Token], pos: &[Pos], i: usize) -> bool {
    let w = tokens[i].span.slice(text);
    matches!(w, ";" | ":" | "\u{2014}" | "\u{2013}" | "(" | ")")
        || matches!(
            w.to_lowercase().as_str(),
            "that"
                | "which"
                | "who"
                | "while"
                | "because"
                | "although"
                | "if"
                | "when"
                | "after"
                | "before"
        )
        || (pos[i].is_verb() && !AUXILIARIES.contains(&w.to_lowercase().as_str()))
}

fn verbal_participants(ctx: &Context, range: std::ops::Range<usize>, i: usize) -> Vec<Participant> {
    let (text, tokens, pos, entities) = (ctx.text, ctx.tokens, ctx.pos, ctx.entities);
    let entity_at = |k: usize| ctx.entity_of[k];
    let mut out = Vec::new();
    let lower = tokens[i].span.slice(text).to_lowercase();
    // Passive: a past participle after a form of "be" ("was released by Hamas").
    let passive = pos[i] == Pos::VBN
        && (range.start..i).rev().take(3).any(|k| {
            matches!(
                tokens[k].span.slice(text).to_lowercase().as_str(),
                "was" | "were" | "is" | "are" | "been" | "be" | "being"
            )
        });
    // Left: the nearest entity mention before the trigger within its clause.
    let mut left = None;
    let mut k = i;
    while k > range.start {
        k -= 1;
        if let Some(e) = entity_at(k) {
            left = Some(e);
            break;
        }
        if is_boundary(text, tokens, pos, k) || tokens[k].span.slice(text) == "," && k + 1 < i {
            break;
        }
    }
    // Right: the first entity mention or noun phrase after the trigger, before a boundary.
    let mut right: Option<(Span, Option<usize>)> = None;
    let mut by_agent: Option<usize> = None;
    let mut k = i + 1;
    while k < range.end {
        let w = tokens[k].span.slice(text);
        if let Some(e) = entity_at(k) {
            let after_by = k > i + 1 && tokens[k - 1].span.slice(text).eq_ignore_ascii_case("by");
            if passive && after_by {
                by_agent = Some(e);
            } else if right.is_none() {
                right = Some((entities.mentions[e].span, Some(e)));
            }
            break;
        }
        if is_boundary(text, tokens, pos, k) || matches!(w, "," | "." | "!" | "?") {
            break;
        }
        if right.is_none() && (pos[k].is_noun() || matches!(pos[k], Pos::PRP)) && k <= i + 4 {
            // A common-noun phrase object: extend over the noun run.
            let start = k;
            let mut end = k;
            while end + 1 < range.end && pos[end + 1].is_noun() {
                end += 1;
            }
            let np_start = (i + 1..start)
                .rev()
                .take_while(|&j| matches!(pos[j], Pos::DT | Pos::JJ | Pos::PRPS | Pos::CD))
                .last()
                .unwrap_or(start);
            right = Some((
                Span::new(tokens[np_start].span.start, tokens[end].span.end),
                None,
            ));
            break;
        }
        k += 1;
    }
    let reporting = REPORTING.contains(&lower.as_str());
    // Inverted reporting clause: "..., confirmed White House press secretary Karoline
    // Leavitt": the speaker is the first person named right after the verb.
    let inverted = reporting
        && i > range.start
        && matches!(tokens[i - 1].span.slice(text), "," | "\u{201D}" | "\"");
    if inverted {
        let speaker = (i + 1..range.end.min(i + 9))
            .filter_map(|k| entity_at(k))
            .find(|&e| entities.mentions[e].kind == crate::entities::EntityKind::Person)
            .or_else(|| right.as_ref().and_then(|r| r.1));
        if let Some(e) = speaker {
            return vec![participant(Role::Agent, e, entities)];
        }
    }
    match (passive, left, right) {
        (true, l, _) => {
            if let Some(l) = l {
                out.push(participant(Role::Patient, l, entities));
            }
            if let Some(a) = by_agent {
                out.push(participant(Role::Agent, a, entities));
            }
        }
        (false, None, Some((span, Some(e)))) if reporting => {
            // Inverted reporting clause: "..., confirmed press secretary Karoline Leavitt".
            out.push(Participant {
                role: Role::Agent,
                span,
                entity: Some(e),
            });
        }
        (false, l, r) => {
            if let Some(l) = l {
                out.push(participant(Role::Agent, l, entities));
            }
            if let Some((span, entity)) = r {
                if !reporting {
                    out.push(Participant {
                        role: Role::Patient,
                        span,
                        entity,
                    });
                }
            }
        }
    }
    out
}

fn participant(role: Role, entity: usize, entities: &Entities) -> Participant {
    Participant {
        role,
        span: entities.mentions[entity].span,
        entity: Some(entity),
    }
}

/// Participants of a nominal event: "Israel's withdrawal", "talks between Israel and
/// Hamas", "ceasefire with Hamas".
fn nominal_participants(
    ctx: &Context,
    range: std::ops::Range<usize>,
    i: usize,
) -> Vec<Participant> {
    let (text, tokens, entities) = (ctx.text, ctx.tokens, ctx.entities);
    let entity_at = |k: usize| ctx.entity_of[k];
    let mut out = Vec::new();
    // Possessor or modifier right before: "Israel's withdrawal", "Hamas attack".
    let mut k = i;
    while k > range.start && i - k < 3 {
        k -= 1;
        let w = tokens[k].span.slice(text);
        if let Some(e) = entity_at(k) {
            out.push(participant(Role::Agent, e, entities));
            break;
        }
        if !matches!(w, "'s" | "\u{2019}s") && !w.chars().all(char::is_lowercase) {
            break;
        }
    }
    // "between X and Y", "with X", "by X", "of X" right after.
    if i + 2 < range.end {
        let prep = tokens[i + 1].span.slice(text).to_lowercase();
        if matches!(prep.as_str(), "between" | "with" | "by" | "of" | "against") {
            let mut k = i + 2;
            let mut n = 0;
            while k < range.end && n < 2 && k <= i + 8 {
                if let Some(e) = entity_at(k) {
                    let role = if prep == "against" || prep == "of" {
                        Role::Patient
                    } else {
                        Role::Agent
                    };
                    if !out.iter().any(|p| p.entity == Some(e)) {
                        out.push(participant(role, e, entities));
                    }
                    n += 1;
                    let end = entities.mentions[e].span.end;
                    while k < range.end && tokens[k].span.start < end {
                        k += 1;
                    }
                    if k < range.end && tokens[k].span.slice(text) == "and" {
                        k += 1;
                        continue;
                    }
                    break;
                }
                k += 1;
            }
        }
    }
    out
}

/// Nominal triggers take a date only from this close (in tokens) with no verb between.
const NOMINAL_DATE_WINDOW: usize = 6;

/// Dates the triggers of one sentence: each DATE or TIME expression with a calendar value
/// goes to the one closest trigger it can belong to, a verb with no other verb between them
/// or an event noun close by ("talks on Monday"). Reference values (`PAST_REF`) and
/// durations date nothing; neither does the document date.
fn attach_dates(
    triggers: &[(usize, String, bool)],
    range: std::ops::Range<usize>,
    timexes: &[Timex],
    timex_of: &[Option<usize>],
) -> Vec<Option<usize>> {
    let mut dates: Vec<Option<(usize, usize)>> = vec![None; triggers.len()];
    let verbs: Vec<usize> = triggers.iter().filter(|t| !t.2).map(|t| t.0).collect();
    let mut k = range.start;
    while k < range.end {
        let Some(x) = timex_of[k] else {
            k += 1;
            continue;
        };
        let (first, mut last) = (k, k);
        while last + 1 < range.end && timex_of[last + 1] == Some(x) {
            last += 1;
        }
        k = last + 1;
        let t = &timexes[x];
        if !matches!(t.kind, TimexType::Date | TimexType::Time) || t.value.ends_with("_REF") {
            continue;
        }
        let best = triggers
            .iter()
            .enumerate()
            .filter_map(|(n, &(i, _, nominal))| {
                let (lo, hi) = if i < first { (i, first) } else { (last, i) };
                let distance = hi - lo;
                let verb_between = verbs.iter().any(|&v| lo < v && v < hi);
                let eligible = !verb_between && (!nominal || distance <= NOMINAL_DATE_WINDOW);
                // Prefer the nearer trigger; on a tie, the one before the expression.
                eligible.then_some((distance, i > last, n))
            })
            .min();
        if let Some((distance, _, n)) = best {
            if dates[n].is_none_or(|(d, _)| distance < d) {
                dates[n] = Some((distance, x));
            }
        }
    }
    dates.into_iter().map(|d| d.map(|(_, x)| x)).collect()
}
