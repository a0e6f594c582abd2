//! Logging in and out. After five wrong passwords in a row an account is
//! locked for fifteen minutes; the message never says whether a name exists.

use std::sync::OnceLock;

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Redirect, Response},
};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use crate::{
    auth,
    state::AppState,
    web::{
        page::{Layout, PageError, render},
        password,
        session::{
            LOGIN_FORM_COOKIE, SESSION_COOKIE, SESSION_LENGTH, Staff, cookie, expires,
            random_token, same, set_cookie,
        },
        words::short_moment,
    },
};

/// Wrong passwords in a row before the account locks.
pub(crate) const MAX_FAILURES: i64 = 5;
pub(crate) const LOCK: SignedDuration = SignedDuration::from_mins(15);

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    form_token: String,
    back: String,
    name: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct LoginQuery {
    terug: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    terug: String,
}

/// Only a path on this site: never a redirect to elsewhere.
fn safe_back(back: &str) -> String {
    if back.starts_with('/') && !back.starts_with("//") && !back.contains('\\') {
        back.to_string()
    } else {
        "/werkvoorraad".to_string()
    }
}

fn login_page(
    state: &AppState,
    back: &str,
    name: &str,
    error: Option<String>,
    status: axum::http::StatusCode,
) -> Result<Response, PageError> {
    let form_token = random_token()?;
    let page = LoginPage {
        layout: Layout::new(state, "Inloggen", None, "/inloggen"),
        form_token: form_token.clone(),
        back: safe_back(back),
        name: name.to_string(),
        error,
    };
    let mut response = render(&page)?;
    *response.status_mut() = status;
    if let Ok(value) = set_cookie(
        LOGIN_FORM_COOKIE,
        &form_token,
        SignedDuration::from_hours(1),
    )
    .parse()
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

pub(crate) async fn form(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
) -> Result<Response, PageError> {
    login_page(
        &state,
        query.terug.as_deref().unwrap_or("/werkvoorraad"),
        "",
        None,
        axum::http::StatusCode::OK,
    )
}

/// A hash to check against when the name is unknown, so that an unknown
/// name takes as long as a wrong password.
fn stand_in_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash("niet-bestaand-account").unwrap_or_default())
}

async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || password::verify(&password, &hash))
        .await
        .unwrap_or(false)
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let again = |error: String| {
        login_page(
            &state,
            &form.terug,
            &form.name,
            Some(error),
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if !cookie(&headers, LOGIN_FORM_COOKIE).is_some_and(|expected| same(&form.csrf, expected)) {
        return again(
            "Het formulier was verlopen. Vul uw naam en wachtwoord opnieuw in.".to_string(),
        );
    }
    let name = form.name.trim();
    if name.is_empty() || form.password.is_empty() {
        return again("Vul uw naam en uw wachtwoord in.".to_string());
    }
    let now = state.clock.now();
    let wrong = "Uw naam of wachtwoord klopt niet. Let op: na 5 keer een verkeerd wachtwoord gaat uw account 15 minuten op slot.".to_string();
    let Some(user) = state.store.user(name).await? else {
        let _ = verify(form.password.clone(), stand_in_hash().to_string()).await;
        return again(wrong);
    };
    if let Some(until) = user.locked_until.filter(|until| *until > now) {
        return again(locked(until));
    }
    if !verify(form.password.clone(), user.password_hash.clone()).await {
        let until = now.checked_add(LOCK).unwrap_or(now);
        state.store.login_failed(name, MAX_FAILURES, until).await?;
        tracing::info!("inloggen mislukt");
        if user.failed_logins + 1 >= MAX_FAILURES {
            return again(locked(until));
        }
        return again(wrong);
    }
    let token = random_token()?;
    let csrf = random_token()?;
    state
        .store
        .create_session(&auth::hash(&token), name, &csrf, now, expires(now))
        .await?;
    let mut response = Redirect::to(&safe_back(&form.terug)).into_response();
    for value in [
        set_cookie(SESSION_COOKIE, &token, SESSION_LENGTH),
        set_cookie(LOGIN_FORM_COOKIE, "", SignedDuration::ZERO),
    ] {
        if let Ok(value) = value.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

fn locked(until: Timestamp) -> String {
    format!(
        "Uw account is op slot, omdat er te vaak een verkeerd wachtwoord is gebruikt. Probeer het opnieuw na {}.",
        short_moment(until)
    )
}

#[derive(Deserialize)]
pub(crate) struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<LogoutForm>,
) -> Result<Response, PageError> {
    staff.check_form(&form.csrf)?;
    state.store.delete_session(&staff.session_hash).await?;
    let mut response = Redirect::to("/inloggen").into_response();
    if let Ok(value) = set_cookie(SESSION_COOKIE, "", SignedDuration::ZERO).parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
