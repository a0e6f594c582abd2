//! `servicenorm demo-data`: a realistic, synthetic event stream for a
//! catalog, without any personal data. The same seed gives the same bytes.

use std::{
    fs::File,
    io::{self, BufWriter, Write},
    path::PathBuf,
};

use jiff::civil::Date;
use servicenorm_demo::{DemoError, Generator, Options};

use crate::{commands::catalog, error::CliError};

#[derive(clap::Args)]
pub struct Args {
    /// Het catalogusbestand (.toml) waarvoor gebeurtenissen worden gemaakt.
    #[arg(long, value_name = "BESTAND")]
    catalog: PathBuf,
    /// De eerste dag (JJJJ-MM-DD).
    #[arg(long, value_name = "DATUM")]
    from: String,
    /// De laatste dag, die telt mee (JJJJ-MM-DD).
    #[arg(long, value_name = "DATUM")]
    to: String,
    /// Het startgetal van de toevalsgenerator: hetzelfde getal geeft precies dezelfde uitvoer.
    #[arg(long, value_name = "N")]
    seed: u64,
    /// csv (met kopregel) of jsonl.
    #[arg(long, default_value = "csv")]
    format: Format,
    /// Schrijf naar dit bestand in plaats van naar de standaarduitvoer.
    #[arg(long, value_name = "BESTAND")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

fn date(text: &str, option: &str) -> Result<Date, CliError> {
    text.trim().parse().map_err(|_| {
        CliError::BadInput(format!(
            "{option}: \"{text}\" is geen datum; schrijf JJJJ-MM-DD, zoals 2026-01-01"
        ))
    })
}

fn error(e: DemoError) -> CliError {
    match e {
        DemoError::Period(message) => CliError::BadInput(message),
        DemoError::Io(e) => CliError::from(e),
    }
}

pub fn run(args: &Args) -> Result<(), CliError> {
    let options = Options {
        from: date(&args.from, "--from")?,
        to: date(&args.to, "--to")?,
        seed: args.seed,
    };
    let catalog = catalog::load(&args.catalog)?;
    // The period is checked before an output file is made.
    let generator = Generator::new(&catalog, &options).map_err(error)?;
    let format = match args.format {
        Format::Csv => servicenorm_demo::Format::Csv,
        Format::Jsonl => servicenorm_demo::Format::Jsonl,
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(File::create(path).map_err(|e| {
            CliError::BadInput(format!(
                "{}: bestand kan niet worden gemaakt: {e}",
                path.display()
            ))
        })?),
        None => Box::new(io::stdout().lock()),
    };
    let summary = generator
        .write(format, BufWriter::with_capacity(1 << 16, out))
        .map_err(error)?;
    eprintln!(
        "{} zaken, {} gebeurtenissen ({} dubbel, {} te laat) van {} tot en met {}",
        summary.cases, summary.events, summary.duplicates, summary.late, options.from, options.to
    );
    Ok(())
}
