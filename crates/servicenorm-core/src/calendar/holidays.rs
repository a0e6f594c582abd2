//! The named non-working days of the two built-in calendars.
//!
//! `atw`: the holidays of the Algemene termijnenwet (art. 3 lid 1 and 2) and
//! the days equated with them by royal decree (art. 3 lid 3), for statutory
//! terms. `gemeente`: the paid holidays of the municipal collective agreement
//! (cao Gemeenten), for service norms. Goede Vrijdag counts for the Atw, not
//! for the cao.

use jiff::{
    ToSpan,
    civil::{Date, Weekday, date},
};
use serde::Serialize;

use super::{easter::easter, royal_decrees::ROYAL_DECREES};

/// A day that is not a working day, with its name and the rule that makes it so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    pub date: Date,
    /// The name in Dutch, such as "Tweede Paasdag".
    pub name: String,
    /// The rule, such as "Atw art. 3 lid 1".
    pub basis: String,
}

impl Holiday {
    fn new(date: Date, name: impl Into<String>, basis: impl Into<String>) -> Holiday {
        Holiday {
            date,
            name: name.into(),
            basis: basis.into(),
        }
    }
}

const ATW_3_1: &str = "Atw art. 3 lid 1";
const CAO: &str = "cao Gemeenten art. 6.6";

/// The Atw holidays of `year`, sorted by date. Weekend days are not listed,
/// but holidays that fall in a weekend are.
///
/// ```
/// use servicenorm_core::calendar::holidays::atw_holidays;
/// let names: Vec<_> = atw_holidays(2026).into_iter().map(|h| h.name).collect();
/// assert!(names.contains(&"Goede Vrijdag".to_string()));
/// ```
pub fn atw_holidays(year: i16) -> Vec<Holiday> {
    let e = easter(year);
    let mut days = vec![
        Holiday::new(date(year, 1, 1), "Nieuwjaarsdag", ATW_3_1),
        Holiday::new(shift(e, -2), "Goede Vrijdag", "Atw art. 3 lid 2"),
        Holiday::new(shift(e, 1), "Tweede Paasdag", ATW_3_1),
        kings_day(year, ATW_3_1),
        Holiday::new(
            date(year, 5, 5),
            "Bevrijdingsdag",
            "Atw art. 3 lid 1 (de vijfde mei)",
        ),
        Holiday::new(shift(e, 39), "Hemelvaartsdag", ATW_3_1),
        Holiday::new(shift(e, 50), "Tweede Pinksterdag", ATW_3_1),
        Holiday::new(date(year, 12, 25), "Eerste Kerstdag", ATW_3_1),
        Holiday::new(date(year, 12, 26), "Tweede Kerstdag", ATW_3_1),
    ];
    for decree in ROYAL_DECREES {
        for (day, what) in decree.days.iter().filter(|(d, _)| d.year() == year) {
            days.push(Holiday::new(
                *day,
                format!("Gelijkgestelde dag ({what})"),
                format!("gelijkgesteld, Atw art. 3 lid 3, {}", decree.citation),
            ));
        }
    }
    sorted(days)
}

/// The holidays of the municipal collective agreement in `year`, sorted by date.
///
/// Bevrijdingsdag is a paid holiday every year from 2024; before that, the
/// agreement left it to a local choice, and this calendar follows the common
/// one: every fifth year (a municipality that chose otherwise adds it as a
/// closing day).
pub fn gemeente_holidays(year: i16) -> Vec<Holiday> {
    let e = easter(year);
    let mut days = vec![
        Holiday::new(date(year, 1, 1), "Nieuwjaarsdag", CAO),
        Holiday::new(shift(e, 1), "Tweede Paasdag", CAO),
        kings_day(year, CAO),
        Holiday::new(shift(e, 39), "Hemelvaartsdag", CAO),
        Holiday::new(shift(e, 50), "Tweede Pinksterdag", CAO),
        Holiday::new(date(year, 12, 25), "Eerste Kerstdag", CAO),
        Holiday::new(date(year, 12, 26), "Tweede Kerstdag", CAO),
    ];
    if year >= 2024 {
        days.push(Holiday::new(date(year, 5, 5), "Bevrijdingsdag", CAO));
    } else if year % 5 == 0 {
        days.push(Holiday::new(
            date(year, 5, 5),
            "Bevrijdingsdag",
            "cao Gemeenten, lustrumjaar (voor 2024 een lokale keuze)",
        ));
    }
    sorted(days)
}

