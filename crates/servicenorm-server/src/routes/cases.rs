//! `GET /api/v1/cases/{id}`: a case with its events and every norm's clock,
//! each deadline with its explanation.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Serialize;
use servicenorm_core::{
    evaluation::{Detail, Evaluation},
    events::Event,
};

use crate::{
    auth::{Caller, Scope},
    judge::evaluation,
    problem::ApiError,
    state::AppState,
};

#[derive(Serialize)]
pub(crate) struct CaseView {
    events: Vec<Event>,
    /// Messages to the resident for this case and how they went (never the
    /// address or the text).
    messages: Vec<servicenorm_storage::MessageRow>,
    #[serde(flatten)]
    evaluation: Evaluation,
}

pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    caller.require(Scope::Read)?;
    let now = state.clock.now();
    match evaluation(
        &state.store,
        &state.catalogs.current(),
        &case_id,
        now,
        Detail::Explained,
    )
    .await?
    {
        Some((evaluation, case)) => Ok(Json(CaseView {
            messages: state.store.messages_of_case(&case_id).await?,
            events: case.into_events(),
            evaluation,
        })),
        None => Err(ApiError::NotFound {
            detail: format!("zaak {case_id} is niet bekend"),
        }),
    }
}
