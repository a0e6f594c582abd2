//! The event stream: day by day, cases arrive and their events are written
//! in time order. Only events scheduled for later days are kept, in a heap.

use std::sync::Arc;
use std::{
    cmp::{Ordering, Reverse},
    collections::{BTreeMap, BinaryHeap},
};

use jiff::{Timestamp, civil::Date};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servicenorm_core::{
    calendar::{FIRST_YEAR, LAST_YEAR},
    catalog::Catalog,
    events::{Attributes, Event, EventType},
};

use crate::{
    DemoError, Options, Summary,
    days::{Days, day_factor},
    plan::{CasePlan, Opening, plans},
    profile::Arrivals,
    scenario::{self, Ctx, Draft},
};

/// The share of events written late (out of time order), and twice.
const LATE: f64 = 0.005;
const DUPLICATE: f64 = 0.005;
/// Residents assumed for a municipality whose number the catalog omits.
pub const DEFAULT_RESIDENTS: u32 = 20_000;

/// An event waiting to be written.
struct Pending {
    /// When it is written (its instant, or later for a late one).
    emit: i64,
    seq: u64,
    at: Timestamp,
    /// 0 until written; a duplicate keeps the id of the first.
    id: u64,
    case: u64,
    plan: u32,
    municipality: u32,
    first: bool,
    late: bool,
    /// To be written a second time.
    duplicate: bool,
    /// The second writing of a duplicate.
    copy: bool,
    kind: EventType,
    attributes: Attributes,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        (self.emit, self.seq) == (other.emit, other.seq)
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.emit, self.seq).cmp(&(other.emit, other.seq))
    }
}

struct Arrival {
    at: i64,
    plan: usize,
    municipality: usize,
}

/// The synthetic events of a catalog over a period, in the order they are
/// written. The same catalog, period and seed give the same events.
pub struct Generator<'a> {
    plans: Vec<CasePlan<'a>>,
    /// Per municipality: id (none when the catalog lists none) and residents.
    municipalities: Vec<(Option<Arc<str>>, f64)>,
    ctx: Ctx<'a>,
    heap: BinaryHeap<Reverse<Pending>>,
    next_day: Date,
    last_day: Date,
    finished: bool,
    window_end: i64,
    period_end: i64,
    seq: u64,
    next_event: u64,
    next_case: u64,
    summary: Summary,
    year_weights: BTreeMap<(usize, bool, i16), f64>,
    arrivals: Vec<Arrival>,
    drafts: Vec<Draft>,
    segments: Vec<(u32, u32, f64)>,
}

impl<'a> Generator<'a> {
    pub fn new(catalog: &'a Catalog, options: &Options) -> Result<Generator<'a>, DemoError> {
        if options.from > options.to {
            return Err(DemoError::Period(format!(
                "de begindatum {} ligt na de einddatum {}",
                options.from, options.to
            )));
        }
        for date in [options.from, options.to] {
            if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
                return Err(DemoError::Period(format!(
                    "{date} valt buiten de ondersteunde jaren {FIRST_YEAR} tot en met {LAST_YEAR}"
                )));
            }
        }
        let mut days = Days::new();
        let plans = plans(catalog, &mut days);
        let period_end = options
            .to
            .tomorrow()
            .ok()
            .and_then(|d| days.local(d, 0))
            .ok_or_else(|| DemoError::Period(format!("{} heeft geen einde", options.to)))?;
        let mut municipalities: Vec<(Option<Arc<str>>, f64)> = catalog
            .municipalities
            .iter()
            .map(|m| {
                (
                    Some(Arc::from(m.id.as_str())),
                    f64::from(m.residents.unwrap_or(DEFAULT_RESIDENTS)),
                )
            })
            .collect();
        if municipalities.is_empty() {
            municipalities.push((None, f64::from(DEFAULT_RESIDENTS)));
        }
        Ok(Generator {
            plans,
            municipalities,
            ctx: Ctx {
                rng: ChaCha8Rng::seed_from_u64(options.seed),
                days,
            },
            heap: BinaryHeap::new(),
            next_day: options.from,
            last_day: options.to,
            finished: false,
            window_end: i64::MIN,
            period_end,
            seq: 0,
            next_event: 0,
            next_case: 0,
            summary: Summary::default(),
            year_weights: BTreeMap::new(),
            arrivals: Vec::new(),
            drafts: Vec::new(),
            segments: Vec::new(),
        })
    }

