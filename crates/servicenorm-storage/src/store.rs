//! The store: the same operations on SQLite and on PostgreSQL.

use std::{collections::BTreeMap, str::FromStr, sync::Arc, time::Duration};

use jiff::{Timestamp, civil::Date};
use servicenorm_core::events::{Event, read::EventReader};
use sqlx::{
    Row,
    postgres::{PgConnectOptions, PgPoolOptions, PgRow},
    sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
    },
};

use crate::{
    Actor, AppendOutcome, AuditEntry, CaseRow, ClockRow, Cursor, OutboxItem, Page, QueueFilter,
    StorageError, StoredCatalog, TickOutcome, TokenRow,
    convert::{date_to_days, days_to_date, optional_instant, seconds_to_instant},
    queries::{self, Dialect, padded, value_rows},
};

/// Where servicenorm keeps its data: an embedded SQLite file or PostgreSQL.
#[derive(Clone, Debug)]
pub enum Store {
    /// SQLite has one writer at a time. All writes go through `writer`, a
    /// pool of one connection: a second writer waits for it in this process
    /// (woken at once) instead of polling SQLite's lock, and the one
    /// connection's page cache stays warm, where a write on another
    /// connection would make it read its pages again. Reads use `readers`.
    Sqlite {
        readers: sqlx::SqlitePool,
        writer: sqlx::SqlitePool,
        /// `checkpoint_wal`, while any handle to the store lives (none
        /// outside a Tokio runtime).
        checkpoints: Option<Arc<Background>>,
    },
    Postgres(sqlx::PgPool),
}

/// A background task that stops when the last handle to it is dropped: a
/// store dropped without `close` must not keep its connections open.
#[derive(Debug)]
pub struct Background(tokio::task::JoinHandle<()>);

