//! `/health/live` (the process runs) and `/health/ready` (the database answers).

use axum::{extract::State, http::StatusCode};

use crate::state::AppState;

pub(crate) async fn live() -> StatusCode {
    StatusCode::NO_CONTENT
}

pub(crate) async fn ready(State(state): State<AppState>) -> StatusCode {
    match state.store.ping().await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(error) => {
            tracing::warn!(%error, "database not ready");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
