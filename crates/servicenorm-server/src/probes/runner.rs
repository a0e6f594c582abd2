//! One target probed in its own task, one probe at a time.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use reqwest::Client;
use tokio::time::{Instant, MissedTickBehavior};

use super::{ProbeTarget, http, record, record::Recorder, slot, slot::Slot};
use crate::Clock;

/// How long a slot claim is kept: long after any instance could still
/// probe that slot.
const KEEP_CLAIMS: SignedDuration = SignedDuration::from_hours(24);

/// Probes `target` once per slot, in the middle of the slot. The next
/// probe waits for this one to end (one loop, each probe awaited), so
/// probes of a target never overlap; a probe ends within its timeout,
/// which is shorter than the interval.
pub(crate) async fn run(
    target: ProbeTarget,
    client: Client,
    recorder: Recorder,
    clock: Arc<dyn Clock>,
) {
    let every = target.every();
    let first = Instant::now() + slot::until_next_middle(clock.now(), every);
    let mut interval = tokio::time::interval_at(first, every);
    // A tick missed (a slow database) is skipped, not made up for with
    // probes back to back.
    interval.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        interval.tick().await;
        let now = clock.now();
        if slot::drifted(now, every) {
            interval.reset_at(Instant::now() + slot::until_middle_of_next_slot(now, every));
        }
        probe_slot(&target, &client, &recorder, clock.as_ref(), now).await;
    }
}

/// Claims the slot `now` falls in and, when no other instance did, probes
/// the target and stores what it found.
async fn probe_slot(
    target: &ProbeTarget,
    client: &Client,
    recorder: &Recorder,
    clock: &dyn Clock,
    now: Timestamp,
) {
    let name = target.name();
    let slot = Slot::containing(now, target.every());
    let forget_before = slot
        .start()
        .checked_sub(KEEP_CLAIMS)
        .unwrap_or(Timestamp::MIN);
    match recorder
        .store
        .claim_probe_slot(name, slot.start(), forget_before)
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!(probe = name, "een andere instantie controleert deze keer");
            return;
        }
        Err(error) => {
            // Without the claim a second instance might probe too, and the
            // result could not be stored anyway.
            tracing::warn!(probe = name, %error, "websitecontrole overgeslagen: de beurt kon niet in de database worden vastgelegd");
            return;
        }
    }
    let outcome = http::probe(client, target.url(), target.timeout()).await;
    let status = outcome.status.map(|s| s.as_u16());
    let ttfb_ms = outcome.time_to_first_byte.map(|d| d.as_millis());
    if outcome.ok() {
        tracing::debug!(probe = name, status, ttfb_ms, "website bereikbaar");
    } else {
        tracing::warn!(
            probe = name,
            status,
            reason = outcome
                .failure
                .as_deref()
                .unwrap_or("foutcode van de website"),
            "website niet bereikbaar"
        );
    }
    let event = record::event(target, slot, now, &outcome);
    if let Err(error) = recorder.store(target, event, clock.now()).await {
        tracing::warn!(probe = name, %error, "websitecontrole niet opgeslagen");
    }
}
