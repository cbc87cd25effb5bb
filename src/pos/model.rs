//! The trained tagger's weights: a compact deterministic binary format and the greedy
//! left-to-right decoder that uses them.
//!
//! File layout (all integers LEB128 varints unless noted):
//! magic `TKGPOS1\n`; class count, then each class name (length + UTF-8 bytes);
//! the weight scale; the tag dictionary (count, then per entry: word length + bytes + class
//! byte, sorted by word bytes); the features (count, then per feature sorted by key:
//! key delta from the previous key, entry count, then per entry class byte + zigzag weight).

use super::features::{
    extract, groups, sentence_infos, TokenInfo, N_AS_NEXT, N_AS_NEXT2, N_AS_PREV, N_AS_PREV2,
    N_FEATURES, N_WORD, START, START2,
};
use super::Pos;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io;

const MAGIC: &[u8; 8] = b"TKGPOS2\n";
/// Upper bound on the number of classes a model may have.
const MAX_CLASSES: usize = 64;

/// A small fixed multiply-rotate hasher (FxHash style) for in-memory maps; deterministic
/// and much faster than SipHash for short keys.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Little-endian 8-byte words, the last one zero-padded.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The remaining 1 to 7 bytes as one zero-padded word: a 4-, a 2- and a 1-byte
            // read instead of a loop.
            let (mut word, mut at) = (0u64, 0);
            if let Some(b) = rest.first_chunk::<4>() {
                word = u64::from(u32::from_le_bytes(*b));
                at = 4;
            }
            if let Some(b) = rest[at..].first_chunk::<2>() {
                word |= u64::from(u16::from_le_bytes(*b)) << (8 * at);
                at += 2;
            }
            if let Some(&b) = rest.get(at) {
                word |= u64::from(b) << (8 * at);
            }
            self.write_u64(word);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

/// The first slot to probe for `key` in an open-addressing table of `cap` slots: the key
/// (a feature hash, uniform over 32 bits) scaled to `[0, cap)` by a multiply and a shift,
/// so that a table can be sized to its rows rather than to a power of two.
#[inline]
pub(crate) fn home_slot(key: u32, cap: usize) -> usize {
    ((u64::from(key) * cap as u64) >> 32) as usize
}

/// The slot after `slot` in a table of `cap` slots (linear probing, wrapping).
#[inline]
pub(crate) fn next_slot(slot: usize, cap: usize) -> usize {
    if slot + 1 == cap {
        0
    } else {
        slot + 1
    }
}

/// A `HashMap` using [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Rows with at least this many weights are stored densely and added with SIMD-friendly
/// straight-line code; the rest stay sparse.
const DENSE_MIN: usize = 8;
/// Classes per dense row (a multiple of 8 so rows vectorize cleanly).
const STRIDE: usize = MAX_CLASSES;
/// Slot length field marking a dense row.
const DENSE: u64 = 0xFF;

/// Scores per class vector for a model of `n_classes` classes: the class count rounded up
/// to a multiple of 8 (whole SIMD lanes), at most [`STRIDE`]. Dense rows and the partial
/// score tables are this long.
fn vector_width(n_classes: usize) -> usize {
    (n_classes.min(STRIDE).div_ceil(8).max(1) * 8).min(STRIDE)
}

/// Feature rows in key order, flattened: row `i` is `weights[ends[i - 1]..ends[i]]`.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    /// Feature keys, ascending.
    pub(crate) keys: Vec<u32>,
    /// End of each row in `weights`.
    pub(crate) ends: Vec<usize>,
    /// `(class, weight)` pairs of all rows.
    pub(crate) weights: Vec<(u8, i32)>,
}

impl Rows {
    /// Appends a row; keys must be pushed in ascending order.
    pub(crate) fn push(&mut self, key: u32, row: impl IntoIterator<Item = (u8, i32)>) {
        self.weights.extend(row);
        self.keys.push(key);
        self.ends.push(self.weights.len());
    }
}

/// The weight rows of a model being built, in their lookup layout (see [`Model`]).
struct WeightTable {
    /// Rows keep classes below this.
    n_classes: usize,
    /// Weights per dense row ([`vector_width`]).
    width: usize,
    table: Vec<u64>,
    n_rows: usize,
    entries: Vec<u32>,
    dense: Vec<i16>,
    n_weights: usize,
    /// The largest weight magnitude added.
    max_weight: i32,
    /// The row being added: `(class, weight)` pairs, pushed by the caller.
    row: Vec<(u8, i32)>,
}

impl WeightTable {
    /// An empty table for about `n_rows` rows and `n_weights` weights of a model with
    /// `n_classes` classes.
    fn new(n_classes: usize, n_rows: usize, n_weights: usize) -> WeightTable {
        // A load factor of 3/4: probes stay within one or two cache lines, and the table
        // (the largest part of the model) is sized to its rows.
        let capacity = (n_rows + n_rows / 3 + 1).max(16);
        WeightTable {
            n_classes: MAX_CLASSES.min(n_classes),
            width: vector_width(n_classes),
            table: vec![0u64; capacity],
            n_rows: 0,
            entries: Vec::with_capacity(n_weights),
            dense: Vec::new(),
            n_weights: 0,
            max_weight: 0,
            row: Vec::with_capacity(MAX_CLASSES),
        }
    }

