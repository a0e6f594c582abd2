//! The catalog versions the service judges by, swapped whole when a new
//! version is uploaded here or (seen by the scheduler) on another instance.

use std::sync::{Arc, RwLock};

use servicenorm_core::{
    catalog::{self, CatalogVersions},
    diagnostics::DefinitionError,
};
use servicenorm_storage::{StorageError, Store};

#[derive(Clone)]
pub(crate) struct CatalogCache {
    current: Arc<RwLock<Arc<CatalogVersions>>>,
}

impl CatalogCache {
    pub fn new(versions: CatalogVersions) -> Self {
        Self {
            current: Arc::new(RwLock::new(Arc::new(versions))),
        }
    }

    /// The versions now in use; a request keeps the same ones to its end.
    pub fn current(&self) -> Arc<CatalogVersions> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            // A writer cannot leave the Arc half-written, so the value is sound.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn replace(&self, versions: CatalogVersions) {
        let mut guard = match self.current.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = Arc::new(versions);
    }

    /// Reloads from the store when it holds a different number of versions
    /// than are in use: versions are only ever added, so the count tells.
    pub async fn refresh(&self, store: &Store) -> Result<bool, RefreshError> {
        let current = self.current();
        let Some(latest) = current.latest() else {
            return Ok(false);
        };
        let stored = store.catalogs(&latest.id).await?;
        if stored.len() == current.versions().len() {
            return Ok(false);
        }
        self.replace(parse_stored(&stored)?);
        Ok(true)
    }
}

/// Parses stored versions of one catalog together, as `catalog check` does.
pub(crate) fn parse_stored(
    stored: &[servicenorm_storage::StoredCatalog],
) -> Result<CatalogVersions, DefinitionError> {
    let origins: Vec<String> = stored
        .iter()
        .map(|s| format!("{} ({})", s.catalog_id, s.valid_from))
        .collect();
    let pairs: Vec<(&str, &str)> = stored
        .iter()
        .zip(&origins)
        .map(|(s, o)| (s.toml.as_str(), o.as_str()))
        .collect();
    catalog::parse_versions(&pairs)
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum RefreshError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Catalog(#[from] DefinitionError),
}
