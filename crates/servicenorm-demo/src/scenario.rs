//! One case, from its first event to its last: the contact, the clocks with
//! their pauses, extensions and interim notices, and the close.

use jiff::Timestamp;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Poisson};
use servicenorm_core::{
    catalog::{CaseType, Comparison, ConditionKey, Conditions, Qualifies, TermSource},
    events::{AttributeKey, Attributes, EventType, Value},
    terms::{Clock, Counting, Extension, ExtensionRule, PeriodUnit, Suspension, Term},
};

use crate::{
    days::{DAY, DayInfo, Days},
    plan::{AttributePlan, CasePlan, ClockPlan, Opening, RatioPlan},
};

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
/// The spread of handling times around their median, as a lognormal sigma.
const SIGMA: f64 = 0.55;

/// One event of a case before it gets its id.
#[derive(Clone, Debug)]
pub(crate) struct Draft {
    pub at: i64,
    pub kind: EventType,
    pub attributes: Attributes,
}

pub(crate) struct Ctx<'a> {
    pub rng: ChaCha8Rng,
    pub days: Days<'a>,
}

pub(crate) fn lognormal(rng: &mut ChaCha8Rng, median: f64, sigma: f64) -> f64 {
    match LogNormal::new(median.max(1e-9).ln(), sigma) {
        Ok(d) => d.sample(rng),
        Err(_) => median,
    }
}

pub(crate) fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    match Poisson::new(mean) {
        Ok(d) => {
            let n: f64 = d.sample(rng);
            n as u64
        }
        Err(_) => 0,
    }
}

fn uniform(rng: &mut ChaCha8Rng, from: f64, to: f64) -> f64 {
    from + rng.random::<f64>() * (to - from)
}

fn seconds(value: f64) -> i64 {
    value.round() as i64
}

/// The standard normal quantile of `p` (Abramowitz and Stegun 26.2.23,
/// error below 0.00045): enough to aim at a share missed.
fn normal_quantile(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    let (q, sign) = if p < 0.5 { (p, -1.0) } else { (1.0 - p, 1.0) };
    let t = (-2.0 * q.ln()).sqrt();
    let z = t
        - (2.515517 + 0.802853 * t + 0.010328 * t * t)
            / (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
    sign * z
}

/// The median share of the term used, so that `miss` of the clocks end late.
fn median_share(miss: f64) -> f64 {
    (-SIGMA * normal_quantile(1.0 - miss)).exp()
}

fn attribute(attributes: &mut Attributes, key: AttributeKey, value: Value) {
    // A key is set once per event by construction.
    let _ = attributes.insert(key, value);
}

fn push(out: &mut Vec<Draft>, at: i64, kind: EventType) {
    out.push(Draft {
        at,
        kind,
        attributes: Attributes::new(),
    });
}

fn push_with(out: &mut Vec<Draft>, at: i64, kind: EventType, attributes: Attributes) {
    out.push(Draft {
        at,
        kind,
        attributes,
    });
}

fn last(out: &[Draft]) -> i64 {
    out.iter().map(|d| d.at).max().unwrap_or(0)
}

/// How busy the office is: Mondays and mornings are worse.
fn load(day: &DayInfo, at: i64) -> f64 {
    let monday = if day.weekday == jiff::civil::Weekday::Monday {
        1.2
    } else {
        1.0
    };
    let morning = if at - day.start < 12 * HOUR {
        1.15
    } else {
        0.9
    };
    monday * morning
}

/// The evaluation's rule: each condition holds; an absent yes/no attribute
/// reads as "no".
pub(crate) fn hold(conditions: &Conditions, facts: &Attributes, weekend: Option<bool>) -> bool {
    conditions.0.iter().all(|(key, expected)| match key {
        ConditionKey::Weekend => weekend == expected.as_bool(),
        ConditionKey::Attribute(a) => match facts.get(*a) {
            Some(value) => value == expected,
            None => expected.as_bool() == Some(false),
        },
    })
}

fn select_term(
    clock: &ClockPlan<'_>,
    case_type: &CaseType,
    facts: &Attributes,
    weekend: Option<bool>,
) -> Option<(Term, Option<ExtensionRule>)> {
    let source = clock
        .variants
        .iter()
        .find(|v| hold(&v.when, facts, weekend))
        .map_or(clock.term, |v| v.term);
    match source {
        TermSource::Fixed(term) => Some((term, None)),
        TermSource::Product => match facts.get(AttributeKey::Product) {
            Some(Value::Text(id)) => case_type
                .products
                .iter()
                .find(|p| p.id == *id)
                .map(|p| (p.term, Some(p.extension))),
            _ => None,
        },
    }
}

/// How common a product is among applications, by its id.
fn product_weight(id: &str) -> f64 {
    const WEIGHTS: &[(&str, f64)] = &[
        ("uitgebreid", 3.0),
        ("omgevingsvergunning", 30.0),
        ("wmo", 20.0),
        ("bijstand", 15.0),
        ("subsidie", 10.0),
        ("ontheffing", 10.0),
        ("woo", 8.0),
    ];
    WEIGHTS
        .iter()
        .find(|(word, _)| id.contains(word))
        .map_or(10.0, |(_, w)| *w)
}

fn pick<'v, T>(rng: &mut ChaCha8Rng, items: &'v [(T, f64)]) -> Option<&'v T> {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut at = rng.random::<f64>() * total;
    for (item, weight) in items {
        if at < *weight {
            return Some(item);
        }
        at -= weight;
    }
    items.last().map(|(item, _)| item)
}

