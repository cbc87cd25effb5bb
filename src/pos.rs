//! Part-of-speech tagging (part of the text stage): Penn Treebank tags for each token,
//! used by entity recognition and event detection.

use crate::text::{Sentence, Token};
use serde::{Deserialize, Serialize};

/// A Penn Treebank part-of-speech tag.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Punctuation of any kind (`.`, `,`, `:`, quotes, brackets, `$`, `#`).
    Punct,
    /// Anything the tagger could not classify (ADD, NFP, GW, XX in EWT).
    Other,
}

impl Pos {
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
}

/// Tags the tokens of one sentence; returns one tag per token in `sentence.tokens`.
///
/// Placeholder heuristic until the trained tagger lands.
pub fn tag_sentence(text: &str, tokens: &[Token], sentence: &Sentence) -> Vec<Pos> {
    tokens[sentence.tokens.clone()]
        .iter()
        .map(|t| {
            let w = t.span.slice(text);
            match t.kind {
                crate::text::TokenKind::Number => Pos::CD,
                crate::text::TokenKind::Punct => Pos::Punct,
                crate::text::TokenKind::Word => {
                    if w.chars().next().is_some_and(char::is_uppercase) {
                        Pos::NNP
                    } else if w.ends_with("ed") {
                        Pos::VBD
                    } else {
                        Pos::NN
                    }
                }
            }
        })
        .collect()
}

/// The lemma of a word with its tag: a placeholder until the trained tagger's lemmatizer lands.
pub fn lemma(word: &str, pos: Pos) -> String {
    let w = word.to_lowercase();
    if pos.is_verb() {
        for (suffix, repl) in [("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")] {
            if let Some(stem) = w.strip_suffix(suffix) {
                if stem.len() > 2 {
                    return format!("{stem}{repl}");
                }
            }
        }
    }
    w
}
