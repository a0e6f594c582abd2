//! `GET /api/v1/results`: the share met per norm and period against the
//! streefwaarde, counted by the same rules as the `report` command.

use axum::{
    Json,
    extract::{Query, State},
};
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use servicenorm_core::{
    evaluation::{Detail, evaluate},
    events::CaseEvents,
    report::{GroupBy, Per, Report, ReportOptions, Row},
    time::{Moment, amsterdam},
};

use crate::{
    auth::{Caller, Scope},
    problem::ApiError,
    state::AppState,
};

/// Cases judged per round trip to the database.
const PAGE: usize = 1000;

#[derive(Deserialize)]
pub(crate) struct Params {
    from: Option<String>,
    to: Option<String>,
    per: Option<String>,
    by: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct Results {
    pub from: Date,
    pub to: Date,
    /// The moment the open cases were judged: the end of `to`, or now if
    /// that is earlier (a case not yet due is not yet missed).
    pub as_of: Timestamp,
    pub per: Per,
    pub by: GroupBy,
    /// Cases judged, counted or not.
    pub cases: u64,
    /// Cases that could not be judged (stored events that contradict each other).
    pub not_judged: u64,
    pub rows: Vec<Row>,
}

pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<Params>,
) -> Result<Json<Results>, ApiError> {
    caller.require(Scope::Read)?;
    let now = state.clock.now();
    let today = Moment::in_amsterdam(now).date();
    let from = match &params.from {
        Some(text) => date("from", text)?,
        None => today.first_of_year(),
    };
    let to = match &params.to {
        Some(text) => date("to", text)?,
        None => today,
    };
    if to < from {
        return Err(ApiError::Invalid {
            field: "to".into(),
            detail: format!("to ({to}) ligt voor from ({from})"),
        });
    }
    let per: Per = parse_choice("per", params.per.as_deref().unwrap_or("quarter"))?;
    let by: GroupBy = parse_choice("by", params.by.as_deref().unwrap_or("norm"))?;
    Ok(Json(compute(&state, from, to, per, by).await?))
}

/// The figures from `from` to `to` (both included), as of now or the end
/// of `to`, whichever is earlier.
pub(crate) async fn compute(
    state: &AppState,
    from: Date,
    to: Date,
    per: Per,
    by: GroupBy,
) -> Result<Results, ApiError> {
    let now = state.clock.now();
    let start = instant(from)?;
    let end = instant(
        to.tomorrow()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    )?;
    let as_of = end.min(now);

    let catalogs = state.catalogs.current();
    let mut report = Report::new(
        &catalogs,
        ReportOptions {
            from: Some(from),
            to: Some(to),
            per,
            by,
        },
    );
    let mut not_judged = 0;
    let mut after = String::new();
    loop {
        let ids = state.store.report_cases(start, end, &after, PAGE).await?;
        let Some(last) = ids.last() else { break };
        after = last.clone();
        for (_, events) in state.store.events_of_cases(&ids).await? {
            // Events after the moment of the figures are not known yet at it.
            let known = events.into_iter().filter(|e| e.at <= as_of);
            let judged = CaseEvents::new(known)
                .ok()
                .and_then(|case| evaluate(&catalogs, &case, as_of, Detail::Brief).ok());
            match judged {
                Some(evaluation) => report.add(&evaluation),
                None => not_judged += 1,
            }
        }
        if ids.len() < PAGE {
            break;
        }
    }
    Ok(Results {
        from,
        to,
        as_of,
        per,
        by,
        cases: report.cases(),
        not_judged,
        rows: report.rows(),
    })
}

fn date(field: &str, text: &str) -> Result<Date, ApiError> {
    text.parse().map_err(|_| ApiError::Invalid {
        field: field.into(),
        detail: format!("{field} \"{text}\" is geen datum; schrijf JJJJ-MM-DD"),
    })
}

fn parse_choice<T: std::str::FromStr<Err = String>>(
    field: &str,
    text: &str,
) -> Result<T, ApiError> {
    text.parse().map_err(|detail| ApiError::Invalid {
        field: field.into(),
        detail,
    })
}

/// Midnight at the start of `date` in the Netherlands.
fn instant(date: Date) -> Result<Timestamp, ApiError> {
    date.to_zoned(amsterdam())
        .map(|z| z.timestamp())
        .map_err(|e| ApiError::Internal(e.to_string()))
}
