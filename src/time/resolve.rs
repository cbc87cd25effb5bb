//! Anchoring: turns an unanchored [`Expr`] into a typed [`Value`] against the document
//! creation time and the sentence's tense. Without a DCT, relative readings stay partial.

use super::grammar::{DayExpr, Expr, Rel, YearPart, YearSpec};
use super::lexicon::HolidayRule;
use super::value::{
    easter, nth_weekday, passover, period_of, plausible_year, ramadan, weekday_after,
    weekday_before, weekday_of, Clock, DayRef, Duration, Granularity, Partial, Period, Reference,
    SetValue, Unit, Value,
};
use chrono::{Datelike, Duration as Days, NaiveDate};

/// Which way the sentence around an expression points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// Past cues ("said", "was", "-ed").
    Past,
    /// Future cues ("will", "plans", "scheduled").
    Future,
    /// No cue.
    Unknown,
}

/// What a value was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The text alone fixes it.
    Text,
    /// Computed from the DCT.
    Dct,
    /// Relative, with nothing to anchor it.
    None,
}

impl Anchor {
    /// The name used in [`super::Timex::anchor`].
    pub fn name(self) -> &'static str {
        match self {
            Anchor::Text => "text",
            Anchor::Dct => "dct",
            Anchor::None => "none",
        }
    }
}

/// What an expression is resolved against.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// The document creation time.
    pub dct: Option<NaiveDate>,
    /// The tense of the sentence around the expression.
    pub tense: Tense,
    /// The document talks about fiscal quarters: there, "a year ago" is the year-ago
    /// quarter, as earnings reports mean it.
    pub quarterly: bool,
    /// The last date the text resolved before the expression, for "the next day" and
    /// "that year" (the DCT when there is none, or when it is coarser than asked for).
    pub reference: Option<Period>,
}

/// True when the value of `expr` depends on the tense of its sentence (bare weekdays,
/// months and dates without a year, "the weekend"): only those need a tagged sentence.
pub fn needs_tense(expr: &Expr) -> bool {
    let day = |d: &DayExpr| {
        matches!(
            d,
            DayExpr::Weekday(_, Rel::Bare) | DayExpr::MonthDay(_, _, YearSpec::Near(_))
        )
    };
    match expr {
        Expr::Weekday(_, Rel::Bare) | Expr::InYear(_, YearSpec::Near(_)) => true,
        Expr::Relative(Granularity::Weekend, 0) => true,
        Expr::Time(Some(d), _) => day(d),
        _ => false,
    }
}

