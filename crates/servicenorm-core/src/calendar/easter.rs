//! Easter Sunday by the Gregorian computus.

use jiff::civil::{Date, date};

/// Easter Sunday of `year` (Gregorian), by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher). Valid for 1583 and later.
///
/// ```
/// use servicenorm_core::calendar::easter;
/// assert_eq!(easter(2026).to_string(), "2026-04-05");
/// assert_eq!(easter(2038).to_string(), "2038-04-25"); // the latest possible date
/// ```
pub fn easter(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // month is 3 or 4 and day 1..=31 by construction of the computus.
    date(year, month as i8, day as i8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_from_the_research_table() {
        for (year, expected) in [
            (1990, "1990-04-15"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2043, "2043-03-29"),
            (2049, "2049-04-18"),
            (2100, "2100-03-28"),
            (1818, "1818-03-22"),
            (2285, "2285-03-22"),
            (1943, "1943-04-25"),
        ] {
            assert_eq!(easter(year).to_string(), expected, "{year}");
        }
    }
}
