//! The real service on a random port with a fresh database, used over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::{Value, json};
use servicenorm_server::{Application, ManualClock, Settings};

mod common;
use common::{fresh_database, make_token};

struct TestApp {
    base: String,
    clock: Arc<ManualClock>,
    client: reqwest::Client,
    /// A token with scope write (and so read).
    token: String,
    /// A token with scope read only.
    reader: String,
    /// A token with scope admin.
    admin: String,
    database_url: String,
    _dir: tempfile::TempDir,
}

async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let catalog = include_str!("../../servicenorm-core/tests/data/catalog_test.toml").to_string();
    let database_url = fresh_database(dir.path()).await;
    let settings = Settings {
        scheduler_every: std::time::Duration::from_millis(20),
        ..Settings::local(
            database_url.clone(),
            vec![(catalog, "catalog_test.toml".into())],
        )
    };
    let clock = Arc::new(ManualClock::new("2026-04-02T08:00:00Z".parse().unwrap()));
    let app = Application::build(settings, clock.clone()).await.unwrap();
    let base = format!("http://{}", app.address().unwrap());
    tokio::spawn(app.run_until(std::future::pending()));
    let token = make_token(&database_url, "telefonie", "write").await;
    let reader = make_token(&database_url, "dashboard", "read").await;
    let admin = make_token(&database_url, "beheer", "admin").await;
    TestApp {
        base,
        clock,
        client: reqwest::Client::new(),
        token,
        reader,
        admin,
        database_url,
        _dir: dir,
    }
}

impl TestApp {
    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let response = self
            .client
            .post(url)
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let response = self
            .client
            .get(url)
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

fn callback(id: &str, case: &str, at: &str) -> Value {
    json!({"id": id, "case": case, "type": "callback_requested", "at": at, "case_type": "terugbelverzoek"})
}

#[tokio::test]
async fn health_endpoints_answer() {
    let app = spawn_app().await;
    for path in ["/health/live", "/health/ready"] {
        let status = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 204, "{path}");
    }
}

#[tokio::test]
async fn events_are_stored_once_judged_and_shown_with_their_deadline() {
    let app = spawn_app().await;
    let batch = json!([
        callback("e1", "z1", "2026-04-02T10:00:00+02:00"),
        callback("e2", "z2", "2026-04-02T11:00:00+02:00"),
    ]);
    let (status, body) = app.post("/api/v1/events", &batch).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"stored": 2, "repeated": 0, "cases": 2}));
    let (_, again) = app.post("/api/v1/events", &batch).await;
    assert_eq!(again, json!({"stored": 0, "repeated": 2, "cases": 0}));

    let (status, case) = app.get("/api/v1/cases/z1").await;
    assert_eq!(status, 200, "{case}");
    assert_eq!(case["events"].as_array().unwrap().len(), 1);
    let norm = &case["norms"][0];
    assert_eq!(norm["norm"], "terugbellen");
    assert_eq!(norm["state"], "lopend");
    assert_eq!(norm["deadline"], "2026-04-07T23:59:59+02:00");
    assert!(
        norm["explanation"]["adjustments"]
            .to_string()
            .contains("Tweede Paasdag")
    );

    let (status, queue) = app
        .get("/api/v1/clocks?state=lopend,dreigt_te_verlopen&team=kcc")
        .await;
    assert_eq!(status, 200, "{queue}");
    let ids: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["z1", "z2"]);
}

#[tokio::test]
async fn a_batch_with_one_bad_event_stores_nothing_and_names_it() {
    let app = spawn_app().await;
    let batch = json!([
        callback("e1", "z1", "2026-04-02T10:00:00+02:00"),
        {"id": "e2", "case": "z2", "type": "gebeld", "at": "2026-04-02T10:00:00+02:00"},
    ]);
    let (status, problem) = app.post("/api/v1/events", &batch).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "events[1].type");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("gebeurtenis 1 (e2)"),
        "{problem}"
    );
    assert_eq!(problem["titel"], "Het verzoek klopt niet");
    let (status, _) = app.get("/api/v1/cases/z1").await;
    assert_eq!(status, 404);

    app.post(
        "/api/v1/events",
        &json!([callback("e1", "z1", "2026-04-02T10:00:00+02:00")]),
    )
    .await;
    let (status, problem) = app
        .post(
            "/api/v1/events",
            &json!([callback("e1", "z1", "2026-04-02T12:00:00+02:00")]),
        )
        .await;
    assert_eq!(status, 409, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("e1"),
        "{problem}"
    );
}

