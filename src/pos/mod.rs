//! Part-of-speech tagging (part of the text stage): Penn Treebank tags for each token,
//! used by entity recognition and event detection, plus a lemmatizer for verbs and nouns.
//!
//! The tagger is a greedy averaged perceptron trained on UD English EWT (see
//! `data/pos/README.md`); its weights ship in `data/pos/model.bin` and are rebuilt byte for
//! byte by `scripts/train_pos.sh`. Training data is re-tokenized with our own tokenizer
//! (hyphenated words stay one token) so the tagger is trained on what it will see.

pub(crate) mod features;
mod lemma;
mod model;
mod train;

pub(crate) use lemma::lemma_into;
pub use lemma::{derive_exceptions, lemma};
pub(crate) use model::FxHasher;
pub(crate) use model::{home_slot, next_slot};
pub use model::{Model, TagCache};

/// A `HashMap` with FxHash: lexicons are looked up on every token, and SipHash cost 14% of
/// `tkg extract`'s time. Keys are our own data, so hash flooding is not a concern.
pub(crate) type FxHashMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;
/// A `HashSet` with FxHash (see [`FxHashMap`]).
pub(crate) type FxHashSet<K> =
    std::collections::HashSet<K, std::hash::BuildHasherDefault<FxHasher>>;
pub use train::{evaluate, read_conllu, train, TrainConfig, TrainSentence};

use crate::text::{Sentence, Token};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A Penn Treebank part-of-speech tag.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Pos {
    CC,
    CD,
    DT,
    EX,
    FW,
    IN,
    JJ,
    JJR,
    JJS,
    LS,
    MD,
    NN,
    NNS,
    NNP,
    NNPS,
    PDT,
    POS,
    PRP,
    PRPS,
    RB,
    RBR,
    RBS,
    RP,
    SYM,
    TO,
    UH,
    VB,
    VBD,
    VBG,
    VBN,
    VBP,
    VBZ,
    WDT,
    WP,
    WPS,
    WRB,
    /// Punctuation of any kind (`.`, `,`, `:`, quotes, brackets, hyphens, `$`, `#`, NFP).
    Punct,
    /// Anything else (EWT's ADD, GW, XX, AFX: addresses, fragments, typos, affixes).
    Other,
}

impl Pos {
    /// Every tag, in declaration order (the tagger's class order).
    pub const ALL: [Pos; 38] = {
        use Pos::*;
        [
            CC, CD, DT, EX, FW, IN, JJ, JJR, JJS, LS, MD, NN, NNS, NNP, NNPS, PDT, POS, PRP, PRPS,
            RB, RBR, RBS, RP, SYM, TO, UH, VB, VBD, VBG, VBN, VBP, VBZ, WDT, WP, WPS, WRB, Punct,
            Other,
        ]
    };

    /// True for verb tags (VB, VBD, VBG, VBN, VBP, VBZ).
    pub fn is_verb(self) -> bool {
        matches!(
            self,
            Pos::VB | Pos::VBD | Pos::VBG | Pos::VBN | Pos::VBP | Pos::VBZ
        )
    }

    /// True for noun tags, common or proper.
    pub fn is_noun(self) -> bool {
        matches!(self, Pos::NN | Pos::NNS | Pos::NNP | Pos::NNPS)
    }

