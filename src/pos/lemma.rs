//! Lemmatizer for verbs, common nouns and adjectives: suffix rules plus an exception list
//! (`data/pos/lemmas.tsv`) derived from a treebank's lemma column by [`derive_exceptions`],
//! holding every training form whose gold lemma the rules get wrong ("said" -> "say").

use super::model::FxMap;
use super::Pos;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Which rule set a tag uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Verb,
    Noun,
    Adj,
}

impl Class {
    fn of(pos: Pos) -> Option<Class> {
        match pos {
            p if p.is_verb() || p == Pos::MD => Some(Class::Verb),
            Pos::NN | Pos::NNS => Some(Class::Noun),
            Pos::JJ | Pos::JJR | Pos::JJS => Some(Class::Adj),
            _ => None,
        }
    }

    fn letter(self) -> char {
        match self {
            Class::Verb => 'V',
            Class::Noun => 'N',
            Class::Adj => 'A',
        }
    }

    fn from_letter(s: &str) -> Option<Class> {
        match s {
            "V" => Some(Class::Verb),
            "N" => Some(Class::Noun),
            "A" => Some(Class::Adj),
            _ => None,
        }
    }
}

/// Exceptions per class: lowercased form -> lemma.
fn exceptions() -> &'static [FxMap<Box<str>, Box<str>>; 3] {
    static EXCEPTIONS: OnceLock<[FxMap<Box<str>, Box<str>>; 3]> = OnceLock::new();
    EXCEPTIONS.get_or_init(|| parse_exceptions(include_str!("../../data/pos/lemmas.tsv")))
}

fn parse_exceptions(text: &str) -> [FxMap<Box<str>, Box<str>>; 3] {
    let mut maps: [FxMap<Box<str>, Box<str>>; 3] = Default::default();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        if let (Some(c), Some(form), Some(lemma)) = (cols.next(), cols.next(), cols.next()) {
            if let Some(class) = Class::from_letter(c) {
                maps[class as usize].insert(form.into(), lemma.into());
            }
        }
    }
    maps
}

/// The lemma of `word` tagged `pos`: verbs, common nouns and adjectives are reduced to
/// their lowercased base form ("said"/VBD -> "say", "talks"/NNS -> "talk"); proper nouns
/// keep their spelling; anything else is lowercased.
pub fn lemma(word: &str, pos: Pos) -> String {
    let mut out = String::new();
    lemma_into(word, pos, &mut out);
    out
}

/// [`lemma`] written into `out` (cleared first), so that a caller that only compares the
/// lemma can reuse one buffer instead of allocating a string per token.
pub(crate) fn lemma_into(word: &str, pos: Pos, out: &mut String) {
    out.clear();
    let Some(class) = Class::of(pos) else {
        if pos == Pos::NNP || pos == Pos::NNPS {
            out.push_str(word);
        } else {
            normalize_into(word, out);
        }
        return;
    };
    normalize_into(word, out);
    if let Some(l) = exceptions()[class as usize].get(out.as_str()) {
        out.clear();
        out.push_str(l);
        return;
    }
    // `rule_into` cuts and extends the string in place: the buffer is handed back.
    *out = rule_into(std::mem::take(out), pos);
}

/// Lowercases and turns typographic apostrophes into ASCII ones.
fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// [`normalize`] appended to `out`.
fn normalize_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    out.extend(word.chars().flat_map(char::to_lowercase).map(|c| {
        if c == '\u{2019}' {
            '\''
        } else {
            c
        }
    }));
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Restores, in place, what an "-ed"/"-ing"/"-er" suffix removed from `stem`: a doubled
/// final consonant ("stopp" -> "stop") or a silent e ("creat" -> "create", "us" -> "use").
fn restore(stem: &mut String) {
    let b = stem.as_bytes();
    let n = b.len();
    if n < 2 || !stem.is_ascii() {
        return;
    }
    let (last, prev) = (b[n - 1], b[n - 2]);
    if last == prev && !is_vowel(last) && !matches!(last, b'l' | b's' | b'z' | b'f') {
        stem.pop();
        return;
    }
    let before = if n >= 3 { b[n - 3] } else { b'a' };
    let consonant_before = !is_vowel(before) && before.is_ascii_alphabetic();
    let needs_e = match last {
        b'v' | b'c' | b'u' => true,
        b'z' => prev != b'z',
        b'g' => matches!(prev, b'r' | b'd'),
        b'l' => !is_vowel(prev) && !matches!(prev, b'l' | b'r'),
        b's' => is_vowel(prev) && prev != b'e',
        b'r' => matches!(prev, b'u' | b'i') && consonant_before,
        b't' => {
            (matches!(prev, b'a' | b'u') && consonant_before) || (prev == b'a' && before == b'i')
        }
        b'd' => matches!(prev, b'a' | b'i' | b'o' | b'u') && consonant_before,
        b'm' | b'n' => matches!(prev, b'i' | b'o' | b'u') && consonant_before,
        _ => false,
    };
    if needs_e {
        stem.push('e');
    }
}

