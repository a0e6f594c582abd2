//! Events: what happened to a case or contact, when.
//!
//! Every event has a unique id, the case it belongs to, a type, an instant
//! and attributes. They arrive as JSON Lines or CSV (`docs/EVENTS.md`), late
//! and in any order; [`CaseEvents`] puts one case's events in a fixed order
//! so that the evaluation never depends on arrival.

pub mod attributes;
pub mod case;
pub mod kind;
pub mod read;

use std::sync::Arc;

use compact_str::CompactString;
use jiff::Timestamp;
use serde::{Serialize, Serializer};

pub use attributes::{AttributeKey, Attributes, Value, ValueType};
pub use case::{CaseError, CaseEvents, CaseFacts};
pub use kind::{EventType, UnknownEventType};
pub use read::{CSV_HEADER, EventError};

use crate::time::Moment;

/// One thing that happened to a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Ids are short: kept inline, so reading an event allocates less.
    pub id: CompactString,
    pub case: CompactString,
    #[serde(rename = "type")]
    pub kind: EventType,
    #[serde(serialize_with = "moment")]
    pub at: Timestamp,
    /// Case type, municipality and team repeat on many events: shared, not copied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_type: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
}

fn moment<S: Serializer>(at: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&Moment::in_amsterdam(*at))
}

impl Event {
    /// A plain event without case details or attributes.
    pub fn new(
        id: impl Into<CompactString>,
        case: impl Into<CompactString>,
        kind: EventType,
        at: Timestamp,
    ) -> Event {
        Event {
            id: id.into(),
            case: case.into(),
            kind,
            at,
            case_type: None,
            municipality: None,
            team: None,
            attributes: Attributes::new(),
        }
    }
}
