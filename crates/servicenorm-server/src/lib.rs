//! servicenorm's service: front-office systems send events, staff and
//! dashboards read what is running, at risk and missed.
//!
//! [`Application::build`] starts the whole service on a listener (port 0 in
//! tests), so integration tests run the real thing over HTTP.

mod app;
pub mod auth;
mod catalog_cache;
pub mod clock;
mod ingest;
mod judge;
mod mail;
mod metrics;
pub mod probes;
mod problem;
pub mod roles;
mod routes;
pub mod sink;
mod state;
pub mod web;

pub use app::{Application, Settings, StartError};
pub use clock::{Clock, ManualClock, SystemClock};
pub use mail::{MailSettings, MailSettingsError};
pub use probes::{ProbeTarget, install_crypto_provider};
