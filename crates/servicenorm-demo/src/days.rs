//! Days of the calendars in use: working or not, office hours as instants,
//! and moments in office hours near a wanted moment. Kept only for the days
//! around the one being generated, so memory does not grow with the period.

use std::collections::BTreeMap;

use jiff::{
    Timestamp,
    civil::{Date, Time, Weekday},
    tz::TimeZone,
};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use servicenorm_core::{calendar::Calendar, time::amsterdam};

use crate::profile::Arrivals;

/// Office blocks per day that are kept; more are merged into the last.
const MAX_BLOCKS: usize = 4;
const HOUR: i64 = 3600;
pub(crate) const DAY: i64 = 24 * HOUR;

/// One local day of one calendar.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DayInfo {
    pub working: bool,
    pub weekday: Weekday,
    /// Local midnight, and the next one (23 or 25 hours later on a change
    /// of summer time).
    pub start: i64,
    pub end: i64,
    /// Office blocks as seconds since local midnight, and as instants.
    local: [(u32, u32); MAX_BLOCKS],
    hours: [(i64, i64); MAX_BLOCKS],
    blocks: usize,
}

impl DayInfo {
    pub fn hours(&self) -> &[(i64, i64)] {
        &self.hours[..self.blocks]
    }

    pub fn local_hours(&self) -> &[(u32, u32)] {
        &self.local[..self.blocks]
    }
}

pub(crate) struct Days<'a> {
    tz: TimeZone,
    calendars: Vec<&'a Calendar>,
    cache: Vec<BTreeMap<Date, DayInfo>>,
}

/// Relative weight of arrivals per hour of the day.
const STAFFED_HOURS: [f64; 24] = [
    0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.3, 1.5, 1.5, 1.4, 0.9, 1.0, 1.0, 0.8, 0.6, 0.5, 0.5,
    0.5, 0.5, 0.5, 0.5, 0.5,
];
const ALWAYS_WORKING_HOURS: [f64; 24] = [
    0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.4, 0.8, 1.4, 1.6, 1.6, 1.5, 1.1, 1.3, 1.3, 1.2, 1.0, 0.8,
    0.7, 0.8, 0.8, 0.7, 0.5, 0.3,
];
const ALWAYS_CLOSED_HOURS: [f64; 24] = [
    0.15, 0.1, 0.08, 0.08, 0.08, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7,
    0.7, 0.8, 0.8, 0.7, 0.5, 0.3,
];

/// Relative volume of a day: busy Mondays, quiet Fridays, less in the
/// weekend for the channels that are always open.
pub(crate) fn day_factor(arrivals: Arrivals, working: bool, weekday: Weekday) -> f64 {
    match (arrivals, working) {
        (Arrivals::Staffed, false) => 0.0,
        (Arrivals::Staffed, true) => match weekday {
            Weekday::Monday => 1.25,
            Weekday::Tuesday => 1.05,
            Weekday::Wednesday => 1.0,
            Weekday::Thursday => 0.95,
            _ => 0.75,
        },
        (_, true) => match weekday {
            Weekday::Monday => 1.15,
            Weekday::Tuesday => 1.05,
            Weekday::Friday => 0.85,
            _ => 1.0,
        },
        (_, false) => match weekday {
            Weekday::Saturday => 0.4,
            _ => 0.35,
        },
    }
}

