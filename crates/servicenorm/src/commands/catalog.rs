//! `servicenorm catalog check|show`: a catalog checked, and its promises listed.

use std::{io::Write, path::PathBuf};

use servicenorm_core::catalog::{self, Catalog, CatalogVersions};

use crate::{error::CliError, render};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Controleer een catalogus (of meerdere versies ervan) en meld alle fouten tegelijk.
    Check {
        /// Een of meer catalogusbestanden (.toml), versies van één catalogus.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Toon de beloften per kanaal, zoals de publieke pagina ze laat zien.
    Show {
        file: PathBuf,
        /// text, json of html.
        #[arg(long, default_value = "text")]
        format: Format,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Html,
}

pub fn run(command: &Command) -> Result<(), CliError> {
    match command {
        Command::Check { files } => {
            let versions = load_versions(files)?;
            let mut out = std::io::stdout().lock();
            for version in versions.versions() {
                let measured = version
                    .norms
                    .iter()
                    .filter(|n| n.kind.is_measured())
                    .count();
                writeln!(
                    out,
                    "{} (geldig vanaf {}): in orde, {} normen waarvan {} gemeten, {} kanalen, {} zaaktypen",
                    version.id,
                    version.valid_from,
                    version.norms.len(),
                    measured,
                    version.channels.len(),
                    version.case_types.len()
                )?;
            }
            Ok(())
        }
        Command::Show { file, format } => {
            let catalog = load(file)?;
            let mut out = std::io::stdout().lock();
            match format {
                Format::Text => write!(out, "{}", render::catalog::text(&catalog))?,
                Format::Json => {
                    let json = serde_json::to_string_pretty(&render::catalog::view(&catalog))
                        .map_err(|e| CliError::Internal(e.to_string()))?;
                    writeln!(out, "{json}")?;
                }
                Format::Html => write!(out, "{}", render::catalog::html(&catalog))?,
            }
            Ok(())
        }
    }
}

fn read(file: &PathBuf) -> Result<String, CliError> {
    std::fs::read_to_string(file).map_err(|e| {
        CliError::BadInput(format!(
            "{}: bestand kan niet worden gelezen: {e}",
            file.display()
        ))
    })
}

/// One catalog file, checked.
pub fn load(file: &PathBuf) -> Result<Catalog, CliError> {
    let text = read(file)?;
    catalog::parse(&text, &file.display().to_string())
        .map_err(|e| CliError::BadInput(e.to_string()))
}

/// Several versions of one catalog, checked together.
pub fn load_versions(files: &[PathBuf]) -> Result<CatalogVersions, CliError> {
    let texts = files.iter().map(read).collect::<Result<Vec<_>, _>>()?;
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let pairs: Vec<(&str, &str)> = texts
        .iter()
        .map(String::as_str)
        .zip(names.iter().map(String::as_str))
        .collect();
    catalog::parse_versions(&pairs).map_err(|e| CliError::BadInput(e.to_string()))
}
