//! The loop that sends what the outbox holds: messages to residents, then
//! notifications to staff.

use std::time::SystemTime;

use jiff::{SignedDuration, Timestamp};
use lettre::{
    AsyncTransport, Message,
    message::{Mailbox, header::ContentType},
};
use servicenorm_storage::{Actor, MessageJob, Settled};
use sha2::{Digest, Sha256};

use super::{
    MailSettings,
    compose::{Composed, compose},
    settings::Checked,
    staff,
    transport::{self, Smtp},
};
use crate::{ingest::store_and_judge, problem::ApiError, state::AppState};

/// How long a sender holds a message before another may try it.
const LEASE_SECONDS: i64 = 120;
/// After this many failed tries a message goes to staff instead, and a
/// notification is no longer e-mailed.
pub(super) const MAX_ATTEMPTS: i64 = 8;
/// The contact details of a case may come a moment after its events (a
/// second request): a message without an address waits this long before it
/// becomes a task for the team.
const WAIT_FOR_CONTACT: SignedDuration = SignedDuration::from_mins(2);

/// Sends every `settings.every` until the task is stopped.
pub(crate) async fn run(state: AppState, settings: MailSettings) {
    let (smtp, checked) = match (transport::build(&settings.url), settings.checked()) {
        (Ok(smtp), Ok(checked)) => (smtp, checked),
        (Err(error), _) | (_, Err(error)) => {
            tracing::error!(%error, "e-mail staat uit: instellingen niet bruikbaar");
            return;
        }
    };
    let mut interval = tokio::time::interval(settings.every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(error) = round(&state, &smtp, &checked).await {
            tracing::warn!(error = ?error, "berichten konden niet worden verstuurd");
        }
    }
}

/// One pass: queue what became due, send what is claimed, mail staff, and
/// forget contact details no longer needed.
pub(crate) async fn round(
    state: &AppState,
    smtp: &Smtp,
    settings: &Checked,
) -> Result<(), ApiError> {
    let now = state.clock.now();
    let queued = state.store.queue_messages(now).await?;
    if queued > 0 {
        tracing::debug!(queued, "berichten klaargezet");
    }
    loop {
        let jobs = state.store.claim_messages(now, LEASE_SECONDS, 20).await?;
        if jobs.is_empty() {
            break;
        }
        for job in &jobs {
            // One message that cannot be handled (the database away for a
            // moment) must not hold up the others: its claim runs out and
            // it is tried again.
            if let Err(error) = deliver(state, smtp, settings, job, now).await {
                tracing::warn!(message = job.id, error = ?error, "bericht kon niet worden behandeld");
                if job.attempts >= MAX_ATTEMPTS {
                    let problem = "bericht kon niet worden afgehandeld";
                    state
                        .store
                        .message_settled(job, Settled::Failed, Some(problem), None, now)
                        .await?;
                }
            }
        }
    }
    staff::round(state, smtp, settings, now, LEASE_SECONDS).await?;
    state.store.forget_finished_contacts(now).await?;
    Ok(())
}

async fn deliver(
    state: &AppState,
    smtp: &Smtp,
    settings: &Checked,
    job: &MessageJob,
    now: Timestamp,
) -> Result<(), ApiError> {
    let ready = match compose(state, job, now).await? {
        Composed::Unneeded => {
            return Ok(state
                .store
                .message_settled(job, Settled::Unneeded, None, None, now)
                .await?);
        }
        Composed::AlreadyRecorded => return Ok(state.store.message_sent(job.id, now).await?),
        Composed::Ready(ready) => ready,
    };
    let Some(to) = ready.to.as_deref().and_then(|t| t.parse::<Mailbox>().ok()) else {
        let wait_until = job.created_at + WAIT_FOR_CONTACT;
        if now < wait_until {
            return Ok(state
                .store
                .message_retry(job.id, "wacht op contactgegevens", wait_until)
                .await?);
        }
        // No address: the team gets a task to send it another way.
        return Ok(state
            .store
            .message_settled(job, Settled::Task, None, ready.deadline, now)
            .await?);
    };
    let message = match letter(settings, to, job, &ready.filled, now) {
        Ok(message) => message,
        Err(error) => {
            let problem = format!("bericht niet op te maken: {error}");
            return Ok(state
                .store
                .message_settled(job, Settled::Failed, Some(&problem), ready.deadline, now)
                .await?);
        }
    };
    tracing::debug!(
        message = job.id,
        attempt = job.attempts,
        "bericht naar de mailserver"
    );
    match smtp.send(message).await {
        Ok(_) => {
            // Recorded first: the norm is met at the moment it went out.
            // The event id is the same on every try, so a repeat stores nothing.
            let actor = Actor::new("servicenorm", "e-mail");
            store_and_judge(state, std::slice::from_ref(&ready.event), &actor).await?;
            state.store.message_sent(job.id, now).await?;
            tracing::info!(message = job.id, purpose = %job.purpose, "bericht verstuurd");
        }
        Err(error) => {
            let problem = transport::describe(&error);
            if error.is_permanent() || job.attempts >= MAX_ATTEMPTS {
                tracing::warn!(
                    message = job.id,
                    problem,
                    "bericht niet verstuurd; taak voor het team"
                );
                state
                    .store
                    .message_settled(job, Settled::Failed, Some(&problem), ready.deadline, now)
                    .await?;
            } else {
                let retry_at = now + backoff(job.attempts);
                tracing::info!(message = job.id, problem, %retry_at, "bericht later opnieuw");
                state
                    .store
                    .message_retry(job.id, &problem, retry_at)
                    .await?;
            }
        }
    }
    Ok(())
}

/// 30 seconds after the first failure, doubling, at most an hour.
pub(crate) fn backoff(attempts: i64) -> SignedDuration {
    let doublings = attempts.clamp(1, 8) - 1;
    SignedDuration::from_secs((30_i64 << doublings).min(3600))
}

/// The e-mail itself. Its Message-ID comes from the obligation, so a
/// repeat after a crash is the same message to the receiving server.
fn letter(
    settings: &Checked,
    to: Mailbox,
    job: &MessageJob,
    filled: &servicenorm_core::messages::Filled,
    now: Timestamp,
) -> Result<Message, lettre::error::Error> {
    let mut builder = Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject(filled.subject.clone())
        .date(SystemTime::from(now))
        .message_id(Some(message_id(&job.dedupe_key, settings)))
        .header(ContentType::TEXT_PLAIN);
    if let Some(reply_to) = &settings.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    builder.body(filled.text.clone())
}

pub(crate) fn message_id(key: &str, settings: &Checked) -> String {
    let digest = Sha256::digest(key.as_bytes());
    format!(
        "<{}@{}>",
        hex::encode(&digest[..16]),
        settings.from.email.domain()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_an_hour() {
        let seconds: Vec<i64> = (1..=9).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(seconds, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
