//! The shipped mappings read their example exports, and mistakes are
//! reported with line, column and header.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use servicenorm_core::events::{AttributeKey, Event, EventType, Value};
use servicenorm_import::{ImportError, Mapping, RowReader};

fn mapping(name: &str) -> Mapping {
    let path = format!("{}/../../mappings/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    Mapping::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap()
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../mappings/voorbeelden/{name}.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn read_all(mapping: Mapping, bytes: &[u8]) -> Vec<(u64, Result<Vec<Event>, ImportError>)> {
    let mut reader = RowReader::new(mapping, bytes).unwrap();
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row() {
        rows.push(row);
    }
    rows
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.as_str()).collect()
}

#[test]
fn a_call_log_row_becomes_queued_answered_transferred_and_ended() {
    let rows = read_all(mapping("telefonie"), &example("telefonie"));
    assert_eq!(rows.len(), 4);
    let events: Vec<Vec<Event>> = rows.into_iter().map(|(_, r)| r.unwrap()).collect();
    assert_eq!(
        kinds(&events[0]),
        ["call_queued", "call_answered", "call_ended"]
    );
    // 02-04-2026 09:00:05 in Amsterdam (summer time), 12,5 seconds waiting.
    assert_eq!(events[0][0].at.to_string(), "2026-04-02T07:00:05Z");
    assert_eq!(events[0][1].at.to_string(), "2026-04-02T07:00:17.5Z");
    assert_eq!(events[0][0].case, "tel-G-1001");
    assert_eq!(events[0][0].id, "tel-G-1001-1");
    assert_eq!(events[0][0].case_type.as_deref(), Some("telefoongesprek"));
    assert_eq!(events[0][0].team.as_deref(), Some("kcc"));
    assert_eq!(kinds(&events[2]), ["call_queued", "call_abandoned"]);
    assert_eq!(
        kinds(&events[3]),
        [
            "call_queued",
            "call_answered",
            "call_transferred",
            "call_transferred",
            "call_transferred",
            "call_ended"
        ]
    );
}

#[test]
fn the_same_file_gives_the_same_ids_also_without_an_id_column() {
    let first = read_all(mapping("zoeken"), &example("zoeken"));
    let second = read_all(mapping("zoeken"), &example("zoeken"));
    let ids = |rows: &[(u64, Result<Vec<Event>, ImportError>)]| -> Vec<String> {
        rows.iter()
            .flat_map(|(_, r)| r.as_ref().unwrap().iter().map(|e| e.id.to_string()))
            .collect()
    };
    assert_eq!(ids(&first), ids(&second));
    assert_eq!(ids(&first).len(), 3);
    let all: std::collections::BTreeSet<String> = ids(&first).into_iter().collect();
    assert_eq!(all.len(), 3, "each row its own id");
    let third = first[2].1.as_ref().unwrap();
    assert_eq!(third[0].kind, EventType::Search);
    assert_eq!(
        third[0].attributes.get(AttributeKey::Results),
        Some(&Value::Integer(0))
    );
}

#[test]
fn counter_and_uptime_logs_read_with_their_own_words_and_decimals() {
    let rows = read_all(mapping("balie"), &example("balie"));
    let second = rows[1].1.as_ref().unwrap();
    assert_eq!(kinds(second), ["ticket_issued", "ticket_called"]);
    assert_eq!(
        second[0].attributes.get(AttributeKey::Appointment),
        Some(&Value::Bool(true))
    );
    assert_eq!(kinds(rows[2].1.as_ref().unwrap()), ["ticket_issued"]);

    let rows = read_all(mapping("uptime"), &example("uptime"));
    let up = rows[0].1.as_ref().unwrap();
    assert_eq!(
        up[0].attributes.get(AttributeKey::Ok),
        Some(&Value::Bool(true))
    );
    assert_eq!(
        up[0].attributes.get(AttributeKey::TtfbMs),
        Some(&Value::Integer(212))
    );
    let down = rows[1].1.as_ref().unwrap();
    assert_eq!(
        down[0].attributes.get(AttributeKey::Ok),
        Some(&Value::Bool(false))
    );
}

#[test]
fn windows_1252_headers_and_cells_are_read_as_such() {
    let text = mapping("telefonie");
    let mut m = text.clone();
    m.columns.insert("id".into(), "Gesprek nr. (één)".into());
    m.columns.remove("doorverbonden");
    m.columns.remove("gespreksduur");
    // "één" in Windows-1252: e9 e9 6e.
    let mut bytes = b"Gesprek nr. (\xe9\xe9n);Binnenkomst;Wachttijd (sec);Aangenomen\r\n".to_vec();
    bytes.extend_from_slice(b"caf\xe9-1;02-04-2026 09:00:05;3;ja\r\n");
    let rows = read_all(m, &bytes);
    let events = rows[0].1.as_ref().unwrap();
    // The id is kept readable: letters and digits, the rest becomes _.
    assert_eq!(events[0].case, "tel-caf_-1");
}

#[test]
fn a_row_that_cannot_be_read_is_named_by_line_column_and_header() {
    let mut bytes = example("telefonie");
    bytes.extend_from_slice(b"G-1005;31-02-2026 09:00:00;5;ja;0;10;Algemeen\r\n");
    bytes.extend_from_slice(b"G-1006;29-03-2026 02:30:00;5;ja;0;10;Algemeen\r\n");
    bytes.extend_from_slice(b"G-1007;02-04-2026 09:00:00;vijf;ja;0;10;Algemeen\r\n");
    bytes.extend_from_slice(b"G-1008;02-04-2026 09:00:00;5;misschien;0;10;Algemeen\r\n");
    let rows = read_all(mapping("telefonie"), &bytes);
    let errors: Vec<String> = rows
        .iter()
        .filter_map(|(_, r)| r.as_ref().err().map(ToString::to_string))
        .collect();
    assert_eq!(
        errors,
        [
            "regel 6, kolom 2: Binnenkomst: \"31-02-2026 09:00:00\" is geen tijdstip in de vorm %d-%m-%Y %H:%M:%S",
            "regel 7, kolom 2: Binnenkomst: 29-03-2026 02:30:00 bestaat niet in Nederlandse tijd (de klok ging die nacht van 02:00 naar 03:00)",
            "regel 8, kolom 3: Wachttijd (sec): \"vijf\" is geen getal (0 of meer)",
            "regel 9, kolom 4: Aangenomen: \"misschien\" is geen ja of nee (ja is: ja, j, yes, y, true, 1, waar; nee is: nee, n, no, false, 0, onwaar)",
        ]
    );
}

#[test]
fn rows_are_named_by_their_line_in_the_file() {
    let mut m = mapping("zoeken");
    m.separator = ";".into();
    for ending in ["\n", "\r\n"] {
        let text = [
            "timestamp;results",
            "2026-04-02 08:00:01;1",
            "",
            "2026-04-02 08:00:02;x",
            "",
        ]
        .join(ending);
        let rows = read_all(m.clone(), text.as_bytes());
        assert_eq!(rows.len(), 2, "{ending:?}");
        assert_eq!(rows[0].0, 2, "{ending:?}");
        assert_eq!(rows[1].1.as_ref().unwrap_err().line, 4, "{ending:?}");
    }
}

#[test]
fn a_header_without_a_mapped_column_stops_at_line_one() {
    let bytes = b"ID;Start\r\n1;02-04-2026 09:00:00\r\n";
    let Err(error) = RowReader::new(mapping("telefonie"), &bytes[..]) else {
        panic!("expected a header problem");
    };
    assert_eq!(error.line, 1);
    assert_eq!(
        error.message,
        "de kopregel mist deze kolommen: \"Aangenomen\" (voor beantwoord), \"Aantal keer doorverbonden\" (voor doorverbonden), \"Gespreksduur (sec)\" (voor gespreksduur), \"Gespreks-ID\" (voor id), \"Binnenkomst\" (voor start), \"Wachttijd (sec)\" (voor wachttijd); hij heeft: ID, Start"
    );
}

#[test]
fn a_mapping_with_a_mistake_says_what_and_where() {
    let text = std::fs::read_to_string(format!(
        "{}/../../mappings/telefonie.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let bad = text.replace("encoding = \"windows-1252\"", "encoding = \"latin-9\"");
    let error = Mapping::parse(&bad, "telefonie.toml").unwrap_err();
    assert_eq!(
        error.to_string(),
        "telefonie.toml: encoding \"latin-9\" ken ik niet: kies utf-8 of windows-1252"
    );
    let bad = text.replace("gespreksduur = ", "duur = ");
    let error = Mapping::parse(&bad, "telefonie.toml").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("columns.duur: een export van de soort \"telefonie\" heeft geen veld \"duur\"; de velden van deze soort zijn: id, start"),
        "{error}"
    );
    let bad = text.replace("kind = \"telefonie\"", "kind = \"fax\"");
    let error = Mapping::parse(&bad, "telefonie.toml").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("telefonie.toml: regel 5: unknown variant `fax`"),
        "{error}"
    );
}