    /// Adds the pairs in `self.row` as the row of `key` (keys come in ascending order):
    /// classes the model does not have are dropped, weights clamped to 24 bits.
    fn finish_row(&mut self, key: u32) {
        let n_classes = self.n_classes;
        self.row.retain(|&(c, _)| usize::from(c) < n_classes);
        let row = &self.row;
        let len = row.len();
        let clamp = |w: i32| w.clamp(-(1 << 23), (1 << 23) - 1);
        // Slots address rows with 24 bits; a model too large for that is cut short.
        let width = self.width;
        // Rows are never more than 3/4 of the slots, so a probe always ends.
        let cap = self.table.len();
        let full = (self.n_rows + 1) * 4 > cap * 3;
        if len == 0
            || full
            || self.entries.len() + len >= 1 << 24
            || self.dense.len() / width >= 1 << 24
        {
            self.row.clear();
            return;
        }
        let short = |&(_, w): &(u8, i32)| i16::try_from(w).is_ok();
        // Dense rows hold 16-bit weights (a trained model's are within +-700); a row with
        // a larger one stays sparse, so every weight is kept exactly.
        let value = if len >= DENSE_MIN && row.iter().all(short) {
            let index = (self.dense.len() / width) as u64;
            let base = self.dense.len();
            self.dense.resize(base + width, 0);
            for &(class, w) in row {
                self.dense[base + usize::from(class)] = w as i16;
            }
            (DENSE << 24) | index
        } else {
            let start = self.entries.len() as u64;
            self.entries.extend(
                row.iter()
                    .map(|&(c, w)| ((clamp(w) as u32) << 8) | u32::from(c)),
            );
            ((len as u64) << 24) | start
        };
        self.n_weights += len;
        self.n_rows += 1;
        let largest = row.iter().map(|&(_, w)| clamp(w).abs()).max().unwrap_or(0);
        self.max_weight = self.max_weight.max(largest);
        let mut slot = home_slot(key, cap);
        while self.table[slot] != 0 {
            slot = next_slot(slot, cap);
        }
        self.table[slot] = (u64::from(key) << 32) | value;
        self.row.clear();
    }
}

/// One feature's weights, as stored.
enum Row<'a> {
    /// Packed entries: low 8 bits class, high 24 bits signed weight.
    Sparse(&'a [u32]),
    /// One weight per class ([`vector_width`] of them).
    Dense(&'a [i16]),
}

/// Trained weights ready for tagging.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Class index -> tag.
    classes: Vec<Pos>,
    /// Weights are stored as integers; real weight = stored / scale.
    scale: u32,
    /// Frequent unambiguous words (case-sensitive) -> class index.
    dict_index: FxMap<Box<str>, u8>,
    /// Ambiguity classes: normalized word hash -> bit set of tags.
    lexicon_index: FxMap<u64, u64>,
    /// Open-addressing table: `(key << 32) | (len << 24) | start` locating a sparse row in
    /// `entries`, or `(key << 32) | (DENSE << 24) | index` a dense row in `dense`;
    /// 0 = empty (rows are never empty). At most 3/4 full, so every probe ends.
    table: Vec<u64>,
    /// Number of rows (occupied slots of `table`).
    n_rows: usize,
    /// Sparse rows' packed entries: low 8 bits class, high 24 bits signed weight.
    entries: Vec<u32>,
    /// Dense rows, `tables.width` weights each.
    dense: Vec<i16>,
    /// Whether every word-level partial score (a [`TagCache`] vector) fits in 16 bits:
    /// the largest weight times the most features a vector sums is below 2^15.
    memo_fits: bool,
    /// Number of non-zero weights.
    n_weights: usize,
    /// Partial scores of the features that depend on tags and capitalization only.
    tables: Tables,
}

/// Partial score vectors ([`Tables::width`] classes each) of the feature groups with few
/// possible values, computed once per model for [`Model::tag_cached`].
#[derive(Debug, Clone, PartialEq)]
struct Tables {
    /// Classes per vector: the class count rounded up to a multiple of 8.
    width: usize,
    /// Templates 14-16 for every `(p1, p2)`, indexed `tag_slot(p1) * slots + tag_slot(p2)`.
    tags: Vec<i32>,
    /// Template 11 for every `case | first << 2`.
    case_first: Vec<i32>,
    /// Template 28 for every `case * 4 + next_case`.
    case_next: Vec<i32>,
    /// Template 29 for every `prev_case * 4 + case`.
    case_prev: Vec<i32>,
    /// The padding token's contribution before (as previous, as second previous) and after
    /// (as next, as second next) the sentence.
    pads: [Vec<i32>; 4],
}

/// Score vectors memoized per word type: the word's own templates and what it contributes
/// to each of its four neighbours.
const VECTORS: usize = 5;
/// Word types a [`TagCache`] holds by default (about 0.8 KB each with 38 tags).
const CACHE_WORDS: usize = 1 << 12;
/// `CachedWord::class` of a word that is not in the tag dictionary.
const NOT_IN_DICT: u8 = u8::MAX;

