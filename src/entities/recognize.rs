//! Name recognition: groups capitalized tokens into candidate names, strips titles, and
//! types each name from lexicons, cue words, name structure and what the rest of the
//! document says about it.
//!
//! Invariant: the returned pieces are token ranges sorted by start and never overlap.

use crate::entities::lexicon::{lexicon, Known, Lexicon, NotName, TitleClass};
use crate::entities::EntityKind;
use crate::pos::{FxHashMap, FxHashSet, Pos};
use crate::text::{lowercase, Sentence, Token, TokenKind};
use std::borrow::Cow;

/// A typed name found in the text, as a token range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// What it is.
    pub kind: EntityKind,
    /// True when lexicons, cues or structure typed it; false for a default guess.
    pub strong: bool,
    /// Canonical name when the surface is a derived form.
    pub canonical: Option<String>,
}

/// How a sentence is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Ordinary prose: capitals mark names.
    Prose,
    /// A headline in Title Case: capitals say little.
    TitleCase,
    /// ALL CAPS: capitals say nothing.
    Shouting,
}

/// The document as recognition sees it.
pub(crate) struct Doc<'a> {
    /// Original text.
    pub text: &'a str,
    /// All tokens.
    pub tokens: &'a [Token],
    pos: &'a [Pos],
    /// Token text used for lookups (all-caps words of shouted lines title-cased).
    pub norm: Vec<Cow<'a, str>>,
    /// `norm` in lower case, computed once.
    low: crate::text::TokenForms<'a>,
    /// Whether each token is written like a name.
    cap: Vec<bool>,
    /// Whether each token opens its sentence (after any opening quotes or brackets).
    initial: Vec<bool>,
    /// Lower-cased forms of the words the document writes in lower case.
    lower_vocab: FxHashSet<Cow<'a, str>>,
    /// Words the document capitalizes away from the start of a sentence.
    cap_inside: FxHashSet<&'a str>,
    /// How each sentence given to [`Doc::new`] is written, with its token range.
    modes: Vec<(std::ops::Range<usize>, Mode)>,
}

fn is_all_caps(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut first = true;
    for c in word.chars() {
        if first && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            first = false;
        } else if c.is_alphabetic() {
            out.extend(c.to_lowercase());
        } else {
            // A hyphen or apostrophe starts a new part: "AL-QAEDA" -> "Al-Qaeda".
            first = c == '-';
            out.push(c);
        }
    }
    out
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_opener(word: &str) -> bool {
    matches!(
        word,
        "\"" | "\u{201C}"
            | "\u{2018}"
            | "'"
            | "("
            | "["
            | "-"
            | "\u{2014}"
            | "\u{2013}"
            | "``"
            | "`"
            | ":"
            | "*"
    )
}

