//! Calendars: which days are working days, and the office hours on them.
//!
//! Two calendars are built in (see `docs/TERMS.md`):
//! - [`Calendar::atw`]: for statutory terms. Saturday, Sunday, the holidays of
//!   the Algemene termijnenwet art. 3 (with Goede Vrijdag) and the days equated
//!   by royal decree.
//! - [`Calendar::gemeente`]: for service norms. Saturday, Sunday and the paid
//!   holidays of the municipal collective agreement (Goede Vrijdag is a working
//!   day).
//!
//! A municipality defines its own calendar in TOML: one of these as its base,
//! plus its local closing days and its own office hours
//! ([`Calendar::from_toml`]).

pub mod definition;
pub mod easter;
pub mod holidays;
pub mod office_hours;
pub mod royal_decrees;
pub(crate) mod table;

use std::{fmt, sync::OnceLock};

use jiff::{Timestamp, civil::Date};
use serde::Serialize;

pub use definition::{DefinitionError, Problem};
pub use easter::easter;
pub use holidays::Holiday;
pub use office_hours::{DayHours, WeekSchedule};
pub use royal_decrees::decree_known;
pub use table::{FIRST_YEAR, LAST_YEAR, TABLE_LAST_YEAR};

use table::{DayKind, DayTable, TableSpec};

/// The two built-in calendars a municipality's own calendar can build on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaseCalendar {
    /// Algemene termijnenwet: for statutory terms.
    Atw,
    /// cao Gemeenten: for service norms.
    Gemeente,
}

impl BaseCalendar {
    pub fn id(self) -> &'static str {
        match self {
            BaseCalendar::Atw => "atw",
            BaseCalendar::Gemeente => "gemeente",
        }
    }

    fn holidays(self, year: i16) -> Vec<Holiday> {
        match self {
            BaseCalendar::Atw => holidays::atw_holidays(year),
            BaseCalendar::Gemeente => holidays::gemeente_holidays(year),
        }
    }
}

/// Why a calendar could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error(transparent)]
    Definition(#[from] DefinitionError),
    #[error("kalender kon niet worden opgebouwd: {0}")]
    Build(#[from] jiff::Error),
    #[error("onbekende kalender \"{0}\": kies atw, gemeente of een kalenderbestand (.toml)")]
    Unknown(String),
    #[error("ingebouwde kalender kon niet worden opgebouwd: {0}")]
    Builtin(String),
}

/// What a municipality's calendar adds to its base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarSpec {
    pub id: String,
    pub name: String,
    pub base: BaseCalendar,
    pub schedule: WeekSchedule,
    /// Local closing days (per date, with a name).
    pub closing_days: Vec<Holiday>,
    /// Office hours that differ on a date (24 December until 16:00).
    pub exceptions: Vec<(Date, DayHours)>,
    /// Whether a holiday on a weekday counts as "weekend" for norms such as
    /// "weekend questions are answered on Monday before 12:00".
    pub weekend_includes_holidays: bool,
}

impl CalendarSpec {
    pub fn builtin(base: BaseCalendar) -> CalendarSpec {
        let name = match base {
            BaseCalendar::Atw => "Algemene termijnenwet (wettelijke termijnen)",
            BaseCalendar::Gemeente => "Gemeente (cao Gemeenten)",
        };
        CalendarSpec {
            id: base.id().to_string(),
            name: name.to_string(),
            base,
            schedule: WeekSchedule::standard(),
            closing_days: Vec::new(),
            exceptions: Vec::new(),
            weekend_includes_holidays: true,
        }
    }
}

/// A calendar with its precomputed tables.
pub struct Calendar {
    spec: CalendarSpec,
    /// Every named non-working day in the tables' range, sorted by date.
    holidays: Vec<Holiday>,
    table: DayTable,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("id", &self.spec.id)
            .finish_non_exhaustive()
    }
}

/// Why a day is not a working day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NonWorking<'a> {
    Weekend,
    Holiday(&'a Holiday),
}

/// The Europe/Amsterdam offset at `ts` (UTC seconds) from the built-in
/// municipal calendar's day tables, if it is built and covers `ts`.
pub(crate) fn offset_from_tables(ts: i64) -> Option<jiff::tz::Offset> {
    let table = GEMEENTE.get()?.as_ref().ok()?.table();
    let day = table.day_of(ts)?;
    Some(table.offset_at(ts, day))
}

static ATW: OnceLock<Result<Calendar, String>> = OnceLock::new();
static GEMEENTE: OnceLock<Result<Calendar, String>> = OnceLock::new();

