//! Messages to residents and e-mail to staff: the obligations, claimed by
//! one sender at a time, and the contact details they need.
//!
//! Several instances may send at once: a sender claims a message for a
//! while (`claimed_until`); on PostgreSQL the claim skips rows another
//! instance is claiming (`FOR UPDATE SKIP LOCKED`). An obligation has a
//! unique key, so it is queued once whatever the number of instances.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use crate::{
    Actor, OutboxItem, StorageError, Store,
    convert::{optional_instant, seconds_to_instant},
    queries::{Dialect, OUTBOX_COLUMNS},
    store::{on_pool, on_writer, outbox_item, write_audit},
};

/// The clocks whose message is due and not queued yet: a receipt and the
/// message that the answer comes later at once, a tussenbericht when its
/// clock is at risk.
const DUE_CLOCKS: &str = "message IS NOT NULL AND stop_at IS NULL \
    AND (message_queued IS NULL OR message_queued <> message) \
    AND (message <> 'tussenbericht' OR state = 'dreigt_te_verlopen')";

/// A message to send, as a sender claimed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageJob {
    pub id: i64,
    /// The same for every try: the sender makes the Message-ID from it.
    pub dedupe_key: String,
    pub case_id: String,
    pub norm_id: String,
    pub purpose: String,
    pub team: Option<String>,
    /// When the obligation was queued.
    pub created_at: Timestamp,
    /// Tries so far, this one included.
    pub attempts: i64,
}

/// A message as the case page and the API show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageRow {
    pub id: i64,
    pub norm_id: String,
    pub purpose: String,
    pub state: String,
    pub attempts: i64,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub last_error: Option<String>,
}

/// How to reach a resident about one case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<String>,
    /// The employee or team the resident can ask; the catalog's when empty.
    pub contact_person: Option<String>,
}

/// How a message ended without going out by e-mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// No e-mail address: an employee sends it another way.
    Task,
    /// The norm was met before the message went out.
    Unneeded,
    /// The mail server refused it for good, or every try failed.
    Failed,
}

impl Settled {
    fn state(self) -> &'static str {
        match self {
            Settled::Task => "taak",
            Settled::Unneeded => "overbodig",
            Settled::Failed => "mislukt",
        }
    }
}

