//! One test suite for both backends: always on an embedded SQLite file, and
//! on PostgreSQL when `SERVICENORM_TEST_POSTGRES` names a server (`.ci/run`
//! sets it; each run gets a fresh database there).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::{Timestamp, civil::date};
use servicenorm_core::events::{
    Event,
    attributes::AttributeKey,
    read::{from_csv_fields, from_json_line},
};
use servicenorm_storage::{
    Actor, CaseRow, ClockRow, Contact, NewUser, QueueFilter, Settled, StorageError, Store,
};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn event(line: &str) -> Event {
    from_csv_fields(&line.split(',').collect::<Vec<_>>()).unwrap()
}

fn actor() -> Actor {
    Actor::new("test", "token:test")
}

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("servicenorm.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    (store, dir)
}

/// A fresh database on the PostgreSQL server (and its name), or `None` when
/// no server is named.
async fn postgres() -> Option<(Store, String)> {
    let server = std::env::var("SERVICENORM_TEST_POSTGRES").ok()?;
    let name = format!(
        "servicenorm_test_{}_{}",
        std::process::id(),
        Timestamp::now().as_nanosecond() % 1_000_000_000
    );
    let url = Store::create_postgres_database(&server, &name)
        .await
        .expect("SERVICENORM_TEST_POSTGRES is set but the server does not answer");
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    Some((store, name))
}

async fn drop_database(name: &str) {
    let server = std::env::var("SERVICENORM_TEST_POSTGRES").unwrap();
    Store::drop_postgres_database(&server, name).await.unwrap();
}

async fn catalogs_are_versioned_and_a_second_version_on_one_day_is_refused(store: &Store) {
    let parsed = serde_json::json!({"id": "test"});
    let now = at("2026-01-01T10:00:00Z");
    store
        .put_catalog(
            "test",
            date(2026, 1, 1),
            "id = \"test\"",
            &parsed,
            &actor(),
            now,
        )
        .await
        .unwrap();
    store
        .put_catalog(
            "test",
            date(2026, 6, 1),
            "id = \"test\" # v2",
            &parsed,
            &actor(),
            now,
        )
        .await
        .unwrap();
    match store
        .put_catalog("test", date(2026, 6, 1), "x", &parsed, &actor(), now)
        .await
    {
        Err(StorageError::CatalogExists { valid_from, .. }) => assert_eq!(valid_from, "2026-06-01"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let versions = store.catalogs("test").await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].valid_from, date(2026, 6, 1));
    assert_eq!(versions[1].toml, "id = \"test\" # v2");
    assert_eq!(versions[0].stored_at, now);
}

async fn events_are_idempotent_and_a_bad_batch_stores_nothing(store: &Store) {
    let batch = vec![
        event("e2,z1,callback_done,2026-04-03T10:00:00+02:00,,,,"),
        event("e1,z1,callback_requested,2026-04-02T10:00:00+02:00,terugbelverzoek,test,kcc,"),
        event("e3,z2,received,2026-04-02T11:00:00+02:00,brief,test,,contact_needed=true"),
    ];
    let now = at("2026-04-03T12:00:00Z");
    let first = store.append_events(&batch, &actor(), now).await.unwrap();
    assert_eq!((first.stored, first.repeated), (3, 0));
    assert_eq!(first.cases, ["z1", "z2"]);
    let again = store.append_events(&batch, &actor(), now).await.unwrap();
    assert_eq!((again.stored, again.repeated, again.cases.len()), (0, 3, 0));
    // A stored event beside a new one in one statement: only the new one is
    // stored, and only its case counts as changed.
    let mixed = vec![
        batch[2].clone(),
        event("e5,z4,received,2026-04-05T10:00:00+02:00,brief,test,,"),
    ];
    let outcome = store.append_events(&mixed, &actor(), now).await.unwrap();
    assert_eq!((outcome.stored, outcome.repeated), (1, 1));
    assert_eq!(outcome.cases, ["z4"]);

    let conflicting = vec![
        event("e4,z3,received,2026-04-04T10:00:00+02:00,brief,test,,"),
        event("e1,z1,callback_requested,2026-04-02T11:00:00+02:00,terugbelverzoek,test,kcc,"),
    ];
    match store.append_events(&conflicting, &actor(), now).await {
        Err(StorageError::EventConflict {
            id,
            stored,
            offered,
        }) => {
            assert_eq!(id, "e1");
            assert!(stored.contains("10:00:00") && offered.contains("11:00:00"));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Nothing of the failed batch was stored.
    assert!(store.case_events("z3").await.unwrap().is_empty());

    let events = store.case_events("z1").await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["e1", "e2"]
    );
    assert_eq!(events[0], batch[1]);
    let audit = store.audit(0, 100).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "events.append" && a.via == "token:test"),
        "{audit:?}"
    );
}

