//! `servicenorm report`: the share met per norm and period, from an event file.

use std::{io::Write, path::PathBuf};

use jiff::{Timestamp, civil::Date};
use servicenorm_core::{
    events::Event,
    report::{CaseStream, GroupBy, Per, Report, ReportOptions, StreamOutcome},
    time::{Resolve, parse_instant},
};

use crate::{
    commands::{catalog::load_versions, events_file},
    error::CliError,
    render,
    render::count,
};

#[derive(clap::Args)]
pub struct Args {
    /// Catalogusbestand; geef het vaker voor meerdere versies.
    #[arg(long = "catalog", required = true, value_name = "BESTAND")]
    catalogs: Vec<PathBuf>,
    /// Gebeurtenissen: CSV of JSON Lines ("-" leest van stdin).
    #[arg(long, value_name = "BESTAND")]
    events: PathBuf,
    /// Eerste dag (JJJJ-MM-DD).
    #[arg(long, value_name = "DATUM")]
    from: Option<Date>,
    /// Laatste dag (JJJJ-MM-DD).
    #[arg(long, value_name = "DATUM")]
    to: Option<Date>,
    /// month, quarter of year.
    #[arg(long, default_value = "quarter")]
    per: Per,
    /// norm, channel, municipality of team.
    #[arg(long, default_value = "norm")]
    by: GroupBy,
    /// table, csv, json of html.
    #[arg(long, default_value = "table")]
    format: Format,
    /// Het moment van de stand (RFC 3339); standaard het einde van --to, of anders de
    /// laatste gebeurtenis.
    #[arg(long, value_name = "TIJDSTIP")]
    as_of: Option<String>,
    /// Sla regels over die niet te lezen zijn (meldt ze op stderr).
    #[arg(long)]
    skip_invalid: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Html,
}

/// A settled case waits this long for late events before it is counted.
const HORIZON_SECONDS: i64 = 14 * 86_400;
/// Events handed to the case stream at once.
const PUSHED_AT_ONCE: usize = 32;

pub fn run(args: &Args) -> Result<(), CliError> {
    let versions = load_versions(&args.catalogs)?;
    let options = ReportOptions {
        from: args.from,
        to: args.to,
        per: args.per,
        by: args.by,
    };
    let mut report = Report::new(&versions, options);
    let mut stream = CaseStream::new(&versions, HORIZON_SECONDS);
    let mut failed: Vec<String> = Vec::new();
    let mut failures = 0u64;
    let mut skipped = 0u64;
    let name = args.events.display().to_string();
    let moment;
    let late;
    {
        let mut handle = |outcome: StreamOutcome| match outcome {
            StreamOutcome::Judged(evaluation) => report.add(evaluation),
            StreamOutcome::Failed { problem, .. } => {
                failures += 1;
                if failed.len() < 10 {
                    failed.push(problem);
                }
            }
        };
        // Events go to the stream in small batches: see `CaseStream::push_all`.
        let mut batch: Vec<Event> = Vec::with_capacity(PUSHED_AT_ONCE);
        events_file::for_each(&args.events, |event| {
            match event {
                Ok(event) => {
                    batch.push(event);
                    if batch.len() == PUSHED_AT_ONCE {
                        stream.push_all(&mut batch, &mut handle);
                    }
                }
                Err(bad) => {
                    let problem = format!("{name}: regel {}: {}", bad.line, bad.error);
                    if !args.skip_invalid {
                        return Err(CliError::BadInput(problem));
                    }
                    skipped += 1;
                    if skipped <= 10 {
                        eprintln!("{problem}; overgeslagen");
                    }
                }
            }
            Ok(())
        })?;
        stream.push_all(&mut batch, &mut handle);
        moment = as_of(args, stream.now())?;
        late = stream.late_events();
        stream.finish(moment, &mut handle);
    }
    if skipped > 0 {
        eprintln!("{} overgeslagen", count(skipped, "regel", "regels"));
    }
    if late > 0 {
        eprintln!(
            "{} pas na het tellen van de zaak. De uitkomst is daardoor niet veranderd.",
            count(late, "gebeurtenis kwam", "gebeurtenissen kwamen")
        );
    }
    if failures > 0 {
        eprintln!(
            "{} niet beoordeeld. Bijvoorbeeld:",
            count(failures, "zaak is", "zaken zijn")
        );
        for problem in &failed {
            eprintln!("  {problem}");
        }
    }
    let rows = report.rows();
    let latest = versions
        .latest()
        .ok_or_else(|| CliError::Internal("geen catalogus".into()))?;
    let as_of_text = servicenorm_core::time::Moment::in_amsterdam(moment);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => write!(out, "{}", render::report::table(&rows, args.by))?,
        Format::Csv => write!(out, "{}", render::report::csv(&rows))?,
        Format::Json => {
            let json = serde_json::to_string_pretty(&rows)
                .map_err(|e| CliError::Internal(e.to_string()))?;
            writeln!(out, "{json}")?;
        }
        Format::Html => write!(
            out,
            "{}",
            render::report::html(latest, &rows, report.options(), as_of_text)
        )?,
    }
    Ok(())
}

/// The moment of the report: --as-of, the end of --to, or the last event.
fn as_of(args: &Args, last_event: Option<Timestamp>) -> Result<Timestamp, CliError> {
    if let Some(text) = &args.as_of {
        return Ok(parse_instant(text, Resolve::Reject)?);
    }
    if let Some(to) = args.to {
        let end = to
            .tomorrow()
            .map_err(|e| CliError::BadInput(e.to_string()))?;
        return Ok(parse_instant(&end.to_string(), Resolve::Reject)?);
    }
    last_event
        .ok_or_else(|| CliError::BadInput("het gebeurtenissenbestand is leeg: geef --as-of".into()))
}
