//! For functional administrators: a new catalog version, checked before it
//! is accepted, with what changes against the version in force; and the
//! holidays, closing days and office hours per calendar and year.

use askama::Template;
use axum::{
    Form,
    extract::{Multipart, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use jiff::civil::Weekday;
use serde::Deserialize;
use servicenorm_core::{calendar::Calendar, catalog::Catalog, time::Moment};

use crate::{
    problem::ApiError,
    roles::Permission,
    routes::catalogs::{check_version, store_version},
    state::AppState,
    web::{
        page::{Layout, PageError, render},
        session::Staff,
        words::percent,
    },
};

/// A catalog file is a few tens of kilobytes; this leaves room.
const MAX_CATALOG: usize = 2 * 1024 * 1024;

struct VersionView {
    valid_from: String,
    norms: usize,
    in_force: bool,
}

/// One line of the difference: "+", "−" or "~" and what.
struct Change {
    class: &'static str,
    text: String,
}

#[derive(Template)]
#[template(path = "admin_catalog.html")]
struct CatalogPage {
    layout: Layout,
    versions: Vec<VersionView>,
    saved: Option<String>,
    problems: Vec<String>,
    /// A checked version waiting for confirmation: its text and changes.
    pending: Option<(String, String, Vec<Change>)>,
}

#[derive(Deserialize)]
pub(crate) struct CatalogParams {
    opgeslagen: Option<String>,
}

async fn catalog_page(
    state: &AppState,
    staff: &Staff,
    saved: Option<String>,
    problems: Vec<String>,
    pending: Option<(String, String, Vec<Change>)>,
) -> Result<Response, PageError> {
    let catalogs = state.catalogs.current();
    let today = Moment::in_amsterdam(state.clock.now()).date();
    let in_force = catalogs.in_force(today).map(|c| c.valid_from);
    let versions = catalogs
        .versions()
        .iter()
        .rev()
        .map(|c| VersionView {
            valid_from: servicenorm_core::terms::explain::long_date(c.valid_from),
            norms: c.norms.len(),
            in_force: Some(c.valid_from) == in_force,
        })
        .collect();
    let status = if problems.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&CatalogPage {
        layout: Layout::new(state, "Catalogus", Some(staff), "/beheer/catalogus"),
        versions,
        saved,
        problems,
        pending,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

pub(crate) async fn catalog(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<CatalogParams>,
) -> Result<Response, PageError> {
    staff.require(Permission::MaintainCatalog)?;
    let saved = params
        .opgeslagen
        .map(|date| format!("De nieuwe versie is opgeslagen. Zij geldt vanaf {date}."));
    catalog_page(&state, &staff, saved, Vec::new(), None).await
}

/// Problems of a refused version, each with line, column and field.
fn problems(error: ApiError) -> Result<Vec<String>, PageError> {
    match error {
        ApiError::InvalidDefinition(definition) => Ok(definition
            .problems
            .iter()
            .map(|p| {
                let field = if p.field.is_empty() {
                    String::new()
                } else {
                    format!(", veld {}", p.field)
                };
                format!("Regel {}, kolom {}{field}: {}", p.line, p.column, p.message)
            })
            .collect()),
        ApiError::Invalid { field, detail } => Ok(vec![format!("Veld {field}: {detail}")]),
        ApiError::Conflict { detail } => Ok(vec![detail]),
        other => Err(PageError::from(other)),
    }
}

/// Checks an uploaded file and shows what would change; nothing is stored yet.
pub(crate) async fn check(
    State(state): State<AppState>,
    staff: Staff,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    staff.require(Permission::MaintainCatalog)?;
    let mut csrf = String::new();
    let mut text = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?
    {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("bestand") => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| PageError::Internal(e.to_string()))?;
                if bytes.len() > MAX_CATALOG {
                    text = Some(Err(
                        "Het bestand is te groot: een catalogus is hoogstens 2 MB.".to_string(),
                    ));
                } else {
                    text = Some(String::from_utf8(bytes.to_vec()).map_err(|_| {
                        "Het bestand is geen tekst in UTF-8. Sla het op als UTF-8 en probeer het opnieuw.".to_string()
                    }));
                }
            }
            _ => {}
        }
    }
    staff.check_form(&csrf)?;
    let body = match text {
        None => {
            return catalog_page(
                &state,
                &staff,
                None,
                vec!["Kies eerst een bestand.".into()],
                None,
            )
            .await;
        }
        Some(Err(problem)) => return catalog_page(&state, &staff, None, vec![problem], None).await,
        Some(Ok(body)) if body.trim().is_empty() => {
            return catalog_page(
                &state,
                &staff,
                None,
                vec!["Het bestand is leeg.".into()],
                None,
            )
            .await;
        }
        Some(Ok(body)) => body,
    };
    match check_version(&state, &body, &staff.name).await {
        Ok(checked) => {
            let catalogs = state.catalogs.current();
            let today = Moment::in_amsterdam(state.clock.now()).date();
            let changes = match catalogs.in_force(today).or_else(|| catalogs.latest()) {
                Some(current) => differences(current, &checked.parsed),
                None => Vec::new(),
            };
            let valid_from = servicenorm_core::terms::explain::long_date(checked.parsed.valid_from);
            catalog_page(
                &state,
                &staff,
                None,
                Vec::new(),
                Some((body, valid_from, changes)),
            )
            .await
        }
        Err(error) => catalog_page(&state, &staff, None, problems(error)?, None).await,
    }
}

#[derive(Deserialize)]
pub(crate) struct SaveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    toml: String,
}

