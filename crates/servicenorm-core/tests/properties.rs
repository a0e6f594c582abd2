//! Properties every deadline must have, over random starts from 1990 to 2100,
//! checked against simple day-by-day reference counts written here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use jiff::{Timestamp, civil::Date, tz::TimeZone};
use proptest::prelude::*;
use servicenorm_core::{
    calendar::Calendar,
    terms::{
        Clock, Counting, DayEnd, ElapsedUnit, Extension, PeriodUnit, Suspension,
        SuspensionCounting, Term,
    },
    time::Moment,
};

/// A municipality with a lunch closure, a short Friday, a local closing day
/// and a short Christmas Eve: the tables must handle all of them.
fn lunch_calendar() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(|| {
        Calendar::from_toml(
            r#"
            id = "lunch"
            based_on = "gemeente"
            [office_hours]
            monday = ["08:30-12:30", "13:00-17:00"]
            tuesday = ["08:30-12:30", "13:00-17:00"]
            wednesday = ["08:30-12:30", "13:00-20:00"]
            thursday = ["08:30-12:30", "13:00-17:00"]
            friday = "08:30-12:00"
            [[closing_days]]
            date = 2026-05-15
            name = "Vrijdag na Hemelvaartsdag"
            [[office_hours_exceptions]]
            date = 2025-12-24
            hours = "08:30-12:00"
            "#,
            "lunch.toml",
        )
        .unwrap()
    })
}

fn calendars() -> impl Strategy<Value = &'static Calendar> {
    prop_oneof![
        Just(Calendar::gemeente().unwrap()),
        Just(Calendar::atw().unwrap()),
        Just(lunch_calendar()),
    ]
}

/// Any second from 1990-01-01 to the end of 2099.
fn starts() -> impl Strategy<Value = Timestamp> {
    (631_148_400i64..4_102_441_200i64).prop_map(|s| Timestamp::from_second(s).unwrap())
}

