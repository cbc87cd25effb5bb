//! Stage 3b: time. Finds temporal expressions and normalizes them to TIMEX3 values
//! against the document creation time (DCT). Without a DCT, relative expressions stay
//! underspecified (`XXXX-WXX-3`): the stage never consults the clock.
//!
//! Three steps, one module each:
//! - `grammar`: words (tokens split at inner hyphens) -> an unanchored reading (`Expr`:
//!   "last Saturday" = weekday 6, one back), driven by the lexicon in
//!   `data/time/lexicon.txt` (`lexicon`: month, weekday, number, unit, holiday, reference
//!   and tense-cue words, parsed once);
//! - `resolve`: reading + DCT + the sentence's tense + the last date the text named -> a
//!   typed value ([`value::Value`]);
//! - [`value`]: calendar arithmetic on typed periods (granularity + first day), holidays
//!   computed per year (Gregorian computus, Gauss' Pesach formula, tabular Islamic
//!   calendar), rendered to a TIMEX3 string only at the end.
//!
//! Invariants: never panics on any text; output sorted by span start, non-overlapping;
//! without a DCT no value is computed from anything but the text.
//!
//! Spans follow TimeML: determiners and modifiers inside ("the past three years", "last
//! Saturday", "about two weeks ago"), prepositions outside ("over [the weekend]").

mod grammar;
mod lexicon;
mod resolve;
pub mod value;

use crate::pos::{self, Pos};
use crate::text::{Sentence, Span, Token};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The TIMEX3 type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    /// A calendar date or period ("March 5", "last week", "2025").
    Date,
    /// A time of day ("3 p.m.", "Wednesday morning").
    Time,
    /// A length of time ("six weeks", "P6W").
    Duration,
    /// A recurrence ("every week").
    Set,
}

impl TimexType {
    /// The TIMEX3 name ("DATE", "TIME", "DURATION", "SET").
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A half-open interval of days `[start, end)` that a timeline can sort on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DateInterval {
    /// First day in the interval.
    pub start: NaiveDate,
    /// First day after the interval.
    pub end: NaiveDate,
}

/// One temporal expression found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timex {
    /// Where the expression is in the original text (byte offsets).
    pub span: Span,
    /// Its TIMEX3 type.
    pub kind: TimexType,
    /// Its TIMEX3 value ("2025-03-01", "P6W", "XXXX-WXX-6", "PAST_REF").
    pub value: String,
    /// The days the value covers, when it is a resolved date.
    pub interval: Option<DateInterval>,
    /// The name of the rule that produced the value, so a user can ask why.
    pub rule: String,
    /// What the value was computed from: "dct", "text" (absolute), or "none" (unresolved).
    pub anchor: String,
}

/// Finds and normalizes the temporal expressions of one document. The result is sorted by
/// span start and free of overlaps.
pub fn find_timexes(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    dct: Option<NaiveDate>,
) -> Vec<Timex> {
    find_timexes_tagged(text, tokens, sentences, None, dct)
}

