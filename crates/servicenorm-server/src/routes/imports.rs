//! `POST /api/v1/imports?mapping=telefonie`: an export file, read through
//! a shipped mapping and stored as events, as `servicenorm import` does.
//! A file with a row that cannot be read stores nothing unless
//! `skip_invalid=true`; `dry_run=true` reads and reports only.

use axum::{
    Json,
    body::Bytes,
    extract::{Query, State},
};
use serde::{Deserialize, Serialize};
use servicenorm_core::diagnostics::{DefinitionError, Problem as FileProblem};
use servicenorm_import::{ImportError, RowReader, SHIPPED, shipped};

use crate::{
    auth::{Caller, Scope},
    ingest::{set_aside, store_and_judge},
    problem::ApiError,
    state::AppState,
};

/// Events stored per transaction.
const BATCH: usize = 5_000;

#[derive(Deserialize)]
pub(crate) struct Params {
    mapping: Option<String>,
    #[serde(default)]
    dry_run: bool,
    #[serde(default)]
    skip_invalid: bool,
}

#[derive(Serialize)]
pub(crate) struct Problem {
    line: u64,
    column: Option<usize>,
    header: Option<String>,
    message: String,
}

#[derive(Serialize)]
pub(crate) struct Imported {
    rows: u64,
    events: u64,
    stored: u64,
    repeated: u64,
    problems: Vec<Problem>,
}

fn problem(error: ImportError) -> Problem {
    Problem {
        line: error.line,
        column: error.column,
        header: error.header,
        message: error.message,
    }
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<Params>,
    body: Bytes,
) -> Result<Json<Imported>, ApiError> {
    caller.require(Scope::Write)?;
    let names = SHIPPED
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ");
    let name = params.mapping.ok_or_else(|| ApiError::Invalid {
        field: "mapping".into(),
        detail: format!("noem de mapping: ?mapping=... (een van {names})"),
    })?;
    let mapping = shipped(&name)
        .ok_or_else(|| ApiError::Invalid {
            field: "mapping".into(),
            detail: format!("mapping \"{name}\" bestaat niet; kies uit {names}"),
        })?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut reader = RowReader::new(mapping, &body[..]).map_err(|e| ApiError::Invalid {
        field: "body".into(),
        detail: e.to_string(),
    })?;
    let mut imported = Imported {
        rows: 0,
        events: 0,
        stored: 0,
        repeated: 0,
        problems: Vec::new(),
    };
    // Read it all first: a file with a bad row stores nothing (unless told).
    let mut events = Vec::new();
    let mut lines = Vec::new();
    while let Some((line, row)) = reader.next_row() {
        imported.rows += 1;
        match row {
            Ok(row_events) => {
                imported.events += row_events.len() as u64;
                lines.extend(std::iter::repeat_n(line, row_events.len()));
                events.extend(row_events);
            }
            Err(error) => imported.problems.push(problem(error)),
        }
    }
    // Events that do not fit the catalog are problems of their rows.
    let unfitting = set_aside(&state.catalogs.current(), &mut events, &mut lines);
    imported
        .problems
        .extend(unfitting.into_iter().map(|(line, message)| Problem {
            line,
            column: None,
            header: None,
            message,
        }));
    if params.dry_run {
        return Ok(Json(imported));
    }
    if !imported.problems.is_empty() && !params.skip_invalid {
        // Nothing stored: every problem, with its line, column and header.
        return Err(ApiError::InvalidDefinition(DefinitionError {
            problems: imported
                .problems
                .into_iter()
                .map(|p| FileProblem {
                    origin: format!("export ({name})"),
                    line: p.line as usize,
                    column: p.column.unwrap_or(0),
                    field: p.header.unwrap_or_default(),
                    message: p.message,
                })
                .collect(),
        }));
    }
    for chunk in events.chunks(BATCH) {
        let outcome = store_and_judge(&state, chunk, &caller.actor()).await?;
        imported.stored += outcome.stored as u64;
        imported.repeated += outcome.repeated as u64;
    }
    Ok(Json(imported))
}