    /// Position in [`Pos::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The Penn name ("NN", "PRP$", "WP$"), or "Punct" / "Other".
    pub fn as_str(self) -> &'static str {
        use Pos::*;
        match self {
            PRPS => "PRP$",
            WPS => "WP$",
            Punct => "Punct",
            Other => "Other",
            CC => "CC",
            CD => "CD",
            DT => "DT",
            EX => "EX",
            FW => "FW",
            IN => "IN",
            JJ => "JJ",
            JJR => "JJR",
            JJS => "JJS",
            LS => "LS",
            MD => "MD",
            NN => "NN",
            NNS => "NNS",
            NNP => "NNP",
            NNPS => "NNPS",
            PDT => "PDT",
            POS => "POS",
            PRP => "PRP",
            RB => "RB",
            RBR => "RBR",
            RBS => "RBS",
            RP => "RP",
            SYM => "SYM",
            TO => "TO",
            UH => "UH",
            VB => "VB",
            VBD => "VBD",
            VBG => "VBG",
            VBN => "VBN",
            VBP => "VBP",
            VBZ => "VBZ",
            WDT => "WDT",
            WP => "WP",
            WRB => "WRB",
        }
    }

    /// Maps a treebank XPOS tag to ours: punctuation tags (including EWT's `HYPH`, `NFP`,
    /// `-LRB-`, `$`, `#`) become [`Pos::Punct`]; `ADD`, `GW`, `XX`, `AFX` and unknown tags
    /// become [`Pos::Other`].
    pub fn from_penn(tag: &str) -> Pos {
        match tag {
            "," | "." | ":" | "``" | "''" | "-LRB-" | "-RRB-" | "HYPH" | "NFP" | "$" | "#" => {
                Pos::Punct
            }
            _ => tag.parse().unwrap_or(Pos::Other),
        }
    }
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a string that names no [`Pos`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown part-of-speech tag {0:?} (expected a Penn tag such as NN, VBD, PRP$, or Punct/Other)"
)]
pub struct ParsePosError(String);

impl std::str::FromStr for Pos {
    type Err = ParsePosError;

    /// Parses the names produced by [`Pos::as_str`].
    fn from_str(s: &str) -> Result<Pos, ParsePosError> {
        Pos::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| ParsePosError(s.to_string()))
    }
}

/// The shipped model, parsed once.
pub fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let bytes = include_bytes!("../../data/pos/model.bin");
            let model = Model::from_bytes(bytes).ok();
            crate::embedded::release_parsed(bytes);
            model
        })
        .as_ref()
}

thread_local! {
    /// Per-thread memo of word-level tagger work for the shipped model (see [`TagCache`]):
    /// exact, so tags do not depend on what a thread tagged before.
    static CACHE: std::cell::RefCell<TagCache> = std::cell::RefCell::new(TagCache::new());
}

/// Frees the calling thread's tagger memo (it is rebuilt on the next tagging): for a
/// long-running caller that is done tagging and wants its memory back.
pub fn release_memo() {
    CACHE.with(|c| {
        if let Ok(mut cache) = c.try_borrow_mut() {
            *cache = TagCache::new();
        }
    });
}

/// Tags `words` with the shipped model and this thread's cache.
fn tag_with_model<'a>(m: &Model, words: impl Iterator<Item = &'a str>) -> Vec<Pos> {
    CACHE.with(|c| match c.try_borrow_mut() {
        Ok(mut cache) => m.tag_cached(words, &mut cache),
        // Only reachable by re-entering from inside the tagger; tag without the memo.
        Err(_) => m.tag_cached(words, &mut TagCache::new()),
    })
}

/// Tags a sentence given as its token texts; returns one tag per word.
pub fn tag_words(words: &[&str]) -> Vec<Pos> {
    match model() {
        Some(m) => tag_with_model(m, words.iter().copied()),
        None => words.iter().map(|w| fallback(w)).collect(),
    }
}

/// Tags the tokens of one sentence; returns one tag per token in `sentence.tokens`
/// (nothing for indices outside `tokens`). Never panics.
pub fn tag_sentence(text: &str, tokens: &[Token], sentence: &Sentence) -> Vec<Pos> {
    let toks = tokens.get(sentence.tokens.clone()).unwrap_or(&[]);
    let words = toks
        .iter()
        .map(|t| text.get(t.span.start..t.span.end).unwrap_or(""));
    match model() {
        Some(m) => tag_with_model(m, words),
        None => words.map(fallback).collect(),
    }
}