/// [`find_timexes`] with the Penn tags of `tokens` (one per token) when the caller has
/// them; without them, the few sentences whose tense decides a value are tagged here.
/// The tags find the verb group that governs a bare weekday or month ("would still be
/// held on April 24" points forward, "the thrift announced the plan Aug. 21" back).
pub fn find_timexes_tagged(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    tags: Option<&[Pos]>,
    dct: Option<NaiveDate>,
) -> Vec<Timex> {
    let words = grammar::words(text, tokens);
    let mut tagger = Tagger::new(text, tokens, sentences, tags, &words);
    let g = grammar::Grammar::new(&words);
    // Sentence bounds per word, by byte offset, for the tense cues.
    let mut bounds = Vec::with_capacity(words.len());
    let mut s = 0;
    let mut first_word = 0;
    for (i, w) in words.iter().enumerate() {
        let mut moved = false;
        while s + 1 < sentences.len() && w.start >= sentences[s].span.end {
            s += 1;
            moved = true;
        }
        if moved {
            first_word = i;
        }
        bounds.push((first_word, s));
    }
    // Each word's sentence end, computed once backwards: scanning forward per expression was
    // quadratic on one long sentence full of dates (a flattened table, a scraped page).
    let mut ends = vec![words.len(); words.len()];
    for i in (0..words.len()).rev() {
        ends[i] = if i + 1 < words.len() && bounds[i + 1].1 == bounds[i].1 {
            ends[i + 1]
        } else {
            i + 1
        };
    }
    let sentence_end = |i: usize| -> usize { ends[i] };
    // Earnings reports: "a year ago" there is the year-ago quarter.
    let quarterly = words.iter().any(|w| w.lower == "quarter");
    let mut reference: Option<value::Period> = None;
    let mut out = Vec::new();
    let mut i = 0;
    // A match the previous one announced ("April 24 and [25]").
    let mut pending: Option<grammar::Match> = None;
    while i < words.len() {
        let m = match pending.take() {
            Some(m) => m,
            None => {
                if !g.may_start(i) {
                    i += 1;
                    continue;
                }
                let Some(m) = g.parse_at(i) else {
                    i += 1;
                    continue;
                };
                m
            }
        };
        i = m.start;
        let end = m.end.max(i + 1);
        let possessive = words.get(m.end).is_some_and(|w| w.lower == "'s");
        let tense = if possessive {
            // "Wednesday's ruling" reports a past event
            resolve::Tense::Past
        } else if resolve::needs_tense(&m.expr) {
            // Tense cues lie near the expression (`tense_of` reads at most a window either
            // side), so only that part of the sentence is tagged: a whole long sentence per
            // expression made one huge sentence quadratic.
            const REACH: usize = 48;
            let lo = bounds[i].0.max(m.start.saturating_sub(REACH));
            let hi = sentence_end(i).min(m.end + REACH);
            let tags = tagger.words(bounds[i].1, lo, hi);
            tense_of(&words, &tags, lo, hi, m.start, m.end)
        } else {
            resolve::Tense::Unknown
        };
        let ctx = resolve::Context {
            dct,
            tense,
            quarterly,
            reference,
        };
        if let Some((value, anchor)) = resolve::resolve(m.expr, ctx) {
            // Resolved dates become the reference for "the next day", "that year".
            match value {
                value::Value::Period(p) => reference = Some(p),
                value::Value::Time(value::DayRef::Day(d), _) => {
                    reference = Some(value::Period {
                        gran: value::Granularity::Day,
                        start: d,
                    })
                }
                _ => {}
            }
            if keep(&words, &m) {
                let kind = match value {
                    value::Value::Time(..) => TimexType::Time,
                    value::Value::Duration(_) => TimexType::Duration,
                    value::Value::Set(_) => TimexType::Set,
                    _ => TimexType::Date,
                };
                out.push(Timex {
                    span: Span::new(words[m.start].start, words[m.end - 1].end),
                    kind,
                    value: value.render(),
                    interval: value.interval(),
                    rule: m.rule.to_string(),
                    anchor: anchor.name().to_string(),
                });
            }
        }
        pending = g.day_after_conjunction(&m).filter(|p| p.start >= end);
        i = end;
    }
    out
}

/// Filters readings that are grammatical but rarely annotated in news.
fn keep(words: &[grammar::Word], m: &grammar::Match) -> bool {
    let at = |k: usize| words.get(k).map_or("", |w| w.lower.as_ref());
    let first = at(m.start);
    let last = at(m.end - 1);
    let n = m.end - m.start;
    // Ages: "a 6-year-old", "52 years old".
    if at(m.end) == "old" && matches!(m.expr, grammar::Expr::Duration(_)) {
        return false;
    }
    // Fractions: "about a quarter of its dealers", "more than a quarter of the market",
    // "a quarter, or 789".
    if last == "quarter" && n >= 2 && at(m.end - 2) == "a" && matches!(at(m.end), "of" | "," | ")")
    {
        return false;
    }
    // TimeML: "as soon as" and "soon after" are signals, not expressions.
    if n == 1
        && first == "soon"
        && ((m.start > 0 && at(m.start - 1) == "as" && at(m.end) == "as")
            || matches!(
                at(m.end),
                "after" | "afterward" | "afterwards" | "thereafter"
            ))
    {
        return false;
    }
    // A capitalized unit inside a sentence names something: "CBS's 60 Minutes".
    if matches!(m.expr, grammar::Expr::Duration(_))
        && n >= 2
        && words[m.end - 1]
            .surface
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
        && !words[m.start]
            .surface
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    {
        return false;
    }
    // A bare plural "quarters" is lodging ("attempts to inspect such quarters"); as time
    // it carries a modifier ("recent quarters", "the next three quarters").
    let ordinal_before = m.start > 0 && lexicon::lexicon().ordinals.contains_key(at(m.start - 1));
    if n == 1 && first == "quarters" && !ordinal_before {
        return false;
    }
    // Rates: "$500 million a year", "four flights a week".
    if n == 2 && matches!(first, "a" | "an") && m.start > 0 {
        let prev = &words[m.start - 1];
        let quantity = prev.number
            || matches!(
                prev.lower.as_ref(),
                "million"
                    | "billion"
                    | "thousand"
                    | "dollars"
                    | "cents"
                    | "times"
                    | "hours"
                    | "share"
            )
            || (prev.lower.len() > 3 && prev.lower.ends_with('s') && !prev.lower.ends_with("ss"));
        if quantity {
            return false;
        }
    }
    true
}

