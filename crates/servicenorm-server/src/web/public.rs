//! "Onze servicenormen": every promise of the catalog in force, grouped by
//! channel in the municipality's own words, and beside each one that is
//! measured how often it was kept in the last whole quarter. No login, and
//! nothing about any resident: only counts.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;
use servicenorm_core::{
    report::{GroupBy, Per, Row},
    time::Moment,
};

use crate::{
    state::AppState,
    web::{
        figures::last_quarter,
        page::{Layout, PageError, render},
        words::percent,
    },
};

#[derive(Deserialize)]
pub(crate) struct Params {
    gemeente: Option<String>,
}

struct ChannelView {
    name: String,
    norms: Vec<NormView>,
}

struct NormView {
    text: String,
    measured: bool,
    realisation: Option<Realisation>,
}

struct Realisation {
    /// "87%"
    share: String,
    /// "90%"
    target: Option<String>,
    /// Width of the bar and place of the target mark, in percent.
    bar: u32,
    mark: Option<u32>,
    /// "Doel gehaald" or "Doel niet gehaald"; none without a target.
    verdict: Option<&'static str>,
    /// How many cases or contacts the share is over.
    counted: u64,
}

#[derive(Template)]
#[template(path = "public.html")]
struct PublicPage {
    layout: Layout,
    introduction: Option<String>,
    quarter: String,
    municipalities: Vec<(String, String, bool)>,
    channels: Vec<ChannelView>,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    let today = Moment::in_amsterdam(state.clock.now()).date();
    let catalogs = state.catalogs.current();
    let catalog = catalogs
        .in_force(today)
        .or_else(|| catalogs.latest())
        .ok_or_else(|| PageError::NotFound("Een catalogus met servicenormen".into()))?;
    let chosen = params
        .gemeente
        .filter(|id| catalog.municipalities.iter().any(|m| m.id == *id));
    let (from, to) = last_quarter(today);
    let by = if chosen.is_some() {
        GroupBy::Municipality
    } else {
        GroupBy::Norm
    };
    let figures = state
        .figures
        .get(&state, from, to, Per::Quarter, by)
        .await?;
    let row_of = |norm: &str| -> Option<&Row> {
        figures
            .rows
            .iter()
            .find(|row| row.norm == norm && chosen.as_deref().is_none_or(|m| row.group == m))
    };
    let channels = catalog
        .by_channel()
        .into_iter()
        .map(|(channel, norms)| ChannelView {
            name: channel.name.clone(),
            norms: norms
                .into_iter()
                .map(|norm| NormView {
                    text: norm.text.clone(),
                    measured: norm.kind.is_measured(),
                    realisation: row_of(&norm.id).and_then(realisation),
                })
                .collect(),
        })
        .collect();
    let quarter = servicenorm_core::report::Period::of(from, Per::Quarter).label();
    let municipalities = if catalog.municipalities.len() > 1 {
        catalog
            .municipalities
            .iter()
            .map(|m| {
                (
                    m.id.clone(),
                    m.name.clone(),
                    chosen.as_deref() == Some(&m.id),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    render(&PublicPage {
        layout: Layout::new(&state, "Onze servicenormen", None, "/servicenormen"),
        introduction: catalog.introduction.clone(),
        quarter,
        municipalities,
        channels,
    })
}

fn realisation(row: &Row) -> Option<Realisation> {
    let share = row.share_met?;
    let counted = row.observations.unwrap_or(row.met + row.missed);
    Some(Realisation {
        share: percent(share),
        target: row.streefwaarde.map(percent),
        bar: (share * 100.0).round().clamp(0.0, 100.0) as u32,
        mark: row
            .streefwaarde
            .map(|t| (t * 100.0).round().clamp(0.0, 100.0) as u32),
        verdict: row.target_reached.map(|reached| {
            if reached {
                "Doel gehaald"
            } else {
                "Doel niet gehaald"
            }
        }),
        counted,
    })
}
