//! Feature extraction for the tagger. Every feature is a `u32` hash built with a fixed
//! multiply-rotate mixer, so extraction allocates nothing per feature and hashes are
//! identical across runs, platforms and thread counts.

use super::model::FxMap;

/// Tag id standing for "the position before the sentence start".
pub(crate) const START: u8 = 254;
/// Tag id standing for "two positions before the sentence start".
pub(crate) const START2: u8 = 253;
/// Number of features produced for every token.
pub(crate) const N_FEATURES: usize = 38;

const SEED: u64 = 0x9E37_79B9_7F4A_7C15;
const K: u64 = 0x517C_C1B7_2722_0A95;
/// Word hash used for the padding positions before the sentence.
const PAD_START: u64 = 0x5354_4152_5400_0001;
/// Word hash used for the padding positions after the sentence.
const PAD_END: u64 = 0x454E_4400_0000_0002;

/// One step of the feature hash (FxHash-style multiply-rotate); the name tagger hashes its
/// features the same way.
#[inline]
pub(crate) fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

/// Final avalanche (murmur3 fmix64) so the top 32 bits are well distributed.
#[inline]
pub(crate) fn finish(mut h: u64) -> u32 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    (h >> 32) as u32
}

/// Lowercases one char, maps every digit to `0` (so "1,500" and "2,000" share features)
/// and typographic quotes to ASCII ones.
#[inline(always)]
fn normalize(c: char) -> u64 {
    if c.is_ascii() {
        if c.is_ascii_digit() {
            u64::from(b'0')
        } else {
            u64::from(c.to_ascii_lowercase())
        }
    } else if c.is_numeric() {
        u64::from(b'0')
    } else if matches!(c, '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}') {
        // Typographic quotes share statistics with the ASCII ones ("n’t" = "n't").
        u64::from(b'\'')
    } else if matches!(
        c,
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}'
    ) {
        u64::from(b'"')
    } else {
        u64::from(c.to_lowercase().next().unwrap_or(c))
    }
}

/// The character class of `c` used in word shapes.
#[inline]
fn shape_class(c: char) -> u64 {
    if c.is_uppercase() {
        u64::from(b'X')
    } else if c.is_lowercase() {
        u64::from(b'x')
    } else if c.is_numeric() {
        u64::from(b'd')
    } else if c.is_alphabetic() {
        u64::from(b'a')
    } else if c.is_ascii() {
        u64::from(c)
    } else {
        u64::from(b'o')
    }
}

/// Precomputed hashes of one token, shared by the features of its neighbours.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenInfo {
    /// Normalized (lowercased, digits as 0) word.
    pub(crate) word: u64,
    /// Ambiguity class: bit set of the tags the word had in training (0 if unknown).
    amb: u64,
    /// The word exactly as written.
    raw: u64,
    /// Normalized prefixes of 1..=3 chars.
    prefix: [u64; 3],
    /// Normalized suffixes of 1..=4 chars.
    suffix: [u64; 4],
    /// Collapsed shape ("Xx", "X.X.", "d,d", "x-x").
    shape: u64,
    /// Bit 0: capitalized; bit 1: all caps; bit 2: has hyphen; bit 3: has digit.
    flags: u8,
}

impl TokenInfo {
    const PAD_BEFORE: TokenInfo = TokenInfo::pad(PAD_START);
    const PAD_AFTER: TokenInfo = TokenInfo::pad(PAD_END);

    const fn pad(h: u64) -> TokenInfo {
        TokenInfo {
            word: h,
            raw: h,
            prefix: [h; 3],
            suffix: [h; 4],
            shape: h,
            flags: 0,
            amb: h,
        }
    }