    /// What has been written so far (all of it once the iterator is done).
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// The end of the period: local midnight after the last day. Nothing
    /// that happens at or after it is written.
    pub fn period_end(&self) -> Timestamp {
        Timestamp::from_second(self.period_end).unwrap_or(Timestamp::MAX)
    }

    /// The sum of the day factors of a year: a case type's yearly volume is
    /// spread over the days in these proportions.
    fn year_weight(&mut self, calendar: usize, arrivals: Arrivals, year: i16) -> f64 {
        let staffed = arrivals == Arrivals::Staffed;
        if let Some(w) = self.year_weights.get(&(calendar, staffed, year)) {
            return *w;
        }
        let mut total = 0.0;
        if let (Ok(mut date), Some(cal)) = (Date::new(year, 1, 1), self.ctx.days.calendar(calendar))
        {
            while date.year() == year {
                let working = cal.is_working_day(date).unwrap_or(false);
                total += day_factor(arrivals, working, date.weekday());
                let Ok(next) = date.tomorrow() else { break };
                date = next;
            }
        }
        let total = if total > 0.0 { total } else { 1.0 };
        self.year_weights.insert((calendar, staffed, year), total);
        total
    }

    fn generate(&mut self, date: Date) {
        self.arrivals.clear();
        for index in 0..self.plans.len() {
            let (staff, arrivals, per_thousand, daily) = {
                let plan = &self.plans[index];
                (
                    plan.staff,
                    plan.profile.arrivals,
                    plan.profile.per_thousand,
                    matches!(plan.opening, Opening::Ratio(_)),
                )
            };
            let Some(day) = self.ctx.days.day(staff, date) else {
                continue;
            };
            if daily {
                for municipality in 0..self.municipalities.len() {
                    self.arrivals.push(Arrival {
                        at: day.start,
                        plan: index,
                        municipality,
                    });
                }
                continue;
            }
            let factor = day_factor(arrivals, day.working, day.weekday);
            if factor <= 0.0 {
                continue;
            }
            let year = self.year_weight(staff, arrivals, date.year());
            self.ctx.days.segments(arrivals, &day, &mut self.segments);
            for municipality in 0..self.municipalities.len() {
                let mean =
                    per_thousand * self.municipalities[municipality].1 / 1000.0 * factor / year;
                let n = scenario::poisson(&mut self.ctx.rng, mean);
                for _ in 0..n {
                    if let Some(at) = self
                        .ctx
                        .days
                        .sample(&mut self.ctx.rng, date, &self.segments)
                    {
                        self.arrivals.push(Arrival {
                            at,
                            plan: index,
                            municipality,
                        });
                    }
                }
            }
        }
        // Case numbers follow arrival.
        self.arrivals
            .sort_by_key(|a| (a.at, a.plan, a.municipality));
        let arrivals = std::mem::take(&mut self.arrivals);
        for arrival in &arrivals {
            self.next_case += 1;
            let case = self.next_case;
            let plan = &self.plans[arrival.plan];
            let Some(day) = self.ctx.days.day(plan.staff, date) else {
                continue;
            };
            self.drafts.clear();
            if let Opening::Ratio(_) = &plan.opening {
                let (staff, per_thousand) = (plan.staff, plan.profile.per_thousand);
                let factor = day_factor(Arrivals::Always, day.working, day.weekday);
                let year = self.year_weight(staff, Arrivals::Always, date.year());
                let residents = self.municipalities[arrival.municipality].1;
                let mean = per_thousand * residents / 1000.0 * factor / year;
                self.ctx
                    .days
                    .segments(Arrivals::Always, &day, &mut self.segments);
                if let Opening::Ratio(ratio) = &self.plans[arrival.plan].opening {
                    scenario::ratio(
                        ratio,
                        &mut self.ctx,
                        date,
                        &day,
                        &self.segments,
                        mean,
                        &mut self.drafts,
                    );
                }
            } else {
                scenario::case(plan, &mut self.ctx, &day, arrival.at, &mut self.drafts);
            }
            self.schedule(case, arrival.plan, arrival.municipality);
        }
        self.arrivals = arrivals;
        self.ctx.days.prune(date);
    }

