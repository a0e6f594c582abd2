//! A checked catalog: the promises of one organisation, as data.

use std::{collections::HashMap, fmt, sync::Arc};

use jiff::civil::Date;
use serde::Serialize;

use crate::{
    calendar::Calendar,
    events::{AttributeKey, EventType, Value},
    messages::{MessageTemplate, Purpose, default_template},
    terms::{ExtensionRule, Term},
};

/// One version of an organisation's catalog, in force from `valid_from`.
#[derive(Debug)]
pub struct Catalog {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub valid_from: Date,
    pub source: Option<String>,
    pub introduction: Option<String>,
    pub municipalities: Vec<Municipality>,
    pub teams: Vec<Team>,
    pub calendars: Vec<Calendar>,
    pub channels: Vec<Channel>,
    pub case_types: Vec<CaseType>,
    pub norms: Vec<Norm>,
    /// The texts of messages to residents, where the catalog writes its own.
    pub messages: Messages,
    /// The indices in `norms` measured on each case type: judging a case
    /// looks its norms up instead of scanning them all.
    pub(crate) norms_by_case_type: rustc_hash::FxHashMap<String, Vec<usize>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Municipality {
    pub id: String,
    pub name: String,
    pub residents: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Channel {
    pub id: String,
    pub name: String,
}

/// A kind of case or contact: a phone call, a letter, an objection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseType {
    pub id: String,
    pub name: String,
    pub channel: String,
    pub team: Option<String>,
    /// The case attributes this type carries, which conditions may test.
    pub attributes: Vec<AttributeKey>,
    pub products: Vec<Product>,
}

/// A product or service with its legal term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub term: Term,
    pub extension: ExtensionRule,
}

/// What a condition tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionKey {
    /// A case attribute (urgent, product, appointment, ...).
    Attribute(AttributeKey),
    /// Whether the clock started in the weekend window of the norm's calendar.
    Weekend,
}

impl fmt::Display for ConditionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConditionKey::Attribute(key) => write!(f, "{key}"),
            ConditionKey::Weekend => f.write_str("weekend"),
        }
    }
}

/// All of these must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Conditions(pub Vec<(ConditionKey, Value)>);

impl Conditions {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The term of a deadline: fixed, or the legal term of the case's product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermSource {
    Fixed(Term),
    Product,
}

/// A different term when conditions hold ("bij spoed", "met adviescommissie").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Variant {
    pub when: Conditions,
    pub term: TermSource,
}

/// A clock from a start event to a stop event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeadlineNorm {
    pub term: TermSource,
    pub variants: Vec<Variant>,
    /// The calendar's id; `None` where the term needs none.
    pub calendar: Option<String>,
    pub start: Vec<EventType>,
    pub stop: Vec<EventType>,
    pub pause: EventType,
    pub resume: EventType,
    pub extension_event: EventType,
    pub extension: ExtensionRule,
    /// The share of the term after which the clock is at risk.
    pub at_risk: f64,
    /// The clock starts no earlier than the end of this term, counted from
    /// a case attribute (Awb 7:10: the decision term on an objection starts
    /// the day after the objection term, counted from the bekendmaking).
    pub start_after: Option<StartAfter>,
}

/// A term counted from an instant attribute of the case, before which a
/// clock does not start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StartAfter {
    pub attribute: AttributeKey,
    pub term: Term,
}

/// What a limit counts or measures on one contact.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum LimitMeasure {
    /// The time from one event to another: "binnen 25 seconden opgenomen".
    Duration {
        from: EventType,
        to: EventType,
        limit: Term,
        /// Measure from this instant attribute if it is later (an appointment).
        not_before: Option<AttributeKey>,
    },
    /// How often an event happens: "maximaal 2 keer doorverbonden".
    Count { event: EventType, max: u32 },
    /// One of these events happens before the contact ends: "direct antwoord,
    /// of we zeggen wanneer".
    Outcome {
        any_of: Vec<EventType>,
        by: Vec<EventType>,
    },
}

/// How an observation qualifies for a ratio: `results >= 1`, `ok = true`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Qualifies {
    pub attribute: AttributeKey,
    pub op: Comparison,
    pub value: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Comparison {
    #[serde(rename = "=")]
    Equal,
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
}

/// The four kinds of norm of `norms.md`, plus the interim-notice norm.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NormKind {
    Deadline(DeadlineNorm),
    Limit(LimitMeasure),
    Ratio {
        observation: EventType,
        qualifies: Qualifies,
    },
    /// Met when a tussenbericht comes before the deadline of the clocks
    /// named, or those clocks are met without one.
    Tussenbericht {
        of: Vec<String>,
        event: EventType,
    },
    /// Published, not measured automatically.
    Promise,
}

