//! Stage 2: text. Splits a document into tokens and sentences whose [`Span`]s are byte
//! offsets into the original text, so every later stage can cite its evidence exactly.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A half-open byte range `[start, end)` into a document's original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets, end exclusive).
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies entirely inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The text this span covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// What kind of characters a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenKind {
    /// Letters, possibly with inner apostrophes, hyphens or periods ("U.S.", "right-wing").
    Word,
    /// Digits, possibly with inner separators ("2025", "3.5", "1,000", "2025-03-05").
    Number,
    /// Punctuation or any other symbol.
    Punct,
}

/// One token of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Where the token is in the original text.
    pub span: Span,
    /// Its character class.
    pub kind: TokenKind,
}

/// One sentence: its span and the range of token indices it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Where the sentence is in the original text (first token start to last token end).
    pub span: Span,
    /// Indices into the token list, `tokens.start..tokens.end`.
    pub tokens: std::ops::Range<usize>,
}

/// Abbreviations whose period belongs to the token, parsed once from `data/abbreviations.txt`.
struct Abbreviations {
    /// Titles ("Mr", "Gen"): never end a sentence.
    titles: crate::pos::FxHashSet<&'static str>,
    /// Other abbreviations ("Inc", "Jan"): end a sentence only before a line break.
    others: crate::pos::FxHashSet<&'static str>,
}

fn abbreviations() -> &'static Abbreviations {
    static ABBREVIATIONS: std::sync::OnceLock<Abbreviations> = std::sync::OnceLock::new();
    ABBREVIATIONS.get_or_init(|| {
        let mut titles = crate::pos::FxHashSet::default();
        let mut others = crate::pos::FxHashSet::default();
        let mut in_titles = true;
        for line in include_str!("../data/abbreviations.txt").lines() {
            let line = line.trim();
            match line {
                "" => {}
                "[title]" => in_titles = true,
                "[other]" => in_titles = false,
                _ if line.starts_with('#') => {}
                _ if in_titles => {
                    titles.insert(line);
                }
                _ => {
                    others.insert(line);
                }
            }
        }
        Abbreviations { titles, others }
    })
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// `s.to_lowercase()`, borrowed when that changes nothing (no allocation for the common
/// lower-case ASCII word). Same text as [`str::to_lowercase`] in every case.
pub fn lowercase(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        let lower = s.to_lowercase();
        if lower == s {
            Cow::Borrowed(s)
        } else {
            Cow::Owned(lower)
        }
    }
}

/// One string per token of a document (a lower-cased or rewritten form), kept without an
/// allocation per token: a form equal to a slice of the document is borrowed, any other is
/// appended to one shared buffer. A `Vec<Cow<str>>` allocated for every capitalized word,
/// and several steps build one for every document.
#[derive(Debug, Default)]
pub(crate) struct TokenForms<'a> {
    owned: String,
    forms: Vec<Form<'a>>,
}

#[derive(Debug, Clone, Copy)]
enum Form<'a> {
    Text(&'a str),
    /// A byte range of `TokenForms::owned`.
    Owned(usize, usize),
}

impl<'a> TokenForms<'a> {
    /// An empty list with room for `n` forms.
    pub(crate) fn with_capacity(n: usize) -> Self {
        TokenForms {
            owned: String::new(),
            forms: Vec::with_capacity(n),
        }
    }

    /// Appends a form that is a slice of the document.
    pub(crate) fn push_text(&mut self, s: &'a str) {
        self.forms.push(Form::Text(s));
    }

    /// Appends a computed form (copied into the shared buffer).
    pub(crate) fn push_owned(&mut self, s: &str) {
        let start = self.owned.len();
        self.owned.push_str(s);
        self.forms.push(Form::Owned(start, self.owned.len()));
    }

