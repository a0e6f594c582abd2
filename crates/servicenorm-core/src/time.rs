//! Instants, their Europe/Amsterdam offset, and how input times are read.
//!
//! servicenorm counts in whole seconds: a sub-second part of an input instant
//! is dropped (rounded towards the past), so a deadline is never later than the
//! law or the norm allows.

use std::fmt;

use jiff::{
    Timestamp,
    civil::{Date, DateTime},
    tz::{Disambiguation, Offset, TimeZone},
};
use serde::{Serialize, Serializer};

/// The time zone every Dutch municipality counts in.
pub fn amsterdam() -> TimeZone {
    jiff::tz::get!("Europe/Amsterdam")
}

/// An instant together with the Europe/Amsterdam offset in force at it.
///
/// Displays as RFC 3339 with its offset, such as `2026-04-07T23:59:59+02:00`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment {
    timestamp: Timestamp,
    offset: Offset,
}

impl Moment {
    /// The moment of `timestamp` in Europe/Amsterdam.
    pub fn in_amsterdam(timestamp: Timestamp) -> Moment {
        // The built-in calendar's day tables know the offset of every day
        // from 1990 to 2102; outside them the tz database answers.
        if let Some(offset) = crate::calendar::offset_from_tables(timestamp.as_second()) {
            return Moment { timestamp, offset };
        }
        Moment {
            timestamp,
            offset: amsterdam().to_offset(timestamp),
        }
    }

    pub(crate) fn new(timestamp: Timestamp, offset: Offset) -> Moment {
        Moment { timestamp, offset }
    }

    pub fn timestamp(&self) -> Timestamp {
        self.timestamp
    }

    pub fn offset(&self) -> Offset {
        self.offset
    }

    /// The local wall-clock date and time.
    pub fn civil(&self) -> DateTime {
        self.offset.to_datetime(self.timestamp)
    }

    pub fn date(&self) -> Date {
        civil_from_days(self.local_day())
    }

    /// The local date as days since 1970-01-01.
    pub(crate) fn local_day(&self) -> i32 {
        let local = self.timestamp.as_second() + i64::from(self.offset.seconds());
        local.div_euclid(86_400) as i32
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 25];
        let len = write_rfc3339(self.civil(), self.offset, &mut buf);
        // The buffer holds ASCII digits and separators only.
        f.write_str(std::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?)
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Writes `YYYY-MM-DDTHH:MM:SS+HH:MM` into `buf` and returns its length (25).
///
/// Hand-written because the batch command prints millions of these and a
/// general formatter costs several times more.
pub fn write_rfc3339(dt: DateTime, offset: Offset, buf: &mut [u8; 25]) -> usize {
    fn two(buf: &mut [u8], at: usize, value: i32) {
        buf[at] = b'0' + (value / 10 % 10) as u8;
        buf[at + 1] = b'0' + (value % 10) as u8;
    }
    let year = i32::from(dt.year());
    two(buf, 0, year / 100);
    two(buf, 2, year % 100);
    buf[4] = b'-';
    two(buf, 5, i32::from(dt.month()));
    buf[7] = b'-';
    two(buf, 8, i32::from(dt.day()));
    buf[10] = b'T';
    two(buf, 11, i32::from(dt.hour()));
    buf[13] = b':';
    two(buf, 14, i32::from(dt.minute()));
    buf[16] = b':';
    two(buf, 17, i32::from(dt.second()));
    let seconds = offset.seconds();
    buf[19] = if seconds < 0 { b'-' } else { b'+' };
    let abs = seconds.abs();
    two(buf, 20, abs / 3600);
    buf[22] = b':';
    two(buf, 23, abs / 60 % 60);
    25
}

/// How to read a local time without offset that does not exist (spring gap)
/// or exists twice (autumn fold).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Resolve {
    /// Refuse it: the caller must give an offset.
    #[default]
    Reject,
    /// The earlier instant: in the autumn fold the first 02:30 (summer time,
    /// +02:00); in the spring gap 02:30 is read with the winter offset after
    /// the jump, which gives 01:30+01:00.
    Earlier,
    /// The later instant: in the fold the second 02:30 (+01:00); in the gap
    /// 03:30+02:00.
    Later,
}

impl std::str::FromStr for Resolve {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "reject" | "weigeren" => Ok(Resolve::Reject),
            "earlier" | "eerder" => Ok(Resolve::Earlier),
            "later" => Ok(Resolve::Later),
            other => Err(format!(
                "onbekende keuze \"{other}\": kies weigeren, eerder of later \
                 (of in het Engels: reject, earlier, later)"
            )),
        }
    }
}