    /// Computes the hashes of `word` in one pass over its chars (plus one backwards pass
    /// over at most four chars for the suffixes).
    pub(crate) fn new(word: &str) -> TokenInfo {
        let mut norm = SEED;
        let mut raw = SEED;
        let mut shape = SEED;
        let mut prefix = [SEED; 3];
        let mut last_class = u64::MAX;
        let mut shape_len = 0;
        let mut letters = 0usize;
        let mut uppers = 0usize;
        let mut flags = 0u8;
        for (n, c) in word.chars().enumerate() {
            let nc = normalize(c);
            norm = mix(norm, nc);
            raw = mix(raw, u64::from(c));
            if n < 3 {
                prefix[n] = norm;
            }
            let class = shape_class(c);
            if class != last_class && shape_len < 8 {
                shape = mix(shape, class);
                shape_len += 1;
                last_class = class;
            }
            if c.is_alphabetic() {
                letters += 1;
                if c.is_uppercase() {
                    uppers += 1;
                    if n == 0 {
                        flags |= 1;
                    }
                }
            }
            if c == '-' {
                flags |= 4;
            }
            if c.is_numeric() {
                flags |= 8;
            }
        }
        if letters > 1 && uppers == letters {
            flags |= 2;
        }
        // Shorter words reuse their whole-word prefix for the longer prefix slots.
        for k in 1..3 {
            if prefix[k] == SEED {
                prefix[k] = prefix[k - 1];
            }
        }
        let mut suffix = [SEED; 4];
        let mut h = SEED;
        let mut count = 0;
        for c in word.chars().rev().take(4) {
            h = mix(h, normalize(c));
            suffix[count] = h;
            count += 1;
        }
        for k in count.max(1)..4 {
            suffix[k] = suffix[k - 1];
        }
        TokenInfo {
            word: norm,
            raw,
            prefix,
            suffix,
            shape,
            flags,
            amb: 0,
        }
    }
}

/// Computes the infos of all words of a sentence into `out` (cleared first), with
/// ambiguity classes from `lexicon` (normalized word hash -> tag bit set).
pub(crate) fn sentence_infos<'a>(
    words: impl Iterator<Item = &'a str>,
    lexicon: &FxMap<u64, u64>,
    out: &mut Vec<TokenInfo>,
) {
    out.clear();
    out.extend(words.map(|w| {
        let mut info = TokenInfo::new(w);
        info.amb = lexicon.get(&info.word).copied().unwrap_or(0);
        info
    }));
}

#[inline]
fn f1(template: u64, a: u64) -> u32 {
    finish(mix(mix(SEED, template), a))
}

#[inline]
fn f2(template: u64, a: u64, b: u64) -> u32 {
    finish(mix(mix(mix(SEED, template), a), b))
}

/// Fills `out` with the features of position `i` given the two previous predicted tags.
#[inline]
pub(crate) fn extract(infos: &[TokenInfo], i: usize, p1: u8, p2: u8, out: &mut [u32; N_FEATURES]) {
    let at = |k: isize| -> &TokenInfo {
        if k < 0 {
            &TokenInfo::PAD_BEFORE
        } else {
            infos.get(k as usize).unwrap_or(&TokenInfo::PAD_AFTER)
        }
    };
    let ii = i as isize;
    let w = at(ii);
    let prev = at(ii - 1);
    let prev2 = at(ii - 2);
    let next = at(ii + 1);
    let next2 = at(ii + 2);
    let first = u64::from(i == 0);
    let (p1, p2) = (u64::from(p1), u64::from(p2));
    *out = [
        f1(0, 0),
        f1(1, w.word),
        f1(2, w.raw),
        f1(3, w.suffix[0]),
        f1(4, w.suffix[1]),
        f1(5, w.suffix[2]),
        f1(6, w.suffix[3]),
        f1(7, w.prefix[0]),
        f1(8, w.prefix[1]),
        f1(9, w.prefix[2]),
        f1(10, w.shape),
        f1(11, u64::from(w.flags & 3) | first << 2),
        f1(12, u64::from(w.flags & 4)),
        f1(13, u64::from(w.flags & 8)),
        f1(14, p1),
        f1(15, p2),
        f2(16, p1, p2),
        f2(17, p1, w.word),
        f1(18, prev.word),
        f1(19, prev.suffix[2]),
        f1(20, prev2.word),
        f1(21, next.word),
        f1(22, next.suffix[2]),
        f1(23, next2.word),
        f1(24, next.shape),
        f2(25, prev.word, w.word),
        f2(26, w.word, next.word),
        f2(28, u64::from(w.flags & 3), u64::from(next.flags & 3)),
        f2(29, u64::from(prev.flags & 3), u64::from(w.flags & 3)),
        f1(30, next.prefix[0]),
        f1(31, prev.shape),
        f2(32, p1, next.word),
        f1(33, next.suffix[1]),
        f1(34, w.amb),
        f1(35, next.amb),
        f2(36, p1, w.amb),
        f2(37, w.amb, next.amb),
        f1(38, next2.amb),
    ];
}
/// Features of the token itself, independent of its neighbours and of the predicted tags
/// (templates 0-10, 12, 13, 34 of [`extract`]): memoized per word type by the decoder.
pub(crate) const N_WORD: usize = 14;
/// Features the token contributes to the position after it (templates 18, 19, 31).
pub(crate) const N_AS_PREV: usize = 3;
/// Features the token contributes two positions after it (template 20).
pub(crate) const N_AS_PREV2: usize = 1;
/// Features the token contributes to the position before it (21, 22, 24, 30, 33, 35).
pub(crate) const N_AS_NEXT: usize = 6;
/// Features the token contributes two positions before it (23, 38).
pub(crate) const N_AS_NEXT2: usize = 2;

