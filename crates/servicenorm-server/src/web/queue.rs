//! The werkvoorraad: the work still to do for my team, soonest deadline
//! first, with the time left in words.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;
use servicenorm_core::catalog::{Catalog, NormKind};
use servicenorm_storage::{ClockRow, Cursor, QueueFilter};

use crate::{
    roles::Permission,
    state::AppState,
    web::{
        page::{Layout, PageError, render},
        session::Staff,
        words::{short_moment_from, time_left},
    },
};

/// Rows per page of the queue.
const PAGE: usize = 50;

#[derive(Deserialize, Default)]
pub(crate) struct Params {
    kanaal: Option<String>,
    zaaktype: Option<String>,
    gemeente: Option<String>,
    team: Option<String>,
    na: Option<String>,
}

/// A choice in a filter: (value, label, chosen).
pub(crate) type Choice = (String, String, bool);

struct Row {
    case_id: String,
    case_type: String,
    norm: String,
    state: &'static str,
    badge: &'static str,
    deadline: String,
    left: String,
    municipality: String,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    layout: Layout,
    team_name: String,
    channels: Vec<Choice>,
    case_types: Vec<Choice>,
    municipalities: Vec<Choice>,
    teams: Vec<Choice>,
    rows: Vec<Row>,
    next: Option<String>,
}

/// The Dutch word and badge class of a stored clock state.
pub(crate) fn state_words(state: &str) -> (&'static str, &'static str) {
    match state {
        "lopend" => ("lopend", "utrecht-badge-status--safe"),
        "gepauzeerd" => ("gepauzeerd", "utrecht-badge-status--neutral"),
        "dreigt_te_verlopen" => ("dreigt te verlopen", "utrecht-badge-status--warning"),
        "niet_gehaald" => ("verlopen", "utrecht-badge-status--danger"),
        "gehaald" => ("gehaald", "utrecht-badge-status--safe"),
        _ => ("niet van toepassing", "utrecht-badge-status--neutral"),
    }
}

fn choices<'a>(
    items: impl Iterator<Item = (&'a str, &'a str)>,
    chosen: Option<&str>,
) -> Vec<Choice> {
    items
        .map(|(id, name)| (id.to_string(), name.to_string(), chosen == Some(id)))
        .collect()
}

fn chosen(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub(crate) async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    staff.require(Permission::WorkTeamQueue)?;
    let catalogs = state.catalogs.current();
    let catalog = catalogs
        .latest()
        .ok_or_else(|| PageError::NotFound("Een catalogus".into()))?;
    // My team by default; a team lead may look at every team.
    let team = match chosen(&params.team) {
        Some(team)
            if staff.role.may(Permission::ViewAllTeams) || staff.team.as_deref() == Some(&team) =>
        {
            Some(team)
        }
        Some(_) => return Err(PageError::Forbidden),
        None if params.team.is_some() && staff.role.may(Permission::ViewAllTeams) => None,
        None => staff.team.clone(),
    };
    let filter = QueueFilter {
        states: Vec::new(),
        team: team.clone(),
        municipality: chosen(&params.gemeente),
        case_type: chosen(&params.zaaktype),
        channel: chosen(&params.kanaal),
        due_from: None,
        due_before: None,
        unfinished: true,
    };
    let after = params.na.as_deref().and_then(Cursor::decode);
    let page = state.store.clocks(&filter, after.as_ref(), PAGE).await?;
    let now = state.clock.now();
    let rows = page
        .items
        .iter()
        .map(|clock| row(catalog, clock, now))
        .collect();
    let next = page.next.map(|cursor| {
        let mut query = String::new();
        for (key, value) in [
            ("kanaal", &filter.channel),
            ("zaaktype", &filter.case_type),
            ("gemeente", &filter.municipality),
            ("team", &team),
        ] {
            if let Some(value) = value {
                query.push_str(&format!("{key}={}&", super::page::encode_query(value)));
            }
        }
        format!("/werkvoorraad?{query}na={}", cursor.encode())
    });
    let team_name = team
        .as_deref()
        .map(|id| {
            catalog
                .teams
                .iter()
                .find(|t| t.id == id)
                .map_or(id.to_string(), |t| t.name.clone())
        })
        .unwrap_or_else(|| "alle teams".to_string());
    let teams = if staff.role.may(Permission::ViewAllTeams) {
        choices(
            catalog
                .teams
                .iter()
                .map(|t| (t.id.as_str(), t.name.as_str())),
            team.as_deref(),
        )
    } else {
        Vec::new()
    };
    render(&QueuePage {
        layout: Layout::new(&state, "Werkvoorraad", Some(&staff), "/werkvoorraad"),
        team_name,
        channels: choices(
            catalog
                .channels
                .iter()
                .map(|c| (c.id.as_str(), c.name.as_str())),
            filter.channel.as_deref(),
        ),
        case_types: choices(
            catalog
                .case_types
                .iter()
                .map(|c| (c.id.as_str(), c.name.as_str())),
            filter.case_type.as_deref(),
        ),
        municipalities: if catalog.municipalities.len() > 1 {
            choices(
                catalog
                    .municipalities
                    .iter()
                    .map(|m| (m.id.as_str(), m.name.as_str())),
                filter.municipality.as_deref(),
            )
        } else {
            Vec::new()
        },
        teams,
        rows,
        next,
    })
}

fn row(catalog: &Catalog, clock: &ClockRow, now: jiff::Timestamp) -> Row {
    let norm = catalog.norm(&clock.norm_id);
    let calendar = norm.and_then(|norm| match &norm.kind {
        NormKind::Deadline(deadline) => deadline
            .calendar
            .as_deref()
            .and_then(|id| catalog.calendar(id)),
        _ => None,
    });
    let (state, badge) = state_words(&clock.state);
    Row {
        case_id: clock.case_id.clone(),
        case_type: catalog
            .case_type(&clock.case_type)
            .map_or(clock.case_type.clone(), |c| c.name.clone()),
        norm: norm.map_or(clock.norm_id.clone(), |n| n.text.clone()),
        state,
        badge,
        deadline: clock
            .deadline
            .map(|d| short_moment_from(d, now))
            .unwrap_or_default(),
        left: match (clock.state.as_str(), clock.deadline) {
            ("gepauzeerd", _) => "klok staat stil".to_string(),
            (_, Some(deadline)) => time_left(deadline, now, calendar),
            (_, None) => String::new(),
        },
        municipality: clock
            .municipality
            .as_deref()
            .and_then(|id| catalog.municipalities.iter().find(|m| m.id == id))
            .map_or_else(String::new, |m| m.name.clone()),
    }
}