impl<'a> Doc<'a> {
    /// Prepares the document: normalized token forms, capitalization and sentence modes.
    pub fn new(
        text: &'a str,
        tokens: &'a [Token],
        sentences: &[Sentence],
        pos: &'a [Pos],
    ) -> Doc<'a> {
        let lex = lexicon();
        let n = tokens.len();
        let mut norm: Vec<Cow<'a, str>> = tokens
            .iter()
            .map(|t| Cow::Borrowed(t.span.slice(text)))
            .collect();
        let mut cap = vec![false; n];
        let mut initial = vec![false; n];
        for s in sentences {
            let range = s.tokens.start.min(n)..s.tokens.end.min(n);
            let mut seen_word = false;
            for i in range.clone() {
                let w = tokens[i].span.slice(text);
                if tokens[i].kind == TokenKind::Word || tokens[i].kind == TokenKind::Number {
                    if !seen_word && tokens[i].kind == TokenKind::Word {
                        initial[i] = true;
                    }
                    seen_word = true;
                } else if !is_opener(w) {
                    seen_word = true;
                }
            }
            // After a dateline ("ROTTERDAM - Thousands of ..."), the story's first word
            // opens the sentence as much as the dateline does.
            let first_word = range.clone().find(|&i| tokens[i].kind == TokenKind::Word);
            if first_word.is_some_and(|f| is_all_caps(tokens[f].span.slice(text))) {
                let dash = range.clone().take(8).find(|&i| {
                    matches!(tokens[i].span.slice(text), "\u{2014}" | "\u{2013}" | "--")
                });
                if let Some(d) = dash {
                    if let Some(w) = (d + 1..range.end).find(|&i| tokens[i].kind == TokenKind::Word)
                    {
                        initial[w] = true;
                    }
                }
            }
            // Words of more than one byte, and how many are in capitals (counted, not
            // collected: this runs for every sentence).
            let (mut words, mut caps) = (0usize, 0usize);
            for i in range.clone() {
                if tokens[i].kind == TokenKind::Word && tokens[i].span.len() > 1 {
                    words += 1;
                    caps += usize::from(is_all_caps(tokens[i].span.slice(text)));
                }
            }
            let shouting = words >= 3 && caps * 10 >= words * 6;
            for i in range.clone() {
                let w = tokens[i].span.slice(text);
                if tokens[i].kind != TokenKind::Word {
                    continue;
                }
                // A dateline ("WASHINGTON —") is shouted even in a normal sentence.
                let dateline = initial[i]
                    && is_all_caps(w)
                    && w.chars().count() >= 3
                    && tokens.get(i + 1).is_some_and(|t| {
                        matches!(
                            t.span.slice(text),
                            "\u{2014}" | "\u{2013}" | "-" | "," | "("
                        )
                    });
                if (shouting || dateline) && is_all_caps(w) && !lex.names.contains_key(w) {
                    norm[i] = Cow::Owned(title_case(w));
                }
                cap[i] = starts_upper(w) && w.chars().any(char::is_alphabetic);
            }
        }
        let mut low = crate::text::TokenForms::with_capacity(n);
        for w in &norm {
            match w {
                Cow::Borrowed(w) => low.push_lowercase(w),
                Cow::Owned(w) => low.push_owned(&w.to_lowercase()),
            }
        }
        let mut lower_vocab = FxHashSet::default();
        for t in tokens {
            let w = t.span.slice(text);
            if t.kind == TokenKind::Word && w.chars().next().is_some_and(char::is_lowercase) {
                // The lower case of the word's own text (what `low` holds unless the word
                // was rewritten), borrowed from the text for the usual lower-case word.
                lower_vocab.insert(lowercase(w));
            }
        }
        let mut doc = Doc {
            text,
            tokens,
            pos,
            norm,
            low,
            cap,
            initial,
            lower_vocab,
            cap_inside: FxHashSet::default(),
            modes: Vec::new(),
        };
        doc.modes = sentences
            .iter()
            .map(|s| (s.tokens.clone(), doc.sentence_mode(s)))
            .collect();
        for (s, &(_, mode)) in sentences.iter().zip(&doc.modes) {
            if mode != Mode::Prose {
                continue;
            }
            let range = s.tokens.start.min(n)..s.tokens.end.min(n);
            for (i, t) in tokens[range.clone()]
                .iter()
                .enumerate()
                .map(|(k, t)| (range.start + k, t))
            {
                if doc.cap[i] && !doc.initial[i] && t.kind == TokenKind::Word {
                    doc.cap_inside.insert(t.span.slice(text));
                }
            }
        }
        doc
    }

    /// True when no word of `[i, j)` is an acronym or a word the document also writes in
    /// lower case: "Fidel Castro" is plain, "DPC Acquisition" is not.
    fn plain_name(&self, i: usize, j: usize) -> bool {
        (i..j).all(|k| {
            let w = self.word(k);
            !is_all_caps(w) && !self.lower_vocab.contains(self.word_lower(k).as_ref())
        })
    }

    fn word(&self, i: usize) -> &str {
        self.tokens[i].span.slice(self.text)
    }

    /// The lookup form of token `i` in lower case.
    fn lower(&self, i: usize) -> &str {
        self.low.get(i)
    }

    /// The token's own text (not its lookup form) in lower case.
    fn word_lower(&self, i: usize) -> Cow<'_, str> {
        match &self.norm[i] {
            Cow::Borrowed(_) => Cow::Borrowed(self.lower(i)),
            Cow::Owned(_) => Cow::Owned(self.word(i).to_lowercase()),
        }
    }

    fn pos(&self, i: usize) -> Pos {
        self.pos.get(i).copied().unwrap_or(Pos::Other)
    }

    /// The lookup key of tokens `[a, b)`.
    pub fn key(&self, a: usize, b: usize) -> Cow<'_, str> {
        // Most lookups are of one token (probed per candidate span): borrow its form
        // instead of copying it, and size a joined key once.
        if b == a + 1 {
            return Cow::Borrowed(&self.norm[a]);
        }
        let len = (a..b).map(|i| self.norm[i].len() + 1).sum::<usize>();
        let mut key = String::with_capacity(len.saturating_sub(1));
        for i in a..b {
            if i > a {
                key.push(' ');
            }
            key.push_str(&self.norm[i]);
        }
        Cow::Owned(key)
    }

    /// How sentence `si` (the sentence `s`) is written: computed once by [`Doc::new`] for
    /// its sentences.
    fn mode_of(&self, si: usize, s: &Sentence) -> Mode {
        match self.modes.get(si) {
            Some((range, mode)) if *range == s.tokens => *mode,
            _ => self.sentence_mode(s),
        }
    }

    fn sentence_mode(&self, s: &Sentence) -> Mode {
        let words = || {
            s.tokens
                .clone()
                .filter(|&i| i < self.tokens.len() && self.tokens[i].kind == TokenKind::Word)
        };
        // Words of more than one character, and how many of them are in capitals.
        let (mut long, mut caps) = (0, 0);
        for i in words() {
            let w = self.word(i);
            if w.chars().nth(1).is_some() {
                long += 1;
                caps += usize::from(is_all_caps(w));
            }
        }
        if long >= 3 && caps * 10 >= long * 6 {
            return Mode::Shouting;
        }
        // Title Case: every lower-case word is a short function word ("to", "of").
        let (mut lower_content, mut capitalized) = (0, 0);
        for i in words() {
            if self.cap[i] {
                capitalized += 1;
            } else if !is_small_word(self.word(i)) {
                lower_content += 1;
            }
        }
        if lower_content == 0 && capitalized >= 3 {
            Mode::TitleCase
        } else {
            Mode::Prose
        }
    }
}

