//! Reports from an event stream: counting rules, periods, groups, and memory
//! that follows the open cases, not the stream.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::{Timestamp, ToSpan};
use servicenorm_core::{
    catalog::{self, CatalogVersions},
    events::{Event, EventType, read::from_csv_fields},
    report::{CaseStream, GroupBy, Per, Report, ReportOptions, Row, StreamOutcome},
    time::{Resolve, parse_instant},
};

fn versions() -> CatalogVersions {
    let text = include_str!("data/catalog_test.toml");
    catalog::parse_versions(&[(text, "catalog_test.toml")]).unwrap()
}

fn event(line: &str) -> Event {
    let fields: Vec<&str> = line.split(',').collect();
    from_csv_fields(&fields).unwrap()
}

fn at(text: &str) -> Timestamp {
    parse_instant(text, Resolve::Reject).unwrap()
}

fn run(
    versions: &CatalogVersions,
    events: Vec<Event>,
    options: ReportOptions,
    as_of: &str,
) -> (Vec<Row>, usize) {
    let mut report = Report::new(versions, options);
    let mut failed = 0;
    let mut stream = CaseStream::new(versions, 14 * 86_400);
    let mut handle = |outcome: StreamOutcome| match outcome {
        StreamOutcome::Judged(evaluation) => report.add(evaluation),
        StreamOutcome::Failed { .. } => failed += 1,
    };
    for e in events {
        stream.push(e, &mut handle);
    }
    stream.finish(at(as_of), &mut handle);
    (report.rows(), failed)
}

fn options(per: Per, by: GroupBy) -> ReportOptions {
    ReportOptions {
        from: None,
        to: None,
        per,
        by,
    }
}

#[test]
fn deadlines_count_when_due_open_cases_past_due_are_missed_and_not_yet_due_ones_left_out() {
    let events = vec![
        // Requested 30 March, due 1 April, answered in time: counts in April.
        event("e1,a,callback_requested,2026-03-30T10:00:00+02:00,terugbelverzoek,,,"),
        event("e2,a,callback_done,2026-03-31T10:00:00+02:00,,,,"),
        // Never called back: past due at the end, missed.
        event("e3,b,callback_requested,2026-04-10T10:00:00+02:00,terugbelverzoek,,,"),
        // Not yet due at the end: open, left out of the share.
        event("e4,c,callback_requested,2026-04-29T16:00:00+02:00,terugbelverzoek,,,"),
    ];
    let (rows, failed) = run(
        &versions(),
        events,
        options(Per::Month, GroupBy::Norm),
        "2026-04-30T12:00:00+02:00",
    );
    assert_eq!(failed, 0);
    let april: Vec<&Row> = rows
        .iter()
        .filter(|r| r.norm == "terugbellen" && r.period.to_string() == "2026-04")
        .collect();
    assert_eq!(april.len(), 1);
    let (met, missed) = (april[0].met, april[0].missed);
    assert_eq!((met, missed), (1, 1));
    assert_eq!(april[0].share_met, Some(0.5));
    assert_eq!(april[0].target_reached, Some(false));
    let may = rows
        .iter()
        .find(|r| r.norm == "terugbellen" && r.period.to_string() == "2026-05")
        .unwrap();
    assert_eq!((may.open, may.met + may.missed), (1, 0));
    assert_eq!(may.share_met, None);
}

#[test]
fn answer_times_give_mean_median_and_90th_percentile_per_quarter_and_municipality() {
    let mut events = Vec::new();
    for (i, wait) in [5, 10, 15, 20, 25, 30, 35, 40, 45, 50].iter().enumerate() {
        let start = at("2026-01-05T09:00:00+01:00")
            .checked_add((i as i64 * 600).seconds())
            .unwrap();
        let answered = start.checked_add((*wait as i64).seconds()).unwrap();
        events.push(event(&format!(
            "q{i},c{i},call_queued,{start},telefoongesprek,test,,"
        )));
        events.push(event(&format!("a{i},c{i},call_answered,{answered},,,,")));
        events.push(event(&format!(
            "x{i},c{i},call_ended,{},,,,",
            answered.checked_add(60.seconds()).unwrap()
        )));
    }
    let (rows, _) = run(
        &versions(),
        events,
        options(Per::Quarter, GroupBy::Municipality),
        "2026-02-01T00:00:00+01:00",
    );
    let row = rows.iter().find(|r| r.norm == "opnemen").unwrap();
    assert_eq!(row.group, "Test");
    assert_eq!(row.period.to_string(), "2026-Q1");
    assert_eq!((row.met, row.missed), (5, 5));
    assert_eq!(row.mean_seconds, Some(27.5));
    assert_eq!(row.median_seconds, Some(25));
    assert_eq!(row.p90_seconds, Some(45));
}

#[test]
fn memory_follows_the_open_cases_not_the_stream() {
    let versions = versions();
    let mut stream = CaseStream::new(&versions, 14 * 86_400);
    let mut judged = 0u64;
    let mut most_open = 0;
    let start = at("2026-01-05T09:00:00+01:00");
    // A year of calls, each settled within minutes: 200 a day.
    for day in 0..360i64 {
        for n in 0..200i64 {
            let t = start
                .checked_add((day * 86_400 + n * 60).seconds())
                .unwrap();
            let case = format!("c{day}-{n}");
            let mut handle = |outcome: StreamOutcome| {
                if let StreamOutcome::Judged(_) = outcome {
                    judged += 1;
                }
            };
            let mut queued = Event::new(format!("{case}-q"), &case, EventType::CallQueued, t);
            queued.case_type = Some("telefoongesprek".into());
            stream.push(queued, &mut handle);
            stream.push(
                Event::new(
                    format!("{case}-a"),
                    &case,
                    EventType::CallAnswered,
                    t.checked_add(10.seconds()).unwrap(),
                ),
                &mut handle,
            );
            stream.push(
                Event::new(
                    format!("{case}-e"),
                    &case,
                    EventType::CallEnded,
                    t.checked_add(70.seconds()).unwrap(),
                ),
                &mut handle,
            );
            most_open = most_open.max(stream.open_cases());
        }
    }
    // At most the horizon's worth of days (14 + 1) is held, not the year.
    assert!(most_open <= 16 * 200, "held {most_open} cases at once");
    assert!(judged >= 340 * 200, "judged {judged}");
}

