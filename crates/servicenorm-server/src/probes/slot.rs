//! Slots: time cut into stretches of one interval, counted from 1970, one
//! probe per target in each. Every instance cuts time the same way, so
//! instances on one database agree on which slot a probe is for.

use std::time::Duration;

use jiff::Timestamp;
use servicenorm_core::time::Moment;

/// The stretch of time `[start, start + every)` one probe stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    start: Timestamp,
}

impl Slot {
    /// The slot `at` falls in.
    pub fn containing(at: Timestamp, every: Duration) -> Slot {
        let every = millis(every);
        let start = at.as_millisecond().div_euclid(every) * every;
        Slot {
            start: Timestamp::from_millisecond(start).unwrap_or(at),
        }
    }

    pub fn start(self) -> Timestamp {
        self.start
    }

    /// `probe:{target}:{start}`, the start in seconds since 1970 (with
    /// milliseconds only when the slot does not start on a whole second):
    /// the same probe is never stored twice.
    pub fn event_id(self, target: &str) -> String {
        let ms = self.start.as_millisecond();
        let (seconds, rest) = (ms.div_euclid(1000), ms.rem_euclid(1000));
        if rest == 0 {
            format!("probe:{target}:{seconds}")
        } else {
            format!("probe:{target}:{seconds}.{rest:03}")
        }
    }
}

/// `controle:{target}:{YYYY-MM-DD}`: one case per target per day in
/// Europe/Amsterdam, so the uptime ratio is judged per day.
pub(crate) fn case_id(target: &str, at: Timestamp) -> String {
    format!("controle:{target}:{}", Moment::in_amsterdam(at).date())
}

/// How long from `now` until the middle of the next slot. Probes run in
/// the middle of their slot: a clock a little off (up to half a slot)
/// still names the slot the probe is meant for.
pub(crate) fn until_next_middle(now: Timestamp, every: Duration) -> Duration {
    let slot = millis(every);
    let into = now.as_millisecond().rem_euclid(slot);
    if into < slot / 2 {
        Duration::from_millis((slot / 2 - into).unsigned_abs())
    } else {
        until_middle_of_next_slot(now, every)
    }
}

/// How long from `now` until the middle of the slot after the one `now`
/// is in: where probes go back to after drifting (this slot was probed).
pub(crate) fn until_middle_of_next_slot(now: Timestamp, every: Duration) -> Duration {
    let every = millis(every);
    let into = now.as_millisecond().rem_euclid(every);
    Duration::from_millis((every - into + every / 2).unsigned_abs())
}

/// Whether `now` is more than a quarter slot from the middle of its slot:
/// the timer and the clock have drifted apart (a suspended machine, the
/// clock set) and the probes should be put back in the middle.
pub(crate) fn drifted(now: Timestamp, every: Duration) -> bool {
    let every = millis(every);
    let into = now.as_millisecond().rem_euclid(every);
    (into - every / 2).abs() > every / 4
}

/// The interval in whole milliseconds, at least one (targets are checked
/// for that; this keeps the arithmetic safe regardless).
fn millis(every: Duration) -> i64 {
    i64::try_from(every.as_millis()).unwrap_or(i64::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_slot_starts_on_a_whole_interval_since_1970() {
        let slot = Slot::containing(at("2026-04-02T10:17:42.5Z"), MINUTE);
        assert_eq!(slot.start(), at("2026-04-02T10:17:00Z"));
        assert_eq!(slot.event_id("site"), "probe:site:1775125020");
        let fast = Slot::containing(at("2026-04-02T10:17:42.5Z"), Duration::from_millis(200));
        assert_eq!(fast.event_id("site"), "probe:site:1775125062.400");
    }

    #[test]
    fn the_case_is_the_day_in_amsterdam() {
        // 23:30 UTC on 1 April is 01:30 on 2 April in summer time.
        assert_eq!(
            case_id("site", at("2026-04-01T23:30:00Z")),
            "controle:site:2026-04-02"
        );
    }

    #[test]
    fn probes_wait_for_the_middle_of_the_next_slot() {
        let wait = |now| until_next_middle(at(now), MINUTE);
        assert_eq!(wait("2026-04-02T10:00:00Z"), Duration::from_secs(30));
        assert_eq!(wait("2026-04-02T10:00:10Z"), Duration::from_secs(20));
        assert_eq!(wait("2026-04-02T10:00:30Z"), Duration::from_secs(60));
        assert_eq!(wait("2026-04-02T10:00:45Z"), Duration::from_secs(45));
    }

    #[test]
    fn after_drifting_probes_go_back_to_the_middle_of_the_next_slot() {
        let wait = |now| until_middle_of_next_slot(at(now), MINUTE);
        assert_eq!(wait("2026-04-02T10:00:10Z"), Duration::from_secs(80));
        assert_eq!(wait("2026-04-02T10:00:50Z"), Duration::from_secs(40));
    }

    #[test]
    fn drift_is_more_than_a_quarter_slot_from_the_middle() {
        assert!(!drifted(at("2026-04-02T10:00:30Z"), MINUTE));
        assert!(!drifted(at("2026-04-02T10:00:44Z"), MINUTE));
        assert!(drifted(at("2026-04-02T10:00:46Z"), MINUTE));
        assert!(drifted(at("2026-04-02T10:00:01Z"), MINUTE));
    }
}
