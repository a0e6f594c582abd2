//! Judging cases against a catalog: states, deadlines, limits, findings, and
//! independence of the order in which events arrive.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use jiff::Timestamp;
use proptest::prelude::*;
use servicenorm_core::{
    catalog::{self, CatalogVersions},
    evaluation::{Detail, Evaluation, Measured, State, Tussenbericht, evaluate},
    events::{CaseError, CaseEvents, Event, read::from_csv_fields},
    time::{Resolve, parse_instant},
};

fn versions() -> &'static CatalogVersions {
    static V: OnceLock<CatalogVersions> = OnceLock::new();
    V.get_or_init(|| {
        let text = include_str!("data/catalog_test.toml");
        catalog::parse_versions(&[(text, "catalog_test.toml")]).unwrap()
    })
}

fn at(text: &str) -> Timestamp {
    parse_instant(text, Resolve::Reject).unwrap()
}

/// Events as CSV lines without the header: id,case,type,at,case_type,municipality,team,attributes
fn events(lines: &[&str]) -> Vec<Event> {
    lines
        .iter()
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            from_csv_fields(&fields).unwrap()
        })
        .collect()
}

fn judge(lines: &[&str], as_of: &str) -> Evaluation {
    let case = CaseEvents::new(events(lines)).unwrap();
    evaluate(versions(), &case, at(as_of), Detail::Explained).unwrap()
}

fn state(evaluation: &Evaluation, norm: &str) -> State {
    evaluation
        .norms
        .iter()
        .find(|n| &*n.norm == norm)
        .unwrap_or_else(|| panic!("no {norm}"))
        .state
}

const CALLBACK: &str = "e1,z1,callback_requested,2026-04-02T10:00:00+02:00,terugbelverzoek,,,";

#[test]
fn a_callback_runs_becomes_at_risk_and_is_met_or_missed() {
    // 2 werkdagen from Thursday 2 April: Good Friday counts, Easter Monday not: Tuesday 7 April 23:59:59.
    let running = judge(&[CALLBACK], "2026-04-03T09:00:00+02:00");
    assert_eq!(state(&running, "terugbellen"), State::Lopend);
    let result = &running.norms[0];
    assert_eq!(
        result.deadline.unwrap().to_string(),
        "2026-04-07T23:59:59+02:00"
    );
    assert!(
        result
            .explanation
            .as_ref()
            .unwrap()
            .adjustments
            .iter()
            .any(|a| a.text.contains("Tweede Paasdag"))
    );
    // 75% of the 5 days 14 hours from start to deadline: Monday 6 April 14:29:59.
    assert_eq!(
        result.at_risk_from.unwrap().to_string(),
        "2026-04-06T14:29:59+02:00"
    );
    assert_eq!(
        state(
            &judge(&[CALLBACK], "2026-04-07T09:00:00+02:00"),
            "terugbellen"
        ),
        State::DreigtTeVerlopen
    );
    assert_eq!(
        state(
            &judge(&[CALLBACK], "2026-04-08T00:00:00+02:00"),
            "terugbellen"
        ),
        State::NietGehaald
    );

    let met = judge(
        &[
            CALLBACK,
            "e2,z1,callback_done,2026-04-07T16:00:00+02:00,,,,",
        ],
        "2026-05-01T00:00:00+02:00",
    );
    assert_eq!(state(&met, "terugbellen"), State::Gehaald);
    assert_eq!(met.norms[0].elapsed_seconds, Some(5 * 86400 + 6 * 3600));
    let late = judge(
        &[
            CALLBACK,
            "e2,z1,callback_done,2026-04-08T08:00:00+02:00,,,,",
        ],
        "2026-05-01T00:00:00+02:00",
    );
    assert_eq!(state(&late, "terugbellen"), State::NietGehaald);
    assert_eq!(met.team.as_deref(), Some("kcc"));
    assert_eq!(met.municipality.as_deref(), Some("test"));
}

