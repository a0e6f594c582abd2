//! `GET /api/v1/notifications`: clocks at risk or missed and tussenberichten
//! owed, for the teams, oldest first.

use axum::{
    Json,
    extract::{Query, State},
};
use serde::Deserialize;
use servicenorm_storage::OutboxItem;

use crate::{
    auth::{Caller, Scope},
    problem::ApiError,
    state::AppState,
};

#[derive(Deserialize)]
pub(crate) struct Params {
    /// Only notifications after this id.
    after: Option<i64>,
    limit: Option<usize>,
    team: Option<String>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<Params>,
) -> Result<Json<Vec<OutboxItem>>, ApiError> {
    caller.require(Scope::Read)?;
    let limit = super::page_limit(params.limit, 100, 1000)?;
    let items = state
        .store
        .outbox(params.after.unwrap_or(0), params.team.as_deref(), limit)
        .await?;
    Ok(Json(items))
}
