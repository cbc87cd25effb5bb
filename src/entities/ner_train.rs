//! Training the entity tagger: readers for Universal NER (IOB2) and GUM (CoNLL-U with
//! `Entity=` brackets), and a deterministic averaged-perceptron trainer.
//!
//! Every sentence is re-tokenized with our tokenizer and tagged with our part-of-speech
//! tagger, so the tagger trains on what it sees at run time. A GUM mention of type person,
//! organization or place gives its name as the last run of proper nouns (NNP, NNPS, joined
//! by "of", "&", "de" and the like) inside it, without leading titles ("President");
//! an organization whose name our gazetteer lists as a place (a country acting as a
//! government) is labelled a place, as news annotation (MEANTIME) types it.

use super::lexicon::lexicon;
use super::tagger::{begin_label, features, token_infos, NerModel, MAX_FEATURES, N_LABELS, O};
use super::EntityKind;
use crate::conllu;
use crate::pos::{FxHashMap, Pos};
use crate::text::{tokenize, Span, Token};
use std::io;
use std::ops::Range;

/// One training document: text, tokens (ours), sentences, POS tags and gold labels.
#[derive(Debug, Clone, Default)]
pub struct NerDoc {
    text: String,
    tokens: Vec<Token>,
    sentences: Vec<Range<usize>>,
    pos: Vec<Pos>,
    labels: Vec<u8>,
    /// What the rules make of each token (see `tagger::rule_labels`).
    rules: Vec<u8>,
}

impl NerDoc {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when the document has no token.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Gold names as `(start token, end token, kind)`.
    pub fn gold_names(&self) -> Vec<(usize, usize, EntityKind)> {
        super::tagger::spans(&self.labels)
            .into_iter()
            .map(|t| (t.start, t.end, t.kind))
            .collect()
    }

    /// Runs the rules over the finished document, for stacked training.
    fn finish(&mut self) {
        let sentences: Vec<crate::text::Sentence> = self
            .sentences
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| crate::text::Sentence {
                span: Span::new(
                    self.tokens[r.start].span.start,
                    self.tokens[r.end - 1].span.end,
                ),
                tokens: r.clone(),
            })
            .collect();
        let doc = super::recognize::Doc::new(&self.text, &self.tokens, &sentences, &self.pos);
        let pieces = super::recognize::recognize(&doc, &sentences);
        self.rules = super::tagger::rule_labels(
            self.tokens.len(),
            pieces.iter().map(|p| (p.start, p.end, p.kind, p.strong)),
        );
    }

    /// Adds a sentence given as text and name spans (byte offsets into `sentence`).
    fn push_sentence(&mut self, sentence: &str, names: &[(usize, usize, EntityKind)]) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        let offset = self.text.len();
        self.text.push_str(sentence);
        let toks = tokenize(sentence);
        if toks.is_empty() {
            return;
        }
        let first = self.tokens.len();
        let sent = crate::text::Sentence {
            span: Span::new(0, sentence.len()),
            tokens: 0..toks.len(),
        };
        self.pos
            .extend(crate::pos::tag_sentence(sentence, &toks, &sent));
        let mut prev: Option<usize> = None;
        for t in &toks {
            let name = names
                .iter()
                .position(|&(s, e, _)| t.span.start < e && s < t.span.end);
            let label = match name {
                Some(k) => {
                    let b = begin_label(names[k].2);
                    if prev == Some(k) {
                        b + 1
                    } else {
                        b
                    }
                }
                None => O,
            };
            prev = name;
            self.labels.push(label);
            self.tokens.push(Token {
                span: Span::new(t.span.start + offset, t.span.end + offset),
                kind: t.kind,
            });
        }
        self.sentences.push(first..self.tokens.len());
    }
}

fn invalid(line: usize, msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("line {line}: {msg}"))
}

