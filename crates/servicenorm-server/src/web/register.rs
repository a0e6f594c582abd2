//! Registering a contact: what came in, through which channel, when. It
//! becomes the first event of a new case, and the case's clocks start.

use askama::Template;
use axum::{
    Form,
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use servicenorm_core::{
    catalog::{Catalog, LimitMeasure, NormKind},
    events::{AttributeKey, Event, EventType, Value},
    time::Moment,
};

use crate::{
    ingest::{check, store_and_judge},
    roles::Permission,
    state::AppState,
    web::{
        extras::{ExtraView, read as read_extras, views},
        forms::{FieldError, message_for, moment_value, new_event_id, read_moment},
        page::{Layout, PageError, encode_query, render},
        queue::Choice,
        session::Staff,
    },
};

/// One kind of contact to register: a case type and the event that starts it.
struct Kind {
    value: String,
    label: String,
    selected: bool,
}

struct KindGroup {
    channel: String,
    kinds: Vec<Kind>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    layout: Layout,
    groups: Vec<KindGroup>,
    municipalities: Vec<(String, String, bool)>,
    /// Per case type with products: its name and its products as choices.
    products: Vec<(String, Vec<Choice>)>,
    moment: String,
    reference: String,
    email: String,
    extras: Vec<ExtraView>,
    errors: &'a [FieldError],
}

impl RegisterPage<'_> {
    fn error(&self, field: &str) -> Option<&str> {
        message_for(self.errors, field)
    }
}

/// The form as sent: every field by name (the case facts vary per catalog).
#[derive(Default)]
pub(crate) struct RegisterForm {
    fields: Vec<(String, String)>,
}

impl RegisterForm {
    fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }
}

/// The events that start something a norm measures on `case_type`.
fn start_events(catalog: &Catalog, case_type: &str) -> Vec<EventType> {
    let mut events = Vec::new();
    for norm in catalog.norms_for(case_type) {
        let starts: Vec<EventType> = match &norm.kind {
            NormKind::Deadline(deadline) => deadline.start.clone(),
            NormKind::Limit(LimitMeasure::Duration { from, .. }) => vec![*from],
            NormKind::Ratio { observation, .. } => vec![*observation],
            _ => Vec::new(),
        };
        for event in starts {
            if !events.contains(&event) {
                events.push(event);
            }
        }
    }
    if events.is_empty() {
        events.push(EventType::Received);
    }
    events
}

fn groups(catalog: &Catalog, chosen: &str) -> Vec<KindGroup> {
    catalog
        .channels
        .iter()
        .filter_map(|channel| {
            let kinds: Vec<Kind> = catalog
                .case_types
                .iter()
                .filter(|ct| ct.channel == channel.id)
                .flat_map(|ct| {
                    start_events(catalog, &ct.id).into_iter().map(move |event| {
                        let value = format!("{}|{}", ct.id, event.as_str());
                        Kind {
                            label: format!("{}: {}", ct.name, event.dutch()),
                            selected: value == chosen,
                            value,
                        }
                    })
                })
                .collect();
            (!kinds.is_empty()).then(|| KindGroup {
                channel: channel.name.clone(),
                kinds,
            })
        })
        .collect()
}

fn page<'a>(
    state: &AppState,
    staff: &Staff,
    catalog: &Catalog,
    form: &RegisterForm,
    errors: &'a [FieldError],
) -> RegisterPage<'a> {
    RegisterPage {
        layout: Layout::new(state, "Nieuw contact", Some(staff), "/contact/nieuw"),
        groups: groups(catalog, &form.get("soort")),
        municipalities: if catalog.municipalities.len() > 1 {
            catalog
                .municipalities
                .iter()
                .map(|m| (m.id.clone(), m.name.clone(), m.id == form.get("gemeente")))
                .collect()
        } else {
            Vec::new()
        },
        products: catalog
            .case_types
            .iter()
            .filter(|ct| !ct.products.is_empty())
            .map(|ct| {
                (
                    ct.name.clone(),
                    ct.products
                        .iter()
                        .map(|p| (p.id.clone(), p.name.clone(), p.id == form.get("product")))
                        .collect(),
                )
            })
            .collect(),
        moment: match form.get("moment") {
            moment if moment.is_empty() => moment_value(state.clock.now()),
            moment => moment,
        },
        reference: form.get("kenmerk"),
        email: form.get("email"),
        extras: views(catalog, &|field| form.get(field), errors),
        errors,
    }
}

