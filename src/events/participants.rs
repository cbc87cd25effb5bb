//! Participants: who does what to whom, from shallow syntax.
//!
//! A sentence is cut into noun-phrase chunks (determiners, adjectives, numbers, nouns,
//! pronouns and entity mentions, plus "of" attachments). A verb's subject is the chunk
//! before its verb group, found across adverbs, appositions ("Boeing, the plane maker,
//! said"), relative pronouns ("the team that merged") and dated phrases ("Boeing on
//! Monday said"); a verb coordinated with or controlled by an earlier verb ("announced ...
//! and pushed", "wants to buy") shares that verb's subject. The object is the chunk after
//! the verb. Voice decides the roles: the subject of a passive ("was released by Hamas")
//! or of an unaccusative verb without object ("prices fell") is the patient, and a "by"
//! phrase is the agent. Event nouns take their possessor ("Israel's withdrawal") and their
//! "of"/"by"/"between"/"against" phrases.

use super::triggers::{Kind, Trigger};
use super::{is_aux_word, is_be, lexicon, Doc, Participant, Role};
use crate::pos::Pos;
use crate::text::Span;
use std::ops::Range;

/// A noun-phrase chunk: tokens `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Np {
    start: usize,
    end: usize,
    /// For a relative pronoun, the chunk it stands for.
    entity_from: Option<ChunkRef>,
}

/// A chunk's token range, for the entity a relative pronoun stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ChunkRef {
    start: usize,
    end: usize,
}

impl Np {
    fn new(start: usize, end: usize) -> Np {
        Np {
            start,
            end,
            entity_from: None,
        }
    }
}

/// The chunks of one sentence, indexed by the tokens that start and end them.
struct Chunks {
    /// First token of the sentence.
    base: usize,
    /// For each token of the sentence, the chunks ending there, starting there and holding
    /// it ([`ENDING`], [`STARTING`], [`HOLDING`]): one vector per sentence, not three.
    at: Vec<[Option<Np>; 3]>,
}

const ENDING: usize = 0;
const STARTING: usize = 1;
const HOLDING: usize = 2;

impl Chunks {
    fn get(&self, k: usize, which: usize) -> Option<Np> {
        k.checked_sub(self.base)
            .and_then(|j| self.at.get(j))
            .and_then(|slots| slots[which])
    }
    fn ending_at(&self, k: usize) -> Option<Np> {
        self.get(k, ENDING)
    }
    fn starting_at(&self, k: usize) -> Option<Np> {
        self.get(k, STARTING)
    }
    fn holding(&self, k: usize) -> Option<Np> {
        self.get(k, HOLDING)
    }
}

/// True for a token that can be part of a noun phrase.
fn np_token(doc: &Doc, k: usize, end: usize) -> bool {
    if doc.timex_of[k].is_some() {
        return false;
    }
    if doc.entity_of[k].is_some() {
        return true;
    }
    match doc.pos[k] {
        Pos::DT => !matches!(doc.low(k), "that" | "which"),
        Pos::PDT
        | Pos::PRPS
        | Pos::JJ
        | Pos::JJR
        | Pos::JJS
        | Pos::CD
        | Pos::NN
        | Pos::NNS
        | Pos::NNP
        | Pos::NNPS
        | Pos::POS
        | Pos::PRP => true,
        // A participle modifying the next noun: "the proposed merger".
        Pos::VBN | Pos::VBG => {
            k + 1 < end && matches!(doc.pos[k + 1], Pos::NN | Pos::NNS | Pos::JJ)
        }
        Pos::Punct => matches!(doc.word(k), "$" | "%" | "&"),
        _ => false,
    }
}

/// True for a token that can head a chunk.
fn head_token(doc: &Doc, k: usize) -> bool {
    doc.entity_of[k].is_some()
        || matches!(
            doc.pos[k],
            Pos::NN | Pos::NNS | Pos::NNP | Pos::NNPS | Pos::PRP | Pos::CD
        )
}

