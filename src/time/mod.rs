//! Stage 3b: time. Finds temporal expressions and normalizes them to TIMEX3 values
//! against the document creation time (DCT). Without a DCT, relative expressions stay
//! underspecified (`XXXX-WXX-3`): the stage never consults the clock.

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

/// Finds and normalizes the temporal expressions of one document.
pub fn find_timexes(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    dct: Option<NaiveDate>,
) -> Vec<Timex> {
    let _ = (text, tokens, sentences, dct);
    Vec::new()
}