#[tokio::test]
async fn an_unknown_case_type_is_refused_before_anything_is_stored() {
    let app = spawn_app().await;
    let event = json!({"id": "e1", "case": "z1", "type": "received", "at": "2026-04-02T10:00:00+02:00", "case_type": "fietsenstalling"});
    let (status, problem) = app.post("/api/v1/events", &event).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "events[0].case_type");
    let (status, _) = app.get("/api/v1/cases/z1").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_state_follows_the_injected_clock() {
    let app = spawn_app().await;
    app.post(
        "/api/v1/events",
        &json!(callback("e1", "z1", "2026-04-02T10:00:00+02:00")),
    )
    .await;
    app.clock
        .set("2026-04-08T08:00:00Z".parse::<Timestamp>().unwrap());
    let (_, case) = app.get("/api/v1/cases/z1").await;
    assert_eq!(case["norms"][0]["state"], "niet_gehaald");
}

#[tokio::test]
async fn the_api_needs_a_token_with_the_right_scope() {
    let app = spawn_app().await;
    let url = format!("{}/api/v1/clocks", app.base);
    let response = app.client.get(&url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let response = app
        .client
        .get(&url)
        .bearer_auth("sn_verzonnen")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let response = app
        .client
        .get(&url)
        .bearer_auth(&app.reader)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let response = app
        .client
        .post(format!("{}/api/v1/events", app.base))
        .bearer_auth(&app.reader)
        .json(&callback("e1", "z1", "2026-04-02T10:00:00+02:00"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("scope write"),
        "{problem}"
    );
}

#[tokio::test]
async fn the_scheduler_warns_before_a_term_is_missed() {
    let app = spawn_app().await;
    app.post(
        "/api/v1/events",
        &callback("e1", "z1", "2026-04-02T10:00:00+02:00"),
    )
    .await;
    // Monday 6 April, after three quarters of the term: at risk.
    app.clock
        .set("2026-04-06T14:00:00Z".parse::<Timestamp>().unwrap());
    let mut notifications = Value::Null;
    // Up to 10 s: the scheduler runs every 20 ms, but a loaded CI machine may lag.
    for _ in 0..500 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        notifications = app.get("/api/v1/notifications?team=kcc").await.1;
        if notifications.as_array().is_some_and(|n| !n.is_empty()) {
            break;
        }
    }
    let first = &notifications[0];
    assert_eq!(
        (first["case_id"].as_str(), first["kind"].as_str()),
        (Some("z1"), Some("dreigt_te_verlopen")),
        "{notifications}"
    );
    let (_, queue) = app.get("/api/v1/clocks?state=dreigt_te_verlopen").await;
    assert_eq!(queue["items"][0]["case_id"], "z1");
}

#[tokio::test]
async fn every_operation_in_the_openapi_document_exists() {
    let app = spawn_app().await;
    let (status, document) = app.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 7);
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            let url = format!("{}{}", app.base, path.replace("{case_id}", "onbekend"));
            let request = match method.as_str() {
                "get" => app.client.get(url),
                "post" => app.client.post(url).json(&json!([])),
                "put" => app.client.put(url).json(&json!({})),
                other => panic!("unexpected method {other}"),
            };
            let status = request
                .bearer_auth(&app.token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            // Not found is only right for the unknown case; never "no such route".
            assert_ne!(status, 405, "{method} {path}");
            if !path.contains("{case_id}") {
                assert_ne!(status, 404, "{method} {path}");
            }
        }
    }
}

#[tokio::test]
async fn metrics_count_requests_events_and_clocks() {
    let app = spawn_app().await;
    app.post(
        "/api/v1/events",
        &callback("e1", "z1", "2026-04-02T10:00:00+02:00"),
    )
    .await;
    let text = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("servicenorm_events_ingested_total 1\n"),
        "{text}"
    );
    assert!(
        text.contains("servicenorm_clocks{state=\"lopend\"} 1\n"),
        "{text}"
    );
    assert!(
        text.contains("servicenorm_http_requests_total{status=\"2xx\"}"),
        "{text}"
    );
    assert!(
        text.contains("servicenorm_scheduler_lag_seconds "),
        "{text}"
    );
}

