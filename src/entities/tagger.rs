//! The statistical entity tagger: a greedy left-to-right averaged perceptron over hashed
//! features, labelling each token O, B-X or I-X for X in PER, ORG, LOC.
//!
//! Features are computed from precomputed per-token hashes (word, shape, affixes, part of
//! speech, gazetteer membership, how the document writes the word), so tagging allocates
//! nothing per token. Weights ship in `data/ner/model.bin`, rebuilt byte for byte by
//! `scripts/train_ner.sh` (see `data/ner/README.md` for sources and licenses).
//!
//! File layout (integers are LEB128 varints unless noted): magic `TKGNER1\n`; flags
//! (bit 0: gazetteer features); the weight scale; the feature count; then per feature,
//! sorted by key: key delta from the previous key and [`N_LABELS`] zigzag weights.

use crate::entities::lexicon::{key_hash, lexicon, NotName, TitleClass};
use crate::entities::EntityKind;
use crate::pos::Pos;
use crate::text::{Token, TokenKind};
use std::sync::OnceLock;

/// Number of labels: O, then B and I for each of PER, ORG, LOC.
pub(crate) const N_LABELS: usize = 7;
/// Label O.
pub(crate) const O: u8 = 0;
/// Label for the padding position before a sentence.
const START: u8 = 7;
const MAGIC: &[u8; 8] = b"TKGNER1\n";

/// The entity kind of a label (`None` for O).
pub(crate) fn label_kind(label: u8) -> Option<EntityKind> {
    match label {
        1 | 2 => Some(EntityKind::Person),
        3 | 4 => Some(EntityKind::Organization),
        5 | 6 => Some(EntityKind::Location),
        _ => None,
    }
}

/// The B (begin) label of a kind.
pub(crate) fn begin_label(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 1,
        EntityKind::Organization => 3,
        EntityKind::Location => 5,
    }
}

/// True for an I (inside) label.
pub(crate) fn is_inside(label: u8) -> bool {
    matches!(label, 2 | 4 | 6)
}

/// True when `label` may follow `prev` (an I-X only continues B-X or I-X).
fn allowed(prev: u8, label: u8) -> bool {
    !is_inside(label) || (prev != O && prev != START && label_kind(prev) == label_kind(label))
}

// The POS tagger's feature hash, so both models hash alike.
use crate::pos::features::{finish, mix};
use crate::pos::{home_slot, next_slot};

/// Lower case, digits as `0`, typographic quotes as ASCII.
#[inline]
fn normalize(c: char) -> u64 {
    if c.is_ascii() {
        if c.is_ascii_digit() {
            u64::from(b'0')
        } else {
            u64::from(c.to_ascii_lowercase())
        }
    } else if c.is_numeric() {
        u64::from(b'0')
    } else if matches!(c, '\u{2018}' | '\u{2019}') {
        u64::from(b'\'')
    } else {
        u64::from(c.to_lowercase().next().unwrap_or(c))
    }
}

fn hash_chars(seed: u64, chars: impl Iterator<Item = char>) -> u64 {
    chars.fold(seed, |h, c| mix(h, normalize(c)))
}

/// Word shape with repeats collapsed: "Obama" -> "Xx", "NATO" -> "X", "U.S." -> "X.X.".
fn shape_hash(word: &str) -> u64 {
    let mut h = 0x5348_4150_4500_0000;
    let mut last = '\0';
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if s != last {
            h = mix(h, u64::from(s));
            last = s;
        }
    }
    h
}

/// Gazetteer bits of one token.
mod gaz {
    pub const KNOWN_LOC_B: u16 = 1;
    pub const KNOWN_LOC_I: u16 = 1 << 1;
    pub const KNOWN_ORG_B: u16 = 1 << 2;
    pub const KNOWN_ORG_I: u16 = 1 << 3;
    pub const NATIONALITY: u16 = 1 << 4;
    pub const FIRST_NAME: u16 = 1 << 5;
    pub const SURNAME: u16 = 1 << 6;
    pub const TITLE: u16 = 1 << 7;
    pub const ORG_CUE: u16 = 1 << 8;
    pub const LOC_CUE: u16 = 1 << 9;
    pub const NOT_NAME: u16 = 1 << 10;
    pub const OTHER_CUE: u16 = 1 << 11;
    pub const HONORIFIC: u16 = 1 << 12;
    pub const BITS: u32 = 13;
}