/// Short function words a Title Case headline leaves in lower case ("to", "of").
fn is_small_word(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "and"
            | "or"
            | "nor"
            | "but"
            | "of"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "by"
            | "with"
            | "as"
            | "vs"
            | "vs."
            | "from"
            | "into"
            | "up"
            | "off"
            | "per"
            | "via"
            | "'s"
            | "\u{2019}s"
    )
}

/// The longest title phrase starting at token `i` within `[i, end)`: its end and class.
pub(crate) fn title_at(
    doc: &Doc,
    lex: &Lexicon,
    i: usize,
    end: usize,
) -> Option<(usize, TitleClass)> {
    let mut best = None;
    // The key of tokens `[i, j]`, built only when a title is longer than one token: most
    // calls stop at the first word, which is looked up as it is, without a copy.
    let mut key = String::new();
    for j in i..end.min(i + lex.max_title_tokens) {
        if doc.tokens[j].kind == TokenKind::Number {
            break;
        }
        let word = doc.lower(j);
        if j > i {
            if j == i + 1 {
                key.push_str(doc.lower(i));
            }
            key.push(' ');
            key.push_str(word);
        }
        let phrase = if j == i { word } else { key.as_str() };
        if let Some(&class) = lex.titles.get(phrase) {
            best = Some((j + 1, class));
        }
        if !lex.title_prefixes.contains(phrase) {
            break;
        }
    }
    best
}

/// A role or honorific title at `i`, with any modifiers before it: `(start, end, class)`.
pub(crate) fn full_title_at(
    doc: &Doc,
    lex: &Lexicon,
    i: usize,
    end: usize,
) -> Option<(usize, usize, TitleClass)> {
    let mut k = i;
    while k < end {
        match title_at(doc, lex, k, end) {
            // A modifier counts only when a role follows it ("deputy prime minister").
            Some((e, TitleClass::Modifier)) if title_at(doc, lex, e, end).is_some() => k = e,
            Some((_, TitleClass::Modifier)) => return None,
            Some((e, class)) => return Some((i, e, class)),
            None => return None,
        }
    }
    None
}

struct Recognizer<'d, 'a> {
    doc: &'d Doc<'a>,
    lex: &'static Lexicon,
    pieces: Vec<Piece>,
    /// Set while typing the owner before a title ("Boeing" in "Boeing CEO Jane Roe"),
    /// which is a name even when it opens the sentence.
    owner: bool,
}

impl<'d, 'a> Recognizer<'d, 'a> {
    fn not_name(&self, i: usize) -> Option<NotName> {
        self.lex.not_names.get(self.doc.norm[i].as_ref()).copied()
    }

    fn is_name_word(&self, i: usize) -> bool {
        self.doc.tokens[i].kind == TokenKind::Word && self.doc.cap[i]
    }

    fn starts_name(&self, i: usize) -> bool {
        self.is_name_word(i) && !matches!(self.not_name(i), Some(NotName::Never | NotName::Date))
    }

    fn continues_name(&self, i: usize) -> bool {
        if !self.is_name_word(i) {
            return false;
        }
        match self.not_name(i) {
            Some(NotName::Never) => false,
            Some(NotName::Date) => self.lex.first_names.contains(self.doc.norm[i - 1].as_ref()),
            _ => true,
        }
    }

    fn lower(&self, i: usize) -> &str {
        self.doc.lower(i)
    }

