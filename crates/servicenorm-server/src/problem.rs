//! Errors as RFC 9457 problem documents, mapped once, here.

use axum::{
    Json,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use servicenorm_storage::StorageError;

/// A failed request, as the client sees it.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// The request is wrong: which field, and why (in Dutch).
    Invalid {
        field: String,
        detail: String,
    },
    /// A definition file (a catalog) with every problem found in it.
    InvalidDefinition(servicenorm_core::diagnostics::DefinitionError),
    /// It conflicts with what is stored.
    Conflict {
        detail: String,
    },
    NotFound {
        detail: String,
    },
    /// No valid token.
    Unauthorized {
        detail: String,
    },
    /// A valid token without the scope needed.
    Forbidden {
        detail: String,
    },
    /// Something failed that the client could not prevent; logged, not shown.
    Internal(String),
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    /// The title in Dutch, for staff.
    titel: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    /// Every problem in an uploaded file, each with its line and field.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FileProblem<'a>],
}

#[derive(Serialize)]
struct FileProblem<'a> {
    line: usize,
    column: usize,
    field: &'a str,
    detail: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut errors = Vec::new();
        let joined;
        let (status, kind, title, titel, detail, field) = match &self {
            ApiError::InvalidDefinition(error) => {
                errors = error
                    .problems
                    .iter()
                    .map(|p| FileProblem {
                        line: p.line,
                        column: p.column,
                        field: &p.field,
                        detail: &p.message,
                    })
                    .collect();
                joined = error.to_string();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "https://servicenorm.invalid/problems/invalid-file",
                    "The file is not valid",
                    "Het bestand klopt niet",
                    joined.as_str(),
                    error
                        .problems
                        .first()
                        .map(|p| p.field.as_str())
                        .filter(|f| !f.is_empty()),
                )
            }
            ApiError::Invalid { field, detail } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "https://servicenorm.invalid/problems/invalid",
                "The request is not valid",
                "Het verzoek klopt niet",
                detail.as_str(),
                Some(field.as_str()),
            ),
            ApiError::Conflict { detail } => (
                StatusCode::CONFLICT,
                "https://servicenorm.invalid/problems/conflict",
                "The request conflicts with stored data",
                "Het verzoek botst met wat er al is opgeslagen",
                detail.as_str(),
                None,
            ),
            ApiError::NotFound { detail } => (
                StatusCode::NOT_FOUND,
                "https://servicenorm.invalid/problems/not-found",
                "Not found",
                "Niet gevonden",
                detail.as_str(),
                None,
            ),
            ApiError::Unauthorized { detail } => (
                StatusCode::UNAUTHORIZED,
                "https://servicenorm.invalid/problems/unauthorized",
                "A valid API token is needed",
                "Een geldig API-token is nodig",
                detail.as_str(),
                None,
            ),
            ApiError::Forbidden { detail } => (
                StatusCode::FORBIDDEN,
                "https://servicenorm.invalid/problems/forbidden",
                "The token may not do this",
                "Dit token mag dit niet",
                detail.as_str(),
                None,
            ),
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "https://servicenorm.invalid/problems/internal",
                    "Internal error",
                    "Er ging iets mis bij ons",
                    "Probeer het later opnieuw.",
                    None,
                )
            }
        };
        let body = Problem {
            kind,
            title,
            titel,
            status: status.as_u16(),
            detail,
            field,
            errors: &errors,
        };
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            Json(body),
        )
            .into_response()
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> ApiError {
        match error {
            StorageError::EventConflict { .. } | StorageError::CatalogExists { .. } => {
                ApiError::Conflict {
                    detail: error.to_string(),
                }
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}
