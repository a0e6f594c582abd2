//! Staff accounts and their login sessions, for the pages.
//!
//! Passwords and session tokens are hashed by the caller: the store never
//! sees a password or a live token.

use jiff::Timestamp;
use sqlx::Row;

use crate::{
    Actor, StorageError, Store,
    convert::optional_instant,
    queries::Dialect,
    store::{is_unique_violation, on_pool, on_writer, write_audit},
};

/// An account to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub name: String,
    /// An argon2 hash in PHC form.
    pub password_hash: String,
    /// `medewerker`, `teamleider` or `beheerder`.
    pub role: String,
    pub team: Option<String>,
}

/// A stored account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub team: Option<String>,
    pub failed_logins: i64,
    pub locked_until: Option<Timestamp>,
}

/// A live session with its account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub user: UserRow,
    /// The form token that every form of this session must send back.
    pub csrf: String,
    pub expires_at: Timestamp,
}

const INSERT_USER: &str = "INSERT INTO users (name, password_hash, role, team, created_at) \
    VALUES (?, ?, ?, ?, ?)";
const SELECT_USER: &str = "SELECT name, password_hash, role, team, failed_logins, locked_until \
    FROM users WHERE name = ?";
const LIST_USERS: &str = "SELECT name, password_hash, role, team, failed_logins, locked_until \
    FROM users ORDER BY name";
/// One more failed login; at `max` failures in a row the account locks.
const LOGIN_FAILED: &str = "UPDATE users SET failed_logins = failed_logins + 1, \
    locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE name = ?";
const LOGIN_SUCCEEDED: &str =
    "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = ?";
const INSERT_SESSION: &str = "INSERT INTO sessions (hash, user_name, csrf, created_at, expires_at) \
    VALUES (?, ?, ?, ?, ?)";
const SELECT_SESSION: &str = "SELECT u.name, u.password_hash, u.role, u.team, u.failed_logins, \
    u.locked_until, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.name = s.user_name \
    WHERE s.hash = ? AND s.expires_at > ?";
const DELETE_SESSION: &str = "DELETE FROM sessions WHERE hash = ?";
const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= ?";

/// Reads a user from a row of either database; a macro because the two
/// row types share no trait that `try_get` of every column type needs.
macro_rules! user_from {
    ($row:expr) => {{
        let row = $row;
        Ok::<UserRow, StorageError>(UserRow {
            name: row.try_get("name")?,
            password_hash: row.try_get("password_hash")?,
            role: row.try_get("role")?,
            team: row.try_get("team")?,
            failed_logins: row.try_get("failed_logins")?,
            locked_until: optional_instant(row.try_get("locked_until")?)?,
        })
    }};
}

impl Store {
    /// Creates an account; a name can be used once.
    pub async fn create_user(
        &self,
        user: &NewUser,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            let inserted = sqlx::query(dialect.sql(INSERT_USER))
                .bind(&user.name)
                .bind(&user.password_hash)
                .bind(&user.role)
                .bind(&user.team)
                .bind(now.as_second())
                .execute(&mut *tx)
                .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => {
                    return Err(StorageError::UserExists(user.name.clone()));
                }
                other => other?,
            };
            write_audit!(tx, dialect, now, actor, "user.create", &user.name, &user.role);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The account with this name, if any.
    pub async fn user(&self, name: &str) -> Result<Option<UserRow>, StorageError> {
        on_pool!(self, pool, dialect => {
            let row = sqlx::query(dialect.sql(SELECT_USER))
                .bind(name)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(|row| user_from!(row)).transpose()
        })
    }

    /// Every account, by name.
    pub async fn users(&self) -> Result<Vec<UserRow>, StorageError> {
        on_pool!(self, pool, dialect => {
            let rows = sqlx::query(dialect.sql(LIST_USERS)).fetch_all(pool).await?;
            rows.iter().map(|row| user_from!(row)).collect()
        })
    }

    /// Counts a failed login; the `max`-th failure in a row locks the
    /// account until `lock_until`.
    pub async fn login_failed(
        &self,
        name: &str,
        max: i64,
        lock_until: Timestamp,
    ) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            sqlx::query(dialect.sql(LOGIN_FAILED))
                .bind(max)
                .bind(lock_until.as_second())
                .bind(name)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Starts a session after a good login: the failures are forgotten.
    /// `hash` is the hash of the token in the cookie.
    pub async fn create_session(
        &self,
        hash: &str,
        user: &str,
        csrf: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            sqlx::query(dialect.sql(LOGIN_SUCCEEDED))
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query(dialect.sql(DELETE_EXPIRED_SESSIONS))
                .bind(now.as_second())
                .execute(&mut *tx)
                .await?;
            sqlx::query(dialect.sql(INSERT_SESSION))
                .bind(hash)
                .bind(user)
                .bind(csrf)
                .bind(now.as_second())
                .bind(expires_at.as_second())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The session with this token hash, if it has not expired.
    pub async fn session(
        &self,
        hash: &str,
        now: Timestamp,
    ) -> Result<Option<SessionRow>, StorageError> {
        on_pool!(self, pool, dialect => {
            let row = sqlx::query(dialect.sql(SELECT_SESSION))
                .bind(hash)
                .bind(now.as_second())
                .fetch_optional(pool)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let expires: i64 = row.try_get("expires_at")?;
            Ok(Some(SessionRow {
                user: user_from!(&row)?,
                csrf: row.try_get("csrf")?,
                expires_at: crate::convert::seconds_to_instant(expires)?,
            }))
        })
    }

    /// Ends a session (logging out).
    pub async fn delete_session(&self, hash: &str) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            sqlx::query(dialect.sql(DELETE_SESSION))
                .bind(hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}
