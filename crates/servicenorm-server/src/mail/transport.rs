//! The SMTP connection, from a URL.

use lettre::{AsyncSmtpTransport, Tokio1Executor};

use super::MailSettingsError;

pub(crate) type Smtp = AsyncSmtpTransport<Tokio1Executor>;

/// How long one message may take to go out before the try counts as failed.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub(crate) fn build(url: &str) -> Result<Smtp, MailSettingsError> {
    let builder = Smtp::from_url(url).map_err(|e| MailSettingsError {
        field: "url".into(),
        problem: format!(
            "\"{}\" is geen mailserver-adres: {e}",
            without_password(url)
        ),
    })?;
    Ok(builder.timeout(Some(TIMEOUT)).build())
}

/// A URL fit for an error message: a password never shows.
fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// What went wrong, without anything a reply might say about the address.
pub(crate) fn describe(error: &lettre::transport::smtp::Error) -> String {
    match error.status() {
        Some(code) => format!("de mailserver antwoordde {code}"),
        None if error.is_timeout() => "de mailserver antwoordde niet op tijd".to_string(),
        None => "geen verbinding met de mailserver".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows_in_an_error() {
        // A port that is not a number: the URL is refused, and said back
        // without its password.
        let error = build("smtps://user:geheim@mail.example.org:poort")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.starts_with("mail.url: "), "{error}");
        assert!(error.contains("…@mail.example.org:poort"), "{error}");
        assert!(!error.contains("geheim"), "{error}");
        assert!(build("http://mail.example.org").is_err());
        assert!(build("smtp://127.0.0.1:2525").is_ok());
    }
}