/// Why an input time could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstantError {
    #[error(
        "tijdstip \"{input}\" is niet te lezen: schrijf datum en tijd met het verschil met \
         UTC, zoals 2026-04-02T10:00:00+02:00, in UTC zoals 2026-04-02T08:00:00Z, een \
         Nederlandse tijd zoals 2026-04-02T10:00 of alleen een datum zoals 2026-04-02"
    )]
    Format { input: String },
    #[error(
        "de Nederlandse tijd {input} bestaat niet: de klok gaat die nacht van 02:00 naar 03:00 \
         (zomertijd); geef het verschil met UTC mee (+01:00 of +02:00) of kies eerder of later \
         (bij de opdrachtregel: --resolve)"
    )]
    Nonexistent { input: String },
    #[error(
        "de Nederlandse tijd {input} bestaat twee keer: de klok gaat die nacht van 03:00 terug \
         naar 02:00 (wintertijd); geef het verschil met UTC mee (+02:00 of +01:00) of kies \
         eerder of later (bij de opdrachtregel: --resolve)"
    )]
    Ambiguous { input: String },
}

/// Reads an input instant.
///
/// Accepted: RFC 3339 with an offset or `Z`; a local date-time without offset
/// (read in Europe/Amsterdam, see [`Resolve`]); a date alone (the start of that
/// local day).
///
/// ```
/// use servicenorm_core::time::{parse_instant, Resolve, InstantError};
///
/// let t = parse_instant("2026-10-25T02:30+02:00", Resolve::Reject)?;
/// assert_eq!(t.to_string(), "2026-10-25T00:30:00Z");
/// // Without an offset this time exists twice that night.
/// assert!(matches!(
///     parse_instant("2026-10-25T02:30", Resolve::Reject),
///     Err(InstantError::Ambiguous { .. })
/// ));
/// # Ok::<(), InstantError>(())
/// ```
pub fn parse_instant(input: &str, resolve: Resolve) -> Result<Timestamp, InstantError> {
    let input = input.trim_ascii();
    if let Some(ts) = parse_common_rfc3339(input) {
        return Ok(ts);
    }
    if let Ok(ts) = input.parse::<Timestamp>() {
        return Ok(floor_second(ts));
    }
    let format = || InstantError::Format {
        input: input.to_string(),
    };
    let civil: DateTime = match input.parse::<DateTime>() {
        Ok(dt) => dt,
        Err(_) => input.parse::<Date>().map_err(|_| format())?.at(0, 0, 0, 0),
    };
    let ambiguous = amsterdam().to_ambiguous_timestamp(civil);
    let text = || civil.strftime("%Y-%m-%dT%H:%M").to_string();
    let chosen = match (ambiguous.offset(), resolve) {
        (jiff::tz::AmbiguousOffset::Unambiguous { .. }, _) => ambiguous.compatible(),
        (jiff::tz::AmbiguousOffset::Gap { .. }, Resolve::Reject) => {
            return Err(InstantError::Nonexistent { input: text() });
        }
        (jiff::tz::AmbiguousOffset::Fold { .. }, Resolve::Reject) => {
            return Err(InstantError::Ambiguous { input: text() });
        }
        (_, Resolve::Earlier) => ambiguous.disambiguate(Disambiguation::Earlier),
        (_, Resolve::Later) => ambiguous.disambiguate(Disambiguation::Later),
    };
    chosen.map(floor_second).map_err(|_| format())
}

/// The one form that event streams use almost always,
/// `YYYY-MM-DDTHH:MM:SS+HH:MM` or `...Z`, read without the general parser:
/// a report reads millions of these. Anything else (fractions, lower-case
/// `t`, odd offsets, invalid dates) returns `None` and goes to jiff.
fn parse_common_rfc3339(input: &str) -> Option<Timestamp> {
    InstantReader::default().common(input.as_bytes())
}

/// Reads the instants of an event stream, which come in time order: one
/// day's events share their date, so the date is read once per day. The
/// result is that of [`parse_instant`] with [`Resolve::Reject`].
#[derive(Clone, Debug, Default)]
pub struct InstantReader {
    /// The last date text read and its day number (days since 1970-01-01).
    last: Option<([u8; 10], i32)>,
}

impl InstantReader {
    /// Reads an instant as [`parse_instant`] with [`Resolve::Reject`] does.
    #[inline]
    pub fn read(&mut self, input: &[u8]) -> Result<Timestamp, InstantError> {
        let trimmed = input.trim_ascii();
        match self.common(trimmed) {
            Some(ts) => Ok(ts),
            None => Self::general(trimmed),
        }
    }

