//! Typed TIMEX3 values: calendar periods at a granularity, partial (underspecified) dates,
//! times of day, durations, sets and reference tokens. Arithmetic happens here, on types;
//! the TIMEX3 string is only rendered at the end ([`Value::render`]).

use super::DateInterval;
use chrono::{Datelike, Duration as Days, NaiveDate, Weekday};

/// How coarse a resolved calendar period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Granularity {
    /// One day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// Saturday and Sunday of an ISO week.
    Weekend,
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A season (three months starting March, June, September or December).
    Season,
    /// A half year.
    Half,
    /// A calendar year.
    Year,
    /// A decade (1990-1999).
    Decade,
    /// A century (1900-1999, TIMEX3 `19`).
    Century,
}

/// A resolved calendar period: a granularity and the first day of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Its granularity.
    pub gran: Granularity,
    /// Its first day (Monday for weeks, Saturday for weekends).
    pub start: NaiveDate,
}

/// A date that the text leaves partly unknown (no DCT to anchor it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partial {
    /// `YYYY-MM-DD` with unknown parts as X (`XXXX-03-05`, `XXXX-XX-XX`).
    Day {
        /// Year, when known.
        year: Option<i32>,
        /// Month, when known.
        month: Option<u32>,
        /// Day of month, when known.
        day: Option<u32>,
    },
    /// `YYYY-MM` (`XXXX-03`, `XXXX-XX`).
    Month {
        /// Year, when known.
        year: Option<i32>,
        /// Month, when known.
        month: Option<u32>,
    },
    /// A weekday of an unknown week (`XXXX-WXX-3`).
    Weekday(u32),
    /// An unknown week (`XXXX-WXX`).
    Week,
    /// An unknown weekend (`XXXX-WXX-WE`).
    Weekend,
    /// A quarter of an unknown year (`XXXX-Q3`, `XXXX-QX`).
    Quarter(Option<u32>),
    /// A half of an unknown year (`XXXX-H1`).
    Half(u32),
    /// A season of an unknown year (`XXXX-SU`).
    Season(Season),
    /// An unknown year (`XXXX`).
    Year,
}

/// A season, as TIMEX3 codes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Season {
    /// `SP`, March to May.
    Spring,
    /// `SU`, June to August.
    Summer,
    /// `FA`, September to November.
    Fall,
    /// `WI`, December to February.
    Winter,
}

impl Season {
    /// Parses a TIMEX3 season code.
    pub fn from_code(code: &str) -> Option<Season> {
        match code {
            "SP" => Some(Season::Spring),
            "SU" => Some(Season::Summer),
            "FA" => Some(Season::Fall),
            "WI" => Some(Season::Winter),
            _ => None,
        }
    }
    fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }
    /// First month of the season.
    pub fn first_month(self) -> u32 {
        match self {
            Season::Spring => 3,
            Season::Summer => 6,
            Season::Fall => 9,
            Season::Winter => 12,
        }
    }
}

/// A part of the day or a clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Hours and minutes (`T15:00`; midnight is `T24:00`).
    At(u32, u32),
    /// `TMO`, `TAF`, `TEV`, `TNI`.
    Part(&'static str),
    /// Hours and minutes in UTC (`T08:30Z`).
    Utc(u32, u32),
}

/// The day a time of day falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRef {
    /// A resolved day.
    Day(NaiveDate),
    /// An unresolved one.
    Partial(Partial),
}

/// The unit of a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Quarters.
    Quarter,
    /// Years.
    Year,
    /// Decades (rendered in years).
    Decade,
    /// Centuries (rendered in years).
    Century,
}

impl Unit {
    /// Parses a lexicon unit code (`S MIN H D W M Q Y DE CE`).
    pub fn from_code(code: &str) -> Option<Unit> {
        Some(match code {
            "S" => Unit::Second,
            "MIN" => Unit::Minute,
            "H" => Unit::Hour,
            "D" => Unit::Day,
            "W" => Unit::Week,
            "M" => Unit::Month,
            "Q" => Unit::Quarter,
            "Y" => Unit::Year,
            "DE" => Unit::Decade,
            "CE" => Unit::Century,
            _ => return None,
        })
    }
    /// The calendar granularity a period of this unit has ("last week" is a week).
    pub fn granularity(self) -> Option<Granularity> {
        Some(match self {
            Unit::Day => Granularity::Day,
            Unit::Week => Granularity::Week,
            Unit::Month => Granularity::Month,
            Unit::Quarter => Granularity::Quarter,
            Unit::Year => Granularity::Year,
            Unit::Decade => Granularity::Decade,
            Unit::Century => Granularity::Century,
            Unit::Second | Unit::Minute | Unit::Hour => return None,
        })
    }
    fn is_clock(self) -> bool {
        matches!(self, Unit::Second | Unit::Minute | Unit::Hour)
    }
}