/// The case attributes of a new case (except those of a counter visit).
fn case_facts(plan: &CasePlan<'_>, rng: &mut ChaCha8Rng, in_office: bool, at: i64) -> Attributes {
    let a: AttributePlan = plan.attributes;
    let mut facts = Attributes::new();
    if a.urgent {
        attribute(
            &mut facts,
            AttributeKey::Urgent,
            Value::Bool(rng.random_bool(0.10)),
        );
    }
    if a.advisory_committee {
        attribute(
            &mut facts,
            AttributeKey::AdvisoryCommittee,
            Value::Bool(rng.random_bool(0.30)),
        );
    }
    if a.published_at {
        // Objections mostly arrive in the six weeks after the bekendmaking.
        let published = at - seconds(uniform(rng, 2.0, 40.0) * 86_400.0);
        if let Ok(published) = Timestamp::from_second(published) {
            attribute(
                &mut facts,
                AttributeKey::PublishedAt,
                Value::Instant(published),
            );
        }
    }
    if a.contact_needed {
        attribute(
            &mut facts,
            AttributeKey::ContactNeeded,
            Value::Bool(rng.random_bool(0.25)),
        );
    }
    if a.product {
        let products: Vec<(&str, f64)> = plan
            .case_type
            .products
            .iter()
            .map(|p| (p.id.as_str(), product_weight(&p.id)))
            .collect();
        if let Some(id) = pick(rng, &products) {
            attribute(
                &mut facts,
                AttributeKey::Product,
                Value::Text((*id).to_string()),
            );
        }
    }
    if a.intake {
        let choices: &[(&str, f64)] = if plan.profile.kinds.contains(&"melding") {
            &[("digitaal", 0.6), ("telefonisch", 0.3), ("mondeling", 0.1)]
        } else {
            &[
                ("schriftelijk", 0.35),
                ("digitaal", 0.35),
                ("telefonisch", 0.2),
                ("mondeling", 0.1),
            ]
        };
        let mut intake = pick(rng, choices).copied().unwrap_or("digitaal");
        // Nobody answers the phone or the counter at night.
        if !in_office && matches!(intake, "telefonisch" | "mondeling") {
            intake = "digitaal";
        }
        attribute(
            &mut facts,
            AttributeKey::Intake,
            Value::Text(intake.to_string()),
        );
    }
    facts
}