impl Calendar {
    /// The Atw calendar, for statutory terms. Built once per process.
    pub fn atw() -> Result<&'static Calendar, CalendarError> {
        Self::cached(&ATW, BaseCalendar::Atw)
    }

    /// The municipal calendar of the cao Gemeenten, for service norms.
    pub fn gemeente() -> Result<&'static Calendar, CalendarError> {
        Self::cached(&GEMEENTE, BaseCalendar::Gemeente)
    }

    /// A built-in calendar by its id (`atw` or `gemeente`).
    pub fn builtin(id: &str) -> Result<&'static Calendar, CalendarError> {
        match id {
            "atw" => Self::atw(),
            "gemeente" => Self::gemeente(),
            other => Err(CalendarError::Unknown(other.to_string())),
        }
    }

    fn cached(
        cell: &'static OnceLock<Result<Calendar, String>>,
        base: BaseCalendar,
    ) -> Result<&'static Calendar, CalendarError> {
        cell.get_or_init(|| Calendar::new(CalendarSpec::builtin(base)).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| CalendarError::Builtin(format!("{}: {e}", base.id())))
    }

    /// Reads a municipality's calendar from TOML; `origin` names the file in
    /// error messages. See `docs/CALENDARS.md` for the format.
    pub fn from_toml(text: &str, origin: &str) -> Result<Calendar, CalendarError> {
        let spec = definition::parse(text, origin)?;
        Calendar::new(spec)
    }

    /// Builds the tables for a calendar.
    pub fn new(spec: CalendarSpec) -> Result<Calendar, CalendarError> {
        let mut holidays: Vec<Holiday> = (FIRST_YEAR..=TABLE_LAST_YEAR)
            .flat_map(|year| spec.base.holidays(year))
            .chain(spec.closing_days.iter().cloned())
            .collect();
        holidays.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.name.cmp(&b.name)));
        let dates: Vec<Date> = holidays.iter().map(|h| h.date).collect();
        let mut exceptions = spec.exceptions.clone();
        exceptions.sort_by_key(|(d, _)| *d);
        let table = DayTable::build(&TableSpec {
            schedule: &spec.schedule,
            non_working: &dates,
            exceptions: &exceptions,
        })?;
        Ok(Calendar {
            spec,
            holidays,
            table,
        })
    }

    pub fn id(&self) -> &str {
        &self.spec.id
    }

    pub fn name(&self) -> &str {
        &self.spec.name
    }

    pub fn base(&self) -> BaseCalendar {
        self.spec.base
    }

    pub fn spec(&self) -> &CalendarSpec {
        &self.spec
    }

    pub(crate) fn table(&self) -> &DayTable {
        &self.table
    }

    /// The named non-working days of `year`, sorted by date: the base
    /// calendar's holidays (also those in a weekend) and local closing days.
    ///
    /// ```
    /// use servicenorm_core::calendar::Calendar;
    /// let atw = Calendar::atw()?;
    /// let first = atw.holidays_in(2026).next().unwrap();
    /// assert_eq!((first.date.to_string().as_str(), first.name.as_str()), ("2026-01-01", "Nieuwjaarsdag"));
    /// # Ok::<(), servicenorm_core::calendar::CalendarError>(())
    /// ```
    pub fn holidays_in(&self, year: i16) -> impl Iterator<Item = &Holiday> {
        let start = self.holidays.partition_point(|h| h.date.year() < year);
        self.holidays[start..]
            .iter()
            .take_while(move |h| h.date.year() == year)
    }

    /// Whether `date` is a working day, or `None` outside the supported years.
    pub fn is_working_day(&self, date: Date) -> Option<bool> {
        self.table.index_of(date).map(|i| self.table.is_working(i))
    }

    /// Why `date` is not a working day (`None` for a working day or a date
    /// outside the supported years).
    pub fn non_working(&self, date: Date) -> Option<NonWorking<'_>> {
        let index = self.table.index_of(date)?;
        self.non_working_at(index)
    }

    pub(crate) fn non_working_at(&self, index: usize) -> Option<NonWorking<'_>> {
        match self.table.kind(index) {
            DayKind::Working => None,
            DayKind::Weekend => Some(NonWorking::Weekend),
            DayKind::Closed(i) => self.holidays.get(usize::from(i)).map(NonWorking::Holiday),
        }
    }

    /// The office hours on `date` (closed on a non-working day).
    pub fn office_hours_on(&self, date: Date) -> DayHours {
        match self.is_working_day(date) {
            Some(true) => self.planned_hours(date).clone(),
            _ => DayHours::closed(),
        }
    }

    /// The hours of the weekly schedule or of a per-date exception, as if
    /// there were no holidays or closing days.
    pub(crate) fn planned_hours(&self, date: Date) -> &DayHours {
        self.exception_on(date)
            .unwrap_or_else(|| self.spec.schedule.hours(date.weekday()))
    }

    /// Hours that differ from the weekly schedule on `date`, if any.
    pub(crate) fn exception_on(&self, date: Date) -> Option<&DayHours> {
        self.spec
            .exceptions
            .iter()
            .find(|(d, _)| *d == date)
            .map(|(_, h)| h)
    }

    /// Whether `instant` lies in a "weekend window": outside office hours,
    /// between the last closing before a non-working day and the next opening.
    /// Friday 17:00 is inside, Friday 16:59 is not, and an ordinary working-day
    /// evening is not. Whether a holiday on a weekday counts is the calendar's
    /// choice (`weekend_includes_holidays`, default yes).
    ///
    /// Returns `None` outside the supported years.
    pub fn in_weekend_window(&self, instant: Timestamp) -> Option<bool> {
        let t = &self.table;
        let ts = instant.as_second();
        let day = t.day_of(ts)?;
        if t.intervals(day)
            .iter()
            .any(|&(open, close)| open <= ts && ts < close)
        {
            return Some(false);
        }
        const LOOKAROUND: usize = 60;
        let closed_before = (day.saturating_sub(LOOKAROUND)..=day)
            .rev()
            .find(|&d| t.intervals(d).iter().any(|&(_, close)| close <= ts))?;
        let opens_after = (day..(day + LOOKAROUND).min(t.len()))
            .find(|&d| t.intervals(d).iter().any(|&(open, _)| open > ts))?;
        Some((closed_before + 1..opens_after).any(|d| match t.kind(d) {
            DayKind::Working => false,
            DayKind::Weekend => true,
            DayKind::Closed(_) => {
                self.spec.weekend_includes_holidays
                    || t.date_of(d).weekday().to_monday_one_offset() > 5
            }
        }))
    }
}
