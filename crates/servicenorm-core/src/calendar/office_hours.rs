//! Office hours: per weekday, one or more half-open intervals of local time.

use std::fmt;

use jiff::civil::Weekday;

/// The office hours of one day: sorted, disjoint, half-open intervals
/// `[open, close)` in seconds since local midnight.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayHours(Vec<(u32, u32)>);

impl DayHours {
    /// Builds a day's hours; intervals must be sorted, non-empty and not overlap.
    pub fn new(intervals: Vec<(u32, u32)>) -> Result<DayHours, String> {
        for (open, close) in &intervals {
            if open >= close {
                return Err(format!(
                    "{} ligt niet voor {}: een blok kantooruren moet eerst openen en dan sluiten",
                    clock(*open),
                    clock(*close)
                ));
            }
            if *close > 24 * 3600 {
                return Err(format!("{} ligt na middernacht", clock(*close)));
            }
        }
        for pair in intervals.windows(2) {
            if pair[1].0 < pair[0].1 {
                return Err(format!(
                    "blok {} begint voordat blok {} sluit: blokken mogen niet overlappen en staan op volgorde",
                    Interval(pair[1]),
                    Interval(pair[0])
                ));
            }
        }
        Ok(DayHours(intervals))
    }

    pub fn closed() -> DayHours {
        DayHours(Vec::new())
    }

    pub fn intervals(&self) -> &[(u32, u32)] {
        &self.0
    }

    /// Reads `"08:30-12:00"`.
    pub fn parse_interval(text: &str) -> Result<(u32, u32), String> {
        let bad =
            || format!("\"{text}\" is geen blok kantooruren: schrijf het als \"08:30-17:00\"");
        let (open, close) = text.split_once('-').ok_or_else(bad)?;
        let open = parse_clock(open.trim()).ok_or_else(bad)?;
        let close = parse_clock(close.trim()).ok_or_else(bad)?;
        Ok((open, close))
    }
}

impl fmt::Display for DayHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("gesloten");
        }
        for (i, interval) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", Interval(*interval))?;
        }
        Ok(())
    }
}

struct Interval((u32, u32));

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", clock(self.0.0), clock(self.0.1))
    }
}

/// `HH:MM` (24:00 allowed as the end of a day).
pub(crate) fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once([':', '.'])?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 3600 + m * 60)
}

pub(crate) fn clock(seconds: u32) -> String {
    format!("{:02}:{:02}", seconds / 3600, seconds / 60 % 60)
}

/// Office hours for Monday to Friday. Saturday and Sunday are never working
/// days, so they have no office hours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekSchedule {
    weekdays: [DayHours; 5],
}

impl WeekSchedule {
    /// Monday to Friday 08:30-17:00, the hours of the built-in calendars.
    pub fn standard() -> WeekSchedule {
        let day = DayHours(vec![(8 * 3600 + 1800, 17 * 3600)]);
        WeekSchedule {
            weekdays: [day.clone(), day.clone(), day.clone(), day.clone(), day],
        }
    }

    pub fn new(weekdays: [DayHours; 5]) -> WeekSchedule {
        WeekSchedule { weekdays }
    }

    pub fn hours(&self, weekday: Weekday) -> &DayHours {
        const CLOSED: &DayHours = &DayHours(Vec::new());
        match weekday {
            Weekday::Saturday | Weekday::Sunday => CLOSED,
            other => &self.weekdays[other.to_monday_zero_offset() as usize],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_are_read_and_checked() {
        assert_eq!(DayHours::parse_interval("08:30-12:00"), Ok((30600, 43200)));
        assert_eq!(DayHours::parse_interval("8.30 - 24:00"), Ok((30600, 86400)));
        assert!(DayHours::parse_interval("08:30").is_err());
        assert!(DayHours::parse_interval("08:61-12:00").is_err());
        assert!(DayHours::new(vec![(100, 50)]).is_err());
        assert!(DayHours::new(vec![(0, 100), (50, 200)]).is_err());
        assert_eq!(
            DayHours::new(vec![(30600, 43200), (46800, 61200)])
                .unwrap()
                .to_string(),
            "08:30-12:00, 13:00-17:00"
        );
    }
}