    /// Appends [`lowercase`]`(s)`: the same text, lowered in the shared buffer for ASCII.
    pub(crate) fn push_lowercase(&mut self, s: &'a str) {
        if s.is_ascii() {
            if s.bytes().any(|b| b.is_ascii_uppercase()) {
                let start = self.owned.len();
                self.owned.push_str(s);
                self.owned[start..].make_ascii_lowercase();
                self.forms.push(Form::Owned(start, self.owned.len()));
            } else {
                self.push_text(s);
            }
            return;
        }
        match lowercase(s) {
            Cow::Borrowed(b) => self.push_text(b),
            Cow::Owned(o) => self.push_owned(&o),
        }
    }

    /// The form of token `i`. Panics when `i` is out of range, as indexing a `Vec` does.
    pub(crate) fn get(&self, i: usize) -> &str {
        match self.forms[i] {
            Form::Text(s) => s,
            // Ranges pushed by `push_owned`/`push_lowercase`, on char boundaries.
            Form::Owned(a, b) => &self.owned[a..b],
        }
    }
}

/// Splits `text` into tokens. Never fails; every byte that is not white space belongs to
/// exactly one token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    // Sized once: collecting `char_indices` directly grows the vector several times.
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(text.len());
    chars.extend(text.char_indices());
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let clitic = if is_apostrophe(c) {
            clitic_end(&chars, i)
        } else {
            None
        };
        let (next, kind) = if let Some(end) = clitic {
            (end, TokenKind::Word)
        } else if c.is_alphabetic() {
            (scan_word(&chars, i, text), TokenKind::Word)
        } else if c.is_ascii_digit() {
            (scan_number(&chars, i), TokenKind::Number)
        } else {
            (i + 1, TokenKind::Punct)
        };
        tokens.push(Token {
            span: Span::new(start, end_of(next)),
            kind,
        });
        i = next;
    }
    tokens
}

/// When an apostrophe at `i` directly follows a letter and opens a clitic ("'s", "'re"),
/// the index one past the clitic.
fn clitic_end(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let prev = i.checked_sub(1).map(|k| chars[k].1)?;
    if !prev.is_alphanumeric() {
        return None;
    }
    let mut e = i + 1;
    while chars.get(e).is_some_and(|&(_, c)| c.is_alphabetic()) {
        e += 1;
    }
    is_clitic(&chars[i + 1..e]).then_some(e)
}

/// True when `letters` spell (in any case) a clitic that follows an apostrophe:
/// "s", "re", "ve", "ll", "d", "m".
fn is_clitic(letters: &[(usize, char)]) -> bool {
    let lower = |k: usize| letters.get(k).map(|&(_, c)| c.to_ascii_lowercase());
    match letters.len() {
        1 => matches!(lower(0), Some('s' | 'd' | 'm')),
        2 => matches!(
            (lower(0), lower(1)),
            (Some('r'), Some('e')) | (Some('v'), Some('e')) | (Some('l'), Some('l'))
        ),
        _ => false,
    }
}

/// Scans a word starting at `i`; returns the index one past it.
fn scan_word(chars: &[(usize, char)], i: usize, text: &str) -> usize {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let is_letter = |k: usize| at(k).is_some_and(|c| c.is_alphanumeric() || is_mark(c));
    // Initialisms: "U.S.", "N.V.", "a.m." keep their periods.
    if at(i + 1) == Some('.') && is_letter(i + 2) && at(i + 3) == Some('.') {
        let mut k = i;
        while is_letter(k) && !is_letter(k + 1) && at(k + 1) == Some('.') {
            k += 2;
        }
        return k;
    }
    let mut k = i;
    loop {
        while is_letter(k) {
            k += 1;
        }
        match at(k) {
            // Inner hyphen joins words: "right-wing", "six-week", "Al-Qaeda".
            Some('-') if is_letter(k + 1) => k += 1,
            Some(c) if is_apostrophe(c) && is_letter(k + 1) => {
                let mut e = k + 1;
                while is_letter(e) {
                    e += 1;
                }
                let letters = &chars[k + 1..e];
                if is_clitic(letters) {
                    return k;
                }
                let is_t = matches!(letters, [(_, 't' | 'T')]);
                if is_t && k > i + 1 && at(k - 1).is_some_and(|c| c == 'n' || c == 'N') {
                    // "didn't" -> "did" + "n't", as the Penn Treebank splits it.
                    return k - 1;
                }
                k = e;
            }
            _ => break,
        }
    }
    if at(k) == Some('.') {
        let start = chars[i].0;
        let end = chars[k].0;
        let word = &text[start..end];
        let abbr = abbreviations();
        if abbr.titles.contains(word)
            || abbr.others.contains(word)
            || (k == i + 1 && at(i).is_some_and(char::is_uppercase))
        {
            return k + 1;
        }
    }
    k
}

