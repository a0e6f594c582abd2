//! What a case of each case type looks like, derived from the norms measured
//! on it: which event opens it, which contact happens first, which clocks
//! run, which attributes its norms test.

use servicenorm_core::{
    calendar::Calendar,
    catalog::{
        CaseType, Catalog, ConditionKey, Conditions, LimitMeasure, Norm, NormKind, Qualifies,
        TermSource, Variant,
    },
    events::{AttributeKey, EventType},
    terms::{ElapsedUnit, ExtensionRule, Term},
};

use crate::{
    days::Days,
    profile::{Profile, profile},
};

/// How a case begins.
#[derive(Clone, Debug)]
pub(crate) enum Opening {
    /// A phone call: queued, answered (the event the answer-time norm stops
    /// on), transfers, ended.
    Call { answered: EventType },
    /// A counter visit: a ticket, called, helped, closed.
    Counter { called: EventType },
    /// Another measured wait: `from`, then `to` after about half the limit.
    Wait {
        from: EventType,
        to: EventType,
        limit: i64,
    },
    /// A single event (received, callback_requested, ...).
    Event(EventType),
    /// Observations for a ratio norm.
    Ratio(RatioPlan),
}

#[derive(Clone, Debug)]
pub(crate) struct RatioPlan {
    pub observation: EventType,
    pub rule: Qualifies,
}

/// A deadline clock that may run on the case.
pub(crate) struct ClockPlan<'a> {
    /// `None` for the decision on an application that no norm measures.
    pub norm: Option<&'a Norm>,
    pub start: Vec<EventType>,
    pub stop: EventType,
    pub pause: EventType,
    pub resume: EventType,
    pub extension_event: EventType,
    pub when: Option<&'a Conditions>,
    pub term: TermSource,
    pub variants: &'a [Variant],
    pub extension: ExtensionRule,
    pub calendar: &'a Calendar,
    /// Whether the norm names a calendar (the weekend condition needs one).
    pub has_calendar: bool,
    /// Whether the work is done in office hours (not for elapsed terms
    /// without a calendar: urgent action, automatic replies).
    pub office: bool,
    /// The tussenbericht event owed when this clock runs late.
    pub tussenbericht: Option<EventType>,
}

/// Which case attributes the case type carries or its norms test.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct AttributePlan {
    pub urgent: bool,
    pub appointment: bool,
    pub appointment_at: bool,
    pub advisory_committee: bool,
    pub published_at: bool,
    pub product: bool,
    pub contact_needed: bool,
    pub intake: bool,
    pub question_answered: bool,
}

pub(crate) struct CasePlan<'a> {
    pub case_type: &'a CaseType,
    pub profile: Profile,
    /// The calendar of arrivals and handling (index into [`Days`]).
    pub staff: usize,
    pub opening: Opening,
    /// Events counted by a count limit (transfers), besides those of a call.
    pub counts: Vec<EventType>,
    /// Outcome limits: one of `any_of` before the first of `by`.
    pub outcomes: Vec<(Vec<EventType>, Vec<EventType>)>,
    pub clocks: Vec<ClockPlan<'a>>,
    pub attributes: AttributePlan,
    /// The caller may say whether the question was answered.
    pub feedback: bool,
    /// A call may end in a callback request.
    pub callback: bool,
    /// The case ends with `closed` after its last step.
    pub closes: bool,
}

fn seconds(term: &Term) -> i64 {
    match term {
        Term::Elapsed { amount, unit, .. } => {
            i64::from(*amount)
                * match unit {
                    ElapsedUnit::Seconds => 1,
                    ElapsedUnit::Minutes => 60,
                    ElapsedUnit::Hours => 3600,
                }
        }
        Term::OfficeHours { minutes } => i64::from(*minutes) * 60,
        _ => 900,
    }
}

fn tested(conditions: &Conditions, plan: &mut AttributePlan) {
    for (key, _) in &conditions.0 {
        if let ConditionKey::Attribute(key) = key {
            mark(*key, plan);
        }
    }
}

fn mark(key: AttributeKey, plan: &mut AttributePlan) {
    match key {
        AttributeKey::Urgent => plan.urgent = true,
        AttributeKey::Appointment => plan.appointment = true,
        AttributeKey::AppointmentAt => plan.appointment_at = true,
        AttributeKey::AdvisoryCommittee => plan.advisory_committee = true,
        AttributeKey::PublishedAt => plan.published_at = true,
        AttributeKey::Product => plan.product = true,
        AttributeKey::ContactNeeded => plan.contact_needed = true,
        AttributeKey::Intake => plan.intake = true,
        AttributeKey::QuestionAnswered => plan.question_answered = true,
        _ => {}
    }
}

/// The calendar a deadline norm counts on, as the evaluation picks it.
fn norm_calendar<'a>(catalog: &'a Catalog, id: Option<&str>) -> Option<&'a Calendar> {
    id.and_then(|id| catalog.calendar(id))
        .or_else(|| catalog.calendar("gemeente"))
}

/// The plans of all case types, in catalog order.
pub(crate) fn plans<'a>(catalog: &'a Catalog, days: &mut Days<'a>) -> Vec<CasePlan<'a>> {
    catalog
        .case_types
        .iter()
        .filter_map(|ct| plan(catalog, ct, days))
        .collect()
}

