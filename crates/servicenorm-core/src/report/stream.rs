//! Judging a stream of events case by case, with memory that grows with the
//! number of open cases, not with the length of the stream.
//!
//! Events arrive roughly in time order, some late. A case is judged and
//! forgotten once nothing about it can change any more: every clock met,
//! missed or not applicable, and no event for it within the horizon (so late
//! corrections and repeated deliveries still reach it). A case with a running
//! clock is looked at again when that clock falls due.

use std::{
    cmp::Reverse,
    collections::{BinaryHeap, HashMap},
};

use jiff::Timestamp;

use crate::{
    catalog::CatalogVersions,
    evaluation::{Detail, Evaluation, State, evaluate},
    events::{CaseEvents, Event},
};

/// What the stream gives back for a case.
#[derive(Debug)]
pub enum StreamOutcome {
    Judged(Box<Evaluation>),
    /// The case could not be judged: its id and why.
    Failed {
        case: String,
        problem: String,
    },
}

struct Pending {
    events: Vec<Event>,
    check_at: i64,
}

/// Groups events per case and hands each case over once it is settled.
pub struct CaseStream<'a> {
    versions: &'a CatalogVersions,
    pending: HashMap<String, Pending>,
    queue: BinaryHeap<Reverse<(i64, String)>>,
    now: i64,
    horizon: i64,
    next_sweep: i64,
}

const SWEEP_EVERY: i64 = 3600;

impl<'a> CaseStream<'a> {
    /// `horizon_seconds`: how long after its last event a settled case waits
    /// for late events before it is judged for good.
    pub fn new(versions: &'a CatalogVersions, horizon_seconds: i64) -> CaseStream<'a> {
        CaseStream {
            versions,
            pending: HashMap::new(),
            queue: BinaryHeap::new(),
            now: i64::MIN,
            horizon: horizon_seconds,
            next_sweep: i64::MIN,
        }
    }

    /// Cases held in memory now.
    pub fn open_cases(&self) -> usize {
        self.pending.len()
    }

    /// The latest event instant seen.
    pub fn now(&self) -> Option<Timestamp> {
        Timestamp::from_second(self.now)
            .ok()
            .filter(|_| self.now > i64::MIN)
    }

    pub fn push(&mut self, event: Event, out: &mut impl FnMut(StreamOutcome)) {
        let at = event.at.as_second();
        self.now = self.now.max(at);
        let check_at = self.now + self.horizon;
        match self.pending.get_mut(&event.case) {
            Some(pending) => {
                pending.events.push(event);
                pending.check_at = pending.check_at.max(check_at);
            }
            None => {
                let case = event.case.clone();
                self.queue.push(Reverse((check_at, case.clone())));
                self.pending.insert(
                    case,
                    Pending {
                        events: vec![event],
                        check_at,
                    },
                );
            }
        }
        if self.now >= self.next_sweep {
            self.next_sweep = self.now + SWEEP_EVERY;
            self.sweep(out);
        }
    }

    fn sweep(&mut self, out: &mut impl FnMut(StreamOutcome)) {
        while let Some(Reverse((check_at, _))) = self.queue.peek() {
            if *check_at > self.now {
                break;
            }
            let Some(Reverse((check_at, case))) = self.queue.pop() else {
                break;
            };
            let Some(pending) = self.pending.get(&case) else {
                continue;
            };
            if pending.check_at > check_at {
                // New events moved its check; look again then.
                self.queue.push(Reverse((pending.check_at, case)));
                continue;
            }
            let Some(pending) = self.pending.remove(&case) else {
                continue;
            };
            let as_of = Timestamp::from_second(self.now).unwrap_or(Timestamp::UNIX_EPOCH);
            match judge(self.versions, pending.events, as_of) {
                Ok((evaluation, events)) => match next_check(&evaluation) {
                    None => out(StreamOutcome::Judged(Box::new(evaluation))),
                    Some(due) => {
                        let check_at = due.max(self.now + self.horizon);
                        self.queue.push(Reverse((check_at, case.clone())));
                        self.pending.insert(case, Pending { events, check_at });
                    }
                },
                Err(problem) => out(StreamOutcome::Failed { case, problem }),
            }
        }
    }

    /// Judges every case still held, as of `as_of` (the end of the report).
    pub fn finish(mut self, as_of: Timestamp, out: &mut impl FnMut(StreamOutcome)) {
        let mut cases: Vec<(String, Pending)> = self.pending.drain().collect();
        cases.sort_by(|a, b| a.0.cmp(&b.0));
        for (case, pending) in cases {
            match judge(self.versions, pending.events, as_of) {
                Ok((evaluation, _)) => out(StreamOutcome::Judged(Box::new(evaluation))),
                Err(problem) => out(StreamOutcome::Failed { case, problem }),
            }
        }
    }
}

fn judge(
    versions: &CatalogVersions,
    events: Vec<Event>,
    as_of: Timestamp,
) -> Result<(Evaluation, Vec<Event>), String> {
    let case = CaseEvents::new(events).map_err(|e| e.to_string())?;
    let evaluation = evaluate(versions, &case, as_of, Detail::Brief).map_err(|e| e.to_string())?;
    Ok((evaluation, case.events().to_vec()))
}

/// `None` when the case is settled; otherwise when to look again: when the
/// first running clock falls due (a paused clock or an unfinished contact:
/// after the horizon).
fn next_check(evaluation: &Evaluation) -> Option<i64> {
    let mut due: Option<i64> = None;
    for result in &evaluation.norms {
        if matches!(
            result.state,
            State::Gehaald | State::NietGehaald | State::NietVanToepassing
        ) {
            continue;
        }
        let at = match (result.state, result.deadline) {
            (State::Gepauzeerd, _) | (_, None) => evaluation.as_of.timestamp().as_second(),
            (_, Some(deadline)) => deadline.timestamp().as_second() + 1,
        };
        due = Some(due.map_or(at, |d| d.min(at)));
    }
    due
}