/// Memo of per-word-type work for [`Model::tag_cached`]: each word's hashes and the partial
/// scores of its word-level features. The scores are exact integer partial sums, so tags
/// are identical with or without the cache; it only saves weight lookups (most of the cost
/// of tagging, as cache misses in the weight table). Use one cache with one model only.
///
/// A full cache replaces words by the CLOCK policy (a word seen again since the hand last
/// passed gets a second chance), so frequent words stay and the memory is bounded.
#[derive(Debug)]
pub struct TagCache {
    /// Word types held before replacing (more only while one sentence needs them).
    capacity: usize,
    /// Word as written -> index in `words`.
    index: FxMap<Box<str>, u32>,
    /// Per word type: its hashes and its dictionary class.
    words: Vec<CachedWord>,
    /// Per word type: the word, to remove it from `index` when it is replaced.
    keys: Vec<Box<str>>,
    /// Per word type: seen again since the hand last passed.
    referenced: Vec<bool>,
    /// Per word type: the last sentence that used it; words of the sentence being tagged
    /// are never replaced (`sentence` holds their indices).
    last_used: Vec<u32>,
    /// Next word type the CLOCK hand looks at.
    hand: usize,
    /// Number of the sentence being tagged.
    sentence_no: u32,
    /// `VECTORS * width` scores per word type, in the order word, as-previous,
    /// as-second-previous, as-next, as-second-next; 16 bits, exact for a model whose
    /// `memo_fits` (half the memory and bandwidth of 32-bit scores).
    vectors: Vec<i16>,
    /// Word indices of the sentence being tagged.
    sentence: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct CachedWord {
    info: TokenInfo,
    class: u8,
}

impl Default for TagCache {
    fn default() -> TagCache {
        TagCache::with_capacity(CACHE_WORDS)
    }
}

impl TagCache {
    /// An empty cache of the default size (4,096 word types, about 3.5 MB with 38 tags).
    pub fn new() -> TagCache {
        TagCache::default()
    }

    /// An empty cache that holds about `capacity` word types (at least 16): smaller saves
    /// memory, at the price of more weight lookups.
    pub fn with_capacity(capacity: usize) -> TagCache {
        TagCache {
            capacity: capacity.max(16),
            index: FxMap::default(),
            words: Vec::new(),
            keys: Vec::new(),
            referenced: Vec::new(),
            last_used: Vec::new(),
            hand: 0,
            sentence_no: 0,
            vectors: Vec::new(),
            sentence: Vec::new(),
        }
    }

    /// The slot for a new word type: a fresh one below capacity, else the first the CLOCK
    /// hand finds unreferenced and not in the current sentence (`None`: grow instead).
    fn victim(&mut self) -> Option<usize> {
        let n = self.words.len();
        if n < self.capacity {
            return None;
        }
        // Two turns clear every reference bit; past that, every word is in this sentence.
        for _ in 0..2 * n {
            let i = self.hand;
            self.hand = (self.hand + 1) % n;
            if self.last_used[i] == self.sentence_no {
                continue;
            }
            if std::mem::take(&mut self.referenced[i]) {
                continue;
            }
            return Some(i);
        }
        None
    }
}

impl Model {
    /// Builds a model from sorted, deduplicated feature rows with classes below
    /// `classes.len()` (others are ignored).
    pub(crate) fn from_parts(
        classes: Vec<Pos>,
        scale: u32,
        dict: Vec<(Box<str>, u8)>,
        lexicon: Vec<(u64, u64)>,
        rows: &Rows,
    ) -> Model {
        let mut weights = WeightTable::new(classes.len(), rows.keys.len(), rows.weights.len());
        let mut start = 0;
        for (&key, &end) in rows.keys.iter().zip(&rows.ends) {
            weights
                .row
                .extend_from_slice(rows.weights.get(start..end).unwrap_or(&[]));
            start = end;
            weights.finish_row(key);
        }
        Model::from_table(classes, scale, dict, lexicon, weights)
    }

    /// [`Model::from_parts`] with the weight rows already added to `weights`.
    fn from_table(
        classes: Vec<Pos>,
        scale: u32,
        mut dict: Vec<(Box<str>, u8)>,
        mut lexicon: Vec<(u64, u64)>,
        weights: WeightTable,
    ) -> Model {
        // The first entry of a repeated word or hash wins (in sorted order).
        dict.sort();
        dict.dedup_by(|a, b| a.0 == b.0);
        let dict_index = dict.into_iter().collect();
        lexicon.sort_unstable();
        lexicon.dedup_by_key(|e| e.0);
        let lexicon_index = lexicon.into_iter().collect();
        let WeightTable {
            table,
            n_rows,
            mut entries,
            mut dense,
            n_weights,
            max_weight,
            ..
        } = weights;
        let most_features = [N_WORD, N_AS_PREV, N_AS_PREV2, N_AS_NEXT, N_AS_NEXT2]
            .into_iter()
            .max()
            .unwrap_or(0);
        let memo_fits = i64::from(max_weight) * most_features as i64 <= i64::from(i16::MAX);
        // Loading over-reserves (the row count is known, the weight count only bounded);
        // the model lives as long as the process, so give the slack back.
        entries.shrink_to_fit();
        dense.shrink_to_fit();
        let classes_len = classes.len();
        let mut model = Model {
            classes,
            scale,
            dict_index,
            lexicon_index,
            table,
            n_rows,
            entries,
            dense,
            memo_fits,
            n_weights,
            tables: Tables {
                // `row` reads dense rows at this width, also while the tables are built.
                width: vector_width(classes_len),
                tags: Vec::new(),
                case_first: Vec::new(),
                case_next: Vec::new(),
                case_prev: Vec::new(),
                pads: Default::default(),
            },
        };
        model.tables = model.build_tables();
        model
    }

