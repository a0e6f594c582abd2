//! Realistic, synthetic events for a catalog: for demonstrations, tests and
//! benchmarks. There is no personal data in them at all: cases and events
//! have synthetic ids ("z17", "e4711"), and the only attributes are those the
//! norms need (urgent, product, appointment, ...).
//!
//! The same catalog, period and seed give byte-identical output: one
//! ChaCha8 generator seeded with the seed draws every number, and the
//! catalog's municipalities, case types and norms are visited in catalog
//! order.
//!
//! # What a case looks like
//!
//! Each case type's scenario is derived from the norms measured on it, so any
//! catalog works:
//!
//! - **A wait limit** (`duration`) opens the case: a phone call
//!   (`call_queued`, answered after a lognormal wait with a median of about
//!   15 s, longer on Monday mornings, a tail past 25 s; a few callers hang
//!   up), a counter visit (`ticket_issued`, called after a median of about 6
//!   minutes; with an appointment, `appointment_at` on the quarter hour and
//!   called around it), or another wait of about half its limit.
//! - **A count limit**: a Poisson number of events with mean 0.4 (transfers
//!   during a call); more than 2 is rare.
//! - **An outcome limit**: mostly the first of `any_of` (an answer), sometimes
//!   the second (a date for the answer), rarely neither, before the `by`
//!   event.
//! - **A deadline**: started by its start event (the opening, or an event of
//!   the contact such as `callback_requested` or `feedback`, or another
//!   clock's stop) when its conditions hold; stopped after a lognormal share
//!   of the term, aimed so that 3 % (acknowledgements), 5 % (urgent action)
//!   or the case type's share (6 to 10 %, see below) ends late. Work is done
//!   in office hours, except for elapsed terms without a calendar (urgent
//!   action, automatic replies). Applications and long answers are sometimes
//!   paused (`suspended` with a reason, `resumed` later); a clock that runs
//!   late is sometimes extended (`extended` with a `term` within the maximum,
//!   and rarely against a norm that forbids it). Where a tussenbericht norm
//!   covers a clock that will be late, a `tussenbericht_sent` comes mostly
//!   before the deadline, sometimes after. The case is `closed` at the end
//!   (not a phone call: `call_ended` ends that).
//! - **A ratio**: one case per municipality per day, with a `probe` every 5
//!   minutes (`ok` = false in a rare short outage, `ttfb_ms` otherwise) or
//!   many `search` events (`results` = 0 about 4 % of the time).
//! - **Case attributes** the case type carries or its norms test: `urgent`
//!   for about 10 %, `appointment` at the counter for about 60 %,
//!   `advisory_committee` for about 30 %, `contact_needed` for about 25 %,
//!   `product` from the case type's products, `intake`, and
//!   `question_answered` on the feedback after half the calls (90 % true; a
//!   `contacted` follows when false and a norm asks for it).
//!
//! Every event carries `municipality`; the first event of a case carries
//! `case_type`, the team of the case type, and the case attributes.
//!
//! # Volumes
//!
//! A case type is recognised by words in its id and name (or else its
//! channel's); its yearly volume per 1,000 residents of each municipality is
//! the sum of the kinds it matches ("Overige brief of e-mail" is a letter and
//! an e-mail):
//!
//! | kind | words | per 1,000 residents per year | arrives | late |
//! |---|---|---:|---|---:|
//! | terugbelverzoek | terugbel, callback | 150 | office hours | 8 % |
//! | telefoon | telefoon, bellen, gesprek, call | 1,500 | office hours | 8 % |
//! | balie | balie, loket, counter | 500 | office hours | 10 % |
//! | whatsapp | whatsapp | 80 | always | 10 % |
//! | sociale media | social(e), facebook, twitter, instagram | 80 | always | 10 % |
//! | e-mail | mail | 400 | always | 10 % |
//! | brief | brief, post, letter | 120 | office hours | 10 % |
//! | klacht | klacht, complaint | 3 | always | 8 % |
//! | bezwaar | bezwaar, objection | 5 | always | 10 % |
//! | melding | melding | 150 | always | 10 % |
//! | aanvraag | aanvraag, aanvragen, vergunning | 80 | always | 6 % |
//! | anything else | | 50 | always | 10 % |
//! | zoekopdracht (ratio on `search`) | | 3,000 searches | always | |
//! | controle (ratio on `probe`) | | 288 probes a day | every 5 minutes | |
//!
//! Callbacks requested during a call (10 % of answered calls) come on top of
//! the phone volume. A municipality without a number of residents counts as
//! 20,000.
//!
//! "Office hours" is the case type's calendar (the first own calendar a
//! deadline norm on it names, else the catalog's first): only on its working
//! days, in its office hours, busiest in the morning and on Monday (Monday
//! 1.25, Friday 0.75). "Always" is day and night, weekends and holidays
//! too, but less (a day without work 0.35 to 0.4 of a working day, nights
//! much quieter). The yearly volume is spread over the year in these
//! proportions, so it is the same in every year.
//!
//! # Noise
//!
//! About 0.5 % of the events are written late (2 to 30 hours after their
//! instant, out of time order; never the first of a case) and about 0.5 %
//! twice (the same event, same id, up to 3 hours later). Events at or after
//! the end of the period are not written: cases still open then stay open.
//!
//! # Memory
//!
//! Cases are made day by day; the events of later days wait in a heap. What
//! is kept is bounded by the cases still running, not by the length of the
//! period.