/// Reads Universal NER IOB2 (`index TAB token TAB tag ...`, `# text =` and `# newdoc id`
/// comments): one document per `newdoc`.
pub fn read_iob2(data: &str) -> io::Result<Vec<NerDoc>> {
    let mut docs = vec![NerDoc::default()];
    let mut text: Option<String> = None;
    let mut words: Vec<(String, String)> = Vec::new();
    let flush = |docs: &mut Vec<NerDoc>, text: &Option<String>, words: &[(String, String)]| {
        if words.is_empty() {
            return;
        }
        // Align the tokens with the sentence text; join them with spaces if that fails.
        let mut spans = Vec::with_capacity(words.len());
        let mut sentence = text.clone().unwrap_or_default();
        let mut at = 0;
        for (w, _) in words {
            let rest = sentence.get(at..).unwrap_or("");
            let skip = rest.len() - rest.trim_start().len();
            if rest[skip..].starts_with(w.as_str()) {
                spans.push((at + skip, at + skip + w.len()));
                at += skip + w.len();
            } else {
                spans.clear();
                break;
            }
        }
        if spans.is_empty() {
            sentence.clear();
            for (w, _) in words {
                if !sentence.is_empty() {
                    sentence.push(' ');
                }
                spans.push((sentence.len(), sentence.len() + w.len()));
                sentence.push_str(w);
            }
        }
        let mut names: Vec<(usize, usize, EntityKind)> = Vec::new();
        for ((_, tag), &(s, e)) in words.iter().zip(&spans) {
            let kind = match tag.get(2..) {
                Some("PER") => Some(EntityKind::Person),
                Some("ORG") => Some(EntityKind::Organization),
                Some("LOC") => Some(EntityKind::Location),
                _ => None,
            };
            match (kind, tag.as_bytes().first()) {
                (Some(k), Some(b'I')) if names.last().is_some_and(|n| n.2 == k) => {
                    if let Some(last) = names.last_mut() {
                        last.1 = e;
                    }
                }
                (Some(k), _) => names.push((s, e, k)),
                _ => {}
            }
        }
        if let Some(doc) = docs.last_mut() {
            doc.push_sentence(&sentence, &names);
        }
    };
    for (n, line) in data.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            flush(&mut docs, &text, &words);
            words.clear();
            text = None;
        } else if let Some(rest) = line.strip_prefix('#') {
            let rest = rest.trim();
            if rest.starts_with("newdoc") {
                flush(&mut docs, &text, &words);
                words.clear();
                docs.push(NerDoc::default());
            } else if let Some(t) = rest.strip_prefix("text =") {
                text = Some(t.trim().to_string());
            }
        } else {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 {
                return Err(invalid(n + 1, "expected index, token and tag columns"));
            }
            words.push((cols[1].to_string(), cols[2].to_string()));
        }
    }
    flush(&mut docs, &text, &words);
    docs.retain(|d| !d.is_empty());
    docs.iter_mut().for_each(NerDoc::finish);
    Ok(docs)
}

/// One GUM mention: word range, type and whether it has a Wikipedia identity.
struct Mention {
    start: usize,
    end: usize,
    kind: EntityKind,
}

/// Parses a MISC `Entity=` value: openings `(id-type-...` and closings `id)`.
fn entity_brackets(
    value: &str,
    word: usize,
    open: &mut Vec<(String, Option<EntityKind>, usize)>,
    done: &mut Vec<Mention>,
) {
    let b = value.as_bytes();
    let mut i = 0;
    let mut close = |id: &str, open: &mut Vec<(String, Option<EntityKind>, usize)>| {
        if let Some(k) = open.iter().rposition(|(o, _, _)| o == id) {
            let (_, kind, start) = open.remove(k);
            if let Some(kind) = kind {
                done.push(Mention {
                    start,
                    end: word + 1,
                    kind,
                });
            }
        }
    };
    while i < b.len() {
        if b[i] == b'(' {
            let s = i + 1;
            let mut j = s;
            let mut depth = 0;
            while j < b.len() {
                match b[j] {
                    b'(' if b.get(j + 1).is_some_and(u8::is_ascii_digit) => break,
                    b'(' => depth += 1,
                    b')' if depth > 0 => depth -= 1,
                    b')' => break,
                    _ => {}
                }
                j += 1;
            }
            let spec = &value[s..j];
            let mut fields = spec.split('-');
            let id = fields.next().unwrap_or("").to_string();
            let kind = match fields.next() {
                Some("person") => Some(EntityKind::Person),
                Some("organization") => Some(EntityKind::Organization),
                Some("place") => Some(EntityKind::Location),
                _ => None,
            };
            open.push((id.clone(), kind, word));
            i = j;
            if b.get(j) == Some(&b')') {
                close(&id, open);
                i += 1;
            }
        } else if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let id = &value[s..i];
            if b.get(i) == Some(&b')') {
                close(id, open);
                i += 1;
            }
        } else {
            i += 1;
        }
    }
}

