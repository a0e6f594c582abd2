//! The website probes of the real service, against real local servers
//! that answer, fail, stall and hang up on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use jiff::Timestamp;
use servicenorm_core::{
    events::{AttributeKey, Event, Value},
    time::Moment,
};
use servicenorm_server::{Application, ProbeTarget, Settings, SystemClock};
use servicenorm_storage::Store;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
    sync::oneshot,
    task::JoinHandle,
};

mod common;
use common::{fresh_database, make_token};

const BUCH: &str = include_str!("../../../catalogs/buch.toml");

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A running service with the BUCH catalog and the given probes.
struct Service {
    address: std::net::SocketAddr,
    stop: oneshot::Sender<()>,
    running: JoinHandle<Result<(), std::io::Error>>,
}

impl Service {
    async fn start(database_url: &str, probes: Vec<ProbeTarget>) -> Service {
        let settings = Settings {
            scheduler_every: Duration::from_secs(3600),
            probes,
            ..Settings::local(
                database_url.to_string(),
                vec![(BUCH.to_string(), "buch.toml".into())],
            )
        };
        let app = Application::build(settings, Arc::new(SystemClock))
            .await
            .unwrap();
        let address = app.address().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let running = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Service {
            address,
            stop,
            running,
        }
    }

    /// Stops the service the way Ctrl-C does; the probes stop with it.
    async fn stop(self) {
        self.stop.send(()).unwrap();
        self.running.await.unwrap().unwrap();
    }
}

/// A fresh database (PostgreSQL when `SERVICENORM_TEST_POSTGRES` is set).
async fn database() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (fresh_database(dir.path()).await, dir)
}

/// The probe events of `target` stored since `since`, by instant.
async fn probe_events(store: &Store, target: &str, since: Timestamp) -> Vec<Event> {
    let mut days = vec![
        Moment::in_amsterdam(since).date(),
        Moment::in_amsterdam(Timestamp::now()).date(),
    ];
    days.dedup();
    let mut events = Vec::new();
    for day in days {
        events.extend(
            store
                .case_events(&format!("controle:{target}:{day}"))
                .await
                .unwrap(),
        );
    }
    events
}

/// Waits (at most five seconds) until `target` has at least `n` probe events.
async fn wait_for_probes(store: &Store, target: &str, since: Timestamp, n: usize) -> Vec<Event> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let events = probe_events(store, target, since).await;
        if events.len() >= n {
            return events;
        }
        assert!(
            Instant::now() < deadline,
            "{} probe events of {target} after 5 seconds, expected {n}",
            events.len()
        );
        tokio::time::sleep(ms(25)).await;
    }
}

fn attribute(event: &Event, key: AttributeKey) -> Option<&Value> {
    event.attributes.get(key)
}