/// The rule-based lemma of an already lowercased word.
fn rule(lower: &str, pos: Pos) -> String {
    rule_into(lower.to_string(), pos)
}

/// [`rule`] reusing the buffer of the lowercased word (suffixes are cut and added in place).
fn rule_into(mut word: String, pos: Pos) -> String {
    // Byte length of the stem when `word` ends with `suffix` and the stem keeps at least
    // `min` characters.
    let stem = |word: &str, suffix: &str, min: usize| {
        word.strip_suffix(suffix)
            .filter(|s| s.chars().count() >= min)
            .map(str::len)
    };
    // The stem with a final "y" ("tried" -> "try").
    let with_y = |mut word: String, n: usize| {
        word.truncate(n);
        word.push('y');
        word
    };
    // The stem, restored ("stopped" -> "stop", "created" -> "create").
    let restored = |mut word: String, n: usize| {
        word.truncate(n);
        restore(&mut word);
        word
    };
    match pos {
        Pos::VBD | Pos::VBN => {
            if let Some(n) = stem(&word, "ied", 1) {
                with_y(word, n)
            } else if let Some(n) = stem(&word, "ed", 2) {
                restored(word, n)
            } else {
                word
            }
        }
        Pos::VBG => match stem(&word, "ing", 2) {
            Some(n) if word[..n].ends_with('y') || word[..n].bytes().any(is_vowel) => {
                restored(word, n)
            }
            _ => word,
        },
        Pos::VBZ | Pos::NNS => {
            if let Some(n) = stem(&word, "'s", 1) {
                // Plurals written with an apostrophe: "CD's", "1990's".
                word.truncate(n);
                word
            } else if let Some(n) = stem(&word, "ies", 2) {
                with_y(word, n)
            } else if ["sses", "shes", "ches", "xes", "zzes"]
                .iter()
                .any(|suf| stem(&word, suf, 1).is_some())
            {
                // "glasses" -> "glass": the suffix loses its "es".
                word.truncate(word.len() - 2);
                word
            } else if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
                word
            } else if let Some(n) = stem(&word, "s", 2) {
                word.truncate(n);
                word
            } else {
                word
            }
        }
        Pos::JJR => {
            if let Some(n) = stem(&word, "ier", 2) {
                with_y(word, n)
            } else if let Some(n) = stem(&word, "er", 2) {
                restored(word, n)
            } else {
                word
            }
        }
        Pos::JJS => {
            if let Some(n) = stem(&word, "iest", 2) {
                with_y(word, n)
            } else if let Some(n) = stem(&word, "est", 2) {
                restored(word, n)
            } else {
                word
            }
        }
        _ => word,
    }
}

