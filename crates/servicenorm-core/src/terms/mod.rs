//! Terms (termijnen): how long a resident may wait, counted the way the law or
//! the norm says.
//!
//! A [`Term`] is parsed from the words a municipality writes ("2 werkdagen",
//! "6 weken (wettelijk)", "eerstvolgende werkdag 12:00"). It is counted from a
//! start instant on a [`Calendar`], optionally with pauses (opschorting) and
//! extensions (verlenging, verdaging) given as a [`Clock`]. The counting rules
//! per unit are in `docs/TERMS.md`.

mod compute;
pub mod dwangsom;
pub mod explain;
pub mod parse;

use std::fmt;

use jiff::{Timestamp, civil::Date};
use serde::Serialize;

use crate::{calendar::Calendar, time::Moment};
pub use dwangsom::{DwangsomPeriod, dwangsom};
pub use explain::{Adjustment, Deadline, Rule, Warning, WarningKind};
pub use parse::ParseTermError;

/// A term, typed. Serializes as its canonical text ("6 weken (wettelijk)").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// Elapsed time, 24/7: "25 seconden", "15 minuten", "12 uur". Across a
    /// change to summer time 24 hours are 25 wall-clock hours.
    Elapsed {
        amount: u32,
        unit: ElapsedUnit,
        statutory: bool,
    },
    /// Time inside office hours on working days: "2 kantooruren".
    OfficeHours { minutes: u32 },
    /// The end of the n-th working day after the day of the start: "2 werkdagen".
    WorkingDays {
        days: u32,
        day_end: DayEnd,
        after_hours_rollover: bool,
    },
    /// Calendar days, weeks or months: "3 weken", "6 weken (wettelijk)".
    Period {
        count: u32,
        unit: PeriodUnit,
        counting: Counting,
    },
    /// A fixed time on the first working day at or after the start:
    /// "eerstvolgende werkdag 12:00".
    FirstWorkingDayAt { seconds: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElapsedUnit {
    Seconds,
    Minutes,
    Hours,
}

impl ElapsedUnit {
    fn seconds(self) -> i64 {
        match self {
            ElapsedUnit::Seconds => 1,
            ElapsedUnit::Minutes => 60,
            ElapsedUnit::Hours => 3600,
        }
    }
}

/// Where a working day ends for a working-day term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayEnd {
    /// 23:59:59 local time, servicenorm's default.
    #[default]
    EndOfDay,
    /// The closing time of the office on that day.
    Closing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    Days,
    Weeks,
    Months,
}

/// How a period in days, weeks or months is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// A policy term: ends at the end of the nominal day; moves to the next
    /// working day only when `roll` is set.
    Policy { roll: bool },
    /// A term set by law: Algemene termijnenwet art. 1, 2 and 4 apply, always
    /// with the Atw calendar.
    Statutory,
}

/// A pause of the clock: half-open `[from, until)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Suspension {
    pub from: Timestamp,
    pub until: Timestamp,
}

/// How paused days count for statutory and calendar terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionCounting {
    /// Awb 4:15: from the day after the request until the day the
    /// information arrived, that day not counted.
    #[default]
    Awb415,
    /// "tot en met" (Woo 4.4 lid 3): the day the answer arrived counts too.
    Inclusive,
}

/// An extension (verlenging, verdaging) of a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Extension {
    /// The time it adds, such as "6 weken".
    pub term: Term,
    /// When it was announced; an announcement after the term ended is reported.
    pub announced: Option<Timestamp>,
}

/// Whether a norm allows extension, and up to what.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "allowed", rename_all = "snake_case")]
pub enum ExtensionRule {
    /// Any extension is accepted.
    #[default]
    Unlimited,
    /// Extensions together may add at most this term (Awb 7:10 lid 3: 6 weken).
    UpTo { max: Term },
    /// The norm promises not to extend (BUCH: objections without verdaging).
    Forbidden,
}

/// Everything that happened to one clock besides its start.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Clock {
    pub suspensions: Vec<Suspension>,
    pub suspension_counting: SuspensionCounting,
    pub extensions: Vec<Extension>,
    pub extension_rule: ExtensionRule,
}

/// Why a term could not be counted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    /// A term that starts, or would end, outside the years the calendar
    /// tables cover; the text is the start or the end, whichever was found
    /// outside first, so the message does not say which.
    #[error(
        "de termijn valt (deels) buiten de jaren die servicenorm kent ({0}). Een termijn \
         begint in 1990 tot en met 2100 en eindigt uiterlijk in 2102"
    )]
    OutOfRange(String),
    #[error("pauze van {from} tot {until} eindigt niet na het begin")]
    EmptySuspension { from: String, until: String },
    #[error("een verlenging moet een duur zijn zoals \"6 weken\" of \"2 werkdagen\", niet \"{0}\"")]
    BadExtension(String),
    #[error("een wettelijke termijn wordt verlengd in dagen, weken of maanden, niet met \"{0}\"")]
    StatutoryExtension(String),
    #[error(
        "de ingebrekestelling van {received} kwam te vroeg: de beslistermijn liep nog tot en met \
         {term_end}; de aanvrager moet opnieuw in gebreke stellen na {term_end} (Awb 4:17 lid 3)"
    )]
    PrematureNotice { received: String, term_end: String },
    #[error("de kalender kon niet worden opgebouwd: {0}")]
    Calendar(String),
}

