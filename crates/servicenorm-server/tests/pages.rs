//! The pages, used over HTTP as a browser would: with cookies, forms and
//! redirects, on the real service with a fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{collections::BTreeMap, sync::Arc};

use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use servicenorm_server::{Application, Clock, ManualClock, Settings, web::password};
use servicenorm_storage::{Actor, NewUser, Store};

mod common;
use common::{fresh_database, make_token};

const PASSWORD: &str = "een lang wachtwoord";

struct Site {
    base: String,
    clock: Arc<ManualClock>,
    client: reqwest::Client,
    database_url: String,
    writer: String,
    _dir: tempfile::TempDir,
}

/// A browser: its cookies, sent back as a browser on localhost would.
#[derive(Default)]
struct Browser {
    cookies: BTreeMap<String, String>,
}

struct Page {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    body: String,
}

impl Page {
    /// The value of the first hidden `csrf` input.
    fn csrf(&self) -> String {
        let start = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a form token")
            + 19;
        let end = self.body[start..].find('"').unwrap();
        self.body[start..start + end].to_string()
    }
}

/// Reads HTML text back: the named and numbered entities an escaper writes.
fn unescape(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').unwrap() + at;
        let entity = &rest[at + 1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            number => char::from_u32(
                number
                    .strip_prefix("#x")
                    .map(|hex| u32::from_str_radix(hex, 16).unwrap())
                    .unwrap_or_else(|| number.trim_start_matches('#').parse().unwrap()),
            )
            .unwrap(),
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

async fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let catalog = include_str!("../../../catalogs/heemskerk.toml").to_string();
    let database_url = fresh_database(dir.path()).await;
    let settings = Settings {
        scheduler_every: std::time::Duration::from_millis(20),
        ..Settings::local(
            database_url.clone(),
            vec![(catalog, "heemskerk.toml".into())],
        )
    };
    // Thursday 2 April 2026, 10:00 in Heemskerk.
    let clock = Arc::new(ManualClock::new("2026-04-02T08:00:00Z".parse().unwrap()));
    let app = Application::build(settings, clock.clone()).await.unwrap();
    let base = format!("http://{}", app.address().unwrap());
    tokio::spawn(app.run_until(std::future::pending()));
    let store = Store::connect(&database_url).await.unwrap();
    for (name, role, team) in [
        ("medewerker", "medewerker", Some("kcc")),
        ("teamleider", "teamleider", Some("kcc")),
        ("beheerder", "beheerder", None),
    ] {
        let user = NewUser {
            name: name.into(),
            password_hash: password::hash(PASSWORD).unwrap(),
            role: role.into(),
            team: team.map(str::to_string),
        };
        store
            .create_user(&user, &Actor::new("test", "test"), Timestamp::now())
            .await
            .unwrap();
    }
    store.close().await;
    let writer = make_token(&database_url, "telefonie", "write").await;
    Site {
        base,
        clock,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        database_url,
        writer,
        _dir: dir,
    }
}

impl Site {
    async fn send(&self, browser: &mut Browser, request: reqwest::RequestBuilder) -> Page {
        let cookie = browser
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let response = request.header("cookie", cookie).send().await.unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for set in &set_cookies {
            let pair = set.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                browser.cookies.remove(name);
            } else {
                browser.cookies.insert(name.to_string(), value.to_string());
            }
        }
        Page {
            status,
            location,
            set_cookies,
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&self, browser: &mut Browser, path: &str) -> Page {
        let request = self.client.get(format!("{}{path}", self.base));
        self.send(browser, request).await
    }

    async fn post(&self, browser: &mut Browser, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.client.post(format!("{}{path}", self.base)).form(form);
        self.send(browser, request).await
    }

    async fn login(&self, name: &str) -> Browser {
        let mut browser = Browser::default();
        let form = self.get(&mut browser, "/inloggen").await;
        let token = form.csrf();
        let done = self
            .post(
                &mut browser,
                "/inloggen",
                &[
                    ("csrf", &token),
                    ("name", name),
                    ("password", PASSWORD),
                    ("terug", "/werkvoorraad"),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        browser
    }

    async fn events(&self, events: serde_json::Value) {
        let response = self
            .client
            .post(format!("{}/api/v1/events", self.base))
            .bearer_auth(&self.writer)
            .json(&events)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            200,
            "{}",
            response.text().await.unwrap()
        );
    }
}

#[tokio::test]
async fn the_public_page_shows_every_promise_and_last_quarters_figures_without_login() {
    let site = site().await;
    // Two callbacks in March (2026 K1): one in time, one too late.
    site.events(json!([
        {"id": "e1", "case": "t1", "type": "callback_requested", "at": "2026-03-02T10:00:00+01:00", "case_type": "telefoongesprek"},
        {"id": "e2", "case": "t1", "type": "callback_done", "at": "2026-03-03T10:00:00+01:00"},
        {"id": "e3", "case": "t2", "type": "callback_requested", "at": "2026-03-09T10:00:00+01:00", "case_type": "telefoongesprek"},
        {"id": "e4", "case": "t2", "type": "callback_done", "at": "2026-03-16T10:00:00+01:00"},
    ]))
    .await;
    let mut visitor = Browser::default();
    let page = site.get(&mut visitor, "/servicenormen").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<h1 class=\"utrecht-heading-1\">Onze servicenormen</h1>")
    );
    // Every promise of the catalog, in its own words.
    let catalog = servicenorm_core::catalog::parse(
        include_str!("../../../catalogs/heemskerk.toml"),
        "heemskerk.toml",
    )
    .unwrap();
    let text = unescape(&page.body);
    for norm in &catalog.norms {
        assert!(text.contains(&norm.text), "missing: {}", norm.text);
    }
    assert!(
        page.body
            .contains("In 2026 K1 lukte dit <strong>50%</strong> van de keer (2 keer gemeten)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Doel niet gehaald"));
    // Only counts: no case ids.
    assert!(!text.contains("t1") && !text.contains("t2"));
    assert!(!page.body.contains("/zaken/"));
}

