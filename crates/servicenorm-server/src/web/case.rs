//! A case: its timeline, every norm's clock with why its deadline falls
//! where it does, and a form to record what happened next.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use servicenorm_core::{
    catalog::{Catalog, NormKind},
    evaluation::{Detail, Evaluation, State as ClockState},
    events::{AttributeKey, Event, EventType, Value, ValueType},
};

use crate::{
    ingest::{check, store_and_judge},
    judge::{evaluation, state_name},
    roles::Permission,
    state::AppState,
    web::{
        forms::{FieldError, message_for, moment_value, new_event_id, read_moment},
        page::{Layout, PageError, encode_query, render},
        queue::state_words,
        session::Staff,
        words::{long_moment, short_moment, short_moment_from, time_left},
    },
};

/// What staff can record on a case, in the order the form lists it.
const NEXT_STEPS: [EventType; 14] = [
    EventType::Answered,
    EventType::CallbackDone,
    EventType::Contacted,
    EventType::Acknowledged,
    EventType::TussenberichtSent,
    EventType::ExpectedDateGiven,
    EventType::CallTransferred,
    EventType::ActionTaken,
    EventType::Suspended,
    EventType::Resumed,
    EventType::Extended,
    EventType::Decided,
    EventType::Closed,
    EventType::Reopened,
];

/// Steps that need a reason: a pause, its end, an extension, reopening.
fn needs_reason(step: EventType) -> bool {
    matches!(
        step,
        EventType::Suspended | EventType::Resumed | EventType::Extended | EventType::Reopened
    )
}

struct ClockView {
    norm: String,
    state: &'static str,
    badge: &'static str,
    deadline: Option<String>,
    left: Option<String>,
    at_risk_from: Option<String>,
    /// "Waarom eindigt deze termijn op dinsdag 28 april 2026?"
    question: Option<String>,
    explanation: Vec<String>,
}

struct EventView {
    at: String,
    what: &'static str,
    details: Vec<String>,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage<'a> {
    layout: Layout,
    case_id: String,
    saved: Option<&'static str>,
    facts: Vec<(&'static str, String)>,
    clocks: Vec<ClockView>,
    not_applicable: Vec<String>,
    events: Vec<EventView>,
    /// Messages to the resident: what, and how it went.
    messages: Vec<(String, String)>,
    findings: Vec<String>,
    steps: Vec<(&'static str, &'static str, bool)>,
    moment: String,
    reason: String,
    term: String,
    errors: &'a [FieldError],
}

impl CasePage<'_> {
    fn error(&self, field: &str) -> Option<&str> {
        message_for(self.errors, field)
    }
}

#[derive(Deserialize)]
pub(crate) struct Params {
    opgeslagen: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    gebeurtenis: String,
    #[serde(default)]
    moment: String,
    #[serde(default)]
    reden: String,
    #[serde(default)]
    termijn: String,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(case_id): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    staff.require(Permission::ViewCase)?;
    let saved = match params.opgeslagen.as_deref() {
        Some("nieuw") => Some("Het contact is opgeslagen. De termijnen lopen."),
        Some(_) => Some("Opgeslagen."),
        None => None,
    };
    show(&state, &staff, &case_id, saved, &StepForm::default(), &[]).await
}

