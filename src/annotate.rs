//! Runs the per-document stages in order (text -> entities and time -> events) and holds
//! their results. Documents are independent here, so this is what runs in parallel and
//! what `tkg extract` writes out, one line per document.

use crate::dict::Dictionary;
use crate::entities::{self, Entities};
use crate::events::{self, EventMention, OrderLink};
use crate::input::Document;
use crate::pos::{self, Pos};
use crate::text::{self, Sentence, Span, Token};
use crate::time::{self, Timex};

/// One document with everything the per-document stages found in it.
#[derive(Debug, Clone)]
pub struct Annotated {
    /// The document itself; all spans index into its text.
    pub doc: Document,
    /// Tokens in text order.
    pub tokens: Vec<Token>,
    /// Sentences in text order.
    pub sentences: Vec<Sentence>,
    /// One part-of-speech tag per token.
    pub pos: Vec<Pos>,
    /// People, organizations, places and role cues.
    pub entities: Entities,
    /// One per entity mention: its extent as news annotation marks it (a leading "the",
    /// a person's title), which is what the gold format scores; the mention's own span is
    /// the name alone.
    pub entity_extents: Vec<Span>,
    /// One per role cue: the owner named by a common noun ("the group's spokesman").
    pub role_nominals: Vec<Option<Span>>,
    /// Temporal expressions with their values.
    pub timexes: Vec<Timex>,
    /// Event mentions with participants and dates.
    pub events: Vec<EventMention>,
    /// Textual ordering cues between event mentions (indices into `events`).
    pub order: Vec<OrderLink>,
}

/// Runs every per-document stage on `doc`.
pub fn annotate(doc: Document) -> Annotated {
    annotate_with(doc, None)
}

/// Runs every per-document stage on `doc`, the names of a user dictionary overriding the
/// automatic entity mentions before events are found (so their participants link to them).
pub fn annotate_with(doc: Document, dict: Option<&Dictionary>) -> Annotated {
    let text = doc.text.as_str();
    let tokens = text::tokenize(text);
    let sentences = text::split_sentences(text, &tokens);
    let mut tags = Vec::with_capacity(tokens.len());
    for s in &sentences {
        tags.extend(pos::tag_sentence(text, &tokens, s));
    }
    let (mut entities, mut details) =
        entities::find_entities_detailed(text, &tokens, &sentences, &tags);
    let timexes = time::find_timexes_tagged(text, &tokens, &sentences, Some(&tags), doc.date);
    if let Some(d) = dict {
        let spans: Vec<Span> = timexes.iter().map(|t| t.span).collect();
        d.apply(
            text,
            &tokens,
            &spans,
            &mut entities,
            &mut details.extents,
            &mut details.role_nominals,
        );
    }
    let (events, order) =
        events::find_events_ordered(text, &tokens, &sentences, &tags, &entities, &timexes);
    Annotated {
        tokens,
        sentences,
        pos: tags,
        entities,
        entity_extents: details.extents,
        role_nominals: details.role_nominals,
        timexes,
        events,
        order,
        doc,
    }
}

/// Applies a user dictionary to a document annotated earlier (an annotation line read
/// back): mentions are replaced as in [`annotate_with`], event participants follow their
/// mentions (or lose the link when the mention is removed). Applying the dictionary the
/// document was annotated with changes nothing.
pub fn apply_dictionary(a: &mut Annotated, dict: &Dictionary) {
    let spans: Vec<Span> = a.timexes.iter().map(|t| t.span).collect();
    let remap = dict.apply(
        &a.doc.text,
        &a.tokens,
        &spans,
        &mut a.entities,
        &mut a.entity_extents,
        &mut a.role_nominals,
    );
    for e in &mut a.events {
        for p in &mut e.participants {
            p.entity = p.entity.and_then(|i| remap.get(i).copied().flatten());
        }
    }
}

/// Converts byte offsets of one text into Unicode code point offsets (Python string
/// indices), which is what every output format uses.
pub struct CharIndex {
    /// Byte offsets of the first byte of every non-ASCII char, with the running count.
    table: Vec<(usize, usize)>,
}

impl CharIndex {
    /// Builds the index for `text`; costs nothing for ASCII text.
    pub fn new(text: &str) -> CharIndex {
        let mut table = Vec::new();
        let mut extra = 0;
        for (b, c) in text.char_indices() {
            let len = c.len_utf8();
            if len > 1 {
                extra += len - 1;
                table.push((b + len, extra));
            }
        }
        CharIndex { table }
    }

    /// The code point offset of byte offset `byte` (which must be a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        let k = self.table.partition_point(|&(b, _)| b <= byte);
        if k == 0 {
            byte
        } else {
            byte - self.table[k - 1].1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_python_indices() {
        let text = "a\u{e9}b \u{1F600}c \u{201C}d\u{201D}";
        let index = CharIndex::new(text);
        for (ci, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(index.char_offset(b), ci);
        }
        assert_eq!(index.char_offset(text.len()), text.chars().count());
    }
}
