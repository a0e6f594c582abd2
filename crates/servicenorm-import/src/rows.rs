//! How a row of each kind of export becomes the events of one case.

use jiff::{SignedDuration, Timestamp};
use servicenorm_core::events::{AttributeKey, Event, EventType, Value};

use crate::{
    Kind, Mapping,
    fields::{count, moment, number, yes_no},
};

/// A field's text by name, and where it is (for messages).
pub(crate) trait Row {
    /// The text, if the mapping maps the field and the cell is not empty.
    fn get(&self, field: &str) -> Option<&str>;
}

/// A problem with one field of a row.
pub(crate) struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

type Result<T> = std::result::Result<T, FieldProblem>;

fn need<'a>(row: &'a dyn Row, field: &'static str) -> Result<&'a str> {
    row.get(field).ok_or(FieldProblem {
        field,
        message: "is leeg".into(),
    })
}

fn at<T>(field: &'static str, read: std::result::Result<T, String>) -> Result<T> {
    read.map_err(|message| FieldProblem { field, message })
}

fn seconds(value: f64) -> SignedDuration {
    SignedDuration::from_millis((value * 1000.0).round() as i64)
}

fn later(start: Timestamp, by: SignedDuration, field: &'static str) -> Result<Timestamp> {
    start.checked_add(by).map_err(|e| FieldProblem {
        field,
        message: e.to_string(),
    })
}

/// The events of the case in `row`; `key` makes its ids (the row's id, or
/// a fingerprint of the row when the export has no id).
pub(crate) fn events(mapping: &Mapping, row: &dyn Row, key: &str) -> Result<Vec<Event>> {
    let case = format!("{}-{key}", mapping.id_prefix);
    let mut out: Vec<Event> = Vec::new();
    let mut push = |kind: EventType, at: Timestamp| {
        let n = out.len() + 1;
        let mut event = Event::new(format!("{case}-{n}"), case.as_str(), kind, at);
        if n == 1 {
            event.case_type = Some(mapping.case_type.as_str().into());
            event.municipality = mapping.municipality.as_deref().map(Into::into);
            event.team = mapping.team.as_deref().map(Into::into);
        }
        out.push(event);
        out.len() - 1
    };
    match mapping.kind {
        Kind::Telefonie => {
            let start = at("start", moment(need(row, "start")?, mapping))?;
            let wait = seconds(at("wachttijd", number(need(row, "wachttijd")?, mapping))?);
            let answered = at("beantwoord", yes_no(need(row, "beantwoord")?, mapping))?;
            let transfers = match row.get("doorverbonden") {
                Some(text) => at("doorverbonden", count(text))?,
                None => 0,
            };
            let talk = match row.get("gespreksduur") {
                Some(text) => Some(seconds(at("gespreksduur", number(text, mapping))?)),
                None => None,
            };
            push(EventType::CallQueued, start);
            let picked_up = later(start, wait, "wachttijd")?;
            if !answered {
                if transfers > 0 {
                    return Err(FieldProblem {
                        field: "doorverbonden",
                        message: "een gesprek dat niet is aangenomen, kan niet zijn doorverbonden"
                            .into(),
                    });
                }
                push(EventType::CallAbandoned, picked_up);
                return Ok(out);
            }
            push(EventType::CallAnswered, picked_up);
            // Transfers happen during the call; one second apart keeps them in order.
            for n in 1..=transfers {
                push(
                    EventType::CallTransferred,
                    later(
                        picked_up,
                        SignedDuration::from_secs(i64::from(n)),
                        "doorverbonden",
                    )?,
                );
            }
            let end = talk.map_or(Ok(picked_up), |talk| later(picked_up, talk, "gespreksduur"))?;
            let end = end.max(later(
                picked_up,
                SignedDuration::from_secs(i64::from(transfers)),
                "doorverbonden",
            )?);
            push(EventType::CallEnded, end);
        }
        Kind::Balie => {
            let drawn = at("getrokken", moment(need(row, "getrokken")?, mapping))?;
            let appointment = match row.get("afspraak") {
                Some(text) => Some(at("afspraak", yes_no(text, mapping))?),
                None => None,
            };
            let appointment_at = match row.get("afspraak_om") {
                Some(text) => Some(at("afspraak_om", moment(text, mapping))?),
                None => None,
            };
            let called = match row.get("opgeroepen") {
                Some(text) => Some(at("opgeroepen", moment(text, mapping))?),
                None => None,
            };
            if called.is_some_and(|called| called < drawn) {
                return Err(FieldProblem {
                    field: "opgeroepen",
                    message: "ligt voor het moment waarop het nummer werd getrokken".into(),
                });
            }
            push(EventType::TicketIssued, drawn);
            if let Some(called) = called {
                push(EventType::TicketCalled, called);
            }
            if let Some(yes) = appointment {
                let _ = out[0]
                    .attributes
                    .insert(AttributeKey::Appointment, Value::Bool(yes));
            }
            if let Some(when) = appointment_at {
                let _ = out[0]
                    .attributes
                    .insert(AttributeKey::AppointmentAt, Value::Instant(when));
            }
        }
        Kind::Zoeken => {
            let when = at("tijd", moment(need(row, "tijd")?, mapping))?;
            let results = at("resultaten", count(need(row, "resultaten")?))?;
            let first = push(EventType::Search, when);
            let _ = out[first]
                .attributes
                .insert(AttributeKey::Results, Value::Integer(i64::from(results)));
        }
        Kind::Uptime => {
            let when = at("tijd", moment(need(row, "tijd")?, mapping))?;
            let up = at("bereikbaar", yes_no(need(row, "bereikbaar")?, mapping))?;
            let first = push(EventType::Probe, when);
            let _ = out[first]
                .attributes
                .insert(AttributeKey::Ok, Value::Bool(up));
            if let Some(text) = row.get("ttfb_ms") {
                let ms = at("ttfb_ms", number(text, mapping))?;
                let _ = out[first]
                    .attributes
                    .insert(AttributeKey::TtfbMs, Value::Integer(ms.round() as i64));
            }
        }
    }
    Ok(out)
}
