//! One case's events, deduplicated and in a fixed order.

use std::sync::Arc;

use serde::Serialize;

use super::{AttributeKey, Attributes, Event, Value};

/// Why a case's events cannot be judged as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error(
        "gebeurtenis {id} komt twee keer voor met een andere inhoud:\n  eerst:  {first}\n  daarna: {second}"
    )]
    ConflictingDuplicate {
        id: String,
        first: String,
        second: String,
    },
    #[error("{0}")]
    ConflictingFacts(Box<FactConflict>),
    #[error("gebeurtenis {id} hoort bij zaak {found}, niet bij zaak {expected}")]
    OtherCase {
        id: String,
        expected: String,
        found: String,
    },
    #[error("er zijn geen gebeurtenissen")]
    Empty,
}

/// Two events that disagree about the case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "zaak {case}: {field} is \"{first}\" in gebeurtenis {first_event}, maar \"{second}\" in gebeurtenis {second_event}"
)]
pub struct FactConflict {
    pub case: String,
    pub field: String,
    pub first: String,
    pub first_event: String,
    pub second: String,
    pub second_event: String,
}

/// What the events say about the case as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CaseFacts {
    pub case_type: Option<Arc<str>>,
    pub municipality: Option<Arc<str>>,
    pub team: Option<Arc<str>>,
    /// Attributes that describe the case (urgent, product, ...), not one event.
    pub attributes: Attributes,
}

/// The events of one case: each id once, sorted by instant, then id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseEvents {
    case: String,
    events: Vec<Event>,
    facts: CaseFacts,
}

impl CaseEvents {
    /// Puts the events in order. A repeated id with the same content is
    /// dropped; with different content it is an error naming both.
    pub fn new(events: impl IntoIterator<Item = Event>) -> Result<CaseEvents, CaseError> {
        let mut events: Vec<Event> = events.into_iter().collect();
        let case = events
            .first()
            .map(|e| e.case.clone())
            .ok_or(CaseError::Empty)?;
        if let Some(other) = events.iter().find(|e| e.case != case) {
            return Err(CaseError::OtherCase {
                id: other.id.clone(),
                expected: case,
                found: other.case.clone(),
            });
        }
        // Repeated ids: sorted by id they stand side by side.
        events.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.at.cmp(&b.at)));
        for pair in events.windows(2) {
            if pair[0].id == pair[1].id && pair[0] != pair[1] {
                // Report in a fixed order, whatever the arrival order.
                let (a, b) = ordered(&pair[0], &pair[1]);
                return Err(CaseError::ConflictingDuplicate {
                    id: pair[0].id.clone(),
                    first: a.to_json_line(),
                    second: b.to_json_line(),
                });
            }
        }
        events.dedup_by(|a, b| a.id == b.id);
        events.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        let facts = facts(&case, &events)?;
        Ok(CaseEvents {
            case,
            events,
            facts,
        })
    }

    pub fn case(&self) -> &str {
        &self.case
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn facts(&self) -> &CaseFacts {
        &self.facts
    }

    /// The events back, in order, deduplicated.
    pub fn into_events(self) -> Vec<Event> {
        self.events
    }
}

fn ordered<'a>(a: &'a Event, b: &'a Event) -> (&'a Event, &'a Event) {
    if a.to_json_line() <= b.to_json_line() {
        (a, b)
    } else {
        (b, a)
    }
}

fn facts(case: &str, events: &[Event]) -> Result<CaseFacts, CaseError> {
    let mut facts = CaseFacts::default();
    // Which event first gave each field, for the message on a conflict.
    let mut sources: Vec<(&'static str, &str)> = Vec::new();
    let conflict =
        |field: &str, first: &str, first_event: &str, second: &str, second_event: &str| {
            CaseError::ConflictingFacts(Box::new(FactConflict {
                case: case.to_string(),
                field: field.to_string(),
                first: first.to_string(),
                first_event: first_event.to_string(),
                second: second.to_string(),
                second_event: second_event.to_string(),
            }))
        };
    for event in events {
        for (field, value, slot) in [
            ("case_type", &event.case_type, &mut facts.case_type),
            ("municipality", &event.municipality, &mut facts.municipality),
            ("team", &event.team, &mut facts.team),
        ] {
            let Some(value) = value else { continue };
            match slot {
                Some(existing) if existing != value => {
                    let source = sources
                        .iter()
                        .find(|(f, _)| *f == field)
                        .map_or("", |(_, e)| e);
                    return Err(conflict(field, existing, source, value, &event.id));
                }
                Some(_) => {}
                None => {
                    *slot = Some(value.clone());
                    sources.push((field, &event.id));
                }
            }
        }
        for (key, value) in event.attributes.iter().filter(|(k, _)| k.describes_case()) {
            match facts.attributes.get(*key) {
                Some(existing) if existing != value => {
                    let source = sources
                        .iter()
                        .find(|(f, _)| *f == key.as_str())
                        .map_or("", |(_, e)| e);
                    return Err(conflict(
                        key.as_str(),
                        &existing.to_string(),
                        source,
                        &value.to_string(),
                        &event.id,
                    ));
                }
                Some(_) => {}
                None => {
                    let _ = facts.attributes.insert(*key, value.clone());
                    sources.push((key.as_str(), &event.id));
                }
            }
        }
    }
    Ok(facts)
}

impl CaseFacts {
    pub fn get(&self, key: AttributeKey) -> Option<&Value> {
        self.attributes.get(key)
    }
}
