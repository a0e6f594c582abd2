//! One field of a row read as what it is: a moment, a number, yes or no.

use jiff::{Timestamp, civil::DateTime};
use servicenorm_core::time::amsterdam;

use crate::Mapping;

/// A moment written in the mapping's date format and time zone. A Dutch
/// time that does not exist or exists twice (summer time) is an error: an
/// export cannot say which was meant.
pub(crate) fn moment(text: &str, mapping: &Mapping) -> Result<Timestamp, String> {
    let civil = DateTime::strptime(&mapping.date_format, text.trim()).map_err(|_| {
        format!(
            "\"{text}\" is geen tijdstip in de vorm {}",
            mapping.date_format
        )
    })?;
    if mapping.time_zone == "UTC" {
        return civil
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    let ambiguous = amsterdam().to_ambiguous_timestamp(civil);
    match ambiguous.offset() {
        jiff::tz::AmbiguousOffset::Unambiguous { .. } => {
            ambiguous.compatible().map_err(|e| e.to_string())
        }
        jiff::tz::AmbiguousOffset::Gap { .. } => Err(format!(
            "{text} bestaat niet in Nederlandse tijd (de klok ging die nacht van 02:00 naar 03:00)"
        )),
        jiff::tz::AmbiguousOffset::Fold { .. } => Err(format!(
            "{text} bestaat twee keer in Nederlandse tijd (de klok ging die nacht terug); de export zegt niet welke"
        )),
    }
}

/// A number with the mapping's decimal sign: "12,5" or "12.5".
pub(crate) fn number(text: &str, mapping: &Mapping) -> Result<f64, String> {
    let cleaned = text.trim();
    let normal = if mapping.decimal == "," {
        cleaned.replace('.', "").replace(',', ".")
    } else {
        cleaned.replace(',', "")
    };
    normal
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .ok_or_else(|| format!("\"{text}\" is geen getal (0 of meer)"))
}

/// A whole number of 0 or more.
pub(crate) fn count(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| format!("\"{text}\" is geen heel getal (0 of meer)"))
}

/// Yes or no, in the words of the mapping.
pub(crate) fn yes_no(text: &str, mapping: &Mapping) -> Result<bool, String> {
    let word = text.trim().to_lowercase();
    if mapping.yes.iter().any(|y| y.to_lowercase() == word) {
        return Ok(true);
    }
    if mapping.no.iter().any(|n| n.to_lowercase() == word) {
        return Ok(false);
    }
    Err(format!(
        "\"{text}\" is geen ja of nee (ja is: {}; nee is: {})",
        mapping.yes.join(", "),
        mapping.no.join(", ")
    ))
}