/// The calendar of the office that handles a case type: the first own
/// calendar a deadline norm on it names, else the catalog's first own
/// calendar, else the first one a norm names, else `gemeente`.
pub(crate) fn staff_calendar<'a>(
    catalog: &'a Catalog,
    case_type: &CaseType,
) -> Option<&'a Calendar> {
    let named: Vec<&str> = catalog
        .norms_for(&case_type.id)
        .filter_map(|n| match &n.kind {
            NormKind::Deadline(d) => d.calendar.as_deref(),
            _ => None,
        })
        .collect();
    named
        .iter()
        .find_map(|id| catalog.calendars.iter().find(|c| c.id() == *id))
        .or_else(|| catalog.calendars.first())
        .or_else(|| named.first().and_then(|id| catalog.calendar(id)))
        .or_else(|| catalog.calendar("gemeente"))
}

fn plan<'a>(catalog: &'a Catalog, ct: &'a CaseType, days: &mut Days<'a>) -> Option<CasePlan<'a>> {
    let profile = profile(catalog, ct);
    let staff = days.register(staff_calendar(catalog, ct)?);
    let mut attributes = AttributePlan::default();
    for key in &ct.attributes {
        mark(*key, &mut attributes);
    }
    let mut wait: Option<(EventType, EventType, i64)> = None;
    let mut counts = Vec::new();
    let mut outcomes = Vec::new();
    let mut clocks: Vec<ClockPlan<'a>> = Vec::new();
    let mut ratio = None;
    let mut tussenberichten: Vec<(&[String], EventType)> = Vec::new();
    for norm in catalog.norms_for(&ct.id) {
        tested(&norm.when, &mut attributes);
        match &norm.kind {
            NormKind::Limit(LimitMeasure::Duration {
                from,
                to,
                limit,
                not_before,
            }) => {
                if let Some(key) = not_before {
                    mark(*key, &mut attributes);
                }
                if wait.is_none() {
                    wait = Some((*from, *to, seconds(limit)));
                }
            }
            NormKind::Limit(LimitMeasure::Count { event, .. }) => {
                if !counts.contains(event) {
                    counts.push(*event);
                }
            }
            NormKind::Limit(LimitMeasure::Outcome { any_of, by }) => {
                outcomes.push((any_of.clone(), by.clone()));
            }
            NormKind::Deadline(d) => {
                for variant in &d.variants {
                    tested(&variant.when, &mut attributes);
                    if variant.term == TermSource::Product {
                        attributes.product = true;
                    }
                }
                if d.term == TermSource::Product {
                    attributes.product = true;
                }
                let Some(calendar) = norm_calendar(catalog, d.calendar.as_deref()) else {
                    continue;
                };
                days.register(calendar);
                let Some(stop) = d.stop.first() else { continue };
                let elapsed = matches!(d.term, TermSource::Fixed(Term::Elapsed { .. }));
                clocks.push(ClockPlan {
                    norm: Some(norm),
                    start: d.start.clone(),
                    stop: *stop,
                    pause: d.pause,
                    resume: d.resume,
                    extension_event: d.extension_event,
                    when: Some(&norm.when),
                    term: d.term,
                    variants: &d.variants,
                    extension: d.extension,
                    calendar,
                    has_calendar: d.calendar.is_some(),
                    office: !(elapsed && d.calendar.is_none()),
                    tussenbericht: None,
                });
            }
            NormKind::Ratio {
                observation,
                qualifies,
            } => {
                if ratio.is_none() {
                    ratio = Some(RatioPlan {
                        observation: *observation,
                        rule: qualifies.clone(),
                    });
                }
            }
            NormKind::Tussenbericht { of, event } => tussenberichten.push((of, *event)),
            NormKind::Promise => {}
        }
    }
    for (of, event) in tussenberichten {
        for clock in clocks.iter_mut() {
            if clock.norm.is_some_and(|n| of.iter().any(|o| **o == *n.id))
                && clock.tussenbericht.is_none()
            {
                clock.tussenbericht = Some(event);
            }
        }
    }
    // An application ends in a decision, measured or not.
    if !ct.products.is_empty() && !clocks.iter().any(|c| c.stop == EventType::Decided) {
        attributes.product = true;
        if let Ok(atw) = Calendar::atw() {
            days.register(atw);
            clocks.push(ClockPlan {
                norm: None,
                start: vec![EventType::Received],
                stop: EventType::Decided,
                pause: EventType::Suspended,
                resume: EventType::Resumed,
                extension_event: EventType::Extended,
                when: None,
                term: TermSource::Product,
                variants: &[],
                extension: ExtensionRule::Unlimited,
                calendar: atw,
                has_calendar: false,
                office: true,
                tussenbericht: None,
            });
        }
    }
    if ct.products.is_empty() {
        attributes.product = false;
    }
    let feedback = attributes.question_answered
        || clocks
            .iter()
            .any(|c| c.start.contains(&EventType::Feedback));
    let callback = clocks
        .iter()
        .any(|c| c.start.contains(&EventType::CallbackRequested));
    let opening = if let Some(ratio) = ratio {
        Opening::Ratio(ratio)
    } else {
        match wait {
            Some((EventType::CallQueued, to, _)) => Opening::Call { answered: to },
            Some((EventType::TicketIssued, to, _)) => Opening::Counter { called: to },
            Some((from, to, limit)) => Opening::Wait { from, to, limit },
            None => {
                let received = clocks
                    .iter()
                    .any(|c| c.start.contains(&EventType::Received));
                Opening::Event(if received {
                    EventType::Received
                } else {
                    clocks
                        .first()
                        .and_then(|c| c.start.first().copied())
                        .unwrap_or(EventType::Received)
                })
            }
        }
    };
    let closes = !matches!(opening, Opening::Call { .. } | Opening::Ratio(_));
    Some(CasePlan {
        case_type: ct,
        profile,
        staff,
        opening,
        counts,
        outcomes,
        clocks,
        attributes,
        feedback,
        callback,
        closes,
    })
}
