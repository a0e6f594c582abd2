//! Reading one event from a JSON line or a CSV record, and writing it back.

use std::{borrow::Cow, collections::BTreeMap, fmt::Write, sync::Arc};

use serde::Deserialize;

use super::{AttributeKey, Attributes, Event, EventType, Value, ValueType};
use crate::time::{InstantReader, Moment, write_rfc3339};

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

/// [`required`] for a field given as bytes.
#[inline]
fn required_bytes<'a>(value: &'a [u8], field: &str) -> Result<&'a [u8], EventError> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(problem(field, "mag niet leeg zijn"));
    }
    Ok(value)
}

/// A field as text. The caller has checked the line, so this fails only
/// for bytes handed in without that check.
#[inline]
fn text(value: &[u8]) -> Result<&str, EventError> {
    std::str::from_utf8(value).map_err(|_| not_utf8())
}

/// Why a line with bytes that are not UTF-8 is refused.
pub fn not_utf8() -> EventError {
    problem("regel", "de regel is geen geldige UTF-8-tekst")
}

/// Whether two short byte strings are equal. Names are mostly 8 to 16
/// bytes: two overlapping word compares, not a call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if (8..=16).contains(&n) {
        let word = |s: &[u8], at: usize| {
            s.get(at..at + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
                .map(u64::from_le_bytes)
        };
        return word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8);
    }
    a == b
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

    fn slot(bytes: &[u8]) -> usize {
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
        // Text is valid UTF-8: reading its bytes cannot fail.
        self.get_bytes(value?.as_bytes()).ok().flatten()
    }

    /// The shared name for `value` (trimmed), `None` if it is blank.
    /// Inlined: three calls per event, nearly all ending at a recent name.
    #[inline]
    fn get_bytes(&mut self, value: &[u8]) -> Result<Option<Arc<str>>, EventError> {
        let value = value.trim_ascii();
        if value.is_empty() {
            return Ok(None);
        }
        let slot = Self::slot(value);
        if let Some(Some(recent)) = self.recent.get(slot)
            && same_bytes(recent.as_bytes(), value)
        {
            return Ok(Some(Arc::clone(recent)));
        }
        self.share(value, slot).map(Some)
    }

    /// A name not among the recent ones: shared from the set, or added.
    #[cold]
    #[inline(never)]
    fn share(&mut self, value: &[u8], slot: usize) -> Result<Arc<str>, EventError> {
        let value = text(value)?;
        let shared = match self.shared.get(value) {
            Some(found) => Arc::clone(found),
            None => {
                let shared: Arc<str> = Arc::from(value);
                if self.shared.len() < Self::MOST {
                    self.shared.insert(Arc::clone(&shared));
                } else {
                    // Not shared: do not keep it in the cache either.
                    return Ok(shared);
                }
                shared
            }
        };
        if let Some(recent) = self.recent.get_mut(slot) {
            *recent = Some(Arc::clone(&shared));
        }
        Ok(shared)
    }
}

/// Reads events one by one, sharing repeated names between them.
#[derive(Default)]
pub struct EventReader {
    names: Names,
    instants: InstantReader,
}

fn event_type(kind: &str) -> Result<EventType, EventError> {
    required(kind, "type")?
        .parse()
        .map_err(|e| problem("type", format!("{e}")))
}

/// An attribute value as read, before it is checked against its key's type.
enum Raw<'a> {
    Bool(bool),
    Integer(i64),
    Text(&'a str),
}

/// [`attribute`] for a CSV pair given as bytes: most keys and values are
/// matched as bytes, without making text of them first.
fn attribute_bytes(
    attributes: &mut Attributes,
    key: &[u8],
    value: &[u8],
) -> Result<(), EventError> {
    let Some(parsed) = AttributeKey::from_bytes(key) else {
        // Unknown: the text path words the problem.
        return attribute(attributes, text(key)?, Raw::Text(text(value)?));
    };
    let value = match (parsed.value_type(), value) {
        (ValueType::Bool, b"true" | b"ja" | b"1") => Value::Bool(true),
        (ValueType::Bool, b"false" | b"nee" | b"0") => Value::Bool(false),
        // Plain digits, too few to overflow: what `i64::from_str` gives.
        (ValueType::Integer, digits)
            if (1..=18).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) =>
        {
            Value::Integer(
                digits
                    .iter()
                    .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0')),
            )
        }
        _ => return attribute(attributes, parsed.as_str(), Raw::Text(text(value)?)),
    };
    attributes
        .insert(parsed, value)
        .map_err(|e| problem(&format!("attributes.{parsed}"), e))
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
        // Checked in the order of `record`, so a line with several problems
        // names the same one.
        let kind = event_type(&raw.kind)?;
        let at = self
            .instants
            .read(required(&raw.at, "at")?.as_bytes())
            .map_err(|e| problem("at", e.to_string()))?;
        let mut event = Event::new(
            required(&raw.id, "id")?,
            required(&raw.case, "case")?,
            kind,
            at,
        );
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
        self.record(
            [id, case, kind],
            [at, case_type, municipality, team, list].map(str::as_bytes),
        )
    }

    /// Reads one CSV line without quotes, cut at the positions of its seven
    /// commas. The line must be UTF-8 (a line that is not is refused). Only
    /// its first three fields are made text, in one go; the others are
    /// read as bytes.
    pub fn csv_unquoted(&mut self, line: &[u8], commas: &[usize; 7]) -> Result<Event, EventError> {
        let [a, b, c, d, e, f, g] = *commas;
        let bytes = |from: usize, to: usize| line.get(from..to).unwrap_or_default();
        let head = text(bytes(0, c))?;
        let field = |from: usize, to: usize| head.get(from..to).unwrap_or_default();
        self.record(
            [field(0, a), field(a + 1, b), field(b + 1, c)],
            [
                bytes(c + 1, d),
                bytes(d + 1, e),
                bytes(e + 1, f),
                bytes(f + 1, g),
                bytes(g + 1, line.len()),
            ],
        )
    }

    fn record(
        &mut self,
        [id, case, kind]: [&str; 3],
        [at, case_type, municipality, team, list]: [&[u8]; 5],
    ) -> Result<Event, EventError> {
        // Checked in the order of `common`, so a line with several problems
        // names the same one.
        let kind = event_type(kind)?;
        let at = self
            .instants
            .read(required_bytes(at, "at")?)
            .map_err(|e| problem("at", e.to_string()))?;
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
            case_type: names.get_bytes(case_type)?,
            municipality: names.get_bytes(municipality)?,
            team: names.get_bytes(team)?,
            attributes,
        })
    }
}