/// Builds one case that starts at `at` on `day` (a day of the case type's
/// calendar); its events go to `out`, in any order.
pub(crate) fn case(
    plan: &CasePlan<'_>,
    ctx: &mut Ctx<'_>,
    day: &DayInfo,
    at: i64,
    out: &mut Vec<Draft>,
) {
    let in_office = day.working && day.hours().iter().any(|&(a, b)| a <= at && at < b);
    let mut facts = case_facts(plan, &mut ctx.rng, in_office, at);
    let rng = &mut ctx.rng;
    match &plan.opening {
        Opening::Call { answered } => {
            push_with(out, at, EventType::CallQueued, facts.clone());
            let wait = lognormal(rng, 15.0 * load(day, at), 0.6).max(1.0);
            let patience = lognormal(rng, 90.0, 0.7).max(3.0);
            if wait > patience {
                push(out, at + seconds(patience), EventType::CallAbandoned);
                return;
            }
            let mut t = at + seconds(wait);
            push(out, t, *answered);
            let transfers = poisson(rng, 0.4).min(5);
            for _ in 0..transfers {
                t += rng.random_range(20..120);
                push(out, t, EventType::CallTransferred);
            }
            let talk = seconds(lognormal(rng, 200.0, 0.7).max(20.0));
            if plan.callback && rng.random_bool(0.10) {
                push(
                    out,
                    t + seconds(talk as f64 * uniform(rng, 0.5, 0.9)),
                    EventType::CallbackRequested,
                );
            }
            counted(plan, rng, t, t + talk, out);
            let end = t + talk;
            outcome(plan, rng, t, end, out);
            push(out, end, EventType::CallEnded);
            if plan.feedback && rng.random_bool(0.5) {
                let answered = rng.random_bool(0.9);
                let mut attributes = Attributes::new();
                attribute(
                    &mut attributes,
                    AttributeKey::QuestionAnswered,
                    Value::Bool(answered),
                );
                push_with(
                    out,
                    end + rng.random_range(3..20),
                    EventType::Feedback,
                    attributes,
                );
                attribute(
                    &mut facts,
                    AttributeKey::QuestionAnswered,
                    Value::Bool(answered),
                );
            }
        }
        Opening::Counter { called } => {
            let a = plan.attributes;
            let appointment = a.appointment && rng.random_bool(0.6);
            if a.appointment {
                attribute(
                    &mut facts,
                    AttributeKey::Appointment,
                    Value::Bool(appointment),
                );
            }
            let begin = if appointment {
                // Appointments are on the quarter hour; most visitors come early.
                let slot = if rng.random_bool(0.8) {
                    (at + rng.random_range(MINUTE..10 * MINUTE)) / 900 * 900 + 900
                } else {
                    (at - rng.random_range(0..5 * MINUTE)) / 900 * 900
                };
                if a.appointment_at
                    && let Ok(slot) = Timestamp::from_second(slot)
                {
                    attribute(
                        &mut facts,
                        AttributeKey::AppointmentAt,
                        Value::Instant(slot),
                    );
                }
                slot.max(at)
            } else {
                at
            };
            push_with(out, at, EventType::TicketIssued, facts.clone());
            let wait = if appointment {
                lognormal(rng, 90.0, 0.9)
            } else {
                lognormal(rng, 360.0 * load(day, at), 0.55)
            };
            let t = begin + seconds(wait).max(1);
            push(out, t, *called);
            let service = seconds(lognormal(rng, 480.0, 0.6).max(60.0));
            counted(plan, rng, t, t + service, out);
            outcome(plan, rng, t, t + service, out);
            if !out.iter().any(|d| d.kind == EventType::Closed) {
                push(out, t + service, EventType::Closed);
            }
        }
        Opening::Wait { from, to, limit } => {
            push_with(out, at, *from, facts.clone());
            let t = at + seconds(lognormal(rng, 0.45 * *limit as f64, 0.6)).max(1);
            push(out, t, *to);
            counted(plan, rng, t, t + 10 * MINUTE, out);
            outcome(plan, rng, t, t + 10 * MINUTE, out);
        }
        Opening::Event(kind) => {
            push_with(out, at, *kind, facts.clone());
            counted(plan, rng, at, at + HOUR, out);
            outcome(plan, rng, at, at + HOUR, out);
        }
        Opening::Ratio(_) => return,
    }
    let stops = clocks(plan, ctx, &mut facts, out);
    if plan.closes && !out.iter().any(|d| d.kind == EventType::Closed) {
        let end = last(out);
        let median = if stops == 0 {
            4.0 * DAY as f64
        } else {
            2.0 * HOUR as f64
        };
        let target = end + seconds(lognormal(&mut ctx.rng, median, 0.8));
        if let Some(at) = ctx
            .days
            .office(&mut ctx.rng, plan.staff, target, end + MINUTE)
        {
            push(out, at, EventType::Closed);
        }
    }
}

