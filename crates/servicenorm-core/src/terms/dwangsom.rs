//! The penalty period for a late decision (dwangsom bij niet tijdig beslissen,
//! Awb 4:17).

use jiff::{ToSpan, civil::Date};
use serde::Serialize;

use super::{
    TermError,
    compute::decree_warnings,
    date_text,
    explain::{Adjustment, Rule, Warning, short_date},
};
use crate::calendar::{Calendar, NonWorking};

/// The days on which a municipality owes a penalty for a late decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DwangsomPeriod {
    /// The last day of the decision term.
    pub decision_term_end: Date,
    /// The day the written notice of default (ingebrekestelling) arrived.
    pub notice_received: Date,
    /// The first day a penalty is owed.
    pub first_day: Date,
    /// The last day a penalty is owed (42 days, Atw excluded).
    pub last_day: Date,
    /// The most that can be owed, in euros: 14 x 23 + 14 x 35 + 14 x 45.
    pub max_amount_eur: u32,
    pub adjustments: Vec<Adjustment>,
    pub warnings: Vec<Warning>,
}

/// The penalty days per Awb 4:17.
///
/// Lid 3: the first day is the day on which two weeks have passed after the
/// notice arrived, provided the decision term had passed by then (X + 14; the
/// two weeks are a statutory term, so the Atw moves an end on a non-working
/// day). Lid 1: at most 42 days, without the Atw. Lid 2: EUR 23 a day for the
/// first 14 days, EUR 35 for the next 14, EUR 45 for the rest.
///
/// ```
/// use jiff::civil::date;
/// use servicenorm_core::terms::dwangsom;
/// let period = dwangsom(date(2026, 3, 30), date(2026, 4, 1))?;
/// assert_eq!(period.first_day, date(2026, 4, 15));
/// assert_eq!(period.last_day, date(2026, 5, 26));
/// assert_eq!(period.max_amount_eur, 1442);
/// # Ok::<(), servicenorm_core::terms::TermError>(())
/// ```
pub fn dwangsom(
    decision_term_end: Date,
    notice_received: Date,
) -> Result<DwangsomPeriod, TermError> {
    if notice_received <= decision_term_end {
        return Err(TermError::PrematureNotice {
            received: date_text(notice_received),
            term_end: date_text(decision_term_end),
        });
    }
    let atw = Calendar::atw().map_err(|e| TermError::Calendar(e.to_string()))?;
    let range = || TermError::OutOfRange(notice_received.to_string());
    let mut adjustments = Vec::new();
    let nominal = notice_received
        .checked_add(14.days())
        .map_err(|_| range())?;
    let mut first_day = nominal;
    while !atw.is_working_day(first_day).ok_or_else(range)? {
        let why = match atw.non_working(first_day) {
            Some(NonWorking::Holiday(h)) => h.name.clone(),
            _ => super::explain::weekday_long(first_day.weekday()).to_string(),
        };
        adjustments.push(
            Adjustment::new(
                Rule::AtwArticle1,
                format!(
                    "{} is {why}: de twee weken lopen door",
                    short_date(first_day)
                ),
            )
            .basis("Atw art. 1 lid 1"),
        );
        first_day = first_day.tomorrow().map_err(|_| range())?;
    }
    adjustments.insert(
        0,
        Adjustment::new(
            Rule::Extension,
            format!(
                "twee weken na ontvangst van de ingebrekestelling op {}: eerste dag {}",
                short_date(notice_received),
                short_date(first_day)
            ),
        )
        .basis("Awb 4:17 lid 3"),
    );
    let last_day = first_day.checked_add(41.days()).map_err(|_| range())?;
    adjustments.push(
        Adjustment::new(
            Rule::AtwArticle4,
            format!(
                "ten hoogste 42 dagen, zonder Algemene termijnenwet: laatste dag {}",
                short_date(last_day)
            ),
        )
        .basis("Awb 4:17 lid 1"),
    );
    Ok(DwangsomPeriod {
        decision_term_end,
        notice_received,
        first_day,
        last_day,
        max_amount_eur: 14 * 23 + 14 * 35 + 14 * 45,
        adjustments,
        // The two weeks are counted with the Atw, so its decree days matter.
        warnings: decree_warnings(notice_received.year(), first_day.year()),
    })
}
