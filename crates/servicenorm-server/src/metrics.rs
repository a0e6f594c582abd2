//! `/metrics` in the Prometheus text format: requests, latencies, events
//! ingested, clocks per state and scheduler lag. Plain atomics: the few
//! numbers a municipality's monitoring needs do not warrant a framework.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Upper bounds of the request-duration buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
pub(crate) struct Metrics {
    requests: [AtomicU64; 3],
    duration_buckets: [AtomicU64; BUCKETS.len()],
    duration_count: AtomicU64,
    duration_micros: AtomicU64,
    events_ingested: AtomicU64,
    /// When the scheduler last finished a pass (Unix seconds of the service clock).
    scheduler_last: AtomicI64,
}

impl Metrics {
    pub fn request(&self, status: u16, seconds: f64) {
        let class = match status {
            500.. => 2,
            400.. => 1,
            _ => 0,
        };
        self.requests[class].fetch_add(1, Ordering::Relaxed);
        for (bucket, bound) in self.duration_buckets.iter().zip(BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.duration_count.fetch_add(1, Ordering::Relaxed);
        self.duration_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn ingested(&self, events: usize) {
        self.events_ingested
            .fetch_add(events as u64, Ordering::Relaxed);
    }

    pub fn scheduled(&self, at: i64) {
        self.scheduler_last.store(at, Ordering::Relaxed);
    }

    /// The text exposition, with the clock counts and the service time given.
    pub fn render(&self, clocks: &[(String, i64)], now: i64) -> String {
        let mut out = String::new();
        out.push_str("# HELP servicenorm_http_requests_total HTTP requests by status class.\n");
        out.push_str("# TYPE servicenorm_http_requests_total counter\n");
        for (class, counter) in ["2xx", "4xx", "5xx"].iter().zip(&self.requests) {
            out.push_str(&format!(
                "servicenorm_http_requests_total{{status=\"{class}\"}} {}\n",
                counter.load(Ordering::Relaxed)
            ));
        }
        out.push_str(
            "# HELP servicenorm_http_request_duration_seconds Time to answer a request.\n",
        );
        out.push_str("# TYPE servicenorm_http_request_duration_seconds histogram\n");
        for (bucket, bound) in self.duration_buckets.iter().zip(BUCKETS) {
            out.push_str(&format!(
                "servicenorm_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}\n",
                bucket.load(Ordering::Relaxed)
            ));
        }
        let count = self.duration_count.load(Ordering::Relaxed);
        out.push_str(&format!(
            "servicenorm_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        out.push_str(&format!(
            "servicenorm_http_request_duration_seconds_sum {}\n",
            self.duration_micros.load(Ordering::Relaxed) as f64 / 1e6
        ));
        out.push_str(&format!(
            "servicenorm_http_request_duration_seconds_count {count}\n"
        ));
        out.push_str("# HELP servicenorm_events_ingested_total Events stored through the API.\n");
        out.push_str("# TYPE servicenorm_events_ingested_total counter\n");
        out.push_str(&format!(
            "servicenorm_events_ingested_total {}\n",
            self.events_ingested.load(Ordering::Relaxed)
        ));
        out.push_str("# HELP servicenorm_clocks Clocks per state.\n");
        out.push_str("# TYPE servicenorm_clocks gauge\n");
        for (state, n) in clocks {
            out.push_str(&format!("servicenorm_clocks{{state=\"{state}\"}} {n}\n"));
        }
        out.push_str("# HELP servicenorm_scheduler_lag_seconds Seconds since the scheduler last finished a pass.\n");
        out.push_str("# TYPE servicenorm_scheduler_lag_seconds gauge\n");
        let last = self.scheduler_last.load(Ordering::Relaxed);
        let lag = if last == 0 { -1 } else { now - last };
        out.push_str(&format!("servicenorm_scheduler_lag_seconds {lag}\n"));
        out
    }
}