impl<'a> Days<'a> {
    pub fn new() -> Days<'a> {
        Days {
            tz: amsterdam(),
            calendars: Vec::new(),
            cache: Vec::new(),
        }
    }

    /// The index of a calendar, added if new.
    pub fn register(&mut self, calendar: &'a Calendar) -> usize {
        if let Some(i) = self
            .calendars
            .iter()
            .position(|c| std::ptr::eq(*c, calendar))
        {
            return i;
        }
        self.calendars.push(calendar);
        self.cache.push(BTreeMap::new());
        self.calendars.len() - 1
    }

    pub fn calendar(&self, index: usize) -> Option<&'a Calendar> {
        self.calendars.get(index).copied()
    }

    /// Forgets the days before `date`.
    pub fn prune(&mut self, date: Date) {
        for cache in &mut self.cache {
            *cache = cache.split_off(&date);
        }
    }

    /// The instant of a local time; `seconds` may be 86400 (the next midnight).
    pub fn local(&self, date: Date, seconds: u32) -> Option<i64> {
        let (date, seconds) = if seconds >= 86_400 {
            (date.tomorrow().ok()?, seconds - 86_400)
        } else {
            (date, seconds)
        };
        let time = Time::new(
            (seconds / 3600) as i8,
            (seconds / 60 % 60) as i8,
            (seconds % 60) as i8,
            0,
        )
        .ok()?;
        self.tz
            .to_ambiguous_timestamp(date.to_datetime(time))
            .compatible()
            .ok()
            .map(|t| t.as_second())
    }

    pub fn date_of(&self, instant: i64) -> Option<Date> {
        let ts = Timestamp::from_second(instant).ok()?;
        Some(self.tz.to_datetime(ts).date())
    }

    pub fn day(&mut self, calendar: usize, date: Date) -> Option<DayInfo> {
        if let Some(info) = self.cache.get(calendar)?.get(&date) {
            return Some(*info);
        }
        let cal = self.calendars.get(calendar)?;
        let working = cal.is_working_day(date)?;
        let hours = cal.office_hours_on(date);
        let mut info = DayInfo {
            working,
            weekday: date.weekday(),
            start: self.local(date, 0)?,
            end: self.local(date, 86_400)?,
            local: [(0, 0); MAX_BLOCKS],
            hours: [(0, 0); MAX_BLOCKS],
            blocks: 0,
        };
        for (i, &(open, close)) in hours.intervals().iter().enumerate() {
            if i < MAX_BLOCKS {
                info.local[i] = (open, close);
                info.blocks = i + 1;
            } else {
                info.local[MAX_BLOCKS - 1].1 = close;
            }
        }
        for i in 0..info.blocks {
            let (open, close) = info.local[i];
            info.hours[i] = (self.local(date, open)?, self.local(date, close)?);
        }
        if let Some(cache) = self.cache.get_mut(calendar) {
            cache.insert(date, info);
        }
        Some(info)
    }

    /// The day's pieces with the weight of arrivals in each, as seconds since
    /// local midnight.
    pub fn segments(&self, arrivals: Arrivals, day: &DayInfo, out: &mut Vec<(u32, u32, f64)>) {
        out.clear();
        match arrivals {
            Arrivals::Staffed => {
                for &(open, close) in day.local_hours() {
                    let mut from = open;
                    while from < close {
                        let hour = (from / 3600) as usize;
                        let until = ((hour as u32 + 1) * 3600).min(close);
                        out.push((from, until, STAFFED_HOURS[hour.min(23)]));
                        from = until;
                    }
                }
            }
            Arrivals::Always | Arrivals::Daily => {
                let weights = if day.working {
                    &ALWAYS_WORKING_HOURS
                } else {
                    &ALWAYS_CLOSED_HOURS
                };
                for (hour, weight) in weights.iter().enumerate() {
                    let from = hour as u32 * 3600;
                    out.push((from, from + 3600, *weight));
                }
            }
        }
    }

    /// A random moment of `date`, following the weights of `segments`.
    pub fn sample(
        &self,
        rng: &mut ChaCha8Rng,
        date: Date,
        segments: &[(u32, u32, f64)],
    ) -> Option<i64> {
        let total: f64 = segments.iter().map(|(a, b, w)| f64::from(b - a) * w).sum();
        if total <= 0.0 {
            return None;
        }
        let mut pick = rng.random::<f64>() * total;
        for &(a, b, w) in segments.iter().filter(|(a, b, w)| b > a && *w > 0.0) {
            let mass = f64::from(b - a) * w;
            if pick < mass {
                let offset = ((pick / w).max(0.0) as u32).min(b - a - 1);
                return self.local(date, a + offset);
            }
            pick -= mass;
        }
        // Rounding left a sliver: the last moment that has weight.
        segments
            .iter()
            .rev()
            .find(|(a, b, w)| b > a && *w > 0.0)
            .and_then(|&(_, b, _)| self.local(date, b - 1))
    }

    /// A moment in office hours near `target` and not before `lower`: kept
    /// when it already is; else mostly earlier that day or the working day
    /// before (work done sooner than planned), or else soon after the next
    /// opening.
    pub fn office(
        &mut self,
        rng: &mut ChaCha8Rng,
        calendar: usize,
        target: i64,
        lower: i64,
    ) -> Option<i64> {
        let target = target.max(lower);
        let date = self.date_of(target)?;
        let today = self.day(calendar, date)?;
        if today.working
            && today
                .hours()
                .iter()
                .any(|&(a, b)| a <= target && target < b)
        {
            return Some(target);
        }
        // The office hours of the last working day up to the target.
        let mut back: Vec<(i64, i64)> = Vec::new();
        let mut day = date;
        for _ in 0..7 {
            let info = self.day(calendar, day)?;
            if info.end <= lower {
                break;
            }
            if info.working {
                back = info
                    .hours()
                    .iter()
                    .map(|&(open, close)| (open.max(lower), close.min(target)))
                    .filter(|(from, until)| until - from >= 60)
                    .collect();
                if !back.is_empty() {
                    break;
                }
            }
            day = day.yesterday().ok()?;
        }
        if !back.is_empty() && rng.random_bool(0.7) {
            let total: i64 = back.iter().map(|(a, b)| b - a).sum();
            let mut pick = rng.random_range(0..total);
            for (from, until) in &back {
                if pick < until - from {
                    return Some(from + pick);
                }
                pick -= until - from;
            }
        }
        let mut day = date;
        for _ in 0..60 {
            let info = self.day(calendar, day)?;
            if info.working {
                for &(open, close) in info.hours() {
                    let from = open.max(target);
                    if close - from >= 60 {
                        // Soon after opening: the backlog first.
                        let wait = crate::scenario::lognormal(rng, 2700.0, 0.8) as i64;
                        let at = if from + wait < close {
                            from + wait
                        } else {
                            from + rng.random_range(0..close - from)
                        };
                        return Some(at);
                    }
                }
            }
            day = day.tomorrow().ok()?;
        }
        back.first().map(|(from, _)| *from)
    }
}
