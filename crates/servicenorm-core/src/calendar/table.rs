//! Precomputed per-day tables, so that a term costs a lookup, not a loop.
//!
//! For every local day from 1990-01-01 to the end of [`TABLE_LAST_YEAR`] the
//! table holds: the UTC instant of local midnight, whether the day is a working
//! day, how many working days and office seconds came before it, and its office
//! intervals as UTC instants. A working-day deadline is then two array reads;
//! an office-hours deadline a short search over a prefix sum.

use jiff::{
    Timestamp,
    civil::{Date, Weekday, date},
    tz::{Offset, TimeZone},
};

use super::office_hours::{DayHours, WeekSchedule};
use crate::time::{Moment, amsterdam, days_from_civil};

/// The first year the tables cover.
pub const FIRST_YEAR: i16 = 1990;
/// The last year a term may start in.
pub const LAST_YEAR: i16 = 2100;
/// Tables run two years past [`LAST_YEAR`] so that terms starting in 2100 can end.
pub const TABLE_LAST_YEAR: i16 = LAST_YEAR + 2;

/// What kind of day a day is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DayKind {
    Working,
    Weekend,
    /// Index into the calendar's list of non-working days.
    Closed(u16),
}

/// A day's status as the table stores it: 0 working, 1 weekend, 2 + i closed.
type Status = u16;

pub(crate) struct DayTable {
    tz: TimeZone,
    /// Days since 1970-01-01 of the first day in the table.
    first_day: i32,
    /// UTC seconds of local midnight; one entry more than there are days.
    day_start: Box<[i64]>,
    status: Box<[Status]>,
    /// Working days before day i; one entry more than there are days.
    working_before: Box<[u32]>,
    /// The day index of the k-th working day (k from 0).
    nth_working: Box<[u32]>,
    /// Office seconds before day i; one entry more than there are days.
    office_before: Box<[i64]>,
    /// Day i's intervals are `intervals[interval_at[i]..interval_at[i + 1]]`.
    interval_at: Box<[u32]>,
    /// Office intervals as UTC seconds, half-open.
    intervals: Box<[(i64, i64)]>,
    /// Index of 1 January after [`LAST_YEAR`]: terms may not start there or later.
    start_limit: usize,
}

/// Input to [`DayTable::build`].
pub(crate) struct TableSpec<'a> {
    pub schedule: &'a WeekSchedule,
    /// Sorted by date; several entries on one date are allowed.
    pub non_working: &'a [Date],
    /// Per-date office hours that replace the weekday's hours.
    pub exceptions: &'a [(Date, DayHours)],
}

impl DayTable {
    pub(crate) fn build(spec: &TableSpec<'_>) -> Result<DayTable, jiff::Error> {
        Self::build_with(spec, true)
    }