impl Drop for Background {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `$body` with `$pool` bound to one of the backend's pools (for
/// SQLite the field `$sqlite`: `readers` or `writer`; PostgreSQL has one
/// pool for both) and `$dialect` to its SQL dialect. The body is the same
/// text for both backends; the compiler checks it once per backend.
macro_rules! on_backend {
    ($store:expr, $sqlite:ident, $pool:ident, $dialect:ident => $body:expr) => {
        match $store {
            Store::Sqlite { $sqlite: $pool, .. } => {
                let $dialect = Dialect::Sqlite;
                $body
            }
            Store::Postgres($pool) => {
                let $dialect = Dialect::Postgres;
                $body
            }
        }
    };
}
pub(crate) use on_backend;

/// `on_backend!` with the pool for reading.
macro_rules! on_pool {
    ($store:expr, $pool:ident, $dialect:ident => $body:expr) => {
        crate::store::on_backend!($store, readers, $pool, $dialect => $body)
    };
}
pub(crate) use on_pool;

/// `on_backend!` with the pool for writing.
macro_rules! on_writer {
    ($store:expr, $pool:ident, $dialect:ident => $body:expr) => {
        crate::store::on_backend!($store, writer, $pool, $dialect => $body)
    };
}
pub(crate) use on_writer;

/// Writes one line of the audit log in transaction `$tx`: who (`$actor`),
/// what (`$action` on `$subject`, with `$detail`), when (`$now`).
macro_rules! write_audit {
    ($tx:ident, $dialect:ident, $now:expr, $actor:expr, $action:expr, $subject:expr, $detail:expr) => {{
        let actor: &crate::Actor = $actor;
        sqlx::query($dialect.sql(crate::queries::INSERT_AUDIT))
            .bind($now.as_second())
            .bind(&actor.name)
            .bind(&actor.via)
            .bind($action)
            .bind($subject)
            .bind($detail)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use write_audit;

/// Reads a team notification from a row of either database (the columns
/// of `queries::OUTBOX_COLUMNS`).
macro_rules! outbox_item {
    ($row:expr) => {{
        let row = $row;
        Ok::<crate::OutboxItem, StorageError>(crate::OutboxItem {
            id: row.try_get("id")?,
            created_at: crate::convert::seconds_to_instant(row.try_get("created_at")?)?,
            kind: row.try_get("kind")?,
            case_id: row.try_get("case_id")?,
            norm_id: row.try_get("norm_id")?,
            team: row.try_get("team")?,
            deadline: crate::convert::optional_instant(row.try_get("deadline")?)?,
            sent_at: crate::convert::optional_instant(row.try_get("sent_at")?)?,
        })
    }};
}
pub(crate) use outbox_item;

/// `$aggregate` (see `Dialect::of_cases`) over `$columns` of the rows of
/// `$table` that belong to the cases `$ids`, read in transaction `$tx`: one
/// text per statement that found rows. A macro for the same reason as
/// `on_pool!`: one text, checked per backend.
macro_rules! of_cases {
    ($tx:ident, $dialect:ident, $ids:expr, $aggregate:expr, $columns:expr, $table:expr) => {{
        let ids: &[&str] = $ids;
        let dialect = $dialect;
        let mut texts: Vec<String> = Vec::new();
        for chunk in ids.chunks(queries::ROWS_PER_STATEMENT) {
            let rows = dialect.rows_for(chunk.len());
            let sql = dialect.of_cases($aggregate, $columns, $table, rows);
            let mut query = sqlx::query(dialect.sql(&sql));
            for id in padded(chunk, rows) {
                query = query.bind(*id);
            }
            let text: Option<String> = query.fetch_one(&mut *$tx).await?.try_get("result")?;
            texts.extend(text);
        }
        texts
    }};
}

/// The stored clocks of the cases `$ids`, read in transaction `$tx`.
macro_rules! stored_clocks {
    ($tx:ident, $dialect:ident, $ids:expr) => {{
        let aggregate = $dialect.json_rows_of(queries::CLOCK_FIELDS);
        let mut stored: Vec<ClockRow> = Vec::new();
        for json in of_cases!(
            $tx,
            $dialect,
            $ids,
            &aggregate,
            queries::CLOCK_FIELDS,
            "clocks"
        ) {
            stored.extend(clocks_from_json(Some(&json))?);
        }
        stored
    }};
}

/// Writes judged cases and the clocks that changed, in transaction `$tx`:
/// `$stored` holds the clocks stored for these cases before (see
/// `stored_clocks!`). Only clocks that changed are written: writing a clock
/// touches every queue index, and a new event mostly moves one clock of
/// its case, if any.
macro_rules! write_cases {
    ($tx:ident, $dialect:ident, $cases:expr, $stored:expr, $now:expr) => {{
        let cases: &[(CaseRow, Vec<ClockRow>)] = $cases;
        let stored: &[ClockRow] = $stored;
        let now: Timestamp = $now;
        let dialect = $dialect;
        let tx = &mut $tx;
        let case_queries: Vec<_> = cases
            .chunks(queries::ROWS_PER_STATEMENT)
            .map(|chunk| {
                let rows = dialect.rows_for(chunk.len());
                let sql = format!(
                    "{}{} {}",
                    queries::INSERT_CASES,
                    value_rows(rows, queries::CASE_COLUMNS),
                    queries::UPSERT_CASES_TAIL,
                );
                let mut query = sqlx::query(dialect.sql(&sql));
                for (case, _) in padded(chunk, rows) {
                    query = query
                        .bind(&case.case_id)
                        .bind(&case.case_type)
                        .bind(&case.municipality)
                        .bind(&case.team)
                        .bind(case.received_at.as_second())
                        .bind(date_to_days(case.catalog_valid_from))
                        .bind(now.as_second());
                }
                query
            })
            .collect();
        let stored: BTreeMap<(&str, &str), &ClockRow> = stored
            .iter()
            .map(|c| ((c.case_id.as_str(), c.norm_id.as_str()), c))
            .collect();
        let fresh: BTreeMap<(&str, &str), &ClockRow> = cases
            .iter()
            .flat_map(|(_, clocks)| clocks)
            .map(|c| ((c.case_id.as_str(), c.norm_id.as_str()), c))
            .collect();
        // The clock statements are made while the database writes the cases.
        let write_cases = async {
            for query in case_queries {
                query.execute(&mut **tx).await?;
            }
            Ok::<(), StorageError>(())
        };
        let clock_queries = async {
            let mut queries = Vec::new();
            let gone: Vec<(&str, &str)> = stored
                .keys()
                .filter(|key| !fresh.contains_key(*key))
                .copied()
                .collect();
            for pairs in gone.chunks(queries::ROWS_PER_STATEMENT) {
                let sql = format!(
                    "DELETE FROM clocks WHERE (case_id, norm_id) IN ({})",
                    vec!["(?, ?)"; pairs.len()].join(", ")
                );
                let mut query = sqlx::query(dialect.sql(&sql));
                for (case_id, norm_id) in pairs {
                    query = query.bind(*case_id).bind(*norm_id);
                }
                queries.push(query);
            }
            // New clocks and those with another deadline or team are
            // written whole; the others without those two columns.
            let mut moved: Vec<&ClockRow> = Vec::new();
            let mut in_place: Vec<&ClockRow> = Vec::new();
            for (key, clock) in &fresh {
                match stored.get(key) {
                    Some(old) if old == clock => {}
                    Some(old) if old.deadline == clock.deadline && old.team == clock.team => {
                        in_place.push(clock)
                    }
                    _ => moved.push(clock),
                }
            }
            let groups = [
                (moved, queries::UPSERT_CLOCKS_TAIL),
                (in_place, queries::UPSERT_CLOCKS_IN_PLACE_TAIL),
            ];
            for (clocks, tail) in groups {
                for chunk in clocks.chunks(queries::ROWS_PER_STATEMENT) {
                    let rows = dialect.rows_for(chunk.len());
                    let sql = format!(
                        "{}{} {}",
                        queries::INSERT_CLOCKS,
                        value_rows(rows, queries::CLOCK_COLUMNS),
                        tail,
                    );
                    let mut query = sqlx::query(dialect.sql(&sql));
                    for clock in padded(chunk, rows) {
                        query = query
                            .bind(&clock.case_id)
                            .bind(&clock.norm_id)
                            .bind(&clock.kind)
                            .bind(&clock.state)
                            .bind(&clock.case_type)
                            .bind(&clock.channel)
                            .bind(&clock.municipality)
                            .bind(&clock.team)
                            .bind(clock.start_at.map(|t| t.as_second()))
                            .bind(clock.stop_at.map(|t| t.as_second()))
                            .bind(clock.deadline.map(|t| t.as_second()))
                            .bind(clock.at_risk_from.map(|t| t.as_second()))
                            .bind(&clock.message);
                    }
                    queries.push(query);
                }
            }
            queries
        };
        let (written, clock_queries) = tokio::join!(write_cases, clock_queries);
        written?;
        for query in clock_queries {
            query.execute(&mut **tx).await?;
        }
    }};
}

/// Judges one case from its stored events (in order) into its row and
/// clocks; none when it cannot be judged yet.
pub type Judge<'a> = dyn Fn(&str, Vec<Event>) -> Option<(CaseRow, Vec<ClockRow>)> + Sync + 'a;

/// A value to bind to a placeholder.
enum Param {
    Text(String),
    Int(i64),
}

macro_rules! bind_all {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                Param::Text(v) => query.bind(v),
                Param::Int(v) => query.bind(v),
            };
        }
        query
    }};
}