/// Penn tags per grammar word, from the caller's tags or tagged here on first use.
struct Tagger<'a> {
    text: &'a str,
    tokens: &'a [Token],
    sentences: &'a [Sentence],
    given: Option<&'a [Pos]>,
    /// The token each word starts in.
    token_of: Vec<usize>,
    /// Tags of the sentences tagged here, by sentence index.
    cache: Vec<Option<Vec<Pos>>>,
}

impl<'a> Tagger<'a> {
    fn new(
        text: &'a str,
        tokens: &'a [Token],
        sentences: &'a [Sentence],
        given: Option<&'a [Pos]>,
        words: &[grammar::Word],
    ) -> Self {
        let mut token_of = Vec::with_capacity(words.len());
        let mut t = 0;
        for w in words {
            while t + 1 < tokens.len() && tokens[t].span.end <= w.start {
                t += 1;
            }
            token_of.push(t);
        }
        Tagger {
            text,
            tokens,
            sentences,
            given: given.filter(|g| g.len() == tokens.len()),
            token_of,
            cache: vec![None; sentences.len()],
        }
    }

    /// The tags of words `[lo, hi)` of sentence `sid` (None where a word has no tag).
    fn words(&mut self, sid: usize, lo: usize, hi: usize) -> Vec<Option<Pos>> {
        let Some(sentence) = self.sentences.get(sid) else {
            return vec![None; hi.saturating_sub(lo)];
        };
        // Tags of the sentence's own tokens, indexed from its first token.
        let (tags, first): (&[Pos], usize) = match self.given {
            Some(g) => (g, 0),
            None => (
                self.cache[sid]
                    .get_or_insert_with(|| pos::tag_sentence(self.text, self.tokens, sentence)),
                sentence.tokens.start,
            ),
        };
        (lo..hi)
            .map(|k| {
                let t = *self.token_of.get(k)?;
                if !sentence.tokens.contains(&t) {
                    return None;
                }
                tags.get(t - first).copied()
            })
            .collect()
    }
}

