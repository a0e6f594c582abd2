//! `servicenorm holidays YEAR`: the non-working holidays of a year.

use std::io::Write;

use servicenorm_core::calendar::{BaseCalendar, FIRST_YEAR, LAST_YEAR, decree_known};

use crate::{calendar_arg, error::CliError};

#[derive(clap::Args)]
pub struct Args {
    /// Het jaar, van 1990 tot en met 2100.
    year: i16,
    /// atw (wettelijke termijnen), gemeente (servicenormen) of een kalenderbestand (.toml).
    #[arg(long, default_value = "gemeente")]
    calendar: String,
}

/// Prints `YYYY-MM-DD<TAB>name<TAB>basis`, one line per day, sorted by date.
pub fn run(args: &Args) -> Result<(), CliError> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&args.year) {
        return Err(CliError::BadInput(format!(
            "jaar {} valt buiten de ondersteunde jaren {FIRST_YEAR} tot en met {LAST_YEAR}",
            args.year
        )));
    }
    let calendar = calendar_arg::load(&args.calendar)?;
    if calendar.base() == BaseCalendar::Atw && !decree_known(args.year) {
        eprintln!(
            "let op: voor {} is geen besluit over gelijkgestelde dagen (Atw art. 3 lid 3) bekend; \
             de lijst bevat dan geen gelijkgestelde dagen",
            args.year
        );
    }
    let mut out = std::io::stdout().lock();
    for day in calendar.holidays_in(args.year) {
        writeln!(out, "{}\t{}\t{}", day.date, day.name, day.basis)?;
    }
    Ok(())
}