/// The name inside a mention: the last run of proper nouns, without leading titles.
fn name_run(words: &[conllu::Word], text: &str, m: &Mention) -> Option<(usize, usize)> {
    let proper = |k: usize| matches!(words[k].xpos, "NNP" | "NNPS");
    let joiner = |k: usize| {
        matches!(words[k].xpos, "POS" | "HYPH")
            || matches!(
                &text[words[k].start..words[k].end],
                "of" | "&"
                    | "de"
                    | "du"
                    | "von"
                    | "van"
                    | "der"
                    | "al"
                    | "bin"
                    | "la"
                    | "del"
                    | "the"
            )
    };
    let mut best: Option<(usize, usize)> = None;
    let mut k = m.start;
    while k < m.end.min(words.len()) {
        if !proper(k) {
            k += 1;
            continue;
        }
        let s = k;
        let mut e = k + 1;
        loop {
            if e < m.end && proper(e) {
                e += 1;
            } else if e + 1 < m.end && joiner(e) && proper(e + 1) {
                e += 2;
            } else if e + 2 < m.end && joiner(e) && joiner(e + 1) && proper(e + 2) {
                e += 3;
            } else {
                break;
            }
        }
        best = Some((s, e));
        k = e;
    }
    let (mut s, e) = best?;
    // A name inside a prepositional phrase is not the mention's head: "the commander of
    // the Korean People's Army" names a person, not "Korean People's Army".
    let mut before = s;
    while before > m.start && words[before - 1].xpos == "DT" {
        before -= 1;
    }
    if before > m.start && words[before - 1].xpos == "IN" {
        return None;
    }
    if m.kind == EntityKind::Person {
        let lex = lexicon();
        while s + 1 < e
            && lex
                .titles
                .contains_key(text[words[s].start..words[s].end].to_lowercase().as_str())
        {
            s += 1;
        }
    }
    Some((s, e))
}

/// Reads one GUM CoNLL-U document (named person, organization and place mentions).
pub fn read_gum(conllu: &str) -> io::Result<NerDoc> {
    let lex = lexicon();
    let mut doc = NerDoc::default();
    // Brackets opened and not yet closed, kept across sentences as the file has them.
    let mut open = Vec::new();
    let mut mentions = Vec::new();
    for sentence in conllu::read(conllu)? {
        let (text, words) = (sentence.text.as_str(), sentence.words.as_slice());
        for (w, word) in words.iter().enumerate() {
            for m in word.misc.split('|') {
                if let Some(value) = m.strip_prefix("Entity=") {
                    entity_brackets(value, w, &mut open, &mut mentions);
                }
            }
        }
        // Longer mentions first: "United States Air Force" wins over "United States".
        mentions.sort_by_key(|m: &Mention| (std::cmp::Reverse(m.end - m.start), m.start));
        let mut taken = vec![false; words.len()];
        let mut names = Vec::new();
        for m in mentions.iter() {
            let Some((s, e)) = name_run(words, text, m) else {
                continue;
            };
            if taken[s..e].iter().any(|&t| t) {
                continue;
            }
            taken[s..e].iter_mut().for_each(|t| *t = true);
            let (bs, be) = (words[s].start, words[e - 1].end);
            let mut kind = m.kind;
            if kind == EntityKind::Organization
                && lex
                    .names
                    .get(super::lexicon::token_key(&text[bs..be]).as_str())
                    .is_some_and(|k| k.kind == EntityKind::Location && !k.adjective)
            {
                kind = EntityKind::Location;
            }
            names.push((bs, be, kind));
        }
        names.sort_by_key(|n| n.0);
        doc.push_sentence(text, &names);
        mentions.clear();
    }
    doc.finish();
    Ok(doc)
}