    /// Any other form: the general parser, which needs text and whose
    /// error names the input.
    #[cold]
    #[inline(never)]
    fn general(input: &[u8]) -> Result<Timestamp, InstantError> {
        let text = std::str::from_utf8(input).map_err(|_| InstantError::Format {
            input: String::from_utf8_lossy(input).into_owned(),
        })?;
        parse_instant(text, Resolve::Reject)
    }

    /// The common form of [`parse_common_rfc3339`]; the day number of the
    /// date is remembered for the next instant of the same day.
    #[inline]
    fn common(&mut self, input: &[u8]) -> Option<Timestamp> {
        let (date, rest) = input.split_first_chunk::<10>()?;
        let local = rfc3339_time(rest)?;
        let day = match self.last {
            Some((text, day)) if text == *date => day,
            _ => {
                let day = rfc3339_date(date)?;
                self.last = Some((*date, day));
                day
            }
        };
        Timestamp::from_second(i64::from(day) * 86_400 + local).ok()
    }
}

/// The day number of `YYYY-MM-DD`, if it is a valid date.
#[inline]
fn rfc3339_date(head: &[u8; 10]) -> Option<i32> {
    if (head[4] != b'-') | (head[7] != b'-') {
        return None;
    }
    let digit = |i: usize| head[i].wrapping_sub(b'0');
    let digits = [
        digit(0),
        digit(1),
        digit(2),
        digit(3),
        digit(5),
        digit(6),
        digit(8),
        digit(9),
    ];
    if digits.iter().fold(false, |bad, &d| bad | (d > 9)) {
        return None;
    }
    let two = |i: usize| i32::from(digits[i]) * 10 + i32::from(digits[i + 1]);
    let year = two(0) * 100 + two(2);
    let (month, day) = (two(4), two(6));
    if !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    Some(days_from_ymd(year, month, day))
}

/// `THH:MM:SS` and the offset (`Z` or `+HH:MM`) after the date: the
/// seconds since local midnight minus the offset.
#[inline]
fn rfc3339_time(rest: &[u8]) -> Option<i64> {
    let (head, tail) = rest.split_first_chunk::<9>()?;
    let offset_seconds = match *tail {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let [h1, h2, m1, m2] = [h1, h2, m1, m2].map(|c| c.wrapping_sub(b'0'));
            if (h1 > 9) | (h2 > 9) | (m1 > 9) | (m2 > 9) | (m1 * 10 + m2 > 59) {
                return None;
            }
            let magnitude = i32::from(h1 * 10 + h2) * 3600 + i32::from(m1 * 10 + m2) * 60;
            if magnitude > 18 * 3600 {
                return None;
            }
            if sign == b'-' { -magnitude } else { magnitude }
        }
        _ => return None,
    };
    let (t, clock) = head.split_first()?;
    let clock: [u8; 8] = clock.try_into().ok()?;
    if *t != b'T' {
        return None;
    }
    Some(i64::from(
        clock_seconds(u64::from_le_bytes(clock))? - offset_seconds,
    ))
}

/// `HH:MM:SS` as eight bytes (little-endian) to seconds since midnight,
/// checked all at once: the colons, then every digit byte `0x30..=0x39`.
#[inline]
fn clock_seconds(word: u64) -> Option<i32> {
    // Bytes 2 and 5 are the colons; the others digits.
    const COLONS: u64 = 0x0000_3a00_003a_0000;
    const DIGITS: u64 = 0xffff_00ff_ff00_ffff;
    const HIGH_NIBBLES: u64 = 0xf0f0_00f0_f000_f0f0;
    if word & !DIGITS != COLONS {
        return None;
    }
    // A digit becomes 0..=9; any other byte keeps a high nibble, or
    // (0x3a..=0x3f) reaches one when 6 is added. Adding 6 to 0..=15 does
    // not carry into the next byte; a byte with a high nibble may, but it
    // fails the first test anyway.
    let values = (word & DIGITS) ^ (0x3030_0030_3000_3030 & DIGITS);
    if (values & HIGH_NIBBLES != 0)
        | (values.wrapping_add(0x0606_0006_0600_0606) & HIGH_NIBBLES != 0)
    {
        return None;
    }
    let byte = |i: u32| ((values >> (8 * i)) & 0xff) as i32;
    let (hour, minute, second) = (
        byte(0) * 10 + byte(1),
        byte(3) * 10 + byte(4),
        byte(6) * 10 + byte(7),
    );
    if (hour > 23) | (minute > 59) | (second > 59) {
        return None;
    }
    Some(hour * 3600 + minute * 60 + second)
}

