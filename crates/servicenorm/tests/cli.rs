//! The `servicenorm` binary as a user runs it: output, exit codes, messages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;

mod common;
use common::servicenorm;

fn file(content: &str, suffix: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    file.write_all(content.as_bytes()).unwrap();
    file
}

#[test]
fn holidays_prints_date_name_and_basis_sorted_by_date() {
    let run = servicenorm(&["holidays", "2025", "--calendar", "atw"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "2025-01-01\tNieuwjaarsdag\tAtw art. 3 lid 1");
    // Koningsdag 2025 falls on Saturday 26 April and is still listed.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("2025-04-26\tKoningsdag\t")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("2025-05-30\tGelijkgestelde dag")),
        "{lines:?}"
    );
    let dates: Vec<&str> = lines.iter().map(|l| &l[..10]).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert!(lines.iter().all(|l| l.split('\t').count() == 3));
}

#[test]
fn holidays_of_a_municipal_calendar_file_include_its_closing_days() {
    let calendar = file(
        "id = \"voorbeeld\"\nbased_on = \"gemeente\"\n[[closing_days]]\ndate = 2026-05-15\nname = \"Vrijdag na Hemelvaartsdag\"\n",
        ".toml",
    );
    let run = servicenorm(&[
        "holidays",
        "2026",
        "--calendar",
        calendar.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("2026-05-15\tVrijdag na Hemelvaartsdag\tlokale sluitingsdag (voorbeeld)\n")
    );
    assert!(!run.stdout.contains("Goede Vrijdag"));
}

#[test]
fn deadline_prints_rfc3339_with_offset_and_explains_in_dutch() {
    let args = [
        "deadline",
        "--from",
        "2026-04-02T10:00:00+02:00",
        "--term",
        "2 werkdagen",
    ];
    let run = servicenorm(&args);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "2026-04-07T23:59:59+02:00\n")
    );

    let run = servicenorm(&[&args[..], &["--explain"]].concat());
    let mut lines = run.stdout.lines();
    assert_eq!(lines.next(), Some("2026-04-07T23:59:59+02:00"));
    assert!(
        run.stdout
            .contains("ma 6-4-2026 is Tweede Paasdag: geen werkdag (cao Gemeenten art. 6.6)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("De termijn eindigt op dinsdag 7 april 2026 om 23:59:59.")
    );
}

