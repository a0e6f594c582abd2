//! A probe as a `probe` event, stored and judged the way the API stores
//! and judges events, so that the uptime ratio norm counts it in reports
//! and on the public page.

use std::sync::Arc;

use jiff::Timestamp;
use servicenorm_core::events::{AttributeKey, Event, EventType, Value};
use servicenorm_storage::{Actor, StorageError, Store};

use super::{ProbeTarget, http::Outcome, slot, slot::Slot};
use crate::{catalog_cache::CatalogCache, judge::store_judged, metrics::Metrics};

/// The event of one probe of `target` in `slot`, made at `at`: `ok`, and
/// the status and time to first byte when a response head arrived.
pub(crate) fn event(target: &ProbeTarget, slot: Slot, at: Timestamp, outcome: &Outcome) -> Event {
    let mut event = blank(target, slot, at);
    let mut add = |key, value| {
        // Each key is added once, to an empty set: this cannot fail.
        let _ = event.attributes.insert(key, value);
    };
    add(AttributeKey::Ok, Value::Bool(outcome.ok()));
    if let Some(status) = outcome.status {
        add(
            AttributeKey::HttpStatus,
            Value::Integer(i64::from(status.as_u16())),
        );
    }
    if let Some(ttfb) = outcome.time_to_first_byte {
        let ms = i64::try_from(ttfb.as_millis()).unwrap_or(i64::MAX);
        add(AttributeKey::TtfbMs, Value::Integer(ms));
    }
    event
}

/// A probe event without its findings: its ids, instant and case details.
pub(crate) fn blank(target: &ProbeTarget, slot: Slot, at: Timestamp) -> Event {
    // Events are stored to the second; the event judged now is the one
    // read back later.
    let at = Timestamp::from_second(at.as_second()).unwrap_or(at);
    let mut event = Event::new(
        slot.event_id(target.name()),
        slot::case_id(target.name(), at),
        EventType::Probe,
        at,
    );
    event.case_type = Some(Arc::from(target.case_type()));
    event.team = target.team().map(Arc::from);
    event.municipality = target.municipality().map(Arc::from);
    event
}

/// Why a probe was not stored.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RecordError {
    #[error("de controle past niet bij de catalogus: {0}")]
    Unfit(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Where probes go: the store, each judged with the catalog versions in use.
#[derive(Clone)]
pub(crate) struct Recorder {
    pub store: Store,
    pub catalogs: CatalogCache,
    pub metrics: Arc<Metrics>,
}

impl Recorder {
    /// Checks the event against the catalog in force on its day, stores it
    /// and judges its case again, as `POST /api/v1/events` does.
    ///
    /// The cached figures of the dashboard and public page are left as they
    /// are (the API clears them): a probe a minute moves a ratio by a hair,
    /// and counting every case of a quarter again each minute would not.
    pub async fn store(
        &self,
        target: &ProbeTarget,
        event: Event,
        now: Timestamp,
    ) -> Result<(), RecordError> {
        let catalogs = self.catalogs.current();
        let events = std::slice::from_ref(&event);
        crate::ingest::check(&catalogs, events).map_err(|rejected| {
            RecordError::Unfit(format!("{}: {}", rejected.field, rejected.detail))
        })?;
        let actor = Actor::new(target.name(), "websitecontrole");
        let outcome = store_judged(&self.store, &catalogs, events, &actor, now, &[]).await?;
        self.metrics.ingested(outcome.stored);
        Ok(())
    }
}
