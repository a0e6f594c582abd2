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

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;

use super::{
    BaseCalendar, CalendarSpec, Holiday,
    office_hours::{DayHours, WeekSchedule},
    table::{FIRST_YEAR, TABLE_LAST_YEAR},
};
use crate::diagnostics::{Checker, toml_problem};
pub use crate::diagnostics::{DefinitionError, Problem};

/// A calendar as written, with the places of its fields. A catalog holds
/// these too, so its calendars are checked by the same rules.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCalendar {
    pub id: Spanned<String>,
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

/// A date field: a TOML date (`2026-05-15`) or a string holding one.
pub(crate) fn check_date(
    check: &mut Checker<'_>,
    value: &Spanned<toml::Value>,
    field: &str,
) -> Option<Date> {
    let text = match value.get_ref() {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        toml::Value::String(s) => s.clone(),
        other => {
            check.report(
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
            check.report(
                value.span(),
                field,
                format!("{date} valt buiten de jaren {FIRST_YEAR} tot en met {TABLE_LAST_YEAR}"),
            );
            None
        }
        Err(_) => {
            check.report(
                value.span(),
                field,
                format!("\"{text}\" is geen geldige datum; schrijf een datum zoals 2026-05-15"),
            );
            None
        }
    }
}

fn check_hours(
    check: &mut Checker<'_>,
    value: &Spanned<RawHours>,
    field: &str,
) -> Option<DayHours> {
    let texts: Vec<&str> = match value.get_ref() {
        RawHours::One(s) => vec![s.as_str()],
        RawHours::Many(list) => list.iter().map(String::as_str).collect(),
    };
    let mut intervals = Vec::new();
    for text in texts {
        match DayHours::parse_interval(text) {
            Ok(interval) => intervals.push(interval),
            Err(message) => {
                check.report(value.span(), field, message);
                return None;
            }
        }
    }
    DayHours::new(intervals)
        .map_err(|message| check.report(value.span(), field, message))
        .ok()
}

/// Reads and checks a calendar definition.
pub fn parse(text: &str, origin: &str) -> Result<CalendarSpec, DefinitionError> {
    let raw: RawCalendar = toml::from_str(text).map_err(|e| toml_problem(text, origin, &e))?;
    let mut check = Checker::new(text, origin);
    let spec = check_raw(&raw, &mut check, "");
    check.finish(spec)
}

/// Checks a calendar as written; `prefix` goes before field names
/// ("calendars." inside a catalog).
pub(crate) fn check_raw(
    raw: &RawCalendar,
    check: &mut Checker<'_>,
    prefix: &str,
) -> Option<CalendarSpec> {
    let before = check.problems.len();
    let field = |name: &str| format!("{prefix}{name}");
    let id = raw.id.get_ref().trim().to_string();
    if !is_identifier(&id) {
        check.report(
            raw.id.span(),
            &field("id"),
            "gebruik alleen kleine letters, cijfers, - en _ (bijvoorbeeld \"heemskerk\")",
        );
    }
    let base = match raw.based_on.get_ref().as_str() {
        "atw" => Some(BaseCalendar::Atw),
        "gemeente" => Some(BaseCalendar::Gemeente),
        other => {
            check.report(
                raw.based_on.span(),
                &field("based_on"),
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
                        &field(&format!("office_hours.{name}")),
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
                    && let Some(hours) =
                        check_hours(check, value, &field(&format!("office_hours.{name}")))
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
                &field("closing_days.name"),
                "geef de sluitingsdag een naam",
            );
        }
        let Some(date) = check_date(check, &day.date, &field("closing_days.date")) else {
            continue;
        };
        if !seen.insert(date) {
            check.report(
                day.date.span(),
                &field("closing_days.date"),
                format!("{date} staat twee keer in de lijst"),
            );
            continue;
        }
        if date.weekday().to_monday_one_offset() > 5 {
            check.report(
                day.date.span(),
                &field("closing_days.date"),
                format!(
                    "{date} is een {}: dat is al geen werkdag",
                    crate::terms::explain::weekday_long(date.weekday())
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
        let date_field = field("office_hours_exceptions.date");
        let Some(date) = check_date(check, &exception.date, &date_field) else {
            continue;
        };
        let hours = check_hours(
            check,
            &exception.hours,
            &field("office_hours_exceptions.hours"),
        );
        if !seen.insert(date) {
            check.report(
                exception.date.span(),
                &date_field,
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
                &date_field,
                format!("{date} is geen werkdag, dus er gelden geen kantooruren"),
            );
            continue;
        }
        if let Some(hours) = hours {
            exceptions.push((date, hours));
        }
    }

    let base = base?;
    (check.problems.len() == before).then(|| CalendarSpec {
        name: raw.name.clone().unwrap_or_else(|| id.clone()),
        id,
        base,
        schedule,
        closing_days,
        exceptions,
        weekend_includes_holidays: raw.weekend_includes_holidays.unwrap_or(true),
    })
}

/// Ids in definition files: small letters, digits, `-` and `_`.
pub(crate) fn is_identifier(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
