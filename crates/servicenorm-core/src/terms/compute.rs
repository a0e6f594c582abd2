//! Counting terms on the precomputed calendar tables.
//!
//! One function per unit, each generic over [`Trace`] so that the fast path
//! and the explained path run the same arithmetic. Instants are UTC seconds;
//! days are indices into the calendar's table.

use jiff::{Timestamp, ToSpan};

use super::{
    Clock, Counting, DayEnd, Extension, ExtensionRule, PeriodUnit, SuspensionCounting, Term,
    TermError,
    explain::{
        Adjustment, Deadline, Record, Rule, Silent, Trace, Warning, WarningKind, long_moment,
        short_date,
    },
};
use crate::{
    calendar::{Calendar, NonWorking, decree_known, table::DayTable},
    time::Moment,
};

/// A clock's pauses and extensions, borrowed, pauses sorted and merged.
struct ClockRef<'a> {
    suspensions: &'a [(i64, i64)],
    counting: SuspensionCounting,
    extensions: &'a [Extension],
}

const NO_CLOCK: ClockRef<'static> = ClockRef {
    suspensions: &[],
    counting: SuspensionCounting::Awb415,
    extensions: &[],
};

/// Where a term ended, and on which table (statutory terms use the Atw one).
struct Outcome<'c> {
    end: i64,
    nominal: i64,
    calendar: &'c Calendar,
}

pub(super) fn deadline(term: &Term, start: Timestamp, cal: &Calendar) -> Result<Moment, TermError> {
    let out = run(term, start.as_second(), &NO_CLOCK, cal, &mut Silent)?;
    moment(out.calendar.table(), out.end)
}

/// The deadline with pauses and extensions, without an explanation: what a
/// report over millions of cases needs.
pub(super) fn deadline_with_clock(
    term: &Term,
    start: Timestamp,
    clock: &Clock,
    cal: &Calendar,
) -> Result<Moment, TermError> {
    if clock.suspensions.is_empty() && clock.extensions.is_empty() {
        return deadline(term, start, cal);
    }
    let suspensions = prepare(clock)?;
    let clock_ref = ClockRef {
        suspensions: &suspensions,
        counting: clock.suspension_counting,
        extensions: &clock.extensions,
    };
    let out = run(term, start.as_second(), &clock_ref, cal, &mut Silent)?;
    moment(out.calendar.table(), out.end)
}

/// The pauses checked, sorted and merged; the extensions checked.
fn prepare(clock: &Clock) -> Result<Vec<(i64, i64)>, TermError> {
    let mut suspensions: Vec<(i64, i64)> = Vec::with_capacity(clock.suspensions.len());
    for s in &clock.suspensions {
        let (from, until) = (s.from.as_second(), s.until.as_second());
        if until <= from {
            return Err(TermError::EmptySuspension {
                from: Moment::in_amsterdam(s.from).to_string(),
                until: Moment::in_amsterdam(s.until).to_string(),
            });
        }
        suspensions.push((from, until));
    }
    suspensions.sort_unstable();
    for extension in &clock.extensions {
        if matches!(extension.term, Term::FirstWorkingDayAt { .. }) {
            return Err(TermError::BadExtension(extension.term.to_string()));
        }
    }
    Ok(merge(suspensions))
}

pub(super) fn explain(
    term: &Term,
    start: Timestamp,
    clock: &Clock,
    cal: &Calendar,
) -> Result<Deadline, TermError> {
    let suspensions = prepare(clock)?;
    let clock_ref = ClockRef {
        suspensions: &suspensions,
        counting: clock.suspension_counting,
        extensions: &clock.extensions,
    };
    let start_s = start.as_second();
    let mut record = Record::default();
    let out = run(term, start_s, &clock_ref, cal, &mut record)?;

    check_extensions(
        term,
        start_s,
        &clock_ref,
        clock.extension_rule,
        cal,
        &mut record,
    )?;
    let table = out.calendar.table();
    if out.calendar.base() == crate::calendar::BaseCalendar::Atw {
        let first = moment(table, start_s)?.date().year();
        let last = moment(table, out.end)?.date().year();
        record.warnings.extend(decree_warnings(first, last));
    }
    Ok(Deadline {
        term: term.to_string(),
        calendar: out.calendar.id().to_string(),
        start: moment(table, start_s)?,
        deadline: moment(table, out.end)?,
        nominal_end: moment(table, out.nominal)?,
        adjustments: record.adjustments,
        warnings: record.warnings,
    })
}