#[test]
fn a_pause_stops_the_clock_and_an_open_pause_shows_as_paused() {
    let lines = [
        "e1,z2,received,2026-03-02T10:00:00+01:00,brief,,,",
        "e2,z2,suspended,2026-03-03T10:00:00+01:00,,,,reason=wacht op inwoner",
    ];
    let paused = judge(&lines, "2026-03-10T10:00:00+01:00");
    assert_eq!(state(&paused, "brief-antwoord"), State::Gepauzeerd);
    let resumed = judge(
        &[
            lines[0],
            lines[1],
            "e3,z2,resumed,2026-03-06T10:00:00+01:00,,,,",
        ],
        "2026-03-10T10:00:00+01:00",
    );
    // 2 weken from 2 March ends 16 March; three whole paused days add 3 (policy days counted as Awb 4:15: 4-5-6 March -> 2 days).
    let deadline = resumed.norms[0].deadline.unwrap().to_string();
    assert_eq!(deadline, "2026-03-18T23:59:59+01:00");
}

#[test]
fn an_answer_without_a_start_is_reported_not_guessed() {
    let evaluation = judge(
        &["e9,z3,answered,2026-03-02T10:00:00+01:00,brief,,,"],
        "2026-03-10T10:00:00+01:00",
    );
    assert_eq!(
        state(&evaluation, "brief-antwoord"),
        State::NietVanToepassing
    );
    assert_eq!(evaluation.findings.len(), 1);
    assert_eq!(evaluation.findings[0].event.as_deref(), Some("e9"));
    assert!(
        evaluation.findings[0]
            .text
            .contains("zonder dat de klok is gestart"),
        "{:?}",
        evaluation.findings
    );
}