    /// `shortcut`: on a day of 24 hours the offset does not change, so an
    /// office time is local midnight plus its seconds; only the days of a
    /// clock change ask the time zone. Building a table then takes a few
    /// milliseconds less, which every report and command pays. The tests
    /// build without it and compare.
    fn build_with(spec: &TableSpec<'_>, shortcut: bool) -> Result<DayTable, jiff::Error> {
        let tz = amsterdam();
        let first = date(FIRST_YEAR, 1, 1);
        let first_day = days_from_civil(first);
        let last_day = days_from_civil(date(TABLE_LAST_YEAR, 12, 31));
        let days = (last_day - first_day + 1) as usize;

        let mut day_start = Vec::with_capacity(days + 1);
        let mut status = Vec::with_capacity(days);
        let mut working_before = Vec::with_capacity(days + 1);
        let mut nth_working = Vec::with_capacity(days);
        let mut office_before = Vec::with_capacity(days + 1);
        let mut interval_at = Vec::with_capacity(days + 1);
        let mut intervals = Vec::new();

        let mut closed = spec.non_working.iter().enumerate().peekable();
        let mut exceptions = spec.exceptions.iter().peekable();
        let mut day = first;
        for _ in 0..=days {
            day_start.push(local_to_utc(&tz, day, 0)?);
            day = day.tomorrow()?;
        }
        let mut day = first;
        let mut working = 0u32;
        let mut office = 0i64;
        for index in 0..days {
            let start = day_start[index];
            let whole_day = day_start[index + 1] - start == 86_400;
            let local = |seconds: u32| {
                if shortcut && whole_day && seconds <= 86_400 {
                    Ok(start + i64::from(seconds))
                } else {
                    local_to_utc(&tz, day, seconds)
                }
            };
            working_before.push(working);
            office_before.push(office);
            interval_at.push(intervals.len() as u32);

            let mut kind: Status = match day.weekday() {
                Weekday::Saturday | Weekday::Sunday => 1,
                _ => 0,
            };
            while let Some((i, d)) = closed.peek() {
                if **d > day {
                    break;
                }
                // The first entry on a date names the day.
                if **d == day && kind < 2 {
                    kind = 2 + *i as u16;
                }
                closed.next();
            }
            let mut hours = spec.schedule.hours(day.weekday());
            while let Some((d, h)) = exceptions.peek() {
                if *d > day {
                    break;
                }
                if *d == day {
                    hours = h;
                }
                exceptions.next();
            }
            if kind == 0 {
                nth_working.push(index as u32);
                working += 1;
                for &(open, close) in hours.intervals() {
                    let open = local(open)?;
                    let close = local(close)?;
                    intervals.push((open, close));
                    office += close - open;
                }
            }
            status.push(kind);
            day = day.tomorrow()?;
        }
        working_before.push(working);
        office_before.push(office);
        interval_at.push(intervals.len() as u32);

        Ok(DayTable {
            tz,
            first_day,
            day_start: day_start.into(),
            status: status.into(),
            working_before: working_before.into(),
            nth_working: nth_working.into(),
            office_before: office_before.into(),
            interval_at: interval_at.into(),
            intervals: intervals.into(),
            start_limit: (days_from_civil(date(LAST_YEAR + 1, 1, 1)) - first_day) as usize,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.status.len()
    }

    /// The index of the local day that contains `ts` (UTC seconds).
    #[inline]
    pub(crate) fn day_of(&self, ts: i64) -> Option<usize> {
        let n = self.len();
        if ts < self.day_start[0] || ts >= self.day_start[n] {
            return None;
        }
        // Local time is UTC plus one or two hours: start from the guess for
        // UTC+1 and correct by at most one day.
        let guess = (ts + 3600).div_euclid(86_400) - i64::from(self.first_day);
        let mut i = guess.clamp(0, n as i64 - 1) as usize;
        while self.day_start[i + 1] <= ts {
            i += 1;
        }
        while self.day_start[i] > ts {
            i -= 1;
        }
        Some(i)
    }

    /// The day of a term's start, if terms may start then (1990 to 2100).
    #[inline]
    pub(crate) fn start_day(&self, ts: i64) -> Option<usize> {
        self.day_of(ts).filter(|&d| d < self.start_limit)
    }

    /// The index of a civil date, if the table covers it.
    #[inline]
    pub(crate) fn index_of(&self, date: Date) -> Option<usize> {
        let i = days_from_civil(date) - self.first_day;
        (i >= 0 && (i as usize) < self.len()).then_some(i as usize)
    }

    pub(crate) fn date_of(&self, index: usize) -> Date {
        crate::time::civil_from_days(self.first_day + index as i32)
    }

    #[inline]
    pub(crate) fn kind(&self, index: usize) -> DayKind {
        match self.status[index] {
            0 => DayKind::Working,
            1 => DayKind::Weekend,
            s => DayKind::Closed(s - 2),
        }
    }

    #[inline]
    pub(crate) fn is_working(&self, index: usize) -> bool {
        self.status[index] == 0
    }

    /// UTC seconds of local midnight at the start of day `index` (may be
    /// `len()`, the day after the last).
    #[inline]
    pub(crate) fn day_start(&self, index: usize) -> i64 {
        self.day_start[index]
    }

    /// Working days in the days `from..to` (indices, half-open).
    #[inline]
    pub(crate) fn working_between(&self, from: usize, to: usize) -> u32 {
        self.working_before[to] - self.working_before[from]
    }

    /// The `n`-th working day after day `index` (n >= 1), or `index` itself for 0.
    #[inline]
    pub(crate) fn nth_working_after(&self, index: usize, n: u32) -> Option<usize> {
        if n == 0 {
            return Some(index);
        }
        let k = self.working_before[index + 1] as usize + n as usize - 1;
        self.nth_working.get(k).map(|&i| i as usize)
    }

    /// The first working day at or after day `index`.
    #[inline]
    pub(crate) fn working_at_or_after(&self, index: usize) -> Option<usize> {
        let k = self.working_before[index] as usize;
        self.nth_working.get(k).map(|&i| i as usize)
    }

    #[inline]
    pub(crate) fn intervals(&self, index: usize) -> &[(i64, i64)] {
        &self.intervals[self.interval_at[index] as usize..self.interval_at[index + 1] as usize]
    }

    /// Office seconds from the start of the table until `ts`.
    #[inline]
    pub(crate) fn office_before(&self, ts: i64, index: usize) -> i64 {
        let mut total = self.office_before[index];
        for &(open, close) in self.intervals(index) {
            if ts >= close {
                total += close - open;
            } else {
                if ts > open {
                    total += ts - open;
                }
                break;
            }
        }
        total
    }

    /// The earliest instant at which `target` office seconds (counted from
    /// the start of the table) have passed, searching from day `from`.
    /// An end that falls exactly on a closing time stays there.
    #[inline]
    pub(crate) fn office_instant(&self, target: i64, from: usize) -> Option<i64> {
        let n = self.len();
        if self.office_before[n] < target {
            return None;
        }
        // Galloping search: terms are mostly a few days long.
        let mut lo = from;
        let mut step = 1;
        while lo + step < n && self.office_before[lo + step + 1] < target {
            lo += step;
            step *= 2;
        }
        let hi = (lo + step).min(n - 1);
        let day = lo + self.office_before[lo + 1..=hi + 1].partition_point(|&o| o < target);
        let mut remaining = target - self.office_before[day];
        for &(open, close) in self.intervals(day) {
            if remaining <= close - open {
                return Some(open + remaining);
            }
            remaining -= close - open;
        }
        None
    }

    /// The offset in force at `ts`, which lies on day `index`.
    #[inline]
    pub(crate) fn offset_at(&self, ts: i64, index: usize) -> Offset {
        let start = self.day_start[index];
        if self.day_start[index + 1] - start == 86_400 {
            let local_midnight = (i64::from(self.first_day) + index as i64) * 86_400;
            Offset::from_seconds((local_midnight - start) as i32).unwrap_or(Offset::UTC)
        } else {
            Timestamp::from_second(ts)
                .map(|t| self.tz.to_offset(t))
                .unwrap_or(Offset::UTC)
        }
    }

    /// The moment `ts` (UTC seconds) with its offset.
    #[inline]
    pub(crate) fn moment(&self, ts: i64, index: usize) -> Result<Moment, jiff::Error> {
        Ok(Moment::new(
            Timestamp::from_second(ts)?,
            self.offset_at(ts, index),
        ))
    }

    /// UTC seconds of the local time `seconds` after midnight on day `index`.
    #[inline]
    pub(crate) fn local_instant(&self, index: usize, seconds: u32) -> Result<i64, jiff::Error> {
        let start = self.day_start[index];
        if self.day_start[index + 1] - start == 86_400 {
            Ok(start + i64::from(seconds))
        } else {
            local_to_utc(&self.tz, self.date_of(index), seconds)
        }
    }
}

fn local_to_utc(tz: &TimeZone, day: Date, seconds: u32) -> Result<i64, jiff::Error> {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let day = if days > 0 { day.tomorrow()? } else { day };
    let time = jiff::civil::time(
        (rest / 3600) as i8,
        (rest / 60 % 60) as i8,
        (rest % 60) as i8,
        0,
    );
    Ok(tz
        .to_ambiguous_timestamp(day.to_datetime(time))
        .compatible()?
        .as_second())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::BaseCalendar;

    fn same(a: &DayTable, b: &DayTable) {
        assert_eq!(a.first_day, b.first_day);
        assert_eq!(a.day_start, b.day_start);
        assert_eq!(a.status, b.status);
        assert_eq!(a.working_before, b.working_before);
        assert_eq!(a.nth_working, b.nth_working);
        assert_eq!(a.office_before, b.office_before);
        assert_eq!(a.interval_at, b.interval_at);
        assert_eq!(a.intervals, b.intervals);
        assert_eq!(a.start_limit, b.start_limit);
    }

    /// The shortcut for days of 24 hours gives the tables the time zone
    /// gives for every day from 1990 to 2102: the built-in schedule, and
    /// office hours that run over a clock change at night and to midnight.
    #[test]
    fn the_shortcut_builds_the_tables_the_time_zone_gives() {
        let holidays: Vec<Date> = (FIRST_YEAR..=TABLE_LAST_YEAR)
            .flat_map(|year| BaseCalendar::Gemeente.holidays(year))
            .map(|h| h.date)
            .collect();
        // Office hours over the night of a clock change and to midnight,
        // every day and as exceptions on change days.
        let late = DayHours::new(vec![(3600, 4 * 3600), (20 * 3600, 86_400)]).unwrap();
        let exceptions: Vec<(Date, DayHours)> =
            [date(2026, 3, 29), date(2026, 10, 25), date(2030, 3, 31)]
                .map(|d| (d, late.clone()))
                .into();
        let schedules = [
            WeekSchedule::standard(),
            WeekSchedule::new(std::array::from_fn(|_| late.clone())),
        ];
        for schedule in &schedules {
            for non_working in [&holidays[..], &[]] {
                let spec = TableSpec {
                    schedule,
                    non_working,
                    exceptions: &exceptions,
                };
                same(
                    &DayTable::build_with(&spec, true).unwrap(),
                    &DayTable::build_with(&spec, false).unwrap(),
                );
            }
        }
    }
}
