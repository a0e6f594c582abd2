//! The configured targets, checked at the start and each given its HTTP
//! client, ready to run.

use std::sync::Arc;

use jiff::Timestamp;
use reqwest::Client;
use servicenorm_core::catalog::CatalogVersions;
use tokio::task::JoinSet;

use super::{ProbeTarget, client::client, record, record::Recorder, runner::run, slot::Slot};
use crate::Clock;

/// Why the configured probes cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ProbesError {
    #[error(
        "websitecontrole \"{0}\" staat twee keer in de instellingen: geef elke controle een eigen naam (name)"
    )]
    Duplicate(String),
    #[error("websitecontrole \"{name}\": de HTTP-client kan niet worden gemaakt: {source}")]
    Client {
        name: String,
        source: reqwest::Error,
    },
    #[error("websitecontrole \"{name}\" past niet bij de catalogus: {detail}")]
    Unfit { name: String, detail: String },
}

/// The configured targets, each with its HTTP client, ready to run.
pub(crate) struct Probes {
    targets: Vec<(ProbeTarget, Client)>,
}

impl Probes {
    /// Makes each target's client. Names must differ: a name is the key of
    /// the target's slots, cases and events.
    pub fn new(targets: Vec<ProbeTarget>) -> Result<Probes, ProbesError> {
        let mut ready: Vec<(ProbeTarget, Client)> = Vec::with_capacity(targets.len());
        for target in targets {
            if ready.iter().any(|(t, _)| t.name() == target.name()) {
                return Err(ProbesError::Duplicate(target.name().into()));
            }
            let client = client(target.timeout()).map_err(|source| ProbesError::Client {
                name: target.name().into(),
                source,
            })?;
            ready.push((target, client));
        }
        Ok(Probes { targets: ready })
    }

    /// Checks that the catalog in force at `now` takes each target's probes
    /// (its case type and municipality), so that a mistake stops the start
    /// instead of every probe. With no catalog in force yet there is nothing
    /// to check against; each probe is checked again when it is stored.
    pub fn check(&self, catalogs: &CatalogVersions, now: Timestamp) -> Result<(), ProbesError> {
        let today = servicenorm_core::time::Moment::in_amsterdam(now).date();
        if catalogs.in_force(today).is_none() {
            return Ok(());
        }
        for (target, _) in &self.targets {
            let slot = Slot::containing(now, target.every());
            let event = record::blank(target, slot, now);
            crate::ingest::check(catalogs, &[event]).map_err(|rejected| ProbesError::Unfit {
                name: target.name().into(),
                detail: format!("{}: {}", rejected.field, rejected.detail),
            })?;
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Starts one task per target; aborting the set stops them all.
    pub fn spawn(self, recorder: Recorder, clock: Arc<dyn Clock>) -> JoinSet<()> {
        let mut tasks = JoinSet::new();
        for (target, client) in self.targets {
            tasks.spawn(run(target, client, recorder.clone(), clock.clone()));
        }
        tasks
    }
}
