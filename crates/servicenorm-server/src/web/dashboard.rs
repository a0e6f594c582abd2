//! The dashboard for team leads: per norm this month and the last twelve
//! months against the streefwaarde, what is at risk today, the figures per
//! team and per municipality, a CSV export, and the printable report per
//! quarter or year that councils receive.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use jiff::{ToSpan, civil::Date};
use serde::Deserialize;
use servicenorm_core::{
    catalog::Catalog,
    report::{GroupBy, Per, Period, Row},
    time::Moment,
};
use servicenorm_storage::QueueFilter;

use crate::{
    roles::Permission,
    routes::results::Results,
    state::AppState,
    web::{
        charts::{Bar, share_chart},
        figures::quarter_start,
        page::{Layout, PageError, render},
        queue::state_words,
        session::Staff,
        words::{percent, short_moment, short_moment_from, time_left},
    },
};

struct NormPanel {
    id: String,
    text: String,
    target: Option<String>,
    month_label: String,
    month: Option<Figure>,
    chart: String,
}

/// One norm's figures for one period.
struct Figure {
    cases: u64,
    met: u64,
    missed: u64,
    open: u64,
    share: Option<String>,
    verdict: Option<&'static str>,
}

impl Figure {
    fn of(row: &Row) -> Figure {
        Figure {
            cases: row.cases,
            met: row.met,
            missed: row.missed,
            open: row.open,
            share: row.share_met.map(percent),
            verdict: row
                .target_reached
                .map(|r| if r { "gehaald" } else { "niet gehaald" }),
        }
    }
}

struct RiskRow {
    case_id: String,
    norm: String,
    state: &'static str,
    badge: &'static str,
    deadline: String,
    left: String,
}

struct GroupRow {
    group: String,
    norm: String,
    figure: Figure,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    panels: Vec<NormPanel>,
    risks: Vec<RiskRow>,
    quarter_label: String,
    by_team: Vec<GroupRow>,
    by_municipality: Vec<GroupRow>,
    year: i16,
    quarter: i8,
}

fn months_back(today: Date) -> Date {
    let first = today.first_of_month();
    first.checked_sub(11.months()).unwrap_or(first)
}

/// The last day of the `months` months that start with the month of `date`.
fn end_of(date: Date, months: i32) -> Date {
    let first = date.first_of_month();
    first
        .checked_add(months.months())
        .and_then(|d| d.yesterday())
        .unwrap_or(date)
}

fn norm_text(catalog: &Catalog, id: &str) -> String {
    catalog.norm(id).map_or(id.to_string(), |n| n.text.clone())
}

fn group_name(catalog: &Catalog, by: GroupBy, id: &str) -> String {
    let found = match by {
        GroupBy::Team => catalog
            .teams
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone()),
        GroupBy::Municipality => catalog
            .municipalities
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.clone()),
        _ => None,
    };
    found.unwrap_or_else(|| {
        if id.is_empty() {
            "(onbekend)".into()
        } else {
            id.to_string()
        }
    })
}

fn group_rows(catalog: &Catalog, results: &Results, by: GroupBy) -> Vec<GroupRow> {
    results
        .rows
        .iter()
        .filter(|row| row.cases > 0)
        .map(|row| GroupRow {
            group: group_name(catalog, by, &row.group),
            norm: norm_text(catalog, &row.norm),
            figure: Figure::of(row),
        })
        .collect()
}