fn chunk(doc: &Doc, range: Range<usize>) -> Chunks {
    let n = range.len();
    let mut c = Chunks {
        base: range.start,
        at: vec![[None; 3]; n],
    };
    let mut k = range.start;
    while k < range.end {
        if !np_token(doc, k, range.end) {
            k += 1;
            continue;
        }
        let start = k;
        let mut has_head = head_token(doc, k);
        let mut last_head = if has_head { Some(k) } else { None };
        k += 1;
        while k < range.end && np_token(doc, k, range.end) {
            let prev_head = head_token(doc, k - 1) && doc.pos[k - 1] != Pos::POS;
            let breaks = (prev_head && matches!(doc.pos[k], Pos::DT | Pos::PDT | Pos::PRPS))
                || (doc.pos[k] == Pos::PRP && doc.entity_of[k].is_none())
                || (doc.pos[k - 1] == Pos::PRP && doc.entity_of[k - 1].is_none());
            if breaks {
                break;
            }
            if head_token(doc, k) {
                has_head = true;
                last_head = Some(k);
            }
            k += 1;
        }
        if has_head {
            // A chunk ends at its last head: trailing adjectives belong to what follows.
            let end = last_head.unwrap_or(k - 1);
            let np = Np::new(start, end);
            c.at[end - range.start][ENDING] = Some(np);
            c.at[start - range.start][STARTING] = Some(np);
            for j in start..=end {
                c.at[j - range.start][HOLDING] = Some(np);
            }
            k = end + 1;
        }
    }
    c
}

/// The chunk extended by an "of" phrase after it ("the value of the contract").
fn with_of(doc: &Doc, chunks: &Chunks, np: Np, end: usize) -> Np {
    if np.end + 2 < end && doc.low(np.end + 1) == "of" {
        if let Some(next) = chunks.starting_at(np.end + 2) {
            return Np::new(np.start, next.end);
        }
    }
    np
}

fn to_participant(doc: &Doc, np: Np, role: Role) -> Participant {
    let entity = np
        .entity_from
        .and_then(|e| (e.start..=e.end).rev().find_map(|k| doc.entity_of[k]))
        .or_else(|| (np.start..=np.end).rev().find_map(|k| doc.entity_of[k]));
    Participant {
        role,
        span: Span::new(doc.tokens[np.start].span.start, doc.tokens[np.end].span.end),
        entity,
    }
}

/// How a subject search ended.
#[derive(Debug, Clone, Copy)]
enum Subject {
    /// A chunk before the verb group.
    Found(Np),
    /// A relative pronoun standing for the chunk before it.
    Relative {
        /// The pronoun's token.
        pronoun: usize,
        /// What it stands for.
        antecedent: Np,
    },
    /// The verb shares the subject of the verb before it.
    Inherit,
    /// No subject.
    None,
}

/// The first token of the verb group ending at `i`: auxiliaries, modals, "to", negation
/// and adverbs before it.
fn group_start(doc: &Doc, start: usize, i: usize) -> usize {
    let mut k = i;
    while k > start {
        let p = doc.pos[k - 1];
        let w = doc.low(k - 1);
        let aux = p == Pos::MD
            || p == Pos::TO
            || matches!(p, Pos::RB | Pos::RBR | Pos::RBS)
            || matches!(w, "not" | "n't")
            || (p.is_verb() && is_aux_word(w));
        if !aux {
            break;
        }
        k -= 1;
    }
    k
}

