//! Recognition: a small hand-written grammar over lexicon classes that turns a run of words
//! into an [`Expr`], a typed, still unanchored reading ("last Saturday" = the weekday 6,
//! one back). Anchoring against the DCT happens in `resolve`.
//!
//! The grammar works on [`Word`]s, tokens split at inner hyphens ("six-week" = "six" "week",
//! joined), so adjectival forms and their spaced forms share one rule.

use super::lexicon::{lexicon, DayPart, HolidayRule, Lexicon};
use super::value::{Clock, Duration, Granularity, Reference, Season, Unit};
use crate::pos::FxHashSet;
use crate::text::{Token, TokenKind};
use std::borrow::Cow;
use std::sync::OnceLock;

/// One word of the document, as the grammar sees it.
#[derive(Debug, Clone)]
pub struct Word<'t> {
    /// Lower-cased text, a final period dropped ("Sept." -> "sept"), curly apostrophes made
    /// straight; borrowed from the text when that changes nothing.
    pub lower: Cow<'t, str>,
    /// The original text.
    pub surface: &'t str,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// True when joined to the previous word by a hyphen with no space ("six-week").
    pub hyphen: bool,
    /// True when the word is all digits (possibly with separators or a suffix).
    pub number: bool,
}

/// Splits tokens into grammar words.
pub fn words<'t>(text: &'t str, tokens: &[Token]) -> Vec<Word<'t>> {
    let mut out: Vec<Word<'t>> = Vec::with_capacity(tokens.len());
    let mut join_next = false;
    for (k, tok) in tokens.iter().enumerate() {
        let surface = tok.span.slice(text);
        if surface == "-" || surface == "\u{2010}" || surface == "\u{2011}" {
            let tight_left = k > 0 && tokens[k - 1].span.end == tok.span.start;
            let tight_right = tokens
                .get(k + 1)
                .is_some_and(|n| n.span.start == tok.span.end);
            if tight_left && tight_right {
                join_next = true;
                continue;
            }
        }
        let mut push = |start: usize, end: usize, hyphen: bool| {
            let s = &text[start..end];
            let mut lower = crate::text::lowercase(s);
            if lower.contains('\u{2019}') {
                lower = Cow::Owned(lower.replace('\u{2019}', "'"));
            }
            if lower.len() > 1 && lower.ends_with('.') {
                lower = match lower {
                    Cow::Borrowed(l) => Cow::Borrowed(&l[..l.len() - 1]),
                    Cow::Owned(mut l) => {
                        l.pop();
                        Cow::Owned(l)
                    }
                };
            }
            // ASCII only, so that byte slicing inside a number is always on a char boundary
            let number = s.chars().next().is_some_and(|c| c.is_ascii_digit()) && s.is_ascii();
            out.push(Word {
                lower,
                surface: s,
                start,
                end,
                hyphen,
                number,
            });
        };
        // Year ranges split like hyphenated words: "2001-2005", "2012-13".
        let year_range = tok.kind == TokenKind::Number
            && surface.len() > 5
            && surface.as_bytes()[4] == b'-'
            && surface.bytes().filter(|&b| b == b'-').count() == 1
            && surface.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        if (tok.kind == TokenKind::Word || year_range) && surface.contains('-') && surface.len() > 1
        {
            let mut offset = tok.span.start;
            for (n, part) in surface.split('-').enumerate() {
                if !part.is_empty() {
                    push(offset, offset + part.len(), n > 0);
                }
                offset += part.len() + 1;
            }
        } else {
            push(tok.span.start, tok.span.end, join_next);
        }
        join_next = false;
    }
    out
}

/// The number written by the digits of `s` with its commas left out, as
/// `s.replace(',', "").parse::<u32>()` reads a string of ASCII digits and commas (None when
/// there is no digit or it overflows; None for any other character, where `parse` would
/// take a sign), without building the string: the grammar asks this of every number word.
fn digits_value(s: &str) -> Option<u32> {
    let mut value: Option<u32> = None;
    for b in s.bytes() {
        match b {
            b',' => {}
            b'0'..=b'9' => {
                let d = u32::from(b - b'0');
                value = Some(value.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
            }
            _ => return None,
        }
    }
    value
}

/// Which way a relative expression points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    /// No modifier: the sentence's tense decides ("on Monday").
    Bare,
    /// "this": the current one.
    This,
    /// "last", "past", "previous".
    Last,
    /// "next", "coming", "following".
    Next,
}

/// What part of a year an expression names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearPart {
    /// The whole year.
    Whole,
    /// A month.
    Month(u32),
    /// A day of a month.
    MonthDay(u32, u32),
    /// A quarter (1-4).
    Quarter(u32),
    /// A half (1-2).
    Half(u32),
    /// A season.
    Season(Season),
    /// A holiday.
    Holiday(HolidayRule),
}

/// Which year a [`YearPart`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSpec {
    /// Written in the text.
    Explicit(i32),
    /// The DCT's year plus an offset ("last year's third quarter" = -1).
    Shift(i32),
    /// Not given: nearest to the DCT, by tense.
    Near(Rel),
}

/// An unanchored reading of a temporal expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expr {
    /// A part of a year ("March 5, 2025", "the third quarter", "last summer", "Christmas").
    InYear(YearPart, YearSpec),
    /// A decade by its first year ("the 1990s").
    Decade(i32),
    /// A century by its first year ("the 20th century").
    Century(i32),
    /// Days from the DCT ("yesterday" = -1).
    Deictic(i64),
    /// A weekday (ISO number), pointed by a modifier or the tense.
    Weekday(u32, Rel),
    /// The DCT's period of a granularity, shifted ("last week" = Week, -1).
    Relative(Granularity, i32),
    /// The DCT moved by a duration ("two weeks ago" = -2W); `None` amounts are vague.
    Offset(Duration, i32),
    /// The period of a granularity around the last date the text mentioned, shifted
    /// ("the next day" = Day, +1; "that year" = Year, 0).
    Anaphoric(Granularity, i32),
    /// The most recent completed quarter shifted by years ("the latest quarter" = 0,
    /// "the year-ago quarter" = -1).
    ReportQuarter(i32),
    /// A time of day on a day (the day None: the DCT's day).
    Time(Option<DayExpr>, Clock),
    /// A length of time.
    Duration(Duration),
    /// A recurrence of a duration ("every week").
    Every(Duration),
    /// A recurring weekday, optionally at a part of the day ("each Thursday", "Tuesday nights").
    EveryWeekday(u32, Option<Clock>),
    /// The period the text last named (of a granularity, or its own when None), one year
    /// back ("the same month a year ago", "the same period last year").
    YearBefore(Option<Granularity>),
    /// A reference token.
    Ref(Reference),
}

/// The day part of a time expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayExpr {
    /// "yesterday", "today".
    Deictic(i64),
    /// "Wednesday".
    Weekday(u32, Rel),
    /// "March 5".
    MonthDay(u32, u32, YearSpec),
    /// The day the text last named ("in the morning"), else the DCT's.
    Named,
}

/// A recognized expression: word range and reading.
#[derive(Debug, Clone, Copy)]
pub struct Match {
    /// First word.
    pub start: usize,
    /// One past the last word.
    pub end: usize,
    /// The reading.
    pub expr: Expr,
    /// The name of the rule that produced it.
    pub rule: &'static str,
}

/// Words that may precede a bare season or month to make it temporal.
const TEMPORAL_PREPS: &[&str] = &[
    "in",
    "during",
    "since",
    "until",
    "till",
    "by",
    "through",
    "throughout",
    "before",
    "after",
    "from",
    "to",
    "of",
    "this",
    "last",
    "next",
    "early",
    "late",
    "mid",
    "until",
    "between",
    "and",
    "or",
    "around",
];

/// Words before a bare season that make it a season ("in fall", not "to fall").
const SEASON_PREPS: &[&str] = &[
    "in",
    "during",
    "since",
    "until",
    "till",
    "by",
    "through",
    "throughout",
    "this",
    "last",
    "next",
    "early",
    "late",
    "mid",
    "over",
    "into",
];