fn clock(case: &str, norm: &str, state: &str, deadline: &str, team: &str) -> ClockRow {
    ClockRow {
        case_id: case.to_string(),
        norm_id: norm.to_string(),
        kind: "deadline".to_string(),
        state: state.to_string(),
        case_type: "brief".to_string(),
        channel: "post".to_string(),
        municipality: Some("test".to_string()),
        team: Some(team.to_string()),
        start_at: Some(at("2026-04-01T08:00:00Z")),
        stop_at: None,
        deadline: Some(at(deadline)),
        at_risk_from: None,
        message: None,
    }
}

fn case(id: &str) -> CaseRow {
    CaseRow {
        case_id: id.to_string(),
        case_type: "brief".to_string(),
        municipality: Some("test".to_string()),
        team: Some("kcc".to_string()),
        received_at: at("2026-04-01T08:00:00Z"),
        catalog_valid_from: date(2026, 1, 1),
    }
}

async fn the_queue_is_sorted_by_deadline_filtered_and_paged(store: &Store) {
    let now = at("2026-04-02T08:00:00Z");
    for i in 0..25 {
        let id = format!("c{i:02}");
        let deadline = format!("2026-04-{:02}T21:59:59Z", 10 + (i * 7) % 13);
        let state = if i % 5 == 0 {
            "dreigt_te_verlopen"
        } else {
            "lopend"
        };
        let team = if i % 2 == 0 { "kcc" } else { "juridisch" };
        let clocks = [
            clock(&id, "antwoord", state, &deadline, team),
            clock(&id, "ontvangst", "gehaald", "2026-04-03T21:59:59Z", team),
        ];
        store.put_case(&case(&id), &clocks, now).await.unwrap();
    }
    let open = QueueFilter {
        states: vec!["lopend".into(), "dreigt_te_verlopen".into()],
        ..QueueFilter::default()
    };
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.clocks(&open, cursor.as_ref(), 10).await.unwrap();
        assert!(page.items.len() <= 10);
        seen.extend(page.items);
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    let deadlines: Vec<_> = seen
        .iter()
        .map(|c| (c.deadline, c.case_id.clone()))
        .collect();
    let mut sorted = deadlines.clone();
    sorted.sort();
    assert_eq!(deadlines, sorted);

    let at_risk_kcc = QueueFilter {
        states: vec!["dreigt_te_verlopen".into()],
        team: Some("kcc".into()),
        ..QueueFilter::default()
    };
    let page = store.clocks(&at_risk_kcc, None, 50).await.unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|c| c.case_id.as_str())
            .collect::<Vec<_>>()
            .len(),
        3
    );
    assert!(
        page.items
            .iter()
            .all(|c| c.team.as_deref() == Some("kcc") && c.state == "dreigt_te_verlopen")
    );

    // Judging a case again replaces its clocks.
    store
        .put_case(
            &case("c00"),
            &[clock(
                "c00",
                "antwoord",
                "gehaald",
                "2026-04-10T21:59:59Z",
                "kcc",
            )],
            now,
        )
        .await
        .unwrap();
    let page = store.clocks(&at_risk_kcc, None, 50).await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        store.case("c00").await.unwrap().unwrap().catalog_valid_from,
        date(2026, 1, 1)
    );
    assert!(store.case("onbekend").await.unwrap().is_none());
}