/// The subject of the verb group starting at `g`.
fn subject(doc: &Doc, chunks: &Chunks, start: usize, g: usize, verb: usize) -> Subject {
    // An infinitive shares the subject of the verb that governs it: "Boeing wants to buy";
    // a name or a plural noun right before "to" is its own subject, as the object of the
    // verb before ("allows users to record", "for Cisco to file") or in a headline
    // ("Apple to lower prices").
    if (g..verb).any(|k| doc.pos[k] == Pos::TO) {
        if doc.pos[g] == Pos::TO && g > start {
            if let Some(np) = chunks.ending_at(g - 1) {
                let head = np.end;
                let named = (np.start..=np.end).any(|k| doc.entity_of[k].is_some());
                let people = matches!(doc.pos[head], Pos::NNS | Pos::NNPS);
                let free = np.start == start || {
                    let before = np.start - 1;
                    doc.pos[before] != Pos::IN || doc.low(before) == "for"
                };
                if (named || people)
                    && free
                    && !lexicon().nominal.contains(doc.low(head))
                    && !lexicon()
                        .nominal
                        .contains(crate::pos::lemma(doc.word(head), doc.pos[head]).as_str())
                {
                    return Subject::Found(np);
                }
            }
        }
        return Subject::Inherit;
    }
    // A participial clause after a comma: "Hamas rejected it, arguing that ...".
    if g > start && doc.word(g - 1) == "," && matches!(doc.pos[verb], Pos::VBG) {
        return Subject::Inherit;
    }
    let mut j = g;
    // Dated phrases between subject and verb: "Boeing on Monday said".
    while j > start && (doc.timex_of[j - 1].is_some() || doc.low(j - 1) == "also") {
        j -= 1;
        if j > start && doc.timex_of[j].is_some() && doc.pos[j - 1] == Pos::IN {
            j -= 1;
        }
    }
    if j == start {
        return Subject::None;
    }
    let k = j - 1;
    if let Some(np) = chunks.ending_at(k) {
        return Subject::Found(np_left(doc, chunks, start, np));
    }
    let w = doc.low(k);
    match w {
        "who" | "which" | "that" => {
            let mut a = k;
            if a > start && doc.word(a - 1) == "," {
                a -= 1;
            }
            // News annotation marks the relative pronoun itself; the graph wants the
            // entity it stands for.
            return match a.checked_sub(1).and_then(|a| chunks.ending_at(a)) {
                Some(np) if a > start => Subject::Relative {
                    pronoun: k,
                    antecedent: np_left(doc, chunks, start, np),
                },
                _ => Subject::None,
            };
        }
        "and" | "or" | "but" => return Subject::Inherit,
        "," => {
            // An apposition or a parenthetical between subject and verb: find the comma
            // that opens it and take the chunk before that.
            let mut a = k;
            while a > start && k - a < 15 {
                a -= 1;
                if doc.word(a) == "," {
                    if let Some(np) = a.checked_sub(1).and_then(|b| chunks.ending_at(b)) {
                        if a > start {
                            return Subject::Found(np_left(doc, chunks, start, np));
                        }
                    }
                    break;
                }
            }
            return Subject::Inherit;
        }
        _ => {}
    }
    if doc.pos[k].is_verb() || doc.pos[k] == Pos::TO {
        return Subject::Inherit;
    }
    Subject::None
}

/// A subject chunk widened leftwards over the "of" phrase it ends: "the value of the
/// contract".
fn np_left(doc: &Doc, chunks: &Chunks, start: usize, np: Np) -> Np {
    if np.start >= start + 2 && doc.low(np.start - 1) == "of" {
        if let Some(head) = chunks.ending_at(np.start - 2) {
            return Np::new(head.start, np.end);
        }
    }
    np
}

