//! `servicenorm import`: exports of other systems (call logs, queue logs,
//! search and uptime logs) read through a mapping and stored as events.
//!
//! A file with a row that cannot be read stores nothing, unless
//! `--skip-invalid`: then the good rows are stored and the rest reported.
//! `--dry-run` reads and reports without storing. Importing a file twice
//! stores nothing new: each row's events have ids made from the row.

use std::{
    collections::BTreeMap,
    fs::File,
    io::{BufReader, IsTerminal, Write},
    path::{Path, PathBuf},
    time::Instant,
};

use servicenorm_core::events::Event;
use servicenorm_import::{ImportError, Mapping, RowReader};
use servicenorm_server::sink::EventSink;
use servicenorm_storage::Actor;

use crate::{
    commands::{
        database::{DatabaseArgs, whoami},
        serve::catalog_files,
    },
    error::CliError,
    render::count,
};

#[derive(clap::Args)]
pub struct Args {
    /// De mapping (TOML) die zegt hoe de export eruitziet; zie mappings/ en docs/IMPORT.md.
    #[arg(long, value_name = "BESTAND")]
    mapping: PathBuf,
    /// De exportbestanden.
    #[arg(required = true, value_name = "BESTAND")]
    files: Vec<PathBuf>,
    /// Alleen lezen en laten zien wat er zou gebeuren; niets opslaan.
    #[arg(long)]
    dry_run: bool,
    /// Sla de goede regels op en meld de rest (standaard: bij een fout niets van het bestand).
    #[arg(long)]
    skip_invalid: bool,
    #[command(flatten)]
    database: DatabaseArgs,
    /// De catalogus waarmee de dienst draait (zoals bij `serve`); standaard die van het
    /// instellingenbestand, of anders de meegeleverde catalogus van Heemskerk.
    #[arg(long = "catalog", value_name = "BESTAND")]
    catalogs: Vec<PathBuf>,
}

/// Events stored per transaction.
const BATCH: usize = 5_000;
/// Problems printed per file; the rest are counted.
const SHOWN: usize = 50;

/// What one pass over a file found.
#[derive(Default)]
struct Pass {
    rows: u64,
    events: u64,
    problems: u64,
    per_type: BTreeMap<&'static str, u64>,
    stored: u64,
    repeated: u64,
}

pub fn run(args: &Args) -> Result<(), CliError> {
    let text = std::fs::read_to_string(&args.mapping).map_err(|e| {
        CliError::BadInput(format!(
            "{}: bestand kan niet worden gelezen: {e}",
            args.mapping.display()
        ))
    })?;
    let mapping = Mapping::parse(&text, &args.mapping.display().to_string())
        .map_err(|e| CliError::BadInput(e.to_string()))?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| CliError::Internal(e.to_string()))?;
    let sink = if args.dry_run {
        None
    } else {
        // The catalogs the service runs with, found the way `serve` finds them.
        let file = args.database.settings_file()?;
        let url = args.database.url()?;
        let paths = if args.catalogs.is_empty() {
            &file.catalogs
        } else {
            &args.catalogs
        };
        let catalogs = catalog_files(paths)?;
        Some(
            runtime
                .block_on(EventSink::open(&url, &catalogs, jiff::Timestamp::now()))
                .map_err(|e| CliError::BadInput(e.to_string()))?,
        )
    };
    let mut failed_files = 0;
    for path in &args.files {
        let name = path.display().to_string();
        // Without --skip-invalid a file is read once to find its problems,
        // and stored in a second pass only if it has none.
        let check_first = sink.is_some() && !args.skip_invalid;
        let first = runtime.block_on(pass(
            &mapping,
            path,
            sink.as_ref(),
            !check_first && sink.is_some(),
            &name,
        ))?;
        let outcome = if args.dry_run {
            first
        } else if check_first && first.problems > 0 {
            eprintln!(
                "{name}: niets opgeslagen, want {} niet te lezen (gebruik --skip-invalid om de goede regels toch op te slaan)",
                count(first.problems, "regel is", "regels zijn")
            );
            failed_files += 1;
            continue;
        } else if check_first {
            runtime.block_on(pass(&mapping, path, sink.as_ref(), true, &name))?
        } else {
            first
        };
        summary(&name, &outcome, args.dry_run);
        if outcome.problems > 0 && !args.skip_invalid {
            failed_files += 1;
        }
    }
    if let Some(sink) = sink {
        runtime.block_on(sink.close());
    }
    if failed_files > 0 {
        return Err(CliError::BadInput(format!(
            "{} met fouten",
            count(failed_files, "bestand", "bestanden")
        )));
    }
    Ok(())
}

