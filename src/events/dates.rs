//! Dating event mentions: which temporal expression of a sentence dates which trigger.

use crate::time::{Timex, TimexType};

/// Nominal triggers take a date only from this close (in tokens) with no verb between.
const NOMINAL_DATE_WINDOW: usize = 6;

/// Dates the triggers of one sentence: each DATE or TIME expression with a calendar value
/// goes to the one closest trigger it can belong to, a verb with no other verb between them
/// or an event noun close by ("talks on Monday"). Reference values (`PAST_REF`) and
/// durations date nothing; neither does the document date.
pub(super) fn attach_dates(
    triggers: &[(usize, String, bool)],
    range: std::ops::Range<usize>,
    timexes: &[Timex],
    timex_of: &[Option<usize>],
) -> Vec<Option<usize>> {
    let mut dates: Vec<Option<(usize, usize)>> = vec![None; triggers.len()];
    let verbs: Vec<usize> = triggers.iter().filter(|t| !t.2).map(|t| t.0).collect();
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
        let best = triggers
            .iter()
            .enumerate()
            .filter_map(|(n, &(i, _, nominal))| {
                let (lo, hi) = if i < first { (i, first) } else { (last, i) };
                let distance = hi - lo;
                let verb_between = verbs.iter().any(|&v| lo < v && v < hi);
                let eligible = !verb_between && (!nominal || distance <= NOMINAL_DATE_WINDOW);
                // Prefer the nearer trigger; on a tie, the one before the expression.
                eligible.then_some((distance, i > last, n))
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