impl Store {
    /// Queues one message per clock whose message is due; returns how many.
    pub async fn queue_messages(&self, now: Timestamp) -> Result<u64, StorageError> {
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            let queued = sqlx::query(dialect.sql(&format!(
                "INSERT INTO messages (dedupe_key, case_id, norm_id, purpose, team, created_at, \
                 state, next_attempt_at) \
                 SELECT case_id || '|' || norm_id || '|' || message, case_id, norm_id, message, \
                 team, ?, 'wachtend', ? FROM clocks WHERE {DUE_CLOCKS} \
                 ON CONFLICT (dedupe_key) DO NOTHING"
            )))
            .bind(now.as_second())
            .bind(now.as_second())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            // Only clocks whose message is there: on PostgreSQL each
            // statement sees the latest commits, so a clock that became due
            // after the insert above must stay due for the next pass.
            sqlx::query(dialect.sql(&format!(
                "UPDATE clocks SET message_queued = message WHERE {DUE_CLOCKS} \
                 AND EXISTS (SELECT 1 FROM messages m \
                 WHERE m.dedupe_key = clocks.case_id || '|' || clocks.norm_id || '|' || clocks.message)"
            )))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(queued)
        })
    }

    /// Claims up to `limit` messages that are due, for `lease` seconds, and
    /// counts the try.
    pub async fn claim_messages(
        &self,
        now: Timestamp,
        lease: i64,
        limit: usize,
    ) -> Result<Vec<MessageJob>, StorageError> {
        on_writer!(self, pool, dialect => {
            let sql = format!(
                "UPDATE messages SET claimed_until = ?, attempts = attempts + 1 \
                 WHERE id IN (SELECT id FROM messages WHERE state = 'wachtend' \
                 AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) \
                 ORDER BY next_attempt_at, id LIMIT ?{}) \
                 RETURNING id, dedupe_key, case_id, norm_id, purpose, team, created_at, attempts",
                skip_locked(dialect)
            );
            let rows = sqlx::query(dialect.sql(&sql))
                .bind(now.as_second() + lease)
                .bind(now.as_second())
                .bind(now.as_second())
                .bind(limit as i64)
                .fetch_all(pool)
                .await?;
            let mut jobs = rows
                .iter()
                .map(|row| {
                    Ok(MessageJob {
                        id: row.try_get("id")?,
                        dedupe_key: row.try_get("dedupe_key")?,
                        case_id: row.try_get("case_id")?,
                        norm_id: row.try_get("norm_id")?,
                        purpose: row.try_get("purpose")?,
                        team: row.try_get("team")?,
                        created_at: seconds_to_instant(row.try_get("created_at")?)?,
                        attempts: row.try_get("attempts")?,
                    })
                })
                .collect::<Result<Vec<_>, StorageError>>()?;
            jobs.sort_by_key(|j| j.id);
            Ok(jobs)
        })
    }

    /// The message went out at `at`.
    pub async fn message_sent(&self, id: i64, at: Timestamp) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            sqlx::query(dialect.sql(
                "UPDATE messages SET state = 'verstuurd', sent_at = ?, claimed_until = NULL, \
                 last_error = NULL WHERE id = ?",
            ))
            .bind(at.as_second())
            .bind(id)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// A try failed; the next one is at `retry_at`.
    pub async fn message_retry(
        &self,
        id: i64,
        error: &str,
        retry_at: Timestamp,
    ) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            sqlx::query(dialect.sql(
                "UPDATE messages SET next_attempt_at = ?, claimed_until = NULL, last_error = ? \
                 WHERE id = ?",
            ))
            .bind(retry_at.as_second())
            .bind(error)
            .bind(id)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Ends a message that will not go out by e-mail. For a task or a
    /// failure the team gets a notification (kind `bericht_zelf_sturen`)
    /// with the deadline of the clock, in the same transaction.
    pub async fn message_settled(
        &self,
        job: &MessageJob,
        how: Settled,
        error: Option<&str>,
        deadline: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            sqlx::query(dialect.sql(
                "UPDATE messages SET state = ?, claimed_until = NULL, \
                 last_error = COALESCE(?, last_error) WHERE id = ?",
            ))
            .bind(how.state())
            .bind(error)
            .bind(job.id)
            .execute(&mut *tx)
            .await?;
            if how != Settled::Unneeded {
                sqlx::query(dialect.sql(
                    "INSERT INTO outbox (dedupe_key, created_at, kind, case_id, norm_id, team, deadline) \
                     VALUES (?, ?, 'bericht_zelf_sturen', ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
                ))
                .bind(format!("taak|{}", job.dedupe_key))
                .bind(now.as_second())
                .bind(&job.case_id)
                .bind(&job.norm_id)
                .bind(&job.team)
                .bind(deadline.map(|d| d.as_second()))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The messages of one case, oldest first.
    pub async fn messages_of_case(&self, case_id: &str) -> Result<Vec<MessageRow>, StorageError> {
        on_pool!(self, pool, dialect => {
            let rows = sqlx::query(dialect.sql(
                "SELECT id, norm_id, purpose, state, attempts, created_at, sent_at, last_error \
                 FROM messages WHERE case_id = ? ORDER BY id",
            ))
            .bind(case_id)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(MessageRow {
                        id: row.try_get("id")?,
                        norm_id: row.try_get("norm_id")?,
                        purpose: row.try_get("purpose")?,
                        state: row.try_get("state")?,
                        attempts: row.try_get("attempts")?,
                        created_at: seconds_to_instant(row.try_get("created_at")?)?,
                        sent_at: optional_instant(row.try_get("sent_at")?)?,
                        last_error: row.try_get("last_error")?,
                    })
                })
                .collect()
        })
    }

    /// Sets how to reach the resident about a case. The audit log says
    /// that it changed, never the address.
    pub async fn put_contact(
        &self,
        case_id: &str,
        contact: &Contact,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            sqlx::query(dialect.sql(
                "INSERT INTO case_contacts (case_id, email, contact_person, updated_at) \
                 VALUES (?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET email = excluded.email, \
                 contact_person = excluded.contact_person, updated_at = excluded.updated_at",
            ))
            .bind(case_id)
            .bind(&contact.email)
            .bind(&contact.contact_person)
            .bind(now.as_second())
            .execute(&mut *tx)
            .await?;
            let detail = if contact.email.is_some() { "met e-mailadres" } else { "zonder e-mailadres" };
            write_audit!(tx, dialect, now, actor, "case.contact", case_id, detail);
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn contact(&self, case_id: &str) -> Result<Option<Contact>, StorageError> {
        on_pool!(self, pool, dialect => {
            let row = sqlx::query(dialect.sql(
                "SELECT email, contact_person FROM case_contacts WHERE case_id = ?",
            ))
            .bind(case_id)
            .fetch_optional(pool)
            .await?;
            row.map(|row| {
                Ok(Contact {
                    email: row.try_get("email")?,
                    contact_person: row.try_get("contact_person")?,
                })
            })
            .transpose()
        })
    }

    /// Deletes the contact details of cases with no clock running and no
    /// message waiting: they are needed for nothing any more. Details given
    /// in the last hour stay: their case's events may still be on the way.
    pub async fn forget_finished_contacts(&self, now: Timestamp) -> Result<u64, StorageError> {
        on_writer!(self, pool, dialect => {
            Ok(sqlx::query(dialect.sql(
                "DELETE FROM case_contacts WHERE updated_at < ? AND NOT EXISTS (SELECT 1 FROM clocks c \
                 WHERE c.case_id = case_contacts.case_id AND c.stop_at IS NULL) \
                 AND NOT EXISTS (SELECT 1 FROM messages m \
                 WHERE m.case_id = case_contacts.case_id AND m.state = 'wachtend')",
            ))
            .bind(now.as_second() - 3600)
            .execute(pool)
            .await?
            .rows_affected())
        })
    }

    /// Claims up to `limit` staff notifications of `teams`, made at or
    /// after `since`, that were not e-mailed yet, for `lease` seconds; each
    /// is tried at most `max_attempts` times.
    pub async fn claim_staff_mail(
        &self,
        teams: &[String],
        since: Timestamp,
        now: Timestamp,
        lease: i64,
        max_attempts: i64,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StorageError> {
        if teams.is_empty() {
            return Ok(Vec::new());
        }
        on_writer!(self, pool, dialect => {
            let sql = format!(
                "UPDATE outbox SET mail_claimed_until = ?, mail_attempts = mail_attempts + 1 \
                 WHERE id IN (SELECT id FROM outbox WHERE mailed_at IS NULL AND team IN ({}) \
                 AND created_at >= ? AND mail_attempts < ? \
                 AND (mail_claimed_until IS NULL OR mail_claimed_until <= ?) ORDER BY id LIMIT ?{}) \
                 RETURNING {OUTBOX_COLUMNS}",
                vec!["?"; teams.len()].join(", "),
                skip_locked(dialect)
            );
            let mut query = sqlx::query(dialect.sql(&sql)).bind(now.as_second() + lease);
            for team in teams {
                query = query.bind(team);
            }
            let rows = query
                .bind(since.as_second())
                .bind(max_attempts)
                .bind(now.as_second())
                .bind(limit as i64)
                .fetch_all(pool)
                .await?;
            let mut items = rows
                .iter()
                .map(|row| outbox_item!(row))
                .collect::<Result<Vec<_>, StorageError>>()?;
            items.sort_by_key(|i| i.id);
            Ok(items)
        })
    }

    /// These staff notifications went out by e-mail.
    pub async fn staff_mailed(&self, ids: &[i64], at: Timestamp) -> Result<(), StorageError> {
        if ids.is_empty() {
            return Ok(());
        }
        on_writer!(self, pool, dialect => {
            let sql = format!(
                "UPDATE outbox SET mailed_at = ?, mail_claimed_until = NULL WHERE id IN ({})",
                vec!["?"; ids.len()].join(", ")
            );
            let mut query = sqlx::query(dialect.sql(&sql)).bind(at.as_second());
            for id in ids {
                query = query.bind(id);
            }
            query.execute(pool).await?;
            Ok(())
        })
    }
}

/// PostgreSQL lets a claim pass over rows another instance is claiming.
fn skip_locked(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "",
        Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
    }
}
