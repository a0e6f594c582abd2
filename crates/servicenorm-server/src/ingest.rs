//! Taking in events, from the API and from the pages alike: checked
//! against the catalog in force, stored, and every case of the batch judged
//! again.

use servicenorm_core::{catalog::CatalogVersions, events::Event, time::Moment};
use servicenorm_storage::{Actor, AppendOutcome};

use crate::{judge::store_judged, problem::ApiError, state::AppState};

/// Why an event of a batch cannot be taken in.
#[derive(Debug)]
pub(crate) struct Rejected {
    /// Its place in the batch.
    pub index: usize,
    pub field: &'static str,
    /// Why, in words for whoever reads it: no event id in it.
    pub detail: String,
}

/// Checks each event against the catalog in force on its day: there must
/// be one, and the case type and municipality must be in it.
pub(crate) fn check(catalogs: &CatalogVersions, events: &[Event]) -> Result<(), Rejected> {
    for (index, event) in events.iter().enumerate() {
        let date = Moment::in_amsterdam(event.at).date();
        let Some(catalog) = catalogs.in_force(date) else {
            let first = catalogs.versions().first().map(|c| c.valid_from);
            return Err(Rejected {
                index,
                field: "at",
                detail: format!(
                    "op {date} geldt nog geen catalogus; de eerste gaat in op {}",
                    first.map_or_else(|| "(geen)".to_string(), |d| d.to_string())
                ),
            });
        };
        if let Some(case_type) = &event.case_type
            && catalog.case_type(case_type).is_none()
        {
            return Err(Rejected {
                index,
                field: "case_type",
                detail: format!(
                    "onbekend zaaktype \"{case_type}\"; bekend zijn: {}",
                    catalog
                        .case_types
                        .iter()
                        .map(|c| c.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        if let Some(municipality) = &event.municipality
            && !catalog
                .municipalities
                .iter()
                .any(|m| *m.id == **municipality)
        {
            return Err(Rejected {
                index,
                field: "municipality",
                detail: format!("onbekende gemeente \"{municipality}\""),
            });
        }
    }
    Ok(())
}

/// Takes out of `events` (and the matching `lines`) every case with an
/// event that does not fit the catalog, and says for each at which line
/// and why: an import stores the rest, or nothing.
pub(crate) fn set_aside(
    catalogs: &CatalogVersions,
    events: &mut Vec<Event>,
    lines: &mut Vec<u64>,
) -> Vec<(u64, String)> {
    let mut problems = Vec::new();
    while let Err(rejected) = check(catalogs, events) {
        let line = lines.get(rejected.index).copied().unwrap_or(0);
        problems.push((
            line,
            format!("past niet bij de catalogus: {}", rejected.detail),
        ));
        let case = events[rejected.index].case.clone();
        let mut keep = events
            .iter()
            .map(|e| e.case != case)
            .collect::<Vec<_>>()
            .into_iter();
        let mut again = keep.clone();
        events.retain(|_| keep.next().unwrap_or(true));
        lines.retain(|_| again.next().unwrap_or(true));
    }
    problems
}

/// Stores checked events and judges every case of the batch again, in one
/// transaction. Cases whose events were all stored already are judged too:
/// a repeated batch then also repairs clocks that an older version left.
pub(crate) async fn store_and_judge(
    state: &AppState,
    events: &[Event],
    actor: &Actor,
) -> Result<AppendOutcome, ApiError> {
    let now = state.clock.now();
    let catalogs = state.catalogs.current();
    let mut cases: Vec<String> = events.iter().map(|e| e.case.to_string()).collect();
    cases.sort_unstable();
    cases.dedup();
    let outcome = store_judged(&state.store, &catalogs, events, actor, now, &cases).await?;
    state.metrics.ingested(outcome.stored);
    if outcome.stored > 0 {
        // Figures counted before these events would no longer be right.
        state.figures.clear().await;
    }
    Ok(outcome)
}