fn summary(name: &str, pass: &Pass, dry_run: bool) {
    let types = pass
        .per_type
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    if dry_run {
        eprintln!(
            "{name}: {} gelezen, {} ({types}), {}; niets opgeslagen (--dry-run)",
            count(pass.rows, "regel", "regels"),
            count(pass.events, "gebeurtenis", "gebeurtenissen"),
            count(pass.problems, "fout", "fouten"),
        );
    } else {
        eprintln!(
            "{name}: {} gelezen, {} opgeslagen, {} stond er al, {}",
            count(pass.rows, "regel", "regels"),
            count(pass.stored, "gebeurtenis", "gebeurtenissen"),
            pass.repeated,
            count(pass.problems, "fout", "fouten"),
        );
    }
}

/// Reads a file once; with a sink, checks the events against the catalog,
/// and with `write` stores the good rows' events.
async fn pass(
    mapping: &Mapping,
    path: &Path,
    sink: Option<&EventSink>,
    write: bool,
    name: &str,
) -> Result<Pass, CliError> {
    let file = File::open(path)
        .map_err(|e| CliError::BadInput(format!("{name}: bestand kan niet worden geopend: {e}")))?;
    let mut reader = RowReader::new(mapping.clone(), BufReader::with_capacity(1 << 16, file))
        .map_err(|e| CliError::BadInput(format!("{name}: {e}")))?;
    let actor = Actor::new(whoami(), format!("import:{}", mapping.name));
    let terminal = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut last_shown = Instant::now();
    let mut result = Pass::default();
    let mut batch: Vec<Event> = Vec::with_capacity(BATCH + 16);
    let mut lines: Vec<u64> = Vec::with_capacity(BATCH + 16);
    let report = |result: &mut Pass, error: &ImportError| {
        result.problems += 1;
        if result.problems <= SHOWN as u64 {
            eprintln!("{name}: {error}");
        }
    };
    loop {
        let next = reader.next_row();
        let done = next.is_none();
        if let Some((line, row)) = next {
            result.rows += 1;
            match row {
                Ok(events) => {
                    for event in events {
                        result.events += 1;
                        *result.per_type.entry(event.kind.as_str()).or_default() += 1;
                        // Without a database (a dry run) nothing is kept.
                        if sink.is_some() {
                            lines.push(line);
                            batch.push(event);
                        }
                    }
                }
                Err(error) => report(&mut result, &error),
            }
        }
        if let Some(sink) = sink
            && (batch.len() >= BATCH || (done && !batch.is_empty()))
        {
            let flushed = flush(sink, write, &mut batch, &mut lines, &actor).await?;
            for error in &flushed.set_aside {
                report(&mut result, error);
            }
            result.stored += flushed.stored;
            result.repeated += flushed.repeated;
        }
        if done {
            break;
        }
        if terminal && last_shown.elapsed().as_millis() >= 500 {
            last_shown = Instant::now();
            let rate = result.rows as f64 / started.elapsed().as_secs_f64().max(0.001);
            eprint!(
                "\r{name}: {} regels, {:.0} per seconde, {} fouten   ",
                result.rows, rate, result.problems
            );
            let _ = std::io::stderr().flush();
        }
    }
    if terminal {
        eprint!("\r");
    }
    if result.problems > SHOWN as u64 {
        eprintln!("{name}: en nog {} fouten", result.problems - SHOWN as u64);
    }
    Ok(result)
}

/// What storing one batch did.
struct Flushed {
    /// Rows whose case did not fit the catalog, left out.
    set_aside: Vec<ImportError>,
    stored: u64,
    repeated: u64,
}

/// Checks a batch against the catalog and, with `write`, stores it. A case
/// with an event that does not fit (an unknown case type) is left out and
/// becomes a problem of its row.
async fn flush(
    sink: &EventSink,
    write: bool,
    batch: &mut Vec<Event>,
    lines: &mut Vec<u64>,
    actor: &Actor,
) -> Result<Flushed, CliError> {
    let set_aside = sink
        .set_aside(batch, lines)
        .into_iter()
        .map(|(line, message)| ImportError {
            line,
            column: None,
            header: None,
            message,
        })
        .collect();
    let mut flushed = Flushed {
        set_aside,
        stored: 0,
        repeated: 0,
    };
    if write && !batch.is_empty() {
        let outcome = sink
            .store(batch, actor, jiff::Timestamp::now())
            .await
            .map_err(|e| CliError::Internal(e.to_string()))?;
        flushed.stored = outcome.stored as u64;
        flushed.repeated = outcome.repeated as u64;
    }
    batch.clear();
    lines.clear();
    Ok(flushed)
}
