//! Judging a case again after new events, and storing its clocks.

use jiff::Timestamp;
use servicenorm_core::{
    catalog::CatalogVersions,
    evaluation::{Detail, Evaluation, State, evaluate},
    events::CaseEvents,
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

/// Judges a case again and replaces its stored clocks.
pub(crate) async fn rejudge(
    store: &Store,
    catalogs: &CatalogVersions,
    case_id: &str,
    now: Timestamp,
) -> Result<(), ApiError> {
    let Some((judged, _)) = evaluation(store, catalogs, case_id, now, Detail::Brief).await? else {
        return Ok(());
    };
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
        })
        .collect();
    store.put_case(&case, &clocks, now).await?;
    Ok(())
}