    /// Computes the partial score tables of the tag and capitalization templates.
    fn build_tables(&self) -> Tables {
        let n = self.classes.len().min(STRIDE);
        let width = vector_width(self.classes.len());
        let slots = n + 2;
        let mut tables = Tables {
            width,
            tags: vec![0; slots * slots * width],
            case_first: vec![0; 8 * width],
            case_next: vec![0; 16 * width],
            case_prev: vec![0; 16 * width],
            pads: Default::default(),
        };
        let tag_of = |slot: usize| match slot {
            s if s < n => s as u8,
            s if s == n => START,
            _ => START2,
        };
        for a in 0..slots {
            for b in 0..slots {
                let at = (a * slots + b) * width;
                let out = &mut tables.tags[at..at + width];
                self.add_rows_to(out, &groups::tags(tag_of(a), tag_of(b)));
            }
        }
        for k in 0..8u8 {
            let at = usize::from(k) * width;
            let f = groups::case_first(k & 3, k >= 4);
            self.add_rows_to(&mut tables.case_first[at..at + width], &[f]);
        }
        for a in 0..4u8 {
            for b in 0..4u8 {
                let at = usize::from(a * 4 + b) * width;
                let f = groups::case_next(a, b);
                self.add_rows_to(&mut tables.case_next[at..at + width], &[f]);
                let f = groups::case_prev(a, b);
                self.add_rows_to(&mut tables.case_prev[at..at + width], &[f]);
            }
        }
        let before = TokenInfo::pad_before();
        let after = TokenInfo::pad_after();
        let pads: [&[u32]; 4] = [
            &groups::as_prev(before),
            &groups::as_prev2(before),
            &groups::as_next(after),
            &groups::as_next2(after),
        ];
        for (out, feats) in tables.pads.iter_mut().zip(pads) {
            *out = vec![0; width];
            self.add_rows_to(out, feats);
        }
        tables
    }

    /// Adds the weights of `feats` to `out` (one score per class, `out.len()` classes).
    fn add_rows_to(&self, out: &mut [i32], feats: &[u32]) {
        for &f in feats {
            match self.row(f) {
                Row::Sparse(entries) => {
                    for &e in entries {
                        if let Some(s) = out.get_mut((e & 0xFF) as usize) {
                            *s += (e as i32) >> 8;
                        }
                    }
                }
                Row::Dense(weights) => {
                    for (s, &w) in out.iter_mut().zip(weights) {
                        *s += i32::from(w);
                    }
                }
            }
        }
    }

    /// Slot of a previous-tag value in [`Tables::tags`] (`None` for a class id the model
    /// does not have, which only a hand-made dictionary could produce).
    #[inline]
    fn tag_slot(&self, p: u8) -> Option<usize> {
        let n = self.classes.len().min(STRIDE);
        match p {
            START => Some(n),
            START2 => Some(n + 1),
            p if usize::from(p) < n => Some(usize::from(p)),
            _ => None,
        }
    }

    /// Number of features with at least one non-zero weight.
    pub fn feature_count(&self) -> usize {
        self.n_rows
    }

    /// The feature keys with a row, ascending (for serialization: the lookup table keeps
    /// them in hash order).
    fn sorted_keys(&self) -> Vec<u32> {
        let mut keys: Vec<u32> = self
            .table
            .iter()
            .filter(|&&v| v != 0)
            .map(|&v| (v >> 32) as u32)
            .collect();
        keys.sort_unstable();
        keys
    }

    /// Number of non-zero weights.
    pub fn weight_count(&self) -> usize {
        self.n_weights
    }

    #[inline]
    fn row(&self, key: u32) -> Row<'_> {
        let cap = self.table.len();
        let mut slot = home_slot(key, cap);
        loop {
            let v = self.table[slot];
            if v == 0 {
                return Row::Sparse(&[]);
            }
            if (v >> 32) as u32 == key {
                let start = (v & 0xFF_FFFF) as usize;
                let len = (v >> 24) & 0xFF;
                return if len == DENSE {
                    let width = self.tables.width;
                    Row::Dense(
                        self.dense
                            .get(start * width..(start + 1) * width)
                            .unwrap_or(&[]),
                    )
                } else {
                    Row::Sparse(self.entries.get(start..start + len as usize).unwrap_or(&[]))
                };
            }
            slot = next_slot(slot, cap);
        }
    }