/// Starts clustered around the transitions and holidays of 2025-2027, where
/// most edge cases live.
fn near_starts() -> impl Strategy<Value = Timestamp> {
    (1_735_686_000i64..1_830_294_000i64).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn any_start() -> impl Strategy<Value = Timestamp> {
    prop_oneof![starts(), near_starts()]
}

fn terms() -> impl Strategy<Value = Term> {
    prop_oneof![
        (1u32..200_000).prop_map(|amount| Term::Elapsed {
            amount,
            unit: ElapsedUnit::Seconds,
            statutory: false
        }),
        (1u32..200).prop_map(|amount| Term::Elapsed {
            amount,
            unit: ElapsedUnit::Hours,
            statutory: false
        }),
        (1u32..3_000).prop_map(|minutes| Term::OfficeHours { minutes }),
        (0u32..40, any::<bool>(), any::<bool>()).prop_map(
            |(days, closing, after_hours_rollover)| {
                Term::WorkingDays {
                    days,
                    day_end: if closing {
                        DayEnd::Closing
                    } else {
                        DayEnd::EndOfDay
                    },
                    after_hours_rollover,
                }
            }
        ),
        (1u32..30, 0u8..3, 0u8..3).prop_map(|(count, unit, counting)| Term::Period {
            count,
            unit: [PeriodUnit::Days, PeriodUnit::Weeks, PeriodUnit::Months][unit as usize],
            counting: [
                Counting::Statutory,
                Counting::Policy { roll: false },
                Counting::Policy { roll: true }
            ][counting as usize],
        }),
        (0u32..86_400).prop_map(|s| Term::FirstWorkingDayAt {
            seconds: s / 60 * 60
        }),
    ]
}

fn local(moment: Moment) -> (Date, u32) {
    let civil = moment.civil();
    let seconds = civil.hour() as u32 * 3600 + civil.minute() as u32 * 60 + civil.second() as u32;
    (civil.date(), seconds)
}

/// Office hours by walking day by day over the calendar's public answers:
/// the pseudocode of the research note, independent of the tables.
fn reference_office_end(cal: &Calendar, start: Timestamp, mut remaining: i64) -> Timestamp {
    let tz =
        TimeZone::get("Europe/Amsterdam").unwrap_or_else(|_| servicenorm_core::time::amsterdam());
    let mut day = Moment::in_amsterdam(start).date();
    loop {
        if cal.is_working_day(day).unwrap() {
            for &(open, close) in cal.office_hours_on(day).intervals() {
                let at = |s: u32| {
                    let time = jiff::civil::time((s / 3600) as i8, (s / 60 % 60) as i8, 0, 0);
                    tz.to_ambiguous_timestamp(day.to_datetime(time))
                        .compatible()
                        .unwrap()
                        .as_second()
                };
                let (open, close) = (at(open), at(close));
                let from = open.max(start.as_second());
                if from < close {
                    if remaining <= close - from {
                        return Timestamp::from_second(from + remaining).unwrap();
                    }
                    remaining -= close - from;
                }
            }
        }
        day = day.tomorrow().unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_later_start_never_gives_an_earlier_deadline(
        term in terms(), cal in calendars(), start in any_start(), later in 0i64..400_000,
    ) {
        let later_start = Timestamp::from_second(start.as_second() + later).unwrap();
        let first = term.deadline(start, cal).unwrap();
        let second = term.deadline(later_start, cal).unwrap();
        prop_assert!(second >= first, "{term}: {} from {start}, {} from {later_start}", first, second);
    }

    /// The report uses the fast path with pauses and extensions: it must give
    /// what the explanation gives, or fail the same way.
    #[test]
    fn with_pauses_and_extensions_the_fast_and_explained_paths_agree(
        term in terms(), cal in calendars(), start in any_start(),
        pause_after in 0i64..3_000_000, pause_length in 1i64..2_000_000,
        inclusive in any::<bool>(), weeks in prop::option::of(1u32..7),
    ) {
        let at = |s: i64| Timestamp::from_second(start.as_second() + s).unwrap();
        let clock = Clock {
            suspensions: vec![Suspension { from: at(pause_after), until: at(pause_after + pause_length) }],
            suspension_counting: if inclusive { SuspensionCounting::Inclusive } else { SuspensionCounting::Awb415 },
            extensions: weeks
                .map(|w| Extension { term: format!("{w} weken").parse().unwrap(), announced: None })
                .into_iter()
                .collect(),
            ..Clock::default()
        };
        let fast = term.deadline_with_clock(start, &clock, cal).map_err(|e| e.to_string());
        let explained = term.explain(start, &clock, cal).map(|r| r.deadline).map_err(|e| e.to_string());
        prop_assert_eq!(fast, explained, "{}", term);
    }

    #[test]
    fn the_fast_path_and_the_explained_path_agree(term in terms(), cal in calendars(), start in any_start()) {
        let fast = term.deadline(start, cal).unwrap();
        let explained = term.explain(start, &Default::default(), cal).unwrap();
        prop_assert_eq!(fast, explained.deadline);
        let rollover = matches!(term, Term::WorkingDays { after_hours_rollover: true, .. });
        // Shorter hours on the last day (24 December) end it earlier than
        // the usual closing time; nothing else may.
        let shorter_day = explained
            .adjustments
            .iter()
            .any(|a| a.rule == servicenorm_core::terms::explain::Rule::OtherOfficeHours);
        prop_assert!(
            rollover || shorter_day || explained.nominal_end <= explained.deadline,
            "nominal after deadline"
        );
    }

    #[test]
    fn an_office_hours_deadline_lies_in_office_hours_or_on_a_closing_time(
        minutes in 1u32..5_000, cal in calendars(), start in any_start(),
    ) {
        let deadline = Term::OfficeHours { minutes }.deadline(start, cal).unwrap();
        let (date, seconds) = local(deadline);
        prop_assert!(cal.is_working_day(date).unwrap(), "{deadline} is not a working day");
        let inside = cal.office_hours_on(date).intervals().iter().any(|&(open, close)| open < seconds && seconds <= close);
        prop_assert!(inside, "{deadline} lies outside {}", cal.office_hours_on(date));
    }

    #[test]
    fn office_hours_match_the_day_by_day_reference(minutes in 1u32..5_000, cal in calendars(), start in any_start()) {
        let deadline = Term::OfficeHours { minutes }.deadline(start, cal).unwrap();
        prop_assert_eq!(deadline.timestamp(), reference_office_end(cal, start, i64::from(minutes) * 60));
    }

    #[test]
    fn two_office_hour_terms_in_a_row_equal_their_sum(
        a in 1u32..3_000, b in 1u32..3_000, cal in calendars(), start in any_start(),
    ) {
        let first = Term::OfficeHours { minutes: a }.deadline(start, cal).unwrap();
        let both = Term::OfficeHours { minutes: b }.deadline(first.timestamp(), cal).unwrap();
        let sum = Term::OfficeHours { minutes: a + b }.deadline(start, cal).unwrap();
        prop_assert_eq!(both, sum);
    }

    #[test]
    fn a_working_day_deadline_is_never_on_a_non_working_day(
        days in 1u32..60, cal in calendars(), start in any_start(),
    ) {
        let term = Term::WorkingDays { days, day_end: DayEnd::EndOfDay, after_hours_rollover: false };
        let deadline = term.deadline(start, cal).unwrap();
        let (date, seconds) = local(deadline);
        prop_assert!(cal.is_working_day(date).unwrap(), "{deadline}");
        prop_assert_eq!(seconds, 86_399);
        // And it is exactly the days-th working day after the start's date.
        let mut day = Moment::in_amsterdam(start).date();
        let mut counted = 0;
        while counted < days {
            day = day.tomorrow().unwrap();
            if cal.is_working_day(day).unwrap() {
                counted += 1;
            }
        }
        prop_assert_eq!(date, day);
    }

    #[test]
    fn a_statutory_term_ends_on_an_atw_working_day_unless_article_4_excludes_it(
        count in 1u32..100, unit in 0u8..3, start in any_start(),
    ) {
        let count = if unit == 2 { count % 36 + 1 } else { count };
        let unit = [PeriodUnit::Days, PeriodUnit::Weeks, PeriodUnit::Months][unit as usize];
        let term = Term::Period { count, unit, counting: Counting::Statutory };
        let deadline = term.deadline(start, Calendar::gemeente().unwrap()).unwrap();
        let atw = Calendar::atw().unwrap();
        let ends_on_working_day = atw.is_working_day(deadline.date()).unwrap();
        prop_assert!(!term.atw_applies() || ends_on_working_day, "{term} from {start}: {deadline}");
    }
}
