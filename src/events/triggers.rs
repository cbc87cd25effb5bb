//! Event triggers: which tokens of a sentence name events.
//!
//! TimeML and MEANTIME conventions: every main verb is an event, auxiliaries and modals
//! are not (the verb they help carries the event); a copula with a noun-phrase predicate
//! or in an existential ("there was a glitch") is the event, a predicative adjective that
//! names a state ("was willing") is one; event nouns come from `data/events/nominal.txt`;
//! participles that modify a noun ("the existing fleet") and verb forms that work as
//! prepositions ("including", "according to") are not events.

use super::{is_aux_word, is_be, lexicon, Doc};
use crate::pos::Pos;
use crate::text::TokenKind;
use std::ops::Range;

/// What part of speech a trigger is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A main verb.
    Verb,
    /// A copula ("is" in "it is the biggest contract").
    Copula,
    /// An event noun.
    Noun,
    /// A predicative adjective naming a state.
    State,
}

/// One trigger of a sentence.
#[derive(Debug, Clone)]
pub(super) struct Trigger {
    /// Token index.
    pub token: usize,
    /// Lemma.
    pub lemma: String,
    /// Part of speech.
    pub kind: Kind,
}

/// Skips adverbs and negation to the right of `i` (exclusive), at most a few tokens.
fn next_content(doc: &Doc, i: usize, end: usize) -> Option<usize> {
    let mut k = i + 1;
    while k < end && k <= i + 4 {
        let p = doc.pos[k];
        if matches!(p, Pos::RB | Pos::RBR | Pos::RBS) || matches!(doc.low(k), "not" | "n't") {
            k += 1;
            continue;
        }
        return Some(k);
    }
    None
}

/// True when the auxiliary-like verb at `i` helps a verb after it ("has said", "was
/// released", "did not say", "has to leave").
fn is_auxiliary(doc: &Doc, i: usize, end: usize) -> bool {
    let Some(k) = next_content(doc, i, end) else {
        return false;
    };
    if doc.pos[k].is_verb() {
        return true;
    }
    // "have to", "has to": a semi-modal.
    if doc.pos[k] == Pos::TO && doc.low(i).starts_with('h') {
        return k + 1 < end && doc.pos[k + 1] == Pos::VB;
    }
    // Questions and inversions: "has Israel agreed", "did he say".
    if matches!(doc.pos[k], Pos::PRP | Pos::NNP | Pos::EX) && k + 1 < end {
        let j = k + 1;
        return doc.pos[j].is_verb() && matches!(doc.pos[j], Pos::VBN | Pos::VB | Pos::VBG);
    }
    false
}

/// True for a noun-phrase start after a copula ("a milestone", "the first", "our top
/// priority", "500 engineers").
fn starts_noun_phrase(doc: &Doc, k: usize, end: usize) -> bool {
    match doc.pos[k] {
        Pos::DT | Pos::PDT | Pos::PRPS | Pos::CD | Pos::NN | Pos::NNS => {
            !matches!(doc.low(k), "that" | "this" | "these" | "those") || {
                // "that" as a determiner only when a noun follows.
                k + 1 < end && doc.pos[k + 1].is_noun()
            }
        }
        _ => false,
    }
}

/// Finds the triggers of the sentence covering `range`.
pub(super) fn find(doc: &Doc, range: Range<usize>) -> Vec<Trigger> {
    let lex = lexicon();
    let mut out = Vec::new();
    let end = range.end;
    // Every common noun's lemma is looked up, few are kept: one buffer for the lookups.
    let mut noun_lemma = String::new();
    for i in range.clone() {
        if doc.tokens[i].kind != TokenKind::Word
            || doc.timex_of[i].is_some()
            || doc.entity_of[i].is_some()
        {
            continue;
        }
        let p = doc.pos[i];
        let w = doc.low(i);
        if p.is_verb() {
            if lex.not_events.contains(w) {
                continue;
            }
            if is_aux_word(w) {
                if is_auxiliary(doc, i, end) {
                    continue;
                }
                // "does", "did" as main verbs are mostly do-support in questions and
                // ellipsis ("so did Israel"); a clitic "'s" is more often a possessive.
                if matches!(w, "does" | "did")
                    || w.ends_with('s') && !w.starts_with(char::is_alphabetic)
                {
                    continue;
                }
                if is_be(w) {
                    let existential = i > range.start && doc.pos[i - 1] == Pos::EX;
                    let nominal_predicate =
                        next_content(doc, i, end).is_some_and(|k| starts_noun_phrase(doc, k, end));
                    if existential || nominal_predicate {
                        out.push(Trigger {
                            token: i,
                            lemma: "be".into(),
                            kind: Kind::Copula,
                        });
                    }
                    continue;
                }
            }
            // A participle modifying the noun after it: "the existing fleet".
            if matches!(p, Pos::VBN | Pos::VBG)
                && i > range.start
                && i + 1 < end
                && matches!(doc.pos[i + 1], Pos::NN | Pos::NNS)
                && matches!(
                    doc.pos[i - 1],
                    Pos::DT | Pos::PRPS | Pos::JJ | Pos::POS | Pos::CD | Pos::PDT | Pos::RB
                )
            {
                continue;
            }
            // "going to" + verb: a future marker.
            if w == "going" && i + 2 < end && doc.pos[i + 1] == Pos::TO && doc.pos[i + 2] == Pos::VB
            {
                continue;
            }
            out.push(Trigger {
                token: i,
                lemma: crate::pos::lemma(w, p),
                kind: Kind::Verb,
            });
        } else if matches!(p, Pos::NN | Pos::NNS) {
            let hit = if lex.nominal.contains(w) {
                Some(w.to_string())
            } else {
                crate::pos::lemma_into(w, p, &mut noun_lemma);
                lex.nominal
                    .contains(noun_lemma.as_str())
                    .then(|| noun_lemma.clone())
            };
            if let Some(lemma) = hit {
                out.push(Trigger {
                    token: i,
                    lemma,
                    kind: Kind::Noun,
                });
            }
        } else if p == Pos::JJ && lex.states.contains(w) && after_copula(doc, range.start, i) {
            out.push(Trigger {
                token: i,
                lemma: w.to_string(),
                kind: Kind::State,
            });
        }
    }
    out
}

/// True when the adjective at `i` is predicated: a copula or "become"/"remain" before it,
/// across adverbs.
fn after_copula(doc: &Doc, start: usize, i: usize) -> bool {
    let mut k = i;
    let mut lemma = String::new();
    while k > start && i - k < 4 {
        k -= 1;
        let w = doc.low(k);
        if is_be(w)
            || matches!(
                {
                    crate::pos::lemma_into(w, doc.pos[k], &mut lemma);
                    lemma.as_str()
                },
                "become" | "remain" | "seem" | "appear" | "stay"
            )
        {
            return true;
        }
        if !matches!(doc.pos[k], Pos::RB | Pos::RBR | Pos::RBS) {
            return false;
        }
    }
    false
}