/// A length of time: an amount (None = unspecified, `X`) of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// How many units; None when vague ("several years" -> `PXY`).
    pub amount: Option<u32>,
    /// Which unit.
    pub unit: Unit,
    /// An extra half unit ("a minute and a half", "1.5 hours").
    pub half: bool,
}

/// A TimeML reference token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// `PRESENT_REF`.
    Present,
    /// `PAST_REF`.
    Past,
    /// `FUTURE_REF`.
    Future,
}

impl Reference {
    /// Parses the TIMEX3 token.
    pub fn from_code(code: &str) -> Option<Reference> {
        match code {
            "PRESENT_REF" => Some(Reference::Present),
            "PAST_REF" => Some(Reference::Past),
            "FUTURE_REF" => Some(Reference::Future),
            _ => None,
        }
    }
}

/// A typed TIMEX3 value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A resolved calendar period.
    Period(Period),
    /// A partly unknown date.
    Partial(Partial),
    /// A time of day on a day.
    Time(DayRef, Clock),
    /// A length of time.
    Duration(Duration),
    /// A recurring period (`P1W`) or a recurring calendar slot (`XXXX-WXX-4`).
    Set(SetValue),
    /// A reference token.
    Ref(Reference),
}

/// What a set repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetValue {
    /// Every so long (`P1D`).
    Every(Duration),
    /// Every such calendar slot (`XXXX-WXX-4`, `XXXX-Q4`).
    Slot(Partial),
    /// Every such slot at a part of day (`XXXX-WXX-2TNI`).
    SlotAt(Partial, Clock),
}

/// Adds `n` months to a first-of-month date.
pub fn add_months(d: NaiveDate, n: i32) -> NaiveDate {
    let total = d.year() * 12 + d.month0() as i32 + n;
    let (y, m0) = (total.div_euclid(12), total.rem_euclid(12) as u32);
    let last = days_in_month(y, m0 + 1);
    NaiveDate::from_ymd_opt(y, m0 + 1, d.day().min(last)).unwrap_or(d)
}

/// Number of days in a month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => (b - a).num_days() as u32,
        _ => 30,
    }
}

/// Years a text may name: keeps calendar arithmetic far from chrono's limits.
pub fn plausible_year(y: i32) -> bool {
    (1000..=2999).contains(&y)
}

impl Period {
    /// The period of granularity `gran` that contains `day`.
    pub fn containing(gran: Granularity, day: NaiveDate) -> Period {
        let y = day.year();
        let start = match gran {
            Granularity::Day => day,
            Granularity::Week => day - Days::days(i64::from(day.weekday().num_days_from_monday())),
            Granularity::Weekend => {
                let monday = day - Days::days(i64::from(day.weekday().num_days_from_monday()));
                monday + Days::days(5)
            }
            Granularity::Month => first(y, day.month()),
            Granularity::Quarter => first(y, (day.month0() / 3) * 3 + 1),
            Granularity::Half => first(y, (day.month0() / 6) * 6 + 1),
            Granularity::Season => {
                // December belongs to the winter of its own year; January and February to the
                // winter that began the December before.
                let m = day.month();
                match m {
                    1 | 2 => first(y - 1, 12),
                    _ => first(y, ((m - 3) / 3) * 3 + 3),
                }
            }
            Granularity::Year => first(y, 1),
            Granularity::Decade => first(y.div_euclid(10) * 10, 1),
            Granularity::Century => first(y.div_euclid(100) * 100, 1),
        };
        Period { gran, start }
    }

    /// The period `n` periods later (earlier when negative); seasons step by years.
    pub fn shift(self, n: i32) -> Period {
        let start = match self.gran {
            Granularity::Day => self.start + Days::days(i64::from(n)),
            Granularity::Week | Granularity::Weekend => self.start + Days::weeks(i64::from(n)),
            Granularity::Month => add_months(self.start, n),
            Granularity::Quarter => add_months(self.start, 3 * n),
            Granularity::Half => add_months(self.start, 6 * n),
            Granularity::Season | Granularity::Year => add_months(self.start, 12 * n),
            Granularity::Decade => add_months(self.start, 120 * n),
            Granularity::Century => add_months(self.start, 1200 * n),
        };
        Period {
            gran: self.gran,
            start,
        }
    }

