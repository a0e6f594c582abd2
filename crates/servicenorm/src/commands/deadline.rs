//! `servicenorm deadline`: one deadline, explained, or a whole CSV file.

use std::{io::Write, path::PathBuf};

use jiff::civil::Date;
use servicenorm_core::{
    terms::{
        Clock, Counting, Extension, ExtensionRule, Suspension, SuspensionCounting, Term, dwangsom,
    },
    time::{Moment, Resolve, parse_instant},
};

use crate::{calendar_arg, commands::batch, error::CliError};

#[derive(clap::Args)]
pub struct Args {
    /// Het begin: datum en tijd met het verschil met UTC (2026-04-02T10:00:00+02:00),
    /// in UTC (…Z) of als Nederlandse tijd (2026-04-02T10:00).
    #[arg(long, required_unless_present = "input")]
    from: Option<String>,
    /// De termijn, zoals "2 werkdagen", "6 weken (wettelijk)" of "dwangsom".
    #[arg(long)]
    term: String,
    /// atw, gemeente of een kalenderbestand (.toml). Standaard: atw voor een wettelijke
    /// termijn, anders gemeente.
    #[arg(long)]
    calendar: Option<String>,
    /// Leg uit hoe de termijn is berekend.
    #[arg(long)]
    explain: bool,
    /// Geef het hele resultaat als JSON.
    #[arg(long)]
    json: bool,
    /// Een Nederlandse tijd die niet bestaat of twee keer bestaat (bij de wissel van zomer-
    /// en wintertijd): weigeren, eerder of later.
    #[arg(long, default_value = "weigeren")]
    resolve: Resolve,
    /// Pauze (opschorting) als VAN/TOT, bijvoorbeeld 2026-02-10/2026-02-16. Mag vaker.
    #[arg(long = "pause", value_name = "VAN/TOT")]
    pauses: Vec<String>,
    /// Tel de dag van het antwoord mee in de pauze ("tot en met", Woo 4.4 lid 3).
    #[arg(long)]
    pause_inclusive: bool,
    /// Verlenging of verdaging, zoals "6 weken", eventueel met het moment van melden:
    /// "6 weken@2026-05-20T10:00:00+02:00". Mag vaker.
    #[arg(long = "extend", value_name = "TERMIJN[@GEMELD]")]
    extensions: Vec<String>,
    /// De langste verlenging die de norm toestaat, zoals "6 weken".
    #[arg(long, value_name = "TERMIJN", conflicts_with = "no_extension")]
    max_extension: Option<String>,
    /// De norm belooft niet te verlengen.
    #[arg(long)]
    no_extension: bool,
    /// Voor "dwangsom": de laatste dag van de beslistermijn (JJJJ-MM-DD).
    #[arg(long, value_name = "DATUM")]
    decision_term_end: Option<String>,
    /// CSV-bestand met kolommen id,from; schrijft id,deadline. "-" leest van stdin.
    /// Elke regel krijgt dezelfde termijn, zonder pauze of verlenging.
    #[arg(
        long,
        value_name = "BESTAND",
        conflicts_with_all = [
            "from", "explain", "json", "pauses", "pause_inclusive", "extensions",
            "max_extension", "no_extension", "decision_term_end",
        ]
    )]
    input: Option<PathBuf>,
    /// Sla regels over die niet te lezen zijn (meldt ze op stderr).
    #[arg(long, requires = "input")]
    skip_invalid: bool,
}

pub fn run(args: &Args) -> Result<(), CliError> {
    if args.term.trim().to_lowercase().starts_with("dwangsom") {
        if args.input.is_some() {
            return Err(CliError::BadInput(
                "--input kan niet met --term dwangsom: geef --from en --decision-term-end".into(),
            ));
        }
        return run_dwangsom(args);
    }
    let term: Term = args.term.parse()?;
    let default = if matches!(
        term,
        Term::Period {
            counting: Counting::Statutory,
            ..
        }
    ) {
        "atw"
    } else {
        "gemeente"
    };
    let calendar = calendar_arg::load(args.calendar.as_deref().unwrap_or(default))?;
    if let Some(input) = &args.input {
        return batch::run(input, &term, &calendar, args.resolve, args.skip_invalid);
    }
    let from = args.from.as_deref().unwrap_or_default();
    let start = parse_instant(from, args.resolve)?;
    let clock = clock(args)?;
    let mut out = std::io::stdout().lock();
    let result = term.explain(start, &clock, &calendar)?;
    if args.json {
        let json =
            serde_json::to_string_pretty(&result).map_err(|e| CliError::Internal(e.to_string()))?;
        writeln!(out, "{json}")?;
    } else {
        writeln!(out, "{}", result.deadline)?;
        if args.explain {
            write!(out, "{}", result.explanation())?;
        } else {
            // Without --explain the first line stays the only output; the
            // warnings still reach the reader.
            for warning in &result.warnings {
                eprintln!("let op: {warning}");
            }
        }
    }
    Ok(())
}

