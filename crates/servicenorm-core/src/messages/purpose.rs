//! Which message a clock waits for, and the event that records it as sent.

use std::fmt;

use serde::Serialize;

use crate::{
    catalog::{Norm, NormKind},
    events::EventType,
};

/// What a message to a resident is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// "We have received your question": sent as soon as the case starts.
    Ontvangstbevestiging,
    /// "We need more time": sent when the term is about to be missed.
    Tussenbericht,
    /// "Your answer is coming, later than planned": sent when the term is
    /// extended (verlenging, verdaging), with the new date and the reason;
    /// the Awb wants the resident told of a verdaging (art. 4:14, 7:10).
    AntwoordOnderweg,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [
        Purpose::Ontvangstbevestiging,
        Purpose::Tussenbericht,
        Purpose::AntwoordOnderweg,
    ];

    /// The name in catalogs and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Ontvangstbevestiging => "ontvangstbevestiging",
            Purpose::Tussenbericht => "tussenbericht",
            Purpose::AntwoordOnderweg => "antwoord_onderweg",
        }
    }

    pub fn parse(text: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// What it is, for staff.
    pub fn dutch(self) -> &'static str {
        match self {
            Purpose::Ontvangstbevestiging => "ontvangstbevestiging",
            Purpose::Tussenbericht => "tussenbericht",
            Purpose::AntwoordOnderweg => "bericht dat het antwoord later komt",
        }
    }

    /// The purposes a norm may carry its own template for.
    pub fn of_norm(norm: &Norm) -> &'static [Purpose] {
        match &norm.kind {
            NormKind::Tussenbericht { .. } => &[Purpose::Tussenbericht, Purpose::AntwoordOnderweg],
            NormKind::Deadline(d) if d.stop.contains(&EventType::Acknowledged) => {
                &[Purpose::Ontvangstbevestiging]
            }
            _ => &[],
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The message the clock of `norm` waits for, if servicenorm can send it:
/// an ontvangstbevestiging for a clock that stops at `acknowledged`, a
/// tussenbericht for an interim-notice norm (or, once its term was
/// `extended`, the message that the answer comes later).
pub fn purpose_of(norm: &Norm, extended: bool) -> Option<Purpose> {
    match &norm.kind {
        NormKind::Tussenbericht { .. } if extended => Some(Purpose::AntwoordOnderweg),
        NormKind::Tussenbericht { .. } => Some(Purpose::Tussenbericht),
        NormKind::Deadline(d) if d.stop.contains(&EventType::Acknowledged) => {
            Some(Purpose::Ontvangstbevestiging)
        }
        _ => None,
    }
}

/// The event that records the message as sent, so that the norm counts as
/// met at the moment it went out.
pub fn recorded_event(norm: &Norm) -> Option<EventType> {
    match &norm.kind {
        NormKind::Tussenbericht { event, .. } => Some(*event),
        NormKind::Deadline(d) if d.stop.contains(&EventType::Acknowledged) => {
            Some(EventType::Acknowledged)
        }
        _ => None,
    }
}