/// What the tagger knows about one token before tagging.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TokenInfo {
    word: u64,
    exact: u64,
    shape: u64,
    prefix: u64,
    suffix3: u64,
    suffix2: u64,
    pos: u8,
    gaz: u16,
    /// Bit 0: opens its sentence; bit 1: the document also writes it in lower case;
    /// bit 2: the document capitalizes it inside a sentence; bit 3: capitalized.
    flags: u8,
    /// What the rules made of the token: 0 nothing, else its B/I label, plus 8 when the
    /// rules' typing was strong (a lexicon, a cue word, name structure).
    rule: u8,
}

const PAD: TokenInfo = TokenInfo {
    word: 0x5041_4400_0000_0001,
    exact: 0x5041_4400_0000_0001,
    shape: 0x5041_4400_0000_0001,
    prefix: 0,
    suffix3: 0,
    suffix2: 0,
    pos: 255,
    gaz: 0,
    flags: 0,
    rule: 0,
};

/// Computes the per-token information of a document. `sentences` are token ranges; with
/// `selected` (one flag per sentence), only the tokens of selected sentences get more than
/// their word hash (the others are not tagged).
pub(crate) fn token_infos(
    text: &str,
    tokens: &[Token],
    sentences: &[std::ops::Range<usize>],
    pos: &[Pos],
    use_gazetteer: bool,
    rules: Option<&[u8]>,
    selected: Option<&[bool]>,
) -> Vec<TokenInfo> {
    let n = tokens.len();
    let word_of = |i: usize| {
        text.get(tokens[i].span.start..tokens[i].span.end)
            .unwrap_or("")
    };
    let mut infos = vec![TokenInfo::default(); n];
    let mut initial = vec![false; n];
    for s in sentences {
        if let Some(f) = (s.start..s.end.min(n)).find(|&i| tokens[i].kind == TokenKind::Word) {
            initial[f] = true;
        }
    }
    let mut lower_words = crate::pos::FxHashSet::default();
    let mut inner_caps = crate::pos::FxHashSet::default();
    for i in 0..n {
        let w = word_of(i);
        let word = hash_chars(0x574F_5244, w.chars());
        let capitalized = w.chars().next().is_some_and(char::is_uppercase);
        if tokens[i].kind == TokenKind::Word {
            if w.chars().next().is_some_and(char::is_lowercase) {
                lower_words.insert(word);
            } else if capitalized && !initial[i] {
                inner_caps.insert(word);
            }
        }
        infos[i].word = word;
        infos[i].flags = u8::from(initial[i]) | (u8::from(capitalized) << 3);
    }
    let mut wanted = vec![selected.is_none(); n];
    if let Some(sel) = selected {
        for (s, _) in sentences.iter().zip(sel).filter(|(_, &on)| on) {
            wanted[s.start.min(n)..s.end.min(n)]
                .iter_mut()
                .for_each(|w| *w = true);
        }
    }
    for i in (0..n).filter(|&i| wanted[i]) {
        let w = word_of(i);
        let info = &mut infos[i];
        info.exact = w
            .chars()
            .fold(0x0045_5841_4354, |h, c| mix(h, u64::from(c)));
        info.shape = shape_hash(w);
        info.prefix = hash_chars(0x0050_5245, w.chars().take(3));
        info.suffix3 = hash_chars(0x5355_4633, w.chars().rev().take(3));
        info.suffix2 = hash_chars(0x5355_4632, w.chars().rev().take(2));
        info.pos = pos.get(i).map_or(254, |p| p.index() as u8);
        info.rule = rules.and_then(|r| r.get(i).copied()).unwrap_or(0);
    }
    for info in infos.iter_mut() {
        if lower_words.contains(&info.word) {
            info.flags |= 2;
        }
        if inner_caps.contains(&info.word) {
            info.flags |= 4;
        }
    }
    if use_gazetteer {
        add_gazetteer(text, tokens, sentences, &wanted, &mut infos);
    }
    infos
}

/// The single-word gazetteer bits of every listed word, merged from the word lists so a
/// token costs two lookups instead of nine.
struct WordBits {
    /// Lists matched as written: given names, surnames, words that are no names.
    exact: crate::pos::FxHashMap<&'static str, u16>,
    /// Lists matched in lower case: titles, organization and place cue words.
    lower: crate::pos::FxHashMap<&'static str, u16>,
}

