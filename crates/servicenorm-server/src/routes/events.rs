//! `POST /api/v1/events`: one event or a batch of up to 10,000.

use axum::{Json, body::Bytes, extract::State};
use serde::Serialize;
use serde_json::{Value, value::RawValue};
use servicenorm_core::events::read::EventReader;

use crate::{
    auth::{Caller, Scope},
    ingest::{check, store_and_judge},
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
    if let Err(rejected) = check(&state.catalogs.current(), &events) {
        return Err(ApiError::Invalid {
            field: format!("events[{}].{}", rejected.index, rejected.field),
            detail: format!(
                "gebeurtenis {} ({}): {}",
                rejected.index, events[rejected.index].id, rejected.detail
            ),
        });
    }
    let outcome = store_and_judge(&state, &events, &caller.actor()).await?;
    Ok(Json(Appended {
        stored: outcome.stored,
        repeated: outcome.repeated,
        cases: outcome.cases.len(),
    }))
}