/// The werkvoorraad holds work only: not a met notice that was never
/// needed, nor a call that was answered late, though neither has a stop.
async fn the_work_queue_leaves_out_what_asks_for_nothing(store: &Store) {
    let now = at("2026-04-02T08:00:00Z");
    let running = clock("w1", "antwoord", "lopend", "2026-04-10T21:59:59Z", "werk");
    let not_needed = clock(
        "w1",
        "tussenbericht",
        "gehaald",
        "2026-04-08T21:59:59Z",
        "werk",
    );
    let overdue = clock(
        "w2",
        "antwoord",
        "niet_gehaald",
        "2026-04-01T21:59:59Z",
        "werk",
    );
    let answered_late = ClockRow {
        kind: "limit".to_string(),
        ..clock(
            "w3",
            "opnemen",
            "niet_gehaald",
            "2026-04-01T08:00:25Z",
            "werk",
        )
    };
    let done = ClockRow {
        stop_at: Some(at("2026-04-01T12:00:00Z")),
        ..clock("w4", "antwoord", "gehaald", "2026-04-05T21:59:59Z", "werk")
    };
    store
        .put_case(&case("w1"), &[running, not_needed], now)
        .await
        .unwrap();
    store.put_case(&case("w2"), &[overdue], now).await.unwrap();
    store
        .put_case(&case("w3"), &[answered_late], now)
        .await
        .unwrap();
    store.put_case(&case("w4"), &[done], now).await.unwrap();
    let work = QueueFilter {
        team: Some("werk".into()),
        unfinished: true,
        ..QueueFilter::default()
    };
    let page = store.clocks(&work, None, 50).await.unwrap();
    let found: Vec<(&str, &str)> = page
        .items
        .iter()
        .map(|c| (c.case_id.as_str(), c.norm_id.as_str()))
        .collect();
    assert_eq!(found, [("w2", "antwoord"), ("w1", "antwoord")]);
    // Without the filter, every clock with a deadline is listed.
    let all = QueueFilter {
        team: Some("werk".into()),
        ..QueueFilter::default()
    };
    assert_eq!(store.clocks(&all, None, 50).await.unwrap().items.len(), 5);
}

/// A clock judged again is stored as judged: a new deadline or team (an
/// extension, a case handed to another team) as well as a new state with
/// the same deadline and team, which is written without those two.
async fn a_clock_judged_again_is_stored_as_judged(store: &Store) {
    let now = at("2026-04-02T08:00:00Z");
    let mine = |c: &ClockRow| c.case_id == "j1";
    let stored = || async {
        let page = store
            .clocks(&QueueFilter::default(), None, 500)
            .await
            .unwrap();
        page.items.into_iter().filter(mine).collect::<Vec<_>>()
    };
    let first = clock("j1", "antwoord", "lopend", "2026-04-10T21:59:59Z", "kcc");
    store.put_case(&case("j1"), &[first], now).await.unwrap();
    let extended = clock(
        "j1",
        "antwoord",
        "lopend",
        "2026-04-24T21:59:59Z",
        "juridisch",
    );
    store
        .put_case(&case("j1"), std::slice::from_ref(&extended), now)
        .await
        .unwrap();
    assert_eq!(stored().await, std::slice::from_ref(&extended));
    let met = ClockRow {
        state: "gehaald".to_string(),
        stop_at: Some(at("2026-04-20T12:00:00Z")),
        ..extended
    };
    store
        .put_case(&case("j1"), std::slice::from_ref(&met), now)
        .await
        .unwrap();
    assert_eq!(stored().await, [met]);
}

