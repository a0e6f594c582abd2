//! The HTTP client a target is probed with.

use std::time::Duration;

use reqwest::{Client, redirect};

/// Makes rustls use ring for its cryptography, once per process. reqwest
/// is built without a provider of its own (its default, aws-lc-rs, needs a
/// C toolchain to build), so every HTTP client in the process needs this
/// first; installing again is harmless.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A client for one target: no redirects followed (a redirect answers the
/// probe: the site is up), cut off at `timeout`, and a fresh connection for
/// every probe, so each one measures what a visitor arriving now would get.
/// `install_crypto_provider` must have run (`Application::build` does).
pub(crate) fn client(timeout: Duration) -> Result<Client, reqwest::Error> {
    Client::builder()
        .redirect(redirect::Policy::none())
        // The whole request, the connection included.
        .timeout(timeout)
        .pool_max_idle_per_host(0)
        .user_agent(concat!(
            "servicenorm-websitecontrole/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
}