/// The days in a month of the proleptic Gregorian calendar (0 for a month
/// that does not exist). Checked here rather than by building a jiff date:
/// the fast reader runs once per event.
fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    }
}

fn floor_second(ts: Timestamp) -> Timestamp {
    if ts.subsec_nanosecond() == 0 {
        return ts;
    }
    let second = ts.as_second() - i64::from(ts.subsec_nanosecond() < 0);
    Timestamp::from_second(second).unwrap_or(ts)
}

/// The civil date of a day number (days since 1970-01-01): Howard
/// Hinnant's `civil_from_days`, the inverse of [`days_from_civil`].
pub(crate) fn civil_from_days(days: i32) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i32::from(month <= 2);
    // Day numbers here come from the calendar tables (1990-2102): in range.
    Date::new(year as i16, month as i8, day as i8).unwrap_or(Date::MIN)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
///
/// Howard Hinnant's `days_from_civil`: integer arithmetic, no tables, so the
/// calendar tables can index days without a jiff call in the hot path.
pub(crate) fn days_from_civil(date: Date) -> i32 {
    days_from_ymd(
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    )
}

/// [`days_from_civil`] of a year, month and day.
#[inline]
fn days_from_ymd(year: i32, m: i32, d: i32) -> i32 {
    let y = year - i32::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_matches_jiff() {
        let epoch = jiff::civil::date(1970, 1, 1);
        for date in [
            jiff::civil::date(1970, 1, 1),
            jiff::civil::date(1990, 1, 1),
            jiff::civil::date(2000, 2, 29),
            jiff::civil::date(2100, 3, 1),
            jiff::civil::date(1583, 10, 16),
        ] {
            let expected = (date - epoch).get_days();
            assert_eq!(days_from_civil(date), expected, "{date}");
        }
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        let mut day = jiff::civil::date(1989, 12, 25);
        while day.year() < 2104 {
            assert_eq!(civil_from_days(days_from_civil(day)), day);
            day = day.tomorrow().unwrap();
        }
    }

    #[test]
    fn the_offset_from_the_tables_matches_the_tz_database() {
        // Build the tables first, so that they answer.
        crate::calendar::Calendar::gemeente().unwrap();
        // Every half hour around two summer-time changes, and far outside the tables.
        for start in [1_774_746_000i64 - 7200, 1_792_886_400 - 7200, 4_200_000_000] {
            for h in 0..6 {
                let ts = Timestamp::from_second(start + h * 1800).unwrap();
                let moment = Moment::in_amsterdam(ts);
                assert_eq!(moment.offset(), amsterdam().to_offset(ts), "{ts}");
                assert_eq!(moment.date(), moment.civil().date(), "{ts}");
            }
        }
    }

    #[test]
    fn moment_prints_rfc3339_with_offset() {
        let ts: Timestamp = "2026-04-07T21:59:59Z".parse().unwrap();
        assert_eq!(
            Moment::in_amsterdam(ts).to_string(),
            "2026-04-07T23:59:59+02:00"
        );
        let ts: Timestamp = "2025-12-30T22:59:59Z".parse().unwrap();
        assert_eq!(
            Moment::in_amsterdam(ts).to_string(),
            "2025-12-30T23:59:59+01:00"
        );
    }

    #[test]
    fn fractional_seconds_are_dropped_towards_the_past() {
        let t = parse_instant("2026-04-02T10:00:00.900+02:00", Resolve::Reject).unwrap();
        assert_eq!(t.to_string(), "2026-04-02T08:00:00Z");
        let t = parse_instant("1969-12-31T23:59:59.5Z", Resolve::Reject).unwrap();
        assert_eq!(t.to_string(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn the_fast_reader_agrees_with_jiff() {
        for text in [
            "2026-04-02T10:00:00+02:00",
            "2026-04-02T08:00:00Z",
            "1990-01-01T00:00:00+01:00",
            "2100-12-31T23:59:59-05:30",
            "2024-02-29T12:00:00+00:00",
            "2000-02-29T12:00:00+00:00",
            "2026-12-31T23:59:59Z",
        ] {
            let fast = parse_common_rfc3339(text).unwrap();
            assert_eq!(fast, text.parse::<Timestamp>().unwrap(), "{text}");
        }
        for text in [
            "2026-02-30T10:00:00+01:00",
            "2026-04-02T24:00:00Z",
            "2026-04-02 10:00:00Z",
            "2026-04-02T10:00:00+2:000",
            "2026-04-02T10:00:00+01:75",
            "2025-02-29T12:00:00Z",
            "2100-02-29T12:00:00Z",
            "2026-00-10T12:00:00Z",
            "2026-13-10T12:00:00Z",
            "2026-04-31T12:00:00Z",
            "2026-04-00T12:00:00Z",
        ] {
            assert_eq!(parse_common_rfc3339(text), None, "{text}");
        }
    }

    /// Every time of day, and every single-byte change of a valid one,
    /// reads as the byte-by-byte rules say.
    #[test]
    fn clock_seconds_checks_every_byte() {
        fn slow(clock: &[u8; 8]) -> Option<i32> {
            let digit = |i: usize| {
                clock[i]
                    .is_ascii_digit()
                    .then(|| i32::from(clock[i] - b'0'))
            };
            if clock[2] != b':' || clock[5] != b':' {
                return None;
            }
            let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
            let (h, m, s) = (two(0)?, two(3)?, two(6)?);
            (h <= 23 && m <= 59 && s <= 59).then_some(h * 3600 + m * 60 + s)
        }
        for h in 0..100 {
            for m in 0..100 {
                for s in [0, 9, 10, 59, 60, 99] {
                    let text = format!("{h:02}:{m:02}:{s:02}");
                    let clock: [u8; 8] = text.as_bytes().try_into().unwrap();
                    assert_eq!(
                        clock_seconds(u64::from_le_bytes(clock)),
                        slow(&clock),
                        "{text}"
                    );
                }
            }
        }
        let valid = *b"12:34:56";
        for at in 0..8 {
            for byte in 0..=255u8 {
                let mut clock = valid;
                clock[at] = byte;
                assert_eq!(
                    clock_seconds(u64::from_le_bytes(clock)),
                    slow(&clock),
                    "{clock:?}"
                );
            }
        }
    }

    #[test]
    fn the_instant_reader_agrees_with_parse_instant() {
        let mut texts: Vec<String> = Vec::new();
        // Every hour of 2026 with two offsets, Z and fractions, each date
        // read several times in a row as a stream does.
        let mut day = jiff::civil::date(2025, 12, 30);
        while day.year() < 2027 {
            for hour in [0, 1, 2, 3, 9, 23] {
                texts.push(format!("{day}T{hour:02}:15:30+01:00"));
                texts.push(format!("{day}T{hour:02}:59:59+02:00"));
                texts.push(format!("{day}T{hour:02}:00:00Z"));
                texts.push(format!(" {day}T{hour:02}:00:00.5Z "));
            }
            texts.push(format!("{day}"));
            texts.push(format!("{day}T02:30"));
            day = day.tomorrow().unwrap();
        }
        // Invalid dates, times and offsets after a valid date of the same text.
        for bad in [
            "2026-02-29T10:00:00+01:00",
            "2026-04-31T10:00:00+01:00",
            "2026-04-30T24:00:00+01:00",
            "2026-04-30T10:60:00+01:00",
            "2026-04-30T10:00:60+01:00",
            "2026-04-30T10:00:00+01:60",
            "2026-04-30T10:00:00+19:00",
            "2026-04-30 10:00:00+01:00",
            "2026-04-30T10:00:00+0100",
            "2026-4-30T10:00:00+01:00",
            "2026-04-30T10:00:00-05:30",
            "2026-04-3aT10:00:00Z",
            "",
            "morgen",
        ] {
            texts.push("2026-04-30T10:00:00+01:00".to_string());
            texts.push(bad.to_string());
        }
        let mut reader = InstantReader::default();
        for text in &texts {
            assert_eq!(
                reader.read(text.as_bytes()),
                parse_instant(text, Resolve::Reject),
                "{text}"
            );
        }
    }

    #[test]
    fn gap_and_fold_resolve_on_request() {
        let t = parse_instant("2026-03-29T02:30", Resolve::Later).unwrap();
        assert_eq!(
            Moment::in_amsterdam(t).to_string(),
            "2026-03-29T03:30:00+02:00"
        );
        let t = parse_instant("2026-10-25T02:30", Resolve::Earlier).unwrap();
        assert_eq!(
            Moment::in_amsterdam(t).to_string(),
            "2026-10-25T02:30:00+02:00"
        );
        let t = parse_instant("2026-10-25T02:30", Resolve::Later).unwrap();
        assert_eq!(
            Moment::in_amsterdam(t).to_string(),
            "2026-10-25T02:30:00+01:00"
        );
    }
}
