//! Where events from outside the API go (an import from the command line):
//! the same catalog check and the same store-and-judge as `POST /api/v1/events`.

use std::sync::Arc;

use jiff::Timestamp;
use servicenorm_core::{catalog::CatalogVersions, events::Event};
use servicenorm_storage::{Actor, AppendOutcome, StorageError, Store};

use crate::{app::StartError, ingest::set_aside, judge::store_judged};

/// Cheap to clone: a handle to the store and the catalogs.
#[derive(Clone)]
pub struct EventSink {
    store: Store,
    catalogs: Arc<CatalogVersions>,
}

impl EventSink {
    /// Opens the database (creating and migrating it) and makes sure the
    /// given catalog versions are stored, as `serve` does at its start.
    pub async fn open(
        database_url: &str,
        catalogs: &[(String, String)],
        now: Timestamp,
    ) -> Result<EventSink, StartError> {
        let store = Store::connect(database_url).await?;
        store.migrate().await?;
        let versions = crate::app::load_catalogs(&store, catalogs, now).await?;
        Ok(EventSink {
            store,
            catalogs: Arc::new(versions),
        })
    }

    /// Takes out every case with an event that does not fit the catalog in
    /// force on its day (and its `lines`): at which line, and why.
    pub fn set_aside(&self, events: &mut Vec<Event>, lines: &mut Vec<u64>) -> Vec<(u64, String)> {
        set_aside(&self.catalogs, events, lines)
    }

    /// Stores the events and judges their cases, in one transaction.
    pub async fn store(
        &self,
        events: &[Event],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<AppendOutcome, StorageError> {
        store_judged(&self.store, &self.catalogs, events, actor, now, &[]).await
    }

    pub async fn close(self) {
        self.store.close().await;
    }
}
