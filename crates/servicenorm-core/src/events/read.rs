//! Reading one event from a JSON line or a CSV record, and writing it back.

use std::{borrow::Cow, collections::BTreeMap, fmt::Write, sync::Arc};

use serde::Deserialize;

use super::{AttributeKey, Attributes, Event, EventType, Value, ValueType};
use crate::time::{Moment, Resolve, parse_instant, write_rfc3339};

/// The CSV columns, in order.
pub const CSV_HEADER: &str = "id,case,type,at,case_type,municipality,team,attributes";

/// Why one event could not be read: the field and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct EventError {
    pub field: String,
    pub message: String,
}

fn problem(field: &str, message: impl Into<String>) -> EventError {
    EventError {
        field: field.to_string(),
        message: message.into(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonEvent<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    case: Cow<'a, str>,
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    at: Cow<'a, str>,
    #[serde(borrow, default)]
    case_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    municipality: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    team: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    attributes: BTreeMap<Cow<'a, str>, JsonValue<'a>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonValue<'a> {
    Bool(bool),
    Integer(i64),
    Text(#[serde(borrow)] Cow<'a, str>),
}

#[inline]
fn required<'a>(value: &'a str, field: &str) -> Result<&'a str, EventError> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(problem(field, "mag niet leeg zijn"));
    }
    Ok(value)
}

/// Shares the strings that repeat on many events (case type, municipality,
/// team), so a long stream does not copy them for every event.
struct Names {
    shared: rustc_hash::FxHashSet<Arc<str>>,
    /// The names last seen, by a cheap hash of their bytes: most lookups
    /// end here, without hashing the whole name.
    recent: [Option<Arc<str>>; 64],
}

impl Default for Names {
    fn default() -> Names {
        Names {
            shared: rustc_hash::FxHashSet::default(),
            recent: std::array::from_fn(|_| None),
        }
    }
}

impl Names {
    /// More distinct names than this is not a catalog's vocabulary: stop sharing.
    const MOST: usize = 10_000;

    fn slot(value: &str) -> usize {
        let bytes = value.as_bytes();
        let (first, last) = match bytes {
            [first, .., last] => (*first, *last),
            [only] => (*only, *only),
            [] => (0, 0),
        };
        let middle = bytes.get(bytes.len() / 2).copied().unwrap_or(0);
        (bytes.len() ^ usize::from(first) ^ (usize::from(last) << 1) ^ (usize::from(middle) << 2))
            % 64
    }

    fn get(&mut self, value: Option<&str>) -> Option<Arc<str>> {
        let value = value.map(str::trim_ascii).filter(|v| !v.is_empty())?;
        let slot = Self::slot(value);
        if let Some(Some(recent)) = self.recent.get(slot)
            && **recent == *value
        {
            return Some(Arc::clone(recent));
        }
        let shared = match self.shared.get(value) {
            Some(found) => Arc::clone(found),
            None => {
                let shared: Arc<str> = Arc::from(value);
                if self.shared.len() < Self::MOST {
                    self.shared.insert(Arc::clone(&shared));
                } else {
                    // Not shared: do not keep it in the cache either.
                    return Some(shared);
                }
                shared
            }
        };
        if let Some(recent) = self.recent.get_mut(slot) {
            *recent = Some(Arc::clone(&shared));
        }
        Some(shared)
    }
}

/// Reads events one by one, sharing repeated names between them.
#[derive(Default)]
pub struct EventReader {
    names: Names,
}

fn common(id: &str, case: &str, kind: &str, at: &str) -> Result<Event, EventError> {
    let kind = event_type(kind)?;
    let at = instant(at)?;
    Ok(Event::new(
        required(id, "id")?,
        required(case, "case")?,
        kind,
        at,
    ))
}

fn event_type(kind: &str) -> Result<EventType, EventError> {
    required(kind, "type")?
        .parse()
        .map_err(|e| problem("type", format!("{e}")))
}

fn instant(at: &str) -> Result<jiff::Timestamp, EventError> {
    parse_instant(required(at, "at")?, Resolve::Reject).map_err(|e| problem("at", e.to_string()))
}

/// An attribute value as read, before it is checked against its key's type.
enum Raw<'a> {
    Bool(bool),
    Integer(i64),
    Text(&'a str),
}