impl Term {
    /// The deadline of this term from `start`, without pauses or extensions.
    /// The fast path: no explanation is built and nothing is allocated.
    ///
    /// ```
    /// use servicenorm_core::{calendar::Calendar, terms::Term};
    /// let term: Term = "2 kantooruren".parse()?;
    /// let start = "2026-03-27T15:00:00Z".parse()?; // Friday 16:00 CET
    /// let deadline = term.deadline(start, Calendar::gemeente()?)?;
    /// // Summer time starts that weekend: Monday 09:30 is +02:00.
    /// assert_eq!(deadline.to_string(), "2026-03-30T09:30:00+02:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn deadline(&self, start: Timestamp, calendar: &Calendar) -> Result<Moment, TermError> {
        compute::deadline(self, start, calendar)
    }

    /// The deadline with pauses and extensions, without the explanation: the
    /// same arithmetic as [`Term::explain`], for reports over many cases.
    pub fn deadline_with_clock(
        &self,
        start: Timestamp,
        clock: &Clock,
        calendar: &Calendar,
    ) -> Result<Moment, TermError> {
        compute::deadline_with_clock(self, start, clock, calendar)
    }

    /// The deadline with pauses and extensions, and the explanation of every
    /// step.
    ///
    /// ```
    /// use servicenorm_core::{calendar::Calendar, terms::{Clock, Term}};
    /// let term: Term = "6 weken (wettelijk)".parse()?;
    /// let start = "2026-03-16T12:00:00+01:00".parse()?; // bekendmaking
    /// let result = term.explain(start, &Clock::default(), Calendar::atw()?)?;
    /// assert_eq!(result.deadline.to_string(), "2026-04-28T23:59:59+02:00");
    /// assert_eq!(result.adjustments[0].text, "ma 27-4-2026 is Koningsdag: de termijn loopt door tot di 28-4-2026");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain(
        &self,
        start: Timestamp,
        clock: &Clock,
        calendar: &Calendar,
    ) -> Result<Deadline, TermError> {
        compute::explain(self, start, clock, calendar)
    }

    /// Whether the Atw applies to this term by its own description
    /// (Atw art. 4 sub a excludes hours, more than 90 days, more than twelve
    /// weeks and more than three months).
    pub fn atw_applies(&self) -> bool {
        match *self {
            Term::Period {
                counting: Counting::Statutory,
                count,
                unit,
            } => match unit {
                PeriodUnit::Days => count <= 90,
                PeriodUnit::Weeks => count <= 12,
                PeriodUnit::Months => count <= 3,
            },
            _ => false,
        }
    }
}

impl Serialize for Term {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Term {
    /// How long the term is, as a number and its word ("2 werkdagen", "6
    /// weken"), without the catalog's notes on how it is counted: the words
    /// a letter to a resident uses. None for a fixed time of day.
    pub fn length_in_words(&self) -> Option<String> {
        fn plural<'a>(n: u32, one: &'a str, many: &'a str) -> &'a str {
            if n == 1 { one } else { many }
        }
        let (n, word) = match *self {
            Term::Elapsed { amount, unit, .. } => (
                amount,
                match unit {
                    ElapsedUnit::Seconds => plural(amount, "seconde", "seconden"),
                    ElapsedUnit::Minutes => plural(amount, "minuut", "minuten"),
                    ElapsedUnit::Hours => "uur",
                },
            ),
            Term::OfficeHours { minutes } if minutes % 60 == 0 => (
                minutes / 60,
                plural(minutes / 60, "kantooruur", "kantooruren"),
            ),
            Term::OfficeHours { minutes } => {
                (minutes, plural(minutes, "kantoorminuut", "kantoorminuten"))
            }
            Term::WorkingDays { days, .. } => (days, plural(days, "werkdag", "werkdagen")),
            Term::Period { count, unit, .. } => (
                count,
                match unit {
                    PeriodUnit::Days => plural(count, "dag", "dagen"),
                    PeriodUnit::Weeks => plural(count, "week", "weken"),
                    PeriodUnit::Months => plural(count, "maand", "maanden"),
                },
            ),
            Term::FirstWorkingDayAt { .. } => return None,
        };
        Some(format!("{n} {word}"))
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(length) = self.length_in_words() {
            f.write_str(&length)?;
        }
        match *self {
            Term::Elapsed { statutory, .. } => {
                if statutory {
                    f.write_str(" (wettelijk)")?;
                }
                Ok(())
            }
            Term::OfficeHours { .. } => Ok(()),
            Term::WorkingDays {
                day_end,
                after_hours_rollover,
                ..
            } => {
                if day_end == DayEnd::Closing {
                    f.write_str(" (tot sluitingstijd)")?;
                }
                if after_hours_rollover {
                    f.write_str(" (na sluitingstijd vanaf volgende werkdag)")?;
                }
                Ok(())
            }
            Term::Period { counting, .. } => match counting {
                Counting::Statutory => f.write_str(" (wettelijk)"),
                Counting::Policy { roll: true } => f.write_str(" (naar werkdag)"),
                Counting::Policy { roll: false } => Ok(()),
            },
            Term::FirstWorkingDayAt { seconds } => write!(
                f,
                "eerstvolgende werkdag {:02}:{:02}",
                seconds / 3600,
                seconds / 60 % 60
            ),
        }
    }
}

/// A date in an error message.
pub(crate) fn date_text(date: Date) -> String {
    explain::short_date(date)
}