    /// The run of name words starting at `i` (within `end`): one past its end.
    fn run_end(&self, i: usize, end: usize) -> usize {
        let mut j = i;
        while j < end
            && (if j == i {
                self.starts_name(j)
            } else {
                self.continues_name(j)
            })
        {
            j += 1;
        }
        j
    }

    /// Groups a sentence's capitalized tokens into raw candidate names.
    fn raw_chunks(&self, a: usize, b: usize) -> Vec<(usize, usize)> {
        let mut chunks = Vec::new();
        let mut i = a;
        while i < b {
            if !self.starts_name(i) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            loop {
                if j < b && self.continues_name(j) {
                    j += 1;
                    continue;
                }
                if j + 1 < b {
                    if let Some(next) = self.connector(i, j, b) {
                        j = next;
                        continue;
                    }
                }
                break;
            }
            chunks.push((i, j));
            i = j;
        }
        chunks
    }

    /// When token `j` joins the name `[i, j)` to the capitalized words after it, the end of
    /// the joined name.
    fn connector(&self, i: usize, j: usize, b: usize) -> Option<usize> {
        let w = self.doc.word(j);
        let last = self.lower(j - 1);
        match w {
            "of" | "for" => {
                // "Bank of", "Gulf of", "Secretary of State", "President of the United States".
                let cue = self.lex.org_prefix.contains(last)
                    || self.lex.loc_prefix.contains(last)
                    || self.lex.org_suffix.contains(last)
                    || self.lex.titles.get(last) == Some(&TitleClass::Role);
                let mut k = j + 1;
                if k < b && self.doc.word(k) == "the" {
                    k += 1;
                }
                (cue && k < b && self.starts_name(k)).then(|| self.run_end(k, b))
            }
            "de" | "del" | "della" | "da" | "van" | "von" | "der" | "den" | "bin" | "ibn"
            | "al" | "el" | "le" | "du" | "dos" | "das" | "di" | "es" | "y" | "ter" | "ten"
            | "zu" | "arap" | "&" => {
                // Name particles and "&" join the capitalized words around them.
                self.starts_name(j + 1).then(|| self.run_end(j + 1, b))
            }
            "and" => {
                if !self.starts_name(j + 1) {
                    return None;
                }
                let k = self.run_end(j + 1, b);
                let whole = self.lex.names.contains_key(self.doc.key(i, k).as_ref());
                // A left part that is a whole name already stands alone:
                // "Shanghai Airlines and Xiamen Airlines", "Boeing and Lockheed Martin".
                let left_known = self.lex.names.contains_key(self.doc.key(i, j).as_ref())
                    || self.lex.first_names.contains(self.doc.norm[i].as_ref())
                    || self.lex.org_suffix.contains(self.lower(j - 1));
                let right_org = self.lex.org_suffix.contains(self.lower(k - 1)) && k - (j + 1) >= 2;
                (whole || (right_org && !left_known)).then_some(k)
            }
            _ => None,
        }
    }

    fn push(
        &mut self,
        start: usize,
        end: usize,
        kind: EntityKind,
        strong: bool,
        canonical: Option<String>,
    ) {
        if start < end {
            self.pieces.push(Piece {
                start,
                end,
                kind,
                strong,
                canonical,
            });
        }
    }

    fn push_known(&mut self, start: usize, end: usize, known: &Known) {
        let surface =
            &self.doc.text[self.doc.tokens[start].span.start..self.doc.tokens[end - 1].span.end];
        let canonical = (known.canonical != surface).then(|| known.canonical.clone());
        self.push(start, end, known.kind, true, canonical);
    }

    /// True when the word at `i`, opening its sentence, reads as an ordinary word.
    fn common_initial(&self, i: usize, chunk_len: usize) -> bool {
        let w = self.doc.norm[i].as_ref();
        let lower = self.lower(i);
        if self.lex.first_names.contains(w)
            || self.lex.names.contains_key(w)
            || is_all_caps(self.doc.word(i))
        {
            return false;
        }
        if self.doc.lower_vocab.contains(lower) {
            return true;
        }
        if self.doc.cap_inside.contains(w) {
            return false;
        }
        let tag = self.doc.pos(i);
        // The tagger reads the word in context; a sentence's first word it does not call a
        // proper noun is an ordinary word ("Great food", "See you", "Initially, ...").
        // In a longer name only function words count ("The", "When"): "Apple Corps" stays.
        let clearly_not_name = if chunk_len == 1 {
            !matches!(tag, Pos::NNP | Pos::NNPS | Pos::FW | Pos::Other)
        } else {
            matches!(
                tag,
                Pos::DT
                    | Pos::IN
                    | Pos::PRP
                    | Pos::PRPS
                    | Pos::CC
                    | Pos::RB
                    | Pos::WRB
                    | Pos::MD
                    | Pos::WP
                    | Pos::WDT
            )
        };
        const SUFFIXES: &[&str] = &[
            "ly", "al", "ive", "ous", "ful", "less", "ment", "tion", "sion", "ness", "ity", "ed",
            "ing", "ic", "able", "ible", "ary", "ory", "ure", "ance", "ence", "cy", "ism", "ship",
        ];
        // A plural noun opening a sentence: "Shares fell", "Officials said".
        let plural = lower.len() > 4
            && lower.ends_with('s')
            && !["ss", "us", "is", "as", "os"]
                .iter()
                .any(|s| lower.ends_with(s));
        clearly_not_name
            || (chunk_len == 1
                && (plural
                    || SUFFIXES
                        .iter()
                        .any(|s| lower.len() > s.len() + 2 && lower.ends_with(s))))
    }