/// A warning for each year from `first` to `last` that no known royal
/// decree covers: the Atw counted without equated days there.
pub(crate) fn decree_warnings(first: i16, last: i16) -> Vec<Warning> {
    (first..=last)
        .filter(|&year| !decree_known(year))
        .map(|year| Warning {
            kind: WarningKind::DecreeUnknown,
            text: format!(
                "voor {year} is geen besluit over gelijkgestelde dagen (Atw art. 3 lid 3) bekend; \
                 er is gerekend zonder gelijkgestelde dagen"
            ),
        })
        .collect()
}

fn merge(sorted: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(sorted.len());
    for (from, until) in sorted {
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(until),
            _ => out.push((from, until)),
        }
    }
    out
}

fn check_extensions(
    term: &Term,
    start: i64,
    clock: &ClockRef<'_>,
    rule: ExtensionRule,
    cal: &Calendar,
    trace: &mut Record,
) -> Result<(), TermError> {
    if clock.extensions.is_empty() {
        return Ok(());
    }
    match rule {
        ExtensionRule::Unlimited => {}
        ExtensionRule::Forbidden => trace.warn(|| Warning {
            kind: WarningKind::ExtensionNotAllowed,
            text: "deze norm belooft de termijn niet te verlengen, maar er is toch verlengd: \
                   de norm is dan niet gehaald"
                .to_string(),
        }),
        ExtensionRule::UpTo { max } => {
            let limit = [Extension {
                term: max,
                announced: None,
            }];
            let at_max = ClockRef {
                extensions: &limit,
                ..*clock
            };
            // Compare before the Atw or a roll to a working day, which can
            // land a longer extension on the same day as the maximum.
            let plain = without_rolling(term);
            let max_end = run(&plain, start, &at_max, cal, &mut Silent)?.end;
            let plain_end = run(&plain, start, clock, cal, &mut Silent)?.end;
            let shown_max = run(term, start, &at_max, cal, &mut Silent)?.end;
            if plain_end > max_end {
                trace.warn(|| Warning {
                    kind: WarningKind::ExtensionAboveMaximum,
                    text: format!(
                        "de verlenging is langer dan de toegestane {max}: met het maximum eindigt de \
                         termijn op {}",
                        moment(cal.table(), shown_max).map(|m| long_moment(&m)).unwrap_or_default()
                    ),
                });
            }
        }
    }
    for (i, extension) in clock.extensions.iter().enumerate() {
        let Some(announced) = extension.announced else {
            continue;
        };
        let before = ClockRef {
            extensions: &clock.extensions[..i],
            ..*clock
        };
        let due = run(term, start, &before, cal, &mut Silent)?.end;
        if announced.as_second() > due {
            trace.warn(|| Warning {
                kind: WarningKind::ExtensionTooLate,
                text: format!(
                    "de verlenging met {} is gemeld op {}, na het einde van de termijn op {}",
                    extension.term,
                    long_moment(&Moment::in_amsterdam(announced)),
                    moment(cal.table(), due)
                        .map(|m| long_moment(&m))
                        .unwrap_or_default()
                ),
            });
        }
    }
    Ok(())
}

/// The same term without the Atw or a roll to the next working day.
fn without_rolling(term: &Term) -> Term {
    match *term {
        Term::Period { count, unit, .. } => Term::Period {
            count,
            unit,
            counting: Counting::Policy { roll: false },
        },
        other => other,
    }
}

fn out_of_range(ts: i64) -> TermError {
    let text = Timestamp::from_second(ts)
        .map(|t| Moment::in_amsterdam(t).to_string())
        .unwrap_or_else(|_| ts.to_string());
    TermError::OutOfRange(text)
}

fn moment(table: &DayTable, ts: i64) -> Result<Moment, TermError> {
    let day = table.day_of(ts).ok_or_else(|| out_of_range(ts))?;
    table.moment(ts, day).map_err(|_| out_of_range(ts))
}

