//! Training the tagger: reading CoNLL-U, re-tokenizing it the way our tokenizer does, and a
//! deterministic greedy averaged perceptron (Collins 2002; Honnibal's "greedy averaged
//! perceptron" tagger) with integer weights.

use super::features::{extract, sentence_infos, TokenInfo, N_FEATURES, START, START2};
use super::model::{FxMap, Model, Rows};
use super::Pos;
use crate::conllu;
use crate::text::{tokenize, TokenKind};
use std::io;

/// One training sentence, tokenized as [`crate::text::tokenize`] would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainSentence {
    /// Token texts.
    pub words: Vec<String>,
    /// Gold tags, one per word.
    pub tags: Vec<Pos>,
}

/// Training settings. `Default` gives the settings the shipped model was trained with.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training data (default 10).
    pub iterations: usize,
    /// Seed of the shuffle before each pass (default 0x5EED).
    pub seed: u64,
    /// A word enters the tag dictionary when seen at least this often (default 20)...
    pub dict_min_count: u32,
    /// ...with one tag at least this share of the time (default 0.97).
    pub dict_min_share: f64,
    /// Averaged weights are stored as `round(weight * scale)`; zeros are dropped (default 16).
    pub scale: u32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            iterations: 10,
            seed: 0x5EED,
            dict_min_count: 20,
            dict_min_share: 0.97,
            scale: 16,
        }
    }
}

/// Builds one sentence: tokenizes the treebank sentence's text with our tokenizer and gives
/// every token the tag of the treebank word(s) it covers. A token spanning a hyphenated
/// sequence ("right - wing") takes the tag of the last non-punctuation word; a token
/// spanning a contraction our tokenizer does not split ("cannot", "gonna") takes the tag
/// of the first word.
fn build_sentence(sentence: &conllu::Sentence) -> TrainSentence {
    let (text, units) = (sentence.text.as_str(), sentence.words.as_slice());
    let tokens = tokenize(text);
    let mut words = Vec::with_capacity(tokens.len());
    let mut tags = Vec::with_capacity(tokens.len());
    let mut u = 0;
    for t in &tokens {
        while u < units.len() && units[u].end <= t.span.start {
            u += 1;
        }
        let mut k = u;
        let mut covered: Vec<&conllu::Word> = Vec::new();
        while k < units.len() && units[k].start < t.span.end {
            if units[k].end > t.span.start {
                covered.push(&units[k]);
            }
            k += 1;
        }
        let tag = match covered.as_slice() {
            [] => {
                if t.kind == TokenKind::Punct {
                    Pos::Punct
                } else {
                    Pos::Other
                }
            }
            // A piece of a word our tokenizer splits (a URL, an emoticon): punctuation
            // pieces are punctuation, the rest keep the word's tag.
            [one]
                if t.kind == TokenKind::Punct
                    && (one.start, one.end) != (t.span.start, t.span.end) =>
            {
                Pos::Punct
            }
            [one] => Pos::from_penn(one.xpos),
            many if many.iter().any(|w| w.xpos == "HYPH") => many
                .iter()
                .rev()
                .map(|w| Pos::from_penn(w.xpos))
                .find(|p| *p != Pos::Punct)
                .unwrap_or(Pos::Punct),
            many => Pos::from_penn(many[0].xpos),
        };
        words.push(t.span.slice(text).to_string());
        tags.push(tag);
    }
    TrainSentence { words, tags }
}

/// Reads CoNLL-U text (Penn tags from column 5) into training sentences, re-tokenized as
/// our tokenizer does (see [`crate::conllu`] for how the text is rebuilt).
pub fn read_conllu(conllu: &str) -> io::Result<Vec<TrainSentence>> {
    Ok(conllu::read(conllu)?.iter().map(build_sentence).collect())
}

/// A fixed-seed SplitMix64 generator: the shuffle is the same on every platform.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// One weight during training, with what averaging needs.
#[derive(Clone, Copy)]
struct Weight {
    class: u8,
    value: i32,
    /// Sum of `value` over all instances up to `stamp`.
    total: i64,
    stamp: u64,
}

/// Builds the tag dictionary: case-sensitive words frequent enough and (nearly) unambiguous.
fn tag_dictionary(sentences: &[TrainSentence], cfg: &TrainConfig) -> Vec<(Box<str>, u8)> {
    let mut counts: FxMap<&str, [u32; Pos::ALL.len()]> = FxMap::default();
    for s in sentences {
        for (w, t) in s.words.iter().zip(&s.tags) {
            counts.entry(w.as_str()).or_insert([0; Pos::ALL.len()])[t.index()] += 1;
        }
    }
    let mut dict: Vec<(Box<str>, u8)> = counts
        .into_iter()
        .filter_map(|(w, c)| {
            let total: u32 = c.iter().sum();
            let (best, &n) = c
                .iter()
                .enumerate()
                .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))?;
            (total >= cfg.dict_min_count && f64::from(n) >= cfg.dict_min_share * f64::from(total))
                .then(|| (w.into(), best as u8))
        })
        .collect();
    dict.sort();
    dict
}