/// Koningsdag (from 2014, 27 April) or Koninginnedag (until 2013, 30 April);
/// when that date is a Sunday the day is celebrated on the Saturday before.
fn kings_day(year: i16, basis: &str) -> Holiday {
    let (name, day, decree) = if year >= 2014 {
        (
            "Koningsdag",
            27,
            "Besluit van 30 januari 2013, Stcrt. 2013, 4075",
        )
    } else {
        ("Koninginnedag", 30, "KB van 24 april 1980")
    };
    let nominal = date(year, 4, day);
    if nominal.weekday() == Weekday::Sunday {
        Holiday::new(
            shift(nominal, -1),
            name,
            format!("{basis}; {day} april valt op zondag, daarom zaterdag ({decree})"),
        )
    } else {
        Holiday::new(nominal, name, format!("{basis} ({decree})"))
    }
}

fn shift(day: Date, days: i32) -> Date {
    // Easter-relative holidays stay inside their year, far from Date's limits.
    day.checked_add(days.days()).unwrap_or(day)
}

fn sorted(mut days: Vec<Holiday>) -> Vec<Holiday> {
    days.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.name.cmp(&b.name)));
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(list: &[Holiday]) -> Vec<String> {
        list.iter()
            .map(|h| format!("{} {}", h.date, h.name))
            .collect()
    }

    #[test]
    fn atw_2026_has_good_friday_and_the_decree_days() {
        let list = dates(&atw_holidays(2026));
        assert_eq!(
            list,
            [
                "2026-01-01 Nieuwjaarsdag",
                "2026-01-02 Gelijkgestelde dag (vrijdag na Nieuwjaarsdag)",
                "2026-04-03 Goede Vrijdag",
                "2026-04-06 Tweede Paasdag",
                "2026-04-27 Koningsdag",
                "2026-05-05 Bevrijdingsdag",
                "2026-05-14 Hemelvaartsdag",
                "2026-05-15 Gelijkgestelde dag (vrijdag na Hemelvaartsdag)",
                "2026-05-25 Tweede Pinksterdag",
                "2026-12-25 Eerste Kerstdag",
                "2026-12-26 Tweede Kerstdag",
            ]
        );
    }

    #[test]
    fn kings_day_moves_to_saturday_when_27_april_is_a_sunday() {
        for year in [
            2014, 2025, 2031, 2036, 2042, 2053, 2059, 2064, 2070, 2081, 2087, 2092, 2098,
        ] {
            let day = kings_day(year, ATW_3_1);
            assert_eq!(day.date, date(year, 4, 26), "{year}");
        }
        for year in [1995, 2000, 2006] {
            let day = kings_day(year, ATW_3_1);
            assert_eq!(
                (day.name.as_str(), day.date),
                ("Koninginnedag", date(year, 4, 29))
            );
        }
    }

    #[test]
    fn gemeente_has_no_good_friday_and_liberation_day_every_year_from_2024() {
        let list = dates(&gemeente_holidays(2026));
        assert!(!list.iter().any(|d| d.contains("Goede Vrijdag")));
        assert!(list.contains(&"2026-05-05 Bevrijdingsdag".to_string()));
        assert!(
            !dates(&gemeente_holidays(2023))
                .iter()
                .any(|d| d.contains("Bevrijdingsdag"))
        );
        assert!(
            dates(&gemeente_holidays(2020))
                .iter()
                .any(|d| d.contains("Bevrijdingsdag"))
        );
    }
}
