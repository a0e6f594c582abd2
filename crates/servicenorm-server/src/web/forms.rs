//! What the forms share: reading a moment as staff type it, event ids, and
//! mistakes explained per field in plain Dutch.

use jiff::{SignedDuration, Timestamp};
use servicenorm_core::time::{InstantError, Moment, Resolve, parse_instant};

use crate::web::{page::PageError, session::random_token};

/// A mistake in one field of a form.
pub(crate) struct FieldError {
    /// The `id` of the input, so the message can point at it.
    pub field: &'static str,
    pub message: String,
}

/// The message for `field`, if it has one.
pub(crate) fn message_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// A moment typed in a form (`datetime-local`: "2026-11-21T14:30"), in
/// Dutch time. It may not lie in the future: a contact that has not
/// happened yet cannot be registered.
pub(crate) fn read_moment(text: &str, now: Timestamp) -> Result<Timestamp, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Vul de datum en de tijd in.".to_string());
    }
    let at = parse_instant(text, Resolve::Reject).map_err(|e| match e {
        InstantError::Format { .. } => {
            "Deze datum of tijd is niet te lezen. Schrijf het zo: 21-11-2026 14:30.".to_string()
        }
        InstantError::Nonexistent { .. } => "Deze tijd bestaat niet: die nacht gaat de klok van 02:00 naar 03:00. Kies een andere tijd.".to_string(),
        InstantError::Ambiguous { .. } => "Deze tijd bestaat die nacht twee keer, omdat de klok terug gaat. Kies een tijd voor 02:00 of na 03:00.".to_string(),
    })?;
    // A little slack for a clock that runs a bit ahead.
    if at > now.checked_add(SignedDuration::from_mins(5)).unwrap_or(now) {
        return Err("Deze tijd ligt in de toekomst. Vul in wanneer het echt gebeurde.".to_string());
    }
    Ok(at)
}

/// Now, as a `datetime-local` value in Dutch time.
pub(crate) fn moment_value(now: Timestamp) -> String {
    Moment::in_amsterdam(now)
        .civil()
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A new event id: random, so two desks never make the same one.
pub(crate) fn new_event_id() -> Result<String, PageError> {
    Ok(format!("w-{}", &random_token()?[..20]))
}
