//! Every row of the domain research's test vectors (tests/data/legal_vectors.csv,
//! ids kept), run against the engine. The term for each row is in
//! tests/data/legal_vectors_terms.toml.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::Date};
use serde::Deserialize;
use servicenorm_core::{
    calendar::Calendar,
    terms::{
        Clock, Extension, ExtensionRule, Suspension, SuspensionCounting, Term, TermError,
        WarningKind, dwangsom,
    },
    time::{InstantError, Moment, Resolve, parse_instant},
};

#[derive(Deserialize)]
struct Row {
    id: String,
    start: String,
    expected_deadline: String,
    expected_deadline_utc: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Mapping {
    kind: Option<String>,
    term: Option<String>,
    calendar: Option<String>,
    calendar_toml: Option<String>,
    #[serde(default)]
    suspensions: Vec<(String, String)>,
    #[serde(default)]
    extensions: Vec<String>,
    max_extension: Option<String>,
    #[serde(default)]
    weekend: bool,
    regular: Option<String>,
    regular_expected: Option<String>,
    alt_term: Option<String>,
    alt_expected: Option<String>,
    alt_inclusive_expected: Option<String>,
    alt_calendar_not_weekend: Option<String>,
    alt_resolve: Option<String>,
}

/// All `YYYY-MM-DD` dates in a text, in order.
fn dates_in(text: &str) -> Vec<Date> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(9))
        .filter(|&i| {
            let s = &bytes[i..i + 10];
            s[4] == b'-'
                && s[7] == b'-'
                && s.iter()
                    .enumerate()
                    .all(|(j, b)| j == 4 || j == 7 || b.is_ascii_digit())
        })
        .filter_map(|i| text[i..i + 10].parse().ok())
        .collect()
}

/// The first RFC 3339-like token (date with `T` time), if any.
fn instant_token(text: &str) -> Option<&str> {
    text.split_whitespace()
        .find(|w| w.len() > 10 && w.as_bytes()[10] == b'T' && !dates_in(w).is_empty())
}

/// The start of a row: an instant when the row gives a time, else noon of
/// its date (statutory and calendar terms count from the date alone).
fn start_of(row: &Row) -> Result<Timestamp, InstantError> {
    if let Some(token) = instant_token(&row.start) {
        return parse_instant(token, Resolve::Reject);
    }
    let date = dates_in(&row.start)[0];
    // "2026-04-03 (vr) 10:00 (+02:00)"
    let words: Vec<&str> = row.start.split_whitespace().collect();
    if let (Some(time), Some(offset)) = (
        words
            .iter()
            .find(|w| w.len() == 5 && w.as_bytes()[2] == b':'),
        words
            .iter()
            .find(|w| w.starts_with("(+") || w.starts_with("(-")),
    ) {
        let text = format!("{date}T{time}{}", offset.trim_matches(['(', ')']));
        return parse_instant(&text, Resolve::Reject);
    }
    parse_instant(&format!("{date}T12:00"), Resolve::Reject)
}

fn end_of_day(date: Date) -> String {
    let ts = parse_instant(&format!("{date}T23:59:59"), Resolve::Reject).unwrap();
    Moment::in_amsterdam(ts).to_string()
}

/// The expected deadline as RFC 3339: "2026-04-23 (do) einde dag" is the end
/// of that local day.
fn expected_of(text: &str) -> String {
    if let Some(token) = instant_token(text) {
        let ts = parse_instant(token, Resolve::Reject).unwrap();
        return Moment::in_amsterdam(ts).to_string();
    }
    end_of_day(dates_in(text)[0])
}

fn noon(date: &str) -> Timestamp {
    parse_instant(&format!("{date}T12:00"), Resolve::Reject).unwrap()
}

fn calendar(mapping: &Mapping, id: &str) -> &'static Calendar {
    match &mapping.calendar_toml {
        // One small leak per inline calendar keeps the built-ins shared.
        Some(toml) => Box::leak(Box::new(Calendar::from_toml(toml, id).unwrap())),
        None => Calendar::builtin(mapping.calendar.as_deref().unwrap()).unwrap(),
    }
}

