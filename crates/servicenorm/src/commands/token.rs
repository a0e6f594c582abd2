//! `servicenorm token create`: an API token for a front-office system.

use servicenorm_server::auth::{Scope, new_token};
use servicenorm_storage::Actor;

use crate::{
    commands::database::{DatabaseArgs, open, storage, whoami},
    error::CliError,
};

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
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub fn run(command: &Command) -> Result<(), CliError> {
    let Command::Create {
        scope,
        name,
        database,
    } = command;
    let scope = Scope::parse(scope).map_err(CliError::BadInput)?;
    if name.trim().is_empty() {
        return Err(CliError::BadInput(
            "geef het token een naam met --name".into(),
        ));
    }
    let url = database.url()?;
    let token = new_token().map_err(CliError::Internal)?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| CliError::Internal(e.to_string()))?;
    runtime.block_on(async {
        let store = open(&url).await?;
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
