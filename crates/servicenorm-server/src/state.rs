//! What every request handler shares.

use std::sync::Arc;

use servicenorm_core::catalog::CatalogVersions;
use servicenorm_storage::Store;

use crate::{Clock, metrics::Metrics};

#[derive(Clone)]
pub(crate) struct AppState {
    pub store: Store,
    pub catalogs: Arc<CatalogVersions>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
}