/// Resolves an expression; None when the text names an impossible date ("February 30").
pub fn resolve(expr: Expr, ctx: Context) -> Option<(Value, Anchor)> {
    let Context {
        dct,
        tense,
        quarterly,
        reference,
    } = ctx;
    let dct = dct.filter(|d| plausible_year(d.year()));
    let one_year = Duration {
        amount: Some(1),
        unit: Unit::Year,
        half: false,
    };
    let expr = match expr {
        Expr::Offset(d, -1) if quarterly && d == one_year => Expr::ReportQuarter(-1),
        e => e,
    };
    match expr {
        Expr::Anaphoric(gran, shift) => {
            let fine_enough = |p: &Period| rank(p.gran) <= rank(gran);
            let (day, anchor) = match (reference.filter(fine_enough), dct) {
                (Some(p), _) => (p.start, Anchor::Text),
                (None, Some(d)) => (d, Anchor::Dct),
                (None, None) => return Some((Value::Partial(partial_gran(gran)), Anchor::None)),
            };
            let p = Period::containing(gran, day).shift(shift);
            plausible_year(p.start.year()).then_some((Value::Period(p), anchor))
        }
        Expr::InYear(part, YearSpec::Explicit(y)) => {
            Some((Value::Period(in_year(part, y)?), Anchor::Text))
        }
        Expr::InYear(part, spec) => match dct {
            None => Some((Value::Partial(partial_of(part)), Anchor::None)),
            Some(dct) => Some((Value::Period(near(part, spec, dct, tense)?), Anchor::Dct)),
        },
        Expr::Decade(y) => Some((
            Value::Period(period_of(Granularity::Decade, y, 1)?),
            Anchor::Text,
        )),
        Expr::Century(y) => Some((
            Value::Period(period_of(Granularity::Century, y, 1)?),
            Anchor::Text,
        )),
        Expr::Deictic(_) | Expr::Weekday(..) => {
            let day = match expr {
                Expr::Deictic(off) => DayExpr::Deictic(off),
                Expr::Weekday(d, rel) => DayExpr::Weekday(d, rel),
                _ => return None,
            };
            match (dct, resolve_day(day, dct, tense, reference)?) {
                (_, DayRef::Day(d)) => Some((
                    Value::Period(Period {
                        gran: Granularity::Day,
                        start: d,
                    }),
                    Anchor::Dct,
                )),
                (_, DayRef::Partial(p)) => Some((Value::Partial(p), Anchor::None)),
            }
        }
        Expr::Relative(gran, shift) => match dct {
            None => Some((Value::Partial(partial_gran(gran)), Anchor::None)),
            Some(dct) => {
                let mut p = Period::containing(gran, dct);
                if gran == Granularity::Weekend
                    && shift == 0
                    && tense != Tense::Future
                    && p.start > dct
                {
                    // "over the weekend" in a weekday story: the one just past
                    p = p.shift(-1);
                }
                Some((Value::Period(p.shift(shift)), Anchor::Dct))
            }
        },
        Expr::YearBefore(gran) => {
            let named = reference.filter(|p| gran.is_none_or(|g| rank(p.gran) <= rank(g)));
            let (p, anchor) = match (named, dct) {
                (Some(p), _) => (p, Anchor::Text),
                (None, Some(_)) if quarterly => {
                    return resolve(Expr::ReportQuarter(-1), ctx);
                }
                (None, Some(d)) => (Period::containing(Granularity::Year, d), Anchor::Dct),
                (None, None) => {
                    let g = gran.unwrap_or(Granularity::Year);
                    return Some((Value::Partial(partial_gran(g)), Anchor::None));
                }
            };
            // A "period" is never a single day: in an earnings report it is the quarter.
            let gran = match (gran, p.gran) {
                (Some(g), _) => g,
                (None, Granularity::Day | Granularity::Weekend | Granularity::Week) => {
                    if quarterly {
                        Granularity::Quarter
                    } else {
                        Granularity::Month
                    }
                }
                (None, g) => g,
            };
            let start = Period::containing(gran, p.start).start;
            let back = start
                .with_year(start.year() - 1)
                .or_else(|| start.pred_opt()?.with_year(start.year() - 1))?;
            let p = Period::containing(gran, back);
            plausible_year(p.start.year()).then_some((Value::Period(p), anchor))
        }
        Expr::ReportQuarter(years) => match dct {
            None => Some((Value::Partial(Partial::Quarter(None)), Anchor::None)),
            Some(dct) => {
                let p = Period::containing(Granularity::Quarter, dct).shift(-1 + 4 * years);
                Some((Value::Period(p), Anchor::Dct))
            }
        },
        Expr::Offset(d, sign) => offset(d, sign, dct),
        Expr::Time(day, clock) => {
            // A bare clock time ("at 10:35 a.m.") falls on the day the text last named;
            // "this morning" and "tonight" on the DCT's.
            let named_day = reference
                .filter(|p| p.gran == Granularity::Day)
                .filter(|_| matches!(clock, Clock::At(..) | Clock::Utc(..)));
            // Without a DCT, a full day can only come from the text (a date it named).
            let mut from_text = dct.is_none();
            let day = match day {
                Some(day) => resolve_day(day, dct, tense, reference)?,
                None => match (named_day, dct) {
                    (Some(p), _) => {
                        from_text = true;
                        DayRef::Day(p.start)
                    }
                    (None, Some(d)) => DayRef::Day(d),
                    (None, None) => DayRef::Partial(Partial::Day {
                        year: None,
                        month: None,
                        day: None,
                    }),
                },
            };
            let anchor = match day {
                DayRef::Day(_) if from_text => Anchor::Text,
                DayRef::Day(_) => Anchor::Dct,
                DayRef::Partial(_) => Anchor::None,
            };
            Some((Value::Time(day, clock), anchor))
        }
        Expr::Duration(d) => Some((Value::Duration(d), Anchor::Text)),
        Expr::Every(d) => Some((Value::Set(SetValue::Every(d)), Anchor::Text)),
        Expr::EveryWeekday(d, None) => Some((
            Value::Set(SetValue::Slot(Partial::Weekday(d))),
            Anchor::Text,
        )),
        Expr::EveryWeekday(d, Some(c)) => Some((
            Value::Set(SetValue::SlotAt(Partial::Weekday(d), c)),
            Anchor::Text,
        )),
        Expr::Ref(r) => Some((Value::Ref(r), Anchor::None)),
    }
}