#[test]
fn repeated_events_are_ignored_and_conflicting_ones_refused() {
    let same = events(&[CALLBACK, CALLBACK]);
    assert_eq!(CaseEvents::new(same).unwrap().events().len(), 1);
    let conflict = events(&[
        CALLBACK,
        "e1,z1,callback_requested,2026-04-02T11:00:00+02:00,terugbelverzoek,,,",
    ]);
    match CaseEvents::new(conflict) {
        Err(CaseError::ConflictingDuplicate { id, first, second }) => {
            assert_eq!(id, "e1");
            assert!(
                first.contains("10:00:00") && second.contains("11:00:00"),
                "{first} / {second}"
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn an_objection_extended_against_the_promise_is_missed_and_the_committee_takes_twelve_weeks() {
    let base = "e1,z4,received,2026-03-12T10:00:00+01:00,bezwaar,,,";
    let decided_in_time = "e3,z4,decided,2026-04-20T10:00:00+02:00,,,,";
    assert_eq!(
        state(
            &judge(&[base, decided_in_time], "2026-06-01T00:00:00+02:00"),
            "bezwaar-besluit"
        ),
        State::Gehaald
    );
    let extended = judge(
        &[
            base,
            "e2,z4,extended,2026-04-01T10:00:00+02:00,,,,term=6 weken",
            decided_in_time,
        ],
        "2026-06-01T00:00:00+02:00",
    );
    assert_eq!(state(&extended, "bezwaar-besluit"), State::NietGehaald);
    let committee = judge(
        &["e1,z5,received,2026-03-12T10:00:00+01:00,bezwaar,,,advisory_committee=true"],
        "2026-03-13T00:00:00+01:00",
    );
    assert_eq!(
        committee.norms[0].deadline.unwrap().to_string(),
        "2026-06-04T23:59:59+02:00"
    );
}

#[test]
fn the_decision_term_on_an_objection_starts_after_the_objection_term() {
    // Bekendmaking Thursday 12 March 2026: the objection term ends Thursday
    // 23 April; Awb 7:10 counts six weeks from there: Thursday 4 June (V26).
    let on_time = judge(
        &[
            "e1,z30,received,2026-03-20T10:00:00+01:00,bezwaar,,,published_at=2026-03-12T09:00:00+01:00",
        ],
        "2026-03-21T00:00:00+01:00",
    );
    assert_eq!(
        on_time.norms[0].deadline.unwrap().to_string(),
        "2026-06-04T23:59:59+02:00"
    );
    assert!(on_time.findings.is_empty(), "{:?}", on_time.findings);
    // Decided before the objection term ended: met.
    let early = judge(
        &[
            "e1,z31,received,2026-03-20T10:00:00+01:00,bezwaar,,,published_at=2026-03-12T09:00:00+01:00",
            "e2,z31,decided,2026-04-10T10:00:00+02:00,,,,",
        ],
        "2026-07-01T00:00:00+02:00",
    );
    assert_eq!(state(&early, "bezwaar-besluit"), State::Gehaald);
    // Without the bekendmaking the clock starts at receipt, and says so.
    let unknown = judge(
        &["e1,z32,received,2026-03-20T10:00:00+01:00,bezwaar,,,"],
        "2026-03-21T00:00:00+01:00",
    );
    assert_eq!(
        unknown.norms[0].deadline.unwrap().to_string(),
        "2026-05-01T23:59:59+02:00"
    );
    assert!(
        unknown.findings[0].text.contains("published_at ontbreekt"),
        "{:?}",
        unknown.findings
    );
}

#[test]
fn a_request_takes_the_legal_term_of_its_product() {
    let evaluation = judge(
        &["e1,z6,received,2026-03-02T10:00:00+01:00,aanvraag,,,product=omgevingsvergunning"],
        "2026-03-03T00:00:00+01:00",
    );
    // 8 weken from Monday 2 March ends on Koningsdag, 27 April: Tuesday 28 April.
    assert_eq!(
        evaluation.norms[0].deadline.unwrap().to_string(),
        "2026-04-28T23:59:59+02:00"
    );
    let unknown = judge(
        &["e1,z7,received,2026-03-02T10:00:00+01:00,aanvraag,,,"],
        "2026-03-03T00:00:00+01:00",
    );
    assert_eq!(
        state(&unknown, "aanvraag-besluit"),
        State::NietVanToepassing
    );
    assert_eq!(unknown.findings.len(), 1);
}

#[test]
fn a_weekend_message_is_due_the_next_working_day_at_noon() {
    let weekend = judge(
        &["e1,z8,received,2026-03-28T14:00:00+01:00,bericht,,,"],
        "2026-03-28T15:00:00+01:00",
    );
    assert_eq!(
        weekend.norms[0].deadline.unwrap().to_string(),
        "2026-03-30T12:00:00+02:00"
    );
    let weekday = judge(
        &["e1,z9,received,2026-03-31T16:00:00+02:00,bericht,,,"],
        "2026-03-31T16:30:00+02:00",
    );
    assert_eq!(
        weekday.norms[0].deadline.unwrap().to_string(),
        "2026-04-01T09:30:00+02:00"
    );
}

#[test]
fn counter_waiting_time_counts_from_the_appointment_if_that_is_later() {
    let with_appointment = judge(
        &[
            "e1,z10,ticket_issued,2026-03-02T09:50:00+01:00,baliebezoek,,,appointment=true;appointment_at=2026-03-02T10:00:00+01:00",
            "e2,z10,ticket_called,2026-03-02T10:04:00+01:00,,,,",
            "e3,z10,expected_date_given,2026-03-02T10:10:00+01:00,,,,",
            "e4,z10,closed,2026-03-02T10:12:00+01:00,,,,",
        ],
        "2026-03-02T11:00:00+01:00",
    );
    assert_eq!(
        state(&with_appointment, "wachttijd-afspraak"),
        State::Gehaald
    );
    assert_eq!(
        state(&with_appointment, "wachttijd"),
        State::NietVanToepassing
    );
    assert_eq!(state(&with_appointment, "direct-antwoord"), State::Gehaald);
    let result = with_appointment
        .norms
        .iter()
        .find(|n| &*n.norm == "wachttijd-afspraak")
        .unwrap();
    assert_eq!(
        result.measured,
        Some(Measured::Seconds {
            value: 240,
            limit: 300
        })
    );

    let walk_in = judge(
        &[
            "e1,z11,ticket_issued,2026-03-02T09:50:00+01:00,baliebezoek,,,",
            "e2,z11,ticket_called,2026-03-02T10:06:00+01:00,,,,",
            "e3,z11,closed,2026-03-02T10:12:00+01:00,,,,",
        ],
        "2026-03-02T11:00:00+01:00",
    );
    assert_eq!(state(&walk_in, "wachttijd"), State::NietGehaald);
    assert_eq!(state(&walk_in, "direct-antwoord"), State::NietGehaald);
}

#[test]
fn phone_limits_are_judged_per_call() {
    let call = judge(
        &[
            "e1,c1,call_queued,2026-03-02T10:00:00+01:00,telefoongesprek,,,",
            "e2,c1,call_answered,2026-03-02T10:00:20+01:00,,,,",
            "e3,c1,call_transferred,2026-03-02T10:02:00+01:00,,,,",
            "e4,c1,call_transferred,2026-03-02T10:03:00+01:00,,,,",
            "e5,c1,call_transferred,2026-03-02T10:04:00+01:00,,,,",
            "e6,c1,call_ended,2026-03-02T10:09:00+01:00,,,,",
        ],
        "2026-03-02T11:00:00+01:00",
    );
    assert_eq!(state(&call, "opnemen"), State::Gehaald);
    assert_eq!(state(&call, "doorverbinden"), State::NietGehaald);
    let hung_up_quickly = judge(
        &[
            "e1,c2,call_queued,2026-03-02T10:00:00+01:00,telefoongesprek,,,",
            "e2,c2,call_abandoned,2026-03-02T10:00:10+01:00,,,,",
        ],
        "2026-03-02T11:00:00+01:00",
    );
    assert_eq!(state(&hung_up_quickly, "opnemen"), State::NietVanToepassing);
    let hung_up_late = judge(
        &[
            "e1,c3,call_queued,2026-03-02T10:00:00+01:00,telefoongesprek,,,",
            "e2,c3,call_abandoned,2026-03-02T10:01:10+01:00,,,,",
        ],
        "2026-03-02T11:00:00+01:00",
    );
    assert_eq!(state(&hung_up_late, "opnemen"), State::NietGehaald);
}

#[test]
fn a_tussenbericht_before_the_deadline_meets_its_norm_even_when_the_answer_is_late() {
    let received = "e1,z12,received,2026-03-02T10:00:00+01:00,brief,,,";
    let late_answer = "e3,z12,answered,2026-03-20T10:00:00+01:00,,,,";
    let with_notice = judge(
        &[
            received,
            "e2,z12,tussenbericht_sent,2026-03-12T10:00:00+01:00,,,,",
            late_answer,
        ],
        "2026-04-01T00:00:00+02:00",
    );
    assert_eq!(state(&with_notice, "brief-antwoord"), State::NietGehaald);
    assert_eq!(state(&with_notice, "brief-tussenbericht"), State::Gehaald);
    assert_eq!(
        with_notice.norms[0].tussenbericht,
        Some(Tussenbericht::OnTime)
    );
    let without = judge(&[received, late_answer], "2026-04-01T00:00:00+02:00");
    assert_eq!(state(&without, "brief-tussenbericht"), State::NietGehaald);
    assert_eq!(without.norms[0].tussenbericht, Some(Tussenbericht::Owed));
    let owed = judge(&[received], "2026-03-14T00:00:00+01:00");
    assert_eq!(state(&owed, "brief-tussenbericht"), State::DreigtTeVerlopen);
}

#[test]
fn website_searches_count_as_a_share() {
    let day = judge(
        &[
            "s1,web-2026-03-02,search,2026-03-02T10:00:00+01:00,website,,,results=4",
            "s2,web-2026-03-02,search,2026-03-02T10:01:00+01:00,,,,results=0",
            "s3,web-2026-03-02,search,2026-03-02T10:02:00+01:00,,,,results=12",
        ],
        "2026-03-03T00:00:00+01:00",
    );
    let result = &day.norms[0];
    assert_eq!(
        result.measured,
        Some(Measured::Observations {
            total: 3,
            qualifying: 2
        })
    );
}

#[test]
fn a_case_is_judged_by_the_catalog_version_in_force_when_it_was_received() {
    let old = include_str!("data/catalog_test.toml");
    let new = old
        .replace("valid_from = 2026-01-01", "valid_from = 2026-06-01")
        .replace("term = \"2 werkdagen\"", "term = \"1 werkdag\"");
    let versions = catalog::parse_versions(&[(old, "oud.toml"), (&new, "nieuw.toml")]).unwrap();
    let judge_in = |received: &str| {
        let line = format!("e1,z,callback_requested,{received},terugbelverzoek,,,");
        let case = CaseEvents::new(events(&[&line])).unwrap();
        evaluate(&versions, &case, at(received), Detail::Brief)
            .unwrap()
            .norms[0]
            .deadline
            .unwrap()
            .to_string()
    };
    assert_eq!(
        judge_in("2026-05-28T10:00:00+02:00"),
        "2026-06-01T23:59:59+02:00"
    );
    assert_eq!(
        judge_in("2026-06-02T10:00:00+02:00"),
        "2026-06-03T23:59:59+02:00"
    );

    let same_day = catalog::parse_versions(&[(old, "oud.toml"), (old, "kopie.toml")])
        .unwrap_err()
        .to_string();
    assert!(
        same_day.contains("kopie.toml:4:14: valid_from: twee versies gaan in op 2026-01-01"),
        "{same_day}"
    );
}

#[test]
fn a_tussenbericht_names_only_real_problems_with_the_norm_it_belongs_to() {
    let text = include_str!("data/catalog_test.toml");
    // The deadline norm has a bad term: that is its one problem. The
    // tussenbericht that belongs to it is not reported as "onbekend".
    let broken = text.replacen(
        "term = \"2 weken\"\ncalendar = \"test\"\nstart = \"received\"",
        "term = \"2 weeken\"\ncalendar = \"test\"\nstart = \"received\"",
        1,
    );
    assert_ne!(broken, text);
    let error = catalog::parse(&broken, "c.toml").unwrap_err().to_string();
    assert!(error.contains("weeken"), "{error}");
    assert!(!error.contains("onbekende norm"), "{error}");

    let unknown = text.replace("of = \"brief-antwoord\"", "of = \"brief-antwoordd\"");
    let error = catalog::parse(&unknown, "c.toml").unwrap_err().to_string();
    assert!(
        error.contains("norms.of: onbekende norm \"brief-antwoordd\""),
        "{error}"
    );
}

const SCENARIO: [&str; 8] = [
    "e1,z20,received,2026-03-02T10:00:00+01:00,bezwaar,,,advisory_committee=false",
    "e2,z20,suspended,2026-03-05T10:00:00+01:00,,,,reason=herstel verzuim",
    "e3,z20,resumed,2026-03-10T10:00:00+01:00,,,,",
    "e4,z20,tussenbericht_sent,2026-03-20T10:00:00+01:00,,,,",
    "e5,z20,decided,2026-04-10T10:00:00+02:00,,,,",
    "e6,z20,closed,2026-04-11T10:00:00+02:00,,,,",
    "e7,z20,reopened,2026-04-12T10:00:00+02:00,,,,",
    "e8,z20,decided,2026-04-20T10:00:00+02:00,,,,",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// The result does not depend on the order in which events arrive, nor
    /// on a repeated delivery of the same event.
    #[test]
    fn arrival_order_does_not_matter(order in Just((0..SCENARIO.len()).collect::<Vec<_>>()).prop_shuffle(), repeat in 0..SCENARIO.len()) {
        let in_order = judge(&SCENARIO, "2026-05-01T00:00:00+02:00");
        let mut shuffled: Vec<&str> = order.iter().map(|&i| SCENARIO[i]).collect();
        shuffled.push(SCENARIO[repeat]);
        let other = judge(&shuffled, "2026-05-01T00:00:00+02:00");
        prop_assert_eq!(in_order, other);
    }
}
