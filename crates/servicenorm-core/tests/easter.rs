//! `calendar::easter` (Meeus/Jones/Butcher) against an independent algorithm,
//! Knuth's Algorithm E (TAOCP vol. 1, 1.3.2 exercise 14), for every Gregorian
//! year 1583..=4099. The range is small enough to test exhaustively, which is
//! better than sampling it; it is also the range over which the domain text
//! checked the formula against `dateutil`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::{Date, Weekday, date};
use servicenorm_core::calendar::easter;

/// Easter Sunday by Knuth's Algorithm E, which works with the golden number
/// and the epact rather than with the Meeus/Jones/Butcher intermediates.
fn knuth_easter(year: i16) -> Date {
    let y = i32::from(year);
    let golden = y % 19 + 1; // E1: golden number
    let century = y / 100 + 1; // E2: century
    let x = 3 * century / 4 - 12; // E3: years like 1900 that dropped a leap day
    let z = (8 * century + 5) / 25 - 5; // E3: synchronisation with the moon's orbit
    let d = 5 * y / 4 - x - 10; // E4: March ((-d) mod 7) is a Sunday
    let mut epact = (11 * golden + 20 + z - x).rem_euclid(30); // E5
    // E5: the two epact exceptions that keep Easter from falling too late.
    if (epact == 25 && golden > 11) || epact == 24 {
        epact += 1;
    }
    let mut n = 44 - epact; // E6: the calendar full moon, as a day of March
    if n < 21 {
        n += 30;
    }
    n = n + 7 - (d + n).rem_euclid(7); // E7: advance to the next Sunday
    // E8: days past 31 run into April.
    let (month, day) = if n > 31 { (4, n - 31) } else { (3, n) };
    date(year, month, i8::try_from(day).unwrap())
}

#[test]
fn easter_matches_knuth_for_every_year_1583_to_4099() {
    // Collect every mismatch, so a failure shows its whole pattern at once.
    let mut problems = Vec::new();
    for year in 1583..=4099 {
        let engine = easter(year);
        let reference = knuth_easter(year);
        if engine != reference {
            problems.push(format!("{year}: engine {engine}, Knuth {reference}"));
        }
        // Independent of both algorithms: Easter is a Sunday between
        // 22 March and 25 April.
        if engine.weekday() != Weekday::Sunday {
            problems.push(format!("{year}: engine {engine} is not a Sunday"));
        }
        if !(date(year, 3, 22)..=date(year, 4, 25)).contains(&engine) {
            problems.push(format!(
                "{year}: engine {engine} outside 22 March..=25 April"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_reference_itself_agrees_with_the_domain_table() {
    // Guard the test's own algorithm, so a mistake in it cannot hide behind
    // an equal mistake in the engine (legal-terms-nl.md section 5).
    for (year, expected) in [
        (1818, "1818-03-22"),
        (1943, "1943-04-25"),
        (2000, "2000-04-23"),
        (2008, "2008-03-23"),
        (2026, "2026-04-05"),
        (2038, "2038-04-25"),
        (2100, "2100-03-28"),
        (2285, "2285-03-22"),
    ] {
        assert_eq!(knuth_easter(year).to_string(), expected, "{year}");
    }
}