/// Approximators TimeML keeps inside the span.
const APPROX: &[&[&str]] = &[
    &["about"],
    &["around"],
    &["approximately"],
    &["nearly"],
    &["almost"],
    &["roughly"],
    &["some"],
    &["more", "than"],
    &["less", "than"],
    &["fewer", "than"],
    &["at", "least"],
    &["at", "most"],
    &["up", "to"],
    &["just"],
    &["only"],
    &["another"],
    &["barely"],
];

/// Grammar words (beyond the lexicon's entries) that may open an expression.
const STARTERS: &[&str] = &[
    "the",
    "this",
    "that",
    "last",
    "next",
    "past",
    "coming",
    "previous",
    "current",
    "following",
    "early",
    "late",
    "mid",
    "earlier",
    "later",
    "middle",
    "every",
    "each",
    "per",
    "fiscal",
    "year",
    "latest",
    "recent",
    "most",
    "tonight",
    "half",
    "about",
    "around",
    "approximately",
    "nearly",
    "almost",
    "roughly",
    "some",
    "more",
    "less",
    "fewer",
    "at",
    "up",
    "just",
    "only",
    "another",
    "barely",
    "final",
    "remaining",
    "initial",
    "further",
    "additional",
    "same",
    "end",
    "beginning",
    "start",
    "turn",
    "close",
    "rest",
    "remainder",
];

/// Every word that may open an expression: [`STARTERS`] and the first word of every
/// lexicon entry, as one set.
fn starters() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set: FxHashSet<&'static str> = STARTERS.iter().copied().collect();
        set.extend(lexicon().first_words.iter().copied());
        set
    })
}

/// Position modifiers TimeML keeps inside the span ("early next year", "late Tuesday").
const POSITION: &[&str] = &["early", "late", "mid", "earlier", "later", "middle"];

/// The grammar over one document's words.
pub struct Grammar<'a, 't> {
    w: &'a [Word<'t>],
    lex: &'static Lexicon,
    /// [`Grammar::month`] and [`Grammar::weekday`] of each word once asked (rules ask
    /// them of the same words again and again).
    months: Memo,
    weekdays: Memo,
    /// The buffer [`Grammar::phrase`] joins multi-word keys in, kept between calls: every
    /// rule probes phrase tables at every word, and a fresh key string grew 2-3 times each.
    phrase_key: std::cell::RefCell<String>,
}

/// Per word, a computed `Option<u32>`: 0 not yet computed, 1 `None`, `v + 2` `Some(v)`.
struct Memo(Vec<std::cell::Cell<u32>>);

impl Memo {
    fn new(n: usize) -> Memo {
        Memo(vec![std::cell::Cell::new(0); n])
    }

    /// The value for word `i`, computed by `f` the first time.
    fn get(&self, i: usize, f: impl FnOnce() -> Option<u32>) -> Option<u32> {
        let Some(cell) = self.0.get(i) else {
            return f();
        };
        match cell.get() {
            0 => {
                let v = f();
                // Values too large to code (none in the lexicon) are not memoized.
                if let Some(code) = v.map_or(Some(1), |v| v.checked_add(2)) {
                    cell.set(code);
                }
                v
            }
            1 => None,
            code => Some(code - 2),
        }
    }
}

