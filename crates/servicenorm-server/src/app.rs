//! Building and running the service.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request, State},
    middleware::{self, Next},
    response::Response,
    routing::{get, post, put},
};
use servicenorm_core::catalog::{self, CatalogVersions};
use servicenorm_storage::{Actor, StorageError, Store};
use tokio::net::TcpListener;

use crate::{
    Clock,
    catalog_cache::CatalogCache,
    metrics::Metrics,
    probes::{ProbeTarget, Probes, ProbesError, Recorder},
    routes,
    state::AppState,
};

/// How to run the service.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Where to listen; port 0 picks a free port (tests).
    pub address: SocketAddr,
    /// `sqlite:PATH` or `postgres://...`.
    pub database_url: String,
    /// Catalog versions to make sure are stored, as (TOML text, file name).
    pub catalogs: Vec<(String, String)>,
    /// How often the scheduler moves clocks and queues notifications.
    pub scheduler_every: std::time::Duration,
    /// The mail server for messages to residents and staff; none sends nothing.
    pub mail: Option<crate::MailSettings>,
    /// Websites to probe; each probe is stored as a `probe` event.
    pub probes: Vec<ProbeTarget>,
}

impl Settings {
    /// A free port on loopback, the scheduler every 30 seconds, no e-mail
    /// and no probes: the start for tests and benchmarks, which change
    /// only what they need (`Settings { mail, ..Settings::local(url, catalogs) }`).
    pub fn local(database_url: impl Into<String>, catalogs: Vec<(String, String)>) -> Settings {
        Settings {
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.into(),
            catalogs,
            scheduler_every: std::time::Duration::from_secs(30),
            mail: None,
            probes: Vec::new(),
        }
    }
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{0}")]
    Catalog(String),
    /// Demo data or the demo token could not be made.
    #[error("demo: {0}")]
    Demo(String),
    #[error(transparent)]
    Mail(#[from] crate::MailSettingsError),
    #[error(transparent)]
    Probes(#[from] ProbesError),
    #[error("kan niet luisteren op {address}: {source}")]
    Listen {
        address: SocketAddr,
        source: std::io::Error,
    },
}

/// The service, bound to its listener and ready to run.
pub struct Application {
    listener: TcpListener,
    catalogs: CatalogCache,
    router: Router,
    store: Store,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    scheduler_every: std::time::Duration,
    mail: Option<crate::MailSettings>,
    state: AppState,
    probes: Probes,
}

/// A request body may hold a batch of 10,000 events.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

impl Application {
    /// Opens the database (creating and migrating it), stores the given
    /// catalog versions, and binds the listener.
    pub async fn build(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, StartError> {
        if let Some(mail) = &settings.mail {
            mail.checked()?;
        }
        // reqwest is built without a crypto provider of its own: every HTTP
        // client in this process (the probes', a test's) needs ring first.
        crate::probes::install_crypto_provider();
        let probes = Probes::new(settings.probes)?;
        let store = Store::connect(&settings.database_url).await?;
        store.migrate().await?;
        let catalogs =
            CatalogCache::new(load_catalogs(&store, &settings.catalogs, clock.now()).await?);
        probes.check(&catalogs.current(), clock.now())?;
        let metrics = Arc::new(Metrics::default());
        let state = AppState {
            store: store.clone(),
            catalogs: catalogs.clone(),
            clock: clock.clone(),
            metrics: metrics.clone(),
            figures: crate::web::FiguresCache::default(),
        };
        let router = Router::new()
            .route("/health/live", get(routes::health::live))
            .route("/health/ready", get(routes::health::ready))
            .route("/api/openapi.json", get(routes::openapi::get))
            .route("/metrics", get(metrics_text))
            .route("/api/v1/events", post(routes::events::append))
            .route("/api/v1/cases/{case_id}", get(routes::cases::get))
            .route("/api/v1/cases/{case_id}/contact", put(routes::contact::put))
            .route("/api/v1/clocks", get(routes::clocks::list))
            .route("/api/v1/notifications", get(routes::notifications::list))
            .route("/api/v1/results", get(routes::results::get))
            .route("/api/v1/imports", post(routes::imports::upload))
            .route("/api/v1/calendars", get(routes::calendars::list))
            .route(
                "/api/v1/catalogs",
                get(routes::catalogs::list).post(routes::catalogs::upload),
            )
            .route(
                "/api/v1/calendars/{calendar_id}/holidays/{year}",
                get(routes::calendars::holidays),
            )
            .merge(crate::web::router())
            .layer(DefaultBodyLimit::max(BODY_LIMIT))
            .layer(middleware::from_fn_with_state(state.clone(), measure))
            .with_state(state.clone());
        let listener = TcpListener::bind(settings.address)
            .await
            .map_err(|source| StartError::Listen {
                address: settings.address,
                source,
            })?;
        Ok(Application {
            listener,
            catalogs,
            router,
            store,
            clock,
            metrics,
            scheduler_every: settings.scheduler_every,
            mail: settings.mail,
            state,
            probes,
        })
    }

    /// Fills an empty database with a year of demo events for the catalog
    /// (up to today), judged like events from the API, so that a newcomer
    /// sees a living system. Returns how many events were stored.
    pub async fn load_demo(&self, seed: u64) -> Result<u64, StartError> {
        if self.store.event_count().await? > 0 {
            return Ok(0);
        }
        let catalogs = self.catalogs.current();
        let Some(catalog) = catalogs.latest() else {
            return Ok(0);
        };
        let now = self.clock.now();
        let today = servicenorm_core::time::Moment::in_amsterdam(now).date();
        let year_ago = today
            .checked_sub(jiff::ToSpan::days(365))
            .map_err(|e| StartError::Demo(e.to_string()))?;
        // Cases from before the catalog took effect have no norms to be judged against.
        let from = year_ago.max(catalog.valid_from);
        if from >= today {
            return Ok(0);
        }
        let options = servicenorm_demo::Options {
            from,
            to: today,
            seed,
        };
        let generator = servicenorm_demo::Generator::new(catalog, &options)
            .map_err(|e| StartError::Demo(e.to_string()))?;
        let actor = servicenorm_storage::Actor::new("demo", "serve --demo");
        let mut stored = 0;
        let mut batch = Vec::with_capacity(1000);
        for event in generator.filter(|e| e.at <= now) {
            batch.push(event);
            if batch.len() == 1000 {
                stored += self.ingest(&batch, &actor, now).await?;
                batch.clear();
            }
        }
        stored += self.ingest(&batch, &actor, now).await?;
        Ok(stored)
    }

    /// A fresh read token for the demo, so a newcomer can call the API at once.
    /// Only its hash is stored, like every other token.
    pub async fn demo_token(&self) -> Result<String, StartError> {
        let token = crate::auth::new_token().map_err(StartError::Demo)?;
        let actor = servicenorm_storage::Actor::new("demo", "serve --demo");
        // Token names are unique; each start of the demo makes its own.
        let name = format!("demo-{}", &token.hash[..12]);
        self.store
            .create_token(&name, &token.hash, "read", &actor, self.clock.now())
            .await?;
        Ok(token.token)
    }

    /// Makes the demo staff accounts (one per role, in the catalog's first
    /// team) with one fresh password, and returns it; none when they exist
    /// already (their password was shown at the first start).
    pub async fn demo_accounts(&self) -> Result<Option<String>, StartError> {
        if self.store.user("demo-medewerker").await?.is_some() {
            return Ok(None);
        }
        let password = crate::auth::new_token().map_err(StartError::Demo)?.token[3..19].to_string();
        let hash = crate::web::password::hash(&password).map_err(StartError::Demo)?;
        let team = self
            .catalogs
            .current()
            .latest()
            .and_then(|c| c.teams.first().map(|t| t.id.clone()));
        let actor = servicenorm_storage::Actor::new("demo", "serve --demo");
        for role in crate::roles::Role::ALL {
            let user = servicenorm_storage::NewUser {
                name: format!("demo-{}", role.as_str()),
                password_hash: hash.clone(),
                role: role.as_str().to_string(),
                team: team.clone(),
            };
            self.store
                .create_user(&user, &actor, self.clock.now())
                .await?;
        }
        Ok(Some(password))
    }

    async fn ingest(
        &self,
        events: &[servicenorm_core::events::Event],
        actor: &servicenorm_storage::Actor,
        now: jiff::Timestamp,
    ) -> Result<u64, StartError> {
        let catalogs = self.catalogs.current();
        let outcome =
            crate::judge::store_judged(&self.store, &catalogs, events, actor, now, &[]).await?;
        Ok(outcome.stored as u64)
    }

    /// The address actually bound (with the port chosen for port 0).
    pub fn address(&self) -> Result<SocketAddr, std::io::Error> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), std::io::Error> {
        let scheduler = tokio::spawn(schedule(
            self.store.clone(),
            self.catalogs.clone(),
            self.clock.clone(),
            self.metrics.clone(),
            self.scheduler_every,
        ));
        let postman = self
            .mail
            .map(|mail| tokio::spawn(crate::mail::run(self.state.clone(), mail)));
        if !self.probes.is_empty() {
            tracing::info!(controles = self.probes.len(), "websitecontroles gestart");
        }
        let recorder = Recorder {
            store: self.store.clone(),
            catalogs: self.catalogs.clone(),
            metrics: self.metrics.clone(),
        };
        let mut probes = self.probes.spawn(recorder, self.clock.clone());
        let result = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await;
        scheduler.abort();
        if let Some(postman) = postman {
            postman.abort();
        }
        // A probe cut off here leaves its slot claimed and unrecorded: that
        // slot is simply not counted.
        probes.abort_all();
        while probes.join_next().await.is_some() {}
        self.store.close().await;
        result
    }
}

/// Counts every request and its duration.
async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .request(response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

async fn metrics_text(State(state): State<AppState>) -> Result<String, crate::problem::ApiError> {
    let clocks = state.store.clock_counts().await?;
    Ok(state.metrics.render(&clocks, state.clock.now().as_second()))
}

/// Moves clocks to at risk and missed as time passes and queues the
/// notifications, every `every`, by the injected clock's time.
async fn schedule(
    store: Store,
    catalogs: CatalogCache,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    every: std::time::Duration,
) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        // A version uploaded through another instance takes effect here too.
        match catalogs.refresh(&store).await {
            Ok(true) => tracing::info!("nieuwe catalogusversie geladen"),
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "catalogus kon niet worden herladen"),
        }
        let now = clock.now();
        let outcome = store.tick(now).await;
        if outcome.is_ok() {
            metrics.scheduled(now.as_second());
        }
        match outcome {
            Ok(outcome) if outcome.at_risk + outcome.missed + outcome.notifications > 0 => {
                tracing::info!(
                    at_risk = outcome.at_risk,
                    missed = outcome.missed,
                    notifications = outcome.notifications,
                    "klokken bijgewerkt"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "planner kon de klokken niet bijwerken"),
        }
    }
}

/// Stores each given catalog version unless the same version is stored,
/// then loads every stored version of those catalogs.
pub(crate) async fn load_catalogs(
    store: &Store,
    files: &[(String, String)],
    now: jiff::Timestamp,
) -> Result<CatalogVersions, StartError> {
    let mut ids = Vec::new();
    for (text, origin) in files {
        let parsed =
            catalog::parse(text, origin).map_err(|e| StartError::Catalog(e.to_string()))?;
        let summary = serde_json::json!({ "id": parsed.id, "norms": parsed.norms.len() });
        match store
            .put_catalog(
                &parsed.id,
                parsed.valid_from,
                text,
                &summary,
                &Actor::new("serve", "start"),
                now,
            )
            .await
        {
            Ok(()) => {}
            Err(StorageError::CatalogExists { .. }) => {
                // The stored version is the one cases were judged by; a file
                // that differs from it is not used, and the operator is told.
                let same = store
                    .catalogs(&parsed.id)
                    .await?
                    .iter()
                    .any(|s| s.valid_from == parsed.valid_from && s.toml == *text);
                if !same {
                    tracing::warn!(
                        file = %origin,
                        valid_from = %parsed.valid_from,
                        "dit catalogusbestand wijkt af van de opgeslagen versie met dezelfde \
                         valid_from; de opgeslagen versie blijft gelden. Geef een nieuwe versie \
                         een eigen valid_from"
                    );
                }
            }
            Err(e) => return Err(e.into()),
        }
        if !ids.contains(&parsed.id) {
            ids.push(parsed.id.clone());
        }
    }
    let mut stored = Vec::new();
    for id in &ids {
        stored.extend(store.catalogs(id).await?);
    }
    crate::catalog_cache::parse_stored(&stored).map_err(|e| StartError::Catalog(e.to_string()))
}
