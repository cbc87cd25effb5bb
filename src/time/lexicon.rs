//! The temporal lexicon (`data/time/lexicon.txt`): month, weekday, number, unit, season,
//! holiday and reference words, parsed once.

use super::value::{Reference, Season, Unit};
use std::sync::OnceLock;

pub(crate) use crate::pos::{FxHashMap as HashMap, FxHashSet as HashSet};

/// How a holiday's date is computed for a given year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayRule {
    /// Same month and day every year.
    Fixed(u32, u32),
    /// The `n`th weekday of a month (`n = -1`: the last): month, ISO weekday, n.
    Nth(u32, u32, i32),
    /// Days after Easter Sunday.
    Easter(i64),
    /// Days after the first day of Passover.
    Passover(i64),
    /// The first day of Ramadan.
    Ramadan,
}

/// A part of the day: a TIMEX3 code or a clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayPart {
    /// `MO`, `AF`, `EV`, `NI`.
    Part(&'static str),
    /// Hours and minutes.
    At(u32, u32),
}

/// The parsed lexicon.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Month names.
    pub months: HashMap<&'static str, u32>,
    /// Weekday names (ISO numbers).
    pub weekdays: HashMap<&'static str, u32>,
    /// Cardinal words and phrases (phrases are space-separated).
    pub numbers: HashMap<&'static str, u32>,
    /// Ordinal words (-1 = last).
    pub ordinals: HashMap<&'static str, i32>,
    /// Vague amounts ("several"), as a phrase table.
    pub vague: HashMap<&'static str, ()>,
    /// Unit words: unit and how many of it ("fortnight" = 2 weeks).
    pub units: HashMap<&'static str, (u32, Unit)>,
    /// Season words.
    pub seasons: HashMap<&'static str, Season>,
    /// Parts of the day.
    pub dayparts: HashMap<&'static str, DayPart>,
    /// Decade words with the decade's first year ("nineties" = 1990).
    pub decades: HashMap<&'static str, i32>,
    /// Day words with their offset from the DCT.
    pub deictic: HashMap<&'static str, i64>,
    /// Reference words and phrases.
    pub refs: HashMap<&'static str, Reference>,
    /// Frequency adverbs: the period they repeat with.
    pub sets: HashMap<&'static str, (u32, Unit)>,
    /// Holiday names and phrases.
    pub holidays: HashMap<&'static str, HolidayRule>,
    /// Words pointing forward in time.
    pub future: HashSet<&'static str>,
    /// Words pointing backward in time.
    pub past: HashSet<&'static str>,
    /// Prepositions right before an expression that point it forward ("until Friday").
    pub prep_future: HashSet<&'static str>,
    /// Prepositions right before an expression that point it backward ("since March").
    pub prep_past: HashSet<&'static str>,
    /// Auxiliaries that put a participle or a plan in the past ("had been due", "was held").
    pub aux_past: HashSet<&'static str>,
    /// Words for "the same" period ("the corresponding period last year").
    pub same: HashSet<&'static str>,
    /// Phrases after a period that move it one year back ("a year ago", "last year").
    pub year_back: HashMap<&'static str, ()>,
    /// Forms of "be" a passive or progressive participle hangs on ("be held", "being").
    pub be: HashSet<&'static str>,
    /// Longest phrase (in words) in the phrase tables.
    pub max_phrase: usize,
    /// Every proper word-prefix of a multi-word entry ("the", "the near"): a phrase lookup
    /// stops as soon as its key is neither an entry nor such a prefix.
    pub prefixes: HashSet<String>,
    /// The first word of every entry: a word that may open an expression.
    pub first_words: HashSet<&'static str>,
}

/// The lexicon, parsed on first use.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| parse(include_str!("../../data/time/lexicon.txt")))
}

fn count_unit(code: &str) -> Option<(u32, Unit)> {
    let digits = code.chars().take_while(char::is_ascii_digit).count();
    let n = if digits == 0 {
        1
    } else {
        code[..digits].parse().ok()?
    };
    Some((n, Unit::from_code(&code[digits..])?))
}

fn holiday_rule(spec: &str) -> Option<HolidayRule> {
    let parts: Vec<&str> = spec.split_whitespace().collect();
    match parts.as_slice() {
        ["fixed", md] => {
            let (m, d) = md.split_once('-')?;
            Some(HolidayRule::Fixed(m.parse().ok()?, d.parse().ok()?))
        }
        ["nth", m, wd, n] => Some(HolidayRule::Nth(
            m.parse().ok()?,
            wd.parse().ok()?,
            n.parse().ok()?,
        )),
        ["easter", off] => Some(HolidayRule::Easter(off.parse().ok()?)),
        ["passover", off] => Some(HolidayRule::Passover(off.parse().ok()?)),
        ["ramadan"] => Some(HolidayRule::Ramadan),
        _ => None,
    }
}

