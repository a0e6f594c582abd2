//! Messages to residents and staff, sent by the service itself to a real
//! SMTP server on loopback: the receipt with the date in words, a retry
//! after a refusal without a second copy, the tussenbericht when a term is
//! at risk, the message that the answer comes later, and a task for the team
//! when the resident gave no e-mail address.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use common::{fresh_database, make_token, smtp::SmtpServer};
use jiff::Timestamp;
use serde_json::{Value, json};
use servicenorm_server::{Application, MailSettings, ManualClock, Settings};

const BUCH: &str = include_str!("../../../catalogs/buch.toml");

struct App {
    base: String,
    clock: Arc<ManualClock>,
    client: reqwest::Client,
    token: String,
    smtp: SmtpServer,
    _dir: tempfile::TempDir,
}

async fn start(now: &str) -> App {
    // The service's own log shows in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter("servicenorm_server=debug")
        .try_init();
    let smtp = SmtpServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(dir.path()).await;
    let settings = Settings {
        scheduler_every: Duration::from_millis(20),
        mail: Some(MailSettings {
            url: smtp.url(),
            from: "Gemeente Castricum <noreply@castricum.example>".into(),
            reply_to: Some("info@castricum.example".into()),
            teams: BTreeMap::from([("kcc".to_string(), "kcc@castricum.example".to_string())]),
            every: Duration::from_millis(20),
        }),
        ..Settings::local(
            database_url.clone(),
            vec![(BUCH.to_string(), "buch.toml".into())],
        )
    };
    let clock = Arc::new(ManualClock::new(now.parse().unwrap()));
    let app = Application::build(settings, clock.clone()).await.unwrap();
    let base = format!("http://{}", app.address().unwrap());
    tokio::spawn(app.run_until(std::future::pending()));
    let token = make_token(&database_url, "zaaksysteem", "write read").await;
    App {
        base,
        clock,
        client: reqwest::Client::new(),
        token,
        smtp,
        _dir: dir,
    }
}