#[tokio::test]
async fn demo_mode_fills_an_empty_database_with_a_living_system() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = include_str!("../../servicenorm-core/tests/data/catalog_test.toml").to_string();
    let url = format!("sqlite:{}", dir.path().join("demo.db").display());
    let settings = Settings {
        scheduler_every: std::time::Duration::from_secs(3600),
        ..Settings::local(url.clone(), vec![(catalog, "catalog_test.toml".into())])
    };
    let clock = Arc::new(ManualClock::new("2026-03-31T12:00:00Z".parse().unwrap()));
    let app = Application::build(settings, clock).await.unwrap();
    let stored = app.load_demo(7).await.unwrap();
    assert!(stored > 1000, "{stored}");
    // A second start leaves the data alone.
    assert_eq!(app.load_demo(7).await.unwrap(), 0);
    let store = servicenorm_storage::Store::connect(&url).await.unwrap();
    let filter = servicenorm_storage::QueueFilter::default();
    let page = store.clocks(&filter, None, 10).await.unwrap();
    assert_eq!(page.items.len(), 10);
    // Each start makes a new token; the demo token reads the API of the
    // running service, and may not write.
    app.demo_token().await.unwrap();
    let token = app.demo_token().await.unwrap();
    let address = app.address().unwrap();
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    let clocks = client
        .get(format!("http://{address}/api/v1/clocks"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(clocks.status(), 200);
    let body: Value = clocks.json().await.unwrap();
    assert!(!body["items"].as_array().unwrap().is_empty(), "{body}");
    let write = client
        .post(format!("http://{address}/api/v1/events"))
        .bearer_auth(&token)
        .json(&serde_json::json!([]))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 403);
}

