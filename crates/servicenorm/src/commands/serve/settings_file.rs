//! The optional TOML settings file of `servicenorm serve`.
//!
//! Flags win over the file, the file wins over the defaults, so an operator can
//! keep one file per environment and still override a value for one run.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use serde::Deserialize;

use super::probe_settings::ProbeSetting;

/// What the file may set; every field is optional.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    pub address: Option<SocketAddr>,
    /// `sqlite:PATH` or `postgres://...`.
    pub database: Option<String>,
    /// Folder for the embedded SQLite database.
    pub data: Option<PathBuf>,
    /// Catalog files, relative to the settings file.
    #[serde(default)]
    pub catalogs: Vec<PathBuf>,
    pub log_format: Option<LogFormat>,
    /// Websites to probe, each a `[[probes]]` table.
    #[serde(default)]
    pub probes: Vec<ProbeSetting>,
    /// The mail server for messages to residents and staff (`[mail]`).
    pub mail: Option<MailFile>,
}

/// `[mail]`: without it servicenorm sends no e-mail.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MailFile {
    /// `smtp://host:25`, `smtp://user:password@host:587?tls=required`, `smtps://host`.
    pub url: String,
    /// The sender: `Gemeente Heemskerk <noreply@heemskerk.nl>`.
    pub from: String,
    pub reply_to: Option<String>,
    /// Seconds between two looks at the outbox; 10 when not set.
    pub every_seconds: Option<u64>,
    /// Team id = address for the team's notifications (`[mail.teams]`).
    #[serde(default)]
    pub teams: std::collections::BTreeMap<String, String>,
}