#[test]
fn deadline_json_carries_the_whole_result() {
    let run = servicenorm(&[
        "deadline",
        "--from",
        "2026-03-16T12:00:00+01:00",
        "--term",
        "6 weken (wettelijk)",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["deadline"], "2026-04-28T23:59:59+02:00");
    assert_eq!(json["nominal_end"], "2026-04-27T23:59:59+02:00");
    assert_eq!(json["calendar"], "atw");
    assert_eq!(json["adjustments"][0]["rule"], "atw_article1");
    assert!(
        json["adjustments"][0]["basis"]
            .as_str()
            .unwrap()
            .starts_with("Atw art. 1 lid 1")
    );
    assert_eq!(json["warnings"], serde_json::json!([]));
}

#[test]
fn pauses_and_extensions_are_counted_and_reported() {
    let run = servicenorm(&[
        "deadline",
        "--from",
        "2026-02-02T10:00:00+01:00",
        "--term",
        "8 weken (wettelijk)",
        "--pause",
        "2026-02-10/2026-02-20",
    ]);
    assert_eq!(run.stdout.lines().next(), Some("2026-04-08T23:59:59+02:00"));
    let run = servicenorm(&[
        "deadline",
        "--from",
        "2026-04-23T10:00:00+02:00",
        "--term",
        "6 weken (wettelijk)",
        "--extend",
        "6 weken",
        "--no-extension",
        "--explain",
    ]);
    assert_eq!(run.stdout.lines().next(), Some("2026-07-16T23:59:59+02:00"));
    assert!(
        run.stdout
            .contains("Let op: deze norm belooft de termijn niet te verlengen"),
        "{}",
        run.stdout
    );
}

#[test]
fn dwangsom_gives_the_last_penalty_day() {
    let run = servicenorm(&[
        "deadline",
        "--term",
        "dwangsom",
        "--from",
        "2026-04-01T09:00:00+02:00",
        "--decision-term-end",
        "2026-03-30",
        "--explain",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("2026-05-26T23:59:59+02:00"));
    assert!(
        run.stdout.contains(
            "Eerste dag 2026-04-15, laatste dag 2026-05-26; samen ten hoogste 1442 euro."
        )
    );
}

#[test]
fn batch_keeps_input_order_and_quotes_ids_that_need_it() {
    let input = file(
        "id,from\nA-2,2026-04-02T10:00:00+02:00\n\"B,1\",2026-03-28T11:00:00+01:00\nC-0,2025-12-31T08:00:00Z\n",
        ".csv",
    );
    let run = servicenorm(&[
        "deadline",
        "--term",
        "2 werkdagen",
        "--input",
        input.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "id,deadline\nA-2,2026-04-07T23:59:59+02:00\n\"B,1\",2026-03-31T23:59:59+02:00\nC-0,2026-01-05T23:59:59+01:00\n"
    );
}

#[test]
fn batch_stops_at_a_bad_row_unless_told_to_skip_it() {
    let input = file(
        "id,from\na,2026-04-02T10:00:00+02:00\nb,gisteren\nc,2026-04-02T10:00:00+02:00\n",
        ".csv",
    );
    let path = input.path().to_str().unwrap();
    let run = servicenorm(&["deadline", "--term", "2 werkdagen", "--input", path]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("regel 3, kolom from: tijdstip \"gisteren\" is niet te lezen"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("c,"));

    let run = servicenorm(&[
        "deadline",
        "--term",
        "2 werkdagen",
        "--input",
        path,
        "--skip-invalid",
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.lines().count(), 3);
    assert!(run.stdout.ends_with("c,2026-04-07T23:59:59+02:00\n"));
    assert!(run.stderr.contains("regel 3") && run.stderr.contains("1 regel overgeslagen"));
}

#[test]
fn every_command_line_error_says_what_and_where() {
    let calendar = file(
        "id = \"x\"\nbased_on = \"gemeente\"\n[office_hours]\nmonday = \"9-17\"\n",
        ".toml",
    );
    let bad_header = file("case,start\n1,2026-04-02T10:00:00+02:00\n", ".csv");
    let cal = calendar.path().to_str().unwrap();
    let header = bad_header.path().to_str().unwrap();
    let ragged_file = file(
        "id,from\n1,2026-04-02T10:00:00+02:00\n2,2026-04-02T10:00:00+02:00,extra\n",
        ".csv",
    );
    let ragged = ragged_file.path().to_str().unwrap();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "unknown unit",
            vec![
                "deadline",
                "--from",
                "2026-04-02T10:00:00+02:00",
                "--term",
                "2 weeken",
            ],
        ),
        (
            "unreadable instant",
            vec!["deadline", "--from", "donderdag", "--term", "2 werkdagen"],
        ),
        (
            "local time in the spring gap",
            vec!["deadline", "--from", "2026-03-29T02:30", "--term", "24 uur"],
        ),
        ("year out of range", vec!["holidays", "1989"]),
        (
            "unknown calendar",
            vec!["holidays", "2026", "--calendar", "/geen/bestand.toml"],
        ),
        (
            "calendar file with a mistake",
            vec!["holidays", "2026", "--calendar", cal],
        ),
        (
            "bad pause",
            vec![
                "deadline",
                "--from",
                "2026-04-02T10:00:00+02:00",
                "--term",
                "8 weken (wettelijk)",
                "--pause",
                "2026-02-10",
            ],
        ),
        (
            "dwangsom without term end",
            vec![
                "deadline",
                "--from",
                "2026-04-01T10:00:00+02:00",
                "--term",
                "dwangsom",
            ],
        ),
        (
            "batch with a wrong header",
            vec!["deadline", "--term", "2 werkdagen", "--input", header],
        ),
        (
            "batch with a row of three fields",
            vec!["deadline", "--term", "2 werkdagen", "--input", ragged],
        ),
        (
            "batch file missing",
            vec![
                "deadline",
                "--term",
                "2 werkdagen",
                "--input",
                "/geen/invoer.csv",
            ],
        ),
    ];
    let mut report = String::new();
    for (case, args) in cases {
        let run = servicenorm(&args);
        assert_eq!(run.code, 2, "{case}: {}", run.stderr);
        // A batch streams: rows before the bad one are already written.
        assert!(run.stdout.is_empty() || case.starts_with("batch"), "{case}");
        let stderr = run
            .stderr
            .replace(cal, "KALENDER.toml")
            .replace(header, "INVOER.csv")
            .replace(ragged, "INVOER.csv");
        report.push_str(&format!("## {case} (exit {})\n{stderr}\n", run.code));
    }
    insta::assert_snapshot!("command_line_errors", report);
}

#[test]
fn the_documented_example_calendar_loads_and_counts_its_exceptions() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/examples/kalender.toml"
    );
    let run = servicenorm(&["holidays", "2026", "--calendar", path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("2026-02-16\tCarnavalsmaandag\tlokale sluitingsdag (voorbeeld)\n")
    );
    // 24 December closes at 16:00, Christmas is closed: 1 hour on Thursday, 1 on Monday.
    let run = servicenorm(&[
        "deadline",
        "--from",
        "2026-12-24T15:00:00+01:00",
        "--term",
        "2 kantooruren",
        "--calendar",
        path,
    ]);
    assert_eq!(run.stdout, "2026-12-28T09:30:00+01:00\n");
}

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn catalog_check_accepts_the_shipped_catalogs_and_names_every_problem_in_a_broken_one() {
    let run = servicenorm(&[
        "catalog",
        "check",
        &repo("catalogs/heemskerk.toml"),
        &repo("catalogs/buch.toml"),
    ]);
    // Two different catalogs are not versions of one.
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("geef versies van één catalogus"),
        "{}",
        run.stderr
    );
    for name in ["heemskerk", "buch"] {
        let run = servicenorm(&["catalog", "check", &repo(&format!("catalogs/{name}.toml"))]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout
                .starts_with(&format!("{name} (geldig vanaf 2026-01-01): in orde"))
        );
    }
    let broken = std::fs::read_to_string(repo("catalogs/heemskerk.toml"))
        .unwrap()
        .replacen("stop = \"callback_done\"", "stop = \"teruggebeld\"", 1)
        .replacen("term = \"2 werkdagen\"", "term = \"2 werkdagn\"", 1);
    let file = file(&broken, ".toml");
    let run = servicenorm(&["catalog", "check", file.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("onbekende gebeurtenis \"teruggebeld\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("onbekende eenheid \"werkdagn\""),
        "{}",
        run.stderr
    );
}

#[test]
fn catalog_show_lists_the_promises_per_channel() {
    let run = servicenorm(&["catalog", "show", &repo("catalogs/heemskerk.toml")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("nemen we binnen 25 seconden de telefoon op")
    );
    let html = servicenorm(&[
        "catalog",
        "show",
        &repo("catalogs/buch.toml"),
        "--format",
        "html",
    ])
    .stdout;
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    assert!(html.contains("Bergen, Uitgeest, Castricum en Heiloo"));
    let json: serde_json::Value = serde_json::from_str(
        &servicenorm(&[
            "catalog",
            "show",
            &repo("catalogs/buch.toml"),
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert!(json["channels"].as_array().unwrap().len() > 5);
}

#[test]
fn report_prints_the_share_met_per_norm_and_period() {
    let events = file(
        "id,case,type,at,case_type,municipality,team,attributes\n\
         e1,z1,callback_requested,2026-04-02T10:00:00+02:00,terugbelverzoek,,,\n\
         e2,z1,callback_done,2026-04-07T16:00:00+02:00,,,,\n\
         e3,z2,callback_requested,2026-04-02T10:00:00+02:00,terugbelverzoek,,,\n\
         e4,z2,callback_done,2026-04-09T16:00:00+02:00,,,,\n",
        ".csv",
    );
    let catalog = repo("crates/servicenorm-core/tests/data/catalog_test.toml");
    let path = events.path().to_str().unwrap();
    let run = servicenorm(&[
        "report",
        "--catalog",
        &catalog,
        "--events",
        path,
        "--per",
        "month",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("\n,2026-04,terugbellen,deadline,2,1,1,0,0.5000,0.9,false,"),
        "{}",
        run.stdout
    );
    let html = servicenorm(&[
        "report",
        "--catalog",
        &catalog,
        "--events",
        path,
        "--format",
        "html",
    ])
    .stdout;
    assert!(
        html.contains("Zo tellen we") && html.contains("50,0%") && html.contains("✗ niet gehaald"),
        "{html}"
    );

    let bad = file(
        "id,case,type,at,case_type,municipality,team,attributes\ne1,z1,gebeld,2026-04-02T10:00:00+02:00,,,,\n",
        ".csv",
    );
    let run = servicenorm(&[
        "report",
        "--catalog",
        &catalog,
        "--events",
        bad.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("regel 2: type: onbekende gebeurtenis \"gebeld\""),
        "{}",
        run.stderr
    );
}

#[test]
fn report_reads_windows_line_ends_quoted_fields_and_json_lines() {
    let catalog = repo("crates/servicenorm-core/tests/data/catalog_test.toml");
    let csv = file(
        "id,case,type,at,case_type,municipality,team,attributes\r\n\
         e1,z1,callback_requested,2026-04-02T10:00:00+02:00,terugbelverzoek,,,\r\n\
         \"e2\",z1,callback_done,2026-04-03T10:00:00+02:00,,,,\"reason=teruggebeld, opgelost\"\r\n",
        ".csv",
    );
    let json = file(
        "{\"id\":\"e1\",\"case\":\"z1\",\"type\":\"callback_requested\",\"at\":\"2026-04-02T10:00:00+02:00\",\"case_type\":\"terugbelverzoek\"}\n\
         {\"id\":\"e2\",\"case\":\"z1\",\"type\":\"callback_done\",\"at\":\"2026-04-03T10:00:00+02:00\"}\n",
        ".jsonl",
    );
    for events in [&csv, &json] {
        let run = servicenorm(&[
            "report",
            "--catalog",
            &catalog,
            "--events",
            events.path().to_str().unwrap(),
            "--format",
            "csv",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout
                .contains(",2026-Q2,terugbellen,deadline,1,1,0,0,1.0000,"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn serve_reads_a_settings_file_and_names_its_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("fout.toml");
    std::fs::write(&bad, "address = \"127.0.0.1:0\"\nadress = \"x\"\n").unwrap();
    let run = servicenorm(&["serve", "--settings", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("fout.toml: regel 2:"), "{}", run.stderr);
    assert!(run.stderr.contains("adress"), "{}", run.stderr);

    // Catalogs in the file are found relative to it; a missing one stops the start.
    let settings = dir.path().join("servicenorm.toml");
    std::fs::write(
        &settings,
        "address = \"127.0.0.1:0\"\ndata = \"gegevens\"\ncatalogs = [\"gemeente.toml\"]\n",
    )
    .unwrap();
    let run = servicenorm(&["serve", "--settings", settings.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let expected = dir.path().join("gemeente.toml");
    assert!(
        run.stderr.contains(&format!(
            "{}: bestand kan niet worden gelezen",
            expected.display()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn the_documented_settings_file_is_valid() {
    // Serving would block; an address no one can bind makes the start fail
    // only after the file has been read and its catalog parsed and stored.
    let dir = tempfile::tempdir().unwrap();
    let run = servicenorm(&[
        "serve",
        "--settings",
        &repo("docs/examples/servicenorm.toml"),
        "--data",
        dir.path().to_str().unwrap(),
        "--address",
        "192.0.2.1:1",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("kan niet luisteren op 192.0.2.1:1"),
        "{}",
        run.stderr
    );
    assert!(dir.path().join("servicenorm.db").exists());
}

#[test]
fn token_create_uses_the_database_of_the_settings_file() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("servicenorm.toml");
    std::fs::write(&settings, "data = \"gegevens\"\n").unwrap();
    let run = servicenorm(&[
        "token",
        "create",
        "--scope",
        "read",
        "--name",
        "dashboard",
        "--settings",
        settings.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("gegevens/servicenorm.db").exists());
}

#[test]
fn report_reads_a_quoted_line_end_and_counts_lines_after_it() {
    let catalog = repo("crates/servicenorm-core/tests/data/catalog_test.toml");
    let text = "id,case,type,at,case_type,municipality,team,attributes\n\
         e1,z1,callback_requested,2026-04-02T10:00:00+02:00,terugbelverzoek,,,\n\
         e2,z1,callback_done,2026-04-03T10:00:00+02:00,,,,\"reason=teruggebeld,\nopgelost\"\n";
    let good = file(text, ".csv");
    let run = servicenorm(&[
        "report",
        "--catalog",
        &catalog,
        "--events",
        good.path().to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(",2026-Q2,terugbellen,deadline,1,1,0,0,1.0000,"),
        "{}",
        run.stdout
    );
    // Line 5 is the first line after the record that spans lines 3 and 4.
    let bad = file(&format!("{text}kapot\n"), ".csv");
    let run = servicenorm(&[
        "report",
        "--catalog",
        &catalog,
        "--events",
        bad.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("regel 5"), "{}", run.stderr);
}
