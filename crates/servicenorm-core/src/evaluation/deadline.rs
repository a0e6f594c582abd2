//! Deadline clocks and the interim notices (tussenberichten) they may owe.

use jiff::Timestamp;

use super::{Detail, Finding, NormResult, State, Tussenbericht, conditions};
use crate::{
    catalog::{CaseType, Catalog, DeadlineNorm, Norm, TermSource},
    events::{AttributeKey, CaseEvents, Event, EventType, Value},
    terms::{Clock, Extension, ExtensionRule, Suspension, Term},
    time::Moment,
};

fn finding(findings: &mut Vec<Finding>, norm: &Norm, event: Option<&Event>, text: String) {
    findings.push(Finding {
        norm: Some(norm.id.to_string()),
        event: event.map(|e| e.id.to_string()),
        text,
    });
}

/// The term that applies: the first variant whose conditions hold, else the
/// norm's own; "product" takes the legal term of the case's product.
fn select_term(
    clock: &DeadlineNorm,
    case_type: &CaseType,
    case: &CaseEvents,
    weekend: Option<bool>,
) -> Result<(Term, Option<ExtensionRule>), String> {
    let source = clock
        .variants
        .iter()
        .find(|v| conditions::hold(&v.when, case.facts(), weekend))
        .map_or(clock.term, |v| v.term);
    match source {
        TermSource::Fixed(term) => Ok((term, None)),
        TermSource::Product => match case.facts().get(AttributeKey::Product) {
            Some(Value::Text(id)) => case_type
                .products
                .iter()
                .find(|p| p.id == *id)
                .map(|p| (p.term, Some(p.extension)))
                .ok_or_else(|| format!("onbekend product \"{id}\" voor zaaktype {}", case_type.id)),
            _ => Err(
                "de termijn hangt af van het product, maar de zaak noemt geen product".to_string(),
            ),
        },
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn evaluate(
    catalog: &Catalog,
    norm: &Norm,
    clock: &DeadlineNorm,
    case_type: &CaseType,
    case: &CaseEvents,
    as_of: Timestamp,
    detail: Detail,
    findings: &mut Vec<Finding>,
) -> NormResult {
    const KIND: &str = "deadline";
    let events = case.events();
    let Some(start_event) = events.iter().find(|e| clock.start.contains(&e.kind)) else {
        if let Some(stop) = events.iter().find(|e| clock.stop.contains(&e.kind)) {
            finding(
                findings,
                norm,
                Some(stop),
                format!(
                    "\"{}\" zonder dat de klok is gestart: de norm is niet beoordeeld",
                    stop.kind.dutch()
                ),
            );
        }
        return NormResult::not_applicable(&norm.id, KIND, "de klok is niet gestart");
    };
    let mut start = start_event.at;
    if let Some(after) = &clock.start_after {
        match case.facts().get(after.attribute) {
            // Awb 7:10: the decision term starts after the objection term;
            // an objection that came later than that counts from its arrival.
            Some(Value::Instant(from)) => {
                // A statutory term counts on the Atw calendar whatever is passed.
                let counted = catalog
                    .calendar("atw")
                    .map(|atw| after.term.deadline(*from, atw));
                match counted {
                    Some(Ok(end)) => start = start.max(end.timestamp()),
                    Some(Err(e)) => finding(findings, norm, None, e.to_string()),
                    None => finding(
                        findings,
                        norm,
                        None,
                        "de Atw-kalender ontbreekt".to_string(),
                    ),
                }
            }
            _ => finding(
                findings,
                norm,
                None,
                format!(
                    "kenmerk {} ontbreekt: de klok start bij \"{}\", eerder dan de wet zegt",
                    after.attribute, start_event.kind
                ),
            ),
        }
    }
    let calendar = clock
        .calendar
        .as_deref()
        .and_then(|id| catalog.calendar(id))
        .or_else(|| catalog.calendar("gemeente"));
    let Some(calendar) = calendar else {
        return NormResult::not_applicable(&norm.id, KIND, "geen kalender");
    };
    let weekend = clock
        .calendar
        .as_ref()
        .and_then(|_| calendar.in_weekend_window(start));
    if !conditions::hold(&norm.when, case.facts(), weekend) {
        return NormResult::not_applicable(
            &norm.id,
            KIND,
            "de voorwaarden van de norm gelden niet voor deze zaak",
        );
    }
    let (term, product_rule) = match select_term(clock, case_type, case, weekend) {
        Ok(found) => found,
        Err(why) => {
            finding(findings, norm, None, why.clone());
            return NormResult::not_applicable(&norm.id, KIND, why);
        }
    };

    for early in events
        .iter()
        .filter(|e| e.at < start_event.at && clock.stop.contains(&e.kind))
    {
        finding(
            findings,
            norm,
            Some(early),
            format!(
                "\"{}\" ligt voor de start van de klok en telt niet",
                early.kind.dutch()
            ),
        );
    }

    // Pauses, extensions and the stop, in event order.
    let mut suspensions = Vec::new();
    let mut paused_since: Option<Timestamp> = None;
    let mut extensions = Vec::new();
    let mut stop: Option<&Event> = None;
    for event in events.iter().filter(|e| e.at >= start_event.at) {
        if stop.is_some() {
            if event.kind == EventType::Reopened {
                // A reopened case needs a new stop; the deadline stays.
                stop = None;
            }
            continue;
        }
        if event.kind == clock.pause {
            if paused_since.is_none() {
                paused_since = Some(event.at);
            }
        } else if event.kind == clock.resume {
            match paused_since.take() {
                Some(from) if event.at > from => suspensions.push(Suspension {
                    from,
                    until: event.at,
                }),
                Some(_) => {}
                None => finding(
                    findings,
                    norm,
                    Some(event),
                    "hervat zonder dat de klok stilstond".to_string(),
                ),
            }
        } else if event.kind == clock.extension_event {
            match event.attributes.get(AttributeKey::Term) {
                Some(Value::Term(extra)) => extensions.push(Extension {
                    term: *extra,
                    announced: Some(event.at),
                }),
                _ => finding(
                    findings,
                    norm,
                    Some(event),
                    "verlenging zonder termijn (kenmerk term, zoals \"6 weken\"): niet meegeteld"
                        .to_string(),
                ),
            }
        } else if clock.stop.contains(&event.kind) {
            stop = Some(event);
        }
    }
    let paused = paused_since.is_some() && stop.is_none();
    if let Some(from) = paused_since.filter(|_| stop.is_none())
        && as_of > from
    {
        suspensions.push(Suspension { from, until: as_of });
    }
    let rule = product_rule.unwrap_or(clock.extension);
    let forbidden_used = rule == ExtensionRule::Forbidden && !extensions.is_empty();
    let clock_input = Clock {
        suspensions,
        extensions,
        extension_rule: rule,
        ..Clock::default()
    };

    let (deadline, explanation) = match detail {
        Detail::Explained => match term.explain(start, &clock_input, calendar) {
            Ok(result) => (result.deadline, Some(Box::new(result))),
            Err(e) => return term_failed(norm, findings, e.to_string()),
        },
        Detail::Brief => match term.deadline_with_clock(start, &clock_input, calendar) {
            Ok(deadline) => (deadline, None),
            Err(e) => return term_failed(norm, findings, e.to_string()),
        },
    };
    let due = deadline.timestamp();
    let span = (due.as_second() - start.as_second()).max(0);
    let at_risk = start.as_second() + (span as f64 * clock.at_risk).round() as i64;
    let at_risk_from = Timestamp::from_second(at_risk)
        .map(Moment::in_amsterdam)
        .ok();
    let end = stop.map_or(as_of, |s| s.at);

    let state = match stop {
        _ if forbidden_used => State::NietGehaald,
        Some(stop) if stop.at <= due => State::Gehaald,
        Some(_) => State::NietGehaald,
        None if as_of > due => State::NietGehaald,
        None if paused => State::Gepauzeerd,
        None if at_risk_from.is_some_and(|r| as_of >= r.timestamp()) => State::DreigtTeVerlopen,
        None => State::Lopend,
    };
    let mut result = NormResult::new(&norm.id, KIND, state);
    result.start = Some(Moment::in_amsterdam(start));
    result.stop = stop.map(|s| Moment::in_amsterdam(s.at));
    result.deadline = Some(deadline);
    result.explanation = explanation;
    result.at_risk_from = at_risk_from;
    result.elapsed_seconds = Some((end.as_second() - start.as_second()).max(0));
    if forbidden_used {
        result.note =
            Some("de termijn is verlengd, terwijl de norm belooft dat niet te doen".into());
    }
    result
}

fn term_failed(norm: &Norm, findings: &mut Vec<Finding>, why: String) -> NormResult {
    finding(findings, norm, None, why.clone());
    NormResult::not_applicable(&norm.id, "deadline", why)
}

/// The interim-notice norm: met when a tussenbericht comes at or before the
/// deadline of the clock it belongs to, or that clock is met without one.
/// Also marks the clock's result with whether the notice came in time.
pub(super) fn tussenbericht(
    norm: &Norm,
    of: &[String],
    event: EventType,
    case: &CaseEvents,
    as_of: Timestamp,
    results: &mut [NormResult],
) -> NormResult {
    const KIND: &str = "tussenbericht";
    let Some(clock) = results.iter_mut().find(|r| {
        of.iter().any(|o| **o == *r.norm)
            && r.state != State::NietVanToepassing
            && r.deadline.is_some()
    }) else {
        return NormResult::not_applicable(
            &norm.id,
            KIND,
            "geen termijn waar dit tussenbericht bij hoort",
        );
    };
    let (Some(start), Some(deadline)) = (clock.start, clock.deadline) else {
        return NormResult::not_applicable(&norm.id, KIND, "geen termijn");
    };
    let sent = case
        .events()
        .iter()
        .find(|e| e.kind == event && e.at >= start.timestamp())
        .map(|e| e.at);
    let on_time = sent.is_some_and(|at| at <= deadline.timestamp());
    let clock_state = clock.state;
    clock.tussenbericht = Some(match (sent, on_time, clock_state) {
        (Some(_), true, _) => Tussenbericht::OnTime,
        (Some(_), false, _) => Tussenbericht::Late,
        (None, _, State::DreigtTeVerlopen | State::NietGehaald) => Tussenbericht::Owed,
        (None, _, _) => Tussenbericht::NotNeeded,
    });
    let state = match clock_state {
        _ if on_time => State::Gehaald,
        State::Gehaald => State::Gehaald,
        State::NietGehaald => State::NietGehaald,
        // Running without a notice: owed once the clock is at risk.
        other => other,
    };
    let mut result = NormResult::new(&norm.id, KIND, state);
    result.start = Some(start);
    result.deadline = Some(deadline);
    result.stop = sent.map(Moment::in_amsterdam);
    result.at_risk_from = clock.at_risk_from;
    result.elapsed_seconds =
        Some((sent.unwrap_or(as_of).as_second() - start.timestamp().as_second()).max(0));
    result
}