async fn show(
    state: &AppState,
    staff: &Staff,
    case_id: &str,
    saved: Option<&'static str>,
    form: &StepForm,
    errors: &[FieldError],
) -> Result<Response, PageError> {
    let now = state.clock.now();
    let catalogs = state.catalogs.current();
    let Some((judged, case)) =
        evaluation(&state.store, &catalogs, case_id, now, Detail::Explained).await?
    else {
        return Err(PageError::NotFound(format!("Zaak {case_id}")));
    };
    let catalog = catalogs
        .in_force(judged.received.date())
        .or_else(|| catalogs.latest())
        .ok_or_else(|| PageError::NotFound("Een catalogus".into()))?;
    let (clocks, not_applicable) = clock_views(catalog, &judged, now);
    let messages = state
        .store
        .messages_of_case(case_id)
        .await?
        .iter()
        .map(|m| message_view(m, now))
        .collect();
    let page = CasePage {
        layout: Layout::new(state, format!("Zaak {case_id}"), Some(staff), ""),
        case_id: case_id.to_string(),
        saved,
        facts: facts(catalog, &judged),
        clocks,
        not_applicable,
        events: case.events().iter().map(event_view).collect(),
        messages,
        findings: judged.findings.iter().map(|f| f.text.clone()).collect(),
        steps: NEXT_STEPS
            .iter()
            .map(|step| {
                (
                    step.as_str(),
                    step.dutch(),
                    step.as_str() == form.gebeurtenis,
                )
            })
            .collect(),
        moment: if form.moment.is_empty() {
            moment_value(now)
        } else {
            form.moment.clone()
        },
        reason: form.reden.clone(),
        term: form.termijn.clone(),
        errors,
    };
    let mut response = render(&page)?;
    if !errors.is_empty() {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

fn facts(catalog: &Catalog, judged: &Evaluation) -> Vec<(&'static str, String)> {
    let mut facts = vec![(
        "Soort zaak",
        catalog
            .case_type(&judged.case_type)
            .map_or(judged.case_type.to_string(), |c| c.name.clone()),
    )];
    if let Some(m) = &judged.municipality {
        let name = catalog
            .municipalities
            .iter()
            .find(|x| *x.id == **m)
            .map_or(m.to_string(), |x| x.name.clone());
        facts.push(("Gemeente", name));
    }
    if let Some(t) = &judged.team {
        let name = catalog
            .teams
            .iter()
            .find(|x| *x.id == **t)
            .map_or(t.to_string(), |x| x.name.clone());
        facts.push(("Team", name));
    }
    facts.push(("Binnengekomen", long_moment(judged.received.timestamp())));
    facts
}

fn clock_views(
    catalog: &Catalog,
    judged: &Evaluation,
    now: jiff::Timestamp,
) -> (Vec<ClockView>, Vec<String>) {
    let mut clocks = Vec::new();
    let mut not_applicable = Vec::new();
    for result in &judged.norms {
        let norm = catalog.norm(&result.norm);
        let text = norm.map_or(result.norm.to_string(), |n| n.text.clone());
        if result.state == ClockState::NietVanToepassing {
            not_applicable.push(text);
            continue;
        }
        let calendar = norm.and_then(|norm| match &norm.kind {
            NormKind::Deadline(d) => d.calendar.as_deref().and_then(|id| catalog.calendar(id)),
            _ => None,
        });
        let (state, badge) = state_words(state_name(result.state));
        let deadline = result.deadline.map(|d| d.timestamp());
        clocks.push(ClockView {
            norm: text,
            state,
            badge,
            deadline: deadline.map(long_moment),
            left: match (result.state, deadline) {
                (ClockState::Gepauzeerd, _) => Some("klok staat stil".into()),
                (s, Some(d)) if s.is_open() => Some(time_left(d, now, calendar)),
                _ => None,
            },
            at_risk_from: result
                .at_risk_from
                .filter(|_| result.state.is_open())
                .map(|m| short_moment(m.timestamp())),
            question: result.explanation.as_ref().map(|e| {
                format!(
                    "Waarom eindigt deze termijn op {}?",
                    servicenorm_core::terms::explain::long_date(e.deadline.date())
                )
            }),
            explanation: result
                .explanation
                .as_ref()
                .map(|e| e.explanation().lines().map(str::to_string).collect())
                .unwrap_or_default(),
        });
    }
    (clocks, not_applicable)
}

fn event_view(event: &Event) -> EventView {
    let details = event
        .attributes
        .iter()
        .filter_map(|(key, value)| {
            let label = match key {
                AttributeKey::Reason => "reden",
                AttributeKey::Term => "termijn",
                AttributeKey::Product => "product",
                AttributeKey::Urgent => {
                    return matches!(value, Value::Bool(true)).then(|| "spoed".to_string());
                }
                _ => return None,
            };
            Some(format!("{label}: {value}"))
        })
        .collect();
    EventView {
        at: short_moment(event.at),
        what: event.kind.dutch(),
        details,
    }
}

pub(crate) async fn record(
    State(state): State<AppState>,
    staff: Staff,
    Path(case_id): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, PageError> {
    staff.require(Permission::RegisterEvent)?;
    staff.check_form(&form.csrf)?;
    if state.store.case(&case_id).await?.is_none() {
        return Err(PageError::NotFound(format!("Zaak {case_id}")));
    }
    let now = state.clock.now();
    let mut errors = Vec::new();
    let step = NEXT_STEPS
        .iter()
        .copied()
        .find(|s| s.as_str() == form.gebeurtenis);
    if step.is_none() {
        errors.push(FieldError {
            field: "gebeurtenis",
            message: "Kies wat er is gebeurd.".into(),
        });
    }
    let at = read_moment(&form.moment, now)
        .map_err(|message| {
            errors.push(FieldError {
                field: "moment",
                message,
            })
        })
        .ok();
    let reason = form.reden.trim();
    if step.is_some_and(needs_reason) && reason.is_empty() {
        errors.push(FieldError {
            field: "reden",
            message: "Schrijf kort op waarom. Dat is verplicht bij opschorten, hervatten, verlengen en heropenen.".into(),
        });
    }
    if reason.chars().count() > 200 {
        errors.push(FieldError {
            field: "reden",
            message: "Houd de reden kort: hoogstens 200 tekens.".into(),
        });
    }
    let term = match (step, form.termijn.trim()) {
        (Some(EventType::Extended), "") => {
            errors.push(FieldError {
                field: "termijn",
                message: "Vul in met hoeveel tijd u verlengt, zoals 6 weken.".into(),
            });
            None
        }
        (Some(EventType::Extended), text) => Value::parse(ValueType::Term, text)
            .map_err(|_| {
                errors.push(FieldError {
                    field: "termijn",
                    message: format!("\"{text}\" is geen termijn. Schrijf het zo: 6 weken, 10 werkdagen of 2 maanden."),
                })
            })
            .ok(),
        _ => None,
    };
    let (Some(step), Some(at), true) = (step, at, errors.is_empty()) else {
        return show(&state, &staff, &case_id, None, &form, &errors).await;
    };
    let mut event = Event::new(new_event_id()?, case_id.as_str(), step, at);
    if !reason.is_empty() {
        event
            .attributes
            .insert(AttributeKey::Reason, Value::Text(reason.to_string()))
            .map_err(PageError::Internal)?;
    }
    if let Some(term) = term {
        event
            .attributes
            .insert(AttributeKey::Term, term)
            .map_err(PageError::Internal)?;
    }
    let events = [event];
    if let Err(rejected) = check(&state.catalogs.current(), &events) {
        let errors = [FieldError {
            field: "moment",
            message: format!("Dit kan niet worden opgeslagen: {}", rejected.detail),
        }];
        return show(&state, &staff, &case_id, None, &form, &errors).await;
    }
    store_and_judge(&state, &events, &staff.actor()).await?;
    Ok(Redirect::to(&format!(
        "/zaken/{}?opgeslagen=stap",
        encode_query(&case_id)
    ))
    .into_response())
}

/// "Ontvangstbevestiging", "verstuurd ma 27 apr 10:02": a message to the
/// resident and where it stands.
fn message_view(m: &servicenorm_storage::MessageRow, now: jiff::Timestamp) -> (String, String) {
    let what = match servicenorm_core::messages::Purpose::parse(&m.purpose) {
        Some(purpose) => {
            let dutch = purpose.dutch();
            // "ontvangstbevestiging" heads its line as "Ontvangstbevestiging".
            dutch[..1].to_uppercase() + &dutch[1..]
        }
        None => m.purpose.clone(),
    };
    let state = match (m.state.as_str(), m.sent_at) {
        ("verstuurd", Some(at)) => format!("Verstuurd per e-mail, {}.", short_moment_from(at, now)),
        ("taak", _) => "Geen e-mailadres. Stuur het bericht zelf en leg dat vast.".to_string(),
        ("overbodig", _) => "Niet nodig: de norm was al gehaald.".to_string(),
        ("mislukt", _) => format!(
            "Niet gelukt ({}). Stuur het bericht zelf en leg dat vast.",
            m.last_error.as_deref().unwrap_or("onbekende fout")
        ),
        (_, _) => match &m.last_error {
            Some(why) => format!("Nog niet verstuurd ({why}). We proberen het opnieuw."),
            None => "Wordt verstuurd.".to_string(),
        },
    };
    (what, state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        purpose: &str,
        state: &str,
        last_error: Option<&str>,
    ) -> servicenorm_storage::MessageRow {
        servicenorm_storage::MessageRow {
            id: 1,
            norm_id: "email-ontvangstbevestiging".into(),
            purpose: purpose.into(),
            state: state.into(),
            attempts: 1,
            created_at: "2026-06-08T08:00:00Z".parse().unwrap(),
            sent_at: (state == "verstuurd").then(|| "2026-06-08T08:00:31Z".parse().unwrap()),
            last_error: last_error.map(str::to_string),
        }
    }

    #[test]
    fn each_message_says_how_it_went_in_a_sentence() {
        let now = "2026-06-09T08:00:00Z".parse().unwrap();
        let cases = [
            (
                row("ontvangstbevestiging", "verstuurd", None),
                "Ontvangstbevestiging",
                "Verstuurd per e-mail, ma 8 jun 10:00.",
            ),
            (
                row("tussenbericht", "taak", None),
                "Tussenbericht",
                "Geen e-mailadres. Stuur het bericht zelf en leg dat vast.",
            ),
            (
                row(
                    "antwoord_onderweg",
                    "wachtend",
                    Some("wacht op contactgegevens"),
                ),
                "Bericht dat het antwoord later komt",
                "Nog niet verstuurd (wacht op contactgegevens). We proberen het opnieuw.",
            ),
            (
                row(
                    "tussenbericht",
                    "mislukt",
                    Some("de mailserver antwoordde 550"),
                ),
                "Tussenbericht",
                "Niet gelukt (de mailserver antwoordde 550). Stuur het bericht zelf en leg dat vast.",
            ),
        ];
        for (message, what, state) in cases {
            assert_eq!(
                message_view(&message, now),
                (what.to_string(), state.to_string())
            );
        }
    }
}
