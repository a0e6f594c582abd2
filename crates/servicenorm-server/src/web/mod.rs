//! The pages, in Dutch: a work queue for staff, a dashboard for team
//! leads, catalog and calendars for functional administrators, and the
//! public page on which residents see how well promises are kept.
//!
//! Server-rendered HTML (askama templates in `templates/`) with NL Design
//! System class names; everything, the stylesheet too, is in the binary:
//! no CDN, no font or script from elsewhere. Every form works without
//! JavaScript.

mod admin;
mod case;
mod charts;
mod dashboard;
mod extras;
mod figures;
mod forms;
mod login;
mod page;
pub mod password;
mod public;
mod queue;
mod register;
mod session;
pub(crate) mod words;

use axum::{
    Router,
    http::header,
    response::{IntoResponse, Redirect},
    routing::get,
};

pub(crate) use figures::FiguresCache;

use crate::state::AppState;

const STYLESHEET: &str = include_str!("../../assets/servicenorm.css");

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/servicenormen") }))
        .route("/assets/servicenorm.css", get(stylesheet))
        .route("/servicenormen", get(public::page))
        .route("/inloggen", get(login::form).post(login::submit))
        .route("/uitloggen", axum::routing::post(login::logout))
        .route("/werkvoorraad", get(queue::page))
        .route("/contact/nieuw", get(register::form).post(register::submit))
        .route("/zaken/{case_id}", get(case::page).post(case::record))
        .route("/dashboard", get(dashboard::page))
        .route("/dashboard/export.csv", get(dashboard::export))
        .route("/dashboard/rapport", get(dashboard::report))
        .route("/beheer/catalogus", get(admin::catalog))
        .route(
            "/beheer/catalogus/controle",
            axum::routing::post(admin::check),
        )
        .route(
            "/beheer/catalogus/opslaan",
            axum::routing::post(admin::save),
        )
        .route("/beheer/kalenders", get(admin::calendars))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}