    /// Class index of the highest score for the given features (ties: lowest index).
    #[inline]
    fn best(&self, feats: &[u32; N_FEATURES]) -> u8 {
        let mut scores = [0i32; STRIDE];
        for &f in feats {
            match self.row(f) {
                Row::Sparse(entries) => {
                    for &e in entries {
                        scores[(e & 0x3F) as usize] += (e as i32) >> 8;
                    }
                }
                Row::Dense(weights) => {
                    for (s, &w) in scores.iter_mut().zip(weights) {
                        *s += i32::from(w);
                    }
                }
            }
        }
        let n = self.classes.len().min(STRIDE);
        let mut best = 0;
        for c in 1..n {
            if scores[c] > scores[best] {
                best = c;
            }
        }
        best as u8
    }

    /// The non-zero weights of feature `key`, in class order.
    fn weights_of(&self, key: u32) -> Vec<(u8, i32)> {
        match self.row(key) {
            Row::Sparse(entries) => entries
                .iter()
                .map(|&e| ((e & 0xFF) as u8, (e as i32) >> 8))
                .collect(),
            Row::Dense(weights) => weights
                .iter()
                .enumerate()
                .filter(|&(_, &w)| w != 0)
                .map(|(c, &w)| (c as u8, i32::from(w)))
                .collect(),
        }
    }

    /// Tags a sentence given as its words; returns one tag per word. Never panics.
    pub fn tag<'a, I>(&self, words: I) -> Vec<Pos>
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: Clone,
    {
        let words = words.into_iter();
        let mut infos = Vec::new();
        sentence_infos(words.clone(), &self.lexicon_index, &mut infos);
        let mut out = Vec::with_capacity(infos.len());
        let mut feats = [0u32; N_FEATURES];
        let (mut p1, mut p2) = (START, START2);
        for (i, word) in words.enumerate() {
            let class = match self.dict_index.get(word) {
                Some(&c) => c,
                None => {
                    extract(&infos, i, p1, p2, &mut feats);
                    self.best(&feats)
                }
            };
            out.push(
                self.classes
                    .get(usize::from(class))
                    .copied()
                    .unwrap_or(Pos::Other),
            );
            p2 = p1;
            p1 = class;
        }
        out
    }

    /// Index of `word` in `cache`, adding it (hashes, dictionary class, word-level score
    /// vectors) on first sight.
    fn cached_word(&self, word: &str, cache: &mut TagCache) -> u32 {
        if let Some(&i) = cache.index.get(word) {
            cache.referenced[i as usize] = true;
            cache.last_used[i as usize] = cache.sentence_no;
            return i;
        }
        let width = self.tables.width;
        let info = TokenInfo::new(word);
        let info = info.with_amb(self.lexicon_index.get(&info.word).copied().unwrap_or(0));
        let class = self.dict_index.get(word).copied().unwrap_or(NOT_IN_DICT);
        let entry = CachedWord { info, class };
        let key: Box<str> = word.into();
        let i = match cache.victim() {
            Some(i) => {
                cache.index.remove(&cache.keys[i]);
                cache.words[i] = entry;
                cache.keys[i] = key.clone();
                cache.last_used[i] = cache.sentence_no;
                i
            }
            None => {
                cache.words.push(entry);
                cache.keys.push(key.clone());
                cache.referenced.push(false);
                cache.last_used.push(cache.sentence_no);
                cache.vectors.resize(cache.words.len() * VECTORS * width, 0);
                cache.words.len() - 1
            }
        };
        let base = i * VECTORS * width;
        let out = &mut cache.vectors[base..base + VECTORS * width];
        let word_feats: [u32; N_WORD] = groups::word(&info);
        let as_prev: [u32; N_AS_PREV] = groups::as_prev(&info);
        let as_prev2: [u32; N_AS_PREV2] = groups::as_prev2(&info);
        let as_next: [u32; N_AS_NEXT] = groups::as_next(&info);
        let as_next2: [u32; N_AS_NEXT2] = groups::as_next2(&info);
        let groups: [&[u32]; VECTORS] = [&word_feats, &as_prev, &as_prev2, &as_next, &as_next2];
        for (k, feats) in groups.iter().enumerate() {
            let mut sums = [0i32; STRIDE];
            self.add_rows_to(&mut sums[..width], feats);
            for (o, &s) in out[k * width..(k + 1) * width].iter_mut().zip(&sums) {
                // Exact: `tag_cached` only memoizes for a model whose sums fit.
                *o = s as i16;
            }
        }
        cache.index.insert(key, i as u32);
        i as u32
    }

