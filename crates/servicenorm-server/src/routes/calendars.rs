//! `GET /api/v1/calendars` and `GET /api/v1/calendars/{id}/holidays/{year}`:
//! the calendars deadlines are counted in, and their days off per year.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Serialize;
use servicenorm_core::calendar::{
    BaseCalendar, Calendar, FIRST_YEAR, Holiday, LAST_YEAR, decree_known,
};

use crate::{
    auth::{Caller, Scope},
    problem::ApiError,
    state::AppState,
};

#[derive(Serialize)]
pub(crate) struct CalendarSummary<'a> {
    id: &'a str,
    name: &'a str,
    /// The built-in calendar it builds on.
    base: BaseCalendar,
    /// `ingebouwd` or `catalogus`.
    source: &'static str,
}

#[derive(Serialize)]
pub(crate) struct HolidayList<'a> {
    calendar: &'a str,
    year: i16,
    /// False for an Atw year without a known decree on equated days
    /// (Atw art. 3 lid 3): the list then lacks such days.
    decree_known: bool,
    holidays: Vec<&'a Holiday>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(Scope::Read)?;
    let mut items = Vec::new();
    for id in ["atw", "gemeente"] {
        items.push(summary(builtin(id)?, "ingebouwd"));
    }
    let catalogs = state.catalogs.current();
    if let Some(catalog) = catalogs.latest() {
        for calendar in &catalog.calendars {
            items.push(summary(calendar, "catalogus"));
        }
    }
    Ok(Json(serde_json::json!({ "items": items })))
}

pub(crate) async fn holidays(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, year)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(Scope::Read)?;
    let year: i16 = year
        .parse()
        .ok()
        .filter(|year| (FIRST_YEAR..=LAST_YEAR).contains(year))
        .ok_or_else(|| ApiError::Invalid {
            field: "year".into(),
            detail: format!(
                "jaar \"{year}\" kan niet: kies een jaar van {FIRST_YEAR} tot en met {LAST_YEAR}"
            ),
        })?;
    let catalogs = state.catalogs.current();
    let calendar = match id.as_str() {
        "atw" | "gemeente" => builtin(&id)?,
        _ => catalogs
            .latest()
            .and_then(|catalog| catalog.calendar(&id))
            .ok_or_else(|| ApiError::NotFound {
                detail: format!("kalender \"{id}\" bestaat niet"),
            })?,
    };
    let list = HolidayList {
        calendar: calendar.id(),
        year,
        decree_known: calendar.base() != BaseCalendar::Atw || decree_known(year),
        holidays: calendar.holidays_in(year).collect(),
    };
    serde_json::to_value(&list)
        .map(Json)
        .map_err(|e| ApiError::Internal(e.to_string()))
}

fn summary<'a>(calendar: &'a Calendar, source: &'static str) -> CalendarSummary<'a> {
    CalendarSummary {
        id: calendar.id(),
        name: calendar.name(),
        base: calendar.base(),
        source,
    }
}

fn builtin(id: &str) -> Result<&'static Calendar, ApiError> {
    Calendar::builtin(id).map_err(|e| ApiError::Internal(e.to_string()))
}
