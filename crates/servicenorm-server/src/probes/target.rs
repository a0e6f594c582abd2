//! A website to probe: where, how often, and which case type its probes
//! are counted under.

use std::time::Duration;

use reqwest::Url;

/// The case type probes are counted under unless a target names another:
/// the BUCH catalog's "Controle of de websites bereikbaar zijn".
pub const DEFAULT_CASE_TYPE: &str = "website-controle";

/// How long a probe may take unless a target says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A website that servicenorm probes itself, every `every`, each probe cut
/// off at `timeout`. Made by [`ProbeTarget::new`], which checks it: a
/// target that exists can be probed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeTarget {
    name: String,
    url: Url,
    every: Duration,
    timeout: Duration,
    case_type: String,
    team: Option<String>,
    municipality: Option<String>,
}

/// Why a probe target cannot be used, naming the target and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeTargetError {
    #[error(
        "websitecontrole \"{name}\": name mag alleen kleine letters, cijfers, - en _ bevatten \
         (hoogstens 64 tekens)"
    )]
    BadName { name: String },
    #[error("websitecontrole \"{name}\": url \"{url}\" is geen geldig webadres ({reason})")]
    BadUrl {
        name: String,
        url: String,
        reason: String,
    },
    #[error("websitecontrole \"{name}\": url \"{url}\" moet beginnen met http:// of https://")]
    NotHttp { name: String, url: String },
    #[error("websitecontrole \"{name}\": every moet minstens 1 milliseconde zijn")]
    EveryTooShort { name: String },
    #[error("websitecontrole \"{name}\": timeout moet langer zijn dan 0")]
    NoTimeout { name: String },
    #[error("websitecontrole \"{name}\": timeout ({timeout}) moet korter zijn dan every ({every})")]
    TimeoutNotShorter {
        name: String,
        timeout: String,
        every: String,
    },
}

impl ProbeTarget {
    /// A target named `name` (it goes into case and event ids, so only
    /// `a-z`, `0-9`, `-` and `_`), probing `url` (http or https) every
    /// `every`; a probe that takes `timeout` or longer counts as down, so
    /// the timeout must be shorter than the interval.
    pub fn new(
        name: &str,
        url: &str,
        every: Duration,
        timeout: Duration,
    ) -> Result<ProbeTarget, ProbeTargetError> {
        let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        if name.is_empty() || name.len() > 64 || !name.chars().all(plain) {
            return Err(ProbeTargetError::BadName { name: name.into() });
        }
        let parsed = Url::parse(url).map_err(|e| ProbeTargetError::BadUrl {
            name: name.into(),
            url: url.into(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ProbeTargetError::NotHttp {
                name: name.into(),
                url: url.into(),
            });
        }
        if every < Duration::from_millis(1) {
            return Err(ProbeTargetError::EveryTooShort { name: name.into() });
        }
        if timeout.is_zero() {
            return Err(ProbeTargetError::NoTimeout { name: name.into() });
        }
        // A probe must end before the next one is due: probes never overlap.
        if timeout >= every {
            return Err(ProbeTargetError::TimeoutNotShorter {
                name: name.into(),
                timeout: friendly_duration(timeout),
                every: friendly_duration(every),
            });
        }
        Ok(ProbeTarget {
            name: name.into(),
            url: parsed,
            every,
            timeout,
            case_type: DEFAULT_CASE_TYPE.into(),
            team: None,
            municipality: None,
        })
    }

    /// Counts the probes under another case type of the catalog.
    pub fn with_case_type(mut self, case_type: impl Into<String>) -> ProbeTarget {
        self.case_type = case_type.into();
        self
    }

    /// Puts the probes' cases with a team (else the case type's team).
    pub fn with_team(mut self, team: impl Into<String>) -> ProbeTarget {
        self.team = Some(team.into());
        self
    }

    /// Counts the probes for one municipality of the catalog.
    pub fn with_municipality(mut self, municipality: impl Into<String>) -> ProbeTarget {
        self.municipality = Some(municipality.into());
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    pub fn every(&self) -> Duration {
        self.every
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn case_type(&self) -> &str {
        &self.case_type
    }

    pub fn team(&self) -> Option<&str> {
        self.team.as_deref()
    }

    pub fn municipality(&self) -> Option<&str> {
        self.municipality.as_deref()
    }
}

/// A duration as the settings file writes it: "10s", "1m", "150ms".
pub fn friendly_duration(duration: Duration) -> String {
    match jiff::SignedDuration::try_from(duration) {
        Ok(d) => format!("{d:#}"),
        Err(_) => format!("{duration:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_plain_target_gets_the_default_case_type() {
        let target = ProbeTarget::new(
            "gemeente-site",
            "https://www.example.nl/",
            MINUTE,
            DEFAULT_TIMEOUT,
        )
        .unwrap();
        assert_eq!(target.case_type(), "website-controle");
        assert_eq!(target.url().as_str(), "https://www.example.nl/");
        assert_eq!(target.team(), None);
    }

    #[test]
    fn each_mistake_names_the_target_and_the_field() {
        let error = |name: &str, url: &str, every: Duration, timeout: Duration| {
            ProbeTarget::new(name, url, every, timeout)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error(
                "site",
                "https://x.nl",
                Duration::from_secs(5),
                DEFAULT_TIMEOUT
            ),
            "websitecontrole \"site\": timeout (10s) moet korter zijn dan every (5s)"
        );
        assert_eq!(
            error("site", "https://x.nl", MINUTE, MINUTE),
            "websitecontrole \"site\": timeout (1m) moet korter zijn dan every (1m)"
        );
        assert_eq!(
            error("site", "www.x.nl", MINUTE, DEFAULT_TIMEOUT),
            "websitecontrole \"site\": url \"www.x.nl\" is geen geldig webadres \
             (relative URL without a base)"
        );
        assert_eq!(
            error("site", "ftp://x.nl", MINUTE, DEFAULT_TIMEOUT),
            "websitecontrole \"site\": url \"ftp://x.nl\" moet beginnen met http:// of https://"
        );
        assert!(error("Site:1", "https://x.nl", MINUTE, DEFAULT_TIMEOUT).contains("name mag"));
        assert!(error("site", "https://x.nl", Duration::ZERO, Duration::ZERO).contains("every"));
        assert!(error("site", "https://x.nl", MINUTE, Duration::ZERO).contains("timeout"));
    }
}
