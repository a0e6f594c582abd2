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

use std::collections::{BTreeMap, VecDeque};

use compact_str::CompactString;

use rustc_hash::FxHashMap;

use jiff::Timestamp;

use crate::{
    catalog::CatalogVersions,
    evaluation::{Detail, Evaluation, State, evaluate},
    events::{CaseEvents, Event, EventType},
};

/// What the stream gives back for a case.
#[derive(Debug)]
pub enum StreamOutcome<'e> {
    /// Lent, not given: a report only adds it up, so it need not be moved
    /// to the heap and back for every case.
    Judged(&'e Evaluation),
    /// The case could not be judged: its id and why.
    Failed { case: String, problem: String },
}

/// One case held in memory.
struct Pending {
    events: Vec<Event>,
    check_at: i64,
    last_seen: i64,
    /// An event came after which no more are expected.
    ended: bool,
    /// Tells this case's queue entries from those of an earlier case with
    /// the same id.
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
    /// The cases held, by id. Held in the map itself, so that an event
    /// finds its case in one lookup.
    held: FxHashMap<CompactString, Pending>,
    /// When to look at a case again: per hour, the (case, generation) pairs
    /// due by its end. Case ids are short and kept inline: a copy is cheap.
    /// A whole hour is taken at once, which costs less than keeping every
    /// entry in order, and cases are looked at only once an hour anyway.
    queue: BTreeMap<i64, Vec<(CompactString, u32)>>,
    generation: u32,
    /// Cases already counted that had not ended, until when their late
    /// events are recognised (and left out) rather than taken for new cases.
    counted: FxHashMap<CompactString, i64>,
    /// The same cases in the order they were counted, which is the order in
    /// which they are forgotten: a purge takes them from the front rather
    /// than going through every case remembered.
    forget: VecDeque<(i64, CompactString)>,
    late_events: u64,
    /// Emptied event lists of judged cases, for new cases to fill: their
    /// memory was just read, so it is still in the cache, where fresh
    /// memory is not.
    spare: Vec<Vec<Event>>,
    /// Emptied queue hours, for later hours to fill: an hour's list would
    /// otherwise grow from nothing, reallocating, every hour.
    spare_hours: Vec<Vec<(CompactString, u32)>>,
    next_purge: i64,
    now: i64,
    horizon: i64,
    next_sweep: i64,
}

const SWEEP_EVERY: i64 = 3600;
/// Emptied event lists kept for reuse, and the most events one may have
/// room for (a long case's list is let go).
const SPARE_LISTS: usize = 256;
const SPARE_ROOM: usize = 24;
/// Emptied queue hours kept for reuse: cases are due up to a horizon
/// ahead, so about that many hours are filled at once.
const SPARE_HOURS: usize = 64;
/// How long a counted case that had not ended is recognised.
const REMEMBER_COUNTED: i64 = 366 * 86_400;