#[tokio::test]
async fn calendars_and_their_days_off_per_year() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/calendars").await;
    assert_eq!(status, 200, "{body}");
    let ids: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["atw", "gemeente", "test"]);

    // 2026 under the Atw: Koningsdag, and the Friday after Hemelvaart equated by decree.
    let (status, atw) = app.get("/api/v1/calendars/atw/holidays/2026").await;
    assert_eq!(status, 200, "{atw}");
    assert_eq!(atw["decree_known"], true);
    let dates = |list: &Value| -> Vec<String> {
        list["holidays"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["date"].as_str().unwrap().to_string())
            .collect()
    };
    let atw_days = dates(&atw);
    assert!(atw_days.contains(&"2026-04-27".to_string()), "{atw_days:?}");
    assert!(atw_days.contains(&"2026-05-15".to_string()), "{atw_days:?}");
    // The municipal calendar has no equated days.
    let (_, gemeente) = app.get("/api/v1/calendars/gemeente/holidays/2026").await;
    assert!(!dates(&gemeente).contains(&"2026-05-15".to_string()));

    // A catalog calendar is found by its id.
    let (status, own) = app.get("/api/v1/calendars/test/holidays/2026").await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["calendar"], "test");

    let (status, problem) = app.get("/api/v1/calendars/atw/holidays/1989").await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "year");
    let (status, _) = app.get("/api/v1/calendars/onbekend/holidays/2026").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_new_catalog_version_is_checked_whole_stored_and_used() {
    let app = spawn_app().await;
    let original = include_str!("../../servicenorm-core/tests/data/catalog_test.toml");
    let upload = |token: &str, body: String| {
        app.client
            .post(format!("{}/api/v1/catalogs", app.base))
            .bearer_auth(token)
            .header("content-type", "application/toml")
            .body(body)
            .send()
    };
    let (status, list) = app.get("/api/v1/catalogs").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["catalog_id"], "testgemeente");
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["in_force_today"], true);

    // From July the municipality promises a call back within 3 working days.
    let next = original
        .replace("valid_from = 2026-01-01", "valid_from = 2026-07-01")
        .replace("binnen 2 werkdagen.", "binnen 3 werkdagen.")
        .replace(
            "term = \"2 werkdagen\"\ncalendar = \"test\"\nstart = \"callback_requested\"",
            "term = \"3 werkdagen\"\ncalendar = \"test\"\nstart = \"callback_requested\"",
        );
    assert!(next.contains("term = \"3 werkdagen\""));
    // Only an admin token may upload.
    let response = upload(&app.token, next.clone()).await.unwrap();
    assert_eq!(response.status(), 403);

    // Two mistakes: both are named with their line, and nothing is stored.
    let broken = next
        .replacen("calendar = \"test\"", "calendar = \"onbekend\"", 1)
        .replacen("streefwaarde = 0.95", "streefwaarde = 1.5", 1);
    let response = upload(&app.admin, broken).await.unwrap();
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    let errors = problem["errors"].as_array().unwrap();
    assert!(errors.len() >= 2, "{problem}");
    assert!(
        errors.iter().all(|e| e["line"].as_u64().unwrap() > 1),
        "{problem}"
    );
    let (_, list) = app.get("/api/v1/catalogs").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    // A version that starts in the past would rewrite judgements already made.
    let past = original.replace("valid_from = 2026-01-01", "valid_from = 2026-03-01");
    let response = upload(&app.admin, past).await.unwrap();
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["field"], "valid_from");

    // Another catalog is not a version of this one.
    let other = next.replace("id = \"testgemeente\"", "id = \"andere\"");
    let response = upload(&app.admin, other).await.unwrap();
    assert_eq!(response.status(), 422);

    // A second instance on the same database, started before the upload.
    let second = Application::build(
        Settings {
            scheduler_every: std::time::Duration::from_millis(20),
            ..Settings::local(
                app.database_url.clone(),
                vec![(original.to_string(), "catalog_test.toml".into())],
            )
        },
        app.clock.clone(),
    )
    .await
    .unwrap();
    let second_base = format!("http://{}", second.address().unwrap());
    tokio::spawn(second.run_until(std::future::pending()));

    let response = upload(&app.admin, next).await.unwrap();
    assert_eq!(response.status(), 201);
    // The second instance's scheduler loads the new version too.
    let mut seen = 0;
    for _ in 0..500 {
        let list: Value = app
            .client
            .get(format!("{second_base}/api/v1/catalogs"))
            .bearer_auth(&app.reader)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen = list["items"].as_array().unwrap().len();
        if seen == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(seen, 2);
    let (_, list) = app.get("/api/v1/catalogs").await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert_eq!(items[1]["valid_from"], "2026-07-01");
    assert_eq!(items[1]["in_force_today"], false);
    assert_eq!(items[1]["stored_by"], "beheer");

    // Events after the new version takes effect are judged by it.
    app.clock.set("2026-07-02T08:00:00Z".parse().unwrap());
    let (status, body) = app
        .post(
            "/api/v1/events",
            &callback("e-juli", "z-juli", "2026-07-02T10:00:00+02:00"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, case) = app.get("/api/v1/cases/z-juli").await;
    assert_eq!(
        case["norms"][0]["deadline"], "2026-07-07T23:59:59+02:00",
        "{case}"
    );
    let (_, list) = app.get("/api/v1/catalogs").await;
    assert_eq!(list["items"][1]["in_force_today"], true, "{list}");
}

#[tokio::test]
async fn results_per_norm_and_period_are_the_report_commands_numbers() {
    use servicenorm_core::{
        catalog,
        evaluation::{Detail, evaluate},
        events::{CaseEvents, read::from_json_line},
        report::{GroupBy, Per, Report, ReportOptions},
    };
    let app = spawn_app().await;
    let done = |id: &str, case: &str, at: &str| json!({"id": id, "case": case, "type": "callback_done", "at": at, "case_type": "terugbelverzoek"});
    let events = json!([
        // Called back the next day: met.
        callback("a1", "za", "2026-04-02T10:00:00+02:00"),
        done("a2", "za", "2026-04-03T09:00:00+02:00"),
        // Never called back, due Tuesday 7 April: missed by the 10th.
        callback("b1", "zb", "2026-04-02T11:00:00+02:00"),
        // Requested Thursday 9 April, due Monday 13 April: still open.
        callback("c1", "zc", "2026-04-09T10:00:00+02:00"),
    ]);
    app.clock.set("2026-04-10T10:00:00Z".parse().unwrap());
    let (status, body) = app.post("/api/v1/events", &events).await;
    assert_eq!(status, 200, "{body}");

    let (status, results) = app
        .get("/api/v1/results?from=2026-04-01&to=2026-06-30&per=month")
        .await;
    assert_eq!(status, 200, "{results}");
    assert_eq!(results["as_of"], "2026-04-10T10:00:00Z");
    let row = results["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["norm"] == "terugbellen")
        .unwrap_or_else(|| panic!("{results}"));
    assert_eq!(
        (&row["met"], &row["missed"], &row["open"]),
        (&json!(1), &json!(1), &json!(1)),
        "{row}"
    );
    assert_eq!(row["share_met"], 0.5);

    // The same events through the report's own counting give the same rows.
    let versions = catalog::parse_versions(&[(
        include_str!("../../servicenorm-core/tests/data/catalog_test.toml"),
        "catalog_test.toml",
    )])
    .unwrap();
    let mut report = Report::new(
        &versions,
        ReportOptions {
            from: Some("2026-04-01".parse().unwrap()),
            to: Some("2026-06-30".parse().unwrap()),
            per: Per::Month,
            by: GroupBy::Norm,
        },
    );
    let as_of = "2026-04-10T10:00:00Z".parse().unwrap();
    let mut by_case: std::collections::BTreeMap<String, Vec<_>> = Default::default();
    for event in events.as_array().unwrap() {
        let event = from_json_line(&event.to_string()).unwrap();
        by_case
            .entry(event.case.to_string())
            .or_default()
            .push(event);
    }
    for (_, case) in by_case {
        let case = CaseEvents::new(case).unwrap();
        report.add(&evaluate(&versions, &case, as_of, Detail::Brief).unwrap());
    }
    assert_eq!(
        results["rows"],
        serde_json::to_value(report.rows()).unwrap()
    );

    let (status, problem) = app.get("/api/v1/results?from=2026-13-01").await;
    assert_eq!(status, 422);
    assert_eq!(problem["field"], "from");
    let (status, problem) = app.get("/api/v1/results?per=week").await;
    assert_eq!(status, 422);
    assert_eq!(problem["field"], "per");
}

#[tokio::test]
async fn a_retried_batch_judges_its_cases_again() {
    let app = spawn_app().await;
    let batch = json!([callback("e1", "z1", "2026-04-02T10:00:00+02:00")]);
    app.post("/api/v1/events", &batch).await;
    // As if judging failed after the events were stored: no clocks.
    let store = servicenorm_storage::Store::connect(&app.database_url)
        .await
        .unwrap();
    match &store {
        servicenorm_storage::Store::Sqlite { writer: pool, .. } => {
            sqlx::query("DELETE FROM clocks")
                .execute(pool)
                .await
                .unwrap();
        }
        servicenorm_storage::Store::Postgres(pool) => {
            sqlx::query("DELETE FROM clocks")
                .execute(pool)
                .await
                .unwrap();
        }
    }
    store.close().await;
    let (_, queue) = app.get("/api/v1/clocks").await;
    assert!(queue["items"].as_array().unwrap().is_empty(), "{queue}");

    let (status, body) = app.post("/api/v1/events", &batch).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["repeated"], 1);
    let (_, queue) = app.get("/api/v1/clocks").await;
    assert_eq!(queue["items"][0]["case_id"], "z1", "{queue}");
}

#[tokio::test]
async fn a_page_size_out_of_range_is_refused_with_the_value_given() {
    let app = spawn_app().await;
    for (path, max) in [
        ("/api/v1/clocks?limit=0", 500),
        ("/api/v1/notifications?limit=5000", 1000),
    ] {
        let (status, problem) = app.get(path).await;
        assert_eq!(status, 422, "{path}: {problem}");
        assert_eq!(problem["field"], "limit");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(&format!("tussen 1 en {max}")), "{detail}");
        assert!(detail.contains("u gaf"), "{detail}");
    }
    // Before the catalog takes effect (2026-01-01), nothing can be judged.
    let (status, problem) = app
        .post(
            "/api/v1/events",
            &callback("e0", "z0", "2025-12-30T10:00:00+01:00"),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("2025-12-30") && detail.contains("2026-01-01"),
        "{detail}"
    );
}