fn word_bits() -> &'static WordBits {
    static BITS: OnceLock<WordBits> = OnceLock::new();
    BITS.get_or_init(|| {
        let lex = lexicon();
        let mut exact = crate::pos::FxHashMap::default();
        let mut lower = crate::pos::FxHashMap::default();
        let add = |map: &mut crate::pos::FxHashMap<&'static str, u16>, w, bit| {
            *map.entry(w).or_insert(0) |= bit;
        };
        for &w in &lex.first_names {
            add(&mut exact, w, gaz::FIRST_NAME);
        }
        for &w in &lex.surnames {
            add(&mut exact, w, gaz::SURNAME);
        }
        for (&w, class) in &lex.not_names {
            let bit = match class {
                NotName::Never | NotName::Date => gaz::NOT_NAME,
                NotName::Alone => gaz::OTHER_CUE,
            };
            add(&mut exact, w, bit);
        }
        for (w, class) in &lex.titles {
            let bit = match class {
                TitleClass::Honorific => gaz::HONORIFIC,
                _ => gaz::TITLE,
            };
            add(&mut lower, w.as_str(), bit);
        }
        for &w in lex.org_suffix.iter().chain(&lex.org_prefix) {
            add(&mut lower, w, gaz::ORG_CUE);
        }
        for &w in lex.loc_suffix.iter().chain(&lex.loc_prefix) {
            add(&mut lower, w, gaz::LOC_CUE);
        }
        for &w in &lex.other_suffix {
            add(&mut lower, w, gaz::OTHER_CUE);
        }
        WordBits { exact, lower }
    })
}

fn add_gazetteer(
    text: &str,
    tokens: &[Token],
    sentences: &[std::ops::Range<usize>],
    wanted: &[bool],
    infos: &mut [TokenInfo],
) {
    let lex = lexicon();
    let n = tokens.len();
    let word_of = |i: usize| {
        text.get(tokens[i].span.start..tokens[i].span.end)
            .unwrap_or("")
    };
    let words = word_bits();
    let mut lower = String::new();
    for (i, info) in infos.iter_mut().enumerate().filter(|(i, _)| wanted[*i]) {
        let w = word_of(i);
        lower.clear();
        if w.is_ascii() {
            lower.push_str(w);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(w.chars().flat_map(char::to_lowercase));
        }
        info.gaz |= words.exact.get(w).copied().unwrap_or(0)
            | words.lower.get(lower.as_str()).copied().unwrap_or(0);
    }
    // Known names: the longest listed name starting at each token, left to right.
    let mut key = String::new();
    for s in sentences {
        let (a, b) = (s.start.min(n), s.end.min(n));
        if a >= b || !wanted[a] {
            continue;
        }
        let mut i = a;
        while i < b {
            let mut found = None;
            let upper = word_of(i).chars().next().is_some_and(char::is_uppercase);
            if tokens[i].kind == TokenKind::Word && upper {
                key.clear();
                for e in i..b.min(i + lex.max_name_tokens) {
                    if e > i {
                        key.push(' ');
                    }
                    key.push_str(word_of(e));
                    if let Some(known) = lex.names.get(key.as_str()) {
                        found = Some((e + 1, known.kind, known.adjective));
                    }
                    if !lex.name_prefixes.contains(&key_hash(&key)) {
                        break;
                    }
                }
            }
            match found {
                Some((e, kind, adjective)) => {
                    let (bb, ib) = match (kind, adjective) {
                        (_, true) => (gaz::NATIONALITY, gaz::NATIONALITY),
                        (EntityKind::Organization, _) => (gaz::KNOWN_ORG_B, gaz::KNOWN_ORG_I),
                        _ => (gaz::KNOWN_LOC_B, gaz::KNOWN_LOC_I),
                    };
                    infos[i].gaz |= bb;
                    for info in &mut infos[i + 1..e] {
                        info.gaz |= ib;
                    }
                    i = e;
                }
                None => i += 1,
            }
        }
    }
}

/// Most features one token can produce.
pub(crate) const MAX_FEATURES: usize = 48 + 3 * gaz::BITS as usize;

