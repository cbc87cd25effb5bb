//! Stage 3a: entities. Finds mentions of people, organizations and places, and the
//! role cues ("press secretary" of "White House") that link them.
//!
//! Recognition generalizes from the shape of names rather than from a list of them:
//! capitalized token runs (joined across "of", "&" and name particles where cue words
//! allow), titles that precede a name, organization and place cue words, common given
//! names, and what the rest of the document says about a name. Lexicons decide where
//! they can: a place gazetteer derived from ISO 3166 and GeoNames (`data/gazetteer/`,
//! rebuilt by `scripts/build_gazetteer.py`) and hand-written lists (`data/entities/`).
//!
//! A statistical tagger (`tagger.rs`, an averaged perceptron trained by `tkg train-ner` on
//! Universal NER and GUM, weights in `data/ner/`) can replace or correct the rules through
//! [`find_entities_with`] and [`NameSource`]. Measured on MEANTIME dev, only one combination
//! beat the rules on both strict and relaxed F1, and it is the default: the tagger adds
//! names where the rules found nothing (it runs only on sentences with uncovered capitals).
//!
//! Spans cite the name only; [`EntityMention::extent`] adds what news annotation
//! (MEANTIME) counts as part of the mention: a leading "the" and a preceding title.

mod lexicon;
mod ner_train;
mod recognize;
mod roles;
mod tagger;

pub use ner_train::{evaluate_ner, read_gum, read_iob2, train_ner, NerDoc, NerTrainConfig};
pub use tagger::NerModel;

use crate::pos::Pos;
use crate::text::{Sentence, Span, Token};
use serde::{Deserialize, Serialize};

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, government body, party, group or other organization.
    Organization,
    /// A country, city, region or other place.
    Location,
}

/// One mention of an entity in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityMention {
    /// Where the mention is in the original text (byte offsets): the name only, never a title.
    pub span: Span,
    /// What it is.
    pub kind: EntityKind,
    /// The canonical name this mention points to when it is a derived form, e.g.
    /// "Israel" for the adjective "Israeli"; `None` when the surface text is the name.
    pub canonical: Option<String>,
}

/// A role cue: `person` holds `title` in `organization` ("White House press secretary
/// Karoline Leavitt", "Hamas's spokesman, Hazem Qassem").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMention {
    /// Index into [`Entities::mentions`] of the person.
    pub person: usize,
    /// The title, lower-cased ("press secretary", "prime minister").
    pub title: String,
    /// Index into [`Entities::mentions`] of the organization or place, when the text names one.
    pub organization: Option<usize>,
    /// Where the whole cue is in the text, for evidence.
    pub span: Span,
}

/// All entity mentions and role cues of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entities {
    /// Mentions in text order.
    pub mentions: Vec<EntityMention>,
    /// Role cues between mentions.
    pub roles: Vec<RoleMention>,
}

/// What [`find_entities_detailed`] finds beyond [`Entities`], index-aligned with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityDetails {
    /// One per mention: its extent as news annotation (MEANTIME) marks it, which is the
    /// name plus a leading "the" when the name heads its phrase ("the United States"), and
    /// for a person the title and owner directly before the name ("Australian Prime
    /// Minister John Howard"). Export these, not the name spans, to score against MEANTIME.
    pub extents: Vec<Span>,
    /// One per role cue: the title's owner when the text names it by a common noun ("The
    /// group" in "The group's spokesman, Hazem Qassem"), for coreference to resolve.
    pub role_nominals: Vec<Option<Span>>,
}

/// Finds the entity mentions and role cues of one document. `pos` holds one tag per token.
///
/// Mentions come sorted by start and never overlap; role cues refer to them by index.
pub fn find_entities(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    pos: &[Pos],
) -> Entities {
    find_entities_detailed(text, tokens, sentences, pos).0
}

/// [`find_entities`], plus each mention's annotation extent and each role's nominal owner.
pub fn find_entities_detailed(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    pos: &[Pos],
) -> (Entities, EntityDetails) {
    find_entities_with(text, tokens, sentences, pos, NameSource::default())
}