/// The features of [`extract`] grouped by what they depend on, so the decoder can add
/// memoized partial scores instead of looking every feature up: every feature of
/// `extract` is in exactly one group (a test checks the multisets are equal).
pub(crate) mod groups {
    use super::{f1, f2, TokenInfo, N_AS_NEXT, N_AS_NEXT2, N_AS_PREV, N_AS_PREV2, N_WORD};

    /// Templates of the word itself.
    #[inline]
    pub(crate) fn word(w: &TokenInfo) -> [u32; N_WORD] {
        [
            f1(0, 0),
            f1(1, w.word),
            f1(2, w.raw),
            f1(3, w.suffix[0]),
            f1(4, w.suffix[1]),
            f1(5, w.suffix[2]),
            f1(6, w.suffix[3]),
            f1(7, w.prefix[0]),
            f1(8, w.prefix[1]),
            f1(9, w.prefix[2]),
            f1(10, w.shape),
            f1(12, u64::from(w.flags & 4)),
            f1(13, u64::from(w.flags & 8)),
            f1(34, w.amb),
        ]
    }

    /// Templates reading the previous token.
    #[inline]
    pub(crate) fn as_prev(prev: &TokenInfo) -> [u32; N_AS_PREV] {
        [
            f1(18, prev.word),
            f1(19, prev.suffix[2]),
            f1(31, prev.shape),
        ]
    }

    /// Templates reading the token two before.
    #[inline]
    pub(crate) fn as_prev2(prev2: &TokenInfo) -> [u32; N_AS_PREV2] {
        [f1(20, prev2.word)]
    }

    /// Templates reading the next token.
    #[inline]
    pub(crate) fn as_next(next: &TokenInfo) -> [u32; N_AS_NEXT] {
        [
            f1(21, next.word),
            f1(22, next.suffix[2]),
            f1(24, next.shape),
            f1(30, next.prefix[0]),
            f1(33, next.suffix[1]),
            f1(35, next.amb),
        ]
    }

    /// Templates reading the token two after.
    #[inline]
    pub(crate) fn as_next2(next2: &TokenInfo) -> [u32; N_AS_NEXT2] {
        [f1(23, next2.word), f1(38, next2.amb)]
    }

    /// Templates of the two previous predicted tags alone (14, 15, 16).
    #[inline]
    pub(crate) fn tags(p1: u8, p2: u8) -> [u32; 3] {
        let (p1, p2) = (u64::from(p1), u64::from(p2));
        [f1(14, p1), f1(15, p2), f2(16, p1, p2)]
    }

    /// Template 11: capitalization flags (`flags & 3`) and sentence-initial position.
    #[inline]
    pub(crate) fn case_first(case: u8, first: bool) -> u32 {
        f1(11, u64::from(case & 3) | u64::from(first) << 2)
    }

    /// Template 28: capitalization of the token and of the next one.
    #[inline]
    pub(crate) fn case_next(case: u8, next_case: u8) -> u32 {
        f2(28, u64::from(case & 3), u64::from(next_case & 3))
    }

    /// Template 29: capitalization of the previous token and of this one.
    #[inline]
    pub(crate) fn case_prev(prev_case: u8, case: u8) -> u32 {
        f2(29, u64::from(prev_case & 3), u64::from(case & 3))
    }