impl<'a> CaseStream<'a> {
    /// `horizon_seconds`: how long after its last event a settled case waits
    /// for late events before it is judged for good.
    pub fn new(versions: &'a CatalogVersions, horizon_seconds: i64) -> CaseStream<'a> {
        CaseStream {
            versions,
            held: FxHashMap::default(),
            queue: BTreeMap::new(),
            generation: 0,
            counted: FxHashMap::default(),
            forget: VecDeque::new(),
            late_events: 0,
            spare: Vec::new(),
            spare_hours: Vec::new(),
            next_purge: i64::MIN,
            now: i64::MIN,
            horizon: horizon_seconds,
            next_sweep: i64::MIN,
        }
    }

    /// Cases held in memory now.
    pub fn open_cases(&self) -> usize {
        self.held.len()
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

    /// Pushes `events` in order, leaving the vector empty. The same as a
    /// `push` of each, but faster: the held cases they belong to are looked
    /// up together first (see [`CaseStream::fetch`]).
    pub fn push_all(&mut self, events: &mut Vec<Event>, out: &mut impl FnMut(StreamOutcome<'_>)) {
        self.fetch(events.iter().map(|event| event.case.as_str()));
        for event in events.drain(..) {
            self.push(event, out);
        }
    }

    /// Reads a little of each of these cases, if held: their map entries
    /// and first and last events. A held case was mostly last touched long ago, so
    /// it is no longer in the processor's cache. These reads do not depend
    /// on each other, so the processor fetches them from memory at the same
    /// time, where the work on each case would wait for them one by one.
    fn fetch<'c>(&self, cases: impl Iterator<Item = &'c str>) {
        let mut seen = 0i64;
        for case in cases {
            if let Some(pending) = self.held.get(case) {
                // The first event is where judging starts, the last where a
                // new event goes.
                for event in [pending.events.first(), pending.events.last()]
                    .into_iter()
                    .flatten()
                {
                    seen ^= event.at.as_second();
                }
            }
        }
        std::hint::black_box(seen);
    }

    pub fn push(&mut self, event: Event, out: &mut impl FnMut(StreamOutcome<'_>)) {
        let at = event.at.as_second();
        self.now = self.now.max(at);
        let check_at = self.now + self.horizon;
        if let Some(pending) = self.held.get_mut(event.case.as_str()) {
            pending.last_seen = pending.last_seen.max(at);
            pending.ended |= ENDINGS.contains(&event.kind);
            pending.events.push(event);
            pending.check_at = pending.check_at.max(check_at);
        } else if self.counted.contains_key(event.case.as_str()) {
            self.late_events += 1;
        } else {
            // Most cases have a handful of events: room for them at once.
            let mut events = self.spare.pop().unwrap_or_else(|| Vec::with_capacity(6));
            let case = event.case.clone();
            let ended = ENDINGS.contains(&event.kind);
            events.push(event);
            self.hold(case, events, check_at, at, ended);
        }
        if self.now >= self.next_sweep {
            self.next_sweep = self.now + SWEEP_EVERY;
            self.sweep(out);
        }
        if self.now >= self.next_purge {
            self.next_purge = self.now + 86_400;
            self.purge();
        }
    }

    fn hold(
        &mut self,
        case: CompactString,
        events: Vec<Event>,
        check_at: i64,
        last_seen: i64,
        ended: bool,
    ) {
        self.generation = self.generation.wrapping_add(1);
        let generation = self.generation;
        let pending = Pending {
            events,
            check_at,
            last_seen,
            ended,
            generation,
        };
        self.held.insert(case.clone(), pending);
        self.enqueue(check_at, case, generation);
    }

    fn enqueue(&mut self, check_at: i64, case: CompactString, generation: u32) {
        let hour = check_at.div_euclid(SWEEP_EVERY);
        let spare = &mut self.spare_hours;
        self.queue
            .entry(hour)
            .or_insert_with(|| spare.pop().unwrap_or_default())
            .push((case, generation));
    }

    fn sweep(&mut self, out: &mut impl FnMut(StreamOutcome<'_>)) {
        // Hours that ended by now: every entry in them is due.
        while let Some(entry) = self.queue.first_entry() {
            if (*entry.key() + 1) * SWEEP_EVERY > self.now + 1 {
                break;
            }
            let mut due = entry.remove();
            self.fetch(due.iter().map(|(case, _)| case.as_str()));
            for (case, generation) in due.drain(..) {
                self.look_again(case, generation, out);
            }
            if self.spare_hours.len() < SPARE_HOURS {
                self.spare_hours.push(due);
            }
        }
    }

    fn look_again(
        &mut self,
        case: CompactString,
        generation: u32,
        out: &mut impl FnMut(StreamOutcome<'_>),
    ) {
        let Some(pending) = self.held.get(case.as_str()) else {
            return;
        };
        if pending.generation != generation {
            return;
        }
        if pending.check_at > self.now {
            // New events moved its check; look again then.
            self.enqueue(pending.check_at, case, generation);
            return;
        }
        let Some(pending) = self.held.remove(case.as_str()) else {
            return;
        };
        let Pending {
            events,
            last_seen,
            ended,
            ..
        } = pending;
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
                            self.remember(case);
                        }
                        self.spare(events);
                        out(StreamOutcome::Judged(&evaluation))
                    }
                    Some(due) => {
                        let check_at = due.max(self.now + self.horizon);
                        self.hold(case, events, check_at, last_seen, ended);
                    }
                }
            }
            Err(problem) => {
                // Later events of this case must not start it again as a
                // new case that fails once more for the same reason.
                self.remember(case.clone());
                out(StreamOutcome::Failed {
                    case: case.to_string(),
                    problem,
                })
            }
        }
    }

    /// Recognises late events of a counted case for a while.
    fn remember(&mut self, case: CompactString) {
        let until = self.now + REMEMBER_COUNTED;
        self.counted.insert(case.clone(), until);
        self.forget.push_back((until, case));
    }

    /// Forgets the counted cases whose time is up. `now` never goes back, so
    /// `forget` is in order of `until`. A case is counted once: a counted
    /// case's later events are recognised, never held again.
    fn purge(&mut self) {
        while self
            .forget
            .front()
            .is_some_and(|(until, _)| *until <= self.now)
        {
            if let Some((_, case)) = self.forget.pop_front() {
                self.counted.remove(case.as_str());
            }
        }
    }

    /// Keeps an emptied event list for a new case, if it is not too large.
    fn spare(&mut self, mut events: Vec<Event>) {
        if self.spare.len() < SPARE_LISTS && events.capacity() <= SPARE_ROOM {
            events.clear();
            self.spare.push(events);
        }
    }

    /// Judges every case still held, as of `as_of` (the end of the report).
    pub fn finish(mut self, as_of: Timestamp, out: &mut impl FnMut(StreamOutcome<'_>)) {
        let mut cases: Vec<(CompactString, Pending)> = self.held.drain().collect();
        cases.sort_by(|a, b| a.0.cmp(&b.0));
        for (case, Pending { events, .. }) in cases {
            match judge(self.versions, events, as_of) {
                Ok((evaluation, _)) => out(StreamOutcome::Judged(&evaluation)),
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