fn attribute(attributes: &mut Attributes, key: &str, value: Raw<'_>) -> Result<(), EventError> {
    // The field name is only spelled out when something is wrong.
    let field = || format!("attributes.{key}");
    let parsed: AttributeKey = key.parse().map_err(|e: String| problem(&field(), e))?;
    let value = match (parsed.value_type(), value) {
        (ValueType::Bool, Raw::Bool(b)) => Value::Bool(b),
        (ValueType::Integer, Raw::Integer(i)) => Value::Integer(i),
        (kind, Raw::Text(text)) => Value::parse(kind, text).map_err(|e| problem(&field(), e))?,
        (kind, Raw::Bool(b)) => {
            return Err(problem(
                &field(),
                format!("verwacht {}, maar vond {b}", type_name(kind)),
            ));
        }
        (kind, Raw::Integer(i)) => {
            return Err(problem(
                &field(),
                format!("verwacht {}, maar vond {i}", type_name(kind)),
            ));
        }
    };
    attributes
        .insert(parsed, value)
        .map_err(|e| problem(&field(), e))
}

fn type_name(kind: ValueType) -> &'static str {
    match kind {
        ValueType::Bool => "true of false",
        ValueType::Integer => "een heel getal",
        ValueType::Text => "tekst",
        ValueType::Instant => "een tijdstip",
        ValueType::Term => "een termijn zoals \"6 weken\"",
    }
}

/// Reads one JSON line.
///
/// ```
/// use servicenorm_core::events::{Event, EventType, read::from_json_line};
/// let e = from_json_line(r#"{"id":"e1","case":"z1","type":"received","at":"2026-04-02T10:00:00+02:00","case_type":"email","attributes":{"urgent":true}}"#)?;
/// assert_eq!(e.kind, EventType::Received);
/// # Ok::<(), servicenorm_core::events::EventError>(())
/// ```
pub fn from_json_line(line: &str) -> Result<Event, EventError> {
    EventReader::default().json(line)
}

/// Reads one CSV record in the column order of [`CSV_HEADER`]. Attributes
/// are `key=value` pairs separated by `;`.
pub fn from_csv_fields(fields: &[&str]) -> Result<Event, EventError> {
    EventReader::default().csv(fields)
}

impl EventReader {
    /// Reads one JSON line; see [`from_json_line`].
    pub fn json(&mut self, line: &str) -> Result<Event, EventError> {
        let names = &mut self.names;
        let raw: JsonEvent<'_> = serde_json::from_str(line).map_err(|e| {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            problem("json", format!("geen geldige gebeurtenis: {message}"))
        })?;
        let mut event = common(&raw.id, &raw.case, &raw.kind, &raw.at)?;
        event.case_type = names.get(raw.case_type.as_deref());
        event.municipality = names.get(raw.municipality.as_deref());
        event.team = names.get(raw.team.as_deref());
        for (key, value) in &raw.attributes {
            let value = match value {
                JsonValue::Bool(b) => Raw::Bool(*b),
                JsonValue::Integer(i) => Raw::Integer(*i),
                JsonValue::Text(t) => Raw::Text(t),
            };
            attribute(&mut event.attributes, key, value)?;
        }
        Ok(event)
    }

    /// Reads one CSV record; see [`from_csv_fields`].
    pub fn csv(&mut self, fields: &[&str]) -> Result<Event, EventError> {
        let &[id, case, kind, at, case_type, municipality, team, list] = fields else {
            return Err(problem(
                "regel",
                format!(
                    "verwacht 8 kolommen ({CSV_HEADER}), maar vond er {}",
                    fields.len()
                ),
            ));
        };
        // Checked in the order of `common`, so a line with several problems
        // names the same one.
        let kind = event_type(kind)?;
        let at = instant(at)?;
        let (id, case) = (required(id, "id")?, required(case, "case")?);
        let mut attributes = Attributes::new();
        if !list.is_empty() {
            csv_attributes(&mut attributes, list)?;
        }
        let names = &mut self.names;
        // Built in one go, in place: an event is large, and a report reads
        // millions of them.
        Ok(Event {
            id: id.into(),
            case: case.into(),
            kind,
            at,
            case_type: names.get(Some(case_type)),
            municipality: names.get(Some(municipality)),
            team: names.get(Some(team)),
            attributes,
        })
    }
}