    /// The remaining templates, which pair two things that vary independently (17, 25, 26,
    /// 32, 36, 37): looked up per token.
    #[inline]
    pub(crate) fn pairs(prev: &TokenInfo, w: &TokenInfo, next: &TokenInfo, p1: u8) -> [u32; 6] {
        let p1 = u64::from(p1);
        [
            f2(17, p1, w.word),
            f2(25, prev.word, w.word),
            f2(26, w.word, next.word),
            f2(32, p1, next.word),
            f2(36, p1, w.amb),
            f2(37, w.amb, next.amb),
        ]
    }
}

impl TokenInfo {
    /// Capitalization flags (bit 0 capitalized, bit 1 all caps).
    #[inline]
    pub(crate) fn case(&self) -> u8 {
        self.flags & 3
    }

    /// The padding token before the sentence.
    pub(crate) const fn pad_before() -> &'static TokenInfo {
        &TokenInfo::PAD_BEFORE
    }

    /// The padding token after the sentence.
    pub(crate) const fn pad_after() -> &'static TokenInfo {
        &TokenInfo::PAD_AFTER
    }

    /// Same token with its ambiguity class set.
    #[inline]
    pub(crate) fn with_amb(mut self, amb: u64) -> TokenInfo {
        self.amb = amb;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_case_aware() {
        let a = TokenInfo::new("Hamas");
        let b = TokenInfo::new("hamas");
        assert_eq!(a.word, b.word, "normalized word ignores case");
        assert_ne!(a.raw, b.raw, "raw word keeps case");
        assert_ne!(a.flags & 1, b.flags & 1);
        assert_eq!(TokenInfo::new("1,500").word, TokenInfo::new("2,000").word);
        assert_eq!(TokenInfo::new("right-wing").flags & 4, 4);
        assert_eq!(TokenInfo::new("NATO").flags & 2, 2);
        // Fixed value guards against accidental changes to the hash (which would silently
        // invalidate the shipped model).
        assert_eq!(
            f1(1, TokenInfo::new("the").word),
            f1(1, TokenInfo::new("THE").word)
        );
    }

    #[test]
    fn groups_partition_the_features_of_extract() {
        let words = [
            "The",
            "U.S.",
            "army",
            "said",
            "1,500",
            "right-wing",
            "NATO",
            "\u{1F600}",
        ];
        let infos: Vec<TokenInfo> = words
            .iter()
            .enumerate()
            .map(|(k, w)| TokenInfo::new(w).with_amb(k as u64 * 7))
            .collect();
        let pad = |k: isize| -> &TokenInfo {
            if k < 0 {
                TokenInfo::pad_before()
            } else {
                infos.get(k as usize).unwrap_or(TokenInfo::pad_after())
            }
        };
        for i in 0..infos.len() {
            for (p1, p2) in [(START, START2), (3, START), (11, 30), (0, 0)] {
                let mut all = [0u32; N_FEATURES];
                extract(&infos, i, p1, p2, &mut all);
                let k = i as isize;
                let (prev, w, next) = (pad(k - 1), pad(k), pad(k + 1));
                let mut grouped = Vec::new();
                grouped.extend(groups::word(w));
                grouped.extend(groups::as_prev(prev));
                grouped.extend(groups::as_prev2(pad(k - 2)));
                grouped.extend(groups::as_next(next));
                grouped.extend(groups::as_next2(pad(k + 2)));
                grouped.extend(groups::tags(p1, p2));
                grouped.push(groups::case_first(w.case(), i == 0));
                grouped.push(groups::case_next(w.case(), next.case()));
                grouped.push(groups::case_prev(prev.case(), w.case()));
                grouped.extend(groups::pairs(prev, w, next, p1));
                let mut all = all.to_vec();
                all.sort_unstable();
                grouped.sort_unstable();
                assert_eq!(all, grouped, "position {i}, tags {p1} {p2}");
            }
        }
    }

    #[test]
    fn odd_words_do_not_panic() {
        for w in [
            "",
            "a",
            "\u{1F600}",
            "e\u{301}",
            "\u{5d0}\u{5d1}",
            "x".repeat(10_000).as_str(),
        ] {
            let infos = vec![TokenInfo::new(w)];
            let mut out = [0; N_FEATURES];
            extract(&infos, 0, START, START2, &mut out);
        }
    }
}
