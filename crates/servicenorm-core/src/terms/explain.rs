//! What a deadline result says about itself: adjustments, warnings, and the
//! Dutch words for dates.

use std::fmt;

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::time::Moment;

/// A computed deadline with its explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The term as written in canonical form, such as "6 weken (wettelijk)".
    pub term: String,
    /// The calendar the term was counted with.
    pub calendar: String,
    pub start: Moment,
    /// The last moment at which the term is still met.
    pub deadline: Moment,
    /// The end before holidays, closing days, the Atw, pauses and extensions.
    pub nominal_end: Moment,
    pub adjustments: Vec<Adjustment>,
    pub warnings: Vec<Warning>,
}

/// The rule behind an adjustment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A holiday or closing day does not count as a working day.
    NonWorkingDay,
    /// The office has other hours that day (24 December until 16:00).
    OtherOfficeHours,
    /// The clock starts at the next opening of the office.
    StartsAtOpening,
    /// Day 0 moves to the next working day (after-hours rollover).
    DayZeroRollover,
    /// A month term ends on the last day of a shorter month.
    MonthEnd,
    /// A policy term ending on a non-working day moves to the next working day.
    RollToWorkingDay,
    /// Atw art. 1: a statutory term ending on a non-working day moves on.
    AtwArticle1,
    /// Atw art. 2: a statutory term of three days or more holds two working days.
    AtwArticle2,
    /// Atw art. 4: the Atw does not apply to this term.
    AtwArticle4,
    /// The clock was paused (opschorting).
    Suspension,
    /// The term was extended (verlenging, verdaging).
    Extension,
    /// A weekend or holiday question is answered on the next working day.
    FirstWorkingDay,
}

/// One step from the nominal end to the deadline, with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Adjustment {
    pub rule: Rule,
    /// The explanation in Dutch.
    pub text: String,
    /// The legal or policy basis, such as "Atw art. 3 lid 1".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

impl Adjustment {
    pub(crate) fn new(rule: Rule, text: impl Into<String>) -> Adjustment {
        Adjustment {
            rule,
            text: text.into(),
            basis: None,
        }
    }

    pub(crate) fn basis(mut self, basis: impl Into<String>) -> Adjustment {
        self.basis = Some(basis.into());
        self
    }
}

impl fmt::Display for Adjustment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        if let Some(basis) = &self.basis {
            write!(f, " ({basis})")?;
        }
        Ok(())
    }
}

/// What a reader must know about a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// No royal decree is known for a year the term runs through.
    DecreeUnknown,
    /// A statutory term is counted with the Atw calendar, not the one given.
    StatutoryCalendar,
    /// The norm does not allow an extension, yet one was given.
    ExtensionNotAllowed,
    /// The extensions together exceed the maximum.
    ExtensionAboveMaximum,
    /// The extension was announced after the term had ended.
    ExtensionTooLate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// The warning in Dutch.
    pub text: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Deadline {
    /// The explanation in Dutch, one line per step, as `--explain` prints it.
    pub fn explanation(&self) -> String {
        let mut out = String::new();
        let nominal = self.nominal_end.civil();
        out.push_str(&format!(
            "Termijn: {} vanaf {} (kalender {}).\n",
            self.term,
            long_moment(&self.start),
            self.calendar
        ));
        if self.nominal_end != self.deadline {
            out.push_str(&format!(
                "Zonder aanpassingen zou de termijn eindigen op {} om {}.\n",
                long_date(nominal.date()),
                nominal.time().strftime("%H:%M:%S")
            ));
        }
        for adjustment in &self.adjustments {
            out.push_str(&format!("- {adjustment}\n"));
        }
        out.push_str(&format!(
            "De termijn eindigt op {}.\n",
            long_moment(&self.deadline)
        ));
        for warning in &self.warnings {
            out.push_str(&format!("Let op: {warning}\n"));
        }
        out
    }
}

pub(crate) fn long_moment(moment: &Moment) -> String {
    let civil = moment.civil();
    format!(
        "{} om {}",
        long_date(civil.date()),
        civil.time().strftime("%H:%M:%S")
    )
}

/// "ma 27-4-2026"
pub fn short_date(date: Date) -> String {
    format!(
        "{} {}-{}-{}",
        weekday_short(date.weekday()),
        date.day(),
        date.month(),
        date.year()
    )
}

/// "dinsdag 28 april 2026"
pub fn long_date(date: Date) -> String {
    format!("{} {}", day_and_month(date), date.year())
}

/// "dinsdag 28 april": a date in a year the reader knows.
pub fn day_and_month(date: Date) -> String {
    format!(
        "{} {} {}",
        weekday_long(date.weekday()),
        date.day(),
        month_name(date.month())
    )
}

pub fn weekday_short(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "ma",
        Weekday::Tuesday => "di",
        Weekday::Wednesday => "wo",
        Weekday::Thursday => "do",
        Weekday::Friday => "vr",
        Weekday::Saturday => "za",
        Weekday::Sunday => "zo",
    }
}

pub fn weekday_long(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "maandag",
        Weekday::Tuesday => "dinsdag",
        Weekday::Wednesday => "woensdag",
        Weekday::Thursday => "donderdag",
        Weekday::Friday => "vrijdag",
        Weekday::Saturday => "zaterdag",
        Weekday::Sunday => "zondag",
    }
}

pub fn month_name(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    NAMES
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// Records the explanation while a term is computed; the silent variant
/// compiles to nothing, so the fast path pays no allocation.
pub(crate) trait Trace {
    fn adjust(&mut self, make: impl FnOnce() -> Adjustment);
    fn warn(&mut self, make: impl FnOnce() -> Warning);
    fn on(&self) -> bool;
}

pub(crate) struct Silent;

impl Trace for Silent {
    #[inline(always)]
    fn adjust(&mut self, _: impl FnOnce() -> Adjustment) {}
    #[inline(always)]
    fn warn(&mut self, _: impl FnOnce() -> Warning) {}
    #[inline(always)]
    fn on(&self) -> bool {
        false
    }
}

#[derive(Default)]
pub(crate) struct Record {
    pub adjustments: Vec<Adjustment>,
    pub warnings: Vec<Warning>,
}

impl Trace for Record {
    fn adjust(&mut self, make: impl FnOnce() -> Adjustment) {
        self.adjustments.push(make());
    }
    fn warn(&mut self, make: impl FnOnce() -> Warning) {
        let warning = make();
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }
    fn on(&self) -> bool {
        true
    }
}
