//! The attributes an event may carry. Only what a norm needs is accepted:
//! an unknown attribute is refused, so no personal data slips in.

use std::{fmt, str::FromStr};

use jiff::Timestamp;
use serde::{Serialize, Serializer};

use crate::terms::Term;

/// Every attribute servicenorm accepts, with its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttributeKey {
    /// Danger, risk of damage or injury (melding openbare ruimte).
    Urgent,
    /// The resident has an appointment (balie).
    Appointment,
    /// When the appointment is.
    AppointmentAt,
    /// An objection heard by the advisory committee (Awb 7:13).
    AdvisoryCommittee,
    /// The product or service asked for (aanvraag).
    Product,
    /// When the decision objected to was made known (bekendmaking): the
    /// objection term, and after it the decision term of Awb 7:10, count from it.
    PublishedAt,
    /// The caller said whether the question was answered.
    QuestionAnswered,
    /// A written question that needs contact.
    ContactNeeded,
    /// The way a complaint or report came in (mondeling, schriftelijk, telefonisch, digitaal).
    Intake,
    /// Why a clock was paused or extended (free text, no personal data).
    Reason,
    /// How long an extension is, such as "6 weken".
    Term,
    /// Number of search results.
    Results,
    /// Whether a website probe succeeded.
    Ok,
    /// Time to first byte of a probe, in milliseconds.
    TtfbMs,
    /// The HTTP status a probed website answered with (absent when it did
    /// not answer in time).
    HttpStatus,
}

/// The type of an attribute's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Bool,
    Integer,
    Text,
    Instant,
    Term,
}

impl AttributeKey {
    pub const ALL: &'static [AttributeKey] = &[
        AttributeKey::Urgent,
        AttributeKey::Appointment,
        AttributeKey::AppointmentAt,
        AttributeKey::AdvisoryCommittee,
        AttributeKey::Product,
        AttributeKey::PublishedAt,
        AttributeKey::QuestionAnswered,
        AttributeKey::ContactNeeded,
        AttributeKey::Intake,
        AttributeKey::Reason,
        AttributeKey::Term,
        AttributeKey::Results,
        AttributeKey::Ok,
        AttributeKey::TtfbMs,
        AttributeKey::HttpStatus,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttributeKey::Urgent => "urgent",
            AttributeKey::Appointment => "appointment",
            AttributeKey::AppointmentAt => "appointment_at",
            AttributeKey::AdvisoryCommittee => "advisory_committee",
            AttributeKey::Product => "product",
            AttributeKey::PublishedAt => "published_at",
            AttributeKey::QuestionAnswered => "question_answered",
            AttributeKey::ContactNeeded => "contact_needed",
            AttributeKey::Intake => "intake",
            AttributeKey::Reason => "reason",
            AttributeKey::Term => "term",
            AttributeKey::Results => "results",
            AttributeKey::Ok => "ok",
            AttributeKey::TtfbMs => "ttfb_ms",
            AttributeKey::HttpStatus => "http_status",
        }
    }

    pub fn value_type(self) -> ValueType {
        match self {
            AttributeKey::Urgent
            | AttributeKey::Appointment
            | AttributeKey::AdvisoryCommittee
            | AttributeKey::QuestionAnswered
            | AttributeKey::ContactNeeded
            | AttributeKey::Ok => ValueType::Bool,
            AttributeKey::Results | AttributeKey::TtfbMs | AttributeKey::HttpStatus => {
                ValueType::Integer
            }
            AttributeKey::Product | AttributeKey::Intake | AttributeKey::Reason => ValueType::Text,
            AttributeKey::AppointmentAt | AttributeKey::PublishedAt => ValueType::Instant,
            AttributeKey::Term => ValueType::Term,
        }
    }

    /// Whether the attribute describes the case as a whole (and so must
    /// agree across its events) rather than one event.
    pub fn describes_case(self) -> bool {
        matches!(
            self,
            AttributeKey::Urgent
                | AttributeKey::Appointment
                | AttributeKey::AppointmentAt
                | AttributeKey::AdvisoryCommittee
                | AttributeKey::Product
                | AttributeKey::PublishedAt
                | AttributeKey::QuestionAnswered
                | AttributeKey::ContactNeeded
                | AttributeKey::Intake
        )
    }
}