    /// Same tags as [`Model::tag`], memoizing per-word-type work in `cache` (which must only
    /// ever be used with this model). Never panics.
    pub fn tag_cached<'a, I>(&self, words: I, cache: &mut TagCache) -> Vec<Pos>
    where
        I: IntoIterator<Item = &'a str>,
    {
        if !self.memo_fits {
            // Weights too large for 16-bit partial scores: tag without the memo.
            let words: Vec<&str> = words.into_iter().collect();
            return self.tag(words.iter().copied());
        }
        cache.sentence_no = cache.sentence_no.wrapping_add(1);
        let mut sentence = std::mem::take(&mut cache.sentence);
        sentence.clear();
        for word in words {
            sentence.push(self.cached_word(word, cache));
        }
        let t = &self.tables;
        let width = t.width;
        let n_classes = self.classes.len().min(STRIDE).min(width);
        let slots = self.classes.len().min(STRIDE) + 2;
        let vector = |word: u32, k: usize| {
            let at = (word as usize * VECTORS + k) * width;
            &cache.vectors[at..at + width]
        };
        let mut out = Vec::with_capacity(sentence.len());
        let (mut p1, mut p2) = (START, START2);
        for (i, &wi) in sentence.iter().enumerate() {
            let w = &cache.words[wi as usize];
            let class = if w.class != NOT_IN_DICT {
                w.class
            } else {
                let mut scores = [0i32; STRIDE];
                let s = &mut scores[..width];
                add16(s, vector(wi, 0));
                let prev = match i.checked_sub(1).map(|j| sentence[j]) {
                    Some(j) => {
                        add16(s, vector(j, 1));
                        &cache.words[j as usize].info
                    }
                    None => {
                        add(s, &t.pads[0]);
                        TokenInfo::pad_before()
                    }
                };
                match i.checked_sub(2).map(|j| sentence[j]) {
                    Some(j) => add16(s, vector(j, 2)),
                    None => add(s, &t.pads[1]),
                }
                let next = match sentence.get(i + 1) {
                    Some(&j) => {
                        add16(s, vector(j, 3));
                        &cache.words[j as usize].info
                    }
                    None => {
                        add(s, &t.pads[2]);
                        TokenInfo::pad_after()
                    }
                };
                match sentence.get(i + 2) {
                    Some(&j) => add16(s, vector(j, 4)),
                    None => add(s, &t.pads[3]),
                }
                match (self.tag_slot(p1), self.tag_slot(p2)) {
                    (Some(a), Some(b)) => {
                        let at = (a * slots + b) * width;
                        add(s, &t.tags[at..at + width]);
                    }
                    _ => self.add_rows_to(s, &groups::tags(p1, p2)),
                }
                let case = w.info.case();
                let at = usize::from(case | u8::from(i == 0) << 2) * width;
                add(s, &t.case_first[at..at + width]);
                let at = usize::from(case * 4 + next.case()) * width;
                add(s, &t.case_next[at..at + width]);
                let at = usize::from(prev.case() * 4 + case) * width;
                add(s, &t.case_prev[at..at + width]);
                self.add_rows_to(s, &groups::pairs(prev, &w.info, next, p1));
                let mut best = 0;
                for c in 1..n_classes {
                    if s[c] > s[best] {
                        best = c;
                    }
                }
                best as u8
            };
            out.push(
                self.classes
                    .get(usize::from(class))
                    .copied()
                    .unwrap_or(Pos::Other),
            );
            p2 = p1;
            p1 = class;
        }
        cache.sentence = sentence;
        out
    }

