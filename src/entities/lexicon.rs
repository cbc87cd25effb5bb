//! The word lists entity recognition relies on: the derived place gazetteer
//! (`data/gazetteer/`) and the hand-written lists of `data/entities/`, parsed once.
//!
//! Multi-word keys are stored as their tokens joined by single spaces, tokenized by
//! [`crate::text::tokenize`], so a lookup joins the text's tokens the same way.

use crate::entities::EntityKind;
use std::sync::OnceLock;

pub(crate) use crate::pos::{FxHashMap as HashMap, FxHashSet as HashSet};

/// One known name: what it is, and the canonical name it stands for.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    /// Its kind.
    pub kind: EntityKind,
    /// Canonical name ("United States" for "U.S.").
    pub canonical: String,
    /// True for nationality adjectives ("Israeli"), which point to a place.
    pub adjective: bool,
}

/// What a title phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TitleClass {
    /// A form of address ("Mr.", "King"): stays with the name it precedes.
    Honorific,
    /// A job or office ("press secretary", "CEO").
    Role,
    /// A word that may precede a role ("deputy", "former").
    Modifier,
}

/// How a capitalized word that is not a name behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotName {
    /// Never starts or continues a name ("However", "The").
    Never,
    /// Weekdays and months: never start a name; continue one only after a given name.
    Date,
    /// Names nothing alone, may start a longer name ("Republican", "Central").
    Alone,
}

/// All lexicons, parsed once.
#[derive(Debug)]
pub(crate) struct Lexicon {
    /// Names (places, organizations, nationality adjectives) by their token-joined surface.
    pub names: HashMap<String, Known>,
    /// Longest name in tokens.
    pub max_name_tokens: usize,
    /// [`key_hash`] of every proper token-prefix of a multi-token name ("New" of "New
    /// York"): a lookup of ever longer keys stops once its key hashes to none of these.
    pub name_prefixes: HashSet<u64>,
    /// Common given names.
    pub first_names: HashSet<&'static str>,
    /// Frequent surnames.
    pub surnames: HashSet<&'static str>,
    /// Capitalized words that are not names.
    pub not_names: HashMap<&'static str, NotName>,
    /// Title phrases, lower case, token-joined.
    pub titles: HashMap<String, TitleClass>,
    /// Longest title in tokens.
    pub max_title_tokens: usize,
    /// Every proper token-prefix of a multi-token title ("press" of "press secretary"): a
    /// title lookup stops as soon as its key is neither a title nor such a prefix.
    pub title_prefixes: HashSet<String>,
    /// Last words that make a name an organization (lower case).
    pub org_suffix: HashSet<&'static str>,
    /// Words that make "X of Y" an organization (lower case).
    pub org_prefix: HashSet<&'static str>,
    /// Last words that make a name a place (lower case).
    pub loc_suffix: HashSet<&'static str>,
    /// Words that make "X of Y" a place (lower case).
    pub loc_prefix: HashSet<&'static str>,
    /// Last words of names that are no person, organization or place ("Games", "Index").
    pub other_suffix: HashSet<&'static str>,
    /// Whole names that are no person, organization or place ("Dow Jones"), token-joined.
    pub other_names: HashSet<String>,
}

/// Joins the tokens of `phrase` with single spaces, as lookups do.
pub(crate) fn token_key(phrase: &str) -> String {
    // Plain words (ASCII letters) between single spaces are one token each already.
    if phrase
        .split(' ')
        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return phrase.to_string();
    }
    let tokens = crate::text::tokenize(phrase);
    let mut key = String::with_capacity(phrase.len());
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(t.span.slice(phrase));
    }
    key
}

