//! `servicenorm token create`: an API token for a front-office system.

use std::path::PathBuf;

use servicenorm_server::auth::{Scope, new_token};
use servicenorm_storage::{Actor, StorageError, Store};

use crate::{commands::serve::SettingsFile, error::CliError};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Maak een API-token. Het token wordt één keer getoond; bewaard wordt alleen een hash.
    Create {
        /// read, write of admin (write mag ook lezen, admin alles).
        #[arg(long)]
        scope: String,
        /// Een naam die zegt van wie het token is, zoals "telefonie".
        #[arg(long)]
        name: String,
        /// Database: sqlite:PAD of postgres://... Standaard het SQLite-bestand in --data.
        #[arg(long)]
        database: Option<String>,
        /// Map met de SQLite-database van de dienst (standaard ./data).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Het instellingenbestand van `serve`, zodat het token in dezelfde database komt.
        #[arg(long, value_name = "BESTAND")]
        settings: Option<PathBuf>,
    },
}

pub fn run(command: &Command) -> Result<(), CliError> {
    let Command::Create {
        scope,
        name,
        database,
        data,
        settings,
    } = command;
    let scope = Scope::parse(scope).map_err(CliError::BadInput)?;
    if name.trim().is_empty() {
        return Err(CliError::BadInput(
            "geef het token een naam met --name".into(),
        ));
    }
    let file = match settings {
        Some(path) => SettingsFile::read(path).map_err(CliError::BadInput)?,
        None => SettingsFile::default(),
    };
    let url = file.database_url(database.as_deref(), data.as_deref())?;
    let token = new_token().map_err(CliError::Internal)?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| CliError::Internal(e.to_string()))?;
    runtime.block_on(async {
        let store = Store::connect(&url).await.map_err(storage)?;
        store.migrate().await.map_err(storage)?;
        let actor = Actor::new(whoami(), "command line");
        let created = store
            .create_token(
                name,
                &token.hash,
                scope.as_str(),
                &actor,
                jiff::Timestamp::now(),
            )
            .await;
        store.close().await;
        created.map_err(storage)
    })?;
    eprintln!(
        "Nieuw token \"{name}\" met scope {}. Bewaar het nu: het wordt niet opnieuw getoond.",
        scope.as_str()
    );
    println!("{}", token.token);
    Ok(())
}

pub(crate) fn storage(error: StorageError) -> CliError {
    match error {
        StorageError::TokenExists(_)
        | StorageError::UserExists(_)
        | StorageError::UnknownUrl(_) => CliError::BadInput(error.to_string()),
        other => CliError::Internal(other.to_string()),
    }
}

/// The operating-system user, for the audit log.
pub(crate) fn whoami() -> String {
    std::env::var("USER").unwrap_or_else(|_| "beheerder".to_string())
}
