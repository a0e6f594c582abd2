//! Judging a stream of events case by case, with memory that grows with the
//! number of open cases, not with the length of the stream.
//!
//! Events arrive roughly in time order, some late. A case is judged and
//! forgotten once nothing about it can change any more: every clock met,
//! missed or not applicable, the case ended (closed, decided, or the call
//! ended), and no event for it within the horizon, so late corrections and
//! repeated deliveries still reach it. A settled case that has not ended is
//! counted after the horizon; its id is kept for a year so that events that
//! still come for it (a decision nobody measures) are left out rather than
//! taken for a new case. A case with a running clock is looked at again when
//! that clock falls due.

use std::{cmp::Reverse, collections::BinaryHeap, sync::Arc};

use rustc_hash::FxHashMap;

use jiff::Timestamp;

use crate::{
    catalog::CatalogVersions,
    evaluation::{Detail, Evaluation, State, evaluate},
    events::{CaseEvents, Event, EventType},
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

/// One case held in memory.
struct Pending {
    /// Shared with the key in the index.
    case: Arc<str>,
    events: Vec<Event>,
    check_at: i64,
    last_seen: i64,
    /// Tells this case's queue entry from those of earlier cases in the slot.
    generation: u32,
}

/// Events after which no more are expected for a case.
const ENDINGS: [EventType; 4] = [
    EventType::Closed,
    EventType::Decided,
    EventType::CallEnded,
    EventType::CallAbandoned,
];

/// Groups events per case and hands each case over once it is settled.
pub struct CaseStream<'a> {
    versions: &'a CatalogVersions,
    /// Case id to its slot in `slots`.
    index: FxHashMap<Arc<str>, u32>,
    slots: Vec<Option<Pending>>,
    free: Vec<u32>,
    /// When to look at a slot again (time, slot, generation); entries of an
    /// earlier case in the slot are skipped.
    queue: BinaryHeap<Reverse<(i64, u32, u32)>>,
    generation: u32,
    /// Cases already counted that had not ended, until when their late
    /// events are recognised (and left out) rather than taken for new cases.
    counted: FxHashMap<Arc<str>, i64>,
    late_events: u64,
    next_purge: i64,
    now: i64,
    horizon: i64,
    next_sweep: i64,
}

const SWEEP_EVERY: i64 = 3600;
/// How long a counted case that had not ended is recognised.
const REMEMBER_COUNTED: i64 = 366 * 86_400;

