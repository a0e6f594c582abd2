//! Judging one case against the catalog: a pure function of the catalog
//! versions, the case's events and the moment of judging.
//!
//! The result never depends on the order in which events arrived: the case's
//! events are put in a fixed order first ([`CaseEvents`]). A case is judged by
//! the catalog version in force on the day it was received, and an event
//! that makes no sense for a norm (a stop before any start) is reported as a
//! finding, not guessed around.

mod conditions;
mod deadline;
mod limit;
mod state;

use std::{borrow::Cow, sync::Arc};

use jiff::{Timestamp, civil::Date};
use serde::Serialize;

pub use state::State;

use crate::{
    catalog::{Catalog, CatalogVersions, NormKind},
    events::CaseEvents,
    terms::Deadline,
    time::Moment,
};

/// How much to explain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Every deadline with its full explanation (a case page, the API).
    Explained,
    /// Deadlines only (reports over many cases).
    Brief,
}

/// The result of one norm for one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NormResult {
    pub norm: Arc<str>,
    pub kind: &'static str,
    pub state: State,
    /// Where the clock or measurement started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Moment>,
    /// Where it stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<Moment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Moment>,
    /// The deadline's explanation (with [`Detail::Explained`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Box<Deadline>>,
    /// From this moment the clock is at risk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_risk_from: Option<Moment>,
    /// Seconds from start to stop, or to the moment of judging.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_seconds: Option<i64>,
    /// What a limit or ratio measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured: Option<Measured>,
    /// For a clock with a tussenbericht norm: whether one was sent in time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tussenbericht: Option<Tussenbericht>,
    /// Why the norm does not apply, in Dutch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Cow<'static, str>>,
}

impl NormResult {
    pub(crate) fn new(norm: &Arc<str>, kind: &'static str, state: State) -> NormResult {
        NormResult {
            norm: Arc::clone(norm),
            kind,
            state,
            start: None,
            stop: None,
            deadline: None,
            explanation: None,
            at_risk_from: None,
            elapsed_seconds: None,
            measured: None,
            tussenbericht: None,
            note: None,
        }
    }

    pub(crate) fn not_applicable(
        norm: &Arc<str>,
        kind: &'static str,
        why: impl Into<Cow<'static, str>>,
    ) -> NormResult {
        let mut result = NormResult::new(norm, kind, State::NietVanToepassing);
        result.note = Some(why.into());
        result
    }
}

/// A measured value of a limit or ratio.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum Measured {
    Seconds { value: i64, limit: i64 },
    Count { value: u32, limit: u32 },
    Observations { total: u32, qualifying: u32 },
}

/// Whether the interim notice a clock may owe came in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tussenbericht {
    /// Sent before the deadline.
    OnTime,
    /// Sent, but after the deadline.
    Late,
    /// Not sent, and the clock is at risk or missed: it is owed.
    Owed,
    /// Not (yet) needed.
    NotNeeded,
}

/// Something in the events that a norm cannot make sense of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub norm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    pub text: String,
}

/// One case judged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    pub case: String,
    pub case_type: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<Arc<str>>,
    /// The first event: when the case was received.
    pub received: Moment,
    /// The catalog version the case was judged by.
    pub catalog_valid_from: Date,
    pub as_of: Moment,
    pub norms: Vec<NormResult>,
    pub findings: Vec<Finding>,
}

/// Why a case cannot be judged at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationError {
    #[error("zaak {case}: geen enkele gebeurtenis noemt het zaaktype (case_type)")]
    NoCaseType { case: String },
    #[error("zaak {case}: onbekend zaaktype \"{case_type}\" in de catalogus van {valid_from}")]
    UnknownCaseType {
        case: String,
        case_type: String,
        valid_from: Date,
    },
    #[error("zaak {case}: onbekende gemeente \"{municipality}\"; bekend zijn: {known}")]
    UnknownMunicipality {
        case: String,
        municipality: String,
        known: String,
    },
    #[error("zaak {case}: geen catalogus geldig op {received} (de eerste gaat in op {first})")]
    NoCatalog {
        case: String,
        received: Date,
        first: String,
    },
}

/// Judges one case against the catalog version in force when it was received.
pub fn evaluate(
    versions: &CatalogVersions,
    case: &CaseEvents,
    as_of: Timestamp,
    detail: Detail,
) -> Result<Evaluation, EvaluationError> {
    let received = case.events().first().map(|e| Moment::in_amsterdam(e.at));
    let Some(received) = received else {
        return Err(EvaluationError::NoCaseType {
            case: case.case().to_string(),
        });
    };
    let catalog = versions
        .in_force(received.date())
        .ok_or_else(|| EvaluationError::NoCatalog {
            case: case.case().to_string(),
            received: received.date(),
            first: versions
                .versions()
                .first()
                .map_or_else(|| "geen".to_string(), |c| c.valid_from.to_string()),
        })?;
    evaluate_with(catalog, case, received, as_of, detail)
}

/// Judges one case against one catalog version.
pub fn evaluate_with(
    catalog: &Catalog,
    case: &CaseEvents,
    received: Moment,
    as_of: Timestamp,
    detail: Detail,
) -> Result<Evaluation, EvaluationError> {
    let facts = case.facts();
    let case_id = || case.case().to_string();
    let case_type_id = facts
        .case_type
        .clone()
        .ok_or_else(|| EvaluationError::NoCaseType { case: case_id() })?;
    let case_type =
        catalog
            .case_type(&case_type_id)
            .ok_or_else(|| EvaluationError::UnknownCaseType {
                case: case_id(),
                case_type: case_type_id.to_string(),
                valid_from: catalog.valid_from,
            })?;
    let municipality = match &facts.municipality {
        Some(m) if !catalog.municipalities.iter().any(|x| *x.id == **m) => {
            return Err(EvaluationError::UnknownMunicipality {
                case: case_id(),
                municipality: m.to_string(),
                known: catalog
                    .municipalities
                    .iter()
                    .map(|x| x.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Some(m) => Some(m.clone()),
        // One municipality: no need to say which.
        None => (catalog.municipalities.len() == 1)
            .then(|| Arc::from(catalog.municipalities[0].id.as_str())),
    };
    let team = facts
        .team
        .clone()
        .or_else(|| case_type.team.as_deref().map(Arc::from));

    let mut findings = Vec::new();
    // Looked up once: the loops below go over the same norms.
    let norms = catalog.norms_for(&case_type.id);
    let mut results: Vec<NormResult> = Vec::with_capacity(norms.size_hint().1.unwrap_or(0));
    for norm in norms.clone() {
        let result = match &norm.kind {
            NormKind::Deadline(clock) => deadline::evaluate(
                catalog,
                norm,
                clock,
                case_type,
                case,
                as_of,
                detail,
                &mut findings,
            ),
            NormKind::Limit(measure) => limit::evaluate(norm, measure, case, as_of, &mut findings),
            NormKind::Ratio {
                observation,
                qualifies,
            } => limit::ratio(norm, *observation, qualifies, case),
            // Judged below, once the clocks they belong to are known.
            NormKind::Tussenbericht { .. } | NormKind::Promise => continue,
        };
        results.push(result);
    }
    for norm in norms {
        if let NormKind::Tussenbericht { of, event } = &norm.kind {
            let result = deadline::tussenbericht(norm, of, *event, case, as_of, &mut results);
            results.push(result);
        }
    }
    Ok(Evaluation {
        case: case.case().to_string(),
        case_type: case_type_id,
        municipality,
        team,
        received,
        catalog_valid_from: catalog.valid_from,
        as_of: Moment::in_amsterdam(as_of),
        norms: results,
        findings,
    })
}
