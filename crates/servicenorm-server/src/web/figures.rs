//! The figures behind the dashboard and the public page, kept for a few
//! minutes: judging every case of a quarter takes a while, and these pages
//! are read far more often than the figures change.

use std::{collections::HashMap, sync::Arc, time::Duration};

use jiff::{Timestamp, ToSpan, civil::Date};
use servicenorm_core::report::{GroupBy, Per};
use tokio::sync::Mutex;

use crate::{
    routes::results::{Results, compute},
    state::AppState,
    web::page::PageError,
};

/// How long computed figures are shown before they are counted again.
const KEEP: Duration = Duration::from_secs(10 * 60);

/// Figures by what was asked, with when they were counted.
type Kept = HashMap<String, (Timestamp, Arc<Results>)>;

#[derive(Clone, Default)]
pub(crate) struct FiguresCache {
    /// One lock for all: two requests for the same figures count them once.
    kept: Arc<Mutex<Kept>>,
}

impl FiguresCache {
    /// The figures from `from` to `to`, counted at most [`KEEP`] ago.
    pub async fn get(
        &self,
        state: &AppState,
        from: Date,
        to: Date,
        per: Per,
        by: GroupBy,
    ) -> Result<Arc<Results>, PageError> {
        let key = format!("{from}/{to}/{per:?}/{by:?}");
        let now = state.clock.now();
        let mut kept = self.kept.lock().await;
        if let Some((at, results)) = kept.get(&key)
            && now.duration_since(*at).unsigned_abs() < KEEP
        {
            return Ok(results.clone());
        }
        let results = Arc::new(compute(state, from, to, per, by).await?);
        kept.retain(|_, (at, _)| now.duration_since(*at).unsigned_abs() < KEEP);
        kept.insert(key, (now, results.clone()));
        Ok(results)
    }

    /// Forgets every kept figure (after new events, in tests).
    pub async fn clear(&self) {
        self.kept.lock().await.clear();
    }
}

/// The first day of the quarter that holds `date`.
pub(crate) fn quarter_start(date: Date) -> Date {
    let month = (date.month() - 1) / 3 * 3 + 1;
    Date::new(date.year(), month, 1).unwrap_or(date)
}

/// The last whole quarter before `today`: (first day, last day).
pub(crate) fn last_quarter(today: Date) -> (Date, Date) {
    let this = quarter_start(today);
    let from = this.checked_sub(3.months()).unwrap_or(this);
    let to = this.yesterday().unwrap_or(this);
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_last_quarter_is_the_last_whole_one() {
        assert_eq!(
            last_quarter(date(2026, 11, 21)),
            (date(2026, 7, 1), date(2026, 9, 30))
        );
        assert_eq!(
            last_quarter(date(2026, 1, 1)),
            (date(2025, 10, 1), date(2025, 12, 31))
        );
    }
}