fn resolve_day(
    day: DayExpr,
    dct: Option<NaiveDate>,
    tense: Tense,
    reference: Option<Period>,
) -> Option<DayRef> {
    let named = reference
        .filter(|p| p.gran == Granularity::Day)
        .map(|p| p.start);
    match (day, dct) {
        (DayExpr::Named, _) => Some(match named.or(dct) {
            Some(d) => DayRef::Day(d),
            None => DayRef::Partial(Partial::Day {
                year: None,
                month: None,
                day: None,
            }),
        }),
        (DayExpr::Deictic(off), Some(d)) => Some(DayRef::Day(d + Days::days(off))),
        (DayExpr::Deictic(_), None) => Some(DayRef::Partial(Partial::Day {
            year: None,
            month: None,
            day: None,
        })),
        (DayExpr::Weekday(wd, rel), Some(d)) => {
            let w = weekday_of(wd);
            Some(DayRef::Day(match rel {
                Rel::Last => weekday_before(d, w, true),
                Rel::Next => weekday_after(d, w, true),
                Rel::This => {
                    weekday_after(Period::containing(Granularity::Week, d).start, w, false)
                }
                Rel::Bare if tense == Tense::Future => weekday_after(d, w, false),
                Rel::Bare => weekday_before(d, w, false),
            }))
        }
        (DayExpr::Weekday(wd, _), None) => Some(DayRef::Partial(Partial::Weekday(wd))),
        (DayExpr::MonthDay(m, dd, YearSpec::Explicit(y)), _) => {
            Some(DayRef::Day(NaiveDate::from_ymd_opt(y, m, dd)?))
        }
        (DayExpr::MonthDay(m, dd, spec), Some(d)) => Some(DayRef::Day(
            near(YearPart::MonthDay(m, dd), spec, d, tense)?.start,
        )),
        (DayExpr::MonthDay(m, dd, _), None) => Some(DayRef::Partial(Partial::Day {
            year: None,
            month: Some(m),
            day: Some(dd),
        })),
    }
}

/// The period `part` names in year `y`.
fn in_year(part: YearPart, y: i32) -> Option<Period> {
    if !plausible_year(y) {
        return None;
    }
    let day = |d: NaiveDate| Period {
        gran: Granularity::Day,
        start: d,
    };
    match part {
        YearPart::Whole => period_of(Granularity::Year, y, 1),
        YearPart::Month(m) => period_of(Granularity::Month, y, m),
        YearPart::MonthDay(m, d) => NaiveDate::from_ymd_opt(y, m, d).map(day),
        YearPart::Quarter(q) => period_of(Granularity::Quarter, y, q),
        YearPart::Half(h) => period_of(Granularity::Half, y, h),
        YearPart::Season(s) => period_of(Granularity::Season, y, s.first_month()),
        YearPart::Holiday(rule) => holiday(rule, y).map(day),
    }
}

/// The date of a holiday in a year.
pub fn holiday(rule: HolidayRule, y: i32) -> Option<NaiveDate> {
    match rule {
        HolidayRule::Fixed(m, d) => NaiveDate::from_ymd_opt(y, m, d),
        HolidayRule::Nth(m, wd, n) => nth_weekday(y, m, weekday_of(wd), n),
        HolidayRule::Easter(off) => easter(y).map(|d| d + Days::days(off)),
        HolidayRule::Passover(off) => passover(y).map(|d| d + Days::days(off)),
        HolidayRule::Ramadan => ramadan(y),
    }
}

/// The occurrence of `part` nearest to the DCT that `spec` and the tense allow.
fn near(part: YearPart, spec: YearSpec, dct: NaiveDate, tense: Tense) -> Option<Period> {
    let y = dct.year();
    let rel = match spec {
        YearSpec::Explicit(y) => return in_year(part, y),
        YearSpec::Shift(n) => return in_year(part, y + n),
        YearSpec::Near(rel) => rel,
    };
    let this = in_year(part, y)?;
    let contains = this.interval().start <= dct && dct < this.interval().end;
    // Quarters and halves are reported after they end: one that has not begun is last
    // year's in a past-tense sentence, or when last year's ended nearer to the DCT.
    let reported = matches!(part, YearPart::Quarter(_) | YearPart::Half(_));
    let last_years_is_nearer =
        || in_year(part, y - 1).is_some_and(|p| (dct - p.interval().end) < (this.start - dct));
    let shift = match rel {
        Rel::Last if this.start >= dct || contains => -1,
        Rel::Next if this.start <= dct => 1,
        Rel::Bare
            if reported
                && this.start > dct
                && (tense == Tense::Past
                    || (tense == Tense::Unknown && last_years_is_nearer())) =>
        {
            -1
        }
        Rel::Bare if reported => 0,
        Rel::Bare => nearest_year(part, y, dct, tense),
        _ => 0,
    };
    if let YearPart::Season(_) = part {
        // Winter of the previous year still runs in January and February.
        if rel == Rel::This || (rel == Rel::Bare && shift == 0) {
            let cur = Period::containing(Granularity::Season, dct);
            if cur.start.year() == y - 1 && in_year(part, y - 1) == Some(cur) {
                return Some(cur);
            }
        }
    }
    in_year(part, y + shift)
}

