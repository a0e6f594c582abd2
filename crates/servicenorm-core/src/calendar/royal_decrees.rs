//! Days equated with public holidays by royal decree (Atw art. 3 lid 3).
//!
//! These cannot be computed: each decree names its days. The table holds the
//! decrees found in the Staatscourant; a year not covered by any decree is
//! reported as unknown, and no days are invented for it.

use jiff::civil::{Date, date};

/// One royal decree (Besluit) that equates days with holidays.
#[derive(Debug, Clone, Copy)]
pub struct RoyalDecree {
    /// How the decree is cited.
    pub citation: &'static str,
    /// The years the decree covers.
    pub years: (i16, i16),
    /// The equated days, with a short name.
    pub days: &'static [(Date, &'static str)],
}

pub const ROYAL_DECREES: &[RoyalDecree] = &[
    RoyalDecree {
        citation: "Besluit van 24 oktober 2016, BWBR0038666",
        years: (2017, 2019),
        days: &[
            (date(2017, 4, 28), "vrijdag na Koningsdag"),
            (date(2017, 5, 26), "vrijdag na Hemelvaartsdag"),
            (date(2018, 5, 11), "vrijdag na Hemelvaartsdag"),
            (date(2018, 12, 24), "maandag voor Eerste Kerstdag"),
            (date(2018, 12, 31), "maandag voor Nieuwjaarsdag"),
            (date(2019, 5, 31), "vrijdag na Hemelvaartsdag"),
            (date(2019, 12, 27), "vrijdag na Tweede Kerstdag"),
        ],
    },
    RoyalDecree {
        citation: "Besluit gelijkstelling 2023-2025, Stcrt. 2022, 7812",
        years: (2023, 2025),
        days: &[
            (date(2023, 4, 28), "vrijdag na Koningsdag"),
            (date(2023, 5, 19), "vrijdag na Hemelvaartsdag"),
            (date(2024, 5, 10), "vrijdag na Hemelvaartsdag"),
            (date(2024, 12, 27), "vrijdag na Tweede Kerstdag"),
            (date(2025, 5, 30), "vrijdag na Hemelvaartsdag"),
        ],
    },
    RoyalDecree {
        citation: "Besluit gelijkstelling 2026-2028, Stcrt. 2025, 24713",
        years: (2026, 2028),
        days: &[
            (date(2026, 1, 2), "vrijdag na Nieuwjaarsdag"),
            (date(2026, 5, 15), "vrijdag na Hemelvaartsdag"),
            (date(2027, 5, 7), "vrijdag na Hemelvaartsdag"),
            (date(2028, 4, 28), "vrijdag na Koningsdag"),
            (date(2028, 5, 26), "vrijdag na Hemelvaartsdag"),
        ],
    },
];

/// Whether a decree covering `year` is known.
pub fn decree_known(year: i16) -> bool {
    ROYAL_DECREES
        .iter()
        .any(|d| (d.years.0..=d.years.1).contains(&year))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_lies_in_its_decrees_years_and_is_a_weekday() {
        for decree in ROYAL_DECREES {
            for (day, _) in decree.days {
                assert!(
                    (decree.years.0..=decree.years.1).contains(&day.year()),
                    "{day}"
                );
                assert!(day.weekday().to_monday_one_offset() <= 5, "{day}");
            }
        }
    }

    #[test]
    fn known_years() {
        assert!(!decree_known(2016));
        assert!(decree_known(2017) && decree_known(2019));
        assert!(!decree_known(2020) && !decree_known(2022));
        assert!(decree_known(2023) && decree_known(2028));
        assert!(!decree_known(2029));
    }
}