impl<'a, 't> Grammar<'a, 't> {
    /// A grammar over `words`.
    pub fn new(words: &'a [Word<'t>]) -> Self {
        Grammar {
            w: words,
            lex: lexicon(),
            months: Memo::new(words.len()),
            weekdays: Memo::new(words.len()),
            phrase_key: std::cell::RefCell::new(String::new()),
        }
    }

    fn at(&self, i: usize) -> &str {
        self.w.get(i).map_or("", |w| w.lower.as_ref())
    }

    fn is(&self, i: usize, s: &str) -> bool {
        self.at(i) == s
    }

    fn any(&self, i: usize, set: &[&str]) -> bool {
        set.contains(&self.at(i))
    }

    /// True when word `i` follows word `i-1` inside one hyphenated token.
    fn joined(&self, i: usize) -> bool {
        self.w.get(i).is_some_and(|w| w.hyphen)
    }

    fn capitalized(&self, i: usize) -> bool {
        self.w
            .get(i)
            .is_some_and(|w| w.surface.chars().next().is_some_and(char::is_uppercase))
    }

    /// Longest phrase of a table starting at `i`: its end and value.
    fn phrase<V: Copy>(
        &self,
        i: usize,
        table: &super::lexicon::HashMap<&'static str, V>,
    ) -> Option<(usize, V)> {
        // The key of words `[i, i + n]`, built only when a phrase is longer than one word.
        // Nothing below calls back into the grammar, so the borrow cannot be taken twice;
        // should that change, a fresh string keeps it correct.
        let mut held = self.phrase_key.try_borrow_mut();
        let mut fresh = String::new();
        let key = match held.as_deref_mut() {
            Ok(k) => k,
            Err(_) => &mut fresh,
        };
        key.clear();
        let mut best = None;
        for n in 0..self.lex.max_phrase {
            let Some(w) = self.w.get(i + n) else { break };
            let phrase = if n == 0 {
                w.lower.as_ref()
            } else {
                if n == 1 {
                    key.push_str(&self.w[i].lower);
                }
                key.push(' ');
                key.push_str(&w.lower);
                key.as_str()
            };
            if let Some(&v) = table.get(phrase) {
                best = Some((i + n + 1, v));
            }
            if !self.lex.prefixes.contains(phrase) {
                break;
            }
        }
        best
    }

    /// False when no rule can start at word `i`: a cheap filter before the full grammar.
    pub fn may_start(&self, i: usize) -> bool {
        let Some(w) = self.w.get(i) else { return false };
        let lower = w.lower.as_ref();
        w.number
            || starters().contains(lower)
            || lower.starts_with('\'')
            || lower.starts_with('\u{2018}')
    }

    /// A plain integer word ("1,000" -> 1000); None for anything else.
    fn int(&self, i: usize) -> Option<u32> {
        let w = self.w.get(i)?;
        if !w.number || !w.lower.chars().all(|c| c.is_ascii_digit() || c == ',') {
            return None;
        }
        digits_value(&w.lower)
    }

    /// A day of the month: "5", "5th", "21st".
    fn day_number(&self, i: usize) -> Option<u32> {
        let w = self.w.get(i)?;
        if !w.number {
            return None;
        }
        let digits = w.lower.bytes().take_while(u8::is_ascii_digit).count();
        let (digits, rest) = w.lower.split_at(digits);
        if !matches!(rest, "" | "st" | "nd" | "rd" | "th") || digits.len() > 2 {
            return None;
        }
        digits.parse().ok().filter(|d| (1..=31).contains(d))
    }

    /// A four-digit year written in digits.
    fn year_number(&self, i: usize) -> Option<i32> {
        let w = self.w.get(i)?;
        if !w.number || w.lower.len() != 4 || !w.lower.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        w.lower.parse().ok().filter(|y| (1000..=2999).contains(y))
    }

    /// A month name at `i` (abbreviations only with their period or before a number;
    /// "May" and "March" only capitalized).
    fn month(&self, i: usize) -> Option<u32> {
        self.months.get(i, || self.month_uncached(i))
    }

    fn month_uncached(&self, i: usize) -> Option<u32> {
        let w = self.w.get(i)?;
        let &m = self.lex.months.get(w.lower.as_ref())?;
        if !self.capitalized(i) {
            return None;
        }
        let full = w.lower.len() > 3 || w.lower == "may";
        let abbreviated_ok =
            w.surface.ends_with('.') || self.w.get(i + 1).is_some_and(|n| n.number);
        (full || abbreviated_ok).then_some(m)
    }

    /// A weekday name at `i`.
    fn weekday(&self, i: usize) -> Option<u32> {
        self.weekdays.get(i, || self.weekday_uncached(i))
    }

    fn weekday_uncached(&self, i: usize) -> Option<u32> {
        let w = self.w.get(i)?;
        let &d = self.lex.weekdays.get(w.lower.as_ref())?;
        if w.lower.len() <= 5 && !w.surface.ends_with('.') && !w.lower.ends_with("day") {
            return None;
        }
        self.capitalized(i).then_some(d)
    }

    /// A cardinal amount at `i`: its end, value (None: vague) and whether a half is added.
    fn amount(&self, i: usize) -> Option<(usize, Option<u32>, bool)> {
        let lex = self.lex;
        if self.is(i, "half") && self.any(i + 1, &["a", "an"]) {
            return Some((i + 2, Some(0), true));
        }
        if let Some((e, ())) = self.phrase(i, &lex.vague) {
            return Some((e, None, false));
        }
        let (mut e, mut v) = if let Some(n) = self.int(i) {
            if self.is(i + 1, "1/2") {
                return Some((i + 2, Some(n), true));
            }
            (i + 1, n)
        } else if let Some(w) = self.w.get(i).filter(|w| w.number) {
            // "1.5"
            let (a, b) = w.lower.split_once('.')?;
            let a: u32 = a.parse().ok()?;
            return (b == "5").then_some((i + 1, Some(a), true));
        } else {
            let (mut e, mut v) = self.phrase(i, &lex.numbers)?;
            // "twenty four", "twenty-four", "one hundred"
            if (20..100).contains(&v) && v % 10 == 0 {
                if let Some(&u) = lex.numbers.get(self.at(e)).filter(|&&u| u < 10 && u > 0) {
                    if !matches!(self.at(e), "a" | "an") {
                        v += u;
                        e += 1;
                    }
                }
            }
            (e, v)
        };
        if self.is(e, "hundred") && v < 100 {
            v *= 100;
            e += 1;
        }
        // ranges: "two to three weeks", "12 to 18 months": the lower bound is kept
        if self.any(e, &["to", "or"])
            && (self.int(e + 1).is_some() || lex.numbers.contains_key(self.at(e + 1)))
            && !self.any(e + 1, &["a", "an"])
        {
            e += 2;
        }
        Some((e, Some(v), false))
    }

    /// A unit word at `i`: end, count per word and unit.
    fn unit(&self, i: usize) -> Option<(u32, Unit, bool)> {
        let w = self.at(i);
        let &(n, u) = self.lex.units.get(w)?;
        let plural = w.ends_with('s') && w != "s";
        Some((n, u, plural))
    }

    /// `AMOUNT UNIT ["and a half"]` as a duration; end index.
    fn duration(&self, i: usize) -> Option<(usize, Duration)> {
        let (mut e, amount, half) = self.amount(i)?;
        // "five trading days", "two consecutive quarters", "20 more years"
        if self.any(
            e,
            &[
                "trading",
                "business",
                "working",
                "calendar",
                "consecutive",
                "straight",
                "more",
                "additional",
                "full",
                "long",
            ],
        ) && self.unit(e + 1).is_some()
        {
            e += 1;
        }
        let (per, unit, plural) = self.unit(e)?;
        // "a days" is not a duration, "three-quarters" a fraction, "a second" an ordinal
        if (amount == Some(1) && plural && self.any(i, &["a", "an"]))
            || (plural && self.joined(e))
            || (self.any(i, &["a", "an"]) && self.is(e, "second"))
        {
            return None;
        }
        let mut end = e + 1;
        let mut half = half;
        if self.is(end, "and") && self.is(end + 1, "a") && self.is(end + 2, "half") {
            half = true;
            end += 3;
        }
        let amount = amount.map(|a| a.saturating_mul(per));
        Some((end, Duration { amount, unit, half }))
    }

    /// Every match starting at word `i`, longest first by the caller.
    pub fn parse_at(&self, i: usize) -> Option<Match> {
        // Approximators ("about", "nearly") belong to the span of what follows.
        let mut core = i;
        for a in APPROX {
            if a.iter().enumerate().all(|(k, w)| self.is(i + k, w)) {
                core = i + a.len();
                break;
            }
        }
        let mut m = self.parse_core(core)?;
        if core > i {
            let wants_approx = matches!(m.expr, Expr::Duration(_) | Expr::Offset(..));
            if !wants_approx {
                return None;
            }
            m.start = i;
        }
        Some(m)
    }

    fn parse_core(&self, i: usize) -> Option<Match> {
        let mut best: Option<Match> = None;
        let mut consider = |m: Option<Match>| {
            if let Some(m) = m {
                if best.as_ref().is_none_or(|b| m.end > b.end) {
                    best = Some(m);
                }
            }
        };
        consider(self.wrapped(i));
        consider(self.year_before(i));
        consider(self.positioned(i));
        consider(self.refs(i));
        consider(self.sets(i));
        consider(self.holiday(i));
        consider(self.calendar_date(i));
        consider(self.years(i));
        consider(self.quarters(i));
        consider(self.relative(i));
        consider(self.amounts(i));
        consider(self.days_and_times(i));
        consider(self.iso(i));
        best
    }

    /// "the end of 1990", "the middle of October", "the beginning of next year".
    fn wrapped(&self, i: usize) -> Option<Match> {
        let mut k = i;
        if self.is(k, "the") {
            k += 1;
        }
        if !self.any(
            k,
            &[
                "end",
                "beginning",
                "start",
                "middle",
                "turn",
                "close",
                "rest",
                "remainder",
                "spring",
                "summer",
                "fall",
                "autumn",
                "winter",
            ],
        ) || !self.is(k + 1, "of")
        {
            return None;
        }
        let inner = self.parse_core(k + 2)?;
        if let Some(&season) = self.lex.seasons.get(self.at(k)) {
            // "the winter of 1994"
            if let Expr::InYear(YearPart::Whole, spec) = inner.expr {
                return Some(Match {
                    start: i,
                    end: inner.end,
                    expr: Expr::InYear(YearPart::Season(season), spec),
                    rule: "season-of-year",
                });
            }
            return None;
        }
        match inner.expr {
            Expr::InYear(..)
            | Expr::Relative(..)
            | Expr::Decade(_)
            | Expr::Century(_)
            | Expr::Weekday(..) => Some(Match {
                start: i,
                end: inner.end,
                rule: "mod-of",
                ..inner
            }),
            _ => None,
        }
    }

    /// "early next year", "late Tuesday", "mid-1990s", "earlier this month".
    fn positioned(&self, i: usize) -> Option<Match> {
        let mut k = i;
        if self.is(k, "the") {
            k += 1;
        }
        if !self.any(k, POSITION) {
            return None;
        }
        let inner = self.parse_core(k + 1)?;
        match inner.expr {
            Expr::InYear(..)
            | Expr::Relative(..)
            | Expr::Anaphoric(..)
            | Expr::Decade(_)
            | Expr::Century(_)
            | Expr::Weekday(..)
            | Expr::Deictic(_)
            | Expr::Time(..) => Some(Match {
                start: i,
                end: inner.end,
                rule: "position-mod",
                ..inner
            }),
            _ => None,
        }
    }

    fn refs(&self, i: usize) -> Option<Match> {
        let (end, r) = self.phrase(i, &self.lex.refs)?;
        // "the long-term outlook": a hyphenated compound is an adjective, not a reference
        if (i + 1..end).any(|k| self.joined(k)) || self.joined(end) {
            return None;
        }
        // "recent"/"current"/"future" as adjectives of a time unit are handled by `relative`.
        if self.unit(end).is_some() && self.any(end - 1, &["recent", "current", "future", "past"]) {
            return None;
        }
        // "now" as a discourse particle after a comma is still PRESENT_REF in TimeBank.
        Some(Match {
            start: i,
            end,
            expr: Expr::Ref(r),
            rule: "reference-word",
        })
    }

    fn sets(&self, i: usize) -> Option<Match> {
        if let Some((end, (n, u))) = self.phrase(i, &self.lex.sets) {
            let d = Duration {
                amount: Some(n),
                unit: u,
                half: false,
            };
            return Some(Match {
                start: i,
                end,
                expr: Expr::Every(d),
                rule: "frequency-adverb",
            });
        }
        if self.any(i, &["every", "each", "per"]) {
            let mut k = i + 1;
            if self.is(k, "other") {
                k += 1;
            }
            if let Some(d) = self.weekday(k) {
                return Some(Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::EveryWeekday(d, None),
                    rule: "every-weekday",
                });
            }
            if let Some((end, d)) = self.duration(k) {
                return Some(Match {
                    start: i,
                    end,
                    expr: Expr::Every(d),
                    rule: "every-duration",
                });
            }
            if let Some((n, unit, false)) = self.unit(k) {
                let amount = Some(if k > i + 1 { 2 * n } else { n });
                return Some(Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::Every(Duration {
                        amount,
                        unit,
                        half: false,
                    }),
                    rule: "every-unit",
                });
            }
        }
        // "Tuesday nights"
        if let Some(d) = self.weekday(i) {
            if let Some(DayPart::Part(p)) = self
                .lex
                .dayparts
                .get(self.at(i + 1).trim_end_matches('s'))
                .copied()
            {
                if self.at(i + 1).ends_with('s') {
                    return Some(Match {
                        start: i,
                        end: i + 2,
                        expr: Expr::EveryWeekday(d, Some(Clock::Part(p))),
                        rule: "plural-weekday-part",
                    });
                }
            }
        }
        None
    }

    fn holiday(&self, i: usize) -> Option<Match> {
        let mut k = i;
        let mut rel = Rel::Bare;
        match self.at(k) {
            "last" | "past" => (rel, k) = (Rel::Last, k + 1),
            "next" | "coming" => (rel, k) = (Rel::Next, k + 1),
            "this" => (rel, k) = (Rel::This, k + 1),
            _ => {}
        }
        if !self.capitalized(k) {
            return None;
        }
        let (mut end, rule) = self.phrase(k, &self.lex.holidays)?;
        let mut spec = YearSpec::Near(rel);
        if let Some(y) = self.year_number(end) {
            spec = YearSpec::Explicit(y);
            end += 1;
        }
        Some(Match {
            start: i,
            end,
            expr: Expr::InYear(YearPart::Holiday(rule), spec),
            rule: "holiday",
        })
    }

    /// An optional ", YEAR" or " YEAR" after a month or a month and day.
    fn year_after(&self, i: usize) -> Option<(usize, i32)> {
        if let Some(y) = self.year_number(i) {
            return Some((i + 1, y));
        }
        if self.is(i, ",") {
            if let Some(y) = self.year_number(i + 1) {
                return Some((i + 2, y));
            }
        }
        if self.is(i, "of") {
            if let Some(y) = self.year_number(i + 1) {
                return Some((i + 2, y));
            }
        }
        None
    }

    /// "March 5, 2025", "5 March 2025", "March 2025", "Friday, Oct. 13", "the 5th of March".
    fn calendar_date(&self, i: usize) -> Option<Match> {
        let mut k = i;
        // optional weekday prefix: "Friday, Oct. 13"
        if self.weekday(k).is_some() {
            let mut j = k + 1;
            if self.is(j, ",") {
                j += 1;
            }
            if self.month(j).is_some() && self.day_number(j + 1).is_some() {
                k = j;
            }
        }
        if self.is(k, "the")
            && self.day_number(k + 1).is_some()
            && self.is(k + 2, "of")
            && self.month(k + 3).is_some()
        {
            let d = self.day_number(k + 1)?;
            let m = self.month(k + 3)?;
            let (end, spec) = self
                .year_after(k + 4)
                .map_or((k + 4, YearSpec::Near(Rel::Bare)), |(e, y)| {
                    (e, YearSpec::Explicit(y))
                });
            return Some(Match {
                start: i,
                end,
                expr: Expr::InYear(YearPart::MonthDay(m, d), spec),
                rule: "the-day-of-month",
            });
        }
        if let Some(m) = self.month(k) {
            if let Some(d) = self.day_number(k + 1).filter(|_| !self.joined(k + 1)) {
                // "March 5" (not "March 5,000")
                let (end, spec) = self
                    .year_after(k + 2)
                    .map_or((k + 2, YearSpec::Near(Rel::Bare)), |(e, y)| {
                        (e, YearSpec::Explicit(y))
                    });
                return Some(Match {
                    start: i,
                    end,
                    expr: Expr::InYear(YearPart::MonthDay(m, d), spec),
                    rule: "month-day",
                });
            }
            if let Some((end, y)) = self.year_after(k + 1) {
                return Some(Match {
                    start: i,
                    end,
                    expr: Expr::InYear(YearPart::Month(m), YearSpec::Explicit(y)),
                    rule: "month-year",
                });
            }
            // "January this year", "June last year"
            if self.any(k + 1, &["this", "last", "next"]) && self.is(k + 2, "year") {
                let shift = match self.at(k + 1) {
                    "last" => -1,
                    "next" => 1,
                    _ => 0,
                };
                return Some(Match {
                    start: i,
                    end: k + 3,
                    expr: Expr::InYear(YearPart::Month(m), YearSpec::Shift(shift)),
                    rule: "month-rel-year",
                });
            }
            // bare month: "in March"; "May" needs a temporal word before it
            let cue_before = i > 0 && self.any(i - 1, TEMPORAL_PREPS);
            if k == i
                && (self.at(k) != "may" || cue_before)
                && (self.at(k) != "march" || cue_before)
            {
                return Some(Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::InYear(YearPart::Month(m), YearSpec::Near(Rel::Bare)),
                    rule: "month",
                });
            }
            return None;
        }
        if let Some(d) = self.day_number(k) {
            if let Some(m) = self.month(k + 1) {
                let (end, spec) = self
                    .year_after(k + 2)
                    .map_or((k + 2, YearSpec::Near(Rel::Bare)), |(e, y)| {
                        (e, YearSpec::Explicit(y))
                    });
                return Some(Match {
                    start: i,
                    end,
                    expr: Expr::InYear(YearPart::MonthDay(m, d), spec),
                    rule: "day-month",
                });
            }
        }
        None
    }

    /// "1998", "fiscal 1989", "the 1990s", "the '90s", "the 20th century", "the year 2000".
    fn years(&self, i: usize) -> Option<Match> {
        let mut k = i;
        let the = self.is(k, "the");
        if the {
            k += 1;
        }
        if self.is(k, "fiscal") {
            k += 1;
        }
        if self.is(k, "year") {
            if let Some(y) = self.year_number(k + 1) {
                return Some(Match {
                    start: i,
                    end: k + 2,
                    expr: Expr::InYear(YearPart::Whole, YearSpec::Explicit(y)),
                    rule: "the-year-n",
                });
            }
            if let Some((end, y)) = self.year_words(k + 1) {
                return Some(Match {
                    start: i,
                    end,
                    expr: Expr::InYear(YearPart::Whole, YearSpec::Explicit(y)),
                    rule: "the-year-words",
                });
            }
        }
        // "the '90s": the apostrophe is its own token
        if the
            && matches!(self.at(k), "'" | "\u{2018}")
            && self.w.get(k + 1).is_some_and(|w| w.number)
        {
            k += 1;
        }
        // "the nineties"
        if let Some(&y) = self.lex.decades.get(self.at(k)) {
            if the || (i > 0 && self.any(i - 1, POSITION)) {
                return Some(Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::Decade(y),
                    rule: "decade-word",
                });
            }
        }
        // "nineteen ninety-six"
        if let Some((end, y)) = self
            .year_words(k)
            .filter(|_| matches!(self.at(k), "nineteen" | "two"))
        {
            let start = if the { i + 1 } else { i };
            return Some(Match {
                start,
                end,
                expr: Expr::InYear(YearPart::Whole, YearSpec::Explicit(y)),
                rule: "year-words",
            });
        }
        // "the year", "the full year", "the fiscal year", "year-end"
        if let Some(m) = self.this_period(i, k, the) {
            return Some(m);
        }
        // decades: "1990s", "'90s", "the 1990s"
        if let Some(w) = self.w.get(k).filter(|w| w.number) {
            if let Some(digits) = w
                .lower
                .strip_suffix('s')
                .or_else(|| w.lower.strip_suffix("'s"))
            {
                if digits.len() == 4 && digits.ends_with('0') {
                    if let Ok(y) = digits.parse::<i32>() {
                        if (1000..=2999).contains(&y) {
                            return Some(Match {
                                start: i,
                                end: k + 1,
                                expr: Expr::Decade(y),
                                rule: "decade",
                            });
                        }
                    }
                }
                let apostrophe = k > 0 && matches!(self.at(k - 1), "'" | "\u{2018}");
                if digits.len() == 2 && digits.ends_with('0') && (apostrophe || the) {
                    // "the '90s", "'90s", "the 70s"
                    let y: i32 = digits.parse().ok()?;
                    let start = if the || !apostrophe { i } else { k - 1 };
                    return Some(Match {
                        start,
                        end: k + 1,
                        expr: Expr::Decade(1900 + y),
                        rule: "decade-short",
                    });
                }
            }
            // centuries: "the 20th century"
            if self.any(k + 1, &["century", "centuries"]) {
                let n: i32 = w
                    .lower
                    .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                    .parse()
                    .ok()?;
                if (1..=30).contains(&n) && w.lower.len() > 2 {
                    return Some(Match {
                        start: i,
                        end: k + 2,
                        expr: Expr::Century((n - 1) * 100),
                        rule: "century",
                    });
                }
            }
        }
        if let Some(&n) = self.lex.ordinals.get(self.at(k)) {
            if n > 0 && self.is(k + 1, "century") {
                return Some(Match {
                    start: i,
                    end: k + 2,
                    expr: Expr::Century((n - 1) * 100),
                    rule: "century-word",
                });
            }
        }
        if let Some(y) = self.year_number(k) {
            // not a quantity: "$1998", "2000 people", "1990 levels" stay out
            if k > 0 && matches!(self.at(k - 1), "$" | "#" | "no" | "number") {
                return None;
            }
            let next = self.at(k + 1);
            if matches!(
                next,
                "%" | "percent"
                    | "people"
                    | "members"
                    | "troops"
                    | "soldiers"
                    | "shares"
                    | "units"
                    | "jobs"
                    | "cars"
                    | "feet"
                    | "miles"
                    | "meters"
                    | "tons"
                    | "points"
                    | ":"
            ) {
                return None;
            }
            let range_end = self.joined(k + 1) && self.w.get(k + 1).is_some_and(|w| w.number);
            let range_start =
                k > 0 && self.joined(k) && self.w.get(k - 1).is_some_and(|w| w.number);
            if (self.joined(k + 1) && !range_end)
                || (k > 0
                    && self.joined(k)
                    && !range_start
                    && !self.any(k - 1, &["mid", "early", "late", "pre", "post"]))
            {
                return None;
            }
            if !((1900..=2099).contains(&y) || (i > 0 && self.any(i - 1, TEMPORAL_PREPS))) {
                return None;
            }
            // A number after a capitalized word inside a sentence is part of a name:
            // "the Russell 2000 Index", "Orion 1980", "Windows 2000".
            let sentence_start = k < 2
                || matches!(
                    self.at(k - 2),
                    "." | "!"
                        | "?"
                        | "\""
                        | "``"
                        | "'"
                        | "''"
                        | "\u{201C}"
                        | ":"
                        | ";"
                        | "("
                        | "_"
                        | "--"
                );
            if k == i
                && k > 0
                && self.capitalized(k - 1)
                && !sentence_start
                && !self.lex.first_words.contains(self.at(k - 1))
                && self.w[k - 1].surface.chars().any(char::is_lowercase)
            {
                return None;
            }
            let start = if the && !self.is(i + 1, "fiscal") {
                i + 1
            } else {
                i
            };
            return Some(Match {
                start,
                end: k + 1,
                expr: Expr::InYear(YearPart::Whole, YearSpec::Explicit(y)),
                rule: "year",
            });
        }
        None
    }

    /// Periods named by the unit alone, read as the DCT's: "the year", "the full year",
    /// "the fiscal year" (a duration before "ended"/"ending"), "the week", "year-end".
    fn this_period(&self, i: usize, k: usize, the: bool) -> Option<Match> {
        let mut k = k;
        if self.is(k, "year")
            && (self.is(k + 1, "end") || (self.is(k + 1, "'s") && self.is(k + 2, "end")))
        {
            let end = if self.is(k + 1, "end") { k + 2 } else { k + 3 };
            return Some(Match {
                start: i,
                end,
                expr: Expr::Relative(Granularity::Year, 0),
                rule: "year-end",
            });
        }
        if !the {
            return None;
        }
        let fiscal = self.any(k, &["full", "fiscal", "entire", "whole", "same"]);
        if fiscal {
            k += 1;
        }
        if self.capitalized(k) {
            // "Person of the Year", "the Week in Review": titles
            return None;
        }
        let gran = match self.at(k) {
            "year" => Granularity::Year,
            "week" if !fiscal => Granularity::Week,
            "month" if !fiscal => Granularity::Month,
            _ => return None,
        };
        if self.joined(k + 1)
            || self.any(k + 1, &["before", "after", "following", "earlier", "ago"])
        {
            return None;
        }
        if gran == Granularity::Year && self.any(k + 1, &["ended", "ending", "to", "through"]) {
            let d = Duration {
                amount: Some(1),
                unit: Unit::Year,
                half: false,
            };
            return Some(Match {
                start: i,
                end: k + 1,
                expr: Expr::Duration(d),
                rule: "the-year-ended",
            });
        }
        Some(Match {
            start: i,
            end: k + 1,
            expr: Expr::Relative(gran, 0),
            rule: "the-unit",
        })
    }

    /// "nineteen ninety-six", "two thousand".
    fn year_words(&self, i: usize) -> Option<(usize, i32)> {
        let n = &self.lex.numbers;
        if self.is(i, "two") && self.is(i + 1, "thousand") {
            let mut e = i + 2;
            let mut y = 2000;
            if self.is(e, "and") {
                e += 1;
            }
            if let Some((e2, Some(v), false)) =
                self.amount(e).filter(|_| !self.any(e, &["a", "an"]))
            {
                if v < 100 {
                    y += v as i32;
                    e = e2;
                }
            }
            return Some((e, y));
        }
        let &hi = n.get(self.at(i))?;
        if !(10..=20).contains(&hi) {
            return None;
        }
        let (e, Some(lo), false) = self.amount(i + 1)? else {
            return None;
        };
        (10..100)
            .contains(&lo)
            .then_some((e, hi as i32 * 100 + lo as i32))
    }

    /// "the third quarter", "third-quarter", "the fiscal first quarter", "the first half of 1989",
    /// "this year's third quarter", "the latest quarter", "the year-ago quarter", "Q3".
    fn quarters(&self, i: usize) -> Option<Match> {
        let mut k = i;
        let mut spec = YearSpec::Near(Rel::Bare);
        let possessive_year = self.is(k + 1, "year") && self.is(k + 2, "'s");
        if self.is(k, "the") || (self.is(k, "this") && !possessive_year) {
            k += 1;
        }
        // "this year's", "last year's", "1988's"
        if self.any(k, &["this", "last", "next"]) && self.is(k + 1, "year") && self.is(k + 2, "'s")
        {
            spec = YearSpec::Shift(match self.at(k) {
                "last" => -1,
                "next" => 1,
                _ => 0,
            });
            k += 3;
        } else if let Some(y) = self.year_number(k).filter(|_| {
            self.is(k + 1, "'s")
                || self.any(
                    k + 1,
                    &["first", "second", "third", "fourth", "quarter", "period"],
                )
        }) {
            spec = YearSpec::Explicit(y);
            k += if self.is(k + 1, "'s") { 2 } else { 1 };
            if self.any(k, &["quarter", "period"]) {
                return Some(Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::InYear(YearPart::Whole, spec),
                    rule: "year-period",
                });
            }
        }
        // "the year-ago quarter", "the year-earlier period", "year-ago"
        if self.is(k, "year") && self.any(k + 1, &["ago", "earlier"]) && self.joined(k + 1) {
            let mut e = k + 2;
            if self.any(e, &["first", "second", "third", "fourth"]) && self.is(e + 1, "quarter") {
                let q = *self.lex.ordinals.get(self.at(e))? as u32;
                return Some(Match {
                    start: i,
                    end: e + 2,
                    expr: Expr::InYear(YearPart::Quarter(q), YearSpec::Shift(-1)),
                    rule: "year-ago-nth-quarter",
                });
            }
            if self.any(e, &["quarter", "period"]) {
                e += 1;
            }
            return Some(Match {
                start: i,
                end: e,
                expr: Expr::ReportQuarter(-1),
                rule: "year-ago-quarter",
            });
        }
        if self.any(k, &["latest", "current", "recent", "most"]) {
            let mut e = k + 1;
            if self.is(k, "most") && self.is(e, "recent") {
                e += 1;
            }
            if self.is(e, "fiscal") {
                e += 1;
            }
            if self.any(e, &["quarter", "period"]) && k > i {
                let shift = 0;
                if self.is(k, "current") && self.is(e, "quarter") {
                    return Some(Match {
                        start: i,
                        end: e + 1,
                        expr: Expr::Relative(Granularity::Quarter, 0),
                        rule: "current-quarter",
                    });
                }
                return Some(Match {
                    start: i,
                    end: e + 1,
                    expr: Expr::ReportQuarter(shift),
                    rule: "latest-quarter",
                });
            }
        }
        if self.is(k, "quarter") && k > i && self.is(i, "the") {
            return Some(Match {
                start: i,
                end: k + 1,
                expr: Expr::ReportQuarter(0),
                rule: "the-quarter",
            });
        }
        if self.is(k, "fiscal") {
            k += 1;
        }
        let &n = self.lex.ordinals.get(self.at(k))?;
        let mut e = k + 1;
        if self.is(e, "fiscal") {
            e += 1;
        }
        // "the last quarter of 1989" is its fourth; "the last quarter" alone is the
        // previous one (the `relative` rule), so `last` needs a year below.
        let part = match self.at(e) {
            "quarter" if n == -1 => YearPart::Quarter(4),
            "half" if n == -1 => YearPart::Half(2),
            "quarter" if (1..=4).contains(&n) => YearPart::Quarter(n as u32),
            "half" if (1..=2).contains(&n) => YearPart::Half(n as u32),
            _ => return None,
        };
        e += 1;
        if let Some((e2, y)) = self.year_after(e) {
            spec = YearSpec::Explicit(y);
            e = e2;
        } else if self.is(e, "of")
            && self.any(e + 1, &["this", "last", "next"])
            && self.is(e + 2, "year")
        {
            spec = YearSpec::Shift(match self.at(e + 1) {
                "last" => -1,
                "next" => 1,
                _ => 0,
            });
            e += 3;
        }
        if n == -1 && spec == YearSpec::Near(Rel::Bare) {
            return None;
        }
        Some(Match {
            start: i,
            end: e,
            expr: Expr::InYear(part, spec),
            rule: "ordinal-quarter",
        })
    }

    /// "last week", "this year", "next month", "the past year", "last summer", "last April",
    /// "last Saturday", "this morning", "the weekend".
    fn relative(&self, i: usize) -> Option<Match> {
        let mut k = i;
        let the = self.is(k, "the");
        if the {
            k += 1;
        }
        if let Some(m) = self.anaphoric(i, k, the) {
            return Some(m);
        }
        let rel = match self.at(k) {
            "this" | "current" => Rel::This,
            "last" | "past" | "previous" => Rel::Last,
            "next" | "coming" | "following" => Rel::Next,
            _ => Rel::Bare,
        };
        if rel != Rel::Bare {
            k += 1;
        }
        if self.is(k, "past") && rel == Rel::This {
            // "this past spring"
            k += 1;
        }
        let shift = match rel {
            Rel::Last => -1,
            Rel::Next => 1,
            _ => 0,
        };
        let word = self.at(k);
        // seasons
        if let Some(&s) = self.lex.seasons.get(word) {
            let temporal = rel != Rel::Bare
                || (i > 0 && self.any(i - 1, SEASON_PREPS))
                || self.year_after(k + 1).is_some();
            if !temporal
                || (the
                    && rel == Rel::Bare
                    && self.is(k + 1, "of")
                    && self.year_after(k + 1).is_none())
            {
                return None;
            }
            let (end, spec) = match self.year_after(k + 1) {
                Some((e, y)) => (e, YearSpec::Explicit(y)),
                None => (k + 1, YearSpec::Near(rel)),
            };
            return Some(Match {
                start: i,
                end,
                expr: Expr::InYear(YearPart::Season(s), spec),
                rule: "season",
            });
        }
        if rel != Rel::Bare && !the {
            if let Some(m) = self.month(k) {
                return Some(Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::InYear(YearPart::Month(m), YearSpec::Near(rel)),
                    rule: "rel-month",
                });
            }
        }
        if rel != Rel::Bare && !the {
            if let Some(d) = self.weekday(k) {
                let m = Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::Weekday(d, rel),
                    rule: "rel-weekday",
                };
                return Some(self.with_daypart(m, DayExpr::Weekday(d, rel)));
            }
        }
        // "in the morning": a part of the day the story is about
        if rel == Rel::Bare && the && i > 0 && self.any(i - 1, &["in", "during", "by", "until"]) {
            if let Some(&DayPart::Part(p)) = self.lex.dayparts.get(word) {
                return Some(Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::Time(Some(DayExpr::Named), Clock::Part(p)),
                    rule: "the-daypart",
                });
            }
        }
        // parts of today: "this morning", "tonight"
        if rel == Rel::This && !the {
            if let Some(&DayPart::Part(p)) = self.lex.dayparts.get(word) {
                return Some(Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::Time(None, Clock::Part(p)),
                    rule: "this-daypart",
                });
            }
        }
        if rel == Rel::Last && !the && word == "night" {
            return Some(Match {
                start: i,
                end: k + 1,
                expr: Expr::Time(Some(DayExpr::Deictic(-1)), Clock::Part("NI")),
                rule: "last-night",
            });
        }
        if word == "weekend" {
            let temporal = rel != Rel::Bare || the;
            if !temporal {
                return None;
            }
            return Some(Match {
                start: i,
                end: k + 1,
                expr: Expr::Relative(Granularity::Weekend, shift),
                rule: "weekend",
            });
        }
        if matches!(word, "fiscal") && self.is(k + 1, "year") && rel != Rel::Bare {
            return Some(Match {
                start: i,
                end: k + 2,
                expr: Expr::Relative(Granularity::Year, shift),
                rule: "fiscal-year",
            });
        }
        if let Some((1, unit, false)) = self.unit(k) {
            if rel == Rel::Bare || self.joined(k) {
                return None;
            }
            let gran = unit.granularity()?;
            // "the past decade" is the ten years up to now; "the past year" (TimeBank) and
            // "last week" are the previous calendar period.
            if the && rel == Rel::Last && matches!(unit, Unit::Decade | Unit::Century) {
                let d = Duration {
                    amount: Some(1),
                    unit,
                    half: false,
                };
                return Some(Match {
                    start: i,
                    end: k + 1,
                    expr: Expr::Duration(d),
                    rule: "past-decade",
                });
            }
            return Some(Match {
                start: i,
                end: k + 1,
                expr: Expr::Relative(gran, shift),
                rule: "rel-unit",
            });
        }
        None
    }

    /// "April 24 and 25", "the 70s and 80s": a bare day number conjoined to a month-day
    /// `m` is a date of the same month, a bare two-digit decade after a decade is a decade
    /// of the same century (TimeML annotates each as its own expression).
    pub fn day_after_conjunction(&self, m: &Match) -> Option<Match> {
        if !self.any(m.end, &["and", "or", "to", "through"]) {
            return None;
        }
        let k = m.end + 1;
        if let Expr::Decade(first) = m.expr {
            let digits = self.w.get(k)?.lower.strip_suffix('s')?;
            let y: i32 = digits.parse().ok()?;
            if digits.len() != 2 || y % 10 != 0 {
                return None;
            }
            return Some(Match {
                start: k,
                end: k + 1,
                expr: Expr::Decade(first - first.rem_euclid(100) + y),
                rule: "decade-conjoined",
            });
        }
        let Expr::InYear(YearPart::MonthDay(mo, _), spec) = m.expr else {
            return None;
        };
        let d = self.day_number(k)?;
        let next = self.at(k + 1);
        let quantity = self.lex.months.contains_key(next)
            || self.lex.units.contains_key(next)
            || self.w.get(k + 1).is_some_and(|w| w.number)
            || self.joined(k + 1)
            || matches!(
                next,
                "%" | "percent" | "million" | "billion" | "a.m" | "p.m" | "of" | "-"
            );
        (!quantity).then_some(Match {
            start: k,
            end: k + 1,
            expr: Expr::InYear(YearPart::MonthDay(mo, d), spec),
            rule: "month-day-conjoined",
        })
    }

    /// "the same month a year ago", "the corresponding period last year", "the quarter a
    /// year earlier": a period the text named, one year back. The words are in the
    /// lexicon's `[same]` and `[year-back]` sections.
    fn year_before(&self, i: usize) -> Option<Match> {
        if !self.is(i, "the") {
            return None;
        }
        let mut k = i + 1;
        let same = self.lex.same.contains(self.at(k));
        if same {
            k += 1;
        }
        let gran = match self.at(k) {
            "day" => Some(Granularity::Day),
            "week" => Some(Granularity::Week),
            "month" => Some(Granularity::Month),
            "quarter" => Some(Granularity::Quarter),
            "period" | "time" if same => None,
            "period" => None,
            _ => return None,
        };
        let (end, ()) = self.phrase(k + 1, &self.lex.year_back)?;
        Some(Match {
            start: i,
            end,
            expr: Expr::YearBefore(gran),
            rule: "same-year-before",
        })
    }

    /// "the next day", "the following year", "that day", "that same week", "the previous month".
    fn anaphoric(&self, i: usize, k: usize, the: bool) -> Option<Match> {
        // "end the day", "later in the day": the day the story is about
        if the
            && self.is(k, "day")
            && i > 0
            && self.any(
                i - 1,
                &["end", "ended", "ending", "in", "during", "throughout", "of"],
            )
            && !self.any(k + 1, &["before", "after", "when", "that", "of", "'s", "-"])
            && !self.joined(k + 1)
        {
            return Some(Match {
                start: i,
                end: k + 1,
                expr: Expr::Anaphoric(Granularity::Day, 0),
                rule: "the-day",
            });
        }
        let (shift, mut e) = match self.at(k) {
            "that" if !the => (0, k + 1),
            "same" if the => (0, k + 1),
            "following" | "next" if the => (1, k + 1),
            "previous" | "preceding" | "prior" if the => (-1, k + 1),
            _ => return None,
        };
        if self.is(e, "same") {
            e += 1;
        }
        let gran = match self.at(e) {
            "day" => Granularity::Day,
            "week" => Granularity::Week,
            "month" => Granularity::Month,
            "year" => Granularity::Year,
            _ => return None,
        };
        // "the next year" in a forecast is next year; only the day is safely anaphoric
        if self.is(k, "next") && gran != Granularity::Day {
            return None;
        }
        if self.joined(e + 1) || self.is(e + 1, "'s") && shift == 0 && !the {
            return None;
        }
        Some(Match {
            start: i,
            end: e + 1,
            expr: Expr::Anaphoric(gran, shift),
            rule: "anaphoric",
        })
    }

    /// Durations and offsets: "three years", "six-week", "the past three years", "two weeks ago",
    /// "a year earlier", "several months", "years", "the first nine months".
    fn amounts(&self, i: usize) -> Option<Match> {
        let mut k = i;
        if self.is(k, "the") {
            k += 1;
        }
        let mut lead_rel = 0;
        if self.any(
            k,
            &[
                "past",
                "last",
                "next",
                "coming",
                "first",
                "following",
                "previous",
                "latest",
                "recent",
                "final",
                "remaining",
                "initial",
                "further",
                "additional",
                "same",
            ],
        ) {
            lead_rel = match self.at(k) {
                "next" | "coming" | "following" => 1,
                _ => -1,
            };
            k += 1;
        }
        // "recent years", "years", "the coming months": vague plurals
        if let Some((_, unit, true)) = self.unit(k) {
            if self.joined(k) {
                return None;
            }
            let d = Duration {
                amount: None,
                unit,
                half: false,
            };
            if self.any(k + 1, &["ago"]) {
                return Some(Match {
                    start: i,
                    end: k + 2,
                    expr: Expr::Ref(Reference::Past),
                    rule: "units-ago",
                });
            }
            // "the weeks": the determiner stays out of a vague plural; "the past weeks" keeps it.
            let start = if lead_rel == 0 && self.is(i, "the") {
                i + 1
            } else {
                i
            };
            return Some(Match {
                start,
                end: k + 1,
                expr: Expr::Duration(d),
                rule: "vague-plural",
            });
        }
        let (mut end, d) = self.duration(k)?;
        // "a year-earlier", "six-week": the adjectival form is a duration as well
        if self.any(
            end,
            &["ago", "earlier", "later", "before", "after", "hence"],
        ) || (self.is(end, "from") && self.is(end + 1, "now"))
        {
            let sign = if self.any(end, &["ago", "earlier", "before"]) {
                -1
            } else {
                1
            };
            // "two years after the war", "three days later", "a day earlier": anchored on another
            // event, not on the DCT, so only the duration is the timex (TimeBank practice);
            // "a year earlier" in a report still compares with the DCT's year.
            let anaphoric = self.any(end, &["before", "after", "later"])
                || (self.is(end, "earlier")
                    && matches!(d.unit, Unit::Day | Unit::Week | Unit::Hour | Unit::Minute));
            if anaphoric && !self.joined(end) {
                return Some(Match {
                    start: i,
                    end,
                    expr: Expr::Duration(d),
                    rule: "duration",
                });
            }
            if self.joined(end) {
                // "a year-earlier quarter"
                return Some(Match {
                    start: i,
                    end: end + 1,
                    expr: Expr::Offset(d, -1),
                    rule: "adj-offset",
                });
            }
            end += if self.is(end, "from") { 2 } else { 1 };
            return Some(Match {
                start: i,
                end,
                expr: Expr::Offset(d, sign),
                rule: "offset",
            });
        }
        // "a day" alone is not much of an expression; "a week" is, like "a year".
        Some(Match {
            start: i,
            end,
            expr: Expr::Duration(d),
            rule: "duration",
        })
    }

    /// Attaches a following part of day ("Wednesday morning") to a day expression.
    fn with_daypart(&self, m: Match, day: DayExpr) -> Match {
        if let Some(&DayPart::Part(p)) = self.lex.dayparts.get(self.at(m.end)) {
            return Match {
                start: m.start,
                end: m.end + 1,
                expr: Expr::Time(Some(day), Clock::Part(p)),
                rule: "day-daypart",
            };
        }
        m
    }

    /// A day: "yesterday", "Wednesday", "March 5".
    fn day(&self, i: usize) -> Option<(usize, DayExpr)> {
        if let Some(&off) = self.lex.deictic.get(self.at(i)) {
            return Some((i + 1, DayExpr::Deictic(off)));
        }
        if let Some(d) = self.weekday(i) {
            return Some((i + 1, DayExpr::Weekday(d, Rel::Bare)));
        }
        if let Some(m) = self.calendar_date(i) {
            if let Expr::InYear(YearPart::MonthDay(mo, d), spec) = m.expr {
                return Some((m.end, DayExpr::MonthDay(mo, d, spec)));
            }
        }
        None
    }

    /// A clock time: "3 p.m.", "10:30 a.m.", "3pm", "noon", "15:00 GMT".
    fn clock(&self, i: usize) -> Option<(usize, Clock)> {
        if let Some(&DayPart::At(h, m)) = self.lex.dayparts.get(self.at(i)) {
            return Some((i + 1, Clock::At(h, m)));
        }
        let w = self.w.get(i).filter(|w| w.number)?;
        let lower = w.lower.as_ref();
        let (digits, suffix) = lower.split_at(
            lower
                .find(|c: char| c.is_ascii_alphabetic())
                .unwrap_or(lower.len()),
        );
        let (h, m) = match digits.split_once(':') {
            Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
            // "0800 UTC"
            None if digits.len() == 4 && suffix.is_empty() && self.any(i + 1, &["gmt", "utc"]) => (
                digits[..2].parse::<u32>().ok()?,
                digits[2..].parse::<u32>().ok()?,
            ),
            None => (digits.parse::<u32>().ok()?, 0),
        };
        let mut end = i + 1;
        let meridian = match suffix {
            "am" | "pm" => Some(suffix),
            "" => match self.at(i + 1) {
                "a.m" | "am" => {
                    end += 1;
                    Some("am")
                }
                "p.m" | "pm" => {
                    end += 1;
                    Some("pm")
                }
                "o'clock" => {
                    end += 1;
                    Some("")
                }
                _ => None,
            },
            _ => None,
        };
        let meridian = match meridian {
            Some(x) => x,
            None if (digits.contains(':') || digits.len() == 4)
                && h < 24
                && m < 60
                && self.any(
                    i + 1,
                    &[
                        "gmt", "utc", "est", "edt", "pst", "pdt", "cst", "cet", "local", "hours",
                    ],
                ) =>
            {
                ""
            }
            None => return None,
        };
        if h > 24 || m > 59 || (!meridian.is_empty() && (h == 0 || h > 12)) {
            return None;
        }
        let h24 = match meridian {
            "pm" if h < 12 => h + 12,
            "am" if h == 12 => 0,
            _ => h,
        };
        if self.any(end, &["gmt", "utc", "z"]) {
            return Some((end + 1, Clock::Utc(h24, m)));
        }
        if self.any(
            end,
            &["est", "edt", "pst", "pdt", "cst", "cdt", "et", "pt", "cet"],
        ) {
            end += 1;
        }
        Some((end, Clock::At(h24, m)))
    }

    /// "yesterday", "today", "Wednesday", "Wednesday morning", "3 p.m. Wednesday",
    /// "tonight", "noon Thursday", "mid-afternoon yesterday".
    fn days_and_times(&self, i: usize) -> Option<Match> {
        if self.is(i, "tonight") {
            return Some(Match {
                start: i,
                end: i + 1,
                expr: Expr::Time(Some(DayExpr::Deictic(0)), Clock::Part("NI")),
                rule: "tonight",
            });
        }
        if self.is(i, "the")
            && self.is(i + 1, "day")
            && self.any(i + 2, &["before", "after"])
            && self.any(i + 3, &["yesterday", "tomorrow"])
        {
            let off = if self.is(i + 3, "yesterday") { -2 } else { 2 };
            return Some(Match {
                start: i,
                end: i + 4,
                expr: Expr::Deictic(off),
                rule: "day-before-yesterday",
            });
        }
        if let Some((end, clock)) = self.clock(i) {
            // "3 p.m. Wednesday", "noon today"
            let mut k = end;
            if self.is(k, "on") {
                k += 1;
            }
            if let Some((e, day)) = self.day(k) {
                return Some(Match {
                    start: i,
                    end: e,
                    expr: Expr::Time(Some(day), clock),
                    rule: "clock-day",
                });
            }
            return Some(Match {
                start: i,
                end,
                expr: Expr::Time(None, clock),
                rule: "clock",
            });
        }
        // "afternoon yesterday"
        if let Some(&DayPart::Part(p)) = self.lex.dayparts.get(self.at(i)) {
            if let Some((e, day @ DayExpr::Deictic(_))) = self.day(i + 1) {
                return Some(Match {
                    start: i,
                    end: e,
                    expr: Expr::Time(Some(day), Clock::Part(p)),
                    rule: "daypart-day",
                });
            }
            return None;
        }
        let (end, day) = self.day(i)?;
        let expr = match day {
            DayExpr::Deictic(off) => Expr::Deictic(off),
            DayExpr::Weekday(d, rel) => Expr::Weekday(d, rel),
            DayExpr::MonthDay(m, d, spec) => Expr::InYear(YearPart::MonthDay(m, d), spec),
            DayExpr::Named => return None,
        };
        let m = Match {
            start: i,
            end,
            expr,
            rule: "day",
        };
        // "Wednesday morning", "yesterday afternoon"; "Wednesday at 3 p.m."
        if self.is(end, "at") {
            if let Some((e, clock)) = self.clock(end + 1) {
                return Some(Match {
                    start: i,
                    end: e,
                    expr: Expr::Time(Some(day), clock),
                    rule: "day-at-clock",
                });
            }
        }
        Some(self.with_daypart(m, day))
    }

    /// ISO and numeric dates: "2025-03-05", "3/5/2025".
    fn iso(&self, i: usize) -> Option<Match> {
        let w = self.w.get(i).filter(|w| w.number)?;
        let s = w.lower.as_ref();
        let parts: Vec<&str> = s.split(['-', '/']).collect();
        if parts.len() != 3
            || !parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        if n.len() != 3 {
            return None;
        }
        let (y, m, d) = if s.contains('-') && parts[0].len() == 4 {
            (n[0], n[1], n[2])
        } else if s.contains('/') && parts[2].len() == 4 {
            (n[2], n[0], n[1])
        } else {
            return None;
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1000..=2999).contains(&y) {
            return None;
        }
        Some(Match {
            start: i,
            end: i + 1,
            expr: Expr::InYear(YearPart::MonthDay(m, d), YearSpec::Explicit(y as i32)),
            rule: "numeric-date",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_computes_each_word_once_and_keeps_none() {
        let memo = Memo::new(3);
        let calls = std::cell::Cell::new(0);
        let f = |v: Option<u32>| {
            calls.set(calls.get() + 1);
            v
        };
        // (word, value computed, value answered)
        let cases = [
            (0, Some(7), Some(7)),
            (0, Some(9), Some(7)),
            (1, None, None),
            (1, Some(3), None),
            (2, Some(0), Some(0)),
            (2, None, Some(0)),
            (5, Some(4), Some(4)),
        ];
        for (i, computed, answered) in cases {
            assert_eq!(memo.get(i, || f(computed)), answered, "word {i}");
        }
        // Words 0, 1 and 2 once each; word 5 is outside the memo.
        assert_eq!(calls.get(), 4);
        assert_eq!(memo.get(0, || Some(u32::MAX)), Some(7));
        let big = Memo::new(1);
        assert_eq!(big.get(0, || Some(u32::MAX)), Some(u32::MAX));
        assert_eq!(big.get(0, || None), None, "a value too large is not kept");
    }

    #[test]
    fn months_and_weekdays_answer_the_same_when_asked_again() {
        let text = "On Monday, March 5, Hamas met; may Sept. 3 and Tue. be late? MAY, Wed";
        let tokens = crate::text::tokenize(text);
        let words = words(text, &tokens);
        let g = Grammar::new(&words);
        for i in 0..words.len() + 2 {
            let (m, d) = (g.month_uncached(i), g.weekday_uncached(i));
            for _ in 0..2 {
                assert_eq!((g.month(i), g.weekday(i)), (m, d), "word {i}");
            }
        }
        let found: Vec<_> = (0..words.len()).filter_map(|i| g.month(i)).collect();
        assert_eq!(found, [3, 9, 5], "March, Sept., MAY; not the verb \"may\"");
        assert_eq!(g.weekday(1), Some(1));
    }

    #[test]
    fn digits_value_reads_what_replace_then_parse_reads() {
        for s in [
            "0",
            "7",
            "1,000",
            "12,345,678",
            ",5",
            "5,",
            ",",
            "",
            "4294967295",
            "4294967296",
            "99999999999",
            "1,,0",
        ] {
            assert_eq!(
                digits_value(s),
                s.replace(',', "").parse::<u32>().ok(),
                "{s:?}"
            );
        }
        for s in ["1.5", "12a", "-3", "+3", "\u{0663}"] {
            assert_eq!(digits_value(s), None, "{s:?}");
        }
    }
}
