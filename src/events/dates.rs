//! Dating event mentions: which temporal expression of a sentence dates which trigger.

use super::Doc;
use crate::time::{Timex, TimexType};

/// Nominal triggers take a date only from this close (in tokens) with no verb between.
const NOMINAL_DATE_WINDOW: usize = 6;

/// Dates the triggers of one sentence: each DATE or TIME expression with a calendar value
/// goes to the one closest trigger it can belong to, a verb with no other verb between them
/// or an event noun close by ("talks on Monday"). Reference values (`PAST_REF`) and
/// durations date nothing; neither do bounds ("until Monday") nor the document date.
///
/// `triggers` holds (token, is a noun) in token order. Each expression looks only at the
/// nearest verb on either side and the nouns within the window, found by binary search,
/// so the cost stays linear in the sentence length.
pub(super) fn attach_dates(
    triggers: &[(usize, bool)],
    range: std::ops::Range<usize>,
    timexes: &[Timex],
    doc: &Doc,
) -> Vec<Option<usize>> {
    let timex_of = &doc.timex_of;
    let mut dates: Vec<Option<(usize, usize)>> = vec![None; triggers.len()];
    let verbs: Vec<usize> = triggers.iter().filter(|t| !t.1).map(|t| t.0).collect();
    let mut last_bound_end = None;
    let mut k = range.start;
    while k < range.end {
        let Some(x) = timex_of[k] else {
            k += 1;
            continue;
        };
        let (first, mut last) = (k, k);
        while last + 1 < range.end && timex_of[last + 1] == Some(x) {
            last += 1;
        }
        k = last + 1;
        let t = &timexes[x];
        if !matches!(t.kind, TimexType::Date | TimexType::Time) || t.value.ends_with("_REF") {
            continue;
        }
        // "through Ramadan and Passover", "until Monday", "since March": a bound of the
        // event, not its date.
        let bound = first > range.start
            && (matches!(
                doc.low(first - 1),
                "through" | "until" | "till" | "since" | "throughout"
            ) || matches!(doc.low(first - 1), "and" | "or")
                && first >= 2
                && last_bound_end == Some(first - 2));
        if bound {
            last_bound_end = Some(last);
            continue;
        }
        // The nearest verbs before and after the expression.
        let p = verbs.partition_point(|&v| v < first);
        let verb_before = p.checked_sub(1).map(|p| verbs[p]);
        let verb_after = verbs.get(verbs.partition_point(|&v| v <= last)).copied();
        let lo = first.saturating_sub(NOMINAL_DATE_WINDOW);
        let hi = last + NOMINAL_DATE_WINDOW;
        let from = triggers.partition_point(|t| t.0 < lo);
        let nouns = triggers[from..]
            .iter()
            .take_while(|t| t.0 <= hi)
            .filter(|&&(i, noun)| {
                noun && if i < first {
                    verb_before.is_none_or(|v| v < i)
                } else {
                    verb_after.is_none_or(|v| v > i)
                }
            })
            .map(|t| t.0);
        let best = verb_before
            .into_iter()
            .chain(verb_after)
            .chain(nouns)
            .map(|i| {
                let distance = if i < first { first - i } else { i - last };
                // Prefer the nearer trigger; on a tie, the one before the expression.
                (distance, i > last, triggers.partition_point(|t| t.0 < i))
            })
            .min();
        if let Some((distance, _, n)) = best {
            if dates[n].is_none_or(|(d, _)| distance < d) {
                dates[n] = Some((distance, x));
            }
        }
    }
    dates.into_iter().map(|d| d.map(|(_, x)| x)).collect()
}
