//! `servicenorm serve`: the service on an embedded SQLite database (default)
//! or PostgreSQL.

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use servicenorm_server::{Application, Settings, SystemClock};

use crate::error::CliError;

mod probe_settings;
mod settings_file;
use settings_file::LogFormat;
pub use settings_file::SettingsFile;

/// The catalog a new installation starts with.
const SHIPPED_CATALOG: &str = include_str!("../../../../../catalogs/heemskerk.toml");

#[derive(clap::Args)]
pub struct Args {
    /// Instellingenbestand (TOML) met address, database, data, catalogs, log_format en
    /// websitecontroles ([[probes]]).
    /// Opties op de opdrachtregel gaan voor.
    #[arg(long, value_name = "BESTAND")]
    settings: Option<PathBuf>,
    /// Adres om op te luisteren (standaard 127.0.0.1:8080).
    #[arg(long)]
    address: Option<SocketAddr>,
    /// Database: sqlite:PAD of postgres://... Standaard een SQLite-bestand in --data.
    #[arg(long)]
    database: Option<String>,
    /// Map voor de gegevens (de SQLite-database); wordt gemaakt als die ontbreekt
    /// (standaard ./data).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Catalogusbestand(en) om te laden; standaard de meegeleverde catalogus van Heemskerk.
    #[arg(long = "catalog", value_name = "BESTAND")]
    catalogs: Vec<PathBuf>,
    /// Vul een lege database met een jaar voorbeeldgebeurtenissen (verzonnen, zonder
    /// persoonsgegevens), zodat u meteen een levend systeem ziet.
    #[arg(long)]
    demo: bool,
    /// Logregels als JSON in plaats van tekst.
    #[arg(long)]
    log_json: bool,
}

/// The catalog versions to run with, as (TOML text, file name): the files
/// given with `--catalog`, else those of the settings file, else the shipped
/// Heemskerk catalog.
pub fn catalog_files(
    given: &[PathBuf],
    file: &SettingsFile,
) -> Result<Vec<(String, String)>, CliError> {
    let paths = if given.is_empty() {
        &file.catalogs
    } else {
        given
    };
    if paths.is_empty() {
        return Ok(vec![(
            SHIPPED_CATALOG.to_string(),
            "catalogs/heemskerk.toml".to_string(),
        )]);
    }
    paths
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .map(|text| (text, path.display().to_string()))
                .map_err(|e| {
                    CliError::BadInput(format!(
                        "{}: bestand kan niet worden gelezen: {e}",
                        path.display()
                    ))
                })
        })
        .collect()
}

pub fn run(args: &Args) -> Result<(), CliError> {
    let file = match &args.settings {
        Some(path) => SettingsFile::read(path).map_err(CliError::BadInput)?,
        None => SettingsFile::default(),
    };
    let log_json = args.log_json || file.log_format == Some(LogFormat::Json);
    let address = args
        .address
        .or(file.address)
        .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080)));
    // Logs go to standard error; they never contain residents' data.
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        );
    if log_json {
        subscriber.json().init();
    } else {
        subscriber.init();
    }
    let database_url = file.database_url(args.database.as_deref(), args.data.as_deref())?;
    let catalogs = catalog_files(&args.catalogs, &file)?;
    let settings = Settings {
        address,
        database_url,
        catalogs,
        scheduler_every: std::time::Duration::from_secs(30),
        mail: file.mail.as_ref().map(|m| m.settings()),
        probes: file.probes.iter().map(|p| p.0.clone()).collect(),
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| CliError::Internal(e.to_string()))?;
    runtime.block_on(async {
        let app = Application::build(settings, Arc::new(SystemClock))
            .await
            .map_err(|e| CliError::BadInput(e.to_string()))?;
        if args.demo {
            tracing::info!("voorbeeldgebeurtenissen laden");
            let stored = app
                .load_demo(1)
                .await
                .map_err(|e| CliError::Internal(e.to_string()))?;
            tracing::info!(stored, "voorbeeldgebeurtenissen geladen");
        }
        let address = app
            .address()
            .map_err(|e| CliError::Internal(e.to_string()))?;
        tracing::info!(%address, "servicenorm luistert");
        if args.demo {
            let token = app
                .demo_token()
                .await
                .map_err(|e| CliError::Internal(e.to_string()))?;
            eprintln!(
                "Demo: probeer curl -H 'Authorization: Bearer {token}' http://{address}/api/v1/notifications"
            );
            eprintln!("Demo: de pagina's staan op http://{address}/ (Onze servicenormen).");
            if let Some(password) = app
                .demo_accounts()
                .await
                .map_err(|e| CliError::Internal(e.to_string()))?
            {
                eprintln!(
                    "Demo: log in op http://{address}/inloggen als demo-medewerker, demo-teamleider of demo-beheerder met wachtwoord {password} (alleen nu getoond)."
                );
            }
        }
        app.run_until(shutdown_signal())
            .await
            .map_err(|e| CliError::Internal(e.to_string()))
    })
}

impl SettingsFile {
    /// The database to use: `--database`, else the file's `database`, else
    /// the SQLite file in the data folder (`--data`, the file's `data`, or
    /// `./data`), which is made if missing.
    pub fn database_url(
        &self,
        database: Option<&str>,
        data: Option<&std::path::Path>,
    ) -> Result<String, CliError> {
        if let Some(url) = database.or(self.database.as_deref()) {
            return Ok(url.to_string());
        }
        let data = data
            .or(self.data.as_deref())
            .unwrap_or(std::path::Path::new("data"));
        std::fs::create_dir_all(data).map_err(|e| {
            CliError::BadInput(format!(
                "{}: map kan niet worden gemaakt: {e}",
                data.display()
            ))
        })?;
        Ok(format!("sqlite:{}", data.join("servicenorm.db").display()))
    }
}

/// Ctrl-C or SIGTERM: stop taking requests, finish the ones in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("servicenorm stopt");
}