    /// Puts a case's events in the heap: in time order, one second apart at
    /// least, with the noise of late and repeated events.
    fn schedule(&mut self, case: u64, plan: usize, municipality: usize) {
        self.drafts.sort_by_key(|d| d.at);
        let mut previous = i64::MIN;
        for (i, draft) in self.drafts.drain(..).enumerate() {
            let at = draft.at.max(previous.saturating_add(1));
            previous = at;
            if at >= self.period_end {
                break;
            }
            let Ok(instant) = Timestamp::from_second(at) else {
                continue;
            };
            let first = i == 0;
            let late = !first && self.ctx.rng.random_bool(LATE);
            let emit = if late {
                at + self.ctx.rng.random_range(2 * 3600..30 * 3600)
            } else {
                at
            };
            let duplicate = self.ctx.rng.random_bool(DUPLICATE);
            self.seq += 1;
            self.heap.push(Reverse(Pending {
                emit,
                seq: self.seq,
                at: instant,
                id: 0,
                case,
                plan: plan as u32,
                municipality: municipality as u32,
                first,
                late,
                duplicate,
                copy: false,
                kind: draft.kind,
                attributes: draft.attributes,
            }));
        }
    }

    fn event(&self, pending: Pending) -> Event {
        let plan = &self.plans[pending.plan as usize];
        Event {
            id: compact_str::format_compact!("e{}", pending.id),
            case: compact_str::format_compact!("z{}", pending.case),
            kind: pending.kind,
            at: pending.at,
            case_type: pending.first.then(|| Arc::from(plan.case_type.id.as_str())),
            municipality: self
                .municipalities
                .get(pending.municipality as usize)
                .and_then(|m| m.0.clone()),
            team: if pending.first {
                plan.case_type.team.as_deref().map(Arc::from)
            } else {
                None
            },
            attributes: pending.attributes,
        }
    }
}

impl Iterator for Generator<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(Reverse(top)) = self.heap.peek()
                && top.emit < self.window_end
            {
                let Reverse(mut pending) = self.heap.pop()?;
                if pending.id == 0 {
                    self.next_event += 1;
                    pending.id = self.next_event;
                }
                if pending.duplicate {
                    pending.duplicate = false;
                    self.seq += 1;
                    let again = Pending {
                        emit: pending.emit + self.ctx.rng.random_range(1..3 * 3600),
                        seq: self.seq,
                        at: pending.at,
                        id: pending.id,
                        case: pending.case,
                        plan: pending.plan,
                        municipality: pending.municipality,
                        first: pending.first,
                        late: false,
                        duplicate: false,
                        copy: true,
                        kind: pending.kind,
                        attributes: pending.attributes.clone(),
                    };
                    self.summary.duplicates += 1;
                    self.heap.push(Reverse(again));
                }
                if pending.first && !pending.copy {
                    self.summary.cases += 1;
                }
                if pending.late {
                    self.summary.late += 1;
                }
                self.summary.events += 1;
                return Some(self.event(pending));
            }
            if self.finished || self.next_day > self.last_day {
                self.finished = true;
                self.heap.clear();
                return None;
            }
            let date = self.next_day;
            self.generate(date);
            self.window_end = date
                .tomorrow()
                .ok()
                .and_then(|d| self.ctx.days.local(d, 0))
                .unwrap_or(self.period_end)
                .min(self.period_end);
            match date.tomorrow() {
                Ok(next) => self.next_day = next,
                Err(_) => self.finished = true,
            }
        }
    }
}