/// Events a count limit counts (other than the transfers of a call):
/// a Poisson number with mean 0.4 during the contact.
fn counted(plan: &CasePlan<'_>, rng: &mut ChaCha8Rng, from: i64, until: i64, out: &mut Vec<Draft>) {
    for kind in &plan.counts {
        if *kind == EventType::CallTransferred && matches!(plan.opening, Opening::Call { .. }) {
            continue;
        }
        let n = poisson(rng, 0.4).min(5);
        for _ in 0..n {
            let at = from + 1 + rng.random_range(0..(until - from).max(2));
            push(out, at, *kind);
        }
    }
}

/// Outcome limits: mostly an answer, sometimes a date for it, rarely neither,
/// before the contact ends.
fn outcome(plan: &CasePlan<'_>, rng: &mut ChaCha8Rng, from: i64, until: i64, out: &mut Vec<Draft>) {
    for (any_of, by) in &plan.outcomes {
        let roll = rng.random::<f64>();
        let kind = if roll < 0.85 {
            any_of.first()
        } else if roll < 0.95 {
            any_of.get(1).or(any_of.first())
        } else {
            None
        };
        if let Some(kind) = kind
            && !out.iter().any(|d| d.kind == *kind)
        {
            let at = from + seconds((until - from) as f64 * uniform(rng, 0.5, 0.95)).max(1);
            push(out, at, *kind);
        }
        if let Some(end) = by.first()
            && !out.iter().any(|d| d.kind == *end)
        {
            push(out, until.max(from + 2), *end);
        }
    }
}

struct Ready {
    index: usize,
    start: i64,
    due: i64,
    term: Term,
    rule: ExtensionRule,
    product: bool,
}

fn place(
    ctx: &mut Ctx<'_>,
    plan: &CasePlan<'_>,
    office: bool,
    target: i64,
    lower: i64,
) -> Option<i64> {
    if office {
        ctx.days.office(&mut ctx.rng, plan.staff, target, lower)
    } else {
        Some(target.max(lower))
    }
}

