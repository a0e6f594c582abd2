//! Limits judged per contact (answer time, waiting time, transfers, outcome),
//! and the observations of ratio norms.

use jiff::Timestamp;

use super::{Finding, Measured, NormResult, State};
use crate::{
    catalog::{Comparison, LimitMeasure, Norm, Qualifies},
    events::{CaseEvents, EventType, Value},
    terms::Term,
    time::Moment,
};

/// Events that end a contact: after them no answer or transfer can come.
const CONTACT_ENDS: [EventType; 3] = [
    EventType::CallAbandoned,
    EventType::CallEnded,
    EventType::Closed,
];

pub(super) fn evaluate(
    norm: &Norm,
    measure: &LimitMeasure,
    case: &CaseEvents,
    as_of: Timestamp,
    findings: &mut Vec<Finding>,
) -> NormResult {
    const KIND: &str = "limit";
    if !super::conditions::hold(&norm.when, case.facts(), None) {
        return NormResult::not_applicable(
            &norm.id,
            KIND,
            "de voorwaarden van de norm gelden niet voor deze zaak",
        );
    }
    let events = case.events();
    let ended = events
        .iter()
        .find(|e| CONTACT_ENDS.contains(&e.kind))
        .map(|e| e.at);
    match measure {
        LimitMeasure::Duration {
            from,
            to,
            limit,
            not_before,
        } => {
            let Some(from_event) = events.iter().find(|e| e.kind == *from) else {
                return NormResult::not_applicable(
                    &norm.id,
                    KIND,
                    format!("geen gebeurtenis \"{}\"", from.dutch()),
                );
            };
            // From the arrival, or the appointment if that is later.
            let begin = not_before
                .and_then(|key| match case.facts().get(key) {
                    Some(Value::Instant(t)) => Some(*t),
                    _ => None,
                })
                .map_or(from_event.at, |t| t.max(from_event.at));
            let limit_seconds = match limit {
                Term::Elapsed { amount, unit, .. } => i64::from(*amount) * unit_seconds(*unit),
                _ => 0,
            };
            let to_event = events
                .iter()
                .find(|e| e.kind == *to && e.at >= from_event.at);
            let mut result;
            match to_event {
                Some(to_event) => {
                    let waited = (to_event.at.as_second() - begin.as_second()).max(0);
                    let state = if waited <= limit_seconds {
                        State::Gehaald
                    } else {
                        State::NietGehaald
                    };
                    result = NormResult::new(&norm.id, KIND, state);
                    result.stop = Some(Moment::in_amsterdam(to_event.at));
                    result.elapsed_seconds = Some(waited);
                    result.measured = Some(Measured::Seconds {
                        value: waited,
                        limit: limit_seconds,
                    });
                }
                None => {
                    let until = ended.unwrap_or(as_of);
                    let waited = (until.as_second() - begin.as_second()).max(0);
                    let state = if waited > limit_seconds {
                        State::NietGehaald
                    } else if ended.is_some() {
                        // Hung up within the limit: nothing to judge.
                        return NormResult::not_applicable(
                            &norm.id,
                            KIND,
                            "het contact eindigde binnen de grens, zonder antwoord",
                        );
                    } else {
                        State::Lopend
                    };
                    result = NormResult::new(&norm.id, KIND, state);
                    result.elapsed_seconds = Some(waited);
                }
            }
            result.start = Some(Moment::in_amsterdam(begin));
            result.deadline = Timestamp::from_second(begin.as_second() + limit_seconds)
                .map(Moment::in_amsterdam)
                .ok();
            result
        }
        LimitMeasure::Count { event, max } => {
            let Some(first) = events.first() else {
                return NormResult::not_applicable(&norm.id, KIND, "geen gebeurtenissen");
            };
            let count = events.iter().filter(|e| e.kind == *event).count() as u32;
            let state = if count > *max {
                State::NietGehaald
            } else if ended.is_some() {
                State::Gehaald
            } else {
                State::Lopend
            };
            let mut result = NormResult::new(&norm.id, KIND, state);
            result.start = Some(Moment::in_amsterdam(first.at));
            result.stop = ended.map(Moment::in_amsterdam);
            result.measured = Some(Measured::Count {
                value: count,
                limit: *max,
            });
            result
        }
        LimitMeasure::Outcome { any_of, by } => {
            let Some(end) = events.iter().find(|e| by.contains(&e.kind)) else {
                let mut result = NormResult::new(&norm.id, KIND, State::Lopend);
                result.start = events.first().map(|e| Moment::in_amsterdam(e.at));
                return result;
            };
            let outcome = events.iter().find(|e| any_of.contains(&e.kind));
            if let Some(late) = outcome.filter(|e| e.at > end.at) {
                findings.push(Finding {
                    norm: Some(norm.id.to_string()),
                    event: Some(late.id.to_string()),
                    text: format!(
                        "\"{}\" kwam na het einde van het contact",
                        late.kind.dutch()
                    ),
                });
            }
            let met = outcome.is_some_and(|e| e.at <= end.at);
            let mut result = NormResult::new(
                &norm.id,
                KIND,
                if met {
                    State::Gehaald
                } else {
                    State::NietGehaald
                },
            );
            result.start = events.first().map(|e| Moment::in_amsterdam(e.at));
            result.stop = Some(Moment::in_amsterdam(end.at));
            result
        }
    }
}

fn unit_seconds(unit: crate::terms::ElapsedUnit) -> i64 {
    match unit {
        crate::terms::ElapsedUnit::Seconds => 1,
        crate::terms::ElapsedUnit::Minutes => 60,
        crate::terms::ElapsedUnit::Hours => 3600,
    }
}

/// Whether one observation qualifies.
pub(crate) fn qualifies(rule: &Qualifies, value: Option<&Value>) -> bool {
    match (rule.op, value, &rule.value) {
        (Comparison::Equal, Some(v), expected) => v == expected,
        (Comparison::AtLeast, Some(Value::Integer(v)), Value::Integer(x)) => v >= x,
        (Comparison::AtMost, Some(Value::Integer(v)), Value::Integer(x)) => v <= x,
        _ => false,
    }
}

pub(super) fn ratio(
    norm: &Norm,
    observation: EventType,
    rule: &Qualifies,
    case: &CaseEvents,
) -> NormResult {
    const KIND: &str = "ratio";
    let observed: Vec<_> = case
        .events()
        .iter()
        .filter(|e| e.kind == observation)
        .collect();
    if observed.is_empty() {
        return NormResult::not_applicable(
            &norm.id,
            KIND,
            format!("geen gebeurtenis \"{}\"", observation.dutch()),
        );
    }
    let qualifying = observed
        .iter()
        .filter(|e| qualifies(rule, e.attributes.get(rule.attribute)))
        .count() as u32;
    let total = observed.len() as u32;
    let share = f64::from(qualifying) / f64::from(total);
    let state = if share >= norm.streefwaarde.unwrap_or(1.0) {
        State::Gehaald
    } else {
        State::NietGehaald
    };
    let mut result = NormResult::new(&norm.id, KIND, state);
    result.start = observed.first().map(|e| Moment::in_amsterdam(e.at));
    result.stop = observed.last().map(|e| Moment::in_amsterdam(e.at));
    result.measured = Some(Measured::Observations { total, qualifying });
    result
}