/// Derives the exception list from CoNLL-U text: for every (class, lowercased form) of a
/// verb, common noun or adjective, the most frequent gold lemma (ties: alphabetical), kept
/// when the rules produce something else. Output is sorted TSV, `class\tform\tlemma`.
pub fn derive_exceptions<'a>(conllu: impl IntoIterator<Item = &'a str>) -> String {
    // (class, form) -> (lemma -> count, tag -> count)
    type Counts = (BTreeMap<String, u32>, BTreeMap<Pos, u32>);
    let mut seen: BTreeMap<(Class, String), Counts> = BTreeMap::new();
    for text in conllu {
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 10 || !cols[0].bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let pos = Pos::from_penn(cols[4]);
            let Some(class) = Class::of(pos) else {
                continue;
            };
            let (form, lemma) = (normalize(cols[1]), normalize(cols[2]));
            if form.is_empty()
                || lemma.is_empty()
                || lemma == "_"
                || form.contains(char::is_whitespace)
            {
                continue;
            }
            let entry = seen.entry((class, form)).or_default();
            *entry.0.entry(lemma).or_default() += 1;
            *entry.1.entry(pos).or_default() += 1;
        }
    }
    let mut out = String::from(
        "# Lemma exceptions: class (V verb, N noun, A adjective), lowercased form, lemma.\n\
         # Generated by `tkg train-pos` (scripts/train_pos.sh) from UD English EWT and GUM; see data/pos/README.md. Do not edit.\n",
    );
    for ((class, form), (lemmas, tags)) in &seen {
        let Some((best, _)) = lemmas
            .iter()
            .max_by_key(|(l, n)| (**n, std::cmp::Reverse(*l)))
        else {
            continue;
        };
        let Some((&tag, _)) = tags
            .iter()
            .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)))
        else {
            continue;
        };
        if rule(form, tag) != *best {
            out.push_str(&format!("{}\t{form}\t{best}\n", class.letter()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lemmas_of_common_forms() {
        let cases = [
            ("said", Pos::VBD, "say"),
            ("went", Pos::VBD, "go"),
            ("rejected", Pos::VBD, "reject"),
            ("Rejected", Pos::VBN, "reject"),
            ("stopped", Pos::VBD, "stop"),
            ("tried", Pos::VBD, "try"),
            ("negotiating", Pos::VBG, "negotiate"),
            ("killing", Pos::VBG, "kill"),
            ("talks", Pos::NNS, "talk"),
            ("ceasefires", Pos::NNS, "ceasefire"),
            ("countries", Pos::NNS, "country"),
            ("children", Pos::NNS, "child"),
            ("is", Pos::VBZ, "be"),
            ("was", Pos::VBD, "be"),
            ("has", Pos::VBZ, "have"),
            ("announces", Pos::VBZ, "announce"),
            ("Hamas", Pos::NNP, "Hamas"),
            ("The", Pos::DT, "the"),
            ("larger", Pos::JJR, "large"),
            ("\u{2019}s", Pos::VBZ, "be"),
            ("", Pos::VBD, ""),
            ("\u{1F600}", Pos::NNS, "\u{1F600}"),
        ];
        for (word, pos, expected) in cases {
            assert_eq!(lemma(word, pos), expected, "{word}/{pos:?}");
        }
    }

    #[test]
    fn rules_for_unseen_words() {
        let cases = [
            ("zorbled", Pos::VBD, "zorble"),
            ("blicketed", Pos::VBN, "blicket"),
            ("frobbing", Pos::VBG, "frob"),
            ("wuggs", Pos::NNS, "wugg"),
            ("glasses", Pos::NNS, "glass"),
            ("thing", Pos::VBG, "thing"),
            ("upgraded", Pos::VBN, "upgrade"),
            ("cd's", Pos::NNS, "cd"),
            ("zorbies", Pos::NNS, "zorby"),
            ("blitches", Pos::NNS, "blitch"),
            ("fizzes", Pos::VBZ, "fizz"),
            ("wugs", Pos::VBZ, "wug"),
            ("blorpier", Pos::JJR, "blorpy"),
            ("blicker", Pos::JJR, "blick"),
            ("fluggiest", Pos::JJS, "fluggy"),
            ("slabbest", Pos::JJS, "slab"),
            ("zorbing", Pos::VBG, "zorb"),
            ("glorped", Pos::VBD, "glorp"),
            ("caf\u{e9}ed", Pos::VBD, "caf\u{e9}"),
            ("ed", Pos::VBD, "ed"),
            ("walks", Pos::NN, "walks"),
        ];
        for (word, pos, expected) in cases {
            assert_eq!(rule(word, pos), expected, "{word}/{pos:?}");
        }
    }

    #[test]
    fn derived_exceptions_are_sorted_and_only_what_rules_miss() {
        let conllu = "1\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_\n\
                      2\twalked\twalk\tVERB\tVBD\t_\t1\tconj\t_\t_\n\
                      3\tMice\tmouse\tNOUN\tNNS\t_\t1\tobj\t_\t_\n";
        let out = derive_exceptions([conllu]);
        let body: Vec<&str> = out.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(body, ["V\tsaid\tsay", "N\tmice\tmouse"]);
        let maps = parse_exceptions(&out);
        assert_eq!(
            maps[Class::Verb as usize].get("said").map(|s| &**s),
            Some("say")
        );
    }

    #[test]
    fn lemma_into_a_reused_buffer_gives_the_lemma() {
        // One buffer across words, as the event finders use it: nothing of an earlier
        // (longer) word may leak into the next lemma.
        let mut buf = String::from("leftover text");
        for (word, pos, want) in [
            ("said", Pos::VBD, "say"),
            ("Talks", Pos::NNS, "talk"),
            ("stopped", Pos::VBD, "stop"),
            ("Obama", Pos::NNP, "Obama"),
            ("THE", Pos::DT, "the"),
            ("tried", Pos::VBN, "try"),
            ("bigger", Pos::JJR, "big"),
            ("\u{00C9}LAN", Pos::NN, "\u{00E9}lan"),
            ("", Pos::VB, ""),
        ] {
            lemma_into(word, pos, &mut buf);
            assert_eq!(buf, want, "{word:?}/{pos:?}");
            assert_eq!(buf, lemma(word, pos), "{word:?}/{pos:?}");
        }
    }
}