fn daypart(spec: &'static str) -> Option<DayPart> {
    match spec.split_once(':') {
        Some((h, m)) => Some(DayPart::At(h.parse().ok()?, m.parse().ok()?)),
        None => Some(DayPart::Part(spec)),
    }
}

/// Parses the lexicon text; malformed lines are skipped (the unit tests check there are none).
fn parse(text: &'static str) -> Lexicon {
    let mut lex = Lexicon::default();
    let mut section = "";
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        let (key, val) = match line.split_once(" = ") {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (line, ""),
        };
        let parts: Vec<&'static str> = key.split(' ').collect();
        lex.max_phrase = lex.max_phrase.max(parts.len());
        for n in 1..parts.len() {
            lex.prefixes.insert(parts[..n].join(" "));
        }
        if !matches!(
            section,
            "future"
                | "past"
                | "prep-future"
                | "prep-past"
                | "aux-past"
                | "be"
                | "same"
                | "year-back"
        ) {
            lex.first_words.insert(parts[0]);
        }
        let ok = match section {
            "month" => val
                .parse()
                .ok()
                .map(|v| lex.months.insert(key, v))
                .is_some(),
            "weekday" => val
                .parse()
                .ok()
                .map(|v| lex.weekdays.insert(key, v))
                .is_some(),
            "number" => val
                .parse()
                .ok()
                .map(|v| lex.numbers.insert(key, v))
                .is_some(),
            "ordinal" => val
                .parse()
                .ok()
                .map(|v| lex.ordinals.insert(key, v))
                .is_some(),
            "vague" => lex.vague.insert(key, ()).is_none(),
            "unit" => count_unit(val).map(|v| lex.units.insert(key, v)).is_some(),
            "season" => Season::from_code(val)
                .map(|v| lex.seasons.insert(key, v))
                .is_some(),
            "daypart" => daypart(val).map(|v| lex.dayparts.insert(key, v)).is_some(),
            "decade" => val
                .parse()
                .ok()
                .map(|v| lex.decades.insert(key, v))
                .is_some(),
            "deictic" => val
                .parse()
                .ok()
                .map(|v| lex.deictic.insert(key, v))
                .is_some(),
            "ref" => Reference::from_code(val)
                .map(|v| lex.refs.insert(key, v))
                .is_some(),
            "set" => count_unit(val).map(|v| lex.sets.insert(key, v)).is_some(),
            "holiday" => holiday_rule(val)
                .map(|v| lex.holidays.insert(key, v))
                .is_some(),
            "future" => lex.future.insert(key),
            "past" => lex.past.insert(key),
            "prep-future" => lex.prep_future.insert(key),
            "prep-past" => lex.prep_past.insert(key),
            "aux-past" => lex.aux_past.insert(key),
            "be" => lex.be.insert(key),
            "same" => lex.same.insert(key),
            "year-back" => lex.year_back.insert(key, ()).is_none(),
            _ => false,
        };
        debug_assert!(ok, "bad lexicon line in [{section}]: {line}");
    }
    lex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_parses_every_section() {
        let lex = lexicon();
        assert_eq!(lex.months.get("sept"), Some(&9));
        assert_eq!(lex.weekdays.get("wednesday"), Some(&3));
        assert_eq!(lex.numbers.get("twenty"), Some(&20));
        assert_eq!(lex.ordinals.get("third"), Some(&3));
        assert_eq!(lex.units.get("decade"), Some(&(1, Unit::Decade)));
        assert_eq!(lex.units.get("fortnight"), Some(&(2, Unit::Week)));
        assert_eq!(lex.seasons.get("autumn"), Some(&Season::Fall));
        assert_eq!(lex.dayparts.get("noon"), Some(&DayPart::At(12, 0)));
        assert_eq!(lex.deictic.get("yesterday"), Some(&-1));
        assert_eq!(lex.refs.get("the future"), Some(&Reference::Future));
        assert_eq!(lex.sets.get("annually"), Some(&(1, Unit::Year)));
        assert_eq!(
            lex.holidays.get("thanksgiving"),
            Some(&HolidayRule::Nth(11, 4, 4))
        );
        assert!(lex.future.contains("will") && lex.past.contains("said"));
    }
}