fn run<'c, T: Trace>(
    term: &Term,
    start: i64,
    clock: &ClockRef<'_>,
    cal: &'c Calendar,
    trace: &mut T,
) -> Result<Outcome<'c>, TermError> {
    match *term {
        Term::Elapsed {
            amount,
            unit,
            statutory,
        } => {
            if statutory {
                trace.adjust(|| {
                    Adjustment::new(
                        Rule::AtwArticle4,
                        "een termijn in uren valt niet onder de Algemene termijnenwet: \
                         hij schuift niet door naar een werkdag",
                    )
                    .basis("Atw art. 4 lid 1 sub a")
                });
            }
            cal.table()
                .start_day(start)
                .ok_or_else(|| out_of_range(start))?;
            let amount = i64::from(amount) * unit.seconds();
            let end = advance(
                start,
                amount,
                clock,
                |a, b| b - a,
                |t, r| Some(t + r),
                trace,
            )
            .ok_or_else(|| out_of_range(start))?;
            let end = extend(end, clock, cal, trace)?;
            Ok(Outcome {
                end,
                nominal: start + amount,
                calendar: cal,
            })
        }
        Term::OfficeHours { minutes } => {
            office_hours(start, i64::from(minutes) * 60, clock, cal, trace)
        }
        Term::WorkingDays {
            days,
            day_end,
            after_hours_rollover,
        } => working_days(
            start,
            days,
            day_end,
            after_hours_rollover,
            clock,
            cal,
            trace,
        ),
        Term::Period {
            count,
            unit,
            counting: Counting::Policy { roll },
        } => policy_period(start, count, unit, roll, clock, cal, trace),
        Term::Period {
            count,
            unit,
            counting: Counting::Statutory,
        } => statutory_period(term, start, count, unit, clock, cal, trace),
        Term::FirstWorkingDayAt { seconds } => {
            first_working_day_at(start, seconds, clock, cal, trace)
        }
    }
}

/// Runs a clock for `amount` of running time from `start`, not counting the
/// pauses. `add(t, r)` is the instant `r` running time after `t` when nothing
/// is paused; `measure(a, b)` the running time from `a` to `b`.
#[inline]
fn advance<T: Trace>(
    start: i64,
    amount: i64,
    clock: &ClockRef<'_>,
    measure: impl Fn(i64, i64) -> i64,
    add: impl Fn(i64, i64) -> Option<i64>,
    trace: &mut T,
) -> Option<i64> {
    let mut t = start;
    let mut remaining = amount;
    for &(from, until) in clock.suspensions {
        if until <= t {
            continue;
        }
        if from > t {
            let candidate = add(t, remaining)?;
            if candidate <= from {
                return Some(candidate);
            }
            remaining -= measure(t, from);
        }
        trace.adjust(|| {
            Adjustment::new(
                Rule::Suspension,
                format!(
                    "de klok stond stil (opschorting) van {} tot {}: die tijd telt niet mee",
                    instant_text(from.max(start)),
                    instant_text(until)
                ),
            )
        });
        t = t.max(until);
    }
    add(t, remaining)
}

fn instant_text(ts: i64) -> String {
    Timestamp::from_second(ts)
        .map(|t| long_moment(&Moment::in_amsterdam(t)))
        .unwrap_or_else(|_| ts.to_string())
}

/// Adds each extension from the end reached so far (non-statutory terms).
fn extend<T: Trace>(
    mut end: i64,
    clock: &ClockRef<'_>,
    cal: &Calendar,
    trace: &mut T,
) -> Result<i64, TermError> {
    for extension in clock.extensions {
        let next = run(&extension.term, end, &NO_CLOCK, cal, &mut Silent)?.end;
        trace.adjust(|| {
            Adjustment::new(
                Rule::Extension,
                format!(
                    "verlengd met {}: van {} naar {}",
                    extension.term,
                    instant_text(end),
                    instant_text(next)
                ),
            )
        });
        end = next;
    }
    Ok(end)
}

/// "ma 6-4-2026 is Tweede Paasdag" with the day's basis, for every closed
/// weekday (not weekends) in `days`.
fn closed_days<T: Trace>(cal: &Calendar, days: std::ops::Range<usize>, what: &str, trace: &mut T) {
    if !trace.on() {
        return;
    }
    let table = cal.table();
    for day in days {
        if let Some(NonWorking::Holiday(holiday)) = cal.non_working_at(day)
            && holiday.date.weekday().to_monday_one_offset() <= 5
        {
            trace.adjust(|| {
                Adjustment::new(
                    Rule::NonWorkingDay,
                    format!(
                        "{} is {}: {what}",
                        short_date(table.date_of(day)),
                        holiday.name
                    ),
                )
                .basis(holiday.basis.clone())
            });
        }
    }
}