/// [`find_entities_detailed`] with names from `source` (rules, tagger, or a combination).
pub fn find_entities_with(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    pos: &[Pos],
    source: NameSource,
) -> (Entities, EntityDetails) {
    if tokens.is_empty() {
        return (Entities::default(), EntityDetails::default());
    }
    let doc = recognize::Doc::new(text, tokens, sentences, pos);
    let mut pieces = recognize::recognize(&doc, sentences);
    combine_with_tagger(text, tokens, sentences, pos, &mut pieces, source);
    let mut bounds = vec![(0, tokens.len()); tokens.len()];
    for s in sentences {
        let (a, b) = (
            s.tokens.start.min(tokens.len()),
            s.tokens.end.min(tokens.len()),
        );
        for slot in &mut bounds[a..b] {
            *slot = (a, b);
        }
    }
    let sentence_of = |i: usize| bounds[i];
    let span_of = |a: usize, b: usize| Span::new(tokens[a].span.start, tokens[b - 1].span.end);
    let cues = roles::title_cues(&doc, &pieces, &sentence_of);
    let (roles, role_nominals) = roles::roles_from_cues(&doc, &pieces, &cues, &span_of);
    let mut extents = Vec::with_capacity(pieces.len());
    // The title written right before each person, if any.
    let mut adjacent_cue = vec![None; pieces.len()];
    for cue in cues.iter().filter(|c| c.adjacent) {
        adjacent_cue[cue.person].get_or_insert(cue);
    }
    let mentions = pieces
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let (floor, _) = bounds[p.start];
            let mut first = p.start;
            if let Some(cue) = adjacent_cue[pi] {
                first = cue.start;
                if let Some(o) = cue.organization {
                    if pieces[o].end == cue.start {
                        first = pieces[o].start;
                    }
                }
                // "the company's vice president John Smith".
                if let Some((a, _)) = cue.nominal {
                    first = first.min(a);
                }
            }
            let follows_the = first > floor && doc.norm[first - 1].eq_ignore_ascii_case("the");
            let heads_phrase = p.end >= tokens.len() || !modifies_next(&doc, pos, p.end);
            if follows_the && (heads_phrase || first < p.start) {
                first -= 1;
            }
            extents.push(span_of(first, p.end));
            EntityMention {
                span: span_of(p.start, p.end),
                kind: p.kind,
                canonical: p.canonical.clone(),
            }
        })
        .collect();
    (
        Entities { mentions, roles },
        EntityDetails {
            extents,
            role_nominals,
        },
    )
}

/// Where names come from: the rules, the statistical tagger, or both. The default, and
/// what the pipeline uses, is [`NameSource::RulesPlusTagger`], the only combination that
/// improved both strict and relaxed entity F1 on MEANTIME dev (see `data/ner/README.md`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameSource {
    /// Rules and gazetteers only.
    Rules,
    /// The statistical tagger alone (stacked: it reads the rules' output as features).
    Tagger,
    /// The rules, without weakly typed names the tagger labels O throughout.
    RulesVetoedByTagger,
    /// The rules, with weakly typed names retyped where the tagger finds the same span.
    RulesTypedByTagger,
    /// The rules, plus names the tagger finds where the rules found nothing: names with two
    /// capitalized words in a row that no word list rejects (titles, "Dow Jones").
    #[default]
    RulesPlusTagger,
}

/// True when the word lists say tokens `[a, b)` are no name the tagger may add: a title
/// ("Prime Minister"), a word that is never a name or a date ("The", "Monday"), or a listed
/// non-entity ("Dow Jones", "... Games").
fn lexicon_rejects(text: &str, tokens: &[Token], a: usize, b: usize) -> bool {
    let lex = lexicon::lexicon();
    let word = |k: usize| tokens[k].span.slice(text);
    let key = (a..b).map(word).collect::<Vec<_>>().join(" ");
    lex.other_names.contains(&key)
        || lex
            .other_suffix
            .contains(word(b - 1).to_lowercase().as_str())
        || (a..b).any(|k| {
            lex.titles.contains_key(word(k).to_lowercase().as_str())
                || matches!(
                    lex.not_names.get(word(k)),
                    Some(lexicon::NotName::Never | lexicon::NotName::Date)
                )
        })
}

