//! Judging a case again after new events, and storing its clocks.

use jiff::Timestamp;
use servicenorm_core::{
    catalog::{Catalog, CatalogVersions, NormKind},
    evaluation::{Detail, Evaluation, State, evaluate},
    events::CaseEvents,
    messages::purpose_of,
};
use servicenorm_storage::{CaseRow, ClockRow, Store};

use crate::problem::ApiError;

/// The state as stored and filtered on.
pub(crate) fn state_name(state: State) -> &'static str {
    match state {
        State::Lopend => "lopend",
        State::Gepauzeerd => "gepauzeerd",
        State::DreigtTeVerlopen => "dreigt_te_verlopen",
        State::Gehaald => "gehaald",
        State::NietGehaald => "niet_gehaald",
        State::NietVanToepassing => "niet_van_toepassing",
    }
}

/// The case's events judged as of `now`, with explanations.
pub(crate) async fn evaluation(
    store: &Store,
    catalogs: &CatalogVersions,
    case_id: &str,
    now: Timestamp,
    detail: Detail,
) -> Result<Option<(Evaluation, CaseEvents)>, ApiError> {
    let events = store.case_events(case_id).await?;
    if events.is_empty() {
        return Ok(None);
    }
    let case = CaseEvents::new(events).map_err(|e| ApiError::Conflict {
        detail: e.to_string(),
    })?;
    let judged = evaluate(catalogs, &case, now, detail).map_err(|e| ApiError::Invalid {
        field: "events".into(),
        detail: e.to_string(),
    })?;
    Ok(Some((judged, case)))
}

/// The message a clock waits for (see `servicenorm_core::messages`); for
/// an interim notice, whether its term was extended changes the message.
fn message_of(catalog: &Catalog, norm_id: &str, case: &CaseEvents) -> Option<String> {
    let norm = catalog.norm(norm_id)?;
    let extended = match &norm.kind {
        NormKind::Tussenbericht { of, .. } => of.iter().any(|main| {
            let extension = match catalog.norm(main).map(|n| &n.kind) {
                Some(NormKind::Deadline(d)) => d.extension_event,
                _ => return false,
            };
            case.events().iter().any(|e| e.kind == extension)
        }),
        _ => false,
    };
    purpose_of(norm, extended).map(|p| p.as_str().to_string())
}

/// The stored form of a judged case: its row and its clocks.
fn rows(
    judged: &Evaluation,
    catalogs: &CatalogVersions,
    events: &CaseEvents,
) -> (CaseRow, Vec<ClockRow>) {
    let catalog = catalogs.in_force(judged.received.date());
    let case = CaseRow {
        case_id: judged.case.clone(),
        case_type: judged.case_type.to_string(),
        municipality: judged.municipality.as_deref().map(str::to_string),
        team: judged.team.as_deref().map(str::to_string),
        received_at: judged.received.timestamp(),
        catalog_valid_from: judged.catalog_valid_from,
    };
    let clocks: Vec<ClockRow> = judged
        .norms
        .iter()
        .filter(|r| r.state != State::NietVanToepassing)
        .map(|r| ClockRow {
            case_id: judged.case.clone(),
            norm_id: r.norm.to_string(),
            kind: r.kind.to_string(),
            state: state_name(r.state).to_string(),
            case_type: judged.case_type.to_string(),
            channel: catalog
                .and_then(|c| c.norm(&r.norm))
                .map_or_else(String::new, |n| n.channel.clone()),
            municipality: case.municipality.clone(),
            team: case.team.clone(),
            start_at: r.start.map(|m| m.timestamp()),
            stop_at: r.stop.map(|m| m.timestamp()),
            deadline: r.deadline.map(|m| m.timestamp()),
            at_risk_from: r.at_risk_from.map(|m| m.timestamp()),
            message: catalog.and_then(|c| message_of(c, &r.norm, events)),
        })
        .collect();
    (case, clocks)
}

/// Judges one case from its stored events, as of `now`, into the rows the
/// store keeps; none when it cannot be judged yet (its case type comes with
/// a later event).
pub(crate) fn judge_case(
    catalogs: &CatalogVersions,
    now: Timestamp,
    case_id: &str,
    events: Vec<servicenorm_core::events::Event>,
) -> Option<(CaseRow, Vec<ClockRow>)> {
    let judged = CaseEvents::new(events)
        .map_err(|e| e.to_string())
        .and_then(|case| {
            evaluate(catalogs, &case, now, Detail::Brief)
                .map(|judged| (judged, case))
                .map_err(|e| e.to_string())
        });
    match judged {
        Ok((judged, case)) => Some(rows(&judged, catalogs, &case)),
        Err(problem) => {
            tracing::debug!(case = case_id, problem, "zaak nog niet te beoordelen");
            None
        }
    }
}

/// Stores events and judges their cases (and the cases in `rejudge`) with
/// `catalogs` as of `now`, in one transaction: the one way events enter the
/// store, from the API, the pages, imports, probes, messages and the demo.
pub(crate) async fn store_judged(
    store: &Store,
    catalogs: &CatalogVersions,
    events: &[servicenorm_core::events::Event],
    actor: &servicenorm_storage::Actor,
    now: Timestamp,
    rejudge: &[String],
) -> Result<servicenorm_storage::AppendOutcome, servicenorm_storage::StorageError> {
    store
        .append_and_judge(events, actor, now, rejudge, &|case, events| {
            judge_case(catalogs, now, case, events)
        })
        .await
}