mod days;
mod plan;
mod profile;
mod scenario;
mod stream;

use std::io::Write;

use jiff::civil::Date;
use servicenorm_core::{catalog::Catalog, events::CSV_HEADER};

pub use profile::{Arrivals, Profile};
pub use stream::{DEFAULT_RESIDENTS, Generator};

/// The period and the seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// The first day, in Europe/Amsterdam.
    pub from: Date,
    /// The last day, included.
    pub to: Date,
    pub seed: u64,
}

/// How the events are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// CSV with the header of [`CSV_HEADER`].
    #[default]
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// What was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub cases: u64,
    /// Lines written, duplicates included.
    pub events: u64,
    pub duplicates: u64,
    pub late: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The period cannot be generated.
    #[error("{0}")]
    Period(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A case type as the generator sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseTypeProfile {
    pub case_type: String,
    pub profile: Profile,
    /// The calendar of its arrivals and handling.
    pub calendar: String,
}

/// How the generator reads each case type of `catalog`, in catalog order.
pub fn profiles(catalog: &Catalog) -> Vec<CaseTypeProfile> {
    catalog
        .case_types
        .iter()
        .map(|ct| CaseTypeProfile {
            case_type: ct.id.clone(),
            profile: profile::profile(catalog, ct),
            calendar: plan::staff_calendar(catalog, ct)
                .map_or_else(|| "gemeente".to_string(), |c| c.id().to_string()),
        })
        .collect()
}

/// Writes the events of `catalog` over the period to `out`, streaming.
pub fn write(
    catalog: &Catalog,
    options: &Options,
    format: Format,
    out: impl Write,
) -> Result<Summary, DemoError> {
    Generator::new(catalog, options)?.write(format, out)
}

impl Generator<'_> {
    /// Writes all events to `out`, streaming, and says what was written.
    pub fn write(mut self, format: Format, mut out: impl Write) -> Result<Summary, DemoError> {
        let mut buffer = String::with_capacity(1 << 17);
        if format == Format::Csv {
            buffer.push_str(CSV_HEADER);
            buffer.push('\n');
        }
        for event in &mut self {
            match format {
                Format::Csv => event.write_csv(&mut buffer),
                Format::Jsonl => {
                    buffer.push_str(&event.to_json_line());
                    buffer.push('\n');
                }
            }
            if buffer.len() >= 1 << 16 {
                out.write_all(buffer.as_bytes())?;
                buffer.clear();
            }
        }
        out.write_all(buffer.as_bytes())?;
        out.flush()?;
        Ok(self.summary())
    }
}