    /// Types the raw name `[i, j)` and records it (and any names it holds).
    fn process(&mut self, i: usize, j: usize) {
        if i >= j {
            return;
        }
        let lex = self.lex;
        // "US$40", "U.S. dollars": a currency, not a place.
        if j < self.doc.tokens.len() {
            let next = self.doc.word(j);
            let glued = self.doc.tokens[j].span.start == self.doc.tokens[j - 1].span.end;
            if (glued && next == "$") || matches!(next, "dollar" | "dollars") {
                return;
            }
        }
        if lex.other_names.contains(self.doc.key(i, j).as_ref()) {
            return;
        }
        if j - i == 1 {
            let w = self.doc.word(i);
            // A lone letter ("Plan B", "X"), or a shouted ordinary word ("GOOD", "NOT").
            let shouted_word =
                is_all_caps(w) && w.len() >= 3 && self.doc.lower_vocab.contains(self.lower(i));
            if w.chars().filter(|c| c.is_alphabetic()).count() == 1 || shouted_word {
                return;
            }
        }
        // People named by nationality ("Israelis", "Americans") are no named entity.
        if j - i == 1 {
            let plural_of = self.doc.norm[i].strip_suffix('s').unwrap_or("");
            if lex.names.get(plural_of).is_some_and(|k| k.adjective) {
                return;
            }
        }
        if let Some(known) = lex.names.get(self.doc.key(i, j).as_ref()) {
            let known = known.clone();
            self.push_known(i, j, &known);
            return;
        }
        if self.doc.initial[i]
            && !(self.owner
                && self.not_name(i).is_none()
                && !self.doc.lower_vocab.contains(self.lower(i)))
            && self.common_initial(i, j - i)
            && !self.cue_typed(i, j)
        {
            return self.process(i + 1, j);
        }
        // "Air France Flight 447": a common word before a number ends no name.
        if j - i >= 2
            && j < self.doc.tokens.len()
            && self.doc.tokens[j].kind == TokenKind::Number
            && self.doc.lower_vocab.contains(self.lower(j - 1))
        {
            return self.process(i, j - 1);
        }
        // Titles inside the name: "President Donald Trump", "White House Press Secretary X".
        let mut k = i;
        let mut last_title = None;
        while k < j {
            if let Some((ts, te, class)) = full_title_at(self.doc, lex, k, j) {
                last_title = Some((ts, te, class));
                k = te;
            } else {
                k += 1;
            }
        }
        if let Some((mut ts, te, class)) = last_title {
            // Titles in a row belong together: "Mr Justice Anthony Mann".
            while let Some(s) =
                (i..ts).find(|&s| full_title_at(self.doc, lex, s, ts).is_some_and(|t| t.1 == ts))
            {
                ts = s;
            }
            let rest_is_cue = te < j && {
                let last = self.lower(j - 1);
                lex.org_suffix.contains(last) || lex.loc_suffix.contains(last)
            };
            if te < j && matches!(self.doc.word(te), "of" | "for") {
                // "Prime Minister of Canada": the title's country, not a person.
                self.process_left(i, ts);
                let mut k = te + 1;
                if k < j && self.doc.word(k).eq_ignore_ascii_case("the") {
                    k += 1;
                }
                return self.process(k, j);
            }
            if te < j && !rest_is_cue {
                self.process_left(i, ts);
                self.push(te, j, EntityKind::Person, true, None);
                return;
            }
            if te == j && class == TitleClass::Role {
                return self.process(i, ts);
            }
        }
        if j - i == 1 && matches!(self.not_name(i), Some(NotName::Alone)) {
            return;
        }
        // A cue word alone ("Co.", "Department") names nothing.
        if j - i == 1
            && (lex.org_suffix.contains(self.lower(i)) || lex.loc_suffix.contains(self.lower(i)))
        {
            return;
        }
        // A known name, or one closed by a cue word, before a person's name:
        // "United States Barack Obama", "Apple Inc. Steve Jobs".
        for k in (i + 1..j).rev() {
            if !lex.first_names.contains(self.doc.norm[k].as_ref()) {
                continue;
            }
            let left_cue = {
                let last = self.lower(k - 1);
                lex.org_suffix.contains(last) || lex.loc_suffix.contains(last)
            };
            if let Some(known) = lex.names.get(self.doc.key(i, k).as_ref()) {
                let known = known.clone();
                self.push_known(i, k, &known);
            } else if left_cue && k - i >= 2 {
                let (kind, strong) = self.classify(i, k);
                self.push(i, k, kind, strong, None);
            } else {
                continue;
            }
            let (kind, strong) = self.classify(k, j);
            self.push(k, j, kind, strong, None);
            return;
        }
        // A country's government is the country, as news annotation types it.
        if j - i >= 2 && self.doc.norm[j - 1].eq_ignore_ascii_case("government") {
            if let Some(known) = lex.names.get(self.doc.key(i, j - 1).as_ref()) {
                if known.kind == EntityKind::Location {
                    let canonical = Some(known.canonical.clone());
                    self.push(i, j, EntityKind::Location, true, canonical);
                    return;
                }
            }
        }
        // Events, laws, indices: "Beijing Olympic Games", "Dow Jones Industrial Average".
        if j - i >= 2 && lex.other_suffix.contains(self.lower(j - 1)) {
            return;
        }
        if j - i == 1 && j < self.doc.tokens.len() {
            // "Black Monday"; "Chapter 11", "Flight 447": a common word before a number.
            let date_after = self.not_name(j) == Some(NotName::Date);
            let number_after = self.doc.tokens[j].kind == TokenKind::Number
                && self.doc.lower_vocab.contains(self.lower(i));
            if date_after || number_after {
                return;
            }
        }
        // Model names ("Airbus A380", "Boeing 787 Dreamliner") name products, not entities.
        let has_digit = |k: usize| self.doc.word(k).chars().any(|c| c.is_ascii_digit());
        if (i..j).any(has_digit) {
            return;
        }
        let (kind, strong) = self.classify(i, j);
        if j - i == 1 && strong && kind != EntityKind::Person && self.doc.initial[i] {
            // A lone cue word ("Department") is no name.
        }
        self.push(i, j, kind, strong, None);
    }