/// The participants of each trigger of one sentence, index-aligned with `triggers`.
///
/// Also returns, per trigger, the token of the event noun that a light verb's object names
/// ("issued a warning" -> "warning"), so the two can share type and date.
pub(super) fn find(
    doc: &Doc,
    range: Range<usize>,
    triggers: &[Trigger],
) -> (Vec<Vec<Participant>>, Vec<Option<usize>>) {
    let chunks = chunk(doc, range.clone());
    let lex = lexicon();
    let mut out = Vec::with_capacity(triggers.len());
    // The raw subject of the last verbal trigger, for coordinated and controlled verbs.
    let mut last_subject: Option<Np> = None;
    let mut noun_trigger = vec![false; range.len()];
    for t in triggers.iter().filter(|t| t.kind == Kind::Noun) {
        noun_trigger[t.token - range.start] = true;
    }
    let mut lent_agent: Vec<Option<Participant>> = vec![None; range.len()];
    let mut light_objects = vec![None; triggers.len()];
    for (n, t) in triggers.iter().enumerate() {
        let mut parts = Vec::new();
        match t.kind {
            Kind::Noun => {
                nominal(doc, &chunks, range.clone(), t.token, &mut parts);
                // "Netanyahu issued a warning": the light verb's subject issues the warning.
                if let Some(agent) = lent_agent[t.token - range.start].take() {
                    if !parts.iter().any(|p| p.role == Role::Agent) {
                        parts.push(agent);
                    }
                }
            }
            Kind::Verb | Kind::Copula | Kind::State => {
                let i = t.token;
                // A state's subject is its copula's.
                let verb = if t.kind == Kind::State {
                    (range.start..i)
                        .rev()
                        .take(4)
                        .find(|&k| doc.pos[k].is_verb())
                        .unwrap_or(i)
                } else {
                    i
                };
                let g = group_start(doc, range.start, verb);
                let group = g..verb;
                let passive = t.kind == Kind::Verb
                    && doc.pos[i] == Pos::VBN
                    && match group.clone().rev().find(|&k| doc.pos[k].is_verb()) {
                        // The auxiliary next to the participle decides: "has been kept" is
                        // passive, "has rolled out" is not.
                        Some(k) => {
                            let w = doc.low(k);
                            is_be(w) || w.starts_with("get") || w == "got"
                        }
                        None => reduced_relative(doc, &chunks, range.clone(), g, i, &t.lemma),
                    }
                    // Headline passives without the auxiliary, often tagged as past tense:
                    // "Apple swamped by pre-orders" ("rose by 5%" is no passive).
                    || t.kind == Kind::Verb
                        && matches!(doc.pos[i], Pos::VBD | Pos::VBN)
                        && i + 2 < range.end
                        && doc.low(i + 1) == "by"
                        && !lex.unaccusative.contains(t.lemma.as_str())
                        && chunks
                            .starting_at(i + 2)
                            .is_some_and(|np| !is_amount(doc, np));
                let subj = match subject(doc, &chunks, range.start, g, verb) {
                    Subject::Found(np) => Some(np),
                    Subject::Relative {
                        pronoun,
                        antecedent,
                    } => Some(Np {
                        start: pronoun,
                        end: pronoun,
                        entity_from: Some(ChunkRef {
                            start: antecedent.start,
                            end: antecedent.end,
                        }),
                    }),
                    Subject::Inherit => last_subject,
                    Subject::None => None,
                };
                if t.kind != Kind::State {
                    last_subject = subj;
                }
                let reporting = t.kind == Kind::Verb && lex.reporting.contains(t.lemma.as_str());
                // Inverted reporting clause: "..., confirmed press secretary Karoline Leavitt".
                let inverted = reporting
                    && i > range.start
                    && matches!(doc.word(i - 1), "," | "\u{201D}" | "\"" | "''")
                    && i + 1 < range.end
                    && chunks.starting_at(i + 1).is_some()
                    && !apposition_before(doc, &chunks, range.start, i);
                if inverted {
                    let np = chunks.starting_at(i + 1).unwrap_or(Np::new(i + 1, i + 1));
                    parts.push(to_participant(doc, np, Role::Agent));
                    out.push(parts);
                    continue;
                }
                // Object: the chunk after the verb and its particle.
                let mut k = i + 1;
                while k < range.end && k <= i + 3 && matches!(doc.pos[k], Pos::RP | Pos::RB) {
                    k += 1;
                }
                let object = if t.kind == Kind::State
                    || reporting && k < range.end && doc.low(k) == "that"
                {
                    None
                } else {
                    (k < range.end)
                        .then(|| chunks.starting_at(k))
                        .flatten()
                        .map(|np| with_of(doc, &chunks, np, range.end))
                };
                // An event noun as object names its own event ("filed a lawsuit", "made its
                // maiden flight"); its "of" phrase is what the verb acts on, if any.
                let light = lex.light_verbs.contains(t.lemma.as_str());
                if let (true, false, Some(np)) = (light, passive, object) {
                    let head = chunks.holding(np.start).map_or(np.end, |c| c.end);
                    if noun_trigger[head - range.start] {
                        light_objects[n] = Some(head);
                        if let Some(s) = subj {
                            lent_agent[head - range.start] =
                                Some(to_participant(doc, s, Role::Agent));
                        }
                    }
                }
                // Where phrases after the object start ("filed a lawsuit against Apple").
                let after_object = object.map_or(k, |o| o.end + 1);
                let object = if light {
                    object.and_then(|np| object_of_event_noun(doc, &chunks, np, range.end))
                } else {
                    object
                };
                // "fell two percent", "rose 250 points": an amount, not an object.
                let (object, extent) = match object {
                    Some(np)
                        if lex.unaccusative.contains(t.lemma.as_str()) && is_amount(doc, np) =>
                    {
                        (None, Some(np))
                    }
                    o => (o, None),
                };
                if let Some(np) = extent {
                    parts.push(to_participant(doc, np, Role::Other));
                }
                let by_agent = passive
                    .then(|| by_phrase(doc, &chunks, range.clone(), i))
                    .flatten();
                match (t.kind, passive) {
                    (Kind::Copula, _) | (Kind::State, _) => {
                        if let Some(s) = subj {
                            parts.push(to_participant(doc, s, Role::Patient));
                        }
                        // "there were 3,800 attendees": what exists is the theme.
                        let existential = i > range.start && doc.pos[i - 1] == Pos::EX;
                        let role = if existential {
                            Role::Patient
                        } else {
                            Role::Other
                        };
                        if let Some(o) = object {
                            parts.push(to_participant(doc, o, role));
                        }
                    }
                    (_, true) => {
                        if let Some(s) = subj {
                            parts.push(to_participant(doc, s, Role::Patient));
                        }
                        if let Some(a) = by_agent {
                            parts.push(to_participant(doc, a, Role::Agent));
                        }
                    }
                    _ => {
                        let role = if object.is_none()
                            && lex.unaccusative.contains(t.lemma.as_str())
                            // "flew to London": a destination; "rose to a high" is a level.
                            && !(k < range.end
                                && doc.low(k) == "to"
                                && matches!(t.lemma.as_str(), "fly" | "arrive" | "land" | "depart"))
                        {
                            Role::Patient
                        } else {
                            Role::Agent
                        };
                        if let Some(s) = subj {
                            parts.push(to_participant(doc, s, role));
                        }
                        if let Some(o) = object {
                            parts.push(to_participant(doc, o, Role::Patient));
                        }
                    }
                }
                // "Israel and Hamas agreed": both conjuncts take the subject's role.
                if let Some(first) =
                    subj.and_then(|s| conjunct_before(doc, &chunks, range.start, s))
                {
                    let span = subj.map(|s| to_participant(doc, s, Role::Other).span);
                    if let Some(role) = parts.iter().find(|p| Some(p.span) == span).map(|p| p.role)
                    {
                        parts.push(to_participant(doc, first, role));
                    }
                }
                if t.kind == Kind::Verb && !reporting {
                    let after = object.map_or(after_object, |o| o.end + 1).max(after_object);
                    // Up to two in a row: "flew from London to Sydney".
                    if let Some(np) = place_phrase(doc, &chunks, range.clone(), after) {
                        parts.push(to_participant(doc, np, Role::Other));
                        if let Some(np) = place_phrase(doc, &chunks, range.clone(), np.end + 1) {
                            parts.push(to_participant(doc, np, Role::Other));
                        }
                    }
                }
            }
        }
        // A bare quantity ("42%", "340 points", "$99") is a value, not a participant:
        // news annotation links events to entities only.
        parts.retain(|p| !bare_quantity(doc, range.clone(), p.span));
        if t.kind != Kind::Noun {
            // An event noun heading an argument is an event of its own ("the suspension
            // took place"), which news annotation does not count as a participant.
            parts.retain(|p| {
                let head = doc.tokens.partition_point(|t| t.span.end < p.span.end);
                p.entity.is_some() || !(range.contains(&head) && noun_trigger[head - range.start])
            });
        }
        out.push(parts);
    }
    (out, light_objects)
}