/// Folds for jackknifing the ambiguity classes.
const FOLDS: usize = 5;
/// Words seen fewer times get no ambiguity class.
const AMB_MIN_COUNT: u32 = 2;

/// Builds the ambiguity classes: for each normalized word seen at least twice, the set of
/// tags it had at least 5% of the time.
fn ambiguity_lexicon<'a>(sentences: impl Iterator<Item = &'a TrainSentence>) -> Vec<(u64, u64)> {
    let mut counts: FxMap<u64, [u32; Pos::ALL.len()]> = FxMap::default();
    for s in sentences {
        for (w, t) in s.words.iter().zip(&s.tags) {
            counts
                .entry(TokenInfo::new(w).word)
                .or_insert([0; Pos::ALL.len()])[t.index()] += 1;
        }
    }
    let mut lexicon: Vec<(u64, u64)> = counts
        .into_iter()
        .filter_map(|(word, c)| {
            let total: u32 = c.iter().sum();
            let tags = c
                .iter()
                .enumerate()
                .filter(|&(_, &n)| n > 0 && n * 20 >= total)
                .fold(0u64, |m, (i, _)| m | 1 << i);
            (total >= AMB_MIN_COUNT).then_some((word, tags))
        })
        .collect();
    lexicon.sort_unstable();
    lexicon
}

/// Trains a model on `sentences`. Deterministic: the same sentences and settings give a
/// model with the same bytes.
pub fn train(sentences: &[TrainSentence], cfg: &TrainConfig) -> Model {
    let dict = tag_dictionary(sentences, cfg);
    let dict_index: FxMap<&str, u8> = dict.iter().map(|(w, c)| (&**w, *c)).collect();
    let lexicon = ambiguity_lexicon(sentences.iter());
    // Jackknifing: a training sentence sees the ambiguity classes of the other folds only,
    // so unknown words are as frequent in training as they will be in new text.
    let fold_lexicons: Vec<FxMap<u64, u64>> = (0..FOLDS)
        .map(|k| {
            let others = sentences
                .iter()
                .enumerate()
                .filter(|(i, _)| i % FOLDS != k)
                .map(|(_, s)| s);
            ambiguity_lexicon(others).into_iter().collect()
        })
        .collect();
    let mut weights: FxMap<u32, Vec<Weight>> = FxMap::default();
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut rng = SplitMix64(cfg.seed);
    let mut now: u64 = 0;
    let mut infos = Vec::new();
    let mut feats = [0u32; N_FEATURES];
    let n_classes = Pos::ALL.len();
    for _ in 0..cfg.iterations {
        rng.shuffle(&mut order);
        for &si in &order {
            let s = &sentences[si];
            sentence_infos(
                s.words.iter().map(String::as_str),
                &fold_lexicons[si % FOLDS],
                &mut infos,
            );
            let (mut p1, mut p2) = (START, START2);
            for (i, (word, gold)) in s.words.iter().zip(&s.tags).enumerate() {
                let gold = gold.index() as u8;
                let guess = match dict_index.get(word.as_str()) {
                    Some(&c) => c,
                    None => {
                        extract(&infos, i, p1, p2, &mut feats);
                        let mut scores = [0i64; 64];
                        for f in &feats {
                            if let Some(row) = weights.get(f) {
                                for w in row {
                                    scores[usize::from(w.class)] += i64::from(w.value);
                                }
                            }
                        }
                        let mut guess = 0;
                        for c in 1..n_classes {
                            if scores[c] > scores[guess] {
                                guess = c;
                            }
                        }
                        let guess = guess as u8;
                        now += 1;
                        if guess != gold {
                            for &f in &feats {
                                let row = weights.entry(f).or_default();
                                for (class, delta) in [(gold, 1), (guess, -1)] {
                                    let pos = match row.iter().position(|w| w.class == class) {
                                        Some(p) => p,
                                        None => {
                                            row.push(Weight {
                                                class,
                                                value: 0,
                                                total: 0,
                                                stamp: now,
                                            });
                                            row.len() - 1
                                        }
                                    };
                                    let w = &mut row[pos];
                                    w.total += (now - w.stamp) as i64 * i64::from(w.value);
                                    w.stamp = now;
                                    w.value += delta;
                                }
                            }
                        }
                        guess
                    }
                };
                p2 = p1;
                p1 = guess;
            }
        }
    }
    let now = now.max(1);
    let scale = f64::from(cfg.scale);
    let mut rows: Vec<(u32, Vec<(u8, i32)>)> = weights
        .into_iter()
        .filter_map(|(key, row)| {
            let mut out: Vec<(u8, i32)> = row
                .iter()
                .filter_map(|w| {
                    let total = w.total + (now - w.stamp) as i64 * i64::from(w.value);
                    let q = (total as f64 / now as f64 * scale).round() as i32;
                    (q != 0).then_some((w.class, q))
                })
                .collect();
            out.sort_unstable();
            (!out.is_empty()).then_some((key, out))
        })
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    let mut flat = Rows::default();
    for (key, row) in rows {
        flat.push(key, row);
    }
    Model::from_parts(Pos::ALL.to_vec(), cfg.scale, dict, lexicon, &flat)
}