    /// The part of a name before a title: typed like any name, but a lone cue word or
    /// a known name keeps its own type.
    fn process_left(&mut self, i: usize, j: usize) {
        if i < j {
            self.owner = true;
            self.process(i, j);
            self.owner = false;
        }
    }

    /// True when cue words type the name `[i, j)` as a whole ("Bank of America",
    /// "National Security Council"), so its first word belongs to it even when ordinary.
    fn cue_typed(&self, i: usize, j: usize) -> bool {
        let lex = self.lex;
        let n = j - i;
        let of_cue = n >= 3
            && matches!(self.doc.word(i + 1), "of" | "for")
            && (lex.org_prefix.contains(self.lower(i)) || lex.loc_prefix.contains(self.lower(i)));
        let last = self.lower(j - 1);
        of_cue || (n >= 2 && (lex.org_suffix.contains(last) || lex.loc_suffix.contains(last)))
    }

    /// Types a name that no lexicon lists whole.
    fn classify(&self, i: usize, j: usize) -> (EntityKind, bool) {
        let lex = self.lex;
        let n = j - i;
        for k in i..j {
            let next = k + 1 < j && matches!(self.doc.word(k + 1), "of" | "for");
            if next && lex.org_prefix.contains(self.lower(k)) {
                return (EntityKind::Organization, true);
            }
            if next && lex.loc_prefix.contains(self.lower(k)) && k == i {
                return (EntityKind::Location, true);
            }
        }
        let last = self.lower(j - 1);
        let first_name = lex.first_names.contains(self.doc.norm[i].as_ref());
        if n == 2 && first_name && !is_all_caps(self.doc.word(j - 1)) {
            return (EntityKind::Person, true);
        }
        if n >= 2 && lex.org_suffix.contains(last) {
            return (EntityKind::Organization, true);
        }
        if n >= 2 && lex.loc_suffix.contains(last) {
            return (EntityKind::Location, true);
        }
        if n >= 2 && first_name {
            return (EntityKind::Person, true);
        }
        // Context: a title before ("spokesman Brian Hughes", "spokesman, Jane Roe"), "said" after.
        if self.titled(i) || (n >= 2 && self.person_context(i, j)) {
            return (EntityKind::Person, true);
        }
        // "Saddam Hussein", "Fidel Castro": a frequent surname after a capitalized word.
        let surname = lex.surnames.contains(self.doc.norm[j - 1].as_ref());
        if (2..=3).contains(&n) && surname && self.doc.plain_name(i, j) {
            return (EntityKind::Person, false);
        }
        if n == 1 && first_name {
            // A given name alone ("Vince", "John") is a person unless the document says otherwise.
            return (EntityKind::Person, false);
        }
        (EntityKind::Organization, false)
    }