/// Starts every clock whose start event happened and whose conditions hold,
/// and schedules its stop (and what comes before it). Clocks started by a
/// stop of another clock follow in the next round. Returns the number of
/// stops scheduled.
fn clocks(
    plan: &CasePlan<'_>,
    ctx: &mut Ctx<'_>,
    facts: &mut Attributes,
    out: &mut Vec<Draft>,
) -> usize {
    let mut done = vec![false; plan.clocks.len()];
    let mut stops = 0;
    let mut paused = false;
    for _round in 0..4 {
        let mut ready: Vec<Ready> = Vec::new();
        for (index, clock) in plan.clocks.iter().enumerate() {
            if done[index] {
                continue;
            }
            let Some(start) = out
                .iter()
                .filter(|d| clock.start.contains(&d.kind))
                .map(|d| d.at)
                .min()
            else {
                continue;
            };
            done[index] = true;
            let Ok(start_ts) = Timestamp::from_second(start) else {
                continue;
            };
            let weekend = if clock.has_calendar {
                clock.calendar.in_weekend_window(start_ts)
            } else {
                None
            };
            if clock.when.is_some_and(|when| !hold(when, facts, weekend)) {
                continue;
            }
            let Some((term, product_rule)) = select_term(clock, plan.case_type, facts, weekend)
            else {
                continue;
            };
            let Ok(due) = term.deadline(start_ts, clock.calendar) else {
                continue;
            };
            ready.push(Ready {
                index,
                start,
                due: due.timestamp().as_second(),
                term,
                rule: product_rule.unwrap_or(clock.extension),
                product: product_rule.is_some(),
            });
        }
        if ready.is_empty() {
            break;
        }
        ready.sort_by_key(|r| {
            (
                plan.clocks[r.index].stop == EventType::Closed,
                r.due,
                r.index,
            )
        });
        for r in ready {
            if schedule(plan, ctx, &r, &mut paused, out) {
                stops += 1;
            }
        }
    }
    stops
}

const PAUSE_REASONS: &[&str] = &[
    "aanvulling gevraagd",
    "wacht op advies van een andere instantie",
    "wacht op informatie van de aanvrager",
];
const ANSWER_PAUSE_REASONS: &[&str] = &[
    "wacht op informatie van de indiener",
    "wacht op advies van een andere afdeling",
];
const EXTENSION_REASONS: &[&str] = &["complexe aanvraag", "advies nodig", "meer onderzoek nodig"];

fn reason(rng: &mut ChaCha8Rng, reasons: &[&str]) -> Value {
    let i = rng.random_range(0..reasons.len());
    Value::Text(reasons[i].to_string())
}

/// The extension used: up to the maximum, or half the term where the law
/// sets none (or the norm forbids one).
fn extension_term(rng: &mut ChaCha8Rng, term: &Term, rule: &ExtensionRule) -> Option<Term> {
    let half = |term: &Term| match *term {
        Term::Period { count, unit, .. } => Some(Term::Period {
            count: (count / 2).max(1),
            unit,
            counting: Counting::Policy { roll: false },
        }),
        _ => None,
    };
    match rule {
        ExtensionRule::UpTo { max } => match *max {
            Term::Period {
                count,
                unit,
                counting,
            } => {
                let count = if rng.random_bool(0.7) {
                    count
                } else {
                    rng.random_range(1..=count.max(1))
                };
                Some(Term::Period {
                    count,
                    unit,
                    counting,
                })
            }
            other => Some(other),
        },
        ExtensionRule::Unlimited | ExtensionRule::Forbidden => half(term),
    }
}