fn office_hours<'c, T: Trace>(
    start: i64,
    amount: i64,
    clock: &ClockRef<'_>,
    cal: &'c Calendar,
    trace: &mut T,
) -> Result<Outcome<'c>, TermError> {
    let t = cal.table();
    let start_day = t.start_day(start).ok_or_else(|| out_of_range(start))?;
    let add = |from: i64, amount: i64| -> Option<i64> {
        if amount <= 0 {
            return Some(from);
        }
        let day = t.day_of(from)?;
        t.office_instant(t.office_before(from, day) + amount, day)
    };
    let measure = |a: i64, b: i64| -> i64 {
        match (t.day_of(a), t.day_of(b)) {
            (Some(da), Some(db)) => t.office_before(b, db) - t.office_before(a, da),
            _ => 0,
        }
    };
    if trace.on()
        && !t
            .intervals(start_day)
            .iter()
            .any(|&(o, c)| o <= start && start < c)
        && let Some(opening) = t.office_instant(t.office_before(start, start_day) + 1, start_day)
    {
        trace.adjust(|| {
            Adjustment::new(
                Rule::StartsAtOpening,
                format!(
                    "ontvangen buiten kantooruren: de klok start bij de opening op {}",
                    instant_text(opening - 1)
                ),
            )
        });
    }
    let base =
        advance(start, amount, clock, measure, add, trace).ok_or_else(|| out_of_range(start))?;
    let end_day = t.day_of(base).ok_or_else(|| out_of_range(base))?;
    if trace.on() {
        // In date order: other hours on a day, or a closed weekday.
        for day in start_day..end_day + 1 {
            let date = t.date_of(day);
            match cal.exception_on(date).filter(|_| t.is_working(day)) {
                Some(hours) => trace.adjust(|| {
                    Adjustment::new(
                        Rule::OtherOfficeHours,
                        format!(
                            "op {} zijn de kantooruren anders: {hours}",
                            short_date(date)
                        ),
                    )
                }),
                None => closed_days(cal, day..day + 1, "het gemeentehuis is dicht", trace),
            }
        }
    }
    let end = extend(base, clock, cal, trace)?;
    let nominal = if trace.on() {
        nominal_office_end(cal, start, start_day, amount)?
    } else {
        end
    };
    Ok(Outcome {
        end,
        nominal,
        calendar: cal,
    })
}

/// The office-hours end on the weekly schedule alone, as if there were no
/// holidays or closing days: the "nominal end" of the explanation.
fn nominal_office_end(
    cal: &Calendar,
    start: i64,
    start_day: usize,
    amount: i64,
) -> Result<i64, TermError> {
    let t = cal.table();
    let mut remaining = amount;
    for day in start_day..t.len() {
        for &(open, close) in cal.planned_hours(t.date_of(day)).intervals() {
            let open = t
                .local_instant(day, open)
                .map_err(|_| out_of_range(start))?;
            let close = t
                .local_instant(day, close)
                .map_err(|_| out_of_range(start))?;
            let from = open.max(start);
            if from < close {
                if remaining <= close - from {
                    return Ok(from + remaining);
                }
                remaining -= close - from;
            }
        }
    }
    Err(out_of_range(start))
}

