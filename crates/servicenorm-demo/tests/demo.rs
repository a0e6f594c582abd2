//! The generated stream: deterministic, readable, judgeable, and realistic
//! enough that the shares met are plausible.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::Date};
use servicenorm_core::{
    catalog::{self, Catalog, CatalogVersions},
    evaluation::{Detail, State, evaluate},
    events::{CaseEvents, Event, read},
    time::Moment,
};
use servicenorm_demo::{Format, Generator, Options, Summary, profiles, write};

const TEST_CATALOG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../servicenorm-core/tests/data/catalog_test.toml"
);
const HEEMSKERK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalogs/heemskerk.toml");
const BUCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalogs/buch.toml");

fn load(path: &str) -> Catalog {
    let text = std::fs::read_to_string(path).unwrap();
    catalog::parse(&text, path).unwrap()
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn options(from: &str, to: &str, seed: u64) -> Options {
    Options {
        from: date(from),
        to: date(to),
        seed,
    }
}

fn bytes(catalog: &Catalog, options: &Options, format: Format) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let summary = write(catalog, options, format, &mut out).unwrap();
    (out, summary)
}

fn read_csv(data: &[u8]) -> Vec<Event> {
    let mut reader = csv::ReaderBuilder::new().from_reader(data);
    assert_eq!(
        reader
            .headers()
            .unwrap()
            .iter()
            .collect::<Vec<_>>()
            .join(","),
        servicenorm_core::events::CSV_HEADER
    );
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let fields: Vec<&str> = record.iter().collect();
            read::from_csv_fields(&fields).unwrap_or_else(|e| panic!("{e}: {}", fields.join(",")))
        })
        .collect()
}