    /// The half-open interval of days the period covers.
    pub fn interval(self) -> DateInterval {
        let end = match self.gran {
            Granularity::Weekend => self.start + Days::days(2),
            Granularity::Season => add_months(self.start, 3),
            _ => self.shift(1).start,
        };
        DateInterval {
            start: self.start,
            end,
        }
    }

    fn render(self) -> String {
        let d = self.start;
        let y = d.year();
        match self.gran {
            Granularity::Day => format!("{y:04}-{:02}-{:02}", d.month(), d.day()),
            Granularity::Week => {
                let w = d.iso_week();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Granularity::Weekend => {
                let w = d.iso_week();
                format!("{:04}-W{:02}-WE", w.year(), w.week())
            }
            Granularity::Month => format!("{y:04}-{:02}", d.month()),
            Granularity::Quarter => format!("{y:04}-Q{}", d.month0() / 3 + 1),
            Granularity::Half => format!("{y:04}-H{}", d.month0() / 6 + 1),
            Granularity::Season => {
                let s = match d.month() {
                    3..=5 => Season::Spring,
                    6..=8 => Season::Summer,
                    9..=11 => Season::Fall,
                    _ => Season::Winter,
                };
                format!("{y:04}-{}", s.code())
            }
            Granularity::Year => format!("{y:04}"),
            Granularity::Decade => format!("{:03}", y.div_euclid(10)),
            Granularity::Century => format!("{:02}", y.div_euclid(100)),
        }
    }
}

fn first(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
}

/// Builds a period from its year and index (quarter 1-4, half 1-2, month 1-12, season).
pub fn period_of(gran: Granularity, year: i32, index: u32) -> Option<Period> {
    let month = match gran {
        Granularity::Quarter if (1..=4).contains(&index) => (index - 1) * 3 + 1,
        Granularity::Half if (1..=2).contains(&index) => (index - 1) * 6 + 1,
        Granularity::Month if (1..=12).contains(&index) => index,
        Granularity::Season => index,
        Granularity::Year | Granularity::Decade | Granularity::Century => 1,
        _ => return None,
    };
    let start = NaiveDate::from_ymd_opt(year, month, 1)?;
    Some(Period { gran, start })
}

impl Partial {
    fn render(self) -> String {
        let y = |y: Option<i32>| y.map_or("XXXX".to_string(), |y| format!("{y:04}"));
        let n = |n: Option<u32>| n.map_or("XX".to_string(), |n| format!("{n:02}"));
        match self {
            Partial::Day { year, month, day } => format!("{}-{}-{}", y(year), n(month), n(day)),
            Partial::Month { year, month } => format!("{}-{}", y(year), n(month)),
            Partial::Weekday(d) => format!("XXXX-WXX-{d}"),
            Partial::Week => "XXXX-WXX".to_string(),
            Partial::Weekend => "XXXX-WXX-WE".to_string(),
            Partial::Quarter(q) => q.map_or("XXXX-QX".to_string(), |q| format!("XXXX-Q{q}")),
            Partial::Half(h) => format!("XXXX-H{h}"),
            Partial::Season(s) => format!("XXXX-{}", s.code()),
            Partial::Year => "XXXX".to_string(),
        }
    }
}

impl Clock {
    fn render(self) -> String {
        match self {
            Clock::At(h, m) => format!("T{h:02}:{m:02}"),
            Clock::Part(p) => format!("T{p}"),
            Clock::Utc(h, m) => format!("T{h:02}:{m:02}Z"),
        }
    }
}

impl Duration {
    fn render(self) -> String {
        // Decades and centuries are written in years, half units in the next smaller unit.
        let (mut amount, mut unit, mut half) = (self.amount, self.unit, self.half);
        match unit {
            Unit::Decade => {
                amount = amount.map(|a| {
                    a.saturating_mul(10)
                        .saturating_add(if half { 5 } else { 0 })
                });
                unit = Unit::Year;
                half = false;
            }
            Unit::Century => {
                amount = amount.map(|a| {
                    a.saturating_mul(100)
                        .saturating_add(if half { 50 } else { 0 })
                });
                unit = Unit::Year;
                half = false;
            }
            _ => {}
        }
        let a = amount.map_or("X".to_string(), |a| a.to_string());
        let t = if unit.is_clock() { "T" } else { "" };
        let code = match unit {
            Unit::Second => "S",
            Unit::Minute | Unit::Month => "M",
            Unit::Hour => "H",
            Unit::Day => "D",
            Unit::Week => "W",
            Unit::Quarter => "Q",
            Unit::Year | Unit::Decade | Unit::Century => "Y",
        };
        if half {
            if let Some(a) = amount {
                let smaller = match unit {
                    Unit::Year if a == 0 => Some("P6M".to_string()),
                    Unit::Year => Some(format!("P{a}Y6M")),
                    Unit::Month => Some(format!("P{a}M15D")),
                    Unit::Week => Some(format!("P{}D", u64::from(a) * 7 + 3)),
                    Unit::Day if a == 0 => Some("PT12H".to_string()),
                    Unit::Day => Some(format!("P{a}DT12H")),
                    Unit::Hour if a == 0 => Some("PT30M".to_string()),
                    Unit::Hour => Some(format!("PT{a}H30M")),
                    Unit::Minute => Some(format!("PT{a}M30S")),
                    _ => None,
                };
                if let Some(s) = smaller {
                    return s;
                }
            }
        }
        format!("P{t}{a}{code}")
    }
}

impl Value {
    /// The TIMEX3 `value` string.
    pub fn render(&self) -> String {
        match *self {
            Value::Period(p) => p.render(),
            Value::Partial(p) => p.render(),
            Value::Time(day, clock) => {
                let d = match day {
                    DayRef::Day(d) => Period {
                        gran: Granularity::Day,
                        start: d,
                    }
                    .render(),
                    DayRef::Partial(p) => p.render(),
                };
                format!("{d}{}", clock.render())
            }
            Value::Duration(d) => d.render(),
            Value::Set(SetValue::Every(d)) => d.render(),
            Value::Set(SetValue::Slot(p)) => p.render(),
            Value::Set(SetValue::SlotAt(p, c)) => format!("{}{}", p.render(), c.render()),
            Value::Ref(Reference::Present) => "PRESENT_REF".to_string(),
            Value::Ref(Reference::Past) => "PAST_REF".to_string(),
            Value::Ref(Reference::Future) => "FUTURE_REF".to_string(),
        }
    }

