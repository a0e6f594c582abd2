//! One probe: a GET of the target's URL, timed to the response head.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode, Url};

/// What one probe found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// The status, when a response head arrived within the timeout.
    pub status: Option<StatusCode>,
    /// From sending the request until the response head arrived.
    pub time_to_first_byte: Option<Duration>,
    /// Why no response arrived, in words for the log.
    pub failure: Option<String>,
}

impl Outcome {
    /// A 2xx or 3xx answer within the timeout: the website is up. A
    /// redirect counts: the site answered, and following it blindly could
    /// measure another site.
    pub fn ok(&self) -> bool {
        self.status
            .is_some_and(|s| s.is_success() || s.is_redirection())
    }
}

/// Probes `url`, cut off at `timeout` by the client and, should it not
/// stop, by the timer here: a probe never outlives its timeout. The body
/// is never read: only the status and the time to the head count, and
/// nothing of what the site says is kept or logged.
pub(crate) async fn probe(client: &Client, url: &Url, timeout: Duration) -> Outcome {
    let started = Instant::now();
    let sent = tokio::time::timeout(timeout, client.get(url.clone()).send()).await;
    match sent {
        Ok(Ok(response)) => Outcome {
            status: Some(response.status()),
            time_to_first_byte: Some(started.elapsed()),
            failure: None,
        },
        Ok(Err(error)) if !error.is_timeout() => Outcome {
            status: None,
            time_to_first_byte: None,
            // The URL is in the settings already; the log needs the cause.
            failure: Some(chain(&error.without_url())),
        },
        Ok(Err(_)) | Err(_) => Outcome {
            status: None,
            time_to_first_byte: None,
            failure: Some(format!(
                "geen antwoord binnen {}",
                super::friendly_duration(timeout)
            )),
        },
    }
}

/// An error with its causes: reqwest's own message alone ("error sending
/// request") does not say what went wrong.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