impl<'a> CaseStream<'a> {
    /// `horizon_seconds`: how long after its last event a settled case waits
    /// for late events before it is judged for good.
    pub fn new(versions: &'a CatalogVersions, horizon_seconds: i64) -> CaseStream<'a> {
        CaseStream {
            versions,
            index: FxHashMap::default(),
            slots: Vec::new(),
            free: Vec::new(),
            queue: BinaryHeap::new(),
            generation: 0,
            counted: FxHashMap::default(),
            late_events: 0,
            next_purge: i64::MIN,
            now: i64::MIN,
            horizon: horizon_seconds,
            next_sweep: i64::MIN,
        }
    }

    /// Cases held in memory now.
    pub fn open_cases(&self) -> usize {
        self.index.len()
    }

    /// Events that came for a case after it was counted: left out.
    pub fn late_events(&self) -> u64 {
        self.late_events
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
        if let Some(&slot) = self.index.get(event.case.as_str()) {
            if let Some(pending) = self.slots[slot as usize].as_mut() {
                pending.last_seen = pending.last_seen.max(at);
                pending.events.push(event);
                pending.check_at = pending.check_at.max(check_at);
            }
        } else if self.counted.contains_key(event.case.as_str()) {
            self.late_events += 1;
        } else {
            // Most cases have a handful of events: room for them at once.
            let mut events = Vec::with_capacity(6);
            let case: Arc<str> = Arc::from(event.case.as_str());
            events.push(event);
            self.hold(case, events, check_at, at);
        }
        if self.now >= self.next_sweep {
            self.next_sweep = self.now + SWEEP_EVERY;
            self.sweep(out);
        }
        if self.now >= self.next_purge {
            self.next_purge = self.now + 86_400;
            let now = self.now;
            self.counted.retain(|_, until| *until > now);
        }
    }

    fn hold(&mut self, case: Arc<str>, events: Vec<Event>, check_at: i64, last_seen: i64) {
        self.generation = self.generation.wrapping_add(1);
        let generation = self.generation;
        let slot = self.free.pop().unwrap_or(self.slots.len() as u32);
        self.index.insert(Arc::clone(&case), slot);
        let pending = Some(Pending {
            case,
            events,
            check_at,
            last_seen,
            generation,
        });
        match self.slots.get_mut(slot as usize) {
            Some(free) => *free = pending,
            None => self.slots.push(pending),
        }
        self.queue.push(Reverse((check_at, slot, generation)));
    }

    fn release(&mut self, slot: u32) -> Option<Pending> {
        let pending = self.slots.get_mut(slot as usize)?.take()?;
        self.index.remove(&*pending.case);
        self.free.push(slot);
        Some(pending)
    }

    fn sweep(&mut self, out: &mut impl FnMut(StreamOutcome)) {
        while let Some(&Reverse((check_at, slot, generation))) = self.queue.peek() {
            if check_at > self.now {
                break;
            }
            self.queue.pop();
            let Some(Some(pending)) = self.slots.get(slot as usize) else {
                continue;
            };
            if pending.generation != generation {
                continue;
            }
            if pending.check_at > check_at {
                // New events moved its check; look again then.
                self.queue
                    .push(Reverse((pending.check_at, slot, generation)));
                continue;
            }
            let Some(pending) = self.release(slot) else {
                continue;
            };
            let Pending {
                case,
                events,
                last_seen,
                ..
            } = pending;
            let ended = events.iter().any(|e| ENDINGS.contains(&e.kind));
            let as_of = Timestamp::from_second(self.now).unwrap_or(Timestamp::UNIX_EPOCH);
            match judge(self.versions, events, as_of) {
                Ok((evaluation, events)) => {
                    // Settled clocks wait for the case to end, or for a silence.
                    let silence = last_seen + self.horizon;
                    let due = match next_check(&evaluation) {
                        None if ended || self.now >= silence => None,
                        None => Some(silence),
                        Some(due) => Some(due),
                    };
                    match due {
                        None => {
                            if !ended {
                                self.counted.insert(case, self.now + REMEMBER_COUNTED);
                            }
                            out(StreamOutcome::Judged(Box::new(evaluation)))
                        }
                        Some(due) => {
                            let check_at = due.max(self.now + self.horizon);
                            self.hold(case, events, check_at, last_seen);
                        }
                    }
                }
                Err(problem) => {
                    // Later events of this case must not start it again as a
                    // new case that fails once more for the same reason.
                    self.counted
                        .insert(Arc::clone(&case), self.now + REMEMBER_COUNTED);
                    out(StreamOutcome::Failed {
                        case: case.to_string(),
                        problem,
                    })
                }
            }
        }
    }

    /// Judges every case still held, as of `as_of` (the end of the report).
    pub fn finish(mut self, as_of: Timestamp, out: &mut impl FnMut(StreamOutcome)) {
        let mut cases: Vec<Pending> = self.slots.drain(..).flatten().collect();
        cases.sort_by(|a, b| a.case.cmp(&b.case));
        for Pending { case, events, .. } in cases {
            match judge(self.versions, events, as_of) {
                Ok((evaluation, _)) => out(StreamOutcome::Judged(Box::new(evaluation))),
                Err(problem) => out(StreamOutcome::Failed {
                    case: case.to_string(),
                    problem,
                }),
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
    Ok((evaluation, case.into_events()))
}

/// `None` when the case is settled; otherwise when to look again: when the
/// first running clock falls due (a paused clock or an unfinished contact:
/// after the horizon).
fn next_check(evaluation: &Evaluation) -> Option<i64> {
    let mut due: Option<i64> = None;
    for result in &evaluation.norms {
        if !result.state.is_open() {
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