fn is_mark(c: char) -> bool {
    // Combining marks continue the word they follow.
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Scans a number starting at `i` ("1,000", "3.5", "2025-03-05", "10:30", "1990s", "15th").
fn scan_number(chars: &[(usize, char)], i: usize) -> usize {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let digit = |k: usize| at(k).is_some_and(|c| c.is_ascii_digit());
    let mut k = i;
    loop {
        while digit(k) {
            k += 1;
        }
        match at(k) {
            Some(',' | '.' | ':' | '/' | '-') if digit(k + 1) => k += 1,
            _ => break,
        }
    }
    // Ordinal and plural suffixes stay with the number ("15th", "1990s"); "3pm" too.
    let mut e = k;
    while at(e).is_some_and(|c| c.is_ascii_alphabetic()) && e - k < 2 {
        e += 1;
    }
    if e > k && !at(e).is_some_and(char::is_alphanumeric) {
        k = e;
    }
    k
}

/// Groups tokens into sentences. A sentence ends after `.`, `!` or `?` (and any closing
/// quotes or brackets after it) when the next token opens a new sentence, and at every
/// line break, since news titles, datelines and paragraphs stand on lines of their own.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut first = 0;
    let abbr = abbreviations();
    for i in 0..tokens.len() {
        let tok = tokens[i];
        let next = tokens.get(i + 1);
        let gap = next.map_or("", |n| &text[tok.span.end..n.span.start]);
        let line_break = gap.contains('\n') || gap.contains('\r');
        let ends = match next {
            None => true,
            Some(_) if line_break => true,
            Some(n) => {
                let word = tok.span.slice(text);
                let terminal = matches!(word, "." | "!" | "?")
                    || (word.ends_with('.') && tok.kind == TokenKind::Word && {
                        let stem = &word[..word.len() - 1];
                        !abbr.titles.contains(stem)
                            && !abbr.others.contains(stem)
                            && stem.chars().count() > 1
                            && !stem.contains('.')
                    });
                let closes = matches!(word, "\"" | "\u{201D}" | "'" | "\u{2019}" | ")" | "]")
                    && i > first
                    && matches!(tokens[i - 1].span.slice(text), "." | "!" | "?");
                let next_word = n.span.slice(text);
                let next_opens = next_word.chars().next().is_some_and(|c| {
                    c.is_uppercase()
                        || c.is_ascii_digit()
                        || matches!(c, '"' | '\u{201C}' | '(' | '\'' | '\u{2018}')
                });
                let next_is_closer =
                    matches!(next_word, "\"" | "\u{201D}" | "'" | "\u{2019}" | ")" | "]");
                (terminal || closes) && next_opens && !next_is_closer && !gap.is_empty()
            }
        };
        if ends {
            sentences.push(Sentence {
                span: Span::new(tokens[first].span.start, tok.span.end),
                tokens: first..i + 1,
            });
            first = i + 1;
        }
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_borrows_only_what_is_already_lower_case() {
        // (word, borrowed)
        let cases = [
            ("talks", true),
            ("", true),
            ("1,500", true),
            ("Hamas", false),
            ("U.S.", false),
            ("caf\u{e9}", true),
            ("CAF\u{c9}", false),
            ("\u{3a3}\u{39f}\u{3a3}", false),
            ("\u{1c5}ivko", false),
            ("\u{130}stanbul", false),
            ("\u{5d0}\u{5d1}", true),
        ];
        for (word, borrowed) in cases {
            let lower = lowercase(word);
            assert_eq!(lower, word.to_lowercase(), "{word:?}");
            assert_eq!(matches!(lower, Cow::Borrowed(_)), borrowed, "{word:?}");
        }
    }

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.span.slice(text)).collect()
    }

    #[test]
    fn tokens_keep_abbreviations_clitics_and_hyphens() {
        let cases: &[(&str, &[&str])] = &[
            ("the U.S. and Hamas", &["the", "U.S.", "and", "Hamas"]),
            ("Trump\u{2019}s plan", &["Trump", "\u{2019}s", "plan"]),
            ("didn't go", &["did", "n't", "go"]),
            (
                "a six-week ceasefire.",
                &["a", "six-week", "ceasefire", "."],
            ),
            (
                "Mr. Smith, 1,000 people",
                &["Mr.", "Smith", ",", "1,000", "people"],
            ),
            (
                "in the 1990s on 2025-03-05",
                &["in", "the", "1990s", "on", "2025-03-05"],
            ),
            ("O'Brien said", &["O'Brien", "said"]),
            // Clitics in any case; other letters after an apostrophe stay in the word.
            ("WE'LL SEE", &["WE", "'LL", "SEE"]),
            ("they'Re it's I'M", &["they", "'Re", "it", "'s", "I", "'M"]),
            ("DIDN'T rock'n'roll", &["DID", "N'T", "rock'n'roll"]),
            ("ma'am y'all he'dd", &["ma'am", "y'all", "he'dd"]),
            // A clitic needs a word before it.
            ("'s 's", &["'", "s", "'", "s"]),
            ("John F. Kennedy", &["John", "F.", "Kennedy"]),
            (
                "\u{201C}Lives,\u{201D} she",
                &["\u{201C}", "Lives", ",", "\u{201D}", "she"],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(&words(text), expected, "{text}");
        }
    }

    #[test]
    fn offsets_are_byte_exact_on_multibyte_text() {
        let text = "Caf\u{e9} \u{1F600} na\u{ef}ve \u{5d0}\u{5d1} e\u{301}t\u{e9}";
        for t in tokenize(text) {
            assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            assert!(!t.span.slice(text).trim().is_empty());
        }
    }

    #[test]
    fn sentences_split_at_terminals_and_line_breaks_not_abbreviations() {
        let text = "Mr. Smith met Gen. Jones in the U.S. on Monday. They talked.\nTitle line\n\u{201C}Yes.\u{201D} He left.";
        let toks = tokenize(text);
        let sents: Vec<&str> = split_sentences(text, &toks)
            .iter()
            .map(|s| s.span.slice(text))
            .collect();
        assert_eq!(
            sents,
            vec![
                "Mr. Smith met Gen. Jones in the U.S. on Monday.",
                "They talked.",
                "Title line",
                "\u{201C}Yes.\u{201D}",
                "He left."
            ]
        );
    }

    #[test]
    fn empty_and_punctuation_only_text() {
        assert!(tokenize("").is_empty());
        assert!(split_sentences("", &[]).is_empty());
        let text = "!!! ... ???";
        let toks = tokenize(text);
        let sents = split_sentences(text, &toks);
        assert!(!sents.is_empty());
        assert_eq!(
            sents.iter().map(|s| s.tokens.len()).sum::<usize>(),
            toks.len()
        );
    }

    #[test]
    fn token_forms_hold_what_a_vec_of_cows_held() {
        let words = [
            "Hello",
            "world",
            "U.S.",
            "",
            "\u{00C9}COLE",
            "\u{00E9}t\u{00E9}",
            "ODYSSEUS",
            "\u{039F}\u{0394}\u{03A5}\u{03A3}\u{03A3}\u{0395}\u{03A5}\u{03A3}",
            "x",
        ];
        let mut forms = TokenForms::with_capacity(2);
        for w in words {
            forms.push_lowercase(w);
        }
        forms.push_owned("Rewritten");
        forms.push_text("As Is");
        assert_eq!(forms.forms.len(), words.len() + 2);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(forms.get(i), lowercase(w), "{w:?}");
            assert_eq!(forms.get(i), w.to_lowercase(), "{w:?}");
        }
        assert_eq!(forms.get(words.len()), "Rewritten");
        assert_eq!(forms.get(words.len() + 1), "As Is");
    }
}