#[test]
fn an_objection_that_stays_open_for_weeks_is_kept_until_it_is_decided() {
    let events = vec![
        event("e1,o,received,2026-01-05T10:00:00+01:00,bezwaar,,,"),
        // Unrelated traffic moves time on by months.
        event("e2,t,callback_requested,2026-02-02T10:00:00+01:00,terugbelverzoek,,,"),
        event("e3,t,callback_done,2026-02-02T11:00:00+01:00,,,,"),
        event("e4,o,decided,2026-02-13T10:00:00+01:00,,,,"),
        event("e5,u,callback_requested,2026-04-02T10:00:00+02:00,terugbelverzoek,,,"),
    ];
    let (rows, failed) = run(
        &versions(),
        events,
        options(Per::Quarter, GroupBy::Norm),
        "2026-04-30T00:00:00+02:00",
    );
    assert_eq!(failed, 0);
    let objection = rows.iter().find(|r| r.norm == "bezwaar-besluit").unwrap();
    // 6 weken from 5 January: 16 February; decided 13 February: met.
    assert_eq!((objection.met, objection.missed), (1, 0));
}

#[test]
fn a_case_that_cannot_be_judged_fails_once_also_when_more_events_come_later() {
    let events = vec![
        // No event names the case type: case x cannot be judged.
        event("f1,x,callback_done,2026-04-01T10:00:00+02:00,,,,"),
        event("g1,y,callback_requested,2026-04-20T10:00:00+02:00,terugbelverzoek,,,"),
        // Weeks later, after x has been judged and failed.
        event("f2,x,callback_done,2026-05-01T10:00:00+02:00,,,,"),
        event("g2,z,callback_requested,2026-05-20T10:00:00+02:00,terugbelverzoek,,,"),
    ];
    let (_, failed) = run(
        &versions(),
        events,
        options(Per::Month, GroupBy::Norm),
        "2026-05-31T12:00:00+02:00",
    );
    assert_eq!(failed, 1);
}

#[test]
fn events_pushed_in_batches_give_the_same_report_as_one_by_one() {
    let versions = versions();
    let start = at("2026-01-05T09:00:00+01:00");
    let mut events = Vec::new();
    // Two months of calls and callbacks, some done late, and a few events
    // repeated long after their case was counted.
    for day in 0..60i64 {
        for n in 0..20i64 {
            let t = start
                .checked_add((day * 86_400 + n * 1_200).seconds())
                .unwrap();
            let call = format!("c{day}-{n}");
            let mut queued = Event::new(format!("{call}-q"), &call, EventType::CallQueued, t);
            queued.case_type = Some("telefoongesprek".into());
            events.push(queued);
            let answered_after = if n % 4 == 0 { 40 } else { 10 };
            let answered = t.checked_add(answered_after.seconds()).unwrap();
            events.push(Event::new(
                format!("{call}-a"),
                &call,
                EventType::CallAnswered,
                answered,
            ));
            let ended = t.checked_add(300.seconds()).unwrap();
            events.push(Event::new(
                format!("{call}-e"),
                &call,
                EventType::CallEnded,
                ended,
            ));
            if n % 5 == 0 {
                let back = format!("b{day}-{n}");
                let mut asked =
                    Event::new(format!("{back}-r"), &back, EventType::CallbackRequested, t);
                asked.case_type = Some("terugbelverzoek".into());
                events.push(asked);
                let done = t.checked_add((n % 3 * 86_400 + 3_600).seconds()).unwrap();
                events.push(Event::new(
                    format!("{back}-d"),
                    &back,
                    EventType::CallbackDone,
                    done,
                ));
            }
        }
    }
    events.sort_by_key(|e| e.at);
    // Late repeats: callbacks of day 3 done again, over a month on.
    let late: Vec<Event> = events
        .iter()
        .filter(|e| e.kind == EventType::CallbackDone && e.id.starts_with("b3-"))
        .cloned()
        .collect();
    let at_day_40 =
        events.partition_point(|e| e.at < start.checked_add((40 * 86_400).seconds()).unwrap());
    events.splice(at_day_40..at_day_40, late);

    let judge = |batch: usize| {
        let mut report = Report::new(&versions, options(Per::Month, GroupBy::Norm));
        let mut failed = 0;
        let mut stream = CaseStream::new(&versions, 14 * 86_400);
        let mut handle = |outcome: StreamOutcome| match outcome {
            StreamOutcome::Judged(evaluation) => report.add(evaluation),
            StreamOutcome::Failed { .. } => failed += 1,
        };
        if batch == 1 {
            for e in events.clone() {
                stream.push(e, &mut handle);
            }
        } else {
            for chunk in events.chunks(batch) {
                stream.push_all(&mut chunk.to_vec(), &mut handle);
            }
        }
        let late = stream.late_events();
        stream.finish(at("2026-04-01T00:00:00+02:00"), &mut handle);
        (report.rows(), failed, late)
    };
    let one_by_one = judge(1);
    assert!(one_by_one.2 > 0, "the late repeats were recognised");
    assert!(!one_by_one.0.is_empty());
    assert_eq!(judge(7), one_by_one);
    assert_eq!(judge(32), one_by_one);
}
