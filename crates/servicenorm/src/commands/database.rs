//! Which database a command works on, named the same way for every command:
//! `--database`, `--data` or the settings file of `serve`.

use std::path::PathBuf;

use servicenorm_storage::{StorageError, Store};

use crate::{commands::serve::SettingsFile, error::CliError};

#[derive(clap::Args)]
pub struct DatabaseArgs {
    /// Database: sqlite:PAD of postgres://... Standaard het SQLite-bestand in --data.
    #[arg(long)]
    database: Option<String>,
    /// Map met de SQLite-database van de dienst (standaard ./data).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Het instellingenbestand van `serve`, zodat dit dezelfde database gebruikt.
    #[arg(long, value_name = "BESTAND")]
    settings: Option<PathBuf>,
}

impl DatabaseArgs {
    pub fn settings_file(&self) -> Result<SettingsFile, CliError> {
        match &self.settings {
            Some(path) => SettingsFile::read(path).map_err(CliError::BadInput),
            None => Ok(SettingsFile::default()),
        }
    }

    pub fn url(&self) -> Result<String, CliError> {
        self.url_in(&self.settings_file()?)
    }

    /// The database URL, with `file` the settings file already read.
    pub fn url_in(&self, file: &SettingsFile) -> Result<String, CliError> {
        file.database_url(self.database.as_deref(), self.data.as_deref())
    }
}

/// Connects and brings the schema up to date.
pub async fn open(url: &str) -> Result<Store, CliError> {
    let store = Store::connect(url).await.map_err(storage)?;
    store.migrate().await.map_err(storage)?;
    Ok(store)
}

/// A storage error as the command line reports it: a conflict or a bad URL
/// is the user's input; the rest is internal.
pub fn storage(error: StorageError) -> CliError {
    match error {
        StorageError::TokenExists(_)
        | StorageError::UserExists(_)
        | StorageError::UnknownUrl(_) => CliError::BadInput(error.to_string()),
        other => CliError::Internal(other.to_string()),
    }
}

/// The operating-system user, for the audit log.
pub fn whoami() -> String {
    std::env::var("USER").unwrap_or_else(|_| "beheerder".to_string())
}