/// Used only if the shipped model failed to load (a build with a corrupt data file).
fn fallback(word: &str) -> Pos {
    match word.chars().next() {
        Some(c) if c.is_numeric() => Pos::CD,
        Some(c) if c.is_uppercase() => Pos::NNP,
        Some(c) if c.is_alphabetic() => Pos::NN,
        _ => Pos::Punct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{split_sentences, tokenize};

    fn tags(text: &str) -> Vec<Pos> {
        let toks = tokenize(text);
        split_sentences(text, &toks)
            .iter()
            .flat_map(|s| tag_sentence(text, &toks, s))
            .collect()
    }

    #[test]
    fn shipped_model_loads() {
        let m = model().expect("data/pos/model.bin parses");
        assert!(m.feature_count() > 1000);
        // The lookup layout loses nothing: it serializes back to the file's bytes.
        assert!(m.to_bytes() == include_bytes!("../../data/pos/model.bin"));
    }

    #[test]
    fn shipped_model_tags_news_sentences() {
        use Pos::*;
        let cases: &[(&str, &[Pos])] = &[
            (
                "Hamas rejected the proposal on Monday .",
                &[NNP, VBD, DT, NN, IN, NNP, Punct],
            ),
            (
                "The talks were held in Cairo.",
                &[DT, NNS, VBD, VBN, IN, NNP, Punct],
            ),
            // Hyphenated words take the tag of their last part, as in training ("six-week" NN).
            (
                "She said Israel would not accept a six-week truce.",
                &[PRP, VBD, NNP, MD, RB, VB, DT, NN, NN, Punct],
            ),
            (
                "Trump's envoy didn't arrive.",
                &[NNP, POS, NN, VBD, RB, VB, Punct],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(&tags(text), expected, "{text}");
        }
    }

    /// Accuracy of the shipped model on UD EWT test, with the memoizing decoder the pipeline
    /// uses and with the plain one: equal, and at the documented level. Needs the treebank
    /// in `../shared/train` (skipped when it is absent, e.g. on a fresh machine).
    #[test]
    fn shipped_model_accuracy_on_ewt_test() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/train/ud-ewt/en_ewt-ud-test.conllu"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipped: {path} is not there");
            return;
        };
        let gold = read_conllu(&text).expect("EWT test parses");
        let m = model().expect("shipped model");
        let (plain, total) = evaluate(m, &gold);
        let mut cache = TagCache::new();
        let cached: usize = gold
            .iter()
            .map(|s| {
                let tags = m.tag_cached(s.words.iter().map(String::as_str), &mut cache);
                tags.iter().zip(&s.tags).filter(|(a, b)| a == b).count()
            })
            .sum();
        assert_eq!(cached, plain);
        let accuracy = plain as f64 / total as f64;
        eprintln!("EWT test: {plain}/{total} = {:.2}%", 100.0 * accuracy);
        assert!(accuracy >= 0.945, "accuracy {accuracy}");
    }

    #[test]
    fn tagging_never_panics_and_gives_one_tag_per_token() {
        let long = "word ".repeat(10_000);
        for text in [
            "",
            "\u{1F600}\u{1F600} !",
            "e\u{301}t\u{e9} \u{5d0}\u{5d1}",
            "...",
            long.as_str(),
        ] {
            let toks = tokenize(text);
            for s in split_sentences(text, &toks) {
                assert_eq!(tag_sentence(text, &toks, &s).len(), s.tokens.len());
            }
        }
        let bogus = Sentence {
            span: crate::text::Span::new(0, 0),
            tokens: 5..9,
        };
        assert!(tag_sentence("", &[], &bogus).is_empty());
        assert!(tag_words(&[]).is_empty());
    }

    #[test]
    fn tag_names_round_trip_and_map_treebank_tags() {
        for p in Pos::ALL {
            assert_eq!(p.as_str().parse::<Pos>(), Ok(p));
            assert_eq!(Pos::ALL[p.index()], p);
        }
        let cases = [
            ("PRP$", Pos::PRPS),
            ("WP$", Pos::WPS),
            ("HYPH", Pos::Punct),
            ("-LRB-", Pos::Punct),
            ("``", Pos::Punct),
            ("NFP", Pos::Punct),
            ("ADD", Pos::Other),
            ("GW", Pos::Other),
            ("VBD", Pos::VBD),
        ];
        for (tag, pos) in cases {
            assert_eq!(Pos::from_penn(tag), pos, "{tag}");
        }
        assert!("nope".parse::<Pos>().is_err());
    }
}