fn working_days<'c, T: Trace>(
    start: i64,
    days: u32,
    day_end: DayEnd,
    rollover: bool,
    clock: &ClockRef<'_>,
    cal: &'c Calendar,
    trace: &mut T,
) -> Result<Outcome<'c>, TermError> {
    let t = cal.table();
    let range = || out_of_range(start);
    let mut day0 = t.start_day(start).ok_or_else(range)?;
    if rollover {
        let after_closing = t
            .intervals(day0)
            .last()
            .is_none_or(|&(_, close)| start >= close);
        if !t.is_working(day0) || after_closing {
            let next = t.working_at_or_after(day0 + 1).ok_or_else(range)?;
            trace.adjust(|| {
                Adjustment::new(
                    Rule::DayZeroRollover,
                    format!(
                        "ontvangen na sluitingstijd of op een dag zonder werk: het tellen begint na {}",
                        short_date(t.date_of(next))
                    ),
                )
            });
            day0 = next;
        }
    }
    let mut end = t.nth_working_after(day0, days).ok_or_else(range)?;
    if !clock.suspensions.is_empty() {
        // A working day does not count when the clock was paused all of it.
        let paused = |day: usize| {
            let (from, until) = (t.day_start(day), t.day_start(day + 1));
            clock
                .suspensions
                .iter()
                .any(|&(s, u)| s <= from && u >= until)
        };
        let mut skipped = 0;
        loop {
            let count = (day0 + 1..=end)
                .filter(|&d| t.is_working(d) && paused(d))
                .count() as u32;
            if count == skipped {
                break;
            }
            skipped = count;
            end = t
                .nth_working_after(day0, days + skipped)
                .ok_or_else(range)?;
        }
        if skipped > 0 {
            trace.adjust(|| {
                Adjustment::new(
                    Rule::Suspension,
                    format!(
                        "de klok stond {skipped} hele {} stil (opschorting): {} niet mee",
                        if skipped == 1 { "werkdag" } else { "werkdagen" },
                        if skipped == 1 {
                            "die telt"
                        } else {
                            "die tellen"
                        }
                    ),
                )
            });
        }
    }
    closed_days(cal, day0 + 1..end + 1, "geen werkdag", trace);
    let day_end_at = |day: usize| match day_end {
        DayEnd::EndOfDay => t.day_start(day + 1) - 1,
        DayEnd::Closing => t
            .intervals(day)
            .last()
            .map_or(t.day_start(day + 1) - 1, |&(_, c)| c),
    };
    let base = day_end_at(end);
    if day_end == DayEnd::Closing
        && let Some(hours) = cal.exception_on(t.date_of(end))
    {
        // The last day closes at other hours (24 December): say so, since
        // the deadline then differs from the usual closing time.
        trace.adjust(|| {
            Adjustment::new(
                Rule::OtherOfficeHours,
                format!(
                    "op {} zijn de kantooruren anders: {hours}; de termijn eindigt bij sluitingstijd",
                    short_date(t.date_of(end))
                ),
            )
        });
    }
    let end_ts = extend(base, clock, cal, trace)?;
    let nominal = if trace.on() {
        let mut day = day0;
        let mut counted = 0;
        while counted < days && day + 1 < t.len() {
            day += 1;
            if t.date_of(day).weekday().to_monday_one_offset() <= 5 {
                counted += 1;
            }
        }
        match day_end {
            DayEnd::EndOfDay => t.day_start(day + 1) - 1,
            DayEnd::Closing => {
                let weekday = t.date_of(day).weekday();
                match cal.spec().schedule.hours(weekday).intervals().last() {
                    Some(&(_, close)) => t.local_instant(day, close).map_err(|_| range())?,
                    None => t.day_start(day + 1) - 1,
                }
            }
        }
    } else {
        end_ts
    };
    Ok(Outcome {
        end: end_ts,
        nominal,
        calendar: cal,
    })
}

/// Day index of `day0` plus a period; months keep the day number, clamped to
/// the month's last day.
fn add_period<T: Trace>(
    t: &DayTable,
    day0: usize,
    count: u32,
    unit: PeriodUnit,
    trace: &mut T,
) -> Option<usize> {
    let end = match unit {
        PeriodUnit::Days => day0 + count as usize,
        PeriodUnit::Weeks => day0 + 7 * count as usize,
        PeriodUnit::Months => {
            let from = t.date_of(day0);
            let to = from.checked_add(i64::from(count).months()).ok()?;
            if to.day() != from.day() {
                trace.adjust(|| {
                    Adjustment::new(
                        Rule::MonthEnd,
                        format!(
                            "{} bestaat niet: de termijn eindigt op de laatste dag van de maand, {}",
                            from_day_text(from, to),
                            short_date(to)
                        ),
                    )
                });
            }
            return t.index_of(to);
        }
    };
    (end < t.len()).then_some(end)
}

fn from_day_text(from: jiff::civil::Date, to: jiff::civil::Date) -> String {
    format!(
        "{} {} {}",
        from.day(),
        super::explain::month_name(to.month()),
        to.year()
    )
}