/// The tense of the verb group nearest to words `[start, end)` inside the sentence
/// `[lo, hi)`; `tags[k - lo]` is word k's Penn tag when known.
fn tense_of(
    words: &[grammar::Word],
    tags: &[Option<Pos>],
    lo: usize,
    hi: usize,
    start: usize,
    end: usize,
) -> resolve::Tense {
    use resolve::Tense;
    let lex = lexicon::lexicon();
    let at = |k: usize| words.get(k).map_or("", |w| w.lower.as_ref());
    let tag = |k: usize| {
        k.checked_sub(lo)
            .and_then(|i| tags.get(i).copied().flatten())
    };
    // The word before k, skipping adverbs ("would still be held").
    let before = |k: usize| -> Option<usize> {
        let mut j = k;
        while j > lo {
            j -= 1;
            if tag(j) != Some(Pos::RB) && at(j) != "not" && at(j) != "n't" {
                return Some(j);
            }
        }
        None
    };
    // The auxiliary a participle hangs on, through forms of "be": "had been due",
    // "would still be held", "was killed".
    let auxiliary = |k: usize| -> Option<usize> {
        let mut j = before(k)?;
        while lex.be.contains(at(j)) {
            j = before(j)?;
        }
        Some(j)
    };
    // `after`: the word follows the expression ("On Friday, the government planned").
    let cue = |k: usize, after: bool| -> Option<Tense> {
        let w = at(k);
        let next = at(k + 1);
        let t = tag(k);
        let noun = t.is_some_and(Pos::is_noun);
        if !noun && (lex.future.contains(w) || (w == "set" && next == "to")) {
            let aux = auxiliary(k);
            // A plan told in the past perfect is over: "had been scheduled to expire";
            // so is the planning a date is the time of: "On Friday, the government planned
            // to pay" (but "the team planned to leave on Thursday" looks ahead).
            let past_perfect = {
                // back through "to", forms of "be" and other plan words: "had been due
                // to expire"
                let mut j = k;
                loop {
                    match before(j) {
                        Some(p) if at(p) == "had" => break true,
                        Some(p)
                            if at(p) == "to"
                                || lex.be.contains(at(p))
                                || lex.future.contains(at(p)) =>
                        {
                            j = p
                        }
                        _ => break false,
                    }
                }
            };
            let past_plan = past_perfect || (after && t == Some(Pos::VBD) && w.ends_with("ed"));
            if past_plan {
                return Some(Tense::Past);
            }
            // "a service planned for Saturday was canceled": a participle modifying a
            // noun leaves the tense to the clause's verb
            if t == Some(Pos::VBN)
                && w.ends_with("ed")
                && aux.is_some_and(|a| tag(a).is_some_and(Pos::is_noun))
            {
                return None;
            }
            return Some(Tense::Future);
        }
        match t {
            // "would have been": a past possibility
            Some(Pos::MD) if next == "have" => Some(Tense::Past),
            // "could come Tuesday" looks ahead; "could not be located", "must be returned"
            // say nothing about time
            Some(Pos::MD) => {
                (tag(k + 1) == Some(Pos::VB) && !lex.be.contains(next)).then_some(Tense::Future)
            }
            Some(Pos::VBN) => {
                let Some(a) = auxiliary(k) else {
                    return Some(Tense::Past);
                };
                if lex.future.contains(at(a)) {
                    Some(Tense::Future)
                } else if lex.aux_past.contains(at(a)) {
                    Some(Tense::Past)
                } else if lex.be.contains(at(k.saturating_sub(1))) || at(a) == "to" {
                    // "is held", "to be released": the tense is elsewhere
                    None
                } else {
                    // "the plan announced Monday"
                    Some(Tense::Past)
                }
            }
            Some(Pos::VBD) => Some(Tense::Past),
            _ if lex.past.contains(w) => Some(Tense::Past),
            // regular past forms, but not "succeed", "need", "proceed"
            None if w.len() > 4 && w.ends_with("ed") && !w.ends_with("eed") && !words[k].number => {
                Some(Tense::Past)
            }
            _ => None,
        }
    };
    // The clause before the expression first: news sentences put the verb before the date
    // and the attribution ("..., officials said") after it.
    const WINDOW: usize = 15;
    let found = (1..=WINDOW.min(start.saturating_sub(lo)))
        .map(|d| start - d)
        .chain(end..hi.min(end + WINDOW))
        .find_map(|k| cue(k, k >= end).map(|t| (k, t)));
    // A preposition right before the expression decides ("postponed until Tuesday",
    // "since March"), unless a past perfect closes the span ("until Thursday, they had not").
    if start > lo {
        let p = at(start - 1);
        let perfect = found.is_some_and(|(k, _)| at(k) == "had");
        if lex.prep_future.contains(p) && !perfect {
            return Tense::Future;
        }
        if lex.prep_past.contains(p) {
            return Tense::Past;
        }
    }
    if let Some((_, t)) = found {
        return t;
    }
    Tense::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{split_sentences, tokenize};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// (text, value) pairs of every timex found.
    fn run(text: &str, dct: Option<&str>) -> Vec<(String, String)> {
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        find_timexes(text, &tokens, &sentences, dct.map(day))
            .into_iter()
            .map(|t| (t.span.slice(text).to_string(), t.value))
            .collect()
    }

    /// Asserts that `expr` is found inside `sentence` with `value`.
    fn check(sentence: &str, dct: Option<&str>, expr: &str, value: &str) {
        let got = run(sentence, dct);
        assert!(
            got.iter().any(|(t, v)| t == expr && v == value),
            "{sentence:?} (DCT {dct:?}): wanted [{expr}] = {value}, got {got:?}"
        );
    }

    #[test]
    fn seed_article_expressions() {
        let dct = Some("2025-03-05");
        #[rustfmt::skip]
        let cases = [
            ("confirmed press secretary Karoline Leavitt on Wednesday.", "Wednesday", "2025-03-05"),
            ("This follows the conclusion of a six-week ceasefire.", "six-week", "P6W"),
            ("The ceasefire ended last Saturday, with no plans.", "last Saturday", "2025-03-01"),
            ("Over the weekend, Israel approved a plan.", "the weekend", "2025-W09-WE"),
            ("Brian Hughes affirmed on Sunday that Israel has been engaging.", "Sunday", "2025-03-02"),
            ("On Monday, Netanyahu issued a warning to Hamas.", "Monday", "2025-03-03"),
        ];
        for (sentence, expr, value) in cases {
            check(sentence, dct, expr, value);
        }
        let text = "the release of half of the hostages on the first day, and the second phase";
        let none = run(text, dct);
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn dates_follow_the_timeml_guidelines() {
        // (sentence, DCT, expression, value)
        #[rustfmt::skip]
        let cases = [
            ("The deal was signed March 5, 2025.", "2025-03-05", "March 5, 2025", "2025-03-05"),
            ("It opened on 5 March.", "2025-03-05", "5 March", "2025-03-05"),
            ("Filed on 2025-03-05 in court.", "2025-03-05", "2025-03-05", "2025-03-05"),
            ("Sales fell in March 2025.", "2025-06-01", "March 2025", "2025-03"),
            ("He was born in 1998.", "2025-03-05", "1998", "1998"),
            ("Prices rose in the 1990s.", "2025-03-05", "the 1990s", "199"),
            ("Prices rose in the mid-1990s.", "2025-03-05", "the mid-1990s", "199"),
            ("It happened in the 20th century.", "2025-03-05", "the 20th century", "19"),
            ("They will meet next month.", "2025-03-05", "next month", "2025-04"),
            ("He left two weeks ago.", "2025-03-05", "two weeks ago", "2025-W08"),
            ("He left yesterday.", "2025-03-05", "yesterday", "2025-03-04"),
            ("He is here today.", "2025-03-05", "today", "2025-03-05"),
            ("Sales rose earlier this year.", "2025-03-05", "earlier this year", "2025"),
            ("Sales rose over the past three years.", "2025-03-05", "the past three years", "P3Y"),
            ("Talks resume this week.", "2025-03-05", "this week", "2025-W10"),
            ("Sales fell last year.", "2025-03-05", "last year", "2024"),
            ("He spoke this morning.", "2025-03-05", "this morning", "2025-03-05TMO"),
            ("Profit rose in the third quarter.", "2025-11-05", "the third quarter", "2025-Q3"),
            ("It rained last summer.", "2025-03-05", "last summer", "2024-SU"),
            ("They met at 3 p.m. in the city.", "2025-03-05", "3 p.m.", "2025-03-05T15:00"),
            ("They met Wednesday morning.", "2025-03-05", "Wednesday morning", "2025-03-05TMO"),
            ("They will meet on Friday.", "2025-03-05", "Friday", "2025-03-07"),
            ("It lasted three years.", "2025-03-05", "three years", "P3Y"),
            ("It lasted a decade.", "2025-03-05", "a decade", "P10Y"),
            ("It lasted 48 hours.", "2025-03-05", "48 hours", "PT48H"),
            ("They meet every week.", "2025-03-05", "every week", "P1W"),
            ("It is held annually.", "2025-03-05", "annually", "P1Y"),
            ("He is now in charge.", "2025-03-05", "now", "PRESENT_REF"),
            ("He is currently in charge.", "2025-03-05", "currently", "PRESENT_REF"),
            ("He recently left.", "2025-03-05", "recently", "PAST_REF"),
            ("We look to the future.", "2025-03-05", "the future", "FUTURE_REF"),
            ("Talks will resume soon.", "2025-03-05", "soon", "FUTURE_REF"),
            ("It rid Detroit of the boxy cars of the 70s.", "2007-02-09", "the 70s", "197"),
            ("Music of the '80s returned.", "2007-02-09", "the '80s", "198"),
            ("The Dow fell 3.4% to end the day at 7,114.", "2009-02-24", "the day", "2009-02-24"),
            ("Rates stay low for the time being.", "2009-02-24", "the time being", "PRESENT_REF"),
            ("They met on Christmas.", "2025-03-05", "Christmas", "2024-12-25"),
            ("They will meet at Easter.", "2025-03-05", "Easter", "2025-04-20"),
            ("They met on Thanksgiving 1999.", "2025-03-05", "Thanksgiving 1999", "1999-11-25"),
            ("They met at Passover 2025.", "2025-03-05", "Passover 2025", "2025-04-13"),
            ("The fast began with Ramadan 2025.", "2025-03-05", "Ramadan 2025", "2025-03-01"),
            ("It lasted about two weeks.", "2025-03-05", "about two weeks", "P2W"),
            ("The talks lasted a minute and a half.", "2025-03-05", "a minute and a half", "PT1M30S"),
            ("Profit a year earlier was lower.", "2025-03-05", "a year earlier", "2024"),
            ("The take-off, at 08:30 UTC, was normal.", "2005-04-27", "08:30 UTC", "2005-04-27T08:30Z"),
            ("They waited for 5 1/2 hours.", "2025-03-05", "5 1/2 hours", "PT5H30M"),
            ("Keating was convicted in nineteen ninety-one.", "1998-01-15", "nineteen ninety-one", "1991"),
            ("Revenue for the year ended March 31 rose.", "1989-10-31", "the year", "P1Y"),
            ("Sales rose in the first nine months.", "1989-10-31", "the first nine months", "P9M"),
            ("Net rose in this year's third quarter.", "1989-10-31", "this year's third quarter", "1989-Q3"),
            ("Net rose in the year-ago quarter.", "1989-10-31", "the year-ago quarter", "1988-Q3"),
            ("In January this year, police arrived.", "1998-02-19", "January this year", "1998-01"),
            ("Hate groups dropped through the nineties.", "1998-03-03", "the nineties", "199"),
            ("Protests were held Wednesday night.", "2000-02-16", "Wednesday night", "2000-02-16TNI"),
            ("He will succeed Davison Feb. 1.", "1989-10-26", "Feb. 1", "1990-02-01"),
            ("He stepped down in March for health reasons.", "1989-11-02", "March", "1989-03"),
            ("Three days later, the index closed.", "1989-10-30", "Three days", "P3D"),
            ("It was the fourth quarter loss.", "1998-01-26", "the fourth quarter", "1997-Q4"),
            ("Sales in the third quarter are key.", "2025-03-05", "the third quarter", "2025-Q3"),
            ("He arrived on March 3, 1998. The next day he left.", "2025-03-05", "The next day", "1998-03-04"),
            ("The firm was founded in 1995, and the following year it grew.", "2025-03-05", "the following year", "1996"),
            ("It opened in 1987. Later that year it closed.", "2025-03-05", "Later that year", "1987"),
            ("He served from 2001-2005 in office.", "2025-03-05", "2001", "2001"),
            ("On Oct. 27, dealers placed orders in the morning.", "1989-10-30", "the morning", "1989-10-27TMO"),
            ("He served from 2001-2005 in office.", "2025-03-05", "2005", "2005"),
            // each conjoined day is an expression of the same month
            ("The summit will be held on April 24 and 25 in Washington.", "1999-02-10", "25", "1999-04-25"),
            ("Earnings will be lower for the last half of 1989.", "1989-10-26", "the last half of 1989", "1989-H2"),
            ("Sales rose in the final quarter of 1988.", "1989-10-26", "the final quarter of 1988", "1988-Q4"),
            ("It rid Detroit of the boxy cars of the 70s and 80s.", "2007-02-09", "80s", "198"),
            ("It is conducted in the second and fourth quarters.", "1989-10-26", "quarters", "PXQ"),
            // "soon" alone still looks ahead
            ("He thinks it will be healthy enough soon to buy back shares.", "1989-10-30", "soon", "FUTURE_REF"),
        ];
        for (sentence, dct, expr, value) in cases {
            check(sentence, Some(dct), expr, value);
        }
    }

    #[test]
    fn bare_dates_follow_the_tense_of_the_governing_verb() {
        // TimeML: a weekday or month without a year is the occurrence the verb group points
        // to, read from the auxiliaries, not from the nearest "-ed" word.
        // (sentence, DCT, expression, value)
        #[rustfmt::skip]
        let cases = [
            // modal + passive: future, though "held" is a past form
            ("The ceremony would still be held at the summit on April 24.", "1999-02-10", "April 24", "1999-04-24"),
            ("The transaction should be completed in October.", "2009-06-05", "October", "2009-10"),
            ("The father would be traveling to the United States Thursday.", "2000-04-05", "Thursday", "2000-04-06"),
            ("The father could come to the U.S. as early as Tuesday.", "2000-04-03", "Tuesday", "2000-04-04"),
            // an irregular past tense the tagger knows
            ("In January, the company brought in a new chief.", "1989-10-27", "January", "1989-01"),
            // an adjective in -ed is no past tense
            ("It would be paid on a still unspecified date in January.", "1989-10-26", "January", "1990-01"),
            // "until" points forward whatever the verb, "since" backward
            ("The service has given the relatives until 9 a.m. Tuesday to sign.", "2000-04-03", "9 a.m. Tuesday", "2000-04-04T09:00"),
            ("Officials postponed until Tuesday any action.", "2000-03-30", "Tuesday", "2000-04-04"),
            ("Police have searched for him since shortly after the Oct. 23 slaying.", "1999-05-06", "Oct. 23", "1998-10-23"),
            // ... unless a past perfect closes the span
            ("Until Thursday, they had not called him a suspect.", "1999-05-07", "Thursday", "1999-05-06"),
            // a modal that says nothing about time leaves the reported past
            ("The court ruled that he must be returned and set Friday as the deadline.", "2000-01-15", "Friday", "2000-01-14"),
            ("Neither he nor his family could be located Wednesday.", "2000-01-06", "Wednesday", "2000-01-05"),
            // no cue: a month nearer in the past wins over one as near in the future
            ("The stock rose to a high in June from $29.75 in March.", "1989-10-30", "March", "1989-03"),
            // a plan noun is no future tense
            ("The thrift announced the plan Aug. 21. Among other reasons, fees rose.", "1989-10-27", "Aug. 21", "1989-08-21"),
            // the date of the planning, or of the plan
            ("On Friday, the government planned to pay the families.", "1998-09-30", "Friday", "1998-09-25"),
            ("The team planned to leave Nairobi on Thursday for Dar es Salaam.", "1998-09-30", "Thursday", "1998-10-01"),
            ("A memorial service planned for Saturday was canceled.", "1999-10-24", "Saturday", "1999-10-23"),
            ("The offer had been due to expire Friday evening.", "1989-10-30", "Friday evening", "1989-10-27TEV"),
        ];
        for (sentence, dct, expr, value) in cases {
            check(sentence, Some(dct), expr, value);
        }
    }

    #[test]
    fn the_same_period_a_year_before_is_the_named_period_moved_back() {
        // (sentence, DCT, expression, value)
        #[rustfmt::skip]
        let cases = [
            ("Sales fell 35% in January, compared to the same month a year ago.", "2009-02-03", "the same month a year ago", "2008-01"),
            ("Sales rose 43% in February compared to the same period last year.", "2010-03-03", "the same period last year", "2009-02"),
            ("Profit rose in the third quarter. For the quarter a year ago, it lost money.", "1989-10-26", "the quarter a year ago", "1988-Q3"),
            // in an earnings report a "period" is the quarter
            ("For the quarter ended Sept. 30, net fell, compared with the corresponding period last year.", "1989-11-01", "the corresponding period last year", "1988-Q3"),
        ];
        for (sentence, dct, expr, value) in cases {
            check(sentence, Some(dct), expr, value);
        }
        check(
            "It rose, compared to the same month a year ago.",
            None,
            "the same month a year ago",
            "XXXX-XX",
        );
    }

    #[test]
    fn readings_that_are_not_timexes() {
        #[rustfmt::skip]
        let texts = [
            "Elian, a 6-year-old boy, and Mr. Reupke, 52 years old.",
            "The company will save $500 million a year in costs.",
            "Prices are expected to fall further.",
            "The long-term outlook is weak; about three-quarters of shares rose.",
            "A second group of directors met.",
            "It wants to eliminate about a quarter of its dealers.",
            "They march on the capital. You may go.",
            // TimeML signals, not expressions
            "They could leave as soon as the threats end.",
            "He was probably killed soon after being captured.",
            // a fraction, a title, lodging
            "Funds account for more than a quarter of the market.",
            "Gonzalez said on CBS's 60 Minutes that the boy was abused.",
            "The Iraqis resisted attempts to inspect such quarters.",
            // a number after a capitalized word names something
            "The Russell 2000 Index of smaller companies fell.",
            "He set up a joint venture called Orion 1980 in Budapest.",
        ];
        for text in texts {
            let got = run(text, Some("2025-03-05"));
            assert!(got.is_empty(), "{text:?}: {got:?}");
        }
    }

    #[test]
    fn without_dct_relative_values_stay_underspecified() {
        #[rustfmt::skip]
        let cases = [
            ("The deal was signed March 5, 2025.", "March 5, 2025", "2025-03-05"),
            ("They met on Wednesday.", "Wednesday", "XXXX-WXX-3"),
            ("He left yesterday.", "yesterday", "XXXX-XX-XX"),
            ("He is here today.", "today", "XXXX-XX-XX"),
            ("It lasted three years.", "three years", "P3Y"),
            ("They met last week.", "last week", "XXXX-WXX"),
            ("It opened on 5 March.", "5 March", "XXXX-03-05"),
            ("Profit rose in the third quarter.", "the third quarter", "XXXX-Q3"),
            ("They met this morning.", "this morning", "XXXX-XX-XXTMO"),
        ];
        for (sentence, expr, value) in cases {
            check(sentence, None, expr, value);
        }
    }

    #[test]
    fn values_parse_as_timex3_and_intervals_are_ordered() {
        let text = "On Monday, three years after the 1990s, last summer, the third quarter of 1989, \
                    next week, 10 p.m. Wednesday, every week, the past five days, yesterday morning, \
                    Christmas 2024, the weekend, early next year, the 20th century, tonight, now, \
                    08:30 UTC, 2 1/2 years, the fiscal year, the year-ago period, Tuesday nights.";
        for dct in [Some(day("2025-03-05")), Some(day("2000-01-01")), None] {
            let tokens = tokenize(text);
            let sentences = split_sentences(text, &tokens);
            let found = find_timexes(text, &tokens, &sentences, dct);
            assert!(found.len() >= 18, "{found:?}");
            let mut last_end = 0;
            for t in &found {
                assert!(t.span.start >= last_end, "overlap at {t:?}");
                last_end = t.span.end;
                assert!(is_timex3(&t.value), "bad value {}", t.value);
                if let Some(iv) = t.interval {
                    assert!(iv.start < iv.end, "{t:?}");
                }
                if dct.is_none() {
                    assert_ne!(t.anchor, "dct", "{t:?}");
                    assert!(t.interval.is_none() || t.anchor == "text", "{t:?}");
                }
            }
        }
    }

    /// A TIMEX3 value checker: dates, weeks, parts, durations, reference tokens.
    fn is_timex3(v: &str) -> bool {
        let re = regex::Regex::new(concat!(
            r"^(?:PRESENT_REF|PAST_REF|FUTURE_REF",
            r"|P(?:[0-9X]+[YMWDQ])+(?:T(?:[0-9X]+[HMS])+)?|PT(?:[0-9X]+[HMS])+",
            r"|[0-9X]{2}|[0-9X]{3}|[0-9X]{4}",
            r"|[0-9X]{4}-(?:[0-9X]{2}(?:-[0-9X]{2})?|W[0-9X]{2}(?:-(?:[1-7]|WE))?|Q[1-4X]|H[12]|SP|SU|FA|WI)",
            r")(?:T(?:[0-2][0-9]:[0-5][0-9]Z?|MO|AF|EV|NI))?$"
        ))
        .unwrap();
        re.is_match(v)
    }

    #[test]
    fn odd_input_never_panics() {
        #[rustfmt::skip]
        let texts = [
            "", "-", "the", "March", "31 February 2025", "9999-99-99", "'90s", "a minute and",
            "Friday, Oct.", "the end of", "\u{2013} \u{2014} \u{2018}\u{2019} \u{201C}\u{201D}",
            "1,000,000,000,000,000 years ago", "99999999999 days ago", "the 99th century",
            "Caf\u{e9} na\u{ef}ve \u{5d0}\u{5d1} 3 p.m. \u{1F600}", "25:99 UTC", "13 p.m.", "4000000000 fortnights", "4000000000 decades ago",
            "4294967295 and a half years", "x-1\u{663}4 UTC", "half a century ago",
        ];
        for text in texts {
            let _ = run(text, Some("2025-03-05"));
            let _ = run(text, None);
            let _ = run(text, Some("0001-01-01"));
        }
    }
}