/// Reads `key=value` pairs separated by `;` (blank pairs are skipped).
/// Splits on bytes: `;` and `=` are ASCII, so every cut is a char boundary.
fn csv_attributes(attributes: &mut Attributes, list: &str) -> Result<(), EventError> {
    let bytes = list.as_bytes();
    // Room for every pair at once: one small allocation, not a growing one.
    attributes.reserve(bytes.iter().filter(|&&b| b == b';').count() + 1);
    let mut from = 0;
    while from <= bytes.len() {
        let rest = bytes.get(from..).unwrap_or_default();
        let to = rest
            .iter()
            .position(|&b| b == b';')
            .map_or(bytes.len(), |i| from + i);
        let pair = list.get(from..to).unwrap_or_default().trim_ascii();
        from = to + 1;
        if pair.is_empty() {
            continue;
        }
        let Some(equals) = pair.bytes().position(|b| b == b'=') else {
            return Err(problem(
                "attributes",
                format!("\"{pair}\" is geen kenmerk=waarde"),
            ));
        };
        let key = pair.get(..equals).unwrap_or_default();
        let value = pair.get(equals + 1..).unwrap_or_default();
        attribute(attributes, key.trim_ascii(), Raw::Text(value.trim_ascii()))?;
    }
    Ok(())
}

impl Event {
    /// The event as one JSON line (without the newline).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Appends the event as one CSV record (with the newline) to `out`.
    pub fn write_csv(&self, out: &mut String) {
        fn field(out: &mut String, value: &str) {
            if value.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&value.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(value);
            }
        }
        field(out, &self.id);
        out.push(',');
        field(out, &self.case);
        out.push(',');
        out.push_str(self.kind.as_str());
        out.push(',');
        let moment = Moment::in_amsterdam(self.at);
        let mut stamp = [0u8; 25];
        let len = write_rfc3339(moment.civil(), moment.offset(), &mut stamp);
        out.push_str(std::str::from_utf8(&stamp[..len]).unwrap_or_default());
        for value in [&self.case_type, &self.municipality, &self.team] {
            out.push(',');
            field(out, value.as_deref().unwrap_or(""));
        }
        out.push(',');
        let mut attributes = String::new();
        for (i, (key, value)) in self.attributes.iter().enumerate() {
            if i > 0 {
                attributes.push(';');
            }
            let _ = write!(attributes, "{key}={value}");
        }
        field(out, &attributes);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_csv_read_the_same_event() {
        let json = from_json_line(
            r#"{"id":"e1","case":"z1","type":"extended","at":"2026-04-02T10:00:00+02:00","case_type":"bezwaar","municipality":"heiloo","attributes":{"term":"6 weken","urgent":false}}"#,
        )
        .unwrap();
        let csv = from_csv_fields(&[
            "e1",
            "z1",
            "extended",
            "2026-04-02T10:00:00+02:00",
            "bezwaar",
            "heiloo",
            "",
            "term=6 weken;urgent=false",
        ])
        .unwrap();
        assert_eq!(json, csv);
        let mut line = String::new();
        csv.write_csv(&mut line);
        assert_eq!(
            line,
            "e1,z1,extended,2026-04-02T10:00:00+02:00,bezwaar,heiloo,,urgent=false;term=6 weken\n"
        );
        let fields: Vec<&str> = line.trim_end().split(',').collect();
        assert_eq!(from_csv_fields(&fields).unwrap(), csv);
        assert_eq!(from_json_line(&csv.to_json_line()).unwrap(), csv);
    }

    #[test]
    fn unknown_attributes_and_types_are_refused() {
        let e = from_csv_fields(&[
            "e1",
            "z1",
            "received",
            "2026-04-02T10:00:00Z",
            "",
            "",
            "",
            "naam=Jan",
        ])
        .unwrap_err();
        assert_eq!(e.field, "attributes.naam");
        let e = from_csv_fields(&["e1", "z1", "gebeld", "2026-04-02T10:00:00Z", "", "", "", ""])
            .unwrap_err();
        assert_eq!(e.field, "type");
        let e = from_json_line(r#"{"id":"e1","case":"z1","type":"search","at":"2026-04-02T10:00:00Z","attributes":{"results":"veel"}}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "attributes.results: \"veel\" is geen heel getal"
        );
    }
}