/// Extra days for pauses of a calendar-day term: Awb 4:15 counts from the
/// day after the request until the day the information arrived, that day
/// not counted ("tot"); `Inclusive` counts that day too ("tot en met").
fn suspended_days<T: Trace>(
    t: &DayTable,
    clock: &ClockRef<'_>,
    basis: &str,
    trace: &mut T,
) -> usize {
    let mut total = 0;
    for &(from, until) in clock.suspensions {
        let (Some(a), Some(b)) = (t.day_of(from), t.day_of(until)) else {
            continue;
        };
        let days = match clock.counting {
            SuspensionCounting::Awb415 => b.saturating_sub(a + 1),
            SuspensionCounting::Inclusive => b.saturating_sub(a),
        };
        total += days;
        trace.adjust(|| {
            Adjustment::new(
                Rule::Suspension,
                format!(
                    "opgeschort: verzoek op {}, antwoord op {}: {days} {} erbij",
                    short_date(t.date_of(a)),
                    short_date(t.date_of(b)),
                    if days == 1 { "dag" } else { "dagen" }
                ),
            )
            .basis(basis.to_string())
        });
    }
    total
}

fn policy_period<'c, T: Trace>(
    start: i64,
    count: u32,
    unit: PeriodUnit,
    roll: bool,
    clock: &ClockRef<'_>,
    cal: &'c Calendar,
    trace: &mut T,
) -> Result<Outcome<'c>, TermError> {
    let t = cal.table();
    let range = || out_of_range(start);
    let day0 = t.start_day(start).ok_or_else(range)?;
    let nominal_day = add_period(t, day0, count, unit, trace).ok_or_else(range)?;
    let paused = suspended_days(t, clock, "opschorting", trace);
    let day = nominal_day + paused;
    if day >= t.len() {
        return Err(range());
    }
    let mut end = extend(t.day_start(day + 1) - 1, clock, cal, trace)?;
    if roll {
        let day = t.day_of(end).ok_or_else(range)?;
        if !t.is_working(day) {
            let next = t.working_at_or_after(day).ok_or_else(range)?;
            trace.adjust(|| {
                Adjustment::new(
                    Rule::RollToWorkingDay,
                    format!(
                        "{}: de norm schuift door naar de eerstvolgende werkdag, {}",
                        day_list(cal, day..next),
                        short_date(t.date_of(next))
                    ),
                )
            });
            end = t.day_start(next + 1) - 1;
        }
    }
    Ok(Outcome {
        end,
        nominal: t.day_start(nominal_day + 1) - 1,
        calendar: cal,
    })
}

/// "za 16-5-2026 is zaterdag, ma 18-5-2026 is Tweede Pinksterdag"
fn day_list(cal: &Calendar, days: std::ops::Range<usize>) -> String {
    let table = cal.table();
    days.map(|d| {
        let date = table.date_of(d);
        let what = match cal.non_working_at(d) {
            Some(NonWorking::Holiday(h)) => h.name.clone(),
            _ => super::explain::weekday_long(date.weekday()).to_string(),
        };
        format!("{} is {what}", short_date(date))
    })
    .collect::<Vec<_>>()
    .join(", ")
}