fn clock(args: &Args) -> Result<Clock, CliError> {
    let mut clock = Clock {
        suspension_counting: if args.pause_inclusive {
            SuspensionCounting::Inclusive
        } else {
            SuspensionCounting::Awb415
        },
        ..Clock::default()
    };
    for pause in &args.pauses {
        let (from, until) = pause.split_once('/').ok_or_else(|| {
            CliError::BadInput(format!("--pause \"{pause}\": schrijf de pauze als VAN/TOT, bijvoorbeeld 2026-02-10/2026-02-16"))
        })?;
        clock.suspensions.push(Suspension {
            from: named("--pause", pause, parse_instant(from, args.resolve))?,
            until: named("--pause", pause, parse_instant(until, args.resolve))?,
        });
    }
    for extension in &args.extensions {
        let (term, announced) = match extension.split_once('@') {
            Some((term, at)) => (
                term,
                Some(named(
                    "--extend",
                    extension,
                    parse_instant(at, args.resolve),
                )?),
            ),
            None => (extension.as_str(), None),
        };
        clock.extensions.push(Extension {
            term: named("--extend", extension, term.parse())?,
            announced,
        });
    }
    clock.extension_rule = match (&args.max_extension, args.no_extension) {
        (_, true) => ExtensionRule::Forbidden,
        (Some(max), false) => ExtensionRule::UpTo {
            max: named("--max-extension", max, max.parse())?,
        },
        (None, false) => ExtensionRule::Unlimited,
    };
    Ok(clock)
}

/// An error in an option's value, with the option and the value in front.
fn named<T, E: std::fmt::Display>(
    option: &str,
    value: &str,
    result: Result<T, E>,
) -> Result<T, CliError> {
    result.map_err(|e| CliError::BadInput(format!("{option} \"{value}\": {e}")))
}

fn run_dwangsom(args: &Args) -> Result<(), CliError> {
    let term_end = args.decision_term_end.as_deref().ok_or_else(|| {
        CliError::BadInput(
            "voor \"dwangsom\" is --decision-term-end nodig: de laatste dag van de beslistermijn"
                .to_string(),
        )
    })?;
    let term_end: Date = term_end.parse().map_err(|_| {
        CliError::BadInput(format!(
            "--decision-term-end \"{term_end}\" is geen datum zoals 2026-03-30"
        ))
    })?;
    let from = args.from.as_deref().unwrap_or_default();
    let notice = Moment::in_amsterdam(parse_instant(from, args.resolve)?).date();
    let period = dwangsom(term_end, notice)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let json =
            serde_json::to_string_pretty(&period).map_err(|e| CliError::Internal(e.to_string()))?;
        writeln!(out, "{json}")?;
        return Ok(());
    }
    let end = parse_instant(&format!("{}T23:59:59", period.last_day), Resolve::Reject)?;
    writeln!(out, "{}", Moment::in_amsterdam(end))?;
    for warning in &period.warnings {
        if args.explain {
            writeln!(out, "Let op: {warning}")?;
        } else {
            eprintln!("let op: {warning}");
        }
    }
    if args.explain {
        writeln!(out, "Dwangsom bij niet tijdig beslissen (Awb 4:17).")?;
        for adjustment in &period.adjustments {
            writeln!(out, "- {adjustment}")?;
        }
        writeln!(
            out,
            "Eerste dag {}, laatste dag {}; samen ten hoogste {} euro.",
            period.first_day, period.last_day, period.max_amount_eur
        )?;
    }
    Ok(())
}