fn read_jsonl(data: &[u8]) -> Vec<Event> {
    std::str::from_utf8(data)
        .unwrap()
        .lines()
        .map(|line| read::from_json_line(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_others() {
    let catalog = load(TEST_CATALOG);
    let a = bytes(
        &catalog,
        &options("2026-03-02", "2026-03-15", 7),
        Format::Csv,
    );
    let b = bytes(
        &catalog,
        &options("2026-03-02", "2026-03-15", 7),
        Format::Csv,
    );
    let c = bytes(
        &catalog,
        &options("2026-03-02", "2026-03-15", 8),
        Format::Csv,
    );
    assert!(a.1.events > 1000, "{:?}", a.1);
    assert_eq!(a, b);
    assert_ne!(a.0, c.0);
    let j1 = bytes(
        &catalog,
        &options("2026-03-02", "2026-03-15", 7),
        Format::Jsonl,
    );
    let j2 = bytes(
        &catalog,
        &options("2026-03-02", "2026-03-15", 7),
        Format::Jsonl,
    );
    assert_eq!(j1, j2);
    assert_eq!(j1.1, a.1);
}

#[test]
fn every_line_reads_back_and_csv_and_jsonl_say_the_same() {
    let catalog = load(TEST_CATALOG);
    let options = options("2026-03-23", "2026-04-12", 3);
    let (csv, summary) = bytes(&catalog, &options, Format::Csv);
    let (jsonl, _) = bytes(&catalog, &options, Format::Jsonl);
    let from_csv = read_csv(&csv);
    let from_jsonl = read_jsonl(&jsonl);
    assert_eq!(from_csv.len() as u64, summary.events);
    assert_eq!(from_csv, from_jsonl);
    // The generator hands out the same events.
    let direct: Vec<Event> = Generator::new(&catalog, &options).unwrap().collect();
    assert_eq!(direct, from_csv);
    // Ids are unique: a repeated id is an exact duplicate.
    let mut seen: BTreeMap<&str, &Event> = BTreeMap::new();
    for event in &from_csv {
        if let Some(first) = seen.insert(&event.id, event) {
            assert_eq!(first, event);
        }
    }
    let repeated = from_csv.len() - seen.len();
    assert_eq!(repeated as u64, summary.duplicates);
    // No personal data: synthetic ids only.
    assert!(
        from_csv
            .iter()
            .all(|e| e.id.starts_with('e') && e.case.starts_with('z'))
    );
    // In time order apart from the deliberate noise (about 1 %).
    let out_of_order = from_csv.windows(2).filter(|w| w[1].at < w[0].at).count();
    assert!(out_of_order * 100 < from_csv.len() * 3, "{out_of_order}");
    assert!(summary.late > 0 && summary.duplicates > 0, "{summary:?}");
    let end = options.to.tomorrow().unwrap();
    assert!(
        from_csv
            .iter()
            .all(|e| Moment::in_amsterdam(e.at).date() < end)
    );
}

/// Per norm: (met, missed, open, not applicable).
type Tally = BTreeMap<String, [u32; 4]>;

fn judge(catalog: Catalog, options: &Options) -> (Tally, usize) {
    let generator = Generator::new(&catalog, options).unwrap();
    let as_of = Timestamp::from_second(generator.period_end().as_second() - 1).unwrap();
    let mut cases: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for event in generator {
        cases.entry(event.case.to_string()).or_default().push(event);
    }
    let count = cases.len();
    let versions = CatalogVersions::new(vec![catalog]);
    let mut tally = Tally::new();
    for (id, events) in cases {
        let case = CaseEvents::new(events).unwrap_or_else(|e| panic!("{id}: {e}"));
        let evaluation = evaluate(&versions, &case, as_of, Detail::Brief)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(
            evaluation.findings.is_empty(),
            "{id}: {:?}\n{:#?}",
            evaluation.findings,
            case.events()
        );
        for result in evaluation.norms {
            let slot = match result.state {
                State::Gehaald => 0,
                State::NietGehaald => 1,
                State::NietVanToepassing => 3,
                _ => 2,
            };
            tally.entry(result.norm.to_string()).or_default()[slot] += 1;
        }
    }
    (tally, count)
}

fn share_met(catalog: &Catalog, tally: &Tally, kind: &str) -> f64 {
    let (met, missed) = catalog
        .norms
        .iter()
        .filter(|n| n.kind.name() == kind)
        .filter_map(|n| tally.get(&*n.id))
        .fold((0, 0), |(m, x), t| (m + t[0], x + t[1]));
    f64::from(met) / f64::from(met + missed).max(1.0)
}

fn check(path: &str, options: &Options) {
    let catalog = load(path);
    let measured: Vec<(String, &'static str)> = catalog
        .norms
        .iter()
        .filter(|n| n.kind.is_measured())
        .map(|n| (n.id.to_string(), n.kind.name()))
        .collect();
    let (tally, cases) = judge(load(path), options);
    println!("{path}: {cases} cases");
    for (norm, [met, missed, open, na]) in &tally {
        println!("  {norm:40} met {met:6} missed {missed:5} open {open:5} n/a {na:6}");
    }
    let deadline = share_met(&catalog, &tally, "deadline");
    println!("  deadline share met: {deadline:.3}");
    assert!((0.70..=0.99).contains(&deadline), "{deadline}");
    // Every measured norm is exercised.
    for (norm, kind) in measured {
        let [met, missed, open, _] = tally.get(&norm).copied().unwrap_or_default();
        assert!(met + missed + open > 0, "{kind} {norm} never applies");
    }
    let limit = share_met(&catalog, &tally, "limit");
    assert!((0.70..=0.99).contains(&limit), "{limit}");
}

#[test]
fn every_case_is_judged_and_plausible_shares_are_met() {
    check(TEST_CATALOG, &options("2026-02-02", "2026-04-26", 11));
}

#[test]
fn the_published_catalogs_are_judged_without_findings() {
    check(HEEMSKERK, &options("2026-03-02", "2026-03-22", 5));
    check(BUCH, &options("2026-05-01", "2026-05-17", 6));
}

#[test]
fn staffed_channels_only_see_arrivals_in_office_hours() {
    let catalog = load(BUCH);
    let profiles = profiles(&catalog);
    let staffed: BTreeMap<&str, &str> = profiles
        .iter()
        .filter(|p| p.profile.staffed())
        .map(|p| (p.case_type.as_str(), p.calendar.as_str()))
        .collect();
    assert!(staffed.contains_key("telefoongesprek") && staffed.contains_key("baliebezoek"));
    assert!(!staffed.contains_key("email") && !staffed.contains_key("melding-openbare-ruimte"));
    // Easter and King's Day: closed days, and weekends.
    let options = options("2026-04-01", "2026-04-30", 2);
    let mut seen = 0;
    let mut weekend_email = 0;
    for event in Generator::new(&catalog, &options).unwrap() {
        let Some(case_type) = &event.case_type else {
            continue;
        };
        let local = Moment::in_amsterdam(event.at);
        if let Some(calendar) = staffed.get(&**case_type) {
            let calendar = catalog.calendar(calendar).unwrap();
            let date = local.date();
            assert_eq!(calendar.is_working_day(date), Some(true), "{event:?}");
            let time = local.civil().time();
            let seconds =
                time.hour() as u32 * 3600 + time.minute() as u32 * 60 + time.second() as u32;
            assert!(
                calendar
                    .office_hours_on(date)
                    .intervals()
                    .iter()
                    .any(|&(open, close)| open <= seconds && seconds < close),
                "{event:?}"
            );
            seen += 1;
        } else if &**case_type == "email" && local.date().weekday().to_monday_one_offset() > 5 {
            weekend_email += 1;
        }
    }
    assert!(seen > 10_000, "{seen}");
    assert!(weekend_email > 0);
}

#[test]
fn bad_periods_are_refused() {
    let catalog = load(TEST_CATALOG);
    assert!(Generator::new(&catalog, &options("2026-03-02", "2026-03-01", 1)).is_err());
    assert!(Generator::new(&catalog, &options("1980-01-01", "1980-01-02", 1)).is_err());
}

/// A whole year of both catalogs: `cargo test --release -p servicenorm-demo -- --ignored`.
#[test]
#[ignore = "a year of events: run in release"]
fn a_whole_year_is_judged_without_findings() {
    check(HEEMSKERK, &options("2026-01-01", "2026-12-31", 1));
    check(BUCH, &options("2026-01-01", "2026-12-31", 1));
}