/// The states of a clock that has not stopped (`State::is_open` in the core).
const OPEN_STATES: [&str; 3] = ["lopend", "gepauzeerd", "dreigt_te_verlopen"];

pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

impl Store {
    /// Creates database `name` on the PostgreSQL server at `server` and
    /// returns its URL: a fresh database for each test or benchmark run.
    pub async fn create_postgres_database(
        server: &str,
        name: &str,
    ) -> Result<String, StorageError> {
        Self::on_server(server, &format!("CREATE DATABASE {}", database_name(name)?)).await?;
        let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
        Ok(format!("{base}/{name}"))
    }

    /// Drops database `name` on the PostgreSQL server at `server`, also while
    /// connections to it are still open (PostgreSQL 13 or later).
    pub async fn drop_postgres_database(server: &str, name: &str) -> Result<(), StorageError> {
        let name = database_name(name)?;
        Self::on_server(
            server,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await
    }

    async fn on_server(server: &str, statement: &str) -> Result<(), StorageError> {
        let Store::Postgres(pool) = Store::connect(server).await? else {
            return Err(StorageError::UnknownUrl(server.to_string()));
        };
        // `database_name` allows only [a-z0-9_], so the statement is safe.
        let result = sqlx::query(sqlx::AssertSqlSafe(statement.to_string()))
            .execute(&pool)
            .await;
        pool.close().await;
        result.map(|_| ()).map_err(StorageError::from)
    }

    /// Opens the database at `url`: `sqlite:PATH` (the file is created when
    /// missing) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Store, StorageError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                // WAL with full sync: an acknowledged write survives a crash.
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                // Reads of recent events come from memory, not copied pages.
                .pragma("mmap_size", "268435456")
                .pragma("cache_size", "-65536")
                .pragma("temp_store", "memory")
                // The WAL is copied into the database file by `checkpoint_wal`
                // beside the writer, not by the commit that fills it past
                // 1,000 pages; this larger threshold is only a safeguard.
                .pragma("wal_autocheckpoint", "16384")
                // Room for every size of every statement that writes events,
                // cases and clocks (see `Dialect::rows_for`), and the rest.
                .statement_cache_capacity(256);
            // The writer first: it creates the file and sets WAL mode.
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await?;
            let readers = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await?;
            let checkpoints = tokio::runtime::Handle::try_current().ok().map(|runtime| {
                Arc::new(Background(runtime.spawn(checkpoint_wal(readers.clone()))))
            });
            Ok(Store::Sqlite {
                readers,
                writer,
                checkpoints,
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // No JIT: it compiles a plan for tens of milliseconds whenever an
            // estimate is large, as with a fast-growing table whose
            // statistics are old, while the queries here take a few.
            let options = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .connect_with(options)
                .await?;
            Ok(Store::Postgres(pool))
        } else {
            Err(StorageError::UnknownUrl(url.to_string()))
        }
    }

    /// Brings the schema up to date; safe to run at every start and from
    /// several instances at once.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        match self {
            Store::Sqlite { writer, .. } => {
                sqlx::migrate!("./migrations/sqlite").run(writer).await?
            }
            Store::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StorageError> {
        on_pool!(self, pool, _dialect => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite {
                readers, writer, ..
            } => {
                readers.close().await;
                writer.close().await;
            }
            Store::Postgres(pool) => pool.close().await,
        }
    }

    /// Stores a checked catalog version. A second version with the same
    /// `valid_from` is refused.
    pub async fn put_catalog(
        &self,
        catalog_id: &str,
        valid_from: Date,
        toml: &str,
        parsed: &serde_json::Value,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<(), StorageError> {
        let exists = || StorageError::CatalogExists {
            catalog_id: catalog_id.to_string(),
            valid_from: valid_from.to_string(),
        };
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            let inserted = sqlx::query(dialect.sql(queries::INSERT_CATALOG))
                .bind(catalog_id)
                .bind(date_to_days(valid_from))
                .bind(toml)
                .bind(parsed.to_string())
                .bind(now.as_second())
                .bind(&actor.name)
                .execute(&mut *tx)
                .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => return Err(exists()),
                other => other?,
            };
            write_audit!(tx, dialect, now, actor, "catalog.put", catalog_id, format!("valid_from {valid_from}"));
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every stored version of a catalog, oldest first.
    pub async fn catalogs(&self, catalog_id: &str) -> Result<Vec<StoredCatalog>, StorageError> {
        on_pool!(self, pool, dialect => {
            let rows = sqlx::query(dialect.sql(queries::SELECT_CATALOGS))
                .bind(catalog_id)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| {
                    Ok(StoredCatalog {
                        catalog_id: row.try_get("catalog_id")?,
                        valid_from: days_to_date(row.try_get("valid_from")?)?,
                        toml: row.try_get("toml")?,
                        stored_at: seconds_to_instant(row.try_get("stored_at")?)?,
                        stored_by: row.try_get("stored_by")?,
                    })
                })
                .collect()
        })
    }

    /// Appends a batch of events in one transaction. An event whose id is
    /// stored with the same content is left alone; one with other content
    /// makes the whole batch fail, and nothing of it is stored.
    pub async fn append_events(
        &self,
        events: &[Event],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<AppendOutcome, StorageError> {
        self.append_and_judge(events, actor, now, &[], &|_, _| None)
            .await
    }

    /// Stores new events and, in the same transaction, judges `rejudge`
    /// and every case that got a new event again with `judge` (given the
    /// case's stored events, in order) and writes what it returns. Either
    /// all of it is stored or nothing: an acknowledged event always has its
    /// clocks. A case `judge` cannot judge yet (None) keeps its clocks.
    pub async fn append_and_judge(
        &self,
        events: &[Event],
        actor: &Actor,
        now: Timestamp,
        rejudge: &[String],
        judge: &Judge<'_>,
    ) -> Result<AppendOutcome, StorageError> {
        // The batch itself, each id once.
        let mut offered: BTreeMap<&str, (&Event, String)> = BTreeMap::new();
        let mut repeated = 0;
        for event in events {
            let body = event.to_json_line();
            match offered.get(event.id.as_str()) {
                Some((_, first)) if *first == body => repeated += 1,
                Some((_, first)) => {
                    return Err(StorageError::EventConflict {
                        id: event.id.to_string(),
                        stored: first.clone(),
                        offered: body,
                    });
                }
                None => {
                    offered.insert(&event.id, (event, body));
                }
            }
        }
        let entries: Vec<&(&Event, String)> = offered.values().collect();
        let mut outcome = AppendOutcome {
            repeated,
            ..AppendOutcome::default()
        };
        on_writer!(self, pool, dialect => {
            // The inserts are made before the write lock is taken: binding a
            // thousand events is work no other writer needs to wait for.
            let inserts: Vec<_> = entries
                .chunks(queries::ROWS_PER_STATEMENT)
                .map(|chunk| {
                    // A repeated last row is skipped as stored, and not counted.
                    let rows = dialect.rows_for(chunk.len());
                    let sql = format!(
                        "{}{} ON CONFLICT (event_id) DO NOTHING",
                        queries::INSERT_EVENTS,
                        value_rows(rows, queries::EVENT_COLUMNS)
                    );
                    let mut query = sqlx::query(dialect.sql(&sql));
                    for (event, body) in padded(chunk, rows) {
                        query = query
                            .bind(event.id.as_str())
                            .bind(event.case.as_str())
                            .bind(event.kind.as_str())
                            .bind(event.at.as_second())
                            .bind(body.as_str())
                            .bind(now.as_second());
                    }
                    (chunk, query)
                })
                .collect();
            // The batch's events per case, for judging; copied before the
            // lock too. Those that turn out to be stored already are left
            // out after the insert.
            let mut fresh_of_case: std::collections::HashMap<&str, Vec<Event>> =
                std::collections::HashMap::new();
            for (event, _) in &entries {
                fresh_of_case.entry(event.case.as_str()).or_default().push((*event).clone());
            }
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            if dialect == Dialect::Postgres {
                // Several instances may take in events of one case at once;
                // each judges the case with the events the other stored, so
                // the cases are locked (in one order: no deadlock) before
                // anything is read. SQLite has one writer at a time already.
                let mut ids: Vec<&str> = entries
                    .iter()
                    .map(|(event, _)| event.case.as_str())
                    .chain(rejudge.iter().map(String::as_str))
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                // One statement for the whole batch (up to 20,000 cases), so
                // the locks are taken in one order.
                for chunk in ids.chunks(30_000) {
                    let sql = format!(
                        "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(x, 0) AS h \
                         FROM (VALUES {}) AS v(x)) AS hashes ORDER BY h",
                        vec!["(?)"; chunk.len()].join(", ")
                    );
                    let mut query = sqlx::query(dialect.sql(&sql));
                    for id in chunk {
                        query = query.bind(*id);
                    }
                    query.fetch_all(&mut *tx).await?;
                }
            }
            let last_before: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS last FROM events")
                .fetch_one(&mut *tx)
                .await?
                .try_get("last")?;
            // Every case this batch may judge: its own and `rejudge`. Their
            // stored events are read before the new ones are stored, so that
            // they are parsed meanwhile.
            let mut candidates: Vec<&str> = entries
                .iter()
                .map(|(event, _)| event.case.as_str())
                .chain(rejudge.iter().map(String::as_str))
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            // In no order: judging sorts a case's events itself.
            let lines = dialect.lines_of("body");
            let bodies = of_cases!(tx, dialect, &candidates, &lines, "body", "events");
            // Insert what is new. When a statement stores fewer rows than it
            // was given, some ids were there already: those are read back and
            // compared with what is stored. Rows stored after `last_before`
            // are this batch's own (its cases are locked on PostgreSQL).
            let insert = async {
                let mut inserted: std::collections::HashSet<&str> =
                    std::collections::HashSet::with_capacity(entries.len());
                let mut repeated = 0;
                for (chunk, query) in inserts {
                    let stored = query.execute(&mut *tx).await?.rows_affected();
                    if stored == chunk.len() as u64 {
                        inserted.extend(chunk.iter().map(|(event, _)| event.id.as_str()));
                        continue;
                    }
                    let sql = format!(
                        "SELECT event_id, body, seq FROM events WHERE event_id IN ({})",
                        vec!["?"; chunk.len()].join(", ")
                    );
                    let mut query = sqlx::query(dialect.sql(&sql));
                    for (event, _) in chunk {
                        query = query.bind(event.id.as_str());
                    }
                    let mut stored: BTreeMap<String, (String, i64)> = BTreeMap::new();
                    for row in query.fetch_all(&mut *tx).await? {
                        stored.insert(row.try_get("event_id")?, (row.try_get("body")?, row.try_get("seq")?));
                    }
                    for (event, body) in chunk {
                        match stored.get(event.id.as_str()) {
                            Some((first, seq)) if first == body => {
                                if *seq > last_before {
                                    inserted.insert(event.id.as_str());
                                } else {
                                    repeated += 1;
                                }
                            }
                            first => {
                                return Err(StorageError::EventConflict {
                                    id: event.id.to_string(),
                                    stored: first.map(|(body, _)| body.clone()).unwrap_or_default(),
                                    offered: body.clone(),
                                });
                            }
                        }
                    }
                }
                Ok((inserted, repeated))
            };
            // The events stored before, per case, parsed meanwhile. One
            // reader for all: the names and days its events share are read
            // once.
            let parse = async {
                let mut of_case: std::collections::HashMap<&str, Vec<Event>> =
                    std::collections::HashMap::with_capacity(candidates.len());
                let mut reader = EventReader::default();
                for body in bodies.iter().flat_map(|text| text.lines()) {
                    let event = reader.json(body)
                        .map_err(|e| StorageError::Corrupt(format!("{body}: {e}")))?;
                    let Ok(at) = candidates.binary_search(&event.case.as_str()) else {
                        return Err(StorageError::Corrupt(format!("{body}: hoort bij geen van de gevraagde zaken")));
                    };
                    of_case.entry(candidates[at]).or_default().push(event);
                }
                Ok::<_, StorageError>(of_case)
            };
            let (inserted, of_case) = tokio::join!(insert, parse);
            let (inserted, repeated) = inserted?;
            let mut of_case = of_case?;
            outcome.repeated += repeated;
            outcome.stored = inserted.len();
            let mut cases: Vec<&str> = entries
                .iter()
                .filter(|(event, _)| inserted.contains(event.id.as_str()))
                .map(|(event, _)| event.case.as_str())
                .collect();
            cases.sort_unstable();
            cases.dedup();
            let mut to_judge: Vec<&str> = cases
                .iter()
                .copied()
                .chain(rejudge.iter().map(String::as_str))
                .collect();
            to_judge.sort_unstable();
            to_judge.dedup();
            // Cases with no events before this batch have no clocks yet; the
            // others' are read while the cases are judged.
            let known: Vec<&str> = to_judge
                .iter()
                .copied()
                .filter(|case| of_case.contains_key(case))
                .collect();
            if inserted.len() < entries.len() {
                for events in fresh_of_case.values_mut() {
                    events.retain(|event| inserted.contains(event.id.as_str()));
                }
            }
            let read = async {
                if !inserted.is_empty() {
                    write_audit!(
                        tx, dialect, now, actor, "events.append",
                        format!("{} gebeurtenissen", inserted.len()),
                        format!("{} zaken", cases.len())
                    );
                }
                Ok::<_, StorageError>(stored_clocks!(tx, dialect, &known))
            };
            let judge_all = async {
                let mut judged = Vec::new();
                for case in &to_judge {
                    let mut events = of_case.remove(*case).unwrap_or_default();
                    if let Some(fresh) = fresh_of_case.remove(case) {
                        events.extend(fresh);
                    }
                    if !events.is_empty()
                        && let Some(rows) = judge(case, events)
                    {
                        judged.push(rows);
                    }
                }
                judged
            };
            let (stored, judged) = tokio::join!(read, judge_all);
            // A case that cannot be judged yet keeps its clocks.
            let judged_ids: std::collections::HashSet<&str> =
                judged.iter().map(|(case, _)| case.case_id.as_str()).collect();
            let mut stored = stored?;
            stored.retain(|clock| judged_ids.contains(clock.case_id.as_str()));
            if !judged.is_empty() {
                write_cases!(tx, dialect, &judged, &stored, now);
            }
            tx.commit().await?;
            outcome.cases = cases.into_iter().map(str::to_string).collect();
        });
        Ok(outcome)
    }

    /// A page of the cases a report over `[from, to]` may count, after
    /// `after` (a case id; empty for the first page). A superset: the report
    /// itself decides what counts in which period.
    pub async fn report_cases(
        &self,
        from: Timestamp,
        to: Timestamp,
        after: &str,
        limit: usize,
    ) -> Result<Vec<String>, StorageError> {
        on_pool!(self, pool, dialect => {
            Ok(sqlx::query_scalar(dialect.sql(queries::SELECT_REPORT_CASES))
                .bind(to.as_second())
                .bind(after)
                .bind(from.as_second())
                .bind(from.as_second())
                .bind(limit as i64)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The events of one case, by instant.
    pub async fn case_events(&self, case_id: &str) -> Result<Vec<Event>, StorageError> {
        on_pool!(self, pool, dialect => {
            let rows = sqlx::query(dialect.sql(queries::SELECT_CASE_EVENTS))
                .bind(case_id)
                .fetch_all(pool)
                .await?;
            let mut reader = EventReader::default();
            rows.iter()
                .map(|row| {
                    let body: String = row.try_get("body")?;
                    reader.json(&body).map_err(|e| StorageError::Corrupt(format!("{body}: {e}")))
                })
                .collect()
        })
    }

    /// The events of several cases, each case's by instant.
    pub async fn events_of_cases(
        &self,
        case_ids: &[String],
    ) -> Result<BTreeMap<String, Vec<Event>>, StorageError> {
        let mut out: BTreeMap<String, Vec<Event>> = BTreeMap::new();
        let mut reader = EventReader::default();
        on_pool!(self, pool, dialect => {
            for chunk in case_ids.chunks(queries::ROWS_PER_STATEMENT) {
                let sql = format!(
                    "SELECT case_id, body FROM events WHERE case_id IN ({}) ORDER BY case_id, at, event_id",
                    vec!["?"; chunk.len()].join(", ")
                );
                let mut query = sqlx::query(dialect.sql(&sql));
                for id in chunk {
                    query = query.bind(id.as_str());
                }
                for row in query.fetch_all(pool).await? {
                    let body: String = row.try_get("body")?;
                    let event = reader.json(&body).map_err(|e| StorageError::Corrupt(format!("{body}: {e}")))?;
                    out.entry(row.try_get("case_id")?).or_default().push(event);
                }
            }
        });
        Ok(out)
    }

    /// Replaces the derived state of many cases in one transaction.
    pub async fn put_cases(
        &self,
        cases: &[(CaseRow, Vec<ClockRow>)],
        now: Timestamp,
    ) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            let ids: Vec<&str> = cases.iter().map(|(case, _)| case.case_id.as_str()).collect();
            let stored = stored_clocks!(tx, dialect, &ids);
            write_cases!(tx, dialect, cases, &stored, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Replaces a case's derived state: its row and all its clocks.
    pub async fn put_case(
        &self,
        case: &CaseRow,
        clocks: &[ClockRow],
        now: Timestamp,
    ) -> Result<(), StorageError> {
        self.put_cases(&[(case.clone(), clocks.to_vec())], now)
            .await
    }

    /// One case's row, if it is known.
    pub async fn case(&self, case_id: &str) -> Result<Option<CaseRow>, StorageError> {
        on_pool!(self, pool, dialect => {
            let row = sqlx::query(dialect.sql(queries::SELECT_CASE))
                .bind(case_id)
                .fetch_optional(pool)
                .await?;
            row.map(|row| {
                Ok(CaseRow {
                    case_id: row.try_get("case_id")?,
                    case_type: row.try_get("case_type")?,
                    municipality: row.try_get("municipality")?,
                    team: row.try_get("team")?,
                    received_at: seconds_to_instant(row.try_get("received_at")?)?,
                    catalog_valid_from: days_to_date(row.try_get("catalog_valid_from")?)?,
                })
            })
            .transpose()
        })
    }

    /// Clocks with a deadline, sorted by deadline (then case and norm),
    /// filtered, one page after `after`.
    pub async fn clocks(
        &self,
        filter: &QueueFilter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page<ClockRow>, StorageError> {
        let (sql, params) = clocks_query(filter, after, limit);
        let mut items: Vec<ClockRow> = on_pool!(self, pool, dialect => {
            let query = bind_all!(sqlx::query(dialect.sql(&sql)), params);
            query.fetch_all(pool).await?.iter().map(clock_row).collect::<Result<_, _>>()?
        });
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|last| Cursor {
                deadline: last.deadline.map_or(0, |t| t.as_second()),
                case_id: last.case_id.clone(),
                norm_id: last.norm_id.clone(),
            })
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Stores a token's hash under a unique name.
    pub async fn create_token(
        &self,
        name: &str,
        hash: &str,
        scopes: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<(), StorageError> {
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            let inserted = sqlx::query(dialect.sql(queries::INSERT_TOKEN))
                .bind(name)
                .bind(hash)
                .bind(scopes)
                .bind(now.as_second())
                .execute(&mut *tx)
                .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => return Err(StorageError::TokenExists(name.to_string())),
                other => other?,
            };
            write_audit!(tx, dialect, now, actor, "token.create", name, scopes);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The live token with this hash, if any.
    pub async fn token(&self, hash: &str) -> Result<Option<TokenRow>, StorageError> {
        on_pool!(self, pool, dialect => {
            let row = sqlx::query(dialect.sql(queries::SELECT_TOKEN))
                .bind(hash)
                .fetch_optional(pool)
                .await?;
            row.map(|row| Ok(TokenRow { name: row.try_get("name")?, scopes: row.try_get("scopes")? }))
                .transpose()
        })
    }

    /// Moves clocks to at risk and missed as time passes, and queues one
    /// notification per clock and state reached, exactly once. Several
    /// instances may run this at once: on PostgreSQL one of them does the
    /// pass (an advisory lock); the unique notification key guards the rest.
    pub async fn tick(&self, now: Timestamp) -> Result<TickOutcome, StorageError> {
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            if dialect == Dialect::Postgres {
                // Only one instance does a pass at a time; the others skip it.
                let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock(7226372)")
                    .fetch_one(&mut *tx)
                    .await?;
                if !locked {
                    return Ok(TickOutcome::default());
                }
            }
            let missed = sqlx::query(dialect.sql(queries::MARK_MISSED))
                .bind(now.as_second())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let at_risk = sqlx::query(dialect.sql(queries::MARK_AT_RISK))
                .bind(now.as_second())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let notifications = sqlx::query(dialect.sql(queries::QUEUE_NOTIFICATIONS))
                .bind(now.as_second())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(queries::MARK_NOTIFIED).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(TickOutcome { at_risk, missed, notifications })
        })
    }

    /// Notifications after `after_id`, oldest first.
    pub async fn outbox(
        &self,
        after_id: i64,
        team: Option<&str>,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StorageError> {
        on_pool!(self, pool, dialect => {
            let query = match team {
                None => sqlx::query(dialect.sql(queries::SELECT_OUTBOX)).bind(after_id),
                Some(team) => sqlx::query(dialect.sql(queries::SELECT_OUTBOX_OF_TEAM))
                    .bind(after_id)
                    .bind(team),
            };
            let rows = query.bind(limit as i64).fetch_all(pool).await?;
            rows.iter().map(|row| outbox_item!(row)).collect()
        })
    }

    /// How many clocks there are in each state.
    pub async fn clock_counts(&self) -> Result<Vec<(String, i64)>, StorageError> {
        on_pool!(self, pool, _dialect => {
            let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM clocks GROUP BY state ORDER BY state")
                .fetch_all(pool)
                .await?;
            rows.iter().map(|row| Ok((row.try_get("state")?, row.try_get("n")?))).collect()
        })
    }

    /// How many events are stored.
    pub async fn event_count(&self) -> Result<i64, StorageError> {
        on_pool!(self, pool, _dialect => {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM events").fetch_one(pool).await?)
        })
    }

    /// The audit log after `after_seq`, oldest first.
    pub async fn audit(
        &self,
        after_seq: i64,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StorageError> {
        on_pool!(self, pool, dialect => {
            let rows = sqlx::query(dialect.sql(queries::SELECT_AUDIT))
                .bind(after_seq)
                .bind(limit as i64)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| {
                    Ok(AuditEntry {
                        seq: row.try_get("seq")?,
                        at: seconds_to_instant(row.try_get("at")?)?,
                        actor: row.try_get("actor")?,
                        via: row.try_get("via")?,
                        action: row.try_get("action")?,
                        subject: row.try_get("subject")?,
                        detail: row.try_get("detail")?,
                    })
                })
                .collect()
        })
    }
}

/// Reads a clock row; the same columns on both backends.
trait ClockColumns: Row {
    fn clock(&self) -> Result<ClockRow, StorageError>;
}

macro_rules! clock_columns {
    ($row:ty) => {
        impl ClockColumns for $row {
            fn clock(&self) -> Result<ClockRow, StorageError> {
                Ok(ClockRow {
                    case_id: self.try_get("case_id")?,
                    norm_id: self.try_get("norm_id")?,
                    kind: self.try_get("kind")?,
                    state: self.try_get("state")?,
                    case_type: self.try_get("case_type")?,
                    channel: self.try_get("channel")?,
                    municipality: self.try_get("municipality")?,
                    team: self.try_get("team")?,
                    start_at: optional_instant(self.try_get("start_at")?)?,
                    stop_at: optional_instant(self.try_get("stop_at")?)?,
                    deadline: optional_instant(self.try_get("deadline")?)?,
                    at_risk_from: optional_instant(self.try_get("at_risk_from")?)?,
                    message: self.try_get("message")?,
                })
            }
        }
    };
}

clock_columns!(SqliteRow);
clock_columns!(PgRow);

fn clock_row<R: ClockColumns>(row: &R) -> Result<ClockRow, StorageError> {
    row.clock()
}

/// The query of `Store::clocks` and its parameters: one more row than a
/// page, to know whether another page follows.
fn clocks_query(
    filter: &QueueFilter,
    after: Option<&Cursor>,
    limit: usize,
) -> (String, Vec<Param>) {
    let mut clauses = vec!["deadline IS NOT NULL".to_string()];
    // A running, paused or at-risk clock has not stopped: saying so
    // lets the query read the small index of open clocks.
    let only_open = !filter.states.is_empty()
        && filter
            .states
            .iter()
            .all(|state| OPEN_STATES.contains(&state.as_str()));
    if filter.unfinished || only_open {
        clauses.push("stop_at IS NULL".to_string());
    }
    if filter.unfinished {
        clauses.push(queries::WORK_TO_DO.to_string());
    }
    let mut params = Vec::new();
    if !filter.states.is_empty() {
        clauses.push(format!(
            "state IN ({})",
            vec!["?"; filter.states.len()].join(", ")
        ));
        params.extend(filter.states.iter().cloned().map(Param::Text));
    }
    for (column, value) in [
        ("team", &filter.team),
        ("municipality", &filter.municipality),
        ("case_type", &filter.case_type),
        ("channel", &filter.channel),
    ] {
        if let Some(value) = value {
            clauses.push(format!("{column} = ?"));
            params.push(Param::Text(value.clone()));
        }
    }
    if let Some(from) = filter.due_from {
        clauses.push("deadline >= ?".to_string());
        params.push(Param::Int(from.as_second()));
    }
    if let Some(before) = filter.due_before {
        clauses.push("deadline < ?".to_string());
        params.push(Param::Int(before.as_second()));
    }
    if let Some(cursor) = after {
        clauses.push(
            "(deadline > ? OR (deadline = ? AND (case_id > ? OR (case_id = ? AND norm_id > ?))))"
                .to_string(),
        );
        params.push(Param::Int(cursor.deadline));
        params.push(Param::Int(cursor.deadline));
        params.push(Param::Text(cursor.case_id.clone()));
        params.push(Param::Text(cursor.case_id.clone()));
        params.push(Param::Text(cursor.norm_id.clone()));
    }
    let sql = format!(
        "{} WHERE {} ORDER BY deadline, case_id, norm_id LIMIT ?",
        queries::SELECT_CLOCKS,
        clauses.join(" AND ")
    );
    params.push(Param::Int(limit as i64 + 1));
    (sql, params)
}

/// Copies the WAL into the database file now and then, beside the writer:
/// a passive checkpoint waits for no one and no one waits for it, so no
/// acknowledgement waits for that copy. Ends when the store is closed or
/// dropped.
async fn checkpoint_wal(readers: sqlx::SqlitePool) {
    let mut every = tokio::time::interval(Duration::from_millis(250));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if readers.is_closed() {
            return;
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&readers)
            .await
            && !readers.is_closed()
        {
            tracing::warn!(
                %error,
                "nieuwe gegevens nog niet in het databasebestand gezet; dat gebeurt bij de volgende poging"
            );
        }
    }
}

/// A clock as `Dialect::json_rows_of(CLOCK_FIELDS)` gives it.
type ClockFields = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// The clocks of `Dialect::json_rows_of(CLOCK_FIELDS)`; none for NULL.
fn clocks_from_json(json: Option<&str>) -> Result<Vec<ClockRow>, StorageError> {
    let Some(json) = json else {
        return Ok(Vec::new());
    };
    let rows: Vec<ClockFields> =
        serde_json::from_str(json).map_err(|e| StorageError::Corrupt(format!("klokken: {e}")))?;
    rows.into_iter()
        .map(|row| {
            Ok(ClockRow {
                case_id: row.0,
                norm_id: row.1,
                kind: row.2,
                state: row.3,
                case_type: row.4,
                channel: row.5,
                municipality: row.6,
                team: row.7,
                start_at: optional_instant(row.8)?,
                stop_at: optional_instant(row.9)?,
                deadline: optional_instant(row.10)?,
                at_risk_from: optional_instant(row.11)?,
                message: row.12,
            })
        })
        .collect()
}

/// A database name that can go into SQL unquoted.
fn database_name(name: &str) -> Result<&str, StorageError> {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(name)
    } else {
        Err(StorageError::BadDatabaseName(name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// How SQLite would run `sql`: the details of its query plan, one line
    /// each.
    async fn plan(store: &Store, sql: &str, params: Vec<Param>) -> String {
        let Store::Sqlite { readers, .. } = store else {
            panic!("an SQLite store")
        };
        let explain = format!("EXPLAIN QUERY PLAN {sql}");
        let query = bind_all!(sqlx::query(sqlx::AssertSqlSafe(explain)), params);
        let rows = query.fetch_all(readers).await.unwrap();
        rows.iter()
            .map(|row| row.try_get::<String, _>("detail").unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The queues and the scheduler read the small indexes of open clocks,
    /// and every list comes in deadline order from an index, not a sort.
    #[tokio::test]
    async fn queues_read_the_indexes_made_for_them() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("plan.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let cursor = Cursor {
            deadline: 1_800_000_000,
            case_id: "z1".into(),
            norm_id: "n1".into(),
        };
        let cases = [
            (
                QueueFilter {
                    states: vec!["dreigt_te_verlopen".into()],
                    ..QueueFilter::default()
                },
                "clocks_open",
            ),
            (
                QueueFilter {
                    team: Some("kcc".into()),
                    unfinished: true,
                    ..QueueFilter::default()
                },
                "clocks_team_open",
            ),
            (
                QueueFilter {
                    states: vec!["niet_gehaald".into()],
                    ..QueueFilter::default()
                },
                "clocks_due",
            ),
            (QueueFilter::default(), "clocks_due"),
        ];
        for (filter, index) in cases {
            for after in [None, Some(&cursor)] {
                let (sql, params) = clocks_query(&filter, after, 50);
                let plan = plan(&store, &sql, params).await;
                assert!(
                    plan.contains(&format!("USING INDEX {index}")),
                    "{filter:?}: {plan}"
                );
                assert!(!plan.contains("TEMP B-TREE"), "{filter:?}: {plan}");
            }
        }
        for sql in [queries::MARK_MISSED, queries::MARK_AT_RISK] {
            let plan = plan(&store, sql, vec![Param::Int(1_800_000_000)]).await;
            assert!(plan.contains("USING INDEX clocks_open"), "{sql}: {plan}");
        }
        store.close().await;
    }
}
