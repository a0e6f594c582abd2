//! `POST /api/v1/events`: one event or a batch of up to 10,000.

use axum::{Json, body::Bytes, extract::State};
use serde::Serialize;
use serde_json::{Value, value::RawValue};
use servicenorm_core::{events::read::EventReader, time::Moment};

use crate::{
    auth::{Caller, Scope},
    judge::rejudge,
    problem::ApiError,
    state::AppState,
};

/// The most events one request may carry.
pub(crate) const MAX_BATCH: usize = 10_000;

#[derive(Serialize)]
pub(crate) struct Appended {
    stored: usize,
    repeated: usize,
    cases: usize,
}

/// Stores the events (all or none), then judges the cases they touch again.
/// `{"events": [...]}`; any other object is one event.
#[derive(serde::Deserialize)]
struct Wrapped<'a> {
    #[serde(borrow)]
    events: Option<Vec<&'a RawValue>>,
}

/// The body's events as raw JSON, each to be read once by the core's reader:
/// one event, a list, or `{"events": [...]}`.
fn raw_events(body: &[u8]) -> Result<Vec<&RawValue>, ApiError> {
    let invalid = |e: serde_json::Error| ApiError::Invalid {
        field: "body".into(),
        detail: format!("verwacht een gebeurtenis of een lijst gebeurtenissen (JSON): {e}"),
    };
    let starts_list = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if starts_list {
        return serde_json::from_slice(body).map_err(invalid);
    }
    match serde_json::from_slice::<Wrapped<'_>>(body).map_err(invalid)? {
        Wrapped {
            events: Some(events),
        } => Ok(events),
        Wrapped { events: None } => Ok(vec![serde_json::from_slice(body).map_err(invalid)?]),
    }
}

pub(crate) async fn append(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<Appended>, ApiError> {
    caller.require(Scope::Write)?;
    let items = raw_events(&body)?;
    if items.len() > MAX_BATCH {
        return Err(ApiError::Invalid {
            field: "events".into(),
            detail: format!(
                "hoogstens {MAX_BATCH} gebeurtenissen per verzoek, maar het waren er {}",
                items.len()
            ),
        });
    }
    let mut reader = EventReader::default();
    let mut events = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let event = reader.json(item.get()).map_err(|e| {
            let id = serde_json::from_str::<Value>(item.get())
                .ok()
                .and_then(|v| {
                    v.get("id")
                        .and_then(Value::as_str)
                        .map(|id| format!(" ({id})"))
                })
                .unwrap_or_default();
            ApiError::Invalid {
                field: format!("events[{index}].{}", e.field),
                detail: format!("gebeurtenis {index}{id}: {}", e.message),
            }
        })?;
        events.push(event);
    }
    // What the catalog cannot know is refused before anything is stored.
    let catalogs = state.catalogs.current();
    for (index, event) in events.iter().enumerate() {
        let date = Moment::in_amsterdam(event.at).date();
        let Some(catalog) = catalogs.in_force(date) else {
            let first = catalogs.versions().first().map(|c| c.valid_from);
            return Err(ApiError::Invalid {
                field: format!("events[{index}].at"),
                detail: format!(
                    "gebeurtenis {index} ({}): op {date} geldt nog geen catalogus; \
                     de eerste gaat in op {}",
                    event.id,
                    first.map_or_else(|| "(geen)".to_string(), |d| d.to_string())
                ),
            });
        };
        if let Some(case_type) = &event.case_type
            && catalog.case_type(case_type).is_none()
        {
            return Err(ApiError::Invalid {
                field: format!("events[{index}].case_type"),
                detail: format!(
                    "gebeurtenis {index} ({}): onbekend zaaktype \"{case_type}\"; bekend zijn: {}",
                    event.id,
                    catalog
                        .case_types
                        .iter()
                        .map(|c| c.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        if let Some(municipality) = &event.municipality
            && !catalog
                .municipalities
                .iter()
                .any(|m| *m.id == **municipality)
        {
            return Err(ApiError::Invalid {
                field: format!("events[{index}].municipality"),
                detail: format!(
                    "gebeurtenis {index} ({}): onbekende gemeente \"{municipality}\"",
                    event.id
                ),
            });
        }
    }
    let now = state.clock.now();
    let outcome = state
        .store
        .append_events(&events, &caller.actor(), now)
        .await?;
    state.metrics.ingested(outcome.stored);
    // A retry after a failed judgement finds its events stored already, so
    // every case of the batch is judged, not only those with new events.
    let mut cases: Vec<String> = events.iter().map(|e| e.case.to_string()).collect();
    cases.sort_unstable();
    cases.dedup();
    rejudge(&state.store, &catalogs, &cases, now).await?;
    Ok(Json(Appended {
        stored: outcome.stored,
        repeated: outcome.repeated,
        cases: outcome.cases.len(),
    }))
}
