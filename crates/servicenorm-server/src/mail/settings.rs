//! Where and as whom servicenorm sends e-mail.

use std::{collections::BTreeMap, time::Duration};

use lettre::message::Mailbox;

/// The mail server and addresses; without them nothing is sent.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `smtp://host:port` (no encryption: a relay on the same network),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://host` (TLS),
    /// with `user:password@` before the host where the server wants a login.
    pub url: String,
    /// The sender, such as `Gemeente Heemskerk <noreply@heemskerk.nl>`.
    pub from: String,
    /// Where a resident's answer goes, if not to `from`.
    pub reply_to: Option<String>,
    /// Team id → the address that gets the team's notifications.
    pub teams: BTreeMap<String, String>,
    /// How often the outbox is looked at.
    pub every: Duration,
}

/// A setting that cannot be used, named by its field.
#[derive(Debug, thiserror::Error)]
#[error("mail.{field}: {problem}")]
pub struct MailSettingsError {
    pub field: String,
    pub problem: String,
}

/// The settings with their addresses read.
#[derive(Clone, Debug)]
pub(crate) struct Checked {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    pub teams: BTreeMap<String, Mailbox>,
}

impl MailSettings {
    pub(crate) fn checked(&self) -> Result<Checked, MailSettingsError> {
        let mailbox = |field: &str, text: &str| {
            text.parse::<Mailbox>().map_err(|e| MailSettingsError {
                field: field.to_string(),
                problem: format!("\"{text}\" is geen e-mailadres: {e}"),
            })
        };
        let from = mailbox("from", &self.from)?;
        let reply_to = self
            .reply_to
            .as_deref()
            .map(|r| mailbox("reply_to", r))
            .transpose()?;
        let mut teams = BTreeMap::new();
        for (team, address) in &self.teams {
            teams.insert(team.clone(), mailbox(&format!("teams.{team}"), address)?);
        }
        super::transport::build(&self.url)?;
        Ok(Checked {
            from,
            reply_to,
            teams,
        })
    }
}
