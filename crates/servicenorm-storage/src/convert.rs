//! Instants and dates to and from the integers the databases keep.

use jiff::{Timestamp, ToSpan, civil::Date};

use crate::StorageError;

const EPOCH: Date = jiff::civil::date(1970, 1, 1);

pub(crate) fn date_to_days(date: Date) -> i64 {
    i64::from((date - EPOCH).get_days())
}

pub(crate) fn days_to_date(days: i64) -> Result<Date, StorageError> {
    EPOCH
        .checked_add(days.days())
        .map_err(|e| StorageError::Corrupt(format!("datum {days}: {e}")))
}

pub(crate) fn seconds_to_instant(seconds: i64) -> Result<Timestamp, StorageError> {
    Timestamp::from_second(seconds)
        .map_err(|e| StorageError::Corrupt(format!("tijdstip {seconds}: {e}")))
}

pub(crate) fn optional_instant(seconds: Option<i64>) -> Result<Option<Timestamp>, StorageError> {
    seconds.map(seconds_to_instant).transpose()
}
