//! Notifications to staff by e-mail: a clock at risk or missed, a
//! tussenbericht owed, a message to send by hand. Only the case and the norm
//! are named, never the resident.

use jiff::{SignedDuration, Timestamp};
use lettre::{AsyncTransport, Message, message::header::ContentType};
use servicenorm_storage::OutboxItem;

use servicenorm_core::messages::moment_in_words;

use super::{postman::MAX_ATTEMPTS, settings::Checked, transport::Smtp};
use crate::{problem::ApiError, state::AppState};

/// A notification older than this is not worth an e-mail any more (after a
/// long outage, or when e-mail is switched on for the first time).
const FRESH_FOR: SignedDuration = SignedDuration::from_hours(24);

pub(crate) async fn round(
    state: &AppState,
    smtp: &Smtp,
    settings: &Checked,
    now: Timestamp,
    lease: i64,
) -> Result<(), ApiError> {
    let teams: Vec<String> = settings.teams.keys().cloned().collect();
    loop {
        let items = state
            .store
            .claim_staff_mail(&teams, now - FRESH_FOR, now, lease, MAX_ATTEMPTS, 50)
            .await?;
        if items.is_empty() {
            return Ok(());
        }
        let mut sent = Vec::new();
        for item in &items {
            let Some(to) = item.team.as_ref().and_then(|t| settings.teams.get(t)) else {
                continue;
            };
            let message = Message::builder()
                .from(settings.from.clone())
                .to(to.clone())
                .subject(subject(item))
                .date(std::time::SystemTime::from(now))
                .message_id(Some(super::postman::message_id(
                    &format!("melding|{}", item.id),
                    settings,
                )))
                .header(ContentType::TEXT_PLAIN)
                .body(text(item, now));
            let message = match message {
                Ok(message) => message,
                Err(error) => {
                    // Only the addresses could make this fail, and they were
                    // checked at start: say so, and let the claim run out.
                    tracing::error!(notification = item.id, %error, "melding niet op te maken");
                    continue;
                }
            };
            match smtp.send(message).await {
                Ok(_) => sent.push(item.id),
                // The claim runs out and the next round tries again.
                Err(error) => {
                    tracing::warn!(
                        notification = item.id,
                        problem = super::transport::describe(&error),
                        "melding niet gemaild"
                    );
                    break;
                }
            }
        }
        state.store.staff_mailed(&sent, now).await?;
        if sent.len() < items.len() {
            return Ok(());
        }
    }
}

fn what(kind: &str) -> &'static str {
    match kind {
        "dreigt_te_verlopen" => "Termijn dreigt te verlopen",
        "niet_gehaald" => "Termijn verlopen",
        "tussenbericht_verschuldigd" => "Tussenbericht nodig",
        "bericht_zelf_sturen" => "Stuur het bericht zelf",
        _ => "Melding",
    }
}

fn subject(item: &OutboxItem) -> String {
    format!("{}: zaak {}", what(&item.kind), item.case_id)
}

fn text(item: &OutboxItem, now: Timestamp) -> String {
    let deadline = item
        .deadline
        .map(|d| format!("De termijn eindigt {}.\n", moment_in_words(d, now)))
        .unwrap_or_default();
    let action = match item.kind.as_str() {
        "bericht_zelf_sturen" => {
            "De inwoner gaf geen e-mailadres, of het bericht kon niet worden verstuurd.\n\
             Stuur het bericht per brief of bel de inwoner. Leg daarna vast dat het bericht is verstuurd.\n"
        }
        "tussenbericht_verschuldigd" => {
            "Lukt het niet op tijd? Laat de inwoner dan weten waarom, en wanneer het antwoord komt.\n"
        }
        _ => "Kijk in de werkvoorraad wat er nog moet gebeuren.\n",
    };
    format!(
        "{}\n\nZaak: {}\nNorm: {}\n{deadline}\n{action}\nDit bericht is automatisch verstuurd door servicenorm.\n",
        what(&item.kind),
        item.case_id,
        item.norm_id
    )
}