/// A hash of a lookup key for [`Lexicon::name_prefixes`] (a filter: two keys may share a
/// hash, which only makes a lookup go on one token longer).
pub(crate) fn key_hash(key: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::pos::FxHasher::default();
    h.write(key.as_bytes());
    h.finish()
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn data_lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Iterates `(section, line)` over a file with `[section]` headers.
fn sectioned(data: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    let mut section = "";
    data_lines(data).filter_map(move |l| {
        if l.starts_with('[') && l.ends_with(']') {
            section = &l[1..l.len() - 1];
            None
        } else {
            Some((section, l.trim()))
        }
    })
}

fn build() -> Lexicon {
    let mut names: HashMap<String, Known> = HashMap::default();
    let mut add = |surface: &str, kind: EntityKind, canonical: &str, adjective: bool| {
        let key = token_key(surface);
        // The first source to name a surface wins: hand-written lists come first.
        names.entry(key).or_insert_with(|| Known {
            kind,
            canonical: canonical.to_string(),
            adjective,
        });
    };
    for line in data_lines(include_str!("../../data/entities/organizations.tsv")) {
        if let Some((surface, canonical)) = line.split_once('\t') {
            add(surface, EntityKind::Organization, canonical, false);
        }
    }
    for line in data_lines(include_str!("../../data/entities/nationalities.tsv")) {
        if let Some((surface, canonical)) = line.split_once('\t') {
            add(surface, EntityKind::Location, canonical, true);
        }
    }
    let places = [
        include_str!("../../data/entities/places_extra.tsv"),
        include_str!("../../data/gazetteer/places.tsv"),
    ];
    for data in places {
        for line in data_lines(data) {
            let mut cols = line.split('\t');
            if let (Some(surface), Some(_category), Some(canonical)) =
                (cols.next(), cols.next(), cols.next())
            {
                add(surface, EntityKind::Location, canonical, false);
            }
        }
    }
    let max_name_tokens = names
        .keys()
        .map(|k| k.split(' ').count())
        .max()
        .unwrap_or(1);
    let name_prefixes = names
        .keys()
        .flat_map(|k| k.match_indices(' ').map(|(at, _)| key_hash(&k[..at])))
        .collect();

    let first_names = data_lines(include_str!("../../data/entities/first_names.txt"))
        .chain(data_lines(include_str!(
            "../../data/gazetteer/given_names.txt"
        )))
        .map(str::trim)
        .collect();
    let surnames = data_lines(include_str!("../../data/gazetteer/surnames.txt"))
        .map(str::trim)
        .collect();

    let mut not_names = HashMap::default();
    for (section, word) in sectioned(include_str!("../../data/entities/not_names.txt")) {
        let class = match section {
            "date" => NotName::Date,
            "alone" => NotName::Alone,
            _ => NotName::Never,
        };
        not_names.insert(word, class);
    }

    let mut titles = HashMap::default();
    for (section, phrase) in sectioned(include_str!("../../data/entities/titles.txt")) {
        let class = match section {
            "honorific" => TitleClass::Honorific,
            "modifier" => TitleClass::Modifier,
            _ => TitleClass::Role,
        };
        // Tokenize the capitalized form, as titles appear before names ("Gen.", "Mr.").
        let capitalized: Vec<String> = phrase.split(' ').map(capitalize).collect();
        let key = token_key(&capitalized.join(" ")).to_lowercase();
        // A word listed as both a role and a modifier ("chief", "deputy") is a role.
        let entry = titles.entry(key).or_insert(class);
        if class == TitleClass::Role {
            *entry = class;
        }
    }
    let max_title_tokens = titles
        .keys()
        .map(|k| k.split(' ').count())
        .max()
        .unwrap_or(1);
    let title_prefixes = titles
        .keys()
        .flat_map(|k| k.match_indices(' ').map(|(at, _)| k[..at].to_string()))
        .collect();

    let mut org_suffix = HashSet::default();
    let mut org_prefix = HashSet::default();
    let mut other_suffix = HashSet::default();
    for (section, word) in sectioned(include_str!("../../data/entities/org_cues.txt")) {
        match section {
            "prefix" => org_prefix.insert(word),
            "not_entity" => other_suffix.insert(word),
            _ => org_suffix.insert(word),
        };
    }
    let mut loc_suffix = HashSet::default();
    let mut loc_prefix = HashSet::default();
    for (section, word) in sectioned(include_str!("../../data/entities/loc_cues.txt")) {
        if section == "prefix" {
            loc_prefix.insert(word)
        } else {
            loc_suffix.insert(word)
        };
    }
    Lexicon {
        names,
        max_name_tokens,
        name_prefixes,
        first_names,
        surnames,
        not_names,
        titles,
        max_title_tokens,
        title_prefixes,
        org_suffix,
        org_prefix,
        loc_suffix,
        loc_prefix,
        other_suffix,
        other_names: data_lines(include_str!("../../data/entities/other_names.txt"))
            .map(|l| token_key(l.trim()))
            .collect(),
    }
}

/// The lexicons, parsed on first use.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicons_parse_and_answer() {
        let lex = lexicon();
        let cases: &[(&str, EntityKind, &str)] = &[
            ("Israel", EntityKind::Location, "Israel"),
            ("Israeli", EntityKind::Location, "Israel"),
            ("U.S.", EntityKind::Location, "United States"),
            ("Middle East", EntityKind::Location, "Middle East"),
            ("Paris", EntityKind::Location, "Paris"),
            ("California", EntityKind::Location, "California"),
            ("NATO", EntityKind::Organization, "NATO"),
        ];
        for (surface, kind, canonical) in cases {
            let known = lex
                .names
                .get(&token_key(surface))
                .unwrap_or_else(|| panic!("{surface}"));
            assert_eq!(
                (known.kind, known.canonical.as_str()),
                (*kind, *canonical),
                "{surface}"
            );
        }
        assert!(lex.first_names.contains("John") && lex.first_names.contains("Madeleine"));
        assert!(lex.surnames.contains("Smith") && lex.surnames.contains("McDonald"));
        assert_eq!(lex.not_names.get("However"), Some(&NotName::Never));
        assert_eq!(lex.titles.get("press secretary"), Some(&TitleClass::Role));
        assert_eq!(lex.titles.get("mr."), Some(&TitleClass::Honorific));
        assert!(lex.org_suffix.contains("council") && lex.loc_suffix.contains("airport"));
    }

    #[test]
    fn every_proper_prefix_of_a_name_is_in_the_prefix_filter() {
        let lex = lexicon();
        for key in lex.names.keys() {
            let words: Vec<&str> = key.split(' ').collect();
            for n in 1..words.len() {
                let prefix = words[..n].join(" ");
                assert!(
                    lex.name_prefixes.contains(&key_hash(&prefix)),
                    "{prefix:?} of {key:?}"
                );
            }
        }
        for key in lex.titles.keys() {
            let words: Vec<&str> = key.split(' ').collect();
            for n in 1..words.len() {
                assert!(
                    lex.title_prefixes.contains(&words[..n].join(" ")),
                    "{key:?}"
                );
            }
        }
    }

    #[test]
    fn token_keys_join_tokens_with_single_spaces() {
        let cases = [
            ("New York", "New York"),
            ("U.S.", "U.S."),
            ("Procter & Gamble", "Procter & Gamble"),
            ("AT&T", "AT & T"),
            ("McDonald's", "McDonald 's"),
            ("Al-Qaeda", "Al-Qaeda"),
            ("St. Louis", "St. Louis"),
            ("New  York", "New York"),
            (" Paris", "Paris"),
            ("Airbus A380", "Airbus A380"),
            ("", ""),
        ];
        for (phrase, key) in cases {
            assert_eq!(token_key(phrase), key, "{phrase:?}");
        }
    }
}