impl NormKind {
    pub fn name(&self) -> &'static str {
        match self {
            NormKind::Deadline(_) => "deadline",
            NormKind::Limit(_) => "limit",
            NormKind::Ratio { .. } => "ratio",
            NormKind::Tussenbericht { .. } => "tussenbericht",
            NormKind::Promise => "promise",
        }
    }

    pub fn is_measured(&self) -> bool {
        !matches!(self, NormKind::Promise)
    }
}

/// One published promise.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Norm {
    /// Shared with every result for this norm.
    pub id: Arc<str>,
    /// The channel it is published under.
    pub channel: String,
    /// The case type it is measured on (`None` for a promise on a channel).
    pub case_type: Option<String>,
    /// The promise in the municipality's own words.
    pub text: String,
    /// Where in the published catalog it stands.
    pub source: Option<String>,
    pub kind: NormKind,
    /// Only cases for which these hold.
    pub when: Conditions,
    /// Target share met, from 0 to 1.
    pub streefwaarde: Option<f64>,
    /// Values the published text does not state, set as an example
    /// (such as "streefwaarde").
    pub example: Vec<String>,
    /// This norm's own message texts, before the catalog's.
    pub messages: Messages,
}

/// Message texts and the contact person, for a catalog or one norm.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Messages {
    pub contact_person: Option<String>,
    pub templates: Vec<(Purpose, MessageTemplate)>,
}

impl Messages {
    pub fn template(&self, purpose: Purpose) -> Option<&MessageTemplate> {
        self.templates
            .iter()
            .find(|(p, _)| *p == purpose)
            .map(|(_, t)| t)
    }
}

impl Catalog {
    /// The text of `norm`'s message for `purpose`: the norm's own, else the
    /// catalog's, else the built-in one.
    pub fn message_template(&self, norm: &Norm, purpose: Purpose) -> MessageTemplate {
        norm.messages
            .template(purpose)
            .or_else(|| self.messages.template(purpose))
            .cloned()
            .unwrap_or_else(|| default_template(purpose))
    }

    /// Who a resident can ask about a case of `norm`.
    pub fn contact_person(&self, norm: &Norm) -> String {
        norm.messages
            .contact_person
            .clone()
            .or_else(|| self.messages.contact_person.clone())
            .unwrap_or_else(|| self.organisation.clone())
    }

    pub fn norm(&self, id: &str) -> Option<&Norm> {
        self.norms.iter().find(|n| &*n.id == id)
    }

    pub fn case_type(&self, id: &str) -> Option<&CaseType> {
        self.case_types.iter().find(|c| c.id == id)
    }

    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }

    /// A calendar of the catalog, or a built-in one.
    pub fn calendar(&self, id: &str) -> Option<&Calendar> {
        self.calendars
            .iter()
            .find(|c| c.id() == id)
            .or_else(|| Calendar::builtin(id).ok())
    }

    /// The norms measured on a case type, in catalog order.
    pub fn norms_for<'a>(&'a self, case_type: &str) -> impl Iterator<Item = &'a Norm> + Clone + 'a {
        self.norms_by_case_type
            .get(case_type)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.norms.get(i))
    }

    /// Indexes the norms by case type; call after changing `norms`.
    pub(crate) fn index_norms(&mut self) {
        self.norms_by_case_type.clear();
        for (i, norm) in self.norms.iter().enumerate() {
            if let Some(case_type) = &norm.case_type {
                self.norms_by_case_type
                    .entry(case_type.clone())
                    .or_default()
                    .push(i);
            }
        }
    }

    /// Norms per channel, in the order the channels are listed: the shape
    /// of the public page.
    pub fn by_channel(&self) -> Vec<(&Channel, Vec<&Norm>)> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut out: Vec<(&Channel, Vec<&Norm>)> = Vec::new();
        for channel in &self.channels {
            index.insert(&channel.id, out.len());
            out.push((channel, Vec::new()));
        }
        for norm in &self.norms {
            if let Some(&i) = index.get(norm.channel.as_str()) {
                out[i].1.push(norm);
            }
        }
        out.retain(|(_, norms)| !norms.is_empty());
        out
    }
}

/// The versions of one organisation's catalog, each in force from its date.
#[derive(Debug, Default)]
pub struct CatalogVersions {
    versions: Vec<Catalog>,
}

impl CatalogVersions {
    /// Versions sorted by `valid_from`; two with the same date are refused by
    /// the check before they get here.
    pub fn new(mut versions: Vec<Catalog>) -> CatalogVersions {
        versions.sort_by_key(|c| c.valid_from);
        CatalogVersions { versions }
    }

    /// The version in force on `date`: the latest that took effect on or before it.
    pub fn in_force(&self, date: Date) -> Option<&Catalog> {
        self.versions.iter().rev().find(|c| c.valid_from <= date)
    }

    pub fn versions(&self) -> &[Catalog] {
        &self.versions
    }

    pub fn latest(&self) -> Option<&Catalog> {
        self.versions.last()
    }
}