/// Writes the features of token `i` of a sentence (`infos`, already sliced to the
/// sentence) given the two previous labels; returns how many were written.
pub(crate) fn features(
    infos: &[TokenInfo],
    i: usize,
    prev: u8,
    prev2: u8,
    out: &mut [u32; MAX_FEATURES],
) -> usize {
    let at = |k: isize| -> &TokenInfo {
        let j = i as isize + k;
        if j < 0 || j as usize >= infos.len() {
            &PAD
        } else {
            &infos[j as usize]
        }
    };
    let (t, p1, p2, n1, n2) = (at(0), at(-1), at(-2), at(1), at(2));
    let mut n = 0;
    let mut push = |template: u64, value: u64| {
        out[n] = finish(mix(mix(0x004E_4552, template), value));
        n += 1;
    };
    push(0, 0);
    push(1, t.word);
    push(2, t.exact);
    push(3, p1.word);
    push(4, n1.word);
    push(5, p2.word);
    push(6, n2.word);
    push(7, t.shape);
    push(8, p1.shape);
    push(9, n1.shape);
    push(10, t.prefix);
    push(11, t.suffix3);
    push(12, t.suffix2);
    push(13, u64::from(t.pos));
    push(14, u64::from(p1.pos));
    push(15, u64::from(n1.pos));
    push(16, mix(u64::from(t.pos), t.shape));
    push(17, u64::from(prev));
    push(18, mix(u64::from(prev), t.word));
    push(19, mix(u64::from(prev), t.shape));
    push(20, mix(u64::from(prev2), u64::from(prev)));
    push(21, mix(u64::from(t.flags), t.shape));
    push(22, u64::from(t.flags));
    push(23, mix(p1.word, t.word));
    push(24, mix(t.word, n1.word));
    push(
        25,
        mix(mix(u64::from(p1.pos), u64::from(t.pos)), u64::from(n1.pos)),
    );
    push(26, mix(p1.shape, mix(t.shape, n1.shape)));
    push(27, mix(u64::from(prev), u64::from(t.pos)));
    push(28, mix(u64::from(n1.flags), n1.shape));
    push(29, mix(u64::from(p1.flags), p1.shape));
    push(30, mix(u64::from(prev), n1.shape));
    for (template, info) in [(40u64, t), (41, p1), (42, n1)] {
        let mut bits = info.gaz;
        while bits != 0 {
            let b = bits.trailing_zeros();
            bits &= bits - 1;
            push(template, u64::from(b));
        }
    }
    if t.rule != 0 || p1.rule != 0 || n1.rule != 0 {
        push(50, u64::from(t.rule));
        push(51, mix(u64::from(p1.rule), u64::from(t.rule)));
        push(52, mix(u64::from(t.rule), u64::from(n1.rule)));
        push(53, mix(u64::from(t.rule), t.shape));
        push(54, mix(u64::from(t.rule), u64::from(prev)));
        push(55, mix(u64::from(t.rule), t.word));
    }
    if t.gaz != 0 {
        push(43, mix(u64::from(t.gaz), t.shape));
        push(44, mix(u64::from(prev), u64::from(t.gaz)));
    }
    n
}

/// One slot of [`NerModel`]'s lookup table.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Slot {
    key: u32,
    weights: [i16; N_LABELS + 1],
}

/// Trained weights: an open-addressing table from feature key to a row of
/// [`N_LABELS`] integer weights.
#[derive(Debug, Clone, PartialEq)]
pub struct NerModel {
    /// Whether the model was trained with gazetteer features.
    pub(crate) use_gazetteer: bool,
    /// Whether the model reads the rules' output as features.
    pub(crate) stacked: bool,
    scale: u32,
    /// Number of features (used slots of `table`).
    n_rows: usize,
    /// Open-addressing slots: key and weights inline (one cache line fetch per feature);
    /// weight 7 is 1 in a used slot, 0 in an empty one. A third more slots than rows: the
    /// home slot of a key is [`home_slot`], so the length need not be a power of two.
    table: Vec<Slot>,
}