async fn tokens_are_found_by_hash_and_names_are_unique(store: &Store) {
    let now = at("2026-04-02T08:00:00Z");
    store
        .create_token("telefonie", "hash-1", "write", &actor(), now)
        .await
        .unwrap();
    match store
        .create_token("telefonie", "hash-2", "read", &actor(), now)
        .await
    {
        Err(StorageError::TokenExists(name)) => assert_eq!(name, "telefonie"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let found = store.token("hash-1").await.unwrap().unwrap();
    assert_eq!(
        (found.name.as_str(), found.scopes.as_str()),
        ("telefonie", "write")
    );
    assert!(store.token("hash-2").await.unwrap().is_none());
}

async fn the_scheduler_moves_clocks_with_time_and_notifies_exactly_once(store: &Store) {
    let now = at("2026-05-01T08:00:00Z");
    let mut running = clock("t1", "antwoord", "lopend", "2026-05-10T21:59:59Z", "kcc");
    running.at_risk_from = Some(at("2026-05-08T12:00:00Z"));
    let mut notice = clock(
        "t1",
        "tussenbericht",
        "lopend",
        "2026-05-10T21:59:59Z",
        "kcc",
    );
    notice.kind = "tussenbericht".to_string();
    notice.at_risk_from = running.at_risk_from;
    store
        .put_case(&case("t1"), &[running, notice], now)
        .await
        .unwrap();
    let before = store.outbox(0, None, 1000).await.unwrap().len();

    // The queue test's April clocks are missed by now; this case is not yet at risk.
    let quiet = store.tick(at("2026-05-05T08:00:00Z")).await.unwrap();
    assert_eq!(quiet.at_risk, 0);
    // Two instances at the same moment: one pass does the work, once.
    let (a, b) = tokio::join!(
        store.tick(at("2026-05-09T08:00:00Z")),
        store.tick(at("2026-05-09T08:00:00Z"))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.at_risk + b.at_risk, 2);
    let again = store.tick(at("2026-05-09T09:00:00Z")).await.unwrap();
    assert_eq!(again.at_risk, 0);
    store.tick(at("2026-05-11T08:00:00Z")).await.unwrap();
    store.tick(at("2026-05-12T08:00:00Z")).await.unwrap();

    let items: Vec<_> = store
        .outbox(0, None, 1000)
        .await
        .unwrap()
        .into_iter()
        .skip(before)
        .filter(|n| n.case_id == "t1")
        .collect();
    let kinds: Vec<(&str, &str)> = items
        .iter()
        .map(|n| (n.norm_id.as_str(), n.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("antwoord", "dreigt_te_verlopen"),
            ("tussenbericht", "tussenbericht_verschuldigd"),
            ("antwoord", "niet_gehaald"),
            ("tussenbericht", "niet_gehaald"),
        ]
    );
    assert!(items.iter().all(|n| n.team.as_deref() == Some("kcc")));

    // A team's notifications are selected in the database, so a page is full
    // even when other teams have notifications in between.
    let all = store.outbox(0, None, 1000).await.unwrap();
    let of_kcc: Vec<i64> = all
        .iter()
        .filter(|n| n.team.as_deref() == Some("kcc"))
        .map(|n| n.id)
        .collect();
    assert!(of_kcc.len() < all.len(), "the fixture has other teams too");
    let page: Vec<i64> = store
        .outbox(0, Some("kcc"), of_kcc.len())
        .await
        .unwrap()
        .iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(page, of_kcc);
    assert!(store.outbox(0, Some("geen"), 10).await.unwrap().is_empty());
}

async fn accounts_lock_after_failures_and_sessions_expire(store: &Store) {
    let now = at("2026-04-02T08:00:00Z");
    let user = NewUser {
        name: "a.jansen".into(),
        password_hash: "$argon2id$example".into(),
        role: "medewerker".into(),
        team: Some("kcc".into()),
    };
    store.create_user(&user, &actor(), now).await.unwrap();
    match store.create_user(&user, &actor(), now).await {
        Err(StorageError::UserExists(name)) => assert_eq!(name, "a.jansen"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let lock = at("2026-04-02T08:15:00Z");
    for expected_lock in [None, None, Some(lock)] {
        store.login_failed("a.jansen", 3, lock).await.unwrap();
        let found = store.user("a.jansen").await.unwrap().unwrap();
        assert_eq!(found.locked_until, expected_lock);
    }
    assert_eq!(
        store.user("a.jansen").await.unwrap().unwrap().failed_logins,
        3
    );

    let expires = at("2026-04-02T16:00:00Z");
    store
        .create_session("session-hash", "a.jansen", "csrf-1", now, expires)
        .await
        .unwrap();
    // A good login forgets the failures.
    let found = store.user("a.jansen").await.unwrap().unwrap();
    assert_eq!((found.failed_logins, found.locked_until), (0, None));
    let session = store.session("session-hash", now).await.unwrap().unwrap();
    assert_eq!(session.user.name, "a.jansen");
    assert_eq!(session.user.team.as_deref(), Some("kcc"));
    assert_eq!(session.csrf, "csrf-1");
    assert!(
        store
            .session("session-hash", expires)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.session("other-hash", now).await.unwrap().is_none());
    store.delete_session("session-hash").await.unwrap();
    assert!(store.session("session-hash", now).await.unwrap().is_none());
    assert_eq!(store.users().await.unwrap().len(), 1);
}

/// A judge that writes how many events it saw into the clock's state.
fn counting_judge(case: &str, events: Vec<Event>) -> Option<(CaseRow, Vec<ClockRow>)> {
    let mut row = clock(case, "geteld", "lopend", "2026-04-03T21:59:59Z", "kcc");
    row.state = format!("{} gebeurtenissen", events.len());
    Some((self::case(case), vec![row]))
}

async fn writers_at_once_each_judge_with_the_others_events(store: &Store) {
    let now = at("2026-04-02T08:00:00Z");
    for round in 0..20 {
        let case = format!("samen{round}");
        let [a, b] = ["a", "b"].map(|side| {
            event(&format!(
                "{case}-{side},{case},received,2026-04-02T10:00:00+02:00,aanvraag,,,"
            ))
        });
        let who = actor();
        let (first, second) = tokio::join!(
            store.append_and_judge(std::slice::from_ref(&a), &who, now, &[], &counting_judge),
            store.append_and_judge(std::slice::from_ref(&b), &who, now, &[], &counting_judge),
        );
        first.unwrap();
        second.unwrap();
        let filter = QueueFilter {
            states: vec!["2 gebeurtenissen".into(), "1 gebeurtenissen".into()],
            ..QueueFilter::default()
        };
        let page = store.clocks(&filter, None, 100).await.unwrap();
        let clock = page.items.iter().find(|c| c.case_id == case).unwrap();
        assert_eq!(clock.state, "2 gebeurtenissen", "round {round}");
    }
}

/// A judge that gives each case a clock per event it saw, named after the
/// event, whose state carries the event's `reason`.
fn clock_per_event(case: &str, events: Vec<Event>) -> Option<(CaseRow, Vec<ClockRow>)> {
    let clocks = events
        .iter()
        .map(|e| {
            let mut row = clock(case, &e.id, "lopend", "2026-04-03T21:59:59Z", "kcc");
            row.state = e
                .attributes
                .get(AttributeKey::Reason)
                .map(ToString::to_string)
                .unwrap_or_default();
            row
        })
        .collect();
    Some((self::case(case), clocks))
}

/// Judging again reads each case's stored events back, for more cases than
/// fit in one statement, with a line break inside a value; a clock the new
/// judgement no longer has is deleted.
async fn stored_events_come_back_whole_for_many_cases(store: &Store) {
    let now = at("2026-04-02T08:00:00Z");
    let who = actor();
    let cases: Vec<String> = (0..1_200).map(|n| format!("veel{n:04}")).collect();
    let first: Vec<Event> = cases
        .iter()
        .map(|case| {
            from_json_line(&format!(
                r#"{{"id":"{case}-1","case":"{case}","type":"received","at":"2026-04-02T10:00:00+02:00","attributes":{{"reason":"regel een\nregel twee"}}}}"#
            ))
            .unwrap()
        })
        .collect();
    store
        .append_and_judge(&first, &who, now, &[], &clock_per_event)
        .await
        .unwrap();
    let second: Vec<Event> = cases
        .iter()
        .map(|case| {
            event(&format!(
                "{case}-2,{case},answered,2026-04-02T11:00:00+02:00,,,,"
            ))
        })
        .collect();
    // The second judgement drops the first event's clock for every case.
    let judge = |case: &str, events: Vec<Event>| {
        assert_eq!(events.len(), 2, "{case}: both events");
        let kept: Vec<Event> = events
            .iter()
            .filter(|e| e.id.ends_with("-2"))
            .cloned()
            .collect();
        let (row, mut clocks) = clock_per_event(case, events)?;
        clocks.retain(|c| kept.iter().any(|e| e.id == c.norm_id));
        Some((row, clocks))
    };
    store
        .append_and_judge(&second, &who, now, &[], &judge)
        .await
        .unwrap();
    for case in [&cases[0], &cases[599], &cases[1_199]] {
        let events = store.case_events(case).await.unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(
            events[0]
                .attributes
                .get(AttributeKey::Reason)
                .map(ToString::to_string),
            Some("regel een\nregel twee".to_string())
        );
        let filter = QueueFilter {
            states: vec![String::new(), "regel een\nregel twee".into()],
            ..QueueFilter::default()
        };
        let page = store.clocks(&filter, None, 5_000).await.unwrap();
        let mine: Vec<&str> = page
            .items
            .iter()
            .filter(|c| c.case_id == *case)
            .map(|c| c.norm_id.as_str())
            .collect();
        assert_eq!(mine, vec![format!("{case}-2")], "{case}");
    }
}

/// A judge that cannot judge a case yet (its case type comes later) leaves
/// the case's stored clocks alone, while the other cases of the batch are
/// judged again.
async fn a_case_not_judged_yet_keeps_its_clocks(store: &Store) {
    let now = at("2026-04-02T08:00:00Z");
    let who = actor();
    let first = [
        event("wacht-1,wacht,received,2026-04-02T10:00:00+02:00,,,,"),
        event("verder-1,verder,received,2026-04-02T10:00:00+02:00,,,,"),
    ];
    store
        .append_and_judge(&first, &who, now, &[], &clock_per_event)
        .await
        .unwrap();
    let second = [
        event("wacht-2,wacht,answered,2026-04-02T11:00:00+02:00,,,,"),
        event("verder-2,verder,answered,2026-04-02T11:00:00+02:00,,,,"),
    ];
    let not_wacht = |case: &str, events: Vec<Event>| {
        if case == "wacht" {
            None
        } else {
            clock_per_event(case, events)
        }
    };
    let outcome = store
        .append_and_judge(&second, &who, now, &[], &not_wacht)
        .await
        .unwrap();
    assert_eq!(outcome.stored, 2);
    let page = store
        .clocks(&QueueFilter::default(), None, 5_000)
        .await
        .unwrap();
    let of = |case: &str| -> Vec<&str> {
        page.items
            .iter()
            .filter(|c| c.case_id == case)
            .map(|c| c.norm_id.as_str())
            .collect()
    };
    assert_eq!(of("wacht"), ["wacht-1"]);
    assert_eq!(of("verder"), ["verder-1", "verder-2"]);
}

async fn messages_are_queued_once_claimed_by_one_sender_and_contacts_forgotten(store: &Store) {
    let now = at("2026-06-01T08:00:00Z");
    let mut receipt = clock("m1", "ontvangst", "lopend", "2026-06-01T08:15:00Z", "kcc");
    receipt.message = Some("ontvangstbevestiging".into());
    let mut notice = clock("m1", "tussen", "lopend", "2026-06-10T21:59:59Z", "kcc");
    notice.kind = "tussenbericht".into();
    notice.message = Some("tussenbericht".into());
    notice.at_risk_from = Some(at("2026-06-08T12:00:00Z"));
    store
        .put_case(&case("m1"), &[receipt.clone(), notice.clone()], now)
        .await
        .unwrap();
    store
        .put_contact(
            "m1",
            &Contact {
                email: Some("inwoner@example.org".into()),
                contact_person: None,
            },
            &actor(),
            now,
        )
        .await
        .unwrap();
    // The receipt is due at once; the tussenbericht only when at risk.
    let (a, b) = tokio::join!(store.queue_messages(now), store.queue_messages(now));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(store.queue_messages(now).await.unwrap(), 0);

    // Two senders at once: the message goes to one of them.
    let (a, b) = tokio::join!(
        store.claim_messages(now, 60, 10),
        store.claim_messages(now, 60, 10)
    );
    let claimed: Vec<_> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    assert_eq!(claimed.len(), 1, "{claimed:?}");
    let job = &claimed[0];
    assert_eq!(
        (job.purpose.as_str(), job.attempts),
        ("ontvangstbevestiging", 1)
    );
    assert_eq!(job.dedupe_key, "m1|ontvangst|ontvangstbevestiging");
    // While claimed, nobody else gets it; a failed try comes back later.
    assert!(store.claim_messages(now, 60, 10).await.unwrap().is_empty());
    store
        .message_retry(job.id, "451 tijdelijk", at("2026-06-01T08:01:00Z"))
        .await
        .unwrap();
    assert!(store.claim_messages(now, 60, 10).await.unwrap().is_empty());
    let again = store
        .claim_messages(at("2026-06-01T08:01:00Z"), 60, 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    store
        .message_sent(job.id, at("2026-06-01T08:01:05Z"))
        .await
        .unwrap();
    let rows = store.messages_of_case("m1").await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, "verstuurd");
    assert_eq!(rows[0].sent_at, Some(at("2026-06-01T08:01:05Z")));

    // At risk: the tussenbericht is queued; without e-mail it becomes a task
    // for the team, once.
    store.tick(at("2026-06-08T13:00:00Z")).await.unwrap();
    let later = at("2026-06-08T13:00:00Z");
    assert_eq!(store.queue_messages(later).await.unwrap(), 1);
    let jobs = store.claim_messages(later, 60, 10).await.unwrap();
    assert_eq!(jobs.len(), 1);
    let before = store.outbox(0, Some("kcc"), 10_000).await.unwrap().len();
    for _ in 0..2 {
        store
            .message_settled(&jobs[0], Settled::Task, None, notice.deadline, later)
            .await
            .unwrap();
    }
    let outbox = store.outbox(0, Some("kcc"), 10_000).await.unwrap();
    assert_eq!(outbox.len(), before + 1);
    let task = outbox.last().unwrap();
    assert_eq!(
        (task.kind.as_str(), task.case_id.as_str()),
        ("bericht_zelf_sturen", "m1")
    );
    assert_eq!(task.deadline, notice.deadline);

    // Staff e-mail: claimed for the teams that have an address, then done.
    let mail = store
        .claim_staff_mail(&["kcc".into()], later, later, 60, 8, 100)
        .await
        .unwrap();
    assert!(mail.iter().any(|m| m.id == task.id), "{mail:?}");
    // Its claim runs out unsent: it comes back, unless it had its tries.
    let after_lease = at("2026-06-08T14:00:00Z");
    assert!(
        store
            .claim_staff_mail(&["kcc".into()], later, after_lease, 60, 1, 100)
            .await
            .unwrap()
            .is_empty()
    );
    let mail = store
        .claim_staff_mail(&["kcc".into()], later, after_lease, 60, 8, 100)
        .await
        .unwrap();
    assert!(mail.iter().any(|m| m.id == task.id), "{mail:?}");
    assert!(
        store
            .claim_staff_mail(&["juridisch".into()], later, later, 60, 8, 100)
            .await
            .unwrap()
            .is_empty()
    );
    let ids: Vec<i64> = mail.iter().map(|m| m.id).collect();
    store.staff_mailed(&ids, later).await.unwrap();
    let much_later = at("2026-06-08T15:00:00Z");
    assert!(
        store
            .claim_staff_mail(&["kcc".into()], later, much_later, 60, 8, 100)
            .await
            .unwrap()
            .is_empty()
    );

    // The contact is kept while a clock runs, and forgotten after.
    assert_eq!(store.forget_finished_contacts(later).await.unwrap(), 0);
    assert!(store.contact("m1").await.unwrap().is_some());
    let mut done = vec![receipt, notice];
    for c in &mut done {
        c.state = "gehaald".into();
        c.stop_at = Some(later);
    }
    store.put_case(&case("m1"), &done, later).await.unwrap();
    assert_eq!(store.forget_finished_contacts(later).await.unwrap(), 1);
    assert_eq!(store.contact("m1").await.unwrap(), None);
    let audit = store.audit(0, 10_000).await.unwrap();
    let line = audit.iter().find(|a| a.action == "case.contact").unwrap();
    assert_eq!(line.detail, "met e-mailadres");
    assert!(
        audit.iter().all(|a| !a.detail.contains('@')),
        "no address in the audit log"
    );
}

async fn a_probe_slot_is_claimed_once_and_forgotten_after_a_day(store: &Store) {
    let slot = at("2026-04-02T10:00:00Z");
    let next = at("2026-04-02T10:00:00.250Z");
    let day_before = at("2026-04-01T10:00:00Z");
    // Instances claiming one slot at once: exactly one of them probes.
    let claims = claims_at_once(store, "gemeente-site", slot, day_before).await;
    assert_eq!(claims.iter().filter(|c| **c).count(), 1, "{claims:?}");
    // Slots are kept to the millisecond; another target has its own slots.
    assert!(
        store
            .claim_probe_slot("gemeente-site", next, day_before)
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_probe_slot("andere-site", slot, day_before)
            .await
            .unwrap()
    );
    assert!(
        !store
            .claim_probe_slot("gemeente-site", next, day_before)
            .await
            .unwrap()
    );
    // A day on, the old claims are deleted with the next claim.
    let later = at("2026-04-03T10:00:01Z");
    assert!(
        store
            .claim_probe_slot("gemeente-site", later, at("2026-04-02T10:00:01Z"))
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_probe_slot("gemeente-site", slot, day_before)
            .await
            .unwrap()
    );
    // Only the target's own claims go.
    assert!(
        !store
            .claim_probe_slot("andere-site", slot, day_before)
            .await
            .unwrap()
    );
}

/// Eight claims of one slot at once, as eight instances would make them.
async fn claims_at_once(
    store: &Store,
    target: &str,
    slot: Timestamp,
    forget: Timestamp,
) -> Vec<bool> {
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            let target = target.to_string();
            tokio::spawn(
                async move { store.claim_probe_slot(&target, slot, forget).await.unwrap() },
            )
        })
        .collect();
    let mut claims = Vec::new();
    for task in tasks {
        claims.push(task.await.unwrap());
    }
    claims
}

async fn suite(store: &Store) {
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    catalogs_are_versioned_and_a_second_version_on_one_day_is_refused(store).await;
    events_are_idempotent_and_a_bad_batch_stores_nothing(store).await;
    the_queue_is_sorted_by_deadline_filtered_and_paged(store).await;
    the_work_queue_leaves_out_what_asks_for_nothing(store).await;
    a_clock_judged_again_is_stored_as_judged(store).await;
    tokens_are_found_by_hash_and_names_are_unique(store).await;
    the_scheduler_moves_clocks_with_time_and_notifies_exactly_once(store).await;
    accounts_lock_after_failures_and_sessions_expire(store).await;
    writers_at_once_each_judge_with_the_others_events(store).await;
    stored_events_come_back_whole_for_many_cases(store).await;
    a_case_not_judged_yet_keeps_its_clocks(store).await;
    messages_are_queued_once_claimed_by_one_sender_and_contacts_forgotten(store).await;
    a_probe_slot_is_claimed_once_and_forgotten_after_a_day(store).await;
}

#[tokio::test]
async fn the_suite_passes_on_sqlite() {
    let (store, _dir) = sqlite().await;
    suite(&store).await;
}

#[tokio::test]
async fn the_suite_passes_on_postgres_when_a_server_is_named() {
    if let Some((store, name)) = postgres().await {
        suite(&store).await;
        store.close().await;
        drop_database(&name).await;
    }
}

#[tokio::test]
async fn a_database_name_that_is_not_plain_is_refused_before_any_connection() {
    // The server URL points nowhere: the name is checked first.
    let error = Store::create_postgres_database("postgres://127.0.0.1:1/x", "test; DROP")
        .await
        .unwrap_err();
    assert!(
        matches!(error, servicenorm_storage::StorageError::BadDatabaseName(ref n) if n == "test; DROP"),
        "{error}"
    );
}