/// Lets the statistical tagger correct or replace the rules' pieces, per `source`.
fn combine_with_tagger(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    pos: &[Pos],
    pieces: &mut Vec<recognize::Piece>,
    source: NameSource,
) {
    if source == NameSource::Rules {
        return;
    }
    let Some(model) = tagger::model() else { return };
    let ranges: Vec<std::ops::Range<usize>> = sentences.iter().map(|s| s.tokens.clone()).collect();
    let rules = tagger::rule_labels(
        tokens.len(),
        pieces.iter().map(|p| (p.start, p.end, p.kind, p.strong)),
    );
    // Adding names needs the tagger only where the rules left two capitalized words in a
    // row uncovered: tag just those sentences (most news sentences have none).
    let selected: Option<Vec<bool>> = (source == NameSource::RulesPlusTagger).then(|| {
        let open = |k: usize| {
            rules[k] == 0
                && tokens[k].kind == crate::text::TokenKind::Word
                && tokens[k]
                    .span
                    .slice(text)
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
        };
        ranges
            .iter()
            .map(|r| {
                (r.start..r.end.min(tokens.len())).any(|k| k > r.start && open(k - 1) && open(k))
            })
            .collect()
    });
    if selected.as_ref().is_some_and(|s| !s.contains(&true)) {
        return;
    }
    let labels = tagger::label_document(
        model,
        text,
        tokens,
        &ranges,
        pos,
        &rules,
        selected.as_deref(),
    );
    let tagged = tagger::spans(&labels);
    let piece = |t: &tagger::Tagged| recognize::Piece {
        start: t.start,
        end: t.end,
        kind: t.kind,
        strong: false,
        canonical: None,
    };
    match source {
        NameSource::Tagger => {
            // Keep what the rules know about a name both found (a canonical form).
            let mut out: Vec<recognize::Piece> = tagged.iter().map(piece).collect();
            for p in &mut out {
                if let Some(r) = pieces.iter().find(|r| (r.start, r.end) == (p.start, p.end)) {
                    p.canonical = r.canonical.clone();
                }
            }
            *pieces = out;
        }
        NameSource::RulesVetoedByTagger => {
            pieces.retain(|p| p.strong || labels[p.start..p.end].iter().any(|&l| l != tagger::O));
        }
        NameSource::RulesTypedByTagger => {
            for p in pieces.iter_mut().filter(|p| !p.strong) {
                if let Some(t) = tagged.iter().find(|t| (t.start, t.end) == (p.start, p.end)) {
                    p.kind = t.kind;
                }
            }
        }
        NameSource::RulesPlusTagger => {
            for t in &tagged {
                let free = !pieces.iter().any(|p| p.start < t.end && t.start < p.end);
                let capitalized = |k: usize| {
                    tokens[k]
                        .span
                        .slice(text)
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
                };
                let two_caps = (t.start + 1..t.end).any(|k| capitalized(k - 1) && capitalized(k));
                if free && two_caps && !lexicon_rejects(text, tokens, t.start, t.end) {
                    pieces.push(piece(t));
                }
            }
            pieces.sort_by_key(|p| (p.start, p.end));
        }
        NameSource::Rules => {}
    }
}

