//! `--calendar atw|gemeente|FILE`: a built-in calendar or a municipality's file.

use std::ops::Deref;

use servicenorm_core::calendar::Calendar;

use crate::error::CliError;

/// A calendar as a `--calendar` value names it.
pub enum LoadedCalendar {
    Builtin(&'static Calendar),
    File(Box<Calendar>),
}

impl Deref for LoadedCalendar {
    type Target = Calendar;
    fn deref(&self) -> &Calendar {
        match self {
            LoadedCalendar::Builtin(calendar) => calendar,
            LoadedCalendar::File(calendar) => calendar,
        }
    }
}

/// Loads the calendar a `--calendar` value names.
pub fn load(value: &str) -> Result<LoadedCalendar, CliError> {
    match value {
        "atw" | "gemeente" => Ok(LoadedCalendar::Builtin(Calendar::builtin(value)?)),
        path => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                CliError::BadInput(format!(
                    "kalender \"{path}\" is geen ingebouwde kalender (atw, gemeente) en het bestand \
                     kan niet worden gelezen: {e}"
                ))
            })?;
            Ok(LoadedCalendar::File(Box::new(Calendar::from_toml(
                &text, path,
            )?)))
        }
    }
}