pub(crate) async fn form(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Permission::RegisterEvent)?;
    let catalogs = state.catalogs.current();
    let today = Moment::in_amsterdam(state.clock.now()).date();
    let catalog = catalogs
        .in_force(today)
        .ok_or_else(|| PageError::NotFound("Een catalogus die vandaag geldt".into()))?;
    render(&page(
        &state,
        &staff,
        catalog,
        &RegisterForm::default(),
        &[],
    ))
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    staff.require(Permission::RegisterEvent)?;
    let form = RegisterForm { fields };
    staff.check_form(&form.get("csrf"))?;
    let now = state.clock.now();
    let catalogs = state.catalogs.current();
    let today = Moment::in_amsterdam(now).date();
    let catalog = catalogs
        .in_force(today)
        .ok_or_else(|| PageError::NotFound("Een catalogus die vandaag geldt".into()))?;
    let mut errors = Vec::new();

    let soort = form.get("soort");
    let kind = soort.split_once('|').and_then(|(case_type, event)| {
        let case_type = catalog.case_type(case_type)?;
        let event: EventType = event.parse().ok()?;
        start_events(catalog, &case_type.id)
            .contains(&event)
            .then_some((case_type, event))
    });
    if kind.is_none() {
        errors.push(FieldError {
            field: "soort",
            message: "Kies wat voor contact het is.".into(),
        });
    }
    let municipality = if catalog.municipalities.len() > 1 {
        match catalog
            .municipalities
            .iter()
            .find(|m| m.id == form.get("gemeente"))
        {
            Some(m) => Some(m.id.clone()),
            None => {
                errors.push(FieldError {
                    field: "gemeente",
                    message: "Kies de gemeente waar de inwoner woont of waar het over gaat.".into(),
                });
                None
            }
        }
    } else {
        catalog.municipalities.first().map(|m| m.id.clone())
    };
    let product = form.get("product");
    let product = product.trim();
    if let Some((case_type, _)) = kind {
        if !product.is_empty() && !case_type.products.iter().any(|p| p.id == product) {
            errors.push(FieldError {
                field: "product",
                message: format!(
                    "Dit product hoort niet bij \"{}\". Kies een ander product of laat het leeg.",
                    case_type.name
                ),
            });
        }
        if product.is_empty() && !case_type.products.is_empty() {
            errors.push(FieldError {
                field: "product",
                message: format!(
                    "Kies het product of de dienst. Bij \"{}\" hangt de termijn daarvan af.",
                    case_type.name
                ),
            });
        }
    }
    let facts = match kind {
        Some((case_type, _)) => read_extras(case_type, &|field| form.get(field), now, &mut errors),
        None => Vec::new(),
    };
    let at = read_moment(&form.get("moment"), now)
        .map_err(|message| {
            errors.push(FieldError {
                field: "moment",
                message,
            })
        })
        .ok();
    let reference = form.get("kenmerk");
    let reference = reference.trim();
    let case_id = if reference.is_empty() {
        format!("Z-{}", &new_event_id()?[2..12])
    } else if reference.len() <= 40
        && reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        reference.to_string()
    } else {
        errors.push(FieldError {
            field: "kenmerk",
            message: "Een kenmerk heeft hoogstens 40 tekens: letters, cijfers, - _ . of /. Schrijf hier geen naam of adres.".into(),
        });
        String::new()
    };
    if !reference.is_empty() && errors.is_empty() && state.store.case(&case_id).await?.is_some() {
        errors.push(FieldError {
            field: "kenmerk",
            message: format!(
                "Zaak {case_id} bestaat al. Kies een ander kenmerk, of laat het leeg."
            ),
        });
    }
    let contact = crate::routes::contact::read(Some(&form.get("email")), None)
        .map_err(|_| {
            errors.push(FieldError {
                field: "email",
                message:
                    "Dit is geen e-mailadres. Schrijf het als naam@voorbeeld.nl, of laat het leeg."
                        .into(),
            })
        })
        .ok();
    let (Some((case_type, event_type)), Some(at), true) = (kind, at, errors.is_empty()) else {
        let mut response = render(&page(&state, &staff, catalog, &form, &errors))?;
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };

    let mut event = Event::new(new_event_id()?, case_id.as_str(), event_type, at);
    event.case_type = Some(case_type.id.as_str().into());
    event.municipality = municipality.map(|m| m.as_str().into());
    event.team = case_type
        .team
        .clone()
        .or_else(|| staff.team.clone())
        .map(|t| t.as_str().into());
    for (key, value) in facts {
        event
            .attributes
            .insert(key, value)
            .map_err(PageError::Internal)?;
    }
    if !product.is_empty() {
        event
            .attributes
            .insert(AttributeKey::Product, Value::Text(product.to_string()))
            .map_err(PageError::Internal)?;
    }
    let events = [event];
    if let Err(rejected) = check(&catalogs, &events) {
        let errors = [FieldError {
            field: "moment",
            message: format!("Dit kan niet worden opgeslagen: {}", rejected.detail),
        }];
        let mut response = render(&page(&state, &staff, catalog, &form, &errors))?;
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }
    // The address first: the receipt, queued as soon as the events are
    // stored, finds it at once.
    if let Some(contact) = contact.filter(|c| c.email.is_some()) {
        state
            .store
            .put_contact(&case_id, &contact, &staff.actor(), now)
            .await?;
    }
    store_and_judge(&state, &events, &staff.actor()).await?;
    Ok(Redirect::to(&format!(
        "/zaken/{}?opgeslagen=nieuw",
        encode_query(&case_id)
    ))
    .into_response())
}