#[tokio::test]
async fn pages_for_staff_need_a_login_and_sessions_use_safe_cookies() {
    let site = site().await;
    let mut visitor = Browser::default();
    let page = site.get(&mut visitor, "/werkvoorraad").await;
    assert_eq!(page.status, 303);
    assert_eq!(
        page.location.as_deref(),
        Some("/inloggen?terug=/werkvoorraad")
    );

    let mut browser = Browser::default();
    let form = site.get(&mut browser, "/inloggen").await;
    let token = form.csrf();
    let done = site
        .post(
            &mut browser,
            "/inloggen",
            &[
                ("csrf", &token),
                ("name", "medewerker"),
                ("password", PASSWORD),
                ("terug", "/werkvoorraad"),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(done.location.as_deref(), Some("/werkvoorraad"));
    let session = done
        .set_cookies
        .iter()
        .find(|c| c.starts_with("servicenorm_sessie="))
        .unwrap();
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(session.contains(flag), "{session}");
    }
    let queue = site.get(&mut browser, "/werkvoorraad").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("Ingelogd als medewerker (Medewerker)"));

    // A redirect after login never leaves the site.
    let mut other = Browser::default();
    let token = site.get(&mut other, "/inloggen").await.csrf();
    let done = site
        .post(
            &mut other,
            "/inloggen",
            &[
                ("csrf", &token),
                ("name", "medewerker"),
                ("password", PASSWORD),
                ("terug", "//elders.example/"),
            ],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/werkvoorraad"));

    // Logging out ends the session in the database, not only the cookie.
    let stolen = browser.cookies.clone();
    let csrf = queue.csrf();
    let out = site
        .post(&mut browser, "/uitloggen", &[("csrf", &csrf)])
        .await;
    assert_eq!(out.status, 303);
    let mut thief = Browser { cookies: stolen };
    assert_eq!(site.get(&mut thief, "/werkvoorraad").await.status, 303);
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let site = site().await;
    let mut browser = Browser::default();
    // Each page of the login form comes with a fresh form token.
    let mut page = site.get(&mut browser, "/inloggen").await;
    let attempt = |password: &'static str, name: &'static str, token: String| {
        let form = [
            ("csrf", token),
            ("name", name.into()),
            ("password", password.into()),
            ("terug", "/".into()),
        ];
        site.client
            .post(format!("{}/inloggen", site.base))
            .form(&form)
    };
    for tries in 1..=5 {
        page = site
            .send(&mut browser, attempt("fout", "medewerker", page.csrf()))
            .await;
        assert_eq!(page.status, 422, "attempt {tries}");
        let locked = page.body.contains("Uw account is op slot");
        assert_eq!(locked, tries == 5, "attempt {tries}: {}", page.body);
    }
    // The right password does not help while the lock lasts.
    page = site
        .send(&mut browser, attempt(PASSWORD, "medewerker", page.csrf()))
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Uw account is op slot"));
    // An unknown name gets the same message as a wrong password.
    page = site
        .send(&mut browser, attempt("fout", "niemand", page.csrf()))
        .await;
    assert!(page.body.contains("Uw naam of wachtwoord klopt niet"));

    site.clock
        .set(site.clock.now() + SignedDuration::from_mins(16));
    page = site
        .send(&mut browser, attempt(PASSWORD, "medewerker", page.csrf()))
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

#[tokio::test]
async fn a_form_without_the_sessions_token_is_refused_and_stores_nothing() {
    let site = site().await;
    let mut browser = site.login("medewerker").await;
    let page = site
        .post(
            &mut browser,
            "/contact/nieuw",
            &[
                ("csrf", "vals"),
                ("soort", "telefoongesprek|callback_requested"),
                ("moment", "2026-04-02T09:30"),
            ],
        )
        .await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("Formulier verlopen"));
    let queue = site.get(&mut browser, "/werkvoorraad").await;
    assert!(queue.body.contains("Er staat niets open"));
    // The login form has its own token too.
    let mut stranger = Browser::default();
    let page = site
        .post(
            &mut stranger,
            "/inloggen",
            &[
                ("csrf", "vals"),
                ("name", "medewerker"),
                ("password", PASSWORD),
                ("terug", "/"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Het formulier was verlopen"));
}

#[tokio::test]
async fn a_callback_is_registered_worked_from_the_queue_and_counted_on_the_dashboard() {
    let site = site().await;
    let mut staff = site.login("medewerker").await;
    let form = site.get(&mut staff, "/contact/nieuw").await;
    assert!(
        form.body
            .contains("Telefoongesprek via 14 0251: terugbelafspraak gemaakt")
    );
    let saved = site
        .post(
            &mut staff,
            "/contact/nieuw",
            &[
                ("csrf", &form.csrf()),
                ("soort", "telefoongesprek|callback_requested"),
                ("moment", "2026-04-02T09:30"),
                ("kenmerk", "T-100"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some("/zaken/T-100?opgeslagen=nieuw")
    );

    // Thursday 09:30 plus 2 werkdagen: Monday 6 April is Tweede Paasdag, so
    // the callback is due on Tuesday 7 April (Goede Vrijdag is a working day).
    let queue = site.get(&mut staff, "/werkvoorraad").await;
    assert!(
        queue.body.contains("href=\"/zaken/T-100\""),
        "{}",
        queue.body
    );
    assert!(queue.body.contains("di 7 apr 23:59"), "{}", queue.body);
    assert!(queue.body.contains("nog 2 werkdagen"), "{}", queue.body);

    let case = site.get(&mut staff, "/zaken/T-100").await;
    assert!(
        case.body
            .contains("Waarom eindigt deze termijn op dinsdag 7 april 2026?")
    );
    assert!(case.body.contains("Tweede Paasdag"), "{}", case.body);

    site.clock
        .set(site.clock.now() + SignedDuration::from_hours(3));
    let done = site
        .post(
            &mut staff,
            "/zaken/T-100",
            &[
                ("csrf", &case.csrf()),
                ("gebeurtenis", "callback_done"),
                ("moment", "2026-04-02T12:45"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let case = site.get(&mut staff, "/zaken/T-100?opgeslagen=stap").await;
    assert!(case.body.contains("teruggebeld"));
    assert!(
        case.body.contains("utrecht-badge-status--safe\">gehaald"),
        "{}",
        case.body
    );
    let queue = site.get(&mut staff, "/werkvoorraad").await;
    assert!(!queue.body.contains("T-100"));

    // A medewerker does not see the dashboard; the team lead does.
    assert_eq!(site.get(&mut staff, "/dashboard").await.status, 403);
    let mut lead = site.login("teamleider").await;
    let dashboard = site.get(&mut lead, "/dashboard").await;
    assert_eq!(dashboard.status, 200);
    assert!(
        dashboard.body.contains("april 2026: <span class=\"servicenorm-figure\">100%</span>\n    op tijd. 1 gehaald, 0 niet gehaald, 0 nog open."),
        "{}",
        dashboard.body
    );
    assert!(dashboard.body.contains("<svg"));
    for caption in [
        "Per team in 2026 K2</caption>",
        "Per gemeente in 2026 K2</caption>",
    ] {
        assert!(dashboard.body.contains(caption), "{caption}");
    }
    assert!(
        dashboard
            .body
            .contains("<td class=\"utrecht-table__cell\">Klantcontactcentrum</td>")
    );
    let csv = site.get(&mut lead, "/dashboard/export.csv").await;
    assert!(csv.body.starts_with("periode;norm;tekst;zaken;gehaald"));
    assert!(csv.body.contains("april 2026;telefoon-terugbellen;"));
    let report = site
        .get(&mut lead, "/dashboard/rapport?jaar=2026&kwartaal=2")
        .await;
    assert_eq!(report.status, 200);
    assert!(report.body.contains("Servicenormen 2026 kwartaal 2"));
}

#[tokio::test]
async fn mistakes_in_a_form_are_explained_per_field_and_nothing_is_stored() {
    let site = site().await;
    let mut staff = site.login("medewerker").await;
    let form = site.get(&mut staff, "/contact/nieuw").await;
    let page = site
        .post(
            &mut staff,
            "/contact/nieuw",
            &[
                ("csrf", &form.csrf()),
                ("soort", ""),
                ("moment", "2026-04-09T09:30"),
                ("kenmerk", "Jan de Vries, Dorpsstraat 1"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Kies wat voor contact het is."));
    assert!(page.body.contains("Deze tijd ligt in de toekomst."));
    assert!(page.body.contains("Een kenmerk heeft hoogstens 40 tekens"));
    assert!(page.body.contains("aria-invalid=\"true\""));
    let queue = site.get(&mut staff, "/werkvoorraad").await;
    assert!(queue.body.contains("Er staat niets open"));

    // A pause needs a reason; an extension needs a term that reads.
    site.events(json!([{"id": "e1", "case": "b1", "type": "received", "at": "2026-04-01T10:00:00+02:00", "case_type": "brief-email"}]))
        .await;
    let case = site.get(&mut staff, "/zaken/b1").await;
    let page = site
        .post(
            &mut staff,
            "/zaken/b1",
            &[
                ("csrf", &case.csrf()),
                ("gebeurtenis", "extended"),
                ("moment", "2026-04-02T09:00"),
                ("termijn", "een tijdje"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Schrijf kort op waarom."));
    assert!(unescape(&page.body).contains("\"een tijdje\" is geen termijn"));
    assert!(!page.body.contains("verlengd of verdaagd</li>"));
}

#[tokio::test]
async fn the_facts_a_norm_depends_on_are_asked_only_where_they_belong() {
    let site = site().await;
    let mut staff = site.login("medewerker").await;
    let form = site.get(&mut staff, "/contact/nieuw").await;
    assert!(
        form.body
            .contains("Alleen bij: Melding over een gebrek of overlast in de woonomgeving.")
    );
    // Danger does not belong to a phone call.
    let page = site
        .post(
            &mut staff,
            "/contact/nieuw",
            &[
                ("csrf", &form.csrf()),
                ("soort", "telefoongesprek|callback_requested"),
                ("moment", "2026-04-02T09:30"),
                ("spoed", "ja"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(unescape(&page.body).contains(
        "\"Er is gevaar of kans op schade (spoed)\" hoort niet bij \"Telefoongesprek via 14 0251\""
    ));
    // A report of danger gets the 12-hour promise.
    let page = site
        .post(
            &mut staff,
            "/contact/nieuw",
            &[
                ("csrf", &form.csrf()),
                ("soort", "melding-woonomgeving|received"),
                ("moment", "2026-04-02T09:30"),
                ("spoed", "ja"),
                ("binnengekomen_via", "telefonisch"),
                ("kenmerk", "M-1"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let case = site.get(&mut staff, "/zaken/M-1").await;
    let text = unescape(&case.body);
    assert!(
        text.contains("Uiterlijk: donderdag 2 april 2026 om 21:30."),
        "{text}"
    );
    assert!(text.contains("spoed"));
}

#[tokio::test]
async fn an_administrator_sees_a_new_catalog_version_checked_and_compared_before_saving() {
    let site = site().await;
    let mut medewerker = site.login("medewerker").await;
    assert_eq!(
        site.get(&mut medewerker, "/beheer/catalogus").await.status,
        403
    );

    let mut admin = site.login("beheerder").await;
    let page = site.get(&mut admin, "/beheer/catalogus").await;
    assert!(page.body.contains("(geldt nu)"));
    let original = include_str!("../../../catalogs/heemskerk.toml");
    let upload = |text: String, csrf: String| {
        let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
            "bestand",
            reqwest::multipart::Part::text(text).file_name("nieuw.toml"),
        );
        site.client
            .post(format!("{}/beheer/catalogus/controle", site.base))
            .multipart(form)
    };
    // A broken version: every problem with its line and column.
    let broken = original
        .replace("valid_from = 2026-01-01", "valid_from = 2026-05-01")
        .replace(
            "term = \"2 werkdagen\"\ncalendar = \"heemskerk\"\nstart = \"callback_requested\"",
            "term = \"2 werkdagjes\"\ncalendar = \"heemskerk\"\nstart = \"callback_requested\"",
        );
    assert_ne!(broken, original);
    let page = site.send(&mut admin, upload(broken, page.csrf())).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("Fout: deze versie is niet opgeslagen"));
    assert!(page.body.contains("Regel "), "{}", page.body);

    // A good version: the differences, then saved on confirmation.
    let page = site.get(&mut admin, "/beheer/catalogus").await;
    let newer = original
        .replace("valid_from = 2026-01-01", "valid_from = 2026-05-01")
        .replace("streefwaarde = 0.8\n", "streefwaarde = 0.85\n");
    let page = site.send(&mut admin, upload(newer, page.csrf())).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Controle gelukt"));
    assert!(
        page.body.contains("de streefwaarde wordt 85% (was 80%)"),
        "{}",
        page.body
    );
    let start = page.body.find("name=\"toml\" value=\"").unwrap() + 19;
    let end = page.body[start..].find('"').unwrap();
    let escaped = &page.body[start..start + end];
    let text = unescape(escaped);
    let saved = site
        .post(
            &mut admin,
            "/beheer/catalogus/opslaan",
            &[("csrf", &page.csrf()), ("toml", &text)],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = site
        .get(&mut admin, "/beheer/catalogus?opgeslagen=2026-05-01")
        .await;
    assert!(
        page.body.contains("Geldt vanaf vrijdag 1 mei 2026"),
        "{}",
        page.body
    );

    let calendars = site.get(&mut admin, "/beheer/kalenders?jaar=2026").await;
    assert!(
        calendars
            .body
            .contains("maandag 6 april 2026: Tweede Paasdag"),
        "{}",
        calendars.body
    );
    let store = Store::connect(&site.database_url).await.unwrap();
    assert_eq!(store.catalogs("heemskerk").await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_export_uploaded_through_the_api_is_imported_once_and_a_bad_one_not_at_all() {
    let site = site().await;
    let export = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../mappings/voorbeelden/telefonie.csv"
    ))
    .unwrap();
    let upload = |query: &str, body: Vec<u8>| {
        site.client
            .post(format!("{}/api/v1/imports?{query}", site.base))
            .bearer_auth(&site.writer)
            .body(body)
    };
    let json = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        (status, response.json::<serde_json::Value>().await.unwrap())
    };
    let (status, body) = json(
        upload("mapping=telefonie&dry_run=true", export.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["events"].as_u64(), body["stored"].as_u64()),
        (200, Some(15), Some(0)),
        "{body}"
    );

    let (status, body) = json(
        upload("mapping=telefonie", export.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body["stored"].as_u64()), (200, Some(15)), "{body}");
    let (_, body) = json(
        upload("mapping=telefonie", export.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (body["stored"].as_u64(), body["repeated"].as_u64()),
        (Some(0), Some(15)),
        "{body}"
    );

    // The stored calls are judged too: a case row is written only then.
    let store = Store::connect(&site.database_url).await.unwrap();
    let judged = store.case("tel-G-1003").await.unwrap().unwrap();
    assert_eq!(
        (judged.case_type.as_str(), judged.team.as_deref()),
        ("telefoongesprek", Some("kcc"))
    );
    store.close().await;

    let mut bad = export.clone();
    bad.extend_from_slice(b"G-2000;02-04-2026 09:00:00;veel;ja;0;10;Algemeen\r\n");
    let (status, body) = json(
        upload("mapping=telefonie", bad.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["line"].as_u64(), Some(6), "{body}");
    assert_eq!(body["errors"][0]["column"].as_u64(), Some(3), "{body}");
    assert_eq!(
        body["errors"][0]["field"].as_str(),
        Some("Wachttijd (sec)"),
        "{body}"
    );
    let (status, body) = json(
        upload("mapping=telefonie&skip_invalid=true", bad)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (
            status,
            body["repeated"].as_u64(),
            body["problems"].as_array().map(Vec::len)
        ),
        (200, Some(15), Some(1)),
        "{body}"
    );

    let (status, body) = json(upload("mapping=fax", export).send().await.unwrap()).await;
    assert_eq!(status, 422, "{body}");
}
