//! The HTTP routes, one module per resource.

pub(crate) mod calendars;
pub(crate) mod cases;
pub(crate) mod catalogs;
pub(crate) mod clocks;
pub(crate) mod contact;
pub(crate) mod events;
pub(crate) mod health;
pub(crate) mod imports;
pub(crate) mod notifications;
pub(crate) mod openapi;
pub(crate) mod results;

/// The page size a list asks for: `default` when not given, refused with
/// the value given when outside `1..=max`.
pub(crate) fn page_limit(
    given: Option<usize>,
    default: usize,
    max: usize,
) -> Result<usize, crate::problem::ApiError> {
    match given {
        None => Ok(default),
        Some(limit) if (1..=max).contains(&limit) => Ok(limit),
        Some(limit) => Err(crate::problem::ApiError::Invalid {
            field: "limit".into(),
            detail: format!("limit moet tussen 1 en {max} liggen; u gaf {limit}"),
        }),
    }
}
