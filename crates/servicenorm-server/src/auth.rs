//! API tokens with scopes. Only a SHA-256 hash of a token is stored: a
//! token is 32 random bytes, so a fast hash is enough to make a stolen
//! database useless for calling the API.

use axum::{extract::FromRequestParts, http::request::Parts};
use servicenorm_storage::Actor;
use sha2::{Digest, Sha256};

use crate::{problem::ApiError, state::AppState};

/// What a token may do. Each scope includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Read,
    Write,
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Result<Scope, String> {
        match text.trim() {
            "read" => Ok(Scope::Read),
            "write" => Ok(Scope::Write),
            "admin" => Ok(Scope::Admin),
            other => Err(format!(
                "onbekende scope \"{other}\": kies read, write of admin"
            )),
        }
    }
}

/// A new token: shown once to whoever made it; only the hash is kept.
pub struct NewToken {
    pub token: String,
    pub hash: String,
}

/// Makes a token from the operating system's random source.
pub fn new_token() -> Result<NewToken, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("geen willekeurige bytes: {e}"))?;
    let token = format!("sn_{}", hex::encode(bytes));
    let hash = hash(&token);
    Ok(NewToken { token, hash })
}

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The caller of a request, known by a valid bearer token.
pub(crate) struct Caller {
    pub name: String,
    pub scope: Scope,
}

impl Caller {
    /// Refuses the request unless the token has `needed`.
    pub fn require(&self, needed: Scope) -> Result<(), ApiError> {
        if self.scope >= needed {
            Ok(())
        } else {
            Err(ApiError::Forbidden {
                detail: format!(
                    "token \"{}\" mag dit niet: hiervoor is scope {} nodig",
                    self.name,
                    needed.as_str()
                ),
            })
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::new(self.name.clone(), format!("token:{}", self.name))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let missing = || ApiError::Unauthorized {
            detail: "geef een geldig API-token mee: Authorization: Bearer sn_...".to_string(),
        };
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(missing)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(missing)?;
        let row = state
            .store
            .token(&hash(token.trim()))
            .await?
            .ok_or_else(missing)?;
        let scope = row
            .scopes
            .split_whitespace()
            .filter_map(|s| Scope::parse(s).ok())
            .max()
            .ok_or_else(missing)?;
        Ok(Caller {
            name: row.name,
            scope,
        })
    }
}