impl fmt::Display for AttributeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AttributeKey {
    /// The key named by `name`, matched as bytes (a CSV reader need not make
    /// text of it first).
    pub fn from_bytes(name: &[u8]) -> Option<AttributeKey> {
        Some(match name {
            b"urgent" => AttributeKey::Urgent,
            b"appointment" => AttributeKey::Appointment,
            b"appointment_at" => AttributeKey::AppointmentAt,
            b"advisory_committee" => AttributeKey::AdvisoryCommittee,
            b"product" => AttributeKey::Product,
            b"published_at" => AttributeKey::PublishedAt,
            b"question_answered" => AttributeKey::QuestionAnswered,
            b"contact_needed" => AttributeKey::ContactNeeded,
            b"intake" => AttributeKey::Intake,
            b"reason" => AttributeKey::Reason,
            b"term" => AttributeKey::Term,
            b"results" => AttributeKey::Results,
            b"ok" => AttributeKey::Ok,
            b"ttfb_ms" => AttributeKey::TtfbMs,
            b"http_status" => AttributeKey::HttpStatus,
            _ => return None,
        })
    }
}

impl FromStr for AttributeKey {
    type Err = String;
    fn from_str(s: &str) -> Result<AttributeKey, String> {
        AttributeKey::from_bytes(s.as_bytes()).ok_or_else(|| {
            format!(
                "onbekend kenmerk \"{s}\"; bekend zijn: {}",
                AttributeKey::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_back_from_its_name() {
        for key in AttributeKey::ALL {
            assert_eq!(key.as_str().parse::<AttributeKey>(), Ok(*key));
        }
    }
}

impl Serialize for AttributeKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// An attribute's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Bool(bool),
    Integer(i64),
    Text(String),
    Instant(Timestamp),
    Term(Term),
}

impl Value {
    /// Reads a value of type `kind` from text ("true", "12", "6 weken").
    pub fn parse(kind: ValueType, text: &str) -> Result<Value, String> {
        let text = text.trim_ascii();
        match kind {
            ValueType::Bool => match text {
                "true" | "ja" | "1" => Ok(Value::Bool(true)),
                "false" | "nee" | "0" => Ok(Value::Bool(false)),
                _ => Err(format!(
                    "\"{text}\" is geen ja/nee-waarde: gebruik true of false"
                )),
            },
            ValueType::Integer => text
                .parse()
                .map(Value::Integer)
                .map_err(|_| format!("\"{text}\" is geen heel getal")),
            ValueType::Text => Ok(Value::Text(text.to_string())),
            ValueType::Instant => crate::time::parse_instant(text, crate::time::Resolve::Reject)
                .map(Value::Instant)
                .map_err(|e| e.to_string()),
            ValueType::Term => text
                .parse::<Term>()
                .map(Value::Term)
                .map_err(|e| e.problem().to_string()),
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Text(t) => f.write_str(t),
            Value::Instant(t) => write!(f, "{}", crate::time::Moment::in_amsterdam(*t)),
            Value::Term(t) => write!(f, "{t}"),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Integer(i) => serializer.serialize_i64(*i),
            other => serializer.collect_str(other),
        }
    }
}

/// An event's attributes, sorted by key, each key once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes(Vec<(AttributeKey, Value)>);

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl Attributes {
    pub fn new() -> Attributes {
        Attributes(Vec::new())
    }

    /// Adds an attribute; a key given twice is an error.
    pub fn insert(&mut self, key: AttributeKey, value: Value) -> Result<(), String> {
        match self.0.binary_search_by_key(&key, |(k, _)| *k) {
            Ok(_) => Err(format!("kenmerk \"{key}\" staat er twee keer")),
            Err(at) => {
                self.0.insert(at, (key, value));
                Ok(())
            }
        }
    }

    /// Makes room for `additional` more attributes.
    pub fn reserve(&mut self, additional: usize) {
        self.0.reserve_exact(additional);
    }

    pub fn get(&self, key: AttributeKey) -> Option<&Value> {
        self.0
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn iter(&self) -> impl Iterator<Item = &(AttributeKey, Value)> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