/// The year shift (-1, 0, 1) that puts `part` nearest to the DCT; the tense breaks
/// near-ties ("in December" in a January story that says "was" is last December).
fn nearest_year(part: YearPart, y: i32, dct: NaiveDate, tense: Tense) -> i32 {
    let distance = |shift: i32| -> i64 {
        in_year(part, y + shift).map_or(i64::MAX, |p| {
            let iv = p.interval();
            if iv.start > dct {
                (iv.start - dct).num_days()
            } else if iv.end <= dct {
                (dct - iv.end).num_days() + 1
            } else {
                0
            }
        })
    };
    // News reports the past more than it announces: a future reading must be clearly nearer.
    let weighted = |shift: i32| -> i64 {
        let d = distance(shift);
        if shift > 0 && tense != Tense::Future {
            d.saturating_mul(2)
        } else {
            d
        }
    };
    let mut best = 0;
    for shift in [-1, 1] {
        if weighted(shift) < weighted(best) {
            best = shift;
        }
    }
    // A tense that disagrees with the nearest reading picks the nearest reading it allows,
    // when that one is within ten months.
    let start_of = |shift: i32| in_year(part, y + shift).map(|p| p.interval());
    if let Some(iv) = start_of(best) {
        let wrong_way = match tense {
            Tense::Past => iv.start > dct,
            Tense::Future => iv.end <= dct,
            Tense::Unknown => false,
        };
        if wrong_way {
            let alt = best + if tense == Tense::Past { -1 } else { 1 };
            if distance(alt) < 300 {
                best = alt;
            }
        }
    }
    best
}

fn partial_of(part: YearPart) -> Partial {
    match part {
        YearPart::Whole => Partial::Year,
        YearPart::Month(m) => Partial::Month {
            year: None,
            month: Some(m),
        },
        YearPart::MonthDay(m, d) => Partial::Day {
            year: None,
            month: Some(m),
            day: Some(d),
        },
        YearPart::Quarter(q) => Partial::Quarter(Some(q)),
        YearPart::Half(h) => Partial::Half(h),
        YearPart::Season(s) => Partial::Season(s),
        YearPart::Holiday(HolidayRule::Fixed(m, d)) => Partial::Day {
            year: None,
            month: Some(m),
            day: Some(d),
        },
        YearPart::Holiday(_) => Partial::Day {
            year: None,
            month: None,
            day: None,
        },
    }
}

/// Granularities from fine to coarse.
fn rank(gran: Granularity) -> u8 {
    match gran {
        Granularity::Day => 0,
        Granularity::Weekend => 1,
        Granularity::Week => 2,
        Granularity::Month => 3,
        Granularity::Quarter | Granularity::Season => 4,
        Granularity::Half => 5,
        Granularity::Year => 6,
        Granularity::Decade => 7,
        Granularity::Century => 8,
    }
}

fn partial_gran(gran: Granularity) -> Partial {
    match gran {
        Granularity::Day => Partial::Day {
            year: None,
            month: None,
            day: None,
        },
        Granularity::Week => Partial::Week,
        Granularity::Weekend => Partial::Weekend,
        Granularity::Month => Partial::Month {
            year: None,
            month: None,
        },
        Granularity::Quarter => Partial::Quarter(None),
        Granularity::Season
        | Granularity::Half
        | Granularity::Year
        | Granularity::Decade
        | Granularity::Century => Partial::Year,
    }
}

/// "two weeks ago", "a year earlier", "three days from now".
fn offset(d: Duration, sign: i32, dct: Option<NaiveDate>) -> Option<(Value, Anchor)> {
    let Some(amount) = d.amount else {
        let r = if sign < 0 {
            Reference::Past
        } else {
            Reference::Future
        };
        return Some((Value::Ref(r), Anchor::None));
    };
    let (gran, n) = match d.unit {
        Unit::Second | Unit::Minute | Unit::Hour => {
            return Some((Value::Duration(d), Anchor::Text))
        }
        Unit::Decade => (Granularity::Year, amount.saturating_mul(10)),
        Unit::Century => (Granularity::Year, amount.saturating_mul(100)),
        Unit::Year if d.half => (
            Granularity::Month,
            amount.saturating_mul(12).saturating_add(6),
        ),
        u => (u.granularity()?, amount),
    };
    let Some(dct) = dct else {
        return Some((Value::Partial(partial_gran(gran)), Anchor::None));
    };
    let n = i32::try_from(n).ok().filter(|n| *n < 5000)?;
    let p = Period::containing(gran, dct).shift(sign * n);
    plausible_year(p.start.year()).then_some((Value::Period(p), Anchor::Dct))
}