    /// The days the value covers, when it is resolved to the calendar.
    pub fn interval(&self) -> Option<DateInterval> {
        match *self {
            Value::Period(p) => Some(p.interval()),
            Value::Time(DayRef::Day(d), _) => Some(
                Period {
                    gran: Granularity::Day,
                    start: d,
                }
                .interval(),
            ),
            _ => None,
        }
    }
}

/// The most recent day with weekday `wd` on or before `day` (`strict`: before).
pub fn weekday_before(day: NaiveDate, wd: Weekday, strict: bool) -> NaiveDate {
    let mut back =
        (7 + day.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64) % 7;
    if strict && back == 0 {
        back = 7;
    }
    day - Days::days(back)
}

/// The nearest day with weekday `wd` on or after `day` (`strict`: after).
pub fn weekday_after(day: NaiveDate, wd: Weekday, strict: bool) -> NaiveDate {
    let mut fwd =
        (7 + wd.num_days_from_monday() as i64 - day.weekday().num_days_from_monday() as i64) % 7;
    if strict && fwd == 0 {
        fwd = 7;
    }
    day + Days::days(fwd)
}

/// ISO weekday number (1 = Monday) to chrono's weekday.
pub fn weekday_of(n: u32) -> Weekday {
    match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        _ => Weekday::Sun,
    }
}

/// Easter Sunday of a Gregorian year (anonymous Gregorian computus, Meeus/Jones/Butcher).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// First day of Passover (15 Nisan) in a Gregorian year, by Gauss' Pesach formula.
pub fn passover(year: i32) -> Option<NaiveDate> {
    let a = (12 * year + 12).rem_euclid(19);
    let b = year.rem_euclid(4);
    let m = 20.095_587_7 + 1.554_241_8 * f64::from(a) + 0.25 * f64::from(b)
        - 0.003_177_794 * f64::from(year);
    let mut day = m.floor() as i32;
    let frac = m - m.floor();
    match (day + 3 * year + 5 * b + 1).rem_euclid(7) {
        2 | 4 | 6 => day += 1,
        1 if a > 6 && frac >= 0.632_870_37 => day += 2,
        0 if a > 11 && frac >= 0.897_723_76 => day += 1,
        _ => {}
    }
    // `day` is a day of March in the Julian calendar; shift it to the Gregorian one.
    let c = year.div_euclid(100);
    let march1 = NaiveDate::from_ymd_opt(year, 3, 1)?;
    Some(march1 + Days::days(i64::from(day - 1 + c - c.div_euclid(4) - 2)))
}