impl App {
    async fn send(&self, method: reqwest::Method, path: &str, body: &Value) -> u16 {
        self.client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    async fn get(&self, path: &str) -> Value {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Waits until `count` messages to `to` arrived (the postman runs
    /// every 20 ms), and returns those.
    async fn wait_for_mail(&self, to: &str, count: usize) -> Vec<common::smtp::Received> {
        for _ in 0..500 {
            let received = self.mail_to(to);
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "{count} e-mails to {to} expected, got {:?}",
            self.smtp.received()
        );
    }

    fn mail_to(&self, to: &str) -> Vec<common::smtp::Received> {
        self.smtp
            .received()
            .into_iter()
            .filter(|m| m.to == [to])
            .collect()
    }

    /// The norm's clock once it reached `state` (the event is recorded right
    /// after the mail server accepted the message).
    async fn norm_in(&self, case: &str, norm: &str, state: &str) -> Value {
        for _ in 0..100 {
            let found = self.norm(case, norm).await;
            if found["state"] == state {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "{norm} of {case} never {state}: {}",
            self.norm(case, norm).await
        );
    }

    async fn norm(&self, case: &str, norm: &str) -> Value {
        let case = self.get(&format!("/api/v1/cases/{case}")).await;
        case["norms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["norm"] == norm)
            .cloned()
            .unwrap_or_else(|| panic!("{norm} not in {case}"))
    }
}

fn received(id: &str, case: &str, case_type: &str, at: &str) -> Value {
    json!({"id": id, "case": case, "type": "received", "at": at, "case_type": case_type, "municipality": "castricum"})
}

#[tokio::test]
async fn a_receipt_goes_out_once_after_a_refusal_and_meets_its_norm() {
    // Monday 8 June 2026, 10:00 in Castricum.
    let app = start("2026-06-08T08:00:00Z").await;
    app.smtp.refuse_next(1);
    // The address before the events, so the receipt finds it at once.
    let contact = json!({"email": "inwoner@example.org"});
    assert_eq!(
        app.send(reqwest::Method::PUT, "/api/v1/cases/E-1/contact", &contact)
            .await,
        204
    );
    let events = json!([received("e1", "E-1", "email", "2026-06-08T10:00:00+02:00")]);
    assert_eq!(
        app.send(reqwest::Method::POST, "/api/v1/events", &events)
            .await,
        200
    );

    // The first try is refused (451): it waits 30 seconds for the next.
    app.smtp.wait_for_refusals().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(app.smtp.received().is_empty());
    app.clock.set("2026-06-08T08:00:31Z".parse().unwrap());
    let mail = app.wait_for_mail("inwoner@example.org", 1).await;
    let receipt = &mail[0];
    assert_eq!(receipt.to, ["inwoner@example.org"]);
    assert_eq!(receipt.header("To").unwrap(), "inwoner@example.org");
    assert_eq!(
        receipt.header("From").unwrap(),
        "\"Gemeente Castricum\" <noreply@castricum.example>"
    );
    assert_eq!(
        receipt.header("Reply-To").unwrap(),
        "info@castricum.example"
    );
    assert_eq!(
        receipt.header("Subject").unwrap(),
        "We hebben uw bericht ontvangen (E-1)"
    );
    assert!(
        receipt
            .header("Message-ID")
            .unwrap()
            .ends_with("@castricum.example>")
    );
    assert!(
        receipt
            .header("Date")
            .unwrap()
            .contains("8 Jun 2026 08:00:31"),
        "{:?}",
        receipt.header("Date")
    );
    let text = receipt.text();
    // Two working days from Monday: Wednesday, in words, without the year.
    assert!(
        text.contains("U krijgt uiterlijk woensdag 10 juni een inhoudelijk antwoord."),
        "{text}"
    );
    assert!(
        text.contains(
            "We hebben uw e-mail aan het algemene e-mailadres ontvangen op maandag 8 juni."
        ),
        "{text}"
    );
    assert!(text.contains("Het nummer van uw zaak is E-1."), "{text}");
    assert!(text.contains("Gemeente Castricum"), "{text}");

    // Recorded as the event the norm waits for, at the moment it went out.
    app.norm_in("E-1", "email-ontvangstbevestiging", "gehaald")
        .await;
    let case = app.get("/api/v1/cases/E-1").await;
    let sent: Vec<&Value> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "acknowledged")
        .collect();
    assert_eq!(sent.len(), 1, "{case}");
    assert_eq!(sent[0]["at"], "2026-06-08T10:00:31+02:00");

    // Never twice, however long the postman keeps running.
    app.clock.set("2026-06-08T09:00:00Z".parse().unwrap());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.mail_to("inwoner@example.org").len(), 1);

    // Once the answer is at risk, the tussenbericht goes out, with the
    // contact person and the date, and meets its own norm.
    let notice = app.norm("E-1", "email-tussenbericht").await;
    let at_risk: Timestamp = notice["at_risk_from"].as_str().unwrap().parse().unwrap();
    assert!(
        at_risk < "2026-06-10T21:59:59Z".parse().unwrap(),
        "{notice}"
    );
    app.clock.set(at_risk + jiff::SignedDuration::from_mins(1));
    let mail = app.wait_for_mail("inwoner@example.org", 2).await;
    let notice = &mail[1];
    assert_eq!(
        notice.header("Subject").unwrap(),
        "Uw antwoord komt later (E-1)"
    );
    let text = notice.text();
    assert!(
        text.contains("U krijgt uiterlijk woensdag 10 juni antwoord."),
        "{text}"
    );
    assert!(
        text.contains("Uw contactpersoon is het Klantcontactcentrum van de BUCH."),
        "{text}"
    );
    app.norm_in("E-1", "email-tussenbericht", "gehaald").await;
    assert_ne!(receipt.header("Message-ID"), notice.header("Message-ID"));
}

#[tokio::test]
async fn an_extension_tells_the_resident_the_new_date_and_the_reason() {
    let app = start("2026-06-08T08:00:00Z").await;
    let mut melding = received(
        "m1",
        "M-1",
        "melding-openbare-ruimte",
        "2026-06-08T10:00:00+02:00",
    );
    melding["attributes"] = json!({"urgent": false});
    let extended = json!({"id": "m2", "case": "M-1", "type": "extended", "at": "2026-06-10T11:00:00+02:00",
        "attributes": {"term": "5 werkdagen", "reason": "we wachten op de aannemer"}});
    assert_eq!(
        app.send(reqwest::Method::POST, "/api/v1/events", &json!([melding]))
            .await,
        200
    );
    // The address may also come later: the message that the answer comes
    // later is only due at the extension.
    let contact = json!({"email": "melder@example.org", "contact_person": "Sanne de Vries, team Openbare ruimte"});
    assert_eq!(
        app.send(reqwest::Method::PUT, "/api/v1/cases/M-1/contact", &contact)
            .await,
        204
    );
    app.clock.set("2026-06-10T09:00:00Z".parse().unwrap());
    assert_eq!(
        app.send(reqwest::Method::POST, "/api/v1/events", &json!([extended]))
            .await,
        200
    );

    let mail = app.wait_for_mail("melder@example.org", 1).await;
    let message = &mail[0];
    assert_eq!(message.to, ["melder@example.org"]);
    assert_eq!(
        message.header("Subject").unwrap(),
        "Nieuwe datum voor uw antwoord (M-1)"
    );
    let text = message.text();
    assert!(
        text.contains("De reden: we wachten op de aannemer."),
        "{text}"
    );
    assert!(
        text.contains("Uw contactpersoon is Sanne de Vries, team Openbare ruimte."),
        "{text}"
    );
    // 10 working days from Monday 8 June, plus 5: Monday 29 June.
    let norm = app.norm("M-1", "melding-afhandeling").await;
    let deadline: Timestamp = norm["deadline"].as_str().unwrap().parse().unwrap();
    let words = servicenorm_core::messages::moment_in_words(deadline, app.clock_now());
    assert!(
        text.contains(&format!("U krijgt nu uiterlijk {words} antwoord.")),
        "{words}: {text}"
    );
    assert!(text.contains("maandag 29 juni"), "{text}");
    app.norm_in("M-1", "melding-tussenbericht", "gehaald").await;
}

#[tokio::test]
async fn without_an_address_the_team_gets_a_task_by_e_mail() {
    let app = start("2026-06-08T08:00:00Z").await;
    let events = json!([received("e1", "E-2", "email", "2026-06-08T10:00:00+02:00")]);
    assert_eq!(
        app.send(reqwest::Method::POST, "/api/v1/events", &events)
            .await,
        200
    );
    // The address may still come: for two minutes the message waits.
    let mut waiting = Value::Null;
    for _ in 0..500 {
        waiting = app.get("/api/v1/cases/E-2").await["messages"][0].clone();
        if waiting["last_error"] == "wacht op contactgegevens" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(waiting["state"], "wachtend", "{waiting}");
    assert_eq!(
        waiting["last_error"], "wacht op contactgegevens",
        "{waiting}"
    );
    assert!(app.smtp.received().is_empty());
    app.clock.set("2026-06-08T08:02:00Z".parse().unwrap());
    let mail = app.wait_for_mail("kcc@castricum.example", 1).await;
    let task = &mail[0];
    assert_eq!(task.to, ["kcc@castricum.example"]);
    assert_eq!(
        task.header("Subject").unwrap(),
        "Stuur het bericht zelf: zaak E-2"
    );
    let text = task.text();
    assert!(text.contains("Norm: email-ontvangstbevestiging"), "{text}");
    assert!(text.contains("De inwoner gaf geen e-mailadres"), "{text}");
    let notifications = app.get("/api/v1/notifications?team=kcc").await;
    let kinds: Vec<&str> = notifications
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["bericht_zelf_sturen"]);
    // The norm is not met by a task: the employee records the receipt.
    let norm = app.norm("E-2", "email-ontvangstbevestiging").await;
    assert_ne!(norm["state"], "gehaald", "{norm}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.smtp.received().len(), 1);
}

#[tokio::test]
async fn a_bad_address_is_refused_with_its_field() {
    let app = start("2026-06-08T08:00:00Z").await;
    let events = json!([received("e1", "E-3", "email", "2026-06-08T10:00:00+02:00")]);
    app.send(reqwest::Method::POST, "/api/v1/events", &events)
        .await;
    let response = app
        .client
        .put(format!("{}/api/v1/cases/E-3/contact", app.base))
        .bearer_auth(&app.token)
        .json(&json!({"email": "geen adres"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["field"], "email", "{problem}");
    let reader = app
        .client
        .put(format!("{}/api/v1/cases/E-3/contact", app.base))
        .json(&json!({"email": "a@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reader.status().as_u16(), 401);
}

impl App {
    fn clock_now(&self) -> Timestamp {
        use servicenorm_server::Clock;
        self.clock.now()
    }
}