/// Settings of [`train_ner`].
#[derive(Debug, Clone)]
pub struct NerTrainConfig {
    /// Passes over the training data.
    pub iterations: usize,
    /// Shuffle seed.
    pub seed: u64,
    /// Stored weight = round(averaged weight * scale).
    pub scale: u32,
    /// Rows whose largest stored weight is below this are dropped.
    pub min_weight: i16,
    /// Whether to use gazetteer features.
    pub use_gazetteer: bool,
    /// Whether the tagger reads the rules' output as features.
    pub stacked: bool,
}

impl Default for NerTrainConfig {
    fn default() -> Self {
        NerTrainConfig {
            iterations: 12,
            seed: 0x4E45_5254_5241_494E,
            scale: 16,
            min_weight: 1,
            use_gazetteer: true,
            stacked: true,
        }
    }
}

struct Row {
    w: [i32; N_LABELS],
    total: [i64; N_LABELS],
    stamp: u64,
}

/// Trains the tagger on `docs` (deterministic for the same input and config).
pub fn train_ner(docs: &[NerDoc], cfg: &NerTrainConfig) -> NerModel {
    let infos: Vec<_> = docs
        .iter()
        .map(|d| {
            let rules = cfg.stacked.then_some(d.rules.as_slice());
            token_infos(
                &d.text,
                &d.tokens,
                &d.sentences,
                &d.pos,
                cfg.use_gazetteer,
                rules,
                None,
            )
        })
        .collect();
    let mut order: Vec<(usize, usize)> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| (0..doc.sentences.len()).map(move |s| (d, s)))
        .collect();
    let mut weights: FxHashMap<u32, Row> = FxHashMap::default();
    let mut clock = 1u64;
    let mut rng = cfg.seed;
    let mut feats = [0u32; MAX_FEATURES];
    for _ in 0..cfg.iterations {
        // Fisher-Yates with SplitMix64.
        for i in (1..order.len()).rev() {
            rng = rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = rng;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            order.swap(i, (z % (i as u64 + 1)) as usize);
        }
        for &(d, s) in &order {
            let range = docs[d].sentences[s].clone();
            let sent = &infos[d][range.clone()];
            let gold = &docs[d].labels[range];
            let (mut prev, mut prev2) = (7u8, 7u8);
            for (i, &truth) in gold.iter().enumerate() {
                let n = features(sent, i, prev, prev2, &mut feats);
                let mut scores = [0i64; N_LABELS];
                for f in &feats[..n] {
                    if let Some(r) = weights.get(f) {
                        for (s, &w) in scores.iter_mut().zip(&r.w) {
                            *s += i64::from(w);
                        }
                    }
                }
                let mut guess = 0usize;
                for l in 1..N_LABELS {
                    if scores[l] > scores[guess] {
                        guess = l;
                    }
                }
                let truth = usize::from(truth);
                if guess != truth {
                    for &f in &feats[..n] {
                        let r = weights.entry(f).or_insert(Row {
                            w: [0; N_LABELS],
                            total: [0; N_LABELS],
                            stamp: clock,
                        });
                        let dt = (clock - r.stamp) as i64;
                        for l in 0..N_LABELS {
                            r.total[l] += i64::from(r.w[l]) * dt;
                        }
                        r.stamp = clock;
                        r.w[truth] += 1;
                        r.w[guess] -= 1;
                    }
                }
                clock += 1;
                prev2 = prev;
                prev = guess as u8;
            }
        }
    }
    let mut rows: Vec<(u32, [i16; N_LABELS])> = weights
        .into_iter()
        .filter_map(|(key, r)| {
            let dt = (clock - r.stamp) as i64;
            let mut q = [0i16; N_LABELS];
            for (l, q) in q.iter_mut().enumerate() {
                let avg = (r.total[l] + i64::from(r.w[l]) * dt) as f64 / clock as f64;
                *q = (avg * f64::from(cfg.scale))
                    .round()
                    .clamp(-32767.0, 32767.0) as i16;
            }
            let max = q.iter().map(|w| w.unsigned_abs()).max().unwrap_or(0);
            (max >= cfg.min_weight.unsigned_abs()).then_some((key, q))
        })
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    NerModel::from_rows(cfg.use_gazetteer, cfg.stacked, cfg.scale, rows)
}