impl NerModel {
    /// Builds a model from sorted `(key, weights)` rows.
    pub(crate) fn from_rows(
        use_gazetteer: bool,
        stacked: bool,
        scale: u32,
        rows: Vec<(u32, [i16; N_LABELS])>,
    ) -> NerModel {
        // Load 3/4 at most: a probe stays within a few slots (20 bytes each), and the
        // table is 1.6 MB instead of the 2.6 MB a power-of-two length would take.
        let cap = (rows.len() + rows.len() / 3 + 1).max(16);
        let mut table = vec![Slot::default(); cap];
        let mut n_rows = 0;
        'rows: for (key, row) in &rows {
            let key = *key;
            let mut slot = home_slot(key, cap);
            while table[slot].weights[N_LABELS] != 0 {
                if table[slot].key == key {
                    // A repeated key could never be looked up: the first row wins.
                    continue 'rows;
                }
                slot = next_slot(slot, cap);
            }
            n_rows += 1;
            table[slot].key = key;
            table[slot].weights[..N_LABELS].copy_from_slice(row);
            table[slot].weights[N_LABELS] = 1;
        }
        NerModel {
            use_gazetteer,
            stacked,
            scale,
            n_rows,
            table,
        }
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.n_rows
    }

    #[inline]
    fn row(&self, key: u32) -> Option<&[i16; N_LABELS + 1]> {
        let cap = self.table.len();
        let mut slot = home_slot(key, cap);
        loop {
            let s = &self.table[slot];
            if s.weights[N_LABELS] == 0 {
                return None;
            }
            if s.key == key {
                return Some(&s.weights);
            }
            slot = next_slot(slot, cap);
        }
    }

    /// Labels one sentence (its token infos), greedily left to right.
    pub(crate) fn tag_into(&self, infos: &[TokenInfo], out: &mut Vec<u8>) {
        let mut feats = [0u32; MAX_FEATURES];
        let (mut prev, mut prev2) = (START, START);
        for i in 0..infos.len() {
            let n = features(infos, i, prev, prev2, &mut feats);
            let mut scores = [0i32; N_LABELS];
            for &f in &feats[..n] {
                if let Some(row) = self.row(f) {
                    for (s, &w) in scores.iter_mut().zip(row) {
                        *s += i32::from(w);
                    }
                }
            }
            let mut best = O;
            for l in 1..N_LABELS as u8 {
                if allowed(prev, l) && scores[usize::from(l)] > scores[usize::from(best)] {
                    best = l;
                }
            }
            out.push(best);
            prev2 = prev;
            prev = best;
        }
    }

    /// Serializes the model (deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put(
            &mut out,
            u64::from(self.use_gazetteer) | (u64::from(self.stacked) << 1),
        );
        put(&mut out, u64::from(self.scale));
        // The table is in hash order; the file lists keys ascending.
        let mut used: Vec<&Slot> = self
            .table
            .iter()
            .filter(|s| s.weights[N_LABELS] != 0)
            .collect();
        used.sort_unstable_by_key(|s| s.key);
        put(&mut out, used.len() as u64);
        let mut last = 0u32;
        for slot in used {
            put(&mut out, u64::from(slot.key - last));
            last = slot.key;
            for &w in &slot.weights[..N_LABELS] {
                let w = i64::from(w);
                put(&mut out, ((w << 1) ^ (w >> 63)) as u64);
            }
        }
        out
    }

    /// Parses [`NerModel::to_bytes`] output.
    pub fn from_bytes(bytes: &[u8]) -> Result<NerModel, String> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err("not a timeline-kg entity tagger model".into());
        }
        let mut at = MAGIC.len();
        let flags = get(bytes, &mut at)?;
        let scale = u32::try_from(get(bytes, &mut at)?).map_err(|_| "bad scale")?;
        let count = get(bytes, &mut at)? as usize;
        if count > bytes.len() {
            return Err("bad feature count".into());
        }
        let mut rows = Vec::with_capacity(count);
        let mut key = 0u32;
        for _ in 0..count {
            let delta = u32::try_from(get(bytes, &mut at)?).map_err(|_| "bad key")?;
            key = key.checked_add(delta).ok_or("bad key")?;
            let mut row = [0i16; N_LABELS];
            for w in &mut row {
                let z = get(bytes, &mut at)?;
                let v = ((z >> 1) as i64) ^ -((z & 1) as i64);
                *w = i16::try_from(v).map_err(|_| "bad weight")?;
            }
            rows.push((key, row));
        }
        if at != bytes.len() {
            return Err("trailing bytes".into());
        }
        Ok(NerModel::from_rows(
            flags & 1 == 1,
            flags & 2 == 2,
            scale,
            rows,
        ))
    }
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[inline]
fn get(bytes: &[u8], at: &mut usize) -> Result<u64, String> {
    // Most varints of a model are one byte.
    if let Some(&b) = bytes.get(*at).filter(|&&b| b & 0x80 == 0) {
        *at += 1;
        return Ok(u64::from(b));
    }
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at).ok_or("truncated model")?;
        *at += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("bad varint".into())
}