    /// True when a role title ends right before token `i`, or before a comma there.
    fn titled(&self, i: usize) -> bool {
        let ends_title = |end: usize| {
            (end.saturating_sub(self.lex.max_title_tokens + 2)..end).any(|s| {
                full_title_at(self.doc, self.lex, s, end)
                    .is_some_and(|(_, e, class)| e == end && class != TitleClass::Modifier)
            })
        };
        (i > 0 && !self.doc.initial[i] && ends_title(i))
            || (i > 1 && self.doc.word(i - 1) == "," && ends_title(i - 1))
    }

    fn person_context(&self, i: usize, j: usize) -> bool {
        let after = (j < self.doc.tokens.len()).then(|| self.doc.word(j));
        let after2 = (j + 1 < self.doc.tokens.len()).then(|| self.doc.word(j + 1));
        matches!(
            after,
            Some("said" | "says" | "told" | "added" | "wrote" | "explained")
        ) || (after == Some(",") && matches!(after2, Some("who" | "aged")))
            || (after == Some(",") && after2.is_some_and(|w| w.chars().all(|c| c.is_ascii_digit())))
            || i > 0 && self.doc.word(i - 1).eq_ignore_ascii_case("by") && after == Some(",")
            || self.appositive_title(j)
    }

    /// True when ", [the] [up to two words] <role title>" follows token `j - 1`:
    /// "Kaoru Yosano, the Japanese minister".
    fn appositive_title(&self, j: usize) -> bool {
        let n = self.doc.tokens.len();
        if j >= n || self.doc.word(j) != "," {
            return false;
        }
        let mut k = j + 1;
        if k < n && matches!(self.lower(k), "the" | "a" | "an") {
            k += 1;
        }
        (k..(k + 3).min(n)).any(|s| {
            (s == k || self.doc.tokens[s - 1].kind == TokenKind::Word)
                && full_title_at(self.doc, self.lex, s, n)
                    .is_some_and(|(_, _, class)| class == TitleClass::Role)
        })
    }

    /// Finds names in a Title Case or ALL CAPS sentence, where capitals say little: only
    /// lexicon names and names already found in the document count.
    fn headline(
        &mut self,
        a: usize,
        b: usize,
        known: &FxHashMap<String, (EntityKind, Option<String>)>,
    ) {
        let max = self.lex.max_name_tokens.max(4);
        let mut i = a;
        while i < b {
            let mut found = None;
            if self.doc.tokens[i].kind == TokenKind::Word && self.doc.cap[i] {
                for e in (i + 1..=(i + max).min(b)).rev() {
                    if !self.doc.cap[e - 1] {
                        continue;
                    }
                    let key = self.doc.key(i, e);
                    if let Some(k) = self.lex.names.get(key.as_ref()) {
                        found =
                            Some((e, k.kind, (k.canonical != key).then(|| k.canonical.clone())));
                        break;
                    }
                    if let Some((kind, canonical)) = known.get(key.as_ref()) {
                        found = Some((e, *kind, canonical.clone()));
                        break;
                    }
                }
            }
            match found {
                Some((e, kind, canonical)) => {
                    self.push(i, e, kind, true, canonical);
                    i = e;
                }
                None => i += 1,
            }
        }
    }
}

/// True when a known place starts at token `k` and ends its phrase ("Cupertino, California,").
fn followed_by_place(doc: &Doc, k: usize) -> bool {
    let lex = lexicon();
    (k + 1..=(k + 3).min(doc.tokens.len())).any(|e| {
        lex.names
            .get(doc.key(k, e).as_ref())
            .is_some_and(|known| known.kind == EntityKind::Location && !known.adjective)
            && (e == doc.tokens.len() || !doc.cap[e])
    })
}

/// True when "he", "she", "his", "her" or "him" comes within the next few words after
/// token `end`, before any other capitalized word.
fn personal_pronoun_follows(doc: &Doc, end: usize) -> bool {
    for k in end..(end + 8).min(doc.tokens.len()) {
        if matches!(
            doc.word_lower(k).as_ref(),
            "he" | "she" | "his" | "her" | "him"
        ) {
            return true;
        }
        if doc.cap[k] && !doc.initial[k] {
            return false;
        }
    }
    false
}