/// The agent of a passive: the chunk after "by" within a few tokens of the verb.
fn by_phrase(doc: &Doc, chunks: &Chunks, range: Range<usize>, i: usize) -> Option<Np> {
    let mut k = i + 1;
    while k + 1 < range.end && k <= i + 6 {
        if doc.low(k) == "by" {
            return chunks.starting_at(k + 1);
        }
        if doc.pos[k].is_verb() || matches!(doc.word(k), "," | ";" | ":") {
            return None;
        }
        k += 1;
    }
    None
}

/// Participants of an event noun: its possessor or modifier ("Israel's withdrawal", "our
/// effort"), and the phrase after it ("talks between Israel and Hamas", "the release of
/// the hostages", "the attack by Hamas").
fn nominal(
    doc: &Doc,
    chunks: &Chunks,
    range: Range<usize>,
    i: usize,
    parts: &mut Vec<Participant>,
) {
    if let Some(np) = chunks.holding(i) {
        // A possessive inside the trigger's chunk: everything before it is the owner.
        if let Some(p) = (np.start..i).rev().find(|&k| doc.pos[k] == Pos::POS) {
            if p > np.start {
                parts.push(to_participant(doc, Np::new(np.start, p - 1), Role::Agent));
            }
        } else if let Some(p) = (np.start..i).find(|&k| doc.pos[k] == Pos::PRPS) {
            parts.push(to_participant(doc, Np::new(p, p), Role::Agent));
        } else if let Some(e) = (np.start..i).find(|&k| doc.entity_of[k].is_some()) {
            let last = (e..i)
                .take_while(|&k| doc.entity_of[k] == doc.entity_of[e])
                .last()
                .unwrap_or(e);
            parts.push(to_participant(doc, Np::new(e, last), Role::Agent));
        } else if i > np.start && matches!(doc.pos[i - 1], Pos::NN | Pos::NNS) {
            // A noun modifier is what the event affects: "plant closures", "debt reduction".
            parts.push(to_participant(doc, Np::new(i - 1, i - 1), Role::Patient));
        }
    }
    if i + 2 >= range.end {
        return;
    }
    let role = match doc.low(i + 1) {
        "of" | "against" | "on" => Role::Patient,
        "by" | "between" => Role::Agent,
        "with" | "in" | "at" | "from" => Role::Other,
        _ => return,
    };
    let Some(first) = chunks.starting_at(i + 2) else {
        return;
    };
    parts.push(to_participant(doc, first, role));
    // "between Israel and Hamas": both.
    if first.end + 2 < range.end && doc.low(first.end + 1) == "and" && doc.low(i + 1) != "of" {
        if let Some(second) = chunks.starting_at(first.end + 2) {
            parts.push(to_participant(doc, second, role));
        }
    }
}

