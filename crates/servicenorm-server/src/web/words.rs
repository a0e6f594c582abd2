//! Times and numbers in the words staff read: "nog 3 werkdagen",
//! "vandaag 17:00", "87%".

use jiff::{Timestamp, civil::Date};
use servicenorm_core::{
    calendar::Calendar,
    terms::explain::{long_date, month_name, weekday_short},
    time::Moment,
};

/// A share as a whole percentage: "87%".
pub(crate) fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

/// "di 28 apr 17:00"
pub(crate) fn short_moment(at: Timestamp) -> String {
    moment_text(at, false)
}

/// "di 28 apr 17:00", with the year when it is not the year of `now`:
/// "di 13 jan 2026 10:11".
pub(crate) fn short_moment_from(at: Timestamp, now: Timestamp) -> String {
    let other_year =
        Moment::in_amsterdam(at).date().year() != Moment::in_amsterdam(now).date().year();
    moment_text(at, other_year)
}

fn moment_text(at: Timestamp, with_year: bool) -> String {
    let civil = Moment::in_amsterdam(at).civil();
    let year = if with_year {
        format!(" {}", civil.year())
    } else {
        String::new()
    };
    format!(
        "{} {} {}{year} {}",
        weekday_short(civil.date().weekday()),
        civil.day(),
        month_short(civil.month()),
        civil.time().strftime("%H:%M")
    )
}

/// "dinsdag 28 april 2026 om 17:00"
pub(crate) fn long_moment(at: Timestamp) -> String {
    let civil = Moment::in_amsterdam(at).civil();
    format!(
        "{} om {}",
        long_date(civil.date()),
        civil.time().strftime("%H:%M")
    )
}

fn month_short(month: i8) -> String {
    month_name(month).chars().take(3).collect()
}

/// How much time is left until `deadline`, seen at `now`: "vandaag 17:00",
/// "morgen 12:00", "nog 3 werkdagen" (with the norm's calendar), "nog 9
/// dagen", or for a deadline that passed "te laat sinds di 24 nov 17:00".
pub(crate) fn time_left(
    deadline: Timestamp,
    now: Timestamp,
    calendar: Option<&Calendar>,
) -> String {
    let due = Moment::in_amsterdam(deadline).civil();
    let today = Moment::in_amsterdam(now).date();
    let time = due.time().strftime("%H:%M").to_string();
    if deadline < now {
        return if due.date() == today {
            format!("te laat sinds vandaag {time}")
        } else {
            format!("te laat sinds {}", short_moment_from(deadline, now))
        };
    }
    if due.date() == today {
        return format!("vandaag {time}");
    }
    if today.tomorrow().ok() == Some(due.date()) {
        return format!("morgen {time}");
    }
    match calendar.and_then(|c| working_days_after(c, today, due.date())) {
        Some(1) => "nog 1 werkdag".to_string(),
        Some(days) => format!("nog {days} werkdagen"),
        None => {
            let days = (due.date() - today).get_days();
            format!("nog {days} dagen")
        }
    }
}

/// Working days after `from` up to and including `to`; none outside the
/// calendar's years.
fn working_days_after(calendar: &Calendar, from: Date, to: Date) -> Option<u32> {
    let mut count = 0;
    let mut day = from.tomorrow().ok()?;
    while day <= to {
        if calendar.is_working_day(day)? {
            count += 1;
        }
        day = day.tomorrow().ok()?;
    }
    Some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn time_left_reads_as_staff_say_it() {
        let calendar = Calendar::gemeente().unwrap();
        // Friday 20 November 2026, 10:00 in Amsterdam.
        let now = at("2026-11-20T09:00:00Z");
        assert_eq!(
            time_left(at("2026-11-20T16:00:00Z"), now, Some(calendar)),
            "vandaag 17:00"
        );
        assert_eq!(
            time_left(at("2026-11-21T11:00:00Z"), now, Some(calendar)),
            "morgen 12:00"
        );
        // Monday, Tuesday, Wednesday: three working days after Friday.
        assert_eq!(
            time_left(at("2026-11-25T16:00:00Z"), now, Some(calendar)),
            "nog 3 werkdagen"
        );
        assert_eq!(
            time_left(at("2026-11-25T16:00:00Z"), now, None),
            "nog 5 dagen"
        );
        assert_eq!(
            time_left(at("2026-11-20T08:00:00Z"), now, Some(calendar)),
            "te laat sinds vandaag 09:00"
        );
        assert_eq!(
            time_left(at("2026-11-17T16:00:00Z"), now, Some(calendar)),
            "te laat sinds di 17 nov 17:00"
        );
        // Another year is named.
        assert_eq!(
            time_left(at("2025-01-13T09:11:00Z"), now, Some(calendar)),
            "te laat sinds ma 13 jan 2025 10:11"
        );
    }

    #[test]
    fn shares_are_whole_percentages() {
        assert_eq!(percent(0.874), "87%");
        assert_eq!(percent(1.0), "100%");
    }
}