fn schedule(
    plan: &CasePlan<'_>,
    ctx: &mut Ctx<'_>,
    r: &Ready,
    paused: &mut bool,
    out: &mut Vec<Draft>,
) -> bool {
    let clock = &plan.clocks[r.index];
    if out.iter().any(|d| d.kind == clock.stop) {
        // One event stops every clock that waits for it.
        return false;
    }
    let Ok(start_ts) = Timestamp::from_second(r.start) else {
        return false;
    };
    let mut lower = last(out) + MINUTE;
    let span = (r.due - r.start).max(MINUTE) as f64;
    let miss = match clock.stop {
        EventType::Acknowledged => 0.03,
        EventType::ActionTaken => 0.05,
        _ => plan.profile.miss,
    };
    let share = lognormal(&mut ctx.rng, median_share(miss), SIGMA);
    let work = seconds(share * span).max(30);
    let long = matches!(
        r.term,
        Term::Period {
            unit: PeriodUnit::Weeks | PeriodUnit::Months,
            ..
        }
    );
    let statutory = matches!(
        r.term,
        Term::Period {
            counting: Counting::Statutory,
            ..
        }
    );
    let mut suspensions = Vec::new();
    let mut extensions = Vec::new();
    // Awb 4:15 for applications; now and then for a long written answer.
    let pause_share = match clock.stop {
        _ if r.product => 0.12,
        EventType::Answered => 0.03,
        _ => 0.0,
    };
    let target;
    if long && !*paused && pause_share > 0.0 && ctx.rng.random_bool(pause_share) {
        // Opschorting: information asked for, the clock stands still.
        let from_target = r.start + seconds(work as f64 * uniform(&mut ctx.rng, 0.15, 0.5));
        let Some(from) = place(ctx, plan, true, from_target, lower) else {
            return false;
        };
        let length = seconds(lognormal(&mut ctx.rng, 10.0 * DAY as f64, 0.6));
        let Some(until) = place(ctx, plan, true, from + length, from + HOUR) else {
            return false;
        };
        let mut attributes = Attributes::new();
        let reasons = if r.product {
            PAUSE_REASONS
        } else {
            ANSWER_PAUSE_REASONS
        };
        attribute(
            &mut attributes,
            AttributeKey::Reason,
            reason(&mut ctx.rng, reasons),
        );
        push_with(out, from, clock.pause, attributes);
        push(out, until, clock.resume);
        if let (Ok(from), Ok(until)) = (Timestamp::from_second(from), Timestamp::from_second(until))
        {
            suspensions.push(Suspension { from, until });
        }
        *paused = true;
        target = until + (work - (from - r.start)).max(HOUR);
        lower = until + MINUTE;
    } else {
        target = r.start + work;
        let (allowed, chance) = match r.rule {
            ExtensionRule::UpTo { .. } => (long, 0.6),
            ExtensionRule::Unlimited => (long && statutory, 0.6),
            // Against the promise: rare.
            ExtensionRule::Forbidden => (long, 0.08),
        };
        if allowed
            && share > 0.85
            && ctx.rng.random_bool(chance)
            && let Some(term) = extension_term(&mut ctx.rng, &r.term, &r.rule)
        {
            let announce_target = r.start + seconds(span * uniform(&mut ctx.rng, 0.55, 0.9));
            if let Some(announced) = place(ctx, plan, true, announce_target, lower) {
                let mut attributes = Attributes::new();
                attribute(&mut attributes, AttributeKey::Term, Value::Term(term));
                attribute(
                    &mut attributes,
                    AttributeKey::Reason,
                    reason(&mut ctx.rng, EXTENSION_REASONS),
                );
                push_with(out, announced, clock.extension_event, attributes);
                extensions.push(Extension {
                    term,
                    announced: Timestamp::from_second(announced).ok(),
                });
                lower = announced + MINUTE;
            }
        }
    }
    let Some(stop) = place(ctx, plan, clock.office, target, lower) else {
        return false;
    };
    if let Some(kind) = clock.tussenbericht
        && !out.iter().any(|d| d.kind == kind)
    {
        let with = Clock {
            suspensions,
            extensions,
            extension_rule: r.rule,
            ..Clock::default()
        };
        let due = r
            .term
            .deadline_with_clock(start_ts, &with, clock.calendar)
            .map_or(r.due, |d| d.timestamp().as_second());
        let roll = ctx.rng.random::<f64>();
        let notice = if stop > due {
            if roll < 0.85 {
                let before = due - seconds(span * uniform(&mut ctx.rng, 0.05, 0.3));
                place(ctx, plan, clock.office, before, lower)
            } else if roll < 0.95 {
                let after = due + ctx.rng.random_range(2 * HOUR..3 * DAY);
                place(ctx, plan, clock.office, after, lower)
            } else {
                None
            }
        } else if share > 0.75 && roll < 0.25 {
            let between =
                r.start + seconds((stop - r.start) as f64 * uniform(&mut ctx.rng, 0.5, 0.9));
            place(ctx, plan, clock.office, between, lower)
        } else {
            None
        };
        if let Some(at) = notice.filter(|at| *at < stop) {
            push(out, at, kind);
        }
    }
    push(out, stop, clock.stop);
    true
}

