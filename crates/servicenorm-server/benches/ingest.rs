//! Ingest and read speed of the real service over HTTP.
//!
//! Run: `cargo bench -p servicenorm-server --bench ingest`
//! Env: `BENCH_TO` (last demo day, default 2029-04-30: about 1 million BUCH
//! cases), `BENCH_DATABASE` (a `postgres://` server URL to run on PostgreSQL;
//! a fresh database is made there), default a temporary SQLite file;
//! `BENCH_CLIENTS` (default 2): how many clients post at once, as the
//! telephony, the queue system and the case system of a municipality do.
//! The demo events are made and written as request bodies before the clock
//! starts: the figure is the service's, not the demo generator's.
//! Targets: ingest in batches of 1,000 at >= 50,000 events/s on SQLite;
//! first page of the at-risk queue and one case with 1,000,000 cases stored:
//! p99 under 20 ms.

use std::{
    io::{BufRead, Write},
    sync::Arc,
    time::Instant,
};

use servicenorm_core::{catalog, time::Moment};
use servicenorm_server::{Application, Settings, SystemClock, auth::new_token};
use servicenorm_storage::{Actor, Store};

/// The allocator the `servicenorm` binary runs the service with (see its
/// `allocator` module): the figure is that of the service as it ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn percentile(sorted: &[f64], share: f64) -> f64 {
    let rank = ((share * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("bench failed: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let name = format!("servicenorm_bench_{}", std::process::id());
    let url = match std::env::var("BENCH_DATABASE") {
        Ok(server) => Store::create_postgres_database(&server, &name).await?,
        Err(_) => format!("sqlite:{}", dir.path().join("bench.db").display()),
    };
    let text = include_str!("../../../catalogs/buch.toml");
    let settings = Settings {
        scheduler_every: std::time::Duration::from_secs(3600),
        ..Settings::local(url.clone(), vec![(text.to_string(), "buch.toml".into())])
    };
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    let base = format!("http://{}", app.address()?);
    tokio::spawn(app.run_until(std::future::pending()));
    let store = Store::connect(&url).await?;
    let token = new_token()?;
    store
        .create_token(
            "bench",
            &token.hash,
            "write",
            &Actor::new("bench", "bench"),
            jiff::Timestamp::now(),
        )
        .await?;

    let buch = catalog::parse(text, "buch.toml")?;
    let to = std::env::var("BENCH_TO")
        .unwrap_or_else(|_| "2029-04-30".into())
        .parse()?;
    let options = servicenorm_demo::Options {
        from: "2026-01-01".parse()?,
        to,
        seed: 1,
    };
    let clients: usize = std::env::var("BENCH_CLIENTS")
        .ok()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(2)
        .max(1);
    // The request bodies, one batch of 1,000 per line.
    let bodies = dir.path().join("bodies.jsonl");
    let mut cases = std::collections::HashSet::new();
    let mut sent = 0u64;
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&bodies)?);
        let mut batch = Vec::with_capacity(1000);
        let mut write = |batch: &mut Vec<servicenorm_core::events::Event>| -> Result<(), Box<dyn std::error::Error>> {
            serde_json::to_writer(&mut out, &batch)?;
            out.write_all(b"\n")?;
            sent += batch.len() as u64;
            batch.clear();
            Ok(())
        };
        for event in servicenorm_demo::Generator::new(&buch, &options)? {
            cases.insert(event.case.clone());
            batch.push(event);
            if batch.len() == 1000 {
                write(&mut batch)?;
            }
        }
        if !batch.is_empty() {
            write(&mut batch)?;
        }
        out.flush()?;
    }
    let lines = Arc::new(std::sync::Mutex::new(
        std::io::BufReader::new(std::fs::File::open(&bodies)?).lines(),
    ));
    let posted = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (lines, posted, client, base, token) = (
            lines.clone(),
            posted.clone(),
            client.clone(),
            base.clone(),
            token.token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let next = lines.lock().map_err(|e| e.to_string())?.next();
                let Some(body) = next else { break };
                let body = body.map_err(|e| e.to_string())?;
                post(&client, &base, &token, body)
                    .await
                    .map_err(|e| e.to_string())?;
                let n = posted.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if n == 200 {
                    let rate = 200_000.0 / started.elapsed().as_secs_f64();
                    println!(
                        "ingest, first 200,000 events in batches of 1,000: {rate:.0} events/s"
                    );
                }
            }
            Ok::<(), String>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "ingest, all: {sent} events, {} cases in {seconds:.1} s with {clients} clients: {:.0} events/s",
        cases.len(),
        sent as f64 / seconds,
    );

    let some_cases: Vec<&compact_str::CompactString> = cases
        .iter()
        .step_by((cases.len() / 200).max(1))
        .take(200)
        .collect();
    for (what, paths) in [
        (
            "at-risk queue, first page",
            vec!["/api/v1/clocks?state=dreigt_te_verlopen&limit=50".to_string(); 200],
        ),
        (
            "one case",
            some_cases
                .iter()
                .map(|c| format!("/api/v1/cases/{c}"))
                .collect(),
        ),
    ] {
        let mut times = Vec::with_capacity(paths.len());
        for path in paths {
            let t = Instant::now();
            let response = client
                .get(format!("{base}{path}"))
                .bearer_auth(&token.token)
                .send()
                .await?;
            let status = response.status();
            response.bytes().await?;
            if !status.is_success() {
                return Err(format!("{path}: {status}").into());
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{what}: p50 {:.2} ms, p99 {:.2} ms over {} requests",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times.len()
        );
    }
    println!("as of {}", Moment::in_amsterdam(jiff::Timestamp::now()));
    store.close().await;
    if let Ok(server) = std::env::var("BENCH_DATABASE") {
        Store::drop_postgres_database(&server, &name).await?;
    }
    Ok(())
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    body: String,
) -> Result<(), Box<dyn std::error::Error>> {
    let response = client
        .post(format!("{base}/api/v1/events"))
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("batch refused: {}", response.text().await?).into());
    }
    Ok(())
}
