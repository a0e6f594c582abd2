//! `servicenorm user add`: an account for a member of staff. The first
//! beheerder is made this way; the password is read from the terminal
//! (not shown) or, in scripts, from the first line of standard input.

use std::io::{BufRead, IsTerminal};

use servicenorm_server::{
    roles::Role,
    web::password::{check_new, hash},
};
use servicenorm_storage::{Actor, NewUser};

use crate::{
    commands::database::{DatabaseArgs, open, storage, whoami},
    error::CliError,
};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Maak een account. Het wachtwoord wordt gevraagd (of gelezen van stdin).
    Add {
        /// De naam waarmee de medewerker inlogt.
        #[arg(long)]
        name: String,
        /// medewerker, teamleider of beheerder.
        #[arg(long)]
        role: String,
        /// Het team uit de catalogus (zoals kcc); de werkvoorraad toont de zaken van dit team.
        #[arg(long)]
        team: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub fn run(command: &Command) -> Result<(), CliError> {
    let Command::Add {
        name,
        role,
        team,
        database,
    } = command;
    let role = Role::parse(role).map_err(CliError::BadInput)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(CliError::BadInput("geef een naam met --name".into()));
    }
    let url = database.url()?;
    let password = read_password()?;
    check_new(&password).map_err(CliError::BadInput)?;
    let user = NewUser {
        name: name.to_string(),
        password_hash: hash(&password).map_err(CliError::Internal)?,
        role: role.as_str().to_string(),
        team: team
            .as_ref()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| CliError::Internal(e.to_string()))?;
    runtime.block_on(async {
        let store = open(&url).await?;
        let actor = Actor::new(whoami(), "command line");
        let created = store
            .create_user(&user, &actor, jiff::Timestamp::now())
            .await;
        store.close().await;
        created.map_err(storage)
    })?;
    eprintln!("Account \"{name}\" gemaakt met de rol {}.", role.as_str());
    Ok(())
}

fn read_password() -> Result<String, CliError> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Wachtwoord: ")?;
        let second = rpassword::prompt_password("Nog een keer: ")?;
        if first != second {
            return Err(CliError::BadInput(
                "de twee wachtwoorden zijn niet gelijk".into(),
            ));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