pub(crate) async fn page(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Permission::ViewResults)?;
    let now = state.clock.now();
    let today = Moment::in_amsterdam(now).date();
    let catalogs = state.catalogs.current();
    let catalog = catalogs
        .latest()
        .ok_or_else(|| PageError::NotFound("Een catalogus".into()))?;
    let from = months_back(today);
    // A period shows the clocks due in it: met, missed, or still open.
    let month_end = end_of(today, 1);
    let monthly = state
        .figures
        .get(&state, from, month_end, Per::Month, GroupBy::Norm)
        .await?;
    let this_month = Period::of(today, Per::Month);
    let mut months = Vec::new();
    let mut month = from;
    while month <= today {
        months.push(Period::of(month, Per::Month));
        month = month
            .checked_add(1.month())
            .unwrap_or(today.tomorrow().unwrap_or(today));
    }
    let panels = catalog
        .norms
        .iter()
        .filter(|norm| norm.kind.is_measured())
        .map(|norm| {
            let rows: Vec<&Row> = monthly
                .rows
                .iter()
                .filter(|r| *r.norm == *norm.id)
                .collect();
            let bars: Vec<Bar> = months
                .iter()
                .map(|period| Bar {
                    label: period.label().chars().take(3).collect::<String>(),
                    share: rows
                        .iter()
                        .find(|r| r.period == *period)
                        .and_then(|r| r.share_met),
                })
                .collect();
            NormPanel {
                id: norm.id.to_string(),
                text: norm.text.clone(),
                target: norm.streefwaarde.map(percent),
                month_label: this_month.label(),
                month: rows
                    .iter()
                    .find(|r| r.period == this_month)
                    .map(|r| Figure::of(r)),
                chart: share_chart(
                    &format!("grafiek-{}", norm.id),
                    &norm.text,
                    &bars,
                    norm.streefwaarde,
                ),
            }
        })
        .collect();

    let end_of_today = today
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(servicenorm_core::time::amsterdam()).ok())
        .map(|z| z.timestamp());
    let team = if staff.role.may(Permission::ViewAllTeams) {
        None
    } else {
        staff.team.clone()
    };
    let at_risk = state
        .store
        .clocks(
            &QueueFilter {
                states: vec![
                    "lopend".into(),
                    "dreigt_te_verlopen".into(),
                    "niet_gehaald".into(),
                ],
                team,
                due_before: end_of_today,
                unfinished: true,
                ..QueueFilter::default()
            },
            None,
            100,
        )
        .await?;
    let risks = at_risk
        .items
        .iter()
        .map(|clock| {
            let (state_word, badge) = state_words(&clock.state);
            RiskRow {
                case_id: clock.case_id.clone(),
                norm: norm_text(catalog, &clock.norm_id),
                state: state_word,
                badge,
                deadline: clock
                    .deadline
                    .map(|d| short_moment_from(d, now))
                    .unwrap_or_default(),
                left: clock
                    .deadline
                    .map(|d| time_left(d, now, None))
                    .unwrap_or_default(),
            }
        })
        .collect();

    let quarter_from = quarter_start(today);
    let quarter_end = end_of(quarter_from, 3);
    let by_team = state
        .figures
        .get(
            &state,
            quarter_from,
            quarter_end,
            Per::Quarter,
            GroupBy::Team,
        )
        .await?;
    let by_municipality = state
        .figures
        .get(
            &state,
            quarter_from,
            quarter_end,
            Per::Quarter,
            GroupBy::Municipality,
        )
        .await?;
    let quarter = Period::of(today, Per::Quarter);
    render(&DashboardPage {
        layout: Layout::new(&state, "Dashboard", Some(&staff), "/dashboard"),
        panels,
        risks,
        quarter_label: quarter.label(),
        by_team: group_rows(catalog, &by_team, GroupBy::Team),
        by_municipality: group_rows(catalog, &by_municipality, GroupBy::Municipality),
        year: today.year(),
        quarter: (today.month() - 1) / 3 + 1,
    })
}

