//! A municipality's own calendar, written in TOML.
//!
//! ```toml
//! id = "heemskerk"
//! name = "Gemeente Heemskerk"
//! based_on = "gemeente"
//!
//! [office_hours]
//! monday = ["08:30-12:30", "13:00-17:00"]
//! tuesday = "08:30-17:00"
//!
//! [[closing_days]]
//! date = 2026-05-15
//! name = "Vrijdag na Hemelvaartsdag"
//!
//! [[office_hours_exceptions]]
//! date = 2026-12-24
//! hours = "08:30-16:00"
//! ```
//!
//! Every problem in a file is reported at once, each with the file, line,
//! column and field it is about.

use std::{collections::BTreeSet, fmt, ops::Range};

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;

use super::{
    BaseCalendar, CalendarSpec, Holiday,
    office_hours::{DayHours, WeekSchedule},
    table::{FIRST_YEAR, TABLE_LAST_YEAR},
};

/// One problem in a definition file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub origin: String,
    pub line: usize,
    pub column: usize,
    /// The field, such as `closing_days.date`; empty when the file as a whole
    /// cannot be read.
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.origin, self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// All problems found in a definition file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DefinitionError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    id: Spanned<String>,
    name: Option<String>,
    based_on: Spanned<String>,
    weekend_includes_holidays: Option<bool>,
    office_hours: Option<RawWeek>,
    #[serde(default)]
    closing_days: Vec<RawClosingDay>,
    #[serde(default)]
    office_hours_exceptions: Vec<RawException>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeek {
    monday: Option<Spanned<RawHours>>,
    tuesday: Option<Spanned<RawHours>>,
    wednesday: Option<Spanned<RawHours>>,
    thursday: Option<Spanned<RawHours>>,
    friday: Option<Spanned<RawHours>>,
    saturday: Option<Spanned<RawHours>>,
    sunday: Option<Spanned<RawHours>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawHours {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClosingDay {
    date: Spanned<toml::Value>,
    name: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    date: Spanned<toml::Value>,
    hours: Spanned<RawHours>,
}

struct Checker<'a> {
    text: &'a str,
    origin: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        let (line, column) = line_column(self.text, span.start);
        self.problems.push(Problem {
            origin: self.origin.to_string(),
            line,
            column,
            field: field.to_string(),
            message: message.into(),
        });
    }

    fn date(&mut self, value: &Spanned<toml::Value>, field: &str) -> Option<Date> {
        let text = match value.get_ref() {
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            toml::Value::String(s) => s.clone(),
            other => {
                self.report(
                    value.span(),
                    field,
                    format!("verwacht een datum zoals 2026-05-15, maar vond {other}"),
                );
                return None;
            }
        };
        match text.parse::<Date>() {
            Ok(date) if (FIRST_YEAR..=TABLE_LAST_YEAR).contains(&date.year()) => Some(date),
            Ok(date) => {
                self.report(
                    value.span(),
                    field,
                    format!(
                        "{date} valt buiten de jaren {FIRST_YEAR} tot en met {TABLE_LAST_YEAR}"
                    ),
                );
                None
            }
            Err(_) => {
                self.report(
                    value.span(),
                    field,
                    format!("\"{text}\" is geen geldige datum; schrijf een datum zoals 2026-05-15"),
                );
                None
            }
        }
    }

    fn hours(&mut self, value: &Spanned<RawHours>, field: &str) -> Option<DayHours> {
        let texts: Vec<&str> = match value.get_ref() {
            RawHours::One(s) => vec![s.as_str()],
            RawHours::Many(list) => list.iter().map(String::as_str).collect(),
        };
        let mut intervals = Vec::new();
        for text in texts {
            match DayHours::parse_interval(text) {
                Ok(interval) => intervals.push(interval),
                Err(message) => {
                    self.report(value.span(), field, message);
                    return None;
                }
            }
        }
        match DayHours::new(intervals) {
            Ok(hours) => Some(hours),
            Err(message) => {
                self.report(value.span(), field, message);
                None
            }
        }
    }
}

