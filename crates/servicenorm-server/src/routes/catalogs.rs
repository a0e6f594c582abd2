//! `GET /api/v1/catalogs`: the stored versions of the catalog in use.
//! `POST /api/v1/catalogs`: a new version, checked as `catalog check` does;
//! a version with any problem is refused whole.

use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use servicenorm_core::{catalog, time::Moment};
use servicenorm_storage::StoredCatalog;

use crate::{
    auth::{Caller, Scope},
    catalog_cache::parse_stored,
    problem::ApiError,
    state::AppState,
};

#[derive(Serialize)]
pub(crate) struct VersionList {
    catalog_id: String,
    items: Vec<Version>,
}

#[derive(Serialize)]
pub(crate) struct Version {
    valid_from: jiff::civil::Date,
    name: String,
    norms: usize,
    stored_at: jiff::Timestamp,
    stored_by: String,
    /// True for the version that applies to a case received today.
    in_force_today: bool,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<VersionList>, ApiError> {
    caller.require(Scope::Read)?;
    let catalogs = state.catalogs.current();
    let Some(latest) = catalogs.latest() else {
        return Err(ApiError::NotFound {
            detail: "er is geen catalogus geladen".into(),
        });
    };
    let today = Moment::in_amsterdam(state.clock.now()).date();
    let in_force = catalogs.in_force(today).map(|c| c.valid_from);
    let stored = state.store.catalogs(&latest.id).await?;
    let items = stored
        .into_iter()
        .filter_map(|row| {
            let version = catalogs
                .versions()
                .iter()
                .find(|v| v.valid_from == row.valid_from)?;
            Some(Version {
                valid_from: row.valid_from,
                name: version.name.clone(),
                norms: version.norms.len(),
                stored_at: row.stored_at,
                stored_by: row.stored_by,
                in_force_today: in_force == Some(row.valid_from),
            })
        })
        .collect();
    Ok(Json(VersionList {
        catalog_id: latest.id.clone(),
        items,
    }))
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    caller.require(Scope::Admin)?;
    let parsed = catalog::parse(&body, "catalogus").map_err(ApiError::InvalidDefinition)?;
    let catalogs = state.catalogs.current();
    let Some(latest) = catalogs.latest() else {
        return Err(ApiError::NotFound {
            detail: "er is geen catalogus geladen".into(),
        });
    };
    if parsed.id != latest.id {
        return Err(ApiError::Invalid {
            field: "id".into(),
            detail: format!(
                "dit is catalogus \"{}\", maar deze dienst werkt met catalogus \"{}\"",
                parsed.id, latest.id
            ),
        });
    }
    // Cases are judged by the version in force when they came in; a version
    // that starts in the past would change judgements already made.
    let today = Moment::in_amsterdam(state.clock.now()).date();
    if parsed.valid_from < today || parsed.valid_from <= latest.valid_from {
        return Err(ApiError::Invalid {
            field: "valid_from".into(),
            detail: format!(
                "valid_from {} kan niet: een nieuwe versie gaat in op vandaag ({today}) of later, \
                 en na de laatste versie ({})",
                parsed.valid_from, latest.valid_from
            ),
        });
    }
    // The new version must also fit with the stored ones.
    let mut stored = state.store.catalogs(&latest.id).await?;
    stored.push(StoredCatalog {
        catalog_id: parsed.id.clone(),
        valid_from: parsed.valid_from,
        toml: body.clone(),
        stored_at: state.clock.now(),
        stored_by: caller.name.clone(),
    });
    let versions = parse_stored(&stored).map_err(ApiError::InvalidDefinition)?;
    let summary = serde_json::json!({ "id": parsed.id, "norms": parsed.norms.len() });
    // Another instance may have stored this version meanwhile: a conflict.
    state
        .store
        .put_catalog(
            &parsed.id,
            parsed.valid_from,
            &body,
            &summary,
            &caller.actor(),
            state.clock.now(),
        )
        .await?;
    state.catalogs.replace(versions);
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({
            "catalog_id": parsed.id,
            "valid_from": parsed.valid_from,
            "norms": parsed.norms.len(),
        })),
    ))
}