/// Token-level name scores of `model` on `docs`: (correct names, predicted, gold).
pub fn evaluate_ner(model: &NerModel, docs: &[NerDoc]) -> (usize, usize, usize) {
    let (mut tp, mut sys, mut gold) = (0, 0, 0);
    for d in docs {
        let labels = super::tagger::label_document(
            model,
            &d.text,
            &d.tokens,
            &d.sentences,
            &d.pos,
            &d.rules,
            None,
        );
        let p = super::tagger::spans(&labels);
        let g = super::tagger::spans(&d.labels);
        sys += p.len();
        gold += g.len();
        tp += p.iter().filter(|x| g.contains(x)).count();
    }
    (tp, sys, gold)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IOB2: &str = "# newdoc id = d1\n# text = I met John Smith in New York.\n\
1\tI\tO\t-\t-\n2\tmet\tO\t-\t-\n3\tJohn\tB-PER\t-\t-\n4\tSmith\tI-PER\t-\t-\n\
5\tin\tO\t-\t-\n6\tNew\tB-LOC\t-\t-\n7\tYork\tI-LOC\t-\t-\n8\t.\tO\t-\t-\n\n\
# newdoc id = d2\n1\tIBM\tB-ORG\t-\t-\n2\thires\tO\t-\t-\n\n";

    const GUM: &str = "# text = President Obama visited the Korean People's Army.\n\
1\tPresident\tpresident\tPROPN\tNNP\t_\t2\tcompound\t_\tEntity=(1-person-new-sssss-cf1-2-coref-Barack_Obama\n\
2\tObama\tObama\tPROPN\tNNP\t_\t3\tnsubj\t_\tEntity=1)\n\
3\tvisited\tvisit\tVERB\tVBD\t_\t0\troot\t_\t_\n\
4\tthe\tthe\tDET\tDT\t_\t8\tdet\t_\tEntity=(2-organization-new-sssss-cf2-1-coref-KPA\n\
5\tKorean\tKorean\tADJ\tNNP\t_\t8\tamod\t_\t_\n\
6\tPeople\tpeople\tPROPN\tNNP\t_\t8\tnmod\t_\tSpaceAfter=No\n\
7\t's\t's\tPART\tPOS\t_\t6\tcase\t_\t_\n\
8\tArmy\tArmy\tPROPN\tNNP\t_\t3\tobj\t_\tEntity=2)|SpaceAfter=No\n\
9\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

    fn names(d: &NerDoc) -> Vec<(&str, EntityKind)> {
        d.gold_names()
            .into_iter()
            .map(|(s, e, k)| (&d.text[d.tokens[s].span.start..d.tokens[e - 1].span.end], k))
            .collect()
    }

    #[test]
    fn readers_give_names_on_our_tokens() {
        let docs = read_iob2(IOB2).expect("parses");
        assert_eq!(docs.len(), 2);
        assert_eq!(
            names(&docs[0]),
            vec![
                ("John Smith", EntityKind::Person),
                ("New York", EntityKind::Location)
            ]
        );
        assert_eq!(names(&docs[1]), vec![("IBM", EntityKind::Organization)]);
        let gum = read_gum(GUM).expect("parses");
        // Titles are not part of a person's name; "'s" joins a name's parts.
        assert_eq!(
            names(&gum),
            vec![
                ("Obama", EntityKind::Person),
                ("Korean People's Army", EntityKind::Organization)
            ]
        );
        assert!(read_gum("1\tbad line\n").is_err());
        assert!(read_iob2("1\n").is_err());
    }

    #[test]
    fn training_is_deterministic_and_learns_the_data() {
        let mut docs = read_iob2(IOB2).expect("parses");
        docs.push(read_gum(GUM).expect("parses"));
        let cfg = NerTrainConfig {
            iterations: 5,
            min_weight: 0,
            ..NerTrainConfig::default()
        };
        let a = train_ner(&docs, &cfg);
        let b = train_ner(&docs, &cfg);
        assert_eq!(a.to_bytes(), b.to_bytes());
        let (tp, _, gold) = evaluate_ner(&a, &docs);
        assert_eq!(gold, 5);
        assert!(tp >= 4, "{tp}");
    }
}
