//! Staff sessions: a random token in an HttpOnly, Secure, SameSite=Strict
//! cookie, only its hash in the database; and the form token (CSRF) that
//! every form of the session sends back.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
};
use jiff::{SignedDuration, Timestamp};
use servicenorm_storage::Actor;

use crate::{
    auth,
    roles::{Permission, Role},
    state::AppState,
    web::page::PageError,
};

pub(crate) const SESSION_COOKIE: &str = "servicenorm_sessie";
/// Before login there is no session: the login form's token is checked
/// against this cookie instead (double submit).
pub(crate) const LOGIN_FORM_COOKIE: &str = "servicenorm_formulier";
/// A session lasts a working day.
pub(crate) const SESSION_LENGTH: SignedDuration = SignedDuration::from_hours(9);

/// A member of staff who is logged in.
pub(crate) struct Staff {
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub csrf: String,
    /// The hash of the session token, to end the session.
    pub session_hash: String,
}

impl Staff {
    pub fn require(&self, permission: Permission) -> Result<(), PageError> {
        if self.role.may(permission) {
            Ok(())
        } else {
            Err(PageError::Forbidden)
        }
    }

    /// Refuses a form whose token is not this session's.
    pub fn check_form(&self, sent: &str) -> Result<(), PageError> {
        if same(sent, &self.csrf) {
            Ok(())
        } else {
            Err(PageError::FormExpired)
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::new(self.name.clone(), format!("sessie:{}", self.name))
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Staff, PageError> {
        let back = parts
            .uri
            .path_and_query()
            .map_or("/werkvoorraad".to_string(), |p| p.as_str().to_string());
        let login = || PageError::LoginNeeded { back: back.clone() };
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or_else(login)?;
        let session_hash = auth::hash(token);
        let session = state
            .store
            .session(&session_hash, state.clock.now())
            .await?
            .ok_or_else(login)?;
        let role = Role::parse(&session.user.role).map_err(PageError::Internal)?;
        Ok(Staff {
            name: session.user.name,
            role,
            team: session.user.team,
            csrf: session.csrf,
            session_hash,
        })
    }
}

/// The value of cookie `name`, if the request has it.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value for a cookie only the server reads.
pub(crate) fn set_cookie(name: &str, value: &str, max_age: SignedDuration) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
        max_age.as_secs().max(0)
    )
}

/// A random token for a cookie or a form.
pub(crate) fn random_token() -> Result<String, PageError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

/// Compares two tokens in time that does not depend on where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(crate) fn expires(now: Timestamp) -> Timestamp {
    now.checked_add(SESSION_LENGTH).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            "a=1; servicenorm_sessie=abc".parse().unwrap(),
        );
        headers.append(header::COOKIE, "b=2".parse().unwrap());
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "b"), Some("2"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abcd", "abcd"));
        assert!(!same("abcd", "abce"));
        assert!(!same("abc", "abcd"));
        assert!(!same("", ""));
    }
}
