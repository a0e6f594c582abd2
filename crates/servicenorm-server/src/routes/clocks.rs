//! `GET /api/v1/clocks`: clocks sorted by deadline, filtered, paged with a cursor.

use axum::{
    Json,
    extract::{Query, State},
};
use serde::{Deserialize, Serialize};
use servicenorm_core::time::{Resolve, parse_instant};
use servicenorm_storage::{ClockRow, Cursor, QueueFilter};

use crate::{
    auth::{Caller, Scope},
    problem::ApiError,
    state::AppState,
};

#[derive(Deserialize)]
pub(crate) struct Params {
    /// Comma-separated: lopend, gepauzeerd, dreigt_te_verlopen, gehaald, niet_gehaald.
    state: Option<String>,
    team: Option<String>,
    municipality: Option<String>,
    case_type: Option<String>,
    channel: Option<String>,
    due_from: Option<String>,
    due_before: Option<String>,
    cursor: Option<String>,
    limit: Option<usize>,
}

#[derive(Serialize)]
pub(crate) struct ClockPage {
    items: Vec<ClockRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

const STATES: [&str; 5] = [
    "lopend",
    "gepauzeerd",
    "dreigt_te_verlopen",
    "gehaald",
    "niet_gehaald",
];

fn instant(field: &str, text: &Option<String>) -> Result<Option<jiff::Timestamp>, ApiError> {
    text.as_deref()
        .map(|t| parse_instant(t, Resolve::Reject))
        .transpose()
        .map_err(|e| ApiError::Invalid {
            field: field.into(),
            detail: e.to_string(),
        })
}

pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<Params>,
) -> Result<Json<ClockPage>, ApiError> {
    caller.require(Scope::Read)?;
    let states: Vec<String> = params
        .state
        .as_deref()
        .map(|s| s.split(',').map(|x| x.trim().to_string()).collect())
        .unwrap_or_default();
    if let Some(bad) = states.iter().find(|s| !STATES.contains(&s.as_str())) {
        return Err(ApiError::Invalid {
            field: "state".into(),
            detail: format!(
                "onbekende toestand \"{bad}\"; kies uit {}",
                STATES.join(", ")
            ),
        });
    }
    let limit = super::page_limit(params.limit, 50, 500)?;
    let filter = QueueFilter {
        states,
        team: params.team,
        municipality: params.municipality,
        case_type: params.case_type,
        channel: params.channel,
        due_from: instant("due_from", &params.due_from)?,
        due_before: instant("due_before", &params.due_before)?,
        unfinished: false,
    };
    let cursor = match params.cursor.as_deref() {
        Some(text) => Some(Cursor::decode(text).ok_or_else(|| ApiError::Invalid {
            field: "cursor".into(),
            detail: "deze cursor is niet van een vorige pagina".into(),
        })?),
        None => None,
    };
    let page = state.store.clocks(&filter, cursor.as_ref(), limit).await?;
    Ok(Json(ClockPage {
        items: page.items,
        next: page.next.map(|c| c.encode()),
    }))
}