    /// Serializes the model (same model, same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let keys = self.sorted_keys();
        let mut out = Vec::with_capacity(self.n_weights * 3 + keys.len() * 4);
        out.extend_from_slice(MAGIC);
        put_varint(&mut out, self.classes.len() as u64);
        for c in &self.classes {
            put_str(&mut out, c.as_str());
        }
        put_varint(&mut out, u64::from(self.scale));
        // The lookup maps are unordered; the file lists words and hashes ascending.
        let mut dict: Vec<(&str, u8)> = self.dict_index.iter().map(|(w, &c)| (&**w, c)).collect();
        dict.sort_unstable();
        put_varint(&mut out, dict.len() as u64);
        for (word, class) in dict {
            put_str(&mut out, word);
            out.push(class);
        }
        let mut lexicon: Vec<(u64, u64)> =
            self.lexicon_index.iter().map(|(&h, &t)| (h, t)).collect();
        lexicon.sort_unstable();
        put_varint(&mut out, lexicon.len() as u64);
        let mut prev = 0u64;
        for (word, tags) in lexicon {
            put_varint(&mut out, word - prev);
            prev = word;
            put_varint(&mut out, tags);
        }
        put_varint(&mut out, keys.len() as u64);
        let mut prev = 0u32;
        for &key in &keys {
            put_varint(&mut out, u64::from(key - prev));
            prev = key;
            let row = self.weights_of(key);
            put_varint(&mut out, row.len() as u64);
            for (class, w) in row {
                out.push(class);
                put_varint(&mut out, zigzag(w));
            }
        }
        out
    }

    /// Parses bytes written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> io::Result<Model> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(invalid("not a tagger model (bad magic)"));
        }
        let n_classes = r.count(MAX_CLASSES)?;
        let mut classes = Vec::with_capacity(n_classes);
        for _ in 0..n_classes {
            let name = r.string()?;
            classes.push(
                name.parse::<Pos>()
                    .map_err(|_| invalid("unknown tag in model"))?,
            );
        }
        let scale = u32::try_from(r.varint()?).map_err(|_| invalid("bad scale"))?;
        let n_dict = r.count(bytes.len())?;
        let mut dict = Vec::with_capacity(n_dict);
        for _ in 0..n_dict {
            let word: Box<str> = r.string()?.into();
            let class = r.byte()?;
            if usize::from(class) >= n_classes {
                return Err(invalid("class out of range"));
            }
            dict.push((word, class));
        }
        let n_lexicon = r.count(bytes.len())?;
        let mut lexicon = Vec::with_capacity(n_lexicon);
        let mut word = 0u64;
        for i in 0..n_lexicon {
            let delta = r.varint()?;
            word = word
                .checked_add(delta)
                .ok_or_else(|| invalid("bad lexicon key"))?;
            if i > 0 && delta == 0 {
                return Err(invalid("duplicate lexicon key"));
            }
            lexicon.push((word, r.varint()?));
        }
        let n_feats = r.count(bytes.len())?;
        // Each weight takes at least two bytes (class, varint).
        let mut weights =
            WeightTable::new(n_classes, n_feats, bytes.len().saturating_sub(r.pos) / 2);
        let mut key = 0u32;
        for i in 0..n_feats {
            let delta = u32::try_from(r.varint()?).map_err(|_| invalid("bad key"))?;
            key = key.checked_add(delta).ok_or_else(|| invalid("bad key"))?;
            if i > 0 && delta == 0 {
                return Err(invalid("duplicate key"));
            }
            let n = r.count(n_classes)?;
            for _ in 0..n {
                let class = r.byte()?;
                if usize::from(class) >= n_classes {
                    return Err(invalid("class out of range"));
                }
                let w = unzigzag(r.varint()?);
                weights
                    .row
                    .push((class, i32::try_from(w).map_err(|_| invalid("bad weight"))?));
            }
            weights.finish_row(key);
        }
        if r.pos != bytes.len() {
            return Err(invalid("trailing bytes"));
        }
        Ok(Model::from_table(classes, scale, dict, lexicon, weights))
    }
}

/// Adds `v` to `scores` element-wise (both `width` long).
#[inline(always)]
fn add(scores: &mut [i32], v: &[i32]) {
    for (s, x) in scores.iter_mut().zip(v) {
        *s += x;
    }
}