/// True when the token at `next` continues a noun phrase the name before it modifies
/// ("the US car maker"), so a preceding "the" belongs to that phrase, not to the name.
fn modifies_next(doc: &recognize::Doc, pos: &[Pos], next: usize) -> bool {
    let w = doc.tokens[next].span.slice(doc.text);
    if doc.tokens[next].kind == crate::text::TokenKind::Number {
        return true;
    }
    // A possessive name determines another noun: "the Air Force's interests".
    if matches!(w, "'s" | "\u{2019}s" | "'" | "\u{2019}") {
        return true;
    }
    if !w.chars().next().is_some_and(char::is_alphabetic) {
        return false;
    }
    if w.chars().next().is_some_and(char::is_uppercase) {
        return true;
    }
    const FUNCTION: &[&str] = &[
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "with",
        "by",
        "as",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "should",
        "can",
        "may",
        "might",
        "must",
        "did",
        "does",
        "do",
        "that",
        "which",
        "who",
        "said",
        "says",
        "also",
        "not",
        "n't",
        "be",
        "been",
        "since",
        "after",
        "before",
        "until",
        "than",
        "over",
        "under",
        "into",
        "about",
        "against",
        "during",
        "through",
        "while",
        "when",
        "where",
        "if",
        "because",
        "so",
        "then",
        "now",
        "yet",
        "still",
        "already",
        "just",
        "only",
        "even",
        "announced",
        "agreed",
        "reported",
        "stated",
        "claimed",
        "confirmed",
    ];
    if FUNCTION.contains(&w) || w.starts_with('\'') || w.starts_with('\u{2019}') {
        return false;
    }
    matches!(
        pos.get(next),
        Some(Pos::NN | Pos::NNS | Pos::JJ | Pos::VBG | Pos::NNP | Pos::NNPS) | None
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{split_sentences, tokenize};

    fn run_detailed(text: &str) -> (Entities, EntityDetails) {
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let mut pos = Vec::new();
        for s in &sentences {
            pos.extend(crate::pos::tag_sentence(text, &tokens, s));
        }
        find_entities_detailed(text, &tokens, &sentences, &pos)
    }

    fn run(text: &str) -> Entities {
        run_detailed(text).0
    }

    fn found(text: &str) -> Vec<(&str, EntityKind)> {
        run(text)
            .mentions
            .iter()
            .map(|m| (m.span.slice(text), m.kind))
            .collect()
    }

    use EntityKind::{Location as L, Organization as O, Person as P};

    #[test]
    fn finds_typed_names() {
        let cases: &[(&str, &[(&str, EntityKind)])] = &[
            (
                "President Donald Trump met Hamas in Gaza.",
                &[("Donald Trump", P), ("Hamas", O), ("Gaza", L)],
            ),
            (
                "WASHINGTON \u{2014} The State Department said on Monday that the talks continue.",
                &[("WASHINGTON", L), ("State Department", O)],
            ),
            (
                "The Bank of America and the Department of Defense agreed.",
                &[("Bank of America", O), ("Department of Defense", O)],
            ),
            (
                "However, Israel ceased the flow of aid to the Middle East.",
                &[("Israel", L), ("Middle East", L)],
            ),
            ("Initially, the plan failed in March.", &[]),
            (
                "Shares of Acme Corp fell in Paris, France.",
                &[("Acme Corp", O), ("Paris", L), ("France", L)],
            ),
            (
                "Israeli Prime Minister Benjamin Netanyahu spoke.",
                &[("Israeli", L), ("Benjamin Netanyahu", P)],
            ),
            (
                "The US car maker General Motors cut jobs.",
                &[("US", L), ("General Motors", O)],
            ),
            ("It cost US$40 billion.", &[]),
            (
                "Mr Justice Anthony Mann ruled for the Beatles.",
                &[("Anthony Mann", P), ("Beatles", O)],
            ),
            (
                "The firm moved to Cupertino, California, last year.",
                &[("Cupertino", L), ("California", L)],
            ),
            (
                "Airbus delivered the A380 to Singapore Airlines.",
                &[("Airbus", O), ("Singapore Airlines", O)],
            ),
            (
                "Kaoru Yosano, the Japanese minister, spoke.",
                &[("Kaoru Yosano", P), ("Japanese", L)],
            ),
            (
                "The chief executive of Apple Inc. Steve Jobs spoke.",
                &[("Apple Inc.", O), ("Steve Jobs", P)],
            ),
            ("The Dow Jones fell on Black Monday.", &[]),
            ("Beijing Olympic Games tickets sold out.", &[]),
            (
                "U.S. Secretary of State Madeleine Albright flew to Dar es Salaam on Oct. 5.",
                &[("U.S.", L), ("Madeleine Albright", P), ("Dar es Salaam", L)],
            ),
            ("He thanked the Prime Minister of Canada.", &[("Canada", L)]),
            (
                "Fidel Castro spoke in Havana.",
                &[("Fidel Castro", P), ("Havana", L)],
            ),
            (
                "The firm, based in Irvine, Calif., grew.",
                &[("Irvine", L), ("Calif", L)],
            ),
            ("Israelis and Palestinians met.", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&found(text), expected, "{text}");
        }
    }

    #[test]
    fn surnames_and_short_forms_follow_the_full_name() {
        let text = "Ford Motor Company hired Alan Mulally. Mulally said Ford would cut costs.";
        assert_eq!(
            found(text),
            vec![
                ("Ford Motor Company", O),
                ("Alan Mulally", P),
                ("Mulally", P),
                ("Ford", O)
            ]
        );
    }

    #[test]
    fn nationality_adjectives_point_to_their_country() {
        let text = "The Israeli government and American officials met.";
        let ents = run(text);
        let canon: Vec<Option<&str>> = ents
            .mentions
            .iter()
            .map(|m| m.canonical.as_deref())
            .collect();
        assert_eq!(canon, vec![Some("Israel"), Some("United States")]);
    }

    #[test]
    fn extents_follow_news_annotation() {
        let text =
            "The United States said Australian Prime Minister John Howard met the US car maker. \
             The company's vice president John Smith quit.";
        let (_, details) = run_detailed(text);
        let extents: Vec<&str> = details.extents.iter().map(|e| e.slice(text)).collect();
        assert_eq!(
            extents,
            vec![
                "The United States",
                "Australian",
                "Australian Prime Minister John Howard",
                "US",
                "The company's vice president John Smith"
            ]
        );
    }

    /// (text, person, title, organization, nominal)
    type RoleCase<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);

    #[test]
    fn role_cues_link_person_title_and_organization() {
        let cases: &[RoleCase] = &[
            (
                "Boeing CEO Dennis Muilenburg left.",
                "Dennis Muilenburg",
                "ceo",
                Some("Boeing"),
                None,
            ),
            (
                "Apple's chief executive, Tim Cook, resigned.",
                "Tim Cook",
                "chief executive",
                Some("Apple"),
                None,
            ),
            (
                "He met the chief executive officer of Apple Inc. Steve Jobs.",
                "Steve Jobs",
                "chief executive officer",
                Some("Apple Inc."),
                None,
            ),
            (
                "Kaoru Yosano, the Japanese minister, spoke.",
                "Kaoru Yosano",
                "minister",
                Some("Japanese"),
                None,
            ),
            (
                "It was confirmed by White House press secretary Karoline Leavitt on Wednesday.",
                "Karoline Leavitt",
                "press secretary",
                Some("White House"),
                None,
            ),
            ("Israeli Prime Minister Benjamin Netanyahu spoke.", "Benjamin Netanyahu", "prime minister", Some("Israeli"), None),
            ("The group\u{2019}s spokesman, Hazem Qassem, criticized it.", "Hazem Qassem", "spokesman", None, Some("The group")),
            (
                "Israel approved a plan by U.S. special envoy to the Middle East, Steve Witkoff, on Sunday.",
                "Steve Witkoff",
                "special envoy",
                Some("U.S."),
                None,
            ),
            (
                "National Security Council spokesman Brian Hughes affirmed it.",
                "Brian Hughes",
                "spokesman",
                Some("National Security Council"),
                None,
            ),
            (
                "John Smith, the chief executive of Acme Corp, resigned.",
                "John Smith",
                "chief executive",
                Some("Acme Corp"),
                None,
            ),
        ];
        for (text, person, title, org, nominal) in cases {
            let (ents, details) = run_detailed(text);
            let (k, role) = ents
                .roles
                .iter()
                .enumerate()
                .find(|(_, r)| ents.mentions[r.person].span.slice(text) == *person)
                .unwrap_or_else(|| panic!("no role for {person} in {text}: {ents:?}"));
            assert_eq!(role.title, *title, "{text}");
            assert_eq!(
                role.organization.map(|o| ents.mentions[o].span.slice(text)),
                *org,
                "{text}"
            );
            assert_eq!(
                details.role_nominals[k].map(|s| s.slice(text)),
                *nominal,
                "{text}"
            );
            assert_eq!(ents.mentions[role.person].kind, P, "{text}");
        }
    }

    #[test]
    fn no_entities_in_boilerplate_lowercase_or_empty_text() {
        for text in [
            "Sure! Could you please provide the text you would like me to rewrite for you?",
            "the talks in washington went on for days and nobody from the group spoke.",
            "",
            "   \n\t ",
            "!!! ... ???",
        ] {
            assert_eq!(found(text), vec![], "{text:?}");
        }
    }

    #[test]
    fn mentions_are_sorted_disjoint_and_on_char_boundaries() {
        let text = "\u{201C}Caf\u{e9} M\u{fc}ller\u{201D} met \u{c9}mile Zola in S\u{e3}o Paulo; NATO and the EU \u{2014} ISRAEL \u{2014} TALKS.";
        let (ents, details) = run_detailed(text);
        for w in ents.mentions.windows(2) {
            assert!(w[0].span.end <= w[1].span.start);
        }
        for (m, extent) in ents.mentions.iter().zip(&details.extents) {
            assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
            assert!(extent.contains(m.span));
        }
        assert!(found(text).contains(&("S\u{e3}o Paulo", L)));
    }

    #[test]
    fn the_first_word_after_a_dateline_is_not_a_name_by_its_capital() {
        let text = "ROTTERDAM \u{2014} Thousands of dockworkers walked off the job on Tuesday.";
        let e = run(text);
        let found: Vec<&str> = e.mentions.iter().map(|m| m.span.slice(text)).collect();
        assert_eq!(found, ["ROTTERDAM"]);
    }

    #[test]
    fn every_name_source_gives_sorted_disjoint_mentions() {
        let text = "Boeing CEO Dennis Muilenburg met Angela Merkel in Berlin. \
                    The Dreamliner flew to Paris, France, where Air France Flight 447 left.";
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let mut pos = Vec::new();
        for s in &sentences {
            pos.extend(crate::pos::tag_sentence(text, &tokens, s));
        }
        let rules = find_entities_detailed(text, &tokens, &sentences, &pos);
        for source in [
            NameSource::Rules,
            NameSource::Tagger,
            NameSource::RulesVetoedByTagger,
            NameSource::RulesTypedByTagger,
            NameSource::RulesPlusTagger,
        ] {
            let (ents, details) = find_entities_with(text, &tokens, &sentences, &pos, source);
            if source == NameSource::default() {
                assert_eq!((&ents, &details), (&rules.0, &rules.1));
            }
            assert_eq!(ents.mentions.len(), details.extents.len(), "{source:?}");
            for w in ents.mentions.windows(2) {
                assert!(w[0].span.end <= w[1].span.start, "{source:?}");
            }
            let found: Vec<&str> = ents.mentions.iter().map(|m| m.span.slice(text)).collect();
            // Names the rules type strongly survive every combination.
            if source != NameSource::Tagger {
                assert!(
                    found.contains(&"Paris") && found.contains(&"Berlin"),
                    "{source:?}"
                );
            }
            assert!(found.contains(&"Angela Merkel"), "{source:?}: {found:?}");
        }
    }
}
