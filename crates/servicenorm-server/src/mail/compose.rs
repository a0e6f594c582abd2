//! Filling in a message for one case: which text, to whom, which date, and
//! the event that records it as sent.

use jiff::Timestamp;
use servicenorm_core::{
    catalog::{Catalog, Norm, NormKind, TermSource},
    evaluation::{Detail, Evaluation, NormResult, State},
    events::{AttributeKey, CaseEvents, Event, Value},
    messages::{Facts, Filled, Purpose, date_in_words, moment_in_words, recorded_event},
    time::Moment,
};
use servicenorm_storage::MessageJob;

use crate::{judge, problem::ApiError, state::AppState};

/// What to do with a claimed message.
pub(crate) enum Composed {
    /// The norm no longer waits for it (met, or the case is gone).
    Unneeded,
    /// An earlier try went out and was recorded; only the mark is missing.
    AlreadyRecorded,
    Ready(Box<Ready>),
}

pub(crate) struct Ready {
    /// None: the resident gave no e-mail address.
    pub to: Option<String>,
    pub filled: Filled,
    /// Records the message as sent, so the norm counts as met then.
    pub event: Event,
    /// The deadline of the clock the message keeps.
    pub deadline: Option<Timestamp>,
}

/// The event id that records message `id`: the same on every try.
pub(crate) fn event_id(job: &MessageJob) -> String {
    format!("bericht-{}", job.id)
}

pub(crate) async fn compose(
    state: &AppState,
    job: &MessageJob,
    now: Timestamp,
) -> Result<Composed, ApiError> {
    let Some(purpose) = Purpose::parse(&job.purpose) else {
        return Ok(Composed::Unneeded);
    };
    let catalogs = state.catalogs.current();
    let Some((judged, case)) =
        judge::evaluation(&state.store, &catalogs, &job.case_id, now, Detail::Brief).await?
    else {
        return Ok(Composed::Unneeded);
    };
    let id = event_id(job);
    if case.events().iter().any(|e| e.id == id.as_str()) {
        return Ok(Composed::AlreadyRecorded);
    }
    let Some(catalog) = catalogs.in_force(judged.catalog_valid_from) else {
        return Ok(Composed::Unneeded);
    };
    let (Some(norm), Some(own)) = (
        catalog.norm(&job.norm_id),
        judged.norms.iter().find(|r| *r.norm == *job.norm_id),
    ) else {
        return Ok(Composed::Unneeded);
    };
    // A message still owed: its clock has not stopped, and runs or was missed.
    if own.stop.is_some() || !(own.state.is_open() || own.state == State::NietGehaald) {
        return Ok(Composed::Unneeded);
    }
    let Some(kind) = recorded_event(norm) else {
        return Ok(Composed::Unneeded);
    };
    let answer = answer_clock(catalog, norm, &judged);
    let contact = state.store.contact(&job.case_id).await?.unwrap_or_default();
    let facts = Facts {
        zaaknummer: judged.case.clone(),
        onderwerp: subject_of(catalog, &judged, &case),
        ontvangen: date_in_words(judged.received.date(), Moment::in_amsterdam(now).date()),
        datum: answer
            .and_then(|r| r.deadline)
            .map(|d| moment_in_words(d.timestamp(), now)),
        termijn: term_of(
            catalog,
            answer.and_then(|r| catalog.norm(&r.norm)),
            &judged,
            &case,
        ),
        contactpersoon: contact
            .contact_person
            .unwrap_or_else(|| catalog.contact_person(norm)),
        gemeente: municipality_of(catalog, &judged),
        reden: reason(&case),
    };
    let filled = catalog.message_template(norm, purpose).fill(&facts);
    Ok(Composed::Ready(Box::new(Ready {
        to: contact.email,
        filled,
        event: Event::new(id, job.case_id.as_str(), kind, now),
        deadline: own.deadline.map(|d| d.timestamp()),
    })))
}

/// The clock whose deadline the resident is told: for a receipt the
/// case's other running deadline that ends last (the answer, the
/// decision); for an interim notice the clocks it belongs to.
fn answer_clock<'a>(
    catalog: &Catalog,
    norm: &Norm,
    judged: &'a Evaluation,
) -> Option<&'a NormResult> {
    let candidates = judged.norms.iter().filter(|r| {
        if r.norm == norm.id || r.stop.is_some() || r.deadline.is_none() {
            return false;
        }
        match &norm.kind {
            NormKind::Tussenbericht { of, .. } => of.iter().any(|o| **o == *r.norm),
            _ => matches!(
                catalog.norm(&r.norm).map(|n| &n.kind),
                Some(NormKind::Deadline(_))
            ),
        }
    });
    candidates.max_by_key(|r| r.deadline.map(|d| d.timestamp()))
}

/// How long the answer may take: the legal term of the product asked for,
/// else the answer norm's one fixed term; none when it depends on the case.
fn term_of(
    catalog: &Catalog,
    answer: Option<&Norm>,
    judged: &Evaluation,
    case: &CaseEvents,
) -> Option<String> {
    let product = product_of(catalog, judged, case);
    let term = match answer.map(|n| &n.kind) {
        Some(NormKind::Deadline(d)) if d.variants.is_empty() => match d.term {
            TermSource::Fixed(term) => Some(term),
            TermSource::Product => product.map(|p| p.term),
        },
        Some(_) => None,
        None => product.map(|p| p.term),
    }?;
    term.length_in_words()
}

fn product_of<'a>(
    catalog: &'a Catalog,
    judged: &Evaluation,
    case: &CaseEvents,
) -> Option<&'a servicenorm_core::catalog::Product> {
    let Some(Value::Text(id)) = case.facts().get(AttributeKey::Product) else {
        return None;
    };
    catalog
        .case_type(&judged.case_type)?
        .products
        .iter()
        .find(|p| p.id == *id)
}

/// "e-mail aan het algemene e-mailadres", "aanvraag voor een product of
/// dienst: Subsidie": the case type's name as it reads after "uw".
fn subject_of(catalog: &Catalog, judged: &Evaluation, case: &CaseEvents) -> String {
    let name = catalog
        .case_type(&judged.case_type)
        .map_or_else(|| judged.case_type.to_string(), |c| c.name.clone());
    let mut chars = name.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    if let Some(product) = product_of(catalog, judged, case) {
        out.push_str(": ");
        out.push_str(&product.name);
    }
    out
}

fn municipality_of(catalog: &Catalog, judged: &Evaluation) -> String {
    let named = judged
        .municipality
        .as_deref()
        .and_then(|id| catalog.municipalities.iter().find(|m| m.id == id));
    match (named, catalog.municipalities.as_slice()) {
        (Some(m), _) | (None, [m]) => m.name.clone(),
        _ => catalog.organisation.clone(),
    }
}

/// Why the term was extended, as the employee wrote it with the extension.
fn reason(case: &CaseEvents) -> Option<String> {
    case.events()
        .iter()
        .rev()
        .filter(|e| e.kind == servicenorm_core::events::EventType::Extended)
        .find_map(|e| match e.attributes.get(AttributeKey::Reason) {
            Some(Value::Text(text)) if !text.trim().is_empty() => Some(text.trim().to_string()),
            _ => None,
        })
}