/// The object chunk as a participant: unchanged, or, when its head is an event noun, the
/// "of" phrase after it ("the purchase of 22 new airliners"), or nothing.
fn object_of_event_noun(doc: &Doc, chunks: &Chunks, np: Np, end: usize) -> Option<Np> {
    let head = chunks.holding(np.start).map_or(np.end, |c| c.end);
    let lex = lexicon();
    let w = doc.low(head);
    let is_event = lex.nominal.contains(w)
        || matches!(doc.pos[head], Pos::NN | Pos::NNS)
            && lex
                .nominal
                .contains(crate::pos::lemma(w, doc.pos[head]).as_str());
    if !is_event || doc.entity_of[head].is_some() {
        return Some(np);
    }
    if head + 2 < end && doc.low(head + 1) == "of" {
        return chunks.starting_at(head + 2);
    }
    None
}

/// A prepositional phrase naming a place, party or recipient right after the verb or its
/// object ("fly to London", "sold to Ford"): only when it names an entity.
fn place_phrase(doc: &Doc, chunks: &Chunks, range: Range<usize>, k: usize) -> Option<Np> {
    if k + 1 >= range.end || doc.pos[k] != Pos::IN && doc.pos[k] != Pos::TO {
        return None;
    }
    if !matches!(
        doc.low(k),
        "to" | "from" | "in" | "at" | "into" | "with" | "against" | "for" | "on"
    ) {
        return None;
    }
    let np = chunks.starting_at(k + 1)?;
    (np.start..=np.end)
        .any(|j| doc.entity_of[j].is_some())
        .then_some(np)
}