/// The last twelve months per norm, as CSV for a spreadsheet.
pub(crate) async fn export(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Permission::ViewResults)?;
    let today = Moment::in_amsterdam(state.clock.now()).date();
    let monthly = state
        .figures
        .get(
            &state,
            months_back(today),
            end_of(today, 1),
            Per::Month,
            GroupBy::Norm,
        )
        .await?;
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let header = [
        "periode",
        "norm",
        "tekst",
        "zaken",
        "gehaald",
        "niet_gehaald",
        "nog_open",
        "deel_gehaald",
        "streefwaarde",
        "doel_gehaald",
    ];
    let write = |out: &mut csv::Writer<Vec<u8>>, record: &[String]| {
        out.write_record(record)
            .map_err(|e| PageError::Internal(e.to_string()))
    };
    write(&mut out, &header.map(str::to_string))?;
    let decimal = |value: Option<f64>| {
        value
            .map(|v| format!("{v:.3}").replace('.', ","))
            .unwrap_or_default()
    };
    for row in &monthly.rows {
        write(
            &mut out,
            &[
                row.period_label.clone(),
                row.norm.clone(),
                row.text.clone(),
                row.cases.to_string(),
                row.met.to_string(),
                row.missed.to_string(),
                row.open.to_string(),
                decimal(row.share_met),
                decimal(row.streefwaarde),
                row.target_reached.map_or(String::new(), |r| {
                    if r { "ja".into() } else { "nee".into() }
                }),
            ],
        )?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"servicenormen-12-maanden.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
pub(crate) struct ReportParams {
    jaar: Option<i16>,
    kwartaal: Option<i8>,
}

struct ReportRow {
    text: String,
    target: String,
    cells: Vec<String>,
    total: String,
    verdict: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    layout: Layout,
    title: String,
    columns: Vec<String>,
    rows: Vec<ReportRow>,
    as_of: String,
}

/// The report councils receive: per norm the streefwaarde and the share
/// met per period, for a quarter (per month) or a year (per quarter).
pub(crate) async fn report(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<ReportParams>,
) -> Result<Response, PageError> {
    staff.require(Permission::ViewResults)?;
    let today = Moment::in_amsterdam(state.clock.now()).date();
    let year = params.jaar.unwrap_or(today.year());
    let bad = || PageError::NotFound("Deze periode".into());
    let (from, to, per, whole, title) = match params.kwartaal {
        Some(q @ 1..=4) => {
            let from = Date::new(year, (q - 1) * 3 + 1, 1).map_err(|_| bad())?;
            let to = from
                .checked_add(3.months())
                .and_then(|d| d.yesterday())
                .map_err(|_| bad())?;
            (
                from,
                to,
                Per::Month,
                Per::Quarter,
                format!("Servicenormen {year} kwartaal {q}"),
            )
        }
        Some(_) => return Err(bad()),
        None => {
            let from = Date::new(year, 1, 1).map_err(|_| bad())?;
            let to = Date::new(year, 12, 31).map_err(|_| bad())?;
            (
                from,
                to,
                Per::Quarter,
                Per::Year,
                format!("Servicenormen {year}"),
            )
        }
    };
    if from > today {
        return Err(bad());
    }
    let catalogs = state.catalogs.current();
    let catalog = catalogs
        .in_force(to)
        .or_else(|| catalogs.latest())
        .ok_or_else(|| PageError::NotFound("Een catalogus".into()))?;
    let parts = state
        .figures
        .get(&state, from, to, per, GroupBy::Norm)
        .await?;
    let totals = state
        .figures
        .get(&state, from, to, whole, GroupBy::Norm)
        .await?;
    let mut periods: Vec<Period> = parts.rows.iter().map(|r| r.period).collect();
    periods.sort();
    periods.dedup();
    let rows = catalog
        .norms
        .iter()
        .filter(|norm| norm.kind.is_measured())
        .map(|norm| {
            let share_in = |rows: &[Row], period: Option<&Period>| {
                rows.iter()
                    .find(|r| *r.norm == *norm.id && period.is_none_or(|p| r.period == *p))
                    .and_then(|r| r.share_met)
                    .map_or("–".to_string(), percent)
            };
            let total_row = totals.rows.iter().find(|r| *r.norm == *norm.id);
            ReportRow {
                text: norm.text.clone(),
                target: norm.streefwaarde.map_or("–".to_string(), percent),
                cells: periods
                    .iter()
                    .map(|p| share_in(&parts.rows, Some(p)))
                    .collect(),
                total: share_in(&totals.rows, None),
                verdict: total_row
                    .and_then(|r| r.target_reached)
                    .map_or("–".to_string(), |r| {
                        if r { "ja".into() } else { "nee".into() }
                    }),
            }
        })
        .collect();
    render(&ReportPage {
        layout: Layout::new(&state, title.clone(), Some(&staff), "/dashboard"),
        title,
        columns: periods.iter().map(Period::label).collect(),
        rows,
        as_of: short_moment(totals.as_of),
    })
}