/// Adds the 16-bit `v` to `scores` element-wise (both `width` long).
#[inline(always)]
fn add16(scores: &mut [i32], v: &[i16]) {
    for (s, &x) in scores.iter_mut().zip(v) {
        *s += i32::from(x);
    }
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn zigzag(v: i32) -> u64 {
    u64::from(((v << 1) ^ (v >> 31)) as u32)
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| invalid("truncated model"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// The next byte.
    #[inline(always)]
    fn byte(&mut self) -> io::Result<u8> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| invalid("truncated model"))?;
        self.pos += 1;
        Ok(b)
    }

    #[inline(always)]
    fn varint(&mut self) -> io::Result<u64> {
        // Most varints of a model are one byte.
        if let Some(&b) = self.bytes.get(self.pos).filter(|&&b| b < 0x80) {
            self.pos += 1;
            return Ok(u64::from(b));
        }
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(invalid("varint too long"))
    }

    /// A count that must not exceed `max` (guards allocations against corrupt input).
    fn count(&mut self, max: usize) -> io::Result<usize> {
        let v = self.varint()?;
        usize::try_from(v)
            .ok()
            .filter(|&n| n <= max)
            .ok_or_else(|| invalid("bad count"))
    }

    fn string(&mut self) -> io::Result<&'a str> {
        let n = self.count(self.bytes.len())?;
        std::str::from_utf8(self.take(n)?).map_err(|_| invalid("bad utf-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(list: Vec<(u32, Vec<(u8, i32)>)>) -> Rows {
        let mut rows = Rows::default();
        for (key, row) in list {
            rows.push(key, row);
        }
        rows
    }

    #[test]
    fn round_trip_and_corrupt_input() {
        let m = Model::from_parts(
            vec![Pos::NN, Pos::VB],
            10,
            vec![("the".into(), 0)],
            vec![(12, 3), (1 << 40, 1)],
            &rows(vec![(3, vec![(0, 5), (1, -7)]), (9, vec![(1, 1 << 20)])]),
        );
        let bytes = m.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.weights_of(3), [(0, 5), (1, -7)]);
        assert!(back.weights_of(4).is_empty());
        let dense_row: Vec<(u8, i32)> = (0..20)
            .map(|c| (c, i32::from(c) - 5))
            .filter(|r| r.1 != 0)
            .collect();
        let d = Model::from_parts(
            Pos::ALL.to_vec(),
            1,
            vec![],
            vec![],
            &rows(vec![(7, dense_row.clone())]),
        );
        assert_eq!(d.weights_of(7), dense_row);
        assert_eq!(Model::from_bytes(&d.to_bytes()).unwrap(), d);
        // A row too wide for 16 bits is kept exactly (sparse), and tagging skips the memo.
        let mut wide_row = dense_row.clone();
        wide_row[3].1 = 1 << 20;
        let w = Model::from_parts(
            Pos::ALL.to_vec(),
            1,
            vec![],
            vec![],
            &rows(vec![(7, wide_row.clone())]),
        );
        assert_eq!(w.weights_of(7), wide_row);
        assert!(!w.memo_fits && d.memo_fits);
        let s = ["a", "b", "c"];
        assert_eq!(w.tag_cached(s, &mut TagCache::new()), w.tag(s));
        for cut in 0..bytes.len() {
            assert!(Model::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(Model::from_bytes(b"garbage").is_err());
    }

    #[test]
    fn cached_tagging_equals_plain_tagging() {
        let model = crate::pos::model().expect("shipped model");
        let text = "Hamas rejected the proposal on Monday. THE TALKS were held in Cairo, \
            officials said; U.S. envoy Steve Witkoff didn't comment. 1,500 right-wing \
            protesters marched. \u{201C}We\u{2019}ll see,\u{201D} she said. e\u{301}t\u{e9} \
            \u{5d0}\u{5d1} \u{1F600} ... -- Boeing's $40 billion deal";
        let words: Vec<&str> = text.split_whitespace().collect();
        // The same cache across sentences, a fresh one, and a cache that starts over.
        let mut cache = TagCache::new();
        for round in 0..3 {
            for start in 0..words.len() {
                for len in [0, 1, 2, 3, 7, words.len()] {
                    let s = &words[start..(start + len).min(words.len())];
                    let plain = model.tag(s.iter().copied());
                    assert_eq!(model.tag_cached(s.iter().copied(), &mut cache), plain);
                    let fresh = model.tag_cached(s.iter().copied(), &mut TagCache::new());
                    assert_eq!(fresh, plain, "round {round}: {s:?}");
                }
            }
        }
        // One sentence longer than the cache: it grows rather than replace its own words.
        let many: Vec<String> = (0..CACHE_WORDS + 10).map(|k| format!("w{k}")).collect();
        let plain = model.tag(many.iter().map(String::as_str));
        assert_eq!(
            model.tag_cached(many.iter().map(String::as_str), &mut cache),
            plain
        );
        assert!(cache.words.len() > CACHE_WORDS);
        let grown = cache.words.len();
        let s = ["The", "talks", "ended", "."];
        assert_eq!(model.tag_cached(s, &mut cache), model.tag(s));
        assert_eq!(cache.words.len(), grown, "a full cache replaces words");
    }

    #[test]
    fn a_small_cache_replaces_rare_words_and_keeps_frequent_ones() {
        let model = crate::pos::model().expect("shipped model");
        let mut cache = TagCache::with_capacity(16);
        // "the" comes back in every sentence; each sentence also brings new words.
        for k in 0..200 {
            let a = format!("rare{k}");
            let b = format!("word{k}");
            let s = ["the", a.as_str(), "saw", b.as_str(), "."];
            assert_eq!(model.tag_cached(s, &mut cache), model.tag(s), "{s:?}");
        }
        assert_eq!(cache.words.len(), 16, "the cache stays at its capacity");
        assert_eq!(cache.index.len(), 16);
        // Frequent words keep the slots they got first: they were never replaced.
        for (slot, word) in ["the", "saw", "."].into_iter().enumerate() {
            let at = [0, 2, 4][slot];
            assert_eq!(cache.index.get(word), Some(&at), "{word} was replaced");
        }
        assert!(!cache.index.contains_key("rare0"));
    }

    #[test]
    fn cached_tagging_handles_odd_dictionaries() {
        // A dictionary class beyond the classes: the tag tables have no slot for it.
        let m = Model::from_parts(
            vec![Pos::NN, Pos::VB],
            1,
            vec![("x".into(), 5)],
            vec![],
            &rows(vec![(3, vec![(0, 5), (1, -7)])]),
        );
        let words = ["x", "y", "x", "z"];
        assert_eq!(m.tag_cached(words, &mut TagCache::new()), m.tag(words));
    }

    #[test]
    fn fx_hasher_reads_little_endian_words_padding_the_last() {
        for len in 0..20u8 {
            let bytes: Vec<u8> = (1..=len).map(|b| b.wrapping_mul(37)).collect();
            let mut got = FxHasher::default();
            got.write(&bytes);
            let mut want = FxHasher::default();
            for chunk in bytes.chunks(8) {
                let mut buf = [0u8; 8];
                buf[..chunk.len()].copy_from_slice(chunk);
                want.write_u64(u64::from_le_bytes(buf));
            }
            assert_eq!(got.finish(), want.finish(), "{len} bytes");
        }
    }

    #[test]
    fn varints_and_zigzag() {
        for v in [0i32, 1, -1, 63, -64, 1 << 22, -(1 << 23)] {
            let mut out = Vec::new();
            put_varint(&mut out, zigzag(v));
            let mut r = Reader {
                bytes: &out,
                pos: 0,
            };
            assert_eq!(unzigzag(r.varint().unwrap()), i64::from(v));
        }
    }
}
