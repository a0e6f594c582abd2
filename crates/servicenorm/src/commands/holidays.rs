//! `servicenorm holidays YEAR`: the non-working holidays of a year.

use std::io::Write;

use servicenorm_core::calendar::{FIRST_YEAR, LAST_YEAR};

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
    let mut out = std::io::stdout().lock();
    for day in calendar.holidays_in(args.year) {
        writeln!(out, "{}\t{}\t{}", day.date, day.name, day.basis)?;
    }
    Ok(())
}