/// Reads and checks a calendar definition.
pub fn parse(text: &str, origin: &str) -> Result<CalendarSpec, DefinitionError> {
    let raw: RawCalendar = toml::from_str(text).map_err(|e| {
        let (line, column) = line_column(text, e.span().map_or(0, |s| s.start));
        DefinitionError {
            problems: vec![Problem {
                origin: origin.to_string(),
                line,
                column,
                field: String::new(),
                message: translate_toml_message(e.message()),
            }],
        }
    })?;
    let mut check = Checker {
        text,
        origin,
        problems: Vec::new(),
    };

    let id = raw.id.get_ref().trim().to_string();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        check.report(
            raw.id.span(),
            "id",
            "gebruik alleen kleine letters, cijfers, - en _ (bijvoorbeeld \"heemskerk\")",
        );
    }
    let base = match raw.based_on.get_ref().as_str() {
        "atw" => Some(BaseCalendar::Atw),
        "gemeente" => Some(BaseCalendar::Gemeente),
        other => {
            check.report(
                raw.based_on.span(),
                "based_on",
                format!("onbekende basiskalender \"{other}\": kies \"atw\" of \"gemeente\""),
            );
            None
        }
    };

    let schedule = match &raw.office_hours {
        None => WeekSchedule::standard(),
        Some(week) => {
            for (name, day) in [("saturday", &week.saturday), ("sunday", &week.sunday)] {
                if let Some(day) = day {
                    check.report(
                        day.span(),
                        &format!("office_hours.{name}"),
                        "zaterdag en zondag zijn geen werkdagen: geef kantooruren voor maandag tot en met vrijdag",
                    );
                }
            }
            let mut days: [DayHours; 5] = Default::default();
            let fields = [
                ("monday", &week.monday),
                ("tuesday", &week.tuesday),
                ("wednesday", &week.wednesday),
                ("thursday", &week.thursday),
                ("friday", &week.friday),
            ];
            for (slot, (name, value)) in days.iter_mut().zip(fields) {
                if let Some(value) = value
                    && let Some(hours) = check.hours(value, &format!("office_hours.{name}"))
                {
                    *slot = hours;
                }
            }
            WeekSchedule::new(days)
        }
    };

    let mut closing_days = Vec::new();
    let mut seen = BTreeSet::new();
    for day in &raw.closing_days {
        let name = day.name.get_ref().trim();
        if name.is_empty() {
            check.report(
                day.name.span(),
                "closing_days.name",
                "geef de sluitingsdag een naam",
            );
        }
        let Some(date) = check.date(&day.date, "closing_days.date") else {
            continue;
        };
        if !seen.insert(date) {
            check.report(
                day.date.span(),
                "closing_days.date",
                format!("{date} staat twee keer in de lijst"),
            );
            continue;
        }
        if date.weekday().to_monday_one_offset() > 5 {
            check.report(
                day.date.span(),
                "closing_days.date",
                format!(
                    "{date} is een {}: dat is al geen werkdag",
                    weekday_name(date)
                ),
            );
            continue;
        }
        closing_days.push(Holiday {
            date,
            name: name.to_string(),
            basis: format!("lokale sluitingsdag ({id})"),
        });
    }

    let mut exceptions = Vec::new();
    let mut seen = BTreeSet::new();
    for exception in &raw.office_hours_exceptions {
        let Some(date) = check.date(&exception.date, "office_hours_exceptions.date") else {
            continue;
        };
        let hours = check.hours(&exception.hours, "office_hours_exceptions.hours");
        if !seen.insert(date) {
            check.report(
                exception.date.span(),
                "office_hours_exceptions.date",
                format!("{date} staat twee keer in de lijst"),
            );
            continue;
        }
        let closed = date.weekday().to_monday_one_offset() > 5
            || closing_days.iter().any(|c| c.date == date)
            || base.is_some_and(|b| b.holidays(date.year()).iter().any(|h| h.date == date));
        if closed {
            check.report(
                exception.date.span(),
                "office_hours_exceptions.date",
                format!("{date} is geen werkdag, dus er gelden geen kantooruren"),
            );
            continue;
        }
        if let Some(hours) = hours {
            exceptions.push((date, hours));
        }
    }

    match base {
        Some(base) if check.problems.is_empty() => Ok(CalendarSpec {
            name: raw.name.unwrap_or_else(|| id.clone()),
            id,
            base,
            schedule,
            closing_days,
            exceptions,
            weekend_includes_holidays: raw.weekend_includes_holidays.unwrap_or(true),
        }),
        _ => Err(DefinitionError {
            problems: check.problems,
        }),
    }
}

fn weekday_name(date: Date) -> &'static str {
    crate::terms::explain::weekday_long(date.weekday())
}

/// Line and column (both from 1) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The TOML parser's messages are English; the few that a user meets most
/// are put in Dutch, the rest keep their text after a Dutch lead.
pub(crate) fn translate_toml_message(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("verplicht veld {rest} ontbreekt");
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!(
            "onbekend veld {}",
            rest.replace(", expected one of ", "; toegestaan zijn ")
        );
    }
    format!("dit is geen geldige TOML: {message}")
}