impl MailFile {
    pub fn settings(&self) -> servicenorm_server::MailSettings {
        servicenorm_server::MailSettings {
            url: self.url.clone(),
            from: self.from.clone(),
            reply_to: self.reply_to.clone(),
            teams: self.teams.clone(),
            every: std::time::Duration::from_secs(self.every_seconds.unwrap_or(10).max(1)),
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Tekst,
    Json,
}

impl SettingsFile {
    /// Reads the file; errors name the file, the line and the field.
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: bestand kan niet worden gelezen: {e}", path.display()))?;
        let mut settings = Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for catalog in &mut settings.catalogs {
            if catalog.is_relative() {
                *catalog = base.join(&*catalog);
            }
        }
        if let Some(data) = &mut settings.data
            && data.is_relative()
        {
            *data = base.join(&*data);
        }
        Ok(settings)
    }

    /// Parses the text; `toml` reports the line, column and field of a mistake.
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| {
            let message = e.message();
            match e.span() {
                Some(span) => {
                    let line = text[..span.start].matches('\n').count() + 1;
                    format!("regel {line}: {message}")
                }
                None => message.to_string(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_field() {
        let settings = SettingsFile::parse(
            "address = \"0.0.0.0:9000\"\ndatabase = \"postgres://db/sn\"\n\
             catalogs = [\"buch.toml\"]\nlog_format = \"json\"\n",
        )
        .unwrap();
        assert_eq!(settings.address, Some("0.0.0.0:9000".parse().unwrap()));
        assert_eq!(settings.database.as_deref(), Some("postgres://db/sn"));
        assert_eq!(settings.catalogs, vec![PathBuf::from("buch.toml")]);
        assert_eq!(settings.log_format, Some(LogFormat::Json));
    }

    #[test]
    fn reads_the_mail_server_and_team_addresses() {
        let settings = SettingsFile::parse(
            "[mail]\nurl = \"smtp://relay:25\"\nfrom = \"Gemeente X <noreply@x.example>\"\n\
             every_seconds = 5\n[mail.teams]\nkcc = \"kcc@x.example\"\n",
        )
        .unwrap();
        let mail = settings.mail.unwrap().settings();
        assert_eq!(mail.url, "smtp://relay:25");
        assert_eq!(mail.every, std::time::Duration::from_secs(5));
        assert_eq!(
            mail.teams.get("kcc").map(String::as_str),
            Some("kcc@x.example")
        );
        let error = SettingsFile::parse("[mail]\nurl = \"smtp://relay\"\n").unwrap_err();
        assert!(
            error.starts_with("regel 1: ") && error.contains("from"),
            "{error}"
        );
    }

    #[test]
    fn an_empty_file_sets_nothing() {
        assert_eq!(SettingsFile::parse("").unwrap(), SettingsFile::default());
    }

    #[test]
    fn an_unknown_field_is_named_with_its_line() {
        let error =
            SettingsFile::parse("address = \"127.0.0.1:8080\"\nadress = \"x\"\n").unwrap_err();
        assert!(error.starts_with("regel 2: "), "{error}");
        assert!(error.contains("adress"), "{error}");
    }

    #[test]
    fn a_bad_address_is_named_with_its_line() {
        let error = SettingsFile::parse("\naddress = \"localhost\"\n").unwrap_err();
        assert!(error.starts_with("regel 2: "), "{error}");
    }

    #[test]
    fn probes_are_read_with_their_durations() {
        let settings = SettingsFile::parse(
            "[[probes]]\nname = \"gemeente-site\"\nurl = \"https://www.example.nl/\"\n\
             every = \"1m\"\n\n[[probes]]\nname = \"loket\"\nurl = \"http://loket.example.nl\"\n\
             every = 300\ntimeout = \"2500ms\"\ncase_type = \"website-loket\"\nteam = \"kcc\"\n\
             municipality = \"heiloo\"\n",
        )
        .unwrap();
        let [site, loket] = &settings.probes[..] else {
            panic!("{:?}", settings.probes)
        };
        assert_eq!(site.0.name(), "gemeente-site");
        assert_eq!(site.0.every(), std::time::Duration::from_secs(60));
        assert_eq!(site.0.timeout(), std::time::Duration::from_secs(10));
        assert_eq!(site.0.case_type(), "website-controle");
        assert_eq!(loket.0.every(), std::time::Duration::from_secs(300));
        assert_eq!(loket.0.timeout(), std::time::Duration::from_millis(2500));
        assert_eq!(loket.0.case_type(), "website-loket");
        assert_eq!(loket.0.team(), Some("kcc"));
        assert_eq!(loket.0.municipality(), Some("heiloo"));
    }

    #[test]
    fn a_probe_mistake_is_named_with_its_line_and_field() {
        let probe = |body: &str| {
            SettingsFile::parse(&format!(
                "address = \"127.0.0.1:8080\"\n\n[[probes]]\nname = \"site\"\n{body}"
            ))
            .unwrap_err()
        };
        let error = probe("url = \"https://x.nl\"\nevery = \"30s\"\ntimeout = \"30s\"\n");
        assert!(error.starts_with("regel 3"), "{error}");
        assert!(
            error.contains(
                "websitecontrole \"site\": timeout (30s) moet korter zijn dan every (30s)"
            ),
            "{error}"
        );
        let error = probe("url = \"https://x.nl\"\nevery = \"5s\"\n");
        assert!(
            error.contains("Zonder timeout in het bestand geldt 10s"),
            "{error}"
        );
        let error = probe("url = \"x.nl\"\nevery = \"1m\"\n");
        assert!(
            error.contains("url \"x.nl\" is geen geldig webadres"),
            "{error}"
        );
        let error = probe("url = \"https://x.nl\"\nevery = \"elke minuut\"\n");
        assert!(
            error.contains("every \"elke minuut\" is geen duur"),
            "{error}"
        );
        let error = probe("url = \"https://x.nl\"\nevery = \"1m\"\ninterval = \"1m\"\n");
        assert!(error.contains("interval"), "{error}");
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("servicenorm.toml");
        std::fs::write(&path, "catalogs = [\"buch.toml\"]\ndata = \"gegevens\"\n").unwrap();
        let settings = SettingsFile::read(&path).unwrap();
        assert_eq!(settings.catalogs, vec![dir.path().join("buch.toml")]);
        assert_eq!(settings.data, Some(dir.path().join("gegevens")));
    }
}