/// Stores a version the administrator saw checked and confirmed. It is
/// checked once more: another administrator may have stored one meanwhile.
pub(crate) async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<SaveForm>,
) -> Result<Response, PageError> {
    staff.require(Permission::MaintainCatalog)?;
    staff.check_form(&form.csrf)?;
    let checked = match check_version(&state, &form.toml, &staff.name).await {
        Ok(checked) => checked,
        Err(error) => return catalog_page(&state, &staff, None, problems(error)?, None).await,
    };
    match store_version(&state, checked, &form.toml, &staff.actor()).await {
        Ok(parsed) => Ok(Redirect::to(&format!(
            "/beheer/catalogus?opgeslagen={}",
            parsed.valid_from
        ))
        .into_response()),
        Err(error) => catalog_page(&state, &staff, None, problems(error)?, None).await,
    }
}

/// What a new version changes, norm by norm, in words.
fn differences(current: &Catalog, new: &Catalog) -> Vec<Change> {
    let mut changes = Vec::new();
    for norm in &new.norms {
        match current.norm(&norm.id) {
            None => changes.push(Change {
                class: "servicenorm-diff__added",
                text: format!("Nieuwe belofte ({}): {}", norm.id, norm.text),
            }),
            Some(old) => {
                let mut what = Vec::new();
                if old.text != norm.text {
                    what.push(format!(
                        "de tekst wordt \"{}\" (was \"{}\")",
                        norm.text, old.text
                    ));
                }
                if old.streefwaarde != norm.streefwaarde {
                    let show = |v: Option<f64>| v.map_or("geen".to_string(), percent);
                    what.push(format!(
                        "de streefwaarde wordt {} (was {})",
                        show(norm.streefwaarde),
                        show(old.streefwaarde)
                    ));
                }
                if format!("{:?}{:?}", old.kind, old.when)
                    != format!("{:?}{:?}", norm.kind, norm.when)
                {
                    what.push("de termijn of de manier van meten verandert".to_string());
                }
                if !what.is_empty() {
                    changes.push(Change {
                        class: "servicenorm-diff__changed",
                        text: format!("Gewijzigd ({}): {}.", norm.id, what.join("; ")),
                    });
                }
            }
        }
    }
    for norm in &current.norms {
        if new.norm(&norm.id).is_none() {
            changes.push(Change {
                class: "servicenorm-diff__removed",
                text: format!("Vervalt ({}): {}", norm.id, norm.text),
            });
        }
    }
    changes
}

struct CalendarView {
    name: String,
    holidays: Vec<(String, String)>,
    hours: Vec<(&'static str, String)>,
    exceptions: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin_calendars.html")]
struct CalendarsPage {
    layout: Layout,
    year: i16,
    previous: i16,
    next: i16,
    calendars: Vec<CalendarView>,
}

#[derive(Deserialize)]
pub(crate) struct YearParams {
    jaar: Option<i16>,
}

pub(crate) async fn calendars(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<YearParams>,
) -> Result<Response, PageError> {
    staff.require(Permission::MaintainCalendars)?;
    let today = Moment::in_amsterdam(state.clock.now()).date();
    let year = params.jaar.unwrap_or(today.year()).clamp(1990, 2100);
    let catalogs = state.catalogs.current();
    let catalog = catalogs
        .in_force(today)
        .or_else(|| catalogs.latest())
        .ok_or_else(|| PageError::NotFound("Een catalogus".into()))?;
    let mut list: Vec<&Calendar> = catalog.calendars.iter().collect();
    for builtin in [Calendar::gemeente(), Calendar::atw()] {
        if let Ok(calendar) = builtin
            && !list.iter().any(|c| c.id() == calendar.id())
        {
            list.push(calendar);
        }
    }
    let calendars = list.into_iter().map(|c| calendar_view(c, year)).collect();
    render(&CalendarsPage {
        layout: Layout::new(
            &state,
            format!("Kalenders {year}"),
            Some(&staff),
            "/beheer/kalenders",
        ),
        year,
        previous: year - 1,
        next: year + 1,
        calendars,
    })
}

fn calendar_view(calendar: &Calendar, year: i16) -> CalendarView {
    let date_words = servicenorm_core::terms::explain::long_date;
    let mut holidays: Vec<(String, String)> = calendar
        .holidays_in(year)
        .map(|h| (date_words(h.date), h.name.clone()))
        .collect();
    holidays.extend(
        calendar
            .spec()
            .closing_days
            .iter()
            .filter(|d| d.date.year() == year)
            .map(|d| (date_words(d.date), format!("{} (gesloten)", d.name))),
    );
    let hours = [
        (Weekday::Monday, "maandag"),
        (Weekday::Tuesday, "dinsdag"),
        (Weekday::Wednesday, "woensdag"),
        (Weekday::Thursday, "donderdag"),
        (Weekday::Friday, "vrijdag"),
        (Weekday::Saturday, "zaterdag"),
        (Weekday::Sunday, "zondag"),
    ]
    .into_iter()
    .map(|(day, name)| {
        let hours = calendar.spec().schedule.hours(day);
        let text = if hours.intervals().is_empty() {
            "gesloten".to_string()
        } else {
            hours.to_string()
        };
        (name, text)
    })
    .collect();
    let exceptions = calendar
        .spec()
        .exceptions
        .iter()
        .filter(|(date, _)| date.year() == year)
        .map(|(date, hours)| (date_words(*date), hours.to_string()))
        .collect();
    CalendarView {
        name: calendar.name().to_string(),
        holidays,
        hours,
        exceptions,
    }
}
