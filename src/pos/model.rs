//! The trained tagger's weights: a compact deterministic binary format and the greedy
//! left-to-right decoder that uses them.
//!
//! File layout (all integers LEB128 varints unless noted):
//! magic `TKGPOS1\n`; class count, then each class name (length + UTF-8 bytes);
//! the weight scale; the tag dictionary (count, then per entry: word length + bytes + class
//! byte, sorted by word bytes); the features (count, then per feature sorted by key:
//! key delta from the previous key, entry count, then per entry class byte + zigzag weight).

use super::features::{extract, sentence_infos, N_FEATURES, START, START2};
use super::Pos;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io;

const MAGIC: &[u8; 8] = b"TKGPOS1\n";

/// A small fixed multiply-rotate hasher (FxHash style) for in-memory maps; deterministic
/// and much faster than SipHash for short keys.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
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

/// A `HashMap` using [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Trained weights ready for tagging.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Class index -> tag.
    classes: Vec<Pos>,
    /// Weights are stored as integers; real weight = stored / scale.
    scale: u32,
    /// Frequent unambiguous words (case-sensitive) -> class index, sorted by word.
    dict: Vec<(Box<str>, u8)>,
    /// Same as `dict`, for lookup.
    dict_index: FxMap<Box<str>, u8>,
    /// Open-addressing table: `(key << 32) | (row + 1)`, 0 = empty. Length is a power of 2.
    table: Vec<u64>,
    /// Sorted feature keys (parallel to `row_start`), kept for serialization.
    keys: Vec<u32>,
    /// Row `r` holds `entries[row_start[r]..row_start[r + 1]]`.
    row_start: Vec<u32>,
    /// Packed entries: low 8 bits class, high 24 bits signed weight.
    entries: Vec<u32>,
}

impl Model {
    /// Builds a model from sorted, deduplicated rows `(key, [(class, weight)])`.
    pub(crate) fn from_parts(
        classes: Vec<Pos>,
        scale: u32,
        mut dict: Vec<(Box<str>, u8)>,
        rows: Vec<(u32, Vec<(u8, i32)>)>,
    ) -> Model {
        dict.sort();
        dict.dedup_by(|a, b| a.0 == b.0);
        let dict_index = dict.iter().cloned().collect();
        let capacity = (rows.len() * 2).next_power_of_two().max(16);
        let mask = capacity - 1;
        let mut table = vec![0u64; capacity];
        let mut keys = Vec::with_capacity(rows.len());
        let mut row_start = Vec::with_capacity(rows.len() + 1);
        let mut entries = Vec::new();
        for (r, (key, row)) in rows.into_iter().enumerate() {
            keys.push(key);
            row_start.push(entries.len() as u32);
            for (class, weight) in row {
                let w = weight.clamp(-(1 << 23), (1 << 23) - 1);
                entries.push(((w as u32) << 8) | u32::from(class));
            }
            let mut slot = key as usize & mask;
            while table[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            table[slot] = (u64::from(key) << 32) | (r as u64 + 1);
        }
        row_start.push(entries.len() as u32);
        Model {
            classes,
            scale,
            dict,
            dict_index,
            table,
            keys,
            row_start,
            entries,
        }
    }

    /// Number of features with at least one non-zero weight.
    pub fn feature_count(&self) -> usize {
        self.keys.len()
    }

    /// Number of non-zero weights.
    pub fn weight_count(&self) -> usize {
        self.entries.len()
    }

    #[inline]
    fn row(&self, key: u32) -> &[u32] {
        let mask = self.table.len() - 1;
        let mut slot = key as usize & mask;
        loop {
            let v = self.table[slot];
            if v == 0 {
                return &[];
            }
            if (v >> 32) as u32 == key {
                let r = (v & 0xFFFF_FFFF) as usize - 1;
                return &self.entries[self.row_start[r] as usize..self.row_start[r + 1] as usize];
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Class index of the highest score for the given features (ties: lowest index).
    #[inline]
    fn best(&self, feats: &[u32; N_FEATURES]) -> u8 {
        let mut scores = [0i32; 256];
        for &f in feats {
            for &e in self.row(f) {
                scores[(e & 0xFF) as usize] += (e as i32) >> 8;
            }
        }
        let n = self.classes.len();
        let mut best = 0;
        for c in 1..n {
            if scores[c] > scores[best] {
                best = c;
            }
        }
        best as u8
    }

    /// Tags a sentence given as its words; returns one tag per word. Never panics.
    pub fn tag<'a, I>(&self, words: I) -> Vec<Pos>
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: Clone,
    {
        let words = words.into_iter();
        let mut infos = Vec::new();
        sentence_infos(words.clone(), &mut infos);
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

    /// Serializes the model (same model, same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.entries.len() * 3 + self.keys.len() * 4);
        out.extend_from_slice(MAGIC);
        put_varint(&mut out, self.classes.len() as u64);
        for c in &self.classes {
            put_str(&mut out, c.as_str());
        }
        put_varint(&mut out, u64::from(self.scale));
        put_varint(&mut out, self.dict.len() as u64);
        for (word, class) in &self.dict {
            put_str(&mut out, word);
            out.push(*class);
        }
        put_varint(&mut out, self.keys.len() as u64);
        let mut prev = 0u32;
        for (r, &key) in self.keys.iter().enumerate() {
            put_varint(&mut out, u64::from(key - prev));
            prev = key;
            let row = &self.entries[self.row_start[r] as usize..self.row_start[r + 1] as usize];
            put_varint(&mut out, row.len() as u64);
            for &e in row {
                out.push((e & 0xFF) as u8);
                put_varint(&mut out, zigzag((e as i32) >> 8));
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
        let n_classes = r.count(255)?;
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
            let class = r.take(1)?[0];
            if usize::from(class) >= n_classes {
                return Err(invalid("class out of range"));
            }
            dict.push((word, class));
        }
        let n_feats = r.count(bytes.len())?;
        let mut rows = Vec::with_capacity(n_feats);
        let mut key = 0u32;
        for i in 0..n_feats {
            let delta = u32::try_from(r.varint()?).map_err(|_| invalid("bad key"))?;
            key = key.checked_add(delta).ok_or_else(|| invalid("bad key"))?;
            if i > 0 && delta == 0 {
                return Err(invalid("duplicate key"));
            }
            let n = r.count(n_classes)?;
            let mut row = Vec::with_capacity(n);
            for _ in 0..n {
                let class = r.take(1)?[0];
                if usize::from(class) >= n_classes {
                    return Err(invalid("class out of range"));
                }
                let w = unzigzag(r.varint()?);
                row.push((class, i32::try_from(w).map_err(|_| invalid("bad weight"))?));
            }
            rows.push((key, row));
        }
        if r.pos != bytes.len() {
            return Err(invalid("trailing bytes"));
        }
        Ok(Model::from_parts(classes, scale, dict, rows))
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

    fn varint(&mut self) -> io::Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
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

    #[test]
    fn round_trip_and_corrupt_input() {
        let m = Model::from_parts(
            vec![Pos::NN, Pos::VB],
            10,
            vec![("the".into(), 0)],
            vec![(3, vec![(0, 5), (1, -7)]), (9, vec![(1, 1 << 20)])],
        );
        let bytes = m.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.row(3).len(), 2);
        assert!(back.row(4).is_empty());
        for cut in 0..bytes.len() {
            assert!(Model::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(Model::from_bytes(b"garbage").is_err());
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