/// The shipped model, parsed once (`None` if the data file is corrupt).
pub(crate) fn model() -> Option<&'static NerModel> {
    static MODEL: OnceLock<Option<NerModel>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let bytes = include_bytes!("../../data/ner/model.bin");
            let model = NerModel::from_bytes(bytes).ok();
            crate::embedded::release_parsed(bytes);
            model
        })
        .as_ref()
}

/// A tagged name: token range and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tagged {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// What it is.
    pub kind: EntityKind,
}

/// Labels every token of a document with `model`; returns one label per token.
pub(crate) fn label_document(
    model: &NerModel,
    text: &str,
    tokens: &[Token],
    sentences: &[std::ops::Range<usize>],
    pos: &[Pos],
    rules: &[u8],
    selected: Option<&[bool]>,
) -> Vec<u8> {
    let rules = model.stacked.then_some(rules);
    let infos = token_infos(
        text,
        tokens,
        sentences,
        pos,
        model.use_gazetteer,
        rules,
        selected,
    );
    let mut labels = Vec::with_capacity(tokens.len());
    let n = tokens.len();
    for (k, s) in sentences.iter().enumerate() {
        let (a, b) = (s.start.min(n), s.end.min(n));
        labels.resize(a.max(labels.len()), O);
        let on = selected.is_none_or(|sel| sel.get(k).copied().unwrap_or(false));
        if on && a < b && labels.len() == a {
            model.tag_into(&infos[a..b], &mut labels);
        }
    }
    labels.resize(n, O);
    labels
}

/// Per-token rule features from the rules' names `(start, end, kind, strong)`.
pub(crate) fn rule_labels(
    n: usize,
    names: impl Iterator<Item = (usize, usize, EntityKind, bool)>,
) -> Vec<u8> {
    let mut out = vec![0u8; n];
    for (s, e, kind, strong) in names {
        let b = begin_label(kind) | (u8::from(strong) << 3);
        for (k, slot) in out.iter_mut().enumerate().take(e.min(n)).skip(s) {
            *slot = if k == s { b } else { b + 1 };
        }
    }
    out
}