/// The value of an observation's attribute that does or does not qualify.
fn observed_value(rng: &mut ChaCha8Rng, rule: &Qualifies, qualifying: bool) -> Value {
    match (rule.op, &rule.value) {
        (Comparison::Equal, Value::Bool(b)) => Value::Bool(if qualifying { *b } else { !*b }),
        (Comparison::Equal, Value::Integer(x)) => {
            Value::Integer(if qualifying { *x } else { x + 1 })
        }
        (Comparison::AtLeast, Value::Integer(x)) => Value::Integer(if qualifying {
            x + rng.random_range(0..20)
        } else {
            x - 1
        }),
        (Comparison::AtMost, Value::Integer(x)) => Value::Integer(if qualifying {
            x - rng.random_range(0..=(*x).max(0))
        } else {
            x + 1 + rng.random_range(0..20)
        }),
        (_, Value::Text(t)) if !qualifying => Value::Text(format!("niet {t}")),
        (_, other) => other.clone(),
    }
}

/// The observations of one ratio case on one day: a probe every five
/// minutes (with a short outage now and then), or `count` searches.
pub(crate) fn ratio(
    ratio: &RatioPlan,
    ctx: &mut Ctx<'_>,
    date: jiff::civil::Date,
    day: &DayInfo,
    segments: &[(u32, u32, f64)],
    mean: f64,
    out: &mut Vec<Draft>,
) {
    let rng = &mut ctx.rng;
    if ratio.observation == EventType::Probe {
        let probes = (day.end - day.start) / 300;
        let outage = if rng.random_bool(0.04) {
            let from = rng.random_range(0..probes.max(1));
            Some((from, from + 1 + poisson(rng, 3.0) as i64))
        } else {
            None
        };
        for k in 0..probes {
            let at = day.start + k * 300 + rng.random_range(0..4);
            let down = outage.is_some_and(|(a, b)| a <= k && k < b) || rng.random_bool(0.001);
            let mut attributes = Attributes::new();
            attribute(&mut attributes, AttributeKey::Ok, Value::Bool(!down));
            if !down {
                let ttfb = lognormal(rng, 180.0, 0.5).round() as i64;
                attribute(&mut attributes, AttributeKey::TtfbMs, Value::Integer(ttfb));
            }
            if attributes.get(ratio.rule.attribute).is_none() {
                let value = observed_value(rng, &ratio.rule, !down);
                attribute(&mut attributes, ratio.rule.attribute, value);
            }
            push_with(out, at, ratio.observation, attributes);
        }
        return;
    }
    let count = poisson(rng, mean);
    for _ in 0..count {
        let Some(at) = ctx.days.sample(&mut ctx.rng, date, segments) else {
            continue;
        };
        let rng = &mut ctx.rng;
        let mut attributes = Attributes::new();
        let qualifying = !rng.random_bool(0.04);
        if ratio.observation == EventType::Search {
            let results = if qualifying {
                (lognormal(rng, 12.0, 1.2).round() as i64).max(1)
            } else {
                0
            };
            attribute(
                &mut attributes,
                AttributeKey::Results,
                Value::Integer(results),
            );
        }
        if attributes.get(ratio.rule.attribute).is_none() {
            let value = observed_value(rng, &ratio.rule, qualifying);
            attribute(&mut attributes, ratio.rule.attribute, value);
        }
        push_with(out, at, ratio.observation, attributes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quantile_aims_the_share_missed() {
        assert!((normal_quantile(0.975) - 1.96).abs() < 0.001);
        assert!((normal_quantile(0.5)).abs() < 0.001);
        assert!((normal_quantile(0.05) + 1.645).abs() < 0.001);
        // With this median, 10 % of the lognormal shares lie above 1.
        let median = median_share(0.10);
        let z = (1.0 / median).ln() / SIGMA;
        assert!((z - 1.2816).abs() < 0.001);
    }
}
