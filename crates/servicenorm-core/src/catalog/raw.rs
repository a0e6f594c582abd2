//! The catalog as written in TOML, with the places of its fields.

use serde::Deserialize;
use toml::Spanned;

use crate::calendar::definition::RawCalendar;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCatalog {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub organisation: Spanned<String>,
    pub valid_from: Spanned<toml::Value>,
    pub source: Option<String>,
    pub introduction: Option<String>,
    #[serde(default)]
    pub municipalities: Vec<RawMunicipality>,
    #[serde(default)]
    pub teams: Vec<RawNamed>,
    #[serde(default)]
    pub calendars: Vec<RawCalendar>,
    #[serde(default)]
    pub channels: Vec<RawNamed>,
    #[serde(default)]
    pub case_types: Vec<RawCaseType>,
    #[serde(default)]
    pub norms: Vec<RawNorm>,
    pub messages: Option<RawMessages>,
}

/// Texts of the messages to residents, for the whole catalog or one norm.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMessages {
    pub contact_person: Option<Spanned<String>>,
    pub ontvangstbevestiging: Option<RawTemplate>,
    pub tussenbericht: Option<RawTemplate>,
    pub antwoord_onderweg: Option<RawTemplate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTemplate {
    pub subject: Spanned<String>,
    pub text: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMunicipality {
    pub id: Spanned<String>,
    pub name: String,
    pub residents: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNamed {
    pub id: Spanned<String>,
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCaseType {
    pub id: Spanned<String>,
    pub name: String,
    pub channel: Spanned<String>,
    pub team: Option<Spanned<String>>,
    #[serde(default)]
    pub attributes: Vec<Spanned<String>>,
    #[serde(default)]
    pub products: Vec<RawProduct>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProduct {
    pub id: Spanned<String>,
    pub name: String,
    pub term: Spanned<String>,
    pub extension_max: Option<Spanned<String>>,
    #[serde(default)]
    pub extension_forbidden: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStartAfter {
    pub attribute: String,
    pub term: String,
}

/// One event or several.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn items(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(list) => list.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVariant {
    pub when: Spanned<toml::Table>,
    pub term: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNorm {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub channel: Option<Spanned<String>>,
    pub case_type: Option<Spanned<String>>,
    pub text: Spanned<String>,
    pub source: Option<String>,
    pub when: Option<Spanned<toml::Table>>,
    pub streefwaarde: Option<Spanned<f64>>,
    #[serde(default)]
    pub example: Vec<String>,

    // deadline
    pub term: Option<Spanned<String>>,
    #[serde(default)]
    pub variants: Vec<RawVariant>,
    pub calendar: Option<Spanned<String>>,
    pub start: Option<Spanned<OneOrMany>>,
    pub stop: Option<Spanned<OneOrMany>>,
    pub pause: Option<Spanned<String>>,
    pub resume: Option<Spanned<String>>,
    pub extension_event: Option<Spanned<String>>,
    pub extension_max: Option<Spanned<String>>,
    #[serde(default)]
    pub extension_forbidden: bool,
    pub at_risk: Option<Spanned<f64>>,
    pub start_after: Option<Spanned<RawStartAfter>>,

    // limit
    pub measure: Option<Spanned<String>>,
    pub from: Option<Spanned<String>>,
    pub to: Option<Spanned<String>>,
    pub limit: Option<Spanned<String>>,
    pub not_before: Option<Spanned<String>>,
    pub event: Option<Spanned<String>>,
    pub max: Option<Spanned<u32>>,
    pub any_of: Option<Spanned<OneOrMany>>,
    pub by: Option<Spanned<OneOrMany>>,

    // ratio
    pub observation: Option<Spanned<String>>,
    pub qualifies: Option<Spanned<String>>,

    // tussenbericht
    pub of: Option<Spanned<OneOrMany>>,

    /// Texts of this norm's messages, instead of the catalog's.
    pub messages: Option<RawMessages>,
}