/// First day of Ramadan that falls in a Gregorian year (arithmetic Islamic calendar;
/// the observed start can differ by a day or two with the sighting of the moon).
pub fn ramadan(year: i32) -> Option<NaiveDate> {
    // Julian day number of 1 Ramadan of Islamic year `h` (tabular calendar, epoch 622-07-16).
    let jdn = |h: i64| -> i64 {
        1 + (29.5f64 * 8.0).ceil() as i64 + (h - 1) * 354 + (3 + 11 * h).div_euclid(30) + 1_948_439
    };
    let unix_jdn = 2_440_588i64; // 1970-01-01
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let approx = ((i64::from(year) - 622) as f64 * 33.0 / 32.0) as i64;
    for h in approx - 2..approx + 3 {
        let d = epoch + Days::days(jdn(h) - unix_jdn);
        if d.year() == year {
            return Some(d);
        }
    }
    None
}

/// The `n`th weekday `wd` of a month (`n = -1`: the last one).
pub fn nth_weekday(year: i32, month: u32, wd: Weekday, n: i32) -> Option<NaiveDate> {
    if n > 0 {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let d = weekday_after(first, wd, false) + Days::weeks(i64::from(n - 1));
        (d.month() == month).then_some(d)
    } else {
        let last = NaiveDate::from_ymd_opt(year, month, days_in_month(year, month))?;
        Some(weekday_before(last, wd, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_render_and_cover_their_days() {
        let dct = day("2025-03-05");
        let cases = [
            (Granularity::Day, "2025-03-05", "2025-03-05", "2025-03-06"),
            (Granularity::Week, "2025-W10", "2025-03-03", "2025-03-10"),
            (
                Granularity::Weekend,
                "2025-W10-WE",
                "2025-03-08",
                "2025-03-10",
            ),
            (Granularity::Month, "2025-03", "2025-03-01", "2025-04-01"),
            (Granularity::Quarter, "2025-Q1", "2025-01-01", "2025-04-01"),
            (Granularity::Half, "2025-H1", "2025-01-01", "2025-07-01"),
            (Granularity::Season, "2025-SP", "2025-03-01", "2025-06-01"),
            (Granularity::Year, "2025", "2025-01-01", "2026-01-01"),
            (Granularity::Decade, "202", "2020-01-01", "2030-01-01"),
            (Granularity::Century, "20", "2000-01-01", "2100-01-01"),
        ];
        for (gran, value, start, end) in cases {
            let p = Period::containing(gran, dct);
            assert_eq!(Value::Period(p).render(), value);
            assert_eq!(
                p.interval(),
                DateInterval {
                    start: day(start),
                    end: day(end)
                },
                "{value}"
            );
        }
        let last_weekend = Period::containing(Granularity::Weekend, dct).shift(-1);
        assert_eq!(Value::Period(last_weekend).render(), "2025-W09-WE");
        let winter = Period::containing(Granularity::Season, day("2025-01-10"));
        assert_eq!(Value::Period(winter).render(), "2024-WI");
    }

    #[test]
    fn durations_render_in_timex3_units() {
        let d = |amount, unit, half| Value::Duration(Duration { amount, unit, half }).render();
        assert_eq!(d(Some(6), Unit::Week, false), "P6W");
        assert_eq!(d(Some(48), Unit::Hour, false), "PT48H");
        assert_eq!(d(Some(1), Unit::Decade, false), "P10Y");
        assert_eq!(d(None, Unit::Year, false), "PXY");
        assert_eq!(d(Some(1), Unit::Minute, true), "PT1M30S");
        assert_eq!(d(Some(1), Unit::Year, true), "P1Y6M");
        assert_eq!(d(Some(0), Unit::Hour, true), "PT30M");
    }

    #[test]
    fn holidays_are_computed() {
        let cases = [
            (easter(2025), "2025-04-20"),
            (easter(2024), "2024-03-31"),
            (easter(1998), "1998-04-12"),
            (passover(2025), "2025-04-13"),
            (passover(2024), "2024-04-23"),
            (passover(2000), "2000-04-20"),
            (ramadan(2025), "2025-03-01"),
            (nth_weekday(2025, 11, Weekday::Thu, 4), "2025-11-27"),
            (nth_weekday(1999, 11, Weekday::Thu, 4), "1999-11-25"),
            (nth_weekday(2025, 5, Weekday::Mon, -1), "2025-05-26"),
        ];
        for (got, want) in cases {
            assert_eq!(got, Some(day(want)), "{want}");
        }
    }
}