/// Turns per-token labels into names (an I without a B starts a name).
pub(crate) fn spans(labels: &[u8]) -> Vec<Tagged> {
    let mut out: Vec<Tagged> = Vec::new();
    for (i, &l) in labels.iter().enumerate() {
        let Some(kind) = label_kind(l) else { continue };
        match out.last_mut() {
            Some(last) if is_inside(l) && last.end == i && last.kind == kind => last.end = i + 1,
            _ => out.push(Tagged {
                start: i,
                end: i + 1,
                kind,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{split_sentences, tokenize};

    /// The gazetteer bits of one word, one list at a time.
    fn bits_by_list(w: &str) -> u16 {
        let lex = lexicon();
        let lower = w.to_lowercase();
        let lower = lower.as_str();
        let mut bits = 0;
        if lex.first_names.contains(w) {
            bits |= gaz::FIRST_NAME;
        }
        if lex.surnames.contains(w) {
            bits |= gaz::SURNAME;
        }
        match lex.not_names.get(w) {
            Some(NotName::Never | NotName::Date) => bits |= gaz::NOT_NAME,
            Some(NotName::Alone) => bits |= gaz::OTHER_CUE,
            None => {}
        }
        match lex.titles.get(lower) {
            Some(TitleClass::Honorific) => bits |= gaz::HONORIFIC,
            Some(_) => bits |= gaz::TITLE,
            None => {}
        }
        if lex.org_suffix.contains(lower) || lex.org_prefix.contains(lower) {
            bits |= gaz::ORG_CUE;
        }
        if lex.loc_suffix.contains(lower) || lex.loc_prefix.contains(lower) {
            bits |= gaz::LOC_CUE;
        }
        if lex.other_suffix.contains(lower) {
            bits |= gaz::OTHER_CUE;
        }
        bits
    }

    #[test]
    fn merged_word_bits_equal_the_lists() {
        let lex = lexicon();
        let words = word_bits();
        let listed = lex
            .first_names
            .iter()
            .chain(&lex.surnames)
            .chain(lex.not_names.keys())
            .chain(&lex.org_suffix)
            .chain(&lex.loc_prefix)
            .copied();
        let extra = [
            "Mr.",
            "President",
            "Council",
            "Airport",
            "Games",
            "the",
            "xyzzy",
        ];
        for w in listed.chain(extra) {
            for w in [w.to_string(), w.to_uppercase(), capitalize_first(w)] {
                let merged = words.exact.get(w.as_str()).copied().unwrap_or(0)
                    | words
                        .lower
                        .get(w.to_lowercase().as_str())
                        .copied()
                        .unwrap_or(0);
                assert_eq!(merged, bits_by_list(&w), "{w:?}");
            }
        }
        assert_ne!(bits_by_list("President") & gaz::TITLE, 0);
    }

    fn capitalize_first(w: &str) -> String {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }

    fn tag(text: &str) -> Vec<(String, EntityKind)> {
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let mut pos = Vec::new();
        for s in &sentences {
            pos.extend(crate::pos::tag_sentence(text, &tokens, s));
        }
        let ranges: Vec<_> = sentences.iter().map(|s| s.tokens.clone()).collect();
        let model = model().expect("data/ner/model.bin parses");
        // The shipped model is stacked: give it the rules' names, as the pipeline does.
        let doc = crate::entities::recognize::Doc::new(text, &tokens, &sentences, &pos);
        let pieces = crate::entities::recognize::recognize(&doc, &sentences);
        let rules = rule_labels(
            tokens.len(),
            pieces.iter().map(|p| (p.start, p.end, p.kind, p.strong)),
        );
        let labels = label_document(model, text, &tokens, &ranges, &pos, &rules, None);
        assert_eq!(labels.len(), tokens.len());
        spans(&labels)
            .iter()
            .map(|t| {
                let s = tokens[t.start].span.start;
                (text[s..tokens[t.end - 1].span.end].to_string(), t.kind)
            })
            .collect()
    }

    #[test]
    fn shipped_model_tags_clear_names() {
        use EntityKind::{Location as L, Person as P};
        let cases: &[(&str, &[(&str, EntityKind)])] = &[
            (
                "John Smith met Angela Merkel in Berlin.",
                &[("John Smith", P), ("Angela Merkel", P), ("Berlin", L)],
            ),
            ("the talks went on for days.", &[]),
        ];
        for (text, expected) in cases {
            let got = tag(text);
            let got: Vec<(&str, EntityKind)> = got.iter().map(|(s, k)| (s.as_str(), *k)).collect();
            assert_eq!(&got, expected, "{text}");
        }
    }

    #[test]
    fn tagging_never_panics_on_odd_input() {
        for text in [
            "",
            "   ",
            "\u{1F600} !",
            "A",
            "e\u{301}t\u{e9} \u{5d0}",
            &"Word ".repeat(3000),
        ] {
            let _ = tag(text);
        }
    }

    #[test]
    fn labels_become_spans_and_rule_features() {
        // O B-PER I-PER B-ORG I-LOC(stray) O
        let got = spans(&[0, 1, 2, 3, 6, 0]);
        let want = [
            Tagged {
                start: 1,
                end: 3,
                kind: EntityKind::Person,
            },
            Tagged {
                start: 3,
                end: 4,
                kind: EntityKind::Organization,
            },
            Tagged {
                start: 4,
                end: 5,
                kind: EntityKind::Location,
            },
        ];
        assert_eq!(got, want);
        let rules = rule_labels(
            5,
            [
                (1, 3, EntityKind::Location, true),
                (4, 9, EntityKind::Person, false),
            ]
            .into_iter(),
        );
        assert_eq!(rules, vec![0, 5 | 8, 6 | 8, 0, 1]);
        assert!(allowed(1, 2) && !allowed(O, 2) && !allowed(3, 2) && allowed(START, 5));
    }

    #[test]
    fn model_bytes_round_trip_and_garbage_is_rejected() {
        let m = NerModel::from_rows(
            true,
            true,
            16,
            vec![
                (3, [1, -2, 3, 0, 0, 0, 300]),
                (70_000, [0, 0, 0, 0, 0, 0, -1]),
            ],
        );
        let bytes = m.to_bytes();
        assert_eq!(NerModel::from_bytes(&bytes), Ok(m));
        for bad in [
            &b""[..],
            b"TKGNER1\n",
            b"nonsense",
            &bytes[..bytes.len() - 1],
        ] {
            assert!(NerModel::from_bytes(bad).is_err());
        }
        let shipped = model().expect("shipped model");
        assert!(shipped.feature_count() > 10_000 && shipped.stacked && shipped.use_gazetteer);
        // The lookup table loses nothing: it serializes back to the file's bytes.
        assert!(shipped.to_bytes() == include_bytes!("../../data/ner/model.bin"));
    }
}
