//! `PUT /api/v1/cases/{id}/contact`: how to reach the resident about a case,
//! so that servicenorm can send the receipt and the tussenbericht itself.
//! It may come before the case's first event (then the receipt finds it at
//! once). Personal data: kept only while the case needs it, and an hour at
//! most for a case that never comes (see `docs/MESSAGES.md`).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;
use servicenorm_storage::Contact;

use crate::{
    auth::{Caller, Scope},
    problem::ApiError,
    state::AppState,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactBody {
    /// Leave out or null when the resident gave none: staff get a task.
    email: Option<String>,
    /// The employee or team to name in messages; the catalog's by default.
    contact_person: Option<String>,
}

pub(crate) async fn put(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
    Json(body): Json<ContactBody>,
) -> Result<StatusCode, ApiError> {
    caller.require(Scope::Write)?;
    let contact = read(body.email.as_deref(), body.contact_person.as_deref()).map_err(
        |(field, detail)| ApiError::Invalid {
            field: field.into(),
            detail,
        },
    )?;
    if case_id.is_empty() || case_id.chars().count() > 200 {
        return Err(ApiError::Invalid {
            field: "case_id".into(),
            detail: "een zaaknummer heeft 1 tot 200 tekens".into(),
        });
    }
    state
        .store
        .put_contact(&case_id, &contact, &caller.actor(), state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks an address as the mail server will read it; a blank one is none.
pub(crate) fn read(
    email: Option<&str>,
    contact_person: Option<&str>,
) -> Result<Contact, (&'static str, String)> {
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    if let Some(email) = email
        && email.parse::<lettre::Address>().is_err()
    {
        return Err((
            "email",
            "dit is geen e-mailadres; schrijf het als naam@voorbeeld.nl".to_string(),
        ));
    }
    let contact_person = contact_person.map(str::trim).filter(|c| !c.is_empty());
    if contact_person.is_some_and(|c| c.chars().count() > 200) {
        return Err(("contact_person", "hoogstens 200 tekens".to_string()));
    }
    Ok(Contact {
        email: email.map(str::to_string),
        contact_person: contact_person.map(str::to_string),
    })
}