fn check_row(row: &Row, mapping: &Mapping) -> Result<(), String> {
    if mapping.kind.as_deref() == Some("dwangsom") {
        let dates = dates_in(&row.start);
        let result = dwangsom(dates[0], dates[1]);
        if row.expected_deadline.starts_with("geen dwangsom") {
            return match result {
                Err(TermError::PrematureNotice { .. }) => Ok(()),
                other => Err(format!("expected a premature notice, got {other:?}")),
            };
        }
        let period = result.map_err(|e| e.to_string())?;
        let expected = dates_in(&row.expected_deadline);
        let got = (period.first_day, period.last_day, period.max_amount_eur);
        return if got == (expected[0], expected[1], 1442) && row.expected_deadline.contains("1442")
        {
            Ok(())
        } else {
            Err(format!("got {got:?}, expected {:?}", row.expected_deadline))
        };
    }

    let term: Term = mapping
        .term
        .as_deref()
        .unwrap()
        .parse()
        .map_err(|e| format!("{e}"))?;
    let cal = calendar(mapping, &row.id);

    if row.expected_deadline.starts_with("FOUT") {
        return match start_of(row) {
            Err(InstantError::Nonexistent { .. }) => {
                let resolve = mapping
                    .alt_resolve
                    .as_deref()
                    .unwrap()
                    .parse::<Resolve>()
                    .unwrap();
                let token = row.start.split_whitespace().next().unwrap();
                let start = parse_instant(token, resolve).unwrap();
                let got = term.deadline(start, cal).unwrap().to_string();
                expect(&got, mapping.alt_expected.as_deref().unwrap())
            }
            other => Err(format!("expected a nonexistent local time, got {other:?}")),
        };
    }
    if row.expected_deadline.starts_with("met offset") {
        // V87: the ambiguous local time with each of its two offsets.
        let token = row.start.split_whitespace().next().unwrap();
        match parse_instant(token, Resolve::Reject) {
            Err(InstantError::Ambiguous { .. }) => {}
            other => return Err(format!("expected an ambiguous local time, got {other:?}")),
        }
        let outcomes: Vec<&str> = row.expected_deadline.split(';').collect();
        let utc: Vec<&str> = row
            .expected_deadline_utc
            .split('/')
            .map(str::trim)
            .collect();
        for ((resolve, outcome), utc) in [Resolve::Earlier, Resolve::Later]
            .into_iter()
            .zip(outcomes)
            .zip(utc)
        {
            let start = parse_instant(token, resolve).unwrap();
            let got = term.deadline(start, cal).unwrap();
            expect(&got.to_string(), &expected_of(outcome))?;
            expect_utc(got.timestamp(), utc)?;
        }
        return Ok(());
    }

    let start = start_of(row).map_err(|e| e.to_string())?;
    if mapping.weekend {
        let inside = cal.in_weekend_window(start).unwrap();
        if row.expected_deadline.starts_with("n.v.t.") {
            if inside {
                return Err("inside the weekend window, expected outside".into());
            }
            let regular: Term = mapping.regular.as_deref().unwrap().parse().unwrap();
            let got = regular.deadline(start, cal).unwrap().to_string();
            return expect(&got, mapping.regular_expected.as_deref().unwrap());
        }
        if !inside {
            return Err("outside the weekend window, expected inside".into());
        }
        if let Some(other) = &mapping.alt_calendar_not_weekend
            && Calendar::builtin(other)
                .unwrap()
                .in_weekend_window(start)
                .unwrap()
        {
            return Err(format!(
                "with calendar {other} the start must be outside the weekend window"
            ));
        }
    }

    let clock = Clock {
        suspensions: mapping
            .suspensions
            .iter()
            .map(|(from, until)| Suspension {
                from: noon(from),
                until: noon(until),
            })
            .collect(),
        extensions: mapping
            .extensions
            .iter()
            .map(|t| Extension {
                term: t.parse().unwrap(),
                announced: None,
            })
            .collect(),
        extension_rule: match &mapping.max_extension {
            Some(max) => ExtensionRule::UpTo {
                max: max.parse().unwrap(),
            },
            None => ExtensionRule::Unlimited,
        },
        ..Clock::default()
    };
    let result = term
        .explain(start, &clock, cal)
        .map_err(|e| e.to_string())?;
    expect(
        &result.deadline.to_string(),
        &expected_of(&row.expected_deadline),
    )?;
    if !row.expected_deadline_utc.is_empty() {
        expect_utc(
            result.deadline.timestamp(),
            row.expected_deadline_utc.trim(),
        )?;
    }
    if result
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::ExtensionAboveMaximum)
    {
        return Err(format!("unexpected warning: {:?}", result.warnings));
    }
    // The fast path agrees with the explained one.
    if clock == Clock::default() {
        expect(
            &term.deadline(start, cal).unwrap().to_string(),
            &result.deadline.to_string(),
        )?;
    }
    if let Some(alt) = &mapping.alt_term {
        let alt: Term = alt.parse().map_err(|e| format!("{e}"))?;
        expect(
            &alt.deadline(start, cal).unwrap().to_string(),
            mapping.alt_expected.as_deref().unwrap(),
        )?;
    }
    if let Some(expected) = &mapping.alt_inclusive_expected {
        let inclusive = Clock {
            suspension_counting: SuspensionCounting::Inclusive,
            ..clock
        };
        expect(
            &term
                .explain(start, &inclusive, cal)
                .unwrap()
                .deadline
                .to_string(),
            expected,
        )?;
    }
    Ok(())
}

fn expect_utc(got: Timestamp, expected: &str) -> Result<(), String> {
    let expected: Timestamp = expected.parse().map_err(|e| format!("{expected}: {e}"))?;
    if got == expected {
        Ok(())
    } else {
        Err(format!("got {got} UTC, expected {expected}"))
    }
}

fn expect(got: &str, expected: &str) -> Result<(), String> {
    if got == expected {
        Ok(())
    } else {
        Err(format!("got {got}, expected {expected}"))
    }
}

#[test]
fn every_legal_vector_holds() {
    let mut reader = csv::Reader::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/legal_vectors.csv"
    ))
    .unwrap();
    let rows: Vec<Row> = reader.deserialize().collect::<Result<_, _>>().unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/legal_vectors_terms.toml"
    ))
    .unwrap();
    let mut mappings: BTreeMap<String, Mapping> = toml::from_str(&text).unwrap();
    assert_eq!(rows.len(), 87, "the research has 87 vectors");

    let mut failures = Vec::new();
    for row in &rows {
        let Some(mapping) = mappings.remove(&row.id) else {
            failures.push(format!("{}: no entry in legal_vectors_terms.toml", row.id));
            continue;
        };
        if let Err(problem) = check_row(row, &mapping) {
            failures.push(format!("{}: {problem}", row.id));
        }
    }
    for id in mappings.keys() {
        failures.push(format!("{id}: entry without a row in legal_vectors.csv"));
    }
    assert!(
        failures.is_empty(),
        "{} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
