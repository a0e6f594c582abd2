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
    case: compact_str::CompactString,
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
                id: other.id.to_string(),
                expected: case.to_string(),
                found: other.case.to_string(),
            });
        }
        if !distinct_ids(&events) {
            // Repeated ids: sorted by id they stand side by side.
            events.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.at.cmp(&b.at)));
            for pair in events.windows(2) {
                if pair[0].id == pair[1].id && pair[0] != pair[1] {
                    // Report in a fixed order, whatever the arrival order.
                    let (a, b) = ordered(&pair[0], &pair[1]);
                    return Err(CaseError::ConflictingDuplicate {
                        id: pair[0].id.to_string(),
                        first: a.to_json_line(),
                        second: b.to_json_line(),
                    });
                }
            }
            events.dedup_by(|a, b| a.id == b.id);
        }
        // The ids are distinct now, so (instant, id) orders every pair. Most
        // cases arrive in that order and need no sort.
        if !events.is_sorted_by(|a, b| (a.at, &a.id) < (b.at, &b.id)) {
            events.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        }
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

/// Whether no two events share an id; for the few events of a case a
/// comparison of every pair beats hashing. A long case (a day of website
/// probes) is hashed: sorting its ids costs a string comparison per step.
fn distinct_ids(events: &[Event]) -> bool {
    if events.len() > 32 {
        let mut ids = rustc_hash::FxHashSet::with_capacity_and_hasher(
            events.len(),
            rustc_hash::FxBuildHasher,
        );
        return events.iter().all(|e| ids.insert(e.id.as_str()));
    }
    events
        .iter()
        .enumerate()
        .all(|(i, a)| events[i + 1..].iter().all(|b| !same_id(&a.id, &b.id)))
}

/// Whether two ids are equal. Ids of one case mostly differ in their last
/// character (`e1041`, `e1042`): looking at it first skips most full
/// comparisons.
#[inline]
fn same_id(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().last() == b.as_bytes().last() && a == b
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
    // The event that first gave a field, for the message on a conflict: the
    // first that has it, since that one filled the field.
    let source =
        |has: &dyn Fn(&Event) -> bool| events.iter().find(|e| has(e)).map_or("", |e| e.id.as_str());
    for event in events {
        // Most events repeat nothing about the case: nothing to check.
        if event.case_type.is_none()
            && event.municipality.is_none()
            && event.team.is_none()
            && event.attributes.is_empty()
        {
            continue;
        }
        for (field, value, slot, get) in [
            (
                "case_type",
                &event.case_type,
                &mut facts.case_type,
                (|e: &Event| e.case_type.is_some()) as fn(&Event) -> bool,
            ),
            (
                "municipality",
                &event.municipality,
                &mut facts.municipality,
                |e: &Event| e.municipality.is_some(),
            ),
            ("team", &event.team, &mut facts.team, |e: &Event| {
                e.team.is_some()
            }),
        ] {
            let Some(value) = value else { continue };
            match slot {
                Some(existing) if !Arc::ptr_eq(existing, value) && existing != value => {
                    return Err(conflict(field, existing, source(&get), value, &event.id));
                }
                Some(_) => {}
                None => *slot = Some(value.clone()),
            }
        }
        if event.attributes.is_empty() {
            continue;
        }
        for (key, value) in event.attributes.iter().filter(|(k, _)| k.describes_case()) {
            match facts.attributes.get(*key) {
                Some(existing) if existing != value => {
                    let key = *key;
                    let first = source(&|e: &Event| {
                        e.attributes.get(key).is_some() && key.describes_case()
                    });
                    return Err(conflict(
                        key.as_str(),
                        &existing.to_string(),
                        first,
                        &value.to_string(),
                        &event.id,
                    ));
                }
                Some(_) => {}
                None => {
                    let _ = facts.attributes.insert(*key, value.clone());
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

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::events::EventType;

    /// The order the two sorts (by id, then by instant and id) give, which
    /// the single sort of a case with distinct ids must match.
    fn reference(mut events: Vec<Event>) -> Vec<Event> {
        events.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.at.cmp(&b.at)));
        events.dedup_by(|a, b| a.id == b.id);
        events.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        events
    }

    #[test]
    fn one_sort_orders_distinct_ids_as_two_sorts_do() {
        // Ids whose text order differs from their number order (e9, e10),
        // several on one instant, in many arrival orders.
        let base: Vec<Event> = (0..40)
            .map(|i| {
                let at = Timestamp::from_second(1_775_000_000 + (i / 3) * 60).unwrap();
                Event::new(format!("e{}", 40 - i), "z1", EventType::Probe, at)
            })
            .collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..500 {
            let mut events = base.clone();
            // Fisher-Yates with a fixed xorshift: the same orders every run.
            for i in (1..events.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                events.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            // Some rounds leave most events in order, as a day of probes does.
            if round % 4 == 0 {
                events.sort_by_key(|e| e.at);
            }
            let expected = reference(events.clone());
            let case = CaseEvents::new(events).unwrap();
            assert_eq!(case.events(), &expected[..], "round {round}");
        }
    }
}
