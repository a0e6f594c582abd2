//! `GET /api/v1/catalogs`: the stored versions of the catalog in use.
//! `POST /api/v1/catalogs`: a new version, checked as `catalog check` does;
//! a version with any problem is refused whole.

use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use servicenorm_core::{
    catalog::{self, Catalog, CatalogVersions},
    time::Moment,
};
use servicenorm_storage::{Actor, StoredCatalog};

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
    let checked = check_version(&state, &body, &caller.name).await?;
    let parsed = store_version(&state, checked, &body, &caller.actor()).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({
            "catalog_id": parsed.id,
            "valid_from": parsed.valid_from,
            "norms": parsed.norms.len(),
        })),
    ))
}

/// A new catalog version that passed every check, with all versions as
/// they will be once it is stored.
pub(crate) struct CheckedVersion {
    pub parsed: Catalog,
    pub versions: CatalogVersions,
}

/// Checks a new version as `catalog check` does, and that it fits: the same
/// catalog, taking effect today or later and after the last version.
pub(crate) async fn check_version(
    state: &AppState,
    body: &str,
    stored_by: &str,
) -> Result<CheckedVersion, ApiError> {
    let parsed = catalog::parse(body, "catalogus").map_err(ApiError::InvalidDefinition)?;
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
        toml: body.to_string(),
        stored_at: state.clock.now(),
        stored_by: stored_by.to_string(),
    });
    let versions = parse_stored(&stored).map_err(ApiError::InvalidDefinition)?;
    Ok(CheckedVersion { parsed, versions })
}

/// Stores a checked version; from now on this instance judges with it.
pub(crate) async fn store_version(
    state: &AppState,
    checked: CheckedVersion,
    body: &str,
    actor: &Actor,
) -> Result<Catalog, ApiError> {
    let CheckedVersion { parsed, versions } = checked;
    let summary = serde_json::json!({ "id": parsed.id, "norms": parsed.norms.len() });
    // Another instance may have stored this version meanwhile: a conflict.
    state
        .store
        .put_catalog(
            &parsed.id,
            parsed.valid_from,
            body,
            &summary,
            actor,
            state.clock.now(),
        )
        .await?;
    state.catalogs.replace(versions);
    Ok(parsed)
}