/// An HTTP server on a free local port answering every request with
/// `status` after `delay`; returns its URL.
async fn answering(status: u16, delay: Duration) -> String {
    let router = axum::Router::new().fallback(move || async move {
        tokio::time::sleep(delay).await;
        (
            axum::http::StatusCode::from_u16(status).unwrap(),
            "de inhoud van de pagina",
        )
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/")
}

/// What a stalling server saw of each connection.
#[derive(Default)]
struct Stalled {
    /// How long each connection stayed open before the client hung up.
    open_for: Mutex<Vec<Duration>>,
    /// When each connection came in.
    arrived: Mutex<Vec<Instant>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

/// A server that reads the request and would answer only after `delay`;
/// it notes how long each client waited before hanging up, and how many
/// clients waited at once.
async fn stalling(delay: Duration) -> (String, Arc<Stalled>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Stalled::default());
    let shared = seen.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let seen = shared.clone();
            tokio::spawn(async move {
                let arrived = Instant::now();
                seen.arrived.lock().unwrap().push(arrived);
                let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                seen.most_in_flight.fetch_max(now, Ordering::SeqCst);
                let (mut reader, mut writer) = socket.split();
                let mut buffer = [0u8; 4096];
                let answered = async {
                    tokio::time::sleep(delay).await;
                    let _ = writer
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                        .await;
                };
                let hung_up = async {
                    // The request, then nothing until the client goes.
                    while let Ok(n) = reader.read(&mut buffer).await {
                        if n == 0 {
                            break;
                        }
                    }
                };
                tokio::select! {
                    () = answered => {}
                    () = hung_up => seen.open_for.lock().unwrap().push(arrived.elapsed()),
                }
                seen.in_flight.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (format!("http://{address}/"), seen)
}

/// A server that reads the request and closes the connection without a word.
async fn hanging_up() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            counted.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            drop(socket);
        }
    });
    (format!("http://{address}/"), count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_that_answers_200_is_recorded_up_and_counted_by_the_uptime_norm() {
    let (url, _dir) = database().await;
    let site = answering(200, ms(30)).await;
    let target = ProbeTarget::new("site-ok", &site, ms(200), ms(150)).unwrap();
    let since = Timestamp::now();
    let service = Service::start(&url, vec![target]).await;
    let store = Store::connect(&url).await.unwrap();

    let events = wait_for_probes(&store, "site-ok", since, 2).await;
    for event in &events {
        assert!(event.id.starts_with("probe:site-ok:"), "{}", event.id);
        assert_eq!(event.kind.as_str(), "probe");
        assert_eq!(event.case_type.as_deref(), Some("website-controle"));
        assert_eq!(attribute(event, AttributeKey::Ok), Some(&Value::Bool(true)));
        assert_eq!(
            attribute(event, AttributeKey::HttpStatus),
            Some(&Value::Integer(200))
        );
        // The server waits 30 ms before its head: that is the time to first byte.
        match attribute(event, AttributeKey::TtfbMs) {
            Some(Value::Integer(ttfb)) => assert!((30..150).contains(ttfb), "{ttfb}"),
            other => panic!("ttfb_ms {other:?}"),
        }
    }

    // The results of the API count the probes under the BUCH norm.
    let token = make_token(&url, "lezer", "read").await;
    let today = Moment::in_amsterdam(Timestamp::now()).date();
    let results: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "http://{}/api/v1/results?from={today}&to={today}&per=month",
            service.address
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = results["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["norm"] == "website-bereikbaar")
        .unwrap_or_else(|| panic!("no row for website-bereikbaar: {results}"));
    assert!(row["observations"].as_u64().unwrap() >= 2, "{row}");
    assert_eq!(row["share_met"], 1.0, "{row}");
    assert_eq!(row["met"], 1, "{row}");
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_that_answers_500_is_recorded_down_with_its_status() {
    let (url, _dir) = database().await;
    let site = answering(500, Duration::ZERO).await;
    let target = ProbeTarget::new("site-500", &site, ms(200), ms(150)).unwrap();
    let since = Timestamp::now();
    let service = Service::start(&url, vec![target]).await;
    let store = Store::connect(&url).await.unwrap();

    let events = wait_for_probes(&store, "site-500", since, 2).await;
    for event in &events {
        assert_eq!(
            attribute(event, AttributeKey::Ok),
            Some(&Value::Bool(false))
        );
        assert_eq!(
            attribute(event, AttributeKey::HttpStatus),
            Some(&Value::Integer(500))
        );
        assert!(attribute(event, AttributeKey::TtfbMs).is_some());
    }
    // The case is judged and stored with its case type.
    let case = store.case(&events[0].case).await.unwrap().unwrap();
    assert_eq!(case.case_type, "website-controle");
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_slower_than_the_timeout_is_recorded_down_and_cut_off_at_the_timeout() {
    let (url, _dir) = database().await;
    let (site, seen) = stalling(Duration::from_secs(3)).await;
    let timeout = ms(200);
    let target = ProbeTarget::new("site-traag", &site, ms(500), timeout).unwrap();
    let since = Timestamp::now();
    let service = Service::start(&url, vec![target]).await;
    let store = Store::connect(&url).await.unwrap();

    let events = wait_for_probes(&store, "site-traag", since, 2).await;
    for event in &events {
        assert_eq!(
            attribute(event, AttributeKey::Ok),
            Some(&Value::Bool(false))
        );
        assert_eq!(attribute(event, AttributeKey::HttpStatus), None);
        assert_eq!(attribute(event, AttributeKey::TtfbMs), None);
    }
    // The client hung up at the timeout, not when the server would answer.
    let open_for = seen.open_for.lock().unwrap().clone();
    assert!(open_for.len() >= 2, "{open_for:?}");
    for open in open_for {
        assert!(
            open >= timeout - ms(50) && open < timeout + ms(300),
            "a probe with a timeout of {timeout:?} kept the connection open for {open:?}"
        );
    }
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_that_hangs_up_is_recorded_down_and_probing_goes_on() {
    let (url, _dir) = database().await;
    let (site, count) = hanging_up().await;
    let target = ProbeTarget::new("site-weg", &site, ms(200), ms(150)).unwrap();
    let since = Timestamp::now();
    let service = Service::start(&url, vec![target]).await;
    let store = Store::connect(&url).await.unwrap();

    let events = wait_for_probes(&store, "site-weg", since, 3).await;
    for event in &events {
        assert_eq!(
            attribute(event, AttributeKey::Ok),
            Some(&Value::Bool(false))
        );
        assert_eq!(attribute(event, AttributeKey::HttpStatus), None);
        assert_eq!(attribute(event, AttributeKey::TtfbMs), None);
    }
    assert!(count.load(Ordering::SeqCst) >= 3);
    // The service still answers.
    let live = reqwest::get(format!("http://{}/health/live", service.address))
        .await
        .unwrap();
    assert!(live.status().is_success(), "{}", live.status());
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_site_is_probed_once_per_interval() {
    let (url, _dir) = database().await;
    // The site answers only after three intervals: each probe is cut off at
    // its timeout, and the next one waits for its own slot.
    let every = ms(200);
    let (site, seen) = stalling(every * 3).await;
    let target = ProbeTarget::new("site-langzaam", &site, every, ms(150)).unwrap();
    let since = Timestamp::now();
    let service = Service::start(&url, vec![target]).await;
    let store = Store::connect(&url).await.unwrap();

    wait_for_probes(&store, "site-langzaam", since, 4).await;
    service.stop().await;
    assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), 1);
    // One probe per interval, not more.
    let arrived = seen.arrived.lock().unwrap().clone();
    for pair in arrived.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap >= every / 2, "probes {gap:?} apart: {arrived:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_probe_each_slot_once() {
    let (url, _dir) = database().await;
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    let router = axum::Router::new().fallback(move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async { "in orde" }
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let target = ProbeTarget::new("site-gedeeld", &site, ms(200), ms(150)).unwrap();
    let since = Timestamp::now();
    let first = Service::start(&url, vec![target.clone()]).await;
    let second = Service::start(&url, vec![target]).await;
    let store = Store::connect(&url).await.unwrap();
    wait_for_probes(&store, "site-gedeeld", since, 8).await;
    first.stop().await;
    second.stop().await;

    let events = probe_events(&store, "site-gedeeld", since).await;
    // One probe per slot: both instances probing every slot would have sent
    // nearly twice as many requests. Each instance may have been stopped in
    // the middle of a probe, before storing it.
    let requests = requests.load(Ordering::SeqCst);
    assert!(
        events.len() <= requests && requests <= events.len() + 2,
        "{requests} requests for {} events",
        events.len()
    );
}

#[tokio::test]
async fn a_target_the_catalog_does_not_take_stops_the_start() {
    let (url, _dir) = database().await;
    let settings = |probes| Settings {
        scheduler_every: Duration::from_secs(3600),
        probes,
        ..Settings::local(url.clone(), vec![(BUCH.to_string(), "buch.toml".into())])
    };
    let site = ProbeTarget::new("site", "http://127.0.0.1:1/", ms(200), ms(100)).unwrap();
    let unknown = site.clone().with_case_type("website-onbekend");
    let error = Application::build(settings(vec![unknown]), Arc::new(SystemClock))
        .await
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .starts_with("websitecontrole \"site\" past niet bij de catalogus: case_type: onbekend zaaktype \"website-onbekend\""),
        "{error}"
    );
    let twice = vec![site.clone(), site];
    let error = Application::build(settings(twice), Arc::new(SystemClock))
        .await
        .err()
        .unwrap();
    assert!(error.to_string().contains("staat twee keer"), "{error}");
}
