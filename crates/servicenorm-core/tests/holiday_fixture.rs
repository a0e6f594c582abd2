//! The built-in calendars' holidays, 1990..=2100, against fixtures written by an
//! independent reference implementation (`scripts/gen_holiday_fixture.py`,
//! written from the domain text with its own Easter algorithm). Every
//! difference is collected first and reported at once, so one run shows the
//! whole extent of a disagreement instead of only its first year.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use servicenorm_core::calendar::Calendar;

const FIRST_YEAR: i16 = 1990;
const LAST_YEAR: i16 = 2100;

/// One holiday as the fixture writes it: ISO date and name.
type Line = (String, String);

/// Reads a fixture into its holidays per year, in file order. Panics on a
/// malformed line: a broken fixture must fail loudly, not compare as empty.
fn read_fixture(text: &str) -> BTreeMap<i16, Vec<Line>> {
    let mut years: BTreeMap<i16, Vec<Line>> = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (date, name) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("line {}: no tab in {line:?}", number + 1));
        let year: i16 = date
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or_else(|| panic!("line {}: bad date {date:?}", number + 1));
        years
            .entry(year)
            .or_default()
            .push((date.to_string(), name.to_string()));
    }
    years
}

/// Every difference between the engine's calendar and the fixture.
fn differences(calendar: &Calendar, fixture: &str) -> Vec<String> {
    let expected = read_fixture(fixture);
    let mut problems = Vec::new();
    // The fixture must cover exactly the years under test; otherwise a
    // truncated file would make missing years pass silently.
    let fixture_years: Vec<i16> = expected.keys().copied().collect();
    let all_years: Vec<i16> = (FIRST_YEAR..=LAST_YEAR).collect();
    if fixture_years != all_years {
        let absent: Vec<i16> = minus_years(&all_years, &fixture_years);
        let surplus: Vec<i16> = minus_years(&fixture_years, &all_years);
        problems.push(format!(
            "fixture years differ from {FIRST_YEAR}..={LAST_YEAR}: absent {absent:?}, surplus {surplus:?}"
        ));
    }
    for year in FIRST_YEAR..=LAST_YEAR {
        let want = expected.get(&year).cloned().unwrap_or_default();
        let got: Vec<Line> = calendar
            .holidays_in(year)
            .map(|h| (h.date.to_string(), h.name.clone()))
            .collect();
        if got == want {
            continue;
        }
        // Report by content first; if the contents agree, only the order
        // differs (holidays_in promises date order).
        let missing = minus(&want, &got);
        let extra = minus(&got, &want);
        for (date, name) in &missing {
            problems.push(format!("{year}: fixture has {date} {name}, engine not"));
        }
        for (date, name) in &extra {
            problems.push(format!("{year}: engine has {date} {name}, fixture not"));
        }
        if missing.is_empty() && extra.is_empty() {
            problems.push(format!(
                "{year}: same holidays, different order: engine {got:?}, fixture {want:?}"
            ));
        }
    }
    problems
}

/// The lines of `a` not in `b`, counting duplicates (two holidays can share a
/// date and even, in principle, a line).
fn minus(a: &[Line], b: &[Line]) -> Vec<Line> {
    let mut rest: Vec<&Line> = b.iter().collect();
    a.iter()
        .filter(|line| match rest.iter().position(|other| other == line) {
            Some(i) => {
                rest.swap_remove(i);
                false
            }
            None => true,
        })
        .cloned()
        .collect()
}

fn minus_years(a: &[i16], b: &[i16]) -> Vec<i16> {
    a.iter().copied().filter(|y| !b.contains(y)).collect()
}

fn check(calendar: &Calendar, fixture: &str, fixture_name: &str) {
    let problems = differences(calendar, fixture);
    assert!(
        problems.is_empty(),
        "{} difference(s) between calendar {} and {fixture_name}:\n{}",
        problems.len(),
        calendar.id(),
        problems.join("\n")
    );
}

#[test]
fn atw_holidays_match_the_reference() {
    check(
        Calendar::atw().unwrap(),
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/holidays_atw_1990_2100.tsv"
        )),
        "holidays_atw_1990_2100.tsv",
    );
}

#[test]
fn gemeente_holidays_match_the_reference() {
    check(
        Calendar::gemeente().unwrap(),
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/holidays_gemeente_1990_2100.tsv"
        )),
        "holidays_gemeente_1990_2100.tsv",
    );
}