/// Token accuracy of `model` on `sentences`: `(correct, total)`.
pub fn evaluate(model: &Model, sentences: &[TrainSentence]) -> (usize, usize) {
    let mut correct = 0;
    let mut total = 0;
    for s in sentences {
        let tags = model.tag(s.words.iter().map(String::as_str));
        correct += tags.iter().zip(&s.tags).filter(|(a, b)| a == b).count();
        total += s.tags.len();
    }
    (correct, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNIPPET: &str = "\
# text = Al-Zaman : forces killed him.
1\tAl\tAl\tPROPN\tNNP\t_\t0\troot\t_\tSpaceAfter=No
2\t-\t-\tPUNCT\tHYPH\t_\t3\tpunct\t_\tSpaceAfter=No
3\tZaman\tZaman\tPROPN\tNNP\t_\t1\tflat\t_\t_
4\t:\t:\tPUNCT\t:\t_\t7\tpunct\t_\t_
5\tforces\tforce\tNOUN\tNNS\t_\t7\tnsubj\t_\t_
6\tkilled\tkill\tVERB\tVBD\t_\t1\tparataxis\t_\t_
7\thim\the\tPRON\tPRP\t_\t6\tobj\t_\tSpaceAfter=No
8\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_

1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
1\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_
2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_
3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_
3.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t_\t_
4-5\tcannot\t_\t_\t_\t_\t_\t_\t_\t_
4\tcan\tcan\tAUX\tMD\t_\t6\taux\t_\t_
5\tnot\tnot\tPART\tRB\t_\t6\tadvmod\t_\t_
6\tstay\tstay\tVERB\tVB\t_\t3\tconj\t_\t_
7\ta\ta\tDET\tDT\t_\t9\tdet\t_\t_
8\tsix\tsix\tNUM\tCD\t_\t10\tnummod\t_\tSpaceAfter=No
9\t-\t-\tPUNCT\tHYPH\t_\t10\tpunct\t_\tSpaceAfter=No
10\tweek\tweek\tNOUN\tNN\t_\t6\tobj\t_\t_
11\ttruce\ttruce\tNOUN\tNN\t_\t6\tobj\t_\t_
";

    #[test]
    fn conllu_is_retokenized_like_our_tokenizer() {
        let s = read_conllu(SNIPPET).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].words,
            ["Al-Zaman", ":", "forces", "killed", "him", "."]
        );
        use Pos::*;
        assert_eq!(s[0].tags, [NNP, Punct, NNS, VBD, PRP, Punct]);
        assert_eq!(
            s[1].words,
            ["do", "n't", "go", "cannot", "stay", "a", "six-week", "truce"]
        );
        assert_eq!(s[1].tags, [VBP, RB, VB, MD, VB, DT, NN, NN]);
    }

    #[test]
    fn bad_conllu_is_an_error_not_a_panic() {
        for bad in [
            "1\tonly\tthree\n",
            "x\ta\tb\tc\td\te\tf\tg\th\ti\n",
            "1-x\ta\t_\t_\t_\t_\t_\t_\t_\t_\n",
        ] {
            assert!(read_conllu(bad).is_err(), "{bad:?}");
        }
        assert!(read_conllu("").unwrap().is_empty());
    }

    #[test]
    fn training_is_deterministic_byte_for_byte() {
        let data = read_conllu(SNIPPET).unwrap();
        let cfg = TrainConfig {
            iterations: 5,
            dict_min_count: 2,
            ..TrainConfig::default()
        };
        let a = train(&data, &cfg).to_bytes();
        let b = train(&data, &cfg).to_bytes();
        assert_eq!(a, b);
        let model = Model::from_bytes(&a).unwrap();
        assert_eq!(model.to_bytes(), a);
        let (correct, total) = evaluate(&model, &data);
        assert_eq!(total, 14);
        assert!(
            correct >= 12,
            "fits its own training data: {correct}/{total}"
        );
    }

    #[test]
    fn shuffle_is_a_fixed_permutation() {
        let mut v: Vec<u32> = (0..10).collect();
        SplitMix64(1).shuffle(&mut v);
        let mut w: Vec<u32> = (0..10).collect();
        SplitMix64(1).shuffle(&mut w);
        assert_eq!(v, w);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
    }
}
