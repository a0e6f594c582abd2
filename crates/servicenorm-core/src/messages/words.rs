//! Dates as a letter to a resident writes them: "dinsdag 28 april".

use jiff::{Timestamp, civil::Date};

use crate::{
    terms::explain::{day_and_month, long_date},
    time::Moment,
};

/// "dinsdag 28 april", with the year when it is not the year of `today`.
pub fn date_in_words(date: Date, today: Date) -> String {
    if date.year() == today.year() {
        day_and_month(date)
    } else {
        long_date(date)
    }
}

/// A deadline in words, in Amsterdam time: the day alone when it ends with
/// the day ("dinsdag 28 april"), else with its hour ("maandag 23 november
/// om 12:00").
pub fn moment_in_words(at: Timestamp, now: Timestamp) -> String {
    let civil = Moment::in_amsterdam(at).civil();
    let today = Moment::in_amsterdam(now).date();
    let time = civil.time();
    let whole_day =
        (time.hour(), time.minute()) == (23, 59) || (time.hour(), time.minute()) == (0, 0);
    if whole_day {
        // A term that ends at midnight ends with the day before.
        let date = if (time.hour(), time.minute()) == (0, 0) {
            civil.date().yesterday().unwrap_or(civil.date())
        } else {
            civil.date()
        };
        date_in_words(date, today)
    } else {
        format!(
            "{} om {}",
            date_in_words(civil.date(), today),
            time.strftime("%H:%M")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_day_in_this_year_has_no_year() {
        let today = jiff::civil::date(2026, 4, 20);
        assert_eq!(
            date_in_words(jiff::civil::date(2026, 4, 28), today),
            "dinsdag 28 april"
        );
        assert_eq!(
            date_in_words(jiff::civil::date(2027, 1, 5), today),
            "dinsdag 5 januari 2027"
        );
    }

    #[test]
    fn a_deadline_at_the_end_of_a_day_has_no_hour() {
        let now = at("2026-04-20T08:00:00Z");
        // 23:59:59 in summer time.
        assert_eq!(
            moment_in_words(at("2026-04-28T21:59:59Z"), now),
            "dinsdag 28 april"
        );
        // Midnight belongs to the day before.
        assert_eq!(
            moment_in_words(at("2026-04-28T22:00:00Z"), now),
            "dinsdag 28 april"
        );
        // An office-hours term ends at an hour; in winter time UTC+1.
        assert_eq!(
            moment_in_words(at("2026-11-23T11:00:00Z"), now),
            "maandag 23 november om 12:00"
        );
    }
}