/// Finds and types the names of a document.
pub(crate) fn recognize(doc: &Doc, sentences: &[Sentence]) -> Vec<Piece> {
    let mut r = Recognizer {
        doc,
        lex: lexicon(),
        pieces: Vec::new(),
        owner: false,
    };
    let n = doc.tokens.len();
    let mut headlines = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        let (a, b) = (s.tokens.start.min(n), s.tokens.end.min(n));
        match doc.mode_of(si, s) {
            Mode::Prose => {
                for (i, j) in r.raw_chunks(a, b) {
                    r.process(i, j);
                }
            }
            Mode::TitleCase | Mode::Shouting => headlines.push((a, b)),
        }
    }
    // What the prose says about names: typed forms, surnames, short forms, acronyms.
    // Per document, probed for every candidate span: the fast hasher. Never iterated into
    // output order (`short` is folded into `known` by key, which any order gives alike).
    let mut known: FxHashMap<String, (EntityKind, Option<String>)> = FxHashMap::default();
    let mut short: FxHashMap<String, EntityKind> = FxHashMap::default();
    // Strong pieces first; weak multi-word persons ("Elian Gonzalez") lend their short forms too.
    let weak_persons = r
        .pieces
        .iter()
        .filter(|p| !p.strong && p.kind == EntityKind::Person && p.end - p.start >= 2);
    for p in r.pieces.iter().filter(|p| p.strong).chain(weak_persons) {
        if p.strong {
            known
                .entry(doc.key(p.start, p.end).into_owned())
                .or_insert((p.kind, p.canonical.clone()));
        }
        let len = p.end - p.start;
        if len >= 2 {
            match p.kind {
                EntityKind::Person => {
                    short
                        .entry(doc.norm[p.end - 1].to_string())
                        .or_insert(EntityKind::Person);
                    if len == 2 {
                        // "Elian" after "Elian Gonzalez".
                        short
                            .entry(doc.norm[p.start].to_string())
                            .or_insert(EntityKind::Person);
                    }
                }
                EntityKind::Organization => {
                    short
                        .entry(doc.norm[p.start].to_string())
                        .or_insert(EntityKind::Organization);
                    let initials: String = (p.start..p.end)
                        .filter(|&k| doc.cap[k])
                        .filter_map(|k| doc.norm[k].chars().next())
                        .collect();
                    if initials.chars().count() >= 2 {
                        short.entry(initials).or_insert(EntityKind::Organization);
                    }
                }
                EntityKind::Location => {}
            }
        }
    }
    for (kind, surface) in short
        .iter()
        .map(|(s, k)| (*k, s.clone()))
        .collect::<Vec<_>>()
    {
        known.entry(surface).or_insert((kind, None));
    }
    for (a, b) in headlines {
        r.headline(a, b, &known);
    }
    let mut pieces = r.pieces;
    for p in pieces.iter_mut().filter(|p| !p.strong) {
        let key = doc.key(p.start, p.end);
        if let Some((kind, canonical)) = known.get(key.as_ref()) {
            p.kind = *kind;
            p.canonical = canonical.clone();
        } else if p.end - p.start >= 2
            && short.get(doc.norm[p.end - 1].as_ref()) == Some(&EntityKind::Person)
        {
            // "Marty Ackerman" after "Martin Ackerman".
            p.kind = EntityKind::Person;
        } else if p.kind == EntityKind::Organization
            && (2..=3).contains(&(p.end - p.start))
            && !(p.start > 0 && doc.word(p.start - 1).eq_ignore_ascii_case("the"))
            && doc.plain_name(p.start, p.end)
            && personal_pronoun_follows(doc, p.end)
        {
            // "Saddam Hussein ... his": a name that "he" or "she" takes up is a person.
            p.kind = EntityKind::Person;
        } else if p.kind == EntityKind::Person
            && p.start > 0
            && doc.word(p.start - 1).eq_ignore_ascii_case("the")
        {
            // People's names take no article: "the Mac", "the Royal Courts".
            p.kind = EntityKind::Organization;
        } else if p.end - p.start == 1 && p.start > 0 && doc.word(p.start - 1) == "in" {
            p.kind = EntityKind::Location;
        } else if p.end + 1 < n && doc.word(p.end) == "," && followed_by_place(doc, p.end + 1) {
            // "Cupertino, California".
            p.kind = EntityKind::Location;
        }
    }
    pieces.sort_by_key(|p| (p.start, p.end));
    pieces.dedup_by(|b, a| b.start < a.end);
    pieces
}
