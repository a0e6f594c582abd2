//! A mapping: how one system's export reads, in TOML.

use std::collections::BTreeMap;

use serde::Deserialize;

/// What kind of export a mapping reads; each kind turns a row into events
/// its own way (see `rows.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One call per row: queued, answered or abandoned, transferred N times, ended.
    Telefonie,
    /// One counter visit per row: ticket drawn, called.
    Balie,
    /// One website search per row, with the number of results.
    Zoeken,
    /// One probe of a website per row: up or not, time to first byte.
    Uptime,
}

impl Kind {
    /// The name as written in a mapping.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Telefonie => "telefonie",
            Kind::Balie => "balie",
            Kind::Zoeken => "zoeken",
            Kind::Uptime => "uptime",
        }
    }

    /// The fields a row of this kind has: (name, required).
    pub fn fields(self) -> &'static [(&'static str, bool)] {
        match self {
            Kind::Telefonie => &[
                ("id", true),
                ("start", true),
                ("wachttijd", true),
                ("beantwoord", true),
                ("doorverbonden", false),
                ("gespreksduur", false),
            ],
            Kind::Balie => &[
                ("id", true),
                ("getrokken", true),
                ("opgeroepen", false),
                ("afspraak", false),
                ("afspraak_om", false),
            ],
            Kind::Zoeken => &[("id", false), ("tijd", true), ("resultaten", true)],
            Kind::Uptime => &[
                ("id", false),
                ("tijd", true),
                ("bereikbaar", true),
                ("ttfb_ms", false),
            ],
        }
    }
}

/// A mapping as written in its TOML file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub kind: Kind,
    /// The column separator: `;` in most Dutch exports.
    #[serde(default = "default_separator")]
    pub separator: String,
    /// `utf-8` or `windows-1252`.
    #[serde(default = "default_encoding")]
    pub encoding: String,
    /// How dates and times are written, in strftime form: `%d-%m-%Y %H:%M:%S`.
    pub date_format: String,
    /// The time zone of the times in the file: `Europe/Amsterdam` or `UTC`.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// `,` for decimal commas (`12,5`), or `.`.
    #[serde(default = "default_decimal")]
    pub decimal: String,
    /// Words that mean yes in the file (compared without case).
    #[serde(default = "default_yes")]
    pub yes: Vec<String>,
    /// Words that mean no.
    #[serde(default = "default_no")]
    pub no: Vec<String>,
    /// The case type in the catalog the rows are cases of.
    pub case_type: String,
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    /// Starts every case and event id, so that two systems' ids never meet.
    pub id_prefix: String,
    /// Field name to the column header that holds it.
    pub columns: BTreeMap<String, String>,
}

fn default_separator() -> String {
    ";".into()
}
fn default_encoding() -> String {
    "utf-8".into()
}
fn default_time_zone() -> String {
    "Europe/Amsterdam".into()
}
fn default_decimal() -> String {
    ",".into()
}
fn default_yes() -> Vec<String> {
    ["ja", "j", "yes", "y", "true", "1", "waar"]
        .map(String::from)
        .to_vec()
}
fn default_no() -> Vec<String> {
    ["nee", "n", "no", "false", "0", "onwaar"]
        .map(String::from)
        .to_vec()
}

/// What is wrong with a mapping file: where and what.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct MappingError {
    pub origin: String,
    pub message: String,
}

impl Mapping {
    /// Reads and checks a mapping; `origin` names the file in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Mapping, MappingError> {
        let error = |message: String| MappingError {
            origin: origin.to_string(),
            message,
        };
        let mapping: Mapping = toml::from_str(text).map_err(|e| {
            let place = e
                .span()
                .map(|span| {
                    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                    format!("regel {line}: ")
                })
                .unwrap_or_default();
            error(format!("{place}{}", e.message()))
        })?;
        if mapping.separator.chars().count() != 1 || !mapping.separator.is_ascii() {
            return Err(error(format!(
                "separator moet één teken zijn, zoals \";\" of \",\"; het is \"{}\"",
                mapping.separator
            )));
        }
        if !["utf-8", "windows-1252"].contains(&mapping.encoding.to_lowercase().as_str()) {
            return Err(error(format!(
                "encoding \"{}\" ken ik niet: kies utf-8 of windows-1252",
                mapping.encoding
            )));
        }
        if !["Europe/Amsterdam", "UTC"].contains(&mapping.time_zone.as_str()) {
            return Err(error(format!(
                "time_zone \"{}\" ken ik niet: kies Europe/Amsterdam of UTC",
                mapping.time_zone
            )));
        }
        if ![",", "."].contains(&mapping.decimal.as_str()) {
            return Err(error(format!(
                "decimal moet \",\" of \".\" zijn; het is \"{}\"",
                mapping.decimal
            )));
        }
        let known: Vec<&str> = mapping.kind.fields().iter().map(|(f, _)| *f).collect();
        for field in mapping.columns.keys() {
            if !known.contains(&field.as_str()) {
                return Err(error(format!(
                    "columns.{field}: een export van de soort \"{}\" heeft geen veld \"{field}\"; de velden van deze soort zijn: {}",
                    mapping.kind.name(),
                    known.join(", ")
                )));
            }
        }
        for (field, required) in mapping.kind.fields() {
            if *required && !mapping.columns.contains_key(*field) {
                return Err(error(format!(
                    "columns.{field} ontbreekt: in welke kolom staat het?"
                )));
            }
        }
        Ok(mapping)
    }

    pub(crate) fn separator_byte(&self) -> u8 {
        self.separator.as_bytes().first().copied().unwrap_or(b';')
    }

    pub(crate) fn windows_1252(&self) -> bool {
        self.encoding.eq_ignore_ascii_case("windows-1252")
    }
}
