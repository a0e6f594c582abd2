//! A `[[probes]]` table of the settings file: a website `serve` probes.
//!
//! ```toml
//! [[probes]]
//! name = "gemeente-site"
//! url = "https://www.gemeente.nl/"
//! every = "1m"       # "30s", "1m 30s", "PT1M" or a number of seconds
//! timeout = "10s"    # optional, 10s by default; shorter than every
//! ```

use std::time::Duration;

use serde::{Deserialize, Deserializer, de};
use servicenorm_server::{
    ProbeTarget,
    probes::{DEFAULT_TIMEOUT, ProbeTargetError, friendly_duration},
};

/// A checked `[[probes]]` table: reading the file fails on a mistake, with
/// its line, before anything starts.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "ProbeTable")]
pub struct ProbeSetting(pub ProbeTarget);

/// The table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProbeTable {
    name: String,
    url: String,
    every: DurationText,
    timeout: Option<DurationText>,
    case_type: Option<String>,
    team: Option<String>,
    municipality: Option<String>,
}

impl TryFrom<ProbeTable> for ProbeSetting {
    type Error = String;

    fn try_from(table: ProbeTable) -> Result<ProbeSetting, String> {
        let name = table.name;
        let every = table.every.duration(&name, "every")?;
        let timeout = match &table.timeout {
            Some(text) => text.duration(&name, "timeout")?,
            None => DEFAULT_TIMEOUT,
        };
        let mut target =
            ProbeTarget::new(&name, &table.url, every, timeout).map_err(|e| match e {
                ProbeTargetError::TimeoutNotShorter { .. } if table.timeout.is_none() => format!(
                    "{e}. Zonder timeout in het bestand geldt {}: geef een kortere timeout \
                     of een langere every",
                    friendly_duration(DEFAULT_TIMEOUT)
                ),
                other => other.to_string(),
            })?;
        if let Some(case_type) = table.case_type {
            target = target.with_case_type(case_type);
        }
        if let Some(team) = table.team {
            target = target.with_team(team);
        }
        if let Some(municipality) = table.municipality {
            target = target.with_municipality(municipality);
        }
        Ok(ProbeSetting(target))
    }
}

/// A duration as written: jiff's friendly format ("30s", "1m", "1m 30s",
/// "500ms") or ISO 8601 ("PT1M"), or a whole number of seconds.
enum DurationText {
    Seconds(u64),
    Text(String),
}

impl DurationText {
    fn duration(&self, name: &str, field: &str) -> Result<Duration, String> {
        let wrong = |text: &str| {
            format!(
                "websitecontrole \"{name}\": {field} \"{text}\" is geen duur; schrijf \
                 bijvoorbeeld \"30s\", \"1m\" of een aantal seconden"
            )
        };
        match self {
            DurationText::Seconds(seconds) => Ok(Duration::from_secs(*seconds)),
            DurationText::Text(text) => text
                .parse::<jiff::SignedDuration>()
                .ok()
                .and_then(|d| Duration::try_from(d).ok())
                .ok_or_else(|| wrong(text)),
        }
    }
}

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = DurationText;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("een duur als \"1m\" of een aantal seconden")
            }

            fn visit_u64<E: de::Error>(self, seconds: u64) -> Result<DurationText, E> {
                Ok(DurationText::Seconds(seconds))
            }

            fn visit_i64<E: de::Error>(self, seconds: i64) -> Result<DurationText, E> {
                u64::try_from(seconds)
                    .map(DurationText::Seconds)
                    .map_err(|_| E::custom("een duur kan niet negatief zijn"))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<DurationText, E> {
                Ok(DurationText::Text(text.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