/// Reads `key=value` pairs separated by `;` (blank pairs are skipped).
fn csv_attributes(attributes: &mut Attributes, list: &[u8]) -> Result<(), EventError> {
    // Room for every pair at once: one small allocation, not a growing one.
    attributes.reserve(list.iter().filter(|&&b| b == b';').count() + 1);
    for pair in list.split(|&b| b == b';') {
        let pair = pair.trim_ascii();
        if pair.is_empty() {
            continue;
        }
        let Some(equals) = pair.iter().position(|&b| b == b'=') else {
            return Err(problem(
                "attributes",
                format!("\"{}\" is geen kenmerk=waarde", text(pair)?),
            ));
        };
        let (key, value) = pair.split_at(equals);
        let value = value.get(1..).unwrap_or_default();
        attribute_bytes(attributes, key.trim_ascii(), value.trim_ascii())?;
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

    /// A line cut at its commas reads as the same fields given as text do,
    /// events and problems alike.
    #[test]
    fn unquoted_lines_read_as_their_fields_do() {
        let lines = [
            "e1,z1,received,2026-04-02T10:00:00+02:00,bezwaar,heiloo,juridisch,urgent=true;term=6 weken",
            "e2,z1,probe,2026-04-02T10:05:00+02:00,website-controle,bergen,communicatie,ok=true;ttfb_ms=265",
            "e3,z1,probe,2026-04-02T10:05:00Z,,,, ok = false ; ttfb_ms=0012;;http_status=503",
            " e4 , z1 , call_ended , 2026-04-02T10:05:00.5+02:00 ,  , heiloo,,",
            "e5,z1,probe,2026-04-02,,,,ttfb_ms=-3",
            "e6,z1,probe,2026-04-02T10:05:00+02:00,,,,ttfb_ms=99999999999999999999",
            "e7,z1,probe,2026-04-02T10:05:00+02:00,,,,ttfb_ms=+7",
            "e8,z1,probe,2026-04-02T10:05:00+02:00,,,,ok=ja;ok=nee",
            "e9,z1,probe,2026-04-02T10:05:00+02:00,,,,ok=misschien",
            "e10,z1,probe,2026-04-02T10:05:00+02:00,,,,naam=Jan",
            "e11,z1,probe,2026-04-02T10:05:00+02:00,,,,ok",
            "e12,z1,gebeld,2026-04-02T10:05:00+02:00,,,,",
            "e13,z1,probe,2026-02-30T10:05:00+01:00,,,,",
            "e14,z1,probe,2026-03-29T02:30,,,,",
            ",z1,probe,2026-04-02T10:05:00+02:00,,,,",
            "e15,,probe,2026-04-02T10:05:00+02:00,,,,",
            "e16,z1,,2026-04-02T10:05:00+02:00,,,,",
            "e17,z1,probe,,,,,",
            "e18,zaak één,received,2026-04-02T10:00:00+02:00,klacht,heiloo,,reason=één;intake=digitaal",
            "e19,z1,received,2026-04-02T10:00:00+02:00,klacht,,,appointment_at=2026-04-03T09:00:00+02:00;product=paspoort",
        ];
        let mut fields_reader = EventReader::default();
        let mut line_reader = EventReader::default();
        for line in lines {
            let fields: Vec<&str> = line.split(',').collect();
            let commas: Vec<usize> = line
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b',')
                .map(|(i, _)| i)
                .collect();
            let commas: [usize; 7] = commas.try_into().unwrap();
            assert_eq!(
                line_reader.csv_unquoted(line.as_bytes(), &commas),
                fields_reader.csv(&fields),
                "{line}"
            );
        }
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
