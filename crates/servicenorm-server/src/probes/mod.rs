//! Probing websites, so that "Onze websites zijn 24/7 toegankelijk" is
//! measured by servicenorm itself.
//!
//! Each configured [`ProbeTarget`] is probed in its own task, once per
//! slot of its interval: a GET of its URL, cut off at its timeout, timed to
//! the response head. Each probe becomes one `probe` event (`ok`,
//! `http_status`, `ttfb_ms`) in the case `controle:{name}:{day}`, stored and
//! judged like an event from the API, so the uptime ratio norm of the
//! catalog counts it. Instances sharing a database claim each slot in it
//! first: one probe per target and slot, whichever instance makes it.
//!
//! Slots follow the injected [`Clock`](crate::Clock): with a clock that
//! stands still every probe falls in the same slot, and only the first is
//! made.

mod client;
mod configured;
mod http;
mod record;
mod runner;
mod slot;
mod target;

pub use client::install_crypto_provider;
pub(crate) use configured::Probes;
pub use configured::ProbesError;
pub(crate) use record::Recorder;
pub use target::{
    DEFAULT_CASE_TYPE, DEFAULT_TIMEOUT, ProbeTarget, ProbeTargetError, friendly_duration,
};
