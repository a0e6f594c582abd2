//! What every request handler shares.

use std::sync::Arc;

use servicenorm_storage::Store;

use crate::{Clock, catalog_cache::CatalogCache, metrics::Metrics, web::FiguresCache};

#[derive(Clone)]
pub(crate) struct AppState {
    pub store: Store,
    pub catalogs: CatalogCache,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    /// Figures for the dashboard and the public page, counted a while ago.
    pub figures: FiguresCache,
}