/// True when `i` follows an apposition closed by a comma: "Boeing, the plane maker, said".
fn apposition_before(doc: &Doc, chunks: &Chunks, start: usize, i: usize) -> bool {
    if i < start + 4 || doc.word(i - 1) != "," {
        return false;
    }
    let Some(inner) = chunks.ending_at(i - 2) else {
        return false;
    };
    let inner = np_left(doc, chunks, start, inner);
    inner.start >= start + 2
        && doc.word(inner.start - 1) == ","
        && chunks.ending_at(inner.start - 2).is_some()
}

/// True for an amount chunk: it starts with a number or a currency sign, or its head is
/// a unit of change ("percent", "points").
fn is_amount(doc: &Doc, np: Np) -> bool {
    matches!(doc.pos[np.start], Pos::CD)
        || matches!(doc.word(np.start), "$" | "%")
        || matches!(
            doc.low(np.end),
            "percent" | "%" | "points" | "point" | "cents"
        )
}

/// True when every token of `span` is a number, a currency or percent sign, or a unit of
/// quantity ("42%", "340 points", "$99", "15,000", "two percent").
fn bare_quantity(doc: &Doc, range: Range<usize>, span: crate::text::Span) -> bool {
    let mut any = false;
    let first = doc.tokens.partition_point(|t| t.span.end <= span.start);
    for k in first.max(range.start)..range.end {
        let t = doc.tokens[k].span;
        if t.start >= span.end {
            break;
        }
        any = true;
        let quantity = doc.pos[k] == Pos::CD
            || matches!(
                doc.low(k),
                "$" | "%"
                    | "us$"
                    | "percent"
                    | "per"
                    | "cent"
                    | "points"
                    | "point"
                    | "cents"
                    | "dollars"
                    | "billion"
                    | "million"
                    | "trillion"
                    | "bn"
                    | "about"
                    | "nearly"
                    | "almost"
                    | "some"
                    | "another"
            );
        if !quantity {
            return false;
        }
    }
    any
}

/// True for a participle right after a noun phrase that is a reduced passive relative
/// ("the planes delivered last year", "a plan proposed by the envoy"): it has a "by"
/// agent or no object, and it is no reporting verb ("Perino said" is active).
fn reduced_relative(
    doc: &Doc,
    chunks: &Chunks,
    range: Range<usize>,
    g: usize,
    i: usize,
    lemma: &str,
) -> bool {
    if g <= range.start || chunks.ending_at(g - 1).is_none() || lexicon().reporting.contains(lemma)
    {
        return false;
    }
    by_phrase(doc, chunks, range.clone(), i).is_some()
        || i + 1 < range.end && chunks.starting_at(i + 1).is_none() && doc.pos[i + 1] != Pos::RP
}

/// The first conjunct of a coordinated subject ("Israel and Hamas"): a chunk, then "and",
/// then the subject chunk, the first not itself the object of a verb.
fn conjunct_before(doc: &Doc, chunks: &Chunks, start: usize, np: Np) -> Option<Np> {
    if np.entity_from.is_some() || np.start < start + 2 || doc.low(np.start - 1) != "and" {
        return None;
    }
    let first = chunks.ending_at(np.start - 2)?;
    let free = first.start == start || {
        let p = doc.pos[first.start - 1];
        !p.is_verb() && p != Pos::TO && p != Pos::IN
    };
    free.then_some(first)
}
