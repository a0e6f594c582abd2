//! `servicenorm import` as a user runs it: a real export into a real
//! SQLite database, twice, with a dry run and with a broken file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::servicenorm;

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn stored_events(data: &std::path::Path) -> i64 {
    let url = format!("sqlite:{}", data.join("servicenorm.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = servicenorm_storage::Store::connect(&url).await.unwrap();
        let count = store.event_count().await.unwrap();
        store.close().await;
        count
    })
}

#[test]
fn a_call_log_is_imported_once_and_its_cases_judged() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let mapping = repo("mappings/telefonie.toml");
    let export = repo("mappings/voorbeelden/telefonie.csv");

    let dry = servicenorm(&["import", "--mapping", &mapping, "--dry-run", &export]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stderr.contains("4 regels gelezen, 15 gebeurtenissen"),
        "{}",
        dry.stderr
    );
    assert!(dry.stderr.contains("call_transferred 4"), "{}", dry.stderr);
    assert!(!data.path().join("servicenorm.db").exists());

    let run = servicenorm(&["import", "--mapping", &mapping, "--data", dir, &export]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("4 regels gelezen, 15 gebeurtenissen opgeslagen, 0 stond er al"),
        "{}",
        run.stderr
    );
    assert_eq!(stored_events(data.path()), 15);

    let again = servicenorm(&["import", "--mapping", &mapping, "--data", dir, &export]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("0 gebeurtenissen opgeslagen, 15 stond er al"),
        "{}",
        again.stderr
    );
    assert_eq!(stored_events(data.path()), 15);
}

#[test]
fn a_file_with_a_bad_row_stores_nothing_unless_told_to_skip_it() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let mapping = repo("mappings/telefonie.toml");
    let mut bytes = std::fs::read(repo("mappings/voorbeelden/telefonie.csv")).unwrap();
    bytes.extend_from_slice(b"G-2000;02-04-2026 25:00:00;5;ja;0;10;Algemeen\r\n");
    let export = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    std::fs::write(export.path(), &bytes).unwrap();
    let name = export.path().to_str().unwrap();

    let run = servicenorm(&["import", "--mapping", &mapping, "--data", dir, name]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{name}: regel 6, kolom 2: Binnenkomst: \"02-04-2026 25:00:00\" is geen tijdstip"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("niets opgeslagen, want 1 regel heeft een fout hierboven"),
        "{}",
        run.stderr
    );
    assert_eq!(stored_events(data.path()), 0);

    let run = servicenorm(&[
        "import",
        "--mapping",
        &mapping,
        "--data",
        dir,
        "--skip-invalid",
        name,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("5 regels gelezen, 15 gebeurtenissen opgeslagen, 0 stond er al, 1 fout"),
        "{}",
        run.stderr
    );
    assert_eq!(stored_events(data.path()), 15);
}

#[test]
fn a_mapping_for_a_case_type_the_catalog_lacks_is_refused_per_row() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let text = std::fs::read_to_string(repo("mappings/telefonie.toml"))
        .unwrap()
        .replace("case_type = \"telefoongesprek\"", "case_type = \"fax\"");
    let mapping = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(mapping.path(), text).unwrap();
    let run = servicenorm(&[
        "import",
        "--mapping",
        mapping.path().to_str().unwrap(),
        "--data",
        dir,
        &repo("mappings/voorbeelden/telefonie.csv"),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("regel 2: past niet bij de catalogus: onbekend zaaktype \"fax\"; bekend zijn: baliebezoek"),
        "{}",
        run.stderr
    );
    assert_eq!(stored_events(data.path()), 0);
}

#[test]
fn the_import_judges_with_the_catalog_the_service_runs_with() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let mapping = repo("mappings/uptime.toml");
    let export = repo("mappings/voorbeelden/uptime.csv");
    // Heemskerk, the default, has no case type for website probes ...
    let run = servicenorm(&["import", "--mapping", &mapping, "--data", dir, &export]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("onbekend zaaktype \"website-controle\""),
        "{}",
        run.stderr
    );
    // ... BUCH has, as `serve --catalog catalogs/buch.toml` would run.
    let buch = repo("catalogs/buch.toml");
    let other = tempfile::tempdir().unwrap();
    let run = servicenorm(&[
        "import",
        "--mapping",
        &mapping,
        "--catalog",
        &buch,
        "--data",
        other.path().to_str().unwrap(),
        &export,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(stored_events(other.path()), 3);
}