fn statutory_period<'c, T: Trace>(
    term: &Term,
    start: i64,
    count: u32,
    unit: PeriodUnit,
    clock: &ClockRef<'_>,
    cal: &Calendar,
    trace: &mut T,
) -> Result<Outcome<'c>, TermError> {
    let atw = Calendar::atw().map_err(|e| TermError::Calendar(e.to_string()))?;
    if trace.on() && cal.id() != atw.id() {
        trace.warn(|| Warning {
            kind: WarningKind::StatutoryCalendar,
            text: format!(
                "een wettelijke termijn telt met de kalender van de Algemene termijnenwet, niet met \
                 kalender {}: sluitingsdagen van de gemeente tellen hier als werkdag",
                cal.id()
            ),
        });
    }
    let t = atw.table();
    let range = || out_of_range(start);
    let day0 = t.start_day(start).ok_or_else(range)?;
    let nominal = add_period(t, day0, count, unit, trace).ok_or_else(range)?;
    let basis = match clock.counting {
        SuspensionCounting::Awb415 => "Awb 4:15",
        SuspensionCounting::Inclusive => "Woo 4.4 lid 3 (tot en met)",
    };
    let mut end = nominal + suspended_days(t, clock, basis, trace);
    for extension in clock.extensions {
        let Term::Period { count, unit, .. } = extension.term else {
            return Err(TermError::StatutoryExtension(extension.term.to_string()));
        };
        let next = add_period(t, end, count, unit, trace).ok_or_else(range)?;
        trace.adjust(|| {
            Adjustment::new(
                Rule::Extension,
                format!(
                    "verlengd met {}: van {} naar {}",
                    extension.term,
                    short_date(t.date_of(end)),
                    short_date(t.date_of(next))
                ),
            )
        });
        end = next;
    }
    if end >= t.len() {
        return Err(range());
    }
    if term.atw_applies() {
        if end - day0 >= 3 && t.working_between(day0 + 1, end + 1) < 2 {
            let next = t.nth_working_after(day0, 2).ok_or_else(range)?;
            trace.adjust(|| {
                Adjustment::new(
                    Rule::AtwArticle2,
                    format!(
                        "in de termijn tot {} liggen minder dan twee werkdagen: hij loopt door tot {}",
                        short_date(t.date_of(end)),
                        short_date(t.date_of(next))
                    ),
                )
                .basis("Atw art. 2")
            });
            end = next;
        }
        if !t.is_working(end) {
            let next = t.working_at_or_after(end).ok_or_else(range)?;
            trace.adjust(|| {
                let bases: Vec<String> = (end..next)
                    .filter_map(|d| match atw.non_working_at(d) {
                        Some(NonWorking::Holiday(h)) => Some(h.basis.clone()),
                        _ => None,
                    })
                    .collect();
                let mut basis = String::from("Atw art. 1 lid 1");
                let mut seen: Vec<String> = Vec::new();
                for b in bases {
                    if !seen.contains(&b) {
                        basis.push_str("; ");
                        basis.push_str(&b);
                        seen.push(b);
                    }
                }
                Adjustment::new(
                    Rule::AtwArticle1,
                    format!(
                        "{}: de termijn loopt door tot {}",
                        day_list(atw, end..next),
                        short_date(t.date_of(next))
                    ),
                )
                .basis(basis)
            });
            end = next;
        }
    } else {
        trace.adjust(|| {
            Adjustment::new(
                Rule::AtwArticle4,
                format!(
                    "de Algemene termijnenwet geldt niet voor een termijn van {term}: \
                     hij schuift niet door naar een werkdag"
                ),
            )
            .basis("Atw art. 4 lid 1 sub a")
        });
    }
    Ok(Outcome {
        end: t.day_start(end + 1) - 1,
        nominal: t.day_start(nominal + 1) - 1,
        calendar: atw,
    })
}

fn first_working_day_at<'c, T: Trace>(
    start: i64,
    seconds: u32,
    clock: &ClockRef<'_>,
    cal: &'c Calendar,
    trace: &mut T,
) -> Result<Outcome<'c>, TermError> {
    let t = cal.table();
    let range = || out_of_range(start);
    let day = t.start_day(start).ok_or_else(range)?;
    let same_day = if t.is_working(day) {
        let at = t.local_instant(day, seconds).map_err(|_| range())?;
        (at >= start).then_some((at, day))
    } else {
        None
    };
    let (at, at_day) = match same_day {
        Some(found) => found,
        None => {
            let next = t.nth_working_after(day, 1).ok_or_else(range)?;
            (t.local_instant(next, seconds).map_err(|_| range())?, next)
        }
    };
    let mut nominal = at;
    if trace.on() {
        closed_days(cal, day..at_day, "geen werkdag", trace);
        trace.adjust(|| {
            Adjustment::new(
                Rule::FirstWorkingDay,
                format!(
                    "de eerstvolgende werkdag is {}",
                    short_date(t.date_of(at_day))
                ),
            )
        });
        // Nominal: the first weekday, holidays aside.
        let mut d = day;
        loop {
            let weekday_ok = t.date_of(d).weekday().to_monday_one_offset() <= 5;
            let at = t.local_instant(d, seconds).map_err(|_| range())?;
            if weekday_ok && at >= start {
                nominal = at;
                break;
            }
            d += 1;
            if d >= t.len() {
                return Err(range());
            }
        }
    }
    let end = extend(at, clock, cal, trace)?;
    Ok(Outcome {
        end,
        nominal,
        calendar: cal,
    })
}
