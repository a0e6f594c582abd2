//! `servicenorm import`: exports of other systems (call logs, queue logs,
//! search and uptime logs) read through a mapping and stored as events.
//!
//! A file with a row that cannot be read stores nothing, unless
//! `--skip-invalid`: then the good rows are stored and the rest reported.
//! `--dry-run` reads and reports without storing. Importing a file twice
//! stores nothing new: each row's events have ids made from the row.

use std::{
    collections::{BTreeMap, VecDeque},
    fs::File,
    io::{BufReader, IsTerminal, Write},
    path::{Path, PathBuf},
    time::Instant,
};

use servicenorm_core::events::Event;
use servicenorm_import::{ImportError, Mapping, RowReader};
use servicenorm_server::sink::EventSink;
use servicenorm_storage::{Actor, AppendOutcome, StorageError};

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
const BATCH: usize = 10_000;
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
        let url = args.database.url_in(&file)?;
        let catalogs = catalog_files(&args.catalogs, &file)?;
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
        let first = pass(
            &runtime,
            &mapping,
            path,
            sink.as_ref(),
            !check_first && sink.is_some(),
            &name,
        )?;
        let outcome = if args.dry_run {
            first
        } else if check_first && first.problems > 0 {
            eprintln!(
                "{name}: niets opgeslagen, want {} hierboven. Met --skip-invalid slaat u de goede regels toch op.",
                count(
                    first.problems,
                    "regel heeft een fout",
                    "regels hebben een fout"
                )
            );
            failed_files += 1;
            continue;
        } else if check_first {
            pass(&runtime, &mapping, path, sink.as_ref(), true, &name)?
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

/// What the reading thread hands over: the events of whole rows (with the
/// line of each event; kept only with a sink), how many events of each type
/// were read, and the rows it could not read.
#[derive(Default)]
struct Batch {
    rows: u64,
    events: Vec<Event>,
    lines: Vec<u64>,
    per_type: BTreeMap<&'static str, u64>,
    problems: Vec<ImportError>,
}

/// Batches on their way from the reading thread to the store: reading the
/// next batch overlaps storing this one, with memory bounded.
const BATCHES_IN_FLIGHT: usize = 2;

/// A batch on its way into the database.
type Storing = tokio::task::JoinHandle<Result<AppendOutcome, StorageError>>;

/// Batches being stored at once: one in its transaction, the next being
/// made ready for its own (the store takes one writer at a time).
const STORES_IN_FLIGHT: usize = 2;

/// Reads a file once; with a sink, checks the events against the catalog,
/// and with `write` stores the good rows' events. One thread reads and
/// checks rows while this one stores the batches before.
fn pass(
    runtime: &tokio::runtime::Runtime,
    mapping: &Mapping,
    path: &Path,
    sink: Option<&EventSink>,
    write: bool,
    name: &str,
) -> Result<Pass, CliError> {
    let file = File::open(path)
        .map_err(|e| CliError::BadInput(format!("{name}: bestand kan niet worden geopend: {e}")))?;
    let reader = RowReader::new(mapping.clone(), BufReader::with_capacity(1 << 16, file))
        .map_err(|e| CliError::BadInput(format!("{name}: {e}")))?;
    let actor = Actor::new(whoami(), format!("import:{}", mapping.name));
    let terminal = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut last_shown = Instant::now();
    let mut result = Pass::default();
    let report = |result: &mut Pass, error: &ImportError| {
        result.problems += 1;
        if result.problems <= SHOWN as u64 {
            eprintln!("{name}: {error}");
        }
    };
    let mut storing: VecDeque<Storing> = VecDeque::new();
    // Counts what a batch's transaction stored, once it has ended.
    let stored = |result: &mut Pass, task: Storing| {
        let outcome = runtime
            .block_on(task)
            .map_err(|e| CliError::Internal(e.to_string()))?
            .map_err(|e| CliError::Internal(e.to_string()))?;
        result.stored += outcome.stored as u64;
        result.repeated += outcome.repeated as u64;
        Ok::<(), CliError>(())
    };
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        scope.spawn(move || read_batches(reader, sink, send));
        for batch in receive {
            result.rows += batch.rows;
            for (kind, n) in &batch.per_type {
                result.events += n;
                *result.per_type.entry(kind).or_default() += n;
            }
            for error in &batch.problems {
                report(&mut result, error);
            }
            if let Some(sink) = sink
                && write
                && !batch.events.is_empty()
            {
                // The next batch is prepared (its events made into rows and
                // statements) while this one is in the database.
                let (sink, actor, events) = (sink.clone(), actor.clone(), batch.events);
                storing.push_back(runtime.spawn(async move {
                    sink.store(&events, &actor, jiff::Timestamp::now()).await
                }));
                if storing.len() >= STORES_IN_FLIGHT
                    && let Some(task) = storing.pop_front()
                {
                    stored(&mut result, task)?;
                }
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
        while let Some(task) = storing.pop_front() {
            stored(&mut result, task)?;
        }
        Ok::<(), CliError>(())
    })?;
    if terminal {
        eprint!("\r");
    }
    if result.problems > SHOWN as u64 {
        eprintln!("{name}: en nog {} fouten", result.problems - SHOWN as u64);
    }
    Ok(result)
}

/// Reads rows into batches of about `BATCH` events, each row's events in
/// one batch. With a sink, a case whose events do not fit the catalog is
/// set aside as a problem of its row; without a sink (a dry run) events are
/// only counted. Stops early when the storing side has stopped.
fn read_batches<R: std::io::Read>(
    mut reader: RowReader<R>,
    sink: Option<&EventSink>,
    send: std::sync::mpsc::SyncSender<Batch>,
) {
    let mut batch = Batch::default();
    loop {
        let next = reader.next_row();
        let done = next.is_none();
        if let Some((line, row)) = next {
            batch.rows += 1;
            match row {
                Ok(events) => {
                    for event in events {
                        *batch.per_type.entry(event.kind.as_str()).or_default() += 1;
                        if sink.is_some() {
                            batch.lines.push(line);
                            batch.events.push(event);
                        }
                    }
                }
                Err(error) => batch.problems.push(error),
            }
        }
        if done || batch.events.len() >= BATCH || batch.rows >= BATCH as u64 {
            if let Some(sink) = sink {
                let set_aside = sink.set_aside(&mut batch.events, &mut batch.lines);
                batch
                    .problems
                    .extend(set_aside.into_iter().map(|(line, message)| ImportError {
                        line,
                        column: None,
                        header: None,
                        message,
                    }));
            }
            if send.send(std::mem::take(&mut batch)).is_err() || done {
                return;
            }
        }
    }
}
